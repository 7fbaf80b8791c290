//! API objects other than the pod as the API server serves them (what `kubectl get KIND -o
//! json` decodes): the stored object, defaulted on create (`engine/setup.rs`, `config_api.rs`),
//! with the status its controller wrote; times as metav1.Time; Go's `omitempty` applied where
//! the Go type has it (`k8s.io/api/apps/v1/types.go`), and the empty structs encoding/json
//! writes anyway (`securityContext: {}`, `resources: {}`).

use serde_json::{json, Map, Value};

use crate::api_json::{api_object_value, convert_times, object_value};
use crate::engine::{CronJobRecord, DaemonSetRecord, DeploymentRecord, JobRecord, NodeRecord, ReplicaSetRecord, StatefulSetRecord};
use crate::model::pod::Opaque;
use crate::model::{ConfigMap, Endpoints, ObjectMeta, Secret, Service};
use crate::version::Release;

/// An `apps/v1` Deployment: spec as defaulted (`SetDefaults_Deployment`), status as the
/// Deployment controller last wrote it.
pub fn deployment_value(record: &DeploymentRecord, release: &Release) -> Value {
    let mut v = api_object_value(&record.deployment, "apps/v1", "Deployment");
    if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
        omit_empty(spec, &["minReadySeconds", "paused"]);
        template_value(spec, release);
    }
    // DeploymentStatus: every field `omitempty`.
    let status = status_value(
        &record.status,
        &[
            "observedGeneration",
            "replicas",
            "updatedReplicas",
            "readyReplicas",
            "availableReplicas",
            "unavailableReplicas",
            "conditions",
            "collisionCount",
        ],
    );
    v["status"] = status;
    v
}

/// An `apps/v1` ReplicaSet: status `replicas` is written even at 0 (no `omitempty`), the
/// other counts only when set.
pub fn replica_set_value(record: &ReplicaSetRecord, release: &Release) -> Value {
    let mut v = api_object_value(&record.rs, "apps/v1", "ReplicaSet");
    if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
        omit_empty(spec, &["minReadySeconds"]);
        template_value(spec, release);
    }
    v["status"] = status_value(&record.status, &["fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration"]);
    v
}

/// A `v1` ConfigMap: its `data` and `binaryData` as stored.
pub fn config_map_value(cm: &ConfigMap) -> Value {
    object_value(cm, "ConfigMap")
}

/// A `v1` Namespace: `spec.finalizers` the API server sets (`kubernetes`), `status.phase`.
pub fn namespace_value(record: &crate::engine::NamespaceRecord) -> Value {
    let mut v = object_value(&record.namespace, "Namespace");
    v["spec"] = json!({ "finalizers": ["kubernetes"] });
    v["status"] = json!({ "phase": record.phase() });
    v
}

/// A `v1` Secret: `data` base64 (`stringData` merged into it on create), `type` defaulted to
/// `Opaque` (SetDefaults_Secret).
pub fn secret_value(secret: &Secret) -> Value {
    object_value(secret, "Secret")
}

/// A status struct as JSON, times converted, the `omitempty` fields dropped when empty.
fn status_value<T: serde::Serialize>(status: &T, omit_when_empty: &[&str]) -> Value {
    let mut v = serde_json::to_value(status).unwrap_or(Value::Null);
    convert_times(&mut v);
    if let Some(map) = v.as_object_mut() {
        omit_empty(map, omit_when_empty);
        if let Some(Value::Array(conditions)) = map.get_mut("conditions") {
            // The conditions' `reason` and `message` are `omitempty` too.
            for c in conditions.iter_mut().filter_map(Value::as_object_mut) {
                omit_empty(c, &["reason", "message"]);
            }
        }
    }
    v
}

/// encoding/json's `omitempty`: a zero number, false, "", null, an empty list or map is left out.
fn omit_empty(map: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        let empty = match map.get(*key) {
            Some(Value::Null) => true,
            Some(Value::Bool(b)) => !b,
            Some(Value::Number(n)) => n.as_f64() == Some(0.0),
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            Some(Value::Object(o)) => o.is_empty(),
            None => false,
        };
        if empty {
            map.remove(*key);
        }
    }
}

