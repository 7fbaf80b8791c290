//! agnhost (`registry.k8s.io/e2e-test-images/agnhost`), Kubernetes' e2e test image: one Go
//! binary on alpine (`test/images/agnhost/BASEIMAGE`: alpine 3.12 for 2.40; the Dockerfile adds
//! `bash` and `curl` with apk, here `/bin/bash` and `/usr/bin/curl`, see `applets::bash` and
//! `applets/curl.rs`) whose first argument picks the program (`pause` by default):
//! `liveness`, `netexec`, `serve-hostname`, `pause`, `entrypoint-tester`, `mounttest` (its
//! `--fs_type`, `--new_file_*`, `--file_mode`, `--file_perm`, `--file_owner` and
//! `--file_content` checks and its `--file_content_in_loop` read loop), `grpc-health-checking`
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
use crate::types::{BusyboxVersion, Millis};

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

/// `mounttest` (`test/images/agnhost/mounttest`, `mt.go` and `mt_utils.go`): with the umask
/// cleared (`umask(0)`), its checks in `main`'s order, each printing its line (a file's content
/// as it is, line ends and all): `--fs_type`, the `--new_file_0644|0666|0660|0777` writes (each
/// read back), `--file_mode`, `--file_perm`, `--file_owner`, `--file_content`, then the
/// `--file_content_in_loop` read loop (`MountTestLoop`); it exits 1 when any failed. A path on
/// a volume whose filesystem podplay does not model (`FsKind::Unknown`: configMap, secret,
/// downwardAPI, projected) ends `--fs_type` with a podplay error rather than a guess.
fn mounttest(launch: &mut Launch) -> Applet {
    let retry_time = launch.flag("--retry_time").unwrap_or_else(|| "180".into());
    let Ok(retry_seconds) = retry_time.parse::<i64>() else {
        let message =
            format!("podplay: agnhost mounttest's --retry_time {retry_time:?} is not a number (cobra's flag error is not simulated)");
        return Applet::Fail { output: vec![(Stream::Stderr, message)], code: 1 };
    };
    let Some(break_on_expected) = go_bool_flag(launch.argv, "--break_on_expected_content", true) else {
        let message = "podplay: agnhost mounttest's --break_on_expected_content takes true or false (cobra's flag error is not simulated)";
        return Applet::Fail { output: vec![(Stream::Stderr, message.into())], code: 1 };
    };
    let flag = |name: &str| launch.flag(name).unwrap_or_default();
    let fs_type_path = flag("--fs_type");
    let new_files = [
        (flag("--new_file_0644"), 0o644),
        (flag("--new_file_0666"), 0o666),
        (flag("--new_file_0660"), 0o660),
        (flag("--new_file_0777"), 0o777),
    ];
    let mode_path = flag("--file_mode");
    let perm_path = flag("--file_perm");
    let owner_path = flag("--file_owner");
    let content_path = flag("--file_content");
    let loop_path = flag("--file_content_in_loop");
    let mut view = launch.w.view(launch.cid, launch.now);
    let quote = podplay_k8s_util::gofmt::quote;
    let mut text = String::new();
    let mut failed = false;
    // `fsType`: `syscall.Statfs`, then `formatFsType` of its `Type` (mt_utils_linux.go: `tmpfs`
    // for TMPFS_MAGIC, else the number in decimal).
    if !fs_type_path.is_empty() {
        match view.statfs(&from_root(&fs_type_path)) {
            Ok(kind) => match kind.magic() {
                Some(0x0102_1994) => text += &format!("mount type of {}: tmpfs\n", quote(&fs_type_path)),
                Some(magic) => text += &format!("mount type of {}: {magic}\n", quote(&fs_type_path)),
                None => {
                    let message = format!(
                        "podplay: agnhost mounttest's --fs_type of {fs_type_path:?}: the filesystem of configMap, secret, downwardAPI and projected volumes is not simulated"
                    );
                    return Applet::Fail { output: vec![(Stream::Stderr, message)], code: 1 };
                }
            },
            Err(e) => {
                failed = true;
                text += &format!("error from statfs({}): {}\n", quote(&fs_type_path), go_errno(e));
            }
        }
    }
    // `readWriteNewFile`: `os.WriteFile(path, "mount-tester new file\n", perm)` (an
    // `O_WRONLY|O_CREATE|O_TRUNC` open with `perm`, the umask 0: a file it makes has exactly
    // `perm`; one that was there keeps its mode), then `readFileContent` of it.
    for (path, perm) in new_files.iter().filter(|(p, _)| !p.is_empty()) {
        match write_new_file(&mut view, path, *perm) {
            Ok(()) => match read_file(&view, path) {
                Ok(bytes) => text += &format!("content of file {}: {}\n", quote(path), String::from_utf8_lossy(&bytes)),
                Err(e) => {
                    failed = true;
                    text += &format!("error reading file content for {}: {e}\n", quote(path));
                }
            },
            Err(e) => {
                failed = true;
                text += &format!("error writing new file {}: {e}\n", quote(path));
            }
        }
    }
    for (path, perm_only) in [(&mode_path, false), (&perm_path, true)] {
        if path.is_empty() {
            continue;
        }
        match view.stat(&from_root(path)) {
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
                text += &format!("error from Stat({}): stat {path}: {}\n", quote(path), go_errno(e));
            }
        }
    }
    // `fileOwner`: `syscall.Stat`, its `Uid` and `Gid`.
    if !owner_path.is_empty() {
        match view.stat(&from_root(&owner_path)) {
            Ok(node) => {
                text += &format!("owner UID of {}: {}\n", quote(&owner_path), node.owner.uid);
                text += &format!("owner GID of {}: {}\n", quote(&owner_path), node.owner.gid);
            }
            Err(e) => {
                failed = true;
                text += &format!("error from stat({}): {}\n", quote(&owner_path), go_errno(e));
            }
        }
    }
    if !content_path.is_empty() {
        match read_file(&view, &content_path) {
            Ok(bytes) => text += &format!("content of file {}: {}\n", quote(&content_path), String::from_utf8_lossy(&bytes)),
            Err(e) => {
                failed = true;
                text += &format!("error reading file content for {}: {e}\n", quote(&content_path));
            }
        }
    }
    if !loop_path.is_empty() && retry_seconds > 0 {
        let mut timeline = Vec::new();
        if !text.is_empty() {
            timeline.push((launch.now, Action::Write(Stream::Stdout, text.into_bytes())));
        }
        timeline.push((launch.now, Action::Wake));
        let retry = retry_seconds as Millis * 1000;
        let behavior = MountTestLoop { path: loop_path, start: launch.now, retry, break_on_expected, failed_before: failed };
        return launch.program(behavior, timeline);
    }
    let output = text.strip_suffix('\n').unwrap_or(&text).split('\n').map(|l| (Stream::Stdout, l.to_string())).collect();
    Applet::Fail { output: if text.is_empty() { Vec::new() } else { output }, code: i32::from(failed) }
}

