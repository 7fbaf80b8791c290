//! kubectl's `rollout history|undo|pause|resume|restart` for Deployments, and `annotate`
//! (which sets the `kubernetes.io/change-cause` that `rollout history` shows): kubectl's
//! `pkg/cmd/rollout/`, `pkg/cmd/annotate/annotate.go` and the Deployment halves of
//! `pkg/polymorphichelpers/{history,rollback,objectpauser,objectresumer,objectrestarter}.go`.
//! kubectl does this work on the client: it reads the Deployment and its ReplicaSets, works
//! out the patch, and sends it ([`Engine::update_deployment`]); a rollback is a patch of the
//! template and the annotations (no `DeploymentRollback` event: that was the controller's
//! path for `extensions/v1beta1` `rollbackTo`, which apps/v1 kubectl never sets).

use std::collections::BTreeMap;

use podplay_core::clock::EPOCH_UNIX_SECONDS;
use podplay_core::engine::ops::{DeploymentUpdate, OpError, WorkloadKind};
use podplay_core::engine::{DeploymentRecord, ReplicaSetRecord};
use podplay_core::model::PodTemplateSpec;
use podplay_core::Engine;

use crate::describe::PrefixWriter;
use crate::mutate::api_error;
use crate::workloads::{describe_pod_template, owner_uid, qualified, workload_target};
use crate::Output;

const REVISION: &str = "deployment.kubernetes.io/revision";
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
const POD_TEMPLATE_HASH: &str = "pod-template-hash";
/// rollback.go `annotationsToSkip`: kept from the Deployment, never copied from the ReplicaSet.
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    LAST_APPLIED,
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// The `rollout` subcommands that change the cluster.
pub const MUTATING_SUBCOMMANDS: &[&str] = &["undo", "pause", "resume", "restart"];

/// `kubectl rollout SUB ...` for `history`, `undo`, `pause`, `resume`, `restart`.
pub(crate) fn run(engine: &mut Engine, sub: &str, args: &[&str], namespace: &str) -> Output {
    let verb = format!("rollout {sub}");
    let number_flag = match sub {
        "history" => Some("--revision"),
        "undo" => Some("--to-revision"),
        _ => None,
    };
    let mut number: i64 = 0;
    let mut words = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        match number_flag {
            Some(flag) if a == flag || a.starts_with(&format!("{flag}=")) => {
                let value = match a.split_once('=') {
                    Some((_, v)) => v,
                    None => {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v,
                            None => {
                                return Output::err(format!(
                                    "error: flag needs an argument: {flag}\nSee 'kubectl {verb} --help' for usage.\n"
                                ))
                            }
                        }
                    }
                };
                number = match value.parse() {
                    Ok(n) => n,
                    Err(_) => {
                        return Output::err(format!(
                            "error: invalid argument {value:?} for \"{flag}\" flag: strconv.ParseInt: parsing {value:?}: invalid syntax\nSee 'kubectl {verb} --help' for usage.\n"
                        ))
                    }
                };
            }
            _ if a.starts_with("--dry-run") => {
                return Output::err(format!("error: podplay does not simulate --dry-run for kubectl {verb}\n"));
            }
            _ if a.starts_with('-') && a.len() > 1 => return Output::err(crate::unknown_flag(&verb, a)),
            _ => words.push(a),
        }
        i += 1;
    }
    if words.is_empty() {
        return Output::err("error: required resource not specified\n".into());
    }
    if sub == "history" && number < 0 {
        return Output::err(format!("error: revision must be a positive integer: {number}\n"));
    }
    let name = match rollout_target(&words) {
        Ok(name) => name,
        Err(e) => return Output::err(e),
    };
    let Some(record) = engine.deployment(namespace, &name) else {
        return Output::err(api_error(&OpError::NotFound { resource: WorkloadKind::Deployment.resource(), name }));
    };
    let record = record.clone();
    match sub {
        "history" => history(engine, &record, number),
        "undo" => undo(engine, &record, number),
        "pause" => set_paused(engine, &record, true),
        "resume" => set_paused(engine, &record, false),
        _ => restart(engine, &record),
    }
}

