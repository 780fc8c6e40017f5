//! `-Y` with every output format, `-q -z`, and `udpdissect stats`, run as users run them on the
//! shipped captures (see captures/README.md for their frame-by-frame contents).

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_udpdissect")).current_dir(env!("CARGO_MANIFEST_DIR")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn frame_numbers(text: &str) -> Vec<u64> {
    text.lines().filter_map(|l| l.split_whitespace().next()?.parse().ok()).collect()
}

const HB: &str = "captures/heartbeat.pcap";
const OVERTE: &str = "captures/overte-buggy-client.pcapng";

#[test]
fn filter_keeps_frames_and_their_numbers_in_the_summary() {
    let o = run(&["-Y", "heartbeat.status == dead", HB]);
    assert!(o.status.success());
    assert_eq!(frame_numbers(&stdout(&o)), [19, 23]);
    let o = run(&["-Y", "expert.severity >= warn && !(expert.tag == \"heartbeat.session_dead\")", HB]);
    // 24: the client's socket was closed when the server's reply came (icmp.port_unreachable).
    assert_eq!(frame_numbers(&stdout(&o)), [2, 14, 22, 24]);
    let o = run(&["-Y", "icmp || arp || tcp", HB]);
    assert_eq!(frame_numbers(&stdout(&o)), [1, 24, 25]);
    let o = run(&["-Y", "arp.dst.proto_ipv4 == 10.20.30.1", HB]);
    assert_eq!(frame_numbers(&stdout(&o)), [1]);
    let o = run(&["-Y", "ip.src == 10.20.30.40 && udp.dstport in {53, 3333..3335} && frame.number < 10", HB]);
    assert_eq!(frame_numbers(&stdout(&o)), [3, 7, 9]);
    // Repeated fields: the ICMP error carries two ip.src; == matches either.
    let o = run(&["-Y", "ip.src == 172.16.202.201 && icmp", HB]);
    assert_eq!(frame_numbers(&stdout(&o)), [24]);
}

/// `-Y expert.group`: the frames with a finding of that Wireshark group (`--list-protocols`
/// lists each tag's), the name taken in any case as a severity is; `contains` and `matches`
/// see the name as shown.
#[test]
fn filter_on_expert_groups() {
    let kept = |filter: &str, capture: &str| {
        let o = run(&["-Y", filter, "-T", "fields", "-e", "frame.number", capture]);
        assert!(o.status.success(), "{filter}: {}", String::from_utf8_lossy(&o.stderr));
        frame_numbers(&stdout(&o))
    };
    // Duplicates (4, 5, 7, 9, 28), a sequence gap (6), late keepalives (17, 22, 27) and a silent
    // node (20).
    let sequence = [4, 5, 6, 7, 9, 17, 20, 22, 27, 28];
    assert_eq!(kept("expert.group == \"Sequence\"", OVERTE), sequence);
    assert_eq!(kept("expert.group == sequence", OVERTE), sequence);
    // Malformed payloads and strings: Overte has no checksum finding here.
    assert_eq!(kept("expert.group in {\"Checksum\" \"Malformed\"}", OVERTE), [1, 4, 5, 7, 8]);
    assert_eq!(kept("expert && !(expert.group == Sequence)", OVERTE), [1, 3, 8]);
    assert_eq!(kept("expert.group != Protocol", OVERTE), [17, 20, 22, 27, 28]);
    assert_eq!(kept("expert.group contains \"Check\"", OVERTE), [] as [u64; 0]);
    assert_eq!(kept("expert.group matches \"^Mal\"", OVERTE), [1, 4, 5, 7, 8]);
    // 12: the ICMP error whose checksum is wrong (icmp.checksum_bad).
    assert_eq!(kept("expert.group contains \"Check\"", "captures/icmp.pcap"), [12]);
    // 24 and 26: beats at unusual intervals; 1 to 7 (odd): datagrams of a bad length.
    let findings = "captures/heartbeat-findings.pcapng";
    assert_eq!(kept("expert.group == \"Sequence\"", findings), [24, 26]);
    assert_eq!(kept("expert.group == Malformed", findings), [1, 3, 5, 7]);
    // A word that is no group is refused before the capture is read, naming the groups.
    let o = run(&["-Y", "expert.group == Sequnce", OVERTE]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("'Sequnce' is not an expert group (Checksum, Sequence, Response, "), "{err}");
    let err = String::from_utf8_lossy(&run(&["-Y", "_ws.expert.group == 1", OVERTE]).stderr).into_owned();
    assert!(err.contains("tshark's _ws.expert.group is expert.group here"), "{err}");
}

