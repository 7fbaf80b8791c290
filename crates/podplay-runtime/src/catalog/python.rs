//! python: the official image (Debian-based), 3.13: `python -m http.server`, the one program
//! simulated (images.md §4.3).

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, ProgKind};

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
        return launch.program(ProgKind::PythonHttp { unbuffered, banner }, timeline);
    }
    Applet::ExecInto { argv: vec![], output: vec![(Stream::Stderr, "python: only `python -m http.server [PORT]` is simulated".into())] }
        .exit_with(1)
}
