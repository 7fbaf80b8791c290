//! The API server's side of `kubectl apply` of an object that exists: the object as a client
//! reads it (its API JSON, which kubectl's three-way merge diffs against, and its stored form,
//! which the merge's patch is applied to) and the update that writes the patched object back,
//! through the typed update of its kind, with the API server's update validation. The merge
//! itself is kubectl's (`podplay-kubectl`'s `apply.rs`).

use serde_json::Value;

use super::ops::{ObjectKind, OpError, PodUpdate};
use super::Engine;
use crate::model::ObjectMeta;
use crate::source::Object;

/// An object as a client reads it.
#[derive(Debug, Clone)]
pub struct StoredObject {
    /// What the API server serves (`-o json`): defaults, status, server-filled metadata.
    pub api: Value,
    /// The stored object in the model's own form (no status), onto which a patch applies.
    pub stored: Value,
}

fn stored_value<T: serde::Serialize>(object: &T) -> Value {
    let mut v = serde_json::to_value(object).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.remove("status");
    }
    v
}

/// The kind, namespace and name of an object a manifest carries.
pub fn object_key(object: &Object) -> Option<(ObjectKind, String, String)> {
    if let Some((kind, meta)) = super::ops::namespaced(object) {
        return Some((kind, meta.namespace().to_string(), meta.name.clone()));
    }
    match object {
        Object::Namespace(ns) => Some((ObjectKind::Namespace, String::new(), ns.metadata.name.clone())),
        Object::Node(n) => Some((ObjectKind::Node, String::new(), n.metadata.name.clone())),
        Object::Image(i) => Some((ObjectKind::Image, String::new(), i.metadata.name.clone())),
        _ => None,
    }
}

/// The object of `kind` a stored form (a patched one) describes.
pub fn object_from_stored(kind: ObjectKind, mut value: Value) -> Result<Object, String> {
    // The times the engine keeps (of the object and of its templates) are its own, never a
    // client's.
    fn strip_times(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(meta)) = m.get_mut("metadata") {
                    for key in ["creation", "deletion", "deletionGracePeriodSeconds"] {
                        meta.remove(key);
                    }
                }
                m.values_mut().for_each(strip_times);
            }
            Value::Array(items) => items.iter_mut().for_each(strip_times),
            _ => {}
        }
    }
    strip_times(&mut value);
    if kind == ObjectKind::Node {
        if let Value::Object(m) = &mut value {
            m.remove("conditions");
        }
    }
    fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<Box<T>, String> {
        serde_json::from_value(value).map(Box::new).map_err(|e| e.to_string())
    }
    Ok(match kind {
        ObjectKind::Pod => Object::Pod(typed(value)?),
        ObjectKind::Service => Object::Service(typed(value)?),
        ObjectKind::ReplicaSet => Object::ReplicaSet(typed(value)?),
        ObjectKind::Deployment => Object::Deployment(typed(value)?),
        ObjectKind::Job => Object::Job(typed(value)?),
        ObjectKind::CronJob => Object::CronJob(typed(value)?),
        ObjectKind::ConfigMap => Object::ConfigMap(typed(value)?),
        ObjectKind::Secret => Object::Secret(typed(value)?),
        ObjectKind::StatefulSet => Object::StatefulSet(typed(value)?),
        ObjectKind::DaemonSet => Object::DaemonSet(typed(value)?),
        ObjectKind::PodDisruptionBudget => Object::PodDisruptionBudget(typed(value)?),
        ObjectKind::Namespace => Object::Namespace(typed(value)?),
        ObjectKind::Node => Object::Node(typed(value)?),
        ObjectKind::Image => Object::Image(typed(value)?),
    })
}

/// The API kind's name, as update errors name it.
pub fn kind_name(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Pod => "Pod",
        ObjectKind::Service => "Service",
        ObjectKind::Node => "Node",
        ObjectKind::Image => "Image",
        ObjectKind::ReplicaSet => "ReplicaSet",
        ObjectKind::Deployment => "Deployment",
        ObjectKind::Job => "Job",
        ObjectKind::CronJob => "CronJob",
        ObjectKind::ConfigMap => "ConfigMap",
        ObjectKind::Secret => "Secret",
        ObjectKind::StatefulSet => "StatefulSet",
        ObjectKind::DaemonSet => "DaemonSet",
        ObjectKind::PodDisruptionBudget => "PodDisruptionBudget",
        ObjectKind::Namespace => "Namespace",
    }
}

