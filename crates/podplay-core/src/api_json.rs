//! API objects as the API server serves them in JSON (what `kubectl get -o json` decodes):
//! virtual times become metav1.Time RFC3339 strings, Go's initialisms (`podIP`, `containerID`)
//! are restored, and the fields the server fills in (`apiVersion`, `kind`, `podIPs`, the
//! service-account volume's sources) are added. Shared by kubectl's `-o json|yaml` and the
//! engine's state snapshot.

use serde_json::Value;

use crate::clock::{Millis, EPOCH_UNIX_SECONDS};
use crate::model::Pod;
use podplay_k8s_util::time::format_rfc3339;

/// metav1.Time as JSON: RFC3339 with whole seconds.
pub fn rfc3339(t: Millis) -> String {
    format_rfc3339(EPOCH_UNIX_SECONDS + (t / 1000) as i64)
}

/// Fields of the model holding virtual times that the API serializes as metav1.Time.
const TIME_KEYS: &[&str] = &[
    "startTime",
    "lastTransitionTime",
    "lastProbeTime",
    "startedAt",
    "finishedAt",
    "lastHeartbeatTime",
    "lastUpdateTime",
    "completionTime",
];

/// The model serializes `rename_all = "camelCase"`, which spells Go's initialisms differently.
const KEY_FIXES: &[(&str, &str)] = &[("imageId", "imageID"), ("containerId", "containerID"), ("podIp", "podIP"), ("hostIp", "hostIP")];

pub(crate) fn convert_times(v: &mut Value) {
    match v {
        Value::Object(map) => {
            // One look at the keys (most maps have none to fix), not a search for each fix.
            if map.keys().any(|k| KEY_FIXES.iter().any(|(from, _)| k.as_str() == *from)) {
                for (from, to) in KEY_FIXES {
                    if let Some(x) = map.remove(*from) {
                        map.insert(to.to_string(), x);
                    }
                }
            }
            for (k, child) in map.iter_mut() {
                if child.is_u64() && TIME_KEYS.contains(&k.as_str()) {
                    if let Some(ms) = child.as_u64() {
                        *child = Value::String(rfc3339(ms));
                        continue;
                    }
                }
                convert_times(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(convert_times),
        _ => {}
    }
}

/// A `v1` object of the model as the API serves it: its times as metav1.Time, Go's
/// initialisms, `apiVersion` and `kind`, and `creationTimestamp`/`deletionTimestamp`.
pub fn object_value<T: serde::Serialize>(object: &T, kind: &str) -> Value {
    api_object_value(object, "v1", kind)
}

/// [`object_value`] of any API group (`apps/v1`, `batch/v1`).
pub fn api_object_value<T: serde::Serialize>(object: &T, api_version: &str, kind: &str) -> Value {
    api_object(serde_json::to_value(object).unwrap_or(Value::Null), api_version, kind)
}

/// [`api_object_value`] of the object's serde value (one copy for every kind).
fn api_object(mut v: Value, api_version: &str, kind: &str) -> Value {
    convert_times(&mut v);
    let Value::Object(obj) = &mut v else { return v };
    obj.insert("apiVersion".into(), Value::String(api_version.into()));
    obj.insert("kind".into(), Value::String(kind.into()));
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        if let Some(c) = meta.remove("creation").and_then(|c| c.as_u64()) {
            meta.insert("creationTimestamp".into(), Value::String(rfc3339(c)));
        }
        if let Some(d) = meta.remove("deletion").and_then(|d| d.as_u64()) {
            meta.insert("deletionTimestamp".into(), Value::String(rfc3339(d)));
        }
        // The server writes its own managedFields, never a manifest's; podplay keeps none
        // (kubectl hides them from 1.21 anyway).
        meta.remove("managedFields");
    }
    v
}

/// The pod as the API serves it (what `-o json` shows).
pub fn pod_value(pod: &Pod) -> Value {
    let mut v = object_value(pod, "Pod");
    let Value::Object(obj) = &mut v else { return v };
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        if !meta.contains_key("namespace") {
            meta.insert("namespace".into(), Value::String("default".into()));
        }
    }
    if let Some(Value::Object(spec)) = obj.get_mut("spec") {
        crate::api_objects::pod_spec_empty_structs(spec);
    }
    // The engine's service-account volume marker stands for kube-apiserver's projected sources.
    if let Some(Value::Array(volumes)) = obj.get_mut("spec").and_then(|s| s.get_mut("volumes")) {
        for vol in volumes {
            let marked = vol.get("projected").and_then(|p| p.get("podplayServiceAccountToken")).is_some();
            if marked {
                vol["projected"] = serde_json::json!({
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                    ]
                });
            }
        }
    }
    if let Some(Value::Object(status)) = obj.get_mut("status") {
        // PodCondition.lastProbeTime is a non-pointer metav1.Time: zero serializes as null.
        if let Some(Value::Array(conds)) = status.get_mut("conditions") {
            for c in conds {
                if let Value::Object(m) = c {
                    m.entry("lastProbeTime").or_insert(Value::Null);
                }
            }
        }
        if let Some(ip) = status.get("podIP").cloned() {
            status.insert("podIPs".into(), serde_json::json!([{ "ip": ip }]));
        }
        if !pod.status.host_ips.is_empty() {
            let ips: Vec<Value> = pod.status.host_ips.iter().map(|ip| serde_json::json!({ "ip": ip })).collect();
            status.insert("hostIPs".into(), Value::Array(ips));
        }
    }
    // (`object_value` converted the times and keys; what was added since has none.)
    v
}

