//! `-T pdml`: tshark's Packet Details Markup Language, the whole tree of every frame in XML
//! (what pyshark reads by default). docs/json.md has the format and where it differs from
//! tshark's.

use super::ek::{is_protocol, owner, severity_code, subtree_end};
use super::xml::push_escaped;
use super::{
    digits, field_bytes, push_colon_hex, push_label, time, value_text, Aliases, FrameView, ProtocolFilter, Sink,
    OUT_CHUNK,
};
use std::io::{self, Write};
use udpdissect_core::{Dissection, Expert, Field, FieldKind, Severity, Value};

pub struct PdmlSink<W: Write> {
    w: W,
    flush_each: bool,
    /// `-J` or `-j`.
    filter: ProtocolFilter,
    s: String,
    /// A label or value before it is escaped.
    text: String,
    aliases: Aliases,
}

impl<W: Write> PdmlSink<W> {
    /// Writes the preamble at once, as tshark does before the first packet: the document's
    /// creator, when it was written and the capture it reads (`capture_file`, as given).
    pub fn new(mut w: W, capture_file: &str, flush_each: bool) -> io::Result<Self> {
        let mut s = String::from(concat!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
            "<?xml-stylesheet type=\"text/xsl\" href=\"pdml2html.xsl\"?>\n",
            "<!-- You can find pdml2html.xsl in /usr/share/wireshark or at ",
            "https://gitlab.com/wireshark/wireshark/-/raw/master/pdml2html.xsl. -->\n",
            "<pdml version=\"0\" creator=\"udpdissect/",
            env!("CARGO_PKG_VERSION"),
            "\" time=\""
        ));
        time::push_now_ctime(&mut s);
        s.push_str("\" capture_file=\"");
        push_escaped(&mut s, capture_file);
        s.push_str("\">\n");
        w.write_all(s.as_bytes())?;
        Ok(PdmlSink {
            w,
            flush_each,
            filter: ProtocolFilter::default(),
            s: String::with_capacity(16 * 1024),
            text: String::new(),
            aliases: Aliases::default(),
        })
    }

    /// `-J` or `-j`.
    pub fn filter(mut self, filter: ProtocolFilter) -> Self {
        self.filter = filter;
        self
    }

    /// Hands the packets gathered to the writer once they fill a block (or each packet, with
    /// `-l`): one write per block rather than a copy into the writer's buffer per packet.
    fn emit(&mut self) -> io::Result<()> {
        if self.flush_each || self.s.len() >= OUT_CHUNK {
            self.w.write_all(self.s.as_bytes())?;
            self.s.clear();
            if self.flush_each {
                self.w.flush()?;
            }
        }
        Ok(())
    }
}

impl<W: Write> Drop for PdmlSink<W> {
    /// A run that stops early (an error, a broken pipe) still writes the packets gathered.
    fn drop(&mut self) {
        let _ = self.w.write_all(self.s.as_bytes());
    }
}

fn indent(s: &mut String, level: usize) {
    for _ in 0..level {
        s.push_str("  ");
    }
}

/// ` NAME="VALUE"`, the value escaped.
fn attr(s: &mut String, name: &str, value: &str) {
    attr_text(s, name, value, true);
}

/// ` NAME="VALUE"`, the value escaped when it may hold XML's special characters: text the
/// dissectors composed does; numbers, addresses, hex and keys never do, and long hex is most
/// of a document.
fn attr_text(s: &mut String, name: &str, value: &str, may_hold_specials: bool) {
    s.push(' ');
    s.push_str(name);
    s.push_str("=\"");
    if may_hold_specials {
        push_escaped(s, value);
    } else {
        s.push_str(value);
    }
    s.push('"');
}

/// Whether a field's value as text may hold XML's special characters: strings and the names of
/// enumerated values may; numbers, addresses, times and bytes in hex never do.
fn text_valued(f: &Field) -> bool {
    matches!(f.value, Value::String(_) | Value::Enum { .. })
}

