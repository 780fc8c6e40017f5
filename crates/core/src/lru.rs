//! A bounded map that evicts the least recently used entry: the one structure every table of
//! per-peer state uses, so no table grows with the capture.
//!
//! Entries live in a slab; the use order is a doubly linked list over the slots, kept in an
//! array of its own (8 bytes a slot) so that marking an entry used touches its neighbours'
//! links, not their whole entries: in a full table of 65 536 conversations the links stay in
//! the cache and the entries do not. The index ([`SlotIndex`]) holds slot numbers and 32-bit
//! hashes, so it grows without reading the entries, and it stops growing with the map: a full
//! map that evicts on every insert (a flood of new 5-tuples) keeps its memory flat.

use crate::slot_index::{self, SlotIndex};
use std::hash::Hash;

const NIL: u32 = u32::MAX;

struct Entry<K, V> {
    key: K,
    hash: u32,
    value: V,
}

/// A slot's neighbours in the use order.
#[derive(Clone, Copy)]
struct Link {
    /// More recently used.
    prev: u32,
    /// Less recently used.
    next: u32,
}

const UNLINKED: Link = Link { prev: NIL, next: NIL };

pub struct LruMap<K, V> {
    /// Slot and hash of every entry: growing the index reads only the index, not each entry
    /// from the slots at random (a sixth of the summary's last-level data misses on a million
    /// packets when each growth read the entries' hashes; cachegrind, 1 MiB last level).
    index: SlotIndex,
    slots: Vec<Option<Entry<K, V>>>,
    /// By slot, beside `slots`.
    links: Vec<Link>,
    free: Vec<u32>,
    /// Most recently used.
    head: u32,
    /// Least recently used.
    tail: u32,
    capacity: usize,
    evicted: u64,
    /// Counts the entries added and dropped: while it stays the same, every key keeps its slot
    /// (or stays absent), so a slot found by [`LruMap::slot`] may be read again.
    epoch: u64,
    /// The least recently used slot when [`LruMap::prefetch_evictions`] last ran: until the
    /// tail moves, running it again asks for the same lines.
    prefetched: u32,
}

impl<K: Hash + Eq + Clone, V> LruMap<K, V> {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        LruMap {
            index: SlotIndex::default(),
            slots: Vec::new(),
            links: Vec::new(),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
            capacity,
            evicted: 0,
            epoch: 0,
            prefetched: NIL,
        }
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    #[inline(always)]
    fn find(&self, key: &K) -> Option<u32> {
        self.find_bucket(key).map(|(_, s)| s)
    }

    /// The index bucket and the slot of `key`'s entry. Inlined into every lookup, as the
    /// compiler did while each table had one caller: with a second caller of the conversations'
    /// lookup, leaving it to the compiler cost the statistics 0.6 % more instructions
    /// (callgrind, 200 000 packets); forced, both paths got cheaper.
    #[inline(always)]
    fn find_bucket(&self, key: &K) -> Option<(usize, u32)> {
        let slots = &self.slots;
        self.index.find(slot_index::hash(key), |s| slots[s as usize].as_ref().is_some_and(|e| e.key == *key))
    }

    fn unindex(&mut self, slot: u32) {
        let hash = self.entry(slot).hash;
        let (bucket, _) = self.index.find(hash, |s| s == slot).expect("every entry is indexed");
        self.index.remove(bucket);
    }

