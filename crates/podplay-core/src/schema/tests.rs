//! The schema and the loader agree: at every place an object can appear, serde's own list of
//! the fields it accepts (from its `unknown field` error, the list "did you mean" picks from)
//! is the schema's list; every schema field loads with a value of its type; every required
//! field is required; every literal default is what the engine's API server writes.

use serde_yaml::{Mapping, Value};

use super::*;
use crate::source::{expected_fields, load, SourceFile};
use crate::Engine;

/// One place an object type appears: the kind, the path of (field, shape) steps, the type.
#[derive(Clone)]
struct Site {
    kind: &'static str,
    path: Vec<&'static Field>,
    obj: &'static Obj,
}

impl Site {
    fn text(&self) -> String {
        let mut out = String::new();
        for f in &self.path {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(f.name);
            if f.shape == Shape::List {
                out.push_str("[0]");
            }
        }
        out
    }
}

fn sites() -> Vec<Site> {
    fn walk(site: Site, out: &mut Vec<Site>) {
        out.push(site.clone());
        for field in site.obj.fields {
            if let Type::Object(next) = field.ty {
                let mut path = site.path.clone();
                path.push(field);
                walk(Site { kind: site.kind, path, obj: next }, out);
            }
        }
    }
    let mut out = Vec::new();
    for (_, kind, obj) in KINDS {
        walk(Site { kind, path: Vec::new(), obj }, &mut out);
    }
    out
}

fn key(s: &str) -> Value {
    Value::String(s.to_string())
}

/// A value of the field's type (its first allowed value, when it has a list).
fn sample(field: &Field) -> Value {
    let one = match field.ty {
        Type::String => Value::String(values(field).first().copied().unwrap_or("x").to_string()),
        Type::Integer => Value::from(1),
        Type::Boolean => Value::Bool(true),
        Type::Duration => key("1s"),
        Type::Quantity => key("1"),
        Type::IntOrString => Value::from(80),
        Type::Any => Value::String(values(field).first().copied().unwrap_or("x").to_string()),
        Type::Object(obj) => Value::Mapping(minimal(obj)),
        Type::Manifest => {
            serde_yaml::from_str("{apiVersion: v1, kind: Pod, metadata: {name: item}, spec: {containers: [{name: c, image: busybox}]}}")
                .unwrap()
        }
    };
    match field.shape {
        Shape::One => one,
        Shape::List => Value::Sequence(vec![one]),
        Shape::Map => {
            let mut m = Mapping::new();
            m.insert(key("k"), one);
            Value::Mapping(m)
        }
    }
}

/// The object with its required fields, its first handler when it needs one, and (for
/// containers) an image, so the engine accepts it too.
fn minimal(obj: &'static Obj) -> Mapping {
    let mut m = Mapping::new();
    complete(obj, &mut m);
    m
}

fn complete(obj: &'static Obj, m: &mut Mapping) {
    for field in obj.fields.iter().filter(|f| f.required) {
        if !m.contains_key(field.name) {
            m.insert(key(field.name), sample(field));
        }
    }
    if let Some(first) = obj.one_of.first() {
        if !obj.one_of.iter().any(|h| m.contains_key(*h)) {
            m.insert(key(first), sample(obj.field(first).expect("one_of names a field")));
        }
    }
    if obj.name == "Container" && !m.contains_key("image") {
        m.insert(key("image"), key("busybox:1.36"));
    }
}

/// A document of `site.kind` whose object at `site` is completed and then edited by `edit`.
fn document(site: &Site, edit: impl FnOnce(&mut Mapping)) -> String {
    let (api_version, _, root) = KINDS.iter().find(|(_, k, _)| *k == site.kind).expect("kind");
    let mut doc: Mapping =
        serde_yaml::from_str(&format!("{{apiVersion: {api_version}, kind: {}, metadata: {{name: n}}}}", site.kind)).unwrap();
    if site.kind == "Pod" {
        doc.insert(key("spec"), serde_yaml::from_str("{containers: [{name: main, image: busybox:1.36}]}").unwrap());
    }
    if site.kind == "List" {
        doc.remove("metadata");
    }
    let mut here = &mut doc;
    let mut obj: &'static Obj = root;
    complete(obj, here);
    for field in &site.path {
        let Type::Object(next) = field.ty else { unreachable!("sites step through objects") };
        if obj.one_of.contains(&field.name) {
            for other in obj.one_of.iter().filter(|h| **h != field.name) {
                here.remove(*other);
            }
        }
        let slot = here.entry(key(field.name)).or_insert_with(|| match field.shape {
            Shape::List => Value::Sequence(vec![Value::Mapping(Mapping::new())]),
            _ => Value::Mapping(Mapping::new()),
        });
        here = match slot {
            Value::Sequence(items) => items[0].as_mapping_mut().expect("object item"),
            Value::Mapping(m) => m,
            _ => unreachable!(),
        };
        obj = next;
        complete(obj, here);
    }
    edit(here);
    serde_yaml::to_string(&Value::Mapping(doc)).unwrap()
}

