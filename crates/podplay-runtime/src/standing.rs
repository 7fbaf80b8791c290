//! Standing probes: a prober's request whose answer is known, repeated every period, kept as
//! arithmetic instead of being served tick by tick.
//!
//! Three kinds of request have answers known in advance (`Answer`):
//! - the kubelet's status-only GET to a static server: nginx answers it from what it
//!   remembers (`net::HttpMemo`) as long as the request, the serving process and the files it
//!   sees are the same, and each answer's only lasting effects are an access-log line (the same
//!   but for its time stamp), nginx's connection counter and a source port of the kubelet's;
//! - a TCP connection to a listening socket, which changes nothing while the socket listens;
//! - an exec of a pure reader with a remembered outcome (`Runtime::exec_sync`'s memo), whose
//!   only lasting effects are the pids it takes in the container and the runtime's exec count.
//!
//! A standing probe records its ticks as (first tick, period, rank) and applies their effects
//! ("settles" them) only when something could notice: before anything else is done to the
//! pod's sandbox (an exec, a request from elsewhere, a process of the pod waking, a stop,
//! reading the log), and at the end of a run. After anything was done to the sandbox, each of
//! its standing probes is checked again; one whose answer could now differ is *broken*: the
//! engine takes it back and probes tick by tick from its first unsettled tick.
//!
//! Which ticks come before a piece of work is decided by the engine's order of work
//! (`OrderPoint`): ticks of earlier milliseconds, and ticks of the same millisecond with a lower
//! rank. The engine gives that point before every piece of work it does.

use std::rc::Rc;

use crate::logs::StampedLine;
use crate::types::Millis;
use crate::world::World;

/// A place in the engine's order of work: the probe ticks before it are those of earlier
/// milliseconds and those at `at` whose rank is below `rank`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderPoint {
    pub at: Millis,
    pub rank: u64,
}

/// A standing probe, as the engine holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StandingId(pub u32);

/// A standing probe's ticks end: from `next` on, the engine probes tick by tick again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandingEnd {
    pub id: StandingId,
    /// The first tick not settled.
    pub next: Millis,
}

pub(crate) struct StandingProbe {
    pub sandbox: usize,
    /// The container that answers (the server, or the one the command runs in).
    pub cid: usize,
    pub answer: Answer,
    pub period: Millis,
    pub rank: u64,
    /// The first tick not yet settled.
    pub next: Millis,
    pub active: bool,
}

/// What a standing probe's ticks are known to meet, what that depended on (checked again after
/// every change to the sandbox; the request itself never changes), and what each tick leaves.
pub(crate) enum Answer {
    /// nginx's remembered answer to the prober's GET.
    Http {
        ip: String,
        port: u16,
        /// The serving process.
        pid: u32,
        fs_generation: u64,
        /// What each tick writes to the container's log, and the source-port counter it takes from.
        access_line: Rc<StampedLine>,
        port_key: u64,
    },
    /// A socket listening at ip:port, held by process `pid`.
    Tcp { ip: String, port: u16, pid: u32 },
    /// A pure reader's remembered exec: each tick takes `pids` pids and one exec id.
    Exec { fs_generation: u64, pids: u32 },
}

impl StandingProbe {
    /// The log line each tick writes, if any.
    fn access_line(&self) -> Option<&Rc<StampedLine>> {
        match &self.answer {
            Answer::Http { access_line, .. } => Some(access_line),
            _ => None,
        }
    }

    /// How many ticks from `next` come before the point.
    fn ticks_before(&self, point: OrderPoint) -> u64 {
        if !self.due_before(point) {
            return 0;
        }
        let mut count = (point.at - self.next) / self.period + 1;
        if self.next + (count - 1) * self.period == point.at && self.rank >= point.rank {
            count -= 1;
        }
        count
    }

    fn due_before(&self, point: OrderPoint) -> bool {
        self.next < point.at || (self.next == point.at && self.rank < point.rank)
    }
}

