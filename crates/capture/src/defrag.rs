//! Bounded IPv4/IPv6 reassembly (DESIGN limits: 4096 trackers, 16 MiB, 30 s of capture time).

use crate::reader::Timestamp;

#[derive(Debug, Clone, Copy)]
pub struct DefragLimits {
    pub max_trackers: usize,
    pub max_bytes: usize,
    pub timeout_secs: i64,
    /// Largest reassembled datagram (IPv4 max 65535; a larger claimed size is damage).
    pub max_datagram: usize,
}

impl Default for DefragLimits {
    fn default() -> Self {
        DefragLimits { max_trackers: 4096, max_bytes: 16 << 20, timeout_secs: 30, max_datagram: 65535 }
    }
}

/// Frames that contributed to a reassembled datagram, in offset order: (frame number, offset, len).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FragmentInfo {
    pub fragments: Vec<(u64, u32, u32)>,
    pub total_len: u32,
}

pub struct Defragmenter {
    _private: (),
}

impl Defragmenter {
    pub fn new(limits: DefragLimits) -> Self {
        let _ = limits;
        todo!()
    }
    /// Trackers dropped because a limit was hit or they timed out (for expert notes / stats).
    pub fn evicted(&self) -> u64 {
        todo!()
    }
    #[allow(dead_code)]
    pub(crate) fn now(&mut self, _ts: Timestamp) {}
}
