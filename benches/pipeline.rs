//! Throughput of the pipeline stages over an in-memory benchmark capture (mostly SRUN
//! heartbeat traffic, see `udpdissect-samples`):
//!
//! - `walk`: capture reader only (`Reader::next_frame`);
//! - `decode`: walk + link/IP/UDP decode with a `Defragmenter`;
//! - `summary`: the whole pipeline (`udpdissect::pipeline::run`) with the default summary sink;
//! - `fields`: the same with the field tree built and `-T fields -e frame.number -e ip.src
//!   -e udp.srcport`;
//! - `ndjson`: the same with `-T ndjson`.
//!
//! Output goes to `io::sink()`; `scripts/bench-tshark.sh` measures the whole process.
//!
//! `cargo bench --bench pipeline`; `UDPDISSECT_BENCH_PACKETS` overrides the packet count.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::io::{self, Cursor};
use std::time::Duration;
use udpdissect::pipeline;
use udpdissect::render::{FieldOptions, FieldsSink, JsonSink, Sink, TextSink, TimeFormat};
use udpdissect_capture::{decode, DefragLimits, Defragmenter, Reader, Transport};
use udpdissect_core::Engine;

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

/// The CLI's pipeline into a sink that discards the output; returns the frames read. `lent`:
/// the protocols dissected on a second thread (none: one thread).
fn run_lending(bytes: &'static [u8], tree: bool, sink: &mut dyn Sink, lent: &[&str]) -> u64 {
    let mut r = reader(bytes);
    let mut engine = Engine::new(udpdissect::dissectors());
    let lend = udpdissect::split::lent_protocols(&engine, lent);
    let opts = pipeline::Options { lend, ..pipeline::Options::full(tree) };
    pipeline::run(&mut r, &mut engine, sink, &opts).unwrap_or_else(|_| panic!("benchmark capture is intact"))
}

fn run(bytes: &'static [u8], tree: bool, sink: &mut dyn Sink) -> u64 {
    run_lending(bytes, tree, sink, &[])
}

fn summary(bytes: &'static [u8]) -> u64 {
    run(bytes, false, &mut TextSink::new(io::sink(), false, false, false, false, TimeFormat::Relative))
}

/// The summary as the command runs it with two cores: Overte and EQStream on a second thread.
fn summary_two_threads(bytes: &'static [u8]) -> u64 {
    let mut sink = TextSink::new(io::sink(), false, false, false, false, TimeFormat::Relative);
    run_lending(bytes, false, &mut sink, udpdissect::split::LENT)
}

fn fields(bytes: &'static [u8]) -> u64 {
    let keys = vec!["frame.number".into(), "ip.src".into(), "udp.srcport".into()];
    let mut sink = FieldsSink::new(io::sink(), keys, FieldOptions::default(), false).expect("no header");
    run(bytes, true, &mut sink)
}

fn ndjson(bytes: &'static [u8]) -> u64 {
    run(bytes, true, &mut JsonSink::new(io::sink(), false, false))
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
    g.bench_function("summary", |b| b.iter(|| black_box(summary(bytes))));
    g.bench_function("summary, two threads", |b| b.iter(|| black_box(summary_two_threads(bytes))));
    g.bench_function("fields", |b| b.iter(|| black_box(fields(bytes))));
    g.bench_function("ndjson", |b| b.iter(|| black_box(ndjson(bytes))));
    g.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
