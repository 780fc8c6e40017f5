//! Replays the committed fuzz corpus (`fuzz/seeds/TARGET/`, minimised with `cargo fuzz cmin`)
//! through the same bodies the fuzz targets run, so CI keeps every input the fuzzers learned
//! from (and every crash they found, once fixed) passing. One test per target, so that the
//! harness replays them side by side, and more for a target whose seeds take much longer.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use udpdissect::fuzzing::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Targets whose seeds are replayed in two halves, a test each (`NAME` and `NAME_part_2`), so
/// that the harness's threads finish together: `pipeline` runs every renderer on each input,
/// `split` each input on one thread and on two, and their seeds took 106 s and 44 s of the
/// debug build's replay where all the others together took 31 s.
const HALVED: &[&str] = &["pipeline", "split"];

/// Half `part` of the seeds of `name` (every seed, for a target not in [`HALVED`]) through its
/// body; a target must have seeds.
fn replay(name: &str, part: usize) {
    let (_, body) = TARGETS.iter().find(|(n, _)| *n == name).expect("a body in udpdissect::fuzzing::TARGETS");
    let parts = if HALVED.contains(&name) { 2 } else { 1 };
    let dir = fuzz_dir().join("seeds").join(name);
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds.sort();
    for seed in seeds.iter().skip(part).step_by(parts) {
        body(&std::fs::read(seed).unwrap());
    }
}

macro_rules! replay {
    ($($name:ident),* $(,)?) => {
        $(#[test]
        fn $name() {
            replay(stringify!($name), 0);
        })*
        /// The targets the tests above replay.
        const REPLAYED: &[&str] = &[$(stringify!($name)),*];
    };
}

replay!(reader, pipeline, split, filter, datagrams, overnet, overte, eqstream);

#[test]
fn pipeline_part_2() {
    replay("pipeline", 1);
}

#[test]
fn split_part_2() {
    replay("split", 1);
}

/// A target added to `udpdissect::fuzzing`, a seed directory or a fuzz target whose body is not
/// replayed above fails here, so no corpus is committed without CI replaying it.
#[test]
fn every_target_and_seed_directory_is_replayed() {
    let replayed: BTreeSet<&str> = REPLAYED.iter().copied().collect();
    let bodies: BTreeSet<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(bodies, replayed, "udpdissect::fuzzing::TARGETS against the tests of this file");
    assert!(HALVED.iter().all(|name| replayed.contains(name)), "{HALVED:?}");

    let seeds: Vec<String> = std::fs::read_dir(fuzz_dir().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(seeds.iter().map(String::as_str).collect::<BTreeSet<_>>(), replayed, "fuzz/seeds/ against the tests");

    let mut targets = 0;
    for entry in std::fs::read_dir(fuzz_dir().join("fuzz_targets")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // The body the `fuzz_target!` line calls (a doc comment may name another).
        let (_, call) = text
            .split_once("fuzz_target!")
            .and_then(|(_, target)| target.split_once("udpdissect::fuzzing::"))
            .unwrap_or_else(|| panic!("{}: no body", path.display()));
        let body: String = call.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        assert!(bodies.contains(body.as_str()), "{} runs {body}, which no test here replays", path.display());
        targets += 1;
    }
    assert!(targets >= REPLAYED.len(), "fuzz/fuzz_targets/ holds {targets} targets");
}
