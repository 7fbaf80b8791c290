//! What a steady loop's turns write to the container's log, worked out for many turns at once.
//!
//! Each turn makes the same writes at the same offsets (`shell/vm/steady.rs`), but what the log
//! makes of them depends on what is left unfinished from one turn to the next, as containerd's
//! log reader takes them in (`World::write`): a line is stamped with the time of the write that
//! began it, and a line that outgrows 16 KiB goes out in records of 16 KiB tagged partial, each
//! stamped when the write that made it overflow is read. Per stream, a turn is of one of two
//! kinds:
//!
//! - It ends a line (one of its writes holds a line end). After one such turn, what is left
//!   unfinished at a turn's end (the tail) is the same each time, so every turn writes the same
//!   lines, the first begun in the turn before at the tail's offset (`echo -n a; echo b`, or
//!   `cat` of a file of two lines without a final line end: `b` then `ba`, `ba`, ...).
//! - It never ends one (`echo -n x`, `cat` of a one-line file without a line end). The
//!   unfinished line grows by the turn's bytes and goes out 16 KiB at a time (at the last
//!   character boundary, as `logs::record_cut` cuts). Its records are windows into the turn's
//!   text repeated; where a record ends depends only on where in that text it starts, so after
//!   a few records they come back, whole turns later (`16384 / gcd(bytes, 16384)` turns for
//!   ASCII text): the records of any number of turns follow from one such cycle
//!   ([`Endless`], [`Records`]).
//!
//! A [`Plan`] holds one period of the turns' records on both streams, in the order the log gets
//! them, for what is unfinished at the bulk's start; [`Plan::emit`] pushes `n` turns of it as
//! cycles (`logs::Cycles`) and [`Plan::pending_after`] says what is left unfinished after them.
//! When the state found is not one the turns keep (a line begun before the loop), there is no
//! plan: the turns run one by one until it is.

use std::rc::Rc;

use crate::io::{LogWrite, Stream};
use crate::logs::{record_cut, ContainerLog, CycleLine, Cycles, MAX_LINE};
use crate::types::Millis;

const RECORD: u64 = MAX_LINE as u64;

/// Records a period of turns may hold (one such period is built per bulk).
const MAX_PERIOD_RECORDS: u64 = 1 << 15;

/// A stream's unfinished line: when the write that began it was made, and its text (the
/// container's `partial`).
pub(crate) type Pending = (Millis, String);

/// What a turn does to one stream.
#[derive(Debug)]
enum Kind {
    Untouched,
    /// It ends lines: the same ones each turn (`Line`s), leaving `tail` unfinished, begun by the
    /// write at `tail_at`.
    Lines {
        tail: String,
        tail_at: u64,
    },
    Endless(Endless),
}

/// A line of a turn on a stream that ends lines.
#[derive(Debug)]
struct Line {
    /// Where the write that began it is, from the turn's start (negative: in the turn before).
    begun: i64,
    /// Where the write that ended it is.
    ended: u64,
    stream: Stream,
    text: String,
    partial: bool,
}

/// A stream the turn writes to without ever ending a line.
#[derive(Debug)]
struct Endless {
    stream: Stream,
    /// The turn's bytes on the stream (`unit`), repeated for as long as a record and a unit:
    /// byte `b` of the bulk (negative: pending before it) is the ring's byte `b mod unit`.
    ring: Rc<str>,
    unit: u64,
    /// Each write's end in the unit and its offset in the turn.
    ends: Vec<(u64, u64)>,
    /// Bytes unfinished at the bulk's start (the unit's last ones, repeated), and when the
    /// write that began them (or cut the last record) was made.
    pending: u64,
    since: Millis,
    records: Records,
}

/// One record of the endless line, in bytes of the bulk: it starts at `s`, ends at `e` (the
/// last character boundary at most 16 KiB on, where `logs::record_cut` cuts), and the write of
/// byte `c` (the first past 16 KiB from `s`) cuts it.
#[derive(Debug, Clone, Copy)]
struct Rec {
    s: i64,
    e: i64,
    c: i64,
}