/// The top-level fields (`spec.replicas`, `data`) where two stored forms differ, outside
/// `metadata`.
fn changed_fields(old: &Value, new: &Value) -> Vec<String> {
    fn walk(old: &Value, new: &Value, path: &str, depth: usize, out: &mut Vec<String>) {
        if old == new {
            return;
        }
        match (old, new) {
            (Value::Object(a), Value::Object(b)) if depth < 2 => {
                let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    if path.is_empty() && (k == "metadata" || k == "apiVersion" || k == "kind" || k == "status") {
                        continue;
                    }
                    let child = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    walk(a.get(k).unwrap_or(&Value::Null), b.get(k).unwrap_or(&Value::Null), &child, depth + 1, out);
                }
            }
            _ => out.push(path.to_string()),
        }
    }
    let mut out = Vec::new();
    walk(old, new, "", 0, &mut out);
    out
}

/// Refuses an update whose object, once the fields podplay simulates an update of are taken
/// from `live` (`rest`), still differs from `live`: the fields that differ are named.
fn only_simulated_changes<T: serde::Serialize>(kind: ObjectKind, name: &str, live: &T, rest: &T) -> Result<(), OpError> {
    let fields = changed_fields(&stored_value(live), &stored_value(rest));
    if fields.is_empty() {
        Ok(())
    } else {
        Err(unsimulated(kind, name, &fields))
    }
}

fn unsimulated(kind: ObjectKind, name: &str, fields: &[String]) -> OpError {
    OpError::Rejected(format!(
        "error: podplay does not simulate an update of a {}'s {} (the {} {name:?} is left as it was); delete it and create it again, or change its metadata only",
        kind_name(kind),
        fields.join(", "),
        kind_name(kind)
    ))
}

/// `desired`'s labels and annotations on a copy of `live`'s metadata (the fields the server
/// owns stay the server's).
fn merged_meta(live: &ObjectMeta, desired: &ObjectMeta) -> ObjectMeta {
    let mut meta = live.clone();
    meta.labels = desired.labels.clone();
    meta.annotations = desired.annotations.clone();
    meta
}

impl Engine {
    /// The object of `kind` named `name` (in `namespace`, for a namespaced kind) as a client
    /// reads it, if it exists.
    pub fn stored_object(&self, kind: ObjectKind, namespace: &str, name: &str) -> Option<StoredObject> {
        use crate::api_json::api_object_value;
        use crate::api_objects as api;
        let release = self.release();
        Some(match kind {
            ObjectKind::Pod => {
                let pod = self.pod(namespace, name)?;
                StoredObject { api: crate::api_json::pod_value(pod), stored: stored_value(pod) }
            }
            ObjectKind::Deployment => {
                let r = &self.deployments[self.find_deployment(name, namespace)?];
                StoredObject { api: api::deployment_value(r, release), stored: stored_value(&r.deployment) }
            }
            ObjectKind::ReplicaSet => {
                let r = &self.replica_sets[self.find_replica_set(name, namespace)?];
                StoredObject { api: api::replica_set_value(r, release), stored: stored_value(&r.rs) }
            }
            ObjectKind::StatefulSet => {
                let r = &self.stateful_sets[self.find_stateful_set(name, namespace)?];
                StoredObject { api: api::stateful_set_value(r, release), stored: stored_value(&r.set) }
            }
            ObjectKind::DaemonSet => {
                let r = &self.daemon_sets[self.find_daemon_set(name, namespace)?];
                StoredObject { api: api::daemon_set_value(r, release), stored: stored_value(&r.set) }
            }
            ObjectKind::Service => {
                let s = &self.services[self.find_service(name, namespace)?];
                let api = api::service_value(s).unwrap_or_else(|_| crate::api_json::object_value(s, "Service"));
                StoredObject { api, stored: stored_value(s) }
            }
            ObjectKind::ConfigMap => {
                let c = self.find_config_map(name, namespace)?;
                StoredObject { api: api::config_map_value(c), stored: stored_value(c) }
            }
            ObjectKind::Secret => {
                let s = self.find_secret(name, namespace)?;
                StoredObject { api: api::secret_value(s), stored: stored_value(s) }
            }
            ObjectKind::Job => {
                let r = &self.jobs[self.find_job(name, namespace)?];
                StoredObject { api: api_object_value(&r.job, "batch/v1", "Job"), stored: stored_value(&r.job) }
            }
            ObjectKind::CronJob => {
                let r = &self.cron_jobs[self.find_cron_job(name, namespace)?];
                StoredObject { api: api_object_value(&r.cron_job, "batch/v1", "CronJob"), stored: stored_value(&r.cron_job) }
            }
            ObjectKind::PodDisruptionBudget => {
                let r = &self.pdbs[self.find_pdb(name, namespace)?];
                StoredObject { api: crate::api_json::pdb_value(r), stored: stored_value(&r.pdb) }
            }
            ObjectKind::Namespace => {
                let r = self.find_namespace(name)?;
                StoredObject { api: api::namespace_value(r), stored: stored_value(&r.namespace) }
            }
            ObjectKind::Node => {
                let node = &self.nodes[self.find_node(name)?].node;
                // The conditions the node controller keeps are the status's, not a client's.
                let without_conditions = |mut v: Value| {
                    if let Value::Object(m) = &mut v {
                        m.remove("conditions");
                    }
                    v
                };
                StoredObject {
                    api: without_conditions(crate::api_json::object_value(node, "Node")),
                    stored: without_conditions(stored_value(node)),
                }
            }
            ObjectKind::Image => return None,
        })
    }

