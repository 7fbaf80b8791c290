//! nginx: the official Debian-based image (and `sun2010wg/my-nginx`, a copy of 1.27.4):
//! `docker-entrypoint.sh` and the master process with its workers (images.md §2).

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::fs::{Node, NodeKind};
use crate::images::{self, ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, ProgKind};
use crate::types::Signal;

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["docker.io/library/nginx", "docker.io/sun2010wg/my-nginx"],
    config,
    programs: &[("nginx-entrypoint", start_entrypoint), ("nginx", start_nginx)],
};

/// The version its unversioned tags (`latest`, `stable`, …) are.
const LATEST: &str = "1.27.4";

fn config(r: &ImageRef) -> Option<ImageInfo> {
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
            if !(10..=29).contains(&minor) {
                return None;
            }
            let patch = if minor == 27 { 4 } else { 1 };
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
    let dir = |path: &str| (path.to_string(), Node { kind: NodeKind::Dir, mode: 0o755, mtime: created, program: None });
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
    let workers = launch.w.cfg.node_cpus.max(1);
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
        lines.push(format!("{stamp} [notice] 1#1: start worker process {}", FIRST_WORKER + i));
    }
    let mut timeline = launch.logs(Stream::Stderr, lines);
    timeline.push((launch.now, Action::Listen(80)));
    let c = &mut launch.w.containers[launch.cid];
    c.next_pid = c.next_pid.max(FIRST_WORKER + workers);
    launch.program(ProgKind::Nginx { version, workers, first_worker: FIRST_WORKER }, timeline)
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
    launch.w.signal_process(launch.cid, 1, sig, launch.now, Some(pid));
    Applet::Fail { output: vec![(Stream::Stderr, format!("{stamp} [notice] {pid}#{pid}: signal process started"))], code: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes() {
        assert_eq!(INDEX_HTML.len(), 615);
        assert_eq!(ERROR_50X_HTML.len(), 497);
    }
}
