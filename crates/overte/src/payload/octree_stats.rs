//! OctreeStats (24): the entity server's scene statistics, sent to each client at the end of a
//! scene (`OctreeSceneStats::packIntoPacket`, read by `OctreeSceneStats::unpackFromPacket`).
//!
//! Layout: four u64 LE clocks (start, end, elapsed, encode time), two bool bytes (full scene,
//! moving), u32 LE packet count, u64 LE byte count, then 22 u64 LE counters: 222 bytes. All
//! raw `writePrimitive` copies of `quint64` / `quint32` / `bool` members, so fixed widths.
//!
//! Piggyback (`OctreeSendThread::handlePacketSend`): when the pending EntityData packet fits in
//! the stats packet's free space, the server appends that whole packet, header included (UDT
//! word, type, version, source ID, hash slot), as it sits unsent in memory. Interface
//! (`OctreePacketProcessor::processPacket`) reads the stats, makes a new packet of the bytes
//! after them (`NLPacket::fromReceivedPacket`: UDT header, type, version, source ID for sourced
//! types; the hash is not checked), drops it when its version differs from its own table, and
//! otherwise handles it as if it had arrived alone.

use std::fmt::Write as _;

use udpdissect_core::{ExpertInfo, FieldInfo, FieldKind as K, Value};

use super::codec::{Rd, Walk};
use super::fields as f;
use super::types::*;
use crate::nlpacket::{NlHeader, HMAC_LEN};
use crate::{types, udt};

/// Bytes `packIntoPacket` writes before any piggybacked packet.
pub const STATS_LEN: usize = 222;

/// This module's payload fields, for `--list-fields` and the filter catalog.
pub(crate) static FIELDS: &[&FieldInfo] = &[
    &START,
    &END,
    &ELAPSED,
    &ENCODE_TIME,
    &IS_FULL_SCENE,
    &IS_MOVING,
    &PACKETS,
    &BYTES,
    &TOTAL_INTERNAL,
    &TOTAL_LEAVES,
    &TOTAL_ELEMENTS,
    &INTERNAL,
    &LEAVES,
    &TRAVERSED,
    &INTERNAL_SKIPPED_DISTANCE,
    &LEAVES_SKIPPED_DISTANCE,
    &SKIPPED_DISTANCE,
    &INTERNAL_SKIPPED_OUT_OF_VIEW,
    &LEAVES_SKIPPED_OUT_OF_VIEW,
    &SKIPPED_OUT_OF_VIEW,
    &INTERNAL_SKIPPED_WAS_IN_VIEW,
    &LEAVES_SKIPPED_WAS_IN_VIEW,
    &SKIPPED_WAS_IN_VIEW,
    &INTERNAL_SKIPPED_NO_CHANGE,
    &LEAVES_SKIPPED_NO_CHANGE,
    &SKIPPED_NO_CHANGE,
    &INTERNAL_SKIPPED_OCCLUDED,
    &LEAVES_SKIPPED_OCCLUDED,
    &SKIPPED_OCCLUDED,
    &INTERNAL_COLOR_SENT,
    &LEAVES_COLOR_SENT,
    &COLOR_SENT,
    &INTERNAL_DIDNT_FIT,
    &LEAVES_DIDNT_FIT,
    &DIDNT_FIT,
    &COLOR_BITS,
    &EXISTS_BITS,
    &EXISTS_IN_PACKET_BITS,
    &TREES_REMOVED,
    &PIGGYBACK,
    &PB_UDT_WORD,
    &PB_SEQUENCE,
    &PB_OBFUSCATION,
    &PB_MESSAGE_WORD,
    &PB_MESSAGE_PART,
    &PB_TYPE,
    &PB_VERSION,
    &PB_SOURCE_ID,
    &PB_HMAC,
    &PB_PAYLOAD,
];
/// This module's payload findings.
pub(crate) static EXPERTS: &[&ExpertInfo] = &[];

const fn u64f(key: &'static str, name: &'static str, blurb: &'static str) -> FieldInfo {
    FieldInfo::new(key, name, K::Unsigned, blurb)
}

static START: FieldInfo = u64f(
    "overte.octree_stats.start",
    "Scene start",
    "u64 LE server clock (usecTimestampNow, microseconds since the epoch) when the scene began",
);
static END: FieldInfo = u64f(
    "overte.octree_stats.end",
    "Scene end",
    "u64 LE server clock (microseconds since the epoch) when the scene completed",
);
static ELAPSED: FieldInfo = u64f("overte.octree_stats.elapsed", "Elapsed", "u64 LE microseconds, end - start");
static ENCODE_TIME: FieldInfo =
    u64f("overte.octree_stats.encode_time", "Encode time", "u64 LE microseconds spent encoding the scene");