    /// The update of an object that exists to `desired` (the patched object a client sends):
    /// the typed update of its kind, validated as the API server validates an update. Whether
    /// anything changed. A Pod takes the fields `ValidatePodUpdate` lets change; a Deployment
    /// its labels, annotations and whole spec but its selector; a ReplicaSet, StatefulSet or
    /// DaemonSet its replicas and its template's pod spec; a Service its selector; a
    /// PodDisruptionBudget its spec; a ConfigMap or Secret its data (pods that mount it see
    /// the change at their next sync); a Job neither its template nor its selector (`field is immutable`); every kind its
    /// labels and annotations. Any other change is refused with a podplay error naming the kind.
    pub fn update_object(&mut self, desired: Object) -> Result<bool, OpError> {
        match desired {
            Object::Pod(mut pod) => {
                // The server defaults the patched object before it validates it.
                super::setup::apply_template_defaults(&mut pod.spec);
                super::setup::add_default_toleration_seconds(&mut pod.spec);
                let name = pod.metadata.name.clone();
                let update = PodUpdate {
                    labels: Some(pod.metadata.labels.clone()),
                    annotations: Some(pod.metadata.annotations.clone()),
                    finalizers: Some(pod.metadata.finalizers.clone().unwrap_or_default()),
                    active_deadline_seconds: Some(pod.spec.active_deadline_seconds),
                    container_images: Some(pod.spec.containers.iter().map(|c| c.image.clone()).collect()),
                    init_container_images: Some(pod.spec.init_containers.iter().map(|c| c.image.clone()).collect()),
                    spec: Some(pod.spec),
                };
                self.update_pod(pod.metadata.namespace(), &name, update)
            }
            Object::Deployment(d) => self.update_whole_deployment(*d),
            Object::ReplicaSet(mut rs) => {
                super::setup::apply_template_defaults(&mut rs.spec.template.spec);
                let i = self
                    .find_replica_set(&rs.metadata.name, rs.metadata.namespace())
                    .ok_or_else(|| not_found("replicasets.apps", &rs.metadata.name))?;
                let live = self.replica_sets[i].rs.clone();
                update_problems(
                    "ReplicaSet",
                    &live.metadata.name,
                    super::setup::validate_replica_set(&rs),
                    live.spec.selector.as_ref(),
                    rs.spec.selector.as_ref(),
                )?;
                let mut rest = (*rs).clone();
                rest.spec.replicas = live.spec.replicas;
                rest.spec.template.spec = live.spec.template.spec.clone();
                rest.metadata = live.metadata.clone();
                only_simulated_changes(ObjectKind::ReplicaSet, &live.metadata.name, &live, &rest)?;
                let mut changed = self.set_meta(ObjectKind::ReplicaSet, i, &rs.metadata);
                if rs.spec.replicas != live.spec.replicas {
                    self.set_replica_set_replicas(i, rs.spec.replicas.unwrap_or(1));
                    changed = true;
                }
                if stored_value(&rs.spec.template.spec) != stored_value(&live.spec.template.spec) {
                    self.set_replica_set_pod_spec(i, rs.spec.template.spec);
                    changed = true;
                }
                if changed {
                    self.outside_changes += 1;
                }
                Ok(changed)
            }
            Object::StatefulSet(mut set) => {
                super::setup::apply_template_defaults(&mut set.spec.template.spec);
                let i = self
                    .find_stateful_set(&set.metadata.name, set.metadata.namespace())
                    .ok_or_else(|| not_found("statefulsets.apps", &set.metadata.name))?;
                let live = self.stateful_sets[i].set.clone();
                // The selector is one of the fields ValidateStatefulSetUpdate's Forbidden covers,
                // which podplay refuses below with its own words.
                update_problems("StatefulSet", &live.metadata.name, super::statefulset_api::validate_stateful_set(&set), None, None)?;
                let mut rest = (*set).clone();
                rest.spec.replicas = live.spec.replicas;
                rest.spec.template.spec = live.spec.template.spec.clone();
                rest.metadata = live.metadata.clone();
                only_simulated_changes(ObjectKind::StatefulSet, &live.metadata.name, &live, &rest)?;
                let mut changed = self.set_meta(ObjectKind::StatefulSet, i, &set.metadata);
                if set.spec.replicas != live.spec.replicas {
                    self.set_stateful_set_replicas(i, set.spec.replicas.unwrap_or(1));
                    changed = true;
                }
                if stored_value(&set.spec.template.spec) != stored_value(&live.spec.template.spec) {
                    self.set_stateful_set_pod_spec(i, set.spec.template.spec);
                    changed = true;
                }
                if changed {
                    self.outside_changes += 1;
                }
                Ok(changed)
            }
            Object::DaemonSet(mut set) => {
                super::setup::apply_template_defaults(&mut set.spec.template.spec);
                let i = self
                    .find_daemon_set(&set.metadata.name, set.metadata.namespace())
                    .ok_or_else(|| not_found("daemonsets.apps", &set.metadata.name))?;
                let live = self.daemon_sets[i].set.clone();
                update_problems(
                    "DaemonSet",
                    &live.metadata.name,
                    super::daemonset_api::validate_daemon_set(&set),
                    live.spec.selector.as_ref(),
                    set.spec.selector.as_ref(),
                )?;
                let mut rest = (*set).clone();
                rest.spec.template.spec = live.spec.template.spec.clone();
                rest.metadata = live.metadata.clone();
                only_simulated_changes(ObjectKind::DaemonSet, &live.metadata.name, &live, &rest)?;
                let mut changed = self.set_meta(ObjectKind::DaemonSet, i, &set.metadata);
                if stored_value(&set.spec.template.spec) != stored_value(&live.spec.template.spec) {
                    self.set_daemon_set_pod_spec(i, set.spec.template.spec);
                    changed = true;
                }
                if changed {
                    self.outside_changes += 1;
                }
                Ok(changed)
            }
            Object::Service(svc) => {
                let name = svc.metadata.name.clone();
                let s = self.find_service(&name, svc.metadata.namespace()).ok_or_else(|| not_found("services", &name))?;
                let live = self.services[s].clone();
                let mut rest = (*svc).clone();
                rest.spec.selector = live.spec.selector.clone();
                rest.metadata = live.metadata.clone();
                only_simulated_changes(ObjectKind::Service, &name, &live, &rest)?;
                let mut changed = self.set_meta(ObjectKind::Service, s, &svc.metadata);
                if svc.spec.selector != live.spec.selector {
                    // The endpoints controller selects again; kube-proxy follows.
                    self.services[s].spec.selector = svc.spec.selector;
                    self.services[s].metadata.resource_version = self.bump_object_version();
                    self.resync_service_endpoints(s);
                    changed = true;
                }
                if changed {
                    self.outside_changes += 1;
                }
                Ok(changed)
            }
            Object::PodDisruptionBudget(pdb) => {
                let name = pdb.metadata.name.clone();
                let namespace = pdb.metadata.namespace().to_string();
                let b = self.find_pdb(&name, &namespace).ok_or_else(|| not_found("poddisruptionbudgets.policy", &name))?;
                let live = self.pdbs[b].pdb.clone();
                let mut rest = (*pdb).clone();
                rest.spec = live.spec.clone();
                rest.metadata = live.metadata.clone();
                only_simulated_changes(ObjectKind::PodDisruptionBudget, &name, &live, &rest)?;
                let spec_changed = pdb.spec != live.spec;
                if spec_changed {
                    // Validated first: a refused update writes nothing.
                    self.update_pdb_spec(&namespace, &name, pdb.spec.clone())?;
                }
                let meta_changed = self.set_meta(ObjectKind::PodDisruptionBudget, b, &pdb.metadata);
                if meta_changed && !spec_changed {
                    self.outside_changes += 1;
                }
                Ok(spec_changed || meta_changed)
            }
            Object::Node(node) => {
                // An update of a node's main resource keeps its status (the kubelet's); podplay
                // takes its labels, annotations and spec.unschedulable.
                let name = node.metadata.name.clone();
                let n = self.find_node(&name).ok_or_else(|| not_found("nodes", &name))?;
                let live = self.nodes[n].node.clone();
                let mut rest = (*node).clone();
                rest.metadata = live.metadata.clone();
                rest.spec.unschedulable = live.spec.unschedulable;
                rest.status = live.status.clone();
                rest.conditions = live.conditions.clone();
                only_simulated_changes(ObjectKind::Node, &name, &live, &rest)?;
                let mut changed = false;
                if node.metadata.labels != live.metadata.labels {
                    self.set_labels(&super::ops::LabelTarget::Node { name: name.clone() }, node.metadata.labels.clone())?;
                    changed = true;
                }
                if node.metadata.annotations != live.metadata.annotations {
                    self.nodes[n].node.metadata.annotations = node.metadata.annotations.clone();
                    self.outside_changes += 1;
                    changed = true;
                }
                if node.spec.unschedulable.unwrap_or(false) != live.spec.unschedulable.unwrap_or(false) {
                    self.set_unschedulable(&name, node.spec.unschedulable == Some(true))?;
                    changed = true;
                }
                Ok(changed)
            }
            Object::ConfigMap(cm) => self.update_config_map(*cm),
            Object::Secret(secret) => self.update_secret(*secret),
            Object::Job(mut job) => {
                // ValidateJobUpdate: the pod template (and the selector) may not change.
                super::setup::apply_template_defaults(&mut job.spec.template.spec);
                let name = job.metadata.name.clone();
                let j = self.find_job(&name, job.metadata.namespace()).ok_or_else(|| not_found("jobs.batch", &name))?;
                let live = &self.jobs[j].job;
                let mut problems = Vec::new();
                if job.spec.selector != live.spec.selector {
                    let selector = job.spec.selector.as_ref().map_or_else(|| "null".to_string(), super::field::go_label_selector);
                    problems
                        .push(super::field::FieldError::at_key("spec.selector", format!("Invalid value: {selector}: field is immutable")));
                }
                if template_value(&job.spec.template) != template_value(&live.spec.template) {
                    problems.push(super::field::FieldError::at_key(
                        "spec.template",
                        "Invalid value: (podplay: the API server prints the internal core.PodTemplateSpec here, with %#v's pointer addresses): field is immutable",
                    ));
                }
                super::field::InvalidObject::check("Job", &name, problems).map_err(OpError::InvalidObject)?;
                self.update_metadata_only(Object::Job(job))
            }
            other => self.update_metadata_only(other),
        }
    }

