//! `kubectl apply -f -` (client-side apply: `pkg/cmd/apply/apply.go` `applyOneObject` and
//! `patcher.go`). An object that does not exist is created with the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation (`CreateApplyAnnotation`); one
//! that exists gets a three-way strategic merge patch (`strategicpatch.CreateThreeWayMergePatch`
//! of the last applied configuration, the new manifest and the live object): fields the new
//! manifest changed or added, and fields the last apply had that the new manifest dropped
//! (fields no manifest ever had, a `kubectl scale`'s replicas, stay). An empty patch prints
//! `unchanged`; any other is applied (with [`crate::patch`]'s strategic merge) to the object
//! and written through the engine's typed update of its kind, and prints `configured`.

use podplay_core::engine::apply_api::{object_from_stored, object_key, object_meta_mut, StoredObject};
use podplay_core::engine::ops::{Applied, ApplyAction, ObjectKind, OpError};
use podplay_core::source::{Object, Origin};
use podplay_core::Engine;
use serde_json::{Map, Value};

use crate::patch::{list_strategy, normalize_element_order, retains_keys, strategic_merge};

/// The annotation client-side apply keeps the last applied configuration in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// What became of one object of an apply, with kubectl's warnings for it.
pub struct AppliedObject {
    pub applied: Applied,
    pub warning: Option<String>,
    /// The object's namespace (empty for a cluster-scoped one).
    pub namespace: String,
    /// The request a refusal answered, for kubectl's words around it.
    pub phase: Phase,
}

/// The request an object's refusal answered (apply.go's `AddSourceToErr` verbs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Creating,
    /// The patch kubectl sent: `CreateThreeWayMergePatch`'s, as JSON.
    Patching {
        patch: String,
    },
    /// The update `kubectl replace` sent.
    Replacing,
}

impl AppliedObject {
    fn created(applied: Applied, namespace: &str) -> AppliedObject {
        AppliedObject { applied, warning: None, namespace: namespace.to_string(), phase: Phase::Creating }
    }
}

/// Which verb writes a manifest's objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `kubectl create -f -`: a create of each object.
    Create,
    /// `kubectl apply -f -`: create, or the three-way merge patch of an object that exists.
    Apply,
    /// `kubectl replace -f -`: the whole object sent as the update of one that exists
    /// (replace.go; `Helper.Replace` with overwrite: the live resourceVersion, so no conflict).
    Replace,
}

/// How `kubectl apply|create|replace -f -` writes: which verb, whether a client dry run, and
/// whether `-n` gave the namespace (the kubeconfig loader's `enforceNamespace`).
#[derive(Debug, Clone, Copy)]
pub struct Write {
    pub how: How,
    pub dry_run_client: bool,
    pub enforce_namespace: bool,
}

/// What a write of a manifest did: each object's outcome, and the resource builder's refusals
/// of objects (a namespace other than the enforced one), which kubectl prints first.
#[derive(Default)]
pub struct Written {
    pub objects: Vec<AppliedObject>,
    pub refused: Vec<String>,
}

