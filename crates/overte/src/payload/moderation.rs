//! What a client asks the mixers and the domain server about other nodes and itself: kick,
//! mute, gains, solo, the space bubble, usernames, SetAvatarTraits, avatar sorting, injectors
//! and zone presence.
//!
//! Everything here is raw `writePrimitive` / `toRfc4122()` data (little-endian numbers, RFC 4122
//! UUIDs): none of these packets goes through a QDataStream.

use std::borrow::Cow;
use std::fmt::Write as _;

use udpdissect_core::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, Severity, Value};

use super::codec::{self, lossy, put_text32le, Rd, Text, Walk, WireError};
use super::enums;
use super::fields as f;
use super::types::*;

pub static SET_TRAITS_TRAIT: FieldInfo =
    FieldInfo::new("overte.set_traits.trait", "Trait", K::None, "one trait record of a SetAvatarTraits");
pub static SET_TRAITS_SKELETON_URL: FieldInfo = FieldInfo::new(
    "overte.set_traits.skeleton_url",
    "Skeleton model URL",
    K::String,
    "SkeletonModelURL trait value (encoded URL, UTF-8); empty for the default avatar",
);
pub static SET_TRAITS_OVERRIDE: FieldInfo = FieldInfo::new(
    "overte.set_traits.override",
    "Mixer override",
    K::Bool,
    "read as the avatar mixer's skeleton URL override to the client (type, i32 LE version, size, URL), not as a \
     client's trait update (i32 LE version, then records)",
);
pub static GAIN_NODE: FieldInfo = FieldInfo::new(
    "overte.gain.node",
    "Avatar",
    K::Uuid,
    "avatar whose gain the listener sets; the null UUID sets the master gain of every avatar",
);
pub static GAIN_PACKED: FieldInfo =
    FieldInfo::new("overte.gain.packed", "Packed gain", K::Unsigned, "u8: 0 silent, else 0.5 dB steps, 195 = 0 dB");
pub static GAIN_DB: FieldInfo =
    FieldInfo::new("overte.gain.db", "Gain (dB)", K::Float, "unpacked gain, (packed - 195) / 2 dB; absent when silent");
pub static KICK_NODE: FieldInfo =
    FieldInfo::new("overte.kick.node", "Node", K::Uuid, "session UUID of the node to kick");
pub static KICK_BAN_FLAGS: FieldInfo = FieldInfo::new(
    "overte.kick.ban_flags",
    "Ban flags",
    K::Hex,
    "u32 LE ModerationFlags::BanFlags: 1 username, 2 machine fingerprint, 4 IP",
);
pub static KICK_BAN_BY: FieldInfo =
    FieldInfo::new("overte.kick.ban_by", "Ban by", K::String, "names of the ban flags set (none: kick without ban)");
pub static MUTE_NODE: FieldInfo =
    FieldInfo::new("overte.mute.node", "Node", K::Uuid, "session UUID of the node to mute");
pub static RADIUS_IGNORE_ENABLED: FieldInfo =
    FieldInfo::new("overte.radius_ignore.enabled", "Enabled", K::Bool, "u8 bool: space bubble (ignore radius) on");
pub static USERNAME_NODE: FieldInfo =
    FieldInfo::new("overte.username.node", "Node", K::Uuid, "session UUID whose username is asked for / given");
pub static USERNAME_NAME: FieldInfo = FieldInfo::new(
    "overte.username.name",
    "Username",
    K::String,
    "verified username (u32 LE length + UTF-8); empty unless the asker may kick or asked about itself",
);
pub static USERNAME_FINGERPRINT: FieldInfo = FieldInfo::new(
    "overte.username.fingerprint",
    "Machine fingerprint",
    K::Uuid,
    "machine fingerprint; null unless the asker may kick or asked about itself",
);
pub static USERNAME_IS_ADMIN: FieldInfo =
    FieldInfo::new("overte.username.is_admin", "Admin", K::Bool, "u8 bool: the node has the kick permission");
pub static SORTING_SIZE: FieldInfo =
    FieldInfo::new("overte.avatar_sorting.size", "Size coefficient", K::Float, "f32 LE avatar sort coefficient");
pub static SORTING_CENTER: FieldInfo =
    FieldInfo::new("overte.avatar_sorting.center", "Center coefficient", K::Float, "f32 LE avatar sort coefficient");
pub static SORTING_AGE: FieldInfo =
    FieldInfo::new("overte.avatar_sorting.age", "Age coefficient", K::Float, "f32 LE avatar sort coefficient");
pub static SOLO_ADD: FieldInfo = FieldInfo::new("overte.solo.add", "Add", K::Bool, "u8: non-zero solo, 0 unsolo");
pub static SOLO_NODE: FieldInfo = FieldInfo::new("overte.solo.node", "Node", K::Uuid, "node to (un)solo");
pub static STOP_INJECTOR_STREAM: FieldInfo =
    FieldInfo::new("overte.stop_injector.stream_id", "Stream ID", K::Uuid, "injector stream to stop");
pub static ZONE_PRESENCE_AVATAR: FieldInfo =
    FieldInfo::new("overte.zone_presence.avatar", "Avatar", K::Uuid, "avatar session UUID");
pub static ZONE_PRESENCE_ZONE: FieldInfo = FieldInfo::new(
    "overte.zone_presence.zone",
    "Zone",
    K::Uuid,
    "screenshare zone entered (null: left it); optional, Overte's domain server does not read it",
);

// Protocol: the packet decodes, but the domain server does something other than the sender
// probably meant.
pub static KICK_BAN_FLAGS_IGNORED: ExpertInfo = ExpertInfo::new(
    "overte.kick.ban_flags_ignored",
    Severity::Warn,
    ExpertGroup::Protocol,
    "kick request bytes after the node UUID that the domain server ignores: it reads ban flags only from a \
     20-byte payload",
);

/// This module's payload fields, for `--list-fields` and the filter catalog.
pub(crate) static FIELDS: &[&FieldInfo] = &[
    &SET_TRAITS_TRAIT,
    &SET_TRAITS_SKELETON_URL,
    &SET_TRAITS_OVERRIDE,
    &GAIN_NODE,
    &GAIN_PACKED,
    &GAIN_DB,
    &KICK_NODE,
    &KICK_BAN_FLAGS,
    &KICK_BAN_BY,
    &MUTE_NODE,
    &RADIUS_IGNORE_ENABLED,
    &USERNAME_NODE,
    &USERNAME_NAME,
    &USERNAME_FINGERPRINT,
    &USERNAME_IS_ADMIN,
    &SORTING_SIZE,
    &SORTING_CENTER,
    &SORTING_AGE,
    &SOLO_ADD,
    &SOLO_NODE,
    &STOP_INJECTOR_STREAM,
    &ZONE_PRESENCE_AVATAR,
    &ZONE_PRESENCE_ZONE,
];
/// This module's payload findings.
pub(crate) static EXPERTS: &[&ExpertInfo] = &[&KICK_BAN_FLAGS_IGNORED];

/// Whether this module decodes packet type `t`.
pub(crate) fn decodes(t: u8) -> bool {
    matches!(
        t,
        SET_AVATAR_TRAITS
            | INJECTOR_GAIN_SET
            | NODE_KICK_REQUEST
            | NODE_MUTE_REQUEST
            | RADIUS_IGNORE_REQUEST
            | USERNAME_FROM_ID_REQUEST
            | USERNAME_FROM_ID_REPLY
            | PER_AVATAR_GAIN_SET
            | ADJUST_AVATAR_SORTING
            | AUDIO_SOLO_REQUEST
            | STOP_INJECTOR
            | AVATAR_ZONE_PRESENCE
    )
}

