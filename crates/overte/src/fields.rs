//! Field keys and expert tags of the UDT / NLPacket / session layers (the payload decoders list
//! their own in `payload`), and the protocol registration that lists both.

use crate::payload;
use udpdissect_core::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, Missing, ProtocolInfo, Severity};

/// Conventional ports: domain server, ICE server, assignment clients (48000 + type).
pub const PORTS: &[u16] = &[40102, 7337, 48000, 48001, 48002, 48003, 48004, 48005, 48006];

static OWN_FIELDS: &[&FieldInfo] = &[
    &OVERTE,
    &UDT,
    &UDT_CONTROL,
    &UDT_RELIABLE,
    &UDT_MESSAGE,
    &UDT_OBFUSCATION,
    &UDT_SEQ,
    &UDT_POSITION,
    &UDT_MESSAGE_NUMBER,
    &UDT_PART,
    &CONTROL_TYPE,
    &CONTROL_RESERVED,
    &CONTROL_ACK_SEQ,
    &CONTROL_ISN,
    &CONTROL_HANDSHAKE,
    &CONTROL_ACKED,
    &NL,
    &TYPE,
    &VERSION,
    &EXPECTED_VERSION,
    &SOURCE_ID,
    &HMAC,
    &HMAC_STATUS,
    &HMAC_SECRET_FRAME,
    &PAYLOAD,
    &FRAGMENT,
    &REASSEMBLED_PARTS,
    &REASSEMBLED_LEN,
    &REASSEMBLED_FRAME,
    &SENDER,
    &RECEIVER,
    &ASSIGNED_FRAME,
    &SIGNATURE_STATUS,
    &SEQ_STATUS,
    &SEQ_MISSING,
    &SEQ_ORIGINAL,
    &SEQ_HANDSHAKE,
    &KEEPALIVE_INTERVAL,
    &TRAILING,
];

static OWN_EXPERTS: &[&ExpertInfo] = &[
    &MALFORMED,
    &UDT_BIG_ENDIAN,
    &BAD_FLAGS,
    &UNKNOWN_CONTROL,
    &UNKNOWN_TYPE,
    &VERSION_MISMATCH,
    &SOURCE_ID_BYTE_SWAPPED,
    &SOURCE_ID_UNKNOWN,
    &SOURCE_ID_UNEXPECTED,
    &SOURCE_ID_MISSING,
    &VERIFIED_TO_DOMAIN_SERVER,
    &HMAC_MISMATCH,
    &HMAC_ZERO,
    &SIGNATURE_MISMATCH,
    &SIGNATURE_INCORRECT_VERSION,
    &NODE_SILENT,
    &KEEPALIVE_LATE,
    &RETRANSMISSION,
    &DUPLICATE,
    &SEQ_GAP,
    &HANDSHAKE_MISMATCH,
    &REASSEMBLY_LIMIT,
];

const fn concat<T: Copy, const N: usize>(a: &[T], b: &[T], fill: T) -> [T; N] {
    let mut out = [fill; N];
    let mut i = 0;
    while i < a.len() {
        out[i] = a[i];
        i += 1;
    }
    while i < N {
        out[i] = b[i - a.len()];
        i += 1;
    }
    out
}

const N_FIELDS: usize = OWN_FIELDS.len() + payload::FIELDS.len();
const N_EXPERTS: usize = OWN_EXPERTS.len() + payload::EXPERTS.len();
static ALL_FIELDS: [&FieldInfo; N_FIELDS] = concat(OWN_FIELDS, payload::FIELDS, &OVERTE);
static ALL_EXPERTS: [&ExpertInfo; N_EXPERTS] = concat(OWN_EXPERTS, payload::EXPERTS, &MALFORMED);

