//! The simulation: one discrete-event loop on a virtual clock that drives the controllers a
//! real cluster runs — the scheduler, each node's kubelet (pod workers, probers, PLEG), the node
//! lifecycle controller, the taint eviction controller and the endpoints controller — against a
//! container runtime (`Cri`). Controllers never call each other; they act on tasks popped from
//! one queue in (time, sequence) order, which is what makes runs reproducible.

mod api_client;
pub mod apply_api;
pub mod change;
mod config_api;
mod config_use;
mod controllers;
pub mod cri;
mod cronjob;
mod daemonset;
mod daemonset_api;
mod deployment;
mod disruption;
mod disruption_api;
mod downward_api;
mod eviction;
#[cfg(test)]
mod fake_cri;
pub mod field;
mod garbage_collector;
mod job;
mod job_api;
mod job_util;
mod kubelet;
mod namespace_api;
mod objects;
pub mod ops;
mod podgc;
mod prober;
mod recorder;
mod replicaset;
mod runtime_cri;
mod scheduler;
mod security_context;
mod setup;
mod snapshot;
mod statefulset;
mod statefulset_api;
mod status;
mod steps;
mod termination;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod upstream_tests;
pub mod warnings;
mod why;
mod workload_util;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use podplay_k8s_util::rand::SplitMix64;

use crate::clock::{Millis, HOUR};
use crate::model::{Endpoints, Event, Node, Pod, Service};
use crate::version::Release;
pub use change::{Change, ChangeDetail, ChangeField, ConditionChange, EndpointState};
pub use config_api::{config_data_len, config_key_errors};
pub use controllers::is_api_server_service;
pub use cri::Cri;
pub use cronjob::CronJobRecord;
pub use daemonset::DaemonSetRecord;
pub use deployment::DeploymentRecord;
pub use disruption_api::PdbRecord;
pub use job::JobRecord;
pub use namespace_api::{NamespaceRecord, SYSTEM_NAMESPACES};
pub use objects::{ContainerKey, NodeRecord, PodRecord};
pub use prober::{AttemptOutcome, ProbeAttemptRecord, ProbeKind, MAX_PROBE_ATTEMPTS};
pub use replicaset::ReplicaSetRecord;
pub use snapshot::{ClusterState, ContainerState, NodeState, PodState, ProbeFailure, ProbeState, ServiceState};
pub use statefulset::StatefulSetRecord;
pub use status::qos_class;
pub use steps::StepOutput;

/// One write of a pod object as a watch receives it: MODIFIED (or ADDED) with the new object,
/// or DELETED with the last one.
#[derive(Debug, Clone)]
pub struct PodWrite {
    pub at: Millis,
    pub deleted: bool,
    pub pod: Pod,
}

/// One write of a Deployment (spec or status) as a watch receives it.
#[derive(Debug, Clone)]
pub struct DeploymentWrite {
    pub at: Millis,
    pub deleted: bool,
    pub deployment: DeploymentRecord,
}

