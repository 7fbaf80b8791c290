//! The standard library's stable sort, compiled once.
//!
//! `slice::sort_by` is instantiated anew for every element type and comparator, about 3 KB
//! of wasm each (driftsort, its small sorts and merges); the page had over 70 of them. These
//! sort a list of indices with one shared, non-generic instantiation (the comparator behind a
//! `dyn`), then move the elements into that order: the same order `slice::sort_by` gives,
//! equal elements keeping their places. Meant for the short lists of views and controllers,
//! not for hot loops over long ones.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` stably by `cmp`, as `v.sort_by(cmp)` does.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(&mut order, &mut |a, b| v.swap(a, b));
}

/// Sorts `v` stably by the key `key` gives, as `v.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably, as `v.sort()` does.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The map `iter.collect()` builds, entry by entry: `BTreeMap`'s `FromIterator` sorts the entries
/// first, another instantiation of the stable sort for every key and value type. (For equal keys
/// the last value stays, as there; keys here are ones whose equal keys are the same.)
pub fn btree_map<K: Ord, V>(iter: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(iter);
    map
}

/// The set `iter.collect()` builds, element by element (see [`btree_map`]).
pub fn btree_set<T: Ord>(iter: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(iter);
    set
}

/// The one instantiation of the standard library's stable sort.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Puts the element at `order[i]` at `i` for every `i`, following the permutation's cycles
/// with `swap`s (`order` is left as the identity).
fn permute(order: &mut [usize], swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_order_as_the_standard_stable_sort() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for n in 0..200usize {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|e| e.0);
            let mut got = v.clone();
            sort_by_key(&mut got, |e| e.0);
            assert_eq!(got, want, "n = {n}");
            let mut all = v.clone();
            sort(&mut all);
            let mut all_want = v;
            all_want.sort();
            assert_eq!(all, all_want);
        }
    }
}
