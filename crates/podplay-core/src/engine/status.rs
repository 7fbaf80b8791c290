//! The pod status the kubelet writes: container statuses (`convertToAPIContainerStatuses`),
//! the phase (`getPhase`) and the conditions (`status/generate.go`). Reference §3.3, §5.1, §5.2.

use podplay_k8s_util::image_ref::normalize as normalize_image;

use super::objects::{ContainerKey, Instance, StatusInputs};
use super::Engine;
use crate::model::{ContainerState, ContainerStatus, PodCondition, StateRunning, StateTerminated, StateWaiting};

impl Engine {
    fn container_inputs(&self, p: usize, key: ContainerKey) -> (u32, bool, bool, u32, bool, bool) {
        let r = self.pods[p].record(key);
        let newest = r.current();
        (
            r.instances.len() as u32,
            newest.is_some_and(|i| i.started_at.is_some()),
            newest.is_some_and(|i| i.finished.is_some()),
            r.start_error_writes,
            self.container_started(p, key),
            self.readiness_ok(p, key),
        )
    }

    fn pod_inputs(&self, p: usize) -> ([bool; 8], Option<crate::clock::Millis>, Option<usize>) {
        let rec = &self.pods[p];
        let now = self.now;
        (
            [
                rec.deleting(),
                rec.removed,
                rec.terminal,
                rec.terminal_on_delete,
                rec.sandbox_stopped,
                rec.marked_not_ready,
                rec.sandbox_ready_at.is_some_and(|t| t <= now),
                rec.pod.status.pod_ip.is_some(),
            ],
            rec.sandbox_ready_at,
            rec.node,
        )
    }

    fn status_inputs(&self, p: usize) -> StatusInputs {
        let rec = &self.pods[p];
        let init = (0..rec.init.len()).map(|index| ContainerKey { init: true, index });
        let main = (0..rec.main.len()).map(|index| ContainerKey { init: false, index });
        let containers = init.chain(main).map(|key| self.container_inputs(p, key)).collect();
        let (flags, sandbox_ready_at, node) = self.pod_inputs(p);
        StatusInputs { containers, flags, sandbox_ready_at, node }
    }

    /// Whether the status was last computed from the inputs it has now (checked without
    /// building them: this is every periodic resync).
    fn status_inputs_unchanged(&self, p: usize) -> bool {
        let rec = &self.pods[p];
        let Some(kept) = &rec.status_inputs else { return false };
        if (kept.flags, kept.sandbox_ready_at, kept.node) != self.pod_inputs(p) || kept.containers.len() != rec.init.len() + rec.main.len()
        {
            return false;
        }
        let init = (0..rec.init.len()).map(|index| ContainerKey { init: true, index });
        let main = (0..rec.main.len()).map(|index| ContainerKey { init: false, index });
        init.chain(main).zip(&kept.containers).all(|(key, kept)| self.container_inputs(p, key) == *kept)
    }

