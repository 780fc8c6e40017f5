//! RequestAssignment (14) / CreateAssignment (15) (`protocols/overte.md` §5.14,
//! `Assignment.cpp`): QDataStream type, UUID, pool, payload, and (request) node version.

use super::codec::{QBytes, QStr, Rd, Walk};
use super::enums;
use super::fields as f;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment<'a> {
    pub assignment_type: u8,
    pub uuid: [u8; 16],
    pub pool: QStr<'a>,
    pub payload: QBytes<'a>,
    /// RequestAssignment only (absent from CreateAssignment and older senders).
    pub node_version: Option<QStr<'a>>,
}

impl<'a> Walk<'a> for Assignment<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let assignment_type = r.en8(&f::ASSIGN_TYPE, enums::assignment_type)?;
        let uuid = r.uuid(&f::ASSIGN_UUID)?;
        let pool = r.qstring(&f::ASSIGN_POOL)?;
        let payload = r.qbytes(&f::ASSIGN_PAYLOAD)?;
        let node_version = if r.left() > 0 { Some(r.qstring(&f::ASSIGN_NODE_VERSION)?) } else { None };
        Some(Assignment { assignment_type, uuid, pool, payload, node_version })
    }
}

impl<'a> Assignment<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.assignment_type);
        out.extend_from_slice(&self.uuid);
        self.pool.emit(out);
        self.payload.emit(out);
        if let Some(v) = &self.node_version {
            v.emit(out);
        }
    }
}

pub(crate) fn dissect(r: &mut Rd) {
    if let Some(a) = Assignment::walk(r) {
        let name = enums::assignment_type(a.assignment_type.into()).unwrap_or("?");
        r.info_word(name);
    }
}
