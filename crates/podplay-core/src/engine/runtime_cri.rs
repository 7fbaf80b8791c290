//! The real runtime behind the kubelet: `podplay_runtime::Runtime` (images, processes, shell,
//! filesystem, network) seen through the CRI surface the engine uses.

use podplay_runtime as rt;

use super::cri::*;
use crate::clock::{Millis, EPOCH_UNIX_SECONDS};
use crate::version::{Release, RuntimeKind};

pub(crate) struct RuntimeCri {
    runtime: rt::Runtime,
    handles: Vec<rt::ContainerId>,
    sandboxes: Vec<rt::SandboxId>,
    /// Exits already handed to the kubelet.
    reported: Vec<bool>,
    /// Exits that happened inside a call (PID 1 failing at start, an exec killing it) rather
    /// than in `advance`; they are handed over at the next wake-up, as PLEG would notice them.
    pending: Vec<ContainerExit>,
}

impl RuntimeCri {
    pub(crate) fn new(release: &Release, seed: u64) -> Self {
        let busybox_latest =
            rt::BusyboxVersion::from_tag(&format!("1.{}", release.busybox_latest_minor)).unwrap_or(rt::BusyboxVersion::V1_37);
        let config = rt::RuntimeConfig {
            flavor: match release.runtime {
                RuntimeKind::Docker => rt::RuntimeFlavor::Docker,
                RuntimeKind::Containerd => rt::RuntimeFlavor::Containerd,
            },
            busybox_latest,
            seed,
            wall_clock_start: EPOCH_UNIX_SECONDS,
            ..Default::default()
        };
        RuntimeCri {
            runtime: rt::Runtime::new(config),
            handles: Vec::new(),
            sandboxes: Vec::new(),
            reported: Vec::new(),
            pending: Vec::new(),
        }
    }

    fn id(&self, handle: ContainerHandle) -> rt::ContainerId {
        self.handles[handle as usize]
    }

    /// Queues the exit of container `handle` if a call just ended it.
    fn note_exit(&mut self, handle: ContainerHandle) {
        let h = handle as usize;
        if self.reported[h] {
            return;
        }
        if let rt::ContainerState::Exited { exit_code, reason, finished_at, .. } = self.runtime.container_state(self.handles[h]) {
            self.reported[h] = true;
            self.pending.push(ContainerExit { container: handle, at: finished_at, exit_code, reason });
        }
    }
}