    /// An update that may change only the object's labels and annotations (a Job's, once its
    /// immutable fields are checked, a CronJob's or a Namespace's: their other updates podplay
    /// does not simulate).
    fn update_metadata_only(&mut self, desired: Object) -> Result<bool, OpError> {
        let Some((kind, namespace, name)) = object_key(&desired) else {
            return Err(OpError::Rejected("error: podplay's Scenario is not an object of the cluster".into()));
        };
        let (i, live) = match &desired {
            Object::Job(_) => {
                let i = self.find_job(&name, &namespace).ok_or_else(|| not_found("jobs.batch", &name))?;
                (i, stored_value(&self.jobs[i].job))
            }
            Object::CronJob(_) => {
                let i = self.find_cron_job(&name, &namespace).ok_or_else(|| not_found("cronjobs.batch", &name))?;
                (i, stored_value(&self.cron_jobs[i].cron_job))
            }
            Object::Namespace(_) => {
                let i = self.namespaces.iter().position(|r| r.namespace.metadata.name == name);
                let i = i.ok_or_else(|| not_found("namespaces", &name))?;
                (i, stored_value(&self.namespaces[i].namespace))
            }
            _ => {
                return Err(OpError::Rejected(format!(
                    "error: podplay does not simulate an update of a {} by kubectl apply",
                    kind_name(kind)
                )))
            }
        };
        let desired_value = desired_object_body(&desired);
        let fields = changed_fields(&live, &desired_value);
        if !fields.is_empty() {
            return Err(unsimulated(kind, &name, &fields));
        }
        let meta = object_meta(&desired).clone();
        let changed = self.set_meta(kind, i, &meta);
        if changed {
            self.outside_changes += 1;
        }
        Ok(changed)
    }

