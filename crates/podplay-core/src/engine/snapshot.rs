//! The whole cluster at `now()` as plain data, for the page's inspector: every pod's API object
//! (as `kubectl get pod -o json` prints it) plus what the kubelet keeps beside it (each probe
//! worker's counters and next tick), the endpoints of every Service, the nodes' conditions and
//! taints, the events the API server holds, and the timeline of changes with their causes.
//!
//! Times outside the pod objects are virtual milliseconds since the objects were created (the
//! pod objects carry RFC 3339 strings, as the API serves them).

use serde::Serialize;

use super::objects::ContainerKey;
use super::prober::worker::ProbeKind;
use super::{Change, Engine};
use crate::clock::Millis;
use crate::model::{EndpointAddress, EndpointPort, Event, NodeCondition, Taint};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterState {
    /// The virtual time of this state, ms.
    pub at: Millis,
    /// The Kubernetes release reproduced (`"1.36"`).
    pub release: &'static str,
    /// Pods that exist now, in creation order.
    pub pods: Vec<PodState>,
    /// Nodes that exist now (a deleted Node is gone).
    pub nodes: Vec<NodeState>,
    pub services: Vec<ServiceState>,
    /// Events as the API server holds them now, in creation order.
    pub events: Vec<Event>,
    /// Every change up to now, in order, each with the rule that caused it.
    pub changes: Vec<Change>,
    /// Set when a limit stopped the simulation before `at`.
    pub halted: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodState {
    pub name: String,
    pub namespace: String,
    /// The API object, spec and status, exactly as `kubectl get pod NAME -o json` shows it.
    pub object: serde_json::Value,
    /// The kubelet's private state per container of the spec: init containers first, then
    /// app containers, each in spec order.
    pub containers: Vec<ContainerState>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerState {
    pub name: String,
    /// `init`, `sidecar` (an init container with restartPolicy Always) or `app`.
    pub kind: &'static str,
    /// One entry per probe the container declares (liveness, readiness, startup order).
    pub probes: Vec<ProbeState>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeState {
    /// `liveness`, `readiness` or `startup`.
    pub kind: &'static str,
    /// The published result for the current container instance: `success`, `failure` or
    /// `unknown` (not probed yet, or no worker yet).
    pub result: &'static str,
    /// The run of equal attempt results that the thresholds count (only one is non-zero).
    pub consecutive_successes: i32,
    pub consecutive_failures: i32,
    pub success_threshold: i32,
    pub failure_threshold: i32,
    pub period_seconds: i32,
    pub initial_delay_seconds: i32,
    pub timeout_seconds: i32,
    /// When the worker's next tick is due; `None` once it stopped (pod terminating or gone).
    pub next_probe_at: Option<Millis>,
    /// When a probe last actually ran.
    pub last_probe_at: Option<Millis>,
    pub last_failure: Option<ProbeFailure>,
    /// Paused until the container restarts (after a liveness failure or startup result).
    pub on_hold: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeFailure {
    pub at: Millis,
    /// The probe's output (what the `Unhealthy` event quotes after `probe failed: `).
    pub output: String,
    /// The probe could not run at all (`probe errored`): such attempts count for nothing.
    pub errored: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeState {
    pub name: String,
    /// The Ready condition's status: `True`, `False` or `Unknown`.
    pub ready: String,
    /// The kubelet is still posting status (false after `podplay node disconnect`).
    pub kubelet_reporting: bool,
    pub unschedulable: bool,
    #[serde(rename = "internalIP")]
    pub internal_ip: String,
    pub conditions: Vec<NodeCondition>,
    pub taints: Vec<Taint>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceState {
    pub name: String,
    pub namespace: String,
    #[serde(rename = "clusterIP")]
    pub cluster_ip: Option<String>,
    pub publish_not_ready_addresses: bool,
    /// The Endpoints object's `addresses` (traffic goes here).
    pub addresses: Vec<EndpointAddress>,
    /// `notReadyAddresses`: matching pods whose Ready condition is not True.
    pub not_ready_addresses: Vec<EndpointAddress>,
    pub ports: Vec<EndpointPort>,
}

fn kind_name(kind: ProbeKind) -> &'static str {
    match kind {
        ProbeKind::Liveness => "liveness",
        ProbeKind::Readiness => "readiness",
        ProbeKind::Startup => "startup",
    }
}

impl Engine {
    /// The full state at `now()`.
    pub fn state(&self) -> ClusterState {
        let pods = (0..self.pods.len()).filter(|&p| !self.pods[p].removed).map(|p| self.pod_state(p)).collect();
        let nodes = self
            .nodes
            .iter()
            .filter(|r| !r.removed)
            .map(|r| NodeState {
                name: r.node.metadata.name.clone(),
                ready: r.node.conditions.iter().find(|c| c.kind == "Ready").map_or_else(|| r.ready.clone(), |c| c.status.clone()),
                kubelet_reporting: r.connected,
                unschedulable: r.node.spec.unschedulable == Some(true),
                internal_ip: r.internal_ip.clone(),
                conditions: r.node.conditions.clone(),
                taints: r.node.spec.taints.clone(),
            })
            .collect();
        let endpoints = self.build_endpoints();
        let services = self
            .services
            .iter()
            .map(|svc| {
                let ep = endpoints.iter().find(|e| e.name == svc.metadata.name && e.namespace == svc.metadata.namespace());
                let subset = ep.and_then(|e| e.subsets.first());
                ServiceState {
                    name: svc.metadata.name.clone(),
                    namespace: svc.metadata.namespace().to_string(),
                    cluster_ip: svc.spec.cluster_ip.clone(),
                    publish_not_ready_addresses: svc.spec.publish_not_ready_addresses == Some(true),
                    addresses: subset.map(|s| s.addresses.clone()).unwrap_or_default(),
                    not_ready_addresses: subset.map(|s| s.not_ready_addresses.clone()).unwrap_or_default(),
                    ports: subset.map(|s| s.ports.clone()).unwrap_or_default(),
                }
            })
            .collect();
        ClusterState {
            at: self.now,
            release: self.release.name,
            pods,
            nodes,
            services,
            events: self.events(),
            changes: self.timeline.clone(),
            halted: self.halted.clone(),
        }
    }

    fn pod_state(&self, p: usize) -> PodState {
        let rec = &self.pods[p];
        let containers = rec
            .keys()
            .into_iter()
            .map(|key| {
                let spec = rec.spec_container(key);
                let kind = match (key.init, spec.is_sidecar()) {
                    (true, true) => "sidecar",
                    (true, false) => "init",
                    _ => "app",
                };
                let probes = [ProbeKind::Liveness, ProbeKind::Readiness, ProbeKind::Startup]
                    .into_iter()
                    .filter_map(|kind| self.probe_state(p, key, kind))
                    .collect();
                ContainerState { name: spec.name.clone(), kind, probes }
            })
            .collect();
        PodState {
            name: rec.name().to_string(),
            namespace: rec.namespace().to_string(),
            object: crate::api_json::pod_value(&rec.pod),
            containers,
        }
    }

    fn probe_state(&self, p: usize, key: ContainerKey, kind: ProbeKind) -> Option<ProbeState> {
        let rec = &self.pods[p];
        let spec = rec.spec_container(key);
        let probe = match kind {
            ProbeKind::Liveness => spec.liveness_probe.as_ref(),
            ProbeKind::Readiness => spec.readiness_probe.as_ref(),
            ProbeKind::Startup => spec.startup_probe.as_ref(),
        }?;
        let worker = rec.record(key).probes.iter().find(|w| w.kind == kind);
        let current = rec.record(key).current().map(|i| i.handle);
        let result = match worker {
            Some(w) if w.probed_container().is_some() && w.probed_container() == current => match w.result {
                Some(true) => "success",
                Some(false) => "failure",
                None => "unknown",
            },
            _ => "unknown",
        };
        let (consecutive_successes, consecutive_failures) = worker.map_or((0, 0), |w| w.consecutive());
        Some(ProbeState {
            kind: kind_name(kind),
            result,
            consecutive_successes,
            consecutive_failures,
            success_threshold: probe.success_threshold().max(1),
            failure_threshold: probe.failure_threshold().max(1),
            period_seconds: probe.period_seconds().max(1),
            initial_delay_seconds: probe.initial_delay_seconds(),
            timeout_seconds: probe.timeout_seconds().max(1),
            next_probe_at: worker.filter(|w| !w.stopped && !rec.removed).and_then(|w| w.next_at),
            last_probe_at: worker.and_then(|w| w.last_probe_at),
            last_failure: worker.and_then(|w| w.last_failure.clone()).map(|(at, output, errored)| ProbeFailure { at, output, errored }),
            on_hold: worker.is_some_and(|w| w.on_hold()),
        })
    }
}
