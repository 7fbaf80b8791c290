//! A prober worker's state (`worker.go`'s fields) and what it keeps of its attempts: plain data,
//! which the pod records hold; what a worker does on a tick is in `mod.rs`.

use std::rc::Rc;

use super::PreparedProbe;
use crate::clock::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

impl ProbeKind {
    pub fn name(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Startup => "Startup",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    Failure(String),
    /// A failure because the probe's timeoutSeconds ran out (the output says so as the kubelet
    /// words it); kept apart only so the attempt log can tell it from another failure.
    Timeout(String),
    /// A success with a warning (`probe.Warning`: an httpGet probe's redirect to another host,
    /// not followed): the kubelet records a `ProbeWarning` event with it.
    Warning(String),
}

/// How one probe attempt ended, as the attempt log keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    Success,
    Failure,
    Timeout,
    /// The probe could not run (no handler, a bad port, the container gone): the kubelet's
    /// `probe errored` event.
    Error,
}

impl AttemptOutcome {
    pub fn name(self) -> &'static str {
        match self {
            AttemptOutcome::Success => "success",
            AttemptOutcome::Failure => "failure",
            AttemptOutcome::Timeout => "timeout",
            AttemptOutcome::Error => "error",
        }
    }
}

/// One probe attempt (a tick that ran the probe; held, delayed or not-started ticks are not
/// attempts). Copy and small, so logging it costs a push and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeAttempt {
    pub at: Millis,
    pub outcome: AttemptOutcome,
}

/// The attempt log's cap per worker for the page: a 1 s probe over a long run would otherwise
/// grow what it draws without bound; 5,000 attempts cover 83 minutes of a 1 s period. The log
/// itself keeps every attempt (as runs), `probe_attempts` gives the first 5,000 of each worker.
pub const MAX_PROBE_ATTEMPTS: usize = 5_000;

/// Every attempt of a worker, stored as runs of one outcome at a steady period, so that an hour
/// of successes is one entry, not 360.
#[derive(Debug, Clone, Default)]
pub struct AttemptLog {
    runs: Vec<AttemptRun>,
    len: u64,
}

#[derive(Debug, Clone, Copy)]
struct AttemptRun {
    first: Millis,
    /// 0 while the run has one attempt.
    period: Millis,
    count: u64,
    outcome: AttemptOutcome,
}

impl AttemptLog {
    pub fn push(&mut self, at: Millis, outcome: AttemptOutcome) {
        self.push_many(at, 0, 1, outcome);
    }

    /// `count` attempts with `outcome`, the first at `first`, then every `period` ms.
    pub(super) fn push_many(&mut self, first: Millis, period: Millis, count: u64, outcome: AttemptOutcome) {
        if count == 0 {
            return;
        }
        self.len += count;
        if let Some(r) = self.runs.last_mut() {
            if r.outcome == outcome {
                let last = r.first + r.period * (r.count - 1);
                if r.count == 1 && first > r.first && (count == 1 || period == first - r.first) {
                    r.period = first - r.first;
                    r.count += count;
                    return;
                }
                if r.count > 1 && first == last + r.period && (count == 1 || period == r.period) {
                    r.count += count;
                    return;
                }
            }
        }
        self.runs.push(AttemptRun { first, period: if count == 1 { 0 } else { period }, count, outcome });
    }

    /// How many attempts there were.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every attempt, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = ProbeAttempt> + '_ {
        self.runs.iter().flat_map(|r| (0..r.count).map(move |i| ProbeAttempt { at: r.first + r.period * i, outcome: r.outcome }))
    }
}

/// One attempt with the names the page needs (`Engine::probe_attempts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeAttemptRecord {
    pub pod: String,
    pub container: String,
    pub kind: ProbeKind,
    pub at: Millis,
    pub outcome: AttemptOutcome,
}

