//! Conversations: UDP 5-tuples (both directions) with the protocol bound to them and each
//! protocol's state. Bounded by count (least recently used evicted) and expired by capture
//! time, never wall time.

use crate::addr::Addr;
use crate::lru::LruMap;
use crate::TimeNs;
use std::any::Any;
use std::net::SocketAddr;

/// Most conversations kept at once (DESIGN limit).
pub const MAX_CONVERSATIONS: usize = 65_536;
/// A conversation idle this long (capture time) starts afresh: new id, no state.
pub const CONVERSATION_IDLE_NS: TimeNs = 600 * 1_000_000_000;

/// Identifies one conversation for the lifetime of a run; never reused.
pub type ConvId = u64;

/// Direction relative to the conversation's first packet (whose sender is the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    ClientToServer,
    ServerToClient,
}

/// The two ends, packed and in sorted order (a third of the size of two `SocketAddr`s: the
/// table is walked at random on every datagram).
type Key = (Addr, Addr);

pub(crate) type States = Vec<(usize, Box<dyn Any + Send>)>;

pub(crate) struct Conv {
    pub id: ConvId,
    /// Whether the client (the first sender) is the key's first end.
    client_first: bool,
    pub first_frame: u64,
    last: TimeNs,
    pub bound: Option<usize>,
    /// The protocols that accepted a datagram of this conversation (bit per dissector).
    pub accepted: u64,
    /// Where the table keeps it: a number below the capacity, reused once it is dropped.
    pub slot: u32,
    pub states: States,
}

pub(crate) struct Conversations {
    table: LruMap<Key, Conv>,
    next_id: ConvId,
    /// The frame whose new conversation first found the table full.
    first_eviction: Option<u64>,
    /// Conversations dropped (expired or evicted) in which a protocol of this mask accepted a
    /// datagram: their state elsewhere can go too ([`crate::Lent::forget`]).
    pub watched: u64,
    pub dropped: Vec<Dropped>,
}

/// A conversation the table dropped: its slot, and which conversation held it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dropped {
    pub(crate) slot: u32,
    pub(crate) conv: ConvId,
}

/// Records a dropped conversation if a `watched` protocol accepted a datagram in it.
fn note_drop(dropped: &mut Vec<Dropped>, watched: u64, c: &Conv) {
    if c.accepted & watched != 0 {
        dropped.push(Dropped { slot: c.slot, conv: c.id });
    }
}

fn key(a: Addr, b: Addr) -> Key {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Conversations {
    pub fn new(capacity: usize) -> Self {
        Conversations {
            table: LruMap::new(capacity),
            next_id: 1,
            first_eviction: None,
            watched: 0,
            dropped: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn evicted(&self) -> u64 {
        self.table.evicted()
    }

    pub fn capacity(&self) -> usize {
        self.table.capacity()
    }

    pub fn first_eviction(&self) -> Option<u64> {
        self.first_eviction
    }

    /// The conversation between two ends, if it is tracked, without marking it used.
    pub fn peek(&self, a: SocketAddr, b: SocketAddr) -> Option<&Conv> {
        self.table.peek(&key(Addr::new(a), Addr::new(b)))
    }

    /// Finds or creates the conversation of a datagram and marks it used; also its client.
    pub fn touch(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        frame: u64,
        now: TimeNs,
    ) -> (&mut Conv, Direction, SocketAddr) {
        while self.table.peek_lru().is_some_and(|(_, c)| now.saturating_sub(c.last) > CONVERSATION_IDLE_NS) {
            if let Some((_, c)) = self.table.pop_lru() {
                note_drop(&mut self.dropped, self.watched, &c);
            }
        }
        let full = self.table.len() >= self.table.capacity();
        let next_id = &mut self.next_id;
        let (a, b) = (Addr::new(src), Addr::new(dst));
        let key = key(a, b);
        let (conv, created, slot, evicted) = self.table.get_or_insert_slot(&key, || {
            *next_id += 1;
            Conv {
                id: *next_id - 1,
                client_first: key.0 == a,
                first_frame: frame,
                last: now,
                bound: None,
                accepted: 0,
                slot: 0,
                states: Vec::new(),
            }
        });
        if let Some((_, c)) = evicted {
            note_drop(&mut self.dropped, self.watched, &c);
        }
        if created {
            conv.slot = slot;
            if full && self.first_eviction.is_none() {
                self.first_eviction = Some(frame);
            }
        }
        conv.last = conv.last.max(now);
        let from_client = (key.0 == a) == conv.client_first;
        let (dir, client) =
            if from_client { (Direction::ClientToServer, src) } else { (Direction::ServerToClient, dst) };
        (conv, dir, client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sa(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn both_directions_share_one_conversation_and_first_sender_is_client() {
        let mut c = Conversations::new(8);
        let (conv, d, client) = c.touch(sa("10.0.0.1:5000"), sa("10.0.0.2:3335"), 1, 0);
        let id = conv.id;
        assert_eq!((d, client), (Direction::ClientToServer, sa("10.0.0.1:5000")));
        let (conv, d, client) = c.touch(sa("10.0.0.2:3335"), sa("10.0.0.1:5000"), 2, 1);
        assert_eq!((conv.id, d, client), (id, Direction::ServerToClient, sa("10.0.0.1:5000")));
        // A client whose address sorts after the server's.
        let (_, d, client) = c.touch(sa("10.0.0.9:5000"), sa("10.0.0.2:3335"), 3, 2);
        assert_eq!((d, client), (Direction::ClientToServer, sa("10.0.0.9:5000")));
        let (_, d, client) = c.touch(sa("10.0.0.2:3335"), sa("10.0.0.9:5000"), 4, 3);
        assert_eq!((d, client), (Direction::ServerToClient, sa("10.0.0.9:5000")));
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn least_recently_used_is_evicted_at_capacity() {
        let mut c = Conversations::new(2);
        let a = c.touch(sa("1.1.1.1:1"), sa("2.2.2.2:2"), 1, 0).0.id;
        let b = c.touch(sa("1.1.1.1:3"), sa("2.2.2.2:2"), 2, 0).0.id;
        assert_eq!(c.touch(sa("1.1.1.1:1"), sa("2.2.2.2:2"), 3, 0).0.id, a);
        c.touch(sa("1.1.1.1:4"), sa("2.2.2.2:2"), 4, 0);
        assert_eq!(c.evicted(), 1);
        // b was least recently used, so it comes back as a new conversation.
        assert_ne!(c.touch(sa("1.1.1.1:3"), sa("2.2.2.2:2"), 5, 0).0.id, b);
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn idle_conversations_expire_by_capture_time() {
        let mut c = Conversations::new(8);
        let a = c.touch(sa("1.1.1.1:1"), sa("2.2.2.2:2"), 1, 0).0.id;
        let later = CONVERSATION_IDLE_NS + 1;
        let (conv, d, _) = c.touch(sa("2.2.2.2:2"), sa("1.1.1.1:1"), 2, later);
        assert_ne!(conv.id, a);
        assert_eq!(d, Direction::ClientToServer, "a fresh conversation's first sender is its client");
    }

    #[test]
    fn many_conversations_stay_bounded() {
        let mut c = Conversations::new(1000);
        for i in 0..100_000u32 {
            let src = SocketAddr::from(([10, (i >> 16) as u8, (i >> 8) as u8, i as u8], 1000));
            c.touch(src, sa("2.2.2.2:2"), i as u64, i as i64);
        }
        assert_eq!(c.len(), 1000);
        assert_eq!(c.evicted(), 99_000);
    }
}
