//! Payload field keys and finding tags: the stable names users filter and assert on.

use udpdissect_core::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, Severity};

/// The fields of the domain, ICE, audio, avatar, query, messages and assignment payloads.
pub(super) static FIELDS: &[&FieldInfo] = &[
    &UNDECODED,
    &TRAILING,
    &ADDR_PROTOCOL,
    &ADDR_IP,
    &ADDR_SCOPE,
    &ADDR_PORT,
    &PERMISSION_NAMES,
    &CONNECT_UUID,
    &CONNECT_SIGNATURE,
    &CONNECT_HW_ADDR,
    &CONNECT_FINGERPRINT,
    &CONNECT_SYSINFO,
    &SYSINFO_SIZE,
    &SYSINFO_ZLIB,
    &SYSINFO_JSON,
    &CONNECT_REASON,
    &CONNECT_PREV_UPTIME,
    &CI_TIMESTAMP,
    &CI_OWNER,
    &CI_PUBLIC_TYPE,
    &CI_PUBLIC,
    &CI_LOCAL_TYPE,
    &CI_LOCAL,
    &CI_INTERESTS,
    &CI_INTEREST_COUNT,
    &CI_INTEREST,
    &CI_PLACE,
    &CI_USERNAME,
    &CI_USERNAME_SIG,
    &CI_DOMAIN_USERNAME,
    &CI_DOMAIN_TOKENS,
    &DL_SESSION_UUID,
    &DL_DOMAIN_LOCAL_ID,
    &DL_YOUR_UUID,
    &DL_YOUR_LOCAL_ID,
    &DL_PERMISSIONS,
    &DL_AUTHENTICATE,
    &DL_LAST_CHECK_IN,
    &DL_SERVER_TIME,
    &DL_PROCESSING_TIME,
    &DL_NEW_CONNECTION,
    &DL_NODE_COUNT,
    &NODE,
    &NODE_TYPE,
    &NODE_UUID,
    &NODE_PUBLIC_TYPE,
    &NODE_PUBLIC,
    &NODE_LOCAL_TYPE,
    &NODE_LOCAL,
    &NODE_PERMISSIONS,
    &NODE_REPLICATED,
    &NODE_LOCAL_ID,
    &NODE_SECRET,
    &REMOVED_UUID,
    &TOKEN_UUID,
    &DENIED_REASON,
    &DENIED_MESSAGE,
    &DENIED_EXTRA,
    &PATH_QUERY,
    &PATH_RESPONSE_PATH,
    &PATH_RESPONSE_VIEWPOINT,
    &PING_TYPE,
    &PING_TIMESTAMP,
    &PING_CONNECTION_ID,
    &PING_REPLY_TIMESTAMP,
    &ICE_ID,
    &ICE_PUBLIC,
    &ICE_LOCAL,
    &ICE_SIGNATURE,
    &ICE_DOMAIN_ID,
    &ICE_PING_TYPE,
    &AUDIO_SEQUENCE,
    &AUDIO_CODEC,
    &AUDIO_CODEC_COUNT,
    &AUDIO_STEREO,
    &AUDIO_SILENT_SAMPLES,
    &AUDIO_POSITION,
    &AUDIO_ORIENTATION,
    &AUDIO_BBOX_CORNER,
    &AUDIO_BBOX_SCALE,
    &AUDIO_STREAM_ID,
    &AUDIO_LOOPBACK,
    &AUDIO_RADIUS,
    &AUDIO_VOLUME,
    &AUDIO_IGNORE_PENUMBRA,
    &AUDIO_DATA,
    &AV_SEQUENCE,
    &AV_AVATAR,
    &AV_SESSION_UUID,
    &AV_FLAGS,
    &AV_POSITION,
    &AV_BBOX_DIMENSIONS,
    &AV_BBOX_OFFSET,
    &AV_ORIENTATION,
    &AV_SCALE,
    &AV_LOOK_AT,
    &AV_LOUDNESS,
    &AV_SENSOR_TO_WORLD,
    &AV_ADDITIONAL_FLAGS,
    &AV_PARENT_ID,
    &AV_PARENT_JOINT,
    &AV_LOCAL_POSITION,
    &AV_HAND_CONTROLLERS,
    &AV_FACE_TRACKER,
    &AV_JOINT_COUNT,
    &AV_JOINT_DATA,
    &AV_DEFAULT_POSE,
    &AV_GRAB_JOINTS,
    &ID_IDENTITY,
    &ID_SESSION_UUID,
    &ID_SEQUENCE,
    &ID_ATTACHMENTS,
    &ID_DISPLAY_NAME,
    &ID_SESSION_DISPLAY_NAME,
    &ID_FLAGS,
    &FRUSTUM_COUNT,
    &FRUSTUM,
    &FRUSTUM_POSITION,
    &FRUSTUM_DIRECTION,
    &FRUSTUM_HALF_ANGLE,
    &FRUSTUM_FAR_CLIP,
    &FRUSTUM_RADIUS,
    &KILL_UUID,
    &KILL_REASON,
    &EQ_CONNECTION_ID,
    &EQ_MAX_PPS,
    &EQ_OCTREE_SCALE,
    &EQ_BOUNDARY_ADJUST,
    &EQ_JSON_LEN,
    &EQ_JSON,
    &EQ_FLAGS,
    &MSG_CHANNEL,
    &MSG_IS_TEXT,
    &MSG_LENGTH,
    &MSG_TEXT,
    &MSG_DATA,
    &MSG_SENDER,
    &TRAITS_SEQUENCE,
    &TRAITS_AVATAR,
    &TRAITS_AVATAR_ID,
    &TRAITS_TYPE,
    &TRAITS_VERSION,
    &TRAITS_INSTANCE,
    &TRAITS_SIZE,
    &TRAITS_DATA,
    &IGNORE_ADD,
    &REQUESTS_DOMAIN_LIST_DATA,
    &IGNORE_UUID,
    &ASSIGN_TYPE,
    &ASSIGN_UUID,
    &ASSIGN_POOL,
    &ASSIGN_PAYLOAD,
    &ASSIGN_NODE_VERSION,
];

