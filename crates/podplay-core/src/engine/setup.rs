//! Creating objects as the API server does: defaulting (`pkg/apis/core/v1/defaults.go`),
//! admission (ServiceAccount's token volume, DefaultTolerationSeconds), validation of what the
//! simulation relies on, and the cluster's default node.

use super::controllers::DEFAULT_TOLERATION_SECONDS;
use super::field::{Aim, FieldError, InvalidObject};
use super::objects::{NodeRecord, PodRecord};
use super::ops::OpError;
use super::{Cri, Engine, Task};
use crate::model::{Node, Pod, Probe, Service, Toleration, Volume, VolumeMount};
use crate::source::{position, Diagnostic, Manifests, Object, Origin, Part, Position};
use crate::version::{default_release, find_release, Release};

pub const DEFAULT_NODE_NAME: &str = "node-1";
const DEFAULT_NODE_CAPACITY: [(&str, &str); 6] = [
    ("cpu", "2"),
    ("ephemeral-storage", "102626232Ki"),
    ("hugepages-1Gi", "0"),
    ("hugepages-2Mi", "0"),
    ("memory", "8131248Ki"),
    ("pods", "110"),
];
/// Marks the projected volume the ServiceAccount admission plugin adds, so `describe` can
/// print it as kubectl does (token, kube-root-ca.crt, namespace).
pub const SERVICE_ACCOUNT_TOKEN_MARK: &str = "podplayServiceAccountToken";

/// The release and seed a set of manifests asks for (the Scenario's, else the defaults).
pub(crate) fn scenario_settings(manifests: &Manifests) -> (&'static crate::version::Release, u64) {
    let mut release = default_release();
    let mut seed = 1;
    for (object, _) in manifests.objects.iter() {
        if let Object::Scenario(s) = object {
            if let Some(r) = s.spec.kubernetes_version.as_deref().and_then(|v| find_release(v).ok()) {
                release = r;
            }
            seed = s.spec.seed.unwrap_or(seed);
        }
    }
    (release, seed)
}

