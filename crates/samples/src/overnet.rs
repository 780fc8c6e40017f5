//! The Overnet sample captures: a swarm on random ports (`overnet-swarm.pcap`), the eDonkey
//! family on its default ports (`overnet-family.pcap`), one frame per finding
//! (`overnet-findings.pcap`); and Overnet traffic for the benchmark ([`bench_round`]).

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

use flate2::write::ZlibEncoder;
use flate2::Compression;
use udpdissect_overnet::search_tree::Node;
use udpdissect_overnet::tags::{Tag, TagName, TagValue};
use udpdissect_overnet::wire::{Contact, Md4, Message, Peer};
use udpdissect_pcapgen::linktype;

use crate::common::*;
use crate::{Datagram, Sample};

/// Nodes of the swarm: UDP ports as random as real Overnet installations (KadC's kadc.ini).
const N1: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(10, 40, 0, 11), 12970);
const N2: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(81, 2, 3, 4), 6982);
const N3: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(82, 5, 6, 7), 10168);
const N4: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(83, 8, 9, 10), 19268);
const N5: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(84, 11, 12, 13), 3082);

/// Stand-in md4 values (the samples do not hash real keywords).
fn id(n: u8) -> Md4 {
    let base = if n < 0x10 { n * 0x10 } else { n };
    let mut h = [0u8; 16];
    for (i, b) in h.iter_mut().enumerate() {
        *b = base.wrapping_add(i as u8);
    }
    h
}

/// Node ids 0x10…, 0x20…, … and the searched keyword / file.
const KEYWORD: u8 = 0xa0;
const FILE: u8 = 0xb0;

fn node_id(a: SocketAddrV4) -> Md4 {
    id(match a {
        N1 => 1,
        N2 => 2,
        N3 => 3,
        N4 => 4,
        _ => 5,
    })
}

fn peer(a: SocketAddrV4, kind: u8) -> Peer {
    Peer { id: node_id(a), ip: *a.ip(), port: a.port(), kind }
}

fn mac(a: SocketAddrV4) -> [u8; 6] {
    let o = a.ip().octets();
    [0x06, 0x4e, o[0], o[1], o[2], o[3]]
}

/// Frames with IPv4 ids handed out in order.
struct Cap {
    frames: Frames,
    ip_id: u16,
}

impl Cap {
    fn new() -> Cap {
        Cap { frames: Vec::new(), ip_id: 0x1200 }
    }

    fn raw(&mut self, ms: u32, src: SocketAddrV4, dst: SocketAddrV4, payload: &[u8]) {
        self.ip_id = self.ip_id.wrapping_add(0x0101);
        let ip = udp4_out(src, dst, self.ip_id, payload);
        self.frames.push((at(ms / 1000, (ms % 1000) * 1000), eth(mac(src), mac(dst), &ip)));
    }

    fn msg(&mut self, ms: u32, src: SocketAddrV4, dst: SocketAddrV4, m: &Message) {
        self.raw(ms, src, dst, &m.to_vec());
    }

    fn pcap(&self) -> Vec<u8> {
        pcap(linktype::ETHERNET, &self.frames)
    }
}

/// One tag of each type eMule-era clients send (short names, STRn, UINT64, BSOB …).
fn every_tag_type() -> Vec<Tag<'static>> {
    const H: &[u8; 16] = b"0123456789abcdef";
    let t = |ty: u8, id: u8, value: TagValue<'static>| Tag { ty, name: TagName::Id(id), value };
    vec![
        Tag { ty: 0x01, name: TagName::Long(b"hash"), value: TagValue::Hash(H) },
        t(0x84, 0xF7, TagValue::Float(4.5f32.to_bits())),
        t(0x85, 0x08, TagValue::Bool(1)),
        t(0x86, 0x17, TagValue::BoolArray(12, &[0xff, 0x0f])),
        t(0x87, 0x0B, TagValue::Blob(b"notes")),
        t(0x88, 0x0F, TagValue::U16(4662)),
        t(0x8A, 0x55, TagValue::Bsob(b"mod")),
        t(0x8B, 0x02, TagValue::U64(5_000_000_000)),
        t(0x93, 0x04, TagValue::String(b"iso")),
    ]
}

