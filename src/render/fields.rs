//! `-T fields`: the `-e` columns, with tshark's `-E` options; and `-T json -e` (or ndjson),
//! the same columns as tshark writes them in JSON.

use super::{endpoints, value_text, Endpoint, FrameView, Sink, TimeFormat, OUT_CHUNK, SUMMARY_TITLES};
use crate::layers::Record;
use crate::pipeline::Times;
use std::io::{self, Write};
use udpdissect_core::{digits, Dissection, Field, FieldInfo};

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
    /// The summary line's time column, in the `-t` format.
    Time(TimeFormat),
    /// The summary line's source or destination: the IP address, else the MAC address.
    Source,
    Destination,
    /// Each datagram's payload in hex, as tshark prints `udp.payload`.
    UdpPayload,
    /// A property of the record (`frame.number`), read off it: no tree is built for it.
    Record(Record),
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
    /// The group's name (`Sequence`).
    Group,
    /// The group's number, as tshark prints `_ws.expert.group` (33554432 for Sequence).
    GroupCode,
    Message,
}

/// The `-e` keys of the findings' parts: ours, and tshark's names for the group and message.
pub const EXPERT_KEYS: [&str; 6] =
    ["expert.tag", "expert.severity", "expert.group", "expert.message", "_ws.expert.group", "_ws.expert.message"];

/// A column of the summary line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Summary {
    Number,
    Time,
    Source,
    Destination,
    Protocol,
    Length,
    Info,
}

/// The summary line's columns as `-e` keys: `_ws.col.` and tshark's name since 4.2, or 4.0's
/// (the column's title, in [`SUMMARY_TITLES`]'s order), which tshark still takes.
const SUMMARY_COLUMNS: [(&str, Summary); 7] = [
    ("_ws.col.number", Summary::Number),
    ("_ws.col.cls_time", Summary::Time),
    ("_ws.col.def_src", Summary::Source),
    ("_ws.col.def_dst", Summary::Destination),
    ("_ws.col.protocol", Summary::Protocol),
    ("_ws.col.packet_length", Summary::Length),
    ("_ws.col.info", Summary::Info),
];

fn summary_column(key: &str) -> Option<Summary> {
    let title = key.strip_prefix("_ws.col.")?;
    SUMMARY_COLUMNS.iter().zip(SUMMARY_TITLES).find(|((new, _), old)| key == *new || title == *old).map(|c| c.0 .1)
}

/// Whether `key` names a column of the summary line (by either of tshark's names).
pub fn is_summary_column(key: &str) -> bool {
    summary_column(key).is_some()
}

/// Whether `key` names a summary column read off the record and its lower layers (all but the
/// protocol and info columns): a run whose keys are these and the layers' fields need not
/// dissect.
pub fn is_layer_column(key: &str) -> bool {
    summary_column(key).is_some_and(|c| !matches!(c, Summary::Protocol | Summary::Info))
}

/// The summary line's column keys, as tshark names them since 4.2.
pub fn summary_column_keys() -> impl Iterator<Item = &'static str> {
    SUMMARY_COLUMNS.iter().map(|c| c.0)
}