/// The exact payload length of the types here whose writer always writes the same number of
/// bytes.
pub(crate) const fn fixed_len(t: u8) -> Option<usize> {
    Some(match t {
        // One packed gain byte (the writers allocate sizeof(float) but write one byte).
        INJECTOR_GAIN_SET => 1,
        // One bool (allocated as bool + float, only the bool is written).
        RADIUS_IGNORE_REQUEST => 1,
        NODE_MUTE_REQUEST | USERNAME_FROM_ID_REQUEST | STOP_INJECTOR => 16,
        PER_AVATAR_GAIN_SET => 17,
        ADJUST_AVATAR_SORTING => 12,
        _ => return None,
    })
}

/// Decodes a payload of type `t` (one [`decodes`] accepts).
pub(crate) fn dissect(r: &mut Rd, t: u8) {
    match t {
        SET_AVATAR_TRAITS => dissect_set_traits(r),
        INJECTOR_GAIN_SET => {
            if let Some(g) = InjectorGainSet::walk(r) {
                gain_fields(r, g.packed);
                gain_info(r, g.packed);
            }
        }
        PER_AVATAR_GAIN_SET => {
            if let Some(g) = PerAvatarGainSet::walk(r) {
                gain_fields(r, g.packed);
                if g.node == [0; 16] {
                    r.info_word("master");
                } else {
                    r.info(|s| push_node(s, &g.node));
                }
                gain_info(r, g.packed);
            }
        }
        NODE_KICK_REQUEST => dissect_kick(r),
        NODE_MUTE_REQUEST => {
            if let Some(m) = NodeMuteRequest::walk(r) {
                r.info(|s| push_node(s, &m.node));
            }
        }
        RADIUS_IGNORE_REQUEST => {
            if let Some(q) = RadiusIgnoreRequest::walk(r) {
                r.info_word(if q.enabled != 0 { "enabled" } else { "disabled" });
            }
        }
        USERNAME_FROM_ID_REQUEST => {
            if let Some(q) = UsernameFromIdRequest::walk(r) {
                r.info(|s| push_node(s, &q.node));
            }
        }
        USERNAME_FROM_ID_REPLY => {
            if let Some(q) = UsernameFromIdReply::walk(r) {
                r.info(|s| {
                    push_node(s, &q.node);
                    s.push_str(" \"");
                    s.push_str(&String::from_utf8_lossy(&q.username));
                    s.push('"');
                    if q.is_admin != 0 {
                        s.push_str(" admin");
                    }
                });
            }
        }
        ADJUST_AVATAR_SORTING => {
            if let Some(q) = AdjustAvatarSorting::walk(r) {
                r.info(|s| {
                    let _ = write!(s, " size {} center {} age {}", q.size, q.center, q.age);
                });
            }
        }
        AUDIO_SOLO_REQUEST => {
            if let Some(q) = AudioSoloRequest::walk(r) {
                r.info(|s| {
                    let _ = write!(s, " {} {}", if q.add != 0 { "solo" } else { "unsolo" }, q.nodes.len());
                });
            }
        }
        STOP_INJECTOR => {
            if let Some(q) = StopInjector::walk(r) {
                r.info(|s| push_node(s, &q.stream_id));
            }
        }
        AVATAR_ZONE_PRESENCE => {
            if let Some(q) = AvatarZonePresence::walk(r) {
                r.info(|s| {
                    push_node(s, &q.avatar);
                    match q.zone {
                        Some(z) if z != [0; 16] => {
                            s.push_str(" zone");
                            push_node(s, &z);
                        }
                        Some(_) => s.push_str(" no zone"),
                        None => {}
                    }
                });
            }
        }
        _ => {}
    }
}

/// Appends ` ` and the UUID's short form.
fn push_node(s: &mut String, u: &[u8; 16]) {
    s.push(' ');
    codec::push_uuid8(s, u);
}

/// The gain in dB a packed gain byte stands for (`unpackFloatGainFromByte`, AudioHelpers.h:
/// exp2((b - 195) / (2 × 6.02059991)), so 20·log10 of it is (b - 195) / 2 dB to within 1e-4 dB);
/// `None` for 0, which unpacks to a gain of 0 (silence).
pub fn gain_db(packed: u8) -> Option<f64> {
    (packed != 0).then(|| (f64::from(packed) - 195.0) / 2.0)
}

fn gain_fields(r: &mut Rd, packed: u8) {
    if let Some(db) = gain_db(packed) {
        r.generated(&GAIN_DB, || Value::Float(db));
    }
}

fn gain_info(r: &mut Rd, packed: u8) {
    r.info(|s| match gain_db(packed) {
        Some(db) => {
            let _ = write!(s, " {}{db} dB", if db > 0.0 { "+" } else { "" });
        }
        None => s.push_str(" silent"),
    });
}

/// One trait record of a SetAvatarTraits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraitRecord<'a> {
    /// `AvatarTraits::TraitType` (an i8 on the wire; 255 is -1).
    pub trait_type: u8,
    /// The record's own trait version: only in the mixer's override.
    pub version: Option<i32>,
    /// Instance ID: instanced traits (any type but 0 and 1) of a client's update.
    pub instance: Option<[u8; 16]>,
    /// i16 LE; -1 deletes an instanced trait.
    pub size: i16,
    pub data: Cow<'a, [u8]>,
}

impl TraitRecord<'_> {
    fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.trait_type);
        if let Some(v) = self.version {
            out.extend_from_slice(&v.to_le_bytes());
        }
        if let Some(i) = self.instance {
            out.extend_from_slice(&i);
        }
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&self.data);
    }
}

/// SetAvatarTraits (25). Client → avatar mixer (`ClientTraitsHandler::sendChangedTraitsToMixer`,
/// read by `AvatarMixerClientData::processSetTraitsMessage`): i32 LE trait version for the whole
/// packet, then records [i8 type | instanced types: instance UUID | i16 LE size | data]. Avatar
/// mixer → client (`checkSkeletonURLAgainstWhitelist`, read by
/// `ClientTraitsHandler::processTraitOverride`): one record [i8 type 0 | i32 LE version | i16 LE
/// size | URL], no packet version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAvatarTraits<'a> {
    /// The packet's trait version; `None` for the mixer's override.
    pub version: Option<i32>,
    pub traits: Vec<TraitRecord<'a>>,
}

/// Whether a SetAvatarTraits payload is read as the mixer's override: the only override writer
/// (`packVersionedTrait(SkeletonModelURL, …)`) writes exactly one record of type 0 with a
/// size that fills the rest. A client update fits that too only when its version is a
/// multiple of 256 (its first byte 0), so the override wins then (AMBIGUOUS, see the docs):
/// the shape decides only where the session does not know who sent the packet.
pub fn is_override(b: &[u8]) -> bool {
    match b {
        [0, _, _, _, _, lo, hi, ..] => {
            let size = i16::from_le_bytes([*lo, *hi]);
            size >= 0 && 7 + size as usize == b.len()
        }
        _ => false,
    }
}

