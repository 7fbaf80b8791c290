//! Token-bucket rate limiting: a port of `golang.org/x/time/rate` `Limiter` as driven by client-go
//! `util/flowcontrol/throttle.go` (`NewTokenBucketPassiveRateLimiterWithClock(qps, burst, clock)`
//! whose `TryAccept()` is `limiter.AllowN(clock.Now(), 1)`).
//!
//! The event spam filter (client-go `tools/record/events_cache.go`) keeps one of these per
//! source+object, and which events reach the API depends on its exact float arithmetic, so the
//! port keeps Go's units (nanoseconds, `float64` tokens) and operation order. The algorithm is
//! the same in x/time v0.7.0 (vendored by Kubernetes 1.32) and the current release.

use crate::duration::seconds_f64;

/// Go `rate.Limit`: events per second.
pub type Limit = f64;

/// Go `rate.Inf`: no limit at all.
pub const INF: Limit = f64::MAX;

/// Go `rate.InfDuration`.
const INF_DURATION: i64 = i64::MAX;

/// client-go passes `qps` as a `float32` and `rate.Limit(qps)` widens it, so 1/300 becomes
/// 0.0033333334140479565, slightly more than 1/300: after exactly 300 s a drained bucket holds a
/// hair over one token. This helper makes that widening explicit.
pub fn limit_from_f32_qps(qps: f32) -> Limit {
    f64::from(qps)
}

/// Go `rate.Limiter` (the parts a passive limiter uses: `AllowN`, `TokensAt`).
#[derive(Clone, Debug, PartialEq)]
pub struct TokenBucket {
    limit: Limit,
    burst: i64,
    tokens: f64,
    /// Last time `tokens` was updated, in Unix nanoseconds; `None` is Go's zero `time.Time`.
    last_ns: Option<i64>,
}

impl TokenBucket {
    /// Go `rate.NewLimiter(r, b)`: starts full (`b` tokens).
    pub fn new(limit: Limit, burst: i64) -> Self {
        TokenBucket { limit, burst, tokens: burst as f64, last_ns: None }
    }

    /// client-go `NewTokenBucketPassiveRateLimiterWithClock(qps, burst, clock)`.
    pub fn from_qps(qps: f32, burst: i64) -> Self {
        TokenBucket::new(limit_from_f32_qps(qps), burst)
    }

    /// client-go `TryAccept()` at virtual time `now_ms`.
    pub fn try_accept(&mut self, now_ms: i64) -> bool {
        self.allow_n(now_ms.saturating_mul(1_000_000), 1)
    }

    /// Go `AllowN(t, n)`: takes `n` tokens if they are available at `now_ns` (a reservation
    /// with zero allowed wait). A refused request leaves the bucket untouched.
    pub fn allow_n(&mut self, now_ns: i64, n: i64) -> bool {
        if self.limit == INF {
            return true;
        }
        let tokens = self.advance(now_ns) - n as f64;
        let wait_ns = if tokens < 0.0 { duration_from_tokens(self.limit, -tokens) } else { 0 };
        // Go: ok := n <= burst && waitDuration <= maxFutureReserve (0 for AllowN). A deficit so
        // small that it truncates to 0 ns is therefore accepted, leaving tokens slightly negative.
        let ok = n <= self.burst && wait_ns <= 0;
        if ok {
            self.last_ns = Some(now_ns);
            self.tokens = tokens;
        }
        ok
    }

    /// Go `TokensAt(t)`: tokens available at `now_ns`, without changing the bucket.
    pub fn tokens_at(&self, now_ns: i64) -> f64 {
        self.advance(now_ns)
    }

    /// Go `advance`: refill for the time elapsed since `last`, capped at `burst`.
    fn advance(&self, now_ns: i64) -> f64 {
        // Go's zero Time is ~2000 years before any virtual instant, so `t.Sub(last)` saturates
        // at the maximum Duration.
        let elapsed_ns = match self.last_ns {
            None => i64::MAX,
            Some(last) => now_ns.saturating_sub(last.min(now_ns)),
        };
        let delta = tokens_from_duration(self.limit, elapsed_ns);
        let tokens = self.tokens + delta;
        tokens.min(self.burst as f64)
    }
}

/// Go `Limit.durationFromTokens`: nanoseconds needed to accumulate `tokens`.
fn duration_from_tokens(limit: Limit, tokens: f64) -> i64 {
    if limit <= 0.0 {
        return INF_DURATION;
    }
    let duration = (tokens / limit) * 1e9;
    if duration > i64::MAX as f64 {
        return INF_DURATION;
    }
    duration as i64
}

