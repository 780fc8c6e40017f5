//! A text table's lines written into a copy of a blank line. Every line of a table is as long
//! as the next, with its cells at the same places, so a line starts as one copy of a blank line
//! (`| ` and spaces, column by column) and each cell's characters are stored into place: no
//! small copies per cell, which are most of the cost of a table of a million rows.
//!
//! Only what is plain ASCII of a known length is written this way (numbers, durations, IPv4
//! addresses, ASCII names); a row with anything else is left to the caller's general path,
//! which gives the same text.

use super::table::Val;
use std::net::SocketAddr;
use std::ops::Range;
use udpdissect_core::digits::{self, decimal_len, IPV4_ROOM};

pub struct Layout {
    blank: Vec<u8>,
    cells: Vec<Range<usize>>,
}

impl Layout {
    /// The layout of columns `widths` characters wide.
    pub fn new(widths: &[usize]) -> Layout {
        let (mut blank, mut cells) = (Vec::new(), Vec::new());
        for &w in widths {
            blank.extend_from_slice(b"| ");
            cells.push(blank.len()..blank.len() + w);
            blank.resize(blank.len() + w + 1, b' ');
        }
        blank.extend_from_slice(b"|\n");
        Layout { blank, cells }
    }

    /// Appends the line of `cells`; false, with nothing appended, when one of them is not
    /// written this way.
    pub fn write(&self, out: &mut Vec<u8>, cells: &[Val]) -> bool {
        let start = out.len();
        out.extend_from_slice(&self.blank);
        let line = &mut out[start..];
        for (v, range) in cells.iter().zip(&self.cells) {
            if !fill(&mut line[range.clone()], v) {
                out.truncate(start);
                return false;
            }
        }
        true
    }
}

/// Writes `v` into its cell (spaces as wide as the column): numbers right-aligned, the rest
/// left-aligned. False when it is not written this way or does not fit.
fn fill(cell: &mut [u8], v: &Val) -> bool {
    let width = cell.len();
    match *v {
        Val::Empty => true,
        Val::UInt(u) => digits_before(cell, width, u).is_some(),
        Val::Int(i) => signed(cell, i < 0, |cell, end| digits_before(cell, end, i.unsigned_abs())),
        Val::Seconds(ns) => digits::write_seconds_end(cell, ns, 9).is_some(),
        Val::Addr(SocketAddr::V4(a)) => {
            // Written whole beside the cell (octets four bytes at a time overwrite what
            // follows them), then copied in.
            let mut text = [0u8; IPV4_ROOM + 6];
            let Ok(room) = <&mut [u8; IPV4_ROOM]>::try_from(&mut text[..IPV4_ROOM]) else { return false };
            let at = digits::write_ipv4(room, *a.ip());
            text[at] = b':';
            let port = u64::from(a.port());
            let end = at + 1 + decimal_len(port);
            digits::write_digits(&mut text[at + 1..end], port);
            left(cell, &text[..end])
        }
        Val::Name(t) => left(cell, t.as_bytes()),
        Val::Text(ref t) => left(cell, t.as_bytes()),
        _ => false,
    }
}

/// Left-aligned ASCII text.
fn left(cell: &mut [u8], t: &[u8]) -> bool {
    let fits = t.is_ascii() && t.len() <= cell.len();
    if fits {
        cell[..t.len()].copy_from_slice(t);
    }
    fits
}

/// A right-aligned number written by `digits` before the cell's end, with a minus in front
/// when `negative`.
fn signed(cell: &mut [u8], negative: bool, digits: impl FnOnce(&mut [u8], usize) -> Option<usize>) -> bool {
    match digits(cell, cell.len()) {
        Some(start) if negative => start.checked_sub(1).map(|k| cell[k] = b'-').is_some(),
        start => start.is_some(),
    }
}

/// Writes `v` in decimal so that it ends just before `end`; where it starts, or `None` when
/// it does not fit.
fn digits_before(cell: &mut [u8], end: usize, v: u64) -> Option<usize> {
    let len = digits::write_u64_end(cell.get_mut(..end)?, v)?;
    Some(end - len)
}

#[cfg(test)]
mod tests {
    use super::super::render::{push_line, Widths};
    use super::*;

    /// Every row written both ways, in columns as wide as its widest cell and wider.
    #[test]
    fn lines_written_into_place_equal_lines_written_cell_by_cell() {
        let addr = |s: &str| Val::Addr(s.parse().unwrap());
        let plain = [
            vec![Val::UInt(0), Val::Int(0), Val::Seconds(0), addr("0.0.0.0:0"), Val::Name("UDP"), Val::Empty],
            vec![
                Val::UInt(u64::MAX),
                Val::Int(i64::MIN),
                Val::Seconds(i64::MIN),
                addr("255.255.255.255:65535"),
                Val::text("EQStream"),
                Val::UInt(7),
            ],
            vec![
                Val::UInt(10),
                Val::Int(-1),
                Val::Seconds(-500_000_000),
                addr("10.0.0.1:53"),
                Val::Name(""),
                Val::Seconds(123_456_789_012),
            ],
            vec![
                Val::UInt(999),
                Val::Int(1_000),
                Val::Seconds(1_000_000_000),
                addr("192.168.100.20:3335"),
                Val::Name("SRUN"),
                Val::Int(-42),
            ],
        ];
        let others = [
            vec![Val::UInt(1), Val::Int(2), Val::Seconds(3), addr("[2001:db8::1]:53"), Val::Name("x"), Val::Empty],
            vec![Val::UInt(1), Val::Int(2), Val::Seconds(3), addr("1.2.3.4:5"), Val::text("→ x"), Val::Empty],
            vec![Val::Float(2.5, 2), Val::Int(2), Val::Time(1), addr("1.2.3.4:5"), Val::Name("x"), Val::Empty],
        ];
        let mut measured = Widths::new(6);
        for row in plain.iter().chain(&others) {
            measured.add(row);
        }
        let measured: Vec<usize> = measured.into();
        for extra in [0, 1, 5] {
            let widths: Vec<usize> = measured.iter().map(|w| w + extra).collect();
            let layout = Layout::new(&widths);
            for (k, row) in plain.iter().chain(&others).enumerate() {
                let (mut expected, mut scratch) = (String::new(), String::new());
                push_line(&mut expected, row, &widths, &mut scratch);
                let mut out = b"before ".to_vec();
                let written = layout.write(&mut out, row);
                assert_eq!(written, k < plain.len(), "row {k} written into place: {row:?}");
                if written {
                    assert_eq!(String::from_utf8(out).unwrap(), format!("before {expected}"), "row {k}, +{extra}");
                } else {
                    assert_eq!(out, b"before ", "nothing left behind");
                }
            }
        }
    }

    /// Too narrow a column (never measured so) leaves the row to the general path.
    #[test]
    fn a_cell_wider_than_its_column_is_not_written() {
        let layout = Layout::new(&[3, 3]);
        for row in [
            [Val::UInt(1234), Val::Empty],
            [Val::Int(-123), Val::Empty],
            [Val::Seconds(1), Val::Empty],
            [Val::Empty, Val::Addr("1.2.3.4:5".parse().unwrap())],
            [Val::Empty, Val::Name("long")],
        ] {
            let mut out = Vec::new();
            assert!(!layout.write(&mut out, &row), "{row:?}");
            assert!(out.is_empty());
        }
        let mut out = Vec::new();
        assert!(layout.write(&mut out, &[Val::Int(-12), Val::Name("abc")]));
        assert_eq!(out, b"| -12 | abc |\n");
    }
}
