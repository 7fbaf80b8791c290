//! HTTP requests and answers, what the static file servers share, Go net/http's plain answers,
//! and busybox httpd (an applet, so a server of every busybox userland), byte-exact where
//! images.md has captures (busybox httpd §1.10, Go §3.1). The catalog's other servers answer
//! in their image's module (`catalog::nginx`, …).

use crate::clock;
use crate::fs::{NodeKind, View};
use crate::io::Stream;
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
    /// The server process exits with this request (netexec's `/exit`).
    pub exit: Option<ServerExit>,
    /// How long the server takes to answer (author rules); beyond the client timeout the
    /// request times out.
    pub delay_ms: Millis,
}

/// How a server process exits with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerExit {
    pub code: i32,
    /// It exits before it writes its answer (Go's `os.Exit` in a handler): the client reads the
    /// connection closing with no answer.
    pub unanswered: bool,
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
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Not Allowed",
        412 => "Precondition Failed",
        417 => "Expectation Failed",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

pub(crate) fn content_type(path: &str) -> &'static str {
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

/// A file's (content, mtime, is a directory) for a static file server.
pub(crate) fn read_file(view: &View, abs: &str) -> Option<(Vec<u8>, i64, bool)> {
    let n = view.stat(abs).ok()?;
    match &n.kind {
        NodeKind::Dir => Some((Vec::new(), n.mtime, true)),
        _ => Some((n.content(crate::fs::READ_CAP)?.into_owned(), n.mtime, false)),
    }
}

/// The path of a request's target, without its query.
pub(crate) fn url_path(p: &str) -> &str {
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
            Some((data, mtime, false)) => busybox_file(hv, old, &served_path, data, mtime, date),
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

/// busybox httpd's answer with a file (1.28 orders its headers differently and sends no ETag).
fn busybox_file(hv: &'static str, old: bool, path: &str, data: Vec<u8>, mtime: i64, date: String) -> Response {
    let ct = content_type(path).to_string();
    let lm = clock::http_date(mtime);
    let len = data.len();
    let headers: Vec<(String, String)> = if old {
        vec![
            ("Content-type".into(), ct),
            ("Date".into(), date),
            ("Connection".into(), "close".into()),
            ("Accept-Ranges".into(), "bytes".into()),
            ("Last-Modified".into(), lm),
            ("Content-Length".into(), len.to_string()),
        ]
    } else {
        vec![
            ("Date".into(), date),
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

/// busybox httpd's answer with a built-in page (or none).
fn simple(hv: &'static str, status: u16, extra: Vec<(String, String)>, body: Vec<u8>, old: bool, date: &str) -> Response {
    let mut headers: Vec<(String, String)> = if old {
        vec![("Content-type".into(), "text/html".into()), ("Date".into(), date.into()), ("Connection".into(), "close".into())]
    } else {
        vec![("Date".into(), date.into()), ("Connection".into(), "close".into()), ("Content-type".into(), "text/html".into())]
    };
    headers.extend(extra);
    Response { http_version: hv, status, reason: reason(status).into(), headers, body, logs: vec![], exit: None, delay_ms: 0 }
}

/// An answer of Go's net/http with a plain-text body (agnhost, liveness, goproxy and the
/// author-defined programs answer this way).
pub fn go_response(status: u16, body: Vec<u8>, wall: i64) -> Response {
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

/// Go's `http.NotFound`.
pub fn go_not_found(wall: i64) -> Response {
    go_response(404, b"404 page not found\n".to_vec(), wall)
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