/// ` NAME="N"`.
fn attr_u64(s: &mut String, name: &str, n: u64) {
    s.push(' ');
    s.push_str(name);
    s.push_str("=\"");
    digits::push_u64(s, n);
    s.push('"');
}

/// What a node whose subtree `-J` or `-j` leaves out holds instead.
fn filtered(s: &mut String, level: usize, key: &str) {
    indent(s, level);
    s.push_str("<field name=\"filtered\" value=\"");
    push_escaped(s, key);
    s.push_str("\" />\n");
}

/// The severity as Wireshark names it in an expert info's label.
fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Note => "Note",
        Severity::Warn => "Warning",
        Severity::Error => "Error",
    }
}

/// tshark's general information about a frame, first in every packet (pyshark reads the
/// frame's number, lengths and time from it).
fn geninfo(s: &mut String, v: &FrameView) {
    let caplen = v.frame.data.len() as u64;
    s.push_str("  <proto name=\"geninfo\" pos=\"0\" showname=\"General information\"");
    attr_u64(s, "size", caplen);
    s.push_str(">\n");
    let numbers = [("num", "Number", v.frame.number), ("len", "Frame Length", v.frame.orig_len.into())];
    for (name, label, n) in numbers.into_iter().chain([("caplen", "Captured Length", caplen)]) {
        s.push_str("    <field name=\"");
        s.push_str(name);
        s.push_str("\" pos=\"0\"");
        attr_u64(s, "show", n);
        s.push_str(" showname=\"");
        s.push_str(label);
        s.push_str("\" value=\"");
        digits::push_hex_digits(s, n, 1);
        s.push('"');
        attr_u64(s, "size", caplen);
        s.push_str("/>\n");
    }
    s.push_str("    <field name=\"timestamp\" pos=\"0\" show=\"");
    time::push_date(s, v.abs_ns, false);
    s.push_str("\" showname=\"Captured Time\" value=\"");
    digits::push_seconds(s, v.abs_ns, 9);
    s.push('"');
    attr_u64(s, "size", caplen);
    s.push_str("/>\n  </proto>\n");
}

/// Writes one frame's tree.
struct Tree<'a, 'v> {
    s: &'a mut String,
    text: &'a mut String,
    aliases: &'a mut Aliases,
    v: &'a FrameView<'v>,
}

impl Tree<'_, '_> {
    /// ` show="…" value="…"`: the value as `-T fields` prints it (bytes joined by `:`), then
    /// the bytes it was read from in hex. A node without a value has both empty, as tshark's.
    fn show_and_value(&mut self, i: usize) {
        let f = &self.v.out.fields()[i];
        if f.info.kind == FieldKind::None {
            self.s.push_str(" show=\"\" value=\"\"");
            return;
        }
        self.s.push_str(" show=\"");
        match &f.value {
            Value::Bytes => push_colon_hex(self.s, field_bytes(self.v, f).unwrap_or_default()),
            Value::String(t) => push_escaped(self.s, t),
            _ => value_text(self.s, f, self.v.out.source_bytes(self.v.frame.data, f.source), false),
        }
        self.s.push('"');
        if let Some(bytes) = field_bytes(self.v, f) {
            self.s.push_str(" value=\"");
            digits::push_hex(self.s, bytes);
            self.s.push('"');
        }
    }

