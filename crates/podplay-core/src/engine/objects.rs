//! The engine's records of API objects plus the controller-private state kept beside them
//! (what a kubelet, scheduler or controller remembers but does not write to the API).

use super::cri::{ContainerHandle, SandboxHandle};
use super::prober::worker::ProbeWorker;
use crate::clock::Millis;
use crate::model::{Container, Node, Pod};

/// A container of a pod's spec: init containers and app containers are indexed separately,
/// as the API does (`spec.initContainers{x}` / `spec.containers{x}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContainerKey {
    pub init: bool,
    pub index: usize,
}

/// One run of a container in the runtime.
#[derive(Debug, Clone)]
pub struct Instance {
    pub handle: ContainerHandle,
    pub container_id: String,
    /// `image` and `imageID` as the status reports them for this instance (worked out once,
    /// not on every status update).
    pub image: String,
    pub image_id: String,
    /// The spec's `image` the instance was created from (a later update of the spec's image is
    /// a changed container definition).
    pub spec_image: String,
    pub created_at: Millis,
    pub started_at: Option<Millis>,
    pub finished: Option<Finished>,
    /// The kubelet has asked the runtime to stop it (a kill is in progress).
    pub stop_requested: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub at: Millis,
    pub exit_code: i32,
    pub reason: String,
    pub message: Option<String>,
}

/// The kubelet's knowledge of one container of the spec across its restarts.
#[derive(Debug, Clone, Default)]
pub struct ContainerRecord {
    /// Every instance, oldest first; status uses the newest two, logs may ask for the previous.
    pub instances: Vec<Instance>,
    /// The kubelet's reason cache: the error of the last failed start (reason, message). Set
    /// through `set_start_error`, which counts the writes for the status cache.
    pub start_error: Option<(String, String)>,
    /// Writes of `start_error` so far (part of `StatusInputs`).
    pub start_error_writes: u32,
    pub probes: Vec<ProbeWorker>,
    /// A kill the pod worker must carry out: (Killing event message, restart afterwards).
    pub kill_request: Option<String>,
    /// The spec fields behind that kill (for the timeline).
    pub kill_cause: Vec<super::ChangeField>,
    /// An image pull in progress: finishes at this time.
    pub pull_done_at: Option<Millis>,
    pub pull_started_at: Option<Millis>,
    /// Killed because its definition changed: restarted whatever the restart policy says.
    pub restart_for_change: bool,
}

impl ContainerRecord {
    pub fn set_start_error(&mut self, error: Option<(String, String)>) {
        self.start_error = error;
        self.start_error_writes = self.start_error_writes.wrapping_add(1);
    }

    pub fn current(&self) -> Option<&Instance> {
        self.instances.last()
    }
    pub fn is_running(&self) -> bool {
        matches!(self.current(), Some(i) if i.started_at.is_some() && i.finished.is_none())
    }
    /// The newest instance that has exited (what doBackOff looks at).
    pub fn last_exited(&self) -> Option<&Instance> {
        self.instances.iter().rev().find(|i| i.finished.is_some())
    }
}

