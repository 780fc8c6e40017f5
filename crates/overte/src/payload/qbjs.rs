//! Qt 5's binary JSON (`QJsonDocument::toBinaryData`), read as `QJsonDocument::fromBinaryData`
//! reads it: the same checks in the same order, so that a document Qt would refuse (the
//! receiver then holds an empty document) is reported where Qt stops, and one it accepts is
//! shown as the JSON text it holds.
//!
//! Layout (all little-endian): an 8-byte header (`qbjs`, version 1), then the root value. An
//! array or object is a 12-byte head (size, is-object bit and length in one word, table offset)
//! with its data after it and a table at the table offset: an array's table holds its values,
//! an object's the offsets of its entries (a value, then the key), sorted by key. A value is one
//! word: its type (3 bits), a flag for a Latin-1 string or a number stored as a 27-bit integer,
//! a flag for a Latin-1 key, and 27 bits of data (the boolean, the integer, or the offset of
//! the value's bytes from the start of the array or object holding it).

use std::fmt::Write as _;

/// The head of an array or object: size, is-object bit and length, table offset.
const HEAD: u64 = 12;
/// Arrays and objects nested deeper than this are not followed (Qt recurses without a limit).
pub const MAX_DEPTH: usize = 64;
/// Values read at most: entries may share their data, so a small document can name the same
/// large one many times over.
pub const MAX_VALUES: usize = 1 << 16;
/// Bytes of JSON text kept; the rest of the document is still checked.
pub const MAX_TEXT: usize = 64 << 10;

/// What `fromBinaryData` makes of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Accepted: the document as compact JSON text, as `QJsonDocument::toJson` writes it.
    /// `elided` when the text was cut at [`MAX_TEXT`], or the document nests deeper than
    /// [`MAX_DEPTH`] or holds more than [`MAX_VALUES`] values (not followed past those).
    Document { text: String, elided: bool },
    /// Refused: the byte offset (from the tag) of what fails Qt's check, and which check.
    Invalid { at: usize, why: &'static str },
}

/// Reads a whole document, `doc` starting at its `qbjs` tag.
pub fn read(doc: &[u8]) -> Outcome {
    let invalid = |at, why| Outcome::Invalid { at, why };
    if doc.len() < 8 + HEAD as usize {
        return invalid(0, "shorter than its header and the root's head (20 bytes)");
    }
    if word(doc, 4) != Some(1) {
        return invalid(4, "its version is not 1");
    }
    let root_size = word(doc, 8).map_or(u64::MAX, u64::from);
    if 8 + root_size > doc.len() as u64 {
        return invalid(8, "the root's size runs past the document");
    }
    let mut r = Reader { doc, values: 0, text: String::new(), elided: false };
    match r.base(8, root_size, 0) {
        Ok(()) => Outcome::Document { text: r.text, elided: r.elided },
        Err((at, why)) => invalid(at, why),
    }
}

type Check = Result<(), (usize, &'static str)>;

/// The `N` bytes at `at`, when the document holds them (Qt reads them unchecked at times: a
/// string's length, a double after a value offset it checked for four bytes only).
fn bytes<const N: usize>(doc: &[u8], at: u64) -> Option<[u8; N]> {
    let at = usize::try_from(at).ok()?;
    doc.get(at..at.checked_add(N)?)?.try_into().ok()
}

fn word(doc: &[u8], at: u64) -> Option<u32> {
    bytes(doc, at).map(u32::from_le_bytes)
}

fn short(doc: &[u8], at: u64) -> Option<u16> {
    bytes(doc, at).map(u16::from_le_bytes)
}

/// `at` as a position for a finding.
fn pos(at: u64) -> usize {
    usize::try_from(at).unwrap_or(usize::MAX)
}

struct Reader<'a> {
    doc: &'a [u8],
    values: usize,
    text: String,
    elided: bool,
}

