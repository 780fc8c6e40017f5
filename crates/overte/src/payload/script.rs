//! Entity script server packets (status, reload, log, method calls): raw `writePrimitive` data
//! (little-endian), RFC 4122 entity UUIDs, `writeString` text (u32 LE byte length + UTF-8).
//!
//! Readers and writers: `EntityScriptClient.cpp` (status request and reply reader, reload),
//! `EntityScriptServer.cpp` (the server's handlers, status reply, log push, method calls),
//! `EntityScriptServerLogClient.cpp` (log subscription and reader), `EntityScriptingInterface.cpp`
//! (method calls the server sends to a client). CollisionEventChanges (82) is left undecoded:
//! it is declared in `PacketHeaders.h` but nothing sends or handles it.

use std::borrow::Cow;
use std::fmt::Write as _;

use udpdissect_core::{digits, ExpertInfo, FieldInfo, FieldKind as K};

use super::codec::{put_text32le, Rd, Text, Walk};
use super::types::*;

/// This module's payload fields, for `--list-fields` and the filter catalog.
pub(crate) static FIELDS: &[&FieldInfo] =
    &[&MESSAGE_ID, &ENTITY_ID, &IS_KNOWN, &STATUS, &ERROR_INFO, &LOG_ENABLE, &LOG_TEXT, &METHOD, &PARAM_COUNT, &PARAM];
/// This module's payload findings.
pub(crate) static EXPERTS: &[&ExpertInfo] = &[];

pub(crate) static MESSAGE_ID: FieldInfo = FieldInfo::new(
    "overte.entity_script.message_id",
    "Message ID",
    K::Unsigned,
    "MessageID (u32 LE): the client's request counter, echoed by the reply",
);
pub(crate) static ENTITY_ID: FieldInfo =
    FieldInfo::new("overte.entity_script.entity_id", "Entity ID", K::Uuid, "entity UUID (16 bytes, RFC 4122)");
pub(crate) static IS_KNOWN: FieldInfo = FieldInfo::new(
    "overte.entity_script.is_known",
    "Known",
    K::Bool,
    "the script server has details of the entity's script (bool)",
);
pub(crate) static STATUS: FieldInfo =
    FieldInfo::new("overte.entity_script.status", "Status", K::Enum, "EntityScriptStatus (enum, i32 LE)");
pub(crate) static ERROR_INFO: FieldInfo =
    FieldInfo::new("overte.entity_script.error_info", "Error info", K::String, "script error text (writeString)");
pub(crate) static LOG_ENABLE: FieldInfo = FieldInfo::new(
    "overte.entity_script.log_enable",
    "Subscribe",
    K::Bool,
    "client to server: subscribe (true) or unsubscribe to the script log (bool)",
);
pub(crate) static LOG_TEXT: FieldInfo = FieldInfo::new(
    "overte.entity_script.log",
    "Log",
    K::String,
    "server to client: log lines, UTF-8 (a JSON array of script messages), no length",
);
pub(crate) static METHOD: FieldInfo =
    FieldInfo::new("overte.entity_script.method", "Method", K::String, "method name (writeString)");
pub(crate) static PARAM_COUNT: FieldInfo =
    FieldInfo::new("overte.entity_script.param_count", "Parameters", K::Unsigned, "parameter count (quint16 LE)");
pub(crate) static PARAM: FieldInfo =
    FieldInfo::new("overte.entity_script.param", "Parameter", K::String, "one parameter (writeString)");

/// `EntityScriptStatus` (`EntityScriptUtils.h`).
pub fn script_status(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "PENDING",
        1 => "LOADING",
        2 => "ERROR_LOADING_SCRIPT",
        3 => "ERROR_RUNNING_SCRIPT",
        4 => "RUNNING",
        5 => "UNLOADED",
        _ => return None,
    })
}

/// Whether this module decodes packet type `t`.
pub(crate) fn decodes(t: u8) -> bool {
    matches!(
        t,
        ENTITY_SCRIPT_GET_STATUS
            | ENTITY_SCRIPT_GET_STATUS_REPLY
            | RELOAD_ENTITY_SERVER_SCRIPT
            | ENTITY_SERVER_SCRIPT_LOG
            | ENTITY_SCRIPT_CALL_METHOD
    )
}

/// The exact payload length of the types here whose writer always writes the same number of
/// bytes.
pub(crate) const fn fixed_len(t: u8) -> Option<usize> {
    match t {
        ENTITY_SCRIPT_GET_STATUS => Some(4 + 16),
        RELOAD_ENTITY_SERVER_SCRIPT => Some(16),
        _ => None,
    }
}

