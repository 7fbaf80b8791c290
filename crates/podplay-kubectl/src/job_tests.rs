//! Jobs end to end: the Job controller's behaviour as kubectl shows it, per release.

use podplay_core::clock::{Millis, MINUTE, SECOND};

use crate::test_support::{at, engine_of};

/// The text with every run of spaces made one (describe's columns move with its longest label).
fn squash(text: &str) -> String {
    text.split('\n').map(|l| l.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

/// A Job of `spec` (indented as a Job's spec) in release `version`.
fn job(version: &str, spec: &str) -> String {
    format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n\
         apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n{spec}"
    )
}

const FAILING: &str = "  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"exit 1\"]\n";

/// `kubectl get jobs` gained STATUS after NAME in 1.30 (kubernetes#123226).
#[test]
fn get_jobs_columns_by_release() {
    for (version, header) in [("1.29", "NAME   COMPLETIONS   DURATION   AGE\n"), ("1.30", "NAME   STATUS   COMPLETIONS   DURATION   AGE\n")]
    {
        let mut engine = engine_of(&job(version, FAILING)).unwrap();
        let out = at(&mut engine, 5 * MINUTE, "get jobs");
        assert!(out.stdout.starts_with(header), "{version}:\n{}", out.stdout);
    }
}

/// restartPolicy Never, backoffLimit 2: three pods, 10 s then 20 s apart (after each
/// failure), then Failed with BackoffLimitExceeded.
#[test]
fn never_replaces_failed_pods_after_the_back_off_then_gives_up() {
    let mut engine = engine_of(&job("1.33", FAILING)).unwrap();
    let out = at(&mut engine, 5 * MINUTE, "describe job j");
    assert!(out.stdout.contains("Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 3 Failed\n"), "{}", out.stdout);
    assert!(out.stdout.contains("BackoffLimitExceeded  "), "{}", out.stdout);
    assert!(out.stdout.contains("Job has reached the specified backoff limit"), "{}", out.stdout);
    let creations: Vec<Millis> = engine.pod_records().iter().map(|r| r.pod.metadata.creation / SECOND).collect();
    assert_eq!(creations.len(), 3);
    // Each replacement comes 10 s, then 20 s, after the failed pod's finish (whole seconds).
    let finished = |i: usize| {
        let s = &engine.pod_records()[i].pod.status.container_statuses[0];
        s.state.terminated.as_ref().and_then(|t| t.finished_at).unwrap() / SECOND
    };
    assert_eq!(creations[1], finished(0) + 10, "{creations:?}");
    assert_eq!(creations[2], finished(1) + 20, "{creations:?}");
    let out = at(&mut engine, 5 * MINUTE, "get pods");
    assert_eq!(out.stdout.matches(" Error ").count(), 3, "{}", out.stdout);
}

/// restartPolicy OnFailure: the kubelet restarts the container in place; the Job fails once
/// the restarts reach backoffLimit, and deletes its active pod.
#[test]
fn on_failure_counts_restarts_towards_the_backoff_limit() {
    let spec = FAILING.replace("Never", "OnFailure");
    let mut engine = engine_of(&job("1.33", &spec)).unwrap();
    let out = at(&mut engine, 5 * MINUTE, "describe job j");
    assert!(out.stdout.contains("Job has reached the specified backoff limit"), "{}", out.stdout);
    assert!(out.stdout.contains("SuccessfulDelete"), "{}", out.stdout);
    assert_eq!(engine.pod_records().len(), 1, "one pod, restarted in place");
    let out = at(&mut engine, 5 * MINUTE, "get jobs");
    assert!(out.stdout.contains(" Failed "), "{}", out.stdout);
}

/// activeDeadlineSeconds: the Job fails with DeadlineExceeded at its deadline; from 1.31 the
/// Failed condition (and its event) waits for the deleted pod to terminate (`sleep` ignores
/// SIGTERM: 30 s of grace), with FailureTarget meanwhile.
#[test]
fn active_deadline_fails_the_job() {
    let spec = "  activeDeadlineSeconds: 10\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [\"sleep\", \"3600\"]\n";
    for (version, status_at_20s, event_age) in [("1.30", "Failed", "50s"), ("1.33", "FailureTarget", "19s")] {
        let mut engine = engine_of(&job(version, spec)).unwrap();
        let out = at(&mut engine, 9 * SECOND, "get jobs");
        assert!(out.stdout.contains(" Running "), "{}", out.stdout);
        let out = at(&mut engine, 20 * SECOND, "get jobs");
        assert!(out.stdout.contains(&format!(" {status_at_20s} ")), "{version}: {}", out.stdout);
        let out = squash(&at(&mut engine, MINUTE, "describe job j").stdout);
        assert!(out.contains("Active Deadline Seconds: 10s\n"), "{out}");
        assert!(
            out.contains(&format!("Warning DeadlineExceeded {event_age} job-controller Job was active longer than specified deadline")),
            "{version}: {out}"
        );
    }
}

/// ttlSecondsAfterFinished: the Job and its pods are gone that long after it finished.
#[test]
fn ttl_after_finished_deletes_the_job_and_its_pods() {
    let spec = "  ttlSecondsAfterFinished: 30\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [\"true\"]\n";
    let mut engine = engine_of(&job("1.33", spec)).unwrap();
    let out = at(&mut engine, 20 * SECOND, "get jobs");
    assert!(out.stdout.contains(" Complete "), "{}", out.stdout);
    let out = at(&mut engine, 2 * MINUTE, "get jobs");
    assert_eq!(out.stderr, "No resources found in default namespace.\n");
    let out = at(&mut engine, 2 * MINUTE, "get pods");
    assert_eq!(out.stderr, "No resources found in default namespace.\n", "{}", out.stdout);
}

/// `kubectl delete job` cascades to the Job's pods (background propagation).
#[test]
fn delete_job_cascades_to_its_pods() {
    let spec = "  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [\"sleep\", \"3600\"]\n";
    let mut engine = engine_of(&job("1.33", spec)).unwrap();
    engine.run_until(10 * SECOND);
    let out = crate::mutate::run_mutation(&mut engine, &["delete", "job", "j"], None);
    assert_eq!(out.stdout, "job.batch \"j\" deleted\n");
    let out = at(&mut engine, 2 * MINUTE, "get pods");
    assert_eq!(out.stderr, "No resources found in default namespace.\n", "{}", out.stdout);
}

/// The API server's words for a template that may restart forever.
#[test]
fn restart_policy_always_is_refused() {
    let spec = "  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox:1.36\n";
    let errors = engine_of(&job("1.33", spec)).err().expect("refused");
    let text = errors.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("\n");
    assert!(
        text.contains(r#"The Job "j" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never""#),
        "{text}"
    );
}

/// Generated labels: legacy keys only before 1.27, the `batch.kubernetes.io/` ones too after.
#[test]
fn generated_selector_and_labels_by_release() {
    for (version, selector) in
        [("1.26", "Selector:         controller-uid="), ("1.27", "Selector:         batch.kubernetes.io/controller-uid=")]
    {
        let mut engine = engine_of(&job(version, FAILING)).unwrap();
        let out = at(&mut engine, SECOND, "describe job j");
        assert!(out.stdout.contains(selector), "{version}:\n{}", out.stdout);
        assert_eq!(out.stdout.contains("batch.kubernetes.io/job-name=j"), version == "1.27", "{version}:\n{}", out.stdout);
    }
}

/// describe's words by release: `Running` (1.22), `Active` without Ready (1.23: the
/// controller writes no `ready`), `Active (N Ready)` (1.24+); Backoff Limit from 1.30.
#[test]
fn describe_job_words_by_release() {
    for (version, line, backoff) in [
        ("1.22", "Pods Statuses:    0 Running / 0 Succeeded / 3 Failed\n", false),
        ("1.23", "Pods Statuses:    0 Active / 0 Succeeded / 3 Failed\n", false),
        ("1.29", "Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 3 Failed\n", false),
        ("1.30", "Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 3 Failed\n", true),
    ] {
        let mut engine = engine_of(&job(version, FAILING)).unwrap();
        let out = at(&mut engine, 5 * MINUTE, "describe job j");
        assert!(out.stdout.contains(line), "{version}:\n{}", out.stdout);
        assert_eq!(out.stdout.contains("Backoff Limit:    2\n"), backoff, "{version}:\n{}", out.stdout);
    }
}

/// An Indexed Job: one pod per index, named `<job>-<index>-` from 1.28, the completed
/// indexes in describe.
#[test]
fn indexed_job_completes_every_index() {
    let spec = "  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"echo $JOB_COMPLETION_INDEX\"]\n";
    let mut engine = engine_of(&job("1.33", spec)).unwrap();
    let out = squash(&at(&mut engine, MINUTE, "describe job j").stdout);
    assert!(out.contains("Completion Mode: Indexed\n"), "{out}");
    assert!(out.contains("Completed Indexes: 0-2\n"), "{out}");
    let names: Vec<String> = engine.pod_records().iter().map(|r| r.pod.metadata.name.clone()).collect();
    for i in 0..3 {
        assert!(names.iter().any(|n| n.starts_with(&format!("j-{i}-"))), "{names:?}");
    }
    let first = names.iter().find(|n| n.starts_with("j-1-")).unwrap();
    let out = at(&mut engine, MINUTE, &format!("logs {first}"));
    assert_eq!(out.stdout, "1\n");
}

/// `kubectl create job NAME --image=IMG -- CMD...`: one container named after the Job,
/// restartPolicy Never.
#[test]
fn create_job_from_the_command_line() {
    let mut engine = engine_of("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n").unwrap();
    let out = crate::mutate::run_mutation(&mut engine, &["create", "job", "hello", "--image=busybox:1.36", "--", "echo", "hi"], None);
    assert_eq!((out.stdout.as_str(), out.exit_code), ("job.batch/hello created\n", 0), "{}", out.stderr);
    let out = crate::mutate::run_mutation(&mut engine, &["create", "job", "hello", "--image=busybox:1.36"], None);
    assert_eq!(out.stderr, "error: failed to create job: jobs.batch \"hello\" already exists\n");
    let out = crate::mutate::run_mutation(&mut engine, &["create", "job", "other"], None);
    assert_eq!(out.stderr, "error: either --image or --from must be specified\n");
    let out = at(&mut engine, 30 * SECOND, "get jobs");
    assert!(out.stdout.contains("hello   Complete   1/1 "), "{}", out.stdout);
    let pod = engine.pod_records()[0].pod.metadata.name.clone();
    assert_eq!(at(&mut engine, 30 * SECOND, &format!("logs {pod}")).stdout, "hi\n");
}

/// `suspend: true`: no pods and the Suspended condition (STATUS `Suspended` from 1.30).
#[test]
fn a_suspended_job_creates_no_pods() {
    let spec = "  suspend: true\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n";
    let mut engine = engine_of(&job("1.33", spec)).unwrap();
    let out = at(&mut engine, MINUTE, "get jobs");
    assert!(out.stdout.contains("j      Suspended   0/1                      60s"), "{}", out.stdout);
    assert!(engine.pod_records().is_empty());
    let out = squash(&at(&mut engine, MINUTE, "describe job j").stdout);
    assert!(out.contains("Suspend: true\n") && out.contains("Normal Suspended 60s job-controller Job suspended"), "{out}");
}
