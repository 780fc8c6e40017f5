//! Superseded by `datagrams`, which drives every dissector's sessions; kept as an alias so
//! existing corpora and scripts still run.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| udpdissect::fuzzing::datagrams(data));
