//! PodDisruptionBudgets as kubectl shows them: the kind's versions and validation per release,
//! the disruption controller's numbers and events, the eviction subresource's refusals, and
//! `kubectl drain` over virtual time.

use podplay_core::clock::{Millis, SECOND};
use podplay_core::Engine;

use crate::test_support::{at, engine_of, mutate};

/// Release `version`, a Deployment `web` of `replicas` nginx pods (ready 2 s after start), on
/// one node `node-1` unless `two_nodes`, and `extra` documents.
fn cluster(version: &str, replicas: i32, two_nodes: bool, extra: &str) -> String {
    let mut yaml =
        format!("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n");
    let nodes: &[&str] = if two_nodes { &["node-1", "node-2"] } else { &["node-1"] };
    for node in nodes {
        yaml.push_str(&format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: {node}\n---\n"));
    }
    yaml.push_str(&format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n        readinessProbe:\n          tcpSocket: {{port: 80}}\n          initialDelaySeconds: 2\n          periodSeconds: 1\n---\n"
    ));
    yaml.push_str(extra);
    yaml
}

fn budget(spec: &str) -> String {
    format!("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\nspec:\n  selector:\n    matchLabels: {{app: web}}\n{spec}")
}

/// The rest of a drain (or of any command), run by moving the engine's own time.
fn over_time(engine: &mut Engine, args: &str) -> crate::Output {
    let words: Vec<String> = args.split(' ').map(str::to_string).collect();
    crate::run_over_time(engine, &words, None, &mut |e, t| e.run_until(t))
}

fn diagnostics(yaml: &str) -> Vec<String> {
    engine_of(yaml).err().expect("refused").iter().map(|d| d.to_string()).collect()
}

#[test]
fn get_pdb_prints_the_numbers_the_controller_wrote() {
    let mut engine = engine_of(&cluster("1.36", 4, false, &budget("  maxUnavailable: 25%\n"))).unwrap();
    let out = at(&mut engine, 30 * SECOND, "get pdb");
    assert_eq!(out.stdout, "NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb-pdb   N/A             25%               1                     30s\n");
    let all = at(&mut engine, 30 * SECOND, "get poddisruptionbudgets -A");
    assert!(all.stdout.starts_with("NAMESPACE   NAME      MIN AVAILABLE"), "{}", all.stdout);
    let described = at(&mut engine, 30 * SECOND, "describe pdb web-pdb");
    assert!(described.stdout.contains("Max unavailable:  25%\n"), "{}", described.stdout);
    assert!(
        described.stdout.contains(
            "    Allowed disruptions:  1\n    Current:              4\n    Desired:              3\n    Total:                4\n"
        ),
        "{}",
        described.stdout
    );
}

#[test]
fn a_budget_without_pods_records_no_pods() {
    let mut engine = engine_of(&cluster("1.36", 0, false, &budget("  minAvailable: 1\n"))).unwrap();
    let out = at(&mut engine, 5 * SECOND, "describe pdb web-pdb");
    // The first sync writes the status; that write queues a second sync, which finds no pods again.
    assert!(out.stdout.contains("Normal  NoPods  5s (x2 over 5s)  controllermanager  No matching pods found\n"), "{}", out.stdout);
}

#[test]
fn policy_v1beta1_is_served_up_to_1_24_and_refused_at_its_api_version_from_1_25() {
    let doc = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: old\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: web}\n";
    assert!(engine_of(&cluster("1.24", 1, false, doc)).is_ok());
    let refused = diagnostics(&cluster("1.25", 1, false, doc));
    let line = cluster("1.25", 1, false, "").lines().count() + 1;
    assert_eq!(
        refused,
        [format!("t.yaml:{line}:13: no matches for kind \"PodDisruptionBudget\" in version \"policy/v1beta1\": use `apiVersion: policy/v1` (policy/v1beta1 is not served from 1.25)")]
    );
}

#[test]
fn validation_refuses_both_numbers_and_bad_percentages_at_their_fields() {
    let refused = diagnostics(&cluster("1.36", 1, false, &budget("  minAvailable: 1\n  maxUnavailable: 150%\n")));
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[0].contains("The PodDisruptionBudget \"web-pdb\" is invalid: spec: Invalid value: "), "{refused:?}");
    assert!(refused[0].ends_with("minAvailable and maxUnavailable cannot be both set"), "{refused:?}");
    assert!(refused[1].ends_with("spec.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%"), "{refused:?}");
    let line = cluster("1.36", 1, false, "").lines().count() + 9;
    assert!(refused[1].starts_with(&format!("t.yaml:{line}:19: ")), "{refused:?}");
}

#[test]
fn the_unhealthy_pod_eviction_policy_is_dropped_before_1_27() {
    let spec = "  maxUnavailable: 1\n  unhealthyPodEvictionPolicy: Sometimes\n";
    assert!(engine_of(&cluster("1.26", 1, false, &budget(spec))).is_ok());
    let refused = diagnostics(&cluster("1.27", 1, false, &budget(spec)));
    assert!(
        refused[0].contains(
            "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""
        ),
        "{refused:?}"
    );
}