/// The findings those payloads share.
pub(super) static EXPERTS: &[&ExpertInfo] = &[
    &TRUNCATED,
    &MALFORMED,
    &QSTRING_ODD,
    &TRAILING_BYTES,
    &WRONG_LENGTH,
    &UNKNOWN_ENUM,
    &NOT_DECODED,
    &ADDR_PROTOCOL_MISMATCH,
    &SIGNATURE_UNUSUAL,
    &SYSINFO_INFLATE,
    &SYSINFO_BOUND,
    &RECORD_LIMIT,
];

pub static UNDECODED: FieldInfo = FieldInfo::new(
    "overte.payload.undecoded",
    "Undecoded",
    K::Bytes,
    "payload bytes after a truncated or malformed field",
);
pub static TRAILING: FieldInfo = FieldInfo::new(
    "overte.payload.trailing",
    "Trailing bytes",
    K::Bytes,
    "bytes after the last field the receiver reads",
);
pub static ADDR_PROTOCOL: FieldInfo = FieldInfo::new(
    "overte.addr.protocol",
    "Address protocol",
    K::Enum,
    "QHostAddress protocol byte: 0 IPv4, 1 IPv6, 2 Any, 255 null",
);
pub static ADDR_IP: FieldInfo =
    FieldInfo::new("overte.addr.ip", "Address", K::Ip, "QHostAddress address (IPv4 BE u32 or 16 IPv6 bytes)");
pub static ADDR_SCOPE: FieldInfo =
    FieldInfo::new("overte.addr.scope_id", "Scope ID", K::String, "IPv6 scope id (QString)");
pub static ADDR_PORT: FieldInfo = FieldInfo::new("overte.addr.port", "Port", K::Unsigned, "SockAddr port (u16 BE)");
pub static PERMISSION_NAMES: FieldInfo =
    FieldInfo::new("overte.permission_names", "Permission names", K::String, "names of the NodePermissions bits set");
pub static CONNECT_UUID: FieldInfo =
    FieldInfo::new("overte.connect.connect_uuid", "Connect UUID", K::Uuid, "assignment UUID, ICE client ID or null");
pub static CONNECT_SIGNATURE: FieldInfo = FieldInfo::new(
    "overte.connect.signature",
    "Protocol signature",
    K::Bytes,
    "MD5 of the packet version table (QByteArray)",
);
pub static CONNECT_HW_ADDR: FieldInfo = FieldInfo::new(
    "overte.connect.hardware_address",
    "Hardware address",
    K::String,
    "MAC address QString (null if none)",
);
pub static CONNECT_FINGERPRINT: FieldInfo =
    FieldInfo::new("overte.connect.machine_fingerprint", "Machine fingerprint", K::Uuid, "machine fingerprint QUuid");
pub static CONNECT_SYSINFO: FieldInfo =
    FieldInfo::new("overte.connect.system_info", "System info", K::Bytes, "qCompress'ed JSON system info (QByteArray)");
