//! DaemonSets end to end, as kubectl shows them: the cases of `test/e2e/apps/daemon_set.go`
//! that podplay can express, under their names, and the controller's rules around nodes.

use podplay_core::clock::{Millis, SECOND};

use crate::test_support::{at, engine_of, mutate};

/// Nodes `node-1` and `node-2` (and a control-plane node tainted NoSchedule when `control`),
/// and a DaemonSet `daemon-set` of nginx pods ready 2 s after they start, in `version`;
/// `spec` and `pod` are extra lines of the set's and of the template's spec.
fn cluster(version: &str, control: bool, spec: &str, pod: &str) -> String {
    let mut yaml =
        format!("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n");
    if control {
        yaml.push_str(
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: control-plane\n  labels: {node-role.kubernetes.io/control-plane: \"\"}\n\
             spec:\n  taints:\n  - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}\n---\n",
        );
    }
    for node in ["node-1", "node-2"] {
        yaml.push_str(&format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: {node}\n---\n"));
    }
    yaml.push_str(&format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: daemon-set\nspec:\n{spec}  selector:\n    matchLabels:\n      \
         daemonset-name: daemon-set\n  template:\n    metadata:\n      labels:\n        daemonset-name: daemon-set\n    spec:\n{pod}      \
         containers:\n      - name: app\n        image: nginx:1.25\n        readinessProbe:\n          tcpSocket:\n            port: 80\n          \
         initialDelaySeconds: 2\n          periodSeconds: 1\n"
    ));
    yaml
}

/// (pod, node) of every pod `get pods -o wide` lists.
fn pods_on_nodes(out: &crate::Output) -> Vec<(String, String)> {
    out.stdout
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            (cells[0].to_string(), cells[6].to_string())
        })
        .collect()
}

fn nodes_of(out: &crate::Output) -> Vec<String> {
    let mut nodes: Vec<String> = pods_on_nodes(out).into_iter().map(|(_, n)| n).collect();
    nodes.sort();
    nodes
}

/// The DaemonSet's row of `get ds` (DESIRED CURRENT READY UP-TO-DATE AVAILABLE).
fn counts(engine: &mut podplay_core::Engine, t: Millis) -> String {
    let out = at(engine, t, "get ds daemon-set --no-headers");
    out.stdout.split_whitespace().skip(1).take(5).collect::<Vec<_>>().join(" ")
}

#[test]
fn should_run_and_stop_simple_daemon() {
    let mut engine = engine_of(&cluster("1.30", false, "", "")).unwrap();
    let pods = at(&mut engine, 10 * SECOND, "get pods -o wide");
    assert_eq!(nodes_of(&pods), ["node-1", "node-2"], "{}", pods.stdout);
    assert_eq!(counts(&mut engine, 10 * SECOND), "2 2 2 2 2");
    assert!(pods_on_nodes(&pods).iter().all(|(p, _)| p.starts_with("daemon-set-") && p.len() == "daemon-set-".len() + 5));
    // Stop a daemon pod, check that the daemon pod is revived.
    let (victim, node) = pods_on_nodes(&pods)[0].clone();
    assert_eq!(mutate(&mut engine, &format!("delete pod {victim}")).stdout, format!("pod \"{victim}\" deleted\n"));
    let pods = at(&mut engine, 60 * SECOND, "get pods -o wide");
    assert_eq!(nodes_of(&pods), ["node-1", "node-2"], "{}", pods.stdout);
    assert!(pods_on_nodes(&pods).iter().any(|(p, n)| *n == node && *p != victim), "{}", pods.stdout);
    let events = at(&mut engine, 60 * SECOND, "get events --field-selector involvedObject.kind=DaemonSet");
    assert_eq!(events.stdout.matches("SuccessfulCreate").count(), 3, "{}", events.stdout);
    assert!(events.stdout.contains("daemonset/daemon-set") && events.stdout.contains("Created pod: daemon-set-"), "{}", events.stdout);
    // Deleting the DaemonSet deletes its pods (background propagation).
    assert_eq!(mutate(&mut engine, "delete ds daemon-set").stdout, "daemonset.apps \"daemon-set\" deleted\n");
    assert_eq!(at(&mut engine, 120 * SECOND, "get pods").stderr, "No resources found in default namespace.\n");
}

