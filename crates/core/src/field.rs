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
    /// One of 64 bits, from the key alone, that stands for the field in a field-column run's
    /// filter of the fields it keeps (`Dissection::wants`): the same in every build, whatever
    /// the address the field's description lands at.
    pub(crate) bit: u8,
    /// Bytes a hex number is shown as wide as where the field points at none (a generated one,
    /// such as a pcapng option's): 0 for as wide as its bytes.
    pub width: u8,
}

impl FieldInfo {
    pub const fn new(key: &'static str, name: &'static str, kind: FieldKind, desc: &'static str) -> Self {
        // FNV-1a over the key, its top six bits.
        let b = key.as_bytes();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut i = 0;
        while i < b.len() {
            h = (h ^ b[i] as u64).wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        FieldInfo { key, name, kind, desc, bit: (h >> 58) as u8, width: 0 }
    }

    /// The field shown, when it points at no bytes, as a hex number `bytes` wide (tshark's
    /// `0x01000085` for a 32-bit flags word).
    pub const fn hex_width(mut self, bytes: u8) -> Self {
        self.width = bytes;
        self
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

/// What kind of problem a finding is, as Wireshark groups its expert infos (`PI_CHECKSUM`,
/// `PI_SEQUENCE`, … in epan/proto.h): the `Sequence` of "Expert Info (Warning/Sequence): …".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpertGroup {
    /// A checksum, CRC or message authentication code does not match.
    Checksum,
    /// Sequence trouble: gaps, retransmissions, duplicates, replies without requests.
    Sequence,
    /// An error or unusual response from a peer (HTTP 404, an ICMP error).
    ResponseCode,
    /// A notable request.
    RequestCode,
    /// Bytes or values this dissector does not decode.
    Undecoded,
    /// Fragment reassembly.
    Reassemble,
    /// The packet cannot be decoded as it claims to be: the dissector gave up on it.
    Malformed,
    Debug,
    /// The packet breaks a rule of its protocol but still decodes.
    Protocol,
    /// A security problem, or a bound against hostile input (bombs, table limits).
    Security,
    Comments,
    /// Decryption is not possible (no key, a lost cipher state).
    Decryption,
    /// Decoded with an assumed value (guessed, inferred, a midstream start).
    Assumption,
    /// An obsolete form.
    Deprecated,
}

impl ExpertGroup {
    /// Every group, in Wireshark's numeric order.
    pub const ALL: [ExpertGroup; 14] = [
        ExpertGroup::Checksum,
        ExpertGroup::Sequence,
        ExpertGroup::ResponseCode,
        ExpertGroup::RequestCode,
        ExpertGroup::Undecoded,
        ExpertGroup::Reassemble,
        ExpertGroup::Malformed,
        ExpertGroup::Debug,
        ExpertGroup::Protocol,
        ExpertGroup::Security,
        ExpertGroup::Comments,
        ExpertGroup::Decryption,
        ExpertGroup::Assumption,
        ExpertGroup::Deprecated,
    ];

    /// Wireshark's number for the group (epan/proto.h `PI_*`), which tshark writes as
    /// `_ws.expert.group`: 0x07000000 (117440512) for Malformed.
    pub fn code(self) -> u32 {
        let n: u32 = match self {
            ExpertGroup::Checksum => 0x01,
            ExpertGroup::Sequence => 0x02,
            ExpertGroup::ResponseCode => 0x03,
            ExpertGroup::RequestCode => 0x04,
            ExpertGroup::Undecoded => 0x05,
            ExpertGroup::Reassemble => 0x06,
            ExpertGroup::Malformed => 0x07,
            ExpertGroup::Debug => 0x08,
            ExpertGroup::Protocol => 0x09,
            ExpertGroup::Security => 0x0a,
            ExpertGroup::Comments => 0x0b,
            ExpertGroup::Decryption => 0x0c,
            ExpertGroup::Assumption => 0x0d,
            ExpertGroup::Deprecated => 0x0e,
        };
        n << 24
    }

    /// The name Wireshark shows for the group (epan/expert.c), in "Expert Info
    /// (Warning/Sequence): …" and "Group: Sequence": `Response`, `Request` and `Comment` for
    /// the response code, request code and comments groups.
    pub fn name(self) -> &'static str {
        match self {
            ExpertGroup::Checksum => "Checksum",
            ExpertGroup::Sequence => "Sequence",
            ExpertGroup::ResponseCode => "Response",
            ExpertGroup::RequestCode => "Request",
            ExpertGroup::Undecoded => "Undecoded",
            ExpertGroup::Reassemble => "Reassemble",
            ExpertGroup::Malformed => "Malformed",
            ExpertGroup::Debug => "Debug",
            ExpertGroup::Protocol => "Protocol",
            ExpertGroup::Security => "Security",
            ExpertGroup::Comments => "Comment",
            ExpertGroup::Decryption => "Decryption",
            ExpertGroup::Assumption => "Assumption",
            ExpertGroup::Deprecated => "Deprecated",
        }
    }
}

/// An expert finding a protocol can raise. `tag` is stable so CI can assert on it.
#[derive(Debug)]
pub struct ExpertInfo {
    pub tag: &'static str,
    pub severity: Severity,
    /// Wireshark's group for the finding.
    pub group: ExpertGroup,
    /// One line: what it means and what the real peer does about it.
    pub summary: &'static str,
    /// Whose datagrams, had the capture lost them, would raise the finding too: then a finding
    /// raised after the capture lost packets says so ([`crate::Unseen`]).
    pub missing: Option<Missing>,
}

/// One end of a datagram's conversation, as [`ExpertInfo::missing`] names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// The datagram's sender: a gap in its sequence numbers, a late keep-alive.
    Sender,
    /// Its peer: an ack or a reply to a datagram not seen, a resend whose ack was not seen.
    Peer,
    /// A third party the finding's message names (an Overte node its domain server has not
    /// heard from): its dissector counts the window itself ([`crate::Dissection::expert_since`]).
    Named,
}

