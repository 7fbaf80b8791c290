//! The API server's side of `batch/v1` Jobs: defaulting (`SetDefaults_Job`), the generated
//! selector and labels (`pkg/registry/batch/job/strategy.go` `generateSelector`), validation
//! (`pkg/apis/batch/validation`, the parts that show) and deletion with background cascade.

use super::field::{FieldError, InvalidObject};
use std::collections::BTreeMap;

use super::job::JobRecord;
use super::ops::OpError;
use super::Engine;
use crate::model::{Job, LabelSelector};

const LEGACY_CONTROLLER_UID: &str = "controller-uid";
const LEGACY_JOB_NAME: &str = "job-name";
const CONTROLLER_UID: &str = "batch.kubernetes.io/controller-uid";
const JOB_NAME: &str = "batch.kubernetes.io/job-name";
const JOB_TRACKING: &str = "batch.kubernetes.io/job-tracking";

impl Engine {
    /// Creates a Job as the API server does: defaulted, its selector and pod labels generated
    /// from its uid (unless `manualSelector`), validated; its controller syncs it at once.
    pub(crate) fn add_job(&mut self, mut job: Job) -> Result<usize, OpError> {
        let namespace = job.metadata.namespace().to_string();
        if self.find_job(&job.metadata.name, &namespace).is_some() {
            return Err(OpError::AlreadyExists { resource: "jobs.batch", name: job.metadata.name });
        }
        job.api_version = "batch/v1".into();
        job.kind = "Job".into();
        self.stamp_created(&mut job.metadata);
        let user_selector = job.spec.selector.clone();
        apply_job_defaults(&mut job);
        if job.spec.manual_selector != Some(true) {
            generate_selector(&mut job, self.release.job_prefixed_labels);
        }
        if job.metadata.labels.is_empty() {
            // SetDefaults_Job copies the template's labels; on read the generated ones show too.
            job.metadata.labels = job.spec.template.metadata.labels.clone();
        }
        if self.release.job_tracking_annotation {
            // PrepareForCreate marks the Job as tracked with pod finalizers (1.25, 1.26).
            job.metadata.annotations.insert(JOB_TRACKING.into(), String::new());
        }
        validate_job(&job, user_selector.as_ref()).map_err(OpError::InvalidObject)?;
        let j = self.jobs.len();
        let name = job.metadata.name.clone();
        let (completions, parallelism) = (job.spec.completions, job.spec.parallelism());
        self.jobs.push(JobRecord::new(job));
        self.jobs[j].job.metadata.resource_version = self.bump_object_version();
        self.record_change(
            format!("job/{name}"),
            super::ChangeDetail::JobCreated { completions, parallelism },
            "created: the Job controller creates its pods and counts how they end",
        );
        self.enqueue_job_after(j, 0);
        Ok(j)
    }

    /// `kubectl create job`: a Job from the client's object.
    pub fn create_job(&mut self, job: Job) -> Result<(), OpError> {
        self.add_job(job).map(|_| ())
    }

    /// A Job `name` in `namespace` that exists now.
    pub(crate) fn find_job(&self, name: &str, namespace: &str) -> Option<usize> {
        self.jobs.iter().position(|r| !r.removed && r.job.metadata.name == name && r.job.metadata.namespace() == namespace)
    }

    /// `kubectl delete job NAME` with the propagation policy `--cascade` chose
    /// (`garbage_collector.rs`).
    pub fn delete_job_named(&mut self, namespace: &str, name: &str, propagation: super::ops::Propagation) -> Result<(), OpError> {
        let j = self.find_job(name, namespace).ok_or_else(|| OpError::NotFound { resource: "jobs.batch", name: name.to_string() })?;
        self.delete_owner(super::garbage_collector::Owner::Job(j), propagation);
        Ok(())
    }

    pub(crate) fn delete_job(&mut self, j: usize, cause: &'static str) {
        self.jobs[j].removed = true;
        self.bump_object_version();
        let name = self.jobs[j].name().to_string();
        self.record_change(format!("job/{name}"), super::ChangeDetail::JobDeleted, cause);
        self.collect_owned_pods(self.pods_of_job(j), "Job");
        self.note_job_change_for_cron_job(j);
    }

    /// Jobs that exist now (and deleted ones, `removed`), by index.
    pub fn job_records(&self) -> &[JobRecord] {
        &self.jobs
    }

    /// The Job's pods that still exist, by phase (as `describe` would count them).
    pub fn job_pods(&self, j: usize) -> Vec<&crate::model::Pod> {
        self.pods_of_job(j).into_iter().filter(|&p| !self.pods[p].removed).map(|p| &self.pods[p].pod).collect()
    }
}

/// `SetDefaults_Job` (batch/v1) and the template's defaults.
fn apply_job_defaults(job: &mut Job) {
    let spec = &mut job.spec;
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
    }
    spec.parallelism.get_or_insert(1);
    spec.backoff_limit.get_or_insert(6);
    spec.completion_mode.get_or_insert_with(|| "NonIndexed".into());
    spec.suspend.get_or_insert(false);
    if job.metadata.labels.is_empty() {
        job.metadata.labels = spec.template.metadata.labels.clone();
    }
    super::setup::apply_template_defaults(&mut spec.template.spec);
}

