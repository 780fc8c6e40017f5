//! Field keys and expert tags: the stable names users filter and assert on.

use udpdissect_core::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, ProtocolInfo, Severity};

/// eDonkey server UDP (4665 = server TCP port + 4) and eMule client UDP (4672).
pub const PORTS: &[u16] = &[4665, 4672];

/// What the Protocol column shows for the family's other branches: eDonkey server messages,
/// eMule's extensions (and packed datagrams), Kad.
pub const COLUMN_EDONKEY: &str = "eDonkey";
pub const COLUMN_EMULE: &str = "eMule";
pub const COLUMN_KAD: &str = "Kad";

pub static PROTOCOL: ProtocolInfo = ProtocolInfo {
    name: "overnet",
    column: "Overnet",
    columns: &[COLUMN_EDONKEY, COLUMN_EMULE, COLUMN_KAD],
    long_name: "Overnet and eDonkey-family UDP (eDonkey server, eMule, Kad)",
    ports: PORTS,
    heuristic: true,
    fields: &[
        &MSG,
        &MAGIC,
        &OPCODE,
        &PEER,
        &CONTACT,
        &PEER_ID,
        &PEER_IP,
        &PEER_PORT,
        &PEER_KIND,
        &PEER_COUNT,
        &SEARCH_PARAM,
        &TARGET,
        &KEY,
        &VALUE,
        &SEARCH_TYPE,
        &SEARCH_MIN,
        &SEARCH_MAX,
        &END_UNKNOWN1,
        &END_UNKNOWN2,
        &TCP_PORT,
        &IP,
        &TREE,
        &TREE_NODE,
        &TREE_OP,
        &TREE_STRING,
        &TREE_NAME,
        &TREE_SPECIAL,
        &TREE_NUMBER,
        &TREE_MINMAX,
        &TAGS,
        &TAG_COUNT,
        &TAG,
        &TAG_TYPE,
        &TAG_NAME_LEN,
        &TAG_ID,
        &TAG_NAME,
        &TAG_STRING_LEN,
        &TAG_STRING,
        &TAG_UINT,
        &TAG_HASH,
        &TAG_FLOAT,
        &TAG_BOOL,
        &TAG_BOOL_COUNT,
        &TAG_BOOLS,
        &TAG_BLOB_LEN,
        &TAG_BLOB,
        &LOC,
        &LOC_HASH,
        &LOC_IP,
        &LOC_PORT,
        &LOC_TCP_PORT,
        &LOC_FIREWALLED,
        &BODY,
        &TRAILING,
        &UNDECODED,
        &RESPONSE_TO,
        &RESPONSE_TIME,
        &SEARCH_ID,
        &SEARCH_HOP,
        &SEARCH_VIA,
        &SEARCH_RESULT_NO,
        &PEERS_NEW,
        &ED2K_CHALLENGE,
        &ED2K_USERS,
        &ED2K_FILES,
        &ED2K_HASH,
        &EMULE_HASH,
        &KAD_VERSION,
        &KAD_INFLATED_LEN,
        &KAD_PEER,
        &KAD_ID,
        &KAD_IP,
        &KAD_UDP_PORT,
        &KAD_TCP_PORT,
        &KAD_TYPE,
        &KAD_REQ_TYPE,
        &KAD_TARGET,
        &KAD_RECEIVER,
        &KAD_COUNT,
    ],
    experts: &[
        &BAD_LENGTH,
        &TRAILING_BYTES,
        &TAG_COUNT_EXCEEDS,
        &TAG_UNKNOWN_TYPE,
        &TAG_NAMELESS,
        &LOC_MALFORMED,
        &TREE_MALFORMED,
        &SEARCH_TYPE_UNKNOWN,
        &SEARCH_REPLY_CORRUPTED,
        &LAST_PEER_NOT_RESPONDER,
        &PEER_IMPLAUSIBLE,
        &UNKNOWN_OPCODE,
        &CUT_SHORT,
        &INFLATE_FAILED,
        &INFLATE_LIMIT,
        &STATE_FULL,
    ],
    prefs: &[],
    // Numbered and paired from the capture's order, not sent.
    volatile: &[
        "overnet.response_to",
        "overnet.response_time",
        "overnet.search.id",
        "overnet.search.hop",
        "overnet.search.via",
        "overnet.search.result_no",
        "overnet.peers_new",
    ],
};

macro_rules! field {
    ($name:ident, $key:literal, $label:literal, $kind:ident, $desc:literal) => {
        pub static $name: FieldInfo = FieldInfo::new($key, $label, K::$kind, $desc);
    };
}

