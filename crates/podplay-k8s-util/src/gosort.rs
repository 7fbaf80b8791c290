//! Go's `sort.Sort`, step for step, so that elements that compare equal end up in the order a
//! Go program leaves them in. kubectl's `--sort-by` sorts with `sort.Sort`, which is not
//! stable: events of the same second, say, come out in an order that only the algorithm
//! decides. Which algorithm depends on the Go release kubectl was built with:
//!
//! * [`GoSort::QuickSort`]: Go ≤1.18 (`quickSort`: Bentley–McIlroy with a median-of-nine pivot
//!   and a protection against many duplicates, heapsort past the depth limit, a gap-6 Shell
//!   pass then insertion sort for 12 or fewer elements);
//! * [`GoSort::PdqSort`]: Go 1.19–1.23 (pattern-defeating quicksort; `breakPatterns` draws from
//!   a xorshift with shifts 13, 17, 5);
//! * [`GoSort::PdqSort64`]: Go 1.24 on, where the xorshift's shifts became 13, 7, 17, the
//!   64-bit triple (golang/go#70144).
//!
//! `less(a, b)` is the `Less` of the sort.Interface; it need not be a consistent order
//! (kubectl's puts an element without the field before every other), and the result is still
//! exactly Go's.

/// Which `sort.Sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoSort {
    QuickSort,
    PdqSort,
    PdqSort64,
}

/// Sorts `v` as Go's `sort.Sort` would with `Less(i, j) = less(&v[i], &v[j])`.
pub fn sort<T>(alg: GoSort, v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = v.len();
    let mut d = Data { v, less: &mut less };
    match alg {
        GoSort::QuickSort => {
            let mut depth = 0;
            let mut i = n;
            while i > 0 {
                depth += 1;
                i >>= 1;
            }
            quick_sort(&mut d, 0, n, depth * 2);
        }
        GoSort::PdqSort | GoSort::PdqSort64 => {
            if n <= 1 {
                return;
            }
            let limit = usize::BITS - n.leading_zeros();
            pdqsort(&mut d, 0, n, limit as usize, alg == GoSort::PdqSort64);
        }
    }
}

struct Data<'a, T, F: FnMut(&T, &T) -> bool> {
    v: &'a mut [T],
    less: &'a mut F,
}

impl<T, F: FnMut(&T, &T) -> bool> Data<'_, T, F> {
    fn less(&mut self, i: usize, j: usize) -> bool {
        (self.less)(&self.v[i], &self.v[j])
    }
    fn swap(&mut self, i: usize, j: usize) {
        self.v.swap(i, j);
    }
}

fn insertion_sort<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && d.less(j, j - 1) {
            d.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sift_down<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, lo: usize, hi: usize, first: usize) {
    let mut root = lo;
    loop {
        let mut child = 2 * root + 1;
        if child >= hi {
            return;
        }
        if child + 1 < hi && d.less(first + child, first + child + 1) {
            child += 1;
        }
        if !d.less(first + root, first + child) {
            return;
        }
        d.swap(first + root, first + child);
        root = child;
    }
}

fn heap_sort<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize) {
    let first = a;
    let hi = b - a;
    let mut i = (hi as isize - 1) / 2;
    while i >= 0 {
        sift_down(d, i as usize, hi, first);
        i -= 1;
    }
    for i in (0..hi).rev() {
        d.swap(first, first + i);
        sift_down(d, 0, i, first);
    }
}

// ---- Go ≤1.18 ----

fn median_of_three<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, m1: usize, m0: usize, m2: usize) {
    if d.less(m1, m0) {
        d.swap(m1, m0);
    }
    if d.less(m2, m1) {
        d.swap(m2, m1);
        if d.less(m1, m0) {
            d.swap(m1, m0);
        }
    }
}

