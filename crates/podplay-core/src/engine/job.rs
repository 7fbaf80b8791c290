//! The Job controller (kube-controller-manager `pkg/controller/job/job_controller.go`,
//! `backoff_utils.go`, `indexed_job_utils.go`) and the TTL-after-finished controller
//! (`pkg/controller/ttlafterfinished`).
//!
//! Informer-driven like the ReplicaSet controller: creating a Job syncs it at once, a write of
//! one of its pods syncs it a second later (`syncJobBatchPeriod`; from the release whose
//! JobReadyPods gate is on, at once before), and a sync that must wait (pod-failure back-off,
//! `activeDeadlineSeconds`) asks to be synced again then. A sync counts the pods that finished
//! since the last one (what the tracking finalizers count upstream: each pod once), decides
//! whether the Job failed (backoffLimit, deadline) or is complete, otherwise creates pods up
//! to `parallelism` (no more than completions left) once the back-off since the last failure
//! has passed, and writes the status. Each create, delete and status write is a request of the
//! controller's API client, which waits for its rate limit (`api_client`): a sync with more to
//! do than the client allows goes on when it does, holding its Job meanwhile.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::job_util::{first_pending_indexes, intervals_string, BackoffRecord};
use super::{Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::{Job, JobCondition, JobStatus, ObjectReference, Pod};

/// `batch.kubernetes.io/job-completion-index`: the annotation (and, from PodIndexLabel, the
/// label) an Indexed Job's pod carries.
pub(crate) const JOB_COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// `MaxPodCreateDeletePerSync`.
const MAX_POD_CREATE_DELETE_PER_SYNC: usize = 500;
/// `controller.SlowStartInitialBatchSize`.
const SLOW_START_INITIAL_BATCH_SIZE: usize = 1;
/// `syncJobBatchPeriod`.
const SYNC_JOB_BATCH_PERIOD: Millis = SECOND;

/// A Job as the API server holds it, with the status its controller wrote.
#[derive(Debug, Clone)]
pub struct JobRecord {
    pub job: Job,
    pub status: JobStatus,
    pub removed: bool,
    /// Pods already counted in `succeeded`/`failed` (upstream: their tracking finalizer is gone).
    counted: BTreeSet<usize>,
    /// Indexed Jobs: the indexes that succeeded.
    succeeded_indexes: BTreeSet<i32>,
    /// `podBackoffStore`'s record for this Job.
    backoff: BackoffRecord,
    /// The CronJob that made it (its controller owner), by index.
    pub cron_job: Option<usize>,
    /// The pods it created, by index (those since removed included).
    created: Vec<usize>,
}

impl JobRecord {
    pub fn name(&self) -> &str {
        &self.job.metadata.name
    }
}

/// The controller's work queue: each queued Job and when its sync is due (`AddAfter` keeps
/// the earliest).
#[derive(Debug, Default)]
pub(crate) struct JobControllerState {
    queued: BTreeMap<usize, Millis>,
    /// The controller's API client (its rate limit).
    client: super::api_client::ApiClient,
    /// Syncs waiting for the client. The worker holds the Job: a sync queued meanwhile runs
    /// once the waiting one ends (`dirty`, as the work queue keeps a key added while processed).
    waiting: BTreeMap<usize, PausedJobSync>,
    dirty: BTreeSet<usize>,
}

/// A sync waiting for the controller's client: until when, what it saw and decided at its
/// start, and the requests it still has to make.
#[derive(Debug, Clone)]
struct PausedJobSync {
    until: Millis,
    /// Its next request's token is reserved (taken when it paused, as `rate.Limiter.Wait`
    /// reserves one: each waiting sync wakes once per request, not once per token).
    reserved: bool,
    status: JobStatus,
    counts: PodCounts,
    requests: PodRequests,
    end: SyncEnd,
}

/// The pod creates and deletes one sync makes.
#[derive(Debug, Clone, Default)]
struct PodRequests {
    /// Pods to create, each with its completion index for an Indexed Job, in slow-start
    /// batches (1, 2, 4, …; a batch with a failed create is the last).
    creates: VecDeque<Option<i32>>,
    batch: usize,
    made: usize,
    failed: bool,
    /// Pods to delete.
    deletes: VecDeque<usize>,
    created: i32,
    deleted: i32,
}

/// How a sync ends once its requests are made: the Job runs on with `active` pods before
/// those created and deleted, or it failed.
#[derive(Debug, Clone, Copy)]
enum SyncEnd {
    Run { active: i32 },
    Fail { reason: &'static str, message: &'static str },
}

/// What one sync sees of a Job's pods.
#[derive(Debug, Clone)]
struct PodCounts {
    active: Vec<usize>,
    new_succeeded: Vec<usize>,
    new_failed: Vec<usize>,
    terminating: i32,
}

impl Engine {
    /// Queues Job `j` for a sync `delay` from now, unless one is due sooner.
    pub(crate) fn enqueue_job_after(&mut self, j: usize, delay: Millis) {
        let at = self.now + delay;
        if self.jobs[j].removed || self.job_controller.queued.get(&j).is_some_and(|&t| t <= at) {
            return;
        }
        self.job_controller.queued.insert(j, at);
        self.schedule(at, Task::JobSync(j));
    }

    /// A pod write reached the Job controller's informer (`enqueueSyncJobBatched`).
    pub(crate) fn note_pod_write_for_job(&mut self, p: usize) {
        if let Some(j) = self.pods[p].job {
            let delay = if self.release.job_ready_pods { SYNC_JOB_BATCH_PERIOD } else { 0 };
            self.enqueue_job_after(j, delay);
        }
    }

    /// A queued sync came due, or a waiting one's client is ready; a stale task (the Job was
    /// synced sooner) does nothing.
    pub(crate) fn run_job_sync(&mut self, j: usize) {
        let controller = &mut self.job_controller;
        if let Some(paused) = controller.waiting.remove(&j) {
            if paused.until != self.now {
                controller.waiting.insert(j, paused);
            } else {
                self.resume_job_sync(j, paused);
            }
        }
        let controller = &mut self.job_controller;
        if controller.queued.get(&j) != Some(&self.now) {
            return;
        }
        controller.queued.remove(&j);
        if controller.waiting.contains_key(&j) {
            controller.dirty.insert(j);
        } else {
            self.sync_job(j);
        }
    }

    pub(crate) fn job_ref(&self, j: usize) -> ObjectReference {
        let meta = &self.jobs[j].job.metadata;
        ObjectReference::to_object("Job", "batch/v1", meta)
    }

    fn job_event(&mut self, j: usize, kind: &str, reason: &str, message: String) {
        let involved = self.job_ref(j);
        self.emit_event(involved, "job-controller", "", kind, reason, message);
    }

    /// Every pod Job `j` created, removed ones included (a pod deleted before it was counted
    /// still counts, as its tracking finalizer makes it upstream).
    pub(crate) fn pods_of_job(&self, j: usize) -> Vec<usize> {
        self.jobs[j].created.iter().copied().filter(|&p| self.pods[p].job == Some(j)).collect()
    }

    /// `syncJob`.
    fn sync_job(&mut self, j: usize) {
        // (A Job being deleted in the foreground waits for the garbage collector.)
        if self.jobs[j].removed || self.jobs[j].status.finished() || self.jobs[j].job.metadata.deletion.is_some() {
            return;
        }
        let counts = self.count_job_pods(j);
        let mut status = self.jobs[j].status.clone();
        if status.start_time.is_none() && !self.jobs[j].job.spec.is_suspended() {
            status.start_time = Some(self.now);
        }
        self.record_job_backoff(j, &counts);
        self.count_finished(j, &mut status, &counts);
        let (requests, end) = match self.job_failure(j, &status) {
            // deleteActivePods: the active pods go, and count as failed.
            Some((reason, message)) => {
                (PodRequests { deletes: counts.active.iter().copied().collect(), ..Default::default() }, SyncEnd::Fail { reason, message })
            }
            None => self.manage_job(j, &status, &counts),
        };
        self.make_requests(j, PausedJobSync { until: self.now, reserved: false, status, counts, requests, end });
    }

    /// A sync whose client is ready again goes on; a sync queued meanwhile runs once it ends.
    fn resume_job_sync(&mut self, j: usize, paused: PausedJobSync) {
        // A Job deleted meanwhile (in the foreground, the collector waits for its pods) makes
        // no more.
        if self.jobs[j].removed || self.jobs[j].job.metadata.deletion.is_some() {
            self.job_controller.dirty.remove(&j);
            return;
        }
        self.make_requests(j, paused);
    }

    /// The sync's creates and deletes, each when the client lets it go, then its end; or it
    /// waits for the client's next token and goes on then.
    fn make_requests(&mut self, j: usize, mut sync: PausedJobSync) {
        while !sync.requests.is_empty() {
            if !std::mem::take(&mut sync.reserved) {
                let ready = self.job_controller.client.ready_at(self.now);
                // The request takes its token now, or reserves the next one and waits for it.
                self.job_controller.client.take(self.now);
                if ready > self.now {
                    sync.until = ready;
                    sync.reserved = true;
                    self.job_controller.waiting.insert(j, sync);
                    self.schedule(ready, Task::JobSync(j));
                    return;
                }
            }
            self.make_request(j, &mut sync);
        }
        let PausedJobSync { mut status, counts, requests, end, .. } = sync;
        match end {
            SyncEnd::Run { active } => {
                // manageJob's deletions count as terminating (`jobCtx.terminating += removed`).
                status.terminating = self.release.job_pod_replacement_policy.then_some(counts.terminating + requests.deleted);
                self.run_job(j, status, counts, active + requests.created - requests.deleted)
            }
            SyncEnd::Fail { reason, message } => {
                status.failed += requests.deleted;
                self.fail_job(j, status, counts, reason, message);
            }
        }
        if self.job_controller.dirty.remove(&j) {
            self.sync_job(j);
        }
    }

    /// One delete (they go first), or one create of the slow-start batch under way.
    fn make_request(&mut self, j: usize, sync: &mut PausedJobSync) {
        let requests = &mut sync.requests;
        if let Some(p) = requests.deletes.pop_front() {
            requests.deleted += 1;
            // deleteJobPods removes the tracking finalizer first: the pod is counted here (as
            // failed when the Job failed) and never again.
            self.jobs[j].counted.insert(p);
            // (One gone meanwhile: its delete finds it not there.)
            if !self.pods[p].removed && !self.pods[p].deleting() {
                let cause = match sync.end {
                    SyncEnd::Run { .. } => "the Job controller deleted a surplus pod (suspended, or parallelism went down)",
                    SyncEnd::Fail { .. } => "the Job controller deleted an active pod: the Job failed",
                };
                self.delete_job_pod(j, p, cause);
            }
            return;
        }
        let Some(index) = requests.creates.pop_front() else { return };
        let created = self.create_job_pod(j, index);
        let requests = &mut sync.requests;
        requests.created += created as i32;
        requests.failed |= !created;
        requests.made += 1;
        if requests.made == requests.batch {
            if requests.failed {
                // The creates not made (skippedPods) are not active.
                requests.creates.clear();
            }
            requests.made = 0;
            requests.batch = (2 * requests.batch).min(requests.creates.len());
        }
    }

    /// The active pods, the newly finished ones and the terminating ones.
    fn count_job_pods(&self, j: usize) -> PodCounts {
        let mut counts = PodCounts { active: vec![], new_succeeded: vec![], new_failed: vec![], terminating: 0 };
        for p in self.pods_of_job(j) {
            let rec = &self.pods[p];
            let phase = rec.pod.status.phase.as_str();
            let terminal = phase == "Succeeded" || phase == "Failed";
            if !rec.removed && !rec.deleting() && !terminal {
                counts.active.push(p);
            }
            if !rec.removed && rec.deleting() && !terminal {
                counts.terminating += 1;
            }
            if self.jobs[j].counted.contains(&p) {
                continue;
            }
            if phase == "Succeeded" {
                counts.new_succeeded.push(p);
            } else if phase == "Failed" || rec.deleting() || rec.removed {
                // isPodFailed: a deleted pod that did not succeed counts as failed.
                counts.new_failed.push(p);
            }
        }
        counts
    }

    /// `newBackoffRecord` from the newly finished pods' finish times.
    fn record_job_backoff(&mut self, j: usize, counts: &PodCounts) {
        let finished = |ps: &[usize]| ps.iter().map(|&p| pod_finished_time(&self.pods[p].pod)).collect::<Vec<_>>();
        let (succeeded, failed) = (finished(&counts.new_succeeded), finished(&counts.new_failed));
        let record = &mut self.jobs[j];
        record.backoff = record.backoff.with_finished(succeeded, failed);
    }

    /// Adds the newly finished pods to `succeeded`/`failed` (and to the succeeded indexes).
    fn count_finished(&mut self, j: usize, status: &mut JobStatus, counts: &PodCounts) {
        let completions = self.jobs[j].job.spec.completions.unwrap_or(0);
        let indexed = self.jobs[j].job.spec.is_indexed();
        for &p in &counts.new_succeeded {
            let index = completion_index(&self.pods[p].pod);
            let record = &mut self.jobs[j];
            record.counted.insert(p);
            match index.filter(|i| indexed && *i < completions) {
                Some(i) => {
                    record.succeeded_indexes.insert(i);
                }
                None if !indexed => status.succeeded += 1,
                None => {}
            }
        }
        if indexed {
            status.succeeded = self.jobs[j].succeeded_indexes.len() as i32;
            status.completed_indexes = intervals_string(&self.jobs[j].succeeded_indexes);
        }
        for &p in &counts.new_failed {
            self.jobs[j].counted.insert(p);
            status.failed += 1;
        }
    }

    /// Why the Job fails now, if it does: backoffLimit (pod failures, or with OnFailure the
    /// containers' restarts), then activeDeadlineSeconds (else a sync is asked for then).
    fn job_failure(&mut self, j: usize, status: &JobStatus) -> Option<(&'static str, &'static str)> {
        if let Some(c) = status.true_condition("FailureTarget") {
            return Some(if c.reason == "DeadlineExceeded" { DEADLINE_EXCEEDED } else { BACKOFF_LIMIT_EXCEEDED });
        }
        let spec = &self.jobs[j].job.spec;
        if status.failed > spec.backoff_limit() || self.past_backoff_limit_on_failure(j) {
            return Some(BACKOFF_LIMIT_EXCEEDED);
        }
        let (Some(deadline), Some(start)) = (spec.active_deadline_seconds, status.start_time) else { return None };
        if spec.is_suspended() {
            return None;
        }
        // The informer's startTime is in whole seconds.
        let ends = start / SECOND * SECOND + deadline.max(0) as Millis * SECOND;
        if self.now >= ends {
            return Some(DEADLINE_EXCEEDED);
        }
        self.enqueue_job_after(j, ends - self.now);
        None
    }

    /// `pastBackoffLimitOnFailure`: with restartPolicy OnFailure, the restarts of the
    /// containers of the pods still Pending or Running reach backoffLimit (any, for 0).
    fn past_backoff_limit_on_failure(&self, j: usize) -> bool {
        let spec = &self.jobs[j].job.spec;
        if spec.template.spec.restart_policy.as_deref() != Some("OnFailure") {
            return false;
        }
        let restarts: i32 = self
            .pods_of_job(j)
            .into_iter()
            .map(|p| &self.pods[p].pod.status)
            .filter(|s| s.phase == "Running" || s.phase == "Pending")
            .flat_map(|s| s.init_container_statuses.iter().chain(s.container_statuses.iter()))
            .map(|c| c.restart_count)
            .sum();
        let limit = spec.backoff_limit();
        if limit == 0 {
            restarts > 0
        } else {
            restarts >= limit
        }
    }

    /// The Job failed: its active pods are deleted (and count as failed), then the `Failed`
    /// condition, or first `FailureTarget` while pods are still terminating (from 1.31).
    /// Its active pods were deleted (and counted as failed) by then.
    fn fail_job(&mut self, j: usize, mut status: JobStatus, counts: PodCounts, reason: &str, message: &str) {
        let deleted = counts.active.len() as i32;
        status.active = 0;
        status.ready = self.release.job_ready_pods.then_some(0);
        let terminating = counts.terminating + deleted;
        status.terminating = self.release.job_pod_replacement_policy.then_some(terminating);
        let finished = if self.release.job_delayed_terminal_condition {
            set_condition(&mut status, "FailureTarget", reason, message, self.now);
            terminating == 0
        } else {
            true
        };
        if finished {
            set_condition(&mut status, "Failed", reason, message, self.now);
        }
        self.write_job_status(j, status);
        if finished {
            self.job_event(j, "Warning", reason, message.to_string());
            self.job_finished(j);
        }
    }

    /// No failure: with `active` pods once those to match were created or deleted, completion
    /// checked, status written.
    fn run_job(&mut self, j: usize, mut status: JobStatus, counts: PodCounts, active: i32) {
        let spec = &self.jobs[j].job.spec;
        let complete = match spec.completions {
            None => status.succeeded > 0 && active == 0,
            Some(c) => status.succeeded >= c && active == 0,
        };
        self.update_suspended_condition(j, &mut status, complete);
        status.active = active;
        status.ready = self.release.job_ready_pods.then(|| self.ready_pods(&counts.active));
        // From 1.31 the Complete condition also waits for terminating pods.
        let finished = complete && (counts.terminating == 0 || !self.release.job_delayed_terminal_condition);
        if finished {
            if self.release.job_delayed_terminal_condition {
                set_condition(&mut status, "SuccessCriteriaMet", "", "", self.now);
            }
            set_condition(&mut status, "Complete", "", "", self.now);
            status.completion_time = Some(self.now);
        }
        self.write_job_status(j, status);
        if finished {
            self.job_event(j, "Normal", "Completed", "Job completed".into());
            self.job_finished(j);
        }
    }

    fn ready_pods(&self, pods: &[usize]) -> i32 {
        let ready = |p: &usize| self.pods[*p].pod.status.condition("Ready").is_some_and(|c| c.status == "True");
        pods.iter().filter(|p| !self.pods[**p].deleting() && ready(p)).count() as i32
    }

    /// `manageJob`'s plan: delete the surplus (or every active pod of a suspended Job), or
    /// create the missing ones once the back-off has passed, at most
    /// `MaxPodCreateDeletePerSync`; and how many pods are active before those.
    fn manage_job(&mut self, j: usize, status: &JobStatus, counts: &PodCounts) -> (PodRequests, SyncEnd) {
        let spec = &self.jobs[j].job.spec;
        let active = counts.active.len() as i32;
        let want = if spec.is_suspended() {
            0
        } else {
            match spec.completions {
                None if status.succeeded > 0 => active,
                None => spec.parallelism(),
                Some(c) => (c - status.succeeded).clamp(0, spec.parallelism()),
            }
        };
        let run = |active| SyncEnd::Run { active };
        if active > want {
            let surplus = (active - want) as usize;
            let deletes = counts.active.iter().rev().take(surplus.min(MAX_POD_CREATE_DELETE_PER_SYNC)).copied().collect();
            return (PodRequests { deletes, ..Default::default() }, run(active));
        }
        let diff = (want - active) as usize;
        if diff == 0 {
            return (PodRequests::default(), run(active));
        }
        let max = self.release.job_max_backoff_seconds as Millis * SECOND;
        let remaining = self.jobs[j].backoff.remaining(self.now, max);
        if remaining > 0 {
            // enqueueSyncJobWithDelay (at least the batch period). Upstream's manageJob
            // returns 0 active here, which the status then shows until the next sync.
            self.enqueue_job_after(j, remaining.max(SYNC_JOB_BATCH_PERIOD));
            return (PodRequests::default(), run(0));
        }
        let creates = self.pods_to_create(j, diff.min(MAX_POD_CREATE_DELETE_PER_SYNC), &counts.active);
        let batch = creates.len().min(SLOW_START_INITIAL_BATCH_SIZE);
        (PodRequests { creates, batch, ..Default::default() }, run(active))
    }

    /// The `n` pods to create: for an Indexed Job, one per lowest pending index.
    fn pods_to_create(&self, j: usize, n: usize, active: &[usize]) -> VecDeque<Option<i32>> {
        let spec = &self.jobs[j].job.spec;
        if !spec.is_indexed() {
            return std::iter::repeat_n(None, n).collect();
        }
        let running: BTreeSet<i32> = podplay_k8s_util::sort::btree_set(active.iter().filter_map(|&p| completion_index(&self.pods[p].pod)));
        let indexes = first_pending_indexes(&self.jobs[j].succeeded_indexes, &running, n, spec.completions.unwrap_or(0));
        indexes.into_iter().map(Some).collect()
    }

    /// `CreatePodsWithGenerateName`: the template's labels, annotations and spec, the Job as
    /// controller owner; an Indexed pod also gets its index (annotation, label from
    /// PodIndexLabel, `JOB_COMPLETION_INDEX`, hostname `<job>-<index>`).
    /// Whether it was created.
    fn create_job_pod(&mut self, j: usize, index: Option<i32>) -> bool {
        let job = &self.jobs[j].job;
        let mut pod = Pod { api_version: "v1".into(), kind: "Pod".into(), spec: job.spec.template.spec.clone(), ..Default::default() };
        pod.metadata.labels = job.spec.template.metadata.labels.clone();
        pod.metadata.annotations = job.spec.template.metadata.annotations.clone();
        pod.metadata.namespace = Some(job.metadata.namespace().to_string());
        let mut prefix = format!("{}-", job.metadata.name);
        if let Some(i) = index {
            add_completion_index(&mut pod, i, self.release.job_index_label);
            pod.spec.hostname = Some(format!("{}-{i}", job.metadata.name));
            if self.release.job_index_label {
                prefix = format!("{}-{i}-", job.metadata.name);
            }
        }
        pod.metadata.generate_name = Some(prefix.clone());
        pod.metadata.owner_references =
            Some(super::replicaset::controller_ref_of("batch/v1", "Job", &job.metadata.name, &job.metadata.uid));
        pod.metadata.name = self.generated_name(&prefix, job.metadata.namespace().to_string());
        let name = pod.metadata.name.clone();
        match self.add_pod(pod) {
            Ok(()) => {
                let p = self.pods.len() - 1;
                self.pods[p].job = Some(j);
                self.jobs[j].created.push(p);
                self.job_event(j, "Normal", "SuccessfulCreate", format!("Created pod: {name}"));
                true
            }
            Err(e) => {
                let message = format!("Error creating: {}", super::ops::op_error_text(&e));
                self.job_event(j, "Warning", "FailedCreate", message);
                false
            }
        }
    }

    fn delete_job_pod(&mut self, j: usize, p: usize, cause: &'static str) {
        let name = self.pods[p].name().to_string();
        self.delete_pod(p, None, false);
        self.record_change(format!("pod/{name}"), super::ChangeDetail::PodTerminating { evicted: false }, cause);
        self.job_event(j, "Normal", "SuccessfulDelete", format!("Deleted pod: {name}"));
    }

    /// The `Suspended` condition and its events (only while the Job is not complete).
    fn update_suspended_condition(&mut self, j: usize, status: &mut JobStatus, complete: bool) {
        if complete {
            return;
        }
        let suspended = self.jobs[j].job.spec.is_suspended();
        let was = status.true_condition("Suspended").is_some();
        if suspended && !was {
            set_condition(status, "Suspended", "JobSuspended", "Job suspended", self.now);
            self.job_event(j, "Normal", "Suspended", "Job suspended".into());
        } else if !suspended && was {
            if let Some(c) = status.conditions.iter_mut().find(|c| c.kind == "Suspended") {
                *c = condition("Suspended", "False", "JobResumed", "Job resumed", self.now);
            }
            status.start_time = Some(self.now);
            self.job_event(j, "Normal", "Resumed", "Job resumed".into());
        }
    }

    /// The status is written when it changed; a new condition is a timeline change.
    fn write_job_status(&mut self, j: usize, status: JobStatus) {
        if self.jobs[j].status == status {
            return;
        }
        // The write takes a token too (it is not held back: the requests after it wait).
        self.job_controller.client.take(self.now);
        let before: Vec<(String, String)> = self.jobs[j].status.conditions.iter().map(|c| (c.kind.clone(), c.status.clone())).collect();
        self.jobs[j].status = status;
        self.jobs[j].job.metadata.resource_version = self.bump_object_version();
        let name = self.jobs[j].name().to_string();
        let new: Vec<JobCondition> =
            self.jobs[j].status.conditions.iter().filter(|c| !before.contains(&(c.kind.clone(), c.status.clone()))).cloned().collect();
        for c in new {
            self.record_change(
                format!("job/{name}"),
                super::ChangeDetail::JobCondition { condition: c.kind, status: c.status, reason: c.reason },
                "the Job controller counted the Job's pods",
            );
        }
    }

    /// The Job finished: the TTL-after-finished controller deletes it `ttlSecondsAfterFinished`
    /// after the finishing condition's time (whole seconds).
    fn job_finished(&mut self, j: usize) {
        self.note_job_change_for_cron_job(j);
        let Some(ttl) = self.jobs[j].job.spec.ttl_seconds_after_finished else { return };
        let at = self.now / SECOND * SECOND + ttl.max(0) as Millis * SECOND;
        self.schedule(at, Task::JobTtl(j));
    }

    /// The TTL ran out: the Job is deleted, and its pods with it.
    pub(crate) fn job_ttl_expired(&mut self, j: usize) {
        if !self.jobs[j].removed {
            self.delete_job(j, "the TTL-after-finished controller deleted the finished Job (ttlSecondsAfterFinished)");
        }
    }
}

const BACKOFF_LIMIT_EXCEEDED: (&str, &str) = ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
const DEADLINE_EXCEEDED: (&str, &str) = ("DeadlineExceeded", "Job was active longer than specified deadline");

fn condition(kind: &str, status: &str, reason: &str, message: &str, now: Millis) -> JobCondition {
    JobCondition {
        kind: kind.into(),
        status: status.into(),
        last_probe_time: now,
        last_transition_time: now,
        reason: reason.into(),
        message: message.into(),
    }
}

/// `ensureJobConditionStatus` for a True condition: added, or replaced when it differs.
fn set_condition(status: &mut JobStatus, kind: &str, reason: &str, message: &str, now: Millis) {
    let new = condition(kind, "True", reason, message, now);
    match status.conditions.iter_mut().find(|c| c.kind == kind) {
        Some(c) if c.status == "True" && c.reason == reason && c.message == message => {}
        Some(c) => *c = new,
        None => status.conditions.push(new),
    }
}

/// The pod's completion index annotation, if it is a valid one.
fn completion_index(pod: &Pod) -> Option<i32> {
    pod.metadata.annotations.get(JOB_COMPLETION_INDEX).and_then(|v| v.parse().ok()).filter(|i| *i >= 0)
}

/// `addCompletionIndexAnnotation`, `addCompletionIndexLabel` and
/// `addCompletionIndexEnvVariables` (every container, init containers too).
fn add_completion_index(pod: &mut Pod, index: i32, label: bool) {
    pod.metadata.annotations.insert(JOB_COMPLETION_INDEX.into(), index.to_string());
    if label {
        pod.metadata.labels.insert(JOB_COMPLETION_INDEX.into(), index.to_string());
    }
    let env = crate::model::EnvVar {
        name: "JOB_COMPLETION_INDEX".into(),
        value: None,
        value_from: Some(crate::model::EnvVarSource {
            field_ref: Some(crate::model::FieldRef {
                field_path: format!("metadata.annotations['{JOB_COMPLETION_INDEX}']"),
                api_version: None,
            }),
            ..Default::default()
        }),
    };
    for c in pod.spec.containers.iter_mut().chain(pod.spec.init_containers.iter_mut()) {
        if !c.env.iter().any(|e| e.name == "JOB_COMPLETION_INDEX") {
            c.env.push(env.clone());
        }
    }
}

/// `getFinishedTime` as the informer sees it (whole seconds): the last container's finish,
/// else when Ready turned False, else the deletion time less the grace period, else creation.
fn pod_finished_time(pod: &Pod) -> Millis {
    let whole = |t: Millis| t / SECOND * SECOND;
    let finishes: Option<Vec<Millis>> =
        pod.status.container_statuses.iter().map(|c| c.state.terminated.as_ref().and_then(|t| t.finished_at)).collect();
    if let Some(last) = finishes.and_then(|f| f.into_iter().max()) {
        return whole(last);
    }
    if let Some(c) = pod.status.condition("Ready").filter(|c| c.status == "False") {
        return whole(c.last_transition_time);
    }
    if let Some(deletion) = pod.metadata.deletion {
        let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(0).max(0) as Millis * SECOND;
        return whole(deletion.saturating_sub(grace));
    }
    whole(pod.metadata.creation)
}

impl PodRequests {
    fn is_empty(&self) -> bool {
        self.creates.is_empty() && self.deletes.is_empty()
    }
}

impl JobRecord {
    pub(crate) fn new(job: Job) -> JobRecord {
        JobRecord {
            job,
            status: JobStatus::default(),
            removed: false,
            counted: BTreeSet::new(),
            succeeded_indexes: BTreeSet::new(),
            backoff: BackoffRecord::default(),
            cron_job: None,
            created: Vec::new(),
        }
    }
}
