//! Dissecting on two threads (`src/split.rs`) against one, on every shipped capture and with
//! every set of protocols lent: the tree with hex dumps, the summary, the statistics and the
//! run's result are the same bytes. (The command-line test compares the binary's output with
//! the sets it uses; the `split` fuzz target does this on arbitrary captures.)

use std::path::PathBuf;
use udpdissect::fuzzing::{split_lending, SPLIT_SETS};

#[test]
fn every_capture_reads_the_same_whatever_is_lent() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures");
    let mut n = 0;
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if !path.extension().is_some_and(|x| x == "pcap" || x == "pcapng") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for names in SPLIT_SETS {
            split_lending(&bytes, names);
        }
        n += 1;
    }
    assert!(n >= 20, "{n} captures");
}
