//! `kubectl get ... -o yaml|json`: kubectl decodes the API's JSON into unstructured maps, so keys
//! come out sorted (Go map order in encoding/json and sigs.k8s.io/yaml); JSON is indented with
//! four spaces (cli-runtime `printers/json.go`). Virtual times become metav1.Time RFC3339 strings.

use podplay_core::clock::{Millis, EPOCH_UNIX_SECONDS};
use podplay_core::model::Pod;
use podplay_k8s_util::time::format_rfc3339;
use serde_json::{Map, Value};

/// metav1.Time as JSON: RFC3339 with whole seconds.
pub fn rfc3339(t: Millis) -> String {
    format_rfc3339(EPOCH_UNIX_SECONDS + (t / 1000) as i64)
}

/// The kubelet's `--timestamps` format, `RFC3339NanoFixed` (nine fractional digits).
pub fn rfc3339_nano_fixed(t: Millis) -> String {
    let mut s = rfc3339(t);
    s.pop();
    format!("{s}.{:09}Z", (t % 1000) * 1_000_000)
}

/// Fields of the model holding virtual times that the API serializes as metav1.Time.
const TIME_KEYS: &[&str] = &["startTime", "lastTransitionTime", "lastProbeTime", "startedAt", "finishedAt", "lastHeartbeatTime"];

/// The model serializes `rename_all = "camelCase"`, which spells Go's initialisms differently.
const KEY_FIXES: &[(&str, &str)] = &[("imageId", "imageID"), ("containerId", "containerID"), ("podIp", "podIP"), ("hostIp", "hostIP")];

fn convert_times(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (from, to) in KEY_FIXES {
                if let Some(x) = map.remove(*from) {
                    map.insert(to.to_string(), x);
                }
            }
            for (k, child) in map.iter_mut() {
                if TIME_KEYS.contains(&k.as_str()) {
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

/// The pod as the API serves it (what `-o json` shows).
pub fn pod_value(pod: &Pod) -> Value {
    let mut v = serde_json::to_value(pod).unwrap_or(Value::Null);
    convert_times(&mut v);
    let Value::Object(obj) = &mut v else { return v };
    obj.insert("apiVersion".into(), Value::String("v1".into()));
    obj.insert("kind".into(), Value::String("Pod".into()));
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        if let Some(c) = meta.remove("creation").and_then(|c| c.as_u64()) {
            meta.insert("creationTimestamp".into(), Value::String(rfc3339(c)));
        }
        if let Some(d) = meta.remove("deletion").and_then(|d| d.as_u64()) {
            meta.insert("deletionTimestamp".into(), Value::String(rfc3339(d)));
        }
        if !meta.contains_key("namespace") {
            meta.insert("namespace".into(), Value::String("default".into()));
        }
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
        if let Some(ip) = status.get("hostIP").cloned() {
            status.insert("hostIPs".into(), serde_json::json!([{ "ip": ip }]));
        }
    }
    convert_times(&mut v);
    v
}

fn to_json(v: &Value) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    serde::Serialize::serialize(v, &mut ser).expect("JSON values serialize");
    let mut s = String::from_utf8(buf).unwrap_or_default();
    s.push('\n');
    s
}

/// sigs.k8s.io/yaml (go-yaml v2) output: two-space indent, sequences not indented under their
/// key, double quotes for strings that would read back as another type.
fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => yaml_map(m, 0, &mut out),
        other => {
            out.push_str(&yaml_scalar(other));
            out.push('\n');
        }
    }
    out
}

fn yaml_needs_quotes(s: &str) -> bool {
    if s.is_empty() || s != s.trim() {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~") {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    // A leading `-` followed by a non-space (`-c`) stays plain; other indicators force quotes.
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) && !(first == '-' && s.len() > 1 && !s[1..].starts_with(' ')) {
        return true;
    }
    if s.parse::<f64>().is_ok() || s.starts_with("0x") || s.starts_with('.') {
        return true;
    }
    // Timestamps resolve to !!timestamp in go-yaml v2.
    let b = s.as_bytes();
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-' {
        return true;
    }
    s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t')
}

fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if yaml_needs_quotes(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::String(s) => s.clone(),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

fn yaml_value_after_key(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            yaml_map(m, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            yaml_seq(a, indent, out);
        }
        Value::String(s) if s.contains('\n') => {
            out.push_str(if s.ends_with('\n') { " |\n" } else { " |-\n" });
            for line in s.trim_end_matches('\n').split('\n') {
                if !line.is_empty() {
                    out.push_str(&" ".repeat(indent + 2));
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            out.push_str(&yaml_scalar(other));
            out.push('\n');
        }
    }
}

fn yaml_map(m: &Map<String, Value>, indent: usize, out: &mut String) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&yaml_scalar(&Value::String(k.clone())));
        out.push(':');
        yaml_value_after_key(v, indent, out);
    }
}

fn yaml_seq(a: &[Value], indent: usize, out: &mut String) {
    for item in a {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => yaml_map(m, indent + 2, out),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                yaml_seq(inner, indent + 2, out);
            }
            other => {
                out.push_str(&yaml_scalar(other));
                out.push('\n');
            }
        }
    }
}

/// One pod (`get pod NAME -o yaml`) or a `List` of them.
pub fn pods_document(pods: &[&Pod], single: bool, json: bool) -> String {
    let v = if single {
        pod_value(pods[0])
    } else {
        let mut list = Map::new();
        list.insert("apiVersion".into(), Value::String("v1".into()));
        list.insert("items".into(), Value::Array(pods.iter().map(|p| pod_value(p)).collect()));
        list.insert("kind".into(), Value::String("List".into()));
        list.insert("metadata".into(), serde_json::json!({"resourceVersion": ""}));
        Value::Object(list)
    };
    if json {
        to_json(&v)
    } else {
        to_yaml(&v)
    }
}