#[derive(Debug, Clone)]
pub struct PodRecord {
    pub pod: Pod,
    pub node: Option<usize>,
    pub sandbox: Option<SandboxHandle>,
    pub sandbox_ready_at: Option<Millis>,
    /// The sync under way created the sandbox: the PLEG's relist sees it while the sync runs,
    /// and the pod worker syncs again once it has returned (`kubelet.rs`, end of `sync_pod`).
    pub sandbox_seen_in_sync: bool,
    pub init: Vec<ContainerRecord>,
    pub main: Vec<ContainerRecord>,
    /// The kubelet has admitted the pod (its workers exist).
    pub admitted: bool,
    /// The pod worker is busy until this time (a hook or a stop in progress).
    pub worker_busy_until: Millis,
    /// Waiting for this container to exit before the sync goes on (killContainer blocks).
    pub blocked_on: Option<ContainerHandle>,
    pub sync_pending_at: Option<Millis>,
    /// Killing for deletion has been started.
    pub termination_started: bool,
    /// The API object is gone.
    pub removed: bool,
    /// The kubelet stopped every container of the deleted pod and asked the API server to
    /// remove it (grace 0); the object stays only while finalizers hold it.
    pub kubelet_finished: bool,
    /// The scheduler's last message, to update the FailedScheduling event only when it changes.
    pub last_fit_error: Option<String>,
    /// Moved back to the scheduler's active queue by a cluster event and not tried since: the
    /// queue holds a pod once, however many events move it (`MoveAllToActiveOrBackoffQueue`).
    pub requeued: bool,
    /// The scheduler's attempts at the pod, and when the last one failed (`QueuedPodInfo`'s
    /// `Attempts` and `Timestamp`): the pod's back-off runs from then.
    pub schedule_attempts: u32,
    pub last_failed_attempt: Millis,
    /// Bumped when tolerations/taints change, to drop stale eviction timers.
    pub eviction_generation: u32,
    /// The taint eviction controller has a deletion queued for this pod (a toleration with
    /// seconds is running out): cancelling it is what emits `Cancelling deletion of Pod`.
    pub eviction_queued: bool,
    /// Ready condition forced False by the node controller (MarkPodsNotReady).
    pub marked_not_ready: bool,
    /// A phase the kubelet will never move away from (Succeeded/Failed).
    pub terminal: bool,
    /// The kubelet stopped the pod's sandbox (a terminal pod whose containers all stopped):
    /// PodReadyToStartContainers is False from then on.
    pub sandbox_stopped: bool,
    /// The instance a liveness kill in this sync just stopped: doBackOff still sees it running.
    pub resume_skip_backoff: Option<ContainerHandle>,
    /// The last sync's SyncPod is still under way: it waited for a kill or a pull, and the
    /// next sync resumes it without generating a status first (the kubelet generates the
    /// status once, before SyncPod, and writes none while SyncPod kills, pulls and starts).
    pub resuming: bool,
    /// The container the resumed SyncPod was waiting for died: the PLEG reports it.
    pub killed_in_sync: bool,
    /// Deleting: the kubelet set the terminal phase after stopping every container.
    pub terminal_on_delete: bool,
    /// The pod's requests no longer count against its node (terminal or deleted).
    pub resources_released: bool,
    /// The kubelet's eviction manager evicted it: its containers and volumes are removed once
    /// they have stopped.
    pub evicted: bool,
    /// What the status was last computed from (`status.rs`): the same inputs give the same
    /// status, so a periodic resync with nothing new skips rebuilding it.
    pub(crate) status_inputs: Option<StatusInputs>,
    /// The ReplicaSet that created it and is its controller, by index.
    pub owner: Option<usize>,
    /// The Job that created it and is its controller, by index.
    pub job: Option<usize>,
    /// The volume manager's back-off after a failed mount (`config_use.rs`).
    pub(crate) mount_retry: Option<super::config_use::MountRetry>,
    /// The StatefulSet that created it and is its controller, by index.
    pub stateful_set: Option<usize>,
    /// The DaemonSet that created it and is its controller, by index.
    pub daemon_set: Option<usize>,
}

impl PodRecord {
    pub fn new(pod: Pod) -> Self {
        let init = pod.spec.init_containers.iter().map(|_| ContainerRecord::default()).collect();
        let main = pod.spec.containers.iter().map(|_| ContainerRecord::default()).collect();
        PodRecord {
            pod,
            node: None,
            sandbox: None,
            sandbox_ready_at: None,
            sandbox_seen_in_sync: false,
            sandbox_stopped: false,
            init,
            main,
            admitted: false,
            worker_busy_until: 0,
            blocked_on: None,
            sync_pending_at: None,
            termination_started: false,
            removed: false,
            kubelet_finished: false,
            last_fit_error: None,
            requeued: false,
            schedule_attempts: 0,
            last_failed_attempt: 0,
            eviction_generation: 0,
            eviction_queued: false,
            marked_not_ready: false,
            terminal: false,
            resume_skip_backoff: None,
            resuming: false,
            killed_in_sync: false,
            terminal_on_delete: false,
            resources_released: false,
            evicted: false,
            status_inputs: None,
            owner: None,
            job: None,
            mount_retry: None,
            stateful_set: None,
            daemon_set: None,
        }
    }

    pub fn spec_container(&self, key: ContainerKey) -> &Container {
        if key.init {
            &self.pod.spec.init_containers[key.index]
        } else {
            &self.pod.spec.containers[key.index]
        }
    }

    pub fn record(&self, key: ContainerKey) -> &ContainerRecord {
        if key.init {
            &self.init[key.index]
        } else {
            &self.main[key.index]
        }
    }

    pub fn record_mut(&mut self, key: ContainerKey) -> &mut ContainerRecord {
        if key.init {
            &mut self.init[key.index]
        } else {
            &mut self.main[key.index]
        }
    }

    pub fn keys(&self) -> Vec<ContainerKey> {
        let init = (0..self.init.len()).map(|index| ContainerKey { init: true, index });
        let main = (0..self.main.len()).map(|index| ContainerKey { init: false, index });
        init.chain(main).collect()
    }

