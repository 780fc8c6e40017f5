//! The packets a stream sent, by sequence number, for matching acks: a ring of up to
//! [`RING`] entries that grows with what the stream has sent, so that a session of a few
//! packets costs a few entries and a capture of 65 536 short sessions stays small.

use udpdissect_core::TimeNs;

/// Sequence numbers remembered per stream: an entry stays until a later one lands on its slot.
pub const RING: usize = 256;
/// The first allocation.
const FIRST: usize = 8;

/// The first transmission of one sequence number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sent {
    pub seq: u16,
    pub frame: u64,
    pub time: TimeNs,
    /// Sent again before an ack covered it (its round-trip time is then unknown).
    pub resent: bool,
    used: bool,
}

/// Slots by `seq % len` (a mask: `len` is a power of two); `len` doubles up to [`RING`] when a
/// new number lands on a taken slot while at least half the slots are taken. Consecutive
/// numbers (every real stream) fill the ring before they collide, so the entries kept are those
/// of a full ring of [`RING`]; sparse numbers chosen to collide overwrite instead of growing it.
#[derive(Default)]
pub struct SentRing {
    slots: Vec<Sent>,
    used: usize,
}

impl SentRing {
    /// Remembers `seq`'s first transmission; a repeat is marked resent and returns the frame
    /// that first sent it.
    pub fn record(&mut self, seq: u16, frame: u64, time: TimeNs) -> Option<u64> {
        if self.slots.is_empty() {
            self.slots = vec![Sent::default(); FIRST];
        }
        loop {
            let len = self.slots.len();
            let slot = &mut self.slots[usize::from(seq) & (len - 1)];
            if slot.used && slot.seq == seq {
                slot.resent = true;
                return Some(slot.frame);
            }
            if slot.used && len < RING && 2 * self.used >= len {
                self.grow();
                continue;
            }
            self.used += usize::from(!slot.used);
            *slot = Sent { seq, frame, time, resent: false, used: true };
            return None;
        }
    }

    /// The first transmission of `seq`, if remembered.
    pub fn get(&self, seq: u16) -> Option<Sent> {
        let len = self.slots.len();
        (len > 0).then(|| self.slots[usize::from(seq) & (len - 1)]).filter(|s| s.used && s.seq == seq)
    }

    /// Twice the slots, each entry moved to its new place: entries on distinct slots modulo
    /// `len` are on distinct slots modulo `2 len`.
    fn grow(&mut self) {
        let mut slots = vec![Sent::default(); 2 * self.slots.len()];
        for s in self.slots.iter().filter(|s| s.used) {
            let len = slots.len();
            slots[usize::from(s.seq) & (len - 1)] = *s;
        }
        self.slots = slots;
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed ring of `RING` slots this replaces, as the reference.
    struct Fixed(Vec<Option<(u16, u64, bool)>>);

    impl Fixed {
        fn record(&mut self, seq: u16, frame: u64) -> Option<u64> {
            let slot = &mut self.0[usize::from(seq) % RING];
            match slot {
                Some((s, f, resent)) if *s == seq => {
                    *resent = true;
                    Some(*f)
                }
                _ => {
                    *slot = Some((seq, frame, false));
                    None
                }
            }
        }
    }

    #[test]
    fn consecutive_numbers_keep_what_a_full_ring_keeps() {
        let (mut ring, mut fixed) = (SentRing::default(), Fixed(vec![None; RING]));
        // Two streams' worth of numbers across the 16-bit wrap, with repeats.
        let seqs = (65_000u16..=u16::MAX).chain(0..900).chain([10, 11, 600, 899, 65_500]);
        for (frame, seq) in seqs.enumerate() {
            assert_eq!(ring.record(seq, frame as u64, 7), fixed.record(seq, frame as u64), "seq {seq}");
        }
        for seq in 0..=u16::MAX {
            let want = fixed.0[usize::from(seq) % RING].filter(|s| s.0 == seq);
            let got = ring.get(seq).map(|s| (s.seq, s.frame, s.resent));
            assert_eq!(got, want, "seq {seq}");
        }
        assert_eq!(ring.len(), RING);
    }

    #[test]
    fn grows_with_what_was_sent() {
        let mut ring = SentRing::default();
        assert_eq!(ring.get(3), None);
        for seq in 0..5 {
            ring.record(seq, u64::from(seq), 0);
        }
        assert_eq!(ring.len(), FIRST);
        for seq in 5..40 {
            ring.record(seq, u64::from(seq), 0);
        }
        assert_eq!(ring.len(), 64);
        assert!((0..40).all(|s| ring.get(s).is_some_and(|e| e.frame == u64::from(s))));
        assert_eq!(ring.get(40), None);
    }

    #[test]
    fn sparse_numbers_do_not_grow_it() {
        // Numbers 256 apart land on one slot at every size: a hostile stream's two packets
        // cost the first eight slots, not a full ring.
        let mut ring = SentRing::default();
        for (frame, seq) in [0u16, 256, 512, 768].into_iter().enumerate() {
            assert_eq!(ring.record(seq, frame as u64, 0), None);
        }
        assert_eq!(ring.len(), FIRST);
        assert_eq!(ring.get(768).map(|s| s.frame), Some(3));
        assert_eq!(ring.get(0), None, "overwritten, as in a full ring");
        let again = ring.record(768, 9, 0);
        assert_eq!(again, Some(3));
        assert!(ring.get(768).unwrap().resent);
    }
}
