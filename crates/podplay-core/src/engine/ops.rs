//! Operations on the cluster from outside the simulation: what an API client asks of the API
//! server (create, delete, update labels, cordon) and of a kubelet (exec), plus the lab's own
//! cut and restore of a node's connection. Each runs at `now()` and answers with a typed result
//! or a typed [`OpError`]; none prints anything: the kubectl crate parses command lines into
//! these calls and turns their results into kubectl's text.

use std::collections::BTreeMap;

use super::cri::ExecResult;
use super::garbage_collector::Owner;
use super::DeploymentRecord;
use super::Engine;
use crate::model::{Pod, PodTemplateSpec, Step};
use crate::source::{Diagnostic, Object};

/// Why an operation was refused, as the API server (or the kubelet) would say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpError {
    /// No `resource` (plural, e.g. `pods`) named `name` exists.
    NotFound { resource: &'static str, name: String },
    /// A `create` of an object that exists.
    AlreadyExists { resource: &'static str, name: String },
    /// The API server refused the object; the message says why.
    Rejected(String),
    /// The API server's validation refused the object (`The Pod "p" is invalid: ...`), field
    /// by field.
    InvalidObject(super::field::InvalidObject),
    /// The API server could not decode the object (`Error from server (BadRequest): ...`).
    BadRequest(String),
    /// An exec into a container that is not running (the kubelet finds no container).
    ContainerNotRunning { container: String },
    /// A manifest that does not load.
    Invalid(Vec<Diagnostic>),
    /// A `metav1.Status` failure of another reason: `reason` is its `StatusReason`
    /// (`TooManyRequests`, `Forbidden`; empty for a bare status such as the eviction
    /// subresource's 500), `message` its text.
    Status { reason: &'static str, message: String },
}

/// The kinds of object an apply or create can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Pod,
    Service,
    Node,
    Image,
    ReplicaSet,
    Deployment,
    Job,
    CronJob,
    ConfigMap,
    Secret,
    StatefulSet,
    DaemonSet,
    PodDisruptionBudget,
    Namespace,
}

/// A namespaced object's kind and metadata (None for the cluster-scoped kinds and podplay's own).
pub(crate) fn namespaced(object: &Object) -> Option<(ObjectKind, &crate::model::ObjectMeta)> {
    Some(match object {
        Object::Pod(x) => (ObjectKind::Pod, &x.metadata),
        Object::Service(x) => (ObjectKind::Service, &x.metadata),
        Object::ReplicaSet(x) => (ObjectKind::ReplicaSet, &x.metadata),
        Object::Deployment(x) => (ObjectKind::Deployment, &x.metadata),
        Object::Job(x) => (ObjectKind::Job, &x.metadata),
        Object::CronJob(x) => (ObjectKind::CronJob, &x.metadata),
        Object::ConfigMap(x) => (ObjectKind::ConfigMap, &x.metadata),
        Object::Secret(x) => (ObjectKind::Secret, &x.metadata),
        Object::StatefulSet(x) => (ObjectKind::StatefulSet, &x.metadata),
        Object::DaemonSet(x) => (ObjectKind::DaemonSet, &x.metadata),
        Object::PodDisruptionBudget(x) => (ObjectKind::PodDisruptionBudget, &x.metadata),
        Object::Node(_) | Object::Namespace(_) | Object::Scenario(_) | Object::Image(_) => return None,
    })
}

/// A delete's propagation policy (`metav1.DeletionPropagation`, `kubectl delete --cascade`):
/// what becomes of what the deleted object owns (`garbage_collector.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

/// A workload a client scales, updates or deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadKind {
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
}

impl WorkloadKind {
    /// The resource in API errors (`deployments.apps "x" not found`).
    pub fn resource(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deployments.apps",
            WorkloadKind::ReplicaSet => "replicasets.apps",
            WorkloadKind::StatefulSet => "statefulsets.apps",
            WorkloadKind::DaemonSet => "daemonsets.apps",
        }
    }
}

/// What happened to one object of an apply or create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub kind: ObjectKind,
    pub name: String,
    pub outcome: Result<ApplyAction, OpError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyAction {
    Created,
    /// `apply` of an object that exists whose three-way merge patch was empty: left as it is.
    Unchanged,
    /// `apply` of an object that exists, patched (kubectl's `configured`).
    Configured,
    /// `replace` of an object that exists: the whole object sent as its update.
    Replaced,
}

/// The object a label update is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelTarget {
    Pod { namespace: String, name: String },
    Node { name: String },
}

/// A client's update of a Deployment, as kubectl's patches carry it (`rollout pause|resume`,
/// `rollout undo`, `rollout restart`, `annotate`): each field given replaces the object's.
#[derive(Debug, Clone, Default)]
pub struct DeploymentUpdate {
    pub paused: Option<bool>,
    pub template: Option<PodTemplateSpec>,
    pub annotations: Option<BTreeMap<String, String>>,
}

/// A client's update of a pod (`kubectl patch pod`): each field given replaces the object's
/// (`Some(vec![])`: no finalizers; `Some(None)`: no activeDeadlineSeconds).
#[derive(Debug, Clone, Default)]
pub struct PodUpdate {
    pub labels: Option<BTreeMap<String, String>>,
    pub annotations: Option<BTreeMap<String, String>>,
    pub finalizers: Option<Vec<String>>,
    pub active_deadline_seconds: Option<Option<i64>>,
    /// Each container's image, in spec order (the only field of a container an update may
    /// change); the same for init containers.
    pub container_images: Option<Vec<String>>,
    pub init_container_images: Option<Vec<String>>,
    /// The whole new spec a client sent (an apply's patched pod): besides the fields above, it
    /// must be the old one (`ValidatePodUpdate`'s munged comparison).
    pub spec: Option<crate::model::PodSpec>,
}

