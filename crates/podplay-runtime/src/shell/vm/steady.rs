//! Steady loops. A shell loop whose turns each leave the shell exactly as they found it, cost
//! the same virtual CPU and do nothing but compute and make the same writes to the container's
//! log (`while true; do echo hi; done`) will go on doing exactly that until something outside
//! it acts: a signal, a stop, anything else in the cluster. Such turns are run in bulk up to
//! the next moment something else could happen (the host's horizon), the same lines at the
//! same virtual times, kept as cycles in the log; the cost of an hour of it is then a few
//! hundred bulk steps, not hundreds of millions of interpreter steps. The writes need not end
//! lines (`echo -n x`): what the log makes of them across turns, lines begun in the turn before
//! or 16 KiB records of a line that never ends, is worked out in `turn_log.rs`.
//!
//! What "nothing but" means is checked, not assumed: the shell runs behind [`Tracked`], which
//! counts every host call that reads or changes anything but the log and the container's own
//! files (the time, other processes, the network) and records the log writes. Reading files
//! (a PATH lookup, a glob, `[ -f x ]`) is allowed when the turn changed none: until the
//! horizon only processes of the same pod could change them, and the horizon stops at theirs.
//! A turn is steady when it did nothing else, its writes and CPU equal the previous turn's, and
//! the shell's whole state (frames, variables, options, descriptors, traps) equals its state a
//! turn before.
//!
//! A turn may also start programs (`while true; do sleep -1; done`, a typo'd sleep failing at
//! once): the host tells the whole effect of a child that ran to its end and did nothing
//! outside its files, log and CPU ([`crate::shell::host::SpawnEffect`]: its lines, its CPU, the
//! pids it took). Such a child, started from the same state, does the same again: what it could
//! tell apart from one turn to the next (its pid, the clock, other processes) it never read,
//! and the files it read are unchanged. So it is part of the turn like the shell's own writes;
//! only the pids move on, and the bulk takes as many new ones as the turns would have. A
//! subshell (`(exit 3)`, a pipeline's stage) is such a child when it ran to its end before the
//! caller's limit; one that stopped there is not, and its turn is not repeated.
//!
//! A pipeline's pipes are the turn's own when the turn made them and read them to their end:
//! what its stages wrote into them, from the same state, they write again (the pipe numbers move
//! on in bulk as the pids do). A child that read the cluster's DNS records (`nslookup` in an
//! `until nslookup ...` loop) may be repeated too, but only until the engine could change them
//! (`World::cluster_horizon`): its next task, or any process's wake-up anywhere in the runtime
//! (where a container may exit, which the engine then acts on).
//!
//! The wall clock may be read to the second (`date`, `ls -l`, by the shell or a child): a turn
//! that read one second only, and was the same as the turn before, does the same again while
//! its reads fall in that second, so the bulk stops before the first turn whose last read would
//! fall in the next one (`Turn::clock`); a turn that read two seconds is not repeated. (The
//! millisecond, which `$RANDOM` and `sleep` read, is the outside.)
//!
//! A turn may rewrite files with the shell's own redirections (`echo hi > /tmp/f`, or a typo
//! such as `e>cho hi`, which truncates `cho` each turn): when what it changed in the files is
//! only what those redirections wrote, and each file is at the turn's end as it was before the
//! turn's first write to it (its contents, mode and program; a small file), the files are as
//! the turn found them but for their modification times, which only a clock reader could tell
//! apart, and the turn is repeated; the bulk gives the files the last turn's times
//! (`Turn::files`).
//!
//! A loop whose state comes back every second turn, the turns alike (`i=$((---i+1))`: 0, 2,
//! 0, ...), runs in bulk by pairs: a pair of turns leaves the state as it found it, which is all
//! the argument above needs (`Turn::twice`).
//!
//! A loop whose turns are alike but for counters it moves by fixed amounts runs in bulk too,
//! the counters moved on by the number of turns (`counters.rs`, which has the argument). A turn
//! in which a signal's trap ran is never repeated.
//!
//! A bulk is the same as the turns run one by one: `Runtime::set_bulk(false)` runs them so, and
//! `tests/steady.rs` compares the two.

use std::cell::Cell;
use std::rc::Rc;

use std::fmt::Write;

