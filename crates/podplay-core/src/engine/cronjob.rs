//! The CronJob controller (kube-controller-manager `pkg/controller/cronjob/
//! cronjob_controllerv2.go`, `utils.go`) and the API server's side of `batch/v1` CronJobs
//! (`SetDefaults_CronJob`, `validateCronJobSpec`).
//!
//! A sync looks at the Jobs the CronJob owns (those finished leave `status.active`, a
//! succeeded one moves `lastSuccessfulTime`), deletes finished Jobs past the history limits,
//! finds the most recent schedule time not yet run (only that one: older missed times are
//! skipped, `mostRecentScheduleTime`), applies `concurrencyPolicy`, creates the Job
//! `<name>-<minutes since the epoch>` from `spec.jobTemplate` and asks to be synced again at the
//! next schedule time plus 100 ms (`nextScheduleTimeDuration`). A Job of its finishing or
//! going queues a sync at once, as the Job informer does. Schedules read the wall clock in UTC:
//! podplay has no time-zone database, so `timeZone` may only name UTC.

use podplay_k8s_util::cron::{self, Schedule};

use super::field::{FieldError, InvalidObject};
use super::ops::OpError;
use super::{Engine, Task};
use crate::clock::{Millis, EPOCH_UNIX_SECONDS, SECOND};
use crate::model::{ActiveJobRef, CronJob, CronJobStatus, Job, ObjectReference};

/// `nextScheduleDelta`: a sync is queued this long after the schedule time.
const NEXT_SCHEDULE_DELTA: Millis = 100;
/// More missed times than this make a `TooManyMissedTimes` warning.
const MANY_MISSED: i64 = 100;
/// A CronJob's name leaves room for the 11 characters of its Jobs' suffix.
const MAX_NAME_LENGTH: usize = 52;
const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/// A CronJob as the API server holds it, with the status its controller wrote.
#[derive(Debug, Clone)]
pub struct CronJobRecord {
    pub cron_job: CronJob,
    pub status: CronJobStatus,
    pub removed: bool,
    schedule: Schedule,
    /// When the queued sync is due (`AddAfter` keeps the earliest).
    queued: Option<Millis>,
}

impl CronJobRecord {
    pub fn name(&self) -> &str {
        &self.cron_job.metadata.name
    }
}

/// Virtual milliseconds as the wall clock's unix seconds (schedules work in whole seconds).
fn wall_secs(t: Millis) -> i64 {
    EPOCH_UNIX_SECONDS + (t / SECOND) as i64
}

fn virtual_ms(secs: i64) -> Millis {
    ((secs - EPOCH_UNIX_SECONDS).max(0) as Millis) * SECOND
}

/// What `mostRecentScheduleTime` finds after `earliest` up to `now` (unix seconds): the most
/// recent time, and how many times were missed (0 none, 1 one, more an estimate).
fn most_recent(schedule: &Schedule, earliest: i64, now: i64) -> Result<(Option<i64>, i64), String> {
    let Some(t1) = schedule.next(earliest).filter(|t| *t <= now) else { return Ok((None, 0)) };
    let Some(t2) = schedule.next(t1).filter(|t| *t <= now) else { return Ok((Some(t1), 1)) };
    let interval = t2 - t1;
    if interval < 1 {
        return Err("time difference between two schedules is less than 1 second".into());
    }
    let missed = (now - t1) / interval + 1;
    let mut most = None;
    let mut t = schedule.next(t1 + (missed - 2) * interval);
    while let Some(at) = t.filter(|at| *at <= now) {
        most = Some(at);
        t = schedule.next(at);
    }
    // A schedule whose times are uneven (`0,1 0 1 1 *`) can jump past `now` from the estimate:
    // the times from t2 on are walked instead (few, as they are far apart).
    let most = most.unwrap_or_else(|| {
        let mut last = t2;
        while let Some(at) = schedule.next(last).filter(|at| *at <= now) {
            last = at;
        }
        last
    });
    Ok((Some(most), missed))
}

