//! `-z follow,udp,…`: a conversation's payloads in tshark's layout. tshark is the oracle on every
//! shipped capture and on one made for the edge cases (every byte value, line ends, an empty
//! datagram, a large one, IPv6, a conversation whose first datagram is empty); the rest runs
//! without it.

mod common;

use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use udpdissect_pcapgen::{link, linktype, packet, PcapWriter, Ts};

const T0: i64 = 1_772_438_401;
const MODES: [&str; 5] = ["hex", "ascii", "ebcdic", "raw", "yaml"];

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_udpdissect"))
}

fn v4(s: &str) -> SocketAddrV4 {
    s.parse().unwrap()
}

fn v6(s: &str) -> SocketAddrV6 {
    s.parse().unwrap()
}

/// Stream 0 (IPv4): every byte value, text with line ends, an empty datagram, 5 000 bytes, a
/// line ending in a space, eight bytes. Stream 1 (IPv6) both ways. Stream 2: its first datagram
/// is empty, so the other end speaks first. Microsecond timestamps.
fn edge_cases(test: &str) -> PathBuf {
    let (a, b) = (v4("10.0.0.1:1000"), v4("10.0.0.2:2000"));
    let (c, d) = (v6("[2001:db8::1]:1000"), v6("[2001:db8::2]:2000"));
    let (e, f) = (v4("10.0.0.5:5000"), v4("10.0.0.6:6000"));
    let all: Vec<u8> = (0..=255).collect();
    let frames = [
        packet::udp4(a, b, &all),
        packet::udp4(b, a, b"hello\r\nworld\n"),
        packet::udp4(a, b, b""),
        packet::udp6(c, d, b"v6 data"),
        packet::udp4(a, b, &[b'x'; 5000]),
        packet::udp4(b, a, b"abcdefghijklmno sixteen and more "),
        packet::udp4(e, f, b""),
        packet::udp4(f, e, b"first"),
        packet::udp6(d, c, b"back"),
        packet::udp4(a, b, b"eight b "),
        packet::udp4(e, f, b"second"),
    ];
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, false, false).unwrap();
    for (i, f) in frames.iter().enumerate() {
        w.write(Ts::new(T0 + i as i64, 1_830_000 + 7_000 * i as u32), &link::ethernet_ip(f)).unwrap();
    }
    let dir = std::env::temp_dir().join(format!("udpdissect-follow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{test}.pcap"));
    std::fs::write(&p, w.into_inner()).unwrap();
    p
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(name)
}