use super::{counters, Frame, Var, Vm, Wait};
use crate::fs::{Node, NodeKind, View};
use crate::io::{Fds, LogWrite, Output};
use crate::shell::ast::Cmd;
use crate::shell::host::{Exchange, Host, HttpReply, ListenInfo, NetError, PortInUse, ProcInfo, Spawned};
use crate::types::{BusyboxVersion, Millis};

/// Log bytes a turn may write and still be run in bulk (what it writes is compared with the
/// turn before, and kept in the log's cycles once).
const MAX_TURN_LOG_BYTES: usize = 64 << 10;

/// Bytes of a file a turn may rewrite and still be run in bulk (it is compared with what it
/// was).
const MAX_REWRITE_BYTES: usize = 4096;

/// How many turns to run before looking at the shell's state again, at most, after a look
/// found it changed (a counter loop): the looks cost a copy of the variables.
const MAX_BACKOFF: u32 = 1024;

/// Turns to run before trying a steady loop's bulk again when nothing fitted before the horizon.
const NO_ROOM_WAIT: u32 = 256;

/// What the host saw of the shell since it started: CPU steps, calls that were not pure
/// computation, and the log writes since the last turn's end.
#[derive(Debug, Default, Clone)]
pub struct TurnStats {
    steps: u64,
    impure: Cell<u64>,
    writes: Vec<LogWrite>,
    /// Writes since the last turn's end other than text to the log, or too many bytes.
    unusual: bool,
    /// Where the current turn started.
    turn_steps: u64,
    turn_impure: u64,
    turn_fs: u64,
    /// Pids taken by the children the turn started and that may be repeated (see `spawn`).
    pids: u64,
    /// Such a child, until the shell collects its status.
    unreaped: Option<u32>,
    /// Pipes the turn made and has not read yet (a pipeline's), and how many it made.
    open_pipes: Vec<u64>,
    pipes: u64,
    /// Whether the turn read the cluster's DNS records.
    cluster: bool,
    /// The requests its children made whose answers are known again.
    exchanges: Vec<Exchange>,
    /// The wall clock's seconds the turn read, the first and the last, and the offset of its
    /// last read.
    clock: Cell<Option<(i64, i64, u64)>>,
    /// Files the shell's own redirections wrote in the turn (`> file`), and how much their
    /// writes changed the trees' generations.
    files: Vec<Rewrite>,
    own_fs: u64,
}

/// A file a turn's redirection wrote: as it was when the turn first opened it, and the offset
/// of the turn's last write to it (which sets its modification time).
#[derive(Debug, Clone)]
struct Rewrite {
    abs: String,
    before: Option<Node>,
    last: u64,
}

/// Files one turn may rewrite and still be run in bulk.
const MAX_REWRITES: usize = 8;

/// Whether a file a turn rewrote is as it was before, but for its modification time.
fn same_but_mtime(now: Option<&Node>, before: Option<&Node>) -> bool {
    match (now, before) {
        (Some(a), Some(b)) => a.kind == b.kind && a.mode == b.mode && a.program == b.program,
        _ => false,
    }
}

impl TurnStats {
    /// Something from outside (a signal's trap) ran in this turn: it is not one to repeat.
    pub(super) fn disturbed(&mut self) {
        self.unusual = true;
    }

    /// The turn read the wall clock's second `secs`, `offset` steps into it.
    fn read_clock(&self, secs: i64, offset: u64) {
        let first = self.clock.get().map_or(secs, |(first, _, _)| first);
        self.clock.set(Some((first, secs, offset)));
    }
}

/// One turn of a steady loop, as the host runs it in bulk: its CPU steps and its writes to the
/// log (offsets from the turn's start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub steps: u64,
    pub writes: Vec<LogWrite>,
    /// Pids the turn's children take (each turn takes new ones, as a real kernel hands out).
    pub pids: u64,
    /// Pipes the turn makes (and reads to their end) for its pipelines.
    pub pipes: u64,
    /// It read the cluster's DNS records: it may run in bulk only until the engine could
    /// change them (`World::cluster_horizon`).
    pub cluster: bool,
    /// The wall clock's second it read (`date`), and the offset of its last read: it may run
    /// in bulk only while its reads fall in that second.
    pub clock: Option<(i64, u64)>,
    /// Files it rewrote as they were (`> file` each turn), and the offset of its last write to
    /// each: their modification time is all a bulk changes.
    pub files: Vec<(String, u64)>,
    /// The HTTP requests its children made whose answers are known again (`cluster` then).
    pub exchanges: Vec<Exchange>,
}