/// The Deployment a rollout verb names (`deployment/NAME`, `deployment NAME`).
fn rollout_target(words: &[&str]) -> Result<String, String> {
    let names = if words[0].contains('/') { words.len() } else { words.len().saturating_sub(1) };
    if names > 1 {
        return Err("error: podplay runs the rollout verbs for one Deployment at a time\n".into());
    }
    match workload_target(words) {
        Ok((WorkloadKind::Deployment, name)) if !name.is_empty() => Ok(name),
        Ok((WorkloadKind::Deployment, _)) => Err("error: arguments in resource/name form must have a single resource and name\n".into()),
        Ok((kind, _)) => Err(format!("error: podplay runs this rollout verb for deployments only, not {}\n", kind.resource())),
        Err(_) if words.len() == 1 && !words[0].contains('/') => {
            Err("error: podplay needs the Deployment by name: deployment/NAME or deployment NAME\n".into())
        }
        Err(_) => Err(format!(
            "error: podplay runs the rollout verbs for deployments only, not {}\n",
            words[0].split('/').next().unwrap_or_default()
        )),
    }
}

/// The ReplicaSets the Deployment owns now, as kubectl lists them (by name), with each one's
/// revision (`deploymentutil.Revision`: none is 0; one that does not parse is skipped).
fn revisions<'a>(engine: &'a Engine, d: &DeploymentRecord) -> Vec<(i64, &'a ReplicaSetRecord)> {
    let uid = d.deployment.metadata.uid.as_str();
    let mut sets: Vec<&ReplicaSetRecord> =
        engine.replica_set_records().iter().filter(|r| !r.removed && owner_uid(r) == Some(uid)).collect();
    podplay_k8s_util::sort::sort_by(&mut sets, |a, b| a.name().cmp(b.name()));
    sets.into_iter()
        .filter_map(|r| match r.rs.metadata.annotations.get(REVISION) {
            None => Some((0, r)),
            Some(v) => v.parse().ok().map(|n| (n, r)),
        })
        .collect()
}

/// `DeploymentHistoryViewer.ViewHistory`, printed through the name printer with the text as its
/// operation: `deployment.apps/NAME ` and the table, or `with revision #N` and the template.
fn history(engine: &Engine, d: &DeploymentRecord, revision: i64) -> Output {
    let mut info: BTreeMap<i64, PodTemplateSpec> = BTreeMap::new();
    for (v, r) in revisions(engine, d) {
        let mut template = r.rs.spec.template.clone();
        if let Some(cause) = r.rs.metadata.annotations.get(CHANGE_CAUSE).filter(|c| !c.is_empty()) {
            template.metadata.annotations.insert(CHANGE_CAUSE.into(), cause.clone());
        }
        info.insert(v, template);
    }
    let text = if info.is_empty() {
        "No rollout history found.".to_string()
    } else if revision > 0 {
        let Some(template) = info.get(&revision) else {
            return Output::err("error: unable to find the specified revision\n".into());
        };
        print_template(template, engine)
    } else {
        let mut tw = podplay_k8s_util::tabwriter::TabWriter::kubectl_describe();
        tw.write_str("REVISION\tCHANGE-CAUSE\n");
        for (v, template) in &info {
            let cause = template.metadata.annotations.get(CHANGE_CAUSE).map_or("<none>", String::as_str);
            tw.write_str(&format!("{v}\t{cause}\n"));
        }
        tw.flush()
    };
    let with_revision = if revision > 0 { format!("with revision #{revision}") } else { String::new() };
    Output::ok(format!("{} {with_revision}\n{text}\n", qualified(WorkloadKind::Deployment, d.name())))
}

/// `printTemplate`: `DescribePodTemplate` through a prefix writer over a plain buffer (no
/// tabwriter: the tabs are printed as they are).
fn print_template(template: &PodTemplateSpec, engine: &Engine) -> String {
    let mut w = PrefixWriter::raw();
    describe_pod_template(&mut w, template, engine.release());
    w.finish()
}

