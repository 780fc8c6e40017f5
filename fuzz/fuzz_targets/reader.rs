//! Arbitrary bytes as a capture file: the reader and the layer decode.
//! The body is `udpdissect::fuzzing::reader`, which `tests/fuzz_corpus.rs` replays.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| udpdissect::fuzzing::reader(data));
