//! The binary as users run it: output formats, options, exit codes, damage and streaming.

mod common;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::{damage, link, linktype, packet, PcapWriter, Ts};

const T0: i64 = 1_772_438_400; // 2026-03-02 08:00:00 UTC
const UID: i64 = 1_234_567_890_123;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_udpdissect"))
}

use common::{beat, reply, sa};

/// Beat, reply, beat, dead reply; then an ICMP error quoting the dead reply.
fn session() -> Vec<(Ts, Vec<u8>)> {
    let client = |p: u16| sa(&format!("10.20.30.40:{p}"));
    let server = sa("172.16.202.201:3335");
    let dead_reply = packet::udp4(server, client(40001), &reply(Reply::dead()));
    vec![
        (Ts::new(T0, 0), link::ethernet_ip(&packet::udp4(client(40000), server, &beat(UID)))),
        (Ts::new(T0, 3_000_000), link::ethernet_ip(&packet::udp4(server, client(40000), &reply(Reply::alive(UID))))),
        (Ts::new(T0 + 60, 0), link::ethernet_ip(&packet::udp4(client(40001), server, &beat(UID)))),
        (Ts::new(T0 + 60, 2_500_000), link::ethernet_ip(&dead_reply)),
        (
            Ts::new(T0 + 60, 2_600_000),
            link::ethernet_ip(&packet::icmp4_port_unreachable(Ipv4Addr::new(10, 20, 30, 40), &dead_reply)),
        ),
    ]
}

fn pcap(frames: &[(Ts, Vec<u8>)]) -> Vec<u8> {
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, false, false).unwrap();
    for (ts, f) in frames {
        w.write(*ts, f).unwrap();
    }
    w.into_inner()
}

fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("udpdissect-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(args: &[&str], path: &PathBuf) -> Output {
    bin().args(args).arg(path).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn summary_lines_name_protocol_info_and_findings() {
    let p = file("summary.pcap", &pcap(&session()));
    let o = run(&[], &p);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "    1     0.000000 10.20.30.40 → 172.16.202.201 SRUN 50 Beat UID=1234567890123");
    assert_eq!(lines[1], "    2     0.003000 172.16.202.201 → 10.20.30.40 SRUN 58 Reply UID=1234567890123 (alive)");
    assert_eq!(
        lines[3],
        "    4    60.002500 172.16.202.201 → 10.20.30.40 SRUN 58 Reply UID=-2 (session dead) [heartbeat.session_dead]"
    );
    assert!(
        lines[4].contains(" ICMP ")
            && lines[4].contains(
                "Destination unreachable (Port unreachable) for SRUN 172.16.202.201:3335 → 10.20.30.40:40001"
            ),
        "{}",
        lines[4]
    );
    assert_eq!(lines.len(), 5);
}

#[test]
fn tree_shows_offsets_generated_fields_and_findings() {
    let p = file("tree.pcap", &pcap(&session()));
    let o = run(&["-V", "-c", "4"], &p);
    let text = stdout(&o);
    assert!(text.contains("\nSRUN UID Heartbeat  [42+16]\n    [Type: reply (1)]\n    UID: -2  [42+8]\n    Padding: 0000000000000000  [50+8]\n"), "{text}");
    assert!(text.contains("    [Response to: frame 3]\n"), "{text}");
    assert!(
        text.contains(
            "User Datagram Protocol, Src Port: 3335, Dst Port: 40001  [34+8]\n    Source Port: 3335  [34+2]\n"
        ),
        "{text}"
    );
    assert!(text.contains("    [warn heartbeat.session_dead] the server declared the session dead (-2)"), "{text}");
    assert!(text.starts_with("Frame 1: 50 bytes on wire (400 bits), 50 bytes captured (400 bits)  [0+50]\n"), "{text}");
}

#[test]
fn hex_dump_per_frame() {
    let p = file("hex.pcap", &pcap(&session()[..1]));
    let text = stdout(&run(&["-x"], &p));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[2], "0000  02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00   ..............E.");
    assert_eq!(lines[4], "0020  ca c9 9c 40 0d 07 00 10 d1 f8 cb 04 fb 71 1f 01   ...@.........q..");
    assert_eq!(lines[5], "0030  00 00                                             ..");
}

#[test]
fn json_and_ndjson_carry_typed_fields_and_experts() {
    let p = file("json.pcap", &pcap(&session()));
    let o = run(&["-T", "json"], &p);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let frames = v.as_array().unwrap();
    assert_eq!(frames.len(), 5);
    let f4 = &frames[3];
    assert_eq!(f4["frame"], 4);
    assert_eq!(f4["time"], "1772438460.002500000");
    assert_eq!(f4["protocol"], "SRUN");
    let hb = f4["fields"].as_array().unwrap().iter().find(|f| f["key"] == "heartbeat").unwrap();
    let uid = hb["children"].as_array().unwrap().iter().find(|f| f["key"] == "heartbeat.uid").unwrap();
    assert_eq!((uid["value"].as_i64(), uid["offset"].as_u64(), uid["len"].as_u64()), (Some(-2), Some(42), Some(8)));
    let status = hb["children"].as_array().unwrap().iter().find(|f| f["key"] == "heartbeat.status").unwrap();
    assert_eq!(status["value"], serde_json::json!({"value": 1, "name": "dead"}));
    assert_eq!(f4["expert"][0]["tag"], "heartbeat.session_dead");
    assert_eq!(f4["expert"][0]["severity"], "warn");

    assert_eq!(f4["expert"][0]["group"], "Response");
    assert!(f4.get("raw").is_none(), "the frame's bytes only with -x");

    let o = run(&["-T", "ndjson"], &p);
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[2]["frame"], 3);

    // -x: the frame's bytes, which the fields' positions point into (the UID -2 at 42+8).
    let o = run(&["-T", "ndjson", "-x"], &p);
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let raw = lines[3]["raw"].as_str().unwrap();
    assert_eq!(raw.len(), 2 * lines[3]["caplen"].as_u64().unwrap() as usize);
    assert_eq!(&raw[84..100], "feffffffffffffff");
}

#[test]
fn field_columns_follow_tshark_options() {
    let p = file("fields.pcap", &pcap(&session()));
    let args = [
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "frame.time_epoch",
        "-e",
        "ip.src",
        "-e",
        "udp.srcport",
        "-e",
        "udp.dstport",
        "-e",
        "udp.length",
        "-e",
        "heartbeat.uid",
        "-E",
        "header=y",
    ];
    let text = stdout(&run(&args, &p));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "frame.number\tframe.time_epoch\tip.src\tudp.srcport\tudp.dstport\tudp.length\theartbeat.uid");
    assert_eq!(lines[1], "1\t1772438400.000000000\t10.20.30.40\t40000\t3335\t16\t1234567890123");
    // ICMP error: outer and quoted addresses, like tshark.
    assert_eq!(lines[5], "5\t1772438460.002600000\t10.20.30.40,172.16.202.201\t3335\t40001\t24\t");
    let text =
        stdout(&run(&["-T", "fields", "-e", "ip.src", "-E", "occurrence=l", "-E", "quote=d", "-E", "separator=;"], &p));
    assert_eq!(text.lines().nth(4), Some("\"172.16.202.201\""));
}

#[test]
fn unknown_field_is_rejected_before_reading_with_suggestions() {
    let o = bin().args(["-T", "fields", "-e", "heartbeat.uidd", "/nonexistent"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("-e heartbeat.uidd: no such field; closest: heartbeat.uid"), "{err}");
}

#[test]
fn count_and_time_formats() {
    let p = file("time.pcap", &pcap(&session()));
    let text = stdout(&run(&["-c", "2", "-t", "ud"], &p));
    assert_eq!(text.lines().count(), 2);
    assert!(text.lines().nth(1).unwrap().starts_with("    2 2026-03-02 08:00:00.003000 "), "{text}");
    let text = stdout(&run(&["-t", "d"], &p));
    assert!(text.lines().nth(2).unwrap().starts_with("    3    59.997000 "), "{text}");
    let text = stdout(&run(&["-t", "e", "-c", "1"], &p));
    assert!(text.starts_with("    1 1772438400.000000 "), "{text}");
}

#[test]
fn decode_as_moves_the_heartbeat_to_another_port() {
    let frames =
        vec![(Ts::new(T0, 0), link::ethernet_ip(&packet::udp4(sa("10.0.0.1:50000"), sa("10.0.0.2:4000"), &beat(5))))];
    let p = file("decode-as.pcap", &pcap(&frames));
    assert!(stdout(&run(&[], &p)).contains(" UDP 50 50000 → 4000 Len=8"));
    assert!(stdout(&run(&["-d", "udp.port==4000,heartbeat"], &p)).contains(" SRUN 50 Beat UID=5"));
    let o = run(&["-d", "udp.port==4000,nosuch"], &p);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown protocol 'nosuch'"));
}

#[test]
fn damaged_capture_prints_what_came_before_then_one_error() {
    let good = pcap(&session());
    let p = file("cut.pcap", &damage::truncate_mid_record(&good, 10));
    let o = run(&[], &p);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o).lines().count(), 4);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with(&format!("udpdissect: {}: frame 5 at byte offset ", p.display())), "{err}");

    let p = file("magic.pcap", &damage::bad_magic(&good));
    let o = run(&[], &p);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("frame 1 at byte offset 0"));
}