fn keyword_tags() -> Vec<Tag<'static>> {
    vec![
        Tag::string(&[0x01], b"ubuntu-6.10-desktop-i386.iso"),
        Tag::u32(&[0x02], 726_970_368),
        Tag::string(&[0x03], b"Pro"),
        Tag::string(&[0x04], b"iso"),
        Tag { ty: 0x89, name: TagName::Id(0x15), value: TagValue::U8(12) },
    ]
}

const SWARM_DESCRIPTION: &str = "\
An Overnet swarm of five nodes on random UDP ports (Ethernet, 33 frames; no port is an eDonkey default: \
recognition by content). Node ids are stand-ins: 0x10… for n1 10.40.0.11:12970, 0x20… n2 81.2.3.4:6982, \
0x30… n3 82.5.6.7:10168, 0x40… n4 83.8.9.10:19268, 0x50… n5 84.11.12.13:3082; keyword a0a1…af, file b0b1…bf.

| frame | what |
|------:|------|
| 1–2 | n1 Connect → n2; ConnectReply: n3, n4, n2 itself last |
| 3–4 | n1 Publicize → n3; Publicized (2 bytes, recognised by flow memory) |
| 5–10 | n1 GetMyIP → n2; n2 Identify → n1, IdentifyReply (22-byte contact), IdentifyAck; GetMyIPResult; GetMyIPDone |
| 11–16 | keyword search: Search → n3 (want 2), SearchReply names n4 and n5; Search → n4 (hop 2), reply names n5; Search → n5 (hop 2), empty reply |
| 17–20 | GetSearchResults → n5; two SearchResults (Name, Size, Type, Format, Availability tags); NoResult with KadC's 4 extra bytes |
| 21–24 | source search: GetSearchResults → n4; SearchResult loc bcp://ip:port; SearchResult firewalled loc bcp://hash:ip:port; NoResult |
| 25–26 | n1 FirewallConnection → n5 (its TCP port 4662); FirewallConnectionAck |
| 27–28 | n3 Publish → n4 (keyword entry); Published |
| 29 | n2 PeerNotFound → n1 about n3 |
| 30–31 | n4 GetSearchResults type 1 → n2 with the search tree (AND \"ubuntu\" (Format = \"iso\")); NoResult |
| 32–33 | n5 Publish → n2 with one tag of every type (HASH, FLOAT32, BOOL, BOOLARRAY, BLOB, UINT16, BSOB, UINT64, STR3); Published |";

fn swarm() -> Vec<u8> {
    let mut c = Cap::new();
    c.msg(0, N1, N2, &Message::Connect(peer(N1, 0)));
    c.msg(41, N2, N1, &Message::ConnectReply(vec![peer(N3, 2), peer(N4, 3), peer(N2, 0)]));
    c.msg(1_000, N1, N3, &Message::Publicize(peer(N1, 0)));
    c.msg(1_052, N3, N1, &Message::Publicized);
    c.msg(2_000, N1, N2, &Message::GetMyIp { tcp_port: 4662 });
    c.msg(2_030, N2, N1, &Message::Identify);
    c.msg(2_071, N1, N2, &Message::IdentifyReply(Contact { id: node_id(N1), ip: *N1.ip(), port: N1.port() }));
    c.msg(2_102, N2, N1, &Message::IdentifyAck { tcp_port: 4662 });
    c.msg(2_103, N2, N1, &Message::GetMyIpResult(Ipv4Addr::new(198, 51, 100, 23)));
    c.msg(2_104, N2, N1, &Message::GetMyIpDone);
    let kw = id(KEYWORD);
    c.msg(5_000, N1, N3, &Message::Search { param: 2, target: kw });
    c.msg(5_060, N3, N1, &Message::SearchReply { target: kw, peers: vec![peer(N4, 3), peer(N5, 2)] });
    c.msg(5_100, N1, N4, &Message::Search { param: 2, target: kw });
    c.msg(5_170, N4, N1, &Message::SearchReply { target: kw, peers: vec![peer(N5, 2)] });
    c.msg(5_200, N1, N5, &Message::Search { param: 2, target: kw });
    c.msg(5_290, N5, N1, &Message::SearchReply { target: kw, peers: vec![] });
    c.msg(5_300, N1, N5, &Message::GetSearchResults { key: kw, kind: 0, tree: None, min: 0, max: 100 });
    c.msg(5_390, N5, N1, &Message::SearchResult { key: kw, value: id(FILE), tags: keyword_tags() });
    let mut other = keyword_tags();
    other[0] = Tag::string(&[0x01], b"ubuntu-6.10-alternate.iso");
    c.msg(5_391, N5, N1, &Message::SearchResult { key: kw, value: id(0xc0), tags: other });
    c.msg(5_392, N5, N1, &Message::NoResult { key: kw, extra: Some((2, 2)) });
    let file = id(FILE);
    c.msg(6_000, N1, N4, &Message::GetSearchResults { key: file, kind: 0, tree: None, min: 0, max: 100 });
    let plain = [Tag::string(b"loc", b"bcp://84.11.12.13:4662")];
    c.msg(6_080, N4, N1, &Message::SearchResult { key: file, value: node_id(N5), tags: plain.to_vec() });
    let fw = format!("bcp://{}:83.8.9.10:19268", hex_of(&node_id(N4)));
    let fw_tags = vec![Tag::string(b"loc", fw.as_bytes())];
    c.msg(6_081, N4, N1, &Message::SearchResult { key: file, value: node_id(N4), tags: fw_tags });
    c.msg(6_082, N4, N1, &Message::NoResult { key: file, extra: None });
    c.msg(7_000, N1, N5, &Message::FirewallConnection { target: node_id(N5), tcp_port: 4662 });
    c.msg(7_090, N5, N1, &Message::FirewallConnectionAck(node_id(N5)));
    c.msg(8_000, N3, N4, &Message::Publish { key: kw, value: id(FILE), tags: keyword_tags() });
    c.msg(8_070, N4, N3, &Message::Published(kw));
    c.msg(9_000, N2, N1, &Message::PeerNotFound(peer(N3, 2)));
    // A keyword search with a filter: "ubuntu" AND Format = "iso".
    let tree = vec![Node::Operator(0), Node::String(b"ubuntu"), Node::Meta { value: b"iso", name: &[0x04] }];
    let q = Message::GetSearchResults { key: kw, kind: 1, tree: Some(tree), min: 0, max: 50 };
    c.msg(10_000, N4, N2, &q);
    c.msg(10_061, N2, N4, &Message::NoResult { key: kw, extra: None });
    c.msg(11_000, N5, N2, &Message::Publish { key: id(FILE), value: node_id(N5), tags: every_tag_type() });
    c.msg(11_052, N2, N5, &Message::Published(id(FILE)));
    c.pcap()
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

const SERVER: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(81, 169, 10, 5), 4665);
const CLIENT_A: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(10, 40, 0, 21), 4672);
const CLIENT_B: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(82, 77, 1, 2), 4672);
const CLIENT_A_SRV: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(10, 40, 0, 21), 4671);

