//! The dissector: UDT header, control packets, sequence analysis, de-obfuscation, reassembly,
//! the NLPacket header, the payload decoders, and the capture-wide sessions they feed.

use crate::fields::*;
use crate::heuristic::{self, is_stun};
use crate::nlpacket::HMAC_LEN;
use crate::nodes::{End, Ends, HashVerdict, Nodes, Silent, SourceCheck};
use crate::payload::{self, Decoded, Learned, PayloadCx};
use crate::reassembly::{Added, Reassembler};
use crate::sequence::{Connection, Flow, SeqStatus};
use crate::sourcing::{self, Layout, Mistake};
use crate::types::{self, VersionTable, INCORRECT_VERSION};
use crate::udt::{self, ControlPacket, DataHeader, CONTROL_NAMES, POSITION_NAMES, POSITION_ONLY};
use std::borrow::Cow;
use std::fmt::Write;
use std::net::SocketAddr;
use udpdissect_core::lru::LruMap;
use udpdissect_core::{
    Cell, Context, Direction, Dissection, Dissector, ExpertInfo, Hex, Packet, ProtocolInfo, Rules, Seconds, Table,
    TimeNs, Value, Verdict,
};

/// Reliable packets remembered for retransmissions and ACKs.
const MAX_SENT: usize = 16_384;
/// Endpoints remembered as having spoken Overte (the heuristic's flow memory).
pub const MAX_SEEN: usize = 4096;
/// The official client's keep-alives come every second; flag gaps past twice that.
const KEEPALIVE_LATE_NS: TimeNs = 2_000_000_000;

const HMAC_STATUS_NAMES: [&str; 5] = ["valid", "invalid", "zero", "no key", "to the domain server"];
/// The fields made from a datagram's ends' nodes: the sender and receiver, and what its
/// source ID and hash were checked against.
static ENDS_FIELDS: [&udpdissect_core::FieldInfo; 5] =
    [&SENDER, &RECEIVER, &ASSIGNED_FRAME, &HMAC_STATUS, &HMAC_SECRET_FRAME];

pub struct Overte {
    table: VersionTable,
    nodes: Nodes,
    reassembly: Reassembler,
    /// (sender, receiver, reliable sequence number) → frame of its first copy.
    sent: LruMap<(SocketAddr, SocketAddr, u32), u64>,
    seen: LruMap<SocketAddr, ()>,
    learned: Learned,
    scratch: Vec<u8>,
    /// The capture's last time, once it is over: the statistics count open silences to it.
    end: Option<TimeNs>,
    /// Whether the run keeps a payload field ([`Dissection::wants_any`]'s memo).
    payload_kept: Option<(u64, bool)>,
}

impl Default for Overte {
    fn default() -> Self {
        Overte {
            table: VersionTable::default(),
            nodes: Nodes::default(),
            reassembly: Reassembler::default(),
            sent: LruMap::new(MAX_SENT),
            seen: LruMap::new(MAX_SEEN),
            learned: Learned::default(),
            scratch: Vec::new(),
            end: None,
            payload_kept: None,
        }
    }
}

fn dir_index(d: Direction) -> usize {
    match d {
        Direction::ClientToServer => 0,
        Direction::ServerToClient => 1,
    }
}

/// A pair kept by (client, server) as (source, destination) for a datagram going `d`, or a
/// datagram's pair back to (client, server): the same swap either way.
fn oriented<T>(d: Direction, [a, b]: [T; 2]) -> [T; 2] {
    match d {
        Direction::ClientToServer => [a, b],
        Direction::ServerToClient => [b, a],
    }
}

fn node_name(t: Option<u8>) -> Option<&'static str> {
    t.and_then(types::node_type_name)
}

fn clear(l: &mut Learned) {
    l.domain_list = None;
    l.nodes.clear();
    l.removed = None;
    l.signature = None;
    l.owner_type = None;
    l.denied_reason = None;
}

