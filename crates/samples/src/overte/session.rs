//! `overte-session.pcapng`: an official Interface finds its public address (STUN), reaches the
//! domain through the ICE server, connects and spends its first seconds in the domain. The same
//! session, with other addresses and IDs, makes the benchmark sessions.

use std::borrow::Cow;
use std::net::{Ipv4Addr, SocketAddrV4};

use udpdissect_overte::payload::audio::{Negotiate, Selected};
use udpdissect_overte::payload::avatar::{AvatarIdentity, Identity, KillAvatar};
use udpdissect_overte::payload::codec::{QBytes, QStr};
use udpdissect_overte::payload::domain::{CheckIn, ListHeader, ListRequest, UuidPayload};
use udpdissect_overte::payload::ice::{IcePing, PeerInformation, Query};
use udpdissect_overte::payload::messages::{MessagesData, Subscribe};
use udpdissect_overte::payload::types::*;

use super::net::{usecs, Datagram, Peer, Wire};
use super::payloads::*;
use super::wire::{self, Nl, Udt};

/// The domain server's public socket.
pub const DS: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(203, 0, 113, 10), 40102);
/// The domain's hosts on their own LAN (what they announce as local sockets).
pub const DS_LAN: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 5);
pub const ICE: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 7), 7337);
pub const STUN: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(74, 125, 250, 129), 19302);

/// The assignment clients in DomainList order: node type and `Assignment::Type` (port 48000 + type).
pub const MIXERS: [(u8, u16); 6] = [(b'M', 0), (b'W', 1), (b'm', 4), (b'o', 6), (b'A', 3), (b'S', 5)];
const AUDIO: usize = 0;
const AVATAR: usize = 1;
const MESSAGES: usize = 2;
const SCRIPT: usize = 5;
/// What Interface asks for (`nodeTypesOfInterest`).
const INTERESTS: [u8; 6] = [b'M', b'W', b'o', b'A', b'm', b'S'];
/// Largest NLPacket payload in a message part: 1392 − 12 (UDT) − 20 (NL header).
const PART: usize = 1360;

/// What differs between sessions.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// The client's socket on its LAN (where the capture is taken) and after NAT.
    pub client: SocketAddrV4,
    pub public: SocketAddrV4,
    /// Derives the UUIDs, secrets and initial sequence numbers.
    pub seed: u64,
    /// Start time, ns since the epoch.
    pub t0: i64,
    /// The client's local ID, the domain server's, and the assignment clients' (the last one
    /// for the entity script server that replaces the first).
    pub local_id: u16,
    pub ds_local_id: u16,
    pub mixer_ids: [u16; 7],
    pub user: &'static str,
    /// The domain's public address (its server on 40102, assignment clients on 48000-48006).
    pub domain: Ipv4Addr,
}

impl Params {
    /// The domain server's public socket.
    pub fn ds(&self) -> SocketAddrV4 {
        SocketAddrV4::new(self.domain, DS.port())
    }
}

pub fn sample_params() -> Params {
    Params {
        client: SocketAddrV4::new(Ipv4Addr::new(192, 168, 1, 20), 53412),
        public: SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 55), 53412),
        seed: 0x5e55_1017,
        t0: super::net::at(0, 0),
        local_id: 0x8d3a,
        ds_local_id: 0x4a1c,
        mixer_ids: [0x1e35, 0xc2f7, 0x7b09, 0x2a63, 0xe4d1, 0x5f8b, 0x93a5],
        user: "nimbus_fox",
        domain: *DS.ip(),
    }
}

/// Derives what belongs to the domain (its ID, the assignment clients' UUIDs, the avatars
/// already there), the same for every client.
const DOMAIN: u64 = 0x0e7e_2026;

/// The assignment clients (six, then the entity script server that replaces the sixth), with
/// the secrets they share with this client.
pub fn mixers(p: &Params) -> Vec<Node> {
    MIXERS
        .iter()
        .chain(&[(b'S', 5)])
        .enumerate()
        .map(|(i, &(ty, kind))| Node {
            ty,
            uuid: uuid(DOMAIN ^ (0x100 + i as u64)),
            public: SocketAddrV4::new(p.domain, 48000 + kind),
            local: SocketAddrV4::new(DS_LAN, 48000 + kind),
            local_id: p.mixer_ids[i],
            secret: uuid(p.seed ^ (0x200 + i as u64)),
        })
        .collect()
}

pub fn domain_id() -> [u8; 16] {
    uuid(DOMAIN ^ 1)
}