impl Engine {
    /// Creates a CronJob as the API server does (defaulted, validated); its controller syncs it
    /// at once.
    pub(crate) fn add_cron_job(&mut self, mut cj: CronJob) -> Result<usize, OpError> {
        let namespace = cj.metadata.namespace().to_string();
        if self.find_cron_job(&cj.metadata.name, &namespace).is_some() {
            return Err(OpError::AlreadyExists { resource: "cronjobs.batch", name: cj.metadata.name });
        }
        cj.api_version = "batch/v1".into();
        cj.kind = "CronJob".into();
        self.stamp_created(&mut cj.metadata);
        let spec = &mut cj.spec;
        spec.concurrency_policy.get_or_insert_with(|| "Allow".into());
        spec.suspend.get_or_insert(false);
        spec.successful_jobs_history_limit.get_or_insert(3);
        spec.failed_jobs_history_limit.get_or_insert(1);
        // SetObjectDefaults_CronJob defaults the pod template in `jobTemplate` (not the Job
        // spec around it: SetDefaults_Job is for Jobs).
        super::setup::apply_template_defaults(&mut spec.job_template.spec.template.spec);
        let schedule = validate_cron_job(&cj).map_err(OpError::InvalidObject)?;
        let c = self.cron_jobs.len();
        let name = cj.metadata.name.clone();
        let schedule_text = cj.spec.schedule.clone();
        let record = CronJobRecord { cron_job: cj, status: CronJobStatus::default(), removed: false, schedule, queued: None };
        self.cron_jobs.push(record);
        self.cron_jobs[c].cron_job.metadata.resource_version = self.bump_object_version();
        self.record_change(
            format!("cronjob/{name}"),
            super::ChangeDetail::CronJobCreated { schedule: schedule_text },
            "created: the CronJob controller creates a Job at each time of its schedule",
        );
        self.enqueue_cron_job_after(c, 0);
        Ok(c)
    }

    pub(crate) fn find_cron_job(&self, name: &str, namespace: &str) -> Option<usize> {
        self.cron_jobs.iter().position(|r| !r.removed && r.name() == name && r.cron_job.metadata.namespace() == namespace)
    }

    /// CronJobs that exist now (and deleted ones, `removed`), by index.
    pub fn cron_job_records(&self) -> &[CronJobRecord] {
        &self.cron_jobs
    }

    /// `kubectl delete cronjob NAME` with the propagation policy `--cascade` chose
    /// (`garbage_collector.rs`).
    pub fn delete_cron_job_named(&mut self, namespace: &str, name: &str, propagation: super::ops::Propagation) -> Result<(), OpError> {
        let c =
            self.find_cron_job(name, namespace).ok_or_else(|| OpError::NotFound { resource: "cronjobs.batch", name: name.to_string() })?;
        self.delete_owner(super::garbage_collector::Owner::CronJob(c), propagation);
        Ok(())
    }

    /// The CronJob goes; the garbage collector deletes the Jobs it still owns (and they their
    /// pods).
    pub(crate) fn delete_cron_job(&mut self, c: usize, cause: &'static str) {
        self.cron_jobs[c].removed = true;
        self.bump_object_version();
        let name = self.cron_jobs[c].cron_job.metadata.name.clone();
        self.record_change(format!("cronjob/{name}"), super::ChangeDetail::CronJobDeleted, cause);
        for j in self.jobs_of_cron_job(c) {
            self.delete_job(j, "deleted by the garbage collector: its CronJob is gone");
        }
    }

    /// `kubectl create job NAME --from=cronjob/CJ`: the CronJob's Job template as a Job now,
    /// annotated `cronjob.kubernetes.io/instantiate: manual`, owned by the CronJob (without
    /// blockOwnerDeletion). Its controller sees it as a Job it did not start.
    pub fn create_job_from_cron_job(&mut self, namespace: &str, cron_job: &str, name: &str) -> Result<(), OpError> {
        let c = self
            .find_cron_job(cron_job, namespace)
            .ok_or_else(|| OpError::NotFound { resource: "cronjobs.batch", name: cron_job.to_string() })?;
        let mut job = self.job_from_template(c, name, false);
        job.metadata.annotations.entry("cronjob.kubernetes.io/instantiate".into()).or_insert_with(|| "manual".into());
        let j = self.add_job(job)?;
        self.jobs[j].cron_job = Some(c);
        self.enqueue_cron_job_after(c, 0);
        Ok(())
    }