impl Overte {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies what a payload from `src` to `dst` taught (the dissector does this after every
    /// payload; a test can stand in for a payload decoder with it).
    pub fn learn(&mut self, frame: u64, time: TimeNs, src: SocketAddr, dst: SocketAddr, learned: &Learned) {
        self.nodes.learn(frame, time, src, dst, learned);
    }

    /// The version table in use.
    pub fn table(&self) -> &VersionTable {
        &self.table
    }

    fn control(&mut self, conn: &mut Connection, dir: Direction, pkt: &Packet, out: &mut Dissection) {
        let b = pkt.payload;
        let Ok(c) = ControlPacket::parse(b) else { return };
        let name = c.name();
        out.open(&UDT, 0, c.size().min(b.len()), Value::None);
        out.add(&UDT_CONTROL, 0, 4, Value::Bool(true));
        out.add(&CONTROL_TYPE, 0, 4, Value::Enum { value: u64::from(c.kind), name });
        if c.reserved != 0 {
            out.add(&CONTROL_RESERVED, 0, 2, Value::Unsigned(u64::from(c.reserved)));
        }
        out.close();
        out.message = name.unwrap_or("control");
        if !self.big_endian(b, out) && c.reserved != 0 {
            out.expert_at(
                &BAD_FLAGS,
                0,
                2,
                format!("control word's low 16 bits are 0x{:04x}; the real sender leaves them zero", c.reserved),
            );
        }
        let idx = dir_index(dir);
        match (c.kind, c.body) {
            (udt::ACK, Some(seq)) => {
                let seq = seq & udt::SEQ_MASK;
                out.add(&CONTROL_ACK_SEQ, 4, 4, Value::Unsigned(u64::from(seq)));
                info_control(out, "ACK seq=", seq);
                if let Some(&f) = self.sent.peek(&(pkt.dst, pkt.src, seq)) {
                    out.add_generated(&CONTROL_ACKED, Value::Frame(f));
                }
            }
            (udt::HANDSHAKE, Some(isn)) => {
                let isn = isn & udt::SEQ_MASK;
                out.add(&CONTROL_ISN, 4, 4, Value::Unsigned(u64::from(isn)));
                info_control(out, "Handshake ISN=", isn);
                conn.flows[idx].handshake(isn, pkt.frame);
            }
            (udt::HANDSHAKE_ACK, Some(isn)) => {
                let isn = isn & udt::SEQ_MASK;
                out.add(&CONTROL_ISN, 4, 4, Value::Unsigned(u64::from(isn)));
                info_control(out, "HandshakeACK ISN=", isn);
                if let Some((announced, f)) = conn.flows[1 - idx].announced() {
                    out.add_generated(&CONTROL_HANDSHAKE, Value::Frame(f));
                    if announced != isn {
                        out.expert_at(
                            &HANDSHAKE_MISMATCH,
                            4,
                            4,
                            format!(
                                "HandshakeACK echoes {isn}, but the Handshake in frame {f} announced {announced}; the \
                                 sender ignores an ACK for another number and keeps sending Handshakes"
                            ),
                        );
                    }
                }
            }
            (udt::HANDSHAKE_REQUEST, _) => out.info.push_str("HandshakeRequest"),
            (kind, None) if kind <= udt::HANDSHAKE_ACK => {
                let _ = write!(out.info, "{} (truncated)", CONTROL_NAMES[kind as usize]);
                out.expert_at(
                    &MALFORMED,
                    0,
                    b.len(),
                    format!(
                        "{} of {} bytes: it carries a 4-byte sequence number after the control word; the receiver cannot read it",
                        CONTROL_NAMES[kind as usize],
                        b.len()
                    ),
                );
            }
            (kind, _) => {
                let _ = write!(out.info, "Control type {kind}");
                out.expert_at(
                    &UNKNOWN_CONTROL,
                    0,
                    4,
                    format!("control type {kind}: only 0 ACK, 1 Handshake, 2 HandshakeACK and 3 HandshakeRequest exist; the receiver ignores it"),
                );
            }
        }
        if b.len() > c.size() {
            out.add(&TRAILING, c.size(), b.len() - c.size(), Value::Bytes);
        }
        self.name_peers(&self.ends(conn, dir, pkt), out);
    }

    /// The packet's ends in the node table, from the slots its connection kept when they are
    /// still valid (a lookup of each end otherwise, kept for the next datagram).
    fn ends(&self, conn: &mut Connection, dir: Direction, pkt: &Packet) -> Ends {
        let kept = conn.nodes_at.map(|(epoch, slots)| (epoch, oriented(dir, slots)));
        let ends = self.nodes.ends_kept(pkt.src, pkt.dst, kept);
        let (epoch, slots) = ends.kept();
        conn.nodes_at = Some((epoch, oriented(dir, slots)));
        ends
    }

    /// Marks both ends as seen speaking Overte, the source and then the destination, as the
    /// most recently used: through the slots the connection kept while the table's epoch
    /// lasts, by lookup otherwise.
    fn mark_seen(&mut self, conn: &mut Connection, dir: Direction, pkt: &Packet) {
        if let Some((epoch, slots)) = conn.seen_at {
            let [src, dst] = oriented(dir, slots);
            if self.seen.touch_at(src, epoch) {
                self.seen.touch_at(dst, epoch);
                return;
            }
        }
        let (_, _, src, _) = self.seen.get_or_insert_slot(&pkt.src, || ());
        // The source, just used, is not the least recently used: inserting the destination
        // does not evict it (the table holds more than one), so its slot stays its own.
        let (_, _, dst, _) = self.seen.get_or_insert_slot(&pkt.dst, || ());
        conn.seen_at = Some((self.seen.epoch(), oriented(dir, [src, dst])));
    }

    fn data(&mut self, conn: &mut Connection, dir: Direction, pkt: &Packet, out: &mut Dissection) {
        let b = pkt.payload;
        let Ok(h) = DataHeader::parse(b) else {
            out.open(&UDT, 0, b.len(), Value::None);
            out.add(&UDT_MESSAGE, 0, 4, Value::Bool(true));
            out.close();
            out.message = "malformed";
            let _ = write!(out.info, "Malformed ({} bytes)", b.len());
            out.expert_at(
                &MALFORMED,
                0,
                b.len(),
                format!(
                    "the message bit is set, so the UDT header is 12 bytes, but the datagram has {}; the receiver drops it",
                    b.len()
                ),
            );
            return;
        };
        let hl = h.size();
        out.open(&UDT, 0, hl, Value::None);
        out.add(&UDT_CONTROL, 0, 4, Value::Bool(false));
        out.add(&UDT_RELIABLE, 0, 4, Value::Bool(h.reliable));
        out.add(&UDT_MESSAGE, 0, 4, Value::Bool(h.message.is_some()));
        out.add(&UDT_OBFUSCATION, 0, 4, Value::Unsigned(u64::from(h.obfuscation)));
        out.add(&UDT_SEQ, 0, 4, Value::Unsigned(u64::from(h.seq)));
        if let Some(m) = h.message {
            let position =
                Value::Enum { value: u64::from(m.position), name: Some(POSITION_NAMES[m.position as usize]) };
            out.add(&UDT_POSITION, 4, 4, position);
            out.add(&UDT_MESSAGE_NUMBER, 4, 4, Value::Unsigned(u64::from(m.number)));
            out.add(&UDT_PART, 8, 4, Value::Unsigned(u64::from(m.part)));
        }
        out.close();
        let big_endian = self.big_endian(b, out);
        if !big_endian && !h.reliable && (h.message.is_some() || h.obfuscation != 0) {
            let what = if h.message.is_some() { "the message bit" } else { "an obfuscation level" };
            out.expert_at(
                &BAD_FLAGS,
                0,
                4,
                format!(
                    "{what} without the reliable bit: only reliable packets are part of ordered messages or \
                     obfuscated (retransmissions); the real sender never writes this"
                ),
            );
        }
        let seq_note = self.sequence(&mut conn.flows[dir_index(dir)], pkt, out, &h);

        let scratch = std::mem::take(&mut self.scratch);
        let mut plain = scratch;
        plain.clear();
        let source = if h.obfuscation != 0 {
            plain.extend_from_slice(b);
            udt::xor_obfuscation(h.obfuscation, &mut plain[hl..]);
            out.add_source(format_args!("De-obfuscated (level {})", h.obfuscation), |v| v.extend_from_slice(&plain))
        } else {
            0
        };
        let bytes: &[u8] = if source == 0 { b } else { &plain };
        // Offsets below are from the datagram's start: in the frame, or in the derived copy.
        let prev = out.cursor();
        if source != 0 {
            out.set_cursor(source, 0);
        }
        self.nl_and_payload(conn, dir, pkt, out, &h, bytes);
        out.set_cursor(prev.0, prev.1);
        self.scratch = plain;
        if let Some(note) = seq_note {
            out.info.push_str(note);
        }
    }

    /// Starts the conversation's sequence tracking afresh when either end was removed from the
    /// domain since it began: the node's peers dropped that connection, and the process now at
    /// the address counts from its own initial sequence numbers.
    fn fresh_connection(&self, conn: &mut Connection, dir: Direction, pkt: &Packet) {
        let (client, server) = match dir {
            Direction::ClientToServer => (pkt.src, pkt.dst),
            Direction::ServerToClient => (pkt.dst, pkt.src),
        };
        let restarts = self.nodes.restarts;
        // Nothing restarted anywhere since this connection last looked: nothing to look up.
        if conn.restarts_seen == restarts {
            return;
        }
        let now = (self.nodes.generation(&client), self.nodes.generation(&server));
        if conn.generation != now {
            *conn = Connection { generation: now, ..Connection::default() };
        }
        conn.restarts_seen = restarts;
    }

    /// Follows the sequence number in its stream; returns a note for the info column.
    fn sequence(
        &mut self,
        flow: &mut Flow,
        pkt: &Packet,
        out: &mut Dissection,
        h: &DataHeader,
    ) -> Option<&'static str> {
        let stream = if h.reliable { "reliable" } else { "unreliable" };
        let mut note = None;
        let (status, original) = if h.reliable {
            let (status, link) = flow.reliable(h.seq);
            if let Some(link) = link {
                out.add_generated(&SEQ_HANDSHAKE, Value::Frame(link.frame));
                if !link.matches {
                    out.expert_at(
                        &HANDSHAKE_MISMATCH,
                        0,
                        4,
                        format!(
                            "the first reliable packet after the Handshake in frame {} has sequence number {}, but \
                             the Handshake announced {}; the receiver treats the packets before {} as lost",
                            link.frame, h.seq, link.isn, h.seq
                        ),
                    );
                }
            }
            let key = (pkt.src, pkt.dst, h.seq);
            let original = self.sent.peek(&key).copied();
            if original.is_none() {
                self.sent.get_or_insert_with(&key, || pkt.frame);
            }
            (status, original.filter(|_| status == SeqStatus::Retransmission))
        } else {
            flow.unreliable(h.seq, pkt.frame)
        };
        out.add_generated(
            &SEQ_STATUS,
            Value::Enum { value: status.code(), name: Some(SeqStatus::NAMES[status.code() as usize]) },
        );
        match status {
            SeqStatus::Gap(n) => {
                out.add_generated(&SEQ_MISSING, Value::Unsigned(u64::from(n)));
                out.expert_at(
                    &SEQ_GAP,
                    0,
                    4,
                    format!("{n} {stream} sequence number(s) skipped before {}: lost, or not captured", h.seq),
                );
            }
            SeqStatus::Retransmission => {
                note = Some(" (retransmission)");
                let of = match original {
                    Some(f) => {
                        out.add_generated(&SEQ_ORIGINAL, Value::Frame(f));
                        format!("of frame {f}")
                    }
                    None => "of a packet not captured".to_string(),
                };
                let obf = match h.obfuscation {
                    0 => String::new(),
                    l => format!(", obfuscated at level {l} (its 3rd or later resend)"),
                };
                out.expert_at(
                    &RETRANSMISSION,
                    0,
                    4,
                    format!(
                        "reliable sequence number {} again: retransmission {of}{obf}; the receiver ACKs it and keeps \
                         only the first copy",
                        h.seq
                    ),
                );
            }
            SeqStatus::Duplicate | SeqStatus::OutOfOrder => {
                let what = match original {
                    Some(f) => format!("the same unreliable sequence number as frame {f}"),
                    None => "an unreliable sequence number below the highest seen".to_string(),
                };
                out.expert_at(
                    &DUPLICATE,
                    0,
                    4,
                    format!(
                        "{what} ({}): the real sender counts up by one per packet and never resends unreliable \
                         packets, so the network or the sender duplicated or reordered it",
                        h.seq
                    ),
                );
            }
            _ if h.obfuscation != 0 => {
                note = Some(" (retransmission)");
                out.expert_at(
                    &RETRANSMISSION,
                    0,
                    4,
                    format!(
                        "obfuscation level {}: only the 3rd and later resends of a reliable packet are obfuscated; \
                         the earlier copies were not captured",
                        h.obfuscation
                    ),
                );
            }
            _ => {}
        }
        note
    }

