//! HTTP answers of the simulated servers, byte-exact where images.md has captures
//! (busybox httpd §1.10, nginx §2.3, Go liveness §3.1, python §4.3, apache §4.1).

use crate::clock;
use crate::fs::{NodeKind, View};
use crate::io::Stream;
use crate::programs::{Prog, ProgKind};
use crate::types::{BusyboxVersion, Millis};

pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub headers: &'a [(String, String)],
    pub client_ip: String,
    pub client_port: u16,
    /// `ip:port` the client connected to (for Host defaults).
    pub local: String,
}

impl<'a> Request<'a> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Debug)]
pub struct Response {
    pub http_version: &'static str,
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Lines the server logs (stream, text).
    pub logs: Vec<(Stream, String)>,
    /// The server process exits after answering (netexec /exit).
    pub exit: Option<i32>,
    /// How long the server takes to answer (author rules); beyond the client timeout the
    /// request times out.
    pub delay_ms: Millis,
}

impl Response {
    pub fn status_line(&self) -> String {
        format!("{} {} {}", self.http_version, self.status, self.reason)
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Not Allowed",
        412 => "Precondition Failed",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("");
    match ext {
        "html" | "htm" => "text/html",
        "txt" => "text/plain",
        "css" => "text/css",
        "js" => "application/javascript",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        _ => "application/octet-stream",
    }
}

fn read_file(view: &View, abs: &str) -> Option<(Vec<u8>, i64, bool)> {
    let n = view.stat(abs).ok()?;
    match &n.kind {
        NodeKind::Dir => Some((Vec::new(), n.mtime, true)),
        _ => Some((n.content(crate::fs::READ_CAP)?.into_owned(), n.mtime, false)),
    }
}

fn url_path(p: &str) -> &str {
    p.split('?').next().unwrap_or(p)
}

/// busybox httpd (`-h home`, `-v` counting).
pub fn busybox_httpd(v: BusyboxVersion, home: &str, verbose: u8, view: &View, req: &Request, wall: i64) -> Response {
    let date = clock::http_date(wall);
    let path = url_path(req.path);
    let old = v == BusyboxVersion::V1_28;
    let hv = if old { "HTTP/1.0" } else { "HTTP/1.1" };
    let mut logs = Vec::new();
    let peer = format!("[::ffff:{}]:{}", req.client_ip, req.client_port);
    if verbose >= 2 {
        logs.push((
            Stream::Stderr,
            if v >= BusyboxVersion::V1_37 { format!("{peer}: {} {path}", req.method) } else { format!("{peer}: url:{path}") },
        ));
    }
    let abs = crate::fs::normalize(home, path.trim_start_matches('/'));
    let mut target = read_file(view, &abs);
    let mut served_path = abs.clone();
    if let Some((_, _, true)) = target {
        if !path.ends_with('/') {
            let mut r = simple(hv, 302, vec![("Location".into(), format!("{path}/"))], Vec::new(), old, &date);
            if verbose >= 1 {
                logs.push((Stream::Stderr, format!("{peer}: response:302")));
            }
            r.logs = logs;
            return r;
        }
        served_path = format!("{}/index.html", abs.trim_end_matches('/'));
        target = read_file(view, &served_path).filter(|(_, _, d)| !d);
    }
    let resp = if req.method != "GET" && req.method != "HEAD" {
        let body = b"<HTML><HEAD><TITLE>501 Not Implemented</TITLE></HEAD>\n<BODY><H1>501 Not Implemented</H1>\nThe requested method is not recognized\n</BODY></HTML>\n".to_vec();
        simple(hv, 501, vec![], body, old, &date)
    } else {
        match target {
            Some((data, mtime, false)) => {
                let ct = content_type(&served_path).to_string();
                let lm = clock::http_date(mtime);
                let len = data.len();
                let headers: Vec<(String, String)> = if old {
                    vec![
                        ("Content-type".into(), ct),
                        ("Date".into(), date.clone()),
                        ("Connection".into(), "close".into()),
                        ("Accept-Ranges".into(), "bytes".into()),
                        ("Last-Modified".into(), lm),
                        ("Content-Length".into(), len.to_string()),
                    ]
                } else {
                    vec![
                        ("Date".into(), date.clone()),
                        ("Connection".into(), "close".into()),
                        ("Content-type".into(), ct),
                        ("Accept-Ranges".into(), "bytes".into()),
                        ("Last-Modified".into(), lm),
                        ("ETag".into(), format!("\"{:x}-{:x}\"", mtime, len)),
                        ("Content-Length".into(), len.to_string()),
                    ]
                };
                Response { http_version: hv, status: 200, reason: "OK".into(), headers, body: data, logs: vec![], exit: None, delay_ms: 0 }
            }
            _ => {
                let body = b"<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n".to_vec();
                simple(hv, 404, vec![], body, old, &date)
            }
        }
    };
    if verbose >= 1 {
        logs.push((Stream::Stderr, format!("{peer}: response:{}", resp.status)));
    }
    Response { logs, ..resp }
}

fn simple(hv: &'static str, status: u16, extra: Vec<(String, String)>, body: Vec<u8>, old: bool, date: &str) -> Response {
    let mut headers: Vec<(String, String)> = if old {
        vec![("Content-type".into(), "text/html".into()), ("Date".into(), date.into()), ("Connection".into(), "close".into())]
    } else {
        vec![("Date".into(), date.into()), ("Connection".into(), "close".into()), ("Content-type".into(), "text/html".into())]
    };
    headers.extend(extra);
    Response { http_version: hv, status, reason: reason(status).into(), headers, body, logs: vec![], exit: None, delay_ms: 0 }
}

fn nginx_error_page(status: u16, version: &str) -> Vec<u8> {
    let title = format!("{status} {}", reason(status));
    format!("<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n").into_bytes()
}

/// nginx with the official image's default.conf.
pub fn nginx(prog: &mut Prog, version: &str, view: &View, req: &Request, wall: i64) -> Response {
    prog.conn_serial += 1;
    let serial = prog.conn_serial;
    let date = clock::http_date(wall);
    let path = url_path(req.path);
    let root = "/usr/share/nginx/html";
    let keep = req.header("Connection").map(|c| c.eq_ignore_ascii_case("close")).unwrap_or(false);
    let conn = if keep { "close" } else { "keep-alive" };
    let host = req.header("Host").unwrap_or(&req.local).to_string();
    let stamp = clock::slash_stamp(wall);
    let request_line = format!("{} {} HTTP/1.1", req.method, req.path);
    let mut logs = Vec::new();
    let abs = crate::fs::normalize(root, path.trim_start_matches('/'));
    let mut file = read_file(view, &abs);
    let mut served = abs.clone();
    let mut status;
    let mut headers = vec![("Server".to_string(), format!("nginx/{version}")), ("Date".to_string(), date.clone())];
    let body;
    if let Some((_, _, true)) = file {
        if path.ends_with('/') {
            served = format!("{}/index.html", abs.trim_end_matches('/'));
            file = read_file(view, &served).filter(|(_, _, d)| !d);
            if file.is_none() {
                logs.push((Stream::Stderr, format!("{stamp} [error] 29#29: *{serial} directory index of \"{}/\" is forbidden, client: {}, server: localhost, request: \"{request_line}\", host: \"{host}\"", abs.trim_end_matches('/'), req.client_ip)));
                status = 403;
                body = nginx_error_page(403, version);
                headers.push(("Content-Type".into(), "text/html".into()));
                headers.push(("Content-Length".into(), body.len().to_string()));
                headers.push(("Connection".into(), conn.into()));
                return finish(status, headers, body, logs, req, wall);
            }
        } else {
            status = 301;
            body = nginx_error_page(301, version);
            headers.push(("Content-Type".into(), "text/html".into()));
            headers.push(("Content-Length".into(), body.len().to_string()));
            headers.push(("Location".into(), format!("http://{host}{path}/")));
            headers.push(("Connection".into(), conn.into()));
            return finish(status, headers, body, logs, req, wall);
        }
    }
    match file {
        Some((data, mtime, false)) => {
            status = 200;
            headers.push(("Content-Type".into(), content_type(&served).into()));
            headers.push(("Content-Length".into(), data.len().to_string()));
            headers.push(("Last-Modified".into(), clock::http_date(mtime)));
            headers.push(("Connection".into(), conn.into()));
            headers.push(("ETag".into(), format!("\"{:x}-{:x}\"", mtime, data.len())));
            headers.push(("Accept-Ranges".into(), "bytes".into()));
            body = data;
        }
        _ => {
            status = 404;
            logs.push((Stream::Stderr, format!("{stamp} [error] 29#29: *{serial} open() \"{abs}\" failed (2: No such file or directory), client: {}, server: localhost, request: \"{request_line}\", host: \"{host}\"", req.client_ip)));
            body = nginx_error_page(404, version);
            headers.push(("Content-Type".into(), "text/html".into()));
            headers.push(("Content-Length".into(), body.len().to_string()));
            headers.push(("Connection".into(), conn.into()));
        }
    }
    if req.method == "POST" && status == 200 {
        status = 405;
    }
    finish(status, headers, body, logs, req, wall)
}

fn finish(
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    mut logs: Vec<(Stream, String)>,
    req: &Request,
    wall: i64,
) -> Response {
    let ua = req.header("User-Agent").unwrap_or("-");
    let referer = req.header("Referer").unwrap_or("-");
    let xff = req.header("X-Forwarded-For").unwrap_or("-");
    // access log before the error? nginx writes the error line while processing, the access line at the end.
    logs.push((
        Stream::Stdout,
        format!(
            "{} - - [{}] \"{} {} HTTP/1.1\" {status} {} \"{referer}\" \"{ua}\" \"{xff}\"",
            req.client_ip,
            clock::nginx_local(wall),
            req.method,
            req.path,
            body.len()
        ),
    ));
    Response { http_version: "HTTP/1.1", status, reason: reason(status).into(), headers, body, logs, exit: None, delay_ms: 0 }
}

/// Go `time.Duration.String()` for a whole number of milliseconds.
pub fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let h = ms / 3_600_000;
    let m = ms / 60_000 % 60;
    let s = ms % 60_000;
    let secs = if s.is_multiple_of(1000) { format!("{}s", s / 1000) } else { format!("{}s", trim_float(s as f64 / 1000.0)) };
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

fn trim_float(f: f64) -> String {
    // Go %v for float64: shortest representation.
    format!("{f}")
}

fn go_response(status: u16, body: Vec<u8>, wall: i64) -> Response {
    let mut headers = vec![
        ("Date".into(), clock::http_date(wall)),
        ("Content-Length".into(), body.len().to_string()),
        ("Content-Type".into(), "text/plain; charset=utf-8".into()),
    ];
    if status == 404 {
        headers.push(("X-Content-Type-Options".into(), "nosniff".into()));
    }
    Response { http_version: "HTTP/1.1", status, reason: reason(status).into(), headers, body, logs: vec![], exit: None, delay_ms: 0 }
}

/// Programs served by a `Prog` (everything but busybox httpd and nginx).
pub fn prog_server(prog: &mut Prog, view: &View, req: &Request, now: Millis, wall: i64, hostname: &str, cwd: &str) -> Response {
    let path = url_path(req.path);
    let elapsed = now.saturating_sub(prog.started);
    let stamp = clock::slash_stamp(wall);
    match &prog.kind {
        ProgKind::GoLiveness => match path {
            "/healthz" => {
                // server.go: `if duration.Seconds() > 10` → 500 `error: %v`.
                if elapsed > 10_000 {
                    go_response(500, format!("error: {}", trim_float(elapsed as f64 / 1000.0)).into_bytes(), wall)
                } else {
                    go_response(200, b"ok".to_vec(), wall)
                }
            }
            "/started" => go_response(200, go_duration(elapsed).into_bytes(), wall),
            _ => go_response(404, b"404 page not found\n".to_vec(), wall),
        },
        ProgKind::Netexec => {
            let query = req.path.split_once('?').map(|(_, q)| q).unwrap_or("");
            let param = |k: &str| query.split('&').filter_map(|kv| kv.split_once('=')).find(|(a, _)| *a == k).map(|(_, b)| b.to_string());
            let mut r = match path {
                "/" => go_response(200, format!("NOW: {}", netexec_now(wall, elapsed)).into_bytes(), wall),
                "/hostname" | "/hostName" => go_response(200, hostname.as_bytes().to_vec(), wall),
                "/clientip" => go_response(200, format!("{}:{}", req.client_ip, req.client_port).into_bytes(), wall),
                "/healthz" => go_response(200, Vec::new(), wall),
                "/echo" => {
                    let code = param("code").and_then(|c| c.parse().ok()).unwrap_or(200);
                    go_response(code, param("msg").unwrap_or_default().into_bytes(), wall)
                }
                "/exit" | "/shutdown" => {
                    let code = if path == "/shutdown" { 0 } else { param("code").and_then(|c| c.parse().ok()).unwrap_or(0) };
                    let mut r = go_response(200, Vec::new(), wall);
                    r.exit = Some(code);
                    r
                }
                _ => go_response(404, b"404 page not found\n".to_vec(), wall),
            };
            r.logs.insert(0, (Stream::Stderr, format!("{stamp} GET {}", req.path)));
            r
        }
        ProgKind::ServeHostname => {
            let mut r = go_response(200, hostname.as_bytes().to_vec(), wall);
            r.logs.push((Stream::Stderr, format!("{stamp} HTTP request from {}:{}", req.client_ip, req.client_port)));
            r
        }
        ProgKind::Goproxy => go_response(500, b"This is a proxy server. Does not respond to non-proxy requests.\n".to_vec(), wall),
        ProgKind::PythonHttp { .. } => python(view, req, wall, cwd),
        ProgKind::Apache => apache(view, req, wall),
        ProgKind::Author { rules, .. } => {
            let hit = rules.iter().filter(|r| r.path == path && r.after_ms <= elapsed).max_by_key(|r| r.after_ms);
            match hit {
                Some(r) => Response { delay_ms: r.delay_ms, ..go_response(r.status, r.body.clone().into_bytes(), wall) },
                None => go_response(404, b"404 page not found\n".to_vec(), wall),
            }
        }
        _ => go_response(404, b"404 page not found\n".to_vec(), wall),
    }
}

fn netexec_now(wall: i64, elapsed: Millis) -> String {
    let c = clock::civil(wall);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}.000000000 +0000 UTC m=+{}.{:03}000000",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.min,
        c.sec,
        elapsed / 1000,
        elapsed % 1000
    )
}

