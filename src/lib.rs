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

use udpdissect_core::{Dissector, ProtocolInfo};

/// Cores a run may use: `UDPDISSECT_THREADS=1` keeps it to one (for measuring, or a machine
/// shared with other work).
pub fn cores() -> usize {
    if std::env::var_os("UDPDISSECT_THREADS").is_some_and(|v| v == "1") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// Opens a capture file, with an error that names it and says what to do: a folder is not a
/// capture (its captures are checked with `udpdissect regress`).
pub fn open_capture(path: &std::path::Path) -> Result<std::fs::File, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}: cannot open: {e}", path.display()))?;
    if f.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!(
            "{}: is a folder, not a capture: give one capture file (udpdissect regress {} decodes every \
             capture under a folder and compares each with its expected file)",
            path.display(),
            path.display()
        ));
    }
    Ok(f)
}

/// Every protocol family's description, in registration order (that of [`dissectors`]), for
/// what needs to know the protocols without dissecting.
pub static PROTOCOLS: [&ProtocolInfo; 4] = [
    &udpdissect_heartbeat::PROTOCOL,
    &udpdissect_overte::PROTOCOL,
    &udpdissect_eqstream::PROTOCOL,
    &udpdissect_overnet::PROTOCOL,
];

/// Every protocol family, in registration order.
pub fn dissectors() -> Vec<Box<dyn Dissector>> {
    vec![
        Box::new(udpdissect_heartbeat::Heartbeat::new()),
        Box::new(udpdissect_overte::Overte::new()),
        Box::new(udpdissect_eqstream::EqStream::new()),
        Box::new(udpdissect_overnet::Overnet::new()),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_protocols_are_those_the_dissectors_describe() {
        let described: Vec<&str> = super::dissectors().iter().map(|d| d.info().name).collect();
        let listed: Vec<&str> = super::PROTOCOLS.iter().map(|p| p.name).collect();
        assert_eq!(listed, described);
        assert_eq!(listed, ["heartbeat", "overte", "eqstream", "overnet"]);
    }
}
