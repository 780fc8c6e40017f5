//! Tables to aligned text (fixed layout, streamed row by row) or to one JSON document.

use super::layout::Layout;
use super::table::{StatTable, Val, AHEAD};
use crate::render::time::push_utc;
use crate::render::{digits, json};
use serde_json::Value;
use std::borrow::Borrow;
use std::io::{self, BufWriter, Write};

/// Version of the JSON document's shape.
pub const SCHEMA: u64 = 1;

fn round(v: f64, decimals: u8) -> f64 {
    let scale = 10f64.powi(i32::from(decimals));
    let r = (v * scale).round() / scale;
    if r.is_finite() {
        r
    } else {
        v
    }
}

/// Appends a value's text form (no allocation for numbers, names and addresses).
pub fn push_text(s: &mut String, v: &Val) {
    use std::fmt::Write as _;
    match v {
        Val::Empty => {}
        Val::Text(t) => s.push_str(t),
        Val::Name(t) => s.push_str(t),
        Val::Addr(a) => digits::push_socket_addr(s, *a),
        Val::Int(i) => digits::push_i64(s, *i),
        Val::UInt(u) => digits::push_u64(s, *u),
        Val::Float(f, d) => {
            let _ = write!(s, "{f:.prec$}", prec = *d as usize);
        }
        Val::Time(ns) => push_utc(s, *ns, 9),
        Val::Seconds(ns) => digits::push_seconds(s, *ns, 9),
        Val::Tree { indented, .. } => s.push_str(indented),
    }
}

/// Appends a value as JSON: numbers as numbers, times as epoch-second strings, addresses and
/// tree nodes (their path) as strings.
pub fn push_json(s: &mut String, v: &Val) {
    match v {
        Val::Empty => s.push_str("null"),
        Val::Text(t) => json::string(s, t),
        Val::Name(t) => json::string(s, t),
        Val::Addr(_) => {
            s.push('"');
            push_text(s, v);
            s.push('"');
        }
        Val::Int(i) => digits::push_i64(s, *i),
        Val::UInt(u) => digits::push_u64(s, *u),
        // Not finite becomes null.
        Val::Float(f, d) => s.push_str(&Value::from(round(*f, *d)).to_string()),
        Val::Time(ns) | Val::Seconds(ns) => {
            s.push('"');
            digits::push_seconds(s, *ns, 9);
            s.push('"');
        }
        Val::Tree { path, .. } => json::string(s, path),
    }
}

/// Rows rendered at a time when a second thread helps: each thread holds at most one piece
/// of text.
const PIECE: usize = 4096;

/// Title line, table, notes; a blank line between tables. The layout (ASCII borders, header
/// rule of `=`, numbers right-aligned) never depends on the terminal. Rows are made twice, once
/// to measure the columns (unless the table was measured when made) and once to write them, so
/// even a table of a million conversations is never held as text. With a second core, a large
/// table's rows are measured in two halves and written in pieces, every other piece rendered by
/// a second thread.
pub fn text<'a, T: Borrow<StatTable<'a>>>(tables: impl IntoIterator<Item = T>, w: &mut dyn Write) -> io::Result<()> {
    text_in_pieces(tables, w, (crate::cores() >= 2).then_some(PIECE))
}

/// [`text`], with a second thread for tables of more than `piece` rows (none without).
fn text_in_pieces<'a, T: Borrow<StatTable<'a>>>(
    tables: impl IntoIterator<Item = T>,
    w: &mut dyn Write,
    piece: Option<usize>,
) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 16, w);
    let mut line = String::new();
    for (i, t) in tables.into_iter().enumerate() {
        let t = t.borrow();
        if i > 0 {
            writeln!(w)?;
        }
        writeln!(w, "== {} ==", t.title)?;
        let n = t.rows.len();
        let helper = piece.filter(|&p| n > p);
        let mut widths: Vec<usize> = t.columns.iter().map(|c| c.chars().count()).collect();
        let measured = match (&t.widths, helper) {
            (Some(measured), _) => measured.clone(),
            (None, Some(_)) => std::thread::scope(|s| {
                let second = s.spawn(|| measure(t, n / 2..n));
                let first = measure(t, 0..n / 2);
                let second = second.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                first.into_iter().zip(second).map(|(a, b)| a.max(b)).collect()
            }),
            (None, None) => measure(t, 0..n),
        };
        for (width, m) in widths.iter_mut().zip(measured) {
            *width = (*width).max(m);
        }
        let rule = |line: &mut String, fill: char| {
            line.clear();
            line.push('+');
            for &wd in &widths {
                line.extend(std::iter::repeat_n(fill, wd + 2));
                line.push('+');
            }
            line.push('\n');
        };
        rule(&mut line, '-');
        w.write_all(line.as_bytes())?;
        line.clear();
        for (c, &wd) in t.columns.iter().zip(&widths) {
            line.push_str("| ");
            let start = line.len();
            line.push_str(c);
            pad_from(&mut line, start, wd);
        }
        line.push_str("|\n+");
        let inner: usize = widths.iter().map(|wd| wd + 3).sum::<usize>().saturating_sub(1);
        line.extend(std::iter::repeat_n('=', inner));
        line.push_str("+\n");
        w.write_all(line.as_bytes())?;
        let layout = Layout::new(&widths);
        write_rows(t, helper, &mut w, |t, rows, out| render_rows(t, rows, &layout, &widths, out))?;
        rule(&mut line, '-');
        w.write_all(line.as_bytes())?;
        for note in &t.notes {
            writeln!(w, "{note}")?;
        }
    }
    w.flush()
}

