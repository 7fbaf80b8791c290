//! A simulation run in slices (a `Session` moved forward a little at a time, as the page's Web
//! Worker runs a long simulation so that it can report progress and be cancelled between slices)
//! must give exactly what one `simulate` call gives: the same timeline, spec fields, steps,
//! probe attempts and end time, for every bundled scenario and for the loops that the runtime
//! runs in bulk (up to the next task, which a slice's end moves) or step by step.
#![cfg(not(target_arch = "wasm32"))]

use podplay_wasm::{simulate_native, JsSession, Simulation};

fn scenario_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

/// `yaml` simulated to `until` ms by seeking to each of `ends` (ascending, below `until`) first.
fn in_slices(yaml: &str, ends: impl IntoIterator<Item = u64>, until: u64) -> Simulation {
    let mut session = JsSession::open(yaml, None);
    for t in ends.into_iter().take_while(|&t| t < until) {
        session.seek_native(t);
    }
    session.seek_native(until);
    session.simulation_native().expect("the YAML loads")
}

/// Slice ends: every `step` ms.
fn every(step: u64) -> impl Iterator<Item = u64> {
    (1..).map(move |i| i * step)
}

/// Slice ends that grow and shrink as the worker's do (it sizes each slice by the wall time of
/// the last), starting at an odd millisecond so that they fall between ticks and on them.
fn uneven() -> impl Iterator<Item = u64> {
    let sizes = [1, 250, 333, 1_000, 4_000, 16_000, 64_000, 7_001, 2_000, 128_000];
    let mut at = 0;
    (0..).map(move |i| {
        at += sizes[i % sizes.len()];
        at
    })
}

fn assert_same(name: &str, yaml: &str, until_seconds: f64) {
    let whole = simulate_native(yaml, until_seconds, None);
    assert!(whole.ok, "{name}: {:?}", whole.diagnostics);
    let until = (until_seconds * 1000.0) as u64;
    for (how, sliced) in [
        ("every 1 s", in_slices(yaml, every(1_000), until)),
        ("every 7.777 s", in_slices(yaml, every(7_777), until)),
        ("uneven", in_slices(yaml, uneven(), until)),
    ] {
        if sliced != whole {
            let a = serde_json::to_string_pretty(&whole).unwrap();
            let b = serde_json::to_string_pretty(&sliced).unwrap();
            let (i, (x, y)) = a.lines().zip(b.lines()).enumerate().find(|(_, (x, y))| x != y).unwrap_or((0, ("<length>", "<length>")));
            panic!("{name}, seeking {how}: differs from one simulate at line {}:\n--- simulate\n{x}\n--- in slices\n{y}", i + 1);
        }
    }
}

#[test]
fn every_bundled_scenario_in_slices_is_one_simulate() {
    let mut paths: Vec<_> = std::fs::read_dir(scenario_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    assert!(paths.len() >= 20);
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        assert_same(&name, &std::fs::read_to_string(&path).unwrap(), 600.0);
    }
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n";

#[test]
fn loops_run_in_bulk_or_step_by_step_are_the_same_in_slices() {
    // A counter that never sleeps runs step by step (its state changes every turn); a loop that
    // echoes and one that sleeps between echoes repeat exactly and run in bulk up to the horizon.
    let counter = format!("{POD}  - name: count\n    image: busybox:1.36\n    command: [sh, -c, 'i=0; while true; do i=$((i+1)); done']\n");
    assert_same("counter", &counter, 2.0);
    let mixed = format!(
        "{POD}  - name: echo\n    image: busybox:1.36\n    command: [sh, -c, 'while true; do echo hi; done']\n  - name: tick\n    image: busybox:1.36\n    command: [sh, -c, 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 3; done']\n    livenessProbe: {{exec: {{command: [cat, /etc/hostname]}}, periodSeconds: 2}}\n"
    );
    assert_same("mixed", &mixed, 40.0);
}
