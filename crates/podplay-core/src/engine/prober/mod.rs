//! The kubelet's prober: one worker per (container, probe kind), as `pkg/kubelet/prober`
//! (`worker.go`, `prober.go`, `prober_manager.go`; reference §2). A worker probes at once when
//! it is created and then on every tick of its period; results are published only after
//! `successThreshold`/`failureThreshold` equal results in a row.

mod exec;
mod grpc;
mod handler;
mod http;
mod tcp;
pub(crate) mod worker;

pub(crate) use handler::{resolve_port, PreparedProbe};
#[cfg(test)]
pub use worker::ProbeLog;
pub use worker::{AttemptOutcome, ProbeAttemptRecord, ProbeKind, ProbeWorker, MAX_PROBE_ATTEMPTS};
pub(crate) use worker::{Outcome, Steady};

use super::objects::ContainerKey;
use super::{why, Engine, Task};
use crate::clock::{Millis, SECOND};
use crate::model::Probe;

/// Where a tick of this worker stands among the tasks of its millisecond (`Task::rank`): before
/// every other kind of task, ordered by pod, then container, then kind: startup first (it gates
/// the other two), then liveness, then readiness (the order the workers are created in). Never
/// 0 and never `u64::MAX`.
pub(crate) fn tick_rank(p: usize, key: ContainerKey, kind: ProbeKind) -> u64 {
    let kind = match kind {
        ProbeKind::Startup => 0,
        ProbeKind::Liveness => 1,
        ProbeKind::Readiness => 2,
    };
    1 + (((p as u64) << 24) | ((key.init as u64) << 23) | ((key.index as u64 & 0x1f_ffff) << 2) | kind)
}

fn probe_of(c: &crate::model::Container, kind: ProbeKind) -> Option<&Probe> {
    match kind {
        ProbeKind::Liveness => c.liveness_probe.as_deref(),
        ProbeKind::Readiness => c.readiness_probe.as_deref(),
        ProbeKind::Startup => c.startup_probe.as_deref(),
    }
}

/// The prober manager's state besides its workers (which live in the pod records).
pub(crate) struct ProberState {
    /// Steady probes are settled in bulk instead of tick by tick (`set_fast_forward`).
    fast_forward: bool,
    /// The worker of each of the runtime's standing probes, by id (`Steady`).
    standing_workers: Vec<Option<(usize, ContainerKey, ProbeKind)>>,
    /// Probe ticks counted in bulk so far (`fast_forwarded_ticks`).
    fast_forwarded_ticks: u64,
}

impl Default for ProberState {
    fn default() -> Self {
        ProberState { fast_forward: true, standing_workers: Vec::new(), fast_forwarded_ticks: 0 }
    }
}

impl Engine {
    /// Turns the fast-forward of steady probes on (the default) or off. Off runs every probe
    /// tick one by one; the output is the same either way (`tests/fast_forward.rs` checks), so
    /// this exists for those tests and for measuring.
    pub fn set_fast_forward(&mut self, on: bool) {
        self.prober.fast_forward = on;
    }

    /// How many probe ticks the fast-forward has counted in bulk instead of running them.
    pub fn fast_forwarded_ticks(&self) -> u64 {
        self.prober.fast_forwarded_ticks
    }

    /// prober_manager.AddPod: a worker per probe of every regular container and sidecar.
    pub(crate) fn add_probe_workers(&mut self, p: usize) {
        for key in self.pods[p].keys() {
            let c = self.pods[p].spec_container(key).clone();
            if key.init && !c.is_sidecar() {
                continue;
            }
            for kind in [ProbeKind::Liveness, ProbeKind::Readiness, ProbeKind::Startup] {
                if let Some(probe) = probe_of(&c, kind) {
                    let prepared = PreparedProbe::new(probe, &c, self.release.kubelet_major_minor);
                    let mut worker = ProbeWorker::new(kind, prepared);
                    worker.next_at = Some(self.now);
                    self.pods[p].record_mut(key).probes.push(worker);
                    self.schedule(self.now, Task::Probe(p, key, kind, 0));
                }
            }
        }
    }

    /// prober_manager.StopLivenessAndStartup, called when the pod starts terminating (K1.32
    /// `pkg/kubelet/kubelet.go` SyncTerminatingPod): readiness keeps probing until the
    /// containers have stopped and the pod is removed from the prober (RemovePod).
    pub(crate) fn stop_liveness_and_startup(&mut self, p: usize) {
        self.unsteady_pod(p);
        for key in self.pods[p].keys() {
            for w in &mut self.pods[p].record_mut(key).probes {
                if w.kind != ProbeKind::Readiness {
                    w.stopped = true;
                }
            }
        }
    }

