//! Overte headers, sessions and findings, driven through the engine as the CLI drives them.
//! Facts a payload decoder would teach (DomainList Local IDs and secrets) are handed to the
//! dissector with `Overte::learn`. The payload decoders do run, so every payload here is a
//! well-formed one (built with the payload reprs' `emit` or taken from a real vector) and the
//! findings asserted are the header and session layers' own.

use std::net::SocketAddr;
use udpdissect_core::testing::Outcome as Out;
use udpdissect_core::{Cell, Dissection, Engine, Packet, Value};
use udpdissect_overte::nlpacket::hmac_md5;
use udpdissect_overte::payload::codec::{QBytes, QSockAddr, QStr};
use udpdissect_overte::payload::domain::{CheckIn, ConnectRequest, ListRequest};
use udpdissect_overte::payload::{DomainListHeader, Learned, NodeRecord};
use udpdissect_overte::types::BUILTIN_SIGNATURE;
use udpdissect_overte::{Overte, MAX_SEEN};

const S: i64 = 1_000_000_000;
const DS: &str = "10.0.0.2:40102";
const AGENT: &str = "10.0.0.1:50000";
const MIXER: &str = "10.0.0.2:48001";
const AGENT_ID: u16 = 0x3b70;
const MIXER_ID: u16 = 0x0c55;
/// The HMAC vector's connection secret (§2.1).
const SECRET: [u8; 16] =
    [0x96, 0xde, 0xab, 0xc1, 0x06, 0xe3, 0x49, 0x5f, 0x8a, 0x43, 0x93, 0x2d, 0xf3, 0x76, 0xba, 0x21];

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

use udpdissect_core::testing::hex;

/// A datagram: UDT word (little-endian), NL header, payload.
fn dgram(word: u32, t: u8, v: u8, id: Option<u16>, hmac: Option<[u8; 16]>, payload: &[u8]) -> Vec<u8> {
    let mut b = word.to_le_bytes().to_vec();
    b.extend_from_slice(&[t, v]);
    if let Some(id) = id {
        b.extend_from_slice(&id.to_le_bytes());
    }
    if let Some(h) = hmac {
        b.extend_from_slice(&h);
    }
    b.extend_from_slice(payload);
    b
}

/// The check-in an Interface at AGENT sends (µs since the epoch: 2026-03-02 plus `t` ns).
fn check_in(t: i64) -> CheckIn<'static> {
    CheckIn {
        timestamp: 1_772_438_400_000_000 + (t / 1000) as u64,
        owner_type: b'I',
        public_type: 1,
        public: QSockAddr::v4([10, 0, 0, 1], 50000),
        local_type: 1,
        local: QSockAddr::v4([10, 0, 0, 1], 50000),
        interests: b"MWoAmS".to_vec().into(),
        place_name: QStr::from_text("hub"),
        username: None,
        username_signature: None,
        domain_username: None,
        domain_tokens: None,
    }
}

/// A connected Interface's DomainListRequest payload (no username fields).
fn list_request(t: i64) -> Vec<u8> {
    let mut b = Vec::new();
    ListRequest { check_in: check_in(t) }.emit(&mut b);
    b
}

/// A DomainConnectRequest payload as an Overte release sends it (the built-in signature).
fn connect_request() -> Vec<u8> {
    let mut check_in = check_in(0);
    check_in.username = Some(QStr::from_text(""));
    check_in.username_signature = Some(QBytes(Some(Vec::new().into())));
    let c = ConnectRequest {
        connect_uuid: [0; 16],
        signature: QBytes(Some(BUILTIN_SIGNATURE.to_vec().into())),
        hardware_address: QStr::from_text("52:54:00:12:34:56"),
        machine_fingerprint: [7; 16],
        system_info: QBytes(None),
        connect_reason: 0,
        previous_uptime: 0,
        check_in,
    };
    let mut b = Vec::new();
    c.emit(&mut b);
    b
}

/// The AvatarData vector of §5.12: sequence 2004, HasFlags 0x0001, position (3.5, 7, -1).
fn avatar_data() -> Vec<u8> {
    hex("d407 0100 00006040 0000e040 000080bf")
}

/// The DomainList the domain server sends the agent: its Local ID, and the avatar mixer's
/// record with their connection secret.
fn domain_list(auth: bool) -> Learned {
    Learned {
        domain_list: Some(DomainListHeader {
            session_uuid: [1; 16],
            domain_local_id: 0xd918,
            your_uuid: [2; 16],
            your_local_id: AGENT_ID,
            permissions: 0xbff,
            authenticate: auth,
            new_connection: true,
        }),
        nodes: vec![NodeRecord {
            node_type: b'W',
            uuid: [3; 16],
            public: Some(sa(MIXER)),
            local: None,
            permissions: 0xf9f,
            local_id: MIXER_ID,
            secret: Some(SECRET),
        }],
        owner_type: None,
        ..Learned::default()
    }
}

struct Run {
    engine: Engine,
    frame: u64,
}

impl Run {
    fn new() -> Run {
        Run::with(Overte::new())
    }

    /// An agent that checked in (frame 11) and got its DomainList in frame 12.
    fn connected(auth: bool) -> Run {
        let mut o = Overte::new();
        o.learn(11, 0, sa(AGENT), sa(DS), &Learned { owner_type: Some(b'I'), ..Learned::default() });
        o.learn(12, 0, sa(DS), sa(AGENT), &domain_list(auth));
        let mut r = Run::with(o);
        r.frame = 12;
        r
    }

