//! kubectl's views of Deployments and ReplicaSets: `get` (printers.go `printDeployment`,
//! `printReplicaSet`), `describe` (describe.go `describeDeployment`, `describeReplicaSet`,
//! `DescribePodTemplate`), `rollout status` (`polymorphichelpers.DeploymentStatusViewer` over a
//! watch, as `cmd/rollout/rollout_status.go` runs it), and the verbs that change them: `scale`,
//! `set image`.

use podplay_core::engine::ops::{OpError, WorkloadKind};
use podplay_core::engine::{DeploymentRecord, ReplicaSetRecord};
use podplay_core::model::{Event, LabelSelector, Pod, PodTemplateSpec};
use podplay_core::version::Release;
use podplay_core::{Engine, Millis};

use crate::describe::{
    describe_events, describe_template_containers, print_annotations_multiline as print_annotations,
    print_labels_multiline as print_labels, print_tolerations_multiline, rfc1123z, PrefixWriter,
};
use crate::mutate::api_error;
use crate::printers::{age_since, TableOptions};
use crate::Output;

/// `LabelSelectorAsSelector(s).String()`, `<none>` for none.
pub(crate) fn selector_text(selector: Option<&LabelSelector>) -> String {
    match selector.map(LabelSelector::to_selector_string).filter(|s| !s.is_empty()) {
        Some(s) => s,
        None => "<none>".into(),
    }
}

/// `layoutContainerCells`: the containers' names and images, comma-separated.
pub(crate) fn container_cells(template: &PodTemplateSpec) -> [String; 2] {
    let names = template.spec.containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(",");
    let images = template.spec.containers.iter().map(|c| c.image.as_str()).collect::<Vec<_>>().join(",");
    [names, images]
}

