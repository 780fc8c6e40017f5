//! `-T ek`, tshark's Elasticsearch bulk format: against tshark on every shipped capture, and
//! what it holds beyond tshark's (the protocols, their findings, the end of the capture).

mod common;

use common::{damaged, shipped_captures};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_udpdissect"))
}

/// The bulk lines of a run: (index action, document) pairs, every line checked to be JSON.
fn documents(out: &[u8]) -> Vec<(Value, Value)> {
    let text = String::from_utf8(out.to_vec()).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len() % 2, 0, "index and document lines in pairs");
    lines.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect()
}

/// Our documents; a damaged capture's run may end with status 2, after the frames before the
/// damage (zero-length records are no damage).
fn ours(args: &[&str], path: &Path) -> Vec<(Value, Value)> {
    let o = bin().args(["-T", "ek"]).args(args).arg(path).output().unwrap();
    let ok = o.status.success() || (damaged(path) && o.status.code() == Some(2));
    assert!(ok, "{}: {:?} {}", path.display(), o.status, String::from_utf8_lossy(&o.stderr));
    documents(&o.stdout)
}

/// Members of ours that tshark 4.0 has under other names or values, each a difference
/// docs/capture.md states (as in `every_lower_layer_field_prints_as_tshark_prints_it`), and
/// `eth_eth_addr`, which tshark writes once per address subtree: the same key twice in one
/// object, of which a JSON reader keeps one.
const NOT_TSHARKS: &[&str] = &[
    "frame_frame_link_type",
    "frame_frame_protocols",
    "vlan_vlan_tpid",
    "sll_sll_version",
    "ip_ip_fragments",
    "ipv6_ipv6_fragments",
    "eth_eth_addr",
];

/// Compares every member of `ours` with tshark's of the same name, where tshark has it;
/// counts the values compared and notes each difference.
fn compare(at: &str, ours: &Value, theirs: &Value, compared: &mut usize, failures: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(o), Value::Object(t)) => {
            for (k, v) in o {
                let skipped = NOT_TSHARKS.contains(&k.trim_end_matches("_raw")) || k == "_ws_expert";
                if let (Some(tv), false) = (t.get(k), skipped) {
                    compare(&format!("{at}.{k}"), v, tv, compared, failures);
                }
            }
        }
        (Value::Array(o), Value::Array(t)) if o.len() == t.len() => {
            o.iter().zip(t).for_each(|(o, t)| compare(at, o, t, compared, failures));
        }
        // A bit field's `_raw` is the bytes that hold it here, its value in hex in tshark
        // (docs/json.md); where tshark writes bytes, they are the same bytes.
        (Value::String(o), Value::String(t)) if at.ends_with("_raw") && o.len() != t.len() => {}
        _ => {
            *compared += 1;
            if ours != theirs {
                failures.push(format!("{at}: udpdissect {ours}, tshark {theirs}"));
            }
        }
    }
}

/// On every shipped capture (a damaged one's frames before the damage), each document's index
/// action and timestamp are tshark's, and every member of the layers tshark also has (frame,
/// link, IP, UDP, TCP, ICMP, the headers an ICMP error quotes) has tshark's name and value:
/// plain, with the bytes in hex (`-x`), with whole protocols picked (`-J`) and with fields
/// picked (`-j`). tshark 4.0 names a later pcapng section's interfaces after the first's, and
/// takes a delta after a frame without a timestamp from the epoch: those two members of
/// `format-multi` are ours.
#[test]
fn ek_documents_are_tsharks() {
    if !common::tshark_oracle() {
        return;
    }
    let (mut compared, mut failures) = (0, Vec::new());
    let runs: [&[&str]; 4] = [&[], &["-x"], &["-J", "ip udp"], &["-j", "ip ip.src ip.ttl udp udp.srcport udp.port"]];
    for path in shipped_captures() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for args in runs {
            let o = Command::new("tshark").args(["-n", "-T", "ek"]).args(args).arg("-r").arg(&path).output();
            let theirs = documents(&o.unwrap().stdout);
            let mut ours = ours(args, &path);
            if ours.last().is_some_and(|(_, d)| d["end_of_capture"] == true) {
                ours.pop();
            }
            assert_eq!(ours.len(), theirs.len(), "{name} {args:?}: documents");
            for (n, ((oi, od), (ti, td))) in ours.iter().zip(&theirs).enumerate() {
                let at = format!("{name} {args:?} frame {}", n + 1);
                assert_eq!(oi, ti, "{at}: index action");
                assert_eq!(od["timestamp"], td["timestamp"], "{at}: timestamp");
                let mut layers = od["layers"].clone();
                if name == "format-multi.pcapng" {
                    for member in
                        ["frame_frame_interface_name", "frame_frame_time_delta", "frame_frame_time_delta_displayed"]
                    {
                        layers["frame"].as_object_mut().map(|f| f.remove(member));
                    }
                }
                compare(&at, &layers, &td["layers"], &mut compared, &mut failures);
            }
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures[..failures.len().min(30)].join("\n"));
    assert!(compared > 50_000, "{compared} values compared");
}