    fn with(o: Overte) -> Run {
        Run { engine: Engine::new(vec![Box::new(o)]), frame: 0 }
    }

    fn send(&mut self, src: &str, dst: &str, t: i64, payload: &[u8]) -> Out {
        self.frame += 1;
        let pkt = Packet::new(self.frame, t, sa(src), sa(dst), payload);
        Out::of(&mut self.engine, &pkt)
    }

    fn finish(&mut self) -> Vec<String> {
        let mut d = Dissection::new(true);
        self.engine.finish(&mut d);
        d.experts().iter().map(|e| format!("{} {}", e.tag(), e.message)).collect()
    }
}

#[test]
fn real_ping_with_hmac_header() {
    let mut r = Run::new();
    let ping = hex("02000000 03 12 66e9 338a15d4247f025544b21dd91c6f5f76 02 500031d15ecb0500 0000000000000000");
    let o = r.send("192.168.1.5:50000", MIXER, 0, &ping);
    assert_eq!(o.protocol, "Overte");
    assert!(o.info.starts_with("Ping"), "{}", o.info);
    assert_eq!(o.field("overte.udt.seq"), Some(Value::Unsigned(2)));
    assert_eq!(o.field("overte.udt.reliable"), Some(Value::Bool(false)));
    assert_eq!(o.field("overte.type"), Some(Value::Enum { value: 3, name: Some("Ping") }));
    assert_eq!(o.field("overte.version"), Some(Value::Unsigned(18)));
    assert_eq!(o.field("overte.source_id"), Some(Value::Unsigned(0xe966)));
    assert_eq!(o.names("overte.hmac.status").first().copied(), Some("no key"));
    let hmac = o.d.values("overte.hmac").next().unwrap();
    assert_eq!((hmac.offset, hmac.len), (8, 16));
    assert_eq!(o.field("overte.receiver"), Some(Value::String("AvatarMixer".into())), "port 48001 by convention");
    assert!(o.tags.is_empty(), "{:?}", o.messages);
}

#[test]
fn real_domain_list_header_from_a_vircadia_server() {
    // vircadia-web-sdk `DomainList.unit.test.js`: 408 bytes, the 66-byte header and six
    // 56-byte node records.
    let mut r = Run::new();
    let dl = hex(concat!(
        "030000000218a3eda01ec4de456dbf07858a26c5a6485939feb55e8c5de043e38a56fcd8a400456ce2ee00000bff010005cae557f2bb1f",
        "0005cae557f2ea4e000000000000262501532224f298dbad4c3aaedc7d94755f705301002bf9c70ed51c0100c0a8086ed51c00000f9f00",
        "618b85a065e5648b46ac8d7879b935b2fe9d6d22a50d94f26d4777b009389b9ca7490801002bf9c70ed51a0100c0a8086ed51a00000f9f",
        "005bff8b2c86b6b97747d28a2dd79e4f7096ac41c8a782c9a5224cdcb9d84c5cbbfe120d01002bf9c70ed5180100c0a8086ed51800000f",
        "9f00dd625af7f02b20f54801a25d3f9b7792bae64d6a790af5607941e3a3a42cf7f720a48d01002bf9c70ed5190100c0a8086ed5190000",
        "0f9f005ec5050c11d13bb04c1aa14f78d0b3c3b44857106978f5ce2e4fca9ab14635271422db01002bf9c70ed5170100c0a8086ed517",
        "00000f9f00da9ce60d64c546984a89a90113350e2778fd6f3ba009661d7c4921bf0c5bef41041ad601002bf9c70ed51d",
        "0100c0a8086ed51d00000f9f00e028a0933a4c321342a6a329ebcb72348c64"
    ));
    assert_eq!(dl.len(), 6 + 66 + 6 * 56);
    let o = r.send(DS, AGENT, 0, &dl);
    assert!(o.info.starts_with("DomainList your ID 58094, 6 nodes"), "{}", o.info);
    assert_eq!(o.field("overte.domain_list.your_local_id"), Some(Value::Unsigned(0xe2ee)));
    assert_eq!(o.field("overte.domain_list.node_count"), Some(Value::Unsigned(6)));
    assert_eq!(o.field("overte.type"), Some(Value::Enum { value: 2, name: Some("DomainList") }));
    assert_eq!(o.field("overte.version"), Some(Value::Unsigned(24)));
    assert_eq!(o.field("overte.expected_version"), Some(Value::Unsigned(25)));
    assert_eq!(o.field("overte.source_id"), None, "DomainList is not sourced");
    assert_eq!(o.tags, ["overte.version_mismatch"]);
    assert!(o.messages[0].contains("version 24 (the version a Vircadia peer sends), but the built-in table says 25"));
    assert_eq!(o.field("overte.sender"), Some(Value::String("DomainServer".into())));
}