/// A key or string value: Latin-1 bytes, or UTF-16 code units.
enum Chars<'a> {
    Latin1(&'a [u8]),
    Utf16(&'a [u8]),
}

impl Chars<'_> {
    /// The UTF-16 code units, as Qt compares keys and makes its strings (a Latin-1 byte is the
    /// code unit of the same value).
    fn units(&self) -> impl Iterator<Item = u16> + '_ {
        let (latin1, utf16) = match self {
            Chars::Latin1(b) => (Some(b.iter().map(|&c| u16::from(c))), None),
            Chars::Utf16(b) => (None, Some(b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])))),
        };
        latin1.into_iter().flatten().chain(utf16.into_iter().flatten())
    }
}

impl<'a> Reader<'a> {
    fn write(&mut self, s: &str) {
        if self.elided {
            return;
        }
        if self.text.len() + s.len() > MAX_TEXT {
            self.elided = true;
            self.text.push('…');
        } else {
            self.text.push_str(s);
        }
    }

    fn write_string(&mut self, chars: &Chars) {
        if self.elided {
            return;
        }
        let mut s = String::with_capacity(2);
        s.push('"');
        for c in char::decode_utf16(chars.units()) {
            match c.unwrap_or(char::REPLACEMENT_CHARACTER) {
                '"' => s.push_str("\\\""),
                '\\' => s.push_str("\\\\"),
                '\n' => s.push_str("\\n"),
                '\r' => s.push_str("\\r"),
                '\t' => s.push_str("\\t"),
                c if u32::from(c) < 0x20 => {
                    let _ = write!(s, "\\u{:04x}", u32::from(c));
                }
                c => s.push(c),
            }
        }
        s.push('"');
        self.write(&s);
    }

    /// An array or object at `b` that may take `max` bytes (`Base::isValid`), written out.
    fn base(&mut self, b: u64, max: u64, depth: usize) -> Check {
        let (Some(size), Some(kind), Some(table)) = (word(self.doc, b), word(self.doc, b + 4), word(self.doc, b + 8))
        else {
            return Err((pos(b), "an array's or object's head runs past the document"));
        };
        let (size, length, table) = (u64::from(size), u64::from(kind >> 1), u64::from(table));
        if size > max {
            return Err((pos(b), "an array or object is larger than the room its parent leaves it"));
        }
        if table + 4 * length > size {
            return Err((pos(b + 8), "an array's or object's table runs past its size"));
        }
        let object = kind & 1 == 1;
        if depth >= MAX_DEPTH {
            self.write(if object { "{…}" } else { "[…]" });
            self.elided = true;
            return Ok(());
        }
        self.write(if object { "{" } else { "[" });
        let mut last: Vec<u16> = Vec::new();
        for i in 0..length {
            if self.values >= MAX_VALUES {
                self.write("…");
                self.elided = true;
                return Ok(());
            }
            self.values += 1;
            if i > 0 {
                self.write(",");
            }
            let slot = b + table + 4 * i;
            let item = word(self.doc, slot).map_or(0, u64::from);
            if !object {
                self.value(b, table, item as u32, slot, depth)?;
                continue;
            }
            // `Object::isValid`: the entry (its value word and key) lies before the table, the
            // key fits, keys come in order.
            if item + 4 >= table {
                return Err((pos(slot), "an object's entry lies at or past its table"));
            }
            let entry = b + item;
            let room = table - item - 4;
            let value = word(self.doc, entry).unwrap_or(0);
            let key = self
                .chars(entry + 4, room, value >> 4 & 1 == 1)
                .ok_or((pos(entry + 4), "a key runs past its entry"))?;
            let units: Vec<u16> = key.units().collect();
            if units < last {
                return Err((pos(entry + 4), "the object's keys are out of order"));
            }
            self.write_string(&key);
            self.write(":");
            self.value(b, table, value, entry, depth)?;
            last = units;
        }
        self.write(if object { "}" } else { "]" });
        Ok(())
    }

