//! Arbitrary datagram sequences through every dissector's session state.
//! The body is `udpdissect::fuzzing::datagrams`, which `tests/fuzz_corpus.rs` replays.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| udpdissect::fuzzing::datagrams(data));
