//! Events as the API server ends up storing them. Kubelet and controller events go through
//! client-go's legacy recorder (aggregation, dedup counts, spam filter: `record::EventCorrelator`,
//! one per event source as each component has its own); the scheduler's go through the
//! events.k8s.io recorder (series). Reference §1.1, §6.1.

use podplay_k8s_util::record::{self, EventCorrelator};
use podplay_k8s_util::series::{IsomorphicKey, SeriesEvent, SeriesRecorder, SeriesWrite};

use super::Engine;
use crate::clock::{Millis, EPOCH_UNIX_SECONDS};
use crate::model::{Event, EventSeries, ObjectReference};
use crate::version::Release;

const EPOCH_MS: i64 = EPOCH_UNIX_SECONDS * 1000;

pub(crate) struct Recorder {
    /// The spam filter's key includes the event type (`Release::spam_key_has_type`).
    spam_key_has_type: bool,
    /// The legacy recorder writes `reportingComponent`/`reportingInstance`
    /// (`Release::legacy_event_reporting`).
    legacy_reporting: bool,
    /// One correlator per event source: component, then host.
    correlators: rustc_hash::FxHashMap<String, rustc_hash::FxHashMap<String, EventCorrelator>>,
    scheduler: SeriesRecorder,
    /// The API's events, in creation order.
    store: Vec<Event>,
    /// Position in `store` by event name (the API object's key), so an update is not a scan.
    by_name: rustc_hash::FxHashMap<String, usize>,
    /// Sub-millisecond clock for event names: events of one virtual millisecond still get the
    /// distinct `UnixNano` suffixes real recorders give them.
    nanos_seq: i64,
}

fn to_util_ref(r: &ObjectReference, resource_version: &str) -> record::ObjectReference {
    record::ObjectReference {
        kind: r.kind.clone(),
        namespace: r.namespace.clone(),
        name: r.name.clone(),
        uid: r.uid.clone(),
        api_version: r.api_version.clone(),
        field_path: r.field_path.clone().unwrap_or_default(),
        resource_version: resource_version.to_string(),
    }
}

/// metav1.Time keeps whole seconds.
fn whole_seconds(virtual_ms: i64) -> Millis {
    (virtual_ms.max(0) as Millis) / 1000 * 1000
}

