//! `--keylog FILE` and the eqstream preferences, through the binary.

use std::net::SocketAddrV4;
use std::path::PathBuf;
use std::process::Command;

use udpdissect_eqstream::encode::{Encoder, CLIENT, SERVER};
use udpdissect_eqstream::eq2::KeyGen;
use udpdissect_pcapgen::{link, linktype, packet, PcapWriter, Ts};

const K: u64 = 0x1122_3344_5566_7788;

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("udpdissect-eqcli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A live-style EQ2 session: its KeyGen is a real RSA key, so only an outside key decrypts it.
fn live_capture(path: &PathBuf) {
    let c: SocketAddrV4 = "10.9.8.7:50000".parse().unwrap();
    let s: SocketAddrV4 = "198.51.100.4:9100".parse().unwrap();
    let mut e = Encoder::eq2(0x0a0b_0c0d);
    let mut kg = Vec::new();
    KeyGen { modulus: vec![0xc7; 60], exponent: vec![1, 0, 1] }.emit(&mut kg);
    let mut dgrams = vec![(CLIENT, e.session_request(0, &[])), (SERVER, e.session_response(true))];
    dgrams.push((SERVER, e.packet(SERVER, &kg).1));
    let reply = e.key_reply(K, 60);
    dgrams.push((CLIENT, e.packet(CLIENT, &reply).1));
    let hello = e.eq2_app(SERVER, 4, b"hello");
    dgrams.push((SERVER, e.packet(SERVER, &hello).1));
    write_pcap(path, s, dgrams.into_iter().map(|(from, p)| (c, from, p)));
}

/// Datagrams between clients and `server` (client, sender, payload), one a second, as a pcap.
fn write_pcap(path: &PathBuf, server: SocketAddrV4, dgrams: impl IntoIterator<Item = (SocketAddrV4, usize, Vec<u8>)>) {
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, false, false).unwrap();
    for (i, (c, from, p)) in dgrams.into_iter().enumerate() {
        let (src, dst) = if from == CLIENT { (c, server) } else { (server, c) };
        w.write(Ts::new(1_772_438_400 + i as i64, 0), &link::ethernet_ip(&packet::udp4(src, dst, &p))).unwrap();
    }
    std::fs::write(path, w.into_inner()).unwrap();
}

/// A capture built by `make` in a scratch directory: (the directory, the capture's path).
fn capture(tag: &str, make: fn(&PathBuf)) -> (PathBuf, String) {
    let dir = scratch(tag);
    let cap = dir.join(format!("{tag}.pcap"));
    make(&cap);
    let cap = cap.to_str().unwrap().to_string();
    (dir, cap)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_udpdissect")).args(args).output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
}

#[test]
fn keylog_decrypts_a_session_whose_key_reply_is_unreadable() {
    let (dir, cap) = capture("keylog", live_capture);
    let cap = cap.as_str();

    let (code, out, _) = run(&[cap]);
    assert_eq!(code, 0);
    let last = out.lines().last().unwrap();
    assert!(last.contains("EQ2 encrypted") && last.contains("[eqstream.no_rc4_key]"), "{out}");
    assert!(out.lines().nth(2).unwrap().contains("[eqstream.rsa_key]"), "{out}");

    let log = dir.join("keys.log");
    std::fs::write(&log, "# session id, key\n0a0b0c0d 1122334455667788\n").unwrap();
    let (code, out, err) = run(&["--keylog", log.to_str().unwrap(), cap]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().last().unwrap().ends_with("Packet seq=1, OP_LoginReplyMsg"), "{out}");
    assert!(out.lines().nth(3).unwrap().contains("Key reply K=1122334455667788"), "{out}");

    // The same key as a preference.
    let (_, out, _) = run(&["-o", "eqstream.rc4_key:1122334455667788", cap]);
    assert!(out.lines().last().unwrap().ends_with("OP_LoginReplyMsg"), "{out}");

    // A broken key log is a usage error that says where.
    std::fs::write(&log, "0a0b0c0d nothex\n").unwrap();
    let (code, _, err) = run(&["--keylog", log.to_str().unwrap(), cap]);
    assert_eq!(code, 2);
    assert!(err.contains("--keylog") && err.contains("line 1"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn eqstream_prefs_are_listed_and_checked() {
    let (code, _, err) = run(&["-o", "eqstream.rc4_key_source:bogus", "captures/eqstream-xor.pcap"]);
    assert_eq!(code, 2);
    assert!(err.contains("expected 'reply' or 'session'"), "{err}");
}

/// Six EQ2 connections (emulator key), each sending one compressed packet, then each a second:
/// with room for four streams the first two connections' streams have given way by then.
fn six_streams(path: &PathBuf) {
    let s: SocketAddrV4 = "198.51.100.4:9100".parse().unwrap();
    let mut sessions = Vec::new();
    let mut dgrams = Vec::new();
    for i in 0..6u8 {
        let c = SocketAddrV4::new([10, 9, 8, 10 + i].into(), 50_000);
        let mut e = Encoder::eq2(0x0a0b_0c00 | u32::from(i));
        dgrams.push((c, CLIENT, e.session_request(0, &[])));
        dgrams.push((c, SERVER, e.session_response(true)));
        let kg = e.keygen();
        dgrams.push((c, SERVER, e.packet(SERVER, &kg).1));
        let reply = e.key_reply(K, 60);
        dgrams.push((c, CLIENT, e.packet(CLIENT, &reply).1));
        let big = e.eq2_app(SERVER, 4, &[7; 300]);
        dgrams.push((c, SERVER, e.packet(SERVER, &big).1));
        sessions.push((c, e));
    }
    for (c, e) in &mut sessions {
        let big = e.eq2_app(SERVER, 4, &[8; 300]);
        dgrams.push((*c, SERVER, e.packet(SERVER, &big).1));
    }
    write_pcap(path, s, dgrams);
}

#[test]
fn max_streams_sets_how_many_zlib_streams_are_kept() {
    let (dir, cap) = capture("streams", six_streams);
    let cap = cap.as_str();
    // Every second packet inflates by default.
    let (code, out, _) = run(&["-T", "fields", "-e", "frame.number", "-e", "eqstream.eq2.inflated_len", cap]);
    assert_eq!(code, 0);
    let inflated = out.lines().filter(|l| l.split('\t').nth(1).is_some_and(|n| !n.is_empty())).count();
    assert_eq!(inflated, 12, "{out}");
    let (code, out, _) = run(&["-o", "eqstream.max_streams:4", "-q", "-z", "expert", cap]);
    assert_eq!(code, 0);
    let row = out.lines().find(|l| l.starts_with("| eqstream.streams_full ")).unwrap_or_else(|| panic!("{out}"));
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    // The first connection's second packet is frame 31, after five frames per connection.
    assert_eq!(cells[2..5], ["note", "2", "31"], "{out}");
    assert!(cells[5].contains("more than 4 connections") && cells[5].contains("-o eqstream.max_streams:N"), "{row}");
    let (code, _, err) = run(&["-o", "eqstream.max_streams:0", cap]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("expected a number of streams from 1 to 65536"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
