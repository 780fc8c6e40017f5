//! Text output: one summary line per frame, or the field tree (`-V`), each optionally with a
//! hex dump per data source (`-x`).

use super::line::{Counter, Line};
use super::{digits, endpoints, push_label, Endpoint, FrameView, Sink, TimeFormat, OUT_CHUNK};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr};
use udpdissect_core::{key_under, Dissection, Expert, Severity};

pub struct TextSink<W: Write> {
    w: W,
    tree: bool,
    hex: bool,
    color: bool,
    flush_each: bool,
    time: TimeFormat,
    /// The tree, hex dumps and findings; scratch for the summary's rarer columns.
    line: String,
    /// Summary lines not yet written: gathered up to [`OUT_CHUNK`] bytes and written at once,
    /// rather than each copied into the writer's buffer on its own.
    bytes: Line,
    /// The frame number column's text.
    number: Counter,
    printed: bool,
    /// `-O`: the protocols whose details the tree shows (all when empty).
    details: Vec<String>,
    /// `-T tabs`: the summary line's columns separated by tabs, the arrow a column of its own.
    tabs: bool,
}

fn paint(sev: Option<Severity>) -> (&'static str, &'static str) {
    match sev {
        Some(Severity::Error) => ("\x1b[31m", "\x1b[0m"),
        Some(Severity::Warn) => ("\x1b[33m", "\x1b[0m"),
        Some(Severity::Note) => ("\x1b[36m", "\x1b[0m"),
        None => ("", ""),
    }
}

impl<W: Write> TextSink<W> {
    pub fn new(w: W, tree: bool, hex: bool, color: bool, flush_each: bool, time: TimeFormat) -> Self {
        TextSink {
            w,
            tree,
            hex,
            color,
            flush_each,
            time,
            line: String::with_capacity(256),
            bytes: Line::default(),
            number: Counter::default(),
            printed: false,
            details: Vec::new(),
            tabs: false,
        }
    }

    /// Separates the summary line's columns by tabs, as tshark's `-T tabs`: the arrow between
    /// the addresses is a column of its own, and a column keeps the width it is padded to.
    pub fn tabs(mut self, tabs: bool) -> Self {
        self.tabs = tabs;
        self
    }

    /// Shows the tree's details only for these protocols (`-O`): every other protocol's node
    /// is its one line, as tshark's `-O` has it. Empty: every protocol in full.
    pub fn details_of(mut self, protocols: Vec<String>) -> Self {
        self.details = protocols;
        self
    }

    /// Writes the summary lines gathered so far.
    fn write_lines(&mut self) -> io::Result<()> {
        if !self.bytes.as_bytes().is_empty() {
            self.w.write_all(self.bytes.as_bytes())?;
            self.bytes.clear();
        }
        Ok(())
    }

    /// The summary line, appended to `self.bytes`.
    fn summary_line(&mut self, v: &FrameView) {
        // The gap a one-byte array, so that each is a fixed-length store; the arrow is written only
        // off the common IPv4 path.
        let (gap, arrow) = if self.tabs { (b"\t", "\t→\t") } else { (b" ", " → ") };
        let f = v.frame;
        let secs = self.time.seconds(v.abs_ns, v.rel_ns, v.delta_ns, v.delta_shown_ns).filter(|_| f.has_ts);
        let (src, dst) = endpoints(v.frame, v.decoded);
        let number = self.number.text(f.number);
        let l = &mut self.bytes;
        match (secs, &src, &dst) {
            // The head laid out at once has spaces between its columns.
            (Some(ns), Endpoint::Ip(IpAddr::V4(a)), Endpoint::Ip(IpAddr::V4(b))) if !self.tabs => {
                l.room::<HEAD>(|head| head_v4(head, number, ns, f.ts_digits, *a, *b));
            }
            _ => {
                l.push_right(number, 5);
                l.push(gap);
                match secs {
                    Some(ns) => l.seconds_right(ns, f.ts_digits, 12),
                    None if !f.has_ts => l.push(b"            "),
                    None => {
                        self.line.clear();
                        self.time.write(&mut self.line, v.abs_ns, v.rel_ns, v.delta_ns, v.delta_shown_ns, f.ts_digits);
                        l.push(&b"            "[self.line.len().min(12)..]);
                        l.push(self.line.as_bytes());
                    }
                }
                l.push(gap);
                push_endpoint(l, &src, &mut self.line);
                l.push(arrow.as_bytes());
                push_endpoint(l, &dst, &mut self.line);
                l.push(gap);
            }
        }
        l.push(v.out.protocol.as_bytes());
        l.push(gap);
        l.u64(f.orig_len.into());
        l.push(gap);
        l.push(v.out.info.as_bytes());
        for e in v.out.experts() {
            l.push(b" [");
            l.push(e.tag().as_bytes());
            l.push(b"]");
        }
    }