fn load_text(text: &str) -> Result<crate::Manifests, Vec<crate::Diagnostic>> {
    load(&[SourceFile { name: "t.yaml".into(), text: text.into() }])
}

/// serde's raw error for a document, from the same typed deserialization the loader runs.
fn raw_error(kind: &str, text: &str) -> String {
    use crate::model::*;
    fn de<T: serde::de::DeserializeOwned>(text: &str) -> String {
        serde_yaml::from_str::<T>(text).err().map(|e| e.to_string()).unwrap_or_default()
    }
    match kind {
        "Pod" => de::<Pod>(text),
        "Service" => de::<Service>(text),
        "Node" => de::<Node>(text),
        "Scenario" => de::<Scenario>(text),
        "Image" => de::<Image>(text),
        "ReplicaSet" => de::<ReplicaSet>(text),
        "Deployment" => de::<Deployment>(text),
        "Job" => de::<crate::model::Job>(text),
        "CronJob" => de::<crate::model::CronJob>(text),
        "ConfigMap" => de::<crate::model::ConfigMap>(text),
        "Secret" => de::<crate::model::Secret>(text),
        "Namespace" => de::<crate::model::Namespace>(text),
        "StatefulSet" => de::<crate::model::StatefulSet>(text),
        "DaemonSet" => de::<crate::model::DaemonSet>(text),
        "PodDisruptionBudget" => de::<crate::model::PodDisruptionBudget>(text),
        "List" => de::<crate::source::ListDocument>(text),
        other => panic!("no loader for {other}"),
    }
}

#[test]
fn the_loader_accepts_exactly_the_schema_fields_everywhere() {
    let sites = sites();
    assert!(sites.len() > 60, "walked only {} places", sites.len());
    for site in &sites {
        let text = document(site, |m| {
            m.insert(key("zzNotAField"), Value::from(1));
        });
        let raw = raw_error(site.kind, &text);
        // serde_yaml puts the path first: `spec.containers[0]: unknown field ...`.
        let message = raw.find("unknown field").map_or(raw.as_str(), |i| &raw[i..]);
        let (unknown, mut accepted) = expected_fields(message)
            .unwrap_or_else(|| panic!("{} {}: no unknown-field error: {message:?}\n{text}", site.kind, site.text()));
        assert_eq!(unknown, "zzNotAField");
        accepted.sort();
        let mut schema: Vec<String> = site.obj.fields.iter().map(|f| f.name.to_string()).collect();
        schema.sort();
        assert_eq!(accepted, schema, "{} at {:?} ({}): loader fields vs schema fields", site.kind, site.text(), site.obj.name);
        // And the loader itself rejects it, pointing at the field.
        let err = load_text(&text).unwrap_err();
        assert!(err[0].message.contains("unknown field `zzNotAField`"), "{}", err[0].message);
    }
}

#[test]
fn every_schema_field_loads_with_a_value_of_its_type() {
    for site in sites() {
        for field in site.obj.fields {
            let mut samples = vec![sample(field)];
            // Every allowed value, not just the first.
            for v in values(field).iter().skip(1) {
                samples.push(match field.shape {
                    Shape::List => Value::Sequence(vec![key(v)]),
                    _ => key(v),
                });
            }
            for value in samples {
                let text = document(&site, |m| {
                    m.insert(key(field.name), value.clone());
                });
                if let Err(e) = load_text(&text) {
                    panic!("{} {}.{} = {value:?} does not load: {}\n{text}", site.kind, site.text(), field.name, e[0]);
                }
            }
        }
    }
}

#[test]
fn required_fields_are_exactly_the_ones_the_loader_requires() {
    for site in sites() {
        for field in site.obj.fields {
            let text = document(&site, |m| {
                m.remove(field.name);
                // Removing the only handler is a validation matter, not a loading one.
                if site.obj.one_of.contains(&field.name) {
                    let other = site.obj.one_of.iter().find(|h| **h != field.name).expect("two handlers");
                    m.insert(key(other), sample(site.obj.field(other).unwrap()));
                }
            });
            let loaded = load_text(&text);
            if field.required {
                let err =
                    loaded.expect_err(&format!("{} {}.{} is marked required but loads without it", site.kind, site.text(), field.name));
                // A document without apiVersion or kind is refused before serde sees it.
                let top = site.path.is_empty() && (field.name == "apiVersion" || field.name == "kind");
                assert!(top || err[0].message.contains(&format!("missing field `{}`", field.name)), "{}", err[0].message);
            } else if let Err(e) = loaded {
                panic!("{} {}.{} is optional in the schema but the loader requires it: {}", site.kind, site.text(), field.name, e[0]);
            }
        }
    }
}

