//! The grpc handler (`pkg/probe/grpc/grpc.go`, `grpcProber.Probe`, the same texts from 1.24,
//! where gRPC probes went beta, to the current release): a blocking plaintext dial to the pod IP
//! within the probe's timeout, then `grpc.health.v1.Health/Check` of the probe's service. Every
//! result but SERVING is a failure with the prober's own words; none is an error.

use podplay_k8s_util::duration::{go_duration_string, ms_to_nanos};
use podplay_k8s_util::gofmt::{self, join_host_port};

use super::Outcome;
use crate::clock::Millis;
use crate::engine::cri::{Cri, GrpcCode, GrpcHealthResult, HealthStatus};

#[derive(Debug)]
pub(super) struct Grpc {
    port: i32,
    /// `service`, empty when unset (the server's overall health).
    service: String,
}

impl Grpc {
    pub(super) fn new(grpc: &crate::model::GrpcAction) -> Self {
        Grpc { port: grpc.port, service: grpc.service.clone().unwrap_or_default() }
    }

    pub(super) fn run(&self, cri: &mut dyn Cri, now: Millis, pod_ip: &str, timeout: Millis) -> Outcome {
        // `net.JoinHostPort(host, fmt.Sprintf("%d", port))`; a port no socket can have (the API
        // server refuses it) never connects.
        let (addr, result) = match u16::try_from(self.port) {
            Ok(port) if port != 0 => (join_host_port(pod_ip, port), cri.grpc_health_check(now, pod_ip, port, &self.service, timeout)),
            _ => (format!("{pod_ip}:{}", self.port), GrpcHealthResult::NotConnected),
        };
        probe_result(result, &addr, &go_duration_string(ms_to_nanos(timeout as i64)))
    }
}

/// The result and output `Probe` returns for a check's `result`; `timeout` as `%v` prints it.
fn probe_result(result: GrpcHealthResult, addr: &str, timeout: &str) -> Outcome {
    match result {
        // `grpc.DialContext` with `WithBlock` keeps redialling a port that refuses, drops or does
        // not speak HTTP/2 until the context ends, and returns `context.DeadlineExceeded`.
        GrpcHealthResult::NotConnected => Outcome::Timeout(format!(
            "timeout: failed to connect service {} within {timeout}: context deadline exceeded",
            gofmt::quote(addr)
        )),
        GrpcHealthResult::Error { code: GrpcCode::Unimplemented, message } => {
            Outcome::Failure(format!("error: this server does not implement the grpc health protocol (grpc.health.v1.Health): {message}"))
        }
        GrpcHealthResult::Error { code: GrpcCode::DeadlineExceeded, .. } => {
            Outcome::Timeout(format!("timeout: health rpc did not complete within {timeout}"))
        }
        // `%+v` of a status error: its `Error()`.
        GrpcHealthResult::Error { code, message } => {
            Outcome::Failure(format!("error: health rpc probe failed: rpc error: code = {} desc = {message}", code.name()))
        }
        GrpcHealthResult::Status(HealthStatus::Serving) => Outcome::Success,
        GrpcHealthResult::Status(status) => Outcome::Failure(format!("service unhealthy (responded with {})", gofmt::quote(status.name()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(result: GrpcHealthResult) -> String {
        match probe_result(result, "10.244.0.5:5000", "5s") {
            Outcome::Failure(o) | Outcome::Timeout(o) => o,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn words_each_result_as_the_kubelet() {
        assert!(matches!(probe_result(GrpcHealthResult::Status(HealthStatus::Serving), "a:1", "1s"), Outcome::Success));
        assert_eq!(output(GrpcHealthResult::Status(HealthStatus::NotServing)), "service unhealthy (responded with \"NOT_SERVING\")");
        assert_eq!(
            output(GrpcHealthResult::NotConnected),
            "timeout: failed to connect service \"10.244.0.5:5000\" within 5s: context deadline exceeded"
        );
        let error = |code, message: &str| GrpcHealthResult::Error { code, message: message.into() };
        assert_eq!(
            output(error(GrpcCode::Unimplemented, "unknown service grpc.health.v1.Health")),
            "error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health"
        );
        assert_eq!(
            output(error(GrpcCode::DeadlineExceeded, "context deadline exceeded")),
            "timeout: health rpc did not complete within 5s"
        );
        assert_eq!(
            output(error(GrpcCode::NotFound, "unknown service")),
            "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"
        );
    }
}
