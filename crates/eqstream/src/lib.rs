//! EQStream, the EverQuest and EverQuest II session protocol (`protocols/eqstream.md`): the
//! session layer (CRC, encode passes, sequencing, fragments, combining) and the EQ2
//! application layer (RC4, the persistent zlib stream, opcodes).

#![forbid(unsafe_code)]

pub mod config;
pub mod crc;
pub mod encode;
pub mod eq2;
pub mod fields;
pub mod opcodes;
pub mod passes;
pub mod rc4;
mod sent;
pub mod session;
pub mod stats;
mod streams;
pub mod wire;

pub use fields::PROTOCOL;
pub use session::{score, EqStream, Game};
