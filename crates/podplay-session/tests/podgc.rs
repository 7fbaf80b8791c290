//! The pod garbage collector after `kubectl delete node` (moved from `podplay-core`'s podgc.rs:
//! its steps run through kubectl, which the engine's own crate does not know).

use podplay_core::{load, SourceFile};
use podplay_session::Session;

fn engine(version: &str) -> Session {
    let yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n---\n\
         apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec:\n  kubernetesVersion: \"{version}\"\n  steps:\n  - at: 30s\n    run: podplay node disconnect node-1\n  - at: 121s\n    run: kubectl delete node node-1\n"
    );
    let m = load(&[SourceFile { name: "t.yaml".into(), text: yaml }]).expect("valid yaml");
    Session::new(&m).expect("valid objects")
}

fn web_phase(e: &Session) -> Option<String> {
    e.engine().pods().find(|p| p.metadata.name == "web").map(|p| p.status.phase.clone())
}

#[test]
fn deleted_node_leaves_its_pod_until_podgc_ends_the_quarantine() {
    let mut e = engine("1.36");
    e.seek(121_000);
    assert_eq!(e.engine().nodes().count(), 0, "the Node object is gone at once");
    assert!(e.engine().step_outputs().iter().any(|s| s.stdout == "node \"node-1\" deleted\n"));
    // First PodGC pass after the deletion: 140 s; quarantine 40 s; deletion at the 180 s pass.
    e.seek(179_999);
    assert_eq!(web_phase(&e).as_deref(), Some("Running"));
    e.seek(180_000);
    assert_eq!(web_phase(&e), None);
    let changes: Vec<_> = e.engine().timeline().iter().filter(|c| c.object == "pod/web" && c.at == 180_000).map(|c| c.summary()).collect();
    assert_eq!(changes, ["Failed (DisruptionTarget: DeletionByPodGC)", "deleted"]);
    assert!(e
        .engine()
        .events()
        .iter()
        .any(|ev| ev.reason == "RemovingNode" && ev.message == "Node node-1 event: Removing Node node-1 from Controller"));
}

#[test]
fn before_pod_disruption_conditions_podgc_only_force_deletes() {
    let mut e = engine("1.25");
    e.seek(180_000);
    assert_eq!(web_phase(&e), None);
    let changes: Vec<_> = e.engine().timeline().iter().filter(|c| c.object == "pod/web" && c.at == 180_000).map(|c| c.summary()).collect();
    assert_eq!(changes, ["deleted"]);
}

#[test]
fn deleting_a_missing_node_is_not_found() {
    let mut e = engine("1.36");
    e.seek(130_000);
    let out = e.kubectl(&["delete".into(), "node".into(), "node-1".into()]);
    assert_eq!(out.stderr, "Error from server (NotFound): nodes \"node-1\" not found\n");
    assert_eq!(out.exit_code, 1);
}

/// `kubectl delete` takes a resource as a kind word and names, or as TYPE/NAME with any of the
/// kind's words (`no/`, `nodes/`, `po/`, `pods/`), as kubectl's resource builder does.
#[test]
fn delete_takes_type_slash_name_with_any_kind_word() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: busybox:1.36, command: [sleep, '3600']}]}\n---\n\
                apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {containers: [{name: c, image: busybox:1.36, command: [sleep, '3600']}]}\n---\n\
                apiVersion: v1\nkind: Node\nmetadata: {name: spare}\n---\n\
                apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  steps:\n\
                \x20 - {at: 10s, run: kubectl delete po/a --grace-period=0 --force}\n\
                \x20 - {at: 11s, run: kubectl delete pods/b --grace-period=0 --force}\n\
                \x20 - {at: 12s, run: kubectl delete no/spare}\n\
                \x20 - {at: 13s, run: kubectl delete svc/x}\n";
    let m = load(&[SourceFile { name: "t.yaml".into(), text: yaml.into() }]).expect("valid yaml");
    let mut s = Session::new(&m).expect("valid objects");
    s.seek(14_000);
    let out: Vec<(&str, &str)> = s.engine().step_outputs().iter().map(|o| (o.stdout.as_str(), o.stderr.as_str())).collect();
    let warning = "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n";
    assert_eq!(
        out,
        [
            ("pod \"a\" force deleted\n", warning),
            ("pod \"b\" force deleted\n", warning),
            ("node \"spare\" deleted\n", ""),
            ("", "error: podplay deletes pods or nodes, one kind per command\n"),
        ]
    );
}
