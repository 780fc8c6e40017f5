//! `-T psml`: tshark's Packet Summary Markup Language, the summary line's columns in XML (what
//! pyshark reads for summaries). docs/json.md has the format.

use super::xml::push_escaped;
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
