//! Entity server (octree) packets: EntityData (server to client: octree sections, elements and
//! entity records), EntityAdd / EntityEdit / EntityPhysics (client edits), EntityErase,
//! EntityClone, EntityQueryInitialResultsComplete and the two NACKs.
//!
//! Encodings (`OctreePacketData`): raw little-endian primitives, strings and byte arrays behind
//! a u16 LE length, UUID properties behind a u16 LE length (0 for null), and two bit codings of
//! their own: ByteCountCoded numbers ([`bcc_decode`]) and octal codes ([`octal_sections`]).
//!
//! Entity properties are read by the packet's version (`props::rows`): Vircadia's numbering
//! (133 and earlier) and Overte's generated one (147 to 151) in full; other versions as far as
//! their numbering is shared with one of those. Not decoded: MoreEntityShapes (66, nothing sends
//! it).

mod fields;
mod layouts;
mod props;
#[cfg(test)]
pub(crate) mod tests;

use std::borrow::Cow;
use std::fmt::Write as _;

use udpdissect_core::{zlib, ExpertInfo, FieldInfo, Value};

use super::codec::{push_uuid8, Rd, Walk, WireError};
use super::types::*;
use fields as f;

/// This module's payload fields, for `--list-fields` and the filter catalog.
pub(crate) static FIELDS: &[&FieldInfo] = f::ALL;
/// The entity properties' fields past the common ones in `FIELDS`.
pub(crate) static PROP_FIELDS: &[&FieldInfo] = layouts::ALL;
/// This module's payload findings.
pub(crate) static EXPERTS: &[&ExpertInfo] = f::EXPERTS;

/// `OctreePacketData.h`: bit 0 (MSB) colored, bit 1 compressed (`oneAtBit`).
const PACKET_IS_COMPRESSED: u8 = 0x40;
/// `EntityItem::expectedBytes()`: the element's entities are read only when this many bytes
/// per entity remain.
const MIN_ENTITY_BYTES: usize = 27;
/// `UNREASONABLY_DEEP_RECURSION`: a deeper octal code makes the reader drop the section.
const MAX_OCTAL_DEPTH: usize = 29;
/// EntityData / EntityEdit version from which the entity types are Overte's current numbering.
const PROCEDURAL_PARTICLES: u8 = 139;
/// Element nesting this dissector follows (the reader's recursion is bounded by the bytes alone).
const MAX_ELEMENT_DEPTH: usize = 32;
/// Bound on one inflated section.
const MAX_SECTION: usize = 64 * 1024;
/// The first version whose property numbering Overte generates (`PropertyCleanup`).
const FIRST_GENERATED: u8 = 145;
/// Before 145: the last bit numbered alike in Vircadia and the versions after it (PROP_BILLBOARD_MODE;
/// PROP_MIRROR_MODE and PROP_TAGS came in 134 and 135).
const LAST_SHARED_VIRCADIA: u32 = 27;
/// From 145: the last bit numbered alike in every generated version (PROP_PORTAL_EXIT_ID; the
/// fade groups of version 152 follow it).
const LAST_SHARED_OVERTE: u32 = 43;

/// Whether this module decodes packet type `t`.
pub(crate) fn decodes(t: u8) -> bool {
    matches!(
        t,
        OCTREE_DATA_NACK
            | ENTITY_EDIT_NACK
            | ENTITY_DATA
            | ENTITY_ADD
            | ENTITY_ERASE
            | ENTITY_EDIT
            | ENTITY_PHYSICS
            | ENTITY_CLONE
            | ENTITY_QUERY_INITIAL_RESULTS_COMPLETE
    )
}

/// The exact payload length of the types here whose writer always writes the same number of
/// bytes.
pub(crate) const fn fixed_len(t: u8) -> Option<usize> {
    if t == ENTITY_QUERY_INITIAL_RESULTS_COMPLETE {
        Some(2)
    } else {
        None
    }
}

