//! NLPacket payload decoders, one module per packet family (`protocols/overte.md` §5).
//!
//! The caller (the NLPacket layer) has already decoded the UDT and NLPacket headers, set the
//! dissection's cursor to the first payload byte, and handles reassembly, HMACs and sessions.
//! A decoder adds `overte.<payload>.*` fields with offsets relative to the payload start,
//! raises payload-level findings, appends a few words to the info column, and reports what the
//! session layer must learn (local IDs, secrets, node types, the protocol signature) in
//! [`Learned`].

pub mod asset;
pub mod assignment;
pub mod audio;
pub mod avatar;
pub mod codec;
pub mod domain;
pub mod entity;
pub mod enums;
mod fields;
pub mod ice;
pub mod messages;
pub mod mixer;
pub mod moderation;
pub mod node;
pub mod octree_stats;
pub mod ping;
pub mod qbjs;
mod query;
pub mod script;
pub mod text;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use udpdissect_core::{Dissection, ExpertInfo, FieldInfo, Value};

pub use codec::Walk;
use codec::{Rd, WireError};
pub use fields::{MALFORMED, TRAILING_BYTES, TRUNCATED, WRONG_LENGTH};

/// The payload modules' fields and findings, each joined into one list below.
const FIELD_LISTS: [&[&FieldInfo]; 9] = [
    fields::FIELDS,
    moderation::FIELDS,
    mixer::FIELDS,
    node::FIELDS,
    asset::FIELDS,
    script::FIELDS,
    entity::FIELDS,
    entity::PROP_FIELDS,
    octree_stats::FIELDS,
];
const EXPERT_LISTS: [&[&ExpertInfo]; 8] = [
    fields::EXPERTS,
    moderation::EXPERTS,
    mixer::EXPERTS,
    node::EXPERTS,
    asset::EXPERTS,
    script::EXPERTS,
    entity::EXPERTS,
    octree_stats::EXPERTS,
];
static ALL_FIELDS: [&FieldInfo; total(&FIELD_LISTS)] = join(&FIELD_LISTS, &fields::UNDECODED);
static ALL_EXPERTS: [&ExpertInfo; total(&EXPERT_LISTS)] = join(&EXPERT_LISTS, &fields::MALFORMED);
/// Every payload field, for `--list-fields` and the filter catalog.
pub static FIELDS: &[&FieldInfo] = &ALL_FIELDS;
/// Every payload finding.
pub static EXPERTS: &[&ExpertInfo] = &ALL_EXPERTS;

const fn total<T>(lists: &[&[T]]) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < lists.len() {
        n += lists[i].len();
        i += 1;
    }
    n
}