#[test]
fn filter_works_with_every_output_format() {
    let filter = "heartbeat.uid == -2";
    let tree = stdout(&run(&["-V", "-Y", filter, HB]));
    assert_eq!(tree.matches("\nFrame ").count() + tree.starts_with("Frame ") as usize, 2, "{tree}");
    let json: serde_json::Value = serde_json::from_slice(&run(&["-T", "json", "-Y", filter, HB]).stdout).unwrap();
    let frames: Vec<_> = json.as_array().unwrap().iter().filter_map(|f| f["frame"].as_u64()).collect();
    assert_eq!(frames, [19, 23]);
    let nd = stdout(&run(&["-T", "ndjson", "-Y", filter, HB]));
    assert_eq!(nd.lines().filter(|l| l.contains("\"frame\":")).count(), 2);
    let fields = stdout(&run(&["-T", "fields", "-e", "frame.number", "-e", "heartbeat.response_to", "-Y", filter, HB]));
    assert_eq!(fields, "19\t18\n23\t22\n");
    let hex = stdout(&run(&["-x", "-Y", filter, "-c", "20", HB]));
    assert!(hex.starts_with("   19 ") && hex.contains("\n0000  "), "{hex}");
}

#[test]
fn delta_displayed_time_counts_from_the_previous_shown_frame() {
    let o = run(&["-t", "dd", "-Y", "heartbeat.status == dead", HB]);
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert!(lines[0].starts_with("   19     0.000000 "), "{lines:?}");
    assert!(lines[1].starts_with("   23    59.999375 "), "{lines:?}");
}