pub static SYSINFO_SIZE: FieldInfo = FieldInfo::new(
    "overte.connect.system_info.size",
    "Uncompressed size",
    K::Unsigned,
    "qCompress's 4-byte BE uncompressed size",
);
pub static SYSINFO_ZLIB: FieldInfo =
    FieldInfo::new("overte.connect.system_info.zlib", "Compressed data", K::Bytes, "zlib stream");
pub static SYSINFO_JSON: FieldInfo = FieldInfo::new(
    "overte.connect.system_info.json",
    "System info JSON",
    K::String,
    "inflated system info (derived buffer)",
);
pub static CONNECT_REASON: FieldInfo =
    FieldInfo::new("overte.connect.reason", "Connect reason", K::Enum, "ConnectReason (u32 BE)");
pub static CONNECT_PREV_UPTIME: FieldInfo =
    FieldInfo::new("overte.connect.previous_uptime", "Previous connection uptime", K::Unsigned, "µs (u64 BE)");
pub static CI_TIMESTAMP: FieldInfo =
    FieldInfo::new("overte.check_in.timestamp", "Timestamp", K::Unsigned, "check-in time, µs since the epoch (u64 BE)");
pub static CI_OWNER: FieldInfo =
    FieldInfo::new("overte.check_in.owner_type", "Owner type", K::Enum, "the sender's NodeType");
pub static CI_PUBLIC_TYPE: FieldInfo = FieldInfo::new(
    "overte.check_in.public_socket_type",
    "Public socket type",
    K::Enum,
    "SocketType byte before the public SockAddr",
);
pub static CI_PUBLIC: FieldInfo =
    FieldInfo::new("overte.check_in.public_socket", "Public socket", K::SocketAddr, "public SockAddr");
pub static CI_LOCAL_TYPE: FieldInfo = FieldInfo::new(
    "overte.check_in.local_socket_type",
    "Local socket type",
    K::Enum,
    "SocketType byte before the local SockAddr",
);
pub static CI_LOCAL: FieldInfo =
    FieldInfo::new("overte.check_in.local_socket", "Local socket", K::SocketAddr, "local SockAddr");
pub static CI_INTERESTS: FieldInfo =
    FieldInfo::new("overte.check_in.interests", "Node types of interest", K::None, "QList<NodeType>");
pub static CI_INTEREST_COUNT: FieldInfo =
    FieldInfo::new("overte.check_in.interest_count", "Count", K::Unsigned, "list length (u32 BE)");
pub static CI_INTEREST: FieldInfo =
    FieldInfo::new("overte.check_in.interest", "Node type", K::Enum, "a NodeType of interest");
pub static CI_PLACE: FieldInfo = FieldInfo::new("overte.check_in.place_name", "Place name", K::String, "QString");
pub static CI_USERNAME: FieldInfo = FieldInfo::new(
    "overte.check_in.username",
    "Username",
    K::String,
    "directory-services username (before connecting)",
);
pub static CI_USERNAME_SIG: FieldInfo = FieldInfo::new(
    "overte.check_in.username_signature",
    "Username signature",
    K::Bytes,
    "RSA signature of username + connection token, or empty",
);
pub static CI_DOMAIN_USERNAME: FieldInfo =
    FieldInfo::new("overte.check_in.domain_username", "Domain username", K::String, "optional domain account username");
pub static CI_DOMAIN_TOKENS: FieldInfo = FieldInfo::new(
    "overte.check_in.domain_tokens",
    "Domain tokens",
    K::String,
    "optional \"access:refresh\" domain tokens",
);
pub static DL_SESSION_UUID: FieldInfo =
    FieldInfo::new("overte.domain_list.session_uuid", "Domain session UUID", K::Uuid, "the domain's UUID");
pub static DL_DOMAIN_LOCAL_ID: FieldInfo = FieldInfo::new(
    "overte.domain_list.domain_local_id",
    "Domain local ID",
    K::Unsigned,
    "the domain server's local ID (u16 BE)",
);
pub static DL_YOUR_UUID: FieldInfo =
    FieldInfo::new("overte.domain_list.your_uuid", "Your UUID", K::Uuid, "the receiver's node UUID");
pub static DL_YOUR_LOCAL_ID: FieldInfo = FieldInfo::new(
    "overte.domain_list.your_local_id",
    "Your local ID",
    K::Unsigned,
    "the receiver's local ID (u16 BE at payload 34; sent LE in its NL headers)",
);
pub static DL_PERMISSIONS: FieldInfo =
    FieldInfo::new("overte.domain_list.permissions", "Permissions", K::Hex, "NodePermissions bits (u32 BE)");
pub static DL_AUTHENTICATE: FieldInfo =
    FieldInfo::new("overte.domain_list.authenticate", "Authenticate packets", K::Bool, "1: HMAC verification is on");
