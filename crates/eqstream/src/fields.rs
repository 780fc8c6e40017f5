//! Field keys and expert tags: the stable names users filter and assert on.

use udpdissect_core::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, Missing, ProtocolInfo, Severity};

/// EQEmu login (5998, 5999, 15900), live EQ1 login (15900–15910), world (9000, live up to
/// 9020), EQEmu chat (7778, live 9875/9876), EQ2Emu login/world (9100, 9001, 5999, 9000),
/// the Rewrite's zone (9106). EQEmu zones (7000–7999) are found by the heuristics.
pub const PORTS: &[u16] = &[
    5998, 5999, 7778, 9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009, 9010, 9011, 9012, 9013, 9014, 9015,
    9016, 9017, 9018, 9019, 9020, 9100, 9106, 9875, 9876, 15900, 15901, 15902, 15903, 15904, 15905, 15906, 15907,
    15908, 15909, 15910,
];

pub static PROTOCOL: ProtocolInfo = ProtocolInfo {
    name: "eqstream",
    column: "EQStream",
    columns: &[],
    long_name: "EQStream (EverQuest / EverQuest II session protocol)",
    ports: PORTS,
    heuristic: true,
    fields: &[
        &EQ,
        &OP,
        &CRC,
        &CRC_STATUS,
        &CRC_EXPECTED,
        &CRC_KEY,
        &FLAG,
        &REQ_VERSION,
        &REQ_SESSION,
        &REQ_MAX_LEN,
        &REQ_TAG,
        &RESP_SESSION,
        &RESP_KEY,
        &RESP_CRC_BYTES,
        &RESP_PASS1,
        &RESP_PASS2,
        &RESP_MAX_LEN,
        &RESP_UNKNOWN,
        &DISC_SESSION,
        &DISC_REASON,
        &STAT_REQUEST_ID,
        &STAT_LAST_LOCAL,
        &STAT_AVERAGE,
        &STAT_LOW,
        &STAT_HIGH,
        &STAT_LAST_REMOTE,
        &STAT_SENT,
        &STAT_RECEIVED,
        &STAT_SERVER_TIME,
        &STAT_CLIENT_SENT,
        &STAT_CLIENT_RECV,
        &STAT_SERVER_SENT,
        &STAT_SERVER_RECV,
        &STAT_RESPONSE_TO,
        &OOS_VALUE,
        &SEQ,
        &CHANNEL,
        &SEQ_STATUS,
        &SEQ_EXPECTED,
        &ORIGINAL_FRAME,
        &ACK,
        &ACK_FRAME,
        &ACK_RTT,
        &FRAG_TOTAL,
        &FRAG_DATA,
        &FRAG_COLLECTED,
        &REASSEMBLED,
        &REASSEMBLED_FIRST,
        &COMBINED_ENTRY,
        &COMBINED_LEN,
        &COMBINED_COUNT,
        &DELIVERED,
        &DATA,
        &APP,
        &ESCAPE,
        &EQ1_OPCODE,
        &EQ1_BODY,
        &EQ2_FLAG,
        &EQ2_OPCODE,
        &EQ2_BODY,
        &EQ2_ENCRYPTED,
        &EQ2_NOT_DECRYPTABLE,
        &EQ2_INFLATED_LEN,
        &KEYGEN_MODULUS_LEN,
        &KEYGEN_MODULUS,
        &KEYGEN_EXPONENT_LEN,
        &KEYGEN_EXPONENT,
        &KEY_REPLY,
        &RC4_KEY,
        &LOGIN_ACCESS_CODE,
        &LOGIN_USERNAME,
        &LOGIN_PASSWORD,
        &LOGIN_ACCOUNT,
        &LOGIN_VERSION,
    ],
    experts: &[
        &MALFORMED,
        &CRC_MISMATCH,
        &CRC_LENGTH_MISMATCH,
        &CRC_KEY_RECOVERED,
        &NO_HANDSHAKE,
        &UNKNOWN_OPCODE,
        &COMBINED_COUNT_BYTE,
        &RESPONSE_LAYOUT,
        &FRAGMENT_LAYOUT,
        &COMBINED_LENGTH_ESCAPE,
        &FRAGMENT_TOO_LARGE,
        &INFLATE_FAILED,
        &INFLATE_LIMIT,
        &STREAMS_FULL,
        &STREAM_LOST,
        &NO_RC4_KEY,
        &RSA_KEY,
        &SEQ_GAP,
        &OUT_OF_ORDER,
        &DUPLICATE,
        &RETRANSMISSION,
        &ACK_UNSENT,
        &SESSION_RESET,
        &OUT_OF_SESSION,
        &DEPTH_LIMIT,
        &REORDER_LIMIT,
    ],
    prefs: &[
        ("eq1_opcodes", "EQ1 opcode names: a file in EQEmu's patch_*.conf format (OP_Name=0x1234)"),
        ("eq2_opcodes", "EQ2 opcode names: a CSV file of name,opcode[,version_low,version_high]"),
        ("rc4_key", "EQ2 RC4 key K as 16 hex digits (the 64-bit value of the client's key reply), for every session"),
        ("keylog", "EQ2 key log file: lines 'SESSION_ID|CLIENT_IP:PORT|* KEY' (docs/eqstream.md)"),
        (
            "rc4_key_source",
            "where EQ2 RC4 keys come from: 'reply' (the client's key reply, default) or 'session' (the user's notes: the SessionResponse key as 4 RC4 key bytes)",
        ),
        ("game", "auto (default), eq1 or eq2: how application data is read when the capture does not tell"),
        (
            "max_streams",
            "EQ2 zlib streams kept at once, 1 to 65536 (default 512, about 42 KiB each): past it the least recently used is dropped",
        ),
    ],
    volatile: &[
        "eqstream.session_request.session_id",
        "eqstream.session_response.session_id",
        "eqstream.session_response.key",
        "eqstream.crc",
        "eqstream.crc.expected",
        "eqstream.crc.recovered_key",
        "eqstream.disconnect.session_id",
        "eqstream.stat.server_time",
        "eqstream.ack.rtt",
        "eqstream.ack.frame",
        "eqstream.stat.response_to",
        "eqstream.original_frame",
        "eqstream.delivered_from",
        "eqstream.reassembled.first_frame",
        "eqstream.eq2.encrypted",
        "eqstream.eq2.key_reply",
        "eqstream.eq2.rc4_key",
        "eqstream.eq2.login.access_code",
        "eqstream.eq2.login.account_id",
    ],
};

