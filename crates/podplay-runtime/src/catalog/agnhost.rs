//! agnhost (`registry.k8s.io/e2e-test-images/agnhost`), Kubernetes' e2e test image: one Go
//! binary on a busybox userland whose first argument picks the program (`pause` by default):
//! `liveness`, `netexec`, `serve-hostname`, `pause`.

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, ProgKind};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage =
    CatalogImage { repos: &["registry.k8s.io/e2e-test-images/agnhost"], config, programs: &[("agnhost", start)] };

fn config(r: &ImageRef) -> Option<ImageInfo> {
    if !r.tag.starts_with("2.") && r.tag != "latest" {
        return None;
    }
    let created = 1_730_000_000;
    Some(ImageInfo {
        entrypoint: words(&["/agnhost"]),
        cmd: words(&["pause"]),
        env: env(&[("PATH", PATH_DEFAULT)]),
        userland: Userland::Busybox(BusyboxVersion::V1_37),
        files: vec![program_file("/agnhost", "agnhost", created)],
        ..r.config(created, 52_000_000)
    })
}

fn start(launch: &mut Launch) -> Applet {
    let subcommand = launch.argv.get(1).cloned().unwrap_or_else(|| "pause".into());
    match subcommand.as_str() {
        "liveness" => super::liveness::start(launch),
        "netexec" => start_netexec(launch),
        "serve-hostname" => start_serve_hostname(launch),
        "pause" => launch.program(ProgKind::AgnhostPause, launch.logs(Stream::Stdout, vec!["Paused".into()])),
        other => Applet::ExecInto {
            argv: vec![],
            output: vec![
                (Stream::Stderr, format!("Error: unknown command \"{other}\" for \"app\"")),
                (Stream::Stderr, "Run 'app --help' for usage.".into()),
            ],
        }
        .exit_with(1),
    }
}

/// `netexec`: HTTP on `--http-port` (8080) and UDP on `--udp-port` (8081; negative: none).
fn start_netexec(launch: &mut Launch) -> Applet {
    let http: u16 = launch.flag("--http-port").and_then(|p| p.parse().ok()).unwrap_or(8080);
    let udp: i32 = launch.flag("--udp-port").and_then(|p| p.parse().ok()).unwrap_or(8081);
    let stamp = launch.log_stamp();
    let mut lines = vec![format!("{stamp} Started HTTP server on port {http}")];
    if udp >= 0 {
        lines.push(format!("{stamp} Started UDP server on port  {udp}"));
    }
    let mut timeline = launch.logs(Stream::Stderr, lines);
    timeline.push((launch.now, Action::Listen(http)));
    launch.program(ProgKind::Netexec, timeline)
}

/// `serve-hostname`: answers every request with the pod's hostname, on `--port` (9376).
fn start_serve_hostname(launch: &mut Launch) -> Applet {
    let port: u16 = launch.flag("--port").and_then(|p| p.parse().ok()).unwrap_or(9376);
    let mut timeline = launch.logs(Stream::Stderr, vec![format!("{} Serving on port {port}.", launch.log_stamp())]);
    timeline.push((launch.now, Action::Listen(port)));
    launch.program(ProgKind::ServeHostname, timeline)
}
