//! Kubernetes' own DisruptionController e2e tests (`test/e2e/apps/disruption.go`), ported: the
//! same names and assertions, the e2e's polls (`framework.Poll` within `schedulingTimeout`,
//! 10 minutes) as runs of virtual time. The tests call the eviction subresource themselves
//! (`EvictV1`), which no kubectl command does alone, so they drive an engine (the kubectl
//! crate's, as a session builds it) rather than a session. `imageutils.GetPauseImageName()` is
//! the catalog's `registry.k8s.io/pause:3.9`; the webserver image is `httpd:2.4`. Not ported,
//! with the reason, in docs/conformance.md.

use podplay_core::clock::{Millis, MINUTE, SECOND};
use podplay_core::engine::PdbRecord;
use podplay_core::{load, Engine, OpError, SourceFile};

/// `framework.Poll`.
const POLL: Millis = 2 * SECOND;
/// `schedulingTimeout`.
const SCHEDULING_TIMEOUT: Millis = 10 * MINUTE;
const DEFAULT_NAME: &str = "foo";

fn engine_of(text: &str) -> Engine {
    let m = load(&[SourceFile { name: "e2e.yaml".into(), text: text.into() }]).expect("valid yaml");
    podplay_kubectl::new_engine(&m).expect("the objects are created")
}

/// `wait.PollUntilContextTimeout(ctx, framework.Poll, timeout, true, ...)` over virtual time.
fn poll_until(e: &mut Engine, timeout: Millis, mut done: impl FnMut(&mut Engine) -> bool) -> bool {
    let start = e.now();
    let mut t = start;
    while t <= start + timeout {
        e.run_until(t);
        if done(e) {
            return true;
        }
        t += POLL;
    }
    false
}

/// `createPDBMinAvailableOrDie` / `createPDBMaxUnavailableOrDie`: selector `foo: bar`.
fn pdb(min_available: Option<&str>, max_unavailable: Option<&str>, policy: Option<&str>) -> String {
    let mut spec = String::from("  selector:\n    matchLabels: {foo: bar}\n");
    for (field, value) in [("minAvailable", min_available), ("maxUnavailable", max_unavailable), ("unhealthyPodEvictionPolicy", policy)] {
        if let Some(v) = value {
            spec.push_str(&format!("  {field}: {v}\n"));
        }
    }
    format!("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: {DEFAULT_NAME}\nspec:\n{spec}---\n")
}

/// `createPodsOrDie`: bare pause pods `pod-0..n` labelled `foo: bar`.
fn pods(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i}\n  labels: {{foo: bar}}\nspec:\n  containers:\n  - name: donothing\n    image: registry.k8s.io/pause:3.9\n---\n")
        })
        .collect()
}

/// `createReplicaSetOrDie` (not exclusive: no host port).
fn replica_set(size: i32) -> String {
    format!("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: rs\nspec:\n  replicas: {size}\n  selector:\n    matchLabels: {{foo: bar}}\n  template:\n    metadata:\n      labels: {{foo: bar}}\n    spec:\n      containers:\n      - name: donothing\n        image: registry.k8s.io/pause:3.9\n---\n")
}

fn get_pdb(e: &Engine) -> &PdbRecord {
    e.pdb_records().iter().find(|r| !r.removed && r.name() == DEFAULT_NAME).expect("the pdb exists")
}

/// The pods of the namespace, in the API's list order (by name).
fn pod_names(e: &Engine) -> Vec<String> {
    let mut names: Vec<String> = e.pod_records().iter().filter(|r| !r.removed).map(|r| r.name().to_string()).collect();
    names.sort();
    names
}

fn ready_and_not_deleting(e: &Engine, name: &str) -> bool {
    e.pod("default", name).is_some_and(|p| p.metadata.deletion.is_none() && p.status.condition("Ready").is_some_and(|c| c.status == "True"))
}

/// `waitForPodsOrDie`: at least `n` pods labelled `foo=bar`, `n` of them Ready.
fn wait_for_pods_or_die(e: &mut Engine, n: usize) {
    let done = poll_until(e, SCHEDULING_TIMEOUT, |e| pod_names(e).iter().filter(|p| ready_and_not_deleting(e, p)).count() >= n);
    assert!(done, "Waiting for pods in namespace to be ready");
}

/// `locateRunningPod`: the first Ready pod not being deleted.
fn locate_running_pod(e: &mut Engine) -> String {
    let mut found = None;
    poll_until(e, SCHEDULING_TIMEOUT, |e| {
        found = pod_names(e).into_iter().find(|p| ready_and_not_deleting(e, p));
        found.is_some()
    });
    found.expect("a running pod")
}

/// `waitForPdbToObserveHealthyPods`.
fn wait_for_pdb_to_observe_healthy_pods(e: &mut Engine, healthy: i32, desired: i32) {
    let done = poll_until(e, 30 * SECOND, |e| {
        let s = &get_pdb(e).status;
        s.current_healthy == healthy && s.desired_healthy == desired
    });
    assert!(done, "Waiting for the pdb to observed {healthy} healthy pods");
}

