//! The Kubernetes docs' liveness image (`registry.k8s.io/liveness`): `/server`, Go's
//! test/images/liveness `server.go`, which agnhost's `liveness` subcommand also runs: `/healthz`
//! answers 200 for its first 10 seconds, 500 after (images.md §3.1).

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
    launch.program(Server, vec![(launch.now, Action::Listen(8080))])
}

/// `server.go`.
struct Server;

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
            _ => go_not_found(at.wall),
        }
    }
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
    fn go_durations() {
        assert_eq!(go_duration(5_123), "5.123s");
        assert_eq!(go_duration(65_000), "1m5s");
        assert_eq!(go_duration(500), "500ms");
    }
}
