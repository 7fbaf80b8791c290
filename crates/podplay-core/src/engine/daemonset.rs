//! The DaemonSet controller (kube-controller-manager `pkg/controller/daemon/daemon_controller.go`,
//! `update.go`, `util/daemonset_util.go`).
//!
//! Informer-driven like the ReplicaSet controller: a write of the set or of one of its pods
//! queues it, and so does a node added or changed (`addNode`, `updateNode`; a deleted node is
//! noticed when the pod garbage collector deletes the pods bound to it). A sync (`syncDaemonSet`)
//! maps the set's pods to the node each is for (its `spec.nodeName`, else the node its
//! `matchFields metadata.name` pin names), asks for every node whether a daemon pod should run
//! there and whether one may keep running (`NodeShouldRunDaemonPod`: the template's nodeName,
//! nodeSelector and required node affinity, and the node's taints against the template's
//! tolerations plus the ones the controller adds), creates the missing pods and deletes the
//! ones that must go (`manage`, `syncNodes`); when that changed nothing it takes a step of the
//! rolling update (`rollingUpdate`); then it writes its status (`updateDaemonSetStatus`).
//!
//! Where upstream walks a Go map (the nodes' pods in `rollingUpdate`) or the node lister (whose
//! order is the cache's), podplay walks the nodes in the order they were added: a cluster may
//! pick another node first.

use std::collections::BTreeSet;

use podplay_k8s_util::backoff::Backoff;

