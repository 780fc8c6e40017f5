//! Conversations: UDP 5-tuples (both directions) with the protocol bound to them and each
//! protocol's state. Bounded by count (least recently used evicted) and expired by capture
//! time, never wall time.

use crate::addr::Addr;
use crate::field::{FieldInfo, FieldKind};
use crate::lru::LruMap;
use crate::TimeNs;
use std::any::{Any, TypeId};
use std::net::SocketAddr;

/// Most conversations kept at once (DESIGN limit).
pub const MAX_CONVERSATIONS: usize = 65_536;
/// A conversation idle this long (capture time) starts afresh: new id, no state.
pub const CONVERSATION_IDLE_NS: TimeNs = 600 * 1_000_000_000;

/// Identifies one conversation for the lifetime of a run; never reused.
pub type ConvId = u64;

/// The conversation's index in the run, from 0 in order of first appearance: tshark's stream.
pub static UDP_STREAM: FieldInfo = FieldInfo::new(
    "udp.stream",
    "Stream index",
    FieldKind::Unsigned,
    "the conversation's number in the capture, from 0 in order of first appearance (a conversation idle 10 minutes, or dropped at the table's limit, comes back under a new one)",
);
/// Capture time since the conversation's first datagram.
pub static UDP_TIME_RELATIVE: FieldInfo = FieldInfo::new(
    "udp.time_relative",
    "Time since first frame",
    FieldKind::Duration,
    "capture time since the first datagram of this conversation",
);
/// Capture time since the conversation's previous datagram.
pub static UDP_TIME_DELTA: FieldInfo = FieldInfo::new(
    "udp.time_delta",
    "Time since previous frame",
    FieldKind::Duration,
    "capture time since the previous datagram of this conversation",
);

/// Where a datagram falls in its conversation: the conversation's stream index and the capture
/// time since its first and its previous datagram (the UDP tree's `udp.stream`,
/// `udp.time_relative` and `udp.time_delta`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    pub stream: u64,
    pub since_first: TimeNs,
    pub since_previous: TimeNs,
}

/// Direction relative to the conversation's first packet (whose sender is the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    ClientToServer,
    ServerToClient,
}

/// The two ends, packed and in sorted order (40 bytes, where two `SocketAddr`s take 64: the
/// table is walked at random on every datagram).
type Key = (Addr, Addr);

/// Each protocol's states in a conversation: the protocol's index, the state's type (kept
/// beside it, so finding a state costs no call through the box's vtable), and the state.
pub(crate) type States = Vec<(usize, TypeId, Box<dyn Any + Send>)>;

/// Kept to 72 bytes (with its key and hash, 120 a slot): the table is walked at random.
pub(crate) struct Conv {
    pub id: ConvId,
    /// Whether the client (the first sender) is the key's first end.
    client_first: bool,
    /// Only an ICMP error's quote of it has been seen: it binds no protocol yet, and names
    /// none ([`crate::Engine::protocol_between`] goes by the ports).
    pub quoted: bool,
    /// The dissector bound to it (registration index; the engine holds fewer than 64).
    pub bound: Option<u8>,
    /// Capture time of the first datagram, of the latest in capture order, and the latest.
    first: TimeNs,
    previous: TimeNs,
    last: TimeNs,
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

