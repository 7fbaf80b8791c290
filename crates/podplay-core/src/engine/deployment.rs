//! The Deployment controller (kube-controller-manager `pkg/controller/deployment/`:
//! `deployment_controller.go` syncDeployment, `sync.go`, `rolling.go`, `recreate.go`,
//! `progress.go`, `util/deployment_util.go`).
//!
//! Like the ReplicaSet controller it is informer-driven: a write of the Deployment or of a
//! ReplicaSet it owns queues it, and it syncs in the same millisecond. A sync finds the new
//! ReplicaSet (the one whose template equals the Deployment's, `pod-template-hash` aside) and
//! the old ones, creates the new one when the template changed (`<name>-<hash>`), scales new up
//! and old down within maxSurge/maxUnavailable (RollingUpdate) or old to zero first (Recreate),
//! writes the status and the Available/Progressing conditions, and deletes old ReplicaSets past
//! revisionHistoryLimit. A rollout that stops progressing is looked at again when its
//! progressDeadlineSeconds run out (`requeueStuckDeployment`).

use super::replicaset::controller_ref;
use super::workload_util::{
    append_revision_history, compute_hash, new_rs_new_replicas_rolling, resolve_fenceposts, MAX_REV_HISTORY_LENGTH_IN_CHARS,
};
use super::{Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::{Deployment, DeploymentCondition, DeploymentStatus, ObjectReference, ReplicaSet};
use crate::version::ScalingEventText;

pub(crate) const REVISION: &str = "deployment.kubernetes.io/revision";
const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
const POD_TEMPLATE_HASH: &str = "pod-template-hash";
/// Annotations of the Deployment that its ReplicaSets do not copy (`annotationsToSkip`).
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    REVISION_HISTORY,
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    "deprecated.deployment.rollback.to",
];

/// A Deployment as the API server holds it, with the status its controller wrote.
#[derive(Debug, Clone)]
pub struct DeploymentRecord {
    pub deployment: Deployment,
    pub status: DeploymentStatus,
    pub removed: bool,
    /// The ReplicaSets created with this Deployment as their owner (some since removed or
    /// orphaned): where its syncs look for its own, instead of among every ReplicaSet.
    pub(crate) replica_sets: Vec<usize>,
}

impl DeploymentRecord {
    pub fn name(&self) -> &str {
        &self.deployment.metadata.name
    }
    pub fn generation(&self) -> i64 {
        self.deployment.metadata.generation.unwrap_or(1)
    }
}

#[derive(Debug, Default)]
pub(crate) struct DeploymentControllerState {
    queued: std::collections::BTreeSet<usize>,
}

/// The ReplicaSets of one sync: the new one (maybe none yet) and the old ones.
struct Sets {
    new: Option<usize>,
    old: Vec<usize>,
}

impl Sets {
    fn all(&self) -> Vec<usize> {
        self.old.iter().copied().chain(self.new).collect()
    }
}

impl Engine {
    pub(crate) fn enqueue_deployment(&mut self, d: usize) {
        if self.deployments[d].removed || !self.deployment_controller.queued.insert(d) {
            return;
        }
        self.schedule(self.now, Task::DeploymentSync(d));
    }

    pub(crate) fn deployment_ref(&self, d: usize) -> ObjectReference {
        let meta = &self.deployments[d].deployment.metadata;
        ObjectReference::to_object("Deployment", "apps/v1", meta)
    }

    fn deployment_event(&mut self, d: usize, kind: &str, reason: &str, message: String) {
        let involved = self.deployment_ref(d);
        self.emit_event(involved, "deployment-controller", "", kind, reason, message);
    }