    /// Queues CronJob `c` for a sync `delay` from now, unless one is due sooner.
    pub(crate) fn enqueue_cron_job_after(&mut self, c: usize, delay: Millis) {
        let at = self.now + delay;
        let rec = &mut self.cron_jobs[c];
        if rec.removed || rec.queued.is_some_and(|t| t <= at) {
            return;
        }
        rec.queued = Some(at);
        self.schedule(at, Task::CronJobSync(c));
    }

    /// A Job changed in a way the CronJob controller's informer acts on (it finished, or it
    /// was deleted): its owner is synced at once.
    pub(crate) fn note_job_change_for_cron_job(&mut self, j: usize) {
        if let Some(c) = self.jobs[j].cron_job {
            self.enqueue_cron_job_after(c, 0);
        }
    }

    pub(crate) fn run_cron_job_sync(&mut self, c: usize) {
        if self.cron_jobs[c].queued != Some(self.now) {
            return;
        }
        self.cron_jobs[c].queued = None;
        if self.cron_jobs[c].removed {
            return;
        }
        if self.release.cronjob_cleanup_first {
            self.cleanup_finished_jobs(c);
        }
        let requeue = self.sync_cron_job(c);
        if !self.release.cronjob_cleanup_first {
            self.cleanup_finished_jobs(c);
        }
        if let Some(delay) = requeue {
            self.enqueue_cron_job_after(c, delay);
        }
    }

    pub(crate) fn jobs_of_cron_job(&self, c: usize) -> Vec<usize> {
        (0..self.jobs.len()).filter(|&j| self.jobs[j].cron_job == Some(c) && !self.jobs[j].removed).collect()
    }

    fn cron_job_ref(&self, c: usize) -> ObjectReference {
        let meta = &self.cron_jobs[c].cron_job.metadata;
        ObjectReference::to_object("CronJob", "batch/v1", meta)
    }

    fn cron_job_event(&mut self, c: usize, kind: &str, reason: &str, message: String) {
        let involved = self.cron_job_ref(c);
        self.emit_event(involved, "cronjob-controller", "", kind, reason, message);
    }

    /// `syncCronJob`: the delay of the next sync, if one is wanted.
    fn sync_cron_job(&mut self, c: usize) -> Option<Millis> {
        self.reconcile_cron_job_jobs(c);
        // Being deleted (foreground): nothing but the status, and no next schedule.
        if self.cron_jobs[c].cron_job.spec.is_suspended() || self.cron_jobs[c].cron_job.metadata.deletion.is_some() {
            return None;
        }
        let now = wall_secs(self.now);
        let scheduled = match self.unmet_schedule_time(c, now) {
            Ok(Some(t)) => t,
            Ok(None) => return self.next_sync_delay(c),
            Err(e) => {
                let schedule = self.cron_jobs[c].cron_job.spec.schedule.clone();
                self.cron_job_event(c, "Warning", "InvalidSchedule", format!("invalid schedule: {schedule} : {e}"));
                return None;
            }
        };
        let name = format!("{}-{}", self.cron_jobs[c].name(), scheduled / 60);
        let rec = &self.cron_jobs[c];
        if rec.status.active.iter().any(|a| a.name == name) || rec.status.last_schedule_time == Some(virtual_ms(scheduled)) {
            return self.next_sync_delay(c);
        }
        match rec.cron_job.spec.concurrency_policy() {
            "Forbid" if !rec.status.active.is_empty() => {
                let message = "Not starting job because prior execution is running and concurrency policy is Forbid".to_string();
                self.cron_job_event(c, "Normal", "JobAlreadyActive", message);
                return self.next_sync_delay(c);
            }
            "Replace" => {
                for active in self.cron_jobs[c].status.active.clone().into_iter().map(|a| a.name) {
                    if let Some(j) = self.find_job(&active, self.cron_jobs[c].cron_job.metadata.namespace()) {
                        self.delete_cron_job_job(c, j);
                    }
                }
            }
            _ => {}
        }
        self.start_scheduled_job(c, name, scheduled);
        self.next_sync_delay(c)
    }

