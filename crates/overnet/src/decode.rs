//! Overnet messages into fields, tolerant of damage: decode what is there, mark the rest
//! undecoded with a finding at its offset. Offsets are relative to the payload start.

use std::borrow::Cow;
use std::fmt::Write;

use udpdissect_core::{digits, Dissection, ExpertInfo, FieldInfo, Hex, Value};

use crate::fields::*;
use crate::search_tree::{self, Node};
use crate::tags::{self, Loc, Tag, TagErrorKind, TagLayout, TagName, TagValue};
use crate::wire::{self, md4, u16le, Contact, Md4, Opcode, Peer};

/// What the session tracking needs from a decoded message.
#[derive(Debug, Default)]
pub struct Decoded {
    /// The md4 the message is about (target, key, or the sender's id).
    pub key: Option<Md4>,
    /// A peer list: (offset of the first peer, peers present).
    pub peers: Option<(usize, usize)>,
    /// The single peer of Connect/Publicize/PeerNotFound, or the IdentifyReply contact.
    pub peer: Option<Peer>,
    /// KadC's corrupted SearchReply: the 15 hash bytes at offset 3.
    pub corrupted: bool,
}

/// Appends `label` and the first 4 bytes of an md4 in hex to the Info column (without `fmt`),
/// when something reads the column: the hex is most of the column's cost.
pub(crate) fn info_md4(out: &mut Dissection, label: &str, h: &[u8]) {
    if out.wants_info() {
        push_md4(&mut out.info, label, h);
    }
}

fn push_md4(s: &mut String, label: &str, h: &[u8]) {
    s.push_str(label);
    digits::push_hex(s, &h[..h.len().min(4)]);
    s.push('…');
}

/// Appends ` id=… ip:port` to the Info column, when something reads it.
fn info_peer(out: &mut Dissection, p: &Peer) {
    if out.wants_info() {
        push_md4(&mut out.info, " id=", &p.id);
        out.info.push(' ');
        digits::push_ipv4_port(&mut out.info, p.ip, p.port);
    }
}

/// Lossy text for a string field, built only when the field is kept.
fn text(out: &Dissection, info: &'static FieldInfo, bytes: &[u8]) -> Value {
    if out.wants(info) {
        Value::String(Cow::Owned(String::from_utf8_lossy(bytes).into_owned()))
    } else {
        Value::None
    }
}

fn enum_of(value: u8, name: Option<&'static str>) -> Value {
    Value::Enum { value: value.into(), name }
}

pub struct Decoder<'a> {
    pub b: &'a [u8],
    /// The capture cut the datagram: shortness is not the sender's fault.
    pub cut: bool,
    /// For a SearchReply: the target of the Search it answers, if seen.
    pub search_hint: Option<Md4>,
}

impl<'a> Decoder<'a> {
    /// Whether `len` bytes are there; if not, reports it and marks `from..` undecoded.
    fn need(&self, out: &mut Dissection, from: usize, upto: usize, what: &str) -> bool {
        let len = self.b.len();
        if len >= upto {
            return true;
        }
        let (info, msg): (&'static ExpertInfo, String) = if self.cut {
            (&CUT_SHORT, format!("{what} needs {upto} bytes; the capture holds {len}"))
        } else {
            (&BAD_LENGTH, format!("{what} needs {upto} bytes but the datagram has {len}; mldonkey drops it"))
        };
        out.expert_at(info, from.min(len), len.saturating_sub(from), msg);
        if from < len {
            out.add(&UNDECODED, from, len - from, Value::Bytes);
        }
        false
    }

    /// Bytes after the end of a complete message.
    pub fn trailing(&self, out: &mut Dissection, end: usize, what: &str) {
        let len = self.b.len();
        if end < len {
            out.add(&TRAILING, end, len - end, Value::Bytes);
            out.expert_at(
                &TRAILING_BYTES,
                end,
                len - end,
                format!("{} byte(s) after the {end}-byte {what}; mldonkey ignores them", len - end),
            );
        }
    }

    fn md4(&self, out: &mut Dissection, info: &'static FieldInfo, at: usize) -> Md4 {
        out.add(info, at, 16, Value::Bytes);
        md4(self.b, at).unwrap_or_default()
    }

    fn u16(&self, out: &mut Dissection, info: &'static FieldInfo, at: usize) -> u16 {
        let v = u16le(self.b, at).unwrap_or(0);
        out.add(info, at, 2, Value::Unsigned(v.into()));
        v
    }