#[test]
fn should_run_and_stop_complex_daemon() {
    let mut engine = engine_of(&cluster("1.30", false, "", "      nodeSelector:\n        color: blue\n")).unwrap();
    assert_eq!(at(&mut engine, 10 * SECOND, "get pods").stderr, "No resources found in default namespace.\n");
    assert_eq!(counts(&mut engine, 10 * SECOND), "0 0 0 0 0");
    // Change the label of a node to blue: a daemon pod is launched there.
    mutate(&mut engine, "label node node-1 color=blue");
    let pods = at(&mut engine, 20 * SECOND, "get pods -o wide");
    assert_eq!(nodes_of(&pods), ["node-1"], "{}", pods.stdout);
    let ds = at(&mut engine, 20 * SECOND, "get ds");
    assert!(ds.stdout.contains("color=blue"), "NODE SELECTOR: {}", ds.stdout);
    // Change the node label to green: the daemon pod is unscheduled.
    mutate(&mut engine, "label node node-1 color=green --overwrite");
    let events = at(&mut engine, 60 * SECOND, "get events --field-selector reason=SuccessfulDelete");
    assert!(events.stdout.contains("Deleted pod: daemon-set-"), "{}", events.stdout);
    assert_eq!(at(&mut engine, 60 * SECOND, "get pods").stderr, "No resources found in default namespace.\n");
}

#[test]
fn should_run_and_stop_complex_daemon_with_node_affinity() {
    let affinity = "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            \
                    nodeSelectorTerms:\n            - matchExpressions:\n              - {key: color, operator: In, values: [blue]}\n";
    let mut engine = engine_of(&cluster("1.30", false, "", affinity)).unwrap();
    assert_eq!(at(&mut engine, 10 * SECOND, "get pods").stderr, "No resources found in default namespace.\n");
    mutate(&mut engine, "label node node-2 color=blue");
    let pods = at(&mut engine, 20 * SECOND, "get pods -o wide");
    assert_eq!(nodes_of(&pods), ["node-2"], "{}", pods.stdout);
    // The pod's own required affinity is the controller's pin, not the template's terms.
    let pod = &pods_on_nodes(&pods)[0].0;
    let yaml = at(&mut engine, 20 * SECOND, &format!("get pod {pod} -o yaml"));
    assert!(
        yaml.stdout
            .contains("matchFields:\n          - key: metadata.name\n            operator: In\n            values:\n            - node-2"),
        "{}",
        yaml.stdout
    );
    mutate(&mut engine, "label node node-2 color=green --overwrite");
    assert_eq!(at(&mut engine, 60 * SECOND, "get pods").stderr, "No resources found in default namespace.\n");
}

#[test]
fn should_not_update_pod_when_spec_was_updated_and_update_strategy_is_on_delete() {
    let mut engine = engine_of(&cluster("1.30", false, "  updateStrategy:\n    type: OnDelete\n", "")).unwrap();
    let before = at(&mut engine, 10 * SECOND, "get pods -o wide");
    assert_eq!(mutate(&mut engine, "set image ds/daemon-set app=nginx:1.27").stdout, "daemonset.apps/daemon-set image updated\n");
    let after = at(&mut engine, 120 * SECOND, "get pods -o wide");
    assert_eq!(pods_on_nodes(&before), pods_on_nodes(&after));
    assert_eq!(counts(&mut engine, 120 * SECOND), "2 2 2 0 2");
    let status = at(&mut engine, 120 * SECOND, "rollout status ds/daemon-set");
    assert_eq!(status.stderr, "error: rollout status is only available for RollingUpdate strategy type\n");
    // A deleted pod comes back from the new template.
    let victim = pods_on_nodes(&after)[0].0.clone();
    mutate(&mut engine, &format!("delete pod {victim}"));
    assert_eq!(counts(&mut engine, 180 * SECOND), "2 2 2 1 2");
}