static IS_FULL_SCENE: FieldInfo = FieldInfo::new(
    "overte.octree_stats.is_full_scene",
    "Full scene",
    K::Bool,
    "bool byte: the whole scene was sent, not only changes (any non-zero byte reads as true)",
);
static IS_MOVING: FieldInfo = FieldInfo::new(
    "overte.octree_stats.is_moving",
    "Moving",
    K::Bool,
    "bool byte: the client's view was moving during the scene",
);
static PACKETS: FieldInfo =
    FieldInfo::new("overte.octree_stats.packets", "Packets", K::Unsigned, "u32 LE octree packets sent for the scene");
static BYTES: FieldInfo = u64f("overte.octree_stats.bytes", "Bytes", "u64 LE octree payload bytes sent for the scene");
static TOTAL_INTERNAL: FieldInfo =
    u64f("overte.octree_stats.total_internal", "Internal elements on server", "u64 LE internal octree elements");
static TOTAL_LEAVES: FieldInfo =
    u64f("overte.octree_stats.total_leaves", "Leaf elements on server", "u64 LE leaf octree elements");
static TOTAL_ELEMENTS: FieldInfo = u64f(
    "overte.octree_stats.total_elements",
    "Elements on server",
    "total_internal + total_leaves, as the receiver computes it (not sent)",
);
static INTERNAL: FieldInfo = u64f("overte.octree_stats.internal", "Internal traversed", "u64 LE");
static LEAVES: FieldInfo = u64f("overte.octree_stats.leaves", "Leaves traversed", "u64 LE");
static TRAVERSED: FieldInfo =
    u64f("overte.octree_stats.traversed", "Traversed", "internal + leaves, as the receiver computes it (not sent)");
static INTERNAL_SKIPPED_DISTANCE: FieldInfo = u64f(
    "overte.octree_stats.internal_skipped_distance",
    "Internal skipped (distance)",
    "u64 LE internal elements beyond the LOD distance",
);
static LEAVES_SKIPPED_DISTANCE: FieldInfo = u64f(
    "overte.octree_stats.leaves_skipped_distance",
    "Leaves skipped (distance)",
    "u64 LE leaves beyond the LOD distance",
);
static SKIPPED_DISTANCE: FieldInfo =
    u64f("overte.octree_stats.skipped_distance", "Skipped (distance)", "internal + leaves (not sent)");
static INTERNAL_SKIPPED_OUT_OF_VIEW: FieldInfo =
    u64f("overte.octree_stats.internal_skipped_out_of_view", "Internal skipped (out of view)", "u64 LE");
static LEAVES_SKIPPED_OUT_OF_VIEW: FieldInfo =
    u64f("overte.octree_stats.leaves_skipped_out_of_view", "Leaves skipped (out of view)", "u64 LE");
static SKIPPED_OUT_OF_VIEW: FieldInfo =
    u64f("overte.octree_stats.skipped_out_of_view", "Skipped (out of view)", "internal + leaves (not sent)");
static INTERNAL_SKIPPED_WAS_IN_VIEW: FieldInfo =
    u64f("overte.octree_stats.internal_skipped_was_in_view", "Internal skipped (was in view)", "u64 LE");
static LEAVES_SKIPPED_WAS_IN_VIEW: FieldInfo =
    u64f("overte.octree_stats.leaves_skipped_was_in_view", "Leaves skipped (was in view)", "u64 LE");
static SKIPPED_WAS_IN_VIEW: FieldInfo =
    u64f("overte.octree_stats.skipped_was_in_view", "Skipped (was in view)", "internal + leaves (not sent)");
static INTERNAL_SKIPPED_NO_CHANGE: FieldInfo =
    u64f("overte.octree_stats.internal_skipped_no_change", "Internal skipped (no change)", "u64 LE");
static LEAVES_SKIPPED_NO_CHANGE: FieldInfo =
    u64f("overte.octree_stats.leaves_skipped_no_change", "Leaves skipped (no change)", "u64 LE");
static SKIPPED_NO_CHANGE: FieldInfo =
    u64f("overte.octree_stats.skipped_no_change", "Skipped (no change)", "internal + leaves (not sent)");
static INTERNAL_SKIPPED_OCCLUDED: FieldInfo =
    u64f("overte.octree_stats.internal_skipped_occluded", "Internal skipped (occluded)", "u64 LE");