/// Decodes a payload of type `t` (one [`decodes`] accepts).
pub(crate) fn dissect(r: &mut Rd, t: u8) {
    match t {
        ENTITY_SCRIPT_GET_STATUS => dissect_get_status(r),
        ENTITY_SCRIPT_GET_STATUS_REPLY => dissect_get_status_reply(r),
        RELOAD_ENTITY_SERVER_SCRIPT => {
            if let Some(id) = r.uuid(&ENTITY_ID) {
                r.info(|s| {
                    s.push(' ');
                    let _ = digits::write_uuid(s, &id);
                });
            }
        }
        ENTITY_SERVER_SCRIPT_LOG => dissect_log(r),
        ENTITY_SCRIPT_CALL_METHOD => dissect_call(r),
        _ => {}
    }
}

/// EntityScriptGetStatus (75, `EntityScriptClient::getEntityServerScriptStatus` →
/// `EntityScriptServer::handleEntityScriptGetStatusPacket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetStatus {
    pub message_id: u32,
    pub entity_id: [u8; 16],
}

impl Walk<'_> for GetStatus {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        let message_id = r.u32le(&MESSAGE_ID)?;
        let entity_id = r.uuid(&ENTITY_ID)?;
        Some(GetStatus { message_id, entity_id })
    }
}

impl GetStatus {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.extend_from_slice(&self.entity_id);
    }
}

fn dissect_get_status(r: &mut Rd) {
    if let Some(g) = GetStatus::walk(r) {
        r.info(|s| {
            let _ = write!(s, " #{} ", g.message_id);
            let _ = digits::write_uuid(s, &g.entity_id);
        });
    }
}

/// EntityScriptGetStatusReply (76, `EntityScriptServer::handleEntityScriptGetStatusPacket` →
/// `EntityScriptClient::handleGetScriptStatusReply`): message ID, known flag, and when known the
/// status and error text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetStatusReply<'a> {
    pub message_id: u32,
    pub is_known: u8,
    /// Known only: status and error info.
    pub details: Option<(u32, Text<'a>)>,
}

impl<'a> Walk<'a> for GetStatusReply<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let message_id = r.u32le(&MESSAGE_ID)?;
        let is_known = r.bool8(&IS_KNOWN)?;
        let details = if is_known != 0 {
            let status = r.en32le(&STATUS, script_status)?;
            Some((status, r.text32le(&ERROR_INFO)?))
        } else {
            None
        };
        Some(GetStatusReply { message_id, is_known, details })
    }
}

impl GetStatusReply<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.push(self.is_known);
        if let Some((status, info)) = &self.details {
            out.extend_from_slice(&status.to_le_bytes());
            put_text32le(out, info);
        }
    }
}

fn dissect_get_status_reply(r: &mut Rd) {
    if let Some(g) = GetStatusReply::walk(r) {
        r.info(|s| {
            let _ = write!(s, " #{}", g.message_id);
            match &g.details {
                Some((status, _)) => {
                    let _ = write!(s, " {}", script_status((*status).into()).unwrap_or("?"));
                }
                None => s.push_str(" not known"),
            }
        });
    }
}

/// EntityServerScriptLog (79): client to server a subscribe flag
/// (`EntityScriptServerLogClient::enableToEntityServerScriptLog` →
/// `EntityScriptServer::handleEntityServerScriptLogPacket`); server to client the log text
/// (`EntityScriptServer::pushLogs` → `EntityScriptServerLogClient::handleEntityServerScriptLogPacket`).
/// The payload does not say its direction: one byte is the flag (a log push is never that short).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptLog<'a> {
    Subscribe(u8),
    Log(Cow<'a, [u8]>),
}

impl<'a> Walk<'a> for ScriptLog<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        if r.left() <= 1 {
            return r.bool8(&LOG_ENABLE).map(ScriptLog::Subscribe);
        }
        Some(ScriptLog::Log(Cow::Borrowed(r.rest_text(&LOG_TEXT))))
    }
}

impl ScriptLog<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        match self {
            ScriptLog::Subscribe(b) => out.push(*b),
            ScriptLog::Log(t) => out.extend_from_slice(t),
        }
    }
}

fn dissect_log(r: &mut Rd) {
    match ScriptLog::walk(r) {
        Some(ScriptLog::Subscribe(b)) => r.info_word(if b != 0 { "subscribe" } else { "unsubscribe" }),
        Some(ScriptLog::Log(t)) => r.info(|s| {
            let _ = write!(s, " log {} bytes", t.len());
        }),
        None => {}
    }
}