    /// The id the next new conversation will get.
    pub fn next_id(&self) -> ConvId {
        self.next_id
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

    /// Starts loading what looking up the conversation between two ends reads first.
    #[inline]
    pub fn prefetch(&self, a: SocketAddr, b: SocketAddr) {
        self.table.prefetch(&key(Addr::new(a), Addr::new(b)));
    }

    /// The conversation between two ends, if it is tracked, without marking it used.
    pub fn peek(&self, a: SocketAddr, b: SocketAddr) -> Option<&Conv> {
        self.table.peek(&key(Addr::new(a), Addr::new(b)))
    }

    /// Finds or creates the conversation of a datagram and marks it used; also its client and
    /// where the datagram falls in it.
    #[inline]
    pub fn touch(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        frame: u64,
        now: TimeNs,
    ) -> (&mut Conv, Direction, SocketAddr, Place) {
        let (conv, dir, place) = self.visit(src, dst, frame, now, false);
        let client = if dir == Direction::ClientToServer { src } else { dst };
        (conv, dir, client, place)
    }

    /// The stream index of the conversation whose datagram an ICMP error quotes, tracked from
    /// now on if it is new, as tshark tracks it, and its binding if it has carried datagrams
    /// (`None` if only quotes were seen). A quote binds no protocol and moves neither the
    /// conversation's times nor its client.
    pub fn quote(&mut self, src: SocketAddr, dst: SocketAddr, frame: u64, now: TimeNs) -> (u64, Option<Option<u8>>) {
        let (conv, _, place) = self.visit(src, dst, frame, now, true);
        (place.stream, (!conv.quoted).then_some(conv.bound))
    }

    /// [`Conversations::touch`] for a datagram, or for a quote of one: one body for both. The
    /// client is the sender when the direction is client to server, else the receiver: the
    /// caller has both, so the address is not returned through memory. Inlined for the same
    /// reason: the place came back through memory, stored as three words and loaded as a
    /// pair, and the load waited for the stores to reach the cache.
    #[inline(always)]
    fn visit(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        frame: u64,
        now: TimeNs,
        quote: bool,
    ) -> (&mut Conv, Direction, Place) {
        while self.table.peek_lru().is_some_and(|(_, c)| now.saturating_sub(c.last) > CONVERSATION_IDLE_NS) {
            if let Some((_, c)) = self.table.pop_lru() {
                note_drop(&mut self.dropped, self.watched, &c);
            }
        }
        let full = self.table.len() >= self.table.capacity();
        let next_id = &mut self.next_id;
        let (a, b) = (Addr::new(src), Addr::new(dst));
        let key = key(a, b);
        let forward = key.0 == a;
        let (conv, created, slot, evicted) = self.table.get_or_insert_slot(&key, || {
            *next_id += 1;
            Conv {
                id: *next_id - 1,
                client_first: forward,
                quoted: quote,
                bound: None,
                first: now,
                previous: now,
                last: now,
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
        let place = Place {
            stream: conv.id - 1,
            since_first: now.saturating_sub(conv.first),
            since_previous: now.saturating_sub(conv.previous),
        };
        if !quote {
            if conv.quoted {
                // Its first datagram: the sender is the client, whoever the quote was from.
                conv.quoted = false;
                conv.client_first = forward;
            }
            conv.previous = now;
            conv.last = conv.last.max(now);
        }
        let dir = if forward == conv.client_first { Direction::ClientToServer } else { Direction::ServerToClient };
        (conv, dir, place)
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
        let (conv, d, client, _) = c.touch(sa("10.0.0.1:5000"), sa("10.0.0.2:3335"), 1, 0);
        let id = conv.id;
        assert_eq!((d, client), (Direction::ClientToServer, sa("10.0.0.1:5000")));
        let (conv, d, client, _) = c.touch(sa("10.0.0.2:3335"), sa("10.0.0.1:5000"), 2, 1);
        assert_eq!((conv.id, d, client), (id, Direction::ServerToClient, sa("10.0.0.1:5000")));
        // A client whose address sorts after the server's.
        let (_, d, client, _) = c.touch(sa("10.0.0.9:5000"), sa("10.0.0.2:3335"), 3, 2);
        assert_eq!((d, client), (Direction::ClientToServer, sa("10.0.0.9:5000")));
        let (_, d, client, _) = c.touch(sa("10.0.0.2:3335"), sa("10.0.0.9:5000"), 4, 3);
        assert_eq!((d, client), (Direction::ServerToClient, sa("10.0.0.9:5000")));
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn datagrams_are_placed_in_their_conversation_as_tshark_numbers_and_times_them() {
        let mut c = Conversations::new(8);
        let place = |c: &mut Conversations, src, dst, frame, now| c.touch(sa(src), sa(dst), frame, now).3;
        let first = place(&mut c, "10.0.0.1:5000", "10.0.0.2:3335", 1, 1_000);
        assert_eq!(first, Place { stream: 0, since_first: 0, since_previous: 0 });
        assert_eq!(place(&mut c, "10.0.0.3:7", "10.0.0.2:3335", 2, 1_500).stream, 1);
        let reply = place(&mut c, "10.0.0.2:3335", "10.0.0.1:5000", 3, 4_000);
        assert_eq!(reply, Place { stream: 0, since_first: 3_000, since_previous: 3_000 });
        // A timestamp that goes back gives a negative delta, as tshark's does.
        let back = place(&mut c, "10.0.0.1:5000", "10.0.0.2:3335", 4, 3_500);
        assert_eq!(back, Place { stream: 0, since_first: 2_500, since_previous: -500 });
        // An idle conversation comes back under a new index.
        let later = 4_000 + CONVERSATION_IDLE_NS + 1;
        assert_eq!(place(&mut c, "10.0.0.1:5000", "10.0.0.2:3335", 5, later).stream, 2);
    }

    #[test]
    fn a_quoted_datagram_numbers_its_conversation_and_moves_nothing_else() {
        let mut c = Conversations::new(8);
        // An error quotes a datagram from A to B before any is seen: stream 0, as in tshark.
        assert_eq!(c.quote(sa("10.0.0.1:5000"), sa("10.0.0.2:6000"), 1, 1_000).0, 0);
        assert!(c.peek(sa("10.0.0.1:5000"), sa("10.0.0.2:6000")).unwrap().quoted);
        assert_eq!(c.quote(sa("10.0.0.2:6000"), sa("10.0.0.1:5000"), 2, 1_500).0, 0);
        // Its first datagram, from B: B is the client; the times count from the first quote.
        let (conv, d, client, place) = c.touch(sa("10.0.0.2:6000"), sa("10.0.0.1:5000"), 3, 3_000);
        assert!(!conv.quoted);
        assert_eq!((d, client), (Direction::ClientToServer, sa("10.0.0.2:6000")));
        assert_eq!(place, Place { stream: 0, since_first: 2_000, since_previous: 2_000 });
        // A later quote changes neither the times nor the client.
        assert_eq!(c.quote(sa("10.0.0.1:5000"), sa("10.0.0.2:6000"), 4, 4_000).0, 0);
        let (_, d, _, place) = c.touch(sa("10.0.0.1:5000"), sa("10.0.0.2:6000"), 5, 5_000);
        assert_eq!(d, Direction::ServerToClient);
        assert_eq!(place, Place { stream: 0, since_first: 4_000, since_previous: 2_000 });
        assert_eq!(c.quote(sa("10.0.0.9:1"), sa("10.0.0.2:6000"), 6, 6_000).0, 1);
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
        let (conv, d, _, _) = c.touch(sa("2.2.2.2:2"), sa("1.1.1.1:1"), 2, later);
        assert_ne!(conv.id, a);
        assert_eq!(d, Direction::ClientToServer, "a fresh conversation's first sender is its client");
    }

    #[test]
    fn a_conversation_stays_small() {
        assert!(std::mem::size_of::<Conv>() <= 72, "{}", std::mem::size_of::<Conv>());
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