const fn join<T: Copy, const N: usize>(lists: &[&[T]], fill: T) -> [T; N] {
    let mut out = [fill; N];
    let (mut at, mut i) = (0, 0);
    while i < lists.len() {
        let mut j = 0;
        while j < lists[i].len() {
            out[at] = lists[i][j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// What the payload decoder is told about the packet.
#[derive(Debug, Clone, Copy)]
pub struct PayloadCx {
    /// NLPacket type (0..=105 known; others possible).
    pub packet_type: u8,
    /// NLPacket version byte as sent.
    pub version: u8,
    /// Whether the bytes are a reassembled multi-part message rather than one datagram.
    pub reassembled: bool,
    /// The node types of the sender and the receiver where the session knows them, for the
    /// types whose layout depends on the direction ([`direction_matters`]); `None` otherwise.
    pub ends: (Option<u8>, Option<u8>),
}

/// Whether the layout of type `t` depends on who sends it (SetAvatarTraits: a client's update
/// or the avatar mixer's override), so that the caller looks the ends' node types up.
pub fn direction_matters(t: u8) -> bool {
    t == types::SET_AVATAR_TRAITS
}

/// The domain's view of the receiver, from a DomainList extended header (§5.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainListHeader {
    pub session_uuid: [u8; 16],
    pub domain_local_id: u16,
    pub your_uuid: [u8; 16],
    /// The receiver's assigned local ID (read big-endian from the payload).
    pub your_local_id: u16,
    pub permissions: u32,
    pub authenticate: bool,
    pub new_connection: bool,
}

/// One node record of DomainList / DomainServerAddedNode (§5.5, §5.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeRecord {
    /// NodeType_t, ASCII ('M' audio mixer, 'W' avatar mixer, ...).
    pub node_type: u8,
    pub uuid: [u8; 16],
    pub public: Option<SocketAddr>,
    pub local: Option<SocketAddr>,
    pub permissions: u32,
    pub local_id: u16,
    /// The connection secret (HMAC key) shared with this node, when the record carries one.
    pub secret: Option<[u8; 16]>,
}

/// Facts a payload teaches the session layer. Cleared by the caller before each payload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Learned {
    /// DomainList extended header.
    pub domain_list: Option<DomainListHeader>,
    /// Node records (DomainList, DomainServerAddedNode), bounded by the decoder.
    pub nodes: Vec<NodeRecord>,
    /// DomainServerRemovedNode: the removed node's UUID.
    pub removed: Option<[u8; 16]>,
    /// DomainConnectRequest: the protocol signature it carries (16 bytes, or the literal
    /// `INCORRECTVERSION` bytes / any other length as sent).
    pub signature: Option<Vec<u8>>,
    /// DomainConnectRequest / DomainListRequest: the sender's node type (ownerType).
    pub owner_type: Option<u8>,
    /// DomainConnectionDenied: the reason code.
    pub denied_reason: Option<u8>,
}

/// How far a payload decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoded {
    /// Every byte is covered by fields (possibly with findings).
    Full,
    /// Some fields, then an undecoded or malformed remainder (with a finding).
    Partial,
    /// No decoder for this type: the caller shows the payload as undecoded.
    NotDecoded,
}

/// Packet types (§3.3) this module decodes.
pub mod types {
    pub const DOMAIN_LIST: u8 = 2;
    pub const PING: u8 = 3;
    pub const PING_REPLY: u8 = 4;
    pub const KILL_AVATAR: u8 = 5;
    pub const AVATAR_DATA: u8 = 6;
    pub const INJECT_AUDIO: u8 = 7;
    pub const MIXED_AUDIO: u8 = 8;
    pub const MIC_NO_ECHO: u8 = 9;
    pub const MIC_WITH_ECHO: u8 = 10;
    pub const BULK_AVATAR_DATA: u8 = 11;
    pub const SILENT_AUDIO_FRAME: u8 = 12;
    pub const DOMAIN_LIST_REQUEST: u8 = 13;
    pub const REQUEST_ASSIGNMENT: u8 = 14;
    pub const CREATE_ASSIGNMENT: u8 = 15;
    pub const DOMAIN_CONNECTION_DENIED: u8 = 16;
    pub const PATH_QUERY: u8 = 19;
    pub const PATH_RESPONSE: u8 = 20;
    pub const ADDED_NODE: u8 = 21;
    pub const ICE_PEER_INFORMATION: u8 = 22;
    pub const ICE_QUERY: u8 = 23;
    pub const AVATAR_IDENTITY: u8 = 29;
    pub const NODE_IGNORE_REQUEST: u8 = 30;
    pub const DOMAIN_CONNECT_REQUEST: u8 = 31;
    pub const ICE_HEARTBEAT: u8 = 38;
    pub const ICE_PING: u8 = 39;
    pub const ICE_PING_REPLY: u8 = 40;
    pub const ENTITY_QUERY: u8 = 42;
    pub const CONNECTION_TOKEN: u8 = 46;
    pub const REMOVED_NODE: u8 = 56;
    pub const MESSAGES_DATA: u8 = 57;
    pub const MESSAGES_SUBSCRIBE: u8 = 58;
    pub const MESSAGES_UNSUBSCRIBE: u8 = 59;
    pub const DOMAIN_DISCONNECT_REQUEST: u8 = 55;
    pub const ICE_HEARTBEAT_DENIED: u8 = 60;
    pub const ICE_HEARTBEAT_ACK: u8 = 63;
    pub const NEGOTIATE_AUDIO_FORMAT: u8 = 64;
    pub const SELECTED_AUDIO_FORMAT: u8 = 65;
    pub const AVATAR_QUERY: u8 = 72;
    pub const REQUESTS_DOMAIN_LIST_DATA: u8 = 73;
    pub const BULK_AVATAR_TRAITS: u8 = 100;
    pub const BULK_AVATAR_TRAITS_ACK: u8 = 102;

