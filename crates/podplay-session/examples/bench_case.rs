//! One benchmark case in a process of its own, for `scripts/bench.sh`: its CPU time, wall time
//! and memory are the case's alone.
//!
//!   cargo run --release -p podplay-session --example bench_case -- cluster KIND PODS SECONDS
//!   cargo run --release -p podplay-session --example bench_case -- rollout DEPLOYMENTS SECONDS
//!   cargo run --release -p podplay-session --example bench_case -- scenario FILE SECONDS
//!
//! KIND is `exec`, `httpGet`, `tcpSocket` (one readiness probe every 10 s) or `pair` (liveness
//! and readiness httpGet); the cluster has 100 pods per node, as the performance issue's cases.
//! Timed: what the page's `new Session(yaml)` and `seek(SECONDS)` do (so the wasm's figure in
//! `scripts/bench-wasm.mjs` is the same call): the manifests parsed, `Session::new`, the seek to
//! SECONDS of virtual time. A lesson runs again until half a second has passed (`wall_s` is
//! the median run and `cpu_s` the mean); a cluster runs once. Prints one JSON
//! object: `{"case", "runs", "cpu_s", "wall_s", "rss_before_kb", "rss_peak_kb", "timeline",
//! "events", "fast_forwarded_ticks"}`.

#[cfg(not(podplay_system_alloc))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

use podplay_core::{load, SourceFile};
use podplay_session::Session;

include!("../../podplay-core/benches/support/cluster.rs");

/// This process's user and system CPU time (`/proc/self/stat`, clock ticks of 10 ms).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rfind(')').map(|i| &stat[i + 2..]).unwrap_or("");
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    (ticks(11) + ticks(12)) as f64 / 100.0
}

/// A field of `/proc/self/status` in kB (`VmRSS`, `VmHWM`).
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
        .unwrap_or(0)
}

fn usage() -> ! {
    eprintln!("usage: bench_case cluster exec|httpGet|tcpSocket|pair PODS SECONDS | rollout DEPLOYMENTS SECONDS | scenario FILE SECONDS");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (case, name, text, seconds) = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["cluster", name, pods, seconds] => {
            let kind = ProbeKind::parse(name).unwrap_or_else(|| usage());
            let pods: usize = pods.parse().unwrap_or_else(|_| usage());
            let nodes = pods.div_ceil(100).max(1);
            // The case's name in scripts/bench-cases.mjs (`exec-1000`), which the reports join on.
            (format!("{name}-{pods}"), "cluster.yaml".to_string(), probed_cluster(nodes, pods, kind), seconds)
        }
        ["rollout", deployments, seconds] => {
            let deployments: usize = deployments.parse().unwrap_or_else(|_| usage());
            (format!("rollout-{deployments}"), "rollout.yaml".to_string(), rollout_cluster(deployments), seconds)
        }
        ["scenario", file, seconds] => {
            let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
                eprintln!("{file}: {e}");
                std::process::exit(2)
            });
            let stem = std::path::Path::new(file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            (stem, file.to_string(), text, seconds)
        }
        _ => usage(),
    };
    let seconds: u64 = seconds.parse().unwrap_or_else(|_| usage());
    let files = [SourceFile { name, text }];
    if let Err(d) = load(&files) {
        eprintln!("the case does not load: {d:?}");
        std::process::exit(2)
    }
    let rss_before = status_kb("VmRSS");
    // A lesson takes about a millisecond: it runs again for about half a second and the median
    // run is reported (CPU time is counted in 10 ms ticks); a cluster runs once.
    let run = || {
        let manifests = load(&files).expect("the case loads");
        let mut session = Session::new(&manifests).expect("the case loads");
        session.seek(seconds * 1000);
        session
    };
    // PODPLAY_BENCH_PHASES=1 prints each phase's CPU time to stderr first (the parse,
    // `Session::new`, the first virtual minute, the rest), from a run of its own.
    if std::env::var_os("PODPLAY_BENCH_PHASES").is_some() {
        print_phases(&files, seconds);
    }
    let repeat = args[0] == "scenario";
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    let mut session = run();
    let mut walls = vec![wall0.elapsed().as_secs_f64()];
    while repeat && walls.len() < 1000 && wall0.elapsed().as_secs_f64() < 0.5 {
        // The previous run's session goes first, so that the peak is one session's.
        drop(session);
        let t = Instant::now();
        session = run();
        walls.push(t.elapsed().as_secs_f64());
    }
    let cpu = (cpu_seconds() - cpu0) / walls.len() as f64;
    walls.sort_by(f64::total_cmp);
    let (wall, runs) = (walls[walls.len() / 2], walls.len());
    let rss_peak = status_kb("VmHWM");
    let timeline = session.engine().timeline().len();
    let events = session.engine().events().len();
    let skipped = session.engine().fast_forwarded_ticks();
    println!(
        "{{\"case\":\"{case}\",\"runs\":{runs},\"cpu_s\":{cpu:.4},\"wall_s\":{wall:.6},\"rss_before_kb\":{rss_before},\"rss_peak_kb\":{rss_peak},\"timeline\":{timeline},\"events\":{events},\"fast_forwarded_ticks\":{skipped}}}"
    );
}

/// The CPU time of each phase of one run, to stderr (`PODPLAY_BENCH_PHASES`).
fn print_phases(files: &[SourceFile], seconds: u64) {
    let mut last = cpu_seconds();
    let mut lap = |phase: &str| {
        let now = cpu_seconds();
        eprintln!("{phase:<16} {:.2} s", now - last);
        last = now;
    };
    let manifests = load(files).expect("the case loads");
    lap("parse");
    let mut session = Session::new(&manifests).expect("the case loads");
    lap("Session::new");
    session.seek(seconds.min(60) * 1000);
    lap("first minute");
    session.seek(seconds * 1000);
    lap("the rest");
    drop(session);
    drop(manifests);
    lap("drop");
}
