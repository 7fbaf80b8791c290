//! Object metadata, shared by every kind.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::clock::Millis;

/// `metadata` of an object. Fields the API server fills in (uid, timestamps) are set by the
/// engine when the object is created; users may not usually give them, but manifests exported
/// from a cluster do, so they are accepted and ignored where the API server would ignore them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectMeta {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_references: super::pod::Opaque,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalizers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_fields: super::pod::Opaque,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    /// Virtual time the object was created (filled by the engine; a value in the manifest is ignored).
    #[serde(skip_deserializing, default)]
    pub creation: Millis,
    /// Virtual time at which deletion was requested plus the grace period, as the API server sets
    /// `deletionTimestamp`.
    #[serde(skip_deserializing, default, skip_serializing_if = "Option::is_none")]
    pub deletion: Option<Millis>,
    #[serde(skip_deserializing, default, skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<i64>,
    #[serde(rename = "creationTimestamp", default, skip_serializing)]
    pub creation_timestamp_given: super::pod::Opaque,
    #[serde(rename = "deletionTimestamp", default, skip_serializing)]
    pub deletion_timestamp_given: super::pod::Opaque,
    #[serde(rename = "selfLink", default, skip_serializing)]
    pub self_link_given: super::pod::Opaque,
}

impl ObjectMeta {
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }
}
