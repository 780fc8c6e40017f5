//! Arbitrary bytes as a capture through the whole pipeline, every renderer and statistics table.
//! The body is `udpdissect::fuzzing::pipeline`, which `tests/fuzz_corpus.rs` replays.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| udpdissect::fuzzing::pipeline(data));
