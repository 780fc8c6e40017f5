//! NLPacket payload decoders, one module per packet family (`protocols/overte.md` §5).
//!
//! The caller (the NLPacket layer) has already decoded the UDT and NLPacket headers, set the
//! dissection's cursor to the first payload byte, and handles reassembly, HMACs and sessions.
//! A decoder adds `overte.<payload>.*` fields with offsets relative to the payload start,
//! raises payload-level findings, appends a few words to the info column, and reports what the
//! session layer must learn (local IDs, secrets, node types, the protocol signature) in
//! [`Learned`].

use std::net::SocketAddr;
use udpdissect_core::{Dissection, ExpertInfo, FieldInfo};

/// What the payload decoder is told about the packet.
#[derive(Debug, Clone, Copy)]
pub struct PayloadCx {
    /// NLPacket type (0..=105 known; others possible).
    pub packet_type: u8,
    /// NLPacket version byte as sent.
    pub version: u8,
    /// Whether the bytes are a reassembled multi-part message rather than one datagram.
    pub reassembled: bool,
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

/// Every payload field, for `--list-fields` and the filter catalog.
pub static FIELDS: &[&FieldInfo] = &[];
/// Every payload-level finding.
pub static EXPERTS: &[&ExpertInfo] = &[];

/// Decodes one payload (the bytes after the NLPacket header).
pub fn dissect(cx: &PayloadCx, payload: &[u8], out: &mut Dissection, learned: &mut Learned) -> Decoded {
    let _ = (cx, payload, out, learned);
    Decoded::NotDecoded
}
