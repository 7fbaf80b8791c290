//! `v1` Namespace: a name that other objects live in. Its spec holds only finalizers (the
//! namespace controller's `kubernetes`), its status only the phase, written by the API server
//! (`Active`, `Terminating` from the delete request until the namespace controller has removed
//! everything in it).

use serde::{Deserialize, Serialize};

use super::meta::ObjectMeta;
use super::pod::Opaque;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Namespace {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// As given: the API server sets `finalizers: [kubernetes]` whatever it holds.
    #[serde(default, skip_serializing)]
    pub spec: Opaque,
    /// Written by the API server; a given status is ignored.
    #[serde(default, skip_serializing)]
    pub status: Opaque,
}
