//! Per-key exponential back-off: a port of client-go `util/flowcontrol/backoff.go` (`Backoff`).
//!
//! The kubelet keys its crash-loop back-off by container (`containerBackOffPeriod` 10 s,
//! `MaxContainerBackOff` 300 s) and its image-pull back-off by `<podUID>_<image>`; the delays it
//! prints (`back-off 1m20s restarting failed container=...`) come straight out of this type.
//!
//! Go reads `p.Clock.Now()` inside `Next`, `IsInBackOffSince` and `GC`; here the virtual clock
//! is an explicit `now_ms` argument. All times and durations are virtual milliseconds.

use std::collections::BTreeMap;

use crate::rand::SplitMix64;

/// When an entry is considered stale: `Next` then restarts at the initial delay, `GC` drops it,
/// and the `IsInBackOff*` checks answer false. Mirrors Go's `HasExpiredFunc` hook with the two
/// shapes it is given in practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// Go's default `hasExpired`: `eventTime - lastUpdate > 2 * maxDuration`.
    TwiceMax,
    /// `eventTime - lastUpdate > d` (kubelet ≥1.32 sets this with 600 s in `pkg/kubelet/kubelet.go`).
    After(i64),
    /// `eventTime - lastUpdate >= d` (the form used by client-go's own tests).
    AtLeast(i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    backoff: i64,
    last_update: i64,
}

/// Optional jitter: Go's `maxJitterFactor` plus the random source it draws from.
#[derive(Clone, Debug)]
struct Jitter {
    max_factor: f64,
    rng: SplitMix64,
}

/// Exponential back-off per string key (Go `flowcontrol.Backoff`).
#[derive(Clone, Debug)]
pub struct Backoff {
    default_duration: i64,
    max_duration: i64,
    expiry: Expiry,
    entries: BTreeMap<String, Entry>,
    jitter: Option<Jitter>,
}

impl Backoff {
    /// Go `NewBackOff(initial, max)`: no jitter, default expiry (`2 * max`).
    pub fn new(initial_ms: i64, max_ms: i64) -> Self {
        Backoff { default_duration: initial_ms, max_duration: max_ms, expiry: Expiry::TwiceMax, entries: BTreeMap::new(), jitter: None }
    }

    /// Go `NewBackOffWithJitter(initial, max, maxJitterFactor)`. Go seeds `math/rand` from the
    /// wall clock; here the caller supplies the seed so runs are reproducible. A factor ≤ 0
    /// disables jitter, as in Go.
    pub fn with_jitter(initial_ms: i64, max_ms: i64, max_jitter_factor: f64, seed: u64) -> Self {
        let mut backoff = Backoff::new(initial_ms, max_ms);
        if max_jitter_factor > 0.0 {
            backoff.jitter = Some(Jitter { max_factor: max_jitter_factor, rng: SplitMix64::new(seed) });
        }
        backoff
    }

    /// Replaces the expiry rule (Go: assigning `HasExpiredFunc`).
    pub fn with_expiry(mut self, expiry: Expiry) -> Self {
        self.expiry = expiry;
        self
    }

    /// The kubelet's crash-loop back-off as of 1.32 (`pkg/kubelet/kubelet.go`):
    /// `NewBackOff(10s, 300s)` with `HasExpiredFunc` = `eventTime.Sub(lastUpdate) > 600s`.
    /// Earlier releases used the default expiry, which is also 600 s for these values.
    pub fn kubelet_container() -> Self {
        Backoff::new(10_000, 300_000).with_expiry(Expiry::After(600_000))
    }

    /// The kubelet's image-pull back-off (`pkg/kubelet/kubelet.go` `imageBackOffPeriod` 10 s,
    /// `MaxImageBackOff` 300 s), default expiry.
    pub fn kubelet_image_pull() -> Self {
        Backoff::new(10_000, 300_000)
    }

    /// Go `Get`: the current delay for `id`, 0 if there is no entry.
    pub fn get(&self, id: &str) -> i64 {
        self.entries.get(id).map_or(0, |e| e.backoff)
    }