/// A loop being watched: which loop, the turn before, and the shell's state then.
#[derive(Debug, Default, Clone)]
pub(crate) struct Watch {
    key: usize,
    prev: Option<Turn>,
    snapshot: Option<Snapshot>,
    /// The state a turn before `snapshot`, when both were taken on consecutive turns (a state
    /// that comes back every second turn).
    older: Option<Snapshot>,
    countdown: u32,
    backoff: u32,
    /// The last turns (at most `2 * MAX_CYCLE`), while they make requests through a Service.
    recent: Vec<Turn>,
}

impl Watch {
    /// Keeps `turn` among the last turns (`recent`).
    fn remember(&mut self, turn: &Turn) {
        self.recent.push(turn.clone());
        if self.recent.len() > 2 * MAX_CYCLE {
            self.recent.remove(0);
        }
    }
}

/// The most turns a loop that goes round a Service's endpoints may take to come back to where
/// it was, to be run in bulk.
const MAX_CYCLE: usize = 16;

impl Turn {
    /// Two of these turns one after the other, as one.
    fn twice(&self) -> Turn {
        Turn::concat(&[self.clone(), self.clone()])
    }

    /// `turns` one after the other, as one.
    fn concat(turns: &[Turn]) -> Turn {
        let mut all =
            Turn { steps: 0, writes: Vec::new(), pids: 0, pipes: 0, cluster: false, clock: None, files: Vec::new(), exchanges: Vec::new() };
        for t in turns {
            let later = |offset: u64| offset + all.steps;
            all.writes.extend(t.writes.iter().map(|w| LogWrite { offset_steps: later(w.offset_steps), ..w.clone() }));
            all.exchanges.extend(t.exchanges.iter().map(|x| Exchange { offset_steps: later(x.offset_steps), ..x.clone() }));
            all.clock = t.clock.map(|(secs, offset)| (secs, later(offset))).or(all.clock);
            for (path, offset) in &t.files {
                let at = later(*offset);
                match all.files.iter_mut().find(|f| f.0 == *path) {
                    Some(f) => f.1 = at,
                    None => all.files.push((path.clone(), at)),
                }
            }
            all.pids += t.pids;
            all.pipes += t.pipes;
            all.cluster |= t.cluster;
            all.steps += t.steps;
        }
        all
    }

    /// Requests it makes through a Service's routes (each moves the round robin one).
    fn routed(&self) -> usize {
        self.exchanges.iter().filter(|x| x.route.is_some()).count()
    }
}

/// Everything in the shell a turn could change, compared by value (commands by identity).
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    frames: Vec<FrameKey>,
    vars: Vec<Var>,
    positional: Vec<String>,
    funcs: Vec<(String, usize)>,
    traps: Vec<(i32, String)>,
    pending: Vec<i32>,
    status: i32,
    fds: Fds,
    cwd: String,
    waiting: Option<Wait>,
    last_bg: Option<u32>,
    children: Vec<u32>,
    done_jobs: usize,
    exiting: Option<i32>,
    flags: (bool, bool, bool, bool, i32, u32),
}

#[derive(Debug, Clone, PartialEq)]
enum FrameKey {
    Cmd(u8, usize, i64),
    IfCond(usize, Option<usize>),
    Negate,
    FuncReturn(Vec<String>),
    TrapDone(i32),
    DotDone,
}

fn ptr<T>(rc: &Rc<T>) -> usize {
    Rc::as_ptr(rc) as *const () as usize
}

fn frame_key(f: &Frame) -> Option<FrameKey> {
    Some(match f {
        Frame::Run(c) => FrameKey::Cmd(0, ptr(c), 0),
        Frame::SeqRest(c, i) => FrameKey::Cmd(1, ptr(c), *i as i64),
        Frame::AndRhs(c) => FrameKey::Cmd(2, ptr(c), 0),
        Frame::OrRhs(c) => FrameKey::Cmd(3, ptr(c), 0),
        Frame::LoopAfterCond(c, st) => FrameKey::Cmd(4, ptr(c), *st as i64),
        Frame::LoopAfterBody(c) => FrameKey::Cmd(5, ptr(c), 0),
        Frame::IfCond(c, e) => FrameKey::IfCond(ptr(c), e.as_ref().map(ptr)),
        Frame::Negate => FrameKey::Negate,
        Frame::FuncReturn(saved) => FrameKey::FuncReturn(saved.clone()),
        Frame::TrapDone(st) => FrameKey::TrapDone(*st),
        Frame::DotDone => FrameKey::DotDone,
        // A `for` turn moves on in its list; fds and eval texts are not compared.
        Frame::ForNext(..) | Frame::RestoreFds(_) | Frame::EvalLines(_) => return None,
    })
}

