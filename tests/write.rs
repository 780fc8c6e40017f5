//! `-w`: the frames shown written as a capture, which reads back as the frames it was made of.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use udpdissect_capture::Compression;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_udpdissect"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A path in a directory of this test run's own.
fn out(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("udpdissect-write-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Columns that a frame keeps in a capture file, whatever its number in it and whichever
/// frames are around it.
const KEPT: &[&str] = &[
    "-T",
    "fields",
    "-e",
    "frame.time_epoch",
    "-e",
    "frame.len",
    "-e",
    "frame.cap_len",
    "-e",
    "ip.src",
    "-e",
    "udp.srcport",
    "-e",
    "_ws.col.Protocol",
];

/// And what the dissectors make of it, when every frame of the capture is there.
const DISSECTED: &[&str] = &["-e", "_ws.col.Info", "-e", "expert.tag"];

fn columns(capture: &Path, filter: Option<&str>) -> String {
    dissected(capture, filter, &[])
}

fn dissected(capture: &Path, filter: Option<&str>, more: &[&str]) -> String {
    let mut args: Vec<&str> = KEPT.to_vec();
    args.extend(more);
    if let Some(f) = filter {
        args.extend(["-Y", f]);
    }
    let o = bin().args(&args).arg(capture).output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn the_frames_a_filter_keeps_read_back_as_they_were() {
    let input = Path::new("captures/overte-session.pcapng");
    let to = out("overte-client.pcapng");
    let filter = "ip.src == 192.168.1.20 and frame.len > 100";
    let o = run(&["-Y", filter, "-w", to.to_str().unwrap(), input.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty(), "-w prints nothing without -P");
    let kept = columns(input, Some(filter));
    assert!(kept.lines().count() >= 3, "{kept}");
    assert_eq!(columns(&to, None), kept);
    // One line per frame written, numbered from 1.
    let numbers = text(&run(&["-T", "fields", "-e", "frame.number", to.to_str().unwrap()]).stdout);
    let expected: Vec<String> = (1..=kept.lines().count()).map(|n| n.to_string()).collect();
    assert_eq!(numbers.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn every_frame_without_a_filter_and_up_to_c() {
    let input = "captures/eqstream-eq2-login.pcap";
    let to = out("eq2.pcapng");
    assert!(run(&["-w", to.to_str().unwrap(), input]).status.success());
    assert_eq!(dissected(&to, None, DISSECTED), dissected(Path::new(input), None, DISSECTED));
    let first = out("eq2-first.pcapng");
    assert!(run(&["-c", "5", "-w", first.to_str().unwrap(), input]).status.success());
    let all = columns(Path::new(input), None);
    assert_eq!(columns(&first, None), all.lines().take(5).map(|l| format!("{l}\n")).collect::<String>());
}

#[test]
fn with_p_the_frames_are_printed_too() {
    let input = "captures/heartbeat-findings.pcapng";
    let to = out("hb.pcapng");
    let o = run(&["-P", "-Y", "expert.tag contains \"bad_length\"", "-w", to.to_str().unwrap(), input]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let printed = text(&run(&["-Y", "expert.tag contains \"bad_length\"", input]).stdout);
    assert!(!printed.is_empty());
    assert_eq!(text(&o.stdout), printed);
    assert_eq!(columns(&to, None), columns(Path::new(input), Some("expert.tag contains \"bad_length\"")));
    assert_eq!(columns(&to, None).lines().count(), printed.lines().count());
}

#[test]
fn interfaces_keep_their_names_and_descriptions_and_sections_become_one() {
    let input = Path::new("captures/format-multi.pcapng");
    let to = out("multi.pcapng");
    assert!(run(&["-w", to.to_str().unwrap(), input.to_str().unwrap()]).status.success());
    // The custom block holds no packet: every other frame is there, on its interface.
    let names = ["-e", "frame.interface_name", "-e", "frame.interface_description"];
    let (before, after) = (dissected(input, None, &names), dissected(&to, None, &names));
    let packets: Vec<&str> = before.lines().filter(|l| !l.contains("\tpcapng\t")).collect();
    assert_eq!(packets.len() + 1, before.lines().count(), "{before}");
    let after: Vec<&str> = after.lines().collect();
    assert_eq!(after.len(), packets.len());
    assert!(after[0].ends_with("\teth0\tCampus uplink"), "{}", after[0]);
    // A frame without a time (a Simple Packet Block) stays one on the file's first interface;
    // on another it gets time 0, as an Enhanced Packet Block must have one.
    assert!(packets[3].starts_with("\t79\t") && after[3] == packets[3], "{}", after[3]);
    assert_eq!(after[9], format!("0.000000000{}", packets[9]));
    assert_eq!(after[..9], packets[..9]);
    let sections = text(&run(&["-T", "fields", "-e", "frame.section_number", to.to_str().unwrap()]).stdout);
    assert!(sections.lines().all(|s| s == "1"), "{sections}");
}

#[test]
fn pcap_in_microseconds_or_nanoseconds() {
    let input = "captures/format-pcap-le-nanos.pcap";
    let nanos = out("nanos.pcap");
    assert!(run(&["-F", "nsecpcap", "-w", nanos.to_str().unwrap(), input]).status.success());
    let bytes = std::fs::read(&nanos).unwrap();
    assert_eq!(&bytes[..4], &0xa1b2_3c4du32.to_le_bytes());
    assert_eq!(columns(&nanos, None), columns(Path::new(input), None));
    let micros = out("micros.pcap");
    assert!(run(&["-F", "pcap", "-w", micros.to_str().unwrap(), input]).status.success());
    assert_eq!(&std::fs::read(&micros).unwrap()[..4], &0xa1b2_c3d4u32.to_le_bytes());
    let epoch = |p: &Path| text(&run(&["-T", "fields", "-e", "frame.time_epoch", p.to_str().unwrap()]).stdout);
    let (ns, us) = (epoch(Path::new(input)), epoch(&micros));
    assert_eq!(ns.lines().count(), us.lines().count());
    for (n, u) in ns.lines().zip(us.lines()) {
        // The same time to the microsecond.
        assert_eq!(&n[..n.len() - 3], &u[..u.len() - 3], "{n} {u}");
    }
}

#[test]
fn a_pcap_file_holds_one_link_type() {
    let to = out("mixed.pcap");
    let o = run(&["-F", "pcap", "-w", to.to_str().unwrap(), "captures/format-multi.pcapng"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("frame 3 has link type 101 (Raw IP), which a pcap file of link type 1 (Ethernet) cannot hold")
            && err.contains("write pcapng (-F pcapng)"),
        "{err}"
    );
}

#[test]
fn to_standard_output_through_a_pipe() {
    let input = "captures/overnet-swarm.pcap";
    let to = out("swarm.pcapng");
    assert!(run(&["-Y", "overnet", "-w", to.to_str().unwrap(), input]).status.success());
    let piped = bin().args(["-Y", "overnet", "-w", "-", input]).stdout(Stdio::piped()).output().unwrap();
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    assert_eq!(piped.stdout, std::fs::read(&to).unwrap());
}

/// The compression a file's first bytes name.
fn magic(bytes: &[u8]) -> &'static str {
    Compression::from_magic(bytes).map_or("none", Compression::name)
}

#[test]
fn compressed_as_the_name_or_compress_says() {
    let input = Path::new("captures/overte-world.pcapng");
    let plain = out("world.pcapng");
    assert!(run(&["-w", plain.to_str().unwrap(), input.to_str().unwrap()]).status.success());
    let want = columns(input, None);
    let cases: [(&str, &[&str], &str); 6] = [
        ("world.pcapng.gz", &[], "gzip"),
        ("world.pcapng.zst", &[], "zstd"),
        ("world.pcapng.LZ4", &[], "lz4"),
        ("world.pcap.zst", &["-F", "pcap"], "zstd"),
        // --compress wins over the name.
        ("world.bin", &["--compress", "lz4"], "lz4"),
        ("world.pcapng.gz.zst", &["--compress", "gzip"], "gzip"),
    ];
    for (name, args, how) in cases {
        let to = out(name);
        let o = bin().args(args).args(["-w", to.to_str().unwrap()]).arg(input).output().unwrap();
        assert!(o.status.success(), "{name}: {}", text(&o.stderr));
        let bytes = std::fs::read(&to).unwrap();
        assert_eq!(magic(&bytes), how, "{name}");
        assert_eq!(columns(&to, None), want, "{name}");
    }
    // A name that says nothing: not compressed.
    assert_eq!(magic(&std::fs::read(&plain).unwrap()), "none");
    // To standard output, compressed as asked, read back from a pipe.
    let piped = bin().args(["--compress", "zstd", "-w", "-"]).arg(input).stdout(Stdio::piped()).output().unwrap();
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    assert_eq!(magic(&piped.stdout), "zstd");
    let mut back = bin().args(["-r", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut back.stdin.take().unwrap(), &piped.stdout).unwrap();
    let back = back.wait_with_output().unwrap();
    assert_eq!(text(&back.stdout), text(&run(&[input.to_str().unwrap()]).stdout));
    // A type --compress does not know, and --compress without -w.
    let o = run(&["--compress", "xz", "-w", out("x").to_str().unwrap(), input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("[possible values: gzip, zstd, lz4]"), "{}", text(&o.stderr));
    let o = run(&["--compress", "gzip", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_damaged_capture_keeps_the_frames_before_the_damage() {
    let input = "captures/damaged-cut-mid-record.pcap";
    let to = out("cut.pcapng");
    let o = run(&["-w", to.to_str().unwrap(), input]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("damaged-cut-mid-record.pcap: frame"), "{}", text(&o.stderr));
    let read = bin().args(KEPT).arg(input).output().unwrap();
    assert_eq!(read.status.code(), Some(2));
    let before = text(&read.stdout);
    assert!(!before.is_empty());
    let back = bin().args(KEPT).arg(&to).output().unwrap();
    assert!(back.status.success(), "the file written is whole: {}", text(&back.stderr));
    assert_eq!(text(&back.stdout), before);
}

#[test]
fn refused_before_anything_is_written() {
    let input = "captures/heartbeat.pcap";
    let copy = out("heartbeat-copy.pcap");
    std::fs::copy(input, &copy).unwrap();
    let same = run(&["-w", copy.to_str().unwrap(), copy.to_str().unwrap()]);
    assert_eq!(same.status.code(), Some(2));
    assert!(text(&same.stderr).contains("that is the capture being read"), "{}", text(&same.stderr));
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(input).unwrap(), "the capture is left alone");
    let both = run(&["-P", "-w", "-", input]);
    assert_eq!(both.status.code(), Some(2));
    assert!(text(&both.stderr).contains("where -P would print the frames"), "{}", text(&both.stderr));
    for alone in [["-F", "pcap"], ["-P", "-V"]] {
        let o = run(&[alone[0], alone[1], input]);
        assert_eq!(o.status.code(), Some(2));
        assert!(text(&o.stderr).contains("-w <FILE>"), "{}", text(&o.stderr));
    }
    let missing = run(&["-w", "/nonexistent-dir/x.pcapng", input]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("-w /nonexistent-dir/x.pcapng: cannot create"), "{}", text(&missing.stderr));
}

#[test]
fn tshark_reads_what_is_written() {
    if !udpdissect_pcapgen::tshark_available() {
        assert!(std::env::var_os("CI").is_none(), "tshark is the oracle here and CI installs it");
        return;
    }
    let input = "captures/overte-buggy-client.pcapng";
    let tshark = |p: &Path, filter: Option<&str>| {
        let mut c = Command::new("tshark");
        c.args(["-n", "-r"]).arg(p).args(["-T", "fields", "-E", "separator=|"]);
        for k in ["frame.time_epoch", "frame.len", "frame.cap_len", "frame.interface_name", "udp.srcport"] {
            c.args(["-e", k]);
        }
        if let Some(f) = filter {
            c.args(["-Y", f]);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    for (format, name) in [
        ("pcapng", "buggy.pcapng"),
        ("pcap", "buggy.pcap"),
        ("nsecpcap", "buggy.nsec.pcap"),
        // Compressed as the tools do: tshark reads them.
        ("pcapng", "buggy.pcapng.gz"),
        ("pcapng", "buggy.pcapng.zst"),
        ("pcapng", "buggy.pcapng.lz4"),
    ] {
        let to = out(name);
        assert!(run(&["-F", format, "-Y", "udp.srcport == 40102", "-w", to.to_str().unwrap(), input]).status.success());
        let theirs = tshark(Path::new(input), Some("udp.srcport == 40102"));
        let ours = tshark(&to, None);
        assert!(!ours.is_empty());
        if format == "pcapng" {
            assert_eq!(ours, theirs);
        } else {
            // pcap has no interface names; the rest is the same (pcap: to the microsecond).
            let strip = |s: &str, us: bool| {
                s.lines()
                    .map(|l| {
                        let c: Vec<&str> = l.split('|').collect();
                        let t = if us { &c[0][..c[0].len() - 3] } else { c[0] };
                        format!("{t}|{}|{}|{}", c[1], c[2], c[4])
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(&ours, format == "pcap"), strip(&theirs, format == "pcap"));
        }
    }
}

#[test]
fn with_l_each_frame_goes_out_as_it_arrives() {
    use std::io::{Read, Write};
    let input = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/heartbeat.pcap")).unwrap();
    let one = out("one.pcapng");
    assert!(run(&["-c", "1", "-w", one.to_str().unwrap(), "captures/heartbeat.pcap"]).status.success());
    let first = std::fs::read(&one).unwrap();
    let mut child =
        bin().args(["-r", "-", "-l", "-w", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    // The file header and the first record only: the pcapng of that frame must come out
    // before any more input.
    let record = 24 + 16 + u32::from_le_bytes(input[32..36].try_into().unwrap()) as usize;
    stdin.write_all(&input[..record]).unwrap();
    stdin.flush().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let n = first.len();
    let reading = std::thread::spawn(move || {
        let mut got = vec![0; n];
        let r = stdout.read_exact(&mut got).map(|_| got);
        let _ = tx.send(r.is_ok());
        (r, stdout)
    });
    let arrived = rx.recv_timeout(std::time::Duration::from_secs(30));
    if arrived.is_err() {
        let _ = child.kill();
    }
    assert_eq!(arrived, Ok(true), "the first frame did not come out while the input was open");
    stdin.write_all(&input[record..]).unwrap();
    drop(stdin);
    let (got, mut stdout) = reading.join().unwrap();
    assert_eq!(got.unwrap(), first);
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(!rest.is_empty());
}

#[test]
fn a_filter_that_keeps_nothing_still_writes_a_capture() {
    let input = "captures/link-sll.pcap";
    let pcap = out("none.pcap");
    assert!(run(&["-F", "pcap", "-Y", "frame.number > 1000", "-w", pcap.to_str().unwrap(), input]).status.success());
    let bytes = std::fs::read(&pcap).unwrap();
    // Just the header, of the input's link type (Linux cooked capture, 113).
    assert_eq!(bytes.len(), 24);
    assert_eq!(&bytes[20..24], &113u32.to_le_bytes());
    let ng = out("none.pcapng");
    assert!(run(&["-Y", "frame.number > 1000", "-w", ng.to_str().unwrap(), input]).status.success());
    for file in [&pcap, &ng] {
        let o = run(&[file.to_str().unwrap()]);
        assert!(o.status.success() && o.stdout.is_empty(), "{}", text(&o.stderr));
    }
}

#[test]
fn the_ip_fragments_of_a_datagram_shown_are_written_with_it() {
    let input = "captures/fragments.pcap";
    for (filter, frames) in [("heartbeat", "12\n13\n14\n"), ("udp.port == 9999", "1\n2\n3\n4\n5\n6\n7\n8\n9\n")] {
        // Without the fragments, the file could not reassemble what the filter kept.
        let kept = text(&run(&["-Y", filter, "-T", "fields", "-e", "frame.number", input]).stdout);
        assert!(kept.lines().count() < frames.lines().count(), "{filter}: {kept}");
        let to = out("fragments.pcapng");
        assert!(run(&["-Y", filter, "-w", to.to_str().unwrap(), input]).status.success());
        let summary = |p: &str, f: Option<&str>| {
            let mut args = vec!["-T", "fields", "-e", "frame.time_epoch", "-e", "_ws.col.Info"];
            args.extend(f.map(|f| ["-Y", f]).into_iter().flatten());
            text(&run(&[&args[..], &[p]].concat()).stdout)
        };
        let all = summary(input, None);
        let wanted: Vec<&str> =
            frames.lines().map(|n| all.lines().nth(n.parse::<usize>().unwrap() - 1).unwrap()).collect();
        assert_eq!(summary(to.to_str().unwrap(), None).lines().collect::<Vec<_>>(), wanted, "{filter}");
        // The datagrams reassemble in the file as in the capture.
        assert_eq!(summary(to.to_str().unwrap(), Some(filter)), summary(input, Some(filter)), "{filter}");
        // The same file on one thread, and with the tree printed on a rendering thread.
        let bytes = std::fs::read(&to).unwrap();
        for threads in ["1", "2"] {
            let other = out(&format!("fragments-{threads}.pcapng"));
            let o = bin()
                .env("UDPDISSECT_THREADS", threads)
                .args(["-P", "-V", "-Y", filter, "-w", other.to_str().unwrap(), input])
                .output()
                .unwrap();
            assert!(o.status.success() && !o.stdout.is_empty(), "{}", text(&o.stderr));
            assert_eq!(std::fs::read(&other).unwrap(), bytes, "{filter}, UDPDISSECT_THREADS={threads}");
        }
    }
}

#[test]
fn a_write_that_fails_is_reported_compressed_or_not() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    // A small capture: every byte waits in buffers until the end, where the failure must
    // still be seen (the compressed stream's last bytes included).
    for compress in [&[][..], &["--compress", "zstd"], &["--compress", "gzip"], &["--compress", "lz4"]] {
        let o = bin().args(compress).args(["-w", "/dev/full", "captures/heartbeat.pcap"]).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{compress:?}");
        assert!(text(&o.stderr).contains("No space left on device"), "{compress:?}: {}", text(&o.stderr));
    }
}

/// The input's snapshot length is written back, as tshark writes it: a pcap file comes back
/// byte for byte, and its pcapng interface declares the same length.
#[test]
fn the_snapshot_length_is_kept() {
    let input = "captures/format-snaplen.pcap";
    let original = std::fs::read(input).unwrap();
    assert_eq!(&original[16..20], &50u32.to_le_bytes());
    let pcap = out("snaplen.pcap");
    assert!(run(&["-F", "pcap", "-w", pcap.to_str().unwrap(), input]).status.success());
    assert_eq!(std::fs::read(&pcap).unwrap(), original);
    let ng = out("snaplen.pcapng");
    assert!(run(&["-w", ng.to_str().unwrap(), input]).status.success());
    let bytes = std::fs::read(&ng).unwrap();
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    // After the section header: the interface description, its snapshot length at byte 12.
    let idb = word(4) as usize;
    assert_eq!((word(idb), word(idb + 12)), (1, 50));
    assert_eq!(columns(&ng, None), columns(Path::new(input), None));
}

/// A pcapng block: type, total length, body, total length (little-endian).
fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let len = (12 + body.len() as u32).to_le_bytes();
    [&kind.to_le_bytes()[..], &len, body, &len].concat()
}

/// Options: code, length, value padded to 4 bytes; then the end of options.
fn options(opts: &[(u16, &[u8])]) -> Vec<u8> {
    let mut v = Vec::new();
    for (code, value) in opts {
        v.extend([&code.to_le_bytes()[..], &(value.len() as u16).to_le_bytes(), value].concat());
        v.resize(v.len().next_multiple_of(4), 0);
    }
    v.extend([0; 4]);
    v
}

/// The section header's texts a pcapng file keeps: the comment, hardware, OS and application
/// of the capture read, as `stats -z summary` shows them, and as tshark keeps them.
#[test]
fn the_section_headers_texts_are_kept() {
    let shb = [
        &0x1a2b_3c4du32.to_le_bytes()[..],
        &1u16.to_le_bytes(),
        &0u16.to_le_bytes(),
        &u64::MAX.to_le_bytes(),
        &options(&[(1, b"login fails here"), (2, b"x86_64 box"), (3, b"Linux 6.1"), (4, b"dumpcap 4.0")]),
    ]
    .concat();
    let idb = [&1u16.to_le_bytes()[..], &0u16.to_le_bytes(), &0u32.to_le_bytes()].concat();
    let frame = [0u8; 60];
    let epb = [
        &0u32.to_le_bytes()[..],
        &0u32.to_le_bytes(),
        &1000u32.to_le_bytes(),
        &60u32.to_le_bytes(),
        &60u32.to_le_bytes(),
        &frame,
    ]
    .concat();
    let input = out("commented.pcapng");
    std::fs::write(&input, [block(0x0a0d_0d0a, &shb), block(1, &idb), block(6, &epb)].concat()).unwrap();
    let texts = |p: &Path| {
        let o = run(&["stats", "-z", "summary", "-T", "json", p.to_str().unwrap()]);
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let rows = doc["tables"][0]["rows"].as_array().unwrap().clone();
        rows.into_iter().filter(|r| r[0].as_str().unwrap().starts_with("capture ")).collect::<Vec<_>>()
    };
    let want = texts(&input);
    let keys: Vec<&str> = want.iter().map(|r| r[0].as_str().unwrap()).collect();
    assert_eq!(keys, ["capture hardware", "capture oper-sys", "capture application", "capture comment"]);
    let ours = out("commented-out.pcapng");
    assert!(run(&["-w", ours.to_str().unwrap(), input.to_str().unwrap()]).status.success());
    assert_eq!(texts(&ours), want);
    if udpdissect_pcapgen::tshark_available() {
        let theirs = out("commented-tshark.pcapng");
        let o = Command::new("tshark").args(["-r"]).arg(&input).arg("-w").arg(&theirs).output().unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert_eq!(texts(&theirs), want);
    }
}

/// The rows `stats -z summary` gives of a file's first interface's options (capinfos's lines).
fn interface_lines(p: &Path) -> Vec<String> {
    let o = run(&["stats", "-z", "summary", "-T", "json", p.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = doc["tables"][0]["rows"].as_array().unwrap().clone();
    let key = |r: &serde_json::Value| r[0].as_str().unwrap().to_string();
    let options = ["capture filter", "oper-sys", "hardware", "speed (bits/s)"].map(|o| format!("interface 0 {o}"));
    rows.iter().filter(|r| options.contains(&key(r))).map(|r| format!("{} = {}", key(r), r[1])).collect()
}

/// The interface's other options (capture filter, OS) go with it, as tshark keeps them, and
/// every packet keeps its flags and drop count.
#[test]
fn interface_options_and_packet_flags_are_kept() {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/eqstream-capture-loss.pcapng");
    let want = interface_lines(&input);
    assert_eq!(
        want,
        ["interface 0 capture filter = \"udp port 7000\"", "interface 0 oper-sys = \"Linux 6.8.0-45-generic\""]
    );
    let ours = out("loss-out.pcapng");
    assert!(run(&["-w", ours.to_str().unwrap(), input.to_str().unwrap()]).status.success());
    assert_eq!(interface_lines(&ours), want);
    let flags = ["-T", "fields", "-e", "frame.packet_flags", "-e", "frame.drop_count"];
    let cells = |p: &Path| text(&bin().args(flags).arg(p).output().unwrap().stdout);
    assert_eq!(cells(&ours), cells(&input));
    assert!(cells(&input).lines().nth(5).unwrap() == "0x00000001\t1");
    if udpdissect_pcapgen::tshark_available() {
        let theirs = out("loss-tshark.pcapng");
        let o = Command::new("tshark").args(["-r"]).arg(&input).arg("-w").arg(&theirs).output().unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert_eq!(interface_lines(&theirs), want);
        assert_eq!(cells(&theirs), cells(&input));
    }
}

/// The rows `stats -z summary` gives of a file's interface statistics and of the loss they count.
fn statistics_lines(p: &Path) -> Vec<String> {
    let o = run(&["stats", "-z", "summary", p.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let counted = ["statistics time", "received", "dropped", "accepted", "delivered", "capture st", "capture end"];
    let counted = |k: &str| counted.iter().any(|c| k.contains(c)) || k == "packets lost (interface statistics)";
    let row = |l: &str| {
        let cells: Vec<&str> = l.split('|').map(str::trim).collect();
        (cells.len() == 4).then(|| (cells[1].to_string(), cells[2].to_string()))
    };
    let rows = text(&o.stdout).lines().filter_map(row).collect::<Vec<_>>();
    rows.into_iter().filter(|(k, _)| counted(k)).map(|(k, v)| format!("{k} = {v}")).collect()
}

/// The interface's last statistics block is written after the last frame, where Wireshark's
/// pcapng writer puts the statistics it holds (tshark 4.0's copies have none of the input's):
/// a copy, whole or of some frames, on one thread or two, still says what the capture lost,
/// and the end of the copy says so.
#[test]
fn the_interfaces_statistics_go_with_the_copy() {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/eqstream-capture-loss.pcapng");
    let want = statistics_lines(&input);
    assert_eq!(want.len(), 9, "{want:#?}");
    assert!(want.contains(&"interface 0 packets dropped by the OS = 1".to_string()), "{want:#?}");
    assert!(want.contains(&"interface 0 capture end = 2026-03-02 08:00:01.020000000 UTC".to_string()), "{want:#?}");
    assert!(want.contains(&"packets lost (interface statistics) = 1".to_string()), "{want:#?}");
    let loss_line = |p: &Path| {
        let o = bin().arg(p).output().unwrap();
        let shown = text(&o.stdout);
        shown.lines().find(|l| l.contains("frame.capture_loss") && l.contains("Interface Statistics Block")).map(|l| {
            // The findings counted beside it are those of the frames in the file.
            l.split(": gaps").next().unwrap().to_string()
        })
    };
    let want_line = loss_line(&input).expect("the input's end-of-capture line");
    for (name, filter) in [("whole", None), ("first-two", Some("frame.number <= 2"))] {
        for threads in ["1", "2"] {
            let ours = out(&format!("isb-{name}-{threads}.pcapng"));
            let mut args = vec!["-w", ours.to_str().unwrap(), input.to_str().unwrap()];
            if let Some(f) = filter {
                args.extend(["-Y", f]);
            }
            let o = bin().env("UDPDISSECT_THREADS", threads).args(&args).output().unwrap();
            assert!(o.status.success(), "{}", text(&o.stderr));
            assert_eq!(statistics_lines(&ours), want, "{name}, {threads} thread(s)");
            assert_eq!(loss_line(&ours).as_deref(), Some(want_line.as_str()), "{name}, {threads} thread(s)");
        }
    }
    // pcap has no place for them.
    let plain = out("isb.pcap");
    assert!(run(&["-F", "pcap", "-w", plain.to_str().unwrap(), input.to_str().unwrap()]).status.success());
    assert_eq!(statistics_lines(&plain), Vec::<String>::new());
    if udpdissect_pcapgen::tshark_available() {
        // tshark reads the copy without complaint, every frame.
        let ours = out("isb-whole-1.pcapng");
        let o = Command::new("tshark").arg("-r").arg(&ours).output().unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(!text(&o.stderr).contains("damaged"), "{}", text(&o.stderr));
        assert_eq!(text(&o.stdout).lines().count(), 13);
    }
}
