//! `udpdissect stats` tables over the sample captures and a large generated capture.

use serde_json::Value;
use std::collections::HashSet;
use std::net::SocketAddr;
use udpdissect::pipeline::{self, Options};
use udpdissect::stats::{Selection, StatsFormat, StatsSink};
use udpdissect_capture::{decode, DefragLimits, Defragmenter, Reader, Transport};
use udpdissect_core::Engine;

fn capture(name: &str) -> Reader {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(name);
    Reader::new(Box::new(std::fs::File::open(path).unwrap())).unwrap()
}

/// Runs the pipeline over `reader` and renders the selected tables.
fn stats(reader: Reader, sel: Selection, format: StatsFormat) -> String {
    stats_first(reader, None, sel, format)
}

/// Like [`stats`], over the first `count` frames only.
fn stats_first(mut reader: Reader, count: Option<u64>, sel: Selection, format: StatsFormat) -> String {
    let mut engine = Engine::new(udpdissect::dissectors());
    let mut sink = StatsSink::new(sel, &udpdissect_filter::Catalog::default()).unwrap();
    let opts = Options { info: false, count, ..Options::full(false) };
    let frames = pipeline::run(&mut reader, &mut engine, &mut sink, &opts).unwrap_or_else(|_| panic!("capture reads"));
    assert_eq!(frames, sink.frames());
    let mut out = Vec::new();
    sink.report(reader.info(), || engine.tables(), format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn json(reader: Reader, sel: Selection) -> Value {
    json_first(reader, None, sel)
}

fn json_first(reader: Reader, count: Option<u64>, sel: Selection) -> Value {
    let s = stats_first(reader, count, sel, StatsFormat::Json);
    let doc: Value = serde_json::from_str(&s).unwrap();
    assert_eq!(doc["schema"], 1);
    doc
}

fn table<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["tables"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("no table {name}"))
}

fn rows(t: &Value) -> &Vec<Value> {
    t["rows"].as_array().unwrap()
}

/// The row whose first cell is `key`.
fn row<'a>(t: &'a Value, key: &str) -> &'a Vec<Value> {
    rows(t).iter().find(|r| r[0] == key).unwrap_or_else(|| panic!("no row {key} in {}", t["name"])).as_array().unwrap()
}

fn col(t: &Value, name: &str) -> usize {
    t["columns"].as_array().unwrap().iter().position(|c| c == name).unwrap_or_else(|| panic!("no column {name}"))
}

fn select(names: &[&str]) -> Selection {
    let mut s = Selection::none();
    for n in names {
        s.add(n).unwrap();
    }
    s
}

#[test]
fn heartbeat_text() {
    let s = stats(capture("heartbeat.pcap"), Selection::all(), StatsFormat::Text);
    println!("{s}");
    for title in [
        "== Capture file summary ==",
        "== UDP conversations ==",
        "== UDP endpoints ==",
        "== Protocol hierarchy ==",
        "== Message types per protocol ==",
        "== I/O statistics, 20 s intervals (chosen automatically) ==",
        "== Expert findings ==",
        "== SRUN heartbeat sessions ==",
    ] {
        assert!(s.contains(title), "{title}");
    }
    assert!(s.contains("| first packet time "), "{s}");
    assert!(s.contains("2026-03-02 08:00:00.000000000 UTC"), "{s}");
    assert!(s.contains("2026-03-02 08:09:45.003640000 UTC"), "{s}");
    // Indented hierarchy.
    assert!(s.contains("| frame "), "{s}");
    assert!(s.contains("|   eth "), "{s}");
    assert!(s.contains("|       udp "), "{s}");
    assert!(s.contains("|         heartbeat "), "{s}");
    assert!(!s.contains('\x1b'), "no colors");
    // The same input gives the same bytes.
    assert_eq!(s, stats(capture("heartbeat.pcap"), Selection::all(), StatsFormat::Text));
}

/// capinfos's lines from the section header: the application that wrote the sample captures.
#[test]
fn a_pcapng_summary_names_its_section_headers_texts() {
    let doc = json(capture("overte-session.pcapng"), select(&["summary"]));
    let t = table(&doc, "summary");
    assert_eq!(row(t, "capture application")[1], "udpdissect-pcapgen");
    let rows = t["rows"].as_array().unwrap();
    assert!(!rows.iter().any(|r| r[0] == "capture comment" || r[0] == "capture hardware"), "{rows:?}");
}

