//! `Session::try_command`: the typed answer the page's terminal uses to tell a command that
//! changed the cluster (a scenario step) from one that only looked or was refused (not a step).

use podplay_core::{load, SourceFile};
use podplay_session::Session;

const TRAFFIC: &str = include_str!("../../../tests/scenarios/service-traffic.yaml");

fn session() -> Session {
    let m = load(&[SourceFile { name: "service-traffic.yaml".into(), text: TRAFFIC.into() }]).unwrap();
    Session::new(&m).unwrap()
}

fn words(line: &str) -> Vec<String> {
    podplay_kubectl::split_command_line(line).unwrap()
}

fn changed(line: &str) -> bool {
    let tried = session().try_command(30_000, &words(line), None);
    tried.changed
}

#[test]
fn reads_refusals_and_execs_that_only_look_change_nothing() {
    for line in [
        "get pods",
        "describe pod web-a",
        "logs client",
        "get events",
        "delete pod nosuch",
        "exec nosuchpod -- ls",
        "exec web-a -- nosuchcmd",
        "exec web-a -c nosuch -- ls",
        "exec web-a -- ls /",
        "exec web-a -- cat /etc/hostname",
        "exec web-a -- ps",
        "exec web-a -- env",
        "exec web-a -- sh -c 'ps | grep nginx; echo done'",
        "exec web-a -- sh",
        "exec -it web-a -- sh",
        "label pod nosuch a=b",
        "cordon nosuchnode",
        "podplay node disconnect nosuchnode",
    ] {
        assert!(!changed(line), "{line} changed nothing");
    }
}

#[test]
fn commands_that_change_the_cluster_say_so() {
    for line in [
        "delete pod web-a",
        "delete pod web-a nosuch",
        "exec web-a -- touch /tmp/x",
        "exec web-a -- sh -c 'echo hi > /tmp/x'",
        "exec web-a -- rm /usr/share/nginx/html/index.html",
        "exec web-a -- sh -c 'sleep 1000 &'",
        "exec web-a -- sh -c 'kill 1'",
        "exec client -- wget -qO- http://web/",
        "label pod web-a tier=front",
        "cordon node-1",
    ] {
        assert!(changed(line), "{line} changed the cluster");
    }
}

#[test]
fn an_apply_changes_the_cluster_when_it_creates_or_patches_something() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: extra}\nspec:\n  containers:\n  - {name: c, image: busybox, command: [sleep, '3600']}\n";
    let mut s = session();
    let tried = s.try_command(30_000, &words("apply -f -"), Some(pod));
    assert!(tried.changed, "{tried:?}");
    assert_eq!(tried.output.stdout, "pod/extra created\n");
    // The scenario's web-a was created without the last-applied annotation: the patch adds it.
    let existing = "apiVersion: v1\nkind: Pod\nmetadata: {name: web-a}\nspec:\n  containers:\n  - {name: nginx, image: nginx:1.27}\n";
    let tried = s.try_command(30_000, &words("apply -f -"), Some(existing));
    assert!(tried.changed, "{tried:?}");
    assert_eq!(tried.output.stdout, "pod/web-a configured\n");
    // An apply whose patch is empty changes nothing: a scenario that applied the pod already.
    let step = format!(
        "  steps:\n  - at: 5s\n    run: kubectl apply -f -\n    manifest: |\n{}",
        pod.lines().map(|l| format!("      {l}\n")).collect::<String>()
    );
    let text = TRAFFIC.replacen("  steps:\n", &step, 1);
    let m = load(&[SourceFile { name: "t.yaml".into(), text }]).unwrap();
    let mut s = Session::new(&m).unwrap();
    let tried = s.try_command(30_000, &words("apply -f -"), Some(pod));
    assert!(!tried.changed, "{tried:?}");
    assert_eq!(tried.output.stdout, "pod/extra unchanged\n");
}

#[test]
fn a_change_is_not_kept_and_a_look_is() {
    let mut s = session();
    let tried = s.try_command(30_000, &words("delete pod web-a"), None);
    assert!(tried.changed);
    assert_eq!(tried.output.stdout, "pod \"web-a\" deleted\n");
    // The session went back to what it was given: web-a is still there at 40 s.
    let pods = s.kubectl_at(40_000, &words("get pods")).stdout;
    assert!(pods.contains("web-a") && !pods.contains("Terminating"), "{pods}");
    // A refused deletion prints kubectl's error and changes nothing.
    let tried = s.try_command(40_000, &words("delete pod nosuch"), None);
    assert!(!tried.changed);
    assert_eq!(tried.output.stderr, "Error from server (NotFound): pods \"nosuch\" not found\n");
    assert_eq!(tried.output.exit_code, 1);
    // An exec that only looks prints what it printed, and the session goes on from there.
    let tried = s.try_command(40_000, &words("exec web-a -- cat /etc/hostname"), None);
    assert_eq!((tried.output.stdout.as_str(), tried.changed), ("web-a\n", false));
    assert_eq!(s.now(), 40_000);
}