static LEAVES_SKIPPED_OCCLUDED: FieldInfo =
    u64f("overte.octree_stats.leaves_skipped_occluded", "Leaves skipped (occluded)", "u64 LE");
static SKIPPED_OCCLUDED: FieldInfo =
    u64f("overte.octree_stats.skipped_occluded", "Skipped (occluded)", "internal + leaves (not sent)");
static INTERNAL_COLOR_SENT: FieldInfo =
    u64f("overte.octree_stats.internal_color_sent", "Internal colors sent", "u64 LE");
static LEAVES_COLOR_SENT: FieldInfo = u64f("overte.octree_stats.leaves_color_sent", "Leaf colors sent", "u64 LE");
static COLOR_SENT: FieldInfo = u64f("overte.octree_stats.color_sent", "Colors sent", "internal + leaves (not sent)");
static INTERNAL_DIDNT_FIT: FieldInfo =
    u64f("overte.octree_stats.internal_didnt_fit", "Internal didn't fit", "u64 LE elements moved to a later packet");
static LEAVES_DIDNT_FIT: FieldInfo =
    u64f("overte.octree_stats.leaves_didnt_fit", "Leaves didn't fit", "u64 LE leaves moved to a later packet");
static DIDNT_FIT: FieldInfo = u64f("overte.octree_stats.didnt_fit", "Didn't fit", "internal + leaves (not sent)");
static COLOR_BITS: FieldInfo =
    u64f("overte.octree_stats.color_bits", "Color bitmasks", "u64 LE color bitmasks written");
static EXISTS_BITS: FieldInfo =
    u64f("overte.octree_stats.exists_bits", "Exists bitmasks", "u64 LE exists-in-tree bitmasks written");
static EXISTS_IN_PACKET_BITS: FieldInfo = u64f(
    "overte.octree_stats.exists_in_packet_bits",
    "Exists-in-packet bitmasks",
    "u64 LE exists-in-packet bitmasks written",
);
static TREES_REMOVED: FieldInfo =
    u64f("overte.octree_stats.trees_removed", "Trees removed", "u64 LE subtrees removed from packets");
static PIGGYBACK: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback",
    "Piggybacked packet",
    K::String,
    "a whole octree packet (headers included) appended after the stats; the receiver handles it as a packet of its own",
);
static PB_UDT_WORD: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_udt_word",
    "Piggyback UDT word",
    K::Hex,
    "u32 LE UDT header word of the appended packet (never stamped by the sender: sequence 0)",
);
static PB_SEQUENCE: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_sequence",
    "Piggyback sequence number",
    K::Unsigned,
    "low 27 bits of the piggyback UDT word",
);
static PB_OBFUSCATION: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_obfuscation",
    "Piggyback obfuscation level",
    K::Unsigned,
    "bits 27-28 of the piggyback UDT word: the receiver un-XORs the rest of the appended packet when non-zero",
);
static PB_MESSAGE_WORD: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_message_word",
    "Piggyback message word",
    K::Hex,
    "u32 LE position and message number, present when the piggyback UDT word has the message bit",
);
static PB_MESSAGE_PART: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_message_part",
    "Piggyback message part",
    K::Unsigned,
    "u32 LE message part number, present with the message word",
);
static PB_TYPE: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_type",
    "Piggyback packet type",
    K::Enum,
    "u8 PacketType of the appended packet (EntityData from the entity server)",
);
static PB_VERSION: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_version",
    "Piggyback version",
    K::Unsigned,
    "u8; the receiver drops the appended packet when it differs from its version table",
);
static PB_SOURCE_ID: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_source_id",
    "Piggyback source ID",
    K::Unsigned,
    "u16 LE Local ID slot of a sourced type, as the unsent packet held it; the receiver reads but does not use it",
);
static PB_HMAC: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_hmac",
    "Piggyback hash slot",
    K::Bytes,
    "16-byte HMAC-MD5 slot of a verified type, as the unsent packet held it; the receiver does not check it",
);
static PB_PAYLOAD: FieldInfo = FieldInfo::new(
    "overte.octree_stats.piggyback_payload",
    "Piggyback payload",
    K::Bytes,
    "payload of an appended packet this dissector does not decode",
);

/// Whether this module decodes packet type `t`.
pub(crate) fn decodes(t: u8) -> bool {
    t == OCTREE_STATS
}

