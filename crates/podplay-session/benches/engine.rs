//! `cargo bench -p podplay-session`: wall-clock cost of simulations the page and authors run.
//! Figures go in docs/figures.md; nothing here asserts a time.

use std::time::{Duration, Instant};

// The native CLI's allocator (see podplay-cli): what `podplay` runs with. Build with
// RUSTFLAGS="--cfg podplay_system_alloc" for the system allocator's figures.
#[cfg(not(podplay_system_alloc))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use podplay_core::{load, SourceFile};
use podplay_session::Session;

fn scenario(name: &str, text: &str) -> podplay_core::Manifests {
    load(&[SourceFile { name: name.into(), text: text.into() }]).expect("scenario loads")
}

/// Runs `f` repeatedly for about `budget` and reports the median.
fn measure(label: &str, budget: Duration, mut f: impl FnMut()) {
    let mut samples = Vec::new();
    let start = Instant::now();
    // PODPLAY_BENCH_RUNS=N runs exactly N times (for instruction counts under `perf stat`,
    // which stay comparable when other work shares the machine).
    let fixed: Option<usize> = std::env::var("PODPLAY_BENCH_RUNS").ok().and_then(|n| n.parse().ok());
    while match fixed {
        Some(n) => samples.len() < n,
        None => samples.len() < 3 || (start.elapsed() < budget && samples.len() < 1000),
    } {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    samples.sort();
    let median = samples[samples.len() / 2];
    // The minimum is the steadiest figure when other work shares the machine.
    println!(
        "{label:<58} median {:>10.3} ms  min {:>10.3} ms  ({} runs)",
        median.as_secs_f64() * 1000.0,
        samples[0].as_secs_f64() * 1000.0,
        samples.len()
    );
}

include!("../../podplay-core/benches/support/cluster.rs");

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios");
    let mut names: Vec<_> = std::fs::read_dir(dir).expect("tests/scenarios").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    // PODPLAY_BENCH_ONLY=liveness-exec runs just the matching scenarios (for profiling).
    let only = std::env::var("PODPLAY_BENCH_ONLY").ok();
    for path in names.iter().filter(|p| p.extension().is_some_and(|x| x == "yaml")) {
        if only.as_deref().is_some_and(|o| !path.to_string_lossy().contains(o)) {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read scenario");
        let name = path.display().to_string();
        let m = scenario(&name, &text);
        let file = path.file_name().unwrap().to_string_lossy();
        measure(&format!("{file} (10 min virtual)"), Duration::from_secs(2), || {
            let mut e = Session::new(&m).expect("valid");
            e.seek(10 * 60 * 1000);
            std::hint::black_box(e.engine().timeline().len());
        });
        // What the page does on each keystroke: parse the YAML too.
        measure(&format!("{file} (parsed, then 10 min virtual)"), Duration::from_secs(1), || {
            let mut e = Session::new(&scenario(&name, &text)).expect("valid");
            e.seek(10 * 60 * 1000);
            std::hint::black_box(e.engine().timeline().len());
        });
    }
    // PODPLAY_BENCH_LARGE=full adds the 10,000-pod case; NODESxPODS (e.g. 10x100) runs only that size.
    let large = std::env::var("PODPLAY_BENCH_LARGE").ok();
    let custom = large.as_deref().and_then(|v| v.split_once('x')).and_then(|(n, p)| Some((n.parse().ok()?, p.parse().ok()?)));
    let sizes: Vec<(usize, usize)> = match (large.as_deref(), custom, &only) {
        (_, Some(size), _) => vec![size],
        (_, None, Some(_)) => vec![],
        (Some("full"), None, None) => vec![(10, 1_000), (100, 10_000)],
        (_, None, None) => vec![(10, 1_000)],
    };
    // PODPLAY_BENCH_UNTIL=SECONDS shortens the large runs' virtual time (to profile start-up).
    let until_s: u64 = std::env::var("PODPLAY_BENCH_UNTIL").ok().and_then(|s| s.parse().ok()).unwrap_or(3600);
    let virtual_label = if until_s == 3600 { "1 h".to_string() } else { format!("{until_s} s") };
    // PODPLAY_BENCH_PROBE=pair|httpGet|tcpSocket|exec (comma-separated) picks the probes.
    let kinds: Vec<ProbeKind> = std::env::var("PODPLAY_BENCH_PROBE")
        .ok()
        .map(|v| v.split(',').map(|k| ProbeKind::parse(k).unwrap_or_else(|| panic!("PODPLAY_BENCH_PROBE: no probe kind {k:?}"))).collect())
        .unwrap_or_else(|| vec![ProbeKind::HttpGetPair]);
    for (nodes, pods, kind) in sizes.into_iter().filter(|&(_, pods)| pods > 0).flat_map(|(n, p)| kinds.iter().map(move |&k| (n, p, k))) {
        let m = scenario("large.yaml", &probed_cluster(nodes, pods, kind));
        measure(&format!("{pods} pods, {}, {nodes} nodes ({virtual_label} virtual)", kind.label()), Duration::from_secs(1), || {
            let mut e = Session::new(&m).expect("valid");
            e.seek(until_s * 1000);
            std::hint::black_box(e.engine().timeline().len());
        });
        // Where one more run's time goes.
        let t = Instant::now();
        let parsed = scenario("large.yaml", &probed_cluster(nodes, pods, kind));
        let t_load = t.elapsed();
        let t = Instant::now();
        let mut e = Session::new(&parsed).expect("valid");
        let t_new = t.elapsed();
        let t = Instant::now();
        e.seek((60 * 1000).min(until_s * 1000));
        let t_minute = t.elapsed();
        let t = Instant::now();
        e.seek(until_s * 1000);
        let t_rest = t.elapsed();
        let t = Instant::now();
        drop(e);
        let t_drop = t.elapsed();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "  one run: parse {:.0} ms (not in the figure above), Session::new {:.0} ms, first minute {:.0} ms, the rest {:.0} ms, drop {:.0} ms",
            ms(t_load),
            ms(t_new),
            ms(t_minute),
            ms(t_rest),
            ms(t_drop)
        );
    }
}