    /// A 23-byte peer (or 22-byte contact when `kind` is false) at `at`, known to fit.
    fn peer(&self, out: &mut Dissection, at: usize, kind: bool) -> Peer {
        let p = Peer::parse(self.b, at)
            .or_else(|| Contact::parse(self.b, at).map(|c| Peer { id: c.id, ip: c.ip, port: c.port, kind: 0 }))
            .unwrap_or(Peer { id: [0; 16], ip: [0, 0, 0, 0].into(), port: 0, kind: 0 });
        let (node, len) = if kind { (&PEER, Peer::LEN) } else { (&CONTACT, Contact::LEN) };
        let summary = if out.wants(node) {
            Value::String(Cow::Owned(format!("{} {}:{}", Hex(&p.id), p.ip, p.port)))
        } else {
            Value::None
        };
        out.open(node, at, len, summary);
        out.add(&PEER_ID, at, 16, Value::Bytes);
        out.add(&PEER_IP, at + 16, 4, Value::Ip(p.ip.into()));
        out.add(&PEER_PORT, at + 20, 2, Value::Unsigned(p.port.into()));
        if kind {
            out.add(&PEER_KIND, at + 22, 1, Value::Unsigned(p.kind.into()));
        }
        if !p.plausible() {
            out.expert_at(
                &PEER_IMPLAUSIBLE,
                at + 16,
                6,
                format!("peer {}:{} cannot be reached (port 0 or unusable address); mldonkey skips it", p.ip, p.port),
            );
        }
        out.close();
        p
    }

    /// `n` peers announced at `at`; decodes those present. Returns (present, end).
    fn peer_list(&self, out: &mut Dissection, at: usize, n: usize, what: &str) -> (usize, usize) {
        let room = self.b.len().saturating_sub(at) / Peer::LEN;
        let present = n.min(room);
        for i in 0..present {
            self.peer(out, at + i * Peer::LEN, true);
        }
        let end = at + present * Peer::LEN;
        if present < n {
            self.need(out, end, at + n * Peer::LEN, &format!("{what} announcing {n} peers"));
            return (present, self.b.len());
        }
        (present, end)
    }

