//! Overnet recognition, flows and findings, driven through the engine as the CLI drives it.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};

use udpdissect_core::testing::Outcome as Out;
use udpdissect_core::{Cell, Engine, Packet, Value};
use udpdissect_overnet::tags::Tag;
use udpdissect_overnet::wire::{Message, Peer};
use udpdissect_overnet::Overnet;

const A: &str = "10.0.0.1:12970";
const B: &str = "10.0.0.2:6982";
const C: &str = "10.0.0.3:10168";
const T: [u8; 16] = [0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf];
const ID: [u8; 16] = [0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f];

struct Run {
    engine: Engine,
    frame: u64,
}

fn peer(addr: &str, id: u8) -> Peer {
    let a: SocketAddr = addr.parse().unwrap();
    let SocketAddr::V4(a) = a else { panic!() };
    Peer { id: [id; 16], ip: *a.ip(), port: a.port(), kind: 0 }
}

impl Run {
    fn new() -> Run {
        Run { engine: Engine::new(vec![Box::new(Overnet::new())]), frame: 0 }
    }

    fn send_cut(&mut self, src: &str, dst: &str, payload: &[u8], wire_len: usize) -> Out {
        self.frame += 1;
        let mut pkt =
            Packet::new(self.frame, self.frame as i64 * 1_000_000, src.parse().unwrap(), dst.parse().unwrap(), payload);
        pkt.wire_len = wire_len;
        Out::of(&mut self.engine, &pkt)
    }

    fn send(&mut self, src: &str, dst: &str, payload: &[u8]) -> Out {
        self.send_cut(src, dst, payload, payload.len())
    }

    fn msg(&mut self, src: &str, dst: &str, m: &Message) -> Out {
        self.send(src, dst, &m.to_vec())
    }
}

use udpdissect_core::testing::hex;

#[test]
fn overnet_on_random_ports_is_recognised_by_content() {
    let mut r = Run::new();
    let o = r.msg(A, B, &Message::Connect(peer(A, 1)));
    assert_eq!(o.protocol, "Overnet");
    assert_eq!(o.info, "Connect id=01010101… 10.0.0.1:12970");
    assert_eq!(o.field("overnet.peer.port"), Some(Value::Unsigned(12970)));
    assert_eq!(o.field("overnet.peer.ip"), Some(Value::Ip("10.0.0.1".parse().unwrap())));
    // A 2-byte Publicized on another 5-tuple of a known endpoint: flow memory.
    let o = r.send(C, A, &[0xe3, 0x0d]);
    assert_eq!((o.protocol.as_str(), o.info.as_str()), ("Overnet", "Publicized"));
    // The same 2 bytes between strangers are not claimed.
    let o = r.send("192.0.2.1:1111", "192.0.2.2:2222", &[0xe3, 0x0d]);
    assert_eq!(o.protocol, "UDP");
    // Kad on a random port is left alone; on 4672 it is named.
    let kad = hex("e410 101112131415161718191a1b1c1d1e1f 0a01a8c0 4012 3612 00");
    assert_eq!(r.send("192.0.2.1:1111", "192.0.2.2:2223", &kad).protocol, "UDP");
    let o = r.send("192.0.2.1:1111", "192.0.2.2:4672", &kad);
    assert_eq!((o.protocol.as_str(), o.info.as_str()), ("Kad", "KADEMLIA_HELLO_REQ 192.168.1.10:4672"));
    // Kad's reversed byte orders (§A.8, tshark's rendering).
    assert_eq!(o.field("overnet.kad.id"), Some(Value::String("13121110171615141B1A19181F1E1D1C".into())));
    assert_eq!(o.field("overnet.kad.ip"), Some(Value::Ip("192.168.1.10".parse().unwrap())));
    assert_eq!(o.field("overnet.kad.tcp_port"), Some(Value::Unsigned(4662)));
}

