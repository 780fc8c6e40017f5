//! Hand-rolled text output for the summary's hot path (the Info column, the summary line):
//! `write!` through `fmt` costs several times more per number, and a summary line has a dozen
//! of them.

use std::net::{IpAddr, Ipv4Addr};

/// "000" to "999": the three digits of every number below 1000, copied rather than computed.
const TRIPLES: &str = {
    const BYTES: [u8; 3000] = {
        let mut b = [0u8; 3000];
        let mut i = 0;
        while i < 1000 {
            b[3 * i] = b'0' + (i / 100) as u8;
            b[3 * i + 1] = b'0' + (i / 10 % 10) as u8;
            b[3 * i + 2] = b'0' + (i % 10) as u8;
            i += 1;
        }
        b
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("digits are ASCII"),
    }
};

/// The three digits of `v` (< 1000), zero-padded.
fn triple(v: u64) -> &'static str {
    let i = 3 * v as usize;
    &TRIPLES[i..i + 3]
}

/// "0" to "999" without leading zeros, each a `&str` of its own: pushing one is a single
/// copy, with no char-boundary checks from slicing or truncating (3.6 % of a summary run's
/// instructions).
const SMALL: [&str; 1000] = {
    let mut out = [""; 1000];
    let mut i = 0;
    while i < 1000 {
        let skip = if i >= 100 {
            0
        } else if i >= 10 {
            1
        } else {
            2
        };
        let (_, rest) = TRIPLES.as_bytes().split_at(3 * i + skip);
        let (digits, _) = rest.split_at(3 - skip);
        out[i] = match std::str::from_utf8(digits) {
            Ok(s) => s,
            Err(_) => panic!("digits are ASCII"),
        };
        i += 1;
    }
    out
};

/// Appends `v` (< 1000) without leading zeros.
fn push_small(s: &mut String, v: u64) {
    push_digits(s, SMALL[v as usize]);
}

/// Appends a number's digits with a copy of a length known when compiled, for the lengths
/// most numbers have: a copy of any other length is a call to `memcpy`, which for a few bytes
/// costs more than the copy (0.7 % of the protocol columns' instructions went to those calls).
#[inline(always)]
fn push_digits(s: &mut String, digits: &str) {
    match digits.len() {
        1 => s.push_str(&digits[..1]),
        2 => s.push_str(&digits[..2]),
        3 => s.push_str(&digits[..3]),
        4 => s.push_str(&digits[..4]),
        5 => s.push_str(&digits[..5]),
        6 => s.push_str(&digits[..6]),
        7 => s.push_str(&digits[..7]),
        8 => s.push_str(&digits[..8]),
        _ => s.push_str(digits),
    }
}

/// Appends `v` in decimal: below 1000 one copy from a table, above that `itoa`'s digits, made
/// two at a time and copied once (a copy per group of three cost a heartbeat's UID three times
/// as much).
pub fn push_u64(s: &mut String, v: u64) {
    if v < 1000 {
        push_small(s, v);
    } else {
        push_digits(s, itoa::Buffer::new().format(v));
    }
}

/// A float as its shortest text. A value that is exactly an `f32` (a 4-byte float on the wire,
/// widened) gets the shortest text that reads back as that `f32`, as tshark shows its 4-byte
/// floats: `1.2`, not the `1.2000000476837158` the widened double would print.
pub fn push_float(s: &mut String, v: f64) {
    use std::fmt::Write as _;
    let narrow = v as f32;
    let _ = if f64::from(narrow) == v { write!(s, "{narrow}") } else { write!(s, "{v}") };
}

/// Appends ` {n}{word}`, with an `s` unless `n` is 1: `push_count(s, 3, " peer")` gives
/// " 3 peers".
pub fn push_count(s: &mut String, n: u64, word: &str) {
    s.push(' ');
    push_u64(s, n);
    s.push_str(word);
    if n != 1 {
        s.push('s');
    }
}

/// Appends `v` in decimal, with its sign.
pub fn push_i64(s: &mut String, v: i64) {
    if v < 0 {
        s.push('-');
    }
    push_u64(s, v.unsigned_abs());
}