#[test]
fn heartbeat_summary() {
    let doc = json(capture("heartbeat.pcap"), select(&["summary"]));
    assert_eq!(doc["tables"].as_array().unwrap().len(), 1);
    let t = table(&doc, "summary");
    assert_eq!(row(t, "file format")[1], "pcap 2.4");
    assert_eq!(row(t, "timestamp resolution")[1], "microseconds");
    assert_eq!(row(t, "byte order")[1], "little-endian");
    assert_eq!(row(t, "snapshot length")[1], 262_144);
    assert_eq!(row(t, "compression")[1], "none");
    assert_eq!(row(t, "link types")[1], "Ethernet (1)");
    assert_eq!(row(t, "packets")[1], 31);
    assert_eq!(row(t, "first packet time")[1], "1772438400.000000000");
    assert_eq!(row(t, "last packet time")[1], "1772438985.003640000");
    assert_eq!(row(t, "duration")[1], "585.003640000");
    let bytes = row(t, "bytes")[1].as_u64().unwrap();
    assert_eq!(row(t, "captured bytes")[1], bytes, "nothing cut");
    let avg = row(t, "average packet size (bytes)")[1].as_f64().unwrap();
    assert!((avg - bytes as f64 / 31.0).abs() < 0.01);
    let rate = row(t, "data rate (bits/s)")[1].as_f64().unwrap();
    assert!((rate - bytes as f64 * 8.0 / 585.00364).abs() < 0.01);

    let gz = json(capture("heartbeat.pcap.gz"), select(&["summary"]));
    let t = table(&gz, "summary");
    assert_eq!(row(t, "compression")[1], "gzip");
    assert_eq!(row(t, "bytes")[1], bytes);
}

#[test]
fn heartbeat_conversations_and_endpoints() {
    let doc = json(capture("heartbeat.pcap"), select(&["conv,udp", "endpoints,udp"]));
    assert_eq!(doc["tables"].as_array().unwrap().len(), 2);
    let conv = table(&doc, "conv,udp");
    // The DNS query and its answer (frames 3-4).
    let dns = row(conv, "10.20.30.40:45678");
    assert_eq!(dns[col(conv, "address B")], "10.20.30.1:53");
    assert_eq!(dns[col(conv, "frames A->B")], 1);
    assert_eq!(dns[col(conv, "bytes A->B")], 79);
    assert_eq!(dns[col(conv, "frames B->A")], 1);
    assert_eq!(dns[col(conv, "bytes B->A")], 95);
    assert_eq!(dns[col(conv, "frames")], 2);
    assert_eq!(dns[col(conv, "bytes")], 174);
    assert_eq!(dns[col(conv, "rel start")], "5.000000000");
    assert_eq!(dns[col(conv, "duration")], "0.001204000");
    assert_eq!(dns[col(conv, "protocol")], "UDP");
    // Two-frame conversations first, by start; the DNS one starts first.
    assert_eq!(rows(conv)[0][0], "10.20.30.40:45678");
    // Frame 2: a reply whose beat came before the capture, so the server is A.
    let orphan = row(conv, "172.16.202.201:3335");
    assert_eq!(orphan[col(conv, "address B")], "10.20.30.42:37415");
    assert_eq!(orphan[col(conv, "frames")], 1);
    assert_eq!(orphan[col(conv, "protocol")], "SRUN");
    // The unanswered beat of frame 11.
    assert_eq!(row(conv, "10.20.30.40:35102")[col(conv, "frames B->A")], 0);
    // A new port per beat: 13 beat conversations, the orphan reply and DNS.
    assert_eq!(rows(conv).len(), 15);
    let udp_frames: u64 = rows(conv).iter().map(|r| r[col(conv, "frames")].as_u64().unwrap()).sum();
    assert_eq!(udp_frames, 31 - 3, "all but ARP, ICMP and TCP");
    assert_eq!(conv["omitted"], 0);

    let eps = table(&doc, "endpoints,udp");
    assert_eq!(rows(eps)[0][0], "172.16.202.201:3335", "the busiest endpoint first");
    let server = row(eps, "172.16.202.201:3335");
    assert_eq!(server[col(eps, "frames")], 26);
    assert_eq!(server[col(eps, "tx frames")], 13);
    assert_eq!(server[col(eps, "rx frames")], 13);
    let resolver = row(eps, "10.20.30.1:53");
    assert_eq!(resolver[col(eps, "tx bytes")], 95);
    assert_eq!(resolver[col(eps, "rx bytes")], 79);
    assert_eq!(rows(eps).len(), 17);
}

