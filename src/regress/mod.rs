//! `udpdissect regress DIR`: every capture under DIR (or the one capture DIR names) decoded
//! and compared with the expected file beside it (`NAME.expected`), or, with `--bless`, those
//! files written. Format and exit statuses: docs/regress.md.

pub mod compare;
pub mod expected;
pub mod junit;

use crate::pipeline::{self, Stop};
use expected::ExpectedSink;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use udpdissect_capture::Reader;
use udpdissect_core::{Dissection, Engine};
use udpdissect_filter::Filter;

/// File names that are captures (compared case-insensitively).
pub const EXTENSIONS: &[&str] = &[".pcap", ".pcapng", ".cap", ".gz", ".zst", ".lz4"];

/// Appended to a capture's file name to name its expected file.
pub const SUFFIX: &str = ".expected";

/// How a suite runs.
pub struct Suite<'a> {
    /// Write the expected files instead of comparing with them.
    pub bless: bool,
    /// A fresh engine per capture: protocol state (sessions, reassembly) must not leak from
    /// one capture into the next, or a capture's decode would depend on its neighbours.
    pub engine: &'a (dyn Fn() -> Result<Engine, String> + Sync),
    /// `-Y`: only the frames it keeps are written and compared.
    pub filter: Option<&'a Filter>,
}

/// What a run counted: the closing `N passed, M failed` line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
}

/// One capture's result, for reports ([`junit`]).
#[derive(Debug, Clone)]
pub struct Case {
    pub path: PathBuf,
    /// The line printed for a capture that passed (or was blessed), or why it failed.
    pub outcome: Result<String, String>,
    /// Decoding and comparing it took this long.
    pub time: Duration,
}

/// What a run did: the tally, each capture's result in path order, and how long it took.
#[derive(Debug, Clone)]
pub struct Run {
    pub tally: Tally,
    pub cases: Vec<Case>,
    pub time: Duration,
}

/// One capture's decode in the expected-file format.
pub struct Decode {
    pub text: String,
    pub frames: u64,
    pub damaged: bool,
}

/// The expected file of a capture: its path with [`SUFFIX`] appended.
pub fn expected_path(capture: &Path) -> PathBuf {
    let mut name = OsString::from(capture.as_os_str());
    name.push(SUFFIX);
    PathBuf::from(name)
}

fn is_capture(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    EXTENSIONS.iter().any(|e| name.ends_with(e))
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: cannot read directory: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: cannot read directory: {e}", dir.display()))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| format!("{}: {e}", path.display()))?;
        // Symbolic links to directories are not followed: a link cycle would never end.
        if kind.is_dir() {
            walk(&path, found)?;
        } else if is_capture(&path) && (kind.is_file() || path.is_file()) {
            found.push(path);
        }
    }
    Ok(())
}

/// Every capture under `dir`, recursively, sorted by path so runs are in the same order on
/// every machine; or `dir` alone when it is a file (one capture checked, whatever its name).
/// An unreadable directory or one without captures is a usage error.
pub fn captures(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut found = Vec::new();
    walk(dir, &mut found)?;
    if found.is_empty() {
        return Err(format!(
            "{}: no captures found (files ending {}, searched recursively)",
            dir.display(),
            EXTENSIONS.join(", ")
        ));
    }
    found.sort();
    Ok(found)
}

/// Decodes one capture into its expected-file text. Damage is part of the decode; only a file
/// that cannot be opened is an error.
pub fn decode(path: &Path, engine: &mut Engine, filter: Option<&Filter>) -> Result<Decode, String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut sink = ExpectedSink::new(&name);
    let file = fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let damage = match Reader::new(Box::new(file)) {
        Ok(mut reader) => {
            let opts = pipeline::Options::full(true);
            let keep = |d: &Dissection, frame: &[u8]| filter.is_none_or(|f| f.matches(d, frame));
            let keep = filter.map(|_| &keep as pipeline::FrameFilter);
            match pipeline::run_filtered(&mut reader, engine, &mut sink, &opts, keep) {
                Ok(_) => None,
                Err(Stop::Damaged(e)) => Some(e),
                Err(Stop::Output(e)) => return Err(format!("decoding: {e}")),
            }
        }
        Err(e) => Some(e),
    };
    if let Some(e) = &damage {
        sink.damaged(e);
    }
    let frames = sink.frames();
    Ok(Decode { text: sink.into_text(), frames, damaged: damage.is_some() })
}

fn frames_text(d: &Decode) -> String {
    let plural = if d.frames == 1 { "" } else { "s" };
    let damaged = if d.damaged { ", damaged" } else { "" };
    format!("{} frame{plural}{damaged}", d.frames)
}

