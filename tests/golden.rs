//! Golden outputs of every capture in `captures/`: the summary (with stderr and exit status)
//! and the NDJSON decode. `just bless` rewrites them after an intended change.

use std::path::Path;
use std::process::Command;

fn captures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("captures/ exists")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".pcap") || n.ends_with(".pcapng") || n.ends_with(".gz"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "captures/ holds the sample captures: {names:?}");
    names
}

/// Runs the binary from the repository root, so paths in messages are `captures/NAME`.
fn run(args: &[&str], name: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg(format!("captures/{name}"))
        .env_remove("NO_COLOR")
        // frame.time is in the local time zone.
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let mut s = String::from_utf8(o.stdout).unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    if !err.is_empty() {
        s.push_str("--- stderr\n");
        s.push_str(&err);
    }
    s.push_str(&format!("--- exit {}\n", o.status.code().unwrap_or(-1)));
    s
}

#[test]
fn summaries() {
    for name in captures() {
        insta::assert_snapshot!(format!("summary@{name}"), run(&["-t", "ud"], &name));
    }
}

#[test]
fn ndjson() {
    for name in captures() {
        insta::assert_snapshot!(format!("ndjson@{name}"), run(&["-T", "ndjson"], &name));
    }
}

#[test]
fn tree_of_the_main_demo() {
    insta::assert_snapshot!("tree@heartbeat.pcap", run(&["-V", "-x"], "heartbeat.pcap"));
}

/// The home-made Overte client: every mistake explained in the tree.
#[test]
fn tree_of_the_buggy_overte_client() {
    insta::assert_snapshot!("tree@overte-buggy-client.pcapng", run(&["-V"], "overte-buggy-client.pcapng"));
}

/// EQ2 login: decrypted, inflated and reassembled data shown with their sources.
#[test]
fn tree_of_the_eq2_login() {
    insta::assert_snapshot!("tree@eqstream-eq2-login.pcap", run(&["-V", "-x"], "eqstream-eq2-login.pcap"));
}