impl<'a> Walk<'a> for SetAvatarTraits<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        // Who sent it decides, where the session knows: the avatar mixer writes the override,
        // anyone else a client's update. Otherwise the shape does.
        let ov = match r.ends {
            (Some(b'W'), _) => true,
            (Some(_), _) | (None, Some(b'W')) => false,
            (None, _) => is_override(r.rest()),
        };
        r.generated(&SET_TRAITS_OVERRIDE, || Value::Bool(ov));
        let version = if ov { None } else { Some(r.i32le(&f::TRAITS_VERSION)?) };
        let mut traits = Vec::new();
        while r.left() > 0 {
            let node = r.open(&SET_TRAITS_TRAIT, || Value::None);
            let rec = if ov { walk_override_record(r) } else { walk_client_record(r) };
            r.close(node);
            traits.push(rec?);
        }
        Some(SetAvatarTraits { version, traits })
    }
}

impl SetAvatarTraits<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        if let Some(v) = self.version {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for t in &self.traits {
            t.emit(out);
        }
    }
}

/// The trait's value: the skeleton URL as text, anything else as bytes.
fn walk_trait_data<'a>(r: &mut Rd<'a, '_>, trait_type: u8, size: i16) -> Option<Cow<'a, [u8]>> {
    let n = size.max(0) as usize;
    let at = r.pos;
    let data = r.take(&f::TRAITS_DATA, n)?;
    if n > 0 {
        if trait_type == 0 {
            r.add(&SET_TRAITS_SKELETON_URL, at, n, || lossy(data));
        } else {
            r.add(&f::TRAITS_DATA, at, n, || Value::Bytes);
        }
    }
    Some(Cow::Borrowed(data))
}

/// A record as `AvatarMixerClientData::processSetTraitsMessage` reads it.
fn walk_client_record<'a>(r: &mut Rd<'a, '_>) -> Option<TraitRecord<'a>> {
    let trait_type = r.en8(&f::TRAITS_TYPE, enums::trait_type)?;
    // isSimpleTrait: NullTrait < type < FirstInstancedTrait; every other value, -1 included,
    // is read as an instanced trait.
    let simple = trait_type < 2;
    let instance = if simple {
        None
    } else {
        // The mixer wants the instance ID and the size together, or reads neither.
        if r.left() < 18 {
            return r.short(&f::TRAITS_INSTANCE, 18);
        }
        Some(r.uuid(&f::TRAITS_INSTANCE)?)
    };
    let size_at = r.pos;
    let size = r.i16le(&f::TRAITS_SIZE)?;
    if size < -1 {
        return r.malformed(size_at, 2, "trait size", || {
            format!("trait size {size} at offset {size_at}: the avatar mixer refuses sizes below -1 and reads nothing after it")
        });
    }
    if size > 0 && size as usize > r.left() {
        return r.short(&f::TRAITS_DATA, size as usize);
    }
    if simple && size == -1 {
        return r.malformed(size_at, 2, "trait size", || {
            format!(
                "simple trait with size -1 (deleted) at offset {size_at}: only instanced traits can be deleted; the \
                 avatar mixer moves its read position back one byte and reads the next record from there"
            )
        });
    }
    if !simple && trait_type != 2 && trait_type != 3 {
        let at = r.pos;
        return r.malformed(at, 0, "trait type", || {
            format!(
                "instanced trait of type {} the avatar mixer cannot process (only AvatarEntity 2 and Grab 3): it stops \
                 reading the packet here",
                trait_type as i8
            )
        });
    }
    let data = walk_trait_data(r, trait_type, size)?;
    Some(TraitRecord { trait_type, version: None, instance, size, data })
}

/// A record as `ClientTraitsHandler::processTraitOverride` reads it.
fn walk_override_record<'a>(r: &mut Rd<'a, '_>) -> Option<TraitRecord<'a>> {
    if r.left() < 7 {
        return r.short(&f::TRAITS_TYPE, 7);
    }
    let at = r.pos;
    let trait_type = r.en8(&f::TRAITS_TYPE, enums::trait_type)?;
    let version = r.i32le(&f::TRAITS_VERSION)?;
    let size_at = r.pos;
    let size = r.i16le(&f::TRAITS_SIZE)?;
    if trait_type > 3 {
        return r.malformed(at, 1, "trait type", || {
            format!("trait type {} is not a valid trait: the client drops the rest of the override", trait_type as i8)
        });
    }
    if size < 0 {
        return r.malformed(size_at, 2, "trait size", || {
            format!("trait size {size} at offset {size_at}: the client drops an override whose size is negative")
        });
    }
    let data = walk_trait_data(r, trait_type, size)?;
    Some(TraitRecord { trait_type, version: Some(version), instance: None, size, data })
}

fn dissect_set_traits(r: &mut Rd) {
    let Some(t) = SetAvatarTraits::walk(r) else { return };
    r.info(|s| match t.version {
        Some(v) => {
            s.push_str(" v");
            udpdissect_core::digits::push_i64(s, v.into());
            s.push(':');
            udpdissect_core::digits::push_count(s, t.traits.len() as u64, " trait");
        }
        None => {
            s.push_str(" override v");
            udpdissect_core::digits::push_i64(s, t.traits.first().and_then(|r| r.version).unwrap_or(0).into());
        }
    });
}

/// InjectorGainSet (26): the packed master injector gain (`NodeList::setInjectorGain`, read by
/// `AudioMixerClientData::parseInjectorGainSet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InjectorGainSet {
    pub packed: u8,
}

impl Walk<'_> for InjectorGainSet {
    fn walk(r: &mut Rd) -> Option<Self> {
        Some(InjectorGainSet { packed: r.u8(&GAIN_PACKED)? })
    }
}

impl InjectorGainSet {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.packed);
    }
}

/// PerAvatarGainSet (74): avatar UUID (null: master gain) + packed gain (`NodeList::setAvatarGain`,
/// read by `AudioMixerClientData::parsePerAvatarGainSet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerAvatarGainSet {
    pub node: [u8; 16],
    pub packed: u8,
}

impl Walk<'_> for PerAvatarGainSet {
    fn walk(r: &mut Rd) -> Option<Self> {
        let node = r.uuid(&GAIN_NODE)?;
        Some(PerAvatarGainSet { node, packed: r.u8(&GAIN_PACKED)? })
    }
}

impl PerAvatarGainSet {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.node);
        out.push(self.packed);
    }
}

/// NodeKickRequest (67): node UUID, then u32 LE ban flags (`NodeList::kickNodeBySessionID`).
/// `DomainServerSettingsManager::processNodeKickRequestPacket` reads the flags only when the
/// payload is exactly 20 bytes; otherwise it kicks with its default ban.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeKickRequest {
    pub node: [u8; 16],
    pub ban_flags: Option<u32>,
}

impl Walk<'_> for NodeKickRequest {
    fn walk(r: &mut Rd) -> Option<Self> {
        let node = r.uuid(&KICK_NODE)?;
        let ban_flags = if r.data.len() == 20 { Some(r.u32le(&KICK_BAN_FLAGS)?) } else { None };
        Some(NodeKickRequest { node, ban_flags })
    }
}

impl NodeKickRequest {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.node);
        if let Some(b) = self.ban_flags {
            out.extend_from_slice(&b.to_le_bytes());
        }
    }
}