#[test]
fn the_family_is_named() {
    let mut r = Run::new();
    let o = r.send("192.0.2.1:5000", "192.0.2.9:4665", &hex("e396 78563412"));
    assert_eq!((o.protocol.as_str(), o.info.as_str()), ("eDonkey", "Server Status Request challenge=0x12345678"));
    let o = r.send("192.0.2.9:4665", "192.0.2.1:5000", &hex("e397 78563412 10270000 40420f00"));
    assert_eq!(o.info, "Server Status Response users=10000 files=1000000");
    let o = r.send("192.0.2.1:4672", "192.0.2.3:4672", &hex(&format!("c590 {}", "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")));
    assert_eq!((o.protocol.as_str(), o.info.as_str()), ("eMule", "Reask File Ping a0a1a2a3…"));
    // 0xE5: the zlib body is inflated into its own data source and decoded there.
    let body = hex("101112131415161718191a1b1c1d1e1f 0a01a8c0 4012 3612 00");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&body).unwrap();
    let mut p = vec![0xe5, 0x18];
    p.extend(z.finish().unwrap());
    let o = r.send("192.0.2.1:4672", "192.0.2.4:4672", &p);
    assert_eq!(o.info, "KADEMLIA_HELLO_RES 192.168.1.10:4672");
    assert_eq!(o.field("overnet.kad.inflated_len"), Some(Value::Unsigned(25)));
    assert_eq!(o.d.sources()[0].name, "Inflated Kad");
    let id = o.d.values("overnet.kad.id").next().unwrap();
    assert_eq!((id.source, id.offset, id.len), (1, 0, 16));
}

#[test]
fn a_search_is_followed_hop_by_hop_to_its_end() {
    let mut r = Run::new();
    // 1: A asks B; 2: B names C; 3: A asks C (hop 2, learned in frame 2).
    let s1 = r.msg(A, B, &Message::Search { param: 2, target: T });
    assert_eq!(s1.info, "Search target=a0a1a2a3… want 2");
    assert_eq!(s1.field("overnet.search.hop"), Some(Value::Unsigned(1)));
    let rep = r.msg(B, A, &Message::SearchReply { target: T, peers: vec![peer(C, 3)] });
    assert_eq!(rep.field("overnet.response_to"), Some(Value::Frame(1)));
    assert_eq!(rep.field("overnet.peers_new"), Some(Value::Unsigned(1)));
    let s2 = r.msg(A, C, &Message::Search { param: 2, target: T });
    assert_eq!(s2.field("overnet.search.id"), s1.field("overnet.search.id"));
    assert_eq!(s2.field("overnet.search.hop"), Some(Value::Unsigned(2)));
    assert_eq!(s2.field("overnet.search.via"), Some(Value::Frame(2)));
    // 4: C has nothing closer; 5: A asks C for results; 6–7: two results; 8: the end.
    r.msg(C, A, &Message::SearchReply { target: T, peers: vec![] });
    let g = r.msg(A, C, &Message::GetSearchResults { key: T, kind: 0, tree: None, min: 0, max: 100 });
    assert_eq!(g.info, "GetSearchResults key=a0a1a2a3… type 0 [0, 100]");
    let loc = format!("bcp://{}:10.0.0.3:10168", "03".repeat(16));
    let tags = [Tag::string(b"loc", loc.as_bytes())];
    let r1 = r.msg(C, A, &Message::SearchResult { key: T, value: [3; 16], tags: tags.to_vec() });
    assert_eq!(r1.field("overnet.response_to"), Some(Value::Frame(5)));
    assert_eq!(r1.field("overnet.search.result_no"), Some(Value::Unsigned(1)));
    assert_eq!(r1.field("overnet.loc.ip"), Some(Value::Ip("10.0.0.3".parse().unwrap())));
    assert_eq!(r1.field("overnet.loc.port"), Some(Value::Unsigned(10168)));
    assert_eq!(r1.field("overnet.loc.firewalled"), Some(Value::Bool(true)));
    let plain = [Tag::string(b"loc", b"bcp://10.0.0.7:4662")];
    let r2 = r.msg(C, A, &Message::SearchResult { key: T, value: [7; 16], tags: plain.to_vec() });
    assert_eq!(r2.field("overnet.search.result_no"), Some(Value::Unsigned(2)));
    assert_eq!(r2.field("overnet.loc.firewalled"), Some(Value::Bool(false)));
    assert!(r2.info.ends_with("1 tag loc=bcp://10.0.0.7:4662"), "{}", r2.info);
    let end = r.msg(C, A, &Message::NoResult { key: T, extra: Some((2650, 2650)) });
    assert_eq!(end.field("overnet.response_to"), Some(Value::Frame(5)));
    assert_eq!(end.field("overnet.end.unknown1"), Some(Value::Unsigned(2650)));
    assert!(end.tags.is_empty(), "{:?}", end.messages);

    let tables = r.engine.tables();
    let searches = tables.iter().find(|t| t.name == "overnet.searches").unwrap();
    assert_eq!(searches.rows.len(), 1);
    let row = &searches.rows[0];
    let col = |name: &str| row[searches.columns.iter().position(|c| *c == name).unwrap()].clone();
    assert_eq!(col("searches"), Cell::UInt(2));
    assert_eq!(col("replies"), Cell::UInt(2));
    assert_eq!(col("max hop"), Cell::UInt(2));
    assert_eq!(col("results"), Cell::UInt(2));
    assert_eq!(col("closed in"), Cell::Frame(8));
    let peers = tables.iter().find(|t| t.name == "overnet.peers").unwrap();
    assert_eq!(peers.rows[0][0], Cell::socket(A.parse().unwrap()));
    assert_eq!(peers.rows[0][2], Cell::socket(C.parse().unwrap()));
    assert_eq!(peers.rows[0][3], Cell::socket(B.parse().unwrap()));
    assert_eq!(peers.rows[0][4], Cell::Name("SearchReply"));
}