field!(MSG, "overnet", "Overnet / eDonkey-family UDP", None, "one eDonkey-family UDP message");
field!(MAGIC, "overnet.magic", "Protocol", Enum, "byte 0: 0xE3 eDonkey/Overnet, 0xC5 eMule, 0xE4/0xE5 Kad …");
field!(OPCODE, "overnet.opcode", "Opcode", Enum, "byte 1: the message type");
field!(PEER, "overnet.peer", "Peer", String, "a node: md4 id, IPv4, UDP port, kind (23 bytes)");
field!(CONTACT, "overnet.contact", "Contact", String, "a node without the kind byte (22 bytes)");
field!(PEER_ID, "overnet.peer.id", "Peer ID", Bytes, "the node's md4 id");
field!(PEER_IP, "overnet.peer.ip", "Peer IP", Ip, "the node's IPv4 address (dotted wire order)");
field!(PEER_PORT, "overnet.peer.port", "Peer UDP port", Unsigned, "the node's Overnet UDP port, little-endian");
field!(PEER_KIND, "overnet.peer.kind", "Peer kind", Unsigned, "opaque byte (mldonkey: reliability class)");
field!(
    PEER_COUNT,
    "overnet.peer_count",
    "Peer count",
    Unsigned,
    "peers listed (u16 in ConnectReply, u8 in SearchReply)"
);
field!(SEARCH_PARAM, "overnet.search.param", "Wanted results", Unsigned, "Search byte 2: peers wanted (2, 4, 10, 20)");
field!(TARGET, "overnet.target", "Target", Bytes, "the md4 searched for, or the node a FirewallConnection wants");
field!(KEY, "overnet.key", "Key", Bytes, "the md4 key of a search, result, publish or end");
field!(VALUE, "overnet.value", "Value", Bytes, "the second md4 of a result or publish (file or holder node)");
field!(SEARCH_TYPE, "overnet.search.type", "Search type", Enum, "GetSearchResults: 0 plain, 1 with a search tree");
field!(SEARCH_MIN, "overnet.search.min", "Range min", Unsigned, "first result wanted");
field!(SEARCH_MAX, "overnet.search.max", "Range max", Unsigned, "last result wanted");
field!(END_UNKNOWN1, "overnet.end.unknown1", "Unknown 1", Unsigned, "NoResult's optional first u16 (meaning unknown)");
field!(END_UNKNOWN2, "overnet.end.unknown2", "Unknown 2", Unsigned, "NoResult's optional second u16 (meaning unknown)");
field!(TCP_PORT, "overnet.tcp_port", "TCP port", Unsigned, "the sender's eDonkey TCP port");
field!(IP, "overnet.ip", "IP", Ip, "GetMyIPResult: the asker's address as the answerer sees it");
field!(TREE, "overnet.tree", "Search tree", None, "GetSearchResults type 1: the query in prefix order");
field!(TREE_NODE, "overnet.tree.node", "Node", Enum, "0 operator, 1 string, 2 meta string, 3 number");
field!(TREE_OP, "overnet.tree.op", "Operator", Enum, "0 AND, 1 OR, 2 AND NOT");
field!(TREE_STRING, "overnet.tree.string", "String", String, "a keyword or a meta value");
field!(TREE_NAME, "overnet.tree.name", "Tag name", String, "the tag a meta or number node tests");
field!(TREE_SPECIAL, "overnet.tree.special", "Tag id", Enum, "one-byte tag name: a special id");
field!(TREE_NUMBER, "overnet.tree.number", "Number", Unsigned, "the bound a number node sets");
field!(TREE_MINMAX, "overnet.tree.minmax", "Bound", Enum, "1 min, 2 max");
field!(TAGS, "overnet.tags", "Tags", None, "tag list: u32 count and the tags");
field!(TAG_COUNT, "overnet.tag_count", "Tag count", Unsigned, "tags announced (u32)");
field!(TAG, "overnet.tag", "Tag", String, "one eDonkey meta tag");
field!(TAG_TYPE, "overnet.tag.type", "Type", Enum, "value type; 0x80 set: one-byte name");
field!(TAG_NAME_LEN, "overnet.tag.name_len", "Name length", Unsigned, "long-form name length (u16)");
field!(TAG_ID, "overnet.tag.id", "Name id", Enum, "special tag id (short form or one-byte name)");
field!(TAG_NAME, "overnet.tag.name", "Name", String, "tag name (e.g. loc)");
field!(TAG_STRING_LEN, "overnet.tag.string_len", "String length", Unsigned, "STRING length (u16)");
field!(TAG_STRING, "overnet.tag.string", "String", String, "STRING or STRn value");
field!(TAG_UINT, "overnet.tag.uint", "Value", Unsigned, "UINT8/16/32/64 or BOOL value");
field!(TAG_HASH, "overnet.tag.hash", "Hash", Bytes, "HASH value (16 bytes)");
field!(TAG_FLOAT, "overnet.tag.float", "Value", Float, "FLOAT32 value");
field!(TAG_BOOL, "overnet.tag.bool", "Value", Bool, "BOOL value");
field!(TAG_BOOL_COUNT, "overnet.tag.bool_count", "Bits", Unsigned, "BOOLARRAY bit count");
field!(TAG_BOOLS, "overnet.tag.bools", "Bits", Bytes, "BOOLARRAY bits (count / 8 + 1 bytes)");
field!(TAG_BLOB_LEN, "overnet.tag.blob_len", "Length", Unsigned, "BLOB (u32) or BSOB (u8) length");
field!(TAG_BLOB, "overnet.tag.blob", "Data", Bytes, "BLOB or BSOB bytes");
field!(LOC, "overnet.loc", "Source location", String, "the loc tag's bcp:// URI, decoded");
field!(LOC_HASH, "overnet.loc.hash", "Holder id", String, "firewalled holder's node id (hex)");
field!(LOC_IP, "overnet.loc.ip", "Holder IP", Ip, "the file holder's address");
field!(LOC_PORT, "overnet.loc.port", "Holder port", Unsigned, "TCP port (bcp://ip:port) or UDP port (with a hash)");
field!(LOC_TCP_PORT, "overnet.loc.tcp_port", "Holder TCP port", Unsigned, "mldonkey's four-part form: TCP port");
field!(LOC_FIREWALLED, "overnet.loc.firewalled", "Firewalled", Bool, "the holder is reached by FirewallConnection");
field!(BODY, "overnet.body", "Body", Bytes, "body of a message not decoded further");
field!(TRAILING, "overnet.trailing", "Trailing bytes", Bytes, "bytes after a complete message");
field!(UNDECODED, "overnet.undecoded", "Undecoded", Bytes, "bytes that could not be decoded");
field!(RESPONSE_TO, "overnet.response_to", "Response to", Frame, "frame of the request this message answers");
field!(RESPONSE_TIME, "overnet.response_time", "Response time", Duration, "time since that request");
field!(SEARCH_ID, "overnet.search.id", "Search", Unsigned, "search number in this capture (searcher, target)");
field!(SEARCH_HOP, "overnet.search.hop", "Hop", Unsigned, "1 for the first node asked; +1 per SearchReply followed");
field!(SEARCH_VIA, "overnet.search.via", "Learned in", Frame, "the SearchReply that named the node asked");
field!(SEARCH_RESULT_NO, "overnet.search.result_no", "Result", Unsigned, "result number within the search");
field!(PEERS_NEW, "overnet.peers_new", "New peers", Unsigned, "listed peers the receiver had not learned before");
field!(ED2K_CHALLENGE, "overnet.ed2k.challenge", "Challenge", Hex, "server status challenge (u32)");
field!(ED2K_USERS, "overnet.ed2k.users", "Users", Unsigned, "server status: users");
field!(ED2K_FILES, "overnet.ed2k.files", "Files", Unsigned, "server status: files");
field!(ED2K_HASH, "overnet.ed2k.hash", "File hash", Bytes, "file md4 of a source request");
field!(EMULE_HASH, "overnet.emule.hash", "File hash", Bytes, "file md4 of a reask");
field!(KAD_VERSION, "overnet.kad.version", "Kad version", Unsigned, "1 or 2 (by opcode)");
field!(KAD_INFLATED_LEN, "overnet.kad.inflated_len", "Inflated length", Unsigned, "0xE5 body after zlib");
field!(KAD_PEER, "overnet.kad.peer", "Kad peer", None, "id, IP (LE), UDP port, TCP port, type (25 bytes)");
field!(KAD_ID, "overnet.kad.id", "Kad ID", String, "128-bit id as four little-endian u32 words");
field!(KAD_IP, "overnet.kad.ip", "IP", Ip, "IPv4 sent as a little-endian u32 (reversed octets)");
field!(KAD_UDP_PORT, "overnet.kad.udp_port", "UDP port", Unsigned, "Kad UDP port");
field!(KAD_TCP_PORT, "overnet.kad.tcp_port", "TCP port", Unsigned, "eMule TCP port");
field!(KAD_TYPE, "overnet.kad.type", "Type/version", Unsigned, "contact type (Kad1) or version (Kad2)");
field!(KAD_REQ_TYPE, "overnet.kad.req_type", "Wanted contacts", Unsigned, "REQ: contacts wanted (type)");
field!(KAD_TARGET, "overnet.kad.target", "Target", String, "REQ/RES target id");
field!(KAD_RECEIVER, "overnet.kad.receiver", "Receiver", String, "REQ: the id of the node asked");
field!(KAD_COUNT, "overnet.kad.count", "Contacts", Unsigned, "contacts listed");

