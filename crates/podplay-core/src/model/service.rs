//! `v1` Service, and the `v1` Endpoints object the endpoints controller derives from it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::meta::ObjectMeta;
use super::pod::{IntOrString, Opaque};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Service {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: ServiceSpec,
    #[serde(default, skip_serializing)]
    pub status: Opaque,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceSpec {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    #[serde(default)]
    pub ports: Vec<ServicePort>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(rename = "clusterIP", default, skip_serializing_if = "Option::is_none")]
    pub cluster_ip: Option<String>,
    #[serde(rename = "clusterIPs", default, skip_serializing)]
    pub cluster_ips: Opaque,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_not_ready_addresses: Option<bool>,
    #[serde(default, skip_serializing)]
    pub session_affinity: Opaque,
    #[serde(default, skip_serializing)]
    pub external_traffic_policy: Opaque,
    #[serde(default, skip_serializing)]
    pub internal_traffic_policy: Opaque,
    #[serde(default, skip_serializing)]
    pub ip_families: Opaque,
    #[serde(default, skip_serializing)]
    pub ip_family_policy: Opaque,
    #[serde(default, skip_serializing)]
    pub external_name: Opaque,
    #[serde(default, skip_serializing)]
    pub external_i_ps: Opaque,
    #[serde(rename = "loadBalancerIP", default, skip_serializing)]
    pub load_balancer_ip: Opaque,
    #[serde(default, skip_serializing)]
    pub traffic_distribution: Opaque,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServicePort {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    pub port: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<i32>,
    #[serde(default, skip_serializing)]
    pub app_protocol: Opaque,
}

/// The `v1` Endpoints object: one subset per distinct port set (the simulation has one).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    pub name: String,
    pub namespace: String,
    pub creation: u64,
    pub subsets: Vec<EndpointSubset>,
    /// `endpoints.kubernetes.io/last-change-trigger-time`, as the controller's last write set
    /// it (none: removed, or the API server's own object).
    #[serde(skip_serializing)]
    pub last_change_trigger_time: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EndpointSubset {
    pub addresses: Vec<EndpointAddress>,
    pub not_ready_addresses: Vec<EndpointAddress>,
    pub ports: Vec<EndpointPort>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EndpointAddress {
    pub ip: String,
    pub node_name: String,
    pub target_pod: String,
    /// The pod's uid (`targetRef.uid`).
    #[serde(skip_serializing)]
    pub target_uid: String,
    /// The pod's `spec.hostname` when its `spec.subdomain` names the Service.
    #[serde(skip_serializing)]
    pub hostname: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EndpointPort {
    pub name: Option<String>,
    pub port: i32,
    pub protocol: String,
}
