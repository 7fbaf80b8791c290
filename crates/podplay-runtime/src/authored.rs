//! Author-defined images (`podplay.dev/v1alpha1` `Image` documents): what the scenario's
//! author wrote about the program, played back on the virtual clock.

use crate::applets::Applet;
use crate::fs::{Node, NodeKind, Program};
use crate::images::{exe, ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, Prog, Serving, SigReaction, SignalDelivery};
use crate::servers::{go_not_found, go_response, url_path, Request, Response};
use crate::types::{BusyboxVersion, HttpRule, ImageDef, Millis, Signal, SignalBehavior};
use crate::world::World;

/// An author-defined image's configuration and files.
pub(crate) fn author_info(def: &ImageDef, normalized: &str, repo: &str, tag: &str) -> ImageInfo {
    let created = 1_790_000_000;
    let prog_path = if def.program_path.is_empty() { "/app".to_string() } else { def.program_path.clone() };
    let mut files = vec![exe(&prog_path, Program::Author(normalized.to_string()), created)];
    files.extend(def.files.iter().map(|(path, content, mode)| (path.clone(), written_file(content, *mode, created))));
    let entrypoint = match &def.startup_script {
        // `sh -c 'SCRIPT; exec /app "$@"' /app ARGS…`: the program replaces the shell as PID 1.
        Some(script) if def.entrypoint.is_empty() => {
            vec!["/bin/sh".to_string(), "-c".to_string(), format!("{script}\nexec {prog_path} \"$@\""), prog_path.clone()]
        }
        _ if def.entrypoint.is_empty() && def.cmd.is_empty() => vec![prog_path.clone()],
        _ => def.entrypoint.clone(),
    };
    // A startup script needs a shell: add busybox if the author did not choose one.
    let busybox = def.busybox.or(def.startup_script.as_ref().map(|_| BusyboxVersion::V1_37));
    let mut env = def.env.clone();
    if !env.iter().any(|(k, _)| k == "PATH") {
        env.insert(0, ("PATH".into(), PATH_DEFAULT.into()));
    }
    ImageInfo {
        normalized: normalized.to_string(),
        repo: repo.to_string(),
        tag: tag.to_string(),
        entrypoint,
        cmd: def.cmd.clone(),
        env,
        working_dir: def.working_dir.clone().unwrap_or_else(|| "/".into()),
        stop_signal: def.stop_signal.unwrap_or(Signal::Term),
        userland: match busybox {
            Some(v) => Userland::Busybox(v),
            None => Userland::None,
        },
        size_bytes: if def.size_bytes == 0 { 10_000_000 } else { def.size_bytes },
        created,
        files,
        shell_version: busybox.unwrap_or(BusyboxVersion::V1_37),
        generic: false,
        user: String::new(),
    }
}

/// A file the author wrote (mode 0: 0644).
fn written_file(content: &str, mode: u32, mtime: i64) -> Node {
    let mode = if mode == 0 { 0o644 } else { mode };
    Node { kind: NodeKind::File(content.as_bytes().to_vec()), mode, mtime, program: None, owner: crate::fs::Owner::ROOT }
}

/// Start the program of the author-defined image `image`: its timeline is what the author wrote.
pub(crate) fn start_author(w: &mut World, image: &str, now: Millis) -> Applet {
    let Some(def) = w.authors.get(image).cloned() else {
        return Applet::Exit(127);
    };
    let mut tl: Vec<(Millis, Action)> = Vec::new();
    for (off, line) in &def.startup_output {
        tl.push((now + off, Action::Log(Stream::Stdout, line.clone())));
    }
    for p in &def.ports {
        tl.push((now + def.listen_delay_ms, Action::Listen(*p)));
    }
    for (off, bytes) in &def.memory {
        tl.push((now + off, Action::Memory(*bytes)));
    }
    if let Some((off, code)) = def.exit_after {
        tl.push((now + off, Action::Exit(code)));
    }
    Applet::Program(Prog::new(Authored { rules: def.http_rules, signals: def.signals }, now, tl))
}

/// The program's answers and signal handlers, as written.
struct Authored {
    rules: Vec<HttpRule>,
    signals: Vec<SignalBehavior>,
}

impl Behavior for Authored {
    /// A handler logs its lines and exits after its delay (one without an exit code ignores the
    /// signal); an unhandled signal acts by default.
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        let Some(handler) = self.signals.iter().find(|s| s.signal.number() == signal.sig) else {
            return signal.default_action();
        };
        let Some(code) = handler.exit_code else {
            return SigReaction::Ignore;
        };
        let mut actions: Vec<(Millis, Action)> = handler.log.iter().map(|l| (signal.now, Action::Log(Stream::Stdout, l.clone()))).collect();
        actions.push((signal.now + handler.delay_ms, Action::Exit(code)));
        SigReaction::Actions(actions)
    }

    /// The latest rule for the path in effect by now answers, as Go's net/http would.
    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        let path = url_path(req.path);
        let rule = self.rules.iter().filter(|r| r.path == path && r.after_ms <= at.elapsed).max_by_key(|r| r.after_ms);
        match rule {
            Some(r) => Response { delay_ms: r.delay_ms, ..go_response(r.status, r.body.clone().into_bytes(), at.wall) },
            None => go_not_found(at.wall),
        }
    }
}
