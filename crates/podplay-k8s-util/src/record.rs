//! The legacy (core/v1) event recorder's client-side correlator: a port of client-go
//! `tools/record/events_cache.go` (`EventCorrelator`, `EventAggregator`, `eventLogger`,
//! `EventSourceObjectSpamFilter`) plus the event constructor of `tools/record/event.go`.
//!
//! This is what turns a kubelet that emits `Unhealthy` every 10 s into `kubectl describe`'s
//! `Warning  Unhealthy  76s (x93 over 33m)`: repeats of an identical event become a PATCH of one
//! API object with a growing `count`; ten different messages with the same reason within 10 min
//! become one `(combined from similar events): ...` event; and a token bucket per
//! source+object(+type) lets only 25 writes through in a burst and then one per 5 min.
//!
//! Time is virtual milliseconds passed in by the caller (Go reads `clock.Now()`). The API stores
//! `firstTimestamp`/`lastTimestamp` as `metav1.Time`, i.e. **whole seconds**; this module keeps
//! milliseconds in memory exactly as client-go keeps nanoseconds, and whoever renders an event
//! (YAML, `kubectl describe` ages) must truncate to seconds first (see
//! [`crate::time::format_rfc3339_ms`]). The correlator's own decisions (aggregation interval,
//! token refill) use the full-precision clock, as in Go.

use crate::lru::{key_id, Lru};
use crate::rate::TokenBucket;

/// `v1.EventTypeNormal`.
pub const EVENT_TYPE_NORMAL: &str = "Normal";
/// `v1.EventTypeWarning`.
pub const EVENT_TYPE_WARNING: &str = "Warning";

/// `maxLruCacheEntries`: size of each of the three caches.
pub const DEFAULT_LRU_CACHE_SIZE: usize = 4096;
/// `defaultAggregateMaxEvents`: distinct messages per reason before aggregation.
pub const DEFAULT_AGGREGATE_MAX_EVENTS: usize = 10;
/// `defaultAggregateIntervalInSeconds`: idle time after which the aggregation record restarts.
pub const DEFAULT_AGGREGATE_INTERVAL_SECONDS: i64 = 600;
/// `defaultSpamBurst`: writes a source may make about one object before throttling.
pub const DEFAULT_SPAM_BURST: i64 = 25;
/// `defaultSpamQPS` (`1. / 300.`), a `float32` in client-go (see [`crate::rate::limit_from_f32_qps`]).
pub const DEFAULT_SPAM_QPS: f32 = 1.0 / 300.0;
/// The aggregate message prefix of `EventAggregatorByReasonMessageFunc`.
pub const AGGREGATE_MESSAGE_PREFIX: &str = "(combined from similar events): ";

/// `v1.ObjectReference` as used in `involvedObject` (and `regarding`/`related` of
/// events.k8s.io events, see [`crate::series`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectReference {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub api_version: String,
    /// e.g. `spec.containers{app}` for container-scoped kubelet events; empty for pod-scoped ones.
    pub field_path: String,
    /// Not part of any core/v1 correlator key, but part of the events.k8s.io isomorphic key: an
    /// event about a newer version of the object starts a new series.
    pub resource_version: String,
}