/// `generateSelector`: the pod template gets the job-name and controller-uid labels (legacy
/// keys, and the `batch.kubernetes.io/` ones from 1.27), and the selector matches the uid.
fn generate_selector(job: &mut Job, prefixed: bool) {
    let (name, uid) = (job.metadata.name.clone(), job.metadata.uid.clone());
    let labels = &mut job.spec.template.metadata.labels;
    let keys: &[(&str, &str)] = if prefixed {
        &[(LEGACY_JOB_NAME, &name), (JOB_NAME, &name), (LEGACY_CONTROLLER_UID, &uid), (CONTROLLER_UID, &uid)]
    } else {
        &[(LEGACY_JOB_NAME, &name), (LEGACY_CONTROLLER_UID, &uid)]
    };
    for (key, value) in keys {
        labels.entry(key.to_string()).or_insert_with(|| value.to_string());
    }
    let selector = job.spec.selector.get_or_insert_with(LabelSelector::default);
    let key = if prefixed { CONTROLLER_UID } else { LEGACY_CONTROLLER_UID };
    selector.match_labels.entry(key.into()).or_insert(uid);
}

/// What the API server refuses in a Job (`ValidateJob`, the parts that show).
/// A CronJob's `jobTemplate` as `ValidateJobTemplateSpec` checks it (the Job's own fields and
/// its pod template; the selector is generated when each Job is made).
pub(crate) fn validate_job_template(job: &Job) -> Result<(), InvalidObject> {
    let mut job = job.clone();
    apply_job_defaults(&mut job);
    validate_job(&job, None)
}

fn validate_job(job: &Job, user_selector: Option<&LabelSelector>) -> Result<(), InvalidObject> {
    let name = &job.metadata.name;
    if name.is_empty() {
        return Err(InvalidObject::unnamed("Job"));
    }
    let spec = &job.spec;
    let mut problems = Vec::new();
    let nonnegative = [
        ("parallelism", spec.parallelism.map(i64::from)),
        ("completions", spec.completions.map(i64::from)),
        ("activeDeadlineSeconds", spec.active_deadline_seconds),
        ("backoffLimit", spec.backoff_limit.map(i64::from)),
        ("ttlSecondsAfterFinished", spec.ttl_seconds_after_finished.map(i64::from)),
    ];
    for (field, value) in nonnegative {
        if let Some(v) = value.filter(|v| *v < 0) {
            problems.push(FieldError::at_value(format!("spec.{field}"), format!("Invalid value: {v}: must be greater than or equal to 0")));
        }
    }
    match spec.completion_mode.as_deref() {
        Some("NonIndexed") | None => {}
        Some("Indexed") if spec.completions.is_none() => {
            problems.push(FieldError::at_key("spec.completions", "Required value: when completion mode is Indexed"))
        }
        Some("Indexed") => {}
        Some(other) => problems.push(FieldError::not_supported("spec.completionMode", other, &["NonIndexed", "Indexed"])),
    }
    problems.extend(selector_problems(job, user_selector));
    if let Some(policy) = spec.template.spec.restart_policy.as_deref().filter(|p| *p != "OnFailure" && *p != "Never") {
        problems.push(FieldError::not_supported("spec.template.spec.restartPolicy", policy, &["OnFailure", "Never"]));
    }
    InvalidObject::check("Job", name, problems)
}

/// A selector the user gave without `manualSelector` (`ValidateGeneratedSelector`), or a
/// manual one that is missing or does not match the template's labels.
fn selector_problems(job: &Job, user_selector: Option<&LabelSelector>) -> Vec<FieldError> {
    let spec = &job.spec;
    let labels = &spec.template.metadata.labels;
    if spec.manual_selector == Some(true) {
        return match &spec.selector {
            None => vec![FieldError::at_key("spec.selector", "Required value")],
            Some(s) if !s.matches(labels) => vec![FieldError::at_key(
                "spec.template.metadata.labels",
                format!("Invalid value: {}: `selector` does not match template `labels`", go_map(labels)),
            )],
            Some(_) => vec![],
        };
    }
    match (user_selector, &spec.selector) {
        (Some(_), Some(generated)) => vec![FieldError::at_key(
            "spec.selector",
            format!(
                "Invalid value: v1.LabelSelector{{MatchLabels:{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}: `selector` not auto-generated",
                go_map(&generated.match_labels)
            ),
        )],
        _ => vec![],
    }
}

/// Go's `%#v` of a `map[string]string`, keys sorted.
fn go_map(labels: &BTreeMap<String, String>) -> String {
    let q = podplay_k8s_util::gofmt::quote;
    let entries: Vec<String> = labels.iter().map(|(k, v)| format!("{}:{}", q(k), q(v))).collect();
    format!("map[string]string{{{}}}", entries.join(", "))
}
