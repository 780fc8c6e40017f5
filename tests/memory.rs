//! Memory stays flat: two million packets streamed through the binary keep its peak RSS (read
//! from the OS, /proc/PID/status VmHWM, while it runs) under 50 MB.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn two_million_packets_keep_peak_rss_under_50_mb() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("SKIPPED: no /proc on this system; peak RSS is read from /proc/PID/status");
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .args(["-r", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let watcher = common::watch_peak_rss(pid, env!("CARGO_BIN_EXE_udpdissect"), Duration::from_millis(5));
    let mut stdin = child.stdin.take().unwrap();
    udpdissect_samples::benchmark(2_000_000, &mut stdin).unwrap();
    stdin.flush().unwrap();
    drop(stdin);
    let peak = watcher.join().unwrap();
    let out = child.wait_with_output().unwrap();
    eprintln!("peak RSS over 2 000 000 packets: {peak} kB");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(peak > 1_000, "VmHWM was read ({peak} kB)");
    assert!(peak < 50 * 1024, "peak RSS {peak} kB over 2 000 000 packets");
}