pub static PROTOCOL: ProtocolInfo = ProtocolInfo {
    name: "overte",
    column: "Overte",
    columns: &[],
    long_name: "Overte (High Fidelity / Vircadia) UDT and NLPacket",
    ports: PORTS,
    heuristic: true,
    fields: &ALL_FIELDS,
    experts: &ALL_EXPERTS,
    prefs: &[
        (
            "versions",
            "FILE of 'TYPE VERSION' lines (type name or number; # comments) overriding the built-in version table",
        ),
        ("silence_threshold", "seconds a domain server waits for a node before removing it (default 10)"),
    ],
    // Random per connection or computed from the capture.
    volatile: &[
        "overte.udt.seq",
        "overte.udt.message_number",
        "overte.control.ack_seq",
        "overte.control.isn",
        "overte.control.handshake",
        "overte.control.acked",
        "overte.source_id",
        "overte.hmac",
        "overte.hmac.secret_frame",
        "overte.reassembled.frame",
        "overte.assigned_frame",
        "overte.seq.original",
        "overte.seq.handshake",
        "overte.keepalive.interval",
        // Per session, per machine or per clock: another run, another value.
        "overte.seq.status",
        "overte.connect.connect_uuid",
        "overte.connect.hardware_address",
        "overte.connect.machine_fingerprint",
        "overte.connect.system_info",
        "overte.connect.system_info.size",
        "overte.connect.system_info.zlib",
        "overte.connect.system_info.json",
        "overte.connect.previous_uptime",
        "overte.check_in.timestamp",
        "overte.check_in.domain_tokens",
        "overte.domain_list.session_uuid",
        "overte.domain_list.domain_local_id",
        "overte.domain_list.your_uuid",
        "overte.domain_list.your_local_id",
        "overte.domain_list.last_check_in",
        "overte.domain_list.server_time",
        "overte.domain_list.processing_time",
        "overte.node.uuid",
        "overte.node.local_id",
        "overte.node.secret",
        "overte.removed_node.uuid",
        "overte.connection_token.token",
        "overte.ping.timestamp",
        "overte.ping.connection_id",
        "overte.ping.reply_timestamp",
        "overte.ice.id",
        "overte.ice.domain_id",
        "overte.audio.sequence",
        "overte.avatar.sequence",
        "overte.avatar.session_uuid",
        "overte.identity.session_uuid",
        "overte.identity.sequence",
        "overte.kill_avatar.uuid",
        "overte.entity_query.connection_id",
        "overte.traits.sequence",
        "overte.traits.avatar_id",
        "overte.ignore.uuid",
        "overte.assignment.uuid",
        // The payloads decoded by server family: session and request identities, counters,
        // clocks and measurements.
        "overte.traits.instance_id",
        "overte.traits.version",
        "overte.gain.node",
        "overte.kick.node",
        "overte.mute.node",
        "overte.username.node",
        "overte.solo.node",
        "overte.stop_injector.stream_id",
        "overte.zone_presence.avatar",
        "overte.stream_stats.stream_id",
        "overte.stream_stats.time_gap_min",
        "overte.stream_stats.time_gap_max",
        "overte.stream_stats.time_gap_avg",
        "overte.stream_stats.time_gap_window_min",
        "overte.stream_stats.time_gap_window_max",
        "overte.stream_stats.time_gap_window_avg",
        "overte.stream_stats.frames_available",
        "overte.stream_stats.frames_available_avg",
        "overte.stream_stats.unplayed_ms",
        "overte.stream_stats.starve_count",
        "overte.stream_stats.consecutive_not_mixed",
        "overte.stream_stats.overflow_count",
        "overte.stream_stats.frames_dropped",
        "overte.stream_stats.expected_received",
        "overte.stream_stats.unreasonable",
        "overte.stream_stats.early",
        "overte.stream_stats.late",
        "overte.stream_stats.lost",
        "overte.stream_stats.recovered",
        "overte.stream_stats.duplicate",
        "overte.replicated.node_id",
        "overte.replicated_bulk.node_id",
        "overte.ac_status.child_id",
        "overte.node_stats.root_size",
        "overte.node_stats.table_offset",
        "overte.node_stats.body",
        "overte.node_stats.json",
        "overte.webrtc.json",
        "overte.octree.id",
        "overte.octree.data_version",
        "overte.octree.data_version_high",
        "overte.asset.message_id",
        "overte.entity_script.message_id",
        "overte.entity_script.log",
        "overte.octree.sequence",
        "overte.octree.sent_time",
        "overte.octree.exit_sequence",
        "overte.octree.nack_sequence",
        "overte.octree.section_length",
        "overte.octree.uncompressed_size",
        "overte.octree.zlib",
        "overte.entity.created",
        "overte.entity.last_edited",
        "overte.entity.update_delta",
        "overte.entity.simulated_delta",
        "overte.entity.created_property",
        "overte.entity.last_edited_by",
        "overte.entity.simulation_owner",
        "overte.entity.script_timestamp",
        "overte.entity.new_id",
        // OctreeStats: clocks and counters; a piggyback's unstamped ID and hash slot.
        "overte.octree_stats.start",
        "overte.octree_stats.end",
        "overte.octree_stats.elapsed",
        "overte.octree_stats.encode_time",
        "overte.octree_stats.packets",
        "overte.octree_stats.bytes",
        "overte.octree_stats.total_internal",
        "overte.octree_stats.total_leaves",
        "overte.octree_stats.total_elements",
        "overte.octree_stats.internal",
        "overte.octree_stats.leaves",
        "overte.octree_stats.traversed",
        "overte.octree_stats.internal_skipped_distance",
        "overte.octree_stats.leaves_skipped_distance",
        "overte.octree_stats.skipped_distance",
        "overte.octree_stats.internal_skipped_out_of_view",
        "overte.octree_stats.leaves_skipped_out_of_view",
        "overte.octree_stats.skipped_out_of_view",
        "overte.octree_stats.internal_skipped_was_in_view",
        "overte.octree_stats.leaves_skipped_was_in_view",
        "overte.octree_stats.skipped_was_in_view",
        "overte.octree_stats.internal_skipped_no_change",
        "overte.octree_stats.leaves_skipped_no_change",
        "overte.octree_stats.skipped_no_change",
        "overte.octree_stats.internal_skipped_occluded",
        "overte.octree_stats.leaves_skipped_occluded",
        "overte.octree_stats.skipped_occluded",
        "overte.octree_stats.internal_color_sent",
        "overte.octree_stats.leaves_color_sent",
        "overte.octree_stats.color_sent",
        "overte.octree_stats.internal_didnt_fit",
        "overte.octree_stats.leaves_didnt_fit",
        "overte.octree_stats.didnt_fit",
        "overte.octree_stats.color_bits",
        "overte.octree_stats.exists_bits",
        "overte.octree_stats.exists_in_packet_bits",
        "overte.octree_stats.trees_removed",
        "overte.octree_stats.piggyback_source_id",
        "overte.octree_stats.piggyback_hmac",
    ],
};

