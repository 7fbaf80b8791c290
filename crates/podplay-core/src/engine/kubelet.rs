//! The kubelet's pod worker: SyncPod (status first, then the runtime actions that
//! `computePodActions` picks), container start (image, create, start, postStart), container
//! kill (Killing, preStop, stop with grace) and crash-loop back-off. Sources:
//! `pkg/kubelet/kubelet.go`, `kuberuntime/kuberuntime_manager.go`, `kuberuntime_container.go`,
//! `images/image_manager.go`, `lifecycle/handlers.go` (reference §1.3, §1.4, §3, §4).

use podplay_k8s_util::duration::{go_duration_string, ms_to_nanos, truncate};
use podplay_k8s_util::rand::jitter;

use super::cri::{ContainerExit, ContainerSpec, ExecResult, HttpResult, ImageInfo, MountSpec, SandboxSpec, VolumeMedium};
use super::objects::{ContainerKey, Finished, Instance};
use super::status::should_restart;
use super::{why, ChangeDetail, ChangeField, Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::{Container, LifecycleHandler, VolumeMount};
use crate::version::{CrashLoopRequeue, LifecycleEventText, PulledText};
use podplay_k8s_util::expansion::expand as expand_vars;
use podplay_k8s_util::gofmt;
use podplay_k8s_util::image_ref::normalize as normalize_image;

/// Time from the first sync to a ready sandbox (pause container and CNI).
pub(crate) const SANDBOX_SETUP_MS: Millis = 900;
/// PLEG relists every second; a container state change is seen at the next relist.
const PLEG_PERIOD_MS: Millis = 1000;
const PLEG_PHASE_MS: Millis = 370;
/// `syncFrequency`: a pod is resynced every minute (+ up to 50 % jitter) when nothing else happens.
const RESYNC_MS: Millis = 60 * SECOND;
/// `backOffPeriod`: the pod worker requeues after an error (crash-loop back-off) this much later.
const ERROR_REQUEUE_MS: Millis = 10 * SECOND;
/// `minimumGracePeriodInSeconds`.
const MIN_GRACE_SECONDS: i64 = 2;
/// `calculateEffectiveGracePeriod`: "no matter what, we always supply a grace period of 1".
const MIN_DELETION_GRACE: i64 = 1;
/// The kubelet's sync loop ticks every second (`syncTicker`); pods its sync handlers ask for
/// (`ShouldSync`) are synced at a tick.
const SYNC_LOOP_TICK_MS: Millis = SECOND;

/// The kubelet's own state across its pods: back-offs and which runtime container is whose.
pub(crate) struct KubeletState {
    /// The crash-loop back-off (10 s doubling to 300 s), keyed per container.
    container_backoff: podplay_k8s_util::backoff::Backoff,
    /// The image pull back-off, keyed `podUID_image`, and each key's last failure.
    image_backoff: podplay_k8s_util::backoff::Backoff,
    image_failures: std::collections::BTreeMap<String, Millis>,
    /// Which pod/container/instance a runtime container belongs to, for exits.
    instance_of: rustc_hash::FxHashMap<super::cri::ContainerHandle, (usize, ContainerKey, usize)>,
}

impl Default for KubeletState {
    fn default() -> Self {
        KubeletState {
            container_backoff: podplay_k8s_util::backoff::Backoff::kubelet_container(),
            image_backoff: podplay_k8s_util::backoff::Backoff::kubelet_image_pull(),
            image_failures: Default::default(),
            instance_of: Default::default(),
        }
    }
}

pub(crate) enum Actions {
    /// Nothing blocked; resync later.
    Done,
    /// A container is in back-off: requeue after the error period.
    BackOff { expires_at: Millis },
    /// The worker waits (pull, kill, hook) and resumes by itself.
    Blocked,
}

enum Start {
    Started,
    Failed,
    Blocked,
}

impl Engine {
    /// Asks the pod worker to sync at `at`. The earliest request wins: a sync task whose time is
    /// no longer the pending one was superseded and does nothing when it comes up, so every
    /// sync (and every `BackOff` event it emits) happens once, as with the real work queue.
    pub(crate) fn request_sync(&mut self, p: usize, at: Millis) {
        let at = at.max(self.now);
        let rec = &mut self.pods[p];
        if rec.sync_pending_at.is_some_and(|pending| pending <= at) {
            return;
        }
        rec.sync_pending_at = Some(at);
        self.schedule(at, Task::Sync(p));
    }

    fn next_relist(&self, t: Millis) -> Millis {
        let base = t.saturating_sub(PLEG_PHASE_MS) / PLEG_PERIOD_MS * PLEG_PERIOD_MS + PLEG_PHASE_MS;
        if base > t {
            base
        } else {
            base + PLEG_PERIOD_MS
        }
    }

    pub(crate) fn node_connected(&self, p: usize) -> bool {
        self.pods[p].node.map(|n| self.nodes[n].connected).unwrap_or(false)
    }

    pub(crate) fn sync_pod(&mut self, p: usize) {
        if self.pods[p].sync_pending_at != Some(self.now) {
            return; // superseded by an earlier request
        }
        self.pods[p].sync_pending_at = None;
        if self.pods[p].node.is_none() || !self.node_connected(p) {
            return;
        }
        if self.pods[p].removed {
            // Force-deleted: the API object is gone, but the kubelet still stops what runs.
            self.kill_all_for_terminal(p);
            return;
        }
        if self.pods[p].kubelet_finished {
            // Terminated and deleted; only its finalizers keep the API object.
            return;
        }
        if self.now < self.pods[p].worker_busy_until {
            let at = self.pods[p].worker_busy_until;
            self.request_sync(p, at);
            return;
        }
        if self.pods[p].blocked_on.is_some() {
            return;
        }
        let resuming = std::mem::take(&mut self.pods[p].resuming);
        let after_kill = std::mem::take(&mut self.pods[p].killed_in_sync);
        if !self.pods[p].admitted {
            self.pods[p].admitted = true;
            self.watch_pod_storage(p);
            self.add_probe_workers(p);
        }
        if self.pods[p].deleting() {
            self.sync_terminating(p);
            return;
        }
        if !self.pods[p].terminal {
            if let Some(due) = self.active_deadline_sync_at(p) {
                if self.now >= due {
                    self.active_deadline_exceeded(p);
                    return;
                }
                // ShouldSync: the sync loop's next tick past the deadline syncs the pod.
                self.request_sync(p, due);
            }
        }
        // kubelet.go SyncPod generates and writes the status before the runtime's SyncPod,
        // which kills a container that failed its liveness probe (or whose definition changed),
        // waits for it to stop, pulls and starts its successor in one call
        // (kuberuntime_manager.go computePodActions: ContainersToKill and ContainersToStart):
        // the stopped container's Terminated state is never written on its own.
        if !resuming {
            self.update_status(p);
        }
        if self.pods[p].terminal {
            self.stop_probe_workers(p);
            self.kill_all_for_terminal(p);
            // SyncTerminatingPod → killPod stops the sandbox once nothing runs; the status
            // generated after it has PodReadyToStartContainers False
            // (`GeneratePodReadyToStartContainersCondition`: no ready sandbox).
            let running = self.pods[p].keys().iter().any(|k| self.pods[p].record(*k).is_running());
            if !running && !self.pods[p].sandbox_stopped {
                if let Some(sb) = self.pods[p].sandbox {
                    self.cri.stop_sandbox(self.now, sb);
                    if self.pods[p].evicted {
                        // An evicted pod's containers and volumes are removed (what the eviction
                        // manager waits for before it looks again).
                        self.cri.remove_pod_storage(self.now, sb);
                    }
                }
                self.pods[p].sandbox_stopped = true;
                self.update_status(p);
            }
            return;
        }
        if self.pods[p].sandbox.is_none() {
            // WaitForAttachAndMount: no sandbox until every volume is set up.
            match self.mount_volumes(p) {
                Ok(files) => self.create_sandbox(p, files),
                Err(retry_at) => {
                    self.request_sync(p, retry_at);
                    return;
                }
            }
        } else if !self.pods[p].deleting() {
            // WaitForAttachAndMount of a running pod: its volumes of files are written again.
            self.remount_volumes(p);
        }
        let ready_at = self.pods[p].sandbox_ready_at.unwrap_or(self.now);
        if self.now < ready_at {
            self.request_sync(p, ready_at);
            return;
        }
        match self.pod_actions(p) {
            Actions::Done => {
                let at = self.now + jitter(RESYNC_MS as i64, 0.5, &mut self.rng) as Millis;
                self.request_sync(p, at);
            }
            Actions::BackOff { expires_at } => {
                let at = match self.release.crashloop_requeue {
                    CrashLoopRequeue::EveryBackOffPeriod => self.now + jitter(ERROR_REQUEUE_MS as i64, 0.5, &mut self.rng) as Millis,
                    CrashLoopRequeue::AtExpiry => {
                        let wait = expires_at.saturating_sub(self.now).max(1);
                        let jittered = jitter(wait as i64, 0.5, &mut self.rng) as Millis;
                        self.now + jittered.min(RESYNC_MS)
                    }
                };
                self.request_sync(p, at);
            }
            Actions::Blocked => self.pods[p].resuming = true,
        }
        if !self.pods[p].resuming && std::mem::take(&mut self.pods[p].sandbox_seen_in_sync) {
            // The PLEG's relist saw the new sandbox while this sync ran (creating it, pulling,
            // starting): its update waits behind the sync, and pod_workers.go's podWorkerLoop
            // takes it as soon as the sync returns, once the pod cache is newer than that
            // (`GetNewerThan(lastSyncTime)`): the next relist. After a failed start this sync
            // comes before the error's requeue (`wait.Jitter(backOffPeriod, 0.5)`), whose work
            // queue entry the next sync's own requeue replaces: `ErrImagePull` is written and
            // the pull's back-off met about a second after the failed pull, not 10-15 s later.
            let at = self.next_relist(self.now);
            self.request_sync(p, at);
        }
        if after_kill && !self.pods[p].resuming {
            // The PLEG's next relist reports the killed container's death (and its successor's
            // start), and the sync it triggers writes the status.
            let at = self.next_relist(self.now);
            self.request_sync(p, at);
        }
    }

    /// When the active deadline handler (`pastActiveDeadline`: `spec.activeDeadlineSeconds`
    /// since `status.startTime`) first asks for the pod: the sync loop's first one-second tick at
    /// or after the deadline (`ShouldSync`).
    fn active_deadline_sync_at(&self, p: usize) -> Option<Millis> {
        let pod = &self.pods[p].pod;
        let deadline = pod.spec.active_deadline_seconds?;
        let start = pod.status.start_time?;
        let at = start + deadline.max(0) as Millis * SECOND;
        Some(at.div_ceil(SYNC_LOOP_TICK_MS) * SYNC_LOOP_TICK_MS)
    }

    /// `activeDeadlineHandler.ShouldEvict`: the `DeadlineExceeded` event, and
    /// generateAPIPodStatus makes the pod Failed with its reason and message; the pod worker then
    /// stops every container (with the pod's grace period), as for any terminal pod.
    fn active_deadline_exceeded(&mut self, p: usize) {
        const REASON: &str = "DeadlineExceeded";
        const MESSAGE: &str = "Pod was active on the node longer than the specified deadline";
        let deadline = self.pods[p].pod.spec.active_deadline_seconds.unwrap_or_default();
        let fields = vec![why::field("spec.activeDeadlineSeconds".into(), deadline)];
        let node = self.pods[p].node.map(|n| self.nodes[n].node.metadata.name.clone()).unwrap_or_default();
        let involved = self.pod_ref(p, None);
        self.emit_event_with(involved, "kubelet", &node, "Normal", REASON, MESSAGE.into(), fields.clone());
        self.unsteady_pod(p);
        let old_phase = self.pods[p].pod.status.phase.clone();
        self.pods[p].status_inputs = None;
        let status = &mut self.pods[p].pod.status;
        status.phase = "Failed".into();
        status.reason = Some(REASON.into());
        status.message = Some(MESSAGE.into());
        self.pods[p].terminal = true;
        self.record_change_with(
            format!("pod/{}", self.pods[p].name()),
            ChangeDetail::PhaseChanged { from: old_phase, to: "Failed".into() },
            "the pod was active on the node longer than spec.activeDeadlineSeconds: the kubelet fails it and stops every container",
            fields,
        );
        self.stop_failed_pod(p, None);
    }

    fn create_sandbox(&mut self, p: usize, mut files: std::collections::BTreeMap<String, Vec<(String, Vec<u8>, u32)>>) {
        let ip = self.allocate_pod_ip(p);
        let rec = &self.pods[p];
        let hostname = rec.pod.spec.hostname.clone().unwrap_or_else(|| rec.name().to_string());
        let spec = SandboxSpec {
            pod_name: rec.name().to_string(),
            namespace: rec.namespace().to_string(),
            uid: rec.pod.metadata.uid.clone(),
            hostname,
            ip: ip.clone(),
            volumes: rec
                .pod
                .spec
                .volumes
                .iter()
                .map(|v| {
                    let medium = match &v.empty_dir {
                        Some(e) if e.medium.as_deref() == Some("Memory") => {
                            VolumeMedium::Memory(e.size_limit.as_ref().map(|q| q.value().max(0) as u64))
                        }
                        Some(_) => VolumeMedium::Disk,
                        None => match &v.host_path {
                            Some(source) => VolumeMedium::HostPath(super::config_use::host_path_of(source).path),
                            None => VolumeMedium::Files(files.remove(&v.name).unwrap_or_default()),
                        },
                    };
                    (v.name.clone(), medium)
                })
                .collect(),
            node: rec.node.expect("scheduled"),
            fs_group: rec.pod.spec.security_context.as_ref().and_then(|sc| sc.fs_group).map(|g| g as u32),
            owned_volumes: rec.pod.spec.volumes.iter().filter(|v| v.manages_ownership()).map(|v| v.name.clone()).collect(),
        };
        let handle = self.cri.run_sandbox(self.now, &spec);
        let rec = &mut self.pods[p];
        rec.sandbox = Some(handle);
        rec.sandbox_ready_at = Some(self.now + SANDBOX_SETUP_MS);
        rec.sandbox_seen_in_sync = true;
        rec.pod.status.pod_ip = Some(ip);
    }

    /// The sandbox's address: the next of the node's pod CIDR, or for a pod on the host's
    /// network the node's own address (`generateAPIPodStatus` reports the host IP as the pod IP
    /// of a `hostNetwork` pod, and `SyncPod` hands it to the downward API, kubernetes#24576).
    fn allocate_pod_ip(&mut self, p: usize) -> String {
        let n = self.pods[p].node.expect("scheduled");
        if self.pods[p].pod.spec.host_network.as_deref().and_then(serde_yaml::Value::as_bool) == Some(true) {
            return self.nodes[n].internal_ip.clone();
        }
        let node = &mut self.nodes[n];
        let ip = format!("{}.{}", node.cidr_prefix, node.next_host);
        node.next_host += 1;
        ip
    }

    /// computePodActions + the start/kill loop of kuberuntime's SyncPod.
    fn pod_actions(&mut self, p: usize) -> Actions {
        // Liveness/startup failures: kill first (blocking), then restart in the same sync.
        for key in self.pods[p].keys() {
            let rec = self.pods[p].record(key);
            if let Some(message) = rec.kill_request.clone() {
                if rec.is_running() {
                    let grace = self.probe_grace_override(p, key);
                    let handle = rec.current().map(|i| i.handle).expect("running");
                    self.pods[p].record_mut(key).kill_request = None;
                    let cause = std::mem::take(&mut self.pods[p].record_mut(key).kill_cause);
                    if self.kill_container(p, key, &message, grace, cause) {
                        self.pods[p].resume_skip_backoff = Some(handle);
                        return Actions::Blocked;
                    }
                } else {
                    self.pods[p].record_mut(key).kill_request = None;
                }
            }
        }
        // containerChanged: a running container whose definition (its image) changed is killed
        // ("Container NAME definition changed, will be restarted") and restarted whatever the
        // restart policy says; regular init containers that completed are not run again.
        for key in self.pods[p].keys() {
            if key.init && !self.pods[p].spec_container(key).is_sidecar() {
                continue;
            }
            let rec = self.pods[p].record(key);
            let spec = self.pods[p].spec_container(key);
            let Some(inst) = rec.current().filter(|i| i.finished.is_none() && !i.stop_requested && i.spec_image != spec.image) else {
                continue;
            };
            let handle = inst.handle;
            let message = format!("Container {} definition changed, will be restarted", spec.name);
            let list = if key.init { "initContainers" } else { "containers" };
            let cause = vec![why::field(format!("spec.{list}[{}].image", key.index), &spec.image)];
            self.pods[p].record_mut(key).restart_for_change = true;
            if self.kill_container(p, key, &message, None, cause) {
                self.pods[p].resume_skip_backoff = Some(handle);
                return Actions::Blocked;
            }
        }
        let policy: &'static str = match self.pods[p].restart_policy() {
            "Never" => "Never",
            "OnFailure" => "OnFailure",
            _ => "Always",
        };
        let mut backoff_until: Option<Millis> = None;

        // Init containers, one at a time; sidecars count once started.
        for index in 0..self.pods[p].init.len() {
            let key = ContainerKey { init: true, index };
            let sidecar = self.pods[p].spec_container(key).is_sidecar();
            let rec = self.pods[p].record(key);
            if sidecar {
                if rec.is_running() {
                    if self.container_started(p, key) {
                        continue;
                    }
                    return Actions::Done;
                }
                return self.start_with_backoff(p, key);
            }
            match rec.current() {
                None => return self.start_with_backoff(p, key),
                Some(i) if i.finished.is_none() => return Actions::Done,
                Some(i) => {
                    let f = i.finished.as_ref().expect("finished");
                    if f.exit_code == 0 {
                        continue;
                    }
                    if policy == "Never" {
                        return Actions::Done; // getPhase turns the pod Failed
                    }
                    return self.start_with_backoff(p, key);
                }
            }
        }

        for index in 0..self.pods[p].main.len() {
            let key = ContainerKey { init: false, index };
            let rec = self.pods[p].record(key);
            let needs_start = match rec.current() {
                None => true,
                Some(i) if i.finished.is_none() => false,
                Some(i) => {
                    let code = i.finished.as_ref().map(|f| f.exit_code).unwrap_or(0);
                    should_restart(policy, code) || rec.restart_for_change
                }
            };
            if !needs_start {
                continue;
            }
            match self.start_with_backoff(p, key) {
                Actions::Blocked => return Actions::Blocked,
                Actions::BackOff { expires_at } => {
                    backoff_until = Some(backoff_until.map_or(expires_at, |b: Millis| b.min(expires_at)));
                }
                Actions::Done => {}
            }
        }
        match backoff_until {
            Some(expires_at) => Actions::BackOff { expires_at },
            None => Actions::Done,
        }
    }

    /// `getStableKey`: pod name, namespace, UID, container name and the container's hash, so a
    /// changed definition (its image, the only field of a container an update may change) starts
    /// without the old back-off.
    fn backoff_key(&self, p: usize, key: ContainerKey) -> String {
        let rec = &self.pods[p];
        let c = rec.spec_container(key);
        format!("{}_{}_{}_{}_{}", rec.name(), rec.namespace(), rec.pod.metadata.uid, c.name, c.image)
    }

    /// doBackOff, then startContainer.
    fn start_with_backoff(&mut self, p: usize, key: ContainerKey) -> Actions {
        let skip = self.pods[p].resume_skip_backoff.take();
        if self.pods[p].record(key).pull_done_at.is_some() {
            // The worker is resuming a startContainer that passed doBackOff before its pull
            // (EnsureImageExists blocks inside startContainer): SyncPod goes on to create and
            // start without checking back-off again, however long the pull took.
            return self.finish_start(p, key);
        }
        let last_exit = self.pods[p]
            .record(key)
            .instances
            .iter()
            .rev()
            .filter(|i| Some(i.handle) != skip)
            .find_map(|i| i.finished.as_ref().map(|f| f.at));
        if let Some(ts) = last_exit {
            let id = self.backoff_key(p, key);
            let (now, ts_i) = (self.now as i64, ts as i64);
            if self.kubelet.container_backoff.is_in_back_off_since(&id, ts_i, now) {
                let delay = self.kubelet.container_backoff.get(&id);
                let name = self.pods[p].spec_container(key).name.clone();
                let event_message = if self.release.backoff_event_with_names {
                    format!("Back-off restarting failed container {} in pod {}", name, self.pods[p].format_pod())
                } else {
                    "Back-off restarting failed container".to_string()
                };
                let policy = vec![why::restart_policy(&self.pods[p])];
                self.emit_container_event_with(p, key, "Warning", "BackOff", event_message, policy);
                let message = format!(
                    "back-off {} restarting failed container={} pod={}",
                    go_duration_string(ms_to_nanos(delay)),
                    name,
                    self.pods[p].format_pod()
                );
                self.pods[p].record_mut(key).set_start_error(Some(("CrashLoopBackOff".into(), message)));
                return Actions::BackOff { expires_at: ts + delay as Millis };
            }
            self.kubelet.container_backoff.next(&id, ts_i, now);
        }
        self.finish_start(p, key)
    }

    fn finish_start(&mut self, p: usize, key: ContainerKey) -> Actions {
        match self.start_container(p, key) {
            Start::Started => Actions::Done,
            // A failed start is a sync error: the pod worker requeues after backOffPeriod.
            Start::Failed => Actions::BackOff { expires_at: self.now + ERROR_REQUEUE_MS },
            Start::Blocked => Actions::Blocked,
        }
    }

    fn start_container(&mut self, p: usize, key: ContainerKey) -> Start {
        self.unsteady_pod(p);
        match self.ensure_image(p, key) {
            ImageStep::Ready => {}
            ImageStep::Blocked => return Start::Blocked,
            ImageStep::Failed => return Start::Failed,
        }
        let spec = match self.container_spec(p, key) {
            Ok(spec) => spec,
            Err(message) => {
                // generateContainerConfig failed: kuberuntime's ErrCreateContainerConfig.
                self.emit_container_event(p, key, "Warning", "Failed", format!("Error: {message}"));
                self.pods[p].record_mut(key).set_start_error(Some(("CreateContainerConfigError".into(), message)));
                return Start::Failed;
            }
        };
        let sandbox = self.pods[p].sandbox.expect("sandbox exists before containers");
        let handle = match self.cri.create_container(self.now, sandbox, &spec) {
            Ok(h) => h,
            Err(message) => {
                self.emit_container_event(p, key, "Warning", "Failed", format!("Error: {message}"));
                self.pods[p].record_mut(key).set_start_error(Some(("CreateContainerError".into(), message)));
                return Start::Failed;
            }
        };
        let container_id = self.cri.container_id(handle);
        let name = spec.name.clone();
        let instance = self.pods[p].record(key).instances.len();
        self.kubelet.instance_of.insert(handle, (p, key, instance));
        let image = normalize_image(&spec.image);
        let image_id = super::status::image_id_for(&spec.image);
        self.pods[p].record_mut(key).restart_for_change = false;
        self.pods[p].record_mut(key).instances.push(Instance {
            handle,
            container_id,
            image,
            image_id,
            spec_image: spec.image.clone(),
            created_at: self.now,
            started_at: None,
            finished: None,
            stop_requested: false,
        });
        let created = match self.release.lifecycle_events {
            LifecycleEventText::WithName => format!("Created container {name}"),
            LifecycleEventText::CreatedWithColon => format!("Created container: {name}"),
            LifecycleEventText::Short => "Container created".to_string(),
        };
        self.emit_container_event(p, key, "Normal", "Created", created);
        if let Err(failure) = self.cri.start_container(self.now, handle) {
            self.emit_container_event(p, key, "Warning", "Failed", format!("Error: {}", failure.message));
            let now = self.now;
            let rec = self.pods[p].record_mut(key);
            if let Some(inst) = rec.instances.last_mut() {
                inst.finished = Some(Finished {
                    at: now,
                    exit_code: failure.exit_code,
                    reason: "StartError".into(),
                    message: Some(failure.message.clone()),
                });
            }
            rec.set_start_error(Some(("RunContainerError".into(), failure.message)));
            return Start::Failed;
        }
        let now = self.now;
        if let Some(inst) = self.pods[p].record_mut(key).instances.last_mut() {
            inst.started_at = Some(now);
        }
        let started = match self.release.lifecycle_events {
            LifecycleEventText::Short => "Container started".to_string(),
            _ => format!("Started container {name}"),
        };
        self.emit_container_event(p, key, "Normal", "Started", started);
        let restart = self.pods[p].record(key).instances.len() - 1;
        let mut fields = Vec::new();
        if key.init {
            // Init containers run one at a time, in order, before the app containers.
            fields.push(why::field(why::container_path(key), format!("init container {name}")));
        }
        if restart > 0 {
            fields.push(why::restart_policy(&self.pods[p]));
        }
        fields.extend(self.generic_image_note(p, key));
        self.record_change_with(
            format!("pod/{}", self.pods[p].name()),
            ChangeDetail::ContainerStarted { container: name.clone(), restart: restart as u32 },
            "the kubelet started the container (pull, create, start)",
            fields,
        );
        let post_start = self.pods[p].spec_container(key).lifecycle.as_ref().and_then(|l| l.post_start.clone());
        if let Some(hook) = post_start {
            if let Err(hook_message) = self.run_hook(p, key, &hook, "PostStart") {
                let event = if self.release.hook_event_full_message { hook_message.clone() } else { "PostStartHook failed".into() };
                let hook: Vec<ChangeField> = why::hook(&self.pods[p], key, "postStart").into_iter().collect();
                self.emit_container_event_with(p, key, "Warning", "FailedPostStartHook", event, hook.clone());
                self.pods[p].record_mut(key).set_start_error(Some(("PostStartHookError".into(), hook_message)));
                self.kill_container(p, key, "FailedPostStartHook", None, hook);
                return Start::Failed;
            }
        }
        self.pods[p].record_mut(key).set_start_error(None);
        let at = self.next_relist(self.now);
        self.request_sync(p, at);
        Start::Started
    }

    /// Runs a lifecycle hook; `Err` carries the kubelet's hook failure message.
    fn run_hook(&mut self, p: usize, key: ContainerKey, hook: &LifecycleHandler, _which: &str) -> Result<(), String> {
        let handle = self.pods[p].record(key).current().map(|i| i.handle).expect("instance");
        let name = self.pods[p].spec_container(key).name.clone();
        let pod_fmt = self.pods[p].format_pod();
        if let Some(exec) = &hook.exec {
            let cmd = exec.command.clone();
            return match self.cri.exec_sync(self.now, handle, &cmd, None) {
                ExecResult::Completed { exit_code: 0, duration_ms, .. } => {
                    self.pods[p].worker_busy_until = self.now + duration_ms;
                    Ok(())
                }
                ExecResult::Completed { output, stderr, exit_code, duration_ms, .. } => {
                    self.pods[p].worker_busy_until = self.now + duration_ms;
                    let error = format!("command '{}' exited with {}: {}", cmd.join(" "), exit_code, stderr);
                    Err(exec_hook_message(&cmd, &name, &pod_fmt, &error, &output))
                }
                ExecResult::NotRunning { exit_code: Some(code), output } => {
                    let error = format!("command '{}' exited with {}: ", cmd.join(" "), code);
                    Err(exec_hook_message(&cmd, &name, &pod_fmt, &error, &output))
                }
                ExecResult::NotRunning { exit_code: None, output } => Err(exec_hook_message(&cmd, &name, &pod_fmt, &output, "")),
                ExecResult::TimedOut { .. } => Err(exec_hook_message(&cmd, &name, &pod_fmt, "command timed out", "")),
            };
        }
        if let Some(http) = &hook.http_get {
            let path = http.path.clone().unwrap_or_else(|| "/".into());
            let fail = |error: String| {
                format!(
                    "HTTP lifecycle hook ({path}) for Container {} in Pod {} failed - error: {error}",
                    gofmt::quote(&name),
                    gofmt::quote(&pod_fmt)
                )
            };
            let ip = http.host.clone().or_else(|| self.pods[p].pod.status.pod_ip.clone()).unwrap_or_default();
            let port = super::prober::resolve_port(self.pods[p].spec_container(key), &http.port).map_err(fail)?;
            let address = gofmt::join_host_port(&ip, port);
            let url = gofmt::quote(&format!("http://{address}/{}", path.trim_start_matches('/')));
            return match self.cri.http_get(self.now, &ip, port, &path, &[], 10 * SECOND) {
                // podplay differs: the hook's client (Go's default) would follow a redirect;
                // here a 3xx answers the hook as the status it is (below 400: success).
                HttpResult::Response { status } | HttpResult::Redirect { status, .. } if status < 400 => Ok(()),
                HttpResult::Redirect { status, .. } => Err(fail(format!("Get {url}: bad status code: {status}"))),
                HttpResult::Response { status } => Err(fail(format!("Get {url}: bad status code: {status}"))),
                HttpResult::Refused => Err(fail(format!("Get {url}: dial tcp {address}: connect: connection refused"))),
                HttpResult::TimedOut => Err(fail(format!("Get {url}: context deadline exceeded"))),
                HttpResult::Closed => Err(fail(format!("Get {url}: EOF"))),
            };
        }
        if let Some(sleep) = &hook.sleep {
            self.pods[p].worker_busy_until = self.now + (sleep.seconds.max(0) as Millis) * SECOND;
            return Ok(());
        }
        Ok(())
    }

    /// The grace period a liveness/startup kill uses: the probe's own, when set.
    fn probe_grace_override(&self, p: usize, key: ContainerKey) -> Option<i64> {
        let c = self.pods[p].spec_container(key);
        [&c.liveness_probe, &c.startup_probe]
            .iter()
            .filter_map(|probe| probe.as_ref().and_then(|pr| pr.termination_grace_period_seconds))
            .next()
    }

    /// After the pod was failed (its deadline passed, or it was evicted): its status written,
    /// its probes stopped, every running container stopped (with `grace` seconds, or each
    /// one's own) and the pod synced again.
    pub(crate) fn stop_failed_pod(&mut self, p: usize, grace: Option<i64>) {
        self.update_status(p);
        self.stop_probe_workers(p);
        for key in self.pods[p].keys() {
            if self.pods[p].record(key).is_running() {
                let name = self.pods[p].spec_container(key).name.clone();
                self.kill_container(p, key, &format!("Stopping container {name}"), grace, Vec::new());
            }
        }
        self.pods[p].blocked_on = None;
        self.request_sync(p, self.now);
    }

    /// killContainer: `Killing` event, preStop hook, stop with the remaining grace. Returns true
    /// when the worker must wait for the container to exit. `cause` holds the spec fields that
    /// led to the kill (a probe's thresholds, a hook), for the timeline.
    pub(crate) fn kill_container(
        &mut self,
        p: usize,
        key: ContainerKey,
        message: &str,
        probe_grace: Option<i64>,
        cause: Vec<ChangeField>,
    ) -> bool {
        self.unsteady_pod(p);
        let Some(inst) = self.pods[p].record(key).current().cloned() else { return false };
        if inst.finished.is_some() {
            return false;
        }
        if inst.stop_requested {
            return true;
        }
        if let Some(i) = self.pods[p].record_mut(key).instances.last_mut() {
            i.stop_requested = true;
        }
        let name = self.pods[p].spec_container(key).name.clone();
        let mut fields = cause;
        fields.extend(why::kill_grace(&self.pods[p], key, probe_grace));
        self.emit_container_event_with(p, key, "Normal", "Killing", message.to_string(), fields.clone());
        let spec_grace = self.pods[p].pod.spec.termination_grace_period_seconds();
        // calculateEffectiveGracePeriod: the API's deletionGracePeriodSeconds rules; no matter
        // what, the kubelet supplies a grace period of at least 1 (a force delete's 0).
        let deletion_grace = self.pods[p].pod.metadata.deletion_grace_period_seconds.map(|g| g.max(MIN_DELETION_GRACE));
        let mut grace = deletion_grace.or(probe_grace).unwrap_or(spec_grace);
        let pre_stop = self.pods[p].spec_container(key).lifecycle.as_ref().and_then(|l| l.pre_stop.clone());
        let mut stop_at = self.now;
        if let (Some(hook), true) = (pre_stop, grace > 0) {
            let before = self.pods[p].worker_busy_until.max(self.now);
            match self.run_hook(p, key, &hook, "PreStop") {
                Ok(()) => {}
                Err(hook_message) => {
                    let event = if self.release.hook_event_full_message { hook_message } else { "PreStopHook failed".into() };
                    let hook = why::hook(&self.pods[p], key, "preStop").into_iter().collect();
                    self.emit_container_event_with(p, key, "Warning", "FailedPreStopHook", event, hook);
                }
            }
            let took = self.pods[p].worker_busy_until.max(self.now).saturating_sub(before);
            let took = took.min(grace as Millis * SECOND);
            stop_at = self.now + took;
            grace -= (took / SECOND) as i64;
        }
        if grace < MIN_GRACE_SECONDS {
            grace = MIN_GRACE_SECONDS;
        }
        self.pods[p].worker_busy_until = self.now;
        self.cri.stop_container(stop_at, inst.handle, grace as u64);
        self.pods[p].blocked_on = Some(inst.handle);
        fields.extend(why::hook(&self.pods[p], key, "preStop"));
        self.record_change_with(
            format!("pod/{}", self.pods[p].name()),
            ChangeDetail::ContainerStopping { container: name.clone(), grace_seconds: grace },
            format!("{message}: the kubelet runs preStop, sends the stop signal, and SIGKILLs after the grace period"),
            fields,
        );
        true
    }

    pub(crate) fn on_container_exit(&mut self, exit: ContainerExit) {
        let Some(&(p, key, i)) = self.kubelet.instance_of.get(&exit.container) else { return };
        let inst = &mut self.pods[p].record_mut(key).instances[i];
        if inst.finished.is_some() {
            return;
        }
        let handle = inst.handle;
        let message = self.termination_message(p, key, handle, exit.exit_code, &exit.reason);
        let mut fields: Vec<ChangeField> =
            if exit.reason == "OOMKilled" { why::memory_limit(&self.pods[p], key).into_iter().collect() } else { Vec::new() };
        if let Some((_, from_logs)) = &message {
            fields.push(why::termination_message(&self.pods[p], key, *from_logs));
        }
        fields.extend(self.generic_image_note(p, key));
        let inst = &mut self.pods[p].record_mut(key).instances[i];
        inst.finished =
            Some(Finished { at: exit.at, exit_code: exit.exit_code, reason: exit.reason.clone(), message: message.map(|m| m.0) });
        let name = self.pods[p].spec_container(key).name.clone();
        self.record_change_with(
            format!("pod/{}", self.pods[p].name()),
            ChangeDetail::ContainerExited { container: name, exit_code: exit.exit_code, reason: exit.reason.clone() },
            exit_cause(exit.exit_code, &exit.reason),
            fields,
        );
        if self.pods[p].blocked_on == Some(exit.container) {
            self.pods[p].blocked_on = None;
            // A liveness (or startup, or changed definition) kill of SyncPod, which goes on to
            // start the successor; a failed postStart hook's kill ends its SyncPod instead.
            self.pods[p].killed_in_sync = self.pods[p].resume_skip_backoff == Some(exit.container);
            self.request_sync(p, self.now);
        } else {
            let at = self.next_relist(self.now);
            self.request_sync(p, at);
        }
    }

    fn sync_terminating(&mut self, p: usize) {
        if !self.pods[p].termination_started {
            self.pods[p].termination_started = true;
            self.stop_liveness_and_startup(p);
        }
        self.update_status(p);
        let mut waiting = false;
        for key in self.pods[p].keys() {
            if self.pods[p].record(key).is_running() {
                let name = self.pods[p].spec_container(key).name.clone();
                let message = format!("Stopping container {name}");
                if self.kill_container(p, key, &message, None, Vec::new()) {
                    waiting = true;
                }
            }
        }
        // The kill of every container happens in parallel; the worker waits for them all.
        if waiting {
            self.pods[p].blocked_on = None;
            return;
        }
        if self.pods[p].keys().iter().any(|k| self.pods[p].record(*k).is_running()) {
            return;
        }
        self.finish_termination(p);
    }

    fn finish_termination(&mut self, p: usize) {
        if let Some(sb) = self.pods[p].sandbox {
            self.cri.stop_sandbox(self.now, sb);
            // The deleted pod's containers, logs and volumes are removed from the node.
            self.cri.remove_pod_storage(self.now, sb);
        }
        if self.release.kubelet_sets_terminal_phase_on_delete {
            self.pods[p].terminal_on_delete = true;
            self.update_status(p);
        }
        self.kubelet_final_delete(p);
    }

    /// The status manager's `Delete` with grace 0 once a deleted pod's containers all stopped
    /// (`canBeDeleted`). The API server removes the object, unless finalizers hold it: then
    /// `BeforeDelete` shortens the grace period to 0 (the timestamp back to the delete
    /// request's moment) and the object waits, terminated, for its finalizers.
    fn kubelet_final_delete(&mut self, p: usize) {
        self.pods[p].kubelet_finished = true;
        if !self.pods[p].has_finalizers() {
            self.remove_pod(p, "the kubelet stopped every container and the API object was deleted with grace 0");
            return;
        }
        self.unsteady_pod(p);
        self.stop_probe_workers(p);
        self.release_node_resources(p);
        let meta = &mut self.pods[p].pod.metadata;
        if let (Some(ts), Some(current)) = (meta.deletion, meta.deletion_grace_period_seconds) {
            if current > 0 {
                meta.deletion = Some(ts.saturating_sub(current as Millis * SECOND));
                meta.deletion_grace_period_seconds = Some(0);
                self.bump_resource_version(p);
            }
        }
        let finalizers = self.pods[p].pod.metadata.finalizers.clone().unwrap_or_default();
        let listed = finalizers.join(", ");
        self.record_change_with(
            format!("pod/{}", self.pods[p].name()),
            ChangeDetail::PodFinalizersPending { finalizers },
            "the kubelet stopped every container and deleted the pod with grace 0; its finalizers keep the API object until they are removed",
            vec![why::field("metadata.finalizers".into(), format!("[{listed}]"))],
        );
    }

    pub(crate) fn remove_pod(&mut self, p: usize, cause: &str) {
        if self.pods[p].removed {
            return;
        }
        self.unsteady_pod(p);
        self.pods[p].removed = true;
        let key = (self.pods[p].namespace().to_string(), self.pods[p].name().to_string());
        self.live_pods.remove(&key);
        self.log_pod_write(p, true);
        self.stop_probe_workers(p);
        self.release_node_resources(p);
        self.record_change(format!("pod/{}", self.pods[p].name()), ChangeDetail::PodDeleted, cause.to_string());
        self.update_endpoints_for_pod(p);
        self.note_dependent_removed(p);
    }

    /// A pod that reached Succeeded/Failed keeps no running containers (sidecars, say).
    fn kill_all_for_terminal(&mut self, p: usize) {
        for key in self.pods[p].keys() {
            if self.pods[p].record(key).is_running() {
                let name = self.pods[p].spec_container(key).name.clone();
                self.kill_container(p, key, &format!("Stopping container {name}"), None, Vec::new());
                self.pods[p].blocked_on = None;
            }
        }
    }

    pub(crate) fn emit_container_event(&mut self, p: usize, key: ContainerKey, kind: &str, reason: &str, message: String) {
        self.emit_container_event_with(p, key, kind, reason, message, Vec::new());
    }

    /// A container event whose timeline change names the spec fields behind it.
    pub(crate) fn emit_container_event_with(
        &mut self,
        p: usize,
        key: ContainerKey,
        kind: &str,
        reason: &str,
        message: String,
        fields: Vec<ChangeField>,
    ) {
        let field_path = self.pods[p].field_path(key);
        let node = self.pods[p].node.map(|n| self.nodes[n].node.metadata.name.clone()).unwrap_or_default();
        let involved = self.pod_ref(p, Some(field_path));
        self.emit_event_with(involved, "kubelet", &node, kind, reason, message, fields);
    }

    /// An image event: the pull policy and the image decide it.
    fn emit_image_event(&mut self, p: usize, key: ContainerKey, kind: &str, reason: &str, message: String) {
        let fields = why::image(&self.pods[p], key);
        self.emit_container_event_with(p, key, kind, reason, message, fields);
    }

    pub(crate) fn pod_ref(&self, p: usize, field_path: Option<String>) -> crate::model::ObjectReference {
        let rec = &self.pods[p];
        crate::model::ObjectReference {
            kind: "Pod".into(),
            namespace: rec.namespace().to_string(),
            name: rec.name().to_string(),
            uid: rec.pod.metadata.uid.clone(),
            api_version: "v1".into(),
            field_path,
        }
    }

    /// EnsureImageExists: pull policy, the node's images, pull back-off.
    fn ensure_image(&mut self, p: usize, key: ContainerKey) -> ImageStep {
        let container: Container = self.pods[p].spec_container(key).clone();
        let image = container.image.clone();
        let policy = container.image_pull_policy.clone().unwrap_or_else(|| "IfNotPresent".into());
        let n = self.pods[p].node.expect("scheduled");
        if let Some(message) = self.invalid_image_message(&image) {
            // ErrInvalidImageName: not a pull, so no pull back-off; startContainer records
            // `Error: InvalidImageName` (kuberuntime_container.go) and the sync fails.
            self.emit_image_event(p, key, "Warning", "InspectFailed", message.clone());
            self.emit_image_event(p, key, "Warning", "Failed", "Error: InvalidImageName".into());
            self.pods[p].record_mut(key).set_start_error(Some(("InvalidImageName".into(), message)));
            return ImageStep::Failed;
        }
        let normalized = normalize_image(&image);
        let present = self.nodes[n].images.contains(&normalized);
        let rec = self.pods[p].record_mut(key);
        if let Some(done) = rec.pull_done_at {
            if self.now < done {
                return ImageStep::Blocked;
            }
            rec.pull_done_at = None;
            // The pull's own time, whenever the worker got to resume after it.
            let took = done - rec.pull_started_at.take().unwrap_or(done);
            return self.finish_pull(p, key, &image, &normalized, took);
        }
        let already = if self.release.pulled_present_accessible {
            format!("Container image {} already present on machine and can be accessed by the pod", gofmt::quote(&image))
        } else {
            format!("Container image {} already present on machine", gofmt::quote(&image))
        };
        match policy.as_str() {
            "Never" => {
                if present {
                    self.emit_image_event(p, key, "Normal", "Pulled", already);
                    return ImageStep::Ready;
                }
                let message = format!("Container image {} is not present with pull policy of Never", gofmt::quote(&image));
                self.emit_image_event(p, key, "Warning", "ErrImageNeverPull", message.clone());
                self.emit_image_event(p, key, "Warning", "Failed", "Error: ErrImageNeverPull".into());
                self.pods[p].record_mut(key).set_start_error(Some(("ErrImageNeverPull".into(), message)));
                ImageStep::Failed
            }
            "IfNotPresent" if present => {
                self.emit_image_event(p, key, "Normal", "Pulled", already);
                ImageStep::Ready
            }
            _ => {
                let backoff_id = format!("{}_{}", self.pods[p].pod.metadata.uid, image);
                let last_failure = self.kubelet.image_failures.get(&backoff_id).copied();
                if let Some(ts) = last_failure {
                    if self.kubelet.image_backoff.is_in_back_off_since(&backoff_id, ts as i64, self.now as i64) {
                        let message = format!("Back-off pulling image {}", gofmt::quote(&image));
                        self.emit_image_event(p, key, "Normal", "BackOff", message.clone());
                        self.emit_image_event(p, key, "Warning", "Failed", "Error: ImagePullBackOff".into());
                        let previous = self.pods[p].record(key).start_error.clone();
                        let waiting = match previous {
                            Some((reason, err)) if self.release.image_backoff_message_has_cause && reason == "ErrImagePull" => {
                                format!("{message}: ErrImagePull: {err}")
                            }
                            Some((reason, err)) if self.release.image_backoff_message_has_cause && reason == "ImagePullBackOff" => {
                                err.split_once(": ErrImagePull: ").map(|(_, e)| format!("{message}: ErrImagePull: {e}")).unwrap_or(message)
                            }
                            _ => message,
                        };
                        self.pods[p].record_mut(key).set_start_error(Some(("ImagePullBackOff".into(), waiting)));
                        return ImageStep::Failed;
                    }
                }
                self.emit_image_event(p, key, "Normal", "Pulling", format!("Pulling image {}", gofmt::quote(&image)));
                let pull_ms = match self.cri.image(&image) {
                    ImageInfo::Present { pull_ms, .. } => pull_ms,
                    ImageInfo::Missing { .. } => 1200,
                };
                // A registry answers at its own pace each time (90–110 % of the image's time): on
                // a real cluster repeated `Pulled` messages differ, so they are separate events,
                // which client-go's aggregator combines after ten ("combined from similar events").
                let pull_ms = pull_ms * (90 + self.rng.next_u64() % 21) / 100;
                let done = self.now + pull_ms;
                let rec = self.pods[p].record_mut(key);
                rec.pull_done_at = Some(done);
                rec.pull_started_at = Some(self.now);
                self.pods[p].worker_busy_until = done;
                self.request_sync(p, done);
                ImageStep::Blocked
            }
        }
    }

    /// The note that a container's image runs generically, for the changes its program decides.
    fn generic_image_note(&self, p: usize, key: ContainerKey) -> Option<ChangeField> {
        let image = &self.pods[p].spec_container(key).image;
        self.cri.image_is_generic(image).then(|| why::generic_image(&self.pods[p], key))
    }

    /// applyDefaultImageTag's refusal of a reference that does not parse (EnsureImageExists:
    /// `Failed to apply default image tag "IMG": ...`, event reason InspectFailed).
    fn invalid_image_message(&self, image: &str) -> Option<String> {
        let error = podplay_k8s_util::image_ref::parse_error(image, self.release.reference_library)?;
        let parse = if self.release.image_parse_error_says_name { "couldn't parse image name" } else { "couldn't parse image reference" };
        let q = gofmt::quote(image);
        Some(format!("Failed to apply default image tag {q}: {parse} {q}: {error}"))
    }

    fn finish_pull(&mut self, p: usize, key: ContainerKey, image: &str, normalized: &str, took: Millis) -> ImageStep {
        match self.cri.image(image) {
            ImageInfo::Present { size_bytes, .. } => {
                let n = self.pods[p].node.expect("scheduled");
                if !self.nodes[n].images.iter().any(|i| i == normalized) {
                    self.nodes[n].images.push(normalized.to_string());
                }
                // Sub-millisecond digits and the wait for the puller's queue (a few ms) vary too.
                let nanos = ms_to_nanos(took as i64) + (self.rng.next_u64() % 1_000_000) as i64;
                let waiting = nanos + 1_000_000 + (self.rng.next_u64() % 6_000_000) as i64;
                let q = gofmt::quote(image);
                let message = match self.release.pulled {
                    // Before the puller timed its own pull, the one figure was time.Since the
                    // Pulling event: the time including waiting.
                    PulledText::Plain => format!("Successfully pulled image {q} in {}", go_duration_string(waiting)),
                    PulledText::WithWaiting => format!(
                        "Successfully pulled image {q} in {} ({} including waiting)",
                        go_duration_string(nanos),
                        go_duration_string(waiting)
                    ),
                    PulledText::WithWaitingTruncated => format!(
                        "Successfully pulled image {q} in {} ({} including waiting)",
                        go_duration_string(truncate(nanos, 1_000_000)),
                        go_duration_string(truncate(waiting, 1_000_000))
                    ),
                    PulledText::WithSize => format!(
                        "Successfully pulled image {q} in {} ({} including waiting). Image size: {} bytes.",
                        go_duration_string(truncate(nanos, 1_000_000)),
                        go_duration_string(truncate(waiting, 1_000_000)),
                        size_bytes
                    ),
                };
                self.emit_image_event(p, key, "Normal", "Pulled", message);
                ImageStep::Ready
            }
            ImageInfo::Missing { error } => {
                let error = match error.strip_prefix("rpc error: code = Unknown desc = ") {
                    Some(message) if self.release.pull_error_strips_unknown_code => message.to_string(),
                    _ => error,
                };
                self.emit_image_event(p, key, "Warning", "Failed", format!("Failed to pull image {}: {}", gofmt::quote(image), error));
                self.emit_image_event(p, key, "Warning", "Failed", "Error: ErrImagePull".into());
                let backoff_id = format!("{}_{}", self.pods[p].pod.metadata.uid, image);
                self.kubelet.image_backoff.next(&backoff_id, self.now as i64, self.now as i64);
                self.kubelet.image_failures.insert(backoff_id, self.now);
                self.pods[p].record_mut(key).set_start_error(Some(("ErrImagePull".into(), error)));
                ImageStep::Failed
            }
        }
    }

    /// The runtime's view of a container: image entrypoint handling is the runtime's; the
    /// kubelet expands `$(VAR)` references and builds the environment.
    fn container_spec(&self, p: usize, key: ContainerKey) -> Result<ContainerSpec, String> {
        let rec = &self.pods[p];
        let c = rec.spec_container(key);
        let env = self.container_env(p, key)?;
        let expand = |v: &Vec<String>| v.iter().map(|s| expand_vars(s, &env)).collect::<Vec<_>>();
        let memory_limit_bytes = c.resources.as_ref().and_then(|r| r.limits.get("memory")).map(|q| q.value().max(0) as u64);
        let mounts = c.volume_mounts.iter().map(|m| mount_spec(m, &env)).collect::<Result<_, _>>()?;
        let run_as = super::security_context::effective(&rec.pod.spec, c);
        let (image_uid, image_user) = match self.cri.image(&c.image) {
            // getImageUser: an image with neither a uid nor a name runs as root.
            super::cri::ImageInfo::Present { uid, username, .. } if uid.is_some() || !username.is_empty() => (uid, username),
            _ => (Some(0), String::new()),
        };
        super::security_context::verify_run_as_non_root(&run_as, image_uid, &image_user, &rec.format_pod(), &c.name)?;
        let sc = c.security_context.clone().unwrap_or_default();
        let caps = sc.capabilities.clone().unwrap_or_default();
        Ok(ContainerSpec {
            name: c.name.clone(),
            image: c.image.clone(),
            command: c.command.as_ref().map(expand),
            args: c.args.as_ref().map(expand),
            env,
            working_dir: c.working_dir.clone(),
            mounts,
            memory_limit_bytes,
            termination_message_path: c.termination_message_path.clone(),
            security: super::cri::ContainerSecurity {
                user: super::security_context::user_request(&rec.pod.spec, &run_as),
                read_only_root: run_as.read_only_root_filesystem == Some(true),
                no_new_privs: sc.allow_privilege_escalation == Some(false),
                privileged: sc.privileged == Some(true),
                capabilities_add: caps.add,
                capabilities_drop: caps.drop,
            },
        })
    }

    /// The container's environment in the kubelet's order: `envFrom:` sources, then `env:`
    /// entries (a later one replaces an earlier of the same name; a value's `$(VAR)` refers to
    /// those before it, then to the service variables), then the service variables not declared
    /// (the `kubernetes` Service's always, the namespace's with `enableServiceLinks`); `Err` is
    /// makeEnvironmentVariables' error (a missing ConfigMap, Secret or key).
    fn container_env(&self, p: usize, key: ContainerKey) -> Result<Vec<(String, String)>, String> {
        let rec = &self.pods[p];
        let c = rec.spec_container(key);
        let service_env = self.service_env_cached(rec.namespace(), rec.pod.spec.enable_service_links != Some(false));
        let mut env: Vec<(String, String)> = Vec::new();
        let set = |env: &mut Vec<(String, String)>, name: String, value: String| match env.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => env.push((name, value)),
        };
        if let Some(sources) = &c.env_from {
            for (name, value) in self.env_from_values(rec.namespace(), sources)? {
                set(&mut env, name, value);
            }
        }
        for var in &c.env {
            let value = if let Some(v) = &var.value {
                // MappingFuncFor(declared, services): unknown references stay as written.
                podplay_k8s_util::expansion::expand_with(v, |name| {
                    let declared = env.iter().rev().chain(service_env.iter()).find(|(k, _)| k == name);
                    declared.map(|(_, v)| v.clone()).unwrap_or_else(|| format!("$({name})"))
                })
            } else if let Some(field) = var.value_from.as_ref().and_then(|f| f.field_ref.as_ref()) {
                self.field_value(p, &field.field_path)
            } else if let Some(selector) = var.value_from.as_ref().and_then(|f| f.resource_field_ref.as_ref()) {
                self.env_resource_value(p, &c.name, selector)?
            } else {
                match self.key_ref_value(rec.namespace(), var)? {
                    Some(value) => value,
                    None => continue,
                }
            };
            set(&mut env, var.name.clone(), value);
        }
        let declared = env.len();
        for (name, value) in service_env.iter() {
            if !env[..declared].iter().any(|(k, _)| k == name) {
                env.push((name.clone(), value.clone()));
            }
        }
        Ok(env)
    }

    /// `containerResourceRuntimeValue` over `defaultPodLimitsForDownwardAPI`: a container's
    /// limit or request (this container's when the selector names none), the node's allocatable
    /// standing in for an unset limit.
    fn env_resource_value(&self, p: usize, container: &str, selector: &serde_yaml::Value) -> Result<String, String> {
        let rec = &self.pods[p];
        let mut selector: crate::model::config::ResourceFieldSelector = serde_yaml::from_value(selector.clone()).unwrap_or_default();
        if selector.container_name.is_empty() {
            selector.container_name = container.to_string();
        }
        let none = std::collections::BTreeMap::new();
        let allocatable = rec.node.map_or(&none, |n| &self.nodes[n].node.status.allocatable);
        super::downward_api::extract_resource_value(&rec.pod.spec, &selector, allocatable)
    }

    fn field_value(&self, p: usize, path: &str) -> String {
        let rec = &self.pods[p];
        let meta = &rec.pod.metadata;
        match path {
            "spec.nodeName" => rec.node.map(|n| self.nodes[n].node.metadata.name.clone()).unwrap_or_default(),
            "spec.serviceAccountName" => rec.pod.spec.service_account_name.clone().unwrap_or_else(|| "default".into()),
            "status.podIP" | "status.podIPs" => rec.pod.status.pod_ip.clone().unwrap_or_default(),
            "status.hostIP" => rec.node.map(|n| self.nodes[n].internal_ip.clone()).unwrap_or_default(),
            // podFieldSelectorRuntimeValue: "" while the PodHostIPs gate is off.
            "status.hostIPs" if self.release().pod_host_ips != crate::version::PodHostIps::Enabled => String::new(),
            "status.hostIPs" => rec.node.map(|n| self.nodes[n].internal_ip.clone()).unwrap_or_default(),
            // The pod's metadata as fieldpath reads it (the API server allows only these).
            other => super::downward_api::extract_field_path(meta, rec.namespace(), other).unwrap_or_default(),
        }
    }

    pub(crate) fn logs_of(
        &self,
        pod: &str,
        namespace: &str,
        container: &str,
        previous: bool,
        tail: Option<usize>,
    ) -> Result<Vec<super::cri::LogLine>, String> {
        let Some(rec) = self.find_pod(pod, namespace).map(|p| &self.pods[p]) else {
            return Err(format!("pods \"{pod}\" not found"));
        };
        let Some(key) = rec.keys().into_iter().find(|k| rec.spec_container(*k).name == container) else {
            return Err(format!("container {container} is not valid for pod {pod}"));
        };
        let instances = &rec.record(key).instances;
        let inst = if previous {
            // validateContainerLogStatus: the previous container is the status's
            // lastState.terminated, which is the newest instance when the status shows the
            // container waiting (CrashLoopBackOff after its last run ended), else the one
            // before the current instance.
            let waiting = self.waiting_reason(rec, key).is_some();
            let newest_ended = instances.last().is_some_and(|i| i.finished.is_some());
            let back = if waiting && newest_ended { 1 } else { 2 };
            if instances.len() < back {
                return Err(format!("previous terminated container \"{container}\" in pod \"{pod}\" not found"));
            }
            &instances[instances.len() - back]
        } else {
            match instances.last() {
                Some(i) => i,
                None => {
                    let reason = self.waiting_reason(rec, key).unwrap_or_else(|| "ContainerCreating".into());
                    return Err(format!("container \"{container}\" in pod \"{pod}\" is waiting to start: {}", waiting_phrase(&reason)));
                }
            }
        };
        Ok(self.cri.logs(inst.handle, tail))
    }

    fn waiting_reason(&self, rec: &super::PodRecord, key: ContainerKey) -> Option<String> {
        let name = &rec.spec_container(key).name;
        let statuses = if key.init { &rec.pod.status.init_container_statuses } else { &rec.pod.status.container_statuses };
        statuses.iter().find(|s| &s.name == name).and_then(|s| s.state.waiting.as_ref()).and_then(|w| w.reason.clone())
    }
}