    /// Recomputes the pod's status as the kubelet's generateAPIPodStatus would now, writes it,
    /// and notes what changed on the timeline.
    pub(crate) fn update_status(&mut self, p: usize) {
        if self.status_inputs_unchanged(p) {
            #[cfg(debug_assertions)]
            self.assert_status_current(p);
            if !self.pods[p].terminal && !self.pods[p].deleting() {
                self.poke_readiness(p);
            }
            return;
        }
        self.pods[p].status_inputs = Some(self.status_inputs(p));
        let (init, main) = self.container_statuses(p);
        // Compared field by field instead of cloning the old status: this runs on every sync.
        let old_phase = self.pods[p].pod.status.phase.clone();
        let phase = if self.pods[p].terminal {
            old_phase.clone()
        } else if self.pods[p].terminal_on_delete {
            let all_zero = self.pods[p]
                .keys()
                .iter()
                .all(|k| self.pods[p].record(*k).current().and_then(|i| i.finished.as_ref()).is_none_or(|f| f.exit_code == 0));
            if all_zero {
                "Succeeded".to_string()
            } else {
                "Failed".to_string()
            }
        } else {
            get_phase(&self.pods[p].pod.spec, &init, &main, self.pods[p].restart_policy())
        };
        let now = self.now;
        let node_ip = self.pods[p].node.map(|n| self.nodes[n].internal_ip.clone());
        let release = self.release();
        let sandbox_ready =
            self.pods[p].sandbox_ready_at.is_some_and(|t| t <= now) && !self.pods[p].terminal_on_delete && !self.pods[p].sandbox_stopped;
        let rec = &mut self.pods[p];
        let status = &mut rec.pod.status;
        let mut changed = false;
        fn set<T: PartialEq>(field: &mut T, value: T, changed: &mut bool) {
            if *field != value {
                *field = value;
                *changed = true;
            }
        }
        if status.start_time.is_none() {
            status.start_time = Some(now);
            changed = true;
        }
        // generateAPIPodStatus: hostIPs from the node's addresses where the release has them.
        let host_ips = match (&node_ip, release.pod_host_ips) {
            (Some(ip), crate::version::PodHostIps::Enabled) => vec![ip.clone()],
            _ => Vec::new(),
        };
        set(&mut status.host_ip, node_ip, &mut changed);
        set(&mut status.host_ips, host_ips, &mut changed);
        set(&mut status.init_container_statuses, init, &mut changed);
        set(&mut status.container_statuses, main, &mut changed);
        set(&mut status.phase, phase.clone(), &mut changed);
        set(&mut status.qos_class, Some(qos_class(&rec.pod.spec)), &mut changed);
        if !sandbox_ready && !rec.terminal_on_delete && status.container_statuses.iter().all(|c| c.container_id.is_none()) {
            // The IP is reported once the sandbox's network is up.
            let ip = status.pod_ip.clone().filter(|_| rec.sandbox_ready_at.is_some_and(|t| t <= now));
            set(&mut status.pod_ip, ip, &mut changed);
        }
        let conditions = self.compute_conditions(p, &phase, sandbox_ready);
        changed |= self.write_conditions(p, conditions);
        if changed {
            // The status manager writes only when something changed.
            self.bump_resource_version(p);
        }
        if phase == "Succeeded" || phase == "Failed" {
            self.pods[p].terminal = true;
            self.release_node_resources(p);
        }
        if old_phase != phase {
            let cause = phase_cause(&phase, self.pods[p].restart_policy());
            // Whether exited containers end the pod is the restart policy's call.
            let fields =
                if phase == "Succeeded" || phase == "Failed" { vec![super::why::restart_policy(&self.pods[p])] } else { Vec::new() };
            let detail = super::ChangeDetail::PhaseChanged { from: old_phase.clone(), to: phase.to_string() };
            self.record_change_with(format!("pod/{}", self.pods[p].name()), detail, cause, fields);
        }
        self.update_endpoints_for_pod(p);
        if !self.pods[p].terminal && !self.pods[p].deleting() {
            self.poke_readiness(p);
        }
    }

    /// The init and app container statuses (app ones by name, as the kubelet sorts them).
    fn container_statuses(&self, p: usize) -> (Vec<ContainerStatus>, Vec<ContainerStatus>) {
        let init: Vec<ContainerStatus> =
            (0..self.pods[p].init.len()).map(|index| self.container_status(p, ContainerKey { init: true, index })).collect();
        let mut main: Vec<ContainerStatus> =
            (0..self.pods[p].main.len()).map(|index| self.container_status(p, ContainerKey { init: false, index })).collect();
        podplay_k8s_util::sort::sort_by(&mut main, |a, b| a.name.cmp(&b.name));
        (init, main)
    }

    /// Debug builds: a status kept because its inputs are unchanged equals a rebuilt one.
    #[cfg(debug_assertions)]
    fn assert_status_current(&self, p: usize) {
        let (init, main) = self.container_statuses(p);
        let status = &self.pods[p].pod.status;
        let name = self.pods[p].name();
        assert_eq!(status.init_container_statuses, init, "kept init container statuses of {name} are stale: StatusInputs misses an input");
        assert_eq!(status.container_statuses, main, "kept container statuses of {name} are stale: StatusInputs misses an input");
        if !self.pods[p].terminal && !self.pods[p].terminal_on_delete {
            let phase = get_phase(&self.pods[p].pod.spec, &init, &main, self.pods[p].restart_policy());
            assert_eq!(status.phase, phase, "kept phase of {name} is stale: StatusInputs misses an input");
        }
        let sandbox_ready = self.pods[p].sandbox_ready_at.is_some_and(|t| t <= self.now)
            && !self.pods[p].terminal_on_delete
            && !self.pods[p].sandbox_stopped;
        for (kind, ok, reason, message) in self.compute_conditions(p, &status.phase, sandbox_ready) {
            let kept = status.conditions.iter().find(|c| c.kind == kind).expect("kept condition");
            let forced = kind == "Ready" && self.pods[p].marked_not_ready;
            assert_eq!(kept.status == "True", ok && !forced, "kept condition {kind} of {name} is stale: StatusInputs misses an input");
            if kind != "PodScheduled" && !forced {
                assert_eq!((&kept.reason, &kept.message), (&reason, &message), "kept condition {kind} of {name} is stale");
            }
        }
    }

