//! Node object deletion and the pod garbage collector (kube-controller-manager
//! `pkg/controller/podgc/gc_controller.go`, same constants in 1.22 and 1.36).
//!
//! Deleting a Node object does not touch its pods: they stay bound (`spec.nodeName`) to a node
//! that no longer exists. PodGC's `gcOrphaned` runs every `gcCheckPeriod` (20 s); the first pass
//! that sees a pod on a missing node puts the node name in a delaying queue for
//! `quarantineTime` (40 s), and a later pass that finds it there and still missing force-deletes
//! (grace 0) every pod bound to it. With `PodDisruptionConditions` (on by default from 1.26) the
//! pod is first patched to phase `Failed` with `DisruptionTarget` / `DeletionByPodGC`.
//!
//! None of this sets `status.reason: NodeLost`, the only thing that makes `kubectl get pods`
//! print STATUS `Unknown` (see the note on `taint_evict` in `controllers.rs`).

use std::collections::{BTreeMap, BTreeSet};

use super::{Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::PodCondition;

/// `gcCheckPeriod`: how often the pod garbage collector lists pods and nodes.
const GC_CHECK_PERIOD: Millis = 20 * SECOND;
/// `quarantineTime`: how long a missing node waits in the delaying queue before PodGC checks
/// with a GET that it is really gone.
const QUARANTINE: Millis = 40 * SECOND;

/// PodGC's state between passes.
#[derive(Debug, Default)]
pub(crate) struct PodGcState {
    /// A pass is queued.
    scheduled: bool,
    /// The `orphaned_pods_nodes` delaying queue: node name → when it becomes ready. A name
    /// added again while waiting keeps its first time (client-go's delaying queue keeps the
    /// earlier ready time).
    quarantine: BTreeMap<String, Millis>,
}

impl Engine {
    /// `kubectl delete node NAME`: the API object goes; pods bound to it stay until PodGC.
    pub(crate) fn delete_node(&mut self, n: usize) {
        if self.nodes[n].removed {
            return;
        }
        self.nodes[n].removed = true;
        let name = self.nodes[n].node.metadata.name.clone();
        let bound = self.nodes[n].bound.iter().filter(|&&p| !self.pods[p].removed).count();
        self.record_change(
            format!("node/{name}"),
            super::ChangeDetail::NodeDeleted,
            format!(
                "deleting a Node removes only the Node object: its {bound} pod(s) stay bound to the missing node until the pod garbage collector deletes them ({}s quarantine, checked every {}s)",
                QUARANTINE / SECOND,
                GC_CHECK_PERIOD / SECOND
            ),
        );
        self.ensure_pod_gc();
        self.note_node_removal();
    }

    fn ensure_pod_gc(&mut self) {
        if !self.pod_gc.scheduled {
            self.pod_gc.scheduled = true;
            // The controller's loop has been running since the cluster started: passes fall on
            // multiples of the period, and one at this very moment has already listed.
            let next = (self.now / GC_CHECK_PERIOD + 1) * GC_CHECK_PERIOD;
            self.schedule(next, Task::PodGc);
        }
    }

    /// One `gc` pass, orphan part (`gcOrphaned` + `discoverDeletedNodes`). The terminated-pod
    /// threshold (12500) and out-of-service parts never apply to a playground's pods.
    pub(crate) fn pod_gc(&mut self) {
        self.pod_gc.scheduled = false;
        let existing: BTreeSet<String> =
            podplay_k8s_util::sort::btree_set(self.nodes.iter().filter(|r| !r.removed).map(|r| r.node.metadata.name.clone()));
        let now = self.now;
        for rec in self.pods.iter().filter(|r| !r.removed) {
            if let Some(node) = rec.pod.spec.node_name.as_deref().filter(|n| !n.is_empty() && !existing.contains(*n)) {
                self.pod_gc.quarantine.entry(node.to_string()).or_insert(now + QUARANTINE);
            }
        }
        let ready: Vec<String> = self.pod_gc.quarantine.iter().filter(|(_, at)| **at <= now).map(|(n, _)| n.clone()).collect();
        let mut deleted_nodes = BTreeSet::new();
        for name in ready {
            self.pod_gc.quarantine.remove(&name);
            if !existing.contains(&name) {
                deleted_nodes.insert(name);
            }
        }
        for p in 0..self.pods.len() {
            let rec = &self.pods[p];
            if rec.removed || !rec.pod.spec.node_name.as_deref().is_some_and(|n| deleted_nodes.contains(n)) {
                continue;
            }
            self.delete_orphaned_pod(p);
        }
        let orphans_left =
            self.pods.iter().any(|r| !r.removed && r.pod.spec.node_name.as_deref().is_some_and(|n| !n.is_empty() && !existing.contains(n)));
        if !self.pod_gc.quarantine.is_empty() || orphans_left {
            self.ensure_pod_gc();
        }
    }

    /// markFailedAndDeletePodWithCondition, then a delete with grace period 0.
    fn delete_orphaned_pod(&mut self, p: usize) {
        let node = self.pods[p].pod.spec.node_name.clone().unwrap_or_default();
        let name = self.pods[p].name().to_string();
        let phase = self.pods[p].pod.status.phase.clone();
        if self.release.pod_disruption_conditions && phase != "Succeeded" && phase != "Failed" {
            let now = self.now;
            self.pods[p].status_inputs = None;
            let status = &mut self.pods[p].pod.status;
            status.phase = "Failed".into();
            // apipod.UpdatePodCondition: a condition already True keeps its transition time.
            match status.conditions.iter_mut().find(|c| c.kind == "DisruptionTarget") {
                Some(c) => {
                    if c.status != "True" {
                        c.last_transition_time = now;
                    }
                    c.status = "True".into();
                    c.reason = Some("DeletionByPodGC".into());
                    c.message = Some("PodGC: node no longer exists".into());
                }
                None => status.conditions.push(PodCondition {
                    kind: "DisruptionTarget".into(),
                    status: "True".into(),
                    last_probe_time: None,
                    last_transition_time: now,
                    reason: Some("DeletionByPodGC".into()),
                    message: Some("PodGC: node no longer exists".into()),
                }),
            }
            self.pods[p].terminal = true;
            self.bump_resource_version(p);
            self.record_change(
                format!("pod/{name}"),
                super::ChangeDetail::PodFailed { condition: "DisruptionTarget".into(), reason: "DeletionByPodGC".into() },
                format!("the pod garbage collector marks a pod on deleted node {node} Failed before deleting it (PodDisruptionConditions, on by default from 1.26)"),
            );
        }
        self.delete_pod_because(
            p,
            Some(0),
            true,
            &format!(
                "the pod garbage collector force-deleted it (grace period 0): node {node} no longer exists and stayed missing through the {}s quarantine; it never shows STATUS Unknown (no current release sets reason NodeLost)",
                QUARANTINE / SECOND
            ),
        );
    }

    /// The node lifecycle controller's next monitor pass notices deleted nodes.
    pub(crate) fn note_node_removal(&mut self) {
        self.ensure_node_monitor();
    }

    /// monitorNodeHealth's `deleted` list: a `RemovingNode` event for each node gone since
    /// the last pass (`Node %s event: %s`, `Removing Node %v from Controller`).
    pub(crate) fn report_removed_nodes(&mut self) {
        for n in 0..self.nodes.len() {
            if !self.nodes[n].removed || self.nodes[n].removal_seen {
                continue;
            }
            self.nodes[n].removal_seen = true;
            let name = self.nodes[n].node.metadata.name.clone();
            self.emit_event(
                self.node_ref(n),
                "node-controller",
                "",
                "Normal",
                "RemovingNode",
                format!("Node {name} event: Removing Node {name} from Controller"),
            );
        }
    }
}
