//! The Kubernetes docs' liveness image (`registry.k8s.io/liveness`): `/server`, Go's
//! test/images/liveness `server.go`, which agnhost's `liveness` subcommand also runs: `/healthz`
//! answers 200 for its first 10 seconds, 500 after (images.md §3.1). agnhost's copy
//! (test/images/agnhost/liveness/server.go) also answers `/redirect?loc=` with a 302.

use super::go::query_unescape;
use super::{program_file, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::ImageInfo;
use crate::programs::{Action, Behavior, Serving, SigReaction, SignalDelivery};
use crate::servers::{go_not_found, go_response, url_path, Request, Response};
use crate::types::{BusyboxVersion, Millis};

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["registry.k8s.io/liveness", "k8s.gcr.io/liveness", "gcr.io/google_containers/liveness"],
    config,
    programs: &[("liveness", start)],
};

fn config(r: &ImageRef) -> Option<ImageInfo> {
    let created = 1_500_000_000;
    Some(ImageInfo {
        files: vec![program_file("/server", "liveness", created)],
        shell_version: BusyboxVersion::V1_28,
        ..r.config(created, 2_100_000)
    })
}

/// The server, listening on 8080 at once.
pub(super) fn start(launch: &mut Launch) -> Applet {
    launch.program(Server { redirect: false }, vec![(launch.now, Action::Listen(8080))])
}

/// agnhost's `liveness`: the same server with agnhost's `/redirect?loc=` handler.
pub(super) fn start_agnhost(launch: &mut Launch) -> Applet {
    launch.program(Server { redirect: true }, vec![(launch.now, Action::Listen(8080))])
}

/// `server.go`.
struct Server {
    /// agnhost's `/redirect` (test/images/agnhost/liveness/server.go).
    redirect: bool,
}

impl Behavior for Server {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        super::go::on_signal(signal)
    }

    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        match url_path(req.path) {
            // `if duration.Seconds() > 10` → 500 `error: %v`.
            "/healthz" if at.elapsed > 10_000 => {
                go_response(500, format!("error: {}", go_float(at.elapsed as f64 / 1000.0)).into_bytes(), at.wall)
            }
            "/healthz" => go_response(200, b"ok".to_vec(), at.wall),
            "/started" => go_response(200, go_duration(at.elapsed).into_bytes(), at.wall),
            "/redirect" if self.redirect => redirect(req, at.wall),
            _ => go_not_found(at.wall),
        }
    }
}

/// `/redirect`: `url.QueryUnescape(r.URL.Query().Get("loc"))` (the value unescaped twice), a
/// 400 `invalid redirect: %q` when that fails, else `http.Redirect(w, r, loc, 302)`.
fn redirect(req: &Request, wall: i64) -> Response {
    let query = req.path.split_once('?').map_or("", |(_, q)| q);
    // `Query().Get`: the first `loc`, unescaped (a pair that fails to unescape is dropped).
    let raw = query
        .split(['&', ';'])
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            Some((query_unescape(k)?, query_unescape(v)?))
        })
        .find(|(k, _)| k == "loc")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let Some(loc) = query_unescape(&raw) else {
        let mut r = go_response(400, format!("invalid redirect: {}\n", go_quote(&raw)).into_bytes(), wall);
        r.headers.push(("X-Content-Type-Options".into(), "nosniff".into()));
        return r;
    };
    super::go::http_redirect(req, &loc, 302, wall)
}

/// Go's `%q`.
fn go_quote(s: &str) -> String {
    podplay_k8s_util::gofmt::quote(s)
}

/// Go's `%v` of a float64: its shortest representation, as Rust's `{}` prints it.
fn go_float(f: f64) -> String {
    format!("{f}")
}

/// Go's `time.Duration.String()` of a whole number of milliseconds.
fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let h = ms / 3_600_000;
    let m = ms / 60_000 % 60;
    let s = ms % 60_000;
    let secs = if s.is_multiple_of(1000) { format!("{}s", s / 1000) } else { format!("{}s", go_float(s as f64 / 1000.0)) };
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_as_go_http_redirect() {
        let get = |path| Request { method: "GET", path, headers: &[], client_ip: String::new(), client_port: 0, local: String::new() };
        let r = redirect(&get("/redirect?loc=%2Fhealthz"), 0);
        assert_eq!(r.status, 302);
        assert!(r.headers.contains(&("Location".into(), "/healthz".into())));
        assert_eq!(r.body, b"<a href=\"/healthz\">Found</a>.\n\n");
        let r = redirect(&get("/redirect?loc=http%3A%2F%2F0.0.0.0%2F"), 0);
        assert_eq!(String::from_utf8(r.body).unwrap(), "<a href=\"http://0.0.0.0/\">Found</a>.\n\n");
        assert_eq!(super::super::go::redirect_location("/redirect", "healthz"), "/healthz");
        assert_eq!(super::super::go::redirect_location("/a/b", "../c/./d/?x=1"), "/c/d/?x=1");
        // `%252` unescapes to `%2`, which the second unescape refuses.
        assert_eq!(redirect(&get("/redirect?loc=%252"), 0).status, 400);
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(5_123), "5.123s");
        assert_eq!(go_duration(65_000), "1m5s");
        assert_eq!(go_duration(500), "500ms");
    }
}