/// `ModerationFlags::BanFlags` names, joined by `|` (unknown bits as hex; `none` for 0).
pub fn ban_flag_names(flags: u32) -> String {
    let mut s = String::new();
    for (bit, name) in [(1, "username"), (2, "fingerprint"), (4, "ip")] {
        if flags & bit != 0 {
            if !s.is_empty() {
                s.push('|');
            }
            s.push_str(name);
        }
    }
    let unknown = flags & !7;
    if unknown != 0 {
        if !s.is_empty() {
            s.push('|');
        }
        let _ = write!(s, "0x{unknown:x}");
    }
    if s.is_empty() {
        s.push_str("none");
    }
    s
}

fn dissect_kick(r: &mut Rd) {
    let Some(k) = NodeKickRequest::walk(r) else { return };
    if let Some(b) = k.ban_flags {
        r.generated(&KICK_BAN_BY, || Value::String(Cow::Owned(ban_flag_names(b))));
    } else if r.left() > 0 {
        let (at, n) = (r.pos, r.left());
        r.expert(&KICK_BAN_FLAGS_IGNORED, at, n, || {
            format!(
                "{n} bytes after the node UUID: the domain server reads ban flags only from a payload of exactly 20 \
                 bytes (UUID + u32 LE), so it ignores these and kicks with its default ban (username, or machine \
                 fingerprint when the node has no verified username)"
            )
        });
        // The finding explains the bytes: no generic trailing-bytes finding on top.
        r.quiet = true;
    }
    r.info(|s| {
        push_node(s, &k.node);
        if let Some(b) = k.ban_flags {
            s.push_str(" ban ");
            s.push_str(&ban_flag_names(b));
        }
    });
}

/// NodeMuteRequest (68): node UUID (`NodeList::muteNodeBySessionID`, read by
/// `AudioMixer::handleNodeMuteRequestPacket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeMuteRequest {
    pub node: [u8; 16],
}

impl Walk<'_> for NodeMuteRequest {
    fn walk(r: &mut Rd) -> Option<Self> {
        Some(NodeMuteRequest { node: r.uuid(&MUTE_NODE)? })
    }
}

impl NodeMuteRequest {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.node);
    }
}

/// RadiusIgnoreRequest (69): u8 bool (`NodeList::sendIgnoreRadiusStateToNode`, read by both
/// mixers: `parseRadiusIgnoreRequest` / `handleRadiusIgnoreRequestPacket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RadiusIgnoreRequest {
    pub enabled: u8,
}

impl Walk<'_> for RadiusIgnoreRequest {
    fn walk(r: &mut Rd) -> Option<Self> {
        Some(RadiusIgnoreRequest { enabled: r.bool8(&RADIUS_IGNORE_ENABLED)? })
    }
}

impl RadiusIgnoreRequest {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.enabled);
    }
}

/// UsernameFromIDRequest (70): node UUID (`NodeList::requestUsernameFromSessionID`, read by
/// `DomainServerSettingsManager::processUsernameFromIDRequestPacket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsernameFromIdRequest {
    pub node: [u8; 16],
}

impl Walk<'_> for UsernameFromIdRequest {
    fn walk(r: &mut Rd) -> Option<Self> {
        Some(UsernameFromIdRequest { node: r.uuid(&USERNAME_NODE)? })
    }
}

impl UsernameFromIdRequest {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.node);
    }
}

/// UsernameFromIDReply (71): node UUID | username (u32 LE length + UTF-8, `writeString`) |
/// machine fingerprint UUID | u8 bool isAdmin (`processUsernameFromIDRequestPacket`, read by
/// `NodeList::processUsernameFromIDReply`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsernameFromIdReply<'a> {
    pub node: [u8; 16],
    pub username: Text<'a>,
    pub fingerprint: [u8; 16],
    pub is_admin: u8,
}

impl<'a> Walk<'a> for UsernameFromIdReply<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let node = r.uuid(&USERNAME_NODE)?;
        let at = r.pos;
        let Some(username) = r.text32le(&USERNAME_NAME) else {
            // Point the finding at the length, not past it.
            if let Some(WireError::Short { at: a, .. }) = &mut r.err {
                *a = at;
            }
            return None;
        };
        let fingerprint = r.uuid(&USERNAME_FINGERPRINT)?;
        let is_admin = r.bool8(&USERNAME_IS_ADMIN)?;
        Some(UsernameFromIdReply { node, username, fingerprint, is_admin })
    }
}

impl UsernameFromIdReply<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.node);
        put_text32le(out, &self.username);
        out.extend_from_slice(&self.fingerprint);
        out.push(self.is_admin);
    }
}

/// AdjustAvatarSorting (80): three f32 LE sort coefficients, size, center, age
/// (`AvatarManager::setAvatarSortCoefficients`, read by `AvatarMixer::handleAdjustAvatarSorting`
/// from a node with the kick permission).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdjustAvatarSorting {
    pub size: f32,
    pub center: f32,
    pub age: f32,
}

impl Walk<'_> for AdjustAvatarSorting {
    fn walk(r: &mut Rd) -> Option<Self> {
        let size = r.f32le(&SORTING_SIZE)?;
        let center = r.f32le(&SORTING_CENTER)?;
        let age = r.f32le(&SORTING_AGE)?;
        Some(AdjustAvatarSorting { size, center, age })
    }
}

impl AdjustAvatarSorting {
    pub fn emit(&self, out: &mut Vec<u8>) {
        for v in [self.size, self.center, self.age] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
}

/// AudioSoloRequest (101): u8 add (non-zero) / remove + node UUIDs to the end (`AudioSolo`
/// add / remove / reset, read by `AudioMixerClientData::parseSoloRequest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioSoloRequest {
    pub add: u8,
    pub nodes: Vec<[u8; 16]>,
}

impl Walk<'_> for AudioSoloRequest {
    fn walk(r: &mut Rd) -> Option<Self> {
        let add = r.bool8(&SOLO_ADD)?;
        let mut nodes = Vec::new();
        while r.left() > 0 {
            nodes.push(r.uuid(&SOLO_NODE)?);
        }
        Some(AudioSoloRequest { add, nodes })
    }
}

impl AudioSoloRequest {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.add);
        for n in &self.nodes {
            out.extend_from_slice(n);
        }
    }
}

/// StopInjector (103): injector stream UUID (`AudioInjector::sendStopInjectorPacket`, read by
/// `AudioMixerClientData::parseStopInjectorPacket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopInjector {
    pub stream_id: [u8; 16],
}

impl Walk<'_> for StopInjector {
    fn walk(r: &mut Rd) -> Option<Self> {
        Some(StopInjector { stream_id: r.uuid(&STOP_INJECTOR_STREAM)? })
    }
}

impl StopInjector {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.stream_id);
    }
}

/// AvatarZonePresence (104, avatar mixer → domain server): avatar session UUID, then the
/// screenshare zone UUID (null when leaving). Overte's `DomainServer::processAvatarZonePresencePacket`
/// reads the avatar only; the zone is read when bytes remain (the mixer that wrote it,
/// Vircadia's `AvatarMixerClientData::parseData`, always wrote 32 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AvatarZonePresence {
    pub avatar: [u8; 16],
    pub zone: Option<[u8; 16]>,
}

impl Walk<'_> for AvatarZonePresence {
    fn walk(r: &mut Rd) -> Option<Self> {
        let avatar = r.uuid(&ZONE_PRESENCE_AVATAR)?;
        let zone = if r.left() > 0 { Some(r.uuid(&ZONE_PRESENCE_ZONE)?) } else { None };
        Some(AvatarZonePresence { avatar, zone })
    }
}

