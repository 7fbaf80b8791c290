//! `v1` Node: what the scheduler matches pods against and what the node controller watches.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::meta::ObjectMeta;
use super::pod::Opaque;
use super::quantity::Quantity;
use crate::clock::Millis;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Node {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: NodeSpec,
    #[serde(default)]
    pub status: NodeStatusInput,
    /// Conditions as the node controller last wrote them (engine-owned).
    #[serde(skip_deserializing, default)]
    pub conditions: Vec<NodeCondition>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NodeSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unschedulable: Option<bool>,
    #[serde(rename = "podCIDR", default, skip_serializing_if = "Option::is_none")]
    pub pod_cidr: Option<String>,
    #[serde(rename = "podCIDRs", default, skip_serializing)]
    pub pod_cidrs: Opaque,
    #[serde(rename = "providerID", default, skip_serializing)]
    pub provider_id: Opaque,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Taint {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub effect: String,
    /// Set by the engine for taints the node controller adds.
    #[serde(skip_deserializing, default, skip_serializing_if = "Option::is_none")]
    pub time_added: Option<Millis>,
    #[serde(rename = "timeAdded", default, skip_serializing)]
    pub time_added_given: Opaque,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NodeStatusInput {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allocatable: BTreeMap<String, Quantity>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, Quantity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ContainerImage>,
    #[serde(default, skip_serializing)]
    pub addresses: Opaque,
    #[serde(default, skip_serializing)]
    pub conditions: Opaque,
    #[serde(default, skip_serializing)]
    pub node_info: Opaque,
    #[serde(default, skip_serializing)]
    pub daemon_endpoints: Opaque,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContainerImage {
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeCondition {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub last_heartbeat_time: Millis,
    pub last_transition_time: Millis,
    pub reason: String,
    pub message: String,
}