#[test]
fn bad_length() {
    let mut r = Run::new();
    let o = r.send("192.0.2.1:5000", "192.0.2.2:4665", &hex("e30e02a0a1"));
    assert!(o.has("overnet.bad_length"), "{:?}", o.tags);
    assert!(o.messages[0].contains("needs 19 bytes but the datagram has 5"), "{}", o.messages[0]);
    assert!(o.field("overnet.undecoded").is_some());
    // ConnectReply announcing 3 peers with room for 1.
    let mut b = Message::ConnectReply(vec![peer(B, 2)]).to_vec();
    b[2] = 3;
    let o = r.send(B, "192.0.2.2:4665", &b);
    assert!(o.has("overnet.bad_length"));
    assert_eq!(o.all("overnet.peer.id").len(), 1);
    // The capture's cut is not the sender's fault.
    let o = r.send_cut("192.0.2.1:5000", "192.0.2.2:4665", &hex("e30e02a0a1"), 19);
    assert_eq!(o.tags, ["overnet.cut_short"]);
}

#[test]
fn trailing_bytes() {
    let mut r = Run::new();
    let o = r.send("192.0.2.1:5000", "192.0.2.2:4665", &hex("e31b361200ff"));
    assert_eq!(o.tags, ["overnet.trailing"]);
    assert_eq!(o.field("overnet.tcp_port"), Some(Value::Unsigned(4662)));
    assert_eq!(o.info, "GetMyIP tcp port 4662");
}

#[test]
fn tag_count_exceeds_what_is_present() {
    let mut r = Run::new();
    let mut b = Message::SearchResult { key: T, value: ID, tags: vec![Tag::u32(&[2], 7)] }.to_vec();
    b[34] = 3;
    let o = r.send("192.0.2.1:5000", "192.0.2.2:4665", &b);
    assert_eq!(o.tags, ["overnet.tag_count_exceeds"]);
    assert!(o.messages[0].contains("announces 3 tags but the datagram holds 1"));
    assert_eq!(o.field("overnet.tag.uint"), Some(Value::Unsigned(7)));
}

#[test]
fn tag_of_unknown_type() {
    let mut r = Run::new();
    let mut b = Message::Publish { key: T, value: ID, tags: vec![] }.to_vec();
    b[34] = 1;
    b.extend(hex("0c 0100 01 aabb"));
    let o = r.send("192.0.2.1:5000", "192.0.2.2:4665", &b);
    assert_eq!(o.tags, ["overnet.tag_unknown_type"]);
    assert!(o.messages[0].contains("unknown type 0x0c"));
}