/// The records of an endless line: the first ones as they come, until one starts at a place in
/// the unit an earlier one (`k0`) started at; from there they come back every `r` records,
/// `shift` bytes (a whole number of turns) further on, since where a record ends depends only
/// on where in the unit it starts.
#[derive(Debug)]
struct Records {
    first: Vec<Rec>,
    k0: usize,
    r: usize,
    shift: i64,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl Endless {
    /// Where in the ring byte `b` of the bulk is.
    fn phase(&self, b: i64) -> u32 {
        b.rem_euclid(self.unit as i64) as u32
    }

    /// Record `k`.
    fn rec(&self, k: usize) -> Rec {
        let Records { first, k0, r, shift } = &self.records;
        if k < first.len() {
            return first[k];
        }
        let (q, i) = ((k - k0) / r, (k - k0) % r);
        let x = first[k0 + i];
        let by = q as i64 * shift;
        Rec { s: x.s + by, e: x.e + by, c: x.c + by }
    }

    /// Turns after which the records fall on the same writes again.
    fn period(&self) -> u64 {
        self.records.shift as u64 / self.unit
    }

    /// The first turn from which every period of turns holds the same records: past the
    /// records before the cycle, and late enough that each record of a later period is the
    /// one of the period before moved on.
    fn periodic_from(&self) -> u64 {
        let Records { k0, r, .. } = self.records;
        let turn = |k: usize| self.rec(k).c as u64 / self.unit;
        let before = if k0 > 0 { turn(k0 - 1) + 1 } else { 0 };
        before.max((turn(k0 + r - 1) + 1).saturating_sub(self.period()))
    }

    /// The turn and the offset in it of the write that writes byte `b` of the bulk.
    fn write_of(&self, b: i64) -> (u64, u64) {
        let r = b as u64 % self.unit;
        let j = self.ends.partition_point(|&(end, _)| end <= r);
        (b as u64 / self.unit, self.ends[j].1)
    }

    /// The records cut in turns `a..a + c`: (turn, offset of the cutting write, record).
    fn records(&self, a: u64, c: u64, frame: impl Fn(u64, u64) -> u64, out: &mut Vec<(u64, u64, CycleLine)>) {
        for k in 0.. {
            let x = self.rec(k);
            let (turn, at) = self.write_of(x.c);
            if turn >= a + c {
                break;
            }
            if turn >= a {
                let line = CycleLine::record(frame(turn, at), self.stream, self.ring.clone(), self.phase(x.s), (x.e - x.s) as u32);
                out.push((turn, at, line));
            }
        }
    }

    /// The last record cut by the first `bytes` bytes of the bulk, if any: of each record of the
    /// cycle, its last repetition cut before then.
    fn last_cut(&self, bytes: i64) -> Option<Rec> {
        let Records { first, k0, shift, .. } = &self.records;
        let before = first[..*k0].iter().filter(|x| x.c < bytes).copied();
        let cycle = first[*k0..].iter().filter(|x| x.c < bytes).map(|x| {
            let q = (bytes - 1 - x.c) / shift;
            Rec { s: x.s + q * shift, e: x.e + q * shift, c: x.c + q * shift }
        });
        before.chain(cycle).max_by_key(|x| x.c)
    }
}

impl Records {
    /// The records of `unit` repeated from `-pending`, until one starts where an earlier one
    /// did in the unit; None past `MAX_PERIOD_RECORDS` of them.
    fn of(ring: &str, unit: u64, pending: u64) -> Option<Records> {
        let phase = |b: i64| b.rem_euclid(unit as i64) as usize;
        // For each place in the unit, the record that started there, plus one (0: none yet).
        let mut seen = vec![0u32; unit as usize];
        let mut first: Vec<Rec> = Vec::new();
        let mut s = -(pending as i64);
        loop {
            if let Some(k0) = seen[phase(s)].checked_sub(1).map(|k| k as usize) {
                let shift = s - first[k0].s;
                return Some(Records { r: first.len() - k0, k0, shift, first });
            }
            if first.len() as u64 > MAX_PERIOD_RECORDS {
                return None;
            }
            seen[phase(s)] = first.len() as u32 + 1;
            let c = s + RECORD as i64;
            let mut e = c;
            while !ring.is_char_boundary(phase(e)) {
                e -= 1;
            }
            first.push(Rec { s, e, c });
            s = e;
        }
    }
}

/// A record a turn ends on a stream that ends lines: a line, or a 16 KiB piece of a longer one.
struct Ended {
    /// The write that began it (None: the one that began what was unfinished before the turn).
    begun: Option<u64>,
    ended: u64,
    text: String,
    partial: bool,
}

/// One turn's writes to a stream run through containerd's line reader with `tail` unfinished,
/// as `World::write` runs them: the records it ends, what it leaves unfinished, and the offset
/// of the write that began that (or cut its last record).
fn split_turn(writes: &[&LogWrite], tail: &str) -> (Vec<Ended>, String, Option<u64>) {
    let mut buf = tail.to_string();
    let mut begun = None;
    let mut out = Vec::new();
    for w in writes {
        let at = w.offset_steps;
        let mut segments = w.text.split('\n').peekable();
        while let Some(segment) = segments.next() {
            if buf.is_empty() {
                begun = Some(at);
            }
            buf.push_str(segment);
            while buf.len() > MAX_LINE {
                let cut = record_cut(&buf);
                let rest = buf.split_off(cut);
                out.push(Ended { begun: Some(at), ended: at, text: std::mem::replace(&mut buf, rest), partial: true });
                begun = Some(at);
            }
            if segments.peek().is_some() {
                out.push(Ended { begun, ended: at, text: std::mem::take(&mut buf), partial: false });
                begun = Some(at);
            }
        }
    }
    (out, buf, begun)
}

/// What `n` turns of a steady loop write to the log (see the module's comment).
#[derive(Debug)]
pub(crate) struct Plan {
    kinds: [Kind; 2],
    /// The lines of the streams that end lines, each turn.
    lines: Vec<Line>,
    period: u64,
    /// The first turn of the periods (the turns before it are written out once).
    from: u64,
    turn_steps: u64,
    /// A period's frame starts this long before its first turn (a line begun in the turn
    /// before).
    shift: u64,
    /// The bulk's first step (ms × steps a ms + steps).
    start: u64,
    spm: u64,
}

impl Plan {
    /// The plan for turns of `turn_steps` that make `writes`, from step `start` (ms × `spm` +
    /// steps) with `pending` unfinished. None when the turns do not yet leave the log as they
    /// found it, or a period would hold too many records.
    pub fn new(writes: &[LogWrite], turn_steps: u64, pending: &[Pending; 2], start: u64, spm: u64) -> Option<Plan> {
        let mut kinds = [Kind::Untouched, Kind::Untouched];
        let mut lines = Vec::new();
        for stream in [Stream::Stdout, Stream::Stderr] {
            let ws: Vec<&LogWrite> = writes.iter().filter(|w| w.stream == stream).collect();
            let (since, unfinished) = &pending[stream.index()];
            kinds[stream.index()] = if ws.is_empty() {
                Kind::Untouched
            } else if ws.iter().any(|w| w.text.contains('\n')) {
                let (ended, tail, tail_at) = split_turn(&ws, unfinished);
                let tail_at = tail_at?;
                // The same tail at the same offset of the turn before (what was unfinished
                // before the loop's turns began is not).
                let tail_begun = (start + tail_at).checked_sub(turn_steps)?;
                if tail != *unfinished || (!tail.is_empty() && tail_begun / spm != *since) {
                    return None;
                }
                let before = tail_at as i64 - turn_steps as i64;
                lines.extend(ended.into_iter().map(|e| Line {
                    begun: e.begun.map_or(before, |b| b as i64),
                    ended: e.ended,
                    stream,
                    text: e.text,
                    partial: e.partial,
                }));
                Kind::Lines { tail, tail_at }
            } else {
                Kind::Endless(Self::endless(stream, &ws, (*since, unfinished))?)
            };
        }
        let endless = || kinds.iter().filter_map(|k| if let Kind::Endless(e) = k { Some(e) } else { None });
        let period = endless().fold(1, |p, e| p / gcd(p, e.period()) * e.period());
        let from = endless().map(Endless::periodic_from).max().unwrap_or(0);
        let records: u64 = endless().map(|e| e.records.r as u64 * (period / e.period())).sum();
        if period.saturating_mul(lines.len() as u64).saturating_add(records) > MAX_PERIOD_RECORDS {
            return None;
        }
        let shift = lines.iter().map(|l| (-l.begun).max(0) as u64).max().unwrap_or(0);
        // A line begun in the turn before starts the frame there, which the time since 0 holds
        // (the turn before ran); a start earlier than that is no turn the loop made.
        if shift > start {
            return None;
        }
        lines.sort_by_key(|l| l.ended);
        Some(Plan { kinds, lines, period, from, turn_steps, shift, start, spm })
    }