/// The fields of a core/v1 `Event` that the recorder and correlator read or write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event {
    /// `metadata.name`: `<object name>.<UnixNano in hex>` ([`generate_event_name`]).
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.resourceVersion` as last returned by the API (kept by the dedup cache).
    pub resource_version: String,
    pub involved_object: ObjectReference,
    pub reason: String,
    pub message: String,
    /// `type`: [`EVENT_TYPE_NORMAL`] or [`EVENT_TYPE_WARNING`].
    pub event_type: String,
    /// `source.component`, e.g. `kubelet`.
    pub source_component: String,
    /// `source.host`, the node name for kubelet events.
    pub source_host: String,
    pub reporting_controller: String,
    pub reporting_instance: String,
    pub count: i32,
    /// Virtual ms; the API keeps whole seconds.
    pub first_timestamp_ms: i64,
    /// Virtual ms; the API keeps whole seconds.
    pub last_timestamp_ms: i64,
}

impl Event {
    /// client-go `recorderImpl.generateEvent` + `makeEvent` (`tools/record/event.go`): a fresh
    /// event with `count` 1, both timestamps `now`, namespace defaulted to `default`, source and
    /// reporting controller/instance from the recorder's `EventSource`. The name embeds
    /// `now_ns`, the recorder clock in Unix nanoseconds.
    pub fn new(
        involved_object: ObjectReference,
        event_type: &str,
        reason: &str,
        message: &str,
        source_component: &str,
        source_host: &str,
        now_ns: i64,
    ) -> Event {
        let namespace = if involved_object.namespace.is_empty() { "default".to_string() } else { involved_object.namespace.clone() };
        let now_ms = now_ns.div_euclid(1_000_000);
        Event {
            name: generate_event_name(&involved_object.name, now_ns),
            namespace,
            resource_version: String::new(),
            involved_object,
            reason: reason.to_string(),
            message: message.to_string(),
            event_type: event_type.to_string(),
            source_component: source_component.to_string(),
            source_host: source_host.to_string(),
            reporting_controller: source_component.to_string(),
            reporting_instance: source_host.to_string(),
            count: 1,
            first_timestamp_ms: now_ms,
            last_timestamp_ms: now_ms,
        }
    }
}

/// client-go `tools/record/util/util.go` `GenerateEventName`: `fmt.Sprintf("%s.%x", refName,
/// unixNano)`. (Go falls back to a random UUID when the result is not a valid DNS subdomain,
/// e.g. longer than 253 characters; that random fallback is not reproduced.)
pub fn generate_event_name(ref_name: &str, unix_nanos: i64) -> String {
    // Go's %x of a negative int64 prints a minus sign and the magnitude.
    if unix_nanos < 0 {
        format!("{ref_name}.-{:x}", unix_nanos.unsigned_abs())
    } else {
        format!("{ref_name}.{unix_nanos:x}")
    }
}

/// `getEventKey`: the dedup key; includes the field path and the message.
pub fn event_key(e: &Event) -> String {
    let o = &e.involved_object;
    [
        &e.source_component,
        &e.source_host,
        &o.kind,
        &o.namespace,
        &o.name,
        &o.field_path,
        &o.uid,
        &o.api_version,
        &e.event_type,
        &e.reason,
        &e.message,
    ]
    .into_iter()
    .map(String::as_str)
    .collect()
}

/// `EventAggregatorByReasonFunc`: (aggregate key, local key). The aggregate key is source,
/// involved object **without field path**, type, reason and reporting controller/instance; the
/// local key is the message.
pub fn aggregate_by_reason_key(e: &Event) -> (String, String) {
    let o = &e.involved_object;
    let key = [
        &e.source_component,
        &e.source_host,
        &o.kind,
        &o.namespace,
        &o.name,
        &o.uid,
        &o.api_version,
        &e.event_type,
        &e.reason,
        &e.reporting_controller,
        &e.reporting_instance,
    ]
    .into_iter()
    .map(String::as_str)
    .collect();
    (key, e.message.clone())
}

/// `EventAggregatorByReasonMessageFunc`.
pub fn aggregate_by_reason_message(e: &Event) -> String {
    format!("{AGGREGATE_MESSAGE_PREFIX}{}", e.message)
}

/// How the spam filter groups events into token buckets (`EventSpamKeyFunc`).
#[derive(Clone, Copy, Debug)]
pub enum SpamKey {
    /// `getSpamKey` up to Kubernetes 1.31: source + involved object (no field path).
    SourceObject,
    /// `getSpamKey` from Kubernetes 1.32 (client-go commit aa6ed1bae, first tagged
    /// kubernetes-1.32.0): source + involved object + event type, so Normal and Warning events
    /// about one pod have separate budgets.
    SourceObjectType,
    /// A caller-supplied key (Go `CorrelatorOptions.SpamKeyFunc`).
    Custom(fn(&Event) -> String),
}

impl SpamKey {
    /// client-go's default key: with the event type from Kubernetes 1.32 (`type_in_key`), as the
    /// release table of the caller says.
    pub fn default_for(type_in_key: bool) -> SpamKey {
        if type_in_key {
            SpamKey::SourceObjectType
        } else {
            SpamKey::SourceObject
        }
    }

    /// The bucket key of `e`.
    pub fn key(&self, e: &Event) -> String {
        let o = &e.involved_object;
        let source_object = [&e.source_component, &e.source_host, &o.kind, &o.namespace, &o.name, &o.uid, &o.api_version];
        match self {
            SpamKey::Custom(f) => f(e),
            SpamKey::SourceObject => source_object.into_iter().map(String::as_str).collect(),
            SpamKey::SourceObjectType => source_object.into_iter().chain([&e.event_type]).map(String::as_str).collect(),
        }
    }
}

/// `EventSourceObjectSpamFilter`: one token bucket per spam key, kept in an LRU cache.
#[derive(Clone, Debug)]
pub struct SpamFilter {
    cache: Lru<TokenBucket>,
    burst: i64,
    qps: f32,
    key: SpamKey,
}

impl SpamFilter {
    /// `NewEventSourceObjectSpamFilter(lruCacheSize, burst, qps, clock, spamKeyFunc)`.
    pub fn new(lru_cache_size: usize, burst: i64, qps: f32, key: SpamKey) -> Self {
        SpamFilter { cache: Lru::new(lru_cache_size), burst, qps, key }
    }

    /// `Filter`: true if the event must be dropped (its bucket has no token at `now_ms`).
    pub fn filter(&mut self, event: &Event, now_ms: i64) -> bool {
        let key = self.key.key(event);
        let key = key_id(&key);
        let mut bucket = match self.cache.get_mut(key) {
            Some(b) => b.clone(),
            None => TokenBucket::from_qps(self.qps, self.burst),
        };
        let filtered = !bucket.try_accept(now_ms);
        self.cache.add(key, bucket);
        filtered
    }
}

/// `aggregateRecord`.
#[derive(Clone, Debug, Default)]
struct AggregateRecord {
    /// Distinct local keys (messages) seen in the current window, sorted (a handful: the
    /// aggregator keeps fewer than `max_events`).
    local_keys: Vec<String>,
    /// Time of the last similar event; `None` is Go's zero time (always "too old").
    last_timestamp_ms: Option<i64>,
}

/// `EventAggregator` with `EventAggregatorByReasonFunc`/`EventAggregatorByReasonMessageFunc`.
#[derive(Clone, Debug)]
pub struct EventAggregator {
    cache: Lru<AggregateRecord>,
    max_events: usize,
    max_interval_seconds: i64,
}

impl EventAggregator {
    /// `NewEventAggregator(lruCacheSize, keyFunc, messageFunc, maxEvents, maxIntervalInSeconds, clock)`.
    pub fn new(lru_cache_size: usize, max_events: usize, max_interval_seconds: i64) -> Self {
        EventAggregator { cache: Lru::new(lru_cache_size), max_events, max_interval_seconds }
    }

    /// `EventAggregate`: returns the event to record and its dedup cache key. Below the
    /// threshold that is the event itself and [`event_key`]; at the threshold it is a new
    /// aggregate event (count 1, name from `now`, message prefixed, **no** reporting
    /// controller/instance — Go's copy does not set them) keyed by the aggregate key, so later
    /// aggregates update that one object.
    ///
    /// Deviation: Go then drops an arbitrary message from the set (`PopAny`, Go map order, i.e.
    /// random) to keep it below the maximum; we drop the lexicographically smallest so runs are
    /// reproducible. It only decides whether a repeat of an old message is aggregated again.
    pub fn aggregate(&mut self, new_event: &Event, now_ms: i64) -> (Event, String) {
        let event_key = event_key(new_event);
        let (aggregate_key, local_key) = aggregate_by_reason_key(new_event);

        // Go gets the record (marking it recently used), replaces it when too old, and adds it
        // back; updating it in place leaves the cache in the same state without copying the set.
        let id = key_id(&aggregate_key);
        if self.cache.get_mut(id).is_none() {
            self.cache.add(id, AggregateRecord::default());
        }
        let max_interval_ms = self.max_interval_seconds * 1000;
        let record = self.cache.get_mut(id).expect("just added");
        let too_old = match record.last_timestamp_ms {
            None => true,
            Some(last) => now_ms - last > max_interval_ms,
        };
        if too_old {
            *record = AggregateRecord::default();
        }
        if let Err(at) = record.local_keys.binary_search(&local_key) {
            record.local_keys.insert(at, local_key);
        }
        record.last_timestamp_ms = Some(now_ms);
        let distinct = record.local_keys.len();
        if distinct >= self.max_events {
            // Go pops from the set it has just cached (the set is shared by reference).
            record.local_keys.remove(0);
        }

        if distinct < self.max_events {
            return (new_event.clone(), event_key);
        }
        let aggregate = Event {
            name: generate_event_name(&new_event.involved_object.name, now_ms.saturating_mul(1_000_000)),
            namespace: new_event.namespace.clone(),
            count: 1,
            first_timestamp_ms: now_ms,
            last_timestamp_ms: now_ms,
            involved_object: new_event.involved_object.clone(),
            message: aggregate_by_reason_message(new_event),
            event_type: new_event.event_type.clone(),
            reason: new_event.reason.clone(),
            source_component: new_event.source_component.clone(),
            source_host: new_event.source_host.clone(),
            ..Event::default()
        };
        (aggregate, aggregate_key)
    }
}

/// `eventLog`: what the dedup cache remembers of an event.
#[derive(Clone, Debug, Default)]
struct EventLog {
    count: u32,
    first_timestamp_ms: i64,
    name: String,
    resource_version: String,
}

impl EventLog {
    fn of(event: &Event) -> EventLog {
        EventLog {
            // Go: uint(event.Count); counts are never negative in practice.
            count: event.count.max(0) as u32,
            first_timestamp_ms: event.first_timestamp_ms,
            name: event.name.clone(),
            resource_version: event.resource_version.clone(),
        }
    }
}

/// The strategic-merge patch client-go sends for a repeat. Go computes it as the two-way diff
/// between the event with `count` 0, `lastTimestamp` = Unix 0 and an empty message, and the
/// event itself, so it carries exactly these fields (the message only when non-empty):
/// `{"count":N,"lastTimestamp":"...","message":"..."}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventPatch {
    pub count: i32,
    /// Virtual ms; serialized with whole seconds.
    pub last_timestamp_ms: i64,
    /// `None` when the message is empty (then it is not part of the diff).
    pub message: Option<String>,
}

