//! Node and domain control packets: assignment client status, stop node, node statistics, domain
//! settings, DTLS, WebRTC signaling, the replicated avatar packets and the entity-server content
//! transfers. Raw `writePrimitive` (little-endian) and unframed bytes throughout: none of these
//! payloads is a QDataStream.

use std::borrow::Cow;
use std::fmt::Write as _;

use udpdissect_core::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, Severity, Value};

use super::codec::{put_text32le, Rd, Text, Walk};
use super::types::*;
use super::{avatar, enums, qbjs};

/// Qt 5 binary JSON's tag, `'qbjs'` as a little-endian u32.
pub const QBJS_TAG: &[u8; 4] = b"qbjs";

/// This module's payload fields, for `--list-fields` and the filter catalog.
pub(crate) static FIELDS: &[&FieldInfo] = &[
    &SETTINGS_REQUEST_TYPE,
    &SETTINGS_JSON,
    &STATS_TAG,
    &STATS_VERSION,
    &STATS_ROOT_SIZE,
    &STATS_ROOT_IS_OBJECT,
    &STATS_ROOT_LENGTH,
    &STATS_TABLE_OFFSET,
    &STATS_BODY,
    &STATS_DOCUMENT,
    &STATS_JSON,
    &AC_STATUS_CHILD_ID,
    &AC_STATUS_TYPE,
    &DTLS_PORT,
    &BULK_AVATAR,
    &BULK_NODE_ID,
    &BULK_SIZE,
    &BULK_DATA,
    &WEBRTC_JSON,
    &CONTENT_URL,
    &OCTREE_FILE,
    &OCTREE_HAS_DATA,
    &OCTREE_ID,
    &OCTREE_DATA_VERSION,
    &OCTREE_DATA_VERSION_HIGH,
    &OCTREE_NEW_DATA,
];
/// This module's payload findings.
pub(crate) static EXPERTS: &[&ExpertInfo] = &[&STATS_INVALID, &STATS_ELIDED];

pub(crate) static STATS_INVALID: ExpertInfo = ExpertInfo::new(
    "overte.node_stats.invalid",
    Severity::Warn,
    ExpertGroup::Malformed,
    "binary JSON that Qt's fromBinaryData refuses: the domain server holds an empty document and records no stats",
);
pub(crate) static STATS_ELIDED: ExpertInfo = ExpertInfo::new(
    "overte.node_stats.elided",
    Severity::Note,
    ExpertGroup::Undecoded,
    "a binary JSON document shown in part: its text past 64 KiB, nesting past 64 levels or values past 65 536",
);

static SETTINGS_REQUEST_TYPE: FieldInfo = FieldInfo::new(
    "overte.settings_request.assignment_type",
    "Assignment type",
    K::Enum,
    "u8 Assignment::Type whose settings are asked for",
);
static SETTINGS_JSON: FieldInfo =
    FieldInfo::new("overte.domain_settings.json", "Settings", K::String, "the settings object as JSON text (UTF-8)");
static STATS_TAG: FieldInfo =
    FieldInfo::new("overte.node_stats.tag", "Binary JSON tag", K::String, "Qt binary JSON header tag \"qbjs\"");
static STATS_VERSION: FieldInfo =
    FieldInfo::new("overte.node_stats.version", "Binary JSON version", K::Unsigned, "u32 LE, 1");
static STATS_ROOT_SIZE: FieldInfo =
    FieldInfo::new("overte.node_stats.root_size", "Root size", K::Unsigned, "u32 LE byte size of the root value");
static STATS_ROOT_IS_OBJECT: FieldInfo =
    FieldInfo::new("overte.node_stats.root_is_object", "Root is object", K::Bool, "bit 0 of the root's u32 LE word");
static STATS_ROOT_LENGTH: FieldInfo = FieldInfo::new(
    "overte.node_stats.root_length",
    "Root entries",
    K::Unsigned,
    "bits 1..31 of the root's u32 LE word: number of members",
);
static STATS_TABLE_OFFSET: FieldInfo =
    FieldInfo::new("overte.node_stats.table_offset", "Table offset", K::Unsigned, "u32 LE offset of the entry table");
static STATS_BODY: FieldInfo = FieldInfo::new(
    "overte.node_stats.body",
    "Binary JSON body",
    K::Bytes,
    "the root's entries and table (their text is overte.node_stats.document)",
);
static STATS_DOCUMENT: FieldInfo = FieldInfo::new(
    "overte.node_stats.document",
    "Stats document",
    K::String,
    "the binary JSON document as compact JSON text, as the domain server's fromBinaryData reads it (generated; cut at 64 KiB, 64 levels or 65 536 values)",
);
static STATS_JSON: FieldInfo =
    FieldInfo::new("overte.node_stats.json", "Stats JSON", K::String, "stats sent as JSON text instead of binary JSON");
