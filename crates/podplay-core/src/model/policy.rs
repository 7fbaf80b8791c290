//! `policy/v1` PodDisruptionBudget (and `policy/v1beta1`, which the API server served up to
//! 1.24): the spec as users write it. Its status is the disruption controller's
//! (`engine/disruption.rs`) and the eviction subresource's, kept in the engine's record; a
//! status given in a manifest is ignored, as the API server ignores it on create.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::apps::LabelSelector;
use super::meta::ObjectMeta;
use super::pod::IntOrString;
use crate::clock::Millis;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PodDisruptionBudget {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: PodDisruptionBudgetSpec,
    /// Accepted and ignored (the controller writes the status).
    #[serde(default, skip_serializing)]
    pub status: super::pod::Opaque,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PodDisruptionBudgetSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_available: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// `IfHealthyBudget` or `AlwaysAllow` (1.27+: the PDBUnhealthyPodEvictionPolicy gate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unhealthy_pod_eviction_policy: Option<String>,
}

/// `PodDisruptionBudgetStatus`, as the disruption controller and the eviction subresource
/// write it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodDisruptionBudgetStatus {
    pub observed_generation: i64,
    /// Pod name to the time the eviction subresource admitted its eviction.
    pub disrupted_pods: BTreeMap<String, Millis>,
    pub disruptions_allowed: i32,
    pub current_healthy: i32,
    pub desired_healthy: i32,
    pub expected_pods: i32,
    pub conditions: Vec<PdbCondition>,
}

/// A `metav1.Condition` of a PodDisruptionBudget (`DisruptionAllowed`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdbCondition {
    pub kind: String,
    pub status: String,
    pub observed_generation: i64,
    pub last_transition_time: Millis,
    pub reason: String,
    pub message: String,
}
