//! Throughput of the pipeline stages over an in-memory benchmark capture (mostly SRUN
//! heartbeat traffic, see `udpdissect-samples`):
//!
//! - `walk`: capture reader only (`Reader::next_frame`);
//! - `decode`: walk + link/IP/UDP decode with a `Defragmenter`;
//! - `dissect/summary`: walk + decode + engine, `Dissection::new(false)` (the default output);
//! - `dissect/tree`: the same with `Dissection::new(true)` (`-V`, JSON, `-T fields`).
//!
//! Rendering is not included; `scripts/bench-tshark.sh` measures the whole binary.
//!
//! `cargo bench --bench pipeline`; `UDPDISSECT_BENCH_PACKETS` overrides the packet count.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::io::Cursor;
use std::time::Duration;
use udpdissect_capture::{decode, DefragLimits, Defragmenter, Reader, Transport};
use udpdissect_core::{Dissection, Engine, Packet};

const DEFAULT_PACKETS: u64 = 100_000;

fn packets() -> u64 {
    std::env::var("UDPDISSECT_BENCH_PACKETS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_PACKETS)
}

/// The capture, generated once and leaked so every iteration can read it without a copy.
fn capture(n: u64) -> &'static [u8] {
    let mut buf = Vec::new();
    udpdissect_samples::benchmark(n, &mut buf).expect("generate benchmark capture");
    Box::leak(buf.into_boxed_slice())
}

fn reader(bytes: &'static [u8]) -> Reader {
    Reader::new(Box::new(Cursor::new(bytes))).expect("benchmark capture header")
}

/// Reads every frame; returns (frames, captured bytes).
fn walk(bytes: &'static [u8]) -> (u64, u64) {
    let mut r = reader(bytes);
    let (mut frames, mut total) = (0u64, 0u64);
    while let Some(f) = r.next_frame().expect("benchmark capture is intact") {
        frames += 1;
        total += f.data.len() as u64;
    }
    (frames, total)
}

/// Reads and decodes every frame; returns (frames, UDP datagrams).
fn walk_decode(bytes: &'static [u8]) -> (u64, u64) {
    let mut r = reader(bytes);
    let mut defrag = Defragmenter::new(DefragLimits::default());
    let (mut frames, mut udp) = (0u64, 0u64);
    while let Some(f) = r.next_frame().expect("benchmark capture is intact") {
        frames += 1;
        let d = decode(&f, &mut defrag);
        if let Transport::Udp(u) = d.transport {
            udp += 1;
            black_box(u.payload.bytes());
        }
    }
    (frames, udp)
}

/// Reads, decodes and dissects every UDP datagram the way `src/pipeline.rs` does (without
/// the layer fields and the sink); returns (frames, bytes of info column written).
fn walk_dissect(bytes: &'static [u8], tree: bool) -> (u64, u64) {
    let mut r = reader(bytes);
    let mut defrag = Defragmenter::new(DefragLimits::default());
    let mut engine = Engine::new(vec![Box::new(udpdissect_heartbeat::Heartbeat::new())]);
    let mut out = Dissection::new(tree);
    let (mut frames, mut info) = (0u64, 0u64);
    while let Some(f) = r.next_frame().expect("benchmark capture is intact") {
        frames += 1;
        let abs = f.ts.as_nanos();
        out.clear();
        let d = decode(&f, &mut defrag);
        if let (Transport::Udp(u), Some(src), Some(dst)) = (d.transport, d.net.src(), d.net.dst()) {
            let pkt = Packet::new(f.number, abs, (src, u.src_port).into(), (dst, u.dst_port).into(), u.payload.bytes());
            engine.dissect(&pkt, &mut out);
            info += out.info.len() as u64 + out.fields().len() as u64;
        }
    }
    out.clear();
    engine.finish(&mut out);
    (frames, info)
}

fn pipeline(c: &mut Criterion) {
    let n = packets();
    let bytes = capture(n);
    // The stages must see every packet, or the throughput figures would lie.
    assert_eq!(walk(bytes).0, n, "benchmark capture frame count");

    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Elements(n));
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("walk", |b| b.iter(|| black_box(walk(bytes))));
    g.bench_function("decode", |b| b.iter(|| black_box(walk_decode(bytes))));
    g.bench_function("dissect/summary", |b| b.iter(|| black_box(walk_dissect(bytes, false))));
    g.bench_function("dissect/tree", |b| b.iter(|| black_box(walk_dissect(bytes, true))));
    g.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
