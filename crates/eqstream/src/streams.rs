//! The EQ2 connections' server→client zlib streams, at most [`DEFAULT_LIVE`] at once unless
//! `-o eqstream.max_streams:N` says otherwise.
//!
//! A stream's decoder holds about 40 KiB (its state and a 32 KiB window) from the first
//! compressed packet on, and a compressed packet can be 20 bytes: without a bound, a capture of
//! 65 536 short connections would need 2.6 GB. When a connection opens a stream and all are
//! taken, the least recently used one is dropped; its connection finds out at its next
//! compressed packet, which is then reported as the stream's loss.

use crate::eq2::Inflater;
use udpdissect_core::lru::LruMap;

/// Live streams per capture: about 21 MiB of decoders at most. An EQ2 server with more players
/// than this at once is rare; a capture holding that many open streams is more likely built to
/// exhaust memory.
pub const DEFAULT_LIVE: usize = 512;
/// The most `-o eqstream.max_streams` allows: as many as the conversation table holds.
pub const MOST_LIVE: usize = 65_536;

/// A connection's claim on a stream: void once the stream is dropped or closed (numbers are
/// never given twice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(u64);

/// The open streams by ticket, in the order of their last use: opening, using and closing one
/// take the same few steps however many are open.
pub struct Streams {
    live: LruMap<u64, Inflater>,
    issued: u64,
}

impl Default for Streams {
    fn default() -> Self {
        Streams::new(DEFAULT_LIVE)
    }
}

impl Streams {
    /// At most `limit` streams open at once (nothing is allocated before the first).
    pub fn new(limit: usize) -> Self {
        Streams { live: LruMap::new(limit), issued: 0 }
    }

    /// A fresh stream, the least recently used one dropped when the limit are open.
    pub fn open(&mut self) -> Ticket {
        self.issued += 1;
        self.live.get_or_insert_with(&self.issued, Inflater::default);
        Ticket(self.issued)
    }

    /// The ticket's stream, or `None` when it was dropped for another connection's.
    pub fn get(&mut self, t: Ticket) -> Option<&mut Inflater> {
        self.live.get_mut(&t.0)
    }

    /// Whether the ticket's stream is still there, without using it.
    #[cfg(test)]
    fn is_live(&self, t: Ticket) -> bool {
        self.live.peek(&t.0).is_some()
    }

    /// Streams open.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.live.len()
    }

    /// The connection is done with its stream (a disconnect): its place is free.
    pub fn close(&mut self, t: Ticket) {
        self.live.remove(&t.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eq2::Deflater;
    use proptest::prelude::*;

    #[test]
    fn the_least_recently_used_stream_gives_way() {
        let mut s = Streams::default();
        let t: Vec<Ticket> = (0..DEFAULT_LIVE).map(|_| s.open()).collect();
        // Every stream but the third is used again: the third is the oldest.
        for (i, &ticket) in t.iter().enumerate() {
            if i != 2 {
                assert!(s.get(ticket).is_some());
            }
        }
        let newer = s.open();
        assert!(s.get(t[2]).is_none(), "dropped");
        assert!(s.get(newer).is_some());
        assert!(t.iter().enumerate().all(|(i, &x)| i == 2 || s.get(x).is_some()));
        assert_eq!(s.len(), DEFAULT_LIVE);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Open,
        Use(usize),
        Close(usize),
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Against a model that keeps the open streams in the order of their last use: a
        /// ticket is live exactly while the model has it, whatever the opens, uses and closes.
        #[test]
        fn streams_follow_a_least_recently_used_model(
            ops in proptest::collection::vec(
                prop_oneof![
                    6 => Just(Op::Open),
                    3 => (0usize..4096).prop_map(Op::Use),
                    1 => (0usize..4096).prop_map(Op::Close),
                ],
                0..2500,
            )
        ) {
            let mut s = Streams::default();
            let mut tickets: Vec<Ticket> = Vec::new();
            // The model: each live ticket's index, most recently used last, and by index.
            let (mut live, mut alive): (Vec<usize>, Vec<bool>) = (Vec::new(), Vec::new());
            for (n, op) in ops.into_iter().enumerate() {
                match op {
                    Op::Open => {
                        if live.len() == DEFAULT_LIVE {
                            alive[live.remove(0)] = false;
                        }
                        tickets.push(s.open());
                        live.push(tickets.len() - 1);
                        alive.push(true);
                    }
                    Op::Use(i) if !tickets.is_empty() => {
                        let i = i % tickets.len();
                        prop_assert_eq!(s.get(tickets[i]).is_some(), alive[i]);
                        if alive[i] {
                            live.retain(|&k| k != i);
                            live.push(i);
                        }
                    }
                    Op::Close(i) if !tickets.is_empty() => {
                        let i = i % tickets.len();
                        s.close(tickets[i]);
                        live.retain(|&k| k != i);
                        alive[i] = false;
                    }
                    _ => {}
                }
                if n % 16 == 0 {
                    for (i, &t) in tickets.iter().enumerate() {
                        prop_assert_eq!(s.is_live(t), alive[i], "ticket {}", i);
                    }
                }
                prop_assert!(s.len() <= DEFAULT_LIVE);
            }
            for (i, &t) in tickets.iter().enumerate() {
                prop_assert_eq!(s.is_live(t), alive[i], "ticket {}", i);
            }
        }
    }

    #[test]
    fn the_finding_names_the_limit() {
        let limit = format!("({DEFAULT_LIVE}, or -o eqstream.max_streams)");
        assert!(crate::fields::STREAMS_FULL.summary.contains(&limit), "{}", crate::fields::STREAMS_FULL.summary);
    }

    #[test]
    fn a_closed_stream_frees_its_slot_first() {
        let mut s = Streams::default();
        let t: Vec<Ticket> = (0..DEFAULT_LIVE).map(|_| s.open()).collect();
        s.close(t[500]);
        assert!(s.get(t[500]).is_none());
        s.close(t[500]); // twice: no second free slot
        let a = s.open();
        assert!(s.get(t[0]).is_some(), "the oldest stays: a closed slot was free");
        let b = s.open();
        assert!(s.get(t[1]).is_none(), "then the oldest gives way");
        assert!(s.get(a).is_some() && s.get(b).is_some());
    }

    #[test]
    fn a_fresh_stream_starts_from_nothing() {
        let (mut s, mut via) = (Streams::default(), udpdissect_core::zlib::Inflater::default());
        let mut inflate = |z: &mut Inflater, packet: &[u8]| {
            let mut out = Vec::new();
            z.feed(&mut via, packet, &mut out, 1 << 16).map(|()| out)
        };
        let (mut d1, mut d2) = (Deflater::default(), Deflater::default());
        let first = s.open();
        assert_eq!(inflate(s.get(first).unwrap(), &d1.feed(b"hello")).unwrap(), b"hello");
        let t: Vec<Ticket> = (1..=DEFAULT_LIVE).map(|_| s.open()).collect();
        // `first`'s slot is the last ticket's now, with a new decoder: a new stream (its zlib
        // header first) inflates, and the old stream's next packet has nowhere to go.
        assert!(s.get(first).is_none());
        let z = s.get(t[DEFAULT_LIVE - 1]).unwrap();
        assert_eq!(z.total_out(), 0);
        assert_eq!(inflate(z, &d2.feed(b"world")).unwrap(), b"world");
        assert!(inflate(s.get(t[0]).unwrap(), &d1.feed(b"again")).is_err(), "no zlib header");
    }
}