#[derive(Default)]
pub(crate) struct Standing {
    /// By id; a slot is reused once the engine has been told that its probe ended.
    pub probes: Vec<StandingProbe>,
    free: Vec<u32>,
    /// Active standing probes per sandbox (ids).
    pub by_sandbox: Vec<Vec<u32>>,
    /// The active exec probes among them (`pending_execs`).
    pub execs: rustc_hash::FxHashSet<u32>,
    /// Where the engine's work is now.
    pub point: OrderPoint,
    /// Probes broken since the engine last asked.
    pub broken: Vec<StandingEnd>,
    /// Containers touched since the last check, whose sandboxes have standing probes.
    pub dirty: std::cell::RefCell<Vec<usize>>,
}

impl Standing {
    pub fn has_active(&self, sandbox: usize) -> bool {
        self.by_sandbox.get(sandbox).is_some_and(|v| !v.is_empty())
    }
}

/// Registers a standing probe for the status-only GET the prober just made, if its next
/// answers are known: nginx has a remembered answer for exactly this request, the status is
/// in `success`, and nothing routes the address elsewhere. The first tick is at `first`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn stand(
    w: &mut World,
    ip: &str,
    port: u16,
    path: &str,
    headers: &[(String, String)],
    client_ip: &str,
    success: std::ops::Range<u16>,
    first: Millis,
    period: Millis,
    rank: u64,
) -> Option<StandingId> {
    if period == 0 {
        return None;
    }
    let (cid, pid) = pod_listener(w, ip, port)?;
    let fs_generation = w.fs_generation(cid);
    let memo = crate::net::memo_for(w, cid, pid, fs_generation, ip, port, path, headers)?;
    if !success.contains(&memo.0) || !crate::net::memo_usable(w, cid, pid) {
        return None;
    }
    let answer = Answer::Http {
        ip: ip.to_string(),
        port,
        pid,
        fs_generation,
        access_line: memo.1,
        port_key: crate::net::ephemeral_key(w, client_ip, ip, port),
    };
    Some(register(w, cid, answer, first, period, rank))
}

/// Registers a standing probe for the TCP connection the prober just made to ip:port, if a
/// pod's process listens there (not a Service address). The first tick is at `first`.
pub(crate) fn stand_tcp(w: &mut World, ip: &str, port: u16, first: Millis, period: Millis, rank: u64) -> Option<StandingId> {
    if period == 0 {
        return None;
    }
    let (cid, pid) = pod_listener(w, ip, port)?;
    Some(register(w, cid, Answer::Tcp { ip: ip.to_string(), port, pid }, first, period, rank))
}

/// Registers a standing probe for the exec the prober just ran in container `cid`, if its
/// outcome is remembered (a pure reader, `Runtime::exec_sync`) as exit code 0. The first tick is
/// at `first`.
pub(crate) fn stand_exec(
    w: &mut World,
    cid: usize,
    argv: &[String],
    timeout: Option<Millis>,
    first: Millis,
    period: Millis,
    rank: u64,
) -> Option<StandingId> {
    if period == 0 || cid >= w.containers.len() || !w.is_running(cid) {
        return None;
    }
    let fs_generation = w.fs_generation(cid);
    let memo = w.containers[cid].exec_memos.iter().find(|m| m.generation == fs_generation && m.timeout == timeout && m.argv == argv)?;
    if !matches!(memo.outcome, crate::types::ExecOutcome::Completed { exit_code: 0, .. }) {
        return None;
    }
    let pids = memo.pids;
    Some(register(w, cid, Answer::Exec { fs_generation, pids }, first, period, rank))
}