#[test]
fn heartbeat_hierarchy_and_message_types() {
    let doc = json(capture("heartbeat.pcap"), select(&["io,phs", "proto"]));
    let phs = table(&doc, "phs");
    let frames = |path: &str| row(phs, path)[col(phs, "frames")].as_u64().unwrap();
    assert_eq!(frames("frame"), 31);
    assert_eq!(frames("frame:eth"), 31);
    assert_eq!(frames("frame:eth:arp"), 1);
    assert_eq!(frames("frame:eth:ip"), 30);
    assert_eq!(frames("frame:eth:ip:udp"), 28);
    assert_eq!(frames("frame:eth:ip:udp:heartbeat"), 26);
    assert_eq!(frames("frame:eth:ip:udp:data"), 2);
    assert_eq!(frames("frame:eth:ip:icmp"), 1);
    assert_eq!(frames("frame:eth:ip:tcp"), 1);
    assert_eq!(row(phs, "frame")[col(phs, "% frames")], 100.0);
    assert_eq!(row(phs, "frame:eth:arp")[col(phs, "% frames")], 3.23);
    assert_eq!(row(phs, "frame:eth:ip:udp:data")[col(phs, "bytes")], 174);

    let proto = table(&doc, "proto");
    let by = |p: &str, m: &str| {
        let r = rows(proto).iter().find(|r| r[0] == p && r[1] == m).unwrap_or_else(|| panic!("{p} {m}"));
        (r[2].as_u64().unwrap(), r[3].as_u64().unwrap())
    };
    // 13 beats (frames 5, 7, 9, 11, 12, 14, 16, 18, 20, 22, 26, 28, 30) and 13 replies.
    assert_eq!(by("SRUN", "request"), (13, 13 * 50));
    assert_eq!(by("SRUN", "reply"), (13, 13 * 58));
    assert_eq!(by("UDP", "-"), (2, 174));
    assert_eq!(by("ARP", "-").0, 1);
    assert_eq!(by("ICMP", "-").0, 1);
    assert_eq!(by("TCP", "-").0, 1);
    let sorted: Vec<(String, String)> =
        rows(proto).iter().map(|r| (r[0].as_str().unwrap().into(), r[1].as_str().unwrap().into())).collect();
    let mut expect = sorted.clone();
    expect.sort();
    assert_eq!(sorted, expect);
}

#[test]
fn heartbeat_expert_and_io() {
    let doc = json(capture("heartbeat.pcap"), select(&["expert", "io,stat,60", "io,0.5"]));
    let names: Vec<&str> = doc["tables"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["expert", "io,60", "io,0.5"], "in the order asked");

    let ex = table(&doc, "expert");
    let dead = row(ex, "heartbeat.session_dead");
    assert_eq!(dead[col(ex, "severity")], "warn");
    assert_eq!(dead[col(ex, "count")], 2);
    assert_eq!(dead[col(ex, "first frame")], 19);
    assert_eq!(row(ex, "heartbeat.reply_without_request")[col(ex, "first frame")], 2);
    assert_eq!(row(ex, "heartbeat.no_reply")[col(ex, "first frame")], 14);
    assert_eq!(row(ex, "heartbeat.late_reply")[col(ex, "severity")], "note");
    assert_eq!(row(ex, "heartbeat.new_uid")[col(ex, "first frame")], 26);
    // The server's reply reached a closed socket: the ICMP error says so.
    assert_eq!(row(ex, "icmp.port_unreachable")[col(ex, "first frame")], 24);
    assert_eq!(rows(ex).len(), 7);
    // Severity, then count, then tag.
    assert_eq!(rows(ex)[0][0], "heartbeat.session_dead");
    assert_eq!(rows(ex)[6][0], "heartbeat.new_uid");

    let io = table(&doc, "io,60");
    let count = |i: usize| rows(io).iter().map(|r| r[i].as_u64().unwrap()).collect::<Vec<_>>();
    assert_eq!(count(col(io, "frames")), [6, 2, 2, 3, 2, 2, 4, 4, 2, 4]);
    assert_eq!(count(col(io, "findings")), [1, 0, 0, 0, 1, 1, 1, 3, 1, 0]);
    assert_eq!(rows(io)[9][0], "540.000000000");
    assert_eq!(rows(io)[9][1], "600.000000000");
    assert_eq!(count(col(io, "bytes")).iter().sum::<u64>(), 1778);
    // 585.00364 s in half seconds: intervals 0..=1170, the empty ones listed.
    let half = table(&doc, "io,0.5");
    assert_eq!(rows(half).len(), 1171);
    assert_eq!(rows(half).iter().map(|r| r[2].as_u64().unwrap()).sum::<u64>(), 31);
}

