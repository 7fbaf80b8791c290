//! The events.k8s.io/v1 recorder's series logic, as used by the scheduler (`FailedScheduling`,
//! `Scheduled`): a port of client-go `tools/events/event_broadcaster.go` (`recordToSink`,
//! `recordEvent`, `refreshExistingEventSeries`, `finishSeries`, `getKey`) as a state machine on
//! virtual time that also tracks what the API server holds.
//!
//! How it behaves (and why `kubectl describe` shows `(x4 over 2m)` only some of the time):
//! * Events are grouped by an *isomorphic key* — type, action, reason, reporting controller and
//!   instance, regarding and related object references (including `resourceVersion`) — **not**
//!   the note (message). The first event is created as is.
//! * The second isomorphic occurrence sets `series {count: 2, lastObservedTime: now}` on the cached
//!   event and PATCHes it immediately. Later occurrences only bump the in-memory count and
//!   `lastObservedTime`; nothing is written.
//! * Every 30 min (`refreshTime`) all cached series are written out (also keeping them clear of
//!   the API's 1 h event TTL); every 6 min (`finishTime`) a series idle for more than 6 min is
//!   written one last time and forgotten, and a single event older than 6 min is forgotten
//!   without a write. Both loops run via `wait.Until`, i.e. at broadcaster start and then every
//!   period, so their phase is set by the component's start time, which the caller passes in.
//!
//! Times are virtual milliseconds; the API stores `eventTime`/`lastObservedTime` as MicroTime
//! (render with [`crate::time::format_rfc3339_micro`] of `ms * 1000`).

use hashbrown::HashTable;
use rustc_hash::FxHashSet;

use crate::record::{generate_event_name, ObjectReference};

/// `finishTime`: a series idle this long is finished.
pub const FINISH_TIME_MS: i64 = 6 * 60 * 1000;
/// `refreshTime`: period of writing out every open series.
pub const REFRESH_TIME_MS: i64 = 30 * 60 * 1000;

/// `eventKey`: what makes two events "isomorphic".
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsomorphicKey {
    pub event_type: String,
    pub action: String,
    pub reason: String,
    pub reporting_controller: String,
    pub reporting_instance: String,
    /// Includes `resource_version`: a pod updated in between starts a new event.
    pub regarding: ObjectReference,
    /// Zero value when the event has no related object (as Go's key does).
    pub related: ObjectReference,
}

/// `eventsv1.EventSeries`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series {
    pub count: i32,
    /// Virtual ms (MicroTime in the API).
    pub last_observed_time_ms: i64,
}

/// The parts of an `eventsv1.Event` the series logic manages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesEvent {
    pub key: IsomorphicKey,
    /// `metadata.name`: `<regarding name>.<UnixNano hex>`.
    pub name: String,
    /// `metadata.namespace` (`default` when the regarding object has none).
    pub namespace: String,
    /// The message (`note`); that of the first occurrence is kept for the whole series.
    pub note: String,
    /// Virtual ms (MicroTime in the API).
    pub event_time_ms: i64,
    pub series: Option<Series>,
}

impl SeriesEvent {
    /// client-go `tools/events/event_recorder.go` `makeEvent`: name from the recorder clock,
    /// namespace defaulted, no series.
    pub fn new(key: IsomorphicKey, note: &str, now_ms: i64) -> Self {
        let namespace = if key.regarding.namespace.is_empty() { "default".to_string() } else { key.regarding.namespace.clone() };
        SeriesEvent {
            name: generate_event_name(&key.regarding.name, now_ms.saturating_mul(1_000_000)),
            namespace,
            note: note.to_string(),
            event_time_ms: now_ms,
            series: None,
            key,
        }
    }
}

/// One API write made by the recorder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeriesWrite {
    /// POST of the whole event (first occurrence, or a series whose object was gone).
    Create(Box<SeriesEvent>),
    /// Strategic-merge PATCH setting only `series` on the named event.
    PatchSeries { name: String, series: Series },
    /// A CREATE refused with AlreadyExists for a non-series event (Go drops it silently).
    Dropped { name: String },
}

