//! The SRUN 3000 UID heartbeat (`protocols/heartbeat.md`): requests and replies paired by
//! their reversed 5-tuple, and sessions per (client IP, server) that follow the UID, the
//! alive/dead state and the beat cadence, because every beat comes from a new source port.

#![forbid(unsafe_code)]

mod fields;
mod session;
mod stats;
pub mod wire;

pub use fields::PROTOCOL;
pub use session::Heartbeat;
