//! Arbitrary bytes as a capture, dissected on one thread and on two: the outputs must match.
//! The body is `udpdissect::fuzzing::split`, which `tests/fuzz_corpus.rs` replays.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| udpdissect::fuzzing::split(data));
