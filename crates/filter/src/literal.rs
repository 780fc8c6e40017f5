//! Text-to-value parsers for the literals a filter can hold. Each returns `None` (or a reason)
//! and never panics; the compiler picks the parser from the compared field's kind and turns a
//! failure into a positioned message.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const NS_PER_SEC: i128 = 1_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntError {
    NotNumber,
    /// A well-formed number with a fraction or exponent, where an integer is needed.
    NotInteger,
    OutOfRange,
}

/// Decimal, `0x` hex, `0o` octal or `0b` binary, with an optional leading `-`. A leading zero
/// is still decimal (`010` is ten): C's octal rule surprises more people than it helps.
pub(crate) fn parse_int(text: &str) -> Result<i128, IntError> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (radix, digits) = match body.get(..2) {
        Some("0x" | "0X") => (16, &body[2..]),
        Some("0o" | "0O") => (8, &body[2..]),
        Some("0b" | "0B") => (2, &body[2..]),
        _ => (10, body),
    };
    // Checked by hand: `from_str_radix` alone would also accept a second sign (`-+5`).
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        let numeric_looking = text.bytes().any(|b| b.is_ascii_digit());
        let is_float = numeric_looking && text.parse::<f64>().is_ok_and(f64::is_finite);
        return Err(if is_float { IntError::NotInteger } else { IntError::NotNumber });
    }
    let magnitude = u128::from_str_radix(digits, radix).map_err(|_| IntError::OutOfRange)?;
    let value = i128::try_from(magnitude).map_err(|_| IntError::OutOfRange)?;
    Ok(if negative { -value } else { value })
}

/// A finite float, or an integer in any radix `parse_int` takes.
pub(crate) fn parse_float(text: &str) -> Option<f64> {
    let looks_numeric = text.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'-' || b == b'.');
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && looks_numeric => Some(v),
        _ => parse_int(text).ok().map(|v| v as f64),
    }
}

/// Seconds with up to nine decimals (`1.5`, `-0.000001`) as exact nanoseconds; further
/// decimals are truncated. Parsed as decimal text, not through `f64`, so `0.1` is exactly
/// 100 000 000 ns.
pub(crate) fn parse_seconds(text: &str) -> Option<i128> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
        return None;
    }
    let whole: i128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut frac_ns: i128 = 0;
    for i in 0..9 {
        let digit = frac.as_bytes().get(i).map_or(0, |b| b - b'0');
        frac_ns = frac_ns * 10 + i128::from(digit);
    }
    let ns = whole.checked_mul(NS_PER_SEC)?.checked_add(frac_ns)?;
    Some(if negative { -ns } else { ns })
}

