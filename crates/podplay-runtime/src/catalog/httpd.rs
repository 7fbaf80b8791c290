//! httpd: the official Apache image (Debian-based): `httpd-foreground` and Apache's event MPM
//! (images.md §4.1).

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::{self, ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, ProgKind};
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
    let stamp = crate::programs::apache_stamp(launch.wall_ms());
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
    launch.program(ProgKind::Apache, timeline)
}
