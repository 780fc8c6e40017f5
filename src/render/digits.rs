//! Hand-rolled decimal output for the summary's hot path: `write!` through `fmt` costs several
//! times more per number, and a summary line has a dozen of them.

use std::net::{IpAddr, Ipv4Addr};

/// Appends `v` in decimal.
pub fn push_u64(s: &mut String, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    push_ascii(s, &buf[i..]);
}

/// Appends ASCII bytes char by char: cheaper for a few digits than validating them as UTF-8.
fn push_ascii(s: &mut String, bytes: &[u8]) {
    s.reserve(bytes.len());
    for &b in bytes {
        s.push(char::from(b));
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
    let mut v = nanos;
    let mut buf = [b'0'; 9];
    for b in buf.iter_mut().rev() {
        *b = b'0' + (v % 10) as u8;
        v /= 10;
    }
    push_ascii(s, &buf[..digits.min(9) as usize]);
}

pub fn push_ipv4(s: &mut String, ip: Ipv4Addr) {
    for (i, octet) in ip.octets().into_iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        push_u64(s, octet as u64);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_match_std_formatting() {
        for v in [0u64, 7, 10, 99, 65_535, 1_234_567_890_123, u64::MAX] {
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
        push_fraction(&mut s, 1_234_567, 6);
        assert_eq!(s, "001234");
        s.clear();
        push_fraction(&mut s, 999_999_999, 9);
        assert_eq!(s, "999999999");
    }
}
