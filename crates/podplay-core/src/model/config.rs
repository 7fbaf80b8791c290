//! `v1` ConfigMap and Secret, and the typed shapes of the pod fields that refer to them
//! (`configMapKeyRef`, `envFrom`, `configMap`/`secret` volumes). The pod keeps those fields as
//! written (`Opaque`, so `describe` prints them as given); the kubelet reads them through these
//! types when it builds a container's environment and its volumes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::meta::ObjectMeta;
use super::quantity::Quantity;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConfigMap {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, String>,
    /// base64 text, as in the API's JSON.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub binary_data: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
}

impl ConfigMap {
    /// kubectl's DATA column and the describer count both maps.
    pub fn data_count(&self) -> usize {
        self.data.len() + self.binary_data.len()
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Secret {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// base64 text, as in the API's JSON; the API server decodes it on create.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, String>,
    /// Write-only: merged into `data` on create and never stored.
    #[serde(default, skip_serializing)]
    pub string_data: BTreeMap<String, String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
}

/// `configMapKeyRef` / `secretKeyRef`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySelector {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub optional: Option<bool>,
}

/// One `envFrom` entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvFromSource {
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub config_map_ref: Option<ObjectRef>,
    #[serde(default)]
    pub secret_ref: Option<ObjectRef>,
}

/// `configMapRef` / `secretRef` of `envFrom`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub optional: Option<bool>,
}

/// A `configMap` volume (`name`) or a `secret` volume (`secretName`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeysVolumeSource {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub secret_name: String,
    #[serde(default)]
    pub items: Vec<KeyToPath>,
    #[serde(default, deserialize_with = "file_mode")]
    pub default_mode: Option<u32>,
    #[serde(default)]
    pub optional: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyToPath {
    pub key: String,
    pub path: String,
    #[serde(default, deserialize_with = "file_mode")]
    pub mode: Option<u32>,
}

/// A `downwardAPI` volume, or a projected volume's `downwardAPI` source (which has no
/// `defaultMode` of its own: the projected volume's applies).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DownwardApiVolumeSource {
    #[serde(default)]
    pub items: Vec<DownwardApiVolumeFile>,
    #[serde(default, deserialize_with = "file_mode")]
    pub default_mode: Option<u32>,
}

/// One file of a downward API volume: a field of the pod or a resource of one of its containers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DownwardApiVolumeFile {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub field_ref: Option<ObjectFieldSelector>,
    #[serde(default)]
    pub resource_field_ref: Option<ResourceFieldSelector>,
    #[serde(default, deserialize_with = "file_mode")]
    pub mode: Option<u32>,
}

/// `fieldRef`: `apiVersion` defaults to `v1` (SetDefaults_ObjectFieldSelector).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectFieldSelector {
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub field_path: String,
}

/// `resourceFieldRef`: a container's limit or request, in units of `divisor` (1 when unset).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceFieldSelector {
    #[serde(default)]
    pub container_name: String,
    #[serde(default)]
    pub resource: String,
    #[serde(default)]
    pub divisor: Option<Quantity>,
}

/// A `projected` volume: files of several sources in one directory.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProjectedVolumeSource {
    #[serde(default)]
    pub sources: Vec<VolumeProjection>,
    #[serde(default, deserialize_with = "file_mode")]
    pub default_mode: Option<u32>,
}

/// One source of a projected volume (exactly one of these is set).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VolumeProjection {
    #[serde(default)]
    pub config_map: Option<KeysVolumeSource>,
    #[serde(default)]
    pub secret: Option<KeysVolumeSource>,
    #[serde(rename = "downwardAPI", default)]
    pub downward_api: Option<DownwardApiVolumeSource>,
    #[serde(default)]
    pub service_account_token: Option<ServiceAccountTokenProjection>,
    #[serde(default)]
    pub cluster_trust_bundle: Option<serde_yaml::Value>,
}

/// A projected bound service-account token.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceAccountTokenProjection {
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub expiration_seconds: Option<i64>,
    #[serde(default)]
    pub path: String,
}

/// A file mode as kubectl reads YAML (YAML 1.1, go-yaml): `0400` is octal, `256` decimal.
fn file_mode<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let value = serde_yaml::Value::deserialize(d)?;
    Ok(parse_file_mode(&value))
}

/// `file_mode` of a value already read.
pub fn parse_file_mode(value: &serde_yaml::Value) -> Option<u32> {
    let text = match value {
        serde_yaml::Value::Number(n) => return n.as_u64().map(|n| n as u32),
        serde_yaml::Value::String(s) => s.as_str(),
        _ => return None,
    };
    let octal = text.strip_prefix("0o").or_else(|| text.strip_prefix('0').filter(|s| !s.is_empty()));
    match octal {
        Some(digits) => u32::from_str_radix(digits, 8).ok(),
        None => text.parse().ok(),
    }
}

/// A `hostPath` volume: a path of the node's own files and what it must be there (`type`:
/// empty for no check, `DirectoryOrCreate`, `Directory`, `FileOrCreate`, `File`, `Socket`,
/// `CharDevice`, `BlockDevice`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HostPathVolumeSource {
    #[serde(default)]
    pub path: String,
    #[serde(rename = "type", default)]
    pub path_type: Option<String>,
}