impl Column {
    fn new(key: String) -> Column {
        if let Some(r) = Record::of(&key) {
            return Column::Record(r);
        }
        if let Some(c) = summary_column(&key) {
            return match c {
                Summary::Number => Column::Record(Record::Number),
                Summary::Time => Column::Time(TimeFormat::Relative),
                Summary::Source => Column::Source,
                Summary::Destination => Column::Destination,
                Summary::Protocol => Column::Protocol,
                Summary::Length => Column::Record(Record::Len),
                Summary::Info => Column::Info,
            };
        }
        match key.as_str() {
            "udp.payload" => Column::UdpPayload,
            "expert.tag" => Column::Expert(ExpertPart::Tag),
            "expert.severity" => Column::Expert(ExpertPart::Severity),
            "expert.group" => Column::Expert(ExpertPart::Group),
            "_ws.expert.group" => Column::Expert(ExpertPart::GroupCode),
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

/// How the columns are written.
enum Shape {
    /// A line per frame, the cells between separators.
    Lines,
    /// tshark's `-T json -e` record per frame: `{"_index": "packets-DATE", "_type": "doc",
    /// "_score": null, "_source": {"layers": {"KEY": ["VALUE", …], …}}}`, each value as the
    /// column's cell shows it, a key without a value left out; in one array, or one per line.
    Json { array: bool, records: u64 },
    /// tshark's `-T ek -e` document per frame, after its index line: `{"timestamp": "MS",
    /// "layers": {"KEY": ["VALUE", …], …}}`, each key's dots written `_`; with `-P`, the
    /// summary line's columns before the layers.
    Ek { summary: Option<TimeFormat> },
}

pub struct FieldsSink<W: Write> {
    w: W,
    /// The `-e` keys, the names of the JSON record's members.
    keys: Vec<String>,
    columns: Vec<Column>,
    shape: Shape,
    /// A JSON value's text before it is escaped.
    scratch: String,
    opts: FieldOptions,
    flush_each: bool,
    /// Lines not yet written: handed to the writer [`OUT_CHUNK`] bytes at a time.
    lines: String,
    /// For each field description met so far, the field columns (the first 64) that read it:
    /// one pass over a frame's fields finds the columns with nothing to show, which then skip
    /// their own pass.
    read_by: Vec<(&'static FieldInfo, u64)>,
}

impl<W: Write> FieldsSink<W> {
    pub fn new(mut w: W, keys: Vec<String>, opts: FieldOptions, flush_each: bool) -> io::Result<Self> {
        if opts.header {
            writeln!(w, "{}", keys.join(&opts.separator))?;
        }
        Ok(Self::with_shape(w, keys, opts, flush_each, Shape::Lines))
    }

    /// `-T json -e` (`array`) or `-T ndjson -e`: the columns as tshark's JSON records. Of the
    /// `-E` options only `occurrence` applies, as in tshark.
    pub fn json(w: W, keys: Vec<String>, opts: FieldOptions, array: bool, flush_each: bool) -> Self {
        let opts = FieldOptions { aggregator: ",".into(), ..opts };
        Self::with_shape(w, keys, opts, flush_each, Shape::Json { array, records: 0 })
    }

    /// `-T ek -e`: the columns as tshark's Elasticsearch documents; with `summary` (`-P`), the
    /// summary line's columns too, the time in that format. Of the `-E` options only
    /// `occurrence` applies, as in tshark.
    pub fn ek(w: W, keys: Vec<String>, opts: FieldOptions, summary: Option<TimeFormat>, flush_each: bool) -> Self {
        let opts = FieldOptions { aggregator: ",".into(), ..opts };
        let mut sink = Self::with_shape(w, keys, opts, flush_each, Shape::Ek { summary });
        // The documents' members are named as tshark names them: each dot an underscore.
        sink.keys = sink.keys.iter().map(|k| k.replace('.', "_")).collect();
        sink
    }

    /// The time column's format (`-t`; relative by default).
    pub fn time_format(mut self, format: TimeFormat) -> Self {
        for c in &mut self.columns {
            if let Column::Time(t) = c {
                *t = format;
            }
        }
        self
    }

    fn with_shape(w: W, keys: Vec<String>, opts: FieldOptions, flush_each: bool, shape: Shape) -> Self {
        let columns = keys.iter().cloned().map(Column::new).collect();
        let (lines, scratch, read_by) = (String::new(), String::new(), Vec::new());
        FieldsSink { w, keys, columns, shape, scratch, opts, flush_each, lines, read_by }
    }

    /// The field columns among the first 64 that read a field of `fields`, as bits.
    fn columns_reading(&mut self, fields: &[Field]) -> u64 {
        let mut mask = 0;
        for f in fields {
            mask |= match self.read_by.iter().find(|(k, _)| std::ptr::eq(*k, f.info)) {
                Some(&(_, m)) => m,
                None => {
                    let m = self.columns.iter_mut().take(64).enumerate().fold(0, |m, (i, c)| match c {
                        Column::Fields(keys) => m | u64::from(keys.reads(f.info)) << i,
                        _ => m,
                    });
                    self.read_by.push((f.info, m));
                    m
                }
            };
        }
        mask
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
#[inline(always)]
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

/// [`pick`], each value written as it is, or (with room for its text, `-T json -e`) as a JSON
/// string of that text.
#[inline(always)]
fn put<const JSON: bool, T>(
    cell: &mut String,
    opts: &FieldOptions,
    text: &mut String,
    items: impl Iterator<Item = T>,
    mut one: impl FnMut(&mut String, T),
) {
    if JSON {
        pick(cell, opts, items, |cell, x| {
            text.clear();
            one(text, x);
            super::json::string(cell, text);
        })
    } else {
        pick(cell, opts, items, one)
    }
}

/// [`put`] of a column that has one value: whatever `-E occurrence` asks, that value.
#[inline(always)]
fn put_one<const JSON: bool>(cell: &mut String, text: &mut String, one: impl FnOnce(&mut String)) {
    if JSON {
        text.clear();
        one(text);
        super::json::string(cell, text);
    } else {
        one(cell)
    }
}

/// Writes what column `i` shows for frame `v` into `line`. `reading` has the column's bit
/// (for the first 64) when one of the frame's fields may be the column's; `JSON` writes each
/// value as a JSON string (its text in `text` first). Inlined in each caller: the loop over the
/// columns is the hot path of `-T fields`.
#[inline(always)]
fn cell<const JSON: bool>(
    column: &mut Column,
    i: usize,
    reading: u64,
    v: &FrameView,
    opts: &FieldOptions,
    text: &mut String,
    line: &mut String,
) {
    match column {
        Column::Protocol => put_one::<JSON>(line, text, |c| c.push_str(v.out.protocol)),
        Column::Info => put_one::<JSON>(line, text, |c| c.push_str(&v.out.info)),
        Column::Time(format) if v.frame.has_ts => put_one::<JSON>(line, text, |c| {
            format.write(c, v.abs_ns, v.rel_ns, v.delta_ns, v.delta_shown_ns, v.frame.ts_digits)
        }),
        Column::Time(_) => {}
        Column::Source | Column::Destination => {
            let (src, dst) = endpoints(v.frame, v.decoded);
            let end = if matches!(column, Column::Source) { src } else { dst };
            if !matches!(end, Endpoint::None) {
                put_one::<JSON>(line, text, |c| end.push_to(c));
            }
        }
        Column::UdpPayload => {
            let payloads = udpdissect_filter::udp_payloads(v.out, v.frame.data);
            put::<JSON, _>(line, opts, text, payloads, digits::push_hex);
        }
        // The frame number as value_text writes an unsigned number, without the detour.
        Column::Record(Record::Number) => put_one::<JSON>(line, text, |c| digits::push_u64(c, v.frame.number)),
        Column::Record(r) => {
            let times = Times { abs: v.abs_ns, rel: v.rel_ns, delta: v.delta_ns };
            if let Some(value) = r.value(v.frame, times, v.delta_shown_ns) {
                let f = Field { info: r.info(), depth: 0, source: 0, offset: 0, len: 0, value, generated: true };
                put_one::<JSON>(line, text, |c| value_text(c, &f, &[], false));
            }
        }
        Column::Fields(_) if i < 64 && reading & 1 << i == 0 => {}
        Column::Fields(keys) => {
            let read = v.out.fields().iter().filter(|f| keys.reads(f.info));
            put::<JSON, _>(line, opts, text, read, |c, f| {
                value_text(c, f, v.out.source_bytes(v.frame.data, f.source), false)
            })
        }
        Column::Expert(part) => put::<JSON, _>(line, opts, text, v.out.experts().iter(), |c, e| match part {
            ExpertPart::Tag => c.push_str(e.tag()),
            ExpertPart::Severity => c.push_str(e.severity().name()),
            ExpertPart::Group => c.push_str(e.info.group.name()),
            ExpertPart::GroupCode => digits::push_u64(c, u64::from(e.info.group.code())),
            ExpertPart::Message => c.push_str(&e.message),
        }),
    }
}

impl<W: Write> FieldsSink<W> {
    /// Frame `v`'s JSON record (`-T json -e`, after the one before) or Elasticsearch document
    /// (`-T ek -e`).
    fn json_record(&mut self, v: &FrameView, reading: u64) {
        let line = &mut self.lines;
        match &mut self.shape {
            Shape::Lines => return,
            Shape::Json { array, records } => {
                if *array {
                    line.push_str(if *records == 0 { "[\n" } else { ",\n" });
                }
                *records += 1;
                line.push_str("{\"_index\":\"packets-");
                super::time::push_local_day(line, v.abs_ns);
                line.push_str("\",\"_type\":\"doc\",\"_score\":null,\"_source\":{\"layers\":{");
            }
            Shape::Ek { summary } => {
                super::ek::open(line, v.abs_ns);
                if let Some(time) = *summary {
                    super::ek::summary_columns(line, &mut self.scratch, v, time);
                }
                line.push_str(",\"layers\":{");
            }
        }
        let text = &mut self.scratch;
        let mut members = 0;
        for (i, (column, key)) in self.columns.iter_mut().zip(&self.keys).enumerate() {
            let start = line.len();
            if members > 0 {
                line.push(',');
            }
            super::json::string(line, key);
            line.push_str(":[");
            let opened = line.len();
            cell::<true>(column, i, reading, v, &self.opts, text, line);
            if line.len() == opened {
                line.truncate(start);
            } else {
                line.push(']');
                members += 1;
            }
        }
        match self.shape {
            Shape::Json { array: false, .. } => line.push_str("}}}\n"),
            Shape::Json { .. } => line.push_str("}}}"),
            _ => line.push_str("}}\n"),
        }
    }
}

impl<W: Write> Sink for FieldsSink<W> {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        let reading = self.columns_reading(v.out.fields());
        if !matches!(self.shape, Shape::Lines) {
            self.json_record(v, reading);
        } else {
            let line = &mut self.lines;
            for (i, column) in self.columns.iter_mut().enumerate() {
                if i > 0 {
                    // One byte (a tab) pushed as such: a copy of a string is a call.
                    match self.opts.separator.as_bytes() {
                        &[b] => line.push(char::from(b)),
                        _ => line.push_str(&self.opts.separator),
                    }
                }
                // The cell is written in place, between quotes that are taken back if it is empty.
                let start = line.len();
                if let Some(q) = self.opts.quote {
                    line.push(q);
                }
                let opened = line.len();
                cell::<false>(column, i, reading, v, &self.opts, &mut self.scratch, line);
                match self.opts.quote {
                    Some(_) if line.len() == opened => line.truncate(start),
                    Some(q) => line.push(q),
                    None => {}
                }
            }
            line.push('\n');
        }
        if self.flush_each || self.lines.len() >= OUT_CHUNK {
            self.write_lines()?;
        }
        if self.flush_each {
            self.w.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self, _end: &Dissection) -> io::Result<()> {
        if let Shape::Json { array: true, records } = self.shape {
            self.lines.push_str(if records == 0 { "[]\n" } else { "\n]\n" });
        }
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

    /// The record's fields read off the record give the cells the frame's subtree gives, for
    /// records with and without times, interfaces, a description and a section.
    #[test]
    fn record_columns_read_the_record_as_the_tree_holds_it() {
        use udpdissect_capture::{linktype, Decoded, Frame, Timestamp};
        let data = [0u8; 60];
        let plain =
            Frame { orig_len: 1514, ..Frame::captured(7, Timestamp { secs: 1_700_000_000, nanos: 5 }, &data, 1) };
        let untimed = Frame { has_ts: false, ..plain };
        let iface = Frame {
            interface_id: Some(2),
            interface_name: Some("eth1"),
            interface_description: Some("uplink"),
            section: 3,
            link_type: linktype::RAW,
            ..plain
        };
        let unnamed = Frame { interface_id: Some(0), ..plain };
        // A packet block's options, big-endian: flags (outbound, broadcast, FCS 4, a symbol
        // error), a drop count, a packet id, a queue.
        let mut options = Vec::new();
        for (code, value) in [
            (2u16, &0x8000_008e_u32.to_be_bytes()[..]),
            (4, &3u64.to_be_bytes()),
            (5, &9u64.to_be_bytes()),
            (6, &1u32.to_be_bytes()),
        ] {
            options.extend_from_slice(&code.to_be_bytes());
            options.extend_from_slice(&(value.len() as u16).to_be_bytes());
            options.extend_from_slice(value);
        }
        let flagged = Frame { options: udpdissect_capture::Options { bytes: &options, big_endian: true }, ..unnamed };
        let keys: Vec<String> = Record::ALL.iter().map(|r| r.info().key.to_string()).collect();
        let times = Times { abs: plain.ts.as_nanos(), rel: 1_250_000_000, delta: 40 };
        let mut lines = Vec::new();
        for frame in [&plain, &untimed, &iface, &unnamed, &flagged] {
            let decoded = Decoded::undecoded(frame);
            let mut out = Dissection::new(true);
            crate::layers::add_fields(frame, &decoded, times, 0, Default::default(), &mut out);
            crate::layers::fill_frame_fields(frame, &decoded, 900, &mut out);
            let view = FrameView {
                frame,
                decoded: &decoded,
                out: &out,
                abs_ns: times.abs,
                rel_ns: times.rel,
                delta_ns: times.delta,
                delta_shown_ns: 900,
            };
            let mut by_record = FieldsSink::new(Vec::new(), keys.clone(), FieldOptions::default(), false).unwrap();
            assert!(by_record.columns.iter().all(|c| matches!(c, Column::Record(_))));
            let mut by_tree = FieldsSink::new(Vec::new(), Vec::new(), FieldOptions::default(), false).unwrap();
            by_tree.columns = keys.iter().map(|k| Column::Fields(Keys::new(vec![k.clone()]))).collect();
            by_record.frame(&view).unwrap();
            by_tree.frame(&view).unwrap();
            assert_eq!(by_record.lines, by_tree.lines);
            lines.push(by_record.lines.clone());
        }
        let cells = |l: &str| l.trim_end_matches('\n').split('\t').map(str::to_string).collect::<Vec<_>>();
        let plain = cells(&lines[0]);
        assert_eq!(plain.len(), Record::ALL.len());
        assert_eq!(
            [&plain[0], &plain[2], &plain[3], &plain[4], &plain[5], &plain[6], &plain[7], &plain[8], &plain[9]],
            ["7", "1700000000.000000005", "0.000000040", "0.000000900", "1.250000000", "1514", "60", "", ""]
        );
        let at = |key: &str| keys.iter().position(|k| k == key).unwrap();
        assert_eq!(plain[at("frame.link_type")], "1");
        assert_eq!(cells(&lines[1])[..8], ["7", "", "", "", "", "", "1514", "60"], "no times without a timestamp");
        assert_eq!(cells(&lines[2])[8..12], ["3", "2", "eth1", "uplink"]);
        assert_eq!(cells(&lines[3])[8..12], ["", "0", "unknown", ""]);
        // The packet block's options, as tshark writes them.
        let flagged = cells(&lines[4]);
        assert!(cells(&lines[3])[at("frame.interface_queue")..].iter().all(|c| c.is_empty() || c == "1"));
        let options = [
            ("frame.interface_queue", "1"),
            ("frame.packet_flags", "0x8000008e"),
            ("frame.packet_flags_direction", "0x00000002"),
            ("frame.packet_flags_reception_type", "3"),
            ("frame.packet_flags_fcs_length", "4"),
            ("frame.packet_flags_crc_error", "0"),
            ("frame.packet_flags_symbol_error", "1"),
            ("frame.packet_id", "9"),
            ("frame.drop_count", "3"),
            ("frame.p2p_dir", "0"),
        ];
        for (key, cell) in options {
            assert_eq!(flagged[at(key)], cell, "{key}");
        }
    }

    /// A one-byte separator is pushed as a byte, any other as a string: both come out whole.
    #[test]
    fn separators_of_one_byte_and_of_several() {
        use udpdissect_capture::{Decoded, Frame, Timestamp};
        let data = [0u8; 60];
        let frame = Frame::captured(7, Timestamp { secs: 1, nanos: 0 }, &data, 1);
        let decoded = Decoded::undecoded(&frame);
        let out = Dissection::new(true);
        let view = FrameView::at_zero(&frame, &decoded, &out);
        for (sep, line) in [("\t", "7\t60\t60\n"), (";", "7;60;60\n"), ("→", "7→60→60\n"), ("::", "7::60::60\n")]
        {
            let opts = FieldOptions { separator: sep.into(), ..FieldOptions::default() };
            let keys = ["frame.number", "frame.len", "frame.cap_len"].map(String::from).to_vec();
            let mut sink = FieldsSink::new(Vec::new(), keys, opts, false).unwrap();
            sink.frame(&view).unwrap();
            assert_eq!(sink.lines, line);
        }
    }

    /// Columns with nothing to show skip their pass over the fields: every cell is still the
    /// one the pass gives, past the 64 columns the sink keeps track of too, frame after frame.
    #[test]
    fn columns_without_a_field_in_the_frame_stay_empty_and_the_others_fill() {
        use udpdissect_capture::{Decoded, Frame, Timestamp};
        use udpdissect_core::{FieldKind, Value};
        static A: FieldInfo = FieldInfo::new("t.a", "A", FieldKind::Unsigned, "");
        static B: FieldInfo = FieldInfo::new("t.b", "B", FieldKind::Unsigned, "");
        let data = [0u8; 60];
        let frame = Frame::captured(7, Timestamp { secs: 1, nanos: 0 }, &data, 1);
        let decoded = Decoded::undecoded(&frame);
        let mut full = Dissection::new(true);
        full.add(&A, 0, 1, Value::Unsigned(1));
        full.add(&B, 1, 1, Value::Unsigned(2));
        full.add(&A, 2, 1, Value::Unsigned(3));
        let mut only_a = Dissection::new(true);
        only_a.add(&A, 0, 1, Value::Unsigned(1));
        only_a.add(&A, 2, 1, Value::Unsigned(3));
        let mut only_b = Dissection::new(true);
        only_b.add(&B, 1, 1, Value::Unsigned(2));
        let empty = Dissection::new(true);
        let kinds = ["t.a", "t.b", "t.c", "frame.number", "t.b"];
        let keys: Vec<String> = (0..70).map(|i| kinds[i % kinds.len()].to_string()).collect();
        for (occurrence, a) in [('a', "1,3"), ('f', "1"), ('l', "3")] {
            let opts = FieldOptions { occurrence, ..FieldOptions::default() };
            let mut sink = FieldsSink::new(Vec::new(), keys.clone(), opts, false).unwrap();
            for out in [&full, &only_b, &empty, &only_a, &full] {
                sink.lines.clear();
                sink.frame(&FrameView::at_zero(&frame, &decoded, out)).unwrap();
                let cells: Vec<&str> = sink.lines.trim_end_matches('\n').split('\t').collect();
                assert_eq!(cells.len(), 70);
                for (i, cell) in cells.iter().enumerate() {
                    let has = |info: &FieldInfo| out.fields().iter().any(|f| std::ptr::eq(f.info, info));
                    let expected = match kinds[i % kinds.len()] {
                        "frame.number" => "7",
                        "t.a" if has(&A) => a,
                        "t.b" if has(&B) => "2",
                        _ => "",
                    };
                    assert_eq!(*cell, expected, "column {i}, occurrence {occurrence}");
                }
            }
        }
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
