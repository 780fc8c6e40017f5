use super::*;
use crate::tags::{Loc, TagName, TagValue};
use proptest::prelude::*;

use udpdissect_core::testing::hex;

const H1: &str = "101112131415161718191a1b1c1d1e1f";
const H2: &str = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf";

fn h(s: &str) -> Md4 {
    hex(s).try_into().unwrap()
}

fn round_trip(bytes: &[u8]) -> Message<'_> {
    let m = Message::parse(bytes).unwrap();
    assert_eq!(m.to_vec(), bytes, "emit(parse(x)) == x for {m:?}");
    assert!(well_formed(bytes), "well_formed({bytes:02x?})");
    m
}

/// The oracle payloads of overnet.md §A.9, frames 1–19.
#[test]
fn reference_vectors() {
    let connect = hex(&format!("e30a{H1}c0a8010a361200"));
    let me = Peer { id: h(H1), ip: Ipv4Addr::new(192, 168, 1, 10), port: 4662, kind: 0 };
    assert_eq!(round_trip(&connect), Message::Connect(me));

    let reply = hex(&format!("e30b0200{H2}0a0000018813 03{H1}c0a8010a361200"));
    let other = Peer { id: h(H2), ip: Ipv4Addr::new(10, 0, 0, 1), port: 5000, kind: 3 };
    assert_eq!(round_trip(&reply), Message::ConnectReply(vec![other, me]));

    assert_eq!(round_trip(&hex("e30d")), Message::Publicized);
    assert_eq!(round_trip(&hex(&format!("e30e02{H2}"))), Message::Search { param: 2, target: h(H2) });

    let sr = hex(&format!("e30f{H2}01{H1}0a0000027017 01"));
    let p = Peer { id: h(H1), ip: Ipv4Addr::new(10, 0, 0, 2), port: 6000, kind: 1 };
    assert_eq!(round_trip(&sr), Message::SearchReply { target: h(H2), peers: vec![p] });

    let gsr = hex(&format!("e310{H2}0000006400"));
    assert_eq!(round_trip(&gsr), Message::GetSearchResults { key: h(H2), kind: 0, tree: None, min: 0, max: 100 });

    let result = hex(&format!(
        "e311{H2}{H1}05000000 020100010a00{} 03010002 15cd5b07 020300{} 1300{} 891507 9303{}",
        hexs("ubuntu.iso"),
        hexs("loc"),
        hexs("bcp://10.1.2.3:4662"),
        hexs("abc")
    ));
    let Message::SearchResult { key, value, tags } = round_trip(&result) else { panic!() };
    assert_eq!((key, value, tags.len()), (h(H2), h(H1), 5));
    assert_eq!(tags[0].name.special(), Some(0x01));
    assert_eq!(tags[0].value, TagValue::String(b"ubuntu.iso"));
    assert_eq!(tags[1].value, TagValue::U32(123_456_789));
    assert!(tags[2].name.is(b"loc"));
    assert_eq!((tags[3].name, tags[3].value), (TagName::Id(0x15), TagValue::U8(7)));
    assert_eq!((tags[4].ty, tags[4].name, tags[4].value), (0x93, TagName::Id(0x03), TagValue::String(b"abc")));

    let fw = hex(&format!("e318{H1}3612"));
    assert_eq!(round_trip(&fw), Message::FirewallConnection { target: h(H1), tcp_port: 4662 });
    assert_eq!(round_trip(&hex("e31b3612")), Message::GetMyIp { tcp_port: 4662 });
    assert_eq!(round_trip(&hex("e31c51020304")), Message::GetMyIpResult(Ipv4Addr::new(81, 2, 3, 4)));
    let pnf = hex(&format!("e321{H2}0a000003581b02"));
    let gone = Peer { id: h(H2), ip: Ipv4Addr::new(10, 0, 0, 3), port: 7000, kind: 2 };
    assert_eq!(round_trip(&pnf), Message::PeerNotFound(gone));
    let ir = hex(&format!("e315{H1}0a0000043612"));
    let c = Contact { id: h(H1), ip: Ipv4Addr::new(10, 0, 0, 4), port: 4662 };
    assert_eq!(round_trip(&ir), Message::IdentifyReply(c));
    // §A.9 extra checks: Identify ACK carries the TCP port.
    assert_eq!(round_trip(&hex("e3163612")), Message::IdentifyAck { tcp_port: 4662 });
}