/// EntityScriptCallMethod (92): entity UUID, method, u16 parameter count, parameters. The same
/// layout both ways: `EntityScriptClient::callEntityServerMethod` →
/// `EntityScriptServer::handleEntityScriptCallMethodPacket`, and the server's
/// `callEntityClientMethod` → `EntityScriptingInterface::handleEntityScriptCallMethodPacket`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallMethod<'a> {
    pub entity_id: [u8; 16],
    pub method: Text<'a>,
    pub params: Vec<Text<'a>>,
}

impl<'a> Walk<'a> for CallMethod<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let entity_id = r.uuid(&ENTITY_ID)?;
        let method = r.text32le(&METHOD)?;
        let count = r.u16le(&PARAM_COUNT)?;
        let mut params = Vec::new();
        for _ in 0..count {
            params.push(r.text32le(&PARAM)?);
        }
        Some(CallMethod { entity_id, method, params })
    }
}

impl CallMethod<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.entity_id);
        put_text32le(out, &self.method);
        out.extend_from_slice(&(self.params.len() as u16).to_le_bytes());
        for p in &self.params {
            put_text32le(out, p);
        }
    }
}

fn dissect_call(r: &mut Rd) {
    if let Some(c) = CallMethod::walk(r) {
        r.info(|s| {
            let _ = write!(s, " {} ({} params)", String::from_utf8_lossy(&c.method), c.params.len());
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::tests::{hex, run_mode, s, tags, val};
    use crate::payload::Decoded;
    use udpdissect_core::Value;

    const ENTITY: &str = "bcd3d2ad043a4338bca43d664b9e57f0";

    fn id() -> [u8; 16] {
        hex(ENTITY).try_into().unwrap()
    }

    fn ws(p: &mut Vec<u8>, t: &str) {
        p.extend_from_slice(&(t.len() as u32).to_le_bytes());
        p.extend_from_slice(t.as_bytes());
    }

    /// `EntityScriptClient::getEntityServerScriptStatus`: writePrimitive(messageID),
    /// write(entityID.toRfc4122()).
    fn get_status_vector() -> Vec<u8> {
        let mut p = 4u32.to_le_bytes().to_vec();
        p.extend_from_slice(&id());
        p
    }

    /// `EntityScriptServer::handleEntityScriptGetStatusPacket`: writePrimitive(messageID),
    /// writePrimitive(true), writePrimitive(details.status) (4 bytes), writeString(errorInfo).
    fn get_status_reply_vector() -> Vec<u8> {
        let mut p = 4u32.to_le_bytes().to_vec();
        p.push(1);
        p.extend_from_slice(&3u32.to_le_bytes());
        ws(&mut p, "ReferenceError: x is not defined");
        p
    }

    /// `EntityScriptClient::callEntityServerMethod`: entity ID, writeString(method),
    /// quint16 count, writeString per parameter.
    fn call_vector() -> Vec<u8> {
        let mut p = id().to_vec();
        ws(&mut p, "startGame");
        p.extend_from_slice(&2u16.to_le_bytes());
        ws(&mut p, "red");
        ws(&mut p, "{\"n\":3}");
        p
    }

    /// `EntityScriptServer::pushLogs`: the JSON document's UTF-8, no length.
    fn log_vector() -> Vec<u8> {
        b"[\n    {\n        \"message\": \"hello\"\n    }\n]\n".to_vec()
    }

    #[test]
    fn get_status_and_reload() {
        let p = get_status_vector();
        let (d, _, r) = run_mode(ENTITY_SCRIPT_GET_STATUS, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.entity_script.message_id"), &Value::Unsigned(4));
        assert_eq!(val(&d, "overte.entity_script.entity_id"), &Value::Uuid(id()));
        assert_eq!(d.info, " #4 bcd3d2ad-043a-4338-bca4-3d664b9e57f0");
        let (g, _) = GetStatus::parse(&p).unwrap();
        let mut out = Vec::new();
        g.emit(&mut out);
        assert_eq!(out, p);

        // `EntityScriptClient::reloadServerScript`: write(entityID.toRfc4122()).
        let (d, _, r) = run_mode(RELOAD_ENTITY_SERVER_SCRIPT, &id(), true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.entity_script.entity_id"), &Value::Uuid(id()));
        assert_eq!(d.info, " bcd3d2ad-043a-4338-bca4-3d664b9e57f0");
    }

    #[test]
    fn fixed_lengths_are_checked() {
        assert_eq!((fixed_len(ENTITY_SCRIPT_GET_STATUS), fixed_len(RELOAD_ENTITY_SERVER_SCRIPT)), (Some(20), Some(16)));
        let p = get_status_vector();
        let (d, _, r) = run_mode(ENTITY_SCRIPT_GET_STATUS, &p[..10], true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        let mut long = id().to_vec();
        long.push(0);
        let (d, _, r) = run_mode(RELOAD_ENTITY_SERVER_SCRIPT, &long, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
    }

    #[test]
    fn get_status_reply_known_and_not() {
        let p = get_status_reply_vector();
        let (d, _, r) = run_mode(ENTITY_SCRIPT_GET_STATUS_REPLY, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.entity_script.is_known"), &Value::Bool(true));
        assert_eq!(
            val(&d, "overte.entity_script.status"),
            &Value::Enum { value: 3, name: Some("ERROR_RUNNING_SCRIPT") }
        );
        assert_eq!(val(&d, "overte.entity_script.error_info"), &s("ReferenceError: x is not defined"));
        assert_eq!(d.info, " #4 ERROR_RUNNING_SCRIPT");
        let (g, rest) = GetStatusReply::parse(&p).unwrap();
        assert!(rest.is_empty());
        let mut out = Vec::new();
        g.emit(&mut out);
        assert_eq!(out, p);
        // writePrimitive(false): nothing more.
        let (d, _, r) = run_mode(ENTITY_SCRIPT_GET_STATUS_REPLY, &[4, 0, 0, 0, 0], true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.info, " #4 not known");
        // Truncated error text.
        let (d, _, r) = run_mode(ENTITY_SCRIPT_GET_STATUS_REPLY, &p[..p.len() - 3], true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
        // An unknown status keeps its number.
        let mut odd = p.clone();
        odd[5] = 9;
        let (d, _, _) = run_mode(ENTITY_SCRIPT_GET_STATUS_REPLY, &odd, true);
        assert_eq!(tags(&d), ["overte.payload.unknown_enum"]);
    }

    #[test]
    fn script_log_both_directions() {
        let (d, _, r) = run_mode(ENTITY_SERVER_SCRIPT_LOG, &[1], true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.entity_script.log_enable"), &Value::Bool(true));
        assert_eq!(d.info, " subscribe");
        let (d, _, _) = run_mode(ENTITY_SERVER_SCRIPT_LOG, &[0], true);
        assert_eq!(d.info, " unsubscribe");
        let p = log_vector();
        let (d, _, r) = run_mode(ENTITY_SERVER_SCRIPT_LOG, &p, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.entity_script.log"), &s(std::str::from_utf8(&p).unwrap()));
        assert_eq!(d.info, " log 43 bytes");
        let (l, _) = ScriptLog::parse(&p).unwrap();
        let mut out = Vec::new();
        l.emit(&mut out);
        assert_eq!(out, p);
        let (d, _, r) = run_mode(ENTITY_SERVER_SCRIPT_LOG, &[], true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
    }

    #[test]
    fn call_method() {
        let p = call_vector();
        let (d, _, r) = run_mode(ENTITY_SCRIPT_CALL_METHOD, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.entity_script.method"), &s("startGame"));
        assert_eq!(val(&d, "overte.entity_script.param_count"), &Value::Unsigned(2));
        let params: Vec<_> = d.values("overte.entity_script.param").map(|f| f.value.clone()).collect();
        assert_eq!(params, [s("red"), s("{\"n\":3}")]);
        assert_eq!(d.info, " startGame (2 params)");
        let (c, rest) = CallMethod::parse(&p).unwrap();
        assert!(rest.is_empty());
        let mut out = Vec::new();
        c.emit(&mut out);
        assert_eq!(out, p);
        // A parameter count past the parameters sent.
        let mut cut = p.clone();
        cut.truncate(p.len() - 11);
        let (d, _, r) = run_mode(ENTITY_SCRIPT_CALL_METHOD, &cut, true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
    }

    #[test]
    fn every_prefix_decodes_without_panicking() {
        let vectors = [
            (ENTITY_SCRIPT_GET_STATUS, get_status_vector()),
            (ENTITY_SCRIPT_GET_STATUS_REPLY, get_status_reply_vector()),
            (RELOAD_ENTITY_SERVER_SCRIPT, id().to_vec()),
            (ENTITY_SERVER_SCRIPT_LOG, log_vector()),
            (ENTITY_SCRIPT_CALL_METHOD, call_vector()),
        ];
        for (t, p) in vectors {
            for n in 0..=p.len() {
                for tree in [false, true] {
                    let (_, _, r) = run_mode(t, &p[..n], tree);
                    assert_ne!(r, Decoded::NotDecoded);
                }
            }
        }
        // CollisionEventChanges: nothing sends it, so nothing decodes it.
        assert!(!decodes(82));
        let (_, _, r) = run_mode(82, &[1, 2, 3], true);
        assert_eq!(r, Decoded::NotDecoded);
    }
}