fn hx(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(data).expect("writing to a Vec");
    z.finish().expect("writing to a Vec")
}

/// A Kad contact: id (four LE words), IP as a LE u32, UDP port, TCP port, version.
fn kad_contact(idb: u8, ip: Ipv4Addr, udp: u16, tcp: u16, version: u8) -> Vec<u8> {
    let mut v = id(idb).to_vec();
    v.extend_from_slice(&u32::from(ip).to_le_bytes());
    v.extend_from_slice(&udp.to_le_bytes());
    v.extend_from_slice(&tcp.to_le_bytes());
    v.push(version);
    v
}

const FAMILY_DESCRIPTION: &str = "\
The eDonkey family on its default UDP ports 4665 (server) and 4672 (eMule client), Ethernet, 12 frames.

| frame | what |
|------:|------|
| 1–2 | eDonkey server UDP (0xE3 0x96/0x97): status request with challenge 0x55aa1234, response with users and files |
| 3 | eDonkey server UDP Get Sources (0x9A) for file b0b1…bf |
| 4–5 | eMule extensions (0xC5): Reask File Ping, Reask Ack |
| 6–7 | Kad1 (0xE4) HELLO_REQ and HELLO_RES: ids as four little-endian words, IPs as little-endian u32 |
| 8 | Kad2 REQ (0xE4 0x21): wants 2 contacts near a target |
| 9 | Kad2 RES packed (0xE5): the zlib body is inflated into a derived data source holding 2 contacts |
| 10–11 | Kad2 PING / PONG |
| 12 | Overnet on 4672 (Connect): the same magic 0xE3 as eDonkey server UDP, an Overnet opcode |";