/// Decodes a payload of type `t` (one [`decodes`] accepts).
pub(crate) fn dissect(r: &mut Rd, t: u8) {
    match t {
        ENTITY_DATA => dissect_entity_data(r),
        ENTITY_ADD | ENTITY_EDIT | ENTITY_PHYSICS => dissect_edit(r),
        ENTITY_ERASE => dissect_erase(r),
        ENTITY_CLONE => dissect_clone(r),
        ENTITY_QUERY_INITIAL_RESULTS_COMPLETE => {
            if let Some(c) = ResultsComplete::walk(r) {
                r.info_number(" before seq ", c.sequence.into());
            }
        }
        _ => {
            if let Some(n) = Nack::walk(r) {
                r.info(|s| count(s, n.sequences.len(), " missing", " missing"));
            }
        }
    }
}

// ---- bit codings ----------------------------------------------------------------------------

fn bit(b: &[u8], i: usize) -> bool {
    b[i / 8] & (0x80 >> (i % 8)) != 0
}

/// Leading one bits (MSB first across bytes); `None` when every bit of `b` is one.
fn lead_ones(b: &[u8]) -> Option<usize> {
    let mut n = 0;
    for &x in b {
        if x != 0xff {
            return Some(n + x.leading_ones() as usize);
        }
        n += 8;
    }
    None
}

/// `ByteCountCoded<T>` (`ByteCountCoding.h`, as `BufferParser::readCompressedCount` reads it):
/// N leading one bits and a zero say the code is N + 1 bytes; the bits after the zero are the
/// value, least significant first (bits past 64 are dropped, as the C++ `T` overflows). The
/// value and the byte length, or `None` when `b` ends first.
pub fn bcc_decode(b: &[u8]) -> Option<(u64, usize)> {
    let len = lead_ones(b)? + 1;
    if len > b.len() {
        return None;
    }
    let mut v = 0u64;
    for (k, i) in (len..len * 8).enumerate().take(64) {
        if bit(b, i) {
            v |= 1 << k;
        }
    }
    Some((v, len))
}

/// `ByteCountCoded<T>::encode`: the shortest code, (significant bits / 7) + 1 bytes.
pub fn bcc_encode(v: u64, out: &mut Vec<u8>) {
    let bits = 64 - v.leading_zeros() as usize;
    let n = bits / 7 + 1;
    let start = out.len();
    out.resize(start + n, 0);
    let o = &mut out[start..];
    for i in 0..n - 1 {
        o[i / 8] |= 0x80 >> (i % 8);
    }
    for j in (0..bits).filter(|j| v >> j & 1 == 1) {
        let i = n + j;
        o[i / 8] |= 0x80 >> (i % 8);
    }
}

/// `PropertyFlags<T>::decode`: the same lead bits, then one bit per property (bit k after the
/// lead is property k). The set properties in order and the byte length.
pub fn flags_decode(b: &[u8]) -> Option<(Vec<u32>, usize)> {
    let len = lead_ones(b)? + 1;
    if len > b.len() {
        return None;
    }
    Some(((len..len * 8).filter(|&i| bit(b, i)).map(|i| (i - len) as u32).collect(), len))
}

/// `PropertyFlags<T>::encode`: the shortest code holding the highest bit set.
pub fn flags_encode(bits: &[u32]) -> Vec<u8> {
    let Some(&max) = bits.iter().max() else { return vec![0] };
    let len = max as usize / 7 + 1;
    let mut out = vec![0u8; len];
    for i in 0..len - 1 {
        out[i / 8] |= 0x80 >> (i % 8);
    }
    for &b in bits {
        let i = len + b as usize;
        out[i / 8] |= 0x80 >> (i % 8);
    }
    out
}

/// `numberOfThreeBitSectionsInCode`: the first byte counts the code's 3-bit sections, 255 adds
/// the next byte's count. `None` when `b` ends first.
pub fn octal_sections(b: &[u8]) -> Option<usize> {
    let mut n = 0;
    for &x in b {
        n += x as usize;
        if x != 255 {
            return Some(n);
        }
    }
    None
}

/// `bytesRequiredForCodeLength(unsigned char)`: 1 for the root, else 1 + ceil(3n / 8), with the
/// count taken modulo 256 as the C++ parameter type does.
pub fn octal_code_len(sections: usize) -> usize {
    match sections as u8 {
        0 => 1,
        n => 1 + (n as usize * 3).div_ceil(8),
    }
}

