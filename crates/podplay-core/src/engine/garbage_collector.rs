//! The garbage collector's side of a delete (kube-controller-manager
//! `pkg/controller/garbagecollector/garbagecollector.go`, the API server's
//! `pkg/registry/generic/registry/store.go` deletion of an owner), for the workloads and what
//! they own (a Deployment's ReplicaSets, a CronJob's Jobs, the pods of a ReplicaSet, Job,
//! StatefulSet or DaemonSet), by the propagation policy the client asked for (`kubectl delete --cascade`):
//!
//! * **background** (kubectl's default): the owner goes now; the collector then deletes its
//!   dependents, pods with their own grace period.
//! * **foreground**: the API server gives the owner a `deletionTimestamp` and the
//!   `foregroundDeletion` finalizer and keeps it; the collector deletes its dependents (one with
//!   dependents of its own, a Deployment's ReplicaSet or a CronJob's Job, in the foreground too:
//!   `attemptToDeleteItem`'s "waiting for dependents" case) and removes the owner once the last
//!   of them is gone. Its controller meanwhile only reports (`syncStatusOnly`, `rsNeedsSync &&
//!   DeletionTimestamp == nil`): it makes no new pods.
//! * **orphan**: the collector removes the owner's reference from each dependent
//!   (`orphanDependents`), then the owner goes; the dependents stay and run on, owned by none
//!   (a ReplicaSet orphaned from its Deployment still keeps its own pods).

use super::ops::Propagation;
use super::Engine;
use crate::model::ObjectMeta;

/// The finalizer the API server puts on an owner deleted in the foreground.
const FOREGROUND_DELETION: &str = "foregroundDeletion";

/// A workload that owns ReplicaSets, Jobs or pods, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Deployment(usize),
    CronJob(usize),
    ReplicaSet(usize),
    Job(usize),
    StatefulSet(usize),
    DaemonSet(usize),
}

/// Whether an object's `ownerReferences` name a controller (`metav1.GetControllerOf`).
pub(crate) fn has_controller_ref(meta: &ObjectMeta) -> bool {
    let Some(serde_yaml::Value::Sequence(refs)) = meta.owner_references.as_deref() else { return false };
    refs.iter().any(|r| r.get("controller").and_then(serde_yaml::Value::as_bool) == Some(true))
}

impl Owner {
    fn kind(self) -> &'static str {
        match self {
            Owner::Deployment(_) => "Deployment",
            Owner::CronJob(_) => "CronJob",
            Owner::ReplicaSet(_) => "ReplicaSet",
            Owner::Job(_) => "Job",
            Owner::StatefulSet(_) => "StatefulSet",
            Owner::DaemonSet(_) => "DaemonSet",
        }
    }
}

impl Engine {
    /// Deletes `owner` with `propagation`.
    pub(crate) fn delete_owner(&mut self, owner: Owner, propagation: Propagation) {
        match propagation {
            Propagation::Background => {
                self.remove_owner(owner, "deleted: the garbage collector deletes what it owned (background propagation)")
            }
            Propagation::Orphan => {
                self.orphan_dependents(owner);
                self.remove_owner(owner, "deleted with --cascade=orphan: what it owned stays, owned by none");
            }
            Propagation::Foreground => self.delete_in_foreground(owner),
        }
    }

    /// The owner's API object goes (and with background propagation what it still owns).
    fn remove_owner(&mut self, owner: Owner, cause: &'static str) {
        match owner {
            Owner::Deployment(d) => self.delete_deployment(d, cause),
            Owner::CronJob(c) => self.delete_cron_job(c, cause),
            Owner::ReplicaSet(r) => self.delete_replica_set(r, cause),
            Owner::Job(j) => self.delete_job(j, cause),
            Owner::StatefulSet(s) => self.delete_stateful_set(s, cause),
            Owner::DaemonSet(s) => self.delete_daemon_set(s, cause),
        }
    }

