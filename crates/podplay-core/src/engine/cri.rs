//! What the kubelet needs from a container runtime: the CRI surface (sandboxes, containers,
//! exec) plus the network the probers use. `podplay_runtime::Runtime` implements it for real;
//! the kubelet's tests use a fake, as the kubelet's own tests do.

use crate::clock::Millis;

pub type SandboxHandle = u64;
pub type ContainerHandle = u64;

#[derive(Debug, Clone)]
pub enum ImageInfo {
    Present {
        image_id: String,
        size_bytes: u64,
        pull_ms: Millis,
        /// The image's user as the CRI's image status gives it (containerd's
        /// `getUserFromImage`): a numeric user's uid, else its name; neither: root.
        uid: Option<i64>,
        username: String,
    },
    /// The registry would refuse it; `error` is the runtime's pull error text.
    Missing { error: String },
}

#[derive(Debug, Clone, Default)]
pub struct SandboxSpec {
    pub pod_name: String,
    pub namespace: String,
    pub uid: String,
    pub hostname: String,
    pub ip: String,
    /// The pod's volumes, by name.
    pub volumes: Vec<(String, VolumeMedium)>,
    /// The node (its index): the pod's containers, volumes and logs are on its disk.
    pub node: usize,
    /// The pod's `fsGroup`: the group of the volumes whose ownership the kubelet manages.
    pub fs_group: Option<u32>,
    /// Those volumes, by name (emptyDir, configMap, secret, downwardAPI, projected).
    pub owned_volumes: Vec<String>,
}

/// Where a volume's files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeMedium {
    /// An `emptyDir` on the node's disk.
    Disk,
    /// An `emptyDir` with `medium: Memory`: a tmpfs of this size (`sizeLimit`; None: the
    /// node's memory).
    Memory(Option<u64>),
    /// A volume of files the kubelet writes (configMap, secret, projected, ...): not counted.
    /// (relative path, content, mode).
    Files(Vec<(String, Vec<u8>, u32)>),
    /// `hostPath`: this path of the node's own files.
    HostPath(String),
}

#[derive(Debug, Clone, Default)]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub env: Vec<(String, String)>,
    pub working_dir: Option<String>,
    pub mounts: Vec<MountSpec>,
    pub memory_limit_bytes: Option<u64>,
    /// `terminationMessagePath`: where the kubelet mounts the container's termination message
    /// file.
    pub termination_message_path: Option<String>,
    /// The user, groups and capabilities the pod's security contexts ask for.
    pub security: ContainerSecurity,
}

