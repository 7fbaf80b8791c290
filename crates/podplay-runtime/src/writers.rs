//! Programs that write as fast as the CPU lets them — `yes`, `cat /dev/zero`, `dd`, `head -c` —
//! as processes whose output is worked out from the time, not run write by write.
//!
//! Such a program repeats one thing: it writes `chunk` bytes of a repeating `unit` (`"y\n"`,
//! zeros) with every `write(2)`, and each write costs the same virtual CPU steps (what it reads,
//! how its bytes reach the target: see `Writer::chunk_steps`). So write `k` happens at
//! `t0 + (s0 + k·steps) / steps_per_ms` and the bytes written by any time are a division away:
//! an hour of `yes` is as cheap as a second of it. Its output takes effect when anything could
//! see it (`World::settle_writers`: before any process of the runtime runs, before each
//! operation from outside, at the end of the engine's run): into the container's log as cycles
//! of records (`logs::Cycles`), into a file as a pattern of that size (`fs::NodeKind::Pattern`).
//! A file that no longer fits on its disk ends the program at the write that failed, with its
//! own message (`dd: error writing 'F': No space left on device`); the program's wake-up is that
//! moment, worked out from the disk's free space and the writers on it.
//!
//! Into a pipe or an exec session the program writes a burst of `PIPE_BURST` bytes at once (the
//! shell runs a pipeline's stages one after another, so the reader cannot stop it earlier): then
//! it ends as killed by SIGPIPE when the reader has gone (`yes | head -n 3`).

use std::rc::Rc;

use crate::io::{Output, Stream};
use crate::logs::{CycleLine, Cycles, MAX_LINE};
use crate::types::Millis;
use crate::world::{Kind, World};

/// Steps of a system call (read or write) besides the bytes it moves.
const CALL_STEPS: u64 = 2;
/// Steps per 4 KiB page a read of `/dev/zero` clears or a write copies into the page cache
/// (about 4 GB/s).
const PAGE: u64 = 4096;
/// What a writer into a pipe or an exec session writes before its reader stops it.
pub(crate) const PIPE_BURST: u64 = 1 << 20;

/// Which program it is: decides its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Program {
    Yes,
    Cat,
    Head,
    Dd {
        /// `of=` as given (for `error writing '...'`), or `standard output`.
        out_name: String,
        /// `status=none` (nothing), `status=noxfer` (records only), or the full status.
        status: DdStatus,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DdStatus {
    Full,
    NoXfer,
    None,
}

/// Where the bytes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// The container's log (PID 1's stdout or stderr).
    Log(Stream),
    /// A file (absolute path), which exists.
    File(String),
    /// `/dev/null`.
    Null,
}

/// The records a writer's bytes make in the log, for one period of its writes: `period` writes
/// after which the records repeat, each record with the write that completes it.
#[derive(Debug)]
pub(crate) struct LogShape {
    period: u64,
    lines: Rc<[CycleLine]>,
    /// `starts[j]`: the first record completed by write `j` of the period or later.
    starts: Vec<usize>,
    partial: bool,
    /// Records per period.
    records: u64,
}

#[derive(Debug)]
pub(crate) struct Writer {
    pub program: Program,
    pub unit: Rc<[u8]>,
    /// Bytes per write.
    pub chunk: u64,
    /// Bytes to write in all (None: until stopped).
    pub total: Option<u64>,
    pub target: Target,
    /// The first write starts `s0` steps into ms `t0`; each takes `chunk_steps`.
    pub t0: Millis,
    pub s0: u64,
    pub chunk_steps: u64,
    /// Steps of a write spent reading its input (dd reports a failure after the read).
    pub read_steps: u64,
    pub spm: u64,
    /// Bytes that took effect so far, up to `settled`.
    pub applied: u64,
    pub settled: Millis,
    shape: Option<LogShape>,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn lcm(a: u64, b: u64) -> u64 {
    a / gcd(a, b) * b
}

impl Writer {
    /// A writer starting at `now` (ms) whose writes cost what reading (`read_steps`) and writing
    /// `chunk` bytes to `target` costs.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        program: Program,
        unit: Rc<[u8]>,
        chunk: u64,
        total: Option<u64>,
        target: Target,
        now: Millis,
        read_steps: u64,
        spm: u64,
    ) -> Writer {
        let shape = match &target {
            Target::Log(stream) => Some(log_shape(&unit, chunk, *stream)),
            _ => None,
        };
        let write_steps = match (&target, &shape) {
            (Target::Log(_), Some(shape)) => {
                // The write, containerd's copy, and one record more per extra line (as
                // `HostCtx::write_cost`).
                let extra = shape.records.saturating_sub(shape.period) * crate::host::LOG_LINE_STEPS / shape.period;
                crate::host::LOG_WRITE_STEPS + chunk / 256 + extra
            }
            (Target::File(_), _) => CALL_STEPS + chunk.div_ceil(PAGE),
            _ => CALL_STEPS,
        };
        let chunk_steps = (read_steps + write_steps).max(1);
        let shape = shape.map(|mut s| {
            s.scale(chunk_steps);
            s
        });
        Writer {
            program,
            unit,
            chunk: chunk.max(1),
            total,
            target,
            t0: now,
            s0: 0,
            chunk_steps,
            read_steps,
            spm: spm.max(1),
            applied: 0,
            settled: now,
            shape,
        }
    }

