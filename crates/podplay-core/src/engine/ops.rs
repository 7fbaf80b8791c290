//! Operations on the cluster from outside the simulation: what an API client asks of the API
//! server (create, delete, update labels, cordon) and of a kubelet (exec), plus the lab's own
//! cut and restore of a node's connection. Each runs at `now()` and answers with a typed result
//! or a typed [`OpError`]; none prints anything: the kubectl crate parses command lines into
//! these calls and turns their results into kubectl's text.

use std::collections::BTreeMap;

use super::cri::ExecResult;
use super::Engine;
use crate::model::{Pod, Step};
use crate::source::{load, Diagnostic, Object, SourceFile};

/// Why an operation was refused, as the API server (or the kubelet) would say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpError {
    /// No `resource` (plural, e.g. `pods`) named `name` exists.
    NotFound { resource: &'static str, name: String },
    /// A `create` of an object that exists.
    AlreadyExists { resource: &'static str, name: String },
    /// The API server refused the object; the message says why.
    Rejected(String),
    /// An exec into a container that is not running (the kubelet finds no container).
    ContainerNotRunning { container: String },
    /// A manifest that does not load.
    Invalid(Vec<Diagnostic>),
}

/// The kinds of object an apply or create can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Pod,
    Service,
    Node,
    Image,
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
    /// `apply` of an object that exists: left as it is.
    Unchanged,
}

/// Whether a write creates only (`create`) or creates what is missing (`apply`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    Create,
    Apply,
}

/// The object a label update is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelTarget {
    Pod { namespace: String, name: String },
    Node { name: String },
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
        Ok(self.cri.exec_sync(self.now, inst.handle, argv, None))
    }

    /// Deletes a pod through the API: graceful deletion sets deletionTimestamp and the kubelet
    /// stops the containers within the grace period; an immediate one removes the object now.
    pub fn delete_pod_named(&mut self, namespace: &str, name: &str, how: Deletion) -> Result<(), OpError> {
        let p = self.find_pod(name, namespace).ok_or_else(|| not_found("pods", name))?;
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

    /// Evicts a pod (the eviction API, as `kubectl drain` uses it): a deletion with the pod's
    /// own grace period.
    pub fn evict_pod(&mut self, namespace: &str, name: &str) -> Result<(), OpError> {
        let p = self.find_pod(name, namespace).ok_or_else(|| not_found("pods", name))?;
        self.delete_pod(p, None, false);
        Ok(())
    }

    /// Deletes a Node object (no grace period): pods bound to it stay until the pod garbage
    /// collector removes them.
    pub fn delete_node_named(&mut self, name: &str) -> Result<(), OpError> {
        let n = self.find_node(name).ok_or_else(|| not_found("nodes", name))?;
        self.delete_node(n);
        Ok(())
    }

    /// Creates the objects of a manifest (`create`), or those missing (`apply`).
    pub fn write_objects(&mut self, mode: WriteMode, manifest: &str) -> Result<Vec<Applied>, OpError> {
        let manifests = load(&[SourceFile { name: "manifest".into(), text: manifest.to_string() }]).map_err(OpError::Invalid)?;
        let mut out = Vec::new();
        for (object, _) in std::rc::Rc::unwrap_or_clone(manifests.objects) {
            let (kind, name, outcome) = match object {
                Object::Pod(pod) => {
                    let name = pod.metadata.name.clone();
                    let exists = self.find_pod(&name, pod.metadata.namespace()).is_some();
                    (ObjectKind::Pod, name.clone(), write_one(mode, exists, "pods", &name, || self.add_pod(*pod)))
                }
                Object::Service(svc) => {
                    let name = svc.metadata.name.clone();
                    let exists = self.find_service(&name, svc.metadata.namespace()).is_some();
                    (ObjectKind::Service, name.clone(), write_one(mode, exists, "services", &name, || self.add_service(*svc)))
                }
                Object::Node(node) => {
                    let name = node.metadata.name.clone();
                    self.add_node(*node);
                    self.retry_unschedulable();
                    (ObjectKind::Node, name, Ok(ApplyAction::Created))
                }
                Object::Image(image) => {
                    let outcome = self.cri.register_image(&image).map(|()| ApplyAction::Created).map_err(OpError::Rejected);
                    (ObjectKind::Image, image.metadata.name.clone(), outcome)
                }
                Object::Scenario(_) => continue,
            };
            out.push(Applied { kind, name, outcome });
        }
        Ok(out)
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
        match target {
            LabelTarget::Pod { namespace, name } => {
                let p = self.find_pod(name, namespace).ok_or_else(|| not_found("pods", name))?;
                self.pods[p].pod.metadata.labels = labels;
                self.bump_resource_version(p);
                self.update_endpoints_for_pod(p);
            }
            LabelTarget::Node { name } => {
                let n = self.find_node(name).ok_or_else(|| not_found("nodes", name))?;
                self.nodes[n].node.metadata.labels = labels;
                self.retry_unschedulable();
            }
        }
        Ok(())
    }

    /// Sets `spec.unschedulable` of node `name` (cordon and uncordon); returns whether it was
    /// already so.
    pub fn set_unschedulable(&mut self, name: &str, unschedulable: bool) -> Result<bool, OpError> {
        let n = self.find_node(name).ok_or_else(|| not_found("nodes", name))?;
        let was = self.nodes[n].node.spec.unschedulable == Some(true);
        self.nodes[n].node.spec.unschedulable = if unschedulable { Some(true) } else { None };
        if !unschedulable {
            self.retry_unschedulable();
        }
        Ok(was == unschedulable)
    }

    /// Cuts node `name`'s kubelet off from the API server (`connected: false`), or restores it.
    pub fn set_node_connected(&mut self, name: &str, connected: bool) -> Result<(), OpError> {
        let n = self.find_node(name).ok_or_else(|| not_found("nodes", name))?;
        if connected {
            self.reconnect_node(n);
        } else {
            self.disconnect_node(n);
        }
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

/// One object of a create or apply: an existing one is left as it is (`apply`) or refused
/// (`create`); a new one is created.
fn write_one(
    mode: WriteMode,
    exists: bool,
    resource: &'static str,
    name: &str,
    create: impl FnOnce() -> Result<(), OpError>,
) -> Result<ApplyAction, OpError> {
    match (exists, mode) {
        (true, WriteMode::Create) => Err(OpError::AlreadyExists { resource, name: name.to_string() }),
        (true, WriteMode::Apply) => Ok(ApplyAction::Unchanged),
        (false, _) => create().map(|()| ApplyAction::Created),
    }
}
