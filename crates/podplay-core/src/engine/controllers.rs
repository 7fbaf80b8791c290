//! The control-plane controllers besides the scheduler: endpoints (reference §9), node
//! lifecycle and taint eviction (§5.3), and the Service environment variables the kubelet
//! injects (`pkg/kubelet/envvars`).

use std::collections::BTreeMap;

use super::{Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::{EndpointAddress, EndpointPort, EndpointSubset, Endpoints, IntOrString, NodeCondition, Taint};

/// The conditions a kubelet reports, in its order, with their healthy values
/// (`pkg/kubelet/nodestatus/setters.go`).
const NODE_CONDITIONS: [(&str, &str, &str, &str); 4] = [
    ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
];

/// One pod's entry in a Service's endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EndpointMember {
    pub address: EndpointAddress,
    /// The endpoint's `hostname`: the pod's `spec.hostname` when its `spec.subdomain` names
    /// this Service (a StatefulSet's pods), which cluster DNS answers under the Service's name.
    pub hostname: Option<String>,
    pub ready: bool,
    pub ports: Vec<EndpointPort>,
}

/// The endpoints controller's state: per Service (by index), the pods in its endpoints, keyed
/// by pod index; and the kubelet's Service environment variables per namespace, cached.
#[derive(Default)]
pub(crate) struct EndpointsState {
    members: Vec<BTreeMap<usize, EndpointMember>>,
    /// Per Service (by index), the trigger-time tracker behind its Endpoints'
    /// `endpoints.kubernetes.io/last-change-trigger-time`.
    triggers: Vec<TriggerTracker>,
    /// `service_env_cached`: by (namespace, number of Services, enableServiceLinks).
    env_cache: std::cell::RefCell<rustc_hash::FxHashMap<(String, usize, bool), std::rc::Rc<Vec<(String, String)>>>>,
    /// (writes tracked, pods the tracker looked at), for the test of its work.
    #[cfg(test)]
    pub(crate) tracked: (u64, u64),
}

/// The endpoints controller's `TriggerTimeTracker` state for one Service
/// (`pkg/controller/util/endpoint/trigger_time_tracker.go`).
#[derive(Default)]
pub(crate) struct TriggerTracker {
    /// The Service was synced once (its creation counted).
    known: bool,
    /// Each pod's Ready transition time as last seen, by pod name.
    pod_times: rustc_hash::FxHashMap<String, Millis>,
    /// The trigger time the last write of its Endpoints carried.
    annotation: Option<Millis>,
    /// Pods in the endpoints whose status changed without a write of them (their entry stayed
    /// the same): the only ones besides the pod of a write whose Ready time may have moved since
    /// the tracker last looked (every other one's is as it saw it). So a write looks at these
    /// and its pod, not at every pod of a Service of thousands.
    unseen: std::collections::BTreeSet<usize>,
}

/// The node lifecycle controller's state: whether its monitor pass is queued.
#[derive(Default)]
pub(crate) struct NodeLifecycleState {
    monitor_scheduled: bool,
}

/// The node lifecycle controller checks node health every `--node-monitor-period` (5 s).
const NODE_MONITOR_PERIOD_MS: Millis = 5 * SECOND;
/// The kubelet posts node status every 10 s; the last heartbeat before a disconnect is this old.
const NODE_STATUS_UPDATE_MS: Millis = 10 * SECOND;
/// DefaultTolerationSeconds admission adds 300 s tolerations for not-ready/unreachable.
pub(crate) const DEFAULT_TOLERATION_SECONDS: i64 = 300;

/// `services[API_SERVER_SERVICE]` is the `kubernetes` Service of the default namespace, which
/// the API server creates for itself (`pkg/controlplane/controller/kubernetesservice`): no
/// selector, its endpoints are the API server's own address, kept by the API server.
pub(crate) const API_SERVER_SERVICE: usize = 0;
const API_SERVER_CLUSTER_IP: &str = "10.96.0.1";
/// The API server's address behind it: a one-node kind cluster's, whose control-plane node is
/// 172.18.0.2 (the default node's address too) with the API server on 6443.
const API_SERVER_ENDPOINT: (&str, i32) = ("172.18.0.2", 6443);

/// Whether `meta` names the API server's Service (`default/kubernetes`).
pub fn is_api_server_service(meta: &crate::model::ObjectMeta) -> bool {
    meta.name == "kubernetes" && meta.namespace() == "default"
}

/// The cluster's resourceVersion before the scenario writes anything.
pub(crate) const INITIAL_RESOURCE_VERSION: u64 = 1000;

