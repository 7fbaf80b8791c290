//! The grpc handler (`pkg/probe/grpc`): podplay's servers answer the health check when they
//! accept the connection; a refused or silent port reads as the kubelet's "failed to connect".

use podplay_k8s_util::gofmt::{self, join_host_port};

use super::Outcome;
use crate::clock::{Millis, SECOND};
use crate::engine::cri::{Cri, TcpResult};

#[derive(Debug)]
pub(super) struct Grpc {
    port: u16,
}

impl Grpc {
    pub(super) fn new(grpc: &crate::model::GrpcAction) -> Self {
        Grpc { port: grpc.port as u16 }
    }

    pub(super) fn run(&self, cri: &mut dyn Cri, now: Millis, pod_ip: &str, timeout_s: Millis) -> Outcome {
        let failed =
            || format!("timeout: failed to connect service {} within {timeout_s}s", gofmt::quote(&join_host_port(pod_ip, self.port)));
        match cri.tcp_connect(now, pod_ip, self.port, timeout_s * SECOND) {
            TcpResult::Connected => Outcome::Success,
            TcpResult::TimedOut => Outcome::Timeout(failed()),
            TcpResult::Refused => Outcome::Failure(failed()),
        }
    }
}