    /// The NLPacket header and what follows it, from `bytes` (the datagram, de-obfuscated).
    fn nl_and_payload(
        &mut self,
        conn: &mut Connection,
        dir: Direction,
        pkt: &Packet,
        out: &mut Dissection,
        h: &DataHeader,
        bytes: &[u8],
    ) {
        let hl = h.size();
        let nl = &bytes[hl..];
        let (t, v) = match nl {
            [t, v, ..] => (*t, *v),
            _ => {
                out.message = "malformed";
                let _ = write!(out.info, "Malformed ({} bytes)", bytes.len());
                out.expert_at(
                    &MALFORMED,
                    hl,
                    nl.len(),
                    format!("no room for the NLPacket type and version after the {hl}-byte UDT header; the receiver drops it"),
                );
                if !nl.is_empty() {
                    out.add(&PAYLOAD, hl, nl.len(), Value::Bytes);
                }
                return;
            }
        };
        let name = types::name(t);
        out.message = name.unwrap_or("unknown type");
        match name {
            Some(n) => out.info.push_str(n),
            None => {
                let _ = write!(out.info, "Type {t}");
            }
        }
        let own = Layout::of(t);
        let mistake = sourcing::check(t, nl);
        let layout = match mistake {
            Some(m) if !m.own_fits => m.written,
            _ => own,
        };
        let nl_len = layout.len();
        out.open(&NL, hl, nl_len.min(nl.len()), Value::None);
        out.add(&TYPE, hl, 1, Value::Enum { value: u64::from(t), name });
        out.add(&VERSION, hl + 1, 1, Value::Unsigned(u64::from(v)));
        let fits = nl.len() >= nl_len;
        let id = (layout.source_id && fits).then(|| u16::from_le_bytes([nl[2], nl[3]]));
        if let Some(id) = id {
            out.add(&SOURCE_ID, hl + 2, 2, Value::Unsigned(u64::from(id)));
        }
        let hmac_at = hl + 2 + if layout.source_id { 2 } else { 0 };
        if layout.hmac && fits {
            out.add(&HMAC, hmac_at, HMAC_LEN, Value::Bytes);
        }
        match self.table.version(t) {
            None => out.expert_at(
                &UNKNOWN_TYPE,
                hl,
                1,
                format!("packet type {t} is not one of the 106 Overte types (0-105); no listener handles it"),
            ),
            Some(e) if e != v => {
                out.add_generated(&EXPECTED_VERSION, Value::Unsigned(u64::from(e)));
                let dialect =
                    if types::alternative_version(t, v) { " (the version a Vircadia peer sends)" } else { "" };
                out.expert_at(
                    &VERSION_MISMATCH,
                    hl + 1,
                    1,
                    format!(
                        "{} version {v}{dialect}, but {} says {e}: a receiver built from that table drops it as a \
                         version mismatch",
                        name.unwrap_or("packet"),
                        self.table.origin
                    ),
                );
            }
            _ => {}
        }
        out.close();
        if let Some(m) = mistake {
            explain_sourcing(out, t, hl, nl, m);
        }
        // The ends' nodes feed findings, the tables, the info column and the fields below, and
        // a datagram to a domain server changes them (heard by it): for any other, when none of
        // these is read, its ends are not looked up.
        let to_domain = self.nodes.is_domain(&pkt.dst);
        let ends =
            (to_domain || out.wants_info() || out.wants_findings_or(&ENDS_FIELDS)).then(|| self.ends(conn, dir, pkt));
        if !fits {
            out.expert_at(
                &MALFORMED,
                hl,
                nl.len(),
                format!(
                    "{} needs a {nl_len}-byte NLPacket header{}, but only {} bytes follow the UDT header; the receiver drops it",
                    name.unwrap_or("this type"),
                    if layout.hmac { " (type, version, source ID, 16-byte hash)" } else { "" },
                    nl.len()
                ),
            );
            if nl.len() > 2 {
                out.add(&PAYLOAD, hl + 2, nl.len() - 2, Value::Bytes);
            }
            if let Some(ends) = &ends {
                self.name_peers(ends, out);
            }
            return;
        }
        self.roles(pkt, t);
        if let (true, Some(id), Some(ends)) = (layout == own, id, &ends) {
            self.check_source(pkt, ends, to_domain, out, t, id, hl, &bytes[hmac_at..]);
        }
        let body_at = hl + nl_len;
        let body = &bytes[body_at..];
        match h.message {
            Some(m) if m.position != POSITION_ONLY => {
                if !body.is_empty() {
                    out.add(&FRAGMENT, body_at, body.len(), Value::Bytes);
                }
                if out.wants_info() {
                    let s = &mut out.info;
                    s.push_str(" [");
                    s.push_str(POSITION_NAMES[m.position as usize]);
                    s.push_str(" part ");
                    udpdissect_core::digits::push_u64(s, m.part.into());
                    s.push_str(" of message ");
                    udpdissect_core::digits::push_u64(s, m.number.into());
                    s.push(']');
                }
                let evicted = self.reassembly.evicted;
                let added = self.reassembly.add((pkt.src, pkt.dst, m.number), m.position, m.part, pkt.frame, body);
                if self.reassembly.evicted > evicted {
                    out.expert(
                        &REASSEMBLY_LIMIT,
                        format!(
                            "{} incomplete message(s) dropped to make room: at most {} messages of up to 1 MiB wait \
                             for their parts",
                            self.reassembly.evicted - evicted,
                            crate::reassembly::MAX_PENDING
                        ),
                    );
                }
                match added {
                    Added::Complete { body: message, frames } => {
                        if out.wants_info() {
                            let _ = write!(out.info, " [reassembled: {} parts, {} bytes]", frames.len(), message.len());
                        }
                        out.add_generated(&REASSEMBLED_PARTS, Value::Unsigned(frames.len() as u64));
                        out.add_generated(&REASSEMBLED_LEN, Value::Unsigned(message.len() as u64));
                        if out.wants(&REASSEMBLED_FRAME) {
                            for f in &frames {
                                out.add_generated(&REASSEMBLED_FRAME, Value::Frame(*f));
                            }
                        }
                        let src =
                            out.add_source(format_args!("Reassembled message"), |v| v.extend_from_slice(&message));
                        self.payload(pkt, out, t, v, (src, 0), &message, true, None);
                    }
                    Added::Dropped(why) => out.expert_at(
                        &REASSEMBLY_LIMIT,
                        body_at,
                        body.len(),
                        format!("message {} from {} is not reassembled: {why}", m.number, pkt.src),
                    ),
                    Added::Pending | Added::Repeat => {}
                }
            }
            _ => {
                let retry = mistake.is_none().then_some((nl, hl));
                let (source, base) = out.cursor();
                self.payload(pkt, out, t, v, (source, base + body_at as u32), body, false, retry);
            }
        }
        if matches!(t, 3 | 13) {
            self.keepalive(&mut conn.flows[dir_index(dir)], pkt, out);
        }
        if let Some(ends) = &ends {
            self.name_peers(ends, out);
        }
    }

