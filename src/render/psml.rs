//! `-T psml`: tshark's Packet Summary Markup Language, the summary line's columns in XML (what
//! pyshark reads for summaries). docs/json.md has the format.

use super::{summary_cells, FrameView, Sink, TimeFormat, SUMMARY_TITLES};
use std::io::{self, Write};
use udpdissect_core::Dissection;

pub struct PsmlSink<W: Write> {
    w: W,
    flush_each: bool,
    time: TimeFormat,
    s: String,
    text: String,
}

/// Appends `t` with XML's special characters as tshark escapes them.
fn push_escaped(s: &mut String, t: &str) {
    // Most cells (numbers, addresses, most info) have none: copied whole.
    if !t.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') || b.is_ascii_control()) {
        s.push_str(t);
        return;
    }
    for c in t.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#x27;"),
            // XML 1.0 has no ASCII control characters but these three.
            c if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') => {
                s.push_str(&format!("\\x{:x}", u32::from(c)));
            }
            c => s.push(c),
        }
    }
}

impl<W: Write> PsmlSink<W> {
    /// Writes the preamble and the column structure at once, as tshark does before the first
    /// packet.
    pub fn new(mut w: W, time: TimeFormat, flush_each: bool) -> io::Result<Self> {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        s.push_str(concat!(
            "<psml version=\"0\" creator=\"udpdissect/",
            env!("CARGO_PKG_VERSION"),
            "\">\n<structure>\n"
        ));
        for title in SUMMARY_TITLES {
            s.push_str("<section>");
            push_escaped(&mut s, title);
            s.push_str("</section>\n");
        }
        s.push_str("</structure>\n\n");
        w.write_all(s.as_bytes())?;
        Ok(PsmlSink { w, flush_each, time, s: String::new(), text: String::new() })
    }
}

impl<W: Write> Sink for PsmlSink<W> {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        let s = &mut self.s;
        s.clear();
        s.push_str("<packet>\n");
        summary_cells(v, self.time, &mut self.text, |_, cell| {
            s.push_str("<section>");
            push_escaped(s, cell);
            s.push_str("</section>\n");
        });
        s.push_str("</packet>\n\n");
        self.w.write_all(s.as_bytes())?;
        if self.flush_each {
            self.w.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self, _end: &Dissection) -> io::Result<()> {
        self.w.write_all(b"</psml>\n")?;
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped_as_tshark_escapes_them() {
        let mut s = String::new();
        push_escaped(&mut s, "a<b>&\"c\" 'd' → e\u{1}\tf");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&quot; &#x27;d&#x27; → e\\x1\tf");
    }
}
