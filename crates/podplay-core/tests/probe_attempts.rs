//! The prober's attempt log (`Engine::probe_attempts`): what the page draws as probe ticks.

use podplay_core::engine::{AttemptOutcome, ProbeKind, MAX_PROBE_ATTEMPTS};
use podplay_core::{load, Engine, SourceFile};

fn engine_at(text: &str, at_ms: u64) -> Engine {
    let manifests = load(&[SourceFile { name: "pod.yaml".into(), text: text.into() }]).expect("scenario loads");
    let mut engine = Engine::new(&manifests).expect("scenario is valid");
    engine.run_until(at_ms);
    engine
}

const LIVENESS: &str = include_str!("../../../tests/scenarios/liveness-exec.yaml");

/// The file goes at 60 s: attempts every 3 s succeed until 60.033 s, the three at 63.033,
/// 66.033 and 69.033 s fail, then the worker holds (no attempts) until the restarted container.
#[test]
fn liveness_exec_attempts_succeed_then_fail_three_times_then_hold() {
    let e = engine_at(LIVENESS, 100_000);
    let attempts = e.probe_attempts();
    assert!(attempts.iter().all(|a| a.pod == "pod-live-exec" && a.container == "container-live-exec" && a.kind == ProbeKind::Liveness));
    let failures: Vec<u64> = attempts.iter().filter(|a| a.outcome == AttemptOutcome::Failure).map(|a| a.at).collect();
    assert_eq!(failures, vec![63_033, 66_033, 69_033]);
    assert!(attempts.iter().filter(|a| a.at < 63_000).all(|a| a.outcome == AttemptOutcome::Success));
    assert!(attempts.iter().filter(|a| a.at < 63_000).count() >= 19);
    // Held from the published failure until the new instance (SIGKILL at 99.033 s).
    assert!(!attempts.iter().any(|a| a.at > 69_033 && a.at < 99_033), "{attempts:?}");
    assert!(attempts.windows(2).all(|w| w[0].at < w[1].at));
}

const TIMEOUT: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: slow
spec:
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    readinessProbe:
      exec:
        command: ["sleep", "5"]
      timeoutSeconds: 1
      periodSeconds: 10
"#;

#[test]
fn an_exec_probe_past_its_timeout_is_logged_as_a_timeout() {
    let attempts = engine_at(TIMEOUT, 60_000).probe_attempts();
    assert!(attempts.len() >= 5, "{attempts:?}");
    assert!(attempts.iter().all(|a| a.kind == ProbeKind::Readiness && a.outcome == AttemptOutcome::Timeout), "{attempts:?}");
}

const EVERY_SECOND: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: busy
spec:
  containers:
  - name: app
    image: busybox
    command: ["sleep", "36000"]
    readinessProbe:
      exec:
        command: ["true"]
      periodSeconds: 1
"#;

#[test]
fn the_attempt_log_stops_at_its_cap() {
    let attempts = engine_at(EVERY_SECOND, (MAX_PROBE_ATTEMPTS as u64 + 100) * 1000).probe_attempts();
    assert_eq!(attempts.len(), MAX_PROBE_ATTEMPTS);
    assert!(attempts.iter().all(|a| a.outcome == AttemptOutcome::Success));
}
