//! Avatar mixer packets (`protocols/overte.md` §5.12): AvatarData / BulkAvatarData (raw LE,
//! HasFlags sections), AvatarIdentity (QDataStream), KillAvatar, BulkAvatarTraits(Ack) and
//! NodeIgnoreRequest.

use std::fmt::Write as _;

use udpdissect_core::Value;

use super::codec::{QStr, Rd, Walk, WireError};
use super::enums;
use super::fields as f;

/// Walks the HasFlags sections of one avatar's data, in bit order.
fn walk_sections(r: &mut Rd, flags: u16) -> Option<()> {
    let has = |bit: u16| flags & (1 << bit) != 0;
    if has(0) {
        r.floats::<3>(&f::AV_POSITION)?;
    }
    if has(1) {
        r.floats::<3>(&f::AV_BBOX_DIMENSIONS)?;
        r.floats::<3>(&f::AV_BBOX_OFFSET)?;
    }
    if has(2) {
        r.bytes(&f::AV_ORIENTATION, 6)?;
    }
    if has(3) {
        r.u16le(&f::AV_SCALE)?;
    }
    if has(4) {
        r.floats::<3>(&f::AV_LOOK_AT)?;
    }
    if has(5) {
        r.u8(&f::AV_LOUDNESS)?;
    }
    if has(6) {
        r.bytes(&f::AV_SENSOR_TO_WORLD, 20)?;
    }
    if has(7) {
        r.u16le(&f::AV_ADDITIONAL_FLAGS)?;
    }
    if has(8) {
        r.uuid(&f::AV_PARENT_ID)?;
        r.u16le(&f::AV_PARENT_JOINT)?;
    }
    if has(9) {
        r.floats::<3>(&f::AV_LOCAL_POSITION)?;
    }
    if has(10) {
        r.bytes(&f::AV_HAND_CONTROLLERS, 24)?;
    }
    if has(11) {
        // Four floats, a blendshape count, then that many coefficients.
        let n = r.rest().get(16).copied().unwrap_or(0) as usize;
        r.bytes(&f::AV_FACE_TRACKER, 16 + 1 + 4 * n)?;
    }
    if has(12) {
        let n = r.u8(&f::AV_JOINT_COUNT)? as usize;
        let bits = n.div_ceil(8);
        // Joint data: rotation validity bits, 6-byte rotations, translation validity bits,
        // f32 max translation dimension, 6-byte translations.
        let rest = r.rest();
        let rotations = valid_count(rest.get(..bits).unwrap_or(&[]), n);
        let t_at = bits + 6 * rotations;
        let translations = valid_count(rest.get(t_at..t_at + bits).unwrap_or(&[]), n);
        let len = t_at + bits + 4 + 6 * translations;
        r.bytes(&f::AV_JOINT_DATA, len)?;
    }
    if has(13) {
        let n = r.rest().first().copied().unwrap_or(0) as usize;
        r.bytes(&f::AV_DEFAULT_POSE, 1 + 2 * n.div_ceil(8))?;
    }
    if has(14) {
        r.bytes(&f::AV_GRAB_JOINTS, 84)?;
    }
    Some(())
}

/// Set validity bits among the first `n` (LSB first in each byte).
fn valid_count(bits: &[u8], n: usize) -> usize {
    bits.iter()
        .enumerate()
        .map(|(i, b)| {
            let keep = n.saturating_sub(i * 8).min(8);
            let mask = if keep == 8 { 0xff } else { (1u16 << keep) as u8 - 1 };
            (b & mask).count_ones() as usize
        })
        .sum()
}

pub(crate) fn dissect_avatar_data(r: &mut Rd) {
    if let Some(seq) = walk_avatar_data(r) {
        r.info_number(" seq ", seq.into());
    }
}

/// An AvatarData message (`AvatarMixerClientData::parseData`): the u16 LE sequence number, the
/// flags and their sections. Its sequence number, when it is whole.
pub(crate) fn walk_avatar_data(r: &mut Rd) -> Option<u16> {
    let seq = r.u16le(&f::AV_SEQUENCE)?;
    let flags = r.u16le(&f::AV_FLAGS)?;
    walk_sections(r, flags)?;
    Some(seq)
}

