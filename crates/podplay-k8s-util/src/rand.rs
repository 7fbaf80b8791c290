//! Seeded, deterministic randomness for the places where Kubernetes uses jitter.
//!
//! Go components draw jitter from `math/rand` seeded by the wall clock (e.g. client-go
//! `util/flowcontrol/backoff.go` seeds with `clock.Now().UnixNano()`), so real clusters are not
//! reproducible anyway; what matters for fidelity is the *range* of the jitter, not Go's exact
//! stream. We therefore use SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference
//! `splitmix64.c`): tiny, fast, and identical on every target including wasm32.

/// SplitMix64 generator. Same seed, same sequence, everywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose sequence is fully determined by `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0), for generated test cases.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// One of `items`, for generated test cases.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Uniform float in [0, 1) from the top 53 bits, the role of Go's `rand.Float64`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// apimachinery `pkg/util/wait/wait.go` `Jitter`: a duration in
/// `[duration, duration + max_factor * duration)`; a non-positive `max_factor` means 1.0.
/// Go converts the float product to `time.Duration` by truncation, which `as i64` matches.
/// Works in whatever unit `duration` is given in (virtual ms or Go nanoseconds).
pub fn jitter(duration: i64, max_factor: f64, rng: &mut SplitMix64) -> i64 {
    let max_factor = if max_factor <= 0.0 { 1.0 } else { max_factor };
    duration + (rng.next_f64() * max_factor * duration as f64) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published SplitMix64 vector for seed 1234567 (Rosetta Code "Pseudo-random
    /// numbers/Splitmix64", computed with Vigna's reference code).
    #[test]
    fn splitmix64_reference_vector() {
        let mut rng = SplitMix64::new(1_234_567);
        let expected = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for want in expected {
            assert_eq!(rng.next_u64(), want);
        }
    }

    /// Same task's distribution check: 100 000 floats from seed 987654321 bucketed by
    /// `floor(x * 5)`.
    #[test]
    fn next_f64_reference_buckets() {
        let mut rng = SplitMix64::new(987_654_321);
        let mut counts = [0u32; 5];
        for _ in 0..100_000 {
            let x = rng.next_f64();
            assert!((0.0..1.0).contains(&x));
            counts[(x * 5.0) as usize] += 1;
        }
        assert_eq!(counts, [20_027, 19_892, 20_073, 19_978, 20_030]);
    }

    #[test]
    fn jitter_stays_in_range_and_is_reproducible() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        for _ in 0..1000 {
            let j = jitter(10_000, 0.5, &mut a);
            assert!((10_000..15_000).contains(&j), "{j}");
            assert_eq!(j, jitter(10_000, 0.5, &mut b));
        }
        // Non-positive factor defaults to 1.0 (Go: "a suggested default value").
        let mut rng = SplitMix64::new(7);
        let mut seen_above_half = false;
        for _ in 0..1000 {
            let j = jitter(1_000, 0.0, &mut rng);
            assert!((1_000..2_000).contains(&j), "{j}");
            seen_above_half |= j >= 1_500;
        }
        assert!(seen_above_half, "factor 0 must widen to 1.0");
        assert_eq!(jitter(0, 1.0, &mut rng), 0);
    }
}