/// `apierrors.HasStatusCause(err, policyv1.DisruptionBudgetCause)`: the eviction
/// subresource's 429s carry that cause.
fn has_disruption_budget_cause(err: &OpError) -> bool {
    matches!(err, OpError::Status { reason: "TooManyRequests", .. })
}

#[test]
fn should_observe_pod_disruption_budget_status_updated() {
    let mut e = engine_of(&(pdb(Some("1"), None, None) + &pods(3)));
    wait_for_pods_or_die(&mut e, 3);
    // Since disruptionAllowed starts out 0, if we see it ever become positive, the controller works.
    assert!(poll_until(&mut e, SCHEDULING_TIMEOUT, |e| get_pdb(e).status.disruptions_allowed > 0));
}

#[test]
fn should_observe_that_the_pod_disruption_budget_status_is_not_updated_for_unmanaged_pods() {
    let mut e = engine_of(&(pdb(Some("1"), None, None) + &pods(3)));
    wait_for_pods_or_die(&mut e, 3);
    // `gomega.Consistently` for a minute, every second: never SyncFailed for a missing controller.
    let start = e.now();
    for t in (start..=start + MINUTE).step_by(SECOND as usize) {
        e.run_until(t);
        let erroring = get_pdb(&e)
            .status
            .conditions
            .iter()
            .any(|c| c.reason.contains("SyncFailed") && c.message.contains("found no controller ref for pod"));
        assert!(!erroring, "pod shouldn't error for unmanaged pod");
    }
}

/// One of `evictionCases`: pods, a ReplicaSet, a budget, then an eviction of a running pod.
fn eviction_case(min_available: Option<&str>, max_unavailable: Option<&str>, pod_count: usize, rs_size: i32, should_deny: bool) {
    let mut text = pods(pod_count);
    if rs_size > 0 {
        text += &replica_set(rs_size);
    }
    if min_available.is_some() || max_unavailable.is_some() {
        text += &pdb(min_available, max_unavailable, None);
    }
    let mut e = engine_of(&text);
    let pod = locate_running_pod(&mut e);
    if should_deny {
        let err = e.evict_pod("default", &pod, None).expect_err("pod eviction should fail with DisruptionBudget cause");
        assert!(has_disruption_budget_cause(&err), "{err:?}");
    } else {
        wait_for_pods_or_die(&mut e, pod_count + rs_size as usize);
        // Since disruptionAllowed starts out false, if an eviction is ever allowed, the controller works.
        assert!(poll_until(&mut e, SCHEDULING_TIMEOUT, |e| e.evict_pod("default", &pod, None).is_ok()));
    }
}

#[test]
fn evictions_no_pdb_should_allow_an_eviction() {
    eviction_case(None, None, 1, 0, false);
}

#[test]
fn evictions_too_few_pods_absolute_should_not_allow_an_eviction() {
    eviction_case(Some("2"), None, 2, 0, true);
}

#[test]
fn evictions_enough_pods_absolute_should_allow_an_eviction() {
    eviction_case(Some("2"), None, 3, 0, false);
}

#[test]
fn evictions_enough_pods_replica_set_percentage_should_allow_an_eviction() {
    eviction_case(Some("\"90%\""), None, 0, 10, false);
}

#[test]
fn evictions_max_unavailable_allow_single_eviction_percentage_should_allow_an_eviction() {
    eviction_case(None, Some("\"10%\""), 0, 10, false);
}

/// One of `unhealthyPodEvictionPolicyCases`: three webserver pods whose readiness probe starts
/// after 20 s (or after `PodStartTimeout` + 30 s), a `maxUnavailable: 1` budget, then an
/// eviction of every pod in turn.
fn unhealthy_pod_eviction_policy_case(policy: Option<&str>, ready_first: bool, expected_evictions: usize) {
    let initial_delay = if ready_first { 20 } else { 5 * 60 + 30 };
    let rs = format!("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: test-rs-with-delayed-ready\n  labels: {{name: test-rs-with-delayed-ready}}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {{foo: bar}}\n  template:\n    metadata:\n      labels: {{foo: bar}}\n    spec:\n      containers:\n      - name: webserver\n        image: httpd:2.4\n        readinessProbe:\n          httpGet: {{path: /index.html, port: 80}}\n          initialDelaySeconds: {initial_delay}\n---\n");
    let mut e = engine_of(&(pdb(None, Some("1"), policy) + &rs));
    if ready_first {
        wait_for_pods_or_die(&mut e, 3);
        wait_for_pdb_to_observe_healthy_pods(&mut e, 3, 2);
    } else {
        let running = poll_until(&mut e, SCHEDULING_TIMEOUT, |e| {
            pod_names(e).iter().filter(|p| e.pod("default", p).is_some_and(|p| p.status.phase == "Running")).count() == 3
        });
        assert!(running, "pods running");
        wait_for_pdb_to_observe_healthy_pods(&mut e, 0, 2);
    }
    let evicted: Vec<String> = pod_names(&e).into_iter().filter(|p| e.evict_pod("default", p, None).is_ok()).collect();
    assert_eq!(evicted.len(), expected_evictions, "{evicted:?}");
    let deleted =
        poll_until(&mut e, 5 * MINUTE, |e| evicted.iter().all(|p| e.pod("default", p).is_none_or(|p| p.metadata.deletion.is_some())));
    assert!(deleted, "evicted pods should be deleted");
}

