//! Public value types of the runtime API.

pub use crate::io::Stream;

/// Virtual time: milliseconds since the scenario started.
pub type Millis = u64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SandboxId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContainerId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuntimeFlavor {
    Containerd,
    Docker,
}

/// BusyBox releases whose observable texts differ (images.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BusyboxVersion {
    V1_28,
    V1_36,
    V1_37,
    V1_38,
}

impl BusyboxVersion {
    /// `busybox:<tag>` → version; `None` for `latest`/untagged (caller picks the era's latest).
    pub fn from_tag(tag: &str) -> Option<BusyboxVersion> {
        let mut it = tag.split(['.', '-']);
        let major: u32 = it.next()?.parse().ok()?;
        let minor: u32 = it.next().and_then(|m| m.parse().ok()).unwrap_or(99);
        if major != 1 {
            return None;
        }
        Some(match minor {
            0..=28 => BusyboxVersion::V1_28,
            29..=36 => BusyboxVersion::V1_36,
            37 => BusyboxVersion::V1_37,
            _ => BusyboxVersion::V1_38,
        })
    }

    /// First line of applet usage texts (images.md §1.4 build stamps).
    pub fn banner(self) -> &'static str {
        match self {
            BusyboxVersion::V1_28 => "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.",
            BusyboxVersion::V1_36 => "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.",
            BusyboxVersion::V1_37 => "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.",
            BusyboxVersion::V1_38 => "BusyBox v1.38.0 (2026-05-13 02:21:49 UTC) multi-call binary.",
        }
    }

    /// Image creation time (unix seconds): the mtime of the image's files.
    pub fn image_created(self) -> i64 {
        match self {
            BusyboxVersion::V1_28 => 1_527_008_417,
            BusyboxVersion::V1_36 => 1_684_449_257,
            BusyboxVersion::V1_37 => 1_727_386_302,
            BusyboxVersion::V1_38 => 1_778_638_909,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Signal {
    Hup,
    Int,
    Quit,
    Kill,
    Usr1,
    Usr2,
    Term,
    Winch,
}

impl Signal {
    pub fn number(self) -> i32 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Quit => 3,
            Signal::Kill => 9,
            Signal::Usr1 => 10,
            Signal::Usr2 => 12,
            Signal::Term => 15,
            Signal::Winch => 28,
        }
    }
    pub fn from_number(n: i32) -> Option<Signal> {
        [Signal::Hup, Signal::Int, Signal::Quit, Signal::Kill, Signal::Usr1, Signal::Usr2, Signal::Term, Signal::Winch]
            .into_iter()
            .find(|s| s.number() == n)
    }
    /// Name without `SIG` (as `kill -l`, `trap` use).
    pub fn name(self) -> &'static str {
        match self {
            Signal::Hup => "HUP",
            Signal::Int => "INT",
            Signal::Quit => "QUIT",
            Signal::Kill => "KILL",
            Signal::Usr1 => "USR1",
            Signal::Usr2 => "USR2",
            Signal::Term => "TERM",
            Signal::Winch => "WINCH",
        }
    }
    pub fn parse(s: &str) -> Option<Signal> {
        if let Ok(n) = s.parse::<i32>() {
            return Signal::from_number(n);
        }
        let u = s.to_ascii_uppercase();
        let u = u.strip_prefix("SIG").unwrap_or(&u).to_string();
        [Signal::Hup, Signal::Int, Signal::Quit, Signal::Kill, Signal::Usr1, Signal::Usr2, Signal::Term, Signal::Winch]
            .into_iter()
            .find(|s| s.name() == u)
    }
}

/// One record of a container's log file: a line, or (`partial`, tag `P`) a piece of a line
/// longer than the runtime's 16 KiB line buffer, which `kubectl logs` joins with what follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub at: Millis,
    pub stream: Stream,
    pub text: String,
    pub partial: bool,
}

impl LogLine {
    pub fn new(at: Millis, stream: Stream, text: String) -> LogLine {
        LogLine { at, stream, text, partial: false }
    }
}