    fn container_status(&self, p: usize, key: ContainerKey) -> ContainerStatus {
        let rec = &self.pods[p];
        let c = rec.spec_container(key);
        let cr = rec.record(key);
        let has_init = !rec.pod.spec.init_containers.is_empty();
        let default_waiting = if has_init { "PodInitializing" } else { "ContainerCreating" };
        let policy = if key.init && c.is_sidecar() { "Always" } else { rec.restart_policy() };
        let n = cr.instances.len();
        let newest = cr.instances.last();
        let previous = if n >= 2 { cr.instances.get(n - 2) } else { None };
        let mut state = match newest {
            None => match &cr.start_error {
                Some((reason, message)) => ContainerState::waiting(reason, Some(message.clone())),
                None => ContainerState::waiting(default_waiting, None),
            },
            Some(i) => instance_state(i),
        };
        let mut last_state = previous.map(instance_state).filter(|s| s.terminated.is_some()).unwrap_or_default();
        if let (Some(i), Some((reason, message))) = (newest, &cr.start_error) {
            if let Some(f) = &i.finished {
                let restartable = if key.init { f.exit_code != 0 || c.is_sidecar() } else { should_restart(policy, f.exit_code) };
                if restartable && !rec.deleting() {
                    last_state = state;
                    state = ContainerState::waiting(reason, Some(message.clone()));
                }
            }
        }
        let running = state.running.is_some();
        let started = running && self.container_started(p, key);
        // An init container (not a sidecar) is ready once it exited 0 (convertToAPIContainerStatuses).
        let ready = if key.init && !c.is_sidecar() {
            state.terminated.as_ref().is_some_and(|t| t.exit_code == 0)
        } else {
            running && started && self.readiness_ok(p, key)
        };
        let image_id = newest.map(|i| i.image_id.clone()).unwrap_or_default();
        ContainerStatus {
            name: c.name.clone(),
            state,
            last_state,
            ready,
            restart_count: n.saturating_sub(1) as i32,
            image: newest.map_or_else(|| image_before_creation(&c.image), |i| i.image.clone()),
            image_id,
            container_id: newest.map(|i| i.container_id.clone()),
            started: Some(started),
        }
    }

    fn compute_conditions(&self, p: usize, phase: &str, sandbox_ready: bool) -> Vec<(String, bool, Option<String>, Option<String>)> {
        let rec = &self.pods[p];
        let mut out = Vec::new();
        if self.release.ready_to_start_condition {
            out.push(("PodReadyToStartContainers".to_string(), sandbox_ready, None, None));
        }
        // Initialized
        let mut incomplete = Vec::new();
        let any_main_started = rec.main.iter().any(|r| !r.instances.is_empty());
        for (index, c) in rec.pod.spec.init_containers.iter().enumerate() {
            let r = &rec.init[index];
            let done = if c.is_sidecar() {
                r.is_running() && self.container_started(p, ContainerKey { init: true, index })
            } else {
                r.current().and_then(|i| i.finished.as_ref()).is_some_and(|f| f.exit_code == 0)
            };
            if !done {
                incomplete.push(c.name.clone());
            }
        }
        if phase == "Succeeded" {
            out.push(("Initialized".into(), true, Some("PodCompleted".into()), None));
        } else if incomplete.is_empty() || any_main_started {
            out.push(("Initialized".into(), true, None, None));
        } else {
            out.push((
                "Initialized".into(),
                false,
                Some("ContainersNotInitialized".into()),
                Some(format!("containers with incomplete status: [{}]", incomplete.join(" "))),
            ));
        }
        // ContainersReady / Ready, from the `ready` flags just written (spec order, as the
        // kubelet lists them).
        let ready_in = |statuses: &[ContainerStatus], name: &str| statuses.iter().any(|s| s.name == name && s.ready);
        let mut unready: Vec<String> = Vec::new();
        for c in rec.pod.spec.init_containers.iter().filter(|c| c.is_sidecar()) {
            if !ready_in(&rec.pod.status.init_container_statuses, &c.name) {
                unready.push(c.name.clone());
            }
        }
        for c in &rec.pod.spec.containers {
            if !ready_in(&rec.pod.status.container_statuses, &c.name) {
                unready.push(c.name.clone());
            }
        }
        let containers_ready = match phase {
            "Succeeded" => (false, Some("PodCompleted".to_string()), None),
            "Failed" => (false, Some("PodFailed".to_string()), None),
            _ if unready.is_empty() => (true, None, None),
            _ => (false, Some("ContainersNotReady".to_string()), Some(format!("containers with unready status: [{}]", unready.join(" ")))),
        };
        // GeneratePodReadyCondition: ContainersReady's answer, unless the containers are ready
        // and a readiness gate's condition (among the conditions the kubelet does not own, as
        // the API has them) is missing or not True.
        let ready = if containers_ready.0 { gates_ready(&rec.pod, &out) } else { containers_ready.clone() };
        out.push(("Ready".into(), ready.0, ready.1, ready.2));
        out.push(("ContainersReady".into(), containers_ready.0, containers_ready.1, containers_ready.2));
        out.push(("PodScheduled".into(), true, None, None));
        out
    }