/// Decodes a payload of type `t` (one [`decodes`] accepts).
pub(crate) fn dissect(r: &mut Rd, _t: u8) {
    let Some(s) = OctreeStats::walk(r) else { return };
    r.info(|o| {
        o.push_str(if s.is_full_scene != 0 { " full scene" } else { " partial scene" });
        if s.is_moving != 0 {
            o.push_str(", moving");
        }
        let n = s.elements.total();
        let _ = write!(o, ", {n} element{}", if n == 1 { "" } else { "s" });
    });
    if r.left() > 0 {
        dissect_piggyback(r);
    }
}

/// The appended packet: its header as fields of a subtree, then its payload decoded as the
/// receiver's `processPacket` would handle it.
fn dissect_piggyback(r: &mut Rd) {
    let data = r.data;
    let at = r.pos;
    let node = r.open(&PIGGYBACK, || Value::String(piggyback_label(data.get(at..).unwrap_or(&[])).into()));
    dissect_piggyback_inner(r);
    r.close(node);
}

/// What the subtree is called: the appended packet's type, read ahead.
fn piggyback_label(b: &[u8]) -> String {
    let Some(h) = PiggybackHeader::parse(b).ok().map(|(h, _)| h) else { return "truncated".into() };
    match h.nl {
        Some(nl) => types::name(nl.packet_type).map_or_else(|| format!("type {}", nl.packet_type), str::to_string),
        None => "obfuscated".into(),
    }
}

fn dissect_piggyback_inner(r: &mut Rd) {
    let udt_at = r.pos;
    let Some(h) = PiggybackHeader::walk(r) else { return };
    let Some(nl) = h.nl else {
        let level = h.obfuscation();
        let at = r.pos;
        let _: Option<()> = r.not_decoded(at, || {
            format!(
                "the piggybacked packet's UDT word at offset {udt_at} says obfuscation level {level}: the receiver \
                 un-XORs the bytes after it before reading the type; not decoded here (the server never obfuscates \
                 the packet it appends)"
            )
        });
        return;
    };
    let t = nl.packet_type;
    let name = types::name(t).unwrap_or("packet");
    if let Some(&want) = types::BUILTIN_VERSIONS.get(usize::from(t)) {
        if want != nl.version {
            let v = nl.version;
            let vat = r.pos - nl.size() + 1;
            r.expert(&crate::fields::VERSION_MISMATCH, vat, 1, || {
                format!(
                    "piggybacked {name} version {v}, but the built-in table says {want}: the receiver drops the \
                     piggybacked packet as a version mismatch (the stats are still used)"
                )
            });
        }
    }
    r.info(|o| {
        o.push_str("; ");
        o.push_str(name);
    });
    let outer = r.version;
    r.version = nl.version;
    match t {
        ENTITY_DATA => super::entity::dissect_entity_data(r),
        ENTITY_ERASE | ENTITY_QUERY_INITIAL_RESULTS_COMPLETE => super::entity::dissect(r, t),
        _ => {
            let at = r.pos;
            let len = r.left();
            r.rest_bytes(&PB_PAYLOAD);
            r.expert(&f::NOT_DECODED, at, len, || {
                format!(
                    "piggybacked {name}: the receiver handles only EntityData, EntityErase and \
                     EntityQueryInitialResultsComplete there; it reads this packet's octree header for its statistics \
                     and nothing else"
                )
            });
        }
    }
    r.version = outer;
}

/// A counter the server keeps per internal and per leaf element; the receiver adds the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Split {
    pub internal: u64,
    pub leaves: u64,
}

impl Split {
    /// The sum `unpackFromPacket` computes (u64, wrapping as the C++ does).
    pub fn total(&self) -> u64 {
        self.internal.wrapping_add(self.leaves)
    }

    fn walk(r: &mut Rd, keys: [&'static FieldInfo; 3]) -> Option<Split> {
        let s = Split { internal: r.u64le(keys[0])?, leaves: r.u64le(keys[1])? };
        r.generated(keys[2], || Value::Unsigned(s.total()));
        Some(s)
    }

    fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.internal.to_le_bytes());
        out.extend_from_slice(&self.leaves.to_le_bytes());
    }
}