impl Engine {
    /// Builds the cluster from manifests, with `cri` as every node's container runtime.
    pub fn with_runtime(manifests: &Manifests, cri: Box<dyn Cri>) -> Result<Engine, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut release = default_release();
        let mut seed = 1;
        let mut steps = Vec::new();
        for (object, origin) in manifests.objects.iter() {
            if let Object::Scenario(s) = object {
                if let Some(v) = &s.spec.kubernetes_version {
                    match find_release(v) {
                        Ok(r) => release = r,
                        Err(e) => {
                            let at = position(origin, "spec.kubernetesVersion", Part::Value);
                            let (line, column) = at.map_or((origin.line, 1), |p| (p.line, p.column));
                            errors.push(Diagnostic { line, column, ..diag(origin, Some("spec.kubernetesVersion"), e) })
                        }
                    }
                }
                seed = s.spec.seed.unwrap_or(seed);
                steps.extend(s.spec.steps.iter().cloned());
            }
        }
        let mut engine = Engine::with_parts(release, seed, cri);
        // A pod record is a few KB: grown one by one, thousands of them are copied many times.
        engine.pods.reserve(manifests.objects.iter().filter(|(o, _)| matches!(o, Object::Pod(_))).count());
        for (object, origin) in manifests.objects.iter() {
            if let Object::Image(image) = object {
                if let Err(e) = engine.cri.register_image(image) {
                    errors.push(diag(origin, None, format!("Image {:?}: {e}", image.metadata.name)));
                }
            }
        }
        for (object, _) in manifests.objects.iter() {
            if let Object::Node(node) = object {
                engine.add_node((**node).clone());
            }
        }
        if engine.nodes.is_empty() {
            let mut node = Node::default();
            node.metadata.name = DEFAULT_NODE_NAME.into();
            engine.add_node(node);
            // The default node is warm: it already holds the images the scenario's pods use (as
            // the cluster a lesson was recorded on did), so `IfNotPresent` finds them present.
            // Images no registry has stay absent; a Node document lists its images explicitly.
            for (object, _) in manifests.objects.iter() {
                let spec = match object {
                    Object::Pod(pod) => &pod.spec,
                    Object::ReplicaSet(rs) => &rs.spec.template.spec,
                    Object::Deployment(d) => &d.spec.template.spec,
                    Object::Job(job) => &job.spec.template.spec,
                    Object::CronJob(cj) => &cj.spec.job_template.spec.template.spec,
                    Object::StatefulSet(set) => &set.spec.template.spec,
                    Object::DaemonSet(set) => &set.spec.template.spec,
                    _ => continue,
                };
                for c in spec.containers.iter().chain(spec.init_containers.iter()) {
                    let normalized = podplay_k8s_util::image_ref::normalize(&c.image);
                    if matches!(engine.cri.image(&c.image), super::cri::ImageInfo::Present { .. })
                        && !engine.nodes[0].images.contains(&normalized)
                    {
                        engine.nodes[0].images.push(normalized);
                    }
                }
            }
        }
        // Namespaces before what lives in them: those declared, then those only named.
        for (object, origin) in manifests.objects.iter() {
            if let Object::Namespace(ns) = object {
                if let Err(e) = engine.add_namespace((**ns).clone()) {
                    errors.extend(refusal(origin, e, ""));
                }
            }
        }
        let named: Vec<String> =
            manifests.objects.iter().filter_map(|(o, _)| super::ops::namespaced(o).map(|(_, m)| m.namespace().to_string())).collect();
        engine.set_up_namespaces(seed, named.iter().map(String::as_str));
        for (object, origin) in manifests.objects.iter() {
            match object {
                Object::Service(svc) => {
                    if let Err(e) = engine.add_service((**svc).clone()) {
                        let hint = if super::controllers::is_api_server_service(&svc.metadata) {
                            " (the API server's own Service, in every cluster; give yours another name)"
                        } else {
                            ""
                        };
                        errors.extend(refusal(origin, e, hint));
                    }
                }
                Object::Pod(pod) => {
                    if let Err(e) = engine.add_pod((**pod).clone()) {
                        errors.extend(refusal(origin, e, ""));
                    }
                }
                Object::ReplicaSet(rs) => {
                    if let Err(e) = engine.add_replica_set((**rs).clone(), None) {
                        errors.extend(refusal(origin, e, ""));
                    }
                }
                Object::Deployment(d) => {
                    if let Err(e) = engine.add_deployment((**d).clone()) {
                        errors.extend(refusal(origin, e, ""));
                    }
                }
                Object::Job(job) => {
                    if let Err(e) = engine.add_job((**job).clone()) {
                        errors.extend(refusal(origin, e, ""));
                    }
                }
                Object::CronJob(cj) => {
                    if let Err(e) = engine.add_cron_job((**cj).clone()) {
                        errors.extend(refusal(origin, e, ""));
                    }
                }
                Object::ConfigMap(cm) => {
                    if let Err(e) = engine.add_config_map((**cm).clone()) {
                        errors.extend(refusal(origin, e, ""));
                    }
                }
                Object::Secret(secret) => {
                    if let Err(e) = engine.add_secret((**secret).clone()) {
                        errors.extend(refusal(origin, e, ""));
                    }
                }
                Object::StatefulSet(set) => {
                    if let Err(e) = engine.add_stateful_set((**set).clone()) {
                        errors.extend(refusal(origin, e, ""));
                    }
                }
                Object::DaemonSet(set) => {
                    if let Err(e) = engine.add_daemon_set((**set).clone()) {
                        errors.extend(refusal(origin, e, ""));
                    }
                }
                Object::PodDisruptionBudget(pdb) => {
                    if let Err(e) = engine.add_pdb((**pdb).clone()) {
                        errors.extend(pdb_refusal(origin, e, &pdb.api_version));
                    }
                }
                _ => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        podplay_k8s_util::sort::sort_by_key(&mut steps, |s| s.at);
        engine.queue_steps(steps);
        Ok(engine)
    }

    pub(crate) fn add_node(&mut self, mut node: Node) {
        let index = self.nodes.len();
        node.metadata.uid = self.random_uid();
        node.metadata.creation = self.now;
        let name = node.metadata.name.clone();
        for (k, v) in [
            ("kubernetes.io/hostname", name.as_str()),
            ("kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("beta.kubernetes.io/arch", "amd64"),
        ] {
            node.metadata.labels.entry(k.to_string()).or_insert_with(|| v.to_string());
        }
        // Every node carries these: the kubelet's attach/detach mode and the TTL controller's TTL.
        for (k, v) in [("node.alpha.kubernetes.io/ttl", "0"), ("volumes.kubernetes.io/controller-managed-attach-detach", "true")] {
            node.metadata.annotations.entry(k.to_string()).or_insert_with(|| v.to_string());
        }
        let cidr = node.spec.pod_cidr.clone().unwrap_or_else(|| format!("10.244.{index}.0/24"));
        node.spec.pod_cidr = Some(cidr.clone());
        let prefix = cidr
            .split('/')
            .next()
            .unwrap_or("10.244.0.0")
            .rsplit_once('.')
            .map(|(a, _)| a.to_string())
            .unwrap_or_else(|| "10.244.0".into());
        let images = node.status.images.iter().flat_map(|i| i.names.iter().map(|n| podplay_k8s_util::image_ref::normalize(n))).collect();
        // A kind-like node (2 CPUs, 8 GiB, 110 pods): the document's capacity and allocatable
        // override these resource by resource; allocatable defaults to capacity.
        let mut capacity: std::collections::BTreeMap<String, crate::model::Quantity> = podplay_k8s_util::sort::btree_map(
            DEFAULT_NODE_CAPACITY.iter().map(|(r, v)| (r.to_string(), crate::model::Quantity::parse(v).expect("valid default quantity"))),
        );
        capacity.extend(std::mem::take(&mut node.status.capacity));
        let mut allocatable = capacity.clone();
        allocatable.extend(std::mem::take(&mut node.status.allocatable));
        node.status.capacity = capacity;
        node.status.allocatable = allocatable;
        let hex = |rng: &mut podplay_k8s_util::rand::SplitMix64| format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
        let info = super::objects::NodeInfo {
            machine_id: hex(&mut self.rng),
            system_uuid: self.random_uid(),
            boot_id: self.random_uid(),
            kernel_version: "6.8.0-45-generic".into(),
            os_image: "Debian GNU/Linux 12 (bookworm)".into(),
            container_runtime_version: self.release.container_runtime_version.into(),
            kubelet_version: format!("v1.{}.0", self.release.kubelet_major_minor.1),
        };
        let now = self.now;
        let mut record = NodeRecord {
            internal_ip: format!("172.18.0.{}", index + 2),
            connected: true,
            last_heartbeat: now,
            images,
            cidr_prefix: prefix,
            next_host: 5,
            ready: "True".into(),
            pod_count: 0,
            requested: [0; 3],
            allocatable_pods: 0,
            allocatable: [0; 3],
            info,
            node,
            bound: Vec::new(),
            removed: false,
            removal_seen: false,
            disk_pressure: false,
        };
        record.node.conditions = Vec::new();
        record.read_allocatable();
        // The node's disk is its ephemeral-storage capacity (the kubelet reports the nodefs'
        // size); its kubelet's eviction manager starts.
        let disk = record.node.status.capacity.get("ephemeral-storage").map(|q| q.value().max(0) as u64);
        self.nodes.push(record);
        self.set_node_conditions(index, true);
        self.taint_unschedulable_node(index);
        if let Some(bytes) = disk {
            self.cri.set_node_disk(index, bytes);
        }
        self.start_eviction_manager(index);
        // The DaemonSet controller's `addNode`.
        self.note_node_write_for_daemon_sets();
    }

    /// Creates a Service as `kubectl create` would: defaulted, its ClusterIP allocated, its
    /// ports programmed in kube-proxy, its endpoints listed.
    pub(crate) fn add_service(&mut self, mut svc: Service) -> Result<(), OpError> {
        let name = &svc.metadata.name;
        if self.find_service(name, svc.metadata.namespace()).is_some() {
            return Err(OpError::AlreadyExists { resource: "services", name: name.clone() });
        }
        svc.metadata.uid = self.random_uid();
        svc.metadata.creation = self.now;
        if svc.metadata.namespace.is_none() {
            svc.metadata.namespace = Some("default".into());
        }
        if svc.spec.cluster_ip.is_none() {
            let r = self.rng.next_u64();
            svc.spec.cluster_ip = Some(format!("10.96.{}.{}", (r % 250) + 1, ((r >> 8) % 250) + 2));
        }
        if svc.spec.kind.is_none() {
            svc.spec.kind = Some("ClusterIP".into());
        }
        for port in &mut svc.spec.ports {
            port.protocol.get_or_insert_with(|| "TCP".into());
            if port.target_port.is_none() {
                port.target_port = Some(crate::model::IntOrString::Int(port.port as i64));
            }
        }
        // kube-proxy programs the Service's ports (a headless Service has no address to route).
        if let Some(ip) = svc.spec.cluster_ip.clone().filter(|ip| !ip.is_empty() && ip != "None") {
            for port in &svc.spec.ports {
                if let Ok(port) = u16::try_from(port.port) {
                    self.cri.expose_service_port(&ip, port);
                }
            }
        }
        svc.metadata.resource_version = self.bump_object_version();
        self.services.push(svc);
        let dns = self.cluster_dns();
        self.cri.set_cluster_dns(dns);
        self.resync_service_endpoints(self.services.len() - 1);
        Ok(())
    }

    /// The index of Service `name` in `namespace`.
    pub(crate) fn find_service(&self, name: &str, namespace: &str) -> Option<usize> {
        self.services.iter().position(|s| s.metadata.name == name && s.metadata.namespace() == namespace)
    }

    /// Creates a pod as `kubectl create` would: defaulted, admitted, queued for scheduling.
    pub(crate) fn add_pod(&mut self, mut pod: Pod) -> Result<(), OpError> {
        validate_pod(&pod, self.release()).map_err(OpError::InvalidObject)?;
        if self.pods.len() >= self.limits.max_pods {
            let max = self.limits.max_pods;
            return Err(OpError::Rejected(format!(
                "podplay's limit of {max} pods in one simulation is reached (a real cluster would take more)"
            )));
        }
        let namespace = pod.metadata.namespace().to_string();
        if self.find_pod(&pod.metadata.name, &namespace).is_some() {
            return Err(OpError::AlreadyExists { resource: "pods", name: pod.metadata.name });
        }
        pod.metadata.namespace = Some(namespace);
        pod.metadata.uid = self.random_uid();
        pod.metadata.creation = self.now;
        pod.api_version = "v1".into();
        pod.kind = "Pod".into();
        let suffix = self.random_suffix();
        apply_pod_defaults(&mut pod, &suffix);
        // podStrategy.PrepareForCreate: the API server replaces whatever status was sent with
        // Pending and the QoS class, so `get pod -o yaml` shows qosClass before any kubelet.
        pod.status = Default::default();
        pod.status.phase = "Pending".into();
        pod.status.qos_class = Some(super::status::qos_class(&pod.spec));
        let p = self.pods.len();
        let name = pod.metadata.name.clone();
        self.live_pods.insert((pod.metadata.namespace().to_string(), name.clone()), p);
        if !super::garbage_collector::has_controller_ref(&pod.metadata) {
            self.uncontrolled_pods.insert(p);
        }
        self.pods.push(PodRecord::new(pod));
        self.bump_resource_version(p);
        self.record_change(
            format!("pod/{name}"),
            super::ChangeDetail::PodCreated,
            "created: the API server stored the pod with its defaults; it is Pending until scheduled and started",
        );
        self.schedule(self.now + super::scheduler::SCHEDULE_DELAY_MS, Task::Schedule(p));
        Ok(())
    }

    /// Creates a Deployment as the API server does: defaulted (`SetDefaults_Deployment`),
    /// generation 1; its controller takes it from there.
    pub(crate) fn add_deployment(&mut self, mut d: crate::model::Deployment) -> Result<(), OpError> {
        validate_deployment(&d).map_err(OpError::InvalidObject)?;
        let namespace = d.metadata.namespace().to_string();
        if self
            .deployments
            .iter()
            .any(|r| !r.removed && r.deployment.metadata.name == d.metadata.name && r.deployment.metadata.namespace() == namespace)
        {
            return Err(OpError::AlreadyExists { resource: "deployments.apps", name: d.metadata.name });
        }
        d.api_version = "apps/v1".into();
        d.kind = "Deployment".into();
        self.stamp_created(&mut d.metadata);
        apply_deployment_defaults(&mut d);
        let index = self.deployments.len();
        let name = d.metadata.name.clone();
        let replicas = d.spec.replicas();
        self.deployments.push(super::DeploymentRecord {
            deployment: d,
            status: Default::default(),
            removed: false,
            replica_sets: Vec::new(),
        });
        self.deployments[index].deployment.metadata.resource_version = self.bump_object_version();
        self.record_change(
            format!("deployment/{name}"),
            super::ChangeDetail::DeploymentCreated { replicas },
            "created: the Deployment controller makes a ReplicaSet for its template and rolls it out",
        );
        self.enqueue_deployment(index);
        Ok(())
    }

    fn random_suffix(&mut self) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        let mut r = self.rng.next_u64();
        (0..5)
            .map(|_| {
                let c = ALPHABET[(r % ALPHABET.len() as u64) as usize] as char;
                r /= ALPHABET.len() as u64;
                c
            })
            .collect()
    }
}

/// A PodDisruptionBudget the API server refused: a version it no longer serves is pointed at
/// the `apiVersion` value, as the loader points at a version it never knew.
fn pdb_refusal(origin: &Origin, error: OpError, api_version: &str) -> Vec<Diagnostic> {
    match error {
        OpError::Status { reason: super::disruption_api::NO_KIND_MATCH, message } => {
            let position = position(origin, "apiVersion", Part::Value);
            let (line, column) = position.map_or((origin.line, 1), |p| (p.line, p.column));
            let message = format!(
                "{message}: use `apiVersion: policy/v1` (policy/{} is not served from 1.25)",
                api_version.trim_start_matches("policy/")
            );
            vec![Diagnostic { line, column, ..diag(origin, Some("apiVersion"), message) }]
        }
        e => refusal(origin, e, ""),
    }
}

fn diag(origin: &Origin, path: Option<&str>, message: String) -> Diagnostic {
    Diagnostic { file: origin.file.clone(), line: origin.line, column: 1, path: path.map(str::to_string), message, status_reason: None }
}

/// The API server's refusal of a document's object, in its words (a client adds its own
/// framing from `status_reason`), plus a `hint` of what to do. A validation refusal is one
/// diagnostic per field error, each at the text it is about.
fn refusal(origin: &Origin, error: OpError, hint: &str) -> Vec<Diagnostic> {
    let (message, status_reason) = match error {
        OpError::InvalidObject(invalid) => return field_diagnostics(origin, &invalid),
        OpError::AlreadyExists { resource, name } => (format!("{resource} \"{name}\" already exists"), Some("AlreadyExists")),
        OpError::NotFound { resource, name } => (format!("{resource} \"{name}\" not found"), Some("NotFound")),
        OpError::Rejected(message) => (message, None),
        OpError::BadRequest(message) => (message, Some("BadRequest")),
        OpError::ContainerNotRunning { container } => (format!("container not found ({container:?})"), None),
        OpError::Invalid(diagnostics) => (diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("; "), None),
        OpError::Status { reason, message } => (message, Some(reason).filter(|r| !r.is_empty())),
    };
    vec![Diagnostic { status_reason, message: message + hint, ..diag(origin, None, String::new()) }]
}

/// Each field error of a refused object as the API server words it (`The Pod "p" is invalid:
/// spec.restartPolicy: Unsupported value: ...`), at its key or value in the object's document,
/// with podplay's suggestion after it.
fn field_diagnostics(origin: &Origin, invalid: &InvalidObject) -> Vec<Diagnostic> {
    invalid
        .unique_errors()
        .into_iter()
        .map(|error| {
            let (line, column) = field_position(origin, error).unwrap_or((origin.line, 1));
            let suggestion = error.suggestion.as_ref().map(|s| format!("; {s}")).unwrap_or_default();
            let message = format!("{}{error}{suggestion}", invalid.lead());
            Diagnostic { line, column, ..diag(origin, Some(error.field.as_str()), message) }
        })
        .collect()
}

/// Where a field error points: its key or value, or for a probe with two handlers the second
/// handler written.
fn field_position(origin: &Origin, error: &FieldError) -> Option<(usize, usize)> {
    let at = |path: &str, part| position(origin, path, part);
    let found = match error.aim {
        Aim::Key => at(&error.field, Part::Key),
        Aim::Value => at(&error.field, Part::Value),
        Aim::SecondOf(keys) => {
            let mut written: Vec<Position> =
                keys.iter().filter_map(|k| at(&format!("{}.{k}", error.field), Part::Key)).filter(|p| p.exact).collect();
            podplay_k8s_util::sort::sort_by_key(&mut written, |p| (p.line, p.column));
            written.get(1).copied().or_else(|| at(&error.field, Part::Key))
        }
    };
    found.map(|p| (p.line, p.column))
}

/// What the API server of `release` would refuse, in its words (`The Pod "x" is invalid:
/// ...`).
pub(crate) fn validate_pod(pod: &Pod, release: &Release) -> Result<(), InvalidObject> {
    let name = &pod.metadata.name;
    if name.is_empty() {
        return Err(InvalidObject::unnamed("Pod"));
    }
    // ValidateObjectMeta first (the labels, then the finalizers), then the spec.
    let mut problems = super::field::label_errors(&pod.metadata.labels, "metadata.labels");
    problems.extend(super::field::finalizer_errors(pod.metadata.finalizers.as_deref().unwrap_or_default()));
    // ValidatePodSpec: the volumes before the containers.
    volume_problems(&pod.spec.volumes, release, &mut problems);
    if pod.spec.containers.is_empty() {
        problems.push(FieldError::at_key("spec.containers", "Required value"));
    }
    let mut seen = std::collections::BTreeSet::new();
    // ValidatePodSpec checks the containers, then the init containers (whose names must differ
    // from the containers' too), then the restart policy.
    for (list, containers) in [("containers", &pod.spec.containers), ("initContainers", &pod.spec.init_containers)] {
        for (i, c) in containers.iter().enumerate() {
            let at = format!("spec.{list}[{i}]");
            if c.name.is_empty() {
                problems.push(FieldError::at_key(format!("{at}.name"), "Required value"));
            } else if !seen.insert(c.name.clone()) {
                problems.push(FieldError::at_value(format!("{at}.name"), format!("Duplicate value: {:?}", c.name)));
            }
            if c.image.trim().is_empty() {
                problems.push(FieldError::at_key(format!("{at}.image"), "Required value"));
            }
            container_port_problems(&c.ports, &format!("{at}.ports"), &mut problems);
            env_problems(c, &at, release, &mut problems);
            if let Some(policy) = &c.image_pull_policy {
                if !PULL_POLICIES.contains(&policy.as_str()) {
                    problems.push(FieldError::not_supported(format!("{at}.imagePullPolicy"), policy, &PULL_POLICIES));
                }
            }
            // ValidateResourceRequirements: each request at most its limit, then hugepages
            // with cpu or memory.
            if let Some(resources) = &c.resources {
                for (name, request) in &resources.requests {
                    if let Some(limit) = resources.limits.get(name).filter(|l| request.milli > l.milli) {
                        let (request, limit) = (request.canonical(), limit.canonical());
                        let detail = format!("Invalid value: {request:?}: must be less than or equal to {name} limit of {limit}");
                        problems.push(FieldError::at_key(format!("{at}.resources.requests"), detail));
                    }
                }
                let names = || resources.limits.keys().chain(resources.requests.keys());
                if names().any(|r| r.starts_with("hugepages-")) && !names().any(|r| r == "cpu" || r == "memory") {
                    problems.push(FieldError::at_key(format!("{at}.resources"), "Forbidden: HugePages require cpu or memory"));
                }
            }
            for (kind, probe) in
                [("livenessProbe", &c.liveness_probe), ("readinessProbe", &c.readiness_probe), ("startupProbe", &c.startup_probe)]
            {
                if let Some(probe) = probe {
                    probe_problems(probe, &format!("{at}.{kind}"), kind, &mut problems);
                }
            }
            volume_mount_problems(c, &pod.spec.volumes, &at, &mut problems);
            if let Some(sc) = &c.security_context {
                super::security_context::container_problems(sc, &at, &mut problems);
            }
            if list == "containers" && c.restart_policy.is_some() {
                problems.push(FieldError::at_key(format!("{at}.restartPolicy"), "Forbidden: may not be set for non-init containers"));
            }
        }
    }
    if let Some(policy) = &pod.spec.restart_policy {
        if !RESTART_POLICIES.contains(&policy.as_str()) {
            problems.push(FieldError::not_supported("spec.restartPolicy", policy, &RESTART_POLICIES));
        }
    }
    problems.extend(super::field::label_errors(&pod.spec.node_selector, "spec.nodeSelector"));
    if let Some(sc) = &pod.spec.security_context {
        super::security_context::pod_problems(sc, &mut problems);
    }
    toleration_problems(&pod.spec.tolerations, &mut problems);
    InvalidObject::check("Pod", name, problems)
}

/// `ValidateTolerations`: a key that is a qualified name; an empty key only with `Exists`;
/// `tolerationSeconds` only with `NoExecute`; `Equal` (or none) with a label value, `Exists`
/// with no value, no other operator; a known effect if any.
fn toleration_problems(tolerations: &[Toleration], problems: &mut Vec<FieldError>) {
    const OPERATORS: [&str; 2] = ["Equal", "Exists"];
    const EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
    let quote = podplay_k8s_util::gofmt::quote;
    for (i, t) in tolerations.iter().enumerate() {
        let at = format!("spec.tolerations[{i}]");
        let (key, operator, value, effect) = (
            t.key.as_deref().unwrap_or(""),
            t.operator.as_deref().unwrap_or(""),
            t.value.as_deref().unwrap_or(""),
            t.effect.as_deref().unwrap_or(""),
        );
        if !key.is_empty() {
            for msg in super::field::qualified_name_errors(key) {
                problems.push(FieldError::at_value(format!("{at}.key"), format!("Invalid value: {}: {msg}", quote(key))));
            }
        }
        if key.is_empty() && operator != "Exists" {
            let msg = "operator must be Exists when `key` is empty, which means \"match all values and all keys\"";
            problems.push(FieldError::at_key(format!("{at}.operator"), format!("Invalid value: {}: {msg}", quote(operator))));
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            let msg = "effect must be 'NoExecute' when `tolerationSeconds` is set";
            problems.push(FieldError::at_key(format!("{at}.effect"), format!("Invalid value: {}: {msg}", quote(effect))));
        }
        match operator {
            "Equal" | "" => {
                let errs = super::field::label_value_errors(value);
                if !errs.is_empty() {
                    problems.push(FieldError::at_value(
                        format!("{at}.operator"),
                        format!("Invalid value: {}: {}", quote(value), errs.join(";")),
                    ));
                }
            }
            "Exists" if !value.is_empty() => {
                // field.Invalid of the whole toleration, which ErrorBody writes with %#v.
                let seconds = match t.toleration_seconds {
                    None => "(*int64)(nil)".to_string(),
                    // A pointer: %#v writes its address, which is the API server's own.
                    Some(_) => "(*int64)(0xc000000000)".to_string(),
                };
                let go = format!(
                    "core.Toleration{{Key:{}, Operator:\"Exists\", Value:{}, Effect:{}, TolerationSeconds:{seconds}}}",
                    quote(key),
                    quote(value),
                    quote(effect)
                );
                problems.push(FieldError::at_key(
                    format!("{at}.operator"),
                    format!("Invalid value: {go}: value must be empty when `operator` is 'Exists'"),
                ));
            }
            "Exists" => {}
            other => problems.push(FieldError::not_supported(format!("{at}.operator"), other, &OPERATORS)),
        }
        if !effect.is_empty() && !EFFECTS.contains(&effect) {
            problems.push(FieldError::not_supported(format!("{at}.effect"), effect, &EFFECTS));
        }
    }
}

/// validation.go `validateContainerPorts`: each port's name (`IsValidPortName`, unique among the
/// container's), its `containerPort` (required, `IsValidPortNum`), a `hostPort` if set, and its
/// protocol (defaulted to TCP before validation).
fn container_port_problems(ports: &[crate::model::ContainerPort], at: &str, problems: &mut Vec<FieldError>) {
    const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
    const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";
    let quote = podplay_k8s_util::gofmt::quote;
    let mut names = std::collections::BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let at = format!("{at}[{i}]");
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let messages = port_name_errors(name);
            if !messages.is_empty() {
                for message in messages {
                    problems.push(FieldError::at_value(format!("{at}.name"), format!("Invalid value: {}: {message}", quote(name))));
                }
            } else if !names.insert(name) {
                problems.push(FieldError::at_value(format!("{at}.name"), format!("Duplicate value: {}", quote(name))));
            }
        }
        if port.container_port == 0 {
            problems.push(FieldError::at_key(format!("{at}.containerPort"), "Required value"));
        } else if !(1..=65535).contains(&port.container_port) {
            problems
                .push(FieldError::at_value(format!("{at}.containerPort"), format!("Invalid value: {}: {PORT_RANGE}", port.container_port)));
        }
        if let Some(host) = port.host_port.filter(|p| *p != 0 && !(1..=65535).contains(p)) {
            problems.push(FieldError::at_value(format!("{at}.hostPort"), format!("Invalid value: {host}: {PORT_RANGE}")));
        }
        if let Some(protocol) = port.protocol.as_deref().filter(|p| !PROTOCOLS.contains(p)) {
            problems.push(FieldError::not_supported(format!("{at}.protocol"), protocol, &PROTOCOLS));
        }
    }
}