/// The widest text of each column, row by row.
pub struct Widths {
    widths: Vec<usize>,
    scratch: String,
}

impl Widths {
    pub fn new(columns: usize) -> Widths {
        Widths { widths: vec![0; columns], scratch: String::new() }
    }

    pub fn add(&mut self, cells: &[Val]) {
        for (width, v) in self.widths.iter_mut().zip(cells) {
            *width = (*width).max(text_width(v, &mut self.scratch));
        }
    }
}

impl From<Widths> for Vec<usize> {
    fn from(w: Widths) -> Vec<usize> {
        w.widths
    }
}

/// The widest text of each column over `rows`.
fn measure(t: &StatTable, rows: std::ops::Range<usize>) -> Vec<usize> {
    let mut widths = Widths::new(t.columns.len());
    for r in rows {
        t.rows.with(r, |cells| widths.add(cells));
    }
    widths.into()
}

/// Appends the lines of `rows`: into a copy of a blank line where the cells allow
/// ([`Layout`]), else cell by cell.
fn render_rows(t: &StatTable, rows: std::ops::Range<usize>, layout: &Layout, widths: &[usize], out: &mut Vec<u8>) {
    let (mut line, mut scratch) = (String::new(), String::new());
    for r in rows {
        t.rows.ahead(r + AHEAD);
        t.rows.with(r, |cells| {
            if t.list {
                line.clear();
                for (v, &wd) in cells.iter().zip(widths) {
                    line.push_str("| ");
                    push_left(&mut line, v, wd);
                }
                line.push_str("|\n");
                out.extend_from_slice(line.as_bytes());
            } else if !layout.write(out, cells) {
                line.clear();
                push_line(&mut line, cells, widths, &mut scratch);
                out.extend_from_slice(line.as_bytes());
            }
        });
    }
}

/// Appends the line of `cells`, cell by cell.
pub(super) fn push_line(line: &mut String, cells: &[Val], widths: &[usize], scratch: &mut String) {
    for (v, &wd) in cells.iter().zip(widths) {
        push_cell(line, v, wd, scratch);
    }
    line.push_str("|\n");
}

/// Writes a table's rows a piece at a time, in order, each piece made by `render`. With a
/// `piece` size smaller than the table, this thread renders the even pieces and a second one
/// the odd pieces, one ahead at most.
fn write_rows<R>(t: &StatTable, piece: Option<usize>, w: &mut impl Write, render: R) -> io::Result<()>
where
    R: Fn(&StatTable, std::ops::Range<usize>, &mut Vec<u8>) + Sync,
{
    let n = t.rows.len();
    let Some(piece) = piece.filter(|&p| n > p) else {
        let mut text = Vec::new();
        for start in (0..n).step_by(PIECE) {
            text.clear();
            render(t, start..n.min(start + PIECE), &mut text);
            w.write_all(&text)?;
        }
        return Ok(());
    };
    let pieces = n.div_ceil(piece);
    let range = |k: usize| k * piece..n.min((k + 1) * piece);
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
        let render = &render;
        s.spawn(move || {
            for k in (1..pieces).step_by(2) {
                let mut text = Vec::new();
                render(t, range(k), &mut text);
                // The receiver is gone when writing failed: stop.
                if tx.send(text).is_err() {
                    break;
                }
            }
        });
        let mut text = Vec::new();
        for k in 0..pieces {
            if k % 2 == 0 {
                text.clear();
                render(t, range(k), &mut text);
                w.write_all(&text)?;
            } else {
                let theirs = rx.recv().map_err(|_| io::Error::other("the statistics' second thread stopped"))?;
                w.write_all(&theirs)?;
            }
        }
        Ok(())
    })
}

