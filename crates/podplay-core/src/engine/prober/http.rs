//! The httpGet handler (`pkg/probe/http`): a GET with the kubelet's headers; 200–399 is
//! success; the errors read as Go's `net/http` client words them.

use podplay_k8s_util::gofmt::{self, join_host_port};

use super::handler::resolve_port;
use super::Outcome;
use crate::clock::Millis;
use crate::engine::cri::{Cri, HttpResult};

#[derive(Debug)]
pub(super) struct Http {
    /// None: the pod IP at the time of the probe.
    host: Option<String>,
    port: Result<u16, String>,
    scheme: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Http {
    pub(super) fn new(http: &crate::model::HttpGetAction, c: &crate::model::Container, kubelet_version: (u32, u32)) -> Self {
        let path = http.path.clone().unwrap_or_default();
        Http {
            host: http.host.clone().filter(|h| !h.is_empty()),
            port: resolve_port(c, &http.port),
            scheme: http.scheme.clone().unwrap_or_else(|| "HTTP".into()).to_lowercase(),
            path: if path.starts_with('/') { path } else { format!("/{path}") },
            headers: probe_headers(&http.http_headers, kubelet_version),
        }
    }

    /// (port, path, headers) when the probe goes to the pod's own IP on a valid port.
    pub(super) fn pod_target(&self) -> Option<(u16, &str, &[(String, String)])> {
        match (&self.host, &self.port) {
            (None, Ok(port)) => Some((*port, &self.path, &self.headers)),
            _ => None,
        }
    }

    pub(super) fn run(&self, cri: &mut dyn Cri, now: Millis, pod_ip: &str, timeout: Millis) -> Result<Outcome, String> {
        let port = self.port.clone()?;
        let host = self.host.as_deref().unwrap_or(pod_ip);
        let url = || format!("{}://{}{}", self.scheme, join_host_port(host, port), self.path);
        Ok(match cri.http_get(now, host, port, &self.path, &self.headers, timeout) {
            HttpResult::Response { status } if (200..400).contains(&status) => Outcome::Success,
            HttpResult::Response { status } => Outcome::Failure(format!("HTTP probe failed with statuscode: {status}")),
            HttpResult::Refused => Outcome::Failure(format!(
                "Get {}: dial tcp {}: connect: connection refused",
                gofmt::quote(&url()),
                join_host_port(host, port)
            )),
            HttpResult::TimedOut => Outcome::Timeout(format!(
                "Get {}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                gofmt::quote(&url())
            )),
            HttpResult::Closed => Outcome::Failure(format!("Get {}: EOF", gofmt::quote(&url()))),
        })
    }
}

/// The prober's request headers (`pkg/probe/http/request.go`): `User-Agent: kube-probe/M.m` and
/// `Accept: */*` unless the probe sets them; a header set to an empty value is left out.
fn probe_headers(spec: &[crate::model::HttpHeader], (major, minor): (u32, u32)) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = spec.iter().map(|h| (h.name.clone(), h.value.clone())).collect();
    for (name, value) in [("User-Agent", format!("kube-probe/{major}.{minor}")), ("Accept", "*/*".to_string())] {
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
            headers.push((name.to_string(), value));
        }
    }
    headers.retain(|(_, v)| !v.is_empty());
    headers
}