/// Bounds on one run, so that no input can freeze the page.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_time: Millis,
    pub max_tasks: u64,
    pub max_events: usize,
    /// Pods created over the whole simulation (each is kept, deleted ones too, for the
    /// timeline): about 50 KB each, so 25,000 (a thousand Deployments of ten rolled out once,
    /// and room) stay within a browser tab's memory. A create past
    /// it is refused as the API server refuses a pod, naming the limit (`add_pod`).
    pub max_pods: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_time: 24 * HOUR, max_tasks: 20_000_000, max_events: 1_000_000, max_pods: 25_000 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Task {
    /// A scenario step (index into `steps`).
    Step(usize),
    /// A scenario step that takes time goes on (`steps.rs`).
    StepResume(usize),
    /// A scheduling attempt for a pending pod.
    Schedule(usize),
    /// The pod's kubelet pod worker runs SyncPod.
    Sync(usize),
    /// The volume manager's reconciler tries a failed remount again (`config_use.rs`).
    Remount(usize),
    /// A prober worker's tick: (pod, container, probe kind, worker generation).
    Probe(usize, ContainerKey, prober::ProbeKind, u32),
    /// The node lifecycle controller's monitor pass.
    NodeMonitor,
    /// The taint eviction controller deletes a pod whose toleration ran out (pod, generation).
    TaintEvict(usize, u32),
    /// A pass of the pod garbage collector (orphans of deleted nodes).
    PodGc,
    /// The node's eviction manager synchronizes (`eviction.rs`).
    Eviction(usize),
    /// The node's volume stats analyzer starts calculators for new pods.
    VolumeAnalyzer(usize),
    /// A pod's volume stat calculator measures its volumes.
    VolumeStats(usize),
    /// The node's kubelet posts its conditions (a pressure condition changed).
    NodeStatusUpdate(usize),
    /// The ReplicaSet controller syncs a queued ReplicaSet (`replicaset.rs`).
    ReplicaSetSync(usize),
    /// A ReplicaSet's pods may have become available (minReadySeconds ran out): it is queued.
    ReplicaSetRecheck(usize),
    /// The Deployment controller syncs a queued Deployment (`deployment.rs`).
    DeploymentSync(usize),
    /// A Deployment's progress deadline may have run out: it is queued.
    DeploymentRecheck(usize),
    /// The Job controller's queued sync of a Job comes due (`job.rs`).
    JobSync(usize),
    /// The TTL-after-finished controller deletes a finished Job whose TTL ran out.
    JobTtl(usize),
    /// The CronJob controller's queued sync of a CronJob comes due (`cronjob.rs`).
    CronJobSync(usize),
    /// The StatefulSet controller syncs a queued StatefulSet (`statefulset.rs`).
    StatefulSetSync(usize),
    /// The DaemonSet controller syncs a queued DaemonSet (`daemonset.rs`).
    DaemonSetSync(usize),
    /// A DaemonSet's `AddAfter`: minReadySeconds or a failed pod's back-off ran out; it is queued.
    DaemonSetRecheck(usize),
    /// The disruption controller syncs a queued PodDisruptionBudget (`disruption.rs`).
    DisruptionSync(usize),
    /// An eviction in a budget's `disruptedPods` may have expired: it is queued.
    DisruptionRecheck(usize),
}

impl Task {
    /// The task's place among the tasks due at the same millisecond: probe ticks first, in the
    /// order of their workers (pod, container, probe kind), then every other task in the order
    /// it was scheduled (rank `u64::MAX`). A tick's place does not depend on when it was
    /// scheduled, so a tick the fast-forward skipped has a place too (`prober::tick_rank`): it is
    /// known whether it came before or after anything else that happened at its millisecond.
    fn rank(&self) -> u64 {
        match *self {
            Task::Probe(p, key, kind, _) => prober::tick_rank(p, key, kind),
            _ => u64::MAX,
        }
    }
}

pub struct Engine {
    // The loop: its clock, its queue of tasks, its bounds (this file).
    pub(crate) release: &'static Release,
    pub(crate) now: Millis,
    /// (time, rank, sequence, task): see `Task::rank`.
    queue: BinaryHeap<Reverse<(Millis, u64, u64, Task)>>,
    seq: u64,
    pub(crate) rng: SplitMix64,
    pub(crate) limits: Limits,
    tasks_run: u64,
    /// Set when a limit stopped the run: the message says which.
    pub(crate) halted: Option<String>,
    /// The (time, rank) of the task that ran last: where the engine's order of work is.
    pub(crate) last_point: (Millis, u64),
    pub(crate) timeline: Vec<Change>,

