//! StatefulSets end to end: ordered creation, scale down, rolling update, as kubectl shows it.

use podplay_core::clock::SECOND;

use crate::test_support::{at, engine_of, mutate};

/// A StatefulSet `web` of `replicas` nginx pods, ready 2 s after they start, in `version`.
fn web(version: &str, replicas: i32, extra: &str) -> String {
    format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n\
         apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  replicas: {replicas}\n{extra}  \
         selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      \
         containers:\n      - name: nginx\n        image: nginx:1.25\n        readinessProbe:\n          tcpSocket:\n            port: 80\n          \
         initialDelaySeconds: 2\n          periodSeconds: 1\n"
    )
}

fn pod_names(out: &crate::Output) -> Vec<String> {
    out.stdout.lines().skip(1).filter_map(|l| l.split_whitespace().next().map(str::to_string)).collect()
}

#[test]
fn ordered_ready_creates_one_pod_at_a_time_and_parallel_does_not() {
    let mut engine = engine_of(&web("1.30", 3, "")).unwrap();
    assert_eq!(pod_names(&at(&mut engine, SECOND, "get pods")), ["web-0"]);
    let mut engine = engine_of(&web("1.30", 3, "  podManagementPolicy: Parallel\n")).unwrap();
    assert_eq!(pod_names(&at(&mut engine, SECOND, "get pods")), ["web-0", "web-1", "web-2"]);
}

#[test]
fn scale_down_deletes_the_highest_ordinal_first() {
    let mut engine = engine_of(&web("1.30", 3, "")).unwrap();
    at(&mut engine, 60 * SECOND, "get pods");
    assert_eq!(mutate(&mut engine, "scale statefulset/web --replicas=1").stdout, "statefulset.apps/web scaled\n");
    let events = at(&mut engine, 200 * SECOND, "get events --field-selector reason=SuccessfulDelete");
    let web2 = events.stdout.find("delete Pod web-2 in StatefulSet web successful").expect(&events.stdout);
    let web1 = events.stdout.find("delete Pod web-1 in StatefulSet web successful").expect(&events.stdout);
    assert!(web2 < web1, "{}", events.stdout);
    assert_eq!(pod_names(&at(&mut engine, 200 * SECOND, "get pods")), ["web-0"]);
}

#[test]
fn rolling_update_respects_the_partition_and_rollout_status_reports_it() {
    let mut engine = engine_of(&web("1.30", 3, "  updateStrategy:\n    rollingUpdate:\n      partition: 2\n")).unwrap();
    at(&mut engine, 60 * SECOND, "get pods");
    assert_eq!(mutate(&mut engine, "set image statefulset/web nginx=nginx:1.27").stdout, "statefulset.apps/web image updated\n");
    let web2 = at(&mut engine, 200 * SECOND, "describe pod web-2");
    assert!(web2.stdout.contains("nginx:1.27"), "{}", web2.stdout);
    let web1 = at(&mut engine, 200 * SECOND, "describe pod web-1");
    assert!(web1.stdout.contains("nginx:1.25") && !web1.stdout.contains("nginx:1.27"), "{}", web1.stdout);
    let line = crate::statefulsets::rollout_status_line(&engine.stateful_set_records()[0]).unwrap();
    assert_eq!(line, ("partitioned roll out complete: 1 new pods have been updated...\n".to_string(), true));
}

#[test]
fn a_deleted_pod_comes_back_with_its_name_and_volume_claims_are_refused() {
    let mut engine = engine_of(&web("1.30", 2, "")).unwrap();
    at(&mut engine, 30 * SECOND, "get pods");
    mutate(&mut engine, "delete pod web-0");
    assert_eq!(pod_names(&at(&mut engine, 90 * SECOND, "get pods")), ["web-0", "web-1"]);
    let refused = engine_of(&web("1.30", 1, "  volumeClaimTemplates:\n  - metadata:\n      name: www\n"));
    let text = format!("{:?}", refused.err().expect("refused"));
    assert!(text.contains("has volumeClaimTemplates, but podplay has no PersistentVolumeClaims"), "{text}");
}

#[test]
fn pod_index_label_from_1_28() {
    for (version, has) in [("1.27", false), ("1.28", true)] {
        let mut engine = engine_of(&web(version, 1, "")).unwrap();
        let out = at(&mut engine, 10 * SECOND, "get pods --show-labels");
        assert_eq!(out.stdout.contains("apps.kubernetes.io/pod-index=0"), has, "{version}: {}", out.stdout);
        assert!(out.stdout.contains("statefulset.kubernetes.io/pod-name=web-0"), "{}", out.stdout);
    }
}