    /// Step 1 of `syncCronJob`: finished Jobs leave `status.active` (`SawCompletedJob`), a
    /// succeeded one moves `lastSuccessfulTime`, a running one the controller did not start is
    /// reported, and a Job gone from under it is dropped (`MissingJob`).
    fn reconcile_cron_job_jobs(&mut self, c: usize) {
        for j in self.jobs_of_cron_job(c) {
            let (name, uid) = (self.jobs[j].name().to_string(), self.jobs[j].job.metadata.uid.clone());
            let in_active = self.cron_jobs[c].status.active.iter().any(|a| a.uid == uid);
            let status = self.jobs[j].status.clone();
            if !status.finished() {
                if !in_active {
                    let message = format!("Saw a job that the controller did not create or forgot: {name}");
                    self.cron_job_event(c, "Warning", "UnexpectedJob", message);
                }
                continue;
            }
            if in_active {
                self.cron_jobs[c].status.active.retain(|a| a.uid != uid);
                let condition = if status.true_condition("Complete").is_some() { "Complete" } else { "Failed" };
                let word = if self.release.cronjob_saw_completed_condition { "condition" } else { "status" };
                self.cron_job_event(c, "Normal", "SawCompletedJob", format!("Saw completed job: {name}, {word}: {condition}"));
                self.cron_jobs[c].cron_job.metadata.resource_version = self.bump_object_version();
            }
            if let (Some(_), Some(done)) = (status.true_condition("Complete"), status.completion_time) {
                let last = &mut self.cron_jobs[c].status.last_successful_time;
                if last.is_none_or(|t| done > t) {
                    *last = Some(done);
                }
            }
        }
        let namespace = self.cron_jobs[c].cron_job.metadata.namespace().to_string();
        for ActiveJobRef { name, uid, .. } in self.cron_jobs[c].status.active.clone() {
            if self.find_job(&name, &namespace).is_none_or(|j| self.jobs[j].job.metadata.uid != uid) {
                self.cron_jobs[c].status.active.retain(|a| a.uid != uid);
                self.cron_job_event(c, "Normal", "MissingJob", format!("Active job went missing: {name}"));
            }
        }
    }

    /// `nextScheduleTime`: the most recent schedule time not yet run, within
    /// `startingDeadlineSeconds` when it is set.
    fn unmet_schedule_time(&mut self, c: usize, now: i64) -> Result<Option<i64>, String> {
        let rec = &self.cron_jobs[c];
        let mut earliest = wall_secs(rec.status.last_schedule_time.unwrap_or(rec.cron_job.metadata.creation));
        if let Some(deadline) = rec.cron_job.spec.starting_deadline_seconds {
            earliest = earliest.max(now - deadline);
        }
        let (most, missed) = most_recent(&rec.schedule, earliest, now)?;
        if most.is_some() && missed > MANY_MISSED {
            let message = "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew";
            self.cron_job_event(c, "Warning", "TooManyMissedTimes", message.into());
        }
        Ok(most)
    }

    /// `nextScheduleTimeDuration`: from the most recent schedule time (or the earliest one
    /// that could be), the next one, plus 100 ms.
    fn next_sync_delay(&self, c: usize) -> Option<Millis> {
        let rec = &self.cron_jobs[c];
        let now = wall_secs(self.now);
        let earliest = wall_secs(rec.status.last_schedule_time.unwrap_or(rec.cron_job.metadata.creation));
        let base = match most_recent(&rec.schedule, earliest, now) {
            Ok((Some(most), _)) => most,
            Ok((None, 0)) => earliest,
            _ => now,
        };
        let next = virtual_ms(rec.schedule.next(base)?) + NEXT_SCHEDULE_DELTA;
        Some(next.saturating_sub(self.now))
    }

