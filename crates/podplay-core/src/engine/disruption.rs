//! The disruption controller (kube-controller-manager `pkg/controller/disruption/
//! disruption.go`): for each PodDisruptionBudget it counts the pods its selector lists, how
//! many are healthy (Ready, not being deleted, not just evicted), how many must be
//! (`minAvailable`, or the pods' controllers' scale less `maxUnavailable`), and writes how many
//! may be disrupted, with the `DisruptionAllowed` condition the eviction subresource reads
//! (`disruption_api.rs`).
//!
//! Informer-driven: a write of a budget, or of a pod it selects, queues a sync in the same
//! millisecond; an eviction not yet seen as a deletion queues a recheck when it would expire
//! (`DeletionTimeout`, 2 minutes).

use std::collections::{BTreeMap, BTreeSet};

use super::disruption_api::{set_status_condition, update_disruption_allowed_condition};
use super::workload_util::scaled_value;
use super::{Engine, Task};
use crate::clock::{Millis, MINUTE};
use crate::model::{LabelSelector, ObjectReference, PodDisruptionBudgetStatus};

/// `DeletionTimeout`: how long an eviction's entry in `disruptedPods` waits for the pod's
/// deletion before the controller counts the pod again.
const DELETION_TIMEOUT: Millis = 2 * MINUTE;

/// The controller's work queue.
#[derive(Debug, Default)]
pub(crate) struct DisruptionControllerState {
    queued: BTreeSet<usize>,
}

/// What a sync computed, before it is compared with the status written.
struct Counts {
    expected: i32,
    desired_healthy: i32,
    current_healthy: i32,
    disrupted_pods: BTreeMap<String, Millis>,
    recheck: Option<Millis>,
}

impl Engine {
    /// Queues budget `b` for a sync now (an informer event).
    pub(crate) fn enqueue_pdb(&mut self, b: usize) {
        if self.pdbs[b].removed || !self.disruption.queued.insert(b) {
            return;
        }
        self.schedule(self.now, Task::DisruptionSync(b));
    }

    /// A pod write reached the informers (`addPod`/`updatePod`/`deletePod`): the first budget
    /// that selects it is queued (`getPdbForPod` chooses "arbitrarily": podplay takes the oldest),
    /// and a pod that several select gets `MultiplePodDisruptionBudgets` (not on its deletion).
    pub(crate) fn note_pod_write_for_pdb(&mut self, p: usize, deleted: bool) {
        if self.pdbs.is_empty() {
            return;
        }
        let pod = &self.pods[p].pod;
        let matching: Vec<usize> = (0..self.pdbs.len()).filter(|&b| !self.pdbs[b].removed && self.pdbs[b].selects(pod)).collect();
        let Some(&first) = matching.first() else { return };
        if matching.len() > 1 && !deleted {
            let message = format!(
                "Pod {:?}/{:?} matches multiple PodDisruptionBudgets.  Chose {:?} arbitrarily.",
                self.pods[p].namespace(),
                self.pods[p].name(),
                self.pdbs[first].name()
            );
            let involved = self.pod_ref(p, None);
            self.emit_event(involved, "controllermanager", "", "Warning", "MultiplePodDisruptionBudgets", message);
        }
        self.enqueue_pdb(first);
    }

    fn pdb_ref(&self, b: usize) -> ObjectReference {
        ObjectReference::to_object("PodDisruptionBudget", "policy/v1", &self.pdbs[b].pdb.metadata)
    }

    fn pdb_event(&mut self, b: usize, kind: &str, reason: &str, message: String) {
        let involved = self.pdb_ref(b);
        self.emit_event(involved, "controllermanager", "", kind, reason, message);
    }

    /// `sync` / `trySync`; a failure writes the fail-safe status (`failSafe`).
    pub(crate) fn sync_pdb(&mut self, b: usize) {
        self.disruption.queued.remove(&b);
        if self.pdbs[b].removed {
            return;
        }
        let pods = self.pods_for_pdb(b);
        if pods.is_empty() {
            self.pdb_event(b, "Normal", "NoPods", "No matching pods found".into());
        }
        let (expected, desired_healthy) = match self.expected_pod_count(b, &pods) {
            Ok(counts) => counts,
            Err(error) => {
                self.pdb_event(
                    b,
                    "Warning",
                    "CalculateExpectedPodCountFailed",
                    format!("Failed to calculate the number of expected pods: {error}"),
                );
                return self.fail_safe(b, error);
            }
        };
        let (disrupted_pods, recheck) = self.build_disrupted_pod_map(b, &pods);
        let current_healthy = self.count_healthy_pods(&pods, &disrupted_pods);
        let counts = Counts { expected, desired_healthy, current_healthy, disrupted_pods, recheck };
        self.update_pdb_status(b, counts);
    }

