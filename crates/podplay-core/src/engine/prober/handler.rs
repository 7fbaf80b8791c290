//! A probe's handler, worked out once per worker (a pod's probes cannot change) and run on each
//! tick: one module per handler, as the kubelet's `pkg/probe/{exec,http,tcp,grpc}`.

use super::{exec, grpc, http, tcp, Outcome};
use crate::clock::{Millis, SECOND};
use crate::engine::cri::{Cri, StandingTarget};
use crate::model::{IntOrString, Probe};
use podplay_k8s_util::gofmt;

/// A probe's spec and what it does.
#[derive(Debug)]
pub(crate) struct PreparedProbe {
    pub spec: Probe,
    handler: Handler,
}

#[derive(Debug)]
enum Handler {
    Exec(exec::Exec),
    Http(http::Http),
    Tcp(tcp::Tcp),
    Grpc(grpc::Grpc),
    /// Validation refuses a probe without one; kept so that a tick still answers.
    Missing,
}

impl PreparedProbe {
    pub(crate) fn new(probe: &Probe, c: &crate::model::Container, kubelet_version: (u32, u32)) -> Self {
        let handler = if let Some(e) = &probe.exec {
            Handler::Exec(exec::Exec::new(e, c))
        } else if let Some(h) = &probe.http_get {
            Handler::Http(http::Http::new(h, c, kubelet_version))
        } else if let Some(t) = &probe.tcp_socket {
            Handler::Tcp(tcp::Tcp::new(t, c))
        } else if let Some(g) = &probe.grpc {
            Handler::Grpc(grpc::Grpc::new(g))
        } else {
            Handler::Missing
        };
        PreparedProbe { spec: probe.clone(), handler }
    }

    /// The request each tick repeats, when a standing probe can stand for it (`Steady`): an
    /// httpGet or tcpSocket to the pod's own IP (`pod_ip`) on a valid port, or an exec in the
    /// container `handle`.
    pub(crate) fn standing_target<'a>(&'a self, pod_ip: &'a str, handle: u64) -> Option<StandingTarget<'a>> {
        match &self.handler {
            Handler::Http(h) => h.pod_target().map(|(port, path, headers)| StandingTarget::Http { ip: pod_ip, port, path, headers }),
            Handler::Tcp(t) => t.pod_port().map(|port| StandingTarget::Tcp { ip: pod_ip, port }),
            Handler::Exec(e) => Some(StandingTarget::Exec { container: handle, command: e.command(), timeout: self.timeout() }),
            Handler::Grpc(_) | Handler::Missing => None,
        }
    }

    /// timeoutSeconds (at least 1), as each attempt waits.
    fn timeout(&self) -> Millis {
        self.spec.timeout_seconds().max(1) as Millis * SECOND
    }

    /// One attempt at `now` against the container `handle` of a pod at `pod_ip`; `Err` is the
    /// prober's own error (the result Unknown), not a failed probe.
    pub(crate) fn run(&self, cri: &mut dyn Cri, now: Millis, pod_ip: &str, handle: u64) -> Result<Outcome, String> {
        let timeout = self.timeout();
        match &self.handler {
            Handler::Exec(e) => e.run(cri, now, handle, timeout),
            Handler::Http(h) => h.run(cri, now, pod_ip, timeout),
            Handler::Tcp(t) => t.run(cri, now, pod_ip, timeout),
            Handler::Grpc(g) => Ok(g.run(cri, now, pod_ip, timeout)),
            Handler::Missing => Err("missing probe handler".into()),
        }
    }
}

/// ResolveContainerPort (`pkg/probe/util.go`): a name is looked up in the container's ports.
pub(crate) fn resolve_port(c: &crate::model::Container, port: &IntOrString) -> Result<u16, String> {
    let number = match port {
        IntOrString::Int(n) => *n,
        IntOrString::Str(name) => match c.ports.iter().find(|cp| cp.name.as_deref() == Some(name.as_str())) {
            Some(cp) => cp.container_port as i64,
            None => name.parse::<i64>().map_err(|_| format!("strconv.Atoi: parsing {}: invalid syntax", gofmt::quote(name)))?,
        },
    };
    if !(1..=65535).contains(&number) {
        return Err(format!("invalid port number: {number}"));
    }
    Ok(number as u16)
}
