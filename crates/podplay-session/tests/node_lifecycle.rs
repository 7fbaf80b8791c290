//! Node lifecycle on the virtual clock: a node that comes back before its pods' tolerations
//! run out, and the DisruptionTarget condition by release.

use podplay_core::{load, SourceFile};
use podplay_session::Session;

fn engine(version: &str, steps: &str) -> Session {
    let yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n---\n\
         apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec:\n  kubernetesVersion: \"{version}\"\n  steps:\n{steps}"
    );
    let m = load(&[SourceFile { name: "t.yaml".into(), text: yaml }]).expect("valid yaml");
    Session::new(&m).expect("valid objects")
}

#[test]
fn a_node_back_before_the_toleration_runs_out_cancels_the_eviction() {
    let mut e =
        engine("1.36", "  - at: 30s\n    run: podplay node disconnect node-1\n  - at: 120s\n    run: podplay node reconnect node-1\n");
    e.seek(600_000);
    let evictions: Vec<_> = e
        .engine()
        .events()
        .into_iter()
        .filter(|ev| ev.reason == "TaintManagerEviction")
        .map(|ev| (ev.message, ev.involved_object.uid, ev.last_timestamp))
        .collect();
    assert_eq!(evictions, [("Cancelling deletion of Pod default/web".to_string(), String::new(), Some(120_000))]);
    let pod = e.engine().pods().next().expect("the pod stays");
    assert!(pod.metadata.deletion.is_none());
    assert_eq!(pod.status.condition("Ready").map(|c| c.status.as_str()), Some("True"));
}

#[test]
fn a_node_back_before_it_was_unknown_cancels_nothing() {
    let mut e =
        engine("1.36", "  - at: 30s\n    run: podplay node disconnect node-1\n  - at: 40s\n    run: podplay node reconnect node-1\n");
    e.seek(600_000);
    assert!(e.engine().events().iter().all(|ev| ev.reason != "TaintManagerEviction"));
}

/// PodDisruptionConditions (default on from 1.26): the taint eviction adds DisruptionTarget.
#[test]
fn taint_eviction_adds_disruption_target_only_from_1_26() {
    let steps = "  - at: 30s\n    run: podplay node disconnect node-1\n";
    for (version, expected) in [("1.25", false), ("1.26", true)] {
        let mut e = engine(version, steps);
        e.seek(500_000);
        let pod = e.engine().pods().next().expect("evicted, still Terminating");
        assert!(pod.metadata.deletion.is_some(), "{version}: evicted");
        assert_eq!(pod.status.condition("DisruptionTarget").is_some(), expected, "{version}");
    }
}
