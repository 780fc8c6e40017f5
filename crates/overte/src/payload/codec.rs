//! The two encodings Overte payloads mix (`protocols/overte.md` §5.1): Qt's QDataStream
//! (big-endian numbers, QString as UTF-16BE with a byte length, QByteArray, QUuid,
//! QHostAddress with its protocol byte) and raw little-endian `writePrimitive` data.
//!
//! [`Rd`] is one cursor for both the reprs' `parse` (no output) and the dissector (fields and
//! findings as it reads): a packet layout is written once, as a walk over an `Rd` ([`Walk`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use udpdissect_core::{Dissection, ExpertInfo, FieldId, FieldInfo, Value};

use super::enums;
use super::fields as f;

/// Why a payload could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireError {
    /// A field at `at` needs `need` bytes, only `have` remain.
    Short { at: usize, need: usize, have: usize },
    /// A field at `at` holds something the real reader rejects (odd QString length, unknown
    /// address protocol, ...).
    Malformed { at: usize, what: &'static str },
}

/// A QString as sent: UTF-16BE bytes, `None` for the null string (length FFFFFFFF).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QStr<'a>(pub Option<Cow<'a, [u8]>>);

impl QStr<'_> {
    pub fn null() -> QStr<'static> {
        QStr(None)
    }

    /// Encodes text as the UTF-16BE a QString carries.
    pub fn from_text(s: &str) -> QStr<'static> {
        QStr(Some(Cow::Owned(s.encode_utf16().flat_map(u16::to_be_bytes).collect())))
    }

    pub fn is_null(&self) -> bool {
        self.0.is_none()
    }

    /// The text (lossy for unpaired surrogates); empty for the null string.
    pub fn text(&self) -> String {
        let mut s = String::new();
        self.write_text(&mut s);
        s
    }

    /// Appends the text to `s` without an intermediate string.
    pub fn write_text(&self, s: &mut String) {
        let b = self.0.as_deref().unwrap_or(&[]);
        s.extend(
            char::decode_utf16(b.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])))
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)),
        );
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        emit_qbytes(self.0.as_deref(), out);
    }
}

/// A QByteArray (or a QString used as one, same framing): `None` is null (FFFFFFFF).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QBytes<'a>(pub Option<Cow<'a, [u8]>>);

impl QBytes<'_> {
    pub fn bytes(&self) -> &[u8] {
        self.0.as_deref().unwrap_or(&[])
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        emit_qbytes(self.0.as_deref(), out);
    }
}

fn emit_qbytes(b: Option<&[u8]>, out: &mut Vec<u8>) {
    match b {
        None => out.extend_from_slice(&[0xff; 4]),
        Some(b) => {
            out.extend_from_slice(&(b.len() as u32).to_be_bytes());
            out.extend_from_slice(b);
        }
    }
}

/// A QHostAddress as streamed: protocol byte, then the address it announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QHost<'a> {
    /// Protocol 0.
    V4([u8; 4]),
    /// Protocol 1: 16 bytes and a scope-id QString.
    V6([u8; 16], QStr<'a>),
    /// Protocol 2 (QHostAddress::Any): no address bytes.
    Any,
    /// Protocol 0xFF (null address): no address bytes.
    Null,
}

impl QHost<'_> {
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            QHost::V4(a) => Some(IpAddr::V4(Ipv4Addr::from(*a))),
            QHost::V6(a, _) => Some(IpAddr::V6(Ipv6Addr::from(*a))),
            QHost::Any | QHost::Null => None,
        }
    }

    pub fn protocol(&self) -> u8 {
        match self {
            QHost::V4(_) => 0,
            QHost::V6(..) => 1,
            QHost::Any => 2,
            QHost::Null => 0xff,
        }
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.protocol());
        match self {
            QHost::V4(a) => out.extend_from_slice(a),
            QHost::V6(a, scope) => {
                out.extend_from_slice(a);
                scope.emit(out);
            }
            QHost::Any | QHost::Null => {}
        }
    }
}

/// Overte's `SockAddr` stream form: QHostAddress + u16 BE port (no socket type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QSockAddr<'a> {
    pub host: QHost<'a>,
    pub port: u16,
}