    /// A stream the turn writes without a line end: kept as an [`Endless`] if what is
    /// unfinished is what the turns would leave (the unit's last bytes, repeated).
    fn endless(stream: Stream, ws: &[&LogWrite], (since, unfinished): (Millis, &str)) -> Option<Endless> {
        let unit: String = ws.iter().map(|w| w.text.as_str()).collect();
        if unit.is_empty() {
            return None;
        }
        let len = unit.len() as u64;
        let ring: Rc<str> = unit.repeat((len + RECORD).div_ceil(len) as usize + 1).into();
        let mut end = 0;
        let ends = ws
            .iter()
            .map(|w| {
                end += w.text.len() as u64;
                (end, w.offset_steps)
            })
            .collect();
        let pending = unfinished.len() as u64;
        let records = Records::of(&ring, len, pending)?;
        let e = Endless { stream, ring, unit: len, ends, pending, since, records };
        let from = e.phase(-(pending as i64)) as usize;
        (e.ring.get(from..from + unfinished.len()) == Some(unfinished)).then_some(e)
    }

    /// The records of turns `a..a + c` in the order the log gets them, stamped from the frame
    /// of turn `a`, and the turn of each (relative to `a`).
    fn build(&self, a: u64, c: u64) -> (Vec<CycleLine>, Vec<u64>) {
        let frame = |turn: u64, at: u64| self.shift + (turn - a) * self.turn_steps + at;
        let mut all: Vec<(u64, u64, CycleLine)> = Vec::new();
        for k in &self.kinds {
            if let Kind::Endless(e) = k {
                e.records(a, c, frame, &mut all);
            }
        }
        for turn in a..a + c {
            for l in &self.lines {
                let begun = (self.shift as i64 + ((turn - a) * self.turn_steps) as i64 + l.begun) as u64;
                let line = CycleLine { partial: l.partial, ..CycleLine::new(begun, l.stream, l.text.clone()) };
                all.push((turn, l.ended, line));
            }
        }
        // In the order of the writes that end them (a write ends at most one record of an
        // endless stream; lines of one write keep their order: the sort is stable).
        all.sort_by_key(|(turn, at, _)| (*turn, *at));
        let turns = all.iter().map(|(turn, _, _)| turn - a).collect();
        (all.into_iter().map(|(_, _, l)| l).collect(), turns)
    }