/// Creates (`create`) or applies (`apply`) every object of `manifest` as the resource builder
/// gives them: an object without a namespace takes the command's (`SetNamespace`); one with
/// another namespace than an enforced `-n` is refused (`RequireNamespace`).
pub fn write_manifest(engine: &mut Engine, write: Write, namespace: &str, manifest: &str) -> Result<Written, OpError> {
    let manifests = podplay_core::load(&[podplay_core::SourceFile { name: "manifest".into(), text: manifest.to_string() }])
        .map_err(OpError::Invalid)?;
    let mut written = Written::default();
    for (mut object, origin) in std::rc::Rc::unwrap_or_clone(manifests.objects) {
        let namespaced =
            object_key(&object).is_some_and(|(k, _, _)| !matches!(k, ObjectKind::Namespace | ObjectKind::Node | ObjectKind::Image));
        if namespaced {
            let meta = object_meta_mut(&mut object);
            match meta.namespace.as_deref().filter(|n| !n.is_empty()) {
                // The engine's own default is "default".
                None if namespace != "default" => meta.namespace = Some(namespace.to_string()),
                Some(ns) if write.enforce_namespace && ns != namespace => {
                    written.refused.push(format!(
                        "error: the namespace from the provided object {ns:?} does not match the namespace {namespace:?}. You must pass '--namespace={ns}' to perform this operation.\n"
                    ));
                    continue;
                }
                _ => {}
            }
        }
        if write.dry_run_client {
            // Nothing is sent: an apply reads the object (`info.Get`) and, when it exists, skips
            // the patch; everything else would be created.
            if let Some((kind, ns, name)) = object_key(&object) {
                let exists = write.how != How::Create && engine.stored_object(kind, &ns, &name).is_some();
                let outcome = Ok(match (write.how, exists) {
                    (How::Replace, _) => ApplyAction::Replaced,
                    (_, true) => ApplyAction::Configured,
                    (_, false) => ApplyAction::Created,
                });
                written.objects.push(AppliedObject::created(Applied { kind, name, outcome }, &ns));
            }
            continue;
        }
        // The API server's warnings come with its answer to an accepted create or update.
        let server_warnings = podplay_core::object_warnings(&object);
        let done = match write.how {
            How::Apply => apply_one(engine, object, &origin),
            How::Replace => replace_one(engine, object),
            How::Create => {
                let namespace = object_key(&object).map(|(_, ns, _)| ns).unwrap_or_default();
                engine.create_object(object).map(|applied| AppliedObject::created(applied, &namespace))
            }
        };
        written.objects.extend(done.map(|mut done| {
            let sent = matches!(done.applied.outcome, Ok(ApplyAction::Created | ApplyAction::Configured | ApplyAction::Replaced));
            if sent && !server_warnings.is_empty() {
                let lines: String = server_warnings.iter().map(|w| format!("Warning: {w}\n")).collect();
                done.warning = Some(format!("{}{lines}", done.warning.unwrap_or_default()));
            }
            done
        }));
    }
    Ok(written)
}

/// `kubectl replace` of one object: the API server's update of the whole object, which must
/// exist (`error when replacing "STDIN": ... not found`); what the update may change is the
/// kind's update rules (`Engine::update_object`), as for an apply.
fn replace_one(engine: &mut Engine, object: Object) -> Option<AppliedObject> {
    let Some((kind, namespace, name)) = object_key(&object) else {
        return engine.create_object(object).map(|applied| AppliedObject::created(applied, ""));
    };
    let outcome = if kind == ObjectKind::Image {
        Err(OpError::Rejected("error: podplay's Images are the lab's own: they are created, never replaced".into()))
    } else if engine.stored_object(kind, &namespace, &name).is_none() {
        Err(OpError::NotFound { resource: resource(kind), name: name.clone() })
    } else {
        engine.update_object(object).map(|_| ApplyAction::Replaced)
    };
    Some(AppliedObject { applied: Applied { kind, name, outcome }, warning: None, namespace, phase: Phase::Replacing })
}