    /// Starts loading what the next evictions read at random: the index buckets of the least
    /// recently used entry and of the next in line, and the entries and use links of the
    /// three last in line, when the map is full. Called after each lookup, every entry is
    /// loaded at least a lookup before its hash is read here to find its bucket, and two before
    /// it is evicted. Only once per least recently used entry: until an eviction (or a use of
    /// that entry) moves the tail, the lines are the same, and asking again cost the summary
    /// 1.5 % more instructions on 1 000 000 packets (callgrind), for no time saved. Inlined
    /// into both ends of a lookup: left to the compiler, the summary took 0.3 % more
    /// instructions (callgrind, 200 000 packets).
    #[inline(always)]
    fn prefetch_evictions(&mut self) {
        if self.index.len() < self.capacity || self.tail == self.prefetched {
            return;
        }
        self.prefetched = self.tail;
        let mut slot = self.tail;
        for depth in 0..3 {
            if slot == NIL {
                return;
            }
            let s = slot as usize;
            if depth < 2 {
                if let Some(e) = &self.slots[s] {
                    self.index.prefetch(e.hash);
                }
            }
            udpdissect_prefetch::prefetch_all(&self.slots[s]);
            udpdissect_prefetch::prefetch(&self.links[s]);
            slot = self.links[s].prev;
        }
    }

    /// Starts loading the index bucket a lookup of `key` reads first, so that a lookup made a
    /// little later, or several made in a row, do not each wait for their own.
    #[inline]
    pub fn prefetch(&self, key: &K) {
        self.index.prefetch(slot_index::hash(key));
    }