/// apimachinery `IsValidPortName` (an IANA service name): its messages, in its order.
fn port_name_errors(name: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if name.len() > 15 {
        errors.push("must be no more than 15 characters");
    }
    if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        errors.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        errors.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        errors.push("must not begin or end with a hyphen");
    }
    errors
}

/// `ValidateVolumeMounts`: a name, of one of the pod's volumes (`Not found`), a mount path, unique in
/// the container, then the checks of `subPath` and `subPathExpr`. Upstream words their
/// descending-path errors at `volumeMounts.subPath`, without the mount's index.
fn volume_mount_problems(c: &crate::model::Container, volumes: &[Volume], at: &str, problems: &mut Vec<FieldError>) {
    let quote = podplay_k8s_util::gofmt::quote;
    let mut mount_points = std::collections::BTreeSet::new();
    for (i, m) in c.volume_mounts.iter().enumerate() {
        let idx = format!("{at}.volumeMounts[{i}]");
        if m.name.is_empty() {
            problems.push(FieldError::at_key(format!("{idx}.name"), "Required value"));
        }
        if !volumes.iter().any(|v| v.name == m.name) {
            problems.push(FieldError::at_value(format!("{idx}.name"), format!("Not found: {}", quote(&m.name))));
        }
        if m.mount_path.is_empty() {
            problems.push(FieldError::at_key(format!("{idx}.mountPath"), "Required value"));
        }
        if !mount_points.insert(m.mount_path.as_str()) {
            problems
                .push(FieldError::at_value(format!("{idx}.mountPath"), format!("Invalid value: {}: must be unique", quote(&m.mount_path))));
        }
        let sub_path = m.sub_path.as_deref().unwrap_or_default();
        if !sub_path.is_empty() {
            local_descending_path_problems(sub_path, &format!("{at}.volumeMounts.subPath"), problems);
        }
        let expr = m.sub_path_expr.as_deref().unwrap_or_default();
        if !expr.is_empty() {
            if !sub_path.is_empty() {
                problems.push(FieldError::at_value(
                    format!("{at}.volumeMounts[{i}].subPathExpr"),
                    format!("Invalid value: {}: subPathExpr and subPath are mutually exclusive", podplay_k8s_util::gofmt::quote(expr)),
                ));
            }
            local_descending_path_problems(expr, &format!("{at}.volumeMounts.subPathExpr"), problems);
        }
    }
}