pub(crate) fn dissect_bulk(r: &mut Rd) {
    let mut n = 0u32;
    while r.left() > 0 {
        let node = r.open(&f::AV_AVATAR, || Value::None);
        let ok = r.uuid(&f::AV_SESSION_UUID).and_then(|_| r.u16le(&f::AV_FLAGS)).and_then(|fl| walk_sections(r, fl));
        r.close(node);
        if ok.is_none() {
            return;
        }
        n += 1;
    }
    r.info(|s| udpdissect_core::digits::push_count(s, n as u64, " avatar"));
}

/// One identity in an AvatarIdentity message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity<'a> {
    pub session_uuid: [u8; 16],
    pub sequence: i32,
    /// Attachment list count; `None` when the sender omits the list (see docs: AMBIGUOUS in
    /// version 55). Only empty lists are decoded.
    pub attachments: Option<u32>,
    pub display_name: QStr<'a>,
    pub session_display_name: QStr<'a>,
    /// isReplicated 1, lookAtSnapping 2, verificationFailed 4.
    pub flags: u32,
}

impl<'a> Identity<'a> {
    pub(super) fn walk(r: &mut Rd<'a, '_>, with_attachments: bool) -> Option<Self> {
        let node = r.open(&f::ID_IDENTITY, || Value::None);
        let v = Self::walk_fields(r, with_attachments);
        r.close(node);
        v
    }

    fn walk_fields(r: &mut Rd<'a, '_>, with_attachments: bool) -> Option<Self> {
        let session_uuid = r.uuid(&f::ID_SESSION_UUID)?;
        let sequence = r.i32be(&f::ID_SEQUENCE)?;
        let attachments = if with_attachments {
            let at = r.pos;
            let n = r.u32be(&f::ID_ATTACHMENTS)?;
            if n != 0 {
                return r.not_decoded(at, || {
                    format!("{n} avatar attachments: attachment records are not decoded, nor anything after them")
                });
            }
            Some(n)
        } else {
            None
        };
        let display_name = r.qstring(&f::ID_DISPLAY_NAME)?;
        let session_display_name = r.qstring(&f::ID_SESSION_DISPLAY_NAME)?;
        let flags = r.u32be(&f::ID_FLAGS)?;
        Some(Identity { session_uuid, sequence, attachments, display_name, session_display_name, flags })
    }

    fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.session_uuid);
        out.extend_from_slice(&self.sequence.to_be_bytes());
        if let Some(n) = self.attachments {
            out.extend_from_slice(&n.to_be_bytes());
        }
        self.display_name.emit(out);
        self.session_display_name.emit(out);
        out.extend_from_slice(&self.flags.to_be_bytes());
    }
}

/// AvatarIdentity (29): one or more identities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvatarIdentity<'a> {
    pub identities: Vec<Identity<'a>>,
}

impl<'a> AvatarIdentity<'a> {
    pub fn parse(b: &'a [u8]) -> Result<(Self, &'a [u8]), WireError> {
        let with = layout_has_attachments(b);
        let mut r = Rd::new(b);
        let mut identities = Vec::new();
        let mut ok = Some(());
        while r.left() > 0 {
            match Identity::walk(&mut r, with) {
                Some(i) => identities.push(i),
                None => {
                    ok = None;
                    break;
                }
            }
        }
        let v = ok.map(|_| AvatarIdentity { identities });
        r.result(v)
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        for i in &self.identities {
            i.emit(out);
        }
    }
}

/// Whether the identities carry the attachment-list count: the layout that reads the whole
/// payload exactly wins; with the count when both or neither do.
fn layout_has_attachments(b: &[u8]) -> bool {
    fits(b, true) || !fits(b, false)
}

/// Whether `b` is identities of one layout to its last byte, as [`Identity::walk`] reads them.
pub(super) fn fits(b: &[u8], with_attachments: bool) -> bool {
    let mut at = 0;
    while at < b.len() {
        match identity_end(b, at, with_attachments) {
            Some(end) => at = end,
            None => return false,
        }
    }
    true
}