impl AvatarZonePresence {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.avatar);
        if let Some(z) = self.zone {
            out.extend_from_slice(&z);
        }
    }
}

#[cfg(test)]
mod tests {
    use udpdissect_core::{Dissection, Severity, Value};

    use super::*;
    use crate::payload::tests::{decode as run, hex, run_mode, tags, val};
    use crate::payload::Decoded;

    fn uuid(h: &str) -> [u8; 16] {
        hex(h).try_into().unwrap()
    }

    /// Every field a dissection adds is listed, and the payload decoder of the crate lists it.
    fn listed(d: &Dissection) {
        for fld in d.fields() {
            assert!(crate::payload::FIELDS.iter().any(|f| f.key == fld.info.key), "{} not listed", fld.info.key);
        }
    }

    /// vircadia-web-sdk `SetAvatarTraits.unit.test.js`, initial send: a whole datagram (UDT
    /// header with the message bit, so 12 bytes, then type, version, source ID and HMAC slot).
    const SET_TRAITS_URL: &str = "00000060000000000000000019160000000000000000000000000000000000000100000000420068747470733a2f2f63646e2d312e76697263616469612e636f6d2f75732d652d312f42617a6161722f417661746172732f5365616e2f6662782f5365616e2e667374";
    /// The same file's skeleton-data message: the payload of the three datagrams reassembled.
    const SKELETON_MESSAGE: &str = "\
             02000000010c0c3e073b448cc2a642587104000006020040b62dac37d33c47a21f7ccc0c0000ffff06000402df22813267f7\
             b0b258a10c52cc0c0100ffff0a000402000000000000bfffbfff3fff00000200ffff0e000b02000000000000bfffbfff3fff\
             00000300ffff19000d02000000000000bfffbfff3fff00000400ffff26000e02000000000000bfffbfff3fff00000500ffff\
             34000f02000000000000bfffbfff3fff00000600ffff43000e02000000000000bfffbfff3fff00000700ffff51000c020000\
             00000000bfffbfff3fff00000800ffff5d001502000000000000bfffbfff3fff00000900ffff72000b02000000000000bfff\
             bfff3fff00000a00ffff7d000402000000000000bfffbfff3fff20000b00ffff810004010000530878ffbfffbfff3fff2000\
             0c000b0085000a0105fff7ff00003fffbfff3fff20000d000c008f0008010000ab0300003fffbfff3fff20000e000d009700\
             09010000ab03000040068de5400d20000f000e00a0000c01000051010000c00202304002200010000f00ac00100100009d00\
             0000c00202304002200011001000bc000901fb00f7ff00003fffbfff3fff200012000c00c50007010000ab0300003fffbfff\
             3fff200013001200cc0008010000ab0300003ffb8e3c3ff6200014001300d4000b01000051010000bffd02263ffd20001500\
             1400df000f0100009e000000bffd02263ffd200016001500ee0005010000c3000000bfffbfff3fff200017000c00f3000601\
             00002f010000bfffbfff3fff200018001700f900060100002d010000bfffbfff3fff200019001800ff0004010000c8010000\
             bfffbfff3fff20001a001900030104010000d3000000bfffbfff3fff20001b001a0007010f01c0ff55000e0141298ec73ecc\
             20001c001b001601130100005500000041298ec73ecc20001d001c0029010f01400055000e013ed58ec7413220001e001b00\
             380113010000550000003ed58ec7413220001f001e004b010f01c0ff55000e01c0bf06633e80200020001b005a0113010000\
             52000000c0bf06633e802000210020006d010f01400055000e01bf3f0663417e200022001b007c011301000052000000bf3f\
             0663417e2000230022008f010801c0ff55000e01bfffbfff3fff200024001b0097010c010000c62a0000bfffbfff3fff2000\
             25002400a3010701400055000e01bfffbfff3fff200026001b00aa010b010000c62a0000bfffbfff3fff200027002600b501\
             0d01ceff33012b0092beed4012be200028001900c201080100006301000092beed4012be200029002800ca010c0100002f02\
             000092beed4012be20002a002900d601090100004502000090b7eb2014de20002b002a00df010f0130005f000100853fd95f\
             269f20002c002b00ee010f0100004900000088c4e0541faa20002d002c00fd010f01000056000000852dd93526c920002e00\
             2d000c021301000041000000852dd93526c920002f002e001f020e01bdffdb00ecffeb666f076b66200030002b002d020e01\
             000047000000ebaa6ec86baa2000310030003b020e0100003a000000149def0c149d2000320031004902120100003e000000\
             149def0c149d2000330032005b020f0199ffc600ffffe7b9722c67b9200034002b006a020f0100003100000017d1f1cf17d1\
             20003500340079020f010000240000001831f21c18312000360035008802130100002e0000001831f21c1831200037003600\
             9b021001e9ffef00e8ff91f6ec74138a200038002b00ab021001000051000000923decbe1340200039003800bb0210010000\
             4000000091e9ec66139820003a003900cb02140100003f00000091e9ec66139820003b003a00df020f012100f800f0ff8fdd\
             ea2d15d120003c002b00ee020f0100003d0000008f89e9cb163320003d003c00fd020f010000370000009081eae515192000\
             3e003d000c03130100003e0000009081eae5151920003f003e001f030c01320033012b0092be92be6d402000400019002b03\
             070100006301000092a792d56d2920004100400032030b0100002f02000092be92be6d402000420041003d03080100004502\
             0000909795016afd20004300420045030e01d0ff5f0001008524a6dc592220004400430053030e0100004900000088a39fe2\
             601c20004500440061030e010000560000008510a70c58f22000460045006f0312010000410000008510a70c58f220004700\
             460081030d014300db00ecff947f6ef0147f2000480043008e030d010000470000006bc6eeae6bc62000490048009b030d01\
             00003a0000006b7eeef16b7e20004a004900a803110100003e0000006b7eeef16b7e20004b004a00b9030e016700c600ffff\
             67cff21b67cf20004c004300c7030e0100003100000097b871bb17b820004d004c00d5030e01000024000000981572061815\
             20004e004d00e303120100002e00000098157206181520004f004e00f5030f011700ef00e8ff91d793aa6c54200050004300\
             04040f01000051000000921e93606c9e20005100500013040f0100004000000091cb93b76c47200052005100220413010000\
             3f00000091cb93b76c4720005300520035040e01dffff800f0ff8fc595ed6a0120005400430043040e0100003d0000008f67\
             965969a520005500540051040e010000370000009060953e6ac02000560055005f04120100003e0000009060953e6ac02000\
             5700560043616d6572614c616d70426f647953686f727430322e6f626a486967682d706f6c792e6f626a45796562726f7730\
             31322e6f626a4579656c617368657330312e6f626a54656574685f626173652e6f626a546f6e67756530312e6f626a4d616c\
             655f63617375616c7375697430312e6f626a53686f657330322e6f626a5365616e48697073526967687455704c6567526967\
             68744c65675269676874466f6f745269676874546f65426173655269676874546f65426173655f656e644c65667455704c65\
             674c6566744c65674c656674466f6f744c656674546f65426173654c656674546f65426173655f656e645370696e65537069\
             6e65315370696e65324e65636b486561646f72626963756c6172697330342e526f72626963756c6172697330342e525f656e\
             646f72626963756c6172697330342e4c6f72626963756c6172697330342e4c5f656e646f72626963756c6172697330332e52\
             6f72626963756c6172697330332e525f656e646f72626963756c6172697330332e4c6f72626963756c6172697330332e4c5f\
             656e64526967687445796552696768744579655f656e644c6566744579654c6566744579655f656e64526967687453686f75\
             6c646572526967687441726d5269676874466f726541726d526967687448616e64526967687448616e645468756d62315269\
             67687448616e645468756d6232526967687448616e645468756d6233526967687448616e645468756d62335f656e64526967\
             687448616e6452696e6731526967687448616e6452696e6732526967687448616e6452696e6733526967687448616e645269\
             6e67335f656e64526967687448616e6450696e6b7931526967687448616e6450696e6b7932526967687448616e6450696e6b\
             7933526967687448616e6450696e6b79335f656e64526967687448616e644d6964646c6531526967687448616e644d696464\
             6c6532526967687448616e644d6964646c6533526967687448616e644d6964646c65335f656e64526967687448616e64496e\
             64657831526967687448616e64496e64657832526967687448616e64496e64657833526967687448616e64496e646578335f\
             656e644c65667453686f756c6465724c65667441726d4c656674466f726541726d4c65667448616e644c65667448616e6454\
             68756d62314c65667448616e645468756d62324c65667448616e645468756d62334c65667448616e645468756d62335f656e\
             644c65667448616e6452696e67314c65667448616e6452696e67324c65667448616e6452696e67334c65667448616e645269\
             6e67335f656e644c65667448616e6450696e6b79314c65667448616e6450696e6b79324c65667448616e6450696e6b79334c\
             65667448616e6450696e6b79335f656e644c65667448616e644d6964646c65314c65667448616e644d6964646c65324c6566\
             7448616e644d6964646c65334c65667448616e644d6964646c65335f656e644c65667448616e64496e646578314c65667448\
             616e64496e646578324c65667448616e64496e646578334c65667448616e64496e646578335f656e64";
    /// Its datagrams' common header (32 bytes: message bit set, sourced, verified).
    const SET_TRAITS_HEADER: &str = "0000006000000000000000001916000000000000000000000000000000000000";
    /// vircadia-web-sdk `PerAvatarGainSet.unit.test.js`: master gain -20 dB, one avatar +10 dB.
    const GAIN_MASTER: &str = "000000404a16000000000000000000000000000000000000000000000000000000000000000000009b";
    const GAIN_AVATAR: &str = "000000404a1600000000000000000000000000000000000050a1ad59a845492392428c602162b54ad7";
    /// vircadia-web-sdk `NodeKickRequest.unit.test.js` / `NodeMuteRequest.unit.test.js`
    /// (sourced, not verified: 8-byte header).
    const KICK: &str = "00000040431600005dfe0ae4ac1440c8b09354d9d44a15e103000000";
    const MUTE: &str = "0000004044160000b46514e45921436ab011ae5f987bd66e";