    /// True if an entry exists for `id` (Go tests peek at `perItemBackoff` directly).
    pub fn has_entry(&self, id: &str) -> bool {
        self.entries.contains_key(id)
    }

    /// Go `Next`: a new or expired entry starts at the initial delay; otherwise the delay doubles
    /// (jitter is added from the *previous* delay) and is capped at the maximum. `lastUpdate`
    /// becomes `now_ms`, not `event_time_ms`.
    pub fn next(&mut self, id: &str, event_time_ms: i64, now_ms: i64) {
        let existing = self.entries.get(id).copied().filter(|e| !self.has_expired(event_time_ms, e.last_update));
        let backoff = match existing {
            None => {
                let initial = self.default_duration;
                initial + self.jitter(initial)
            }
            Some(entry) => {
                let delay = entry.backoff.saturating_mul(2) + self.jitter(entry.backoff);
                delay.min(self.max_duration)
            }
        };
        self.entries.insert(id.to_string(), Entry { backoff, last_update: now_ms });
    }

    /// Go `Reset`: forget `id`.
    pub fn reset(&mut self, id: &str) {
        self.entries.remove(id);
    }

    /// Go `DeleteEntry`: same effect as [`Backoff::reset`]; both exist in client-go.
    pub fn delete_entry(&mut self, id: &str) {
        self.entries.remove(id);
    }

    /// Go `IsInBackOffSince`: true while `now - event_time` is shorter than the current delay
    /// (the kubelet passes the last container's `FinishedAt` as `event_time`).
    pub fn is_in_back_off_since(&self, id: &str, event_time_ms: i64, now_ms: i64) -> bool {
        match self.entries.get(id) {
            None => false,
            Some(e) if self.has_expired(event_time_ms, e.last_update) => false,
            Some(e) => now_ms - event_time_ms < e.backoff,
        }
    }

    /// Go `IsInBackOffSinceUpdate`: true while `event_time - lastUpdate` is shorter than the
    /// current delay.
    pub fn is_in_back_off_since_update(&self, id: &str, event_time_ms: i64) -> bool {
        match self.entries.get(id) {
            None => false,
            Some(e) if self.has_expired(event_time_ms, e.last_update) => false,
            Some(e) => event_time_ms - e.last_update < e.backoff,
        }
    }

    /// Go `GC`: drops every entry that has expired as of `now_ms`.
    pub fn gc(&mut self, now_ms: i64) {
        let expiry = self.expiry;
        let max = self.max_duration;
        self.entries.retain(|_, e| !expired(expiry, max, now_ms, e.last_update));
    }

    fn has_expired(&self, event_time: i64, last_update: i64) -> bool {
        expired(self.expiry, self.max_duration, event_time, last_update)
    }

    /// Go `jitter`: `Duration(rand.Float64() * maxJitterFactor * float64(delay))`. Go truncates
    /// in nanoseconds; we truncate in milliseconds (sub-millisecond jitter is invisible in any
    /// output).
    fn jitter(&mut self, delay: i64) -> i64 {
        match &mut self.jitter {
            None => 0,
            Some(j) => (j.rng.next_f64() * j.max_factor * delay as f64) as i64,
        }
    }
}

