//! The kubelet's eviction manager (`pkg/kubelet/eviction/eviction_manager.go`, `helpers.go`),
//! for the node's disk, and the pod volume statistics it reads
//! (`pkg/kubelet/server/stats/fs_resource_analyzer.go`, `volume_stat_calculator.go`).
//!
//! Every `monitoringInterval` (10 s) the manager synchronizes: it reads the node's and the pods'
//! statistics, works out which thresholds are met, and acts.
//!
//! * **Local storage limits** (`LocalStorageCapacityIsolation`, on by default in every release
//!   podplay reproduces: GA in 1.25, beta and on since 1.10): a pod whose `emptyDir` holds more
//!   than its `sizeLimit`, whose ephemeral storage (its containers' writable layers and logs,
//!   its disk `emptyDir`s) exceeds the sum of its containers' `ephemeral-storage` limits, or a
//!   container whose writable layer and logs exceed its own limit, is evicted — checked in that
//!   order, first violation wins. Grace period 1 s (`immediateEvictionGracePeriodSeconds`), so
//!   the kill's minimum of 2 s applies. No `DisruptionTarget` condition.
//! * **Node pressure**: the default hard thresholds `nodefs.available<10%` and
//!   `imagefs.available<15%` (with no separate image filesystem both are the node's disk, so 15 %
//!   is met first). A threshold met puts `DiskPressure` on the node (kept until
//!   `evictionPressureTransitionPeriod`, 5 m, after it was last met), which the node lifecycle
//!   controller turns into the `node.kubernetes.io/disk-pressure:NoSchedule` taint; the manager
//!   records `EvictionThresholdMet` on the node and evicts one pod a pass, ranked as
//!   `rankDiskPressureFunc` ranks them (pods using more than they request first, then lower
//!   priority, then the largest use above request), with the `DisruptionTarget` condition where
//!   the release has `PodDisruptionConditions`.
//!
//! After an eviction the manager waits for the pod to be cleaned up (polled every second, at most
//! 30 s) and synchronizes again at once; otherwise it sleeps 10 s.
//!
//! The stats: a container's writable layer and logs are read when the manager asks; an
//! `emptyDir`'s use is what the pod's volume stat calculator last measured (`du`): it measures
//! when the resource analyzer (a pass a minute) first sees the pod, then every minute plus up to
//! a minute of jitter (`volumeStatsAggPeriod`, jitter factor 1). So a volume that fills is seen
//! a minute or two late, as on a node.
//!
//! Not modelled: memory and PID pressure, inodes, soft thresholds, the node-level reclaim that
//! comes before evicting (deleting dead containers and unused images: podplay does not count
//! images on the disk), critical pods, rejecting new pods at admission while under pressure.

use podplay_k8s_util::quantity::{canonical, Format};
use podplay_k8s_util::rand::SplitMix64;