/// A path as mounttest opens it (from `/`, its working directory in these tests).
fn from_root(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

/// `os.WriteFile(path, MOUNTTEST_NEW_FILE, perm)` with the umask 0: the open's error as Go
/// prints its `*PathError` (`open P: permission denied`), or the write's (`write P: no space
/// left on device`; the open made the file, empty).
fn write_new_file(view: &mut crate::fs::View, path: &str, perm: u32) -> Result<(), String> {
    let abs = from_root(path);
    let existed = view.exists(&abs);
    if let Err(e) = view.write(&abs, MOUNTTEST_NEW_FILE, false) {
        if e != crate::fs::FsError::NoSpace {
            return Err(format!("open {path}: {}", go_errno(e)));
        }
        // The open made the file, empty, and the write found no room.
        let _ = view.write(&abs, b"", false);
        if !existed {
            let _ = view.chmod(&abs, perm);
        }
        return Err(format!("write {path}: {}", go_errno(e)));
    }
    if !existed {
        // open(2)'s mode `perm & ~umask`, by the file's owner: nothing refuses it.
        let _ = view.chmod(&abs, perm);
    }
    Ok(())
}

/// Go's syscall errors: the kernel's texts in lower case.
fn go_errno(e: crate::fs::FsError) -> String {
    e.strerror().to_lowercase()
}

/// `ioutil.ReadFile(path)`: the content, or its `*PathError` as Go prints it (`open P: ...`, or
/// `read P: is a directory` for a directory, which opens).
fn read_file(view: &crate::fs::View, path: &str) -> Result<Vec<u8>, String> {
    view.read(&from_root(path)).map_err(|e| {
        let op = if e == crate::fs::FsError::IsDir { "read" } else { "open" };
        format!("{op} {path}: {}", go_errno(e))
    })
}

/// A Go bool flag (`--name`, `--name=VALUE` with `strconv.ParseBool`'s words), `default` when
/// absent; None for a value ParseBool refuses.
fn go_bool_flag(argv: &[String], name: &str, default: bool) -> Option<bool> {
    let Some(arg) = argv.iter().find(|a| *a == name || a.starts_with(&format!("{name}="))) else { return Some(default) };
    match arg.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')) {
        None => Some(true),
        Some("1" | "t" | "T" | "TRUE" | "true" | "True") => Some(true),
        Some("0" | "f" | "F" | "FALSE" | "false" | "False") => Some(false),
        Some(_) => None,
    }
}