    /// The node at `i` and its subtree at `level`, then `experts` as the last of its children;
    /// returns where the subtree ends. `filter` holds the names that still apply (`-J` stops
    /// applying below a protocol it names, `-j` never).
    fn node(&mut self, i: usize, level: usize, filter: Option<&ProtocolFilter>, experts: &[&Expert]) -> usize {
        let fields = self.v.out.fields();
        let f = &fields[i];
        let end = subtree_end(fields, i);
        let children = end > i + 1 || !experts.is_empty();
        let proto = is_protocol(f.info.key);
        indent(self.s, level);
        self.s.push_str(if proto { "<proto" } else { "<field" });
        // Keys are dotted names that never need escaping (a test in json.rs checks every one).
        attr_text(self.s, "name", f.info.key, false);
        let bytes = self.v.out.source_bytes(self.v.frame.data, f.source);
        self.s.push_str(" showname=\"");
        if text_valued(f) || f.info.name.contains(['&', '<', '>', '"', '\'']) {
            self.text.clear();
            push_label(self.text, f, bytes);
            push_escaped(self.s, self.text);
        } else {
            push_label(self.s, f, bytes);
        }
        self.s.push('"');
        attr_u64(self.s, "size", f.len.into());
        attr_u64(self.s, "pos", f.offset.into());
        if !proto {
            self.show_and_value(i);
        }
        self.s.push_str(if children { ">\n" } else { "/>\n" });
        // An alias (`ip.addr`) is a hidden field beside its member, as tshark writes it.
        if let Some(alias) = self.aliases.of(f.info) {
            self.alias(i, alias, level + usize::from(children));
        }
        if children {
            match filter {
                Some(names) if !names.names(f.info.key) => filtered(self.s, level + 1, f.info.key),
                _ => {
                    let inner = filter.filter(|names| !names.children);
                    let mut at = i + 1;
                    while at < end {
                        at = self.node(at, level + 1, inner, &[]);
                    }
                    for e in experts {
                        finding(self.s, level + 1, e, inner);
                    }
                }
            }
            indent(self.s, level);
            self.s.push_str(if proto { "</proto>\n" } else { "</field>\n" });
        }
        end
    }

    /// The hidden field `alias` holding the value of its member at `i`.
    fn alias(&mut self, i: usize, alias: &str, level: usize) {
        let f = &self.v.out.fields()[i];
        indent(self.s, level);
        self.s.push_str("<field");
        attr_text(self.s, "name", alias, false);
        self.text.clear();
        self.text.push_str(match alias {
            "eth.addr" => "Address: ",
            "ip.version" => "Version: ",
            a if a.ends_with(".port") => "Source or Destination Port: ",
            _ => "Source or Destination Address: ",
        });
        value_text(self.text, f, self.v.out.source_bytes(self.v.frame.data, f.source), true);
        attr_text(self.s, "showname", self.text, false);
        self.s.push_str(" hide=\"yes\"");
        attr_u64(self.s, "size", f.len.into());
        attr_u64(self.s, "pos", f.offset.into());
        self.show_and_value(i);
        self.s.push_str("/>\n");
    }

    /// The run of top-level `data.*` fields from `from` to `end` (undissected payload), as
    /// tshark writes its data protocol: a `data` field holding the bytes in hex, in a wrapper
    /// protocol.
    fn data(&mut self, from: usize, end: usize, filter: Option<&ProtocolFilter>, experts: &[&Expert]) {
        self.s.push_str("  <proto name=\"fake-field-wrapper\">\n    <field name=\"data\" value=\"");
        digits::push_hex(self.s, field_bytes(self.v, &self.v.out.fields()[from]).unwrap_or_default());
        self.s.push_str("\">\n");
        match filter {
            Some(names) if !names.names("data") => filtered(self.s, 3, "data"),
            _ => {
                let inner = filter.filter(|names| !names.children);
                let mut at = from;
                while at < end {
                    at = self.node(at, 3, inner, &[]);
                }
                for e in experts {
                    finding(self.s, 3, e, inner);
                }
            }
        }
        // tshark closes the data field at the wrapper's indentation.
        self.s.push_str("  </field>\n  </proto>\n");
    }
}

