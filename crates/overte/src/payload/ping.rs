//! Ping (3) and PingReply (4) (`protocols/overte.md` §5.9): raw little-endian, 17 bytes each.

use std::fmt::Write as _;

use super::codec::{Rd, Walk};
use super::enums;
use super::fields as f;

pub const LEN: usize = 17;

/// Ping: u8 ping type, u64 timestamp (µs), i64 connection ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ping {
    pub ping_type: u8,
    pub timestamp: u64,
    pub connection_id: i64,
}

impl Walk<'_> for Ping {
    fn walk(r: &mut Rd) -> Option<Self> {
        let ping_type = r.en8(&f::PING_TYPE, enums::ping_type)?;
        let timestamp = r.u64le(&f::PING_TIMESTAMP)?;
        let connection_id = r.i64le(&f::PING_CONNECTION_ID)?;
        Some(Ping { ping_type, timestamp, connection_id })
    }
}

impl Ping {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.ping_type);
        out.extend_from_slice(&self.timestamp.to_le_bytes());
        out.extend_from_slice(&self.connection_id.to_le_bytes());
    }
}

/// PingReply: u8 ping type (echo), u64 original timestamp (echo), u64 reply timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PingReply {
    pub ping_type: u8,
    pub timestamp: u64,
    pub reply_timestamp: u64,
}

impl Walk<'_> for PingReply {
    fn walk(r: &mut Rd) -> Option<Self> {
        let ping_type = r.en8(&f::PING_TYPE, enums::ping_type)?;
        let timestamp = r.u64le(&f::PING_TIMESTAMP)?;
        let reply_timestamp = r.u64le(&f::PING_REPLY_TIMESTAMP)?;
        Some(PingReply { ping_type, timestamp, reply_timestamp })
    }
}

impl PingReply {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.ping_type);
        out.extend_from_slice(&self.timestamp.to_le_bytes());
        out.extend_from_slice(&self.reply_timestamp.to_le_bytes());
    }
}

/// Explains a Ping/PingReply whose length is not 17, in the reader's terms.
pub(crate) fn length_message(reply: bool, len: usize) -> String {
    let last = if reply { "reply timestamp" } else { "connection ID" };
    let mut m = format!(
        "{} payload is {len} bytes, not {LEN}: Overte reads u8 ping type, u64 timestamp, {} (all little-endian)",
        if reply { "PingReply" } else { "Ping" },
        if reply { "u64 reply timestamp" } else { "i64 connection ID" }
    );
    if len == 9 && !reply {
        m.push_str(
            "; 9 bytes is a u64 timestamp + u8 ping type (the order some notes give): the receiver takes the \
             timestamp's first byte as the ping type, reads the timestamp one byte late and finds no connection ID",
        );
    } else if len < LEN {
        let _ = write!(m, "; the {last} and anything after byte {len} are missing");
    } else {
        let _ = write!(m, "; the receiver ignores the {} extra bytes", len - LEN);
    }
    m
}

pub(crate) fn dissect(r: &mut Rd, reply: bool) {
    let t = r.rest().first().copied();
    if reply {
        PingReply::walk(r);
    } else {
        Ping::walk(r);
    }
    if let Some(t) = t {
        r.info_word(enums::ping_type(t.into()).unwrap_or("?"));
    }
}