    pub(crate) fn stop_probe_workers(&mut self, p: usize) {
        self.unsteady_pod(p);
        for key in self.pods[p].keys() {
            for w in &mut self.pods[p].record_mut(key).probes {
                w.stopped = true;
            }
        }
    }

    /// Every probe attempt of every pod's containers, pod by pod in the engine's order, each
    /// worker's attempts in time order (deleted pods included: their attempts happened).
    pub fn probe_attempts(&self) -> Vec<ProbeAttemptRecord> {
        let mut out = Vec::new();
        for r in &self.pods {
            for key in r.keys() {
                let container = &r.spec_container(key).name;
                for w in &r.record(key).probes {
                    out.extend(w.attempts.iter().take(MAX_PROBE_ATTEMPTS).map(|a| ProbeAttemptRecord {
                        pod: r.name().to_string(),
                        container: container.clone(),
                        kind: w.kind,
                        at: a.at,
                        outcome: a.outcome,
                    }));
                }
            }
        }
        out
    }

    fn worker(&self, p: usize, key: ContainerKey, kind: ProbeKind) -> Option<&ProbeWorker> {
        self.pods[p].record(key).probes.iter().find(|w| w.kind == kind)
    }

    fn worker_mut(&mut self, p: usize, key: ContainerKey, kind: ProbeKind) -> Option<&mut ProbeWorker> {
        self.pods[p].record_mut(key).probes.iter_mut().find(|w| w.kind == kind)
    }

    /// Whether the `kind` worker's published result for the current container instance is
    /// Success; true when the container has no such probe.
    fn probe_passed(&self, p: usize, key: ContainerKey, kind: ProbeKind) -> bool {
        match self.worker(p, key, kind) {
            Some(w) => w.result == Some(true) && w.container == self.pods[p].record(key).current().map(|i| i.handle),
            None => true,
        }
    }

    /// `started`: the startup probe succeeded, or there is none.
    pub(crate) fn container_started(&self, p: usize, key: ContainerKey) -> bool {
        self.probe_passed(p, key, ProbeKind::Startup)
    }

    /// Readiness: the published readiness result is Success, or there is no readiness probe.
    pub(crate) fn readiness_ok(&self, p: usize, key: ContainerKey) -> bool {
        self.probe_passed(p, key, ProbeKind::Readiness)
    }

    /// UpdatePodStatus's manual trigger: a running container whose readiness is not Success
    /// gets an immediate readiness probe, and that worker's ticker restarts from now.
    pub(crate) fn poke_readiness(&mut self, p: usize) {
        for key in self.pods[p].keys() {
            if !self.pods[p].record(key).is_running() || self.readiness_ok(p, key) {
                continue;
            }
            let now = self.now;
            if let Some(w) = self.worker_mut(p, key, ProbeKind::Readiness) {
                if w.stopped || w.steady.is_some() {
                    continue;
                }
                w.tick_generation += 1;
                w.next_at = Some(now);
                let generation = w.tick_generation;
                self.schedule(now, Task::Probe(p, key, ProbeKind::Readiness, generation));
            }
        }
    }

    pub(crate) fn probe_tick(&mut self, p: usize, key: ContainerKey, kind: ProbeKind, generation: u32) {
        let Some(w) = self.worker(p, key, kind) else { return };
        if w.stopped || w.tick_generation != generation || self.pods[p].removed || w.steady.is_some() {
            return;
        }
        let probe = w.prepared.clone();
        let period = probe.spec.period_seconds().max(1) as Millis * SECOND;
        let step = if self.node_connected(p) { self.do_probe(p, key, kind, &probe) } else { None };
        let next = self.now + period;
        if let Some(w) = self.worker_mut(p, key, kind) {
            if !w.stopped && w.tick_generation == generation {
                w.next_at = Some(next);
                if step == Some("probe:ok") && self.try_stand(p, key, kind, &probe, next, period) {
                    return;
                }
                self.schedule(next, Task::Probe(p, key, kind, generation));
            } else if w.stopped {
                w.next_at = None;
            }
        }
    }

