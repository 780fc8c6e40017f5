//! Replays the committed fuzz corpus (`fuzz/seeds/TARGET/`, minimised with `cargo fuzz cmin`)
//! through the same bodies the fuzz targets run, so CI keeps every input the fuzzers learned
//! from (and every crash they found, once fixed) passing.

use std::path::Path;
use udpdissect::fuzzing::TARGETS;

#[test]
fn committed_corpus_replays_without_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut replayed = 0;
    for (name, body) in TARGETS {
        let Ok(dir) = std::fs::read_dir(root.join(name)) else { continue };
        for entry in dir {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            body(&bytes);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no corpus under {}", root.display());
}