/// Compares one capture with its expected file: `Ok` with the `ok` line's detail, or `Err`
/// with the failure (first line, then indented detail lines).
fn check(path: &Path, decode: &Decode) -> Result<String, String> {
    let exp = expected_path(path);
    let text = match fs::read_to_string(&exp) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(format!("no expected file; run with --bless to create {}", exp.display()))
        }
        Err(e) => return Err(format!("{}: cannot read: {e}", exp.display())),
    };
    if !text.starts_with(expected::HEADER) {
        let first = text.lines().next().unwrap_or("");
        return Err(format!(
            "{}: not an expected file of this version (first line {first:?}, want {:?}); check it and run with --bless",
            exp.display(),
            expected::HEADER.trim_end()
        ));
    }
    let report = compare::compare(&text, &decode.text);
    if report.is_empty() {
        return Ok(frames_text(decode));
    }
    let mut s = format!("differs from {}\n", exp.display());
    report.render(&mut s);
    Err(s.trim_end().to_string())
}

/// Writes one capture's expected file if it changed; the word for the `bless` line.
fn bless(path: &Path, decode: &Decode) -> Result<&'static str, String> {
    let exp = expected_path(path);
    let word = match fs::read(&exp) {
        Ok(old) if old == decode.text.as_bytes() => return Ok("unchanged"),
        Ok(_) => "updated",
        Err(e) if e.kind() == io::ErrorKind::NotFound => "wrote",
        Err(e) => return Err(format!("{}: cannot read: {e}", exp.display())),
    };
    fs::write(&exp, &decode.text).map_err(|e| format!("{}: cannot write: {e}", exp.display()))?;
    Ok(word)
}

/// Runs (or blesses) every capture under `dir`, printing one line per capture and the closing
/// tally. `Err` is a usage error: an unreadable `dir`, no captures, an engine that cannot be
/// built, or output that cannot be written.
///
/// Captures are independent (each gets a fresh engine), so they are decoded on every core at
/// once; the lines come out in path order all the same, each as soon as those before it are.
pub fn run(dir: &Path, suite: &Suite, out: &mut dyn Write) -> Result<Run, String> {
    let paths = captures(dir)?;
    let workers = crate::cores().min(paths.len());
    run_on(&paths, suite, workers, out)
}

/// [`run`] over `paths` with `workers` threads.
pub fn run_on(paths: &[PathBuf], suite: &Suite, workers: usize, out: &mut dyn Write) -> Result<Run, String> {
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let (done, results) = mpsc::channel::<(usize, Line, Duration)>();
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            let done = done.clone();
            let next = &next;
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { return };
                let began = Instant::now();
                let line = one(path, suite);
                // The printer stopped (its output failed): no one wants the rest.
                if done.send((i, line, began.elapsed())).is_err() {
                    return;
                }
            });
        }
        drop(done);
        let (tally, cases) = print_in_order(paths, results, out)?;
        Ok(Run { tally, cases, time: start.elapsed() })
    })
}

/// One capture's line: `Ok(Ok(line))` passed, `Ok(Err(why))` failed, `Err` a usage error.
type Line = Result<Result<String, String>, String>;

fn one(path: &Path, suite: &Suite) -> Line {
    let mut engine = (suite.engine)()?;
    Ok(decode(path, &mut engine, suite.filter).and_then(|d| match suite.bless {
        true => bless(path, &d).map(|word| format!("bless {}: {word}", path.display())),
        false => check(path, &d).map(|detail| format!("ok   {} ({detail})", path.display())),
    }))
}

/// Writes the lines in path order as they become ready, then the tally; the results in that
/// order.
fn print_in_order(
    paths: &[PathBuf],
    results: mpsc::Receiver<(usize, Line, Duration)>,
    out: &mut dyn Write,
) -> Result<(Tally, Vec<Case>), String> {
    let mut tally = Tally::default();
    let mut cases = Vec::with_capacity(paths.len());
    let write_err = |e: io::Error| format!("writing output: {e}");
    let mut ready = BTreeMap::new();
    for (i, result, time) in results {
        ready.insert(i, (result?, time));
        while let Some((outcome, time)) = ready.remove(&cases.len()) {
            let path = &paths[cases.len()];
            match &outcome {
                Ok(line) => {
                    tally.passed += 1;
                    writeln!(out, "{line}").map_err(write_err)?;
                }
                Err(why) => {
                    tally.failed += 1;
                    writeln!(out, "FAIL {}: {why}", path.display()).map_err(write_err)?;
                }
            }
            out.flush().map_err(write_err)?;
            cases.push(Case { path: path.clone(), outcome, time });
        }
    }
    writeln!(out, "{} passed, {} failed", tally.passed, tally.failed).map_err(write_err)?;
    out.flush().map_err(write_err)?;
    Ok((tally, cases))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_names_and_their_expected_files() {
        for name in ["a.pcap", "b.PCAPNG", "c.cap", "d.pcap.gz", "e.pcapng.zst", "f.pcap.LZ4"] {
            assert!(is_capture(Path::new(name)), "{name}");
        }
        for name in ["a.pcap.expected", "README.md", "pcap", "notes.zip"] {
            assert!(!is_capture(Path::new(name)), "{name}");
        }
        assert_eq!(expected_path(Path::new("dir/x.pcap.gz")), Path::new("dir/x.pcap.gz.expected"));
    }
}
