//! `-T fields`: the `-e` columns, with tshark's `-E` options.

use super::{value_text, FrameView, Sink, OUT_CHUNK};
use std::io::{self, Write};
use udpdissect_core::{digits, Dissection, FieldInfo};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldOptions {
    pub header: bool,
    pub separator: String,
    pub quote: Option<char>,
    /// 'f' first, 'l' last, 'a' all occurrences.
    pub occurrence: char,
    pub aggregator: String,
}

impl Default for FieldOptions {
    fn default() -> Self {
        FieldOptions { header: false, separator: "\t".into(), quote: None, occurrence: 'a', aggregator: ",".into() }
    }
}

fn special(v: &str) -> String {
    match v {
        "/t" => "\t".into(),
        "/s" => " ".into(),
        other => other.into(),
    }
}

impl FieldOptions {
    /// Applies one `-E name=value`.
    pub fn set(&mut self, opt: &str) -> Result<(), String> {
        let (name, value) = opt.split_once('=').ok_or_else(|| format!("-E {opt}: expected OPTION=VALUE"))?;
        match (name, value) {
            ("header", "y") => self.header = true,
            ("header", "n") => self.header = false,
            ("separator", v) if !v.is_empty() => self.separator = special(v),
            ("aggregator", v) if !v.is_empty() => self.aggregator = special(v),
            ("quote", "d") => self.quote = Some('"'),
            ("quote", "s") => self.quote = Some('\''),
            ("quote", "n") => self.quote = None,
            ("occurrence", v @ ("f" | "l" | "a")) => self.occurrence = v.chars().next().unwrap_or('a'),
            _ => {
                return Err(format!(
                    "-E {opt}: unknown option or value (header=y|n, separator=/t|/s|CHAR, quote=d|s|n, occurrence=f|l|a, aggregator=CHAR)"
                ))
            }
        }
        Ok(())
    }
}

/// What a column shows, decided once rather than per frame.
enum Column {
    Protocol,
    Info,
    /// Each datagram's payload in hex, as tshark prints `udp.payload`.
    UdpPayload,
    /// Every occurrence of the fields with these keys, in the tree's order (`-E occurrence`
    /// picks among them): one key, or an alias's members (`ip.addr`: each header's source,
    /// then its destination), as tshark lists its hidden fields.
    Fields(Keys),
    /// One part of each expert finding, in the order they were found.
    Expert(ExpertPart),
}

#[derive(Clone, Copy)]
enum ExpertPart {
    Tag,
    Severity,
    Message,
}

/// The `-e` keys of the findings' parts: ours, and tshark's name for the message.
pub const EXPERT_KEYS: [&str; 4] = ["expert.tag", "expert.severity", "expert.message", "_ws.expert.message"];

impl Column {
    fn new(key: String) -> Column {
        match key.as_str() {
            "_ws.col.protocol" | "_ws.col.Protocol" => Column::Protocol,
            "_ws.col.info" | "_ws.col.Info" => Column::Info,
            "udp.payload" => Column::UdpPayload,
            "expert.tag" => Column::Expert(ExpertPart::Tag),
            "expert.severity" => Column::Expert(ExpertPart::Severity),
            "expert.message" | "_ws.expert.message" => Column::Expert(ExpertPart::Message),
            _ => match udpdissect_filter::alias_members(&key) {
                Some(members) => Column::Fields(Keys::new(members.iter().map(|m| m.to_string()).collect())),
                None => Column::Fields(Keys::new(vec![key])),
            },
        }
    }
}

/// A column's keys, and the answer for each field description met so far: a run's frames
/// carry few distinct fields, so most questions are one address comparison.
struct Keys {
    keys: Vec<String>,
    known: Vec<(&'static FieldInfo, bool)>,
}

impl Keys {
    fn new(keys: Vec<String>) -> Keys {
        Keys { keys, known: Vec::new() }
    }

    fn reads(&mut self, info: &'static FieldInfo) -> bool {
        if let Some(&(_, read)) = self.known.iter().find(|(k, _)| std::ptr::eq(*k, info)) {
            return read;
        }
        let read = self.keys.iter().any(|k| k == info.key);
        self.known.push((info, read));
        read
    }
}

pub struct FieldsSink<W: Write> {
    w: W,
    columns: Vec<Column>,
    opts: FieldOptions,
    flush_each: bool,
    /// Lines not yet written: handed to the writer [`OUT_CHUNK`] bytes at a time.
    lines: String,
}

impl<W: Write> FieldsSink<W> {
    pub fn new(mut w: W, keys: Vec<String>, opts: FieldOptions, flush_each: bool) -> io::Result<Self> {
        if opts.header {
            writeln!(w, "{}", keys.join(&opts.separator))?;
        }
        let columns = keys.into_iter().map(Column::new).collect();
        Ok(FieldsSink { w, columns, opts, flush_each, lines: String::new() })
    }

