//! `podplay`: the engine on the command line, for course authors and tests.
//!
//!   podplay run FILE... [--until DURATION]
//!   podplay kubectl FILE... --at DURATION -- ARGS...
//!
//! Invalid input exits 2 with `FILE:LINE:COLUMN: message` lines on stderr.

use std::process::ExitCode;

use podplay_core::{load, parse_duration, Millis, SourceFile};
use podplay_session::Session;

/// mimalloc: a simulation of thousands of pods allocates millions of small objects, which the
/// system allocator handles at about 1.6 times the cost (docs/figures.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:\n  podplay run FILE... [--until DURATION]\n  podplay kubectl FILE... --at DURATION -- ARGS...\n\nDURATION: 90s, 2m42s, 1h, 500ms (virtual time since the objects were created)\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok((stdout, stderr, code)) => {
            print!("{stdout}");
            eprint!("{stderr}");
            ExitCode::from(code.clamp(0, 255) as u8)
        }
        Err((message, code)) => {
            eprint!("{message}");
            ExitCode::from(code)
        }
    }
}

/// Parses the command line and runs it; returns (stdout, stderr, exit code).
fn run(args: &[String]) -> Result<(String, String, i32), (String, u8)> {
    let Some(command) = args.first() else { return Err((USAGE.into(), 2)) };
    let (before, after) = match args.iter().position(|a| a == "--") {
        Some(i) => (&args[1..i], &args[i + 1..]),
        None => (&args[1..], &[][..]),
    };
    let mut files = Vec::new();
    let mut time: Option<Millis> = None;
    let mut it = before.iter();
    while let Some(a) = it.next() {
        let flag_value = |name: &str, it: &mut std::slice::Iter<String>| -> Result<Option<Millis>, (String, u8)> {
            let value = if a == name {
                it.next().cloned().ok_or_else(|| (format!("error: {name} needs a duration\n"), 2))?
            } else if let Some(v) = a.strip_prefix(&format!("{name}=")) {
                v.to_string()
            } else {
                return Ok(None);
            };
            parse_duration(&value).map(Some).map_err(|e| (format!("error: {name}: {e}\n"), 2))
        };
        if let Some(t) = flag_value("--until", &mut it)? {
            time = Some(t);
        } else if let Some(t) = flag_value("--at", &mut it)? {
            time = Some(t);
        } else if a == "-h" || a == "--help" {
            return Ok((USAGE.into(), String::new(), 0));
        } else if a.starts_with('-') {
            return Err((format!("error: unknown flag {a}\n{USAGE}"), 2));
        } else {
            files.push(a.clone());
        }
    }
    if files.is_empty() {
        return Err((format!("error: no files given\n{USAGE}"), 2));
    }
    let mut sources = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).map_err(|e| (format!("{f}: {e}\n"), 2))?;
        sources.push(SourceFile { name: f.clone(), text });
    }
    let manifests = load(&sources).map_err(|ds| (ds.iter().map(|d| format!("{d}\n")).collect::<String>(), 2))?;
    let mut session = Session::new(&manifests).map_err(|ds| (ds.iter().map(|d| format!("{d}\n")).collect::<String>(), 2))?;
    match command.as_str() {
        "run" => {
            let until = time.unwrap_or(10 * 60 * 1000);
            session.seek(until);
            let engine = session.engine();
            let mut out = String::new();
            for change in engine.timeline() {
                out.push_str(&format!("{:>8}  {:<24} {:<9} {}\n", offset(change.at), change.object, change.kind, change.summary));
            }
            for step in engine.step_outputs() {
                if !step.stdout.is_empty() || !step.stderr.is_empty() {
                    out.push_str(&format!("{:>8}  $ {}\n", offset(step.at), step.command));
                    for line in step.stdout.lines().chain(step.stderr.lines()) {
                        out.push_str(&format!("          | {line}\n"));
                    }
                }
            }
            let err = engine.halted().map(|h| format!("{h}\n")).unwrap_or_default();
            Ok((out, err, if engine.halted().is_some() { 3 } else { 0 }))
        }
        "kubectl" => {
            let Some(at) = time else { return Err((format!("error: kubectl needs --at DURATION\n{USAGE}"), 2)) };
            if after.is_empty() {
                return Err((format!("error: give kubectl's arguments after --\n{USAGE}"), 2));
            }
            let out = session.kubectl_at(at, after);
            Ok((out.stdout, out.stderr, out.exit_code))
        }
        other => Err((format!("error: unknown command {other:?}\n{USAGE}"), 2)),
    }
}

/// `1m40.250s`-style virtual time for the timeline.
fn offset(ms: Millis) -> String {
    let s = ms / 1000;
    let frac = ms % 1000;
    if s >= 60 {
        format!("{}m{:02}.{:03}s", s / 60, s % 60, frac)
    } else {
        format!("{s}.{frac:03}s")
    }
}