/// makeMounts' part for one volume mount: its subPath (or subPathExpr, expanded with the
/// container's environment), which must be relative and must not go up.
fn mount_spec(m: &VolumeMount, env: &[(String, String)]) -> Result<MountSpec, String> {
    let mut sub_path = m.sub_path.clone().filter(|p| !p.is_empty());
    if let Some(expr) = m.sub_path_expr.as_deref().filter(|e| !e.is_empty()) {
        sub_path = Some(expand_container_volume_mounts(expr, env)?);
    }
    if let Some(sub) = sub_path.as_deref().filter(|p| !p.is_empty()) {
        if sub.starts_with('/') {
            return Err(format!("error SubPath `{sub}` must not be an absolute path"));
        }
        if sub.split('/').any(|part| part == "..") {
            return Err(format!("unable to provision SubPath `{sub}`: must not contain '..'"));
        }
    }
    Ok(MountSpec { volume: m.name.clone(), path: m.mount_path.clone(), read_only: m.read_only.unwrap_or(false), sub_path })
}

/// `ExpandContainerVolumeMounts`: a variable that is not set, or set to nothing, is an error.
fn expand_container_volume_mounts(expr: &str, env: &[(String, String)]) -> Result<String, String> {
    let mut missing = std::collections::BTreeSet::new();
    let expanded = podplay_k8s_util::expansion::expand_with(expr, |name| {
        let value = env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
        if value.is_empty() {
            missing.insert(name.to_string());
        }
        value
    });
    if missing.is_empty() {
        Ok(expanded)
    } else {
        Err(format!("missing value for {}", missing.into_iter().collect::<Vec<_>>().join(", ")))
    }
}

