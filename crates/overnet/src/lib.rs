//! Overnet and the eDonkey-family UDP protocols around it (`protocols/overnet.md`): every
//! Overnet opcode decoded as mldonkey, KadC and the original clients read it; eDonkey server
//! UDP, eMule extensions and Kad named; recognition by content on random ports; peers learned
//! per node and searches followed hop by hop.

#![forbid(unsafe_code)]

mod decode;
pub mod family;
mod fields;
pub mod search_tree;
mod session;
mod stats;
pub mod tags;
pub mod wire;

pub use fields::{PORTS, PROTOCOL};
pub use session::Overnet;