/// `DeploymentRollbacker.Rollback`: the ReplicaSet of the revision asked for (or the one before
/// the newest), its template and annotations patched into the Deployment.
fn undo(engine: &mut Engine, d: &DeploymentRecord, to_revision: i64) -> Output {
    let release = engine.release();
    let target = qualified(WorkloadKind::Deployment, d.name());
    let mut out = Output::default();
    if release.undo_warns_last_applied && d.deployment.metadata.annotations.contains_key(LAST_APPLIED) {
        out.stderr.push_str(&format!(
            "Warning: resource deployments/{} was previously managed with 'kubectl apply'. Rolling back will not update the {LAST_APPLIED} annotation, which may cause unexpected behavior on future 'kubectl apply' operations. Consider using 'kubectl apply' with your previous configuration file instead.\n",
            d.name()
        ));
    }
    let fail = |mut out: Output, message: String| {
        out.stderr.push_str(&message);
        out.exit_code = 1;
        out
    };
    if to_revision < 0 {
        return fail(out, format!("error: unable to find specified revision {to_revision} in history\n"));
    }
    let rs = match revision_to_restore(engine, d, to_revision) {
        Ok(rs) => rs,
        Err(e) => return fail(out, e),
    };
    if d.deployment.spec.paused {
        let how = if release.rollback_paused_names_deployment { format!("deployment/{}", d.name()) } else { String::new() };
        let resume = if how.is_empty() { "kubectl rollout resume".to_string() } else { format!("kubectl rollout resume {how}") };
        return fail(out, format!("error: you cannot rollback a paused deployment; resume it first with '{resume}' and try again\n"));
    }
    let mut template = rs.rs.spec.template.clone();
    template.metadata.labels.remove(POD_TEMPLATE_HASH);
    if equal_ignore_hash(&template, &d.deployment.spec.template) {
        out.stdout = format!("{target} skipped rollback (current template already matches revision {to_revision})\n");
        return out;
    }
    let mut annotations: BTreeMap<String, String> = BTreeMap::new();
    for k in ANNOTATIONS_TO_SKIP {
        if let Some(v) = d.deployment.metadata.annotations.get(k) {
            annotations.insert(k.to_string(), v.clone());
        }
    }
    for (k, v) in &rs.rs.metadata.annotations {
        if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    let update = DeploymentUpdate { template: Some(template), annotations: Some(annotations), ..Default::default() };
    match engine.update_deployment(d.deployment.metadata.namespace(), d.name(), update) {
        Ok(_) => {
            out.stdout = format!("{target} rolled back\n");
            out
        }
        Err(e) => fail(out, format!("error: failed restoring revision {to_revision}: {}\n", podplay_core::engine::ops::op_error_text(&e))),
    }
}

/// rollback.go `deploymentRevision`: the ReplicaSet of `to_revision`, or for 0 the one with the
/// second highest revision.
fn revision_to_restore(engine: &Engine, d: &DeploymentRecord, to_revision: i64) -> Result<ReplicaSetRecord, String> {
    let mut latest: (i64, Option<&ReplicaSetRecord>) = (-1, None);
    let mut previous: (i64, Option<&ReplicaSetRecord>) = (-1, None);
    for (v, rs) in revisions(engine, d) {
        if to_revision == 0 {
            if latest.0 < v {
                previous = latest;
                latest = (v, Some(rs));
            } else if previous.0 < v {
                previous = (v, Some(rs));
            }
        } else if to_revision == v {
            return Ok(rs.clone());
        }
    }
    if to_revision > 0 {
        return Err(format!("error: unable to find specified revision {to_revision} in history\n"));
    }
    previous.1.cloned().ok_or_else(|| format!("error: no rollout history found for deployment {:?}\n", d.name()))
}

/// `equalIgnoreHash`: the templates equal once `pod-template-hash` is dropped from both.
fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let key = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        t.metadata.labels.remove(POD_TEMPLATE_HASH);
        serde_json::to_value(&t).ok()
    };
    key(a) == key(b)
}

