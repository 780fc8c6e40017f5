//! Entity script server packets (status, reload, log, method calls).
//!
//! Not yet decoded: every type here still falls through to the caller's undecoded payload.

use udpdissect_core::{ExpertInfo, FieldInfo};

use super::codec::Rd;

/// This module's payload fields, for `--list-fields` and the filter catalog.
pub(crate) static FIELDS: &[&FieldInfo] = &[];
/// This module's payload findings.
pub(crate) static EXPERTS: &[&ExpertInfo] = &[];

/// Whether this module decodes packet type `t`.
pub(crate) fn decodes(_t: u8) -> bool {
    false
}

/// The exact payload length of the types here whose writer always writes the same number of
/// bytes.
pub(crate) fn fixed_len(_t: u8) -> Option<usize> {
    None
}

/// Decodes a payload of type `t` (one [`decodes`] accepts).
pub(crate) fn dissect(_r: &mut Rd, _t: u8) {}
