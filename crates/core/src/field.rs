//! Field and expert descriptions (static, registered by each protocol) and field values.

use std::borrow::Cow;
use std::fmt;
use std::net::{IpAddr, SocketAddr};

/// The type of a field, as listed by `--list-fields` and written in the JSON schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A protocol or subtree node without a value of its own.
    None,
    Unsigned,
    /// An unsigned number best read in hex (checksums, flags): `0x1f2e`.
    Hex,
    Signed,
    Bool,
    Float,
    Bytes,
    String,
    Uuid,
    Ip,
    SocketAddr,
    Mac,
    /// A number with a name from an open table (unknown numbers keep no name).
    Enum,
    /// An [`FieldKind::Enum`] whose number is read in hex, as tshark prints EtherTypes: `0x0800`.
    HexEnum,
    /// A frame number (a link to another frame).
    Frame,
    /// Absolute capture time, read as seconds since the epoch (`frame.time_epoch`).
    Time,
    /// Absolute capture time, read as a date as tshark prints `frame.time`:
    /// `Mar  2, 2026 08:01:00.000123457 UTC` in the local time zone (JSON: ISO 8601 in UTC).
    Date,
    /// A span of time.
    Duration,
}

impl FieldKind {
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::None => "none",
            FieldKind::Unsigned => "unsigned",
            FieldKind::Hex => "hex",
            FieldKind::Signed => "signed",
            FieldKind::Bool => "bool",
            FieldKind::Float => "float",
            FieldKind::Bytes => "bytes",
            FieldKind::String => "string",
            FieldKind::Uuid => "uuid",
            FieldKind::Ip => "ip",
            FieldKind::SocketAddr => "sockaddr",
            FieldKind::Mac => "mac",
            FieldKind::Enum => "enum",
            FieldKind::HexEnum => "hexenum",
            FieldKind::Frame => "frame",
            FieldKind::Time => "time",
            FieldKind::Date => "date",
            FieldKind::Duration => "duration",
        }
    }
}

/// A field a protocol can produce. `key` is the stable dotted filter name: the contract for
/// `-Y`, `-e`, JSON, golden files and `diff`.
#[derive(Debug)]
pub struct FieldInfo {
    pub key: &'static str,
    /// Label in the `-V` tree.
    pub name: &'static str,
    pub kind: FieldKind,
    pub desc: &'static str,
}

impl FieldInfo {
    pub const fn new(key: &'static str, name: &'static str, kind: FieldKind, desc: &'static str) -> Self {
        FieldInfo { key, name, kind, desc }
    }
}

/// Whether `key` is `prefix` itself or a key under it: `heartbeat.uid` is under `heartbeat`,
/// `heartbeat.uid` is not under `heartbeat.u`.
pub fn key_under(key: &str, prefix: &str) -> bool {
    key.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warn,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }
}

/// An expert finding a protocol can raise. `tag` is stable so CI can assert on it.
#[derive(Debug)]
pub struct ExpertInfo {
    pub tag: &'static str,
    pub severity: Severity,
    /// One line: what it means and what the real peer does about it.
    pub summary: &'static str,
}

impl ExpertInfo {
    pub const fn new(tag: &'static str, severity: Severity, summary: &'static str) -> Self {
        ExpertInfo { tag, severity, summary }
    }
}

/// A typed field value. Unknown enum codes stay representable (`name: None`).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Unsigned(u64),
    Signed(i64),
    Bool(bool),
    Float(f64),
    /// The field's own bytes (its range in its data source).
    Bytes,
    String(Cow<'static, str>),
    Uuid([u8; 16]),
    Ip(IpAddr),
    SocketAddr(SocketAddr),
    Mac([u8; 6]),
    Enum {
        value: u64,
        name: Option<&'static str>,
    },
    Frame(u64),
    /// Nanoseconds since the Unix epoch.
    Time(i64),
    /// Nanoseconds.
    Duration(i64),
}

impl Value {
    /// The number a filter or a diff compares, when the value is numeric.
    pub fn as_i128(&self) -> Option<i128> {
        match *self {
            Value::Unsigned(v) | Value::Frame(v) | Value::Enum { value: v, .. } => Some(v as i128),
            Value::Signed(v) | Value::Time(v) | Value::Duration(v) => Some(v as i128),
            Value::Bool(b) => Some(b as i128),
            _ => None,
        }
    }
}

/// Formats nanoseconds as seconds with nine decimals (`-0.500000000`).
pub struct Seconds(pub i64);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:09}", abs / 1_000_000_000, abs % 1_000_000_000)
    }
}

/// Formats bytes as lowercase hex without separators.
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::digits::write_hex(f, self.0)
    }
}

/// Formats a UUID in its canonical 8-4-4-4-12 form.
pub struct UuidText<'a>(pub &'a [u8; 16]);

impl fmt::Display for UuidText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::digits::write_uuid(f, self.0)
    }
}

/// Formats a MAC address as tshark does (`00:11:22:33:44:55`).
pub struct MacText<'a>(pub &'a [u8; 6]);

impl fmt::Display for MacText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::digits::write_mac(f, self.0)
    }
}

/// Keys are unique, so two descriptions are the same field when their keys are.
impl PartialEq for FieldInfo {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

/// Tags are unique, so two descriptions are the same finding when their tags are.
impl PartialEq for ExpertInfo {
    fn eq(&self, other: &Self) -> bool {
        self.tag == other.tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_format_keeps_nanoseconds_and_sign() {
        assert_eq!(Seconds(1_500_000_001).to_string(), "1.500000001");
        assert_eq!(Seconds(-500_000_000).to_string(), "-0.500000000");
        assert_eq!(Seconds(0).to_string(), "0.000000000");
    }

    #[test]
    fn uuid_and_mac_text() {
        let u = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0, 1, 2, 3, 4, 5, 6, 7];
        assert_eq!(UuidText(&u).to_string(), "12345678-9abc-def0-0001-020304050607");
        assert_eq!(MacText(&[0, 0x11, 0x22, 0x33, 0x44, 0xff]).to_string(), "00:11:22:33:44:ff");
    }
}