    // The API server's objects (`objects.rs` for the records, `setup.rs` for their creation).
    pub(crate) pods: Vec<PodRecord>,
    pub(crate) nodes: Vec<NodeRecord>,
    pub(crate) services: Vec<Service>,
    pub(crate) replica_sets: Vec<ReplicaSetRecord>,
    pub(crate) deployments: Vec<DeploymentRecord>,
    pub(crate) jobs: Vec<JobRecord>,
    pub(crate) cron_jobs: Vec<CronJobRecord>,
    pub(crate) config_maps: Vec<crate::model::ConfigMap>,
    pub(crate) secrets: Vec<crate::model::Secret>,
    pub(crate) namespaces: Vec<namespace_api::NamespaceRecord>,
    pub(crate) stateful_sets: Vec<StatefulSetRecord>,
    pub(crate) daemon_sets: Vec<DaemonSetRecord>,
    pub(crate) pdbs: Vec<PdbRecord>,
    /// Pods whose API object exists, by (namespace, name).
    pub(crate) live_pods: rustc_hash::FxHashMap<(String, String), usize>,
    /// The cluster's resourceVersion counter (etcd's revision): every object write takes the next.
    pub(crate) resource_version: u64,
    /// How many operations from outside (`ops.rs`) changed the cluster: see `Engine::changes_from_outside`.
    pub(crate) outside_changes: u64,
    /// Every pod write since `watch_pods` was called, for a watch of pods.
    pub(crate) pod_writes: Option<Vec<PodWrite>>,
    /// Every Deployment write since `watch_deployments` was called (`rollout status`).
    pub(crate) deployment_writes: Option<Vec<DeploymentWrite>>,

    // The parts: each file owns its part's state, private to it.
    /// The container runtime under every kubelet.
    pub(crate) cri: Box<dyn Cri>,
    pub(crate) recorder: recorder::Recorder,
    pub(crate) kubelet: kubelet::KubeletState,
    pub(crate) prober: prober::ProberState,
    pub(crate) endpoints: controllers::EndpointsState,
    pub(crate) node_lifecycle: controllers::NodeLifecycleState,
    pub(crate) pod_gc: podgc::PodGcState,
    pub(crate) eviction: eviction::EvictionState,
    pub(crate) steps: steps::ScenarioSteps,
    pub(crate) rs_controller: replicaset::ReplicaSetControllerState,
    pub(crate) deployment_controller: deployment::DeploymentControllerState,
    pub(crate) job_controller: job::JobControllerState,
    pub(crate) sts_controller: statefulset::StatefulSetControllerState,
    pub(crate) ds_controller: daemonset::DaemonSetControllerState,
    pub(crate) disruption: disruption::DisruptionControllerState,
    /// The scheduler's unschedulable pods, by index (some may have been bound or deleted
    /// since; a cluster event moves those still waiting).
    pub(crate) unschedulable_pods: std::collections::BTreeSet<usize>,
    /// Pods no controller owns (bare ones, and orphans), by index: what a ReplicaSet may
    /// adopt (some may be gone or owned since).
    pub(crate) uncontrolled_pods: std::collections::BTreeSet<usize>,
    /// The API server's `generateName` suffixes, from a stream of their own (so that a
    /// Deployment's pods take no draw from the engine's other randomness).
    pub(crate) names_rng: SplitMix64,
}