impl QSockAddr<'_> {
    pub fn v4(a: [u8; 4], port: u16) -> QSockAddr<'static> {
        QSockAddr { host: QHost::V4(a), port }
    }

    pub fn socket_addr(&self) -> Option<SocketAddr> {
        self.host.ip().map(|ip| SocketAddr::new(ip, self.port))
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        self.host.emit(out);
        out.extend_from_slice(&self.port.to_be_bytes());
    }
}

/// `BasePacket::writeString`-style and other length-prefixed UTF-8 text, kept as bytes so
/// invalid UTF-8 round-trips.
pub type Text<'a> = Cow<'a, [u8]>;

/// QUuid's memory (data1, data2 and data3 little-endian on x86-64), as structs copied whole
/// carry it, to RFC 4122 order; the same swap turns RFC order back into memory order.
pub fn quuid_memory_to_rfc(m: &[u8; 16]) -> [u8; 16] {
    let mut u = *m;
    u[..4].reverse();
    u[4..6].reverse();
    u[6..8].reverse();
    u
}

/// Appends a UUID's first 8 hex digits and `…`, the short form of the info column.
pub(crate) fn push_uuid8(s: &mut String, u: &[u8; 16]) {
    udpdissect_core::digits::push_hex(s, &u[..4]);
    s.push('…');
}

pub(crate) fn lossy(b: &[u8]) -> Value {
    Value::String(Cow::Owned(String::from_utf8_lossy(b).into_owned()))
}

pub(crate) type Names = fn(u64) -> Option<&'static str>;

/// A payload layout written once as a walk over an [`Rd`]; `parse` comes with it.
///
/// `'a` is the input's lifetime, so a repr may borrow from it (`QStr<'a>`, `Text<'a>`) or not
/// (`impl Walk<'_> for Ping`). The dissector calls `walk` on an `Rd` that adds fields.
pub trait Walk<'a>: Sized {
    /// Reads the layout at the cursor; `None` once a field is missing or malformed (the cursor
    /// holds why).
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self>;

    /// Parses without fields or findings: the value and the bytes after it.
    fn parse(b: &'a [u8]) -> Result<(Self, &'a [u8]), WireError> {
        let mut r = Rd::new(b);
        let v = Self::walk(&mut r);
        r.result(v)
    }
}

/// The reading cursor. With `out` set it also adds fields (offsets relative to the payload
/// start, the dissection's cursor) and raises findings.
pub struct Rd<'a, 'o> {
    pub(crate) data: &'a [u8],
    pub(crate) pos: usize,
    pub(crate) out: Option<&'o mut Dissection>,
    pub(crate) err: Option<WireError>,
    /// A length finding already explained the packet: do not also report the truncation.
    pub(crate) quiet: bool,
    /// The NLPacket's version byte (0 when unknown): a few values are named by release.
    pub(crate) version: u8,
    /// The sender's and receiver's node types, where the layout depends on them
    /// ([`super::PayloadCx::ends`]).
    pub(crate) ends: (Option<u8>, Option<u8>),
}

impl<'a> Rd<'a, 'static> {
    /// A cursor for `parse`: no fields, no findings.
    pub fn new(data: &'a [u8]) -> Self {
        Rd { data, pos: 0, out: None, err: None, quiet: false, version: 0, ends: (None, None) }
    }
}

impl<'a, 'o> Rd<'a, 'o> {
    pub(crate) fn with_out(data: &'a [u8], out: &'o mut Dissection) -> Self {
        Rd { data, pos: 0, out: Some(out), err: None, quiet: false, version: 0, ends: (None, None) }
    }

    /// Turns a walk's result into `parse`'s: the value and the bytes after it.
    pub(crate) fn result<T>(self, v: Option<T>) -> Result<(T, &'a [u8]), WireError> {
        match (v, self.err) {
            (Some(v), None) => Ok((v, self.data.get(self.pos..).unwrap_or(&[]))),
            (_, Some(e)) => Err(e),
            (None, None) => Err(WireError::Malformed { at: self.pos, what: "payload" }),
        }
    }

