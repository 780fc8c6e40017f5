//! Entity property values: how each is laid out (`OctreePacketData::appendValue`, read back by
//! `READ_ENTITY_PROPERTY`), and which layout table a packet's version selects.
//!
//! A record's property flags say which properties follow; the reader then walks its own list of
//! the entity type's properties in a fixed order and reads each one whose bit is set. The bit a
//! property has and the order it is read in changed between releases: Vircadia (EntityData
//! version 133 and earlier) numbered them by hand, Overte generates both from one property list
//! since version 145 ([`super::layouts`]).

use std::borrow::Cow;
use std::fmt::Write as _;

use udpdissect_core::{FieldInfo, Value};

use super::super::codec::{quuid_memory_to_rfc, Rd};
use super::fields as f;
use super::layouts::{OVERTE_BASE, OVERTE_TYPES, VIRCADIA_COMMON, VIRCADIA_TYPES};

/// A property's wire layout. Numbers are little-endian; counts and lengths are u16 LE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wire {
    Bool,
    U8,
    U16,
    U32,
    U64,
    F32,
    /// An enumeration in one byte (Overte from version 145; Vircadia's were u32).
    E8,
    Vec2,
    Vec3,
    /// `packOrientationQuatToBytes`: x, y, z, w as u16, each (c + 1) * 65535 / 2.
    Quat,
    /// `u8vec3Color`: red, green, blue bytes.
    Rgb,
    /// `AACube`: corner (3 x f32), scale (f32).
    AaCube,
    /// `QRect` as it lies in memory: four 32-bit integers.
    Rect,
    /// UTF-8 behind a u16 length.
    Str,
    /// Bytes behind a u16 length.
    Bytes,
    /// A QUuid behind a u16 length: 16 RFC 4122 bytes, or length 0 for the null UUID.
    Uuid,
    /// `SimulationOwner::toByteArray` behind a u16 length: owner UUID, priority byte.
    SimOwner,
    /// `QVector<QUuid>`: a count, then each QUuid as it lies in memory.
    Zones,
    /// `QVector<bool>`: a count, then the bits, least significant first.
    VecBool,
    /// `QVector<glm::quat>`: a count, then packed quaternions.
    VecQuat,
    /// `QVector<glm::vec3>`: a count, then 3 x f32 each.
    VecVec3,
    /// `QVector<float>`: a count, then f32 each.
    VecF32,
    /// `QSet<QString>`: a count, then u16 length + UTF-8 each.
    Tags,
}

/// A property in a layout with one numbering (Vircadia).
pub(crate) struct Row {
    pub bit: u8,
    pub wire: Wire,
    pub field: &'static FieldInfo,
}

/// A property in Overte's generated layout: its bit in each of versions 147 to 151 (0: the
/// version does not have it).
pub(crate) struct ORow {
    pub bits: [u8; 5],
    pub wire: Wire,
    pub field: &'static FieldInfo,
}