/// `EntityTypes::EntityType`, in `EntityTypes.h` order.
pub fn entity_type_name(v: u64, version: u8) -> Option<&'static str> {
    const NAMES: [&str; 21] = [
        "Unknown",
        "Box",
        "Sphere",
        "Shape",
        "Model",
        "Text",
        "Image",
        "Web",
        "ParticleEffect",
        "ProceduralParticleEffect",
        "Line",
        "PolyLine",
        "PolyVox",
        "Grid",
        "Gizmo",
        "Light",
        "Zone",
        "Material",
        "Sound",
        "Empty",
        "Script",
    ];
    let v = usize::try_from(v).ok()?;
    // Overte put ProceduralParticleEffect at 9 in EntityData version 139
    // (`EntityVersion::ProceduralParticles`), moving Line and every type after it up by one;
    // before it, Material (16) was the last.
    // Empty came in version 150, Script in 151 (the numbers of the release before Canvas).
    let at = match v {
        19 if version < 150 => return None,
        20 if version < 151 => return None,
        _ if version >= PROCEDURAL_PARTICLES => v,
        0..=8 => v,
        9..=16 => v + 1,
        _ => return None,
    };
    NAMES.get(at).copied()
}

/// `EntityPropertyList` names of the bits numbered alike in every release (0..=27).
fn property_name(bit: u32) -> Option<&'static str> {
    const NAMES: [&str; 28] = [
        "PAGED_PROPERTY",
        "CUSTOM_PROPERTIES_INCLUDED",
        "SIMULATION_OWNER",
        "PARENT_ID",
        "PARENT_JOINT_INDEX",
        "VISIBLE",
        "NAME",
        "LOCKED",
        "USER_DATA",
        "PRIVATE_USER_DATA",
        "HREF",
        "DESCRIPTION",
        "POSITION",
        "DIMENSIONS",
        "ROTATION",
        "REGISTRATION_POINT",
        "CREATED",
        "LAST_EDITED_BY",
        "ENTITY_HOST_TYPE",
        "OWNING_AVATAR_ID",
        "QUERY_AA_CUBE",
        "CAN_CAST_SHADOW",
        "VISIBLE_IN_SECONDARY_CAMERA",
        "RENDER_LAYER",
        "PRIMITIVE_MODE",
        "IGNORE_PICK_INTERSECTION",
        "RENDER_WITH_ZONES",
        "BILLBOARD_MODE",
    ];
    NAMES.get(bit as usize).copied()
}

/// The set flags by name, `|`-separated: past the names every release shares, as an entity of
/// type `ty` in packets of `version` has them (`#n` where no known layout names the bit).
pub fn flag_names(bits: &[u32], version: u8, ty: u64) -> String {
    let rows = if bits.iter().any(|&b| property_name(b).is_none()) { props::rows(version, ty) } else { None };
    let mut s = String::new();
    for (i, &b) in bits.iter().enumerate() {
        if i > 0 {
            s.push('|');
        }
        let named = rows.as_ref().and_then(|(rows, _)| rows.iter().find(|row| row.0 == b));
        match (property_name(b), named) {
            (Some(n), _) => s.push_str(n),
            (None, Some(&(_, _, fi))) => push_enum_name(&mut s, fi),
            (None, None) => {
                let _ = write!(s, "#{b}");
            }
        }
    }
    s
}

/// A property's `EntityPropertyList` name from its field key (`overte.entity.model_url`:
/// `MODEL_URL`).
fn push_enum_name(s: &mut String, fi: &FieldInfo) {
    let name = fi.key.strip_prefix("overte.entity.").unwrap_or(fi.key);
    s.extend(name.chars().map(|c| c.to_ascii_uppercase()));
}

// ---- cursor helpers -------------------------------------------------------------------------

/// A ByteCountCoded number as field `fi` (`as_type`: shown as an entity type).
fn bcc(r: &mut Rd, fi: &'static FieldInfo, as_type: bool) -> Option<u64> {
    let at = r.pos;
    let Some((v, n)) = bcc_decode(r.rest()) else {
        let need = lead_ones(r.rest()).map_or(r.left() + 1, |o| o + 1);
        return r.take(fi, need).map(|_| 0);
    };
    r.take(fi, n)?;
    let version = r.version;
    r.add(fi, at, n, || {
        if as_type {
            Value::Enum { value: v, name: entity_type_name(v, version) }
        } else {
            Value::Unsigned(v)
        }
    });
    Some(v)
}

