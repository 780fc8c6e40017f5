//! Writes the sample captures and their README, or a benchmark capture.
//!
//! ```text
//! gen-captures [DIR]                  every sample into DIR (default `captures`)
//! gen-captures --benchmark N FILE     a benchmark pcap of N packets
//! ```

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: gen-captures [DIR]\n       gen-captures --benchmark PACKETS FILE";

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [flag, n, file] if flag == "--benchmark" => {
            let packets: u64 = n.parse().map_err(|_| format!("not a packet count: {n}\n{USAGE}"))?;
            let f = File::create(file).map_err(|e| format!("{file}: {e}"))?;
            udpdissect_samples::benchmark(packets, BufWriter::new(f)).map_err(|e| format!("{file}: {e}"))?;
            eprintln!("wrote {packets} packets to {file}");
            Ok(())
        }
        [flag, ..] if flag.starts_with('-') => Err(USAGE.to_string()),
        [] | [_] => {
            let dir = Path::new(args.first().map_or("captures", String::as_str));
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let samples = udpdissect_samples::all();
            for s in &samples {
                let path = dir.join(s.name);
                fs::write(&path, &s.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            let path = dir.join("README.md");
            fs::write(&path, udpdissect_samples::readme(&samples)).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("wrote {} samples and README.md to {}", samples.len(), dir.display());
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-captures: {e}");
            ExitCode::FAILURE
        }
    }
}