/// One property as a record reads it: its bit, its layout and its field.
pub(crate) type Slot = (u32, Wire, &'static FieldInfo);

/// The first and last Overte EntityData versions [`ORow::bits`] holds.
pub(super) const OVERTE_FIRST: u8 = 147;
const OVERTE_LAST: u8 = 151;
/// The last Vircadia EntityData version (`TextAlignment`).
pub(super) const VIRCADIA_LAST: u8 = 133;

/// The properties an entity of type `ty` has in packets of `version`, as (bit, layout, field)
/// in the order the reader reads them, and whether the type has a section of its own; `None`
/// when no layout is known for the version.
pub(crate) fn rows(version: u8, ty: u64) -> Option<(Vec<Slot>, bool)> {
    if version <= VIRCADIA_LAST {
        let own = VIRCADIA_TYPES.iter().find(|(t, _)| *t == ty).map(|(_, parts)| *parts);
        let all = VIRCADIA_COMMON.iter().chain(own.unwrap_or_default().iter().copied().flatten());
        return Some((all.map(|r| (u32::from(r.bit), r.wire, r.field)).collect(), own.is_some()));
    }
    if !(OVERTE_FIRST..=OVERTE_LAST).contains(&version) {
        return None;
    }
    let col = usize::from(version - OVERTE_FIRST);
    let own = OVERTE_TYPES.iter().find(|(t, _)| *t == ty).map(|(_, parts)| *parts);
    // A section is the type's only in the versions that have the type (Empty came in 150,
    // Script in 151).
    let known = own.is_some() && super::entity_type_name(ty, version).is_some();
    let all = OVERTE_BASE.iter().chain(own.unwrap_or_default().iter().copied().flatten());
    let rows = all.filter(|r| r.bits[col] != 0).map(|r| (u32::from(r.bits[col]), r.wire, r.field)).collect();
    Some((rows, known))
}

/// Reads one property value laid out as `wire`, as field `fi`.
pub(crate) fn read(r: &mut Rd, wire: Wire, fi: &'static FieldInfo) -> Option<()> {
    match wire {
        Wire::E8 | Wire::U32 => match names(fi) {
            Some(table) => {
                let at = r.pos;
                let n = if wire == Wire::E8 { 1 } else { 4 };
                let b = r.take(fi, n)?;
                let v = b.iter().rev().fold(0u64, |v, &x| v << 8 | u64::from(x));
                r.add(fi, at, n, || Value::Enum { value: v, name: table.get(v as usize).copied() });
                Some(())
            }
            None if wire == Wire::E8 => r.u8(fi).map(drop),
            None => r.u32le(fi).map(drop),
        },
        Wire::Bool => r.bool8(fi).map(drop),
        Wire::U8 => r.u8(fi).map(drop),
        Wire::U16 => r.u16le(fi).map(drop),
        Wire::U64 => r.u64le(fi).map(drop),
        Wire::F32 => r.f32le(fi).map(drop),
        Wire::Vec2 => r.floats::<2>(fi).map(drop),
        Wire::Vec3 => r.floats::<3>(fi).map(drop),
        Wire::AaCube => r.floats::<4>(fi).map(drop),
        Wire::Quat => fixed(r, fi, 8, push_quat),
        Wire::Rgb => fixed(r, fi, 3, |s, b| {
            let _ = write!(s, "{}, {}, {}", b[0], b[1], b[2]);
        }),
        Wire::Rect => fixed(r, fi, 16, |s, b| {
            for (i, c) in b.chunks_exact(4).enumerate() {
                let _ = write!(s, "{}{}", if i > 0 { ", " } else { "" }, i32::from_le_bytes([c[0], c[1], c[2], c[3]]));
            }
        }),
        Wire::Str => r.text16le(fi).map(drop),
        Wire::Bytes | Wire::SimOwner => bytes16(r, fi),
        Wire::Uuid => uuid_prop(r, fi),
        Wire::Zones => zones(r, fi),
        Wire::VecBool => counted(
            r,
            fi,
            |n| n.div_ceil(8),
            |s, n, b| {
                for i in 0..n {
                    let _ = write!(s, "{}{}", if i > 0 { ", " } else { "" }, b[i / 8] >> (i % 8) & 1 == 1);
                }
            },
        ),
        Wire::VecQuat => counted(r, fi, |n| n * 8, |s, _, b| list(s, b.chunks_exact(8), push_quat)),
        Wire::VecVec3 => counted(r, fi, |n| n * 12, |s, _, b| list(s, b.chunks_exact(12), push_floats)),
        Wire::VecF32 => counted(
            r,
            fi,
            |n| n * 4,
            |s, _, b| {
                for (i, c) in b.chunks_exact(4).enumerate() {
                    let _ =
                        write!(s, "{}{}", if i > 0 { ", " } else { "" }, f32::from_le_bytes([c[0], c[1], c[2], c[3]]));
                }
            },
        ),
        Wire::Tags => tags(r, fi),
    }
}

/// `ShapeType` (`ShapeInfo.h`).
const SHAPE_TYPES: &[&str] = &[
    "NONE",
    "BOX",
    "SPHERE",
    "CAPSULE_X",
    "CAPSULE_Y",
    "CAPSULE_Z",
    "CYLINDER_X",
    "CYLINDER_Y",
    "CYLINDER_Z",
    "HULL",
    "PLANE",
    "COMPOUND",
    "SIMPLE_HULL",
    "SIMPLE_COMPOUND",
    "STATIC_MESH",
    "ELLIPSOID",
    "CIRCLE",
    "MULTISPHERE",
];
/// `ComponentMode`: whether a zone's light, skybox, haze and so on apply.
const COMPONENT_MODES: &[&str] = &["INHERIT", "DISABLED", "ENABLED"];
/// `AvatarPriorityMode`.
const AVATAR_PRIORITIES: &[&str] = &["INHERIT", "CROWD", "HERO"];

/// `RenderLayer`.
const RENDER_LAYERS: &[&str] = &["WORLD", "FRONT", "HUD"];
/// `PrimitiveMode`.
const PRIMITIVE_MODES: &[&str] = &["SOLID", "LINES"];
/// `BillboardMode`.
const BILLBOARD_MODES: &[&str] = &["NONE", "YAW", "FULL"];
/// `MirrorMode` (Overte).
const MIRROR_MODES: &[&str] = &["NONE", "MIRROR", "PORTAL"];
/// `EntityShape`: a Shape entity's shape in one byte (Overte from 145; Vircadia sent its name).
const ENTITY_SHAPES: &[&str] = &[
    "Triangle",
    "Quad",
    "Hexagon",
    "Octagon",
    "Circle",
    "Cube",
    "Sphere",
    "Tetrahedron",
    "Octahedron",
    "Dodecahedron",
    "Icosahedron",
    "Torus",
    "Cone",
    "Cylinder",
];

/// `MaterialMappingMode` (TRIPLANAR from Overte).
const MATERIAL_MAPPING_MODES: &[&str] = &["UV", "PROJECTED", "TRIPLANAR"];
/// `PulseMode`: a color or alpha pulsing in or out of phase.
const PULSE_MODES: &[&str] = &["NONE", "IN_PHASE", "OUT_PHASE"];
/// `TextAlignment`.
const TEXT_ALIGNMENTS: &[&str] = &["LEFT", "CENTER", "RIGHT"];
/// `TextVerticalAlignment` (Overte).
const TEXT_VERTICAL_ALIGNMENTS: &[&str] = &["TOP", "BOTTOM", "CENTER"];
/// `TextEffect`.
const TEXT_EFFECTS: &[&str] = &["NO_EFFECT", "OUTLINE_EFFECT", "OUTLINE_WITH_FILL_EFFECT", "SHADOW_EFFECT"];
/// `WebInputMode`.
const WEB_INPUT_MODES: &[&str] = &["TOUCH", "MOUSE"];
/// `GizmoType`.
const GIZMO_TYPES: &[&str] = &["RING"];
/// `TonemappingCurve` (Overte).
const TONEMAPPING_CURVES: &[&str] = &["RGB", "SRGB", "REINHARD", "FILMIC"];
/// `AmbientOcclusionTechnique` (Overte).
const AMBIENT_OCCLUSION_TECHNIQUES: &[&str] = &["SSAO", "HBAO"];

/// The names of an enumeration property's values, where known.
pub(super) fn names(fi: &FieldInfo) -> Option<&'static [&'static str]> {
    match fi.key.strip_prefix("overte.entity.")? {
        "shape_type" => Some(SHAPE_TYPES),
        "render_layer" => Some(RENDER_LAYERS),
        "primitive_mode" => Some(PRIMITIVE_MODES),
        "billboard_mode" => Some(BILLBOARD_MODES),
        "mirror_mode" => Some(MIRROR_MODES),
        "shape" => Some(ENTITY_SHAPES),
        "avatar_priority" => Some(AVATAR_PRIORITIES),
        "material_mapping_mode" => Some(MATERIAL_MAPPING_MODES),
        "pulse_color_mode" | "pulse_alpha_mode" => Some(PULSE_MODES),
        "text_alignment" => Some(TEXT_ALIGNMENTS),
        "text_vertical_alignment" => Some(TEXT_VERTICAL_ALIGNMENTS),
        "text_effect" => Some(TEXT_EFFECTS),
        "input_mode" => Some(WEB_INPUT_MODES),
        "gizmo_type" => Some(GIZMO_TYPES),
        "tonemapping_curve" => Some(TONEMAPPING_CURVES),
        "ambient_occlusion_technique" => Some(AMBIENT_OCCLUSION_TECHNIQUES),
        "key_light_mode"
        | "ambient_light_mode"
        | "skybox_mode"
        | "haze_mode"
        | "bloom_mode"
        | "screenshare"
        | "tonemapping_mode"
        | "ambient_occlusion_mode"
        | "normal_map_attenuation_mode" => Some(COMPONENT_MODES),
        _ => None,
    }
}