const fn f(key: &'static str, name: &'static str, kind: K, desc: &'static str) -> FieldInfo {
    FieldInfo::new(key, name, kind, desc)
}

pub static EQ: FieldInfo = f("eqstream", "EQStream", K::None, "an EQStream datagram");
pub static OP: FieldInfo = f("eqstream.op", "Opcode", K::Enum, "protocol opcode, the byte after the 00 marker");
pub static CRC: FieldInfo =
    f("eqstream.crc", "CRC", K::Hex, "CRC trailer (big-endian; low 16 bits of the keyed CRC-32)");
pub static CRC_STATUS: FieldInfo =
    f("eqstream.crc.status", "CRC status", K::Enum, "0 good, 1 bad, 2 unverified (no key yet)");
pub static CRC_EXPECTED: FieldInfo = f("eqstream.crc.expected", "Expected CRC", K::Hex, "the trailer the key gives");
pub static CRC_KEY: FieldInfo =
    f("eqstream.crc.recovered_key", "Recovered key", K::Hex, "session key recovered from CRCs (no handshake seen)");
pub static FLAG: FieldInfo =
    f("eqstream.flag", "Compression flag", K::Enum, "EQ1 compression pass: 0x5a zlib, 0xa5 stored");
pub static REQ_VERSION: FieldInfo =
    f("eqstream.session_request.protocol_version", "Protocol version", K::Unsigned, "EQEmu 3, EQ2Emu 0");
pub static REQ_SESSION: FieldInfo =
    f("eqstream.session_request.session_id", "Session id", K::Hex, "connect code chosen by the client");
pub static REQ_MAX_LEN: FieldInfo =
    f("eqstream.session_request.max_length", "Max length", K::Unsigned, "client's maximum datagram size");
pub static REQ_TAG: FieldInfo =
    f("eqstream.session_request.tag", "Tag", K::String, "NUL-terminated tag (live EQ1: Everquest)");
pub static RESP_SESSION: FieldInfo =
    f("eqstream.session_response.session_id", "Session id", K::Hex, "echo of the request's session id");
