//! The spec fields behind a timeline change: paths such as
//! `spec.containers[0].livenessProbe.periodSeconds`, relative to the pod, with the value the
//! rule used. The controllers call these where they record a change; the page maps the paths
//! back to the YAML (`source::locate`).

use super::objects::{ContainerKey, PodRecord};
use super::prober::worker::ProbeKind;
use super::ChangeField;
use crate::model::{Pod, Probe};

pub(crate) fn field(path: String, value: impl std::fmt::Display) -> ChangeField {
    ChangeField { path, value: value.to_string() }
}

/// A list as YAML's flow style writes it: `[cat, /tmp/healthy]`.
fn flow(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// `spec.containers[0]` or `spec.initContainers[1]`.
pub(crate) fn container_path(key: ContainerKey) -> String {
    if key.init {
        format!("spec.initContainers[{}]", key.index)
    } else {
        format!("spec.containers[{}]", key.index)
    }
}

pub(crate) fn probe_path(key: ContainerKey, kind: ProbeKind) -> String {
    let name = match kind {
        ProbeKind::Liveness => "livenessProbe",
        ProbeKind::Readiness => "readinessProbe",
        ProbeKind::Startup => "startupProbe",
    };
    format!("{}.{name}", container_path(key))
}

/// What a probe result needs: the period, and the threshold that published it.
pub(crate) fn probe_result(key: ContainerKey, kind: ProbeKind, probe: &Probe, ok: bool) -> Vec<ChangeField> {
    let at = probe_path(key, kind);
    let mut out = vec![field(format!("{at}.periodSeconds"), probe.period_seconds())];
    if ok {
        out.push(field(format!("{at}.successThreshold"), probe.success_threshold()));
    } else {
        out.push(field(format!("{at}.failureThreshold"), probe.failure_threshold()));
    }
    out
}

/// What one probe attempt ran: its handler, and its timeout when it timed out.
pub(crate) fn probe_attempt(key: ContainerKey, kind: ProbeKind, probe: &Probe, message: &str) -> Vec<ChangeField> {
    let at = probe_path(key, kind);
    let mut out = Vec::new();
    if let Some(exec) = &probe.exec {
        out.push(field(format!("{at}.exec.command"), flow(&exec.command)));
    } else if let Some(http) = &probe.http_get {
        out.push(field(format!("{at}.httpGet.path"), http.path.as_deref().unwrap_or("/")));
        out.push(field(format!("{at}.httpGet.port"), &http.port));
    } else if let Some(tcp) = &probe.tcp_socket {
        out.push(field(format!("{at}.tcpSocket.port"), &tcp.port));
    } else if let Some(grpc) = &probe.grpc {
        out.push(field(format!("{at}.grpc.port"), grpc.port));
    }
    if message.contains("timed out") || message.contains("deadline exceeded") || message.contains("timeout") {
        out.push(field(format!("{at}.timeoutSeconds"), probe.timeout_seconds()));
    }
    out
}

pub(crate) fn restart_policy(rec: &PodRecord) -> ChangeField {
    field("spec.restartPolicy".into(), rec.restart_policy())
}

/// The grace period a kill used, when a spec field set it: the probe's own (liveness, then
/// startup), else the pod's — unless `kubectl delete --grace-period` chose another.
pub(crate) fn kill_grace(rec: &PodRecord, key: ContainerKey, probe_grace: Option<i64>) -> Option<ChangeField> {
    let spec_grace = rec.pod.spec.termination_grace_period_seconds();
    if let Some(deletion) = rec.pod.metadata.deletion_grace_period_seconds {
        return (deletion == spec_grace).then(|| field("spec.terminationGracePeriodSeconds".into(), spec_grace));
    }
    if let Some(grace) = probe_grace {
        let c = rec.spec_container(key);
        let kind = if c.liveness_probe.as_ref().and_then(|p| p.termination_grace_period_seconds).is_some() {
            ProbeKind::Liveness
        } else {
            ProbeKind::Startup
        };
        return Some(field(format!("{}.terminationGracePeriodSeconds", probe_path(key, kind)), grace));
    }
    Some(field("spec.terminationGracePeriodSeconds".into(), spec_grace))
}

/// `lifecycle.postStart` / `lifecycle.preStop` with a short form of its handler.
pub(crate) fn hook(rec: &PodRecord, key: ContainerKey, which: &str) -> Option<ChangeField> {
    let lifecycle = rec.spec_container(key).lifecycle.as_ref()?;
    let handler = if which == "postStart" { lifecycle.post_start.as_ref()? } else { lifecycle.pre_stop.as_ref()? };
    let value = if let Some(exec) = &handler.exec {
        format!("exec {}", flow(&exec.command))
    } else if let Some(http) = &handler.http_get {
        format!("httpGet {} port {}", http.path.as_deref().unwrap_or("/"), http.port)
    } else if let Some(sleep) = &handler.sleep {
        format!("sleep {}s", sleep.seconds)
    } else {
        "tcpSocket".to_string()
    };
    Some(field(format!("{}.lifecycle.{which}", container_path(key)), value))
}

/// What an image pull decision read: the image and the pull policy.
pub(crate) fn image(rec: &PodRecord, key: ContainerKey) -> Vec<ChangeField> {
    let c = rec.spec_container(key);
    let at = container_path(key);
    vec![
        field(format!("{at}.image"), &c.image),
        field(format!("{at}.imagePullPolicy"), c.image_pull_policy.as_deref().unwrap_or("IfNotPresent")),
    ]
}

/// The image of a container the runtime runs generically: what it does is podplay's stand-in,
/// not the real program's (podplay-runtime `catalog/generic.rs`, docs/images.md §3).
pub(crate) fn generic_image(rec: &PodRecord, key: ContainerKey) -> ChangeField {
    let image = &rec.spec_container(key).image;
    field(
        format!("{}.image", container_path(key)),
        format!(
            "{image} (a generic image: podplay runs its command over a busybox userland; its behaviour is generic, not the real program's)"
        ),
    )
}

pub(crate) fn memory_limit(rec: &PodRecord, key: ContainerKey) -> Option<ChangeField> {
    let limit = rec.spec_container(key).resources.as_ref()?.limits.get("memory")?;
    Some(field(format!("{}.resources.limits.memory", container_path(key)), limit))
}

/// Where a terminated container's message came from: its `terminationMessagePath` file, or
/// (`from_logs`) its log, because of `terminationMessagePolicy: FallbackToLogsOnError`.
pub(crate) fn termination_message(rec: &PodRecord, key: ContainerKey, from_logs: bool) -> ChangeField {
    let c = rec.spec_container(key);
    let at = container_path(key);
    if from_logs {
        field(format!("{at}.terminationMessagePolicy"), c.termination_message_policy.as_deref().unwrap_or_default())
    } else {
        field(format!("{at}.terminationMessagePath"), c.termination_message_path.as_deref().unwrap_or_default())
    }
}

/// The pod fields a scheduler filter reason is about (`Insufficient cpu` → the containers'
/// cpu requests, an untolerated taint → the tolerations, ...).
pub(crate) fn scheduling(pod: &Pod, reason: &str, out: &mut Vec<ChangeField>) {
    let mut push = |f: ChangeField| {
        if !out.contains(&f) {
            out.push(f);
        }
    };
    let spec = &pod.spec;
    let pairs = |m: &std::collections::BTreeMap<String, String>| m.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
    if reason.contains("requested node name") {
        push(field("spec.nodeName".into(), spec.node_name.as_deref().unwrap_or("")));
    } else if reason.contains("taint") || reason.contains("unschedulable") {
        let keys: Vec<String> = spec.tolerations.iter().map(|t| t.key.clone().unwrap_or_else(|| "*".into())).collect();
        push(field("spec.tolerations".into(), flow(&keys)));
    } else if reason.contains("affinity/selector") {
        if !spec.node_selector.is_empty() {
            push(field("spec.nodeSelector".into(), format!("{{{}}}", pairs(&spec.node_selector))));
        }
        if spec.affinity.as_ref().and_then(|a| a.node_affinity.as_ref()).is_some() {
            push(field("spec.affinity.nodeAffinity".into(), "required terms"));
        }
    } else if let Some(resource) = reason.strip_prefix("Insufficient ") {
        // A request left out defaults to the limit (as the API server does).
        let lists = [("initContainers", &spec.init_containers), ("containers", &spec.containers)];
        for (list, containers) in lists {
            for (i, c) in containers.iter().enumerate() {
                let Some(r) = c.resources.as_ref() else { continue };
                if let Some(q) = r.requests.get(resource) {
                    push(field(format!("spec.{list}[{i}].resources.requests.{resource}"), q));
                } else if let Some(q) = r.limits.get(resource) {
                    push(field(format!("spec.{list}[{i}].resources.limits.{resource}"), q));
                }
            }
        }
    }
}