fn python(view: &View, req: &Request, wall: i64, cwd: &str) -> Response {
    let path = url_path(req.path);
    let date = clock::http_date(wall);
    let pstamp = clock::python_stamp(wall);
    let abs = crate::fs::normalize(cwd, path.trim_start_matches('/'));
    let mut logs = Vec::new();
    let server = ("Server".to_string(), "SimpleHTTP/0.6 Python/3.13.0".to_string());
    let node = read_file(view, &abs);
    let (status, headers, body) = match node {
        Some((data, mtime, false)) => {
            let ct = content_type(&abs);
            (
                200,
                vec![
                    server,
                    ("Date".into(), date),
                    ("Content-type".into(), ct.into()),
                    ("Content-Length".into(), data.len().to_string()),
                    ("Last-Modified".into(), clock::http_date(mtime)),
                ],
                data,
            )
        }
        Some((_, _, true)) => {
            let idx = format!("{}/index.html", abs.trim_end_matches('/'));
            if let Some((data, mtime, false)) = read_file(view, &idx) {
                (
                    200,
                    vec![
                        server,
                        ("Date".into(), date),
                        ("Content-type".into(), "text/html".into()),
                        ("Content-Length".into(), data.len().to_string()),
                        ("Last-Modified".into(), clock::http_date(mtime)),
                    ],
                    data,
                )
            } else {
                let names = view.list(&abs).unwrap_or_default();
                let disp = path;
                let mut b = format!("<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for {disp}</title>\n</head>\n<body>\n<h1>Directory listing for {disp}</h1>\n<hr>\n<ul>\n");
                for n in names {
                    let full = crate::fs::normalize(&abs, &n);
                    let shown = if view.is_dir(&full) { format!("{n}/") } else { n.clone() };
                    b.push_str(&format!("<li><a href=\"{shown}\">{shown}</a></li>\n"));
                }
                b.push_str("</ul>\n<hr>\n</body>\n</html>\n");
                let body = b.into_bytes();
                (
                    200,
                    vec![
                        server,
                        ("Date".into(), date),
                        ("Content-type".into(), "text/html; charset=utf-8".into()),
                        ("Content-Length".into(), body.len().to_string()),
                    ],
                    body,
                )
            }
        }
        None => {
            logs.push((Stream::Stderr, format!("{} - - [{pstamp}] code 404, message File not found", req.client_ip)));
            let body = b"<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n".to_vec();
            (
                404,
                vec![
                    server,
                    ("Date".into(), date),
                    ("Connection".into(), "close".into()),
                    ("Content-Type".into(), "text/html;charset=utf-8".into()),
                    ("Content-Length".into(), body.len().to_string()),
                ],
                body,
            )
        }
    };
    logs.push((Stream::Stderr, format!("{} - - [{pstamp}] \"{} {} HTTP/1.1\" {status} -", req.client_ip, req.method, req.path)));
    Response {
        http_version: "HTTP/1.0",
        status,
        reason: if status == 200 { "OK".into() } else { "File not found".into() },
        headers,
        body,
        logs,
        exit: None,
        delay_ms: 0,
    }
}