fn family() -> Vec<u8> {
    let mut c = Cap::new();
    c.raw(0, CLIENT_A_SRV, SERVER, &hx("e396 3412aa55"));
    c.raw(38, SERVER, CLIENT_A_SRV, &hx("e397 3412aa55 a0860100 80969800"));
    let mut gs = vec![0xe3, 0x9a];
    gs.extend_from_slice(&id(FILE));
    c.raw(1_000, CLIENT_A_SRV, SERVER, &gs);
    let mut ping = vec![0xc5, 0x90];
    ping.extend_from_slice(&id(FILE));
    c.raw(2_000, CLIENT_A, CLIENT_B, &ping);
    c.raw(2_051, CLIENT_B, CLIENT_A, &hx("c591 0300"));
    let ip_a = *CLIENT_A.ip();
    let ip_b = *CLIENT_B.ip();
    let mut hello = vec![0xe4, 0x10];
    hello.extend(kad_contact(0x61, ip_a, 4672, 4662, 0));
    c.raw(3_000, CLIENT_A, CLIENT_B, &hello);
    let mut res = vec![0xe4, 0x18];
    res.extend(kad_contact(0x62, ip_b, 4672, 4662, 0));
    c.raw(3_044, CLIENT_B, CLIENT_A, &res);
    let mut req = vec![0xe4, 0x21, 0x02];
    req.extend_from_slice(&id(FILE));
    req.extend_from_slice(&id(0x62));
    c.raw(4_000, CLIENT_A, CLIENT_B, &req);
    let mut body = id(FILE).to_vec();
    body.push(2);
    body.extend(kad_contact(0x63, Ipv4Addr::new(83, 1, 2, 3), 4672, 4662, 8));
    body.extend(kad_contact(0x64, Ipv4Addr::new(84, 4, 5, 6), 5672, 5662, 8));
    let mut packed = vec![0xe5, 0x29];
    packed.extend(zlib(&body));
    c.raw(4_060, CLIENT_B, CLIENT_A, &packed);
    c.raw(5_000, CLIENT_A, CLIENT_B, &[0xe4, 0x60]);
    c.raw(5_033, CLIENT_B, CLIENT_A, &hx("e461 4012"));
    let me = Peer { id: id(0x61), ip: ip_a, port: 4672, kind: 0 };
    c.msg(6_000, CLIENT_A, CLIENT_B, &Message::Connect(me));
    c.pcap()
}

const FINDINGS_DESCRIPTION: &str = "\
One Overnet finding per frame (Ethernet, 14 frames), each on its own port pair of 4665; the searcher \
10.40.0.31 (port 5001) and a broken client 10.40.0.32 (port 5002).

| frame | what | finding |
|------:|------|---------|
| 1 | Search of 5 bytes | bad_length |
| 2 | GetMyIP with a stray byte | trailing |
| 3 | SearchResult announcing 3 tags, holding 1 | tag_count_exceeds |
| 4 | Publish with a tag of type 0x0C | tag_unknown_type |
| 5 | SearchResult with mldonkey's nameless UINT8 tag | tag_nameless |
| 6–7 | Search, then KadC's corrupted SearchReply (count at offset 2, hash cut to 15 bytes) | search_reply_corrupted |
| 8 | ConnectReply whose last peer is not the responder | last_peer_not_responder |
| 9 | Connect announcing 0.0.0.0:0 | peer_implausible |
| 10 | opcode 0x17 | unknown_opcode |
| 11 | GetSearchResults type 7 | search_type_unknown |
| 12 | GetSearchResults type 1 with a search tree whose node type 0x09 is unknown | tree_malformed |
| 13 | SearchResult whose loc is bcp://somewhere | loc_malformed |
| 14 | Kad packed (0xE5) whose body is not zlib | inflate_failed |";

