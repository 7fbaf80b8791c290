//! CronJobs end to end: the CronJob controller as kubectl shows it, per release.

use podplay_core::clock::{MINUTE, SECOND};

use crate::test_support::{at, engine_of};

/// A CronJob `c` of `spec` (indented as its spec) in release `version`, its Jobs running
/// `command` once (`backoffLimit: 0`).
fn cron_job(version: &str, spec: &str, command: &str) -> String {
    format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n\
         apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n{spec}  jobTemplate:\n    spec:\n      backoffLimit: 0\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox:1.36\n            command: [\"sh\", \"-c\", \"{command}\"]\n"
    )
}

const EVERY_MINUTE: &str = "  schedule: \"*/1 * * * *\"\n";

/// `kubectl get cronjobs` gained TIMEZONE in 1.30 (kubernetes#122231); LAST SCHEDULE is
/// `<none>` before the first time.
#[test]
fn get_cronjobs_columns_by_release() {
    for (version, header, row) in [
        (
            "1.29",
            "NAME   SCHEDULE      SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n",
            "c      */1 * * * *   False     0        <none>          30s\n",
        ),
        (
            "1.30",
            "NAME   SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n",
            "c      */1 * * * *   <none>     False     0        <none>          30s\n",
        ),
    ] {
        let mut engine = engine_of(&cron_job(version, EVERY_MINUTE, "true")).unwrap();
        let out = at(&mut engine, 30 * SECOND, "get cronjobs");
        assert_eq!(out.stdout, format!("{header}{row}"), "{version}");
    }
}

/// A Job per minute, named by the minutes since the epoch, created 100 ms after its time; a
/// finished one leaves `status.active` with `SawCompletedJob` (`status:` before 1.30).
#[test]
fn a_job_each_time_of_the_schedule() {
    for (version, word) in [("1.29", "status"), ("1.30", "condition")] {
        let mut engine = engine_of(&cron_job(version, EVERY_MINUTE, "true")).unwrap();
        let out = at(&mut engine, 2 * MINUTE + 5 * SECOND, "get jobs -o name");
        assert_eq!(out.stdout, "job.batch/c-29460061\njob.batch/c-29460062\n");
        let out = at(&mut engine, 2 * MINUTE + 5 * SECOND, "describe cronjob c");
        assert!(out.stdout.contains(&format!("Saw completed job: c-29460062, {word}: Complete\n")), "{version}:\n{}", out.stdout);
        assert!(out.stdout.contains("Last Schedule Time:  Mon, 05 Jan 2026 09:02:00 +0000\n"), "{}", out.stdout);
    }
}

/// Forbid skips a time while the last Job runs (`JobAlreadyActive`) and runs the most recent
/// missed time once it ends; Replace deletes the running Job and starts the new one.
#[test]
fn concurrency_policies() {
    let forbid = format!("{EVERY_MINUTE}  concurrencyPolicy: Forbid\n");
    let mut engine = engine_of(&cron_job("1.33", &forbid, "sleep 90")).unwrap();
    let out = at(&mut engine, 3 * MINUTE + 5 * SECOND, "describe cronjob c");
    assert!(out.stdout.contains("Not starting job because prior execution is running and concurrency policy is Forbid"), "{}", out.stdout);
    let out = at(&mut engine, 3 * MINUTE + 5 * SECOND, "get jobs -o name");
    // 09:01 runs to 09:02:30; 09:02 is skipped; the 09:02 time is taken up at 09:02:30.
    assert_eq!(out.stdout, "job.batch/c-29460061\njob.batch/c-29460062\n");
    let replace = format!("{EVERY_MINUTE}  concurrencyPolicy: Replace\n");
    let mut engine = engine_of(&cron_job("1.33", &replace, "sleep 90")).unwrap();
    let out = at(&mut engine, 2 * MINUTE + 5 * SECOND, "describe cronjob c");
    assert!(out.stdout.contains("Deleted job c-29460061"), "{}", out.stdout);
    assert!(out.stdout.contains("Active Jobs:         c-29460062\n"), "{}", out.stdout);
}