impl Engine {
    pub(crate) fn with_parts(release: &'static Release, seed: u64, cri: Box<dyn Cri>) -> Engine {
        let mut engine = Engine {
            release,
            now: 0,
            queue: BinaryHeap::new(),
            seq: 0,
            rng: SplitMix64::new(seed),
            limits: Limits::default(),
            tasks_run: 0,
            halted: None,
            last_point: (0, 0),
            timeline: Vec::new(),
            pods: Vec::new(),
            nodes: Vec::new(),
            // Every cluster's default namespace holds the API server's Service, first.
            services: vec![controllers::api_server_service(seed)],
            replica_sets: Vec::new(),
            deployments: Vec::new(),
            jobs: Vec::new(),
            cron_jobs: Vec::new(),
            config_maps: Vec::new(),
            secrets: Vec::new(),
            namespaces: Vec::new(),
            stateful_sets: Vec::new(),
            daemon_sets: Vec::new(),
            pdbs: Vec::new(),
            live_pods: Default::default(),
            resource_version: controllers::INITIAL_RESOURCE_VERSION,
            outside_changes: 0,
            pod_writes: None,
            deployment_writes: None,
            cri,
            recorder: recorder::Recorder::new(release),
            kubelet: Default::default(),
            prober: Default::default(),
            endpoints: Default::default(),
            node_lifecycle: Default::default(),
            pod_gc: Default::default(),
            eviction: eviction::EvictionState::new(seed),
            steps: Default::default(),
            rs_controller: Default::default(),
            deployment_controller: Default::default(),
            job_controller: Default::default(),
            sts_controller: Default::default(),
            ds_controller: Default::default(),
            disruption: Default::default(),
            unschedulable_pods: Default::default(),
            uncontrolled_pods: Default::default(),
            names_rng: SplitMix64::new(seed ^ 0x6e61_6d65_7321),
        };
        // Cluster DNS answers for the API server's Service before any other exists.
        let dns = engine.cluster_dns();
        engine.cri.set_cluster_dns(dns);
        engine
    }

    pub(crate) fn schedule(&mut self, at: Millis, task: Task) {
        self.seq += 1;
        self.queue.push(Reverse((at.max(self.now), task.rank(), self.seq, task)));
    }