/// Property flags: the set bits and the raw bytes.
fn property_flags<'a>(r: &mut Rd<'a, '_>, ty: u64) -> Option<(Vec<u32>, &'a [u8])> {
    let at = r.pos;
    let Some((bits, n)) = flags_decode(r.rest()) else {
        let need = lead_ones(r.rest()).map_or(r.left() + 1, |o| o + 1);
        r.take(&f::PROPERTY_FLAGS, need)?;
        return None;
    };
    let raw = r.take(&f::PROPERTY_FLAGS, n)?;
    let version = r.version;
    r.add(&f::PROPERTY_FLAGS, at, n, || Value::String(Cow::Owned(flag_names(&bits, version, ty))));
    Some((bits, raw))
}

/// An octal code as field `octal_code` (and its depth, generated). The depth.
fn octal_code<'a>(r: &mut Rd<'a, '_>) -> Option<(usize, &'a [u8])> {
    let Some(sections) = octal_sections(r.rest()) else {
        let n = r.left() + 1;
        r.take(&f::OCTAL_CODE, n)?;
        return None;
    };
    let code = r.bytes(&f::OCTAL_CODE, octal_code_len(sections))?;
    r.generated(&f::OCTAL_DEPTH, || Value::Unsigned(sections as u64));
    Some((sections, code))
}

/// The properties the flags announce, read in the order the receiver reads them
/// ([`props::rows`]). Versions with no established layout (134 to 146, 152 on) are read as far as
/// their numbering is shared with a known one (the common properties up to PROP_BILLBOARD_MODE
/// before 145, up to PROP_PORTAL_EXIT_ID from 145), and decoding stops at the first property
/// past that (`overte.payload.not_decoded`).
fn properties(r: &mut Rd, bits: &[u32], entity_type: u64) -> Option<()> {
    let version = r.version;
    let (rows, known, limit) = match props::rows(version, entity_type) {
        Some((rows, known)) => (rows, known, None),
        None if version < FIRST_GENERATED => {
            (props::rows(props::VIRCADIA_LAST, 0)?.0, false, Some(LAST_SHARED_VIRCADIA))
        }
        None => (props::rows(props::OVERTE_FIRST, 0)?.0, false, Some(LAST_SHARED_OVERTE)),
    };
    // Bits 0 and 1 announce no value.
    let mut left: Vec<u32> = bits.iter().copied().filter(|&b| b > 1).collect();
    for &(bit, wire, fi) in &rows {
        if limit.is_some_and(|l| bit > l) {
            break;
        }
        if let Some(i) = left.iter().position(|&b| b == bit) {
            left.swap_remove(i);
            props::read(r, wire, fi)?;
        }
    }
    left.sort_unstable();
    let Some(&first) = left.first() else { return Some(()) };
    let ty = entity_type_name(entity_type, version).unwrap_or("unknown");
    if limit.is_some() || !known {
        let at = r.pos;
        r.rest_bytes(&f::PROPERTIES_DATA);
        return r.not_decoded(at, || {
            if limit.is_some() {
                format!(
                    "{ty} entity properties from #{first} on are not decoded: version {version}'s property numbering \
                     is not established past the properties it shares with other releases, and the record's end \
                     depends on them, so nothing after them is decoded either"
                )
            } else {
                format!(
                    "{ty} entity (type {entity_type}) has no property list in version {version}: its properties from \
                     #{first} on are not decoded, and the record's end depends on them"
                )
            }
        });
    }
    let at = r.pos;
    r.expert(&f::UNREAD_PROPERTY, at, 0, || {
        let names = flag_names(&left, version, entity_type);
        format!(
            "the flags announce {names}, which a {ty} entity does not have in version {version} (or which is never \
             sent): the receiver reads no value for it, so if the sender wrote one, everything after this point is \
             read from the wrong place"
        )
    });
    Some(())
}

// ---- EntityData -----------------------------------------------------------------------------

/// What the info column reports.
#[derive(Default)]
struct Tally {
    /// Entities the elements announce (and the reader reads).
    entities: u64,
    /// A section's decoding stopped early.
    partial: bool,
}