/// What a client writes through the pods/status subresource (podplay takes these fields of a
/// status; the kubelet owns the rest).
#[derive(Debug, Clone, Default)]
pub struct PodStatusUpdate {
    pub conditions: Vec<crate::model::PodCondition>,
    pub message: Option<String>,
    pub reason: Option<String>,
}

/// How a pod is deleted: the grace period asked for (`None`: the pod's own
/// `terminationGracePeriodSeconds`), and whether the API object goes at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Deletion {
    pub grace_seconds: Option<i64>,
    pub immediate: bool,
}

/// What a scenario step printed. The engine runs a step through its [`StepRunner`] and keeps
/// the result as given (it neither parses the command nor writes this text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// A command that is not done yet (`kubectl drain` waiting for a disruption budget): what
    /// goes on with it, and when.
    pub resume: Option<Resume>,
}

/// The rest of a command that takes virtual time: the engine calls it at `at`, in its place
/// among that millisecond's tasks, and adds what it printed to the step's output.
#[derive(Clone)]
pub struct Resume {
    pub at: crate::clock::Millis,
    pub rest: std::rc::Rc<std::cell::RefCell<dyn StepContinuation>>,
}

impl std::fmt::Debug for Resume {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Resume {{ at: {} }}", self.at)
    }
}

impl PartialEq for Resume {
    fn eq(&self, other: &Resume) -> bool {
        self.at == other.at && std::rc::Rc::ptr_eq(&self.rest, &other.rest)
    }
}

impl Eq for Resume {}

/// What a command does when its time comes again (the runner's business: core only keeps it
/// and calls it).
pub trait StepContinuation {
    /// Runs what is due now; the output's `resume` says whether and when to call again.
    fn resume(&mut self, engine: &mut Engine) -> CommandOutput;
}

/// Runs scenario steps. The engine owns when a step runs (its place among the tasks of its
/// millisecond); the runner owns what the step's text means. The kubectl crate provides the
/// runner for `kubectl ...` and `podplay ...` lines.
pub trait StepRunner {
    fn run_step(&self, engine: &mut Engine, step: &Step) -> CommandOutput;
}

impl<F: Fn(&mut Engine, &Step) -> CommandOutput> StepRunner for F {
    fn run_step(&self, engine: &mut Engine, step: &Step) -> CommandOutput {
        self(engine, step)
    }
}

fn not_found(resource: &'static str, name: &str) -> OpError {
    OpError::NotFound { resource, name: name.to_string() }
}

