//! Runs that read only frame, link, IP and UDP fields skip the protocols' dissection: their
//! output must be byte for byte what the full dissection gives, and any protocol key (a
//! column, a filter, a table, --strict) must bring the dissection back.

use std::path::{Path, PathBuf};
use std::process::Command;
use udpdissect::pipeline::{self, Depth, Options};
use udpdissect::render::{FieldOptions, FieldsSink};
use udpdissect::stats::{Selection, StatsFormat, StatsSink};
use udpdissect_capture::Reader;
use udpdissect_core::Engine;

/// Every lower-layer column a user would ask for, reassembly's included.
const LAYER_COLUMNS: &[&str] = &[
    "frame.number",
    "frame.time_relative",
    "frame.len",
    "eth.src",
    "vlan.id",
    "ieee8021ad.id",
    "sll.pkttype",
    "sll.src.eth",
    "ip.version",
    "ip.addr",
    "udp.port",
    "ipv6.fragment",
    "ip.src",
    "ip.dst",
    "ip.flags.mf",
    "ip.reassembled.length",
    "ipv6.src",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "tcp.srcport",
    "icmp.type",
];

fn captures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    all.sort();
    all
}

fn reader(path: &Path) -> Option<Reader> {
    Reader::new(Box::new(std::fs::File::open(path).unwrap())).ok()
}

fn columns(path: &Path, depth: Depth) -> Option<Vec<u8>> {
    let mut reader = reader(path)?;
    let mut engine = Engine::new(udpdissect::dissectors());
    let keys = LAYER_COLUMNS.iter().map(|k| k.to_string()).collect();
    let mut out = Vec::new();
    {
        let mut sink = FieldsSink::new(&mut out, keys, FieldOptions::default(), false).unwrap();
        let opts = Options { depth, ..Options::full(true) };
        let _ = pipeline::run(&mut reader, &mut engine, &mut sink, &opts);
    }
    Some(out)
}

fn tables(path: &Path, names: &[&str], depth: Depth) -> Option<String> {
    let mut reader = reader(path)?;
    let mut engine = Engine::new(udpdissect::dissectors());
    let sel = selection(names);
    assert!(!sel.needs_dissection());
    let mut sink = StatsSink::new(sel, &udpdissect_filter::Catalog::default()).unwrap();
    let opts = Options { depth, ..Options::full(false) };
    let _ = pipeline::run(&mut reader, &mut engine, &mut sink, &opts);
    let mut out = Vec::new();
    sink.report(reader.info(), || engine.tables(), StatsFormat::Json, &mut out).unwrap();
    Some(String::from_utf8(out).unwrap())
}

#[test]
fn lower_layer_columns_are_the_same_with_or_without_the_protocols() {
    let mut compared = 0;
    for path in captures() {
        let Some(full) = columns(&path, Depth::Protocols) else { continue };
        let lean = columns(&path, Depth::Layers).unwrap();
        assert!(full == lean, "{}: -T fields differs when the protocols are skipped", path.display());
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} captures compared");
}

#[test]
fn capture_summary_and_endpoints_are_the_same_with_or_without_the_protocols() {
    let names = ["summary", "endpoints,udp"];
    for path in captures() {
        let Some(full) = tables(&path, &names, Depth::Protocols) else { continue };
        assert_eq!(full, tables(&path, &names, Depth::Layers).unwrap(), "{}", path.display());
    }
}

#[test]
fn the_capture_summary_is_the_same_from_the_records_alone() {
    let mut compared = 0;
    for path in captures() {
        let Some(full) = tables(&path, &["summary"], Depth::Protocols) else { continue };
        let records = tables(&path, &["summary"], Depth::Records).unwrap();
        assert_eq!(full, records, "{}", path.display());
        assert!(records.contains("\"packets\""), "{records}");
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} captures compared");
}

fn selection(names: &[&str]) -> Selection {
    let mut s = Selection::none();
    for n in names {
        s.add(n).unwrap();
    }
    s
}

#[test]
fn only_tables_that_read_protocols_need_them() {
    let sel = |names: &[&str]| selection(names).needs_dissection();
    assert!(!sel(&["summary", "endpoints,udp"]));
    // The protocol column, message types, findings (also counted per interval), protocol tables.
    for name in ["conv,udp", "phs", "proto", "io,1", "expert", "overte", "heartbeat.sessions"] {
        assert!(sel(&["summary", name]), "{name}");
    }
    assert!(Selection::all().needs_dissection());
    // Only the capture summary is read from the records alone.
    assert!(!selection(&["summary"]).needs_layers());
    for name in ["endpoints,udp", "conv,ip", "io,1", "phs"] {
        assert!(selection(&["summary", name]).needs_layers(), "{name}");
    }
}

#[test]
fn protocol_tables_are_built_only_when_one_is_shown() {
    let shows = |names: &[&str]| {
        StatsSink::new(selection(names), &udpdissect_filter::Catalog::default()).unwrap().shows_protocol_tables()
    };
    assert!(!shows(&["conv,udp", "phs", "expert", "io,1", "summary"]));
    assert!(shows(&["conv,udp", "overnet"]));
    assert!(shows(&["heartbeat.sessions"]));
    assert!(StatsSink::new(Selection::all(), &udpdissect_filter::Catalog::default()).unwrap().shows_protocol_tables());
}

