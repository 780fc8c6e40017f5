//! Output sinks: each renders a dissected frame one way. Only the CLI prints.

pub(crate) use udpdissect_core::digits;
mod ek;
mod fields;
pub(crate) mod json;
mod line;
mod pdml;
mod psml;
mod save;
mod text;
mod threaded;
pub(crate) mod time;
pub(crate) mod xml;

pub use ek::EkSink;
pub use fields::{is_layer_column, is_summary_column, summary_column_keys, FieldOptions, FieldsSink, EXPERT_KEYS};
pub use json::JsonSink;
pub use pdml::PdmlSink;
pub use psml::PsmlSink;
pub use save::SaveSink;
pub use text::TextSink;
pub use threaded::{Shared, Threaded};
pub(crate) use threaded::{BATCH_BYTES, BATCH_FIELDS, BATCH_FRAMES, IN_FLIGHT};
pub use time::TimeFormat;

use std::fmt::Write as _;
use std::io;
use std::net::IpAddr;
use udpdissect_capture::{Decoded, Frame, Interface, Link, Net};
use udpdissect_core::{Dissection, Field, FieldInfo, FieldKind, MacText, Value};

/// Lines a sink gathers before handing them to its writer (unless each line is flushed): one
/// write per block rather than a copy into the writer's buffer per line.
pub(crate) const OUT_CHUNK: usize = 64 * 1024;

/// One frame as the sinks see it.
pub struct FrameView<'a> {
    pub frame: &'a Frame<'a>,
    pub decoded: &'a Decoded<'a>,
    pub out: &'a Dissection,
    /// Capture time, nanoseconds since the epoch.
    pub abs_ns: i64,
    /// Nanoseconds since the first frame.
    pub rel_ns: i64,
    /// Nanoseconds since the previous frame.
    pub delta_ns: i64,
    /// Nanoseconds since the previous frame shown (after `-Y`).
    pub delta_shown_ns: i64,
}

#[cfg(test)]
impl<'a> FrameView<'a> {
    /// A view with every time zero, for tests.
    pub(crate) fn at_zero(frame: &'a Frame<'a>, decoded: &'a Decoded<'a>, out: &'a Dissection) -> Self {
        FrameView { frame, decoded, out, abs_ns: 0, rel_ns: 0, delta_ns: 0, delta_shown_ns: 0 }
    }
}

pub trait Sink {
    fn frame(&mut self, view: &FrameView) -> io::Result<()>;
    /// A frame the display filter hid (it still moved capture time and IP reassembly on).
    fn hidden(&mut self, _frame: &Frame, _decoded: &Decoded) -> io::Result<()> {
        Ok(())
    }
    /// Just before [`Sink::finish`]: the capture's interfaces as the end of the file left
    /// them, with their last statistics blocks (which capture tools write at the end).
    fn interfaces(&mut self, _interfaces: &[Interface]) {}
    /// After the last frame: findings only the end of the capture reveals.
    fn finish(&mut self, end: &Dissection) -> io::Result<()>;
    /// Whether [`Sink::prefetch`] does anything: a run that has the next frames at hand asks
    /// it for them only then.
    fn looks_ahead(&self) -> bool {
        false
    }
    /// A frame that comes soon, by its link type and packet bytes: a hint to start loading
    /// what counting it will read.
    fn prefetch(&self, _link_type: u16, _data: &[u8]) {}
}

/// Hands every frame to two sinks (frames and statistics).
pub struct Tee<'a>(pub &'a mut dyn Sink, pub &'a mut dyn Sink);

impl Sink for Tee<'_> {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        self.0.frame(v)?;
        self.1.frame(v)
    }
    fn hidden(&mut self, frame: &Frame, decoded: &Decoded) -> io::Result<()> {
        self.0.hidden(frame, decoded)?;
        self.1.hidden(frame, decoded)
    }
    fn interfaces(&mut self, interfaces: &[Interface]) {
        self.0.interfaces(interfaces);
        self.1.interfaces(interfaces);
    }
    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        self.0.finish(end)?;
        self.1.finish(end)
    }
    fn looks_ahead(&self) -> bool {
        self.0.looks_ahead() || self.1.looks_ahead()
    }
    fn prefetch(&self, link_type: u16, data: &[u8]) {
        self.0.prefetch(link_type, data);
        self.1.prefetch(link_type, data);
    }
}

