//! `kubectl delete --cascade`: what the garbage collector does with what a deleted workload
//! owns (delete_flags.go `parseCascadingFlag`; `pkg/controller/garbagecollector`).

use podplay_core::clock::SECOND;

use crate::mutate::run_mutation;
use crate::test_support::{at, engine_of};

/// A Deployment of two pods that take their whole grace period (PID 1 `sleep` ignores SIGTERM).
const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: app, image: busybox:1.36, command: [sleep, '3600']}\n";

const CRON_JOB: &str = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: tick}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - {name: c, image: busybox:1.36, command: [sleep, '3600']}\n";

fn names(out: &str) -> Vec<String> {
    out.lines().skip(1).filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
}

#[test]
fn orphan_leaves_the_replica_set_and_its_pods_running_owned_by_none() {
    let mut engine = engine_of(DEPLOYMENT).unwrap();
    engine.run_until(20 * SECOND);
    let out = run_mutation(&mut engine, &["delete", "deployment", "web", "--cascade=orphan"], None);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("deployment.apps \"web\" deleted\n", ""));
    let rs = at(&mut engine, 60 * SECOND, "get rs");
    assert_eq!(names(&rs.stdout).len(), 1, "{}", rs.stdout);
    assert!(rs.stdout.lines().nth(1).is_some_and(|l| l.split_whitespace().skip(1).take(3).eq(["2", "2", "2"])), "{}", rs.stdout);
    let describe = at(&mut engine, 60 * SECOND, "describe rs");
    assert!(!describe.stdout.contains("Controlled By"), "the ReplicaSet lost its owner reference:\n{}", describe.stdout);
    let pods = at(&mut engine, 60 * SECOND, "get pods");
    assert_eq!(names(&pods.stdout).len(), 2, "{}", pods.stdout);
    assert!(pods.stdout.lines().skip(1).all(|l| l.contains(" Running ")), "{}", pods.stdout);
    // The pods are still the ReplicaSet's: it replaces one deleted.
    let pod = names(&pods.stdout)[0].clone();
    run_mutation(&mut engine, &["delete", "pod", &pod, "--grace-period=1"], None);
    let pods = at(&mut engine, 90 * SECOND, "get pods");
    assert_eq!(names(&pods.stdout).len(), 2, "{}", pods.stdout);
}

#[test]
fn orphaned_pods_are_adopted_by_the_replica_set_their_deployment_makes_again() {
    let mut engine = engine_of(DEPLOYMENT).unwrap();
    engine.run_until(20 * SECOND);
    let rs = names(&at(&mut engine, 20 * SECOND, "get rs").stdout)[0].clone();
    let pods_before = names(&at(&mut engine, 20 * SECOND, "get pods").stdout);
    let out = run_mutation(&mut engine, &["delete", "rs", &rs, "--cascade=orphan"], None);
    assert_eq!(out.stdout, format!("replicaset.apps \"{rs}\" deleted\n"));
    // The Deployment makes its ReplicaSet again (the same template hash, so the same name);
    // its controller claims the two orphans, whose labels its selector matches, and makes none.
    let pods = at(&mut engine, 60 * SECOND, "get pods");
    assert_eq!(names(&pods.stdout), pods_before, "{}", pods.stdout);
    let describe = at(&mut engine, 60 * SECOND, "describe pods");
    assert_eq!(describe.stdout.matches(&format!("Controlled By:  ReplicaSet/{rs}\n")).count(), 2, "{}", describe.stdout);
    let events = at(&mut engine, 60 * SECOND, "get events");
    assert_eq!(events.stdout.matches("SuccessfulCreate").count(), 2, "only the first two pods were created:\n{}", events.stdout);
}

#[test]
fn a_replica_set_adopts_a_bare_pod_its_selector_matches() {
    let bare = "apiVersion: v1\nkind: Pod\nmetadata: {name: stray, labels: {app: web}}\nspec:\n  containers:\n  - {name: app, image: busybox:1.36, command: [sleep, '3600']}\n";
    // A ReplicaSet of its own (a Deployment's selects its pod-template-hash too, which a bare
    // pod lacks).
    let rs = DEPLOYMENT.replace("kind: Deployment", "kind: ReplicaSet");
    let mut engine = engine_of(&format!("{bare}---\n{rs}")).unwrap();
    let pods = at(&mut engine, 30 * SECOND, "get pods");
    assert_eq!(names(&pods.stdout).len(), 2, "{}", pods.stdout);
    assert!(names(&pods.stdout).contains(&"stray".to_string()), "{}", pods.stdout);
    let describe = at(&mut engine, 30 * SECOND, "describe pod stray");
    assert!(describe.stdout.contains("Controlled By:  ReplicaSet/web\n"), "{}", describe.stdout);
    // Scaled down to one, the ReplicaSet deletes one of its two pods, the adopted one included
    // in the ranking.
    run_mutation(&mut engine, &["scale", "rs", "web", "--replicas=1"], None);
    let pods = at(&mut engine, 70 * SECOND, "get pods");
    assert_eq!(names(&pods.stdout).len(), 1, "{}", pods.stdout);
}