    /// `getJobFromTemplate2` and its create: the Job of the schedule time `scheduled`.
    fn start_scheduled_job(&mut self, c: usize, name: String, scheduled: i64) {
        let mut job = self.job_from_template(c, &name, true);
        if self.release.cronjob_scheduled_annotation {
            let stamp = podplay_k8s_util::time::format_rfc3339(scheduled);
            job.metadata.annotations.insert(SCHEDULED_TIMESTAMP.into(), stamp);
        }
        let namespace = self.cron_jobs[c].cron_job.metadata.namespace().to_string();
        match self.add_job(job) {
            Ok(j) => {
                self.jobs[j].cron_job = Some(c);
                self.cron_job_event(c, "Normal", "SuccessfulCreate", format!("Created job {name}"));
                let active = self.active_job_ref(j);
                self.cron_jobs[c].status.active.push(active);
            }
            Err(OpError::AlreadyExists { .. }) => {
                // Made before by this CronJob (its status write was lost): taken back as active.
                let Some(j) = self.find_job(&name, &namespace).filter(|&j| self.jobs[j].cron_job == Some(c)) else { return };
                let active = self.active_job_ref(j);
                if !self.cron_jobs[c].status.active.iter().any(|a| a.uid == active.uid) {
                    self.cron_jobs[c].status.active.push(active);
                }
            }
            Err(e) => {
                let message = format!("Error creating job: {}", super::ops::op_error_text(&e));
                self.cron_job_event(c, "Warning", "FailedCreate", message);
                return;
            }
        }
        self.cron_jobs[c].status.last_schedule_time = Some(virtual_ms(scheduled));
        self.cron_jobs[c].cron_job.metadata.resource_version = self.bump_object_version();
    }

    /// A Job `name` of CronJob `c`'s template: its labels, annotations and spec, the CronJob as
    /// controller owner (`getJobFromTemplate2`; kubectl's `createJobFromCronJob` without
    /// `blockOwnerDeletion`).
    fn job_from_template(&self, c: usize, name: &str, block_owner_deletion: bool) -> Job {
        let cj = &self.cron_jobs[c].cron_job;
        let template = &cj.spec.job_template;
        let mut job = Job { spec: template.spec.clone(), ..Default::default() };
        job.metadata.name = name.to_string();
        job.metadata.namespace = Some(cj.metadata.namespace().to_string());
        job.metadata.labels = template.metadata.labels.clone();
        job.metadata.annotations = template.metadata.annotations.clone();
        job.metadata.owner_references =
            Some(super::replicaset::owner_ref_of("batch/v1", "CronJob", &cj.metadata.name, &cj.metadata.uid, block_owner_deletion));
        job
    }

    /// `getRef` of Job `j` as it is now.
    fn active_job_ref(&self, j: usize) -> ActiveJobRef {
        let meta = &self.jobs[j].job.metadata;
        ActiveJobRef { name: meta.name.clone(), uid: meta.uid.clone(), resource_version: meta.resource_version.clone().unwrap_or_default() }
    }

    /// `deleteJob`: background propagation, out of `status.active`, `SuccessfulDelete`.
    fn delete_cron_job_job(&mut self, c: usize, j: usize) {
        let (name, uid) = (self.jobs[j].name().to_string(), self.jobs[j].job.metadata.uid.clone());
        self.delete_job(j, "the CronJob controller deleted the Job (history limit or concurrencyPolicy Replace)");
        self.cron_jobs[c].status.active.retain(|a| a.uid != uid);
        self.cron_job_event(c, "Normal", "SuccessfulDelete", format!("Deleted job {name}"));
    }

    /// `cleanupFinishedJobs`: the oldest finished Jobs (by start time, unstarted last, then by
    /// name) past `successfulJobsHistoryLimit` and `failedJobsHistoryLimit` are deleted.
    fn cleanup_finished_jobs(&mut self, c: usize) {
        let spec = &self.cron_jobs[c].cron_job.spec;
        let limits = [("Complete", spec.successful_jobs_history_limit), ("Failed", spec.failed_jobs_history_limit)];
        for (condition, limit) in limits {
            let Some(limit) = limit else { continue };
            let mut finished: Vec<usize> =
                self.jobs_of_cron_job(c).into_iter().filter(|&j| self.jobs[j].status.true_condition(condition).is_some()).collect();
            let excess = finished.len().saturating_sub(limit.max(0) as usize);
            if excess == 0 {
                continue;
            }
            podplay_k8s_util::sort::sort_by(&mut finished, |&a, &b| {
                let key =
                    |j: usize| (self.jobs[j].status.start_time.is_none(), self.jobs[j].status.start_time, self.jobs[j].name().to_string());
                key(a).cmp(&key(b))
            });
            for j in finished.into_iter().take(excess) {
                self.delete_cron_job_job(c, j);
            }
        }
    }
}