    /// Writes the conditions; true when they differ from the ones the pod had.
    fn write_conditions(&mut self, p: usize, conditions: Vec<(String, bool, Option<String>, Option<String>)>) -> bool {
        let now = self.now;
        let old = std::mem::take(&mut self.pods[p].pod.status.conditions);
        let marked = self.pods[p].marked_not_ready;
        let mut new = Vec::new();
        let mut changes = Vec::new();
        // Conditions the kubelet does not own (DisruptionTarget, readiness gates' conditions)
        // come first, as generateAPIPodStatus keeps them.
        for c in old.iter().filter(|c| !owned_by_kubelet(&c.kind)) {
            new.push(c.clone());
        }
        for (kind, ok, reason, message) in conditions {
            let mut status = if ok { "True" } else { "False" }.to_string();
            if kind == "Ready" && marked {
                status = "False".into();
            }
            let previous = old.iter().find(|c| c.kind == kind);
            let transition = match previous {
                Some(c) if c.status == status => c.last_transition_time,
                _ => now,
            };
            if previous.map(|c| c.status.as_str()) != Some(status.as_str()) {
                changes.push(super::ConditionChange::new(&kind, &status));
            }
            let (reason, message) = if kind == "PodScheduled" {
                (None, None)
            } else if kind == "Ready" && marked {
                (previous.and_then(|c| c.reason.clone()), previous.and_then(|c| c.message.clone()))
            } else {
                (reason, message)
            };
            new.push(PodCondition { kind, status, last_probe_time: None, last_transition_time: transition, reason, message });
        }
        let changed = new != old;
        self.pods[p].pod.status.conditions = new;
        if !changes.is_empty() {
            self.record_change(
                format!("pod/{}", self.pods[p].name()),
                super::ChangeDetail::Conditions { changes },
                "the kubelet recomputed the pod's conditions from its containers",
            );
        }
        changed
    }
}

/// `PodConditionByKubelet`: the conditions the kubelet writes (every other one it keeps as the
/// API has it).
fn owned_by_kubelet(kind: &str) -> bool {
    matches!(
        kind,
        "PodScheduled"
            | "Ready"
            | "Initialized"
            | "ContainersReady"
            | "PodReadyToStartContainers"
            | "PodResizePending"
            | "PodResizeInProgress"
    )
}

