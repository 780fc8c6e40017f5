//! The floor for whole-process speed: reads every record of a capture and does nothing else
//! (`scripts/bench-tshark.sh` compares `udpdissect stats` with it). Prints the record count and
//! the captured bytes.
//!
//! cargo run --release -p udpdissect-capture --example walk -- FILE

use std::process::ExitCode;
use udpdissect_capture::Reader;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: walk FILE");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let mut reader = match Reader::new(Box::new(file)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let (mut records, mut bytes) = (0u64, 0u64);
    loop {
        match reader.next_frame() {
            Ok(Some(f)) => {
                records += 1;
                bytes += f.data.len() as u64;
            }
            Ok(None) => break,
            Err(e) => {
                eprintln!("{}: {e}", path.to_string_lossy());
                return ExitCode::from(2);
            }
        }
    }
    println!("{records} records, {bytes} bytes");
    ExitCode::SUCCESS
}