pub static DL_LAST_CHECK_IN: FieldInfo = FieldInfo::new(
    "overte.domain_list.last_check_in",
    "Check-in echo",
    K::Unsigned,
    "echo of the client's last check-in timestamp (µs)",
);
pub static DL_SERVER_TIME: FieldInfo =
    FieldInfo::new("overte.domain_list.server_time", "Server time", K::Unsigned, "domain server wall clock (µs)");
pub static DL_PROCESSING_TIME: FieldInfo = FieldInfo::new(
    "overte.domain_list.processing_time",
    "Processing time",
    K::Unsigned,
    "domain server processing time (µs)",
);
pub static DL_NEW_CONNECTION: FieldInfo = FieldInfo::new(
    "overte.domain_list.new_connection",
    "New connection",
    K::Bool,
    "first DomainList of this connection",
);
pub static DL_NODE_COUNT: FieldInfo =
    FieldInfo::new("overte.domain_list.node_count", "Node records", K::Unsigned, "node records in this datagram");
pub static NODE: FieldInfo = FieldInfo::new(
    "overte.node",
    "Node",
    K::Enum,
    "a node record (DomainList, DomainServerAddedNode), labelled by node type",
);
pub static NODE_TYPE: FieldInfo = FieldInfo::new("overte.node.type", "Node type", K::Enum, "NodeType");
pub static NODE_UUID: FieldInfo = FieldInfo::new("overte.node.uuid", "UUID", K::Uuid, "node UUID");
pub static NODE_PUBLIC_TYPE: FieldInfo =
    FieldInfo::new("overte.node.public_socket_type", "Public socket type", K::Enum, "SocketType");
pub static NODE_PUBLIC: FieldInfo =
    FieldInfo::new("overte.node.public_socket", "Public socket", K::SocketAddr, "public SockAddr");
pub static NODE_LOCAL_TYPE: FieldInfo =
    FieldInfo::new("overte.node.local_socket_type", "Local socket type", K::Enum, "SocketType");
pub static NODE_LOCAL: FieldInfo =
    FieldInfo::new("overte.node.local_socket", "Local socket", K::SocketAddr, "local SockAddr");
pub static NODE_PERMISSIONS: FieldInfo =
    FieldInfo::new("overte.node.permissions", "Permissions", K::Hex, "NodePermissions bits (u32 BE)");
pub static NODE_REPLICATED: FieldInfo = FieldInfo::new("overte.node.replicated", "Replicated", K::Bool, "isReplicated");
pub static NODE_LOCAL_ID: FieldInfo =
    FieldInfo::new("overte.node.local_id", "Local ID", K::Unsigned, "the node's local ID (u16 BE)");
pub static NODE_SECRET: FieldInfo =
    FieldInfo::new("overte.node.secret", "Connection secret", K::Uuid, "HMAC-MD5 key shared with this node");
pub static REMOVED_UUID: FieldInfo =
    FieldInfo::new("overte.removed_node.uuid", "Removed node", K::Uuid, "UUID of the node that left");
pub static TOKEN_UUID: FieldInfo = FieldInfo::new(
    "overte.connection_token.token",
    "Connection token",
    K::Uuid,
    "token the client signs with its username key",
);
pub static DENIED_REASON: FieldInfo =
    FieldInfo::new("overte.denied.reason", "Reason", K::Enum, "ConnectionRefusedReason");
pub static DENIED_MESSAGE: FieldInfo =
    FieldInfo::new("overte.denied.message", "Message", K::String, "reason text (u16 LE length + UTF-8)");
pub static DENIED_EXTRA: FieldInfo =
    FieldInfo::new("overte.denied.extra_info", "Extra info", K::String, "extra info (u16 LE length + UTF-8)");
pub static PATH_QUERY: FieldInfo =
    FieldInfo::new("overte.path_query.path", "Path", K::String, "queried path (u16 LE length + UTF-8)");
pub static PATH_RESPONSE_PATH: FieldInfo =
    FieldInfo::new("overte.path_response.path", "Path", K::String, "the queried path");
pub static PATH_RESPONSE_VIEWPOINT: FieldInfo =
    FieldInfo::new("overte.path_response.viewpoint", "Viewpoint", K::String, "position/orientation for the path");
pub static PING_TYPE: FieldInfo = FieldInfo::new("overte.ping.type", "Ping type", K::Enum, "PingType");
pub static PING_TIMESTAMP: FieldInfo =
    FieldInfo::new("overte.ping.timestamp", "Timestamp", K::Unsigned, "send time of the ping, µs (u64 LE)");
pub static PING_CONNECTION_ID: FieldInfo =
    FieldInfo::new("overte.ping.connection_id", "Connection ID", K::Signed, "sender's connection counter (i64 LE)");
