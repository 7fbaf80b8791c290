//! `kubectl patch` (`pkg/cmd/patch`) of a pod, a ConfigMap or a Secret: the patch (JSON or YAML, `-p`) applied to the
//! pod's API JSON as the API server applies it — a strategic merge patch (the default), an RFC
//! 7396 JSON merge patch (`--type merge`) or an RFC 6902 JSON patch (`--type json`) — and the
//! result written through the engine's typed updates: the main resource takes metadata
//! (labels, annotations, finalizers), `spec.activeDeadlineSeconds` and the containers' images
//! (a status in the patch
//! is reset, as the pod strategy's `PrepareForUpdate` does); the `status` subresource
//! (`--subresource=status`, kubectl 1.24+) takes `status.conditions`, `message` and `reason`
//! and the same metadata (the spec is reset). kubectl prints `pod/NAME patched`, or
//! `pod/NAME patched (no change)` when the server wrote nothing. A ConfigMap or Secret is
//! patched as stored and written through the API server's update of its kind
//! (`Engine::update_object`): its data, labels and annotations.

use std::collections::BTreeMap;

use podplay_core::engine::apply_api::object_from_stored;
use podplay_core::engine::ops::{ObjectKind, OpError, PodStatusUpdate, PodUpdate};
use podplay_core::model::{Pod, PodCondition};
use podplay_core::version::SubresourceFlag;
use podplay_core::Engine;
use serde_json::{Map, Value};

use crate::mutate::api_error;
use crate::{Kind, Output};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PatchType {
    Json,
    Merge,
    Strategic,
}

/// `kubectl patch TYPE NAME -p PATCH [--type T] [--subresource S]` (`args` after the verb).
pub fn patch(engine: &mut Engine, args: &[&str], namespace: &str) -> Output {
    let subresource_flag = engine.release().kubectl_patch_subresource;
    let flags = match parse_flags(args, subresource_flag) {
        Ok(flags) => flags,
        Err(e) => return Output::err(e),
    };
    let (kind, patch_text) = match validate(&flags, subresource_flag) {
        Ok(v) => v,
        Err(e) => return Output::err(e),
    };
    let (target_kind, name) = match target(&flags.positional) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    // yaml.ToJSON: the patch may be YAML or JSON.
    let patch: Value = match serde_yaml::from_str(&patch_text) {
        Ok(v) => v,
        Err(e) => return Output::err(format!("error: unable to parse {patch_text:?}: {e}\n")),
    };
    if let Some((kind_word, object_kind)) = config_kind(target_kind) {
        if !flags.subresource.is_empty() {
            return Output::err("Error from server (NotFound): the server could not find the requested resource\n".into());
        }
        return match patch_config(engine, object_kind, namespace, &name, kind, &patch) {
            Ok(true) => Output::ok(format!("{kind_word}/{name} patched\n")),
            Ok(false) => Output::ok(format!("{kind_word}/{name} patched (no change)\n")),
            Err(e) => Output::err(e),
        };
    }
    let Some(pod) = engine.pod(namespace, &name).cloned() else {
        return Output::err(api_error(&OpError::NotFound { resource: "pods", name }));
    };
    let original = podplay_core::api_json::pod_value(&pod);
    let patched = match apply(kind, &original, &patch) {
        Ok(v) => v,
        Err(e) => return Output::err(format!("Error from server (BadRequest): {e}\n")),
    };
    let written = match flags.subresource.as_str() {
        "" => write_main(engine, namespace, &name, &original, &patched, (kind, &patch)),
        "status" => write_status(engine, namespace, &name, &pod, &original, &patched),
        _ => return Output::err("Error from server (NotFound): the server could not find the requested resource\n".into()),
    };
    match written {
        Ok(true) => Output::ok(format!("pod/{name} patched\n")),
        Ok(false) => Output::ok(format!("pod/{name} patched (no change)\n")),
        Err(e) => Output::err(e),
    }
}

/// What `kubectl patch`'s command line says.
struct PatchFlags {
    patch_text: Option<String>,
    patch_file: bool,
    patch_type: String,
    subresource: String,
    positional: Vec<String>,
}