/// One entity record (`EntityItem::readEntityDataFromBuffer`).
fn walk_entity(r: &mut Rd) -> Option<()> {
    let id = r.rest().get(..16).and_then(|b| <[u8; 16]>::try_from(b).ok());
    let node = r.open(&f::ENTITY, || id.map_or(Value::None, Value::Uuid));
    let res = (|| {
        r.uuid(&f::ID)?;
        let ty = bcc(r, &f::TYPE, true)?;
        r.u64le(&f::CREATED)?;
        r.u64le(&f::LAST_EDITED)?;
        bcc(r, &f::UPDATE_DELTA, false)?;
        bcc(r, &f::SIMULATED_DELTA, false)?;
        let (bits, _) = property_flags(r, ty)?;
        properties(r, &bits, ty)
    })();
    r.close(node);
    res
}

/// An element's entities (`EntityTree::readEntityDataFromBuffer`): u16 LE count, then the
/// records, read only when 27 bytes per entity remain.
fn walk_entities(r: &mut Rd, st: &mut Tally) -> Option<()> {
    if r.left() < 2 {
        return Some(());
    }
    let n = r.u16le(&f::ENTITY_COUNT)? as usize;
    if r.left() < n * MIN_ENTITY_BYTES {
        return Some(());
    }
    st.entities += n as u64;
    for _ in 0..n {
        walk_entity(r)?;
    }
    Some(())
}

/// `Octree::readElementData`: color mask and the children's data it announces, the two child
/// masks and the subtrees they announce, then (the root only) the root's own entities.
fn walk_element(r: &mut Rd, root: bool, depth: usize, st: &mut Tally) -> Option<()> {
    if r.left() == 0 {
        return Some(());
    }
    if depth > MAX_ELEMENT_DEPTH {
        let at = r.pos;
        return r.not_decoded(at, || format!("octree elements nested deeper than {MAX_ELEMENT_DEPTH} are not decoded"));
    }
    let node = r.open(&f::ELEMENT, || Value::None);
    let res = (|| {
        let color = r.u8(&f::COLOR_MASK)?;
        for i in 0..8 {
            if color & (0x80 >> i) != 0 {
                walk_entities(r, st)?;
            }
        }
        if r.left() < 2 {
            // Too few bytes for the masks: the reader takes the rest as read.
            if r.left() > 0 {
                r.rest_bytes(&f::IGNORED);
            }
            return Some(());
        }
        r.u8(&f::TREE_MASK)?;
        let in_buffer = r.u8(&f::BUFFER_MASK)?;
        for i in 0..8 {
            if r.left() == 0 {
                break;
            }
            if in_buffer & (0x80 >> i) != 0 {
                walk_element(r, false, depth + 1, st)?;
            }
        }
        if root && r.left() > 0 {
            walk_entities(r, st)?;
        }
        Some(())
    })();
    r.close(node);
    res
}

/// `Octree::readBitstreamToTree`: octal code + element data, repeated to the end.
fn walk_bitstream(r: &mut Rd, st: &mut Tally) -> Option<()> {
    while r.left() > 0 {
        let at = r.pos;
        // The reader checks the depth before it works out the code's length: a deep code is too
        // deep even where its bytes are cut short.
        if let Some(sections) = octal_sections(r.rest()).filter(|&n| n > MAX_OCTAL_DEPTH) {
            let len = r.rest().iter().position(|&x| x != 255).map_or(r.left(), |i| i + 1);
            return r.malformed(at, len, "octal code", || {
                format!(
                    "octal code of {sections} sections is deeper than {MAX_OCTAL_DEPTH}: the receiver drops the rest \
                     of this section"
                )
            });
        }
        let (sections, _) = octal_code(r)?;
        walk_element(r, sections == 0, 0, st)?;
    }
    Some(())
}