/// The documents without the summary's protocol and info columns, ours by design.
fn without_protocol_columns(mut docs: Vec<(Value, Value)>) -> Vec<(Value, Value)> {
    for (_, d) in &mut docs {
        if let Some(d) = d.as_object_mut() {
            d.remove("protocol");
            d.remove("info");
        }
    }
    docs
}

/// `-T ek -e`: the columns as tshark's documents, under the keys with `_` for `.`, with and
/// without the summary columns (`-P`), on every undamaged capture.
#[test]
fn ek_columns_are_tsharks() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let e = ["-e", "frame.number", "-e", "ip.addr", "-e", "udp.port", "-e", "frame.time_epoch", "-e", "eth.src"];
    let mut compared = 0;
    for path in shipped_captures().into_iter().filter(|p| !damaged(p)) {
        for extra in [&[][..], &["-P"][..], &["-E", "occurrence=l"][..]] {
            let o = Command::new("tshark").args(["-n", "-T", "ek"]).args(e).args(extra).arg("-r").arg(&path).output();
            let theirs = without_protocol_columns(documents(&o.unwrap().stdout));
            let mut args = e.to_vec();
            args.extend_from_slice(extra);
            let mut ours = without_protocol_columns(ours(&args, &path));
            assert_eq!(ours.len(), theirs.len(), "{} {extra:?}", path.display());
            for (n, ((oi, od), (ti, td))) in ours.iter_mut().zip(&theirs).enumerate() {
                // tshark 4.0 leaves the layers out when -P is given with -e (docs/json.md).
                if td.get("layers").is_none() {
                    od.as_object_mut().map(|d| d.remove("layers"));
                }
                assert_eq!((&*oi, &*od), (ti, td), "{} {extra:?} frame {}", path.display(), n + 1);
            }
            compared += ours.len();
        }
    }
    assert!(compared > 1_000, "{compared} documents");
}