/// A volume mounted into a container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MountSpec {
    pub volume: String,
    pub path: String,
    pub read_only: bool,
    /// The volume's part to mount (`subPath`, or `subPathExpr` expanded), relative and without
    /// `..`.
    pub sub_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartFailure {
    pub exit_code: i32,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecResult {
    /// `output` is stdout and stderr interleaved as written (what exec probes read); `stdout`
    /// and `stderr` apart are what `kubectl exec` passes to its own two streams, and `stderr`
    /// is what the CRI's ExecSync error text quotes.
    Completed {
        output: String,
        stdout: String,
        stderr: String,
        exit_code: i32,
        duration_ms: Millis,
    },
    TimedOut {
        duration_ms: Millis,
    },
    /// The runtime refused: the container's init process is gone. `exit_code` is `Some` where
    /// the runtime reports it as an exit (dockershim: 126) rather than an RPC error.
    NotRunning {
        exit_code: Option<i32>,
        output: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpResult {
    Refused,
    /// The server accepted and closed without an answer (Go: `EOF`).
    Closed,
    TimedOut,
    Response {
        status: u16,
    },
    /// A 3xx: its `Location` header (if any) and its body, which the prober follows or reports.
    Redirect {
        status: u16,
        location: Option<String>,
        body: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TcpResult {
    Connected,
    Refused,
    TimedOut,
}

/// The protocol's own values, shared with the runtime: a health check's serving status and the
/// gRPC status codes.
pub use podplay_runtime::{GrpcCode, HealthStatus};

/// What the kubelet asks about a container's user and privileges (the CRI's security
/// context), shared with the runtime.
pub use podplay_runtime::{ContainerSecurity, UserRequest};

/// What a gRPC client gets from `grpc.health.v1.Health/Check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrpcHealthResult {
    /// The server's `HealthCheckResponse` status.
    Status(HealthStatus),
    /// The call ended with a gRPC error status.
    Error { code: GrpcCode, message: String },
    /// No gRPC connection within the timeout: the port refused or dropped it, or its server
    /// does not speak gRPC.
    NotConnected,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerExit {
    pub container: ContainerHandle,
    pub at: Millis,
    pub exit_code: i32,
    /// `Completed`, `Error`, `OOMKilled`.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at: Millis,
    pub text: String,
    /// A 16 KiB piece of a longer line (the CRI's `P` tag): `kubectl logs` prints the next
    /// record right after it, with no line end and no time stamp between.
    pub partial: bool,
}

/// What a pod holds on its node's disk, as the kubelet's stats report it (bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodStorage {
    /// Each volume's usage (`du`), by name.
    pub volumes: Vec<(String, u64)>,
    /// Per container (by handle): its writable layer, its log directory.
    pub containers: Vec<(ContainerHandle, u64, u64)>,
}

/// A node's disk as the kubelet's stats see it (bytes), and how many programs are filling files
/// on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeDisk {
    pub capacity: u64,
    pub used: u64,
    pub file_writers: usize,
}

pub trait Cri {
    /// Makes an author-defined image pullable; `Err` says which field is wrong.
    fn register_image(&mut self, image: &crate::model::Image) -> Result<(), String>;
    fn image(&self, reference: &str) -> ImageInfo;
    /// Whether the runtime runs the image generically (an official image whose programs it
    /// does not model), so that explanations can say its behaviour is not the real program's.
    fn image_is_generic(&self, _reference: &str) -> bool {
        false
    }
    fn run_sandbox(&mut self, now: Millis, spec: &SandboxSpec) -> SandboxHandle;
    fn stop_sandbox(&mut self, now: Millis, sandbox: SandboxHandle);
    /// The kubelet writes a volume of files (`VolumeMedium::Files`) again, at a remount: the
    /// containers that mount it see the new files (a `subPath` mount keeps its old file).
    fn update_volume_files(&mut self, _now: Millis, _sandbox: SandboxHandle, _volume: &str, _files: Vec<(String, Vec<u8>, u32)>) {}
    /// The hostPath plugin's SetUp of `path` on node `node` with its `type`: the `...OrCreate`
    /// types make what is missing, every type checks what is there; `Err` is the plugin's
    /// message. A runtime without node files passes every check.
    fn host_path_set_up(&mut self, _now: Millis, _node: usize, _path: &str, _path_type: &str) -> Result<(), String> {
        Ok(())
    }
    fn create_container(&mut self, now: Millis, sandbox: SandboxHandle, spec: &ContainerSpec) -> Result<ContainerHandle, String>;
    fn start_container(&mut self, now: Millis, id: ContainerHandle) -> Result<(), StartFailure>;
    /// Stop signal now, SIGKILL at `now + timeout_secs` if still running.
    fn stop_container(&mut self, now: Millis, id: ContainerHandle, timeout_secs: u64);
    fn exec_sync(&mut self, now: Millis, id: ContainerHandle, argv: &[String], timeout: Option<Millis>) -> ExecResult;
    /// `exec_sync` for `kubectl exec`, and whether the exec changed anything beyond printing
    /// (a file, a process left running, a signal, a request to a server). A runtime that cannot
    /// tell says it did.
    fn exec_sync_traced(&mut self, now: Millis, id: ContainerHandle, argv: &[String], timeout: Option<Millis>) -> (ExecResult, bool) {
        (self.exec_sync(now, id, argv, timeout), true)
    }
    fn http_get(&mut self, now: Millis, ip: &str, port: u16, path: &str, headers: &[(String, String)], timeout: Millis) -> HttpResult;
    fn tcp_connect(&mut self, now: Millis, ip: &str, port: u16, timeout: Millis) -> TcpResult;
    /// `grpc.health.v1.Health/Check` of `service` at ip:port, over a plaintext connection.
    fn grpc_health_check(&mut self, now: Millis, ip: &str, port: u16, service: &str, timeout: Millis) -> GrpcHealthResult;
    fn next_wakeup(&self) -> Option<Millis>;
    fn advance(&mut self, to: Millis) -> Vec<ContainerExit>;
    /// `containerd://…` or `docker://…`.
    fn container_id(&self, id: ContainerHandle) -> String;
    /// The last `max` bytes of the file mounted at `path` in the container (its termination
    /// message file), as the kubelet reads it from the host; None when there is no such mount.
    fn mounted_file_tail(&self, _id: ContainerHandle, _path: &str, _max: u64) -> Option<Vec<u8>> {
        None
    }
    /// The last `tail` lines of the container's current log file (all without `tail`).
    fn logs(&self, id: ContainerHandle, tail: Option<usize>) -> Vec<LogLine>;
    /// Cluster DNS (`NAME.NAMESPACE.svc.cluster.local` → ClusterIP) for names used inside containers.
    fn set_cluster_dns(&mut self, records: Vec<(String, String)>);
    /// The runtime's bulk work (`Bulk`); None for a runtime that runs everything one by one
    /// (the prober then ticks each probe, and no loop is run in bulk).
    fn bulk(&mut self) -> Option<&mut dyn Bulk> {
        None
    }
    /// kube-proxy: a Service port exists (refused until it has endpoints).
    fn expose_service_port(&mut self, _cluster_ip: &str, _port: u16) {}
    /// Node `node`'s disk (its nodefs, where writable layers, emptyDirs and logs are) is
    /// `capacity` bytes.
    fn set_node_disk(&mut self, _node: usize, _capacity: u64) {}
    /// Node `node`'s disk at `now`; None for a runtime without disks.
    fn node_disk(&mut self, _now: Millis, _node: usize) -> Option<NodeDisk> {
        None
    }
    /// The nodes where a program started filling a file since the last call.
    fn take_disk_activity(&mut self) -> Vec<usize> {
        Vec::new()
    }
    /// What the pod's containers and volumes hold at `now`.
    fn pod_storage(&mut self, _now: Millis, _sandbox: SandboxHandle) -> PodStorage {
        PodStorage::default()
    }
    /// The pod's containers and volumes are removed (the kubelet cleaned it up): their space is
    /// freed.
    fn remove_pod_storage(&mut self, _now: Millis, _sandbox: SandboxHandle) {}
    /// kube-proxy: connections to ClusterIP:port reach this endpoint (`present`) or no longer do.
    fn set_service_endpoint(&mut self, _cluster_ip: &str, _port: u16, _endpoint_ip: &str, _endpoint_port: u16, _present: bool) {}
}

/// The request a probe repeats, as a standing probe knows it (`Bulk::stand_probe`).
#[derive(Debug, Clone, Copy)]
pub enum StandingTarget<'a> {
    /// `Cri::http_get` of `path` on ip:port with `headers`.
    Http { ip: &'a str, port: u16, path: &'a str, headers: &'a [(String, String)] },
    /// `Cri::tcp_connect` to ip:port.
    Tcp { ip: &'a str, port: u16 },
    /// `Cri::exec_sync` of `command` in `container` with `timeout`.
    Exec { container: ContainerHandle, command: &'a [String], timeout: Millis },
}

/// What the engine tells a runtime so that it may do work in bulk without changing what anyone
/// sees (the fast-forward): where the engine's work is, how far nothing outside the runtime acts,
/// and the standing probes (`podplay_runtime::standing`). Kept apart from `Cri`, which is the
/// kubelet's view of a container runtime.
pub trait Bulk {
    /// Where the engine's work is: probe ticks before (`at`, `rank`) have happened.
    fn set_order_point(&mut self, at: Millis, rank: u64);
    /// The engine's next task, for the next `advance`: nothing outside the runtime acts before
    /// it, so a busy process may be run in bulk until then.
    fn set_horizon(&mut self, t: Millis);
    /// Makes the probe request that just ran a standing probe ticking every `period` from
    /// `first`, if its next answers are known to be the same success: a status-only GET
    /// answering 200–399, a TCP connection that opens, an exec exiting 0.
    fn stand_probe(&mut self, target: StandingTarget<'_>, first: Millis, period: Millis, rank: u64) -> Option<u32>;
    /// Ends a standing probe at the current point; its first tick still to run.
    fn end_standing(&mut self, id: u32) -> Option<Millis>;
    /// Standing probes broken since the last call, each with its first tick still to run.
    fn take_broken_standing(&mut self) -> Vec<(u32, Millis)>;
    /// Every standing probe's ticks before the current point take effect.
    fn settle_standing(&mut self);
    /// Whether steady shell loops run in bulk (on by default; off runs them turn by turn, to
    /// compare).
    fn set_loops_in_bulk(&mut self, on: bool);
}