/// EntityData from the cursor to the end of the payload: header, then its sections.
pub(crate) fn dissect_entity_data(r: &mut Rd) {
    let Some(flags) = r.u8(&f::FLAGS) else { return };
    let compressed = flags & PACKET_IS_COMPRESSED != 0;
    r.generated(&f::COMPRESSED, || Value::Bool(compressed));
    let Some(seq) = r.u16le(&f::SEQUENCE) else { return };
    if r.u64le(&f::SENT_TIME).is_none() {
        return;
    }
    let mut st = Tally::default();
    if !compressed {
        let _ = walk_bitstream(r, &mut st);
    } else {
        // `OctreeProcessor::processDatagram`: a section length is read only while more than its
        // two bytes remain; what is left after that is never read.
        while r.left() > 2 {
            let node = r.open(&f::SECTION, || Value::None);
            let ok = (|| {
                let n = r.u16le(&f::SECTION_LENGTH)? as usize;
                let at = r.pos;
                let z = r.take(&f::ZLIB, n)?;
                if n >= 4 {
                    let size = u32::from_be_bytes([z[0], z[1], z[2], z[3]]);
                    r.add(&f::UNCOMPRESSED_SIZE, at, 4, || Value::Unsigned(size.into()));
                    r.add(&f::ZLIB, at + 4, n - 4, || Value::Bytes);
                } else if n > 0 {
                    r.add(&f::ZLIB, at, n, || Value::Bytes);
                }
                if n > 0 {
                    inflate_section(r, at, z, &mut st);
                }
                Some(())
            })();
            r.close(node);
            if ok.is_none() {
                break;
            }
        }
    }
    r.info_number(" seq ", seq.into());
    r.info(|s| {
        s.push(',');
        count(s, st.entities as usize, " entity", " entities");
    });
    if st.partial && r.err.is_none() {
        // Reported inside the inflated section: the payload itself is covered.
        r.err = Some(WireError::Malformed { at: r.data.len(), what: "section" });
    }
}

/// Inflates one section (`qUncompress`: u32 BE size, then zlib) into a derived data source and
/// decodes it there.
fn inflate_section(r: &mut Rd, at: usize, z: &[u8], st: &mut Tally) {
    if r.out.is_none() {
        return;
    }
    let mut buf = Vec::new();
    let outcome = match z.get(4..) {
        Some(stream) => zlib::inflate_whole(stream, &mut buf, MAX_SECTION).map(drop).map_err(|e| match e {
            zlib::Broken::Corrupt(why) => why,
            zlib::Broken::EndsEarly => "the zlib stream ends early".into(),
        }),
        None => Err("shorter than qCompress's 4-byte size".to_string()),
    };
    if let Err(why) = outcome {
        let len = z.len();
        return r.expert(&f::INFLATE_FAILED, at, len, || {
            format!("section does not uncompress ({why}): qUncompress returns nothing, so the receiver reads nothing from it")
        });
    }
    let Some(out) = r.out.as_deref_mut() else { return };
    let src = out.add_source(format_args!("Inflated octree section"), |b| b.extend_from_slice(&buf));
    let prev = out.set_cursor(src, 0);
    let (err, pos) = {
        let mut inner = Rd::with_out(&buf, out);
        // The section's records are numbered as the packet's version says.
        inner.version = r.version;
        let _ = walk_bitstream(&mut inner, st);
        (inner.err, inner.pos)
    };
    if let Some(out) = r.out.as_deref_mut() {
        if err.is_some() {
            st.partial = true;
        }
        if err.is_some() && pos < buf.len() {
            out.add(&super::fields::UNDECODED, pos, buf.len() - pos, Value::Bytes);
        }
        out.set_cursor(prev.0, prev.1);
    }
}

// ---- edits ----------------------------------------------------------------------------------

/// The header `OctreeEditPacketSender` puts before edit messages: u16 LE sequence (written when
/// the packet is sent) and u64 LE send time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditHeader {
    pub sequence: u16,
    pub sent_time: u64,
}

impl Walk<'_> for EditHeader {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        Some(EditHeader { sequence: r.u16le(&f::SEQUENCE)?, sent_time: r.u64le(&f::SENT_TIME)? })
    }
}

impl EditHeader {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.sequence.to_le_bytes());
        out.extend_from_slice(&self.sent_time.to_le_bytes());
    }
}

/// EntityAdd (43) / EntityEdit (45) / EntityPhysics (78): the edit header, then
/// `EntityItemProperties::encodeEntityEditPacket` as `decodeEntityEditPacket` reads it. The
/// property values are kept as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityEdit<'a> {
    pub header: EditHeader,
    /// Octal code as sent (the reader skips it).
    pub octal_code: Cow<'a, [u8]>,
    pub last_edited: u64,
    pub id: [u8; 16],
    /// ByteCountCoded entity type.
    pub entity_type: u64,
    /// ByteCountCoded update delta.
    pub update_delta: u64,
    /// The encoded property flags, as sent.
    pub property_flags: Cow<'a, [u8]>,
    /// The property values, as sent (the dissector decodes them by the packet's version).
    pub properties: Cow<'a, [u8]>,
}