/// `validateLocalDescendingPath`: relative, and no `..` element.
fn local_descending_path_problems(path: &str, field: &str, problems: &mut Vec<FieldError>) {
    if path.starts_with('/') {
        problems
            .push(FieldError::at_value(field, format!("Invalid value: {}: must be a relative path", podplay_k8s_util::gofmt::quote(path))));
    }
    if path.split('/').any(|part| part == "..") {
        problems
            .push(FieldError::at_value(field, format!("Invalid value: {}: must not contain '..'", podplay_k8s_util::gofmt::quote(path))));
    }
}

/// `fileModeErrorMsg`.
const FILE_MODE_ERROR: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// A volume source as its typed view, or the decoding error at the source's field.
fn typed_source<T: serde::de::DeserializeOwned>(value: &serde_yaml::Value, at: &str, problems: &mut Vec<FieldError>) -> Option<T> {
    match serde_yaml::from_value(value.clone()) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(FieldError::at_key(at, format!("Invalid value: {e}")));
            None
        }
    }
}

/// `validateHostPathVolumeSource`: a path, without `..`, and a known type.
fn host_path_problems(source: &serde_yaml::Value, at: &str, problems: &mut Vec<FieldError>) {
    const TYPES: [&str; 8] = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];
    let Some(source) = typed_source::<crate::model::config::HostPathVolumeSource>(source, at, problems) else { return };
    if source.path.is_empty() {
        problems.push(FieldError::at_key(format!("{at}.path"), "Required value"));
        return;
    }
    if source.path.split('/').any(|part| part == "..") {
        let detail = format!("Invalid value: {}: must not contain '..'", podplay_k8s_util::gofmt::quote(&source.path));
        problems.push(FieldError::at_value(format!("{at}.path"), detail));
    }
    if let Some(t) = source.path_type.as_deref().filter(|t| !TYPES.contains(t)) {
        problems.push(FieldError::not_supported(format!("{at}.type"), t, &TYPES));
    }
}

/// `ValidateVolumes`' checks of `downwardAPI` and `projected` volumes (`validateDownwardAPIVolumeSource`,
/// `validateProjectedVolumeSource`).
fn volume_problems(volumes: &[Volume], release: &Release, problems: &mut Vec<FieldError>) {
    use crate::model::config::{DownwardApiVolumeSource, ProjectedVolumeSource};
    for (i, v) in volumes.iter().enumerate() {
        let at = format!("spec.volumes[{i}]");
        if let Some(source) = &v.host_path {
            host_path_problems(source, &format!("{at}.hostPath"), problems);
        }
        if let Some(source) = &v.downward_api {
            let at = format!("{at}.downwardAPI");
            if let Some(source) = typed_source::<DownwardApiVolumeSource>(source, &at, problems) {
                mode_problems(source.default_mode, &format!("{at}.defaultMode"), problems);
                for file in &source.items {
                    downward_api_file_problems(file, &at, release, problems);
                }
            }
        }
        let Some(source) = v.projected.as_ref().filter(|p| p.get(SERVICE_ACCOUNT_TOKEN_MARK).is_none()) else { continue };
        let at = format!("{at}.projected");
        let Some(source) = typed_source::<ProjectedVolumeSource>(source, &at, problems) else { continue };
        mode_problems(source.default_mode, &format!("{at}.defaultMode"), problems);
        let mut paths = std::collections::BTreeSet::new();
        let mut path_problem = |path: &str, problems: &mut Vec<FieldError>| {
            if !paths.insert(path.to_string()) {
                let quoted = podplay_k8s_util::gofmt::quote(path);
                problems.push(FieldError::at_key(at.clone(), format!("Invalid value: {quoted}: conflicting duplicate paths")));
            }
        };
        for (j, projection) in source.sources.iter().enumerate() {
            let src = format!("{at}.sources[{j}]");
            let set = [projection.secret.is_some(), projection.config_map.is_some(), projection.downward_api.is_some()];
            let more = [projection.service_account_token.is_some(), projection.cluster_trust_bundle.is_some()];
            if set.iter().chain(more.iter()).filter(|s| **s).count() > 1 {
                problems.push(FieldError::at_key(src.clone(), "Forbidden: may not specify more than 1 volume type"));
            }
            if projection.cluster_trust_bundle.is_some() {
                // podplay's refusal: it has no ClusterTrustBundle objects to write.
                let detail = "Forbidden: podplay does not simulate ClusterTrustBundles: use a configMap or secret source";
                problems.push(FieldError::at_key(format!("{src}.clusterTrustBundle"), detail));
            }
            for (kind, keys) in [("secret", &projection.secret), ("configMap", &projection.config_map)] {
                let Some(keys) = keys else { continue };
                if keys.name.is_empty() {
                    problems.push(FieldError::at_key(format!("{src}.{kind}.name"), "Required value"));
                }
                for (k, item) in keys.items.iter().enumerate() {
                    let item_at = format!("{src}.{kind}.items[{k}]");
                    if item.key.is_empty() {
                        problems.push(FieldError::at_key(format!("{item_at}.key"), "Required value"));
                    }
                    if item.path.is_empty() {
                        problems.push(FieldError::at_key(format!("{item_at}.path"), "Required value"));
                    }
                    local_non_reserved_path_problems(&item.path, &format!("{item_at}.path"), problems);
                    mode_problems(item.mode, &format!("{item_at}.mode"), problems);
                    path_problem(&item.path, problems);
                }
            }
            if let Some(downward) = &projection.downward_api {
                for file in &downward.items {
                    downward_api_file_problems(file, &format!("{src}.downwardAPI"), release, problems);
                    path_problem(&file.path, problems);
                }
            }
            if let Some(token) = &projection.service_account_token {
                let token_at = format!("{src}.serviceAccountToken");
                match token.expiration_seconds {
                    Some(s) if s < 600 => problems.push(FieldError::at_value(
                        format!("{token_at}.expirationSeconds"),
                        format!("Invalid value: {s}: may not specify a duration less than 10 minutes"),
                    )),
                    Some(s) if s > 1 << 32 => problems.push(FieldError::at_value(
                        format!("{token_at}.expirationSeconds"),
                        format!("Invalid value: {s}: may not specify a duration larger than 2^32 seconds"),
                    )),
                    _ => {}
                }
                if token.path.is_empty() {
                    problems.push(FieldError::at_key(format!("{token_at}.path"), "Required value"));
                }
                local_non_reserved_path_problems(&token.path, &format!("{token_at}.path"), problems);
                path_problem(&token.path, problems);
            }
        }
    }
}

/// A file mode above 0777.
fn mode_problems(mode: Option<u32>, at: &str, problems: &mut Vec<FieldError>) {
    if let Some(mode) = mode.filter(|m| *m > 0o777) {
        problems.push(FieldError::at_value(at, format!("Invalid value: {mode}: {FILE_MODE_ERROR}")));
    }
}

/// `ValidateLocalNonReservedPath`: a descending path that does not start with `..`.
fn local_non_reserved_path_problems(path: &str, at: &str, problems: &mut Vec<FieldError>) {
    local_descending_path_problems(path, at, problems);
    if path.starts_with("..") {
        let quoted = podplay_k8s_util::gofmt::quote(path);
        problems.push(FieldError::at_value(at, format!("Invalid value: {quoted}: must not start with '..'")));
    }
}

/// The pod fields `ConvertDownwardAPIFieldLabel` knows (`spec.host` is `spec.nodeName`).
const DOWNWARD_API_FIELD_LABELS: [&str; 15] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
    "spec.host",
];
/// `validVolumeDownwardAPIFieldPathExpressions`, sorted as the error lists them.
const VOLUME_FIELD_PATHS: [&str; 5] = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];
/// `validContainerResourceFieldPathExpressions`, sorted.
const RESOURCE_FIELD_PATHS: [&str; 6] =
    ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];
