//! Pod networking: which process listens on IP:port, and routing HTTP/TCP to it.

use crate::servers::{self, Request, Response};
use crate::shell::host::NetError;
use crate::types::Millis;
use crate::world::{Kind, ServerKind, World};

pub(crate) fn port_taken(w: &World, sandbox: usize, port: u16) -> bool {
    w.containers
        .iter()
        .any(|c| c.sandbox == sandbox && c.listeners.iter().any(|l| l.port == port))
}

fn find_sandbox(w: &World, ip: &str) -> Option<usize> {
    w.sandboxes
        .iter()
        .position(|s| !s.stopped && s.cfg.pod_ip == ip)
}

/// Translate a Service ClusterIP:port to an endpoint, like kube-proxy's DNAT.
fn route(w: &mut World, ip: &str, port: u16) -> Result<(String, u16), NetError> {
    let Some(svc) = w
        .services
        .iter()
        .find(|s| s.cluster_ip == ip && s.port == port)
    else {
        if w.services.iter().any(|s| s.cluster_ip == ip) {
            // A ClusterIP on a port the Service does not expose: dropped.
            return Err(NetError::TimedOut);
        }
        return Ok((ip.to_string(), port));
    };
    if svc.endpoints.is_empty() {
        return Err(NetError::Refused);
    }
    let i = (w.service_rr as usize) % svc.endpoints.len();
    let ep = svc.endpoints[i].clone();
    w.service_rr = w.service_rr.wrapping_add(1);
    Ok(ep)
}

/// Which container/listener answers on ip:port.
fn find_listener(w: &World, ip: &str, port: u16) -> Result<(usize, usize), NetError> {
    let Some(sb) = find_sandbox(w, ip) else {
        // No pod has this address: the SYN goes unanswered.
        return Err(NetError::TimedOut);
    };
    for (ci, c) in w.containers.iter().enumerate() {
        if c.sandbox != sb || !matches!(c.state, crate::types::ContainerState::Running { .. }) {
            continue;
        }
        if let Some(li) = c.listeners.iter().position(|l| l.port == port) {
            return Ok((ci, li));
        }
    }
    Err(NetError::Refused)
}

pub(crate) fn tcp(w: &mut World, ip: &str, port: u16) -> Result<(), NetError> {
    let (ip, port) = route(w, ip, port)?;
    find_listener(w, &ip, port).map(|_| ())
}

/// Serve one HTTP GET; the server's log lines go to its container's log at `now`.
pub(crate) fn http_request(
    w: &mut World,
    ip: &str,
    port: u16,
    path: &str,
    headers: &[(String, String)],
    client_ip: String,
    now: Millis,
) -> Result<Response, NetError> {
    let (ip_owned, port) = route(w, ip, port)?;
    let ip = ip_owned.as_str();
    let (ci, li) = find_listener(w, ip, port)?;
    let listener = w.containers[ci].listeners[li].clone();
    w.next_port = w.next_port.wrapping_add(1);
    let client_port = 40000 + (w.next_port % 20000);
    let mut hdrs = headers.to_vec();
    if !hdrs.iter().any(|(k, _)| k.eq_ignore_ascii_case("Host")) {
        hdrs.push(("Host".into(), format!("{ip}:{port}")));
    }
    let req = Request {
        method: "GET",
        path,
        headers: &hdrs,
        client_ip,
        client_port,
        local: format!("{ip}:{port}"),
    };
    let wall = w.wall_ms(now).div_euclid(1000);
    let hostname = w.sandboxes[w.containers[ci].sandbox].cfg.hostname.clone();
    let version = w.containers[ci].image.shell_version;
    let resp = match &listener.server {
        // Redis closes the connection on an HTTP request (no response).
        ServerKind::TcpOnly => return Err(NetError::Closed),
        ServerKind::BusyboxHttpd { home, verbose } => {
            let view = w.view(ci, now);
            servers::busybox_httpd(version, home, *verbose, &view, &req, wall)
        }
        ServerKind::Prog => {
            let pid = listener.pid;
            let cwd = w.containers[ci]
                .procs
                .get(&pid)
                .map(|p| p.cwd.clone())
                .unwrap_or_else(|| "/".into());
            let Some(mut proc_kind) = w.containers[ci]
                .procs
                .get_mut(&pid)
                .map(|p| std::mem::replace(&mut p.kind, Kind::Running))
            else {
                return Err(NetError::Refused);
            };
            let r = match &mut proc_kind {
                Kind::Prog(prog) => {
                    let view = w.view(ci, now);
                    match prog.kind.clone() {
                        crate::programs::ProgKind::Nginx { version, .. } => {
                            servers::nginx(prog, &version, &view, &req, wall)
                        }
                        _ => servers::prog_server(prog, &view, &req, now, wall, &hostname, &cwd),
                    }
                }
                _ => servers::prog_server_fallback(),
            };
            if let Some(p) = w.containers[ci].procs.get_mut(&pid) {
                p.kind = proc_kind;
            }
            r
        }
    };
    let fds = w.containers[ci]
        .procs
        .get(&listener.pid)
        .map(|p| p.fds.clone());
    if let Some(fds) = fds {
        for (s, line) in &resp.logs {
            let o = if *s == crate::io::Stream::Stdout {
                fds.stdout.clone()
            } else {
                fds.stderr.clone()
            };
            w.write(ci, &o, format!("{line}\n").as_bytes(), now);
        }
    }
    if let Some(code) = resp.exit {
        w.exit_process(ci, listener.pid, code, now);
    }
    Ok(resp)
}
