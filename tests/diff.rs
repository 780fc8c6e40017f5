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
    for quiet in ["overte.udt.control:", "overte.connect.connect_uuid:", "overte.check_in.timestamp:"] {
        assert!(!out.contains(quiet), "{quiet} should not be reported:\n{out}");
    }
}