/// A 27-bit initial sequence number.
fn isn(p: &Params, k: u64) -> u32 {
    mix(p.seed ^ (0x300 + k)) as u32 & 0x07ff_ffff
}

const NAMES: [&str; 12] =
    ["Ava", "Bruno", "Chidi", "Dana", "Emeka", "Freya", "Goro", "Hana", "Ines", "Jonas", "Keiko", "Lior"];

/// The identities the avatar mixer sends to a newcomer: everyone in the domain, in one
/// ordered message large enough for three datagrams.
pub fn crowd() -> (Vec<[u8; 16]>, Vec<u8>) {
    let mut ids = Vec::new();
    let mut body = Vec::new();
    while body.len() < 2 * PART + 200 {
        let i = ids.len();
        let id = uuid(DOMAIN ^ (0x1000 + i as u64));
        let name = NAMES[i % NAMES.len()];
        let unique = format!("{}_{}", name.to_lowercase(), 1 + i / NAMES.len());
        let identity = Identity {
            session_uuid: id,
            sequence: 1 + (i % 4) as i32,
            attachments: Some(0),
            display_name: QStr::from_text(name),
            session_display_name: QStr::from_text(&unique),
            flags: 0,
        };
        AvatarIdentity { identities: vec![identity] }.emit(&mut body);
        ids.push(id);
    }
    (ids, body)
}