/// `n` bytes shown as the text `show` writes.
fn fixed(r: &mut Rd, fi: &'static FieldInfo, n: usize, show: impl FnOnce(&mut String, &[u8])) -> Option<()> {
    let at = r.pos;
    let b = r.take(fi, n)?;
    r.add(fi, at, n, || {
        let mut s = String::new();
        show(&mut s, b);
        Value::String(Cow::Owned(s))
    });
    Some(())
}

/// A u16 LE count, then `size(count)` bytes shown as the text `show` writes.
fn counted(
    r: &mut Rd,
    fi: &'static FieldInfo,
    size: impl FnOnce(usize) -> usize,
    show: impl FnOnce(&mut String, usize, &[u8]),
) -> Option<()> {
    let at = r.pos;
    let n = usize::from(u16::from_le_bytes(r.take(fi, 2)?.try_into().ok()?));
    let b = r.take(fi, size(n))?;
    r.add(fi, at, r.pos - at, || {
        let mut s = String::new();
        show(&mut s, n, b);
        Value::String(Cow::Owned(s))
    });
    Some(())
}

/// Each element in parentheses, comma-separated.
fn list<'b>(s: &mut String, items: impl Iterator<Item = &'b [u8]>, each: fn(&mut String, &[u8])) {
    for (i, c) in items.enumerate() {
        s.push_str(if i > 0 { ", (" } else { "(" });
        each(s, c);
        s.push(')');
    }
}