    /// `getPodsForPdb`: the namespace's pods the selector matches, those being deleted too.
    fn pods_for_pdb(&self, b: usize) -> Vec<usize> {
        let record = &self.pdbs[b];
        (0..self.pods.len()).filter(|&p| !self.pods[p].removed && record.selects(&self.pods[p].pod)).collect()
    }

    /// `getExpectedPodCount`: (expected pods, desired healthy).
    fn expected_pod_count(&mut self, b: usize, pods: &[usize]) -> Result<(i32, i32), String> {
        let spec = self.pdbs[b].pdb.spec.clone();
        if let Some(max_unavailable) = &spec.max_unavailable {
            let expected = self.expected_scale(b, pods)?;
            let max_unavailable = scaled_value(max_unavailable, expected, true)?;
            return Ok((expected, (expected - max_unavailable).max(0)));
        }
        match &spec.min_available {
            Some(crate::model::IntOrString::Int(n)) => Ok((pods.len() as i32, *n as i32)),
            Some(percent) => {
                let expected = self.expected_scale(b, pods)?;
                Ok((expected, scaled_value(percent, expected, true)?))
            }
            // Neither number: nothing is desired, and nothing expected either.
            None => Ok((0, 0)),
        }
    }

    /// `getExpectedScale`: the sum of the scales of the pods' controllers (each counted once);
    /// pods without a controller are left out (with `UnmanagedPods` from 1.27).
    fn expected_scale(&mut self, b: usize, pods: &[usize]) -> Result<i32, String> {
        let mut scales: BTreeMap<String, i32> = BTreeMap::new();
        let mut unmanaged = 0;
        for &p in pods {
            match self.controller_scale(p)? {
                Some((uid, scale)) => {
                    scales.insert(uid, scale);
                }
                None => unmanaged += 1,
            }
        }
        if unmanaged > 0 && self.release.pdb_unmanaged_pods_event {
            let selector = go_label_selector(self.pdbs[b].pdb.spec.selector.as_ref());
            self.pdb_event(b, "Warning", "UnmanagedPods", format!("Pods selected by this PodDisruptionBudget (selector: {selector}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value."));
        }
        Ok(scales.values().sum())
    }

    /// The finders in upstream's order (Deployment, ReplicaSet, StatefulSet, then the scale
    /// subresource): `Ok(None)` for a pod no controller owns, the controller's (uid, scale),
    /// or the error of a controller without a scale subresource or not found.
    fn controller_scale(&self, p: usize) -> Result<Option<(String, i32)>, String> {
        let record = &self.pods[p];
        if let Some(r) = record.owner {
            let rs = &self.replica_sets[r];
            if rs.removed {
                return Err(format!("found no controllers for pod {:?}", record.name()));
            }
            if let Some(d) = rs.owner.filter(|&d| !self.deployments[d].removed) {
                let deployment = &self.deployments[d].deployment;
                return Ok(Some((deployment.metadata.uid.clone(), deployment.spec.replicas())));
            }
            return Ok(Some((rs.rs.metadata.uid.clone(), rs.rs.spec.replicas())));
        }
        if let Some(s) = record.stateful_set {
            let set = &self.stateful_sets[s];
            if set.removed {
                return Err(format!("found no controllers for pod {:?}", record.name()));
            }
            return Ok(Some((set.set.metadata.uid.clone(), set.set.spec.replicas())));
        }
        if record.daemon_set.is_some() {
            return Err("daemonsets.apps does not implement the scale subresource".into());
        }
        if record.job.is_some() {
            return Err("jobs.batch does not implement the scale subresource".into());
        }
        Ok(None)
    }

    /// `buildDisruptedPodMap`: evictions still waiting for their pod's deletion, the time to
    /// look again, and `NotDeleted` for those that waited past the timeout.
    fn build_disrupted_pod_map(&mut self, b: usize, pods: &[usize]) -> (BTreeMap<String, Millis>, Option<Millis>) {
        let disrupted = self.pdbs[b].status.disrupted_pods.clone();
        let mut result = BTreeMap::new();
        let mut recheck: Option<Millis> = None;
        if disrupted.is_empty() {
            return (result, recheck);
        }
        for &p in pods {
            if self.pods[p].pod.metadata.deletion.is_some() {
                continue;
            }
            let Some(&at) = disrupted.get(self.pods[p].name()) else { continue };
            let expected_deletion = at + DELETION_TIMEOUT;
            if expected_deletion < self.now {
                // Upstream names the budget's namespace twice.
                let namespace = self.pdbs[b].namespace().to_string();
                let involved = self.pod_ref(p, None);
                let message = format!("Pod was expected by PDB {namespace}/{namespace} to be deleted but it wasn't");
                self.emit_event(involved, "controllermanager", "", "Warning", "NotDeleted", message);
            } else {
                recheck = Some(recheck.map_or(expected_deletion, |r| r.min(expected_deletion)));
                result.insert(self.pods[p].name().to_string(), at);
            }
        }
        (result, recheck)
    }

