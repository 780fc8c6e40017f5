//! A frame whose bytes were copied into a batch buffer, for another thread to read back.

use crate::{Frame, Options, Timestamp};

/// A frame's description without its borrowed bytes, and where its packet data, options and
/// interface texts and options are in the buffer it was parked in: one after the other from
/// `start`. Written field by field (96 bytes, where the frame itself and its five ranges took
/// more than 240): a batch holds one per frame, written by one thread and read by the other.
#[derive(Debug, Clone)]
pub struct Parked {
    number: u64,
    ts: Timestamp,
    offset: u64,
    start: usize,
    /// Where the data, the options, the name, the description and the interface's options
    /// end, counted from `start` (a frame's bytes are far fewer than 4 GiB).
    ends: [u32; 5],
    orig_len: u32,
    interface: u32,
    interface_id: Option<u32>,
    section: u32,
    snaplen: u32,
    link_type: u16,
    has_ts: bool,
    ts_digits: u8,
    ts_resol: u8,
    big_endian: bool,
    /// Whether the frame names its interface, and describes it (an empty text is a text).
    has_name: bool,
    has_description: bool,
}

impl Parked {
    /// Appends the frame's packet data and options and its interface's texts and options to
    /// `buf`. Inlined, so that the fields go straight where the caller keeps them: returned
    /// through memory, byte fields stored one by one were read back in words, and each read
    /// waited for the stores to reach the cache (nine tenths of the dispatching thread's
    /// `Batch::push`).
    #[inline(always)]
    pub fn park(frame: &Frame, buf: &mut Vec<u8>) -> Parked {
        let start = buf.len();
        let mut end = |bytes: &[u8]| {
            buf.extend_from_slice(bytes);
            (buf.len() - start) as u32
        };
        let ends = [
            end(frame.data),
            end(frame.options.bytes),
            end(frame.interface_name.unwrap_or_default().as_bytes()),
            end(frame.interface_description.unwrap_or_default().as_bytes()),
            end(frame.interface_options),
        ];
        Parked {
            number: frame.number,
            ts: frame.ts,
            offset: frame.offset,
            start,
            ends,
            orig_len: frame.orig_len,
            interface: frame.interface,
            interface_id: frame.interface_id,
            section: frame.section,
            snaplen: frame.snaplen,
            link_type: frame.link_type,
            has_ts: frame.has_ts,
            ts_digits: frame.ts_digits,
            ts_resol: frame.ts_resol,
            big_endian: frame.options.big_endian,
            has_name: frame.interface_name.is_some(),
            has_description: frame.interface_description.is_some(),
        }
    }

    /// The frame's link type and packet bytes, read from the buffer it was parked in without
    /// making the frame again: enough for a glance at a frame that comes soon.
    pub fn link_and_data<'b>(&self, buf: &'b [u8]) -> (u16, &'b [u8]) {
        (self.link_type, &buf[self.start..self.start + self.ends[0] as usize])
    }

    /// The frame again, its bytes read from the buffer it was parked in.
    pub fn frame<'b>(&self, buf: &'b [u8]) -> Frame<'b> {
        let [data, options, name, description, interface_options] = self.ends.map(|e| self.start + e as usize);
        Frame {
            number: self.number,
            ts: self.ts,
            has_ts: self.has_ts,
            ts_digits: self.ts_digits,
            ts_resol: self.ts_resol,
            orig_len: self.orig_len,
            data: &buf[self.start..data],
            link_type: self.link_type,
            snaplen: self.snaplen,
            interface: self.interface,
            interface_id: self.interface_id,
            interface_name: self.has_name.then(|| text(&buf[options..name])),
            interface_description: self.has_description.then(|| text(&buf[name..description])),
            interface_options: &buf[description..interface_options],
            section: self.section,
            offset: self.offset,
            options: Options { bytes: &buf[data..options], big_endian: self.big_endian },
            // A parked frame's successor is in the batch already: nothing to glance at.
            next_data: &[],
        }
    }
}

/// Parked from a `&str`, so the bytes are UTF-8.
fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame<'a>(data: &'a [u8], options: &'a [u8], name: Option<&'a str>, description: Option<&'a str>) -> Frame<'a> {
        Frame {
            number: 7,
            ts: Timestamp { secs: -3, nanos: 999_999_999 },
            has_ts: false,
            ts_digits: 3,
            ts_resol: 0x86,
            orig_len: 1500,
            data,
            link_type: 113,
            snaplen: 262_144,
            interface: 4,
            interface_id: Some(2),
            interface_name: name,
            interface_description: description,
            interface_options: b"\x0c\x00\x05\x00Linux\x00\x00\x00",
            section: 3,
            offset: 1 << 40,
            options: Options { bytes: options, big_endian: true },
            next_data: &[],
        }
    }

    /// Every field comes back, after what the buffer already held; an empty text stays a
    /// text and a missing one stays missing.
    #[test]
    fn a_parked_frame_reads_back_whole() {
        let cases = [
            frame(b"\x45\x00data", b"\x00\x01\x00\x02hi\x00\x00", Some(""), Some("uplink")),
            frame(b"", b"", None, None),
            frame(b"x", b"", Some("eth0"), None),
        ];
        let mut buf = b"earlier frames".to_vec();
        let parked: Vec<_> = cases.iter().map(|f| Parked::park(f, &mut buf)).collect();
        for (f, p) in cases.iter().zip(&parked) {
            assert_eq!(format!("{:?}", p.frame(&buf)), format!("{f:?}"));
            assert_eq!(p.link_and_data(&buf), (113, f.data));
        }
        // A batch holds one per frame.
        assert!(size_of::<Parked>() <= 96, "{}", size_of::<Parked>());
    }
}
