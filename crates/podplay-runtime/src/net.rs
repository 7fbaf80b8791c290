//! Pod networking: which process listens on IP:port, and routing HTTP/TCP to it.

use crate::programs::SideWork;
use crate::servers::{self, Request, Response};
use crate::shell::host::{Exchange, NetError};
use crate::types::{GrpcHealthOutcome, Millis};
use crate::world::{Kind, ServerKind, World};

pub(crate) fn port_taken(w: &World, sandbox: usize, port: u16) -> bool {
    w.sandboxes[sandbox].containers.iter().any(|&ci| w.containers[ci].listeners.iter().any(|l| l.port == port))
}

/// A Service port as kube-proxy programs it: ClusterIP:port and its ready endpoints, kept
/// sorted (by address, as the Endpoints object lists them) so that updates one endpoint at a
/// time stay cheap with thousands of pods.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub cluster_ip: String,
    pub port: u16,
    pub endpoints: std::collections::BTreeSet<(String, u16)>,
}

/// The route of ClusterIP:port, made (with no endpoint: connections are refused, kube-proxy's
/// REJECT rule) if it is new.
pub(crate) fn expose(w: &mut World, cluster_ip: &str, port: u16) -> usize {
    match w.services.iter().position(|r| r.cluster_ip == cluster_ip && r.port == port) {
        Some(i) => i,
        None => {
            w.services.push(Route { cluster_ip: cluster_ip.to_string(), port, endpoints: Default::default() });
            w.services.len() - 1
        }
    }
}

/// Adds (`present`) or removes one endpoint of ClusterIP:port; a port left with no endpoint
/// stays known, so that connections to it are refused.
pub(crate) fn set_endpoint(w: &mut World, cluster_ip: &str, port: u16, endpoint: (&str, u16), present: bool) {
    let i = expose(w, cluster_ip, port);
    let key = (endpoint.0.to_string(), endpoint.1);
    if present {
        w.services[i].endpoints.insert(key);
    } else {
        w.services[i].endpoints.remove(&key);
    }
}

/// The Service route ip:port names (`None` for an address that is no ClusterIP), or how a
/// connection to it ends before it reaches any process: refused when the port has no endpoint
/// (kube-proxy's REJECT rule), dropped on a port the Service does not expose.
fn service_route(w: &World, ip: &str, port: u16) -> Result<Option<usize>, NetError> {
    match w.services.iter().position(|s| s.cluster_ip == ip && s.port == port) {
        Some(i) if w.services[i].endpoints.is_empty() => Err(NetError::Refused),
        Some(i) => Ok(Some(i)),
        None if w.services.iter().any(|s| s.cluster_ip == ip) => Err(NetError::TimedOut),
        None => Ok(None),
    }
}

/// How a connection to ip:port ends on the Service's routes alone, if it does
/// ([`service_route`]). Only the engine changes the routes, so this reads the cluster as a DNS
/// lookup does (a loop that gets it each turn may run in bulk up to the engine's next act).
pub(crate) fn service_unreachable(w: &World, ip: &str, port: u16) -> Option<NetError> {
    service_route(w, ip, port).err()
}

/// Translate a Service ClusterIP:port to an endpoint, like kube-proxy's DNAT.
/// A pod address comes back as it is (no allocation: probes go through here every period).
fn route<'a>(w: &mut World, ip: &'a str, port: u16) -> Result<(std::borrow::Cow<'a, str>, u16), NetError> {
    let Some(s) = service_route(w, ip, port)? else {
        return Ok((std::borrow::Cow::Borrowed(ip), port));
    };
    let svc = &w.services[s];
    let i = (w.service_rr as usize) % svc.endpoints.len();
    let (ep_ip, ep_port) = svc.endpoints.iter().nth(i).cloned().expect("i < len");
    w.service_rr = w.service_rr.wrapping_add(1);
    Ok((std::borrow::Cow::Owned(ep_ip), ep_port))
}

