//! `gosort` against Go itself: `data/gosort-vectors.txt` holds, for each case below, the hash of
//! the order Go's `sort.Sort` left it in (Go 1.18's quickSort, Go 1.23's pdqsort, and pdqsort
//! with Go 1.24's xorshift), written by a Go program that made the same cases with the same
//! generator. The `Less` is kubectl's (a missing field, here -1, sorts before anything).
use podplay_k8s_util::gosort::{sort, GoSort};

/// The cases, as the Go program made them: random keys of three spreads, with and without
/// missing fields, then sorted, reversed, equal, sawtooth and tied runs, for each size.
fn cases() -> Vec<Vec<i64>> {
    let mut state: u64 = 88172645463325252;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut sizes: Vec<usize> = (0..=40).collect();
    sizes.extend([49, 50, 51, 64, 100, 150, 257]);
    let mut cases = Vec::new();
    for n in sizes {
        for spread in [2u64, 5, 1000] {
            for missing in [0u64, 5] {
                let keys = (0..n)
                    .map(|_| {
                        let k = (next() % spread) as i64;
                        if missing > 0 && next() % missing == 0 {
                            -1
                        } else {
                            k
                        }
                    })
                    .collect();
                cases.push(keys);
            }
        }
        let n_ = n as i64;
        cases.push((0..n_).collect());
        cases.push((0..n_).map(|i| n_ - i).collect());
        cases.push(vec![7; n]);
        cases.push((0..n_).map(|i| i % 5).collect());
        cases.push((0..n_).map(|i| i / 3).collect());
    }
    cases
}

fn fnv(order: &[usize]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &i in order {
        for b in (i as u32).to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

#[test]
fn every_case_ends_in_gos_order() {
    let cases = cases();
    let text = include_str!("data/gosort-vectors.txt");
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut w = line.split(' ');
        let alg = match w.next().unwrap() {
            "quick" => GoSort::QuickSort,
            "pdq" => GoSort::PdqSort,
            "pdq64" => GoSort::PdqSort64,
            other => panic!("{other}"),
        };
        let case: usize = w.next().unwrap().parse().unwrap();
        let want = u64::from_str_radix(w.next().unwrap(), 16).unwrap();
        let mut v: Vec<(i64, usize)> = cases[case].iter().copied().zip(0..).collect();
        sort(alg, &mut v, |a, b| {
            if a.0 < 0 {
                true
            } else if b.0 < 0 {
                false
            } else {
                a.0 < b.0
            }
        });
        let order: Vec<usize> = v.iter().map(|x| x.1).collect();
        assert_eq!(fnv(&order), want, "{alg:?} on case {case} (n={}): {order:?}", order.len());
        checked += 1;
    }
    assert_eq!(checked, cases.len() * 3);
}

#[test]
fn the_algorithms_differ_where_ties_meet() {
    // Seven equal keys and one smaller: Go ≤1.18's Shell pass moves an equal key across others.
    let keys = [1, 1, 1, 1, 1, 1, 1, 0];
    let run = |alg| {
        let mut v: Vec<(i64, usize)> = keys.iter().copied().zip(0..).collect();
        sort(alg, &mut v, |a, b| a.0 < b.0);
        v.iter().map(|x| x.1).collect::<Vec<_>>()
    };
    assert_eq!(run(GoSort::PdqSort), [7, 0, 1, 2, 3, 4, 5, 6]);
    assert_ne!(run(GoSort::QuickSort), run(GoSort::PdqSort));
}
