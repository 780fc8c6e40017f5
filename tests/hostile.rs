//! Hostile captures through the binary: each one ends, keeps its peak RSS (VmHWM from
//! /proc/PID/status, polled while it runs) under a stated bound, exits as it should (0 for a
//! valid capture, 2 for a damaged one, with the error naming frame and byte offset and every
//! frame before the damage printed), and carries the finding that explains it.
//!
//! The 60 s wall-clock guard is only a hang detector: a run past it is killed and fails.

mod common;

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{beat, reply, sa};
use serde_json::Value;
use udpdissect_eqstream::encode::{Encoder, CLIENT, SERVER};
use udpdissect_eqstream::{eq2, passes, wire};
use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::{damage, link, linktype, packet, IfOpts, PcapNgWriter, PcapWriter, Ts};

const T0: i64 = 1_772_438_400;
const UID: i64 = 1_234_567_890_123;
const HANG: Duration = Duration::from_secs(60);
/// Peak RSS bound for every case, in kB.
const BOUND_KB: u64 = 64 * 1024;
const K: u64 = 0x0123_4567_89ab_cdef;

// ---------------------------------------------------------------- harness

struct Ran {
    code: Option<i32>,
    out: String,
    err: String,
    path: PathBuf,
}

impl Ran {
    /// The ndjson records.
    fn records(&self) -> Vec<Value> {
        self.out.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    /// Every expert tag of every record, in order.
    fn tags(&self) -> Vec<String> {
        self.records()
            .iter()
            .flat_map(|r| r["expert"].as_array().cloned().unwrap_or_default())
            .map(|e| e["tag"].as_str().unwrap().to_string())
            .collect()
    }

    /// The messages of the experts tagged `tag`.
    fn messages(&self, tag: &str) -> Vec<String> {
        self.records()
            .iter()
            .flat_map(|r| r["expert"].as_array().cloned().unwrap_or_default())
            .filter(|e| e["tag"] == tag)
            .map(|e| e["message"].as_str().unwrap().to_string())
            .collect()
    }

    fn has(&self, tag: &str) -> bool {
        self.tags().iter().any(|t| t == tag)
    }
}

/// Writes `bytes` as `name` in a scratch directory and runs the binary on it with `args`,
/// stdout and stderr to files, watching VmHWM; kills it and fails after [`HANG`].
fn run(name: &str, bytes: &[u8], args: &[&str]) -> Ran {
    let dir = std::env::temp_dir().join(format!("udpdissect-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let (out_path, err_path) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .args(args)
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id();
    let watcher = common::watch_peak_rss(pid, env!("CARGO_BIN_EXE_udpdissect"), Duration::from_micros(500));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > HANG {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{name}: still running after {HANG:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let peak_kb = watcher.join().unwrap();
    let ran = Ran {
        code: status.code(),
        out: std::fs::read_to_string(&out_path).unwrap(),
        err: std::fs::read_to_string(&err_path).unwrap(),
        path,
    };
    // A run of a few milliseconds may end before a reading after exec: said, not failed.
    let sampled = if peak_kb < 1024 { " (ended before a full reading)" } else { "" };
    eprintln!("{name}: exit {:?}, peak RSS {peak_kb} kB{sampled}, {:?}", ran.code, start.elapsed());
    assert!(peak_kb < BOUND_KB, "{name}: peak RSS {peak_kb} kB over the {BOUND_KB} kB bound");
    if std::env::var_os("HOSTILE_KEEP").is_none() {
        std::fs::remove_dir_all(&dir).ok();
    }
    ran
}

/// A valid capture: exit 0, nothing on stderr.
fn clean(name: &str, bytes: &[u8], args: &[&str]) -> Ran {
    let r = run(name, bytes, args);
    assert_eq!(r.code, Some(0), "{name}: {}", r.err);
    assert!(r.err.is_empty(), "{name}: {}", r.err);
    r
}

/// A damaged capture: exit 2, one error line naming `frame` and a byte offset, and the
/// `before` frames ahead of the damage printed. Returns the error.
fn damaged(name: &str, bytes: &[u8], frame: u64, before: usize) -> String {
    let r = run(name, bytes, &["-T", "ndjson"]);
    assert_eq!(r.code, Some(2), "{name}: {}", r.err);
    eprintln!("{name}: {}", r.err.trim_end());
    assert_eq!(r.err.lines().count(), 1, "{name}: {}", r.err);
    let want = format!("udpdissect: {}: frame {frame} at byte offset ", r.path.display());
    assert!(r.err.starts_with(&want), "{name}: {}", r.err);
    let frames: Vec<u64> = r.records().iter().filter_map(|x| x["frame"].as_u64()).collect();
    assert_eq!(frames, (1..=before as u64).collect::<Vec<_>>(), "{name}");
    r.err
}

// ---------------------------------------------------------------- captures

fn pcap(frames: &[(Ts, Vec<u8>)]) -> Vec<u8> {
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 262_144, false, false).unwrap();
    for (ts, f) in frames {
        w.write(*ts, f).unwrap();
    }
    w.into_inner()
}

/// Three heartbeat exchanges: six frames.
fn exchanges() -> Vec<(Ts, Vec<u8>)> {
    let server = sa("172.16.202.201:3335");
    let mut v = Vec::new();
    for n in 0..3u16 {
        let client = SocketAddrV4::new(Ipv4Addr::new(10, 20, 30, 40), 40_000 + n);
        let t = T0 + 60 * i64::from(n);
        v.push((Ts::new(t, 0), link::ethernet_ip(&packet::udp4(client, server, &beat(UID)))));
        let r = reply(Reply::alive(UID));
        v.push((Ts::new(t, 2_500_000), link::ethernet_ip(&packet::udp4(server, client, &r))));
    }
    v
}

/// EQStream datagrams between a client and `server`, as an Ethernet pcap, 10 ms apart.
fn eq_capture(client: SocketAddrV4, server: SocketAddrV4, dgrams: &[(usize, Vec<u8>)]) -> Vec<u8> {
    let frames: Vec<(Ts, Vec<u8>)> = dgrams
        .iter()
        .enumerate()
        .map(|(i, (from, p))| {
            let (src, dst) = if *from == CLIENT { (client, server) } else { (server, client) };
            let t = i as i64 * 10_000_000;
            (Ts::new(T0 + t / 1_000_000_000, (t % 1_000_000_000) as u32), link::ethernet_ip(&packet::udp4(src, dst, p)))
        })
        .collect();
    pcap(&frames)
}

/// Raw deflate bits, least significant first, as RFC 1951 packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, v: u32, n: u32) {
        self.acc |= u64::from(v) << self.n;
        self.n += n;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    /// One fixed-Huffman block: an optional literal 0, then `matches` copies of (length 258,
    /// distance 1), end of block; then an empty stored block (a sync flush, byte-aligned).
    fn zeros_block(&mut self, literal: bool, matches: usize) {
        self.put(0, 1); // not final
        self.put(1, 2); // fixed Huffman
        if literal {
            self.code(0x30, 8); // literal 0
        }
        for _ in 0..matches {
            self.code(0xc0 + (285 - 280), 8); // length 258
            self.code(0, 5); // distance 1
        }
        self.code(0, 7); // end of block
        self.put(0, 1);
        self.put(0, 2); // stored
        if self.n > 0 {
            self.put(0, 8 - self.n);
        }
        self.out.extend_from_slice(&[0, 0, 0xff, 0xff]);
    }

    fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }
}

/// An EQ2Emu login session up to the key reply (RC4 started), on its own client port.
fn eq2_session(port: u16) -> (Encoder, Vec<(usize, Vec<u8>)>) {
    let mut e = Encoder::eq2(0x0a0b_0000 | u32::from(port));
    let mut d = vec![(CLIENT, e.session_request(0, &[])), (SERVER, e.session_response(true))];
    let kg = e.keygen();
    d.push((SERVER, e.packet(SERVER, &kg).1));
    let reply = e.key_reply(K, 60);
    d.push((CLIENT, e.packet(CLIENT, &reply).1));
    (e, d)
}

/// A server→client EQ2 plaintext: the compressed flag, then one sync-flushed block of zeros
/// (the zlib header and a literal first when `first`): `matches` copies of 258 bytes.
fn zeros_plain(bits: &mut Bits, first: bool, matches: usize) -> Vec<u8> {
    let mut plain = vec![eq2::FLAG_COMPRESSED];
    if first {
        plain.extend_from_slice(&[0x78, 0x9c]);
    }
    bits.zeros_block(first, matches);
    plain.extend_from_slice(&bits.take());
    plain
}

/// EQStream datagrams between clients and `server` (client, (sender, datagram)), 1 ms apart.
fn eq_frames<'a>(
    server: SocketAddrV4,
    dgrams: impl IntoIterator<Item = &'a (SocketAddrV4, (usize, Vec<u8>))>,
) -> Vec<u8> {
    let frames: Vec<(Ts, Vec<u8>)> = dgrams
        .into_iter()
        .enumerate()
        .map(|(k, (client, (from, p)))| {
            let (src, dst) = if *from == CLIENT { (*client, server) } else { (server, *client) };
            let ts = Ts::new(T0 + k as i64 / 1000, (k as u32 % 1000) * 1_000_000);
            (ts, link::ethernet_ip(&packet::udp4(src, dst, p)))
        })
        .collect();
    pcap(&frames)
}

// ---------------------------------------------------------------- EQStream bombs

/// EQ1 with the compression pass: 200 packets whose zlib body (a complete stream) inflates to
/// 4 MiB each, 1000 times EQEmu's 4096-byte bound. Each is cut at the bound.
#[test]
fn eq1_zlib_bomb() {
    let mut e = Encoder::new(1, 0x1122_3344, 2, [wire::PASS_COMPRESS, 0], 512);
    let mut d = vec![(CLIENT, e.session_request(3, &[])), (SERVER, e.session_response(false))];
    let bomb = passes::deflate_packet(&vec![0; 4 << 20]);
    assert!(bomb.len() < 60_000, "{}", bomb.len());
    for seq in 0..200u16 {
        let mut p = vec![0, wire::op::PACKET, passes::FLAG_COMPRESSED];
        p.extend_from_slice(&bomb);
        udpdissect_eqstream::crc::append(e.key, 2, &mut p);
        d.push((SERVER, p));
        e.next_seq[SERVER] = seq + 1;
    }
    let cap = eq_capture(sa("10.0.0.5:50123"), sa("192.0.2.20:9000"), &d);
    let r = clean("eq1-bomb.pcap", &cap, &["-T", "ndjson"]);
    let limits = r.messages("eqstream.inflate_limit");
    assert_eq!(limits.len(), 200, "{:?}", r.tags());
    assert!(limits[0].contains("more than 4096 bytes"), "{}", limits[0]);
    assert!(!r.has("eqstream.inflate_failed"), "{:?}", r.tags());
}

/// EQ2: the persistent server→client zlib stream. Session A: 1125 packets of 59 856 bytes each
/// (under the 64 KiB per-packet bound) pass the 64 MiB per-session bound at packet 1122.
/// Session B: one packet that inflates to 77 400 bytes, over the per-packet bound.
#[test]
fn eq2_stream_bomb() {
    let server = sa("192.0.2.10:9100");
    let mut all = Vec::new();
    // Session A.
    let (mut e, mut d) = eq2_session(50_001);
    let mut s2c = eq2::rc4_pair(K).0;
    let mut bits = Bits::default();
    for i in 0..1125 {
        let blob = eq2::seal(&mut s2c, &zeros_plain(&mut bits, i == 0, 232));
        d.push((SERVER, e.packet(SERVER, &blob).1));
    }
    all.extend(d.into_iter().map(|x| (sa("10.0.0.5:50001"), x)));
    // Session B.
    let (mut e, mut d) = eq2_session(50_002);
    let mut s2c = eq2::rc4_pair(K).0;
    let blob = eq2::seal(&mut s2c, &zeros_plain(&mut bits, true, 300));
    d.push((SERVER, e.packet(SERVER, &blob).1));
    all.extend(d.into_iter().map(|x| (sa("10.0.0.5:50002"), x)));
    let cap = eq_frames(server, &all);
    // Each inflated packet is a 59 857-byte derived buffer: the output keeps to the frames
    // with findings (the filter still dissects every frame in full).
    let r = clean("eq2-bomb.pcap", &cap, &["-T", "ndjson", "-Y", "expert"]);
    let recs = r.records();
    let tags_of = |rec: &Value| -> Vec<String> {
        rec["expert"].as_array().unwrap().iter().map(|e| e["tag"].as_str().unwrap().to_string()).collect()
    };
    // Session A's server packets are frames 5..=1129, packet k frame 4 + k. Packets of
    // 1 + 232 * 258 = 59 857 bytes, then 59 856: packet 1122 passes 64 MiB.
    let lost = 4 + (64u64 << 20) / 59_856 + 1;
    let framed: Vec<u64> = recs.iter().map(|x| x["frame"].as_u64().unwrap()).collect();
    assert_eq!(framed, [lost, 1129 + 5], "only the two bombs have findings");
    for rec in &recs {
        assert_eq!(tags_of(rec), ["eqstream.inflate_limit", "eqstream.stream_lost"], "{}", rec["frame"]);
    }
    let msgs = r.messages("eqstream.inflate_limit");
    assert!(msgs[0].contains("passed 64 MiB"), "{}", msgs[0]);
    // Session B: one packet over the per-packet bound.
    assert!(msgs[1].contains("more than 64 KiB"), "{}", msgs[1]);
    // What follows in session A is not decrypted, and quietly so.
    let r = clean("eq2-bomb-after.pcap", &cap, &["-T", "ndjson", "-Y", &format!("frame.number > {lost}")]);
    let recs = r.records();
    assert_eq!(recs.len(), 1129 + 5 - lost as usize);
    for rec in &recs[..1129 - lost as usize] {
        assert!(rec["info"].as_str().unwrap().contains("not decryptable"), "{}", rec["info"]);
    }
}

/// EQ2: 2 000 connections each open a zlib stream whose window fills (40 KiB inflated), more
/// than the 512 kept at once (about 42 KiB each; 100 MB for all). Then each sends one more
/// compressed packet: the 1 488 whose streams gave way report it, the last 512 inflate. (This
/// peaked at 128 MB before streams were bounded.)
#[test]
fn more_live_eq2_streams_than_kept() {
    const N: u16 = 2000;
    const KEPT: u16 = 512;
    let server = sa("192.0.2.10:9100");
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let mut bits = Bits::default();
    for i in 0..N {
        let client = SocketAddrV4::new(Ipv4Addr::new(10, 3, (i / 250) as u8, (i % 250) as u8 + 1), 50_000);
        let (mut e, d) = eq2_session(i);
        let mut s2c = eq2::rc4_pair(K).0;
        let mut packet = |first: bool, matches: usize| {
            (SERVER, e.packet(SERVER, &eq2::seal(&mut s2c, &zeros_plain(&mut bits, first, matches))).1)
        };
        let (a, b) = (packet(true, 158), packet(false, 1));
        first.extend(d.into_iter().chain([a]).map(|x| (client, x)));
        second.push((client, b));
    }
    let r = clean("eq2-streams.pcap", &eq_frames(server, first.iter().chain(&second)), &["-q", "-z", "expert"]);
    // Each tag's row: count and first frame. The first connection's second packet follows the
    // 5 × N frames of the first round.
    let row = |tag: &str| -> Vec<String> {
        let line = r.out.lines().find(|l| l.starts_with(&format!("| {tag} "))).unwrap_or_default();
        line.split('|').map(|c| c.trim().to_string()).collect()
    };
    let (dropped, first) = ((N - KEPT).to_string(), (5 * u32::from(N) + 1).to_string());
    let full = row("eqstream.streams_full");
    assert_eq!(full[2..5], ["note", &dropped, &first], "{}", r.out);
    assert!(full[5].contains("more than 512 connections had one open at once"), "{}", r.out);
    assert_eq!(row("eqstream.stream_lost")[2..5], ["error", &dropped, &first], "{}", r.out);
    assert!(!r.out.contains("eqstream.inflate_failed"), "{}", r.out);
}

/// A connection that disconnects, or starts a new session, gives its stream's place back: 511
/// connections keep their streams while 600 more come and go one after the other (more than the
/// 512 places), and none of the 511 loses its stream.
#[test]
fn eq2_streams_of_ended_sessions_are_freed() {
    let server = sa("192.0.2.10:9100");
    let mut bits = Bits::default();
    let mut zlib_packet = |e: &mut Encoder, s2c: &mut _, first: bool| {
        (SERVER, e.packet(SERVER, &eq2::seal(s2c, &zeros_plain(&mut bits, first, 4))).1)
    };
    let client = |i: u16| SocketAddrV4::new(Ipv4Addr::new(10, 5, (i / 250) as u8, (i % 250) as u8 + 1), 50_000);
    let (mut kept, mut later, mut passing) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..511u16 {
        let (mut e, d) = eq2_session(i);
        let mut s2c = eq2::rc4_pair(K).0;
        let first = zlib_packet(&mut e, &mut s2c, true);
        kept.extend(d.into_iter().chain([first]).map(|x| (client(i), x)));
        later.push((client(i), zlib_packet(&mut e, &mut s2c, false)));
    }
    for i in 511..1111u16 {
        let (mut e, d) = eq2_session(i);
        let mut s2c = eq2::rc4_pair(K).0;
        let first = zlib_packet(&mut e, &mut s2c, true);
        // Every other one disconnects; the rest start a new session on the same ports.
        let end = match i % 2 {
            0 => (CLIENT, e.control(wire::op::SESSION_DISCONNECT, &e.session_id.to_be_bytes())),
            _ => (CLIENT, e.session_request(0, &[])),
        };
        passing.extend(d.into_iter().chain([first, end]).map(|x| (client(i), x)));
    }
    let capture = eq_frames(server, kept.iter().chain(&passing).chain(&later));
    let r = clean("eq2-streams-freed.pcap", &capture, &["-q", "-z", "expert"]);
    assert!(!r.out.contains("eqstream.streams_full"), "{}", r.out);
    assert!(!r.out.contains("eqstream.stream_lost"), "{}", r.out);
    assert!(r.out.contains("| eqstream.session_reset "), "{}", r.out);
}

/// 15 000 EQ2 sessions of five packets each (handshake, key exchange, one plain packet): what
/// a session keeps before it has sent much stays small (it was 15 KiB, rings allocated whole:
/// 223 MB here).
#[test]
fn fifteen_thousand_short_eq2_sessions() {
    let server = sa("192.0.2.10:9100");
    let mut all = Vec::new();
    for i in 0..15_000u16 {
        let client = SocketAddrV4::new(Ipv4Addr::new(10, 4, (i / 250) as u8, (i % 250) as u8 + 1), 50_000);
        let (mut e, mut d) = eq2_session(i);
        let mut plain = vec![eq2::FLAG_PLAIN, 0x20];
        plain.extend_from_slice(&[7; 50]);
        d.push((SERVER, e.packet(SERVER, &eq2::seal(&mut eq2::rc4_pair(K).0, &plain)).1));
        all.extend(d.into_iter().map(|x| (client, x)));
    }
    let r = clean("eq2-sessions.pcap", &eq_frames(server, &all), &["-q", "-z", "expert"]);
    // The 10 000-row statistics table fills; no session loses anything.
    assert!(!r.out.contains("| eqstream."), "{}", r.out);
}

/// An OP_Fragment announcing 0xFFFFFFFF bytes, then 500 continuations: counted, never kept.
#[test]
fn eq_fragment_of_4_gib() {
    let mut e = Encoder::new(1, 0x1122_3344, 2, [0, 0], 512);
    let mut d = vec![(CLIENT, e.session_request(3, &[])), (SERVER, e.session_response(false))];
    let mut first = u32::MAX.to_be_bytes().to_vec();
    first.extend_from_slice(&[1; 400]);
    for seq in 0..501u16 {
        let mut p = Vec::new();
        wire::emit_sequenced(wire::op::FRAGMENT, seq, if seq == 0 { &first } else { &[2; 404] }, &mut p);
        d.push((SERVER, e.seal(&p)));
    }
    e.next_seq[SERVER] = 501;
    let cap = eq_capture(sa("10.0.0.5:50123"), sa("192.0.2.20:9000"), &d);
    let r = clean("eq-fragment-4gib.pcap", &cap, &["-T", "ndjson"]);
    assert_eq!(r.tags(), ["eqstream.fragment_too_large"]);
    let m = &r.messages("eqstream.fragment_too_large")[0];
    assert!(m.contains("4294967295 bytes"), "{m}");
}

/// Combined packets nested as deep as a 65 000-byte datagram allows (EQ2Emu's FF + u16
/// lengths): about 13 000 levels. Decoded to depth 8.
#[test]
fn eq_combined_nested_as_deep_as_the_bytes_allow() {
    let e = Encoder::new(1, 0x1122_3344, 2, [0, 0], 512);
    let mut d = vec![(CLIENT, e.session_request(3, &[])), (SERVER, e.session_response(false))];
    let mut inner = vec![0, wire::op::KEEP_ALIVE];
    let mut levels = 0;
    while inner.len() + 8 < 65_000 {
        let mut c = vec![0, wire::op::COMBINED];
        wire::emit_app_len(inner.len(), &mut c);
        c.extend_from_slice(&inner);
        inner = c;
        levels += 1;
    }
    assert!(levels > 12_000, "{levels}");
    d.push((SERVER, e.seal(&inner)));
    let cap = eq_capture(sa("10.0.0.5:50123"), sa("192.0.2.20:9000"), &d);
    let r = clean("eq-nesting.pcap", &cap, &["-T", "ndjson"]);
    let recs = r.records();
    assert_eq!(recs.len(), 3);
    let tags: Vec<&str> = recs[2]["expert"].as_array().unwrap().iter().map(|x| x["tag"].as_str().unwrap()).collect();
    assert!(tags.contains(&"eqstream.depth_limit"), "{tags:?}");
    // The text tree, too.
    let r = clean("eq-nesting-tree.pcap", &cap, &["-V"]);
    assert!(r.out.contains("eqstream.depth_limit"), "{}", &r.out[r.out.len().saturating_sub(2000)..]);
}

// ---------------------------------------------------------------- floods

/// 6000 first fragments that never complete (distinct ids; 4096 trackers), then 300 of
/// 60 000 bytes each (18 MB: over the 16 MiB reassembly bound), a millisecond apart; with a
/// beat after every `beat_every` fragments, if given. The capture, and how many beats it has.
fn fragment_flood(beat_every: Option<u16>) -> (Vec<u8>, usize) {
    let src = Ipv4Addr::new(10, 0, 0, 1);
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 262_144, false, false).unwrap();
    let mut n = 0u32;
    let mut put = |w: &mut PcapWriter<Vec<u8>>, ip: &[u8]| {
        w.write(Ts::new(T0 + i64::from(n / 1000), (n % 1000) * 1_000_000), &link::ethernet_ip(ip)).unwrap();
        n += 1;
    };
    let mut beats = 0;
    for i in 0..6300u16 {
        let (port, dst, payload, each) = match i {
            0..6000 => (5000, "10.0.0.2:9999", vec![7; 64], 32),
            _ => (5001, "10.0.0.3:9999", vec![8; 65_000], 60_000),
        };
        let big = packet::Udp::v4(SocketAddrV4::new(src, port), sa(dst)).id(i % 6000).build(&payload);
        put(&mut w, &packet::ipv4_fragments(&big, each).remove(0));
        if beat_every.is_some_and(|every| i % every == every - 1) {
            put(&mut w, &packet::udp4(sa("10.20.30.40:40000"), sa("172.16.202.201:3335"), &beat(UID)));
            beats += 1;
        }
    }
    (w.into_inner(), beats)
}

