//! nginx: the official Debian-based image (and `sun2010wg/my-nginx`, a copy of 1.27.4):
//! `docker-entrypoint.sh`, the master process with its workers, their signals and reloads, and
//! the default.conf's static files (images.md §2); Kubernetes' e2e nginx, a mirror of the
//! official alpine image of 1.14 or 1.15 (`e2e_config`).

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::clock;
use crate::fs::{Node, NodeKind};
use crate::images::{self, ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, Serving, SigReaction, SignalDelivery};
use crate::servers::{content_type, read_file, reason, url_path, Request, Response};
use crate::types::{Millis, Signal};

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["docker.io/library/nginx", "docker.io/sun2010wg/my-nginx", E2E_REPO],
    config,
    programs: &[("nginx-entrypoint", start_entrypoint), ("nginx", start_nginx)],
};

/// The version its unversioned tags (`latest`, `stable`, …) are.
const LATEST: &str = "1.27.4";

fn config(r: &ImageRef) -> Option<ImageInfo> {
    if r.repo == E2E_REPO {
        return e2e_config(r);
    }
    let version = if r.repo == "docker.io/sun2010wg/my-nginx" {
        if r.tag != "v2" && r.tag != "latest" {
            return None;
        }
        LATEST.to_string()
    } else {
        version_of_tag(r.tag)?
    };
    let created = 1_739_404_800; // 2025-02-13
    Some(ImageInfo {
        entrypoint: words(&["/docker-entrypoint.sh"]),
        cmd: words(&["nginx", "-g", "daemon off;"]),
        env: env(&[
            ("PATH", PATH_DEFAULT),
            ("NGINX_VERSION", &version),
            ("NJS_VERSION", "0.8.9"),
            ("NJS_RELEASE", "1~bookworm"),
            ("PKG_RELEASE", "1~bookworm"),
            ("DYNPKG_RELEASE", "1~bookworm"),
        ]),
        stop_signal: stop_signal(&version),
        userland: Userland::Debian,
        files: files(created),
        ..r.config(created, 72_000_000)
    })
}

/// The nginx release a tag names (`1.25` → 1.25.1), or `None` for a tag the image does not have.
fn version_of_tag(tag: &str) -> Option<String> {
    let base = tag.split('-').next().unwrap_or(tag);
    if matches!(base, "latest" | "mainline" | "alpine" | "stable" | "perl" | "bookworm") {
        return Some(LATEST.into());
    }
    let parts: Vec<&str> = base.split('.').collect();
    if parts.iter().any(|p| p.parse::<u32>().is_err()) || parts.is_empty() || parts[0] != "1" {
        return None;
    }
    match parts.len() {
        3 => Some(base.to_string()),
        2 => {
            let minor: u32 = parts[1].parse().ok()?;
            if !(10..=30).contains(&minor) {
                return None;
            }
            // 1.30 is the stable line of April 2026: its first release is the one sure to exist.
            let patch = match minor {
                27 => 4,
                30 => 0,
                _ => 1,
            };
            Some(format!("1.{minor}.{patch}"))
        }
        1 => Some(LATEST.into()),
        _ => None,
    }
}

/// The image's STOPSIGNAL: SIGQUIT from 1.19.5 on, SIGTERM before.
fn stop_signal(version: &str) -> Signal {
    let part = |i: usize| version.split('.').nth(i).and_then(|p| p.parse::<u32>().ok());
    let minor = part(1).unwrap_or(27);
    if minor > 19 || (version.starts_with("1.19.") && part(2).unwrap_or(0) >= 5) {
        Signal::Quit
    } else {
        Signal::Term
    }
}

/// `docs/html/50x.html` (497 bytes from 1.21.2 on, images.md §2.3).
const ERROR_50X_HTML: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";

/// `docs/html/index.html`: 615 bytes from 1.21.2 on (images.md §2.3); captured from 1.27.4.
const INDEX_HTML: &[u8] = include_bytes!("../assets/nginx-index-1.21.html");

const DEFAULT_CONF: &[u8] = b"server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n";