impl Snapshot {
    /// Equal but for the variables' values.
    fn same_but_values(&self, o: &Snapshot) -> bool {
        self.frames == o.frames
            && self.positional == o.positional
            && self.funcs == o.funcs
            && self.traps == o.traps
            && self.pending == o.pending
            && self.status == o.status
            && self.fds == o.fds
            && self.cwd == o.cwd
            && self.waiting == o.waiting
            && self.last_bg == o.last_bg
            && self.children == o.children
            && self.done_jobs == o.done_jobs
            && self.exiting == o.exiting
            && self.flags == o.flags
    }
}

impl Vm {
    /// The counters of a counting loop and the amount each moves a turn (index in `vars`,
    /// amount), when the states `before` and `now`, a turn apart, are alike but for them and
    /// the loop only counts with them (see `counters.rs`).
    fn counting(&self, before: &Snapshot, now: &Snapshot, loop_node: &Cmd) -> Option<(Vec<(usize, i64)>, u64)> {
        if !before.same_but_values(now) || self.xtrace {
            return None;
        }
        let moves = counters::moved(&before.vars, &now.vars)?;
        let names: Vec<&str> = moves.iter().map(|(k, _)| now.vars[*k].name.as_str()).collect();
        if moves.is_empty() || names.iter().any(|n| matches!(*n, "PATH" | "HOME")) || moves.iter().any(|(k, _)| now.vars[*k].exported) {
            return None;
        }
        let Cmd::Loop { cond, body, until } = loop_node else { return None };
        let limit = match counters::counts_only(cond, body, &names, &self.funcs)? {
            None => u64::MAX,
            Some(bound) => self.turns_within(&bound, &moves, *until)?,
        };
        Some((moves, limit))
    }

    /// How many turns the condition `bound` keeps the loop going (see `counters.rs`).
    fn turns_within(&self, bound: &counters::Bound, moves: &[(usize, i64)], until: bool) -> Option<u64> {
        let (k, d) = moves[bound.counter];
        let v = counters::integer(&self.vars[k].value)?;
        let fixed = match &bound.fixed {
            counters::Operand::Literal(text) => text,
            counters::Operand::Var(name) => self.var(name)?,
        };
        // As `test` reads it, and unchanged by field splitting when unquoted.
        let c = fixed.trim().parse::<i64>().ok()?;
        let splits = |s: &str| self.var("IFS").map_or(s.contains([' ', '\t', '\n']), |ifs| s.contains(|ch| ifs.contains(ch)));
        if splits(fixed) || self.var("IFS").is_some_and(|ifs| ifs.contains(|ch: char| ch.is_ascii_digit() || ch == '-')) {
            return None;
        }
        if bound.order.holds(v.into(), c.into()) == until {
            return Some(0);
        }
        Some(counters::turns_until_flip(v, d, bound.order, c))
    }

    fn snapshot(&self) -> Option<Snapshot> {
        Some(Snapshot {
            frames: self.frames.iter().map(frame_key).collect::<Option<_>>()?,
            vars: self.vars.clone(),
            positional: self.positional.clone(),
            funcs: self.funcs.iter().map(|(k, v)| (k.clone(), ptr(v))).collect(),
            traps: self.traps.iter().map(|(k, v)| (*k, v.clone())).collect(),
            pending: self.pending.clone(),
            status: self.status,
            fds: self.fds.clone(),
            cwd: self.cwd.clone(),
            waiting: self.waiting.clone(),
            last_bg: self.last_bg,
            children: self.children.clone(),
            done_jobs: self.done_jobs.len(),
            exiting: self.exiting,
            flags: (self.errexit, self.xtrace, self.pipefail, self.check_errexit, self.pipe_status, self.line),
        })
    }