/// `successfulJobsHistoryLimit` 3 and `failedJobsHistoryLimit` 1 (the defaults): the oldest
/// finished Jobs go, their pods with them.
#[test]
fn history_limits_delete_the_oldest_finished_jobs() {
    let mut engine = engine_of(&cron_job("1.33", EVERY_MINUTE, "true")).unwrap();
    let out = at(&mut engine, 6 * MINUTE + 5 * SECOND, "get jobs -o name");
    assert_eq!(out.stdout, "job.batch/c-29460064\njob.batch/c-29460065\njob.batch/c-29460066\n");
    assert_eq!(at(&mut engine, 6 * MINUTE + 5 * SECOND, "get pods -o name").stdout.lines().count(), 3);
    let mut engine = engine_of(&cron_job("1.33", EVERY_MINUTE, "exit 1")).unwrap();
    let out = at(&mut engine, 4 * MINUTE + 5 * SECOND, "get jobs");
    assert_eq!(out.stdout.lines().count(), 2, "one failed Job kept (the header and it):\n{}", out.stdout);
}

/// The scheduled-timestamp annotation from 1.28; `Time Zone:` in describe from kubectl 1.36;
/// a suspended CronJob creates nothing.
#[test]
fn release_differences_and_suspend() {
    for (version, annotated) in [("1.27", false), ("1.28", true)] {
        let mut engine = engine_of(&cron_job(version, EVERY_MINUTE, "true")).unwrap();
        let out = at(&mut engine, MINUTE + 5 * SECOND, "describe job c-29460061");
        assert_eq!(
            out.stdout.contains("batch.kubernetes.io/cronjob-scheduled-timestamp: 2026-01-05T09:01:00Z"),
            annotated,
            "{version}:\n{}",
            out.stdout
        );
    }
    for (version, zone) in [("1.35", false), ("1.36", true)] {
        let mut engine = engine_of(&cron_job(version, EVERY_MINUTE, "true")).unwrap();
        let out = at(&mut engine, 5 * SECOND, "describe cronjob c");
        assert_eq!(out.stdout.contains("Time Zone:                     <unset>\n"), zone, "{version}:\n{}", out.stdout);
    }
    let suspended = format!("{EVERY_MINUTE}  suspend: true\n");
    let mut engine = engine_of(&cron_job("1.33", &suspended, "true")).unwrap();
    let out = at(&mut engine, 3 * MINUTE, "get jobs");
    assert_eq!(out.stderr, "No resources found in default namespace.\n");
}

/// The API server's words for what it refuses, at the field.
#[test]
fn invalid_cron_jobs_are_refused() {
    for (spec, want) in [
        (
            "  schedule: \"every minute\"\n",
            r#"spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]"#,
        ),
        (
            "  schedule: \"TZ=UTC * * * * *\"\n",
            r#"spec.schedule: Invalid value: "TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"#,
        ),
        (
            "  schedule: \"* * * * *\"\n  concurrencyPolicy: Never\n",
            r#"spec.concurrencyPolicy: Unsupported value: "Never": supported values: "Allow", "Forbid", "Replace""#,
        ),
        ("  schedule: \"* * * * *\"\n  timeZone: Europe/Paris\n", "podplay has no time-zone database"),
    ] {
        let errors = engine_of(&cron_job("1.33", spec, "true")).err().expect("refused");
        let text = errors.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("\n");
        assert!(text.contains(want), "{spec}: {text}");
    }
}

/// `kubectl create job NAME --from=cronjob/CJ`: the template run now, annotated as manual and
/// owned by the CronJob, which reports it as a Job it did not start while it runs.
#[test]
fn create_job_from_a_cron_job() {
    let mut engine = engine_of(&cron_job("1.33", EVERY_MINUTE, "sleep 5")).unwrap();
    engine.run_until(10 * SECOND);
    let out = crate::mutate::run_mutation(&mut engine, &["create", "job", "manual", "--from=cronjob/c"], None);
    assert_eq!((out.stdout.as_str(), out.exit_code), ("job.batch/manual created\n", 0));
    let out = crate::mutate::run_mutation(&mut engine, &["create", "job", "other", "--from=cronjob/nope"], None);
    assert_eq!(out.stderr, "Error from server (NotFound): cronjobs.batch \"nope\" not found\n");
    let out = crate::mutate::run_mutation(&mut engine, &["create", "job", "other", "--from=cronjob/c", "--image=busybox"], None);
    assert_eq!(out.stderr, "error: either --image or --from must be specified\n");
    let out = at(&mut engine, 12 * SECOND, "describe job manual");
    assert!(
        out.stdout.contains("Annotations:      cronjob.kubernetes.io/instantiate: manual\nControlled By:    CronJob/c\n"),
        "{}",
        out.stdout
    );
    let out = at(&mut engine, 12 * SECOND, "describe cronjob c");
    assert!(out.stdout.contains("Saw a job that the controller did not create or forgot: manual"), "{}", out.stdout);
}
