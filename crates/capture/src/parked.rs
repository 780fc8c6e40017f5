//! A frame whose bytes were copied into a batch buffer, for another thread to read back.

use crate::{Frame, Options};
use std::ops::Range;

/// A frame's description without its borrowed bytes, and where its packet data, options and
/// interface texts are in the buffer it was parked in.
#[derive(Debug, Clone)]
pub struct Parked {
    frame: Frame<'static>,
    data: Range<usize>,
    options: Range<usize>,
    /// The interface's name and description, after the options.
    name: Option<Range<usize>>,
    description: Option<Range<usize>>,
}

impl Parked {
    /// Appends the frame's packet data, options and interface texts to `buf`.
    pub fn park(frame: &Frame, buf: &mut Vec<u8>) -> Parked {
        let start = buf.len();
        buf.extend_from_slice(frame.data);
        let middle = buf.len();
        buf.extend_from_slice(frame.options.bytes);
        let end = buf.len();
        let name = park_text(frame.interface_name, buf);
        let description = park_text(frame.interface_description, buf);
        let options = Options { bytes: &[], big_endian: frame.options.big_endian };
        Parked {
            frame: Frame { data: &[], options, interface_name: None, interface_description: None, ..*frame },
            data: start..middle,
            options: middle..end,
            name,
            description,
        }
    }

    /// The frame's link type and packet bytes, read from the buffer it was parked in without
    /// making the frame again: enough for a glance at a frame that comes soon.
    pub fn link_and_data<'b>(&self, buf: &'b [u8]) -> (u16, &'b [u8]) {
        (self.frame.link_type, &buf[self.data.clone()])
    }

    /// The frame again, its bytes read from the buffer it was parked in.
    pub fn frame<'b>(&self, buf: &'b [u8]) -> Frame<'b> {
        let options = Options { bytes: &buf[self.options.clone()], ..self.frame.options };
        Frame {
            data: &buf[self.data.clone()],
            options,
            interface_name: text(&self.name, buf),
            interface_description: text(&self.description, buf),
            ..self.frame
        }
    }
}

fn park_text(text: Option<&str>, buf: &mut Vec<u8>) -> Option<Range<usize>> {
    text.map(|t| {
        let start = buf.len();
        buf.extend_from_slice(t.as_bytes());
        start..buf.len()
    })
}

/// Parked from a `&str`, so the bytes are UTF-8.
fn text<'b>(at: &Option<Range<usize>>, buf: &'b [u8]) -> Option<&'b str> {
    at.clone().map(|r| std::str::from_utf8(&buf[r]).unwrap_or_default())
}
