//! `kubectl drain` takes virtual time: as a scenario step the engine resumes it until it ends,
//! and given at a moment the session moves time for it and replays it the same way after a
//! seek back.

use podplay_core::clock::SECOND;
use podplay_core::SourceFile;
use podplay_session::Session;

fn scenario() -> String {
    let top = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios/pdb-drain.yaml");
    std::fs::read_to_string(top).expect("the pdb-drain scenario")
}

fn session(text: &str) -> Session {
    Session::open(&[SourceFile { name: "pdb-drain.yaml".into(), text: text.into() }]).expect("loads")
}

fn words(line: &str) -> Vec<String> {
    line.split(' ').map(str::to_string).collect()
}

#[test]
fn a_drain_step_goes_on_until_the_budget_lets_its_last_pod_go() {
    let mut s = session(&scenario());
    s.seek(120 * SECOND);
    let step = &s.engine().step_outputs()[0];
    assert_eq!(step.at, 60 * SECOND);
    assert!(step.stdout.ends_with("pod/zk-2 evicted\nnode/kind-worker drained\n"), "{step:?}");
    assert_eq!(step.stderr.matches("(will retry after 5s)").count(), 2, "{step:?}");
    assert_eq!(step.exit_code, 0);
}

#[test]
fn a_drain_given_at_a_moment_is_replayed_as_it_ran() {
    // The scenario without its step: the drain is given at 40 s instead.
    let text = scenario();
    let text = &text[..text.find("---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario").expect("a Scenario document")];
    let mut once = session(text);
    let out = once.kubectl_at(40 * SECOND, &words("drain kind-worker"));
    assert!(out.stdout.ends_with("node/kind-worker drained\n"), "{out:?}");
    let later = once.kubectl_at(100 * SECOND, &words("get pods -o wide")).stdout;
    // Back before the drain and forward again: a fresh engine replays it over the same time.
    once.kubectl_at(10 * SECOND, &words("get pods"));
    assert_eq!(once.kubectl_at(100 * SECOND, &words("get pods -o wide")).stdout, later);
    assert!(later.lines().skip(1).all(|l| l.contains("kind-worker2")), "{later}");
}
