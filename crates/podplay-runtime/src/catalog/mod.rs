//! The catalog images. Each image is one module: its configuration and files per tag, how the
//! programs in its files start, and what they are once started (their `programs::Behavior`: how
//! they react to signals and answer requests). `IMAGES` lists them; adding an image is adding
//! its module and its row.
//!
//! What is not one image's stays generic: root filesystems and pulls in `images`, the busybox
//! userland in `applets`, HTTP plumbing and busybox httpd in `servers`, author-defined images
//! in `authored`.

mod agnhost;
mod agnhost_grpc;
mod alpine;
mod busybox;
mod generic;
mod go;
mod goproxy;
mod httpd;
mod liveness;
mod netexec;
mod nginx;
mod nonewprivs;
mod nonroot;
mod pause;
mod python;
mod redis;
mod stress;

use crate::applets::Applet;
use crate::clock;
use crate::fs::{Node, Program};
use crate::images::{self, ImageInfo, Userland};
use crate::io::Stream;
use crate::programs::{Action, Behavior, Prog};
use crate::types::{BusyboxVersion, Millis, Signal};
use crate::world::World;

/// One catalog image.
pub(crate) struct CatalogImage {
    /// The repositories (normalised, as `images::split_ref` gives them) that name it.
    repos: &'static [&'static str],
    /// Its configuration and files for a tag; `None` when the image has no such tag.
    config: fn(&ImageRef) -> Option<ImageInfo>,
    /// The programs its files hold (`Program::Builtin` names) and how each starts.
    programs: &'static [(&'static str, StartFn)],
}

/// How a catalog program starts: what the process exec'ing it turns into.
type StartFn = fn(&mut Launch) -> Applet;

const IMAGES: &[CatalogImage] = &[
    busybox::IMAGE,
    alpine::IMAGE,
    nginx::IMAGE,
    httpd::IMAGE,
    redis::IMAGE,
    python::IMAGE,
    agnhost::IMAGE,
    liveness::IMAGE,
    goproxy::IMAGE,
    pause::IMAGE,
    stress::IMAGE,
    nonroot::IMAGE,
    nonewprivs::IMAGE,
];

/// Programs an image installs from its distribution's packages rather than writing them
/// itself (the agnhost Dockerfile's `apk add ... curl ... bash`): they run as a userland's
/// commands do, through a `Host` (`applets`), under these `Program::Builtin` names.
const PACKAGE_PROGRAMS: &[(&str, PackageFn)] = &[("bash", crate::applets::bash), ("curl", crate::applets::curl)];

type PackageFn = fn(&mut dyn crate::shell::host::Host, &crate::applets::Ctx) -> Applet;

/// How the package program `name` runs, if it is one.
pub(crate) fn package_program(name: &str) -> Option<PackageFn> {
    PACKAGE_PROGRAMS.iter().find(|(n, _)| *n == name).map(|(_, run)| *run)
}

/// A reference the catalog is asked about, in the chosen era.
pub(crate) struct ImageRef<'a> {
    pub normalized: &'a str,
    pub repo: &'a str,
    pub tag: &'a str,
    /// What `busybox:latest` is in the chosen era.
    pub busybox_latest: BusyboxVersion,
}

impl ImageRef<'_> {
    /// The tag without its variant (`1.27-alpine` → `1.27`).
    fn bare_tag(&self) -> &str {
        self.tag.split('-').next().unwrap_or(self.tag)
    }

    /// A configuration of this reference with what most images share: no entrypoint, command,
    /// environment or extra files, `/` as working directory, SIGTERM to stop, no userland and
    /// busybox 1.37's texts. Images write only what differs.
    fn config(&self, created: i64, size_bytes: u64) -> ImageInfo {
        ImageInfo {
            normalized: self.normalized.to_string(),
            repo: self.repo.to_string(),
            tag: self.tag.to_string(),
            entrypoint: vec![],
            cmd: vec![],
            env: vec![],
            working_dir: "/".into(),
            stop_signal: Signal::Term,
            userland: Userland::None,
            size_bytes,
            created,
            files: vec![],
            shell_version: BusyboxVersion::V1_37,
            generic: false,
            user: String::new(),
        }
    }
}

/// Whether some image of the catalog is in repository `repo`.
pub(crate) fn knows_repository(repo: &str) -> bool {
    IMAGES.iter().any(|image| image.repos.contains(&repo))
}

/// The catalog image `r` names, if the catalog has it and that tag; an official image no
/// module models, or a real tag its module does not model, is a generic image (`generic`).
pub(crate) fn image_info(r: &ImageRef) -> Option<ImageInfo> {
    match IMAGES.iter().find(|image| image.repos.contains(&r.repo)) {
        Some(image) => (image.config)(r).or_else(|| generic::catalog_tag(r)),
        None => generic::config(r),
    }
}

/// A catalog program being started by an execve.
pub(crate) struct Launch<'a> {
    w: &'a mut World,
    cid: usize,
    pid: u32,
    argv: &'a [String],
    env: &'a [(String, String)],
    now: Millis,
}

/// Start the catalog program `name` (a `Program::Builtin` in some image's files) as process
/// `pid`.
pub(crate) fn start(w: &mut World, cid: usize, pid: u32, name: &str, argv: &[String], env: &[(String, String)], now: Millis) -> Applet {
    let start = IMAGES
        .iter()
        .flat_map(|image| image.programs)
        .chain(generic::PROGRAMS)
        .find(|(program, _)| *program == name)
        .map(|(_, start)| *start);
    match start {
        Some(start) => start(&mut Launch { w, cid, pid, argv, env, now }),
        None => Applet::Exit(126),
    }
}

