//! `-T pdml` read by pyshark's own parser: what a pyshark user sees of our documents.

use std::process::Command;

/// Whether pyshark can be imported; under CI it must be (.ci/run installs it).
fn pyshark_available() -> bool {
    let found = Command::new("python3").args(["-c", "import pyshark"]).output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "pyshark is required under CI (.ci/run installs it)");
        eprintln!("SKIPPED: pyshark not installed (pip install pyshark); the check did not run");
    }
    found
}

/// pyshark splits our document into packets and reads each one's number, time, length and
/// layers from the general information and protocol elements, and our protocols' fields (the
/// heartbeat's UID, the finding's message) by their keys, as it reads tshark's.
#[test]
fn pyshark_reads_the_pdml() {
    if !pyshark_available() {
        return;
    }
    let o = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .env("TZ", "UTC")
        .args(["-T", "pdml", "captures/heartbeat.pcap"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let doc = std::env::temp_dir().join(format!("udpdissect-pyshark-{}.xml", std::process::id()));
    std::fs::write(&doc, &o.stdout).unwrap();
    let asked = ["heartbeat:uid", "heartbeat:_ws.expert.message", "ip:src", "ip:addr", "udp:port"];
    let r = Command::new("python3").env("TZ", "UTC").arg("tests/pyshark/read_pdml.py").arg(&doc).args(asked).output();
    std::fs::remove_file(&doc).unwrap();
    let r = r.unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let out = String::from_utf8(r.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    let summary = Command::new(env!("CARGO_BIN_EXE_udpdissect")).arg("captures/heartbeat.pcap").output().unwrap();
    assert_eq!(lines.len(), String::from_utf8_lossy(&summary.stdout).lines().count(), "{out}");
    assert!(lines[0].starts_with("1\t2026-03-02T08:00:00\t60\teth,arp"), "{}", lines[0]);
    let second: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(second[..4], ["2", "2026-03-02T08:00:00.812345", "58", "eth,ip,udp,heartbeat"]);
    assert_eq!(second[4], "heartbeat.uid=1122334455667");
    assert!(second[5].starts_with("heartbeat._ws.expert.message=no beat from 10.20.30.42:37415"), "{}", second[5]);
    assert_eq!(second[6..], ["ip.src=172.16.202.201", "ip.addr=172.16.202.201", "udp.port=3335"]);
}