#[test]
fn hmac_verified_with_the_secret_from_the_domain_list() {
    let mut vector = hex("000000000416550c 00000000000000000000000000000000 010005cb77e2d264280005cb77e2d292d8");
    vector[8..24].copy_from_slice(&hex("7787c7c3a9b4cb667207a1a952cf3c68"));
    let mut r = Run::connected(true);
    let o = r.send(MIXER, AGENT, S, &vector);
    assert_eq!(o.names("overte.hmac.status").first().copied(), Some("valid"));
    assert_eq!(o.field("overte.hmac.secret_frame"), Some(Value::Frame(12)));
    assert_eq!(o.info, "PingReply Local [AvatarMixer → Agent]", "the vector's ping type is 1, Local");
    assert!(o.tags.is_empty(), "{:?}", o.messages);

    let mut bad = vector.clone();
    bad[0] = 1;
    bad[30] ^= 1;
    let o = r.send(MIXER, AGENT, 2 * S, &bad);
    assert_eq!(o.names("overte.hmac.status").first().copied(), Some("invalid"));
    assert!(o.message("overte.hmac_mismatch").contains("under the connection secret from frame 12"));

    let mut zero = vector;
    zero[0] = 2;
    zero[8..24].fill(0);
    let o = r.send(MIXER, AGENT, 3 * S, &zero);
    assert_eq!(o.names("overte.hmac.status").first().copied(), Some("zero"));
    assert_eq!(o.tags, ["overte.hmac_zero"]);
    assert_eq!(hmac_md5(&SECRET, &zero[24..]).to_vec(), hex("7787c7c3a9b4cb667207a1a952cf3c68"));
}

/// The captured ping reply, its hash broken: a mismatch whenever the hash is checked.
fn bad_hash_ping() -> Vec<u8> {
    let mut b = hex("010000000416550c 00000000000000000000000000000000 010005cb77e2d264280005cb77e2d292d8");
    b[8..24].copy_from_slice(&hex("7787c7c3a9b4cb667207a1a952cf3c68"));
    b[30] ^= 1;
    b
}

#[test]
fn the_hash_is_checked_only_where_its_verdict_is_read() {
    // (findings read, columns) → the findings, the status column, the nodes' hmac counts.
    let run = |findings: bool, keys: &[&str]| {
        let mut r = Run::connected(true);
        let mut d = Dissection::new(true);
        d.set_wants_findings(findings);
        let info = r.engine.protocols().next().unwrap();
        d.set_interest(Some(info.fields.iter().copied().filter(|f| keys.contains(&f.key)).collect()));
        r.engine.dissect(&Packet::new(13, S, sa(MIXER), sa(AGENT), &bad_hash_ping()), &mut d);
        let tags: Vec<_> = d.experts().iter().map(|e| e.tag()).collect();
        let status = d.values("overte.hmac.status").next().map(|f| f.value.clone());
        let nodes = r.engine.tables().into_iter().find(|t| t.name == "overte.nodes").unwrap();
        let counts: u64 = nodes
            .rows
            .iter()
            .flat_map(|row| &row[9..12])
            .map(|c| match c {
                Cell::UInt(n) => *n,
                _ => 0,
            })
            .sum();
        (tags, status, counts)
    };
    let invalid = Some(Value::Enum { value: 1, name: Some("invalid") });
    // Read (the summary, a tree, the statistics): checked and counted.
    assert_eq!(run(true, &["overte.type"]), (vec!["overte.hmac_mismatch"], None, 1));
    // `-T fields -e overte.type`: nothing reads the verdict, so nothing computes it.
    assert_eq!(run(false, &["overte.type"]), (vec![], None, 0));
    // A column of the status, or of the secret's frame, still has the hash checked.
    assert_eq!(run(false, &["overte.hmac.status"]), (vec!["overte.hmac_mismatch"], invalid, 1));
    assert_eq!(run(false, &["overte.hmac.secret_frame"]).0, ["overte.hmac_mismatch"]);
}

#[test]
fn byte_swapped_source_id_names_the_assigning_frame() {
    let mut r = Run::connected(true);
    let req = dgram(1, 13, 23, Some(AGENT_ID.swap_bytes()), None, &list_request(S));
    let o = r.send(AGENT, DS, S, &req);
    assert_eq!(o.tags, ["overte.source_id_byte_swapped"]);
    assert!(
        o.messages[0].starts_with("source ID 0x703b is the byte-swapped Local ID 0x3b70 assigned in frame 12"),
        "{}",
        o.messages[0]
    );
    assert_eq!(o.info, "DomainListRequest Agent 10.0.0.1:50000 [Agent → DomainServer]");
    let good = dgram(2, 13, 23, Some(AGENT_ID), None, &list_request(S + S / 2));
    let o = r.send(AGENT, DS, S + S / 2, &good);
    assert!(o.tags.is_empty(), "{:?}", o.messages);
    assert_eq!(o.field("overte.assigned_frame"), Some(Value::Frame(12)));
}

#[test]
fn unknown_source_id() {
    let mut r = Run::connected(true);
    let ping = dgram(1, 3, 18, Some(0x1234), Some([0; 16]), &[0; 17]);
    let o = r.send(AGENT, MIXER, S, &ping);
    assert!(o.tags.contains(&"overte.source_id_unknown"), "{:?}", o.tags);
    assert!(o.message("overte.source_id_unknown").contains("(this sender was assigned 0x3b70 in frame 12)"));
}