#[test]
fn end_of_capture_findings_show_as_end() {
    // Cut after frame 12: the beat of frame 11 is still unanswered 45 s later.
    let doc = json_first(capture("heartbeat.pcap"), Some(12), select(&["expert", "io,60"]));
    let ex = table(&doc, "expert");
    let no_reply = row(ex, "heartbeat.no_reply");
    assert_eq!(no_reply[col(ex, "first frame")], "end");
    assert_eq!(no_reply[col(ex, "count")], 1);
    // The interval table counts per-frame findings only.
    let io = table(&doc, "io,60");
    assert_eq!(rows(io).iter().map(|r| r[4].as_u64().unwrap()).sum::<u64>(), 1);
}

/// What the capture itself lost: each interface's last statistics block, and the packet
/// blocks' drop counts; capinfos's lines for the interface's options beside them.
#[test]
fn a_summary_counts_what_the_capture_lost() {
    let doc = json(capture("eqstream-capture-loss.pcapng"), select(&["summary"]));
    let t = table(&doc, "summary");
    let all: Vec<(String, Value)> =
        rows(t).iter().map(|r| (r[0].as_str().unwrap().to_string(), r[1].clone())).collect();
    let from = all.iter().position(|(k, _)| k == "interface 0 capture filter").unwrap();
    let time = |t: &str| Value::from(format!("1772438401.{t}"));
    let want = [
        ("interface 0 capture filter", Value::from("udp port 7000")),
        ("interface 0 oper-sys", Value::from("Linux 6.8.0-45-generic")),
        ("interface 0 statistics time", time("020000000")),
        ("interface 0 packets received", Value::from(14)),
        ("interface 0 packets dropped by the interface", Value::from(0)),
        ("interface 0 packets dropped by the OS", Value::from(1)),
        ("interface 0 packets accepted by the filter", Value::from(14)),
        ("interface 0 packets delivered", Value::from(13)),
        ("interface 0 capture start", time("000000000")),
        ("interface 0 capture end", time("020000000")),
        ("packets", Value::from(13)),
        ("packets lost (interface statistics)", Value::from(1)),
        ("packets lost (packet drop counts)", Value::from(1)),
    ];
    let got: Vec<(&str, &Value)> = all[from..from + want.len()].iter().map(|(k, v)| (k.as_str(), v)).collect();
    assert_eq!(got, want.iter().map(|(k, v)| (*k, v)).collect::<Vec<_>>());
    // A capture that says nothing of loss has no such rows.
    let plain = json(capture("overte-session.pcapng"), select(&["summary"]));
    assert!(!rows(table(&plain, "summary")).iter().any(|r| r[0].as_str().unwrap().contains("lost")));
}

