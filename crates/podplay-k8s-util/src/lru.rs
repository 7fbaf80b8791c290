//! The small LRU cache client-go's event correlator keeps its state in (`k8s.io/utils/lru`, a
//! wrapper of groupcache's `lru.Cache`): `Get` and `Add` mark an entry most recently used, and
//! `Add` beyond `max_entries` evicts the least recently used one. Eviction matters for fidelity:
//! an evicted key starts over (a fresh token bucket, count 1, a new event name).

use std::collections::BTreeMap;
use std::rc::Rc;

use rustc_hash::FxHashMap;

#[derive(Clone, Debug)]
pub(crate) struct Lru<V> {
    max_entries: usize,
    /// key → (value, recency tick); the key is shared with `order` (the correlator's keys are
    /// long strings: one copy each).
    entries: FxHashMap<Rc<str>, (V, u64)>,
    /// recency tick → key, oldest first
    order: BTreeMap<u64, Rc<str>>,
    tick: u64,
}

impl<V> Lru<V> {
    /// `max_entries == 0` means unbounded, as in Go.
    pub(crate) fn new(max_entries: usize) -> Self {
        Lru { max_entries, entries: FxHashMap::default(), order: BTreeMap::new(), tick: 0 }
    }

    fn touch(&mut self, key: &str) {
        self.tick += 1;
        let tick = self.tick;
        if let Some((_, t)) = self.entries.get_mut(key) {
            let old = std::mem::replace(t, tick);
            if let Some(k) = self.order.remove(&old) {
                self.order.insert(tick, k);
            }
        }
    }

    /// Go `Get`: the value, marking it most recently used.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.touch(key);
        self.entries.get_mut(key).map(|(v, _)| v)
    }

    /// Go `Add`: insert or replace, marking it most recently used; evict the oldest on overflow.
    pub(crate) fn add(&mut self, key: &str, value: V) {
        if let Some((v, _)) = self.entries.get_mut(key) {
            *v = value;
            self.touch(key);
            return;
        }
        self.tick += 1;
        let key: Rc<str> = Rc::from(key);
        self.entries.insert(key.clone(), (value, self.tick));
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
        lru.add("a", 1);
        lru.add("b", 2);
        assert_eq!(lru.get_mut("a"), Some(&mut 1)); // a is now newest
        lru.add("c", 3); // evicts b
        assert_eq!(lru.len(), 2);
        assert_eq!(lru.get_mut("b"), None);
        lru.add("a", 10); // replace, newest
        lru.add("d", 4); // evicts c
        assert_eq!(lru.get_mut("c"), None);
        assert_eq!(lru.get_mut("a"), Some(&mut 10));
        assert_eq!(lru.get_mut("d"), Some(&mut 4));
    }

    #[test]
    fn zero_means_unbounded() {
        let mut lru = Lru::new(0);
        for i in 0..100 {
            lru.add(&i.to_string(), i);
        }
        assert_eq!(lru.len(), 100);
    }
}