fn apply_one(engine: &mut Engine, mut object: Object, origin: &Origin) -> Option<AppliedObject> {
    let Some((kind, namespace, name)) = object_key(&object) else {
        return engine.create_object(object).map(|applied| AppliedObject::created(applied, ""));
    };
    let done = |outcome| Some(AppliedObject::created(Applied { kind, name: name.clone(), outcome }, &namespace));
    // podplay's Images are the lab's own: registered as before.
    if kind == ObjectKind::Image {
        return engine.create_object(object).map(|applied| AppliedObject::created(applied, ""));
    }
    let namespaced = !matches!(kind, ObjectKind::Namespace | ObjectKind::Node | ObjectKind::Image);
    let document = match raw_document(origin) {
        Ok(d) => d,
        Err(e) => return done(Err(OpError::Rejected(format!("error: podplay could not read the manifest as JSON: {e}")))),
    };
    let (modified, annotation) = modified_configuration(&document, namespaced.then_some(namespace.as_str()));
    let Some(StoredObject { api: mut current, stored }) = engine.stored_object(kind, &namespace, &name) else {
        // Create, with the annotation (CreateApplyAnnotation).
        object_meta_mut(&mut object).annotations.insert(LAST_APPLIED.to_string(), annotation);
        return engine.create_object(object).map(|applied| AppliedObject::created(applied, &namespace));
    };
    if namespaced {
        // The API server serves every namespaced object with its namespace.
        if let Some(Value::Object(meta)) = current.get_mut("metadata") {
            meta.entry("namespace").or_insert_with(|| Value::String(namespace.clone()));
        }
    }
    let last = current.get("metadata").and_then(|m| m.get("annotations")).and_then(|a| a.get(LAST_APPLIED)).and_then(Value::as_str);
    let warning = last.is_none().then(|| {
        format!(
            "Warning: resource {}/{name} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
            resource(kind)
        )
    });
    // GetOriginalConfiguration: an annotation that is not JSON fails the patch's creation.
    let original = match last.map(serde_json::from_str::<Value>) {
        None => Value::Object(Map::new()),
        Some(Ok(v @ Value::Object(_))) => v,
        Some(_) => {
            let e = OpError::Rejected(format!(
                "error: podplay could not read the {LAST_APPLIED} annotation of {}/{name} as a JSON object",
                resource(kind)
            ));
            return Some(AppliedObject {
                warning,
                ..AppliedObject::created(Applied { kind, name: name.clone(), outcome: Err(e) }, &namespace)
            });
        }
    };
    let mut phase = Phase::Creating;
    let outcome = three_way_patch(&original, &modified, &current).and_then(|(deletions, delta)| {
        if deletions.is_empty() && delta.is_empty() {
            return Ok(ApplyAction::Unchanged);
        }
        phase = Phase::Patching { patch: go_json(&Value::Object(merge_patch_maps(deletions.clone(), delta.clone(), ""))) };
        let patched = strategic_merge(&stored, &Value::Object(deletions), "")
            .and_then(|v| strategic_merge(&v, &Value::Object(delta), ""))
            .map_err(|e| OpError::Rejected(format!("error: podplay could not apply the patch: {e}")))?;
        let desired = object_from_stored(kind, patched)
            .map_err(|e| OpError::Rejected(format!("error: podplay could not read the patched object: {e}")))?;
        engine.update_object(desired)?;
        Ok(ApplyAction::Configured)
    });
    // WarnIfDeleting: the object the patch returned is being deleted (a pod held by a
    // finalizer or in its grace period; podplay's other kinds go at once).
    let deleting =
        outcome.is_ok() && kind == ObjectKind::Pod && engine.pod(&namespace, &name).is_some_and(|p| p.metadata.deletion.is_some());
    let warning = match (warning, deleting) {
        (w, false) => w,
        (w, true) => {
            Some(format!("{}Warning: Detected changes to resource {name} which is currently being deleted.\n", w.unwrap_or_default()))
        }
    };
    Some(AppliedObject { applied: Applied { kind, name, outcome }, warning, namespace, phase })
}

/// `mergeMap(deletions, delta, schema, MergeOptions{})`: CreateThreeWayMergePatch's patch, the
/// delta merged into the deletions (directives kept as the first patch has them, lists merged
/// by key and ordered as `mergeSlice` orders them).
pub fn merge_patch_maps(mut original: Map<String, Value>, mut patch: Map<String, Value>, path: &str) -> Map<String, Value> {
    if let Some(retain) = patch.remove("$retainKeys") {
        original.entry("$retainKeys").or_insert(retain);
    }
    let orders: Vec<String> = patch.keys().filter(|k| k.starts_with("$setElementOrder/")).cloned().collect();
    for key in orders {
        if let Some(order) = patch.remove(&key) {
            original.entry(key).or_insert(order);
        }
    }
    for (key, value) in patch {
        if key.starts_with("$deleteFromPrimitiveList/") || value.is_null() {
            original.insert(key, value);
            continue;
        }
        let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        let merged = match (original.remove(&key), value) {
            (Some(Value::Object(o)), Value::Object(p)) => Value::Object(merge_patch_maps(o, p, &child)),
            (Some(Value::Array(o)), Value::Array(p)) => match list_strategy(&child) {
                Some(merge_key) => Value::Array(merge_patch_lists(o, p, merge_key, &child)),
                None => Value::Array(p),
            },
            (_, value) => value,
        };
        original.insert(key, merged);
    }
    original
}