    /// Writes `desired`'s labels and annotations onto object `i` of `kind`; whether they changed
    /// (a write: the resourceVersion moves).
    fn set_meta(&mut self, kind: ObjectKind, i: usize, desired: &ObjectMeta) -> bool {
        let meta = match kind {
            ObjectKind::ReplicaSet => &mut self.replica_sets[i].rs.metadata,
            ObjectKind::StatefulSet => &mut self.stateful_sets[i].set.metadata,
            ObjectKind::DaemonSet => &mut self.daemon_sets[i].set.metadata,
            ObjectKind::Service => &mut self.services[i].metadata,
            ObjectKind::ConfigMap => &mut self.config_maps[i].metadata,
            ObjectKind::Secret => &mut self.secrets[i].metadata,
            ObjectKind::Job => &mut self.jobs[i].job.metadata,
            ObjectKind::CronJob => &mut self.cron_jobs[i].cron_job.metadata,
            ObjectKind::PodDisruptionBudget => &mut self.pdbs[i].pdb.metadata,
            ObjectKind::Namespace => &mut self.namespaces[i].namespace.metadata,
            ObjectKind::Pod | ObjectKind::Deployment | ObjectKind::Node | ObjectKind::Image => return false,
        };
        if meta.labels == desired.labels && meta.annotations == desired.annotations {
            return false;
        }
        *meta = merged_meta(meta, desired);
        let version = self.bump_object_version();
        let meta = match kind {
            ObjectKind::ReplicaSet => &mut self.replica_sets[i].rs.metadata,
            ObjectKind::StatefulSet => &mut self.stateful_sets[i].set.metadata,
            ObjectKind::DaemonSet => &mut self.daemon_sets[i].set.metadata,
            ObjectKind::Service => &mut self.services[i].metadata,
            ObjectKind::ConfigMap => &mut self.config_maps[i].metadata,
            ObjectKind::Secret => &mut self.secrets[i].metadata,
            ObjectKind::Job => &mut self.jobs[i].job.metadata,
            ObjectKind::CronJob => &mut self.cron_jobs[i].cron_job.metadata,
            ObjectKind::PodDisruptionBudget => &mut self.pdbs[i].pdb.metadata,
            ObjectKind::Namespace => &mut self.namespaces[i].namespace.metadata,
            ObjectKind::Pod | ObjectKind::Deployment | ObjectKind::Node | ObjectKind::Image => return true,
        };
        meta.resource_version = version;
        true
    }