fn push_floats(s: &mut String, b: &[u8]) {
    for (i, c) in b.chunks_exact(4).enumerate() {
        let _ = write!(s, "{}{}", if i > 0 { ", " } else { "" }, f32::from_le_bytes([c[0], c[1], c[2], c[3]]));
    }
}

/// `unpackOrientationQuatFromBytes` before it normalizes: each u16 to (v / 65535) * 2 - 1.
fn push_quat(s: &mut String, b: &[u8]) {
    for (i, c) in b.chunks_exact(2).enumerate() {
        let v = f32::from(u16::from_le_bytes([c[0], c[1]])) / (f32::from(u16::MAX) / 2.0) - 1.0;
        let _ = write!(s, "{}{v}", if i > 0 { ", " } else { "" });
    }
}

/// `OctreePacketData::unpackDataFromBytes(QUuid)`: u16 LE length, then that many bytes; only 16
/// make a UUID (`QUuid::fromRfc4122`), anything else is the null UUID.
pub(crate) fn uuid_prop(r: &mut Rd, fi: &'static FieldInfo) -> Option<()> {
    let at = r.pos;
    let n = u16::from_le_bytes(r.take(fi, 2)?.try_into().ok()?) as usize;
    let b = r.take(fi, n)?;
    r.add(fi, at, 2 + n, || match <[u8; 16]>::try_from(b) {
        Ok(u) if u != [0; 16] => Value::Uuid(u),
        _ => Value::None,
    });
    Some(())
}

/// A byte array behind a u16 LE length.
pub(crate) fn bytes16(r: &mut Rd, fi: &'static FieldInfo) -> Option<()> {
    let at = r.pos;
    let n = u16::from_le_bytes(r.take(fi, 2)?.try_into().ok()?) as usize;
    r.take(fi, n)?;
    r.add(fi, at, 2 + n, || Value::Bytes);
    Some(())
}

/// `QVector<QUuid>`: u16 LE count, then each QUuid as it lies in memory (data1 u32, data2 u16,
/// data3 u16 in host order, little-endian, then data4), each shown as the UUID it is.
pub(crate) fn zones(r: &mut Rd, fi: &'static FieldInfo) -> Option<()> {
    let n = r.u16le(fi)?;
    for _ in 0..n {
        let at = r.pos;
        let b: [u8; 16] = r.take(&f::RENDER_ZONE, 16)?.try_into().ok()?;
        r.add(&f::RENDER_ZONE, at, 16, || Value::Uuid(quuid_memory_to_rfc(&b)));
    }
    Some(())
}

/// `QSet<QString>`: u16 LE count, then each string behind its u16 LE length, shown quoted.
fn tags(r: &mut Rd, fi: &'static FieldInfo) -> Option<()> {
    let at = r.pos;
    let n = u16::from_le_bytes(r.take(fi, 2)?.try_into().ok()?);
    let mut s = String::new();
    for i in 0..n {
        let len = usize::from(u16::from_le_bytes(r.take(fi, 2)?.try_into().ok()?));
        let b = r.take(fi, len)?;
        let _ = write!(s, "{}\"{}\"", if i > 0 { ", " } else { "" }, String::from_utf8_lossy(b));
    }
    r.add(fi, at, r.pos - at, || Value::String(Cow::Owned(s)));
    Some(())
}