#[test]
fn ip_fragment_flood_never_completes() {
    let r = clean("ip-fragment-flood.pcap", &fragment_flood(None).0, &["-q", "-z", "expert"]);
    // All but the 279 big ones the 16 MiB still hold at the end (those are not drops).
    assert!(r.out.contains("| ip.defrag_dropped | note     |     1 | end         | 6021 incomplete IP datagram(s) dropped, the first while reading frame 4097"), "{}", r.out);
}

/// The flood with a beat after every 50 fragments, cut with `-Y heartbeat -w`: each hidden
/// fragment holds back the frames after it until IP reassembly would have given up on it (more
/// than 16 MiB waiting, or 30 s of capture time), so the written file has every beat and no
/// fragment, in bounded memory.
#[test]
fn ip_fragment_flood_cut_with_w() {
    let (capture, beats) = fragment_flood(Some(50));
    let dir = std::env::temp_dir().join(format!("udpdissect-hostile-w-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cut = dir.join("beats.pcapng");
    clean("ip-fragment-flood-w.pcap", &capture, &["-Y", "heartbeat", "-w", cut.to_str().unwrap()]);
    let o = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .args(["-T", "fields", "-e", "_ws.col.Protocol"])
        .arg(&cut)
        .output()
        .unwrap();
    let protocols = String::from_utf8(o.stdout).unwrap();
    assert_eq!(protocols.lines().count(), beats);
    assert!(protocols.lines().all(|p| p == "SRUN"), "{protocols}");
    std::fs::remove_dir_all(&dir).ok();
}

/// 100 000 distinct UDP conversations: the table holds 65 536.
#[test]
fn a_hundred_thousand_conversations() {
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 262_144, false, false).unwrap();
    for i in 0..100_000u32 {
        let host = Ipv4Addr::new(10, 1, (i / 50_000) as u8, 1);
        let ip = packet::udp4(SocketAddrV4::new(host, 1024 + (i % 50_000) as u16), sa("10.0.0.2:9999"), b"x");
        w.write(Ts::new(T0 + i64::from(i / 1000), (i % 1000) * 1_000_000), &link::ethernet_ip(&ip)).unwrap();
    }
    let r = clean("conversations.pcap", &w.into_inner(), &["-q", "-z", "expert"]);
    assert!(r.out.contains("| core.conversations_full "), "{}", r.out);
    assert!(r.out.contains("34464 conversation(s) dropped"), "{}", r.out);
}

/// 10 000 zero-length records (incl_len 0; orig_len 0 or 60) between two good frames.
#[test]
fn zero_length_records() {
    let frames = exchanges();
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 262_144, false, false).unwrap();
    w.write(frames[0].0, &frames[0].1).unwrap();
    for i in 0..10_000u32 {
        w.write_truncated(Ts::new(T0 + 1, i * 1000), if i % 2 == 0 { 0 } else { 60 }, &[]).unwrap();
    }
    w.write(Ts::new(T0 + 2, 0), &frames[1].1).unwrap();
    let r = clean("zero-length.pcap", &w.into_inner(), &["-T", "ndjson"]);
    let recs = r.records();
    assert_eq!(recs.len(), 10_002);
    for rec in &recs[1..10_001] {
        assert_eq!(rec["caplen"], 0);
        assert_eq!(rec["expert"][0]["tag"], "frame.cut_short", "{rec}");
    }
    assert!(recs[10_001]["info"].as_str().unwrap().starts_with("Reply"), "{}", recs[10_001]);
}

