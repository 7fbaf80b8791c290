//! The timeline: every change the engine makes that a person watching would want to see, as
//! typed data ([`ChangeDetail`]) with the rule that caused it and the spec fields that rule
//! read. The one-line summary is derived from the detail, so a reworded summary cannot break
//! a reader of the data (the page draws its lanes and bands from the detail alone).

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::clock::Millis;

/// One change the page can show on its timeline, with the rule that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub at: Millis,
    /// `pod/NAME`, `node/NAME`, `service/NAME`, or `scenario` for a step.
    pub object: String,
    pub detail: ChangeDetail,
    /// The rule that made it happen, in words (most are fixed texts, kept without a copy).
    pub cause: std::borrow::Cow<'static, str>,
    /// The spec fields the rule read, relative to `object`, with the values it used (defaults
    /// included), so the page can point at them in the YAML. Always present (maybe empty), so
    /// every change has the same shape in JS.
    pub fields: Vec<ChangeField>,
}

/// One spec field a change depends on: `spec.containers[0].livenessProbe.periodSeconds` and
/// the value the engine used (`3`), whether written or defaulted. Its JSON also carries `name`,
/// the [`local_path`](ChangeField::local_path) a label shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeField {
    pub path: String,
    pub value: String,
}

impl Serialize for ChangeField {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("ChangeField", 3)?;
        out.serialize_field("path", &self.path)?;
        out.serialize_field("name", self.local_path())?;
        out.serialize_field("value", &self.value)?;
        out.end()
    }
}

impl ChangeField {
    /// The path below the container the change is about, or below `spec`:
    /// `spec.containers[0].livenessProbe.periodSeconds` → `livenessProbe.periodSeconds`.
    pub fn local_path(&self) -> &str {
        let below_spec = self.path.strip_prefix("spec.").unwrap_or(&self.path);
        for list in ["containers[", "initContainers["] {
            if let Some(rest) = below_spec.strip_prefix(list) {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 {
                    if let Some(local) = rest[digits..].strip_prefix("].") {
                        return local;
                    }
                }
            }
        }
        below_spec
    }
}

/// What changed, as data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ChangeDetail {
    /// The API server stored a new pod (phase Pending).
    PodCreated,
    /// The pod's phase as the kubelet (or a controller) wrote it.
    PhaseChanged {
        from: String,
        to: String,
    },
    /// deletionTimestamp set: by a delete, or by the taint eviction controller (`evicted`).
    PodTerminating {
        evicted: bool,
    },
    /// A controller marked the pod Failed with a condition before deleting it (the pod
    /// garbage collector: DisruptionTarget, DeletionByPodGC).
    PodFailed {
        condition: String,
        reason: String,
    },
    /// The kubelet's eviction manager evicted the pod (phase `from` → Failed, reason Evicted).
    PodEvicted {
        from: String,
        message: String,
    },
    /// The API object is gone.
    PodDeleted,
    /// A deleted pod's containers all stopped and the kubelet asked for its removal, but
    /// `metadata.finalizers` keep the API object until they are removed.
    PodFinalizersPending {
        finalizers: Vec<String>,
    },
    /// The node's kubelet stopped posting status (the lab cut it off).
    NodeDisconnected,
    /// The node's kubelet posts status again: Ready, the unreachable taints removed.
    NodeReconnected,
    /// The node controller saw no heartbeat for the grace period: Ready Unknown, tainted.
    NodeUnreachable,
    /// The Node object was deleted.
    NodeDeleted,
    /// A node condition the kubelet reports for a resource (`DiskPressure`) changed.
    NodePressure {
        condition: String,
        status: String,
    },
    ContainerStarted {
        container: String,
        restart: u32,
    },
    ContainerStopping {
        container: String,
        grace_seconds: i64,
    },
    ContainerExited {
        container: String,
        exit_code: i32,
        reason: String,
    },
    /// Pod conditions whose status changed, in the order they were written.
    Conditions {
        changes: Vec<ConditionChange>,
    },
    /// An event was recorded about the object (`container`: the container its fieldPath names).
    Event {
        event_type: String,
        reason: String,
        message: String,
        container: Option<String>,
    },
    /// A pod's address in a Service's endpoints.
    Endpoint {
        ip: String,
        pod: String,
        state: EndpointState,
    },
    /// A scenario step ran.
    Step {
        command: String,
    },
    /// A liveness or startup probe reached its failureThreshold.
    ProbeFailed {
        container: String,
        probe: String,
        failures: i32,
    },
    /// A readiness probe's result changed the container's readiness.
    ReadinessChanged {
        container: String,
        ready: bool,
    },
    /// A ReplicaSet was created (by a manifest or the Deployment controller).
    ReplicaSetCreated {
        replicas: i32,
    },
    /// A ReplicaSet's `spec.replicas` changed (a rollout trades replicas between ReplicaSets).
    ReplicaSetScaled {
        from: i32,
        to: i32,
    },
    ReplicaSetDeleted,
    /// A Deployment was created.
    DeploymentCreated {
        replicas: i32,
    },
    /// A Deployment's spec changed (scale, image): its generation moved.
    DeploymentUpdated {
        generation: i64,
    },
    DeploymentDeleted,
    /// A Job was created (`completions` unset: a work queue).
    JobCreated {
        completions: Option<i32>,
        parallelism: i32,
    },
    JobDeleted,
    /// A Job condition (Complete, Failed, FailureTarget, SuccessCriteriaMet, Suspended) was written.
    JobCondition {
        condition: String,
        status: String,
        reason: String,
    },
    /// A StatefulSet was created.
    StatefulSetCreated {
        replicas: i32,
    },
    /// A StatefulSet's `spec.replicas` changed.
    StatefulSetScaled {
        from: i32,
        to: i32,
    },
    /// A StatefulSet's template changed: a new revision rolls out.
    StatefulSetUpdated {
        generation: i64,
    },
    StatefulSetDeleted,
    /// A DaemonSet was created.
    DaemonSetCreated,
    /// A CronJob was created (its schedule as written).
    CronJobCreated {
        schedule: String,
    },
    CronJobDeleted,
    /// A workload was deleted in the foreground: it stays, with a deletionTimestamp and the
    /// `foregroundDeletion` finalizer, until its dependents are gone.
    ForegroundDeletion,
    /// An object lost its owner reference: its owner was deleted with `--cascade=orphan`.
    Orphaned {
        owner: String,
    },
    /// A controller adopted a pod no controller owned (its selector matches the labels).
    Adopted {
        owner: String,
    },
    /// A DaemonSet's template changed: a new revision rolls out.
    DaemonSetUpdated {
        generation: i64,
    },
    DaemonSetDeleted,
    /// A PodDisruptionBudget was created.
    DisruptionBudgetCreated,
    /// The disruption controller wrote a budget's status: healthy pods, the number it must
    /// keep, and how many may be disrupted.
    DisruptionsAllowed {
        current_healthy: i32,
        desired_healthy: i32,
        allowed: i32,
    },
    /// A Deployment condition (Available, Progressing) got a new status or reason.
    DeploymentCondition {
        condition: String,
        status: String,
        reason: String,
    },
}