/// `kubectl get deployments`: NAME READY UP-TO-DATE AVAILABLE AGE [CONTAINERS IMAGES SELECTOR].
pub fn deployments_table(items: &[&DeploymentRecord], now: Millis, wide: bool, ns_column: bool, opts: &TableOptions) -> String {
    let mut headers = vec![];
    if ns_column {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    if wide {
        headers.extend(["CONTAINERS", "IMAGES", "SELECTOR"]);
    }
    let rows = items
        .iter()
        .map(|r| {
            let (d, s) = (&r.deployment, &r.status);
            let mut cells = vec![];
            if ns_column {
                cells.push(d.metadata.namespace().to_string());
            }
            cells.extend([
                d.metadata.name.clone(),
                format!("{}/{}", s.ready_replicas, d.spec.replicas()),
                s.updated_replicas.to_string(),
                s.available_replicas.to_string(),
                age_since(now, d.metadata.creation),
            ]);
            if wide {
                cells.extend(container_cells(&d.spec.template));
                cells.push(selector_text(d.spec.selector.as_ref()));
            }
            cells
        })
        .collect();
    let labels: Vec<_> = items.iter().map(|r| &r.deployment.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

/// `kubectl get replicasets`: NAME DESIRED CURRENT READY AGE [CONTAINERS IMAGES SELECTOR].
pub fn replica_sets_table(items: &[&ReplicaSetRecord], now: Millis, wide: bool, ns_column: bool, opts: &TableOptions) -> String {
    let mut headers = vec![];
    if ns_column {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
    if wide {
        headers.extend(["CONTAINERS", "IMAGES", "SELECTOR"]);
    }
    let rows = items
        .iter()
        .map(|r| {
            let rs = &r.rs;
            let mut cells = vec![];
            if ns_column {
                cells.push(rs.metadata.namespace().to_string());
            }
            cells.extend([
                rs.metadata.name.clone(),
                r.replicas().to_string(),
                r.status.replicas.to_string(),
                r.status.ready_replicas.to_string(),
                age_since(now, rs.metadata.creation),
            ]);
            if wide {
                cells.extend(container_cells(&rs.spec.template));
                cells.push(selector_text(rs.spec.selector.as_ref()));
            }
            cells
        })
        .collect();
    let labels: Vec<_> = items.iter().map(|r| &r.rs.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

/// `DescribePodTemplate`.
/// describe's `Pods Status` line of a workload (kubectl's `getPodStatusByPhase` words: Pending
/// pods are "Waiting"), from the count of its pods in each phase.
pub(crate) fn describe_pods_status(w: &mut PrefixWriter, count: impl Fn(&str) -> usize) {
    let line = format!(
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
        count("Running"),
        count("Pending"),
        count("Succeeded"),
        count("Failed")
    );
    w.write(0, &line);
}

pub(crate) fn describe_pod_template(w: &mut PrefixWriter, template: &PodTemplateSpec, release: &Release) {
    w.write(0, "Pod Template:\n");
    print_labels(w, "  Labels", &template.metadata.labels);
    if !template.metadata.annotations.is_empty() {
        print_annotations(w, "  Annotations", &template.metadata.annotations);
    }
    if let Some(sa) = template.spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        w.write_fmt_at(1, format_args!("Service Account:\t{sa}\n"));
    }
    let pod = Pod { metadata: template.metadata.clone(), spec: template.spec.clone(), ..Default::default() };
    describe_template_containers(w, &pod, release);
    if release.describe_template_scheduling {
        print_labels(w, "  Node-Selectors", &template.spec.node_selector);
        print_tolerations_multiline(w, "  Tolerations", &template.spec.tolerations);
    }
}

/// The old and new ReplicaSets of a Deployment, as describe finds them
/// (`deploymentutil.GetAllReplicaSetsInChunks`: the new one's template equals the Deployment's,
/// the old ones are the others it owns, oldest first).
fn replica_sets_of<'a>(engine: &'a Engine, d: &DeploymentRecord) -> (Vec<&'a ReplicaSetRecord>, Vec<&'a ReplicaSetRecord>) {
    let uid = &d.deployment.metadata.uid;
    let key = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        t.metadata.labels.remove("pod-template-hash");
        serde_json::to_string(&t).unwrap_or_default()
    };
    // `findNewReplicaSet` sorts the listed ones in place (`replicaSetsByCreationTimestamp`:
    // the whole-second creation time, then the name), and the old ones keep that order.
    let mut mine: Vec<&ReplicaSetRecord> =
        engine.replica_set_records().iter().filter(|r| !r.removed && owner_uid(r) == Some(uid.as_str())).collect();
    podplay_k8s_util::sort::sort_by(&mut mine, |a, b| {
        (a.rs.metadata.creation / 1000, a.name()).cmp(&(b.rs.metadata.creation / 1000, b.name()))
    });
    let want = key(&d.deployment.spec.template);
    let new = mine.iter().copied().find(|r| key(&r.rs.spec.template) == want);
    let old = mine.iter().copied().filter(|r| Some(r.rs.metadata.uid.as_str()) != new.map(|n| n.rs.metadata.uid.as_str())).collect();
    (old, new.into_iter().collect())
}

pub(crate) fn owner_uid(r: &ReplicaSetRecord) -> Option<&str> {
    r.rs.metadata.owner_references.as_ref()?.as_sequence()?.first()?.get("uid")?.as_str()
}

/// `printReplicaSetsByLabels`.
fn replica_sets_line(items: &[&ReplicaSetRecord]) -> String {
    if items.is_empty() {
        return "<none>".into();
    }
    items.iter().map(|r| format!("{} ({}/{} replicas created)", r.name(), r.status.replicas, r.replicas())).collect::<Vec<_>>().join(", ")
}

/// `describeDeployment`.
pub fn describe_deployment(engine: &Engine, d: &DeploymentRecord, events: &[&Event], now: Millis, release: &Release) -> String {
    let mut w = PrefixWriter::new();
    let (dep, s) = (&d.deployment, &d.status);
    w.write_fmt_at(0, format_args!("Name:\t{}\n", dep.metadata.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", dep.metadata.namespace()));
    w.write_fmt_at(0, format_args!("CreationTimestamp:\t{}\n", rfc1123z(dep.metadata.creation)));
    print_labels(&mut w, "Labels", &dep.metadata.labels);
    print_annotations(&mut w, "Annotations", &dep.metadata.annotations);
    w.write_fmt_at(
        0,
        format_args!("Selector:\t{}\n", dep.spec.selector.as_ref().map(LabelSelector::to_selector_string).unwrap_or_default()),
    );
    w.write(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            dep.spec.replicas(),
            s.updated_replicas,
            s.replicas,
            s.available_replicas,
            s.unavailable_replicas
        ),
    );
    w.write_fmt_at(0, format_args!("StrategyType:\t{}\n", dep.spec.strategy.kind.as_deref().unwrap_or("RollingUpdate")));
    w.write_fmt_at(0, format_args!("MinReadySeconds:\t{}\n", dep.spec.min_ready_seconds));
    if let Some(ru) = &dep.spec.strategy.rolling_update {
        let text = |v: &Option<podplay_core::model::IntOrString>| v.as_ref().map_or("0".to_string(), |v| v.to_string());
        w.write_fmt_at(
            0,
            format_args!("RollingUpdateStrategy:\t{} max unavailable, {} max surge\n", text(&ru.max_unavailable), text(&ru.max_surge)),
        );
    }
    describe_pod_template(&mut w, &dep.spec.template, release);
    if !s.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for c in &s.conditions {
            w.write_fmt_at(1, format_args!("{} \t{}\t{}\n", c.kind, c.status, c.reason));
        }
    }
    let (mut old, new) = replica_sets_of(engine, d);
    if !release.describe_all_old_replica_sets {
        old.retain(|r| r.replicas() != 0);
    }
    if !old.is_empty() || !new.is_empty() {
        w.write_fmt_at(0, format_args!("OldReplicaSets:\t{}\n", replica_sets_line(&old)));
        w.write_fmt_at(0, format_args!("NewReplicaSet:\t{}\n", replica_sets_line(&new)));
    }
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// `describeReplicaSet`.
pub fn describe_replica_set(engine: &Engine, index: usize, events: &[&Event], now: Millis, release: &Release) -> String {
    let record = &engine.replica_set_records()[index];
    let rs = &record.rs;
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", rs.metadata.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", rs.metadata.namespace()));
    w.write_fmt_at(0, format_args!("Selector:\t{}\n", selector_text(rs.spec.selector.as_ref())));
    print_labels(&mut w, "Labels", &rs.metadata.labels);
    print_annotations(&mut w, "Annotations", &rs.metadata.annotations);
    if let Some(owner) = rs.metadata.owner_references.as_ref().and_then(|o| o.as_sequence()).and_then(|o| o.first()) {
        let field = |k: &str| owner.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        w.write_fmt_at(0, format_args!("Controlled By:\t{}/{}\n", field("kind"), field("name")));
    }
    w.write_fmt_at(0, format_args!("Replicas:\t{} current / {} desired\n", record.status.replicas, record.replicas()));
    let phases = engine.replica_set_pod_phases(index);
    let count = |p: &str| phases.get(p).copied().unwrap_or(0);
    describe_pods_status(&mut w, count);
    describe_pod_template(&mut w, &rs.spec.template, release);
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// `DeploymentStatusViewer.Status`: the line, whether the rollout is done, or the error.
pub fn rollout_status_line(d: &DeploymentRecord) -> Result<(String, bool), String> {
    let (dep, s) = (&d.deployment, &d.status);
    let name = &dep.metadata.name;
    if d.generation() > s.observed_generation {
        return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
    }
    if s.condition("Progressing").is_some_and(|c| c.reason == "ProgressDeadlineExceeded") {
        return Err(format!("error: deployment {name:?} exceeded its progress deadline\n"));
    }
    let replicas = dep.spec.replicas();
    let line = if s.updated_replicas < replicas {
        format!(
            "Waiting for deployment {name:?} rollout to finish: {} out of {replicas} new replicas have been updated...\n",
            s.updated_replicas
        )
    } else if s.replicas > s.updated_replicas {
        format!(
            "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...\n",
            s.replicas - s.updated_replicas
        )
    } else if s.available_replicas < s.updated_replicas {
        format!(
            "Waiting for deployment {name:?} rollout to finish: {} of {} updated replicas are available...\n",
            s.available_replicas, s.updated_replicas
        )
    } else {
        return Ok((format!("deployment {name:?} successfully rolled out\n"), true));
    };
    Ok((line, false))
}

/// How long `rollout status` watches when no `--timeout` is given: podplay stops a watch that
/// never ends (a paused Deployment) after an hour of virtual time and says so.
const ROLLOUT_WATCH_LIMIT: Millis = 3_600_000;

/// `kubectl rollout status deployment/NAME` from the engine's moment: the status now, then a
/// line for every later write of the Deployment until it is rolled out, has failed or is
/// deleted; `advance` moves virtual time (the session's job).
pub fn rollout_status(engine: &mut Engine, args: &[&str], namespace: &str, advance: &mut dyn FnMut(&mut Engine, Millis)) -> Output {
    let mut target = None;
    let mut watch = true;
    let mut timeout: Option<Millis> = None;
    for a in args {
        match *a {
            "--watch=false" | "-w=false" => watch = false,
            "--watch" | "-w" | "--watch=true" => watch = true,
            s if s.starts_with("--timeout=") => timeout = podplay_core::parse_duration(&s["--timeout=".len()..]).ok().filter(|t| *t > 0),
            s if s.starts_with('-') => return Output::err(crate::unknown_flag("rollout status", s)),
            s => target = Some(s.to_string()),
        }
    }
    let Some(target) = target else {
        return Output::err("error: required resource not specified\n".into());
    };
    let name = match target.split_once('/') {
        Some(("deployment" | "deployments" | "deploy" | "deployment.apps" | "deployments.apps", name)) => name.to_string(),
        Some((kind @ ("statefulset" | "statefulsets" | "sts" | "statefulset.apps" | "statefulsets.apps"), name))
        | Some((kind @ ("daemonset" | "daemonsets" | "ds" | "daemonset.apps" | "daemonsets.apps"), name)) => {
            let limit = engine.now() + timeout.unwrap_or(ROLLOUT_WATCH_LIMIT);
            let limit = if watch { limit } else { engine.now() };
            let polled = if kind.starts_with("daemonset") || kind == "ds" {
                crate::daemonsets::rollout_status(engine, name, namespace, limit, advance)
            } else {
                crate::statefulsets::rollout_status(engine, name, namespace, limit, advance)
            };
            return match polled {
                Ok(out) => out,
                Err(out) if !watch => out,
                Err(out) => watch_ran_out(out, timeout),
            };
        }
        Some((kind, _)) => {
            return Output::err(format!(
                "error: podplay shows the rollout status of deployments, statefulsets and daemonsets only, not {kind}\n"
            ))
        }
        None => return Output::err("error: podplay needs the workload as deployment/NAME, statefulset/NAME or daemonset/NAME\n".into()),
    };
    let find = |e: &Engine| {
        e.deployment_records().iter().position(|r| !r.removed && r.name() == name && r.deployment.metadata.namespace() == namespace)
    };
    let Some(index) = find(engine) else {
        return Output::err(api_error(&OpError::NotFound { resource: "deployments.apps", name }));
    };
    let mut out = Output::default();
    if show_status(&engine.deployment_records()[index], &mut out) || !watch {
        return out;
    }
    engine.watch_deployments();
    let start = engine.now();
    let limit = start + timeout.unwrap_or(ROLLOUT_WATCH_LIMIT);
    let mut seen = engine.deployment_writes().len();
    while engine.now() < limit && engine.halted().is_none() {
        let before = engine.now();
        advance(engine, (before + 1000).min(limit));
        if engine.now() == before {
            break;
        }
        let writes: Vec<_> = engine.deployment_writes()[seen..].iter().filter(|w| w.deployment.name() == name).cloned().collect();
        seen = engine.deployment_writes().len();
        for w in writes {
            if w.deleted {
                out.stderr.push_str("error: object has been deleted\n");
                out.exit_code = 1;
                return out;
            }
            if show_status(&w.deployment, &mut out) {
                return out;
            }
        }
    }
    watch_ran_out(out, timeout)
}

/// `rollout status` of a StatefulSet or DaemonSet: the status line now, then each new line
/// as virtual time moves (a second at a time) until done, deleted or `limit`. kubectl prints a
/// line for every write of the object; podplay prints only changed lines (it keeps no log of
/// these kinds' writes). `find` is the object's index now, `status` its viewer's line;
/// `Err` is a watch that ran out.
pub(crate) fn poll_rollout_status(
    engine: &mut Engine,
    resource: &'static str,
    name: &str,
    limit: Millis,
    advance: &mut dyn FnMut(&mut Engine, Millis),
    find: impl Fn(&Engine) -> Option<usize>,
    status: impl Fn(&Engine, usize) -> Result<(String, bool), String>,
) -> Result<Output, Output> {
    let Some(mut index) = find(engine) else {
        return Err(Output::err(api_error(&OpError::NotFound { resource, name: name.to_string() })));
    };
    let mut out = Output::default();
    let mut last = String::new();
    loop {
        match status(engine, index) {
            Ok((line, done)) => {
                if line != last {
                    out.stdout.push_str(&line);
                    last = line;
                }
                if done {
                    return Ok(out);
                }
            }
            Err(e) => {
                out.stderr.push_str(&e);
                out.exit_code = 1;
                return Ok(out);
            }
        }
        let before = engine.now();
        if before >= limit || engine.halted().is_some() {
            return Err(out);
        }
        advance(engine, (before + 1000).min(limit));
        if engine.now() == before {
            return Err(out);
        }
        let Some(i) = find(engine) else {
            out.stderr.push_str("error: object has been deleted\n");
            out.exit_code = 1;
            return Ok(out);
        };
        index = i;
    }
}

/// A watch that reached `--timeout` (or podplay's hour without one).
fn watch_ran_out(mut out: Output, timeout: Option<Millis>) -> Output {
    out.stderr.push_str(&match timeout {
        Some(_) => "error: timed out waiting for the condition\n".to_string(),
        None => "podplay: stopped watching after 1h of virtual time (give --timeout to watch longer)\n".to_string(),
    });
    out.exit_code = 1;
    out
}

/// Prints one status line (or the error); whether the watch ends.
fn show_status(d: &DeploymentRecord, out: &mut Output) -> bool {
    match rollout_status_line(d) {
        Ok((line, done)) => {
            out.stdout.push_str(&line);
            done
        }
        Err(e) => {
            out.stderr.push_str(&e);
            out.exit_code = 1;
            true
        }
    }
}

/// `deployment/web`, `deployment web`, `rs/x`: the workload a verb names.
pub(crate) fn workload_target(words: &[&str]) -> Result<(WorkloadKind, String), String> {
    match words {
        [first, ..] if first.contains('/') => {
            let (k, n) = first.split_once('/').unwrap_or_default();
            workload_kind(k).map(|k| (k, n.to_string())).ok_or_else(|| format!("error: podplay cannot change {k} with this verb\n"))
        }
        [k, n, ..] => {
            workload_kind(k).map(|k| (k, n.to_string())).ok_or_else(|| format!("error: podplay cannot change {k} with this verb\n"))
        }
        _ => Err("error: required resource not specified\n".into()),
    }
}

/// cli-runtime's `missingResourceError`: no resource named at all.
const MISSING_RESOURCE: &str = "error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'
";

/// The workloads a verb that changes several at once (`scale`, `set image`) names, as
/// cli-runtime's resource builder reads its arguments (`ResourceTypeOrNameArgs(all, args...)`
/// with `LabelSelectorParam(selector)`): `TYPE/NAME...`, `TYPE NAME...`, `TYPE1,TYPE2 NAME...`,
/// or `TYPE[,TYPE...]` with `--all` or `-l` (the objects of those kinds in the namespace that the
/// selector matches, by name, as the API server lists them). The builder's texts for what it
/// refuses.
pub(crate) fn workload_targets(
    engine: &Engine,
    words: &[&str],
    namespace: &str,
    all: bool,
    selector: Option<&str>,
) -> Result<Vec<(WorkloadKind, String)>, String> {
    // (The builder maps a group-qualified type too: `deployments.apps`.)
    let kind = |w: &str| {
        workload_kind(w.strip_suffix(".apps").unwrap_or(w)).ok_or_else(|| format!("error: podplay cannot change {w} with this verb\n"))
    };
    let slashes = words.iter().filter(|w| w.contains('/')).count();
    // Named: every argument TYPE/NAME, or a type (or several, comma-separated) and names.
    let mut named: Vec<(&str, &str)> = Vec::new();
    if slashes > 0 {
        if slashes != words.len() {
            return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".into());
        }
        for w in words {
            let parts: Vec<&str> = w.split('/').collect();
            match parts[..] {
                [t, n] if !t.is_empty() && !n.is_empty() && !t.contains(',') => named.push((t, n)),
                [_, _] => return Err("error: arguments in resource/name form must have a single resource and name\n".into()),
                _ => return Err("error: arguments in resource/name form may not have more than one slash\n".into()),
            }
        }
    } else if let [types, names @ ..] = words {
        for t in types.split(',').filter(|t| !t.is_empty()) {
            named.extend(names.iter().map(|n| (t, *n)));
        }
    }
    let selector = selector.or(all.then_some(""));
    if selector.is_some() && slashes > 0 {
        return Err("error: selectors and the all flag cannot be used when passing resource/name arguments\n".into());
    }
    if let Some(selector) = selector {
        if words.len() > 1 {
            return Err("error: name cannot be provided when a selector is specified\n".into());
        }
        let Some(types) = words.first() else {
            return Err("error: at least one resource must be specified to use a selector\n".into());
        };
        let selector = crate::selectors::LabelSelector::parse(selector).map_err(|e| format!("error: {e}\n"))?;
        let mut out = Vec::new();
        for t in types.split(',').filter(|t| !t.is_empty()) {
            let k = kind(t)?;
            let mut names = workloads_in(engine, k, namespace, &selector);
            podplay_k8s_util::sort::sort(&mut names);
            out.extend(names.into_iter().map(|n| (k, n)));
        }
        return Ok(out);
    }
    match (named.is_empty(), words.is_empty()) {
        (false, _) => named.into_iter().map(|(t, n)| Ok((kind(t)?, n.to_string()))).collect(),
        (true, false) => {
            kind(words[0].split(',').next().unwrap_or_default())?;
            Err("error: resource(s) were provided, but no name was specified\n".into())
        }
        (true, true) => Err(MISSING_RESOURCE.into()),
    }
}

/// The names of the workloads of `kind` in `namespace` whose labels `selector` matches.
fn workloads_in(engine: &Engine, kind: WorkloadKind, namespace: &str, selector: &crate::selectors::LabelSelector) -> Vec<String> {
    let pick = |removed: bool, meta: &podplay_core::model::ObjectMeta| {
        (!removed && meta.namespace() == namespace && selector.matches(&meta.labels)).then(|| meta.name.clone())
    };
    match kind {
        WorkloadKind::Deployment => engine.deployment_records().iter().filter_map(|r| pick(r.removed, &r.deployment.metadata)).collect(),
        WorkloadKind::ReplicaSet => engine.replica_set_records().iter().filter_map(|r| pick(r.removed, &r.rs.metadata)).collect(),
        WorkloadKind::StatefulSet => engine.stateful_set_records().iter().filter_map(|r| pick(r.removed, &r.set.metadata)).collect(),
        WorkloadKind::DaemonSet => engine.daemon_set_records().iter().filter_map(|r| pick(r.removed, &r.set.metadata)).collect(),
    }
}

/// The workload kind a type word names (`deploy`, `deployments`, `rs`, ...).
fn workload_kind(word: &str) -> Option<WorkloadKind> {
    match word {
        "deployment" | "deployments" | "deploy" => Some(WorkloadKind::Deployment),
        "replicaset" | "replicasets" | "rs" => Some(WorkloadKind::ReplicaSet),
        "statefulset" | "statefulsets" | "sts" => Some(WorkloadKind::StatefulSet),
        "daemonset" | "daemonsets" | "ds" => Some(WorkloadKind::DaemonSet),
        _ => None,
    }
}

/// `deployment.apps/web` as kubectl names it in its messages.
pub(crate) fn qualified(kind: WorkloadKind, name: &str) -> String {
    match kind {
        WorkloadKind::Deployment => format!("deployment.apps/{name}"),
        WorkloadKind::ReplicaSet => format!("replicaset.apps/{name}"),
        WorkloadKind::StatefulSet => format!("statefulset.apps/{name}"),
        WorkloadKind::DaemonSet => format!("daemonset.apps/{name}"),
    }
}

/// `--all` and `-l`/`--selector` of the verbs that change several workloads at once, taken
/// out of `args`: (all, selector, what is left).
fn selection_flags<'a>(args: &[&'a str]) -> (bool, Option<&'a str>, Vec<&'a str>) {
    let (mut all, mut selector, mut rest) = (false, None, Vec::new());
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--all" | "--all=true" => all = true,
            "--all=false" => all = false,
            "-l" | "--selector" => {
                i += 1;
                selector = args.get(i).copied();
            }
            s if s.starts_with("--selector=") => selector = Some(&s["--selector=".len()..]),
            s if s.starts_with("-l=") => selector = Some(&s[3..]),
            s if s.starts_with("-l") && s.len() > 2 => selector = Some(&s[2..]),
            s => rest.push(s),
        }
        i += 1;
    }
    (all, selector, rest)
}