const MEMORY_DIVISORS: [&str; 13] = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];

/// `validateDownwardAPIVolumeFile`: upstream puts an item's errors under the source's path
/// (`spec.volumes[0].downwardAPI.path`), without the item's index.
fn downward_api_file_problems(
    file: &crate::model::config::DownwardApiVolumeFile,
    at: &str,
    release: &Release,
    problems: &mut Vec<FieldError>,
) {
    if file.path.is_empty() {
        problems.push(FieldError::at_key(format!("{at}.path"), "Required value"));
    }
    local_non_reserved_path_problems(&file.path, &format!("{at}.path"), problems);
    match (&file.field_ref, &file.resource_field_ref) {
        (Some(field), resource) => {
            let fld = format!("{at}.fieldRef");
            object_field_selector_problems(field.api_version.as_deref(), &field.field_path, &fld, &VOLUME_FIELD_PATHS, release, problems);
            if resource.is_some() {
                let detail = "Invalid value: \"resource\": fieldRef and resourceFieldRef can not be specified simultaneously";
                problems.push(FieldError::at_key(at, detail));
            }
        }
        (None, Some(selector)) => resource_field_selector_problems(selector, &format!("{at}.resourceFieldRef"), true, problems),
        (None, None) => problems.push(FieldError::at_key(at, "Required value: one of fieldRef and resourceFieldRef is required")),
    }
    mode_problems(file.mode, &format!("{at}.mode"), problems);
}

/// `validateObjectFieldSelector` (apiVersion is defaulted to v1) with `expressions`, the
/// field paths the place allows (sorted, as the error lists them): the label converted by
/// `ConvertDownwardAPIFieldLabel` (which knows `status.hostIPs` from 1.28), a subscript's key
/// as a qualified name.
fn object_field_selector_problems(
    version: Option<&str>,
    path: &str,
    fld: &str,
    expressions: &[&str],
    release: &Release,
    problems: &mut Vec<FieldError>,
) {
    let quote = podplay_k8s_util::gofmt::quote;
    let version = version.unwrap_or("v1");
    let subscripted = super::downward_api::split_subscripted(path);
    let label_known = DOWNWARD_API_FIELD_LABELS.contains(&path)
        && (path != "status.hostIPs" || release.pod_host_ips != crate::version::PodHostIps::Unknown);
    let converted = if version != "v1" {
        Err(format!("unsupported pod version: {version}"))
    } else if let Some((head, _)) = subscripted {
        match head {
            "metadata.annotations" | "metadata.labels" => Ok(()),
            _ => Err(format!("field label does not support subscript: {path}")),
        }
    } else if label_known {
        Ok(())
    } else {
        Err(format!("field label not supported: {path}"))
    };
    if path.is_empty() {
        problems.push(FieldError::at_key(format!("{fld}.fieldPath"), "Required value"));
    } else if let Err(e) = converted {
        let detail = format!("Invalid value: {}: error converting fieldPath: {e}", quote(path));
        problems.push(FieldError::at_value(format!("{fld}.fieldPath"), detail));
    } else if let Some((head, key)) = subscripted {
        let key = if head == "metadata.annotations" { key.to_lowercase() } else { key.to_string() };
        for msg in super::field::qualified_name_errors(&key) {
            problems.push(FieldError::at_key(fld, format!("Invalid value: {}: {msg}", quote(&key))));
        }
    } else if !expressions.contains(&path) {
        problems.push(FieldError::not_supported(format!("{fld}.fieldPath"), path, expressions));
    }
}

/// `validateContainerResourceFieldSelector` (a volume's names its container; an env var's may
/// leave it to the container itself), `hugepages-` resources allowed (`DownwardAPIHugePages`,
/// on in every release podplay reproduces), then `validateContainerResourceDivisor`.
fn resource_field_selector_problems(
    selector: &crate::model::config::ResourceFieldSelector,
    fld: &str,
    volume: bool,
    problems: &mut Vec<FieldError>,
) {
    let quote = podplay_k8s_util::gofmt::quote;
    let resource = selector.resource.as_str();
    let huge = ["requests.hugepages-", "limits.hugepages-"].iter().any(|p| resource.starts_with(p));
    if volume && selector.container_name.is_empty() {
        problems.push(FieldError::at_key(format!("{fld}.containerName"), "Required value"));
    } else if resource.is_empty() {
        problems.push(FieldError::at_key(format!("{fld}.resource"), "Required value"));
    } else if !RESOURCE_FIELD_PATHS.contains(&resource) && !huge {
        problems.push(FieldError::not_supported(format!("{fld}.resource"), resource, &RESOURCE_FIELD_PATHS));
    }
    let divisor = selector.divisor.as_ref().filter(|d| d.milli != 0).map(|d| d.canonical());
    let (allowed, what): (&[&str], &str) = match resource {
        "limits.cpu" | "requests.cpu" => (&["1m", "1"], "1m and 1 are supported with the cpu resource"),
        "limits.memory" | "requests.memory" => {
            (&MEMORY_DIVISORS, "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource")
        }
        "limits.ephemeral-storage" | "requests.ephemeral-storage" => (
            &MEMORY_DIVISORS,
            "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource",
        ),
        _ if huge => {
            (&MEMORY_DIVISORS, "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource")
        }
        _ => (&[], ""),
    };
    if divisor.is_some_and(|d| !what.is_empty() && !allowed.contains(&d.as_str())) {
        let detail = format!("Invalid value: {}: only divisor's values {what}", quote(resource));
        problems.push(FieldError::at_value(format!("{fld}.divisor"), detail));
    }
}

/// `validEnvDownwardAPIFieldPathExpressions`, sorted as the error lists them: with
/// `status.hostIPs` where the release allows it (`AllowHostIPsField`, the `PodHostIPs` gate).
fn env_field_paths(release: &Release) -> Vec<&'static str> {
    let mut paths =
        vec!["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP"];
    if release.pod_host_ips == crate::version::PodHostIps::Enabled {
        paths.push("status.hostIPs");
    }
    paths.extend(["status.podIP", "status.podIPs"]);
    paths
}