pub static RESP_KEY: FieldInfo =
    f("eqstream.session_response.key", "Key", K::Hex, "CRC seed and EQ1 XOR key (not an RC4 key)");
pub static RESP_CRC_BYTES: FieldInfo =
    f("eqstream.session_response.crc_bytes", "CRC bytes", K::Unsigned, "CRC trailer length: 0, 2 or 4");
pub static RESP_PASS1: FieldInfo =
    f("eqstream.session_response.encode_pass1", "Encode pass 1", K::Enum, "0 none, 1 compression, 4 XOR");
pub static RESP_PASS2: FieldInfo =
    f("eqstream.session_response.encode_pass2", "Encode pass 2", K::Enum, "0 none, 1 compression, 4 XOR");
pub static RESP_MAX_LEN: FieldInfo =
    f("eqstream.session_response.max_length", "Max length", K::Unsigned, "negotiated maximum datagram size");
pub static RESP_UNKNOWN: FieldInfo =
    f("eqstream.session_response.unknown", "Unknown", K::Unsigned, "trailing u32 of live EQ1 and EQ2Emu (0)");
pub static DISC_SESSION: FieldInfo = f("eqstream.disconnect.session_id", "Session id", K::Hex, "session ended");
pub static DISC_REASON: FieldInfo = f("eqstream.disconnect.reason", "Reason", K::Enum, "disconnect reason (EQ2)");
pub static STAT_REQUEST_ID: FieldInfo = f("eqstream.stat.request_id", "Request id", K::Unsigned, "stat request id");
pub static STAT_LAST_LOCAL: FieldInfo =
    f("eqstream.stat.last_local_delta", "Last local delta", K::Unsigned, "client timing (ms)");
pub static STAT_AVERAGE: FieldInfo =
    f("eqstream.stat.average_delta", "Average delta", K::Unsigned, "client timing (ms)");
pub static STAT_LOW: FieldInfo = f("eqstream.stat.low_delta", "Low delta", K::Unsigned, "client timing (ms)");
pub static STAT_HIGH: FieldInfo = f("eqstream.stat.high_delta", "High delta", K::Unsigned, "client timing (ms)");
pub static STAT_LAST_REMOTE: FieldInfo =
    f("eqstream.stat.last_remote_delta", "Last remote delta", K::Unsigned, "client timing (ms)");
pub static STAT_SENT: FieldInfo = f("eqstream.stat.packets_sent", "Packets sent", K::Unsigned, "client counter");
pub static STAT_RECEIVED: FieldInfo =
    f("eqstream.stat.packets_received", "Packets received", K::Unsigned, "client counter");
pub static STAT_SERVER_TIME: FieldInfo =
    f("eqstream.stat.server_time", "Server time", K::Unsigned, "server clock (ms)");
pub static STAT_CLIENT_SENT: FieldInfo = f("eqstream.stat.client_sent", "Client sent", K::Unsigned, "counter");
pub static STAT_CLIENT_RECV: FieldInfo = f("eqstream.stat.client_received", "Client received", K::Unsigned, "counter");
pub static STAT_SERVER_SENT: FieldInfo = f("eqstream.stat.server_sent", "Server sent", K::Unsigned, "counter");
pub static STAT_SERVER_RECV: FieldInfo = f("eqstream.stat.server_received", "Server received", K::Unsigned, "counter");
pub static STAT_RESPONSE_TO: FieldInfo =
    f("eqstream.stat.response_to", "Response to", K::Frame, "frame of the stat request answered");
pub static OOS_VALUE: FieldInfo = f("eqstream.out_of_session.value", "Value", K::Unsigned, "EQEmu sends 0");
pub static SEQ: FieldInfo = f("eqstream.seq", "Sequence", K::Unsigned, "16-bit sequence number (big-endian)");
pub static CHANNEL: FieldInfo = f("eqstream.channel", "Channel", K::Unsigned, "reliable channel 0-3");
pub static SEQ_STATUS: FieldInfo = f(
    "eqstream.seq.status",
    "Sequence status",
    K::Enum,
    "0 in order, 1 ahead (held), 2 retransmission, 3 duplicate, 4 filled a gap",
);
pub static SEQ_EXPECTED: FieldInfo =
    f("eqstream.seq.expected", "Expected sequence", K::Unsigned, "next sequence the receiver delivers");
