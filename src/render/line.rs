//! A summary line composed as bytes. Numbers, times and IPv4 addresses are stored into room
//! reserved at the end of the line, which is then cut to what they took: appended to a
//! `String` instead, each number and address was several small copies (a `memcpy` call each),
//! most of the cost of a summary line.

use std::net::Ipv4Addr;
use udpdissect_core::digits::{decimal_len, seconds_len, write_ipv4, write_seconds, write_u64_end, IPV4_ROOM};

/// Bytes reserved for one piece: the longest is a time (a sign, ten digits of seconds, the
/// point and nine decimals) or a number of twenty digits.
const ROOM: usize = 32;

/// Columns a number or a time can be right-aligned in.
pub const MAX_WIDTH: usize = 20;

#[derive(Default)]
pub struct Line(Vec<u8>);

impl Line {
    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    /// Hands `write` room at the end of the line (spaces), keeping as much as it says it used.
    #[inline]
    fn room(&mut self, write: impl FnOnce(&mut [u8; ROOM]) -> usize) {
        let at = self.0.len();
        self.0.extend_from_slice(&[b' '; ROOM]);
        let used = match <&mut [u8; ROOM]>::try_from(&mut self.0[at..]) {
            Ok(room) => write(room).min(ROOM),
            Err(_) => 0,
        };
        self.0.truncate(at + used);
    }

    /// `v` in decimal, right-aligned in `width` (at most [`MAX_WIDTH`]) columns.
    pub fn u64_right(&mut self, v: u64, width: usize) {
        self.room(|room| {
            let n = decimal_len(v).max(width.min(MAX_WIDTH));
            write_u64_end(&mut room[..n], v).map_or(0, |_| n)
        });
    }

    pub fn u64(&mut self, v: u64) {
        self.u64_right(v, 0);
    }

    /// Nanoseconds as seconds with `decimals` (≤ 9) decimals, truncated, and no point for none,
    /// right-aligned in `width` (at most [`MAX_WIDTH`]) columns: `digits::push_seconds`'s text.
    pub fn seconds_right(&mut self, ns: i64, decimals: u8, width: usize) {
        self.room(|room| {
            let len = seconds_len(ns, decimals);
            let n = len.max(width.min(MAX_WIDTH));
            write_seconds(&mut room[n - len..n], ns, decimals);
            n
        });
    }

    pub fn ipv4(&mut self, ip: Ipv4Addr) {
        self.room(|room| match <&mut [u8; IPV4_ROOM]>::try_from(&mut room[..IPV4_ROOM]) {
            Ok(room) => write_ipv4(room, ip),
            Err(_) => 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use udpdissect_core::digits::push_seconds;

    #[test]
    fn pieces_read_as_formatting_writes_them() {
        let mut line = Line::default();
        for v in [0u64, 9, 10, 12_345, 99_999, 100_000, 1_234_567, u64::MAX] {
            for width in [0, 1, 5, 12, MAX_WIDTH, 40] {
                line.clear();
                line.push(b"x");
                line.u64_right(v, width);
                let expected = format!("x{v:>w$}", w = width.min(MAX_WIDTH));
                assert_eq!(line.as_bytes(), expected.as_bytes());
            }
        }
        let times = [0i64, 1, -5, 999_999_999, 1_000_000_000, 1_880_004_123, -1_500_000_000, i64::MIN, i64::MAX];
        for ns in times {
            for decimals in [0u8, 1, 3, 6, 9, 12] {
                for width in [0, 12, MAX_WIDTH] {
                    let mut text = String::new();
                    push_seconds(&mut text, ns, decimals);
                    line.clear();
                    line.seconds_right(ns, decimals, width);
                    let expected = format!("{text:>w$}", w = width);
                    assert_eq!(line.as_bytes(), expected.as_bytes(), "{ns} ns, {decimals} decimals, width {width}");
                }
            }
        }
        for ip in ["0.0.0.0", "10.20.30.40", "255.255.255.255", "192.168.1.7"] {
            line.clear();
            line.push(b"[");
            line.ipv4(ip.parse().unwrap());
            line.push(b"]");
            assert_eq!(line.as_bytes(), format!("[{ip}]").as_bytes());
        }
    }
}