/// `EventCorrelateResult`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorrelateResult {
    /// The event to write; `None` when skipped (Go leaves it nil).
    pub event: Option<Event>,
    /// Present when the dedup cache had seen this event before.
    pub patch: Option<EventPatch>,
    /// True when the spam filter dropped the write.
    pub skip: bool,
}

impl CorrelateResult {
    /// client-go `recordToSink` PATCHes when `event.Count > 1` and CREATEs otherwise (and also
    /// creates if the PATCH finds the object gone, e.g. after the 1 h event TTL).
    pub fn is_update(&self) -> bool {
        self.event.as_ref().is_some_and(|e| e.count > 1)
    }
}

/// `CorrelatorOptions` (zero values take the defaults in Go; here `Default` gives them).
#[derive(Clone, Copy, Debug)]
pub struct CorrelatorOptions {
    pub lru_cache_size: usize,
    pub burst: i64,
    pub qps: f32,
    pub max_events: usize,
    pub max_interval_seconds: i64,
    pub spam_key: SpamKey,
}

impl Default for CorrelatorOptions {
    /// `NewEventCorrelator` defaults with the current (1.32+) spam key.
    fn default() -> Self {
        CorrelatorOptions {
            lru_cache_size: DEFAULT_LRU_CACHE_SIZE,
            burst: DEFAULT_SPAM_BURST,
            qps: DEFAULT_SPAM_QPS,
            max_events: DEFAULT_AGGREGATE_MAX_EVENTS,
            max_interval_seconds: DEFAULT_AGGREGATE_INTERVAL_SECONDS,
            spam_key: SpamKey::SourceObjectType,
        }
    }
}