#[test]
fn silent_node_reported_at_a_later_packet_and_at_the_end() {
    let mut r = Run::connected(false);
    assert!(r.send(AGENT, DS, S, &dgram(1, 13, 23, Some(AGENT_ID), None, &list_request(S))).tags.is_empty());
    let mut silent = None;
    for i in 2..16u32 {
        let t = i64::from(i) * S;
        let o = r.send(AGENT, DS, t, &dgram(i, 13, 23, Some(AGENT_ID.swap_bytes()), None, &list_request(t)));
        if o.tags.contains(&"overte.node_silent") {
            silent = Some((i, o.message("overte.node_silent").to_string()));
            break;
        }
    }
    let (at, msg) = silent.expect("the domain server's silence threshold passes");
    assert_eq!(at, 12, "10 s after the last accepted packet at 1 s");
    assert!(
        msg.contains(
            "has not heard from Agent 10.0.0.1:50000 (Local ID 0x3b70) since its last accepted packet in frame 13"
        ),
        "{msg}"
    );
    assert!(msg.contains("source ID 0x703b"), "{msg}");

    let mut r = Run::connected(false);
    r.send(AGENT, DS, S, &dgram(1, 13, 23, Some(AGENT_ID), None, &list_request(S)));
    // Checked at 10.9 s (not yet silent); the next check is due a second later, after the
    // capture's last packet at 11.5 s: the end of the capture reports it.
    assert!(r
        .send(MIXER, AGENT, 10 * S + 9 * S / 10, &dgram(1, 11, 55, Some(MIXER_ID), Some([0; 16]), &[]))
        .tags
        .is_empty());
    assert!(r
        .send(MIXER, AGENT, 11 * S + S / 2, &dgram(2, 11, 55, Some(MIXER_ID), Some([0; 16]), &[]))
        .tags
        .is_empty());
    let end = r.finish();
    assert_eq!(end.len(), 1, "{end:?}");
    assert!(
        end[0].starts_with("overte.node_silent the domain server 10.0.0.2:40102 has not heard from Agent"),
        "{}",
        end[0]
    );
}

#[test]
fn a_silent_node_names_what_the_capture_lost_since_it_was_last_heard() {
    let tail = |n: u64, since: u64| {
        format!("; but the capture itself lost {n} packets since frame {since} (pcapng drop counts): they may be the missing ones")
    };
    let mut r = Run::connected(false);
    // Heard in frame 13; the capture loses 3 packets just before frame 14, a mixer's packet.
    assert!(r.send(AGENT, DS, S, &dgram(1, 13, 23, Some(AGENT_ID), None, &list_request(S))).tags.is_empty());
    r.engine.note_capture_loss(14, 0, 3);
    let mut silent = None;
    for i in 2..16u32 {
        let t = i64::from(i) * S;
        let o = r.send(MIXER, AGENT, t, &dgram(i, 11, 55, Some(MIXER_ID), Some([0; 16]), &[]));
        if o.tags.contains(&"overte.node_silent") {
            silent = Some(o.message("overte.node_silent").to_string());
            break;
        }
    }
    let msg = silent.expect("the domain server's silence threshold passes");
    assert!(msg.starts_with("the domain server 10.0.0.2:40102 has not heard from Agent"), "{msg}");
    assert!(msg.ends_with(&tail(3, 13)), "{msg}");

    // Reported at the end of the capture, with what was lost up to then.
    let mut r = Run::connected(false);
    r.send(AGENT, DS, S, &dgram(1, 13, 23, Some(AGENT_ID), None, &list_request(S)));
    // (Checked at 10.9 s, not yet silent; the next check would be a second later.)
    r.engine.note_capture_loss(14, 0, 1);
    r.send(MIXER, AGENT, 10 * S + 9 * S / 10, &dgram(1, 11, 55, Some(MIXER_ID), Some([0; 16]), &[]));
    r.engine.note_capture_loss(15, 0, 1);
    r.send(MIXER, AGENT, 11 * S + S / 2, &dgram(2, 11, 55, Some(MIXER_ID), Some([0; 16]), &[]));
    // The last loss counted on a frame no Overte dissection saw.
    r.engine.note_capture_loss(17, 0, 1);
    assert_eq!(r.send("10.9.9.9:1", "10.9.9.8:2", 11 * S + S / 2, b"x").protocol, "UDP");
    let end = r.finish();
    assert_eq!(end.len(), 1, "{end:?}");
    assert!(end[0].ends_with(&tail(3, 13)), "{}", end[0]);

    // Nothing lost since the node was last heard: the finding stands as it is.
    let mut r = Run::connected(false);
    r.engine.note_capture_loss(13, 0, 4);
    r.send(MIXER, AGENT, S / 2, &dgram(1, 11, 55, Some(MIXER_ID), Some([0; 16]), &[]));
    r.send(AGENT, DS, S, &dgram(1, 13, 23, Some(AGENT_ID), None, &list_request(S)));
    r.send(MIXER, AGENT, 10 * S + 9 * S / 10, &dgram(2, 11, 55, Some(MIXER_ID), Some([0; 16]), &[]));
    r.send(MIXER, AGENT, 11 * S + S / 2, &dgram(3, 11, 55, Some(MIXER_ID), Some([0; 16]), &[]));
    let end = r.finish();
    assert_eq!(end.len(), 1, "{end:?}");
    assert!(!end[0].contains("capture itself"), "{}", end[0]);
}

#[test]
fn verified_packet_to_the_domain_server() {
    let mut r = Run::connected(true);
    let o = r.send(AGENT, DS, S, &dgram(1, 3, 18, Some(AGENT_ID), Some([0; 16]), &[0; 17]));
    assert_eq!(o.tags, ["overte.verified_to_domain_server"]);
    assert!(o.messages[0].contains("the packet is dropped (this domain's DomainList turned authentication on)."));
    assert_eq!(o.names("overte.hmac.status").first().copied(), Some("to the domain server"));
    let mut r = Run::connected(false);
    assert!(r.send(AGENT, DS, S, &dgram(1, 3, 18, Some(AGENT_ID), Some([0; 16]), &[0; 17])).tags.is_empty());
}