    /// `syncDeployment`.
    pub(crate) fn sync_deployment(&mut self, d: usize) {
        self.deployment_controller.queued.remove(&d);
        if self.deployments[d].removed {
            return;
        }
        let spec = &self.deployments[d].deployment.spec;
        if spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
            self.deployment_event(
                d,
                "Warning",
                "SelectingAll",
                "This deployment is selecting all pods. A non-empty selector is required.".into(),
            );
            return;
        }
        if self.deployments[d].deployment.metadata.deletion.is_some() {
            // syncStatusOnly: a Deployment being deleted (foreground) only reports.
            let sets = self.sync_revision(d, false);
            let status = self.calculate_deployment_status(d, &sets);
            self.store_status_if_changed(d, status);
            return;
        }
        self.check_paused_conditions(d);
        if self.deployments[d].deployment.spec.paused || self.is_scaling_event(d) {
            self.sync_scale_only(d);
            return;
        }
        if self.deployments[d].deployment.spec.is_rolling_update() {
            self.rollout_rolling(d);
        } else {
            self.rollout_recreate(d);
        }
    }

    /// The ReplicaSets Deployment `d` owns that exist now, oldest first
    /// (`ReplicaSetsByCreationTimestamp`: creation time, then name).
    fn owned_replica_sets(&self, d: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self.deployments[d]
            .replica_sets
            .iter()
            .copied()
            .filter(|&r| !self.replica_sets[r].removed && self.replica_sets[r].owner == Some(d))
            .collect();
        podplay_k8s_util::sort::sort_by(&mut out, |&a, &b| {
            let (a, b) = (&self.replica_sets[a].rs.metadata, &self.replica_sets[b].rs.metadata);
            (a.creation, &a.name).cmp(&(b.creation, &b.name))
        });
        out
    }

    /// The template as the controller compares it: its API JSON without `pod-template-hash`
    /// (`EqualIgnoreHash`).
    fn template_key(template: &crate::model::PodTemplateSpec) -> String {
        let mut t = template.clone();
        t.metadata.labels.remove(POD_TEMPLATE_HASH);
        serde_json::to_string(&t).unwrap_or_default()
    }

    /// `FindNewReplicaSet` and `FindOldReplicaSets`.
    fn replica_sets_of(&self, d: usize) -> Sets {
        let key = Self::template_key(&self.deployments[d].deployment.spec.template);
        let owned = self.owned_replica_sets(d);
        let new = owned.iter().copied().find(|&r| Self::template_key(&self.replica_sets[r].rs.spec.template) == key);
        Sets { new, old: owned.into_iter().filter(|&r| Some(r) != new).collect() }
    }

    fn revision_of(&self, r: usize) -> i64 {
        self.replica_sets[r].rs.metadata.annotations.get(REVISION).and_then(|v| v.parse().ok()).unwrap_or(0)
    }

    /// `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet's annotations and the
    /// Deployment's revision brought up to date, the new ReplicaSet created when asked.
    fn sync_revision(&mut self, d: usize, create: bool) -> Sets {
        let mut sets = self.replica_sets_of(d);
        let new_revision = sets.old.iter().map(|&r| self.revision_of(r)).max().unwrap_or(0) + 1;
        match sets.new {
            Some(r) => self.sync_existing_new_replica_set(d, r, new_revision),
            None if create => sets.new = self.create_new_replica_set(d, &sets.old, new_revision),
            None => {}
        }
        sets
    }

    fn sync_existing_new_replica_set(&mut self, d: usize, r: usize, new_revision: i64) {
        let min_ready = self.deployments[d].deployment.spec.min_ready_seconds;
        let mut rs = self.replica_sets[r].rs.clone();
        let changed = self.set_new_replica_set_annotations(d, &mut rs, new_revision, true);
        if changed || rs.spec.min_ready_seconds != min_ready {
            rs.spec.min_ready_seconds = min_ready;
            self.replica_sets[r].rs = rs;
            self.replica_sets[r].rs.metadata.resource_version = self.bump_object_version();
            self.enqueue_replica_set(r);
            return;
        }
        let revision = self.replica_sets[r].rs.metadata.annotations.get(REVISION).cloned().unwrap_or_default();
        let mut changed = self.set_deployment_revision(d, &revision);
        if self.has_progress_deadline(d) && self.deployments[d].status.condition("Progressing").is_none() {
            let message = format!("Found new replica set {:?}", self.replica_sets[r].name());
            self.set_condition(d, "Progressing", "True", "FoundNewReplicaSet", message);
            changed = true;
        }
        if changed {
            self.write_deployment_status(d);
        }
    }

    /// `getNewReplicaSet`'s create: `<name>-<hash>`, the template and selector with
    /// `pod-template-hash`, the revision and replica annotations, the first replicas.
    fn create_new_replica_set(&mut self, d: usize, old: &[usize], new_revision: i64) -> Option<usize> {
        let deployment = self.deployments[d].deployment.clone();
        let mut template = deployment.spec.template.clone();
        let hash = compute_hash(&super::workload_util::template_hash_input(&template), self.deployments[d].status.collision_count);
        template.metadata.labels.insert(POD_TEMPLATE_HASH.into(), hash.clone());
        let mut selector = deployment.spec.selector.clone().unwrap_or_default();
        selector.match_labels.insert(POD_TEMPLATE_HASH.into(), hash.clone());
        let mut rs = ReplicaSet::default();
        rs.metadata.name = format!("{}-{hash}", deployment.metadata.name);
        rs.metadata.namespace = deployment.metadata.namespace.clone();
        rs.metadata.labels = template.metadata.labels.clone();
        rs.metadata.owner_references = Some(controller_ref("Deployment", &deployment.metadata.name, &deployment.metadata.uid));
        rs.spec.min_ready_seconds = deployment.spec.min_ready_seconds;
        rs.spec.selector = Some(selector);
        rs.spec.template = template;
        let current: i32 = old.iter().map(|&r| self.replica_sets[r].replicas()).sum();
        let replicas = self.new_rs_new_replicas(d, current, 0);
        rs.spec.replicas = Some(replicas);
        self.set_new_replica_set_annotations(d, &mut rs, new_revision, false);
        let name = rs.metadata.name.clone();
        let r = self.add_replica_set(rs, Some(d)).ok()?;
        if replicas > 0 {
            let message = match self.release.scaling_event {
                ScalingEventText::FromTo => format!("Scaled up replica set {name} from 0 to {replicas}"),
                _ => format!("Scaled up replica set {name} to {replicas}"),
            };
            self.deployment_event(d, "Normal", "ScalingReplicaSet", message);
        }
        self.set_deployment_revision(d, &new_revision.to_string());
        if self.has_progress_deadline(d) {
            self.set_condition(d, "Progressing", "True", "NewReplicaSetCreated", format!("Created new replica set {name:?}"));
        }
        self.write_deployment_status(d);
        Some(r)
    }

    /// `SetNewReplicaSetAnnotations`: the Deployment's annotations (but the skipped ones), the
    /// revision when it is newer (the one it replaces kept in `revision-history`), and for a new
    /// ReplicaSet the desired and max replicas.
    fn set_new_replica_set_annotations(&self, d: usize, rs: &mut ReplicaSet, new_revision: i64, exists: bool) -> bool {
        let deployment = &self.deployments[d].deployment;
        let mut changed = false;
        for (k, v) in &deployment.metadata.annotations {
            if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) && rs.metadata.annotations.get(k) != Some(v) {
                rs.metadata.annotations.insert(k.clone(), v.clone());
                changed = true;
            }
        }
        let old = rs.metadata.annotations.get(REVISION).cloned();
        let old_revision: i64 = old.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0);
        if old_revision < new_revision {
            rs.metadata.annotations.insert(REVISION.into(), new_revision.to_string());
            changed = true;
            if let Some(old) = old {
                let history = rs.metadata.annotations.get(REVISION_HISTORY).map_or("", String::as_str);
                if let Some(history) = append_revision_history(history, &old, MAX_REV_HISTORY_LENGTH_IN_CHARS) {
                    rs.metadata.annotations.insert(REVISION_HISTORY.into(), history);
                }
            }
        }
        if !exists {
            let replicas = deployment.spec.replicas();
            changed |= set_replicas_annotations(rs, replicas, replicas + self.max_surge(d));
        }
        changed
    }

    /// `SetDeploymentRevision`.
    fn set_deployment_revision(&mut self, d: usize, revision: &str) -> bool {
        let annotations = &mut self.deployments[d].deployment.metadata.annotations;
        if annotations.get(REVISION).map(String::as_str) == Some(revision) {
            return false;
        }
        annotations.insert(REVISION.into(), revision.to_string());
        true
    }

    fn has_progress_deadline(&self, d: usize) -> bool {
        self.deployments[d].deployment.spec.progress_deadline_seconds.is_some_and(|s| s != i32::MAX)
    }

    /// The Deployment's (maxSurge, maxUnavailable) resolved against its replicas.
    fn fenceposts(&self, d: usize) -> (i32, i32) {
        let spec = &self.deployments[d].deployment.spec;
        let rolling = spec.strategy.rolling_update.clone().unwrap_or_default();
        resolve_fenceposts(rolling.max_surge.as_ref(), rolling.max_unavailable.as_ref(), spec.replicas()).unwrap_or((0, 1))
    }

    /// `MaxSurge`: 0 for Recreate.
    fn max_surge(&self, d: usize) -> i32 {
        if !self.deployments[d].deployment.spec.is_rolling_update() {
            return 0;
        }
        self.fenceposts(d).0
    }

    /// `MaxUnavailable`: 0 for Recreate or no replicas, never more than replicas.
    fn max_unavailable(&self, d: usize) -> i32 {
        let spec = &self.deployments[d].deployment.spec;
        if !spec.is_rolling_update() || spec.replicas() == 0 {
            return 0;
        }
        self.fenceposts(d).1.min(spec.replicas())
    }

    /// `NewRSNewReplicas`.
    fn new_rs_new_replicas(&self, d: usize, current_pod_count: i32, new_rs_replicas: i32) -> i32 {
        let replicas = self.deployments[d].deployment.spec.replicas();
        if !self.deployments[d].deployment.spec.is_rolling_update() {
            return replicas;
        }
        let rolling = self.deployments[d].deployment.spec.strategy.rolling_update.clone().unwrap_or_default();
        let max_surge = rolling.max_surge.as_ref().map_or(Ok(0), |s| super::workload_util::scaled_value(s, replicas, true)).unwrap_or(0);
        new_rs_new_replicas_rolling(replicas, max_surge, current_pod_count, new_rs_replicas)
    }

    fn spec_replicas_of(&self, sets: &[usize]) -> i32 {
        sets.iter().map(|&r| self.replica_sets[r].replicas()).sum()
    }

    /// `rolloutRolling`.
    fn rollout_rolling(&mut self, d: usize) {
        let sets = self.sync_revision(d, true);
        let Some(new) = sets.new else { return };
        if self.reconcile_new_replica_set(d, &sets, new) || self.reconcile_old_replica_sets(d, &sets, new) {
            self.sync_rollout_status(d, &sets);
            return;
        }
        if self.deployment_complete(d, &self.deployments[d].status.clone()) {
            self.cleanup_deployment(d, &sets.old);
        }
        self.sync_rollout_status(d, &sets);
    }

    /// `reconcileNewReplicaSet`.
    fn reconcile_new_replica_set(&mut self, d: usize, sets: &Sets, new: usize) -> bool {
        let replicas = self.deployments[d].deployment.spec.replicas();
        let current = self.replica_sets[new].replicas();
        if current == replicas {
            return false;
        }
        let target = if current > replicas { replicas } else { self.new_rs_new_replicas(d, self.spec_replicas_of(&sets.all()), current) };
        self.scale_replica_set_and_record_event(d, new, target)
    }

    /// `reconcileOldReplicaSets`: unhealthy old pods go first, then old ones down to what
    /// maxUnavailable allows.
    fn reconcile_old_replica_sets(&mut self, d: usize, sets: &Sets, new: usize) -> bool {
        if self.spec_replicas_of(&sets.old) == 0 {
            return false;
        }
        let all_pods = self.spec_replicas_of(&sets.all());
        let min_available = self.deployments[d].deployment.spec.replicas() - self.max_unavailable(d);
        let new_unavailable = self.replica_sets[new].replicas() - self.replica_sets[new].status.available_replicas;
        let max_scaled_down = all_pods - min_available - new_unavailable;
        if max_scaled_down <= 0 {
            return false;
        }
        let cleaned = self.cleanup_unhealthy_replicas(d, &sets.old, max_scaled_down);
        let scaled = self.scale_down_old_for_rolling_update(d, sets);
        cleaned + scaled > 0
    }

    /// `cleanupUnhealthyReplicas`.
    fn cleanup_unhealthy_replicas(&mut self, d: usize, old: &[usize], max_cleanup: i32) -> i32 {
        let mut total = 0;
        for &r in old {
            if total >= max_cleanup {
                break;
            }
            let (replicas, available) = (self.replica_sets[r].replicas(), self.replica_sets[r].status.available_replicas);
            if replicas == 0 || replicas == available {
                continue;
            }
            let count = (max_cleanup - total).min(replicas - available);
            self.scale_replica_set_and_record_event(d, r, replicas - count);
            total += count;
        }
        total
    }

    /// `scaleDownOldReplicaSetsForRollingUpdate`.
    fn scale_down_old_for_rolling_update(&mut self, d: usize, sets: &Sets) -> i32 {
        let min_available = self.deployments[d].deployment.spec.replicas() - self.max_unavailable(d);
        let available: i32 = sets.all().iter().map(|&r| self.replica_sets[r].status.available_replicas).sum();
        if available <= min_available {
            return 0;
        }
        let to_scale_down = available - min_available;
        let mut total = 0;
        for &r in &sets.old {
            if total >= to_scale_down {
                break;
            }
            let replicas = self.replica_sets[r].replicas();
            if replicas == 0 {
                continue;
            }
            let count = replicas.min(to_scale_down - total);
            self.scale_replica_set_and_record_event(d, r, replicas - count);
            total += count;
        }
        total
    }

    /// `scaleReplicaSetAndRecordEvent` / `scaleReplicaSet`: the size and the replica
    /// annotations written together; `ScalingReplicaSet` when the size changed.
    fn scale_replica_set_and_record_event(&mut self, d: usize, r: usize, new_scale: i32) -> bool {
        let old_scale = self.replica_sets[r].replicas();
        if old_scale == new_scale {
            return false;
        }
        let replicas = self.deployments[d].deployment.spec.replicas();
        let max = replicas + self.max_surge(d);
        set_replicas_annotations(&mut self.replica_sets[r].rs, replicas, max);
        self.set_replica_set_replicas(r, new_scale);
        let operation = if old_scale < new_scale { "up" } else { "down" };
        let name = self.replica_sets[r].name().to_string();
        let message = match self.release.scaling_event {
            ScalingEventText::To => format!("Scaled {operation} replica set {name} to {new_scale}"),
            ScalingEventText::ToFrom => format!("Scaled {operation} replica set {name} to {new_scale} from {old_scale}"),
            ScalingEventText::FromTo => format!("Scaled {operation} replica set {name} from {old_scale} to {new_scale}"),
        };
        self.deployment_event(d, "Normal", "ScalingReplicaSet", message);
        true
    }

    /// `rolloutRecreate`: every old pod gone before the new ReplicaSet is created and scaled up.
    fn rollout_recreate(&mut self, d: usize) {
        let mut sets = self.sync_revision(d, false);
        let mut scaled_down = false;
        for r in sets.old.clone() {
            if self.replica_sets[r].replicas() != 0 {
                scaled_down |= self.scale_replica_set_and_record_event(d, r, 0);
            }
        }
        if scaled_down || self.old_pods_running(&sets) {
            self.sync_rollout_status(d, &sets);
            return;
        }
        if sets.new.is_none() {
            sets = self.sync_revision(d, true);
        }
        if let Some(new) = sets.new {
            let replicas = self.deployments[d].deployment.spec.replicas();
            self.scale_replica_set_and_record_event(d, new, replicas);
        }
        if self.deployment_complete(d, &self.deployments[d].status.clone()) {
            self.cleanup_deployment(d, &sets.old);
        }
        self.sync_rollout_status(d, &sets);
    }

    /// `oldPodsRunning`: old ReplicaSets still report pods, or own a pod not yet terminal
    /// (a terminating one counts).
    fn old_pods_running(&self, sets: &Sets) -> bool {
        if sets.old.iter().map(|&r| self.replica_sets[r].status.replicas).sum::<i32>() > 0 {
            return true;
        }
        sets.old.iter().flat_map(|&r| self.pods_of_replica_set(r)).any(|p| {
            let phase = self.pods[p].pod.status.phase.as_str();
            phase != "Succeeded" && phase != "Failed"
        })
    }

    /// `isScalingEvent`: an active ReplicaSet's desired-replicas annotation differs from the
    /// Deployment's replicas.
    fn is_scaling_event(&mut self, d: usize) -> bool {
        let sets = self.sync_revision(d, false);
        let replicas = self.deployments[d].deployment.spec.replicas().to_string();
        sets.all().iter().any(|&r| {
            let rs = &self.replica_sets[r];
            rs.replicas() > 0 && rs.rs.metadata.annotations.get(DESIRED_REPLICAS).is_some_and(|v| *v != replicas)
        })
    }

    /// `sync` for a scaling event or a paused Deployment: `scale`, then the status.
    fn sync_scale_only(&mut self, d: usize) {
        let sets = self.sync_revision(d, false);
        self.scale(d, &sets);
        if self.deployments[d].deployment.spec.paused {
            self.cleanup_deployment(d, &sets.old);
        }
        let status = self.calculate_deployment_status(d, &sets);
        self.store_status_if_changed(d, status);
    }

    /// `scale`: the one active (or the newest) ReplicaSet takes the whole count; a saturated new
    /// one leaves the old ones at zero. Proportional scaling of several active ReplicaSets in
    /// the middle of a rolling update is not modelled (see docs/conformance.md): they keep
    /// their sizes until the rollout moves on.
    fn scale(&mut self, d: usize, sets: &Sets) {
        let replicas = self.deployments[d].deployment.spec.replicas();
        if let Some(r) = self.find_active_or_latest(sets) {
            if self.replica_sets[r].replicas() != replicas {
                self.scale_replica_set_and_record_event(d, r, replicas);
            }
            return;
        }
        if sets.new.is_some_and(|r| self.is_saturated(d, r)) {
            for &r in &sets.old {
                if self.replica_sets[r].replicas() > 0 {
                    self.scale_replica_set_and_record_event(d, r, 0);
                }
            }
        }
    }

    /// `FindActiveOrLatest`.
    fn find_active_or_latest(&self, sets: &Sets) -> Option<usize> {
        let active: Vec<usize> = sets.all().into_iter().filter(|&r| self.replica_sets[r].replicas() > 0).collect();
        match active.len() {
            0 => sets.new.or_else(|| sets.old.last().copied()),
            1 => Some(active[0]),
            _ => None,
        }
    }

    /// `IsSaturated`.
    fn is_saturated(&self, d: usize, r: usize) -> bool {
        let replicas = self.deployments[d].deployment.spec.replicas();
        let rs = &self.replica_sets[r];
        rs.rs.metadata.annotations.get(DESIRED_REPLICAS) == Some(&replicas.to_string())
            && rs.replicas() == replicas
            && rs.status.available_replicas == replicas
    }

    /// `cleanupDeployment`: old ReplicaSets beyond revisionHistoryLimit, lowest revision first,
    /// deleted once they have no pods.
    fn cleanup_deployment(&mut self, d: usize, old: &[usize]) {
        let Some(limit) = self.deployments[d].deployment.spec.revision_history_limit else { return };
        let mut cleanable: Vec<usize> = old.iter().copied().filter(|&r| !self.replica_sets[r].removed).collect();
        let diff = cleanable.len() as i32 - limit;
        if diff <= 0 {
            return;
        }
        podplay_k8s_util::sort::sort_by_key(&mut cleanable, |&r| (self.revision_of(r), self.replica_sets[r].rs.metadata.creation));
        for &r in cleanable.iter().take(diff as usize) {
            let rs = &self.replica_sets[r];
            let observed = rs.status.observed_generation >= rs.rs.metadata.generation.unwrap_or(1);
            if rs.status.replicas == 0 && rs.replicas() == 0 && observed {
                self.delete_replica_set(
                    r,
                    "the Deployment controller deleted an old ReplicaSet past revisionHistoryLimit; the garbage collector deletes its pods",
                );
            }
        }
    }

    /// `calculateStatus`.
    fn calculate_deployment_status(&self, d: usize, sets: &Sets) -> DeploymentStatus {
        let all = sets.all();
        let available: i32 = all.iter().map(|&r| self.replica_sets[r].status.available_replicas).sum();
        let total = self.spec_replicas_of(&all);
        let record = &self.deployments[d];
        let mut status = DeploymentStatus {
            observed_generation: record.generation(),
            replicas: all.iter().map(|&r| self.replica_sets[r].status.replicas).sum(),
            updated_replicas: sets.new.map_or(0, |r| self.replica_sets[r].status.replicas),
            ready_replicas: all.iter().map(|&r| self.replica_sets[r].status.ready_replicas).sum(),
            available_replicas: available,
            unavailable_replicas: (total - available).max(0),
            conditions: record.status.conditions.clone(),
            collision_count: record.status.collision_count,
        };
        let replicas = record.deployment.spec.replicas();
        let condition = if available >= replicas - self.max_unavailable(d) {
            ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
        } else {
            ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
        };
        set_condition_in(&mut status, self.now, "Available", condition.0, condition.1, condition.2.into());
        status
    }

    /// `DeploymentComplete`.
    fn deployment_complete(&self, d: usize, status: &DeploymentStatus) -> bool {
        let record = &self.deployments[d];
        let replicas = record.deployment.spec.replicas();
        status.updated_replicas == replicas
            && status.replicas == replicas
            && status.available_replicas == replicas
            && status.observed_generation >= record.generation()
    }

    /// `DeploymentProgressing`: more updated, ready or available pods, or fewer old ones.
    fn deployment_progressing(&self, d: usize, new: &DeploymentStatus) -> bool {
        let old = &self.deployments[d].status;
        new.updated_replicas > old.updated_replicas
            || new.replicas - new.updated_replicas < old.replicas - old.updated_replicas
            || new.ready_replicas > old.ready_replicas
            || new.available_replicas > old.available_replicas
    }

    /// `DeploymentTimedOut`: no progress recorded for progressDeadlineSeconds.
    fn deployment_timed_out(&self, d: usize, status: &DeploymentStatus) -> bool {
        let Some(c) = status.condition("Progressing") else { return false };
        match c.reason.as_str() {
            "NewReplicaSetAvailable" => false,
            "ProgressDeadlineExceeded" => true,
            _ => c.last_update_time / SECOND * SECOND + self.progress_deadline(d) < self.now,
        }
    }

    fn progress_deadline(&self, d: usize) -> Millis {
        self.deployments[d].deployment.spec.progress_deadline_seconds.unwrap_or(600).max(0) as Millis * SECOND
    }

    /// `syncRolloutStatus`: the status, with the Progressing condition estimated.
    fn sync_rollout_status(&mut self, d: usize, sets: &Sets) {
        let mut status = self.calculate_deployment_status(d, sets);
        if !self.has_progress_deadline(d) {
            status.conditions.retain(|c| c.kind != "Progressing");
        }
        let current = self.deployments[d].status.condition("Progressing").cloned();
        let complete = status.replicas == status.updated_replicas && current.as_ref().is_some_and(|c| c.reason == "NewReplicaSetAvailable");
        if self.has_progress_deadline(d) && !complete {
            self.estimate_progress(d, sets, &mut status, current.as_ref());
        }
        if status == self.deployments[d].status {
            self.requeue_stuck_deployment(d, &status);
            return;
        }
        self.store_status(d, status);
    }

    fn estimate_progress(&self, d: usize, sets: &Sets, status: &mut DeploymentStatus, current: Option<&DeploymentCondition>) {
        let name = self.deployments[d].name();
        let subject = |what: &str| match sets.new {
            Some(r) => format!("ReplicaSet {:?} {what}", self.replica_sets[r].name()),
            None => format!("Deployment {name:?} {what}"),
        };
        if self.deployment_complete(d, status) {
            set_condition_in(status, self.now, "Progressing", "True", "NewReplicaSetAvailable", subject("has successfully progressed."));
        } else if self.deployment_progressing(d, status) {
            // Progress refreshes lastUpdateTime even with the same reason (progress.go handles
            // this case itself), keeping the transition time of a condition already True.
            let mut condition = new_condition(self.now, "Progressing", "True", "ReplicaSetUpdated", subject("is progressing."));
            if let Some(c) = current.filter(|c| c.status == "True") {
                condition.last_transition_time = c.last_transition_time;
            }
            status.conditions.retain(|c| c.kind != "Progressing");
            status.conditions.push(condition);
        } else if self.deployment_timed_out(d, status) {
            set_condition_in(status, self.now, "Progressing", "False", "ProgressDeadlineExceeded", subject("has timed out progressing."));
        }
    }

    /// `requeueStuckDeployment`: a rollout without progress is looked at again when its
    /// deadline has passed (a second later, "to avoid milliseconds skew").
    fn requeue_stuck_deployment(&mut self, d: usize, status: &DeploymentStatus) {
        let Some(c) = self.deployments[d].status.condition("Progressing") else { return };
        if !self.has_progress_deadline(d) || self.deployment_complete(d, status) || c.reason == "ProgressDeadlineExceeded" {
            return;
        }
        let deadline = c.last_update_time / SECOND * SECOND + self.progress_deadline(d);
        let after = deadline as i64 - self.now as i64;
        // Under a second away: upstream requeues rate-limited (5 ms, doubling); the check
        // after the deadline is what decides, so it is scheduled just past it.
        let at = if after < SECOND as i64 { deadline + 1 } else { deadline + SECOND };
        self.schedule(at, Task::DeploymentRecheck(d));
    }

    /// `syncDeploymentStatus`: written only when it changed.
    fn store_status_if_changed(&mut self, d: usize, status: DeploymentStatus) {
        if status != self.deployments[d].status {
            self.store_status(d, status);
        }
    }

    fn store_status(&mut self, d: usize, status: DeploymentStatus) {
        let before = self.condition_keys(d);
        self.deployments[d].status = status;
        self.write_deployment_status(d);
        self.record_condition_changes(d, &before);
    }

    /// Each condition's (type, status, reason) now.
    fn condition_keys(&self, d: usize) -> Vec<(String, String, String)> {
        self.deployments[d].status.conditions.iter().map(|c| (c.kind.clone(), c.status.clone(), c.reason.clone())).collect()
    }

    /// A timeline change for each condition that is not as it was in `before`.
    fn record_condition_changes(&mut self, d: usize, before: &[(String, String, String)]) {
        let name = self.deployments[d].name().to_string();
        let changed: Vec<_> = self.deployments[d]
            .status
            .conditions
            .iter()
            .filter(|c| !before.contains(&(c.kind.clone(), c.status.clone(), c.reason.clone())))
            .map(|c| (c.kind.clone(), c.status.clone(), c.reason.clone()))
            .collect();
        for (condition, status, reason) in changed {
            self.record_change(
                format!("deployment/{name}"),
                super::ChangeDetail::DeploymentCondition { condition, status, reason },
                "the Deployment controller's rollout status: Available when enough pods are available (replicas - maxUnavailable), Progressing while the new ReplicaSet gains pods (Unknown when paused or resumed)",
            );
        }
    }

    /// An UpdateStatus of the Deployment (a write watchers see). The controller's own informer
    /// sees it too (`updateDeployment` queues every update), so it syncs once more: a sync
    /// that finds the rollout complete in the stored status is the one that cleans up old
    /// ReplicaSets (`rolloutRolling`), and one that changes nothing writes nothing.
    fn write_deployment_status(&mut self, d: usize) {
        self.deployments[d].deployment.metadata.resource_version = self.bump_object_version();
        self.log_deployment_write(d);
        self.enqueue_deployment(d);
    }

    /// Sets a condition on the stored status (`SetDeploymentCondition`).
    fn set_condition(&mut self, d: usize, kind: &str, status: &str, reason: &str, message: String) {
        let now = self.now;
        set_condition_in(&mut self.deployments[d].status, now, kind, status, reason, message);
    }

    /// `checkPausedConditions`: Progressing Unknown DeploymentPaused / DeploymentResumed.
    fn check_paused_conditions(&mut self, d: usize) {
        if !self.has_progress_deadline(d) {
            return;
        }
        let current = self.deployments[d].status.condition("Progressing").map(|c| c.reason.clone());
        if current.as_deref() == Some("ProgressDeadlineExceeded") {
            return;
        }
        let paused_exists = current.as_deref() == Some("DeploymentPaused");
        let paused = self.deployments[d].deployment.spec.paused;
        let before = self.condition_keys(d);
        if paused && !paused_exists {
            self.set_condition(d, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused".into());
        } else if !paused && paused_exists {
            self.set_condition(d, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed".into());
        } else {
            return;
        }
        self.write_deployment_status(d);
        self.record_condition_changes(d, &before);
    }
}

/// `SetReplicasAnnotations`: desired-replicas and max-replicas; whether either changed.
fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let mut changed = false;
    for (key, value) in [(DESIRED_REPLICAS, desired), (MAX_REPLICAS, max)] {
        let value = value.to_string();
        if rs.metadata.annotations.get(key) != Some(&value) {
            rs.metadata.annotations.insert(key.into(), value);
            changed = true;
        }
    }
    changed
}

/// `NewDeploymentCondition`: both times now.
fn new_condition(now: Millis, kind: &str, status: &str, reason: &str, message: String) -> DeploymentCondition {
    DeploymentCondition {
        kind: kind.into(),
        status: status.into(),
        last_update_time: now,
        last_transition_time: now,
        reason: reason.into(),
        message,
    }
}

/// `SetDeploymentCondition`: nothing when status and reason are the same; a new status moves
/// the transition time; the condition goes to the end of the list.
fn set_condition_in(status: &mut DeploymentStatus, now: Millis, kind: &str, value: &str, reason: &str, message: String) {
    let mut condition = new_condition(now, kind, value, reason, message);
    if let Some(current) = status.condition(kind) {
        if current.status == value && current.reason == reason {
            return;
        }
        if current.status == value {
            condition.last_transition_time = current.last_transition_time;
        }
    }
    status.conditions.retain(|c| c.kind != kind);
    status.conditions.push(condition);
}
