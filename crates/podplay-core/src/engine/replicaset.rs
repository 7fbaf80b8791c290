//! The ReplicaSet controller (kube-controller-manager `pkg/controller/replicaset/replica_set.go`,
//! `replica_set_utils.go`, `pkg/controller/controller_utils.go`).
//!
//! It is driven by informers: a write of a ReplicaSet or of a pod it owns queues the ReplicaSet,
//! and a worker syncs it moments later; here a sync runs in the same millisecond as the write
//! that queued it (a real one takes a few ms), once however many writes queued it. A sync
//! counts the active pods it owns (not terminal, not being deleted), creates the missing ones in
//! slow-start batches (1, 2, 4, …, at most `burstReplicas` = 500 a sync) or deletes the surplus
//! in the order `ActivePodsWithRanks` gives, then writes its status from the pods it listed at
//! the start (so a sync that created pods reports them only at the next one).

use std::collections::BTreeMap;

use super::workload_util::{delete_first, RankedPod, SAFE_ALPHABET};
use super::{Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::{ObjectReference, Pod, ReplicaSet, ReplicaSetStatus};

/// `burstReplicas`: the most pods one sync creates or deletes.
const BURST_REPLICAS: i32 = 500;
/// `controller.SlowStartInitialBatchSize`.
const SLOW_START_INITIAL_BATCH_SIZE: i32 = 1;
/// `controller.kubernetes.io/pod-deletion-cost`.
const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

/// A ReplicaSet as the API server holds it, with the status its controller wrote.
#[derive(Debug, Clone)]
pub struct ReplicaSetRecord {
    pub rs: ReplicaSet,
    pub status: ReplicaSetStatus,
    /// The Deployment that owns it (its controller reference), by index.
    pub owner: Option<usize>,
    /// The API object is gone.
    pub removed: bool,
    /// The pods it created, by index (those since removed included): its pods are found
    /// without a scan of every pod.
    pub created: Vec<usize>,
}

impl ReplicaSetRecord {
    pub fn name(&self) -> &str {
        &self.rs.metadata.name
    }
    pub fn replicas(&self) -> i32 {
        self.rs.spec.replicas()
    }
}

/// The controller's work queue: ReplicaSets waiting for a sync.
#[derive(Debug, Default)]
pub(crate) struct ReplicaSetControllerState {
    queued: std::collections::BTreeSet<usize>,
    /// The controller's API client (its rate limit).
    client: super::api_client::ApiClient,
    /// ReplicaSets whose sync waits for the client to create or delete more pods. The worker
    /// holds the key, so no other sync of it runs before it ends.
    waiting: BTreeMap<usize, PausedSync>,
    /// ReplicaSets queued again while their sync waited (the work queue's dirty keys): synced
    /// again once it ends.
    dirty: std::collections::BTreeSet<usize>,
}

/// A sync waiting for the controller's client: until when (the token its next request
/// reserved, as `rate.Limiter.Wait` reserves one: each waiting request has a time of its own,
/// so many waiting syncs cost one wake-up per request, not one per request and waiter), the
/// active pods it listed at its start (its status is worked out from them at its end) and what
/// it still has to do.
#[derive(Debug, Clone)]
struct PausedSync {
    until: Millis,
    active: Vec<usize>,
    work: Work,
}

/// What `manageReplicas` does in a sync, and whether its next request's token is reserved.
#[derive(Debug, Clone)]
enum Work {
    /// Creates left, in slow-start batches: the current batch's size, how many of it are
    /// made, and whether one of them failed (the batch is then the last).
    Create { left: i32, batch: i32, made: i32, failed: bool, token: bool },
    /// The pods it picked to delete, left to delete.
    Delete { pods: Vec<usize>, token: bool },
}

impl Work {
    /// The same work, its next request's token reserved.
    fn with_token(self) -> Work {
        match self {
            Work::Create { left, batch, made, failed, .. } => Work::Create { left, batch, made, failed, token: true },
            Work::Delete { pods, .. } => Work::Delete { pods, token: true },
        }
    }
}

impl Engine {
    /// Queues ReplicaSet `r` for a sync now (an informer event).
    pub(crate) fn enqueue_replica_set(&mut self, r: usize) {
        if self.replica_sets[r].removed || !self.rs_controller.queued.insert(r) {
            return;
        }
        self.schedule(self.now, Task::ReplicaSetSync(r));
    }

    /// A pod write reached the informers: its owner is queued.
    pub(crate) fn note_pod_write_for_owner(&mut self, p: usize) {
        if let Some(r) = self.pods[p].owner {
            self.enqueue_replica_set(r);
        }
    }

    /// The ReplicaSet's `ObjectReference` for events.
    pub(crate) fn replica_set_ref(&self, r: usize) -> ObjectReference {
        let meta = &self.replica_sets[r].rs.metadata;
        ObjectReference::to_object("ReplicaSet", "apps/v1", meta)
    }

    /// The pods ReplicaSet `r` controls that still exist, active or not.
    pub(crate) fn pods_of_replica_set(&self, r: usize) -> Vec<usize> {
        self.replica_sets[r].created.iter().copied().filter(|&p| !self.pods[p].removed && self.pods[p].owner == Some(r)).collect()
    }

    /// `controller.FilterActivePods`: not Succeeded or Failed, no deletionTimestamp.
    fn is_active_pod(&self, p: usize) -> bool {
        let rec = &self.pods[p];
        let phase = rec.pod.status.phase.as_str();
        !rec.removed && !rec.deleting() && phase != "Succeeded" && phase != "Failed"
    }

    /// `syncReplicaSet`.
    pub(crate) fn sync_replica_set(&mut self, r: usize) {
        self.rs_controller.queued.remove(&r);
        if self.replica_sets[r].removed {
            return;
        }
        if self.rs_controller.waiting.get(&r).is_some_and(|w| w.until > self.now) {
            // Queued while its worker waits: the key is dirty, and synced again after.
            self.rs_controller.dirty.insert(r);
            return;
        }
        let resumed = self.rs_controller.waiting.remove(&r);
        let dirty = resumed.is_some() && self.rs_controller.dirty.remove(&r);
        self.run_replica_set_sync(r, resumed);
        if dirty {
            if self.rs_controller.waiting.contains_key(&r) {
                self.rs_controller.dirty.insert(r);
            } else {
                // The work queue hands the key out again once the sync is done.
                self.enqueue_replica_set(r);
            }
        }
    }

    /// A sync of `r`, new or going on from where it waited for the client.
    fn run_replica_set_sync(&mut self, r: usize, resumed: Option<PausedSync>) {
        let deleting = self.replica_sets[r].rs.metadata.deletion.is_some();
        // (A ReplicaSet deleted in the foreground meanwhile makes no more pods.)
        let (active, work) = match resumed.filter(|_| !deleting) {
            // Its request's token was reserved when it paused: the request goes now.
            Some(paused) => (paused.active, paused.work.with_token()),
            None => {
                if self.replica_sets[r].rs.metadata.deletion.is_none() {
                    self.claim_pods(r);
                }
                let active: Vec<usize> = self.pods_of_replica_set(r).into_iter().filter(|&p| self.is_active_pod(p)).collect();
                // rsNeedsSync && DeletionTimestamp == nil: one being deleted only reports.
                if self.replica_sets[r].rs.metadata.deletion.is_some() {
                    let status = self.calculate_replica_set_status(r, &active);
                    self.write_replica_set_status(r, status);
                    return;
                }
                let work = self.replica_work(r, &active);
                (active, work)
            }
        };
        let Some(active) = self.manage_replicas(r, active, work) else { return };
        let status = self.calculate_replica_set_status(r, &active);
        self.write_replica_set_status(r, status);
    }

    /// `claimPods` (`PodControllerRefManager.ClaimPods`): an active pod of the namespace that
    /// no controller owns and that the selector matches is adopted: the ReplicaSet becomes its
    /// controller owner (a patch of the pod) and counts it from now on.
    fn claim_pods(&mut self, r: usize) {
        self.uncontrolled_pods.retain(|&p| !self.pods[p].removed);
        let namespace = self.replica_sets[r].rs.metadata.namespace().to_string();
        let Some(selector) = self.replica_sets[r].rs.spec.selector.clone() else { return };
        let orphans: Vec<usize> = self
            .uncontrolled_pods
            .iter()
            .copied()
            .filter(|&p| self.pods[p].namespace() == namespace && self.is_active_pod(p))
            .filter(|&p| !selector.is_empty() && selector.matches(&self.pods[p].pod.metadata.labels))
            .collect();
        for p in orphans {
            let rs = &self.replica_sets[r].rs.metadata;
            self.pods[p].pod.metadata.owner_references = Some(controller_ref("ReplicaSet", &rs.name, &rs.uid));
            self.pods[p].owner = Some(r);
            self.replica_sets[r].created.push(p);
            self.uncontrolled_pods.remove(&p);
            self.bump_resource_version(p);
            let (pod, owner) = (self.pods[p].name().to_string(), self.replica_set_ref(r).name);
            self.record_change(
                format!("pod/{pod}"),
                super::ChangeDetail::Adopted { owner: format!("replicaset/{owner}") },
                "the ReplicaSet controller adopted the pod: no controller owned it and the ReplicaSet's selector matches its labels",
            );
        }
    }

    /// `manageReplicas`' plan: the pods to create until the count matches `replicas`, or the
    /// surplus to delete, at most `burstReplicas` a sync.
    fn replica_work(&self, r: usize, active: &[usize]) -> Work {
        let diff = active.len() as i32 - self.replica_sets[r].replicas();
        if diff > 0 {
            return Work::Delete { pods: self.pods_to_delete(r, active, diff.min(BURST_REPLICAS) as usize), token: false };
        }
        let left = (-diff).min(BURST_REPLICAS);
        Work::Create { left, batch: left.min(SLOW_START_INITIAL_BATCH_SIZE), made: 0, failed: false, token: false }
    }

    /// `manageReplicas`: the creates or deletes, each request when the controller's API client
    /// lets it go; the listed pods back when done, None when the sync waits for the client
    /// (it goes on with the rest then, `PausedSync`).
    fn manage_replicas(&mut self, r: usize, active: Vec<usize>, work: Work) -> Option<Vec<usize>> {
        match work {
            // slowStartBatch: batches of 1, 2, 4, ... each only after the previous one all
            // succeeded; a batch with a failed create is the last.
            Work::Create { mut left, mut batch, mut made, mut failed, mut token } => {
                while left > 0 {
                    if !std::mem::take(&mut token) && !self.client_ready() {
                        return self.pause(r, active, Work::Create { left, batch, made, failed, token: false });
                    }
                    failed |= !self.create_pod_for_replica_set(r);
                    left -= 1;
                    made += 1;
                    if made == batch {
                        if failed {
                            break;
                        }
                        made = 0;
                        batch = (2 * batch).min(left);
                    }
                }
            }
            Work::Delete { mut pods, mut token } => {
                while let Some(&p) = pods.first() {
                    if !std::mem::take(&mut token) && !self.client_ready() {
                        return self.pause(r, active, Work::Delete { pods, token: false });
                    }
                    pods.remove(0);
                    // (One gone meanwhile: its delete finds it not there.)
                    if !self.pods[p].removed && !self.pods[p].deleting() {
                        self.delete_pod_for_replica_set(r, p);
                    }
                }
            }
        }
        Some(active)
    }

    /// Whether the controller's client may make a request now; it then takes the token.
    fn client_ready(&mut self) -> bool {
        if self.rs_controller.client.ready_at(self.now) > self.now {
            return false;
        }
        self.rs_controller.client.take(self.now);
        true
    }

    /// The sync of `r` waits for the client's next token, which its request reserves now (the
    /// requests after it wait the longer), and goes on then with `work`.
    fn pause(&mut self, r: usize, active: Vec<usize>, work: Work) -> Option<Vec<usize>> {
        let until = self.rs_controller.client.ready_at(self.now);
        self.rs_controller.client.take(self.now);
        self.rs_controller.waiting.insert(r, PausedSync { until, active, work });
        self.schedule(until, Task::ReplicaSetSync(r));
        None
    }

    /// `controller.GetPodFromTemplate` and the create: the template's labels, annotations and
    /// spec, `generateName` `<rs>-`, the ReplicaSet as controller owner. Whether it was created.
    fn create_pod_for_replica_set(&mut self, r: usize) -> bool {
        let rs = &self.replica_sets[r].rs;
        let mut pod = Pod { api_version: "v1".into(), kind: "Pod".into(), spec: rs.spec.template.spec.clone(), ..Default::default() };
        pod.metadata.labels = rs.spec.template.metadata.labels.clone();
        pod.metadata.annotations = rs.spec.template.metadata.annotations.clone();
        pod.metadata.namespace = Some(rs.metadata.namespace().to_string());
        pod.metadata.generate_name = Some(format!("{}-", rs.metadata.name));
        pod.metadata.owner_references = Some(controller_ref("ReplicaSet", &rs.metadata.name, &rs.metadata.uid));
        pod.metadata.name = self.generated_name(&format!("{}-", rs.metadata.name), rs.metadata.namespace().to_string());
        let name = pod.metadata.name.clone();
        match self.add_pod(pod) {
            Ok(()) => {
                let p = self.pods.len() - 1;
                self.pods[p].owner = Some(r);
                self.replica_sets[r].created.push(p);
                let involved = self.replica_set_ref(r);
                self.emit_event(involved, "replicaset-controller", "", "Normal", "SuccessfulCreate", format!("Created pod: {name}"));
                true
            }
            Err(e) => {
                // The API server refused the pod (an invalid template): FailedCreate, as
                // `RecordControllerEvent` words it.
                let involved = self.replica_set_ref(r);
                let message = format!("Error creating: {}", super::ops::op_error_text(&e));
                self.emit_event(involved, "replicaset-controller", "", "Warning", "FailedCreate", message);
                false
            }
        }
    }

    /// The API server's `generateName`: the prefix and five letters of the safe alphabet
    /// (`SimpleNameGenerator`), drawn again on the rare clash with an existing pod.
    pub(crate) fn generated_name(&mut self, prefix: &str, namespace: String) -> String {
        loop {
            let suffix: String = (0..5).map(|_| SAFE_ALPHABET[self.names_rng.below(SAFE_ALPHABET.len() as u64) as usize] as char).collect();
            let name = format!("{prefix}{suffix}");
            if self.find_pod(&name, &namespace).is_none() {
                return name;
            }
        }
    }

    fn delete_pod_for_replica_set(&mut self, r: usize, p: usize) {
        let name = self.pods[p].name().to_string();
        self.delete_pod(p, None, false);
        self.record_change(
            format!("pod/{name}"),
            super::ChangeDetail::PodTerminating { evicted: false },
            "the ReplicaSet controller deleted a surplus pod (replicas went down); pods not ready, on crowded nodes, restarted more or younger go first",
        );
        let involved = self.replica_set_ref(r);
        self.emit_event(involved, "replicaset-controller", "", "Normal", "SuccessfulDelete", format!("Deleted pod: {name}"));
    }

    /// `getPodsToDelete`: with fewer to delete than there are pods, ranked by
    /// `ActivePodsWithRanks` (sort.Sort, as kube-controller-manager's Go sorts), the first `diff`.
    fn pods_to_delete(&self, r: usize, active: &[usize], diff: usize) -> Vec<usize> {
        let related = self.related_active_pods(r);
        let mut ranked: Vec<(usize, RankedPod)> = active.iter().map(|&p| (p, self.ranked_pod(&related, p))).collect();
        if diff < ranked.len() {
            let now = self.now;
            podplay_k8s_util::gosort::sort(self.release.controller_sort, &mut ranked, |a, b| delete_first(&a.1, &b.1, now));
        }
        ranked.into_iter().take(diff).map(|(p, _)| p).collect()
    }

    /// `getIndirectlyRelatedPods`, the active ones: the pods of every ReplicaSet of the same
    /// Deployment (of `r` alone when no Deployment owns it). Listed once per sync, from the
    /// ReplicaSets' own pods, not from every pod of the cluster for every pod ranked.
    fn related_active_pods(&self, r: usize) -> Vec<usize> {
        let owner = self.replica_sets[r].owner;
        let sets: Vec<usize> = match owner {
            Some(d) => self.deployments[d].replica_sets.iter().copied().filter(|&o| self.replica_sets[o].owner == Some(d)).collect(),
            None => vec![r],
        };
        sets.into_iter().flat_map(|o| self.pods_of_replica_set(o)).filter(|&q| self.is_active_pod(q)).collect()
    }

    /// What the ranking reads of pod `p`; its rank counts the `related` active pods on its node
    /// (`getPodsRankedByRelatedPodsOnSameNode`).
    fn ranked_pod(&self, related: &[usize], p: usize) -> RankedPod {
        let pod = &self.pods[p].pod;
        let node_name = pod.spec.node_name.clone().unwrap_or_default();
        let rank = if node_name.is_empty() {
            0
        } else {
            related.iter().filter(|&&q| self.pods[q].pod.spec.node_name.as_deref() == Some(node_name.as_str())).count()
        };
        let ready = pod.status.condition("Ready").filter(|c| c.status == "True");
        RankedPod {
            node_name,
            phase: pod.status.phase.clone(),
            ready: ready.is_some(),
            deletion_cost: pod.metadata.annotations.get(POD_DELETION_COST).and_then(|v| v.parse().ok()).unwrap_or(0),
            rank,
            ready_since: ready.map(|c| c.last_transition_time / SECOND * SECOND),
            max_restarts: pod.status.container_statuses.iter().map(|s| s.restart_count).max().unwrap_or(0),
            creation: pod.metadata.creation / SECOND * SECOND,
            uid: pod.metadata.uid.clone(),
        }
    }

    /// `calculateStatus` over the pods listed at the start of the sync.
    fn calculate_replica_set_status(&mut self, r: usize, active: &[usize]) -> ReplicaSetStatus {
        let rs = &self.replica_sets[r].rs;
        let template_labels = &rs.spec.template.metadata.labels;
        let min_ready = rs.spec.min_ready_seconds.max(0) as Millis * SECOND;
        let mut status = ReplicaSetStatus {
            replicas: active.len() as i32,
            observed_generation: rs.metadata.generation.unwrap_or(1),
            ..Default::default()
        };
        let mut next_available: Option<Millis> = None;
        for &p in active {
            let pod = &self.pods[p].pod;
            if template_labels.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v)) {
                status.fully_labeled_replicas += 1;
            }
            let Some(ready) = pod.status.condition("Ready").filter(|c| c.status == "True") else { continue };
            status.ready_replicas += 1;
            // podutil.IsPodAvailable: ready for minReadySeconds (the informer's time is in
            // whole seconds; `Before` is strict).
            let since = ready.last_transition_time / SECOND * SECOND;
            if min_ready == 0 || since + min_ready < self.now {
                status.available_replicas += 1;
            } else {
                next_available = Some(next_available.map_or(self.now + min_ready, |t: Millis| t.min(self.now + min_ready)));
            }
        }
        // The controller asks to be woken after minReadySeconds when a ready pod is not yet
        // available (`AddAfter`).
        if let Some(at) = next_available {
            self.schedule(at, Task::ReplicaSetRecheck(r));
        }
        status
    }

    /// `updateReplicaSetStatus`: written only when it changed; the owning Deployment hears of it.
    fn write_replica_set_status(&mut self, r: usize, status: ReplicaSetStatus) {
        if self.replica_sets[r].status == status {
            return;
        }
        // The write takes a token too (it is not held back: the requests after it wait).
        self.rs_controller.client.take(self.now);
        self.replica_sets[r].status = status;
        self.replica_sets[r].rs.metadata.resource_version = self.bump_object_version();
        if let Some(d) = self.replica_sets[r].owner {
            self.enqueue_deployment(d);
        }
    }

    /// The cluster's resourceVersion moves for a write of an object other than a pod; the
    /// new version, which the written object carries as `metadata.resourceVersion`.
    pub(crate) fn bump_object_version(&mut self) -> Option<String> {
        self.resource_version += 1;
        Some(self.resource_version.to_string())
    }

    /// Creates a ReplicaSet (from a manifest, or the Deployment controller's new one).
    pub(crate) fn add_replica_set(&mut self, mut rs: ReplicaSet, owner: Option<usize>) -> Result<usize, super::ops::OpError> {
        super::setup::validate_replica_set(&rs).map_err(super::ops::OpError::InvalidObject)?;
        let namespace = rs.metadata.namespace().to_string();
        if self.find_replica_set(&rs.metadata.name, &namespace).is_some() {
            return Err(super::ops::OpError::AlreadyExists { resource: "replicasets.apps", name: rs.metadata.name });
        }
        rs.api_version = "apps/v1".into();
        rs.kind = "ReplicaSet".into();
        self.stamp_created(&mut rs.metadata);
        rs.spec.replicas.get_or_insert(1);
        super::setup::apply_template_defaults(&mut rs.spec.template.spec);
        let r = self.replica_sets.len();
        let name = rs.metadata.name.clone();
        self.replica_sets.push(ReplicaSetRecord { rs, status: ReplicaSetStatus::default(), owner, removed: false, created: Vec::new() });
        if let Some(d) = owner {
            self.deployments[d].replica_sets.push(r);
        }
        self.replica_sets[r].rs.metadata.resource_version = self.bump_object_version();
        self.record_change(
            format!("replicaset/{name}"),
            super::ChangeDetail::ReplicaSetCreated { replicas: self.replica_sets[r].replicas() },
            "created: the ReplicaSet controller now keeps its number of pods",
        );
        self.enqueue_replica_set(r);
        Ok(r)
    }

    /// A ReplicaSet `name` in `namespace` that exists now.
    pub(crate) fn find_replica_set(&self, name: &str, namespace: &str) -> Option<usize> {
        self.replica_sets.iter().position(|r| !r.removed && r.rs.metadata.name == name && r.rs.metadata.namespace() == namespace)
    }

    /// Sets `spec.replicas` (a scale, by a client or the Deployment controller): the generation moves.
    /// An update of the ReplicaSet's pod template spec (its next generation; the controller
    /// hears of it). Its pods are left as they are: a ReplicaSet does not roll out.
    pub(crate) fn set_replica_set_pod_spec(&mut self, r: usize, spec: crate::model::PodSpec) {
        let record = &mut self.replica_sets[r];
        record.rs.spec.template.spec = spec;
        record.rs.metadata.generation = Some(record.rs.metadata.generation.unwrap_or(1) + 1);
        self.replica_sets[r].rs.metadata.resource_version = self.bump_object_version();
        self.enqueue_replica_set(r);
    }

    pub(crate) fn set_replica_set_replicas(&mut self, r: usize, replicas: i32) {
        let record = &mut self.replica_sets[r];
        let from = record.replicas();
        record.rs.spec.replicas = Some(replicas);
        record.rs.metadata.generation = Some(record.rs.metadata.generation.unwrap_or(1) + 1);
        let name = record.rs.metadata.name.clone();
        self.replica_sets[r].rs.metadata.resource_version = self.bump_object_version();
        self.record_change(
            format!("replicaset/{name}"),
            super::ChangeDetail::ReplicaSetScaled { from, to: replicas },
            "spec.replicas changed: the ReplicaSet controller creates or deletes pods to match",
        );
        self.enqueue_replica_set(r);
    }

    /// Deletes ReplicaSet `r`; the garbage collector deletes its pods (background propagation,
    /// at once: it watches the ReplicaSet go).
    /// The ReplicaSet goes, and the garbage collector deletes the pods it still owns.
    pub(crate) fn delete_replica_set(&mut self, r: usize, cause: &'static str) {
        if self.replica_sets[r].removed {
            return;
        }
        self.replica_sets[r].removed = true;
        self.bump_object_version();
        let name = self.replica_sets[r].name().to_string();
        self.record_change(format!("replicaset/{name}"), super::ChangeDetail::ReplicaSetDeleted, cause);
        self.collect_owned_pods(self.pods_of_replica_set(r), "ReplicaSet");
        if let Some(d) = self.replica_sets[r].owner {
            self.enqueue_deployment(d);
        }
    }

    /// The ReplicaSets that exist now, by index.
    pub fn replica_set_records(&self) -> &[ReplicaSetRecord] {
        &self.replica_sets
    }

    /// The ReplicaSet's pods by phase, as `describe` counts them (`getPodStatusForController`).
    pub fn replica_set_pod_phases(&self, r: usize) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for p in self.pods_of_replica_set(r) {
            *out.entry(self.pods[p].pod.status.phase.clone()).or_insert(0) += 1;
        }
        out
    }
}