#[test]
fn stdin_streams_each_frame_as_it_arrives() {
    let bytes = pcap(&session());
    let mut child = bin().args(["-r", "-", "-l"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // header and first record only: the first line must come out before any more input
    let first_record_end = 24 + 16 + session()[0].1.len();
    stdin.write_all(&bytes[..first_record_end]).unwrap();
    stdin.flush().unwrap();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("Beat UID=1234567890123"), "{first}");
    stdin.write_all(&bytes[first_record_end..]).unwrap();
    drop(stdin);
    assert_eq!(lines.count(), 4);
    assert!(child.wait().unwrap().success());
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let p = file("color.pcap", &pcap(&session()));
    assert!(stdout(&run(&["--color", "always"], &p)).contains("\x1b[33m"));
    assert!(!stdout(&run(&["--color", "never"], &p)).contains('\x1b'));
    let o = bin().arg(&p).env("NO_COLOR", "1").output().unwrap();
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn listings_help_and_version() {
    let o = bin().arg("--list-protocols").output().unwrap();
    let text = stdout(&o);
    assert!(text.contains("heartbeat\tSRUN\tSRUN 3000 UID heartbeat\tudp.port 3335"), "{text}");
    assert!(text.contains("    expert heartbeat.session_dead\twarn\t"));
    let text = stdout(&bin().args(["--list-fields", "heartbeat"]).output().unwrap());
    assert!(text
        .lines()
        .any(|l| l == "heartbeat.uid\tsigned\tlogin session id, little-endian i64; -2 in a reply: session dead"));
    let all = stdout(&bin().arg("--list-fields").output().unwrap());
    assert!(all.contains("udp.srcport\tunsigned\t") && all.contains("frame.time_epoch\ttime\t"));
    assert!(all.contains("\nexpert.severity\tseverity\tnote < warn < error"), "{all}");
    let expert = stdout(&bin().args(["--list-fields", "expert"]).output().unwrap());
    assert_eq!(expert.lines().count(), 12, "{expert}");
    assert!(expert.contains("\nexpert.group\tgroup\teach finding's group"), "{expert}");
    assert!(expert.contains("_ws.col.def_src\tstring\tthe source column"), "{expert}");
    assert_eq!(bin().args(["--list-fields", "nosuch"]).output().unwrap().status.code(), Some(2));
    let help = stdout(&bin().arg("--help").output().unwrap());
    assert!(help.contains("EXAMPLES:") && help.contains("-V, --verbose") && help.contains("EXIT STATUS:"));
    let v = stdout(&bin().arg("--version").output().unwrap());
    assert_eq!(v.trim(), format!("udpdissect {}", env!("CARGO_PKG_VERSION")));
    let o = bin().output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no capture given"));
}

#[test]
fn end_of_capture_findings_follow_the_list() {
    let client = sa("10.20.30.40:40000");
    let frames = vec![
        (Ts::new(T0, 0), link::ethernet_ip(&packet::udp4(client, sa("172.16.202.201:3335"), &beat(UID)))),
        (Ts::new(T0 + 5, 0), link::ethernet_ip(&packet::udp4(sa("10.0.0.1:53"), sa("10.0.0.2:5353"), b"x"))),
    ];
    let p = file("end.pcap", &pcap(&frames));
    let text = stdout(&run(&[], &p));
    assert!(text.ends_with("End of capture:\n    [warn heartbeat.no_reply] the beat in frame 1 (10.20.30.40:40000 → 172.16.202.201:3335) got no reply before the capture ended\n"), "{text}");
    let nd = stdout(&run(&["-T", "ndjson"], &p));
    let last: serde_json::Value = serde_json::from_str(nd.lines().last().unwrap()).unwrap();
    assert_eq!(last["end_of_capture"], true);
    assert_eq!(last["expert"][0]["tag"], "heartbeat.no_reply");
}

/// Hostile input meets the bounds: every table is capped, and reaching a cap is a note at
/// the end of the capture, not a crash.
#[test]
fn floods_of_fragments_and_conversations_end_in_notes() {
    let src = Ipv4Addr::new(10, 0, 0, 1);
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, false, false).unwrap();
    // 5 000 first fragments that never complete (distinct ids): the reassembly keeps 4 096.
    for i in 0..5_000u16 {
        let big = packet::Udp::v4(SocketAddrV4::new(src, 5000), sa("10.0.0.2:9999")).id(i).build(&[7u8; 64]);
        let first = packet::ipv4_fragments(&big, 32).remove(0);
        w.write(Ts::new(T0, u32::from(i) * 1000), &link::ethernet_ip(&first)).unwrap();
    }
    // 70 000 distinct UDP conversations: the table holds 65 536.
    for i in 0..70_000u32 {
        let port = 1024 + (i % 60_000) as u16;
        let host = Ipv4Addr::new(10, 1, (i / 60_000) as u8, 1);
        let ip = packet::udp4(SocketAddrV4::new(host, port), sa("10.0.0.2:9999"), b"x");
        w.write(Ts::new(T0 + 1, i), &link::ethernet_ip(&ip)).unwrap();
    }
    let p = file("flood.pcap", &w.into_inner());
    let o = run(&["-q", "-z", "expert"], &p);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(
        text.contains(
            "| ip.defrag_dropped       | note     |     1 | end         | 904 incomplete IP datagram(s) dropped"
        ),
        "{text}"
    );
    assert!(
        text.contains("| core.conversations_full | note     |     1 | end         | 4464 conversation(s) dropped"),
        "{text}"
    );
}

/// A second core must change nothing: rendering on it (UDPDISSECT_THREADS=2), nor the
/// statistics filled on it (the default with two cores), against everything on one thread
/// (UDPDISSECT_THREADS=1): not the lines, not the reassembled datagrams behind frames the
/// filter hides, not the tables, not what a damaged capture keeps.
#[test]
fn a_second_thread_changes_no_output() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures");
    let runs: &[(&str, &[&str])] = &[
        ("fragments.pcap", &["-V", "-x"]),
        // Hides the first fragments: the renderer must still reassemble what follows.
        ("fragments.pcap", &["-Y", "frame.number > 2", "-T", "ndjson"]),
        ("heartbeat.pcap", &["-T", "fields", "-e", "frame.number", "-e", "heartbeat.uid", "-E", "header=y"]),
        ("heartbeat.pcap", &["-c", "5"]),
        ("damaged-cut-mid-record.pcap", &[]),
        // The statistics: every table, a filter, JSON, and a damaged capture's tables.
        ("overte-session.pcapng", &["stats"]),
        ("eqstream-eq2-login.pcap", &["stats", "-T", "json"]),
        ("overnet-swarm.pcap", &["stats", "-Y", "overnet.opcode == 0x0e"]),
        ("fragments.pcap", &["-q", "-z", "conv,udp", "-z", "expert"]),
        ("heartbeat-findings.pcapng", &["-z", "io,1", "-z", "heartbeat"]),
        ("damaged-cut-mid-record.pcap", &["stats"]),
    ];
    for (name, args) in runs {
        let p = root.join(name);
        let single = bin().env("UDPDISSECT_THREADS", "1").args(*args).arg(&p).output().unwrap();
        assert!(!single.stdout.is_empty(), "{name} {args:?}");
        for threads in [None, Some("2")] {
            let mut cmd = bin();
            if let Some(n) = threads {
                cmd.env("UDPDISSECT_THREADS", n);
            }
            let other = cmd.args(*args).arg(&p).output().unwrap();
            assert_eq!(stdout(&other), stdout(&single), "{name} {args:?} {threads:?}");
            assert_eq!(other.stderr, single.stderr, "{name} {args:?} {threads:?}");
            assert_eq!(other.status.code(), single.status.code(), "{name} {args:?} {threads:?}");
        }
    }
}

/// Dissecting Overte and EQStream on a second thread (the default for the summary and
/// `-T fields` with two cores, where they carry enough of the capture) must change nothing
/// either, on every shipped capture: not the lines, not the columns of every protocol, not what
/// a filter keeps, not the end-of-capture findings, not a damaged capture's exit status.
#[test]
fn dissecting_on_a_second_thread_changes_no_output() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut captures: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    captures.sort();
    assert!(captures.len() >= 20, "{}", captures.len());
    let columns = [
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "_ws.col.Protocol",
        "-e",
        "_ws.col.Info",
        "-e",
        "overte.type",
        "-e",
        "eqstream.op",
        "-e",
        "heartbeat.uid",
        "-e",
        "overnet.opcode",
    ];
    // The same columns as JSON records.
    let json_columns: Vec<&str> = ["-T", "ndjson"].into_iter().chain(columns[2..].iter().copied()).collect();
    let runs: [&[&str]; 4] =
        [&[], &columns, &json_columns, &["-Y", "overte || eqstream.crc.status != 0 || expert.severity >= warn"]];
    for capture in &captures {
        for args in runs {
            let single = bin().env("UDPDISSECT_THREADS", "1").args(args).arg(capture).output().unwrap();
            let name = capture.file_name().unwrap().to_string_lossy();
            // Split whatever the capture holds, and as the look at its first frames decides.
            for threads in [Some("split"), None] {
                let mut cmd = bin();
                match threads {
                    Some(n) => cmd.env("UDPDISSECT_THREADS", n),
                    None => cmd.env_remove("UDPDISSECT_THREADS"),
                };
                let split = cmd.args(args).arg(capture).output().unwrap();
                assert!(split.stdout == single.stdout, "{name} {args:?} {threads:?}\n{}", stdout(&split));
                assert_eq!(split.stderr, single.stderr, "{name} {args:?} {threads:?}");
                assert_eq!(split.status.code(), single.status.code(), "{name} {args:?} {threads:?}");
            }
        }
    }
}

/// A record with no bytes captured has no link-layer fields and no addresses: nothing is
/// made up for bytes that are not there.
#[test]
fn a_record_without_bytes_shows_no_link_layer() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures/damaged-zero-length.pcap");
    let text = stdout(&run(&["-T", "fields", "-e", "frame.cap_len", "-e", "eth.src", "-e", "eth.type"], &p));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "50\t06:14:1e:28:00:40\t0x0800");
    assert_eq!(lines[2], "0\t\t");
    assert_eq!(lines[5], "0\t\t");
    let summary = stdout(&run(&[], &p));
    assert!(!summary.contains("00:00:00:00:00:00"), "{summary}");
}

/// `n` beats to one server, each from a port (and address) of its own.
fn beats_from_many_ports(n: u32) -> Vec<(Ts, Vec<u8>)> {
    let server = sa("172.16.202.201:3335");
    (0..n)
        .map(|i| {
            let client = sa(&format!("10.20.{}.{}:{}", i / 250, i % 250 + 1, 20_000 + i));
            (Ts::new(T0 + i64::from(i), 0), link::ethernet_ip(&packet::udp4(client, server, &beat(UID))))
        })
        .collect()
}

/// Tables long enough to be written in pieces by two threads read the same as on one thread.
#[test]
fn large_statistics_tables_read_the_same_on_one_thread() {
    let capture = file("stats-large.pcap", &pcap(&beats_from_many_ports(9000)));
    for format in ["text", "json"] {
        let run = |threads: &str| {
            bin().args(["stats", "-T", format]).arg(&capture).env("UDPDISSECT_THREADS", threads).output().unwrap()
        };
        let (one, two) = (run("1"), run("2"));
        assert_eq!(one.status.code(), Some(0));
        assert!(one.stdout.len() > 1_000_000, "{format}: {} bytes", one.stdout.len());
        assert!(one.stdout == two.stdout, "{format}");
        assert_eq!((one.status.code(), &one.stderr), (two.status.code(), &two.stderr));
    }
}