static AC_STATUS_CHILD_ID: FieldInfo =
    FieldInfo::new("overte.ac_status.child_id", "Child assignment client", K::Uuid, "the child's UUID (RFC order)");
static AC_STATUS_TYPE: FieldInfo = FieldInfo::new(
    "overte.ac_status.assignment_type",
    "Assignment type",
    K::Enum,
    "u8 Assignment::Type it runs (AllTypes when idle)",
);
static DTLS_PORT: FieldInfo = FieldInfo::new("overte.dtls.port", "DTLS port", K::Unsigned, "u16 LE");
static BULK_AVATAR: FieldInfo =
    FieldInfo::new("overte.replicated_bulk.avatar", "Replicated avatar", K::None, "one replicated avatar record");
static BULK_NODE_ID: FieldInfo =
    FieldInfo::new("overte.replicated_bulk.node_id", "Replicated node", K::Uuid, "the avatar's node UUID (RFC order)");
static BULK_SIZE: FieldInfo =
    FieldInfo::new("overte.replicated_bulk.size", "Avatar data size", K::Unsigned, "u16 LE byte count");
static BULK_DATA: FieldInfo = FieldInfo::new(
    "overte.replicated_bulk.avatar_data",
    "Avatar data",
    K::Bytes,
    "the avatar's data: an AvatarData message (u16 LE sequence number, flags, sections), decoded below it as the downstream mixer reads it",
);
static WEBRTC_JSON: FieldInfo =
    FieldInfo::new("overte.webrtc.json", "Signaling message", K::String, "u32 LE length + compact JSON (UTF-8)");
static CONTENT_URL: FieldInfo =
    FieldInfo::new("overte.content_replacement.url", "Content URL", K::String, "the whole payload, UTF-8");
static OCTREE_FILE: FieldInfo = FieldInfo::new(
    "overte.octree.file",
    "Octree data",
    K::Bytes,
    "entities file (gzipped or plain JSON), the rest of the payload",
);
static OCTREE_HAS_DATA: FieldInfo =
    FieldInfo::new("overte.octree.has_existing_data", "Has existing data", K::Bool, "bool byte");
static OCTREE_ID: FieldInfo =
    FieldInfo::new("overte.octree.id", "Data ID", K::Uuid, "the entities data ID (RFC order)");
static OCTREE_DATA_VERSION: FieldInfo = FieldInfo::new(
    "overte.octree.data_version",
    "Data version",
    K::Signed,
    "i32 LE, what the domain server reads (the low half of the writer's int64)",
);
static OCTREE_DATA_VERSION_HIGH: FieldInfo = FieldInfo::new(
    "overte.octree.data_version_high",
    "Data version high half",
    K::Signed,
    "i32 LE, the high half of the writer's int64 version; the domain server does not read it",
);
static OCTREE_NEW_DATA: FieldInfo =
    FieldInfo::new("overte.octree.includes_new_data", "Includes new data", K::Bool, "bool byte");

/// Whether this module decodes packet type `t`.
pub(crate) fn decodes(t: u8) -> bool {
    matches!(
        t,
        ASSIGNMENT_CLIENT_STATUS
            | DOMAIN_SERVER_REQUIRE_DTLS
            | NODE_JSON_STATS
            | STOP_NODE
            | DOMAIN_SETTINGS_REQUEST
            | DOMAIN_SETTINGS
            | OCTREE_FILE_REPLACEMENT
            | REPLICATED_AVATAR_IDENTITY
            | REPLICATED_KILL_AVATAR
            | REPLICATED_BULK_AVATAR_DATA
            | DOMAIN_CONTENT_REPLACEMENT_FROM_URL
            | OCTREE_DATA_FILE_REQUEST
            | OCTREE_DATA_FILE_REPLY
            | OCTREE_DATA_PERSIST
            | WEBRTC_SIGNALING
    )
}

/// The exact payload length of the types here whose writer always writes the same number of
/// bytes.
pub(crate) const fn fixed_len(t: u8) -> Option<usize> {
    Some(match t {
        DOMAIN_SETTINGS_REQUEST => 1,
        ASSIGNMENT_CLIENT_STATUS => AcStatus::LEN,
        STOP_NODE => 0,
        DOMAIN_SERVER_REQUIRE_DTLS => 2,
        REPLICATED_KILL_AVATAR => avatar::KillAvatar::LEN,
        _ => return None,
    })
}