/// The stats `packIntoPacket` writes, in order: 222 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OctreeStats {
    pub start: u64,
    pub end: u64,
    pub elapsed: u64,
    pub encode_time: u64,
    /// Raw bool byte (the reader takes any non-zero byte as true).
    pub is_full_scene: u8,
    pub is_moving: u8,
    pub packets: u32,
    pub bytes: u64,
    /// Elements on the server (`_totalInternal`, `_totalLeaves`).
    pub elements: Split,
    /// Elements traversed (`_internal`, `_leaves`).
    pub traversed: Split,
    pub skipped_distance: Split,
    pub skipped_out_of_view: Split,
    pub skipped_was_in_view: Split,
    pub skipped_no_change: Split,
    pub skipped_occluded: Split,
    pub color_sent: Split,
    pub didnt_fit: Split,
    pub color_bits: u64,
    pub exists_bits: u64,
    pub exists_in_packet_bits: u64,
    pub trees_removed: u64,
}

impl Walk<'_> for OctreeStats {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        Some(OctreeStats {
            start: r.u64le(&START)?,
            end: r.u64le(&END)?,
            elapsed: r.u64le(&ELAPSED)?,
            encode_time: r.u64le(&ENCODE_TIME)?,
            is_full_scene: r.bool8(&IS_FULL_SCENE)?,
            is_moving: r.bool8(&IS_MOVING)?,
            packets: r.u32le(&PACKETS)?,
            bytes: r.u64le(&BYTES)?,
            elements: Split::walk(r, [&TOTAL_INTERNAL, &TOTAL_LEAVES, &TOTAL_ELEMENTS])?,
            traversed: Split::walk(r, [&INTERNAL, &LEAVES, &TRAVERSED])?,
            skipped_distance: Split::walk(
                r,
                [&INTERNAL_SKIPPED_DISTANCE, &LEAVES_SKIPPED_DISTANCE, &SKIPPED_DISTANCE],
            )?,
            skipped_out_of_view: Split::walk(
                r,
                [&INTERNAL_SKIPPED_OUT_OF_VIEW, &LEAVES_SKIPPED_OUT_OF_VIEW, &SKIPPED_OUT_OF_VIEW],
            )?,
            skipped_was_in_view: Split::walk(
                r,
                [&INTERNAL_SKIPPED_WAS_IN_VIEW, &LEAVES_SKIPPED_WAS_IN_VIEW, &SKIPPED_WAS_IN_VIEW],
            )?,
            skipped_no_change: Split::walk(
                r,
                [&INTERNAL_SKIPPED_NO_CHANGE, &LEAVES_SKIPPED_NO_CHANGE, &SKIPPED_NO_CHANGE],
            )?,
            skipped_occluded: Split::walk(
                r,
                [&INTERNAL_SKIPPED_OCCLUDED, &LEAVES_SKIPPED_OCCLUDED, &SKIPPED_OCCLUDED],
            )?,
            color_sent: Split::walk(r, [&INTERNAL_COLOR_SENT, &LEAVES_COLOR_SENT, &COLOR_SENT])?,
            didnt_fit: Split::walk(r, [&INTERNAL_DIDNT_FIT, &LEAVES_DIDNT_FIT, &DIDNT_FIT])?,
            color_bits: r.u64le(&COLOR_BITS)?,
            exists_bits: r.u64le(&EXISTS_BITS)?,
            exists_in_packet_bits: r.u64le(&EXISTS_IN_PACKET_BITS)?,
            trees_removed: r.u64le(&TREES_REMOVED)?,
        })
    }
}

impl OctreeStats {
    pub fn emit(&self, out: &mut Vec<u8>) {
        for v in [self.start, self.end, self.elapsed, self.encode_time] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.push(self.is_full_scene);
        out.push(self.is_moving);
        out.extend_from_slice(&self.packets.to_le_bytes());
        out.extend_from_slice(&self.bytes.to_le_bytes());
        for s in [
            &self.elements,
            &self.traversed,
            &self.skipped_distance,
            &self.skipped_out_of_view,
            &self.skipped_was_in_view,
            &self.skipped_no_change,
            &self.skipped_occluded,
            &self.color_sent,
            &self.didnt_fit,
        ] {
            s.emit(out);
        }
        for v in [self.color_bits, self.exists_bits, self.exists_in_packet_bits, self.trees_removed] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
}

/// The appended packet's headers as the receiver's `NLPacket::fromReceivedPacket` reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiggybackHeader {
    /// The UDT word as sent (control bit included: the receiver ignores it).
    pub word: u32,
    /// The message words (position and number, part number) when the word has the message bit.
    pub message: Option<(u32, u32)>,
    /// The NL header; `None` when the word announces obfuscation (the rest is then kept whole
    /// in the payload, still obfuscated).
    pub nl: Option<NlHeader>,
}