fn do_pivot<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, lo: usize, hi: usize) -> (usize, usize) {
    let m = (lo + hi) >> 1;
    if hi - lo > 40 {
        let s = (hi - lo) / 8;
        median_of_three(d, lo, lo + s, lo + 2 * s);
        median_of_three(d, m, m - s, m + s);
        median_of_three(d, hi - 1, hi - 1 - s, hi - 1 - 2 * s);
    }
    median_of_three(d, lo, m, hi - 1);
    let pivot = lo;
    let (mut a, mut c) = (lo + 1, hi - 1);
    while a < c && d.less(a, pivot) {
        a += 1;
    }
    let mut b = a;
    loop {
        while b < c && !d.less(pivot, b) {
            b += 1;
        }
        while b < c && d.less(pivot, c - 1) {
            c -= 1;
        }
        if b >= c {
            break;
        }
        d.swap(b, c - 1);
        b += 1;
        c -= 1;
    }
    let mut protect = hi - c < 5;
    if !protect && hi - c < (hi - lo) / 4 {
        let mut dups = 0;
        if !d.less(pivot, hi - 1) {
            d.swap(c, hi - 1);
            c += 1;
            dups += 1;
        }
        if !d.less(b - 1, pivot) {
            b -= 1;
            dups += 1;
        }
        if !d.less(m, pivot) {
            d.swap(m, b - 1);
            b -= 1;
            dups += 1;
        }
        protect = dups > 1;
    }
    if protect {
        loop {
            while a < b && !d.less(b - 1, pivot) {
                b -= 1;
            }
            while a < b && d.less(a, pivot) {
                a += 1;
            }
            if a >= b {
                break;
            }
            d.swap(a, b - 1);
            a += 1;
            b -= 1;
        }
    }
    d.swap(pivot, b - 1);
    (b - 1, c)
}

fn quick_sort<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, mut a: usize, mut b: usize, mut max_depth: usize) {
    while b - a > 12 {
        if max_depth == 0 {
            heap_sort(d, a, b);
            return;
        }
        max_depth -= 1;
        let (mlo, mhi) = do_pivot(d, a, b);
        if mlo - a < b - mhi {
            quick_sort(d, a, mlo, max_depth);
            a = mhi;
        } else {
            quick_sort(d, mhi, b, max_depth);
            b = mlo;
        }
    }
    if b - a > 1 {
        for i in a + 6..b {
            if d.less(i, i - 6) {
                d.swap(i, i - 6);
            }
        }
        insertion_sort(d, a, b);
    }
}

// ---- Go 1.19 on ----

#[derive(PartialEq, Eq)]
enum Hint {
    Unknown,
    Increasing,
    Decreasing,
}

fn pdqsort<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, mut a: usize, mut b: usize, mut limit: usize, wide_xorshift: bool) {
    const MAX_INSERTION: usize = 12;
    let mut was_balanced = true;
    let mut was_partitioned = true;
    loop {
        let length = b - a;
        if length <= MAX_INSERTION {
            insertion_sort(d, a, b);
            return;
        }
        if limit == 0 {
            heap_sort(d, a, b);
            return;
        }
        if !was_balanced {
            break_patterns(d, a, b, wide_xorshift);
            limit -= 1;
        }
        let (mut pivot, mut hint) = choose_pivot(d, a, b);
        if hint == Hint::Decreasing {
            reverse_range(d, a, b);
            pivot = (b - 1) - (pivot - a);
            hint = Hint::Increasing;
        }
        if was_balanced && was_partitioned && hint == Hint::Increasing && partial_insertion_sort(d, a, b) {
            return;
        }
        if a > 0 && !d.less(a - 1, pivot) {
            a = partition_equal(d, a, b, pivot);
            continue;
        }
        let (mid, already) = partition(d, a, b, pivot);
        was_partitioned = already;
        let (left, right) = (mid - a, b - mid);
        let balance_threshold = length / 8;
        if left < right {
            was_balanced = left >= balance_threshold;
            pdqsort(d, a, mid, limit, wide_xorshift);
            a = mid + 1;
        } else {
            was_balanced = right >= balance_threshold;
            pdqsort(d, mid + 1, b, limit, wide_xorshift);
            b = mid;
        }
    }
}

fn partition<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize, pivot: usize) -> (usize, bool) {
    d.swap(a, pivot);
    // i and j are inclusive bounds; j may step below a + 1 (to a), so signed.
    let (mut i, mut j) = (a as isize + 1, b as isize - 1);
    while i <= j && d.less(i as usize, a) {
        i += 1;
    }
    while i <= j && !d.less(j as usize, a) {
        j -= 1;
    }
    if i > j {
        d.swap(j as usize, a);
        return (j as usize, true);
    }
    d.swap(i as usize, j as usize);
    i += 1;
    j -= 1;
    loop {
        while i <= j && d.less(i as usize, a) {
            i += 1;
        }
        while i <= j && !d.less(j as usize, a) {
            j -= 1;
        }
        if i > j {
            break;
        }
        d.swap(i as usize, j as usize);
        i += 1;
        j -= 1;
    }
    d.swap(j as usize, a);
    (j as usize, false)
}