    /// A Deployment's update (`deploymentStrategy.ValidateUpdate`): the new object defaulted and
    /// validated as on create, its selector immutable in apps/v1; its labels, annotations and
    /// spec written through the Deployment's update (generation, the controller).
    fn update_whole_deployment(&mut self, mut desired: crate::model::Deployment) -> Result<bool, OpError> {
        let name = desired.metadata.name.clone();
        let d = self.find_deployment(&name, desired.metadata.namespace()).ok_or_else(|| not_found("deployments.apps", &name))?;
        super::setup::apply_deployment_defaults(&mut desired);
        let live = &self.deployments[d].deployment;
        let mut problems = match super::setup::validate_deployment(&desired) {
            Ok(()) => Vec::new(),
            Err(invalid) => invalid.errors,
        };
        if desired.spec.selector != live.spec.selector {
            let selector = desired.spec.selector.as_ref().map_or_else(|| "null".to_string(), super::field::go_label_selector);
            problems.push(super::field::FieldError::at_key("spec.selector", format!("Invalid value: {selector}: field is immutable")));
        }
        super::field::InvalidObject::check("Deployment", &name, problems).map_err(OpError::InvalidObject)?;
        let labels_changed = desired.metadata.labels != live.metadata.labels;
        let changed = self.update_deployment_with(d, |deployment| {
            deployment.metadata.labels = desired.metadata.labels.clone();
            deployment.metadata.annotations = desired.metadata.annotations.clone();
            deployment.spec = desired.spec;
        });
        if !changed && labels_changed {
            // Labels alone: a write, not a new generation.
            self.deployments[d].deployment.metadata.labels = desired.metadata.labels;
            self.deployments[d].deployment.metadata.resource_version = self.bump_object_version();
            self.log_deployment_write(d);
        }
        if changed || labels_changed {
            self.outside_changes += 1;
        }
        Ok(changed || labels_changed)
    }
}

