//! Kubernetes' own CronJob e2e tests (`test/e2e/apps/cronjob.go`), ported: the same names and
//! assertions, the cluster's waits (`cronJobTimeout`, 5 minutes, polled) as seeks of virtual
//! time. `newTestCronJob`'s busybox is `registry.k8s.io/e2e-test-images/busybox:1.36.1-1`. Not
//! ported, with the reason, in docs/conformance.md.

mod e2e_support;

use e2e_support::POLL;
use podplay_core::clock::{Millis, MINUTE, SECOND};
use podplay_core::engine::{CronJobRecord, JobRecord};
use podplay_core::{load, SourceFile};
use podplay_session::Session;

/// `cronJobTimeout`.
const CRON_JOB_TIMEOUT: Millis = 5 * MINUTE;

/// `newTestCronJob`: parallelism 1, completions 1, backoffLimit 1, restartPolicy OnFailure, an
/// emptyDir at /data, and `extra` lines of the CronJob's spec (suspend, history limits).
fn new_test_cron_job(name: &str, schedule: &str, policy: &str, command: Option<&[&str]>, extra: &str) -> String {
    let command = command.map_or(String::new(), |c| {
        format!("\n            command: [{}]", c.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", "))
    });
    format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {name}\nspec:\n  schedule: \"{schedule}\"\n  concurrencyPolicy: {policy}\n{extra}  jobTemplate:\n    spec:\n      parallelism: 1\n      completions: 1\n      backoffLimit: 1\n      template:\n        spec:\n          restartPolicy: OnFailure\n          volumes:\n          - name: data\n            emptyDir: {{}}\n          containers:\n          - name: c\n            image: registry.k8s.io/e2e-test-images/busybox:1.36.1-1{command}\n            volumeMounts:\n            - {{mountPath: /data, name: data}}\n"
    )
}

const SLEEP: &[&str] = &["sleep", "300"];
const SUCCESS: &[&str] = &["/bin/true"];
const FAILURE: &[&str] = &["/bin/false"];

fn create_cron_job(text: &str) -> Session {
    e2e_support::create(text)
}

fn get_cron_job<'a>(s: &'a Session, name: &str) -> &'a CronJobRecord {
    s.engine().cron_job_records().iter().find(|r| !r.removed && r.name() == name).expect("the CronJob exists")
}

fn jobs(s: &Session) -> Vec<&JobRecord> {
    s.engine().job_records().iter().filter(|r| !r.removed).collect()
}

/// `filterActiveJobs`: (active, finished).
fn filter_active_jobs<'a>(jobs: &[&'a JobRecord]) -> (Vec<&'a JobRecord>, Vec<&'a JobRecord>) {
    jobs.iter().partition(|j| !j.status.finished())
}

/// `wait.PollUntilContextTimeout(ctx, framework.Poll, cronJobTimeout, ...)` over virtual time.
fn poll_until(s: &mut Session, mut done: impl FnMut(&Session) -> bool) -> bool {
    e2e_support::poll_until(s, CRON_JOB_TIMEOUT, POLL, |s| done(s))
}

fn wait_for_active_jobs(s: &mut Session, name: &str, active: usize) -> bool {
    poll_until(s, |s| get_cron_job(s, name).status.active.len() >= active)
}

fn wait_for_any_finished_job(s: &mut Session) -> bool {
    poll_until(s, |s| jobs(s).iter().any(|j| j.status.finished()))
}

fn wait_for_jobs_at_least(s: &mut Session, atleast: usize) -> bool {
    poll_until(s, |s| jobs(s).len() >= atleast)
}

/// The reasons of the events about `kind` `name`.
fn event_reasons(s: &Session, kind: &str, name: &str) -> Vec<String> {
    s.engine()
        .events()
        .iter()
        .filter(|e| e.involved_object.kind == kind && e.involved_object.name == name)
        .map(|e| e.reason.clone())
        .collect()
}