/// `validateCronJobSpec` (the parts that show), the name's length, and podplay's one time zone.
fn validate_cron_job(cj: &CronJob) -> Result<Schedule, InvalidObject> {
    let name = &cj.metadata.name;
    if name.is_empty() {
        return Err(InvalidObject::unnamed("CronJob"));
    }
    let spec = &cj.spec;
    let mut problems = Vec::new();
    if name.len() > MAX_NAME_LENGTH {
        problems.push(FieldError::at_value(
            "metadata.name",
            format!("Invalid value: {}: must be no more than {MAX_NAME_LENGTH} characters", podplay_k8s_util::gofmt::quote(name)),
        ));
    }
    let schedule = if spec.schedule.is_empty() {
        problems.push(FieldError::at_key("spec.schedule", "Required value"));
        None
    } else {
        match cron::parse_standard(&spec.schedule) {
            Ok(_) if spec.schedule.contains("TZ") => {
                let detail = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
                problems.push(FieldError::at_value(
                    "spec.schedule",
                    format!("Invalid value: {}: {detail}", podplay_k8s_util::gofmt::quote(&spec.schedule)),
                ));
                None
            }
            Ok(s) => Some(s),
            Err(e) => {
                problems.push(FieldError::at_value(
                    "spec.schedule",
                    format!("Invalid value: {}: {e}", podplay_k8s_util::gofmt::quote(&spec.schedule)),
                ));
                None
            }
        }
    };
    match spec.time_zone.as_deref() {
        None | Some("UTC") | Some("Etc/UTC") => {}
        Some("") => problems.push(FieldError::at_value("spec.timeZone", "Invalid value: \"\": timeZone must be nil or non-empty string")),
        Some(tz) => problems.push(FieldError::at_value(
            "spec.timeZone",
            format!(
                "Invalid value: {}: podplay has no time-zone database and runs schedules in UTC: leave timeZone out, or set it to \"UTC\"",
                podplay_k8s_util::gofmt::quote(tz)
            ),
        )),
    }
    for (field, value) in [
        ("startingDeadlineSeconds", spec.starting_deadline_seconds),
        ("successfulJobsHistoryLimit", spec.successful_jobs_history_limit.map(i64::from)),
        ("failedJobsHistoryLimit", spec.failed_jobs_history_limit.map(i64::from)),
    ] {
        if let Some(v) = value.filter(|v| *v < 0) {
            problems.push(FieldError::at_value(format!("spec.{field}"), format!("Invalid value: {v}: must be greater than or equal to 0")));
        }
    }
    let policy = spec.concurrency_policy();
    if !matches!(policy, "Allow" | "Forbid" | "Replace") {
        problems.push(FieldError::not_supported("spec.concurrencyPolicy", policy, &["Allow", "Forbid", "Replace"]));
    }
    let template = Job { metadata: cj.metadata.clone(), spec: spec.job_template.spec.clone(), ..Default::default() };
    if let Err(invalid) = super::job_api::validate_job_template(&template) {
        problems.extend(invalid.errors.into_iter().map(|mut e| {
            e.field = format!("spec.jobTemplate.{}", e.field);
            e
        }));
    }
    InvalidObject::check("CronJob", name, problems)?;
    Ok(schedule.expect("a schedule when there is no problem"))
}

#[cfg(test)]
mod tests {
    use super::most_recent;
    use podplay_k8s_util::cron::parse_standard;

    const HOUR: i64 = 3600;

    /// `mostRecentScheduleTime` (utils.go): none before the first time, the one time, the latest
    /// of many (and how many were missed), and an uneven schedule whose estimate overshoots.
    #[test]
    fn most_recent_schedule_time() {
        let hourly = parse_standard("0 * * * *").unwrap();
        assert_eq!(most_recent(&hourly, 10, 3599), Ok((None, 0)));
        assert_eq!(most_recent(&hourly, 10, HOUR + 5), Ok((Some(HOUR), 1)));
        assert_eq!(most_recent(&hourly, 10, 150 * HOUR + 5), Ok((Some(150 * HOUR), 150)));
        // Jan 1 at 00:00 and 00:01 only: from 1970-01-01 00:00:30 to a day into 1972.
        let uneven = parse_standard("0,1 0 1 1 *").unwrap();
        let (most, _) = most_recent(&uneven, 30, 730 * 24 * HOUR + 86_400).unwrap();
        assert_eq!(most, Some(730 * 24 * HOUR + 60));
    }
}