/// `ValidateEnv`'s `validateEnvVarValueFrom` for the container at `at`: each `valueFrom`'s
/// field or resource selector, and one source exactly, not beside a `value`.
fn env_problems(c: &crate::model::Container, at: &str, release: &Release, problems: &mut Vec<FieldError>) {
    let env_paths = env_field_paths(release);
    for (i, var) in c.env.iter().enumerate() {
        let Some(from) = &var.value_from else { continue };
        let fld = format!("{at}.env[{i}].valueFrom");
        let mut sources = 0;
        if let Some(field) = &from.field_ref {
            sources += 1;
            object_field_selector_problems(
                field.api_version.as_deref(),
                &field.field_path,
                &format!("{fld}.fieldRef"),
                &env_paths,
                release,
                problems,
            );
        }
        if let Some(selector) = &from.resource_field_ref {
            sources += 1;
            let selector: crate::model::config::ResourceFieldSelector = serde_yaml::from_value((**selector).clone()).unwrap_or_default();
            resource_field_selector_problems(&selector, &format!("{fld}.resourceFieldRef"), false, problems);
        }
        sources += usize::from(from.config_map_key_ref.is_some()) + usize::from(from.secret_key_ref.is_some());
        if sources == 0 {
            problems.push(FieldError::at_key(
                fld,
                "Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            ));
        } else if var.value.as_deref().is_some_and(|v| !v.is_empty()) {
            problems.push(FieldError::at_key(fld, "Invalid value: \"\": may not be specified when `value` is not empty"));
        } else if sources > 1 {
            problems.push(FieldError::at_key(fld, "Invalid value: \"\": may not have more than one field specified at a time"));
        }
    }
}

const PULL_POLICIES: [&str; 3] = ["Always", "IfNotPresent", "Never"];
const RESTART_POLICIES: [&str; 3] = ["Always", "OnFailure", "Never"];
/// A probe's handlers, in the order `validateHandler` counts them.
const PROBE_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc"];

/// `validateProbe` for the probe at `path` (of kind `kind`, e.g. `livenessProbe`).
fn probe_problems(probe: &Probe, path: &str, kind: &str, problems: &mut Vec<FieldError>) {
    let handlers =
        [probe.exec.is_some(), probe.http_get.is_some(), probe.tcp_socket.is_some(), probe.grpc.is_some()].iter().filter(|b| **b).count();
    if handlers == 0 {
        problems.push(FieldError::at_key(path, "Required value: must specify a handler type"));
    } else if handlers > 1 {
        let error = FieldError::at_key(path, "Forbidden: may not specify more than 1 handler type");
        problems.push(FieldError { aim: Aim::SecondOf(PROBE_HANDLERS), ..error });
    }
    for (field, v) in [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        if let Some(v) = v.filter(|v| *v < 0) {
            problems
                .push(FieldError::at_value(format!("{path}.{field}"), format!("Invalid value: {v}: must be greater than or equal to 0")));
        }
    }
    // validateGRPCAction: `ValidatePortNumOrName` of the port.
    if let Some(port) = probe.grpc.as_ref().map(|g| g.port).filter(|p| !(1..=65535).contains(p)) {
        let detail = format!("Invalid value: {port}: must be between 1 and 65535, inclusive");
        problems.push(FieldError::at_value(format!("{path}.grpc.port"), detail));
    }
    if kind != "readinessProbe" && probe.success_threshold.is_some_and(|s| s > 1) {
        problems.push(FieldError::at_value(
            format!("{path}.successThreshold"),
            format!("Invalid value: {}: must be 1", probe.success_threshold()),
        ));
    }
    if kind == "readinessProbe" && probe.termination_grace_period_seconds.is_some() {
        problems.push(FieldError::at_value(
            format!("{path}.terminationGracePeriodSeconds"),
            format!("Invalid value: {}: must not be set for readinessProbes", probe.termination_grace_period_seconds.unwrap_or(0)),
        ));
    }
}

fn default_probe(probe: &mut Option<Box<Probe>>) {
    if let Some(p) = probe {
        p.timeout_seconds.get_or_insert(Probe::DEFAULT_TIMEOUT_SECONDS);
        p.period_seconds.get_or_insert(Probe::DEFAULT_PERIOD_SECONDS);
        p.success_threshold.get_or_insert(Probe::DEFAULT_SUCCESS_THRESHOLD);
        p.failure_threshold.get_or_insert(Probe::DEFAULT_FAILURE_THRESHOLD);
        p.initial_delay_seconds.get_or_insert(0);
        if let Some(h) = &mut p.http_get {
            default_http_get(h);
        }
        // GRPCAction.Service's `+default=""` (zz_generated.defaults.go); its JSON tag has no
        // omitempty, so the API server's pod shows `service: ""`.
        if let Some(g) = &mut p.grpc {
            g.service.get_or_insert_with(String::new);
        }
    }
}

/// SetDefaults_HTTPGetAction, for probes and lifecycle hooks alike.
fn default_http_get(h: &mut crate::model::HttpGetAction) {
    h.path.get_or_insert_with(|| "/".into());
    h.scheme.get_or_insert_with(|| "HTTP".into());
}

/// SetDefaults_PodSpec / _Container / _Probe: what the API server writes into every pod spec,
/// a Deployment's or ReplicaSet's template included.
pub(crate) fn apply_template_defaults(spec: &mut crate::model::PodSpec) {
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.termination_grace_period_seconds.get_or_insert(crate::model::PodSpec::DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.scheduler_name.get_or_insert_with(|| "default-scheduler".into());
    // SetDefaults_Volume: a volume that names no source is an emptyDir.
    for v in spec.volumes.iter_mut().filter(|v| v.has_no_source()) {
        v.empty_dir = Some(Default::default());
    }
    for v in &mut spec.volumes {
        default_volume_source(v);
    }
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()) {
        if c.image_pull_policy.is_none() {
            c.image_pull_policy = Some(default_pull_policy(&c.image).into());
        }
        c.termination_message_path.get_or_insert_with(|| "/dev/termination-log".into());
        c.termination_message_policy.get_or_insert_with(|| "File".into());
        for port in &mut c.ports {
            port.protocol.get_or_insert_with(|| "TCP".into());
        }
        // SetDefaults_ObjectFieldSelector.
        for field in c.env.iter_mut().filter_map(|e| e.value_from.as_mut().and_then(|v| v.field_ref.as_mut())) {
            field.api_version.get_or_insert_with(|| "v1".into());
        }
        default_probe(&mut c.liveness_probe);
        default_probe(&mut c.readiness_probe);
        default_probe(&mut c.startup_probe);
        if let Some(l) = &mut c.lifecycle {
            for hook in [&mut l.post_start, &mut l.pre_stop].into_iter().flatten() {
                if let Some(h) = &mut hook.http_get {
                    default_http_get(h);
                }
            }
        }
    }
}

/// The defaults of the volume sources of files, as the API server stores them: `defaultMode`
/// 0644 (SetDefaults_ConfigMapVolumeSource, _SecretVolumeSource, _DownwardAPIVolumeSource,
/// _ProjectedVolumeSource), a projected token's `expirationSeconds` 3600
/// (SetDefaults_ServiceAccountTokenProjection), a `fieldRef`'s `apiVersion` v1
/// (SetDefaults_ObjectFieldSelector); modes as the numbers the API keeps (`0400` is 256) and a
/// `divisor` as its canonical quantity.
fn default_volume_source(v: &mut Volume) {
    use serde_yaml::Value;
    fn key(m: &mut serde_yaml::Mapping, k: &str) -> Option<Value> {
        m.get(k).cloned()
    }
    fn mode(m: &mut serde_yaml::Mapping, k: &str, default: Option<u32>) {
        let value = match key(m, k) {
            Some(v) => crate::model::config::parse_file_mode(&v),
            None => default,
        };
        if let Some(value) = value {
            m.insert(Value::from(k), Value::from(value));
        }
    }
    fn items(m: &mut serde_yaml::Mapping) {
        let Some(Value::Sequence(items)) = m.get_mut("items") else { return };
        for item in items.iter_mut().filter_map(|i| i.as_mapping_mut()) {
            mode(item, "mode", None);
            if let Some(field) = item.get_mut("fieldRef").and_then(|f| f.as_mapping_mut()) {
                if field.get("apiVersion").is_none() {
                    field.insert(Value::from("apiVersion"), Value::from("v1"));
                }
            }
            if let Some(resource) = item.get_mut("resourceFieldRef").and_then(|f| f.as_mapping_mut()) {
                let text = match resource.get("divisor") {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                };
                if let Some(q) = text.and_then(|t| crate::model::Quantity::parse(&t).ok()) {
                    resource.insert(Value::from("divisor"), Value::from(q.canonical()));
                }
            }
        }
    }
    const DEFAULT_MODE: Option<u32> = Some(0o644);
    for source in [&mut v.config_map, &mut v.secret, &mut v.downward_api].into_iter().flatten() {
        if let Some(m) = source.as_mapping_mut() {
            mode(m, "defaultMode", DEFAULT_MODE);
            items(m);
        }
    }
    let Some(projected) = v.projected.as_mut().and_then(|p| p.as_mapping_mut()) else { return };
    if projected.get(SERVICE_ACCOUNT_TOKEN_MARK).is_some() {
        return;
    }
    mode(projected, "defaultMode", DEFAULT_MODE);
    let Some(Value::Sequence(sources)) = projected.get_mut("sources") else { return };
    for source in sources.iter_mut().filter_map(|s| s.as_mapping_mut()) {
        for kind in ["configMap", "secret", "downwardAPI"] {
            if let Some(m) = source.get_mut(kind).and_then(|s| s.as_mapping_mut()) {
                items(m);
            }
        }
        if let Some(token) = source.get_mut("serviceAccountToken").and_then(|s| s.as_mapping_mut()) {
            if token.get("expirationSeconds").is_none() {
                token.insert(Value::from("expirationSeconds"), Value::from(3600));
            }
        }
    }
}

/// SetDefaults_Pod and the template defaults, and the admission plugins that change every pod
/// (Priority, ServiceAccount's token volume, DefaultTolerationSeconds).
pub(crate) fn apply_pod_defaults(pod: &mut Pod, suffix: &str) {
    apply_template_defaults(&mut pod.spec);
    let spec = &mut pod.spec;
    // SetDefaults_Pod, not _PodSpec: a template keeps it unset.
    spec.enable_service_links.get_or_insert(true);
    spec.priority.get_or_insert(0);
    spec.preemption_policy.get_or_insert_with(|| "PreemptLowerPriority".into());
    let sa = spec.service_account_name.clone().or_else(|| spec.service_account.clone()).unwrap_or_else(|| "default".into());
    spec.service_account_name = Some(sa.clone());
    spec.service_account = Some(sa);
    let token_volume = format!("kube-api-access-{suffix}");
    let automount = spec.automount_service_account_token != Some(false);
    if automount {
        let mut projected = serde_yaml::Mapping::new();
        projected.insert(serde_yaml::Value::from(SERVICE_ACCOUNT_TOKEN_MARK), serde_yaml::Value::from(true));
        spec.volumes.push(Volume {
            name: token_volume.clone(),
            projected: Some(Box::new(serde_yaml::Value::Mapping(projected))),
            ..Default::default()
        });
    }
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()) {
        // SetDefaults_Pod (`pkg/apis/core/v1/defaults.go`): a resource with a limit and no
        // request is requested at its limit (on a Pod only, not a PodTemplate).
        if let Some(resources) = &mut c.resources {
            for (name, limit) in resources.limits.clone() {
                resources.requests.entry(name).or_insert(limit);
            }
        }
        if automount && !c.volume_mounts.iter().any(|m| m.mount_path == "/var/run/secrets/kubernetes.io/serviceaccount") {
            c.volume_mounts.push(VolumeMount {
                name: token_volume.clone(),
                mount_path: "/var/run/secrets/kubernetes.io/serviceaccount".into(),
                read_only: Some(true),
                ..Default::default()
            });
        }
    }
    add_default_toleration_seconds(spec);
}

/// The DefaultTolerationSeconds admission plugin (on create and on update): a pod that does not
/// tolerate the not-ready and unreachable NoExecute taints tolerates them for 300 s.
pub(crate) fn add_default_toleration_seconds(spec: &mut crate::model::PodSpec) {
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let tolerated = spec.tolerations.iter().any(|t| {
            (t.key.as_deref() == Some(key) || (t.key.is_none() && t.operator.as_deref() == Some("Exists")))
                && t.effect.as_deref().is_none_or(|e| e.is_empty() || e == "NoExecute")
        });
        if !tolerated {
            spec.tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                value: None,
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
            });
        }
    }
}

/// What the API server refuses in a ReplicaSet (`ValidateReplicaSet`, the parts that show).
pub(crate) fn validate_replica_set(rs: &crate::model::ReplicaSet) -> Result<(), InvalidObject> {
    if rs.metadata.name.is_empty() {
        return Err(InvalidObject::unnamed("ReplicaSet"));
    }
    let problems = workload_problems(rs.spec.replicas, rs.spec.selector.as_ref(), &rs.spec.template, "deployment");
    InvalidObject::check("ReplicaSet", &rs.metadata.name, problems)
}