/// One pod condition's new status; `node` or `reason` say more where the summary shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConditionChange {
    pub condition: String,
    pub status: String,
    pub node: Option<String>,
    pub reason: Option<String>,
}

impl ConditionChange {
    pub fn new(condition: &str, status: &str) -> Self {
        ConditionChange { condition: condition.into(), status: status.into(), node: None, reason: None }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum EndpointState {
    Ready,
    NotReady,
    Removed,
}

impl ChangeDetail {
    /// The timeline's kind: `phase`, `status`, `container`, `condition`, `event`, `endpoints`,
    /// `step`, `probe` or `workload`.
    pub fn kind(&self) -> &'static str {
        use ChangeDetail::*;
        match self {
            PodCreated | PhaseChanged { .. } | PodTerminating { .. } | PodFailed { .. } | PodEvicted { .. } | PodDeleted => "phase",
            NodeDisconnected | NodeReconnected | NodeUnreachable | NodeDeleted | NodePressure { .. } | PodFinalizersPending { .. } => {
                "status"
            }
            ContainerStarted { .. } | ContainerStopping { .. } | ContainerExited { .. } => "container",
            Conditions { .. } => "condition",
            Event { .. } => "event",
            Endpoint { .. } => "endpoints",
            Step { .. } => "step",
            ProbeFailed { .. } | ReadinessChanged { .. } => "probe",
            ReplicaSetCreated { .. }
            | ReplicaSetScaled { .. }
            | ReplicaSetDeleted
            | DeploymentCreated { .. }
            | DeploymentUpdated { .. }
            | DeploymentDeleted
            | DeploymentCondition { .. }
            | JobCreated { .. }
            | JobDeleted
            | JobCondition { .. }
            | StatefulSetCreated { .. }
            | StatefulSetScaled { .. }
            | StatefulSetUpdated { .. }
            | StatefulSetDeleted
            | DaemonSetCreated
            | CronJobCreated { .. }
            | CronJobDeleted
            | DaemonSetUpdated { .. }
            | DaemonSetDeleted
            | ForegroundDeletion
            | Orphaned { .. }
            | Adopted { .. }
            | DisruptionBudgetCreated
            | DisruptionsAllowed { .. } => "workload",
        }
    }

    /// The pod's phase after a `phase` change (`None`: the object is gone, or not a phase change).
    pub fn phase_after(&self) -> Option<&str> {
        match self {
            ChangeDetail::PodCreated => Some("Pending"),
            ChangeDetail::PhaseChanged { to, .. } => Some(to),
            ChangeDetail::PodTerminating { .. } => Some("Terminating"),
            ChangeDetail::PodFailed { .. } | ChangeDetail::PodEvicted { .. } => Some("Failed"),
            _ => None,
        }
    }

    /// One line for people: `Pending → Running`, `web: exited with code 1 (Error)`, ...
    pub fn summary(&self) -> String {
        use ChangeDetail::*;
        match self {
            PodCreated => "created (Pending)".into(),
            PhaseChanged { from, to } => format!("{from} → {to}"),
            PodTerminating { evicted: false } => "Terminating".into(),
            PodTerminating { evicted: true } => "Terminating (evicted)".into(),
            PodFailed { condition, reason } => format!("Failed ({condition}: {reason})"),
            PodEvicted { from, .. } => format!("{from} → Failed (Evicted)"),
            PodDeleted | NodeDeleted => "deleted".into(),
            PodFinalizersPending { finalizers } => format!("terminated; waiting for finalizers: {}", finalizers.join(", ")),
            NodeDisconnected => "kubelet stopped reporting".into(),
            NodeReconnected => "Ready".into(),
            NodeUnreachable => "Ready → Unknown; tainted node.kubernetes.io/unreachable".into(),
            NodePressure { condition, status } => format!("{condition}={status}"),
            ContainerStarted { container, restart } => format!("{container}: started (restart {restart})"),
            ContainerStopping { container, grace_seconds } => format!("{container}: stopping (grace {grace_seconds}s)"),
            ContainerExited { container, exit_code, reason } => format!("{container}: exited with code {exit_code} ({reason})"),
            Conditions { changes } => changes.iter().map(ConditionChange::summary).collect::<Vec<_>>().join(", "),
            Event { event_type, reason, message, .. } => format!("{event_type} {reason}: {message}"),
            Endpoint { ip, pod, state } => {
                let state = match state {
                    EndpointState::Ready => "ready",
                    EndpointState::NotReady => "not ready",
                    EndpointState::Removed => "removed",
                };
                format!("{ip} ({pod}) {state}")
            }
            Step { command } => format!("$ {command}"),
            ProbeFailed { container, probe, failures } => format!("{container}: {probe} probe failed {failures} times in a row"),
            ReadinessChanged { container, ready } => format!("{container}: ready = {ready}"),
            ReplicaSetCreated { replicas } | DeploymentCreated { replicas } | StatefulSetCreated { replicas } => {
                format!("created ({replicas} replicas)")
            }
            ReplicaSetScaled { from, to } | StatefulSetScaled { from, to } => format!("scaled {from} → {to}"),
            ReplicaSetDeleted | DeploymentDeleted | JobDeleted | StatefulSetDeleted | DaemonSetDeleted | CronJobDeleted => "deleted".into(),
            ForegroundDeletion => "deleting (foreground): stays until its dependents are gone".into(),
            Orphaned { owner } => format!("orphaned: its owner {owner} was deleted"),
            Adopted { owner } => format!("adopted by {owner}"),
            CronJobCreated { schedule } => format!("created (schedule {schedule:?}, UTC)"),
            DaemonSetCreated => "created (one pod per eligible node)".into(),
            JobCreated { completions: Some(c), parallelism } => format!("created ({c} completions, {parallelism} at a time)"),
            JobCreated { completions: None, parallelism } => format!("created (work queue, {parallelism} at a time)"),
            JobCondition { condition, status, reason } if reason.is_empty() => format!("{condition}={status}"),
            JobCondition { condition, status, reason } => format!("{condition}={status} ({reason})"),
            DeploymentUpdated { generation } | StatefulSetUpdated { generation } | DaemonSetUpdated { generation } => {
                format!("updated (generation {generation})")
            }
            DeploymentCondition { condition, status, reason } => format!("{condition}={status} ({reason})"),
            DisruptionBudgetCreated => "created".into(),
            DisruptionsAllowed { current_healthy, desired_healthy, allowed } => {
                format!("{current_healthy} healthy of {desired_healthy} needed: {allowed} disruptions allowed")
            }
        }
    }
}

impl ConditionChange {
    fn summary(&self) -> String {
        let mut out = format!("{}={}", self.condition, self.status);
        if let Some(node) = &self.node {
            out.push_str(&format!(" (node {node})"));
        } else if let Some(reason) = &self.reason {
            out.push_str(&format!(" ({reason})"));
        }
        out
    }
}

impl Change {
    pub fn kind(&self) -> &'static str {
        self.detail.kind()
    }
    pub fn summary(&self) -> String {
        self.detail.summary()
    }
}