/// `EventCorrelator`: aggregate, then dedup/count, then spam-filter.
#[derive(Clone, Debug)]
pub struct EventCorrelator {
    spam_filter: SpamFilter,
    aggregator: EventAggregator,
    logger: Lru<EventLog>,
}

impl EventCorrelator {
    /// `NewEventCorrelatorWithOptions`.
    pub fn new(options: CorrelatorOptions) -> Self {
        EventCorrelator {
            spam_filter: SpamFilter::new(options.lru_cache_size, options.burst, options.qps, options.spam_key),
            aggregator: EventAggregator::new(options.lru_cache_size, options.max_events, options.max_interval_seconds),
            logger: Lru::new(options.lru_cache_size),
        }
    }

    /// client-go's default correlator; `type_in_key`: the spam key has the event type (client-go
    /// of Kubernetes 1.32+).
    pub fn with_default_spam_key(type_in_key: bool) -> Self {
        EventCorrelator::new(CorrelatorOptions { spam_key: SpamKey::default_for(type_in_key), ..Default::default() })
    }

    /// `EventCorrelate` at virtual time `now_ms`.
    pub fn correlate(&mut self, new_event: &Event, now_ms: i64) -> CorrelateResult {
        self.correlate_with_clock(new_event, || now_ms)
    }

    /// `EventCorrelate` with Go's two clock reads (aggregator, then spam filter) made explicit,
    /// so tests can replay client-go's `SimpleIntervalClock`, which advances on every read.
    fn correlate_with_clock(&mut self, new_event: &Event, mut clock: impl FnMut() -> i64) -> CorrelateResult {
        let (aggregate_event, key) = self.aggregator.aggregate(new_event, clock());
        let (observed, patch) = self.observe(aggregate_event, &key);
        if self.spam_filter.filter(&observed, clock()) {
            return CorrelateResult { event: None, patch: None, skip: true };
        }
        CorrelateResult { event: Some(observed), patch, skip: false }
    }