    /// Runs the payload decoder with the cursor at `at` and applies what it learned. `retry`
    /// (the datagram from the NL header on, and where that starts) enables the sourcing re-try when the decode is
    /// partial.
    #[allow(clippy::too_many_arguments)]
    fn payload(
        &mut self,
        pkt: &Packet,
        out: &mut Dissection,
        t: u8,
        v: u8,
        at: (u16, u32),
        bytes: &[u8],
        reassembled: bool,
        retry: Option<(&[u8], usize)>,
    ) {
        // A payload that teaches the session nothing, where nothing reads what decoding it
        // gives (findings, the info column, its fields), is left undecoded.
        if !payload::teaches(t)
            && !out.wants_findings()
            && !out.wants_info()
            && !out.wants(&PAYLOAD)
            && !out.wants_any(payload::FIELDS, &mut self.payload_kept)
        {
            return;
        }
        let prev = out.set_cursor(at.0, at.1);
        clear(&mut self.learned);
        let ends = if payload::direction_matters(t) {
            let e = self.nodes.ends(pkt.src, pkt.dst);
            (self.nodes.type_at(&e, End::Src), self.nodes.type_at(&e, End::Dst))
        } else {
            (None, None)
        };
        let cx = PayloadCx { packet_type: t, version: v, reassembled, ends };
        let at = out.info.len();
        let decoded = payload::dissect(&cx, bytes, out, &mut self.learned);
        if out.info.len() > at && out.info.is_char_boundary(at) && !out.info[at..].starts_with(' ') {
            out.info.insert(at, ' ');
        }
        match decoded {
            Decoded::NotDecoded if !bytes.is_empty() => {
                out.add(&PAYLOAD, 0, bytes.len(), Value::Bytes);
            }
            Decoded::Partial => {
                if let Some((nl, nl_at)) = retry {
                    out.set_cursor(prev.0, prev.1);
                    retry_layouts(out, &cx, nl, nl_at);
                }
            }
            _ => {}
        }
        out.set_cursor(prev.0, prev.1);
        self.nodes.learn(pkt.frame, pkt.time, pkt.src, pkt.dst, &self.learned);
        if let Some(sig) = &self.learned.signature {
            self.judge_signature(out, sig);
        }
    }