    /// The Deployment goes; the collector deletes the ReplicaSets it still owns (and they their
    /// pods).
    pub(crate) fn delete_deployment(&mut self, d: usize, cause: &'static str) {
        self.deployments[d].removed = true;
        self.bump_object_version();
        self.log_deployment_write(d);
        let name = self.deployments[d].name().to_string();
        self.record_change(format!("deployment/{name}"), super::ChangeDetail::DeploymentDeleted, cause);
        for r in self.dependent_replica_sets(d) {
            self.delete_replica_set(r, "the garbage collector deleted the ReplicaSet: its Deployment is gone");
        }
    }

    fn dependent_replica_sets(&self, d: usize) -> Vec<usize> {
        self.deployments[d]
            .replica_sets
            .iter()
            .copied()
            .filter(|&r| !self.replica_sets[r].removed && self.replica_sets[r].owner == Some(d))
            .collect()
    }

    /// The pods `owner` still owns that exist (a Deployment or CronJob owns none directly).
    fn dependent_pods(&self, owner: Owner) -> Vec<usize> {
        let live = |pods: Vec<usize>| pods.into_iter().filter(|&p| !self.pods[p].removed).collect();
        match owner {
            Owner::Deployment(_) | Owner::CronJob(_) => Vec::new(),
            Owner::ReplicaSet(r) => self.pods_of_replica_set(r),
            Owner::Job(j) => live(self.pods_of_job(j)),
            Owner::StatefulSet(s) => self.pods_of_stateful_set(s),
            Owner::DaemonSet(s) => self.pods_of_daemon_set(s),
        }
    }

    fn owner_meta_mut(&mut self, owner: Owner) -> &mut ObjectMeta {
        match owner {
            Owner::Deployment(d) => &mut self.deployments[d].deployment.metadata,
            Owner::CronJob(c) => &mut self.cron_jobs[c].cron_job.metadata,
            Owner::ReplicaSet(r) => &mut self.replica_sets[r].rs.metadata,
            Owner::Job(j) => &mut self.jobs[j].job.metadata,
            Owner::StatefulSet(s) => &mut self.stateful_sets[s].set.metadata,
            Owner::DaemonSet(s) => &mut self.daemon_sets[s].set.metadata,
        }
    }

    /// `kind/name` of the owner, as the timeline names objects.
    fn owner_object(&mut self, owner: Owner) -> String {
        format!("{}/{}", owner.kind().to_lowercase(), self.owner_meta_mut(owner).name)
    }

    /// `orphanDependents`: each dependent loses its owner reference to `owner` (a write of it).
    fn orphan_dependents(&mut self, owner: Owner) {
        let object = self.owner_object(owner);
        if let Owner::Deployment(d) = owner {
            for r in self.dependent_replica_sets(d) {
                self.replica_sets[r].owner = None;
                self.replica_sets[r].rs.metadata.owner_references = None;
                self.replica_sets[r].rs.metadata.resource_version = self.bump_object_version();
                self.record_orphaned(format!("replicaset/{}", self.replica_sets[r].name()), &object);
            }
            return;
        }
        if let Owner::CronJob(c) = owner {
            for j in self.jobs_of_cron_job(c) {
                self.jobs[j].cron_job = None;
                self.jobs[j].job.metadata.owner_references = None;
                self.jobs[j].job.metadata.resource_version = self.bump_object_version();
                self.record_orphaned(format!("job/{}", self.jobs[j].name()), &object);
            }
            return;
        }
        for p in self.dependent_pods(owner) {
            let rec = &mut self.pods[p];
            match owner {
                Owner::ReplicaSet(_) => rec.owner = None,
                Owner::Job(_) => rec.job = None,
                Owner::StatefulSet(_) => rec.stateful_set = None,
                Owner::DaemonSet(_) => rec.daemon_set = None,
                Owner::Deployment(_) | Owner::CronJob(_) => {}
            }
            rec.pod.metadata.owner_references = None;
            self.uncontrolled_pods.insert(p);
            self.bump_resource_version(p);
            self.record_orphaned(format!("pod/{}", self.pods[p].name()), &object);
        }
    }