fn findings() -> Vec<u8> {
    let s = |p: u16| SocketAddrV4::new(Ipv4Addr::new(10, 40, 0, 31), p);
    let srv = |p: u16| SocketAddrV4::new(Ipv4Addr::new(81, 2, 3, 4), p);
    let broken = SocketAddrV4::new(Ipv4Addr::new(10, 40, 0, 32), 5002);
    let mut c = Cap::new();
    let kw = id(KEYWORD);
    c.raw(0, s(5001), srv(4665), &hx("e30e02a0a1"));
    c.raw(1_000, s(5001), srv(4665), &hx("e31b361200ff"));
    let mut b = Message::SearchResult { key: kw, value: id(FILE), tags: vec![Tag::u32(&[0x02], 7)] }.to_vec();
    b[34] = 3;
    c.raw(2_000, srv(4665), s(5001), &b);
    let mut b = Message::Publish { key: kw, value: id(FILE), tags: vec![] }.to_vec();
    b[34] = 1;
    b.extend(hx("0c 0100 01 aabb"));
    c.raw(3_000, s(5001), srv(4665), &b);
    let mut b = Message::SearchResult { key: kw, value: id(FILE), tags: vec![] }.to_vec();
    b[34] = 2;
    b.extend(hx("0907 020100010300616263"));
    c.raw(4_000, srv(4665), s(5001), &b);
    c.msg(5_000, s(5001), SocketAddrV4::new(*broken.ip(), 4665), &Message::Search { param: 2, target: kw });
    let mut b = vec![0xe3, 0x0f, 1];
    b.extend_from_slice(&kw[..15]);
    b.push(1);
    peer(N3, 2).emit(&mut b);
    c.raw(5_080, SocketAddrV4::new(*broken.ip(), 4665), s(5001), &b);
    let n = |a: SocketAddrV4| peer(a, 2);
    c.msg(6_000, srv(4665), s(5003), &Message::ConnectReply(vec![n(N3), n(N4)]));
    let nowhere = Peer { id: id(9), ip: Ipv4Addr::UNSPECIFIED, port: 0, kind: 0 };
    c.msg(7_000, s(5004), srv(4665), &Message::Connect(nowhere));
    c.raw(8_000, s(5005), srv(4665), &hx("e317 0102"));
    c.msg(9_000, s(5006), srv(4665), &Message::GetSearchResults { key: kw, kind: 7, tree: None, min: 0, max: 100 });
    let mut b = vec![0xe3, 0x10];
    b.extend_from_slice(&kw);
    b.extend(hx("01 0000 01 0100 61 09"));
    c.raw(10_000, s(5007), srv(4665), &b);
    let loc = vec![Tag::string(b"loc", b"bcp://somewhere")];
    c.msg(11_000, srv(4665), s(5008), &Message::SearchResult { key: id(FILE), value: id(5), tags: loc });
    c.raw(12_000, s(5009), SocketAddrV4::new(*srv(0).ip(), 4672), &hx("e510 0102030405"));
    c.pcap()
}

pub fn samples() -> Vec<Sample> {
    vec![
        Sample { name: "overnet-swarm.pcap", description: SWARM_DESCRIPTION, bytes: swarm() },
        Sample { name: "overnet-family.pcap", description: FAMILY_DESCRIPTION, bytes: family() },
        Sample { name: "overnet-findings.pcap", description: FINDINGS_DESCRIPTION, bytes: findings() },
    ]
}

/// Node `n` of a 4 096-node swarm: a public-looking address and a random port (2000..22000,
/// mldonkey's range) derived from `n`.
fn bench_node(n: u64) -> (SocketAddrV4, Md4) {
    let h = mix(n ^ 0x006f_766e_6574);
    let ip = Ipv4Addr::new(80 + (h % 8) as u8, (h >> 8) as u8, (h >> 16) as u8, 1 + (h >> 24) as u8 % 250);
    let port = 2_000 + ((h >> 32) % 20_000) as u16;
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&h.to_le_bytes());
    id[8..].copy_from_slice(&mix(h).to_le_bytes());
    (SocketAddrV4::new(ip, port), id)
}

