//! `Session.tryCommand`: the terminal's typed answer to "did this command change the cluster?",
//! as the page receives it.
#![cfg(not(target_arch = "wasm32"))]

use podplay_wasm::{JsSession, TriedCommand};

const TRAFFIC: &str = include_str!("../../../tests/scenarios/service-traffic.yaml");

fn tried(session: &mut JsSession, at: u64, command: &str) -> TriedCommand {
    session.try_command_native(at, command, None)
}

#[test]
fn only_a_command_that_changed_the_cluster_is_changed() {
    let mut s = JsSession::open(TRAFFIC, None);
    let refused = tried(&mut s, 30_000, "kubectl delete pod nosuch");
    assert_eq!(
        refused,
        TriedCommand {
            stdout: String::new(),
            stderr: "Error from server (NotFound): pods \"nosuch\" not found\n".into(),
            exit_code: 1,
            changed: false
        }
    );
    let looked = tried(&mut s, 30_000, "exec web-a -- ls /usr/share/nginx/html");
    assert!(!looked.changed && looked.stdout.contains("index.html"), "{looked:?}");
    let read = tried(&mut s, 30_000, "get pods");
    assert!(!read.changed && read.stdout.starts_with("NAME"), "{read:?}");
    let deleted = tried(&mut s, 30_000, "delete pod web-b");
    assert_eq!((deleted.stdout.as_str(), deleted.changed), ("pod \"web-b\" deleted\n", true));
    // The session forgot the deletion: a fresh engine at 0, and web-b is there when asked again.
    assert_eq!(s.simulation_native().map(|sim| sim.until), Some(0.0));
    let pods = s.kubectl_batch_native(40.0, &["get pods".to_string()]).remove(0).stdout;
    assert!(pods.lines().any(|l| l.starts_with("web-b ") && l.contains("Running")), "{pods}");
}

#[test]
fn an_invalid_yaml_or_command_line_changes_nothing() {
    let mut bad = JsSession::open("kind: Pod\n", None);
    let t = tried(&mut bad, 0, "delete pod x");
    assert!(!t.changed && t.exit_code == 1 && !t.stderr.is_empty(), "{t:?}");
    let mut s = JsSession::open(TRAFFIC, None);
    let t = tried(&mut s, 0, "exec web-a -- sh -c 'unterminated");
    assert!(!t.changed && t.stderr.starts_with("error: "), "{t:?}");
}

#[test]
fn a_podplay_line_and_an_apply_with_its_manifest_are_tried_too() {
    let mut s = JsSession::open(TRAFFIC, None);
    let cut = tried(&mut s, 30_000, "podplay node disconnect node-1");
    assert!(cut.changed && cut.exit_code == 0, "{cut:?}");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: extra}\nspec:\n  containers:\n  - {name: c, image: busybox, command: [sleep, '3600']}\n";
    let applied = s.try_command_native(30_000, "kubectl apply -f -", Some(pod));
    assert_eq!((applied.stdout.as_str(), applied.changed), ("pod/extra created\n", true));
}