use super::objects::ContainerKey;
use super::{ChangeDetail, Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::{PodCondition, Quantity};

/// `evictionMonitoringPeriod`: the manager synchronizes every 10 s.
const MONITORING_INTERVAL: Millis = 10 * SECOND;
/// When in its 10 s the first synchronize of a node's manager falls (the kubelet started before
/// the scenario; podplay's choice).
const MONITORING_PHASE: Millis = 6_300;
/// `podCleanupPollFreq` and `podCleanupTimeout`.
const CLEANUP_POLL: Millis = SECOND;
/// How long after an eviction the pod is cleaned up (podplay's estimate: the kill's 2 s and a
/// housekeeping pass).
const CLEANUP_DONE: Millis = 3 * SECOND;
const CLEANUP_TIMEOUT: Millis = 30 * SECOND;
/// `nodeStatusUpdateFrequency`: the kubelet posts the node's conditions every 10 s.
const NODE_STATUS_UPDATE: Millis = 10 * SECOND;
/// `evictionPressureTransitionPeriod` default.
const PRESSURE_TRANSITION: Millis = 5 * 60 * SECOND;
/// `immediateEvictionGracePeriodSeconds`.
const IMMEDIATE_GRACE: i64 = 1;
/// `volumeStatsAggPeriod` default: the resource analyzer's period, and each calculator's
/// (jittered by up to as much again).
const VOLUME_STATS_PERIOD: Millis = 60 * SECOND;
/// When in its minute the resource analyzer's pass falls (podplay's choice).
const VOLUME_STATS_PHASE: Millis = 41_700;

/// The default hard disk thresholds (`DefaultEvictionHard`, `pkg/kubelet/eviction/defaults_linux.go`):
/// (signal, percentage of capacity). The percentage is Go's float32.
const DISK_THRESHOLDS: [(&str, f32); 2] = [("imagefs.available", 0.15), ("nodefs.available", 0.10)];

/// The eviction manager's state, per node, and the pods' volume stat calculators.
pub(crate) struct EvictionState {
    nodes: Vec<NodeEviction>,
    /// Pod → the volume use its calculator last measured (name, bytes); a pod has a calculator
    /// from the resource analyzer's first pass that saw it.
    volume_stats: rustc_hash::FxHashMap<usize, Vec<(String, u64)>>,
    /// Jitter of the calculators (apart from the engine's, so other draws stay as they were).
    rng: SplitMix64,
}

impl EvictionState {
    pub(crate) fn new(seed: u64) -> EvictionState {
        EvictionState { nodes: Vec::new(), volume_stats: Default::default(), rng: SplitMix64::new(seed ^ 0x7ff5_ca1c) }
    }
}

#[derive(Default, Clone)]
struct NodeEviction {
    /// A synchronize is queued. On a node where nothing can be evicted (no pod with a local
    /// storage limit, no program filling a file, the disk far from its thresholds, no pressure)
    /// the manager's passes change nothing: podplay stops queueing them until that changes, so
    /// that they do not cut a busy loop's bulk runs into 10 s pieces.
    watching: bool,
    /// When in its 10 s the manager's passes fall.
    phase: Millis,
    /// The resource analyzer's pass is queued (while the node has a pod with a disk emptyDir).
    analyzing: bool,
    /// `nodeConditionsLastObservedAt` for DiskPressure.
    pressure_observed: Option<Millis>,
    /// The condition as the kubelet reports it.
    pressure: bool,
}

/// The first moment at or after `now` that is `phase` into a `period`.
fn next_point(now: Millis, phase: Millis, period: Millis) -> Millis {
    if now <= phase {
        return phase;
    }
    (now - phase).div_ceil(period) * period + phase
}

/// Why a pod is evicted, as the message says it.
struct Violation {
    message: String,
    /// The spec field whose limit was exceeded (for the timeline).
    field: String,
    value: String,
}

/// A pod's storage use as the manager reads it (bytes).
struct PodUsage {
    /// (container key, name, writable layer + logs)
    containers: Vec<(ContainerKey, String, u64)>,
    /// Disk emptyDirs by name (the calculator's last measure).
    volumes: Vec<(String, u64)>,
}

impl PodUsage {
    fn total(&self) -> u64 {
        self.containers.iter().map(|c| c.2).sum::<u64>() + self.volumes.iter().map(|v| v.1).sum::<u64>()
    }
}

impl Engine {
    /// A new node's kubelet starts its eviction manager: its first pass looks at the node.
    pub(crate) fn start_eviction_manager(&mut self, n: usize) {
        if self.eviction.nodes.len() <= n {
            self.eviction.nodes.resize(n + 1, NodeEviction { phase: MONITORING_PHASE, ..Default::default() });
        }
        self.watch_node(n);
    }

    /// Queues node `n`'s next synchronize (at its next 10 s point) if none is.
    fn watch_node(&mut self, n: usize) {
        let e = &mut self.eviction.nodes[n];
        if e.watching {
            return;
        }
        e.watching = true;
        let next = next_point(self.now, e.phase, MONITORING_INTERVAL);
        self.schedule(next, Task::Eviction(n));
    }

    /// A pod admitted on its node: the manager watches a pod with a local storage limit, and
    /// the resource analyzer a pod with a disk emptyDir.
    pub(crate) fn watch_pod_storage(&mut self, p: usize) {
        let Some(n) = self.pods[p].node else { return };
        if self.has_local_limit(p) {
            self.watch_node(n);
        }
        if self.has_disk_empty_dir(p) && !self.eviction.nodes[n].analyzing {
            self.eviction.nodes[n].analyzing = true;
            let next = next_point(self.now, VOLUME_STATS_PHASE, VOLUME_STATS_PERIOD);
            self.schedule(next, Task::VolumeAnalyzer(n));
        }
    }

    /// The runtime saw a program start filling a file: its node's manager looks again.
    pub(crate) fn take_disk_activity(&mut self) {
        for n in self.cri.take_disk_activity() {
            if n < self.eviction.nodes.len() && !self.nodes[n].removed {
                self.watch_node(n);
            }
        }
    }

    fn has_disk_empty_dir(&self, p: usize) -> bool {
        self.pods[p].pod.spec.volumes.iter().any(|v| v.empty_dir.as_ref().is_some_and(|e| e.medium.as_deref() != Some("Memory")))
    }

    /// An emptyDir `sizeLimit` on the disk, or an `ephemeral-storage` limit.
    fn has_local_limit(&self, p: usize) -> bool {
        let spec = &self.pods[p].pod.spec;
        spec.volumes.iter().any(|v| v.empty_dir.as_ref().is_some_and(|e| e.medium.as_deref() != Some("Memory") && e.size_limit.is_some()))
            || spec
                .containers
                .iter()
                .chain(&spec.init_containers)
                .any(|c| c.resources.as_ref().is_some_and(|r| r.limits.contains_key("ephemeral-storage")))
    }

    /// The resource analyzer's pass: a calculator for each pod of the node that has none (only
    /// pods with a disk emptyDir: the others' volumes hold nothing the manager counts).
    pub(crate) fn volume_analyzer(&mut self, n: usize) {
        let wanted = self.nodes[n].bound.iter().any(|&p| !self.pods[p].removed && self.has_disk_empty_dir(p));
        if self.nodes[n].removed || !wanted {
            self.eviction.nodes[n].analyzing = false;
            return;
        }
        self.schedule(self.now + VOLUME_STATS_PERIOD, Task::VolumeAnalyzer(n));
        if !self.nodes[n].connected {
            return;
        }
        for p in self.nodes[n].bound.clone() {
            let rec = &self.pods[p];
            if rec.removed || rec.sandbox.is_none() || self.eviction.volume_stats.contains_key(&p) {
                continue;
            }
            if !rec.pod.spec.volumes.iter().any(|v| v.empty_dir.as_ref().is_some_and(|e| e.medium.as_deref() != Some("Memory"))) {
                continue;
            }
            // StartOnce: the first measure at once, then every period and up to as much again.
            self.eviction.volume_stats.insert(p, Vec::new());
            self.volume_stats(p);
        }
    }

    /// A pod's volume stat calculator measures its volumes (`calcAndStoreStats`).
    pub(crate) fn volume_stats(&mut self, p: usize) {
        if self.pods[p].removed || !self.eviction.volume_stats.contains_key(&p) {
            self.eviction.volume_stats.remove(&p);
            return;
        }
        if let Some(sb) = self.pods[p].sandbox {
            let storage = self.cri.pod_storage(self.now, sb);
            self.eviction.volume_stats.insert(p, storage.volumes);
        }
        let wait = podplay_k8s_util::rand::jitter(VOLUME_STATS_PERIOD as i64, 1.0, &mut self.eviction.rng) as Millis;
        self.schedule(self.now + wait, Task::VolumeStats(p));
    }

    /// The pods the manager may evict (`GetActivePods`): admitted to the node, not terminal, not
    /// being deleted.
    fn active_pods(&self, n: usize) -> Vec<usize> {
        self.nodes[n]
            .bound
            .iter()
            .copied()
            .filter(|&p| {
                let r = &self.pods[p];
                r.admitted && !r.removed && !r.terminal && !r.deleting() && r.sandbox.is_some()
            })
            .collect()
    }

    /// The pod's stats: each container's writable layer and logs (its newest instance), its
    /// disk emptyDirs as last measured.
    fn pod_usage(&mut self, p: usize) -> Option<PodUsage> {
        let sb = self.pods[p].sandbox?;
        let storage = self.cri.pod_storage(self.now, sb);
        let rec = &self.pods[p];
        let mut containers = Vec::new();
        for key in rec.keys() {
            let Some(inst) = rec.record(key).current() else { continue };
            if let Some((_, rootfs, logs)) = storage.containers.iter().find(|c| c.0 == inst.handle) {
                containers.push((key, rec.spec_container(key).name.clone(), rootfs + logs));
            }
        }
        let disk_volumes: Vec<&str> = rec
            .pod
            .spec
            .volumes
            .iter()
            .filter(|v| v.empty_dir.as_ref().is_some_and(|e| e.medium.as_deref() != Some("Memory")))
            .map(|v| v.name.as_str())
            .collect();
        let volumes = self
            .eviction
            .volume_stats
            .get(&p)
            .map(|v| v.iter().filter(|(name, _)| disk_volumes.contains(&name.as_str())).cloned().collect())
            .unwrap_or_default();
        Some(PodUsage { containers, volumes })
    }

    /// `emptyDirLimitEviction`, `podEphemeralStorageLimitEviction`,
    /// `containerEphemeralStorageLimitEviction`, in that order.
    fn local_storage_violation(&self, p: usize, usage: &PodUsage) -> Option<Violation> {
        let spec = &self.pods[p].pod.spec;
        for (i, v) in spec.volumes.iter().enumerate() {
            let Some(e) = &v.empty_dir else { continue };
            let Some(size) = e.size_limit.as_ref().filter(|q| q.milli > 0) else { continue };
            let Some((_, used)) = self.eviction.volume_stats.get(&p).and_then(|s| s.iter().find(|(n, _)| *n == v.name)) else {
                continue;
            };
            if (*used as i128) * 1000 > size.milli {
                return Some(Violation {
                    message: format!(
                        "Usage of EmptyDir volume {} exceeds the limit {}. ",
                        podplay_k8s_util::gofmt::quote(&v.name),
                        podplay_k8s_util::gofmt::quote(&size.canonical())
                    ),
                    field: format!("spec.volumes[{i}].emptyDir.sizeLimit"),
                    value: size.text.clone(),
                });
            }
        }
        let limit = |c: &crate::model::Container| {
            c.resources.as_ref().and_then(|r| r.limits.get("ephemeral-storage")).filter(|q| q.milli != 0).cloned()
        };
        // PodLimits: the sum over the app containers (or the largest init container's, if
        // larger), in the first one's format.
        let app: Vec<Quantity> = spec.containers.iter().filter_map(limit).collect();
        let init_max = spec.init_containers.iter().filter_map(limit).max_by_key(|q| q.milli);
        let sum: i128 = app.iter().map(|q| q.milli).sum();
        let pod_limit = match (app.first(), init_max) {
            (Some(first), Some(init)) if init.milli > sum => Some((init.milli, Format::of_text(&first.text))),
            (Some(first), _) => Some((sum, Format::of_text(&first.text))),
            (None, Some(init)) => Some((init.milli, Format::of_text(&init.text))),
            (None, None) => None,
        };
        if let Some((milli, format)) = pod_limit {
            if (usage.total() as i128) * 1000 > milli {
                return Some(Violation {
                    message: format!(
                        "Pod ephemeral local storage usage exceeds the total limit of containers {}. ",
                        canonical(milli, format)
                    ),
                    field: "spec.containers[*].resources.limits.ephemeral-storage".into(),
                    value: canonical(milli, format),
                });
            }
        }
        for (key, name, used) in &usage.containers {
            if key.init {
                continue;
            }
            let Some(l) = limit(&spec.containers[key.index]) else { continue };
            if (*used as i128) * 1000 > l.milli {
                return Some(Violation {
                    message: format!(
                        "Container {name} exceeded its local ephemeral storage limit {}. ",
                        podplay_k8s_util::gofmt::quote(&l.canonical())
                    ),
                    field: format!("spec.containers[{}].resources.limits.ephemeral-storage", key.index),
                    value: l.text.clone(),
                });
            }
        }
        None
    }

    /// One `synchronize` of node `n`'s eviction manager.
    pub(crate) fn eviction_pass(&mut self, n: usize) {
        self.eviction.nodes[n].watching = false;
        if self.nodes[n].removed {
            return;
        }
        if !self.nodes[n].connected {
            self.eviction.nodes[n].watching = true;
            self.schedule(self.now + MONITORING_INTERVAL, Task::Eviction(n));
            return;
        }
        let observed = self.cri.node_disk(self.now, n);
        // Thresholds met (hard: no grace period); their quantities.
        let mut met: Vec<(&str, u64)> = Vec::new();
        let mut available = 0;
        let mut near = false;
        if let Some(disk) = observed {
            let capacity = disk.capacity;
            available = capacity.saturating_sub(disk.used);
            // Within a GiB of a threshold: writes a pass does not see coming could cross it.
            let highest = DISK_THRESHOLDS.iter().map(|(_, f)| (capacity as f64 * *f as f64) as u64).max().unwrap_or(0);
            near = disk.file_writers > 0 || available < highest.saturating_add(1 << 30);
            for (signal, fraction) in DISK_THRESHOLDS {
                // GetThresholdQuantity: int64(float64(capacity) * float64(percentage)).
                let quantity = (capacity as f64 * fraction as f64) as u64;
                if available < quantity {
                    met.push((signal, quantity));
                }
            }
        }
        if !met.is_empty() {
            self.eviction.nodes[n].pressure_observed = Some(self.now);
        }
        let pressure = self.eviction.nodes[n].pressure_observed.is_some_and(|t| self.now - t < PRESSURE_TRANSITION);
        if pressure != self.eviction.nodes[n].pressure {
            // The kubelet reports it with its next node status update (every 10 s).
            self.eviction.nodes[n].pressure = pressure;
            let next = (self.now / NODE_STATUS_UPDATE + 1) * NODE_STATUS_UPDATE;
            self.schedule(next, Task::NodeStatusUpdate(n));
        }
        let mut evicted = Vec::new();
        for p in self.active_pods(n) {
            let Some(usage) = self.pod_usage(p) else { continue };
            if let Some(v) = self.local_storage_violation(p, &usage) {
                let field = super::why::field(v.field, v.value);
                self.kubelet_evict(p, IMMEDIATE_GRACE, v.message, false, vec![field]);
                evicted.push(p);
            }
        }
        if evicted.is_empty() && !met.is_empty() {
            if let Some(p) = self.node_pressure_eviction(n, &met, available) {
                evicted.push(p);
            }
        }
        let next = if evicted.is_empty() {
            self.now + MONITORING_INTERVAL
        } else {
            // waitForPodsCleanup: the next synchronize once the pods are cleaned up (their
            // containers killed, 2 s at least, and the kubelet's housekeeping, 2 s passes, done
            // with them: podplay counts 3 s), polled every second.
            let polls = CLEANUP_DONE.div_ceil(CLEANUP_POLL) * CLEANUP_POLL;
            self.now + polls.min(CLEANUP_TIMEOUT)
        };
        self.eviction.nodes[n].phase = next % MONITORING_INTERVAL;
        let limited = self.active_pods(n).into_iter().any(|p| self.has_local_limit(p));
        let pending = self.eviction.nodes[n].pressure || self.nodes[n].disk_pressure;
        if !evicted.is_empty() || limited || near || pending {
            self.eviction.nodes[n].watching = true;
            self.schedule(next, Task::Eviction(n));
        }
    }

    /// Node pressure: `EvictionThresholdMet`, then the first pod of the ranking is evicted.
    fn node_pressure_eviction(&mut self, n: usize, met: &[(&str, u64)], available: u64) -> Option<usize> {
        let node_name = self.nodes[n].node.metadata.name.clone();
        self.emit_event(
            self.node_ref(n),
            "kubelet",
            &node_name,
            "Warning",
            "EvictionThresholdMet",
            "Attempting to reclaim ephemeral-storage".into(),
        );
        // rankDiskPressureFunc over the active pods: exceeding requests first, then lower
        // priority, then the larger use above the request (stable: the kubelet's order of pods).
        let mut ranked: Vec<(usize, bool, i32, i128, PodUsage)> = Vec::new();
        for p in self.active_pods(n) {
            let Some(usage) = self.pod_usage(p) else { continue };
            let request = self.pod_request_ephemeral(p);
            let used = usage.total() as i128 * 1000;
            ranked.push((p, used > request, self.pods[p].pod.spec.priority.unwrap_or(0), used - request, usage));
        }
        podplay_k8s_util::sort::sort_by(&mut ranked, |a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(b.3.cmp(&a.3)));
        // getThresholdMetInfo: the first threshold met for the resource (imagefs's 15 % is met
        // first; when both are, Go's map order decides on a node: podplay takes imagefs).
        let (_, quantity) = met[0];
        // "we kill at most a single pod during each eviction interval" (critical pods, which
        // evictPod refuses, are not modelled).
        let (p, _, _, _, usage) = ranked.into_iter().next()?;
        let mut message = "The node was low on resource: ephemeral-storage. ".to_string();
        if self.release.eviction_message_threshold {
            message.push_str(&format!(
                "Threshold quantity: {}, available: {}. ",
                canonical(quantity as i128 * 1000, Format::BinarySI),
                canonical(available as i128 * 1000, Format::BinarySI)
            ));
        }
        // evictionMessage: each app container using more than it requests (writable layer and
        // logs: the volumes are not a container's).
        for c in &self.pods[p].pod.spec.containers {
            let Some((_, _, used)) = usage.containers.iter().find(|u| !u.0.init && u.1 == c.name) else { continue };
            let request = c.resources.as_ref().and_then(|r| r.requests.get("ephemeral-storage"));
            if (*used as i128) * 1000 > request.map_or(0, |q| q.milli) {
                let usage_text = canonical(*used as i128 * 1000, Format::BinarySI);
                let request_text = request.map_or_else(|| "0".to_string(), |q| q.canonical());
                if self.release.eviction_message_larger_consumption {
                    message.push_str(&format!(
                        "Container {} was using {usage_text}, request is {request_text}, has larger consumption of ephemeral-storage. ",
                        c.name
                    ));
                } else {
                    message
                        .push_str(&format!("Container {} was using {usage_text}, which exceeds its request of {request_text}. ", c.name));
                }
            }
        }
        let condition = self.release.pod_disruption_conditions;
        let fields = vec![super::why::field("spec.nodeName".into(), node_name)];
        self.kubelet_evict(p, IMMEDIATE_GRACE, message, condition, fields);
        Some(p)
    }

    /// The pod's ephemeral-storage request (`GetResourceRequestQuantity`), in milli-units.
    fn pod_request_ephemeral(&self, p: usize) -> i128 {
        let spec = &self.pods[p].pod.spec;
        let req =
            |c: &crate::model::Container| c.resources.as_ref().and_then(|r| r.requests.get("ephemeral-storage")).map_or(0, |q| q.milli);
        let app: i128 = spec.containers.iter().map(req).sum();
        let init = spec.init_containers.iter().map(req).max().unwrap_or(0);
        app.max(init)
    }

    /// `evictPod`: the `Evicted` event, the status (phase Failed, reason Evicted, the message,
    /// `DisruptionTarget` for node pressure where the release has it), and every container
    /// killed with the grace period override (at least the kubelet's 2 s).
    fn kubelet_evict(&mut self, p: usize, grace: i64, message: String, disruption: bool, fields: Vec<super::ChangeField>) {
        let node = self.pods[p].node.map(|n| self.nodes[n].node.metadata.name.clone()).unwrap_or_default();
        let involved = self.pod_ref(p, None);
        self.emit_event_with(involved, "kubelet", &node, "Warning", "Evicted", message.clone(), fields.clone());
        self.unsteady_pod(p);
        let now = self.now;
        let old_phase = self.pods[p].pod.status.phase.clone();
        self.pods[p].status_inputs = None;
        let status = &mut self.pods[p].pod.status;
        status.phase = "Failed".into();
        status.reason = Some("Evicted".into());
        status.message = Some(message.clone());
        if disruption {
            // apipod.UpdatePodCondition: a condition already True keeps its transition time.
            match status.conditions.iter_mut().find(|c| c.kind == "DisruptionTarget") {
                Some(c) => {
                    if c.status != "True" {
                        c.last_transition_time = now;
                    }
                    c.status = "True".into();
                    c.reason = Some("TerminationByKubelet".into());
                    c.message = Some(message.clone());
                }
                None => status.conditions.push(PodCondition {
                    kind: "DisruptionTarget".into(),
                    status: "True".into(),
                    last_probe_time: None,
                    last_transition_time: now,
                    reason: Some("TerminationByKubelet".into()),
                    message: Some(message.clone()),
                }),
            }
        }
        self.pods[p].terminal = true;
        self.pods[p].evicted = true;
        self.record_change_with(
            format!("pod/{}", self.pods[p].name()),
            ChangeDetail::PodEvicted { from: old_phase, message: message.clone() },
            "the kubelet's eviction manager evicted the pod: phase Failed, reason Evicted, every container killed",
            fields,
        );
        self.stop_failed_pod(p, Some(grace));
    }

    /// The kubelet's node status update: `DiskPressure` as its eviction manager has it, which
    /// the node lifecycle controller turns into the `node.kubernetes.io/disk-pressure:NoSchedule`
    /// taint (or lifts both).
    pub(crate) fn node_status_update(&mut self, n: usize) {
        let pressure = self.eviction.nodes[n].pressure;
        if self.nodes[n].removed || !self.nodes[n].connected || pressure == self.nodes[n].disk_pressure {
            return;
        }
        self.nodes[n].disk_pressure = pressure;
        let ready = self.nodes[n].ready == "True";
        self.set_node_conditions(n, ready);
        const TAINT: &str = "node.kubernetes.io/disk-pressure";
        if pressure {
            if !self.nodes[n].node.spec.taints.iter().any(|t| t.key == TAINT) {
                self.nodes[n].node.spec.taints.push(crate::model::Taint {
                    key: TAINT.into(),
                    value: None,
                    effect: "NoSchedule".into(),
                    // (SwapNodeControllerTaint stamps every taint it adds.)
                    time_added: Some(self.now),
                    time_added_given: None,
                });
            }
        } else {
            self.nodes[n].node.spec.taints.retain(|t| t.key != TAINT);
        }
        self.note_node_write_for_daemon_sets();
        let name = self.nodes[n].node.metadata.name.clone();
        let event = if pressure { "NodeHasDiskPressure" } else { "NodeHasNoDiskPressure" };
        self.emit_event(self.node_ref(n), "kubelet", &name, "Normal", event, format!("Node {name} status is now: {event}"));
        self.record_change(
            format!("node/{name}"),
            ChangeDetail::NodePressure { condition: "DiskPressure".into(), status: if pressure { "True" } else { "False" }.into() },
            if pressure {
                "the kubelet's eviction manager saw the node's disk below a hard threshold (imagefs.available<15%, nodefs.available<10%)"
            } else {
                "no disk threshold met for evictionPressureTransitionPeriod (5m)"
            },
        );
        if !pressure {
            self.retry_unschedulable();
        }
    }
}