pub static OVERTE: FieldInfo = FieldInfo::new("overte", "Overte", K::None, "the datagram");
pub static UDT: FieldInfo = FieldInfo::new("overte.udt", "UDT header", K::None, "little-endian header words");
pub static UDT_CONTROL: FieldInfo =
    FieldInfo::new("overte.udt.control", "Control", K::Bool, "bit 31 of the first word: a control packet");
pub static UDT_RELIABLE: FieldInfo =
    FieldInfo::new("overte.udt.reliable", "Reliable", K::Bool, "bit 30: in the handshaked, ACKed stream");
pub static UDT_MESSAGE: FieldInfo =
    FieldInfo::new("overte.udt.message", "Message", K::Bool, "bit 29: part of an ordered message (two more words)");
pub static UDT_OBFUSCATION: FieldInfo =
    FieldInfo::new("overte.udt.obfuscation", "Obfuscation level", K::Unsigned, "bits 27-28: XOR key 0-3");
pub static UDT_SEQ: FieldInfo = FieldInfo::new("overte.udt.seq", "Sequence number", K::Unsigned, "bits 0-26");
pub static UDT_POSITION: FieldInfo =
    FieldInfo::new("overte.udt.message_position", "Message position", K::Enum, "0 ONLY, 1 LAST, 2 FIRST, 3 MIDDLE");
pub static UDT_MESSAGE_NUMBER: FieldInfo =
    FieldInfo::new("overte.udt.message_number", "Message number", K::Unsigned, "30 bits of the second word");
pub static UDT_PART: FieldInfo =
    FieldInfo::new("overte.udt.message_part", "Message part", K::Unsigned, "third word: part number from 0");