/// An update's validation: the new object validated as on create, then (apps/v1) its selector
/// immutable (`ValidateImmutableField`'s `field is immutable`).
fn update_problems(
    kind: &'static str,
    name: &str,
    validated: Result<(), super::field::InvalidObject>,
    old: Option<&crate::model::apps::LabelSelector>,
    new: Option<&crate::model::apps::LabelSelector>,
) -> Result<(), OpError> {
    let mut problems = validated.err().map(|invalid| invalid.errors).unwrap_or_default();
    if old != new {
        let selector = new.map_or_else(|| "null".to_string(), super::field::go_label_selector);
        problems.push(super::field::FieldError::at_key("spec.selector", format!("Invalid value: {selector}: field is immutable")));
    }
    super::field::InvalidObject::check(kind, name, problems).map_err(OpError::InvalidObject)
}

/// A pod template's stored form without its metadata's server-set times.
fn template_value(template: &crate::model::PodTemplateSpec) -> Value {
    let mut v = stored_value(template);
    if let Some(Value::Object(meta)) = v.get_mut("metadata") {
        meta.remove("creation");
    }
    v
}

fn not_found(resource: &'static str, name: &str) -> OpError {
    OpError::NotFound { resource, name: name.to_string() }
}

/// The metadata of any object a manifest carries, to change.
pub fn object_meta_mut(object: &mut Object) -> &mut ObjectMeta {
    match object {
        Object::Pod(x) => &mut x.metadata,
        Object::Service(x) => &mut x.metadata,
        Object::Node(x) => &mut x.metadata,
        Object::Scenario(x) => &mut x.metadata,
        Object::Image(x) => &mut x.metadata,
        Object::ReplicaSet(x) => &mut x.metadata,
        Object::Deployment(x) => &mut x.metadata,
        Object::Job(x) => &mut x.metadata,
        Object::CronJob(x) => &mut x.metadata,
        Object::ConfigMap(x) => &mut x.metadata,
        Object::Secret(x) => &mut x.metadata,
        Object::Namespace(x) => &mut x.metadata,
        Object::StatefulSet(x) => &mut x.metadata,
        Object::DaemonSet(x) => &mut x.metadata,
        Object::PodDisruptionBudget(x) => &mut x.metadata,
    }
}

fn object_meta(object: &Object) -> &ObjectMeta {
    match object {
        Object::Pod(x) => &x.metadata,
        Object::Service(x) => &x.metadata,
        Object::Node(x) => &x.metadata,
        Object::Scenario(x) => &x.metadata,
        Object::Image(x) => &x.metadata,
        Object::ReplicaSet(x) => &x.metadata,
        Object::Deployment(x) => &x.metadata,
        Object::Job(x) => &x.metadata,
        Object::CronJob(x) => &x.metadata,
        Object::ConfigMap(x) => &x.metadata,
        Object::Secret(x) => &x.metadata,
        Object::Namespace(x) => &x.metadata,
        Object::StatefulSet(x) => &x.metadata,
        Object::DaemonSet(x) => &x.metadata,
        Object::PodDisruptionBudget(x) => &x.metadata,
    }
}

/// The object's serde value (its body, whatever its kind).
fn desired_object_body(object: &Object) -> Value {
    match object {
        Object::Pod(x) => stored_value(x),
        Object::Service(x) => stored_value(x),
        Object::Node(x) => stored_value(x),
        Object::Scenario(x) => stored_value(x),
        Object::Image(x) => stored_value(x),
        Object::ReplicaSet(x) => stored_value(x),
        Object::Deployment(x) => stored_value(x),
        Object::Job(x) => stored_value(x),
        Object::CronJob(x) => stored_value(x),
        Object::ConfigMap(x) => stored_value(x),
        Object::Secret(x) => stored_value(x),
        Object::Namespace(x) => stored_value(x),
        Object::StatefulSet(x) => stored_value(x),
        Object::DaemonSet(x) => stored_value(x),
        Object::PodDisruptionBudget(x) => stored_value(x),
    }
}
