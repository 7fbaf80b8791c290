//! The state snapshot on the shared scenarios: what the page's inspector reads at a time.

use podplay_core::engine::{ClusterState, ProbeState};
use podplay_core::{load, SourceFile};
use podplay_session::Session;

fn state_at(file: &str, text: &str, at_ms: u64) -> ClusterState {
    let manifests = load(&[SourceFile { name: file.into(), text: text.into() }]).expect("scenario loads");
    let mut session = Session::new(&manifests).expect("scenario is valid");
    session.seek(at_ms);
    session.engine().state()
}

const LIVENESS: &str = include_str!("../../../tests/scenarios/liveness-exec.yaml");

fn liveness_probe_at(at_ms: u64) -> ProbeState {
    let s = state_at("liveness-exec.yaml", LIVENESS, at_ms);
    assert_eq!(s.at, at_ms);
    let pod = s.pods.iter().find(|p| p.name == "pod-live-exec").expect("the pod exists");
    let c = &pod.containers[0];
    assert_eq!((c.name.as_str(), c.kind), ("container-live-exec", "app"));
    assert_eq!(c.probes.len(), 1);
    c.probes[0].clone()
}

/// The file goes at 60 s; the worker ticks every 3 s from 0.033 s, so the failing attempts are
/// at 63.033, 66.033 and 69.033 s, and the third reaches failureThreshold 3.
#[test]
fn liveness_exec_counts_consecutive_failures_then_holds() {
    let p = liveness_probe_at(62_000);
    assert_eq!((p.kind, p.result), ("liveness", "success"));
    assert_eq!(p.consecutive_failures, 0);
    assert!(p.consecutive_successes >= 19, "{p:?}");
    assert_eq!((p.success_threshold, p.failure_threshold, p.period_seconds, p.initial_delay_seconds), (1, 3, 3, 1));
    assert_eq!(p.next_probe_at, Some(63_033));
    assert!(p.last_failure.is_none());

    let p = liveness_probe_at(64_000);
    assert_eq!((p.result, p.consecutive_successes, p.consecutive_failures), ("success", 0, 1));
    let f = p.last_failure.clone().expect("a failure");
    assert_eq!((f.at, f.output.as_str(), f.errored), (63_033, "", false));
    assert_eq!(p.next_probe_at, Some(66_033));

    let p = liveness_probe_at(67_000);
    assert_eq!((p.result, p.consecutive_failures), ("success", 2));

    // The third failure publishes Failure; the worker holds (and resets its run) until the
    // restarted container appears.
    let p = liveness_probe_at(70_000);
    assert_eq!((p.result, p.consecutive_failures, p.on_hold), ("failure", 0, true));
    assert_eq!(p.last_probe_at, Some(69_033));

    // After the restart (SIGKILL at 99.033 s) the new instance is probed afresh.
    let p = liveness_probe_at(110_000);
    assert_eq!((p.result, p.consecutive_failures, p.on_hold), ("success", 0, false));
}

#[test]
fn liveness_exec_state_has_the_pod_object_events_and_changes() {
    let s = state_at("liveness-exec.yaml", LIVENESS, 70_000);
    let pod = &s.pods[0];
    assert_eq!(pod.object["kind"], "Pod");
    assert_eq!(pod.object["status"]["phase"], "Running");
    assert_eq!(pod.object["metadata"]["creationTimestamp"], "2026-01-05T09:00:00Z");
    let unhealthy = s.events.iter().find(|e| e.reason == "Unhealthy").expect("Unhealthy event");
    assert_eq!((unhealthy.count, unhealthy.first_timestamp, unhealthy.last_timestamp), (3, Some(63_000), Some(69_000)));
    assert!(s.changes.iter().all(|c| c.at <= 70_000));
    assert!(s.changes.iter().any(|c| c.kind() == "probe" && c.cause.contains("failureThreshold 3")));
    assert_eq!(s.nodes.len(), 1);
    assert_eq!((s.nodes[0].name.as_str(), s.nodes[0].ready.as_str(), s.nodes[0].kubelet_reporting), ("node-1", "True", true));
}

const SERVICE_READINESS: &str = include_str!("../../../tests/scenarios/service-readiness.yaml");

#[test]
fn publish_not_ready_addresses_keeps_the_unready_pod_in_addresses() {
    let s = state_at("service-readiness.yaml", SERVICE_READINESS, 60_000);
    let web = s.services.iter().find(|x| x.name == "web").unwrap();
    assert!(web.addresses.is_empty());
    assert_eq!(web.not_ready_addresses.iter().map(|a| a.target_pod.as_str()).collect::<Vec<_>>(), ["web-0"]);
    let peers = s.services.iter().find(|x| x.name == "web-headless-peers").unwrap();
    assert!(peers.publish_not_ready_addresses);
    assert_eq!(peers.addresses.iter().map(|a| a.target_pod.as_str()).collect::<Vec<_>>(), ["web-0"]);
    assert!(peers.not_ready_addresses.is_empty());
    let readiness = &s.pods[0].containers[0].probes[0];
    assert_eq!((readiness.kind, readiness.result), ("readiness", "failure"));
    let f = readiness.last_failure.as_ref().expect("failing readiness probe");
    assert_eq!(f.output, "HTTP probe failed with statuscode: 404");
}

const NODE_DELETE: &str = include_str!("../../../tests/scenarios/node-delete.yaml");

#[test]
fn node_delete_state_drops_the_node_then_the_pod() {
    let s = state_at("node-delete.yaml", NODE_DELETE, 100_000);
    assert_eq!(s.nodes[0].ready, "Unknown");
    assert!(!s.nodes[0].kubelet_reporting);
    assert_eq!(
        s.nodes[0].taints.iter().map(|t| (t.key.as_str(), t.effect.as_str())).collect::<Vec<_>>(),
        [("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")]
    );
    let s = state_at("node-delete.yaml", NODE_DELETE, 130_000);
    assert!(s.nodes.is_empty());
    assert_eq!(s.pods.len(), 1);
    let s = state_at("node-delete.yaml", NODE_DELETE, 180_000);
    assert!(s.pods.is_empty());
    assert!(s.changes.iter().any(|c| c.object == "pod/web" && c.cause.contains("no current release sets reason NodeLost")));
}