pub static CONTROL_TYPE: FieldInfo = FieldInfo::new(
    "overte.control.type",
    "Control type",
    K::Enum,
    "0 ACK, 1 Handshake, 2 HandshakeACK, 3 HandshakeRequest",
);
pub static CONTROL_RESERVED: FieldInfo =
    FieldInfo::new("overte.control.reserved", "Reserved", K::Hex, "low 16 bits of a control word (zero)");
pub static CONTROL_ACK_SEQ: FieldInfo = FieldInfo::new(
    "overte.control.ack_seq",
    "ACK sequence number",
    K::Unsigned,
    "last reliable sequence number received in order",
);
pub static CONTROL_ISN: FieldInfo = FieldInfo::new(
    "overte.control.isn",
    "Initial sequence number",
    K::Unsigned,
    "Handshake: the sender's first reliable sequence number; HandshakeACK: its echo",
);
pub static CONTROL_HANDSHAKE: FieldInfo =
    FieldInfo::new("overte.control.handshake", "Handshake", K::Frame, "the Handshake a HandshakeACK answers");
pub static CONTROL_ACKED: FieldInfo =
    FieldInfo::new("overte.control.acked", "Acknowledged packet", K::Frame, "the reliable packet an ACK names");
pub static NL: FieldInfo = FieldInfo::new("overte.nl", "NLPacket header", K::None, "type, version, source, hash");
pub static TYPE: FieldInfo = FieldInfo::new("overte.type", "Packet type", K::Enum, "PacketType (0-105)");
pub static VERSION: FieldInfo = FieldInfo::new("overte.version", "Version", K::Unsigned, "packet version");
pub static EXPECTED_VERSION: FieldInfo = FieldInfo::new(
    "overte.expected_version",
    "Expected version",
    K::Unsigned,
    "the version table's version for the type, when the packet's differs",
);
pub static SOURCE_ID: FieldInfo =
    FieldInfo::new("overte.source_id", "Source Local ID", K::Hex, "sender's Local ID, little-endian (sourced types)");
pub static HMAC: FieldInfo =
    FieldInfo::new("overte.hmac", "Verification hash", K::Bytes, "HMAC-MD5 over the rest of the datagram");
pub static HMAC_STATUS: FieldInfo = FieldInfo::new(
    "overte.hmac.status",
    "Hash status",
    K::Enum,
    "0 valid, 1 invalid, 2 zero (no secret), 3 no key in the capture, 4 to the domain server (no secret there)",
);
pub static HMAC_SECRET_FRAME: FieldInfo =
    FieldInfo::new("overte.hmac.secret_frame", "Secret from", K::Frame, "frame that carried the connection secret");
pub static PAYLOAD: FieldInfo = FieldInfo::new("overte.payload", "Payload", K::Bytes, "payload no decoder reads");
pub static FRAGMENT: FieldInfo =
    FieldInfo::new("overte.fragment", "Message fragment", K::Bytes, "this datagram's part of a multi-part message");
pub static REASSEMBLED_PARTS: FieldInfo =
    FieldInfo::new("overte.reassembled.parts", "Parts", K::Unsigned, "datagrams of the reassembled message");
pub static REASSEMBLED_LEN: FieldInfo =
    FieldInfo::new("overte.reassembled.len", "Reassembled length", K::Unsigned, "bytes of the message body");
pub static REASSEMBLED_FRAME: FieldInfo =
    FieldInfo::new("overte.reassembled.frame", "Part in frame", K::Frame, "frame of each part, in part order");
pub static SENDER: FieldInfo =
    FieldInfo::new("overte.sender", "Sender", K::String, "sender's node type (from DomainList and check-ins)");
