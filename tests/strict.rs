//! `--strict[=SEVERITY]`: exit 1 after printing everything when a finding reaches the severity.

mod common;

use std::process::{Command, Output};

fn udpdissect(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_udpdissect")).current_dir(env!("CARGO_MANIFEST_DIR")).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn error_findings_exit_1_after_every_frame_is_printed() {
    let o = udpdissect(&["--strict", "captures/heartbeat-findings.pcapng"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    assert_eq!(out.lines().count(), 27, "{out}");
    assert!(out.lines().next().unwrap().ends_with("[heartbeat.bad_length]"), "{out}");
    assert_eq!(
        stderr(&o),
        "udpdissect: --strict: 4 findings of severity error; the first is heartbeat.bad_length in frame 1\n"
    );
    // The explicit spelling, and other outputs: the same verdict.
    assert_eq!(udpdissect(&["--strict=error", "captures/heartbeat-findings.pcapng"]).status.code(), Some(1));
    assert_eq!(udpdissect(&["--strict", "-T", "ndjson", "captures/heartbeat-findings.pcapng"]).status.code(), Some(1));
    assert_eq!(
        udpdissect(&["--strict", "-q", "-z", "expert", "captures/heartbeat-findings.pcapng"]).status.code(),
        Some(1)
    );
}

#[test]
fn the_severity_chooses_what_fails() {
    // heartbeat.pcap has warnings and notes but no errors.
    let run = |args: &[&str]| {
        let mut a = args.to_vec();
        a.push("captures/heartbeat.pcap");
        udpdissect(&a)
    };
    assert_eq!(run(&[]).status.code(), Some(0));
    assert_eq!(run(&["--strict"]).status.code(), Some(0));
    assert_eq!(run(&["--strict=error"]).status.code(), Some(0));
    let warn = run(&["--strict=warn"]);
    assert_eq!(warn.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&warn.stdout).lines().count(), 31);
    assert!(
        stderr(&warn)
            .contains("6 findings of severity warn or worse; the first is heartbeat.reply_without_request in frame 2"),
        "{}",
        stderr(&warn)
    );
    assert_eq!(run(&["--strict=note"]).status.code(), Some(1));
    // Only the frames shown count.
    assert_eq!(run(&["--strict=warn", "-Y", "frame.number <= 1"]).status.code(), Some(0));
    let bad = run(&["--strict=fatal"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("possible values: note, warn, error"), "{}", stderr(&bad));
}

#[test]
fn damage_still_exits_2() {
    for level in ["--strict", "--strict=note"] {
        let o = udpdissect(&[level, "captures/damaged-cut-mid-record.pcap"]);
        assert_eq!(o.status.code(), Some(2), "{level}");
        assert!(stderr(&o).contains("frame 4 at byte offset 230"), "{}", stderr(&o));
        assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 3);
    }
}

#[test]
fn end_of_capture_findings_count() {
    let capture = common::unanswered_beat();
    let dir = std::env::temp_dir().join(format!("udpdissect-strict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lost.pcap");
    std::fs::write(&path, &capture).unwrap();
    let path = path.to_str().unwrap();
    assert_eq!(udpdissect(&["--strict", path]).status.code(), Some(0));
    let o = udpdissect(&["--strict=warn", path]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "1 finding of severity warn or worse; the first is heartbeat.no_reply in the end-of-capture findings"
        ),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}