pub static PING_REPLY_TIMESTAMP: FieldInfo = FieldInfo::new(
    "overte.ping.reply_timestamp",
    "Reply timestamp",
    K::Unsigned,
    "send time of the reply, µs (u64 LE)",
);
pub static ICE_ID: FieldInfo = FieldInfo::new("overte.ice.id", "ID", K::Uuid, "sender / domain / peer ID");
pub static ICE_PUBLIC: FieldInfo =
    FieldInfo::new("overte.ice.public_socket", "Public socket", K::SocketAddr, "public SockAddr");
pub static ICE_LOCAL: FieldInfo =
    FieldInfo::new("overte.ice.local_socket", "Local socket", K::SocketAddr, "local SockAddr");
pub static ICE_SIGNATURE: FieldInfo =
    FieldInfo::new("overte.ice.signature", "Signature", K::Bytes, "RSA signature of the heartbeat");
pub static ICE_DOMAIN_ID: FieldInfo =
    FieldInfo::new("overte.ice.domain_id", "Wanted domain ID", K::Uuid, "domain the client asks for");
pub static ICE_PING_TYPE: FieldInfo = FieldInfo::new("overte.ice.ping_type", "Ping type", K::Enum, "PingType");
pub static AUDIO_SEQUENCE: FieldInfo =
    FieldInfo::new("overte.audio.sequence", "Sequence", K::Unsigned, "audio sequence number (u16 LE)");
pub static AUDIO_CODEC: FieldInfo =
    FieldInfo::new("overte.audio.codec", "Codec", K::String, "codec name (u32 LE length + UTF-8)");
pub static AUDIO_CODEC_COUNT: FieldInfo =
    FieldInfo::new("overte.audio.codec_count", "Codecs", K::Unsigned, "number of codecs offered");
pub static AUDIO_STEREO: FieldInfo = FieldInfo::new("overte.audio.stereo", "Stereo", K::Bool, "isStereo");
pub static AUDIO_SILENT_SAMPLES: FieldInfo =
    FieldInfo::new("overte.audio.silent_samples", "Silent samples", K::Unsigned, "number of silent samples");
pub static AUDIO_POSITION: FieldInfo =
    FieldInfo::new("overte.audio.position", "Position", K::String, "x, y, z (f32 LE)");
pub static AUDIO_ORIENTATION: FieldInfo =
    FieldInfo::new("overte.audio.orientation", "Orientation", K::String, "quaternion, 4 f32 LE in glm memory order");
pub static AUDIO_BBOX_CORNER: FieldInfo =
    FieldInfo::new("overte.audio.bbox_corner", "Bounding box corner", K::String, "x, y, z (f32 LE)");
pub static AUDIO_BBOX_SCALE: FieldInfo =
    FieldInfo::new("overte.audio.bbox_scale", "Bounding box scale", K::String, "x, y, z (f32 LE)");
pub static AUDIO_STREAM_ID: FieldInfo =
    FieldInfo::new("overte.audio.stream_id", "Stream ID", K::Uuid, "injector stream UUID");
pub static AUDIO_LOOPBACK: FieldInfo =
    FieldInfo::new("overte.audio.loopback", "Loopback", K::Bool, "injector loopback flag");
pub static AUDIO_RADIUS: FieldInfo =
    FieldInfo::new("overte.audio.radius", "Radius", K::Float, "injector radius (QDataStream double, 8 bytes BE)");
pub static AUDIO_VOLUME: FieldInfo = FieldInfo::new("overte.audio.volume", "Volume", K::Unsigned, "injector gain byte");
pub static AUDIO_IGNORE_PENUMBRA: FieldInfo =
    FieldInfo::new("overte.audio.ignore_penumbra", "Ignore penumbra", K::Bool, "injector option");
pub static AUDIO_DATA: FieldInfo = FieldInfo::new("overte.audio.data", "Audio data", K::Bytes, "encoded audio");
pub static AV_SEQUENCE: FieldInfo =
    FieldInfo::new("overte.avatar.sequence", "Sequence", K::Unsigned, "avatar data sequence (u16 LE)");
pub static AV_AVATAR: FieldInfo = FieldInfo::new("overte.avatar", "Avatar", K::None, "one avatar of a BulkAvatarData");
pub static AV_SESSION_UUID: FieldInfo =
    FieldInfo::new("overte.avatar.session_uuid", "Session UUID", K::Uuid, "the avatar's session UUID");
pub static AV_FLAGS: FieldInfo =
    FieldInfo::new("overte.avatar.flags", "Has flags", K::Hex, "HasFlags: which sections follow (u16 LE)");