pub static RECEIVER: FieldInfo = FieldInfo::new("overte.receiver", "Receiver", K::String, "receiver's node type");
pub static ASSIGNED_FRAME: FieldInfo = FieldInfo::new(
    "overte.assigned_frame",
    "Local ID assigned in",
    K::Frame,
    "the DomainList that assigned the sender's Local ID",
);
pub static SIGNATURE_STATUS: FieldInfo = FieldInfo::new(
    "overte.signature.status",
    "Protocol signature",
    K::Enum,
    "DomainConnectRequest: 0 matches the version table, 1 differs, 2 INCORRECTVERSION",
);
pub static SEQ_STATUS: FieldInfo = FieldInfo::new(
    "overte.seq.status",
    "Sequence",
    K::Enum,
    "0 next, 1 first seen, 2 gap, 3 retransmission, 4 duplicate, 5 out of order",
);
pub static SEQ_MISSING: FieldInfo =
    FieldInfo::new("overte.seq.missing", "Missing packets", K::Unsigned, "sequence numbers skipped before this one");
pub static SEQ_ORIGINAL: FieldInfo =
    FieldInfo::new("overte.seq.original", "Original in", K::Frame, "the first packet with this sequence number");
pub static SEQ_HANDSHAKE: FieldInfo = FieldInfo::new(
    "overte.seq.handshake",
    "Announced in",
    K::Frame,
    "the Handshake whose initial sequence number this first reliable packet carries",
);
pub static KEEPALIVE_INTERVAL: FieldInfo = FieldInfo::new(
    "overte.keepalive.interval",
    "Keep-alive interval",
    K::Duration,
    "time since the previous keep-alive (DomainListRequest, Ping) on this path",
);
pub static TRAILING: FieldInfo =
    FieldInfo::new("overte.trailing", "Trailing bytes", K::Bytes, "bytes after a control packet's fields");