fn files(created: i64) -> Vec<(String, Node)> {
    let dir = |path: &str| {
        (path.to_string(), Node { kind: NodeKind::Dir, mode: 0o755, mtime: created, program: None, owner: crate::fs::Owner::ROOT })
    };
    vec![
        program_file("/docker-entrypoint.sh", "nginx-entrypoint", created),
        program_file("/usr/sbin/nginx", "nginx", created),
        images::file("/usr/share/nginx/html/50x.html", ERROR_50X_HTML.as_bytes(), created),
        images::file("/usr/share/nginx/html/index.html", INDEX_HTML, created),
        images::file("/etc/nginx/conf.d/default.conf", DEFAULT_CONF, created),
        dir("/docker-entrypoint.d"),
        dir("/var/log/nginx"),
    ]
}

/// Kubernetes' e2e nginx (`imageutils.Nginx`, `imageutils.NginxNew`): `test/images/nginx`'s
/// Dockerfile mirrors `nginx:1.14-alpine` (its BASEIMAGE), and `NginxNew` `nginx:1.15-alpine`.
const E2E_REPO: &str = "registry.k8s.io/e2e-test-images/nginx";

/// The e2e nginx's tags in `test/utils/image/manifest.go` over the releases, and the last
/// release of the official alpine image each mirrors (docker-nginx's `stable/alpine` and
/// `mainline/alpine` Dockerfiles: 1.14.2 and 1.15.12, both `FROM alpine:3.9`).
const E2E_TAGS: &[(&str, &str)] = &[
    ("1.14-1", "1.14.2"),
    ("1.14-2", "1.14.2"),
    ("1.14-4", "1.14.2"),
    ("1.15-1", "1.15.12"),
    ("1.15-2", "1.15.12"),
    ("1.15-4", "1.15.12"),
];

/// The official alpine image of 1.14/1.15 (docker-nginx's Dockerfile of 1.14.2 and 1.15.12):
/// no entrypoint script, `CMD ["nginx", "-g", "daemon off;"]`, `STOPSIGNAL SIGTERM`, alpine
/// 3.9's busybox (1.29.3), nginx.conf with one worker and warnings only in the error log, the
/// default.conf, index.html and 50x.html of the time.
fn e2e_config(r: &ImageRef) -> Option<ImageInfo> {
    let (_, version) = E2E_TAGS.iter().find(|(tag, _)| *tag == r.tag)?;
    let created = 1_556_668_800; // 2019-05-01, the alpine images' last build before 1.16
    let shell = crate::types::BusyboxVersion::from_tag("1.29")?;
    let njs = if *version == "1.14.2" { "1.14.2.0.2.7" } else { "0.3.1" };
    Some(ImageInfo {
        cmd: words(&["nginx", "-g", "daemon off;"]),
        env: env(&[("PATH", PATH_DEFAULT), ("NGINX_VERSION", version), ("NJS_VERSION", njs), ("PKG_RELEASE", "1")]),
        stop_signal: Signal::Term,
        userland: Userland::Busybox(shell),
        shell_version: shell,
        files: e2e_files(created),
        ..r.config(created, 16_000_000)
    })
}

/// `docs/html/index.html` before 1.21.2 (612 bytes).
const INDEX_HTML_OLD: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

/// `docs/html/50x.html` before 1.21.2 (537 bytes).
const ERROR_50X_HTML_OLD: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\n    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe <a href=\"http://nginx.org/r/error_log\">error log</a> for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";

/// docker-nginx's alpine `nginx.conf` of 1.14/1.15.
const E2E_NGINX_CONF: &str = "\nuser  nginx;\nworker_processes  1;\n\nerror_log  /var/log/nginx/error.log warn;\npid        /var/run/nginx.pid;\n\n\nevents {\n    worker_connections  1024;\n}\n\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n\n    log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '\n                      '$status $body_bytes_sent \"$http_referer\" '\n                      '\"$http_user_agent\" \"$http_x_forwarded_for\"';\n\n    access_log  /var/log/nginx/access.log  main;\n\n    sendfile        on;\n    #tcp_nopush     on;\n\n    keepalive_timeout  65;\n\n    #gzip  on;\n\n    include /etc/nginx/conf.d/*.conf;\n}\n";

/// docker-nginx's `nginx.vh.default.conf` of 1.14/1.15, its commented examples left out.
const E2E_DEFAULT_CONF: &str = "server {\n    listen       80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n}\n";