#[test]
fn mldonkey_nameless_tag() {
    let mut r = Run::new();
    let mut b = Message::SearchResult { key: T, value: ID, tags: vec![] }.to_vec();
    b[34] = 2;
    b.extend(hex("0907 020100010300616263"));
    let o = r.send("192.0.2.1:5000", "192.0.2.2:4665", &b);
    assert_eq!(o.tags, ["overnet.tag_nameless"]);
    assert_eq!(o.all("overnet.tag.uint"), [Value::Unsigned(7)]);
    assert_eq!(o.field("overnet.tag.string"), Some(Value::String("abc".into())));
}

#[test]
fn corrupted_search_reply() {
    let mut r = Run::new();
    r.msg(A, B, &Message::Search { param: 2, target: T });
    // KadC broken_clients: count at 2, hash cut to 15 bytes at 3, count again at 18.
    let mut b = vec![0xe3, 0x0f, 1];
    b.extend_from_slice(&T[..15]);
    b.push(1);
    peer(C, 3).emit(&mut b);
    let o = r.send(B, A, &b);
    assert_eq!(o.tags, ["overnet.search_reply_corrupted"]);
    assert!(o.messages[0].contains("match the Search it answers"));
    assert_eq!(o.field("overnet.response_to"), Some(Value::Frame(1)));
    assert_eq!(o.all("overnet.peer.port"), [Value::Unsigned(10168)]);
    // A well-formed reply to the same search is not flagged.
    let o = r.msg(B, A, &Message::SearchReply { target: T, peers: vec![peer(C, 3)] });
    assert!(o.tags.is_empty());
    // Without the Search, the same bytes read as a sound reply for target 01a0a1…: a sound
    // hash may start with its peer count.
    let o = r.send(C, "10.0.0.9:5555", &b);
    assert!(o.tags.is_empty(), "{:?}", o.messages);
    assert_eq!(o.info, "SearchReply target=01a0a1a2… 1 peer");
}

#[test]
fn connect_reply_whose_last_peer_is_not_the_responder() {
    let mut r = Run::new();
    let ok = r.msg(B, A, &Message::ConnectReply(vec![peer(C, 3), peer(B, 2)]));
    assert!(ok.tags.is_empty());
    let o = r.msg(B, A, &Message::ConnectReply(vec![peer(B, 2), peer(C, 3)]));
    assert_eq!(o.tags, ["overnet.last_peer_not_responder"]);
    assert!(o.messages[0].contains("the last peer is 10.0.0.3:10168, not the responder 10.0.0.2:6982"));
    // Same port, other address: NAT.
    let o = r.msg(B, A, &Message::ConnectReply(vec![peer("81.2.3.4:6982", 2)]));
    assert!(o.messages[0].contains("behind NAT"));
}

#[test]
fn implausible_peer_unknown_opcode_and_search_type() {
    let mut r = Run::new();
    let o = r.msg("192.0.2.1:4665", B, &Message::Connect(peer("0.0.0.0:0", 1)));
    assert_eq!(o.tags, ["overnet.peer_implausible"]);
    let o = r.send("192.0.2.1:4665", B, &hex("e317 0102"));
    assert_eq!(o.tags, ["overnet.unknown_opcode"]);
    assert_eq!(o.info, "Unknown (0x17)");
    let o = r.send("192.0.2.1:4665", B, &hex("e310 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf 07 0000 6400"));
    assert_eq!(o.tags, ["overnet.search_type_unknown"]);
    assert_eq!(o.field("overnet.search.max"), Some(Value::Unsigned(100)));
}

#[test]
fn search_tree_decoded_and_malformed() {
    let mut r = Run::new();
    let good =
        hex("e310 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf 01 0000 01 0600 7562756e7475 02 0300 69736f 0100 04 0000 6400");
    let o = r.send("192.0.2.1:5000", "192.0.2.2:4665", &good);
    assert!(o.tags.is_empty(), "{:?}", o.messages);
    assert_eq!(o.field("overnet.tree.op"), Some(Value::Enum { value: 0, name: Some("AND") }));
    assert_eq!(o.all("overnet.tree.string"), [Value::String("ubuntu".into()), Value::String("iso".into())]);
    assert_eq!(o.field("overnet.tree.special"), Some(Value::Enum { value: 4, name: Some("Format") }));
    let ops = o.d.values("overnet.tree.op").next().unwrap().depth;
    assert!(o.d.values("overnet.tree.string").all(|f| f.depth == ops + 1));
    let bad = hex("e310 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf 01 0000 01 0100 61 09");
    let o = r.send("192.0.2.1:5000", "192.0.2.2:4665", &bad);
    assert_eq!(o.tags, ["overnet.tree_malformed"]);
    assert!(o.messages[0].contains("unknown node type 0x09"));
}