/// A workload's `spec.template` as served: its metadata's zero `creationTimestamp` (a
/// non-pointer metav1.Time, written as `null` until 1.34's `omitzero`, kubernetes#130989)
/// and its pod spec's empty structs.
fn template_value(spec: &mut Map<String, Value>, release: &Release) {
    let Some(template) = spec.get_mut("template").and_then(Value::as_object_mut) else { return };
    template_meta_value(template, release);
    if let Some(pod_spec) = template.get_mut("spec").and_then(Value::as_object_mut) {
        pod_spec_empty_structs(pod_spec);
    }
}

/// A template's (`PodTemplateSpec`, `JobTemplateSpec`) non-pointer `metadata`.
fn template_meta_value(template: &mut Map<String, Value>, release: &Release) {
    let meta = template.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
    if let Some(meta) = meta.as_object_mut() {
        // The model's creation time of a template is no API field; its `name` is `omitempty`.
        meta.remove("creation");
        omit_empty(meta, &["name"]);
        if release.template_creation_timestamp_null {
            meta.insert("creationTimestamp".into(), Value::Null);
        }
    }
}

/// What encoding/json writes for the pod spec's structs left empty: the `securityContext`
/// SetDefaults_PodSpec sets to `&PodSecurityContext{}`, and each container's non-pointer
/// `resources` (`omitempty` does not omit a struct).
pub(crate) fn pod_spec_empty_structs(spec: &mut Map<String, Value>) {
    spec.entry("securityContext").or_insert_with(|| Value::Object(Map::new()));
    for list in ["containers", "initContainers"] {
        if let Some(Value::Array(containers)) = spec.get_mut(list) {
            for c in containers.iter_mut().filter_map(Value::as_object_mut) {
                c.entry("resources").or_insert_with(|| Value::Object(Map::new()));
            }
        }
    }
}

/// A `v1` Service as the API server stores it: SetDefaults_Service's `type`, `sessionAffinity`
/// and ports, the allocator's `clusterIP(s)` and single-stack IPv4 families, the
/// `internalTrafficPolicy` default (ServiceInternalTrafficPolicy, on from 1.22) and an empty
/// `status.loadBalancer`. Err names what podplay does not model: node ports (NodePort,
/// LoadBalancer), ExternalName, and the dual-stack defaults of a headless Service with no
/// selector.
pub fn service_value(svc: &Service) -> Result<Value, String> {
    let spec = &svc.spec;
    let kind = spec.kind.as_deref().unwrap_or("ClusterIP");
    if kind != "ClusterIP" {
        return Err(format!("a {kind} Service (podplay allocates no node ports and resolves no external names)"));
    }
    let cluster_ip = spec.cluster_ip.clone().unwrap_or_default();
    if cluster_ip == "None" && spec.selector.is_empty() {
        return Err("a headless Service without a selector (its dual-stack family defaults)".into());
    }
    let mut v = object_value(svc, "Service");
    let Some(out) = v.get_mut("spec").and_then(Value::as_object_mut) else { return Ok(v) };
    let given = |field: &Opaque| field.as_deref().and_then(|f| serde_json::to_value(f).ok());
    out.insert("clusterIPs".into(), given(&spec.cluster_ips).unwrap_or_else(|| json!([cluster_ip])));
    out.insert("ipFamilies".into(), given(&spec.ip_families).unwrap_or_else(|| json!(["IPv4"])));
    out.insert("ipFamilyPolicy".into(), given(&spec.ip_family_policy).unwrap_or_else(|| json!("SingleStack")));
    out.insert("internalTrafficPolicy".into(), given(&spec.internal_traffic_policy).unwrap_or_else(|| json!("Cluster")));
    let affinity = given(&spec.session_affinity).unwrap_or_else(|| json!("None"));
    if affinity == "ClientIP" {
        // SetDefaults_Service: DefaultClientIPServiceAffinitySeconds, three hours.
        out.insert("sessionAffinityConfig".into(), json!({"clientIP": {"timeoutSeconds": 10800}}));
    }
    out.insert("sessionAffinity".into(), affinity);
    for (key, field) in [
        ("externalIPs", &spec.external_i_ps),
        ("loadBalancerIP", &spec.load_balancer_ip),
        ("trafficDistribution", &spec.traffic_distribution),
    ] {
        if let Some(value) = given(field) {
            out.insert(key.into(), value);
        }
    }
    if let Some(Value::Array(ports)) = out.get_mut("ports") {
        for (port, model) in ports.iter_mut().zip(&spec.ports) {
            if let (Some(port), Some(app)) = (port.as_object_mut(), given(&model.app_protocol)) {
                port.insert("appProtocol".into(), app);
            }
        }
    }
    v["status"] = json!({"loadBalancer": {}});
    Ok(v)
}