macro_rules! expert {
    ($name:ident, $tag:literal, $sev:ident, $group:ident, $desc:literal) => {
        pub static $name: ExpertInfo = ExpertInfo::new($tag, Severity::$sev, ExpertGroup::$group, $desc);
    };
}

expert!(
    BAD_LENGTH,
    "overnet.bad_length",
    Error,
    Malformed,
    "the datagram's length does not fit the opcode; mldonkey drops such messages as unparsable"
);
// Trailing bytes are Protocol, as Wireshark's "extraneous data".
expert!(
    TRAILING_BYTES,
    "overnet.trailing",
    Warn,
    Protocol,
    "bytes after a complete message; the real peers ignore them"
);
expert!(
    TAG_COUNT_EXCEEDS,
    "overnet.tag_count_exceeds",
    Error,
    Malformed,
    "the tag list announces more tags than the datagram holds; mldonkey drops the message"
);
expert!(
    TAG_UNKNOWN_TYPE,
    "overnet.tag_unknown_type",
    Error,
    Malformed,
    "a tag of unknown type: its size is unknown, so the rest of the list cannot be read"
);
expert!(
    TAG_NAMELESS,
    "overnet.tag_nameless",
    Warn,
    Protocol,
    "a UINT8/UINT16 tag without a name: mldonkey's tag writer bug; other clients misread the list from here"
);
// Protocol, not Malformed: the message still decodes, only the loc value breaks its format.
expert!(
    LOC_MALFORMED,
    "overnet.loc_malformed",
    Warn,
    Protocol,
    "a loc tag that is not bcp://ip:port or bcp://hash:ip:port"
);
expert!(
    TREE_MALFORMED,
    "overnet.tree_malformed",
    Error,
    Malformed,
    "the search tree of a type-1 GetSearchResults cannot be read"
);
// Assumption: read as type 0.
expert!(
    SEARCH_TYPE_UNKNOWN,
    "overnet.search_type_unknown",
    Warn,
    Assumption,
    "GetSearchResults of a type other than 0 or 1; read as type 0 (mldonkey reads min/max at the same place)"
);
expert!(
    SEARCH_REPLY_CORRUPTED,
    "overnet.search_reply_corrupted",
    Warn,
    Protocol,
    "the corrupted SearchReply of KadC's broken_clients notes: count at offset 2, hash shifted by one"
);
expert!(
    LAST_PEER_NOT_RESPONDER,
    "overnet.last_peer_not_responder",
    Note,
    Protocol,
    "a ConnectReply whose last peer is not the responder (mldonkey lists itself last); NAT or another client"
);
expert!(
    PEER_IMPLAUSIBLE,
    "overnet.peer_implausible",
    Note,
    Protocol,
    "a peer with port 0 or an unusable address (0.0.0.0, multicast, broadcast)"
);
expert!(
    UNKNOWN_OPCODE,
    "overnet.unknown_opcode",
    Note,
    Undecoded,
    "an opcode no reference client defines for this magic; mldonkey ignores it"
);
// Undecoded, as frame.cut_short: the capture, not the sender, lost the bytes.
expert!(
    CUT_SHORT,
    "overnet.cut_short",
    Note,
    Undecoded,
    "the capture holds fewer bytes than were sent; decoded what is there"
);
// Undecoded, as Wireshark's decompression failures (http, grpc).
expert!(
    INFLATE_FAILED,
    "overnet.inflate_failed",
    Error,
    Undecoded,
    "the zlib body of a packed Kad message does not inflate"
);
// The bounds against bombs and memory exhaustion are Security.
expert!(
    INFLATE_LIMIT,
    "overnet.inflate_limit",
    Note,
    Security,
    "a packed body past the 64 KiB inflate limit or with a ratio above 1024 (zip bomb guard)"
);
expert!(
    STATE_FULL,
    "overnet.state_full",
    Note,
    Security,
    "a peer, search or request table reached its bound; the least recently used entries were dropped"
);