fn partition_equal<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize, pivot: usize) -> usize {
    d.swap(a, pivot);
    let (mut i, mut j) = (a as isize + 1, b as isize - 1);
    loop {
        while i <= j && !d.less(a, i as usize) {
            i += 1;
        }
        while i <= j && d.less(a, j as usize) {
            j -= 1;
        }
        if i > j {
            break;
        }
        d.swap(i as usize, j as usize);
        i += 1;
        j -= 1;
    }
    i as usize
}

fn partial_insertion_sort<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize) -> bool {
    const MAX_STEPS: usize = 5;
    const SHORTEST_SHIFTING: usize = 50;
    let mut i = a + 1;
    for _ in 0..MAX_STEPS {
        while i < b && !d.less(i, i - 1) {
            i += 1;
        }
        if i == b {
            return true;
        }
        if b - a < SHORTEST_SHIFTING {
            return false;
        }
        d.swap(i, i - 1);
        // Go shifts the smaller one left down to index 1, not to `a`.
        if i - a >= 2 {
            let mut j = i - 1;
            while j >= 1 {
                if !d.less(j, j - 1) {
                    break;
                }
                d.swap(j, j - 1);
                j -= 1;
            }
        }
        if b - i >= 2 {
            for j in i + 1..b {
                if !d.less(j, j - 1) {
                    break;
                }
                d.swap(j, j - 1);
            }
        }
    }
    false
}

fn break_patterns<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize, wide_xorshift: bool) {
    let length = b - a;
    if length >= 8 {
        let mut random = length as u64;
        let modulus = 1u64 << (u64::BITS - (length as u64).leading_zeros());
        let mut idx = a + (length / 4) * 2 - 1;
        while idx <= a + (length / 4) * 2 + 1 {
            if wide_xorshift {
                random ^= random << 13;
                random ^= random >> 7;
                random ^= random << 17;
            } else {
                random ^= random << 13;
                random ^= random >> 17;
                random ^= random << 5;
            }
            let mut other = (random & (modulus - 1)) as usize;
            if other >= length {
                other -= length;
            }
            d.swap(idx, a + other);
            idx += 1;
        }
    }
}

fn choose_pivot<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize) -> (usize, Hint) {
    const SHORTEST_NINTHER: usize = 50;
    const MAX_SWAPS: usize = 4 * 3;
    let l = b - a;
    let mut swaps = 0;
    let mut i = a + l / 4;
    let mut j = a + l / 4 * 2;
    let mut k = a + l / 4 * 3;
    if l >= 8 {
        if l >= SHORTEST_NINTHER {
            i = median(d, i - 1, i, i + 1, &mut swaps);
            j = median(d, j - 1, j, j + 1, &mut swaps);
            k = median(d, k - 1, k, k + 1, &mut swaps);
        }
        j = median(d, i, j, k, &mut swaps);
    }
    match swaps {
        0 => (j, Hint::Increasing),
        MAX_SWAPS => (j, Hint::Decreasing),
        _ => (j, Hint::Unknown),
    }
}

fn order2<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize, swaps: &mut usize) -> (usize, usize) {
    if d.less(b, a) {
        *swaps += 1;
        return (b, a);
    }
    (a, b)
}

fn median<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize, c: usize, swaps: &mut usize) -> usize {
    let (a, b) = order2(d, a, b, swaps);
    let (b, c) = order2(d, b, c, swaps);
    let _ = c;
    let (_a, b) = order2(d, a, b, swaps);
    b
}

fn reverse_range<T, F: FnMut(&T, &T) -> bool>(d: &mut Data<T, F>, a: usize, b: usize) {
    let (mut i, mut j) = (a, b - 1);
    while i < j {
        d.swap(i, j);
        i += 1;
        j -= 1;
    }
}
