//! Arbitrary datagram sequences through the Overte dissector, seeded with DomainList facts so
//! source-ID and HMAC checks are reached. The body is `udpdissect::fuzzing::overte`, which
//! `tests/fuzz_corpus.rs` replays.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| udpdissect::fuzzing::overte(data));