/// 10⁰ to 10¹⁹.
const POW10: [u64; 20] = {
    let mut p = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// How many decimal digits `v` has. From the bit length (× 1233 / 4096 is just under
/// log₁₀ 2), corrected by one comparison: a few instructions, where `ilog10` takes dozens.
#[inline]
pub fn decimal_len(v: u64) -> usize {
    let v = v | 1;
    let guess = (((64 - v.leading_zeros()) * 1233) >> 12) as usize;
    guess + usize::from(v >= POW10[guess])
}

/// 10 to the power `n` (≤ 19).
#[inline]
fn pow10(n: u32) -> u64 {
    POW10[(n as usize).min(19)]
}

/// "00" to "99", one after the other: [`write_u64_end`] stores two digits at a time from it.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes `v` in decimal into the end of `out`, two digits at a time from the right, stored
/// rather than copied; returns the digits' length, or `None` (nothing written) when `out` is
/// shorter. For text laid out in place rather than appended.
#[inline]
pub fn write_u64_end(out: &mut [u8], v: u64) -> Option<usize> {
    let len = decimal_len(v);
    let at = out.len().checked_sub(len)?;
    write_digits(&mut out[at..], v);
    Some(len)
}

/// Fills `out` with the last `out.len()` decimal digits of `v`, zero-padded when `v` has
/// fewer: three at a time from the right from `TRIPLES`, then a pair or one (a time
/// column's seconds and a frame's length are mostly three or four digits).
#[inline]
pub fn write_digits(out: &mut [u8], mut v: u64) {
    let t = TRIPLES.as_bytes();
    let mut rest = out;
    while let [head @ .., a, b, c] = rest {
        let i = 3 * (v % 1000) as usize;
        (*a, *b, *c) = (t[i], t[i + 1], t[i + 2]);
        v /= 1000;
        rest = head;
    }
    match rest {
        [a, b] => {
            let pair = (v % 100) as usize * 2;
            (*a, *b) = (PAIRS[pair], PAIRS[pair + 1]);
        }
        [d] => *d = b'0' + (v % 10) as u8,
        _ => {}
    }
}

/// [`write_digits`] into `out` taken as `N` long when it is: the length known when compiled,
/// the loop unrolls with no slice pattern per group (the time column's microseconds, on every
/// summary line).
#[inline]
fn write_digits_fixed<const N: usize>(out: &mut [u8], v: u64) {
    match <&mut [u8; N]>::try_from(&mut *out) {
        Ok(fixed) => write_digits(fixed, v),
        Err(_) => write_digits(out, v),
    }
}

/// Characters of [`push_seconds`]'s text for `ns` with `decimals` decimals.
#[inline]
pub fn seconds_len(ns: i64, decimals: u8) -> usize {
    let decimals = usize::from(decimals.min(9));
    let point = if decimals > 0 { decimals + 1 } else { 0 };
    usize::from(ns < 0) + decimal_len(ns.unsigned_abs() / 1_000_000_000) + point
}

/// Writes [`push_seconds`]'s text into the end of `out`, stored rather than copied; returns its
/// length, or `None` (nothing written) when `out` is shorter.
#[inline]
pub fn write_seconds_end(out: &mut [u8], ns: i64, decimals: u8) -> Option<usize> {
    let len = seconds_len(ns, decimals);
    let at = out.len().checked_sub(len)?;
    write_seconds(&mut out[at..], ns, decimals);
    Some(len)
}

/// Fills `text`, [`seconds_len`] long, with [`push_seconds`]'s text.
#[inline]
pub fn write_seconds(text: &mut [u8], ns: i64, decimals: u8) {
    let decimals = u32::from(decimals.min(9));
    let abs = ns.unsigned_abs();
    let mut secs_end = text.len();
    if decimals > 0 {
        secs_end = secs_end.saturating_sub(decimals as usize + 1);
        let fraction = abs % 1_000_000_000;
        // Microseconds (pcap's) and nanoseconds by constants into a fixed width the loop
        // unrolls over, the rest by a division.
        if let [dot, digits @ ..] = &mut text[secs_end..] {
            *dot = b'.';
            match decimals {
                6 => write_digits_fixed::<6>(digits, fraction / 1000),
                9 => write_digits_fixed::<9>(digits, fraction),
                _ => write_digits(digits, fraction / pow10(9 - decimals)),
            }
        }
    }
    let sign = usize::from(ns < 0).min(secs_end);
    write_digits(&mut text[sign..secs_end], abs / 1_000_000_000);
    if ns < 0 {
        text[0] = b'-';
    }
}

/// Appends `v` after enough of `fill` (a run of one character) to make it `width` wide.
fn push_u64_padded(s: &mut String, v: u64, width: usize, fill: &str) {
    s.push_str(&fill[..width.saturating_sub(decimal_len(v)).min(fill.len())]);
    push_u64(s, v);
}

/// Appends `v` right-aligned in `width` columns.
pub fn push_u64_right(s: &mut String, v: u64, width: usize) {
    push_u64_padded(s, v, width, "                    ");
}

/// Appends `v` zero-padded to `width` digits: `{v:0width$}`.
pub fn push_u64_zeros(s: &mut String, v: u64, width: usize) {
    push_u64_padded(s, v, width, "00000000000000000000");
}

/// Appends the first `digits` (≤ 9) decimals of a nanosecond fraction, zero-padded.
pub fn push_fraction(s: &mut String, nanos: u32, digits: u8) {
    let v = u64::from(nanos % 1_000_000_000);
    let mut left = usize::from(digits.min(9));
    for group in [v / 1_000_000, v / 1000 % 1000, v % 1000] {
        if left == 0 {
            break;
        }
        s.push_str(triple(group));
        if left < 3 {
            s.truncate(s.len() - (3 - left));
            break;
        }
        left -= 3;
    }
}

/// Appends a point and the first `decimals` (≤ 9) decimals of a nanosecond fraction; nothing
/// for none.
pub fn push_decimals(s: &mut String, nanos: u32, decimals: u8) {
    if decimals > 0 {
        s.push('.');
        push_fraction(s, nanos, decimals);
    }
}

/// Appends nanoseconds as seconds with `decimals` (≤ 9) decimals, truncated, and no point for
/// none: `-1.500000`. Nine is how [`crate::Seconds`] shows them.
pub fn push_seconds(s: &mut String, ns: i64, decimals: u8) {
    if ns < 0 {
        s.push('-');
    }
    let abs = ns.unsigned_abs();
    push_u64(s, abs / 1_000_000_000);
    push_decimals(s, (abs % 1_000_000_000) as u32, decimals);
}

pub fn push_ipv4(s: &mut String, ip: Ipv4Addr) {
    let [a, b, c, d] = ip.octets();
    for octet in [a, b, c] {
        s.push_str(DOTTED[usize::from(octet)]);
    }
    push_small(s, d.into());
}

/// "0." to "255.", four bytes each (padded after the dot): an octet and its dot in one copy.
const DOTTED_BYTES: [u8; 1024] = {
    let mut b = [0u8; 1024];
    let mut i = 0;
    while i < 256 {
        let digits = SMALL[i].as_bytes();
        let mut k = 0;
        while k < digits.len() {
            b[4 * i + k] = digits[k];
            k += 1;
        }
        b[4 * i + k] = b'.';
        i += 1;
    }
    b
};

/// "0." to "255." as text (four copies per address, not seven).
const DOTTED: [&str; 256] = {
    let mut out = [""; 256];
    let mut i = 0;
    while i < 256 {
        let (_, rest) = DOTTED_BYTES.split_at(4 * i);
        let (dotted, _) = rest.split_at(SMALL[i].len() + 1);
        out[i] = match std::str::from_utf8(dotted) {
            Ok(s) => s,
            Err(_) => panic!("digits are ASCII"),
        };
        i += 1;
    }
    out
};

/// Digits of each octet: a load where [`decimal_len`] is several instructions, four times an
/// address.
const OCTET_LEN: [u8; 256] = {
    let mut l = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        l[i] = SMALL[i].len() as u8;
        i += 1;
    }
    l
};