    fn judge_signature(&self, out: &mut Dissection, sig: &[u8]) {
        let builtin = self.table.signature == types::BUILTIN_SIGNATURE;
        let (code, name) = if sig == self.table.signature {
            (0, if builtin { "matches the built-in table" } else { "matches the user's table" })
        } else if sig == INCORRECT_VERSION {
            (2, "INCORRECTVERSION")
        } else {
            (1, if builtin { "differs from the built-in table" } else { "differs from the user's table" })
        };
        out.add_generated(&SIGNATURE_STATUS, Value::Enum { value: code, name: Some(name) });
        // An empty signature (a zero-length QByteArray) would leave a gap in the message.
        let shown = if sig.is_empty() { "(empty)".to_string() } else { Hex(sig).to_string() };
        match code {
            1 => out.expert(
                &SIGNATURE_MISMATCH,
                format!(
                    "protocol signature {} differs from {}'s {}: a domain server built from that table answers \
                     DomainConnectionDenied (protocol mismatch) and sends no DomainList. If this server accepted it, \
                     give its version table with -o overte.versions:FILE",
                    shown,
                    self.table.origin,
                    Hex(&self.table.signature)
                ),
            ),
            2 => out.expert(
                &SIGNATURE_INCORRECT_VERSION,
                "the protocol signature is the literal INCORRECTVERSION (a development build's \
                 sendWrongProtocolVersionsSignature): every domain server denies the connection",
            ),
            _ => {}
        }
    }

    /// Roles the packet type alone reveals: who checks in with a domain server, who is one.
    fn roles(&mut self, pkt: &Packet, t: u8) {
        match t {
            31 | 13 | 55 | 47 => self.nodes.checks_in(pkt.src, pkt.dst, None),
            2 => self.nodes.checks_in(pkt.dst, pkt.src, None),
            16 | 21 | 56 | 46 | 48 => self.nodes.domain_server(pkt.src),
            _ => {}
        }
    }

    /// The source ID against the assigned Local IDs, the HMAC against the connection secret,
    /// and whether the domain server counts the packet as hearing from its node.
    #[allow(clippy::too_many_arguments)]
    fn check_source(
        &mut self,
        pkt: &Packet,
        ends: &Ends,
        to_domain: bool,
        out: &mut Dissection,
        t: u8,
        id: u16,
        hl: usize,
        from_hmac: &[u8],
    ) {
        let name = types::name(t).unwrap_or("this packet");
        let check = self.nodes.check_source(ends, id, pkt.frame);
        let consequence = if to_domain {
            "; the domain server never hears from the node and removes it after its silence threshold"
        } else {
            ""
        };
        match check {
            SourceCheck::ByteSwapped { assigned, frame } => out.expert_at(
                &SOURCE_ID_BYTE_SWAPPED,
                hl + 2,
                2,
                format!(
                    "source ID 0x{id:04x} is the byte-swapped Local ID 0x{assigned:04x} assigned in frame {frame}: \
                     the DomainList carries the Local ID big-endian, the NLPacket header needs it little-endian. The \
                     receiver finds no node 0x{id:04x} and drops the packet{consequence}"
                ),
            ),
            SourceCheck::Unknown { own } => {
                let mine = match own {
                    Some((l, f)) => format!(" (this sender was assigned 0x{l:04x} in frame {f})"),
                    None => String::new(),
                };
                out.expert_at(
                    &SOURCE_ID_UNKNOWN,
                    hl + 2,
                    2,
                    format!(
                        "source ID 0x{id:04x} matches no Local ID assigned in this capture{mine}: the receiver drops \
                         packets from unknown nodes{consequence}"
                    ),
                );
            }
            SourceCheck::Known => {
                if let Some(f) =
                    self.nodes.at(ends, End::Src).filter(|n| n.local_id == Some(id)).and_then(|n| n.assigned)
                {
                    out.add_generated(&ASSIGNED_FRAME, Value::Frame(f.0));
                }
            }
            SourceCheck::Unchecked => {}
        }
        let auth = self.nodes.authenticate(ends, End::Dst).or_else(|| self.nodes.authenticate(ends, End::Src));
        let verified = types::is_verified(t);
        if to_domain {
            // DOMAIN_IGNORED_VERIFICATION: the asset replies the DS relays unverified.
            let fails = verified && !matches!(t, 50 | 52 | 62) && auth != Some(false);
            if verified {
                out.add_generated(&HMAC_STATUS, Value::Enum { value: 4, name: Some(HMAC_STATUS_NAMES[4]) });
                let verdict = if fails { HashVerdict::Failed } else { HashVerdict::Unchecked };
                self.nodes.tally_hash(ends, verdict);
            }
            if fails {
                let when = if auth == Some(true) {
                    " (this domain's DomainList turned authentication on)"
                } else {
                    " when the domain turns authentication on (metaverse.enable_packet_verification)"
                };
                out.expert_at(
                    &VERIFIED_TO_DOMAIN_SERVER,
                    hl,
                    1,
                    format!(
                        "{name} is sourced and verified, sent to the domain server: the server holds no connection \
                         secret for its nodes, so the hash check fails and the packet is dropped{when}. The official \
                         client sends only non-verified types to the domain server (its keep-alive is the 1 Hz \
                         DomainListRequest); Pings go to the assignment clients"
                    ),
                );
            } else if matches!(check, SourceCheck::Known) {
                self.nodes.heard_by_domain(pkt.dst, id, pkt.frame, pkt.time);
            }
            return;
        }
        if !verified || from_hmac.len() < HMAC_LEN {
            return;
        }
        // Nothing reads the verdict (no finding, no tally, none of its fields): skip the hash.
        if !out.wants_findings_or(&[&HMAC_STATUS, &HMAC_SECRET_FRAME]) {
            return;
        }
        let (hash, data) = from_hmac.split_at(HMAC_LEN);
        let secret = self.nodes.secret(ends, id);
        let zero = hash.iter().all(|&x| x == 0);
        let status = match secret {
            _ if zero => 2,
            None => 3,
            Some(s) => {
                let expected = s.mac(data);
                if expected[..] == *hash || cfg!(fuzzing) {
                    0
                } else {
                    if auth != Some(false) {
                        out.expert_at(
                            &HMAC_MISMATCH,
                            hl + 4,
                            HMAC_LEN,
                            format!(
                                "hash {} is not the HMAC-MD5 of this datagram under the connection secret from frame \
                                 {} (expected {}): the receiver drops it as a hash mismatch. The hash covers the \
                                 plaintext bytes after the hash field to the end of the datagram",
                                Hex(hash),
                                s.frame,
                                Hex(&expected)
                            ),
                        );
                    }
                    1
                }
            }
        };
        if let Some(s) = secret {
            out.add_generated(&HMAC_SECRET_FRAME, Value::Frame(s.frame));
            if zero && auth != Some(false) {
                out.expert_at(
                    &HMAC_ZERO,
                    hl + 4,
                    HMAC_LEN,
                    format!(
                        "the hash slot is all zero: the sender had no connection secret, but the receiver holds one \
                         (frame {}) and drops the packet as a hash mismatch",
                        s.frame
                    ),
                );
            }
        }
        out.add_generated(&HMAC_STATUS, Value::Enum { value: status, name: Some(HMAC_STATUS_NAMES[status as usize]) });
        // What the receiver does: it checks only under a secret, and only while authenticating.
        let verdict = match status {
            0 => HashVerdict::Ok,
            1 | 2 if secret.is_some() && auth != Some(false) => HashVerdict::Failed,
            _ => HashVerdict::Unchecked,
        };
        self.nodes.tally_hash(ends, verdict);
    }

