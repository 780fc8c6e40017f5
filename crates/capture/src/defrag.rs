//! Bounded IPv4/IPv6 reassembly (DESIGN limits: 4096 trackers, 16 MiB, 30 s of capture time).

use crate::reader::Timestamp;
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

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

/// Identifies one datagram being reassembled: (src, dst, protocol, id) for IPv4,
/// (src, dst, id) for IPv6 (`proto` is 0 there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FragKey {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: u8,
    pub id: u32,
}

/// A fragment handed to [`Defragmenter::add`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fragment<'d> {
    pub frame: u64,
    /// Offset of `data` in the datagram's payload, in bytes.
    pub offset: u32,
    pub more: bool,
    /// Upper-layer protocol of the datagram as this fragment announces it (IPv4 protocol,
    /// IPv6 fragment header's next header); taken from the offset-0 fragment.
    pub proto: u8,
    pub data: &'d [u8],
}

/// A datagram completed by the last [`Defragmenter::add`] call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reassembled<'a> {
    /// The reassembled IP payload (the upper-layer header is at 0 for IPv4).
    pub payload: &'a [u8],
    pub info: &'a FragmentInfo,
    /// Upper-layer protocol (from the first fragment).
    pub proto: u8,
}

struct Tracker {
    seq: u64,
    buf: Vec<u8>,
    /// Byte ranges [start, end) already filled, sorted and disjoint (not touching).
    covered: Vec<(u32, u32)>,
    /// Datagram payload length, once the last fragment was seen.
    total: Option<u32>,
    frags: Vec<(u64, u32, u32)>,
    proto: Option<u8>,
}

impl Tracker {
    /// Copies the parts of `data` (at `offset`) that no earlier fragment supplied.
    fn fill(&mut self, offset: u32, data: &[u8]) {
        let end = offset + data.len() as u32;
        if offset >= end {
            return;
        }
        if self.buf.len() < end as usize {
            self.buf.resize(end as usize, 0);
        }
        // Gaps of [offset, end) not covered yet.
        let mut pos = offset;
        for &(s, e) in &self.covered {
            if e <= pos {
                continue;
            }
            if s >= end {
                break;
            }
            if s > pos {
                let (a, b) = (pos as usize, s as usize);
                self.buf[a..b].copy_from_slice(&data[a - offset as usize..b - offset as usize]);
            }
            pos = pos.max(e);
            if pos >= end {
                break;
            }
        }
        if pos < end {
            let (a, b) = (pos as usize, end as usize);
            self.buf[a..b].copy_from_slice(&data[a - offset as usize..b - offset as usize]);
        }
        // Merge [offset, end) into the coverage list.
        let mut merged = (offset, end);
        let mut out_at = None;
        let mut i = 0;
        while i < self.covered.len() {
            let (s, e) = self.covered[i];
            if e < merged.0 {
                i += 1;
            } else if s > merged.1 {
                break;
            } else {
                merged = (merged.0.min(s), merged.1.max(e));
                self.covered.remove(i);
                out_at.get_or_insert(i);
            }
        }
        self.covered.insert(out_at.unwrap_or(i), merged);
    }

    fn complete(&self) -> bool {
        match self.total {
            Some(0) => true,
            Some(t) => self.covered.first() == Some(&(0, t)),
            None => false,
        }
    }
}

pub struct Defragmenter {
    limits: DefragLimits,
    trackers: HashMap<FragKey, Tracker>,
    /// Trackers by creation sequence (oldest first), with their creation time: capture time is
    /// monotonic along it, and the expiry check, made for every frame, reads no tracker.
    order: BTreeMap<u64, (Timestamp, FragKey)>,
    next_seq: u64,
    /// Sum of the trackers' buffer lengths.
    bytes: usize,
    /// Latest capture time seen.
    clock: Option<Timestamp>,
    evicted: u64,
    done_buf: Vec<u8>,
    done_info: FragmentInfo,
    /// The upper-layer protocol of the datagram the current frame completed, if it did.
    done: Option<u8>,
    /// Replays completions reassembled elsewhere ([`Defragmenter::replaying`]).
    replay: bool,
}

impl Default for Defragmenter {
    fn default() -> Self {
        Defragmenter::new(DefragLimits::default())
    }
}

impl Defragmenter {
    pub fn new(limits: DefragLimits) -> Self {
        Defragmenter {
            limits,
            trackers: HashMap::new(),
            order: BTreeMap::new(),
            next_seq: 0,
            bytes: 0,
            clock: None,
            evicted: 0,
            done_buf: Vec::new(),
            done_info: FragmentInfo::default(),
            done: None,
            replay: false,
        }
    }

    /// A reassembly that keeps no fragments: it completes a datagram only when told to
    /// ([`Defragmenter::prime`]), with what another thread's reassembly completed on the same
    /// frame ([`Defragmenter::completed`]). Memory: one datagram.
    pub fn replaying() -> Self {
        Defragmenter { replay: true, ..Defragmenter::default() }
    }