/// A reader that stops early is not an error for the statistics either: exit 0, nothing on
/// stderr, as for the packet list.
#[test]
fn stats_stop_quietly_when_the_reader_goes_away() {
    // Conversation and endpoint tables far larger than a pipe holds.
    let capture = file("stats-pipe.pcap", &pcap(&beats_from_many_ports(4000)));
    for format in ["text", "json"] {
        let mut child = bin()
            .args(["stats", "-T", format])
            .arg(&capture)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then go away.
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// The listings, into a pipe whose reader is already gone: exit 0, nothing on stderr.
#[test]
fn listings_stop_quietly_when_the_reader_is_gone() {
    for arg in ["--list-fields", "--list-fields=overte", "--list-protocols"] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = bin().arg(arg).stdout(writer).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{arg}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{arg}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // An unknown protocol is still an error.
    let out = bin().arg("--list-fields=nope").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown protocol 'nope'"));
}

/// `udpdissect ... 2>&1 | head`: stdout and stderr are one pipe whose reader has gone. An error
/// then has nowhere to be told, and the exit status must still be the error's (2), never a
/// panic's (101).
#[test]
fn errors_with_stderr_gone_still_exit_with_their_status() {
    let gone = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        (writer.try_clone().unwrap(), writer)
    };
    let runs: [&[&str]; 3] = [
        &["regress", "captures"],
        &["no-such-capture.pcap"],
        &["-Y", "overte.type ==", "captures/overte-session.pcapng"],
    ];
    for args in runs {
        let (out, err) = gone();
        let status = bin().args(args).stdout(out).stderr(err).status().unwrap();
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}

/// A shell pattern that matched several captures, a mistyped command, or a folder, gets advice
/// rather than clap taking the second file for a command's name or a read error.
#[test]
fn several_files_or_a_mistyped_command_are_explained() {
    let run = |args: &[&str]| {
        let out = bin().args(args).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned(), out.stdout.is_empty())
    };
    for args in [
        &["captures/link-raw.pcap", "captures/link-sll.pcap", "captures/link-loop.pcap"][..],
        &["stats", "captures/link-raw.pcap", "captures/link-sll.pcap", "captures/link-loop.pcap"],
    ] {
        let (code, err, quiet) = run(args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(quiet, "{args:?}: nothing read, nothing printed");
        assert!(
            err.contains(
                "one capture at a time, and 3 were given (captures/link-raw.pcap, captures/link-sll.pcap, \
                 captures/link-loop.pcap); to compare two captures: udpdissect diff OURS THEIRS"
            ),
            "{args:?}: {err}"
        );
    }
    for (typo, meant) in [("stat", "stats"), ("regres", "regress"), ("dif", "diff")] {
        let (code, err, _) = run(&[typo, "captures/link-raw.pcap"]);
        assert_eq!(code, Some(2));
        assert!(
            err.contains(&format!("'{typo}' is neither a capture nor a command: did you mean 'udpdissect {meant}'?")),
            "{err}"
        );
    }
    // A missing capture that looks like no command is just missing.
    let (code, err, _) = run(&["no-such-capture.pcap"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no-such-capture.pcap: cannot open"), "{err}");
    // A folder is not a capture: the error says so and points at regress, for reading and
    // for the statistics alike.
    for args in [&["captures"][..], &["stats", "captures"], &["-r", "captures", "-q"]] {
        let (code, err, quiet) = run(args);
        assert_eq!((code, quiet), (Some(2), true), "{args:?}");
        assert!(
            err.contains(
                "captures: is a folder, not a capture: give one capture file (udpdissect regress captures decodes"
            ),
            "{args:?}: {err}"
        );
    }
    // One capture still reads.
    assert_eq!(run(&["captures/link-raw.pcap"]).0, Some(0));
}

/// A filter or column that names what the Protocol column shows (SRUN, Kad) or a key in other
/// letter case is told the protocol's filter name, for every protocol and every name its
/// datagrams show in that column.
#[test]
fn names_seen_in_the_protocol_column_point_at_the_filter_name() {
    let stderr = |args: &[&str]| {
        let out = bin().args(args).arg("captures/heartbeat.pcap").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    for (shown, key) in [
        ("SRUN", "heartbeat"),
        ("eDonkey", "overnet"),
        ("eMule", "overnet"),
        ("Kad", "overnet"),
        ("Overnet", "overnet"),
    ] {
        let err = stderr(&["-Y", shown]);
        let want = if shown.eq_ignore_ascii_case(key) {
            format!("unknown field '{shown}'; filter names are lower case: {key}")
        } else {
            format!(
                "unknown field '{shown}'; {shown} is what the Protocol column shows for {key} datagrams: filter on \
                 {key}, or on the column itself: _ws.col.protocol == \"{shown}\""
            )
        };
        assert!(err.contains(&want), "{shown}: {err}");
        let err = stderr(&["-T", "fields", "-e", shown]);
        assert!(err.contains(&format!("-e {shown}: no such field; ")), "{err}");
        assert!(err.contains(&format!(" {key}")), "{err}");
    }
    assert!(stderr(&["-Y", "EQStream"]).contains("filter names are lower case: eqstream"));
    assert!(stderr(&["-O", "SRUN"]).contains(
        "-O SRUN: no such protocol; SRUN is what the Protocol column shows for heartbeat datagrams: -O heartbeat"
    ));
    assert!(stderr(&["-O", "udp,EQStream"])
        .contains("-O EQStream: no such protocol; protocol names are lower case: -O eqstream"));
    // A decode-as rule takes the column's name too: port 53 decoded as SRUN is the heartbeat.
    let decoded = |proto: &str| {
        let rule = format!("udp.port==53,{proto}");
        bin().args(["-d", &rule, "captures/heartbeat.pcap"]).output().unwrap().stdout
    };
    let heartbeat = decoded("heartbeat");
    assert!(String::from_utf8_lossy(&heartbeat).contains(" SRUN 79 Beat UID=1099511704346 [heartbeat.bad_length]"));
    assert_eq!(decoded("SRUN"), heartbeat);
    assert!(stderr(&["-T", "fields", "-e", "Heartbeat.UID"]).contains("field names are lower case: heartbeat.uid"));
    // What the hint says works: the column itself as a filter.
    let out = bin().args(["-Y", "_ws.col.protocol == \"Kad\"", "captures/overnet-family.pcap"]).output().unwrap();
    let lines = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!((out.status.code(), lines), (Some(0), 6));
}

/// `-e` and `-E` without a columns output (`-T fields`, or `-e` with `-T json` or `ndjson`) are
/// refused, as tshark refuses them, rather than ignored.
#[test]
fn field_options_without_the_fields_output_are_refused() {
    for (args, flag) in [
        (&["-e", "overte.type"][..], "-e"),
        (&["-V", "-e", "frame.number"], "-e"),
        (&["-E", "header=y"], "-E"),
        (&["-T", "json", "-E", "occurrence=f"], "-E"),
    ] {
        let out = bin().args(args).arg("captures/overte-session.pcapng").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{flag} applies to -T fields")), "{args:?}: {err}");
        assert!(err.contains("add -T fields to print columns"), "{args:?}: {err}");
    }
    // A column key that is not one of the summary line's is refused, not printed empty.
    let out = bin().args(["-T", "fields", "-e", "_ws.col.Src", "captures/overte-session.pcapng"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("-e _ws.col.Src: no such column; the summary line's are _ws.col.number, _ws.col.cls_time"),
        "{err}"
    );
    // With -T json, -e picks the record's members, as in tshark; an unknown key is refused
    // as in -T fields.
    let out = bin().args(["-T", "json", "-e", "overte.typo", "captures/overte-session.pcapng"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("overte.typo"));
}

/// `-T json -e` / `-T ndjson -e`: tshark's records of the protocols' columns, each value as
/// `-T fields` shows it; findings and the info column too.
#[test]
fn json_columns_of_the_protocols() {
    let out = bin()
        .args(["-T", "ndjson", "-e", "frame.number", "-e", "overte.type", "-e", "expert.tag", "-e", "_ws.col.info"])
        .arg("captures/overte-buggy-client.pcapng")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let records: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 42);
    let layers = &records[3]["_source"]["layers"];
    assert_eq!(records[3]["_index"], "packets-2026-03-02");
    assert_eq!(layers["frame.number"], serde_json::json!(["4"]));
    assert_eq!(layers["overte.type"], serde_json::json!(["3"]), "an enum as its number, as in -T fields");
    assert_eq!(
        layers["expert.tag"],
        serde_json::json!([
            "overte.duplicate",
            "overte.source_id_byte_swapped",
            "overte.payload.wrong_length",
            "overte.payload.unknown_enum"
        ])
    );
    assert!(layers["_ws.col.info"][0].as_str().unwrap().starts_with("Ping ?"), "{layers}");
    // The same cells as -T fields, frame by frame.
    let out = bin()
        .args(["-T", "fields", "-E", "aggregator=|", "-e", "frame.number", "-e", "overte.type", "-e", "expert.tag"])
        .arg("captures/overte-buggy-client.pcapng")
        .output()
        .unwrap();
    for (line, record) in String::from_utf8(out.stdout).unwrap().lines().zip(&records) {
        let layers = &record["_source"]["layers"];
        let cells: Vec<String> = ["frame.number", "overte.type", "expert.tag"]
            .iter()
            .map(|k| {
                layers[k]
                    .as_array()
                    .map_or(String::new(), |v| v.iter().map(|x| x.as_str().unwrap()).collect::<Vec<_>>().join("|"))
            })
            .collect();
        assert_eq!(line, cells.join("\t"));
    }
}

/// An echo reply names its request, as tshark does in one pass: the request between the same
/// two ends (swapped) with the same identifier and sequence number, the latest if it was sent
/// again; a reply from elsewhere or without a request names none. On one thread and on two.
#[test]
fn echo_replies_name_their_request_and_its_time() {
    let (a, b, c) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2), Ipv4Addr::new(10, 0, 0, 3));
    let (a6, b6): (std::net::Ipv6Addr, std::net::Ipv6Addr) =
        ("2001:db8::1".parse().unwrap(), "2001:db8::2".parse().unwrap());
    let echo4 = |src, dst, kind, id: u16, seq: u16| {
        let rest = [(id >> 8) as u8, id as u8, (seq >> 8) as u8, seq as u8];
        link::ethernet_ip(&packet::ipv4(src, dst, 1, &packet::icmp4_message(kind, 0, rest, b"ping")))
    };
    let echo6 = |src, dst, kind, id: u16, seq: u16| {
        let rest = [(id >> 8) as u8, id as u8, (seq >> 8) as u8, seq as u8];
        link::ethernet_ip(&packet::ipv6(src, dst, 58, &packet::icmp6_message(src, dst, kind, 0, rest, b"ping")))
    };
    let at = |ms: u32| Ts::new(T0, ms * 100_000);
    let frames = [
        (at(0), echo4(a, b, 8, 1, 1)),
        (at(25), echo4(b, a, 0, 1, 1)),
        // From another host: not the reply to frame 1.
        (at(30), echo4(c, a, 0, 1, 1)),
        (at(40), echo4(a, b, 8, 1, 2)),
        (at(50), echo4(a, b, 8, 1, 2)),
        (at(62), echo4(b, a, 0, 1, 2)),
        (at(70), echo4(b, a, 0, 9, 9)),
        (at(80), echo6(a6, b6, 128, 7, 3)),
        (at(111), echo6(b6, a6, 129, 7, 3)),
    ];
    let p = file("echoes.pcap", &pcap(&frames));
    for threads in ["1", "2"] {
        let run = |args: &[&str]| {
            let o = bin().env("UDPDISSECT_THREADS", threads).args(args).arg(&p).output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            stdout(&o)
        };
        let fields = ["-e", "frame.number", "-e", "icmp.resp_to", "-e", "icmp.resptime", "-e", "icmpv6.resp_to"];
        let mut args = vec!["-T", "fields"];
        args.extend(fields);
        args.extend(["-e", "icmpv6.resptime"]);
        assert_eq!(
            run(&args),
            "1\t\t\t\t\n2\t1\t2.5\t\t\n3\t\t\t\t\n4\t\t\t\t\n5\t\t\t\t\n6\t5\t1.2\t\t\n7\t\t\t\t\n8\t\t\t\t\n9\t\t\t8\t3.1\n",
            "{threads} thread(s)"
        );
        let summary = run(&[]);
        let lines: Vec<&str> = summary.lines().collect();
        assert!(lines[1].ends_with("Echo (ping) reply    id=0x0001, seq=1/256, ttl=64 (request in 1)"), "{}", lines[1]);
        assert!(lines[5].ends_with("(request in 5)") && lines[8].ends_with("hop limit=64 (request in 8)"), "{summary}");
        for n in [0, 2, 3, 4, 6, 7] {
            assert!(!lines[n].contains("request in"), "{}", lines[n]);
        }
        assert_eq!(run(&["-Y", "icmp.resptime > 2", "-T", "fields", "-e", "frame.number"]), "2\n");
    }
}

/// Datagrams are placed in their conversation as tshark places them: `udp.stream` numbers
/// conversations from 0 in order of first appearance (an ICMP error's quote counts, and opens
/// one), `udp.time_relative` and `udp.time_delta` time the conversation's own datagrams, a quote
/// moving neither. The same on one thread, on two, and in a run that reads only these layers.
/// Also `udp.checksum.status`, and the finding on a zero checksum over IPv6.
#[test]
fn datagrams_are_numbered_and_timed_in_their_conversations() {
    let (a, b, c) = (sa("10.0.0.1:5000"), sa("10.0.0.2:6000"), sa("10.0.0.3:7000"));
    let router = Ipv4Addr::new(10, 0, 0, 254);
    let (a6, b6): (std::net::SocketAddrV6, std::net::SocketAddrV6) =
        ("[2001:db8::1]:5000".parse().unwrap(), "[2001:db8::2]:6000".parse().unwrap());
    let udp = |src, dst, body: &[u8]| link::ethernet_ip(&packet::udp4(src, dst, body));
    let at = |ms: u32| Ts::new(T0, ms * 1_000_000);
    let quoted = packet::udp4(c, b, b"hello");
    let frames = [
        (at(0), udp(a, b, b"one")),
        (at(10), udp(b, a, b"two")),
        // A quote of a conversation not seen yet opens stream 1; its first datagram comes later.
        (at(15), link::ethernet_ip(&packet::icmp4_port_unreachable(router, &quoted))),
        (at(40), udp(a, b, b"three")),
        (at(100), link::ethernet_ip(&quoted)),
        (at(130), link::ethernet_ip(&packet::Udp::v4(c, b).zero_checksum().build(b"x"))),
        (at(150), link::ethernet_ip(&packet::Udp::v6(a6, b6).zero_checksum().build(b"y"))),
        (at(160), link::ethernet_ip(&packet::udp6(b6, a6, b"z"))),
    ];
    let p = file("streams.pcap", &pcap(&frames));
    let columns = ["frame.number", "udp.stream", "udp.time_relative", "udp.time_delta", "udp.checksum.status"];
    let expected = "1\t0\t0.000000000\t0.000000000\t2\n\
                    2\t0\t0.010000000\t0.010000000\t2\n\
                    3\t1\t\t\t2\n\
                    4\t0\t0.040000000\t0.030000000\t2\n\
                    5\t1\t0.085000000\t0.085000000\t2\n\
                    6\t1\t0.115000000\t0.030000000\t3\n\
                    7\t2\t0.000000000\t0.000000000\t4\n\
                    8\t2\t0.010000000\t0.010000000\t2\n";
    for (threads, extra) in [("1", None), ("2", None), ("2", Some("heartbeat.uid")), ("1", Some("heartbeat.uid"))] {
        let mut args = vec!["-T", "fields"];
        for c in columns.iter().chain(&extra) {
            args.extend(["-e", c]);
        }
        let o = bin().env("UDPDISSECT_THREADS", threads).args(&args).arg(&p).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = stdout(&o);
        let out: String = out.lines().map(|l| l.split('\t').take(5).collect::<Vec<_>>().join("\t") + "\n").collect();
        assert_eq!(out, expected, "{threads} thread(s), with {extra:?}");
    }
    let keep = |filter: &str| {
        let o = bin().args(["-Y", filter, "-T", "fields", "-e", "frame.number"]).arg(&p).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        stdout(&o).lines().map(str::to_string).collect::<Vec<_>>().join(",")
    };
    assert_eq!(keep("udp.stream == 1"), "3,5,6");
    assert_eq!(keep("udp.time_delta > 0.02"), "4,5,6");
    assert_eq!(keep("udp.checksum.status == 4"), "7");
    // The tree shows them where tshark does, after the checksum.
    let tree = stdout(&run(&["-V", "-c", "1"], &p));
    assert!(
        tree.contains(
            "    [Checksum Status: Unverified (2)]\n    [Stream index: 0]\n    [Time since first frame: 0.000000000 s]\n    [Time since previous frame: 0.000000000 s]\n"
        ),
        "{tree}"
    );
    let summary = stdout(&run(&[], &p));
    let lines: Vec<&str> = summary.lines().collect();
    assert!(lines[6].ends_with("[udp.checksum_zero]") && !lines[5].contains("udp.checksum_zero"), "{summary}");
}

/// The IP header's DS field, flags and version, and IPv6's traffic class and flow label, as
/// tshark gives them (values checked against tshark 4.0 on the same bytes).
#[test]
fn ip_header_bits_are_tsharks_fields() {
    let mut v4 = packet::udp4(sa("10.0.0.1:1"), sa("10.0.0.2:2"), b"a");
    v4[1] = 0xb9; // DSCP 46 (EF), ECN 1
    v4[6] |= 0xc0; // the reserved bit and DF
    let mut v6 = packet::udp6("[2001:db8::1]:1".parse().unwrap(), "[2001:db8::2]:2".parse().unwrap(), b"c");
    v6[..4].copy_from_slice(&(6u32 << 28 | 0xb9 << 20 | 0x12345).to_be_bytes());
    let p =
        file("bits.pcap", &pcap(&[(Ts::new(T0, 0), link::ethernet_ip(&v4)), (Ts::new(T0, 1), link::ethernet_ip(&v6))]));
    let fields = [
        "ip.version",
        "ip.flags",
        "ip.flags.rb",
        "ip.flags.df",
        "ip.dsfield",
        "ip.dsfield.dscp",
        "ip.dsfield.ecn",
        "ip.checksum.status",
        "ipv6.version",
        "ipv6.tclass",
        "ipv6.tclass.dscp",
        "ipv6.tclass.ecn",
        "ipv6.flow",
    ];
    let mut args = vec!["-T", "fields"];
    for f in &fields {
        args.extend(["-e", f]);
    }
    // ip.version also stands for an IPv6 header's version, as tshark's hidden copy does.
    assert_eq!(
        stdout(&run(&args, &p)),
        "4\t0x06\t1\t1\t0xb9\t46\t1\t2\t\t\t\t\t\n6\t\t\t\t\t\t\t\t6\t0x000000b9\t46\t1\t0x012345\n"
    );
    let keep = |filter: &str| stdout(&run(&["-Y", filter, "-T", "fields", "-e", "frame.number"], &p));
    assert_eq!(keep("ip.dsfield.dscp == 46 && ip.flags.rb"), "1\n");
    assert_eq!(keep("ipv6.tclass.dscp == 46 && ipv6.flow == 0x12345"), "2\n");
}

#[test]
fn frame_time_delta_displayed_and_protocols_read_as_in_tshark() {
    let p = file("frame-fields.pcap", &pcap(&session()));
    let fields = ["-T", "fields", "-e", "frame.number", "-e", "frame.time", "-e", "frame.time_delta_displayed"];
    let with_tz = |tz: &str, extra: &[&str]| {
        let o = bin().env("TZ", tz).args(fields).args(extra).arg(&p).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        stdout(&o)
    };
    // frame.time is local time, as tshark prints it; the zone comes from TZ.
    let utc = with_tz("UTC", &[]);
    assert_eq!(utc.lines().next(), Some("1\tMar  2, 2026 08:00:00.000000000 UTC\t0.000000000"), "{utc}");
    let berlin = with_tz("Europe/Berlin", &[]);
    assert_eq!(berlin.lines().nth(1), Some("2\tMar  2, 2026 09:00:00.003000000 CET\t0.003000000"), "{berlin}");
    // The displayed delta counts from the previous frame shown, not the previous frame read.
    let shown = with_tz("UTC", &["-Y", "frame.number != 2"]);
    let numbers: Vec<&str> = shown.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(numbers, ["1", "3", "4", "5"], "{shown}");
    assert!(shown.lines().nth(1).unwrap().ends_with("\t60.000000000"), "{shown}");
    // Date literals in filters are UTC unless they name the zone.
    let late = with_tz("Europe/Berlin", &["-Y", r#"frame.time >= "Mar  2, 2026 08:01:00""#]);
    assert_eq!(late.lines().count(), 3, "{late}");
    // As in tshark, the first frame shown has a delta of 0, and a frame filtered out moves nothing.
    let delta = with_tz("UTC", &["-Y", "frame.time_delta_displayed == 0 || frame.time_delta_displayed > 50"]);
    assert_eq!(delta.lines().map(|l| &l[..1]).collect::<String>(), "13", "{delta}");

    let chains = stdout(&run(&["-T", "fields", "-e", "frame.protocols"], &p));
    let chains: Vec<&str> = chains.lines().collect();
    assert_eq!(chains[0], "eth:ethertype:ip:udp:heartbeat", "{chains:?}");
    // A quoted datagram ends the chain at udp, as in tshark.
    assert_eq!(chains[4], "eth:ethertype:ip:icmp:ip:udp", "{chains:?}");
    let icmp = stdout(&run(&["-Y", r#"frame.protocols contains "icmp""#, "-T", "fields", "-e", "frame.number"], &p));
    assert_eq!(icmp, "5\n");

    // JSON carries the time as an ISO 8601 UTC string, whatever the zone.
    let o = bin().env("TZ", "Europe/Berlin").args(["-T", "json", "-c", "1"]).arg(&p).output().unwrap();
    let json = stdout(&o);
    assert!(json.contains(r#""frame.time","value":"2026-03-02T08:00:00.000000000Z""#), "{json}");
    let list = stdout(&bin().args(["--list-fields", "frame"]).output().unwrap());
    for row in ["frame.time\tdate\t", "frame.time_delta_displayed\tduration\t", "frame.protocols\tstring\t"] {
        assert!(list.lines().any(|l| l.starts_with(row)), "{row} not listed: {list}");
    }
}

#[test]
fn lower_layers_carry_tsharks_keys() {
    let p = file("aliases.pcap", &pcap(&session()));
    let cols =
        |args: &[&str], path: &Path| stdout(&bin().args(["-T", "fields"]).args(args).arg(path).output().unwrap());
    // Aliases list every member in the tree's order: the ICMP error's own addresses, then the
    // quoted datagram's.
    let text = cols(&["-e", "ip.addr", "-e", "udp.port", "-e", "eth.addr", "-E", "occurrence=a"], &p);
    let last = text.lines().nth(4).unwrap();
    assert!(last.starts_with("10.20.30.40,172.16.202.201,172.16.202.201,10.20.30.40\t3335,40001\t"), "{last}");
    let captures = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let shipped = |name: &str| captures.join(name);
    // ip.version also stands for IPv6 headers' versions.
    let v = cols(&["-Y", "ip.version == 6", "-e", "ip.version", "-e", "ipv6.src"], &shipped("link-ipv6.pcap"));
    assert_eq!(v.lines().next(), Some("6\t2001:db8:20:30::40"), "{v}");
    // An 802.1ad service tag is ieee8021ad, the 802.1Q tag inside it vlan.
    let tags = cols(
        &[
            "-Y",
            "ieee8021ad",
            "-e",
            "ieee8021ad.id",
            "-e",
            "ieee8021ah.etype",
            "-e",
            "vlan.id",
            "-e",
            "frame.protocols",
        ],
        &shipped("link-ethernet-vlan.pcap"),
    );
    assert_eq!(
        tags.lines().next(),
        Some("100\t0x8100\t30\teth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ipv6:udp:heartbeat"),
        "{tags}"
    );
    let sll =
        cols(&["-c", "1", "-e", "sll.src.eth", "-e", "sll.unused", "-e", "sll.src.other"], &shipped("link-sll.pcap"));
    assert_eq!(sll, "06:14:1e:28:00:40\t0000\t\n");
    // A TCP header an ICMP error quotes gives its ports.
    let tcp = cols(&["-Y", "tcp.port == 443", "-e", "frame.number", "-e", "tcp.srcport"], &shipped("icmp.pcap"));
    assert_eq!(tcp, "13\t40104\n");
    // An IPv6 datagram's fragments and its fragment header under tshark's keys.
    let frag = cols(
        &[
            "-Y",
            "ipv6.reassembled.length",
            "-e",
            "ipv6.fragment",
            "-e",
            "ipv6.fragment.count",
            "-e",
            "ipv6.fraghdr.offset",
            "-e",
            "ipv6.fraghdr.ident",
            "-e",
            "ip.fragment",
        ],
        &shipped("fragments.pcap"),
    );
    assert_eq!(frag, "7,8,9\t3\t362\t0x00002001\t\n");
}

#[test]
fn icmp_errors_say_what_happened_to_which_datagram() {
    let icmp = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/icmp.pcap");
    let frames = |filter: &str| {
        let o = bin().args(["-Y", filter, "-T", "fields", "-e", "frame.number"]).arg(&icmp).output().unwrap();
        stdout(&o).lines().collect::<Vec<_>>().join(" ")
    };
    assert_eq!(frames("icmp.port_unreachable"), "6 12 13 16");
    assert_eq!(frames("icmp.too_big"), "8 17");
    assert_eq!(frames("icmp.time_exceeded"), "10 20");
    assert_eq!(frames("icmp.unreachable"), "11");
    // The client closed its socket before the server's reply came back.
    let refused = r#"icmp.port_unreachable == "10.20.30.40 has no socket on UDP port 44127: it refused the SRUN datagram 172.16.202.201:3335 → 10.20.30.40:44127""#;
    assert_eq!(frames(refused), "6");
    assert_eq!(frames(r#"icmp.too_big contains "can forward at most 1400 bytes""#), "8");
    assert_eq!(frames(r#"icmp.too_big contains "at most 1280 bytes""#), "17");
    assert_eq!(frames(r#"icmp.time_exceeded contains "hop limit ran out""#), "20");
    assert_eq!(frames(r#"icmp.port_unreachable contains "TCP port 443""#), "13");
    let o = bin().args(["--strict=warn", "-q"]).arg(&icmp).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
}

/// A pcapng file (little-endian, Ethernet) of one Enhanced Packet Block per frame, each with
/// the given comments.
fn pcapng_with_comments(frames: &[(Vec<u8>, &[&str])]) -> Vec<u8> {
    fn block(out: &mut Vec<u8>, btype: u32, body: &[u8]) {
        let len = 12 + body.len().next_multiple_of(4) as u32;
        out.extend(btype.to_le_bytes());
        out.extend(len.to_le_bytes());
        out.extend(body);
        out.resize(out.len() + body.len().next_multiple_of(4) - body.len(), 0);
        out.extend(len.to_le_bytes());
    }
    let mut out = Vec::new();
    block(&mut out, 0x0a0d0d0a, &[0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    block(&mut out, 1, &[1, 0, 0, 0, 0, 0, 4, 0]);
    for (i, (data, comments)) in frames.iter().enumerate() {
        let ts = (T0 as u64 + i as u64) * 1_000_000;
        let mut body = Vec::new();
        for v in [0, (ts >> 32) as u32, ts as u32, data.len() as u32, data.len() as u32] {
            body.extend(v.to_le_bytes());
        }
        body.extend(data);
        body.resize(body.len().next_multiple_of(4), 0);
        for c in *comments {
            body.extend(1u16.to_le_bytes());
            body.extend((c.len() as u16).to_le_bytes());
            body.extend(c.as_bytes());
            body.resize(body.len().next_multiple_of(4), 0);
        }
        if !comments.is_empty() {
            body.extend([0; 4]);
        }
        block(&mut out, 6, &body);
    }
    out
}

#[test]
fn packet_comments_are_frame_comment_fields() {
    let frames: Vec<(Vec<u8>, &[&str])> = session()
        .into_iter()
        .map(|(_, f)| f)
        .zip([&["expected: first beat", "second note"][..], &[], &["réponse morte"], &[], &[]])
        .collect();
    let p = file("comments.pcapng", &pcapng_with_comments(&frames));
    let cols =
        stdout(&run(&["-T", "fields", "-e", "frame.number", "-e", "frame.comment", "-e", "frame.protocols"], &p));
    let lines: Vec<&str> = cols.lines().collect();
    assert_eq!(lines[0], "1\texpected: first beat,second note\teth:ethertype:ip:udp:heartbeat");
    assert_eq!(lines[1], "2\t\teth:ethertype:ip:udp:heartbeat");
    assert_eq!(lines[2], "3\tréponse morte\teth:ethertype:ip:udp:heartbeat");
    let kept = stdout(&run(&["-Y", r#"frame.comment contains "expected""#, "-T", "fields", "-e", "frame.number"], &p));
    assert_eq!(kept, "1\n");
    // The tree shows them first, as tshark does; the filter's delta still finds its field.
    let tree = stdout(&run(&["-V", "-c", "1"], &p));
    assert!(tree.starts_with("Packet comments"), "{tree}");
    assert!(tree.contains("    [Comment: expected: first beat]\n    [Comment: second note]\n"), "{tree}");
    let shown = stdout(&run(&["-Y", "frame.number >= 3", "-T", "fields", "-e", "frame.time_delta_displayed"], &p));
    assert_eq!(shown.lines().next(), Some("0.000000000"));
}

/// Findings as field columns: each finding's tag, severity or message, in the order found,
/// on one thread and two alike; tshark's `_ws.expert.message` names the message.
#[test]
fn expert_findings_are_field_columns() {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/overte-buggy-client.pcapng");
    let args =
        ["-Y", "frame.number <= 4", "-T", "fields", "-e", "frame.number", "-e", "expert.tag", "-e", "expert.severity"];
    let cols = stdout(&run(&args, &p));
    let lines: Vec<&str> = cols.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[1], "2\t\t", "a frame without findings has empty cells");
    assert_eq!(lines[2], "3\toverte.source_id_byte_swapped\terror");
    assert_eq!(
        lines[3],
        "4\toverte.duplicate,overte.source_id_byte_swapped,overte.payload.wrong_length,overte.payload.unknown_enum\t\
         warn,error,warn,note"
    );
    let one = bin().env("UDPDISSECT_THREADS", "1").args(args).arg(&p).output().unwrap();
    assert_eq!(stdout(&one), cols);
    let first = stdout(&run(&["-c", "3", "-T", "fields", "-E", "occurrence=f", "-e", "_ws.expert.message"], &p));
    assert!(first.lines().nth(2).unwrap().starts_with("source ID 0x5c9b is the byte-swapped Local ID"), "{first}");
    let list = bin().arg("--list-fields").output().unwrap();
    assert!(stdout(&list).contains("expert.tag\tstring\ttag of each finding"));
}

/// Each finding's Wireshark group as a column: its name (`expert.group`), or its number as tshark
/// prints `_ws.expert.group`; `-E occurrence` picks among them, and `-T ndjson -e` lists them.
#[test]
fn expert_groups_are_field_columns() {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/overte-buggy-client.pcapng");
    let keys = ["-e", "frame.number", "-e", "expert.tag", "-e", "expert.group", "-e", "_ws.expert.group"];
    let args = [&["-Y", "frame.number in {1 2 4 17}", "-T", "fields"][..], &keys].concat();
    let cols = stdout(&run(&args, &p));
    let lines: Vec<&str> = cols.lines().collect();
    assert_eq!(
        lines,
        [
            "1\toverte.addr.protocol_mismatch,overte.qstring.odd_length,overte.payload.truncated\t\
             Protocol,Malformed,Malformed\t150994944,117440512,117440512",
            "2\t\t\t",
            "4\toverte.duplicate,overte.source_id_byte_swapped,overte.payload.wrong_length,\
             overte.payload.unknown_enum\tSequence,Protocol,Malformed,Protocol\t33554432,150994944,117440512,150994944",
            "17\toverte.keepalive_late\tSequence\t33554432",
        ]
    );
    let one = bin().env("UDPDISSECT_THREADS", "1").args(&args).arg(&p).output().unwrap();
    assert_eq!(stdout(&one), cols);
    let last = ["-Y", "frame.number in {1 4 6}", "-T", "fields", "-E", "occurrence=l", "-e", "expert.group"];
    assert_eq!(stdout(&run(&last, &p)), "Malformed\nProtocol\nSequence\n");
    let first = ["-Y", "frame.number == 6", "-T", "fields", "-E", "occurrence=f", "-e", "_ws.expert.group"];
    assert_eq!(stdout(&run(&first, &p)), "150994944\n");
    let nd = stdout(&run(&["-c", "1", "-T", "ndjson", "-e", "expert.group", "-e", "_ws.expert.group"], &p));
    let record: serde_json::Value = serde_json::from_str(nd.lines().next().unwrap()).unwrap();
    let layers = &record["_source"]["layers"];
    assert_eq!(layers["expert.group"], serde_json::json!(["Protocol", "Malformed", "Malformed"]), "{nd}");
    assert_eq!(layers["_ws.expert.group"], serde_json::json!(["150994944", "117440512", "117440512"]), "{nd}");
    let o = run(&["-T", "fields", "-e", "expert.grop"], &p);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("-e expert.grop: no such field; closest: expert.group"), "{err}");
}

#[test]
fn details_of_some_protocols_only() {
    let p = file("details.pcap", &pcap(&session()));
    let o = run(&["-O", "heartbeat", "-c", "4"], &p);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    let frame4: Vec<&str> = text.split("\n\n").nth(3).unwrap().lines().collect();
    assert_eq!(frame4[0], "Frame 4: 58 bytes on wire (464 bits), 58 bytes captured (464 bits)  [0+58]");
    assert!(frame4[1].starts_with("Ethernet II, ") && frame4[2].starts_with("Internet Protocol Version 4, "));
    assert!(frame4[3].starts_with("User Datagram Protocol, Src Port: 3335, Dst Port: 40001"), "{}", frame4[3]);
    assert_eq!(frame4[4], "SRUN UID Heartbeat  [42+16]");
    assert_eq!(frame4[5], "    [Type: reply (1)]");
    assert_eq!(frame4[6], "    UID: -2  [42+8]");
    assert!(frame4.last().unwrap().starts_with("    [warn heartbeat.session_dead] "), "{frame4:?}");
    // Only the heartbeat's lines are indented (and the findings).
    assert!(frame4[..4].iter().all(|l| !l.starts_with(' ')));
    // Several, comma-separated; the same tree as -V for them.
    let both = stdout(&run(&["-O", "udp,heartbeat", "-c", "4"], &p));
    let full = stdout(&run(&["-V", "-c", "4"], &p));
    let udp = |t: &str| t.lines().filter(|l| l.starts_with("    Source Port:")).count();
    assert_eq!((udp(&text), udp(&both), udp(&full)), (0, 4, 4));
    assert_eq!(both.lines().filter(|l| l.contains("UID: ")).count(), 4);
    let o = run(&["-O", "heartbeats"], &p);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("-O heartbeats: no such protocol; there are: ") && err.contains(", heartbeat, "), "{err}");
    let o = run(&["-O", "Heartbeat"], &p);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("-O Heartbeat: no such protocol; protocol names are lower case: -O heartbeat"), "{err}");
}

#[test]
fn tshark_s_n_is_accepted_and_changes_nothing() {
    let p = file("n.pcap", &pcap(&session()));
    let (with, without) = (run(&["-n"], &p), run(&[], &p));
    assert!(with.status.success(), "{}", String::from_utf8_lossy(&with.stderr));
    assert_eq!(stdout(&with), stdout(&without));
    assert!(stdout(&with).contains("10.20.30.40 → 172.16.202.201"));
}

#[test]
fn glossary_in_tsharks_layout() {
    let fields = stdout(&bin().arg("-G").output().unwrap());
    assert_eq!(fields, stdout(&bin().args(["-G", "fields"]).output().unwrap()), "fields is -G's default");
    let listed = stdout(&bin().arg("--list-fields").output().unwrap());
    let listed: Vec<&str> = listed.lines().map(|l| l.split('\t').next().unwrap()).collect();
    let mut protocols = Vec::new();
    for line in fields.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        match cols[0] {
            "P" => {
                assert_eq!(cols.len(), 3, "{line}");
                protocols.push(cols[2]);
            }
            "F" => {
                assert_eq!(cols.len(), 8, "{line}");
                // Its protocol was listed before it, and the key is ours.
                assert_eq!(protocols.last(), Some(&cols[4]), "{line}");
                assert!(cols[2].starts_with(&format!("{}.", cols[4])), "{line}");
                assert!(cols[3].starts_with("FT_") && cols[6] == "0x0", "{line}");
                assert!(listed.contains(&cols[2]), "{line}");
            }
            _ => panic!("neither a protocol nor a field: {line}"),
        }
    }
    for line in [
        "P\tOverte\toverte",
        "F\tStream index\tudp.stream\tFT_UINT64\tudp\tBASE_DEC\t0x0\t",
        "F\tSource Address\tip.src\tFT_IPv4\tip\t\t0x0\t",
        "F\tSource Address\tipv6.src\tFT_IPv6\tipv6\t\t0x0\t",
    ] {
        assert!(fields.lines().any(|l| l.starts_with(line)), "{line}");
    }
    for key in ["overte.udt.seq", "eqstream.eq2.opcode", "heartbeat.uid", "overnet.opcode", "frame.time_relative"] {
        assert!(fields.lines().any(|l| l.split('\t').nth(2) == Some(key)), "{key}");
    }
    let protocols = stdout(&bin().args(["-G", "protocols"]).output().unwrap());
    for line in ["Overte\tOverte\toverte", "User Datagram Protocol\tUDP\tudp", "SRUN UID Heartbeat\tSRUN\theartbeat"] {
        assert!(protocols.lines().any(|l| l == line), "{line}\n{protocols}");
    }
    // Ports and heuristics as tshark's decodes reports list them, from the registrations.
    let decodes = stdout(&bin().args(["-G", "decodes"]).output().unwrap());
    for line in ["udp.port\t40102\toverte", "udp.port\t9000\teqstream", "udp.port\t4672\tovernet"] {
        assert!(decodes.lines().any(|l| l == line), "{line}\n{decodes}");
    }
    assert!(decodes.lines().all(|l| l.starts_with("udp.port\t")), "{decodes}");
    let heuristics = stdout(&bin().args(["-G", "heuristic-decodes"]).output().unwrap());
    assert!(heuristics.lines().any(|l| l == "udp\tovernet\tT"), "{heuristics}");
    assert!(!heuristics.contains("heartbeat"), "{heuristics}");
    let other = bin().args(["-G", "values"]).output().unwrap();
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains("fields, protocols, decodes, heuristic-decodes"));
}

#[test]
fn many_columns_and_long_output_keep_every_cell() {
    // 3 000 frames: more output than is gathered before a write. 70 columns, each of which
    // must repeat its model's cells.
    let frames: Vec<_> = (0..600u64)
        .flat_map(|round| {
            session().into_iter().map(move |(ts, f)| (Ts::new(ts.secs + 120 * round as i64, ts.nanos), f))
        })
        .collect();
    let p = file("many-columns.pcap", &pcap(&frames));
    let models = ["frame.number", "udp.srcport", "ip.addr", "heartbeat.uid", "_ws.col.protocol"];
    let fields = |keys: &[&str]| {
        let mut c = bin();
        c.args(["-T", "fields", "-E", "quote=d", "-E", "separator=;"]);
        keys.iter().for_each(|k| _ = c.args(["-e", k]));
        stdout(&c.arg(&p).output().unwrap())
    };
    let alone = fields(&models);
    let lines: Vec<_> = alone.lines().collect();
    assert_eq!(lines.len(), 3000);
    assert_eq!(lines[0], format!(r#""1";"40000";"10.20.30.40,172.16.202.201";"{UID}";"SRUN""#));
    // The ICMP error's cells: the quoted datagram's port, every address, no UID (not quoted).
    assert_eq!(lines[2999], r#""3000";"3335";"10.20.30.40,172.16.202.201,172.16.202.201,10.20.30.40";;"ICMP""#);
    let keys: Vec<&str> = (0..70).map(|i| models[i % models.len()]).collect();
    let many = fields(&keys);
    for (n, (line, model)) in many.lines().zip(&lines).enumerate() {
        let cells: Vec<_> = line.split(';').collect();
        let want: Vec<_> = model.split(';').collect();
        assert_eq!(cells.len(), 70, "frame {}", n + 1);
        for (i, cell) in cells.iter().enumerate() {
            assert_eq!(*cell, want[i % want.len()], "frame {}, column {i}", n + 1);
        }
    }
    assert_eq!(many.lines().count(), 3000);
}

#[test]
fn the_hash_is_checked_for_every_output_that_reads_its_verdict() {
    // Frame 10 of the sample session, a verified Ping, with its last byte changed: its HMAC no
    // longer matches. The field columns skip the hash unless they or the filter read it.
    let ping = "0100000003123a8dd75f2c6b199a6cf175b207d553c4f6ac0216eb39f9054c06000000000000000000";
    let ping: Vec<u8> = (0..ping.len()).step_by(2).map(|i| u8::from_str_radix(&ping[i..i + 2], 16).unwrap()).collect();
    let good = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures/overte-session.pcapng");
    let mut bytes = std::fs::read(&good).unwrap();
    let at = bytes.windows(ping.len()).position(|w| w == ping).expect("frame 10's datagram") + ping.len() - 1;
    bytes[at] = 1;
    let bad = file("overte-bad-hash.pcapng", &bytes);
    for threads in ["1", "2"] {
        let out = |args: &[&str], p: &PathBuf| {
            let o = bin().env("UDPDISSECT_THREADS", threads).args(args).arg(p).output().unwrap();
            assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
            stdout(&o)
        };
        let found = out(&["-T", "fields", "-e", "frame.number", "-e", "expert.tag"], &bad);
        assert!(found.lines().any(|l| l == "10\toverte.hmac_mismatch"), "{found}");
        assert_eq!(out(&["-T", "fields", "-e", "frame.number", "-Y", "overte.hmac_mismatch"], &bad), "10\n");
        let status = out(&["-T", "fields", "-e", "frame.number", "-e", "overte.hmac.status"], &bad);
        assert!(status.lines().any(|l| l == "10\t1"), "{status}");
        assert!(out(&[], &bad).lines().nth(9).unwrap().ends_with("[Agent → AudioMixer] [overte.hmac_mismatch]"));
        let nodes = out(&["stats", "-z", "overte.nodes", "-T", "json"], &bad);
        assert!(nodes
            .contains(r#""192.168.1.20:53412","Agent","0x8d3a",9,"203.0.113.10:40102",93,"1.000000000",32,0,28,1,0]"#));
        let expert = out(&["-q", "-z", "expert,warn", "-z", "conv,udp"], &bad);
        assert!(expert.contains("overte.hmac_mismatch"), "{expert}");
        assert!(out(&["stats", "-z", "expert"], &bad).contains("overte.hmac_mismatch"));
        // Columns that do not read it are the same for both captures.
        let types =
            ["-T", "fields", "-e", "frame.number", "-e", "overte.type", "-e", "overte.connect.system_info.size"];
        assert_eq!(out(&types, &bad), out(&types, &good));
    }
}

#[test]
fn skipped_checks_change_no_column_they_do_not_feed() {
    // A column of findings turns every check on; each other column must be the same with or
    // without it. The columns: every protocol field but those only the skipped work gives
    // (hashes, system info, the heartbeat's sessions, Overnet's pairing and following).
    let skipped: Vec<String> = [
        ("overte", &["hmac.status", "hmac.secret_frame", "connect.system_info.json"][..]),
        ("heartbeat", &["session", "beat", "interval", "status", "response_to", "time", "request_uid"]),
        (
            "overnet",
            &["response_to", "response_time", "search.id", "search.hop", "search.via", "search.result_no", "peers_new"],
        ),
    ]
    .iter()
    .flat_map(|(protocol, keys)| keys.iter().map(move |k| format!("{protocol}.{k}")))
    .collect();
    let listed = stdout(&bin().args(["-G", "fields"]).output().unwrap());
    let keys: Vec<String> = listed
        .lines()
        .filter_map(|l| l.split('\t').nth(2).filter(|_| l.starts_with("F\t")))
        .filter(|k| ["overte.", "eqstream.", "heartbeat.", "overnet."].iter().any(|p| k.starts_with(p)))
        .filter(|k| !skipped.iter().any(|s| s == k))
        .map(str::to_string)
        .collect();
    assert!(keys.len() > 300, "{}", keys.len());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut captures: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "expected" && x != "md"))
        .collect();
    captures.sort();
    // Without an Overte payload field (nor the undecoded payload's bytes) the payloads that
    // teach nothing are not decoded either.
    let mut payload: Vec<&str> = udpdissect_overte::payload::FIELDS.iter().map(|f| f.key).collect();
    payload.push("overte.payload");
    let unread: Vec<String> = keys.iter().filter(|k| !payload.contains(&k.as_str())).cloned().collect();
    assert!(unread.len() + 100 < keys.len() && unread.iter().any(|k| k == "overte.type"), "{}", unread.len());
    // Without one of the fields made from an Overte datagram's ends' nodes, nor the info
    // column, the ends of a datagram not to a domain server are not looked up; each of those
    // fields alone still has them looked up.
    let ends =
        ["overte.sender", "overte.receiver", "overte.assigned_frame", "overte.hmac.status", "overte.hmac.secret_frame"];
    let endless: Vec<String> = unread.iter().filter(|k| !ends.contains(&k.as_str())).cloned().collect();
    assert!(endless.len() + 3 == unread.len(), "{} {}", endless.len(), unread.len());
    let singles: Vec<Vec<String>> = ends.iter().map(|k| vec![k.to_string()]).collect();
    let mut checked = 0;
    for path in &captures {
        for threads in ["1", "2"] {
            for keys in [&keys, &unread, &endless].into_iter().chain(&singles) {
                let columns = |findings: bool| {
                    let mut c = bin();
                    c.env("UDPDISSECT_THREADS", threads).args(["-T", "fields", "-e", "frame.number"]);
                    keys.iter().for_each(|k| _ = c.args(["-e", k]));
                    if findings {
                        c.args(["-e", "expert.tag"]);
                    }
                    stdout(&c.arg(path).output().unwrap())
                };
                let (without, with) = (columns(false), columns(true));
                let trimmed: Vec<&str> = with.lines().map(|l| l.rsplit_once('\t').unwrap().0).collect();
                let label = format!("{} on {threads} threads, {} columns", path.display(), keys.len());
                assert_eq!(without.lines().collect::<Vec<_>>(), trimmed, "{label}");
                checked += without.lines().count();
            }
        }
    }
    assert!(captures.len() >= 20 && checked > 7000, "{} captures, {checked} lines", captures.len());
}

/// `-J` keeps in each JSON record's fields the named protocols' subtrees, whole, and nothing
/// else; the record's other members stay. Wrong uses say what to do.
#[test]
fn json_records_keep_the_protocols_j_names() {
    let records = |args: &[&str]| -> Vec<serde_json::Value> {
        let out = bin().args(["-T", "ndjson"]).args(args).arg("captures/overte-session.pcapng").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let (whole, only) = (records(&[]), records(&["-J", "overte"]));
    let (mut overte, mut both) = (0, 0);
    for (w, o) in whole.iter().zip(&only) {
        let subtrees = |r: &serde_json::Value, keys: &[&str]| -> Vec<serde_json::Value> {
            r["fields"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| keys.contains(&f["key"].as_str().unwrap()))
                .cloned()
                .collect()
        };
        assert_eq!(o["fields"].as_array().unwrap(), &subtrees(w, &["overte"]), "frame {}", w["frame"]);
        overte += usize::from(!subtrees(w, &["overte"]).is_empty());
        for m in ["frame", "info", "protocol", "expert", "sources"] {
            assert_eq!(o[m], w[m]);
        }
        // Two protocols, space-separated as tshark takes them (the first frames).
        if both < 4 {
            let two = &records(&["-J", "ip udp", "-c", &w["frame"].to_string()]).pop().unwrap();
            assert_eq!(two["fields"].as_array().unwrap(), &subtrees(w, &["ip", "udp"]));
            both += 1;
        }
    }
    assert_eq!(only.len(), whole.len());
    assert_eq!(overte, 92, "every Overte datagram keeps its tree");
    // -j: the nodes named whose parents are kept, each without the children not named.
    let named = records(&["-j", "udp udp.srcport overte overte.udt overte.identity", "-c", "40"]);
    for (w, n) in whole.iter().zip(&named) {
        let kept: Vec<serde_json::Value> = w["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| ["udp", "overte"].contains(&f["key"].as_str().unwrap()))
            .map(|f| {
                let mut f = f.clone();
                let children: Vec<serde_json::Value> = f["children"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| ["udp.srcport", "overte.udt", "overte.identity"].contains(&c["key"].as_str().unwrap()))
                    .map(|c| {
                        let mut c = c.clone();
                        c.as_object_mut().unwrap().remove("children");
                        c
                    })
                    .collect();
                match children.is_empty() {
                    true => f.as_object_mut().unwrap().remove("children"),
                    false => f.as_object_mut().unwrap().insert("children".into(), children.into()),
                };
                f
            })
            .collect();
        assert_eq!(n["fields"].as_array().unwrap(), &kept, "frame {}", w["frame"]);
    }
    assert_eq!(named.len(), 40);
    for (args, says) in [
        (&["-J", "overte"][..], "-J applies to -T json, ndjson, ek and pdml"),
        (&["-T", "json", "-J", "Overte"], "protocol names are lower case: -J overte"),
        (&["-T", "json", "-J", "overte", "-e", "frame.number"], "-J picks the protocols of the frame records"),
    ] {
        let out = bin().args(args).arg("captures/overte-session.pcapng").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{args:?}");
    }
}

/// tshark's switches for protocols and heuristics: a protocol turned off shows as UDP data, as
/// tshark shows it (the same columns and bytes on the eDonkey family's capture), whatever the
/// order of the switches; a heuristic turned off leaves the registered ports.
#[test]
fn protocols_and_heuristics_turned_off_and_on() {
    let capture = "captures/overnet-family.pcap";
    let keys =
        ["-T", "fields", "-e", "frame.number", "-e", "_ws.col.Protocol", "-e", "_ws.col.Info", "-e", "data.data"];
    let columns = |cmd: &mut Command| {
        let o = cmd.args(keys).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let ours = |extra: &[&str]| columns(bin().args(extra).arg(capture));
    let off = ours(&["--disable-protocol", "edonkey"]);
    assert!(off.starts_with("1\tUDP\t4671 → 4665 Len=6\te3963412aa55\n"), "{off}");
    assert!(off.lines().all(|l| l.split('\t').nth(1) == Some("UDP")), "{off}");
    // Enabling wins over disabling in either order; a list names several.
    let on = ours(&[]);
    assert!(on.starts_with("1\teDonkey\tServer Status Request challenge=0x55aa1234\t\n"), "{on}");
    assert_eq!(ours(&["--enable-protocol", "overnet", "--disable-protocol", "overnet"]), on);
    assert_eq!(ours(&["--disable-protocol", "heartbeat,overnet"]), off);
    // `-d ... ,data`: only those ports.
    let data = ours(&["-d", "udp.port==4665,data"]);
    assert_eq!(data.lines().take(3).collect::<Vec<_>>(), off.lines().take(3).collect::<Vec<_>>());
    assert_eq!(data.lines().skip(3).collect::<Vec<_>>(), on.lines().skip(3).collect::<Vec<_>>());
    // tshark's FIRST:COUNT: 4664 and 4665.
    assert_eq!(ours(&["-d", "udp.port==4664:2,data"]), data);
    if udpdissect_pcapgen::tshark_available() {
        let theirs = |extra: &[&str]| columns(Command::new("tshark").args(["-n", "-r", capture]).args(extra));
        assert_eq!(theirs(&["--disable-protocol", "edonkey"]), off);
        let port = ["-Y", "udp.port == 4665"];
        assert_eq!(
            theirs(&[&port[..], &["-d", "udp.port==4665,data"]].concat()),
            ours(&[&port[..], &["-d", "udp.port==4665,data"]].concat())
        );
    }
    // A heuristic turned off: the registered ports still decode, and tshark's glossary says F.
    // A swarm on ports of its own is then UDP data, as tshark (which has no such heuristic)
    // shows it.
    assert_eq!(ours(&["--disable-heuristic", "edonkey_udp"]), on);
    let swarm = "captures/overnet-swarm.pcap";
    let unclaimed = columns(bin().args(["--disable-heuristic", "overnet", swarm]));
    assert_eq!(unclaimed.lines().filter(|l| l.split('\t').nth(1) == Some("UDP")).count(), 33, "{unclaimed}");
    assert_ne!(columns(bin().arg(swarm)), unclaimed);
    if udpdissect_pcapgen::tshark_available() {
        assert_eq!(columns(Command::new("tshark").args(["-n", "-r", swarm])), unclaimed);
    }
    let glossary = bin().args(["-G", "heuristic-decodes", "--disable-heuristic", "overte"]).output().unwrap();
    assert_eq!(String::from_utf8(glossary.stdout).unwrap(), "udp\toverte\tF\nudp\teqstream\tT\nudp\tovernet\tT\n");
    for (args, message) in [
        (
            &["--disable-protocol", "overt"][..],
            "--disable-protocol: unknown protocol 'overt'; known: heartbeat, overte, eqstream, overnet",
        ),
        (
            &["--enable-heuristic", "srun"],
            "--enable-heuristic: no heuristic named 'srun'; heuristics: overte, eqstream, overnet",
        ),
    ] {
        let o = bin().args(args).arg(capture).output().unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&o.stderr), format!("udpdissect: {message}\n"));
    }
}

/// The interface's statistics block counts the findings its loss may explain at the end of
/// the capture too, when the capture has that one interface; its line comes first all the same.
#[test]
fn an_interfaces_loss_counts_the_findings_at_the_end_of_the_capture() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures/heartbeat-capture-loss.pcapng");
    for threads in ["1", "split"] {
        let o = bin().env("UDPDISSECT_THREADS", threads).arg(&path).output().unwrap();
        assert!(o.status.success());
        let out = String::from_utf8(o.stdout).unwrap();
        let end: Vec<&str> = out.lines().skip_while(|l| *l != "End of capture:").skip(1).collect();
        assert_eq!(end.len(), 2, "UDPDISSECT_THREADS={threads}: {out}");
        assert!(
            end[0].ends_with(
                "(the findings on it that lost packets would also raise: heartbeat.no_reply ×2, \
                 heartbeat.reply_without_request ×1, heartbeat.interval_unusual ×1)"
            ),
            "UDPDISSECT_THREADS={threads}: {}",
            end[0]
        );
        assert!(
            end[1].starts_with("    [warn heartbeat.no_reply] the beat in frame 13 ")
                && end[1].ends_with("got no reply before the capture ended; but the capture itself lost 1 packet since frame 13 (pcapng drop counts): it may be the missing one"),
            "{}",
            end[1]
        );
    }
}

/// `eqstream-capture-loss.pcapng` captured on two interfaces: its frames on `eth0` without
/// their drop counts, and just before its gap a DNS query on `lossy` (interface 1 when
/// `elsewhere`, else `eth0`) that counts the packet lost.
fn loss_on(elsewhere: bool) -> PathBuf {
    use udpdissect_pcapgen::pcapng::{IfOpts, PcapNgWriter};
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures/eqstream-capture-loss.pcapng");
    let mut r = udpdissect_capture::Reader::new(Box::new(std::fs::File::open(input).unwrap())).unwrap();
    let mut w = PcapNgWriter::new(Vec::new(), false).unwrap();
    let iface = |name: &str| IfOpts { name: Some(name.into()), tsresol: Some(9), ..IfOpts::default() };
    let eth0 = w.interface(linktype::ETHERNET, 262_144, iface("eth0")).unwrap();
    let other = w.interface(linktype::ETHERNET, 262_144, iface("eth1")).unwrap();
    let lossy = if elsewhere { other } else { eth0 };
    let query = packet::udp4(
        SocketAddrV4::new(Ipv4Addr::new(10, 9, 9, 9), 40000),
        SocketAddrV4::new(Ipv4Addr::new(10, 9, 9, 1), 53),
        &[0; 12],
    );
    let query = link::ethernet_ip(&packet::ipv4(Ipv4Addr::new(10, 9, 9, 9), Ipv4Addr::new(10, 9, 9, 1), 17, &query));
    while let Some(f) = r.next_frame().unwrap() {
        let ts = Ts { secs: f.ts.secs, nanos: f.ts.nanos };
        if f.options.drop_count().is_some_and(|n| n > 0) {
            let drops = [w.u64_option(4, 1)];
            w.epb_with(lossy, ts, query.len() as u32, &query, &drops).unwrap();
        }
        w.epb(eth0, ts, f.orig_len, f.data).unwrap();
    }
    let path = std::env::temp_dir().join(format!("udpdissect-loss-on-{elsewhere}-{}.pcapng", std::process::id()));
    std::fs::write(&path, w.into_inner()).unwrap();
    path
}

/// Packets one interface lost are not missing from another's capture: the gap on `eth0` is
/// said to be perhaps the capture's only when `eth0` lost a packet.
#[test]
fn a_gap_counts_only_what_its_own_interface_lost() {
    for elsewhere in [false, true] {
        let path = loss_on(elsewhere);
        for threads in ["1", "split"] {
            let mut cmd = bin();
            cmd.env("UDPDISSECT_THREADS", threads).args([
                "-Y",
                "eqstream.seq_gap",
                "-T",
                "fields",
                "-e",
                "frame.number",
            ]);
            let o = cmd.args(["-e", "expert.message", "-E", "occurrence=l"]).arg(&path).output().unwrap();
            let gap = stdout(&o);
            let qualified = "; but the capture itself lost 1 packet since the sender last sent in this conversation \
                             (pcapng drop counts): it may be the missing one\n";
            assert!(gap.starts_with("7\tseq 2 while 1 is expected: 1 packet(s) missing or late;"), "{gap}");
            assert_eq!(gap.ends_with(qualified), !elsewhere, "lost on interface 1: {elsewhere}, {threads}: {gap}");
        }
        std::fs::remove_file(path).unwrap();
    }
}

/// A capture that lost a packet says so where it happened and at the end; the direction
/// flags pick one side of the conversation.
#[test]
fn what_the_capture_lost_is_a_finding_and_the_direction_a_field() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures/eqstream-capture-loss.pcapng");
    let o = run(&[], &path);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let line6 = out.lines().nth(5).unwrap();
    assert!(line6.ends_with("Fragment seq=2 (ahead of 1: held) [frame.capture_loss] [eqstream.seq_gap]"), "{line6}");
    let end = out.lines().last().unwrap();
    assert!(
        end.contains("[warn frame.capture_loss] interface eth0 (section 1, id 0): the capture lost 1 packet (0 by the interface, 1 by the OS) of 14 received"),
        "{end}"
    );
    // It names the findings on the interface that the lost packet may explain, on one thread
    // and with eqstream dissected on a second.
    for threads in ["1", "split"] {
        let o = bin().env("UDPDISSECT_THREADS", threads).arg(&path).output().unwrap();
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(
            out.lines().last().unwrap().ends_with(
                "not the peers' (the findings on it that lost packets would also raise: eqstream.seq_gap ×1)"
            ),
            "UDPDISSECT_THREADS={threads}: {out}"
        );
    }
    // The finding's message on frame 6, as JSON has it.
    let o = run(&["-c", "6", "-T", "ndjson", "-Y", "frame.drop_count > 0"], &path);
    let doc: serde_json::Value = serde_json::from_str(String::from_utf8(o.stdout).unwrap().trim()).unwrap();
    assert_eq!(doc["frame"], 6);
    assert_eq!(doc["expert"][0]["tag"], "frame.capture_loss");
    assert!(doc["expert"][0]["message"].as_str().unwrap().starts_with("the capture lost 1 packet on this interface"));
    // The gap the eqstream session finds there says the capture may have lost the packet, on
    // one thread and with eqstream dissected on a second.
    for threads in ["1", "split"] {
        let mut cmd = bin();
        cmd.env("UDPDISSECT_THREADS", threads).args(["-Y", "eqstream.seq_gap", "-T", "fields", "-e", "frame.number"]);
        let o = cmd.args(["-e", "expert.message", "-E", "occurrence=l"]).arg(&path).output().unwrap();
        assert_eq!(
            String::from_utf8(o.stdout).unwrap(),
            "6\tseq 2 while 1 is expected: 1 packet(s) missing or late; the receiver holds this one and sends an \
             out-of-order ack; but the capture itself lost 1 packet since the sender last sent in this conversation \
             (pcapng drop counts): it may be the missing one\n",
            "UDPDISSECT_THREADS={threads}"
        );
    }
    // What the capturing host sent: the client's seven datagrams.
    let o = run(&["-Y", "frame.p2p_dir == 0", "-T", "fields", "-e", "frame.number", "-e", "ip.src"], &path);
    let sent = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        sent.lines().map(|l| l.split('\t').next().unwrap()).collect::<Vec<_>>(),
        ["1", "3", "8", "9", "11", "12", "13"]
    );
    assert!(sent.lines().all(|l| l.ends_with("\t10.20.30.40")), "{sent}");
    // The tree shows the flags word with its parts under it, as tshark does.
    let o = run(&["-V", "-c", "1"], &path);
    let tree = String::from_utf8(o.stdout).unwrap();
    assert!(tree.contains("    [Packet flags: 0x00000002]\n        [Direction: Outbound (0x00000002)]\n"), "{tree}");
    assert!(tree.contains("    [Point-to-Point Direction: Sent (0)]\n"), "{tree}");
}