/// Characters of a value's text form, counted without writing it where that is easy (the
/// measuring pass over a million rows), else written into `scratch`.
fn text_width(v: &Val, scratch: &mut String) -> usize {
    match v {
        Val::Empty => 0,
        Val::Name(t) => t.chars().count(),
        Val::Text(t) => t.chars().count(),
        Val::UInt(u) => digits::decimal_len(*u),
        Val::Int(i) => digits::decimal_len(i.unsigned_abs()) + usize::from(*i < 0),
        Val::Seconds(ns) => digits::seconds_len(*ns, 9),
        Val::Addr(std::net::SocketAddr::V4(a)) => {
            let octets: usize = a.ip().octets().iter().map(|&o| digits::decimal_len(u64::from(o))).sum();
            octets + 4 + digits::decimal_len(u64::from(a.port()))
        }
        _ => {
            scratch.clear();
            push_text(scratch, v);
            scratch.chars().count()
        }
    }
}

/// `| value   ` or `|   value ` in a column `width` characters wide: numbers are measured
/// first and right-aligned, other text is written, then padded.
fn push_cell(line: &mut String, v: &Val, width: usize, scratch: &mut String) {
    line.push_str("| ");
    if v.is_numeric() {
        spaces(line, width.saturating_sub(text_width(v, scratch)));
        push_text(line, v);
        line.push(' ');
    } else {
        push_left(line, v, width);
    }
}

/// A value's text left-aligned in a column `width` characters wide, and the space after it.
fn push_left(line: &mut String, v: &Val, width: usize) {
    let start = line.len();
    push_text(line, v);
    pad_from(line, start, width);
}

/// Pads what was written from `start` on to `width` characters, and the space after the cell.
fn pad_from(line: &mut String, start: usize, width: usize) {
    // Cells are nearly always ASCII (numbers, addresses): their byte length is their width.
    let text = &line[start..];
    let chars = if text.is_ascii() { text.len() } else { text.chars().count() };
    spaces(line, width.saturating_sub(chars) + 1);
}

/// Appends `n` spaces a slice at a time rather than a char at a time.
fn spaces(line: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        line.push_str(&SPACES[..k]);
        n -= k;
    }
}

fn to_json(v: impl Into<Value>) -> io::Result<String> {
    serde_json::to_string(&v.into()).map_err(io::Error::other)
}

/// `{"schema":1,"tables":[{"name","title","columns","omitted","notes","rows"}, …]}`, written
/// row by row (one row per line).
pub fn json<'a, T: Borrow<StatTable<'a>>>(tables: impl IntoIterator<Item = T>, w: &mut dyn Write) -> io::Result<()> {
    json_in_pieces(tables, w, (crate::cores() >= 2).then_some(PIECE))
}

/// [`json`], with a second thread for tables of more than `piece` rows (none without).
fn json_in_pieces<'a, T: Borrow<StatTable<'a>>>(
    tables: impl IntoIterator<Item = T>,
    w: &mut dyn Write,
    piece: Option<usize>,
) -> io::Result<()> {
    let mut w = BufWriter::new(w);
    write!(w, "{{\"schema\":{SCHEMA},\"tables\":[")?;
    for (i, t) in tables.into_iter().enumerate() {
        let t = t.borrow();
        if i > 0 {
            write!(w, ",")?;
        }
        write!(
            w,
            "\n{{\"name\":{},\"title\":{},\"columns\":{},\"omitted\":{},\"notes\":{},\"rows\":[",
            to_json(t.name.as_str())?,
            to_json(t.title.as_str())?,
            to_json(t.columns.clone())?,
            t.omitted,
            to_json(t.notes.clone())?
        )?;
        write_rows(t, piece, &mut w, json_rows)?;
        write!(w, "]}}")?;
    }
    writeln!(w, "\n]}}")?;
    w.flush()
}

