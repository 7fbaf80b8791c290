//! One engine asked about several times, as the page's batch and terminal do: a time already
//! passed, and a watch after other commands, must print what a fresh run prints.

use podplay_core::{load, SourceFile};
use podplay_session::Session;

const LIVENESS: &str = include_str!("../../../tests/scenarios/liveness-exec.yaml");

fn engine() -> Session {
    let m = load(&[SourceFile { name: "liveness-exec.yaml".into(), text: LIVENESS.into() }]).unwrap();
    let mut e = Session::new(&m).unwrap();
    e.seek(0);
    e
}

fn run_at(session: &mut Session, at: u64, args: &[String]) -> podplay_kubectl::Output {
    session.kubectl_at(at, args)
}

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_string).collect()
}

fn fresh(at: u64, line: &str) -> String {
    run_at(&mut engine(), at, &words(line)).stdout
}

#[test]
fn a_watch_after_other_commands_is_the_watch_from_the_start() {
    let mut e = engine();
    let _ = run_at(&mut e, 130_000, &words("get pods"));
    let _ = run_at(&mut e, 130_000, &words("describe pod pod-live-exec"));
    let watched = run_at(&mut e, 130_000, &words("get pods -w"));
    assert_eq!(watched.stdout, fresh(130_000, "get pods -w"));
    assert!(watched.stdout.lines().count() > 3, "{}", watched.stdout);
    assert_eq!(e.now(), 130_000);
}

#[test]
fn an_earlier_time_is_shown_as_of_that_time() {
    let mut e = engine();
    let late = run_at(&mut e, 130_000, &words("get events"));
    assert!(late.stdout.contains("Killing"), "{}", late.stdout);
    let early = run_at(&mut e, 50_000, &words("get events"));
    assert_eq!(early.stdout, fresh(50_000, "get events"));
    assert!(!early.stdout.contains("Unhealthy"), "no probe has failed at 50 s: {}", early.stdout);
    assert_eq!(run_at(&mut e, 50_000, &words("get pods")).stdout, fresh(50_000, "get pods"));
    assert_eq!(e.now(), 50_000);
}

#[test]
fn a_rerun_replays_the_commands_given_at_their_times() {
    let mut e = engine();
    let deleted = run_at(&mut e, 20_000, &words("delete pod pod-live-exec"));
    assert_eq!(deleted.stdout, "pod \"pod-live-exec\" deleted\n");
    let watched = run_at(&mut e, 60_000, &words("get pods -w"));
    assert!(watched.stdout.contains("Terminating"), "the delete at 20 s is replayed: {}", watched.stdout);
    // Asking for 10 s again shows the pod before the delete; going on to 60 s deletes it again.
    assert!(run_at(&mut e, 10_000, &words("get pods")).stdout.contains("Running"));
    let later = run_at(&mut e, 60_000, &words("get pods"));
    assert_eq!(later.stderr, "No resources found in default namespace.\n");
}

/// `get pods -w -o json|yaml|name`: the initial list's items, then each write's object, with
/// one printer (get.go's watch); the same writes the table watch prints as rows.
#[test]
fn a_watch_prints_each_object_with_the_output_format() {
    let rows = fresh(30_000, "get pods -w").lines().count() - 1;
    let names = fresh(30_000, "get pods -w -o name");
    assert_eq!(names, "pod/pod-live-exec\n".repeat(rows));
    let json = fresh(30_000, "get pods -w -o json");
    assert_eq!(json.lines().filter(|l| *l == "{").count(), rows, "{json}");
    assert!(json.contains("\"phase\": \"Running\""), "{json}");
    let yaml = fresh(30_000, "get pods -w -o yaml");
    assert_eq!(yaml.lines().filter(|l| *l == "---").count(), rows - 1, "{yaml}");
    assert!(yaml.starts_with("apiVersion: v1\nkind: Pod\n"), "{yaml}");
}