/// Decodes a payload of type `t` (one [`decodes`] accepts).
pub(crate) fn dissect(r: &mut Rd, t: u8) {
    match t {
        DOMAIN_SETTINGS_REQUEST => {
            if let Some(a) = r.en8(&SETTINGS_REQUEST_TYPE, enums::assignment_type) {
                r.info_word(enums::assignment_type(a.into()).unwrap_or("?"));
            }
        }
        DOMAIN_SETTINGS => {
            let b = r.rest_text(&SETTINGS_JSON);
            r.info(|s| udpdissect_core::digits::push_count(s, b.len() as u64, " byte"));
        }
        NODE_JSON_STATS => dissect_stats(r),
        ASSIGNMENT_CLIENT_STATUS => {
            if let Some(s) = AcStatus::walk(r) {
                r.info_word(enums::assignment_type(s.assignment_type.into()).unwrap_or("?"));
            }
        }
        STOP_NODE => {}
        DOMAIN_SERVER_REQUIRE_DTLS => {
            if let Some(p) = r.u16le(&DTLS_PORT) {
                r.info_number(" port ", p.into());
            }
        }
        REPLICATED_AVATAR_IDENTITY => avatar::dissect_identity(r),
        REPLICATED_KILL_AVATAR => avatar::dissect_kill(r),
        REPLICATED_BULK_AVATAR_DATA => {
            let mut n = 0u64;
            while r.left() > 0 {
                if ReplicatedAvatar::walk(r).is_none() {
                    return;
                }
                n += 1;
            }
            r.info(|s| udpdissect_core::digits::push_count(s, n, " avatar"));
        }
        WEBRTC_SIGNALING => {
            if let Some(j) = r.text32le(&WEBRTC_JSON) {
                r.info(|s| udpdissect_core::digits::push_count(s, j.len() as u64, " byte"));
            }
        }
        DOMAIN_CONTENT_REPLACEMENT_FROM_URL => {
            let b = r.rest_text(&CONTENT_URL);
            r.info(|s| {
                s.push(' ');
                s.push_str(&String::from_utf8_lossy(b));
            });
        }
        OCTREE_FILE_REPLACEMENT | OCTREE_DATA_PERSIST => {
            let b = r.rest_bytes(&OCTREE_FILE);
            info_file(r, b);
        }
        OCTREE_DATA_FILE_REQUEST => {
            if let Some(q) = OctreeDataRequest::walk(r) {
                r.info(|s| match q.existing {
                    Some((_, v, _)) => {
                        let _ = write!(s, " has version {v}");
                    }
                    None => s.push_str(" no data"),
                });
            }
        }
        _ => {
            if let Some(reply) = OctreeDataReply::walk(r) {
                match reply.data {
                    Some(b) => info_file(r, &b),
                    None => r.info_word("no new data"),
                }
            }
        }
    }
}

/// Appends the size of an entities file, and whether it is gzipped, to the info column.
fn info_file(r: &mut Rd, b: &[u8]) {
    let gz = b.starts_with(&[0x1f, 0x8b]);
    r.info(|s| {
        udpdissect_core::digits::push_count(s, b.len() as u64, " byte");
        if gz {
            s.push_str(" gzip");
        }
    });
}

/// AssignmentClientStatus (27), child → assignment-client monitor: the child's UUID (RFC) and
/// its assignment type byte (`AssignmentClient::sendStatusPacketToACM`,
/// `AssignmentClientMonitor::handleChildStatusPacket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcStatus {
    pub child_id: [u8; 16],
    pub assignment_type: u8,
}

impl Walk<'_> for AcStatus {
    fn walk(r: &mut Rd) -> Option<Self> {
        Some(AcStatus {
            child_id: r.uuid(&AC_STATUS_CHILD_ID)?,
            assignment_type: r.en8(&AC_STATUS_TYPE, enums::assignment_type)?,
        })
    }
}

impl AcStatus {
    pub const LEN: usize = 17;

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.child_id);
        out.push(self.assignment_type);
    }
}

