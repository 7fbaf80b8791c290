//! `podplay`: the engine on the command line, for course authors and tests.
//!
//!   podplay run FILE... [--until DURATION]
//!   podplay kubectl FILE... --at DURATION -- ARGS...
//!   podplay record-script FILE... [--at DURATION]...
//!   podplay compare TRANSCRIPT
//!
//! Arguments are parsed by clap (`podplay --help`, `podplay run --help`); invalid input exits 2
//! with `FILE:LINE:COLUMN: message` lines on stderr. Everything else goes through a
//! `podplay_session::Session`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use podplay_core::clock::format_offset_ms;
use podplay_core::{load, parse_duration, Millis, SourceFile};
use podplay_session::Session;

/// mimalloc: a simulation of thousands of pods allocates millions of small objects, which the
/// system allocator handles at about 1.6 times the cost (docs/figures.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A Kubernetes playground on a virtual clock: what a real cluster would do with these
/// manifests, printed as kubectl prints it.
#[derive(Debug, Parser)]
#[command(name = "podplay", version, after_help = "DURATION: 90s, 2m42s, 1h, 500ms (virtual time since the objects were created)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate the files and print the timeline, one line per change, with its virtual time.
    Run {
        /// Manifests and scenarios (YAML; several documents per file).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// How much virtual time to simulate.
        #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = duration)]
        until: Millis,
    },
    /// Create every object at time 0, simulate up to --at, and print what `kubectl ARGS` prints then.
    Kubectl {
        /// Manifests and scenarios (YAML; several documents per file).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// The virtual time to run kubectl at.
        #[arg(long, value_name = "DURATION", value_parser = duration)]
        at: Millis,
        /// kubectl's arguments, after `--` (e.g. `-- get pods -o wide`).
        #[arg(last = true, required = true, value_name = "ARGS")]
        args: Vec<String>,
    },
    /// Print a bash script that plays the scenario on a real cluster (the current kubectl
    /// context) and writes kubectl's outputs at the scenario's moments into a transcript for
    /// `podplay compare`.
    RecordScript {
        /// Manifests and scenarios (YAML; several documents per file).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// More moments to capture at, besides the scenario's `# Try at` times and its end.
        #[arg(long, value_name = "DURATION", value_parser = duration)]
        at: Vec<Millis>,
    },
    /// Simulate a transcript's manifest on its release and print where podplay differs from it
    /// (after masking IPs, UIDs, IDs, times of day, generated names, nodes and pull durations;
    /// ages within the transcript's tolerance). Exit 0 when every capture agrees, 1 otherwise.
    Compare {
        /// A transcript (tests/transcripts/*.txt, or what a record-script wrote).
        #[arg(value_name = "TRANSCRIPT")]
        transcript: String,
    },
}

/// A virtual time within what one run simulates (`Limits::max_time`): past it the engine
/// would stop at the limit, and the views would pass for the later time.
fn duration(text: &str) -> Result<Millis, String> {
    let t = parse_duration(text)?;
    let max = podplay_core::engine::Limits::default().max_time;
    if t > max {
        return Err(format!("podplay simulates at most {} of virtual time", podplay_core::clock::format_offset(max)));
    }
    Ok(t)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok((stdout, stderr, code)) => {
            write_out(std::io::stdout().lock(), &stdout);
            write_out(std::io::stderr().lock(), &stderr);
            ExitCode::from(code.clamp(0, 255) as u8)
        }
        Err(message) => {
            write_out(std::io::stderr().lock(), &message);
            ExitCode::from(2)
        }
    }
}

/// Writes the whole text; a reader that went away (`podplay ... | head`) ends the output
/// quietly, as it ends kubectl's, instead of print!'s panic.
fn write_out(mut out: impl std::io::Write, text: &str) {
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Reads the files.
fn read(files: &[String]) -> Result<Vec<SourceFile>, String> {
    let mut sources = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}\n"))?;
        sources.push(SourceFile { name: f.clone(), text });
    }
    Ok(sources)
}

/// Loads the files into a session.
fn open(files: &[String]) -> Result<Session, String> {
    let sources = read(files)?;
    let diagnostics = |ds: Vec<podplay_core::Diagnostic>| ds.iter().map(|d| format!("{d}\n")).collect::<String>();
    let manifests = load(&sources).map_err(diagnostics)?;
    Session::new(&manifests).map_err(diagnostics)
}

/// Runs a command; returns (stdout, stderr, exit code), or the message of an exit 2.
fn run(command: Command) -> Result<(String, String, i32), String> {
    match command {
        Command::Run { files, until } => {
            let mut session = open(&files)?;
            session.seek(until);
            let engine = session.engine();
            let mut out = String::new();
            for change in engine.timeline() {
                out.push_str(&format!(
                    "{:>8}  {:<24} {:<9} {}\n",
                    format_offset_ms(change.at),
                    change.object,
                    change.kind(),
                    change.summary()
                ));
            }
            for step in engine.step_outputs() {
                if !step.stdout.is_empty() || !step.stderr.is_empty() {
                    out.push_str(&format!("{:>8}  $ {}\n", format_offset_ms(step.at), step.command));
                    for line in step.stdout.lines().chain(step.stderr.lines()) {
                        out.push_str(&format!("          | {line}\n"));
                    }
                }
            }
            let err = engine.halted().map(|h| format!("{h}\n")).unwrap_or_default();
            Ok((out, err, if engine.halted().is_some() { 3 } else { 0 }))
        }
        Command::Kubectl { files, at, args } => {
            let mut session = open(&files)?;
            let out = session.kubectl_at(at, &args);
            // A run a limit stopped before `at` shows the cluster as it stopped: say so (as
            // `run` does), or the views would pass for the cluster at `at`.
            match session.engine().halted() {
                Some(halted) => Ok((out.stdout, format!("{}{halted}\n", out.stderr), 3)),
                None => Ok((out.stdout, out.stderr, out.exit_code)),
            }
        }
        Command::RecordScript { files, at } => {
            let plan = podplay_kubectl::record::plan(&read(&files)?, &at)?;
            Ok((podplay_kubectl::record::script(&plan, env!("CARGO_PKG_VERSION")), String::new(), 0))
        }
        Command::Compare { transcript } => {
            let text = std::fs::read_to_string(&transcript).map_err(|e| format!("{transcript}: {e}\n"))?;
            let parsed = podplay_kubectl::transcript::parse(&text).map_err(|e| format!("{transcript}: {e}\n"))?;
            let report = podplay_session::compare::compare(&parsed, &transcript).map_err(|e| format!("{transcript}: {e}\n"))?;
            Ok((report.render(&transcript), String::new(), if report.agrees() { 0 } else { 1 }))
        }
    }
}