fn e2e_files(created: i64) -> Vec<(String, Node)> {
    let dir = |path: &str| {
        (path.to_string(), Node { kind: NodeKind::Dir, mode: 0o755, mtime: created, program: None, owner: crate::fs::Owner::ROOT })
    };
    vec![
        program_file("/usr/sbin/nginx", "nginx", created),
        images::file("/usr/share/nginx/html/50x.html", ERROR_50X_HTML_OLD.as_bytes(), created),
        images::file("/usr/share/nginx/html/index.html", INDEX_HTML_OLD.as_bytes(), created),
        images::file("/etc/nginx/nginx.conf", E2E_NGINX_CONF.as_bytes(), created),
        images::file("/etc/nginx/conf.d/default.conf", E2E_DEFAULT_CONF.as_bytes(), created),
        dir("/var/log/nginx"),
    ]
}

/// What the simulation reads of `/etc/nginx/nginx.conf`: whether notices reach the error log
/// (`error_log … warn` keeps them out) and `worker_processes`. The Debian images here hold no
/// nginx.conf: theirs logs notices and runs one worker per CPU (`auto`).
struct MainConf {
    notices: bool,
    workers: Option<u32>,
}

fn main_conf(launch: &mut Launch) -> MainConf {
    let text = launch.w.view(launch.cid, launch.now).read("/etc/nginx/nginx.conf").unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let directive = |name: &str| {
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with(name))
            .map(|l| l.trim_end_matches(';').split_whitespace().skip(1).map(String::from).collect::<Vec<_>>())
    };
    // nginx's error log levels, most severe first: a level lets through those before it.
    const LEVELS: [&str; 8] = ["emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"];
    let level = directive("error_log").and_then(|args| args.get(1).cloned());
    let notices = level.is_none_or(|l| LEVELS.iter().position(|x| *x == l) >= LEVELS.iter().position(|x| *x == "notice"));
    let workers = directive("worker_processes").and_then(|args| args.first().and_then(|n| n.parse().ok()));
    MainConf { notices, workers }
}

/// The version the container's image is (its `NGINX_VERSION`).
fn image_version(launch: &Launch) -> String {
    let image_env = &launch.w.containers[launch.cid].image.env;
    match image_env.iter().find(|(k, _)| k == "NGINX_VERSION") {
        Some((_, v)) => v.clone(),
        None => LATEST.into(),
    }
}

/// `docker-entrypoint.sh` (images.md §2.2): runs `/docker-entrypoint.d/`'s scripts (logging
/// each) only for `nginx`/`nginx-debug` commands, then execs the command.
fn start_entrypoint(launch: &mut Launch) -> Applet {
    let rest: Vec<String> = launch.argv[1..].to_vec();
    let quiet = launch.env_set("NGINX_ENTRYPOINT_QUIET_LOGS");
    let is_nginx = matches!(rest.first().map(|s| s.as_str()), Some("nginx") | Some("nginx-debug"));
    let output = if is_nginx && !quiet { entrypoint_lines(&image_version(launch)) } else { vec![] };
    Applet::ExecInto { argv: rest, output: output.into_iter().map(|l| (Stream::Stdout, l)).collect() }
}

/// What the entrypoint's scripts log; the scripts came with the releases that added them.
fn entrypoint_lines(version: &str) -> Vec<String> {
    let minor: u32 = version.split('.').nth(1).and_then(|m| m.parse().ok()).unwrap_or(27);
    let patch: u32 = version.split('.').nth(2).and_then(|m| m.parse().ok()).unwrap_or(0);
    let e = "/docker-entrypoint.sh";
    let mut out = vec![
        format!("{e}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"),
        format!("{e}: Looking for shell scripts in /docker-entrypoint.d/"),
        format!("{e}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"),
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf".into(),
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf".into(),
    ];
    if minor > 25 || (minor == 25 && patch >= 1) {
        out.push(format!("{e}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh"));
    }
    out.push(format!("{e}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"));
    if minor > 19 || (minor == 19 && patch >= 7) {
        out.push(format!("{e}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh"));
    }
    out.push(format!("{e}: Configuration complete; ready for start up"));
    out
}

