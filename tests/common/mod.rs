//! Captures several CLI test files build the same way.

#![allow(dead_code)] // each test file uses its own share of these

use std::net::SocketAddrV4;
use udpdissect_heartbeat::wire::{Reply, Request};
use udpdissect_pcapgen::{link, linktype, packet, PcapWriter, Ts};

pub fn sa(s: &str) -> SocketAddrV4 {
    s.parse().unwrap()
}

/// A beat's payload: the UID as a little-endian i64.
pub fn beat(uid: i64) -> Vec<u8> {
    let mut b = Vec::new();
    Request { uid }.emit(&mut b);
    b
}

/// A reply's 16-byte payload.
pub fn reply(r: Reply) -> Vec<u8> {
    let mut b = Vec::new();
    r.emit(&mut b);
    b
}

/// A beat that never gets a reply, then other UDP traffic 10 s later: the heartbeat reports
/// `heartbeat.no_reply` (warn) at the end of the capture.
pub fn unanswered_beat() -> Vec<u8> {
    let beat = beat(1_234_567_890_123);
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, false, false).unwrap();
    let frames = [
        (Ts::new(1_772_438_400, 0), packet::udp4(sa("10.0.0.1:40000"), sa("10.0.0.2:3335"), &beat)),
        (Ts::new(1_772_438_410, 0), packet::udp4(sa("10.0.0.1:5000"), sa("10.0.0.3:9999"), b"x")),
    ];
    for (ts, ip) in frames {
        w.write(ts, &link::ethernet_ip(&ip)).unwrap();
    }
    w.into_inner()
}

/// Watches a running process's peak RSS (VmHWM in /proc/PID/status, kB), polled every
/// `every` until it exits (a zombie's status has no VmHWM): the high-water mark only grows, so
/// the last reading is the peak. Only readings taken while the process runs `exe` count: a
/// reading of anything else (the test harness's image before the exec, a reused PID) would be
/// another program's memory. Join the handle after the process has ended.
pub fn watch_peak_rss(pid: u32, exe: &str, every: std::time::Duration) -> std::thread::JoinHandle<u64> {
    fn peak_kb(pid: u32) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
    let exe = std::fs::canonicalize(exe).unwrap();
    let runs_exe = move || std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe);
    std::thread::spawn(move || {
        let mut peak = 0;
        loop {
            let running = runs_exe();
            let Some(kb) = peak_kb(pid) else { break };
            // Read before and after: the process was the program all along.
            if running && runs_exe() {
                peak = peak.max(kb);
            }
            std::thread::sleep(every);
        }
        peak
    })
}

/// Every capture in `captures/` (pcap, pcapng and gzip-compressed), in name order.
pub fn shipped_captures() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut captures: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| ["pcap", "pcapng", "gz"].contains(&e.to_str().unwrap_or(""))))
        .collect();
    captures.sort();
    captures
}

/// Whether a shipped capture is one of the damaged ones (a run over it may end with status 2,
/// after the frames before the damage).
pub fn damaged(path: &std::path::Path) -> bool {
    path.file_name().unwrap().to_string_lossy().starts_with("damaged-")
}

/// Whether tshark, the oracle of the tests that compare with it, is here: on CI it must be (the
/// CI script installs it); elsewhere such a test passes without comparing.
pub fn tshark_oracle() -> bool {
    let here = udpdissect_pcapgen::tshark_available();
    assert!(here || std::env::var_os("CI").is_none(), "tshark is the oracle here and CI installs it");
    here
}

/// A compressor as `-w` uses it, by the name its tool has.
pub type Pack = fn(&[u8]) -> Vec<u8>;

/// Each compression a capture may come in.
pub const PACKS: [(&str, Pack); 3] =
    [("gzip", udpdissect_pcapgen::gzip), ("zstd", udpdissect_pcapgen::zstd), ("lz4", udpdissect_pcapgen::lz4)];
