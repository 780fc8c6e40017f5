//! `udpdissect diff`: pairs of heartbeat captures built byte by byte (our client vs the official
//! one), run through the binary, with the differences, hints, alignment, JSON and exit statuses
//! a user relies on.

mod common;
use std::net::SocketAddrV4;
use std::path::{Path, PathBuf};
use std::process::Command;
use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::{link, linktype, packet, PcapWriter, Ts};

const T0: i64 = 1_772_438_400;

use common::{beat, reply, sa};

/// A capture as a list of UDP datagrams: (milliseconds from T0, source, destination, payload).
#[derive(Clone)]
struct Cap(Vec<(i64, SocketAddrV4, SocketAddrV4, Vec<u8>)>);

impl Cap {
    /// `beats` beats 60 s apart from `client` (a new port each time) to `server`:3335 with
    /// `uid`, each answered alive 3 ms later.
    fn session(client: &str, server: &str, uid: i64, beats: usize) -> Cap {
        let server = sa(&format!("{server}:3335"));
        let mut v = Vec::new();
        for i in 0..beats {
            let c = sa(&format!("{client}:{}", 40_000 + i));
            v.push((i as i64 * 60_000, c, server, beat(uid)));
            v.push((i as i64 * 60_000 + 3, server, c, reply(Reply::alive(uid))));
        }
        Cap(v)
    }

    fn bytes(&self) -> Vec<u8> {
        let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, false, false).unwrap();
        let mut frames = self.0.clone();
        frames.sort_by_key(|f| f.0);
        for (ms, src, dst, payload) in frames {
            let ts = Ts::new(T0 + ms / 1000, (ms % 1000) as u32 * 1_000_000);
            w.write(ts, &link::ethernet_ip(&packet::udp4(src, dst, &payload))).unwrap();
        }
        w.into_inner()
    }
}

/// A fresh scratch directory per test.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("udpdissect-diff-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes both captures as `ours.pcap` and `theirs.pcap` in a scratch directory and runs
/// `udpdissect diff [extra] ours.pcap theirs.pcap` there: (exit status, stdout, stderr).
fn diff(tag: &str, ours: &Cap, theirs: &Cap, extra: &[&str]) -> (i32, String, String) {
    let dir = scratch(tag);
    std::fs::write(dir.join("ours.pcap"), ours.bytes()).unwrap();
    std::fs::write(dir.join("theirs.pcap"), theirs.bytes()).unwrap();
    run(&dir, extra, &["ours.pcap", "theirs.pcap"])
}

