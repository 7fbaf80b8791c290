//! `batch/v1` Job: the spec as users write it. Its status is written by the Job controller
//! (`engine/job.rs`) and kept beside the object in the engine's record; a status given in a
//! manifest is ignored, as the API server ignores it on create.

use serde::{Deserialize, Serialize};

use super::apps::{LabelSelector, PodTemplateSpec};
use super::meta::ObjectMeta;
use super::pod::Opaque;
use crate::clock::Millis;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Job {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: JobSpec,
    #[serde(default, skip_serializing)]
    pub status: Opaque,
}

/// `batch/v1` JobSpec: the fields podplay's Job controller acts on.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JobSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completions: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_limit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_selector: Option<bool>,
    #[serde(default)]
    pub template: PodTemplateSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds_after_finished: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
}

impl JobSpec {
    /// `*job.Spec.Parallelism` (defaulted to 1 on create).
    pub fn parallelism(&self) -> i32 {
        self.parallelism.unwrap_or(1)
    }
    /// `*job.Spec.BackoffLimit` (defaulted to 6 on create).
    pub fn backoff_limit(&self) -> i32 {
        self.backoff_limit.unwrap_or(6)
    }
    pub fn is_indexed(&self) -> bool {
        self.completion_mode.as_deref() == Some("Indexed")
    }
    pub fn is_suspended(&self) -> bool {
        self.suspend == Some(true)
    }
}

/// `batch/v1` JobStatus, as the Job controller writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobStatus {
    pub conditions: Vec<JobCondition>,
    pub start_time: Option<Millis>,
    pub completion_time: Option<Millis>,
    pub active: i32,
    pub succeeded: i32,
    pub failed: i32,
    /// `status.ready`: written from the release whose JobReadyPods gate is on.
    pub ready: Option<i32>,
    /// `status.terminating`: the Job's pods being deleted that have not ended, as the last
    /// sync counted them; written from the release whose JobPodReplacementPolicy gate is on.
    pub terminating: Option<i32>,
    /// Indexed Jobs: the succeeded indexes as intervals (`1,3-5`).
    pub completed_indexes: String,
}

impl JobStatus {
    /// The condition of that type whose status is True.
    pub fn true_condition(&self, kind: &str) -> Option<&JobCondition> {
        self.conditions.iter().find(|c| c.kind == kind && c.status == "True")
    }
    /// `IsJobFinished`: a Complete or Failed condition that is True.
    pub fn finished(&self) -> bool {
        self.true_condition("Complete").is_some() || self.true_condition("Failed").is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCondition {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub last_probe_time: Millis,
    pub last_transition_time: Millis,
    pub reason: String,
    pub message: String,
}

/// `batch/v1` CronJob: a Job made from `spec.jobTemplate` at each time of `spec.schedule`
/// (`engine/cronjob.rs`). Its status is the controller's, kept in the engine's record.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CronJob {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: CronJobSpec,
    #[serde(default, skip_serializing)]
    pub status: Opaque,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CronJobSpec {
    #[serde(default)]
    pub schedule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_deadline_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    #[serde(default)]
    pub job_template: JobTemplateSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_jobs_history_limit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_jobs_history_limit: Option<i32>,
}

impl CronJobSpec {
    /// `concurrencyPolicy`, defaulted to `Allow` on create.
    pub fn concurrency_policy(&self) -> &str {
        self.concurrency_policy.as_deref().unwrap_or("Allow")
    }
    pub fn is_suspended(&self) -> bool {
        self.suspend == Some(true)
    }
}

/// `batch/v1` JobTemplateSpec: the metadata and spec each Job gets.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JobTemplateSpec {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: JobSpec,
}

/// `batch/v1` CronJobStatus, as the CronJob controller writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobStatus {
    /// The Jobs it started that have not finished: `getRef`'s references.
    pub active: Vec<ActiveJobRef>,
    pub last_schedule_time: Option<Millis>,
    pub last_successful_time: Option<Millis>,
}

/// A Job in a CronJob's `status.active`: the object reference the controller takes of the Job
/// it created (`getRef`), with the Job's resourceVersion then.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ActiveJobRef {
    pub name: String,
    pub uid: String,
    pub resource_version: String,
}
