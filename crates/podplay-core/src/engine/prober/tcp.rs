//! The tcpSocket handler (`pkg/probe/tcp`): a connection that opens is success.

use podplay_k8s_util::gofmt::join_host_port;

use super::handler::resolve_port;
use super::Outcome;
use crate::clock::Millis;
use crate::engine::cri::{Cri, TcpResult};

#[derive(Debug)]
pub(super) struct Tcp {
    /// None: the pod IP at the time of the probe.
    host: Option<String>,
    port: Result<u16, String>,
}

impl Tcp {
    pub(super) fn new(tcp: &crate::model::TcpSocketAction, c: &crate::model::Container) -> Self {
        Tcp { host: tcp.host.clone().filter(|h| !h.is_empty()), port: resolve_port(c, &tcp.port) }
    }

    /// The port, when the probe goes to the pod's own IP on a valid port.
    pub(super) fn pod_port(&self) -> Option<u16> {
        match (&self.host, &self.port) {
            (None, Ok(port)) => Some(*port),
            _ => None,
        }
    }

    pub(super) fn run(&self, cri: &mut dyn Cri, now: Millis, pod_ip: &str, timeout: Millis) -> Result<Outcome, String> {
        let port = self.port.clone()?;
        let host = self.host.as_deref().unwrap_or(pod_ip);
        Ok(match cri.tcp_connect(now, host, port, timeout) {
            TcpResult::Connected => Outcome::Success,
            TcpResult::Refused => Outcome::Failure(format!("dial tcp {}: connect: connection refused", join_host_port(host, port))),
            TcpResult::TimedOut => Outcome::Timeout(format!("dial tcp {}: i/o timeout", join_host_port(host, port))),
        })
    }
}