    fn keepalive(&mut self, flow: &mut Flow, pkt: &Packet, out: &mut Dissection) {
        if let Some(prev) = flow.last_keepalive.replace(pkt.time) {
            let gap = pkt.time.saturating_sub(prev);
            out.add_generated(&KEEPALIVE_INTERVAL, Value::Duration(gap));
            if gap > KEEPALIVE_LATE_NS {
                out.expert(
                    &KEEPALIVE_LATE,
                    format!(
                        "{} s since the previous keep-alive on this path; the official client sends one every second \
                         and the receiver removes a node silent for {} s",
                        Seconds(gap),
                        Seconds(self.nodes.silence)
                    ),
                );
            }
        }
    }

    /// Names both ends in the tree and the info column, when known.
    fn name_peers(&self, ends: &Ends, out: &mut Dissection) {
        // Two node lookups, for fields and a column nothing may read (statistics, -q).
        if !(out.wants_info() || out.wants(&SENDER) || out.wants(&RECEIVER)) {
            return;
        }
        let from = node_name(self.nodes.type_at(ends, End::Src));
        let to = node_name(self.nodes.type_at(ends, End::Dst));
        if from.is_none() && to.is_none() {
            return;
        }
        if let Some(n) = from {
            out.add_generated(&SENDER, Value::String(Cow::Borrowed(n)));
        }
        if let Some(n) = to {
            out.add_generated(&RECEIVER, Value::String(Cow::Borrowed(n)));
        }
        if out.wants_info() {
            for part in [" [", from.unwrap_or("?"), " → ", to.unwrap_or("?"), "]"] {
                out.info.push_str(part);
            }
        }
    }