/// A controller `ownerReferences` list: `controller: true`, `blockOwnerDeletion: true`.
pub(crate) fn controller_ref(kind: &str, name: &str, uid: &str) -> Box<serde_yaml::Value> {
    controller_ref_of("apps/v1", kind, name, uid)
}

/// [`controller_ref`] for an owner of any API group (a Job is `batch/v1`).
pub(crate) fn controller_ref_of(api_version: &str, kind: &str, name: &str, uid: &str) -> Box<serde_yaml::Value> {
    owner_ref_of(api_version, kind, name, uid, true)
}

/// A controller `ownerReferences` list, with or without `blockOwnerDeletion` (kubectl's
/// `create job --from` leaves it out).
pub(crate) fn owner_ref_of(api_version: &str, kind: &str, name: &str, uid: &str, block_owner_deletion: bool) -> Box<serde_yaml::Value> {
    use serde_yaml::Value;
    let mut reference = serde_yaml::Mapping::with_capacity(6);
    let mut field = |key: &str, value: Value| reference.insert(Value::String(key.into()), value);
    field("apiVersion", Value::String(api_version.into()));
    field("kind", Value::String(kind.into()));
    field("name", Value::String(name.into()));
    field("uid", Value::String(uid.into()));
    field("controller", Value::Bool(true));
    if block_owner_deletion {
        field("blockOwnerDeletion", Value::Bool(true));
    }
    Box::new(Value::Sequence(vec![Value::Mapping(reference)]))
}
