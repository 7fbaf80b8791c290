//! The page re-simulates on every keystroke, so half-typed and odd YAML reaches the engine all
//! the time: every such text must load with diagnostics or simulate and print, never panic.
//! Each bundled scenario is cut after every line, and has its numbers replaced by extreme ones.

use podplay_core::{load, SourceFile};
use podplay_session::Session;

fn scenarios() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.into_iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap())).collect()
}

/// Loads and, when valid, simulates `text` for 2 minutes and prints the usual views.
fn exercise(name: &str, text: &str) {
    let outcome = std::panic::catch_unwind(|| {
        let Ok(manifests) = load(&[SourceFile { name: name.into(), text: text.into() }]) else { return };
        let Ok(mut session) = Session::new(&manifests) else { return };
        for args in [&["get", "pods"][..], &["get", "events"], &["describe", "pods"], &["get", "pods", "-o", "yaml"]] {
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            let _ = session.kubectl_at(120_000, &args);
        }
        let _ = session.engine().state();
    });
    assert!(outcome.is_ok(), "{name}: panicked on this text:\n{text}");
}

#[test]
fn every_prefix_of_every_scenario_loads_or_is_diagnosed() {
    for (name, text) in scenarios() {
        let mut end = 0;
        for line in text.split_inclusive('\n') {
            end += line.len();
            exercise(&name, &text[..end]);
        }
    }
}

#[test]
fn extreme_numbers_are_diagnosed_or_simulated() {
    for (name, text) in scenarios() {
        for replacement in ["0", "-1", "999999999999", "2147483648", "1.5"] {
            let mut out = String::new();
            let mut digits = false;
            for ch in text.chars() {
                if ch.is_ascii_digit() {
                    if !digits {
                        out.push_str(replacement);
                    }
                    digits = true;
                } else {
                    digits = false;
                    out.push(ch);
                }
            }
            exercise(&name, &out);
        }
    }
}

/// Inputs the fuzzer (`scripts/fuzz.sh`) found failing, kept failing no more.
#[test]
fn the_fuzzers_finds_stay_fixed() {
    // statefulset-ordered with `replicas: 2147483647`: the sync allocated a slot for every
    // ordinal (32 GB) and the process aborted.
    let (_, text) = scenarios().into_iter().find(|(name, _)| name == "statefulset-ordered.yaml").expect("the scenario");
    let huge = text.replacen("replicas: 2\n", "replicas: 2147483647\n", 1);
    assert_ne!(huge, text, "the scenario has `replicas: 2`");
    exercise("statefulset-ordered.yaml", &huge);
}
