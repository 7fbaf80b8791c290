//! agnhost (`registry.k8s.io/e2e-test-images/agnhost`), Kubernetes' e2e test image: one Go
//! binary on alpine (`test/images/agnhost/BASEIMAGE`: alpine 3.12 for 2.40; the Dockerfile adds
//! `bash` and `curl` with apk, here `/bin/bash` and `/usr/bin/curl`, see `applets::bash` and
//! `applets/curl.rs`) whose first argument picks the program (`pause` by default):
//! `liveness`, `netexec`, `serve-hostname`, `pause`, `entrypoint-tester`, `mounttest` (its
//! `--file_mode`, `--file_perm` and `--file_content` checks), `grpc-health-checking`
//! (`agnhost_grpc.rs`). The image's Dockerfile
//! links `/agnhost-2` to it for the entrypoint tests (`ln -s agnhost agnhost-2`); podplay's
//! filesystem has no symbolic links, so `/agnhost-2` is a second entry of the same program.

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::clock;
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, Serving, SigReaction, SignalDelivery};
use crate::servers::{go_response, Request, Response};
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
        // `apk add bind-tools curl netcat-openbsd iproute2 iperf bash`: of these, bash and
        // curl (the e2e tests' `/bin/bash -c` and `curl` hooks).
        files: vec![
            program_file("/agnhost", "agnhost", created),
            program_file("/agnhost-2", "agnhost", created),
            program_file("/bin/bash", "bash", created),
            program_file("/usr/bin/curl", "curl", created),
        ],
        ..r.config(created, 52_000_000)
    })
}