    /// Decodes an Overnet message (0xE3, opcode 0x0A–0x21) into the open message node.
    pub fn overnet(&self, out: &mut Dissection, op: Opcode) -> Decoded {
        let b = self.b;
        let name = op.name().unwrap_or("Unknown");
        let mut d = Decoded::default();
        out.info.push_str(name);
        // Fixed-size messages: one length check for all.
        if let Some(n) = op.fixed_len() {
            if !self.need(out, 2, n, name) {
                return d;
            }
        }
        let end = match op.0 {
            0x0A | 0x0C | 0x21 => {
                let p = self.peer(out, 2, true);
                info_peer(out, &p);
                d.peer = Some(p);
                d.key = Some(p.id);
                25
            }
            0x0B => {
                if !self.need(out, 2, 4, name) {
                    return d;
                }
                let n = self.u16(out, &PEER_COUNT, 2) as usize;
                let (present, end) = self.peer_list(out, 4, n, name);
                digits::push_count(&mut out.info, n as u64, " peer");
                d.peers = Some((4, present));
                end
            }
            0x0D | 0x1D | 0x1E => 2,
            0x0E => {
                out.add(&SEARCH_PARAM, 2, 1, Value::Unsigned(b[2].into()));
                let t = self.md4(out, &TARGET, 3);
                info_md4(out, " target=", &t);
                out.info.push_str(" want ");
                digits::push_u64(&mut out.info, b[2].into());
                d.key = Some(t);
                19
            }
            0x0F => return self.search_reply(out, d),
            0x10 => {
                if !self.need(out, 2, 19, name) {
                    return d;
                }
                let k = self.md4(out, &KEY, 2);
                d.key = Some(k);
                let kind = b[18];
                out.add(&SEARCH_TYPE, 18, 1, enum_of(kind, ["plain", "search tree"].get(kind as usize).copied()));
                info_md4(out, " key=", &k);
                out.info.push_str(" type ");
                digits::push_u64(&mut out.info, kind.into());
                let mut at = 19;
                if kind == 1 {
                    match self.tree(out, 19) {
                        Some(end) => at = end,
                        None => return d,
                    }
                } else if kind != 0 {
                    out.expert_at(
                        &SEARCH_TYPE_UNKNOWN,
                        18,
                        1,
                        format!(
                            "search type {kind}: only 0 (plain) and 1 (search tree) exist; read as 0 like mldonkey"
                        ),
                    );
                }
                if !self.need(out, at, at + 4, name) {
                    return d;
                }
                let min = self.u16(out, &SEARCH_MIN, at);
                let max = self.u16(out, &SEARCH_MAX, at + 2);
                out.info.push_str(" [");
                digits::push_u64(&mut out.info, min.into());
                out.info.push_str(", ");
                digits::push_u64(&mut out.info, max.into());
                out.info.push(']');
                at + 4
            }
            0x11 | 0x13 => {
                if !self.need(out, 2, 38, name) {
                    return d;
                }
                let k = self.md4(out, &KEY, 2);
                let v = self.md4(out, &VALUE, 18);
                d.key = Some(k);
                info_md4(out, " key=", &k);
                info_md4(out, " value=", &v);
                self.tag_list(out, 34)
            }
            0x12 => {
                if !self.need(out, 2, 18, name) {
                    return d;
                }
                let k = self.md4(out, &KEY, 2);
                d.key = Some(k);
                info_md4(out, " key=", &k);
                if b.len() >= 22 {
                    let a = self.u16(out, &END_UNKNOWN1, 18);
                    let c = self.u16(out, &END_UNKNOWN2, 20);
                    out.info.push_str(" (");
                    digits::push_u64(&mut out.info, a.into());
                    out.info.push_str(", ");
                    digits::push_u64(&mut out.info, c.into());
                    out.info.push(')');
                    22
                } else {
                    18
                }
            }
            0x14 | 0x19 | 0x1A => {
                let info = if op.0 == 0x14 { &KEY } else { &TARGET };
                let k = self.md4(out, info, 2);
                d.key = Some(k);
                info_md4(out, if op.0 == 0x14 { " key=" } else { " id=" }, &k);
                18
            }
            0x15 => {
                if !self.need(out, 2, 24, name) {
                    return d;
                }
                // KadC and Wireshark read a 22-byte contact; mldonkey a 23-byte peer.
                let with_kind = b.len() == 25;
                let p = self.peer(out, 2, with_kind);
                info_peer(out, &p);
                d.peer = Some(p);
                d.key = Some(p.id);
                if with_kind {
                    25
                } else {
                    24
                }
            }
            0x16 | 0x1B => {
                let p = self.u16(out, &TCP_PORT, 2);
                out.info.push_str(" tcp port ");
                digits::push_u64(&mut out.info, p.into());
                4
            }
            0x18 => {
                let t = self.md4(out, &TARGET, 2);
                let p = self.u16(out, &TCP_PORT, 18);
                d.key = Some(t);
                info_md4(out, " id=", &t);
                out.info.push_str(" tcp port ");
                digits::push_u64(&mut out.info, p.into());
                20
            }
            0x1C => {
                let ip = wire::ip(b, 2).unwrap_or([0, 0, 0, 0].into());
                out.add(&IP, 2, 4, Value::Ip(ip.into()));
                out.info.push(' ');
                digits::push_ipv4(&mut out.info, ip);
                6
            }
            other => {
                let _ = write!(out.info, " (0x{other:02x})");
                out.expert_at(
                    &UNKNOWN_OPCODE,
                    1,
                    1,
                    format!("Overnet opcode 0x{other:02x} is not defined by mldonkey, KadC or Wireshark; mldonkey ignores the message"),
                );
                if b.len() > 2 {
                    out.add(&BODY, 2, b.len() - 2, Value::Bytes);
                }
                b.len()
            }
        };
        self.trailing(out, end, name);
        d
    }