pub static AV_POSITION: FieldInfo =
    FieldInfo::new("overte.avatar.position", "Global position", K::String, "x, y, z (f32 LE)");
pub static AV_BBOX_DIMENSIONS: FieldInfo =
    FieldInfo::new("overte.avatar.bbox_dimensions", "Bounding box dimensions", K::String, "x, y, z");
pub static AV_BBOX_OFFSET: FieldInfo =
    FieldInfo::new("overte.avatar.bbox_offset", "Bounding box offset", K::String, "x, y, z");
pub static AV_ORIENTATION: FieldInfo =
    FieldInfo::new("overte.avatar.orientation", "Orientation", K::Bytes, "packed quaternion (6 bytes)");
pub static AV_SCALE: FieldInfo = FieldInfo::new("overte.avatar.scale", "Scale", K::Unsigned, "packed scale (u16 LE)");
pub static AV_LOOK_AT: FieldInfo = FieldInfo::new("overte.avatar.look_at", "Look-at position", K::String, "x, y, z");
pub static AV_LOUDNESS: FieldInfo =
    FieldInfo::new("overte.avatar.audio_loudness", "Audio loudness", K::Unsigned, "packed loudness byte");
pub static AV_SENSOR_TO_WORLD: FieldInfo = FieldInfo::new(
    "overte.avatar.sensor_to_world",
    "Sensor-to-world matrix",
    K::Bytes,
    "packed quaternion, scale, translation (20 bytes)",
);
pub static AV_ADDITIONAL_FLAGS: FieldInfo =
    FieldInfo::new("overte.avatar.additional_flags", "Additional flags", K::Hex, "u16 LE");
pub static AV_PARENT_ID: FieldInfo =
    FieldInfo::new("overte.avatar.parent_id", "Parent ID", K::Uuid, "parent entity/avatar");
pub static AV_PARENT_JOINT: FieldInfo =
    FieldInfo::new("overte.avatar.parent_joint", "Parent joint index", K::Unsigned, "u16 LE");
pub static AV_LOCAL_POSITION: FieldInfo =
    FieldInfo::new("overte.avatar.local_position", "Local position", K::String, "x, y, z");
pub static AV_HAND_CONTROLLERS: FieldInfo =
    FieldInfo::new("overte.avatar.hand_controllers", "Hand controllers", K::Bytes, "24 bytes");
pub static AV_FACE_TRACKER: FieldInfo = FieldInfo::new(
    "overte.avatar.face_tracker",
    "Face tracker",
    K::Bytes,
    "4 floats, blendshape count and coefficients",
);
pub static AV_JOINT_COUNT: FieldInfo =
    FieldInfo::new("overte.avatar.joint_count", "Joints", K::Unsigned, "number of joints");
pub static AV_JOINT_DATA: FieldInfo =
    FieldInfo::new("overte.avatar.joint_data", "Joint data", K::Bytes, "validity bits, rotations, translations");
pub static AV_DEFAULT_POSE: FieldInfo =
    FieldInfo::new("overte.avatar.default_pose", "Default pose flags", K::Bytes, "joint count and two bit vectors");
pub static AV_GRAB_JOINTS: FieldInfo =
    FieldInfo::new("overte.avatar.grab_joints", "Far-grab joints", K::Bytes, "84 bytes");
pub static ID_IDENTITY: FieldInfo = FieldInfo::new("overte.identity", "Identity", K::None, "one avatar identity");
pub static ID_SESSION_UUID: FieldInfo =
    FieldInfo::new("overte.identity.session_uuid", "Session UUID", K::Uuid, "avatar session UUID");
pub static ID_SEQUENCE: FieldInfo =
    FieldInfo::new("overte.identity.sequence", "Identity sequence", K::Signed, "qint32 BE");
pub static ID_ATTACHMENTS: FieldInfo =
    FieldInfo::new("overte.identity.attachment_count", "Attachments", K::Unsigned, "attachment list length (u32 BE)");
pub static ID_DISPLAY_NAME: FieldInfo =
    FieldInfo::new("overte.identity.display_name", "Display name", K::String, "QString");
pub static ID_SESSION_DISPLAY_NAME: FieldInfo =
    FieldInfo::new("overte.identity.session_display_name", "Session display name", K::String, "QString");
pub static ID_FLAGS: FieldInfo = FieldInfo::new(
    "overte.identity.flags",
    "Identity flags",
    K::Hex,
    "isReplicated 1, lookAtSnapping 2, verificationFailed 4",
);
pub static FRUSTUM_COUNT: FieldInfo =
    FieldInfo::new("overte.frustum_count", "Frustums", K::Unsigned, "number of view frustums");