    /// Most entries held at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Entries dropped because the map was full.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    fn entry(&self, slot: u32) -> &Entry<K, V> {
        self.slots[slot as usize].as_ref().expect("linked slots are occupied")
    }

    fn entry_mut(&mut self, slot: u32) -> &mut Entry<K, V> {
        self.slots[slot as usize].as_mut().expect("linked slots are occupied")
    }

    /// The slot of `key`'s entry, without changing the order: valid while [`LruMap::epoch`]
    /// stays the same.
    pub fn slot(&self, key: &K) -> Option<u32> {
        self.find(key)
    }

    /// Changes whenever an entry is added or dropped.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Marks the entry in `slot` most recently used, as [`LruMap::get_mut`] would its key, when
    /// `epoch` is still the map's (the slot was found then, so it still holds that entry):
    /// a caller that keeps the slots of the keys it uses over and over skips finding them.
    /// Returns false, and changes nothing, when the epoch has passed.
    #[inline]
    pub fn touch_at(&mut self, slot: u32, epoch: u64) -> bool {
        if epoch != self.epoch || slot as usize >= self.links.len() {
            return false;
        }
        self.touch(slot);
        self.prefetch_evictions();
        true
    }

    /// The value in `slot` (from [`LruMap::slot`] in the same epoch), without changing the
    /// order; `None` for a slot that is empty.
    #[inline]
    pub fn at(&self, slot: u32) -> Option<&V> {
        self.slots.get(slot as usize)?.as_ref().map(|e| &e.value)
    }

    /// [`LruMap::at`], for a change.
    #[inline]
    pub fn at_mut(&mut self, slot: u32) -> Option<&mut V> {
        self.slots.get_mut(slot as usize)?.as_mut().map(|e| &mut e.value)
    }

    /// Looks up without changing the order.
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.find(key).map(|s| &self.entry(s).value)
    }

    /// Looks up for a change without changing the order.
    pub fn peek_mut(&mut self, key: &K) -> Option<&mut V> {
        let slot = self.find(key)?;
        Some(&mut self.entry_mut(slot).value)
    }

    /// Every entry, in no particular order, for a change that leaves the order alone.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.slots.iter_mut().flatten().map(|e| (&e.key, &mut e.value))
    }

    /// Looks up and marks the entry most recently used.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let slot = self.find(key)?;
        self.touch(slot);
        Some(&mut self.entry_mut(slot).value)
    }

    /// Looks up or inserts (evicting the least recently used entry when full). The bool is
    /// true when the entry was created.
    pub fn get_or_insert_with(&mut self, key: &K, make: impl FnOnce() -> V) -> (&mut V, bool) {
        let (value, created, _) = self.get_or_insert_evicting(key, make);
        (value, created)
    }

    /// [`LruMap::get_or_insert_with`], also handing back the entry the insert evicted, for
    /// callers that keep an index of their own over the entries.
    pub fn get_or_insert_evicting(&mut self, key: &K, make: impl FnOnce() -> V) -> (&mut V, bool, Option<(K, V)>) {
        let (slot, created, evicted) = self.find_or_insert(key, make);
        (&mut self.entry_mut(slot).value, created, evicted)
    }

    /// [`LruMap::get_or_insert_evicting`], also handing back the entry's slot: a number below
    /// the capacity that stays the entry's while it lives, and is reused after it is dropped.
    /// Inlined, with the lookup under it: the conversation table's, on every datagram. Left to
    /// the compiler once the table's one caller grew (quotes, places), both were called and
    /// the summary took 2.7 % more instructions (callgrind, 200 000 packets).
    #[inline(always)]
    pub fn get_or_insert_slot(&mut self, key: &K, make: impl FnOnce() -> V) -> (&mut V, bool, u32, Option<(K, V)>) {
        let (slot, created, evicted) = self.find_or_insert(key, make);
        (&mut self.entry_mut(slot).value, created, slot, evicted)
    }

    #[inline(always)]
    fn find_or_insert(&mut self, key: &K, make: impl FnOnce() -> V) -> (u32, bool, Option<(K, V)>) {
        if let Some(slot) = self.find(key) {
            self.touch(slot);
            self.prefetch_evictions();
            return (slot, false, None);
        }
        let mut evicted = None;
        if self.index.len() >= self.capacity {
            // Full: from now on every insert evicts.
            evicted = self.pop_lru();
            self.evicted += 1;
        }
        let hash = slot_index::hash(key);
        let entry = Entry { key: key.clone(), hash, value: make() };
        self.epoch += 1;
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(entry);
                s
            }
            None => {
                self.slots.push(Some(entry));
                self.links.push(UNLINKED);
                (self.slots.len() - 1) as u32
            }
        };
        self.index.insert(hash, slot);
        self.push_front(slot);
        self.prefetch_evictions();
        (slot, true, evicted)
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        // The lookup's bucket is the one to empty: no second walk of the index.
        let (bucket, slot) = self.find_bucket(key)?;
        self.index.remove(bucket);
        Some(self.free_slot(slot).1)
    }

    /// The least recently used entry, without changing the order.
    pub fn peek_lru(&self) -> Option<(&K, &V)> {
        (self.tail != NIL).then(|| {
            let e = self.entry(self.tail);
            (&e.key, &e.value)
        })
    }

    pub fn pop_lru(&mut self) -> Option<(K, V)> {
        if self.tail == NIL {
            return None;
        }
        let slot = self.tail;
        self.unindex(slot);
        Some(self.free_slot(slot))
    }

    /// Entries from least to most recently used.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        let mut slot = self.tail;
        std::iter::from_fn(move || {
            (slot != NIL).then(|| {
                let e = self.entry(slot);
                slot = self.links[slot as usize].prev;
                (&e.key, &e.value)
            })
        })
    }

    fn free_slot(&mut self, slot: u32) -> (K, V) {
        self.epoch += 1;
        self.unlink(slot);
        self.free.push(slot);
        let e = self.slots[slot as usize].take().expect("linked slots are occupied");
        (e.key, e.value)
    }

    fn unlink(&mut self, slot: u32) {
        let Link { prev, next } = std::mem::replace(&mut self.links[slot as usize], UNLINKED);
        match prev {
            NIL => self.head = next,
            p => self.links[p as usize].next = next,
        }
        match next {
            NIL => self.tail = prev,
            n => self.links[n as usize].prev = prev,
        }
    }

    /// Makes `slot` the most recently used (often it already is: a burst of one peer).
    #[inline]
    fn touch(&mut self, slot: u32) {
        if slot != self.head {
            self.move_to_front(slot);
        }
    }

    fn move_to_front(&mut self, slot: u32) {
        self.unlink(slot);
        self.push_front(slot);
    }

    fn push_front(&mut self, slot: u32) {
        let old = self.head;
        self.links[slot as usize] = Link { prev: NIL, next: old };
        match old {
            NIL => self.tail = slot,
            o => self.links[o as usize].prev = slot,
        }
        self.head = slot;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_map_under_churn_never_grows_its_index() {
        let mut m = LruMap::new(1000);
        for i in 0..1000u64 {
            m.get_or_insert_with(&i, || ());
        }
        m.get_or_insert_with(&1000, || ());
        let sized = m.index.buckets();
        assert!(sized >= 2000);
        // A million evictions (each shifts entries back into its hole) later, still the same index.
        for i in 1001..1_001_000u64 {
            m.get_or_insert_with(&i, || ());
        }
        assert_eq!(m.index.buckets(), sized);
        assert_eq!((m.len(), m.slots.len()), (1000, 1000));
    }

    #[test]
    fn a_slot_stays_valid_until_an_entry_is_added_or_dropped() {
        let mut m = LruMap::new(2);
        m.get_or_insert_with(&1, || "a");
        let (slot, epoch) = (m.slot(&1).unwrap(), m.epoch());
        assert_eq!(m.slot(&7), None);
        // Reading, touching and changing values keep every slot.
        m.get_mut(&1);
        *m.at_mut(slot).unwrap() = "b";
        assert_eq!((m.epoch(), m.at(slot)), (epoch, Some(&"b")));
        m.get_or_insert_with(&2, || "c");
        assert_ne!(m.epoch(), epoch, "an entry added");
        let epoch = m.epoch();
        m.get_or_insert_with(&3, || "d");
        assert_ne!(m.epoch(), epoch, "one evicted and one added");
        assert_eq!(m.slot(&1), None);
        assert_eq!(m.at(slot), Some(&"d"), "the slot reused");
        assert_eq!(m.at(99), None);
    }

    /// Touching a kept slot is a lookup's touch while the epoch lasts, and nothing after.
    #[test]
    fn a_kept_slot_is_touched_only_in_its_epoch() {
        let mut m = LruMap::new(2);
        let (_, _, one, _) = m.get_or_insert_slot(&1, || "a");
        m.get_or_insert_with(&2, || "b");
        let epoch = m.epoch();
        assert!(m.touch_at(one, epoch));
        m.get_or_insert_with(&3, || "c");
        assert_eq!(m.peek(&1), Some(&"a"), "1 was touched, so 2 was the least recently used");
        assert_eq!(m.peek(&2), None);
        let epoch = m.epoch();
        m.get_or_insert_with(&4, || "d");
        assert!(!m.touch_at(one, epoch), "an entry was added and one dropped since");
        assert!(!m.touch_at(99, m.epoch()), "a slot the map does not have");
        assert_eq!(m.peek(&1), None, "1 was the least recently used: 3 came after it");
    }

    /// Asking for a key's bucket ahead is a hint: an empty map takes it, and the use order
    /// does not change.
    #[test]
    fn asking_ahead_changes_nothing() {
        let mut m = LruMap::new(2);
        m.prefetch(&1);
        m.get_or_insert_with(&1, || "a");
        m.get_or_insert_with(&2, || "b");
        let epoch = m.epoch();
        m.prefetch(&1);
        m.prefetch(&9);
        assert_eq!((m.epoch(), m.len()), (epoch, 2));
        m.get_or_insert_with(&3, || "c");
        assert_eq!(m.peek(&1), None, "1 stayed the least recently used");
        assert_eq!(m.peek(&2), Some(&"b"));
    }

    #[test]
    fn evicts_least_recently_used_and_reuses_slots() {
        let mut m = LruMap::new(2);
        m.get_or_insert_with(&1, || "a");
        m.get_or_insert_with(&2, || "b");
        m.get_mut(&1);
        let (_, created) = m.get_or_insert_with(&3, || "c");
        assert!(created);
        assert_eq!(m.peek(&2), None);
        assert_eq!(m.evicted(), 1);
        assert_eq!(m.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(m.pop_lru(), Some((1, "a")));
        assert_eq!(m.remove(&3), Some("c"));
        assert!(m.is_empty());
        for i in 0..1000 {
            m.get_or_insert_with(&i, || "x");
        }
        assert_eq!(m.len(), 2);
        assert!(m.slots.len() <= 3);
    }
}
