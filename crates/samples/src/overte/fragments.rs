//! `overte-fragments.pcap`: reliable multi-part messages with a lost and a duplicated part,
//! and an unreliable stream with a gap and a duplicate.

use std::borrow::Cow;
use std::net::{Ipv4Addr, SocketAddrV4};

use udpdissect_overte::payload::domain::ListHeader;
use udpdissect_overte::payload::messages::MessagesData;
use udpdissect_overte::payload::types::*;

use super::net::{at, usecs, Datagram, Peer, Wire};
use super::payloads::*;
use super::session::{self, DS};
use super::wire::{Nl, Udt};

pub const CLIENT: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 168, 1, 22), 50731);
pub const CLIENT_MAC: [u8; 6] = [0x06, 0x14, 0x1e, 0x28, 0x01, 0x22];
pub const LOCAL_ID: u16 = 0x61d4;
const AVATAR: usize = 1;
const MESSAGES: usize = 2;
const PART: usize = 1360;

pub fn capture() -> Vec<Datagram> {
    let p = session::sample_params();
    let c = CLIENT;
    let mut w = Wire::default();
    let mut nodes = session::mixers(&p);
    for (k, node) in nodes.iter_mut().enumerate() {
        node.secret = uuid(0xf4a9 ^ k as u64);
    }
    let me = uuid(0xf4a8);
    let to_ds = Peer { addr: c, local_id: LOCAL_ID, secret: None };
    let ds = Peer { addr: DS, local_id: p.ds_local_id, secret: None };
    let to = |k: usize| Peer { addr: c, local_id: LOCAL_ID, secret: Some(nodes[k].secret) };
    let from = |k: usize| Peer { addr: nodes[k].public, local_id: nodes[k].local_id, secret: Some(nodes[k].secret) };
    let (messages, avatar) = (nodes[MESSAGES].public, nodes[AVATAR].public);

    // 1-2: connect, so that the secrets are known.
    let t1 = at(0, 0);
    let request = connect_request([0; 16], "2C:F0:5D:3A:91:D0", uuid(0xf4a7), check_in(usecs(t1), c, c, b"Wm"));
    w.send(t1, to_ds, DS, DOMAIN_CONNECT_REQUEST, &emit(|v| request.emit(v)));
    let t2 = at(0, 44_870);
    let header = ListHeader {
        session_uuid: session::domain_id(),
        domain_local_id: p.ds_local_id,
        your_uuid: me,
        your_local_id: LOCAL_ID,
        permissions: 0x0000_0bff,
        authenticate: 1,
        last_check_in: usecs(t1),
        server_time: usecs(t2) - 20_100,
        processing_time: 402,
        new_connection: 1,
    };
    w.send(t2, ds, c, DOMAIN_LIST, &domain_list(header, &[&nodes[AVATAR], &nodes[MESSAGES]]));

    // 3-10: a three-part message from the messages mixer whose MIDDLE part is lost on the way:
    // the client receives FIRST and LAST, keeps ACKing FIRST, and the first retransmission
    // (not obfuscated) fills the hole.
    let isn_m = 38_894_128;
    w.handshake(at(1, 0), at(1, 90), messages, c, isn_m);
    let body = MessagesData {
        channel: Cow::Borrowed(b"scene.snapshot"),
        is_text: 0,
        message: Cow::Owned(noise(1, 3_400)),
        sender: uuid(0xf4b0),
    };
    let body = emit(|v| body.emit(v));
    let times = [at(1, 31_200), at(1, 31_400), at(1, 31_600)];
    let seqs = w.message(&times, from(MESSAGES), c, MESSAGES_DATA, &body, &[PART, PART]);
    let middle = w.datagrams.iter().position(|d| d.0 == times[1]).expect("the MIDDLE part");
    let lost = w.datagrams.remove(middle);
    w.ack(at(1, 31_290), c, messages, seqs[0]);
    w.ack(at(1, 31_690), c, messages, seqs[0]);
    w.raw(at(1, 262_000), lost.1, lost.2, lost.3);
    w.ack(at(1, 262_090), c, messages, seqs[2]);

    // 11-17: a two-part message from the client whose LAST part is lost after the capture
    // point: it appears twice (same sequence number), the second time as the retransmission.
    let isn_c = 3_344_833;
    w.handshake(at(2, 0), at(2, 31_050), c, messages, isn_c);
    let body = MessagesData {
        channel: Cow::Borrowed(b"scene.snapshot"),
        is_text: 0,
        message: Cow::Owned(noise(2, 2_000)),
        sender: me,
    };
    let body = emit(|v| body.emit(v));
    let times = [at(2, 31_100), at(2, 31_300)];
    let seqs = w.message(&times, to(MESSAGES), messages, MESSAGES_DATA, &body, &[PART]);
    w.ack(at(2, 62_410), messages, c, seqs[0]);
    let again = w.datagrams.iter().find(|d| d.0 == times[1]).expect("the LAST part").3.clone();
    w.raw(at(2, 292_500), c, messages, again);
    w.ack(at(2, 323_880), messages, c, seqs[1]);

    // 18-27: the avatar mixer's unreliable BulkAvatarData at 20 ms: sequence 5 never arrives,
    // sequence 7 arrives twice (a duplicate made by the network).
    let crowd = session::crowd().0;
    for i in 1..=9u32 {
        let t = at(3, 20_000 * i);
        let others = [(crowd[2], 1.0 + 0.05 * i as f32, 2.0), (crowd[9], -3.0, 0.5 - 0.05 * i as f32)];
        let udt = Udt::unreliable(w.next_seq(avatar, c));
        let payload = bulk_avatar_data(&others);
        let bytes =
            Nl::new(udt, BULK_AVATAR_DATA, nodes[AVATAR].local_id, Some(nodes[AVATAR].secret), &payload).build();
        match i {
            5 => {}
            7 => {
                w.raw(t, avatar, c, bytes.clone());
                w.raw(t + 112_000_000, avatar, c, bytes);
            }
            _ => w.raw(t, avatar, c, bytes),
        }
    }
    // The client's own AvatarData keeps going meanwhile (one frame).
    w.send(at(3, 95_000), to(AVATAR), avatar, AVATAR_DATA, &avatar_data(0, 1.0, 2.0));
    w.sorted()
}