    // Decoded in the modules by server family.
    pub const MUTE_ENVIRONMENT: u8 = 17;
    pub const AUDIO_STREAM_STATS: u8 = 18;
    pub const OCTREE_STATS: u8 = 24;
    pub const SET_AVATAR_TRAITS: u8 = 25;
    pub const INJECTOR_GAIN_SET: u8 = 26;
    pub const ASSIGNMENT_CLIENT_STATUS: u8 = 27;
    pub const NOISY_MUTE: u8 = 28;
    pub const DOMAIN_SERVER_REQUIRE_DTLS: u8 = 32;
    pub const NODE_JSON_STATS: u8 = 33;
    pub const OCTREE_DATA_NACK: u8 = 34;
    pub const STOP_NODE: u8 = 35;
    pub const AUDIO_ENVIRONMENT: u8 = 36;
    pub const ENTITY_EDIT_NACK: u8 = 37;
    pub const ENTITY_DATA: u8 = 41;
    pub const ENTITY_ADD: u8 = 43;
    pub const ENTITY_ERASE: u8 = 44;
    pub const ENTITY_EDIT: u8 = 45;
    pub const DOMAIN_SETTINGS_REQUEST: u8 = 47;
    pub const DOMAIN_SETTINGS: u8 = 48;
    pub const ASSET_GET: u8 = 49;
    pub const ASSET_GET_REPLY: u8 = 50;
    pub const ASSET_UPLOAD: u8 = 51;
    pub const ASSET_UPLOAD_REPLY: u8 = 52;
    pub const ASSET_GET_INFO: u8 = 53;
    pub const ASSET_GET_INFO_REPLY: u8 = 54;
    pub const ASSET_MAPPING_OPERATION: u8 = 61;
    pub const ASSET_MAPPING_OPERATION_REPLY: u8 = 62;
    pub const NODE_KICK_REQUEST: u8 = 67;
    pub const NODE_MUTE_REQUEST: u8 = 68;
    pub const RADIUS_IGNORE_REQUEST: u8 = 69;
    pub const USERNAME_FROM_ID_REQUEST: u8 = 70;
    pub const USERNAME_FROM_ID_REPLY: u8 = 71;
    pub const PER_AVATAR_GAIN_SET: u8 = 74;
    pub const ENTITY_SCRIPT_GET_STATUS: u8 = 75;
    pub const ENTITY_SCRIPT_GET_STATUS_REPLY: u8 = 76;
    pub const RELOAD_ENTITY_SERVER_SCRIPT: u8 = 77;
    pub const ENTITY_PHYSICS: u8 = 78;
    pub const ENTITY_SERVER_SCRIPT_LOG: u8 = 79;
    pub const ADJUST_AVATAR_SORTING: u8 = 80;
    pub const OCTREE_FILE_REPLACEMENT: u8 = 81;
    pub const REPLICATED_MIC_NO_ECHO: u8 = 83;
    pub const REPLICATED_MIC_WITH_ECHO: u8 = 84;
    pub const REPLICATED_INJECT_AUDIO: u8 = 85;
    pub const REPLICATED_SILENT_AUDIO_FRAME: u8 = 86;
    pub const REPLICATED_AVATAR_IDENTITY: u8 = 87;
    pub const REPLICATED_KILL_AVATAR: u8 = 88;
    pub const REPLICATED_BULK_AVATAR_DATA: u8 = 89;
    pub const DOMAIN_CONTENT_REPLACEMENT_FROM_URL: u8 = 90;
    pub const ENTITY_SCRIPT_CALL_METHOD: u8 = 92;
    pub const OCTREE_DATA_FILE_REQUEST: u8 = 95;
    pub const OCTREE_DATA_FILE_REPLY: u8 = 96;
    pub const OCTREE_DATA_PERSIST: u8 = 97;
    pub const ENTITY_CLONE: u8 = 98;
    pub const ENTITY_QUERY_INITIAL_RESULTS_COMPLETE: u8 = 99;
    pub const AUDIO_SOLO_REQUEST: u8 = 101;
    pub const STOP_INJECTOR: u8 = 103;
    pub const AVATAR_ZONE_PRESENCE: u8 = 104;
    pub const WEBRTC_SIGNALING: u8 = 105;
}