impl<'a> Walk<'a> for EntityEdit<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let header = EditHeader::walk(r)?;
        let (_, code) = octal_code(r)?;
        let last_edited = r.u64le(&f::LAST_EDITED)?;
        let id = r.uuid(&f::ID)?;
        let entity_type = bcc(r, &f::TYPE, true)?;
        let update_delta = bcc(r, &f::UPDATE_DELTA, false)?;
        let (_, flags) = property_flags(r, entity_type)?;
        let at = r.pos;
        let n = r.left();
        let props = r.take(&f::PROPERTIES_DATA, n)?;
        if n > 0 {
            r.add(&f::PROPERTIES_DATA, at, n, || Value::Bytes);
        }
        Some(EntityEdit {
            header,
            octal_code: Cow::Borrowed(code),
            last_edited,
            id,
            entity_type,
            update_delta,
            property_flags: Cow::Borrowed(flags),
            properties: Cow::Borrowed(props),
        })
    }
}

impl EntityEdit<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        self.header.emit(out);
        out.extend_from_slice(&self.octal_code);
        out.extend_from_slice(&self.last_edited.to_le_bytes());
        out.extend_from_slice(&self.id);
        bcc_encode(self.entity_type, out);
        bcc_encode(self.update_delta, out);
        out.extend_from_slice(&self.property_flags);
        out.extend_from_slice(&self.properties);
    }
}

/// Appends " n word" (`one` for 1, `many` otherwise).
fn count(s: &mut String, n: usize, one: &str, many: &str) {
    s.push(' ');
    udpdissect_core::digits::push_u64(s, n as u64);
    s.push_str(if n == 1 { one } else { many });
}

/// EntityAdd / EntityEdit / EntityPhysics as the server reads them: the edit header, then edit
/// messages (`EntityItemProperties::decodeEntityEditPacket`) until the payload ends: an
/// EntityEdit or EntityPhysics packet may batch several.
fn dissect_edit(r: &mut Rd) {
    if EditHeader::walk(r).is_none() {
        return;
    }
    let mut first = true;
    while r.left() > 0 {
        let node = r.open(&f::EDIT, || Value::None);
        let res = edit_message(r, first);
        r.close(node);
        first = false;
        if res.is_none() {
            return;
        }
    }
}

/// One edit message: octal code, last edited, ID, type, update delta, property flags, values.
fn edit_message(r: &mut Rd, first: bool) -> Option<()> {
    octal_code(r)?;
    r.u64le(&f::LAST_EDITED)?;
    let id = r.uuid(&f::ID)?;
    let entity_type = bcc(r, &f::TYPE, true)?;
    bcc(r, &f::UPDATE_DELTA, false)?;
    let (bits, _) = property_flags(r, entity_type)?;
    let ty = entity_type_name(entity_type, r.version).unwrap_or("?");
    r.info(|s| {
        let _ = write!(s, "{}{ty} ", if first { " " } else { ", " });
        push_uuid8(s, &id);
    });
    properties(r, &bits, entity_type)
}

// ---- erase, clone, completion, NACKs --------------------------------------------------------

/// EntityErase (44). From the entity server (`EntityServer::sendSpecialPackets`): octree flags,
/// sequence and send time, u16 LE count, IDs. From a client
/// (`EntityItemProperties::encodeEraseEntityMessage`): sequence and send time, then one message
/// per erased entity (u16 LE count, IDs), batched by `OctreeEditPacketSender`. The reader
/// (`EntityTree::processEraseMessage` / `processEraseMessageDetails`) stops at the first ID that
/// does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityErase {
    /// The octree flags byte: present in the server's form only.
    pub flags: Option<u8>,
    pub header: EditHeader,
    /// Each message's count and the IDs read: one message from the server, one or more from a
    /// client.
    pub messages: Vec<(u16, Vec<[u8; 16]>)>,
}