/// Appends the rows `rows` as JSON arrays, each on a line of its own, a comma before every
/// row but the table's first.
fn json_rows(t: &StatTable, rows: std::ops::Range<usize>, bytes: &mut Vec<u8>) {
    // Only text written here is in `bytes` (nothing, as a piece starts): checked, not copied.
    let mut out = String::from_utf8(std::mem::take(bytes)).unwrap_or_default();
    for r in rows {
        if r > 0 {
            out.push(',');
        }
        out.push_str("\n[");
        t.rows.ahead(r + AHEAD);
        t.rows.with(r, |cells| {
            for (i, v) in cells.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json(&mut out, v);
            }
        });
        out.push(']');
    }
    *bytes = out.into_bytes();
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    pub(super) fn cell_text(v: &Val) -> String {
        let mut s = String::new();
        push_text(&mut s, v);
        s
    }

    /// A value as JSON, read back.
    fn cell_json(v: &Val) -> Value {
        let mut s = String::new();
        push_json(&mut s, v);
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn json_cells_are_what_serde_json_writes() {
        let values = [
            Val::Empty,
            Val::text("plain"),
            Val::text("a \"quoted\" \\ name\twith\u{1} controls and ü"),
            Val::Name("Overte"),
            Val::Addr("[2001:db8::1]:53".parse().unwrap()),
            Val::Int(-42),
            Val::UInt(u64::MAX),
            Val::Float(100.0, 2),
            Val::Float(f64::INFINITY, 2),
            Val::Seconds(-1),
            Val::Tree { indented: "  ip".into(), path: "frame:eth:ip".into() },
        ];
        let expected = [
            json!(null),
            json!("plain"),
            json!("a \"quoted\" \\ name\twith\u{1} controls and ü"),
            json!("Overte"),
            json!("[2001:db8::1]:53"),
            json!(-42),
            json!(u64::MAX),
            json!(100.0),
            json!(null),
            json!("-0.000000001"),
            json!("frame:eth:ip"),
        ];
        for (v, e) in values.iter().zip(expected) {
            let mut s = String::new();
            push_json(&mut s, v);
            assert_eq!(s, e.to_string(), "{v:?}");
        }
    }

    #[test]
    fn values_render_both_ways() {
        assert_eq!(cell_text(&Val::Time(1_772_438_400_000_000_001)), "2026-03-02 08:00:00.000000001 UTC");
        assert_eq!(cell_text(&Val::Seconds(-500_000_000)), "-0.500000000");
        assert_eq!(cell_json(&Val::Time(1_772_438_400_000_000_000)), json!("1772438400.000000000"));
        assert_eq!(cell_text(&Val::Float(2.0 / 3.0, 2)), "0.67");
        assert_eq!(cell_json(&Val::Float(2.0 / 3.0, 2)), json!(0.67));
        assert_eq!(cell_json(&Val::Float(f64::NAN, 2)), Value::Null);
        assert_eq!(cell_json(&Val::Empty), Value::Null);
    }

    #[test]
    fn text_keeps_indentation_and_is_fixed_width() {
        let table = || {
            let mut t = StatTable::new("x", "X", &["name", "n"]);
            t.push(vec![Val::Tree { indented: "    deep".into(), path: "a:b:deep".into() }, Val::UInt(7)]);
            t.push(vec![Val::text("a".repeat(300)), Val::UInt(12345)]);
            t.notes.push("a note".into());
            t
        };
        let mut out = Vec::new();
        text(&[table(), table()], &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("== X ==\n"), "{s}");
        assert!(s.contains("|     deep "), "{s}");
        assert!(s.contains(&"a".repeat(300)), "no wrapping: {s}");
        assert!(s.contains("a note\n\n== X ==\n"), "{s}");
        assert!(s.contains("|     7 |"), "numbers right-aligned: {s}");
    }
}

#[cfg(test)]
mod long_tests {
    use super::tests::cell_text;
    use super::*;
    use serde_json::json;