/// The exact payload length of the types whose writer always writes the same number of bytes
/// (`protocols/overte.md` §7). The decoder reports any other length; the heuristic takes the
/// right length as an anchor.
pub fn fixed_len(t: u8) -> Option<usize> {
    FIXED_LEN[t as usize]
}

/// [`fixed_len`] of every type byte, worked out at compile time: one load per payload instead
/// of a walk through every module's table.
static FIXED_LEN: [Option<usize>; 256] = {
    let mut table = [None; 256];
    let mut t = 0;
    while t < 256 {
        table[t] = fixed_len_of(t as u8);
        t += 1;
    }
    table
};

const fn fixed_len_of(t: u8) -> Option<usize> {
    use types::*;
    let own = match t {
        PING | PING_REPLY | KILL_AVATAR | ICE_PING | ICE_PING_REPLY => Some(17),
        CONNECTION_TOKEN | REMOVED_NODE => Some(16),
        BULK_AVATAR_TRAITS_ACK => Some(8),
        REQUESTS_DOMAIN_LIST_DATA => Some(1),
        DOMAIN_DISCONNECT_REQUEST | ICE_HEARTBEAT_ACK | ICE_HEARTBEAT_DENIED => Some(0),
        _ => None,
    };
    let modules = [
        own,
        moderation::fixed_len(t),
        mixer::fixed_len(t),
        node::fixed_len(t),
        asset::fixed_len(t),
        script::fixed_len(t),
        entity::fixed_len(t),
    ];
    let mut i = 0;
    while i < modules.len() {
        if modules[i].is_some() {
            return modules[i];
        }
        i += 1;
    }
    None
}

/// Whether a payload of type `t` may teach the session layer something ([`Learned`]): the
/// types [`dissect`] hands `learned` to.
pub fn teaches(t: u8) -> bool {
    use types::*;
    matches!(
        t,
        DOMAIN_CONNECT_REQUEST
            | DOMAIN_LIST_REQUEST
            | DOMAIN_LIST
            | ADDED_NODE
            | REMOVED_NODE
            | DOMAIN_CONNECTION_DENIED
    )
}

