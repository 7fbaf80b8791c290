//! httpd: the official Apache image (Debian-based): `httpd-foreground` and Apache's event MPM,
//! its graceful stop on SIGWINCH and its htdocs (images.md §4.1).

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::clock;
use crate::images::{self, ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, Serving, SigReaction, SignalDelivery};
use crate::servers::{content_type, read_file, reason, url_path, Request, Response};
use crate::types::Signal;

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["docker.io/library/httpd"],
    config,
    programs: &[("httpd-foreground", start_foreground), ("apache-httpd", start_httpd)],
};

fn config(r: &ImageRef) -> Option<ImageInfo> {
    let tag = r.bare_tag();
    if !(matches!(tag, "latest" | "2" | "2.4" | "alpine") || tag.starts_with("2.4.")) {
        return None;
    }
    let created = 1_779_000_000;
    Some(ImageInfo {
        cmd: words(&["httpd-foreground"]),
        env: env(&[
            ("PATH", &format!("/usr/local/apache2/bin:{PATH_DEFAULT}")),
            ("HTTPD_PREFIX", "/usr/local/apache2"),
            ("HTTPD_VERSION", "2.4.68"),
        ]),
        working_dir: "/usr/local/apache2".into(),
        stop_signal: Signal::Winch,
        userland: Userland::Debian,
        files: vec![
            program_file("/usr/local/bin/httpd-foreground", "httpd-foreground", created),
            program_file("/usr/local/apache2/bin/httpd", "apache-httpd", created),
            images::file("/usr/local/apache2/htdocs/index.html", b"<html><body><h1>It works!</h1></body></html>\n", created),
        ],
        ..r.config(created, 58_000_000)
    })
}

/// `httpd-foreground`: `exec httpd -DFOREGROUND "$@"`.
fn start_foreground(launch: &mut Launch) -> Applet {
    let mut argv = vec!["httpd".to_string(), "-DFOREGROUND".to_string()];
    argv.extend(launch.argv[1..].iter().cloned());
    Applet::ExecInto { argv, output: vec![] }
}

/// `httpd`: warns twice that it has no ServerName (it takes the pod's IP), then serves port 80.
fn start_httpd(launch: &mut Launch) -> Applet {
    let stamp = error_log_stamp(launch.wall_ms());
    let pod_ip = &launch.w.sandboxes[launch.w.containers[launch.cid].sandbox].cfg.pod_ip;
    let no_server_name = format!("AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {pod_ip}. Set the 'ServerName' directive globally to suppress this message");
    let lines = vec![
        no_server_name.clone(),
        no_server_name,
        format!("[{stamp}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.68 (Unix) configured -- resuming normal operations"),
        format!("[{stamp}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"),
    ];
    let mut timeline = launch.logs(Stream::Stderr, lines);
    timeline.push((launch.now, Action::Listen(80)));
    launch.program(Apache, timeline)
}

/// The event MPM's parent process.
struct Apache;

impl Behavior for Apache {
    /// SIGWINCH (the image's STOPSIGNAL): graceful stop; SIGTERM: stop.
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        let stamp = error_log_stamp(signal.wall_ms);
        let what = match signal.sig {
            28 => "AH00492: caught SIGWINCH, shutting down gracefully",
            15 => "AH00491: caught SIGTERM, shutting down",
            _ => return SigReaction::Ignore,
        };
        let line = format!("[{stamp}] [mpm_event:notice] [pid 1:tid 1] {what}");
        SigReaction::Actions(vec![(signal.now, Action::Log(Stream::Stderr, line)), (signal.now, Action::Exit(0))])
    }

    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        serve(req, at)
    }
}

/// The error log's time stamp: `Tue Oct 29 15:12:57.211347 2024`.
fn error_log_stamp(wall_ms: i64) -> String {
    let c = clock::civil(wall_ms.div_euclid(1000));
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let micros = wall_ms.rem_euclid(1000) * 1000;
    format!("{} {} {:02} {:02}:{:02}:{:02}.{micros:06} {}", c.weekday, MONTHS[(c.month - 1) as usize], c.day, c.hour, c.min, c.sec, c.year)
}

const HTDOCS: &str = "/usr/local/apache2/htdocs";
const SERVER: &str = "Apache/2.4.68 (Unix)";
const NOT_FOUND_HTML: &[u8] = b"<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n";

/// The files under htdocs (`index.html` for a directory), else Apache's 404 page; the access
/// log (common format) gets a line for each.
fn serve(req: &Request, at: &Serving) -> Response {
    let abs = crate::fs::normalize(HTDOCS, url_path(req.path).trim_start_matches('/'));
    let mut served = abs.clone();
    let mut node = read_file(at.view, &abs);
    if let Some((_, _, true)) = node {
        served = format!("{}/index.html", abs.trim_end_matches('/'));
        node = read_file(at.view, &served).filter(|(_, _, dir)| !dir);
    }
    let date = clock::http_date(at.wall);
    let (status, headers, body) = match node {
        Some((data, mtime, false)) => (
            200,
            vec![
                ("Date".into(), date),
                ("Server".into(), SERVER.into()),
                ("Last-Modified".into(), clock::http_date(mtime)),
                ("ETag".into(), format!("\"{:x}-{:x}\"", data.len(), mtime as u64 * 1_000_000)),
                ("Accept-Ranges".into(), "bytes".into()),
                ("Content-Length".into(), data.len().to_string()),
                ("Content-Type".into(), content_type(&served).into()),
            ],
            data,
        ),
        _ => (
            404,
            vec![
                ("Date".into(), date),
                ("Server".into(), SERVER.into()),
                ("Content-Length".into(), NOT_FOUND_HTML.len().to_string()),
                ("Content-Type".into(), "text/html; charset=iso-8859-1".into()),
            ],
            NOT_FOUND_HTML.to_vec(),
        ),
    };
    let size = if body.is_empty() { "-".to_string() } else { body.len().to_string() };
    let (client, time, method, path) = (&req.client_ip, clock::nginx_local(at.wall), req.method, req.path);
    let logs = vec![(Stream::Stdout, format!("{client} - - [{time}] \"{method} {path} HTTP/1.1\" {status} {size}"))];
    Response { http_version: "HTTP/1.1", status, reason: reason(status).into(), headers, body, logs, exit: None, delay_ms: 0 }
}