fn kubectl(s: &mut Session, args: &[&str]) -> String {
    let out = s.kubectl(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
    assert_eq!(out.exit_code, 0, "{args:?}: {}", out.stderr);
    out.stdout
}

#[test]
fn should_schedule_multiple_jobs_concurrently() {
    let mut s = create_cron_job(&new_test_cron_job("concurrent", "*/1 * * * ?", "Allow", Some(SLEEP), ""));
    assert!(wait_for_active_jobs(&mut s, "concurrent", 2), "Failed to wait for active jobs");
    let (active, _) = filter_active_jobs(&jobs(&s));
    assert!(active.len() >= 2);
    kubectl(&mut s, &["delete", "cronjob", "concurrent"]);
}

#[test]
fn should_not_schedule_jobs_when_suspended() {
    let mut s = create_cron_job(&new_test_cron_job("suspended", "*/1 * * * ?", "Allow", Some(SLEEP), "  suspend: true\n"));
    // gomega.Consistently over cronJobTimeout.
    assert!(!poll_until(&mut s, |s| !get_cron_job(s, "suspended").status.active.is_empty()));
    assert!(jobs(&s).is_empty());
    kubectl(&mut s, &["delete", "cronjob", "suspended"]);
}

#[test]
fn should_not_schedule_new_jobs_when_forbid_concurrent() {
    let mut s = create_cron_job(&new_test_cron_job("forbid", "*/1 * * * ?", "Forbid", Some(SLEEP), ""));
    assert!(wait_for_active_jobs(&mut s, "forbid", 1), "Failed to schedule CronJob");
    assert_eq!(get_cron_job(&s, "forbid").status.active.len(), 1);
    let (active, _) = filter_active_jobs(&jobs(&s));
    assert_eq!(active.len(), 1);
    // Ensuring no more jobs are scheduled: active stays under 2 for cronJobTimeout.
    assert!(!poll_until(&mut s, |s| get_cron_job(s, "forbid").status.active.len() >= 2), "unexpected active job number");
    kubectl(&mut s, &["delete", "cronjob", "forbid"]);
}

#[test]
fn should_replace_jobs_when_replace_concurrent() {
    let mut s = create_cron_job(&new_test_cron_job("replace", "*/1 * * * ?", "Replace", Some(SLEEP), ""));
    assert!(wait_for_active_jobs(&mut s, "replace", 1), "Failed to schedule CronJob");
    assert_eq!(get_cron_job(&s, "replace").status.active.len(), 1);
    let all = jobs(&s);
    let (active, _) = filter_active_jobs(&all);
    assert_eq!(active.len(), 1);
    let first = all[0].name().to_string();
    // waitForJobReplaced: the only job listed has another name.
    assert!(
        poll_until(&mut s, |s| {
            let listed = jobs(s);
            listed.len() == 1 && listed[0].name() != first
        }),
        "Failed to replace CronJob"
    );
    kubectl(&mut s, &["delete", "cronjob", "replace"]);
}

/// The API server overwrites `creationTimestamp` and ignores a status given on create, so the
/// e2e's back-dated CronJob is an ordinary one here, as on a cluster.
#[test]
fn should_be_able_to_schedule_after_more_than_100_missed_schedule() {
    let text = new_test_cron_job("concurrent", "*/1 * * * ?", "Forbid", Some(SLEEP), "")
        .replace("metadata:\n  name: concurrent\n", "metadata:\n  name: concurrent\n  creationTimestamp: \"2025-09-28T09:00:00Z\"\n")
        + "status:\n  lastScheduleTime: \"2025-09-29T09:00:00Z\"\n";
    let mut s = create_cron_job(&text);
    assert!(wait_for_active_jobs(&mut s, "concurrent", 1), "Failed to wait for active jobs");
    let (active, _) = filter_active_jobs(&jobs(&s));
    assert!(!active.is_empty());
    kubectl(&mut s, &["delete", "cronjob", "concurrent"]);
}

#[test]
fn should_not_emit_unexpected_warnings() {
    let mut s = create_cron_job(&new_test_cron_job("concurrent", "*/1 * * * ?", "Allow", None, ""));
    assert!(wait_for_jobs_at_least(&mut s, 2), "Failed to ensure at least two job exists");
    assert!(wait_for_any_finished_job(&mut s), "Failed to ensure at least on finished job exists");
    let start = s.now();
    s.seek(start + 30 * SECOND);
    for reason in event_reasons(&s, "CronJob", "concurrent") {
        assert!(!["MissingJob", "UnexpectedJob"].contains(&reason.as_str()), "unexpected event: {reason}");
    }
    kubectl(&mut s, &["delete", "cronjob", "concurrent"]);
}

#[test]
fn should_set_the_cronjob_scheduled_timestamp_annotation_on_a_job() {
    let mut s = create_cron_job(&new_test_cron_job("concurrent", "*/1 * * * ?", "Allow", None, ""));
    assert!(wait_for_jobs_at_least(&mut s, 1), "Failed to ensure a job exists");
    let all = jobs(&s);
    let stamp = all[0]
        .job
        .metadata
        .annotations
        .get("batch.kubernetes.io/cronjob-scheduled-timestamp")
        .expect("missing cronjob-scheduled-timestamp annotation");
    // time.Parse(time.RFC3339, ...): a whole-second UTC time here.
    assert!(
        stamp.len() == 20 && stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T',
        "Failed to parse cronjob-scheduled-timestamp annotation: {stamp:?}"
    );
    kubectl(&mut s, &["delete", "cronjob", "concurrent"]);
}

#[test]
fn should_remove_from_active_list_jobs_that_have_been_deleted() {
    let mut s = create_cron_job(&new_test_cron_job("forbid", "*/1 * * * ?", "Forbid", Some(SLEEP), ""));
    assert!(wait_for_active_jobs(&mut s, "forbid", 1), "Failed to ensure a forbid cronjob is scheduled");
    assert_eq!(get_cron_job(&s, "forbid").status.active.len(), 1);
    let job = get_cron_job(&s, "forbid").status.active[0].name.clone();
    kubectl(&mut s, &["delete", "job", &job]);
    assert!(jobs(&s).iter().all(|j| j.name() != job), "Failed to delete forbid cronjob");
    assert!(poll_until(&mut s, |s| get_cron_job(s, "forbid").status.active.iter().all(|a| a.name != job)));
    assert!(
        poll_until(&mut s, |s| event_reasons(s, "CronJob", "forbid").iter().any(|r| r == "MissingJob")),
        "Failed to ensure missing job event has occurred"
    );
    kubectl(&mut s, &["delete", "cronjob", "forbid"]);
}

/// `ensureHistoryLimits`.
fn ensure_history_limits(text: &str, name: &str) {
    let mut s = create_cron_job(text);
    assert!(wait_for_any_finished_job(&mut s), "Failed to ensure a finished cronjob exists");
    let all = jobs(&s);
    let (_, finished) = filter_active_jobs(&all);
    assert_eq!(finished.len(), 1);
    let (target, uid) = (finished[0].name().to_string(), finished[0].job.metadata.uid.clone());
    // Job should get deleted when the next job finishes the next minute.
    assert!(poll_until(&mut s, |s| jobs(s).iter().all(|j| j.name() != target)), "Failed to ensure that job does not exists anymore");
    let owned_by_target = |s: &Session| {
        s.engine()
            .pods()
            .any(|p| p.metadata.labels.get("batch.kubernetes.io/controller-uid").or(p.metadata.labels.get("controller-uid")) == Some(&uid))
    };
    assert!(poll_until(&mut s, |s| !owned_by_target(s)), "Failed to ensure that pods for job does not exists anymore");
    let all = jobs(&s);
    let (_, finished) = filter_active_jobs(&all);
    assert_eq!(finished.len(), 1);
    kubectl(&mut s, &["delete", "cronjob", name]);
}

#[test]
fn should_delete_successful_finished_jobs_with_limit_of_one_successful_job() {
    let limits = "  successfulJobsHistoryLimit: 1\n  failedJobsHistoryLimit: 0\n";
    ensure_history_limits(
        &new_test_cron_job("successful-jobs-history-limit", "*/1 * * * ?", "Allow", Some(SUCCESS), limits),
        "successful-jobs-history-limit",
    );
}

#[test]
fn should_delete_failed_finished_jobs_with_limit_of_one_job() {
    let limits = "  successfulJobsHistoryLimit: 0\n  failedJobsHistoryLimit: 1\n";
    ensure_history_limits(
        &new_test_cron_job("failed-jobs-history-limit", "*/1 * * * ?", "Allow", Some(FAILURE), limits),
        "failed-jobs-history-limit",
    );
}

#[test]
fn should_support_timezone() {
    let text = new_test_cron_job("cronjob-with-timezone", "*/1 * * * ?", "Allow", Some(FAILURE), "  timeZone: bad-time-zone\n");
    let m = load(&[SourceFile { name: "cronjob.yaml".into(), text }]).expect("valid yaml");
    let errors = Session::new(&m).err().expect("Failed to create CronJob, invalid time zone.");
    assert!(
        errors.iter().any(|d| d.message.contains("The CronJob \"cronjob-with-timezone\" is invalid: spec.timeZone: Invalid value")),
        "{errors:?}"
    );
}
