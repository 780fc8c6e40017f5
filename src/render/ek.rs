//! `-T ek`: tshark's Elasticsearch bulk format. Each frame is two lines, an index action
//! (`{"index":{"_index":"packets-DATE","_type":"doc"}}`) and a document whose `layers` hold
//! one object per protocol, every field of its subtree flattened into it under tshark's names
//! (`ip_ip_src`: the protocol, then the key, each `.` an `_`), repeated keys gathered into one
//! array. docs/json.md has the format and where it differs from tshark's.

use super::{
    digits, field_bytes, json, push_colon_hex, value_text, Aliases, FrameView, ProtocolFilter, Sink, TimeFormat,
};
use rustc_hash::FxHashMap;
use std::io::{self, Write};
use udpdissect_core::{Dissection, Expert, Field, FieldKind, Severity, Value};

pub struct EkSink<W: Write> {
    w: W,
    flush_each: bool,
    s: String,
    filter: ProtocolFilter,
    /// `-x`: each layer's and field's bytes in hex beside it (`NAME_raw`).
    hex: bool,
    /// `-P`: the summary line's columns in each document, the time as `-t` shows it.
    summary: Option<TimeFormat>,
    /// The last frame's time, for the end-of-capture document's index.
    last_ns: i64,
    scratch: Scratch,
}

/// A field in a group: the group's number, the field's index, the group's key.
type Item = (u32, usize, &'static str);

/// Reused from object to object.
#[derive(Default)]
struct Scratch {
    /// Each key met in the object being written, and its group's number.
    ids: FxHashMap<&'static str, u32>,
    /// The alias each field is a member of (`ip.src`: `ip.addr`).
    aliases: Aliases,
    /// Lists of items, one taken per object being written (objects nest).
    pool: Vec<Vec<Item>>,
    /// A value's text before it is escaped.
    text: String,
    /// Each member name written so far, by its key and protocol (their addresses and lengths:
    /// both are the registry's static names, so the entries are as few as their pairs).
    names: FxHashMap<(usize, usize, usize, usize), Box<str>>,
}

impl Scratch {
    /// [`push_name`]'s text, composed once per key and protocol.
    fn name(&mut self, key: &'static str, protocol: &'static str) -> &str {
        let at = (key.as_ptr() as usize, key.len(), protocol.as_ptr() as usize, protocol.len());
        self.names.entry(at).or_insert_with(|| {
            let mut name = String::new();
            push_name(&mut name, key, protocol);
            name.into()
        })
    }
}

/// What one protocol's object in `layers` holds: the fields of these runs of the field list
/// (flattened), and these findings.
struct Part<'a> {
    ranges: Vec<(usize, usize)>,
    experts: Vec<&'a Expert>,
}

/// How an object is written.
#[derive(Clone, Copy)]
struct How<'a> {
    /// The names `-J` or `-j` keep, when they still apply.
    filter: Option<&'a ProtocolFilter>,
    hex: bool,
}

impl How<'_> {
    /// Whether a member with this key is written as `{"filtered": KEY}`.
    fn hides(&self, key: &str) -> bool {
        self.filter.is_some_and(|f| !f.names.is_empty() && !f.names(key))
    }
}

/// tshark's numbers for the severities (`_ws.expert.severity`).
pub(super) fn severity_code(s: Severity) -> &'static str {
    match s {
        Severity::Note => "4194304",
        Severity::Warn => "6291456",
        Severity::Error => "8388608",
    }
}

/// Nodes with dotted keys that tshark registers as protocols of their own.
const DOTTED_PROTOCOLS: [&str; 1] = ["ipv6.fraghdr"];

/// A key without a dot names a protocol: its node is an object of its own, not a field.
pub(super) fn is_protocol(key: &str) -> bool {
    !key.as_bytes().contains(&b'.') || DOTTED_PROTOCOLS.contains(&key)
}

/// A key's first part (`ip` of `ip.src`).
fn first_part(key: &str) -> &str {
    key.as_bytes().iter().position(|&b| b == b'.').map_or(key, |dot| &key[..dot])
}