    pub fn field_path(&self, key: ContainerKey) -> String {
        let name = &self.spec_container(key).name;
        if key.init {
            format!("spec.initContainers{{{name}}}")
        } else {
            format!("spec.containers{{{name}}}")
        }
    }

    pub fn name(&self) -> &str {
        &self.pod.metadata.name
    }

    pub fn namespace(&self) -> &str {
        self.pod.metadata.namespace()
    }

    pub fn restart_policy(&self) -> &str {
        self.pod.spec.restart_policy.as_deref().unwrap_or("Always")
    }

    pub fn deleting(&self) -> bool {
        self.pod.metadata.deletion.is_some()
    }

    /// `metadata.finalizers` is not empty: a deletion leaves the object until they are removed.
    pub fn has_finalizers(&self) -> bool {
        self.pod.metadata.finalizers.as_ref().is_some_and(|f| !f.is_empty())
    }

    /// `name_namespace(uid)`, the kubelet's `format.Pod`.
    pub fn format_pod(&self) -> String {
        format!("{}_{}({})", self.name(), self.namespace(), self.pod.metadata.uid)
    }
}

#[derive(Debug, Clone)]
pub struct NodeRecord {
    pub node: Node,
    pub internal_ip: String,
    /// The kubelet still reports (false after `podplay node disconnect`).
    pub connected: bool,
    /// Last heartbeat the node controller saw.
    pub last_heartbeat: Millis,
    /// Images on the node (normalised names), grown by pulls.
    pub images: Vec<String>,
    /// Pod IPs are handed out from the node's podCIDR.
    pub cidr_prefix: String,
    pub next_host: u32,
    pub ready: String,
    /// Pods bound here that still hold resources, and their summed requests (milli-units) of
    /// cpu, memory and ephemeral-storage: what NodeResourcesFit compares with allocatable.
    pub pod_count: usize,
    pub requested: [i128; 3],
    /// `status.allocatable` as the scheduler reads it for every pod it tries: the pods (count)
    /// and cpu, memory and ephemeral-storage (milli-units). Set with the object's status (a
    /// node's allocatable is its kubelet's, fixed when it registers: `add_node`).
    pub(crate) allocatable_pods: usize,
    pub(crate) allocatable: [i128; 3],
    /// `status.nodeInfo` as the kubelet reports it.
    pub info: NodeInfo,
    /// Every pod ever bound here, by index, ascending (a pod keeps its node for good, so the
    /// list only grows): the per-node passes (eviction, node lifecycle) read it instead of
    /// scanning every pod of the cluster.
    pub bound: Vec<usize>,
    /// The Node object was deleted (`kubectl delete node`); the record stays because pods
    /// keep its index, but no API read, scheduler or controller sees it any more.
    pub removed: bool,
    /// The node lifecycle controller has noticed the deletion (its `RemovingNode` event).
    pub removal_seen: bool,
    /// The kubelet reports `DiskPressure` (its eviction manager saw a disk threshold met).
    pub disk_pressure: bool,
}

impl NodeRecord {
    /// Reads `allocatable_pods` and `allocatable` from the object's `status.allocatable`.
    pub(crate) fn read_allocatable(&mut self) {
        let allocatable = &self.node.status.allocatable;
        self.allocatable_pods = allocatable.get("pods").map_or(super::scheduler::MAX_PODS, |q| q.value() as usize);
        self.allocatable = super::scheduler::RESOURCES.map(|r| allocatable.get(r).map_or(0, |q| q.milli));
    }
}

#[derive(Debug, Clone, Default)]
pub struct NodeInfo {
    pub machine_id: String,
    pub system_uuid: String,
    pub boot_id: String,
    pub kernel_version: String,
    pub os_image: String,
    pub container_runtime_version: String,
    pub kubelet_version: String,
}

/// Everything the status `update_status` writes is computed from, besides the status itself
/// (kept transition times, conditions others own) and the pod's spec (which does not change):
/// per container its instances, whether the newest has started and ended, the writes of its
/// reason cache and its startup and readiness results; and the pod's deletion, terminal
/// flags, sandbox, node and the node controller's mark. The same inputs give the same status,
/// so a periodic resync in a steady pod does not rebuild it (debug builds check that it would
/// come out the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatusInputs {
    pub(crate) containers: Vec<(u32, bool, bool, u32, bool, bool)>,
    pub(crate) flags: [bool; 8],
    pub(crate) sandbox_ready_at: Option<crate::clock::Millis>,
    pub(crate) node: Option<usize>,
}
