//! OctreeStats (24): the entity server's scene statistics, sent to each client.
//!
//! Not yet decoded: the type still falls through to the caller's undecoded payload.

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

/// Decodes a payload of type `t` (one [`decodes`] accepts).
pub(crate) fn dissect(_r: &mut Rd, _t: u8) {}