#[test]
fn should_update_pod_when_spec_was_updated_and_update_strategy_is_rolling_update() {
    let mut engine = engine_of(&cluster("1.30", false, "", "")).unwrap();
    let before = at(&mut engine, 10 * SECOND, "get pods -o wide");
    mutate(&mut engine, "set image daemonset/daemon-set app=nginx:1.27");
    // maxUnavailable 1: one node's pod at a time.
    let during = at(&mut engine, 10 * SECOND + 1, "get pods -o wide");
    assert_eq!(during.stdout.matches("Terminating").count(), 1, "{}", during.stdout);
    let args = ["rollout", "status", "ds/daemon-set"].map(String::from);
    let watched = crate::rollout(&mut engine, &args, &mut |e: &mut podplay_core::Engine, t| e.run_until(t));
    assert!(
        watched.stdout.starts_with("Waiting for daemon set \"daemon-set\" rollout to finish: 0 out of 2 new pods have been updated...\n"),
        "{}",
        watched.stdout
    );
    assert!(watched.stdout.ends_with("daemon set \"daemon-set\" successfully rolled out\n"), "{}", watched.stdout);
    let now = engine.now();
    let after = at(&mut engine, now, "get pods -o wide");
    assert_eq!(nodes_of(&after), ["node-1", "node-2"]);
    assert!(pods_on_nodes(&after).iter().all(|p| !pods_on_nodes(&before).contains(p)), "{}", after.stdout);
    let described = at(&mut engine, now, "describe ds daemon-set");
    assert!(described.stdout.contains("Annotations:    deprecated.daemonset.template.generation: 2\n"), "{}", described.stdout);
    assert!(described.stdout.contains("Number of Nodes Scheduled with Up-to-date Pods: 2\n"), "{}", described.stdout);
    let labels = at(&mut engine, now, "get pods --show-labels");
    assert_eq!(labels.stdout.matches("pod-template-generation=2").count(), 2, "{}", labels.stdout);
}

#[test]
fn should_surge_pods_onto_nodes_when_spec_was_updated_and_update_strategy_is_rolling_update() {
    let strategy = "  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n";
    let mut engine = engine_of(&cluster("1.30", false, strategy, "")).unwrap();
    at(&mut engine, 10 * SECOND, "get pods");
    mutate(&mut engine, "set image ds/daemon-set app=nginx:1.27");
    // A new pod starts beside an old one; the old one goes once the new one is available.
    let during = at(&mut engine, 10 * SECOND + 1, "get pods -o wide");
    assert_eq!(pods_on_nodes(&during).len(), 3, "{}", during.stdout);
    assert!(!during.stdout.contains("Terminating"), "{}", during.stdout);
    let after = at(&mut engine, 120 * SECOND, "get pods -o wide");
    assert_eq!(nodes_of(&after), ["node-1", "node-2"], "{}", after.stdout);
    assert_eq!(counts(&mut engine, 120 * SECOND), "2 2 2 2 2");
}

#[test]
fn a_tainted_node_gets_no_pod_unless_tolerated_and_the_pods_get_the_daemon_tolerations() {
    let mut engine = engine_of(&cluster("1.30", true, "", "")).unwrap();
    let pods = at(&mut engine, 10 * SECOND, "get pods -o wide");
    assert_eq!(nodes_of(&pods), ["node-1", "node-2"], "{}", pods.stdout);
    let pod = &pods_on_nodes(&pods)[0].0;
    let described = at(&mut engine, 10 * SECOND, &format!("describe pod {pod}"));
    let expected = "Tolerations:                 node.kubernetes.io/disk-pressure:NoSchedule op=Exists\n\
                    \x20                            node.kubernetes.io/memory-pressure:NoSchedule op=Exists\n\
                    \x20                            node.kubernetes.io/not-ready:NoExecute op=Exists\n\
                    \x20                            node.kubernetes.io/pid-pressure:NoSchedule op=Exists\n\
                    \x20                            node.kubernetes.io/unreachable:NoExecute op=Exists\n\
                    \x20                            node.kubernetes.io/unschedulable:NoSchedule op=Exists\n";
    assert!(described.stdout.contains(expected), "{}", described.stdout);
    assert!(described.stdout.contains("Controlled By:  DaemonSet/daemon-set\n"), "{}", described.stdout);
    let toleration = "      tolerations:\n      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}\n";
    let mut engine = engine_of(&cluster("1.30", true, "", toleration)).unwrap();
    let pods = at(&mut engine, 10 * SECOND, "get pods -o wide");
    assert_eq!(nodes_of(&pods), ["control-plane", "node-1", "node-2"], "{}", pods.stdout);
}