#[test]
fn big_endian_udt_header() {
    let mut r = Run::new();
    // htonl(5): an unreliable sequence number 5 written big-endian.
    let mut ping = vec![0, 0, 0, 5];
    ping.extend_from_slice(&dgram(0, 3, 18, Some(1), Some([0; 16]), &[0; 17])[4..]);
    let o = r.send(AGENT, MIXER, 0, &ping);
    assert_eq!(o.tags, ["overte.udt_big_endian"]);
    assert!(
        o.messages[0]
            .contains("is unreliable sequence number 83886080; read big-endian it is unreliable sequence number 5"),
        "{}",
        o.messages[0]
    );
    // htonl(RELIABLE | 9): the flags land in byte 0, and byte 3 sets the obfuscation bits.
    let mut rel = vec![0x40, 0, 0, 9];
    rel.extend_from_slice(&ping[4..]);
    let o = r.send(AGENT, MIXER, 0, &rel);
    assert!(o.tags.contains(&"overte.udt_big_endian"), "{:?}", o.messages);
    assert!(!o.tags.contains(&"overte.bad_flags"), "one explanation, not two");
    // A real little-endian header is left alone.
    let o = r.send(AGENT, MIXER, 0, &dgram(3, 3, 18, Some(1), Some([0; 16]), &[0; 17]));
    assert!(!o.tags.contains(&"overte.udt_big_endian"), "{:?}", o.messages);
}

#[test]
fn version_mismatch_and_unknown_type() {
    let mut r = Run::new();
    let o = r.send(AGENT, MIXER, 0, &dgram(1, 6, 50, Some(1), Some([0; 16]), &avatar_data()));
    assert_eq!(o.tags, ["overte.version_mismatch"]);
    assert!(o.messages[0].starts_with("AvatarData version 50, but the built-in table says 55"), "{}", o.messages[0]);
    let o = r.send(AGENT, MIXER, 0, &dgram(2, 200, 22, Some(1), Some([0; 16]), &[]));
    assert_eq!(o.tags, ["overte.unknown_type"]);
    assert!(o.info.starts_with("Type 200"));
}

#[test]
fn sourcing_mistakes() {
    let mut r = Run::new();
    // A Ping written without source ID and hash slot: too short for the real header.
    let o = r.send(AGENT, MIXER, 0, &dgram(1, 3, 18, None, None, &[0; 17]));
    assert_eq!(o.tags, ["overte.source_id_missing"]);
    assert!(o.messages[0].starts_with("Ping is a sourced type"), "{}", o.messages[0]);
    assert_eq!(o.field("overte.source_id"), None);
    // A DomainConnectRequest written with a source ID: its signature length moves by 2.
    let payload = connect_request();
    // The domain server reads the header the type's way, so the payload is misread as it
    // would be: the signature length is read from the UUID's last two bytes and the length's
    // first two (0), the hardware address from what follows, and the check-in is lost. The
    // payload findings are the consequences of the header mistake, not of the payload.
    let o = r.send(AGENT, DS, 0, &dgram(2, 31, 27, Some(AGENT_ID), None, &payload));
    assert_eq!(
        o.tags,
        [
            "overte.source_id_unexpected",
            "overte.connect.signature_unusual",
            "overte.payload.truncated",
            "overte.signature_mismatch"
        ],
        "{:#?}",
        o.messages
    );
    assert!(o.messages[0].starts_with("DomainConnectRequest is not sourced"), "{}", o.messages[0]);
    assert!(o.messages[0].ends_with("The receiver reads the header the type's way and misreads the payload"));
    assert!(o.messages[1].starts_with("protocol signature is 0 bytes, not a 16-byte MD5"), "{}", o.messages[1]);
    assert!(o.messages[2].starts_with("Hardware address at offset 24 needs"), "{}", o.messages[2]);
    assert!(
        o.messages[3].starts_with("protocol signature (empty) differs from the built-in table's"),
        "{}",
        o.messages[3]
    );
    // Correct headers raise nothing.
    let o = r.send(AGENT, DS, 0, &dgram(3, 31, 27, None, None, &payload));
    assert!(o.tags.is_empty(), "{:?}", o.messages);
    assert_eq!(o.names("overte.signature.status").first().copied(), Some("matches the built-in table"));
}