/// An `apps/v1` StatefulSet: SetDefaults_StatefulSet's spec (with the release's
/// `persistentVolumeClaimRetentionPolicy` and `maxUnavailable` defaults), and the status the
/// controller writes: `replicas` and `availableReplicas` always, `collisionCount` as the
/// pointer it sets, the rest `omitempty`.
pub fn stateful_set_value(record: &StatefulSetRecord, release: &Release) -> Value {
    let mut v = api_object_value(&record.set, "apps/v1", "StatefulSet");
    if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
        omit_empty(spec, &["minReadySeconds", "volumeClaimTemplates"]);
        if release.sts_pvc_retention_policy {
            spec.entry("persistentVolumeClaimRetentionPolicy").or_insert_with(|| json!({"whenDeleted": "Retain", "whenScaled": "Retain"}));
        }
        let rolling = spec.get_mut("updateStrategy").and_then(|s| s.get_mut("rollingUpdate")).and_then(Value::as_object_mut);
        if let (true, Some(rolling)) = (release.sts_max_unavailable_default, rolling) {
            rolling.entry("maxUnavailable").or_insert_with(|| json!(1));
        }
        template_value(spec, release);
    }
    let omitted =
        ["observedGeneration", "readyReplicas", "currentReplicas", "updatedReplicas", "currentRevision", "updateRevision", "conditions"];
    v["status"] = status_value(&record.status, &omitted);
    v
}

/// An `apps/v1` DaemonSet: SetDefaults_DaemonSet's spec, the status the controller writes
/// (the four scheduling counts always, the rest `omitempty`).
pub fn daemon_set_value(record: &DaemonSetRecord, release: &Release) -> Value {
    let mut v = api_object_value(&record.set, "apps/v1", "DaemonSet");
    if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
        omit_empty(spec, &["minReadySeconds"]);
        template_value(spec, release);
    }
    v["status"] = status_value(&record.status, &["observedGeneration", "updatedNumberScheduled", "numberAvailable", "numberUnavailable"]);
    v
}

/// A `batch/v1` Job: SetDefaults_Job's spec as stored on create (`engine/job_api.rs`), with the
/// release's later defaults (`podReplacementPolicy` and `manualSelector: false` from 1.29), and
/// the status the Job controller last wrote.
pub fn job_value(record: &JobRecord, release: &Release) -> Value {
    let mut v = api_object_value(&record.job, "batch/v1", "Job");
    if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
        job_spec_value(spec, release);
    }
    v["status"] = job_status_value(&record.status, release);
    v
}

/// A Job's spec (or a CronJob's `jobTemplate.spec`) as served: the defaults SetDefaults_Job adds
/// by release and the template's.
fn job_spec_value(spec: &mut Map<String, Value>, release: &Release) {
    if release.job_pod_replacement_policy {
        // TerminatingOrFailed: podplay's Jobs have no podFailurePolicy (which makes it Failed).
        spec.entry("podReplacementPolicy").or_insert_with(|| json!("TerminatingOrFailed"));
    }
    if release.job_manual_selector_default {
        spec.entry("manualSelector").or_insert(Value::Bool(false));
    }
    template_value(spec, release);
}