/// `mergeSlice` of two patches' lists: merged by key (or, for scalars, concatenated without
/// repeats), then `normalizeElementOrder`: the first list's own elements in its order, the
/// second's in its, interleaved by the first list's order (`mergeSortedSlice`), deletions last.
fn merge_patch_lists(original: Vec<Value>, patch: Vec<Value>, merge_key: Option<&str>, path: &str) -> Vec<Value> {
    if original.is_empty() && patch.is_empty() {
        return original;
    }
    let id = |v: &Value| -> Value {
        match merge_key {
            Some(k) => v.get(k).cloned().unwrap_or(Value::Null),
            None => v.clone(),
        }
    };
    let merged = match merge_key {
        None => {
            // deduplicateScalars, as Go writes it (a repeat takes the last element's place).
            let mut s: Vec<Value> = original.iter().chain(&patch).cloned().collect();
            let mut length = s.len().saturating_sub(1);
            let mut i = 0;
            while i < length {
                let mut j = i + 1;
                while j <= length {
                    if s[i] == s[j] {
                        s[j] = s[length].clone();
                        s.truncate(length);
                        length -= 1;
                    } else {
                        j += 1;
                    }
                }
                i += 1;
            }
            s
        }
        Some(_) => {
            let mut merged = original.clone();
            for p in &patch {
                let key = id(p);
                match merged.iter().position(|o| id(o) == key) {
                    Some(i) => {
                        if let (Value::Object(o), Value::Object(pm)) = (merged[i].clone(), p.clone()) {
                            merged[i] = Value::Object(merge_patch_maps(o, pm, path));
                        }
                    }
                    None => merged.push(p.clone()),
                }
            }
            merged
        }
    };
    let (patch_items, server_items): (Vec<Value>, Vec<Value>) =
        if patch.is_empty() { (Vec::new(), merged) } else { merged.into_iter().partition(|m| patch.iter().any(|p| id(p) == id(m))) };
    normalize_element_order(patch_items, server_items, &patch, &original, merge_key)
}

/// The resource (plural) in kubectl's warnings (`info.ObjectName()`: `deployments/web`).
fn resource(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Pod => "pods",
        ObjectKind::Service => "services",
        ObjectKind::Node => "nodes",
        ObjectKind::Image => "images",
        ObjectKind::ReplicaSet => "replicasets",
        ObjectKind::Deployment => "deployments",
        ObjectKind::Job => "jobs",
        ObjectKind::CronJob => "cronjobs",
        ObjectKind::ConfigMap => "configmaps",
        ObjectKind::Secret => "secrets",
        ObjectKind::StatefulSet => "statefulsets",
        ObjectKind::DaemonSet => "daemonsets",
        ObjectKind::PodDisruptionBudget => "poddisruptionbudgets",
        ObjectKind::Namespace => "namespaces",
    }
}

/// The document an object came from as kubectl reads it (YAML to JSON, unstructured), the
/// item of a List when it was one.
fn raw_document(origin: &Origin) -> Result<Value, String> {
    let text = origin.document.as_deref().ok_or("no document text")?;
    let doc = podplay_core::edit::go_yaml_documents(text)?.into_iter().next().ok_or("an empty document")?;
    Ok(match origin.item {
        Some(i) => doc.get("items").and_then(|items| items.get(i)).cloned().ok_or("no such List item")?,
        None => doc,
    })
}