fn register(w: &mut World, cid: usize, answer: Answer, first: Millis, period: Millis, rank: u64) -> StandingId {
    let probe = StandingProbe { sandbox: w.containers[cid].sandbox, cid, answer, period, rank, next: first, active: true };
    let sandbox = probe.sandbox;
    let id = match w.standing.free.pop() {
        Some(id) => {
            w.standing.probes[id as usize] = probe;
            id
        }
        None => {
            w.standing.probes.push(probe);
            (w.standing.probes.len() - 1) as u32
        }
    };
    if w.standing.by_sandbox.len() <= sandbox {
        w.standing.by_sandbox.resize_with(sandbox + 1, Vec::new);
    }
    w.standing.by_sandbox[sandbox].push(id);
    if matches!(w.standing.probes[id as usize].answer, Answer::Exec { .. }) {
        w.standing.execs.insert(id);
    }
    StandingId(id)
}

/// The container and process listening at a pod's ip:port, as a probe reaches it: none when no
/// pod listens there, or when a Service has that address (kube-proxy would route the request).
fn pod_listener(w: &World, ip: &str, port: u16) -> Option<(usize, u32)> {
    if w.services.iter().any(|r| r.cluster_ip == ip) {
        return None;
    }
    let (cid, li) = crate::net::listener_at(w, ip, port)?;
    Some((cid, w.containers[cid].listeners[li].pid))
}

/// Whether the probe's next tick would still be answered as it stands.
fn still_valid(w: &World, s: &StandingProbe) -> bool {
    let listening = |ip: &str, port: u16, pid: u32| pod_listener(w, ip, port) == Some((s.cid, pid));
    match &s.answer {
        Answer::Http { ip, port, pid, fs_generation, .. } => {
            listening(ip, *port, *pid) && w.fs_generation(s.cid) == *fs_generation && crate::net::memo_usable(w, s.cid, *pid)
        }
        Answer::Tcp { ip, port, pid } => listening(ip, *port, *pid),
        Answer::Exec { fs_generation, .. } => w.is_running(s.cid) && w.fs_generation(s.cid) == *fs_generation,
    }
}

/// Applies the effects of every tick of sandbox `sb`'s standing probes that comes before the
/// engine's current point, in the order the ticks would have run.
pub(crate) fn settle_sandbox(w: &mut World, sb: usize) {
    if !w.standing.has_active(sb) {
        return;
    }
    let point = w.standing.point;
    let ids = std::mem::take(&mut w.standing.by_sandbox[sb]);
    let writers = ids.iter().filter(|&&id| w.standing.probes[id as usize].access_line().is_some()).count();
    if writers <= 1 {
        // At most one probe writes a log: each probe's due ticks at once.
        for &id in &ids {
            let count = w.standing.probes[id as usize].ticks_before(point);
            apply(w, id, count);
        }
    } else {
        // Several write: their log lines merged by (time, rank), one tick at a time; the
        // counters (connections, source ports, pids) add up in any order, so they are applied
        // once each.
        let mut counts = vec![0u64; ids.len()];
        loop {
            let next = ids
                .iter()
                .enumerate()
                .map(|(i, &id)| (i, &w.standing.probes[id as usize]))
                .filter(|(_, s)| s.due_before(point))
                .min_by_key(|(_, s)| (s.next, s.rank))
                .map(|(i, _)| i);
            let Some(i) = next else { break };
            let s = &mut w.standing.probes[ids[i] as usize];
            let (cid, at, line) = (s.cid, s.next, s.access_line().cloned());
            s.next += s.period;
            counts[i] += 1;
            if let Some(line) = line {
                w.containers[cid].logs.push_stamped(&line, at);
            }
        }
        for (i, &id) in ids.iter().enumerate() {
            count_effects(w, id, counts[i]);
        }
    }
    w.standing.by_sandbox[sb] = ids;
}

/// Settles every standing probe up to the current point (the end of a run, before anyone reads).
pub(crate) fn settle_all(w: &mut World) {
    for sb in 0..w.standing.by_sandbox.len() {
        settle_sandbox(w, sb);
    }
}

