//! Arbitrary datagram sequences between Overnet nodes: recognition, decoding, pairing, search
//! tracking and the tables. The body is `udpdissect::fuzzing::overnet`, which
//! `tests/fuzz_corpus.rs` replays.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| udpdissect::fuzzing::overnet(data));