/// `util.GetModifiedConfiguration(obj, true, ...)`: the object (its namespace set, as the
/// builder's `SetNamespace` does) with its annotations, the last-applied one being the JSON of
/// the object without it (annotations `{}` when it had none) and a line end. Returns the
/// modified object and that annotation.
pub fn modified_configuration(document: &Value, namespace: Option<&str>) -> (Value, String) {
    let mut object = document.clone();
    if let Value::Object(obj) = &mut object {
        let meta = obj.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(meta) = meta {
            if let Some(ns) = namespace {
                let missing = meta.get("namespace").and_then(Value::as_str).is_none_or(str::is_empty);
                if missing {
                    meta.insert("namespace".into(), Value::String(ns.to_string()));
                }
            }
            let annotations = meta.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
            if annotations.is_null() {
                *annotations = Value::Object(Map::new());
            }
            if let Value::Object(a) = annotations {
                a.remove(LAST_APPLIED);
            }
        }
    }
    let annotation = format!("{}\n", go_json(&object));
    if let Some(Value::Object(a)) = object.get_mut("metadata").and_then(|m| m.get_mut("annotations")) {
        a.insert(LAST_APPLIED.into(), Value::String(annotation.clone()));
    }
    (object, annotation)
}

/// Go's `encoding/json` of an unstructured object: keys sorted, no spaces, `<`, `>` and `&`
/// (and U+2028, U+2029) escaped as `\u003c` and so on.
pub fn go_json(v: &Value) -> String {
    let mut out = String::new();
    write_go_json(v, &mut out);
    out
}

fn write_go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => podplay_k8s_util::gofmt::json_string_into(s.as_bytes(), out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                podplay_k8s_util::gofmt::json_string_into(k.as_bytes(), out);
                out.push(':');
                write_go_json(&map[k], out);
            }
            out.push('}');
        }
    }
}

/// `CreateThreeWayMergePatch`'s two halves: the deletions (what the last applied configuration
/// had that the new one does not) and the delta (what the new configuration sets differently
/// from the live object, deletions ignored). The patch is empty when both are.
pub fn three_way_patch(original: &Value, modified: &Value, current: &Value) -> Result<(Map<String, Value>, Map<String, Value>), OpError> {
    let as_map = |v: &Value| v.as_object().cloned().unwrap_or_default();
    let (original, modified, current) = (as_map(original), as_map(modified), as_map(current));
    let failed = |e: String| OpError::Rejected(format!("error: podplay could not compute the patch: {e}"));
    let deletions =
        diff_maps(&original, &modified, Diff { ignore_deletions: false, ignore_changes: true, retain_keys: false }, "").map_err(failed)?;
    let delta =
        diff_maps(&current, &modified, Diff { ignore_deletions: true, ignore_changes: false, retain_keys: false }, "").map_err(failed)?;
    Ok((deletions, delta))
}

/// `strategicpatch.DiffOptions`, with `BuildRetainKeysDirective`.
#[derive(Clone, Copy)]
struct Diff {
    ignore_deletions: bool,
    ignore_changes: bool,
    retain_keys: bool,
}

/// `diffMaps`: the patch that turns `from` into `to`, as the options allow.
fn diff_maps(from: &Map<String, Value>, to: &Map<String, Value>, opts: Diff, path: &str) -> Result<Map<String, Value>, String> {
    let mut patch = Map::new();
    let mut retain: Vec<String> = Vec::new();
    for (key, to_v) in to {
        if opts.retain_keys && !to_v.is_null() {
            retain.push(key.clone());
        }
        let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        let Some(from_v) = from.get(key) else {
            if !opts.ignore_changes {
                patch.insert(key.clone(), to_v.clone());
            }
            continue;
        };
        match (from_v, to_v) {
            (Value::Object(a), Value::Object(b)) => {
                let sub = diff_maps(a, b, Diff { retain_keys: retains_keys(&child), ..opts }, &child)?;
                if !sub.is_empty() {
                    patch.insert(key.clone(), Value::Object(sub));
                }
            }
            (Value::Array(a), Value::Array(b)) => diff_lists(key, a, b, opts, &child, &mut patch)?,
            _ => {
                if !opts.ignore_changes && from_v != to_v {
                    patch.insert(key.clone(), to_v.clone());
                }
            }
        }
    }
    // updatePatchIfMissing: what `from` has and `to` lacks is deleted.
    if !opts.ignore_deletions {
        for key in from.keys() {
            if !to.contains_key(key) {
                patch.insert(key.clone(), Value::Null);
            }
        }
    }
    let extra_in_from = from.iter().any(|(k, v)| !v.is_null() && !to.contains_key(k));
    if !retain.is_empty() && (!patch.is_empty() || extra_in_from) {
        retain.sort();
        patch.insert("$retainKeys".into(), Value::Array(retain.into_iter().map(Value::String).collect()));
    }
    Ok(patch)
}