/// What the API server refuses in a Deployment (`ValidateDeployment`, the parts that show).
pub(crate) fn validate_deployment(d: &crate::model::Deployment) -> Result<(), InvalidObject> {
    if d.metadata.name.is_empty() {
        return Err(InvalidObject::unnamed("Deployment"));
    }
    let mut problems = workload_problems(d.spec.replicas, d.spec.selector.as_ref(), &d.spec.template, "deployment");
    let strategy = &d.spec.strategy;
    match strategy.kind.as_deref() {
        None | Some("RollingUpdate") => {}
        Some("Recreate") if strategy.rolling_update.is_some() => problems
            .push(FieldError::at_key("spec.strategy.rollingUpdate", "Forbidden: may not be specified when strategy `type` is 'Recreate'")),
        Some("Recreate") => {}
        Some(other) => problems.push(FieldError::not_supported("spec.strategy.type", other, &["Recreate", "RollingUpdate"])),
    }
    if let Some(ru) = &strategy.rolling_update {
        let is_zero = |v: &Option<crate::model::IntOrString>| {
            matches!(v, Some(crate::model::IntOrString::Int(0))) || matches!(v, Some(crate::model::IntOrString::Str(s)) if s == "0%")
        };
        if is_zero(&ru.max_unavailable) && is_zero(&ru.max_surge) {
            problems.push(FieldError::at_value(
                "spec.strategy.rollingUpdate.maxUnavailable",
                "Invalid value: 0: may not be 0 when `maxSurge` is 0",
            ));
        }
    }
    for (field, value) in
        [("revisionHistoryLimit", d.spec.revision_history_limit), ("progressDeadlineSeconds", d.spec.progress_deadline_seconds)]
    {
        if let Some(v) = value.filter(|v| *v < 0) {
            problems.push(FieldError::at_value(format!("spec.{field}"), format!("Invalid value: {v}: must be greater than or equal to 0")));
        }
    }
    InvalidObject::check("Deployment", &d.metadata.name, problems)
}

/// The checks a ReplicaSet, a Deployment and a StatefulSet share: replicas, the selector
/// (required in apps/v1, not empty, matching the template's labels) and the template's restart
/// policy. `kind` is the word the empty-selector message uses (`deployment`, `statefulset`).
pub(crate) fn workload_problems(
    replicas: Option<i32>,
    selector: Option<&crate::model::LabelSelector>,
    template: &crate::model::PodTemplateSpec,
    kind: &str,
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if let Some(r) = replicas.filter(|r| *r < 0) {
        problems.push(FieldError::at_value("spec.replicas", format!("Invalid value: {r}: must be greater than or equal to 0")));
    }
    match selector {
        None => problems.push(FieldError::at_key("spec.selector", "Required value")),
        Some(s) if s.is_empty() => {
            problems.push(FieldError::at_key("spec.selector", format!("Invalid value: \"null\": empty selector is invalid for {kind}")))
        }
        Some(_) => {}
    }
    let labels = &template.metadata.labels;
    if !selector.is_some_and(|s| !s.is_empty() && s.matches(labels)) {
        problems.push(FieldError::at_key(
            "spec.template.metadata.labels",
            format!("Invalid value: {}: `selector` does not match template `labels`", go_string_map(labels)),
        ));
    }
    if let Some(policy) = template.spec.restart_policy.as_deref().filter(|p| *p != "Always") {
        problems.push(FieldError::not_supported("spec.template.spec.restartPolicy", policy, &["Always"]));
    }
    problems
}

/// Go's `%#v` of a `map[string]string`: `map[string]string{"app":"web"}`, keys sorted.
pub(crate) fn go_string_map(labels: &std::collections::BTreeMap<String, String>) -> String {
    let entries: Vec<String> =
        labels.iter().map(|(k, v)| format!("{}:{}", podplay_k8s_util::gofmt::quote(k), podplay_k8s_util::gofmt::quote(v))).collect();
    format!("map[string]string{{{}}}", entries.join(", "))
}