/// The disk of the node podplay makes when a scenario has none (`ephemeral-storage:
/// 102626232Ki`, a kind node on a 100 GB host disk).
pub const DEFAULT_DISK_CAPACITY: u64 = 102_626_232 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeConfig {
    pub flavor: RuntimeFlavor,
    /// What `busybox` / `busybox:latest` means in the chosen era.
    pub busybox_latest: BusyboxVersion,
    /// Hard cap on interpreter steps per `advance`/`start_container`/`exec_sync` call.
    pub step_budget: u64,
    /// Virtual CPU speed: shell steps per virtual millisecond.
    pub steps_per_ms: u64,
    /// Seeds container IDs and exec IDs.
    pub seed: u64,
    /// Wall-clock time (unix seconds, UTC) of virtual time 0: what `date` and log stamps show.
    pub wall_clock_start: i64,
    /// Node kernel release (`uname -r`, nginx `OS: Linux …`).
    pub kernel_release: String,
    /// Node kernel version string (`uname -v`; the part of `uname -a` after the release).
    pub kernel_version: String,
    /// Size and file-count limits of every writable layer and volume.
    pub fs_limits: crate::fs::FsLimits,
    /// CPUs of the node (nginx starts one worker per CPU).
    pub node_cpus: u32,
    /// A node's disk (the filesystem of its writable layers, `emptyDir` volumes and container
    /// logs) when the engine gives none (`Runtime::set_node_disk`): its size, and what the
    /// node's system, images and other files already use of it.
    pub node_disk_capacity: u64,
    pub node_disk_used: u64,
    /// The node's memory: the size of a `medium: Memory` emptyDir without `sizeLimit`.
    pub node_memory: u64,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            flavor: RuntimeFlavor::Containerd,
            // images.md §1.1: `latest` is 1.38.0 since 2026-05 (the default wall clock is 2026-11).
            busybox_latest: BusyboxVersion::V1_38,
            step_budget: 2_000_000,
            steps_per_ms: 1_000,
            seed: 0x5eed,
            // 2026-11-25 10:00:00 UTC
            wall_clock_start: 1_795_600_800,
            kernel_release: "6.8.0-45-generic".into(),
            kernel_version: "#45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024".into(),
            fs_limits: crate::fs::FsLimits::default(),
            node_cpus: 2,
            // kind's default node: 102626232Ki, of which 30 % is already used.
            node_disk_capacity: DEFAULT_DISK_CAPACITY,
            node_disk_used: DEFAULT_DISK_CAPACITY / 10 * 3 / 4096 * 4096,
            node_memory: 8_131_248 * 1024,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageLookup {
    /// `user`: the image's `User` (empty: root), as the CRI's image status reports it.
    Found {
        normalized: String,
        image_id: String,
        size_bytes: u64,
        repo_digest: String,
        pull_duration_ms: Millis,
        user: String,
    },
    NotFound {
        pull_error: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VolumeSource {
    /// An `emptyDir` on the node's disk.
    EmptyDir,
    /// An `emptyDir` with `medium: Memory`: a tmpfs of this size (its `sizeLimit`, else the
    /// node's memory), not on the node's disk.
    Memory(Option<u64>),
    /// configMap / secret / downwardAPI / projected: (relative path, content, mode).
    Files(Vec<(String, Vec<u8>, u32)>),
    /// `hostPath`: this absolute path of the node's own files (which the kubelet's type check
    /// has passed).
    HostPath(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeSpec {
    pub name: String,
    pub source: VolumeSource,
    /// The kubelet manages the volume's ownership (emptyDir, configMap, secret, downwardAPI,
    /// projected): the pod's `fsGroup` applies to it.
    pub owned: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsRecord {
    /// Fully qualified, e.g. `web.default.svc.cluster.local`.
    pub name: String,
    pub ip: String,
}

/// A Service port as kube-proxy programs it: ClusterIP:port → ready endpoints (pod IP, port).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRoute {
    pub cluster_ip: String,
    pub port: u16,
    pub endpoints: Vec<(String, u16)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SandboxConfig {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub hostname: String,
    pub pod_ip: String,
    pub volumes: Vec<VolumeSpec>,
    /// Extra `/etc/hosts` entries (hostAliases): (ip, names).
    pub host_aliases: Vec<(String, Vec<String>)>,
    /// Cluster DNS server (kube-dns ClusterIP) for resolv.conf.
    pub dns_server: String,
    /// The node the pod runs on: its containers and volumes are on that node's disk.
    pub node: u32,
    /// The pod's `fsGroup`: the kubelet gives its volumes this group (`Tree::set_volume_ownership`).
    pub fs_group: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountSpec {
    pub volume: String,
    pub path: String,
    pub read_only: bool,
    /// The volume's part to mount (`subPath`, or `subPathExpr` expanded; the kubelet checked
    /// it is relative and has no `..`); made as directories when missing.
    pub sub_path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ContainerConfig {
    pub name: String,
    /// Normalized image reference (as returned by `resolve_image`).
    pub image: String,
    /// Kubernetes `command` (replaces the image Entrypoint, and drops its Cmd).
    pub command: Vec<String>,
    /// Kubernetes `args` (replaces the image Cmd).
    pub args: Vec<String>,
    /// Built by the kubelet: container `env` then service links.
    pub env: Vec<(String, String)>,
    pub working_dir: Option<String>,
    pub mounts: Vec<MountSpec>,
    pub memory_limit_bytes: Option<u64>,
    /// Where the kubelet bind-mounts the container's termination message file (the spec's
    /// `terminationMessagePath`); None: no such file, as under a plain `docker run`.
    pub termination_message_path: Option<String>,
    pub security: ContainerSecurity,
}

/// A container's security settings as the kubelet passes them to the runtime (the CRI's
/// `LinuxContainerSecurityContext`, from the container's and the pod's `securityContext`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ContainerSecurity {
    /// Who the container's processes are, where the pod says (the rest comes from the image).
    pub user: UserRequest,
    /// `readOnlyRootFilesystem`: the container's own files cannot be changed.
    pub read_only_root: bool,
    /// `allowPrivilegeEscalation: false` (runc's `noNewPrivileges`): a set-user-ID program
    /// runs as its caller.
    pub no_new_privs: bool,
    /// `privileged: true`: every capability (a root process may, e.g., make network links).
    pub privileged: bool,
    /// `capabilities.add` and `capabilities.drop` as written (`NET_ADMIN`, `ALL`).
    pub capabilities_add: Vec<String>,
    pub capabilities_drop: Vec<String>,
}

/// The user the kubelet asks the runtime for (the CRI's `LinuxContainerSecurityContext`):
/// `runAsUser`, `runAsGroup` and the supplementary groups (the pod's `fsGroup`, then its
/// `supplementalGroups`). What is not set comes from the image: its user (root for every
/// catalog image), that user's group in the image's `/etc/passwd` (else 0), and the groups of
/// the image's `/etc/group` that list the user (containerd's `WithAdditionalGIDs`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct UserRequest {
    /// The image's `User`, which the runtime fills in from the image when empty (see
    /// `ImageInfo`).
    pub image_user: String,
    pub run_as_user: Option<u32>,
    pub run_as_group: Option<u32>,
    pub supplemental_groups: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartFailure {
    pub exit_code: i32,
    pub reason: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecOutcome {
    Completed {
        output: String,
        stdout: String,
        stderr: String,
        exit_code: i32,
        duration_ms: Millis,
    },
    TimedOut {
        output: String,
        stdout: String,
        stderr: String,
        after_ms: Millis,
    },
    /// The container's PID 1 is gone (kubelet.md §4 "cannot exec in a stopped state").
    NotRunning {
        message: String,
        exit_code: Option<i32>,
    },
    /// The binary does not exist (images.md §6.1); `exit_code` is set for the Docker flavor.
    MissingBinary {
        message: String,
        exit_code: Option<i32>,
    },
}

/// What a client that reads only the status code (the kubelet's prober) gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpStatusOutcome {
    Status(u16),
    /// A 3xx: its `Location` header, if it has one, and its body.
    Redirect {
        status: u16,
        location: Option<String>,
        body: Vec<u8>,
    },
    Refused,
    TimedOut,
    /// Connected, but the server closed without answering.
    Closed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpOutcome {
    Refused,
    TimedOut,
    Response {
        status: u16,
        reason: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Connected, but the server closed without answering (redis to an HTTP request).
    Closed,
}

/// A `grpc.health.v1.HealthCheckResponse.ServingStatus` (grpc's `health/v1/health.proto`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthStatus {
    Unknown,
    Serving,
    NotServing,
    /// Only `Watch` answers it (grpc's health-checking protocol); `Check` says `NotFound`.
    ServiceUnknown,
}

impl HealthStatus {
    /// The enum value's name, as the generated Go `String()` prints it.
    pub fn name(self) -> &'static str {
        match self {
            HealthStatus::Unknown => "UNKNOWN",
            HealthStatus::Serving => "SERVING",
            HealthStatus::NotServing => "NOT_SERVING",
            HealthStatus::ServiceUnknown => "SERVICE_UNKNOWN",
        }
    }
}

/// The gRPC status codes (grpc-go `codes`) a call can end with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrpcCode {
    Canceled,
    Unknown,
    InvalidArgument,
    DeadlineExceeded,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    ResourceExhausted,
    FailedPrecondition,
    Aborted,
    OutOfRange,
    Unimplemented,
    Internal,
    Unavailable,
    DataLoss,
    Unauthenticated,
}

impl GrpcCode {
    /// `codes.Code.String()`.
    pub fn name(self) -> &'static str {
        match self {
            GrpcCode::Canceled => "Canceled",
            GrpcCode::Unknown => "Unknown",
            GrpcCode::InvalidArgument => "InvalidArgument",
            GrpcCode::DeadlineExceeded => "DeadlineExceeded",
            GrpcCode::NotFound => "NotFound",
            GrpcCode::AlreadyExists => "AlreadyExists",
            GrpcCode::PermissionDenied => "PermissionDenied",
            GrpcCode::ResourceExhausted => "ResourceExhausted",
            GrpcCode::FailedPrecondition => "FailedPrecondition",
            GrpcCode::Aborted => "Aborted",
            GrpcCode::OutOfRange => "OutOfRange",
            GrpcCode::Unimplemented => "Unimplemented",
            GrpcCode::Internal => "Internal",
            GrpcCode::Unavailable => "Unavailable",
            GrpcCode::DataLoss => "DataLoss",
            GrpcCode::Unauthenticated => "Unauthenticated",
        }
    }
}

/// A gRPC server's answer to `grpc.health.v1.Health/Check`: a status, or an error status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrpcHealthAnswer {
    Status(HealthStatus),
    Error { code: GrpcCode, message: String },
}

/// What a gRPC client's health check (`Runtime::grpc_health_check`) gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrpcHealthOutcome {
    /// The server answered the call.
    Answered(GrpcHealthAnswer),
    /// No gRPC connection came up: the port is refused or unanswered, or its server does not
    /// speak gRPC (HTTP/1, redis). A blocking grpc-go dial retries until its deadline either way.
    NotConnected,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpOutcome {
    Connected,
    Refused,
    TimedOut,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeEvent {
    ContainerExited {
        id: ContainerId,
        at: Millis,
        exit_code: i32,
        reason: String,
    },
    /// A process used up the step budget of one call; its remaining time in that call was skipped.
    StepBudgetExhausted {
        id: ContainerId,
        at: Millis,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerState {
    Created,
    Running { started_at: Millis },
    Exited { exit_code: i32, reason: String, message: String, started_at: Millis, finished_at: Millis },
}

/// An HTTP rule of an author-defined image: from `after_ms` (since the process started) on,
/// `path` answers `status` with `body`, after `delay_ms`. The latest matching rule wins.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HttpRule {
    pub path: String,
    pub after_ms: Millis,
    pub status: u16,
    pub body: String,
    /// Response time; a client with a shorter timeout (probe `timeoutSeconds`) times out.
    pub delay_ms: Millis,
}

/// How an author-defined program reacts to a signal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignalBehavior {
    pub signal: Signal,
    /// `None`: no handler (ignored as PID 1).
    pub exit_code: Option<i32>,
    pub delay_ms: Millis,
    pub log: Vec<String>,
}

/// An image defined by the scenario author (plain data; the engine parses YAML into it).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ImageDef {
    /// Reference as written in pods, e.g. `example.com/app:v1` (normalized on registration).
    pub name: String,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<(String, String)>,
    pub working_dir: Option<String>,
    /// Include a busybox userland (`/bin/sh` and applets) of this version.
    pub busybox: Option<BusyboxVersion>,
    /// Extra files: (absolute path, content, mode).
    pub files: Vec<(String, String, u32)>,
    /// Path of the image's main program (default `/app`); exec'ing it runs the behaviour below.
    pub program_path: String,
    /// A shell script run before the program (by the image's busybox `sh`, which is added if
    /// `busybox` is unset); it ends by exec'ing the program, so the program stays PID 1.
    pub startup_script: Option<String>,
    /// Lines printed on stdout when the program starts, each at (offset ms, text).
    pub startup_output: Vec<(Millis, String)>,
    pub ports: Vec<u16>,
    /// Delay before the program listens on `ports`.
    pub listen_delay_ms: Millis,
    pub http_rules: Vec<HttpRule>,
    pub signals: Vec<SignalBehavior>,
    /// (offset ms since start, resident bytes): a step function of memory use.
    pub memory: Vec<(Millis, u64)>,
    /// Exit on its own after this long, with this code.
    pub exit_after: Option<(Millis, i32)>,
    pub stop_signal: Option<Signal>,
    pub size_bytes: u64,
}

/// What one container of a pod holds on the node's disk (`Runtime::pod_storage`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerStorage {
    pub id: ContainerId,
    /// Its writable layer: what was written since it was created, as `du` counts it.
    pub rootfs: u64,
    /// Its log directory: the current file, the newest rotated one and the compressed others.
    pub logs: u64,
}

/// What a pod holds on its node's disk, as the kubelet's stats report it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PodStorage {
    /// Each volume's `du`, by name.
    pub volumes: Vec<(String, u64)>,
    pub containers: Vec<ContainerStorage>,
}