    /// Raises `overte.udt_big_endian` when the first word makes sense only byte-swapped.
    fn big_endian(&self, b: &[u8], out: &mut Dissection) -> bool {
        let (le, be) = (u32::from_le_bytes([b[0], b[1], b[2], b[3]]), u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
        if le == be {
            return false;
        }
        // Big-endian when only that reading makes sense, or when it does and byte 3 is 1..=7:
        // read little-endian, an unreliable sequence number past 2^24 (a real counter starts
        // at 1; a reliable word has bit 30 set), so a small number written big-endian. (A
        // big-endian word with byte 3 zero, like `40 00 00 00`, stays ambiguous.) The
        // byte-swapped reading first, as the finding needs it: the other is judged only when
        // that one makes sense and byte 3 does not settle it.
        if !self.plausible(be, b) {
            return false;
        }
        let small_number = (1..=7).contains(&b[3]);
        if !small_number && self.plausible(le, b) {
            return false;
        }
        Self::note_big_endian(b, le, be, out);
        true
    }

    /// The finding and its text, out of line: almost no datagram raises it.
    #[cold]
    #[inline(never)]
    fn note_big_endian(b: &[u8], le: u32, be: u32, out: &mut Dissection) {
        out.expert_at(
            &UDT_BIG_ENDIAN,
            0,
            4,
            format!(
                "the UDT header word {} read little-endian, as the real peer reads it, is {}; read big-endian it is \
                 {}, which fits this datagram: the sender wrote it in network byte order (htonl). Overte writes the \
                 header words little-endian, so the peer misreads the flags and the sequence number",
                Hex(&b[..4]),
                describe_word(le),
                describe_word(be)
            ),
        );
    }

    /// Whether a first word fits the datagram as the real sender would write it.
    fn plausible(&self, w: u32, b: &[u8]) -> bool {
        if udt::is_control(w) {
            return heuristic::control_shape_ok(w, b.len());
        }
        let reliable = w & udt::RELIABLE_BIT != 0;
        let message = w & udt::MESSAGE_BIT != 0;
        let level = ((w & udt::OBFUSCATION_MASK) >> udt::OBFUSCATION_SHIFT) as usize;
        if (message || level != 0) && !reliable {
            return false;
        }
        let at = if message { udt::MESSAGE_HEADER_LEN } else { udt::HEADER_LEN };
        let Some((t, v)) = heuristic::type_and_version(b, at, level) else { return false };
        (self.table.version(t) == Some(v) || types::alternative_version(t, v))
            && b.len() >= at + types::nl_header_len(t)
    }

    fn silence(&mut self, now: TimeNs, out: &mut Dissection, end: bool) {
        // The nodes are marked reported either way; their message is written only if read.
        let read = out.wants_findings();
        for s in self.nodes.silent(now, end) {
            if read {
                out.expert_since(&NODE_SILENT, silent_message(&s, now, self.nodes.silence, end), s.since.0, s.lost);
            }
        }
    }
}

/// A control packet's name and number in the Info column, when it is read (without `fmt`: a
/// session's connections each start with a Handshake and its ACK).
fn info_control(out: &mut Dissection, label: &str, n: u32) {
    if out.wants_info() {
        out.info.push_str(label);
        udpdissect_core::digits::push_u64(&mut out.info, n.into());
    }
}

fn describe_word(w: u32) -> String {
    if udt::is_control(w) {
        let kind = (w & !udt::CONTROL_BIT) >> 16;
        return match CONTROL_NAMES.get(kind as usize) {
            Some(n) => format!("a {n} control packet"),
            None => format!("control type {kind}"),
        };
    }
    let mut s = format!(
        "{} sequence number {}",
        if w & udt::RELIABLE_BIT != 0 { "reliable" } else { "unreliable" },
        w & udt::SEQ_MASK
    );
    if w & udt::MESSAGE_BIT != 0 {
        s.push_str(", part of a message");
    }
    let level = (w & udt::OBFUSCATION_MASK) >> udt::OBFUSCATION_SHIFT;
    if level != 0 {
        let _ = write!(s, ", obfuscation level {level}");
    }
    s
}

fn silent_message(s: &Silent, now: TimeNs, threshold: TimeNs, end: bool) -> String {
    let who = node_name(s.node_type).unwrap_or("node");
    let id = s.local_id.map(|l| format!(" (Local ID 0x{l:04x})")).unwrap_or_default();
    let since = if s.heard {
        format!("its last accepted packet in frame {}", s.since.0)
    } else {
        format!("its Local ID was assigned in frame {}", s.since.0)
    };
    let when = if end { "by the end of the capture" } else { "at this packet" };
    let wrong = match s.wrong_id {
        Some((w, f)) => format!(
            ". Its packets do reach the server, but with source ID 0x{w:04x} (frame {f}), which names no node, so they do not count"
        ),
        None => String::new(),
    };
    format!(
        "the domain server {} has not heard from {who} {}{id} since {since} ({} s {when}): it removes nodes silent for \
         {} s (NODE_SILENCE_THRESHOLD_MSECS), and the node has to connect again{wrong}",
        s.domain,
        s.addr,
        Seconds(now.saturating_sub(s.since.1)),
        Seconds(threshold)
    )
}

/// Explains a header written with the wrong sourcing.
fn explain_sourcing(out: &mut Dissection, t: u8, hl: usize, nl: &[u8], m: Mistake) {
    let name = types::name(t).unwrap_or("this type");
    let own = Layout::of(t);
    let written = m.written;
    let fate = if m.own_fits {
        "The receiver reads the header the type's way and misreads the payload"
    } else {
        "The datagram is too short for the real header, so the receiver drops it; the payload is shown as written"
    };
    let payload_len = nl.len().saturating_sub(written.len());
    if own.source_id && !written.source_id {
        let missing = if own.hmac && !written.hmac {
            "a 2-byte source Local ID and a 16-byte hash slot"
        } else {
            "a 2-byte source Local ID"
        };
        out.expert_at(
            &SOURCE_ID_MISSING,
            hl,
            nl.len().min(own.len()),
            format!(
                "{name} is a sourced type: after type and version the header carries {} ({} bytes in all), but this \
                 datagram fits only without {missing}: read that way, its {payload_len}-byte payload has {name}'s shape. \
                 {fate}",
                if own.hmac {
                    "the sender's little-endian Local ID and a 16-byte HMAC slot"
                } else {
                    "the sender's little-endian Local ID"
                },
                own.len()
            ),
        );
    } else {
        let extra = written.len() - own.len();
        out.expert_at(
            &SOURCE_ID_UNEXPECTED,
            hl + 2,
            extra,
            format!(
                "{name} is not sourced: its payload starts right after type and version, but these {extra} bytes \
                 look like a source ID{} (without them the payload has {name}'s shape). {fate}",
                if written.hmac { " and a hash slot" } else { "" }
            ),
        );
    }
}

/// Payload findings that say the bytes were not framed as the type's payload.
static FRAMING: [&ExpertInfo; 4] =
    [&payload::TRUNCATED, &payload::MALFORMED, &payload::TRAILING_BYTES, &payload::WRONG_LENGTH];

/// After a partial decode: if the payload decodes fully when the header is read with or
/// without a source ID (and hash slot), the header was written the other way.
fn retry_layouts(out: &mut Dissection, cx: &PayloadCx, nl: &[u8], nl_at: usize) {
    let t = cx.packet_type;
    for &alt in Layout::alternatives(t) {
        let Some(body) = nl.get(alt.len()..) else { continue };
        let mut scratch = Dissection::new(false);
        let mut learned = Learned::default();
        // The other layout must frame the payload exactly: read to its end, nothing left over,
        // the type's length (content mistakes such as a mangled address may remain).
        if payload::dissect(cx, body, &mut scratch, &mut learned) == Decoded::Full
            && !scratch.experts().iter().any(|e| FRAMING.contains(&e.info))
        {
            explain_sourcing(out, t, nl_at, nl, Mistake { written: alt, own_fits: true });
            return;
        }
    }
}

/// Overte takes every datagram but STUN's (ICE shares the sockets with it).
fn accepts(b: &[u8]) -> bool {
    !is_stun(b)
}

/// Overte's stateless decisions, for dispatching on another thread: the version table the
/// heuristic reads.
struct OverteRules(VersionTable);

impl Rules for OverteRules {
    fn accepts(&self, pkt: &Packet, _before: bool) -> bool {
        accepts(pkt.payload)
    }