fn run(cmd: &mut Command, path: &Path, zs: &[String]) -> Output {
    cmd.arg("-r").arg(path).arg("-q");
    for z in zs {
        cmd.args(["-z", z]);
    }
    cmd.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Every mode on the first streams, a range, and both ends given either way round.
fn requests(streams: u64, ends: Option<(&str, &str)>) -> Vec<String> {
    let mut zs = Vec::new();
    for s in 0..streams {
        zs.extend(MODES.iter().map(|m| format!("follow,udp,{m},{s}")));
    }
    zs.push("follow,udp,hex,0,2-3".to_string());
    zs.push("follow,udp,yaml,0,2".to_string());
    zs.push(format!("follow,udp,raw,{}", streams + 40));
    if let Some((x, y)) = ends {
        zs.push(format!("follow,udp,ascii,{x},{y}"));
        zs.push(format!("follow,udp,hex,{y},{x},1-2"));
    }
    zs
}

/// Our output for `zs` and tshark's (which prints its taps last first: it is given them
/// reversed).
fn ours_and_tsharks(path: &Path, zs: &[String]) -> (String, String) {
    let ours = run(&mut bin(), path, zs);
    let reversed: Vec<String> = zs.iter().rev().cloned().collect();
    let theirs = run(Command::new("tshark").arg("-n"), path, &reversed);
    (stdout(&ours), stdout(&theirs))
}

#[test]
fn follows_as_tshark_prints_them() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let edge = edge_cases("follows_as_tshark_prints_them");
    let mut cases: Vec<(PathBuf, Vec<String>)> = vec![
        (edge.clone(), requests(3, Some(("10.0.0.1:1000", "10.0.0.2:2000")))),
        (edge, requests(0, Some(("[2001:db8::2]:2000", "[2001:db8::1]:1000")))),
        (shipped("eqstream-eq2-login.pcap"), requests(1, Some(("192.0.2.90:9100", "10.20.30.40:51234")))),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for p in names {
        if p.extension().is_some_and(|e| e == "pcap" || e == "pcapng" || e == "gz") {
            cases.push((p, requests(4, None)));
        }
    }
    let mut failures = Vec::new();
    for (path, zs) in &cases {
        let (ours, theirs) = ours_and_tsharks(path, zs);
        if ours != theirs {
            let at = ours.lines().zip(theirs.lines()).position(|(a, b)| a != b);
            let line = |s: &str, i: Option<usize>| i.and_then(|i| s.lines().nth(i)).unwrap_or("").to_string();
            failures.push(format!(
                "{}: first difference at line {at:?}:\n  ours:   {}\n  tshark: {}",
                path.display(),
                line(&ours, at),
                line(&theirs, at)
            ));
        }
    }
    assert!(cases.len() > 30, "{} captures", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_followed_conversation_prints_after_the_packets() {
    let path = edge_cases("a_followed_conversation_prints_after_the_packets");
    let o = bin().arg(&path).args(["-z", "follow,udp,raw,2"]).output().unwrap();
    assert!(o.status.success());
    let out = stdout(&o);
    let follow = "\n===================================================================\nFollow: udp,raw\n\
                  Filter: udp.stream eq 2\nNode 0: 10.0.0.6:6000\nNode 1: 10.0.0.5:5000\n6669727374\n\
                  \t7365636f6e64\n===================================================================\n";
    assert!(out.ends_with(follow), "{out}");
    assert_eq!(out.lines().filter(|l| l.contains(" → ")).count(), 11, "every frame's line first");

    // The stream by its ends, IPv6 in brackets, either way round; the hex offsets count each
    // end's bytes.
    let o = run(&mut bin(), &path, &["follow,udp,hex,[2001:db8::2]:2000,[2001:db8::1]:1000".into()]);
    let out = stdout(&o);
    assert!(out.contains("Node 0: [2001:db8::1]:1000\nNode 1: [2001:db8::2]:2000\n"), "{out}");
    assert!(out.contains("00000000  76 36 20 64 61 74 61                              v6 data\n"), "{out}");
    assert!(out.contains("\t00000000  62 61 63 6b                                       back\n"), "{out}");

    // Chunks 2 to 3 of stream 0: the text, then 5 000 bytes whose offset counts the 256 before.
    let o = run(&mut bin(), &path, &["follow,udp,hex,0,2-3".into()]);
    let out = stdout(&o);
    assert!(out.contains("\t00000000  68 65 6c 6c 6f 0d 0a 77  6f 72 6c 64 0a           hello..w orld.\n"), "{out}");
    assert!(out.contains("\n00000100  78 78"), "{out}");
    assert!(!out.contains("\n00000000  00 01 02"), "chunk 1 is outside the range: {out}");
    assert_eq!(out.lines().filter(|l| l.starts_with('0')).count(), 5000usize.div_ceil(16), "{out}");
    assert!(out.contains("\n00001480  78 78 78 78 78 78 78 78                           xxxxxxxx\n"), "{out}");

    // A stream the capture lacks: tshark's empty nodes.
    let o = run(&mut bin(), &path, &["follow,udp,yaml,9".into()]);
    assert_eq!(
        stdout(&o),
        "peers:\n  - peer: 0\n    host: \n    port: 0\n  - peer: 1\n    host: \n    port: 0\npackets:\n"
    );
}

#[test]
fn follow_in_the_statistics_run_and_with_a_filter() {
    let path = edge_cases("follow_in_the_statistics_run_and_with_a_filter");
    let alone = stdout(&run(&mut bin(), &path, &["follow,udp,ascii,0".into()]));
    assert!(alone.contains("\n256\n"), "{alone}");
    // `stats` prints its tables, then the conversation; on one thread and on two.
    for threads in ["1", "2"] {
        let o = bin()
            .env("UDPDISSECT_THREADS", threads)
            .args(["stats", "-z", "conv,udp", "-z", "follow,udp,ascii,0"])
            .arg(&path)
            .output()
            .unwrap();
        let out = stdout(&o);
        assert!(o.status.success() && out.starts_with("== UDP conversations =="), "{out}");
        assert!(out.ends_with(&alone), "threads {threads}: {out}");
    }
    // `-Y` limits what is followed, as it limits the tables.
    let o = bin().arg(&path).args(["-q", "-Y", "frame.number >= 5", "-z", "follow,udp,raw,0"]).output().unwrap();
    let out = stdout(&o);
    assert!(out.contains("Node 0: 10.0.0.1:1000\n") && !out.contains("000102"), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with('\t') || l.starts_with("78") || l.starts_with("65")).count(), 3);
    // JSON has no place for it.
    let o = bin().args(["stats", "-T", "json", "-z", "follow,udp,hex,0"]).arg(&path).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("yaml mode"), "{o:?}");
}

#[test]
fn bad_requests_say_what_to_write() {
    let path = edge_cases("bad_requests_say_what_to_write");
    for (z, says) in [
        ("follow,tcp,hex,0", "only UDP conversations"),
        ("follow,udp,html,0", "unknown mode 'html'"),
        ("follow,udp,hex,0,0-1", "bad range '0-1'"),
        ("follow,udp,hex,10.0.0.1,10.0.0.2", "not two ADDR:PORT ends"),
    ] {
        let o = run(&mut bin(), &path, &[z.to_string()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{z}");
        assert!(err.contains(says) && err.contains("follow,udp|eqstream,MODE,FILTER[,RANGE]"), "{z}: {err}");
        assert!(o.stdout.is_empty(), "{z}: refused before reading");
    }
    // A conversation of the named ends is found whichever way round they are given.
    let a: SocketAddr = "10.0.0.2:2000".parse().unwrap();
    let o = run(&mut bin(), &path, &[format!("follow,udp,raw,{a},10.0.0.1:1000,4")]);
    assert!(stdout(&o).contains("\n6869\n") || stdout(&o).contains("\t6162"), "{}", stdout(&o));
}

#[test]
fn a_long_conversation_is_followed_with_flat_memory() {
    if !Path::new("/proc/self/status").exists() {
        eprintln!("SKIPPED: no /proc on this system; peak RSS is read from /proc/PID/status");
        return;
    }
    use std::io::Write;
    use std::process::Stdio;
    const DATAGRAMS: u32 = 400_000;
    let mut child = bin()
        .args(["-r", "-", "-q", "-z", "follow,udp,raw,0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let watcher = common::watch_peak_rss(pid, env!("CARGO_BIN_EXE_udpdissect"), std::time::Duration::from_millis(5));
    let stdin = std::io::BufWriter::new(child.stdin.take().unwrap());
    let writer = std::thread::spawn(move || {
        let (a, b) = (v4("10.0.0.1:1000"), v4("10.0.0.2:2000"));
        let mut w = PcapWriter::new(stdin, linktype::ETHERNET, 65535, false, false).unwrap();
        for i in 0..DATAGRAMS {
            let payload: Vec<u8> = (0..64u32).map(|j| (i.wrapping_mul(31) ^ j) as u8).collect();
            let (s, d) = if i % 3 == 2 { (b, a) } else { (a, b) };
            w.write(
                Ts::new(T0 + i64::from(i / 1000), i % 1000 * 1000),
                &link::ethernet_ip(&packet::udp4(s, d, &payload)),
            )
            .unwrap();
        }
        w.into_inner().flush().unwrap();
    });
    // Read the output as it comes (it is printed at the end, 52 MB of it).
    let mut out = child.stdout.take().unwrap();
    let mut lines = 0usize;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = std::io::Read::read(&mut out, &mut buf).unwrap();
        if n == 0 {
            break;
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
    writer.join().unwrap();
    let status = child.wait().unwrap();
    let peak = watcher.join().unwrap();
    eprintln!("peak RSS following {DATAGRAMS} datagrams (25.6 MB of payload): {peak} kB");
    assert!(status.success());
    // A blank line, the separator, Follow, Filter, two nodes, a line a chunk, the separator.
    assert_eq!(lines, DATAGRAMS as usize + 7);
    assert!(peak > 1_000 && peak < 30 * 1024, "peak RSS {peak} kB: the chunks were not spooled to a file");
}

/// `follow,eqstream`: the application packets the EQ2 login session delivers, decrypted (RC4),
/// inflated, the fragments joined and AppCombined split, each once (frame 11 retransmits frame
/// 10) and in sequence (frame 17's packet waits for frame 18's).
#[test]
fn an_eqstream_session_is_followed_as_its_application_reads_it() {
    let path = shipped("eqstream-eq2-login.pcap");
    let out = stdout(&run(&mut bin(), &path, &["follow,eqstream,raw,0".into()]));
    let head = "\n===================================================================\nFollow: eqstream,raw\n\
                Filter: udp.stream eq 0\nNode 0: 192.0.2.90:9100\nNode 1: 10.20.30.40:51234\n";
    assert!(out.starts_with(head), "{out}");
    // Each chunk: who sent it, its opcode byte and its length.
    let chunks: Vec<(bool, &str, usize)> = out
        .lines()
        .skip(6)
        .filter(|l| !l.starts_with("==="))
        .map(|l| (l.starts_with('\t'), &l.trim_start()[..2], l.trim_start().len() / 2))
        .collect();
    assert_eq!(
        chunks,
        [
            (false, "02", 70),  // KeyGen
            (true, "00", 33),   // OP_LoginRequestMsg, decrypted
            (false, "04", 217), // OP_LoginReplyMsg, decrypted and inflated
            (true, "07", 1),    // OP_AllWSDescRequestMsg
            (false, "06", 6),   // AppCombined: OP_WorldStatusChangeMsg,
            (false, "08", 106), // OP_WorldListMsg
            (false, "0a", 701), // two fragments joined (712 bytes), inflated
            (false, "05", 3),   // seq 5, OP_WSStatusReplyMsg, then seq 6 held from frame 17
            (false, "06", 6),
        ]
    );
    assert!(out.contains("\n0457656c636f6d6520746f20746865207265616c6d21"), "Welcome to the realm!");
    // The same by its ends, in yaml, on one thread and on two.
    let yaml = |threads: &str| {
        let mut cmd = bin();
        cmd.env("UDPDISSECT_THREADS", threads);
        stdout(&run(&mut cmd, &path, &["follow,eqstream,yaml,10.20.30.40:51234,192.0.2.90:9100,3-4".into()]))
    };
    let one = yaml("1");
    assert_eq!(one, yaml("2"));
    assert!(one.contains("  - packet: 10\n    peer: 0\n") && one.contains("  - packet: 13\n    peer: 1\n"), "{one}");
    assert_eq!(one.matches("packet:").count(), 2, "{one}");
    // A conversation that is not EQStream has no application packets here.
    let dns = stdout(&run(&mut bin(), &shipped("icmp.pcap"), &["follow,eqstream,hex,0".into()]));
    assert!(dns.contains("Node 0: :0\n"), "{dns}");
}