    fn search_reply(&self, out: &mut Dissection, mut d: Decoded) -> Decoded {
        let b = self.b;
        if !self.need(out, 2, 19, "SearchReply") {
            return d;
        }
        let n = b[18] as usize;
        // KadC broken_clients: count at 2 and 18, hash bytes 0..15 at 3..18. Told apart by the
        // target of the Search it answers: without it, a sound reply whose hash starts with
        // its peer count reads the same.
        d.corrupted = self.search_hint.is_some_and(|t| b[2] == b[18] && t[..] != b[2..18] && t[..15] == b[3..18]);
        if d.corrupted {
            out.add(&PEER_COUNT, 2, 1, Value::Unsigned(n as u64));
            out.add(&TARGET, 3, 15, Value::Bytes);
            let mut t = [0u8; 16];
            t[..15].copy_from_slice(&b[3..18]);
            d.key = Some(self.search_hint.unwrap_or(t));
            out.expert_at(
                &SEARCH_REPLY_CORRUPTED,
                2,
                16,
                format!(
                    "corrupted SearchReply (KadC broken_clients): the count {n} is repeated at offset 2 and the target hash starts at offset 3, cut to 15 bytes (they match the Search it answers); KadC reads the 15 bytes as the hash prefix"
                ),
            );
        } else {
            d.key = Some(self.md4(out, &TARGET, 2));
        }
        out.add(&PEER_COUNT, 18, 1, Value::Unsigned(n as u64));
        let shown = if d.corrupted { &b[3..18] } else { &b[2..18] };
        info_md4(out, " target=", shown);
        digits::push_count(&mut out.info, n as u64, " peer");
        let (present, end) = self.peer_list(out, 19, n, "SearchReply");
        d.peers = Some((19, present));
        self.trailing(out, end, "SearchReply");
        d
    }

    /// The search tree at `at`; its end, or `None` after reporting it unreadable.
    fn tree(&self, out: &mut Dissection, at: usize) -> Option<usize> {
        let b = self.b;
        let tree = out.open(&TREE, at, 0, Value::None);
        let mut depth = 0usize;
        let result = search_tree::walk(b, at, |node, start, end, level| {
            while depth > level {
                out.close();
                depth -= 1;
            }
            let t = b[start];
            out.add(&TREE_NODE, start, 1, enum_of(t, search_tree::node_name(t)));
            match *node {
                Node::Operator(op) => {
                    out.open(&TREE_OP, start + 1, 1, enum_of(op, search_tree::operator_name(op)));
                    depth += 1;
                }
                Node::String(s) => {
                    out.add(&TREE_STRING, start + 3, s.len(), text(out, &TREE_STRING, s));
                }
                Node::Meta { value, name } => {
                    out.add(&TREE_STRING, start + 3, value.len(), text(out, &TREE_STRING, value));
                    tree_name(out, end - name.len(), name);
                }
                Node::Number { value, minmax, name } => {
                    out.add(&TREE_NUMBER, start + 1, 4, Value::Unsigned(value.into()));
                    out.add(&TREE_MINMAX, start + 5, 1, enum_of(minmax, search_tree::minmax_name(minmax)));
                    tree_name(out, end - name.len(), name);
                }
            }
        });
        for _ in 0..depth {
            out.close();
        }
        out.close();
        match result {
            Ok(end) => {
                out.set_len(tree, end - at);
                Some(end)
            }
            Err(e) => {
                let why = match e.node_type {
                    Some(t) => format!("unknown node type 0x{t:02x}"),
                    None if e.at >= b.len() => "it runs past the end of the datagram".to_string(),
                    None => "it is cut short or has too many nodes".to_string(),
                };
                out.set_len(tree, e.at.saturating_sub(at));
                out.expert_at(
                    &TREE_MALFORMED,
                    e.at.min(b.len()),
                    b.len().saturating_sub(e.at),
                    format!("search tree unreadable at offset {}: {why}; KadC drops the query", e.at),
                );
                if e.at < b.len() {
                    out.add(&UNDECODED, e.at, b.len() - e.at, Value::Bytes);
                }
                None
            }
        }
    }

