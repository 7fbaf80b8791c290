//! Network applets: wget, nc, nslookup, netstat, ping, httpd (images.md §1.6–1.10).

use super::{net_err_text, Applet, Ctx};
use crate::fs::normalize;
use crate::shell::host::{Host, HttpReply, NetError};
use crate::types::BusyboxVersion;

fn err(h: &mut dyn Host, c: &Ctx, s: &str) {
    h.write(&c.fds.stderr, s.as_bytes());
}
fn out(h: &mut dyn Host, c: &Ctx, s: &str) {
    h.write(&c.fds.stdout, s.as_bytes());
}

/// The cluster DNS name that answers `name` through the search list, as `resolve_libc` tries
/// them (None for literals, localhost and the pod's own name, which DNS does not answer).
fn libc_answering_name(h: &dyn Host, name: &str) -> Option<String> {
    let ns = h.namespace();
    let search = [format!("{ns}.svc.cluster.local"), "svc.cluster.local".to_string(), "cluster.local".to_string()];
    let mut cands: Vec<String> = search.iter().map(|d| format!("{name}.{d}")).collect();
    if name.matches('.').count() >= 5 {
        cands.insert(0, name.to_string());
    } else {
        cands.push(name.trim_end_matches('.').to_string());
    }
    cands.into_iter().find(|c| h.dns_lookup(c).is_some())
}

/// Resolve like a glibc program in a pod: IP literals, localhost, the pod's own hostname, then
/// cluster DNS through the search list (`ndots:5`: names with fewer dots try the search list
/// first).
pub fn resolve_libc(h: &dyn Host, name: &str) -> Option<String> {
    resolve_libc_all(h, name).into_iter().next()
}

/// Every address `resolve_libc` could answer with, in order (getaddrinfo's list): a name
/// resolved without DNS has one, a DNS name all its A records.
fn resolve_libc_all(h: &dyn Host, name: &str) -> Vec<String> {
    if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return vec![name.to_string()];
    }
    if name == "localhost" {
        return vec!["127.0.0.1".into()];
    }
    if name == h.hostname() {
        return vec![h.pod_ip()];
    }
    libc_answering_name(h, name).map(|fqdn| h.dns_lookup_all(&fqdn)).unwrap_or_default()
}

struct Url {
    host: String,
    port: u16,
    explicit_port: bool,
    path: String,
}

fn parse_url(u: &str) -> Option<Url> {
    let rest = u.strip_prefix("http://").unwrap_or(u);
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port, explicit) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?, true),
        None => (hostport.to_string(), 80, false),
    };
    if host.is_empty() {
        return None;
    }
    Some(Url { host, port, explicit_port: explicit, path })
}

/// The progress-bar line busybox prints without a tty (80 columns).
fn progress_line(v: BusyboxVersion, name: &str, size: usize) -> String {
    let size_s = if size < 100_000 { format!("{size:>6}") } else { format!("{:>5}k", size / 1024) };
    if v == BusyboxVersion::V1_28 {
        format!("{name:<20.20} 100% |{}|{size_s}   0:00:00 ETA\n\n", "*".repeat(31))
    } else {
        format!("{name:<20.20} 100% |{}|{size_s}  0:00:00 ETA\n", "*".repeat(32))
    }
}