    pub fn left(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    /// A cursor over this one's bytes from its position up to `end`, sharing its output: a sized
    /// region the receiver reads as a message of its own. What it finds (a field cut short,
    /// bytes left over) is its own, and does not stop this cursor.
    pub(crate) fn within(&mut self, end: usize) -> Rd<'a, '_> {
        let data = &self.data[..end.min(self.data.len())];
        Rd {
            data,
            pos: self.pos,
            out: self.out.as_deref_mut(),
            err: None,
            quiet: false,
            version: self.version,
            ends: self.ends,
        }
    }

    pub fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    /// Whether fields are being built (tree output).
    pub fn tree(&self) -> bool {
        self.out.as_ref().is_some_and(|o| o.wants_tree())
    }

    pub fn wants(&self, fi: &'static FieldInfo) -> bool {
        self.out.as_ref().is_some_and(|o| o.wants(fi))
    }

    pub fn add(&mut self, fi: &'static FieldInfo, at: usize, len: usize, v: impl FnOnce() -> Value) -> FieldId {
        match self.out.as_deref_mut() {
            Some(o) if o.wants(fi) => o.add(fi, at, len, v()),
            _ => usize::MAX,
        }
    }

    pub fn generated(&mut self, fi: &'static FieldInfo, v: impl FnOnce() -> Value) {
        if let Some(o) = self.out.as_deref_mut() {
            if o.wants(fi) {
                o.add_generated(fi, v());
            }
        }
    }

    /// Opens a subtree at the current position; close it with [`Rd::close`].
    pub fn open(&mut self, fi: &'static FieldInfo, v: impl FnOnce() -> Value) -> (FieldId, usize) {
        let at = self.pos;
        let id = match self.out.as_deref_mut() {
            Some(o) if o.wants_tree() => o.open(fi, at, 0, if o.wants(fi) { v() } else { Value::None }),
            _ => usize::MAX,
        };
        (id, at)
    }

    pub fn close(&mut self, (id, at): (FieldId, usize)) {
        let len = self.pos.min(self.data.len()).saturating_sub(at);
        if let Some(o) = self.out.as_deref_mut() {
            if o.wants_tree() {
                o.set_len(id, len);
                o.close();
            }
        }
    }

    pub fn expert(&mut self, e: &'static ExpertInfo, at: usize, len: usize, msg: impl FnOnce() -> String) {
        if let Some(o) = self.out.as_deref_mut() {
            o.expert_at(e, at, len, msg());
        }
    }

    /// Appends to the info column.
    pub fn info(&mut self, w: impl FnOnce(&mut String)) {
        if let Some(o) = self.out.as_deref_mut().filter(|o| o.wants_info()) {
            w(&mut o.info);
        }
    }

    /// Appends a space and `word` to the Info column (a name, without `fmt`).
    pub fn info_word(&mut self, word: &str) {
        self.info(|s| {
            s.push(' ');
            s.push_str(word);
        });
    }

    /// Appends `label` and `n` to the Info column (a sequence number on the busiest packets:
    /// written without `fmt`).
    pub fn info_number(&mut self, label: &str, n: u64) {
        self.info(|s| {
            s.push_str(label);
            udpdissect_core::digits::push_u64(s, n);
        });
    }

    /// Records that the field `fi` does not fit: decoding stops here. Kept out of line: inlined
    /// into [`Rd::take`], it made every read of a field save and restore registers.
    #[cold]
    #[inline(never)]
    pub(crate) fn short<T>(&mut self, fi: &'static FieldInfo, need: usize) -> Option<T> {
        let (at, have) = (self.pos, self.left());
        if self.err.is_none() {
            self.err = Some(WireError::Short { at, need, have });
            if !self.quiet {
                self.expert(&f::TRUNCATED, at, have, || {
                    format!(
                        "{} at offset {at} needs {need} bytes but only {have} remain: the receiver's reader runs \
                         past the end here and the rest of the packet is not decoded",
                        fi.name
                    )
                });
            }
        }
        None
    }

    /// Records a value the real reader rejects: decoding stops here.
    pub(crate) fn malformed<T>(
        &mut self,
        at: usize,
        len: usize,
        what: &'static str,
        msg: impl FnOnce() -> String,
    ) -> Option<T> {
        self.malformed_as(&f::MALFORMED, at, len, what, msg)
    }

    pub(crate) fn malformed_as<T>(
        &mut self,
        e: &'static ExpertInfo,
        at: usize,
        len: usize,
        what: &'static str,
        msg: impl FnOnce() -> String,
    ) -> Option<T> {
        if self.err.is_none() {
            self.err = Some(WireError::Malformed { at, what });
            self.expert(e, at, len, msg);
        }
        None
    }

    /// Stops at a part this dissector does not decode (valid data, so only a note).
    pub(crate) fn not_decoded<T>(&mut self, at: usize, msg: impl FnOnce() -> String) -> Option<T> {
        let len = self.data.len().saturating_sub(at);
        self.malformed_as(&f::NOT_DECODED, at, len, "not decoded", msg)
    }

    #[inline]
    pub fn take(&mut self, fi: &'static FieldInfo, n: usize) -> Option<&'a [u8]> {
        if self.err.is_some() {
            return None;
        }
        match self.pos.checked_add(n).and_then(|end| self.data.get(self.pos..end)) {
            Some(b) => {
                self.pos += n;
                Some(b)
            }
            None => self.short(fi, n),
        }
    }

    fn arr<const N: usize>(&mut self, fi: &'static FieldInfo) -> Option<[u8; N]> {
        self.take(fi, N).and_then(|b| b.try_into().ok())
    }

    /// A field over bytes already consumed from `at` to the cursor.
    fn shown(&mut self, fi: &'static FieldInfo, at: usize, v: impl FnOnce() -> Value) {
        let len = self.pos - at;
        self.add(fi, at, len, v);
    }

    pub fn u8(&mut self, fi: &'static FieldInfo) -> Option<u8> {
        let at = self.pos;
        let [b] = self.arr::<1>(fi)?;
        self.shown(fi, at, || Value::Unsigned(b.into()));
        Some(b)
    }

    /// A bool byte (kept raw: QDataStream writes 0/1 but reads any non-zero as true).
    pub fn bool8(&mut self, fi: &'static FieldInfo) -> Option<u8> {
        let at = self.pos;
        let [b] = self.arr::<1>(fi)?;
        self.shown(fi, at, || Value::Bool(b != 0));
        Some(b)
    }

    /// A u8 enum; an unknown value is shown by number with a note.
    pub fn en8(&mut self, fi: &'static FieldInfo, names: Names) -> Option<u8> {
        let at = self.pos;
        let [b] = self.arr::<1>(fi)?;
        self.enum_value(fi, at, b.into(), names);
        Some(b)
    }

    fn enum_value(&mut self, fi: &'static FieldInfo, at: usize, v: u64, names: Names) {
        let name = names(v);
        self.shown(fi, at, || Value::Enum { value: v, name });
        if name.is_none() {
            self.unknown_enum(fi, at, v);
        }
    }

    /// Out of line, as [`Rd::short`] is: almost every value is a known one.
    #[cold]
    #[inline(never)]
    fn unknown_enum(&mut self, fi: &'static FieldInfo, at: usize, v: u64) {
        let len = self.pos - at;
        self.expert(&f::UNKNOWN_ENUM, at, len, || {
            format!("{} {v} is not a value the reference implementation defines", fi.name)
        });
    }

    pub fn u16be(&mut self, fi: &'static FieldInfo) -> Option<u16> {
        let at = self.pos;
        let v = u16::from_be_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Unsigned(v.into()));
        Some(v)
    }

    pub fn u16le(&mut self, fi: &'static FieldInfo) -> Option<u16> {
        let at = self.pos;
        let v = u16::from_le_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Unsigned(v.into()));
        Some(v)
    }