/// The Ready condition of a pod whose containers are ready: True when every readiness gate's
/// condition is True, else False with `ReadinessGatesNotReady` and the message of each gate
/// that is not (`GeneratePodReadyCondition`). The conditions it looks in are the status's so
/// far: those the kubelet does not own, as the API has them, then the kubelet's own generated
/// before Ready (`generated`: PodReadyToStartContainers, Initialized).
fn gates_ready(
    pod: &crate::model::Pod,
    generated: &[(String, bool, Option<String>, Option<String>)],
) -> (bool, Option<String>, Option<String>) {
    let mut unready = Vec::new();
    for gate in &pod.spec.readiness_gates {
        let kind = &gate.condition_type;
        let status = match pod.status.conditions.iter().find(|c| &c.kind == kind && !owned_by_kubelet(&c.kind)) {
            Some(c) => Some(c.status.clone()),
            None => generated.iter().find(|(k, ..)| k == kind).map(|(_, ok, ..)| if *ok { "True" } else { "False" }.to_string()),
        };
        match status {
            None => unready
                .push(format!("corresponding condition of pod readiness gate {} does not exist.", podplay_k8s_util::gofmt::quote(kind))),
            Some(status) if status != "True" => unready
                .push(format!("the status of pod readiness gate {} is not \"True\", but {status}", podplay_k8s_util::gofmt::quote(kind))),
            Some(_) => {}
        }
    }
    if unready.is_empty() {
        (true, None, None)
    } else {
        (false, Some("ReadinessGatesNotReady".into()), Some(unready.join(", ")))
    }
}

fn instance_state(i: &Instance) -> ContainerState {
    match (&i.finished, i.started_at) {
        (Some(f), started) => ContainerState {
            terminated: Some(StateTerminated {
                exit_code: f.exit_code,
                signal: None,
                reason: Some(f.reason.clone()),
                message: f.message.clone(),
                started_at: started,
                finished_at: Some(f.at),
                container_id: Some(i.container_id.clone()),
            }),
            ..Default::default()
        },
        (None, Some(at)) => ContainerState { running: Some(StateRunning { started_at: at }), ..Default::default() },
        (None, None) => ContainerState { waiting: Some(StateWaiting::default()), ..Default::default() },
    }
}

/// A stable, image-specific digest so `Image ID:` looks like a real one.
/// The image of a container status before any container was created: normalised, or as the
/// spec writes it when it does not parse (InvalidImageName: there is no normal form).
fn image_before_creation(image: &str) -> String {
    use podplay_k8s_util::image_ref::{parse_error, ReferenceLibrary};
    match parse_error(image, ReferenceLibrary::DockerDistribution) {
        Some(_) => image.to_string(),
        None => normalize_image(image),
    }
}

pub(crate) fn image_id_for(image: &str) -> String {
    let normalized = normalize_image(image);
    let repo = normalized.rsplit_once(':').map(|(r, _)| r).filter(|r| !r.contains('@')).unwrap_or(&normalized).to_string();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut hex = String::new();
    for round in 0..4u64 {
        for b in normalized.bytes().chain(round.to_le_bytes()) {
            h ^= b as u64;
            h = h.wrapping_mul(0x1000_0000_01b3);
        }
        hex.push_str(&format!("{h:016x}"));
    }
    format!("{repo}@sha256:{hex}")
}

/// The pod's QoS class from its containers' requests and limits (`ComputePodQOS`,
/// `pkg/apis/core/helper/qos`), as the API server sets it at creation and kubectl computes it
/// when the status has none. Only cpu and memory count, and only quantities above zero;
/// requests and limits are summed over init and regular containers, and the pod is Guaranteed
/// when every container limits both and the summed requests equal the summed limits. It runs
/// on the defaulted pod, where a limit without a request has become the request too
/// (`SetDefaults_Pod`). Pod-level `spec.resources` (PodLevelResources) is not modelled.
pub fn qos_class(spec: &crate::model::PodSpec) -> String {
    let mut requests: std::collections::BTreeMap<&str, i128> = std::collections::BTreeMap::new();
    let mut limits: std::collections::BTreeMap<&str, i128> = std::collections::BTreeMap::new();
    let mut guaranteed = true;
    for c in spec.containers.iter().chain(spec.init_containers.iter()) {
        let quantity = |list: Option<&std::collections::BTreeMap<String, crate::model::Quantity>>, res: &str| {
            list.and_then(|l| l.get(res)).map(|q| q.milli)
        };
        let mut limits_found = 0;
        for res in ["cpu", "memory"] {
            let limit = quantity(c.resources.as_ref().map(|r| &r.limits), res);
            let request = quantity(c.resources.as_ref().map(|r| &r.requests), res).or(limit);
            if let Some(q) = request.filter(|q| *q > 0) {
                *requests.entry(res).or_default() += q;
            }
            if let Some(q) = limit.filter(|q| *q > 0) {
                *limits.entry(res).or_default() += q;
                limits_found += 1;
            }
        }
        if limits_found < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort".into();
    }
    if guaranteed && requests.iter().any(|(res, req)| limits.get(res) != Some(req)) {
        guaranteed = false;
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed".into()
    } else {
        "Burstable".into()
    }
}