#[test]
fn summary_of_a_multi_section_pcapng() {
    let doc = json(capture("format-multi.pcapng"), select(&["summary", "io,60"]));
    let t = table(&doc, "summary");
    assert_eq!(row(t, "file format")[1], "pcapng");
    assert_eq!(row(t, "sections")[1], 2);
    assert_eq!(row(t, "interfaces")[1], 4);
    assert_eq!(row(t, "packets")[1], 11);
    // The two Simple Packet Blocks and the Custom Block carry no timestamp.
    let untimed = row(t, "packets without timestamp")[1].as_u64().unwrap();
    assert_eq!(untimed, 3);
    let link = row(t, "link types")[1].as_str().unwrap();
    assert!(link.contains("Ethernet (1)") && link.contains("Linux cooked-mode capture v1 (113)"), "{link}");
    // capinfos's lines per interface; the Simple Packet Blocks count on their section's first
    // interface, the Custom Block on none.
    let interface = |i: usize| row(t, &format!("interface {i}"))[1].as_str().unwrap().to_string();
    assert_eq!(
        interface(0),
        "eth0 \"Campus uplink\" (section 1, id 0): Ethernet (1), snapshot length 262144, microseconds, 3 packets"
    );
    assert_eq!(
        interface(2),
        "any (section 2, id 0): Linux cooked-mode capture v1 (113), snapshot length 262144, milliseconds, 4 packets"
    );
    assert_eq!(
        interface(3),
        "ipv4tap (section 2, id 1): Raw IPv4 (228), snapshot length 262144, microseconds, 1 packet"
    );
    let single = json(capture("heartbeat.pcap"), select(&["summary"]));
    assert!(
        !rows(table(&single, "summary")).iter().any(|r| r[0] == "interface 0"),
        "a pcap file's one interface is the rows above"
    );
    let io = table(&doc, "io,60");
    let counted: u64 = rows(io).iter().map(|r| r[2].as_u64().unwrap()).sum();
    assert_eq!(counted + untimed, 11);
    assert!(io["notes"][0].as_str().unwrap().contains("without a timestamp"));
}

#[test]
fn protocol_tables_by_name() {
    let doc = json(capture("heartbeat.pcap"), select(&["heartbeat"]));
    let t = table(&doc, "heartbeat.sessions");
    assert_eq!(rows(t).len(), 3);
    let uid = col(t, "uid");
    assert_eq!(rows(t)[1][uid], 1_234_567_890_123u64);
    assert_eq!(rows(t)[1][col(t, "first beat time")], "1772438460.000000000");
    assert_eq!(rows(t)[1][col(t, "cadence")], "60.000000000");
    assert!(Selection::none().add("heartbeat.nope").unwrap_err().contains("heartbeat.sessions"));
}

/// The agent of the buggy client: byte-swapped and unknown source IDs, a verified packet to
/// the domain server, HMACs the capture has no secret for, and 27 s unheard before a new Local
/// ID; the mixers' packets all pass.
#[test]
fn overte_nodes_count_sources_hashes_and_silence() {
    let doc = json(capture("overte-buggy-client.pcapng"), select(&["overte"]));
    let t = table(&doc, "overte.nodes");
    let agent = row(t, "192.168.1.21:47505");
    let cell = |r: &Vec<Value>, name: &str| r[col(t, name)].clone();
    assert_eq!(cell(agent, "node type"), "Agent");
    assert_eq!(cell(agent, "assigned in"), 29);
    assert_eq!(cell(agent, "last heard by it"), 41);
    assert_eq!(cell(agent, "sourced"), 13);
    assert_eq!(cell(agent, "bad source id"), 6);
    assert_eq!(cell(agent, "hmac ok"), 5);
    assert_eq!(cell(agent, "hmac failed"), 1);
    assert_eq!(cell(agent, "hmac unchecked"), 4);
    // From the first DomainList (frame 2, 0.046 s) to the second's new Local ID (27.046 s).
    assert_eq!(cell(agent, "longest silence"), "26.999670000");
    let mixer = row(t, "203.0.113.10:48001");
    assert_eq!(
        (cell(mixer, "sourced"), cell(mixer, "hmac ok"), cell(mixer, "hmac failed")),
        (16.into(), 16.into(), 0.into())
    );
    assert_eq!(cell(mixer, "longest silence"), Value::Null, "no DomainList assigned the mixer in this capture");
    // A healthy session: every verified packet passes, the server hears the agent each second.
    let doc = json(capture("overte-session.pcapng"), select(&["overte.nodes"]));
    let t = table(&doc, "overte.nodes");
    let agent = row(t, "192.168.1.20:53412");
    assert_eq!(
        (cell(agent, "hmac ok"), cell(agent, "hmac failed"), cell(agent, "bad source id")),
        (29.into(), 0.into(), 0.into())
    );
    assert_eq!(cell(agent, "longest silence"), "1.000000000");
}

