//! The index under [`crate::lru::LruMap`] and the statistics' maps: from an entry's 32-bit hash
//! to its slot, by open addressing with linear probing over one 64-bit word per bucket (the slot
//! and the hash), kept at most half full.
//!
//! A lookup reads one cache line of it, where a table of control bytes reads two (the control
//! group, then the bucket, far apart in a large table): on every datagram the conversation
//! table and a protocol's table or two are looked up at random, and each line is a likely
//! cache miss. Removal shifts the entries after the hole back, so there are no deleted markers
//! and a map under constant churn never rehashes. Growth reads only the index.
//!
//! The hash is not keyed (as it was not under hashbrown): a capture crafted so that thousands
//! of keys share a home bucket makes each lookup walk their run, slower but bounded by the
//! map's size.

use rustc_hash::FxBuildHasher;
use std::hash::{BuildHasher, Hash};

/// The hash an index takes for `key`: the low half of Fx's, which its final rotation fills
/// with the best mixed bits of its last product.
#[inline]
pub fn hash<K: Hash + ?Sized>(key: &K) -> u32 {
    FxBuildHasher.hash_one(key) as u32
}

/// A bucket holding nothing (no slot is `u32::MAX`).
const EMPTY: u64 = u64::MAX;
/// Buckets in a new index.
const MIN_BUCKETS: usize = 16;

#[derive(Debug, Clone, Default)]
pub struct SlotIndex {
    /// `slot << 32 | hash`, or [`EMPTY`]; a power of two long, or empty.
    buckets: Vec<u64>,
    len: usize,
    /// 64 less the bits of a bucket number: a hash's home is the top bits of its product.
    shift: u32,
}

impl SlotIndex {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Buckets allocated.
    pub fn buckets(&self) -> usize {
        self.buckets.len()
    }

    /// Where probing for `hash` starts. Multiplying spreads the hash's low bits into the top
    /// ones, so keys that differ only in a port still land apart.
    #[inline(always)]
    fn home(&self, hash: u32) -> usize {
        (u64::from(hash).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// Starts loading the bucket a lookup of `hash` reads first.
    #[inline(always)]
    pub fn prefetch(&self, hash: u32) {
        if let Some(b) = self.buckets.get(self.home(hash)) {
            udpdissect_prefetch::prefetch(b);
        }
    }

    /// The bucket and slot of the first entry with this hash whose slot `is` accepts.
    #[inline(always)]
    pub fn find(&self, hash: u32, mut is: impl FnMut(u32) -> bool) -> Option<(usize, u32)> {
        if self.len == 0 {
            return None;
        }
        let mask = self.buckets.len() - 1;
        let mut i = self.home(hash);
        loop {
            let b = self.buckets[i & mask];
            if b == EMPTY {
                return None;
            }
            let slot = (b >> 32) as u32;
            if b as u32 == hash && is(slot) {
                return Some((i & mask, slot));
            }
            i = (i & mask) + 1;
        }
    }

    /// Adds an entry (its key must not be in the index yet).
    pub fn insert(&mut self, hash: u32, slot: u32) {
        if (self.len + 1) * 2 > self.buckets.len() {
            self.grow();
        }
        self.place((u64::from(slot) << 32) | u64::from(hash));
        self.len += 1;
    }

    fn place(&mut self, b: u64) {
        let mask = self.buckets.len() - 1;
        let mut i = self.home(b as u32);
        while self.buckets[i] != EMPTY {
            i = (i + 1) & mask;
        }
        self.buckets[i] = b;
    }

    fn grow(&mut self) {
        let n = (self.buckets.len() * 2).max(MIN_BUCKETS);
        let old = std::mem::replace(&mut self.buckets, vec![EMPTY; n]);
        self.shift = 64 - n.trailing_zeros();
        for b in old.into_iter().filter(|&b| b != EMPTY) {
            self.place(b);
        }
    }

    /// Empties `bucket` (from [`SlotIndex::find`]): each entry after it up to the next empty
    /// bucket moves back into the hole if that keeps it at or after its home.
    pub fn remove(&mut self, bucket: usize) {
        let mask = self.buckets.len() - 1;
        let (mut hole, mut j) = (bucket, bucket);
        loop {
            j = (j + 1) & mask;
            let b = self.buckets[j];
            if b == EMPTY {
                break;
            }
            let from_home = j.wrapping_sub(self.home(b as u32)) & mask;
            if from_home >= j.wrapping_sub(hole) & mask {
                self.buckets[hole] = b;
                hole = j;
            }
        }
        self.buckets[hole] = EMPTY;
        self.len -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// Every entry is found from its home, with no empty bucket on the way.
    fn check(ix: &SlotIndex, model: &HashMap<u32, u32>) {
        assert_eq!(ix.len(), model.len());
        for (&slot, &hash) in model {
            assert_eq!(ix.find(hash, |s| s == slot).map(|(_, s)| s), Some(slot));
        }
        assert!(ix.len() * 2 <= ix.buckets());
    }

    #[test]
    fn colliding_hashes_wrap_around_and_survive_removals() {
        let mut ix = SlotIndex::default();
        let mut model = HashMap::new();
        // The same hash five times: one run of buckets, found by slot.
        for slot in 0..5 {
            ix.insert(7, slot);
            model.insert(slot, 7);
        }
        check(&ix, &model);
        let (bucket, _) = ix.find(7, |s| s == 1).unwrap();
        ix.remove(bucket);
        model.remove(&1);
        check(&ix, &model);
        assert_eq!(ix.find(7, |s| s == 1), None);
        assert_eq!(ix.find(8, |_| true), None);
    }

    proptest! {
        #[test]
        fn matches_a_map_under_inserts_and_removals(ops in proptest::collection::vec((any::<bool>(), 0u32..64, 0u32..8), 1..400)) {
            // Few distinct hashes (0..8) so runs collide and wrap in a small index.
            let mut ix = SlotIndex::default();
            let mut model: HashMap<u32, u32> = HashMap::new();
            for (add, slot, hash) in ops {
                match (add, model.contains_key(&slot)) {
                    (true, false) => {
                        ix.insert(hash, slot);
                        model.insert(slot, hash);
                    }
                    (false, true) => {
                        let h = model.remove(&slot).unwrap();
                        let (bucket, _) = ix.find(h, |s| s == slot).unwrap();
                        ix.remove(bucket);
                    }
                    _ => {}
                }
                check(&ix, &model);
            }
        }
    }
}
