//! Hand-rolled text output for the summary's hot path (the Info column, the summary line):
//! `write!` through `fmt` costs several times more per number, and a summary line has a dozen
//! of them.

use std::net::{IpAddr, Ipv4Addr};

/// Appends `v` in decimal.
pub fn push_u64(s: &mut String, mut v: u64) {
    if v < 1000 {
        return push_small(s, v as u16);
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while v > 0 {
        i -= 1;
        buf[i] = (v % 10) as u8;
        v /= 10;
    }
    push_digits(s, &buf[i..]);
}

/// Appends `v` (< 1000) in decimal: the common case (ports, lengths, IPv4 octets) without a buffer.
fn push_small(s: &mut String, v: u16) {
    if v >= 100 {
        push_digit(s, v / 100);
    }
    if v >= 10 {
        push_digit(s, v / 10 % 10);
    }
    push_digit(s, v % 10);
}

/// Appends one decimal digit (`d` < 10): `push` then needs no UTF-8 encoding.
fn push_digit(s: &mut String, d: u16) {
    s.push(char::from(b'0' + (d % 10) as u8));
}

/// Appends digit values (each < 10) as their ASCII characters.
fn push_digits(s: &mut String, digits: &[u8]) {
    s.reserve(digits.len());
    for &d in digits {
        push_digit(s, u16::from(d));
    }
}

/// Appends `v` in decimal, with its sign.
pub fn push_i64(s: &mut String, v: i64) {
    if v < 0 {
        s.push('-');
    }
    push_u64(s, v.unsigned_abs());
}

/// Appends `v` right-aligned in `width` columns.
pub fn push_u64_right(s: &mut String, v: u64, width: usize) {
    let digits = v.checked_ilog10().map_or(1, |d| d as usize + 1);
    const SPACES: &str = "                    ";
    s.push_str(&SPACES[..width.saturating_sub(digits).min(SPACES.len())]);
    push_u64(s, v);
}

/// Appends the first `digits` (≤ 9) decimals of a nanosecond fraction, zero-padded.
pub fn push_fraction(s: &mut String, nanos: u32, digits: u8) {
    let n = digits.min(9) as usize;
    let mut v = nanos / 10u32.pow(9 - n as u32);
    let mut buf = [0u8; 9];
    for b in buf[..n].iter_mut().rev() {
        *b = (v % 10) as u8;
        v /= 10;
    }
    push_digits(s, &buf[..n]);
}

pub fn push_ipv4(s: &mut String, ip: Ipv4Addr) {
    for (i, octet) in ip.octets().into_iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        push_small(s, u16::from(octet));
    }
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

/// Appends `bytes` in lowercase hex without separators, as [`crate::Hex`] shows them.
pub fn push_hex(s: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    s.reserve(2 * bytes.len());
    for &b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
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
    fn digits_match_std_formatting() {
        for v in [0u64, 7, 10, 99, 100, 999, 1000, 65_535, 1_234_567_890_123, u64::MAX] {
            let mut s = String::new();
            push_u64(&mut s, v);
            assert_eq!(s, v.to_string());
            s.clear();
            push_u64_right(&mut s, v, 5);
            assert_eq!(s, format!("{v:>5}"));
        }
        for v in [0i64, -2, 42, i64::MIN, i64::MAX] {
            let mut s = String::new();
            push_i64(&mut s, v);
            assert_eq!(s, v.to_string());
        }
        for ip in ["0.0.0.0", "10.20.30.40", "255.255.255.255", "172.16.202.201", "2001:db8::1"] {
            let mut s = String::new();
            push_ip(&mut s, ip.parse().unwrap());
            assert_eq!(s, ip);
        }
        let mut s = String::new();
        push_hex(&mut s, &[0, 0x7f, 0xa5, 0xff]);
        assert_eq!(s, crate::Hex(&[0, 0x7f, 0xa5, 0xff]).to_string());
        s.clear();
        push_ipv4_port(&mut s, Ipv4Addr::new(81, 206, 243, 83), 13548);
        assert_eq!(s, "81.206.243.83:13548");
        s.clear();
        push_fraction(&mut s, 1_234_567, 6);
        assert_eq!(s, "001234");
        s.clear();
        push_fraction(&mut s, 999_999_999, 9);
        assert_eq!(s, "999999999");
    }
}