    #[test]
    fn set_traits_skeleton_url_vector() {
        let datagram = hex(SET_TRAITS_URL);
        let p = &datagram[32..];
        let (d, r) = run(SET_AVATAR_TRAITS, p);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.set_traits.override"), &Value::Bool(false));
        assert_eq!(val(&d, "overte.traits.version"), &Value::Signed(1));
        assert_eq!(val(&d, "overte.traits.type"), &Value::Enum { value: 0, name: Some("SkeletonModelURL") });
        assert_eq!(val(&d, "overte.traits.size"), &Value::Signed(66));
        let url = "https://cdn-1.vircadia.com/us-e-1/Bazaar/Avatars/Sean/fbx/Sean.fst";
        assert_eq!(val(&d, "overte.set_traits.skeleton_url"), &Value::String(url.into()));
        assert_eq!(d.values("overte.set_traits.trait").count(), 1);
        assert_eq!(d.info, " v1: 1 trait");
        listed(&d);
        let (t, rest) = SetAvatarTraits::parse(p).unwrap();
        assert!(rest.is_empty());
        assert_eq!((t.version, t.traits[0].size, &t.traits[0].data[..]), (Some(1), 66, url.as_bytes()));
        let mut out = Vec::new();
        t.emit(&mut out);
        assert_eq!(out, p);
    }