/// Prints nothing (`-q`).
pub struct Discard;

impl Sink for Discard {
    fn frame(&mut self, _: &FrameView) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _: &Dissection) -> io::Result<()> {
        Ok(())
    }
}

/// `-J` or `-j`: which protocols and fields an ek document or PDML packet shows in full.
#[derive(Debug, Clone, Default)]
pub struct ProtocolFilter {
    /// The names given; none shows everything.
    pub names: Vec<String>,
    /// `-J`: a named protocol shows its whole subtree. `-j`: the names apply below it too, as
    /// each of tshark's outputs applies them (ek documents keep the named fields alone; PDML
    /// keeps a named node's fields and leaves out the subtrees of those not named).
    pub children: bool,
}

impl ProtocolFilter {
    pub(crate) fn names(&self, key: &str) -> bool {
        self.names.iter().any(|n| n == key)
    }
}

/// The summary line's column titles, as tshark's default columns name them.
pub(crate) const SUMMARY_TITLES: [&str; 7] = ["No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"];

/// The summary line's columns of frame `v`, each as its title ([`SUMMARY_TITLES`]) and its
/// text (composed in `text`), in order: for the outputs that write them one by one (`-T psml`,
/// `-T ek -P`).
pub(crate) fn summary_cells(
    v: &FrameView,
    time: TimeFormat,
    text: &mut String,
    mut cell: impl FnMut(&'static str, &str),
) {
    let [number, time_title, source, destination, protocol, length, info] = SUMMARY_TITLES;
    text.clear();
    digits::push_u64(text, v.frame.number);
    cell(number, text);
    text.clear();
    if v.frame.has_ts {
        time.write(text, v.abs_ns, v.rel_ns, v.delta_ns, v.delta_shown_ns, v.frame.ts_digits);
    }
    cell(time_title, text);
    let (src, dst) = endpoints(v.frame, v.decoded);
    for (title, end) in [(source, src), (destination, dst)] {
        text.clear();
        end.push_to(text);
        cell(title, text);
    }
    cell(protocol, v.out.protocol);
    text.clear();
    digits::push_u64(text, u64::from(v.frame.orig_len));
    cell(length, text);
    cell(info, &v.out.info);
}

/// Source and destination columns: IP addresses, else MAC addresses, else nothing.
pub enum Endpoint {
    Ip(IpAddr),
    Mac([u8; 6]),
    None,
}

impl Endpoint {
    /// Appends the column text (the summary's hot path: no `fmt` machinery for IPv4).
    pub fn push_to(&self, s: &mut String) {
        match self {
            Endpoint::Ip(ip) => digits::push_ip(s, *ip),
            Endpoint::Mac(m) => {
                let _ = write!(s, "{}", MacText(m));
            }
            Endpoint::None => {}
        }
    }
}

/// The frame's source and destination as its summary line shows them. Inlined: returned
/// through memory, the two were stored in pieces and loaded back in words, and the loads
/// waited for the stores (an eighth of the summary line's time).
#[inline]
pub fn endpoints(frame: &Frame, d: &Decoded) -> (Endpoint, Endpoint) {
    match (d.net, d.link) {
        (Net::Ipv4(ip), _) => (Endpoint::Ip(ip.src.into()), Endpoint::Ip(ip.dst.into())),
        (Net::Ipv6(ip), _) => (Endpoint::Ip(ip.src.into()), Endpoint::Ip(ip.dst.into())),
        // A cut IP header: the addresses whose bytes were captured, as tshark shows them; in
        // place of one that was not, the Ethernet header's (tshark's column keeps the link's
        // address until the IP header's replaces it).
        (Net::Cut { offset, version }, link) => {
            let (at, n) = if version == 6 { (8, 16) } else { (12, 4) };
            let mac = |i: usize| match link {
                Link::Ethernet(e) if frame.data.len() >= 12 => Endpoint::Mac(if i == 0 { e.src } else { e.dst }),
                _ => Endpoint::None,
            };
            let addr = |i: usize| {
                let start = offset + at + i * n;
                frame.data.get(start..start + n).and_then(crate::layers::ip_from).map_or_else(|| mac(i), Endpoint::Ip)
            };
            (addr(0), addr(1))
        }
        // Only addresses whose bytes were captured (a record may hold none).
        (_, Link::Ethernet(e)) if frame.data.len() >= 12 => (Endpoint::Mac(e.src), Endpoint::Mac(e.dst)),
        _ => (Endpoint::None, Endpoint::None),
    }
}

/// A node's line in the tree without its position: its name, then its value as the tree shows
/// it (`Source Port: 3335`), or a node's text after its name (`Ethernet II, Src: …`, and
/// tshark's `Frame 7: …`).
pub(crate) fn push_label(s: &mut String, f: &Field, bytes: &[u8]) {
    s.push_str(f.info.name);
    match &f.value {
        Value::String(t) if f.info.kind == FieldKind::None => {
            s.push_str(if f.info.key == "frame" { " " } else { ", " });
            s.push_str(t);
        }
        Value::None => {}
        _ => {
            s.push_str(": ");
            value_text(s, f, bytes, true);
        }
    }
}

/// The bytes a field covers, where it covers any (a generated field's too: they point at what
/// it was computed from).
pub(crate) fn field_bytes<'a>(v: &FrameView<'a>, f: &Field) -> Option<&'a [u8]> {
    let bytes = v.out.source_bytes(v.frame.data, f.source);
    bytes.get(f.offset as usize..(f.offset as usize).checked_add(f.len as usize)?).filter(|b| !b.is_empty())
}