impl Recorder {
    pub(crate) fn new(release: &Release) -> Self {
        Recorder {
            spam_key_has_type: release.spam_key_has_type,
            legacy_reporting: release.legacy_event_reporting,
            correlators: Default::default(),
            scheduler: SeriesRecorder::new(EPOCH_MS),
            store: Vec::new(),
            by_name: Default::default(),
            nanos_seq: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.store.len()
    }

    /// The events stored now. Counts and last timestamps are overwritten in place as the
    /// correlator updates them, so this is only ever the present.
    /// The stored event named `name` (the API object's key).
    fn stored_mut(&mut self, name: &str) -> Option<&mut Event> {
        self.by_name.get(name).map(|&i| &mut self.store[i])
    }

    fn insert(&mut self, event: Event) {
        self.by_name.insert(event.name.clone(), self.store.len());
        self.store.push(event);
    }

    pub(crate) fn stored(&self) -> &[Event] {
        &self.store
    }

    pub(crate) fn legacy(
        &mut self,
        now: Millis,
        involved: ObjectReference,
        component: &str,
        host: &str,
        kind: &str,
        reason: &str,
        message: String,
    ) {
        let type_in_key = self.spam_key_has_type;
        // Looked up without allocating: this runs for every event.
        if !self.correlators.get(component).is_some_and(|hosts| hosts.contains_key(host)) {
            self.correlators
                .entry(component.to_string())
                .or_default()
                .insert(host.to_string(), EventCorrelator::with_default_spam_key(type_in_key));
        }
        let correlator = self.correlators.get_mut(component).and_then(|hosts| hosts.get_mut(host)).expect("just made");
        let abs_ms = EPOCH_MS + now as i64;
        self.nanos_seq = (self.nanos_seq + 7919) % 1_000_000;
        let event =
            record::Event::new(to_util_ref(&involved, ""), kind, reason, &message, component, host, abs_ms * 1_000_000 + self.nanos_seq);
        let result = correlator.correlate(&event, abs_ms);
        let Some(mut written) = result.event else { return };
        written.first_timestamp_ms = written.first_timestamp_ms / 1000 * 1000;
        written.last_timestamp_ms = written.last_timestamp_ms / 1000 * 1000;
        correlator.update_state(&written);
        let first = whole_seconds(written.first_timestamp_ms - EPOCH_MS);
        let last = whole_seconds(written.last_timestamp_ms - EPOCH_MS);
        if let Some(existing) = self.stored_mut(&written.name) {
            existing.count = written.count as u32;
            existing.last_timestamp = Some(last);
            existing.message = written.message.clone();
            return;
        }
        self.insert(Event {
            name: written.name,
            namespace: written.namespace,
            involved_object: involved,
            reason: written.reason,
            message: written.message,
            kind: written.event_type,
            source_component: written.source_component,
            source_host: written.source_host,
            // client-go's legacy recorder fills these from its source only from 1.28.
            reporting_controller: if self.legacy_reporting { written.reporting_controller } else { String::new() },
            reporting_instance: if self.legacy_reporting { written.reporting_instance } else { String::new() },
            action: String::new(),
            first_timestamp: Some(first),
            last_timestamp: Some(last),
            count: written.count as u32,
            event_time: None,
            series: None,
            created_at: now,
            involved_resource_version: None,
        });
    }

    pub(crate) fn scheduler(
        &mut self,
        now: Millis,
        involved: ObjectReference,
        resource_version: &str,
        kind: &str,
        reason: &str,
        action: &str,
        note: &str,
    ) -> bool {
        let key = IsomorphicKey {
            event_type: kind.to_string(),
            action: action.to_string(),
            reason: reason.to_string(),
            reporting_controller: "default-scheduler".into(),
            reporting_instance: "default-scheduler-node-1".into(),
            regarding: to_util_ref(&involved, resource_version),
            related: Default::default(),
        };
        let abs_ms = EPOCH_MS + now as i64;
        let (writes, written) = self.scheduler.record_occurrence(SeriesEvent::new(key, note, abs_ms), abs_ms);
        self.apply_series_writes(writes, now, Some(involved));
        written
    }

    /// Runs the scheduler recorder's periodic flushes due by `now`.
    pub(crate) fn advance(&mut self, now: Millis) {
        let writes = self.scheduler.advance(EPOCH_MS + now as i64);
        self.apply_series_writes(writes, now, None);
    }

    fn apply_series_writes(&mut self, writes: Vec<SeriesWrite>, now: Millis, involved: Option<ObjectReference>) {
        for write in writes {
            match write {
                SeriesWrite::Create(e) => {
                    let series = e.series.map(|s| EventSeries {
                        count: s.count as u32,
                        last_observed_time: (s.last_observed_time_ms - EPOCH_MS).max(0) as Millis,
                    });
                    if let Some(existing) = self.stored_mut(&e.name) {
                        existing.series = series;
                        continue;
                    }
                    let r = &e.key.regarding;
                    let involved = involved.clone().filter(|i| i.uid == r.uid).unwrap_or_else(|| ObjectReference {
                        kind: r.kind.clone(),
                        namespace: r.namespace.clone(),
                        name: r.name.clone(),
                        uid: r.uid.clone(),
                        api_version: r.api_version.clone(),
                        field_path: None,
                    });
                    self.insert(Event {
                        name: e.name.clone(),
                        namespace: e.namespace.clone(),
                        involved_object: involved,
                        reason: e.key.reason.clone(),
                        message: e.note.clone(),
                        kind: e.key.event_type.clone(),
                        source_component: String::new(),
                        source_host: String::new(),
                        reporting_controller: e.key.reporting_controller.clone(),
                        reporting_instance: e.key.reporting_instance.clone(),
                        action: e.key.action.clone(),
                        first_timestamp: None,
                        last_timestamp: None,
                        count: 0,
                        event_time: Some((e.event_time_ms - EPOCH_MS).max(0) as Millis),
                        series,
                        created_at: now,
                        involved_resource_version: Some(r.resource_version.clone()).filter(|v| !v.is_empty()),
                    });
                }
                SeriesWrite::PatchSeries { name, series } => {
                    if let Some(existing) = self.stored_mut(&name) {
                        existing.series = Some(EventSeries {
                            count: series.count as u32,
                            last_observed_time: (series.last_observed_time_ms - EPOCH_MS).max(0) as Millis,
                        });
                    }
                }
                SeriesWrite::Dropped { .. } => {}
            }
        }
    }
}

impl Engine {
    pub(crate) fn emit_event(&mut self, involved: ObjectReference, component: &str, host: &str, kind: &str, reason: &str, message: String) {
        self.emit_event_with(involved, component, host, kind, reason, message, Vec::new());
    }

    /// An event whose timeline change carries the spec fields that caused it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn emit_event_with(
        &mut self,
        involved: ObjectReference,
        component: &str,
        host: &str,
        kind: &str,
        reason: &str,
        message: String,
        fields: Vec<super::ChangeField>,
    ) {
        let object = format!("{}/{}", involved.kind.to_lowercase(), involved.name);
        let cause = match involved.field_path.as_deref() {
            Some(fp) => format!("{component} event on {fp}"),
            None => format!("{component} event"),
        };
        let detail = super::ChangeDetail::Event {
            event_type: kind.to_string(),
            reason: reason.to_string(),
            message: message.trim().to_string(),
            container: involved.field_path.as_deref().and_then(super::change::container_of_field_path),
        };
        self.record_change_with(object, detail, cause, fields);
        self.recorder.legacy(self.now, involved, component, host, kind, reason, message);
    }

    pub(crate) fn emit_scheduler_event(
        &mut self,
        p: usize,
        kind: &str,
        reason: &str,
        action: &str,
        note: String,
        fields: Vec<super::ChangeField>,
    ) {
        let involved = self.pod_ref(p, None);
        let rv = self.pods[p].pod.metadata.resource_version.clone().unwrap_or_default();
        // A repeat the series only counts in memory is no change anyone sees until a flush:
        // not a timeline entry (a pending pod retried for an hour is not thousands of them).
        if self.recorder.scheduler(self.now, involved, &rv, kind, reason, action, &note) {
            let (event_type, reason) = (kind.to_string(), reason.to_string());
            let detail = super::ChangeDetail::Event { event_type, reason, message: note, container: None };
            self.record_change_with(format!("pod/{}", self.pods[p].name()), detail, "default-scheduler event", fields);
        }
    }
}
