//! `udpdissect regress`: the shipped captures pass against their expected files; blessing,
//! field-level diffs, new expert errors, damage, missing files and usage errors.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs the binary from the repository root, so paths print as `captures/NAME`.
fn udpdissect(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_udpdissect")).current_dir(ROOT).args(args).output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8(o.stdout.clone()).unwrap(), String::from_utf8(o.stderr.clone()).unwrap())
}

/// A fresh scratch directory per test.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("udpdissect-regress-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies a shipped capture (and, with `expected`, its expected file) into `dir`.
fn copy(name: &str, dir: &Path, expected: bool) {
    let from = Path::new(ROOT).join("captures").join(name);
    std::fs::copy(&from, dir.join(name)).unwrap();
    if expected {
        std::fs::copy(format!("{}.expected", from.display()), dir.join(format!("{name}.expected"))).unwrap();
    }
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn regress(dir: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["regress"];
    args.extend_from_slice(extra);
    let dir = dir.to_str().unwrap();
    args.push(dir);
    let o = udpdissect(&args);
    let (out, err) = text(&o);
    (o.status.code(), out, err)
}

#[test]
fn the_shipped_captures_match_their_expected_files() {
    let captures = std::fs::read_dir(Path::new(ROOT).join("captures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| [".pcap", ".pcapng", ".cap", ".gz"].iter().any(|e| n.ends_with(e)))
        .count();
    assert_eq!(captures, 39);
    let o = udpdissect(&["regress", "captures"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "run `just bless` after an intended change\n{out}{err}");
    assert_eq!(out.lines().last(), Some(format!("{captures} passed, 0 failed").as_str()), "{out}");
    assert!(out.contains("ok   captures/heartbeat.pcap (31 frames)\n"), "{out}");
    assert!(out.contains("ok   captures/damaged-cut-mid-record.pcap (3 frames, damaged)\n"), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with("ok   captures/")).count(), captures);
}

#[test]
fn the_expected_file_of_the_main_demo() {
    let t = read(Path::new(ROOT).join("captures/heartbeat.pcap.expected"));
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines[0], "# udpdissect regress v1: heartbeat.pcap");
    assert_eq!(lines[1], "1 t=1772438400.000000000 ARP Who has 10.20.30.1? Tell 10.20.30.40");
    let frame = |n: u64| {
        let start = t.find(&format!("\n{n} t=")).unwrap() + 1;
        let end = t[start..].find(&format!("\n{} t=", n + 1)).map_or(t.len(), |e| start + e + 1);
        &t[start..end]
    };
    assert_eq!(
        frame(19).lines().next(),
        Some("19 t=1772438760.003002000 SRUN Reply UID=-2 (session dead) [heartbeat.session_dead]")
    );
    for line in ["  heartbeat.uid = -2\n", "  heartbeat.status = 1\n", "  heartbeat.response_to = 18\n"] {
        assert!(frame(19).contains(line), "{line:?} missing from\n{}", frame(19));
    }
    assert!(frame(19).contains("  ! warn heartbeat.session_dead: the server declared the session dead (-2)"));
    // The frame's own number and times are in the first line only; relative times not at all.
    assert!(!t.contains("frame.number") && !t.contains("frame.time"), "repeated frame fields");
    assert_eq!(t.lines().filter(|l| l.contains(" t=")).count(), 31);
}

#[test]
fn bless_writes_the_files_then_the_suite_passes() {
    let dir = scratch("bless");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    copy("heartbeat.pcap", &dir, false);
    copy("link-raw.pcap", &dir.join("nested"), false);
    copy("damaged-cut-mid-record.pcap", &dir, false);

    let (code, out, _) = regress(&dir, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(out.matches("no expected file; run with --bless").count(), 3, "{out}");
    assert!(out.ends_with("0 passed, 3 failed\n"), "{out}");

    let (code, out, _) = regress(&dir, &["--bless"]);
    assert_eq!(code, Some(0), "{out}");
    let d = dir.display();
    assert_eq!(
        out,
        format!(
            "bless {d}/damaged-cut-mid-record.pcap: wrote\nbless {d}/heartbeat.pcap: wrote\n\
             bless {d}/nested/link-raw.pcap: wrote\n3 passed, 0 failed\n"
        )
    );
    let first = |p: PathBuf| read(p).lines().next().unwrap().to_string();
    assert_eq!(first(dir.join("heartbeat.pcap.expected")), "# udpdissect regress v1: heartbeat.pcap");
    assert_eq!(first(dir.join("nested/link-raw.pcap.expected")), "# udpdissect regress v1: link-raw.pcap");
    // The same decode on any machine: equal to the shipped file.
    assert_eq!(
        read(dir.join("heartbeat.pcap.expected")),
        read(Path::new(ROOT).join("captures/heartbeat.pcap.expected"))
    );

    let (code, out, _) = regress(&dir, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(&format!("ok   {d}/nested/link-raw.pcap (4 frames)\n")), "{out}");
    assert!(out.ends_with("3 passed, 0 failed\n"), "{out}");

    let (_, out, _) = regress(&dir, &["--bless"]);
    assert_eq!(out.matches(": unchanged\n").count(), 3, "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_changed_value_fails_with_a_field_level_diff() {
    let dir = scratch("changed");
    copy("heartbeat.pcap", &dir, true);
    copy("link-ipv4.pcap", &dir, true);
    let path = dir.join("heartbeat.pcap.expected");
    let original = read(&path);
    // Frame 7 is the main client's first beat.
    let edited = original.replacen("  heartbeat.uid = 1234567890123\n", "  heartbeat.uid = 1234567890999\n", 1);
    assert_ne!(edited, original);
    std::fs::write(&path, &edited).unwrap();

    let (code, out, _) = regress(&dir, &[]);
    assert_eq!(code, Some(1), "{out}");
    let d = dir.display();
    let want = format!(
        "FAIL {d}/heartbeat.pcap: differs from {d}/heartbeat.pcap.expected\n  frame 7:\n    \
         - heartbeat.uid = 1234567890999\n    + heartbeat.uid = 1234567890123\n  1 differing frame\n"
    );
    assert!(out.contains(&want), "{out}");
    assert!(out.contains(&format!("ok   {d}/link-ipv4.pcap (2 frames)\n")), "{out}");
    assert!(out.ends_with("1 passed, 1 failed\n"), "{out}");

    let (code, out, _) = regress(&dir, &["--bless"]);
    assert_eq!(code, Some(0));
    assert!(out.contains(&format!("bless {d}/heartbeat.pcap: updated\n")), "{out}");
    assert!(out.contains(&format!("bless {d}/link-ipv4.pcap: unchanged\n")), "{out}");
    assert_eq!(read(&path), original);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_error_finding_missing_from_the_expected_file_is_a_new_expert_error() {
    let dir = scratch("new-error");
    copy("heartbeat-findings.pcapng", &dir, true);
    let path = dir.join("heartbeat-findings.pcapng.expected");
    let original = read(&path);
    let at = original.find("  ! error heartbeat.bad_length:").expect("the sample has bad_length errors");
    let end = at + original[at..].find('\n').unwrap() + 1;
    std::fs::write(&path, format!("{}{}", &original[..at], &original[end..])).unwrap();

    let (code, out, _) = regress(&dir, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("  new expert error heartbeat.bad_length in frame 1\n"), "{out}");
    assert!(out.contains("  frame 1:\n    + ! error heartbeat.bad_length: beat of 9 bytes"), "{out}");
    assert!(out.ends_with("0 passed, 1 failed\n"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_damaged_capture_passes_when_its_damage_is_expected() {
    let shipped = read(Path::new(ROOT).join("captures/damaged-cut-mid-record.pcap.expected"));
    assert!(shipped.contains("\n3 t="), "{shipped}");
    assert!(!shipped.contains("\n4 t="), "{shipped}");
    let last = shipped.lines().last().unwrap();
    assert!(last.starts_with("error: frame 4 at byte offset 230: file ends in the middle of a record"), "{last}");

    let dir = scratch("damaged");
    copy("damaged-cut-mid-record.pcap", &dir, true);
    let (code, out, _) = regress(&dir, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.ends_with("1 passed, 0 failed\n"), "{out}");

    // Without the recorded damage, the damage is a difference.
    let path = dir.join("damaged-cut-mid-record.pcap.expected");
    std::fs::write(&path, shipped.replace(&format!("{last}\n"), "")).unwrap();
    let (code, out, _) = regress(&dir, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("  capture error:\n    + error: frame 4 at byte offset 230:"), "{out}");
    assert!(out.contains("  0 differing frames; capture error differs\n"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn findings_at_the_end_of_the_capture_are_expected_too() {
    let capture = common::unanswered_beat();
    let dir = scratch("end");
    std::fs::write(dir.join("lost.pcap"), &capture).unwrap();
    let (code, out, _) = regress(&dir, &["--bless"]);
    assert_eq!(code, Some(0), "{out}");
    let t = read(dir.join("lost.pcap.expected"));
    assert!(
        t.ends_with("end of capture\n  ! warn heartbeat.no_reply: the beat in frame 1 (10.0.0.1:40000 → 10.0.0.2:3335) got no reply before the capture ended\n"),
        "{t}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_display_filter_chooses_the_frames_written_and_compared() {
    let dir = scratch("filter");
    copy("heartbeat.pcap", &dir, false);
    let (code, out, _) = regress(&dir, &["--bless", "-Y", "heartbeat.status == 1"]);
    assert_eq!(code, Some(0), "{out}");
    let t = read(dir.join("heartbeat.pcap.expected"));
    let frames: Vec<&str> = t.lines().filter(|l| l.contains(" t=")).map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(frames, ["19", "23"]);
    assert_eq!(regress(&dir, &["-Y", "heartbeat.status == 1"]).0, Some(0));
    // Without the filter, the other 29 frames are new.
    let (code, out, _) = regress(&dir, &[]);
    assert_eq!(code, Some(1));
    assert!(out.contains("  frame 1:\n    + 1 t=1772438400.000000000 ARP"), "{out}");
    assert!(out.contains("(the whole frame, 13 more lines, is only in the actual decode)"), "{out}");
    assert!(out.contains("  29 differing frames (26 not shown)\n"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Given one capture file instead of a folder, regress checks that capture alone, and
/// blesses it alone, whatever its name ends in.
#[test]
fn one_capture_file_is_checked_alone() {
    let dir = scratch("one");
    copy("heartbeat.pcap", &dir, true);
    copy("link-ipv4.pcap", &dir, false);
    let one = dir.join("heartbeat.pcap");
    let (code, out, _) = regress(&one, &[]);
    assert_eq!((code, out), (Some(0), format!("ok   {} (31 frames)\n1 passed, 0 failed\n", one.display())));
    // Its neighbour, without an expected file, is not looked at; named, it fails until blessed.
    let other = dir.join("link-ipv4.pcap");
    let (code, out, _) = regress(&other, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("no expected file; run with --bless"), "{out}");
    // A capture named like no capture is still one when it is named.
    let odd = dir.join("beats.bin");
    std::fs::rename(&other, &odd).unwrap();
    let (code, out, _) = regress(&odd, &["--bless"]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out, format!("bless {}: wrote\n1 passed, 0 failed\n", odd.display()));
    assert!(read(dir.join("beats.bin.expected")).starts_with("# udpdissect regress v1: beats.bin\n"));
    assert_eq!(regress(&odd, &[]).0, Some(0));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn usage_errors_exit_2() {
    let dir = scratch("empty");
    std::fs::write(dir.join("notes.txt"), "not a capture").unwrap();
    let (code, out, err) = regress(&dir, &[]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("no captures found (files ending .pcap, .pcapng, .cap, .gz"), "{err}");
    assert!(out.is_empty(), "{out}");

    let (code, _, err) = regress(&dir.join("missing"), &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot read directory"), "{err}");

    let (code, _, err) = regress(Path::new("captures"), &["-Y", "heartbeat.uid =="]);
    assert_eq!(code, Some(2));
    assert!(err.contains("-Y: bad display filter"), "{err}");

    assert_eq!(udpdissect(&["regress"]).status.code(), Some(2), "DIR is required");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn captures_decoded_on_several_threads_report_in_path_order_as_on_one() {
    use udpdissect::regress::{self, Suite};
    let dir = scratch("threads");
    // Passing, failing (no expected file, a changed value) and damaged captures mixed.
    for name in ["heartbeat.pcap", "overte-session.pcapng", "damaged-cut-mid-record.pcap", "eqstream-xor.pcap"] {
        copy(name, &dir, true);
    }
    copy("fragments.pcap", &dir, false);
    let changed = dir.join("eqstream-xor.pcap.expected");
    let text = read(&changed);
    let edited = text.replacen("  frame.len = 56\n", "  frame.len = 57\n", 1);
    assert_ne!(edited, text);
    std::fs::write(&changed, edited).unwrap();
    let paths = regress::captures(&dir).unwrap();
    let make = || Ok(udpdissect_core::Engine::new(udpdissect::dissectors()));
    let suite = Suite { bless: false, engine: &make, filter: None };
    let mut one = Vec::new();
    let t1 = regress::run_on(&paths, &suite, 1, &mut one).unwrap();
    for workers in [2, 3, 8] {
        let mut many = Vec::new();
        let tn = regress::run_on(&paths, &suite, workers, &mut many).unwrap();
        assert_eq!(
            (tn.tally, String::from_utf8_lossy(&many)),
            (t1.tally, String::from_utf8_lossy(&one)),
            "{workers} threads"
        );
        let outcomes =
            |run: &regress::Run| run.cases.iter().map(|c| (c.path.clone(), c.outcome.clone())).collect::<Vec<_>>();
        assert_eq!(outcomes(&tn), outcomes(&t1), "{workers} threads");
    }
    let one = String::from_utf8(one).unwrap();
    assert_eq!((t1.tally.passed, t1.tally.failed), (3, 2), "{one}");
    assert_eq!(t1.cases.iter().map(|c| c.path.as_path()).collect::<Vec<_>>(), paths);
    let names: Vec<&str> = one
        .lines()
        .filter(|l| l.starts_with("ok ") || l.starts_with("FAIL "))
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(|p| p.trim_end_matches(':'))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!((names.len(), &names), (5, &sorted), "one line per capture, in path order");
    assert!(one.ends_with("3 passed, 2 failed\n"));
}

/// `--junit FILE`: a testcase per capture, named as the text output names it, and a failure,
/// holding the text output's explanation, for each capture that failed.
#[test]
fn a_junit_report_for_ci() {
    let dir = scratch("junit");
    copy("heartbeat.pcap", &dir, true);
    copy("eqstream-xor.pcap", &dir, true);
    copy("fragments.pcap", &dir, false);
    let changed = dir.join("eqstream-xor.pcap.expected");
    std::fs::write(&changed, read(&changed).replacen("  frame.len = 56\n", "  frame.len = 57\n", 1)).unwrap();
    let report = dir.join("report.xml");
    let (code, out, err) = regress(&dir, &["--junit", report.to_str().unwrap()]);
    assert_eq!((code, err.as_str()), (Some(1), ""), "{out}");
    let xml = read(&report);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let suite = suites.children().find(|n| n.has_tag_name("testsuite")).unwrap();
    for node in [suites, suite] {
        assert_eq!((node.attribute("tests"), node.attribute("failures")), (Some("3"), Some("2")));
        assert!(node.attribute("time").unwrap().parse::<f64>().is_ok());
    }
    assert_eq!(suite.attribute("name"), dir.to_str());
    let cases: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    let printed: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("ok   ").or_else(|| l.strip_prefix("FAIL ")))
        .map(|l| l.split([' ', ':']).next().unwrap())
        .collect();
    assert_eq!(names, printed);
    for case in &cases {
        let name = case.attribute("name").unwrap();
        match case.children().find(|n| n.has_tag_name("failure")) {
            // The FAIL line, and the lines under it, without the path.
            Some(failure) => {
                let why = out.split(&format!("FAIL {name}: ")).nth(1).unwrap();
                let why: Vec<&str> =
                    why.lines().take_while(|l| !l.starts_with("ok ") && !l.starts_with("FAIL ")).collect();
                assert_eq!(failure.attribute("message"), Some(why[0]));
                let body = why[..why.len() - usize::from(why.last().unwrap().ends_with("failed"))].join("\n");
                assert_eq!(failure.text(), Some(body.as_str()));
            }
            None => {
                let line = case.children().find(|n| n.has_tag_name("system-out")).unwrap().text().unwrap();
                assert_eq!(line, format!("ok   {name} (31 frames)"));
            }
        }
    }
    let failed: Vec<&str> = cases
        .iter()
        .filter_map(|c| c.children().find(|n| n.has_tag_name("failure")))
        .filter_map(|f| f.attribute("message"))
        .collect();
    assert!(failed[0].starts_with("differs from ") && failed[1].starts_with("no expected file"), "{failed:?}");
    // A report that cannot be written is an error after the run's own output.
    let (code, out, err) = regress(&dir, &["--junit", dir.join("no/such/dir.xml").to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(out.ends_with("1 passed, 2 failed\n"), "{out}");
    assert!(err.contains("dir.xml: cannot write: No such file or directory"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
