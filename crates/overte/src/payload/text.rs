//! Domain-server replies with length-prefixed UTF-8 (`protocols/overte.md` §5.7, §5.8):
//! DomainConnectionDenied, DomainServerPathQuery and DomainServerPathResponse. Raw writes:
//! u16 little-endian lengths.

use std::fmt::Write as _;

use super::codec::{put_text16le, Rd, Text, Walk};
use super::fields as f;
use super::{enums, Learned};

/// DomainConnectionDenied (16, v19).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied<'a> {
    pub reason: u8,
    pub message: Text<'a>,
    /// Extra info (IncludesExtraInfo, v19); absent in older versions.
    pub extra_info: Option<Text<'a>>,
}

impl<'a> Walk<'a> for Denied<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let reason = r.en8(&f::DENIED_REASON, enums::refused_reason)?;
        let message = r.text16le(&f::DENIED_MESSAGE)?;
        let extra_info = if r.left() > 0 { Some(r.text16le(&f::DENIED_EXTRA)?) } else { None };
        Some(Denied { reason, message, extra_info })
    }
}

impl<'a> Denied<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.reason);
        put_text16le(out, &self.message);
        if let Some(e) = &self.extra_info {
            put_text16le(out, e);
        }
    }
}

pub(crate) fn dissect_denied(r: &mut Rd, learned: &mut Learned) {
    if let Some([reason, ..]) = r.rest().first_chunk::<1>().copied() {
        learned.denied_reason = Some(reason);
    }
    if let Some(d) = Denied::walk(r) {
        let name = enums::refused_reason(d.reason.into()).unwrap_or("?");
        r.info_word(name);
    }
}

/// DomainServerPathQuery (19).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathQuery<'a> {
    pub path: Text<'a>,
}

impl<'a> Walk<'a> for PathQuery<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        r.text16le(&f::PATH_QUERY).map(|path| PathQuery { path })
    }
}

impl<'a> PathQuery<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        put_text16le(out, &self.path);
    }
}

/// DomainServerPathResponse (20).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathResponse<'a> {
    pub path: Text<'a>,
    pub viewpoint: Text<'a>,
}

impl<'a> Walk<'a> for PathResponse<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let path = r.text16le(&f::PATH_RESPONSE_PATH)?;
        let viewpoint = r.text16le(&f::PATH_RESPONSE_VIEWPOINT)?;
        Some(PathResponse { path, viewpoint })
    }
}

impl<'a> PathResponse<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        put_text16le(out, &self.path);
        put_text16le(out, &self.viewpoint);
    }
}

pub(crate) fn dissect_path_query(r: &mut Rd) {
    if let Some(p) = r.text16le(&f::PATH_QUERY) {
        r.info(|s| {
            let _ = write!(s, " {}", String::from_utf8_lossy(&p));
        });
    }
}

pub(crate) fn dissect_path_response(r: &mut Rd) {
    if let Some(p) = PathResponse::walk(r) {
        r.info(|s| {
            let _ = write!(s, " {} -> {}", String::from_utf8_lossy(&p.path), String::from_utf8_lossy(&p.viewpoint));
        });
    }
}