// ---------------------------------------------------------------- damaged files

#[test]
fn pcapng_block_length_past_the_end() {
    let mut w = PcapNgWriter::new(Vec::new(), false).unwrap();
    let ifc = w.interface(linktype::ETHERNET, 262_144, IfOpts::default()).unwrap();
    for (ts, f) in exchanges() {
        w.epb(ifc, ts, f.len() as u32, &f).unwrap();
    }
    // Blocks: SHB, IDB, EPBs; block 5 is the 4th EPB.
    let good = w.into_inner();
    for (name, len) in [("ng-1mib.pcapng", 1u32 << 20), ("ng-4gib.pcapng", 0xffff_fffc)] {
        let err = damaged(name, &damage::set_pcapng_block_len(&good, 5, len), 4, 3);
        assert!(err.contains(&format!("pcapng block length {len}")), "{err}");
    }
}

/// A flood of interface description blocks: past the bound, the file is damaged there, the
/// frames before it printed, and memory stays bounded (each interface is kept for the run).
#[test]
fn interface_description_flood() {
    let mut w = PcapNgWriter::new(Vec::new(), false).unwrap();
    let ifc = w.interface(linktype::ETHERNET, 262_144, IfOpts::default()).unwrap();
    for (ts, f) in exchanges().into_iter().take(3) {
        w.epb(ifc, ts, f.len() as u32, &f).unwrap();
    }
    for _ in 0..udpdissect_capture::MAX_INTERFACES + 10 {
        w.interface(linktype::ETHERNET, 262_144, IfOpts::default()).unwrap();
    }
    for (ts, f) in exchanges() {
        w.epb(ifc, ts, f.len() as u32, &f).unwrap();
    }
    let err = damaged("idb-flood.pcapng", &w.into_inner(), 4, 3);
    assert!(err.contains("more than 65536 pcapng interface description blocks"), "{err}");
}