/// client-go `recordEvent` against the simulated API, which holds the events named in `api`
/// (their contents are the caller's, from the writes): series events are PATCHed (falling back
/// to CREATE when the object is not found); others are CREATEd, and a name clash drops them.
fn record_event(api: &mut FxHashSet<String>, event: &SeriesEvent) -> SeriesWrite {
    if let Some(series) = event.series {
        if api.contains(&event.name) {
            return SeriesWrite::PatchSeries { name: event.name.clone(), series };
        }
    } else if api.contains(&event.name) {
        return SeriesWrite::Dropped { name: event.name.clone() };
    }
    api.insert(event.name.clone());
    SeriesWrite::Create(Box::new(event.clone()))
}

#[cfg(test)]
thread_local! {
    /// Keys compared whole (their hashes equal), for the tests that hold the work.
    static KEYS_COMPARED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Whether a cached event (its key's hash `cached_hash`) is the one of `key` (hash `hash`): the
/// hashes first, the keys only when those are equal.
fn same_key(cached_hash: u64, cached: &SeriesEvent, hash: u64, key: &IsomorphicKey) -> bool {
    if cached_hash != hash {
        return false;
    }
    #[cfg(test)]
    KEYS_COMPARED.with(|n| n.set(n.get() + 1));
    cached.key == *key
}

fn key_hash(key: &IsomorphicKey) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// The events.k8s.io broadcaster of one component (e.g. the scheduler), and the names of the
/// API objects it wrote.
#[derive(Clone, Debug)]
pub struct SeriesRecorder {
    /// `eventCache`: the client's view, by isomorphic key (each event holds its own key: the
    /// table is one pointer per event, as a scheduler caches one per pending pod). The
    /// periodic loops write in key order.
    /// Each event beside its key's hash: a probe compares the hashes before it follows the
    /// pointer to a key of thirteen strings (a scheduler with thousands of pending pods).
    cache: HashTable<(u64, Box<SeriesEvent>)>,
    /// The names of the events the API server holds (what `recordEvent`'s outcome depends on).
    api: FxHashSet<String>,
    next_refresh_ms: i64,
    next_finish_ms: i64,
}

impl SeriesRecorder {
    /// A broadcaster started (`StartRecordingToSink`) at `start_ms`. Both periodic loops run
    /// once at start (with an empty cache, a no-op) and then every period.
    pub fn new(start_ms: i64) -> Self {
        SeriesRecorder {
            cache: HashTable::new(),
            api: FxHashSet::default(),
            next_refresh_ms: start_ms + REFRESH_TIME_MS,
            next_finish_ms: start_ms + FINISH_TIME_MS,
        }
    }

    /// Records an occurrence at `now_ms` (`recordToSink` after `Eventf`), first running any
    /// periodic loop due by then. Returns the API writes made, in order.
    pub fn record(&mut self, event: SeriesEvent, now_ms: i64) -> Vec<SeriesWrite> {
        self.record_occurrence(event, now_ms).0
    }

    /// `record`, and whether this occurrence reached the API (a first or second one; a later
    /// one only counts in memory until a flush).
    pub fn record_occurrence(&mut self, event: SeriesEvent, now_ms: i64) -> (Vec<SeriesWrite>, bool) {
        let mut writes = self.advance(now_ms);
        let hash = key_hash(&event.key);
        let to_write = match self.cache.find_mut(hash, |(h, cached)| same_key(*h, cached, hash, &event.key)) {
            Some((_, cached)) => match &mut cached.series {
                Some(series) => {
                    series.count += 1;
                    series.last_observed_time_ms = now_ms;
                    None
                }
                None => {
                    cached.series = Some(Series { count: 2, last_observed_time_ms: now_ms });
                    Some(SeriesEvent::clone(cached))
                }
            },
            None => {
                self.cache.insert_unique(hash, (hash, Box::new(event.clone())), |(h, _)| *h);
                Some(event)
            }
        };
        let written = to_write.is_some();
        if let Some(event) = to_write {
            writes.push(record_event(&mut self.api, &event));
        }
        (writes, written)
    }

    /// Runs the refresh (30 min) and finish (6 min) loops due at or before `now_ms`, in time
    /// order (refresh first when both fall on the same instant; the API result is the same
    /// either way). Returns the API writes made.
    pub fn advance(&mut self, now_ms: i64) -> Vec<SeriesWrite> {
        let mut writes = Vec::new();
        loop {
            let next = self.next_refresh_ms.min(self.next_finish_ms);
            if next > now_ms {
                return writes;
            }
            if self.next_refresh_ms == next {
                self.refresh(&mut writes);
                self.next_refresh_ms += REFRESH_TIME_MS;
            } else {
                self.finish(next, &mut writes);
                self.next_finish_ms += FINISH_TIME_MS;
            }
        }
    }

    /// `refreshExistingEventSeries`: write out every open series.
    fn refresh(&mut self, writes: &mut Vec<SeriesWrite>) {
        let mut open: Vec<&SeriesEvent> = self.cache.iter().map(|(_, e)| &**e).filter(|e| e.series.is_some()).collect();
        crate::sort::sort_by(&mut open, |a, b| a.key.cmp(&b.key));
        for event in open {
            writes.push(record_event(&mut self.api, event));
        }
    }

    /// `finishSeries` at `now_ms`: series idle for more than [`FINISH_TIME_MS`] get a last write
    /// and are forgotten; single events older than that are just forgotten.
    fn finish(&mut self, now_ms: i64, writes: &mut Vec<SeriesWrite>) {
        let cutoff = now_ms - FINISH_TIME_MS;
        let gone = |event: &mut SeriesEvent| match event.series {
            Some(series) => series.last_observed_time_ms < cutoff,
            None => event.event_time_ms < cutoff,
        };
        let mut finished: Vec<Box<SeriesEvent>> =
            self.cache.extract_if(|(_, event)| gone(event)).map(|(_, e)| e).filter(|e| e.series.is_some()).collect();
        crate::sort::sort_by(&mut finished, |a, b| a.key.cmp(&b.key));
        for event in &finished {
            writes.push(record_event(&mut self.api, event));
        }
    }

    /// The client-side (in-memory) state of the series for `key`, if still open; its count can
    /// be ahead of the API's.
    pub fn cached(&self, key: &IsomorphicKey) -> Option<&SeriesEvent> {
        let hash = key_hash(key);
        self.cache.find(hash, |(h, cached)| same_key(*h, cached, hash, key)).map(|(_, e)| &**e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The API server's events, as the writes leave them.
    fn apply(api: &mut BTreeMap<String, SeriesEvent>, writes: &[SeriesWrite]) {
        for write in writes {
            match write {
                SeriesWrite::Create(e) => {
                    api.insert(e.name.clone(), SeriesEvent::clone(e));
                }
                SeriesWrite::PatchSeries { name, series } => {
                    if let Some(e) = api.get_mut(name) {
                        e.series = Some(*series);
                    }
                }
                SeriesWrite::Dropped { .. } => {}
            }
        }
    }

    const MIN: i64 = 60_000;
    const T0: i64 = 1_700_000_000_000;

    fn failed_scheduling_key(resource_version: &str) -> IsomorphicKey {
        IsomorphicKey {
            event_type: "Warning".into(),
            action: "Scheduling".into(),
            reason: "FailedScheduling".into(),
            reporting_controller: "default-scheduler".into(),
            reporting_instance: "default-scheduler-control-plane".into(),
            regarding: ObjectReference {
                kind: "Pod".into(),
                namespace: "default".into(),
                name: "web".into(),
                uid: "0b9f7c1e".into(),
                api_version: "v1".into(),
                resource_version: resource_version.into(),
                ..ObjectReference::default()
            },
            related: ObjectReference::default(),
        }
    }

    fn occurrence(note: &str, now: i64) -> SeriesEvent {
        SeriesEvent::new(failed_scheduling_key("100"), note, now)
    }

    /// A recorder caching thousands of events (a scheduler's pending pods) compares a key whole
    /// only for the event it finds: a lookup that misses compares none.
    #[test]
    fn a_lookup_compares_only_the_key_it_finds() {
        let mut r = SeriesRecorder::new(T0);
        let key = |i: usize| {
            let mut k = failed_scheduling_key("100");
            k.regarding.name = format!("counts-{i:05}");
            k.regarding.uid = format!("{i:08x}-522c-483e-adf3-2ac372caaa6a");
            k
        };
        let pods = 5_000;
        let before = KEYS_COMPARED.with(|n| n.get());
        for i in 0..pods {
            r.record(SeriesEvent::new(key(i), "0/1 nodes are available", T0), T0);
        }
        let misses = KEYS_COMPARED.with(|n| n.get()) - before;
        for i in 0..pods {
            r.record(SeriesEvent::new(key(i), "0/1 nodes are available", T0 + 1_000), T0 + 1_000);
        }
        let hits = KEYS_COMPARED.with(|n| n.get()) - before - misses;
        assert_eq!((misses, hits), (0, pods as u64));
    }

    /// client-go event_broadcaster_test.go TestRecordEventToSink: (events to record, expected
    /// single API object); the test event is named "test" in namespace default.
    #[test]
    fn record_event_to_sink() {
        let non_isomorphic = SeriesEvent {
            key: IsomorphicKey::default(),
            name: "test".into(),
            namespace: "default".into(),
            note: String::new(),
            event_time_ms: 0,
            series: None,
        };
        let isomorphic = SeriesEvent { series: Some(Series { count: 2, last_observed_time_ms: 0 }), ..non_isomorphic.clone() };
        let cases = [
            ("record one Event", vec![non_isomorphic.clone()], non_isomorphic.clone()),
            ("record one Event followed by an isomorphic one", vec![non_isomorphic.clone(), isomorphic.clone()], isomorphic.clone()),
            ("record one isomorphic Event before the original", vec![isomorphic.clone(), non_isomorphic.clone()], isomorphic.clone()),
            ("record one isomorphic Event without one already existing", vec![isomorphic.clone()], isomorphic.clone()),
        ];
        for (name, events, expected) in cases {
            let (mut names, mut api) = (FxHashSet::default(), BTreeMap::new());
            for e in &events {
                apply(&mut api, &[record_event(&mut names, e)]);
            }
            let recorded: Vec<_> = api.values().collect();
            assert_eq!(recorded, vec![&expected], "{name}");
        }
    }

    /// First occurrence created; second patched with count 2 right away; later ones only counted
    /// in memory until the idle series is finished (one final patch with the full count).
    #[test]
    fn second_occurrence_patches_then_counts_in_memory() {
        let start = T0;
        let mut r = SeriesRecorder::new(start);
        let mut api = BTreeMap::new();
        let first = occurrence("0/1 nodes are available: 1 Insufficient cpu.", T0 + 5_000);
        let name = first.name.clone();
        let writes = r.record(first.clone(), T0 + 5_000);
        assert_eq!(writes, vec![SeriesWrite::Create(Box::new(first.clone()))]);
        apply(&mut api, &writes);

        let second = occurrence("0/1 nodes are available: 1 Insufficient memory.", T0 + 15_000);
        let s2 = Series { count: 2, last_observed_time_ms: T0 + 15_000 };
        let writes = r.record(second, T0 + 15_000);
        assert_eq!(writes, vec![SeriesWrite::PatchSeries { name: name.clone(), series: s2 }]);
        apply(&mut api, &writes);
        assert_eq!(api[&name].series, Some(s2));
        assert_eq!(api[&name].note, "0/1 nodes are available: 1 Insufficient cpu.", "the first note is kept");

        for i in 3..=5 {
            let now = T0 + 15_000 + (i - 2) * 30_000;
            assert!(r.record(occurrence("again", now), now).is_empty(), "occurrence {i} is not written");
        }
        assert_eq!(api[&name].series, Some(s2), "API still shows x2");
        let last = T0 + 105_000;
        assert_eq!(r.cached(&first.key).unwrap().series, Some(Series { count: 5, last_observed_time_ms: last }));

        // finish ticks at start+6m (series idle only 4m15s: kept) and start+12m (idle > 6m).
        assert!(r.advance(start + 6 * MIN).is_empty());
        let done = Series { count: 5, last_observed_time_ms: last };
        assert_eq!(r.advance(start + 12 * MIN), vec![SeriesWrite::PatchSeries { name: name.clone(), series: done }]);
        assert!(r.cached(&first.key).is_none(), "finished series is forgotten");

        // The next isomorphic occurrence starts a new event with a new name.
        let again = occurrence("later", start + 13 * MIN);
        let writes = r.record(again.clone(), start + 13 * MIN);
        assert_eq!(writes, vec![SeriesWrite::Create(Box::new(again))]);
        apply(&mut api, &writes);
        assert_eq!(api.len(), 2);
    }

    /// A busy series is written out by the 30-minute refresh, never finished while active.
    #[test]
    fn refresh_flushes_open_series_every_30_minutes() {
        let start = T0;
        let mut r = SeriesRecorder::new(start);
        let mut all_writes = Vec::new();
        // An attempt every 5 minutes for 70 minutes (idle never exceeds 6 min).
        for k in 0..=14 {
            let now = start + 1000 + k * 5 * MIN;
            all_writes.extend(r.record(occurrence("busy", now), now));
        }
        let patches: Vec<_> = all_writes
            .iter()
            .filter_map(|w| match w {
                SeriesWrite::PatchSeries { series, .. } => Some(*series),
                _ => None,
            })
            .collect();
        assert!(matches!(all_writes[0], SeriesWrite::Create(_)));
        assert_eq!(
            patches,
            vec![
                Series { count: 2, last_observed_time_ms: start + 1000 + 5 * MIN },
                // refresh at 30m: last seen at 25m01s (7th occurrence)
                Series { count: 6, last_observed_time_ms: start + 1000 + 25 * MIN },
                // refresh at 60m: last seen at 55m01s
                Series { count: 12, last_observed_time_ms: start + 1000 + 55 * MIN },
            ]
        );
    }

    /// A single event is forgotten after 6..12 minutes without any write; a later isomorphic
    /// event is a fresh create, not a series.
    #[test]
    fn single_event_expires_from_cache_without_write() {
        let start = T0;
        let mut r = SeriesRecorder::new(start);
        let first = occurrence("once", start + 7 * MIN);
        r.record(first.clone(), start + 7 * MIN);
        // finish at 12m: event is 5m old → kept; at 18m: 11m old → dropped, nothing written.
        assert!(r.advance(start + 12 * MIN).is_empty());
        assert!(r.cached(&first.key).is_some());
        assert!(r.advance(start + 18 * MIN).is_empty());
        assert!(r.cached(&first.key).is_none());
        let next = occurrence("once more", start + 19 * MIN);
        assert_eq!(r.record(next.clone(), start + 19 * MIN), vec![SeriesWrite::Create(Box::new(next))]);
    }

    /// The pod's resourceVersion is part of the key: after a pod update the scheduler's next
    /// attempt starts a new event instead of continuing the series.
    #[test]
    fn new_resource_version_starts_new_event() {
        let mut r = SeriesRecorder::new(T0);
        let a = SeriesEvent::new(failed_scheduling_key("100"), "msg", T0 + 1000);
        let b = SeriesEvent::new(failed_scheduling_key("101"), "msg", T0 + 2000);
        assert_eq!(r.record(a.clone(), T0 + 1000), vec![SeriesWrite::Create(Box::new(a))]);
        assert_eq!(r.record(b.clone(), T0 + 2000), vec![SeriesWrite::Create(Box::new(b))]);
    }

    #[test]
    fn series_event_defaults() {
        let mut key = failed_scheduling_key("1");
        key.regarding.namespace.clear();
        let e = SeriesEvent::new(key, "n", 1_000);
        assert_eq!(e.namespace, "default");
        assert_eq!(e.name, format!("web.{:x}", 1_000_000_000i64));
        assert_eq!(e.event_time_ms, 1_000);
    }
}
