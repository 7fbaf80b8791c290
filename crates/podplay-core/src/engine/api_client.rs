//! The API client of a kube-controller-manager controller, as far as its rate matters: client-go
//! throttles each client with a token bucket (`flowcontrol.NewTokenBucketRateLimiter(qps,
//! burst)`, golang.org/x/time/rate), at the controller manager's defaults `--kube-api-qps` 20
//! and `--kube-api-burst` 30 (`cmd/kube-controller-manager/app/options`). Each controller gets a
//! client of its own (`ClientBuilder.ClientOrDie("replicaset-controller")`), so a bucket of its
//! own. A request waits until a token is there; so a ReplicaSet scaled by hundreds creates 30
//! pods at once and then 20 a second, as on a real cluster.

use crate::clock::Millis;

/// `--kube-api-qps`: tokens a second.
const QPS: i64 = 20;
/// `--kube-api-burst`: the bucket's size.
const BURST: i64 = 30;
/// Tokens are counted in thousandths, so that a millisecond adds a whole number (`QPS`).
const TOKEN: i64 = 1000;

#[derive(Debug, Clone)]
pub(crate) struct ApiClient {
    /// Thousandths of a token, at `last`; below zero when requests wait for tokens to come.
    tokens: i64,
    last: Millis,
}

impl Default for ApiClient {
    /// A client starts with a full bucket.
    fn default() -> Self {
        ApiClient { tokens: BURST * TOKEN, last: 0 }
    }
}

impl ApiClient {
    fn tokens_at(&self, now: Millis) -> i64 {
        let elapsed = now.saturating_sub(self.last).min(Millis::MAX / 1024) as i64;
        (self.tokens + elapsed.saturating_mul(QPS)).min(BURST * TOKEN)
    }

    /// When the next request may go: now, or when its token has come.
    pub(crate) fn ready_at(&self, now: Millis) -> Millis {
        let tokens = self.tokens_at(now);
        if tokens >= TOKEN {
            now
        } else {
            now + ((TOKEN - tokens) as Millis).div_ceil(QPS as Millis)
        }
    }

    /// A request made now takes a token (`Reserve`: the bucket may go below zero, and the
    /// requests after it wait the longer).
    pub(crate) fn take(&mut self, now: Millis) {
        self.tokens = self.tokens_at(now) - TOKEN;
        self.last = now.max(self.last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_then_twenty_a_second() {
        let mut c = ApiClient::default();
        let mut times = Vec::new();
        let mut now = 10_000;
        for _ in 0..50 {
            now = c.ready_at(now);
            c.take(now);
            times.push(now);
        }
        assert!(times[..30].iter().all(|&t| t == 10_000), "{times:?}");
        assert_eq!(&times[30..33], &[10_050, 10_100, 10_150]);
        assert_eq!(times[49], 10_000 + 20 * 50);
        // A second of rest gives back 20 tokens.
        assert_eq!(c.ready_at(12_000), 12_000);
    }
}