/// `nginx`: `-s SIGNAL` signals the master, `-v` prints the version, and with `daemon off;` it
/// is the master itself (one worker per CPU); without, it daemonizes and returns at once.
fn start_nginx(launch: &mut Launch) -> Applet {
    if let Some(i) = launch.argv.iter().position(|a| a == "-s") {
        let signal = launch.argv.get(i + 1).cloned();
        return signal_master(launch, signal.as_deref());
    }
    let version = image_version(launch);
    if launch.argv.iter().any(|a| a == "-v") {
        return Applet::ExecInto { argv: vec![], output: vec![(Stream::Stderr, format!("nginx version: nginx/{version}"))] };
    }
    if !launch.argv.join(" ").contains("daemon off") {
        return Applet::Exit(0);
    }
    let stamp = launch.log_stamp();
    let conf = main_conf(launch);
    let workers = conf.workers.unwrap_or(launch.w.cfg.node_cpus).max(1);
    // After the entrypoint's scripts, or the next PID when nginx is the container's command.
    let first_worker = if launch.w.view(launch.cid, launch.now).stat("/docker-entrypoint.sh").is_ok() {
        FIRST_WORKER
    } else {
        launch.w.containers[launch.cid].next_pid
    };
    let kernel = &launch.w.cfg.kernel_release;
    let mut lines = vec![
        format!("{stamp} [notice] 1#1: using the \"epoll\" event method"),
        format!("{stamp} [notice] 1#1: nginx/{version}"),
        format!("{stamp} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) "),
        format!("{stamp} [notice] 1#1: OS: Linux {kernel}"),
        format!("{stamp} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576"),
        format!("{stamp} [notice] 1#1: start worker processes"),
    ];
    for i in 0..workers {
        lines.push(format!("{stamp} [notice] 1#1: start worker process {}", first_worker + i));
    }
    let nginx = Nginx { version, workers, first_worker, notices: conf.notices };
    let mut timeline = launch.logs(Stream::Stderr, nginx.kept_by_error_log(lines));
    timeline.push((launch.now, Action::Listen(80)));
    let c = &mut launch.w.containers[launch.cid];
    c.next_pid = c.next_pid.max(first_worker + workers);
    launch.program(nginx, timeline)
}

/// The entrypoint's scripts used PIDs up to 28; the first worker is 29.
const FIRST_WORKER: u32 = 29;

/// `nginx -s quit|stop|reload|reopen`: a helper process signals the master (PID 1).
fn signal_master(launch: &mut Launch, signal: Option<&str>) -> Applet {
    let sig = match signal {
        Some("quit") => 3,
        Some("stop") => 15,
        Some("reload") => 1,
        Some("reopen") => 10,
        other => {
            let what = other.unwrap_or("");
            return Applet::Fail { output: vec![(Stream::Stderr, format!("nginx: invalid option: \"-s {what}\""))], code: 1 };
        }
    };
    let (pid, stamp) = (launch.pid, launch.log_stamp());
    let notices = main_conf(launch).notices;
    launch.w.signal_process(launch.cid, 1, sig, launch.now, Some(pid));
    let output = if notices { vec![(Stream::Stderr, format!("{stamp} [notice] {pid}#{pid}: signal process started"))] } else { vec![] };
    Applet::Fail { output, code: 0 }
}

/// The master process.
struct Nginx {
    version: String,
    workers: u32,
    /// PID of the first worker (29 in the image's logs; new ones after a reload).
    first_worker: u32,
    /// Whether its error log takes notices (nginx.conf's `error_log` level).
    notices: bool,
}

impl Behavior for Nginx {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        match signal.sig {
            1 => self.reload(signal),
            2 | 3 | 15 => self.shut_down(signal),
            _ => SigReaction::Ignore,
        }
    }

    fn pids_forked_by(&self, sig: i32) -> u32 {
        if sig == 1 {
            self.workers
        } else {
            0
        }
    }

    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        self.serve(req, at)
    }

    fn bind_failure(&self, port: u16, wall_ms: i64) -> String {
        let stamp = clock::slash_stamp(wall_ms.div_euclid(1000));
        format!("{stamp} [emerg] 1#1: bind() to 0.0.0.0:{port} failed (98: Address already in use)")
    }

    fn answers_from_files(&self) -> bool {
        true
    }
}

/// ` from PID` when a process of the container sent the signal (`nginx -s`).
fn sent_from(signal: &SignalDelivery) -> String {
    signal.sender.map(|p| format!(" from {p}")).unwrap_or_default()
}

impl Nginx {
    /// The lines its error log takes: notices only at that level.
    fn kept_by_error_log(&self, lines: Vec<String>) -> Vec<String> {
        lines.into_iter().filter(|l| self.notices || !l.contains(" [notice] ")).collect()
    }

