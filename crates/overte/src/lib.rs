//! Overte (High Fidelity / Vircadia) UDT and NLPacket traffic (`protocols/overte.md`): the UDT
//! layer (sequence numbers, control packets, message reassembly, de-obfuscation), the NLPacket
//! header (types, versions, source Local IDs, HMACs), the protocol signature, and capture-wide
//! sessions (domain servers, nodes, Local IDs, connection secrets, silence).

#![forbid(unsafe_code)]

mod dissector;
mod fields;
pub mod heuristic;
mod md5;
pub mod nlpacket;
mod nodes;
pub mod payload;
mod reassembly;
mod sequence;
mod sourcing;
pub mod types;
pub mod udt;

pub use dissector::{Overte, MAX_SEEN};
pub use fields::PROTOCOL;