    /// Runs every task due up to and including `t`, then leaves the clock at `t`. The clock
    /// never goes back: for a `t` already passed this does nothing (see `replay.rs`).
    pub fn run_until(&mut self, t: Millis) {
        let t = t.min(self.limits.max_time);
        loop {
            if self.halted.is_some() {
                break;
            }
            let next_task = self.queue.peek().map(|Reverse((at, _, _, _))| *at);
            let next_runtime = self.cri.next_wakeup();
            let next = match (next_task, next_runtime) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            };
            if next > t {
                break;
            }
            self.now = self.now.max(next);
            self.tasks_run += 1;
            if self.tasks_run > self.limits.max_tasks {
                self.halted = Some(format!(
                    "podplay stopped the simulation at {}: more than {} steps of work (a loop that never sleeps?)",
                    crate::clock::format_offset(self.now),
                    self.limits.max_tasks
                ));
                break;
            }
            if next_runtime == Some(next) {
                // Runtime wake-ups come before the tasks of their millisecond still queued.
                let rank = if self.last_point.0 == next { self.last_point.1.saturating_add(1) } else { 0 };
                if let Some(bulk) = self.cri.bulk() {
                    bulk.set_order_point(next, rank);
                    bulk.set_horizon(next_task.unwrap_or(t).min(t));
                }
                let exits = self.cri.advance(next);
                self.take_broken_standing();
                self.take_disk_activity();
                for exit in exits {
                    self.on_container_exit(exit);
                }
                continue;
            }
            let Some(Reverse((at, rank, _, task))) = self.queue.pop() else { break };
            self.last_point = (at, rank);
            if let Some(bulk) = self.cri.bulk() {
                bulk.set_order_point(at, rank);
            }
            self.run_task(task);
            self.take_broken_standing();
            self.take_disk_activity();
            if self.recorder.len() > self.limits.max_events {
                self.halted = Some(format!(
                    "podplay stopped the simulation at {}: more than {} events",
                    crate::clock::format_offset(self.now),
                    self.limits.max_events
                ));
            }
        }
        if self.now < t {
            self.now = t;
        }
        // Whatever comes now (a command, someone reading) comes after every tick up to `t`:
        // the steady probes' ticks take effect and are counted.
        self.last_point = (self.now, u64::MAX);
        if let Some(bulk) = self.cri.bulk() {
            bulk.set_order_point(self.now, u64::MAX);
            bulk.settle_standing();
        }
        self.count_steady_ticks(self.now, u64::MAX);
        self.recorder.advance(self.now);
    }

    fn run_task(&mut self, task: Task) {
        match task {
            Task::Step(i) => self.run_step(i),
            Task::StepResume(i) => self.resume_step(i),
            Task::Schedule(p) => self.schedule_pod(p),
            Task::Sync(p) => self.sync_pod(p),
            Task::Remount(p) => self.remount_after_back_off(p),
            Task::Probe(p, c, kind, generation) => self.probe_tick(p, c, kind, generation),
            Task::NodeMonitor => self.node_monitor(),
            Task::TaintEvict(p, generation) => self.taint_evict(p, generation),
            Task::PodGc => self.pod_gc(),
            Task::Eviction(n) => self.eviction_pass(n),
            Task::VolumeAnalyzer(n) => self.volume_analyzer(n),
            Task::VolumeStats(p) => self.volume_stats(p),
            Task::NodeStatusUpdate(n) => self.node_status_update(n),
            Task::ReplicaSetSync(r) => self.sync_replica_set(r),
            Task::ReplicaSetRecheck(r) => self.enqueue_replica_set(r),
            Task::DeploymentSync(d) => self.sync_deployment(d),
            Task::DeploymentRecheck(d) => self.enqueue_deployment(d),
            Task::JobSync(j) => self.run_job_sync(j),
            Task::JobTtl(j) => self.job_ttl_expired(j),
            Task::CronJobSync(c) => self.run_cron_job_sync(c),
            Task::StatefulSetSync(s) => self.sync_stateful_set(s),
            Task::DaemonSetSync(s) => self.sync_daemon_set(s),
            Task::DaemonSetRecheck(s) => self.enqueue_daemon_set(s),
            Task::DisruptionSync(b) => self.sync_pdb(b),
            Task::DisruptionRecheck(b) => self.enqueue_pdb(b),
        }
    }

    pub(crate) fn record_change(&mut self, object: String, detail: ChangeDetail, cause: impl Into<std::borrow::Cow<'static, str>>) {
        self.record_change_with(object, detail, cause, Vec::new());
    }

    /// A change with the spec fields its rule read.
    pub(crate) fn record_change_with(
        &mut self,
        object: String,
        detail: ChangeDetail,
        cause: impl Into<std::borrow::Cow<'static, str>>,
        fields: Vec<ChangeField>,
    ) {
        self.timeline.push(Change { at: self.now, object, detail, cause: cause.into(), fields });
    }

    /// Records an API write of pod `p`: it gets the cluster's next resourceVersion (watches see
    /// one event per write).
    pub(crate) fn bump_resource_version(&mut self, p: usize) {
        self.resource_version += 1;
        self.pods[p].pod.metadata.resource_version = Some(self.resource_version.to_string());
        self.log_pod_write(p, false);
    }

    pub(crate) fn log_pod_write(&mut self, p: usize, deleted: bool) {
        // The controllers' informers see every pod write: the pod's ReplicaSet or Job is queued.
        self.note_pod_write_for_owner(p);
        self.note_pod_write_for_job(p);
        self.note_pod_write_for_stateful_set(p);
        self.note_pod_write_for_daemon_set(p);
        self.note_pod_write_for_pdb(p, deleted);
        if let Some(log) = &mut self.pod_writes {
            log.push(PodWrite { at: self.now, deleted, pod: self.pods[p].pod.clone() });
        }
    }

    pub(crate) fn log_deployment_write(&mut self, d: usize) {
        let record = &self.deployments[d];
        if let Some(log) = &mut self.deployment_writes {
            log.push(DeploymentWrite { at: self.now, deleted: record.removed, deployment: record.clone() });
        }
    }

    /// Starts keeping every Deployment write (what `kubectl rollout status` started now watches).
    pub fn watch_deployments(&mut self) {
        self.deployment_writes.get_or_insert_with(Vec::new);
    }

    /// The Deployment writes kept since `watch_deployments`, oldest first.
    pub fn deployment_writes(&self) -> &[DeploymentWrite] {
        self.deployment_writes.as_deref().unwrap_or(&[])
    }

    /// Deployments that exist now (and deleted ones, `removed`), by index.
    pub fn deployment_records(&self) -> &[DeploymentRecord] {
        &self.deployments
    }

    /// Starts keeping every pod write (what a `kubectl get pods -w` started now would receive).
    pub fn watch_pods(&mut self) {
        self.pod_writes.get_or_insert_with(Vec::new);
    }

    /// The pod writes kept since `watch_pods`, oldest first.
    pub fn pod_writes(&self) -> &[PodWrite] {
        self.pod_writes.as_deref().unwrap_or(&[])
    }

    pub(crate) fn random_uid(&mut self) -> String {
        uid_from(&mut self.rng)
    }

    /// What the API server sets on an object it creates: the namespace (`default` when unset),
    /// a uid, the creation time and generation 1.
    pub(crate) fn stamp_created(&mut self, meta: &mut crate::model::ObjectMeta) {
        meta.namespace = Some(meta.namespace().to_string());
        meta.uid = self.random_uid();
        meta.creation = self.now;
        meta.generation = Some(1);
    }

    // ---- read access for printers and bindings ----

    /// Steady shell loops in bulk or turn by turn (`cri::Bulk::set_loops_in_bulk`).
    pub fn set_loops_in_bulk(&mut self, on: bool) {
        if let Some(bulk) = self.cri.bulk() {
            bulk.set_loops_in_bulk(on);
        }
    }

    pub fn now(&self) -> Millis {
        self.now
    }
    pub fn release(&self) -> &'static Release {
        self.release
    }
    pub fn timeline(&self) -> &[Change] {
        &self.timeline
    }
    /// Pods that exist at `now()` (deleted pods disappear once the kubelet has removed them).
    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.pods.iter().filter(|r| !r.removed).map(|r| &r.pod)
    }
    pub fn pod_records(&self) -> &[PodRecord] {
        &self.pods
    }
    pub fn pod_names(&self) -> Vec<String> {
        self.pods().map(|p| p.metadata.name.clone()).collect()
    }
    /// Nodes that exist at `now()` (deleted ones are gone).
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| !n.removed).map(|n| &n.node)
    }
    /// Every node record, deleted ones included (`removed`): pods keep their node's index.
    pub fn node_records(&self) -> &[NodeRecord] {
        &self.nodes
    }
    pub fn services(&self) -> &[Service] {
        &self.services
    }
    /// Endpoints objects as the API holds them at `now()`.
    pub fn endpoints(&self) -> Vec<Endpoints> {
        self.build_endpoints()
    }
    /// Events as the API server holds them at `now()` (the engine keeps no history: an
    /// earlier time needs a re-run, a session rebuilds the engine).
    pub fn events(&self) -> Vec<Event> {
        self.recorder.stored().to_vec()
    }
    /// [`events`](Self::events) without copying them: a view of thousands of pods reads tens
    /// of thousands of events.
    pub fn stored_events(&self) -> &[Event] {
        self.recorder.stored()
    }
    /// How many tasks the loop has run (what `Limits::max_tasks` bounds): the engine's work,
    /// which the tests compare between sizes of a cluster.
    pub fn tasks_run(&self) -> u64 {
        self.tasks_run
    }
    /// Why the run stopped early, if a limit was hit.
    pub fn halted(&self) -> Option<&str> {
        self.halted.as_deref()
    }
    /// Log lines of a container instance (`previous`: the instance before the current one), the
    /// last `tail` of them (all without `tail`): only those are written out, so the tail of a log
    /// of millions of lines is cheap.
    pub fn container_logs(
        &self,
        pod: &str,
        namespace: &str,
        container: &str,
        previous: bool,
        tail: Option<usize>,
    ) -> Result<Vec<cri::LogLine>, String> {
        self.logs_of(pod, namespace, container, previous, tail)
    }
}

/// A version 4 UID from two draws of `rng`.
pub(crate) fn uid_from(rng: &mut SplitMix64) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        (a & 0xfff) as u16,
        ((b >> 48) as u16 & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}