    /// SIGHUP / `nginx -s reload` (images.md §2.4, RUN): new workers start, the old ones quit.
    fn reload(&mut self, signal: &SignalDelivery) -> SigReaction {
        let (stamp, from) = (signal.log_stamp(), sent_from(signal));
        let (workers, old) = (self.workers, self.first_worker);
        let new = signal.next_pid.max(old + workers);
        let mut lines = vec![
            format!("{stamp} [notice] 1#1: signal 1 (SIGHUP) received{from}, reconfiguring"),
            format!("{stamp} [notice] 1#1: reconfiguring"),
            format!("{stamp} [notice] 1#1: using the \"epoll\" event method"),
            format!("{stamp} [notice] 1#1: start worker processes"),
        ];
        for w in 0..workers {
            lines.push(format!("{stamp} [notice] 1#1: start worker process {}", new + w));
        }
        for w in 0..workers {
            let wp = old + w;
            lines.push(format!("{stamp} [notice] {wp}#{wp}: gracefully shutting down"));
            lines.push(format!("{stamp} [notice] {wp}#{wp}: exiting"));
            lines.push(format!("{stamp} [notice] {wp}#{wp}: exit"));
        }
        lines.push(format!("{stamp} [notice] 1#1: signal 17 (SIGCHLD) received from {old}"));
        for w in 0..workers {
            lines.push(format!("{stamp} [notice] 1#1: worker process {} exited with code 0", old + w));
        }
        lines.push(format!("{stamp} [notice] 1#1: signal 29 (SIGIO) received"));
        self.first_worker = new;
        SigReaction::Actions(self.kept_by_error_log(lines).into_iter().map(|l| (signal.now, Action::Log(Stream::Stderr, l))).collect())
    }

    /// SIGQUIT: graceful shutdown; SIGTERM, SIGINT: fast shutdown. The workers exit, then the master.
    fn shut_down(&self, signal: &SignalDelivery) -> SigReaction {
        let (stamp, from) = (signal.log_stamp(), sent_from(signal));
        let (head, graceful) = match signal.sig {
            3 => (format!("signal 3 (SIGQUIT) received{from}, shutting down"), true),
            15 => (format!("signal 15 (SIGTERM) received{from}, exiting"), false),
            _ => (format!("signal 2 (SIGINT) received{from}, exiting"), false),
        };
        let first = self.first_worker;
        let mut lines = vec![format!("{stamp} [notice] 1#1: {head}")];
        for w in 0..self.workers {
            let wp = first + w;
            if graceful {
                lines.push(format!("{stamp} [notice] {wp}#{wp}: gracefully shutting down"));
            }
            lines.push(format!("{stamp} [notice] {wp}#{wp}: exiting"));
            lines.push(format!("{stamp} [notice] {wp}#{wp}: exit"));
        }
        lines.push(format!("{stamp} [notice] 1#1: signal 17 (SIGCHLD) received from {first}"));
        for w in 0..self.workers {
            lines.push(format!("{stamp} [notice] 1#1: worker process {} exited with code 0", first + w));
        }
        lines.push(format!("{stamp} [notice] 1#1: exit"));
        let mut actions: Vec<(Millis, Action)> =
            self.kept_by_error_log(lines).into_iter().map(|l| (signal.now, Action::Log(Stream::Stderr, l))).collect();
        actions.push((signal.now, Action::Exit(0)));
        SigReaction::Actions(actions)
    }
}

/// default.conf's `root`.
const ROOT: &str = "/usr/share/nginx/html";

/// What one request asks and where it is logged from.
struct Asked<'a> {
    req: &'a Request<'a>,
    /// `Host` (else the address connected to).
    host: String,
    /// The `Connection` header of the answer.
    connection: &'static str,
}

