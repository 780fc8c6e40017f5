//! A grow-only map for the statistics: entries in fixed-size chunks, an index of slot numbers
//! and 32-bit hashes beside it (the bounded tables' [`SlotIndex`]: a lookup reads one line of
//! it). Growing never copies entries (a vector that doubles would hold the old and the new copy
//! at once, which with a million conversations is most of the peak memory); growing the index
//! reads only the index, never the keys out in the chunks.

use std::hash::Hash;
use udpdissect_core::slot_index::{self, SlotIndex};

/// Entries per chunk.
const CHUNK: usize = 4096;

#[derive(Debug, Clone)]
pub struct SlabMap<K, V> {
    index: SlotIndex,
    chunks: Vec<Vec<(K, V)>>,
    len: usize,
    limit: usize,
}

impl<K: Hash + Eq, V> SlabMap<K, V> {
    /// A map that takes at most `limit` entries (capped at `u32::MAX`).
    pub fn new(limit: usize) -> Self {
        SlabMap { index: SlotIndex::default(), chunks: Vec::new(), len: 0, limit: limit.min(u32::MAX as usize) }
    }

    /// The entry for `key`, created by `make` if there is room; `None` when the map is full.
    pub fn entry(&mut self, key: K, make: impl FnOnce() -> V) -> Option<&mut V> {
        let hash = slot_index::hash(&key);
        let chunks = &self.chunks;
        let slot = match self.index.find(hash, |s| at(chunks, s).0 == key) {
            Some((_, s)) => s,
            None if self.len >= self.limit => return None,
            None => {
                let s = self.len as u32;
                if self.len % CHUNK == 0 {
                    self.chunks.push(Vec::with_capacity(CHUNK));
                }
                self.chunks.last_mut().expect("a chunk with room").push((key, make()));
                self.len += 1;
                self.index.insert(hash, s);
                s
            }
        };
        let (c, i) = (slot as usize / CHUNK, slot as usize % CHUNK);
        Some(&mut self.chunks[c][i].1)
    }

    /// Starts loading the index bucket a lookup of `key` reads first.
    pub fn prefetch(&self, key: &K) {
        self.index.prefetch(slot_index::hash(key));
    }

    /// Starts loading the entry inserted `slot`-th (rows are made from entries in an order
    /// far from the map's).
    pub fn prefetch_slot(&self, slot: usize) {
        if slot < self.len {
            udpdissect_prefetch::prefetch_all(at(&self.chunks, slot as u32));
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// The entry inserted `slot`-th (from 0).
    pub fn get(&self, slot: usize) -> &(K, V) {
        at(&self.chunks, slot as u32)
    }
}

fn at<K, V>(chunks: &[Vec<(K, V)>], slot: u32) -> &(K, V) {
    &chunks[slot as usize / CHUNK][slot as usize % CHUNK]
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
        assert_eq!((0..m.len()).map(|i| *m.get(i)).collect::<Vec<_>>(), [(1, 3), (2, 2), (3, 1)]);
        assert!(m.entry(4, || 0).is_none());
        let mut big = SlabMap::new(usize::MAX);
        for k in 0..100_000u32 {
            *big.entry(k % 50_000, || 0u32).unwrap() += 1;
        }
        assert_eq!(big.len(), 50_000);
        assert!((0..big.len()).all(|i| big.get(i).1 == 2));
        assert_eq!(*big.get(CHUNK + 7), (CHUNK as u32 + 7, 2));
    }
}