#[test]
fn malformed_loc() {
    let mut r = Run::new();
    let tags = vec![Tag::string(b"loc", b"bcp://somewhere")];
    let o = r.msg("192.0.2.1:5000", "192.0.2.2:4665", &Message::SearchResult { key: T, value: ID, tags });
    assert_eq!(o.tags, ["overnet.loc_malformed"]);
}

#[test]
fn packed_kad_that_does_not_inflate_or_inflates_too_much() {
    let mut r = Run::new();
    let o = r.send("192.0.2.1:4672", "192.0.2.2:4672", &hex("e510 0102030405"));
    assert_eq!(o.tags, ["overnet.inflate_failed"]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![0u8; 200_000]).unwrap();
    let mut p = vec![0xe5, 0x3b];
    p.extend(z.finish().unwrap());
    let o = r.send("192.0.2.1:4672", "192.0.2.2:4672", &p);
    assert_eq!(o.tags, ["overnet.inflate_limit"]);
    assert_eq!(o.field("overnet.kad.inflated_len"), Some(Value::Unsigned(65_536)));
}

#[test]
fn state_tables_are_bounded_with_one_note() {
    let mut r = Run::new();
    let mut notes = 0;
    for batch in 0..25u32 {
        let peers: Vec<Peer> = (0..2800u32)
            .map(|i| {
                let n = batch * 2800 + i;
                let mut id = [0u8; 16];
                id[..4].copy_from_slice(&n.to_le_bytes());
                Peer { id, ip: Ipv4Addr::from(0x0a00_0000 + n + 1), port: 4000, kind: 0 }
            })
            .chain(std::iter::once(peer(B, 2)))
            .collect();
        let o = r.msg(B, A, &Message::ConnectReply(peers));
        notes += o.tags.iter().filter(|t| **t == "overnet.state_full").count();
    }
    assert_eq!(notes, 1);
    let tables = r.engine.tables();
    let peers = tables.iter().find(|t| t.name == "overnet.peers").unwrap();
    assert_eq!(peers.rows.len(), 16_384);
    assert!(peers.omitted > 0);
}

#[test]
fn exchanges_are_paired_and_peer_not_found_is_recorded() {
    use udpdissect_overnet::wire::Contact;
    let mut r = Run::new();
    r.msg(A, B, &Message::Connect(peer(A, 1)));
    let rep = r.msg(B, A, &Message::ConnectReply(vec![peer(C, 3), peer(B, 2)]));
    assert_eq!(rep.field("overnet.response_to"), Some(Value::Frame(1)));
    assert_eq!(rep.field("overnet.peers_new"), Some(Value::Unsigned(2)));
    r.msg(A, B, &Message::GetMyIp { tcp_port: 4662 });
    r.msg(B, A, &Message::Identify);
    let ir = r.msg(A, B, &Message::IdentifyReply(Contact { id: [1; 16], ip: Ipv4Addr::new(10, 0, 0, 1), port: 12970 }));
    assert_eq!(ir.field("overnet.response_to"), Some(Value::Frame(4)));
    assert_eq!(ir.field("overnet.peer.kind"), None, "a 22-byte contact has no kind");
    let ack = r.msg(B, A, &Message::IdentifyAck { tcp_port: 4662 });
    assert_eq!(ack.field("overnet.response_to"), Some(Value::Frame(5)));
    let res = r.msg(B, A, &Message::GetMyIpResult(Ipv4Addr::new(198, 51, 100, 1)));
    assert_eq!(res.field("overnet.response_to"), Some(Value::Frame(3)));
    assert_eq!(res.field("overnet.ip"), Some(Value::Ip("198.51.100.1".parse().unwrap())));
    let done = r.msg(B, A, &Message::GetMyIpDone);
    assert_eq!((done.info.as_str(), done.field("overnet.response_to")), ("GetMyIPDone", Some(Value::Frame(3))));
    r.msg(A, C, &Message::FirewallConnection { target: [3; 16], tcp_port: 4662 });
    let nack = r.msg(C, A, &Message::FirewallConnectionNack([3; 16]));
    assert_eq!(nack.field("overnet.response_to"), Some(Value::Frame(9)));
    r.msg(A, C, &Message::Publish { key: T, value: ID, tags: vec![Tag::u32(&[2], 1)] });
    let pubd = r.msg(C, A, &Message::Published(T));
    assert_eq!(pubd.field("overnet.response_to"), Some(Value::Frame(11)));
    // A Published for another key answers nothing.
    assert_eq!(r.msg(C, A, &Message::Published(ID)).field("overnet.response_to"), None);
    r.msg(B, A, &Message::PeerNotFound(peer(C, 3)));
    let tables = r.engine.tables();
    let peers = tables.iter().find(|t| t.name == "overnet.peers").unwrap();
    let gone = peers.columns.iter().position(|c| *c == "not found in").unwrap();
    let c_row = peers.rows.iter().find(|row| row[2] == Cell::socket(C.parse().unwrap())).unwrap();
    assert_eq!(c_row[gone], Cell::Frame(14));
}