    /// After a successful tick: makes the worker's next ticks a standing probe when they are
    /// known to change nothing but counters (see `Steady`). The first is at `first`.
    fn try_stand(&mut self, p: usize, key: ContainerKey, kind: ProbeKind, probe: &PreparedProbe, first: Millis, period: Millis) -> bool {
        if !self.prober.fast_forward || kind == ProbeKind::Startup || !self.steady_holds(p, key, kind) {
            return false;
        }
        let success_threshold = probe.spec.success_threshold().max(1);
        let Some(handle) = self.worker(p, key, kind).filter(|w| w.run >= success_threshold).and_then(|w| w.container) else {
            return false;
        };
        let Some(ip) = self.pods[p].pod.status.pod_ip.clone() else { return false };
        let Some(target) = probe.standing_target(&ip, handle) else { return false };
        let rank = tick_rank(p, key, kind);
        let Some(id) = self.cri.bulk().and_then(|b| b.stand_probe(target, first, period, rank)) else {
            return false;
        };
        if self.prober.standing_workers.len() <= id as usize {
            self.prober.standing_workers.resize(id as usize + 1, None);
        }
        self.prober.standing_workers[id as usize] = Some((p, key, kind));
        let w = self.worker_mut(p, key, kind).expect("worker exists");
        w.steady = Some(Steady { id, next: first, period, rank });
        true
    }

    /// What a steady worker's ticks rely on, on the engine's side: the pod is neither gone nor
    /// being deleted, its node reports, the worker runs (not stopped, not on hold) for the
    /// running instance it probed, the startup probe (if any) has passed, and the result is a
    /// Success that another Success keeps.
    pub(crate) fn steady_holds(&self, p: usize, key: ContainerKey, kind: ProbeKind) -> bool {
        let rec = &self.pods[p];
        let Some(w) = self.worker(p, key, kind) else { return false };
        let instance_ok =
            rec.record(key).current().is_some_and(|i| Some(i.handle) == w.container && i.started_at.is_some() && i.finished.is_none());
        !rec.removed
            && !rec.deleting()
            && self.node_connected(p)
            && !w.stopped
            && !w.on_hold
            && w.result == Some(true)
            && w.last == Some(true)
            && instance_ok
            && (self.worker(p, key, ProbeKind::Startup).is_none() || self.container_started(p, key))
    }

    /// Counts `count` ticks of steady worker (p, key, kind) from its next one: each was a
    /// Success that changed nothing else.
    fn count_ticks(&mut self, p: usize, key: ContainerKey, kind: ProbeKind, count: u64) {
        if count == 0 {
            return;
        }
        debug_assert!(
            self.steady_holds(p, key, kind),
            "steady worker {p}/{key:?}/{kind:?} counted after its pod changed: a call of unsteady_pod is missing"
        );
        self.prober.fast_forwarded_ticks += count;
        let w = self.worker_mut(p, key, kind).expect("worker exists");
        let Some(st) = &mut w.steady else { return };
        let last = st.next + st.period * (count - 1);
        w.attempts.push_many(st.next, st.period, count, AttemptOutcome::Success);
        st.next += st.period * count;
        w.run = w.run.saturating_add(count.min(i32::MAX as u64) as i32);
        w.last_probe_at = Some(last);
        w.next_at = Some(st.next);
    }

    /// Counts every steady worker's ticks up to the point (`at`, `rank`) (the end of a run,
    /// before anyone reads the workers).
    pub(crate) fn count_steady_ticks(&mut self, at: Millis, rank: u64) {
        for id in 0..self.prober.standing_workers.len() {
            let Some((p, key, kind)) = self.prober.standing_workers[id] else { continue };
            let Some(st) = self.worker(p, key, kind).and_then(|w| w.steady) else { continue };
            self.count_ticks(p, key, kind, st.ticks_before(at, rank));
        }
    }

    /// The runtime's standing probes that broke (something in the pod's containers changed):
    /// their workers count the ticks that ran and go back to ticking one by one from the next.
    pub(crate) fn take_broken_standing(&mut self) {
        let broken = self.cri.bulk().map(|b| b.take_broken_standing()).unwrap_or_default();
        for (id, next) in broken {
            self.leave_steady(id, next);
        }
    }

    fn leave_steady(&mut self, id: u32, next: Millis) {
        let Some((p, key, kind)) = self.prober.standing_workers.get_mut(id as usize).and_then(Option::take) else { return };
        let Some(st) = self.worker(p, key, kind).and_then(|w| w.steady) else { return };
        debug_assert!(next >= st.next && (next - st.next).is_multiple_of(st.period), "the runtime's and the engine's ticks agree");
        self.count_ticks(p, key, kind, (next.saturating_sub(st.next)) / st.period);
        let w = self.worker_mut(p, key, kind).expect("worker exists");
        w.steady = None;
        w.next_at = Some(next);
        let generation = w.tick_generation;
        self.schedule(next, Task::Probe(p, key, kind, generation));
    }

