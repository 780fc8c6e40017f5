//! tshark as an oracle: on every sample capture, the frame numbers, timestamps (to the
//! nanosecond), lengths, addresses, UDP ports and conversations (stream index and times)
//! udpdissect decodes must be the ones tshark shows, including for damaged files (the frames
//! before the damage) and reassembled datagrams.

mod common;

use common::shipped_captures;
use std::path::Path;
use std::process::Command;

const KEYS: &[&str] = &[
    "frame.number",
    "frame.time_epoch",
    "frame.len",
    "frame.cap_len",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "ip.dsfield",
    "ip.flags",
    "ipv6.tclass",
    "ipv6.flow",
    "udp.checksum.status",
    "udp.stream",
    "udp.time_relative",
    "udp.time_delta",
    "frame.time_delta",
];

fn columns(cmd: &mut Command) -> (Vec<String>, bool) {
    for k in KEYS {
        cmd.args(["-e", k]);
    }
    let o = cmd.args(["-T", "fields", "-E", "separator=|"]).output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    (text.lines().map(str::to_string).collect(), o.status.success())
}

/// tshark 4.0 takes `frame.time_delta` after a frame without a timestamp (a pcapng Simple
/// Packet Block) from the epoch, so it equals `frame.time_epoch`; udpdissect takes it from the
/// last frame with a timestamp (docs/fields.md). Where tshark's is that, ours stands.
fn delta_after_untimed_frames(theirs: &mut [String], ours: &[String]) {
    let at = |key: &str| KEYS.iter().position(|k| *k == key).unwrap();
    let (epoch, delta) = (at("frame.time_epoch"), at("frame.time_delta"));
    for i in 1..theirs.len().min(ours.len()) {
        let untimed_before = theirs[i - 1].split('|').nth(epoch) == Some("");
        let mut cols: Vec<&str> = theirs[i].split('|').collect();
        if untimed_before && cols.get(delta).is_some() && cols[delta] == cols[epoch] {
            let our_delta = ours[i].split('|').nth(delta).unwrap_or("").to_string();
            cols[delta] = &our_delta;
            theirs[i] = cols.join("|");
        }
    }
}

#[test]
fn every_capture_decodes_as_tshark_shows_it() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let mut compared = 0;
    let mut failures = Vec::new();
    // Captures only: the `.expected` regress files are text, and tshark guesses a format for
    // some of them (it read `overnet-swarm.pcap.expected` as one frame).
    let is_capture = |p: &std::path::Path| {
        p.extension().is_some_and(|e| ["pcap", "pcapng", "gz"].contains(&e.to_str().unwrap_or("")))
    };
    for path in names.iter().filter(|p| is_capture(p)) {
        let (mut theirs, their_ok) = columns(Command::new("tshark").args(["-n", "-r"]).arg(path));
        let (ours, our_ok) = columns(Command::new(env!("CARGO_BIN_EXE_udpdissect")).arg(path));
        delta_after_untimed_frames(&mut theirs, &ours);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if their_ok != our_ok {
            failures.push(format!("{name}: tshark exit ok={their_ok}, udpdissect exit ok={our_ok}"));
        }
        if theirs != ours {
            let first = theirs.iter().zip(&ours).position(|(a, b)| a != b).unwrap_or(theirs.len().min(ours.len()));
            failures.push(format!(
                "{name}: {} frames from tshark, {} from udpdissect; first difference at line {}:\n  tshark:     {:?}\n  udpdissect: {:?}",
                theirs.len(),
                ours.len(),
                first + 1,
                theirs.get(first),
                ours.get(first)
            ));
        }
        compared += 1;
    }
    assert!(compared >= 10, "compared only {compared} captures");
    assert!(
        failures.is_empty(),
        "{} of {compared} captures differ from tshark ({}):\n{}",
        failures.len(),
        KEYS.join("|"),
        failures.join("\n")
    );
}