/// The protocol that registers `key` in tshark, whose name comes first in the member's: the
/// key's first part, or the protocol of its own it is under (`ipv6.fraghdr`); IPv6 registers
/// the copy of `ip.version` in its header.
fn registrar<'a>(key: &'a str, protocol: &'a str) -> &'a str {
    if key == "ip.version" && protocol == "ipv6" {
        return protocol;
    }
    match DOTTED_PROTOCOLS.iter().find(|p| udpdissect_core::key_under(key, p)) {
        Some(p) => p,
        None => first_part(key),
    }
}

/// The member name of `key` in `protocol`'s object: the protocol that registers it, `_`, the
/// key, each `.` written `_` (`ip_ip_src`); a protocol's own name as it is.
fn push_name(s: &mut String, key: &str, protocol: &str) {
    if !is_protocol(key) {
        push_dotless(s, registrar(key, protocol));
        s.push('_');
    }
    push_dotless(s, key);
}

fn push_dotless(s: &mut String, key: &str) {
    // Keys are dotted names that never need escaping (a test in json.rs checks every one).
    let mut rest = key;
    while let Some(dot) = rest.as_bytes().iter().position(|&b| b == b'.') {
        s.push_str(&rest[..dot]);
        s.push('_');
        rest = &rest[dot + 1..];
    }
    s.push_str(rest);
}

/// Numbers the distinct keys of `items` in the order they first appear and sorts the items
/// by that number, keeping their order within each key: the groups of one name, in order.
fn group(ids: &mut FxHashMap<&'static str, u32>, items: &mut [Item]) {
    ids.clear();
    for item in items.iter_mut() {
        let next = ids.len() as u32;
        item.0 = *ids.entry(item.2).or_insert(next);
    }
    items.sort_by_key(|m| m.0);
}

/// Writes `"NAME":` (after a comma unless it is the object's first) then each item through
/// `one`, in an array when there are several.
fn member<T>(s: &mut String, name: impl FnOnce(&mut String), items: &[T], one: impl FnMut(&mut String, &T)) {
    member_name(s, name);
    values(s, items, one);
}

/// `"NAME":`, after a comma unless it is the object's first member.
fn member_name(s: &mut String, name: impl FnOnce(&mut String)) {
    if !s.ends_with('{') {
        s.push(',');
    }
    s.push('"');
    name(s);
    s.push_str("\":");
}

/// Each item through `one`, in an array when there are several.
fn values<T>(s: &mut String, items: &[T], mut one: impl FnMut(&mut String, &T)) {
    if items.len() > 1 {
        s.push('[');
    }
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        one(s, item);
    }
    if items.len() > 1 {
        s.push(']');
    }
}

/// `{…}` around the members `body` writes.
fn braces(s: &mut String, body: impl FnOnce(&mut String)) {
    s.push('{');
    body(s);
    s.push('}');
}

/// The bytes a field covers, when it was read from bytes (a generated field's `_raw` is not
/// written, as tshark writes none).
fn covered<'a>(v: &FrameView<'a>, f: &Field) -> Option<&'a [u8]> {
    field_bytes(v, f).filter(|_| !f.generated)
}

/// `-x`: `"NAME_raw":` and the bytes of each field in hex, when the first has bytes.
fn raw(s: &mut String, v: &FrameView, key: &str, protocol: &str, items: &[Item]) {
    let fields = v.out.fields();
    if covered(v, &fields[items[0].1]).is_none() {
        return;
    }
    let name = |s: &mut String| {
        push_name(s, key, protocol);
        s.push_str("_raw");
    };
    member(s, name, items, |s, m| {
        s.push('"');
        digits::push_hex(s, covered(v, &fields[m.1]).unwrap_or_default());
        s.push('"');
    });
}

/// A finding as tshark's `_ws.expert` node: its tag as a key (as Wireshark names its expert
/// infos), the message and tshark's numbers for the severity and the group.
fn finding(s: &mut String, e: &Expert) {
    s.push_str("{\"");
    push_name(s, e.tag(), first_part(e.tag()));
    s.push_str("\":null,\"_ws_expert__ws_expert_message\":");
    json::string(s, &e.message);
    s.push_str(",\"_ws_expert__ws_expert_severity\":\"");
    s.push_str(severity_code(e.severity()));
    s.push_str("\",\"_ws_expert__ws_expert_group\":\"");
    digits::push_u64(s, e.info.group.code().into());
    s.push_str("\"}");
}

