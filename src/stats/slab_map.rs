//! A grow-only map for the statistics: entries in one vector, a hash index of 4-byte slot
//! numbers beside it. Growing the index moves 4 bytes per entry instead of whole entries, and
//! the entries stay contiguous for the sort and the two passes of rendering.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::{BuildHasher, Hash};

#[derive(Debug)]
pub struct SlabMap<K, V> {
    index: HashTable<u32>,
    entries: Vec<(K, V)>,
    /// Each entry's hash, so growing the index never hashes a key again.
    hashes: Vec<u64>,
    limit: usize,
}

impl<K: Hash + Eq, V> SlabMap<K, V> {
    /// A map that takes at most `limit` entries (capped at `u32::MAX`).
    pub fn new(limit: usize) -> Self {
        SlabMap {
            index: HashTable::new(),
            entries: Vec::new(),
            hashes: Vec::new(),
            limit: limit.min(u32::MAX as usize),
        }
    }

    /// The entry for `key`, created by `make` if there is room; `None` when the map is full.
    pub fn entry(&mut self, key: K, make: impl FnOnce() -> V) -> Option<&mut V> {
        let hash = FxBuildHasher.hash_one(&key);
        let entries = &self.entries;
        let slot = match self.index.find(hash, |&s| entries[s as usize].0 == key) {
            Some(&s) => s as usize,
            None if entries.len() >= self.limit => return None,
            None => {
                let s = entries.len();
                self.entries.push((key, make()));
                self.hashes.push(hash);
                let hashes = &self.hashes;
                self.index.insert_unique(hash, s as u32, |&s| hashes[s as usize]);
                s
            }
        };
        Some(&mut self.entries[slot].1)
    }

    /// Entries in insertion order.
    pub fn entries(&self) -> &[(K, V)] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inserts_and_stops_at_the_limit() {
        let mut m = SlabMap::new(3);
        for k in [1, 2, 1, 3, 2, 4, 1] {
            if let Some(v) = m.entry(k, || 0) {
                *v += 1;
            }
        }
        assert_eq!(m.entries(), &[(1, 3), (2, 2), (3, 1)]);
        assert!(m.entry(4, || 0).is_none());
        let mut big = SlabMap::new(usize::MAX);
        for k in 0..100_000u32 {
            *big.entry(k % 50_000, || 0u32).unwrap() += 1;
        }
        assert_eq!(big.entries().len(), 50_000);
        assert!(big.entries().iter().all(|&(_, v)| v == 2));
    }
}