/// The command line as pflag reads it (`-p VALUE`, `-pVALUE`, `--flag=VALUE`), kubectl's flags
/// that podplay does not simulate refused by name.
fn parse_flags(args: &[&str], subresource_flag: SubresourceFlag) -> Result<PatchFlags, String> {
    let mut flags = PatchFlags {
        patch_text: None,
        patch_file: false,
        patch_type: "strategic".to_string(),
        subresource: String::new(),
        positional: Vec::new(),
    };
    let mut i = 0;
    let value = |i: &mut usize, flag: &str| -> Result<String, String> {
        *i += 1;
        args.get(*i)
            .map(|s| s.to_string())
            .ok_or_else(|| format!("error: flag needs an argument: {flag}\nSee 'kubectl patch --help' for usage.\n"))
    };
    while i < args.len() {
        let a = args[i];
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if a.starts_with("--") => (n, Some(v.to_string())),
            _ => (a, None),
        };
        let take = |i: &mut usize, flag: &str| inline.clone().map_or_else(|| value(i, flag), Ok);
        match name {
            "-p" | "--patch" => flags.patch_text = Some(take(&mut i, "'p' in -p")?),
            s if s.starts_with("-p") && s.len() > 2 && !s.starts_with("--") => {
                // pflag's shorthand: `-pVALUE` or `-p=VALUE`.
                flags.patch_text = Some(s[2..].strip_prefix('=').unwrap_or(&s[2..]).to_string());
            }
            "--dry-run"
            | "-o"
            | "--output"
            | "--local"
            | "-f"
            | "--filename"
            | "-k"
            | "--kustomize"
            | "-R"
            | "--recursive"
            | "--field-manager"
            | "--record"
            | "--template"
            | "--allow-missing-template-keys"
            | "--show-managed-fields" => {
                return Err(format!("error: podplay's kubectl patch does not take {name}: it patches one pod, ConfigMap or Secret named on the command line and prints KIND/NAME patched\n"));
            }
            "--patch-file" => {
                take(&mut i, "--patch-file")?;
                flags.patch_file = true;
            }
            "--type" => flags.patch_type = take(&mut i, "--type")?,
            "--subresource" if subresource_flag != SubresourceFlag::Absent => flags.subresource = take(&mut i, "--subresource")?,
            s if s.starts_with('-') && s.len() > 1 => return Err(crate::unknown_flag("patch", s)),
            s => flags.positional.push(s.to_string()),
        }
        i += 1;
    }
    Ok(flags)
}

/// `PatchOptions.Validate`, in its order: the patch's type and text.
fn validate(flags: &PatchFlags, subresource_flag: SubresourceFlag) -> Result<(PatchType, String), String> {
    if flags.patch_text.is_some() && flags.patch_file {
        return Err("error: cannot specify --patch and --patch-file together\n".into());
    }
    if flags.patch_file {
        return Err("error: podplay has no files to read a patch from: give it with -p\n".into());
    }
    let Some(patch_text) = flags.patch_text.clone().filter(|p| !p.is_empty()) else {
        return Err("error: must specify --patch or --patch-file containing the contents of the patch\n".into());
    };
    let kind = match flags.patch_type.to_lowercase().as_str() {
        "json" => PatchType::Json,
        "merge" => PatchType::Merge,
        "strategic" => PatchType::Strategic,
        _ => return Err(format!("error: --type must be one of [json merge strategic], not {:?}\n", flags.patch_type)),
    };
    let subresource = flags.subresource.as_str();
    if subresource_flag == SubresourceFlag::StatusOrScale && !subresource.is_empty() && !matches!(subresource, "status" | "scale") {
        return Err(format!("error: invalid subresource value: {subresource:?}. Must be one of [status scale]\n"));
    }
    Ok((kind, patch_text))
}

/// The kinds besides pods podplay patches: kubectl's word for them and the engine's kind.
fn config_kind(kind: Kind) -> Option<(&'static str, ObjectKind)> {
    match kind {
        Kind::ConfigMaps => Some(("configmap", ObjectKind::ConfigMap)),
        Kind::Secrets => Some(("secret", ObjectKind::Secret)),
        _ => None,
    }
}

