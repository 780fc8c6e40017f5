//! The expected-file text of one capture: what `regress` compares and `--bless` writes.
//!
//! One block per frame (a header line, then its fields and findings indented), then the
//! end-of-capture findings, then the damage. Only values that the capture's bytes decide are
//! written: no relative times, no colours, no local time zone, no offsets into buffers.
//! Format: docs/regress.md.

use crate::render::{value_text, FrameView, Sink};
use std::fmt::Write as _;
use std::io;
use udpdissect_capture::CaptureError;
use udpdissect_core::{Dissection, Expert, Seconds, Value};

/// First line of every expected file, before the capture's name. Bump the version when the
/// shape of the file changes, so that old files fail with a clear message instead of a diff.
pub const HEADER: &str = "# udpdissect regress v1: ";

/// Frame fields the block's header line already says (number, time), that only depend on
/// other frames (relative times) or on the filter, that the fields below say again (the
/// layers' names), or that depend on the local time zone.
const REPEATED: &[&str] = &[
    "frame",
    "frame.number",
    "frame.time",
    "frame.time_epoch",
    "frame.time_relative",
    "frame.time_delta",
    "frame.time_delta_displayed",
    "frame.protocols",
];

/// Collects the expected text of one capture in memory.
pub struct ExpectedSink {
    text: String,
    frames: u64,
    value: String,
}

impl ExpectedSink {
    /// `name`: the capture's file name, recorded in the header so a file that was copied
    /// beside another capture is noticed.
    pub fn new(name: &str) -> Self {
        let mut text = String::with_capacity(4096);
        text.push_str(HEADER);
        push_escaped(&mut text, name);
        text.push('\n');
        ExpectedSink { text, frames: 0, value: String::new() }
    }

    /// Records why the capture could not be read to its end; the damage is part of the
    /// expected decode.
    pub fn damaged(&mut self, e: &CaptureError) {
        self.text.push_str("error: ");
        push_escaped(&mut self.text, &e.to_string());
        self.text.push('\n');
    }

    /// Frame blocks written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    pub fn into_text(self) -> String {
        self.text
    }

    fn finding(&mut self, e: &Expert) {
        let _ = write!(self.text, "  ! {} {}: ", e.severity().name(), e.tag());
        push_escaped(&mut self.text, &e.message);
        self.text.push('\n');
    }
}

/// Appends `t` with control characters escaped, so every field stays on one line.
fn push_escaped(s: &mut String, t: &str) {
    for c in t.chars() {
        if c.is_control() {
            s.extend(c.escape_default());
        } else {
            s.push(c);
        }
    }
}

impl Sink for ExpectedSink {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        self.frames += 1;
        let s = &mut self.text;
        let f = v.frame;
        let _ = write!(s, "{} t=", f.number);
        if f.has_ts {
            let _ = write!(s, "{}", Seconds(v.abs_ns));
        } else {
            s.push('-');
        }
        s.push(' ');
        push_escaped(s, if v.out.protocol.is_empty() { "-" } else { v.out.protocol });
        if !v.out.info.is_empty() {
            s.push(' ');
            push_escaped(s, &v.out.info);
        }
        for e in v.out.experts() {
            let _ = write!(s, " [{}]", e.tag());
        }
        s.push('\n');
        for field in v.out.fields() {
            if REPEATED.contains(&field.info.key) {
                continue;
            }
            self.value.clear();
            if !matches!(field.value, Value::None) {
                value_text(&mut self.value, field, v.out.source_bytes(f.data, field.source), false);
            }
            self.text.push_str("  ");
            self.text.push_str(field.info.key);
            if !self.value.is_empty() {
                self.text.push_str(" = ");
                push_escaped(&mut self.text, &self.value);
            }
            self.text.push('\n');
        }
        for e in v.out.experts() {
            self.finding(e);
        }
        Ok(())
    }

    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        if !end.experts().is_empty() {
            self.text.push_str("end of capture\n");
            for e in end.experts() {
                self.finding(e);
            }
        }
        Ok(())
    }
}