#[test]
fn reliable_stream_handshake_gap_retransmission_and_obfuscation() {
    let mut r = Run::new();
    let isn = 0x0123_4567u32;
    let mut hs = vec![0, 0, 1, 0x80];
    hs.extend_from_slice(&isn.to_le_bytes());
    let o = r.send(AGENT, MIXER, 0, &hs);
    assert_eq!(o.info, "Handshake ISN=19088743 [? → AvatarMixer]");
    let mut ack = vec![0, 0, 2, 0x80];
    ack.extend_from_slice(&isn.to_le_bytes());
    let o = r.send(MIXER, AGENT, 1, &ack);
    assert_eq!(o.field("overte.control.handshake"), Some(Value::Frame(1)));
    assert!(o.tags.is_empty());

    let pkt = |seq: u32| dgram(0x4000_0000 | seq, 102, 48, Some(7), Some([0; 16]), &[2, 0, 0, 0, 0, 0, 0, 0]);
    let o = r.send(AGENT, MIXER, 2, &pkt(isn));
    assert_eq!(o.field("overte.seq.handshake"), Some(Value::Frame(1)));
    assert_eq!(o.names("overte.seq.status").first().copied(), Some("first seen"));
    assert!(o.tags.is_empty(), "{:?}", o.messages);
    let o = r.send(AGENT, MIXER, 3, &pkt(isn + 1));
    assert_eq!(o.names("overte.seq.status").first().copied(), Some("next"));
    let o = r.send(AGENT, MIXER, 4, &pkt(isn + 4));
    assert_eq!(o.tags, ["overte.seq_gap"]);
    assert_eq!(o.field("overte.seq.missing"), Some(Value::Unsigned(2)));
    let o = r.send(AGENT, MIXER, 5, &pkt(isn + 1));
    assert_eq!(o.tags, ["overte.retransmission"]);
    assert_eq!(o.field("overte.seq.original"), Some(Value::Frame(4)));
    assert!(o.info.ends_with("(retransmission)"), "{}", o.info);

    // The 3rd resend of seq isn+2, obfuscated at level 1: decoded from the de-obfuscated copy.
    let mut obf = pkt(isn + 2);
    obf[3] |= 1 << 3;
    for (i, b) in obf[4..].iter_mut().enumerate() {
        *b ^= b"tessirbc"[i % 8];
    }
    let o = r.send(AGENT, MIXER, 6, &obf);
    assert_eq!(o.field("overte.udt.obfuscation"), Some(Value::Unsigned(1)));
    assert_eq!(o.field("overte.type"), Some(Value::Enum { value: 102, name: Some("BulkAvatarTraitsAck") }));
    assert_eq!(o.d.sources()[0].name, "De-obfuscated (level 1)");
    assert_eq!(o.d.sources()[0].data[..4], obf[..4], "the UDT words are never obfuscated");
    assert_eq!(o.d.sources()[0].data[4..], pkt(isn + 2)[4..]);
    assert_eq!(o.d.values("overte.type").next().unwrap().source, 1);
    assert_eq!(o.tags, ["overte.retransmission"]);

    let mut ack = vec![0, 0, 0, 0x80];
    ack.extend_from_slice(&(isn + 1).to_le_bytes());
    let o = r.send(MIXER, AGENT, 7, &ack);
    assert_eq!(o.field("overte.control.acked"), Some(Value::Frame(4)));
}

#[test]
fn handshake_mismatch() {
    let mut r = Run::new();
    let mut hs = vec![0, 0, 1, 0x80];
    hs.extend_from_slice(&100u32.to_le_bytes());
    r.send(AGENT, MIXER, 0, &hs);
    let o = r.send(AGENT, MIXER, 1, &dgram(0x4000_0000 | 105, 102, 48, Some(7), Some([0; 16]), &[0; 8]));
    assert_eq!(o.tags, ["overte.handshake_mismatch"]);
    assert!(o.messages[0].contains("has sequence number 105, but the Handshake announced 100"));
}

#[test]
fn unreliable_duplicates_and_gaps() {
    let mut r = Run::new();
    let ping = |seq| dgram(seq, 3, 18, Some(1), Some([0; 16]), &[0; 17]);
    assert!(r.send(AGENT, MIXER, 0, &ping(1)).tags.is_empty());
    assert_eq!(r.send(AGENT, MIXER, 1, &ping(1)).tags, ["overte.duplicate"]);
    assert_eq!(r.send(AGENT, MIXER, 2, &ping(4)).tags, ["overte.seq_gap"]);
    assert!(r.send(MIXER, AGENT, 3, &ping(1)).tags.is_empty(), "each direction counts on its own");
}

/// A reliable MessagesData datagram (sequence number `seq`) holding part `n` of message
/// `message`, at position `pos` (0 only, 1 last, 2 first, 3 middle).
fn message_part(seq: u32, pos: u32, message: u32, n: u32, body: &[u8]) -> Vec<u8> {
    let mut b = (0x6000_0000u32 | seq).to_le_bytes().to_vec();
    b.extend_from_slice(&((pos << 30) | message).to_le_bytes());
    b.extend_from_slice(&n.to_le_bytes());
    b.extend_from_slice(&[57, 18, 0x70, 0x3b]);
    b.extend_from_slice(&[0; 16]);
    b.extend_from_slice(body);
    b
}

#[test]
fn multi_part_message_is_reassembled() {
    let mut r = Run::new();
    let part = |pos: u32, n: u32, body: &[u8]| message_part(10 + n, pos, 77, n, body);
    let o = r.send(AGENT, MIXER, 0, &part(2, 0, b"hello "));
    assert_eq!(o.info, "MessagesData [FIRST part 0 of message 77] [? → AvatarMixer]");
    assert_eq!(o.field("overte.udt.message_number"), Some(Value::Unsigned(77)));
    let frag = o.d.values("overte.fragment").next().unwrap();
    assert_eq!((frag.offset, frag.len), (32, 6));
    r.send(AGENT, MIXER, 1, &part(1, 2, b"world"));
    let o = r.send(AGENT, MIXER, 2, &part(3, 1, b"big "));
    assert_eq!(o.field("overte.reassembled.parts"), Some(Value::Unsigned(3)));
    assert_eq!(o.field("overte.reassembled.len"), Some(Value::Unsigned(15)));
    let frames: Vec<_> = o.d.values("overte.reassembled.frame").map(|f| f.value.clone()).collect();
    assert_eq!(frames, [Value::Frame(1), Value::Frame(3), Value::Frame(2)]);
    assert_eq!(o.d.sources()[0].name, "Reassembled message");
    assert_eq!(o.d.sources()[0].data, b"hello big world");
    assert!(o.info.contains("[reassembled: 3 parts, 15 bytes]"), "{}", o.info);
}