/// Round `index` of Overnet swarm traffic, starting `index` × 50 ms after 2026-03-02 08:00 UTC:
/// a Connect/ConnectReply, a search over three hops with its SearchReplies, a GetSearchResults
/// answered by 1–3 SearchResults and a NoResult, and a Publicize/Publicized — 14 to 16
/// datagrams in time order, all between random-port nodes. The same index always gives the
/// same datagrams.
pub fn bench_round(index: u64) -> Vec<Datagram> {
    let h = mix(index);
    let node = |k: u64| bench_node(mix(h ^ k) % 4_096);
    let t0 = T0 * 1_000_000_000 + index as i64 * 50_000_000;
    let mut out: Vec<Datagram> = Vec::with_capacity(16);
    let mut t = t0;
    let mut push = |dt: i64, src: SocketAddrV4, dst: SocketAddrV4, m: &Message| {
        t += dt;
        out.push((t, SocketAddr::V4(src), SocketAddr::V4(dst), m.to_vec()));
    };
    let me = node(0);
    let p = |n: (SocketAddrV4, Md4), kind: u8| Peer { id: n.1, ip: *n.0.ip(), port: n.0.port(), kind };
    let hops = [node(1), node(2), node(3)];
    let boot = node(4);
    let list: Vec<Peer> = (5..9).map(|k| p(node(k), (k % 4) as u8)).chain([p(boot, 0)]).collect();
    push(0, me.0, boot.0, &Message::Connect(p(me, 0)));
    push(900_000, boot.0, me.0, &Message::ConnectReply(list));
    let mut target = [0u8; 16];
    target[..8].copy_from_slice(&mix(h ^ 0x7461).to_le_bytes());
    for (i, hop) in hops.iter().enumerate() {
        push(1_000_000, me.0, hop.0, &Message::Search { param: 2, target });
        let next: Vec<Peer> = hops.get(i + 1).map(|n| vec![p(*n, 2), p(node(10 + i as u64), 3)]).unwrap_or_default();
        push(1_500_000, hop.0, me.0, &Message::SearchReply { target, peers: next });
    }
    let last = hops[2];
    push(500_000, me.0, last.0, &Message::GetSearchResults { key: target, kind: 0, tree: None, min: 0, max: 100 });
    let name = format!("file-{:08x}.avi", h as u32);
    for r in 0..1 + h % 3 {
        let mut value = target;
        value[15] = r as u8;
        let tags = vec![
            Tag::string(&[0x01], name.as_bytes()),
            Tag::u32(&[0x02], (h >> 8) as u32 % 700_000_000),
            Tag::string(&[0x03], b"Video"),
            Tag::string(&[0x04], b"avi"),
        ];
        push(300_000, last.0, me.0, &Message::SearchResult { key: target, value, tags });
    }
    push(200_000, last.0, me.0, &Message::NoResult { key: target, extra: None });
    let pub_to = node(20);
    push(2_000_000, me.0, pub_to.0, &Message::Publicize(p(me, 0)));
    push(700_000, pub_to.0, me.0, &Message::Publicized);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use udpdissect_overnet::wire::well_formed;

    #[test]
    fn bench_rounds_are_well_formed_overnet_in_time_order() {
        for index in [0u64, 1, 2, 999_999] {
            let round = bench_round(index);
            assert!((14..=16).contains(&round.len()), "{} datagrams", round.len());
            assert_eq!(round, bench_round(index));
            for pair in round.windows(2) {
                assert!(pair[0].0 < pair[1].0);
            }
            assert!(round.last().unwrap().0 - round[0].0 < 50_000_000, "a round fits its 50 ms");
            for (_, src, dst, payload) in &round {
                assert!(well_formed(payload), "{payload:02x?}");
                assert!(![4665, 4672].contains(&src.port()) && src != dst);
            }
        }
    }
}
