//! python: the official image (Debian-based), 3.13: `python -m http.server`, the one program
//! simulated: its block-buffered banner, its IPv4-only socket and its answers (images.md §4.3).

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::clock;
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, Serving, SigReaction, SignalDelivery};
use crate::servers::{content_type, read_file, url_path, Request, Response};

pub(super) const IMAGE: CatalogImage = CatalogImage { repos: &["docker.io/library/python"], config, programs: &[("python", start)] };

fn config(r: &ImageRef) -> Option<ImageInfo> {
    let tag = r.bare_tag();
    if !(matches!(tag, "latest" | "3" | "slim") || tag.starts_with("3.")) {
        return None;
    }
    let created = 1_780_000_000;
    Some(ImageInfo {
        cmd: words(&["python3"]),
        env: env(&[("PATH", PATH_DEFAULT), ("LANG", "C.UTF-8"), ("PYTHON_VERSION", "3.13.0")]),
        userland: Userland::Debian,
        files: vec![program_file("/usr/local/bin/python", "python", created), program_file("/usr/local/bin/python3", "python", created)],
        ..r.config(created, 1_020_000_000)
    })
}

/// `python [-u] -m http.server [PORT]`. Without `-u` or `PYTHONUNBUFFERED` stdout is a block
/// buffer: the banner shows only when the program exits cleanly.
fn start(launch: &mut Launch) -> Applet {
    let unbuffered = launch.argv.iter().any(|a| a == "-u") || launch.env_set("PYTHONUNBUFFERED");
    let args: Vec<&String> = launch.argv[1..].iter().filter(|a| *a != "-u").collect();
    if args.is_empty() {
        // The interactive interpreter reads stdin; with none attached it exits 0.
        return Applet::Exit(0);
    }
    if args.len() >= 2 && args[0] == "-m" && args[1] == "http.server" {
        let port: u16 = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(8000);
        let banner = format!("Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...");
        let mut timeline = vec![(launch.now, Action::Listen(port))];
        if unbuffered {
            timeline.push((launch.now, Action::Log(Stream::Stdout, banner.clone())));
        }
        return launch.program(HttpServer { unbuffered, banner }, timeline);
    }
    Applet::ExecInto { argv: vec![], output: vec![(Stream::Stderr, "python: only `python -m http.server [PORT]` is simulated".into())] }
        .exit_with(1)
}

/// `http.server`.
struct HttpServer {
    /// Whether stdout is unbuffered (the banner was written at once).
    unbuffered: bool,
    banner: String,
}

impl Behavior for HttpServer {
    /// SIGINT raises KeyboardInterrupt: a clean exit, which flushes the buffered banner. Python
    /// handles no other signal.
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        if signal.sig != 2 {
            return signal.default_action();
        }
        let log = |line: String| (signal.now, Action::Log(Stream::Stdout, line));
        let mut actions = Vec::new();
        if !self.unbuffered {
            actions.push(log(self.banner.clone()));
        }
        actions.push(log(String::new()));
        actions.push(log("Keyboard interrupt received, exiting.".into()));
        actions.push((signal.now, Action::Exit(0)));
        SigReaction::Actions(actions)
    }

    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        serve(req, at)
    }

    fn listens_on_ipv6(&self) -> bool {
        false
    }
}

const SERVER: &str = "SimpleHTTP/0.6 Python/3.13.0";
const NOT_FOUND_HTML: &[u8] = b"<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n";

/// `SimpleHTTPRequestHandler` over the working directory: a file, a directory's `index.html` or
/// its listing, else the 404 page. It logs each request (and each error) on stderr.
fn serve(req: &Request, at: &Serving) -> Response {
    let path = url_path(req.path);
    let abs = crate::fs::normalize(at.cwd, path.trim_start_matches('/'));
    let pstamp = clock::python_stamp(at.wall);
    let mut logs = Vec::new();
    let (status, headers, body) = match read_file(at.view, &abs) {
        Some((data, mtime, false)) => file(content_type(&abs), data, mtime, at),
        Some((_, _, true)) => match read_file(at.view, &format!("{}/index.html", abs.trim_end_matches('/'))) {
            Some((data, mtime, false)) => file("text/html", data, mtime, at),
            _ => listing(path, &abs, at),
        },
        None => {
            logs.push((Stream::Stderr, format!("{} - - [{pstamp}] code 404, message File not found", req.client_ip)));
            let headers = vec![
                ("Server".to_string(), SERVER.to_string()),
                ("Date".into(), clock::http_date(at.wall)),
                ("Connection".into(), "close".into()),
                ("Content-Type".into(), "text/html;charset=utf-8".into()),
                ("Content-Length".into(), NOT_FOUND_HTML.len().to_string()),
            ];
            (404, headers, NOT_FOUND_HTML.to_vec())
        }
    };
    logs.push((Stream::Stderr, format!("{} - - [{pstamp}] \"{} {} HTTP/1.1\" {status} -", req.client_ip, req.method, req.path)));
    let reason = if status == 200 { "OK" } else { "File not found" };
    Response { http_version: "HTTP/1.0", status, reason: reason.into(), headers, body, logs, exit: None, delay_ms: 0 }
}

fn file(content_type: &str, data: Vec<u8>, mtime: i64, at: &Serving) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let headers = vec![
        ("Server".to_string(), SERVER.to_string()),
        ("Date".into(), clock::http_date(at.wall)),
        ("Content-type".into(), content_type.into()),
        ("Content-Length".into(), data.len().to_string()),
        ("Last-Modified".into(), clock::http_date(mtime)),
    ];
    (200, headers, data)
}

/// A directory without `index.html`: its listing (subdirectories with a `/`).
fn listing(path: &str, abs: &str, at: &Serving) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut html = format!("<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for {path}</title>\n</head>\n<body>\n<h1>Directory listing for {path}</h1>\n<hr>\n<ul>\n");
    for name in at.view.list(abs).unwrap_or_default() {
        let full = crate::fs::normalize(abs, &name);
        let shown = if at.view.is_dir(&full) { format!("{name}/") } else { name };
        html.push_str(&format!("<li><a href=\"{shown}\">{shown}</a></li>\n"));
    }
    html.push_str("</ul>\n<hr>\n</body>\n</html>\n");
    let body = html.into_bytes();
    let headers = vec![
        ("Server".to_string(), SERVER.to_string()),
        ("Date".into(), clock::http_date(at.wall)),
        ("Content-type".into(), "text/html; charset=utf-8".into()),
        ("Content-Length".into(), body.len().to_string()),
    ];
    (200, headers, body)
}