    /// A Latin-1 or UTF-16 string at `at` in `room` bytes (`Latin1String::isValid`,
    /// `String::isValid`).
    fn chars(&self, at: u64, room: u64, latin1: bool) -> Option<Chars<'a>> {
        let (len, from) = if latin1 {
            (u64::from(short(self.doc, at)?), at + 2)
        } else {
            if room < 4 {
                return None;
            }
            (u64::from(word(self.doc, at)?) * 2, at + 4)
        };
        if from - at + len > room {
            return None;
        }
        let raw = self.doc.get(usize::try_from(from).ok()?..usize::try_from(from + len).ok()?)?;
        Some(if latin1 { Chars::Latin1(raw) } else { Chars::Utf16(raw) })
    }

    /// The value word `v` of the array or object at `b` whose table is at `table`
    /// (`Value::isValid`), written out; `at` is where the word is, for a finding.
    fn value(&mut self, b: u64, table: u64, v: u32, at: u64, depth: usize) -> Check {
        let (kind, compact, data) = (v & 7, v >> 3 & 1 == 1, u64::from(v >> 5));
        // Data lies after the head and before the table.
        let offset_ok = data >= HEAD && data + 4 <= table;
        let bad_offset = (pos(at), "a value's data lies outside its array or object");
        match kind {
            0 => self.write("null"),
            1 => self.write(if data != 0 { "true" } else { "false" }),
            2 if compact => self.write(&((v as i32) >> 5).to_string()),
            2 => {
                if !offset_ok {
                    return Err(bad_offset);
                }
                let d = f64::from_le_bytes(bytes(self.doc, b + data).unwrap_or_default());
                let mut s = String::new();
                push_number(&mut s, d);
                self.write(&s);
            }
            3 => {
                if !offset_ok {
                    return Err(bad_offset);
                }
                let chars = self
                    .chars(b + data, table - data, compact)
                    .ok_or((pos(b + data), "a string runs past its room"))?;
                self.write_string(&chars);
            }
            4 | 5 => {
                if !offset_ok {
                    return Err(bad_offset);
                }
                self.base(b + data, table - data, depth + 1)?;
            }
            _ => return Err((pos(at), "a value's type is not one of null, bool, double, string, array, object")),
        }
        Ok(())
    }
}

