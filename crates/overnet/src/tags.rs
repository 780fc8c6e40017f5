//! eDonkey meta tags (`protocols/overnet.md` §A.5): a type byte (0x80 = one-byte name id),
//! the name, then a value whose size the type decides; and the `loc` tag's `bcp://` URI.

use std::net::Ipv4Addr;
use std::ops::Range;

use crate::wire::{u16le, u32le, u64le};

/// Type bit 7: the name is one id byte instead of a u16-length string.
pub const SHORT_NAME: u8 = 0x80;

pub const HASH: u8 = 0x01;
pub const STRING: u8 = 0x02;
pub const UINT32: u8 = 0x03;
pub const FLOAT32: u8 = 0x04;
pub const BOOL: u8 = 0x05;
pub const BOOLARRAY: u8 = 0x06;
pub const BLOB: u8 = 0x07;
pub const UINT16: u8 = 0x08;
pub const UINT8: u8 = 0x09;
pub const BSOB: u8 = 0x0A;
pub const UINT64: u8 = 0x0B;
/// STR1..STR16: 0x11..=0x20, a string of exactly `type - 0x10` bytes.
pub const STR1: u8 = 0x11;
pub const STR16: u8 = 0x20;

/// Name of a tag type (without the 0x80 flag).
pub fn type_name(t: u8) -> Option<&'static str> {
    Some(match t & !SHORT_NAME {
        HASH => "HASH",
        STRING => "STRING",
        UINT32 => "UINT32",
        FLOAT32 => "FLOAT32",
        BOOL => "BOOL",
        BOOLARRAY => "BOOLARRAY",
        BLOB => "BLOB",
        UINT16 => "UINT16",
        UINT8 => "UINT8",
        BSOB => "BSOB",
        UINT64 => "UINT64",
        0x11 => "STR1",
        0x12 => "STR2",
        0x13 => "STR3",
        0x14 => "STR4",
        0x15 => "STR5",
        0x16 => "STR6",
        0x17 => "STR7",
        0x18 => "STR8",
        0x19 => "STR9",
        0x1A => "STR10",
        0x1B => "STR11",
        0x1C => "STR12",
        0x1D => "STR13",
        0x1E => "STR14",
        0x1F => "STR15",
        0x20 => "STR16",
        _ => return None,
    })
}