#[test]
fn should_evict_ready_pods_with_default_unhealthy_pod_eviction_policy() {
    unhealthy_pod_eviction_policy_case(None, true, 1);
}

#[test]
fn should_evict_ready_pods_with_if_healthy_budget_unhealthy_pod_eviction_policy() {
    unhealthy_pod_eviction_policy_case(Some("IfHealthyBudget"), true, 1);
}

#[test]
fn should_evict_ready_pods_with_always_allow_unhealthy_pod_eviction_policy() {
    unhealthy_pod_eviction_policy_case(Some("AlwaysAllow"), true, 1);
}

#[test]
fn should_not_evict_unready_pods_with_default_unhealthy_pod_eviction_policy() {
    unhealthy_pod_eviction_policy_case(None, false, 0);
}

#[test]
fn should_not_evict_unready_pods_with_if_healthy_budget_unhealthy_pod_eviction_policy() {
    unhealthy_pod_eviction_policy_case(Some("IfHealthyBudget"), false, 0);
}

#[test]
fn should_evict_unready_pods_with_always_allow_unhealthy_pod_eviction_policy() {
    unhealthy_pod_eviction_policy_case(Some("AlwaysAllow"), false, 3);
}

/// `updatePDBOrDie` / `patchPDBOrDie`: the new spec, then `waitForPdbToBeProcessed`.
fn update_pdb_or_die(e: &mut Engine, change: impl FnOnce(&mut podplay_core::model::PodDisruptionBudgetSpec)) -> PdbRecord {
    let mut spec = get_pdb(e).pdb.spec.clone();
    change(&mut spec);
    e.update_pdb_spec("default", DEFAULT_NAME, spec).expect("Waiting for the PDB update to be processed");
    let processed = poll_until(e, SCHEDULING_TIMEOUT, |e| get_pdb(e).status.observed_generation >= get_pdb(e).generation());
    assert!(processed, "Waiting for the pdb to be processed");
    get_pdb(e).clone()
}

fn int_or_string(text: &str) -> podplay_core::model::IntOrString {
    text.parse().map_or_else(|_| podplay_core::model::IntOrString::Str(text.into()), podplay_core::model::IntOrString::Int)
}

#[test]
fn should_create_a_pod_disruption_budget() {
    let mut e = engine_of(&pdb(Some("\"1%\""), None, None));
    let updated = update_pdb_or_die(&mut e, |s| s.min_available = Some(int_or_string("2%")));
    assert_eq!(updated.pdb.spec.min_available.as_ref().map(ToString::to_string).as_deref(), Some("2%"));
    let patched = update_pdb_or_die(&mut e, |s| s.min_available = Some(int_or_string("3%")));
    assert_eq!(patched.pdb.spec.min_available.as_ref().map(ToString::to_string).as_deref(), Some("3%"));
    e.delete_pdb_named("default", DEFAULT_NAME).expect("Deleting pdb");
    assert!(e.find_pdb(DEFAULT_NAME, "default").is_none());
}

#[test]
fn should_block_an_eviction_until_the_pdb_is_updated_to_allow_it() {
    // Creating a pdb that targets all three pods in a test replica set.
    let mut e = engine_of(&(pdb(Some("3"), None, None) + &replica_set(3)));
    // First trying to evict a pod which shouldn't be evictable.
    wait_for_pods_or_die(&mut e, 3);
    let pod = locate_running_pod(&mut e);
    let err = e.evict_pod("default", &pod, None).expect_err("pod eviction should fail with DisruptionBudget cause");
    assert!(has_disruption_budget_cause(&err), "{err:?}");
    // Updating the pdb to allow a pod to be evicted.
    update_pdb_or_die(&mut e, |s| s.min_available = Some(int_or_string("2")));
    // Trying to evict the same pod we tried earlier which should now be evictable.
    wait_for_pods_or_die(&mut e, 3);
    wait_for_pdb_to_observe_healthy_pods(&mut e, 3, 2);
    e.evict_pod("default", &pod, None).expect("the eviction is now allowed");
    // Patching the pdb to disallow a pod to be evicted.
    update_pdb_or_die(&mut e, |s| {
        s.min_available = None;
        s.max_unavailable = Some(int_or_string("0"));
    });
    wait_for_pods_or_die(&mut e, 3);
    let pod = locate_running_pod(&mut e);
    let err = e.evict_pod("default", &pod, None).expect_err("pod eviction should fail with DisruptionBudget cause");
    assert!(has_disruption_budget_cause(&err), "{err:?}");
    // Deleting the pdb to allow a pod to be evicted.
    e.delete_pdb_named("default", DEFAULT_NAME).expect("Deleting pdb");
    wait_for_pods_or_die(&mut e, 3);
    e.evict_pod("default", &pod, None).expect("the eviction is now allowed");
}