    fn numbers(n: u64) -> StatTable<'static> {
        let mut t = StatTable::new("n", "Numbers", &["value", "name"]);
        t.on_demand((0..n).collect(), |&i: &u64, row| row(&[Val::UInt(i * i), Val::text(format!("row {i}"))]));
        t
    }

    #[test]
    fn rows_made_on_demand_share_one_layout() {
        let mut out = Vec::new();
        text(&[numbers(25)], &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().skip(1).collect();
        assert_eq!(lines[0], "+-------+--------+");
        assert_eq!(lines[1], "| value | name   |");
        assert_eq!(lines[2], "+================+");
        assert_eq!(lines[3], "|     0 | row 0  |");
        assert_eq!(lines[27], "|   576 | row 24 |");
        assert_eq!(lines[28], "+-------+--------+");
        assert!(lines.iter().all(|l| l.len() == lines[0].len()), "{s}");
    }

    /// Rows made from far-out entries are asked for `AHEAD` rows early, in both output forms
    /// and on both threads, each once and none past the end; the rows themselves are the same.
    #[test]
    fn rows_are_asked_for_ahead_and_never_past_the_end() {
        let n = 3 * PIECE as u64 + 5;
        let asked = std::sync::Mutex::new(Vec::new());
        let mut t = StatTable::new("n", "Numbers", &["value"]);
        t.on_demand_ahead((0..n).collect(), |&i: &u64| asked.lock().unwrap().push(i), |&i, row| row(&[Val::UInt(i)]));
        let (mut plain, mut ahead) = (Vec::new(), Vec::new());
        let mut same = StatTable::new("n", "Numbers", &["value"]);
        same.on_demand((0..n).collect(), |&i: &u64, row| row(&[Val::UInt(i)]));
        text_in_pieces([&same], &mut plain, Some(PIECE)).unwrap();
        text_in_pieces([&t], &mut ahead, Some(PIECE)).unwrap();
        assert_eq!(plain, ahead);
        let mut seen = std::mem::take(&mut *asked.lock().unwrap());
        seen.sort_unstable();
        assert_eq!(seen, (AHEAD as u64..n).collect::<Vec<_>>(), "every row from AHEAD on, once");
        let (mut plain, mut ahead) = (Vec::new(), Vec::new());
        json(&[same], &mut plain).unwrap();
        json(&[t], &mut ahead).unwrap();
        assert_eq!(plain, ahead);
        assert_eq!(asked.lock().unwrap().len() as u64, n - AHEAD as u64);
    }

    #[test]
    fn measured_widths_equal_written_widths() {
        let values = [
            Val::Empty,
            Val::Name("SRUN"),
            Val::text("→ x"),
            Val::UInt(0),
            Val::UInt(1_000),
            Val::Int(-2),
            Val::Int(i64::MIN),
            Val::Seconds(-500_000_000),
            Val::Seconds(123_456_789_012),
            Val::Addr("10.200.3.45:3335".parse().unwrap()),
            Val::Addr("[2001:db8::1]:53".parse().unwrap()),
            Val::Float(3.25, 2),
            Val::Time(1_772_438_400_000_000_001),
        ];
        let mut scratch = String::new();
        for v in &values {
            assert_eq!(text_width(v, &mut scratch), cell_text(v).chars().count(), "{v:?}");
        }
    }

    #[test]
    fn addresses_and_names_render_without_allocation_types() {
        let mut s = String::new();
        push_text(&mut s, &Val::Addr("[2001:db8::1]:53".parse().unwrap()));
        s.push(' ');
        push_text(&mut s, &Val::Addr("10.0.0.1:3335".parse().unwrap()));
        s.push(' ');
        push_text(&mut s, &Val::Int(-2));
        assert_eq!(s, "[2001:db8::1]:53 10.0.0.1:3335 -2");
    }

    #[test]
    fn a_second_thread_writes_the_same_json() {
        let tables = [numbers(0), numbers(1), numbers(400), numbers(7)];
        let mut alone = Vec::new();
        json_in_pieces(&tables, &mut alone, None).unwrap();
        let doc: Value = serde_json::from_slice(&alone).unwrap();
        assert_eq!(doc["tables"][2]["rows"][399], json!([159201, "row 399"]));
        for piece in [1, 2, 3, 64, 399] {
            let mut helped = Vec::new();
            json_in_pieces(&tables, &mut helped, Some(piece)).unwrap();
            assert!(helped == alone, "pieces of {piece}");
        }
    }

    #[test]
    fn a_second_thread_writes_the_same_text() {
        let tables = [numbers(0), numbers(1), numbers(400), numbers(7), numbers(3)];
        let mut alone = Vec::new();
        text_in_pieces(&tables, &mut alone, None).unwrap();
        for piece in [1, 2, 3, 6, 64, 399] {
            let mut helped = Vec::new();
            text_in_pieces(&tables, &mut helped, Some(piece)).unwrap();
            assert_eq!(
                String::from_utf8(helped).unwrap(),
                String::from_utf8(alone.clone()).unwrap(),
                "pieces of {piece}"
            );
        }
        // The widest cells sit in the second half, which the second thread measures.
        let text = String::from_utf8(alone).unwrap();
        assert!(text.contains("\n|      0 | row 0   |\n") && text.contains("\n| 159201 | row 399 |\n"), "{text}");
    }

    #[test]
    fn json_is_one_document() {
        let mut out = Vec::new();
        json(&[numbers(3), numbers(0)], &mut out).unwrap();
        let doc: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["schema"], 1);
        assert_eq!(doc["tables"][0]["rows"][2], serde_json::json!([4, "row 2"]));
        assert_eq!(doc["tables"][1]["rows"], serde_json::json!([]));
        assert_eq!(doc["tables"][1]["omitted"], 0);
    }
}