/// An `Image` document as the runtime's plain `ImageDef`; errors name the field.
fn image_def(image: &crate::model::Image) -> Result<rt::ImageDef, String> {
    let spec = &image.spec;
    let signal = |field: &str, name: &str| {
        rt::Signal::parse(name)
            .ok_or_else(|| format!("{field}: unknown signal {name:?} (use SIGTERM, SIGINT, SIGQUIT, SIGKILL, SIGUSR1, ...)"))
    };
    let busybox = match &spec.busybox {
        None => None,
        Some(v) => Some(
            rt::BusyboxVersion::from_tag(v)
                .ok_or_else(|| format!("spec.busybox: unknown busybox version {v:?} (use 1.28, 1.36, 1.37 or 1.38)"))?,
        ),
    };
    let mut files = Vec::new();
    for (i, f) in spec.files.iter().enumerate() {
        let mode = match &f.mode {
            None => 0o644,
            Some(m) => u32::from_str_radix(m.trim_start_matches("0o"), 8)
                .map_err(|_| format!("spec.files[{i}].mode: {m:?} is not an octal mode such as \"0755\""))?,
        };
        if !f.path.starts_with('/') {
            return Err(format!("spec.files[{i}].path: {:?} must be an absolute path", f.path));
        }
        files.push((f.path.clone(), f.content.clone(), mode));
    }
    let mut signals = Vec::new();
    for (i, s) in spec.signals.iter().enumerate() {
        signals.push(rt::SignalBehavior {
            signal: signal(&format!("spec.signals[{i}].signal"), &s.signal)?,
            exit_code: s.exit_code,
            delay_ms: s.after,
            log: s.log.clone(),
        });
    }
    Ok(rt::ImageDef {
        name: image.metadata.name.clone(),
        entrypoint: spec.entrypoint.clone(),
        cmd: spec.cmd.clone(),
        env: spec.env.iter().map(|e| (e.name.clone(), e.value.clone())).collect(),
        working_dir: spec.working_dir.clone(),
        busybox,
        files,
        program_path: spec.program.clone().unwrap_or_else(|| "/app".into()),
        startup_script: spec.startup_script.clone(),
        startup_output: spec.output.iter().map(|l| (l.after, l.text.clone())).collect(),
        ports: spec.ports.clone(),
        listen_delay_ms: spec.listen_after.unwrap_or(0),
        http_rules: spec
            .http
            .iter()
            .map(|h| rt::HttpRule { path: h.path.clone(), after_ms: h.after, status: h.status, body: h.body.clone(), delay_ms: h.delay })
            .collect(),
        signals,
        memory: spec.memory.iter().map(|m| (m.after, m.usage.value().max(0) as u64)).collect(),
        exit_after: spec.exit.as_ref().map(|e| (e.after, e.code)),
        stop_signal: match &spec.stop_signal {
            None => None,
            Some(s) => Some(signal("spec.stopSignal", s)?),
        },
        size_bytes: spec.size.as_ref().map(|q| q.value().max(0) as u64).unwrap_or(5 * 1024 * 1024),
    })
}

/// containerd's `getUserFromImage`: the user part of `USER[:GROUP]`, as a uid when numeric,
/// else as a name; an empty user is neither.
fn user_from_image(user: &str) -> (Option<i64>, String) {
    let user = user.split(':').next().unwrap_or("");
    match user.parse::<i64>() {
        _ if user.is_empty() => (None, String::new()),
        Ok(uid) => (Some(uid), String::new()),
        Err(_) => (None, user.to_string()),
    }
}

impl Cri for RuntimeCri {
    fn register_image(&mut self, image: &crate::model::Image) -> Result<(), String> {
        let def = image_def(image)?;
        self.runtime.register_image(def)
    }

    fn image(&self, reference: &str) -> ImageInfo {
        match self.runtime.resolve_image(reference) {
            rt::ImageLookup::Found { image_id, size_bytes, pull_duration_ms, user, .. } => {
                let (uid, username) = user_from_image(&user);
                ImageInfo::Present { image_id, size_bytes, pull_ms: pull_duration_ms, uid, username }
            }
            rt::ImageLookup::NotFound { pull_error } => ImageInfo::Missing { error: pull_error },
        }
    }

    fn image_is_generic(&self, reference: &str) -> bool {
        self.runtime.image_is_generic(reference)
    }

    fn run_sandbox(&mut self, now: Millis, spec: &SandboxSpec) -> SandboxHandle {
        let config = rt::SandboxConfig {
            name: spec.pod_name.clone(),
            namespace: spec.namespace.clone(),
            uid: spec.uid.clone(),
            hostname: spec.hostname.clone(),
            pod_ip: spec.ip.clone(),
            volumes: spec
                .volumes
                .iter()
                .map(|(name, medium)| rt::VolumeSpec {
                    owned: spec.owned_volumes.contains(name),
                    name: name.clone(),
                    source: match medium {
                        VolumeMedium::Disk => rt::VolumeSource::EmptyDir,
                        VolumeMedium::Memory(size) => rt::VolumeSource::Memory(*size),
                        VolumeMedium::Files(files) => rt::VolumeSource::Files(files.clone()),
                        VolumeMedium::HostPath(path) => rt::VolumeSource::HostPath(path.clone()),
                    },
                })
                .collect(),
            host_aliases: Vec::new(),
            dns_server: "10.96.0.10".into(),
            node: spec.node as u32,
            fs_group: spec.fs_group,
        };
        let id = self.runtime.run_sandbox(now, config);
        self.sandboxes.push(id);
        (self.sandboxes.len() - 1) as SandboxHandle
    }