    /// A loop whose turns go round a Service's endpoints (`while true; do wget -qO- web; done`:
    /// each turn asks the next endpoint, whose answer differs): when the last `p` turns are
    /// the `p` before them again and the shell's state is as the turn before left it, the next
    /// `p` turns are these again, as long as each request goes where its like went (the host
    /// checks that the round robin is where the first of them found it and comes back there
    /// after `p`). So `p` turns run in bulk as one. Whether it did.
    fn repeat_cycle(&mut self, h: &mut dyn Host, turn: &Turn) -> bool {
        self.watch.remember(turn);
        let recent = &self.watch.recent;
        let len = recent.len();
        let Some(p) = (2..=MAX_CYCLE).find(|&p| len >= 2 * p && recent[len - p..] == recent[len - 2 * p..len - p]) else {
            return false;
        };
        if self.watch.snapshot.is_none() {
            return false;
        }
        let now = self.snapshot();
        if now.is_none() || now != self.watch.snapshot {
            return false;
        }
        let cycle = Turn::concat(&self.watch.recent[len - p..]);
        self.watch.prev = Some(turn.clone());
        if h.repeat_turns(&cycle, u64::MAX) == 0 {
            self.no_room(h);
        }
        true
    }

    /// After a bulk found no room: look again once the host says room may come (the horizon
    /// passed), else after a while, not every turn.
    fn no_room(&mut self, h: &dyn Host) {
        let w = &mut self.watch;
        w.snapshot = None;
        w.older = None;
        if h.bulk_waits() {
            w.countdown = 0;
        } else {
            w.countdown = NO_ROOM_WAIT;
            w.recent.clear();
        }
    }

    /// The turns before a look that must wait for room (`no_room`): kept as any turn is, the
    /// state looked at again once the wait is over.
    fn waiting(&mut self, h: &dyn Host, turn: &Turn) -> bool {
        if !h.bulk_waits() {
            return false;
        }
        if turn.routed() > 0 {
            self.watch.remember(turn);
        }
        let w = &mut self.watch;
        w.prev = Some(turn.clone());
        w.older = None;
        w.snapshot = None;
        true
    }

    /// At the end of a turn of `loop_node`: watch it, and when it is steady have the host run
    /// as many turns as it can in bulk.
    pub(super) fn end_of_turn(&mut self, h: &mut dyn Host, loop_node: &Rc<Cmd>) {
        h.turn_ended();
        let fs = h.fs_generation();
        let Some(files) = h.turn_stats().map(|stats| std::mem::take(&mut stats.files)) else { return };
        // A redirection that could not open its file (a missing directory) changed nothing:
        // it is no rewrite.
        let files: Vec<Rewrite> = files.into_iter().filter(|f| f.before.is_some() || h.view().node(&f.abs).is_some()).collect();
        let rewritten = files.iter().all(|f| same_but_mtime(h.view().node(&f.abs), f.before.as_ref()));
        let Some(stats) = h.turn_stats() else { return };
        let clock = stats.clock.take();
        // The files changed only by the turn's own rewrites, which left them as they were.
        let own_fs = std::mem::take(&mut stats.own_fs);
        let pure = stats.impure.get() == stats.turn_impure
            && !stats.unusual
            && clock.is_none_or(|(first, last, _)| first == last)
            && fs.wrapping_sub(stats.turn_fs) == own_fs
            && rewritten
            && stats.unreaped.is_none()
            && stats.open_pipes.is_empty();
        stats.turn_fs = fs;
        stats.open_pipes.clear();
        let turn = Turn {
            steps: stats.steps - stats.turn_steps,
            writes: std::mem::take(&mut stats.writes),
            pids: std::mem::take(&mut stats.pids),
            pipes: std::mem::take(&mut stats.pipes),
            cluster: std::mem::take(&mut stats.cluster),
            clock: clock.map(|(_, last, offset)| (last, offset)),
            files: files.into_iter().map(|f| (f.abs, f.last)).collect(),
            exchanges: std::mem::take(&mut stats.exchanges),
        };
        stats.turn_steps = stats.steps;
        stats.turn_impure = stats.impure.get();
        stats.unusual = false;
        stats.unreaped = None;
        let key = ptr(loop_node);
        let w = &mut self.watch;
        if !pure || w.key != key {
            *w = Watch { key, ..Default::default() };
            return;
        }
        if self.waiting(h, &turn) {
            return;
        }
        let w = &mut self.watch;
        let same = w.prev.as_ref() == Some(&turn);
        if same && w.snapshot.is_some() {
            let now = self.snapshot();
            let w = &mut self.watch;
            if now.is_some() && now == w.snapshot {
                if h.repeat_turns(&turn, u64::MAX) == 0 {
                    self.no_room(h);
                }
                return;
            }
            // A counting loop (`counters.rs`): alike but for counters moved by fixed amounts.
            let before = self.watch.snapshot.as_ref();
            if let Some((moves, limit)) = now.as_ref().zip(before).and_then(|(now, before)| self.counting(before, now, loop_node)) {
                let n = h.repeat_turns(&turn, limit);
                if n == 0 {
                    self.no_room(h);
                } else {
                    for (k, amount) in moves {
                        let v = counters::integer(&self.vars[k].value).unwrap_or(0).wrapping_add((n as i64).wrapping_mul(amount));
                        let var = &mut self.vars[k];
                        let buf = Rc::make_mut(&mut var.value);
                        buf.clear();
                        let _ = write!(buf, "{v}");
                    }
                    self.vars_changed();
                    self.watch.snapshot = self.snapshot();
                }
                return;
            }
            // A state that comes back every second turn (`i=$((---i+1))`: 0, 2, 0, ...), the
            // turns alike: each pair of turns leaves the state as it found it, so pairs run in
            // bulk (the argument of the module's comment, for the pair).
            let w = &mut self.watch;
            if now.is_some() && w.older.is_some() && now == w.older {
                if h.repeat_turns(&turn.twice(), u64::MAX) == 0 {
                    self.no_room(h);
                } else {
                    let w = &mut self.watch;
                    w.older = w.snapshot.take();
                    w.snapshot = now;
                }
                return;
            }
            if w.older.is_none() && now.is_some() {
                // Look once more, next turn, two turns apart.
                w.older = w.snapshot.take();
                w.snapshot = now;
                w.prev = Some(turn);
                return;
            }
            // The state moves on each turn (a counter): look less often.
            w.backoff = (w.backoff * 2).clamp(1, MAX_BACKOFF);
            w.countdown = w.backoff;
            w.snapshot = None;
        }
        if !same && turn.routed() > 0 && self.repeat_cycle(h, &turn) {
            return;
        }
        let w = &mut self.watch;
        w.older = None;
        w.prev = Some(turn);
        if w.countdown == 0 {
            let snapshot = self.snapshot();
            self.watch.snapshot = snapshot;
        } else {
            w.countdown -= 1;
            w.snapshot = None;
        }
    }
}