impl Launch<'_> {
    fn wall_ms(&self) -> i64 {
        self.w.wall_ms(self.now)
    }

    /// nginx's and Go's log time stamp of now (`2026/11/25 10:00:00`).
    fn log_stamp(&self) -> String {
        clock::slash_stamp(self.wall_ms().div_euclid(1000))
    }

    /// Who the program runs as.
    fn cred(&self) -> crate::fs::Cred {
        self.w.containers[self.cid].cred.clone()
    }

    /// The value of `NAME=VALUE` or `NAME VALUE` in the arguments.
    fn flag(&self, name: &str) -> Option<String> {
        flag_value(self.argv, name)
    }

    /// Whether the environment sets `name` to something non-empty.
    fn env_set(&self, name: &str) -> bool {
        self.env.iter().any(|(k, v)| k == name && !v.is_empty())
    }

    /// A long-running program started now with this timeline.
    fn program(&self, behavior: impl Behavior + 'static, timeline: Vec<(Millis, Action)>) -> Applet {
        Applet::Program(Prog::new(behavior, self.now, timeline))
    }

    /// These lines logged now.
    fn logs(&self, stream: Stream, lines: Vec<String>) -> Vec<(Millis, Action)> {
        lines.into_iter().map(|l| (self.now, Action::Log(stream, l))).collect()
    }
}

fn flag_value(argv: &[String], name: &str) -> Option<String> {
    for (i, a) in argv.iter().enumerate() {
        if let Some(v) = a.strip_prefix(&format!("{name}=")) {
            return Some(v.to_string());
        }
        if a == name {
            return argv.get(i + 1).cloned();
        }
    }
    None
}

impl Applet {
    /// Print the output, then exit with `code` (an ExecInto with no argv exits 0; this sets the code).
    fn exit_with(self, code: i32) -> Applet {
        match self {
            Applet::ExecInto { output, .. } => Applet::Fail { output, code },
            other => other,
        }
    }
}

fn words(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The image file at `path` that runs the catalog program `name`.
fn program_file(path: &str, name: &str, mtime: i64) -> (String, Node) {
    images::exe(path, Program::Builtin(name.into()), mtime)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(reference: &str, busybox_latest: BusyboxVersion) -> Option<ImageInfo> {
        let (normalized, repo, tag) = images::split_ref(reference);
        image_info(&ImageRef { normalized: &normalized, repo: &repo, tag: &tag, busybox_latest })
    }

    #[test]
    fn catalog_tags() {
        let get = |r: &str| get(r, BusyboxVersion::V1_38);
        assert_eq!(get("busybox").unwrap().userland, Userland::Busybox(BusyboxVersion::V1_38));
        assert_eq!(get("busybox:1.28").unwrap().userland, Userland::Busybox(BusyboxVersion::V1_28));
        assert_eq!(get("busybox:1.36.1").unwrap().userland, Userland::Busybox(BusyboxVersion::V1_36));
        assert!(get("nosuch:1").is_none());
        assert!(get("nginx:nosuch").is_none());
        assert_eq!(get("nginx").unwrap().stop_signal, Signal::Quit);
        assert_eq!(get("nginx:1.17").unwrap().stop_signal, Signal::Term);
        let e2e = |name: &str, tag: &str| get(&format!("registry.k8s.io/e2e-test-images/{name}:{tag}"));
        assert_eq!(e2e("busybox", "1.37.0-1").unwrap().userland, Userland::Busybox(BusyboxVersion::V1_37));
        assert!(e2e("busybox", "latest").is_none() && e2e("nginx", "1.16-1").is_none());
        assert_eq!(e2e("nginx", "1.15-2").unwrap().env[1], ("NGINX_VERSION".into(), "1.15.12".into()));
    }

    /// A repository or a program name in two rows would make the second row unreachable.
    #[test]
    fn repositories_and_programs_belong_to_one_image() {
        let mut repos: Vec<&str> = IMAGES.iter().flat_map(|i| i.repos.iter().copied()).collect();
        let mut programs: Vec<&str> =
            IMAGES.iter().flat_map(|i| i.programs.iter()).chain(generic::PROGRAMS).map(|(name, _)| *name).collect();
        let (repo_count, program_count) = (repos.len(), programs.len());
        repos.sort_unstable();
        repos.dedup();
        programs.sort_unstable();
        programs.dedup();
        assert_eq!((repos.len(), programs.len()), (repo_count, program_count));
        // A package program's name is no image's own program.
        assert!(PACKAGE_PROGRAMS.iter().all(|(name, _)| !programs.contains(name)));
    }

    /// Every program an image's files name is one the table starts, or a package program.
    #[test]
    fn every_program_file_starts() {
        for image in IMAGES {
            for reference in image.repos {
                // The e2e mirrors have no `latest`: one of their tags.
                let tags = ["latest", "v2", "0.1", "1.36.1-1", "1.14-4", "1.4", "1.3"];
                let Some(info) = tags.iter().find_map(|tag| get(&format!("{reference}:{tag}"), BusyboxVersion::V1_37)) else {
                    panic!("{reference}: no tag");
                };
                for (path, node) in &info.files {
                    if let Some(Program::Builtin(name)) = &node.program {
                        let starts = image.programs.iter().any(|(p, _)| p == name) || package_program(name).is_some();
                        assert!(starts, "{reference}{path}: {name}");
                    }
                }
            }
        }
    }
}