/// `rollout pause` / `rollout resume`: `defaultObjectPauser` / `defaultObjectResumer` refuse a
/// Deployment already so; otherwise the patch sets `spec.paused`.
fn set_paused(engine: &mut Engine, d: &DeploymentRecord, paused: bool) -> Output {
    if d.deployment.spec.paused == paused {
        let why = if paused { "is already paused" } else { "is not paused" };
        return Output::err(format!("error: deployments.apps {:?} {why}\n", d.name()));
    }
    let update = DeploymentUpdate { paused: Some(paused), ..Default::default() };
    match engine.update_deployment(d.deployment.metadata.namespace(), d.name(), update) {
        Ok(_) => {
            let word = if paused { "paused" } else { "resumed" };
            Output::ok(format!("{} {word}\n", qualified(WorkloadKind::Deployment, d.name())))
        }
        Err(e) => Output::err(format!("failed to patch: {}\n", podplay_core::engine::ops::op_error_text(&e))),
    }
}

/// `rollout restart`: `defaultObjectRestarter` sets the template's
/// `kubectl.kubernetes.io/restartedAt` to kubectl's clock (`time.Now().Format(time.RFC3339)`,
/// the virtual time here, kubectl's zone being UTC); a paused Deployment is refused. The same
/// second twice makes an empty patch.
fn restart(engine: &mut Engine, d: &DeploymentRecord) -> Output {
    let name = d.name();
    let target = qualified(WorkloadKind::Deployment, name);
    if d.deployment.spec.paused {
        return Output::err(format!("error: deployments.apps {name:?} can't restart paused deployment (run rollout resume first)\n"));
    }
    let now = podplay_k8s_util::time::format_rfc3339(EPOCH_UNIX_SECONDS + (engine.now() / 1000) as i64);
    let mut template = d.deployment.spec.template.clone();
    if template.metadata.annotations.get(RESTARTED_AT) == Some(&now) {
        if engine.release().restart_empty_patch_skipped {
            return Output::err(format!("error: failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another\n"));
        }
        // ≤1.26 records the error, sends the empty patch anyway and prints its result.
        let mut out = Output::ok(format!("{target} restarted\n"));
        out.stderr = format!("error: failed to create patch for {name}: empty patch\n");
        out.exit_code = 1;
        return out;
    }
    template.metadata.annotations.insert(RESTARTED_AT.into(), now);
    let update = DeploymentUpdate { template: Some(template), ..Default::default() };
    match engine.update_deployment(d.deployment.metadata.namespace(), name, update) {
        Ok(_) => Output::ok(format!("{target} restarted\n")),
        Err(e) => Output::err(format!("failed to patch: {}\n", podplay_core::engine::ops::op_error_text(&e))),
    }
}