fn hexs(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn no_result_with_and_without_extra_bytes() {
    let short = hex(&format!("e312{H2}"));
    assert_eq!(round_trip(&short), Message::NoResult { key: h(H2), extra: None });
    let long = hex(&format!("e312{H2}5a0a5a0a"));
    assert_eq!(round_trip(&long), Message::NoResult { key: h(H2), extra: Some((2650, 2650)) });
    assert_eq!(Message::parse(&hex(&format!("e312{H2}5a"))), Err(WireError::Trailing(18)));
}

#[test]
fn lengths_that_do_not_fit_are_errors() {
    assert_eq!(Message::parse(&hex("e30e02a0a1")), Err(WireError::Malformed(5)));
    assert_eq!(Message::parse(&hex("e31b361200")), Err(WireError::Trailing(4)));
    // ConnectReply announcing 2 peers with room for 1.
    let r = hex(&format!("e30b0200{H2}0a0000018813 03"));
    assert_eq!(Message::parse(&r), Err(WireError::Malformed(27)));
    assert!(!well_formed(&r));
    assert_eq!(Message::parse(&hex("e40a")), Err(WireError::NotOvernet));
    // 2-byte messages are well formed, but the heuristic wants flow context for them.
    assert!(well_formed(&hex("e30d")));
    assert!(!well_formed(&hex("e396 01020304")));
}

#[test]
fn search_tree_type_1() {
    // (AND "ubuntu" (Format = "iso")) then min/max.
    let tree = format!("0000 01 0600{} 02 0300{} 0100 04", hexs("ubuntu"), hexs("iso"));
    let b = hex(&format!("e310{H2}01{tree}00006400"));
    let Message::GetSearchResults { kind: 1, tree: Some(nodes), min: 0, max: 100, .. } = round_trip(&b) else {
        panic!()
    };
    assert_eq!(nodes, vec![Node::Operator(0), Node::String(b"ubuntu"), Node::Meta { value: b"iso", name: &[4] }]);
    // Number node: size >= 1000000, with OR nesting on the right.
    let tree = format!("0001 01 0100{} 0000 01 0100{} 03 40420f00 01 0100 02", hexs("a"), hexs("b"));
    let b = hex(&format!("e310{H2}01{tree}00006400"));
    let Message::GetSearchResults { tree: Some(nodes), .. } = round_trip(&b) else { panic!() };
    assert_eq!(nodes[4], Node::Number { value: 1_000_000, minmax: 1, name: &[2] });
    // A tree missing its second operand.
    let bad = hex(&format!("e310{H2}01 0000 01 0100{} 0000 6400", hexs("a")));
    assert!(Message::parse(&bad).is_err());
    assert!(!well_formed(&bad));
}

#[test]
fn every_tag_type() {
    let tags = hex(&format!(
        "0a000000 \
         01 0100 07 {H1} \
         02 0100 01 0300 {} \
         83 02 15cd5b07 \
         04 0100 0d 0000c03f \
         05 0100 14 01 \
         86 17 0a00 ff03 \
         07 0100 0b 03000000 616263 \
         88 0f 3612 \
         8a 0b 02 6869 \
         8b 02 0100000001000000",
        hexs("abc")
    ));
    let mut b = hex(&format!("e313{H1}{H2}"));
    b.extend_from_slice(&tags);
    let Message::Publish { tags, .. } = round_trip(&b) else { panic!() };
    assert_eq!(tags.len(), 10);
    assert_eq!(tags[0].value, TagValue::Hash(&h(H1)));
    assert_eq!(tags[3].value, TagValue::Float(1.5f32.to_bits()));
    assert_eq!(tags[4].value, TagValue::Bool(1));
    assert_eq!(tags[5].value, TagValue::BoolArray(10, &[0xff, 0x03]));
    assert_eq!(tags[6].value, TagValue::Blob(b"abc"));
    assert_eq!(tags[7].value, TagValue::U16(4662));
    assert_eq!(tags[8].value, TagValue::Bsob(b"hi"));
    assert_eq!(tags[9].value, TagValue::U64(0x1_0000_0001));
}

#[test]
fn mldonkey_nameless_tags() {
    // 09 07 (UINT8 7, no name), then a normal STRING tag.
    let b = hex(&format!("e311{H2}{H1}02000000 0907 020100010300{}", hexs("abc")));
    let Message::SearchResult { tags, .. } = round_trip(&b) else { panic!() };
    assert_eq!((tags[0].name, tags[0].value), (TagName::Nameless, TagValue::U8(7)));
    assert_eq!(tags[1].value, TagValue::String(b"abc"));
}

#[test]
fn loc_forms() {
    let (l, parts) = Loc::parse(b"bcp://10.1.2.3:4662").unwrap();
    assert_eq!((l.hash, l.ip, l.port, l.tcp_port), (None, Ipv4Addr::new(10, 1, 2, 3), 4662, None));
    assert_eq!(parts[1], Some(6..14));
    let fw = format!("bcp://{H1}:81.2.3.4:5000");
    let (l, _) = Loc::parse(fw.as_bytes()).unwrap();
    assert_eq!((l.hash, l.ip, l.port), (Some(H1), Ipv4Addr::new(81, 2, 3, 4), 5000));
    let four = format!("bcp://{H1}:81.2.3.4:5000:4662");
    assert_eq!(Loc::parse(four.as_bytes()).unwrap().0.tcp_port, Some(4662));
    assert!(Loc::parse(b"bcp://host:1").is_none());
    assert!(Loc::parse(b"http://10.1.2.3:1").is_none());
    assert!(Loc::parse(b"bcp://nothex:1.2.3.4:5").is_none());
}

fn peer() -> impl Strategy<Value = Peer> {
    (any::<[u8; 16]>(), any::<[u8; 4]>(), 1u16.., any::<u8>()).prop_map(|(id, ip, port, kind)| Peer {
        id,
        ip: Ipv4Addr::from(ip),
        port,
        kind,
    })
}

proptest! {
    #[test]
    fn peer_lists_round_trip(peers in proptest::collection::vec(peer(), 0..30), target: [u8; 16], param: u8) {
        for m in [
            Message::ConnectReply(peers.clone()),
            Message::SearchReply { target, peers: peers.clone() },
            Message::Search { param, target },
            Message::NoResult { key: target, extra: Some((param.into(), 7)) },
        ] {
            let bytes = m.to_vec();
            prop_assert_eq!(Message::parse(&bytes).unwrap(), m);
        }
    }

    #[test]
    fn tag_lists_round_trip(name in "[a-z]{2,8}", s in proptest::collection::vec(any::<u8>(), 0..40),
                            v32: u32, v64: u64, v16: u16, id: u8, n in 1usize..=16) {
        let sn = &s[..n.min(s.len())];
        let idb = [id];
        let tags = vec![
            Tag::string(name.as_bytes(), &s),
            Tag::u32(&idb, v32),
            Tag { ty: 0x80 | UINT64_T, name: TagName::Id(id), value: TagValue::U64(v64) },
            Tag { ty: 0x08, name: TagName::Long(name.as_bytes()), value: TagValue::U16(v16) },
            Tag { ty: 0x10 + sn.len() as u8, name: TagName::Long(name.as_bytes()), value: TagValue::String(sn) },
            Tag { ty: 0x87, name: TagName::Id(id), value: TagValue::Blob(&s) },
        ];
        let tags: Vec<Tag> = tags.into_iter().filter(|t| t.ty != 0x10).collect();
        let m = Message::Publish { key: [1; 16], value: [2; 16], tags };
        let bytes = m.to_vec();
        prop_assert_eq!(Message::parse(&bytes).unwrap(), m);
        prop_assert!(well_formed(&bytes));
    }

    #[test]
    fn parsing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut b = vec![0xE3];
        b.extend_from_slice(&bytes);
        let _ = Message::parse(&b);
        let _ = well_formed(&b);
    }
}

const UINT64_T: u8 = crate::tags::UINT64;
