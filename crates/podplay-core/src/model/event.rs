//! `v1` Event as the API server stores it (and as `kubectl get events` / `describe` read it).

use serde::Serialize;

use crate::clock::Millis;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub api_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_path: Option<String>,
}

impl ObjectReference {
    /// A reference to a whole object (an event's `involvedObject` for a workload).
    pub fn to_object(kind: &str, api_version: &str, meta: &super::ObjectMeta) -> ObjectReference {
        ObjectReference {
            kind: kind.into(),
            namespace: meta.namespace().to_string(),
            name: meta.name.clone(),
            uid: meta.uid.clone(),
            api_version: api_version.into(),
            field_path: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EventSeries {
    pub count: u32,
    pub last_observed_time: Millis,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub name: String,
    pub namespace: String,
    pub involved_object: ObjectReference,
    pub reason: String,
    pub message: String,
    /// `Normal` or `Warning`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `source.component`; empty for events.k8s.io events (the scheduler's).
    pub source_component: String,
    pub source_host: String,
    pub reporting_controller: String,
    pub reporting_instance: String,
    pub action: String,
    /// Legacy recorder fields; `None` for events.k8s.io events.
    pub first_timestamp: Option<Millis>,
    pub last_timestamp: Option<Millis>,
    pub count: u32,
    /// events.k8s.io fields (MicroTime).
    pub event_time: Option<Millis>,
    pub series: Option<EventSeries>,
    /// When the API object was created (virtual ms); later updates do not change it.
    pub created_at: Millis,
    /// `involvedObject.resourceVersion` where podplay knows which version the recorder's copy
    /// of the object had: the scheduler's (its pod as it scheduled it). The kubelet's and the
    /// controllers' copies are not tracked, so their events leave it out.
    #[serde(skip_serializing)]
    pub involved_resource_version: Option<String>,
}