fn filtered(s: &mut String, key: &str) {
    s.push_str("{\"filtered\":\"");
    s.push_str(key);
    s.push_str("\"}");
}

/// The index action line and the document's opening, up to its timestamp.
pub(super) fn open(s: &mut String, ns: i64) {
    s.push_str("{\"index\":{\"_index\":\"packets-");
    super::time::push_local_day(s, ns);
    s.push_str("\",\"_type\":\"doc\"}}\n{\"timestamp\":\"");
    // Seconds, then milliseconds in three digits, as tshark writes them.
    digits::push_i64(s, ns.div_euclid(1_000_000_000));
    let ms = ns.rem_euclid(1_000_000_000).unsigned_abs() / 1_000_000;
    digits::push_u64(s, ms / 100);
    digits::push_u64(s, ms / 10 % 10);
    digits::push_u64(s, ms % 10);
    s.push('"');
}

/// `-P`: the summary line's columns, named by their titles in lower case as tshark names them
/// (`no_`, `time`, `source`, …).
pub(super) fn summary_columns(s: &mut String, text: &mut String, v: &FrameView, time: TimeFormat) {
    super::summary_cells(v, time, text, |title, cell| {
        s.push_str(",\"");
        push_dotless(s, &title.to_ascii_lowercase());
        s.push_str("\":");
        json::string(s, cell);
    });
}

/// A field's value: booleans as JSON's, a date in ISO 8601 (UTC), bytes in hex joined by `:`,
/// a node without a value `null`, anything else as `-T fields` prints it.
fn value(s: &mut String, text: &mut String, v: &FrameView, f: &Field) {
    match (&f.value, f.info.kind) {
        (Value::Bool(b), _) => s.push_str(if *b { "true" } else { "false" }),
        (Value::Time(ns), FieldKind::Date) => {
            s.push('"');
            super::time::push_iso_utc(s, *ns);
            s.push('"');
        }
        (Value::Bytes, _) => {
            s.push('"');
            push_colon_hex(s, covered(v, f).unwrap_or_default());
            s.push('"');
        }
        (_, FieldKind::None) => s.push_str("null"),
        _ => {
            text.clear();
            value_text(text, f, v.out.source_bytes(v.frame.data, f.source), false);
            json::string(s, text);
        }
    }
}

/// Where the subtree of the node at `at` ends in the field list.
pub(super) fn subtree_end(fields: &[Field], at: usize) -> usize {
    let depth = fields[at].depth;
    (at + 1..fields.len()).find(|&i| fields[i].depth <= depth).unwrap_or(fields.len())
}

/// `protocol`'s object: the fields of `ranges` (runs of the field list) flattened, repeated
/// keys gathered, a protocol among them an object of its own; then `experts`.
fn object(
    s: &mut String,
    v: &FrameView,
    protocol: &'static str,
    ranges: &[(usize, usize)],
    experts: &[&Expert],
    how: How,
    scratch: &mut Scratch,
) {
    let fields = v.out.fields();
    // Under -j every field must be named, and a field's subtree is looked into only when it is.
    let strict = how.filter.is_some_and(|f| !f.children && !f.names.is_empty());
    let mut items = scratch.pool.pop().unwrap_or_default();
    items.clear();
    for &(from, end) in ranges {
        let mut skip_below = u8::MAX;
        for (i, f) in fields.iter().enumerate().take(end).skip(from) {
            if f.depth > skip_below {
                continue;
            }
            let key = f.info.key;
            items.push((0, i, key));
            // An alias (`ip.addr`) gathers its members' values too, as tshark's hidden fields do.
            if let Some(alias) = scratch.aliases.of(f.info) {
                items.push((0, i, alias));
            }
            // A protocol's fields are its object's.
            let closed = is_protocol(key) || (strict && how.hides(key));
            skip_below = if closed { f.depth } else { u8::MAX };
        }
    }
    group(&mut scratch.ids, &mut items);
    braces(s, |s| {
        for run in items.chunk_by(|a, b| a.0 == b.0) {
            let key = run[0].2;
            if how.hex {
                raw(s, v, key, protocol, run);
            }
            member_name(s, |s| s.push_str(scratch.name(key, protocol)));
            values(s, run, |s, m| {
                if how.hides(key) {
                    filtered(s, key);
                } else if is_protocol(key) {
                    // Below a protocol -J keeps, everything is kept.
                    let inner = How { filter: how.filter.filter(|f| !f.children), ..how };
                    object(s, v, key, &[(m.1 + 1, subtree_end(fields, m.1))], &[], inner, scratch);
                } else {
                    value(s, &mut scratch.text, v, &fields[m.1]);
                }
            });
        }
        if !experts.is_empty() {
            member(
                s,
                |s| s.push_str("_ws_expert"),
                experts,
                |s, e| {
                    if strict && how.hides("_ws.expert") {
                        filtered(s, "_ws.expert");
                    } else {
                        finding(s, e);
                    }
                },
            );
        }
    });
    scratch.pool.push(items);
}