    fn stop_sandbox(&mut self, now: Millis, sandbox: SandboxHandle) {
        let id = self.sandboxes[sandbox as usize];
        self.runtime.stop_sandbox(now, id);
    }

    fn host_path_set_up(&mut self, now: Millis, node: usize, path: &str, path_type: &str) -> Result<(), String> {
        self.runtime.host_path_set_up(now, node as u32, path, path_type)
    }

    fn update_volume_files(&mut self, now: Millis, sandbox: SandboxHandle, volume: &str, files: Vec<(String, Vec<u8>, u32)>) {
        let id = self.sandboxes[sandbox as usize];
        self.runtime.update_volume_files(now, id, volume, files);
    }

    fn create_container(&mut self, now: Millis, sandbox: SandboxHandle, spec: &ContainerSpec) -> Result<ContainerHandle, String> {
        let image = match self.runtime.resolve_image(&spec.image) {
            rt::ImageLookup::Found { normalized, .. } => normalized,
            rt::ImageLookup::NotFound { pull_error } => return Err(pull_error),
        };
        let config = rt::ContainerConfig {
            name: spec.name.clone(),
            image,
            command: spec.command.clone().unwrap_or_default(),
            args: spec.args.clone().unwrap_or_default(),
            env: spec.env.clone(),
            working_dir: spec.working_dir.clone(),
            mounts: spec
                .mounts
                .iter()
                .map(|m| rt::MountSpec {
                    volume: m.volume.clone(),
                    path: m.path.clone(),
                    read_only: m.read_only,
                    sub_path: m.sub_path.clone(),
                })
                .collect(),
            memory_limit_bytes: spec.memory_limit_bytes,
            termination_message_path: spec.termination_message_path.clone(),
            security: spec.security.clone(),
        };
        let id = self.runtime.create_container(now, self.sandboxes[sandbox as usize], config)?;
        self.handles.push(id);
        self.reported.push(false);
        Ok((self.handles.len() - 1) as ContainerHandle)
    }

    fn start_container(&mut self, now: Millis, id: ContainerHandle) -> Result<(), StartFailure> {
        let result =
            self.runtime.start_container(now, self.id(id)).map_err(|f| StartFailure { exit_code: f.exit_code, message: f.message });
        match result {
            Ok(()) => self.note_exit(id),
            // A failed start is reported by its result, not as an exit.
            Err(_) => self.reported[id as usize] = true,
        }
        result
    }

    fn stop_container(&mut self, now: Millis, id: ContainerHandle, timeout_secs: u64) {
        let cid = self.id(id);
        self.runtime.stop_container(now, cid, timeout_secs);
        self.note_exit(id);
    }

    fn exec_sync(&mut self, now: Millis, id: ContainerHandle, argv: &[String], timeout: Option<Millis>) -> ExecResult {
        let outcome = self.runtime.exec_sync(now, self.id(id), argv, timeout);
        self.note_exit(id);
        exec_result(outcome)
    }

    fn exec_sync_traced(&mut self, now: Millis, id: ContainerHandle, argv: &[String], timeout: Option<Millis>) -> (ExecResult, bool) {
        let (outcome, changed) = self.runtime.exec_sync_traced(now, self.id(id), argv, timeout);
        self.note_exit(id);
        (exec_result(outcome), changed)
    }

    fn http_get(&mut self, now: Millis, ip: &str, port: u16, path: &str, headers: &[(String, String)], timeout: Millis) -> HttpResult {
        match self.runtime.http_get_status(now, ip, port, path, headers, timeout) {
            rt::HttpStatusOutcome::Refused => HttpResult::Refused,
            rt::HttpStatusOutcome::TimedOut => HttpResult::TimedOut,
            rt::HttpStatusOutcome::Closed => HttpResult::Closed,
            rt::HttpStatusOutcome::Status(status) => HttpResult::Response { status },
            rt::HttpStatusOutcome::Redirect { status, location, body } => {
                HttpResult::Redirect { status, location, body: String::from_utf8_lossy(&body).into_owned() }
            }
        }
    }