#[test]
fn reassembly_bounds_are_findings() {
    let mut r = Run::new();
    let mut seq = 100;
    let mut send = |r: &mut Run, pos: u32, message: u32, n: u32, body: &[u8]| {
        seq += 1;
        r.send(AGENT, MIXER, i64::from(seq), &message_part(seq, pos, message, n, body))
    };
    // 64 messages wait for their parts; the 65th drops the one least recently added to.
    for message in 1..=64 {
        let o = send(&mut r, 2, message, 0, b"first");
        assert!(o.tags.is_empty(), "message {message}: {:?}", o.messages);
    }
    let o = send(&mut r, 2, 65, 0, b"first");
    assert_eq!(o.tags, ["overte.reassembly_limit"]);
    assert_eq!(
        o.messages[0],
        "1 incomplete message(s) dropped to make room: at most 64 messages of up to 1 MiB wait for their parts"
    );
    // The dropped message's last part then waits as a new message, dropping the next oldest.
    assert!(send(&mut r, 1, 1, 1, b"last").tags.contains(&"overte.reassembly_limit"));

    // A part numbered after the LAST one drops the message, and its later parts with it.
    send(&mut r, 1, 200, 1, b"last");
    let o = send(&mut r, 3, 200, 2, b"past the end");
    assert_eq!(o.tags, ["overte.reassembly_limit"]);
    assert!(o.messages[0].ends_with("is not reassembled: a part numbered after the LAST part"), "{}", o.messages[0]);
    assert!(o.messages[0].starts_with("message 200 from 10.0.0.1:50000"), "{}", o.messages[0]);
    let o = send(&mut r, 2, 200, 0, b"first");
    assert_eq!(o.tags, ["overte.reassembly_limit"]);
    assert!(o.messages[0].ends_with("an earlier part broke a bound"), "{}", o.messages[0]);
    assert!(o.field("overte.reassembled.len").is_none());

    // More than 1 MiB in one message: 17 parts of 64 000 bytes (on a fresh session, whose
    // pending messages leave room for it).
    let mut r = Run::new();
    let big = vec![0x5a; 64_000];
    for n in 0..16 {
        let o = send(&mut r, if n == 0 { 2 } else { 3 }, 300, n, &big);
        assert!(!o.tags.contains(&"overte.reassembly_limit"), "part {n}: {:?}", o.messages);
    }
    let o = send(&mut r, 3, 300, 16, &big);
    assert!(o.message("overte.reassembly_limit").ends_with("the message grew past 1 MiB"), "{:?}", o.messages);
}

#[test]
fn keepalive_cadence() {
    let mut r = Run::connected(false);
    let req = |seq, t| dgram(seq, 13, 23, Some(AGENT_ID), None, &list_request(t));
    assert!(r.send(AGENT, DS, 0, &req(1, 0)).tags.is_empty());
    let o = r.send(AGENT, DS, S, &req(2, S));
    assert_eq!(o.field("overte.keepalive.interval"), Some(Value::Duration(S)));
    assert!(o.tags.is_empty(), "{:?}", o.messages);
    let o = r.send(AGENT, DS, 4 * S, &req(3, 4 * S));
    assert_eq!(o.tags, ["overte.keepalive_late"]);
}

#[test]
fn control_packet_findings() {
    let mut r = Run::new();
    let o = r.send(AGENT, MIXER, 0, &[0, 0, 9, 0x80]);
    assert_eq!(o.tags, ["overte.unknown_control"]);
    let o = r.send(AGENT, MIXER, 0, &[0, 0, 0, 0x80]);
    assert_eq!(o.tags, ["overte.malformed"]);
    assert!(o.info.starts_with("ACK (truncated)"));
    let o = r.send(AGENT, MIXER, 0, &[1, 2]);
    assert_eq!(o.tags, ["overte.malformed"]);
}

#[test]
fn heuristic_claims_overte_on_other_ports_but_not_stun() {
    let mut r = Run::new();
    let ping = hex("02000000 03 12 66e9 338a15d4247f025544b21dd91c6f5f76 02 500031d15ecb0500 0000000000000000");
    assert_eq!(r.send("10.9.0.1:51000", "10.9.0.2:52000", 0, &ping).protocol, "Overte");
    let stun = hex("0001 0000 2112a442 0102030405060708090a0b0c");
    assert_eq!(r.send("10.9.0.1:51001", "74.125.1.1:19302", 0, &stun).protocol, "UDP");
    assert_eq!(r.send("10.9.0.1:51002", "10.9.0.3:53000", 0, &[0x55; 40]).protocol, "UDP");
}

#[test]
fn user_version_table() {
    let path = std::env::temp_dir().join(format!("overte-versions-{}.txt", std::process::id()));
    std::fs::write(&path, "# Vircadia avatar mixer\nAvatarData 54\n").unwrap();
    let mut o = Overte::new();
    use udpdissect_core::Dissector;
    o.set_pref("versions", path.to_str().unwrap()).unwrap();
    assert!(o.set_pref("silence_threshold", "x").is_err());
    assert!(o.set_pref("nope", "1").unwrap_err().contains("unknown preference 'overte.nope'"));
    let mut r = Run::with(o);
    assert!(r.send(AGENT, MIXER, 0, &dgram(1, 6, 54, Some(1), Some([0; 16]), &avatar_data())).tags.is_empty());
    let o = r.send(AGENT, MIXER, 0, &dgram(2, 6, 55, Some(1), Some([0; 16]), &avatar_data()));
    assert!(o.messages[0].contains("the table in"), "{}", o.messages[0]);
    let _ = std::fs::remove_file(path);
}