impl PiggybackHeader {
    /// The UDT word's obfuscation level (0 to 3).
    pub fn obfuscation(&self) -> u8 {
        ((self.word & udt::OBFUSCATION_MASK) >> udt::OBFUSCATION_SHIFT) as u8
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.word.to_le_bytes());
        if let Some((m, p)) = self.message {
            out.extend_from_slice(&m.to_le_bytes());
            out.extend_from_slice(&p.to_le_bytes());
        }
        if let Some(nl) = self.nl {
            nl.emit(out);
        }
    }
}

fn type_name(v: u64) -> Option<&'static str> {
    u8::try_from(v).ok().and_then(types::name)
}

impl Walk<'_> for PiggybackHeader {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        let at = r.pos;
        let word = r.u32le(&PB_UDT_WORD)?;
        r.add(&PB_SEQUENCE, at, 4, || Value::Unsigned(u64::from(word & udt::SEQ_MASK)));
        let level = (word & udt::OBFUSCATION_MASK) >> udt::OBFUSCATION_SHIFT;
        if level != 0 {
            r.add(&PB_OBFUSCATION, at, 4, || Value::Unsigned(level.into()));
        }
        let message = if word & udt::MESSAGE_BIT != 0 {
            Some((r.u32le(&PB_MESSAGE_WORD)?, r.u32le(&PB_MESSAGE_PART)?))
        } else {
            None
        };
        if level != 0 {
            return Some(PiggybackHeader { word, message, nl: None });
        }
        let packet_type = r.en8(&PB_TYPE, type_name)?;
        let version = r.u8(&PB_VERSION)?;
        let source_id = if types::is_sourced(packet_type) { Some(r.u16le(&PB_SOURCE_ID)?) } else { None };
        let hmac = if types::is_verified(packet_type) {
            let mut h = [0; HMAC_LEN];
            h.copy_from_slice(r.bytes(&PB_HMAC, HMAC_LEN)?);
            Some(h)
        } else {
            None
        };
        Some(PiggybackHeader { word, message, nl: Some(NlHeader { packet_type, version, source_id, hmac }) })
    }
}

/// A packet appended after the stats: its headers and its payload as raw bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piggyback<'a> {
    pub header: PiggybackHeader,
    pub payload: &'a [u8],
}

impl<'a> Walk<'a> for Piggyback<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let header = PiggybackHeader::walk(r)?;
        let n = r.left();
        let payload = r.take(&PB_PAYLOAD, n)?;
        Some(Piggyback { header, payload })
    }
}

impl Piggyback<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        self.header.emit(out);
        out.extend_from_slice(self.payload);
    }
}

/// A whole OctreeStats payload: the stats, then the appended packet when bytes remain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OctreeStatsPacket<'a> {
    pub stats: OctreeStats,
    pub piggyback: Option<Piggyback<'a>>,
}

impl<'a> Walk<'a> for OctreeStatsPacket<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let stats = OctreeStats::walk(r)?;
        let piggyback = if r.left() > 0 { Some(Piggyback::walk(r)?) } else { None };
        Some(OctreeStatsPacket { stats, piggyback })
    }
}