/// A double as Qt 5's `QJsonDocument::toJson` writes it: a whole number that fits in an i64 as
/// that integer; any other in its shortest digits, in exponent form (`1.5e+20`, `1e-05`: a
/// sign and two digits at least) when the exponent is below -4 or not below the digits' count,
/// as `'g'` does; `null` for what JSON cannot hold (NaN, infinities).
pub fn push_number(s: &mut String, d: f64) {
    if !d.is_finite() {
        s.push_str("null");
        return;
    }
    // `i64::MAX as f64` is 2⁶³: every double below it in magnitude fits in an i64.
    if d == d.trunc() && d.abs() < i64::MAX as f64 {
        let _ = write!(s, "{}", d as i64);
        return;
    }
    let shortest = format!("{d:e}");
    let (mantissa, exp) = shortest.split_once('e').unwrap_or((&shortest, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = mantissa.strip_prefix('-').map_or(("", mantissa), |m| ("-", m));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len() as i32;
    s.push_str(sign);
    if exp < -4 || exp >= n {
        let _ = write!(s, "{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
    } else if exp >= 0 {
        let point = (exp + 1) as usize;
        let _ = write!(s, "{}.{}", &digits[..point], &digits[point..]);
    } else {
        let _ = write!(s, "0.{}{digits}", "0".repeat((-exp - 1) as usize));
    }
}

/// A document of `levels` nested arrays, each of which names the next twice: level k's head at
/// 8 + 12k, the tables after all the heads, the innermost first, so that each level (its table
/// included) fits in the room its parent leaves it. Each table holds two value words naming the
/// next level (type 4 at offset 12); the last two nulls.
#[cfg(test)]
pub(crate) fn shared_chain(levels: u32) -> Vec<u8> {
    let mut doc = b"qbjs".to_vec();
    doc.extend_from_slice(&1u32.to_le_bytes());
    let table_at = |k: u32| 8 + 12 * levels + 8 * (levels - 1 - k);
    for k in 0..levels {
        let table = table_at(k) - (8 + 12 * k);
        doc.extend_from_slice(&(table + 8).to_le_bytes());
        doc.extend_from_slice(&(2u32 << 1).to_le_bytes());
        doc.extend_from_slice(&table.to_le_bytes());
    }
    for k in (0..levels).rev() {
        let word: u32 = if k == levels - 1 { 0 } else { 4 | 12 << 5 };
        doc.extend_from_slice(&word.to_le_bytes());
        doc.extend_from_slice(&word.to_le_bytes());
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use udpdissect_core::testing::hex;

    fn text(doc: &[u8]) -> String {
        match read(doc) {
            Outcome::Document { text, elided: false } => text,
            other => panic!("{other:?}"),
        }
    }

    /// Qt 5.15's `QJsonDocument::toBinaryData` of a stats-like object (Latin-1 and UTF-16
    /// strings and keys, integers stored in the value word and as doubles, a nested object and
    /// array, booleans, null, escapes), and its `toJson(Compact)` text: the text read here is
    /// Qt's, byte for byte.
    #[test]
    fn qt_documents_read_as_qt_writes_them_as_json() {
        let stats = hex(concat!(
            "71626a730100000068020000250000002002000012030000030062696700000000e45f9ce774a642faffff7f030063617000",
            "0000950700000a00646f776e73747265616d840000000b000000700000009a0100000900617661696c61626c65007a000000",
            "0700646573697265640000009207000009006a69747465725f6d73000000000000000640120a000004006c6f737300000000",
            "00000000903f120d000007007374617276657300000000000000000000000c0000001c0000002c0000004400000058000000",
            "9b190000030065736300000008006122625c630a64010000921c000004006875676500009c7500883ce4377e1b1f00000400",
            "6e616d6500000900496e74657266616365007affffff03006e65670000001b24000009006e6f64655f747970650005004167",
            "656e74001000000007006e6f7468696e670000001100000003006f66660000003100000002006f6b122b0000040070617374",
            "00000000000000009041922d00000500746869726400555555555555d53f12300000040074696e79000048afbc9af2d77a3e",
            "133300000700756e69636f64650000000e0000005a00fc00720069006300680020009221200054004d016b0079004d019439",
            "00000b00757073747265616d5f6d73000000340000000800000024000000000000000000f83f00000000000002c000000000",
            "00000000820100004a00000082020000820300003a0000000300e974e90000008b4300000400000092216b00650079000100",
            "78000c000000200000002c000000c0000000d8000000ec00000004010000100100002801000038010000440100004c010000",
            "600100007401000088010000b8010000000200000c020000",
        ));
        assert_eq!(
            text(&stats),
            concat!(
                r#"{"big":12345678901234,"cap":67108863,"downstream":{"available":12,"desired":3,"jitter_ms":2.75,"#,
                r#""loss":0.015625,"starves":0},"esc":"a\"b\\c\nd\u0001","huge":1e+300,"name":"Interface","neg":-5,"#,
                r#""node_type":"Agent","nothing":null,"off":false,"ok":true,"past":67108864,"third":0.3333333333333333,"#,
                r#""tiny":1e-07,"unicode":"Zürich → Tōkyō","upstream_ms":[1.5,2,-2.25,0],"été":1,"→key":"x"}"#
            )
        );
        let array = hex(concat!(
            "71626a7301000000600000000800000050000000030074776f0000003000000004000000280000001c00000003000000180000",
            "009a0000000400666f757200000c0000006a000000850100000c00000001000000000000002a0000008b010000840200008508",
            "0000"
        ));
        assert_eq!(text(&array), r#"[1,"two",[3,{"four":4}],{}]"#);
        let small = hex("71626a73010000001800000003000000140000003a000000010061000c000000");
        assert_eq!(text(&small), r#"{"a":1}"#);
        let two = hex("71626a730100000024000000050000001c0000005a000000010061003a000000010062000c00000014000000");
        assert_eq!(text(&two), r#"{"a":2,"b":1}"#);
    }

    /// Numbers as Qt 5.15's `toJson` writes them (its output for these values).
    #[test]
    fn numbers_as_qt_writes_them() {
        let cases: [(f64, &str); 17] = [
            (1e16, "10000000000000000"),
            (1.5e20, "1.5e+20"),
            (9007199254740994.0, "9007199254740994"),
            (123456.789, "123456.789"),
            (0.0001, "0.0001"),
            (0.00001234, "1.234e-05"),
            (1e21, "1e+21"),
            (5e-324, "5e-324"),
            (-0.0, "0"),
            (123456789012345678.0, "123456789012345680"),
            (0.1, "0.1"),
            (100.5, "100.5"),
            (-1e-5, "-1e-05"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-2.25, "-2.25"),
            (f64::NAN, "null"),
            (f64::INFINITY, "null"),
        ];
        for (d, want) in cases {
            let mut s = String::new();
            push_number(&mut s, d);
            assert_eq!(s, want, "{d:e}");
        }
    }

    /// Each of Qt's checks refuses the document where Qt does.
    #[test]
    fn documents_qt_refuses_are_refused_where_it_stops() {
        let good = hex("71626a730100000024000000050000001c0000005a000000010061003a000000010062000c00000014000000");
        let why = |doc: &[u8]| match read(doc) {
            Outcome::Invalid { at, why } => (at, why),
            other => panic!("{other:?}"),
        };
        // The document with byte `i` changed to `b`.
        let with = |i: usize, b: u8| {
            let mut v = good.clone();
            v[i] = b;
            v
        };
        assert_eq!(why(&good[..19]).0, 0, "too short");
        assert_eq!(why(&with(4, 2)), (4, "its version is not 1"));
        assert_eq!(why(&with(8, 0x30)), (8, "the root's size runs past the document"));
        // The table past the root's size.
        assert_eq!(why(&with(16, 0x20)), (16, "an array's or object's table runs past its size"));
        // Keys out of order: the second entry's key "b" becomes "0".
        assert_eq!(why(&with(34, b'0')), (32, "the object's keys are out of order"));
        // An entry offset into the table.
        assert_eq!(why(&with(40, 0x1c)), (40, "an object's entry lies at or past its table"));
        // A value of type 6.
        assert_eq!(why(&with(20, 0x5e)).1, "a value's type is not one of null, bool, double, string, array, object");
        // A Latin-1 key longer than its entry's room (12 bytes: the next entry's read as part of
        // a 10-byte key would still fit, as Qt allows).
        assert_eq!(why(&with(24, 11)), (24, "a key runs past its entry"));
        assert!(matches!(read(&with(24, 10)), Outcome::Document { .. }));
        // Every prefix and every single-byte change is read without a panic.
        for n in 0..good.len() {
            let _ = read(&good[..n]);
        }
        for i in 0..good.len() {
            for b in [0u8, 1, 0x7f, 0x80, 0xff] {
                let _ = read(&with(i, b));
            }
        }
    }

    proptest::proptest! {
        /// Any bytes after a header whose root fits are read without a panic, within the bounds.
        #[test]
        fn any_document_reads_within_bounds(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 12..600)) {
            let mut doc = b"qbjs".to_vec();
            doc.extend_from_slice(&1u32.to_le_bytes());
            let mut body = body;
            let size = body.len() as u32;
            body[..4].copy_from_slice(&size.to_le_bytes());
            doc.extend_from_slice(&body);
            if let Outcome::Document { text, .. } = read(&doc) {
                proptest::prop_assert!(text.len() <= MAX_TEXT + 8);
            }
        }
    }

    /// Values that share their data cannot make the reading run away: a chain of arrays each of
    /// which names the next twice would double the work at every level. Past the budget or the
    /// nesting limit the text ends with an ellipsis, and the document is marked shown in part.
    #[test]
    fn shared_and_deep_documents_are_read_within_bounds() {
        match read(&shared_chain(200)) {
            Outcome::Document { text, elided } => {
                assert!(elided);
                assert!(text.len() <= MAX_TEXT + 4, "{}", text.len());
                // Depth first: the first chain of arrays down to the nesting limit.
                assert_eq!(text, format!("{}[…]", "[".repeat(MAX_DEPTH)));
            }
            other => panic!("{other:?}"),
        }
    }
}