#[derive(Debug, Clone)]
pub struct ProbeWorker {
    pub kind: ProbeKind,
    /// The probe's spec and what it does, worked out when the worker is created.
    pub(super) prepared: Rc<PreparedProbe>,
    /// The published result: `None` = Unknown.
    pub result: Option<bool>,
    pub(super) last: Option<bool>,
    pub(super) run: i32,
    pub(super) on_hold: bool,
    /// The container instance (runtime handle) the worker last probed.
    pub(super) container: Option<u64>,
    pub stopped: bool,
    /// Bumped by a manual trigger, which resets the ticker; stale ticks are dropped.
    pub(super) tick_generation: u32,
    /// When the worker's next tick is due (`None` once it stopped): for the state snapshot.
    pub next_at: Option<Millis>,
    /// When a probe last ran (not a tick that skipped it: hold, delay, not started).
    pub last_probe_at: Option<Millis>,
    /// The last failed or errored attempt: (time, output or error, errored).
    pub last_failure: Option<(Millis, String, bool)>,
    /// Each attempt's time and outcome, in order, for the page's probe ticks.
    pub attempts: AttemptLog,
    /// Set while the worker's ticks are a standing probe of the runtime's (see `Steady`).
    pub(crate) steady: Option<Steady>,
    /// Every doProbe call, for the tests: what it did and the worker's state after it.
    #[cfg(test)]
    pub history: Vec<ProbeLog>,
}

/// A worker whose ticks run as a standing probe of the runtime (`podplay_runtime::standing`):
/// its probe answers Success from a remembered answer, its published result is Success and
/// would stay so, so each tick only counts (run, last probe, the attempt log) and the
/// runtime's side of it (log line, connection, source port) is kept there as arithmetic. The
/// ticks are counted here when someone could look (`Engine::count_steady_ticks`) and the worker
/// goes back to ticking one by one when anything that its ticks read changes: the runtime says
/// so for the pod's containers, the engine for the pod itself (`Engine::unsteady_pod`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Steady {
    /// The runtime's standing probe.
    pub id: u32,
    /// The first tick not counted yet.
    pub next: Millis,
    pub period: Millis,
    /// The ticks' rank in the engine's order (`tick_rank`).
    pub rank: u64,
}

impl Steady {
    /// How many of the worker's ticks from `next` come before the point (`at`, `rank`): ticks of
    /// earlier milliseconds and ticks at `at` of a lower rank.
    pub(super) fn ticks_before(&self, at: Millis, rank: u64) -> u64 {
        if at < self.next {
            return 0;
        }
        let mut count = (at - self.next) / self.period + 1;
        if self.next + (count - 1) * self.period == at && self.rank >= rank {
            count -= 1;
        }
        count
    }
}

/// One doProbe call as the tests see it.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeLog {
    pub at: Millis,
    /// `probe`, `hold`, `not-running`, `deleting`, `delay`, `not-started`, `started`, `errored`.
    pub step: &'static str,
    /// The attempt's own outcome, when the probe ran.
    pub attempt: Option<bool>,
    /// The published result after the call: None = Unknown.
    pub result: Option<bool>,
    pub run: i32,
    pub on_hold: bool,
}

impl ProbeWorker {
    /// The run of equal results since the last change, as (successes, failures): what the
    /// thresholds are compared with (`resultRun` with `lastResult`).
    pub fn consecutive(&self) -> (i32, i32) {
        match self.last {
            Some(true) => (self.run, 0),
            Some(false) => (0, self.run),
            None => (0, 0),
        }
    }

    /// Probing paused until a new container instance (after a liveness or startup result).
    pub fn on_hold(&self) -> bool {
        self.on_hold
    }

    /// The runtime handle of the container instance the published result belongs to.
    pub fn probed_container(&self) -> Option<u64> {
        self.container
    }

    pub(super) fn new(kind: ProbeKind, prepared: PreparedProbe) -> Self {
        ProbeWorker {
            kind,
            prepared: Rc::new(prepared),
            result: None,
            last: None,
            run: 0,
            on_hold: false,
            container: None,
            stopped: false,
            tick_generation: 0,
            next_at: None,
            last_probe_at: None,
            last_failure: None,
            attempts: AttemptLog::default(),
            steady: None,
            #[cfg(test)]
            history: Vec::new(),
        }
    }
}