/// EQStream sessions: encode passes, CRC length, reassembly, the retransmission rate and
/// what RC4 decrypted.
#[test]
fn eqstream_sessions_show_passes_reassembly_and_decryption() {
    let doc = json(capture("eqstream-eq2-login.pcap"), select(&["eqstream"]));
    let t = table(&doc, "eqstream.sessions");
    let r = &rows(t)[0];
    let cell = |name: &str| r[col(t, name)].clone();
    assert_eq!(cell("game"), "EQ2");
    assert_eq!((cell("reliable"), cell("retransmitted")), (11.into(), 1.into()));
    assert_eq!(cell("retransmitted %"), 9.1, "1 of 11, to the text's one decimal");
    assert_eq!((cell("crc bytes"), cell("passes")), (2.into(), "none".into()));
    assert_eq!(cell("reassembled"), 1);
    assert_eq!(
        (cell("rc4 key"), cell("decrypted"), cell("not decrypted")),
        ("0123456789abcdef".into(), 8.into(), 0.into())
    );
    let text = stats(capture("eqstream-eq2-login.pcap"), select(&["eqstream"]), StatsFormat::Text);
    assert!(text.contains("| retransmitted % |"), "{text}");
    assert!(text.contains("|             9.1 |"), "{text}");

    let doc = json(capture("eqstream-eq1-zone.pcap"), select(&["eqstream"]));
    let t = table(&doc, "eqstream.sessions");
    let r = &rows(t)[0];
    let cell = |name: &str| r[col(t, name)].clone();
    assert_eq!((cell("game"), cell("passes"), cell("reassembled")), ("EQ1".into(), "zlib".into(), 1.into()));
    assert_eq!((cell("decrypted"), cell("not decrypted")), (Value::Null, Value::Null), "EQ1 has no RC4");
    let doc = json(capture("eqstream-xor.pcap"), select(&["eqstream"]));
    let t = table(&doc, "eqstream.sessions");
    assert_eq!(rows(t)[0][col(t, "passes")], "xor");
}

/// IP conversations and endpoints count every frame with an IP header of their version
/// (ICMP included), addresses without ports, no protocol column; a filter per table works as
/// for UDP.
#[test]
fn ip_conversations_and_endpoints() {
    let doc = json(capture("icmp.pcap"), select(&["conv,ip", "endpoints,ipv6"]));
    let t = table(&doc, "conv,ip");
    assert_eq!(t["title"], "IPv4 conversations");
    assert!(!t["columns"].as_array().unwrap().iter().any(|c| c == "protocol"));
    let r = row(t, "10.20.30.40");
    assert_eq!(r[1], "172.16.202.201");
    assert_eq!((r[col(t, "frames A->B")].clone(), r[col(t, "bytes A->B")].clone()), (5.into(), 1757.into()));
    assert_eq!((r[col(t, "frames")].clone(), r[col(t, "bytes")].clone()), (10.into(), 2070.into()));
    assert_eq!(r[col(t, "duration")], "7.000000000");
    let t = table(&doc, "endpoints,ipv6");
    let r = row(t, "2001:db8:20:30::40");
    assert_eq!((r[col(t, "tx frames")].clone(), r[col(t, "rx frames")].clone()), (3.into(), 4.into()));
    // Only the ICMP frames (a filter naming a lower layer: the CLI's catalog knows them).
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/icmp.pcap");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .args(["stats", "-T", "json", "-z", "conv,ip,icmp"])
        .arg(&path)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = table(&doc, "conv,ip,icmp");
    assert_eq!(row(t, "10.20.30.40")[col(t, "frames")], 5, "of its 10 frames, 5 are ICMP");
    assert_eq!(row(t, "10.20.30.1")[col(t, "frames")], 3);
    let text = stats(capture("icmp.pcap"), select(&["conv,ip"]), StatsFormat::Text);
    assert!(text.contains("| 10.20.30.40 | 172.16.202.201 |"), "{text}");
    assert!(Selection::none().add("conv,ipx").unwrap_err().contains("conv,ipv6"));
    assert!(!select(&["conv,ip", "endpoints,ipv6"]).needs_dissection(), "headers are enough");
    assert!(select(&["conv,udp"]).needs_dissection(), "its protocol column");
}