fn apache(view: &View, req: &Request, wall: i64) -> Response {
    let path = url_path(req.path);
    let root = "/usr/local/apache2/htdocs";
    let abs = crate::fs::normalize(root, path.trim_start_matches('/'));
    let date = clock::http_date(wall);
    let mut node = read_file(view, &abs);
    let mut served = abs.clone();
    if let Some((_, _, true)) = node {
        served = format!("{}/index.html", abs.trim_end_matches('/'));
        node = read_file(view, &served).filter(|(_, _, d)| !d);
    }
    let (status, headers, body) = match node {
        Some((data, mtime, false)) => (
            200,
            vec![
                ("Date".into(), date),
                ("Server".into(), "Apache/2.4.68 (Unix)".into()),
                ("Last-Modified".into(), clock::http_date(mtime)),
                ("ETag".into(), format!("\"{:x}-{:x}\"", data.len(), mtime as u64 * 1_000_000)),
                ("Accept-Ranges".into(), "bytes".into()),
                ("Content-Length".into(), data.len().to_string()),
                ("Content-Type".into(), content_type(&served).into()),
            ],
            data,
        ),
        _ => {
            let body = b"<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".to_vec();
            (
                404,
                vec![
                    ("Date".into(), date),
                    ("Server".into(), "Apache/2.4.68 (Unix)".into()),
                    ("Content-Length".into(), body.len().to_string()),
                    ("Content-Type".into(), "text/html; charset=iso-8859-1".into()),
                ],
                body,
            )
        }
    };
    let size = if body.is_empty() { "-".to_string() } else { body.len().to_string() };
    let logs = vec![(
        Stream::Stdout,
        format!("{} - - [{}] \"{} {} HTTP/1.1\" {status} {size}", req.client_ip, clock::nginx_local(wall), req.method, req.path),
    )];
    Response { http_version: "HTTP/1.1", status, reason: reason(status).into(), headers, body, logs, exit: None, delay_ms: 0 }
}

/// A listener whose process is not a server program any more answers like a closed socket.
pub fn prog_server_fallback() -> Response {
    Response {
        http_version: "HTTP/1.1",
        status: 503,
        reason: reason(503).into(),
        headers: vec![],
        body: vec![],
        logs: vec![],
        exit: None,
        delay_ms: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn go_durations() {
        assert_eq!(go_duration(5_123), "5.123s");
        assert_eq!(go_duration(65_000), "1m5s");
        assert_eq!(go_duration(500), "500ms");
    }
    #[test]
    fn nginx_404_is_153_bytes() {
        assert_eq!(nginx_error_page(404, "1.27.4").len(), 153);
    }
}