/// `{at, object, kind, summary, detail, cause, fields}`: the derived kind and summary travel
/// with the data, for readers that only show text.
impl Serialize for Change {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Change", 7)?;
        st.serialize_field("at", &self.at)?;
        st.serialize_field("object", &self.object)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("summary", &self.summary())?;
        st.serialize_field("detail", &self.detail)?;
        st.serialize_field("cause", &self.cause)?;
        st.serialize_field("fields", &self.fields)?;
        st.end()
    }
}

/// The container a fieldPath names: `spec.containers{web}` → `web`.
pub(crate) fn container_of_field_path(field_path: &str) -> Option<String> {
    let rest = ["spec.containers{", "spec.initContainers{", "spec.ephemeralContainers{"].iter().find_map(|p| field_path.strip_prefix(p))?;
    rest.strip_suffix('}').map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths() {
        let f = |path: &str| ChangeField { path: path.into(), value: String::new() }.local_path().to_string();
        assert_eq!(f("spec.containers[0].livenessProbe.periodSeconds"), "livenessProbe.periodSeconds");
        assert_eq!(f("spec.initContainers[12].image"), "image");
        assert_eq!(f("spec.restartPolicy"), "restartPolicy");
        assert_eq!(f("spec.containers[x].image"), "containers[x].image");
        assert_eq!(f("metadata.name"), "metadata.name");
    }

    #[test]
    fn summaries_read_as_before() {
        let cases = [
            (ChangeDetail::PodCreated, "created (Pending)"),
            (ChangeDetail::PhaseChanged { from: "Pending".into(), to: "Running".into() }, "Pending → Running"),
            (ChangeDetail::PodTerminating { evicted: true }, "Terminating (evicted)"),
            (
                ChangeDetail::PodFailed { condition: "DisruptionTarget".into(), reason: "DeletionByPodGC".into() },
                "Failed (DisruptionTarget: DeletionByPodGC)",
            ),
            (
                ChangeDetail::ContainerExited { container: "web".into(), exit_code: 137, reason: "Error".into() },
                "web: exited with code 137 (Error)",
            ),
            (
                ChangeDetail::Conditions {
                    changes: vec![
                        ConditionChange { node: Some("node-1".into()), ..ConditionChange::new("PodScheduled", "True") },
                        ConditionChange::new("Ready", "False"),
                    ],
                },
                "PodScheduled=True (node node-1), Ready=False",
            ),
            (
                ChangeDetail::Endpoint { ip: "10.244.0.5".into(), pod: "web-0".into(), state: EndpointState::NotReady },
                "10.244.0.5 (web-0) not ready",
            ),
        ];
        for (detail, summary) in cases {
            assert_eq!(detail.summary(), summary);
        }
        assert_eq!(container_of_field_path("spec.initContainers{init-a}").as_deref(), Some("init-a"));
        assert_eq!(container_of_field_path("spec.volumes"), None);
    }

    /// The JSON the page reads (tests/web-unit/lanes-bands.test.mjs builds timelines of these
    /// shapes): a `type` tag and camelCase fields.
    #[test]
    fn details_serialise_as_the_page_reads_them() {
        let json = |d: ChangeDetail| serde_json::to_value(d).unwrap();
        assert_eq!(
            json(ChangeDetail::ContainerExited { container: "app".into(), exit_code: 137, reason: "Error".into() }),
            serde_json::json!({"type": "containerExited", "container": "app", "exitCode": 137, "reason": "Error"})
        );
        assert_eq!(
            json(ChangeDetail::ContainerStopping { container: "app".into(), grace_seconds: 30 }),
            serde_json::json!({"type": "containerStopping", "container": "app", "graceSeconds": 30})
        );
        assert_eq!(
            json(ChangeDetail::Event {
                event_type: "Warning".into(),
                reason: "Unhealthy".into(),
                message: "m".into(),
                container: Some("app".into())
            }),
            serde_json::json!({"type": "event", "eventType": "Warning", "reason": "Unhealthy", "message": "m", "container": "app"})
        );
        assert_eq!(
            json(ChangeDetail::Conditions { changes: vec![ConditionChange::new("Ready", "False")] }),
            serde_json::json!({"type": "conditions", "changes": [{"condition": "Ready", "status": "False", "node": null, "reason": null}]})
        );
        assert_eq!(
            json(ChangeDetail::Endpoint { ip: "10.244.0.5".into(), pod: "web".into(), state: EndpointState::NotReady }),
            serde_json::json!({"type": "endpoint", "ip": "10.244.0.5", "pod": "web", "state": "notReady"})
        );
        assert_eq!(json(ChangeDetail::PodDeleted), serde_json::json!({"type": "podDeleted"}));
        assert_eq!(
            json(ChangeDetail::PhaseChanged { from: "Pending".into(), to: "Running".into() }),
            serde_json::json!({"type": "phaseChanged", "from": "Pending", "to": "Running"})
        );
    }
}