impl Nginx {
    /// default.conf: static files under `ROOT`, `index.html` for a directory, nginx's own error
    /// pages (the error log says why); every answer is logged to the access log.
    fn serve(&self, req: &Request, at: &Serving) -> Response {
        let path = url_path(req.path);
        let closes = req.header("Connection").map(|c| c.eq_ignore_ascii_case("close")).unwrap_or(false);
        let host = req.header("Host").unwrap_or(&req.local).to_string();
        let asked = Asked { req, host, connection: if closes { "close" } else { "keep-alive" } };
        let abs = crate::fs::normalize(ROOT, path.trim_start_matches('/'));
        let mut logs = Vec::new();
        let (mut status, headers, body) = match read_file(at.view, &abs) {
            Some((_, _, true)) if !path.ends_with('/') => {
                let location = format!("http://{}{path}/", asked.host);
                self.error_page(301, Some(location), &asked, at)
            }
            Some((_, _, true)) => {
                let index = format!("{}/index.html", abs.trim_end_matches('/'));
                match read_file(at.view, &index).filter(|(_, _, dir)| !dir) {
                    Some((data, mtime, _)) => self.file(&index, data, mtime, &asked, at),
                    None => {
                        let why = format!("directory index of \"{}/\" is forbidden", abs.trim_end_matches('/'));
                        logs.push(error_log(&why, &asked, at, self.first_worker));
                        self.error_page(403, None, &asked, at)
                    }
                }
            }
            Some((data, mtime, false)) => self.file(&abs, data, mtime, &asked, at),
            None => {
                logs.push(error_log(&format!("open() \"{abs}\" failed (2: No such file or directory)"), &asked, at, self.first_worker));
                self.error_page(404, None, &asked, at)
            }
        };
        if req.method == "POST" && status == 200 {
            status = 405;
        }
        logs.push(access_log(status, body.len(), req, at.wall));
        Response { http_version: "HTTP/1.1", status, reason: reason(status).into(), headers, body, logs, exit: None, delay_ms: 0 }
    }

    /// The headers every answer starts with.
    fn headers(&self, at: &Serving) -> Vec<(String, String)> {
        vec![("Server".to_string(), format!("nginx/{}", self.version)), ("Date".to_string(), clock::http_date(at.wall))]
    }

    fn file(&self, served: &str, data: Vec<u8>, mtime: i64, asked: &Asked, at: &Serving) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut headers = self.headers(at);
        headers.push(("Content-Type".into(), content_type(served).into()));
        headers.push(("Content-Length".into(), data.len().to_string()));
        headers.push(("Last-Modified".into(), clock::http_date(mtime)));
        headers.push(("Connection".into(), asked.connection.into()));
        headers.push(("ETag".into(), format!("\"{:x}-{:x}\"", mtime, data.len())));
        headers.push(("Accept-Ranges".into(), "bytes".into()));
        (200, headers, data)
    }

    fn error_page(&self, status: u16, location: Option<String>, asked: &Asked, at: &Serving) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let body = error_page(status, &self.version);
        let mut headers = self.headers(at);
        headers.push(("Content-Type".into(), "text/html".into()));
        headers.push(("Content-Length".into(), body.len().to_string()));
        if let Some(location) = location {
            headers.push(("Location".into(), location));
        }
        headers.push(("Connection".into(), asked.connection.into()));
        (status, headers, body)
    }
}

/// nginx's built-in error page.
fn error_page(status: u16, version: &str) -> Vec<u8> {
    let title = format!("{status} {}", reason(status));
    format!("<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n").into_bytes()
}

/// The error log's line about a request, written by worker `worker` (29 after the entrypoint's
/// scripts).
fn error_log(why: &str, asked: &Asked, at: &Serving, worker: u32) -> (Stream, String) {
    let (stamp, serial, client) = (clock::slash_stamp(at.wall), at.connection, &asked.req.client_ip);
    let request_line = format!("{} {} HTTP/1.1", asked.req.method, asked.req.path);
    let host = &asked.host;
    (
        Stream::Stderr,
        format!(
            "{stamp} [error] {worker}#{worker}: *{serial} {why}, client: {client}, server: localhost, request: \"{request_line}\", host: \"{host}\""
        ),
    )
}

/// The access log's line (the `main` format), written when the answer is complete.
fn access_log(status: u16, size: usize, req: &Request, wall: i64) -> (Stream, String) {
    let ua = req.header("User-Agent").unwrap_or("-");
    let referer = req.header("Referer").unwrap_or("-");
    let xff = req.header("X-Forwarded-For").unwrap_or("-");
    let (client, time, method, path) = (&req.client_ip, clock::nginx_local(wall), req.method, req.path);
    (Stream::Stdout, format!("{client} - - [{time}] \"{method} {path} HTTP/1.1\" {status} {size} \"{referer}\" \"{ua}\" \"{xff}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes() {
        assert_eq!(INDEX_HTML.len(), 615);
        assert_eq!(ERROR_50X_HTML.len(), 497);
        assert_eq!(error_page(404, "1.27.4").len(), 153);
    }
}
