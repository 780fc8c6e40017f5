//! The `udpdissect` command as a library: options, the pipeline from capture to output, the
//! renderers, the lower-layer fields, regression suites, `diff` and `--strict`. `main.rs` only parses
//! arguments and reports errors; fuzz targets and benchmarks drive the same code.

#![forbid(unsafe_code)]

pub mod cli;
pub mod diff;
pub mod fuzzing;
pub mod kept;
pub mod layers;
pub mod list;
pub mod pipeline;
pub mod probe;
pub mod progress;
pub mod regress;
pub mod render;
pub mod split;
pub mod stats;
pub mod strict;

use udpdissect_core::Dissector;

/// Cores a run may use: `UDPDISSECT_THREADS=1` keeps it to one (for measuring, or a machine
/// shared with other work).
pub fn cores() -> usize {
    if std::env::var_os("UDPDISSECT_THREADS").is_some_and(|v| v == "1") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// Every protocol family, in registration order.
pub fn dissectors() -> Vec<Box<dyn Dissector>> {
    vec![
        Box::new(udpdissect_heartbeat::Heartbeat::new()),
        Box::new(udpdissect_overte::Overte::new()),
        Box::new(udpdissect_eqstream::EqStream::new()),
        Box::new(udpdissect_overnet::Overnet::new()),
    ]
}