/// A PodDisruptionBudget as the API serves it in `policy/v1`: the spec as written, the status
/// its writers keep (`metav1.Condition` keeps an empty `message`; `disruptedPods` is omitted
/// when empty).
pub fn pdb_value(record: &crate::engine::PdbRecord) -> Value {
    let mut v = object_value(&record.pdb, "PodDisruptionBudget");
    let Value::Object(obj) = &mut v else { return v };
    obj.insert("apiVersion".into(), Value::String("policy/v1".into()));
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        meta.entry("namespace").or_insert_with(|| Value::String("default".into()));
    }
    let s = &record.status;
    let mut status = serde_json::json!({
        "currentHealthy": s.current_healthy,
        "desiredHealthy": s.desired_healthy,
        "disruptionsAllowed": s.disruptions_allowed,
        "expectedPods": s.expected_pods,
        "observedGeneration": s.observed_generation,
    });
    if !s.disrupted_pods.is_empty() {
        let pods: serde_json::Map<String, Value> =
            s.disrupted_pods.iter().map(|(name, t)| (name.clone(), Value::String(rfc3339(*t)))).collect();
        status["disruptedPods"] = Value::Object(pods);
    }
    if !s.conditions.is_empty() {
        let conditions = s.conditions.iter().map(|c| {
            serde_json::json!({
                "lastTransitionTime": rfc3339(c.last_transition_time),
                "message": c.message,
                "observedGeneration": c.observed_generation,
                "reason": c.reason,
                "status": c.status,
                "type": c.kind,
            })
        });
        status["conditions"] = Value::Array(conditions.collect());
    }
    obj.insert("status".into(), status);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pod's value has its times and Go's initialisms converted once: a second pass (which
    /// `pod_value` made until the sixteenth session) changes nothing.
    #[test]
    fn a_pods_value_is_converted_once() {
        let text = include_str!("../../../tests/scenarios/service-traffic.yaml");
        let m = crate::load(&[crate::SourceFile { name: "t.yaml".into(), text: text.into() }]).unwrap();
        let mut engine = crate::Engine::new(&m).unwrap();
        engine.run_until(90_000);
        let pods: Vec<&Pod> = engine.pods().collect();
        assert!(pods.len() >= 3);
        for pod in pods {
            let v = pod_value(pod);
            let mut again = v.clone();
            convert_times(&mut again);
            assert_eq!(again, v);
            assert!(v["status"]["podIP"].is_string() && v["status"]["startTime"].is_string(), "{v}");
        }
    }
}