/// NodeJsonStats (33): `QJsonDocument::toBinaryData()` (`NodeList::sendStats`), read by
/// `DomainServerNodeData::updateJSONStats` with `fromBinaryData`. Only the framing is decoded:
/// header (tag, version) and the root value's header (size, is-object bit and length, table
/// offset), all u32 LE; the entries stay bytes. A payload that is JSON text is shown as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeStats<'a> {
    Binary { version: u32, root_size: u32, root_word: u32, table_offset: u32, body: Cow<'a, [u8]> },
    Text(Text<'a>),
}

impl<'a> Walk<'a> for NodeStats<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let rest = r.rest();
        let doc_at = r.pos;
        if !rest.starts_with(QBJS_TAG) && rest.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
            let b = r.rest_text(&STATS_JSON);
            return Some(NodeStats::Text(Cow::Borrowed(b)));
        }
        let at = r.pos;
        let tag = r.take(&STATS_TAG, 4)?;
        if tag != QBJS_TAG {
            return r.malformed(at, 4, "binary JSON tag", || {
                format!(
                    "stats start with {:02x?}, not the binary JSON tag \"qbjs\" nor JSON text: the domain server's \
                     QJsonDocument::fromBinaryData returns an empty document and records no stats",
                    tag
                )
            });
        }
        r.add(&STATS_TAG, at, 4, || Value::String(Cow::Borrowed("qbjs")));
        let version = r.u32le(&STATS_VERSION)?;
        let root_size = r.u32le(&STATS_ROOT_SIZE)?;
        let at = r.pos;
        let root_word = u32::from_le_bytes(r.take(&STATS_ROOT_LENGTH, 4)?.try_into().ok()?);
        r.add(&STATS_ROOT_IS_OBJECT, at, 4, || Value::Bool(root_word & 1 != 0));
        r.add(&STATS_ROOT_LENGTH, at, 4, || Value::Unsigned((root_word >> 1).into()));
        let table_offset = r.u32le(&STATS_TABLE_OFFSET)?;
        let body = r.rest_bytes(&STATS_BODY);
        // Its outcome is a finding or a field: read only when one of them is.
        if r.out.as_deref().is_some_and(|o| o.wants_findings_or(&[&STATS_DOCUMENT])) {
            match qbjs::read(rest) {
                qbjs::Outcome::Document { text, elided } => {
                    if elided {
                        r.expert(&STATS_ELIDED, doc_at, rest.len(), || {
                            "the document is shown in part (overte.node_stats.document ends with …): its text is cut at \
                             64 KiB, and arrays and objects past 64 levels or 65 536 values are not followed"
                                .into()
                        });
                    }
                    r.generated(&STATS_DOCUMENT, || Value::String(Cow::Owned(text)));
                }
                qbjs::Outcome::Invalid { at, why } => {
                    r.expert(&STATS_INVALID, doc_at + at, rest.len().saturating_sub(at).min(4), || {
                        format!(
                            "binary JSON refused at byte {at} of the document: {why}; the domain server's \
                         QJsonDocument::fromBinaryData returns an empty document and records no stats"
                        )
                    })
                }
            }
        }
        Some(NodeStats::Binary { version, root_size, root_word, table_offset, body: Cow::Borrowed(body) })
    }
}

impl NodeStats<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        match self {
            NodeStats::Binary { version, root_size, root_word, table_offset, body } => {
                out.extend_from_slice(QBJS_TAG);
                for v in [version, root_size, root_word, table_offset] {
                    out.extend_from_slice(&v.to_le_bytes());
                }
                out.extend_from_slice(body);
            }
            NodeStats::Text(t) => out.extend_from_slice(t),
        }
    }
}

fn dissect_stats(r: &mut Rd) {
    match NodeStats::walk(r) {
        Some(NodeStats::Binary { root_word, .. }) => r.info(|s| {
            let _ = write!(s, " binary JSON, {} entries", root_word >> 1);
        }),
        Some(NodeStats::Text(t)) => r.info(|s| {
            s.push_str(" JSON");
            udpdissect_core::digits::push_count(s, t.len() as u64, " byte");
        }),
        None => {}
    }
}

/// One ReplicatedBulkAvatarData (89) record: node UUID, u16 LE size, that many bytes of avatar
/// data (`AvatarMixerSlave::broadcastAvatarDataToDownstreamMixer`,
/// `AvatarMixer::handleReplicatedBulkAvatarPacket`). The upstream mixer writes the avatar's
/// last sequence number and then its data, and counts both in the size; the downstream mixer
/// makes the sized bytes an AvatarData message of their own, so they are decoded as one, within
/// the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicatedAvatar<'a> {
    pub node_id: [u8; 16],
    pub data: Cow<'a, [u8]>,
}

