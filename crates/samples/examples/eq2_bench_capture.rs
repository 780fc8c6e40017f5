//! Writes a capture of many concurrent EQ2 sessions (`eq2_session`), for measuring the EQ2
//! decode speed: `cargo run --release -p udpdissect-samples --example eq2_bench_capture N FILE`.

use std::io::BufWriter;
use std::net::SocketAddr;

use udpdissect_pcapgen::{link, linktype, packet, PcapWriter, Ts};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(file)) = (args.get(1).and_then(|n| n.parse::<u64>().ok()), args.get(2)) else {
        eprintln!("usage: eq2_bench_capture SESSIONS FILE");
        std::process::exit(2);
    };
    // Sessions start 20 ms apart and overlap; datagrams are merged by time.
    let mut all = Vec::new();
    for i in 0..n {
        for (t, src, dst, payload) in udpdissect_samples::eq2_session(i) {
            all.push((t + i as i64 * 20_000_000, src, dst, payload));
        }
    }
    all.sort_by_key(|d| d.0);
    let f = std::fs::File::create(file).expect("create the capture");
    let mut w = PcapWriter::new(BufWriter::new(f), linktype::ETHERNET, 65535, true, false).expect("pcap header");
    for (t, src, dst, payload) in &all {
        let (SocketAddr::V4(s), SocketAddr::V4(d)) = (src, dst) else { continue };
        let ns = 1_772_438_400_000_000_000i64 + t;
        let frame = link::ethernet_ip(&packet::udp4(*s, *d, payload));
        w.write(Ts::new(ns / 1_000_000_000, (ns % 1_000_000_000) as u32), &frame).expect("write");
    }
    eprintln!("wrote {} datagrams of {n} sessions to {file}", all.len());
}