enum ImageStep {
    Ready,
    Blocked,
    Failed,
}

/// `kubectl logs` wording for a container that has not started (`waiting to start: ...`).
fn waiting_phrase(reason: &str) -> String {
    match reason {
        "ContainerCreating" => "ContainerCreating".into(),
        "PodInitializing" => "PodInitializing".into(),
        "ErrImagePull" => "image can't be pulled".into(),
        "ImagePullBackOff" => "trying and failing to pull image".into(),
        other => other.to_string(),
    }
}

fn exit_cause(code: i32, reason: &str) -> String {
    match (code, reason) {
        (_, "OOMKilled") => "the process used more memory than the container's limit and the kernel killed it (exit 137)".into(),
        (0, _) => "the container's main process exited on its own with code 0".into(),
        (137, _) => {
            "exit 137 = 128 + 9: the process was killed by SIGKILL (after the grace period, since PID 1 ignores SIGTERM without a handler)"
                .into()
        }
        (143, _) => "exit 143 = 128 + 15: the process ended on SIGTERM".into(),
        (c, _) => format!("the container's main process exited on its own with code {c}"),
    }
}

fn exec_hook_message(cmd: &[String], container: &str, pod: &str, error: &str, output: &str) -> String {
    format!(
        "Exec lifecycle hook ({}) for Container {} in Pod {} failed - error: {}, message: {}",
        gofmt::slice(cmd),
        gofmt::quote(container),
        gofmt::quote(pod),
        error,
        gofmt::quote(output)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_paths_are_expanded_and_checked() {
        let env = vec![("NAME".to_string(), "foo".to_string()), ("EMPTY".to_string(), String::new())];
        let mount = |sub_path: Option<&str>, expr: Option<&str>| VolumeMount {
            name: "v".into(),
            mount_path: "/m".into(),
            sub_path: sub_path.map(str::to_string),
            sub_path_expr: expr.map(str::to_string),
            ..Default::default()
        };
        assert_eq!(mount_spec(&mount(None, Some("a/$(NAME)")), &env).map(|m| m.sub_path), Ok(Some("a/foo".into())));
        assert_eq!(mount_spec(&mount(Some("x/y"), None), &env).map(|m| m.sub_path), Ok(Some("x/y".into())));
        assert_eq!(mount_spec(&mount(None, Some("$(EMPTY)/$(NOPE)/$(NAME)")), &env), Err("missing value for EMPTY, NOPE".into()));
        assert_eq!(mount_spec(&mount(None, Some("/$(NAME)")), &env), Err("error SubPath `/foo` must not be an absolute path".into()));
        assert_eq!(
            mount_spec(&mount(Some("a/../b"), None), &env),
            Err("unable to provision SubPath `a/../b`: must not contain '..'".into())
        );
    }

    #[test]
    fn restart_rules() {
        assert!(should_restart("Always", 0));
        assert!(!should_restart("OnFailure", 0));
        assert!(should_restart("OnFailure", 1));
        assert!(!should_restart("Never", 1));
    }
}