/// A UTC date-time, `YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][Z| UTC]`, as nanoseconds since
/// the Unix epoch.
pub(crate) fn parse_datetime(text: &str) -> Option<i128> {
    let text = text.strip_suffix('Z').or_else(|| text.strip_suffix(" UTC")).unwrap_or(text);
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-');
    let year: i64 = fixed_digits(parts.next()?, 4)?;
    let month: i64 = fixed_digits(parts.next()?, 2)?;
    let day: i64 = fixed_digits(parts.next()?, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ns = i128::from(days_from_civil(year, month, day)) * 86_400 * NS_PER_SEC;
    if let Some(time) = time {
        let mut parts = time.splitn(3, ':');
        let hour: i64 = fixed_digits(parts.next()?, 2)?;
        let minute: i64 = fixed_digits(parts.next()?, 2)?;
        let seconds = match parts.next() {
            Some(s) if two_digit_seconds(s) => parse_seconds(s)?,
            Some(_) => return None,
            None => 0,
        };
        if hour > 23 || minute > 59 || seconds >= 60 * NS_PER_SEC {
            return None;
        }
        ns += i128::from(hour * 3600 + minute * 60) * NS_PER_SEC + seconds;
    }
    Some(ns)
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// A UTC date-time as tshark prints `frame.time`: `Mon D, YYYY[ HH:MM[:SS[.fraction]]][ UTC]`
/// (any spacing, the month's name in any case), as nanoseconds since the Unix epoch. tshark
/// reads a time without a zone as local time; here it is UTC, so that a filter means the same
/// on every machine.
pub(crate) fn parse_tshark_date(text: &str) -> Option<i128> {
    let mut words = text.split_whitespace();
    let month = words.next()?.to_ascii_lowercase();
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    let day: i64 = match words.next()?.strip_suffix(',')? {
        d if (1..=2).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) => d.parse().ok()?,
        _ => return None,
    };
    let year = words.next()?;
    let mut iso = format!("{year}-{month:02}-{day:02}");
    let mut rest: Vec<&str> = words.collect();
    if matches!(rest.last(), Some(&("UTC" | "GMT" | "Z"))) {
        rest.pop();
    }
    match rest[..] {
        [] => {}
        [time] => {
            iso.push(' ');
            iso.push_str(time);
        }
        _ => return None,
    }
    parse_datetime(&iso)
}

/// `SS` or `SS.fraction`.
fn two_digit_seconds(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[..2].iter().all(u8::is_ascii_digit) && b.get(2).is_none_or(|&c| c == b'.')
}

fn fixed_digits(s: &str, len: usize) -> Option<i64> {
    if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date. Counts in 400-year eras starting on
/// March 1st, so the leap day is the last day of its "year" and needs no special case.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Hex bytes: `aa:bb:cc`, `aa-bb-cc`, `aabb.ccdd` (one separator kind throughout, each group
/// one or an even number of hex digits), a bare even-length run `aabbcc`, or one hex digit.
pub(crate) fn parse_bytes(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 2);
    match text.chars().find(|c| matches!(c, ':' | '-' | '.')) {
        Some(sep) => {
            for group in text.split(sep) {
                if group.len() == 1 {
                    out.push(hex_digit(group.as_bytes()[0])?);
                } else {
                    push_hex_run(group, &mut out)?;
                }
            }
        }
        // One hex digit is a byte too, as in tshark (`icmp[0] == 3`).
        None if text.len() == 1 => out.push(hex_digit(text.as_bytes()[0])?),
        None => push_hex_run(text, &mut out)?,
    }
    Some(out)
}

fn push_hex_run(run: &str, out: &mut Vec<u8>) -> Option<()> {
    let bytes = run.as_bytes();
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    for pair in bytes.chunks_exact(2) {
        out.push(hex_digit(pair[0])? << 4 | hex_digit(pair[1])?);
    }
    Some(())
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// `00:11:22:33:44:55`, `00-11-22-33-44-55`, `0011.2233.4455` or `001122334455`.
pub(crate) fn parse_mac(text: &str) -> Option<[u8; 6]> {
    parse_bytes(text)?.try_into().ok()
}

/// Canonical `8-4-4-4-12` or 32 bare hex digits.
pub(crate) fn parse_uuid(text: &str) -> Option<[u8; 16]> {
    let canonical = text.len() == 36 && [8, 13, 18, 23].iter().all(|&i| text.as_bytes()[i] == b'-');
    let mut out = Vec::with_capacity(16);
    if canonical {
        for group in text.split('-') {
            push_hex_run(group, &mut out)?;
        }
    } else {
        push_hex_run(text, &mut out)?;
    }
    out.try_into().ok()
}

/// An address or a CIDR block; a plain address is a block of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IpNet {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl IpNet {
    pub fn is_host(&self) -> bool {
        self.prefix == max_prefix(self.addr)
    }

    /// Membership; an IPv4 block never contains an IPv6 address, nor the reverse.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

fn max_prefix(addr: IpAddr) -> u8 {
    if addr.is_ipv4() {
        32
    } else {
        128
    }
}

/// `10.0.0.1`, `10.0.0.0/8`, `2001:db8::1`, `2001:db8::/32`; the error is the user message.
pub(crate) fn parse_net(text: &str) -> Result<IpNet, String> {
    let (addr_text, prefix_text) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let addr = if addr_text.contains(':') {
        addr_text.parse::<Ipv6Addr>().map(IpAddr::V6).map_err(|_| format!("'{text}' is not an IPv6 address"))?
    } else if addr_text.starts_with(|c: char| c.is_ascii_digit()) {
        addr_text.parse::<Ipv4Addr>().map(IpAddr::V4).map_err(|_| format!("'{text}' is not an IPv4 address"))?
    } else {
        return Err(format!("'{text}' is not an IP address (host names are not resolved)"));
    };
    let max = max_prefix(addr);
    let prefix = match prefix_text {
        None => max,
        Some(p) => match p.parse::<u8>() {
            Ok(n) if n <= max && p.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => return Err(format!("'{text}' is not a CIDR block (prefix length 0 to {max})")),
        },
    };
    Ok(IpNet { addr, prefix })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_every_radix() {
        assert_eq!(parse_int("42"), Ok(42));
        assert_eq!(parse_int("010"), Ok(10));
        assert_eq!(parse_int("0x1f"), Ok(31));
        assert_eq!(parse_int("0o17"), Ok(15));
        assert_eq!(parse_int("0b101"), Ok(5));
        assert_eq!(parse_int("-2"), Ok(-2));
        assert_eq!(parse_int("1.5"), Err(IntError::NotInteger));
        assert_eq!(parse_int("abc"), Err(IntError::NotNumber));
        assert_eq!(parse_int("inf"), Err(IntError::NotNumber));
        assert_eq!(parse_int("-+5"), Err(IntError::NotNumber));
        assert_eq!(parse_int("0x"), Err(IntError::NotNumber));
        assert_eq!(parse_int(&"9".repeat(50)), Err(IntError::OutOfRange));
    }

    #[test]
    fn floats() {
        assert_eq!(parse_float("1.5"), Some(1.5));
        assert_eq!(parse_float("-.5"), Some(-0.5));
        assert_eq!(parse_float("0x10"), Some(16.0));
        assert_eq!(parse_float("inf"), None);
        assert_eq!(parse_float("nan"), None);
    }

    #[test]
    fn seconds_are_exact_nanoseconds() {
        assert_eq!(parse_seconds("1.5"), Some(1_500_000_000));
        assert_eq!(parse_seconds("0.1"), Some(100_000_000));
        assert_eq!(parse_seconds("-0.000000001"), Some(-1));
        assert_eq!(parse_seconds(".25"), Some(250_000_000));
        assert_eq!(parse_seconds("3"), Some(3_000_000_000));
        assert_eq!(parse_seconds("1.0000000019"), Some(1_000_000_001));
        assert_eq!(parse_seconds("."), None);
        assert_eq!(parse_seconds("1e3"), None);
        assert_eq!(parse_seconds(&"9".repeat(60)), None);
    }

    #[test]
    fn utc_date_times() {
        assert_eq!(parse_datetime("1970-01-01"), Some(0));
        assert_eq!(parse_datetime("2026-03-02 08:00:00"), Some(1_772_438_400 * NS_PER_SEC));
        assert_eq!(parse_datetime("2026-03-02T08:00:00.5Z"), Some(1_772_438_400 * NS_PER_SEC + 500_000_000));
        assert_eq!(parse_datetime("2000-02-29 00:00 UTC"), Some(951_782_400 * NS_PER_SEC));
        // tshark's frame.time, as it prints it (day padded with a space) or typed.
        let t = 1_772_438_460 * NS_PER_SEC + 123_457;
        assert_eq!(parse_tshark_date("Mar  2, 2026 08:01:00.000123457 UTC"), Some(t));
        assert_eq!(parse_tshark_date("mar 2, 2026 08:01:00.000123457"), Some(t));
        assert_eq!(parse_tshark_date("Mar 02, 2026"), parse_datetime("2026-03-02"));
        assert_eq!(parse_tshark_date("Feb 29, 2000 00:00"), Some(951_782_400 * NS_PER_SEC));
        for bad in ["Feb 30, 2026", "Mar 2 2026", "Mar 2, 26", "Mar 123, 2026", "Mar 2, 2026 08:01 CET", "Foo 1, 2026"]
        {
            assert_eq!(parse_tshark_date(bad), None, "{bad}");
        }
        assert_eq!(parse_datetime("1969-12-31 23:59:59"), Some(-NS_PER_SEC));
        assert_eq!(parse_datetime("2001-02-29"), None);
        assert_eq!(parse_datetime("2026-13-01"), None);
        assert_eq!(parse_datetime("2026-03-02 24:00"), None);
        assert_eq!(parse_datetime("2026-03-02 08:00:7"), None);
        assert_eq!(parse_datetime("yesterday"), None);
    }

    #[test]
    fn byte_strings_macs_and_uuids() {
        assert_eq!(parse_bytes("aa:bb:cc"), Some(vec![0xaa, 0xbb, 0xcc]));
        assert_eq!(parse_bytes("aa-b-cc"), Some(vec![0xaa, 0x0b, 0xcc]));
        assert_eq!(parse_bytes("aabb.ccdd"), Some(vec![0xaa, 0xbb, 0xcc, 0xdd]));
        assert_eq!(parse_bytes("AABBCC"), Some(vec![0xaa, 0xbb, 0xcc]));
        assert_eq!(parse_bytes("abc"), None);
        assert_eq!(parse_bytes("3"), Some(vec![0x03]));
        assert_eq!(parse_bytes("g"), None);
        assert_eq!(parse_bytes("aa:bb-cc"), None);
        assert_eq!(parse_bytes("aa::bb"), None);
        assert_eq!(parse_mac("00:11:22:33:44:55"), Some([0, 0x11, 0x22, 0x33, 0x44, 0x55]));
        assert_eq!(parse_mac("0011.2233.4455"), Some([0, 0x11, 0x22, 0x33, 0x44, 0x55]));
        assert_eq!(parse_mac("00:11:22:33:44"), None);
        let u = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0, 1, 2, 3, 4, 5, 6, 7];
        assert_eq!(parse_uuid("12345678-9abc-def0-0001-020304050607"), Some(u));
        assert_eq!(parse_uuid("123456789abcdef00001020304050607"), Some(u));
        assert_eq!(parse_uuid("12345678-9abc-def0-0001-02030405060"), None);
    }

    #[test]
    fn addresses_and_cidr_blocks() {
        let net = parse_net("10.0.0.0/8").unwrap();
        assert!(net.contains("10.255.0.1".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        assert!(!net.contains("::a00:1".parse().unwrap()));
        assert!(parse_net("0.0.0.0/0").unwrap().contains("1.2.3.4".parse().unwrap()));
        assert!(parse_net("2001:db8::/32").unwrap().contains("2001:db8:1::5".parse().unwrap()));
        assert!(parse_net("::/0").unwrap().contains("::1".parse().unwrap()));
        assert!(parse_net("10.0.0.1").unwrap().is_host());
        assert_eq!(parse_net("10.0.0.256").unwrap_err(), "'10.0.0.256' is not an IPv4 address");
        assert_eq!(parse_net("2001:db8:::1").unwrap_err(), "'2001:db8:::1' is not an IPv6 address");
        assert_eq!(parse_net("10.0.0.0/33").unwrap_err(), "'10.0.0.0/33' is not a CIDR block (prefix length 0 to 32)");
        assert_eq!(parse_net("10.0.0.0/+8").unwrap_err(), "'10.0.0.0/+8' is not a CIDR block (prefix length 0 to 32)");
        assert_eq!(
            parse_net("example.com").unwrap_err(),
            "'example.com' is not an IP address (host names are not resolved)"
        );
    }
}