pub fn wget(h: &mut dyn Host, c: &Ctx) -> i32 {
    let v = h.busybox_version();
    let mut quiet = false;
    let mut spider = false;
    let mut show_headers = false;
    let mut out_file: Option<String> = None;
    let mut url = None;
    let mut extra_headers: Vec<(String, String)> = Vec::new();
    let mut i = 1;
    let argv = c.argv;
    while i < argv.len() {
        let a = argv[i].as_str();
        match a {
            "-q" => quiet = true,
            "-S" => show_headers = true,
            "--spider" => spider = true,
            "-O" => {
                out_file = argv.get(i + 1).cloned();
                i += 1;
            }
            "-T" | "-t" | "-U" | "--timeout" => i += 1,
            "--header" => {
                if let Some((k, val)) = argv.get(i + 1).and_then(|x| x.split_once(':')) {
                    extra_headers.push((k.trim().to_string(), val.trim().to_string()));
                }
                i += 1;
            }
            _ if a.starts_with("-O") && a.len() > 2 => out_file = Some(a[2..].to_string()),
            _ if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") => {
                // getopt cluster: `-qO-` is -q plus -O with the value `-`.
                let chars: Vec<char> = a[1..].chars().collect();
                for (k, ch) in chars.iter().enumerate() {
                    match ch {
                        'q' => quiet = true,
                        'S' => show_headers = true,
                        'O' | 'T' | 'U' => {
                            let rest: String = chars[k + 1..].iter().collect();
                            let val = if rest.is_empty() {
                                i += 1;
                                argv.get(i).cloned()
                            } else {
                                Some(rest)
                            };
                            if *ch == 'O' {
                                out_file = val;
                            }
                            break;
                        }
                        _ => {}
                    }
                }
            }
            _ if a.starts_with("--") => {}
            _ => url = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(url) = url.and_then(|u| parse_url(&u)) else {
        err(h, c, "wget: bad address ''\n");
        return 1;
    };
    let Some(ip) = resolve_libc(h, &url.host) else {
        err(h, c, &format!("wget: bad address '{}'\n", url.host));
        return 1;
    };
    if !quiet {
        let shown = if url.explicit_port { format!("{}:{}", url.host, url.port) } else { url.host.clone() };
        err(h, c, &format!("Connecting to {shown} ({ip}:{})\n", url.port));
    }
    let host_header = if url.explicit_port { format!("{}:{}", url.host, url.port) } else { url.host.clone() };
    let mut headers = vec![("Host".to_string(), host_header), ("User-Agent".to_string(), "Wget".to_string())];
    headers.extend(extra_headers);
    headers.push(("Connection".into(), "close".into()));
    let reply: HttpReply = match h.http_get(&ip, url.port, &url.path, &headers) {
        Ok(r) => r,
        Err(NetError::TimedOut) => {
            err(h, c, "wget: download timed out\n");
            return 1;
        }
        Err(e) => {
            err(h, c, &format!("wget: can't connect to remote host ({ip}): {}\n", net_err_text(&e)));
            return 1;
        }
    };
    if show_headers && !quiet {
        let mut s = format!("  {}\n", reply.status_line);
        for (k, val) in &reply.headers {
            s.push_str(&format!("  {k}: {val}\n"));
        }
        s.push_str("  \n");
        err(h, c, &s);
    }
    if !(200..300).contains(&reply.status) {
        err(h, c, &format!("wget: server returned error: {}\n", reply.status_line));
        return 1;
    }
    if spider {
        if v > BusyboxVersion::V1_28 && !quiet {
            err(h, c, "remote file exists\n");
        }
        return 0;
    }
    let to_stdout = out_file.as_deref() == Some("-");
    let fname = out_file.clone().unwrap_or_else(|| {
        let base = url.path.split('?').next().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
        if base.is_empty() {
            "index.html".to_string()
        } else {
            base
        }
    });
    if !quiet && v > BusyboxVersion::V1_28 {
        err(h, c, &if to_stdout { "writing to stdout\n".to_string() } else { format!("saving to '{fname}'\n") });
    }
    if to_stdout {
        h.write(&c.fds.stdout, &reply.body);
    } else if fname != "/dev/null" {
        let abs = normalize(c.cwd, &fname);
        if let Err(e) = h.view().write(&abs, &reply.body, false) {
            err(h, c, &format!("wget: can't open '{fname}': {}\n", e.strerror()));
            return 1;
        }
    }
    if !quiet {
        let label = if to_stdout { "-".to_string() } else { fname.rsplit('/').next().unwrap_or("").to_string() };
        let mut s = progress_line(v, &label, reply.body.len());
        if v > BusyboxVersion::V1_28 {
            s.push_str(&if to_stdout { "written to stdout\n".to_string() } else { format!("'{fname}' saved\n") });
        }
        err(h, c, &s);
    }
    0
}

/// `nc`: -z/-v probing, or send stdin (an HTTP request) and print the reply (§1.7).
pub fn nc(h: &mut dyn Host, c: &Ctx) -> Applet {
    let listen = c.argv.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('l'));
    let listen_port = c.argv.iter().position(|a| a == "-p").and_then(|i| c.argv.get(i + 1)).and_then(|p| p.parse::<u16>().ok());
    if listen {
        let Some(port) = listen_port else {
            err(h, c, "nc: missing port\n");
            return Applet::Exit(1);
        };
        if h.listen_tcp(port, "nc".into()).is_err() {
            err(h, c, "nc: bind: Address already in use\n");
            return Applet::Exit(1);
        }
        return Applet::Forever;
    }
    Applet::Exit(nc_client(h, c))
}