    /// Steps to read a chunk of `/dev/zero` (a call, and clearing the pages).
    pub fn zero_read_steps(chunk: u64) -> u64 {
        CALL_STEPS + chunk.div_ceil(PAGE)
    }

    /// Steps `yes` spends formatting a chunk of `unit` lines through stdio.
    pub fn yes_steps(chunk: u64, unit: usize) -> u64 {
        1 + chunk / unit.max(1) as u64 / 32
    }

    /// Writes in all (None: endless).
    pub fn writes(&self) -> Option<u64> {
        self.total.map(|t| t.div_ceil(self.chunk))
    }

    /// When write `k` starts.
    pub fn time_of(&self, k: u64) -> Millis {
        self.t0 + (self.s0 + k * self.chunk_steps) / self.spm
    }

    /// When the program is done writing (None: endless).
    pub fn end_time(&self) -> Option<Millis> {
        self.writes().map(|n| self.time_of(n))
    }

    /// Writes started by `t` (inclusive).
    pub fn writes_by(&self, t: Millis) -> u64 {
        if t < self.t0 {
            return 0;
        }
        let budget = (t - self.t0 + 1) * self.spm - 1;
        let k = if budget < self.s0 { 0 } else { (budget - self.s0) / self.chunk_steps + 1 };
        self.writes().map_or(k, |n| k.min(n))
    }

    /// Bytes written by `t`.
    pub fn bytes_by(&self, t: Millis) -> u64 {
        let b = self.writes_by(t) * self.chunk;
        self.total.map_or(b, |total| b.min(total))
    }

    /// Elapsed seconds from the start to `steps` steps later (dd's clock).
    pub fn seconds(&self, steps: u64) -> f64 {
        steps as f64 / (self.spm as f64 * 1000.0)
    }

    /// The log records of writes `a..b` (whole writes), pushed as cycles.
    pub fn emit_log(&self, log: &mut crate::logs::ContainerLog, a: u64, b: u64) {
        let Some(shape) = &self.shape else { return };
        let p = shape.period;
        let mut k = a;
        while k < b {
            let q = k / p;
            let j0 = k % p;
            let steps = self.s0 + q * p * self.chunk_steps;
            let (start_ms, start_steps) = (self.t0 + steps / self.spm, steps % self.spm);
            if j0 == 0 && b - k >= p {
                let m = (b - k) / p;
                log.push_cycles(Cycles {
                    lines: shape.lines.clone(),
                    partial: shape.partial,
                    start_ms,
                    start_steps,
                    cycle_steps: p * self.chunk_steps,
                    steps_per_ms: self.spm,
                    count: m,
                });
                k += m * p;
            } else {
                let j1 = p.min(j0 + (b - k));
                let sub = &shape.lines[shape.starts[j0 as usize]..shape.starts[j1 as usize]];
                if !sub.is_empty() {
                    log.push_cycles(Cycles {
                        lines: Rc::from(sub.to_vec()),
                        partial: shape.partial,
                        start_ms,
                        start_steps,
                        cycle_steps: p * self.chunk_steps,
                        steps_per_ms: self.spm,
                        count: 1,
                    });
                }
                k += j1 - j0;
            }
        }
    }
}