/// `batch/v1` JobStatus: every field `omitempty`; `ready` and `terminating` are pointers, so a
/// 0 the controller wrote shows; `uncountedTerminatedPods`, a pointer the controller sets to
/// an empty struct when it tracks pods with finalizers (1.25+), shows as `{}` once it wrote
/// the status (podplay counts a finished pod in the same write, so no uid waits there).
fn job_status_value(status: &crate::model::JobStatus, release: &Release) -> Value {
    let written = *status != crate::model::JobStatus::default();
    let mut v = status_value(
        status,
        &["conditions", "startTime", "completionTime", "active", "succeeded", "failed", "completedIndexes", "ready", "terminating"],
    );
    if let Some(map) = v.as_object_mut() {
        for (key, value) in [("ready", status.ready), ("terminating", status.terminating)] {
            if let Some(n) = value {
                map.insert(key.into(), json!(n));
            }
        }
        if release.job_tracking_finalizers && written {
            map.insert("uncountedTerminatedPods".into(), json!({}));
        }
    }
    v
}

/// A `batch/v1` CronJob: SetDefaults_CronJob's spec (`engine/cronjob.rs`) with its
/// `jobTemplate` as stored (its pod template defaulted, the Job spec around it not: no
/// SetDefaults_Job there), and the status the CronJob controller last wrote: `active` as
/// object references, the times, all `omitempty`.
pub fn cron_job_value(record: &CronJobRecord, release: &Release) -> Value {
    let mut v = api_object_value(&record.cron_job, "batch/v1", "CronJob");
    let job_template = v.get_mut("spec").and_then(|s| s.get_mut("jobTemplate")).and_then(Value::as_object_mut);
    if let Some(job_template) = job_template {
        template_meta_value(job_template, release);
        if let Some(spec) = job_template.get_mut("spec").and_then(Value::as_object_mut) {
            template_value(spec, release);
        }
    }
    let s = &record.status;
    let mut status = Map::new();
    if !s.active.is_empty() {
        let namespace = record.cron_job.metadata.namespace();
        let refs = s.active.iter().map(|a| {
            json!({"apiVersion": "batch/v1", "kind": "Job", "name": a.name, "namespace": namespace, "resourceVersion": a.resource_version, "uid": a.uid})
        });
        status.insert("active".into(), Value::Array(refs.collect()));
    }
    if let Some(t) = s.last_schedule_time {
        status.insert("lastScheduleTime".into(), json!(crate::api_json::rfc3339(t)));
    }
    if let Some(t) = s.last_successful_time {
        status.insert("lastSuccessfulTime".into(), json!(crate::api_json::rfc3339(t)));
    }
    v["status"] = Value::Object(status);
    v
}

/// metav1.MicroTime as JSON: RFC3339 with six fractional digits.
fn micro_time(t: crate::clock::Millis) -> String {
    let mut s = crate::api_json::rfc3339(t);
    s.pop();
    format!("{s}.{:06}Z", (t % 1000) * 1000)
}

/// A `v1` Event as the API serves it (`kubectl get events -o yaml`): the legacy recorder's
/// (`source`, `firstTimestamp`/`lastTimestamp`, `count`) or the events.k8s.io recorder's read
/// through core/v1 (`eventTime`, `series`, `action`, an empty `source`, null timestamps);
/// `reportingComponent`/`reportingInstance` are written even when empty (no `omitempty`).
/// Left out: the metadata's `uid` and `resourceVersion` (podplay's event store draws no uids
/// and its writes take no versions: giving them some would move every other object's) and
/// `involvedObject.resourceVersion` where the recorder's copy of the object is not known
/// (`Event::involved_resource_version`).
pub fn event_value(e: &crate::model::Event) -> Value {
    let o = &e.involved_object;
    let mut involved = Map::new();
    involved.insert("apiVersion".into(), json!(o.api_version));
    if let Some(fp) = &o.field_path {
        involved.insert("fieldPath".into(), json!(fp));
    }
    involved.insert("kind".into(), json!(o.kind));
    involved.insert("name".into(), json!(o.name));
    if !o.namespace.is_empty() {
        involved.insert("namespace".into(), json!(o.namespace));
    }
    if let Some(rv) = &e.involved_resource_version {
        involved.insert("resourceVersion".into(), json!(rv));
    }
    involved.insert("uid".into(), json!(o.uid));
    let mut source = Map::new();
    if !e.source_component.is_empty() {
        source.insert("component".into(), json!(e.source_component));
    }
    if !e.source_host.is_empty() {
        source.insert("host".into(), json!(e.source_host));
    }
    let time = |t: Option<crate::clock::Millis>| t.map_or(Value::Null, |t| json!(crate::api_json::rfc3339(t)));
    let mut v = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": e.name, "namespace": e.namespace, "creationTimestamp": crate::api_json::rfc3339(e.created_at)},
        "involvedObject": involved,
        "reason": e.reason,
        "message": e.message,
        "source": source,
        "firstTimestamp": time(e.first_timestamp),
        "lastTimestamp": time(e.last_timestamp),
        "type": e.kind,
        "eventTime": e.event_time.map_or(Value::Null, |t| json!(micro_time(t))),
        "reportingComponent": e.reporting_controller,
        "reportingInstance": e.reporting_instance,
    });
    if e.count > 0 {
        v["count"] = json!(e.count);
    }
    if !e.action.is_empty() {
        v["action"] = json!(e.action);
    }
    if let Some(s) = &e.series {
        v["series"] = json!({"count": s.count, "lastObservedTime": micro_time(s.last_observed_time)});
    }
    v
}