    /// Pushes `n` turns' records onto `log`: the turns before the periods once, then whole
    /// periods as one cycle, then the turns of a last part period.
    pub fn emit(&self, log: &mut ContainerLog, n: u64) {
        let (p, from) = (self.period, self.from);
        let cycles = |lines: Vec<CycleLine>, from_turn: u64, count: u64| {
            let at = self.start + from_turn * self.turn_steps - self.shift;
            Cycles {
                lines: lines.into(),
                partial: false,
                start_ms: at / self.spm,
                start_steps: at % self.spm,
                cycle_steps: p * self.turn_steps,
                steps_per_ms: self.spm,
                count,
            }
        };
        let (before, _) = self.build(0, from.min(n));
        if !before.is_empty() {
            log.push_cycles(cycles(before, 0, 1));
        }
        if n <= from {
            return;
        }
        let (generic, turns) = self.build(from, p);
        let (whole, rest) = ((n - from) / p, (n - from) % p);
        let head: Vec<CycleLine> = generic[..turns.partition_point(|&t| t < rest)].to_vec();
        if whole > 0 && !generic.is_empty() {
            log.push_cycles(cycles(generic, from, whole));
        }
        if !head.is_empty() {
            log.push_cycles(cycles(head, from + whole * p, 1));
        }
    }