/// `kubectl annotate KIND/NAME KEY=VALUE... [KEY-]... [--overwrite]` for a Deployment or a pod
/// (`annotate.go`: `GetResourcesAndPairs`, `ParsePairs`, `validateAnnotations`,
/// `validateNoAnnotationOverwrites`, which lets `kubernetes.io/change-cause` always change).
pub(crate) fn annotate(engine: &mut Engine, args: &[&str], namespace: &str) -> Output {
    let mut overwrite = false;
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for a in args {
        match *a {
            "--overwrite" | "--overwrite=true" => overwrite = true,
            "--overwrite=false" => overwrite = false,
            s if s.starts_with('-') && s.len() > 1 => return Output::err(crate::unknown_flag("annotate", s)),
            s if s.contains('=') || (s.ends_with('-') && s != "-") => pairs.push(s),
            s if !pairs.is_empty() => {
                return Output::err(format!("error: all resources must be specified before annotation changes: {s}\n"));
            }
            s => resources.push(s),
        }
    }
    if resources.is_empty() {
        return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n".into());
    }
    if pairs.is_empty() {
        return Output::err("error: at least one annotation update is required\n".into());
    }
    let mut new = BTreeMap::new();
    let mut remove = Vec::new();
    let mut invalid = Vec::new();
    for p in &pairs {
        if p.contains('=') && !p.starts_with('=') {
            let (k, v) = p.split_once('=').unwrap_or_default();
            new.insert(k.to_string(), v.to_string());
        } else if p.ends_with('-') && *p != "-" {
            remove.push(&p[..p.len() - 1]);
        } else {
            invalid.push(*p);
        }
    }
    if !invalid.is_empty() {
        return Output::err(format!("error: invalid annotation format: {}\n", invalid.join(", ")));
    }
    let both: Vec<&str> = remove.iter().copied().filter(|k| new.contains_key(*k)).collect();
    if !both.is_empty() {
        return Output::err(format!(
            "error: can not both modify and remove the following annotation(s) in the same command: {}\n",
            both.join(", ")
        ));
    }
    if let Some(name) = pod_target(&resources) {
        let Some(pod) = engine.pod(namespace, &name) else {
            return Output::err(api_error(&OpError::NotFound { resource: "pods", name }));
        };
        let annotations = match annotated(&pod.metadata.annotations, new, &remove, overwrite) {
            Ok(a) => a,
            Err(out) => return out,
        };
        return match engine.set_pod_annotations(namespace, &name, annotations) {
            Ok(()) => Output::ok(format!("pod/{name} annotated\n")),
            Err(e) => Output::err(api_error(&e)),
        };
    }
    let name = match workload_target(&resources) {
        Ok((WorkloadKind::Deployment, name)) => name,
        Ok((kind, _)) => return Output::err(format!("error: podplay annotates deployments and pods only, not {}\n", kind.resource())),
        Err(e) => return Output::err(e),
    };
    let Some(record) = engine.deployment(namespace, &name) else {
        return Output::err(api_error(&OpError::NotFound { resource: WorkloadKind::Deployment.resource(), name }));
    };
    let annotations = match annotated(&record.deployment.metadata.annotations, new, &remove, overwrite) {
        Ok(a) => a,
        Err(out) => return out,
    };
    let update = DeploymentUpdate { annotations: Some(annotations), ..Default::default() };
    match engine.update_deployment(namespace, &name, update) {
        Ok(_) => Output::ok(format!("{} annotated\n", qualified(WorkloadKind::Deployment, &name))),
        Err(e) => Output::err(api_error(&e)),
    }
}

/// `pod/NAME`, `pods NAME`, `pod NAME` or `po NAME`: the pod's name.
fn pod_target(resources: &[&str]) -> Option<String> {
    let is_pod = |k: &str| matches!(k, "pod" | "pods" | "po");
    match resources {
        [first, ..] if first.contains('/') => first.split_once('/').filter(|(k, _)| is_pod(k)).map(|(_, n)| n.to_string()),
        [k, n, ..] if is_pod(k) => Some(n.to_string()),
        _ => None,
    }
}

/// The object's annotations with `new` set and `remove` removed; without `--overwrite`, a
/// changed value is refused (`validateNoAnnotationOverwrites`).
fn annotated(
    current: &BTreeMap<String, String>,
    new: BTreeMap<String, String>,
    remove: &[&str],
    overwrite: bool,
) -> Result<BTreeMap<String, String>, Output> {
    let mut annotations = current.clone();
    if !overwrite {
        let clashes: Vec<String> = new
            .iter()
            .filter(|(k, _)| k.as_str() != CHANGE_CAUSE)
            .filter_map(|(k, v)| annotations.get(k).filter(|cur| *cur != v).map(|cur| format!("'{k}' already has a value ({cur})")))
            .collect();
        if !clashes.is_empty() {
            return Err(Output::err(format!(
                "error: --overwrite is false but found the following declared annotation(s): {}\n",
                clashes.join("; ")
            )));
        }
    }
    annotations.extend(new);
    for k in remove {
        annotations.remove(*k);
    }
    Ok(annotations)
}