#[test]
fn foreground_keeps_the_owners_until_their_pods_are_gone() {
    let mut engine = engine_of(DEPLOYMENT).unwrap();
    engine.run_until(20 * SECOND);
    let out = run_mutation(&mut engine, &["delete", "deployment", "web", "--cascade=foreground"], None);
    assert_eq!(out.stdout, "deployment.apps \"web\" deleted\n");
    // The pods take their 30 s grace period; the ReplicaSet and the Deployment stay until then.
    let during = at(&mut engine, 49 * SECOND, "get deploy,rs,pods");
    assert!(during.stdout.contains("deployment.apps/web   0/2"), "{}", during.stdout);
    assert!(during.stdout.contains("replicaset.apps/web-"), "{}", during.stdout);
    assert_eq!(during.stdout.matches(" Terminating ").count(), 2, "{}", during.stdout);
    let after = at(&mut engine, 51 * SECOND, "get deploy,rs,pods");
    assert_eq!(after.stderr, "No resources found in default namespace.\n", "{}", after.stdout);
}

#[test]
fn background_deletes_the_owner_at_once() {
    let mut engine = engine_of(DEPLOYMENT).unwrap();
    engine.run_until(20 * SECOND);
    run_mutation(&mut engine, &["delete", "deployment", "web", "--cascade"], None);
    let during = at(&mut engine, 21 * SECOND, "get deploy,rs,pods");
    assert!(!during.stdout.contains("deployment.apps/web") && !during.stdout.contains("replicaset.apps/"), "{}", during.stdout);
    assert_eq!(during.stdout.matches(" Terminating ").count(), 2, "{}", during.stdout);
}

#[test]
fn boolean_values_are_deprecated_and_others_refused() {
    let mut engine = engine_of(DEPLOYMENT).unwrap();
    engine.run_until(SECOND);
    let out = run_mutation(&mut engine, &["delete", "deployment", "web", "--cascade=maybe"], None);
    assert_eq!(out.stderr, "error: invalid cascade value (maybe). Must be \"background\", \"foreground\", or \"orphan\"\n");
    assert_eq!(out.exit_code, 1);
    let out = run_mutation(&mut engine, &["delete", "deployment", "web", "--cascade=false"], None);
    assert_eq!(out.stderr, "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n");
    assert_eq!(out.stdout, "deployment.apps \"web\" deleted\n");
    assert_eq!(names(&at(&mut engine, 5 * SECOND, "get rs").stdout).len(), 1);
}

#[test]
fn a_cron_job_orphans_or_waits_for_its_jobs() {
    for (cascade, jobs_after, cron_jobs_during) in [("orphan", 1, 0), ("foreground", 0, 1)] {
        let mut engine = engine_of(CRON_JOB).unwrap();
        engine.run_until(70 * SECOND);
        assert_eq!(names(&at(&mut engine, 70 * SECOND, "get jobs").stdout).len(), 1);
        let out = run_mutation(&mut engine, &["delete", "cronjob", "tick", &format!("--cascade={cascade}")], None);
        assert_eq!(out.stdout, "cronjob.batch \"tick\" deleted\n", "{cascade}");
        let during = at(&mut engine, 80 * SECOND, "get cronjobs");
        assert_eq!(names(&during.stdout).len(), cron_jobs_during, "{cascade}: {}", during.stdout);
        // No Job starts at the next minute for a CronJob being deleted.
        let jobs = at(&mut engine, 150 * SECOND, "get jobs");
        assert_eq!(names(&jobs.stdout).len(), jobs_after, "{cascade}: {}", jobs.stdout);
        assert_eq!(names(&at(&mut engine, 150 * SECOND, "get cronjobs").stdout).len(), 0, "{cascade}");
    }
}

#[test]
fn a_foreground_delete_while_the_controller_waits_for_its_client_ends() {
    // 200 pods: the ReplicaSet's sync is still waiting for its client when the delete comes.
    let mut engine = engine_of(&DEPLOYMENT.replace("replicas: 2", "replicas: 200")).unwrap();
    engine.run_until(2 * SECOND);
    run_mutation(&mut engine, &["delete", "deployment", "web", "--cascade=foreground"], None);
    let after = at(&mut engine, 120 * SECOND, "get deploy,rs,pods");
    assert_eq!(after.stderr, "No resources found in default namespace.\n", "{}", after.stdout);
}