/// Bytes in hex joined by `:`, as tshark shows bytes in its documents: `0a:1f`.
pub(crate) fn push_colon_hex(s: &mut String, bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        digits::push_hex(s, &[*b]);
    }
}

/// Whether `key` may be an alias's member: every member is an address, a port or a version (a
/// test checks), so the other keys are passed without a lookup.
fn may_be_member(key: &str) -> bool {
    ["src", "dst", "port", "version"].iter().any(|end| key.ends_with(end))
}

/// The alias a field is a member of (`ip.src`: `ip.addr`), as tshark writes its hidden fields
/// beside it; looked up once per field description (by address: the registry's are static).
#[derive(Default)]
pub(crate) struct Aliases(rustc_hash::FxHashMap<usize, Option<&'static str>>);

impl Aliases {
    pub(crate) fn of(&mut self, info: &'static FieldInfo) -> Option<&'static str> {
        let key = info.key;
        if !may_be_member(key) {
            return None;
        }
        // An alias of its own key (ip.version, widened to IPv6's copy) is the field itself.
        *self.0.entry(std::ptr::from_ref(info) as usize).or_insert_with(|| {
            udpdissect_filter::aliases().find(|(a, m)| *a != key && m.contains(&key)).map(|(a, _)| a)
        })
    }
}

/// An enumerated field's number: in hex for a [`FieldKind::HexEnum`], as wide as its bytes.
fn enum_number(s: &mut String, field: &Field, value: u64) {
    if field.info.kind == FieldKind::HexEnum {
        digits::push_hex_u64(s, value, hex_digits(field));
    } else {
        digits::push_u64(s, value);
    }
}

/// Digits of a hex number: two for each byte of the field, or of the width its description
/// gives when it points at none.
fn hex_digits(field: &Field) -> usize {
    let bytes = if field.len > 0 { field.len } else { u32::from(field.info.width) };
    2 * (bytes as usize).clamp(1, 8)
}

/// A field's value as text. `display` is the tree's form (names with numbers, units);
/// otherwise the plain form of `-T fields` (numbers only, like tshark).
pub fn value_text(s: &mut String, field: &Field, bytes: &[u8], display: bool) {
    match &field.value {
        Value::None => {}
        Value::Unsigned(v) if field.info.kind == FieldKind::Hex => digits::push_hex_u64(s, *v, hex_digits(field)),
        Value::Unsigned(v) => digits::push_u64(s, *v),
        Value::Signed(v) => digits::push_i64(s, *v),
        Value::Bool(b) if display => s.push_str(if *b { "True" } else { "False" }),
        Value::Bool(b) => s.push(if *b { '1' } else { '0' }),
        Value::Float(v) => digits::push_float(s, *v),
        Value::Bytes => {
            let start = (field.offset as usize).min(bytes.len());
            let end = (start + field.len as usize).min(bytes.len());
            digits::push_hex(s, &bytes[start..end]);
        }
        Value::String(t) => s.push_str(t),
        Value::Uuid(u) => {
            let _ = digits::write_uuid(s, u);
        }
        Value::Ip(ip) => digits::push_ip(s, *ip),
        Value::SocketAddr(a) => digits::push_socket_addr(s, *a),
        Value::Mac(m) => {
            let _ = digits::write_mac(s, m);
        }
        Value::Enum { value, name } if display => {
            s.push_str(name.unwrap_or("Unknown"));
            s.push_str(" (");
            enum_number(s, field, *value);
            s.push(')');
        }
        Value::Enum { value, .. } => enum_number(s, field, *value),
        Value::Frame(n) => {
            if display {
                s.push_str("frame ");
            }
            digits::push_u64(s, *n);
        }
        Value::Time(ns) if field.info.kind == FieldKind::Date => time::push_date(s, *ns, false),
        Value::Time(ns) if display => {
            time::push_utc(s, *ns, 9);
            s.push_str(" (epoch ");
            digits::push_seconds(s, *ns, 9);
            s.push(')');
        }
        Value::Time(ns) | Value::Duration(ns) => {
            digits::push_seconds(s, *ns, 9);
            if display && matches!(field.value, Value::Duration(_)) {
                s.push_str(" s");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use udpdissect_capture::{linktype, Timestamp};

    #[test]
    fn every_aliass_member_passes_the_quick_check() {
        for (_, members) in udpdissect_filter::aliases() {
            assert!(members.iter().all(|m| may_be_member(m)), "{members:?}");
        }
        assert!(!may_be_member("overte.type") && !may_be_member("ip.ttl"));
    }

    /// Three frames handed to a sink that is then dropped without `finish`, as a panic would
    /// leave it: what the sink writes then.
    fn dropped_after_three(make: impl FnOnce(&mut Vec<u8>) -> Box<dyn Sink + '_>) -> String {
        let data = [0u8; 20];
        let mut frame = Frame::captured(1, Timestamp { secs: 100, nanos: 0 }, &data, linktype::RAW);
        let mut out = Dissection::new(false);
        out.protocol = "SRUN";
        let mut written = Vec::new();
        {
            let mut sink = make(&mut written);
            for n in 1..=3 {
                frame.number = n;
                let decoded = Decoded::undecoded(&frame);
                sink.frame(&FrameView::at_zero(&frame, &decoded, &out)).unwrap();
            }
        }
        String::from_utf8(written).unwrap()
    }

    #[test]
    fn gathered_lines_are_written_when_a_sink_is_dropped() {
        let fields = dropped_after_three(|w| {
            let keys = vec!["_ws.col.protocol".to_string()];
            Box::new(fields::FieldsSink::new(w, keys, fields::FieldOptions::default(), false).unwrap())
        });
        assert_eq!(fields, "SRUN\nSRUN\nSRUN\n");
        let text =
            dropped_after_three(|w| Box::new(text::TextSink::new(w, false, false, false, false, TimeFormat::Relative)));
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.lines().all(|l| l.contains("SRUN")), "{text}");
        let pdml = dropped_after_three(|w| Box::new(pdml::PdmlSink::new(w, "x.pcap", false).unwrap()));
        assert_eq!(pdml.matches("<packet>").count(), 3, "{pdml}");
        assert!(pdml.ends_with("</packet>\n\n\n"), "{pdml}");
    }
}