/// Slices, functions, masks and arithmetic over the layers both tools decode alike (frame, Ethernet, IP,
/// UDP): each filter must keep the frames tshark keeps. (Not compared: a slice that falls
/// outside its field, which tshark 4.0 treats as present for `!=`; see docs/filters.md.)
#[test]
fn slices_functions_and_masks_keep_the_frames_tshark_keeps() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    const FILTERS: &[&str] = &[
        "frame[0:6] == ff:ff:ff:ff:ff:ff",
        "frame[12:2] == 08:00 && frame[14] & 0xf0 == 0x40",
        "frame[-1:] == 00",
        "frame[42,43] == e3:96",
        "eth.src[0] & 0x02",
        "eth.dst[0:3] == eth.src[0:3]",
        "ip.src[0] == 0x0a",
        "ip.dst[0:2] == c0:a8",
        "ipv6.dst[-1] == 0x01",
        "ip[0] & f0 == 40",
        "udp[0:2] == udp[2:2]",
        "len(frame) > 100",
        "len(ipv6.src) == 16",
        "count(ip.src) == 1",
        "string(udp.srcport) matches \"5$\"",
        "udp.srcport & 0x1 == 1",
        "max(udp.srcport, udp.dstport) > 5000",
        "udp.payload[0] == e3",
        "len(udp.payload) > 30 && udp.payload[0:2] != udp.payload[2:2]",
        "udp.dstport >= udp.srcport + 1",
        "frame.len - udp.length == 34",
        "{udp.srcport % 10} * 4 > 20 && udp.length / 2 < 40 && udp.srcport -1 > 3000",
        // The headers an ICMP error quotes are second occurrences of ip, ipv6 and udp.
        "ip[9] == 11",
        "len(udp) == 8 && icmp",
        "count(ip.src) == 2 && ip.ttl == 1",
        "icmp[0] == 3 && icmp.checksum.status == 1",
        "icmp.code == 4 && icmp.mtu < 1500",
        "icmpv6.type == 2 && icmpv6.mtu == 1280",
        "icmpv6.echo.identifier == 0x0a0b && icmpv6.echo.sequence_number == 7",
        "icmp.ident == 19498 && icmp.seq == 1",
        "ipv6.hlim == 1 && udp.dstport == 3335",
        "len(icmp) > 40 || len(icmpv6) > 100",
        "udp.payload[0:4] == cb:04:fb:71 && icmp",
        // The layer operator.
        "ip.src#2 == 172.16.202.201",
        "ip.dst#1 == 10.20.30.40 && ip#2",
        "ip.src#1 == ip.dst#2",
        "udp.port#[1-2] == 3335",
        "ip.src#[2:1] == 10.20.30.40 && ip.ttl#2 == 1",
        "ipv6.src#2 == 2001:db8:20:30::40",
        "count(ip.src#2) == 1 && len(ip#2) == 20",
        "udp.payload#1[0] == cb",
        // `contains` and `matches` on a protocol search what it carries; slices and len() do not.
        "udp contains cb:04",
        "ip contains 9c:a4 && !(udp[8:2] == 9c:a4)",
        "eth contains cb:04 && len(udp) == 8",
        "ipv6 contains cb:04",
        "udp matches \"\\x01\\x00\"",
        // A pattern that is not UTF-8 matches byte by byte.
        "udp matches \"^.{8}\\xe3[\\x00-\\x20]\"",
        // Dates as tshark prints frame.time (both runs in UTC), the delta from the previous
        // frame shown, and the layers' names.
        "frame.time >= \"Mar  2, 2026 08:00:03.5\" && frame.time < \"mar 2, 2026 08:05:00\"",
        "frame.time == \"Mar  2, 2026 08:02:00.002719000 UTC\"",
        // (No frame is shown before the first that passes: each delta is 0 until one does.)
        "frame.time_delta_displayed == 0 || frame.time_delta_displayed > 4",
        "udp.length < 60 && frame.time_delta_displayed < 0.2",
        "frame.protocols contains \"ipv6\" || frame.protocols matches \"^eth:ethertype:ip:icmp\"",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let captures = ["heartbeat.pcap", "overnet-family.pcap", "link-ipv6.pcap", "overte-session.pcapng", "icmp.pcap"];
    let frames = |cmd: &mut Command, filter: &str| {
        let o = cmd.args(["-Y", filter, "-T", "fields", "-e", "frame.number"]).output().unwrap();
        assert!(o.status.success(), "{filter}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    // Two hundred tshark runs, most of this test's time: spread over the cores.
    let runs: Vec<(&str, &str)> = FILTERS.iter().flat_map(|&f| captures.map(|c| (f, c))).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(&str, &str, String, String)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..std::thread::available_parallelism().map_or(2, |n| n.get()))
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(&(filter, name)) = runs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        let path = dir.join(name);
                        let theirs =
                            frames(Command::new("tshark").env("TZ", "UTC").args(["-n", "-r"]).arg(&path), filter);
                        let ours = frames(Command::new(env!("CARGO_BIN_EXE_udpdissect")).arg("-r").arg(&path), filter);
                        done.push((filter, name, theirs, ours));
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(results.len(), runs.len());
    let mut failures = Vec::new();
    for filter in FILTERS {
        let mut kept = 0;
        for (_, name, theirs, ours) in results.iter().filter(|r| r.0 == *filter) {
            if theirs != ours {
                failures.push(format!("{filter} on {name}: tshark keeps {theirs:?}, udpdissect {ours:?}"));
            }
            kept += theirs.lines().count();
        }
        assert!(kept > 0, "{filter} keeps no frame of {captures:?}: it tests nothing");
    }
    // `-e udp.payload` prints the bytes as tshark does, reassembled, cut short by the snap
    // length, and quoted in ICMP errors.
    for name in [
        "heartbeat.pcap",
        "icmp.pcap",
        "overnet-family.pcap",
        "overte-session.pcapng",
        "link-ipv6.pcap",
        "fragments.pcap",
        "format-snaplen.pcap",
        "link-ethernet-vlan.pcap",
    ] {
        let path = dir.join(name);
        let column = |cmd: &mut Command| {
            let o = cmd.args(["-T", "fields", "-e", "udp.payload"]).output().unwrap();
            String::from_utf8(o.stdout).unwrap()
        };
        let theirs = column(Command::new("tshark").args(["-n", "-r"]).arg(&path));
        let ours = column(Command::new(env!("CARGO_BIN_EXE_udpdissect")).arg("-r").arg(&path));
        if theirs != ours {
            failures.push(format!("-e udp.payload on {name}: tshark {theirs:?}, udpdissect {ours:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// ICMP and ICMPv6: types, codes, checksums and their status (one damaged), echo identifiers,
/// an echo reply's request and response time, MTUs, and the IP and UDP headers an error quotes
/// print as tshark prints them.
#[test]
fn icmp_fields_print_as_tshark_prints_them() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    const FIELDS: &[&str] = &[
        "icmp.type",
        "icmp.code",
        "icmp.checksum",
        "icmp.checksum.status",
        "icmp.ident",
        "icmp.seq",
        "icmp.mtu",
        "icmp.resp_to",
        "icmp.resptime",
        "icmpv6.type",
        "icmpv6.code",
        "icmpv6.checksum",
        "icmpv6.checksum.status",
        "icmpv6.mtu",
        "icmpv6.echo.identifier",
        "icmpv6.echo.sequence_number",
        "icmpv6.resp_to",
        "icmpv6.resptime",
        "ip.ttl",
        "ip.proto",
        "ip.len",
        "ipv6.hlim",
        "udp.checksum",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut failures = Vec::new();
    for name in ["icmp.pcap", "heartbeat.pcap"] {
        let path = dir.join(name);
        // tshark 4.0 spells the info column `_ws.col.Info`; udpdissect takes both spellings.
        let column = |cmd: &mut Command| {
            cmd.args(["-Y", "icmp || icmpv6", "-T", "fields", "-E", "separator=|"]);
            for f in FIELDS.iter().chain(&["_ws.col.Info"]) {
                cmd.args(["-e", f]);
            }
            let o = cmd.output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            String::from_utf8(o.stdout).unwrap()
        };
        let theirs = column(Command::new("tshark").args(["-n", "-r"]).arg(&path));
        let ours = column(Command::new(env!("CARGO_BIN_EXE_udpdissect")).arg("-r").arg(&path));
        assert!(theirs.lines().count() >= 1, "{name} has no ICMP");
        if name == "icmp.pcap" {
            assert!(theirs.contains("(request in 3)") && theirs.contains("(request in 18)"), "{theirs}");
        }
        for (t, o) in theirs.lines().zip(ours.lines()) {
            // udpdissect's info names the quoted datagram's protocol and ends after tshark's text.
            let o = o.rfind(" for ").filter(|&i| o[i..].contains('→')).map_or(o, |i| &o[..i]);
            if t != o {
                failures.push(format!("{name}:\n  tshark     {t}\n  udpdissect {o}"));
            }
        }
        if theirs.lines().count() != ours.lines().count() {
            failures.push(format!(
                "{name}: tshark {} ICMP frames, udpdissect {}",
                theirs.lines().count(),
                ours.lines().count()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `-z io,stat,N,COLUMN,...`: filter columns (frames and bytes) and COUNT, SUM, MIN, MAX and
/// AVG columns over the layers both tools decode alike give tshark's numbers, interval by
/// interval.
#[test]
fn io_stat_columns_count_as_tshark_counts() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let cases = [
        (
            "heartbeat.pcap",
            "io,stat,60,udp.srcport==3335,ip,COUNT(udp.length)udp.length,SUM(udp.length)udp.length,MAX(frame.len)frame.len,MIN(udp.srcport)udp,AVG(udp.length)udp.length",
        ),
        // tshark builds a function's field only when a filter names it, hence the repeats.
        (
            "overte-session.pcapng",
            "io,stat,1,MAX(udp.dstport)udp.dstport,SUM(frame.len)frame.len && udp.payload[0] == 0x00,COUNT(ip.src)ip.src,AVG(frame.len)frame.len,udp.payload[0] == 0x00",
        ),
    ];
    for (name, spec) in cases {
        let path = dir.join(name);
        let o = Command::new("tshark").args(["-n", "-q", "-r"]).arg(&path).args(["-z", spec]).output().unwrap();
        let text = String::from_utf8(o.stdout).unwrap();
        let theirs: Vec<Vec<i64>> = text
            .lines()
            .filter(|l| l.contains("<>"))
            .map(|l| l.split('|').skip(2).filter_map(|c| c.trim().parse().ok()).collect())
            .collect();
        let o = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
            .args(["stats", "-T", "json", "-z", spec])
            .arg(&path)
            .output()
            .unwrap();
        assert!(o.status.success(), "{spec}: {}", String::from_utf8_lossy(&o.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let ours: Vec<Vec<i64>> = doc["tables"][0]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row.as_array().unwrap()[5..].iter().map(|c| c.as_i64().unwrap()).collect())
            .collect();
        assert!(theirs.len() > 2 && theirs.iter().all(|r| r.len() == ours[0].len()), "{name}: tshark printed\n{text}");
        assert_eq!(ours, theirs, "{name}: {spec}");
    }
}

/// `-z conv,udp,FILTER`: the conversations tshark lists for the frames the filter keeps, with
/// their total frames and bytes; several such tables in one run (tshark prints them last asked
/// first, udpdissect in the order asked), and one without a filter beside them.
#[test]
fn filtered_conversations_are_tsharks() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    type Rows = Vec<(String, u64, u64)>;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    for (name, filters) in [
        ("overte-session.pcapng", ["ip.addr==203.0.113.10 && udp.port!=48001", "udp.length > 100"]),
        ("heartbeat.pcap", ["udp.srcport==3335 || ip.src==10.20.30.41", "frame.len < 55"]),
    ] {
        let path = dir.join(name);
        let specs: Vec<String> =
            filters.iter().map(|f| format!("conv,udp,{f}")).chain(["conv,udp".to_string()]).collect();
        let z: Vec<&str> = specs.iter().flat_map(|s| ["-z", s.as_str()]).collect();
        let o = Command::new("tshark").args(["-n", "-q", "-r"]).arg(&path).args(&z).output().unwrap();
        // Per table, "Filter:F" then "A <-> B  frames bytes bytes ...": the pair (in order),
        // total frames and bytes.
        let mut theirs: Vec<(String, Rows)> = Vec::new();
        for l in String::from_utf8(o.stdout).unwrap().lines() {
            if let Some(f) = l.strip_prefix("Filter:") {
                let spec = if f == "<No Filter>" { "conv,udp".to_string() } else { format!("conv,udp,{f}") };
                theirs.push((spec, Vec::new()));
            } else if l.contains("<->") {
                let w: Vec<&str> = l.split_whitespace().collect();
                let mut pair = [w[0], w[2]];
                pair.sort();
                let row = (pair.join(" "), w[9].parse().unwrap(), w[10].parse().unwrap());
                theirs.last_mut().expect("a table's rows after its filter").1.push(row);
            }
        }
        let doc = stats_json(&path, &z);
        let ours: Vec<(String, Rows)> = doc["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let rows = t["rows"].as_array().unwrap().iter().map(|r| {
                    let mut pair = [r[0].as_str().unwrap(), r[1].as_str().unwrap()];
                    pair.sort();
                    (pair.join(" "), r[6].as_u64().unwrap(), r[7].as_u64().unwrap())
                });
                (t["name"].as_str().unwrap().to_string(), rows.collect())
            })
            .collect();
        assert_eq!(ours.iter().map(|t| &t.0).collect::<Vec<_>>(), specs.iter().collect::<Vec<_>>());
        theirs.reverse();
        assert_eq!(theirs.len(), specs.len(), "{name}: tshark printed {theirs:?}");
        for ((spec, mut ours), (their_spec, mut theirs)) in ours.into_iter().zip(theirs) {
            assert_eq!(spec, their_spec);
            theirs.sort();
            ours.sort();
            assert!(!theirs.is_empty(), "{spec} on {name}: tshark lists nothing");
            assert_eq!(ours, theirs, "{spec} on {name}");
        }
    }
}

/// Every field of the layers below the protocols (frame, link, IP, UDP, TCP, ARP, ICMP) that
/// tshark also has prints as tshark prints it, on every shipped capture: one tshark run per
/// capture with every such field as a column. Left out, each a difference docs/capture.md
/// states:
const NOT_TSHARKS: &[(&str, &str)] = &[
    ("frame.link_type", "udpdissect's own; tshark has no field by this name"),
    ("frame.protocols", "names the protocol tshark calls data (compared with that rule below)"),
    ("vlan.tpid", "udpdissect's own"),
    ("sll.version", "udpdissect's own"),
    ("ip.fragments", "a node here; tshark gives the reassembled bytes"),
    ("ipv6.fragments", "as ip.fragments"),
    ("ipv6.fraghdr", "a node with no value here; tshark prints its name"),
];

#[test]
fn every_lower_layer_field_prints_as_tshark_prints_it() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_udpdissect");
    let listed = Command::new(bin).arg("--list-fields").output().unwrap();
    let layers = [
        "frame",
        "eth",
        "vlan",
        "ieee8021ad",
        "ieee8021ah",
        "sll",
        "null",
        "ip",
        "ipv6",
        "udp",
        "tcp",
        "arp",
        "icmp",
        "icmpv6",
    ];
    let keys: Vec<String> = String::from_utf8(listed.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|k| k.split_once('.').is_some_and(|(layer, _)| layers.contains(&layer)))
        .filter(|k| NOT_TSHARKS.iter().all(|(n, _)| n != k))
        .map(str::to_string)
        .collect();
    assert!(keys.len() > 70, "{keys:?}");
    for required in [
        "udp.stream",
        "ip.dsfield",
        "eth.type",
        "icmp.resptime",
        "udp.payload",
        "ip.addr",
        "udp.port",
        "ip.version",
        "frame.interface_description",
        "frame.packet_flags_direction",
        "frame.drop_count",
        "frame.p2p_dir",
    ] {
        assert!(keys.iter().any(|k| k == required), "{required} is not compared");
    }
    let captures = shipped_captures();
    let columns = |cmd: &mut Command| {
        cmd.args(["-T", "fields", "-E", "separator=|"]);
        for k in &keys {
            cmd.args(["-e", k]);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let mut failures = Vec::new();
    for path in &captures {
        // frame.time is in the local time zone, in both.
        let theirs = columns(Command::new("tshark").env("TZ", "UTC").args(["-n", "-r"]).arg(path));
        let ours = columns(Command::new(bin).env("TZ", "UTC").arg("-r").arg(path));
        let name = path.file_name().unwrap().to_string_lossy();
        if theirs.lines().count() != ours.lines().count() {
            failures.push(format!(
                "{name}: {} frames from tshark, {} here",
                theirs.lines().count(),
                ours.lines().count()
            ));
        }
        let epoch = keys.iter().position(|k| k == "frame.time_epoch").unwrap();
        let section = keys.iter().position(|k| k == "frame.section_number").unwrap();
        let mut untimed_before = false;
        for (n, (t, o)) in theirs.lines().zip(ours.lines()).enumerate() {
            let their_epoch = t.split('|').nth(epoch).unwrap_or("");
            // tshark 4.0 names (and describes) a later section's interface after the first
            // section's interface of the same id; here it has the name and description its own
            // description block gives (docs/capture.md).
            let later_section = !matches!(t.split('|').nth(section), Some("" | "1"));
            for ((k, tv), ov) in keys.iter().zip(t.split('|')).zip(o.split('|')) {
                // The rule of delta_after_untimed_frames, for both deltas.
                let from_epoch = untimed_before && k.starts_with("frame.time_delta") && tv == their_epoch;
                let section_name =
                    later_section && matches!(k.as_str(), "frame.interface_name" | "frame.interface_description");
                if tv != ov && !from_epoch && !section_name {
                    failures.push(format!("{name} frame {}: {k}: tshark {tv:?}, udpdissect {ov:?}", n + 1));
                }
            }
            untimed_before = their_epoch.is_empty();
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures[..failures.len().min(30)].join("\n"));
}

/// `udpdissect stats -T json` with the `-z` arguments `z` on `path`: its document.
fn stats_json(path: &Path, z: &[&str]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .args(["stats", "-T", "json"])
        .args(z)
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// `frame.protocols` names every layer as tshark does, up to UDP; after it, where tshark names
/// a protocol of its own (`data`, or what its heuristics guess: `wg`, `stun`, `dns`), the
/// protocol that dissected the datagram here, and `overnet` where tshark says `edonkey`.
#[test]
fn frame_protocols_name_the_layers_tshark_names() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let captures = shipped_captures();
    let chains = |cmd: &mut Command| {
        let o = cmd.args(["-T", "fields", "-e", "frame.protocols"]).output().unwrap();
        String::from_utf8(o.stdout).unwrap().lines().map(str::to_string).collect::<Vec<_>>()
    };
    let split = |chain: &str| -> (String, Option<String>) {
        match chain.split_once(":udp:") {
            Some((below, app)) => (format!("{below}:udp"), Some(app.to_string())),
            None => (chain.to_string(), None),
        }
    };
    let mut compared = 0;
    for path in &captures {
        let theirs = chains(Command::new("tshark").args(["-n", "-r"]).arg(path));
        let ours = chains(Command::new(env!("CARGO_BIN_EXE_udpdissect")).arg("-r").arg(path));
        let name = path.file_name().unwrap().to_string_lossy();
        assert_eq!(theirs.len(), ours.len(), "{name}");
        for (n, (t, o)) in theirs.iter().zip(&ours).enumerate() {
            let ((t_below, t_app), (o_below, o_app)) = (split(t), split(o));
            assert_eq!(t_below, o_below, "{name} frame {}", n + 1);
            assert_eq!(t_app.is_some(), o_app.is_some(), "{name} frame {}: {t} and {o}", n + 1);
            if t_app.as_deref() == Some("edonkey") {
                assert_eq!(o_app.as_deref(), Some("overnet"), "{name} frame {}", n + 1);
            }
            if let Some(app) = &o_app {
                assert!(["data", "heartbeat", "eqstream", "overnet", "overte"].contains(&app.as_str()), "{o}");
            }
            compared += 1;
        }
    }
    assert!(compared > 400, "{compared}");
}

/// `-z conv,ip`, `conv,ipv6`, `conv,tcp` and `conv,eth`, and their `endpoints`, list the
/// address pairs and addresses tshark lists, with their frames and bytes, on every undamaged
/// shipped capture and on a generated capture of the four families with DNS and TCP between.
#[test]
fn ip_tcp_and_ethernet_conversations_and_endpoints_are_tsharks() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    const SPECS: [&str; 8] = [
        "conv,ip",
        "conv,ipv6",
        "endpoints,ip",
        "endpoints,ipv6",
        "conv,tcp",
        "endpoints,tcp",
        "conv,eth",
        "endpoints,eth",
    ];
    let z: Vec<&str> = SPECS.iter().flat_map(|s| ["-z", s]).collect();
    let dir = std::env::temp_dir().join(format!("udpdissect-oracle-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mixed = dir.join("mixed.pcap");
    udpdissect_samples::benchmark(20_000, std::fs::File::create(&mixed).unwrap()).unwrap();
    let mut wrong = Vec::new();
    let mut rows = [0usize; SPECS.len()];
    for path in shipped_captures().into_iter().chain([mixed]) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("damaged-") {
            continue;
        }
        // tshark's tables come last asked first; rows are "A <-> B  f b bytes  f b bytes  f b
        // bytes ..." (conversations: the pair, its total frames, and its total bytes when
        // printed as plain bytes) and "ADDR [PORT] frames bytes tx_f tx_b rx_f rx_b"
        // (endpoints; TCP's with the port in a column of its own, joined here as ours shows it).
        // Overnet on a random port may land on VXLAN's 4789, where tshark would count the
        // "inner" Ethernet header it reads into the payload: not a VXLAN capture, so off.
        let o = Command::new("tshark")
            .args(["-n", "-q", "--disable-protocol", "vxlan", "-r"])
            .arg(&path)
            .args(&z)
            .output()
            .unwrap();
        let mut theirs: Vec<Vec<Vec<String>>> = Vec::new();
        for l in String::from_utf8(o.stdout).unwrap().lines() {
            let w: Vec<&str> = l.split_whitespace().collect();
            let is_addr =
                |s: &str| s.parse::<std::net::IpAddr>().is_ok() || (s.len() == 17 && s.matches(':').count() == 5);
            if l.starts_with("Filter:") {
                theirs.push(Vec::new());
            } else if w.get(1) == Some(&"<->") {
                let mut pair = [w[0], w[2]];
                pair.sort();
                let bytes = if w[11] == "bytes" { w[10] } else { "" };
                let row = vec![pair.join(" "), w[9].to_string(), bytes.to_string()];
                theirs.last_mut().unwrap().push(row);
            } else if w.len() == 7 && is_addr(w[0]) {
                theirs.last_mut().unwrap().push(w.iter().map(|s| s.to_string()).collect());
            } else if w.len() == 8 && is_addr(w[0]) {
                let ip: std::net::IpAddr = w[0].parse().unwrap();
                let addr = std::net::SocketAddr::new(ip, w[1].parse().unwrap()).to_string();
                theirs
                    .last_mut()
                    .unwrap()
                    .push([addr].into_iter().chain(w[2..].iter().map(|s| s.to_string())).collect());
            }
        }
        theirs.reverse();
        let doc = stats_json(&path, &z);
        let tables = doc["tables"].as_array().unwrap();
        assert_eq!(tables.len(), SPECS.len());
        assert_eq!(theirs.len(), SPECS.len(), "{name}: tshark printed {theirs:?}");
        for (i, ((t, spec), mut theirs)) in tables.iter().zip(SPECS).zip(theirs).enumerate() {
            assert_eq!(t["name"], spec);
            let text = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
            let mut ours: Vec<Vec<String>> = t["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let r = r.as_array().unwrap();
                    if spec.starts_with("conv") {
                        let mut pair = [text(&r[0]), text(&r[1])];
                        pair.sort();
                        let theirs_bytes = theirs.iter().find(|t| t[0] == pair.join(" ")).map(|t| t[2].clone());
                        let bytes = if theirs_bytes.as_deref() == Some("") { String::new() } else { text(&r[7]) };
                        vec![pair.join(" "), text(&r[6]), bytes]
                    } else {
                        r.iter().map(text).collect()
                    }
                })
                .collect();
            ours.sort();
            theirs.sort();
            rows[i] += ours.len();
            // tshark's IPv6 tap sees a fragmented datagram once, in the frame that completes
            // it; here every frame counts, as tshark counts IPv4 fragments (docs/stats.md).
            let ipv6_fragments = name == "fragments.pcap" && spec.ends_with("ipv6");
            if ours != theirs && !ipv6_fragments {
                let only = |a: &[Vec<String>], b: &[Vec<String>]| -> Vec<Vec<String>> {
                    a.iter().filter(|r| !b.contains(r)).take(10).cloned().collect()
                };
                wrong.push(format!(
                    "{spec} on {name}: only ours {:?}, only tshark's {:?}",
                    only(&ours, &theirs),
                    only(&theirs, &ours)
                ));
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every table had rows to compare somewhere.
    assert!(rows.iter().all(|&n| n > 0), "rows per table: {rows:?}");
}

/// Keys of the lower layers that tshark does not have (docs/capture.md, "Fields against tshark").
const OWN_LAYER_KEYS: &[&str] = &["frame.link_type", "vlan.tpid", "sll.version"];

#[test]
fn lower_layer_keys_are_tsharks_under_the_same_protocol() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let glossary = |cmd: &mut Command| -> Vec<(String, String)> {
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                // A sub-protocol (ipv6.fraghdr) is a P line: its own parent.
                match cols[0] {
                    "F" => Some((cols[2].to_string(), cols[4].to_string())),
                    "P" => Some((cols[2].to_string(), cols[2].to_string())),
                    _ => None,
                }
            })
            .collect()
    };
    let theirs: std::collections::HashMap<String, String> =
        glossary(Command::new("tshark").args(["-G", "fields"])).into_iter().collect();
    let ours = glossary(Command::new(env!("CARGO_BIN_EXE_udpdissect")).args(["-G", "fields"]));
    let layers = ["frame", "eth", "vlan", "sll", "ip", "ipv6", "udp", "tcp", "icmp", "icmpv6", "arp"];
    let mut compared = 0;
    for (key, parent) in ours.iter().filter(|(k, p)| k != p && layers.contains(&p.as_str())) {
        if OWN_LAYER_KEYS.contains(&key.as_str()) {
            assert!(!theirs.contains_key(key), "{key} is tshark's now: drop it from OWN_LAYER_KEYS");
            continue;
        }
        // tshark's parent may be a sub-protocol under ours (ipv6.fraghdr.ident's is ipv6.fraghdr).
        let theirs = theirs.get(key).unwrap_or_else(|| panic!("{key} is not tshark's"));
        assert!(theirs == parent || theirs.starts_with(&format!("{parent}.")), "{key}: {theirs}, ours {parent}");
        compared += 1;
    }
    assert!(compared > 100, "only {compared} keys compared");
}

/// `-z phs` counts the frames and bytes tshark's `-z io,phs` counts in every layer, on every
/// shipped capture and the generated mix: the layers tshark names, up to what UDP or TCP
/// carries. That layer is compared by its frames and bytes alone, as its names differ by
/// design: ours where tshark has no dissector (`heartbeat`, `overte`, `eqstream` for its
/// `data`), `data` for what it guesses (`dns`, `tls`), `overnet` wherever that family is, where
/// tshark says `edonkey` on the family's ports (checked too) and `data` on others. Below that
/// layer and below ICMP tshark's rows are its own (`edonkey.unparsed`, an ICMP error's quote),
/// as are its `_ws.short` and `_ws.malformed`, whose frames count in the layers above them here
/// as there.
#[test]
fn the_protocol_hierarchy_counts_as_tsharks() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    type Tree = std::collections::BTreeMap<String, (u64, u64)>;
    // The path a row keeps in the comparison, with what UDP carries named as both can agree.
    let kept = |path: &[&str]| -> Option<String> {
        let mut out: Vec<&str> = Vec::new();
        for (i, name) in path.iter().enumerate() {
            if name.starts_with("_ws.") || (i > 0 && ["icmp", "icmpv6"].contains(&path[i - 1])) {
                return None;
            }
            if i > 0 && ["udp", "tcp"].contains(&path[i - 1]) {
                out.push(if ["edonkey", "overnet"].contains(name) { "overnet" } else { "*" });
                return (i + 1 == path.len()).then(|| out.join(":"));
            }
            out.push(name);
        }
        Some(out.join(":"))
    };
    let add = |tree: &mut Tree, path: &[&str], frames: u64, bytes: u64| {
        if let Some(p) = kept(path) {
            let row = tree.entry(p).or_default();
            row.0 += frames;
            row.1 += bytes;
        }
    };
    let dir = std::env::temp_dir().join(format!("udpdissect-oracle-phs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mixed = dir.join("mixed.pcap");
    udpdissect_samples::benchmark(20_000, std::fs::File::create(&mixed).unwrap()).unwrap();
    let (mut wrong, mut compared) = (Vec::new(), 0);
    for path in shipped_captures().into_iter().chain([mixed]) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        // Rows "  ip      frames:12 bytes:750", two spaces a level.
        let o = Command::new("tshark").args(["-n", "-q", "-z", "io,phs", "-r"]).arg(&path).output().unwrap();
        let mut theirs = Tree::new();
        let mut at: Vec<String> = Vec::new();
        for l in String::from_utf8(o.stdout).unwrap().lines() {
            let w: Vec<&str> = l.split_whitespace().collect();
            let [proto, frames, bytes] = w[..] else { continue };
            let (Some(frames), Some(bytes)) = (frames.strip_prefix("frames:"), bytes.strip_prefix("bytes:")) else {
                continue;
            };
            at.truncate((l.len() - l.trim_start().len()) / 2);
            at.push(proto.to_string());
            let p: Vec<&str> = at.iter().map(String::as_str).collect();
            add(&mut theirs, &p, frames.parse().unwrap(), bytes.parse().unwrap());
        }
        let o = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
            .args(["stats", "-T", "json", "-z", "phs"])
            .arg(&path)
            .output()
            .unwrap();
        let mut ours = Tree::new();
        if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&o.stdout) {
            for r in doc["tables"][0]["rows"].as_array().unwrap() {
                let p: Vec<&str> = r[0].as_str().unwrap().split(':').skip(1).collect();
                if let Some(at) = p.iter().position(|l| *l == "udp").filter(|at| at + 2 == p.len()) {
                    assert!(
                        ["data", "heartbeat", "overte", "eqstream", "overnet"].contains(&p[at + 1]),
                        "{name}: {p:?}"
                    );
                }
                if !p.is_empty() {
                    add(&mut ours, &p, r[1].as_u64().unwrap(), r[3].as_u64().unwrap());
                }
            }
        }
        // tshark's eDonkey frames are among ours; then what UDP carries, whatever its name.
        for (p, (frames, _)) in theirs.iter().filter(|(p, _)| p.ends_with(":overnet")) {
            let our_frames = ours.get(p).map_or(0, |r| r.0);
            if our_frames < *frames {
                wrong.push(format!("{name}: {p}: {our_frames} frames here, {frames} in tshark's edonkey"));
            }
        }
        for tree in [&mut ours, &mut theirs] {
            let family: Vec<(String, (u64, u64))> =
                tree.iter().filter(|(p, _)| p.ends_with(":overnet")).map(|(p, r)| (p.clone(), *r)).collect();
            for (p, (frames, bytes)) in family {
                tree.remove(&p);
                let row = tree.entry(p.replace(":overnet", ":*")).or_default();
                row.0 += frames;
                row.1 += bytes;
            }
        }
        if ours != theirs {
            wrong.push(format!("{name}: ours {ours:?}\n  tshark's {theirs:?}"));
        }
        compared += ours.len();
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(compared > 150, "{compared} rows");
}

/// `-T json -e` and `-T ndjson -e` write tshark's `-T json -e` records (`_index` by the frame's
/// date, `_source.layers` with each key's values as strings, a key without one left out), the
/// same as tshark's on every undamaged shipped capture, for keys both decode alike; with
/// `-E occurrence=f` too.
#[test]
fn json_columns_are_tsharks() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    const COLUMNS: [&str; 12] = [
        "frame.number",
        "frame.time_epoch",
        "frame.len",
        "eth.src",
        "ip.src",
        "ip.addr",
        "ipv6.dst",
        "udp.srcport",
        "udp.dstport",
        "udp.length",
        "udp.stream",
        "ip.flags",
    ];
    let e: Vec<&str> = COLUMNS.iter().flat_map(|k| ["-e", k]).collect();
    let mut compared = 0;
    for path in shipped_captures() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("damaged-") {
            continue;
        }
        for extra in [&[][..], &["-E", "occurrence=f"][..]] {
            let o =
                Command::new("tshark").args(["-n", "-T", "json"]).args(&e).args(extra).arg("-r").arg(&path).output();
            let theirs: serde_json::Value = serde_json::from_slice(&o.unwrap().stdout).unwrap();
            let run = |format: &str| {
                let o = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
                    .args(["-T", format])
                    .args(&e)
                    .args(extra)
                    .arg(&path)
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
                String::from_utf8(o.stdout).unwrap()
            };
            let ours: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
            assert_eq!(ours, theirs, "{name} {extra:?}");
            // The same records, one per line.
            let lines: Vec<serde_json::Value> =
                run("ndjson").lines().map(|l| serde_json::from_str(l).unwrap()).collect();
            assert_eq!(serde_json::Value::Array(lines), theirs, "{name} {extra:?}, ndjson");
            compared += theirs.as_array().unwrap().len();
        }
    }
    assert!(compared > 800, "{compared} records");
}

/// The summary line's columns as `-e` keys (`_ws.col.No.`, `Time` in each `-t` format,
/// `Source`, `Destination`, `Length`, and their names since tshark 4.2) print what tshark's
/// columns print, on every undamaged shipped capture, in a time zone other than UTC. (`-t d`
/// and `dd` after a frame without a timestamp differ by design: `every_capture_decodes_…`.)
#[test]
fn summary_columns_as_fields_are_tsharks() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    const THEIRS: [&str; 5] =
        ["_ws.col.No.", "_ws.col.Time", "_ws.col.Source", "_ws.col.Destination", "_ws.col.Length"];
    const NEWER: [&str; 5] =
        ["_ws.col.number", "_ws.col.cls_time", "_ws.col.def_src", "_ws.col.def_dst", "_ws.col.packet_length"];
    let mut compared = 0;
    for path in shipped_captures() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("damaged-") {
            continue;
        }
        for t in ["r", "ad", "ud", "d"] {
            let cells = |cmd: &mut Command, keys: &[&str]| {
                for k in keys {
                    cmd.args(["-e", k]);
                }
                let cmd = cmd.env("TZ", "America/New_York").args(["-t", t, "-T", "fields", "-r"]);
                let o = cmd.arg(&path).output().unwrap();
                String::from_utf8(o.stdout).unwrap()
            };
            let theirs = cells(Command::new("tshark").arg("-n"), &THEIRS);
            for keys in [THEIRS, NEWER] {
                let ours = cells(&mut Command::new(env!("CARGO_BIN_EXE_udpdissect")), &keys);
                if t == "d" && name == "format-multi.pcapng" {
                    continue;
                }
                assert_eq!(ours, theirs, "{name} -t {t} {keys:?}");
                compared += ours.lines().count();
            }
        }
    }
    assert!(compared > 3000, "{compared} lines");
}
