//! Recognisable causes of a difference, worded for the person fixing their client. Every hint
//! is a function of the field's key, both sides' bytes and value texts, so a new protocol gets
//! them by naming its fields well (`…len`, `…count`, `…version`, `…family`).

use udpdissect_core::Hex;

/// One side of a differing field.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub bytes: &'a [u8],
    /// The value as `-T fields` prints it.
    pub value: &'a str,
}

/// Largest difference a length or count field may be "off by" to be called that.
pub const SMALL: i128 = 16;

/// The hint for a field both messages have, with different bytes or values.
pub fn both(key: &str, ours: Side, theirs: Side) -> Option<String> {
    let (a, b) = (ours.bytes, theirs.bytes);
    // Every hint is about how a field is written: none for values the dissector computed
    // (a signature's or a version's verdict, a record count).
    if a.is_empty() && b.is_empty() {
        return None;
    }
    if a.len() == 4 && b.len() == 4 {
        let null = [0xff; 4];
        let (which, other) = match (a == null, b == null, a == [0; 4], b == [0; 4]) {
            (true, _, _, true) => ("ours", "theirs"),
            (_, true, true, _) => ("theirs", "ours"),
            _ => ("", ""),
        };
        if !which.is_empty() {
            return Some(format!(
                "null vs empty Qt string: {which} has length 0xffffffff (a null QString/QByteArray), \
                 {other} 0x00000000 (an empty one); Qt's reader tells them apart"
            ));
        }
    }
    if a.len() >= 2 && a.len() == b.len() && a != b && a.iter().rev().eq(b.iter()) {
        return Some(format!(
            "ours is the byte-swapped 0x{} (theirs' bytes in wire order): a little-/big-endian mix-up; \
             write the {}-byte field in the other byte order",
            Hex(b),
            a.len()
        ));
    }
    // Text behind a length prefix (a QString's u32 BE byte count, a u16/u32 LE one) is
    // compared without it: the prefixes differ when one side's text takes twice the bytes.
    let (ta, tb) = (text_of(a), text_of(b));
    if let Some(order) = utf16_of(ta, tb) {
        return Some(format!(
            "ours is UTF-16{order} where theirs is UTF-8 (or Latin-1): the same text, twice the bytes"
        ));
    }
    if let Some(order) = utf16_of(tb, ta) {
        return Some(format!(
            "ours is UTF-8 (or Latin-1) where theirs is UTF-16{order}: the same text, half the bytes"
        ));
    }
    let lower = key.to_ascii_lowercase();
    let name = lower.rsplit('.').next().unwrap_or(&lower);
    let numbers = ours.value.parse::<i128>().ok().zip(theirs.value.parse::<i128>().ok());
    if a.len() == 1 && b.len() == 1 && (name.contains("protocol") || name.contains("family")) {
        if let Some((x, y)) = numbers.filter(|&(x, y)| (0..=2).contains(&x) && (0..=2).contains(&y)) {
            return Some(format!(
                "a different Qt address family byte: ours {x} ({}), theirs {y} ({}); \
                 QAbstractSocket::NetworkLayerProtocol is 0 IPv4, 1 IPv6, 2 any",
                family(x),
                family(y)
            ));
        }
    }
    if ["len", "length", "count"].iter().any(|s| name.ends_with(s)) {
        if let Some((x, y)) = numbers.filter(|&(x, y)| x != y && (x - y).abs() <= SMALL) {
            let n = x - y;
            return Some(format!(
                "length prefix off by {n:+}: ours {x}, theirs {y}; check what the count includes \
                 (its own bytes, a header, a terminator) and its unit (bytes or elements)"
            ));
        }
    }
    for word in ["version", "signature"] {
        if lower.contains(word) {
            return Some(format!(
                "a different protocol {word}: ours {}, theirs {}; the server may reject or ignore \
                 a {word} it does not expect",
                ours.value, theirs.value
            ));
        }
    }
    None
}