/// Where the identity that starts at `at` ends, `None` where [`Identity::walk`] stops (bytes
/// missing, attachments, an odd QString length). Lengths alone: the layout is chosen before
/// the packet is dissected, by walking every identity once or twice.
fn identity_end(b: &[u8], at: usize, with_attachments: bool) -> Option<usize> {
    let word = |p: usize| b.get(p..p.checked_add(4)?).map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]));
    // Session UUID and sequence number.
    let mut p = at.checked_add(20).filter(|&p| p <= b.len())?;
    if with_attachments {
        if word(p)? != 0 {
            return None;
        }
        p += 4;
    }
    // Display name and session display name: null, or an even byte length and its bytes.
    for _ in 0..2 {
        let n = word(p)?;
        p += 4;
        if n != u32::MAX {
            p = p.checked_add(n as usize).filter(|&end| end <= b.len() && n % 2 == 0)?;
        }
    }
    // Flags.
    word(p)?;
    Some(p + 4)
}

pub(crate) fn dissect_identity(r: &mut Rd) {
    let with = layout_has_attachments(r.data);
    let mut first = None;
    while r.left() > 0 {
        let Some(i) = Identity::walk(r, with) else { return };
        first.get_or_insert(i);
    }
    if let Some(i) = first {
        r.info(|s| {
            s.push_str(" \"");
            i.display_name.write_text(s);
            s.push('"');
        });
    }
}

/// KillAvatar (5): avatar UUID + reason, 17 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KillAvatar {
    pub uuid: [u8; 16],
    pub reason: u8,
}

impl Walk<'_> for KillAvatar {
    fn walk(r: &mut Rd) -> Option<Self> {
        let uuid = r.uuid(&f::KILL_UUID)?;
        let reason = r.en8(&f::KILL_REASON, enums::kill_reason)?;
        Some(KillAvatar { uuid, reason })
    }
}

impl KillAvatar {
    pub const LEN: usize = 17;

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.uuid);
        out.push(self.reason);
    }
}

pub(crate) fn dissect_kill(r: &mut Rd) {
    if let Some(k) = KillAvatar::walk(r) {
        let name = enums::kill_reason(k.reason.into()).unwrap_or("?");
        r.info_word(name);
    }
}

pub(crate) fn dissect_traits(r: &mut Rd) {
    if r.u64le(&f::TRAITS_SEQUENCE).is_none() {
        return;
    }
    let mut avatars = 0u32;
    while r.left() > 0 {
        let node = r.open(&f::TRAITS_AVATAR, || Value::None);
        let ok = walk_avatar_traits(r);
        r.close(node);
        if ok.is_none() {
            return;
        }
        avatars += 1;
    }
    r.info(|s| udpdissect_core::digits::push_count(s, avatars as u64, " avatar"));
}

fn walk_avatar_traits(r: &mut Rd) -> Option<()> {
    r.uuid(&f::TRAITS_AVATAR_ID)?;
    loop {
        let t = r.en8(&f::TRAITS_TYPE, enums::trait_type)? as i8;
        if t == -1 {
            return Some(());
        }
        r.i32le(&f::TRAITS_VERSION)?;
        if t >= 2 {
            r.uuid(&f::TRAITS_INSTANCE)?;
        }
        let size = r.i16le(&f::TRAITS_SIZE)?;
        if size > 0 {
            r.bytes(&f::TRAITS_DATA, size as usize)?;
        }
    }
}

pub(crate) fn dissect_traits_ack(r: &mut Rd) {
    if let Some(seq) = r.u64le(&f::TRAITS_SEQUENCE) {
        r.info_number(" seq ", seq);
    }
}

pub(crate) fn dissect_ignore(r: &mut Rd) {
    let Some(add) = r.bool8(&f::IGNORE_ADD) else { return };
    let mut n = 0;
    while r.left() > 0 {
        if r.uuid(&f::IGNORE_UUID).is_none() {
            return;
        }
        n += 1;
    }
    r.info(|s| {
        let _ = write!(s, " {} {n}", if add != 0 { "ignore" } else { "unignore" });
    });
}