    fn record_orphaned(&mut self, dependent: String, owner: &str) {
        let detail = super::ChangeDetail::Orphaned { owner: owner.to_string() };
        self.record_change(dependent, detail, "the garbage collector removed its owner reference (--cascade=orphan)");
    }

    /// Foreground deletion: the owner stays, marked, while the collector deletes its
    /// dependents; it goes once they are (at once if it has none).
    fn delete_in_foreground(&mut self, owner: Owner) {
        let now = self.now;
        let meta = self.owner_meta_mut(owner);
        if meta.deletion.is_some() {
            return;
        }
        meta.deletion = Some(now);
        meta.deletion_grace_period_seconds = Some(0);
        meta.finalizers.get_or_insert_with(Vec::new).push(FOREGROUND_DELETION.into());
        let version = self.bump_object_version();
        self.owner_meta_mut(owner).resource_version = version;
        let object = self.owner_object(owner);
        self.record_change(
            object,
            super::ChangeDetail::ForegroundDeletion,
            "deleted with --cascade=foreground: the API server keeps it (foregroundDeletion finalizer) until the garbage collector has deleted what it owns",
        );
        match owner {
            Owner::Deployment(d) => {
                self.enqueue_deployment(d);
                for r in self.dependent_replica_sets(d) {
                    self.delete_in_foreground(Owner::ReplicaSet(r));
                }
            }
            Owner::CronJob(c) => {
                for j in self.jobs_of_cron_job(c) {
                    self.delete_in_foreground(Owner::Job(j));
                }
            }
            Owner::ReplicaSet(r) => {
                self.enqueue_replica_set(r);
                let pods = self.dependent_pods(owner);
                self.collect_owned_pods(pods, owner.kind());
            }
            Owner::Job(_) | Owner::StatefulSet(_) | Owner::DaemonSet(_) => {
                let pods = self.dependent_pods(owner);
                self.collect_owned_pods(pods, owner.kind());
            }
        }
        self.finish_foreground_deletion(owner);
    }

    /// The owner being deleted in the foreground goes once nothing it owns is left.
    fn finish_foreground_deletion(&mut self, owner: Owner) {
        let meta = self.owner_meta_mut(owner);
        let waiting = meta.finalizers.as_ref().is_some_and(|f| f.iter().any(|f| f == FOREGROUND_DELETION));
        if !waiting {
            return;
        }
        let left = match owner {
            Owner::Deployment(d) => !self.dependent_replica_sets(d).is_empty(),
            Owner::CronJob(c) => !self.jobs_of_cron_job(c).is_empty(),
            _ => !self.dependent_pods(owner).is_empty(),
        };
        if left {
            return;
        }
        if let Some(f) = self.owner_meta_mut(owner).finalizers.as_mut() {
            f.retain(|f| f != FOREGROUND_DELETION);
        }
        self.remove_owner(owner, "the garbage collector removed the foregroundDeletion finalizer: everything it owned is gone");
        // The owner's own owner may have waited for it.
        match owner {
            Owner::ReplicaSet(r) => {
                if let Some(d) = self.replica_sets[r].owner {
                    self.finish_foreground_deletion(Owner::Deployment(d));
                }
            }
            Owner::Job(j) => {
                if let Some(c) = self.jobs[j].cron_job {
                    self.finish_foreground_deletion(Owner::CronJob(c));
                }
            }
            _ => {}
        }
    }

    /// A pod's API object is gone: an owner waiting for it in a foreground deletion may go.
    pub(crate) fn note_dependent_removed(&mut self, p: usize) {
        let rec = &self.pods[p];
        let owner = match (rec.owner, rec.job, rec.stateful_set, rec.daemon_set) {
            (Some(r), ..) => Owner::ReplicaSet(r),
            (_, Some(j), ..) => Owner::Job(j),
            (_, _, Some(s), _) => Owner::StatefulSet(s),
            (_, _, _, Some(s)) => Owner::DaemonSet(s),
            _ => return,
        };
        if self.owner_meta_mut(owner).deletion.is_some() {
            self.finish_foreground_deletion(owner);
        }
    }
}