impl<'a> Walk<'a> for ReplicatedAvatar<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let node = r.open(&BULK_AVATAR, || Value::None);
        let v = (|| {
            let node_id = r.uuid(&BULK_NODE_ID)?;
            let n = usize::from(r.u16le(&BULK_SIZE)?);
            if r.left() < n {
                return r.short(&BULK_DATA, n);
            }
            let (at, end) = (r.pos, r.pos + n);
            let node = r.open(&BULK_DATA, || Value::Bytes);
            if r.out.is_some() {
                let mut message = r.within(end);
                avatar::walk_avatar_data(&mut message);
                super::finish(message);
            }
            r.pos = end;
            r.close(node);
            Some(ReplicatedAvatar { node_id, data: Cow::Borrowed(&r.data[at..end]) })
        })();
        r.close(node);
        v
    }
}

impl ReplicatedAvatar<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.node_id);
        out.extend_from_slice(&(self.data.len() as u16).to_le_bytes());
        out.extend_from_slice(&self.data);
    }
}

/// WebRTCSignaling (105): `writeString` of compact JSON (`DomainServer::
/// sendWebRTCSignalingMessageToAssignmentClient`, `forwardAssignmentClientSignalingMessageToUserClient`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebRtcSignaling<'a> {
    pub json: Text<'a>,
}

impl<'a> Walk<'a> for WebRtcSignaling<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        r.text32le(&WEBRTC_JSON).map(|json| WebRtcSignaling { json })
    }
}

impl WebRtcSignaling<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        put_text32le(out, &self.json);
    }
}

/// OctreeDataFileRequest (95), entity server → domain server: bool, then when true the data ID
/// and the version (`OctreePersistThread::start` writes an int64; `DomainServer::
/// processOctreeDataRequestMessage` reads an `int`, the low half).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OctreeDataRequest {
    pub has_data: u8,
    /// (ID, version as read, high half when sent).
    pub existing: Option<([u8; 16], i32, Option<i32>)>,
}

impl Walk<'_> for OctreeDataRequest {
    fn walk(r: &mut Rd) -> Option<Self> {
        let has_data = r.bool8(&OCTREE_HAS_DATA)?;
        let existing = if has_data != 0 {
            let id = r.uuid(&OCTREE_ID)?;
            let v = r.i32le(&OCTREE_DATA_VERSION)?;
            let high = if r.left() >= 4 { Some(r.i32le(&OCTREE_DATA_VERSION_HIGH)?) } else { None };
            Some((id, v, high))
        } else {
            None
        };
        Some(OctreeDataRequest { has_data, existing })
    }
}

impl OctreeDataRequest {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.has_data);
        if let Some((id, v, high)) = self.existing {
            out.extend_from_slice(&id);
            out.extend_from_slice(&v.to_le_bytes());
            if let Some(h) = high {
                out.extend_from_slice(&h.to_le_bytes());
            }
        }
    }
}

/// OctreeDataFileReply (96), domain server → entity server: bool, then when true the entities
/// file (`DomainServer::processOctreeDataRequestMessage`, `OctreePersistThread::
/// handleOctreeDataFileReply`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OctreeDataReply<'a> {
    pub includes_new_data: u8,
    pub data: Option<Cow<'a, [u8]>>,
}

impl<'a> Walk<'a> for OctreeDataReply<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let includes_new_data = r.bool8(&OCTREE_NEW_DATA)?;
        let data = (includes_new_data != 0).then(|| Cow::Borrowed(r.rest_bytes(&OCTREE_FILE)));
        Some(OctreeDataReply { includes_new_data, data })
    }
}