    fn expert_line(&mut self, e: &Expert, indent: &str) {
        let (on, off) = if self.color { paint(Some(e.severity())) } else { ("", "") };
        let _ = write!(self.line, "{indent}{on}[{} {}] {}", e.severity().name(), e.tag(), e.message);
        if let Some((src, off_, len)) = e.at {
            self.line.push_str(" (at ");
            push_position(&mut self.line, src, off_, len);
            self.line.push(')');
        }
        let _ = writeln!(self.line, "{off}");
    }

    fn tree_text(&mut self, v: &FrameView) {
        let out = v.out;
        let mut folded = false;
        for f in out.fields() {
            if f.depth == 0 {
                folded = !self.details.is_empty() && !self.details.iter().any(|d| key_under(f.info.key, d));
            } else if folded {
                continue;
            }
            let s = &mut self.line;
            for _ in 0..f.depth {
                s.push_str("    ");
            }
            if f.generated {
                s.push('[');
            }
            push_label(s, f, out.source_bytes(v.frame.data, f.source));
            if f.generated {
                s.push(']');
            } else if f.len > 0 || f.info.kind != udpdissect_core::FieldKind::None {
                s.push_str("  [");
                push_position(s, f.source, f.offset, f.len);
                s.push(']');
            }
            s.push('\n');
        }
        for e in out.experts() {
            self.expert_line(e, "    ");
        }
    }

    fn hex_dump(&mut self, v: &FrameView) {
        let sources = v.out.sources();
        if !sources.is_empty() {
            let _ = writeln!(self.line, "Frame ({} bytes):", v.frame.data.len());
        }
        hex(&mut self.line, v.frame.data);
        for (i, src) in sources.iter().enumerate() {
            let _ = writeln!(self.line, "{} #{} ({} bytes):", src.name, i + 1, src.data.len());
            hex(&mut self.line, &src.data);
        }
    }
}

/// `offset+len`, after `#source:` for a derived data source.
fn push_position(s: &mut String, source: u16, offset: u32, len: u32) {
    if source != 0 {
        s.push('#');
        digits::push_u64(s, source.into());
        s.push(':');
    }
    digits::push_u64(s, offset.into());
    s.push('+');
    digits::push_u64(s, len.into());
}

/// tshark's hex dump: offset, 16 hex bytes, ASCII.
pub fn hex(s: &mut String, bytes: &[u8]) {
    for (i, chunk) in bytes.chunks(16).enumerate() {
        digits::push_hex_digits(s, (i * 16) as u64, 4);
        s.push(' ');
        for b in chunk {
            s.push(' ');
            digits::push_hex(s, &[*b]);
        }
        for _ in chunk.len()..16 {
            s.push_str("   ");
        }
        s.push_str("   ");
        s.extend(chunk.iter().map(|&b| if (0x20..0x7f).contains(&b) { b as char } else { '.' }));
        s.push('\n');
    }
}

/// The summary line's columns before the protocol for the common frame (a time in seconds,
/// IPv4 at both ends), stored into `t` (spaces) for the caller to copy to the line once: piece
/// by piece, the line's bookkeeping cost more than the digits. Returns the length written.
fn head_v4(t: &mut [u8; HEAD], number: &[u8], ns: i64, decimals: u8, src: Ipv4Addr, dst: Ipv4Addr) -> usize {
    // `t` starts as spaces. The number right-aligned in 5 (a counter's text: at most 20
    // digits), the time in 12 (at most 21 characters).
    let number = &number[..number.len().min(20)];
    let mut n = number.len().max(5);
    t[n - number.len()..n].copy_from_slice(number);
    let time = digits::seconds_len(ns, decimals).min(21);
    let width = time.max(12);
    digits::write_seconds(&mut t[n + 1 + width - time..n + 1 + width], ns, decimals);
    n += width + 2;
    let ipv4 = |t: &mut [u8; HEAD], n: usize, ip| match <&mut [u8; digits::IPV4_ROOM]>::try_from(
        &mut t[n..n + digits::IPV4_ROOM],
    ) {
        Ok(room) => n + digits::write_ipv4(room, ip),
        Err(_) => n,
    };
    n = ipv4(t, n, src);
    t[n..n + 5].copy_from_slice(" → ".as_bytes());
    n = ipv4(t, n + 5, dst);
    // An address's room is overwritten past its text: the space after it is stored.
    t[n] = b' ';
    n + 1
}