    fn tcp_connect(&mut self, now: Millis, ip: &str, port: u16, timeout: Millis) -> TcpResult {
        match self.runtime.tcp_connect(now, ip, port, timeout) {
            rt::TcpOutcome::Connected => TcpResult::Connected,
            rt::TcpOutcome::Refused => TcpResult::Refused,
            rt::TcpOutcome::TimedOut => TcpResult::TimedOut,
        }
    }

    fn grpc_health_check(&mut self, now: Millis, ip: &str, port: u16, service: &str, timeout: Millis) -> GrpcHealthResult {
        match self.runtime.grpc_health_check(now, ip, port, service, timeout) {
            rt::GrpcHealthOutcome::Answered(rt::GrpcHealthAnswer::Status(status)) => GrpcHealthResult::Status(status),
            rt::GrpcHealthOutcome::Answered(rt::GrpcHealthAnswer::Error { code, message }) => GrpcHealthResult::Error { code, message },
            rt::GrpcHealthOutcome::NotConnected => GrpcHealthResult::NotConnected,
        }
    }

    fn next_wakeup(&self) -> Option<Millis> {
        let pending = self.pending.iter().map(|e| e.at).min();
        match (self.runtime.next_wakeup(), pending) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn advance(&mut self, to: Millis) -> Vec<ContainerExit> {
        for event in self.runtime.advance(to) {
            if let rt::RuntimeEvent::ContainerExited { id, .. } = event {
                if let Some(h) = self.handles.iter().rposition(|x| *x == id) {
                    self.note_exit(h as ContainerHandle);
                }
            }
        }
        let (due, later): (Vec<ContainerExit>, Vec<ContainerExit>) =
            std::mem::take(&mut self.pending).into_iter().partition(|e| e.at <= to);
        self.pending = later;
        due
    }

    fn container_id(&self, id: ContainerHandle) -> String {
        self.runtime.container_id_string(self.id(id))
    }

    fn mounted_file_tail(&self, id: ContainerHandle, path: &str, max: u64) -> Option<Vec<u8>> {
        self.runtime.mounted_file_tail(self.id(id), path, max)
    }

    fn logs(&self, id: ContainerHandle, tail: Option<usize>) -> Vec<LogLine> {
        self.runtime.logs_tail(self.id(id), tail).into_iter().map(|l| LogLine { at: l.at, text: l.text, partial: l.partial }).collect()
    }

    fn bulk(&mut self) -> Option<&mut dyn super::cri::Bulk> {
        Some(self)
    }

    fn expose_service_port(&mut self, cluster_ip: &str, port: u16) {
        self.runtime.expose_service_port(cluster_ip, port);
    }

    fn set_service_endpoint(&mut self, cluster_ip: &str, port: u16, endpoint_ip: &str, endpoint_port: u16, present: bool) {
        self.runtime.set_service_endpoint(cluster_ip, port, endpoint_ip, endpoint_port, present);
    }

    fn set_node_disk(&mut self, node: usize, capacity: u64) {
        // What the node's system, images and other files use: the same share as the default
        // node's (`RuntimeConfig::node_disk_used`).
        let default = rt::RuntimeConfig::default();
        let used = (capacity as u128 * default.node_disk_used as u128 / default.node_disk_capacity as u128) as u64 / 4096 * 4096;
        self.runtime.set_node_disk(node as u32, capacity, used);
    }

    fn node_disk(&mut self, now: Millis, node: usize) -> Option<NodeDisk> {
        let (capacity, used, file_writers) = self.runtime.node_disk_usage(now, node as u32);
        Some(NodeDisk { capacity, used, file_writers })
    }

    fn take_disk_activity(&mut self) -> Vec<usize> {
        self.runtime.take_disk_activity().into_iter().map(|n| n as usize).collect()
    }

    fn pod_storage(&mut self, now: Millis, sandbox: SandboxHandle) -> PodStorage {
        let s = self.runtime.pod_storage(now, self.sandboxes[sandbox as usize]);
        let handle = |id: rt::ContainerId| self.handles.iter().rposition(|x| *x == id).map(|h| h as ContainerHandle);
        PodStorage {
            volumes: s.volumes,
            containers: s.containers.iter().filter_map(|c| handle(c.id).map(|h| (h, c.rootfs, c.logs))).collect(),
        }
    }

    fn remove_pod_storage(&mut self, now: Millis, sandbox: SandboxHandle) {
        self.runtime.remove_pod_storage(now, self.sandboxes[sandbox as usize]);
    }

    fn set_cluster_dns(&mut self, records: Vec<(String, String)>) {
        self.runtime.set_cluster_dns(records.into_iter().map(|(name, ip)| rt::DnsRecord { name, ip }).collect());
    }
}

impl super::cri::Bulk for RuntimeCri {
    fn set_horizon(&mut self, t: Millis) {
        self.runtime.set_horizon(t);
    }

