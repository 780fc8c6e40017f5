//! Arbitrary bytes as a capture file: the reader and the layer decode must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use udpdissect_capture::{decode, Defragmenter, Reader};

fuzz_target!(|data: &[u8]| {
    let Ok(mut reader) = Reader::new(Box::new(std::io::Cursor::new(data.to_vec()))) else { return };
    let mut defrag = Defragmenter::default();
    while let Ok(Some(frame)) = reader.next_frame() {
        let _ = decode(&frame, &mut defrag);
    }
});