#[test]
fn a_lost_node_keeps_its_pod_but_no_longer_counts_and_a_new_node_gets_one() {
    let mut engine = engine_of(&cluster("1.30", false, "", "")).unwrap();
    assert_eq!(counts(&mut engine, 10 * SECOND), "2 2 2 2 2");
    let words = ["podplay", "node", "disconnect", "node-1"].map(String::from);
    assert_eq!(crate::mutate::run_line(&mut engine, &words, None).stdout, "node/node-1 disconnected\n");
    // Tainted unreachable (NoSchedule and NoExecute): the pod tolerates NoExecute and stays,
    // but a new pod could not go there, so the node is not desired and its pod is misscheduled.
    assert_eq!(counts(&mut engine, 200 * SECOND), "1 1 1 1 1");
    let described = at(&mut engine, 200 * SECOND, "describe ds daemon-set");
    assert!(described.stdout.contains("Number of Nodes Misscheduled: 1\n"), "{}", described.stdout);
    assert_eq!(at(&mut engine, 800 * SECOND, "get pods").stdout.matches("Running").count(), 2);
    let node = "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-3\n";
    let out = crate::mutate::run_mutation(&mut engine, &["apply", "-f", "-"], Some(node));
    assert_eq!(out.stdout, "node/node-3 created\n");
    assert_eq!(counts(&mut engine, 820 * SECOND), "2 2 2 2 2");
}

#[test]
fn the_api_server_refuses_a_selector_that_does_not_match_and_a_bad_strategy() {
    let bad = cluster("1.30", false, "", "").replace("        daemonset-name: daemon-set\n    spec:", "        app: other\n    spec:");
    let errors = engine_of(&bad).err().expect("refused");
    let text = errors.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("\n");
    assert!(
        text.contains("The DaemonSet \"daemon-set\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`"),
        "{text}"
    );
    let both = "  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1\n";
    let errors = engine_of(&cluster("1.30", false, both, "")).err().expect("refused");
    let text = errors.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("\n");
    assert!(
        text.contains("spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"),
        "{text}"
    );
    let kind = "  updateStrategy:\n    type: Sometimes\n";
    let errors = engine_of(&cluster("1.30", false, kind, "")).err().expect("refused");
    let text = errors.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("\n");
    assert!(
        text.contains("spec.updateStrategy: Unsupported value: \"Sometimes\": supported values: \"OnDelete\", \"RollingUpdate\""),
        "{text}"
    );
}

#[test]
fn describe_prints_the_namespace_from_kubectl_1_33_and_get_all_lists_daemonsets() {
    for (version, has) in [("1.32", false), ("1.33", true)] {
        let mut engine = engine_of(&cluster(version, false, "", "")).unwrap();
        let described = at(&mut engine, 10 * SECOND, "describe ds daemon-set");
        assert_eq!(described.stdout.contains("\nNamespace:      default\n"), has, "{version}: {}", described.stdout);
    }
    let mut engine = engine_of(&cluster("1.30", false, "", "")).unwrap();
    let all = at(&mut engine, 10 * SECOND, "get all");
    assert!(
        all.stdout.contains("daemonset.apps/daemon-set   2         2         2       2            2           <none>          10s\n"),
        "{}",
        all.stdout
    );
    let scale = mutate(&mut engine, "scale ds/daemon-set --replicas=3");
    assert_eq!(scale.exit_code, 1, "{scale:?}");
}