/// The effects of `count` ticks of probe `id` from its next tick on: the log lines, then the
/// counters (`count_effects`).
fn apply(w: &mut World, id: u32, count: u64) {
    if count == 0 {
        return;
    }
    let s = &w.standing.probes[id as usize];
    let (cid, first, period, line) = (s.cid, s.next, s.period, s.access_line().cloned());
    if let Some(line) = line {
        w.containers[cid].logs.push_stamped_many(&line, first, period, count);
    }
    w.standing.probes[id as usize].next = first + period * count;
    count_effects(w, id, count);
}

/// The counters `count` ticks of probe `id` advance: nginx's connections and the kubelet's
/// source ports to the pod (a GET); the container's pids and the runtime's exec ids (an exec).
fn count_effects(w: &mut World, id: u32, count: u64) {
    if count == 0 {
        return;
    }
    let s = &w.standing.probes[id as usize];
    let cid = s.cid;
    match s.answer {
        Answer::Http { pid, port_key, .. } => {
            crate::net::add_connections(w, cid, pid, count);
            crate::net::take_ports(w, port_key, count);
        }
        Answer::Tcp { .. } => {}
        Answer::Exec { pids, .. } => {
            w.containers[cid].next_pid += pids * count as u32;
            w.next_exec += count;
        }
    }
}

/// The exec ids standing exec probes have taken before the current point but not yet counted
/// in `World::next_exec`: an exec id is only ever shown in an error, so it is worked out then.
pub(crate) fn pending_execs(w: &World) -> u64 {
    let point = w.standing.point;
    w.standing.execs.iter().map(|&id| w.standing.probes[id as usize].ticks_before(point)).sum()
}

/// Checks the standing probes of the sandboxes touched since the last check; those that no
/// longer hold are broken (reported by `take_broken`).
pub(crate) fn check_dirty(w: &mut World) {
    let dirty = std::mem::take(&mut *w.standing.dirty.borrow_mut());
    let mut sandboxes: Vec<usize> = dirty.into_iter().map(|cid| w.containers[cid].sandbox).collect();
    sandboxes.sort_unstable();
    sandboxes.dedup();
    for sb in sandboxes {
        check_sandbox(w, sb);
    }
}

/// Checks sandbox `sb`'s standing probes now.
pub(crate) fn check_sandbox(w: &mut World, sb: usize) {
    if !w.standing.has_active(sb) {
        return;
    }
    let ids = std::mem::take(&mut w.standing.by_sandbox[sb]);
    let mut kept = Vec::with_capacity(ids.len());
    for id in ids {
        if still_valid(w, &w.standing.probes[id as usize]) {
            kept.push(id);
        } else {
            let s = &mut w.standing.probes[id as usize];
            s.active = false;
            w.standing.broken.push(StandingEnd { id: StandingId(id), next: s.next });
            w.standing.execs.remove(&id);
        }
    }
    w.standing.by_sandbox[sb] = kept;
}

/// Ends standing probe `id` at the current point (its ticks before the point are settled) and
/// frees its slot; returns its first unsettled tick.
pub(crate) fn end(w: &mut World, id: StandingId) -> Option<Millis> {
    let s = w.standing.probes.get(id.0 as usize)?;
    if !s.active {
        return None;
    }
    let sb = s.sandbox;
    settle_sandbox(w, sb);
    let s = &mut w.standing.probes[id.0 as usize];
    s.active = false;
    let next = s.next;
    w.standing.by_sandbox[sb].retain(|&i| i != id.0);
    w.standing.execs.remove(&id.0);
    w.standing.free.push(id.0);
    Some(next)
}

/// The probes broken since the last call; their slots are free from now on.
pub(crate) fn take_broken(w: &mut World) -> Vec<StandingEnd> {
    let broken = std::mem::take(&mut w.standing.broken);
    w.standing.free.extend(broken.iter().map(|b| b.id.0));
    broken
}
