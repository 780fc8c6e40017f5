//! Reassembly of ordered multi-datagram messages (`protocols/overte.md` §1.3): the message body
//! is the concatenation, in part order, of each datagram's bytes after its NLPacket header.
//! Capture-wide and bounded: messages up to 1 MiB, a few pending at once, a total byte budget.

use std::net::SocketAddr;
use udpdissect_core::lru::LruMap;

/// Largest message body kept (DESIGN limit).
pub const MAX_MESSAGE: usize = 1 << 20;
/// Messages awaiting parts at once.
pub const MAX_PENDING: usize = 64;
/// Bytes held by all pending messages.
pub const MAX_TOTAL: usize = 16 << 20;
/// Parts of one message.
pub const MAX_PARTS: usize = 4096;

type Key = (SocketAddr, SocketAddr, u32);

#[derive(Default)]
struct Pending {
    /// (part number, frame, bytes), in arrival order.
    parts: Vec<(u32, u64, Vec<u8>)>,
    bytes: usize,
    last_part: Option<u32>,
    /// Over a bound: later parts are only counted, never stored.
    dropped: bool,
}

/// What adding a part did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    /// Waiting for more parts.
    Pending,
    /// This part was already held (a retransmission).
    Repeat,
    /// The message is complete: its body and the frames of its parts, in part order.
    Complete { body: Vec<u8>, frames: Vec<u64> },
    /// The message broke a bound; the reason names it.
    Dropped(&'static str),
}

pub struct Reassembler {
    pending: LruMap<Key, Pending>,
    total: usize,
    /// Pending messages dropped to make room (reported with the packet that caused it).
    pub evicted: u64,
}

impl Default for Reassembler {
    fn default() -> Self {
        Reassembler { pending: LruMap::new(MAX_PENDING), total: 0, evicted: 0 }
    }
}

impl Reassembler {
    /// Adds the part of message `number` from `src` to `dst`.
    pub fn add(&mut self, key: Key, position: u8, part: u32, frame: u64, bytes: &[u8]) -> Added {
        // Make room before inserting, so the budget holds and evictions are counted.
        if self.pending.peek(&key).is_none() && self.pending.len() >= MAX_PENDING {
            self.evict_one();
        }
        while self.total + bytes.len() > MAX_TOTAL && self.pending.len() > 1 {
            if !self.evict_one() {
                break;
            }
        }
        let (p, _) = self.pending.get_or_insert_with(&key, Pending::default);
        if p.dropped {
            return Added::Dropped("an earlier part broke a bound");
        }
        if p.parts.iter().any(|(n, _, _)| *n == part) {
            return Added::Repeat;
        }
        if position == crate::udt::POSITION_LAST {
            p.last_part = Some(part);
        }
        let over = if p.bytes + bytes.len() > MAX_MESSAGE {
            Some("the message grew past 1 MiB")
        } else if p.parts.len() >= MAX_PARTS {
            Some("the message has more than 4096 parts")
        } else if p.last_part.is_some_and(|last| part > last) {
            Some("a part numbered after the LAST part")
        } else {
            None
        };
        if let Some(why) = over {
            self.total -= p.bytes;
            *p = Pending { dropped: true, ..Pending::default() };
            return Added::Dropped(why);
        }
        p.bytes += bytes.len();
        self.total += bytes.len();
        p.parts.push((part, frame, bytes.to_vec()));
        let complete = p.last_part.is_some_and(|last| p.parts.len() as u64 == u64::from(last) + 1);
        if !complete {
            return Added::Pending;
        }
        let mut p = self.pending.remove(&key).unwrap_or_default();
        self.total -= p.bytes;
        p.parts.sort_unstable_by_key(|(n, _, _)| *n);
        let mut body = Vec::with_capacity(p.bytes);
        let mut frames = Vec::with_capacity(p.parts.len());
        for (_, f, b) in &p.parts {
            body.extend_from_slice(b);
            frames.push(*f);
        }
        Added::Complete { body, frames }
    }

    fn evict_one(&mut self) -> bool {
        match self.pending.pop_lru() {
            Some((_, p)) => {
                self.total -= p.bytes;
                if !p.dropped {
                    self.evicted += 1;
                }
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::udt::{POSITION_FIRST, POSITION_LAST, POSITION_MIDDLE};

    fn key(n: u32) -> Key {
        ("10.0.0.1:1".parse().unwrap(), "10.0.0.2:2".parse().unwrap(), n)
    }

    #[test]
    fn parts_in_any_order_and_repeats() {
        let mut r = Reassembler::default();
        assert_eq!(r.add(key(7), POSITION_LAST, 2, 3, b"ef"), Added::Pending);
        assert_eq!(r.add(key(7), POSITION_FIRST, 0, 1, b"ab"), Added::Pending);
        assert_eq!(r.add(key(7), POSITION_FIRST, 0, 4, b"ab"), Added::Repeat);
        assert_eq!(
            r.add(key(7), POSITION_MIDDLE, 1, 5, b"cd"),
            Added::Complete { body: b"abcdef".to_vec(), frames: vec![1, 5, 3] }
        );
        assert_eq!(r.total, 0);
    }

    #[test]
    fn bounds_drop_messages() {
        let mut r = Reassembler::default();
        let big = vec![0u8; MAX_MESSAGE];
        assert_eq!(r.add(key(1), POSITION_FIRST, 0, 1, &big), Added::Pending);
        assert!(matches!(r.add(key(1), POSITION_MIDDLE, 1, 2, b"x"), Added::Dropped(_)));
        assert!(matches!(r.add(key(1), POSITION_LAST, 2, 3, b"x"), Added::Dropped(_)));
        assert_eq!(r.total, 0);
        for n in 0..MAX_PENDING as u32 + 3 {
            r.add(key(100 + n), POSITION_FIRST, 0, 1, b"x");
        }
        assert!(r.evicted >= 3);
        assert!(r.pending.len() <= MAX_PENDING);
    }
}