/// Decodes one payload (the bytes after the NLPacket header).
pub fn dissect(cx: &PayloadCx, payload: &[u8], out: &mut Dissection, learned: &mut Learned) -> Decoded {
    use types::*;
    let t = cx.packet_type;
    let mut r = Rd::with_out(payload, out);
    r.version = cx.version;
    r.ends = cx.ends;
    if let Some(want) = fixed_len(t) {
        if payload.len() != want {
            r.quiet = true;
            let len = payload.len();
            r.expert(&fields::WRONG_LENGTH, 0, len, || match t {
                PING | PING_REPLY => ping::length_message(t == PING_REPLY, len),
                _ if want == 0 => format!(
                    "payload is {len} bytes; this type carries none: the receiver acts on the type alone and \
                     ignores them"
                ),
                _ if len < want => format!(
                    "payload is {len} bytes, not {want}: the receiver reads past the end for the missing {} bytes",
                    want - len
                ),
                _ => format!("payload is {len} bytes, not {want}: the receiver ignores the {} extra bytes", len - want),
            });
        }
    }
    match t {
        DOMAIN_CONNECT_REQUEST => domain::dissect_connect(&mut r, learned),
        DOMAIN_LIST_REQUEST => domain::dissect_list_request(&mut r, learned),
        DOMAIN_LIST => domain::dissect_list(&mut r, learned),
        ADDED_NODE => domain::dissect_added_node(&mut r, learned),
        REMOVED_NODE => domain::dissect_removed(&mut r, learned),
        CONNECTION_TOKEN => domain::dissect_token(&mut r),
        DOMAIN_CONNECTION_DENIED => text::dissect_denied(&mut r, learned),
        PATH_QUERY => text::dissect_path_query(&mut r),
        PATH_RESPONSE => text::dissect_path_response(&mut r),
        PING => ping::dissect(&mut r, false),
        PING_REPLY => ping::dissect(&mut r, true),
        ICE_HEARTBEAT => ice::dissect_heartbeat(&mut r),
        ICE_QUERY => ice::dissect_query(&mut r),
        ICE_PEER_INFORMATION => ice::dissect_peer(&mut r),
        ICE_PING | ICE_PING_REPLY => ice::dissect_ping(&mut r),
        DOMAIN_DISCONNECT_REQUEST | ICE_HEARTBEAT_ACK | ICE_HEARTBEAT_DENIED => {}
        REQUESTS_DOMAIN_LIST_DATA => {
            r.bool8(&fields::REQUESTS_DOMAIN_LIST_DATA);
        }
        NEGOTIATE_AUDIO_FORMAT => audio::dissect_negotiate(&mut r),
        SELECTED_AUDIO_FORMAT => audio::dissect_selected(&mut r),
        INJECT_AUDIO | MIXED_AUDIO | MIC_NO_ECHO | MIC_WITH_ECHO | SILENT_AUDIO_FRAME => {
            audio::dissect_frame(&mut r, t)
        }
        AVATAR_DATA => avatar::dissect_avatar_data(&mut r),
        BULK_AVATAR_DATA => avatar::dissect_bulk(&mut r),
        AVATAR_IDENTITY => avatar::dissect_identity(&mut r),
        KILL_AVATAR => avatar::dissect_kill(&mut r),
        BULK_AVATAR_TRAITS => avatar::dissect_traits(&mut r),
        BULK_AVATAR_TRAITS_ACK => avatar::dissect_traits_ack(&mut r),
        NODE_IGNORE_REQUEST => avatar::dissect_ignore(&mut r),
        AVATAR_QUERY => query::dissect_avatar_query(&mut r),
        ENTITY_QUERY => query::dissect_entity_query(&mut r),
        MESSAGES_DATA => messages::dissect_data(&mut r),
        MESSAGES_SUBSCRIBE | MESSAGES_UNSUBSCRIBE => messages::dissect_subscribe(&mut r),
        REQUEST_ASSIGNMENT | CREATE_ASSIGNMENT => assignment::dissect(&mut r),
        _ if moderation::decodes(t) => moderation::dissect(&mut r, t),
        _ if mixer::decodes(t) => mixer::dissect(&mut r, t),
        _ if node::decodes(t) => node::dissect(&mut r, t),
        _ if asset::decodes(t) => asset::dissect(&mut r, t),
        _ if script::decodes(t) => script::dissect(&mut r, t),
        _ if entity::decodes(t) => entity::dissect(&mut r, t),
        _ if octree_stats::decodes(t) => octree_stats::dissect(&mut r, t),
        _ => return Decoded::NotDecoded,
    }
    finish(r)
}

/// Covers what is left: the undecoded rest after an error, or trailing bytes.
pub(crate) fn finish(mut r: Rd) -> Decoded {
    let len = r.data.len();
    let Some(out) = r.out.as_deref_mut() else { return Decoded::Full };
    match r.err {
        Some(WireError::Short { at, .. } | WireError::Malformed { at, .. }) => {
            let at = at.min(len);
            if at < len {
                out.add(&fields::UNDECODED, at, len - at, Value::Bytes);
            }
            Decoded::Partial
        }
        None if r.pos < len => {
            let at = r.pos;
            out.add(&fields::TRAILING, at, len - at, Value::Bytes);
            if !r.quiet {
                out.expert_at(
                    &fields::TRAILING_BYTES,
                    at,
                    len - at,
                    format!("{} bytes after the last field: the receiver does not read them", len - at),
                );
            }
            Decoded::Full
        }
        None => Decoded::Full,
    }
}
