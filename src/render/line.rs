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

    /// Hands `write` `N` bytes of room at the end of the line (spaces), keeping as much as it
    /// says it used. Written where it stays: composed elsewhere and copied in, a piece written
    /// in small stores was read back in wide loads, which waited for the stores.
    #[inline]
    pub fn room<const N: usize>(&mut self, write: impl FnOnce(&mut [u8; N]) -> usize) {
        let at = self.0.len();
        self.0.extend_from_slice(&[b' '; N]);
        let used = match <&mut [u8; N]>::try_from(&mut self.0[at..]) {
            Ok(room) => write(room).min(N),
            Err(_) => 0,
        };
        self.0.truncate(at + used);
    }

    /// `v` in decimal, right-aligned in `width` (at most [`MAX_WIDTH`]) columns.
    pub fn u64_right(&mut self, v: u64, width: usize) {
        self.room::<ROOM>(|room| {
            let n = decimal_len(v).max(width.min(MAX_WIDTH));
            write_u64_end(&mut room[..n], v).map_or(0, |_| n)
        });
    }

    /// `text` right-aligned in `width` (at most [`MAX_WIDTH`]) columns.
    pub fn push_right(&mut self, text: &[u8], width: usize) {
        const SPACES: &[u8; MAX_WIDTH] = &[b' '; MAX_WIDTH];
        self.push(&SPACES[..width.min(MAX_WIDTH).saturating_sub(text.len())]);
        self.push(text);
    }

    pub fn u64(&mut self, v: u64) {
        self.u64_right(v, 0);
    }

    /// Nanoseconds as seconds with `decimals` (≤ 9) decimals, truncated, and no point for none,
    /// right-aligned in `width` (at most [`MAX_WIDTH`]) columns: `digits::push_seconds`'s text.
    pub fn seconds_right(&mut self, ns: i64, decimals: u8, width: usize) {
        self.room::<ROOM>(|room| {
            let len = seconds_len(ns, decimals);
            let n = len.max(width.min(MAX_WIDTH));
            write_seconds(&mut room[n - len..n], ns, decimals);
            n
        });
    }

    pub fn ipv4(&mut self, ip: Ipv4Addr) {
        self.room::<ROOM>(|room| match <&mut [u8; IPV4_ROOM]>::try_from(&mut room[..IPV4_ROOM]) {
            Ok(room) => write_ipv4(room, ip),
            Err(_) => 0,
        });
    }
}

/// A number kept as decimal text for a column that mostly counts up by one (the frame
/// number): adding one to the text changes a digit or two, where writing the number anew
/// divides it two digits at a time.
pub struct Counter {
    value: u64,
    text: [u8; 20],
    /// Where the digits start in `text`.
    start: usize,
}

impl Default for Counter {
    fn default() -> Self {
        let text = [b'0'; 20];
        Counter { value: 0, text, start: 19 }
    }
}

impl Counter {
    /// `v` in decimal.
    pub fn text(&mut self, v: u64) -> &[u8] {
        if self.value.checked_add(1) == Some(v) {
            let mut i = self.text.len();
            loop {
                i -= 1;
                if self.text[i] != b'9' {
                    self.text[i] += 1;
                    break;
                }
                self.text[i] = b'0';
                if i == self.start {
                    // 99 → 100: one digit more (never past 20, the digits of u64::MAX).
                    self.start -= 1;
                    self.text[self.start] = b'1';
                    break;
                }
            }
        } else {
            let len = write_u64_end(&mut self.text, v).unwrap_or(self.text.len());
            self.start = self.text.len() - len;
        }
        self.value = v;
        &self.text[self.start..]
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
        let mut counter = Counter::default();
        // Counting up by one from 0 past each new digit, then jumps either way and the ends.
        let jumps = (0..=1_001).chain([98, 99, 100, 9_999_999, 10_000_000, 5, u64::MAX - 1, u64::MAX, 0, 1]);
        for v in jumps {
            assert_eq!(counter.text(v), v.to_string().as_bytes(), "{v}");
            line.clear();
            line.push_right(counter.text(v), 5);
            assert_eq!(line.as_bytes(), format!("{v:>5}").as_bytes());
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