pub static MALFORMED: ExpertInfo = ExpertInfo::new(
    "overte.malformed",
    Severity::Error,
    ExpertGroup::Malformed,
    "the datagram is too short for its headers; the receiver drops it",
);
pub static UDT_BIG_ENDIAN: ExpertInfo = ExpertInfo::new(
    "overte.udt_big_endian",
    Severity::Error,
    ExpertGroup::Protocol,
    "the UDT header word reads right only big-endian; the real peer reads it little-endian",
);
pub static BAD_FLAGS: ExpertInfo = ExpertInfo::new(
    "overte.bad_flags",
    Severity::Warn,
    ExpertGroup::Protocol,
    "UDT flags the real sender never combines (message without reliable, obfuscated unreliable packet)",
);
pub static UNKNOWN_CONTROL: ExpertInfo = ExpertInfo::new(
    "overte.unknown_control",
    Severity::Warn,
    ExpertGroup::Undecoded,
    "a control type other than 0-3; the receiver ignores it",
);
pub static UNKNOWN_TYPE: ExpertInfo = ExpertInfo::new(
    "overte.unknown_type",
    Severity::Warn,
    ExpertGroup::Undecoded,
    "a packet type outside the 106 known ones; no listener handles it",
);
pub static VERSION_MISMATCH: ExpertInfo = ExpertInfo::new(
    "overte.version_mismatch",
    Severity::Warn,
    ExpertGroup::Protocol,
    "the version differs from the version table; a receiver built from that table drops the packet",
);
pub static SOURCE_ID_BYTE_SWAPPED: ExpertInfo = ExpertInfo::new(
    "overte.source_id_byte_swapped",
    Severity::Error,
    ExpertGroup::Protocol,
    "the source ID is an assigned Local ID with its bytes swapped (written big-endian)",
);
pub static SOURCE_ID_UNKNOWN: ExpertInfo = ExpertInfo::new(
    "overte.source_id_unknown",
    Severity::Warn,
    ExpertGroup::Protocol,
    "the source ID matches no Local ID assigned in the capture; the receiver drops packets from unknown nodes",
);
pub static SOURCE_ID_UNEXPECTED: ExpertInfo = ExpertInfo::new(
    "overte.source_id_unexpected",
    Severity::Error,
    ExpertGroup::Protocol,
    "a non-sourced type written with a source ID; the receiver reads those bytes as payload",
);
pub static SOURCE_ID_MISSING: ExpertInfo = ExpertInfo::new(
    "overte.source_id_missing",
    Severity::Error,
    ExpertGroup::Protocol,
    "a sourced type written without its source ID (and hash slot); the receiver reads payload bytes as them",
);
pub static VERIFIED_TO_DOMAIN_SERVER: ExpertInfo = ExpertInfo::new(
    "overte.verified_to_domain_server",
    Severity::Warn,
    ExpertGroup::Protocol,
    "a sourced, verified packet to the domain server, which holds no secret for it and fails it when authentication is on",
);
// The HMAC is the packet's integrity check: Checksum, as a CRC.
pub static HMAC_MISMATCH: ExpertInfo = ExpertInfo::new(
    "overte.hmac_mismatch",
    Severity::Error,
    ExpertGroup::Checksum,
    "the hash is not the HMAC-MD5 of the datagram under the connection secret; the receiver drops it",
);
pub static HMAC_ZERO: ExpertInfo = ExpertInfo::new(
    "overte.hmac_zero",
    Severity::Warn,
    ExpertGroup::Checksum,
    "the hash slot is zero (the sender had no secret) while the receiver holds one; it drops the packet",
);
pub static SIGNATURE_MISMATCH: ExpertInfo = ExpertInfo::new(
    "overte.signature_mismatch",
    Severity::Warn,
    ExpertGroup::Protocol,
    "the protocol signature differs from the version table's; such a domain server denies the connection",
);
pub static SIGNATURE_INCORRECT_VERSION: ExpertInfo = ExpertInfo::new(
    "overte.signature_incorrect_version",
    Severity::Warn,
    ExpertGroup::Protocol,
    "the literal INCORRECTVERSION signature of a development build; every domain server denies it",
);
pub static NODE_SILENT: ExpertInfo = ExpertInfo::new(
    "overte.node_silent",
    Severity::Warn,
    ExpertGroup::Sequence,
    "the domain server has not heard from a node past its silence threshold and removes it",
)
.when_missing(Missing::Named);
pub static KEEPALIVE_LATE: ExpertInfo = ExpertInfo::new(
    "overte.keepalive_late",
    Severity::Note,
    ExpertGroup::Sequence,
    "a keep-alive more than 2 s after the previous one; the official client sends one every second",
)
.when_missing(Missing::Sender);
pub static RETRANSMISSION: ExpertInfo = ExpertInfo::new(
    "overte.retransmission",
    Severity::Note,
    ExpertGroup::Sequence,
    "a reliable packet sent again (no ACK in time); the receiver keeps the first copy it gets",
)
.when_missing(Missing::Peer);
pub static DUPLICATE: ExpertInfo = ExpertInfo::new(
    "overte.duplicate",
    Severity::Warn,
    ExpertGroup::Sequence,
    "an unreliable sequence number seen again or going backwards; the real sender never resends unreliable packets",
);
pub static SEQ_GAP: ExpertInfo = ExpertInfo::new(
    "overte.seq_gap",
    Severity::Note,
    ExpertGroup::Sequence,
    "sequence numbers skipped: packets lost, or not captured",
)
.when_missing(Missing::Sender);
pub static HANDSHAKE_MISMATCH: ExpertInfo = ExpertInfo::new(
    "overte.handshake_mismatch",
    Severity::Warn,
    ExpertGroup::Sequence,
    "the reliable stream does not start at (or the HandshakeACK does not echo) the handshake's initial sequence number",
);
pub static REASSEMBLY_LIMIT: ExpertInfo = ExpertInfo::new(
    "overte.reassembly_limit",
    Severity::Note,
    ExpertGroup::Reassemble,
    "a message exceeded the reassembly bounds (1 MiB, pending messages); its parts are shown undecoded",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_tags_are_unique_and_prefixed() {
        let mut keys: Vec<_> = PROTOCOL.fields.iter().map(|f| f.key).collect();
        assert!(keys.iter().all(|k| *k == "overte" || k.starts_with("overte.")));
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
        let mut tags: Vec<_> = PROTOCOL.experts.iter().map(|e| e.tag).collect();
        assert!(tags.iter().all(|t| t.starts_with("overte.")));
        tags.sort_unstable();
        tags.dedup();
        assert_eq!(tags.len(), PROTOCOL.experts.len());
        assert!(PROTOCOL.volatile.iter().all(|v| keys.contains(v)));
    }
}