    #[test]
    fn set_traits_skeleton_data_message_and_its_first_datagram() {
        let msg = hex(SKELETON_MESSAGE);
        assert_eq!(msg.len(), 3091);
        let (d, r) = run(SET_AVATAR_TRAITS, &msg);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.traits.version"), &Value::Signed(2));
        assert_eq!(val(&d, "overte.traits.type"), &Value::Enum { value: 1, name: Some("SkeletonData") });
        assert_eq!(val(&d, "overte.traits.size"), &Value::Signed(3084));
        let data = d.values("overte.traits.data").next().unwrap();
        assert_eq!((data.offset, data.len), (7, 3084));
        assert_eq!(d.info, " v2: 1 trait");
        let (t, _) = SetAvatarTraits::parse(&msg).unwrap();
        let mut out = Vec::new();
        t.emit(&mut out);
        assert_eq!(out, msg);
        // The first of its three datagrams alone: the trait runs past its end.
        let mut first = hex(SET_TRAITS_HEADER);
        first.extend_from_slice(&msg[..1432]);
        assert_eq!(first.len(), 1464);
        let (d, r) = run(SET_AVATAR_TRAITS, &first[32..]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        let rest = d.values("overte.payload.undecoded").next().unwrap();
        assert_eq!((rest.offset, rest.len), (7, 1425));
        assert!(SetAvatarTraits::parse(&first[32..]).is_err());
    }

    #[test]
    fn set_traits_mixer_override_is_read_as_the_client_reads_it() {
        // AvatarMixerClientData::checkSkeletonURLAgainstWhitelist → packVersionedTrait:
        // i8 type 0, i32 LE version (the client's), i16 LE size, the replacement URL.
        let url = b"https://example.org/default.fst";
        let mut p = vec![0];
        p.extend_from_slice(&5i32.to_le_bytes());
        p.extend_from_slice(&(url.len() as i16).to_le_bytes());
        p.extend_from_slice(url);
        let (d, r) = run(SET_AVATAR_TRAITS, &p);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.set_traits.override"), &Value::Bool(true));
        assert_eq!(val(&d, "overte.traits.version"), &Value::Signed(5));
        assert_eq!(val(&d, "overte.set_traits.skeleton_url"), &Value::String("https://example.org/default.fst".into()));
        assert_eq!(d.info, " override v5");
        let (t, _) = SetAvatarTraits::parse(&p).unwrap();
        assert_eq!((t.version, t.traits[0].version), (None, Some(5)));
        let mut out = Vec::new();
        t.emit(&mut out);
        assert_eq!(out, p);
    }

    #[test]
    fn set_traits_direction_decides_where_the_session_knows_it() {
        // A client's update with trait version 256 (first byte 0) and one skeleton record whose
        // size fills the rest has the override's shape too.
        let url = b"https://example.org/a.fst";
        let mut p = 256i32.to_le_bytes().to_vec();
        p.push(0); // SkeletonModelURL
        p.extend_from_slice(&(url.len() as i16).to_le_bytes());
        p.extend_from_slice(url);
        // Read as the override: type 0, version 1 (the bytes 01 00 00 00), size and URL.
        let cut = &p[..];
        let read = |ends| {
            let mut d = Dissection::new(true);
            let cx = crate::payload::PayloadCx { packet_type: SET_AVATAR_TRAITS, version: 0, reassembled: false, ends };
            crate::payload::dissect(&cx, cut, &mut d, &mut Default::default());
            d
        };
        // Unknown ends: the shape decides (the override).
        assert_eq!(val(&read((None, None)), "overte.set_traits.override"), &Value::Bool(true));
        // From the avatar mixer: the override; from an agent, or to the mixer: an update.
        assert_eq!(val(&read((Some(b'W'), Some(b'I'))), "overte.set_traits.override"), &Value::Bool(true));
        let d = read((Some(b'I'), Some(b'W')));
        assert_eq!(val(&d, "overte.set_traits.override"), &Value::Bool(false));
        assert_eq!(val(&d, "overte.traits.version"), &Value::Signed(256));
        assert_eq!(read((None, Some(b'W'))).info, d.info);
    }

    #[test]
    fn set_traits_instanced_records() {
        // ClientTraitsHandler::sendChangedTraitsToMixer: version, then packTraitInstance
        // (type 2, instance, size, data) and packInstancedTraitDelete without a version
        // (type 3, instance, size -1).
        let t = SetAvatarTraits {
            version: Some(7),
            traits: vec![
                TraitRecord {
                    trait_type: 2,
                    version: None,
                    instance: Some([0x11; 16]),
                    size: 3,
                    data: Cow::Borrowed(&[1, 2, 3]),
                },
                TraitRecord {
                    trait_type: 3,
                    version: None,
                    instance: Some([0x22; 16]),
                    size: -1,
                    data: Cow::Borrowed(&[]),
                },
            ],
        };
        let mut p = Vec::new();
        t.emit(&mut p);
        assert_eq!(p.len(), 4 + (1 + 16 + 2 + 3) + (1 + 16 + 2));
        let (d, r) = run(SET_AVATAR_TRAITS, &p);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        let sizes: Vec<_> = d.values("overte.traits.size").map(|f| f.value.clone()).collect();
        assert_eq!(sizes, [Value::Signed(3), Value::Signed(-1)]);
        assert_eq!(val(&d, "overte.traits.instance_id"), &Value::Uuid([0x11; 16]));
        assert_eq!(d.info, " v7: 2 traits");
        assert_eq!(SetAvatarTraits::parse(&p).unwrap().0, t);
        // An instanced type the mixer cannot process: it reads the instance and the size,
        // then stops.
        let mut bad = p.clone();
        bad[4] = 9;
        let (d, r) = run(SET_AVATAR_TRAITS, &bad);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.unknown_enum", "overte.payload.malformed"]);
        assert_eq!(d.values("overte.payload.undecoded").next().unwrap().offset, 4 + 19);
        // A size below -1 is refused.
        let mut bad = p.clone();
        bad[21..23].copy_from_slice(&(-2i16).to_le_bytes());
        let (d, _) = run(SET_AVATAR_TRAITS, &bad);
        assert_eq!(tags(&d), ["overte.payload.malformed"]);
        // Fewer than instance + size bytes: the mixer reads neither.
        let (d, r) = run(SET_AVATAR_TRAITS, &p[..4 + 1 + 17]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.values("overte.traits.instance_id").next().is_none());
    }

    #[test]
    fn per_avatar_gain_vectors() {
        let datagram = hex(GAIN_MASTER);
        let (d, r) = run(PER_AVATAR_GAIN_SET, &datagram[24..]);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.gain.node"), &Value::Uuid([0; 16]));
        assert_eq!(val(&d, "overte.gain.packed"), &Value::Unsigned(0x9b));
        assert_eq!(val(&d, "overte.gain.db"), &Value::Float(-20.0));
        assert!(d.values("overte.gain.db").next().unwrap().generated);
        assert_eq!(d.info, " master -20 dB");
        listed(&d);
        let datagram = hex(GAIN_AVATAR);
        let p = &datagram[24..];
        let (d, r) = run(PER_AVATAR_GAIN_SET, p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.gain.node"), &Value::Uuid(uuid("50a1ad59a845492392428c602162b54a")));
        assert_eq!(val(&d, "overte.gain.db"), &Value::Float(10.0));
        assert_eq!(d.info, " 50a1ad59… +10 dB");
        let (g, _) = PerAvatarGainSet::parse(p).unwrap();
        assert_eq!(g.packed, 0xd7);
        let mut out = Vec::new();
        g.emit(&mut out);
        assert_eq!(out, p);
        // 16 bytes: the gain byte is missing.
        let (d, r) = run(PER_AVATAR_GAIN_SET, &p[..16]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        assert_eq!(d.experts()[0].severity(), Severity::Warn);
    }

    #[test]
    fn injector_gain() {
        // NodeList::setInjectorGain: packFloatGainToByte(exp2(dB / 6.02)) alone; 0 dB packs
        // to 195 (GAIN_CONVERSION_OFFSET), silence to 0.
        let (d, r) = run(INJECTOR_GAIN_SET, &[195]);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.gain.db"), &Value::Float(0.0));
        assert_eq!(d.info, " 0 dB");
        let (d, _) = run(INJECTOR_GAIN_SET, &[0]);
        assert!(d.values("overte.gain.db").next().is_none());
        assert_eq!(d.info, " silent");
        assert_eq!((gain_db(255), gain_db(196), gain_db(1)), (Some(30.0), Some(0.5), Some(-97.0)));
        let (g, _) = InjectorGainSet::parse(&[200]).unwrap();
        let mut out = Vec::new();
        g.emit(&mut out);
        assert_eq!(out, [200]);
        let (d, _) = run(INJECTOR_GAIN_SET, &[195, 0, 0, 0]);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
    }

    #[test]
    fn kick_vector_and_ban_flag_lengths() {
        let datagram = hex(KICK);
        let p = &datagram[8..];
        let (d, r) = run(NODE_KICK_REQUEST, p);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.kick.node"), &Value::Uuid(uuid("5dfe0ae4ac1440c8b09354d9d44a15e1")));
        assert_eq!(val(&d, "overte.kick.ban_flags"), &Value::Unsigned(3));
        assert_eq!(val(&d, "overte.kick.ban_by"), &Value::String("username|fingerprint".into()));
        assert_eq!(d.info, " 5dfe0ae4… ban username|fingerprint");
        listed(&d);
        let (k, _) = NodeKickRequest::parse(p).unwrap();
        let mut out = Vec::new();
        k.emit(&mut out);
        assert_eq!(out, p);
        // The UUID alone (the writer before ban flags): the default ban.
        let (d, r) = run(NODE_KICK_REQUEST, &p[..16]);
        assert_eq!((r, d.experts().len()), (Decoded::Full, 0));
        assert!(d.values("overte.kick.ban_flags").next().is_none());
        // Flags written as 8 bytes: the domain server reads none of them.
        let mut long = p.to_vec();
        long.extend_from_slice(&[0; 4]);
        let (d, r) = run(NODE_KICK_REQUEST, &long);
        assert_eq!(r, Decoded::Full);
        assert_eq!(tags(&d), ["overte.kick.ban_flags_ignored"]);
        assert_eq!(d.values("overte.payload.trailing").next().unwrap().len, 8);
        assert_eq!(ban_flag_names(0), "none");
        assert_eq!(ban_flag_names(12), "ip|0x8");
    }

    #[test]
    fn mute_vector_and_single_uuid_types() {
        let datagram = hex(MUTE);
        let (d, r) = run(NODE_MUTE_REQUEST, &datagram[8..]);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.mute.node"), &Value::Uuid(uuid("b46514e45921436ab011ae5f987bd66e")));
        assert_eq!(d.info, " b46514e4…");
        let (m, _) = NodeMuteRequest::parse(&datagram[8..]).unwrap();
        let mut out = Vec::new();
        m.emit(&mut out);
        assert_eq!(out, &datagram[8..]);
        // NodeList::requestUsernameFromSessionID / AudioInjector::sendStopInjectorPacket:
        // the UUID alone.
        let id = [0xab; 16];
        let (d, r) = run(USERNAME_FROM_ID_REQUEST, &id);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.username.node"), &Value::Uuid(id));
        let (d, r) = run(STOP_INJECTOR, &id);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.stop_injector.stream_id"), &Value::Uuid(id));
        assert_eq!(d.info, " abababab…");
        for (t, mut out) in [(USERNAME_FROM_ID_REQUEST, Vec::new()), (STOP_INJECTOR, Vec::new())] {
            if t == STOP_INJECTOR {
                StopInjector::parse(&id).unwrap().0.emit(&mut out);
            } else {
                UsernameFromIdRequest::parse(&id).unwrap().0.emit(&mut out);
            }
            assert_eq!(out, id);
            let (d, _) = run(t, &id[..15]);
            assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        }
    }

    #[test]
    fn radius_ignore_and_sorting() {
        // NodeList::sendIgnoreRadiusStateToNode writes the bool alone.
        let (d, r) = run(RADIUS_IGNORE_REQUEST, &[1]);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.radius_ignore.enabled"), &Value::Bool(true));
        assert_eq!(d.info, " enabled");
        let (d, _) = run(RADIUS_IGNORE_REQUEST, &[0, 0, 0, 0, 0]);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        assert_eq!(d.info, " disabled");
        // AvatarManager::setAvatarSortCoefficients: size, center, age as f32 LE.
        let s = AdjustAvatarSorting { size: 1.0, center: 0.5, age: 0.25 };
        let mut p = Vec::new();
        s.emit(&mut p);
        assert_eq!(p, hex("0000803f0000003f0000803e"));
        let (d, r) = run(ADJUST_AVATAR_SORTING, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.avatar_sorting.center"), &Value::Float(0.5));
        assert_eq!(d.info, " size 1 center 0.5 age 0.25");
        assert_eq!(AdjustAvatarSorting::parse(&p).unwrap().0, s);
        let mut out = Vec::new();
        RadiusIgnoreRequest::parse(&[1]).unwrap().0.emit(&mut out);
        assert_eq!(out, [1]);
    }

    #[test]
    fn username_reply() {
        // DomainServerSettingsManager::processUsernameFromIDRequestPacket: UUID, writeString
        // (u32 LE length + UTF-8), fingerprint UUID, bool isAdmin.
        let p = hex("0102030405060708090a0b0c0d0e0f10 05000000 616c696365 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf 01");
        let (d, r) = run(USERNAME_FROM_ID_REPLY, &p);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.username.name"), &Value::String("alice".into()));
        assert_eq!(val(&d, "overte.username.fingerprint"), &Value::Uuid(uuid("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")));
        assert_eq!(val(&d, "overte.username.is_admin"), &Value::Bool(true));
        assert_eq!(d.info, " 01020304… \"alice\" admin");
        listed(&d);
        let (u, _) = UsernameFromIdReply::parse(&p).unwrap();
        let mut out = Vec::new();
        u.emit(&mut out);
        assert_eq!(out, p);
        // Cut inside the username: the length points past the end.
        let (d, r) = run(USERNAME_FROM_ID_REPLY, &p[..22]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        let rest = d.values("overte.payload.undecoded").next().unwrap();
        assert_eq!((rest.offset, rest.len), (16, 6));
    }

    #[test]
    fn solo_and_zone_presence() {
        // AudioSolo::addUUIDs: u8 1, then the UUIDs.
        let s = AudioSoloRequest { add: 1, nodes: vec![[1; 16], [2; 16]] };
        let mut p = Vec::new();
        s.emit(&mut p);
        let (d, r) = run(AUDIO_SOLO_REQUEST, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.values("overte.solo.node").count(), 2);
        assert_eq!(d.info, " solo 2");
        assert_eq!(AudioSoloRequest::parse(&p).unwrap().0, s);
        let (d, r) = run(AUDIO_SOLO_REQUEST, &p[..20]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        // Vircadia's avatar mixer wrote the avatar and the zone; Overte's domain server reads
        // the avatar only.
        let z = AvatarZonePresence { avatar: [3; 16], zone: Some([4; 16]) };
        let mut p = Vec::new();
        z.emit(&mut p);
        let (d, r) = run(AVATAR_ZONE_PRESENCE, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.zone_presence.zone"), &Value::Uuid([4; 16]));
        assert_eq!(d.info, " 03030303… zone 04040404…");
        assert_eq!(AvatarZonePresence::parse(&p).unwrap().0, z);
        let (d, r) = run(AVATAR_ZONE_PRESENCE, &p[..16]);
        assert_eq!((r, d.experts().len()), (Decoded::Full, 0));
        assert_eq!(d.info, " 03030303…");
    }

    #[test]
    fn every_prefix_of_every_vector_decodes() {
        let kick = hex(KICK);
        let mute = hex(MUTE);
        let master = hex(GAIN_MASTER);
        let url = hex(SET_TRAITS_URL);
        let msg = hex(SKELETON_MESSAGE);
        let reply = hex("0102030405060708090a0b0c0d0e0f100500000061 6c696365a0a1a2a3a4a5a6a7a8a9aaabacadaeaf01");
        let vectors: [(u8, &[u8]); 8] = [
            (NODE_KICK_REQUEST, &kick[8..]),
            (NODE_MUTE_REQUEST, &mute[8..]),
            (PER_AVATAR_GAIN_SET, &master[24..]),
            (SET_AVATAR_TRAITS, &url[32..]),
            (SET_AVATAR_TRAITS, &msg[..200]),
            (USERNAME_FROM_ID_REPLY, &reply),
            (AUDIO_SOLO_REQUEST, &[0; 33]),
            (ADJUST_AVATAR_SORTING, &[0; 12]),
        ];
        let mut partial = 0;
        for (t, p) in vectors {
            for n in 0..=p.len() {
                for tree in [true, false] {
                    let (d, _, r) = run_mode(t, &p[..n], tree);
                    assert_ne!(r, Decoded::NotDecoded);
                    if tree && n < p.len() && r == Decoded::Partial {
                        partial += 1;
                        assert!(!d.experts().is_empty(), "type {t}, {n} bytes");
                    }
                }
            }
        }
        assert!(partial > 0);
    }

    #[test]
    fn fields_and_findings_are_listed() {
        assert!(FIELDS.iter().all(|f| f.key.starts_with("overte.") && crate::payload::FIELDS.contains(f)));
        assert_eq!(EXPERTS.len(), 1);
        assert!(crate::payload::EXPERTS.iter().any(|e| e.tag == "overte.kick.ban_flags_ignored"));
        for t in 0..=u8::MAX {
            assert_eq!(decodes(t), [25, 26, 67, 68, 69, 70, 71, 74, 80, 101, 103, 104].contains(&t));
            if fixed_len(t).is_some() {
                assert!(decodes(t));
            }
        }
    }
}