/// Room [`write_ipv4`] needs: the longest address (15) and the padding of the last octet's copy.
pub const IPV4_ROOM: usize = 19;

/// Writes `ip` dotted into the start of `out`, each octet and its dot stored as four bytes at
/// once; returns its length. Bytes after it, up to [`IPV4_ROOM`], are overwritten.
#[inline]
pub fn write_ipv4(out: &mut [u8; IPV4_ROOM], ip: Ipv4Addr) -> usize {
    let mut n = 0;
    for octet in ip.octets() {
        let i = 4 * usize::from(octet);
        out[n..n + 4].copy_from_slice(&DOTTED_BYTES[i..i + 4]);
        n += usize::from(OCTET_LEN[usize::from(octet)]) + 1;
    }
    n - 1
}

pub fn push_ip(s: &mut String, ip: IpAddr) {
    match ip {
        IpAddr::V4(v4) => push_ipv4(s, v4),
        IpAddr::V6(v6) => {
            use std::fmt::Write;
            let _ = write!(s, "{v6}");
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Up to 32 bytes in lowercase hex, composed in `buf`: hex text is copied out a chunk at a
/// time rather than formatted a byte at a time.
fn hex_chunk<'b>(bytes: &[u8], buf: &'b mut [u8; 64]) -> &'b str {
    let n = bytes.len().min(32);
    for (pair, &b) in buf.chunks_exact_mut(2).zip(&bytes[..n]) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 15)];
    }
    std::str::from_utf8(&buf[..2 * n]).unwrap_or_default()
}