fn expired(expiry: Expiry, max_duration: i64, event_time: i64, last_update: i64) -> bool {
    let elapsed = event_time - last_update;
    match expiry {
        Expiry::TwiceMax => elapsed > max_duration.saturating_mul(2),
        Expiry::After(d) => elapsed > d,
        Expiry::AtLeast(d) => elapsed >= d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: i64 = 1000;
    /// Go's fake clocks start at `time.Now()`; any fixed origin works.
    const T0: i64 = 1_700_000_000_000;

    /// client-go backoff_test.go TestSlowBackoff.
    #[test]
    fn slow_backoff() {
        let id = "_idSlow";
        let mut now = T0;
        let mut b = Backoff::new(SEC, 50 * SEC);
        for (ix, c) in [0, 1, 2, 4, 8, 16, 32, 50, 50, 50].into_iter().enumerate() {
            now += SEC;
            assert_eq!(b.get(id), c * SEC, "input {ix}");
            b.next(id, now, now);
        }
        // Reset cancels back-off.
        b.next(id, now, now);
        b.reset(id);
        assert_eq!(b.get(id), 0, "Reset didn't clear the backoff");
    }

    /// client-go TestBackoffReset.
    #[test]
    fn backoff_reset() {
        let id = "_idReset";
        let mut now = T0;
        let max = 5 * SEC;
        let mut b = Backoff::new(SEC, max);
        for _ in 0..=5 {
            now += SEC;
            b.next(id, now, now);
        }
        assert!(b.is_in_back_off_since(id, now, now), "expected to be in backoff, got {}", b.get(id));
        let last_update = now;
        now += 2 * max + SEC;
        assert!(!b.is_in_back_off_since(id, last_update, now), "expected not in backoff after reset");
    }

    /// client-go TestBackoffHighWaterMark.
    #[test]
    fn backoff_high_water_mark() {
        let id = "_idHiWaterMark";
        let mut now = T0;
        let max = 5 * SEC;
        let mut b = Backoff::new(SEC, max);
        for _ in 0..=5 {
            now += SEC;
            b.next(id, now, now);
        }
        // The high-water mark only expires after 2*max.
        now += max + SEC;
        b.next(id, now, now);
        assert_eq!(b.get(id), max);
    }

    /// client-go TestBackoffGC.
    #[test]
    fn backoff_gc() {
        let id = "_idGC";
        let mut now = T0;
        let max = 5 * SEC;
        let mut b = Backoff::new(SEC, max);
        for _ in 0..=5 {
            now += SEC;
            b.next(id, now, now);
        }
        now += max + SEC;
        b.gc(now);
        assert!(b.has_entry(id), "expected GC to skip entry");
        now += max + SEC;
        b.gc(now);
        assert!(!b.has_entry(id), "expected GC of entry");
    }

    /// client-go TestAlternateBackoffGC.
    #[test]
    fn alternate_backoff_gc() {
        let cases = [
            ("default GC", Expiry::TwiceMax, 50 * SEC, 5 * SEC, 101 * SEC),
            ("GC later than 2*maxDuration", Expiry::AtLeast(200 * SEC), 50 * SEC, 101 * SEC, 501 * SEC),
        ];
        for (name, expiry, max, non_expired, expired_after) in cases {
            let mut now = T0;
            let mut b = Backoff::new(SEC, max).with_expiry(expiry);
            b.next(name, now, now);
            now += non_expired;
            b.gc(now);
            assert!(b.has_entry(name), "[{name}] expected GC to skip entry");
            now += expired_after;
            b.gc(now);
            assert!(!b.has_entry(name), "[{name}] expected GC of entry");
        }
    }

    /// client-go TestIsInBackOffSinceUpdate: (tick seconds, in back-off, delay seconds).
    #[test]
    fn is_in_back_off_since_update() {
        let id = "_idIsInBackOffSinceUpdate";
        let mut b = Backoff::new(SEC, 10 * SEC);
        let cases: [(i64, bool, i64); 38] = [
            (0, false, 0),
            (1, false, 1),
            (2, true, 2),
            (3, false, 2),
            (4, true, 4),
            (5, true, 4),
            (6, true, 4),
            (7, false, 4),
            (8, true, 8),
            (9, true, 8),
            (10, true, 8),
            (11, true, 8),
            (12, true, 8),
            (13, true, 8),
            (14, true, 8),
            (15, false, 8),
            (16, true, 10),
            (17, true, 10),
            (18, true, 10),
            (19, true, 10),
            (20, true, 10),
            (21, true, 10),
            (22, true, 10),
            (23, true, 10),
            (24, true, 10),
            (25, false, 10),
            (26, true, 10),
            (27, true, 10),
            (28, true, 10),
            (29, true, 10),
            (30, true, 10),
            (31, true, 10),
            (32, true, 10),
            (33, true, 10),
            (34, true, 10),
            (35, false, 10),
            (56, false, 0),
            (57, false, 1),
        ];
        for (tick, in_back_off, value) in cases {
            let now = T0 + tick * SEC;
            assert_eq!(b.is_in_back_off_since_update(id, now), in_back_off, "tick {tick}");
            if in_back_off {
                assert_eq!(b.get(id), value * SEC, "tick {tick}");
            } else {
                b.next(id, now, now);
            }
        }
    }

    /// client-go TestBackoffWithJitter: every jittered delay lies in (factor*prev,
    /// factor*prev + 0.1*prev] or has hit the maximum. Run over several seeds since the Go
    /// test's randomness is clock-seeded.
    #[test]
    fn backoff_with_jitter() {
        let initial = 100;
        let max = 60 * SEC;
        let factor = 0.1;
        let in_range = |mult: i64, prev: i64, cur: i64| {
            let low = prev * mult;
            let high = low + (factor * prev as f64) as i64;
            (cur > low && cur <= high) || cur == max
        };
        for seed in 0..20 {
            let mut now = T0;
            let mut b = Backoff::with_jitter(initial, max, factor, seed);
            assert_eq!(b.get("_idJitter"), 0);
            let mut next = |b: &mut Backoff| {
                now += initial;
                b.next("_idJitter", now, now);
                b.get("_idJitter")
            };
            let mut prev = next(&mut b);
            // Go asserts cur > low; with ms truncation a zero draw gives exactly `low`, so the
            // first step also accepts equality.
            assert!(in_range(1, initial, prev) || prev == initial, "seed {seed}: first delay {prev}");
            let mut hit_max = false;
            for _ in 0..10 {
                let cur = next(&mut b);
                assert!(in_range(2, prev, cur) || cur == 2 * prev, "seed {seed}: {prev} -> {cur}");
                hit_max |= cur == max;
                prev = cur;
            }
            assert!(hit_max, "seed {seed}: the maximum must be reached within 11 attempts");
        }
    }

    /// client-go TestAlternateHasExpiredFunc.
    #[test]
    fn alternate_has_expired_func() {
        let base = SEC;
        let cases = [
            ("default expiration", Expiry::TwiceMax, 50 * SEC, 5 * SEC, 101 * SEC),
            ("expires faster than maxDuration", Expiry::AtLeast(8 * SEC), 50 * SEC, 5 * SEC, 9 * SEC),
        ];
        for (name, expiry, max, non_expired, expired_after) in cases {
            let mut now = T0;
            let mut b = Backoff::new(base, max).with_expiry(expiry);
            b.next(name, now, now);
            now += non_expired;
            b.next(name, now, now);
            assert!(b.get(name) >= base * 2, "{name}: backoff has not incremented");
            now += expired_after;
            b.next(name, now, now);
            assert_eq!(b.get(name), base, "{name}: expected reset to initial");
        }
    }

    /// The kubelet's crash loop (reference §3.2): the first crash restarts at once, then the
    /// delays double from 10 s to the 300 s cap, printed as Go durations; a container that ran
    /// for more than 600 s since the last restart starts over at 10 s.
    #[test]
    fn kubelet_crash_loop_delays() {
        let key = "pod_ns_uid_app_hash";
        let mut b = Backoff::kubelet_container();
        let mut now = T0;
        assert!(!b.is_in_back_off_since(key, now, now), "no entry: first restart is immediate");
        let mut printed = Vec::new();
        for _ in 0..8 {
            b.next(key, now, now);
            printed.push(crate::duration::go_duration_string(b.get(key) * 1_000_000));
            // Container crashes right after start; restart exactly when the delay has passed.
            let finished = now;
            now = finished + b.get(key);
            assert!(b.is_in_back_off_since(key, finished, now - 1));
            assert!(!b.is_in_back_off_since(key, finished, now));
        }
        assert_eq!(printed, ["10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s", "5m0s"]);

        // The last Next happened at `restart`; a crash 600 s after it is not yet expired
        // (strictly greater is required)...
        let restart = now;
        b.next(key, restart, restart);
        let finished = restart + 600 * SEC;
        b.next(key, finished, finished);
        assert_eq!(b.get(key), 300 * SEC);
        // ...but one 600 s + 1 ms after the latest restart is.
        let finished = finished + 600 * SEC + 1;
        assert!(!b.is_in_back_off_since(key, finished, finished));
        b.next(key, finished, finished);
        assert_eq!(b.get(key), 10 * SEC);
    }
}