/// mounttest's `--file_content_in_loop` (`testFileContent`, agnhost as of 04791b49): the file is
/// read at the start and again after each 2 s `time.Sleep` (the loop's post statement, which a
/// `continue` runs too) while less than `--retry_time` seconds have passed since the start;
/// each read prints the content (`%q` path) or the error, and with
/// `--break_on_expected_content` (the default) only mounttest's own new-file text ends the loop
/// early. It exits 1 when a check before it failed or its last read did.
struct MountTestLoop {
    path: String,
    start: Millis,
    retry: Millis,
    break_on_expected: bool,
    failed_before: bool,
}

/// mounttest's `initialContent`, what its `--new_file_*` writes.
const MOUNTTEST_NEW_FILE: &[u8] = b"mount-tester new file\n";

impl Behavior for MountTestLoop {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        super::go::on_signal(signal)
    }

    fn on_wake(&mut self, now: Millis, view: &crate::fs::View) -> Vec<(Millis, Action)> {
        let bytes = match read_file(view, &self.path) {
            Ok(bytes) => bytes,
            Err(e) => return self.then(now, format!("Error reading file {}: {e}, retrying\n", self.path).into_bytes(), true),
        };
        let quote = podplay_k8s_util::gofmt::quote;
        let mut out = format!("content of file {}: {}\n", quote(&self.path), String::from_utf8_lossy(&bytes)).into_bytes();
        if !self.break_on_expected {
            return self.then(now, out, false);
        }
        if bytes == MOUNTTEST_NEW_FILE {
            // `break`: no sleep after it, and the read did not fail.
            return vec![(now, Action::Write(Stream::Stdout, out)), (now, Action::Exit(i32::from(self.failed_before)))];
        }
        // No line end: the next print goes on the same line.
        out.extend_from_slice(b"Unexpected content. Expected: mount-tester new file\n. Retrying");
        self.then(now, out, false)
    }
}

impl MountTestLoop {
    /// This read's output, then the 2 s sleep and either the next read or the exit.
    fn then(&self, now: Millis, output: Vec<u8>, read_failed: bool) -> Vec<(Millis, Action)> {
        let next = now + 2000;
        let after = if next - self.start < self.retry { Action::Wake } else { Action::Exit(i32::from(read_failed || self.failed_before)) };
        vec![(now, Action::Write(Stream::Stdout, output)), (next, after)]
    }
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
