//! Field keys and expert tags: the stable names users filter and assert on.

use udpdissect_core::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, Missing, ProtocolInfo, Severity};

pub static PROTOCOL: ProtocolInfo = ProtocolInfo {
    name: "heartbeat",
    column: "SRUN",
    columns: &[],
    long_name: "SRUN 3000 UID heartbeat",
    ports: &[crate::wire::PORT],
    heuristic: false,
    fields: &[
        &HB,
        &TYPE,
        &UID,
        &PADDING,
        &TRAILING,
        &STATUS,
        &SESSION,
        &BEAT,
        &INTERVAL,
        &RESPONSE_TO,
        &RESPONSE_TIME,
        &REQUEST_UID,
    ],
    experts: &[
        &BAD_LENGTH,
        &SESSION_DEAD,
        &UID_MISMATCH,
        &PADDING_NONZERO,
        &BEAT_AFTER_DEATH,
        &REPLY_WITHOUT_REQUEST,
        &NO_REPLY,
        &LATE_REPLY,
        &INTERVAL_UNUSUAL,
        &NEW_UID,
    ],
    prefs: &[],
    // The UID is a login's session id: another login, another UID. The rest are computed from
    // the capture (numbering, timing, pairing), not sent.
    volatile: &[
        "heartbeat.uid",
        "heartbeat.session",
        "heartbeat.beat",
        "heartbeat.interval",
        "heartbeat.response_to",
        "heartbeat.time",
        "heartbeat.request_uid",
    ],
};

pub static HB: FieldInfo = FieldInfo::new("heartbeat", "SRUN UID Heartbeat", K::None, "the heartbeat message");
pub static TYPE: FieldInfo =
    FieldInfo::new("heartbeat.type", "Type", K::Enum, "0 request (client to UDP 3335), 1 reply (from UDP 3335)");
pub static UID: FieldInfo = FieldInfo::new(
    "heartbeat.uid",
    "UID",
    K::Signed,
    "login session id, little-endian i64; -2 in a reply: session dead",
);
pub static PADDING: FieldInfo = FieldInfo::new("heartbeat.padding", "Padding", K::Bytes, "reply bytes 8..16, zero");
pub static TRAILING: FieldInfo =
    FieldInfo::new("heartbeat.trailing", "Trailing bytes", K::Bytes, "bytes past the message's fixed length");
pub static STATUS: FieldInfo = FieldInfo::new(
    "heartbeat.status",
    "Session status",
    K::Enum,
    "reply verdict: 0 alive (UID echoed), 1 dead (-2), 2 other UID",
);
pub static SESSION: FieldInfo = FieldInfo::new(
    "heartbeat.session",
    "Session",
    K::Unsigned,
    "session number in this capture (per client IP, server and UID)",
);
pub static BEAT: FieldInfo = FieldInfo::new("heartbeat.beat", "Beat", K::Unsigned, "beat number within the session");
pub static INTERVAL: FieldInfo =
    FieldInfo::new("heartbeat.interval", "Interval", K::Duration, "time since the session's previous beat");
pub static RESPONSE_TO: FieldInfo =
    FieldInfo::new("heartbeat.response_to", "Response to", K::Frame, "frame of the request this reply answers");
pub static RESPONSE_TIME: FieldInfo =
    FieldInfo::new("heartbeat.time", "Response time", K::Duration, "time from the request to this reply");
pub static REQUEST_UID: FieldInfo = FieldInfo::new(
    "heartbeat.request_uid",
    "Request UID",
    K::Signed,
    "UID of the answered request, when the reply carries another",
);

pub static BAD_LENGTH: ExpertInfo = ExpertInfo::new(
    "heartbeat.bad_length",
    Severity::Error,
    ExpertGroup::Malformed,
    "a request is 8 bytes and a reply 16; pysrun drops replies of any other length",
);
pub static SESSION_DEAD: ExpertInfo = ExpertInfo::new(
    "heartbeat.session_dead",
    Severity::Warn,
    ExpertGroup::ResponseCode,
    "the server answered -2: the session is dead (kicked, logged out); pysrun exits, log in again",
);
pub static UID_MISMATCH: ExpertInfo = ExpertInfo::new(
    "heartbeat.uid_mismatch",
    Severity::Warn,
    ExpertGroup::Protocol,
    "the reply carries a UID other than the request's and is not -2; pysrun only logs it",
);
pub static PADDING_NONZERO: ExpertInfo = ExpertInfo::new(
    "heartbeat.padding_nonzero",
    Severity::Warn,
    ExpertGroup::Protocol,
    "reply bytes 8..16 are not zero",
);
pub static BEAT_AFTER_DEATH: ExpertInfo = ExpertInfo::new(
    "heartbeat.beat_after_death",
    Severity::Warn,
    ExpertGroup::Protocol,
    "a beat for a UID the server already declared dead; the server keeps answering -2",
);
pub static REPLY_WITHOUT_REQUEST: ExpertInfo = ExpertInfo::new(
    "heartbeat.reply_without_request",
    Severity::Warn,
    ExpertGroup::Sequence,
    "a reply with no request on the reversed 5-tuple earlier in the capture",
)
.when_missing(Missing::Peer);
pub static NO_REPLY: ExpertInfo = ExpertInfo::new(
    "heartbeat.no_reply",
    Severity::Warn,
    ExpertGroup::Sequence,
    "a beat that got no reply on its 5-tuple",
)
.when_missing(Missing::Peer);
pub static LATE_REPLY: ExpertInfo = ExpertInfo::new(
    "heartbeat.late_reply",
    Severity::Note,
    ExpertGroup::Sequence,
    "a reply more than 0.5 s after its request; pysrun has stopped waiting by then",
);
pub static INTERVAL_UNUSUAL: ExpertInfo = ExpertInfo::new(
    "heartbeat.interval_unusual",
    Severity::Note,
    ExpertGroup::Sequence,
    "a beat off the session's cadence (set by its first interval): missed beats or an irregular client",
)
.when_missing(Missing::Sender);
pub static NEW_UID: ExpertInfo = ExpertInfo::new(
    "heartbeat.new_uid",
    Severity::Note,
    ExpertGroup::Sequence,
    "the client beats with a new UID: a new login, and a new session",
);
