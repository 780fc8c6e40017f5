//! Messages mixer packets (`protocols/overte.md` §5.14): MessagesData (raw LE lengths) and
//! MessagesSubscribe / Unsubscribe (the channel name, unframed).

use std::borrow::Cow;
use std::fmt::Write as _;

use udpdissect_core::Value;

use super::codec::{lossy, put_text16le, put_text32le, Rd, Text, Walk, WireError};
use super::fields as f;

/// MessagesData (57): channel, text-or-binary flag, message, sender UUID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessagesData<'a> {
    pub channel: Text<'a>,
    pub is_text: u8,
    pub message: Cow<'a, [u8]>,
    pub sender: [u8; 16],
}

impl<'a> Walk<'a> for MessagesData<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let channel = r.text16le(&f::MSG_CHANNEL)?;
        let is_text = r.bool8(&f::MSG_IS_TEXT)?;
        let at = r.pos;
        let n = r.u32le(&f::MSG_LENGTH)? as usize;
        let message = match r.take(&f::MSG_TEXT, n) {
            Some(m) => m,
            None => {
                if let Some(WireError::Short { at: a, .. }) = &mut r.err {
                    *a = at;
                }
                return None;
            }
        };
        if is_text != 0 {
            r.add(&f::MSG_TEXT, at + 4, n, || lossy(message));
        } else {
            r.add(&f::MSG_DATA, at + 4, n, || Value::Bytes);
        }
        let sender = r.uuid(&f::MSG_SENDER)?;
        Some(MessagesData { channel, is_text, message: Cow::Borrowed(message), sender })
    }
}

impl<'a> MessagesData<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        put_text16le(out, &self.channel);
        out.push(self.is_text);
        put_text32le(out, &self.message);
        out.extend_from_slice(&self.sender);
    }
}

pub(crate) fn dissect_data(r: &mut Rd) {
    if let Some(m) = MessagesData::walk(r) {
        r.info(|s| {
            let _ = write!(s, " {} ({} bytes)", String::from_utf8_lossy(&m.channel), m.message.len());
        });
    }
}

/// MessagesSubscribe (58) / MessagesUnsubscribe (59): the channel, the whole payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe<'a> {
    pub channel: Text<'a>,
}

impl<'a> Subscribe<'a> {
    pub fn parse(b: &'a [u8]) -> Result<(Self, &'a [u8]), WireError> {
        Ok((Subscribe { channel: Cow::Borrowed(b) }, &b[b.len()..]))
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.channel);
    }
}

pub(crate) fn dissect_subscribe(r: &mut Rd) {
    let c = r.rest_text(&f::MSG_CHANNEL);
    r.info(|s| {
        let _ = write!(s, " {}", String::from_utf8_lossy(c));
    });
}