/// The host as the shell sees it, counting what it does (see the module's comment).
pub(crate) struct Tracked<'a> {
    pub inner: &'a mut dyn Host,
    pub stats: &'a mut TurnStats,
}

impl Tracked<'_> {
    fn impure(&self) {
        self.stats.impure.set(self.stats.impure.get() + 1);
    }
    /// Whether `data` still fits in what a turn may write.
    fn room(&self, data: usize) -> bool {
        self.stats.writes.iter().map(|w| w.text.len()).sum::<usize>() + data <= MAX_TURN_LOG_BYTES
    }
    /// The shell's own redirection writes `abs` now: noted as it was at the turn's first write
    /// (a file larger than a turn may write, or too many files, are not compared).
    fn rewrite(&mut self, abs: &str) {
        let last = self.stats.steps - self.stats.turn_steps;
        if let Some(f) = self.stats.files.iter_mut().find(|f| f.abs == abs) {
            f.last = last;
            return;
        }
        // At most `MAX_REWRITES` noted: the list is emptied only at a loop turn's end, and a
        // `for` loop writing a file each time round would grow it without one.
        if self.stats.files.len() >= MAX_REWRITES {
            self.stats.unusual = true;
            return;
        }
        let before = self.inner.view().node(abs).cloned();
        let small = |n: &Node| matches!(&n.kind, NodeKind::File(d) if d.len() <= MAX_REWRITE_BYTES);
        if before.as_ref().is_some_and(|n| !small(n)) {
            self.stats.unusual = true;
        }
        self.stats.files.push(Rewrite { abs: abs.to_string(), before, last });
    }

    /// Runs `f`, counting what it changes in the files as the turn's own rewrites.
    fn own_fs_change<T>(&mut self, f: impl FnOnce(&mut dyn Host) -> T) -> T {
        let before = self.inner.fs_generation();
        let r = f(&mut *self.inner);
        self.stats.own_fs += self.inner.fs_generation().wrapping_sub(before);
        r
    }

    /// After a spawn that started at `at` steps into the turn: a child whose whole effect the
    /// host tells (it may be repeated) is part of the turn, its lines and CPU as the turn's own;
    /// any other child is not pure computation.
    fn child(&mut self, spawned: Spawned, at: u64) {
        let effect = self.inner.take_spawn_effect();
        match (spawned, effect) {
            (Spawned::Exited(pid, _), Some(e))
                if self.stats.unreaped.is_none() && e.pipes.iter().all(|p| self.stats.open_pipes.contains(p)) =>
            {
                if !self.room(e.writes.iter().map(|w| w.text.len()).sum()) {
                    self.stats.unusual = true;
                }
                self.stats.writes.extend(e.writes.into_iter().map(|w| LogWrite { offset_steps: at + w.offset_steps, ..w }));
                self.stats.steps += e.steps;
                self.stats.pids += u64::from(e.pids);
                self.stats.cluster |= e.cluster;
                self.stats.exchanges.extend(e.exchanges.into_iter().map(|x| Exchange { offset_steps: at + x.offset_steps, ..x }));
                if let Some((secs, offset)) = e.clock {
                    self.stats.read_clock(secs, at + offset);
                }
                self.stats.unreaped = Some(pid);
            }
            _ => self.impure(),
        }
    }
}