/// `SetDefaults_Deployment` (apps/v1) and the template's defaults.
pub(crate) fn apply_deployment_defaults(d: &mut crate::model::Deployment) {
    let spec = &mut d.spec;
    spec.replicas.get_or_insert(1);
    if spec.strategy.kind.is_none() {
        spec.strategy.kind = Some("RollingUpdate".into());
    }
    if spec.strategy.kind.as_deref() == Some("RollingUpdate") {
        let ru = spec.strategy.rolling_update.get_or_insert_with(Default::default);
        ru.max_unavailable.get_or_insert(crate::model::IntOrString::Str("25%".into()));
        ru.max_surge.get_or_insert(crate::model::IntOrString::Str("25%".into()));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    apply_template_defaults(&mut spec.template.spec);
}

/// `:latest` or no tag → Always, otherwise IfNotPresent (a digest counts as pinned).
pub(crate) fn default_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn pull_policy_defaults() {
        assert_eq!(default_pull_policy("busybox"), "Always");
        assert_eq!(default_pull_policy("busybox:latest"), "Always");
        assert_eq!(default_pull_policy("busybox:1.28"), "IfNotPresent");
        assert_eq!(default_pull_policy("localhost:5000/app"), "Always");
        assert_eq!(default_pull_policy("nginx@sha256:abc"), "IfNotPresent");
    }

    /// `validateDownwardAPIVolumeFile` and the projected sources' checks, in upstream's words
    /// and paths (an item's errors under its source's path, without the item's index).
    #[test]
    fn invalid_downward_api_and_projected_volumes() {
        let errors = |volumes: &str| -> String {
            let yaml = format!("metadata: {{name: p}}\nspec: {{containers: [{{name: c, image: busybox}}], volumes: [{volumes}]}}");
            let pod: Pod = serde_yaml::from_str(&yaml).unwrap();
            validate_pod(&pod, default_release()).unwrap_err().to_string()
        };
        assert_eq!(
            errors("{name: v, downwardAPI: {items: [{path: a, fieldRef: {fieldPath: spec.nodeName}}, {path: ../b, resourceFieldRef: {containerName: c, resource: limits.cpu, divisor: 1Mi}}, {path: c}]}}"),
            "The Pod \"p\" is invalid: [spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: \"spec.nodeName\": supported values: \"metadata.annotations\", \"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", spec.volumes[0].downwardAPI.path: Invalid value: \"../b\": must not contain '..', spec.volumes[0].downwardAPI.path: Invalid value: \"../b\": must not start with '..', spec.volumes[0].downwardAPI.resourceFieldRef.divisor: Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the cpu resource, spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required]"
        );
        assert_eq!(
            errors("{name: v, downwardAPI: {defaultMode: 1000, items: [{path: a, fieldRef: {apiVersion: v2, fieldPath: metadata.name}}, {path: b, fieldRef: {fieldPath: metadata.name}, resourceFieldRef: {containerName: c, resource: limits.cpu}}]}}"),
            "The Pod \"p\" is invalid: [spec.volumes[0].downwardAPI.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive, spec.volumes[0].downwardAPI.fieldRef.fieldPath: Invalid value: \"metadata.name\": error converting fieldPath: unsupported pod version: v2, spec.volumes[0].downwardAPI: Invalid value: \"resource\": fieldRef and resourceFieldRef can not be specified simultaneously]"
        );
        assert_eq!(
            errors("{name: v, projected: {sources: [{secret: {name: s, items: [{key: k, path: x}]}, configMap: {name: c}}, {downwardAPI: {items: [{path: x, fieldRef: {fieldPath: metadata.name}}]}}, {serviceAccountToken: {path: t, expirationSeconds: 60}}, {clusterTrustBundle: {name: b, path: b}}]}}"),
            "The Pod \"p\" is invalid: [spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type, spec.volumes[0].projected: Invalid value: \"x\": conflicting duplicate paths, spec.volumes[0].projected.sources[2].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes, spec.volumes[0].projected.sources[3].clusterTrustBundle: Forbidden: podplay does not simulate ClusterTrustBundles: use a configMap or secret source]"
        );
    }

    /// `validateEnvVarValueFrom` in upstream's words and paths: the env field paths
    /// (`status.hostIPs` by release: unknown to the label conversion before 1.28, refused while
    /// its gate is off in 1.28, allowed from 1.29), resource selectors (no container needed,
    /// hugepages allowed, their divisors), and one source exactly.
    #[test]
    fn invalid_env_value_sources() {
        let errors = |env: &str, release: &str| -> Result<(), String> {
            let yaml = format!("metadata: {{name: p}}\nspec: {{containers: [{{name: c, image: busybox, env: [{env}]}}]}}");
            let pod: Pod = serde_yaml::from_str(&yaml).unwrap();
            validate_pod(&pod, find_release(release).unwrap()).map_err(|e| e.to_string())
        };
        let host_ips = "{name: H, valueFrom: {fieldRef: {fieldPath: status.hostIPs}}}";
        assert_eq!(errors(host_ips, "1.29"), Ok(()));
        assert_eq!(
            errors(host_ips, "1.27").unwrap_err(),
            "The Pod \"p\" is invalid: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"status.hostIPs\": error converting fieldPath: field label not supported: status.hostIPs"
        );
        assert_eq!(
            errors(host_ips, "1.28").unwrap_err(),
            "The Pod \"p\" is invalid: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.hostIPs\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.podIP\", \"status.podIPs\""
        );
        let pod: Pod = serde_yaml::from_str("metadata: {name: p}\nspec: {containers: [{name: c, image: busybox, resources: {requests: {hugepages-2Mi: 0Mi}, limits: {hugepages-2Mi: 0Mi}}}]}").unwrap();
        assert_eq!(
            validate_pod(&pod, default_release()).unwrap_err().to_string(),
            "The Pod \"p\" is invalid: spec.containers[0].resources: Forbidden: HugePages require cpu or memory"
        );
        let fine = "{name: A, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}, {name: B, valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\"}}}, {name: C, valueFrom: {resourceFieldRef: {resource: limits.hugepages-2Mi, divisor: 1Mi}}}, {name: D, valueFrom: {configMapKeyRef: {name: m, key: k}}}";
        assert_eq!(errors(fine, "1.22"), Ok(()));
        assert_eq!(
            errors("{name: A, valueFrom: {fieldRef: {fieldPath: status.phase}}}, {name: B, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}, {name: C, valueFrom: {}}, {name: D, valueFrom: {resourceFieldRef: {resource: limits.hugepages-2Mi, divisor: 1m}, secretKeyRef: {name: s, key: k}}}", "1.36").unwrap_err(),
            "The Pod \"p\" is invalid: [spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\", spec.containers[0].env[1].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty, spec.containers[0].env[2].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`, spec.containers[0].env[3].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.hugepages-2Mi\": only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource, spec.containers[0].env[3].valueFrom: Invalid value: \"\": may not have more than one field specified at a time]"
        );
    }

    /// The API server's words for an invalid pod: one field error as it is, several in
    /// brackets, each once (apimachinery's `NewInvalid` over `utilerrors.NewAggregate`).
    #[test]
    fn invalid_pod_messages() {
        let pod = |yaml: &str| -> Pod { serde_yaml::from_str(yaml).unwrap() };
        let one = pod("metadata: {name: p}\nspec: {containers: [{name: c, image: busybox, imagePullPolicy: Sometimes}]}");
        assert_eq!(
            validate_pod(&one, default_release()).unwrap_err().to_string(),
            "The Pod \"p\" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""
        );
        let two =
            pod("metadata: {name: p}\nspec: {restartPolicy: Sometimes, containers: [{name: c, image: ''}, {name: c, image: busybox}]}");
        assert_eq!(
            validate_pod(&two, default_release()).unwrap_err().to_string(),
            "The Pod \"p\" is invalid: [spec.containers[0].image: Required value, spec.containers[1].name: Duplicate value: \"c\", spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"]"
        );
        let sub_paths = pod(
            "metadata: {name: p}\nspec: {volumes: [{name: v, emptyDir: {}}], containers: [{name: c, image: busybox, volumeMounts: [{name: v, mountPath: /a, subPath: /x/..}, {name: v, mountPath: /b, subPath: y, subPathExpr: $(Y)}]}]}",
        );
        assert_eq!(
            validate_pod(&sub_paths, default_release()).unwrap_err().to_string(),
            "The Pod \"p\" is invalid: [spec.containers[0].volumeMounts.subPath: Invalid value: \"/x/..\": must be a relative path, spec.containers[0].volumeMounts.subPath: Invalid value: \"/x/..\": must not contain '..', spec.containers[0].volumeMounts[1].subPathExpr: Invalid value: \"$(Y)\": subPathExpr and subPath are mutually exclusive]"
        );
        let mounts = pod("metadata: {name: p}\nspec: {containers: [{name: c, image: busybox, volumeMounts: [{name: nope, mountPath: /a}, {name: nope, mountPath: /a}]}]}");
        assert_eq!(
            validate_pod(&mounts, default_release()).unwrap_err().to_string(),
            "The Pod \"p\" is invalid: [spec.containers[0].volumeMounts[0].name: Not found: \"nope\", spec.containers[0].volumeMounts[1].name: Not found: \"nope\", spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/a\": must be unique]"
        );
        let unnamed = pod("metadata: {name: ''}\nspec: {containers: [{name: c, image: busybox}]}");
        assert_eq!(
            validate_pod(&unnamed, default_release()).unwrap_err().to_string(),
            "The Pod \"\" is invalid: metadata.name: Required value: name or generateName is required"
        );
    }
    /// (line, column, path, message) of each diagnostic the engine gives `text`'s objects.
    fn refused(text: &str) -> Vec<(usize, usize, Option<String>, String)> {
        let manifests = crate::source::load(&[crate::source::SourceFile { name: "pod.yaml".into(), text: text.into() }]).unwrap();
        match Engine::new(&manifests) {
            Ok(_) => panic!("the engine accepted {text}"),
            Err(errors) => errors.into_iter().map(|d| (d.line, d.column, d.path, d.message)).collect(),
        }
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n";

    #[test]
    fn a_missing_field_points_at_its_container() {
        let path = "spec.containers[0].image";
        assert_eq!(refused(POD), [(7, 5, Some(path.into()), format!("The Pod \"p\" is invalid: {path}: Required value"))]);
    }

    #[test]
    fn an_unsupported_value_points_at_it_with_a_suggestion() {
        let text = POD.replace("spec:\n", "spec:\n  restartPolicy: always\n") + "    image: busybox\n";
        assert_eq!(
            refused(&text),
            [(
                6,
                18,
                Some("spec.restartPolicy".into()),
                "The Pod \"p\" is invalid: spec.restartPolicy: Unsupported value: \"always\": supported values: \"Always\", \"OnFailure\", \"Never\"; did you mean \"Always\"?".into()
            )]
        );
    }

    #[test]
    fn two_probe_handlers_point_at_the_second_written() {
        let text =
            format!("{POD}    image: busybox\n    livenessProbe:\n      httpGet: {{path: /, port: 80}}\n      exec: {{command: [ls]}}\n");
        let path = "spec.containers[0].livenessProbe";
        assert_eq!(
            refused(&text),
            [(11, 7, Some(path.into()), format!("The Pod \"p\" is invalid: {path}: Forbidden: may not specify more than 1 handler type"))]
        );
    }

    #[test]
    fn a_grpc_port_no_socket_can_have_is_refused() {
        let text = format!("{POD}    image: busybox\n    livenessProbe:\n      grpc: {{port: 0}}\n");
        let path = "spec.containers[0].livenessProbe.grpc.port";
        let message = format!("The Pod \"p\" is invalid: {path}: Invalid value: 0: must be between 1 and 65535, inclusive");
        assert_eq!(refused(&text), [(10, 20, Some(path.into()), message)]);
    }

    /// `validateContainerPorts`: the port number's range, the name's IANA rules and
    /// uniqueness, the protocol; each at its value.
    #[test]
    fn container_ports_are_validated_as_validate_container_ports_does() {
        let text = format!(
            "{POD}    image: busybox\n    ports:\n    - containerPort: 70000\n    - {{containerPort: 80, name: Web_1, hostPort: -1}}\n    - {{containerPort: 81, name: web, protocol: tcp}}\n    - {{containerPort: 82, name: web}}\n    - {{containerPort: 83, name: '1234'}}\n"
        );
        let lead = "The Pod \"p\" is invalid: ";
        let at = |i: usize, field: &str| format!("spec.containers[0].ports[{i}].{field}");
        let got: Vec<(usize, usize, String)> = refused(&text).into_iter().map(|(l, c, _, m)| (l, c, m)).collect();
        assert_eq!(
            got,
            [
                (10, 22, format!("{lead}{}: Invalid value: 70000: must be between 1 and 65535, inclusive", at(0, "containerPort"))),
                (
                    11,
                    33,
                    format!(
                        "{lead}{}: Invalid value: \"Web_1\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                        at(1, "name")
                    )
                ),
                (11, 50, format!("{lead}{}: Invalid value: -1: must be between 1 and 65535, inclusive", at(1, "hostPort"))),
                (
                    12,
                    48,
                    format!(
                        "{lead}{}: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"; did you mean \"TCP\"?",
                        at(2, "protocol")
                    )
                ),
                (13, 33, format!("{lead}{}: Duplicate value: \"web\"", at(3, "name"))),
                (14, 33, format!("{lead}{}: Invalid value: \"1234\": must contain at least one letter (a-z)", at(4, "name"))),
            ]
        );
        assert_eq!(
            port_name_errors("a--very-long-port-name-"),
            ["must be no more than 15 characters", "must not contain consecutive hyphens", "must not begin or end with a hyphen"]
        );
    }

    /// `ValidateLabels`, `ValidateResourceRequirements`' request-at-most-limit check and
    /// `ValidateTolerations`, in `ValidatePodSpec`'s order, each at its field.
    #[test]
    fn labels_requests_and_tolerations_are_validated_as_the_api_server_does() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: my app}\nspec:\n  containers:\n  - name: a\n    image: busybox\n    resources:\n      requests: {cpu: 1500m}\n      limits: {cpu: '1'}\n  nodeSelector: {disk/type/x: ssd}\n  tolerations:\n  - {key: k, operator: Exists, value: v}\n  - {operator: Equal, value: v, effect: NoRun}\n";
        let lead = "The Pod \"p\" is invalid: ";
        let label = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
        let got: Vec<String> = refused(text).into_iter().map(|(_, _, _, m)| m.trim_start_matches(lead).to_string()).collect();
        let want = [
            format!("metadata.labels: Invalid value: \"my app\": {label}"),
            "spec.containers[0].resources.requests: Invalid value: \"1500m\": must be less than or equal to cpu limit of 1".to_string(),
            "spec.nodeSelector: Invalid value: \"disk/type/x\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".to_string(),
            "spec.tolerations[0].operator: Invalid value: core.Toleration{Key:\"k\", Operator:\"Exists\", Value:\"v\", Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'".to_string(),
            "spec.tolerations[1].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"".to_string(),
            "spec.tolerations[1].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"".to_string(),
        ];
        assert_eq!(got, want);
    }

    /// `validateHostPathVolumeSource`: a path, no `..` in it, a known type.
    #[test]
    fn host_path_volumes_are_validated_as_the_api_server_does() {
        let text = format!(
            "{POD}    image: busybox\n  volumes:\n  - {{name: a, hostPath: {{path: ''}}}}\n  - {{name: b, hostPath: {{path: /var/../etc, type: Dir}}}}\n"
        );
        let got: Vec<String> =
            refused(&text).into_iter().map(|(_, _, _, m)| m.trim_start_matches("The Pod \"p\" is invalid: ").to_string()).collect();
        let types = "\"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"";
        assert_eq!(
            got,
            [
                "spec.volumes[0].hostPath.path: Required value".to_string(),
                "spec.volumes[1].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..'".to_string(),
                format!("spec.volumes[1].hostPath.type: Unsupported value: \"Dir\": supported values: {types}"),
            ]
        );
    }

    #[test]
    fn each_field_error_of_an_object_has_its_own_position() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    restartPolicy: Sometimes\n    containers:\n    - {name: c, image: busybox}\n    - name: c\n      image: ''\n";
        let lead = "The Pod \"a\" is invalid: ";
        assert_eq!(
            refused(text),
            [
                (11, 13, Some("spec.containers[1].name".into()), format!("{lead}spec.containers[1].name: Duplicate value: \"c\"")),
                (12, 7, Some("spec.containers[1].image".into()), format!("{lead}spec.containers[1].image: Required value")),
                (
                    8,
                    20,
                    Some("spec.restartPolicy".into()),
                    format!("{lead}spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"")
                ),
            ]
        );
    }

    #[test]
    fn workload_errors_point_into_the_template() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: nginx}]\n";
        assert_eq!(
            refused(text),
            [(
                9,
                22,
                Some("spec.template.spec.restartPolicy".into()),
                "The Deployment \"web\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"".into()
            )]
        );
    }
}