#[test]
fn drain_refuses_daemon_set_pods_unless_ignored_and_then_leaves_them() {
    let mut engine = engine_of(&cluster("1.30", false, "", "")).unwrap();
    let pods = at(&mut engine, 10 * SECOND, "get pods -o wide");
    let pod = pods_on_nodes(&pods).into_iter().find(|(_, n)| n == "node-1").unwrap().0;
    let refused = mutate(&mut engine, "drain node-1");
    let error = format!("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/{pod}");
    // kubectl 1.30: no space after `error:`; CheckErr prints the node's aggregate as it is.
    assert_eq!(
        refused.stderr,
        format!("error: unable to drain node \"node-1\" due to error:{error}, continuing command...\nThere are pending nodes to be drained:\n node-1\n{error}\n")
    );
    let drained = mutate(&mut engine, "drain node-1 --ignore-daemonsets");
    assert_eq!(drained.stderr, format!("Warning: ignoring DaemonSet-managed Pods: default/{pod}\n"));
    assert_eq!(drained.stdout, "node/node-1 already cordoned\nnode/node-1 drained\n");
    // The pod tolerates node.kubernetes.io/unschedulable: it stays on the cordoned node.
    assert_eq!(counts(&mut engine, 60 * SECOND), "2 2 2 2 2");
}

#[test]
fn a_reconnected_node_counts_again_and_a_deleted_nodes_pod_goes_with_the_pod_garbage_collector() {
    let mut engine = engine_of(&cluster("1.30", false, "", "")).unwrap();
    assert_eq!(counts(&mut engine, 10 * SECOND), "2 2 2 2 2");
    let line = |verb: &str| ["podplay", "node", verb, "node-1"].map(String::from);
    crate::mutate::run_line(&mut engine, &line("disconnect"), None);
    assert_eq!(counts(&mut engine, 200 * SECOND), "1 1 1 1 1");
    crate::mutate::run_line(&mut engine, &line("reconnect"), None);
    // The unreachable taints go: the node and its pod (ready again at the kubelet's next sync) count.
    assert_eq!(counts(&mut engine, 230 * SECOND), "2 2 2 2 2");
    assert_eq!(mutate(&mut engine, "delete node node-2").stdout, "node \"node-2\" deleted\n");
    // No handler for a deleted node: the set notices when the pod garbage collector deletes
    // the pod bound to it, and creates none (the node is gone).
    assert_eq!(counts(&mut engine, 400 * SECOND), "1 1 1 1 1");
    let pods = at(&mut engine, 400 * SECOND, "get pods -o wide");
    assert_eq!(nodes_of(&pods), ["node-1"], "{}", pods.stdout);
}

#[test]
fn drain_takes_the_orphans_of_a_daemon_set_deleted_with_cascade_orphan_as_pods_without_a_controller() {
    let mut engine = engine_of(&cluster("1.36", false, "", "")).unwrap();
    let pods = at(&mut engine, 10 * SECOND, "get pods -o wide");
    let pod = pods_on_nodes(&pods).into_iter().find(|(_, n)| n == "node-1").unwrap().0;
    assert_eq!(mutate(&mut engine, "delete ds daemon-set --cascade=orphan").exit_code, 0);
    // The owner reference is gone with the orphaning: the pod declares no controller.
    let refused = mutate(&mut engine, "drain node-1 --ignore-daemonsets");
    let error = format!("cannot delete Pods that declare no controller (use --force to override): default/{pod}");
    assert!(
        refused.stderr.starts_with(&format!("error: unable to drain node \"node-1\" due to error: {error}, continuing command...\n")),
        "{refused:?}"
    );
    let words: Vec<String> = "drain node-1 --force".split(' ').map(str::to_string).collect();
    let forced = crate::run_over_time(&mut engine, &words, None, &mut |e, t| e.run_until(t));
    assert!(forced.stderr.starts_with(&format!("Warning: deleting Pods that declare no controller: default/{pod}\n")), "{forced:?}");
    assert!(forced.stdout.ends_with(&format!("pod/{pod} evicted\nnode/node-1 drained\n")), "{forced:?}");
}
