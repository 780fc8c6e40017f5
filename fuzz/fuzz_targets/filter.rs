//! Arbitrary display-filter text: compile, render errors, evaluate.
//! The body is `udpdissect::fuzzing::filter`, which `tests/fuzz_corpus.rs` replays.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| udpdissect::fuzzing::filter(data));