/// Room for [`head_v4`]: 20 + 1 + 21 + 1 + 15 + 5 + 19 (an address's room) + 1.
const HEAD: usize = 84;

/// An address column: IPv4 stored in place, anything else through `scratch`.
fn push_endpoint(l: &mut Line, e: &Endpoint, scratch: &mut String) {
    match e {
        Endpoint::Ip(IpAddr::V4(ip)) => l.ipv4(*ip),
        _ => {
            scratch.clear();
            e.push_to(scratch);
            l.push(scratch.as_bytes());
        }
    }
}

impl<W: Write> Sink for TextSink<W> {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        if self.tree {
            self.line.clear();
            if self.printed {
                self.line.push('\n');
            }
            self.tree_text(v);
            if self.hex {
                self.line.push('\n');
                self.hex_dump(v);
            }
        } else {
            if self.color {
                let (on, off) = paint(v.out.max_severity());
                self.bytes.push(on.as_bytes());
                self.summary_line(v);
                self.bytes.push(off.as_bytes());
            } else {
                self.summary_line(v);
            }
            self.bytes.push(b"\n");
            self.line.clear();
            if self.hex {
                self.line.push('\n');
                self.hex_dump(v);
                self.line.push('\n');
            } else if self.bytes.as_bytes().len() < OUT_CHUNK && !self.flush_each {
                self.printed = true;
                return Ok(());
            }
            self.write_lines()?;
        }
        self.printed = true;
        self.w.write_all(self.line.as_bytes())?;
        if self.flush_each {
            self.w.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        self.write_lines()?;
        self.line.clear();
        if !end.experts().is_empty() {
            if self.tree || self.hex {
                self.line.push('\n');
            }
            self.line.push_str("End of capture:\n");
            for e in end.experts() {
                self.expert_line(e, "    ");
            }
        }
        self.w.write_all(self.line.as_bytes())?;
        self.w.flush()
    }
}

/// A run cut short by a panic still writes the summary lines it had gathered, as the writer
/// below writes what it holds.
impl<W: Write> Drop for TextSink<W> {
    fn drop(&mut self) {
        let _ = self.write_lines();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ipv4_head_is_the_columns_written_one_by_one() {
        let ips = [Ipv4Addr::UNSPECIFIED, Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::BROADCAST];
        let times = [0, 1, -1, 999_999_999, 1_000_000_000, -1_234_567_890_123, i64::MAX, i64::MIN + 1];
        let mut number = Counter::default();
        for n in [1u64, 12, 12_345, 123_456, u64::MAX] {
            let text = number.text(n).to_vec();
            for (&ns, decimals) in times.iter().zip([0u8, 3, 6, 9, 1, 6, 9, 9]) {
                for (a, b) in ips.iter().zip(ips.iter().rev()) {
                    let mut l = Line::default();
                    l.push_right(&text, 5);
                    l.push(b" ");
                    l.seconds_right(ns, decimals, 12);
                    l.push(b" ");
                    l.ipv4(*a);
                    l.push(" → ".as_bytes());
                    l.ipv4(*b);
                    l.push(b" ");
                    let mut head = [b' '; HEAD];
                    let len = head_v4(&mut head, &text, ns, decimals, *a, *b);
                    assert_eq!(&head[..len], l.as_bytes(), "{n} {ns} {decimals}");
                }
            }
        }
    }

    #[test]
    fn hex_dump_lines_as_tshark_prints_them() {
        let bytes: Vec<u8> = (0..0x10012u32).map(|i| (i % 251) as u8).collect();
        let mut s = String::new();
        hex(&mut s, &bytes);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 0x1002);
        let first = "0000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   ................";
        assert_eq!(lines[0], first);
        assert!(lines[0x1000].starts_with("10000  "), "{}", lines[0x1000]);
        // The last line is short: its hex is padded so the text column lines up.
        let last = lines[0x1001];
        assert_eq!(&last[..12], "10010  29 2a");
        assert_eq!(last.len(), first.len() - 14 + 1);
        assert!(last.ends_with("   )*"), "{last:?}");
    }
}