/// `handleSliceDiff`: a list merged by a key (`diffListsOfMaps`), a list of scalars merged as a
/// set (`diffListsOfScalars`), or an atomic list replaced whole. `diffLists` adds
/// `$setElementOrder/KEY` (the new list's order) when the list changed or, for a list of maps,
/// when its order is not the same: a live list with an element no manifest has (the service
/// account token's volume of a pod) is never in the same order, so such a patch is not empty.
fn diff_lists(key: &str, from: &[Value], to: &[Value], opts: Diff, path: &str, patch: &mut Map<String, Value>) -> Result<(), String> {
    let Some(merge_key) = list_strategy(path) else {
        // replacePatchFieldIfNotEqual
        if !opts.ignore_changes && from != to {
            patch.insert(key.to_string(), Value::Array(to.to_vec()));
        }
        return Ok(());
    };
    if from.is_empty() {
        // Old list empty: the new one whole.
        if !to.is_empty() && !opts.ignore_changes {
            patch.insert(key.to_string(), Value::Array(to.to_vec()));
        }
        return Ok(());
    }
    let order_key = format!("$setElementOrder/{key}");
    match merge_key {
        Some(merge_key) => {
            let id = |item: &Value| -> Result<Value, String> {
                item.get(merge_key).cloned().ok_or_else(|| format!("map: {item} does not contain declared merge key: {merge_key}"))
            };
            let mut items = Vec::new();
            for to_item in to {
                let to_id = id(to_item)?;
                let found = from.iter().find(|f| f.get(merge_key) == Some(&to_id));
                match (found, to_item) {
                    (Some(Value::Object(a)), Value::Object(b)) => {
                        let mut sub = diff_maps(a, b, Diff { retain_keys: retains_keys(path), ..opts }, path)?;
                        if !sub.is_empty() {
                            sub.insert(merge_key.to_string(), to_id);
                            items.push(Value::Object(sub));
                        }
                    }
                    (Some(f), t) => {
                        if !opts.ignore_changes && f != t {
                            items.push(t.clone());
                        }
                    }
                    (None, t) => {
                        if !opts.ignore_changes {
                            items.push(t.clone());
                        }
                    }
                }
            }
            // The deletions go at the end of the list.
            if !opts.ignore_deletions {
                for from_item in from {
                    let from_id = id(from_item)?;
                    if !to.iter().any(|t| t.get(merge_key) == Some(&from_id)) {
                        let mut gone = Map::new();
                        gone.insert(merge_key.to_string(), from_id);
                        gone.insert("$patch".into(), Value::String("delete".into()));
                        items.push(Value::Object(gone));
                    }
                }
            }
            let order_same = from.len() == to.len() && from.iter().zip(to).all(|(f, t)| f.get(merge_key) == t.get(merge_key));
            let changed = !items.is_empty();
            if (!opts.ignore_changes && (changed || !order_same)) || (!opts.ignore_deletions && changed) {
                let order = to
                    .iter()
                    .map(|t| id(t).map(|v| Value::Object(Map::from_iter([(merge_key.to_string(), v)]))))
                    .collect::<Result<Vec<_>, _>>()?;
                patch.insert(order_key, Value::Array(order));
            }
            if changed {
                patch.insert(key.to_string(), Value::Array(items));
            }
        }
        None => {
            let added: Vec<Value> =
                if opts.ignore_changes { Vec::new() } else { to.iter().filter(|t| !from.contains(t)).cloned().collect() };
            let mut removed: Vec<Value> = Vec::new();
            if !opts.ignore_deletions {
                for f in from.iter().filter(|f| !to.contains(f)) {
                    if !removed.contains(f) {
                        removed.push(f.clone());
                    }
                }
            }
            if (!opts.ignore_deletions && !removed.is_empty()) || (!opts.ignore_changes && from != to) {
                patch.insert(order_key, Value::Array(to.to_vec()));
            }
            if !added.is_empty() {
                patch.insert(key.to_string(), Value::Array(added));
            }
            if !removed.is_empty() {
                patch.insert(format!("$deleteFromPrimitiveList/{key}"), Value::Array(removed));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_json_sorts_keys_and_escapes_html() {
        assert_eq!(go_json(&json!({"b": 1, "a": "<x & y>", "c": [true, null]})), r#"{"a":"\u003cx \u0026 y\u003e","b":1,"c":[true,null]}"#);
    }

    #[test]
    fn the_last_applied_configuration_has_the_namespace_and_empty_annotations() {
        let doc = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v"}});
        let (modified, annotation) = modified_configuration(&doc, Some("default"));
        assert_eq!(
            annotation,
            "{\"apiVersion\":\"v1\",\"data\":{\"k\":\"v\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"c\",\"namespace\":\"default\"}}\n"
        );
        assert_eq!(modified["metadata"]["annotations"][LAST_APPLIED], json!(annotation));
    }

    #[test]
    fn three_way_deletes_what_the_last_apply_had_and_keeps_what_no_manifest_had() {
        let original = json!({"spec": {"replicas": 2, "paused": false, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.25", "args": ["a"]}]}}}});
        let modified = json!({"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.26"}]}}}});
        let current = json!({"spec": {"replicas": 5, "paused": false, "revisionHistoryLimit": 10, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.25", "args": ["a"], "imagePullPolicy": "IfNotPresent"}]}}}});
        let (deletions, delta) = three_way_patch(&original, &modified, &current).unwrap();
        assert_eq!(
            Value::Object(deletions.clone()),
            json!({"spec": {"replicas": null, "paused": null, "template": {"spec": {"$setElementOrder/containers": [{"name": "web"}], "containers": [{"name": "web", "args": null}]}}}})
        );
        assert_eq!(
            Value::Object(delta.clone()),
            json!({"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "web"}], "containers": [{"name": "web", "image": "nginx:1.26"}]}}}})
        );
        let patched =
            strategic_merge(&current, &Value::Object(deletions), "").and_then(|v| strategic_merge(&v, &Value::Object(delta), "")).unwrap();
        assert_eq!(
            patched,
            json!({"spec": {"revisionHistoryLimit": 10, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.26", "imagePullPolicy": "IfNotPresent"}]}}}})
        );
        // The same configuration again: no patch.
        let (d, m) = three_way_patch(&modified, &modified, &patched).unwrap();
        assert!(d.is_empty() && m.is_empty());
    }

    #[test]
    fn a_strategy_is_patched_with_retain_keys() {
        let current =
            json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}});
        let modified = json!({"spec": {"strategy": {"type": "Recreate"}}});
        let (_, delta) = three_way_patch(&json!({}), &modified, &current).unwrap();
        assert_eq!(Value::Object(delta.clone()), json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}));
        assert_eq!(strategic_merge(&current, &Value::Object(delta), "").unwrap(), json!({"spec": {"strategy": {"type": "Recreate"}}}));
    }

    #[test]
    fn removed_list_items_are_deleted_by_key() {
        let original = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}});
        let modified = json!({"spec": {"containers": [{"name": "a", "image": "x"}]}});
        let (deletions, delta) = three_way_patch(&original, &modified, &original).unwrap();
        assert_eq!(
            Value::Object(deletions.clone()),
            json!({"spec": {"$setElementOrder/containers": [{"name": "a"}], "containers": [{"name": "b", "$patch": "delete"}]}})
        );
        // The live list is longer: its order is not the new one's (isOrderSame), so the delta
        // carries the order alone.
        assert_eq!(Value::Object(delta.clone()), json!({"spec": {"$setElementOrder/containers": [{"name": "a"}]}}));
        let patched =
            strategic_merge(&original, &Value::Object(deletions), "").and_then(|v| strategic_merge(&v, &Value::Object(delta), "")).unwrap();
        assert_eq!(patched, modified);
    }
}