    fn probe(&self, pkt: &Packet, known: bool) -> u8 {
        heuristic::probe(pkt.payload, &self.0, known)
    }
}

impl Dissector for Overte {
    fn info(&self) -> &'static ProtocolInfo {
        &PROTOCOL
    }

    fn knows(&self, src: SocketAddr, dst: SocketAddr) -> bool {
        self.seen.peek(&src).is_some()
            || self.seen.peek(&dst).is_some()
            || self.nodes.knows(&src)
            || self.nodes.knows(&dst)
    }

    fn rules(&self) -> Option<Box<dyn Rules>> {
        Some(Box::new(OverteRules(self.table.clone())))
    }

    fn dissect(&mut self, cx: &mut Context, pkt: &Packet, out: &mut Dissection) -> Verdict {
        let b = pkt.payload;
        if !accepts(b) {
            return Verdict::Rejected;
        }
        out.protocol = PROTOCOL.column;
        out.open(&OVERTE, 0, b.len(), Value::None);
        self.nodes.lost = out.unseen().total;
        // The connection's state, found once for everything below.
        let dir = cx.direction;
        let conn = cx.state::<Connection>();
        if b.len() < udt::HEADER_LEN {
            out.message = "malformed";
            let _ = write!(out.info, "Malformed ({} bytes)", b.len());
            out.expert_at(
                &MALFORMED,
                0,
                b.len(),
                format!("{} bytes: a UDT header needs 4; the receiver drops the datagram", b.len()),
            );
            if !b.is_empty() {
                out.add(&PAYLOAD, 0, b.len(), Value::Bytes);
            }
        } else {
            self.fresh_connection(conn, dir, pkt);
            if udt::is_control(u32::from_le_bytes([b[0], b[1], b[2], b[3]])) {
                self.control(conn, dir, pkt, out);
            } else {
                self.data(conn, dir, pkt, out);
            }
        }
        out.close();
        self.silence(pkt.time, out, false);
        self.mark_seen(conn, dir, pkt);
        Verdict::Accepted
    }

    fn finish(&mut self, last_time: TimeNs, out: &mut Dissection) {
        self.end = Some(last_time);
        self.nodes.lost = out.unseen().total;
        self.silence(last_time, out, true);
    }

    fn set_pref(&mut self, pref: &str, value: &str) -> Result<(), String> {
        match pref {
            "versions" => {
                let text = std::fs::read_to_string(value).map_err(|e| format!("overte.versions: {value}: {e}"))?;
                self.table = VersionTable::parse(&text, value).map_err(|e| format!("overte.versions: {value}: {e}"))?;
                Ok(())
            }
            "silence_threshold" => {
                let secs: f64 = value
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s < 1e6)
                    .ok_or_else(|| format!("overte.silence_threshold: '{value}' is not a number of seconds"))?;
                self.nodes.silence = (secs * 1e9) as TimeNs;
                Ok(())
            }
            _ => Err(format!("unknown preference 'overte.{pref}' (known: versions, silence_threshold)")),
        }
    }

    fn tables(&self) -> Vec<Table> {
        let mut t = Table::new(
            "overte.nodes",
            "Overte nodes",
            vec![
                "address",
                "node type",
                "local ID",
                "assigned in",
                "domain server",
                "last heard by it",
                "longest silence",
                "sourced",
                "bad source id",
                "hmac ok",
                "hmac failed",
                "hmac unchecked",
            ],
        );
        let mut nodes: Vec<_> = self.nodes.by_addr.iter().collect();
        nodes.sort_unstable_by_key(|(addr, _)| **addr);
        for (addr, n) in nodes {
            t.rows.push(vec![
                Cell::socket(*addr),
                node_name(n.node_type).map_or(Cell::Empty, Cell::Name),
                n.local_id.map_or(Cell::Empty, |l| Cell::Text(format!("0x{l:04x}"))),
                n.assigned.map_or(Cell::Empty, |a| Cell::Frame(a.0)),
                n.domain.map_or(Cell::Empty, |d| Cell::Text(d.to_string())),
                n.heard.map_or(Cell::Empty, |h| Cell::Frame(h.0)),
                n.longest_silence(self.end).map_or(Cell::Empty, Cell::Duration),
                Cell::UInt(n.tally.sourced),
                Cell::UInt(n.tally.bad_source),
                Cell::UInt(n.tally.hmac_ok),
                Cell::UInt(n.tally.hmac_failed),
                Cell::UInt(n.tally.hmac_unchecked),
            ]);
        }
        t.omitted = self.nodes.by_addr.evicted();
        vec![t]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(o: &Overte, sig: &[u8]) -> (Option<&'static str>, Vec<&'static str>, Vec<String>) {
        let mut d = Dissection::new(true);
        o.judge_signature(&mut d, sig);
        let status = match d.values("overte.signature.status").next().map(|f| &f.value) {
            Some(Value::Enum { name, .. }) => *name,
            _ => None,
        };
        (status, d.experts().iter().map(|e| e.tag()).collect(), d.experts().iter().map(|e| e.message.clone()).collect())
    }

    #[test]
    fn protocol_signature_against_the_table() {
        let o = Overte::new();
        assert_eq!(judge(&o, &types::BUILTIN_SIGNATURE).0, Some("matches the built-in table"));
        let (status, tags, _) = judge(&o, b"INCORRECTVERSION");
        assert_eq!((status, tags), (Some("INCORRECTVERSION"), vec!["overte.signature_incorrect_version"]));
        let stale = types::signature(&[22; 106]);
        let (status, tags, messages) = judge(&o, &stale);
        assert_eq!((status, tags), (Some("differs from the built-in table"), vec!["overte.signature_mismatch"]));
        assert!(messages[0].contains("the built-in table's eb1600e798dc5e03c755a968dc16b7fc"), "{}", messages[0]);

        let mut o = Overte::new();
        o.table = VersionTable::parse("AvatarData 54", "v.txt").unwrap();
        let user = o.table.signature;
        assert_eq!(judge(&o, &user).0, Some("matches the user's table"));
        assert_eq!(judge(&o, &types::BUILTIN_SIGNATURE).1, ["overte.signature_mismatch"]);
    }
}
