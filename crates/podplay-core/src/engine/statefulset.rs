//! The StatefulSet controller (kube-controller-manager `pkg/controller/statefulset/
//! stateful_set_control.go`, `stateful_set_utils.go`, `stateful_pod_control.go`).
//!
//! Informer-driven like the ReplicaSet controller: a write of the set or of one of its pods
//! queues it and a sync runs in the same millisecond. A sync sorts the set's pods into the
//! ordinals it keeps (`0..replicas`) and the condemned ones above, then, in `OrderedReady`
//! mode, takes one step and returns: create the lowest missing ordinal, wait while a pod is
//! not Running and Ready or is terminating, delete the highest condemned pod, or replace the
//! highest pod of an old revision at or above the partition. `Parallel` creates and deletes
//! without waiting (the rolling update still goes one pod at a time). Pods are named
//! `<set>-<ordinal>`, with hostname the pod's name and subdomain the set's `serviceName`.

use std::collections::{BTreeMap, BTreeSet};

use super::replicaset::controller_ref;
use super::workload_util::compute_hash;
use super::{Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::{ObjectReference, Pod, PodTemplateSpec, StatefulSet, StatefulSetStatus};

/// `apps.StatefulSetPodNameLabel`.
pub(crate) const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// `apps.StatefulSetRevisionLabel` (= `apps.ControllerRevisionHashLabelKey`).
pub(crate) const REVISION_LABEL: &str = "controller-revision-hash";
/// `apps.PodIndexLabel` (PodIndexLabel gate, 1.28+).
pub(crate) const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

/// A StatefulSet as the API server holds it, with the status its controller wrote and its
/// revisions (the ControllerRevisions it made: name and template).
#[derive(Debug, Clone)]
pub struct StatefulSetRecord {
    pub set: StatefulSet,
    pub status: StatefulSetStatus,
    pub removed: bool,
    revisions: Vec<(String, PodTemplateSpec)>,
}

impl StatefulSetRecord {
    pub(crate) fn new(set: StatefulSet) -> Self {
        StatefulSetRecord { set, status: StatefulSetStatus::default(), removed: false, revisions: Vec::new() }
    }
    pub fn name(&self) -> &str {
        &self.set.metadata.name
    }
    pub fn generation(&self) -> i64 {
        self.set.metadata.generation.unwrap_or(1)
    }
    fn template_of(&self, revision: &str) -> Option<&PodTemplateSpec> {
        self.revisions.iter().find(|(name, _)| name == revision).map(|(_, t)| t)
    }
}

/// The controller's work queue.
#[derive(Debug, Default)]
pub(crate) struct StatefulSetControllerState {
    queued: BTreeSet<usize>,
}

/// The set's pods as one sync sees them: the ordinals it keeps and the condemned ones.
struct Slots {
    /// The ordinals kept, `0..replicas`, and the pods that hold one (a map: `replicas` may be
    /// as large as an int32, and most ordinals may have no pod yet).
    replicas: usize,
    kept: BTreeMap<usize, usize>,
    /// (ordinal, pod), highest ordinal first.
    condemned: Vec<(usize, usize)>,
}

/// What one step of the sync did: the OrderedReady controller returns after any of these.
enum Step {
    Continue,
    Wait,
    /// A create failed: the sync returns its error (`processReplica`'s `shouldExit`).
    Stop,
}

impl Engine {
    /// Queues StatefulSet `s` for a sync now (an informer event).
    pub(crate) fn enqueue_stateful_set(&mut self, s: usize) {
        if self.stateful_sets[s].removed || !self.sts_controller.queued.insert(s) {
            return;
        }
        self.schedule(self.now, Task::StatefulSetSync(s));
    }

    /// A pod write reached the informers: its StatefulSet is queued.
    pub(crate) fn note_pod_write_for_stateful_set(&mut self, p: usize) {
        if let Some(s) = self.pods[p].stateful_set {
            self.enqueue_stateful_set(s);
        }
    }

    pub(crate) fn stateful_set_ref(&self, s: usize) -> ObjectReference {
        let meta = &self.stateful_sets[s].set.metadata;
        ObjectReference::to_object("StatefulSet", "apps/v1", meta)
    }

    /// The pods StatefulSet `s` controls whose API object exists.
    pub(crate) fn pods_of_stateful_set(&self, s: usize) -> Vec<usize> {
        (0..self.pods.len()).filter(|&p| self.pods[p].stateful_set == Some(s) && !self.pods[p].removed).collect()
    }

    /// `syncStatefulSet` / `updateStatefulSet`.
    pub(crate) fn sync_stateful_set(&mut self, s: usize) {
        self.sts_controller.queued.remove(&s);
        // (One being deleted in the foreground is left to the garbage collector.)
        if self.stateful_sets[s].removed || self.stateful_sets[s].set.metadata.deletion.is_some() {
            return;
        }
        let update = self.update_revision(s);
        let current = match self.stateful_sets[s].status.current_revision.clone() {
            c if c.is_empty() => update.clone(),
            c => c,
        };
        let slots = self.stateful_set_slots(s);
        self.manage_stateful_set(s, slots, &current, &update);
        let status = self.stateful_set_status(s, &current, &update);
        self.write_stateful_set_status(s, status);
    }

    /// `getStatefulSetRevisions`: the revision of the template now, recorded if it is new.
    /// Its name is `<set>-<hash>` (`controller.ComputeHash` over the revision's data).
    fn update_revision(&mut self, s: usize) -> String {
        let record = &self.stateful_sets[s];
        let template = &record.set.spec.template;
        // Upstream hashes the revision's raw patch (`{"spec":{"template":...,"$patch":"replace"}}`)
        // with the collision count; podplay hashes the template's JSON: same alphabet and
        // length, not the value a cluster prints.
        let data = format!("{{\"spec\":{{\"template\":{}}}}}", super::workload_util::template_hash_input(template));
        let name = format!("{}-{}", record.name(), compute_hash(&data, None));
        if record.template_of(&name).is_none() {
            let template = template.clone();
            self.stateful_sets[s].revisions.push((name.clone(), template));
        }
        name
    }

    /// Sorts the set's pods by ordinal (`<set>-<n>`): kept below `replicas`, condemned above.
    fn stateful_set_slots(&self, s: usize) -> Slots {
        let replicas = self.stateful_sets[s].set.spec.replicas().max(0) as usize;
        let mut slots = Slots { replicas, kept: BTreeMap::new(), condemned: Vec::new() };
        for p in self.pods_of_stateful_set(s) {
            let Some(ordinal) = self.pods[p].pod.metadata.labels.get(POD_NAME_LABEL).and_then(|n| ordinal_of(n)) else { continue };
            if ordinal < replicas {
                slots.kept.insert(ordinal, p);
            } else {
                slots.condemned.push((ordinal, p));
            }
        }
        podplay_k8s_util::sort::sort_by_key(&mut slots.condemned, |c| std::cmp::Reverse(c.0));
        slots
    }

    /// The steps of `updateStatefulSet`: fill the kept ordinals, remove the condemned ones,
    /// then roll the update.
    fn manage_stateful_set(&mut self, s: usize, slots: Slots, current: &str, update: &str) {
        let monotonic = !self.stateful_sets[s].set.spec.is_parallel();
        for ordinal in 0..slots.replicas {
            match self.process_replica(s, ordinal, slots.kept.get(&ordinal).copied(), current, update) {
                Step::Stop => return,
                Step::Wait if monotonic => return,
                _ => {}
            }
        }
        for &(_, p) in &slots.condemned {
            if self.pods[p].deleting() {
                if monotonic {
                    return;
                }
                continue;
            }
            self.delete_stateful_pod(s, p, "the StatefulSet controller deleted the highest ordinal (replicas went down)");
            if monotonic {
                return;
            }
        }
        if self.stateful_sets[s].set.spec.is_rolling_update() {
            self.roll_update(s, &slots, update);
        }
    }

    /// `processReplica` for one kept ordinal: create it if missing, replace it if it failed or
    /// succeeded, and say to wait while it is not Running and Ready (or is terminating).
    fn process_replica(&mut self, s: usize, ordinal: usize, slot: Option<usize>, current: &str, update: &str) -> Step {
        let Some(p) = slot else {
            return if self.create_stateful_pod(s, ordinal, current, update) { Step::Wait } else { Step::Stop };
        };
        let phase = self.pods[p].pod.status.phase.clone();
        if (phase == "Failed" || phase == "Succeeded") && !self.pods[p].deleting() {
            self.delete_stateful_pod(s, p, "the StatefulSet controller deleted a pod that had finished, to create it again");
            return Step::Wait;
        }
        if self.stateful_pod_healthy(p) {
            Step::Continue
        } else {
            Step::Wait
        }
    }

    /// `isRunningAndReady` and not terminating (`isHealthy`).
    fn stateful_pod_healthy(&self, p: usize) -> bool {
        let pod = &self.pods[p].pod;
        pod.status.phase == "Running" && pod.status.condition("Ready").is_some_and(|c| c.status == "True") && !self.pods[p].deleting()
    }

    /// The rolling update: from the highest kept ordinal down to the partition, delete the
    /// first pod of an old revision (recreated from the new one at the next sync), one at a
    /// time, waiting while a pod in that range is not healthy.
    fn roll_update(&mut self, s: usize, slots: &Slots, update: &str) {
        let partition = self.stateful_sets[s].set.spec.partition().max(0) as usize;
        for ordinal in (partition..slots.replicas).rev() {
            let Some(&p) = slots.kept.get(&ordinal) else { return };
            let revision = self.pods[p].pod.metadata.labels.get(REVISION_LABEL).cloned().unwrap_or_default();
            if revision != update && !self.pods[p].deleting() {
                self.delete_stateful_pod(
                    s,
                    p,
                    "the StatefulSet controller deleted a pod of the old revision, to create it from the new one",
                );
                return;
            }
            if !self.stateful_pod_healthy(p) {
                return;
            }
        }
    }

    /// `newVersionedStatefulSetPod` and `CreateStatefulPod`: below the partition a pod is made
    /// from the current revision, else from the update revision. Whether it was created.
    fn create_stateful_pod(&mut self, s: usize, ordinal: usize, current: &str, update: &str) -> bool {
        let record = &self.stateful_sets[s];
        let set = &record.set;
        let keeps_current = set.spec.is_rolling_update() && (ordinal as i32) < set.spec.partition();
        let revision = if keeps_current && record.template_of(current).is_some() { current } else { update };
        let template = record.template_of(revision).cloned().unwrap_or_else(|| set.spec.template.clone());
        let name = format!("{}-{ordinal}", set.metadata.name);
        let pod = self.stateful_pod(s, &template, &name, ordinal, revision);
        match self.add_pod(pod) {
            Ok(()) => {
                let p = self.pods.len() - 1;
                self.pods[p].stateful_set = Some(s);
                let set_name = self.stateful_sets[s].name().to_string();
                self.stateful_set_event(s, "Normal", "SuccessfulCreate", format!("create Pod {name} in StatefulSet {set_name} successful"));
                true
            }
            Err(e) => {
                let set_name = self.stateful_sets[s].name().to_string();
                let message = format!("create Pod {name} in StatefulSet {set_name} failed error: {}", super::ops::op_error_text(&e));
                self.stateful_set_event(s, "Warning", "FailedCreate", message);
                false
            }
        }
    }

    /// `newStatefulSetPod`: `GetPodFromTemplate`, the name, `initIdentity` (pod-name label,
    /// hostname, subdomain), the index label from 1.28 and the revision label.
    fn stateful_pod(&self, s: usize, template: &PodTemplateSpec, name: &str, ordinal: usize, revision: &str) -> Pod {
        let set = &self.stateful_sets[s].set;
        let mut pod = Pod { api_version: "v1".into(), kind: "Pod".into(), spec: template.spec.clone(), ..Default::default() };
        pod.metadata.name = name.to_string();
        pod.metadata.namespace = Some(set.metadata.namespace().to_string());
        pod.metadata.labels = template.metadata.labels.clone();
        pod.metadata.annotations = template.metadata.annotations.clone();
        pod.metadata.owner_references = Some(controller_ref("StatefulSet", &set.metadata.name, &set.metadata.uid));
        pod.metadata.labels.insert(POD_NAME_LABEL.into(), name.to_string());
        if self.release.sts_pod_index_label {
            pod.metadata.labels.insert(POD_INDEX_LABEL.into(), ordinal.to_string());
        }
        pod.metadata.labels.insert(REVISION_LABEL.into(), revision.to_string());
        pod.spec.hostname = Some(name.to_string());
        if !set.spec.service_name.is_empty() {
            pod.spec.subdomain = Some(set.spec.service_name.clone());
        }
        pod
    }

    /// `DeleteStatefulPod`: a graceful delete and `SuccessfulDelete`.
    fn delete_stateful_pod(&mut self, s: usize, p: usize, cause: &'static str) {
        let name = self.pods[p].name().to_string();
        self.delete_pod(p, None, false);
        self.record_change(format!("pod/{name}"), super::ChangeDetail::PodTerminating { evicted: false }, cause);
        let set_name = self.stateful_sets[s].name().to_string();
        self.stateful_set_event(s, "Normal", "SuccessfulDelete", format!("delete Pod {name} in StatefulSet {set_name} successful"));
    }

    /// `recordPodEvent`, from the `statefulset-controller`.
    fn stateful_set_event(&mut self, s: usize, kind: &str, reason: &str, message: String) {
        let involved = self.stateful_set_ref(s);
        self.emit_event(involved, "statefulset-controller", "", kind, reason, message);
    }

    /// The status from the set's pods after the sync's step (`updateStatefulSet` counts the
    /// pods it created at once): terminating pods are not counted; a rolling update is
    /// complete once every counted pod is updated and ready (`completeRollingUpdate`).
    fn stateful_set_status(&mut self, s: usize, current: &str, update: &str) -> StatefulSetStatus {
        let record = &self.stateful_sets[s];
        let min_ready = record.set.spec.min_ready_seconds.max(0) as Millis * SECOND;
        let mut status = StatefulSetStatus {
            observed_generation: record.generation(),
            current_revision: current.to_string(),
            update_revision: update.to_string(),
            collision_count: record.status.collision_count,
            ..Default::default()
        };
        let mut next_available: Option<Millis> = None;
        for p in self.pods_of_stateful_set(s) {
            let pod = &self.pods[p].pod;
            if self.pods[p].deleting() {
                continue;
            }
            status.replicas += 1;
            let revision = pod.metadata.labels.get(REVISION_LABEL).map(String::as_str);
            status.current_replicas += i32::from(revision == Some(current));
            status.updated_replicas += i32::from(revision == Some(update));
            let ready = pod.status.condition("Ready").filter(|c| c.status == "True" && pod.status.phase == "Running");
            let Some(ready) = ready else { continue };
            status.ready_replicas += 1;
            let since = ready.last_transition_time / SECOND * SECOND;
            if min_ready == 0 || since + min_ready < self.now {
                status.available_replicas += i32::from(self.release.sts_available_replicas);
            } else {
                next_available = Some(next_available.map_or(since + min_ready, |t: Millis| t.min(since + min_ready)));
            }
        }
        if record.set.spec.is_rolling_update() && status.updated_replicas == status.replicas && status.ready_replicas == status.replicas {
            status.current_replicas = status.updated_replicas;
            status.current_revision = status.update_revision.clone();
        }
        if let Some(at) = next_available {
            self.schedule(at.max(self.now + 1), Task::StatefulSetSync(s));
        }
        status
    }

    /// Written only when it changed.
    fn write_stateful_set_status(&mut self, s: usize, status: StatefulSetStatus) {
        if self.stateful_sets[s].status != status {
            self.stateful_sets[s].status = status;
            self.stateful_sets[s].set.metadata.resource_version = self.bump_object_version();
        }
    }
}

/// `getParentNameAndOrdinal`: the number after the last `-` of the pod's name.
fn ordinal_of(pod_name: &str) -> Option<usize> {
    pod_name.rsplit_once('-')?.1.parse().ok()
}