pub static ORIGINAL_FRAME: FieldInfo =
    f("eqstream.original_frame", "Original frame", K::Frame, "frame that first carried this sequence number");
pub static ACK: FieldInfo = f("eqstream.ack", "Acknowledged", K::Unsigned, "sequence number acknowledged");
pub static ACK_FRAME: FieldInfo = f("eqstream.ack.frame", "Acknowledges frame", K::Frame, "frame that carried it");
pub static ACK_RTT: FieldInfo =
    f("eqstream.ack.rtt", "Round trip", K::Duration, "time from the data (first sent) to this ack");
pub static FRAG_TOTAL: FieldInfo =
    f("eqstream.fragment.total_len", "Total length", K::Unsigned, "reassembled length (first fragment only)");
pub static FRAG_DATA: FieldInfo = f("eqstream.fragment.data", "Fragment data", K::Bytes, "this fragment's bytes");
pub static FRAG_COLLECTED: FieldInfo =
    f("eqstream.fragment.collected", "Collected", K::Unsigned, "bytes of the message collected so far");
pub static REASSEMBLED: FieldInfo =
    f("eqstream.reassembled", "Reassembled message", K::Unsigned, "length of the message the fragments made");
pub static REASSEMBLED_FIRST: FieldInfo =
    f("eqstream.reassembled.first_frame", "First fragment", K::Frame, "frame of the chain's first fragment");
pub static COMBINED_ENTRY: FieldInfo =
    f("eqstream.combined.entry", "Entry", K::None, "one packet of a Combined or AppCombined");
pub static COMBINED_LEN: FieldInfo = f("eqstream.combined.len", "Entry length", K::Unsigned, "entry length prefix");
pub static COMBINED_COUNT: FieldInfo =
    f("eqstream.combined.count", "Count", K::Unsigned, "a leading count byte (not in the real layout)");
pub static DELIVERED: FieldInfo = f(
    "eqstream.delivered_from",
    "Delivered from frame",
    K::Frame,
    "a packet held for order, delivered (decoded) in this frame",
);
pub static DATA: FieldInfo = f("eqstream.data", "Data", K::Bytes, "bytes not decoded further");
pub static APP: FieldInfo = f("eqstream.app", "Application packet", K::None, "an application packet");
pub static ESCAPE: FieldInfo =
    f("eqstream.escape", "Escape", K::Bytes, "00 before an application packet whose first byte is 00");
pub static EQ1_OPCODE: FieldInfo = f("eqstream.eq1.opcode", "Opcode", K::Enum, "EQ1 application opcode (u16 LE)");
pub static EQ1_BODY: FieldInfo = f("eqstream.eq1.body", "Body", K::Bytes, "EQ1 application body");
pub static EQ2_FLAG: FieldInfo =
    f("eqstream.eq2.flag", "Flag", K::Enum, "server to client: 0 plain, 1 compressed (persistent zlib stream)");
pub static EQ2_OPCODE: FieldInfo =
    f("eqstream.eq2.opcode", "Opcode", K::Enum, "EQ2 application opcode (u8, or FF + u16 LE)");
pub static EQ2_BODY: FieldInfo = f("eqstream.eq2.body", "Body", K::Bytes, "EQ2 application body");
pub static EQ2_ENCRYPTED: FieldInfo =
    f("eqstream.eq2.encrypted", "Encrypted", K::Bytes, "RC4 ciphertext not decrypted");
pub static EQ2_NOT_DECRYPTABLE: FieldInfo = f(
    "eqstream.eq2.not_decryptable",
    "Stream lost at",
    K::Frame,
    "frame where this direction's RC4/zlib stream was lost",
);
pub static EQ2_INFLATED_LEN: FieldInfo =
    f("eqstream.eq2.inflated_len", "Inflated length", K::Unsigned, "bytes the zlib stream gave for this packet");
pub static KEYGEN_MODULUS_LEN: FieldInfo =
    f("eqstream.eq2.keygen.modulus_len", "Modulus length", K::Unsigned, "KeyGen modulus length");
pub static KEYGEN_MODULUS: FieldInfo = f("eqstream.eq2.keygen.modulus", "Modulus", K::Bytes, "KeyGen modulus");
pub static KEYGEN_EXPONENT_LEN: FieldInfo =
    f("eqstream.eq2.keygen.exponent_len", "Exponent length", K::Unsigned, "KeyGen exponent length");