fn start(launch: &mut Launch) -> Applet {
    let subcommand = launch.argv.get(1).cloned().unwrap_or_else(|| "pause".into());
    match subcommand.as_str() {
        "liveness" => super::liveness::start_agnhost(launch),
        "netexec" => super::netexec::start(launch),
        "serve-hostname" => start_serve_hostname(launch),
        "pause" => launch.program(Pause, launch.logs(Stream::Stdout, vec!["Paused".into()])),
        // Prints every argument the binary was started with (`fmt.Printf("%v\n", os.Args)`)
        // and exits.
        "entrypoint-tester" => Applet::Fail { output: vec![(Stream::Stdout, format!("[{}]", launch.argv.join(" ")))], code: 0 },
        "mounttest" => mounttest(launch),
        "grpc-health-checking" => super::agnhost_grpc::start(launch),
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

/// `mounttest` (`test/images/agnhost/mounttest`): its checks in its own order, each printing
/// one line (a file's content as it is, line ends and all), exiting 1 when any failed. The
/// checks podplay does not model (`--fs_type`, `--file_owner`, the `--new_file_*` writes and the
/// `--file_content_in_loop` poll) end it at once with a podplay error rather than a guess.
fn mounttest(launch: &mut Launch) -> Applet {
    const UNMODELLED: [&str; 8] = [
        "--fs_type",
        "--new_file_0644",
        "--new_file_0666",
        "--new_file_0660",
        "--new_file_0777",
        "--file_owner",
        "--file_content_in_loop",
        "--retry_time",
    ];
    if let Some(flag) = UNMODELLED.iter().find(|f| launch.flag(f).is_some()) {
        let message = format!("podplay: agnhost mounttest's {flag} is not simulated (only --file_mode, --file_perm, --file_content)");
        return Applet::Fail { output: vec![(Stream::Stderr, message)], code: 1 };
    }
    let mode_path = launch.flag("--file_mode").unwrap_or_default();
    let perm_path = launch.flag("--file_perm").unwrap_or_default();
    let content_path = launch.flag("--file_content").unwrap_or_default();
    let view = launch.w.view(launch.cid, launch.now);
    // The paths as the program opens them (from `/`, its working directory in these tests).
    let abs = |p: &str| if p.starts_with('/') { p.to_string() } else { format!("/{p}") };
    // Go's syscall errors: the kernel's texts in lower case.
    let errno = |e: crate::fs::FsError| e.strerror().to_lowercase();
    let quote = podplay_k8s_util::gofmt::quote;
    let mut text = String::new();
    let mut failed = false;
    for (path, perm_only) in [(&mode_path, false), (&perm_path, true)] {
        if path.is_empty() {
            continue;
        }
        match view.stat(&abs(path)) {
            Ok(node) => {
                let what = if perm_only { "perms" } else { "mode" };
                let dir = node.is_dir() && !perm_only;
                text += &format!(
                    "{what} of file {}: {}\n",
                    quote(path),
                    go_file_mode(dir, if perm_only { node.mode & 0o777 } else { node.mode })
                );
            }
            Err(e) => {
                failed = true;
                text += &format!("error from Stat({}): stat {path}: {}\n", quote(path), errno(e));
            }
        }
    }
    if !content_path.is_empty() {
        match view.read(&abs(&content_path)) {
            Ok(bytes) => text += &format!("content of file {}: {}\n", quote(&content_path), String::from_utf8_lossy(&bytes)),
            Err(e) => {
                failed = true;
                let op = if e == crate::fs::FsError::IsDir { "read" } else { "open" };
                text += &format!("error reading file content for {}: {op} {content_path}: {}\n", quote(&content_path), errno(e));
            }
        }
    }
    let output = text.strip_suffix('\n').unwrap_or(&text).split('\n').map(|l| (Stream::Stdout, l.to_string())).collect();
    Applet::Fail { output: if text.is_empty() { Vec::new() } else { output }, code: i32::from(failed) }
}

/// Go's `os.FileMode.String()` of a file or directory: its type and mode letters
/// (`dalTLDpSugct?` order: `d`, then `u`, `g`, `t` for setuid, setgid, sticky; `-` for none)
/// and the nine permission bits.
fn go_file_mode(dir: bool, mode: u32) -> String {
    let mut s = String::new();
    for (set, letter) in [(dir, 'd'), (mode & 0o4000 != 0, 'u'), (mode & 0o2000 != 0, 'g'), (mode & 0o1000 != 0, 't')] {
        if set {
            s.push(letter);
        }
    }
    if s.is_empty() {
        s.push('-');
    }
    for shift in [6, 3, 0] {
        let m = (mode >> shift) & 7;
        s.push(if m & 4 != 0 { 'r' } else { '-' });
        s.push(if m & 2 != 0 { 'w' } else { '-' });
        s.push(if m & 1 != 0 { 'x' } else { '-' });
    }
    s
}

/// `serve-hostname`: answers every request with the pod's hostname, on `--port` (9376).
fn start_serve_hostname(launch: &mut Launch) -> Applet {
    let port: u16 = launch.flag("--port").and_then(|p| p.parse().ok()).unwrap_or(9376);
    let mut timeline = launch.logs(Stream::Stderr, vec![format!("{} Serving on port {port}.", launch.log_stamp())]);
    timeline.push((launch.now, Action::Listen(port)));
    launch.program(ServeHostname, timeline)
}

/// `pause`: waits for a signal.
struct Pause;

impl Behavior for Pause {
    /// SIGTERM: exit 2; SIGINT: exit 1; others are ignored.
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        match signal.sig {
            15 => signal.exit(2),
            2 => signal.exit(1),
            _ => SigReaction::Ignore,
        }
    }
}

/// `serve-hostname`: the pod's hostname to every request; on SIGTERM or SIGINT it waits a
/// minute for the pod's deletion before it exits.
struct ServeHostname;

impl Behavior for ServeHostname {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        let name = match signal.sig {
            15 => "terminated",
            2 => "interrupt",
            _ => return SigReaction::Ignore,
        };
        let (now, stamp) = (signal.now, signal.log_stamp());
        SigReaction::Actions(vec![
            (now, Action::Log(Stream::Stderr, format!("{stamp} Shutting down after receiving signal: {name}."))),
            (now, Action::Log(Stream::Stderr, format!("{stamp} Awaiting pod deletion."))),
            (now + 60_000, Action::Exit(0)),
        ])
    }

    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        let mut answer = go_response(200, at.hostname.as_bytes().to_vec(), at.wall);
        let line = format!("{} HTTP request from {}:{}", clock::slash_stamp(at.wall), req.client_ip, req.client_port);
        answer.logs.push((Stream::Stderr, line));
        answer
    }
}