#[test]
fn record_length_of_2_gib() {
    let err = damaged("len-2gib.pcap", &damage::set_pcap_record_len(&pcap(&exchanges()), 3, 1 << 31), 4, 3);
    assert!(err.contains("record length 2147483648 exceeds"), "{err}");
}

#[test]
fn random_bytes_after_a_valid_header() {
    let header = pcap(&[]);
    assert_eq!(header.len(), 24);
    let err = damaged("random.pcap", &damage::append_random(&header, 1 << 20, 0x5eed), 1, 0);
    assert!(err.contains("frame 1 at byte offset 24: "), "{err}");
    // pcapng: a section header and an interface, then noise.
    let mut w = PcapNgWriter::new(Vec::new(), false).unwrap();
    w.interface(linktype::ETHERNET, 262_144, IfOpts::default()).unwrap();
    let head = w.into_inner();
    let err = damaged("random.pcapng", &damage::append_random(&head, 1 << 20, 0x5eed), 1, 0);
    assert!(err.contains(&format!("frame 1 at byte offset {}: ", head.len())), "{err}");
}

#[test]
fn capture_ending_mid_record() {
    let good = pcap(&exchanges());
    // Inside the record header, just after it, and inside the data.
    for keep in [8usize, 16, 16 + 30] {
        let err = damaged(&format!("cut-{keep}.pcap"), &damage::truncate_mid_record(&good, keep), 6, 5);
        assert!(err.contains("cut short") || err.contains("ends"), "{err}");
    }
}

