//! pcapng options: a block's option list as read, what a packet block's options say (flags,
//! drops, ids), and the options that `-w` carries from one file to the next, with their
//! numbers turned to little-endian, the byte order the writer writes.

use crate::reader::{rd16, rd32, rd64};

/// A pcapng block's options, undecoded: `(code, length)` headers in the section's byte order,
/// each value padded to 4 bytes, up to `opt_endofopt` or the end.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    pub bytes: &'a [u8],
    pub big_endian: bool,
}

impl<'a> Options<'a> {
    /// Options already in little-endian order: an interface's, as the reader keeps them.
    pub fn little_endian(bytes: &'a [u8]) -> Self {
        Options { bytes, big_endian: false }
    }

    /// Each option's code and value, `opt_endofopt` excluded; a value that runs past the end
    /// ends the list (a damaged option list loses its tail, not the packet).
    pub fn iter(self) -> impl Iterator<Item = (u16, &'a [u8])> {
        let mut rest = self.bytes;
        std::iter::from_fn(move || {
            let head = rest.get(..4)?;
            let (code, len) = (rd16(self.big_endian, head), usize::from(rd16(self.big_endian, &head[2..])));
            let value = rest.get(4..4 + len).filter(|_| code != 0)?;
            rest = rest.get(4 + len.next_multiple_of(4)..).unwrap_or_default();
            Some((code, value))
        })
    }

    /// The options of a packet block that a rewritten file keeps (`-w`), in order: all but
    /// the custom options marked not to be copied.
    pub fn carried(self) -> impl Iterator<Item = (u16, &'a [u8])> {
        self.iter().filter(|(code, v)| carried(Block::Packet, *code, v.len()).is_some())
    }

    /// The `opt_comment` values, in order (UTF-8, as the format says; anything else replaced).
    pub fn comments(self) -> impl Iterator<Item = std::borrow::Cow<'a, str>> {
        self.iter().filter(|&(code, _)| code == 1).map(|(_, v)| String::from_utf8_lossy(v))
    }

    /// The first option `code`'s value as text (UTF-8, anything else replaced; trailing NULs,
    /// which some writers count in the length, left out).
    pub fn text(self, code: u16) -> Option<std::borrow::Cow<'a, str>> {
        let (_, v) = self.iter().find(|&(c, _)| c == code)?;
        let end = v.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        Some(String::from_utf8_lossy(&v[..end]))
    }

    /// The first option `code`'s value as a 4- or 8-byte number (`len`) in the section's byte
    /// order; `None` when it is absent or has another length.
    fn number(self, code: u16, len: usize) -> Option<u64> {
        let (_, v) = self.iter().find(|&(c, _)| c == code).filter(|(_, v)| v.len() == len)?;
        Some(if len == 4 { rd32(self.big_endian, v).into() } else { rd64(self.big_endian, v) })
    }

    /// A packet block's `epb_flags`: direction, reception type, FCS length, link-layer errors.
    pub fn flags(self) -> Option<u32> {
        self.number(2, 4).map(|n| n as u32)
    }

    /// A packet block's `epb_dropcount`: packets lost (by the interface and the OS) between
    /// this packet and the one before it on its interface.
    pub fn drop_count(self) -> Option<u64> {
        self.number(4, 8)
    }

    /// Adds [`Options::drop_count`] to a capture's sum, which stays `None` until a packet
    /// block gives one (a capture that says nothing of its losses is not one that lost none).
    pub fn add_drop_count(self, sum: &mut Option<u64>) {
        if let Some(n) = self.drop_count() {
            *sum = Some(sum.unwrap_or(0).saturating_add(n));
        }
    }

    /// A packet block's `epb_packetid`.
    pub fn packet_id(self) -> Option<u64> {
        self.number(5, 8)
    }

    /// A packet block's `epb_queue`: the interface queue it was received on.
    pub fn queue(self) -> Option<u32> {
        self.number(6, 4).map(|n| n as u32)
    }

    /// An interface description's `if_speed` (bits per second).
    pub fn speed(self) -> Option<u64> {
        self.number(8, 8)
    }

    /// An interface description's `if_filter` as text: the capture filter when it is given
    /// as a libpcap filter string (its first byte 0); `None` for compiled BPF.
    pub fn filter(self) -> Option<std::borrow::Cow<'a, str>> {
        let (_, v) = self.iter().find(|&(c, _)| c == 11)?;
        let (&0, text) = v.split_first()? else { return None };
        Some(String::from_utf8_lossy(text))
    }
}

/// Which block an option list belongs to: the same code means different things in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Block {
    Packet,
    Interface,
}

/// How an option is carried into a new file: `Some(n)` when it is copied, its first `n` bytes a
/// number in the section's byte order (0 for text and bytes); `None` when it is not.
fn carried(block: Block, code: u16, len: usize) -> Option<usize> {
    Some(match (block, code, len) {
        // Custom options: the copyable ones start with their enterprise number; the others
        // must not be copied when a file is rewritten (the pcapng specification).
        (_, 2988 | 2989, n) if n >= 4 => 4,
        (_, 2988 | 2989 | 19372 | 19373, _) => return None,
        (_, 1, _) => 0,
        // epb_flags and epb_queue; epb_dropcount and epb_packetid.
        (Block::Packet, 2 | 6, 4) | (Block::Packet, 4 | 5, 8) => len,
        (Block::Packet, ..) => 0,
        // if_speed, if_txspeed, if_rxspeed; if_tzone.
        (Block::Interface, 8 | 16 | 17, 8) | (Block::Interface, 10, 4) => len,
        // Addresses, if_filter, if_os, if_fcslen, if_hardware, if_iana_tzname.
        (Block::Interface, 4..=7 | 11 | 12 | 15 | 18, _) | (Block::Interface, 13, 1) => 0,
        // The name, description and time options are written from the frame's interface; any
        // other option's numbers could not be put in little-endian order.
        (Block::Interface, ..) => return None,
    })
}

/// Appends the options of `options` that a new file keeps, their numbers in little-endian
/// order, while `out` stays within `limit` bytes (an option past it is left out). Returns
/// whether any was appended.
pub(crate) fn push_carried(out: &mut Vec<u8>, block: Block, options: Options, limit: usize) -> bool {
    let mut any = false;
    for (code, value) in options.iter() {
        let Some(number) = carried(block, code, value.len()) else { continue };
        if out.len() + 4 + value.len().next_multiple_of(4) > limit {
            continue;
        }
        let at = out.len() + 4;
        push(out, code, value);
        if options.big_endian {
            out[at..at + number].reverse();
        }
        any = true;
    }
    any
}

/// Appends an option in little-endian order, its value cut to what a length can say.
pub(crate) fn push(out: &mut Vec<u8>, code: u16, value: &[u8]) {
    let value = &value[..value.len().min(usize::from(u16::MAX))];
    out.extend_from_slice(&code.to_le_bytes());
    out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    push_padded(out, value);
}

/// Bytes, then zeros to the next multiple of 4.
pub(crate) fn push_padded(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(bytes);
    out.resize(out.len().next_multiple_of(4), 0);
}