fn nc_client(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut zero = false;
    let mut verbose = 0;
    let mut ops = Vec::new();
    let mut i = 1;
    while i < c.argv.len() {
        let a = &c.argv[i];
        if a == "-w" || a == "-i" {
            i += 2;
            continue;
        }
        if let Some(fl) = a.strip_prefix('-') {
            for ch in fl.chars() {
                match ch {
                    'z' => zero = true,
                    'v' => verbose += 1,
                    _ => {}
                }
            }
        } else {
            ops.push(a.clone());
        }
        i += 1;
    }
    let (Some(host), Some(port)) = (ops.first(), ops.get(1).and_then(|p| p.parse::<u16>().ok())) else {
        err(h, c, "nc: bad address\n");
        return 1;
    };
    let Some(ip) = resolve_libc(h, host) else {
        err(h, c, &format!("nc: bad address '{host}'\n"));
        return 1;
    };
    match h.tcp_probe(&ip, port) {
        Err(e) => {
            if verbose >= 2 {
                err(h, c, &format!("nc: {host} ({ip}:{port}): {}\nsent 0, rcvd 0\n", net_err_text(&e)));
            }
            1
        }
        Ok(()) => {
            if verbose >= 1 {
                err(h, c, &format!("{host} ({ip}:{port}) open\n"));
            }
            if zero {
                return 0;
            }
            let req = String::from_utf8_lossy(c.fds.stdin.bytes()).to_string();
            let mut lines = req.split("\r\n");
            let first = lines.next().unwrap_or("");
            let mut parts = first.split(' ');
            if parts.next() == Some("GET") {
                let path = parts.next().unwrap_or("/").to_string();
                let headers: Vec<(String, String)> =
                    lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
                if let Ok(r) = h.http_get(&ip, port, &path, &headers) {
                    let mut raw = format!("{}\r\n", r.status_line).into_bytes();
                    for (k, v) in &r.headers {
                        raw.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
                    }
                    raw.extend_from_slice(b"\r\n");
                    raw.extend_from_slice(&r.body);
                    h.write(&c.fds.stdout, &raw);
                }
            }
            0
        }
    }
}

/// `nslookup`: 1.28 used the libc resolver; ≥1.29 its own client (§1.8).
pub fn nslookup(h: &mut dyn Host, c: &Ctx) -> i32 {
    let v = h.busybox_version();
    let Some(name) = c.argv.iter().skip(1).find(|a| !a.starts_with('-')).cloned() else {
        err(h, c, &format!("{}\n\nUsage: nslookup [HOST] [SERVER]\n", v.banner()));
        return 1;
    };
    let server = "10.96.0.10".to_string();
    let ns = h.namespace();
    if v == BusyboxVersion::V1_28 {
        let ptr = |h: &dyn Host, ip: &str| -> Option<String> { reverse(h, ip) };
        let srv_ptr = ptr(h, &server);
        let mut s = format!("Server:    {server}\n");
        s.push_str(&match srv_ptr {
            Some(n) => format!("Address 1: {server} {n}\n\n"),
            None => format!("Address 1: {server}\n\n"),
        });
        // print_host numbers getaddrinfo's addresses, each with its PTR name when there is one.
        let ips = resolve_libc_all(h, &name);
        if ips.is_empty() {
            out(h, c, &s);
            err(h, c, &format!("nslookup: can't resolve '{name}'\n"));
            return 1;
        }
        s.push_str(&format!("Name:      {name}\n"));
        for (i, ip) in ips.iter().enumerate() {
            s.push_str(&match ptr(h, ip) {
                Some(n) => format!("Address {}: {ip} {n}\n", i + 1),
                None => format!("Address {}: {ip}\n", i + 1),
            });
        }
        out(h, c, &s);
        0
    } else {
        let mut s = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
        let names: Vec<String> = if name.contains('.') {
            vec![name.clone()]
        } else {
            vec![format!("{name}.{ns}.svc.cluster.local"), format!("{name}.svc.cluster.local"), format!("{name}.cluster.local")]
        };
        let mut nx = false;
        // A queries, then AAAA queries (answers arrive in that order).
        for n in &names {
            let ips = h.dns_lookup_all(n);
            if ips.is_empty() {
                nx = true;
                s.push_str(&format!("** server can't find {n}: NXDOMAIN\n\n"));
            } else {
                // parse_reply: a Name/Address pair per A record of the answer.
                for ip in &ips {
                    s.push_str(&format!("Name:\t{n}\nAddress: {ip}\n"));
                }
                s.push('\n');
            }
        }
        for n in &names {
            match h.dns_lookup(n) {
                Some(_) => s.push('\n'),
                None => s.push_str(&format!("** server can't find {n}: NXDOMAIN\n\n")),
            }
        }
        out(h, c, &s);
        if nx {
            1
        } else {
            0
        }
    }
}

