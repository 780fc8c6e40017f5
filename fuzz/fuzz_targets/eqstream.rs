//! EQStream sessions: a real handshake chosen by the first byte, then arbitrary datagrams in
//! both directions. The body is `udpdissect::fuzzing::eqstream`, which `tests/fuzz_corpus.rs`
//! replays.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| udpdissect::fuzzing::eqstream(data));