pub static KEYGEN_EXPONENT: FieldInfo = f("eqstream.eq2.keygen.exponent", "Exponent", K::Bytes, "KeyGen exponent");
pub static KEY_REPLY: FieldInfo = f("eqstream.eq2.key_reply", "Key reply", K::Bytes, "the client's key reply");
pub static RC4_KEY: FieldInfo =
    f("eqstream.eq2.rc4_key", "RC4 key", K::Hex, "64-bit K: server to client keyed with K, client to server with !K");
pub static LOGIN_ACCESS_CODE: FieldInfo =
    f("eqstream.eq2.login.access_code", "Access code", K::String, "LoginRequest access code");
pub static LOGIN_USERNAME: FieldInfo = f("eqstream.eq2.login.username", "Username", K::String, "LoginRequest");
pub static LOGIN_PASSWORD: FieldInfo = f("eqstream.eq2.login.password", "Password", K::String, "LoginRequest");
pub static LOGIN_ACCOUNT: FieldInfo =
    f("eqstream.eq2.login.account_id", "Account id", K::Unsigned, "LoginByNumRequest account id");
pub static LOGIN_VERSION: FieldInfo =
    f("eqstream.eq2.login.version", "Client version", K::Unsigned, "client version: selects the opcode table");

const fn e(tag: &'static str, severity: Severity, group: ExpertGroup, summary: &'static str) -> ExpertInfo {
    ExpertInfo::new(tag, severity, group, summary)
}