/// Every literal default of the API kinds is the value the engine's API server stores.
#[test]
fn literal_defaults_are_what_the_api_server_writes() {
    let mut checked = 0;
    for site in sites().into_iter().filter(|s| s.kind == "Pod" || s.kind == "Service") {
        for field in site.obj.fields {
            let DefaultValue::Value(expected) = field.default else { continue };
            let text = document(&site, |m| {
                m.remove(field.name);
            });
            let manifests = load_text(&text).unwrap();
            let engine = Engine::new(&manifests).unwrap_or_else(|e| panic!("{}: {}\n{text}", site.text(), e[0]));
            let stored = if site.kind == "Pod" {
                serde_json::to_value(engine.pods().next().unwrap()).unwrap()
            } else {
                serde_json::to_value(engine.services().last().unwrap()).unwrap()
            };
            let mut here = &stored;
            for step in &site.path {
                here = &here[step.name];
                if step.shape == Shape::List {
                    here = &here[0];
                }
            }
            let got = match &here[field.name] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => {
                    panic!("{} {}.{}: the engine stores no default (schema says {expected})", site.kind, site.text(), field.name)
                }
                other => other.to_string(),
            };
            assert_eq!(got, expected, "{} {}.{}", site.kind, site.text(), field.name);
            checked += 1;
        }
    }
    assert!(checked >= 20, "checked only {checked} defaults");
}

/// Where the engine validates an enumeration, its list of supported values is the schema's.
#[test]
fn validated_enumerations_match_the_schema() {
    for (path, doc) in [
        ("spec.restartPolicy", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Sometimes\n  containers: [{name: c, image: busybox}]\n"),
        ("spec.containers[0].imagePullPolicy", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox, imagePullPolicy: Sometimes}]\n"),
        ("spec.containers[0].env[0].valueFrom.fieldRef.fieldPath", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox, env: [{name: x, valueFrom: {fieldRef: {fieldPath: status.phase}}}]}]\n"),
    ] {
        let err = Engine::new(&load_text(doc).unwrap()).err().expect("refused");
        let message = &err[0].message;
        let supported = message.split("supported values: ").nth(1).expect("lists supported values");
        // The diagnostic's suggestion after the list is podplay's, not the API server's.
        let supported = supported.split("; did you mean").next().unwrap_or(supported);
        let supported: Vec<&str> = supported.split(", ").map(|s| s.trim_matches('"')).collect();
        let field = field_at(kind("Pod").unwrap(), path).unwrap();
        assert_eq!(supported, values(field), "{path}");
    }
    // A probe needs exactly one of the schema's handlers.
    let err = Engine::new(&load_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox, livenessProbe: {periodSeconds: 3}}]\n").unwrap()).err().unwrap();
    assert!(err[0].message.contains("must specify a handler type"), "{}", err[0].message);
    // The releases a Scenario may ask for are the ones the engine has.
    let field = field_at(kind("Scenario").unwrap(), "spec.kubernetesVersion").unwrap();
    for v in values(field) {
        let doc =
            format!("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec: {{kubernetesVersion: \"{v}\"}}\n");
        assert!(Engine::new(&load_text(&doc).unwrap()).is_ok(), "{v}");
    }
}

#[test]
fn paths_find_fields_and_the_export_carries_docs() {
    let pod = kind("Pod").unwrap();
    let f = field_at(pod, "spec.containers[0].livenessProbe.failureThreshold").unwrap();
    assert_eq!((f.ty, f.default), (Type::Integer, DefaultValue::Value("3")));
    assert!(field_at(pod, "spec.containers[0].livenessProbe.nope").is_none());
    assert!(field_at(pod, "metadata.labels.app").is_some(), "map keys are stepped over");
    let export = export();
    assert_eq!(export.kinds.len(), 16);
    let probe = &export.objects["Probe"];
    let ft = probe.fields.iter().find(|f| f.name == "failureThreshold").unwrap();
    assert_eq!(ft.default.as_deref(), Some("3"));
    assert!(ft.doc.contains("in a row"));
    assert_eq!(probe.one_of, ["exec", "httpGet", "tcpSocket", "grpc"]);
    let spec = &export.objects["PodSpec"];
    let rp = spec.fields.iter().find(|f| f.name == "restartPolicy").unwrap();
    assert_eq!(rp.values, ["Always", "OnFailure", "Never"]);
    let json = serde_json::to_string(&export).unwrap();
    assert!(json.contains("\"type\":\"object\",\"object\":\"Probe\""), "{}", &json[..200]);
}
