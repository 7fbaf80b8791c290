//! A scriptable runtime for the kubelet's unit tests, like the kubelet's `FakeRuntime`: every
//! container runs until the test makes it exit; exec and network answers are set per test.

use std::collections::BTreeMap;

use super::cri::*;
use crate::clock::Millis;

#[derive(Default)]
pub(crate) struct FakeCri {
    next: u64,
    pub running: BTreeMap<ContainerHandle, bool>,
    /// Scheduled exits: (time, handle, exit code).
    pub exits: Vec<(Millis, ContainerHandle, i32)>,
    /// Exit code returned by every exec (once `exec_script` is used up).
    pub exec_exit: i32,
    /// Exit codes for the next execs into a running container, one per exec, in order.
    pub exec_script: std::collections::VecDeque<i32>,
    pub http_status: u16,
    /// HTTP status from a time on: the last entry whose time has come wins over `http_status`.
    pub http_schedule: Vec<(Millis, u16)>,
    /// gRPC health answers from a time on: the last entry whose time has come (SERVING before
    /// any).
    pub grpc_schedule: Vec<(Millis, GrpcHealthResult)>,
    pub missing_images: Vec<String>,
    /// Containers whose process exits this long after start (by container name).
    pub exit_after: BTreeMap<String, (Millis, i32)>,
    names: BTreeMap<ContainerHandle, String>,
}

impl Cri for FakeCri {
    fn register_image(&mut self, _image: &crate::model::Image) -> Result<(), String> {
        Ok(())
    }
    fn image(&self, reference: &str) -> ImageInfo {
        if self.missing_images.iter().any(|m| m == reference) {
            ImageInfo::Missing {
                error: format!("rpc error: code = NotFound desc = failed to pull and unpack image \"{reference}\": not found"),
            }
        } else {
            ImageInfo::Present { image_id: "sha256:fake".into(), size_bytes: 2_000_000, pull_ms: 1500, uid: None, username: String::new() }
        }
    }
    fn run_sandbox(&mut self, _now: Millis, _spec: &SandboxSpec) -> SandboxHandle {
        self.next += 1;
        self.next
    }
    fn stop_sandbox(&mut self, _now: Millis, _sandbox: SandboxHandle) {}
    fn create_container(&mut self, _now: Millis, _sandbox: SandboxHandle, spec: &ContainerSpec) -> Result<ContainerHandle, String> {
        self.next += 1;
        self.names.insert(self.next, spec.name.clone());
        Ok(self.next)
    }
    fn start_container(&mut self, now: Millis, id: ContainerHandle) -> Result<(), StartFailure> {
        self.running.insert(id, true);
        if let Some((after, code)) = self.names.get(&id).and_then(|n| self.exit_after.get(n)).copied() {
            self.exits.push((now + after, id, code));
        }
        Ok(())
    }
    fn stop_container(&mut self, now: Millis, id: ContainerHandle, timeout_secs: u64) {
        // PID 1 without a SIGTERM handler: dies by SIGKILL at the end of the grace period.
        self.exits.push((now + timeout_secs * 1000, id, 137));
    }
    fn exec_sync(&mut self, _now: Millis, id: ContainerHandle, _argv: &[String], _timeout: Option<Millis>) -> ExecResult {
        if self.running.get(&id) != Some(&true) {
            return ExecResult::NotRunning { exit_code: None, output: "container not running".into() };
        }
        let exit_code = self.exec_script.pop_front().unwrap_or(self.exec_exit);
        ExecResult::Completed { output: String::new(), stdout: String::new(), stderr: String::new(), exit_code, duration_ms: 5 }
    }
    fn http_get(&mut self, now: Millis, _ip: &str, _port: u16, _path: &str, _h: &[(String, String)], _t: Millis) -> HttpResult {
        let status = self.http_schedule.iter().rfind(|(t, _)| *t <= now).map_or(self.http_status, |(_, s)| *s);
        HttpResult::Response { status }
    }
    fn tcp_connect(&mut self, _now: Millis, _ip: &str, _port: u16, _t: Millis) -> TcpResult {
        TcpResult::Connected
    }
    fn grpc_health_check(&mut self, now: Millis, _ip: &str, _port: u16, _service: &str, _t: Millis) -> GrpcHealthResult {
        let due = self.grpc_schedule.iter().rfind(|(t, _)| *t <= now).map(|(_, r)| r.clone());
        due.unwrap_or(GrpcHealthResult::Status(HealthStatus::Serving))
    }
    fn next_wakeup(&self) -> Option<Millis> {
        self.exits.iter().filter(|(_, h, _)| self.running.get(h) == Some(&true)).map(|(t, _, _)| *t).min()
    }
    fn advance(&mut self, to: Millis) -> Vec<ContainerExit> {
        let mut out = Vec::new();
        self.exits.sort();
        for (t, h, code) in self.exits.clone() {
            if t <= to && self.running.get(&h) == Some(&true) {
                self.running.insert(h, false);
                out.push(ContainerExit {
                    container: h,
                    at: t,
                    exit_code: code,
                    reason: if code == 0 { "Completed".into() } else { "Error".into() },
                });
            }
        }
        self.exits.retain(|(t, _, _)| *t > to);
        out
    }
    fn container_id(&self, id: ContainerHandle) -> String {
        format!("containerd://{id:064x}")
    }
    fn logs(&self, _id: ContainerHandle, _tail: Option<usize>) -> Vec<LogLine> {
        Vec::new()
    }
    fn set_cluster_dns(&mut self, _records: Vec<(String, String)>) {}
}