fn run(args: &[&str]) -> String {
    let capture = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/overte-session.pcapng");
    let out = Command::new(env!("CARGO_BIN_EXE_udpdissect")).args(args).arg(capture).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_protocol_key_anywhere_brings_the_dissection_back() {
    // A protocol column (DomainList is type 2).
    let both = run(&["-T", "fields", "-e", "udp.srcport", "-e", "overte.type"]);
    assert!(both.lines().any(|l| l == "40102\t2"), "{both}");
    // A protocol in the filter, with lower-layer columns only.
    let all = run(&["-T", "fields", "-e", "frame.number"]).lines().count();
    let overte = run(&["-T", "fields", "-e", "frame.number", "-Y", "overte"]).lines().count();
    assert!(overte > 0 && overte < all, "{overte} of {all}");
    // A finding's tag in the filter.
    let retransmitted = run(&["-T", "fields", "-e", "frame.number", "-Y", "overte.retransmission"]);
    assert_eq!(retransmitted.lines().count(), 1, "{retransmitted}");
    // The info column.
    let info = run(&["-T", "fields", "-e", "ip.src", "-e", "_ws.col.info"]);
    assert!(info.contains("DomainConnectRequest"), "{info}");
    // A filter of lower layers only keeps the fast path, and still filters.
    let stun = run(&["-T", "fields", "-e", "frame.number", "-Y", "udp.port == 19302"]);
    assert!(!stun.is_empty() && stun.lines().count() < all);
}

#[test]
fn quiet_statistics_of_the_lower_layers_skip_the_protocols_and_others_do_not() {
    let endpoints = run(&["-q", "-z", "endpoints,udp"]);
    assert_eq!(endpoints, run(&["stats", "-z", "endpoints,udp"]));
    assert!(endpoints.contains("UDP endpoints"), "{endpoints}");
    // Findings need the protocols: the retransmission is there.
    let expert = run(&["-q", "-z", "expert"]);
    assert!(expert.contains("overte.retransmission"), "{expert}");
}

/// The `packets` row of `stats` text output.
fn packets(stdout: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(stdout);
    let row = text.lines().find(|l| l.starts_with("| packets ")).unwrap_or_else(|| panic!("{text}"));
    row.trim_matches(|c| c == '|' || c == ' ').rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn the_records_alone_count_up_to_damage_and_report_it() {
    let whole = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/heartbeat.pcap")).unwrap();
    let cut = std::env::temp_dir().join(format!("udpdissect-records-{}.pcap", std::process::id()));
    // Ten bytes short: the last record ends inside its data.
    std::fs::write(&cut, &whole[..whole.len() - 10]).unwrap();
    let stats = |tables: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_udpdissect"));
        cmd.arg("stats");
        for t in tables {
            cmd.args(["-z", t]);
        }
        cmd.arg(&cut).output().unwrap()
    };
    // The capture summary alone reads only the records; with endpoints the layers are decoded.
    let records = stats(&["summary"]);
    let layers = stats(&["summary", "endpoints,udp"]);
    let _ = std::fs::remove_file(&cut);
    for out in [&records, &layers] {
        assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cut short"), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let full = packets(
        &Command::new(env!("CARGO_BIN_EXE_udpdissect"))
            .args(["stats", "-z", "summary"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/heartbeat.pcap"))
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(packets(&records.stdout), full - 1);
    assert_eq!(packets(&records.stdout), packets(&layers.stdout));
}

/// The other way round: columns that read only protocols' fields and findings skip the layers'
/// fields (no frame, IP or UDP subtree is written), and must give the cells they give beside a
/// lower-layer column; a frame cut short still says so.
#[test]
fn protocol_columns_are_the_same_without_the_layers_fields() {
    let tail =
        ["overte.type", "eqstream.eq2.opcode", "heartbeat.uid", "overnet.opcode", "expert.tag", "expert.message"];
    let run = |path: &Path, threads: &str, with_layer: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_udpdissect"));
        cmd.env("UDPDISSECT_THREADS", threads).args(["-T", "fields"]);
        if with_layer {
            cmd.args(["-e", "udp.srcport"]);
        }
        for k in tail {
            cmd.args(["-e", k]);
        }
        let out = cmd.arg(path).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<String> = text
            .lines()
            .map(|l| if with_layer { l.split_once('\t').map_or(l, |(_, rest)| rest) } else { l }.to_string())
            .collect();
        (lines, out.status.code())
    };
    let (mut compared, mut cut) = (0, 0);
    for path in captures() {
        for threads in ["1", "2"] {
            let lean = run(&path, threads, false);
            assert_eq!(lean, run(&path, threads, true), "{} on {threads} thread(s)", path.display());
            cut += lean.0.iter().filter(|l| l.contains("frame.cut_short")).count();
            compared += lean.0.len();
        }
    }
    assert!(compared > 500, "only {compared} lines compared");
    assert!(cut > 0, "no capture with a frame cut short");
}