/// TCP conversations and endpoints count the frames with a TCP header by address:port pair
/// and address:port; Ethernet ones every Ethernet frame by MAC address, whatever it carries.
/// Neither has a protocol column or needs the protocols' dissection. The values are tshark's
/// on the same capture.
#[test]
fn tcp_and_ethernet_conversations_and_endpoints() {
    let mut bytes = Vec::new();
    udpdissect_samples::benchmark(20_000, &mut bytes).unwrap();
    let reader = || Reader::new(Box::new(std::io::Cursor::new(bytes.clone()))).unwrap();
    let names = ["conv,tcp", "endpoints,tcp", "conv,eth", "endpoints,eth"];
    let doc = json(reader(), select(&names));
    let t = table(&doc, "conv,tcp");
    assert_eq!(t["title"], "TCP conversations");
    assert!(!t["columns"].as_array().unwrap().iter().any(|c| c == "protocol"));
    let r = row(t, "192.0.2.80:443");
    assert_eq!(r[1], "10.20.32.7:50154", "the first of the server's one-segment conversations");
    assert_eq!((r[col(t, "frames A->B")].clone(), r[col(t, "bytes A->B")].clone()), (1.into(), 174.into()));
    assert_eq!((r[col(t, "frames B->A")].clone(), r[col(t, "rel start")].clone()), (0.into(), "0.069963000".into()));
    let t = table(&doc, "endpoints,tcp");
    let r = row(t, "192.0.2.80:443");
    assert_eq!(r[1..].to_vec(), [267, 46458, 267, 46458, 0, 0].map(Value::from));
    let t = table(&doc, "endpoints,eth");
    assert_eq!(t["title"], "Ethernet endpoints");
    let r = row(t, "06:14:1e:01:00:01");
    assert_eq!(r[1..].to_vec(), [7998, 547863, 3999, 305422, 3999, 242441].map(Value::from));
    let t = table(&doc, "conv,eth");
    let r = row(t, "02:42:0a:1e:00:06");
    assert_eq!(
        (r[1].clone(), r[col(t, "frames")].clone(), r[col(t, "bytes")].clone()),
        ("02:42:c0:00:02:66".into(), 202.into(), 24082.into())
    );
    assert!(!select(&names).needs_dissection(), "headers are enough");
    assert!(select(&["conv,udp"]).needs_dissection(), "UDP's protocol column is the dissectors'");
    let text = stats(reader(), select(&["endpoints,eth"]), StatsFormat::Text);
    assert!(text.contains("| 06:14:1e:01:00:01 |   7998 | 547863 |"), "{text}");
    // The pcap's one TCP frame; with a filter (the CLI's catalog knows the lower layers'
    // fields), only the frames it keeps.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/heartbeat.pcap");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .args(["stats", "-T", "json", "-z", "conv,tcp", "-z", "conv,eth,tcp"])
        .arg(&path)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = table(&doc, "conv,tcp");
    assert_eq!(rows(t).len(), 1);
    assert_eq!(row(t, "10.20.30.40:46500")[1], "172.16.202.201:3333");
    let t = table(&doc, "conv,eth,tcp");
    assert_eq!(rows(t).len(), 1);
    assert_eq!(rows(t)[0][col(t, "frames")], 1);
    assert!(Selection::none().add("conv,tcpx").unwrap_err().contains("conv,eth"));
}

/// A large generated capture: tables bounded by distinct conversations and intervals.
#[test]
fn large_capture_stays_bounded() {
    const FRAMES: u64 = 200_000;
    let mut bytes = Vec::new();
    udpdissect_samples::benchmark(FRAMES, &mut bytes).unwrap();

    // Distinct UDP 5-tuples (direction-free), counted independently of the sink.
    let mut reader = Reader::new(Box::new(std::io::Cursor::new(bytes.clone()))).unwrap();
    let mut defrag = Defragmenter::new(DefragLimits::default());
    let mut pairs: HashSet<(SocketAddr, SocketAddr)> = HashSet::new();
    let mut endpoints: HashSet<SocketAddr> = HashSet::new();
    let mut udp = 0u64;
    while let Some(frame) = reader.next_frame().unwrap() {
        let d = decode(&frame, &mut defrag);
        if let (Transport::Udp(u), Some(s), Some(t)) = (d.transport, d.net.src(), d.net.dst()) {
            let (a, b) = (SocketAddr::new(s, u.src_port), SocketAddr::new(t, u.dst_port));
            pairs.insert(if a <= b { (a, b) } else { (b, a) });
            endpoints.insert(a);
            endpoints.insert(b);
            udp += 1;
        }
    }

    let reader = Reader::new(Box::new(std::io::Cursor::new(bytes))).unwrap();
    let doc = json(reader, select(&["summary", "conv,udp", "endpoints,udp", "io,10", "io"]));
    assert_eq!(row(table(&doc, "summary"), "packets")[1], FRAMES);
    let conv = table(&doc, "conv,udp");
    assert_eq!(rows(conv).len(), pairs.len());
    assert!((pairs.len() as u64) < udp, "conversations repeat: {} of {udp}", pairs.len());
    assert_eq!(rows(conv).iter().map(|r| r[col(conv, "frames")].as_u64().unwrap()).sum::<u64>(), udp);
    assert_eq!(rows(table(&doc, "endpoints,udp")).len(), endpoints.len());

    let duration = row(table(&doc, "summary"), "duration")[1].as_str().unwrap().replace('.', "");
    let duration_ns: u64 = duration.parse().unwrap();
    let io = table(&doc, "io,10");
    assert_eq!(rows(io).len() as u64, duration_ns / 10_000_000_000 + 1);
    assert_eq!(rows(io).iter().map(|r| r[2].as_u64().unwrap()).sum::<u64>(), FRAMES);
    let auto = table(&doc, "io");
    assert!(rows(auto).len() <= udpdissect::stats::AUTO_ROWS);
    assert_eq!(rows(auto).iter().map(|r| r[2].as_u64().unwrap()).sum::<u64>(), FRAMES);
}