impl EntityErase {
    /// Whether a payload of `len` bytes has the server's form (13 + 16n bytes; a client's is
    /// 10 + 18n, never odd).
    pub fn is_server_form(len: usize) -> bool {
        len >= 13 && (len - 13) % 16 == 0
    }

    pub fn walk_as(r: &mut Rd, server: bool) -> Option<Self> {
        let flags = if server { Some(r.u8(&f::FLAGS)?) } else { None };
        let header = EditHeader::walk(r)?;
        let mut messages = Vec::new();
        loop {
            let count = r.u16le(&f::ERASE_COUNT)?;
            let mut ids = Vec::new();
            for _ in 0..count {
                if r.left() < 16 {
                    break;
                }
                ids.push(r.uuid(&f::ERASED_ID)?);
            }
            let whole = ids.len() == usize::from(count);
            messages.push((count, ids));
            if server || !whole || r.left() == 0 {
                return Some(EntityErase { flags, header, messages });
            }
        }
    }

    pub fn parse(b: &[u8]) -> Result<(Self, &[u8]), WireError> {
        let mut r = Rd::new(b);
        let v = Self::walk_as(&mut r, Self::is_server_form(b.len()));
        r.result(v)
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend(self.flags);
        self.header.emit(out);
        for (count, ids) in &self.messages {
            out.extend_from_slice(&count.to_le_bytes());
            for id in ids {
                out.extend_from_slice(id);
            }
        }
    }
}

fn dissect_erase(r: &mut Rd) {
    let server = EntityErase::is_server_form(r.data.len());
    if let Some(e) = EntityErase::walk_as(r, server) {
        r.info_number(" seq ", e.header.sequence.into());
        let n = e.messages.iter().map(|(_, ids)| ids.len()).sum();
        r.info(|s| {
            s.push(',');
            count(s, n, " entity", " entities");
        });
    }
}

/// EntityClone (98): the edit header, then pairs of (entity to clone, new entity ID), RFC 4122
/// (`encodeCloneEntityMessage` / `decodeCloneEntityMessage`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityClone {
    pub header: EditHeader,
    pub pairs: Vec<([u8; 16], [u8; 16])>,
}

impl Walk<'_> for EntityClone {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        let header = EditHeader::walk(r)?;
        let mut pairs = Vec::new();
        loop {
            pairs.push((r.uuid(&f::CLONE_ID)?, r.uuid(&f::NEW_ID)?));
            if r.left() == 0 {
                break;
            }
        }
        Some(EntityClone { header, pairs })
    }
}

impl EntityClone {
    pub fn emit(&self, out: &mut Vec<u8>) {
        self.header.emit(out);
        for (a, b) in &self.pairs {
            out.extend_from_slice(a);
            out.extend_from_slice(b);
        }
    }
}

fn dissect_clone(r: &mut Rd) {
    if let Some(c) = EntityClone::walk(r) {
        r.info(|s| {
            s.push(' ');
            push_uuid8(s, &c.pairs[0].0);
            s.push_str(" -> ");
            push_uuid8(s, &c.pairs[0].1);
        });
    }
}

/// EntityQueryInitialResultsComplete (99): the octree sequence number after the last initial
/// EntityData or erase packet, the next the server will use (`EntityTreeSendThread`,
/// `writePrimitive`: u16 LE); the client waits for every sequence number below it
/// (`SafeLanding::finishSequence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultsComplete {
    pub sequence: u16,
}

impl Walk<'_> for ResultsComplete {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        Some(ResultsComplete { sequence: r.u16le(&f::EXIT_SEQUENCE)? })
    }
}

impl ResultsComplete {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.sequence.to_le_bytes());
    }
}

/// OctreeDataNack (34) / EntityEditNack (37): u16 LE sequence numbers to the end
/// (`OctreeQueryNode::parseNackPacket`, `OctreeEditPacketSender::processNackPacket`), no count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nack {
    pub sequences: Vec<u16>,
}

impl Walk<'_> for Nack {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        let mut sequences = Vec::new();
        while r.left() > 0 {
            sequences.push(r.u16le(&f::NACK_SEQUENCE)?);
        }
        Some(Nack { sequences })
    }
}

impl Nack {
    pub fn emit(&self, out: &mut Vec<u8>) {
        for s in &self.sequences {
            out.extend_from_slice(&s.to_le_bytes());
        }
    }
}