fn reverse(h: &dyn Host, ip: &str) -> Option<String> {
    if ip == "10.96.0.10" {
        return Some("kube-dns.kube-system.svc.cluster.local".into());
    }
    let ns = h.namespace();
    // Services are named NAME.NS.svc.cluster.local; look for one with that IP via forward lookups
    // of the names a test is likely to use is not possible here, so the host answers directly.
    let _ = ns;
    h.dns_reverse(ip)
}

pub fn netstat(h: &mut dyn Host, c: &Ctx) -> i32 {
    let flags: String = c.argv.iter().skip(1).filter(|a| a.starts_with('-')).map(|a| a[1..].to_string()).collect();
    let with_pid = flags.contains('p');
    let listening_only = flags.contains('l');
    let mut s = String::new();
    s.push_str(if listening_only {
        "Active Internet connections (only servers)\n"
    } else {
        "Active Internet connections (servers and established)\n"
    });
    s.push_str("Proto Recv-Q Send-Q Local Address           Foreign Address         State       ");
    s.push_str(if with_pid { "PID/Program name    \n" } else { "\n" });
    for l in h.listeners() {
        let (local, foreign) = if l.ipv6_wildcard {
            (format!(":::{}", l.port), ":::*".to_string())
        } else {
            (format!("0.0.0.0:{}", l.port), "0.0.0.0:*".to_string())
        };
        let mut row = format!("{:<5} {:>6} {:>6} {:<23} {:<23} {:<12}", "tcp", 0, 0, local, foreign, "LISTEN");
        if with_pid {
            row.push_str(&format!("{}/{}", l.pid, l.program));
        }
        row.push('\n');
        s.push_str(&row);
    }
    if !listening_only && flags.contains('a') && !flags.contains('t') {
        s.push_str("Active UNIX domain sockets (servers and established)\nProto RefCnt Flags       Type       State         I-Node Path\n");
    }
    out(h, c, &s);
    0
}

pub fn ping(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut count: u32 = u32::MAX;
    let mut host = None;
    let mut i = 1;
    while i < c.argv.len() {
        if c.argv[i] == "-c" {
            count = c.argv.get(i + 1).and_then(|x| x.parse().ok()).unwrap_or(1);
            i += 1;
        } else if !c.argv[i].starts_with('-') {
            host = Some(c.argv[i].clone());
        }
        i += 1;
    }
    let Some(host) = host else { return 1 };
    let Some(ip) = resolve_libc(h, &host) else {
        err(h, c, &format!("ping: bad address '{host}'\n"));
        return 1;
    };
    let n = count.min(5);
    let mut s = format!("PING {host} ({ip}): 56 data bytes\n");
    let reachable = ip == "127.0.0.1" || ip == h.pod_ip();
    if !reachable {
        // images.md §1.4 (RUN): an unroutable address fails at sendto().
        out(h, c, &s);
        err(h, c, "ping: sendto: Network is unreachable\n");
        return 1;
    }
    for k in 0..n {
        s.push_str(&format!("64 bytes from {ip}: seq={k} ttl=64 time=0.057 ms\n"));
    }
    s.push_str(&format!("\n--- {host} ping statistics ---\n{n} packets transmitted, {n} packets received, 0% packet loss\nround-trip min/avg/max = 0.057/0.057/0.057 ms\n"));
    out(h, c, &s);
    0
}