/// The records `unit` repeated makes in the log when written `chunk` bytes at a time: containerd
/// ends a record at each newline, or after 16 KiB without one (a partial record).
fn log_shape(unit: &[u8], chunk: u64, stream: Stream) -> LogShape {
    let len = unit.len().max(1) as u64;
    let ends_line = unit.last() == Some(&b'\n');
    let text_of = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    // (byte that completes the record, text)
    let mut records: Vec<(u64, String)> = Vec::new();
    let (period_bytes, partial) = if ends_line {
        let period = lcm(chunk, len);
        let text = text_of(&unit[..unit.len() - 1]);
        for k in 0..period / len {
            records.push((k * len + len - 1, text.clone()));
        }
        (period, false)
    } else {
        // No line ends: records of 16 KiB.
        let piece = MAX_LINE as u64;
        let period = lcm(chunk, lcm(len, piece)).min(chunk * piece);
        for r in 0..period / piece {
            let start = r * piece;
            let mut bytes = Vec::with_capacity(MAX_LINE);
            let mut i = start;
            while (bytes.len() as u64) < piece {
                let phase = (i % len) as usize;
                let take = ((piece - bytes.len() as u64) as usize).min(unit.len() - phase);
                bytes.extend_from_slice(&unit[phase..phase + take]);
                i += take as u64;
            }
            records.push((start + piece - 1, text_of(&bytes)));
        }
        (period, true)
    };
    let period = (period_bytes / chunk).max(1);
    let mut starts = vec![0usize; period as usize + 1];
    let lines: Vec<CycleLine> = records.into_iter().map(|(end, text)| CycleLine::new(end / chunk, stream, text)).collect();
    for j in 0..=period {
        starts[j as usize] = lines.partition_point(|l| l.offset_steps < j);
    }
    let count = lines.len() as u64;
    LogShape { period, lines: Rc::from(lines), starts, partial, records: count }
}

impl LogShape {
    /// The offsets are write indices until the writer's cost is known: then steps.
    fn scale(&mut self, chunk_steps: u64) {
        let lines: Vec<CycleLine> =
            self.lines.iter().map(|l| CycleLine { offset_steps: l.offset_steps * chunk_steps, ..l.clone() }).collect();
        self.lines = Rc::from(lines);
    }
}

/// What to write before a writer that cannot run in the background (a pipe, an exec session):
/// the burst of bytes, and whether the program was stopped by SIGPIPE before its end.
pub(crate) fn burst(unit: &[u8], total: Option<u64>) -> (Vec<u8>, bool) {
    let n = total.map_or(PIPE_BURST, |t| t.min(PIPE_BURST));
    let n = n as usize;
    let mut out = Vec::with_capacity(n);
    out.extend_from_slice(&unit[..unit.len().min(n)]);
    // Doubled, not a unit at a time: a megabyte of `y\n` is twenty copies, not half a million.
    while !out.is_empty() && out.len() < n {
        let take = out.len().min(n - out.len());
        out.extend_from_within(..take);
    }
    (out, total.is_none_or(|t| t > PIPE_BURST))
}

/// Whether `out` can take a background writer.
pub(crate) fn target_of(out: &Output) -> Option<Target> {
    match out {
        Output::Log(s) => Some(Target::Log(*s)),
        Output::File(p) if p == "/dev/null" || p == "/dev/zero" => Some(Target::Null),
        Output::File(p) => Some(Target::File(p.clone())),
        Output::Null => Some(Target::Null),
        Output::Pipe(_) | Output::Exec(..) => None,
    }
}

/// busybox's `make_human_readable_str(v, 1, 0)`: `1.0M`, `100.0M`, `512`.
pub(crate) fn human(v: u64) -> String {
    if v == 0 {
        return "0".into();
    }
    const UNITS: [&str; 9] = ["", "K", "M", "G", "T", "P", "E", "Z", "Y"];
    let (mut val, mut frac, mut u) = (v, 0u64, 0usize);
    let mut fractional = false;
    while val >= 1024 {
        fractional = true;
        u += 1;
        frac = ((val % 1024) * 10 + 512) / 1024;
        val /= 1024;
    }
    if frac >= 10 {
        val += 1;
        frac = 0;
    }
    if fractional {
        format!("{val}.{frac}{}", UNITS[u])
    } else {
        format!("{val}")
    }
}

/// dd's status lines after `writes_in` reads and `writes_out` full writes of `bytes` in all,
/// `secs` seconds after it started.
pub(crate) fn dd_status(status: DdStatus, reads: u64, writes_out: u64, bytes: u64, secs: f64) -> String {
    if status == DdStatus::None {
        return String::new();
    }
    let mut s = format!("{reads}+0 records in\n{writes_out}+0 records out\n");
    if status == DdStatus::Full {
        let rate = if secs > 0.0 { (bytes as f64 / secs) as u64 } else { 0 };
        s.push_str(&format!("{bytes} bytes ({}B) copied, {secs:.6} seconds, {}B/s\n", human(bytes), human(rate)));
    }
    s
}

