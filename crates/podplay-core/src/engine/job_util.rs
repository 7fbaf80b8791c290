//! Pure arithmetic of the Job controller, ported with upstream's names
//! (`pkg/controller/job/backoff_utils.go`, `indexed_job_utils.go`) and checked against
//! upstream's test tables where their output shows.

use std::collections::BTreeSet;

use crate::clock::{Millis, SECOND};

/// `DefaultJobPodFailureBackOff` (`DefaultJobBackOff` before 1.27): the first back-off.
pub(crate) const DEFAULT_POD_FAILURE_BACKOFF: Millis = 10 * SECOND;

/// `backoffRecord`: failures since the last success, and when the last one finished.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BackoffRecord {
    pub failures_after_last_success: u32,
    pub last_failure_time: Option<Millis>,
}

impl BackoffRecord {
    /// `newBackoffRecord`: the record after the newly finished pods (their finish times); a
    /// success resets it, and only failures after the last success count again.
    pub fn with_finished(self, mut succeeded: Vec<Millis>, mut failed: Vec<Millis>) -> BackoffRecord {
        succeeded.sort_unstable();
        failed.sort_unstable();
        let Some(&last_success) = succeeded.last() else {
            let Some(&last) = failed.last() else { return self };
            return BackoffRecord {
                failures_after_last_success: self.failures_after_last_success + failed.len() as u32,
                last_failure_time: Some(last),
            };
        };
        let after: Vec<Millis> = failed.into_iter().filter(|&t| t > last_success).collect();
        BackoffRecord { failures_after_last_success: after.len() as u32, last_failure_time: after.last().copied() }
    }

    /// `getRemainingTime`.
    pub fn remaining(&self, now: Millis, max: Millis) -> Millis {
        match self.last_failure_time {
            Some(t) => remaining_time_for_failures_count(self.failures_after_last_success, t, now, DEFAULT_POD_FAILURE_BACKOFF, max),
            None => 0,
        }
    }
}

/// `getRemainingTimeForFailuresCount`: `default` doubled for every failure after the first,
/// capped at `max`, less the time since the last failure.
pub(crate) fn remaining_time_for_failures_count(failures: u32, last_failure: Millis, now: Millis, default: Millis, max: Millis) -> Millis {
    if failures == 0 {
        return 0;
    }
    let mut backoff = default;
    for _ in 1..failures {
        backoff *= 2;
        if backoff >= max {
            backoff = max;
            break;
        }
    }
    let elapsed = now.saturating_sub(last_failure);
    backoff.saturating_sub(elapsed)
}

/// `orderedIntervals.String()`: succeeded indexes as `0,2-4`.
pub(crate) fn intervals_string(indexes: &BTreeSet<i32>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = indexes.iter().copied().peekable();
    while let Some(first) = iter.next() {
        let mut last = first;
        while iter.peek() == Some(&(last + 1)) {
            last += 1;
            iter.next();
        }
        parts.push(if first == last { first.to_string() } else { format!("{first}-{last}") });
    }
    parts.join(",")
}

/// `firstPendingIndexes`: the lowest `count` indexes below `completions` that neither
/// succeeded nor have an active pod.
pub(crate) fn first_pending_indexes(succeeded: &BTreeSet<i32>, active: &BTreeSet<i32>, count: usize, completions: i32) -> Vec<i32> {
    (0..completions).filter(|i| !succeeded.contains(i) && !active.contains(i)).take(count).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: Millis = 600 * SECOND;

    /// Upstream `TestGetRemainingBackoffTime` (backoff_utils_test.go), case for case: a record
    /// of `failures` failures, the last at `last`, seen at `now` (default 5 s, max 700 s).
    #[test]
    fn get_remaining_backoff_time() {
        let s = SECOND;
        let t = 1_000 * s;
        // (name, failures, last failure (None: nil), now, want)
        let cases: &[(&str, u32, Option<Millis>, Millis, Millis)] = &[
            ("no failures", 0, None, 0, 0),
            ("one failure; current time and failure time are same", 1, Some(t), t, 5 * s),
            ("one failure; current time == 1 second + failure time", 1, Some(t), t + s, 4 * s),
            ("one failure; current time == expected backoff time", 1, Some(t), t + 5 * s, 0),
            ("one failure; current time == expected backoff time + 1 Second", 1, Some(t), t + 6 * s, 0),
            ("three failures; current time and failure time are same", 3, Some(t), t, 20 * s),
            ("eight failures; current time and failure time are same; backoff not exceeding maxBackoff", 8, Some(t), t, 640 * s),
            ("nine failures; current time and failure time are same; backoff exceeding maxBackoff", 9, Some(t), t, 700 * s),
        ];
        for &(name, failures, last, now, want) in cases {
            let got = match last {
                Some(last) => remaining_time_for_failures_count(failures, last, now, 5 * s, 700 * s),
                None => BackoffRecord { failures_after_last_success: failures, last_failure_time: None }.remaining(now, 700 * s),
            };
            assert_eq!(got, want, "{name}");
        }
    }

    /// The Job documentation's back-off: 10 s, 20 s, 40 s … for consecutive failures, capped.
    #[test]
    fn doubling_from_ten_seconds_up_to_the_cap() {
        let got: Vec<Millis> =
            (1..=8).map(|n| remaining_time_for_failures_count(n, 0, 0, DEFAULT_POD_FAILURE_BACKOFF, 360 * SECOND) / SECOND).collect();
        assert_eq!(got, [10, 20, 40, 80, 160, 320, 360, 360]);
        assert_eq!(remaining_time_for_failures_count(8, 0, 0, DEFAULT_POD_FAILURE_BACKOFF, MAX) / SECOND, 600);
    }

    /// `newBackoffRecord`'s rules (podplay's own cases, not upstream's table): failures add
    /// up; a success resets the count and keeps only the failures after it.
    #[test]
    fn new_backoff_record() {
        let s = SECOND;
        let empty = BackoffRecord::default();
        let r = empty.with_finished(vec![], vec![10 * s, 5 * s]);
        assert_eq!(r, BackoffRecord { failures_after_last_success: 2, last_failure_time: Some(10 * s) });
        let r = r.with_finished(vec![], vec![20 * s]);
        assert_eq!(r, BackoffRecord { failures_after_last_success: 3, last_failure_time: Some(20 * s) });
        let r = r.with_finished(vec![30 * s], vec![25 * s, 35 * s, 40 * s]);
        assert_eq!(r, BackoffRecord { failures_after_last_success: 2, last_failure_time: Some(40 * s) });
        let r = r.with_finished(vec![50 * s], vec![]);
        assert_eq!(r, BackoffRecord::default());
    }

    /// `orderedIntervals.String()` and `firstPendingIndexes` (podplay's own cases).
    #[test]
    fn completed_indexes_text() {
        let set = |v: &[i32]| v.iter().copied().collect::<BTreeSet<i32>>();
        assert_eq!(intervals_string(&set(&[])), "");
        assert_eq!(intervals_string(&set(&[0])), "0");
        assert_eq!(intervals_string(&set(&[0, 1, 2, 5, 7, 8])), "0-2,5,7-8");
        assert_eq!(first_pending_indexes(&set(&[0, 2]), &set(&[1]), 2, 5), [3, 4]);
    }
}