impl Host for Tracked<'_> {
    fn now(&self) -> Millis {
        self.impure();
        self.inner.now()
    }
    fn wall_secs(&self) -> i64 {
        let secs = self.inner.wall_secs();
        self.stats.read_clock(secs, self.stats.steps - self.stats.turn_steps);
        secs
    }
    fn busybox_version(&self) -> BusyboxVersion {
        self.inner.busybox_version()
    }
    fn gnu(&self) -> bool {
        self.inner.gnu()
    }
    /// Reads are checked at the turn's end: a turn that changed a file is not steady.
    fn view(&mut self) -> View<'_> {
        self.inner.view()
    }
    fn write(&mut self, out: &Output, data: &[u8]) {
        let cost = self.inner.write_cost(out, data.len());
        let mut rewrite = false;
        match out {
            Output::Null => {}
            // An empty write changes nothing (but costs its CPU, counted below).
            Output::Log(_) if data.is_empty() => {}
            Output::Log(stream) => match std::str::from_utf8(data) {
                Ok(text) if self.room(data.len()) => {
                    // At the time the write starts (as `HostCtx::write` stamps it).
                    let offset_steps = self.stats.steps - self.stats.turn_steps;
                    self.stats.writes.push(LogWrite { offset_steps, stream: *stream, text: text.to_string() });
                }
                _ => self.stats.unusual = true,
            },
            // A file the turn's own redirection opened.
            Output::File(abs) if self.stats.files.iter().any(|f| f.abs == *abs) => {
                self.rewrite(abs);
                rewrite = true;
            }
            _ => self.impure(),
        }
        self.stats.steps += cost;
        if rewrite {
            self.own_fs_change(|h| h.write(out, data))
        } else {
            self.inner.write(out, data)
        }
    }
    fn open_for_write(&mut self, abs: &str, append: bool) -> Result<(), crate::fs::FsError> {
        self.rewrite(abs);
        self.own_fs_change(|h| h.open_for_write(abs, append))
    }
    fn pid(&self) -> u32 {
        self.inner.pid()
    }
    fn ppid(&self) -> u32 {
        self.inner.ppid()
    }
    fn hostname(&self) -> String {
        self.inner.hostname()
    }
    fn kernel_release(&self) -> String {
        self.inner.kernel_release()
    }
    fn kernel_version(&self) -> String {
        self.inner.kernel_version()
    }
    fn lookup(&mut self, name: &str, path: &str) -> Result<String, i32> {
        self.inner.lookup(name, path)
    }
    fn spawn(&mut self, path: &str, argv: Vec<String>, env: Rc<Vec<(String, String)>>, cwd: String, fds: Fds) -> Spawned {
        let at = self.stats.steps - self.stats.turn_steps;
        let spawned = self.inner.spawn(path, argv, env, cwd, fds);
        self.child(spawned, at);
        spawned
    }
    fn spawn_shell(&mut self, vm: Box<Vm>, argv: Vec<String>, fds: Fds) -> Spawned {
        let at = self.stats.steps - self.stats.turn_steps;
        let spawned = self.inner.spawn_shell(vm, argv, fds);
        self.child(spawned, at);
        spawned
    }
    fn run_to_completion(&mut self, pid: u32) -> Option<i32> {
        self.impure();
        self.inner.run_to_completion(pid)
    }
    fn reap(&mut self, pid: u32) -> Option<i32> {
        if self.stats.unreaped == Some(pid) {
            self.stats.unreaped = None;
        } else {
            self.impure();
        }
        self.inner.reap(pid)
    }
    fn reap_exited(&mut self, pids: &[u32]) -> Vec<(u32, i32)> {
        // Finding no zombie leaves the turn as it was (a background child that ends later
        // wakes first, which is a bulk's horizon); reaping one is like no other turn.
        let reaped = self.inner.reap_exited(pids);
        if !reaped.is_empty() {
            self.impure();
        }
        reaped
    }
    fn is_alive(&self, pid: u32) -> bool {
        self.impure();
        self.inner.is_alive(pid)
    }
    fn kill(&mut self, pid: u32, sig: i32) -> bool {
        self.impure();
        self.inner.kill(pid, sig)
    }
    fn processes(&self) -> Vec<ProcInfo> {
        self.impure();
        self.inner.processes()
    }
    /// A pipe the turn made, read in the same turn, is the turn's own: what its stages wrote
    /// into it, from the same state, they write again.
    fn take_pipe(&mut self, id: u64) -> Vec<u8> {
        match self.stats.open_pipes.iter().position(|p| *p == id) {
            Some(k) => {
                self.stats.open_pipes.swap_remove(k);
            }
            None => self.impure(),
        }
        self.inner.take_pipe(id)
    }
    fn new_pipe(&mut self) -> u64 {
        let id = self.inner.new_pipe();
        self.stats.open_pipes.push(id);
        self.stats.pipes += 1;
        id
    }
    fn charge(&mut self, steps: u64) -> bool {
        self.stats.steps += steps;
        self.inner.charge(steps)
    }
    fn http_get(&mut self, host: &str, port: u16, path: &str, headers: &[(String, String)]) -> Result<HttpReply, NetError> {
        self.impure();
        self.inner.http_get(host, port, path, headers)
    }
    fn tcp_probe(&mut self, host: &str, port: u16) -> Result<(), NetError> {
        self.impure();
        self.inner.tcp_probe(host, port)
    }
    fn dns_lookup(&self, fqdn: &str) -> Option<String> {
        self.impure();
        self.inner.dns_lookup(fqdn)
    }
    fn dns_lookup_all(&self, fqdn: &str) -> Vec<String> {
        self.impure();
        self.inner.dns_lookup_all(fqdn)
    }
    fn pod_ip(&self) -> String {
        self.inner.pod_ip()
    }
    fn namespace(&self) -> String {
        self.inner.namespace()
    }
    fn listeners(&self) -> Vec<ListenInfo> {
        self.impure();
        self.inner.listeners()
    }
    fn listen_httpd(&mut self, port: u16, home: String, verbose: u8, daemon: bool, argv: Vec<String>) -> Result<(), PortInUse> {
        self.impure();
        self.inner.listen_httpd(port, home, verbose, daemon, argv)
    }
    fn listen_tcp(&mut self, port: u16, program: String) -> Result<(), PortInUse> {
        self.impure();
        self.inner.listen_tcp(port, program)
    }
    fn dns_reverse(&self, ip: &str) -> Option<String> {
        self.impure();
        self.inner.dns_reverse(ip)
    }
    fn write_cost(&self, out: &Output, len: usize) -> u64 {
        self.inner.write_cost(out, len)
    }
    fn fs_generation(&self) -> u64 {
        self.inner.fs_generation()
    }
    fn turn_stats(&mut self) -> Option<&mut TurnStats> {
        Some(self.stats)
    }
    fn bulk_waits(&self) -> bool {
        self.inner.bulk_waits()
    }
    fn turn_ended(&mut self) {
        self.inner.turn_ended()
    }
    fn repeat_turns(&mut self, turn: &Turn, limit: u64) -> u64 {
        let n = self.inner.repeat_turns(turn, limit);
        self.stats.steps += n * turn.steps;
        self.stats.turn_steps = self.stats.steps;
        // The bulk set the rewritten files' modification times.
        self.stats.turn_fs = self.inner.fs_generation();
        n
    }
}
