//! The info column is composed only where something reads it: a run that does not (statistics,
//! `-q`, field columns without `_ws.col.info`) must see the same protocols, fields and findings,
//! and a column or filter that names it must bring it back.

use serde_json::Value;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use udpdissect::pipeline::{self, Options};
use udpdissect::render::JsonSink;
use udpdissect_capture::Reader;
use udpdissect_core::Engine;

fn captures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut all: Vec<(String, Vec<u8>)> = paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    let mut mix = Vec::new();
    udpdissect_samples::benchmark(6_000, &mut mix).unwrap();
    all.push(("the benchmark mix, 6 000 packets".into(), mix));
    all
}

/// Every frame's full tree as JSON records, the info column taken out: (records, info bytes).
fn records(capture: &[u8], info: bool) -> Option<(Vec<Value>, usize)> {
    let mut reader = Reader::new(Box::new(Cursor::new(capture.to_vec()))).ok()?;
    let mut engine = Engine::new(udpdissect::dissectors());
    let mut out = Vec::new();
    {
        let mut sink = JsonSink::new(&mut out, false, false);
        let opts = Options { info, ..Options::full(true) };
        let _ = pipeline::run(&mut reader, &mut engine, &mut sink, &opts);
    }
    let mut info_bytes = 0;
    let records = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            if let Some(i) = v.as_object_mut().and_then(|o| o.remove("info")) {
                info_bytes += i.as_str().map_or(0, str::len);
            }
            v
        })
        .collect();
    Some((records, info_bytes))
}

#[test]
fn without_the_info_column_everything_else_is_the_same() {
    let (mut compared, mut info_on, mut info_off) = (0, 0, 0);
    for (name, capture) in captures() {
        let Some((with, on)) = records(&capture, true) else { continue };
        let (without, off) = records(&capture, false).unwrap();
        assert_eq!(with.len(), without.len(), "{name}");
        for (a, b) in with.iter().zip(&without) {
            assert_eq!(a, b, "{name}: frame {} differs beyond its info column", a["frame"]);
        }
        (compared, info_on, info_off) = (compared + 1, info_on + on, info_off + off);
    }
    assert!(compared >= 30, "only {compared} captures compared");
    // What is still written without readers is the cheap part: message names, one copy each
    // (a quarter of the text here), and rare cases.
    assert!(info_off * 3 < info_on, "info column: {info_off} bytes written unread, {info_on} read");
}

fn udpdissect(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_udpdissect")).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_column_or_filter_naming_it_brings_it_back() {
    let capture = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/heartbeat.pcap");
    let capture = capture.to_str().unwrap();
    let column = udpdissect(&["-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info", capture]);
    let beats = column.lines().filter(|l| l.contains("\tBeat UID=")).count();
    assert!(beats > 0, "{column}");
    // The same frames through the statistics with a filter on the column.
    let counted = |filter: &[&str]| -> String {
        let mut args = vec!["stats", "-z", "summary", "-T", "json"];
        args.extend_from_slice(filter);
        args.push(capture);
        let doc: Value = serde_json::from_str(&udpdissect(&args)).unwrap();
        let rows = doc["tables"][0]["rows"].as_array().unwrap().clone();
        let row = rows.iter().find(|r| r[0] == "packets").unwrap_or_else(|| panic!("{rows:?}"));
        row[1].to_string()
    };
    assert_eq!(counted(&["-Y", "_ws.col.info contains \"Beat UID=\""]), beats.to_string());
    let quiet = udpdissect(&["-q", "-z", "proto", "-Y", "_ws.col.info contains \"Beat UID=\"", capture]);
    assert!(quiet.contains(&format!("| SRUN     | request | {beats:>6} |")), "{quiet}");
}