/// The protocol a top-level node is in: itself, or a field's own (`data` for `data.data`).
fn layer_of(key: &'static str) -> &'static str {
    first_part(key)
}

/// The top-level node each finding belongs to: in the layer its tag names (the node holding
/// its bytes when several do), else the last node holding its bytes, else the last node.
pub(super) fn owner(v: &FrameView, tops: &[usize], e: &Expert) -> Option<usize> {
    let fields = v.out.fields();
    let layer = first_part(e.tag());
    let holds = |&&i: &&usize| {
        let f = &fields[i];
        e.at.is_some_and(|(src, off, _)| src == f.source && (f.offset..f.offset.saturating_add(f.len)).contains(&off))
    };
    let named: Vec<usize> = tops.iter().copied().filter(|&i| layer_of(fields[i].info.key) == layer).collect();
    named.iter().find(holds).or(named.last()).or_else(|| tops.iter().rev().find(holds)).or(tops.last()).copied()
}

impl<W: Write> EkSink<W> {
    pub fn new(w: W, flush_each: bool) -> Self {
        EkSink {
            w,
            flush_each,
            s: String::with_capacity(4096),
            filter: ProtocolFilter::default(),
            hex: false,
            summary: None,
            last_ns: 0,
            scratch: Scratch::default(),
        }
    }

    /// `-J` or `-j`.
    pub fn filter(mut self, filter: ProtocolFilter) -> Self {
        self.filter = filter;
        self
    }

    /// `-x`.
    pub fn hex(mut self, hex: bool) -> Self {
        self.hex = hex;
        self
    }

    /// `-P`, with the time column's format.
    pub fn summary(mut self, time: Option<TimeFormat>) -> Self {
        self.summary = time;
        self
    }

    fn emit(&mut self) -> io::Result<()> {
        self.w.write_all(self.s.as_bytes())?;
        if self.flush_each {
            self.w.flush()?;
        }
        Ok(())
    }

    /// The document's `layers`: an object per protocol at the top of the tree, the fields at
    /// the top outside any protocol node in their protocol's object.
    fn layers(&mut self, v: &FrameView) {
        let fields = v.out.fields();
        let tops: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].depth == 0).collect();
        let owners: Vec<Option<usize>> = v.out.experts().iter().map(|e| owner(v, &tops, e)).collect();
        let mut layers: Vec<Item> = tops.iter().map(|&i| (0, i, layer_of(fields[i].info.key))).collect();
        group(&mut self.scratch.ids, &mut layers);
        let how = How { filter: Some(&self.filter), hex: self.hex };
        let scratch = &mut self.scratch;
        // The findings the top-level nodes `nodes` own.
        let owned = |nodes: &[usize]| -> Vec<&Expert> {
            let all = v.out.experts().iter().zip(&owners);
            all.filter(|(_, o)| o.is_some_and(|o| nodes.contains(&o))).map(|(e, _)| e).collect()
        };
        self.s.push_str(",\"layers\":");
        braces(&mut self.s, |s| {
            for run in layers.chunk_by(|a, b| a.0 == b.0) {
                let layer = run[0].2;
                let (nodes, loose): (Vec<Item>, Vec<Item>) = run.iter().partition(|m| fields[m.1].info.key == layer);
                // An object per protocol node (its children); the loose fields of that
                // protocol (their subtrees) in one more.
                let mut objects: Vec<Part> = nodes
                    .iter()
                    .map(|m| Part { ranges: vec![(m.1 + 1, subtree_end(fields, m.1))], experts: owned(&[m.1]) })
                    .collect();
                if !loose.is_empty() {
                    let at: Vec<usize> = loose.iter().map(|m| m.1).collect();
                    let ranges = at.iter().map(|&i| (i, subtree_end(fields, i))).collect();
                    objects.push(Part { ranges, experts: owned(&at) });
                }
                if how.hex && !nodes.is_empty() {
                    raw(s, v, layer, layer, &nodes);
                }
                member(
                    s,
                    |s| push_dotless(s, layer),
                    &objects,
                    |s, part| {
                        if how.hides(layer) {
                            filtered(s, layer);
                        } else {
                            // Below a protocol -J keeps, everything is kept.
                            let inner = How { filter: how.filter.filter(|f| !f.children), ..how };
                            object(s, v, layer, &part.ranges, &part.experts, inner, scratch);
                        }
                    },
                );
            }
        });
    }
}