/// A ConfigMap's or Secret's patch: applied to the object as stored, and the result sent to
/// the API server's update (`Engine::update_object`: `ValidateConfigMapUpdate`,
/// `ValidateSecretUpdate`, their data and labels and annotations written). Whether anything
/// changed.
fn patch_config(
    engine: &mut Engine,
    kind: ObjectKind,
    namespace: &str,
    name: &str,
    patch_type: PatchType,
    patch: &Value,
) -> Result<bool, String> {
    let resource = if kind == ObjectKind::Secret { "secrets" } else { "configmaps" };
    let stored = engine
        .stored_object(kind, namespace, name)
        .ok_or_else(|| api_error(&OpError::NotFound { resource, name: name.to_string() }))?
        .stored;
    let patched = apply(patch_type, &stored, patch).map_err(|e| format!("Error from server (BadRequest): {e}\n"))?;
    let desired = object_from_stored(kind, patched).map_err(|e| format!("Error from server (BadRequest): {e}\n"))?;
    engine.update_object(desired).map_err(|e| api_error(&e))
}

/// The object the command names (`pod NAME` or `pod/NAME`; a ConfigMap or Secret likewise),
/// with kubectl's errors for the rest.
fn target(positional: &[String]) -> Result<(Kind, String), String> {
    let (kind_word, name) = match positional {
        [one] if one.contains('/') => {
            let (k, n) = one.split_once('/').unwrap_or_default();
            (k.to_string(), n.to_string())
        }
        [k, n] => (k.clone(), n.clone()),
        // One word is a resource type (the builder's ResourceTypeOrNameArgs).
        [one] => match Kind::of_word(one) {
            Some(_) => return Err("error: resource(s) were provided, but no name was specified\n".into()),
            None => return Err(format!("error: the server doesn't have a resource type \"{one}\"\n")),
        },
        [] => {
            return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".into());
        }
        _ => return Err("error: podplay patches one object: kubectl patch TYPE NAME -p PATCH\n".into()),
    };
    match Kind::of_word(&kind_word) {
        Some(kind @ (Kind::Pods | Kind::ConfigMaps | Kind::Secrets)) => Ok((kind, name)),
        Some(_) => Err(format!("error: podplay patches pods, ConfigMaps and Secrets, not {kind_word:?}\n")),
        None => Err(format!("error: the server doesn't have a resource type \"{kind_word}\"\n")),
    }
}

/// The object `patch` of type `kind` makes of `original`.
fn apply(kind: PatchType, original: &Value, patch: &Value) -> Result<Value, String> {
    match kind {
        PatchType::Merge => match patch {
            Value::Object(_) => Ok(merge_patch(original, patch)),
            _ => Err("podplay: a merge patch is a JSON object".to_string()),
        },
        PatchType::Strategic => match patch {
            Value::Object(_) => strategic_merge(original, patch, ""),
            _ => Err("podplay: a strategic merge patch is a JSON object".to_string()),
        },
        PatchType::Json => json_patch(original, patch),
    }
}

/// The metadata an update writes: labels, annotations and finalizers as the patched object
/// has them.
fn meta_update(patched: &Value) -> Result<PodUpdate, String> {
    let meta = |key: &str| patched.get("metadata").and_then(|m| m.get(key)).cloned().unwrap_or(Value::Null);
    let strings = |v: Value, field: &str| -> Result<BTreeMap<String, String>, String> {
        match v {
            Value::Null => Ok(BTreeMap::new()),
            Value::Object(m) => m
                .into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k, s)),
                    other => Err(decode_error(&format!("metadata.{field}"), &other, "string")),
                })
                .collect(),
            other => Err(decode_error(&format!("metadata.{field}"), &other, "map[string]string")),
        }
    };
    let finalizers = match meta("finalizers") {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                other => Err(decode_error("metadata.finalizers", &other, "string")),
            })
            .collect::<Result<_, _>>()?,
        other => Err(decode_error("metadata.finalizers", &other, "[]string"))?,
    };
    Ok(PodUpdate {
        labels: Some(strings(meta("labels"), "labels")?),
        annotations: Some(strings(meta("annotations"), "annotations")?),
        finalizers: Some(finalizers),
        ..PodUpdate::default()
    })
}

/// `part` of the object without the `keep` fields podplay writes.
fn rest_of(v: &Value, part: &str, keep: &[&str]) -> Value {
    let mut v = v.get(part).cloned().unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        for k in keep {
            m.remove(*k);
        }
    }
    v
}

/// The metadata fields an update may change that podplay writes.
const META_FIELDS: &[&str] = &["labels", "annotations", "finalizers"];