pub static FRUSTUM: FieldInfo =
    FieldInfo::new("overte.frustum", "Frustum", K::None, "a conical view frustum (32 bytes)");
pub static FRUSTUM_POSITION: FieldInfo = FieldInfo::new("overte.frustum.position", "Position", K::String, "x, y, z");
pub static FRUSTUM_DIRECTION: FieldInfo = FieldInfo::new("overte.frustum.direction", "Direction", K::String, "x, y, z");
pub static FRUSTUM_HALF_ANGLE: FieldInfo =
    FieldInfo::new("overte.frustum.half_angle", "Half angle (packed)", K::Unsigned, "u16 LE");
pub static FRUSTUM_FAR_CLIP: FieldInfo =
    FieldInfo::new("overte.frustum.far_clip", "Far clip (packed)", K::Unsigned, "u16 LE");
pub static FRUSTUM_RADIUS: FieldInfo =
    FieldInfo::new("overte.frustum.center_radius", "Center radius", K::Float, "f32 LE");
pub static KILL_UUID: FieldInfo = FieldInfo::new("overte.kill_avatar.uuid", "Avatar", K::Uuid, "avatar session UUID");
pub static KILL_REASON: FieldInfo = FieldInfo::new("overte.kill_avatar.reason", "Reason", K::Enum, "KillAvatarReason");
pub static EQ_CONNECTION_ID: FieldInfo =
    FieldInfo::new("overte.entity_query.connection_id", "Connection ID", K::Unsigned, "u16 LE");
pub static EQ_MAX_PPS: FieldInfo =
    FieldInfo::new("overte.entity_query.max_pps", "Max packets per second", K::Signed, "i32 LE");
pub static EQ_OCTREE_SCALE: FieldInfo =
    FieldInfo::new("overte.entity_query.octree_scale", "Octree element size scale", K::Float, "f32 LE");
pub static EQ_BOUNDARY_ADJUST: FieldInfo =
    FieldInfo::new("overte.entity_query.boundary_level_adjust", "Boundary level adjust", K::Signed, "i32 LE");
pub static EQ_JSON_LEN: FieldInfo =
    FieldInfo::new("overte.entity_query.parameters_length", "Parameters length", K::Unsigned, "u16 LE");
pub static EQ_JSON: FieldInfo =
    FieldInfo::new("overte.entity_query.parameters", "JSON parameters", K::Bytes, "Qt binary JSON or CBOR");
pub static EQ_FLAGS: FieldInfo = FieldInfo::new("overte.entity_query.flags", "Query flags", K::Hex, "u16 LE");
pub static MSG_CHANNEL: FieldInfo =
    FieldInfo::new("overte.messages.channel", "Channel", K::String, "channel name (UTF-8)");
pub static MSG_IS_TEXT: FieldInfo = FieldInfo::new("overte.messages.is_text", "Text", K::Bool, "message is text");
pub static MSG_LENGTH: FieldInfo = FieldInfo::new("overte.messages.length", "Message length", K::Unsigned, "u32 LE");
pub static MSG_TEXT: FieldInfo = FieldInfo::new("overte.messages.text", "Message", K::String, "text message");
pub static MSG_DATA: FieldInfo = FieldInfo::new("overte.messages.data", "Message data", K::Bytes, "binary message");
pub static MSG_SENDER: FieldInfo = FieldInfo::new("overte.messages.sender", "Sender", K::Uuid, "sender UUID");
pub static TRAITS_SEQUENCE: FieldInfo =
    FieldInfo::new("overte.traits.sequence", "Trait message sequence", K::Unsigned, "u64 LE");
pub static TRAITS_AVATAR: FieldInfo =
    FieldInfo::new("overte.traits.avatar", "Avatar traits", K::None, "one avatar's traits");
pub static TRAITS_AVATAR_ID: FieldInfo = FieldInfo::new("overte.traits.avatar_id", "Avatar", K::Uuid, "avatar UUID");
pub static TRAITS_TYPE: FieldInfo =
    FieldInfo::new("overte.traits.type", "Trait type", K::Enum, "TraitType (i8; 255 = -1 ends the list)");
pub static TRAITS_VERSION: FieldInfo = FieldInfo::new("overte.traits.version", "Trait version", K::Signed, "i32 LE");
pub static TRAITS_INSTANCE: FieldInfo =
    FieldInfo::new("overte.traits.instance_id", "Instance ID", K::Uuid, "instanced traits only");
pub static TRAITS_SIZE: FieldInfo =
    FieldInfo::new("overte.traits.size", "Trait size", K::Signed, "i16 LE; -1 = deleted");