/// Go `Limit.tokensFromDuration`: `d.Seconds() * limit`.
fn tokens_from_duration(limit: Limit, d_ns: i64) -> f64 {
    if limit <= 0.0 {
        return 0.0;
    }
    seconds_f64(d_ns) * limit
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC_NS: i64 = 1_000_000_000;
    const T0: i64 = 1_700_000_000 * SEC_NS;

    /// x/time `rate_test.go` `run`: each step is (time in units of 100 ms after t0, tokens
    /// expected by `TokensAt` before the request, n, allowed).
    fn run(mut bucket: TokenBucket, steps: &[(i64, f64, i64, bool)]) {
        const D: i64 = 100_000_000;
        for (i, &(t, toks, n, ok)) in steps.iter().enumerate() {
            let now = T0 + t * D;
            assert_eq!(bucket.tokens_at(now), toks, "step {i}: TokensAt");
            assert_eq!(bucket.allow_n(now, n), ok, "step {i}: AllowN({n})");
        }
    }

    /// x/time rate_test.go TestLimiterBurst1.
    #[test]
    fn limiter_burst_1() {
        run(
            TokenBucket::new(10.0, 1),
            &[
                (0, 1.0, 1, true),
                (0, 0.0, 1, false),
                (0, 0.0, 1, false),
                (1, 1.0, 1, true),
                (1, 0.0, 1, false),
                (1, 0.0, 1, false),
                (2, 1.0, 2, false), // burst size is 1, so n=2 always fails
                (2, 1.0, 1, true),
                (2, 0.0, 1, false),
            ],
        );
    }

    /// x/time rate_test.go TestLimiterBurst3.
    #[test]
    fn limiter_burst_3() {
        run(
            TokenBucket::new(10.0, 3),
            &[
                (0, 3.0, 2, true),
                (0, 1.0, 2, false),
                (0, 1.0, 1, true),
                (0, 0.0, 1, false),
                (1, 1.0, 4, false),
                (2, 2.0, 1, true),
                (3, 2.0, 1, true),
                (4, 2.0, 1, true),
                (4, 1.0, 1, true),
                (4, 0.0, 1, false),
                (4, 0.0, 1, false),
                (9, 3.0, 3, true),
                (9, 0.0, 0, true),
            ],
        );
    }

    /// x/time rate_test.go TestLimiterJumpBackwards: a time before `last` refills nothing.
    #[test]
    fn limiter_jump_backwards() {
        run(
            TokenBucket::new(10.0, 3),
            &[
                (1, 3.0, 1, true), // start at t1
                (0, 2.0, 1, true), // jump back to t0, two tokens remain
                (0, 1.0, 1, true),
                (0, 0.0, 1, false),
                (0, 0.0, 1, false),
                (1, 1.0, 1, true), // got a token
                (1, 0.0, 1, false),
                (1, 0.0, 1, false),
                (2, 1.0, 1, true), // got another token
                (2, 0.0, 1, false),
                (2, 0.0, 1, false),
            ],
        );
    }

    /// `rate.Inf` always allows.
    #[test]
    fn infinite_limit_always_allows() {
        let mut bucket = TokenBucket::new(INF, 0);
        assert!(bucket.allow_n(T0, 5));
        assert!(bucket.allow_n(T0, 5));
    }

    /// A zero limit never refills (x/time "correctly handle 0 limits").
    #[test]
    fn zero_limit_only_spends_the_burst() {
        let mut bucket = TokenBucket::new(0.0, 2);
        assert!(bucket.allow_n(T0, 1));
        assert!(bucket.allow_n(T0 + 1000 * SEC_NS, 1));
        assert!(!bucket.allow_n(T0 + 1_000_000 * SEC_NS, 1));
    }

    /// The event spam filter's bucket: 25 burst, float32 1/300 per second.
    #[test]
    fn spam_filter_bucket() {
        assert_eq!(limit_from_f32_qps(1.0 / 300.0), 0.0033333334140479565);
        let mut bucket = TokenBucket::from_qps(1.0 / 300.0, 25);
        let t0 = 1_700_000_000_000;
        for i in 0..25 {
            assert!(bucket.try_accept(t0), "burst token {i}");
        }
        assert!(!bucket.try_accept(t0));
        assert!(!bucket.try_accept(t0 + 299_999));
        // float32 widening makes 300 s worth a little more than one token.
        assert!(bucket.tokens_at((t0 + 300_000) * 1_000_000) > 1.0);
        assert!(bucket.try_accept(t0 + 300_000));
        assert!(!bucket.try_accept(t0 + 300_001));
        // A refused request does not reset the refill clock.
        assert!(!bucket.try_accept(t0 + 599_999));
        assert!(bucket.try_accept(t0 + 600_000));
    }
}