impl Engine {
    /// The pod `name` in `namespace`, if its API object exists now.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<&Pod> {
        self.find_pod(name, namespace).map(|p| &self.pods[p].pod)
    }

    /// Pods bound to node `name` whose API object exists (being deleted or not), as
    /// (namespace, name): what a list with `spec.nodeName=NAME` returns.
    pub fn pods_bound_to(&self, name: &str) -> Vec<(String, String)> {
        let Some(n) = self.find_node(name) else { return Vec::new() };
        self.pods.iter().filter(|r| r.node == Some(n) && !r.removed).map(|r| (r.namespace().to_string(), r.name().to_string())).collect()
    }

    /// Pods bound to node `name` that are not being deleted, as (namespace, name), in the
    /// order they were created.
    pub fn pods_on_node(&self, name: &str) -> Vec<(String, String)> {
        let Some(n) = self.find_node(name) else { return Vec::new() };
        self.pods
            .iter()
            .filter(|r| r.node == Some(n) && !r.removed && !r.deleting())
            .map(|r| (r.namespace().to_string(), r.name().to_string()))
            .collect()
    }

    /// Runs `argv` in a running container of a pod, as the kubelet's exec does. What the
    /// command changed (files a probe reads, a killed PID 1) shows through probes and the
    /// runtime's exit events; an exec does not itself trigger a pod sync.
    pub fn exec(&mut self, namespace: &str, pod: &str, container: &str, argv: &[String]) -> Result<ExecResult, OpError> {
        let p = self.find_pod(pod, namespace).ok_or_else(|| not_found("pods", pod))?;
        let key = self.pods[p]
            .keys()
            .into_iter()
            .find(|k| self.pods[p].spec_container(*k).name == container)
            .ok_or_else(|| OpError::ContainerNotRunning { container: container.to_string() })?;
        let running = self.pods[p].record(key).current().filter(|i| i.started_at.is_some() && i.finished.is_none()).cloned();
        let inst = running.ok_or_else(|| OpError::ContainerNotRunning { container: container.to_string() })?;
        let (result, changed) = self.cri.exec_sync_traced(self.now, inst.handle, argv, None);
        if changed {
            self.outside_changes += 1;
        }
        Ok(result)
    }

    /// How many operations from outside have changed the cluster so far: a pod, node or
    /// workload deleted or evicted, an object created, labels set, a node cordoned or
    /// uncordoned (not one already so), a connection cut or restored, a workload scaled or its
    /// images changed, an exec that left a trace (a file, a process, a signal, a request to a
    /// server; not `ls` or `cat`). An operation that was refused changed nothing. The session
    /// compares it before and after a command to tell a command that changed the cluster from
    /// one that only looked.
    pub fn changes_from_outside(&self) -> u64 {
        self.outside_changes
    }

    /// Deletes a pod through the API: graceful deletion sets deletionTimestamp and the kubelet
    /// stops the containers within the grace period; an immediate one removes the object now.
    pub fn delete_pod_named(&mut self, namespace: &str, name: &str, how: Deletion) -> Result<(), OpError> {
        let p = self.find_pod(name, namespace).ok_or_else(|| not_found("pods", name))?;
        self.outside_changes += 1;
        self.delete_pod(p, how.grace_seconds, how.immediate);
        // Without a grace period asked for, the pod's own terminationGracePeriodSeconds applies.
        let fields = match how.grace_seconds {
            None => vec![super::why::field(
                "spec.terminationGracePeriodSeconds".into(),
                self.pods[p].pod.spec.termination_grace_period_seconds(),
            )],
            Some(_) => Vec::new(),
        };
        self.record_change_with(
            format!("pod/{name}"),
            super::ChangeDetail::PodTerminating { evicted: false },
            "a delete request set deletionTimestamp; the kubelet stops the containers within the grace period",
            fields,
        );
        Ok(())
    }

    /// Deletes a Node object (no grace period): pods bound to it stay until the pod garbage
    /// collector removes them.
    pub fn delete_node_named(&mut self, name: &str) -> Result<(), OpError> {
        let n = self.find_node(name).ok_or_else(|| not_found("nodes", name))?;
        self.outside_changes += 1;
        self.delete_node(n);
        Ok(())
    }

    /// Creates one object of a manifest, as the API server's create does (`kubectl create`,
    /// and `kubectl apply` of an object it did not find; an apply of one that exists is a patch,
    /// [`Engine::update_object`]): one that exists is refused (`AlreadyExists`); `None` for a
    /// Scenario document. podplay's Images are the lab's own: always registered.
    pub fn create_object(&mut self, object: Object) -> Option<Applied> {
        {
            if let Some((kind, name, refused)) = self.refused_namespace(&object) {
                return Some(Applied { kind, name, outcome: Err(refused) });
            }
            let (kind, name, outcome) = match object {
                Object::Pod(pod) => {
                    let name = pod.metadata.name.clone();
                    let exists = self.find_pod(&name, pod.metadata.namespace()).is_some();
                    (ObjectKind::Pod, name.clone(), write_one(exists, "pods", &name, || self.add_pod(*pod)))
                }
                Object::Service(svc) => {
                    let name = svc.metadata.name.clone();
                    let exists = self.find_service(&name, svc.metadata.namespace()).is_some();
                    (ObjectKind::Service, name.clone(), write_one(exists, "services", &name, || self.add_service(*svc)))
                }
                Object::Node(node) => {
                    let name = node.metadata.name.clone();
                    let exists = self.find_node(&name).is_some();
                    let outcome = write_one(exists, "nodes", &name, || {
                        self.add_node(*node);
                        self.retry_unschedulable();
                        Ok(())
                    });
                    (ObjectKind::Node, name, outcome)
                }
                Object::Image(image) => {
                    let outcome = self.cri.register_image(&image).map(|()| ApplyAction::Created).map_err(OpError::Rejected);
                    (ObjectKind::Image, image.metadata.name.clone(), outcome)
                }
                Object::ReplicaSet(rs) => {
                    let name = rs.metadata.name.clone();
                    let exists = self.find_replica_set(&name, rs.metadata.namespace()).is_some();
                    let outcome = write_one(exists, "replicasets.apps", &name, || self.add_replica_set(*rs, None).map(|_| ()));
                    (ObjectKind::ReplicaSet, name, outcome)
                }
                Object::Deployment(d) => {
                    let name = d.metadata.name.clone();
                    let exists = self.find_deployment(&name, d.metadata.namespace()).is_some();
                    (ObjectKind::Deployment, name.clone(), write_one(exists, "deployments.apps", &name, || self.add_deployment(*d)))
                }
                Object::Job(job) => {
                    let name = job.metadata.name.clone();
                    let exists = self.find_job(&name, job.metadata.namespace()).is_some();
                    (ObjectKind::Job, name.clone(), write_one(exists, "jobs.batch", &name, || self.add_job(*job).map(|_| ())))
                }
                Object::CronJob(cj) => {
                    let name = cj.metadata.name.clone();
                    let exists = self.find_cron_job(&name, cj.metadata.namespace()).is_some();
                    let outcome = write_one(exists, "cronjobs.batch", &name, || self.add_cron_job(*cj).map(|_| ()));
                    (ObjectKind::CronJob, name, outcome)
                }
                Object::ConfigMap(cm) => {
                    let name = cm.metadata.name.clone();
                    let exists = self.find_config_map(&name, cm.metadata.namespace()).is_some();
                    (ObjectKind::ConfigMap, name.clone(), write_one(exists, "configmaps", &name, || self.add_config_map(*cm)))
                }
                Object::Secret(secret) => {
                    let name = secret.metadata.name.clone();
                    let exists = self.find_secret(&name, secret.metadata.namespace()).is_some();
                    (ObjectKind::Secret, name.clone(), write_one(exists, "secrets", &name, || self.add_secret(*secret)))
                }
                Object::StatefulSet(set) => {
                    let name = set.metadata.name.clone();
                    let exists = self.find_stateful_set(&name, set.metadata.namespace()).is_some();
                    let outcome = write_one(exists, "statefulsets.apps", &name, || self.add_stateful_set(*set).map(|_| ()));
                    (ObjectKind::StatefulSet, name, outcome)
                }
                Object::DaemonSet(set) => {
                    let name = set.metadata.name.clone();
                    let exists = self.find_daemon_set(&name, set.metadata.namespace()).is_some();
                    let outcome = write_one(exists, "daemonsets.apps", &name, || self.add_daemon_set(*set).map(|_| ()));
                    (ObjectKind::DaemonSet, name, outcome)
                }
                Object::PodDisruptionBudget(pdb) => {
                    let name = pdb.metadata.name.clone();
                    let exists = self.find_pdb(&name, pdb.metadata.namespace()).is_some();
                    let outcome = write_one(exists, "poddisruptionbudgets.policy", &name, || self.add_pdb(*pdb).map(|_| ()));
                    (ObjectKind::PodDisruptionBudget, name, outcome)
                }
                Object::Namespace(ns) => {
                    let name = ns.metadata.name.clone();
                    let exists = self.find_namespace(&name).is_some();
                    (ObjectKind::Namespace, name.clone(), write_one(exists, "namespaces", &name, || self.add_namespace(*ns)))
                }
                Object::Scenario(_) => return None,
            };
            if outcome == Ok(ApplyAction::Created) {
                self.outside_changes += 1;
            }
            Some(Applied { kind, name, outcome })
        }
    }

    /// An object a create or apply names in a namespace that does not exist: its kind, name and
    /// the API server's refusal (`NamespaceLifecycle`).
    fn refused_namespace(&self, object: &Object) -> Option<(ObjectKind, String, OpError)> {
        let (kind, meta) = namespaced(object)?;
        let refused = self.admit_in_namespace(meta.namespace()).err()?;
        Some((kind, meta.name.clone(), refused))
    }

    /// The labels of a pod or node now.
    pub fn labels(&self, target: &LabelTarget) -> Result<&BTreeMap<String, String>, OpError> {
        match target {
            LabelTarget::Pod { namespace, name } => {
                self.pod(namespace, name).map(|p| &p.metadata.labels).ok_or_else(|| not_found("pods", name))
            }
            LabelTarget::Node { name } => {
                self.find_node(name).map(|n| &self.nodes[n].node.metadata.labels).ok_or_else(|| not_found("nodes", name))
            }
        }
    }

    /// Replaces a pod's or node's labels (an update of `metadata.labels`): Services re-select
    /// the pod; pending pods are scheduled again against the node.
    pub fn set_labels(&mut self, target: &LabelTarget, labels: BTreeMap<String, String>) -> Result<(), OpError> {
        // ValidateObjectMeta of the update: the labels' keys and values.
        let (kind, name) = match target {
            LabelTarget::Pod { name, .. } => ("Pod", name),
            LabelTarget::Node { name } => ("Node", name),
        };
        super::field::InvalidObject::check(kind, name, super::field::label_errors(&labels, "metadata.labels"))
            .map_err(OpError::InvalidObject)?;
        match target {
            LabelTarget::Pod { namespace, name } => {
                let p = self.find_pod(name, namespace).ok_or_else(|| not_found("pods", name))?;
                self.pods[p].pod.metadata.labels = labels;
                self.bump_resource_version(p);
                self.update_endpoints_for_pod(p);
                self.kubelet_sees_pod_update(p);
            }
            LabelTarget::Node { name } => {
                let n = self.find_node(name).ok_or_else(|| not_found("nodes", name))?;
                self.nodes[n].node.metadata.labels = labels;
                self.retry_unschedulable();
                self.note_node_write_for_daemon_sets();
            }
        }
        self.outside_changes += 1;
        Ok(())
    }

    /// The kubelet's pod config source passes on an update whose labels or annotations changed
    /// (`podsDifferSemantically`), and the pod worker syncs the pod at once: a container
    /// waiting on its configuration is tried again, and downwardAPI files are written again.
    fn kubelet_sees_pod_update(&mut self, p: usize) {
        if self.pods[p].node.is_some() {
            self.request_sync(p, self.now);
        }
    }

    /// Replaces a pod's annotations (an update of `metadata.annotations`). The kubelet syncs the
    /// pod on the update: a container waiting on its configuration (an environment variable
    /// from an annotation, a subPathExpr) is tried again with the new values.
    pub fn set_pod_annotations(&mut self, namespace: &str, name: &str, annotations: BTreeMap<String, String>) -> Result<(), OpError> {
        let p = self.find_pod(name, namespace).ok_or_else(|| not_found("pods", name))?;
        if self.pods[p].pod.metadata.annotations == annotations {
            return Ok(());
        }
        self.pods[p].pod.metadata.annotations = annotations;
        self.bump_resource_version(p);
        self.kubelet_sees_pod_update(p);
        self.outside_changes += 1;
        Ok(())
    }

    /// Updates a pod as the API server's update does (`ValidatePodUpdate`: first
    /// `ValidateObjectMetaUpdate`, finalizer names and no new finalizer on an object being
    /// deleted; then `spec.activeDeadlineSeconds`, which may be set, or lowered, but not
    /// raised or removed, and the containers' images, which may change but not be empty or
    /// padded); returns whether anything changed (a write). An object being deleted with grace
    /// 0 whose last finalizer goes is removed (`shouldDeleteDuringUpdate`); a new deadline or
    /// image makes the kubelet sync the pod (its spec changed).
    pub fn update_pod(&mut self, namespace: &str, name: &str, update: PodUpdate) -> Result<bool, OpError> {
        let p = self.find_pod(name, namespace).ok_or_else(|| not_found("pods", name))?;
        let meta = &self.pods[p].pod.metadata;
        let old_finalizers = meta.finalizers.clone().unwrap_or_default();
        let new_finalizers = update.finalizers.clone().unwrap_or_else(|| old_finalizers.clone());
        let mut problems = super::field::finalizer_errors(&new_finalizers);
        if meta.deletion.is_some() {
            let mut extra: Vec<String> = new_finalizers.iter().filter(|f| !old_finalizers.contains(f)).cloned().collect();
            podplay_k8s_util::sort::sort(&mut extra);
            extra.dedup();
            if !extra.is_empty() {
                problems.push(super::field::FieldError::at_key(
                    "metadata.finalizers",
                    format!(
                        "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers {}",
                        super::field::go_string_slice(&extra)
                    ),
                ));
            }
        }
        let old_deadline = self.pods[p].pod.spec.active_deadline_seconds;
        let new_deadline = update.active_deadline_seconds.unwrap_or(old_deadline);
        let deadline_path = "spec.activeDeadlineSeconds";
        match (old_deadline, new_deadline) {
            (_, Some(d)) if !(0..=i64::from(i32::MAX)).contains(&d) => problems.push(super::field::FieldError::at_value(
                deadline_path,
                format!("Invalid value: {d}: must be between 0 and 2147483647, inclusive"),
            )),
            (Some(old), Some(d)) if old < d => problems.push(super::field::FieldError::at_value(
                deadline_path,
                format!("Invalid value: {d}: must be less than or equal to previous value"),
            )),
            (Some(_), None) => problems.push(super::field::FieldError::at_value(
                deadline_path,
                "Invalid value: null: must not update from a positive integer to nil value",
            )),
            _ => {}
        }
        let spec = &self.pods[p].pod.spec;
        let old_images = |list: &[crate::model::Container]| list.iter().map(|c| c.image.clone()).collect::<Vec<_>>();
        let new_images = update.container_images.clone().unwrap_or_else(|| old_images(&spec.containers));
        let new_init_images = update.init_container_images.clone().unwrap_or_else(|| old_images(&spec.init_containers));
        for (list, old, new) in [("containers", &spec.containers, &new_images), ("initContainers", &spec.init_containers, &new_init_images)]
        {
            if old.len() != new.len() {
                problems.push(super::field::FieldError::at_key(
                    format!("spec.{list}"),
                    "Forbidden: pod updates may not add or remove containers",
                ));
                continue;
            }
            for (i, image) in new.iter().enumerate() {
                let at = format!("spec.{list}[{i}].image");
                if image.is_empty() {
                    problems.push(super::field::FieldError::at_key(at, "Required value"));
                } else if image.trim() != image {
                    problems.push(super::field::FieldError::at_value(
                        at,
                        format!("Invalid value: {}: must not have leading or trailing whitespace", podplay_k8s_util::gofmt::quote(image)),
                    ));
                }
            }
        }
        if let Some(new_spec) = &update.spec {
            let counts_same =
                new_spec.containers.len() == spec.containers.len() && new_spec.init_containers.len() == spec.init_containers.len();
            if counts_same {
                problems.extend(pod_spec_update_problems(spec, new_spec, self.release())?);
            }
        }
        super::field::InvalidObject::check("Pod", name, problems).map_err(OpError::InvalidObject)?;
        let images_changed = new_images != old_images(&spec.containers) || new_init_images != old_images(&spec.init_containers);
        let new_tolerations = update
            .spec
            .as_ref()
            .map(|s| s.tolerations.clone())
            .filter(|t| serde_json::to_value(t).ok() != serde_json::to_value(&spec.tolerations).ok());
        if new_tolerations.is_some() {
            // The taint eviction controller re-evaluates a pod whose tolerations change on a node
            // with NoExecute taints; podplay does not.
            let tainted = self.pods[p].node.is_some_and(|n| self.nodes[n].node.spec.taints.iter().any(|t| t.effect == "NoExecute"));
            if tainted && !self.pods[p].deleting() {
                return Err(OpError::Rejected(format!(
                    "error: podplay does not simulate the taint eviction controller's re-evaluation of pod {name:?}, whose tolerations change on a node with NoExecute taints"
                )));
            }
        }
        let meta = &self.pods[p].pod.metadata;
        let labels = update.labels.unwrap_or_else(|| meta.labels.clone());
        let annotations = update.annotations.unwrap_or_else(|| meta.annotations.clone());
        if labels == meta.labels
            && annotations == meta.annotations
            && new_finalizers == old_finalizers
            && new_deadline == old_deadline
            && !images_changed
            && new_tolerations.is_none()
        {
            return Ok(false);
        }
        self.outside_changes += 1;
        let labels_changed = labels != meta.labels;
        let metadata_changed = labels_changed || annotations != meta.annotations;
        let meta = &mut self.pods[p].pod.metadata;
        meta.labels = labels;
        meta.annotations = annotations;
        meta.finalizers = (!new_finalizers.is_empty()).then_some(new_finalizers);
        let spec = &mut self.pods[p].pod.spec;
        spec.active_deadline_seconds = new_deadline;
        for (c, image) in spec.containers.iter_mut().zip(new_images) {
            c.image = image;
        }
        for (c, image) in spec.init_containers.iter_mut().zip(new_init_images) {
            c.image = image;
        }
        let tolerations_changed = new_tolerations.is_some();
        if let Some(tolerations) = new_tolerations {
            spec.tolerations = tolerations;
        }
        let meta = &self.pods[p].pod.metadata;
        if !self.pods[p].has_finalizers() && meta.deletion.is_some() && meta.deletion_grace_period_seconds.unwrap_or(0) == 0 {
            // shouldDeleteDuringUpdate: the update is not stored; the object is deleted
            // (deleteWithoutFinalizers), so a watch sees only its deletion.
            self.remove_pod(
                p,
                "its last finalizer was removed: the API server deletes an object being deleted with grace 0 once no finalizer holds it",
            );
            return Ok(true);
        }
        self.bump_resource_version(p);
        if labels_changed {
            self.update_endpoints_for_pod(p);
        }
        if (new_deadline != old_deadline || images_changed) && !self.pods[p].deleting() {
            self.unsteady_pod(p);
            self.request_sync(p, self.now);
        } else if metadata_changed {
            self.kubelet_sees_pod_update(p);
        }
        if tolerations_changed && self.pods[p].node.is_none() {
            // A pod update moves an unschedulable pod back to the scheduler's active queue.
            self.retry_unschedulable();
        }
        Ok(true)
    }

    /// Writes a pod's status through the pods/status subresource (`kubectl patch
    /// --subresource=status`): its conditions, each type not the system's a qualified name
    /// (`validatePodConditions`), and its message and reason; returns whether anything
    /// changed. The kubelet keeps the conditions it does not own; for a pod with readiness gates
    /// it reconciles at once (`HandlePodReconcile`, `NeedToReconcilePodReadiness`), so Ready
    /// follows the gates.
    pub fn update_pod_status(&mut self, namespace: &str, name: &str, update: PodStatusUpdate) -> Result<bool, OpError> {
        let p = self.find_pod(name, namespace).ok_or_else(|| not_found("pods", name))?;
        let mut problems = Vec::new();
        for (i, c) in update.conditions.iter().enumerate() {
            if matches!(c.kind.as_str(), "PodScheduled" | "Ready" | "Initialized") {
                continue;
            }
            for msg in super::field::qualified_name_errors(&c.kind) {
                problems.push(super::field::FieldError::at_value(
                    format!("status.conditions[{i}].Type"),
                    format!("Invalid value: {}: {msg}", podplay_k8s_util::gofmt::quote(&c.kind)),
                ));
            }
        }
        super::field::InvalidObject::check("Pod", name, problems).map_err(OpError::InvalidObject)?;
        let status = &self.pods[p].pod.status;
        if status.conditions == update.conditions && status.message == update.message && status.reason == update.reason {
            return Ok(false);
        }
        self.outside_changes += 1;
        let old = &status.conditions;
        let changes: Vec<super::ConditionChange> = update
            .conditions
            .iter()
            .filter(|c| old.iter().find(|o| o.kind == c.kind).map(|o| &o.status) != Some(&c.status))
            .map(|c| super::ConditionChange::new(&c.kind, &c.status))
            .collect();
        let status = &mut self.pods[p].pod.status;
        status.conditions = update.conditions;
        status.message = update.message;
        status.reason = update.reason;
        if !changes.is_empty() {
            self.record_change(
                format!("pod/{name}"),
                super::ChangeDetail::Conditions { changes },
                "a client wrote the pod's status conditions (the pods/status subresource)",
            );
        }
        // A writer of the status other than the kubelet: its kept status no longer holds.
        self.pods[p].status_inputs = None;
        self.bump_resource_version(p);
        if !self.pods[p].pod.spec.readiness_gates.is_empty() && !self.pods[p].deleting() {
            self.unsteady_pod(p);
            self.request_sync(p, self.now);
        }
        Ok(true)
    }

    /// Sets `spec.unschedulable` of node `name` (cordon and uncordon); returns whether it was
    /// already so.
    pub fn set_unschedulable(&mut self, name: &str, unschedulable: bool) -> Result<bool, OpError> {
        let n = self.find_node(name).ok_or_else(|| not_found("nodes", name))?;
        let was = self.nodes[n].node.spec.unschedulable == Some(true);
        if was != unschedulable {
            self.outside_changes += 1;
        }
        self.nodes[n].node.spec.unschedulable = if unschedulable { Some(true) } else { None };
        self.taint_unschedulable_node(n);
        if !unschedulable {
            self.retry_unschedulable();
        }
        Ok(was == unschedulable)
    }

    /// Cuts node `name`'s kubelet off from the API server (`connected: false`), or restores it.
    pub fn set_node_connected(&mut self, name: &str, connected: bool) -> Result<(), OpError> {
        let n = self.find_node(name).ok_or_else(|| not_found("nodes", name))?;
        self.outside_changes += 1;
        if connected {
            self.reconnect_node(n);
        } else {
            self.disconnect_node(n);
        }
        Ok(())
    }

    /// A Deployment `name` in `namespace` that exists now.
    pub(crate) fn find_deployment(&self, name: &str, namespace: &str) -> Option<usize> {
        self.deployments
            .iter()
            .position(|r| !r.removed && r.deployment.metadata.name == name && r.deployment.metadata.namespace() == namespace)
    }

    fn find_workload(&self, kind: WorkloadKind, namespace: &str, name: &str) -> Result<usize, OpError> {
        let found = match kind {
            WorkloadKind::Deployment => self.find_deployment(name, namespace),
            WorkloadKind::ReplicaSet => self.find_replica_set(name, namespace),
            WorkloadKind::StatefulSet => self.find_stateful_set(name, namespace),
            WorkloadKind::DaemonSet => self.find_daemon_set(name, namespace),
        };
        found.ok_or_else(|| not_found(kind.resource(), name))
    }

    /// `kubectl scale`: sets `spec.replicas` of a Deployment or ReplicaSet.
    pub fn scale_workload(&mut self, kind: WorkloadKind, namespace: &str, name: &str, replicas: i32) -> Result<(), OpError> {
        let i = self.find_workload(kind, namespace, name)?;
        if kind == WorkloadKind::DaemonSet {
            // A DaemonSet has no scale subresource: the PATCH of .../daemonsets/NAME/scale is a 404.
            return Err(OpError::Rejected("Error from server (NotFound): the server could not find the requested resource".into()));
        }
        self.outside_changes += 1;
        match kind {
            WorkloadKind::DaemonSet => unreachable!("refused above"),
            WorkloadKind::ReplicaSet => self.set_replica_set_replicas(i, replicas),
            WorkloadKind::Deployment => self.update_deployment_spec(i, |spec| spec.replicas = Some(replicas)),
            WorkloadKind::StatefulSet => self.set_stateful_set_replicas(i, replicas),
        }
        Ok(())
    }

    /// `kubectl set image`: sets the images of the named containers of a Deployment's or
    /// ReplicaSet's template (`*` for every container); the error names a container it lacks.
    pub fn set_workload_images(
        &mut self,
        kind: WorkloadKind,
        namespace: &str,
        name: &str,
        images: &[(String, String)],
    ) -> Result<bool, OpError> {
        let i = self.find_workload(kind, namespace, name)?;
        let template = match kind {
            WorkloadKind::Deployment => &self.deployments[i].deployment.spec.template,
            WorkloadKind::ReplicaSet => &self.replica_sets[i].rs.spec.template,
            WorkloadKind::StatefulSet => &self.stateful_sets[i].set.spec.template,
            WorkloadKind::DaemonSet => &self.daemon_sets[i].set.spec.template,
        };
        let mut spec = template.spec.clone();
        for (container, image) in images {
            let mut found = false;
            for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()).filter(|c| container == "*" || c.name == *container)
            {
                c.image = image.clone();
                found = true;
            }
            if !found {
                return Err(OpError::Rejected(format!("error: unable to find container named {container:?}")));
            }
        }
        let changed = serde_json::to_value(&spec).ok() != serde_json::to_value(&template.spec).ok();
        if changed {
            self.outside_changes += 1;
            match kind {
                WorkloadKind::Deployment => self.update_deployment_spec(i, |s| s.template.spec = spec),
                WorkloadKind::ReplicaSet => self.set_replica_set_pod_spec(i, spec),
                WorkloadKind::StatefulSet => self.set_stateful_set_pod_spec(i, spec),
                WorkloadKind::DaemonSet => self.set_daemon_set_pod_spec(i, spec),
            }
        }
        Ok(changed)
    }

    /// The Deployment `name` in `namespace` as the API server holds it now.
    pub fn deployment(&self, namespace: &str, name: &str) -> Option<&DeploymentRecord> {
        self.find_deployment(name, namespace).map(|d| &self.deployments[d])
    }

    /// An update of Deployment `name` (`PUT`/`PATCH`): the fields given replace the object's.
    /// Whether anything changed; an update that changes nothing is no write.
    pub fn update_deployment(&mut self, namespace: &str, name: &str, update: DeploymentUpdate) -> Result<bool, OpError> {
        let d = self.find_deployment(name, namespace).ok_or_else(|| not_found("deployments.apps", name))?;
        let changed = self.update_deployment_with(d, |deployment| {
            if let Some(paused) = update.paused {
                deployment.spec.paused = paused;
            }
            if let Some(template) = update.template {
                deployment.spec.template = template;
            }
            if let Some(annotations) = update.annotations {
                deployment.metadata.annotations = annotations;
            }
        });
        if changed {
            self.outside_changes += 1;
        }
        Ok(changed)
    }

    /// An update of a Deployment's spec.
    fn update_deployment_spec(&mut self, d: usize, edit: impl FnOnce(&mut crate::model::apps::DeploymentSpec)) {
        self.update_deployment_with(d, |deployment| edit(&mut deployment.spec));
    }

    /// An update of a Deployment: when its spec or annotations changed the generation moves
    /// (`deploymentStrategy.PrepareForUpdate`: annotations are copied to its ReplicaSets), the
    /// write is logged and the controller told. Whether anything changed.
    pub(crate) fn update_deployment_with(&mut self, d: usize, edit: impl FnOnce(&mut crate::model::Deployment)) -> bool {
        let record = &mut self.deployments[d];
        let before = (serde_json::to_value(&record.deployment.spec).ok(), record.deployment.metadata.annotations.clone());
        edit(&mut record.deployment);
        if before == (serde_json::to_value(&record.deployment.spec).ok(), record.deployment.metadata.annotations.clone()) {
            return false;
        }
        let generation = record.generation() + 1;
        record.deployment.metadata.generation = Some(generation);
        let name = record.name().to_string();
        self.deployments[d].deployment.metadata.resource_version = self.bump_object_version();
        self.log_deployment_write(d);
        self.record_change(
            format!("deployment/{name}"),
            super::ChangeDetail::DeploymentUpdated { generation },
            "the Deployment's spec or annotations changed: its controller scales, starts a rollout or copies the annotations to its new ReplicaSet",
        );
        self.enqueue_deployment(d);
        true
    }

    /// `kubectl delete deployment|rs|statefulset|daemonset` with the propagation policy
    /// `--cascade` chose (`garbage_collector.rs`).
    pub fn delete_workload(&mut self, kind: WorkloadKind, namespace: &str, name: &str, propagation: Propagation) -> Result<(), OpError> {
        let i = self.find_workload(kind, namespace, name)?;
        self.outside_changes += 1;
        let owner = match kind {
            WorkloadKind::ReplicaSet => Owner::ReplicaSet(i),
            WorkloadKind::StatefulSet => Owner::StatefulSet(i),
            WorkloadKind::DaemonSet => Owner::DaemonSet(i),
            WorkloadKind::Deployment => Owner::Deployment(i),
        };
        self.delete_owner(owner, propagation);
        Ok(())
    }

    /// A node that exists now (a deleted node's record stays, unreachable by name).
    pub(crate) fn find_node(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|r| !r.removed && r.node.metadata.name == name)
    }

    pub(crate) fn find_pod(&self, name: &str, namespace: &str) -> Option<usize> {
        self.live_pods.get(&(namespace.to_string(), name.to_string())).copied()
    }
}