pub fn session(p: &Params) -> Vec<Datagram> {
    let t = |us: u64| p.t0 + us as i64 * 1_000;
    let mut w = Wire::default();
    let c = p.client;
    let nodes = mixers(p);
    let domain_id = domain_id();
    let ice_id = uuid(p.seed ^ 2);
    let node_uuid = uuid(p.seed ^ 3);
    let fingerprint = uuid(p.seed ^ 4);
    let ds_local = SocketAddrV4::new(DS_LAN, DS.port());
    // The domain's clock runs 3.12 ms behind the capture's.
    let ds_clock = |at: i64| usecs(at) - 3_120;
    let to_ds = Peer { addr: c, local_id: p.local_id, secret: None };
    let ds = Peer { addr: p.ds(), local_id: p.ds_local_id, secret: None };
    let to = |k: usize| Peer { addr: c, local_id: p.local_id, secret: Some(nodes[k].secret) };
    let from = |k: usize| Peer { addr: nodes[k].public, local_id: nodes[k].local_id, secret: Some(nodes[k].secret) };

    // STUN (not HFUDT), then the ICE server introduces the client and the domain.
    let txid: [u8; 12] = uuid(p.seed ^ 5)[..12].try_into().expect("12 bytes");
    w.raw(t(0), c, STUN, wire::stun_request(txid));
    w.raw(t(18_412), STUN, c, wire::stun_response(txid, p.public));
    let query = Query { client_id: ice_id, public: sock(p.public), local: sock(c), domain_id };
    w.send(t(20_130), to_ds, ICE, ICE_QUERY, &emit(|v| query.emit(v)));
    let peer = PeerInformation { peer_id: domain_id, public: sock(p.ds()), local: sock(ds_local) };
    let ice = Peer { addr: ICE, local_id: 0, secret: None };
    w.send(t(61_877), ice, c, ICE_PEER_INFORMATION, &emit(|v| peer.emit(v)));
    w.send(t(62_304), to_ds, p.ds(), ICE_PING, &emit(|v| IcePing { sender_id: ice_id, ping_type: 2 }.emit(v)));
    w.send(t(62_391), to_ds, ds_local, ICE_PING, &emit(|v| IcePing { sender_id: ice_id, ping_type: 1 }.emit(v)));
    w.send(t(85_710), ds, c, ICE_PING_REPLY, &emit(|v| IcePing { sender_id: domain_id, ping_type: 2 }.emit(v)));

    // DomainConnectRequest and the first DomainList.
    let t_connect = t(86_020);
    let first_check_in = CheckIn {
        username: Some(QStr::from_text(p.user)),
        username_signature: Some(QBytes(Some(Cow::Borrowed(&[])))),
        ..check_in(usecs(t_connect), p.public, c, &INTERESTS)
    };
    let request = connect_request(ice_id, "2C:F0:5D:3A:91:C4", fingerprint, first_check_in);
    w.send(t_connect, to_ds, p.ds(), DOMAIN_CONNECT_REQUEST, &emit(|v| request.emit(v)));
    let header = |at: i64, check_in: i64, new_connection: u8| ListHeader {
        session_uuid: domain_id,
        domain_local_id: p.ds_local_id,
        your_uuid: node_uuid,
        your_local_id: p.local_id,
        permissions: 0x0000_0bff,
        authenticate: 1,
        last_check_in: usecs(check_in),
        server_time: ds_clock(at) - 15_400,
        processing_time: 418 + (at / 1_000 % 97) as u64,
        new_connection,
    };
    let first: Vec<&Node> = nodes[..6].iter().collect();
    let t_list = t(133_290);
    w.send(t_list, ds, c, DOMAIN_LIST, &domain_list(header(t_list, t_connect, 1), &first));

    // Ping every new node (public socket) until it answers.
    for (k, node) in first.iter().enumerate() {
        let sent = t(133_910 + 173 * k as u64);
        w.send(sent, to(k), node.public, PING, &ping(2, usecs(sent), 0));
        let back = t(165_480 + 1_731 * k as u64);
        w.send(back, from(k), c, PING_REPLY, &ping_reply(2, usecs(sent), ds_clock(back) - 15_600));
    }

    // Audio: codec negotiation, then a few frames each way.
    let n = Negotiate { codecs: ["opus", "pcm", "zlib", "hifiAC"].map(|c| Cow::Borrowed(c.as_bytes())).to_vec() };
    w.send(t(200_114), to(AUDIO), nodes[AUDIO].public, NEGOTIATE_AUDIO_FORMAT, &emit(|v| n.emit(v)));
    let s = Selected { codec: Cow::Borrowed(b"opus") };
    w.send(t(231_502), from(AUDIO), c, SELECTED_AUDIO_FORMAT, &emit(|v| s.emit(v)));

    // Our identity to the avatar mixer: the first reliable packet of that connection.
    let (avatar, avatar_at) = (nodes[AVATAR].public, to(AVATAR));
    let isn_c = isn(p, 0);
    w.handshake(t(240_050), t(271_330), c, avatar, isn_c);
    let me = Identity {
        session_uuid: node_uuid,
        sequence: 1,
        attachments: Some(0),
        display_name: QStr::from_text("Nimbus Fox"),
        session_display_name: QStr::from_text(p.user),
        flags: 0,
    };
    let body = emit(|v| AvatarIdentity { identities: vec![me] }.emit(v));
    let seqs = w.message(&[t(271_420)], avatar_at, avatar, AVATAR_IDENTITY, &body, &[]);
    w.ack(t(302_870), avatar, c, seqs[0]);

    // Everyone else's identities from the avatar mixer: one message in three parts.
    let isn_m = isn(p, 1);
    w.handshake(t(250_620), t(250_700), avatar, c, isn_m);
    let (crowd_ids, crowd_body) = crowd();
    let parts = [t(282_010), t(282_190), t(282_350)];
    let seqs = w.message(&parts, from(AVATAR), c, AVATAR_IDENTITY, &crowd_body, &[PART, PART]);
    for (i, seq) in seqs.iter().enumerate() {
        w.ack(parts[i] + 90_000, c, avatar, *seq);
    }

    // Avatar data both ways.
    w.send(t(360_200), avatar_at, avatar, AVATAR_QUERY, &avatar_query(4.5, -2.0));
    w.send(t(361_050), avatar_at, avatar, AVATAR_DATA, &avatar_data(0, 4.5, -2.0));
    let near = [(crowd_ids[3], 6.25f32, -1.5f32), (crowd_ids[7], 2.0, -4.75)];
    w.send(t(392_740), from(AVATAR), c, BULK_AVATAR_DATA, &bulk_avatar_data(&near));
    w.send(t(401_100), avatar_at, avatar, AVATAR_DATA, &avatar_data(1, 4.5, -2.0));
    w.send(t(414_880), from(AVATAR), c, BULK_AVATAR_DATA, &bulk_avatar_data(&near));

    // A few audio frames each way, 10 ms apart.
    let audio = nodes[AUDIO].public;
    for i in 0..3u16 {
        let at = t(410_000 + 10_000 * u64::from(i));
        w.send(at, to(AUDIO), audio, MIC_NO_ECHO, &mic(i, positional(4.5, -2.0), noise(p.seed ^ u64::from(i), 61)));
        let back = at + 31_250_000;
        w.send(back, from(AUDIO), c, MIXED_AUDIO, &mixed(i, noise(p.seed ^ (0x40 + u64::from(i)), 83)));
    }
    w.send(t(471_260), from(AUDIO), c, SILENT_AUDIO_FRAME, &silent_from_mixer(3, 480));

    // The messages mixer: subscribe, then a chat message (reliable ordered).
    let messages = nodes[MESSAGES].public;
    w.handshake(t(500_030), t(531_870), c, messages, isn(p, 2));
    let sub = emit(|v| Subscribe { channel: Cow::Borrowed(b"Chat") }.emit(v));
    let seqs = w.message(&[t(531_950)], to(MESSAGES), messages, MESSAGES_SUBSCRIBE, &sub, &[]);
    w.ack(t(563_400), messages, c, seqs[0]);
    let text = br#"{"type":"TransmitChatMessage","position":{"x":4.5,"y":1.62,"z":-2},"displayName":"Nimbus Fox","message":"hi all!","channel":"Domain"}"#;
    let data =
        MessagesData { channel: Cow::Borrowed(b"Chat"), is_text: 1, message: Cow::Borrowed(text), sender: node_uuid };
    let seqs = w.message(&[t(602_210)], to(MESSAGES), messages, MESSAGES_DATA, &emit(|v| data.emit(v)), &[]);
    w.ack(t(633_580), messages, c, seqs[0]);

    // Once a second: DomainListRequest (sourced, not verified) and the DomainList answer;
    // keep-alive pings to every node.
    let mut current: Vec<&Node> = first.clone();
    for round in 1..=3u32 {
        let base = 1_000_000 * u64::from(round);
        let sent = t(base + 86_020);
        let ask = ListRequest { check_in: check_in(usecs(sent), p.public, c, &INTERESTS) };
        w.send(sent, to_ds, p.ds(), DOMAIN_LIST_REQUEST, &emit(|v| ask.emit(v)));
        let back = t(base + 131_770);
        w.send(back, ds, c, DOMAIN_LIST, &domain_list(header(back, sent, 0), &current));
        if round == 3 {
            break;
        }
        for (k, node) in current.iter().enumerate() {
            let k = if k == SCRIPT && round == 2 { 6 } else { k };
            let sent = t(base + 140_300 + 211 * k as u64);
            w.send(sent, to(k), node.public, PING, &ping(0, usecs(sent), 0));
            let back = t(base + 171_900 + 1_307 * k as u64);
            w.send(back, from(k), c, PING_REPLY, &ping_reply(0, usecs(sent), ds_clock(back) - 15_600));
        }
        if round == 1 {
            // The entity script server restarts: RemovedNode (reliable, the domain server's first
            // reliable packet to us), then AddedNode for its successor.
            w.handshake(t(base + 600_000), t(base + 600_090), p.ds(), c, isn(p, 3));
            let removed = emit(|v| UuidPayload { uuid: nodes[SCRIPT].uuid }.emit(v));
            let (_, seq) = w.reliable(t(base + 631_200), ds, c, REMOVED_NODE, &removed);
            w.ack(t(base + 631_290), c, p.ds(), seq);
            let added = emit(|v| nodes[6].record().emit(v));
            w.send(t(base + 900_450), ds, c, ADDED_NODE, &added);
            current[SCRIPT] = &nodes[6];
            // The successor is a new process on the same port: its sequence numbers start at 1.
            w.restart(nodes[6].public, c);
            let sent = t(base + 950_120);
            w.send(sent, to(6), nodes[6].public, PING, &ping(2, usecs(sent), 0));
            let back = t(base + 981_640);
            w.send(back, from(6), c, PING_REPLY, &ping_reply(2, usecs(sent), ds_clock(back) - 15_600));
        }
    }

    // An avatar leaves: KillAvatar (reliable). Our ACK is lost upstream, the mixer's first two
    // retransmissions are lost on the way down, the third arrives obfuscated with level 1.
    let kill = emit(|v| KillAvatar { uuid: crowd_ids[5], reason: 1 }.emit(v));
    let (_, seq) = w.reliable(t(2_050_330), from(AVATAR), c, KILL_AVATAR, &kill);
    w.ack(t(2_050_420), c, avatar, seq);
    let third = Udt { obfuscation: 1, ..Udt::reliable(seq) };
    let resent = Nl::new(third, KILL_AVATAR, nodes[AVATAR].local_id, Some(nodes[AVATAR].secret), &kill).build();
    w.raw(t(2_812_640), nodes[AVATAR].public, c, resent);
    w.ack(t(2_812_730), c, avatar, seq);

    w.sorted()
}