/// Writes `bytes` in lowercase hex without separators, as [`crate::Hex`] shows them.
pub fn write_hex(w: &mut impl std::fmt::Write, bytes: &[u8]) -> std::fmt::Result {
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        w.write_str(hex_chunk(chunk, &mut buf))?;
    }
    Ok(())
}

/// Appends `bytes` in lowercase hex without separators, as [`crate::Hex`] shows them.
pub fn push_hex(s: &mut String, bytes: &[u8]) {
    s.reserve(2 * bytes.len());
    let _ = write_hex(s, bytes);
}

/// Appends `v` in at least `min_digits` (≤ 16) lowercase hex digits, zero-padded: `{v:0w$x}`.
pub fn push_hex_digits(s: &mut String, v: u64, min_digits: usize) {
    let digits = (16 - v.leading_zeros() as usize / 4).max(min_digits.min(16)).max(1);
    let mut buf = [0u8; 16];
    for (i, d) in buf[..digits].iter_mut().enumerate() {
        *d = HEX[((v >> (4 * (digits - 1 - i))) & 15) as usize];
    }
    s.push_str(std::str::from_utf8(&buf[..digits]).unwrap_or_default());
}

/// Appends `v` as `0x` and at least `min_digits` (≤ 16) lowercase hex digits: `{v:#0w$x}`
/// with `w = 2 + min_digits`.
pub fn push_hex_u64(s: &mut String, v: u64, min_digits: usize) {
    s.push_str("0x");
    push_hex_digits(s, v, min_digits);
}

/// Writes bytes as hex in groups of `groups[i]` bytes joined by `sep`: a MAC address is six
/// groups of one joined by `:`, a UUID groups of 4, 2, 2, 2 and 6 joined by `-`.
fn write_grouped(w: &mut impl std::fmt::Write, bytes: &[u8], groups: &[usize], sep: u8) -> std::fmt::Result {
    let mut buf = [0u8; 64];
    let mut n = 0;
    let mut at = 0;
    for (g, &len) in groups.iter().enumerate() {
        if g > 0 {
            buf[n] = sep;
            n += 1;
        }
        for &b in &bytes[at..at + len] {
            buf[n] = HEX[usize::from(b >> 4)];
            buf[n + 1] = HEX[usize::from(b & 15)];
            n += 2;
        }
        at += len;
    }
    w.write_str(std::str::from_utf8(&buf[..n]).unwrap_or_default())
}

/// Writes a MAC address as tshark does (`00:11:22:33:44:55`), as [`crate::MacText`] shows it.
pub fn write_mac(w: &mut impl std::fmt::Write, m: &[u8; 6]) -> std::fmt::Result {
    write_grouped(w, m, &[1; 6], b':')
}

/// Writes a UUID in its canonical 8-4-4-4-12 form, as [`crate::UuidText`] shows it.
pub fn write_uuid(w: &mut impl std::fmt::Write, u: &[u8; 16]) -> std::fmt::Result {
    write_grouped(w, u, &[4, 2, 2, 2, 6], b'-')
}