/// The `kubernetes` Service as the API server creates it (kubectl shows it in every cluster).
pub(crate) fn api_server_service(seed: u64) -> crate::model::Service {
    use crate::model::service::{ServicePort, ServiceSpec};
    use crate::model::{IntOrString, ObjectMeta, Service};
    // Its UID comes from a generator of its own, so that it takes no draw from the engine's.
    let uid = super::uid_from(&mut podplay_k8s_util::rand::SplitMix64::new(seed ^ 0x6b75_6265_726e_6574));
    Service {
        api_version: "v1".into(),
        kind: "Service".into(),
        metadata: ObjectMeta {
            name: "kubernetes".into(),
            namespace: Some("default".into()),
            labels: [("component", "apiserver"), ("provider", "kubernetes")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            uid,
            // Written before the scenario's first object: the store's version at the start.
            resource_version: Some(INITIAL_RESOURCE_VERSION.to_string()),
            ..Default::default()
        },
        spec: ServiceSpec {
            ports: vec![ServicePort {
                name: Some("https".into()),
                port: 443,
                protocol: Some("TCP".into()),
                target_port: Some(IntOrString::Int(API_SERVER_ENDPOINT.1 as i64)),
                ..Default::default()
            }],
            kind: Some("ClusterIP".into()),
            cluster_ip: Some(API_SERVER_CLUSTER_IP.into()),
            ..Default::default()
        },
        ..Default::default()
    }
}

impl Engine {
    /// The reference the node controller's events carry for node `n`.
    pub(crate) fn node_ref(&self, n: usize) -> crate::model::ObjectReference {
        crate::model::ObjectReference {
            kind: "Node".into(),
            namespace: String::new(),
            name: self.nodes[n].node.metadata.name.clone(),
            uid: self.nodes[n].node.metadata.uid.clone(),
            api_version: "v1".into(),
            field_path: None,
        }
    }

    /// What the endpoints controller would list for pod `p` under Service `s`: `None` when the
    /// pod is not an endpoint at all, else its address and whether it is ready (reference §9).
    fn endpoint_member(&self, s: usize, p: usize) -> Option<EndpointMember> {
        let svc = &self.services[s];
        let rec = &self.pods[p];
        let pod = &rec.pod;
        if svc.spec.selector.is_empty()
            || rec.removed
            || pod.metadata.namespace() != svc.metadata.namespace()
            || !svc.spec.selector.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v))
        {
            return None;
        }
        let ip = pod.status.pod_ip.clone().filter(|_| rec.sandbox_ready_at.is_some_and(|t| t <= self.now))?;
        let publish = svc.spec.publish_not_ready_addresses == Some(true);
        if rec.terminal || (rec.deleting() && !publish) {
            return None;
        }
        let pod_ready = pod.status.condition("Ready").is_some_and(|c| c.status == "True");
        let ports = svc
            .spec
            .ports
            .iter()
            .filter_map(|sp| {
                let port = match &sp.target_port {
                    None => sp.port,
                    Some(IntOrString::Int(n)) => *n as i32,
                    Some(IntOrString::Str(name)) => pod
                        .spec
                        .containers
                        .iter()
                        .flat_map(|c| c.ports.iter())
                        .find(|cp| cp.name.as_deref() == Some(name.as_str()))
                        .map(|cp| cp.container_port)
                        .unwrap_or(0),
                };
                (port > 0).then(|| EndpointPort {
                    name: sp.name.clone(),
                    port,
                    protocol: sp.protocol.clone().unwrap_or_else(|| "TCP".into()),
                })
            })
            .collect();
        // The endpoints controller's `podToEndpointAddressForService`: a hostname only for a
        // pod whose subdomain is this Service.
        let hostname = pod.spec.hostname.clone().filter(|_| pod.spec.subdomain.as_deref() == Some(svc.metadata.name.as_str()));
        Some(EndpointMember {
            hostname,
            address: EndpointAddress {
                ip,
                node_name: pod.spec.node_name.clone().unwrap_or_default(),
                target_pod: pod.metadata.name.clone(),
                target_uid: pod.metadata.uid.clone(),
                hostname: None,
            },
            ready: publish || pod_ready,
            ports,
        })
    }

    /// The endpoints controller reacting to a change of pod `p`: only that pod's entries move.
    pub(crate) fn update_endpoints_for_pod(&mut self, p: usize) {
        for s in 0..self.services.len() {
            let member = self.endpoint_member(s, p);
            if self.set_endpoint_member(s, p, member) {
                self.track_endpoints_write(s, Some(p));
            } else if self.endpoints.members.get(s).is_some_and(|m| m.contains_key(&p)) {
                if let Some(tracker) = self.endpoints.triggers.get_mut(s) {
                    tracker.unseen.insert(p);
                }
            }
        }
    }

    /// The endpoints controller re-listing every pod for Service `s` (new Service, label change).
    pub(crate) fn resync_service_endpoints(&mut self, s: usize) {
        while self.endpoints.members.len() <= s {
            self.endpoints.members.push(Default::default());
        }
        // One sync: the Endpoints object is written (created, the first time) once.
        let mut written = self.endpoints.triggers.get(s).is_none_or(|t| !t.known);
        for p in 0..self.pods.len() {
            let member = self.endpoint_member(s, p);
            written |= self.set_endpoint_member(s, p, member);
        }
        if written {
            self.track_endpoints_write(s, None);
        }
    }

    /// `TriggerTimeTracker.ComputeEndpointLastChangeTriggerTime` for a sync of Service `s` that
    /// writes its Endpoints (the pod `p` whose change it is, if one): the earliest of the Ready
    /// conditions' transition times (whole seconds, as the informer has them) that moved since
    /// the tracker last saw them, and the Service's creation on its first sync; none (the
    /// annotation is removed) when nothing moved. The pods looked at are those in the endpoints
    /// and `p`; a selected pod without an address is looked at once it has one.
    fn track_endpoints_write(&mut self, s: usize, p: Option<usize>) {
        if self.services[s].spec.selector.is_empty() {
            return;
        }
        while self.endpoints.triggers.len() <= s {
            self.endpoints.triggers.push(Default::default());
        }
        // A sync of the whole Service looks at every pod in its endpoints; a write for one pod
        // at it and the pods whose status changed unseen (`TriggerTracker::unseen`): every
        // other one's Ready time is as the tracker last saw it, so it would not count.
        let unseen = std::mem::take(&mut self.endpoints.triggers[s].unseen);
        let members = &self.endpoints.members[s];
        let pods: Vec<usize> = match p {
            None => members.keys().copied().collect(),
            Some(p) => unseen.into_iter().filter(|q| members.contains_key(q)).chain(Some(p)).collect(),
        };
        #[cfg(test)]
        {
            self.endpoints.tracked.0 += 1;
            self.endpoints.tracked.1 += pods.len() as u64;
        }
        let times: Vec<(String, Millis)> = pods
            .into_iter()
            .filter_map(|p| {
                let pod = &self.pods[p].pod;
                pod.status.condition("Ready").map(|c| (pod.metadata.name.clone(), c.last_transition_time / SECOND * SECOND))
            })
            .collect();
        let service_created = self.services[s].metadata.creation / SECOND * SECOND;
        let tracker = &mut self.endpoints.triggers[s];
        let mut earliest: Option<Millis> = None;
        let mut moved = |t: Millis| earliest = Some(earliest.map_or(t, |e| e.min(t)));
        for (name, t) in times {
            // `podTriggerTime.After(state.PodTriggerTimes[pod.Name])`: a pod not seen is newer.
            if tracker.pod_times.get(&name).is_none_or(|&seen| t > seen) {
                moved(t);
            }
            tracker.pod_times.insert(name, t);
        }
        if !tracker.known {
            tracker.known = true;
            moved(service_created);
        }
        tracker.annotation = earliest;
    }

    /// Whether the entry of pod `p` in Service `s`'s endpoints changed (the controller writes
    /// the object).
    fn set_endpoint_member(&mut self, s: usize, p: usize, member: Option<EndpointMember>) -> bool {
        while self.endpoints.members.len() <= s {
            self.endpoints.members.push(Default::default());
        }
        let old = self.endpoints.members[s].get(&p);
        if old == member.as_ref() {
            return false;
        }
        // kube-proxy follows: the pod's (ip, port) behind each Service port, while it is ready.
        let (was, now) = (self.proxied(s, old), self.proxied(s, member.as_ref()));
        if was != now {
            for (port, ip, target) in was.iter().filter(|e| !now.contains(e)) {
                self.cri.set_service_endpoint(self.services[s].spec.cluster_ip.as_deref().unwrap_or_default(), *port, ip, *target, false);
            }
            for (port, ip, target) in now.iter().filter(|e| !was.contains(e)) {
                self.cri.set_service_endpoint(self.services[s].spec.cluster_ip.as_deref().unwrap_or_default(), *port, ip, *target, true);
            }
        }
        let headless = self.services[s].spec.cluster_ip.as_deref().is_none_or(|ip| ip.is_empty() || ip == "None");
        let dns_changes = headless
            && self.endpoints.members[s].get(&p).filter(|m| m.ready).map(|m| &m.address.ip)
                != member.as_ref().filter(|m| m.ready).map(|m| &m.address.ip);
        let old = self.endpoints.members[s].get(&p);
        let detail = match (&old, &member) {
            (_, Some(m)) => super::ChangeDetail::Endpoint {
                ip: m.address.ip.clone(),
                pod: m.address.target_pod.clone(),
                state: if m.ready { super::EndpointState::Ready } else { super::EndpointState::NotReady },
            },
            (Some(o), None) => super::ChangeDetail::Endpoint {
                ip: o.address.ip.clone(),
                pod: o.address.target_pod.clone(),
                state: super::EndpointState::Removed,
            },
            (None, None) => return false,
        };
        match member {
            Some(m) => {
                self.endpoints.members[s].insert(p, m);
            }
            None => {
                self.endpoints.members[s].remove(&p);
            }
        }
        if dns_changes {
            let dns = self.cluster_dns();
            self.cri.set_cluster_dns(dns);
        }
        self.timeline.push(super::Change {
            at: self.now,
            object: format!("service/{}", self.services[s].metadata.name),
            detail,
            cause: "the endpoints controller lists the IPs of matching pods whose Ready condition is True (others under notReadyAddresses)"
                .into(),
            fields: Vec::new(),
        });
        true
    }

    /// What kube-proxy programs for one endpoint entry of Service `s`: (Service port, pod IP,
    /// target port) for each Service port, when the entry is ready and the Service has a
    /// ClusterIP (a headless Service has none to route).
    fn proxied(&self, s: usize, member: Option<&EndpointMember>) -> Vec<(u16, String, u16)> {
        let svc = &self.services[s];
        let has_ip = svc.spec.cluster_ip.as_deref().is_some_and(|ip| !ip.is_empty() && ip != "None");
        let Some(m) = member.filter(|m| m.ready && has_ip) else { return Vec::new() };
        svc.spec
            .ports
            .iter()
            .filter_map(|sp| {
                let target = m.ports.iter().find(|ep| ep.name == sp.name)?;
                Some((u16::try_from(sp.port).ok()?, m.address.ip.clone(), u16::try_from(target.port).ok()?))
            })
            .collect()
    }

    /// The `v1` Endpoints objects as the API holds them now.
    pub(crate) fn build_endpoints(&self) -> Vec<Endpoints> {
        let mut all = Vec::new();
        for (s, svc) in self.services.iter().enumerate() {
            if s == API_SERVER_SERVICE {
                let (ip, port) = API_SERVER_ENDPOINT;
                all.push(Endpoints {
                    name: svc.metadata.name.clone(),
                    namespace: svc.metadata.namespace().to_string(),
                    creation: svc.metadata.creation,
                    subsets: vec![EndpointSubset {
                        addresses: vec![EndpointAddress { ip: ip.into(), ..Default::default() }],
                        not_ready_addresses: Vec::new(),
                        ports: vec![EndpointPort { name: Some("https".into()), port, protocol: "TCP".into() }],
                    }],
                    last_change_trigger_time: None,
                });
                continue;
            }
            if svc.spec.selector.is_empty() {
                continue;
            }
            let members = self.endpoints.members.get(s);
            let mut ready: Vec<EndpointAddress> = Vec::new();
            let mut not_ready: Vec<EndpointAddress> = Vec::new();
            let mut ports = Vec::new();
            for m in members.into_iter().flat_map(|m| m.values()) {
                if ports.is_empty() {
                    ports = m.ports.clone();
                }
                let address = EndpointAddress { hostname: m.hostname.clone(), ..m.address.clone() };
                if m.ready {
                    ready.push(address)
                } else {
                    not_ready.push(address)
                }
            }
            podplay_k8s_util::sort::sort_by(&mut ready, |a, b| a.ip.cmp(&b.ip));
            podplay_k8s_util::sort::sort_by(&mut not_ready, |a, b| a.ip.cmp(&b.ip));
            let subsets = if ready.is_empty() && not_ready.is_empty() {
                Vec::new()
            } else {
                vec![EndpointSubset { addresses: ready, not_ready_addresses: not_ready, ports }]
            };
            all.push(Endpoints {
                name: svc.metadata.name.clone(),
                namespace: svc.metadata.namespace().to_string(),
                creation: svc.metadata.creation,
                subsets,
                last_change_trigger_time: self.endpoints.triggers.get(s).and_then(|t| t.annotation),
            });
        }
        all
    }

    /// [`Engine::service_env`], worked out once per namespace while no Service is added (every
    /// container start asks; a Service's variables are there once it exists).
    pub(crate) fn service_env_cached(&self, namespace: &str, links: bool) -> std::rc::Rc<Vec<(String, String)>> {
        let key = (namespace.to_string(), self.services.len(), links);
        if let Some(env) = self.endpoints.env_cache.borrow().get(&key) {
            return env.clone();
        }
        let env = std::rc::Rc::new(self.service_env(namespace, links));
        self.endpoints.env_cache.borrow_mut().insert(key, env.clone());
        env
    }

    /// Service environment variables for pods in `namespace` (`FOO_SERVICE_HOST`, ...; with
    /// `links`, the pod's `enableServiceLinks`), plus always those of the `kubernetes` Service
    /// of the default namespace, in a fixed order (the kubelet's is a Go map order, random per
    /// start).
    pub(crate) fn service_env(&self, namespace: &str, links: bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut services: Vec<(String, String, Vec<(Option<String>, i32, String)>)> = Vec::new();
        for (s, svc) in self.services.iter().enumerate() {
            // The API server's Service (first) is in every namespace's variables
            // (getServiceEnvVarMap).
            if s != API_SERVER_SERVICE && (!links || svc.metadata.namespace() != namespace || svc.metadata.creation > self.now) {
                continue;
            }
            let ip = svc.spec.cluster_ip.clone().unwrap_or_default();
            if ip.is_empty() || ip == "None" {
                continue;
            }
            let ports =
                svc.spec.ports.iter().map(|p| (p.name.clone(), p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into()))).collect();
            services.push((svc.metadata.name.clone(), ip, ports));
        }
        for (name, ip, ports) in services {
            let prefix = name.to_uppercase().replace('-', "_");
            let Some((_, first_port, first_proto)) = ports.first().cloned() else { continue };
            out.push((format!("{prefix}_SERVICE_HOST"), ip.clone()));
            out.push((format!("{prefix}_SERVICE_PORT"), first_port.to_string()));
            for (pname, port, _) in &ports {
                if let Some(pname) = pname {
                    out.push((format!("{prefix}_SERVICE_PORT_{}", pname.to_uppercase().replace('-', "_")), port.to_string()));
                }
            }
            out.push((format!("{prefix}_PORT"), format!("{}://{}:{}", first_proto.to_lowercase(), ip, first_port)));
            for (_, port, proto) in &ports {
                let base = format!("{prefix}_PORT_{port}_{}", proto.to_uppercase());
                out.push((base.clone(), format!("{}://{}:{}", proto.to_lowercase(), ip, port)));
                out.push((format!("{base}_PROTO"), proto.to_lowercase()));
                out.push((format!("{base}_PORT"), port.to_string()));
                out.push((format!("{base}_ADDR"), ip.clone()));
            }
        }
        out
    }

    pub(crate) fn cluster_dns(&self) -> Vec<(String, String)> {
        // kube-dns is not a Service here (kube-system is not simulated), but it answers.
        let mut records = vec![("kube-dns.kube-system.svc.cluster.local".to_string(), "10.96.0.10".to_string())];
        for (s, svc) in self.services.iter().enumerate() {
            let name = format!("{}.{}.svc.cluster.local", svc.metadata.name, svc.metadata.namespace());
            match svc.spec.cluster_ip.as_deref() {
                // A headless Service's name resolves to its ready endpoints' addresses.
                None | Some("") | Some("None") => {
                    let mut ready: Vec<(&str, Option<&str>)> = self
                        .endpoints
                        .members
                        .get(s)
                        .into_iter()
                        .flat_map(|m| m.values())
                        .filter(|m| m.ready)
                        .map(|m| (m.address.ip.as_str(), m.hostname.as_deref()))
                        .collect();
                    ready.sort_unstable();
                    // Each endpoint also has a name of its own, which is what a reverse lookup
                    // of the address answers (CoreDNS's endpoint records, `endpointHostname`):
                    // its hostname when it has one (`web-0.nginx.default.svc.cluster.local`),
                    // else its address with dashes; listed first so the reverse lookup finds it.
                    records.extend(ready.iter().map(|(ip, host)| {
                        let label = host.map_or_else(|| ip.replace('.', "-"), str::to_string);
                        (format!("{label}.{name}"), ip.to_string())
                    }));
                    records.extend(ready.into_iter().map(|(ip, _)| (name.clone(), ip.to_string())));
                }
                Some(ip) => records.push((name, ip.to_string())),
            }
        }
        records
    }

    /// `podplay node disconnect NAME`: the kubelet stops posting status and doing work.
    pub(crate) fn disconnect_node(&mut self, n: usize) {
        if !self.nodes[n].connected {
            return;
        }
        self.unsteady_node(n);
        self.nodes[n].connected = false;
        // The last heartbeat was the kubelet's previous periodic status update.
        self.nodes[n].last_heartbeat = self.now / NODE_STATUS_UPDATE_MS * NODE_STATUS_UPDATE_MS;
        self.record_change(
            format!("node/{}", self.nodes[n].node.metadata.name),
            super::ChangeDetail::NodeDisconnected,
            "podplay node disconnect: the node's kubelet is cut off from the API server",
        );
        self.ensure_node_monitor();
    }

    pub(crate) fn reconnect_node(&mut self, n: usize) {
        if self.nodes[n].connected {
            return;
        }
        self.unsteady_node(n);
        self.nodes[n].connected = true;
        self.nodes[n].last_heartbeat = self.now;
        let name = self.nodes[n].node.metadata.name.clone();
        self.set_node_conditions(n, true);
        self.nodes[n].node.spec.taints.retain(|t| t.key != "node.kubernetes.io/unreachable");
        self.note_node_write_for_daemon_sets();
        self.record_change(
            format!("node/{name}"),
            super::ChangeDetail::NodeReconnected,
            "the kubelet posts status again; the node controller removes the unreachable taints",
        );
        for p in self.nodes[n].bound.clone() {
            if !self.pods[p].removed {
                self.pods[p].marked_not_ready = false;
                // The taints are gone: pending evictions for this outage no longer apply.
                self.pods[p].eviction_generation += 1;
                self.cancel_eviction(p);
                self.request_sync(p, self.now + 1000);
            }
        }
        self.retry_unschedulable();
    }

    pub(crate) fn ensure_node_monitor(&mut self) {
        if !self.node_lifecycle.monitor_scheduled {
            self.node_lifecycle.monitor_scheduled = true;
            let next = (self.now / NODE_MONITOR_PERIOD_MS + 1) * NODE_MONITOR_PERIOD_MS;
            self.schedule(next, Task::NodeMonitor);
        }
    }

    /// Writes the node's four kubelet conditions: as the kubelet reports them (`healthy`), or
    /// as the node lifecycle controller marks them when the kubelet stopped reporting.
    pub(crate) fn set_node_conditions(&mut self, n: usize, healthy: bool) {
        let now = self.now;
        let node = &mut self.nodes[n];
        node.ready = if healthy { "True" } else { "Unknown" }.to_string();
        let previous = std::mem::take(&mut node.node.conditions);
        node.node.conditions = NODE_CONDITIONS
            .iter()
            .map(|(kind, ok_status, ok_reason, ok_message)| {
                let (status, reason, message) = if healthy && *kind == "DiskPressure" && node.disk_pressure {
                    ("True", "KubeletHasDiskPressure", "kubelet has disk pressure")
                } else if healthy {
                    (*ok_status, *ok_reason, *ok_message)
                } else {
                    ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
                };
                let transition = previous.iter().find(|c| c.kind == *kind && c.status == status).map_or(now, |c| c.last_transition_time);
                NodeCondition {
                    kind: kind.to_string(),
                    status: status.into(),
                    last_heartbeat_time: node.last_heartbeat,
                    last_transition_time: transition,
                    reason: reason.into(),
                    message: message.into(),
                }
            })
            .collect();
    }

    /// monitorNodeHealth: nodes silent past the grace period go Unknown, get the unreachable
    /// taints, and their pods are marked not ready.
    pub(crate) fn node_monitor(&mut self) {
        self.node_lifecycle.monitor_scheduled = false;
        self.report_removed_nodes();
        let grace = self.release.node_monitor_grace_seconds * SECOND;
        let mut any_down = false;
        for n in 0..self.nodes.len() {
            if self.nodes[n].connected || self.nodes[n].removed {
                continue;
            }
            any_down = true;
            if self.nodes[n].ready == "Unknown" || self.now < self.nodes[n].last_heartbeat + grace {
                continue;
            }
            let name = self.nodes[n].node.metadata.name.clone();
            self.set_node_conditions(n, false);
            for effect in ["NoSchedule", "NoExecute"] {
                self.nodes[n].node.spec.taints.push(Taint {
                    key: "node.kubernetes.io/unreachable".into(),
                    value: None,
                    effect: effect.into(),
                    time_added: Some(self.now),
                    time_added_given: None,
                });
            }
            self.note_node_write_for_daemon_sets();
            self.record_change(
                format!("node/{name}"),
                super::ChangeDetail::NodeUnreachable,
                format!("no heartbeat for --node-monitor-grace-period ({}s)", grace / SECOND),
            );
            self.emit_event(
                self.node_ref(n),
                "node-controller",
                "",
                "Normal",
                "NodeNotReady",
                format!("Node {name} status is now: NodeNotReady"),
            );
            for p in self.nodes[n].bound.clone() {
                if self.pods[p].removed {
                    continue;
                }
                self.mark_pod_not_ready(p);
                self.update_endpoints_for_pod(p);
                self.start_eviction_timer(p);
            }
        }
        if any_down {
            self.ensure_node_monitor();
        }
    }

    fn mark_pod_not_ready(&mut self, p: usize) {
        let now = self.now;
        let rec = &mut self.pods[p];
        rec.marked_not_ready = true;
        // The status is written here, not by the kubelet: its cached inputs no longer describe it.
        rec.status_inputs = None;
        if let Some(c) = rec.pod.status.conditions.iter_mut().find(|c| c.kind == "Ready") {
            if c.status != "False" {
                c.status = "False".into();
                c.last_transition_time = now;
                self.bump_resource_version(p);
                let involved = self.pod_ref(p, None);
                self.emit_event(involved, "node-controller", "", "Warning", "NodeNotReady", "Node is not ready".into());
                self.record_change(
                    format!("pod/{}", self.pods[p].name()),
                    super::ChangeDetail::Conditions { changes: vec![super::ConditionChange::new("Ready", "False")] },
                    "MarkPodsNotReady: the node controller sets only the Ready condition; container statuses and phase keep their last reported values (the phase does not become Unknown: no current component sets it)",
                );
            }
        }
    }

    fn start_eviction_timer(&mut self, p: usize) {
        let taint = Taint {
            key: "node.kubernetes.io/unreachable".into(),
            value: None,
            effect: "NoExecute".into(),
            time_added: None,
            time_added_given: None,
        };
        let matching: Vec<Option<i64>> = self.pods[p]
            .pod
            .spec
            .tolerations
            .iter()
            .filter(|t| super::scheduler::tolerates(std::slice::from_ref(t), &taint))
            .map(|t| t.toleration_seconds)
            .collect();
        if matching.is_empty() {
            self.taint_evict(p, self.pods[p].eviction_generation);
            return;
        }
        if matching.iter().any(|s| s.is_none()) {
            return; // tolerated forever
        }
        let seconds = matching.iter().filter_map(|s| *s).min().unwrap_or(DEFAULT_TOLERATION_SECONDS).max(0) as Millis;
        let generation = self.pods[p].eviction_generation;
        self.pods[p].eviction_queued = true;
        self.schedule(self.now + seconds * SECOND, Task::TaintEvict(p, generation));
    }

    /// The taint eviction controller drops a queued deletion (`cancelWorkWithEvent`): the
    /// event is emitted only when there was work to cancel, with the same UID-less reference
    /// as `Marking for deletion`.
    fn cancel_eviction(&mut self, p: usize) {
        if !std::mem::take(&mut self.pods[p].eviction_queued) || self.pods[p].deleting() {
            return;
        }
        let ns_name = format!("{}/{}", self.pods[p].namespace(), self.pods[p].name());
        let mut involved = self.pod_ref(p, None);
        involved.uid = String::new();
        self.emit_event(
            involved,
            "taint-eviction-controller",
            "",
            "Normal",
            "TaintManagerEviction",
            format!("Cancelling deletion of Pod {ns_name}"),
        );
    }

    /// The taint eviction controller: the toleration ran out, so the pod is deleted (graceful).
    ///
    /// Why a lost node's pods show `Terminating` and never `Unknown`: kubectl's printPod
    /// (`pkg/printers/internalversion/printers.go`) prints STATUS `Unknown` only for a pod with
    /// a deletionTimestamp and `status.reason == "NodeLost"` (`pkg/util/node` NodeUnreachablePodReason).
    /// That reason is written only by `DeletePods` → `SetPodTerminationReason`
    /// (`pkg/controller/util/node/controller_utils.go`), which the node lifecycle controller calls
    /// from `doEvictionPass`, and that runs only when kube-controller-manager has
    /// `--enable-taint-manager=false` (1.22–1.26; default true); the flag was removed in 1.27 and
    /// the newest `pkg/controller/nodelifecycle/node_lifecycle_controller.go` has no
    /// doEvictionPass at all. The default path — taint eviction here, PodGC after a Node
    /// deletion (`podgc.rs`) — never sets it, and the kubelet's getPhase never returns phase
    /// `Unknown`. So no release podplay reproduces (1.22+, default flags) shows the docs'
    /// `Unknown`.
    pub(crate) fn taint_evict(&mut self, p: usize, generation: u32) {
        if self.pods[p].removed || self.pods[p].deleting() || self.pods[p].eviction_generation != generation {
            return;
        }
        self.pods[p].eviction_queued = false;
        let Some(n) = self.pods[p].node else { return };
        if self.nodes[n].connected {
            return;
        }
        let ns_name = format!("{}/{}", self.pods[p].namespace(), self.pods[p].name());
        // The controller's event ref carries no UID, so `describe pod` does not list it.
        let mut involved = self.pod_ref(p, None);
        involved.uid = String::new();
        let fields = self.expired_toleration(p).into_iter().collect::<Vec<_>>();
        self.emit_event_with(
            involved,
            "taint-eviction-controller",
            "",
            "Normal",
            "TaintManagerEviction",
            format!("Marking for deletion Pod {ns_name}"),
            fields.clone(),
        );
        let now = self.now;
        // The condition comes with PodDisruptionConditions (default on from 1.26).
        if self.release.pod_disruption_conditions {
            self.pods[p].status_inputs = None;
            self.pods[p].pod.status.conditions.insert(
                0,
                crate::model::PodCondition {
                    kind: "DisruptionTarget".into(),
                    status: "True".into(),
                    last_probe_time: None,
                    last_transition_time: now,
                    reason: Some("DeletionByTaintManager".into()),
                    message: Some("Taint manager: deleting due to NoExecute taint".into()),
                },
            );
            self.bump_resource_version(p);
        }
        self.delete_pod(p, None, false);
        self.record_change_with(
            format!("pod/{}", self.pods[p].name()),
            super::ChangeDetail::PodTerminating { evicted: true },
            "the pod's toleration of node.kubernetes.io/unreachable:NoExecute (300 s by default) ran out; with the kubelet gone nobody finishes the deletion, so it stays Terminating. The docs' phase Unknown (STATUS Unknown, reason NodeLost) is not set by current releases: only the node controller's non-taint eviction did that, off by default and removed in 1.27",
            fields,
        );
    }

    /// The toleration of the unreachable taint that ran out first (the shortest one).
    fn expired_toleration(&self, p: usize) -> Option<super::ChangeField> {
        let taint = Taint {
            key: "node.kubernetes.io/unreachable".into(),
            value: None,
            effect: "NoExecute".into(),
            time_added: None,
            time_added_given: None,
        };
        let tolerations = &self.pods[p].pod.spec.tolerations;
        let (j, seconds) = tolerations
            .iter()
            .enumerate()
            .filter(|(_, t)| super::scheduler::tolerates(std::slice::from_ref(*t), &taint))
            .filter_map(|(j, t)| t.toleration_seconds.map(|s| (j, s)))
            .min_by_key(|(_, s)| *s)?;
        Some(super::why::field(format!("spec.tolerations[{j}].tolerationSeconds"), seconds))
    }

    /// API-side deletion: graceful sets deletionTimestamp; force removes the object at once
    /// (unless finalizers hold it).
    pub(crate) fn delete_pod(&mut self, p: usize, grace: Option<i64>, force: bool) {
        self.delete_pod_because(
            p,
            grace,
            force,
            "deleted with grace period 0: the API object is removed immediately, without waiting for the kubelet",
        );
    }

    /// [`Engine::delete_pod`], with the timeline's cause for an immediate removal.
    ///
    /// The API server's `Store.Delete` with `rest.BeforeDelete` and the pod strategy's
    /// `CheckGracefulDelete`: the first delete sets `deletionTimestamp` to now plus the grace
    /// period (the request's, else `terminationGracePeriodSeconds`; 0 for a pod not scheduled)
    /// and `deletionGracePeriodSeconds`; a later delete may only shorten it (the timestamp moves
    /// by the difference). The object is removed at once when the grace period is 0, unless it
    /// has finalizers: then it stays, being deleted, until they are gone
    /// ([`Engine::update_pod`]). `force` is `--force --grace-period=0`.
    pub(crate) fn delete_pod_because(&mut self, p: usize, grace: Option<i64>, force: bool, removal_cause: &str) {
        let asked = if force { Some(0) } else { grace.map(|g| g.max(0)) };
        let unscheduled = self.pods[p].node.is_none();
        let now = self.now;
        if self.pods[p].pod.metadata.deletion.is_none() {
            self.unsteady_pod(p);
        }
        let meta = &self.pods[p].pod.metadata;
        let delete_now = match (meta.deletion, meta.deletion_grace_period_seconds) {
            (None, _) => {
                // CheckGracefulDelete: the period asked for, else the pod's own; 0 unscheduled.
                let period =
                    if unscheduled { 0 } else { asked.unwrap_or_else(|| self.pods[p].pod.spec.termination_grace_period_seconds()) };
                let meta = &mut self.pods[p].pod.metadata;
                meta.deletion = Some(now + period as Millis * SECOND);
                meta.deletion_grace_period_seconds = Some(period);
                self.bump_resource_version(p);
                period == 0
            }
            // Being deleted with no time left: delete now (markAsDeleting with finalizers).
            (Some(_), None | Some(0)) => true,
            (Some(ts), Some(current)) => match asked {
                Some(period) if period < current => {
                    let meta = &mut self.pods[p].pod.metadata;
                    meta.deletion = Some((ts + period as Millis * SECOND).saturating_sub(current as Millis * SECOND));
                    meta.deletion_grace_period_seconds = Some(period);
                    self.bump_resource_version(p);
                    period == 0
                }
                // Graceful deletion is pending: nothing changes.
                _ => false,
            },
        };
        self.request_sync(p, self.now);
        if delete_now {
            if self.pods[p].has_finalizers() {
                self.mark_as_deleting(p);
            } else {
                // The kubelet still stops the containers, but the API object is gone now.
                self.remove_pod(p, removal_cause);
            }
        }
        self.update_endpoints_for_pod(p);
    }

    /// `markAsDeleting`: a deletion with no time left on an object its finalizers hold: the
    /// grace period becomes 0 and the timestamp now, if it was later.
    pub(crate) fn mark_as_deleting(&mut self, p: usize) {
        let now = self.now;
        let meta = &mut self.pods[p].pod.metadata;
        let before = (meta.deletion, meta.deletion_grace_period_seconds);
        if meta.deletion.is_none_or(|ts| ts > now) {
            meta.deletion = Some(now);
        }
        meta.deletion_grace_period_seconds = Some(0);
        if before != (meta.deletion, meta.deletion_grace_period_seconds) {
            self.bump_resource_version(p);
        }
    }

    /// The garbage collector's background propagation after an owner (`owner_kind`: a
    /// ReplicaSet, Job, StatefulSet or DaemonSet) was deleted: each of `pods` it owned that is
    /// not already going is deleted with its own grace period.
    pub(crate) fn collect_owned_pods(&mut self, pods: Vec<usize>, owner_kind: &str) {
        for p in pods {
            if !self.pods[p].removed && !self.pods[p].deleting() {
                self.delete_pod_because(p, None, false, &format!("the garbage collector deleted the pod: its {owner_kind} is gone"));
                let pod = self.pods[p].name().to_string();
                self.record_change(
                    format!("pod/{pod}"),
                    super::ChangeDetail::PodTerminating { evicted: false },
                    format!("the garbage collector deleted the pod: its owner {owner_kind} was deleted"),
                );
            }
        }
    }
}

impl Engine {
    /// The node lifecycle controller's NoSchedule tainting pass (`doNoScheduleTaintingPass`,
    /// on every node add and update) for `spec.unschedulable`: a cordoned node gets the
    /// `node.kubernetes.io/unschedulable:NoSchedule` taint, stamped as `SwapNodeControllerTaint`
    /// stamps every taint it adds, and loses it when uncordoned.
    pub(crate) fn taint_unschedulable_node(&mut self, n: usize) {
        const KEY: &str = "node.kubernetes.io/unschedulable";
        let now = self.now;
        let node = &mut self.nodes[n].node;
        let tainted = node.spec.taints.iter().any(|t| t.key == KEY && t.effect == "NoSchedule");
        if node.spec.unschedulable == Some(true) && !tainted {
            node.spec.taints.push(Taint {
                key: KEY.into(),
                value: None,
                effect: "NoSchedule".into(),
                time_added: Some(now),
                time_added_given: None,
            });
        } else if node.spec.unschedulable != Some(true) && tainted {
            node.spec.taints.retain(|t| !(t.key == KEY && t.effect == "NoSchedule"));
        }
    }
}
