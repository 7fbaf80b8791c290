//! kube-scheduler's queue holds a pod once: a cluster event moves every unschedulable pod back
//! to the active queue (`MoveAllToActiveOrBackoffQueue`), but a pod already moved and not yet
//! tried is not added again. A hundred pods finishing in the same second retry each pending pod
//! once, not a hundred times.

use podplay_core::{load, SourceFile};
use podplay_session::Session;

#[test]
fn many_pods_leaving_a_full_node_retry_each_pending_pod_once() {
    // 300 pods for a node of 110: 190 wait; each wave of 110 ends about 2 s after it starts,
    // so the pods of the third wave are tried again after each of the first two. (Bare pods:
    // a Job's controller would create them at its client's 20 a second.)
    let pod = |i: usize| {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: wave-{i}}}\nspec:\n  restartPolicy: Never\n  containers:\n  - {{name: task, image: busybox:1.36, command: [sleep, '2']}}\n")
    };
    let yaml = (0..300).map(pod).collect::<Vec<_>>().join("---\n");
    let m = load(&[SourceFile { name: "t.yaml".into(), text: yaml }]).expect("valid yaml");
    let mut s = Session::new(&m).expect("valid objects");
    // By 20 s every pod has run; the scheduler's event series go idle and are written with
    // their counts by the recorder's finish loop (6 min).
    s.seek(20_000);
    assert!(s.engine().pods().all(|p| p.spec.node_name.is_some()), "every pod was scheduled by 20 s");
    s.seek(20 * 60_000);
    let engine = s.engine();
    let mut attempts: std::collections::BTreeMap<String, u32> = Default::default();
    for e in engine.events().into_iter().filter(|e| e.reason == "FailedScheduling") {
        *attempts.entry(e.involved_object.name.clone()).or_default() += e.series.map_or(1, |s| s.count);
    }
    assert!(attempts.len() >= 150, "pods waited for room: {}", attempts.len());
    let most = attempts.values().copied().max().unwrap_or(0);
    assert!(most <= 3, "a pending pod was tried {most} times");
}