#[test]
fn drain_waits_for_the_budget_and_retries_every_five_seconds() {
    let mut engine = engine_of(&cluster("1.36", 2, true, &budget("  minAvailable: 1\n"))).unwrap();
    engine.run_until(20 * SECOND);
    let pods = at(&mut engine, 20 * SECOND, "get pods -o wide");
    let on_node_1 = pods.stdout.lines().filter(|l| l.contains("node-1")).count();
    assert_eq!(on_node_1, 1, "one pod a node: {}", pods.stdout);
    // Cordon node-2 so that the drained pod's replacement has nowhere to go: the budget stays at 0.
    mutate(&mut engine, "cordon node-2");
    let out = over_time(&mut engine, "drain node-1 --timeout=12s");
    assert_eq!(out.exit_code, 0, "{out:?}");
    assert!(out.stdout.ends_with("evicted\nnode/node-1 drained\n"), "{out:?}");
    let out = over_time(&mut engine, "drain node-2 --timeout=12s");
    let retries = out.stderr.matches("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n").count();
    assert_eq!(retries, 3, "{out:?}");
    assert!(out.stderr.contains("global timeout reached: 12s"), "{out:?}");
    assert_eq!(out.exit_code, 1);
}

#[test]
fn drain_with_disable_eviction_deletes_past_the_budget() {
    let mut engine = engine_of(&cluster("1.36", 1, false, &budget("  minAvailable: 1\n"))).unwrap();
    engine.run_until(20 * SECOND);
    let out = over_time(&mut engine, "drain node-1 --disable-eviction --grace-period=0");
    assert!(out.stdout.starts_with("node/node-1 cordoned\npod/web-"), "{out:?}");
    assert!(out.stdout.ends_with(" deleted\nnode/node-1 drained\n"), "{out:?}");
    assert_eq!(out.stderr, "");
}

#[test]
fn drain_takes_only_the_pods_its_selector_matches() {
    let bare = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\n  labels: {app: other}\nspec:\n  containers:\n  - {name: c, image: nginx:1.25}\n";
    let mut engine = engine_of(&cluster("1.36", 1, false, bare)).unwrap();
    engine.run_until(20 * SECOND);
    let out = over_time(&mut engine, "drain node-1 --pod-selector=app=web");
    assert!(out.stdout.starts_with("node/node-1 cordoned\nevicting pod default/web-"), "{out:?}");
    assert!(engine.pod("default", "lone").is_some(), "the bare pod stays");
}

#[test]
fn a_daemon_sets_pods_under_a_percentage_fail_the_sync_safely() {
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      - {name: c, image: nginx:1.25}\n---\n";
    let pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: agent-pdb\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: agent}\n";
    let mut engine = engine_of(&cluster("1.36", 0, false, &format!("{ds}{pdb}"))).unwrap();
    let out = at(&mut engine, 10 * SECOND, "describe pdb agent-pdb");
    assert!(out.stdout.contains("Warning  CalculateExpectedPodCountFailed"), "{}", out.stdout);
    assert!(
        out.stdout.contains("Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource"),
        "{}",
        out.stdout
    );
    let record = engine.pdb_records().iter().find(|r| r.name() == "agent-pdb").unwrap();
    let condition = &record.status.conditions[0];
    assert_eq!((condition.status.as_str(), condition.reason.as_str()), ("False", "SyncFailed"));
}

/// Bare pods under a percentage: left out of the expected count, and from 1.27 said so.
fn unmanaged_events(version: &str) -> usize {
    let bare = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\n  labels: {app: web}\nspec:\n  containers:\n  - {name: c, image: nginx:1.25}\n---\n";
    let mut engine = engine_of(&cluster(version, 0, false, &format!("{bare}{}", budget("  minAvailable: 50%\n")))).unwrap();
    engine.run_until(10 * SECOND);
    engine.events().iter().filter(|e| e.reason == "UnmanagedPods").count()
}

#[test]
fn unmanaged_pods_are_reported_from_1_27() {
    assert_eq!(unmanaged_events("1.26"), 0);
    assert!(unmanaged_events("1.27") > 0);
}

#[test]
fn drain_words_a_refused_node_as_each_release_does() {
    let bare = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\nspec:\n  containers:\n  - {name: c, image: nginx:1.25}\n";
    let refusal = |version: &str| {
        let mut engine = engine_of(&cluster(version, 0, false, bare)).unwrap();
        engine.run_until(10 as Millis * SECOND);
        over_time(&mut engine, "drain node-1").stderr
    };
    let old = refusal("1.22");
    assert!(old.starts_with("DEPRECATED WARNING: Aborting the drain command"), "{old}");
    assert!(old.ends_with("There are pending nodes to be drained:\n node-1\nerror: cannot delete Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet (use --force to override): default/lone\n"), "{old}");
    let middle = refusal("1.30");
    assert!(
        middle
            .starts_with("error: unable to drain node \"node-1\" due to error:cannot delete cannot delete Pods that declare no controller"),
        "{middle}"
    );
    let new = refusal("1.36");
    assert!(new.starts_with("error: unable to drain node \"node-1\" due to error: cannot delete Pods that declare no controller (use --force to override): default/lone, continuing command...\n"), "{new}");
}

