//! A frame whose bytes were copied into a batch buffer, for another thread to read back.

use crate::{Frame, Options};
use std::ops::Range;

/// A frame's description without its borrowed bytes, and where its packet data and options
/// are in the buffer it was parked in.
#[derive(Debug, Clone)]
pub struct Parked {
    frame: Frame<'static>,
    data: Range<usize>,
    options: Range<usize>,
    /// The interface's name, after the options.
    name: Option<Range<usize>>,
}

impl Parked {
    /// Appends the frame's packet data, options and interface name to `buf`.
    pub fn park(frame: &Frame, buf: &mut Vec<u8>) -> Parked {
        let start = buf.len();
        buf.extend_from_slice(frame.data);
        let middle = buf.len();
        buf.extend_from_slice(frame.options.bytes);
        let end = buf.len();
        let name = frame.interface_name.map(|n| {
            buf.extend_from_slice(n.as_bytes());
            end..buf.len()
        });
        let options = Options { bytes: &[], big_endian: frame.options.big_endian };
        Parked {
            frame: Frame { data: &[], options, interface_name: None, ..*frame },
            data: start..middle,
            options: middle..end,
            name,
        }
    }

    /// The frame again, its bytes read from the buffer it was parked in.
    pub fn frame<'b>(&self, buf: &'b [u8]) -> Frame<'b> {
        let options = Options { bytes: &buf[self.options.clone()], ..self.frame.options };
        // Parked from a `&str`, so the bytes are UTF-8.
        let interface_name = self.name.clone().map(|r| std::str::from_utf8(&buf[r]).unwrap_or_default());
        Frame { data: &buf[self.data.clone()], options, interface_name, ..self.frame }
    }
}