/// The metadata of the Endpoints object for `svc`: the Service's labels, as the endpoints
/// controller copies them, plus `service.kubernetes.io/headless` for a headless Service; the API
/// server's own (`kubernetes`) carries only `endpointslice.kubernetes.io/skip-mirror=true` (its
/// endpoints reconciler sets it).
pub fn endpoints_meta(e: &Endpoints, svc: Option<&Service>) -> ObjectMeta {
    let mut meta = ObjectMeta { name: e.name.clone(), namespace: Some(e.namespace.clone()), creation: e.creation, ..Default::default() };
    if crate::engine::is_api_server_service(&meta) {
        meta.labels.insert("endpointslice.kubernetes.io/skip-mirror".into(), "true".into());
    } else if let Some(svc) = svc {
        meta.labels = svc.metadata.labels.clone();
        if svc.spec.cluster_ip.as_deref().is_none_or(|ip| ip.is_empty() || ip == "None") {
            meta.labels.insert("service.kubernetes.io/headless".into(), String::new());
        }
    }
    meta
}

/// A `v1` Endpoints object as the endpoints controller (or, for `kubernetes`, the API server's
/// reconciler) writes it: `subsets` (`omitempty`), each address with the pod's `nodeName`,
/// `hostname` (a pod whose subdomain is the Service) and `targetRef` (kind, namespace, name,
/// uid: `podToEndpointAddressForService` sets no resourceVersion there), the ports, and the
/// `endpoints.kubernetes.io/last-change-trigger-time` annotation of the controller's last
/// write (`engine/controllers.rs` `track_endpoints_write`, RFC 3339 of whole seconds). Left
/// out: the object's `uid` and `resourceVersion` (podplay derives the object from its Service
/// and pods; it is stored nowhere, so no uid is drawn and no write takes a version).
pub fn endpoints_value(e: &Endpoints, svc: Option<&Service>) -> Value {
    let mut meta = endpoints_meta(e, svc);
    if let Some(t) = e.last_change_trigger_time {
        meta.annotations.insert("endpoints.kubernetes.io/last-change-trigger-time".into(), crate::api_json::rfc3339(t));
    }
    let mut v = api_object_value(&json!({"metadata": meta}), "v1", "Endpoints");
    let address = |a: &crate::model::EndpointAddress| {
        let mut out = Map::new();
        out.insert("ip".into(), json!(a.ip));
        if let Some(h) = &a.hostname {
            out.insert("hostname".into(), json!(h));
        }
        if !a.target_pod.is_empty() {
            out.insert("nodeName".into(), json!(a.node_name));
            out.insert("targetRef".into(), json!({"kind": "Pod", "name": a.target_pod, "namespace": e.namespace, "uid": a.target_uid}));
        }
        Value::Object(out)
    };
    let subsets: Vec<Value> = e
        .subsets
        .iter()
        .map(|s| {
            let mut out = Map::new();
            if !s.addresses.is_empty() {
                out.insert("addresses".into(), s.addresses.iter().map(address).collect());
            }
            if !s.not_ready_addresses.is_empty() {
                out.insert("notReadyAddresses".into(), s.not_ready_addresses.iter().map(address).collect());
            }
            let ports = s.ports.iter().map(|p| {
                let mut port = json!({"port": p.port, "protocol": p.protocol});
                if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
                    port["name"] = json!(name);
                }
                port
            });
            out.insert("ports".into(), ports.collect());
            Value::Object(out)
        })
        .collect();
    if !subsets.is_empty() {
        v["subsets"] = Value::Array(subsets);
    }
    v
}