/// A finding as tshark's `_ws.expert` node: the tag as a field of its own (as Wireshark names
/// its expert infos), the message and tshark's numbers for the severity and the group.
fn finding(s: &mut String, level: usize, e: &Expert, filter: Option<&ProtocolFilter>) {
    let severity = severity_name(e.severity());
    indent(s, level);
    let group = e.info.group;
    s.push_str("<field name=\"_ws.expert\" showname=\"Expert Info (");
    s.push_str(severity);
    s.push('/');
    s.push_str(group.name());
    s.push_str("): ");
    push_escaped(s, &e.message);
    s.push_str("\" size=\"0\"");
    attr_u64(s, "pos", e.at.map_or(0, |(_, offset, _)| offset.into()));
    s.push_str(">\n");
    if filter.is_some_and(|names| !names.names("_ws.expert")) {
        filtered(s, level + 1, "_ws.expert");
    } else {
        indent(s, level + 1);
        s.push_str("<field");
        attr(s, "name", e.tag());
        attr(s, "showname", &e.message);
        s.push_str(" size=\"0\" pos=\"0\" show=\"\" value=\"\"/>\n");
        indent(s, level + 1);
        s.push_str("<field name=\"_ws.expert.message\" showname=\"Message: ");
        push_escaped(s, &e.message);
        s.push_str("\" hide=\"yes\" size=\"0\" pos=\"0\"");
        attr(s, "show", &e.message);
        s.push_str("/>\n");
        indent(s, level + 1);
        s.push_str("<field name=\"_ws.expert.severity\" showname=\"Severity level: ");
        s.push_str(severity);
        s.push_str("\" size=\"0\" pos=\"0\" show=\"");
        s.push_str(severity_code(e.severity()));
        s.push_str("\"/>\n");
        indent(s, level + 1);
        s.push_str("<field name=\"_ws.expert.group\" showname=\"Group: ");
        s.push_str(group.name());
        s.push_str("\" size=\"0\" pos=\"0\"");
        attr_u64(s, "show", group.code().into());
        s.push_str("/>\n");
    }
    indent(s, level);
    s.push_str("</field>\n");
}

impl<W: Write> Sink for PdmlSink<W> {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        self.s.push_str("<packet>\n");
        geninfo(&mut self.s, v);
        let fields = v.out.fields();
        let tops: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].depth == 0).collect();
        let owners: Vec<Option<usize>> = v.out.experts().iter().map(|e| owner(v, &tops, e)).collect();
        // The findings the top-level nodes from `from` to `end` own.
        let owned = |from: usize, end: usize| -> Vec<&Expert> {
            let all = v.out.experts().iter().zip(&owners);
            all.filter(|(_, o)| o.is_some_and(|o| (from..end).contains(&o))).map(|(e, _)| e).collect()
        };
        let filter = Some(&self.filter).filter(|f| !f.names.is_empty());
        let mut tree = Tree { s: &mut self.s, text: &mut self.text, aliases: &mut self.aliases, v };
        let mut at = 0;
        while at < fields.len() {
            let key = fields[at].info.key;
            if key.starts_with("data.") {
                let end =
                    (at..fields.len()).find(|&i| !fields[i].info.key.starts_with("data.")).unwrap_or(fields.len());
                tree.data(at, end, filter, &owned(at, end));
                at = end;
            } else if is_protocol(key) {
                at = tree.node(at, 1, filter, &owned(at, at + 1));
            } else {
                // Other fields outside any protocol are wrapped in one, as tshark wraps them.
                tree.s.push_str("  <proto name=\"fake-field-wrapper\">\n");
                let end = tree.node(at, 2, filter, &owned(at, at + 1));
                tree.s.push_str("  </proto>\n");
                at = end;
            }
        }
        // A frame whose tree is empty still shows its findings.
        if tops.is_empty() && !v.out.experts().is_empty() {
            self.s.push_str("  <proto name=\"fake-field-wrapper\">\n");
            for e in v.out.experts() {
                finding(&mut self.s, 2, e, filter);
            }
            self.s.push_str("  </proto>\n");
        }
        self.s.push_str("</packet>\n\n\n");
        self.emit()
    }

    /// Findings only the end of the capture reveals follow the last packet, in an element of
    /// their own that PDML readers pass over.
    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        if !end.experts().is_empty() {
            self.s.push_str("<end_of_capture>\n");
            for e in end.experts() {
                finding(&mut self.s, 1, e, None);
            }
            self.s.push_str("</end_of_capture>\n");
        }
        self.s.push_str("</pdml>\n");
        self.w.write_all(self.s.as_bytes())?;
        self.s.clear();
        self.w.flush()
    }
}