    fn set_loops_in_bulk(&mut self, on: bool) {
        self.runtime.set_bulk(on);
    }

    fn set_order_point(&mut self, at: Millis, rank: u64) {
        self.runtime.set_order_point(rt::OrderPoint { at, rank });
    }

    fn stand_probe(&mut self, target: super::cri::StandingTarget<'_>, first: Millis, period: Millis, rank: u64) -> Option<u32> {
        use super::cri::StandingTarget;
        let id = match target {
            StandingTarget::Http { ip, port, path, headers } => {
                self.runtime.stand_http_probe(ip, port, path, headers, 200..400, first, period, rank)
            }
            StandingTarget::Tcp { ip, port } => self.runtime.stand_tcp_probe(ip, port, first, period, rank),
            StandingTarget::Exec { container, command, timeout } => {
                let id = self.id(container);
                self.runtime.stand_exec_probe(id, command, Some(timeout), first, period, rank)
            }
        };
        id.map(|id| id.0)
    }

    fn end_standing(&mut self, id: u32) -> Option<Millis> {
        self.runtime.end_standing(rt::StandingId(id))
    }

    fn take_broken_standing(&mut self) -> Vec<(u32, Millis)> {
        self.runtime.take_broken_standing().into_iter().map(|b| (b.id.0, b.next)).collect()
    }

    fn settle_standing(&mut self) {
        self.runtime.settle_standing();
    }
}

impl super::Engine {
    /// Builds the cluster from manifests with podplay's simulated runtime on every node: the
    /// release (and so the runtime's flavour and `busybox:latest`) comes from the Scenario.
    pub fn new(manifests: &crate::source::Manifests) -> Result<super::Engine, Vec<crate::source::Diagnostic>> {
        let (release, seed) = super::setup::scenario_settings(manifests);
        super::Engine::with_runtime(manifests, Box::new(RuntimeCri::new(release, seed)))
    }
}

/// The runtime's answer to an exec, as the kubelet's CRI client sees it.
fn exec_result(outcome: rt::ExecOutcome) -> ExecResult {
    match outcome {
        rt::ExecOutcome::Completed { output, stdout, stderr, exit_code, duration_ms } => {
            ExecResult::Completed { output, stdout, stderr, exit_code, duration_ms }
        }
        rt::ExecOutcome::TimedOut { after_ms, .. } => ExecResult::TimedOut { duration_ms: after_ms },
        rt::ExecOutcome::NotRunning { message, exit_code } => ExecResult::NotRunning { exit_code, output: message },
        rt::ExecOutcome::MissingBinary { message, exit_code } => ExecResult::NotRunning { exit_code, output: message },
    }
}