    /// Writes the lines gathered so far.
    fn write_lines(&mut self) -> io::Result<()> {
        self.w.write_all(self.lines.as_bytes())?;
        self.lines.clear();
        Ok(())
    }
}

/// Writes the occurrences `-E occurrence` picks (first, last or all, joined by the
/// aggregator) into `cell`.
fn pick<T>(
    cell: &mut String,
    opts: &FieldOptions,
    mut items: impl Iterator<Item = T>,
    mut one: impl FnMut(&mut String, T),
) {
    match opts.occurrence {
        'f' => items.next().into_iter().for_each(|x| one(cell, x)),
        'l' => items.last().into_iter().for_each(|x| one(cell, x)),
        _ => {
            for (j, x) in items.enumerate() {
                if j > 0 {
                    cell.push_str(&opts.aggregator);
                }
                one(cell, x);
            }
        }
    }
}

impl<W: Write> Sink for FieldsSink<W> {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        let fields = v.out.fields();
        let line = &mut self.lines;
        for (i, column) in self.columns.iter_mut().enumerate() {
            if i > 0 {
                line.push_str(&self.opts.separator);
            }
            // The cell is written in place, between quotes that are taken back if it is empty.
            let start = line.len();
            if let Some(q) = self.opts.quote {
                line.push(q);
            }
            let opened = line.len();
            match column {
                Column::Protocol => line.push_str(v.out.protocol),
                Column::Info => line.push_str(&v.out.info),
                Column::UdpPayload => {
                    let payloads = udpdissect_filter::udp_payloads(v.out, v.frame.data);
                    pick(line, &self.opts, payloads, digits::push_hex);
                }
                Column::Fields(keys) => {
                    let read = fields.iter().filter(|f| keys.reads(f.info));
                    pick(line, &self.opts, read, |cell, f| {
                        value_text(cell, f, v.out.source_bytes(v.frame.data, f.source), false)
                    })
                }
                Column::Expert(part) => pick(line, &self.opts, v.out.experts().iter(), |cell, e| {
                    cell.push_str(match part {
                        ExpertPart::Tag => e.tag(),
                        ExpertPart::Severity => e.severity().name(),
                        ExpertPart::Message => &e.message,
                    })
                }),
            }
            match self.opts.quote {
                Some(_) if line.len() == opened => line.truncate(start),
                Some(q) => line.push(q),
                None => {}
            }
        }
        line.push('\n');
        if self.flush_each || line.len() >= OUT_CHUNK {
            self.write_lines()?;
        }
        if self.flush_each {
            self.w.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self, _end: &Dissection) -> io::Result<()> {
        self.write_lines()?;
        self.w.flush()
    }
}

/// A run cut short by a panic still writes the lines it had gathered, as the writer below
/// writes what it holds.
impl<W: Write> Drop for FieldsSink<W> {
    fn drop(&mut self) {
        let _ = self.write_lines();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_remembers_which_fields_it_reads() {
        use udpdissect_core::FieldKind;
        static A: FieldInfo = FieldInfo::new("t.a", "A", FieldKind::Unsigned, "");
        // Another description with the same key (two dissectors may register one).
        static A2: FieldInfo = FieldInfo::new("t.a", "A", FieldKind::Unsigned, "");
        static B: FieldInfo = FieldInfo::new("t.b", "B", FieldKind::Unsigned, "");
        static AB: FieldInfo = FieldInfo::new("t.ab", "AB", FieldKind::Unsigned, "");
        let mut keys = Keys::new(vec!["t.a".into()]);
        for _ in 0..2 {
            let read: Vec<bool> = [&A, &B, &A2, &AB].into_iter().map(|f| keys.reads(f)).collect();
            assert_eq!(read, [true, false, true, false]);
        }
        assert_eq!(keys.known.len(), 4, "each description asked about once");
        let mut both = Keys::new(vec!["t.b".into(), "t.ab".into()]);
        assert_eq!([&A, &B, &AB].map(|f| both.reads(f)), [false, true, true]);
    }

    #[test]
    fn options_parse_like_tshark() {
        let mut o = FieldOptions::default();
        for e in ["header=y", "separator=/s", "quote=d", "occurrence=f", "aggregator=;"] {
            o.set(e).unwrap();
        }
        assert_eq!(
            o,
            FieldOptions {
                header: true,
                separator: " ".into(),
                quote: Some('"'),
                occurrence: 'f',
                aggregator: ";".into()
            }
        );
        assert!(o.set("occurrence=x").is_err());
        assert!(o.set("bogus").is_err());
    }
}