/// Appends an address and port as `SocketAddr` shows it (`[v6]:port` for IPv6).
pub fn push_socket_addr(s: &mut String, a: std::net::SocketAddr) {
    match a {
        std::net::SocketAddr::V4(v4) => push_ipv4_port(s, *v4.ip(), v4.port()),
        std::net::SocketAddr::V6(v6) => {
            use std::fmt::Write;
            let _ = write!(s, "{v6}");
        }
    }
}

/// Appends `ip:port` as `SocketAddr` shows it for IPv4.
pub fn push_ipv4_port(s: &mut String, ip: Ipv4Addr, port: u16) {
    push_ipv4(s, ip);
    s.push(':');
    push_u64(s, u64::from(port));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_back_at_their_own_width() {
        let text = |v: f64| {
            let mut s = String::new();
            push_float(&mut s, v);
            s
        };
        // A 4-byte float widened: its own shortest text.
        assert_eq!(text(f64::from(1.2f32)), "1.2");
        assert_eq!(text(f64::from(0.35f32)), "0.35");
        assert_eq!(text(f64::from(-12.446339f32)), "-12.446339");
        // Doubles keep theirs; values both widths hold exactly print alike.
        assert_eq!(text(0.1), "0.1");
        assert_eq!(text(4.488), "4.488");
        assert_eq!(text(-6.0), "-6");
        assert_eq!(text(1e300), format!("{}", 1e300));
    }

    #[test]
    fn digits_match_std_formatting() {
        for v in [0u64, 7, 10, 99, 100, 999, 1000, 65_535, 1_234_567_890_123, u64::MAX] {
            let mut s = String::new();
            push_u64(&mut s, v);
            assert_eq!(s, v.to_string());
            s.clear();
            push_u64_right(&mut s, v, 5);
            assert_eq!(s, format!("{v:>5}"));
            s.clear();
            push_u64_zeros(&mut s, v, 4);
            assert_eq!(s, format!("{v:04}"));
        }
        for v in (0..2000u64).chain([999_999, 1_000_000, 1_000_001, u64::MAX]) {
            let mut s = String::new();
            push_u64(&mut s, v);
            assert_eq!(s, v.to_string());
            let mut buf = *b"........................";
            let len = write_u64_end(&mut buf, v).unwrap();
            assert_eq!(&buf[buf.len() - len..], s.as_bytes());
            assert!(buf[..buf.len() - len].iter().all(|&b| b == b'.'), "nothing before");
            let mut short = vec![b'.'; len - 1];
            assert_eq!(write_u64_end(&mut short, v), None);
            assert!(short.iter().all(|&b| b == b'.'), "nothing written when it does not fit");
        }
        let lengths = (0..64).flat_map(|k| [(1u64 << k) - 1, 1 << k]).chain((0..20).flat_map(|k| {
            let p = 10u64.pow(k);
            [p - 1, p, p + 1]
        }));
        for v in lengths.chain([u64::MAX]) {
            assert_eq!(decimal_len(v), v.to_string().len(), "{v}");
            let mut padded = [b'.'; 25];
            write_digits(&mut padded, v);
            assert_eq!(padded[..], format!("{v:025}").into_bytes()[..], "zero-padded");
            write_digits(&mut padded[..3], v);
            assert_eq!(padded[..3], format!("{:03}", v % 1000).into_bytes()[..], "the last digits");
            let mut nine = [b'.'; 9];
            write_digits_fixed::<6>(&mut nine[..6], v);
            assert_eq!(nine[..6], format!("{:06}", v % 1_000_000).into_bytes()[..], "six, unrolled");
            write_digits_fixed::<9>(&mut nine, v);
            assert_eq!(nine[..], format!("{:09}", v % 1_000_000_000).into_bytes()[..], "nine, unrolled");
            write_digits_fixed::<9>(&mut nine[..5], v);
            assert_eq!(nine[..5], format!("{:05}", v % 100_000).into_bytes()[..], "not N long");
        }
        for ns in [0i64, 1, -5, 999_999_999, 1_000_000_000, 1_880_004_123, -1_500_000_000, i64::MIN, i64::MAX] {
            for decimals in [0u8, 1, 3, 6, 9, 12] {
                let mut s = String::new();
                push_seconds(&mut s, ns, decimals);
                assert_eq!(seconds_len(ns, decimals), s.len(), "{ns} ns, {decimals} decimals");
                let mut buf = [b'#'; 24];
                assert_eq!(write_seconds_end(&mut buf, ns, decimals), Some(s.len()));
                assert_eq!(&buf[24 - s.len()..], s.as_bytes(), "{ns} ns, {decimals} decimals");
                assert!(buf[..24 - s.len()].iter().all(|&b| b == b'#'), "nothing before");
                let mut short = vec![b'#'; s.len() - 1];
                assert_eq!(write_seconds_end(&mut short, ns, decimals), None);
                assert!(short.iter().all(|&b| b == b'#'), "nothing written when it does not fit");
            }
        }
        for v in [0i64, -2, 42, i64::MIN, i64::MAX] {
            let mut s = String::new();
            push_i64(&mut s, v);
            assert_eq!(s, v.to_string());
        }
        for o in 0..=255u8 {
            let ip = Ipv4Addr::new(o, 255 - o, o / 7, o % 10);
            let mut s = String::from("x");
            push_ipv4(&mut s, ip);
            assert_eq!(s, format!("x{ip}"));
            let mut room = [b'#'; IPV4_ROOM];
            let len = write_ipv4(&mut room, ip);
            assert_eq!(&room[..len], ip.to_string().as_bytes());
        }
        let mut room = [0; IPV4_ROOM];
        assert_eq!(write_ipv4(&mut room, Ipv4Addr::BROADCAST), 15, "the longest fits");
        for v in (0..64).map(|k| (1u64 << k) - 1).chain((1..20).map(|k| 10u64.pow(k))) {
            let mut s = String::from("x");
            push_u64(&mut s, v);
            assert_eq!(s, format!("x{v}"));
        }
        for ip in ["0.0.0.0", "10.20.30.40", "255.255.255.255", "172.16.202.201", "2001:db8::1"] {
            let mut s = String::new();
            push_ip(&mut s, ip.parse().unwrap());
            assert_eq!(s, ip);
        }
        let mut s = String::new();
        push_hex(&mut s, &[0, 0x7f, 0xa5, 0xff]);
        assert_eq!(s, crate::Hex(&[0, 0x7f, 0xa5, 0xff]).to_string());
        for ns in [0, 1, -1_500_000_000, 12_000_000_345, i64::MIN] {
            s.clear();
            push_seconds(&mut s, ns, 9);
            assert_eq!(s, crate::Seconds(ns).to_string());
            s.clear();
            push_seconds(&mut s, ns, 0);
            assert_eq!(s, crate::Seconds(ns).to_string().split('.').next().unwrap());
        }
        let long: Vec<u8> = (0..=255u8).chain(0..77).collect();
        s.clear();
        push_hex(&mut s, &long);
        let by_byte: String = long.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(s, by_byte);
        for (v, w) in [(0u64, 1usize), (0, 4), (0xab, 2), (0xab, 8), (0x1234, 2), (u64::MAX, 16), (1 << 63, 2)] {
            s.clear();
            push_hex_u64(&mut s, v, w);
            assert_eq!(s, format!("{v:#0width$x}", width = 2 + w), "{v:#x} in {w} digits");
        }
        s.clear();
        write_mac(&mut s, &[0, 0x11, 0x22, 0xa3, 0x44, 0xff]).unwrap();
        assert_eq!(s, "00:11:22:a3:44:ff");
        s.clear();
        write_uuid(&mut s, &[0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0xcc]).unwrap();
        assert_eq!(s, "deadbeef-0102-0304-0506-0708090a0bcc");
        for a in ["81.206.243.83:13548", "[2001:db8::1]:4672", "[fe80::1%2]:1"] {
            s.clear();
            push_socket_addr(&mut s, a.parse().unwrap());
            assert_eq!(s, a);
        }
        s.clear();
        push_ipv4_port(&mut s, Ipv4Addr::new(81, 206, 243, 83), 13548);
        assert_eq!(s, "81.206.243.83:13548");
        s.clear();
        push_fraction(&mut s, 1_234_567, 6);
        assert_eq!(s, "001234");
        s.clear();
        push_fraction(&mut s, 999_999_999, 9);
        assert_eq!(s, "999999999");
        for (digits, want) in [(0, ""), (1, "0"), (3, "012"), (4, "0123"), (8, "01234567")] {
            s.clear();
            push_fraction(&mut s, 12_345_678, digits);
            assert_eq!(s, want);
        }
    }
}