    /// `eventLogger.eventObserve`: a cache hit reuses the first occurrence's name,
    /// resourceVersion and firstTimestamp and bumps the count. The cache is updated before the
    /// spam filter runs, so counts keep rising while writes are being dropped.
    fn observe(&mut self, mut event: Event, key: &str) -> (Event, Option<EventPatch>) {
        let id = key_id(key);
        let last = self.logger.get_mut(id).cloned().unwrap_or_default();
        let mut patch = None;
        if last.count > 0 {
            event.name = last.name;
            event.resource_version = last.resource_version;
            event.first_timestamp_ms = last.first_timestamp_ms;
            event.count = (last.count as i32).wrapping_add(1);
            patch = Some(EventPatch {
                count: event.count,
                last_timestamp_ms: event.last_timestamp_ms,
                message: (!event.message.is_empty()).then(|| event.message.clone()),
            });
        }
        self.logger.add(id, EventLog::of(&event));
        (event, patch)
    }

    /// `UpdateState`: record the server's copy after a successful write (client-go passes the
    /// object the API returned, whose timestamps are whole seconds). Keyed by [`event_key`] of
    /// that event — for an aggregate event this is *not* the key it was correlated under, exactly
    /// as in Go.
    pub fn update_state(&mut self, event: &Event) {
        self.logger.add(key_id(&event_key(event)), EventLog::of(event));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    const T0: i64 = 1_700_000_000_000;

    /// events_cache_test.go makeObjectReference.
    fn object_reference(kind: &str, name: &str, namespace: &str) -> ObjectReference {
        ObjectReference {
            kind: kind.into(),
            name: name.into(),
            namespace: namespace.into(),
            uid: "C934D34AFB20242".into(),
            api_version: "version".into(),
            field_path: "spec.containers{mycontainer}".into(),
            resource_version: String::new(),
        }
    }

    /// events_cache_test.go makeEvent (timestamps are set by the caller, as the tests do).
    fn make_event(reason: &str, message: &str, involved_object: ObjectReference) -> Event {
        Event {
            reason: reason.into(),
            message: message.into(),
            involved_object,
            source_component: "kubelet".into(),
            source_host: "kublet.node1".into(),
            count: 1,
            first_timestamp_ms: T0,
            last_timestamp_ms: T0,
            event_type: EVENT_TYPE_NORMAL.into(),
            ..Event::default()
        }
    }

    fn make_events(num: usize, template: &Event) -> Vec<Event> {
        vec![template.clone(); num]
    }

    fn make_unique_events(num: usize) -> Vec<Event> {
        (0..num)
            .map(|i| {
                make_event(
                    &format!("reason-{i}"),
                    &format!("message-{i}"),
                    object_reference("Pod", &format!("pod-{i}"), &format!("ns-{i}")),
                )
            })
            .collect()
    }

    fn make_similar_events(num: usize, template: &Event, message_prefix: &str) -> Vec<Event> {
        (0..num).map(|i| Event { message: format!("{message_prefix}-{i}-{}", template.message), ..template.clone() }).collect()
    }

    fn set_count(event: &Event, count: i32) -> Event {
        Event { count, ..event.clone() }
    }

    /// events_cache_test.go validateEvent: timestamps set, equal iff count is 1, name has the
    /// expected prefix, everything else equal (ignoring timestamps and reportingController).
    fn validate_event(scenario: &str, actual: &Event, expected: &Event) {
        assert!(actual.first_timestamp_ms != 0 && actual.last_timestamp_ms != 0, "{scenario}: timestamps not set");
        let same = actual.first_timestamp_ms == actual.last_timestamp_ms;
        if expected.count > 1 {
            assert!(!same, "{scenario}: first and last timestamps must differ when compressed");
        } else if expected.count == 1 {
            assert!(same, "{scenario}: first and last timestamps must be equal for one occurrence");
        }
        assert!(actual.name.starts_with(&expected.name), "{scenario}: name {} lacks prefix {}", actual.name, expected.name);
        let comparable = Event {
            first_timestamp_ms: expected.first_timestamp_ms,
            last_timestamp_ms: expected.last_timestamp_ms,
            reporting_controller: expected.reporting_controller.clone(),
            name: expected.name.clone(),
            ..actual.clone()
        };
        assert_eq!(&comparable, expected, "{scenario}");
    }

    /// client-go `testclocks.SimpleIntervalClock`: every read advances by `interval`.
    struct IntervalClock {
        now: Cell<i64>,
        interval: i64,
    }

    impl IntervalClock {
        fn new(interval_ms: i64) -> Self {
            IntervalClock { now: Cell::new(T0), interval: interval_ms }
        }
        fn now(&self) -> i64 {
            self.now.set(self.now.get() + self.interval);
            self.now.get()
        }
    }

    /// TestEventAggregatorByReasonFunc.
    #[test]
    fn aggregator_by_reason_func() {
        let e1 = make_event("end-of-world", "it was fun", object_reference("Pod", "pod1", "other"));
        let e2 = make_event("end-of-world", "it was awful", object_reference("Pod", "pod1", "other"));
        let e3 = make_event("nevermind", "it was a bug", object_reference("Pod", "pod1", "other"));
        let (agg1, local1) = aggregate_by_reason_key(&e1);
        let (agg2, local2) = aggregate_by_reason_key(&e2);
        let (agg3, _) = aggregate_by_reason_key(&e3);
        assert_eq!(agg1, agg2);
        assert_ne!(local1, local2);
        assert_ne!(agg1, agg3);
    }

    /// TestEventAggregatorByReasonMessageFunc.
    #[test]
    fn aggregator_by_reason_message_func() {
        let e1 = make_event("end-of-world", "it was fun", object_reference("Pod", "pod1", "other"));
        assert_eq!(aggregate_by_reason_message(&e1), "(combined from similar events): it was fun");
    }

    /// TestEventCorrelator: every scenario, replayed on an interval clock read three times per
    /// event (test, aggregator, spam filter) exactly like the Go test.
    #[test]
    fn event_correlator() {
        let first = make_event("first", "i am first", object_reference("Pod", "my-pod", "my-ns"));
        let duplicate = make_event("duplicate", "me again", object_reference("Pod", "my-pod", "my-ns"));
        let unique = make_event("unique", "snowflake", object_reference("Pod", "my-pod", "my-ns"));
        let mut similar = make_event("similar", "similar message", object_reference("Pod", "my-pod", "my-ns"));
        similar.involved_object.field_path = "spec.containers{container1}".into();
        let aggregate = make_event(&similar.reason, &aggregate_by_reason_message(&similar), similar.involved_object.clone());
        let mut similar_other_container = similar.clone();
        similar_other_container.involved_object.field_path = "spec.containers{container2}".into();
        let max = DEFAULT_AGGREGATE_MAX_EVENTS;

        struct Scenario {
            name: &'static str,
            previous: Vec<Event>,
            new_event: Event,
            expected: Option<Event>, // None = expected skip
            interval_seconds: i64,
        }
        let scenarios = vec![
            Scenario {
                name: "create-a-single-event",
                previous: vec![],
                new_event: first.clone(),
                expected: Some(set_count(&first, 1)),
                interval_seconds: 5,
            },
            Scenario {
                name: "the-same-event-should-just-count",
                previous: make_events(1, &duplicate),
                new_event: duplicate.clone(),
                expected: Some(set_count(&duplicate, 2)),
                interval_seconds: 5,
            },
            Scenario {
                name: "the-same-event-should-just-count-even-if-more-than-aggregate",
                previous: make_events(max, &duplicate),
                new_event: duplicate.clone(),
                expected: Some(set_count(&duplicate, max as i32 + 1)),
                interval_seconds: 30,
            },
            Scenario {
                name: "the-same-event-is-spam-if-happens-too-frequently",
                previous: make_events(DEFAULT_SPAM_BURST as usize + 1, &duplicate),
                new_event: duplicate.clone(),
                expected: None,
                interval_seconds: 1,
            },
            Scenario {
                name: "create-many-unique-events",
                previous: make_unique_events(30),
                new_event: unique.clone(),
                expected: Some(set_count(&unique, 1)),
                interval_seconds: 5,
            },
            Scenario {
                name: "similar-events-should-aggregate-event",
                previous: make_similar_events(max - 1, &similar, &similar.message),
                new_event: similar.clone(),
                expected: Some(set_count(&aggregate, 1)),
                interval_seconds: 5,
            },
            Scenario {
                name: "similar-events-many-times-should-count-the-aggregate",
                previous: make_similar_events(max, &similar, &similar.message),
                new_event: similar.clone(),
                expected: Some(set_count(&aggregate, 2)),
                interval_seconds: 5,
            },
            Scenario {
                name: "events-from-different-containers-do-not-aggregate",
                previous: make_events(1, &similar_other_container),
                new_event: similar.clone(),
                expected: Some(set_count(&similar, 1)),
                interval_seconds: 5,
            },
            Scenario {
                name: "similar-events-whose-interval-is-greater-than-aggregate-interval-do-not-aggregate",
                previous: make_similar_events(max - 1, &similar, &similar.message),
                new_event: similar.clone(),
                expected: Some(set_count(&similar, 1)),
                interval_seconds: DEFAULT_AGGREGATE_INTERVAL_SECONDS,
            },
        ];

        for s in scenarios {
            let clock = IntervalClock::new(s.interval_seconds * 1000);
            let mut correlator = EventCorrelator::new(CorrelatorOptions::default());
            for prev in &s.previous {
                let now = clock.now();
                let event = Event { first_timestamp_ms: now, last_timestamp_ms: now, ..prev.clone() };
                let result = correlator.correlate_with_clock(&event, || clock.now());
                if let Some(e) = &result.event {
                    correlator.update_state(e);
                }
            }
            let now = clock.now();
            let new_event = Event { first_timestamp_ms: now, last_timestamp_ms: now, ..s.new_event.clone() };
            let result = correlator.correlate_with_clock(&new_event, || clock.now());
            match &s.expected {
                None => assert!(result.skip && result.event.is_none(), "{}: expected skip", s.name),
                Some(expected) => {
                    assert!(!result.skip, "{}: unexpected skip", s.name);
                    validate_event(s.name, result.event.as_ref().unwrap(), expected);
                    assert_eq!(result.patch.is_some(), expected.count > 1, "{}: patch", s.name);
                    assert_eq!(result.is_update(), expected.count > 1, "{}: update", s.name);
                }
            }
        }
    }

    /// TestEventSpamFilter: burst 1, default key vs a custom key by reason.
    #[test]
    fn event_spam_filter() {
        fn by_objects_and_reason(e: &Event) -> String {
            let o = &e.involved_object;
            [&e.source_component, &e.source_host, &o.kind, &o.namespace, &o.name, &o.uid, &o.api_version, &e.reason]
                .into_iter()
                .map(String::as_str)
                .collect()
        }
        let original = make_event("original", "i am first", object_reference("Pod", "my-pod", "my-ns"));
        let different_reason = make_event("duplicate", "me again", object_reference("Pod", "my-pod", "my-ns"));
        let spam = make_event("original", "me again", object_reference("Pod", "my-pod", "my-ns"));
        let cases = [
            (
                "event should be reported as spam if object reference is the same for default spam filter",
                different_reason.clone(),
                None,
                SpamKey::SourceObjectType,
            ),
            (
                "event should not be reported as spam if object reference is the same, but reason is different for custom spam filter",
                different_reason.clone(),
                Some(different_reason.clone()),
                SpamKey::Custom(by_objects_and_reason),
            ),
            (
                "event should  be reported as spam if object reference and reason is the same, but message is different for custom spam filter",
                spam.clone(),
                None,
                SpamKey::Custom(by_objects_and_reason),
            ),
        ];
        for (name, new_event, expected, spam_key) in cases {
            let clock = IntervalClock::new(1000);
            let mut correlator = EventCorrelator::new(CorrelatorOptions { burst: 1, spam_key, ..CorrelatorOptions::default() });
            let result = correlator.correlate_with_clock(&original, || clock.now());
            if let Some(e) = &result.event {
                correlator.update_state(e);
            }
            let result = correlator.correlate_with_clock(&new_event, || clock.now());
            match expected {
                None => assert!(result.skip, "{name}: expected skip"),
                Some(expected) => {
                    assert!(!result.skip, "{name}: unexpected skip");
                    validate_event(name, result.event.as_ref().unwrap(), &expected);
                }
            }
        }
    }

    fn kubelet_event(event_type: &str, reason: &str, message: &str, now_ms: i64) -> Event {
        let pod = ObjectReference {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: "web".into(),
            uid: "0b9f7c1e".into(),
            api_version: "v1".into(),
            field_path: "spec.containers{app}".into(),
            resource_version: "1234".into(),
        };
        Event::new(pod, event_type, reason, message, "kubelet", "node-1", now_ms * 1_000_000)
    }

    #[test]
    fn event_constructor_and_name() {
        let e = kubelet_event(EVENT_TYPE_WARNING, "BackOff", "Back-off restarting failed container", T0);
        assert_eq!(e.name, format!("web.{:x}", T0 * 1_000_000));
        assert_eq!(generate_event_name("web", 0x187_4bc2_53c8_0000), "web.1874bc253c80000");
        assert_eq!((e.count, e.first_timestamp_ms, e.last_timestamp_ms), (1, T0, T0));
        assert_eq!((e.reporting_controller.as_str(), e.reporting_instance.as_str()), ("kubelet", "node-1"));
        let mut no_ns = e.involved_object.clone();
        no_ns.namespace.clear();
        assert_eq!(Event::new(no_ns, EVENT_TYPE_NORMAL, "r", "m", "c", "h", 0).namespace, "default");
    }

    /// The reference's `76s (x93 over 33m)` mechanism: a Warning repeated every 10 s is created
    /// once, patched with a rising count, and once the 25-token burst is spent only every 300 s
    /// is a write let through — carrying the count accumulated meanwhile.
    #[test]
    fn repeated_warning_is_counted_and_throttled() {
        let mut c = EventCorrelator::with_default_spam_key(true);
        let mut written = Vec::new(); // (time offset s, count)
        for i in 0..200 {
            let now = T0 + i * 10_000;
            let e = kubelet_event(EVENT_TYPE_WARNING, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", now);
            let r = c.correlate(&e, now);
            if let Some(ev) = &r.event {
                assert_eq!(ev.name, format!("web.{:x}", T0 * 1_000_000), "the first name is reused");
                assert_eq!(ev.first_timestamp_ms, T0);
                assert_eq!(ev.last_timestamp_ms, now);
                assert_eq!(r.is_update(), i > 0);
                written.push((i * 10, ev.count));
                c.update_state(ev);
            }
        }
        // The full bucket (25) pays for the first 25 writes; refill (float32 1/300 per second)
        // has added only 0.8 tokens by then, so the 26th write waits for t = 300 s, where the
        // bucket holds just over one token; from then on one write per 300 s.
        let expected: Vec<(i64, i32)> =
            (0..25).map(|i| (i * 10, i as i32 + 1)).chain((1..=6).map(|k| (k * 300, (k * 30 + 1) as i32))).collect();
        assert_eq!(written, expected);
    }

    /// Ten different messages with one reason within 10 minutes become one aggregate event;
    /// an 11th distinct message patches that aggregate (count 2, latest message).
    #[test]
    fn distinct_messages_are_combined() {
        let mut c = EventCorrelator::with_default_spam_key(true);
        let mut results = Vec::new();
        for i in 0..11 {
            let now = T0 + i * 1000;
            let e = kubelet_event(EVENT_TYPE_WARNING, "Failed", &format!("Error: attempt {i:02}"), now);
            results.push(c.correlate(&e, now));
        }
        for r in &results[..9] {
            let e = r.event.as_ref().unwrap();
            assert_eq!(e.count, 1);
            assert!(!e.message.starts_with(AGGREGATE_MESSAGE_PREFIX));
        }
        let agg = results[9].event.as_ref().unwrap();
        assert_eq!(agg.message, "(combined from similar events): Error: attempt 09");
        assert_eq!((agg.count, agg.first_timestamp_ms), (1, T0 + 9000));
        assert_eq!(agg.name, format!("web.{:x}", (T0 + 9000) * 1_000_000));
        assert_eq!(agg.reporting_controller, "", "Go's aggregate copy drops reporting fields");
        let second = &results[10];
        let e = second.event.as_ref().unwrap();
        assert_eq!((e.count, e.name.as_str()), (2, agg.name.as_str()));
        assert_eq!(
            second.patch,
            Some(EventPatch {
                count: 2,
                last_timestamp_ms: T0 + 10_000,
                message: Some("(combined from similar events): Error: attempt 10".into())
            })
        );
    }

    /// The 1.32 spam key separates Normal from Warning budgets; the older key shares one.
    #[test]
    fn spam_key_type_since_1_32() {
        for (minor, normal_after_warnings_passes) in [(31, false), (32, true)] {
            let mut c = EventCorrelator::with_default_spam_key(minor >= 32);
            for i in 0..25 {
                let e = kubelet_event(EVENT_TYPE_WARNING, "Unhealthy", &format!("probe failed {i}"), T0);
                // Distinct reasons avoid aggregation; all share the spam bucket.
                let e = Event { reason: format!("Reason{i}"), ..e };
                assert!(!c.correlate(&e, T0).skip);
            }
            let normal = kubelet_event(EVENT_TYPE_NORMAL, "Pulled", "Container image \"nginx\" already present on machine", T0);
            assert_eq!(!c.correlate(&normal, T0).skip, normal_after_warnings_passes, "1.{minor}");
        }
    }

    /// LRU eviction makes a forgotten key start over.
    #[test]
    fn evicted_dedup_entry_starts_over() {
        let mut c = EventCorrelator::new(CorrelatorOptions { lru_cache_size: 1, ..Default::default() });
        let a = kubelet_event(EVENT_TYPE_NORMAL, "Pulled", "a", T0);
        let b = kubelet_event(EVENT_TYPE_NORMAL, "Created", "b", T0);
        assert_eq!(c.correlate(&a, T0).event.unwrap().count, 1);
        assert_eq!(c.correlate(&a, T0).event.unwrap().count, 2);
        assert_eq!(c.correlate(&b, T0).event.unwrap().count, 1);
        assert_eq!(c.correlate(&a, T0).event.unwrap().count, 1, "a was evicted by b");
    }
}