#[test]
fn create_pdb_makes_the_budget_its_flags_describe() {
    let mut engine = engine_of(&cluster("1.36", 2, false, "")).unwrap();
    let made = mutate(&mut engine, "create pdb web-pdb --selector=app=web --min-available=50%");
    assert_eq!(made.stdout, "poddisruptionbudget.policy/web-pdb created\n");
    let out = at(&mut engine, 20 * SECOND, "get pdb");
    assert!(out.stdout.ends_with("web-pdb   50%             N/A               1                     20s\n"), "{}", out.stdout);
    let again = mutate(&mut engine, "create poddisruptionbudget web-pdb --selector=app=web --max-unavailable=1");
    assert_eq!(again.stderr, "error: failed to create poddisruptionbudgets: poddisruptionbudgets.policy \"web-pdb\" already exists\n");
    for (args, error) in [
        ("create pdb x --min-available=1", "error: a selector must be specified\n"),
        ("create pdb x --selector=a=b", "error: one of min-available or max-unavailable must be specified\n"),
        (
            "create pdb x --selector=a=b --min-available=1 --max-unavailable=1",
            "error: min-available and max-unavailable cannot be both specified\n",
        ),
        ("create pdb x --selector=a=b --min-available=10Gb", "error: invalid format specified for min-available\n"),
        ("create pdb x --selector=a!=b --min-available=1", "error: \"!=\" is not a valid label selector operator\n"),
    ] {
        assert_eq!(mutate(&mut engine, args).stderr, error, "{args}");
    }
}

#[test]
fn get_pdb_yaml_is_the_policy_v1_object_with_its_status() {
    let mut engine = engine_of(&cluster("1.36", 2, false, &budget("  minAvailable: 1\n"))).unwrap();
    let out = at(&mut engine, 30 * SECOND, "get pdb web-pdb -o yaml");
    assert!(out.stdout.starts_with("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n"), "{}", out.stdout);
    assert!(out.stdout.contains("  generation: 1\n  name: web-pdb\n  namespace: default\n  resourceVersion: \""), "{}", out.stdout);
    assert!(out.stdout.contains("spec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n"), "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "    message: \"\"\n    observedGeneration: 1\n    reason: SufficientPods\n    status: \"True\"\n    type: DisruptionAllowed\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("  currentHealthy: 2\n  desiredHealthy: 1\n  disruptionsAllowed: 1\n  expectedPods: 2\n  observedGeneration: 1\n"),
        "{}",
        out.stdout
    );
    let missing = at(&mut engine, 30 * SECOND, "get pdb nope -o yaml");
    assert_eq!(
        (missing.stdout.as_str(), missing.stderr.as_str()),
        ("", "Error from server (NotFound): poddisruptionbudgets.policy \"nope\" not found\n")
    );
}

#[test]
fn drain_takes_delete_local_data_up_to_1_30_with_its_deprecation() {
    let run = |version: &str| {
        let mut engine = engine_of(&cluster(version, 0, false, "")).unwrap();
        over_time(&mut engine, "drain node-1 --delete-local-data")
    };
    let old = run("1.30");
    assert_eq!(
        old.stderr,
        "Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n"
    );
    assert_eq!(old.stdout, "node/node-1 cordoned\nnode/node-1 drained\n");
    assert_eq!(run("1.31").stderr, "error: unknown flag: --delete-local-data\nSee 'kubectl drain --help' for usage.\n");
}

#[test]
fn get_pdb_sorts_by_a_field_as_for_every_kind() {
    let second = "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: a-pdb\nspec:\n  selector:\n    matchLabels: {app: web}\n  minAvailable: 3\n";
    let yaml = cluster("1.36", 4, false, &format!("{}{second}", budget("  minAvailable: 1\n")));
    let mut engine = engine_of(&yaml).unwrap();
    let names = |out: crate::Output| out.stdout.lines().skip(1).map(|l| l.split(' ').next().unwrap().to_string()).collect::<Vec<_>>();
    // By name (the default order), and by the disruptions each allows: a-pdb 1, web-pdb 3.
    assert_eq!(names(at(&mut engine, 30 * SECOND, "get pdb")), ["a-pdb", "web-pdb"]);
    assert_eq!(names(at(&mut engine, 30 * SECOND, "get pdb --sort-by=.status.disruptionsAllowed")), ["a-pdb", "web-pdb"]);
    assert_eq!(names(at(&mut engine, 30 * SECOND, "get pdb --sort-by=.spec.minAvailable")), ["web-pdb", "a-pdb"]);
    let bad = at(&mut engine, 30 * SECOND, "get pdb --sort-by=.spec.nothing");
    assert!(bad.stderr.contains("couldn't find any field with path \"{.spec.nothing}\" in the list of objects"), "{}", bad.stderr);
}