impl<W: Write> Sink for EkSink<W> {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        self.last_ns = v.abs_ns;
        self.s.clear();
        open(&mut self.s, v.abs_ns);
        if let Some(time) = self.summary {
            summary_columns(&mut self.s, &mut self.scratch.text, v, time);
        }
        self.layers(v);
        self.s.push_str("}\n");
        self.emit()
    }

    /// Findings only the end of the capture reveals come as one last document, indexed under
    /// the last frame's day: `{"timestamp":…,"end_of_capture":true,"layers":{"_ws_expert":…}}`.
    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        if !end.experts().is_empty() {
            self.s.clear();
            open(&mut self.s, self.last_ns);
            self.s.push_str(",\"end_of_capture\":true,\"layers\":");
            let experts: Vec<&Expert> = end.experts().iter().collect();
            braces(&mut self.s, |s| member(s, |s| s.push_str("_ws_expert"), &experts, |s, e| finding(s, e)));
            self.s.push_str("}\n");
            self.emit()?;
        }
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_named_after_the_protocol_that_registers_them() {
        let name = |key: &str, protocol: &str| {
            let mut s = String::new();
            push_name(&mut s, key, protocol);
            s
        };
        assert_eq!(name("ip.src", "ip"), "ip_ip_src");
        assert_eq!(name("eqstream.eq2.opcode", "eqstream"), "eqstream_eqstream_eq2_opcode");
        assert_eq!(name("ieee8021ah.etype", "ieee8021ad"), "ieee8021ah_ieee8021ah_etype");
        assert_eq!(name("ip.version", "ipv6"), "ipv6_ip_version", "IPv6's copy of ip.version");
        assert_eq!(name("ip.version", "ip"), "ip_ip_version");
        assert_eq!(name("ipv6.fraghdr.offset", "ipv6"), "ipv6_fraghdr_ipv6_fraghdr_offset");
        assert_eq!(name("ipv6.fraghdr", "ipv6"), "ipv6_fraghdr", "a protocol of its own");
        assert_eq!(name("udp", "icmp"), "udp", "a quoted header's protocol");
        assert!(is_protocol("overte") && is_protocol("ipv6.fraghdr") && !is_protocol("overte.type"));
    }

    #[test]
    fn groups_keep_the_order_keys_first_appear_in_and_their_fields_order() {
        let keys = ["b", "a", "b", "c", "a", "b"];
        let mut items: Vec<Item> = keys.iter().enumerate().map(|(i, k)| (0, i, *k)).collect();
        group(&mut FxHashMap::default(), &mut items);
        let runs: Vec<Vec<usize>> =
            items.chunk_by(|a, b| a.0 == b.0).map(|r| r.iter().map(|m| m.1).collect()).collect();
        assert_eq!(runs, [vec![0, 2, 5], vec![1, 4], vec![3]]);
    }

    #[test]
    fn the_timestamp_is_seconds_and_three_digits_of_milliseconds() {
        for (ns, ms) in [(1_772_438_400_812_345_000, "1772438400812"), (5_000_999, "0005"), (0, "0000")] {
            let mut s = String::new();
            open(&mut s, ns);
            assert!(s.ends_with(&format!("{{\"timestamp\":\"{ms}\"")), "{s}");
            assert!(s.starts_with("{\"index\":{\"_index\":\"packets-"));
        }
    }
}