/// The endpoint a request to ip:port goes to next (the round robin not moved) and the route it
/// goes through with its number of endpoints, or where it would end first.
fn next_endpoint(w: &World, ip: &str, port: u16) -> Result<((String, u16), Option<(usize, usize)>), NetError> {
    match service_route(w, ip, port)? {
        None => Ok(((ip.to_string(), port), None)),
        Some(s) => {
            let endpoints = &w.services[s].endpoints;
            let i = (w.service_rr as usize) % endpoints.len();
            Ok((endpoints.iter().nth(i).cloned().expect("i < len"), Some((s, endpoints.len()))))
        }
    }
}

/// Serves one HTTP GET as [`http_request`] does, for a process of container `client`, and tells
/// it as an [`Exchange`] when the same request from the same state is answered again the same
/// way (see there): nginx serving from its files (as [`HttpMemo`] requires) in another pod, the
/// answer at once with one access-log line and no change to the server's files. `offset_steps`
/// is left 0 for the caller.
#[allow(clippy::too_many_arguments)]
pub(crate) fn http_exchange(
    w: &mut World,
    ip: &str,
    port: u16,
    path: &str,
    headers: &[(String, String)],
    client_ip: String,
    now: Millis,
    client: usize,
) -> Result<(Response, Option<Exchange>), NetError> {
    let (endpoint, route) = next_endpoint(w, ip, port)?;
    let server = find_listener(w, &endpoint.0, endpoint.1).ok().map(|(ci, li)| (ci, w.containers[ci].listeners[li].clone()));
    let port_key = ephemeral_key(w, &client_ip, &endpoint.0, endpoint.1);
    let before = server.as_ref().map(|(ci, _)| w.fs_generation(*ci));
    let resp = http_request(w, ip, port, path, headers, client_ip, now)?;
    let Some((ci, listener)) = server else { return Ok((resp, None)) };
    let fs_generation = w.fs_generation(ci);
    let repeatable = matches!(listener.server, ServerKind::Prog)
        && before == Some(fs_generation)
        && w.containers[ci].sandbox != w.containers[client].sandbox
        && exchange_usable(w, ci, listener.pid)
        && resp.exit.is_none()
        && resp.delay_ms == 0;
    // Each line stamped with this second; an error line names this connection.
    let wall = w.wall_ms(now).div_euclid(1000);
    let serial = connections(w, ci, listener.pid);
    let lines: Option<Vec<_>> = resp
        .logs
        .iter()
        .map(|(stream, line)| match stream {
            crate::io::Stream::Stdout => crate::logs::StampedLine::split(*stream, line, wall),
            crate::io::Stream::Stderr => crate::logs::StampedLine::split_error(*stream, line, wall, serial),
        })
        .map(|l| l.map(std::rc::Rc::new))
        .collect();
    let exchange = lines.filter(|l| repeatable && (1..=2).contains(&l.len())).map(|lines| Exchange {
        offset_steps: 0,
        route,
        endpoint,
        server: ci,
        pid: listener.pid,
        fs_generation,
        lines,
        port_key,
    });
    Ok((resp, exchange))
}

/// How many connections server process `pid` of container `ci` has served (nginx numbers
/// them: its error log's `*N`).
fn connections(w: &World, ci: usize, pid: u32) -> u64 {
    match w.containers[ci].procs.get(&pid).map(|p| &p.kind) {
        Some(Kind::Prog(prog)) => prog.conn_serial,
        _ => 0,
    }
}

/// Counts `count` connections server process `pid` of container `ci` served without being
/// asked one by one (remembered answers, standing probes, a bulk's exchanges).
pub(crate) fn add_connections(w: &mut World, ci: usize, pid: u32, count: u64) {
    if let Some(Kind::Prog(prog)) = w.containers[ci].procs.get_mut(&pid).map(|p| &mut p.kind) {
        prog.conn_serial += count;
    }
}