pub static TRAITS_DATA: FieldInfo = FieldInfo::new("overte.traits.data", "Trait data", K::Bytes, "trait value");
pub static IGNORE_ADD: FieldInfo = FieldInfo::new("overte.ignore.add", "Add", K::Bool, "1 ignore, 0 unignore");
pub static REQUESTS_DOMAIN_LIST_DATA: FieldInfo =
    FieldInfo::new("overte.requests_domain_list_data", "Requests domain list data", K::Bool, "u8 bool isRequesting");
pub static IGNORE_UUID: FieldInfo = FieldInfo::new("overte.ignore.uuid", "Node", K::Uuid, "node to (un)ignore");
pub static ASSIGN_TYPE: FieldInfo =
    FieldInfo::new("overte.assignment.type", "Assignment type", K::Enum, "Assignment::Type");
pub static ASSIGN_UUID: FieldInfo = FieldInfo::new("overte.assignment.uuid", "UUID", K::Uuid, "assignment UUID");
pub static ASSIGN_POOL: FieldInfo = FieldInfo::new("overte.assignment.pool", "Pool", K::String, "QString");
pub static ASSIGN_PAYLOAD: FieldInfo = FieldInfo::new("overte.assignment.payload", "Payload", K::Bytes, "QByteArray");
pub static ASSIGN_NODE_VERSION: FieldInfo =
    FieldInfo::new("overte.assignment.node_version", "Node version", K::String, "QString (RequestAssignment)");

pub static TRUNCATED: ExpertInfo = ExpertInfo::new(
    "overte.payload.truncated",
    Severity::Error,
    ExpertGroup::Malformed,
    "a field runs past the end of the payload; the rest is not decoded",
);
pub static MALFORMED: ExpertInfo = ExpertInfo::new(
    "overte.payload.malformed",
    Severity::Error,
    ExpertGroup::Malformed,
    "a field holds a value the real reader rejects; the rest is not decoded",
);
pub static QSTRING_ODD: ExpertInfo = ExpertInfo::new(
    "overte.qstring.odd_length",
    Severity::Error,
    ExpertGroup::Malformed,
    "a QString with an odd byte length: Qt marks the stream corrupt",
);
// Protocol, as Wireshark's "extraneous data".
pub static TRAILING_BYTES: ExpertInfo = ExpertInfo::new(
    "overte.payload.trailing_bytes",
    Severity::Warn,
    ExpertGroup::Protocol,
    "bytes after the last field the receiver reads; it ignores them",
);
pub static WRONG_LENGTH: ExpertInfo = ExpertInfo::new(
    "overte.payload.wrong_length",
    Severity::Warn,
    ExpertGroup::Malformed,
    "a fixed-size payload has the wrong length for its type",
);
// Protocol, not Undecoded: the value is shown and decoding goes on.
pub static UNKNOWN_ENUM: ExpertInfo = ExpertInfo::new(
    "overte.payload.unknown_enum",
    Severity::Note,
    ExpertGroup::Protocol,
    "an enum value the reference implementation does not define",
);
pub static NOT_DECODED: ExpertInfo = ExpertInfo::new(
    "overte.payload.not_decoded",
    Severity::Note,
    ExpertGroup::Undecoded,
    "a part of the payload this dissector does not decode",
);
pub static ADDR_PROTOCOL_MISMATCH: ExpertInfo = ExpertInfo::new(
    "overte.addr.protocol_mismatch",
    Severity::Warn,
    ExpertGroup::Protocol,
    "QHostAddress protocol byte 1 (IPv6) in front of an IPv4 address",
);
pub static SIGNATURE_UNUSUAL: ExpertInfo = ExpertInfo::new(
    "overte.connect.signature_unusual",
    Severity::Warn,
    ExpertGroup::Protocol,
    "protocol signature is not a 16-byte MD5 (or is INCORRECTVERSION)",
);
pub static SYSINFO_INFLATE: ExpertInfo = ExpertInfo::new(
    "overte.connect.system_info_inflate_failed",
    Severity::Warn,
    ExpertGroup::Undecoded,
    "the compressed system info does not inflate",
);
// The bounds against bombs and memory exhaustion are Security.
pub static SYSINFO_BOUND: ExpertInfo = ExpertInfo::new(
    "overte.connect.system_info_too_large",
    Severity::Note,
    ExpertGroup::Security,
    "the system info inflates past the 64 KiB bound",
);
pub static RECORD_LIMIT: ExpertInfo = ExpertInfo::new(
    "overte.payload.record_limit",
    Severity::Note,
    ExpertGroup::Security,
    "more records than the session layer keeps",
);