    /// The datagram the last decoded frame completed: its upper-layer protocol, bytes and
    /// fragments.
    pub fn completed(&self) -> Option<(u8, &[u8], &FragmentInfo)> {
        self.done.map(|proto| (proto, &self.done_buf[..], &self.done_info))
    }

    /// For a replaying reassembly: the next frame decoded completes this datagram.
    pub fn prime(&mut self, proto: u8, payload: &[u8], info: &FragmentInfo) {
        self.done_buf.clear();
        self.done_buf.extend_from_slice(payload);
        self.done_info.clone_from(info);
        self.done = Some(proto);
    }

    /// Trackers dropped because a limit was hit or they timed out (for expert notes / stats).
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// Datagrams currently waiting for more fragments.
    pub fn pending(&self) -> usize {
        self.trackers.len()
    }

    /// Bytes currently buffered for incomplete datagrams.
    pub fn buffered_bytes(&self) -> usize {
        self.bytes
    }

    /// Advances the capture clock (never backwards) and drops trackers older than the timeout.
    pub(crate) fn now(&mut self, ts: Timestamp) {
        if self.replay {
            return;
        }
        self.done = None;
        let now = match self.clock {
            Some(c) if c >= ts => c,
            _ => ts,
        };
        self.clock = Some(now);
        while let Some((&seq, &(created, _))) = self.order.first_key_value() {
            let deadline =
                Timestamp { secs: created.secs.saturating_add(self.limits.timeout_secs), nanos: created.nanos };
            if now > deadline {
                self.drop_tracker(seq);
                self.evicted += 1;
            } else {
                break;
            }
        }
    }

    fn drop_tracker(&mut self, seq: u64) {
        if let Some((_, key)) = self.order.remove(&seq) {
            if let Some(t) = self.trackers.remove(&key) {
                self.bytes -= t.buf.len();
            }
        }
    }

    fn evict_oldest(&mut self) -> Option<u64> {
        let (&seq, _) = self.order.first_key_value()?;
        self.drop_tracker(seq);
        self.evicted += 1;
        Some(seq)
    }

    /// Adds one fragment. Returns the reassembled datagram when this fragment completes it
    /// (valid until the next call).
    pub(crate) fn add(&mut self, key: FragKey, ts: Timestamp, frag: Fragment<'_>) -> Option<Reassembled<'_>> {
        if self.replay {
            let proto = self.done.take()?;
            return Some(Reassembled { payload: &self.done_buf, info: &self.done_info, proto });
        }
        self.now(ts);
        let now = self.clock.unwrap_or_default();
        let end = u64::from(frag.offset) + frag.data.len() as u64;
        if end > self.limits.max_datagram as u64 {
            return None; // claims a datagram larger than possible: damage
        }
        if self.limits.max_trackers == 0 {
            self.evicted += 1;
            return None;
        }
        if !self.trackers.contains_key(&key) {
            while self.trackers.len() >= self.limits.max_trackers {
                if self.evict_oldest().is_none() {
                    break;
                }
            }
            let seq = self.next_seq;
            self.next_seq += 1;
            self.order.insert(seq, (now, key));
            self.trackers.insert(
                key,
                Tracker { seq, buf: Vec::new(), covered: Vec::new(), total: None, frags: Vec::new(), proto: None },
            );
        }
        let t = self.trackers.get_mut(&key)?;
        let offset = frag.offset;
        let mut data = frag.data;
        let end = end as u32;
        let mut sets_total = false;
        if !frag.more {
            let max_seen = t.covered.last().map_or(0, |c| c.1);
            if t.total.is_none() && max_seen <= end {
                t.total = Some(end);
                sets_total = true;
            }
        }
        if let Some(total) = t.total {
            // Data past the end of the datagram is damage; keep what fits.
            let keep = total.saturating_sub(offset).min(data.len() as u32);
            data = &data[..keep as usize];
        }
        if offset == 0 && t.proto.is_none() {
            t.proto = Some(frag.proto);
        }
        let before = t.buf.len();
        t.fill(offset, data);
        let grown = t.buf.len() - before;
        if !data.is_empty() || sets_total {
            t.frags.push((frag.frame, offset, frag.data.len() as u32));
        }
        let seq = t.seq;
        let complete = t.complete();
        self.bytes += grown;

        if !complete {
            while self.bytes > self.limits.max_bytes {
                match self.evict_oldest() {
                    Some(s) if s != seq => {}
                    _ => return None,
                }
            }
            return None;
        }

        self.order.remove(&seq);
        let mut t = self.trackers.remove(&key)?;
        self.bytes -= t.buf.len();
        let total = t.total.unwrap_or(0);
        t.buf.truncate(total as usize);
        self.done_buf = t.buf;
        t.frags.sort_by_key(|&(frame, off, _)| (off, frame));
        self.done_info.fragments = t.frags;
        self.done_info.total_len = total;
        let proto = t.proto.unwrap_or(frag.proto);
        self.done = Some(proto);
        Some(Reassembled { payload: &self.done_buf, info: &self.done_info, proto })
    }
}