/// The kubelet's port, `status.daemonEndpoints.kubeletEndpoint.Port` (`--port`'s default).
const KUBELET_PORT: u16 = 10250;

/// A `v1` Node as its kubelet and the control plane keep it: the metadata podplay's nodes
/// carry (the kubelet's labels, the TTL and attach/detach annotations), the spec (the podCIDR
/// the node IPAM controller gave it, taints with the node controller's `timeAdded`, cordon's
/// `unschedulable`), and the status (addresses, capacity and allocatable as canonical
/// quantities, the conditions with their heartbeat times, the kubelet endpoint, nodeInfo).
/// Left out where podplay does not know it: the object's `resourceVersion` (node status writes
/// take none), `status.images` (the runtime keeps no digests, and a node image's preloaded
/// images are not modelled), `runtimeHandlers` and `features` (1.30+/1.31+: what the container
/// runtime reports), and `nodeInfo.swap`.
pub fn node_value(rec: &NodeRecord, release: &Release) -> Value {
    let node = &rec.node;
    let mut v = api_object_value(&json!({"metadata": node.metadata}), "v1", "Node");
    let mut spec = Map::new();
    if let Some(cidr) = &node.spec.pod_cidr {
        spec.insert("podCIDR".into(), json!(cidr));
        spec.insert("podCIDRs".into(), json!([cidr]));
    }
    if !node.spec.taints.is_empty() {
        let taints = node.spec.taints.iter().map(|t| {
            let mut taint = json!({"effect": t.effect, "key": t.key});
            if let Some(value) = t.value.as_deref().filter(|v| !v.is_empty()) {
                taint["value"] = json!(value);
            }
            if let Some(at) = t.time_added {
                taint["timeAdded"] = json!(crate::api_json::rfc3339(at));
            }
            taint
        });
        spec.insert("taints".into(), taints.collect());
    }
    if node.spec.unschedulable == Some(true) {
        spec.insert("unschedulable".into(), Value::Bool(true));
    }
    v["spec"] = Value::Object(spec);
    let quantities = |list: &std::collections::BTreeMap<String, crate::model::Quantity>| -> Map<String, Value> {
        list.iter().map(|(resource, q)| (resource.clone(), json!(q.canonical()))).collect()
    };
    let conditions = node.conditions.iter().map(|c| {
        let mut condition = json!({
            "lastHeartbeatTime": crate::api_json::rfc3339(c.last_heartbeat_time),
            "lastTransitionTime": crate::api_json::rfc3339(c.last_transition_time),
            "status": c.status,
            "type": c.kind,
        });
        for (key, text) in [("reason", &c.reason), ("message", &c.message)] {
            if !text.is_empty() {
                condition[key] = json!(text);
            }
        }
        condition
    });
    let info = &rec.info;
    let kube_proxy_version = if release.node_kube_proxy_version { info.kubelet_version.as_str() } else { "" };
    v["status"] = json!({
        "addresses": [
            {"address": rec.internal_ip, "type": "InternalIP"},
            {"address": node.metadata.name, "type": "Hostname"},
        ],
        "allocatable": quantities(&node.status.allocatable),
        "capacity": quantities(&node.status.capacity),
        "daemonEndpoints": {"kubeletEndpoint": {"Port": KUBELET_PORT}},
        "nodeInfo": {
            "architecture": "amd64",
            "bootID": info.boot_id,
            "containerRuntimeVersion": info.container_runtime_version,
            "kernelVersion": info.kernel_version,
            "kubeProxyVersion": kube_proxy_version,
            "kubeletVersion": info.kubelet_version,
            "machineID": info.machine_id,
            "operatingSystem": "linux",
            "osImage": info.os_image,
            "systemUUID": info.system_uuid,
        },
    });
    let conditions: Vec<Value> = conditions.collect();
    if !conditions.is_empty() {
        v["status"]["conditions"] = Value::Array(conditions);
    }
    v
}