fn phase_cause(phase: &str, policy: &str) -> String {
    match phase {
        "Running" => "at least one container is running (or restarting under restartPolicy Always)".into(),
        "Succeeded" => "every container exited with code 0 and none will be restarted".into(),
        "Failed" => {
            format!("every container has stopped, at least one with a non-zero code, and restartPolicy {policy} will not restart it")
        }
        "Pending" => "the pod is accepted but not every container has been created yet".into(),
        _ => String::new(),
    }
}

/// getPhase (`pkg/kubelet/kubelet_pods.go`), over the statuses just built.
pub(crate) fn get_phase(spec: &crate::model::PodSpec, init: &[ContainerStatus], main: &[ContainerStatus], policy: &str) -> String {
    // A port of getPhase (K1.32 `pkg/kubelet/kubelet_pods.go`), podIsTerminal=false (the
    // terminal-on-delete case is decided by the caller). Statuses are looked up by name
    // (`podutil.GetContainerStatus`), so a container without a status counts as missing.
    let find = |list: &[ContainerStatus], name: &str| list.iter().find(|s| s.name == name).cloned();
    let mut pending_initialization = 0;
    let mut failed_initialization = 0;
    for c in spec.init_containers.iter().filter(|c| !c.is_sidecar()) {
        let Some(s) = find(init, &c.name) else {
            pending_initialization += 1;
            continue;
        };
        if s.state.running.is_some() {
            pending_initialization += 1;
        } else if let Some(t) = &s.state.terminated {
            if t.exit_code != 0 {
                failed_initialization += 1;
            }
        } else if s.state.waiting.is_some() {
            match &s.last_state.terminated {
                Some(t) if t.exit_code != 0 => failed_initialization += 1,
                Some(_) => {}
                None => pending_initialization += 1,
            }
        } else {
            pending_initialization += 1;
        }
    }
    let (mut unknown, mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0, 0);
    // Restartable (sidecar) init containers count towards running/waiting/unknown like regular
    // containers; a terminated one, or one waiting to restart after a termination, is ignored.
    let mut pending_restartable_init = 0;
    for c in spec.init_containers.iter().filter(|c| c.is_sidecar()) {
        let Some(s) = find(init, &c.name) else {
            unknown += 1;
            continue;
        };
        if s.state.running.is_some() {
            if s.started != Some(true) {
                pending_restartable_init += 1;
            }
            running += 1;
        } else if s.state.terminated.is_some() {
        } else if s.state.waiting.is_some() {
            if s.last_state.terminated.is_none() {
                pending_restartable_init += 1;
                waiting += 1;
            }
        } else {
            pending_restartable_init += 1;
            unknown += 1;
        }
    }
    for c in &spec.containers {
        let Some(s) = find(main, &c.name) else {
            unknown += 1;
            continue;
        };
        if s.state.running.is_some() {
            running += 1;
        } else if let Some(t) = &s.state.terminated {
            stopped += 1;
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if s.state.waiting.is_some() {
            if s.last_state.terminated.is_some() {
                stopped += 1;
            } else {
                waiting += 1;
            }
        } else {
            unknown += 1;
        }
    }
    // kubecontainer.HasAnyRegularContainerStarted (K1.32 `pkg/kubelet/container/helpers.go`):
    // a regular container's current state is running or terminated.
    let any_regular_started = main
        .iter()
        .filter(|s| spec.containers.iter().any(|c| c.name == s.name))
        .any(|s| s.state.running.is_some() || s.state.terminated.is_some());
    if failed_initialization > 0 && policy == "Never" {
        return "Failed".into();
    }
    if pending_initialization > 0 || (pending_restartable_init > 0 && !any_regular_started) || waiting > 0 {
        return "Pending".into();
    }
    if running > 0 && unknown == 0 {
        return "Running".into();
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if policy == "Always" {
            return "Running".into();
        }
        if stopped == succeeded {
            return "Succeeded".into();
        }
        if policy == "Never" {
            return "Failed".into();
        }
        return "Running".into();
    }
    "Pending".into()
}

/// ShouldContainerBeRestarted for an exited container (pod not being deleted).
pub(crate) fn should_restart(policy: &str, exit_code: i32) -> bool {
    match policy {
        "Never" => false,
        "OnFailure" => exit_code != 0,
        _ => true,
    }
}