    /// [`Engine::unsteady_pod`] for every pod on node `n` (it stops or starts reporting).
    pub(crate) fn unsteady_node(&mut self, n: usize) {
        for p in self.nodes[n].bound.clone() {
            self.unsteady_pod(p);
        }
    }

    /// Something about pod `p` that its workers' ticks read is about to change (deletion, node
    /// loss, a container started or killed, workers stopping): its steady workers count the
    /// ticks that came before now and tick one by one again.
    pub(crate) fn unsteady_pod(&mut self, p: usize) {
        self.take_broken_standing();
        for key in self.pods[p].keys() {
            for i in 0..self.pods[p].record(key).probes.len() {
                let w = &self.pods[p].record(key).probes[i];
                let Some(st) = w.steady else { continue };
                // A standing probe the runtime ended is reported by `take_broken_standing`,
                // handled just above; should one go missing, the engine's own count of the
                // ticks before now says where ticking resumes (a worker must never be left
                // with neither a standing probe nor a tick queued).
                let next = self.cri.bulk().and_then(|b| b.end_standing(st.id)).unwrap_or_else(|| {
                    debug_assert!(false, "standing probe {} ended without a report", st.id);
                    st.next + st.ticks_before(self.last_point.0, self.last_point.1) * st.period
                });
                self.leave_steady(st.id, next);
            }
        }
    }

