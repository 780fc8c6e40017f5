//! `overte-buggy-client.pcapng`: a home-made client (the user's notes) making each mistake of
//! `protocols/overte.md` §9 against the domain of the session sample, being dropped as silent,
//! and reconnecting once its byte-order bugs are fixed.

use std::borrow::Cow;
use std::net::{Ipv4Addr, SocketAddrV4};

use udpdissect_overte::payload::codec::{QBytes, QStr};
use udpdissect_overte::payload::domain::{CheckIn, ConnectRequest, ListHeader, ListRequest};
use udpdissect_overte::payload::text::PathQuery;
use udpdissect_overte::payload::types::*;

use super::net::{at, usecs, Datagram, Peer, Wire};
use super::payloads::*;
use super::session::{self, DS};
use super::wire::{Hash, Nl, Udt};

/// The home-made client and the address it writes into its check-ins (it replaces 0.0.0.0
/// by 127.0.0.1, as the notes describe).
pub const CLIENT: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 168, 1, 21), 47505);
const WRITTEN: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 47505);
pub const CLIENT_MAC: [u8; 6] = [0x06, 0x14, 0x1e, 0x28, 0x01, 0x21];
/// The local ID the domain assigns (big-endian in DomainList), and what the client makes of it
/// with `ntohs` on the already correct value.
pub const ASSIGNED: u16 = 39772;
pub const SWAPPED: u16 = ASSIGNED.swap_bytes();
/// The local ID of the second, correct connection.
pub const ASSIGNED_AGAIN: u16 = 63157;
/// The notes' interest list: avatar mixer, audio mixer, entity server.
const INTERESTS: [u8; 3] = [b'W', b'M', b'o'];
const AUDIO: usize = 0;
const AVATAR: usize = 1;
const ENTITY: usize = 3;
/// A small system info, as the home-made client sends it.
const SYSTEM_INFO: &str =
    r#"{"computer":{"OS":"LINUX","vendor":"Starworld","model":"StardustXR client"},"memory":{"memTotal":16384}}"#;

/// The client's check-in and its length; `tail`: the four optional strings, all empty, as the
/// notes write them.
fn check_in_bytes(timestamp: u64, tail: bool) -> (CheckIn<'static>, usize) {
    let mut ci = check_in(timestamp, WRITTEN, WRITTEN, &INTERESTS);
    if tail {
        ci.username = Some(QStr::from_text(""));
        ci.username_signature = Some(QBytes(Some(Cow::Borrowed(&[]))));
        ci.domain_username = Some(QStr::from_text(""));
        ci.domain_tokens = Some(QStr::from_text(""));
    }
    let len = emit(|v| ListRequest { check_in: ci.clone() }.emit(v)).len();
    (ci, len)
}

/// Sets the protocol bytes of the public and local SockAddr of the check-in that ends `b`
/// (`ci_len` bytes long) to 1, as the notes' writer does.
fn ipv6_protocol_bytes(b: &mut [u8], ci_len: usize) {
    let start = b.len() - ci_len;
    // timestamp 8, owner type 1, public socket type 1 | protocol | 4 + 2 | local socket type 1 | protocol
    for at in [start + 10, start + 18] {
        assert_eq!(b[at], 0, "QHostAddress protocol byte of an IPv4 address");
        b[at] = 1;
    }
}

fn connect(timestamp: u64, ipv6_bug: bool) -> Vec<u8> {
    let (ci, ci_len) = check_in_bytes(timestamp, true);
    let request = ConnectRequest {
        connect_uuid: [0; 16],
        signature: signature(),
        hardware_address: QStr::from_text("52:54:00:3B:91:07"),
        machine_fingerprint: uuid(0xb0661),
        system_info: QBytes(Some(Cow::Owned(q_compress(SYSTEM_INFO)))),
        connect_reason: 0,
        previous_uptime: 0,
        check_in: ci,
    };
    let mut b = emit(|v| request.emit(v));
    if ipv6_bug {
        ipv6_protocol_bytes(&mut b, ci_len);
    }
    b
}