/// The main resource: metadata's labels, annotations and finalizers, the spec's
/// activeDeadlineSeconds and its containers' images; the status is the old one again (the pod strategy's
/// `PrepareForUpdate`); another change of the spec goes to the API server's update whole
/// (`Engine::update_object`: `ValidatePodUpdate`'s Forbidden); another change of the metadata
/// is one podplay does not make.
fn write_main(
    engine: &mut Engine,
    namespace: &str,
    name: &str,
    original: &Value,
    patched: &Value,
    (kind, patch): (PatchType, &Value),
) -> Result<bool, String> {
    if rest_of(original, "metadata", META_FIELDS) != rest_of(patched, "metadata", META_FIELDS) {
        return Err(unsupported_change("metadata"));
    }
    // ValidatePodUpdate's munging: the containers' images and the deadline may differ.
    let images = |v: &Value, list: &str| -> Vec<String> {
        let items = v.get("spec").and_then(|s| s.get(list)).and_then(Value::as_array).cloned().unwrap_or_default();
        items.iter().map(|c| c.get("image").and_then(Value::as_str).unwrap_or_default().to_string()).collect()
    };
    let munged = |v: &Value| {
        let mut spec = rest_of(v, "spec", &["activeDeadlineSeconds"]);
        for list in ["containers", "initContainers"] {
            if let Some(Value::Array(items)) = spec.get_mut(list) {
                for c in items.iter_mut().filter_map(Value::as_object_mut) {
                    c.remove("image");
                }
            }
        }
        spec
    };
    let (containers, init) = (images(patched, "containers"), images(patched, "initContainers"));
    let counts_same = containers.len() == images(original, "containers").len() && init.len() == images(original, "initContainers").len();
    if counts_same && munged(original) != munged(patched) {
        // Other fields of the spec: the patch applied to the stored pod goes to the API
        // server's update whole, whose ValidatePodUpdate refuses it (`spec: Forbidden`).
        let stored = engine.stored_object(ObjectKind::Pod, namespace, name).map(|s| s.stored);
        let desired = stored
            .ok_or_else(|| api_error(&OpError::NotFound { resource: "pods", name: name.to_string() }))
            .and_then(|stored| apply(kind, &stored, patch).map_err(|_| unsupported_change("spec")))
            .and_then(|v| object_from_stored(ObjectKind::Pod, v).map_err(|_| unsupported_change("spec")))?;
        return engine.update_object(desired).map_err(|e| api_error(&e));
    }
    let deadline = match patched.get("spec").and_then(|s| s.get("activeDeadlineSeconds")) {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_i64().ok_or_else(|| decode_error("spec.activeDeadlineSeconds", v, "int64"))?),
    };
    let update = PodUpdate {
        active_deadline_seconds: Some(deadline),
        container_images: Some(containers),
        init_container_images: Some(init),
        ..meta_update(patched)?
    };
    engine.update_pod(namespace, name, update).map_err(|e| api_error(&e))
}

/// The status subresource: the status's conditions, message and reason, and the metadata's
/// labels, annotations and finalizers (the status strategy resets only the spec, the
/// deletionTimestamp and the ownerReferences).
fn write_status(engine: &mut Engine, namespace: &str, name: &str, pod: &Pod, original: &Value, patched: &Value) -> Result<bool, String> {
    const STATUS_FIELDS: &[&str] = &["conditions", "message", "reason"];
    if rest_of(original, "status", STATUS_FIELDS) != rest_of(patched, "status", STATUS_FIELDS) {
        return Err(unsupported_change("status"));
    }
    let meta_reset = ["deletionTimestamp", "ownerReferences"];
    let meta_kept: Vec<&str> = META_FIELDS.iter().chain(&meta_reset).copied().collect();
    if rest_of(original, "metadata", &meta_kept) != rest_of(patched, "metadata", &meta_kept) {
        return Err(unsupported_change("metadata"));
    }
    let old_json: Vec<Value> =
        original.get("status").and_then(|s| s.get("conditions")).and_then(Value::as_array).cloned().unwrap_or_default();
    let new_json = match patched.get("status").and_then(|s| s.get("conditions")) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(other) => return Err(decode_error("status.conditions", other, "[]v1.PodCondition")),
    };
    let mut conditions = Vec::new();
    for c in new_json {
        // A condition the patch left as it was keeps its exact times.
        if let Some(i) = old_json.iter().position(|o| *o == c) {
            conditions.push(pod.status.conditions[i].clone());
            continue;
        }
        conditions.push(condition_of(&c, engine.now())?);
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match patched.get("status").and_then(|s| s.get(key)) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(decode_error(&format!("status.{key}"), other, "string")),
        }
    };
    let update = PodStatusUpdate { conditions, message: text("message")?, reason: text("reason")? };
    let meta_changed = engine.update_pod(namespace, name, meta_update(patched)?).map_err(|e| api_error(&e))?;
    let status_changed = engine.update_pod_status(namespace, name, update).map_err(|e| api_error(&e))?;
    Ok(meta_changed || status_changed)
}

