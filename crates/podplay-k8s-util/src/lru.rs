//! The small LRU cache client-go's event correlator keeps its state in (`k8s.io/utils/lru`, a
//! wrapper of groupcache's `lru.Cache`): `Get` and `Add` mark an entry most recently used, and
//! `Add` beyond `max_entries` evicts the least recently used one. Eviction matters for fidelity:
//! an evicted key starts over (a fresh token bucket, count 1, a new event name).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

/// A key as the cache holds it: 128 bits of two digests of the key's text, not the text (the
/// correlator's keys are long: an object's every identifying field, or an event's whole
/// message; a kubelet caches four of them per pod). The halves come from two unrelated hashes
/// (FxHash and std's fixed-keyed SipHash-1-3), so two keys share a digest with a chance below
/// n²/2⁶⁵ (the SipHash half alone), about 10⁻¹² for the 3 × 4,096 entries a correlator holds;
/// neither is seeded at random, so every run hashes alike. Callers compute it once per key
/// ([`key_id`]) and pass it to each call.
pub(crate) type KeyId = u128;

/// The cache's id of `key`.
pub(crate) fn key_id(key: &str) -> KeyId {
    use std::hash::{BuildHasher, Hash, Hasher};
    let fx = rustc_hash::FxBuildHasher.hash_one(key);
    let mut sip = std::hash::DefaultHasher::new();
    key.hash(&mut sip);
    (u128::from(fx) << 64) | u128::from(sip.finish())
}

#[derive(Clone, Debug)]
pub(crate) struct Lru<V> {
    max_entries: usize,
    /// key → (value, recency tick)
    entries: FxHashMap<KeyId, (V, u64)>,
    /// recency tick → key, oldest first
    order: BTreeMap<u64, KeyId>,
    tick: u64,
}

impl<V> Lru<V> {
    /// `max_entries == 0` means unbounded, as in Go.
    pub(crate) fn new(max_entries: usize) -> Self {
        Lru { max_entries, entries: FxHashMap::default(), order: BTreeMap::new(), tick: 0 }
    }

    fn touch(&mut self, key: KeyId) {
        self.tick += 1;
        let tick = self.tick;
        if let Some((_, t)) = self.entries.get_mut(&key) {
            let old = std::mem::replace(t, tick);
            if let Some(k) = self.order.remove(&old) {
                self.order.insert(tick, k);
            }
        }
    }

    /// Go `Get`: the value, marking it most recently used.
    pub(crate) fn get_mut(&mut self, key: KeyId) -> Option<&mut V> {
        self.touch(key);
        self.entries.get_mut(&key).map(|(v, _)| v)
    }

    /// Go `Add`: insert or replace, marking it most recently used; evict the oldest on overflow.
    pub(crate) fn add(&mut self, key: KeyId, value: V) {
        if let Some((v, _)) = self.entries.get_mut(&key) {
            *v = value;
            self.touch(key);
            return;
        }
        self.tick += 1;
        self.entries.insert(key, (value, self.tick));
        self.order.insert(self.tick, key);
        if self.max_entries != 0 && self.entries.len() > self.max_entries {
            if let Some((_, oldest)) = self.order.pop_first() {
                self.entries.remove(&oldest);
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used() {
        let mut lru = Lru::new(2);
        lru.add(key_id("a"), 1);
        lru.add(key_id("b"), 2);
        assert_eq!(lru.get_mut(key_id("a")), Some(&mut 1)); // a is now newest
        lru.add(key_id("c"), 3); // evicts b
        assert_eq!(lru.len(), 2);
        assert_eq!(lru.get_mut(key_id("b")), None);
        lru.add(key_id("a"), 10); // replace, newest
        lru.add(key_id("d"), 4); // evicts c
        assert_eq!(lru.get_mut(key_id("c")), None);
        assert_eq!(lru.get_mut(key_id("a")), Some(&mut 10));
        assert_eq!(lru.get_mut(key_id("d")), Some(&mut 4));
    }

    #[test]
    fn zero_means_unbounded() {
        let mut lru = Lru::new(0);
        for i in 0..100 {
            lru.add(key_id(&i.to_string()), i);
        }
        assert_eq!(lru.len(), 100);
    }
}