/// Names of the one-byte special tag ids (Wireshark's table plus mldonkey's media tags).
pub fn special_name(id: u8) -> Option<&'static str> {
    Some(match id {
        0x01 => "Name",
        0x02 => "Size",
        0x03 => "Type",
        0x04 => "Format",
        0x05 => "Collection",
        0x06 => "Part Path",
        0x07 => "Part Hash",
        0x08 => "Copied",
        0x09 => "Gap Start",
        0x0A => "Gap End",
        0x0B => "Description",
        0x0C => "Ping",
        0x0D => "Fail",
        0x0E => "Preference",
        0x0F => "Port",
        0x10 => "IP",
        0x11 => "Version",
        0x12 => "Temp File",
        0x13 => "Priority",
        0x14 => "Status",
        0x15 => "Availability",
        0x16 => "Queue Time",
        0x17 => "Parts",
        0x20 => "Compression",
        0x21 => "UDP Client Port",
        0x22 => "UDP Version",
        0x23 => "Source Exchange",
        0x24 => "Comments",
        0x25 => "Extended Request",
        0x26 => "Compatible Client",
        0x30 => "Complete Sources",
        0x3A => "Size High 32 Bits",
        0x55 => "Mod Version",
        0x91 => "Server Version",
        0xD0 => "Artist",
        0xD1 => "Album",
        0xD2 => "Title",
        0xD3 => "Media Length",
        0xD4 => "Bitrate",
        0xD5 => "Codec",
        0xEF => "Compat Options",
        0xF7 => "File Rating",
        0xF9 => "eMule UDP Ports",
        0xFA => "eMule Misc Options 1",
        0xFB => "eMule Version",
        0xFC => "Buddy IP",
        0xFD => "Buddy UDP Port",
        0xFE => "eMule Misc Options 2",
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagName<'a> {
    /// Short form (type has 0x80): one id byte.
    Id(u8),
    /// Long form: u16 length + bytes (one byte means a special id).
    Long(&'a [u8]),
    /// mldonkey's UINT8/UINT16 tags written without any name (its writer bug).
    Nameless,
}

impl TagName<'_> {
    /// The special id, when the name is one.
    pub fn special(&self) -> Option<u8> {
        match *self {
            TagName::Id(id) => Some(id),
            TagName::Long([id]) => Some(*id),
            _ => None,
        }
    }

    pub fn is(&self, name: &[u8]) -> bool {
        matches!(self, TagName::Long(n) if *n == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TagValue<'a> {
    Hash(&'a [u8]),
    /// STRING and STRn (the type tells which).
    String(&'a [u8]),
    U32(u32),
    /// Kept as its bits so round trips are exact.
    Float(u32),
    Bool(u8),
    /// Bit count and the (count / 8 + 1) bytes.
    BoolArray(u16, &'a [u8]),
    Blob(&'a [u8]),
    U16(u16),
    U8(u8),
    Bsob(&'a [u8]),
    U64(u64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tag<'a> {
    /// The type byte as sent (0x80 included).
    pub ty: u8,
    pub name: TagName<'a>,
    pub value: TagValue<'a>,
}

/// Where a parsed tag's parts lie (absolute offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagLayout {
    pub start: usize,
    /// The name bytes (the id byte, or the string after its u16 length).
    pub name: Range<usize>,
    /// The value bytes, length prefix included.
    pub value: Range<usize>,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagErrorKind {
    Truncated,
    UnknownType(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagError {
    pub at: usize,
    pub kind: TagErrorKind,
}

fn slice(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}

/// The value of type `t` at `at`: (value, end).
fn value(b: &[u8], t: u8, at: usize) -> Result<(TagValue<'_>, usize), TagError> {
    let short = TagError { at, kind: TagErrorKind::Truncated };
    let fixed = |n: usize| slice(b, at, n).ok_or(short);
    Ok(match t {
        HASH => (TagValue::Hash(fixed(16)?), at + 16),
        STRING => {
            let n = u16le(b, at).ok_or(short)? as usize;
            (TagValue::String(slice(b, at + 2, n).ok_or(short)?), at + 2 + n)
        }
        UINT32 => (TagValue::U32(u32le(b, at).ok_or(short)?), at + 4),
        FLOAT32 => (TagValue::Float(u32le(b, at).ok_or(short)?), at + 4),
        BOOL => (TagValue::Bool(fixed(1)?[0]), at + 1),
        BOOLARRAY => {
            let bits = u16le(b, at).ok_or(short)?;
            let n = bits as usize / 8 + 1;
            (TagValue::BoolArray(bits, slice(b, at + 2, n).ok_or(short)?), at + 2 + n)
        }
        BLOB => {
            let n = u32le(b, at).ok_or(short)? as usize;
            (TagValue::Blob(slice(b, at + 4, n).ok_or(short)?), at.saturating_add(4 + n))
        }
        UINT16 => (TagValue::U16(u16le(b, at).ok_or(short)?), at + 2),
        UINT8 => (TagValue::U8(fixed(1)?[0]), at + 1),
        BSOB => {
            let n = *b.get(at).ok_or(short)? as usize;
            (TagValue::Bsob(slice(b, at + 1, n).ok_or(short)?), at + 1 + n)
        }
        UINT64 => (TagValue::U64(u64le(b, at).ok_or(short)?), at + 8),
        STR1..=STR16 => {
            let n = (t - 0x10) as usize;
            (TagValue::String(fixed(n)?), at + n)
        }
        other => return Err(TagError { at: at.saturating_sub(1), kind: TagErrorKind::UnknownType(other) }),
    })
}

/// A long name mldonkey could have meant: one id byte, or printable ASCII.
fn plausible_name(name: &[u8]) -> bool {
    name.len() == 1 || (!name.is_empty() && name.iter().all(|c| c.is_ascii_graphic() || *c == b' '))
}

impl<'a> Tag<'a> {
    /// Parses the tag starting at `at`. A long-form UINT8/UINT16 whose name cannot be read
    /// as one is taken as mldonkey's nameless form when that fits.
    pub fn parse(b: &'a [u8], at: usize) -> Result<(Tag<'a>, TagLayout), TagError> {
        let ty = *b.get(at).ok_or(TagError { at, kind: TagErrorKind::Truncated })?;
        let t = ty & !SHORT_NAME;
        if type_name(t).is_none() {
            return Err(TagError { at, kind: TagErrorKind::UnknownType(ty) });
        }
        let named = if ty & SHORT_NAME != 0 {
            b.get(at + 1).map(|&id| (TagName::Id(id), at + 1..at + 2))
        } else {
            u16le(b, at + 1).and_then(|n| {
                let name = slice(b, at + 3, n as usize)?;
                Some((TagName::Long(name), at + 3..at + 3 + n as usize))
            })
        };
        let long_ok = matches!(named, Some((TagName::Long(n), _)) if plausible_name(n))
            || matches!(named, Some((TagName::Id(_), _)));
        if ty & SHORT_NAME == 0 && (t == UINT8 || t == UINT16) {
            let full = named.as_ref().filter(|_| long_ok).and_then(|(_, r)| value(b, t, r.end).ok());
            if full.is_none() {
                if let Ok((v, end)) = value(b, t, at + 1) {
                    let layout = TagLayout { start: at, name: at + 1..at + 1, value: at + 1..end, end };
                    return Ok((Tag { ty, name: TagName::Nameless, value: v }, layout));
                }
            }
        }
        let (name, range) = named.ok_or(TagError { at: at + 1, kind: TagErrorKind::Truncated })?;
        let (v, end) = value(b, t, range.end)?;
        let layout = TagLayout { start: at, name: range.clone(), value: range.end..end, end };
        Ok((Tag { ty, name, value: v }, layout))
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.ty);
        match self.name {
            TagName::Id(id) => out.push(id),
            TagName::Long(n) => {
                out.extend_from_slice(&(n.len() as u16).to_le_bytes());
                out.extend_from_slice(n);
            }
            TagName::Nameless => {}
        }
        match self.value {
            TagValue::Hash(h) => out.extend_from_slice(h),
            TagValue::String(s) if self.ty & !SHORT_NAME == STRING => {
                out.extend_from_slice(&(s.len() as u16).to_le_bytes());
                out.extend_from_slice(s);
            }
            TagValue::String(s) => out.extend_from_slice(s),
            TagValue::U32(v) | TagValue::Float(v) => out.extend_from_slice(&v.to_le_bytes()),
            TagValue::Bool(v) | TagValue::U8(v) => out.push(v),
            TagValue::BoolArray(bits, bytes) => {
                out.extend_from_slice(&bits.to_le_bytes());
                out.extend_from_slice(bytes);
            }
            TagValue::Blob(d) => {
                out.extend_from_slice(&(d.len() as u32).to_le_bytes());
                out.extend_from_slice(d);
            }
            TagValue::U16(v) => out.extend_from_slice(&v.to_le_bytes()),
            TagValue::Bsob(d) => {
                out.push(d.len() as u8);
                out.extend_from_slice(d);
            }
            TagValue::U64(v) => out.extend_from_slice(&v.to_le_bytes()),
        }
    }

    /// A STRING tag with a long name.
    pub fn string(name: &'a [u8], value: &'a [u8]) -> Tag<'a> {
        Tag { ty: STRING, name: TagName::Long(name), value: TagValue::String(value) }
    }

    /// A UINT32 tag with a long name.
    pub fn u32(name: &'a [u8], value: u32) -> Tag<'a> {
        Tag { ty: UINT32, name: TagName::Long(name), value: TagValue::U32(value) }
    }
}

/// u32 LE count, then the tags.
pub fn emit_list(tags: &[Tag], out: &mut Vec<u8>) {
    out.extend_from_slice(&(tags.len() as u32).to_le_bytes());
    tags.iter().for_each(|t| t.emit(out));
}

/// A `loc` tag's URI: `bcp://ip:port` (TCP port), `bcp://hash:ip:port` (firewalled holder,
/// its UDP port) or mldonkey's `bcp://hash:ip:udpport:tcpport`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc<'a> {
    /// The hex node id of a firewalled holder.
    pub hash: Option<&'a str>,
    pub ip: Ipv4Addr,
    /// The TCP port (plain form) or the UDP port (hash forms).
    pub port: u16,
    /// The TCP port of mldonkey's four-part form.
    pub tcp_port: Option<u16>,
}

impl<'a> Loc<'a> {
    /// Offsets of the parts within the string: (hash, ip, port, tcp port).
    pub fn parse(s: &'a [u8]) -> Option<(Loc<'a>, [Option<Range<usize>>; 4])> {
        let text = std::str::from_utf8(s).ok()?;
        let rest = text.strip_prefix("bcp://")?;
        // Up to four ':'-separated parts with their offsets, without allocating.
        let mut items: [(usize, &str); 4] = [(0, ""); 4];
        let mut n = 0;
        let mut pos = 6;
        for p in rest.split(':') {
            *items.get_mut(n)? = (pos, p);
            n += 1;
            pos += p.len() + 1;
        }
        let mut parts: [Option<Range<usize>>; 4] = [None, None, None, None];
        let range = |(at, p): (usize, &str)| Some(at..at + p.len());
        let (hash, ip, port, tcp) = match items[..n] {
            [ip, port] => (None, ip, port, None),
            [h, ip, port] => (Some(h), ip, port, None),
            [h, ip, port, tcp] => (Some(h), ip, port, Some(tcp)),
            _ => return None,
        };
        if let Some((_, h)) = hash {
            if h.len() != 32 || !h.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
        }
        let loc = Loc {
            hash: hash.map(|h| h.1),
            ip: ip.1.parse().ok()?,
            port: port.1.parse().ok()?,
            tcp_port: match tcp {
                Some(t) => Some(t.1.parse().ok()?),
                None => None,
            },
        };
        parts[0] = hash.and_then(range);
        parts[1] = range(ip);
        parts[2] = range(port);
        parts[3] = tcp.and_then(range);
        Some((loc, parts))
    }
}