pub static MALFORMED: ExpertInfo = e(
    "eqstream.malformed",
    Severity::Error,
    ExpertGroup::Malformed,
    "a packet too short or inconsistent to decode; the peer drops it",
);
pub static CRC_MISMATCH: ExpertInfo = e(
    "eqstream.crc_mismatch",
    Severity::Error,
    ExpertGroup::Checksum,
    "the CRC trailer does not match the session key; EQEmu and EQ2Emu drop the packet",
);
pub static CRC_LENGTH_MISMATCH: ExpertInfo = e(
    "eqstream.crc_length_mismatch",
    Severity::Warn,
    ExpertGroup::Checksum,
    "the trailer has another length than the session negotiated (e.g. a full CRC-32 where crc_bytes is 2)",
);
// Assumption: the key is inferred, not read from a handshake.
pub static CRC_KEY_RECOVERED: ExpertInfo = e(
    "eqstream.crc_key_recovered",
    Severity::Note,
    ExpertGroup::Assumption,
    "no handshake: the session key was recovered from the CRCs of several packets and verified",
);
pub static NO_HANDSHAKE: ExpertInfo = e(
    "eqstream.no_handshake",
    Severity::Note,
    ExpertGroup::Assumption,
    "the capture starts mid-session: key, passes and sequence start are inferred",
);
pub static UNKNOWN_OPCODE: ExpertInfo = e(
    "eqstream.unknown_opcode",
    Severity::Warn,
    ExpertGroup::Undecoded,
    "a protocol opcode EQEmu and EQ2Emu do not use; they drop it",
);
pub static COMBINED_COUNT_BYTE: ExpertInfo = e(
    "eqstream.combined_count_byte",
    Severity::Warn,
    ExpertGroup::Protocol,
    "a Combined that parses only with a leading count byte (the notes' layout); the real peer has no count",
);
pub static RESPONSE_LAYOUT: ExpertInfo = e(
    "eqstream.response_layout",
    Severity::Warn,
    ExpertGroup::Protocol,
    "a SessionResponse in the notes' layout (an unknown u32 before max_length): the client reads max_length 0",
);
pub static FRAGMENT_LAYOUT: ExpertInfo = e(
    "eqstream.fragment_layout",
    Severity::Warn,
    ExpertGroup::Protocol,
    "a first fragment with the notes' fragment number and count after total_len: the real layout has neither",
);
// Assumption: the two implementations disagree, and one reading was chosen.
pub static COMBINED_LENGTH_ESCAPE: ExpertInfo = e(
    "eqstream.combined_length_escape",
    Severity::Note,
    ExpertGroup::Assumption,
    "a Combined entry length read as FF + u16 (EQ2Emu only; EQEmu reads FF as 255)",
);
pub static FRAGMENT_TOO_LARGE: ExpertInfo = e(
    "eqstream.fragment_too_large",
    Severity::Error,
    ExpertGroup::Reassemble,
    "a fragment chain announces more than 1 MiB; its bytes are counted but not reassembled",
);
// Undecoded, as Wireshark's decompression failures (http, grpc).
pub static INFLATE_FAILED: ExpertInfo = e(
    "eqstream.inflate_failed",
    Severity::Error,
    ExpertGroup::Undecoded,
    "zlib data that does not inflate; the peer drops the packet",
);
// The bounds against bombs and memory exhaustion are Security.
pub static INFLATE_LIMIT: ExpertInfo = e(
    "eqstream.inflate_limit",
    Severity::Note,
    ExpertGroup::Security,
    "inflated output hit a limit (64 KiB per packet, 64 MiB per session) or a ratio over 1024",
);
pub static STREAMS_FULL: ExpertInfo = e(
    "eqstream.streams_full",
    Severity::Note,
    ExpertGroup::Security,
    "more EQ2 zlib streams were open at once than kept (512, or -o eqstream.max_streams): the least recently used was dropped",
);
pub static STREAM_LOST: ExpertInfo = e(
    "eqstream.stream_lost",
    Severity::Error,
    ExpertGroup::Decryption,
    "the EQ2 RC4 or zlib stream of this direction is lost: later packets cannot be decrypted",
);
pub static NO_RC4_KEY: ExpertInfo = e(
    "eqstream.no_rc4_key",
    Severity::Note,
    ExpertGroup::Decryption,
    "EQ2 application data without an RC4 key (no key exchange in the capture): give --keylog or -o eqstream.rc4_key",
);
pub static RSA_KEY: ExpertInfo = e(
    "eqstream.rsa_key",
    Severity::Warn,
    ExpertGroup::Decryption,
    "the KeyGen carries a real RSA key: the client's key reply cannot be read without the server's private key",
);
pub static SEQ_GAP: ExpertInfo = e(
    "eqstream.seq_gap",
    Severity::Warn,
    ExpertGroup::Sequence,
    "a sequence number ahead of the expected one: packets missing or reordered",
)
.when_missing(Missing::Sender);
pub static OUT_OF_ORDER: ExpertInfo = e(
    "eqstream.out_of_order",
    Severity::Note,
    ExpertGroup::Sequence,
    "a packet that arrived after later ones and filled a gap",
);
pub static DUPLICATE: ExpertInfo = e(
    "eqstream.duplicate",
    Severity::Note,
    ExpertGroup::Sequence,
    "a packet sent again after the receiver had acknowledged it (the ack was lost or late)",
);
pub static RETRANSMISSION: ExpertInfo =
    e("eqstream.retransmission", Severity::Note, ExpertGroup::Sequence, "a packet re-sent before any ack covered it")
        .when_missing(Missing::Peer);
pub static ACK_UNSENT: ExpertInfo =
    e("eqstream.ack_unsent", Severity::Warn, ExpertGroup::Sequence, "an ack for a sequence number the peer never sent")
        .when_missing(Missing::Peer);
pub static SESSION_RESET: ExpertInfo = e(
    "eqstream.session_reset",
    Severity::Warn,
    ExpertGroup::Sequence,
    "a new SessionRequest on a live session: sequence numbers, key and streams start afresh",
);
// ResponseCode: the peer's OutOfSession is an error answer.
pub static OUT_OF_SESSION: ExpertInfo = e(
    "eqstream.out_of_session",
    Severity::Warn,
    ExpertGroup::ResponseCode,
    "the peer does not know this session (traffic after a disconnect or a server restart)",
);
// Security: a bound against nesting bombs, as INFLATE_LIMIT.
pub static DEPTH_LIMIT: ExpertInfo = e(
    "eqstream.depth_limit",
    Severity::Note,
    ExpertGroup::Security,
    "packets nested deeper than 8 levels, or too many buffers, not decoded",
);
pub static REORDER_LIMIT: ExpertInfo = e(
    "eqstream.reorder_limit",
    Severity::Note,
    ExpertGroup::Sequence,
    "too many packets held waiting for a gap (256 or 256 KiB), or the gap is over 30 s old: it is given up",
)
.when_missing(Missing::Sender);