    fn do_probe(&mut self, p: usize, key: ContainerKey, kind: ProbeKind, probe: &PreparedProbe) -> Option<&'static str> {
        let _step = self.do_probe_steps(p, key, kind, probe);
        #[cfg(test)]
        if let Some(step) = _step {
            let now = self.now;
            let w = self.worker_mut(p, key, kind).expect("worker exists");
            let attempt = if step.starts_with("probe") { Some(step == "probe:ok") } else { None };
            let step = if attempt.is_some() { "probe" } else { step };
            let entry = ProbeLog { at: now, step, attempt, result: w.result, run: w.run, on_hold: w.on_hold };
            w.history.push(entry);
        }
        _step
    }

    /// worker.doProbe; returns which step it ended at (None: no container yet).
    fn do_probe_steps(&mut self, p: usize, key: ContainerKey, kind: ProbeKind, probe: &PreparedProbe) -> Option<&'static str> {
        let inst = self.pods[p].record(key).current()?;
        let (handle, started_at, finished) = (inst.handle, inst.started_at, inst.finished.is_some());
        let deleting = self.pods[p].deleting();
        let startup_exists = self.worker(p, key, ProbeKind::Startup).is_some();
        let started_flag = self.container_started(p, key);
        let release = self.release;
        let w = self.worker_mut(p, key, kind).expect("worker exists");
        if w.container != Some(handle) {
            w.container = Some(handle);
            w.result = match kind {
                ProbeKind::Readiness => Some(false),
                ProbeKind::Liveness => Some(true),
                ProbeKind::Startup => None,
            };
            w.last = None;
            w.run = 0;
            w.on_hold = false;
        }
        if w.on_hold {
            return Some("hold");
        }
        let running = started_at.is_some() && !finished;
        if !running {
            w.result = Some(false);
            w.last = None;
            w.run = 0;
            return Some("not-running");
        }
        // Only liveness and startup stop on a deletionTimestamp (set Success for a quiet
        // shutdown); readiness keeps probing while the pod terminates (K1.32
        // `pkg/kubelet/prober/worker.go` doProbe; worker_test.go TestDoProbe).
        if deleting && kind != ProbeKind::Readiness {
            w.result = Some(true);
            w.stopped = true;
            return Some("deleting");
        }
        let since_start = self.now.saturating_sub(started_at.unwrap_or(self.now)) / SECOND;
        if (since_start as i64) < probe.spec.initial_delay_seconds() as i64 {
            return Some("delay");
        }
        if startup_exists && !started_flag && kind != ProbeKind::Startup {
            return Some("not-started");
        }
        if kind == ProbeKind::Startup && started_flag {
            return Some("started");
        }
        let now = self.now;
        let pod_ip = self.pods[p].pod.status.pod_ip.as_deref().unwrap_or_default();
        let outcome = probe.run(&mut *self.cri, self.now, pod_ip, handle);
        if let Some(w) = self.worker_mut(p, key, kind) {
            w.last_probe_at = Some(now);
            let logged = match &outcome {
                Ok(Outcome::Failure(output)) => {
                    w.last_failure = Some((now, output.clone(), false));
                    AttemptOutcome::Failure
                }
                Ok(Outcome::Timeout(output)) => {
                    w.last_failure = Some((now, output.clone(), false));
                    AttemptOutcome::Timeout
                }
                Err(error) => {
                    w.last_failure = Some((now, error.clone(), true));
                    AttemptOutcome::Error
                }
                Ok(Outcome::Success) | Ok(Outcome::Warning(_)) => AttemptOutcome::Success,
            };
            w.attempts.push(now, logged);
        }
        let outcome = match outcome {
            Ok(o) => o,
            Err(error) => {
                let fields = why::probe_attempt(key, kind, &probe.spec, &error);
                self.emit_container_event_with(p, key, "Warning", "Unhealthy", format!("{} probe errored: {}", kind.name(), error), fields);
                return Some("errored");
            }
        };
        let ok = matches!(outcome, Outcome::Success | Outcome::Warning(_));
        if let Outcome::Warning(output) = &outcome {
            let fields = why::probe_attempt(key, kind, &probe.spec, output);
            self.emit_container_event_with(p, key, "Warning", "ProbeWarning", format!("{} probe warning: {}", kind.name(), output), fields);
        }
        if let Outcome::Failure(output) | Outcome::Timeout(output) = &outcome {
            let fields = why::probe_attempt(key, kind, &probe.spec, output);
            self.emit_container_event_with(p, key, "Warning", "Unhealthy", format!("{} probe failed: {}", kind.name(), output), fields);
        }
        let success_threshold = probe.spec.success_threshold().max(1);
        let failure_threshold = probe.spec.failure_threshold().max(1);
        let w = self.worker_mut(p, key, kind).expect("worker exists");
        if w.last == Some(ok) {
            w.run += 1;
        } else {
            w.last = Some(ok);
            w.run = 1;
        }
        let step = if ok { "probe:ok" } else { "probe:fail" };
        let publish = (!ok && w.run >= failure_threshold) || (ok && w.run >= success_threshold);
        if !publish {
            return Some(step);
        }
        let changed = w.result != Some(ok);
        w.result = Some(ok);
        let hold = match kind {
            ProbeKind::Liveness => !ok,
            ProbeKind::Startup => !ok || release.startup_success_holds,
            ProbeKind::Readiness => false,
        };
        if hold {
            w.on_hold = true;
            w.run = 0;
        }
        if !changed {
            return Some(step);
        }
        let name = self.pods[p].spec_container(key).name.clone();
        let restarts = self.pods[p].restart_policy() != "Never" || (key.init && self.pods[p].spec_container(key).is_sidecar());
        match (kind, ok) {
            (ProbeKind::Liveness | ProbeKind::Startup, false) => {
                let which = if kind == ProbeKind::Liveness { "liveness" } else { "startup" };
                let message = if restarts {
                    format!("Container {name} failed {which} probe, will be restarted")
                } else {
                    format!("Container {name} failed {which} probe")
                };
                let mut fields = why::probe_result(key, kind, &probe.spec, false);
                fields.push(why::restart_policy(&self.pods[p]));
                self.record_change_with(
                    format!("pod/{}", self.pods[p].name()),
                    super::ChangeDetail::ProbeFailed { container: name.clone(), probe: which.into(), failures: failure_threshold },
                    format!("{which} probe failed {failure_threshold} times in a row (failureThreshold {failure_threshold}) → container killed{}", if restarts { " and restarted" } else { "" }),
                    fields.clone(),
                );
                self.pods[p].record_mut(key).kill_request = Some(message);
                self.pods[p].record_mut(key).kill_cause = fields;
                self.request_sync(p, self.now);
            }
            (ProbeKind::Readiness, _) => {
                self.record_change_with(
                    format!("pod/{}", self.pods[p].name()),
                    super::ChangeDetail::ReadinessChanged { container: name.clone(), ready: ok },
                    if ok {
                        format!("readiness probe succeeded {success_threshold} time(s) in a row (successThreshold {success_threshold})")
                    } else {
                        format!("readiness probe failed {failure_threshold} times in a row (failureThreshold {failure_threshold}) → not ready, removed from Service endpoints; no restart")
                    },
                    why::probe_result(key, kind, &probe.spec, ok),
                );
                self.request_sync(p, self.now);
            }
            _ => self.request_sync(p, self.now),
        }
        Some(step)
    }
}