#[test]
fn the_swarm_is_followed_only_where_something_reads_it() {
    // A search and its corrupted reply: (findings, columns) → the reply's peer ports, its
    // pairing, its findings, and the peers and searches the tables would show.
    let run = |findings: bool, keys: &[&str]| {
        let mut engine = Engine::new(vec![Box::new(Overnet::new())]);
        let fields = engine.protocols().next().unwrap().fields;
        let mut d = udpdissect_core::Dissection::new(true);
        d.set_wants_findings(findings);
        d.set_interest(Some(fields.iter().copied().filter(|f| keys.contains(&f.key)).collect()));
        let search = Message::Search { param: 2, target: T }.to_vec();
        engine.dissect(&Packet::new(1, 1_000_000, A.parse().unwrap(), B.parse().unwrap(), &search), &mut d);
        let mut reply = vec![0xe3, 0x0f, 1];
        reply.extend_from_slice(&T[..15]);
        reply.push(1);
        peer(C, 3).emit(&mut reply);
        d.clear();
        engine.dissect(&Packet::new(2, 2_000_000, B.parse().unwrap(), A.parse().unwrap(), &reply), &mut d);
        let ports: Vec<Value> = d.values("overnet.peer.port").map(|f| f.value.clone()).collect();
        let paired = d.values("overnet.response_to").next().map(|f| f.value.clone());
        let rows: Vec<usize> = engine.tables().iter().map(|t| t.rows.len()).collect();
        (ports, paired, d.experts().len(), rows)
    };
    let port = vec![Value::Unsigned(10168)];
    assert_eq!(run(true, &["overnet.peer.port"]), (port.clone(), None, 1, vec![1, 1]));
    // `-T fields -e overnet.peer.port`: the reply still decodes against the Search it answers,
    // but nothing is paired or followed.
    assert_eq!(run(false, &["overnet.peer.port"]), (port, None, 1, vec![0, 0]));
    assert_eq!(run(false, &["overnet.response_to"]), (vec![], Some(Value::Frame(1)), 1, vec![1, 1]));
}

/// Every name the Protocol column shows for the family's datagrams is one the protocol
/// declares (`column`, `columns`): a filter that names one is pointed at `overnet`.
#[test]
fn every_protocol_column_name_is_declared() {
    let declared: Vec<&str> = udpdissect_overnet::PROTOCOL.shown().collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut run = Run::new();
    for magic in 0..=255u8 {
        for op in 0..=255u8 {
            let mut payload = vec![magic, op];
            payload.extend_from_slice(&[0u8; 30]);
            // To the eMule UDP port, where every family member is taken.
            let out = run.send_cut(A, "10.0.0.2:4672", &payload, payload.len());
            if out.protocol != "UDP" {
                seen.insert(out.protocol.clone());
            }
        }
    }
    assert!(seen.iter().all(|p| declared.contains(&p.as_str())), "{seen:?} against {declared:?}");
    assert_eq!(seen.len(), declared.len(), "each declared name shows: {seen:?}");
}