impl World {
    /// Every background writer's output up to `now` takes effect; those that ended (done, or
    /// their disk full) exit then; the others wake when they end or their disk fills.
    pub(crate) fn settle_writers(&mut self, now: Millis) {
        if self.writers.is_empty() {
            return;
        }
        for (cid, pid) in self.writers.clone() {
            self.settle_writer(cid, pid, now);
        }
        self.predict_writers(now);
    }

    fn writer(&self, cid: usize, pid: u32) -> Option<&Writer> {
        match &self.containers[cid].procs.get(&pid)?.kind {
            Kind::Writer(w) => Some(w),
            _ => None,
        }
    }

    /// Writer `pid`'s output up to `now` takes effect; it exits if it ended by then.
    pub(crate) fn settle_writer(&mut self, cid: usize, pid: u32, now: Millis) {
        let Some(p) = self.containers[cid].procs.get_mut(&pid) else {
            self.writers.retain(|x| *x != (cid, pid));
            return;
        };
        if !matches!(p.kind, Kind::Writer(_)) {
            return;
        }
        let Kind::Writer(mut w) = std::mem::replace(&mut p.kind, Kind::Running) else { return };
        let stderr = p.fds.stderr.clone();
        let t = now.max(w.settled);
        let goal = w.bytes_by(t);
        let mut failed: Option<Millis> = None;
        match w.target.clone() {
            Target::Null => w.applied = goal,
            Target::Log(_) => {
                let (a, b) = (w.applied / w.chunk, goal / w.chunk);
                if b > a {
                    w.emit_log(&mut self.containers[cid].logs, a, b);
                    self.touch(cid);
                }
                // (The last, short write of a finite stream into the log is left out.)
                w.applied = if Some(goal) == w.total { goal } else { b * w.chunk };
            }
            Target::File(abs) => {
                let n = goal - w.applied;
                if n > 0 {
                    match self.view(cid, t).append_repeated(&abs, &w.unit, w.applied, n) {
                        Ok(m) => {
                            w.applied += m;
                            if m < n {
                                failed = Some(w.time_of(w.applied / w.chunk).max(w.settled));
                            }
                        }
                        // The file was removed: the writes go to a file no one can see.
                        Err(_) => w.applied += n,
                    }
                }
            }
        }
        w.settled = t;
        let ended = w.end_time().filter(|e| *e <= t && failed.is_none());
        match (failed, ended) {
            (Some(at), _) => {
                self.writers.retain(|x| *x != (cid, pid));
                let text = crate::applets::stream::no_space_text(&w.program, &w, w.applied);
                self.write(cid, &stderr, text.as_bytes(), at);
                self.exit_process(cid, pid, 1, at);
            }
            (None, Some(at)) => {
                self.writers.retain(|x| *x != (cid, pid));
                if let Program::Dd { status, .. } = &w.program {
                    let n = w.writes().unwrap_or(0);
                    let text = dd_status(*status, n, n, w.applied, w.seconds(n * w.chunk_steps));
                    self.write(cid, &stderr, text.as_bytes(), at);
                }
                self.exit_process(cid, pid, 0, at);
            }
            (None, None) => {
                if let Some(p) = self.containers[cid].procs.get_mut(&pid) {
                    p.kind = Kind::Writer(w);
                }
            }
        }
    }

    /// dd's status on SIGUSR1: what it has copied so far.
    pub(crate) fn dd_report(&mut self, cid: usize, pid: u32, now: Millis) {
        let Some(w) = self.writer(cid, pid) else { return };
        let Program::Dd { status, .. } = &w.program else { return };
        let n = w.writes_by(now);
        let text = dd_status(*status, n, n, w.applied, w.seconds((now - w.t0) * w.spm));
        let stderr = self.containers[cid].procs.get(&pid).map(|p| p.fds.stderr.clone());
        if let Some(out) = stderr {
            self.write(cid, &out, text.as_bytes(), now);
        }
    }