    /// A u32-counted tag list at `at`; returns its end.
    fn tag_list(&self, out: &mut Dissection, at: usize) -> usize {
        let b = self.b;
        if !self.need(out, at, at + 4, "tag list") {
            return b.len();
        }
        let count = wire::u32le(b, at).unwrap_or(0);
        let node = out.open(&TAGS, at, 4, Value::None);
        out.add(&TAG_COUNT, at, 4, Value::Unsigned(count.into()));
        let mut pos = at + 4;
        let mut seen = 0u32;
        let mut loc = None;
        while seen < count {
            if pos >= b.len() {
                let (info, why) = if self.cut {
                    (&CUT_SHORT, "the capture cut the datagram")
                } else {
                    (&TAG_COUNT_EXCEEDS, "mldonkey drops the message")
                };
                out.expert_at(
                    info,
                    at,
                    4,
                    format!("the list announces {count} tags but the datagram holds {seen}; {why}"),
                );
                break;
            }
            match Tag::parse(b, pos) {
                Ok((tag, layout)) => {
                    if tag.name.is(b"loc") {
                        if let TagValue::String(s) = tag.value {
                            loc = Some((layout.value.start + 2, s));
                        }
                    }
                    self.tag(out, &tag, &layout);
                    pos = layout.end;
                    seen += 1;
                }
                Err(e) => {
                    match e.kind {
                        TagErrorKind::UnknownType(t) => out.expert_at(
                            &TAG_UNKNOWN_TYPE,
                            pos,
                            1,
                            format!(
                                "tag {} of {count} has unknown type 0x{t:02x}: its size is unknown, the remaining {} bytes are not decoded",
                                seen + 1,
                                b.len() - pos
                            ),
                        ),
                        TagErrorKind::Truncated => {
                            let info = if self.cut { &CUT_SHORT } else { &BAD_LENGTH };
                            out.expert_at(
                                info,
                                pos,
                                b.len() - pos,
                                format!("tag {} of {count} runs past the end of the datagram", seen + 1),
                            );
                        }
                    }
                    out.add(&UNDECODED, pos, b.len() - pos, Value::Bytes);
                    pos = b.len();
                    break;
                }
            }
        }
        out.set_len(node, pos - at);
        out.close();
        digits::push_count(&mut out.info, count.into(), " tag");
        if let Some((_, s)) = loc {
            let _ = write!(out.info, " loc={}", String::from_utf8_lossy(s));
        }
        pos
    }

    fn tag(&self, out: &mut Dissection, tag: &Tag, layout: &TagLayout) {
        let b = self.b;
        let t = tag.ty & !tags::SHORT_NAME;
        let summary = if out.wants(&TAG) { Value::String(Cow::Owned(tag_summary(tag))) } else { Value::None };
        out.open(&TAG, layout.start, layout.end - layout.start, summary);
        out.add(&TAG_TYPE, layout.start, 1, enum_of(tag.ty, tags::type_name(tag.ty)));
        match tag.name {
            TagName::Id(id) => {
                out.add(&TAG_ID, layout.name.start, 1, enum_of(id, tags::special_name(id)));
            }
            TagName::Long(n) => {
                out.add(&TAG_NAME_LEN, layout.start + 1, 2, Value::Unsigned(n.len() as u64));
                if let [id] = n {
                    out.add(&TAG_ID, layout.name.start, 1, enum_of(*id, tags::special_name(*id)));
                } else if !n.is_empty() {
                    out.add(&TAG_NAME, layout.name.start, n.len(), text(out, &TAG_NAME, n));
                }
            }
            TagName::Nameless => out.expert_at(
                &TAG_NAMELESS,
                layout.start,
                layout.end - layout.start,
                format!(
                    "{} tag without a name: mldonkey writes UINT8/UINT16 tags this way; read as type + value, other clients misparse the list here",
                    tags::type_name(t).unwrap_or("?")
                ),
            ),
        }
        let v = layout.value.start;
        match tag.value {
            TagValue::Hash(_) => {
                out.add(&TAG_HASH, v, 16, Value::Bytes);
            }
            TagValue::String(s) => {
                let at = if t == tags::STRING {
                    out.add(&TAG_STRING_LEN, v, 2, Value::Unsigned(s.len() as u64));
                    v + 2
                } else {
                    v
                };
                out.add(&TAG_STRING, at, s.len(), text(out, &TAG_STRING, s));
                if tag.name.is(b"loc") {
                    self.loc(out, at, s);
                }
            }
            TagValue::U32(x) => {
                out.add(&TAG_UINT, v, 4, Value::Unsigned(x.into()));
            }
            TagValue::Float(bits) => {
                out.add(&TAG_FLOAT, v, 4, Value::Float(f32::from_bits(bits).into()));
            }
            TagValue::Bool(x) => {
                out.add(&TAG_BOOL, v, 1, Value::Bool(x != 0));
            }
            TagValue::BoolArray(bits, bytes) => {
                out.add(&TAG_BOOL_COUNT, v, 2, Value::Unsigned(bits.into()));
                out.add(&TAG_BOOLS, v + 2, bytes.len(), Value::Bytes);
            }
            TagValue::Blob(d) => {
                out.add(&TAG_BLOB_LEN, v, 4, Value::Unsigned(d.len() as u64));
                if !d.is_empty() {
                    out.add(&TAG_BLOB, v + 4, d.len(), Value::Bytes);
                }
            }
            TagValue::Bsob(d) => {
                out.add(&TAG_BLOB_LEN, v, 1, Value::Unsigned(d.len() as u64));
                if !d.is_empty() {
                    out.add(&TAG_BLOB, v + 1, d.len(), Value::Bytes);
                }
            }
            TagValue::U16(x) => {
                out.add(&TAG_UINT, v, 2, Value::Unsigned(x.into()));
            }
            TagValue::U8(x) => {
                out.add(&TAG_UINT, v, 1, Value::Unsigned(x.into()));
            }
            TagValue::U64(x) => {
                out.add(&TAG_UINT, v, 8, Value::Unsigned(x));
            }
        }
        let _ = b;
        out.close();
    }