/// The protocols' layers carry their fields under tshark-style names, their findings as
/// `_ws_expert` objects (the tag as a key, the message, tshark's severity number), and the
/// findings of the end of the capture come as one last document.
#[test]
fn ek_documents_hold_the_protocols_and_their_findings() {
    let docs = ours(&[], Path::new("captures/heartbeat.pcap"));
    let (index, second) = &docs[1];
    assert_eq!(index["index"]["_type"], "doc");
    assert_eq!(second["timestamp"], "1772438400812");
    let heartbeat = &second["layers"]["heartbeat"];
    assert_eq!(heartbeat["heartbeat_heartbeat_uid"], "1122334455667");
    assert_eq!(heartbeat["heartbeat_heartbeat_type"], "1");
    assert_eq!(heartbeat["heartbeat_heartbeat_padding"], "00:00:00:00:00:00:00:00");
    let expert = &heartbeat["_ws_expert"];
    assert_eq!(expert["heartbeat_heartbeat_reply_without_request"], Value::Null);
    assert_eq!(expert["_ws_expert__ws_expert_severity"], "6291456");
    assert_eq!(expert["_ws_expert__ws_expert_group"], "33554432", "Sequence");
    assert!(expert["_ws_expert__ws_expert_message"].as_str().unwrap().starts_with("no beat from 10.20.30.42:37415"));
    assert_eq!(second["layers"]["ip"]["ip_ip_addr"], serde_json::json!(["172.16.202.201", "10.20.30.42"]));
    assert_eq!(second["layers"]["ip"]["ip_ip_flags_df"], true);
    assert_eq!(second["layers"]["frame"]["frame_frame_time"], "2026-03-02T08:00:00.812345000Z");
    // Several findings on one layer: an array of them.
    let buggy = ours(&[], Path::new("captures/overte-buggy-client.pcapng"));
    let many = buggy
        .iter()
        .find_map(|(_, d)| d["layers"]["overte"]["_ws_expert"].as_array().cloned())
        .expect("a frame with two findings");
    assert!(many.len() >= 2 && many.iter().all(|e| e["_ws_expert__ws_expert_message"].is_string()));
    assert!(buggy[3].1["layers"]["overte"]["_ws_expert"].to_string().contains("\"overte_overte_duplicate\":null"));
    let typed = buggy.iter().filter(|(_, d)| d["layers"]["overte"]["overte_overte_type"].is_string()).count();
    assert!(typed >= 40, "{typed} Overte documents with a packet type");
    // The end of the capture's findings: one last document, under the last frame's day.
    let icmp = ours(&[], Path::new("captures/icmp.pcap"));
    let (end_index, end) = icmp.last().unwrap();
    assert_eq!(end["end_of_capture"], true);
    assert_eq!(end_index, &icmp[icmp.len() - 2].0);
    assert_eq!(end["layers"]["_ws_expert"]["heartbeat_heartbeat_no_reply"], Value::Null, "{end}");
    // An ICMP error's quoted headers: objects of their own inside the ICMP layer.
    let quoted = icmp.iter().find(|(_, d)| d["layers"]["icmp"]["ip"].is_object()).expect("a quoted IP header");
    assert!(quoted.1["layers"]["icmp"]["udp"]["udp_udp_srcport"].is_string());
}

/// `-j` keeps the fields named and writes the others as tshark does; `-J` whole protocols;
/// `-P` the summary line; `-x` the bytes of every layer.
#[test]
fn ek_picks_what_j_and_big_j_name() {
    let path = Path::new("captures/heartbeat.pcap");
    let picked = ours(&["-j", "heartbeat heartbeat.uid"], path);
    let layers = &picked[1].1["layers"];
    assert_eq!(layers["frame"], serde_json::json!({"filtered": "frame"}));
    assert_eq!(layers["heartbeat"]["heartbeat_heartbeat_uid"], "1122334455667");
    assert_eq!(layers["heartbeat"]["heartbeat_heartbeat_type"], serde_json::json!({"filtered": "heartbeat.type"}));
    assert_eq!(layers["heartbeat"]["_ws_expert"], serde_json::json!({"filtered": "_ws.expert"}));
    let whole = ours(&["-J", "heartbeat"], path);
    let layers = &whole[1].1["layers"];
    assert_eq!(layers["udp"], serde_json::json!({"filtered": "udp"}));
    assert_eq!(layers["heartbeat"]["heartbeat_heartbeat_type"], "1");
    assert!(layers["heartbeat"]["_ws_expert"].is_object());
    let summary = ours(&["-P"], path);
    assert_eq!(summary[1].1["protocol"], "SRUN");
    assert_eq!(summary[1].1["info"], "Reply UID=1122334455667 (alive)");
    assert_eq!(summary[1].1["no_"], "2");
    let hex = ours(&["-x"], path);
    assert_eq!(hex[1].1["layers"]["heartbeat_raw"], "73b75850050100000000000000000000");
    assert_eq!(hex[1].1["layers"]["heartbeat"]["heartbeat_heartbeat_uid_raw"], "73b7585005010000");
    // Wrong uses are refused, with what to do.
    for (args, says) in [
        (&["-T", "text", "-j", "ip"][..], "-j applies to -T json, ndjson, ek and pdml"),
        (&["-T", "ek", "-j", "ip", "-J", "udp"][..], "give one of them"),
        (&["-T", "ek", "-j", "IP"][..], "protocol names are lower case"),
        (&["-T", "ek", "-j", "ip", "-e", "ip.src"][..], "give one of them"),
        (&["-P"][..], "-w <FILE>"),
    ] {
        let o = bin().args(args).arg(path).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(says), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
}
