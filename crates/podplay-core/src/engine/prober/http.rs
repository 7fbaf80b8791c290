//! The httpGet handler (`pkg/probe/http`): a GET with the kubelet's headers; 200–399 is
//! success, redirects to the same host followed and others a success with a warning; the
//! errors read as Go's `net/http` client words them.

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

    /// One probe: the GET, and the redirects Go's client follows under the prober's
    /// `RedirectChecker(false)` (`pkg/probe/http`): a redirect to the same host name (any port)
    /// is followed, at most 10; one to another host ends the probe with the 3xx, which is a
    /// success with a warning (`Probe terminated redirects, Response body: ...`), as is a 3xx
    /// Go does not follow (300, 304, a 3xx without `Location`).
    pub(super) fn run(&self, cri: &mut dyn Cri, now: Millis, pod_ip: &str, timeout: Millis) -> Result<Outcome, String> {
        let port = self.port.clone()?;
        let host = self.host.as_deref().unwrap_or(pod_ip);
        let mut at = Target { scheme: self.scheme.clone(), host: host.to_string(), port, path: self.path.clone() };
        let mut via = 0;
        loop {
            let url = at.url();
            let target = join_host_port(&at.host, at.port);
            return Ok(match cri.http_get(now, &at.host, at.port, &at.path, &self.headers, timeout) {
                HttpResult::Response { status } if (200..400).contains(&status) => Outcome::Success,
                HttpResult::Response { status } => Outcome::Failure(format!("HTTP probe failed with statuscode: {status}")),
                HttpResult::Redirect { status, location, body } => {
                    let followed = matches!(status, 301 | 302 | 303 | 307 | 308);
                    match location.filter(|_| followed) {
                        Some(loc) => {
                            let next = at.resolve(&loc);
                            if next.host != host {
                                Outcome::Warning(terminated(&body))
                            } else if via + 1 >= 10 {
                                Outcome::Failure(format!("Get {}: stopped after 10 redirects", gofmt::quote(&loc)))
                            } else {
                                via += 1;
                                at = next;
                                continue;
                            }
                        }
                        None => Outcome::Warning(terminated(&body)),
                    }
                }
                HttpResult::Refused => {
                    Outcome::Failure(format!("Get {}: dial tcp {target}: connect: connection refused", gofmt::quote(&url)))
                }
                HttpResult::TimedOut => Outcome::Timeout(format!(
                    "Get {}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                    gofmt::quote(&url)
                )),
                HttpResult::Closed => Outcome::Failure(format!("Get {}: EOF", gofmt::quote(&url))),
            });
        }
    }
}

/// `DoHTTPProbe`'s warning for a redirect it did not follow: the body read up to
/// `maxRespBodyLength` (10 KiB).
fn terminated(body: &str) -> String {
    let mut end = body.len().min(10 << 10);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("Probe terminated redirects, Response body: {}", &body[..end])
}

/// Where a request of the probe goes.
#[derive(Debug, Clone)]
struct Target {
    scheme: String,
    host: String,
    port: u16,
    path: String,
}

impl Target {
    fn url(&self) -> String {
        format!("{}://{}{}", self.scheme, join_host_port(&self.host, self.port), self.path)
    }

    /// A `Location` against this URL (`URL.Parse`): absolute, scheme-relative, absolute-path
    /// or relative to this path's directory.
    fn resolve(&self, loc: &str) -> Target {
        let (scheme, rest) = match loc.split_once("://") {
            Some((s, r)) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) => {
                (s.to_ascii_lowercase(), Some(r))
            }
            _ => (self.scheme.clone(), loc.strip_prefix("//")),
        };
        match rest {
            Some(r) => {
                let cut = r.find(['/', '?']).unwrap_or(r.len());
                let (authority, path) = r.split_at(cut);
                let default = if scheme == "https" { 443 } else { 80 };
                let (host, port) = match authority.rsplit_once(':') {
                    Some((h, p)) if !h.ends_with(']') || p.is_empty() => (h, p.parse().unwrap_or(default)),
                    _ => (authority, default),
                };
                let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
                let path = if path.is_empty() {
                    "/".to_string()
                } else if path.starts_with('?') {
                    format!("/{path}")
                } else {
                    path.to_string()
                };
                Target { scheme, host, port, path }
            }
            None if loc.starts_with('/') => Target { path: loc.to_string(), ..self.clone() },
            None => {
                let base = self.path.split('?').next().unwrap_or("/");
                let dir = &base[..base.rfind('/').map_or(0, |i| i + 1)];
                Target { path: format!("{dir}{loc}"), ..self.clone() }
            }
        }
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