impl OctreeDataReply<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.includes_new_data);
        if let Some(d) = &self.data {
            out.extend_from_slice(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::tests::{decode as run, every_prefix as no_panic_on_prefixes, hex, s, tags, val};
    use crate::payload::Decoded;

    #[test]
    fn settings_request_and_settings() {
        // `DomainHandler::requestDomainSettings`: writePrimitive(Assignment::Type) for an avatar mixer.
        let (d, r) = run(DOMAIN_SETTINGS_REQUEST, &[1]);
        assert_eq!(r, Decoded::Full);
        assert_eq!(
            val(&d, "overte.settings_request.assignment_type"),
            &Value::Enum { value: 1, name: Some("AvatarMixer") }
        );
        assert_eq!(d.info, " AvatarMixer");
        let (d, r) = run(DOMAIN_SETTINGS_REQUEST, &[]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        let (d, _) = run(DOMAIN_SETTINGS_REQUEST, &[1, 0]);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        // `DomainServerSettingsManager::processSettingsRequestPacket`: QJsonDocument::toJson.
        let json = b"{\n    \"audio_env\": {\n    }\n}\n";
        let (d, r) = run(DOMAIN_SETTINGS, json);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.domain_settings.json"), &s(std::str::from_utf8(json).unwrap()));
        assert_eq!(d.info, " 29 bytes");
        no_panic_on_prefixes(DOMAIN_SETTINGS, json);
    }

    /// `QJsonDocument({"a": 1}).toBinaryData()` from Qt 5.15: header, root object (size 24,
    /// is_object 1 and length 1, table offset 20), the entry (value word: an integer 1 stored in
    /// it, a Latin-1 key; key length and "a", padded) and the offset table.
    fn qbjs() -> Vec<u8> {
        hex("71626a73010000001800000003000000140000003a000000010061000c000000")
    }

    #[test]
    fn node_json_stats_binary_framing() {
        let p = qbjs();
        let (d, r) = run(NODE_JSON_STATS, &p);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.node_stats.tag"), &s("qbjs"));
        assert_eq!(val(&d, "overte.node_stats.version"), &Value::Unsigned(1));
        assert_eq!(val(&d, "overte.node_stats.root_size"), &Value::Unsigned(24));
        assert_eq!(val(&d, "overte.node_stats.root_is_object"), &Value::Bool(true));
        assert_eq!(val(&d, "overte.node_stats.root_length"), &Value::Unsigned(1));
        assert_eq!(val(&d, "overte.node_stats.table_offset"), &Value::Unsigned(20));
        assert_eq!(d.values("overte.node_stats.body").next().unwrap().len, 12);
        assert_eq!(val(&d, "overte.node_stats.document"), &s(r#"{"a":1}"#));
        assert_eq!(d.info, " binary JSON, 1 entries");
        let (st, rest) = NodeStats::parse(&p).unwrap();
        assert!(rest.is_empty());
        let mut out = Vec::new();
        st.emit(&mut out);
        assert_eq!(out, p);
        no_panic_on_prefixes(NODE_JSON_STATS, &p);
        let (d, r) = run(NODE_JSON_STATS, &p[..10]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
        // Text JSON (a sender on a Qt without binary JSON) and anything else.
        let (d, r) = run(NODE_JSON_STATS, b"{\"a\":1}");
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.node_stats.json"), &s("{\"a\":1}"));
        assert_eq!(d.info, " JSON 7 bytes");
        let (d, r) = run(NODE_JSON_STATS, b"abcdefgh");
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.malformed"]);
        // A document Qt refuses (its one key's length past the entry): the framing is decoded,
        // the finding says where Qt stops and that the domain server records nothing.
        let mut bad = p.clone();
        bad[24] = 9;
        let (d, r) = run(NODE_JSON_STATS, &bad);
        assert_eq!(r, Decoded::Full);
        assert_eq!(tags(&d), ["overte.node_stats.invalid"]);
        let e = &d.experts()[0];
        assert!(e.message.contains("byte 24") && e.message.contains("a key runs past its entry"), "{}", e.message);
        assert!(d.values("overte.node_stats.document").next().is_none());
        // A document nested past the reading's limit: shown in part, and the finding says so.
        let deep = crate::payload::qbjs::shared_chain(200);
        let (d, r) = run(NODE_JSON_STATS, &deep);
        assert_eq!(r, Decoded::Full);
        assert_eq!(tags(&d), ["overte.node_stats.elided"]);
        let e = &d.experts()[0];
        assert_eq!((e.at.unwrap().1, e.at.unwrap().2), (0, deep.len() as u32));
        assert!(e.message.contains("cut at 64 KiB"), "{}", e.message);
        let document = val(&d, "overte.node_stats.document");
        assert_eq!(document, &s(&format!("{}[…]", "[".repeat(crate::payload::qbjs::MAX_DEPTH))));
    }

    #[test]
    fn assignment_client_status_stop_node_and_dtls() {
        // `AssignmentClient::sendStatusPacketToACM`: child UUID then type 7 (AllTypes, idle).
        let p = hex("0102030405060708090a0b0c0d0e0f1007");
        let (d, r) = run(ASSIGNMENT_CLIENT_STATUS, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.ac_status.child_id"), &Value::Uuid(p[..16].try_into().unwrap()));
        assert_eq!(val(&d, "overte.ac_status.assignment_type"), &Value::Enum { value: 7, name: Some("AllTypes") });
        assert_eq!(d.info, " AllTypes");
        let (st, _) = AcStatus::parse(&p).unwrap();
        let mut out = Vec::new();
        st.emit(&mut out);
        assert_eq!(out, p);
        no_panic_on_prefixes(ASSIGNMENT_CLIENT_STATUS, &p);
        let (d, r) = run(ASSIGNMENT_CLIENT_STATUS, &p[..10]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
        // StopNode: `NLPacket::create(PacketType::StopNode, 0)`.
        let (d, r) = run(STOP_NODE, &[]);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty() && d.info.is_empty());
        let (d, _) = run(STOP_NODE, &[0]);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        // DomainServerRequireDTLS: `DomainHandler::processDTLSRequirementPacket` readPrimitive(unsigned short).
        let (d, r) = run(DOMAIN_SERVER_REQUIRE_DTLS, &[0x9d, 0x9c]);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.dtls.port"), &Value::Unsigned(40093));
        assert_eq!(d.info, " port 40093");
        let (d, _) = run(DOMAIN_SERVER_REQUIRE_DTLS, &[0x9d]);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
    }

    #[test]
    fn replicated_avatar_packets() {
        // ReplicatedKillAvatar: the KillAvatar layout (`AvatarMixer::handleReplicatedPacket`).
        let p = hex("ed7acf0489a14b6b8f5b9d3c1e2f3a4b01");
        let (d, r) = run(REPLICATED_KILL_AVATAR, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.kill_avatar.reason"), &Value::Enum { value: 1, name: Some("AvatarDisconnected") });
        assert_eq!(d.info, " AvatarDisconnected");
        let (d, _) = run(REPLICATED_KILL_AVATAR, &p[..16]);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        no_panic_on_prefixes(REPLICATED_KILL_AVATAR, &p);
        // ReplicatedAvatarIdentity: the AvatarIdentity stream as received.
        // The real AvatarIdentity vector (vircadia-web-sdk AvatarIdentity.unit.test.js, two
        // identities): `optionallyReplicatePacket` forwards the payload unchanged.
        let id = hex("7d980fa83d7d43b5808c9e5883d89ba900000003000000000000001a006d00790064006900730070006c00610079006e0061006d00650000001a006d00790064006900730070006c00610079006e0061006d00650000000252973cdb8afd40168c4c7ff7d4dc9988000000050000000000000020006f00740068006500720064006900730070006c00610079006e0061006d006500000020006f00740068006500720064006900730070006c00610079006e0061006d006500000002");
        let (d, r) = run(REPLICATED_AVATAR_IDENTITY, &id);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.values("overte.identity.display_name").count(), 2);
        assert_eq!(val(&d, "overte.identity.flags"), &Value::Unsigned(2));
        assert_eq!(d.info, " \"mydisplayname\"");
        no_panic_on_prefixes(REPLICATED_AVATAR_IDENTITY, &id);
        // ReplicatedBulkAvatarData: [node ID | u16 LE size | sequence number and avatar data],
        // each record's bytes read as an AvatarData message of their own: the first record's
        // is sequence 2004 with a global position; the second's leaves a byte after its data
        // (the next record still read where its size says); the third is empty, which the
        // upstream mixer never writes (its size counts the sequence number).
        let a = ReplicatedAvatar { node_id: [1; 16], data: Cow::Owned(hex("d4070100000060400000e040000080bf")) };
        let b = ReplicatedAvatar { node_id: [2; 16], data: Cow::Owned(hex("05000000ee")) };
        let c = ReplicatedAvatar { node_id: [3; 16], data: Cow::Owned(vec![]) };
        let mut p = Vec::new();
        for x in [&a, &b] {
            x.emit(&mut p);
        }
        let (d, r) = run(REPLICATED_BULK_AVATAR_DATA, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.replicated_bulk.node_id"), &Value::Uuid([1; 16]));
        assert_eq!(val(&d, "overte.replicated_bulk.size"), &Value::Unsigned(16));
        let seqs: Vec<_> = d.values("overte.avatar.sequence").map(|f| f.value.clone()).collect();
        assert_eq!(seqs, [Value::Unsigned(2004), Value::Unsigned(5)]);
        assert_eq!(val(&d, "overte.avatar.position"), &s("3.5, 7, -1"));
        // The sequence number lies inside the record's data, 18 bytes into the payload.
        assert_eq!(d.values("overte.avatar.sequence").next().unwrap().offset, 18);
        assert_eq!(d.values("overte.replicated_bulk.avatar").count(), 2);
        assert_eq!(tags(&d), ["overte.payload.trailing_bytes"]);
        assert_eq!(d.info, " 2 avatars");
        c.emit(&mut p);
        let (d, r) = run(REPLICATED_BULK_AVATAR_DATA, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.values("overte.replicated_bulk.avatar").count(), 3);
        assert_eq!(tags(&d), ["overte.payload.trailing_bytes", "overte.payload.truncated"]);
        assert_eq!(d.info, " 3 avatars");
        let (back, rest) = ReplicatedAvatar::parse(&p).unwrap();
        assert_eq!((back, rest.len()), (a, p.len() - 34));
        no_panic_on_prefixes(REPLICATED_BULK_AVATAR_DATA, &p);
        let (d, r) = run(REPLICATED_BULK_AVATAR_DATA, &p[..20]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
    }

    #[test]
    fn webrtc_signaling_and_content_replacement() {
        // `sendWebRTCSignalingMessageToAssignmentClient`: writeString(compact JSON).
        let w = WebRtcSignaling { json: Cow::Borrowed(br#"{"to":"M","from":"1","data":{}}"#) };
        let mut p = Vec::new();
        w.emit(&mut p);
        assert_eq!(p[..4], [31, 0, 0, 0]);
        let (d, r) = run(WEBRTC_SIGNALING, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.webrtc.json"), &s(r#"{"to":"M","from":"1","data":{}}"#));
        assert_eq!(d.info, " 31 bytes");
        assert_eq!(WebRtcSignaling::parse(&p).unwrap().0, w);
        no_panic_on_prefixes(WEBRTC_SIGNALING, &p);
        let (d, r) = run(WEBRTC_SIGNALING, &p[..10]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        // `Application::replaceDomainContent`: the URL's UTF-8 bytes, unframed.
        let url = b"https://example.org/content.zip?name=Home";
        let (d, r) = run(DOMAIN_CONTENT_REPLACEMENT_FROM_URL, url);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.content_replacement.url"), &s("https://example.org/content.zip?name=Home"));
        assert_eq!(d.info, " https://example.org/content.zip?name=Home");
        // OctreeFileReplacement / OctreeDataPersist: the file, gzipped by `toJSON(.., true)`.
        let gz = hex("1f8b0800000000000003abae050043bfa6a302000000");
        for t in [OCTREE_FILE_REPLACEMENT, OCTREE_DATA_PERSIST] {
            let (d, r) = run(t, &gz);
            assert_eq!(r, Decoded::Full);
            assert_eq!(d.values("overte.octree.file").next().unwrap().len, 22);
            assert_eq!(d.info, " 22 bytes gzip");
        }
    }

    #[test]
    fn octree_data_request_and_reply() {
        // `OctreePersistThread::start`: true, ID, int64 version 7 (LE).
        let p = hex("01 0102030405060708090a0b0c0d0e0f10 0700000000000000".replace(' ', "").as_str());
        let (d, r) = run(OCTREE_DATA_FILE_REQUEST, &p);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.octree.has_existing_data"), &Value::Bool(true));
        assert_eq!(val(&d, "overte.octree.id"), &Value::Uuid(p[1..17].try_into().unwrap()));
        assert_eq!(val(&d, "overte.octree.data_version"), &Value::Signed(7));
        assert_eq!(val(&d, "overte.octree.data_version_high"), &Value::Signed(0));
        assert_eq!(d.info, " has version 7");
        let (q, _) = OctreeDataRequest::parse(&p).unwrap();
        let mut out = Vec::new();
        q.emit(&mut out);
        assert_eq!(out, p);
        no_panic_on_prefixes(OCTREE_DATA_FILE_REQUEST, &p);
        let (d, r) = run(OCTREE_DATA_FILE_REQUEST, &p[..19]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
        let (d, r) = run(OCTREE_DATA_FILE_REQUEST, &[0]);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.info, " no data");
        // `processOctreeDataRequestMessage`: true + the file, or false alone.
        let mut p = vec![1];
        p.extend_from_slice(b"{\"Entities\":[]}");
        let (d, r) = run(OCTREE_DATA_FILE_REPLY, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.octree.includes_new_data"), &Value::Bool(true));
        assert_eq!(d.info, " 15 bytes");
        let (rep, _) = OctreeDataReply::parse(&p).unwrap();
        let mut out = Vec::new();
        rep.emit(&mut out);
        assert_eq!(out, p);
        no_panic_on_prefixes(OCTREE_DATA_FILE_REPLY, &p);
        let (d, r) = run(OCTREE_DATA_FILE_REPLY, &[0]);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.info, " no new data");
    }
}
