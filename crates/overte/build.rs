// `cfg(fuzzing)` (set by cargo-fuzz) bypasses the HMAC check so fuzzers reach deeper code.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(fuzzing)");
}