fn list_request(timestamp: u64, ipv6_bug: bool) -> Vec<u8> {
    let (ci, ci_len) = check_in_bytes(timestamp, false);
    let mut b = emit(|v| ListRequest { check_in: ci }.emit(v));
    if ipv6_bug {
        ipv6_protocol_bytes(&mut b, ci_len);
    }
    b
}

/// A datagram of the home-made client before the fix: UDT word always 0 (its `htonl`'d
/// header only reads right for sequence 0 without flags), the notes' versions, the byte-swapped
/// source ID.
fn homemade(ty: u8, secret: Option<[u8; 16]>, payload: &[u8]) -> Nl<'_> {
    let mut nl = Nl::new(Udt::unreliable(0), ty, SWAPPED, secret, payload);
    if ty == AVATAR_QUERY {
        // The notes give AvatarQuery the avatar mixer's version, 55; it is 22.
        nl.version = 55;
    }
    nl
}

/// The notes' Ping: u64 timestamp then u8 ping type (9 bytes).
fn ping9(timestamp: u64) -> Vec<u8> {
    let mut b = timestamp.to_le_bytes().to_vec();
    b.push(0);
    b
}

pub fn capture() -> Vec<Datagram> {
    let p = session::sample_params();
    let c = CLIENT;
    let mut w = Wire::default();
    let mut nodes = session::mixers(&p);
    // One connection secret per node pair: new ones for this client (and again after it reconnects).
    let secrets = |n: u64| [0usize, 1, 3].map(|k| uuid(0xb0660 ^ (n << 8) ^ k as u64));
    for (k, s) in [AUDIO, AVATAR, ENTITY].into_iter().zip(secrets(1)) {
        nodes[k].secret = s;
    }
    let ds = Peer { addr: DS, local_id: p.ds_local_id, secret: None };
    let from = |nodes: &[Node], k: usize| Peer {
        addr: nodes[k].public,
        local_id: nodes[k].local_id,
        secret: Some(nodes[k].secret),
    };
    let avatar = nodes[AVATAR].public;
    let header = |at: i64, check_in: i64, your_uuid: [u8; 16], your_local_id: u16, new_connection: u8| ListHeader {
        session_uuid: session::domain_id(),
        domain_local_id: p.ds_local_id,
        your_uuid,
        your_local_id,
        permissions: 0x0000_0bff,
        authenticate: 1,
        last_check_in: usecs(check_in),
        server_time: usecs(at) - 18_520,
        processing_time: 391,
        new_connection,
    };
    // 1-2: the connect request with IPv6 protocol bytes; the domain answers anyway (it uses the
    // datagram's source address) and assigns local ID 39772.
    let t1 = at(0, 0);
    w.raw(t1, c, DS, Nl::new(Udt::unreliable(0), DOMAIN_CONNECT_REQUEST, 0, None, &connect(usecs(t1), true)).build());
    let first: Vec<&Node> = [AUDIO, AVATAR, ENTITY].iter().map(|&k| &nodes[k]).collect();
    let me = uuid(0xb0662);
    let t2 = at(0, 46_210);
    w.send(t2, ds, c, DOMAIN_LIST, &domain_list(header(t2, t1, me, ASSIGNED, 1), &first));
    // 3: AvatarData from the byte-swapped local ID (valid HMAC).
    let avatar_secret = Some(nodes[AVATAR].secret);
    w.raw(at(0, 60_115), c, avatar, homemade(AVATAR_DATA, avatar_secret, &avatar_data(0, 1.0, 1.0)).build());
    // 4: the 9-byte Ping.
    let t4 = at(0, 61_020);
    w.raw(t4, c, avatar, homemade(PING, avatar_secret, &ping9(usecs(t4))).build());
    // 5: a sourced and verified packet (Ping, zero hash: no secret) to the domain server.
    let t5 = at(1, 0);
    w.raw(t5, c, DS, homemade(PING, None, &ping9(usecs(t5))).build());
    // 6: a reliable packet whose UDT word is written big-endian.
    let path = emit(|v| PathQuery { path: Cow::Borrowed(b"/") }.emit(v));
    let be = Udt { big_endian: true, ..Udt::reliable(1) };
    w.raw(at(1, 500_000), c, DS, Nl::new(be, PATH_QUERY, 0, None, &path).build());
    // 7: DomainListRequest without its source ID.
    let t7 = at(2, 0);
    let payload = list_request(usecs(t7), true);
    let mut no_source = homemade(DOMAIN_LIST_REQUEST, None, &payload);
    no_source.source = None;
    w.raw(t7, c, DS, no_source.build());
    // 8: a Ping to the audio mixer hashed with the avatar mixer's secret.
    let t8 = at(2, 100_000);
    let payload = ping9(usecs(t8));
    let mut wrong = homemade(PING, None, &payload);
    wrong.hash = Some(Hash::Secret(nodes[AVATAR].secret));
    w.raw(t8, c, nodes[AUDIO].public, wrong.build());
    // 9: AvatarQuery with version 55.
    w.raw(at(2, 200_000), c, avatar, homemade(AVATAR_QUERY, avatar_secret, &avatar_query(1.0, 1.0)).build());

    // The client now waits for a DomainList that never comes; the mixers keep punching and
    // sending avatars until the domain server removes the silent node (about 16 s after it
    // last heard from it) and tells them.
    let crowd = session::crowd().0;
    let others = [(crowd[3], 2.5f32, 0.5f32), (crowd[7], -1.0, 3.0)];
    for s in 2..=15u32 {
        let t = at(s, 520_000);
        if s % 2 == 1 {
            w.send(t, from(&nodes, AVATAR), c, PING, &ping(2, usecs(t) - 18_520, 0));
        } else {
            w.send(t, from(&nodes, AVATAR), c, BULK_AVATAR_DATA, &bulk_avatar_data(&others));
        }
        if s % 4 == 3 {
            let t = at(s, 770_000);
            w.send(t, from(&nodes, AUDIO), c, PING, &ping(2, usecs(t) - 18_520, 0));
        }
    }

    // 27 s: reconnect with the byte order fixed: LE UDT words counting from 1, protocol 0,
    // the local ID as assigned, 17-byte Pings, sourced DomainListRequests.
    for (k, s) in [AUDIO, AVATAR, ENTITY].into_iter().zip(secrets(2)) {
        nodes[k].secret = s;
    }
    let to_ds = Peer { addr: c, local_id: ASSIGNED_AGAIN, secret: None };
    let to = |nodes: &[Node], k: usize| Peer { addr: c, local_id: ASSIGNED_AGAIN, secret: Some(nodes[k].secret) };
    let t1 = at(27, 0);
    w.send(t1, to_ds, DS, DOMAIN_CONNECT_REQUEST, &connect(usecs(t1), false));
    let again: Vec<&Node> = [AUDIO, AVATAR, ENTITY].iter().map(|&k| &nodes[k]).collect();
    let me = uuid(0xb0663);
    let t2 = at(27, 45_880);
    w.send(t2, ds, c, DOMAIN_LIST, &domain_list(header(t2, t1, me, ASSIGNED_AGAIN, 1), &again));
    for (i, k) in [AVATAR, AUDIO, ENTITY].into_iter().enumerate() {
        let sent = at(27, 60_000 + 700 * i as u32);
        w.send(sent, to(&nodes, k), nodes[k].public, PING, &ping(2, usecs(sent), 0));
        let back = at(27, 91_300 + 1_400 * i as u32);
        w.send(back, from(&nodes, k), c, PING_REPLY, &ping_reply(2, usecs(sent), usecs(back) - 34_100));
    }
    w.send(at(27, 120_000), to(&nodes, AVATAR), avatar, AVATAR_QUERY, &avatar_query(1.0, 1.0));
    w.send(at(27, 121_000), to(&nodes, AVATAR), avatar, AVATAR_DATA, &avatar_data(0, 1.0, 1.0));
    w.send(at(27, 152_600), from(&nodes, AVATAR), c, BULK_AVATAR_DATA, &bulk_avatar_data(&others));
    for s in [28, 29] {
        let sent = at(s, 45_000);
        w.send(sent, to_ds, DS, DOMAIN_LIST_REQUEST, &list_request(usecs(sent), false));
        let back = at(s, 90_770);
        w.send(back, ds, c, DOMAIN_LIST, &domain_list(header(back, sent, me, ASSIGNED_AGAIN, 0), &again));
    }
    w.sorted()
}