/// The hint for a field only one message has. `who` is `ours` or `theirs` (the side that has
/// it); `at_end`: the field ends its message.
pub fn one_side(key: &str, who: &str, side: Side, at_end: bool) -> Option<String> {
    let other = if who == "ours" { "theirs" } else { "ours" };
    if at_end && !side.bytes.is_empty() {
        let n = side.bytes.len();
        let s = if n == 1 { "" } else { "s" };
        return Some(format!(
            "field missing at the end: {who} has {n} more byte{s} at the end: {} ({key}); \
             {other} ends before them (trailing bytes, or a field {other} does not send)",
            spaced(side.bytes)
        ));
    }
    if side.bytes.is_empty() {
        return None;
    }
    Some(format!("{key} is only in {who}: {other} does not send it (an optional field, or a different layout)"))
}

/// A note on two messages whose total lengths differ, when no field explains it.
pub fn message_length(ours: usize, theirs: usize) -> Option<String> {
    let n = ours as i128 - theirs as i128;
    (n != 0).then(|| {
        let (who, k) = if n > 0 { ("ours", n) } else { ("theirs", -n) };
        let s = if k == 1 { "" } else { "s" };
        format!("the messages differ in length: ours {ours} bytes, theirs {theirs}: {who} has {k} more byte{s}")
    })
}

/// The bytes after a length prefix that counts exactly them (u32 BE as Qt writes, u32 or u16
/// LE), or all the bytes when there is none.
fn text_of(b: &[u8]) -> &[u8] {
    let prefixed = |n: usize, len: Option<usize>| len.is_some_and(|len| len > 0 && len == b.len() - n);
    let word = |n: usize| b.get(..n);
    let be32 = word(4).map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]) as usize);
    let le32 = word(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]) as usize);
    let le16 = word(2).map(|w| u16::from_le_bytes([w[0], w[1]]) as usize);
    if prefixed(4, be32) || prefixed(4, le32) {
        &b[4..]
    } else if prefixed(2, le16) {
        &b[2..]
    } else {
        b
    }
}

/// Whether `wide` is `narrow` with a zero byte after (`LE`) or before (`BE`) every byte.
fn utf16_of(wide: &[u8], narrow: &[u8]) -> Option<&'static str> {
    if narrow.is_empty() || wide.len() != 2 * narrow.len() || narrow.contains(&0) {
        return None;
    }
    let pairs = || wide.chunks_exact(2).zip(narrow);
    if pairs().all(|(w, n)| w[0] == *n && w[1] == 0) {
        Some("LE")
    } else if pairs().all(|(w, n)| w[0] == 0 && w[1] == *n) {
        Some("BE")
    } else {
        None
    }
}

fn family(v: i128) -> &'static str {
    match v {
        0 => "IPv4",
        1 => "IPv6",
        _ => "any",
    }
}