/// The API server's words for a refused operation (no client framing).
pub fn op_error_text(e: &OpError) -> String {
    match e {
        OpError::NotFound { resource, name } => format!("{resource} \"{name}\" not found"),
        OpError::AlreadyExists { resource, name } => format!("{resource} \"{name}\" already exists"),
        OpError::Rejected(message) | OpError::BadRequest(message) | OpError::Status { message, .. } => message.clone(),
        OpError::InvalidObject(invalid) => invalid.to_string(),
        OpError::ContainerNotRunning { container } => format!("container not found ({container:?})"),
        OpError::Invalid(diagnostics) => diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("; "),
    }
}

/// One object of a create: an existing one is refused; a new one is created.
fn write_one(
    exists: bool,
    resource: &'static str,
    name: &str,
    create: impl FnOnce() -> Result<(), OpError>,
) -> Result<ApplyAction, OpError> {
    if exists {
        return Err(OpError::AlreadyExists { resource, name: name.to_string() });
    }
    create().map(|()| ApplyAction::Created)
}

/// `ValidatePodUpdate`'s comparison of the whole spec: the new spec with the old images,
/// activeDeadlineSeconds and tolerations (and a terminationGracePeriodSeconds of 1 over a
/// negative one) must be the old spec, else `spec: Forbidden` naming the fields an update may
/// change. The API server adds a go-cmp diff of its internal PodSpec, whose spacing go-cmp
/// makes unstable on purpose; podplay names the fields that differ instead. Tolerations may be
/// added, not changed or removed (`validateOnlyAddedTolerations`).
fn pod_spec_update_problems(
    old: &crate::model::PodSpec,
    new: &crate::model::PodSpec,
    release: &crate::version::Release,
) -> Result<Vec<super::field::FieldError>, OpError> {
    let mut munged = new.clone();
    for (c, o) in munged.containers.iter_mut().zip(&old.containers) {
        c.image = o.image.clone();
    }
    for (c, o) in munged.init_containers.iter_mut().zip(&old.init_containers) {
        c.image = o.image.clone();
    }
    munged.active_deadline_seconds = old.active_deadline_seconds;
    // validateOnlyAddedTolerations: each old toleration is still there (its tolerationSeconds
    // may change).
    let mut problems = Vec::new();
    let json = |t: &crate::model::Toleration| serde_json::to_value(t).unwrap_or_default();
    let kept = old.tolerations.iter().all(|o| {
        new.tolerations.iter().any(|n| {
            let mut o = o.clone();
            o.toleration_seconds = n.toleration_seconds;
            json(&o) == json(n)
        })
    });
    if !kept {
        problems.push(super::field::FieldError::at_key(
            "spec.tolerations",
            "Forbidden: existing toleration can not be modified except its tolerationSeconds",
        ));
    }
    munged.tolerations = old.tolerations.clone();
    if old.termination_grace_period_seconds.is_some_and(|g| g < 0) && munged.termination_grace_period_seconds == Some(1) {
        munged.termination_grace_period_seconds = old.termination_grace_period_seconds;
    }
    let (old_v, new_v) = (serde_json::to_value(old).unwrap_or_default(), serde_json::to_value(&munged).unwrap_or_default());
    if old_v == new_v {
        return Ok(problems);
    }
    let mut fields = Vec::new();
    differing_paths(&old_v, &new_v, "spec", &mut fields);
    problems.push(super::field::FieldError::at_key(
        "spec",
        format!(
            "Forbidden: pod updates may not change fields other than {}\n  (podplay: the API server's go-cmp diff of the spec is not reproduced; the fields that differ: {})",
            release.pod_update_fields,
            fields.join(", ")
        ),
    ));
    Ok(problems)
}

/// The paths (`spec.containers[0].ports`) where two JSON values differ.
fn differing_paths(old: &serde_json::Value, new: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                differing_paths(a.get(k).unwrap_or(&Value::Null), b.get(k).unwrap_or(&Value::Null), &format!("{path}.{k}"), out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differing_paths(x, y, &format!("{path}[{i}]"), out);
            }
        }
        _ => out.push(path.to_string()),
    }
}