    /// What is left unfinished on each stream after `n` turns (None: as it was).
    pub fn pending_after(&self, n: u64) -> [Option<Pending>; 2] {
        let ms = |turn: u64, at: u64| (self.start + turn * self.turn_steps + at) / self.spm;
        self.kinds.each_ref().map(|k| match k {
            Kind::Untouched => None,
            Kind::Lines { tail, tail_at } => Some((ms(n - 1, *tail_at), tail.clone())),
            Kind::Endless(e) => {
                let bytes = (n * e.unit) as i64;
                let (since, from) = match e.last_cut(bytes) {
                    Some(x) => {
                        let (turn, at) = e.write_of(x.c);
                        (ms(turn, at), x.e)
                    }
                    None if e.pending == 0 => (ms(0, e.ends[0].1), 0),
                    None => (e.since, -(e.pending as i64)),
                };
                let start = e.phase(from) as usize;
                Some((since, e.ring[start..start + (bytes - from) as usize].to_string()))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::LogLine;

    /// Pushes `n` turns of `writes` (each `turn_steps` long, from step `start`) one write at a
    /// time through the reader the world uses, as `World::write` does.
    fn one_by_one(writes: &[LogWrite], turn_steps: u64, start: u64, spm: u64, n: u64, pending: &mut [Pending; 2]) -> ContainerLog {
        let mut log = ContainerLog::new(0);
        for i in 0..n {
            for w in writes {
                let now = (start + i * turn_steps + w.offset_steps) / spm;
                let buf = &mut pending[w.stream.index()];
                let mut segments = w.text.split('\n').peekable();
                while let Some(segment) = segments.next() {
                    if buf.1.is_empty() {
                        buf.0 = now;
                    }
                    buf.1.push_str(segment);
                    while buf.1.len() > MAX_LINE {
                        let piece: String = buf.1.drain(..record_cut(&buf.1)).collect();
                        log.push(LogLine { partial: true, ..LogLine::new(now, w.stream, piece) });
                        buf.0 = now;
                    }
                    if segments.peek().is_some() {
                        log.push(LogLine::new(buf.0, w.stream, std::mem::take(&mut buf.1)));
                        buf.0 = now;
                    }
                }
            }
        }
        log
    }

    fn w(offset_steps: u64, stream: Stream, text: &str) -> LogWrite {
        LogWrite { offset_steps, stream, text: text.into() }
    }

    /// Runs `warm` turns one by one, then `n` in bulk and one by one, and compares.
    fn same(writes: &[LogWrite], turn_steps: u64, warm: u64, n: u64) {
        let spm = 1_000;
        let mut pending: [Pending; 2] = Default::default();
        let warmed = one_by_one(writes, turn_steps, 0, spm, warm, &mut pending);
        let start = warm * turn_steps;
        let plan = Plan::new(writes, turn_steps, &pending, start, spm).expect("a plan");
        let mut bulk = warmed.clone();
        plan.emit(&mut bulk, n);
        let mut after = pending.clone();
        let single = {
            let mut log = warmed;
            let more = one_by_one(writes, turn_steps, start, spm, n, &mut after);
            for l in more.lines() {
                log.push(l);
            }
            log
        };
        let (b, s) = (bulk.lines(), single.lines());
        assert_eq!(b.len(), s.len(), "{writes:?}: records");
        if let Some(i) = (0..b.len()).find(|&i| b[i] != s[i]) {
            panic!(
                "{writes:?}: record {i}: bulk {:?}…, one by one {:?}…",
                &b[i].text[..20.min(b[i].text.len())],
                &s[i].text[..20.min(s[i].text.len())]
            );
        }
        for (k, p) in plan.pending_after(n).into_iter().enumerate() {
            assert_eq!(p.unwrap_or_else(|| pending[k].clone()), after[k], "{writes:?}: pending on stream {k}");
        }
    }

    #[test]
    fn turns_that_never_end_a_line_make_the_records_they_make_one_by_one() {
        for unit in ["a", "a=b", "debug", "0123456789abcdef", &"x".repeat(4095), &"yz".repeat(2048)] {
            for warm in [1, 7] {
                for n in [1, 3, 20_000] {
                    same(&[w(10, Stream::Stdout, unit)], 97, warm, n);
                }
            }
        }
        // Characters of several bytes: records end at the last character boundary at most
        // 16 KiB on, so their lengths vary, and where they start comes back after a while.
        for unit in ["debéug", "é", "日本語", "🦀x", &format!("{}é", "a".repeat(4000))] {
            for warm in [1, 3] {
                for n in [2, 20_000] {
                    same(&[w(10, Stream::Stdout, unit)], 97, warm, n);
                }
            }
        }
        // Two writes a turn, and a line on the other stream.
        same(&[w(5, Stream::Stdout, "ab"), w(40, Stream::Stdout, "cde")], 90, 2, 40_000);
        same(&[w(5, Stream::Stdout, "abc"), w(40, Stream::Stderr, "sh: s: not found\n")], 90, 2, 40_000);
    }

    #[test]
    fn turns_that_end_a_line_begun_in_the_turn_before_make_its_lines() {
        same(&[w(3, Stream::Stdout, "one\ntwo")], 50, 1, 1_000);
        same(&[w(3, Stream::Stdout, "a"), w(20, Stream::Stdout, "b\n")], 50, 1, 1_000);
        same(&[w(3, Stream::Stdout, "one\ntwo\nthree")], 50, 1, 1_000);
        same(&[w(3, Stream::Stdout, "x\n"), w(20, Stream::Stderr, "y\n")], 50, 1, 1_000);
        // Lines past 16 KiB: records of 16 KiB, then the rest.
        same(&[w(3, Stream::Stderr, &format!("sh: {}: not found\n", "x".repeat(40_000)))], 500, 1, 300);
        same(&[w(3, Stream::Stdout, &format!("\n-{}", "é".repeat(20_000)))], 500, 1, 300);
        // `zy` on stderr is begun before `x` on stdout but ended after it (each turn, as the
        // next turn's `y` ends the line its `z` began): stamps that go back in the log.
        same(&[w(3, Stream::Stdout, "x\n"), w(20, Stream::Stderr, "y\nz")], 50, 1, 1_000);
        same(
            &[w(3, Stream::Stdout, "\n\n"), w(9, Stream::Stdout, "a=1\nb=2"), w(30, Stream::Stderr, "sleep: invalid number '0x10'\n")],
            50,
            1,
            1_000,
        );
    }

    #[test]
    fn what_the_turns_would_not_have_left_unfinished_has_no_plan() {
        let pending: [Pending; 2] = [(0, "start".into()), (0, String::new())];
        assert!(Plan::new(&[w(3, Stream::Stdout, "a")], 50, &pending, 100, 1_000).is_none());
        assert!(Plan::new(&[w(3, Stream::Stdout, "a\n")], 50, &pending, 100, 1_000).is_none());
        // Another stream's unfinished line does not matter.
        assert!(Plan::new(&[w(3, Stream::Stderr, "a\n")], 50, &pending, 100, 1_000).is_some());
    }
}