    pub fn i16le(&mut self, fi: &'static FieldInfo) -> Option<i16> {
        let at = self.pos;
        let v = i16::from_le_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Signed(v.into()));
        Some(v)
    }

    pub fn u32be(&mut self, fi: &'static FieldInfo) -> Option<u32> {
        let at = self.pos;
        let v = u32::from_be_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Unsigned(v.into()));
        Some(v)
    }

    pub fn i32be(&mut self, fi: &'static FieldInfo) -> Option<i32> {
        let at = self.pos;
        let v = i32::from_be_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Signed(v.into()));
        Some(v)
    }

    pub fn en32be(&mut self, fi: &'static FieldInfo, names: Names) -> Option<u32> {
        let at = self.pos;
        let v = u32::from_be_bytes(self.arr(fi)?);
        self.enum_value(fi, at, v.into(), names);
        Some(v)
    }

    /// A plain C++ enum written with `writePrimitive` (4 bytes, little-endian).
    pub fn en32le(&mut self, fi: &'static FieldInfo, names: Names) -> Option<u32> {
        let at = self.pos;
        let v = u32::from_le_bytes(self.arr(fi)?);
        self.enum_value(fi, at, v.into(), names);
        Some(v)
    }

    pub fn u32le(&mut self, fi: &'static FieldInfo) -> Option<u32> {
        let at = self.pos;
        let v = u32::from_le_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Unsigned(v.into()));
        Some(v)
    }

    pub fn i32le(&mut self, fi: &'static FieldInfo) -> Option<i32> {
        let at = self.pos;
        let v = i32::from_le_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Signed(v.into()));
        Some(v)
    }

    pub fn u64be(&mut self, fi: &'static FieldInfo) -> Option<u64> {
        let at = self.pos;
        let v = u64::from_be_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Unsigned(v));
        Some(v)
    }

    pub fn u64le(&mut self, fi: &'static FieldInfo) -> Option<u64> {
        let at = self.pos;
        let v = u64::from_le_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Unsigned(v));
        Some(v)
    }

    pub fn i64le(&mut self, fi: &'static FieldInfo) -> Option<i64> {
        let at = self.pos;
        let v = i64::from_le_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Signed(v));
        Some(v)
    }

    pub fn f32le(&mut self, fi: &'static FieldInfo) -> Option<f32> {
        let at = self.pos;
        let v = f32::from_le_bytes(self.arr(fi)?);
        self.shown(fi, at, || Value::Float(v.into()));
        Some(v)
    }

    /// `N` LE floats shown as one `x, y, z` field.
    pub fn floats<const N: usize>(&mut self, fi: &'static FieldInfo) -> Option<[f32; N]> {
        let at = self.pos;
        let b = self.take(fi, 4 * N)?;
        let mut v = [0f32; N];
        for (x, c) in v.iter_mut().zip(b.chunks_exact(4)) {
            *x = f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        self.shown(fi, at, || {
            let mut s = String::new();
            for (i, x) in v.iter().enumerate() {
                let _ = write!(s, "{}{x}", if i > 0 { ", " } else { "" });
            }
            Value::String(Cow::Owned(s))
        });
        Some(v)
    }

    pub fn uuid(&mut self, fi: &'static FieldInfo) -> Option<[u8; 16]> {
        let at = self.pos;
        let v = self.arr::<16>(fi)?;
        self.shown(fi, at, || Value::Uuid(v));
        Some(v)
    }

    /// Opaque bytes of a known length.
    pub fn bytes(&mut self, fi: &'static FieldInfo, n: usize) -> Option<&'a [u8]> {
        let at = self.pos;
        let b = self.take(fi, n)?;
        self.shown(fi, at, || Value::Bytes);
        Some(b)
    }

    /// Everything left, as opaque bytes.
    pub fn rest_bytes(&mut self, fi: &'static FieldInfo) -> &'a [u8] {
        let n = self.left();
        self.bytes(fi, n).unwrap_or(&[])
    }

    /// The rest of the payload as one text field (UTF-8, unframed: a JSON document, a URL, a
    /// channel name).
    pub fn rest_text(&mut self, fi: &'static FieldInfo) -> &'a [u8] {
        let (at, n) = (self.pos, self.left());
        let b = self.take(fi, n).unwrap_or(&[]);
        self.add(fi, at, n, || lossy(b));
        b
    }

    /// A QDataStream u32 BE length + bytes, or FFFFFFFF for null.
    fn qframed(&mut self, fi: &'static FieldInfo) -> Option<(usize, Option<&'a [u8]>)> {
        let at = self.pos;
        let n = u32::from_be_bytes(self.arr(fi)?);
        if n == u32::MAX {
            return Some((at, None));
        }
        match self.take(fi, n as usize) {
            Some(b) => Some((at, Some(b))),
            None => {
                // Point the finding at the length, not past it.
                if let Some(WireError::Short { at: a, .. }) = &mut self.err {
                    *a = at;
                }
                None
            }
        }
    }

    pub fn qstring(&mut self, fi: &'static FieldInfo) -> Option<QStr<'a>> {
        let start = self.pos;
        if self.out.is_some() {
            if let Some(s) = self.qstring_odd(fi) {
                return Some(s);
            }
        }
        let (at, b) = self.qframed(fi)?;
        if let Some(b) = b {
            if b.len() % 2 == 1 {
                let len = b.len();
                return self.malformed_as(&f::QSTRING_ODD, at, len + 4, "QString", || {
                    format!(
                        "{} at offset {at} has an odd byte length {len}: a QString is UTF-16, Qt's reader marks \
                         the stream corrupt and reads nothing after it",
                        fi.name
                    )
                });
            }
        }
        let s = QStr(b.map(Cow::Borrowed));
        self.shown(fi, start, || if s.is_null() { Value::None } else { Value::String(Cow::Owned(s.text())) });
        Some(s)
    }

    /// Reads an odd-length QString the way Qt 5's `operator>>` does when dissecting: an empty
    /// string, the stream marked corrupt, and nothing consumed after the 4-byte length, so the
    /// next fields are read from the bytes the string was meant to hold (what a domain server
    /// really does with them). `None` when the length is not odd; `parse` stays strict.
    fn qstring_odd(&mut self, fi: &'static FieldInfo) -> Option<QStr<'a>> {
        let at = self.pos;
        let len = u32::from_be_bytes(self.data.get(at..at.checked_add(4)?)?.try_into().ok()?);
        if len == u32::MAX || len % 2 == 0 || self.err.is_some() {
            return None;
        }
        self.pos = at + 4;
        self.add(fi, at, 4, || Value::String(Cow::Borrowed("")));
        self.expert(&f::QSTRING_ODD, at, 4, || {
            format!(
                "{} at offset {at} has an odd byte length {len}: a QString is UTF-16, so Qt's reader returns an \
                 empty string, marks the stream corrupt and reads on right after the length: the fields after it \
                 are read from the bytes the string was meant to hold",
                fi.name
            )
        });
        Some(QStr(Some(Cow::Borrowed(&[]))))
    }

    /// A QByteArray shown as bytes (`Value::None` when null).
    pub fn qbytes(&mut self, fi: &'static FieldInfo) -> Option<QBytes<'a>> {
        let start = self.pos;
        let (_, b) = self.qframed(fi)?;
        self.shown(fi, start, || if b.is_none() { Value::None } else { Value::Bytes });
        Some(QBytes(b.map(Cow::Borrowed)))
    }

    /// UTF-8 text behind a u16 LE byte length.
    pub fn text16le(&mut self, fi: &'static FieldInfo) -> Option<Text<'a>> {
        let at = self.pos;
        let n = u16::from_le_bytes(self.arr(fi)?) as usize;
        let b = self.take(fi, n)?;
        self.shown(fi, at, || lossy(b));
        Some(Cow::Borrowed(b))
    }

    /// UTF-8 text behind a u32 LE byte length (`BasePacket::writeString`).
    pub fn text32le(&mut self, fi: &'static FieldInfo) -> Option<Text<'a>> {
        let at = self.pos;
        let n = u32::from_le_bytes(self.arr(fi)?) as usize;
        let b = self.take(fi, n)?;
        self.shown(fi, at, || lossy(b));
        Some(Cow::Borrowed(b))
    }

    /// A QHostAddress, as Qt's `operator>>` reads it.
    pub fn qhost(&mut self) -> Option<QHost<'a>> {
        let at = self.pos;
        let [proto] = self.arr::<1>(&f::ADDR_PROTOCOL)?;
        self.enum_value(&f::ADDR_PROTOCOL, at, proto.into(), enums::addr_protocol);
        match proto {
            0 => {
                let a = self.arr::<4>(&f::ADDR_IP)?;
                self.add(&f::ADDR_IP, at + 1, 4, || Value::Ip(IpAddr::V4(a.into())));
                Some(QHost::V4(a))
            }
            1 => {
                let a = self.arr::<16>(&f::ADDR_IP)?;
                self.add(&f::ADDR_IP, at + 1, 16, || Value::Ip(IpAddr::V6(a.into())));
                let scope = self.qstring(&f::ADDR_SCOPE)?;
                Some(QHost::V6(a, scope))
            }
            2 => Some(QHost::Any),
            0xff => Some(QHost::Null),
            p => self.malformed(at, 1, "QHostAddress", || {
                format!(
                    "address protocol byte {p} at offset {at} is none of 0 IPv4, 1 IPv6, 2 Any, 255 null: Qt \
                     clears the address and marks the stream corrupt, so nothing after it is read"
                )
            }),
        }
    }

    /// A SockAddr (QHostAddress + u16 BE port) as one subtree field `fi`.
    pub fn sockaddr(&mut self, fi: &'static FieldInfo) -> Option<QSockAddr<'a>> {
        let at = self.pos;
        if self.out.is_some() {
            if let Some(tail) = self.data.get(at..) {
                self.check_ipv6_misuse(tail, at);
            }
        }
        let node = if self.tree() {
            // Read ahead so the subtree carries the address as its value, when it is kept.
            let data = self.data;
            self.open(fi, || {
                let mut peek = Rd { data, pos: at, out: None, err: None, quiet: true, version: 0, ends: (None, None) };
                match peek.qhost().and_then(|h| Some(QSockAddr { host: h, port: peek.u16be(&f::ADDR_PORT)? })) {
                    Some(sa) => match sa.socket_addr() {
                        Some(a) => Value::SocketAddr(a),
                        None => {
                            Value::String(Cow::Borrowed(enums::addr_protocol(sa.host.protocol().into()).unwrap_or("?")))
                        }
                    },
                    None => Value::None,
                }
            })
        } else {
            (usize::MAX, at)
        };
        let host = self.qhost();
        let port = host.as_ref().and_then(|_| self.u16be(&f::ADDR_PORT));
        self.close(node);
        Some(QSockAddr { host: host?, port: port? })
    }

    /// The seed's mistake: protocol byte 1 (IPv6) in front of an IPv4 address and port. The
    /// real reader takes 16 bytes as IPv6, then a scope QString, then the port.
    fn check_ipv6_misuse(&mut self, b: &[u8], at: usize) {
        if self.out.is_none() || b.first() != Some(&1) || b.len() < 7 {
            return;
        }
        let first = b[1];
        // Global unicast 2000::/3, ULA fc00::/7, link-local fe80::/10, and ::/8 (loopback,
        // v4-mapped) are what a real IPv6 peer sends; anything else is an IPv4 address.
        let plausible_v6 = (0x20..=0x3f).contains(&first) || first >= 0xfc || first == 0;
        if plausible_v6 {
            return;
        }
        let v4 = Ipv4Addr::new(b[1], b[2], b[3], b[4]);
        let port = u16::from_be_bytes([b[5], b[6]]);
        let read = match b.get(1..17).and_then(|a| <[u8; 16]>::try_from(a).ok()) {
            Some(a) => {
                let ip = Ipv6Addr::from(a);
                // The scope QString, then the port, as Qt reads them (an odd length consumes
                // nothing more).
                let port_at = b.get(17..21).map(|l| u32::from_be_bytes([l[0], l[1], l[2], l[3]])).map(|l| match l {
                    u32::MAX => 21,
                    l if l % 2 == 1 => 21,
                    l => 21usize.saturating_add(l as usize),
                });
                match port_at.and_then(|p| b.get(p..p.checked_add(2)?)) {
                    Some(p) => format!(" as [{ip}]:{}", u16::from_be_bytes([p[0], p[1]])),
                    None => format!(" as IPv6 {ip}"),
                }
            }
            None => String::new(),
        };
        self.expert(&f::ADDR_PROTOCOL_MISMATCH, at, 1, || {
            format!(
                "address protocol byte 1 (IPv6) but the bytes after it look like IPv4 {v4}:{port}: the receiver \
                 reads 16 bytes, a scope string and a port, so it takes this address{read} and misreads every \
                 field after it; the sender probably meant protocol 0 (IPv4)"
            )
        });
    }
}

pub(crate) fn put_u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub(crate) fn put_text16le(out: &mut Vec<u8>, t: &[u8]) {
    put_u16le(out, t.len() as u16);
    out.extend_from_slice(t);
}

pub(crate) fn put_text32le(out: &mut Vec<u8>, t: &[u8]) {
    out.extend_from_slice(&(t.len() as u32).to_le_bytes());
    out.extend_from_slice(t);
}