/// Which container/listener answers on ip:port.
fn find_listener(w: &World, ip: &str, port: u16) -> Result<(usize, usize), NetError> {
    let Some(sb) = w.sandbox_at(ip) else {
        // No pod has this address: the SYN goes unanswered.
        return Err(NetError::TimedOut);
    };
    for &ci in &w.sandboxes[sb].containers {
        let c = &w.containers[ci];
        if !matches!(c.state, crate::types::ContainerState::Running { .. }) {
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

/// The ephemeral range Linux hands out source ports from (`ip_local_port_range`).
const EPHEMERAL_LOW: u32 = 32768;
const EPHEMERAL_HIGH: u32 = 60999;

/// Takes `connections` source ports for connections from `client` to `server:port` and returns
/// the first, as Linux's connect() picks them (`__inet_hash_connect`): an offset hashed from
/// the three (seeded, as the kernel's secret), then, for each later connection to the same
/// destination, the next even port of the ephemeral range. So the ports one client uses for
/// one server follow each other however many other connections the node makes, and a
/// connection costs nothing outside its own pair's counter.
pub(crate) fn ephemeral_port(w: &mut World, client: &str, server: &str, port: u16, connections: u64) -> u16 {
    let key = ephemeral_key(w, client, server, port);
    take_ports(w, key, connections)
}

/// The (client, server, port) triple's key in the source-port counters.
pub(crate) fn ephemeral_key(w: &World, client: &str, server: &str, port: u16) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ w.cfg.seed;
    for b in client.bytes().chain([0]).chain(server.bytes()).chain([0]).chain(port.to_le_bytes()) {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// Takes `connections` ports from the counter of `key`; returns the first.
pub(crate) fn take_ports(w: &mut World, key: u64, connections: u64) -> u16 {
    let used = w.ephemeral.entry(key).or_insert(0);
    let first = *used;
    *used += connections;
    let span = (EPHEMERAL_HIGH - EPHEMERAL_LOW + 1) as u64 / 2;
    let offset = (key >> 17) % span;
    (EPHEMERAL_LOW as u64 + 2 * ((offset + first) % span)) as u16
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
    let (ip_routed, port) = route(w, ip, port)?;
    let ip: &str = &ip_routed;
    w.settle_standing_at(ip);
    let (ci, li) = find_listener(w, ip, port)?;
    let listener = w.containers[ci].listeners[li].clone();
    let client_port = ephemeral_port(w, &client_ip, ip, port, 1);
    let mut hdrs = headers.to_vec();
    if !hdrs.iter().any(|(k, _)| k.eq_ignore_ascii_case("Host")) {
        hdrs.push(("Host".into(), format!("{ip}:{port}")));
    }
    let req = Request { method: "GET", path, headers: &hdrs, client_ip, client_port, local: format!("{ip}:{port}") };
    let wall = w.wall_ms(now).div_euclid(1000);
    let hostname = w.sandboxes[w.containers[ci].sandbox].cfg.hostname.clone();
    let version = w.containers[ci].image.shell_version;
    let resp = match &listener.server {
        // Redis closes the connection on an HTTP request (no response). So does a gRPC server:
        // grpc-go's `newHTTP2Server` reads the client preface, finds `GET ...` ("received bogus
        // greeting from client") and closes before its buffered SETTINGS are flushed. (The
        // request's unread bytes may make Linux reset rather than close the connection, which
        // Go's client reports as `read: connection reset by peer`; podplay has not established
        // which a kubelet sees and reports the close.)
        ServerKind::TcpOnly | ServerKind::Grpc => return Err(NetError::Closed),
        ServerKind::BusyboxHttpd { home, verbose } => {
            let view = w.view(ci, now);
            servers::busybox_httpd(version, home, *verbose, &view, &req, wall)
        }
        ServerKind::Prog => {
            let pid = listener.pid;
            let cwd = w.containers[ci].procs.get(&pid).map(|p| p.cwd.clone()).unwrap_or_else(|| "/".into());
            // Done with the process in place: a request may come back to it.
            let work = SideWork { dialed: dial_while_serving(w, ci, pid, &req, now), ran: run_while_serving(w, ci, pid, &req, now) };
            let Some(mut proc_kind) = w.containers[ci].procs.get_mut(&pid).map(|p| std::mem::replace(&mut p.kind, Kind::Running)) else {
                return Err(NetError::Refused);
            };
            let r = match &mut proc_kind {
                Kind::Prog(prog) => prog.serve_http(&req, &w.view(ci, now), now, wall, &hostname, &cwd, &work),
                _ => servers::prog_server_fallback(),
            };
            w.touch(ci);
            if let Some(p) = w.containers[ci].procs.get_mut(&pid) {
                p.kind = proc_kind;
            }
            r
        }
    };
    write_server_logs(w, ci, listener.pid, &resp.logs, now);
    if let Some(exit) = resp.exit {
        w.exit_process(ci, listener.pid, exit.code, now);
        if exit.unanswered {
            return Err(NetError::Closed);
        }
    }
    Ok(resp)
}

/// Requests one program sends while answering one, at most: a bound on the simulation's work
/// (agnhost netexec's `/dial` caps its `tries` below it).
const MAX_DIALS: usize = 1_000;

/// The requests program `pid` of container `ci` sends while it answers `req`, round by round
/// as it asks for them (`Behavior::dials`), and their answers.
fn dial_while_serving(w: &mut World, ci: usize, pid: u32, req: &Request, now: Millis) -> Vec<crate::programs::Dialed> {
    let mut answered = Vec::new();
    loop {
        let next = match w.containers[ci].procs.get(&pid).map(|p| &p.kind) {
            Some(Kind::Prog(prog)) => prog.dials(req, &answered),
            _ => Vec::new(),
        };
        if next.is_empty() || answered.len() >= MAX_DIALS {
            return answered;
        }
        for dial in &next {
            answered.push(w.dial(ci, pid, dial, now));
        }
    }
}

/// How the commands program `pid` of container `ci` runs while it answers `req` ended
/// (`Behavior::commands`).
fn run_while_serving(w: &mut World, ci: usize, pid: u32, req: &Request, now: Millis) -> Vec<crate::programs::CommandRun> {
    let commands = match w.containers[ci].procs.get(&pid).map(|p| &p.kind) {
        Some(Kind::Prog(prog)) => prog.commands(req),
        _ => Vec::new(),
    };
    commands.iter().map(|argv| w.run_command(ci, pid, argv, now)).collect()
}

/// How a datagram to ip:port ends. No program of the simulation serves UDP: a pod (at its
/// address, its loopback, or a Service endpoint's) answers with ICMP port unreachable, which
/// the sender reads as refused; a Service with no endpoint rejects it alike (kube-proxy's
/// REJECT rule); an address nobody has, or a port a Service does not expose, never answers.
pub(crate) fn udp_unanswered(w: &World, ip: &str, port: u16) -> NetError {
    match service_route(w, ip, port) {
        Err(e) => e,
        Ok(Some(_)) => NetError::Refused,
        Ok(None) if ip == "127.0.0.1" || w.sandbox_at(ip).is_some() => NetError::Refused,
        Ok(None) => NetError::TimedOut,
    }
}

/// A probe's answer from a static file server, kept while nothing it depends on changes.
///
/// nginx's answer to a GET depends only on the request, on the files the container sees
/// (tracked by their trees' generations) and on the serving process; its one side effect
/// visible later is the access-log line, which differs only by its time stamp. So the kubelet
/// asking the same thing every period gets the remembered status, the connection counter
/// still advances, and the log line is appended in compact form (`logs::ContainerLog`).
pub(crate) struct HttpMemo {
    pid: u32,
    fs_generation: u64,
    path: String,
    headers: Vec<(String, String)>,
    /// The address asked for (the client's address follows from it).
    ip: String,
    port: u16,
    status: u16,
    access_line: std::rc::Rc<crate::logs::StampedLine>,
}

/// Remembered answers kept per container.
const MAX_MEMOS: usize = 8;

/// Whether the process serving is nginx and its output goes straight to the container log with
/// no half-written line pending (so an appended line lands exactly as a written one would):
/// what a remembered answer needs besides the same request and files.
pub(crate) fn memo_usable(w: &World, ci: usize, pid: u32) -> bool {
    let c = &w.containers[ci];
    c.partial[0].1.is_empty()
        && c.procs.get(&pid).is_some_and(|p| {
            matches!(p.fds.stdout, crate::io::Output::Log(crate::io::Stream::Stdout))
                && matches!(&p.kind, Kind::Prog(prog) if prog.behavior().answers_from_files())
        })
}

/// The remembered answer (status, access-log line) to exactly this request from process `pid`
/// with the container's files at `fs_generation`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn memo_for(
    w: &World,
    ci: usize,
    pid: u32,
    fs_generation: u64,
    ip: &str,
    port: u16,
    path: &str,
    headers: &[(String, String)],
) -> Option<(u16, std::rc::Rc<crate::logs::StampedLine>)> {
    w.containers[ci]
        .http_memos
        .iter()
        .find(|m| {
            m.port == port && m.pid == pid && m.fs_generation == fs_generation && m.path == path && m.headers == headers && m.ip == ip
        })
        .map(|m| (m.status, m.access_line.clone()))
}

/// What an [`Exchange`] needs besides [`memo_usable`]: the server's errors too go straight to
/// the container log with no half-written line pending.
fn exchange_usable(w: &World, ci: usize, pid: u32) -> bool {
    let c = &w.containers[ci];
    memo_usable(w, ci, pid)
        && c.partial[1].1.is_empty()
        && c.procs.get(&pid).is_some_and(|p| matches!(p.fds.stderr, crate::io::Output::Log(crate::io::Stream::Stderr)))
}

/// The container and listener that answer on a pod address (no Service routing).
pub(crate) fn listener_at(w: &World, ip: &str, port: u16) -> Option<(usize, usize)> {
    find_listener(w, ip, port).ok()
}

/// An HTTP GET whose caller reads only the status code (the kubelet's prober). Same answers
/// and side effects as [`http_request`], remembered for static servers (see [`HttpMemo`]).
pub(crate) fn http_status(
    w: &mut World,
    ip: &str,
    port: u16,
    path: &str,
    headers: &[(String, String)],
    client_ip: impl FnOnce() -> String,
    now: Millis,
) -> Result<StatusAnswer, NetError> {
    let (target_ip, target_port) = route(w, ip, port)?;
    w.settle_standing_at(&target_ip);
    let (ci, li) = find_listener(w, &target_ip, target_port)?;
    let pid = w.containers[ci].listeners[li].pid;
    let fs_gen = w.fs_generation(ci);
    if let Some((status, line)) = memo_for(w, ci, pid, fs_gen, ip, port, path, headers) {
        if memo_usable(w, ci, pid) {
            add_connections(w, ci, pid, 1);
            ephemeral_port(w, &client_ip(), &target_ip, target_port, 1);
            w.containers[ci].logs.push_stamped(&line, now);
            return Ok(StatusAnswer { status, delay: 0, redirect: None });
        }
    }
    let cacheable = matches!(w.containers[ci].listeners[li].server, ServerKind::Prog) && memo_usable(w, ci, pid);
    // Already routed: a Service's round-robin must advance once per request.
    let resp = http_request(w, &target_ip, target_port, path, headers, client_ip(), now)?;
    // One answer per request kept (a liveness and a readiness probe asking for different
    // paths each keep theirs), a few per container.
    w.containers[ci].http_memos.retain(|m| !(m.port == port && m.ip == ip && m.path == path && m.headers == headers));
    if w.containers[ci].http_memos.len() >= MAX_MEMOS {
        w.containers[ci].http_memos.remove(0);
    }
    // A redirect's caller reads its Location and body too: never answered from memory.
    let redirect = (300..400).contains(&resp.status).then(|| {
        let location = resp.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("Location")).map(|(_, v)| v.clone());
        (location, resp.body.clone())
    });
    if cacheable && redirect.is_none() && resp.exit.is_none() && resp.delay_ms == 0 && w.fs_generation(ci) == fs_gen {
        if let [(crate::io::Stream::Stdout, line)] = resp.logs.as_slice() {
            let wall = w.wall_ms(now).div_euclid(1000);
            if let Some(access_line) = crate::logs::StampedLine::split(crate::io::Stream::Stdout, line, wall) {
                w.containers[ci].http_memos.push(HttpMemo {
                    pid,
                    fs_generation: fs_gen,
                    path: path.to_string(),
                    headers: headers.to_vec(),
                    ip: ip.to_string(),
                    port,
                    status: resp.status,
                    access_line: std::rc::Rc::new(access_line),
                });
            }
        }
    }
    Ok(StatusAnswer { status: resp.status, delay: resp.delay_ms, redirect })
}

/// A status-only request's answer: its status, how long the server took, and for a 3xx its
/// `Location` (if any) and body, which a client following or reporting redirects reads.
pub(crate) struct StatusAnswer {
    pub status: u16,
    pub delay: Millis,
    pub redirect: Option<(Option<String>, Vec<u8>)>,
}

/// Whether the requests of a loop's turn, repeated from now, go to the same endpoints and are
/// answered the same way: each Service route still has its endpoints and the round robin is
/// where the turn found it (and comes back there after the turn), each server still serves the
/// same files from the same process. Until the engine next acts (the bulk's horizon) nothing
/// else changes any of it.
pub(crate) fn exchanges_hold(w: &World, exchanges: &[Exchange]) -> bool {
    let routed = exchanges.iter().filter(|x| x.route.is_some()).count();
    let mut k = 0u64;
    exchanges.iter().all(|x| {
        let endpoint_holds = match x.route {
            Some((s, len)) => {
                let holds = w.services.get(s).is_some_and(|r| {
                    r.endpoints.len() == len
                        && routed % len == 0
                        && r.endpoints.iter().nth((w.service_rr.wrapping_add(k) as usize) % len) == Some(&x.endpoint)
                });
                k += 1;
                holds
            }
            None => service_route(w, &x.endpoint.0, x.endpoint.1).is_ok_and(|r| r.is_none()),
        };
        endpoint_holds
            && find_listener(w, &x.endpoint.0, x.endpoint.1)
                .is_ok_and(|(ci, li)| ci == x.server && w.containers[ci].listeners[li].pid == x.pid)
            && w.fs_generation(x.server) == x.fs_generation
            && exchange_usable(w, x.server, x.pid)
            && !w.writers.iter().any(|(c, _)| w.containers[*c].sandbox == w.containers[x.server].sandbox)
    })
}

/// The lasting effects of `count` repetitions, every `cycle_steps` from `start` (a millisecond
/// and the steps already spent in it), of a turn's `exchanges`: each server's access-log lines
/// (kept as cycles), its connection counter, the clients' source ports and the round robin.
pub(crate) fn repeat_exchanges(w: &mut World, exchanges: &[Exchange], start: (Millis, u64), cycle_steps: u64, count: u64) {
    let spm = w.cfg.steps_per_ms.max(1);
    let mut servers: Vec<usize> = exchanges.iter().map(|x| x.server).collect();
    servers.sort_unstable();
    servers.dedup();
    for ci in servers {
        crate::standing::settle_sandbox(w, w.containers[ci].sandbox);
        // The k-th of a turn's m requests to this server is its connection serial + 1 + k in
        // the first turn, m more each turn.
        let asked: Vec<&Exchange> = exchanges.iter().filter(|x| x.server == ci).collect();
        let serial = connections(w, ci, asked[0].pid);
        let m = asked.len() as u64;
        let lines: Vec<crate::logs::CycleLine> = asked
            .iter()
            .enumerate()
            .flat_map(|(k, x)| {
                let first = (serial + 1 + k as u64, m);
                x.lines.iter().map(move |l| crate::logs::CycleLine::stamped(x.offset_steps, l.clone(), first))
            })
            .collect();
        let cycles = crate::logs::Cycles {
            lines: lines.into(),
            partial: false,
            start_ms: start.0,
            start_steps: start.1,
            cycle_steps,
            steps_per_ms: spm,
            count,
        };
        w.containers[ci].logs.push_cycles(cycles);
        w.touch(ci);
    }
    for x in exchanges {
        add_connections(w, x.server, x.pid, count);
        take_ports(w, x.port_key, count);
    }
    let routed = exchanges.iter().filter(|x| x.route.is_some()).count() as u64;
    w.service_rr = w.service_rr.wrapping_add(routed.wrapping_mul(count));
    w.effects.set(w.effects.get() + count * exchanges.len() as u64);
}

/// A gRPC client's `grpc.health.v1.Health/Check` of `service` at ip:port (through a Service's
/// route, like any connection). Only a listener that speaks gRPC answers; any other peer, like a
/// refused or unanswered port, leaves the client without a connection: grpc-go's blocking dial
/// (`DialContext` with `WithBlock`, the kubelet's prober) retries until its deadline. The
/// server's log lines go to its container's log at `now`.
pub(crate) fn grpc_health_check(w: &mut World, ip: &str, port: u16, service: &str, now: Millis) -> GrpcHealthOutcome {
    let Ok((ip_routed, port)) = route(w, ip, port) else { return GrpcHealthOutcome::NotConnected };
    let ip: &str = &ip_routed;
    w.settle_standing_at(ip);
    let Ok((ci, li)) = find_listener(w, ip, port) else { return GrpcHealthOutcome::NotConnected };
    let listener = w.containers[ci].listeners[li].clone();
    if !matches!(listener.server, ServerKind::Grpc) {
        return GrpcHealthOutcome::NotConnected;
    }
    let pid = listener.pid;
    let wall = w.wall_ms(now).div_euclid(1000);
    let hostname = w.sandboxes[w.containers[ci].sandbox].cfg.hostname.clone();
    let cwd = w.containers[ci].procs.get(&pid).map(|p| p.cwd.clone()).unwrap_or_else(|| "/".into());
    let Some(mut proc_kind) = w.containers[ci].procs.get_mut(&pid).map(|p| std::mem::replace(&mut p.kind, Kind::Running)) else {
        return GrpcHealthOutcome::NotConnected;
    };
    let reply = match &mut proc_kind {
        Kind::Prog(prog) => Some(prog.grpc_health_check(service, &w.view(ci, now), now, wall, &hostname, &cwd)),
        _ => None,
    };
    w.touch(ci);
    if let Some(p) = w.containers[ci].procs.get_mut(&pid) {
        p.kind = proc_kind;
    }
    let Some(reply) = reply else { return GrpcHealthOutcome::NotConnected };
    write_server_logs(w, ci, pid, &reply.logs, now);
    GrpcHealthOutcome::Answered(reply.answer)
}

/// A server's lines written to its own stdout or stderr at `now`.
fn write_server_logs(w: &mut World, ci: usize, pid: u32, logs: &[(crate::io::Stream, String)], now: Millis) {
    let Some(fds) = w.containers[ci].procs.get(&pid).map(|p| p.fds.clone()) else { return };
    for (s, line) in logs {
        let o = if *s == crate::io::Stream::Stdout { fds.stdout.clone() } else { fds.stderr.clone() };
        w.write(ci, &o, format!("{line}\n").as_bytes(), now);
    }
}