/// The text layout, byte for byte: fixed widths, numbers right-aligned, the hierarchy indented.
#[test]
fn text_layout() {
    let s = stats(capture("heartbeat.pcap"), select(&["phs", "proto", "io,120"]), StatsFormat::Text);
    assert_eq!(s, EXPECTED_TEXT, "{s}");
}

const EXPECTED_TEXT: &str = "\
== Protocol hierarchy ==
+-------------------+--------+----------+-------+
| protocol          | frames | % frames | bytes |
+===============================================+
| frame             |     31 |   100.00 |  1778 |
|   eth             |     31 |   100.00 |  1778 |
|     arp           |      1 |     3.23 |    60 |
|     ip            |     30 |    96.77 |  1718 |
|       udp         |     28 |    90.32 |  1578 |
|         heartbeat |     26 |    83.87 |  1404 |
|         data      |      2 |     6.45 |   174 |
|       icmp        |      1 |     3.23 |    86 |
|       tcp         |      1 |     3.23 |    54 |
+-------------------+--------+----------+-------+

== Message types per protocol ==
+----------+---------+--------+-------+
| protocol | message | frames | bytes |
+=====================================+
| ARP      | -       |      1 |    60 |
| ICMP     | -       |      1 |    86 |
| SRUN     | reply   |     13 |   754 |
| SRUN     | request |     13 |   650 |
| TCP      | -       |      1 |    54 |
| UDP      | -       |      2 |   174 |
+----------+---------+--------+-------+

== I/O statistics, 120 s intervals ==
+---------------+---------------+--------+-------+----------+
| start         | end           | frames | bytes | findings |
+===========================================================+
|   0.000000000 | 120.000000000 |      8 |   508 |        1 |
| 120.000000000 | 240.000000000 |      5 |   266 |        0 |
| 240.000000000 | 360.000000000 |      4 |   216 |        2 |
| 360.000000000 | 480.000000000 |      8 |   464 |        4 |
| 480.000000000 | 600.000000000 |      6 |   324 |        1 |
+---------------+---------------+--------+-------+----------+
";

/// The hierarchy names each layer as `frame.protocols` does; the eDonkey family's Protocol
/// column names its branches one row below `overnet`.
#[test]
fn the_overnet_family_branches_below_its_protocol() {
    let doc = json(capture("overnet-family.pcap"), select(&["phs"]));
    let phs = table(&doc, "phs");
    let frames = |path: &str| row(phs, path)[col(phs, "frames")].as_u64().unwrap();
    assert_eq!(frames("frame:eth:ip:udp:overnet"), 12);
    assert_eq!(frames("frame:eth:ip:udp:overnet:eDonkey"), 3);
    assert_eq!(frames("frame:eth:ip:udp:overnet:eMule"), 2);
    assert_eq!(frames("frame:eth:ip:udp:overnet:Kad"), 6);
    assert_eq!(frames("frame:eth:ip:udp:overnet:Overnet"), 1);
    assert_eq!(row(phs, "frame:eth:ip:udp:overnet:Kad")[col(phs, "bytes")], 413);
    assert_eq!(rows(phs).len(), 9);
}