/// A compressed capture that inflates a thousandfold: the capture header, then one record of
/// 256 KiB of zeros (the largest accepted) compressed once and repeated as gzip members, zstd
/// frames or LZ4 frames, which read as one stream. Gigabytes of records go through in constant
/// memory: a compression bomb is only a large capture.
#[test]
fn compression_bombs() {
    let header = pcap(&[]);
    let record = pcap(&[(Ts::new(T0, 0), vec![0; 256 * 1024])])[header.len()..].to_vec();
    for (how, pack) in common::PACKS {
        // zstd packs the most: a whole gigabyte of records stays small.
        let records = if how == "zstd" { 4000 } else { 1000 };
        let one = pack(&record);
        let mut file = pack(&header);
        for _ in 0..records {
            file.extend_from_slice(&one);
        }
        let r = clean(&format!("bomb.{how}"), &file, &["stats", "-z", "summary", "-T", "json"]);
        eprintln!("{how}: {} bytes for {} MiB of records", file.len(), records / 4);
        assert!(file.len() * 100 < records * record.len(), "{how}: a bomb inflates a hundredfold at least");
        let doc: Value = serde_json::from_str(&r.out).unwrap();
        let rows = doc["tables"][0]["rows"].as_array().unwrap();
        let row = |key: &str| rows.iter().find(|row| row[0] == key).unwrap()[1].clone();
        assert_eq!(row("compression"), how, "{how}");
        assert_eq!(row("packets"), records, "{how}: every record read");
    }
}

/// A zstd frame that asks for a 2 GiB window (`zstd --long=31`): refused before a byte is
/// decompressed, with the command that decompresses it.
#[test]
fn zstd_window_of_2_gib() {
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd];
    // Frame header descriptor: no content size, no checksum, a window descriptor, no
    // dictionary; window descriptor: exponent 21 (2^(10+21) = 2 GiB), mantissa 0.
    frame.extend_from_slice(&[0x00, 21 << 3]);
    // A last raw block of the 24-byte capture header.
    let header = pcap(&[]);
    frame.extend_from_slice(&[(1 | (header.len() << 3)) as u8, 0, 0]);
    frame.extend_from_slice(&header);
    let err = damaged("window.zst", &frame, 1, 0);
    assert!(err.contains("frame 1 at byte offset 0: zstd decompression refused"), "{err}");
    assert!(err.contains("decompress it first with `zstd -d --long=31`"), "{err}");
}