impl ExpertInfo {
    pub const fn new(tag: &'static str, severity: Severity, group: ExpertGroup, summary: &'static str) -> Self {
        ExpertInfo { tag, severity, group, summary, missing: None }
    }

    /// The same finding, one that `end`'s datagrams lost by the capture would also raise.
    pub const fn when_missing(self, end: Missing) -> Self {
        ExpertInfo { missing: Some(end), ..self }
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

/// Tags are unique, so two descriptions are the same finding when their tags are (and then
/// their severity, group and summary are the same too).
impl PartialEq for ExpertInfo {
    fn eq(&self, other: &Self) -> bool {
        self.tag == other.tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fields_filter_bit_depends_on_its_key_alone() {
        static A: FieldInfo = FieldInfo::new("frame.protocols", "Protocols", FieldKind::String, "");
        static B: FieldInfo = FieldInfo::new("frame.protocols", "Other label", FieldKind::Bytes, "other");
        let c = FieldInfo::new("frame.protocol", "Protocols", FieldKind::String, "");
        assert_eq!(A.bit, B.bit);
        assert!(A.bit < 64 && c.bit < 64);
        // FNV-1a of the key, its top six bits.
        assert_eq!(FieldInfo::new("", "", FieldKind::None, "").bit, (0xcbf2_9ce4_8422_2325u64 >> 58) as u8);
    }

    #[test]
    fn seconds_format_keeps_nanoseconds_and_sign() {
        assert_eq!(Seconds(1_500_000_001).to_string(), "1.500000001");
        assert_eq!(Seconds(-500_000_000).to_string(), "-0.500000000");
        assert_eq!(Seconds(0).to_string(), "0.000000000");
    }

    /// Wireshark's `PI_*` numbers (epan/proto.h) and `expert_group_vals` names (epan/expert.c).
    #[test]
    fn expert_groups_are_wiresharks() {
        assert_eq!(ExpertGroup::Checksum.code(), 16_777_216);
        assert_eq!(ExpertGroup::Checksum.name(), "Checksum");
        assert_eq!(ExpertGroup::Sequence.code(), 33_554_432);
        assert_eq!(ExpertGroup::Sequence.name(), "Sequence");
        assert_eq!(ExpertGroup::ResponseCode.code(), 0x0300_0000);
        assert_eq!(ExpertGroup::ResponseCode.name(), "Response");
        assert_eq!(ExpertGroup::RequestCode.name(), "Request");
        assert_eq!(ExpertGroup::Undecoded.code(), 83_886_080);
        assert_eq!(ExpertGroup::Undecoded.name(), "Undecoded");
        assert_eq!(ExpertGroup::Reassemble.code(), 0x0600_0000);
        assert_eq!(ExpertGroup::Malformed.code(), 117_440_512);
        assert_eq!(ExpertGroup::Malformed.name(), "Malformed");
        assert_eq!(ExpertGroup::Protocol.code(), 150_994_944);
        assert_eq!(ExpertGroup::Protocol.name(), "Protocol");
        assert_eq!(ExpertGroup::Security.code(), 0x0a00_0000);
        assert_eq!(ExpertGroup::Comments.code(), 0x0b00_0000);
        assert_eq!(ExpertGroup::Comments.name(), "Comment");
        assert_eq!(ExpertGroup::Decryption.code(), 0x0c00_0000);
        assert_eq!(ExpertGroup::Assumption.code(), 0x0d00_0000);
        assert_eq!(ExpertGroup::Deprecated.code(), 0x0e00_0000);
        assert_eq!(ExpertGroup::Deprecated.name(), "Deprecated");
        // PI_GROUP_MASK is 0xFF000000: the groups are 1..=14 in the top byte, in order.
        for (i, g) in ExpertGroup::ALL.iter().enumerate() {
            assert_eq!(g.code(), (i as u32 + 1) << 24, "{g:?}");
        }
    }

    #[test]
    fn uuid_and_mac_text() {
        let u = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0, 1, 2, 3, 4, 5, 6, 7];
        assert_eq!(UuidText(&u).to_string(), "12345678-9abc-def0-0001-020304050607");
        assert_eq!(MacText(&[0, 0x11, 0x22, 0x33, 0x44, 0xff]).to_string(), "00:11:22:33:44:ff");
    }
}
