//! Memory stays flat: two million packets streamed through the binary keep its peak RSS (read
//! from the OS, /proc/PID/status VmHWM, while it runs) under 50 MB.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// VmHWM of a live process in kB, or None once it has exited.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

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
    // Polled until the process exits (a zombie's status has no VmHWM): the high-water mark
    // only grows, so the last reading is the peak.
    let watcher = std::thread::spawn(move || {
        let mut peak = 0;
        while let Some(kb) = peak_kb(pid) {
            peak = peak.max(kb);
            std::thread::sleep(Duration::from_millis(5));
        }
        peak
    });
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