/// A `v1.PodCondition` from its JSON.
fn condition_of(v: &Value, now: podplay_core::clock::Millis) -> Result<PodCondition, String> {
    let Value::Object(m) = v else { return Err(decode_error("status.conditions", v, "v1.PodCondition")) };
    let text = |key: &str| -> Result<Option<String>, String> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(decode_error(&format!("status.conditions.{key}"), other, "string")),
        }
    };
    let time = |key: &str| -> Result<Option<podplay_core::clock::Millis>, String> {
        match text(key)? {
            None => Ok(None),
            Some(t) => parse_rfc3339(&t).map(Some).ok_or_else(|| {
                format!("parsing time {t:?} as \"2006-01-02T15:04:05Z07:00\": podplay reads RFC 3339 times like 2026-01-05T09:00:00Z")
            }),
        }
    };
    Ok(PodCondition {
        kind: text("type")?.unwrap_or_default(),
        status: text("status")?.unwrap_or_default(),
        last_probe_time: time("lastProbeTime")?,
        // The API server stores a condition given without one with a null time; podplay
        // stamps it with the moment of the write.
        last_transition_time: time("lastTransitionTime")?.unwrap_or(now),
        reason: text("reason")?,
        message: text("message")?,
    })
}

/// `2026-01-05T09:00:00Z` (or with a fraction or an offset) as virtual time; `None` before the
/// cluster's epoch or not a time.
fn parse_rfc3339(t: &str) -> Option<podplay_core::clock::Millis> {
    let b = t.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r).filter(|s| s.bytes().all(|c| c.is_ascii_digit())).and_then(|s| s.parse::<i64>().ok());
    let (year, month, day, hour, minute, second) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &t[19..];
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return None;
        }
        millis = format!("{digits:0<3}")[..3].parse().ok()?;
        rest = &frac[digits.len()..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = rest[1..].split_once(':')?;
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let unix = podplay_k8s_util::time::unix_from_civil(year, month as u32, day as u32, hour as u32, minute as u32, second as u32) - offset;
    let since = (unix - podplay_core::clock::EPOCH_UNIX_SECONDS) * 1000 + millis;
    (since >= 0).then_some(since as podplay_core::clock::Millis)
}

fn unsupported_change(part: &str) -> String {
    format!(
        "error: podplay patches a pod's metadata.labels, metadata.annotations, metadata.finalizers, spec.activeDeadlineSeconds and its containers' images, and with --subresource=status its status.conditions, status.message and status.reason; this patch changes other fields of {part}\n"
    )
}

/// The API server's decoding error for a value of the wrong type (podplay's words).
fn decode_error(field: &str, value: &Value, want: &str) -> String {
    format!("Error from server (BadRequest): podplay: {field}: cannot decode {value} as {want}\n")
}

