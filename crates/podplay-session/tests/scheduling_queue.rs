//! kube-scheduler's queue holds a pod once: a cluster event moves every unschedulable pod back
//! to the active queue (`MoveAllToActiveOrBackoffQueue`), but a pod already moved and not yet
//! tried is not added again. A hundred pods finishing in the same second retry each pending pod
//! once, not a hundred times.

use podplay_core::{load, SourceFile};
use podplay_session::Session;

#[test]
fn many_pods_leaving_a_full_node_retry_each_pending_pod_once() {
    // 300 pods for a node of 110: 190 wait; each wave of 110 ends about 2 s after it starts,
    // so the pods of the third wave are tried again after each of the first two.
    let yaml = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: wave}\nspec:\n  parallelism: 300\n  completions: 300\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {name: task, image: busybox:1.36, command: [sleep, '2']}\n";
    let m = load(&[SourceFile { name: "t.yaml".into(), text: yaml.into() }]).expect("valid yaml");
    let mut s = Session::new(&m).expect("valid objects");
    s.seek(20_000);
    let engine = s.engine();
    let attempts = |pod: &str| {
        engine.timeline().iter().filter(|c| c.object == format!("pod/{pod}") && c.summary().contains("FailedScheduling")).count()
    };
    let waited: Vec<String> = engine.pods().filter(|p| attempts(&p.metadata.name) > 0).map(|p| p.metadata.name.clone()).collect();
    assert!(waited.len() >= 150, "pods waited for room: {}", waited.len());
    let most = waited.iter().map(|p| attempts(p)).max().unwrap_or(0);
    assert!(most <= 3, "a pending pod was tried {most} times");
}