#[test]
fn a_bad_filter_is_rejected_before_reading_with_its_position() {
    let o = run(&["-Y", "heartbeat.uidd == 5", "/nonexistent.pcap"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "bad display filter\nheartbeat.uidd == 5\n^\nunknown field 'heartbeat.uidd'; did you mean heartbeat.uid"
        ),
        "{err}"
    );
    let o = run(&["-Y", "udp.srcport == abc", HB]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("udp.srcport == abc\n               ^\n'abc' is not a number for udp.srcport (unsigned)"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    let o = run(&["-Y", "_ws.col.cls_time == 1", HB]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown field '_ws.col.cls_time'; the columns a filter reads are _ws.col.number"), "{err}");
    assert!(err.contains("the time compares as frame.time_relative"), "{err}");
}

#[test]
fn quiet_with_statistics_prints_only_the_tables() {
    let o = run(&["-q", "-z", "proto", "-z", "expert", HB]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.starts_with("== Message types per protocol ==\n"), "{text}");
    assert!(text.contains("| SRUN     | reply   |     13 |   754 |"), "{text}");
    assert!(text.contains("| heartbeat.session_dead          | warn     |     2 |          19 |"), "{text}");
    assert!(!text.contains("Beat UID"), "no frames with -q");
    // Without -q the frames come first, then the tables.
    let both = stdout(&run(&["-z", "proto", "-c", "2", HB]));
    assert!(both.starts_with("    1 ") && both.contains("\n== Message types per protocol ==\n"), "{both}");
    let bad = run(&["-q", "-z", "nosuch", HB]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("-z nosuch"));
}

#[test]
fn stats_command_text_and_json_with_a_filter() {
    let o = run(&["stats", "-z", "summary", "-z", "heartbeat", HB]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    // Values left-aligned, numbers among words included, as capinfos writes them.
    assert!(text.contains("| packets                         | 31                                |"), "{text}");
    assert!(text.contains("== SRUN heartbeat sessions =="), "{text}");
    let o = run(&["stats", "-T", "json", "-z", "proto", "-Y", "heartbeat.type == reply", HB]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["schema"], 1);
    let rows = doc["tables"][0]["rows"].as_array().unwrap();
    assert_eq!(rows, &vec![serde_json::json!(["SRUN", "reply", 13, 754])]);
}

#[test]
fn stats_of_a_damaged_capture_cover_the_frames_before_the_damage() {
    let o = run(&["stats", "-z", "summary", "captures/damaged-cut-mid-record.pcap"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("| packets                         | 3                                 |"),
        "{}",
        stdout(&o)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("frame 4 at byte offset"));
}

/// A finding's tag is a filter key, as Wireshark's expert fields are: present when the frame
/// has it, its value the message.
#[test]
fn a_finding_tag_filters_like_a_field() {
    let buggy = "captures/overte-buggy-client.pcapng";
    let o = run(&["-Y", "overte.source_id_byte_swapped", buggy]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(frame_numbers(&stdout(&o)), [3, 4, 5, 8, 9]);
    let o = run(&["-Y", "overte.source_id_byte_swapped contains \"frame 2\" && ip.dst == 203.0.113.10", buggy]);
    assert_eq!(frame_numbers(&stdout(&o)).len(), 5);
    let o = run(&["-Y", "heartbeat.session_dead", HB]);
    assert_eq!(frame_numbers(&stdout(&o)), [19, 23]);
    // A misspelt tag is still a bad filter, with suggestions.
    let o = run(&["-Y", "overte.source_id_byte_swaped", buggy]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("overte.source_id_byte_swapped"));
}

/// `stats` shows the tables of the protocols the capture has; a table asked for by name is
/// shown even empty.
#[test]
fn stats_shows_only_the_protocols_present() {
    let swarm = "captures/overnet-swarm.pcap";
    let text = stdout(&run(&["stats", swarm]));
    assert!(text.contains("== Overnet searches =="), "{text}");
    for absent in ["== SRUN heartbeat sessions ==", "== Overte nodes ==", "== EQStream sessions =="] {
        assert!(!text.contains(absent), "{absent} in:\n{text}");
    }
    let text = stdout(&run(&["stats", "-z", "heartbeat", swarm]));
    assert!(text.contains("== SRUN heartbeat sessions =="), "{text}");
}

/// The statistics fed three ways give the same tables: beside the dissection on a second
/// thread (a file), on a thread of their own (standard input), and on one thread.
#[test]
fn statistics_are_the_same_however_they_are_fed() {
    use std::io::Write;
    use std::process::Stdio;
    for capture in ["captures/overte-buggy-client.pcapng", "captures/eqstream-eq2-login.pcap", HB] {
        for args in [&["stats"][..], &["-q", "-z", "conv,udp", "-z", "phs", "-z", "expert"]] {
            let from_file = run(&[args, &[capture]].concat());
            assert!(from_file.status.success(), "{args:?} {capture}");
            let mut child = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args([args, &["-"]].concat())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(capture)).unwrap();
            child.stdin.take().unwrap().write_all(&bytes).unwrap();
            let from_stdin = child.wait_with_output().unwrap();
            let one_thread = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("UDPDISSECT_THREADS", "1")
                .args([args, &[capture]].concat())
                .output()
                .unwrap();
            let text = stdout(&from_file);
            assert!(text.contains("== UDP conversations ==") && text.lines().count() > 10, "{text}");
            assert_eq!(stdout(&from_stdin), text, "{args:?} {capture} from standard input");
            assert_eq!(stdout(&one_thread), text, "{args:?} {capture} on one thread");
        }
    }
}

/// Sender and receiver node types are looked up only where read: as field columns without the
/// info column, and in a filter under the statistics, they are still there.
#[test]
fn overte_peer_names_are_found_when_only_a_column_or_filter_reads_them() {
    let o = run(&["-T", "fields", "-e", "frame.number", "-e", "overte.sender", "-e", "overte.receiver", OVERTE]);
    assert!(o.status.success());
    let lines: Vec<String> = stdout(&o).lines().take(3).map(String::from).collect();
    assert_eq!(lines, ["1\t\tDomainServer", "2\tDomainServer\t", "3\t\tAvatarMixer"]);
    let o = run(&["stats", "-z", "conv,udp", "-Y", "overte.sender == \"DomainServer\"", OVERTE]);
    assert!(o.status.success());
    let text = stdout(&o);
    let row = text.lines().find(|l| l.contains("203.0.113.10")).unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains("Overte"), "{row}");
}

/// tshark's `io,stat,N,COLUMN,...`: a filter column counts the frames and bytes it keeps, a
/// function column adds up a field (protocol fields too, whatever the filter names), and the
/// numbers are the same on one thread, two, or from standard input.
#[test]
fn io_stat_columns_filter_and_add_up_fields() {
    use std::io::Write;
    use std::process::Stdio;
    let spec = "io,stat,300,heartbeat.status == alive,AVG(heartbeat.time)heartbeat,MAX(heartbeat.time),COUNT(ip.addr)";
    // Lower case is the filter's count(), as in tshark.
    let o = run(&["stats", "-T", "json", "-z", "io,stat,300,count(ip.src) == 2", HB]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = &doc["tables"][0]["rows"];
    assert_eq!((&rows[0][5], &rows[1][5]), (&0.into(), &1.into()), "the ICMP error (at 420 s) has two ip.src");
    let o = run(&["stats", "-T", "json", "-z", spec, HB]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let table = &doc["tables"][0];
    assert_eq!(
        table["name"],
        "io,300,heartbeat.status == alive,AVG(heartbeat.time)heartbeat,MAX(heartbeat.time),COUNT(ip.addr)"
    );
    let columns: Vec<&str> = table["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(
        columns[5..],
        [
            "heartbeat.status == alive frames",
            "heartbeat.status == alive bytes",
            "AVG(heartbeat.time)heartbeat",
            "MAX(heartbeat.time)",
            "COUNT(ip.addr)"
        ]
    );
    let rows = serde_json::json!([
        // COUNT(ip.addr) as tshark counts it (the ICMP error quotes two more addresses).
        ["0.000000000", "300.000000000", 15, 882, 2, 6, 348, "0.002977400", "0.004113000", 28],
        // Six findings: the ICMP error at 420 s is one (icmp.port_unreachable).
        ["300.000000000", "600.000000000", 16, 896, 6, 5, 290, "0.118545142", "0.812500000", 34]
    ]);
    assert_eq!(table["rows"], rows);

    let text = |args: &[&str], threads: Option<&str>, stdin: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_udpdissect"));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args(args).arg(if stdin { "-" } else { HB });
        if let Some(n) = threads {
            cmd.env("UDPDISSECT_THREADS", n);
        }
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        let input = child.stdin.take().unwrap();
        if stdin {
            let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(HB)).unwrap();
            { input }.write_all(&bytes).unwrap();
        } else {
            drop(input);
        }
        stdout(&child.wait_with_output().unwrap())
    };
    let args = ["-q", "-z", spec];
    let two = text(&args, None, false);
    assert!(two.contains("0.118545142") && two.contains("heartbeat.status == alive frames"), "{two}");
    assert_eq!(text(&args, Some("1"), false), two, "one thread");
    assert_eq!(text(&args, None, true), two, "standard input");
}

#[test]
fn bad_io_stat_columns_are_rejected_before_reading() {
    let cases = [
        ("io,stat,60,SUM(udp.srcprt)", "io column 'SUM(udp.srcprt)': unknown field 'udp.srcprt'"),
        (
            "io,stat,60,SUM(ip.src)",
            "io column 'SUM(ip.src)': ip.src is ip: only COUNT takes a field that is not a number",
        ),
        ("io,stat,60,MAX(frame.len", "io column 'MAX(frame.len': a function's field ends with ')'"),
        ("io,stat,60,udp.port = 1", "io column 'udp.port = 1': bad display filter\nudp.port = 1\n         ^"),
        ("io,stat,60,COUNT(expert.tag)", "io column 'COUNT(expert.tag)': expert.tag is not a field of the tree"),
        ("io,stat,60,udp,", "io column '': empty: give a display filter or a function"),
    ];
    for (spec, message) in cases {
        let o = run(&["stats", "-z", spec, "/nonexistent.pcap"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{spec}: {err}");
        assert!(err.contains(message), "{spec}: {err}");
    }
}

/// tshark's `-z expert,LEVEL`: the findings of that severity and above.
#[test]
fn expert_table_by_least_severity() {
    let tags = |spec: &str| {
        let o = run(&["stats", "-T", "json", "-z", spec, HB]);
        assert!(o.status.success(), "{spec}: {}", String::from_utf8_lossy(&o.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let t = &doc["tables"][0];
        let rows = t["rows"].as_array().unwrap().iter().map(|r| format!("{} {}", r[0], r[1]).replace('"', ""));
        (t["title"].as_str().unwrap().to_string(), rows.collect::<Vec<_>>())
    };
    let (title, all) = tags("expert");
    assert_eq!(title, "Expert findings");
    assert_eq!(all.len(), 7);
    let (title, warn) = tags("expert,warn");
    assert_eq!(title, "Expert findings (warn and above)");
    assert_eq!(
        warn,
        [
            "heartbeat.session_dead warn",
            "heartbeat.beat_after_death warn",
            "heartbeat.no_reply warn",
            "heartbeat.reply_without_request warn",
            "icmp.port_unreachable warn"
        ]
    );
    assert_eq!(tags("expert,comment").1, all, "below anything reported: every finding");
    assert!(tags("expert,error").1.is_empty());
    // As in tshark, what follows a level (or `expert,` alone) is a display filter.
    let o = run(&["stats", "-z", "expert,loud", HB]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.contains("unknown field 'loud'") && err.contains("expert's levels are error, warn, note"), "{err}");
}

/// tshark's `-z conv,udp,FILTER` and its kin: each table counts only the frames its filter
/// keeps, the same rows `-Y FILTER` gives it, on one thread or two, and says so in its title.
/// One kind of table may be asked for several times with different filters.
#[test]
fn tables_take_a_display_filter_of_their_own() {
    let tables = |args: &[&str], threads: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("UDPDISSECT_THREADS", threads)
            .args(["stats", "-T", "json"])
            .args(args)
            .arg("captures/overte-session.pcapng")
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let all = doc["tables"].as_array().unwrap().iter();
        all.map(|t| {
            (t["name"].as_str().unwrap().to_string(), t["title"].as_str().unwrap().to_string(), t["rows"].clone())
        })
        .collect::<Vec<_>>()
    };
    let table = |args: &[&str], threads: &str| tables(args, threads).remove(0);
    let cases = [
        ("conv,udp", "ip.addr == 203.0.113.10 && udp.port != 48001"),
        ("endpoints,udp", "overte.type == DomainList"),
        ("io,phs", "udp.srcport == 40102"),
        ("proto", "frame.number > 40"),
        ("expert", "overte"),
    ];
    let mut together = Vec::new();
    let mut apart = Vec::new();
    for (name, filter) in cases {
        let with = format!("{name},{filter}");
        for threads in ["1", "2"] {
            let (tname, title, rows) = table(&["-z", &with], threads);
            let (_, plain_title, expected) = table(&["-z", name, "-Y", filter], threads);
            assert_eq!(rows, expected, "{with} on {threads} thread(s)");
            assert!(rows.as_array().is_some_and(|r| !r.is_empty()), "{with} keeps nothing: it tests nothing");
            assert!(tname.ends_with(&format!(",{filter}")), "{tname}");
            assert_eq!(title, format!("{plain_title} (filter: {filter})"));
        }
        // The same kind filtered, unfiltered and filtered otherwise, in one run.
        for z in [with.clone(), name.to_string(), format!("{name},frame.number <= 40")] {
            apart.push(table(&["-z", &z], "1"));
            together.extend(["-z".to_string(), z]);
        }
    }
    let together: Vec<&str> = together.iter().map(String::as_str).collect();
    for threads in ["1", "2"] {
        let got = tables(&together, threads);
        assert_eq!(got.len(), apart.len());
        for (got, apart) in got.iter().zip(&apart) {
            assert_eq!(got, apart, "{} in one run with the others, {threads} thread(s)", apart.0);
        }
    }
    // Endpoints summed from conversations of the same filter, and counted apart with another.
    let alone = table(&["-z", "endpoints,udp,udp.port == 48000"], "1");
    let same = tables(&["-z", "conv,udp,udp.port == 48000", "-z", "endpoints,udp,udp.port == 48000"], "1");
    assert_eq!(same[1], alone);
    let other = tables(&["-z", "endpoints,udp,udp.port == 48000", "-z", "conv,udp,udp", "-z", "conv,udp"], "1");
    assert_eq!(other[0], alone);
    // Errors before reading: a bad filter.
    let o = run(&["stats", "-z", "conv,udp,ip.src ==", "captures/overte-session.pcapng"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.contains("conv,udp: bad display filter") && err.contains("expected a value after '=='"), "{err}");
}

/// The summary line's columns filter as the text they show, as in tshark 4.2
/// (`_ws.col.def_src == "10.20.30.40"`): on every undamaged shipped capture, each source and
/// destination the column shows (the IP address, else the Ethernet one) keeps exactly the
/// frames whose column shows it; the frame number and length columns keep their frames.
#[test]
fn the_summary_columns_filter_as_the_text_they_show() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut captures: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with("damaged-"))
        .collect();
    captures.sort();
    let columns = |args: &[&str], path: &str| -> Vec<Vec<String>> {
        let mut all = vec!["-T", "fields", "-e", "frame.number", "-e", "_ws.col.def_src", "-e", "_ws.col.def_dst"];
        all.extend_from_slice(args);
        all.push(path);
        let o = run(&all);
        assert!(o.status.success(), "{args:?} {path}: {}", String::from_utf8_lossy(&o.stderr));
        stdout(&o).lines().map(|l| l.split('\t').map(str::to_string).collect()).collect()
    };
    let mut compared = 0;
    for path in &captures {
        let path = path.to_str().unwrap();
        let all = columns(&[], path);
        for (at, column) in [(1, "_ws.col.def_src"), (2, "_ws.col.def_dst")] {
            let mut shown: Vec<&str> = all.iter().map(|r| r[at].as_str()).filter(|v| !v.is_empty()).collect();
            shown.sort_unstable();
            shown.dedup();
            for value in shown.iter().take(4) {
                let kept = columns(&["-Y", &format!("{column} == \"{value}\"")], path);
                let expected: Vec<&Vec<String>> = all.iter().filter(|r| r[at] == *value).collect();
                assert_eq!(kept.iter().collect::<Vec<_>>(), expected, "{path}: {column} == {value}");
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "{compared} values");
    let o = run(&["-Y", "_ws.col.number == 3 or _ws.col.number == \"17\"", HB]);
    assert_eq!(frame_numbers(&stdout(&o)), [3, 17]);
    let by_column = run(&["-Y", "_ws.col.packet_length == 58", "-T", "fields", "-e", "frame.number", HB]);
    let by_field = run(&["-Y", "frame.len == 58", "-T", "fields", "-e", "frame.number", HB]);
    assert!(!stdout(&by_field).is_empty());
    assert_eq!(stdout(&by_column), stdout(&by_field));
    // Compared as text: a column contains, matches and slices as its text does.
    let o = run(&["-Y", "_ws.col.def_dst contains \"172.16\" && _ws.col.def_src matches \"^10\\\\.20\"", HB]);
    let both = run(&["-Y", "ip.dst == 172.16.0.0/16 && ip.src == 10.20.0.0/16", HB]);
    assert_eq!(frame_numbers(&stdout(&o)), frame_numbers(&stdout(&both)));
    assert!(!frame_numbers(&stdout(&both)).is_empty());
}
