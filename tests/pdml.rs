//! `-T pdml`, tshark's tree in XML: against tshark on every shipped capture, and what it holds
//! beyond tshark's (the protocols, their findings, the end of the capture).

mod common;

use common::{damaged, shipped_captures};
use roxmltree::{Document, Node};
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_udpdissect"))
}

/// Our document; a damaged capture's run may end with status 2, after the frames before the
/// damage.
fn ours(args: &[&str], path: &Path) -> String {
    let o = bin().env("TZ", "America/New_York").args(["-T", "pdml"]).args(args).arg(path).output().unwrap();
    let ok = o.status.success() || (damaged(path) && o.status.code() == Some(2));
    assert!(ok, "{}: {:?} {}", path.display(), o.status, String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn theirs(args: &[&str], path: &Path) -> String {
    let o = Command::new("tshark")
        .env("TZ", "America/New_York")
        .args(["-n", "-T", "pdml"])
        .args(args)
        .arg("-r")
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap()
}

fn attr<'a>(n: Node<'a, '_>, name: &str) -> &'a str {
    n.attribute(name).unwrap_or("")
}

fn packets<'a, 'i>(doc: &'a Document<'i>) -> Vec<Node<'a, 'i>> {
    doc.root_element().children().filter(|n| n.has_tag_name("packet")).collect()
}

/// Members of ours that tshark 4.0 has under other values, each a difference docs/capture.md
/// states (as `ek_documents_are_tsharks` skips them).
const NOT_TSHARKS: &[&str] =
    &["frame.link_type", "frame.protocols", "vlan.tpid", "sll.version", "ip.fragments", "ipv6.fragments"];

/// Fields whose bytes tshark takes from the fragments they list (in other frames): their value is
/// compared, not their bytes.
const BYTES_ELSEWHERE: &[&str] = &["ip.fragment", "ipv6.fragment"];

/// A packet's fields by the protocol element nearest above them (its name and which of that
/// name it is in the packet), each field name's occurrences in document order.
type Groups<'a, 'i> = HashMap<(String, usize), HashMap<String, Vec<Node<'a, 'i>>>>;

fn groups<'a, 'i>(packet: Node<'a, 'i>) -> Groups<'a, 'i> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<roxmltree::NodeId, (String, usize)> = HashMap::new();
    let mut out: Groups = HashMap::new();
    for n in packet.descendants().filter(|n| n.is_element()) {
        if n.has_tag_name("proto") {
            let name = attr(n, "name").to_string();
            let count = seen.entry(name.clone()).or_default();
            ids.insert(n.id(), (name, *count));
            *count += 1;
        } else if n.has_tag_name("field") && !matches!(attr(n, "name"), "" | "filtered") {
            let proto = n.ancestors().find(|a| a.has_tag_name("proto")).unwrap();
            let group = out.entry(ids[&proto.id()].clone()).or_default();
            group.entry(attr(n, "name").to_string()).or_default().push(n);
        }
    }
    out
}

/// Whether the protocol element of `group` left its subtree out (`-J`, `-j`).
fn proto_filtered(packet: Node, group: &(String, usize)) -> bool {
    let proto = packet.descendants().filter(|n| n.has_tag_name("proto") && attr(*n, "name") == group.0).nth(group.1);
    proto.is_some_and(|p| {
        p.children().any(|c| c.has_tag_name("field") && attr(c, "name") == "filtered" && attr(c, "value") == group.0)
    })
}

/// Compares one packet's fields with tshark's: every field name both have in the same protocol
/// element, occurrence by occurrence (show, size, the bytes, the position of what has bytes).
fn compare(at: &str, ours: Node, theirs: Node, skip: &[&str], compared: &mut usize, failures: &mut Vec<String>) {
    let (og, tg) = (groups(ours), groups(theirs));
    for (group, tfields) in &tg {
        let Some(ofields) = og.get(group) else { continue };
        if proto_filtered(ours, group) != proto_filtered(theirs, group) {
            failures.push(format!("{at} {group:?}: filtered here {}", proto_filtered(ours, group)));
        }
        for (name, tlist) in tfields {
            let Some(olist) = ofields.get(name) else { continue };
            if NOT_TSHARKS.contains(&name.as_str()) || skip.contains(&name.as_str()) || name.starts_with("_ws.") {
                continue;
            }
            if olist.len() != tlist.len() {
                failures.push(format!("{at} {name}: {} occurrences, tshark {}", olist.len(), tlist.len()));
                continue;
            }
            for (o, t) in olist.iter().zip(tlist) {
                // A bit field's value is tshark's masked number; its bytes are `unmaskedvalue`.
                let tbytes = t.attribute("unmaskedvalue").or(t.attribute("value"));
                let mut pairs = vec![("show", attr(*o, "show"), attr(*t, "show"))];
                // A node without bytes has no value; its position is where tshark's dissector
                // happened to be.
                if !BYTES_ELSEWHERE.contains(&name.as_str()) {
                    pairs.push(("size", attr(*o, "size"), attr(*t, "size")));
                }
                if attr(*t, "size") != "0" && !BYTES_ELSEWHERE.contains(&name.as_str()) {
                    pairs.push(("value", o.attribute("value").unwrap_or(""), tbytes.unwrap_or("")));
                    pairs.push(("pos", attr(*o, "pos"), attr(*t, "pos")));
                }
                for (what, ov, tv) in pairs {
                    if ov != tv {
                        let cut = |v: &str| v.chars().take(40).collect::<String>();
                        failures.push(format!("{at} {name} {what}: {:?}, tshark {:?}", cut(ov), cut(tv)));
                    }
                    *compared += 1;
                }
            }
        }
    }
}

/// Every packet's general information is tshark's; every field tshark also writes in the same
/// protocol has tshark's value, size, bytes and position, more than 150 000 of them; `-J` and
/// `-j` leave out the subtrees of the same protocols. Each capture is read whole, a damaged one
/// up to the damage, and the document closes as tshark's does.
#[test]
fn pdml_is_tsharks() {
    if !common::tshark_oracle() {
        return;
    }
    let mut compared = 0;
    let mut failures = Vec::new();
    for path in shipped_captures() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let runs: [&[&str]; 3] = [&[], &["-J", "ip udp"], &["-j", "ip ip.src udp"]];
        for args in runs {
            let (o, t) = (ours(args, &path), theirs(args, &path));
            if t.is_empty() {
                assert!(name == "damaged-bad-magic.pcap", "{name}: tshark wrote nothing");
                continue;
            }
            assert_eq!(o.ends_with("</pdml>\n"), t.ends_with("</pdml>\n"), "{name}");
            let (od, td) = (Document::parse(&o).unwrap(), Document::parse(&t).unwrap());
            let head = |d: &Document| {
                let r = d.root_element();
                (r.tag_name().name().to_string(), attr(r, "version").to_string(), attr(r, "capture_file").to_string())
            };
            assert_eq!(head(&od), head(&td), "{name}");
            assert!(attr(od.root_element(), "creator").starts_with("udpdissect/"));
            let (op, tp) = (packets(&od), packets(&td));
            assert_eq!(op.len(), tp.len(), "{name} {args:?}: packets");
            for (i, (o, t)) in op.iter().zip(&tp).enumerate() {
                let at = format!("{name} {args:?} packet {}", i + 1);
                let geninfo = |p: &Node| {
                    let g = p.first_element_child().unwrap();
                    let fields = g.children().filter(|f| f.is_element());
                    fields
                        .map(|f| f.attributes().map(|a| format!("{}={}", a.name(), a.value())).collect::<Vec<_>>())
                        .collect::<Vec<_>>()
                };
                assert_eq!(geninfo(o), geninfo(t), "{at}: general information");
                // tshark 4.0 names a later pcapng section's interfaces after the first's, and
                // takes a delta after a frame without a timestamp from the epoch.
                let skip: &[&str] = if name == "format-multi.pcapng" {
                    &["frame.interface_name", "frame.time_delta", "frame.time_delta_displayed"]
                } else {
                    &[]
                };
                compare(&at, *o, *t, skip, &mut compared, &mut failures);
            }
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures[..failures.len().min(30)].join("\n"));
    assert!(compared > 150_000, "{compared} values compared");
}

/// The field elements named `name` in a packet's protocol element `proto`.
fn fields<'a, 'i>(packet: Node<'a, 'i>, proto: &str, name: &str) -> Vec<Node<'a, 'i>> {
    let p = packet.children().find(|n| n.has_tag_name("proto") && attr(*n, "name") == proto);
    p.map(|p| p.descendants().filter(|n| n.has_tag_name("field") && attr(*n, "name") == name).collect())
        .unwrap_or_default()
}

/// Our protocols are protocol elements with their fields; a finding is an `_ws.expert` field in
/// its protocol (its tag, message, severity and group as tshark writes expert infos); an alias is a
/// hidden field beside each member; an ICMP error's quoted headers are protocols inside ICMP;
/// the end of the capture's findings follow the last packet; the document is well-formed XML
/// whatever the messages hold.
#[test]
fn pdml_holds_the_protocols_and_their_findings() {
    let text = ours(&[], Path::new("captures/heartbeat.pcap"));
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"));
    let doc = Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!((attr(root, "version"), attr(root, "capture_file")), ("0", "captures/heartbeat.pcap"));
    // `Wed Nov 25 18:53:47 2026`: when the document was written, as tshark's ctime.
    let time = attr(root, "time");
    assert!(time.len() == 24 && time.as_bytes()[3] == b' ' && time[20..].parse::<u32>().is_ok(), "{time}");
    let second = packets(&doc)[1];
    let names: Vec<&str> = second.children().filter(|n| n.is_element()).map(|n| attr(n, "name")).collect();
    assert_eq!(names, ["geninfo", "frame", "eth", "ip", "udp", "heartbeat"]);
    let uid = fields(second, "heartbeat", "heartbeat.uid")[0];
    assert_eq!((attr(uid, "show"), attr(uid, "value")), ("1122334455667", "73b7585005010000"));
    assert_eq!(attr(uid, "showname"), "UID: 1122334455667");
    assert_eq!((attr(uid, "pos"), attr(uid, "size")), ("42", "8"));
    let padding = fields(second, "heartbeat", "heartbeat.padding")[0];
    assert_eq!((attr(padding, "show"), attr(padding, "value")), ("00:00:00:00:00:00:00:00", "0000000000000000"));
    let expert = fields(second, "heartbeat", "_ws.expert")[0];
    assert!(attr(expert, "showname").starts_with("Expert Info (Warning/Sequence): no beat from 10.20.30.42:37415"));
    let inner: Vec<(&str, &str)> =
        expert.children().filter(|n| n.is_element()).map(|n| (attr(n, "name"), attr(n, "show"))).collect();
    assert_eq!(inner[0], ("heartbeat.reply_without_request", ""));
    assert_eq!(inner[1].0, "_ws.expert.message");
    assert!(inner[1].1.starts_with("no beat from"));
    assert_eq!(inner[2], ("_ws.expert.severity", "6291456"));
    assert_eq!(inner[3], ("_ws.expert.group", "33554432"));
    let addr: Vec<(&str, &str)> =
        fields(second, "ip", "ip.addr").iter().map(|n| (attr(*n, "show"), attr(*n, "hide"))).collect();
    assert_eq!(addr, [("172.16.202.201", "yes"), ("10.20.30.42", "yes")]);
    let df = fields(second, "ip", "ip.flags.df")[0];
    assert_eq!(attr(df, "show"), "1");
    // IPv6's copy of ip.version, hidden beside ipv6.version as tshark writes it.
    let v6 = ours(&["-c", "1"], Path::new("captures/link-ipv6.pcap"));
    let doc6 = Document::parse(&v6).unwrap();
    let copy = fields(packets(&doc6)[0], "ipv6", "ip.version")[0];
    assert_eq!((attr(copy, "showname"), attr(copy, "show"), attr(copy, "hide")), ("Version: 6", "6", "yes"));

    // The end of the capture's findings, in an element after the last packet.
    let icmp = ours(&[], Path::new("captures/icmp.pcap"));
    let doc = Document::parse(&icmp).unwrap();
    let end = doc.root_element().last_element_child().unwrap();
    assert!(end.has_tag_name("end_of_capture"));
    let tags: Vec<&str> = end.descendants().filter(|n| n.has_tag_name("field")).map(|n| attr(n, "name")).collect();
    assert!(tags.contains(&"heartbeat.no_reply"), "{tags:?}");
    // An ICMP error's quoted headers.
    let quoted = packets(&doc).into_iter().find_map(|p| {
        let icmp = p.children().find(|n| attr(*n, "name") == "icmp")?;
        icmp.children().find(|n| n.has_tag_name("proto") && attr(*n, "name") == "udp")
    });
    let udp = quoted.expect("a quoted UDP header");
    assert!(udp.children().any(|n| attr(n, "name") == "udp.srcport"));

    // Several findings on one protocol, and Overte's packets typed.
    let buggy = ours(&[], Path::new("captures/overte-buggy-client.pcapng"));
    let doc = Document::parse(&buggy).unwrap();
    let packets = packets(&doc);
    assert!(packets.iter().any(|p| fields(*p, "overte", "_ws.expert").len() >= 2));
    assert!(fields(packets[3], "overte", "overte.duplicate").len() == 1, "the duplicate's tag");
    let typed = packets.iter().filter(|p| !fields(**p, "overte", "overte.type").is_empty()).count();
    assert!(typed >= 40, "{typed} Overte packets with a type");
}

/// `-J` writes whole the protocols it names and leaves out the others' subtrees; `-j` writes a
/// named protocol's fields and leaves out the subtrees of what it does not name (the findings'
/// node among them); `-x` and `-e` are refused, as tshark refuses them.
#[test]
fn pdml_picks_what_j_and_big_j_name() {
    let path = Path::new("captures/heartbeat.pcap");
    let big_j = ours(&["-J", "heartbeat"], path);
    let doc = Document::parse(&big_j).unwrap();
    let second = packets(&doc)[1];
    let filtered = |p: Node, proto: &str| proto_filtered(p, &(proto.to_string(), 0));
    assert!(filtered(second, "frame") && filtered(second, "ip") && filtered(second, "udp"));
    assert!(!filtered(second, "heartbeat"));
    assert_eq!(fields(second, "heartbeat", "_ws.expert.severity").len(), 1, "a named protocol's findings");
    let j = ours(&["-j", "ip heartbeat"], path);
    let doc = Document::parse(&j).unwrap();
    let second = packets(&doc)[1];
    assert!(filtered(second, "udp") && !filtered(second, "ip"));
    assert_eq!(attr(fields(second, "heartbeat", "heartbeat.uid")[0], "show"), "1122334455667");
    let expert = fields(second, "heartbeat", "_ws.expert")[0];
    let inner: Vec<&str> = expert.children().filter(|n| n.is_element()).map(|n| attr(n, "value")).collect();
    assert_eq!(inner, ["_ws.expert"], "the finding's subtree left out");
    let with_expert = ours(&["-j", "heartbeat _ws.expert"], path);
    assert!(with_expert.contains("name=\"_ws.expert.severity\""));
    for (args, says) in [
        (&["-T", "pdml", "-x"][..], "-x prints the bytes"),
        (&["-T", "psml", "-x"], "-T psml has no place"),
        (&["-T", "fields", "-e", "frame.number", "-x"], "-T fields has no place"),
        (&["-T", "pdml", "-e", "frame.number"], "-e applies to -T fields"),
    ] {
        let o = bin().args(args).arg(path).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
