//! `kubectl get ... -o yaml|json`: kubectl decodes the API's JSON into unstructured maps, so keys
//! come out sorted (Go map order in encoding/json and sigs.k8s.io/yaml); JSON is indented with
//! four spaces (cli-runtime `printers/json.go`). Virtual times become metav1.Time RFC3339 strings.

use podplay_core::clock::Millis;
use podplay_core::model::Pod;
use serde_json::{Map, Value};

pub use podplay_core::api_json::{pod_value, rfc3339};

/// The kubelet's `--timestamps` format, `RFC3339NanoFixed` (nine fractional digits).
pub fn rfc3339_nano_fixed(t: Millis) -> String {
    let mut s = rfc3339(t);
    s.pop();
    format!("{s}.{:09}Z", (t % 1000) * 1_000_000)
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