use super::daemonset_api::TEMPLATE_GENERATION_ANNOTATION;
use super::replicaset::controller_ref;
use super::scheduler::{required_node_affinity_matches, tolerates};
use super::workload_util::{compute_hash, scaled_value};
use super::{Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::pod::{Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Toleration};
use crate::model::{DaemonSet, DaemonSetStatus, Node, ObjectReference, Pod, PodSpec};

/// `apps.DefaultDaemonSetUniqueLabelKey` (= `ControllerRevisionHashLabelKey`).
pub(crate) const HASH_LABEL: &str = "controller-revision-hash";
/// `extensions.DaemonSetTemplateGenerationKey`.
pub(crate) const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
/// `burstReplicas` as kube-controller-manager passes it to the DaemonSet controller.
const BURST_REPLICAS: usize = 250;

/// A DaemonSet as the API server holds it, with the status its controller wrote.
#[derive(Debug, Clone)]
pub struct DaemonSetRecord {
    pub set: DaemonSet,
    pub status: DaemonSetStatus,
    pub removed: bool,
}

impl DaemonSetRecord {
    pub(crate) fn new(set: DaemonSet) -> Self {
        DaemonSetRecord { set, status: DaemonSetStatus::default(), removed: false }
    }
    pub fn name(&self) -> &str {
        &self.set.metadata.name
    }
    pub fn generation(&self) -> i64 {
        self.set.metadata.generation.unwrap_or(1)
    }
    /// `util.GetTemplateGeneration`: the annotation's number, if it parses.
    fn template_generation(&self) -> Option<i64> {
        self.set.metadata.annotations.get(TEMPLATE_GENERATION_ANNOTATION).and_then(|g| g.parse().ok())
    }
}

/// The controller's work queue and its `failedPodsBackoff` (1 s doubling to 15 min, per
/// set, observed generation and node).
#[derive(Debug)]
pub(crate) struct DaemonSetControllerState {
    queued: BTreeSet<usize>,
    failed_pods_backoff: Backoff,
}

impl Default for DaemonSetControllerState {
    fn default() -> Self {
        DaemonSetControllerState { queued: BTreeSet::new(), failed_pods_backoff: Backoff::new(SECOND as i64, 15 * 60 * SECOND as i64) }
    }
}

/// The set's pods grouped by the node each is for, in the order of the cluster's nodes (then
/// pods for nodes that do not exist).
type NodePods = Vec<(String, Vec<usize>)>;

/// `util.AddOrUpdateDaemonPodTolerations`: tolerations every daemon pod gets, so that node
/// problems neither evict it nor keep it off a node (`AddOrUpdateTolerationInPodSpec`: one
/// that matches an existing toleration's key, operator, value and effect replaces it).
pub(crate) fn add_daemon_pod_tolerations(spec: &mut PodSpec) {
    let mut wanted = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if spec.host_network.as_deref().and_then(serde_yaml::Value::as_bool) == Some(true) {
        wanted.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    for (key, effect) in wanted {
        let toleration = Toleration {
            key: Some(key.into()),
            operator: Some("Exists".into()),
            value: None,
            effect: Some(effect.into()),
            toleration_seconds: None,
        };
        let same = |t: &Toleration| {
            t.key.as_deref().unwrap_or("") == key
                && t.operator.as_deref().unwrap_or("") == "Exists"
                && t.value.as_deref().unwrap_or("").is_empty()
                && t.effect.as_deref().unwrap_or("") == effect
        };
        match spec.tolerations.iter_mut().find(|t| same(t)) {
            Some(existing) => *existing = toleration,
            None => spec.tolerations.push(toleration),
        }
    }
}

/// `util.ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node affinity becomes the one
/// term `matchFields metadata.name In [node]` (other affinity is kept).
fn pin_to_node(affinity: &mut Option<Affinity>, node: &str) {
    let selector = NodeSelector {
        node_selector_terms: vec![NodeSelectorTerm {
            match_expressions: Vec::new(),
            match_fields: vec![NodeSelectorRequirement { key: "metadata.name".into(), operator: "In".into(), values: vec![node.into()] }],
        }],
    };
    let affinity = affinity.get_or_insert_with(Affinity::default);
    let node_affinity = affinity.node_affinity.get_or_insert_with(NodeAffinity::default);
    node_affinity.required_during_scheduling_ignored_during_execution = Some(selector);
}

/// `util.GetTargetNodeName`: the pod's node, or for a pod not yet bound the node its
/// `matchFields metadata.name In [node]` names.
fn target_node(pod: &Pod) -> Option<&str> {
    if let Some(n) = pod.spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        return Some(n);
    }
    let terms = &pod
        .spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    terms
        .iter()
        .flat_map(|t| t.match_fields.iter())
        .find(|r| r.key == "metadata.name" && r.operator == "In")
        .filter(|r| r.values.len() == 1)
        .map(|r| r.values[0].as_str())
}

/// `NodeShouldRunDaemonPod`: (shouldRun, shouldContinueRunning) for a daemon pod of `set` on
/// `node`: the template's nodeName, nodeSelector and required node affinity must fit; an
/// untolerated NoSchedule or NoExecute taint keeps a new pod off, and only an untolerated
/// NoExecute one makes a running pod go.
pub(crate) fn node_should_run(set: &DaemonSet, node: &Node) -> (bool, bool) {
    let mut spec = set.spec.template.spec.clone();
    if spec.node_name.as_deref().is_some_and(|n| !n.is_empty() && n != node.metadata.name) {
        return (false, false);
    }
    spec.node_name = Some(node.metadata.name.clone());
    add_daemon_pod_tolerations(&mut spec);
    if !required_node_affinity_matches(&spec, node) {
        return (false, false);
    }
    let untolerated =
        |effects: &[&str]| node.spec.taints.iter().any(|t| effects.contains(&t.effect.as_str()) && !tolerates(&spec.tolerations, t));
    if untolerated(&["NoSchedule", "NoExecute"]) {
        return (false, !untolerated(&["NoExecute"]));
    }
    (true, true)
}

/// `podutil.IsPodReady`.
pub(crate) fn is_ready(pod: &Pod) -> bool {
    pod.status.condition("Ready").is_some_and(|c| c.status == "True")
}

impl Engine {
    /// Queues DaemonSet `s` for a sync now (an informer event).
    pub(crate) fn enqueue_daemon_set(&mut self, s: usize) {
        if self.daemon_sets[s].removed || !self.ds_controller.queued.insert(s) {
            return;
        }
        self.schedule(self.now, Task::DaemonSetSync(s));
    }

    /// A pod write reached the informers: its DaemonSet is queued.
    pub(crate) fn note_pod_write_for_daemon_set(&mut self, p: usize) {
        if let Some(s) = self.pods[p].daemon_set {
            self.enqueue_daemon_set(s);
        }
    }

    /// A node was added or its labels or taints changed (`addNode`, `updateNode`): every
    /// DaemonSet whose answer for it may have changed is queued (podplay queues them all; a
    /// sync that finds nothing to do changes nothing).
    pub(crate) fn note_node_write_for_daemon_sets(&mut self) {
        for s in 0..self.daemon_sets.len() {
            self.enqueue_daemon_set(s);
        }
    }

    pub(crate) fn daemon_set_ref(&self, s: usize) -> ObjectReference {
        let meta = &self.daemon_sets[s].set.metadata;
        ObjectReference::to_object("DaemonSet", "apps/v1", meta)
    }

    /// The pods DaemonSet `s` controls whose API object exists.
    pub(crate) fn pods_of_daemon_set(&self, s: usize) -> Vec<usize> {
        (0..self.pods.len()).filter(|&p| self.pods[p].daemon_set == Some(s) && !self.pods[p].removed).collect()
    }

    /// `getNodesToDaemonPods`: the set's pods by the node each is for.
    fn nodes_to_daemon_pods(&self, s: usize) -> NodePods {
        let mut out: NodePods = Vec::new();
        for p in self.pods_of_daemon_set(s) {
            let Some(node) = target_node(&self.pods[p].pod) else { continue };
            match out.iter_mut().find(|(n, _)| n == node) {
                Some((_, pods)) => pods.push(p),
                None => out.push((node.to_string(), vec![p])),
            }
        }
        let rank = |name: &str| self.nodes.iter().position(|n| !n.removed && n.node.metadata.name == name).unwrap_or(usize::MAX);
        podplay_k8s_util::sort::sort_by_key(&mut out, |(name, _)| rank(name));
        out
    }

    /// The nodes in the lister: those whose object exists, by index.
    fn listed_nodes(&self) -> Vec<usize> {
        (0..self.nodes.len()).filter(|&n| !self.nodes[n].removed).collect()
    }

    /// `podByCreationTimestampAndPhase`: bound pods first, then the oldest, then by name.
    fn sort_by_creation(&self, pods: &mut [usize]) {
        podplay_k8s_util::sort::sort_by(pods, |&a, &b| {
            let (a, b) = (&self.pods[a].pod, &self.pods[b].pod);
            let bound = |p: &Pod| p.spec.node_name.as_deref().is_some_and(|n| !n.is_empty());
            bound(b)
                .cmp(&bound(a))
                .then((a.metadata.creation / SECOND).cmp(&(b.metadata.creation / SECOND)))
                .then(a.metadata.name.cmp(&b.metadata.name))
        });
    }

    /// `util.IsPodUpdated`: the pod's hash label is the current hash, or its template
    /// generation label is the set's.
    fn is_pod_updated(&self, s: usize, p: usize, hash: &str) -> bool {
        let labels = &self.pods[p].pod.metadata.labels;
        let generation = self.daemon_sets[s].template_generation();
        labels.get(HASH_LABEL).is_some_and(|h| h == hash)
            || generation.is_some_and(|g| labels.get(TEMPLATE_GENERATION_LABEL).is_some_and(|l| *l == g.to_string()))
    }

    /// `podutil.IsPodAvailable` with the set's minReadySeconds (the informer's time is whole
    /// seconds; `Before` is strict).
    fn is_daemon_pod_available(&self, s: usize, p: usize) -> bool {
        let pod = &self.pods[p].pod;
        let min_ready = self.daemon_sets[s].set.spec.min_ready_seconds.max(0) as Millis * SECOND;
        match pod.status.condition("Ready").filter(|c| c.status == "True") {
            None => false,
            Some(c) => min_ready == 0 || c.last_transition_time / SECOND * SECOND + min_ready < self.now,
        }
    }

    /// `syncDaemonSet`: manage, then (when manage changed nothing: its expectations are
    /// met) a step of the rolling update, then the status.
    pub(crate) fn sync_daemon_set(&mut self, s: usize) {
        self.ds_controller.queued.remove(&s);
        // (One being deleted in the foreground is left to the garbage collector.)
        if self.daemon_sets[s].removed || self.daemon_sets[s].set.metadata.deletion.is_some() {
            return;
        }
        let hash = self.daemon_set_hash(s);
        let changed = self.manage_daemon_set(s, &hash);
        if !changed && self.daemon_sets[s].set.spec.is_rolling_update() {
            self.rolling_update_daemon_set(s, &hash);
        }
        self.update_daemon_set_status(s, &hash);
    }

    /// The current revision's hash (`controller.ComputeHash` of the template). Upstream hashes
    /// Go's dump of the template with the collision count; podplay hashes its JSON: the same
    /// alphabet and length, not the value a cluster prints.
    fn daemon_set_hash(&self, s: usize) -> String {
        let template = &self.daemon_sets[s].set.spec.template;
        compute_hash(&super::workload_util::template_hash_input(template), None)
    }

    /// `manage` and `podsShouldBeOnNode`: whether it created or deleted any pod.
    fn manage_daemon_set(&mut self, s: usize, hash: &str) -> bool {
        let node_pods = self.nodes_to_daemon_pods(s);
        let surge = self.daemon_set_surge(s, 1) > 0;
        let mut create: Vec<String> = Vec::new();
        let mut delete: Vec<usize> = Vec::new();
        let listed = self.listed_nodes();
        for &n in &listed {
            let node_name = self.nodes[n].node.metadata.name.clone();
            let (should_run, should_continue) = node_should_run(&self.daemon_sets[s].set, &self.nodes[n].node);
            let pods = node_pods.iter().find(|(name, _)| *name == node_name).map(|(_, pods)| pods.clone());
            match pods {
                None if should_run => create.push(node_name),
                Some(pods) if should_continue => {
                    let mut running = Vec::new();
                    for p in pods {
                        if self.pods[p].deleting() {
                            continue;
                        }
                        match self.pods[p].pod.status.phase.as_str() {
                            "Failed" => {
                                if let Some(p) = self.failed_daemon_pod(s, p, &node_name) {
                                    delete.push(p);
                                }
                            }
                            "Succeeded" => {
                                let pod = &self.pods[p].pod;
                                let message = format!(
                                    "Found succeeded daemon pod {}/{} on node {node_name}, will try to delete it",
                                    pod.metadata.namespace(),
                                    pod.metadata.name
                                );
                                self.daemon_set_event(s, "Normal", "SucceededDaemonPod", message);
                                delete.push(p);
                            }
                            _ => running.push(p),
                        }
                    }
                    if running.len() <= 1 {
                        if running.is_empty() && surge && should_run {
                            create.push(node_name);
                        }
                        continue;
                    }
                    self.sort_by_creation(&mut running);
                    if !surge {
                        // More than one running pod: all but the oldest go.
                        delete.extend_from_slice(&running[1..]);
                        continue;
                    }
                    // Surging: keep the oldest new pod and the oldest old one; the old one goes
                    // once it is not ready or the new one is available.
                    let (mut oldest_new, mut oldest_old) = (None, None);
                    for &p in &running {
                        let slot = if self.is_pod_updated(s, p, hash) { &mut oldest_new } else { &mut oldest_old };
                        if slot.is_none() {
                            *slot = Some(p);
                        } else {
                            delete.push(p);
                        }
                    }
                    if let (Some(new), Some(old)) = (oldest_new, oldest_old) {
                        if !is_ready(&self.pods[old].pod) || self.is_daemon_pod_available(s, new) {
                            delete.push(old);
                        }
                    }
                }
                Some(pods) if !should_continue => delete.extend(pods.into_iter().filter(|&p| !self.pods[p].deleting())),
                _ => {}
            }
        }
        // getUnscheduledPodsWithoutNode: pods still pinned to a node that no longer exists.
        for (node, pods) in &node_pods {
            if !listed.iter().any(|&n| self.nodes[n].node.metadata.name == *node) {
                delete.extend(pods.iter().copied().filter(|&p| self.pods[p].pod.spec.node_name.as_deref().unwrap_or("").is_empty()));
            }
        }
        self.sync_daemon_nodes(s, &delete, &create, hash)
    }

    /// A failed daemon pod is deleted (and created again) unless its node's back-off since the
    /// last such delete still runs; then the set is queued for when it ends.
    fn failed_daemon_pod(&mut self, s: usize, p: usize, node: &str) -> Option<usize> {
        let record = &self.daemon_sets[s];
        let key = format!("{}/{}/{node}", record.set.metadata.uid, record.status.observed_generation);
        let now = self.now as i64;
        let backoff = &mut self.ds_controller.failed_pods_backoff;
        if backoff.is_in_back_off_since_update(&key, now) {
            let delay = backoff.get(&key);
            self.schedule(self.now + delay as Millis, Task::DaemonSetRecheck(s));
            return None;
        }
        backoff.next(&key, now, now);
        let pod = &self.pods[p].pod;
        let message =
            format!("Found failed daemon pod {}/{} on node {node}, will try to kill it", pod.metadata.namespace(), pod.metadata.name);
        self.daemon_set_event(s, "Warning", "FailedDaemonPod", message);
        Some(p)
    }

    /// `syncNodes`: creates a pod for each node (slow-start batches of 1, 2, 4, ...: every
    /// create succeeds here, so the batches show only in the order), then deletes; at most
    /// `burstReplicas` of each a sync.
    fn sync_daemon_nodes(&mut self, s: usize, delete: &[usize], create: &[String], hash: &str) -> bool {
        for node in create.iter().take(BURST_REPLICAS) {
            self.create_daemon_pod(s, node, hash);
        }
        for &p in delete.iter().take(BURST_REPLICAS) {
            self.delete_daemon_pod(s, p);
        }
        !create.is_empty() || !delete.is_empty()
    }

    /// `util.CreatePodTemplate` (the daemon tolerations, the template generation and hash
    /// labels), the node pin, and `CreatePods` (`GetPodFromTemplate`: generateName `<set>-`,
    /// the set as controller).
    fn create_daemon_pod(&mut self, s: usize, node: &str, hash: &str) {
        let record = &self.daemon_sets[s];
        let set = &record.set;
        let template = &set.spec.template;
        let mut pod = Pod { api_version: "v1".into(), kind: "Pod".into(), spec: template.spec.clone(), ..Default::default() };
        add_daemon_pod_tolerations(&mut pod.spec);
        pin_to_node(&mut pod.spec.affinity, node);
        pod.metadata.labels = template.metadata.labels.clone();
        if let Some(generation) = record.template_generation() {
            pod.metadata.labels.insert(TEMPLATE_GENERATION_LABEL.into(), generation.to_string());
        }
        pod.metadata.labels.insert(HASH_LABEL.into(), hash.to_string());
        pod.metadata.annotations = template.metadata.annotations.clone();
        let namespace = set.metadata.namespace().to_string();
        pod.metadata.namespace = Some(namespace.clone());
        pod.metadata.generate_name = Some(format!("{}-", set.metadata.name));
        pod.metadata.owner_references = Some(controller_ref("DaemonSet", &set.metadata.name, &set.metadata.uid));
        let prefix = format!("{}-", set.metadata.name);
        pod.metadata.name = self.generated_name(&prefix, namespace);
        let name = pod.metadata.name.clone();
        match self.add_pod(pod) {
            Ok(()) => {
                let p = self.pods.len() - 1;
                self.pods[p].daemon_set = Some(s);
                self.daemon_set_event(s, "Normal", "SuccessfulCreate", format!("Created pod: {name}"));
            }
            Err(e) => {
                let message = format!("Error creating: {}", super::ops::op_error_text(&e));
                self.daemon_set_event(s, "Warning", "FailedCreate", message);
            }
        }
    }

    /// `DeletePod`: a graceful delete and `SuccessfulDelete`.
    fn delete_daemon_pod(&mut self, s: usize, p: usize) {
        if self.pods[p].deleting() || self.pods[p].removed {
            return;
        }
        let name = self.pods[p].name().to_string();
        self.delete_pod(p, None, false);
        self.record_change(
            format!("pod/{name}"),
            super::ChangeDetail::PodTerminating { evicted: false },
            "the DaemonSet controller deleted the pod: its node may not run it any more, it failed, or the rolling update replaces it",
        );
        self.daemon_set_event(s, "Normal", "SuccessfulDelete", format!("Deleted pod: {name}"));
    }

    /// An event of the `daemonset-controller` about the set.
    fn daemon_set_event(&mut self, s: usize, kind: &str, reason: &str, message: String) {
        let involved = self.daemon_set_ref(s);
        self.emit_event(involved, "daemonset-controller", "", kind, reason, message);
    }

    /// `util.SurgeCount`: maxSurge scaled to `total` (rounded up), 0 unless RollingUpdate.
    fn daemon_set_surge(&self, s: usize, total: i32) -> i32 {
        let spec = &self.daemon_sets[s].set.spec;
        let value = spec.update_strategy.rolling_update.as_ref().and_then(|r| r.max_surge.as_ref()).filter(|_| spec.is_rolling_update());
        value.and_then(|v| scaled_value(v, total, true).ok()).unwrap_or(0)
    }

    /// `util.UnavailableCount`: maxUnavailable scaled to `total` (rounded up), 0 unless
    /// RollingUpdate.
    fn daemon_set_unavailable(&self, s: usize, total: i32) -> i32 {
        let spec = &self.daemon_sets[s].set.spec;
        let value =
            spec.update_strategy.rolling_update.as_ref().and_then(|r| r.max_unavailable.as_ref()).filter(|_| spec.is_rolling_update());
        value.and_then(|v| scaled_value(v, total, true).ok()).unwrap_or(0)
    }

    /// `rollingUpdate` (`update.go`): without surge, delete old pods (the unavailable ones
    /// always, available ones while fewer than maxUnavailable nodes are unavailable) and let the
    /// next sync create their replacements; with surge, create a new pod beside old ones (up to
    /// maxSurge) and delete each old pod once its new one is available.
    fn rolling_update_daemon_set(&mut self, s: usize, hash: &str) {
        let mut node_pods = self.nodes_to_daemon_pods(s);
        // updatedDesiredNodeCounts
        let mut desired = 0;
        let listed = self.listed_nodes();
        for (i, &n) in listed.iter().enumerate() {
            if node_should_run(&self.daemon_sets[s].set, &self.nodes[n].node).0 {
                desired += 1;
                let name = &self.nodes[n].node.metadata.name;
                if !node_pods.iter().any(|(node, _)| node == name) {
                    node_pods.insert(i.min(node_pods.len()), (name.clone(), Vec::new()));
                }
            }
        }
        let max_surge = self.daemon_set_surge(s, desired);
        let mut max_unavailable = self.daemon_set_unavailable(s, desired);
        if desired > 0 && max_unavailable == 0 && max_surge == 0 {
            max_unavailable = 1;
        }
        if max_surge == 0 {
            let mut num_unavailable = 0;
            let mut allowed = Vec::new();
            let mut candidates = Vec::new();
            for (_, pods) in &node_pods {
                let Some((new, old)) = self.updated_pods_on_node(s, pods, hash) else {
                    num_unavailable += 1;
                    continue;
                };
                match (new, old) {
                    (None, None) | (Some(_), Some(_)) => num_unavailable += 1,
                    (Some(new), None) => num_unavailable += i32::from(!self.is_daemon_pod_available(s, new)),
                    (None, Some(old)) if !self.is_daemon_pod_available(s, old) => {
                        allowed.push(old);
                        num_unavailable += 1;
                    }
                    (None, Some(_)) if num_unavailable >= max_unavailable => {}
                    (None, Some(old)) => candidates.push(old),
                }
            }
            let remaining = (max_unavailable - num_unavailable).max(0).min(candidates.len() as i32) as usize;
            allowed.extend_from_slice(&candidates[..remaining]);
            self.sync_daemon_nodes(s, &allowed, &[], hash);
            return;
        }
        let mut old_to_delete = Vec::new();
        let mut should_not_run = Vec::new();
        let mut allowed_new = Vec::new();
        let mut candidate_new = Vec::new();
        let (mut num_surge, mut num_available) = (0, 0);
        for (node, pods) in &node_pods {
            let Some((new, old)) = self.updated_pods_on_node(s, pods, hash) else {
                num_surge += 1;
                continue;
            };
            if let Some(p) = old.or(new) {
                num_available += i32::from(self.is_daemon_pod_available(s, p));
            }
            let should_run = || {
                let n = self.nodes.iter().find(|n| !n.removed && n.node.metadata.name == *node);
                n.is_some_and(|n| node_should_run(&self.daemon_sets[s].set, &n.node).0)
            };
            match (new, old) {
                (_, None) => {}
                (None, Some(old)) if !self.is_daemon_pod_available(s, old) => {
                    if should_run() {
                        allowed_new.push(node.clone());
                    } else {
                        old_to_delete.push(old);
                    }
                }
                (None, Some(old)) => {
                    if !should_run() {
                        should_not_run.push(old);
                    } else if num_surge < max_surge {
                        candidate_new.push(node.clone());
                    }
                }
                (Some(new), Some(old)) => {
                    if self.is_daemon_pod_available(s, new) {
                        old_to_delete.push(old);
                    } else {
                        num_surge += 1;
                    }
                }
            }
        }
        let deletable = (num_available - desired).max(0).min(should_not_run.len() as i32) as usize;
        old_to_delete.extend_from_slice(&should_not_run[..deletable]);
        let remaining = (max_surge - num_surge).max(0).min(candidate_new.len() as i32) as usize;
        allowed_new.extend_from_slice(&candidate_new[..remaining]);
        self.sync_daemon_nodes(s, &old_to_delete, &allowed_new, hash);
    }

    /// `findUpdatedPodsOnNode`: the node's one new and one old pod not being deleted, or
    /// `None` when it has more of either (manage prunes them first).
    fn updated_pods_on_node(&self, s: usize, pods: &[usize], hash: &str) -> Option<(Option<usize>, Option<usize>)> {
        let (mut new, mut old) = (None, None);
        for &p in pods {
            if self.pods[p].deleting() {
                continue;
            }
            let slot = if self.is_pod_updated(s, p, hash) { &mut new } else { &mut old };
            if slot.is_some() {
                return None;
            }
            *slot = Some(p);
        }
        Some((new, old))
    }

    /// `updateDaemonSetStatus`: per node that should run a daemon pod, whether one is there,
    /// and whether the oldest is ready, available and of the current template; pods on nodes
    /// that should not run one are misscheduled. A ready pod not yet available queues the set
    /// for when it will be (`AddAfter`).
    fn update_daemon_set_status(&mut self, s: usize, hash: &str) {
        let node_pods = self.nodes_to_daemon_pods(s);
        let mut status = DaemonSetStatus { observed_generation: self.daemon_sets[s].generation(), ..Default::default() };
        let min_ready = self.daemon_sets[s].set.spec.min_ready_seconds.max(0) as Millis * SECOND;
        let mut wake: Option<Millis> = None;
        for n in self.listed_nodes() {
            let node = &self.nodes[n].node;
            let (should_run, _) = node_should_run(&self.daemon_sets[s].set, node);
            let pods = node_pods.iter().find(|(name, _)| *name == node.metadata.name).map(|(_, pods)| pods.clone());
            match pods {
                Some(mut pods) if should_run && !pods.is_empty() => {
                    status.desired_number_scheduled += 1;
                    status.current_number_scheduled += 1;
                    self.sort_by_creation(&mut pods);
                    let p = pods[0];
                    if let Some(ready) = self.pods[p].pod.status.condition("Ready").filter(|c| c.status == "True") {
                        status.number_ready += 1;
                        if self.is_daemon_pod_available(s, p) {
                            status.number_available += 1;
                        } else {
                            // updatePod's `AddAfter(minReadySeconds + 1s)` when the pod turned ready.
                            let at = ready.last_transition_time + min_ready + SECOND;
                            wake = Some(wake.map_or(at, |w: Millis| w.min(at)));
                        }
                    }
                    status.updated_number_scheduled += i32::from(self.is_pod_updated(s, p, hash));
                }
                _ if should_run => status.desired_number_scheduled += 1,
                Some(pods) if !pods.is_empty() => status.number_misscheduled += 1,
                _ => {}
            }
        }
        status.number_unavailable = status.desired_number_scheduled - status.number_available;
        if min_ready > 0 && status.number_ready != status.number_available {
            let at = self.now + min_ready;
            wake = Some(wake.map_or(at, |w: Millis| w.min(at)));
        }
        if let Some(at) = wake {
            self.schedule(at.max(self.now + 1), Task::DaemonSetRecheck(s));
        }
        if self.daemon_sets[s].status != status {
            self.daemon_sets[s].status = status;
            self.daemon_sets[s].set.metadata.resource_version = self.bump_object_version();
        }
    }
}