impl OctreeStatsPacket<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        self.stats.emit(out);
        if let Some(p) = &self.piggyback {
            p.emit(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::tests::{hex, run_mode, tags, val};
    use crate::payload::Decoded;

    fn u(v: u64) -> Value {
        Value::Unsigned(v)
    }

    /// `OctreeSceneStats::packIntoPacket`, one `writePrimitive` per line (x86-64, little-endian).
    fn stats_vector() -> Vec<u8> {
        hex(concat!(
            "00100000f0e10500", // _start 0x0005e1f000001000
            "00300000f0e10500", // _end 0x0005e1f000003000
            "0020000000000000", // _elapsed 0x2000
            "0004000000000000", // _totalEncodeTime 0x400
            "01",               // _isFullScene
            "00",               // _isMoving
            "03000000",         // _packets (quint32)
            "3412000000000000", // _bytes 0x1234
            "c800000000000000", // _totalInternal 200
            "0a04000000000000", // _totalLeaves 1034
            "0a00000000000000", // _internal 10
            "1400000000000000", // _leaves 20
            "0100000000000000", // _internalSkippedDistance
            "0200000000000000", // _leavesSkippedDistance
            "0300000000000000", // _internalSkippedOutOfView
            "0400000000000000", // _leavesSkippedOutOfView
            "0500000000000000", // _internalSkippedWasInView
            "0600000000000000", // _leavesSkippedWasInView
            "0700000000000000", // _internalSkippedNoChange
            "0800000000000000", // _leavesSkippedNoChange
            "0900000000000000", // _internalSkippedOccluded
            "0a00000000000000", // _leavesSkippedOccluded
            "0b00000000000000", // _internalColorSent
            "0c00000000000000", // _leavesColorSent
            "0d00000000000000", // _internalDidntFit
            "0e00000000000000", // _leavesDidntFit
            "0f00000000000000", // _colorBitsWritten
            "1000000000000000", // _existsBitsWritten
            "1100000000000000", // _existsInPacketBitsWritten
            "0807060504030201", // _treesRemoved 0x0102030405060708
        ))
    }

    /// Stats followed by the EntityData packet `handlePacketSend` appends: UDT word (sequence 0,
    /// never stamped), type 41, version 147, source ID 0x1234, a zero hash slot, the payload.
    fn with_piggyback(version: u8) -> Vec<u8> {
        let mut p = stats_vector();
        p.extend_from_slice(&[0, 0, 0, 0, ENTITY_DATA, version, 0x34, 0x12]);
        p.extend_from_slice(&[0; 16]);
        p.extend_from_slice(&crate::payload::entity::tests::overte_shape_entity_data());
        p
    }

    #[test]
    fn source_vector_decodes_fully() {
        let p = stats_vector();
        assert_eq!(p.len(), STATS_LEN);
        let (d, _, r) = run_mode(OCTREE_STATS, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(d.info, " full scene, 1234 elements");
        assert_eq!(val(&d, "overte.octree_stats.start"), &u(0x0005_e1f0_0000_1000));
        assert_eq!(val(&d, "overte.octree_stats.end"), &u(0x0005_e1f0_0000_3000));
        assert_eq!(val(&d, "overte.octree_stats.elapsed"), &u(0x2000));
        assert_eq!(val(&d, "overte.octree_stats.encode_time"), &u(0x400));
        assert_eq!(val(&d, "overte.octree_stats.is_full_scene"), &Value::Bool(true));
        assert_eq!(val(&d, "overte.octree_stats.is_moving"), &Value::Bool(false));
        assert_eq!(val(&d, "overte.octree_stats.packets"), &u(3));
        assert_eq!(val(&d, "overte.octree_stats.bytes"), &u(0x1234));
        assert_eq!(val(&d, "overte.octree_stats.total_internal"), &u(200));
        assert_eq!(val(&d, "overte.octree_stats.total_leaves"), &u(1034));
        assert_eq!(val(&d, "overte.octree_stats.total_elements"), &u(1234));
        assert_eq!(val(&d, "overte.octree_stats.internal"), &u(10));
        assert_eq!(val(&d, "overte.octree_stats.leaves"), &u(20));
        assert_eq!(val(&d, "overte.octree_stats.traversed"), &u(30));
        assert_eq!(val(&d, "overte.octree_stats.skipped_out_of_view"), &u(7));
        assert_eq!(val(&d, "overte.octree_stats.leaves_skipped_occluded"), &u(10));
        assert_eq!(val(&d, "overte.octree_stats.color_sent"), &u(23));
        assert_eq!(val(&d, "overte.octree_stats.didnt_fit"), &u(27));
        assert_eq!(val(&d, "overte.octree_stats.exists_in_packet_bits"), &u(17));
        assert_eq!(val(&d, "overte.octree_stats.trees_removed"), &u(0x0102_0304_0506_0708));
        let f = d.values("overte.octree_stats.packets").next().unwrap();
        assert_eq!((f.offset, f.len), (34, 4));
        assert!(d.values("overte.octree_stats.piggyback").next().is_none());
    }

    #[test]
    fn piggybacked_entity_data_is_decoded() {
        let p = with_piggyback(147);
        let (d, _, r) = run_mode(OCTREE_STATS, &p, true);
        // Decoded as its own header's version (147) says, whatever the stats packet's.
        assert_eq!(r, Decoded::Full);
        assert!(tags(&d).is_empty(), "{:?}", tags(&d));
        assert_eq!(d.info, " full scene, 1234 elements; EntityData seq 5, 1 entity");
        assert_eq!(val(&d, "overte.octree_stats.piggyback"), &Value::String("EntityData".into()));
        assert_eq!(val(&d, "overte.octree_stats.piggyback_sequence"), &u(0));
        assert_eq!(val(&d, "overte.octree_stats.piggyback_type"), &Value::Enum { value: 41, name: Some("EntityData") });
        assert_eq!(val(&d, "overte.octree_stats.piggyback_version"), &u(147));
        assert_eq!(val(&d, "overte.octree_stats.piggyback_source_id"), &u(0x1234));
        let h = d.values("overte.octree_stats.piggyback_hmac").next().unwrap();
        assert_eq!((h.offset, h.len), (STATS_LEN as u32 + 8, 16));
        assert_eq!(val(&d, "overte.octree.sequence"), &u(5));
        assert_eq!(val(&d, "overte.entity.id"), &Value::Uuid([0x5e; 16]));
        assert_eq!(val(&d, "overte.entity.tags"), &Value::String(r#""a", "bc""#.into()));
        let f = d.values("overte.octree.flags").next().unwrap();
        assert_eq!(f.offset, STATS_LEN as u32 + 24);
    }

    #[test]
    fn piggyback_version_mismatch_is_reported() {
        let (d, _, _) = run_mode(OCTREE_STATS, &with_piggyback(140), true);
        assert!(tags(&d).contains(&"overte.version_mismatch"), "{:?}", tags(&d));
        assert!(d.values("overte.entity.id").next().is_some());
    }

    #[test]
    fn other_and_obfuscated_piggybacks() {
        // An OctreeStats packet appended: the receiver reads its octree header only.
        let mut p = stats_vector();
        p.extend_from_slice(&[0, 0, 0, 0, OCTREE_STATS, 22, 1, 0]);
        p.extend_from_slice(&[0; 16]);
        p.extend_from_slice(&[9, 9, 9]);
        let (d, _, r) = run_mode(OCTREE_STATS, &p, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(tags(&d), ["overte.payload.not_decoded"]);
        assert_eq!(d.values("overte.octree_stats.piggyback_payload").next().unwrap().len, 3);

        let mut p = stats_vector();
        p.extend_from_slice(&(1u32 << udt::OBFUSCATION_SHIFT).to_le_bytes());
        p.extend_from_slice(&[1, 2, 3, 4]);
        let (d, _, r) = run_mode(OCTREE_STATS, &p, true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.not_decoded"]);
        assert_eq!(val(&d, "overte.octree_stats.piggyback_obfuscation"), &u(1));
        let (v, rest) = OctreeStatsPacket::parse(&p).unwrap();
        assert!(rest.is_empty() && v.piggyback.unwrap().header.nl.is_none());
        let mut out = Vec::new();
        v.emit(&mut out);
        assert_eq!(out, p);
    }

    #[test]
    fn emit_and_walk_round_trip() {
        for p in [stats_vector(), with_piggyback(147)] {
            let (v, rest) = OctreeStatsPacket::parse(&p).unwrap();
            assert!(rest.is_empty());
            let mut out = Vec::new();
            v.emit(&mut out);
            assert_eq!(out, p);
        }
        let s = OctreeStats {
            start: 1,
            end: 2,
            elapsed: 1,
            is_moving: 1,
            packets: u32::MAX,
            elements: Split { internal: u64::MAX, leaves: 2 },
            trees_removed: 9,
            ..Default::default()
        };
        let pb = Piggyback {
            header: PiggybackHeader {
                word: udt::MESSAGE_BIT | 5,
                message: Some((7, 8)),
                nl: Some(NlHeader { packet_type: ENTITY_ERASE, version: 22, source_id: Some(3), hmac: Some([4; 16]) }),
            },
            payload: &[1, 2, 3],
        };
        let v = OctreeStatsPacket { stats: s, piggyback: Some(pb) };
        let mut out = Vec::new();
        v.emit(&mut out);
        assert_eq!(out.len(), STATS_LEN + 12 + 20 + 3);
        assert_eq!(OctreeStatsPacket::parse(&out).unwrap(), (v, &[][..]));
        assert_eq!(s.elements.total(), 1, "wraps as the C++ sum does");
    }

    #[test]
    fn truncated_stats_are_reported() {
        let p = stats_vector();
        let (d, _, r) = run_mode(OCTREE_STATS, &p[..100], true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.info.is_empty());
        // A piggyback cut inside its header.
        let (d, _, r) = run_mode(OCTREE_STATS, &with_piggyback(147)[..STATS_LEN + 10], true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
    }

    #[test]
    fn every_prefix_decodes_without_panic() {
        let p = with_piggyback(147);
        for n in 0..=p.len() {
            for tree in [true, false] {
                let (_, _, r) = run_mode(OCTREE_STATS, &p[..n], tree);
                assert_ne!(r, Decoded::NotDecoded);
            }
            let _ = OctreeStatsPacket::parse(&p[..n]);
        }
    }
}