#[test]
fn offsets_follow_the_cursor_the_engine_was_given() {
    // The CLI points the cursor at the UDP payload inside the frame (here at byte 28).
    let mut engine = Engine::new(vec![Box::new(Overte::new())]);
    let ping = hex("02000000 03 12 66e9 338a15d4247f025544b21dd91c6f5f76 02 500031d15ecb0500 0000000000000000");
    let mut d = Dissection::new(true);
    d.set_cursor(0, 28);
    engine.dissect(&Packet::new(1, 0, sa(AGENT), sa(MIXER), &ping), &mut d);
    let at = |key: &str| d.values(key).next().map(|f| (f.offset, f.len)).unwrap();
    assert_eq!(at("overte"), (28, 41));
    assert_eq!(at("overte.udt.seq"), (28, 4));
    assert_eq!(at("overte.type"), (32, 1));
    assert_eq!(at("overte.source_id"), (34, 2));
    assert_eq!(at("overte.hmac"), (36, 16));
}

/// The endpoints seen speaking Overte stay in use order when a connection refreshes its ends
/// through the slots it kept (no lookup while nothing was added to the table since): the
/// refreshed ends outlive a table's worth of newcomers, the ends refreshed before them do not.
#[test]
fn a_connection_refreshes_its_ends_through_the_slots_it_kept() {
    let mut r = Run::new();
    let ping = hex("02000000 03 12 66e9 338a15d4247f025544b21dd91c6f5f76 02 500031d15ecb0500 0000000000000000");
    let (a, s, c1, c2) = ("10.9.0.1:51000", "10.9.0.2:52000", "10.9.1.1:51000", "10.9.1.2:52000");
    r.send(a, s, 0, &ping);
    r.send(c1, c2, 1, &ping);
    // Found by lookup: the connection's slots were kept before c1 and c2 were added.
    r.send(a, s, 2, &ping);
    // Through the kept slots, the other way round.
    assert_eq!(r.send(c2, c1, 3, &ping).protocol, "Overte");
    // Two ends short of a full table of newcomers: the two least recently used go.
    for i in 0..(MAX_SEEN - 2) / 2 {
        let (x, y) =
            (format!("10.{}.{}.1:40000", 20 + i / 250, i % 250), format!("10.{}.{}.2:40000", 20 + i / 250, i % 250));
        assert_eq!(r.send(&x, &y, 4, &ping).protocol, "Overte");
    }
    let lent = r.engine.lend(1);
    let overte = lent.get(0).expect("Overte is lent");
    let fresh = sa("192.0.2.1:9");
    assert!(overte.knows(sa(c1), fresh) && overte.knows(sa(c2), fresh), "refreshed last, kept");
    assert!(!overte.knows(sa(a), fresh) && !overte.knows(sa(s), fresh), "refreshed before, dropped");
}

/// Which nodes a full table keeps depends on what the domains teach and hear, not on whether
/// anything reads the findings: a datagram the domain server hears from a node makes the node
/// the most recently used, checks skipped or not, so newer nodes push older ones out first.
#[test]
fn a_node_its_domain_server_hears_outlives_older_ones_whether_or_not_findings_are_read() {
    for findings in [true, false] {
        let mut o = Overte::new();
        o.learn(11, 0, sa(AGENT), sa(DS), &Learned { owner_type: Some(b'I'), ..Learned::default() });
        o.learn(12, 0, sa(DS), sa(AGENT), &domain_list(false));
        // The domain server, the agent and the mixer, then nodes up to the table's 4096.
        let fill = (0..4093u16)
            .map(|i| NodeRecord {
                node_type: b'A',
                uuid: [0x10, (i >> 8) as u8, i as u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                public: Some(SocketAddr::from(([10, 9, (i >> 8) as u8, i as u8], 40000))),
                local: None,
                permissions: 0,
                local_id: 0x4000 + i,
                secret: None,
            })
            .collect();
        o.learn(13, 0, sa(DS), sa(AGENT), &Learned { nodes: fill, ..Learned::default() });
        let mut r = Run::with(o);
        r.frame = 13;
        let send = |r: &mut Run, src: &str, payload: &[u8]| {
            r.frame += 1;
            // Within the silence threshold: no node is reported (a report counts as a use).
            let pkt = Packet::new(r.frame, (r.frame as i64 - 13) * S, sa(src), sa(DS), payload);
            let mut d = Dissection::new(findings);
            d.set_wants_findings(findings);
            d.set_wants_info(findings);
            if !findings {
                let kind = udpdissect_overte::PROTOCOL.fields.iter().find(|f| f.key == "overte.type").unwrap();
                d.set_interest(Some(vec![*kind]));
            }
            r.engine.dissect(&pkt, &mut d);
            assert_eq!(d.protocol, "Overte");
        };
        // The agent's hash-slot datagram to its domain server, which hears it (no
        // authentication), then two new nodes check in: the two least recently used go.
        send(&mut r, AGENT, &dgram(1, 11, 55, Some(AGENT_ID), Some([0; 16]), &[]));
        send(&mut r, "10.0.0.7:50000", &dgram(1, 13, 23, Some(0x7777), None, &list_request(S)));
        send(&mut r, "10.0.0.8:50000", &dgram(1, 13, 23, Some(0x7778), None, &list_request(S)));
        let o = r.send(AGENT, MIXER, 4 * S, &dgram(2, 11, 55, Some(AGENT_ID), Some([0; 16]), &[]));
        assert_eq!(o.field("overte.sender"), Some(Value::String("Agent".into())), "findings read: {findings}");
    }
}
