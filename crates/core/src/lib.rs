//! The dissection engine: the data model every protocol writes into (fields with stable
//! dotted keys, typed values, expert findings, derived data sources), the registry that
//! decides which dissector sees a datagram, and the conversation table that carries
//! per-protocol state between datagrams. It knows no protocol by name.

pub mod addr;
mod conversation;
pub mod digits;
mod dissection;
mod engine;
mod field;
mod handoff;
pub mod lru;
mod registry;
pub mod slot_index;
mod table;
pub mod testing;
mod unseen;
pub mod zlib;

pub use conversation::{
    ConvId, Direction, Dropped, Place, CONVERSATION_IDLE_NS, MAX_CONVERSATIONS, UDP_STREAM, UDP_TIME_DELTA,
    UDP_TIME_RELATIVE,
};
pub use dissection::{Dissection, Expert, Field, FieldId, Source, MAX_DEPTH, MAX_FIELDS, TOO_MANY_FIELDS};
pub use engine::{Context, Dissector, Engine, Packet, ProtocolInfo, Verdict, CONVERSATIONS_FULL, DATA};
pub use field::{
    key_under, ExpertGroup, ExpertInfo, FieldInfo, FieldKind, Hex, MacText, Missing, Seconds, Severity, UuidText, Value,
};
pub use handoff::{Handoff, Lent, Rules};
pub use registry::{DecodeAs, DecodeAsError};
pub use table::{Cell, Table};
pub use unseen::Unseen;

/// Capture time in nanoseconds since the Unix epoch. State expires by this clock only,
/// so every run over the same file gives the same output.
pub type TimeNs = i64;