    /// Each writer's wake-up: its end, or the write that will not fit on its disk (the writers
    /// into files on one disk share its free space).
    pub(crate) fn predict_writers(&mut self, now: Millis) {
        // (disk, its writers with the room their file has)
        let mut groups: Vec<(Rc<crate::fs::Disk>, Vec<(usize, u32, u64)>)> = Vec::new();
        let mut wakes: Vec<(usize, u32, Option<Millis>)> = Vec::new();
        for (cid, pid) in self.writers.clone() {
            let Some(w) = self.writer(cid, pid) else { continue };
            let end = w.end_time();
            let file = match &w.target {
                Target::File(abs) => Some(abs.clone()),
                _ => None,
            };
            wakes.push((cid, pid, end));
            if let Some(abs) = file {
                let (room, disk) = self.view(cid, now).room(&abs);
                if let Some(disk) = disk {
                    match groups.iter_mut().find(|(d, _)| Rc::ptr_eq(d, &disk)) {
                        Some((_, members)) => members.push((cid, pid, room)),
                        None => groups.push((disk, vec![(cid, pid, room)])),
                    }
                }
            }
        }
        for (disk, members) in &groups {
            let fill = if let [(cid, pid, room)] = members.as_slice() {
                let w = self.writer(*cid, *pid).expect("writer");
                let k = (w.applied + room) / w.chunk;
                w.writes().is_none_or(|n| k < n).then(|| w.time_of(k))
            } else {
                // The first moment the writers together have written more than is free.
                let free = disk.free();
                let ws: Vec<&Writer> = members.iter().filter_map(|(c, p, _)| self.writer(*c, *p)).collect();
                let excess = |t: Millis| ws.iter().map(|w| w.bytes_by(t) - w.applied.min(w.bytes_by(t))).sum::<u64>() > free;
                let mut hi = now + 1;
                while !excess(hi) && hi < now + (1 << 42) {
                    hi = now + 2 * (hi - now);
                }
                if excess(hi) {
                    let mut lo = now;
                    while hi - lo > 1 {
                        let mid = lo + (hi - lo) / 2;
                        if excess(mid) {
                            hi = mid;
                        } else {
                            lo = mid;
                        }
                    }
                    Some(hi)
                } else {
                    None
                }
            };
            if let Some(fill) = fill {
                for (cid, pid, _) in members {
                    if let Some(entry) = wakes.iter_mut().find(|(c, p, _)| c == cid && p == pid) {
                        entry.2 = Some(entry.2.map_or(fill, |e| e.min(fill)).max(now + 1));
                    }
                }
            }
        }
        for (cid, pid, wake) in wakes {
            if let Some(p) = self.containers[cid].procs.get_mut(&pid) {
                p.wake = wake.map(|t| t.max(now));
            }
            self.touch(cid);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busybox_human_readable() {
        assert_eq!(human(0), "0");
        assert_eq!(human(512), "512");
        assert_eq!(human(1 << 20), "1.0M");
        assert_eq!(human(100 << 20), "100.0M");
        assert_eq!(human(1536), "1.5K");
        // Rounding up to 10 tenths does not move to the next unit (as busybox prints it).
        assert_eq!(human(1023 * 1024 + 1000), "1024.0K");
    }

    #[test]
    fn schedule_is_arithmetic() {
        let w = Writer::new(Program::Yes, Rc::from(&b"y\n"[..]), 4096, Some(100 * 4096), Target::Null, 1_000, 65, 1000);
        assert_eq!(w.chunk_steps, 67);
        assert_eq!(w.writes_by(999), 0);
        assert_eq!(w.writes_by(1_000), 15, "writes 0..14 start within the first ms");
        assert_eq!(w.end_time(), Some(1_006));
        assert_eq!(w.bytes_by(5_000), 100 * 4096);
    }

    #[test]
    fn log_shapes() {
        let yes = log_shape(b"y\n", 4096, Stream::Stdout);
        assert_eq!((yes.period, yes.records, yes.partial), (1, 2048, false));
        let hello = log_shape(b"hello\n", 4096, Stream::Stdout);
        assert_eq!((hello.period, hello.records), (3, 2048));
        assert_eq!(hello.starts, vec![0, 682, 1365, 2048]);
        let zeros = log_shape(&[0], 4096, Stream::Stdout);
        assert_eq!((zeros.period, zeros.records, zeros.partial), (4, 1, true));
        assert_eq!(zeros.lines[0].text.len(), MAX_LINE);
        assert_eq!(zeros.starts, vec![0, 0, 0, 0, 1]);
    }
}