    /// `countHealthyPods`: Ready pods not being deleted and not awaiting an eviction.
    fn count_healthy_pods(&self, pods: &[usize], disrupted: &BTreeMap<String, Millis>) -> i32 {
        let now = self.now;
        let awaiting = |name: &str| disrupted.get(name).is_some_and(|&at| at + DELETION_TIMEOUT > now);
        let healthy = pods.iter().filter(|&&p| {
            let pod = &self.pods[p].pod;
            pod.metadata.deletion.is_none() && !awaiting(&pod.metadata.name) && super::daemonset::is_ready(pod)
        });
        healthy.count() as i32
    }

    /// `updatePdbStatus`: a status that would not change is not written (nor is its write seen).
    fn update_pdb_status(&mut self, b: usize, counts: Counts) {
        let allowed = if counts.expected <= 0 { 0 } else { (counts.current_healthy - counts.desired_healthy).max(0) };
        let generation = self.pdbs[b].generation();
        let old = &self.pdbs[b].status;
        let unchanged = old.current_healthy == counts.current_healthy
            && old.desired_healthy == counts.desired_healthy
            && old.expected_pods == counts.expected
            && old.disruptions_allowed == allowed
            && old.disrupted_pods == counts.disrupted_pods
            && old.observed_generation == generation
            && conditions_are_up_to_date(old, generation);
        if !unchanged {
            let mut status = PodDisruptionBudgetStatus {
                observed_generation: generation,
                disrupted_pods: counts.disrupted_pods,
                disruptions_allowed: allowed,
                current_healthy: counts.current_healthy,
                desired_healthy: counts.desired_healthy,
                expected_pods: counts.expected,
                conditions: old.conditions.clone(),
            };
            update_disruption_allowed_condition(&mut status, self.now);
            self.record_pdb_status(b, status);
        }
        if let Some(at) = counts.recheck {
            self.schedule(at, Task::DisruptionRecheck(b));
        }
    }

    /// `failSafe`: no disruption allowed, `DisruptionAllowed=False` (SyncFailed) with the error.
    fn fail_safe(&mut self, b: usize, error: String) {
        let mut status = self.pdbs[b].status.clone();
        status.disruptions_allowed = 0;
        set_status_condition(&mut status, "False", "SyncFailed", error, self.now);
        if status != self.pdbs[b].status {
            self.record_pdb_status(b, status);
        }
    }

    /// Writes a status the controller computed (a write the informer sees, and the timeline).
    fn record_pdb_status(&mut self, b: usize, status: PodDisruptionBudgetStatus) {
        let detail = super::ChangeDetail::DisruptionsAllowed {
            current_healthy: status.current_healthy,
            desired_healthy: status.desired_healthy,
            allowed: status.disruptions_allowed,
        };
        self.pdbs[b].status = status;
        let name = self.pdbs[b].name().to_string();
        self.record_change(
            format!("poddisruptionbudget/{name}"),
            detail,
            "the disruption controller counted the budget's healthy pods against the number it must keep",
        );
        self.note_pdb_write(b);
    }
}

/// `pdbhelper.ConditionsAreUpToDate`.
fn conditions_are_up_to_date(status: &PodDisruptionBudgetStatus, generation: i64) -> bool {
    let Some(c) = status.conditions.iter().find(|c| c.kind == "DisruptionAllowed") else { return false };
    if status.observed_generation != generation {
        return false;
    }
    if status.disruptions_allowed > 0 {
        c.status == "True" && c.reason == "SufficientPods"
    } else {
        c.status == "False" && c.reason == "InsufficientPods"
    }
}

/// A `*metav1.LabelSelector` as `%v` prints it (its generated `String()`).
fn go_label_selector(selector: Option<&LabelSelector>) -> String {
    let Some(s) = selector else { return "nil".into() };
    let labels: String = s.match_labels.iter().map(|(k, v)| format!("{k}: {v},")).collect();
    let expressions: String = s
        .match_expressions
        .iter()
        .map(|r| format!("LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},", r.key, r.operator, r.values.join(" ")))
        .collect();
    format!("&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{expressions}}},}}")
}