fn run(dir: &Path, extra: &[&str], files: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .current_dir(dir)
        .arg("diff")
        .args(extra)
        .args(files)
        .output()
        .unwrap();
    (o.status.code().unwrap(), String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
}

fn ours() -> Cap {
    Cap::session("10.20.30.40", "172.16.202.201", 1_234_567_890_123, 3)
}

/// The official client: another machine, another server address, another login (UID).
fn theirs() -> Cap {
    Cap::session("192.168.7.9", "172.16.202.202", 987_654_321_098, 3)
}

#[test]
fn identical_sessions_from_other_addresses_and_uids_are_equivalent() {
    let (code, out, err) = diff("same", &ours(), &theirs(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ours    ours.pcap: 6 frames, 6 messages"), "{out}");
    // The heartbeat's few volatile keys by name, and no other protocol's.
    assert!(
        out.contains(
            "rules:  ignored: heartbeat: heartbeat.uid, heartbeat.session, heartbeat.beat, heartbeat.interval, \
             heartbeat.response_to, heartbeat.time, heartbeat.request_uid (see --explain)\n"
        ),
        "{out}"
    );
    assert!(out.contains("equivalent: 6 aligned messages, no differing field, no unmatched message"), "{out}");
    assert!(
        out.contains("  heartbeat  client→server  request        3      3          0          0            0"),
        "{out}"
    );

    // --strict compares the UIDs: every message differs, by heartbeat.uid only.
    let (code, out, _) = diff("same-strict", &ours(), &theirs(), &["--strict"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("rules:  nothing ignored (--strict)"), "{out}");
    assert!(out.contains("heartbeat.uid: ours 1234567890123, theirs 987654321098"), "{out}");
    assert!(
        out.contains("different: 6 differences in 6 pairs of 6 aligned; 0 only in ours, 0 only in theirs"),
        "{out}"
    );
}

#[test]
fn nonzero_reply_padding_is_named_with_bytes_and_positions() {
    let mut t = theirs();
    let mut o = ours();
    // Our server (a test double) pads its second reply with "SRUN".
    o.0[3].3 = reply(Reply { uid: 1_234_567_890_123, padding: *b"SRUN\0\0\0\0" });
    t.0[3].3 = reply(Reply::alive(987_654_321_098));
    let (code, out, _) = diff("padding", &o, &t, &[]);
    assert_eq!(code, 1, "{out}");
    let expected = "\
heartbeat server→client reply: ours frame 4, theirs frame 4
  heartbeat.padding: ours 5352554e00000000, theirs 0000000000000000
    ours   frame 4 @50+8  53 52 55 4e 00 00 00 00
    theirs frame 4 @50+8  00 00 00 00 00 00 00 00
";
    assert!(out.contains(expected), "{out}");
    assert!(out.contains("different: 1 difference in 1 pair of 6 aligned"), "{out}");
}

#[test]
fn a_byte_swapped_uid_gets_the_endianness_hint() {
    let uid = 1_234_567_890_123i64;
    let mut o = Cap::session("10.20.30.40", "172.16.202.201", uid, 1);
    let t = Cap::session("192.168.7.9", "172.16.202.202", uid, 1);
    // Our client writes the UID big-endian; the server echoes what it read.
    o.0[0].3 = uid.to_be_bytes().to_vec();
    o.0[1].3 = reply(Reply::alive(i64::from_le_bytes(uid.to_be_bytes())));
    for extra in [&["--strict"][..], &["--only", "heartbeat.uid"]] {
        let (code, out, _) = diff("swapped", &o, &t, extra);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("heartbeat.uid: ours -3817650120833302528, theirs 1234567890123"), "{out}");
        assert!(out.contains("    ours   frame 1 @42+8  00 00 01 1f 71 fb 04 cb"), "{out}");
        assert!(out.contains("    theirs frame 1 @42+8  cb 04 fb 71 1f 01 00 00"), "{out}");
        assert!(
            out.contains("    hint: ours is the byte-swapped 0xcb04fb711f010000 (theirs' bytes in wire order): a little-/big-endian mix-up"),
            "{out}"
        );
    }
}

#[test]
fn a_trailing_byte_gets_the_missing_at_the_end_hint() {
    let mut o = ours();
    let mut b = beat(1_234_567_890_123);
    b.push(0x0a);
    o.0[2].3 = b;
    let (code, out, _) = diff("trailing", &o, &theirs(), &["--bytes"]);
    assert_eq!(code, 1, "{out}");
    let expected = "\
heartbeat client→server request: ours frame 3, theirs frame 3
  heartbeat.trailing: ours 0a, theirs (absent)
    ours   frame 3 @50+1  0a
    theirs frame 3 (absent)
    hint: field missing at the end: ours has 1 more byte at the end: 0a (heartbeat.trailing); theirs ends before them";
    assert!(out.contains(expected), "{out}");
    // --bytes: the payloads row by row, field names in the margin.
    assert!(out.contains("  ! 0000  cb 04 fb 71 1f 01 00 00 | ca f3 c8 f4 e5 00 00 00  heartbeat.uid"), "{out}");
    assert!(out.contains("  ! 0008  0a                      | ..                       heartbeat.trailing"), "{out}");
}

#[test]
fn one_extra_exchange_in_the_middle_is_reported_alone() {
    // The official client beats 4 times; ours missed the third beat (a 120 s gap).
    let t = Cap::session("192.168.7.9", "172.16.202.202", 987_654_321_098, 4);
    let mut o = Cap::session("10.20.30.40", "172.16.202.201", 1_234_567_890_123, 4);
    o.0.drain(4..6);
    let (code, out, _) = diff("align", &o, &t, &[]);
    assert_eq!(code, 1, "{out}");
    let expected = "\
only in theirs (2):
  frame 5      heartbeat client→server request (8 bytes)
  frame 6      heartbeat server→client reply (16 bytes)
";
    assert!(out.contains(expected), "{out}");
    assert!(!out.contains("only in ours ("), "{out}");
    assert!(
        out.contains("different: 0 differences in 0 pairs of 6 aligned; 0 only in ours, 2 only in theirs"),
        "{out}"
    );
    assert!(
        out.contains("  heartbeat  server→client  reply          3      3          0          0            1"),
        "{out}"
    );
}

#[test]
fn an_extra_exchange_is_told_apart_by_its_content() {
    // Theirs has an extra exchange at 90 s whose reply is 20 bytes long: alignment by type
    // and content pairs every other message, with no cascade of differences after it.
    let mut t = theirs();
    let c = sa("192.168.7.9:41000");
    let s = sa("172.16.202.202:3335");
    let mut long = reply(Reply::alive(987_654_321_098));
    long.extend_from_slice(&[0; 4]);
    t.0.push((90_000, c, s, beat(987_654_321_098)));
    t.0.push((90_003, s, c, long));
    let (code, out, _) = diff("align-content", &ours(), &t, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("only in theirs (2):\n  frame 5      heartbeat client→server request (8 bytes)\n  frame 6      heartbeat server→client reply (20 bytes)\n"), "{out}");
    assert!(out.contains("different: 0 differences in 0 pairs of 6 aligned"), "{out}");
}

#[test]
fn json_report_has_the_differences() {
    let mut o = ours();
    o.0[1].3 = reply(Reply { uid: 1_234_567_890_123, padding: [1; 8] });
    let (code, out, _) = diff("json", &o, &theirs(), &["-T", "json"]);
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "udpdissect-diff");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["equivalent"], false);
    let pair = &doc["pairs"][0];
    assert_eq!(pair["direction"], "server→client");
    assert_eq!((pair["ours"]["frame"].as_u64(), pair["theirs"]["frame"].as_u64()), (Some(2), Some(2)));
    let d = &pair["differences"][0];
    assert_eq!(d["key"], "heartbeat.padding");
    assert_eq!(d["ours"]["hex"], "0101010101010101");
    assert_eq!(d["theirs"]["hex"], "0000000000000000");
    assert_eq!((d["ours"]["offset"].as_u64(), d["ours"]["len"].as_u64()), (Some(50), Some(8)));
    assert_eq!(doc["summary"].as_array().unwrap().len(), 2);
    assert_eq!(doc["rules"]["volatile"]["heartbeat"][0], "heartbeat.uid");
}

#[test]
fn explain_lists_the_volatile_fields() {
    let (code, out, _) = run(&std::env::temp_dir(), &["--explain"], &[]);
    assert_eq!(code, 0);
    assert!(out.contains("  heartbeat:\n    heartbeat.uid            login session id"), "{out}");
    assert!(out.contains("heartbeat.response_to"), "{out}");
}

#[test]
fn usage_errors_and_unreadable_captures_exit_2() {
    let dir = scratch("errors");
    std::fs::write(dir.join("ours.pcap"), ours().bytes()).unwrap();
    let (code, _, err) = run(&dir, &[], &["ours.pcap", "missing.pcap"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.pcap: cannot open"), "{err}");
    let (code, _, err) = run(&dir, &[], &["ours.pcap", "."]);
    assert_eq!(code, 2);
    assert!(err.contains(".: is a folder, not a capture"), "{err}");
    std::fs::write(dir.join("junk.pcap"), b"not a capture at all").unwrap();
    assert_eq!(run(&dir, &[], &["ours.pcap", "junk.pcap"]).0, 2);
    let (code, _, err) = run(&dir, &["--only", "heartbeat.nope"], &["ours.pcap", "ours.pcap"]);
    assert_eq!(code, 2);
    assert!(err.contains("--only heartbeat.nope: no field"), "{err}");
    assert_eq!(run(&dir, &["--proto", "nope"], &["ours.pcap", "ours.pcap"]).0, 2);
    assert_eq!(run(&dir, &[], &["ours.pcap"]).0, 2);
    assert_eq!(run(&dir, &["--strict", "--ignore", "heartbeat.padding"], &["ours.pcap", "ours.pcap"]).0, 2);
}

#[test]
fn a_damaged_capture_is_compared_as_far_as_it_reads() {
    let dir = scratch("damaged");
    std::fs::write(dir.join("ours.pcap"), ours().bytes()).unwrap();
    let mut cut = theirs().bytes();
    cut.truncate(cut.len() - 10);
    std::fs::write(dir.join("theirs.pcap"), cut).unwrap();
    let (code, out, _) = run(&dir, &[], &["ours.pcap", "theirs.pcap"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("note: theirs (theirs.pcap) is damaged:"), "{out}");
    assert!(out.contains("only the 5 frames before the damage were compared"), "{out}");
    assert!(out.contains("only in ours (1):\n  frame 6 "), "{out}");
}

/// The README's worked example: our client writes the UID big-endian, so the server does not
/// know the session and answers -2; the official client, logged in with the same UID, is alive.
fn readme_pair() -> (Cap, Cap) {
    let uid = 1_234_567_890_123i64;
    let mut mine = Cap::session("10.20.30.40", "172.16.202.201", uid, 2);
    for (i, m) in mine.0.iter_mut().enumerate() {
        m.3 = if i % 2 == 0 { uid.to_be_bytes().to_vec() } else { reply(Reply::dead()) };
    }
    (mine, Cap::session("10.20.30.41", "172.16.202.201", uid, 2))
}

#[test]
fn the_readme_example() {
    let (mine, official) = readme_pair();
    let (code, out, _) = diff("readme", &mine, &official, &[]);
    assert_eq!(code, 1, "{out}");
    let expected = "\
heartbeat server→client reply: ours frame 2, theirs frame 2
  heartbeat.status: ours dead (1), theirs alive (0)
    ours   frame 2 (generated)
    theirs frame 2 (generated)
";
    assert!(out.contains(expected), "{out}");
    assert!(
        out.contains("different: 2 differences in 2 pairs of 4 aligned; 0 only in ours, 0 only in theirs"),
        "{out}"
    );
    let (code, out, _) = diff("readme-only", &mine, &official, &["--only", "heartbeat.uid"]);
    assert_eq!(code, 1, "{out}");
    let expected = "\
heartbeat client→server request: ours frame 1, theirs frame 1
  heartbeat.uid: ours -3817650120833302528, theirs 1234567890123
    ours   frame 1 @42+8  00 00 01 1f 71 fb 04 cb
    theirs frame 1 @42+8  cb 04 fb 71 1f 01 00 00
    hint: ours is the byte-swapped 0xcb04fb711f010000 (theirs' bytes in wire order): a little-/big-endian mix-up; write the 8-byte field in the other byte order
";
    assert!(out.contains(expected), "{out}");
}

/// The README's worked example: the home-made Overte client against the official one. The
/// mistakes come out with their hints; session-dependent values (UUIDs, timestamps, secrets)
/// and bits that merely share a word with a difference stay out.
#[test]
fn home_made_overte_client_against_the_official_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, err) = run(root, &[], &["captures/overte-buggy-client.pcapng", "captures/overte-session.pcapng"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("overte client→server DomainConnectRequest: ours frame 1, theirs frame 8"), "{out}");
    assert!(
        out.contains(
            "hint: a different Qt address family byte: ours 1 (IPv6), theirs 0 (IPv4); \
             QAbstractSocket::NetworkLayerProtocol is 0 IPv4, 1 IPv6, 2 any"
        ),
        "{out}"
    );
    assert!(out.contains("overte.addr.port: ours 28416, theirs 53412"), "{out}");
    // The scope string Qt reads as empty, from the odd length the IPv4 bytes make.
    assert!(out.contains("overte.addr.scope_id: ours \"\", theirs (absent)\n"), "{out}");
    for quiet in ["overte.udt.control:", "overte.connect.connect_uuid:", "overte.check_in.timestamp:"] {
        assert!(!out.contains(quiet), "{quiet} should not be reported:\n{out}");
    }
}

// ---------------------------------------------------------------------------------------------
// Overte capture pairs, one per hint: two captures of the same exchange built with the Overte
// crate's reprs (`emit`), identical except for the one mistake the hint describes.

use std::borrow::Cow;
use udpdissect_overte::nlpacket::NlHeader;
use udpdissect_overte::payload::codec::{QBytes, QSockAddr, QStr};
use udpdissect_overte::payload::domain::{CheckIn, ConnectRequest, ListHeader, ListRequest, NodeRec};
use udpdissect_overte::payload::ping::Ping;
use udpdissect_overte::payload::types as pt;
use udpdissect_overte::types::{self as ot, VersionTable, BUILTIN_SIGNATURE};
use udpdissect_overte::udt::DataHeader;

/// The client, the domain server and an audio mixer (conventional ports 40102 and 48000).
const CLIENT: &str = "192.168.1.20:53412";
const DOMAIN: &str = "203.0.113.10:40102";
const MIXER: &str = "203.0.113.10:48000";

/// The built-in version of packet type `t`.
fn version(t: u8) -> u8 {
    VersionTable::default().version(t).unwrap()
}

/// One Overte datagram: an unreliable UDT data header (sequence number `seq`), the NLPacket
/// header (type, version, the source Local ID for sourced types and a zero HMAC slot for
/// verified ones, as the type's sets say) and the payload.
fn overte(seq: u32, t: u8, version: u8, source_id: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    DataHeader { reliable: false, obfuscation: 0, seq, message: None }.emit(&mut b);
    NlHeader {
        packet_type: t,
        version,
        source_id: ot::is_sourced(t).then_some(source_id),
        hmac: ot::is_verified(t).then_some([0; 16]),
    }
    .emit(&mut b);
    b.extend_from_slice(payload);
    b
}

/// What differs between two runs of the same client: session UUIDs, timestamps, secrets,
/// Local IDs, the machine.
#[derive(Clone, Copy)]
struct Run {
    /// Seeds every random byte.
    seed: u8,
    /// Microseconds since the epoch at the first packet.
    clock: u64,
    local_id: u16,
}

const RUN: Run = Run { seed: 0x11, clock: 1_772_438_400_086_020, local_id: 0x9b5c };
const OTHER_RUN: Run = Run { seed: 0xa7, clock: 1_772_525_000_123_456, local_id: 0x2071 };

fn uuid(seed: u8, n: u8) -> [u8; 16] {
    std::array::from_fn(|i| seed.wrapping_mul(31).wrapping_add(n).wrapping_add(i as u8 * 17))
}

/// The check-in both requests end with, sent `after` µs into the run.
fn check_in(run: Run, after: u64) -> CheckIn<'static> {
    CheckIn {
        timestamp: run.clock + after,
        owner_type: b'I', // Agent
        public_type: 1,   // UDP
        public: QSockAddr::v4([192, 0, 2, 55], 53412),
        local_type: 1,
        local: QSockAddr::v4([192, 168, 1, 20], 53412),
        interests: Cow::Borrowed(b"MWoAmS"),
        place_name: QStr::from_text("home"),
        username: None,
        username_signature: None,
        domain_username: None,
        domain_tokens: None,
    }
}

fn connect_request(run: Run) -> ConnectRequest<'static> {
    ConnectRequest {
        connect_uuid: uuid(run.seed, 1),
        signature: QBytes(Some(Cow::Owned(BUILTIN_SIGNATURE.to_vec()))),
        hardware_address: QStr::from_text(if run.seed == RUN.seed { "2C:F0:5D:3A:91:C4" } else { "00:1B:21:0A:77:E2" }),
        machine_fingerprint: uuid(run.seed, 2),
        system_info: QBytes(None),
        connect_reason: 0,
        previous_uptime: u64::from(run.seed) * 1_000_000,
        check_in: check_in(run, 0),
    }
}

/// The server's answer: a DomainList assigning the client its Local ID, with one audio mixer
/// and its connection secret.
fn domain_list(run: Run) -> Vec<u8> {
    let header = ListHeader {
        session_uuid: uuid(run.seed, 3),
        domain_local_id: run.local_id ^ 0x1111,
        your_uuid: uuid(run.seed, 4),
        your_local_id: run.local_id,
        permissions: 1,
        authenticate: 0,
        last_check_in: run.clock,
        server_time: run.clock + 2_000,
        processing_time: 150 + u64::from(run.seed),
        new_connection: 1,
    };
    let mixer = NodeRec {
        node_type: b'M',
        uuid: uuid(run.seed, 5),
        public_type: 1,
        public: QSockAddr::v4([203, 0, 113, 10], 48000),
        local_type: 1,
        local: QSockAddr::v4([10, 0, 0, 5], 48000),
        permissions: 1,
        replicated: 0,
        local_id: run.local_id ^ 0x2222,
        secret: uuid(run.seed, 6),
    };
    let mut b = Vec::new();
    udpdissect_overte::payload::domain::DomainList { header, nodes: vec![mixer] }.emit(&mut b);
    b
}

fn emitted(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut b = Vec::new();
    f(&mut b);
    b
}

/// The client's messages of a connect, as reprs: what a test changes to make a mistake.
struct Parts {
    connect: ConnectRequest<'static>,
    connect_version: u8,
    list_request: ListRequest<'static>,
    /// The Local ID the client writes in its sourced NLPacket headers.
    source_id: u16,
    ping: Ping,
}

/// A connect: DomainConnectRequest, the DomainList answer (the client's Local ID), a
/// DomainListRequest check-in and a Ping to the audio mixer. `mistake` changes the reprs,
/// `raw` the datagrams after they are emitted (connect, list, list request, ping).
fn overte_session(run: Run, mistake: impl FnOnce(&mut Parts), raw: impl FnOnce(&mut [Vec<u8>; 4])) -> Cap {
    let mut p = Parts {
        connect: connect_request(run),
        connect_version: version(pt::DOMAIN_CONNECT_REQUEST),
        list_request: ListRequest { check_in: check_in(run, 1_000_000) },
        source_id: run.local_id,
        ping: Ping { ping_type: 2, timestamp: run.clock + 1_040_000, connection_id: i64::from(run.seed) },
    };
    mistake(&mut p);
    // Each run starts its connections at another UDT sequence number.
    let seq = u32::from(run.seed) << 8;
    let mut dgrams = [
        overte(seq, pt::DOMAIN_CONNECT_REQUEST, p.connect_version, 0, &emitted(|b| p.connect.emit(b))),
        overte(seq + 7, pt::DOMAIN_LIST, version(pt::DOMAIN_LIST), 0, &domain_list(run)),
        overte(
            seq + 1,
            pt::DOMAIN_LIST_REQUEST,
            version(pt::DOMAIN_LIST_REQUEST),
            p.source_id,
            &emitted(|b| p.list_request.emit(b)),
        ),
        overte(seq + 3, pt::PING, version(pt::PING), p.source_id, &emitted(|b| p.ping.emit(b))),
    ];
    raw(&mut dgrams);
    let [connect, list, list_request, ping] = dgrams;
    let (c, d, m) = (sa(CLIENT), sa(DOMAIN), sa(MIXER));
    Cap(vec![(0, c, d, connect), (25, d, c, list), (1_000, c, d, list_request), (1_040, c, m, ping)])
}

/// The official client's run of the connect, without a mistake.
fn official() -> Cap {
    overte_session(OTHER_RUN, |_| {}, |_| {})
}

/// Diffs our capture against the official one: they differ (status 1) and the report has
/// `block` (the pair's title, the field, both positions and bytes, the hint) verbatim.
fn differs_by(tag: &str, ours: &Cap, theirs: &Cap, extra: &[&str], block: &str) -> String {
    let (code, out, err) = diff(tag, ours, theirs, extra);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains(block), "expected\n{block}\nin\n{out}");
    out
}

#[test]
fn overte_runs_differing_only_in_volatile_fields_are_equivalent() {
    // Another run: other session UUIDs, machine, timestamps, uptime, Local IDs, connection
    // secret, ping connection ID and UDT sequence numbers.
    let (ours, theirs) = (overte_session(RUN, |_| {}, |_| {}), official());
    let (code, out, err) = diff("ov-volatile", &ours, &theirs, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("equivalent: 4 aligned messages, no differing field, no unmatched message"), "{out}");
    // Overte's many volatile keys are counted (--explain names them); the protocols neither
    // capture has are not listed.
    let volatile = udpdissect_overte::PROTOCOL.volatile.len();
    assert!(volatile > 8, "{volatile}");
    assert!(out.contains(&format!("rules:  ignored: overte: {volatile} volatile fields (see --explain)\n")), "{out}");
    let (_, out, _) = diff("ov-volatile-only", &ours, &theirs, &["--only", "overte.ping"]);
    assert!(
        out.contains(
            "rules:  only overte.ping; ignored: overte: overte.ping.timestamp, overte.ping.connection_id, \
             overte.ping.reply_timestamp (see --explain)\n"
        ),
        "{out}"
    );
    // They do differ, in exactly those fields.
    let (code, out, _) = diff("ov-volatile-strict", &ours, &theirs, &["--strict"]);
    assert_eq!(code, 1, "{out}");
    for key in [
        "overte.udt.seq",
        "overte.connect.connect_uuid",
        "overte.connect.machine_fingerprint",
        "overte.check_in.timestamp",
        "overte.domain_list.session_uuid",
        "overte.node.secret",
        "overte.source_id",
        "overte.ping.connection_id",
    ] {
        assert!(out.contains(&format!("  {key}: ours ")), "{key} should differ under --strict:\n{out}");
    }
}

#[test]
fn overte_null_vs_empty_hardware_address() {
    // Ours sends "no hardware address" as a null QString, theirs as an empty one. The field is
    // volatile (another machine, another address): --only names it.
    let ours = overte_session(RUN, |p| p.connect.hardware_address = QStr::null(), |_| {});
    let theirs = overte_session(OTHER_RUN, |p| p.connect.hardware_address = QStr(Some(Cow::Borrowed(&[]))), |_| {});
    let only = ["--only", "overte.connect.hardware_address"];
    // UDT header 4 + NLPacket header 2 (type 31 is not sourced) + connect UUID 16 + signature
    // 4 + 16: the hardware address at payload 42, frame 84 (Ethernet 14, IPv4 20, UDP 8).
    let out = differs_by(
        "ov-null-empty",
        &ours,
        &theirs,
        &only,
        "\
overte client→server DomainConnectRequest: ours frame 1, theirs frame 1
  overte.connect.hardware_address: ours (null), theirs \"\"
    ours   frame 1 @84+4  ff ff ff ff
    theirs frame 1 @84+4  00 00 00 00
    hint: null vs empty Qt string: ours has length 0xffffffff (a null QString/QByteArray), theirs 0x00000000 (an empty one); Qt's reader tells them apart
",
    );
    assert!(out.contains("different: 1 difference in 1 pair of 4 aligned"), "{out}");
    // Without --only the volatile field is not compared.
    assert_eq!(diff("ov-null-empty-default", &ours, &theirs, &[]).0, 0);
}

#[test]
fn overte_place_name_in_utf8_vs_utf16() {
    // Ours writes the place name's UTF-8 bytes behind the QString length; a QString is UTF-16BE.
    let ours = overte_session(RUN, |p| p.list_request.check_in.place_name = QStr(Some(Cow::Borrowed(b"home"))), |_| {});
    // DomainListRequest: UDT 4 + NLPacket 4 (type, version, source ID) + check-in: timestamp
    // 8, owner 1, socket type 1, public SockAddr 7, socket type 1, local SockAddr 7, interest
    // count 4 + 6: the place name at payload 39, frame 85.
    differs_by(
        "ov-utf8",
        &ours,
        &official(),
        &[],
        "\
overte client→server DomainListRequest: ours frame 3, theirs frame 3
  overte.check_in.place_name: ours 桯浥, theirs home
    ours   frame 3 @85+8  00 00 00 04 68 6f 6d 65
    theirs frame 3 @85+12  00 00 00 08 00 68 00 6f 00 6d 00 65
    hint: ours is UTF-8 (or Latin-1) where theirs is UTF-16BE: the same text, half the bytes
  note: the messages differ in length: ours 51 bytes, theirs 55: theirs has 4 more bytes
",
    );
}

#[test]
fn overte_connect_request_with_another_version() {
    let ours = overte_session(RUN, |p| p.connect_version = 26, |_| {});
    assert_eq!(version(pt::DOMAIN_CONNECT_REQUEST), 27);
    let out = differs_by(
        "ov-version",
        &ours,
        &official(),
        &[],
        "\
overte client→server DomainConnectRequest: ours frame 1, theirs frame 1
  overte.version: ours 26, theirs 27
    ours   frame 1 @47+1  1a
    theirs frame 1 @47+1  1b
    hint: a different protocol version: ours 26, theirs 27; the server may reject or ignore a version it does not expect
  overte.expected_version: ours 27, theirs (absent)
    ours   frame 1 (generated)
    theirs frame 1 (absent)

",
    );
    assert!(out.contains("different: 2 differences in 1 pair of 4 aligned"), "{out}");
}

#[test]
fn overte_connect_request_with_another_signature() {
    // Ours sends the literal a development build sends instead of the MD5 of the version table.
    let ours = overte_session(RUN, |p| p.connect.signature = QBytes(Some(Cow::Borrowed(b"INCORRECTVERSION"))), |_| {});
    // The QByteArray (u32 BE length 16 + 16 bytes) after the connect UUID: payload 16, frame 64.
    // The dissector's verdict on it differs too, with no hint of its own (a computed value).
    differs_by(
        "ov-signature",
        &ours,
        &official(),
        &[],
        "\
overte client→server DomainConnectRequest: ours frame 1, theirs frame 1
  overte.connect.signature: ours 00000010494e434f525245435456455253494f4e, theirs 00000010eb1600e798dc5e03c755a968dc16b7fc
    ours   frame 1 @64+20  00 00 00 10 49 4e 43 4f 52 52 45 43 54 56 45 52 53 49 4f 4e
    theirs frame 1 @64+20  00 00 00 10 eb 16 00 e7 98 dc 5e 03 c7 55 a9 68 dc 16 b7 fc
    hint: a different protocol signature: ours 00000010494e434f525245435456455253494f4e, theirs 00000010eb1600e798dc5e03c755a968dc16b7fc; the server may reject or ignore a signature it does not expect
  overte.signature.status: ours INCORRECTVERSION (2), theirs matches the built-in table (0)
    ours   frame 1 (generated)
    theirs frame 1 (generated)

",
    );
}

#[test]
fn overte_interest_count_off_by_one() {
    // Ours counts one node type of interest more than it lists: the u32 BE count of the
    // DomainListRequest's QList<quint8> (payload 29..33, frame 75..79) says 7 for 6 bytes.
    let ours = overte_session(RUN, |_| {}, |d| d[2][36] += 1);
    let out = differs_by(
        "ov-count",
        &ours,
        &official(),
        &[],
        "\
overte client→server DomainListRequest: ours frame 3, theirs frame 3
  overte.check_in.interest_count: ours 7, theirs 6
    ours   frame 3 @75+4  00 00 00 07
    theirs frame 3 @75+4  00 00 00 06
    hint: length prefix off by +1: ours 7, theirs 6; check what the count includes (its own bytes, a header, a terminator) and its unit (bytes or elements)
",
    );
    // The receiver takes the place name's first length byte as a 7th node type and cannot read
    // the rest.
    assert!(
        out.contains(
            "  overte.check_in.interest #7: ours Unknown (0), theirs (absent)\n    ours   frame 3 @85+1  00\n"
        ),
        "{out}"
    );
    assert!(out.contains("  overte.check_in.place_name: ours (absent), theirs home\n"), "{out}");
}

#[test]
fn overte_ping_without_its_connection_id() {
    // Ours sends a 9-byte Ping (type and timestamp): the i64 LE connection ID that ends the
    // 17-byte payload is missing. Ping is sourced and verified: UDT 4 + NLPacket 20, so the
    // connection ID sits at payload 9, frame 75. It is volatile, but its absence is not.
    let ours = overte_session(RUN, |_| {}, |d| d[3].truncate(d[3].len() - 8));
    let out = differs_by(
        "ov-ping",
        &ours,
        &official(),
        &[],
        "\
overte client→server Ping: ours frame 4, theirs frame 4
  overte.ping.connection_id: ours (absent), theirs 167
    ours   frame 4 (absent)
    theirs frame 4 @75+8  a7 00 00 00 00 00 00 00
    hint: field missing at the end: theirs has 8 more bytes at the end: a7 00 00 00 00 00 00 00 (overte.ping.connection_id); ours ends before them (trailing bytes, or a field ours does not send)

",
    );
    assert!(out.contains("different: 1 difference in 1 pair of 4 aligned"), "{out}");
}

#[test]
fn overte_integers_in_the_other_byte_order() {
    // The connect reason is a u32 BE (QDataStream); ours writes it little-endian.
    let ours = overte_session(RUN, |p| p.connect.connect_reason = 1u32.swap_bytes(), |_| {});
    let theirs = overte_session(OTHER_RUN, |p| p.connect.connect_reason = 1, |_| {});
    differs_by(
        "ov-reason",
        &ours,
        &theirs,
        &[],
        "\
  overte.connect.reason: ours Unknown (16777216), theirs SilentDomainDisconnect (1)
    ours   frame 1 @142+4  01 00 00 00
    theirs frame 1 @142+4  00 00 00 01
    hint: ours is the byte-swapped 0x00000001 (theirs' bytes in wire order): a little-/big-endian mix-up; write the 4-byte field in the other byte order
",
    );
    // The NLPacket source ID is little-endian; ours writes its Local ID big-endian. Volatile (a
    // new ID each run), so named with --only; theirs was given the same ID.
    let ours = overte_session(RUN, |p| p.source_id = p.source_id.swap_bytes(), |_| {});
    let theirs = overte_session(Run { local_id: RUN.local_id, ..OTHER_RUN }, |_| {}, |_| {});
    let out = differs_by(
        "ov-source-id",
        &ours,
        &theirs,
        &["--only", "overte.source_id"],
        "\
overte client→server DomainListRequest: ours frame 3, theirs frame 3
  overte.source_id: ours 0x5c9b, theirs 0x9b5c
    ours   frame 3 @48+2  9b 5c
    theirs frame 3 @48+2  5c 9b
    hint: ours is the byte-swapped 0x5c9b (theirs' bytes in wire order): a little-/big-endian mix-up; write the 2-byte field in the other byte order
",
    );
    assert!(out.contains("overte client→server Ping: ours frame 4, theirs frame 4\n  overte.source_id: ours 0x5c9b, theirs 0x9b5c\n    ours   frame 4 @48+2  9b 5c\n"), "{out}");
    assert!(out.contains("different: 2 differences in 2 pairs of 4 aligned"), "{out}");
}

/// A capture that says it lost packets itself gets a note: the message only the other side
/// has may be the capture's loss, not a difference between the clients.
#[test]
fn a_capture_that_lost_packets_says_so_in_a_note() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let files = ["eqstream-eq1-zone.pcap", "eqstream-capture-loss.pcapng"];
    let (code, out, err) = run(&root, &[], &files);
    assert_eq!(code, 1, "{out}{err}");
    let note = "note: theirs (eqstream-capture-loss.pcapng): the capture itself lost packets (1 by its interfaces' \
                statistics, 1 by its drop counts): a message missing from it, or a gap in its sequence numbers, may \
                be the capture's, not the peer's";
    assert!(out.lines().any(|l| l == note), "{out}");
    assert!(!out.contains("note: ours"), "{out}");
    assert!(out.contains("only in ours (1):"), "{out}");
    let (_, json, _) = run(&root, &["-T", "json"], &files);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["theirs"]["capture_lost"], serde_json::json!({"statistics": 1, "drop_counts": 1}));
    assert_eq!(doc["ours"]["capture_lost"], serde_json::json!({"statistics": null, "drop_counts": null}));
}