/// RFC 7396 (`jsonpatch.MergePatch`): objects merge key by key, `null` deletes, anything else
/// replaces.
fn merge_patch(target: &Value, patch: &Value) -> Value {
    match patch {
        Value::Object(p) => {
            let mut out = match target {
                Value::Object(t) => t.clone(),
                _ => Map::new(),
            };
            for (k, v) in p {
                if v.is_null() {
                    out.remove(k);
                } else {
                    let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v);
                    out.insert(k.clone(), merged);
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// A field's path inside an object of any kind podplay patches, as the path of the same field
/// of a pod when it is in a workload's pod template (`spec.template.spec.containers` is
/// `spec.containers`; a CronJob's `spec.jobTemplate.spec.template.` likewise).
fn pod_path(path: &str) -> &str {
    for prefix in ["spec.jobTemplate.spec.template.", "spec.template."] {
        if let Some(rest) = path.strip_prefix(prefix) {
            return rest;
        }
    }
    path
}

/// How a list is merged by a strategic merge patch (the `patchStrategy` and `patchMergeKey`
/// tags of `k8s.io/api`'s types): by a key, as a set of scalars, or replaced.
pub(crate) fn list_strategy(path: &str) -> Option<Option<&'static str>> {
    let path = pod_path(path);
    let container_list =
        ["spec.containers.", "spec.initContainers.", "spec.ephemeralContainers."].iter().find_map(|p| path.strip_prefix(p));
    if let Some(field) = container_list {
        return match field {
            "ports" => Some(Some("containerPort")),
            "env" => Some(Some("name")),
            "volumeMounts" => Some(Some("mountPath")),
            "volumeDevices" => Some(Some("devicePath")),
            _ => None,
        };
    }
    match path {
        "metadata.finalizers" => Some(None),
        "status.conditions" => Some(Some("type")),
        "spec.containers"
        | "spec.initContainers"
        | "spec.ephemeralContainers"
        | "status.containerStatuses"
        | "status.initContainerStatuses" => Some(Some("name")),
        "spec.volumes" | "spec.imagePullSecrets" => Some(Some("name")),
        "spec.hostAliases" => Some(Some("ip")),
        "spec.topologySpreadConstraints" => Some(Some("topologyKey")),
        "metadata.ownerReferences" => Some(Some("uid")),
        // A Service's ports (`patchMergeKey:"port"`).
        "spec.ports" => Some(Some("port")),
        _ => None,
    }
}

/// Whether a map is patched with `$retainKeys` (`patchStrategy:"retainKeys"`): a Deployment's
/// `spec.strategy`, and each of a pod's volumes (`merge,retainKeys`).
pub(crate) fn retains_keys(path: &str) -> bool {
    matches!(pod_path(path), "spec.strategy" | "spec.volumes")
}

/// `strategicpatch.StrategicMergePatch` over an object's JSON for the directives podplay
/// knows: maps merge, `null` deletes, lists merge by their `patchMergeKey` (an element with
/// `$patch: delete` is removed) or, for `finalizers`, as a set (`$deleteFromPrimitiveList/`);
/// any other list is replaced; `$retainKeys` clears the fields it does not list;
/// `$setElementOrder/` orders a merged list (`normalizeElementOrder`).
pub(crate) fn strategic_merge(target: &Value, patch: &Value, path: &str) -> Result<Value, String> {
    let Value::Object(p) = patch else { return Ok(patch.clone()) };
    let mut out = match target {
        Value::Object(t) => t.clone(),
        _ => Map::new(),
    };
    // `$retainKeys`: the fields of the object not listed (and not in the patch) are cleared.
    if let Some(retain) = p.get("$retainKeys") {
        let Value::Array(keys) = retain else { return Err(format!("podplay: $retainKeys at {path} is not a list")) };
        out.retain(|k, _| keys.iter().any(|r| r.as_str() == Some(k.as_str())) || p.contains_key(k));
    }
    if let Some(directive) = p.get("$patch") {
        return match directive.as_str() {
            Some("replace") => {
                let mut p = p.clone();
                p.remove("$patch");
                Ok(Value::Object(p))
            }
            Some("delete") => Ok(Value::Null),
            _ => Err(format!("podplay: unknown patch directive {directive} at {}", if path.is_empty() { "the top" } else { path })),
        };
    }
    for (k, v) in p {
        if let Some(list) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(items)), Value::Array(gone)) = (out.get_mut(list), v) {
                items.retain(|i| !gone.contains(i));
            }
            continue;
        }
        if k.starts_with("$setElementOrder/") || k == "$retainKeys" {
            continue;
        }
        if k.starts_with('$') {
            return Err(format!("podplay: unknown patch directive {k:?}"));
        }
        let child = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
        if v.is_null() {
            out.remove(k);
            continue;
        }
        let old = out.get(k).cloned().unwrap_or(Value::Null);
        let merged = match (v, list_strategy(&child)) {
            (Value::Array(items), Some(None)) => {
                let mut list = old.as_array().cloned().unwrap_or_default();
                for item in items {
                    if !list.contains(item) {
                        list.push(item.clone());
                    }
                }
                Value::Array(list)
            }
            (Value::Array(items), Some(Some(key))) => {
                let mut list = old.as_array().cloned().unwrap_or_default();
                for item in items {
                    let Some(id) = item.get(key) else {
                        return Err(format!("map: {item} does not contain declared merge key: {key}"));
                    };
                    let at = list.iter().position(|o| o.get(key) == Some(id));
                    let merged = strategic_merge(at.map_or(&Value::Null, |i| &list[i]), item, &child)?;
                    match (at, merged.is_null()) {
                        (Some(i), true) => {
                            list.remove(i);
                        }
                        (Some(i), false) => list[i] = merged,
                        (None, true) => {}
                        (None, false) => list.push(merged),
                    }
                }
                Value::Array(list)
            }
            (Value::Object(_), _) => strategic_merge(&old, v, &child)?,
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    // `$setElementOrder/KEY` (mergePatchIntoOriginal): the list's elements the order names go
    // in its order, the others keep their places among them by the old list's order.
    for (k, order) in p.iter().filter_map(|(k, v)| k.strip_prefix("$setElementOrder/").map(|k| (k, v))) {
        let (Some(Value::Array(order)), Some(Value::Array(merged))) = (Some(order), out.get(k)) else { continue };
        let child = if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
        let merge_key = match list_strategy(&child) {
            Some(key) => key,
            None => continue,
        };
        let old = match target.get(k) {
            Some(Value::Array(old)) => old.clone(),
            _ => Vec::new(),
        };
        let (in_order, server_only): (Vec<Value>, Vec<Value>) =
            merged.iter().cloned().partition(|m| order.iter().any(|o| element_id(o, merge_key) == element_id(m, merge_key)));
        let ordered = normalize_element_order(in_order, server_only, order, &old, merge_key);
        out.insert(k.to_string(), Value::Array(ordered));
    }
    Ok(Value::Object(out))
}

/// A list element's identity: its merge key's value, or itself in a list of scalars.
pub(crate) fn element_id(v: &Value, merge_key: Option<&str>) -> Value {
    match merge_key {
        Some(k) => v.get(k).cloned().unwrap_or(Value::Null),
        None => v.clone(),
    }
}

/// strategicpatch's `normalizeElementOrder`: the elements the patch names sorted by its order,
/// the others by the old list's, each with its `$patch: delete` elements last
/// (`normalizeSliceOrder`), then merged by the old list's order (`mergeSortedSlice`): an
/// element of the patch goes before a server-only one unless both are in the old list and the
/// server-only one came first.
pub(crate) fn normalize_element_order(
    mut patch_items: Vec<Value>,
    mut server_items: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    merge_key: Option<&str>,
) -> Vec<Value> {
    let index = |list: &[Value], v: &Value| list.iter().position(|x| element_id(x, merge_key) == element_id(v, merge_key));
    let normalize = |items: &mut Vec<Value>, order: &[Value]| {
        let (mut keep, gone): (Vec<Value>, Vec<Value>) =
            std::mem::take(items).into_iter().partition(|v| v.get("$patch").and_then(Value::as_str) != Some("delete"));
        keep.sort_by_key(|v| index(order, v).unwrap_or(usize::MAX));
        keep.extend(gone);
        *items = keep;
    };
    normalize(&mut patch_items, patch_order);
    normalize(&mut server_items, server_order);
    let mut out = Vec::with_capacity(patch_items.len() + server_items.len());
    let (mut left, mut right) = (server_items.into_iter().peekable(), patch_items.into_iter().peekable());
    loop {
        match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => out.extend(left.next()),
            (None, Some(_)) => out.extend(right.next()),
            (Some(l), Some(r)) => match (index(server_order, l), index(server_order, r)) {
                (Some(li), Some(ri)) if li < ri => out.extend(left.next()),
                _ => out.extend(right.next()),
            },
        }
    }
    out
}

/// RFC 6902 (`jsonpatch.DecodePatch` and `Apply`): `add`, `remove`, `replace`, `move`,
/// `copy` and `test`, each at a JSON pointer.
fn json_patch(target: &Value, patch: &Value) -> Result<Value, String> {
    let Value::Array(ops) = patch else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut doc = target.clone();
    for op in ops {
        let field = |key: &str| op.get(key).and_then(Value::as_str);
        let Some(kind) = field("op") else { return Err("Unexpected kind: unknown".into()) };
        let path = field("path").ok_or_else(|| format!("{kind} operation missing path"))?;
        let value = || op.get("value").cloned().ok_or_else(|| format!("{kind} operation missing value"));
        match kind {
            "add" => pointer_add(&mut doc, path, value()?)?,
            "remove" => {
                pointer_remove(&mut doc, path)?;
            }
            "replace" => {
                pointer_remove(&mut doc, path).map_err(|_| format!("replace operation does not apply: doc is missing key: {path}"))?;
                pointer_add(&mut doc, path, value()?)?;
            }
            "move" | "copy" => {
                let from = field("from").ok_or_else(|| format!("{kind} operation missing from"))?;
                let v = if kind == "move" {
                    pointer_remove(&mut doc, from)?
                } else {
                    doc.pointer(from).cloned().ok_or_else(|| format!("copy operation does not apply: doc is missing from path: {from}"))?
                };
                pointer_add(&mut doc, path, v)?;
            }
            "test" => {
                if doc.pointer(path) != Some(&value()?) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

fn split_pointer(path: &str) -> Result<(String, String), String> {
    let (parent, last) = path.rsplit_once('/').ok_or_else(|| format!("podplay: {path:?} is not a JSON pointer"))?;
    Ok((parent.to_string(), last.replace("~1", "/").replace("~0", "~")))
}

fn pointer_add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, last) = split_pointer(path)?;
    let missing = || format!("add operation does not apply: doc is missing path: {path:?}: missing value");
    match doc.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => {
            m.insert(last, value);
            Ok(())
        }
        Value::Array(items) => {
            let at = if last == "-" { items.len() } else { last.parse::<usize>().map_err(|_| missing())? };
            if at > items.len() {
                return Err(format!("add operation does not apply: doc is missing path: {path:?}: missing value"));
            }
            items.insert(at, value);
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn pointer_remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, last) = split_pointer(path)?;
    let missing = || format!("remove operation does not apply: doc is missing path: {path:?}: missing value");
    match doc.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => m.remove(&last).ok_or_else(missing),
        Value::Array(items) => {
            let at = last.parse::<usize>().map_err(|_| missing())?;
            if at >= items.len() {
                return Err(missing());
            }
            Ok(items.remove(at))
        }
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patches_of_finalizers() {
        let pod = json!({"metadata": {"name": "p", "finalizers": ["a/x", "b/y"]}});
        assert_eq!(merge_patch(&pod, &json!({"metadata": {"finalizers": null}})), json!({"metadata": {"name": "p"}}));
        let removed = json_patch(&pod, &json!([{"op": "remove", "path": "/metadata/finalizers/0"}])).unwrap();
        assert_eq!(removed, json!({"metadata": {"name": "p", "finalizers": ["b/y"]}}));
        assert!(json_patch(&pod, &json!([{"op": "remove", "path": "/metadata/finalizers/2"}])).unwrap_err().contains("missing path"));
        // Strategic: finalizers merge as a set; $deleteFromPrimitiveList removes.
        let added = strategic_merge(&pod, &json!({"metadata": {"finalizers": ["c/z", "a/x"]}}), "").unwrap();
        assert_eq!(added["metadata"]["finalizers"], json!(["a/x", "b/y", "c/z"]));
        let gone = strategic_merge(&pod, &json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a/x"]}}), "").unwrap();
        assert_eq!(gone["metadata"]["finalizers"], json!(["b/y"]));
    }

    #[test]
    fn strategic_conditions_merge_by_type() {
        let pod = json!({"status": {"conditions": [{"type": "Ready", "status": "False"}, {"type": "x/gate", "status": "False"}]}});
        let patched = strategic_merge(&pod, &json!({"status": {"conditions": [{"type": "x/gate", "status": "True"}]}}), "").unwrap();
        assert_eq!(patched["status"]["conditions"], json!([{"type": "Ready", "status": "False"}, {"type": "x/gate", "status": "True"}]));
        // A JSON merge patch replaces the list.
        let replaced = merge_patch(&pod, &json!({"status": {"conditions": [{"type": "x/gate", "status": "True"}]}}));
        assert_eq!(replaced["status"]["conditions"], json!([{"type": "x/gate", "status": "True"}]));
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(parse_rfc3339(&podplay_core::api_json::rfc3339(61_000)), Some(61_000));
        assert_eq!(parse_rfc3339("2026-01-05T09:00:00.5Z").map(|t| t % 1000), Some(500));
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