/// `httpd` usage text per version (RUN, transcripts/busybox-*-net.txt).
fn httpd_usage(v: BusyboxVersion) -> String {
    let synopsis = if v >= BusyboxVersion::V1_38 {
        "Usage: httpd [-ifv[v]] [-c CONFFILE] [-p [IP:]PORT] [-M MAXCONN] [-K KILLSEC] [-u USER[:GRP]] [-r REALM] [-h HOME]"
    } else {
        "Usage: httpd [-ifv[v]] [-c CONFFILE] [-p [IP:]PORT] [-u USER[:GRP]] [-r REALM] [-h HOME]"
    };
    let f = if v == BusyboxVersion::V1_28 { "Don't daemonize" } else { "Run in foreground" };
    let mut s = format!("{}\n\n{synopsis}\nor httpd -d/-e/-m STRING\n\nListen for incoming HTTP requests\n\n\t-i\t\tInetd mode\n\t-f\t\t{f}\n\t-v[v]\t\tVerbose\n\t-p [IP:]PORT\tBind to IP:PORT (default *:80)\n", v.banner());
    if v >= BusyboxVersion::V1_38 {
        s.push_str("\t-M NUM\t\tPause if NUM connections are open (default 256)\n\t-K NUM\t\tKill CGIs after NUM seconds\n");
    }
    s.push_str("\t-u USER[:GRP]\tSet uid/gid after binding to port\n\t-r REALM\tAuthentication Realm for Basic Authentication\n\t-h HOME\t\tHome directory (default .)\n\t-c FILE\t\tConfiguration file (default {/etc,HOME}/httpd.conf)\n\t-m STRING\tMD5 crypt STRING\n\t-e STRING\tHTML encode STRING\n\t-d STRING\tURL decode STRING\n");
    s
}

/// busybox httpd option parsing: getopt `"c:d:h:e:r:m:u:p:ifv"`, so `-h /x` given as ONE argv
/// element means home ` /x` (§1.10).
pub fn httpd(h: &mut dyn Host, c: &Ctx) -> Applet {
    let v = h.busybox_version();
    let mut foreground = false;
    let mut home = ".".to_string();
    let mut port: u16 = 80;
    let mut verbose = 0u8;
    let mut i = 1;
    let argv = c.argv;
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            break;
        }
        if !a.starts_with('-') || a.len() < 2 {
            break;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let ch = chars[k];
            match ch {
                'f' => foreground = true,
                'i' => foreground = true,
                'v' => verbose += 1,
                'c' | 'd' | 'h' | 'e' | 'r' | 'm' | 'u' | 'p' => {
                    let rest: String = chars[k + 1..].iter().collect();
                    let val = if !rest.is_empty() {
                        rest
                    } else {
                        i += 1;
                        match argv.get(i) {
                            Some(x) => x.clone(),
                            None => {
                                err(h, c, &format!("httpd: option requires an argument -- '{ch}'\n"));
                                err(h, c, &httpd_usage(v));
                                return Applet::Exit(1);
                            }
                        }
                    };
                    match ch {
                        'h' => home = val,
                        'p' => port = val.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or(80),
                        _ => {}
                    }
                    k = chars.len();
                    continue;
                }
                other => {
                    err(h, c, &format!("httpd: invalid option -- '{other}'\n"));
                    err(h, c, &httpd_usage(v));
                    return Applet::Exit(1);
                }
            }
            k += 1;
        }
        i += 1;
    }
    // xchdir(home): before daemonizing, so also fatal without -f.
    let abs = normalize(c.cwd, &home);
    let st = h.view().stat(&abs).map(|n| n.is_dir());
    let raw_ok = !home.starts_with(' ') || h.view().exists(&format!("{}/{}", c.cwd.trim_end_matches('/'), home));
    match st {
        Ok(true) if raw_ok => {}
        Ok(false) => {
            err(h, c, &format!("httpd: can't change directory to '{home}': Not a directory\n"));
            return Applet::Exit(1);
        }
        _ => {
            err(h, c, &format!("httpd: can't change directory to '{home}': No such file or directory\n"));
            return Applet::Exit(1);
        }
    }
    if h.listen_httpd(port, abs, verbose, !foreground, argv.to_vec()).is_err() {
        err(h, c, "httpd: bind: Address already in use\n");
        return Applet::Exit(1);
    }
    if foreground {
        Applet::Forever
    } else {
        // bb_daemonize: the foreground process exits 0 at once; the daemon keeps serving.
        Applet::Exit(0)
    }
}