/// `kubectl scale KIND/NAME... --replicas=N` (or `KIND --all`, `KIND -l SELECTOR`).
pub(crate) fn scale(engine: &mut Engine, args: &[&str], namespace: &str) -> Output {
    let (all, selector, args) = selection_flags(args);
    let mut replicas = None;
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--replicas" => {
                i += 1;
                replicas = args.get(i).and_then(|v| v.parse::<i32>().ok());
            }
            s if s.starts_with("--replicas=") => replicas = s["--replicas=".len()..].parse().ok(),
            s if s.starts_with('-') => return Output::err(crate::unknown_flag("scale", s)),
            s => rest.push(s),
        }
        i += 1;
    }
    let Some(replicas) = replicas.filter(|r| *r >= 0) else {
        return Output::err("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n".into());
    };
    let targets = match workload_targets(engine, &rest, namespace, all, selector) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    if targets.is_empty() {
        return Output::err("error: no objects passed to scale\n".into());
    }
    let mut out = Output::default();
    for (kind, name) in targets {
        match engine.scale_workload(kind, namespace, &name, replicas) {
            Ok(()) => out.stdout.push_str(&format!("{} scaled\n", qualified(kind, &name))),
            Err(e) => {
                out.stderr.push_str(&api_error(&e));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// `kubectl set image KIND/NAME... CONTAINER=IMAGE...` (or `KIND --all`, `KIND -l SELECTOR`).
pub(crate) fn set_image(engine: &mut Engine, args: &[&str], namespace: &str) -> Output {
    let Some(("image", rest)) = args.split_first().map(|(a, r)| (*a, r)) else {
        return Output::err("error: podplay runs `kubectl set image KIND/NAME CONTAINER=IMAGE`\n".into());
    };
    let (all, selector, rest) = selection_flags(rest);
    let (targets, pairs): (Vec<&str>, Vec<&str>) = rest.iter().copied().filter(|a| !a.starts_with('-')).partition(|a| !a.contains('='));
    let targets = match workload_targets(engine, &targets, namespace, all, selector) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    if pairs.is_empty() {
        return Output::err("error: at least one image update is required\n".into());
    }
    let images: Vec<(String, String)> =
        pairs.iter().filter_map(|p| p.split_once('=')).map(|(c, i)| (c.to_string(), i.to_string())).collect();
    let mut out = Output::default();
    for (kind, name) in targets {
        match engine.set_workload_images(kind, namespace, &name, &images) {
            Ok(true) => out.stdout.push_str(&format!("{} image updated\n", qualified(kind, &name))),
            // Nothing changed: kubectl prints nothing for it (its patch is empty).
            Ok(false) => {}
            Err(e) => {
                match e {
                    OpError::Rejected(message) => out.stderr.push_str(&format!("{message}\n")),
                    e => out.stderr.push_str(&api_error(&e)),
                }
                out.exit_code = 1;
            }
        }
    }
    out
}