/// `de ad be ef`.
pub fn spaced(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side<'a>(bytes: &'a [u8], value: &'a str) -> Side<'a> {
        Side { bytes, value }
    }

    #[test]
    fn byte_swapped_integer() {
        let ours = 1_234_567_890_123i64.to_be_bytes();
        let theirs = 1_234_567_890_123i64.to_le_bytes();
        let h = both("heartbeat.uid", side(&ours, "-3817650120833302528"), side(&theirs, "1234567890123")).unwrap();
        assert!(h.starts_with("ours is the byte-swapped 0xcb04fb711f010000 (theirs' bytes in wire order): a little-/big-endian mix-up"), "{h}");
        // A 16-bit id, and not for a palindrome or a single byte.
        let h = both("x.local_id", side(&[0x70, 0x3b], "28731"), side(&[0x3b, 0x70], "15216")).unwrap();
        assert!(h.contains("byte-swapped 0x3b70"), "{h}");
        assert_eq!(both("x.a", side(&[1], "1"), side(&[2], "2")), None);
    }

    #[test]
    fn null_vs_empty_qt_string() {
        let h = both("x.name_len", side(&[0xff; 4], "4294967295"), side(&[0; 4], "0")).unwrap();
        assert!(h.starts_with("null vs empty Qt string: ours has length 0xffffffff"), "{h}");
        let h = both("x.name_len", side(&[0; 4], "0"), side(&[0xff; 4], "4294967295")).unwrap();
        assert!(h.starts_with("null vs empty Qt string: theirs has length 0xffffffff"), "{h}");
    }

    #[test]
    fn utf16_vs_utf8() {
        let h = both("x.name", side(b"a\0b\0", "a.b."), side(b"ab", "ab")).unwrap();
        assert!(h.starts_with("ours is UTF-16LE where theirs is UTF-8"), "{h}");
        let h = both("x.name", side(b"ab", "ab"), side(b"\0a\0b", ".a.b")).unwrap();
        assert!(h.starts_with("ours is UTF-8 (or Latin-1) where theirs is UTF-16BE"), "{h}");
        // Behind their length prefixes (a QString's u32 BE byte count, a u16 LE one).
        let h = both("x.place", side(b"\0\0\0\x04home", "桯浥"), side(b"\0\0\0\x08\0h\0o\0m\0e", "home")).unwrap();
        assert!(h.starts_with("ours is UTF-8 (or Latin-1) where theirs is UTF-16BE"), "{h}");
        let h = both("x.name", side(b"\x04\0a\0b\0", "a.b."), side(b"\x02\0ab", "ab")).unwrap();
        assert!(h.starts_with("ours is UTF-16LE where theirs is UTF-8"), "{h}");
        // A prefix that does not count the rest is part of the bytes.
        assert_eq!(both("x.blob", side(b"\0\0\0\x09ab", "1"), side(b"\0\0\0\x09\0a\0b", "2")), None);
    }

    #[test]
    fn computed_values_get_no_hint() {
        // Generated fields have no bytes: a signature's verdict, a record count.
        assert_eq!(both("x.signature.status", side(&[], "2"), side(&[], "0")), None);
        assert_eq!(both("x.node_count", side(&[], "3"), side(&[], "4")), None);
    }

    #[test]
    fn qt_address_family_byte() {
        let h = both("overte.domain_list.public_socket.protocol", side(&[1], "1"), side(&[0], "0")).unwrap();
        assert!(h.starts_with("a different Qt address family byte: ours 1 (IPv6), theirs 0 (IPv4)"), "{h}");
        // Not a family: a byte named otherwise, or a value out of range.
        assert_eq!(both("x.flags", side(&[1], "1"), side(&[0], "0")), None);
        assert_eq!(both("x.family", side(&[7], "7"), side(&[0], "0")), None);
    }

    #[test]
    fn length_prefix_off_by_n() {
        let h = both("x.payload_len", side(&[0, 12], "12"), side(&[0, 10], "10")).unwrap();
        assert!(h.starts_with("length prefix off by +2: ours 12, theirs 10"), "{h}");
        let h = both("x.count", side(&[3], "3"), side(&[4], "4")).unwrap();
        assert!(h.starts_with("length prefix off by -1"), "{h}");
        assert_eq!(both("x.len", side(&[0, 200], "200"), side(&[0, 10], "10")), None);
    }

    #[test]
    fn protocol_version_or_signature() {
        let h = both("x.version", side(&[3], "3"), side(&[4], "4")).unwrap();
        assert!(h.starts_with("a different protocol version: ours 3, theirs 4"), "{h}");
        let h = both("x.signature", side(&[1, 2, 3], "010203"), side(&[1, 2, 4], "010204")).unwrap();
        assert!(h.starts_with("a different protocol signature"), "{h}");
    }

    #[test]
    fn field_missing_at_the_end() {
        let h = one_side("heartbeat.trailing", "ours", side(&[0xab], "ab"), true).unwrap();
        assert_eq!(
            h,
            "field missing at the end: ours has 1 more byte at the end: ab (heartbeat.trailing); \
             theirs ends before them (trailing bytes, or a field theirs does not send)"
        );
        let h = one_side("x.opt", "theirs", side(&[1, 2], "0102"), false).unwrap();
        assert!(h.starts_with("x.opt is only in theirs"), "{h}");
        assert_eq!(one_side("x.gen", "ours", side(&[], "5"), false), None);
    }

    #[test]
    fn message_length_differs() {
        assert_eq!(
            message_length(9, 8).unwrap(),
            "the messages differ in length: ours 9 bytes, theirs 8: ours has 1 more byte"
        );
        assert_eq!(message_length(8, 8), None);
    }

    #[test]
    fn unrelated_differences_get_no_hint() {
        assert_eq!(both("heartbeat.padding", side(&[1, 2, 3, 4, 5, 6, 7, 8], "x"), side(&[0; 8], "y")), None);
    }
}