    /// The `loc` tag's URI at `at` (absolute offset of the string).
    fn loc(&self, out: &mut Dissection, at: usize, s: &[u8]) {
        let Some((loc, parts)) = Loc::parse(s) else {
            out.expert_at(
                &LOC_MALFORMED,
                at,
                s.len(),
                format!(
                    "loc \"{}\" is not bcp://ip:port or bcp://hash:ip:port; mldonkey ignores this source",
                    String::from_utf8_lossy(s)
                ),
            );
            return;
        };
        let summary = if out.wants(&LOC) {
            Value::String(Cow::Owned(match loc.hash {
                Some(h) => format!("firewalled {h} at {}:{} (UDP)", loc.ip, loc.port),
                None => format!("{}:{} (TCP)", loc.ip, loc.port),
            }))
        } else {
            Value::None
        };
        out.open(&LOC, at, s.len(), summary);
        if let (Some(h), Some(r)) = (loc.hash, &parts[0]) {
            out.add(&LOC_HASH, at + r.start, r.len(), text(out, &LOC_HASH, h.as_bytes()));
        }
        if let Some(r) = &parts[1] {
            out.add(&LOC_IP, at + r.start, r.len(), Value::Ip(loc.ip.into()));
        }
        if let Some(r) = &parts[2] {
            out.add(&LOC_PORT, at + r.start, r.len(), Value::Unsigned(loc.port.into()));
        }
        if let (Some(p), Some(r)) = (loc.tcp_port, &parts[3]) {
            out.add(&LOC_TCP_PORT, at + r.start, r.len(), Value::Unsigned(p.into()));
        }
        out.add_generated(&LOC_FIREWALLED, Value::Bool(loc.hash.is_some() && loc.tcp_port.is_none()));
        out.close();
    }
}

fn tree_name(out: &mut Dissection, at: usize, name: &[u8]) {
    match name {
        [id] => {
            out.add(&TREE_SPECIAL, at, 1, enum_of(*id, tags::special_name(*id)));
        }
        _ => {
            out.add(&TREE_NAME, at, name.len(), text(out, &TREE_NAME, name));
        }
    }
}

/// `Name = "ubuntu.iso"`, `Size = 123456789`, `loc = "bcp://…"` for the tree.
fn tag_summary(tag: &Tag) -> String {
    let mut s = match tag.name {
        TagName::Nameless => "(no name)".to_string(),
        n => match n.special() {
            Some(id) => tags::special_name(id).map_or_else(|| format!("0x{id:02x}"), str::to_string),
            None => match n {
                TagName::Long(n) => String::from_utf8_lossy(n).into_owned(),
                _ => String::new(),
            },
        },
    };
    s.push_str(" = ");
    let _ = match tag.value {
        TagValue::String(v) => write!(s, "\"{}\"", String::from_utf8_lossy(v)),
        TagValue::Hash(h) => write!(s, "{}", Hex(h)),
        TagValue::U32(v) => write!(s, "{v}"),
        TagValue::U16(v) => write!(s, "{v}"),
        TagValue::U8(v) | TagValue::Bool(v) => write!(s, "{v}"),
        TagValue::U64(v) => write!(s, "{v}"),
        TagValue::Float(bits) => write!(s, "{}", f32::from_bits(bits)),
        TagValue::BoolArray(bits, _) => write!(s, "{bits} bits"),
        TagValue::Blob(d) | TagValue::Bsob(d) => write!(s, "{} bytes", d.len()),
    };
    s
}
