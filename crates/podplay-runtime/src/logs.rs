//! A container's log as the kubelet keeps it: the current file of one container instance, in
//! the CRI format, rotated by the kubelet's container log manager, stored compactly.
//!
//! A server answering the same probe every period writes the same line with a new time stamp
//! thousands of times an hour. Those lines are kept as runs (a template, the first time, the
//! period, a count) and written out only when someone reads the log, so a long simulation
//! does not spend its time formatting access-log lines nobody looks at. A shell loop that
//! repeats itself exactly (`while true; do echo hi; done`) is kept as cycles the same way.
//!
//! Rotation (`pkg/kubelet/logs/container_log_manager.go`): every `logMonitorPeriod` (10 s) the
//! kubelet looks at each running container's current file and, when it has reached
//! `containerLogMaxSize` (10 MiB), renames it and has the runtime reopen an empty one.
//! `kubectl logs` reads the current file only, so what it shows after a rotation starts at the
//! rotation. The older files (up to `containerLogMaxFiles`, 5: the newest as it was, the others
//! compressed) are kept only as sizes, which the node's disk and the pod's ephemeral storage
//! count (`ContainerLog::disk_usage`).
//!
//! containerd reads a container's output with a 16 KiB line buffer (`max_container_log_line_size`):
//! a longer line is written as records of 16 KiB tagged `P` (partial) and a last one tagged `F`,
//! which `kubectl logs` joins again.

use std::rc::Rc;

use crate::fs::Disk;

use crate::clock;
use crate::io::Stream;
use crate::types::{LogLine, Millis};

/// The kubelet's `containerLogMaxSize` default: 10 MiB.
pub const LOG_CAP: usize = 10 << 20;

/// The kubelet's container log manager looks at the files every 10 s (`logMonitorPeriod`).
pub const LOG_MONITOR_PERIOD: Millis = 10_000;

/// containerd's `max_container_log_line_size` default: a longer line is split into records.
pub const MAX_LINE: usize = 16 << 10;

/// Where the first record of `text`, longer than [`MAX_LINE`], ends: at 16 KiB, or before a
/// character cut there (podplay keeps text, not bytes).
pub(crate) fn record_cut(text: &str) -> usize {
    let mut cut = MAX_LINE.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

/// `containerLogMaxFiles`: the current file and at most this many less one rotated files.
const MAX_FILES: usize = 5;

/// The rotated files but the newest are gzip-compressed; they are counted at this fraction of
/// their size (an estimate: CRI lines that differ only in their time stamps compress well).
const COMPRESSED_DIVISOR: u64 = 8;

/// What the CRI log format adds to each line in the file: the RFC 3339 time stamp (30 bytes
/// with nanoseconds), the stream, the tag `F` and three spaces (`2026-11-25T10:00:00.123456789Z
/// stdout F hi`). The file size the kubelet compares with `containerLogMaxSize` counts them.
const CRI_LINE_OVERHEAD: usize = 30 + 1 + 6 + 1 + 1 + 1;

fn file_bytes(text_len: usize) -> usize {
    CRI_LINE_OVERHEAD + text_len + 1
}

/// A log line that differs from its neighbours only by a time stamp (nginx's access log's
/// `$time_local`, or its error log's `2026/01/05 09:00:10`) and, in the error log, the
/// connection's number (`*194073`).
#[derive(Debug, PartialEq, Eq)]
pub struct StampedLine {
    pub stream: Stream,
    pub prefix: String,
    pub style: StampStyle,
    /// After the stamp: all the rest, or with a connection number, the text up to it.
    pub suffix: String,
    /// With a connection number: the text after it.
    pub after_serial: Option<String>,
}

/// How the stamp is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampStyle {
    /// `05/Jan/2026:09:00:10 +0000` (`clock::nginx_local`).
    NginxLocal,
    /// `2026/01/05 09:00:10` (`clock::slash_stamp`).
    Slash,
}

impl StampStyle {
    fn stamp(self, wall_secs: i64) -> String {
        match self {
            StampStyle::NginxLocal => clock::nginx_local(wall_secs),
            StampStyle::Slash => clock::slash_stamp(wall_secs),
        }
    }

    /// Its width, fixed.
    fn width(self) -> usize {
        match self {
            StampStyle::NginxLocal => NGINX_LOCAL_WIDTH,
            StampStyle::Slash => SLASH_WIDTH,
        }
    }
}

impl StampedLine {
    /// Splits `line` around the `$time_local` of `wall_secs`, if it holds it exactly once.
    pub fn split(stream: Stream, line: &str, wall_secs: i64) -> Option<StampedLine> {
        let stamp = clock::nginx_local(wall_secs);
        let i = line.find(&stamp)?;
        let suffix = &line[i + stamp.len()..];
        if suffix.contains(&stamp) {
            return None;
        }
        Some(StampedLine {
            stream,
            prefix: line[..i].to_string(),
            style: StampStyle::NginxLocal,
            suffix: suffix.to_string(),
            after_serial: None,
        })
    }

    /// Splits nginx's error-log line, which starts with the stamp of `wall_secs` and names
    /// connection `serial` (`*N `) once, around the two.
    pub fn split_error(stream: Stream, line: &str, wall_secs: i64, serial: u64) -> Option<StampedLine> {
        let rest = line.strip_prefix(&clock::slash_stamp(wall_secs))?;
        let mark = format!(" *{serial} ");
        let i = rest.find(&mark)?;
        let after = &rest[i + mark.len() - 1..];
        if after.contains(&mark) {
            return None;
        }
        Some(StampedLine {
            stream,
            prefix: String::new(),
            style: StampStyle::Slash,
            suffix: rest[..i + 2].to_string(),
            after_serial: Some(after.to_string()),
        })
    }

    /// The line written at `wall_secs` (for connection `serial`, if it names one).
    fn render(&self, wall_secs: i64, serial: u64) -> String {
        let mut out = format!("{}{}{}", self.prefix, self.style.stamp(wall_secs), self.suffix);
        if let Some(after) = &self.after_serial {
            out.push_str(&serial.to_string());
            out.push_str(after);
        }
        out
    }

    /// Bytes of one rendered line in the file (the stamp has a fixed width), but for the
    /// connection number's digits.
    fn line_bytes(&self) -> usize {
        let after = self.after_serial.as_ref().map_or(0, String::len);
        file_bytes(self.prefix.len() + self.style.width() + self.suffix.len() + after)
    }
}

/// `2026/01/05 09:00:10`.
const SLASH_WIDTH: usize = 19;

/// Decimal digits of `n`.
fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// The sum of the digits of `base + i * step` for `i` in `0..count` (the connection numbers of
/// a cycle's lines), by ranges of equal width.
fn digits_sum(base: u64, step: u64, count: u64) -> u64 {
    if count == 0 {
        return 0;
    }
    if step == 0 {
        return count * digits(base) as u64;
    }
    let mut total = 0;
    let mut i = 0;
    while i < count {
        let v = base + i * step;
        let d = digits(v);
        // The first i whose value has more digits.
        let next_power = 10u64.checked_pow(d as u32).unwrap_or(u64::MAX);
        let end = (next_power - base).div_ceil(step).min(count);
        total += (end - i) * d as u64;
        i = end;
    }
    total
}

/// `05/Jan/2026:09:00:10 +0000`.
const NGINX_LOCAL_WIDTH: usize = 26;

#[derive(Debug, Clone)]
enum Entry {
    Line(LogLine),
    // Boxed: runs and cycles are few, lines many (an entry is 48 bytes instead of 104).
    Run(Box<Run>),
    Cycles(Box<Cycles>),
}

/// One line a steady loop writes each time round: its text, and when in the cycle (in virtual
/// CPU steps from the cycle's start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleLine {
    pub offset_steps: u64,
    pub stream: Stream,
    pub text: String,
    /// A line stamped with the second it is written at (a server's log line for a request the
    /// loop makes each time round: `text` is then unused).
    pub stamp: Option<Rc<StampedLine>>,
    /// The connection number it names in the first turn, and how much it grows a turn.
    pub serial: (u64, u64),
    /// A record of at most 16 KiB of a line that never ends (`echo -n` in a loop), cut from a
    /// text that repeats (`turn_log.rs`): the record is the text's bytes from the offset, as
    /// many as the length (`text` is then unused). Many records share one such text.
    pub window: Option<(Rc<str>, u32, u32)>,
    /// A 16 KiB record of a longer line (tag `P`).
    pub partial: bool,
}

impl CycleLine {
    pub fn new(offset_steps: u64, stream: Stream, text: String) -> CycleLine {
        CycleLine { offset_steps, stream, text, stamp: None, serial: (0, 0), window: None, partial: false }
    }

    /// A record of a line that never ends: `len` bytes of `ring` from `start`.
    pub fn record(offset_steps: u64, stream: Stream, ring: Rc<str>, start: u32, len: u32) -> CycleLine {
        debug_assert!(ring.is_char_boundary(start as usize) && ring.is_char_boundary((start + len) as usize));
        let window = Some((ring, start, len));
        CycleLine { offset_steps, stream, text: String::new(), stamp: None, serial: (0, 0), window, partial: true }
    }

    /// A server's log line from `template`, stamped when it is written; `serial`: the
    /// connection number in the first turn and its growth a turn (for a template that names one).
    pub fn stamped(offset_steps: u64, template: Rc<StampedLine>, serial: (u64, u64)) -> CycleLine {
        CycleLine {
            offset_steps,
            stream: template.stream,
            text: String::new(),
            stamp: Some(template),
            serial,
            window: None,
            partial: false,
        }
    }

    /// Its bytes in the file over `count` turns.
    fn file_bytes(&self, count: u64) -> u64 {
        match &self.stamp {
            Some(t) if t.after_serial.is_some() => t.line_bytes() as u64 * count + digits_sum(self.serial.0, self.serial.1, count),
            Some(t) => t.line_bytes() as u64 * count,
            None if self.window.is_some() => self.window.as_ref().map_or(0, |w| file_bytes(w.2 as usize)) as u64 * count,
            None => file_bytes(self.text.len()) as u64 * count,
        }
    }

    /// Its text in turn `i`, written at wall-clock second `wall_secs`.
    fn render(&self, wall_secs: i64, i: u64) -> String {
        match &self.stamp {
            Some(t) => t.render(wall_secs, self.serial.0 + i * self.serial.1),
            None => match &self.window {
                Some((ring, start, len)) => ring[*start as usize..(*start + *len) as usize].to_string(),
                None => self.text.clone(),
            },
        }
    }
}

/// `count` turns of a loop that writes `lines` each turn and takes `cycle_steps` virtual CPU
/// steps (`steps_per_ms` to the millisecond): turn `i`'s line `j` is written at
/// `start_ms + (start_steps + i * cycle_steps + lines[j].offset_steps) / steps_per_ms`.
#[derive(Debug, Clone)]
pub struct Cycles {
    pub lines: Rc<[CycleLine]>,
    /// Every line is a 16 KiB piece of an endless line (tag `P`: `cat /dev/zero`).
    pub partial: bool,
    pub start_ms: Millis,
    pub start_steps: u64,
    pub cycle_steps: u64,
    pub steps_per_ms: u64,
    pub count: u64,
}

impl Cycles {
    fn time(&self, i: u64, j: usize) -> Millis {
        self.start_ms + (self.start_steps + i * self.cycle_steps + self.lines[j].offset_steps) / self.steps_per_ms
    }

    /// Bytes of all its turns' lines in the file.
    fn bytes(&self) -> usize {
        self.lines.iter().map(|l| l.file_bytes(self.count)).sum::<u64>() as usize
    }

    /// How many of the first turns are written entirely by `t` (a turn's lines need not be in
    /// the order of their stamps: a line is stamped when begun, and may have been begun in the
    /// turn before).
    fn turns_by(&self, t: Millis) -> u64 {
        let Some(latest) = (0..self.lines.len()).max_by_key(|&j| self.lines[j].offset_steps) else { return 0 };
        if self.count == 0 || self.time(0, latest) > t {
            return 0;
        }
        // time(i, latest) <= t  ⟺  start_steps + i*cycle + off <= (t - start_ms + 1)*spm - 1
        let budget = (t - self.start_ms + 1) * self.steps_per_ms - 1;
        let used = self.start_steps + self.lines[latest].offset_steps;
        ((budget - used) / self.cycle_steps.max(1) + 1).min(self.count)
    }

    /// The first turn's lines `range`, as a loop of one turn.
    fn first_turn(&self, range: std::ops::Range<usize>) -> Cycles {
        Cycles { lines: Rc::from(&self.lines[range]), count: 1, ..self.clone() }
    }

    /// The same loop from turn `n` on.
    fn skip(&self, n: u64) -> Cycles {
        let steps = self.start_steps + n * self.cycle_steps;
        // Connection numbers go on from turn `n`.
        let lines = if self.lines.iter().any(|l| l.serial.1 > 0) {
            self.lines.iter().map(|l| CycleLine { serial: (l.serial.0 + n * l.serial.1, l.serial.1), ..l.clone() }).collect()
        } else {
            self.lines.clone()
        };
        Cycles {
            start_ms: self.start_ms + steps / self.steps_per_ms,
            start_steps: steps % self.steps_per_ms,
            count: self.count - n,
            lines,
            ..*self
        }
    }
}

/// Stamped lines in a repeating pattern: groups of `k` lines, line `j` of a group written at
/// `offsets[j]` after the group's start from `templates[j]`, one group every `period` ms (the
/// last group may be incomplete). A probe every 10 s is one line a group; a liveness and a
/// readiness probe of one server, asking the same page or two, at the same instant or 0.3 s
/// apart, are two.
#[derive(Debug, Clone)]
struct Run {
    templates: [Rc<StampedLine>; MAX_GROUP],
    first: Millis,
    /// 0 while the pattern is still open: every line so far is in the first group.
    period: Millis,
    /// Offsets from the group's start, non-decreasing, the first 0; `k` of them are used.
    offsets: [Millis; MAX_GROUP],
    k: usize,
    lines: u64,
}

/// Lines a run's group holds at most.
const MAX_GROUP: usize = 4;

impl Run {
    fn new(template: &Rc<StampedLine>, at: Millis) -> Run {
        Run { templates: std::array::from_fn(|_| template.clone()), first: at, period: 0, offsets: [0; MAX_GROUP], k: 1, lines: 1 }
    }

    /// When line `i` was written.
    fn time(&self, i: u64) -> Millis {
        let k = self.k as u64;
        self.first + self.period * (i / k) + self.offsets[(i % k) as usize]
    }

    fn template(&self, i: u64) -> &Rc<StampedLine> {
        &self.templates[(i % self.k as u64) as usize]
    }

    /// Appends a line written at `at` from `template` if it continues the pattern (an open
    /// pattern takes lines into its first group until the group is full; the next line, from
    /// the first line's template, then sets the period).
    fn extend(&mut self, template: &Rc<StampedLine>, at: Millis) -> bool {
        if at < self.time(self.lines - 1) {
            return false;
        }
        if self.period == 0 {
            if self.k < MAX_GROUP {
                self.offsets[self.k] = at - self.first;
                self.templates[self.k] = template.clone();
                self.k += 1;
            } else if at > self.first && Rc::ptr_eq(&self.templates[0], template) {
                self.period = at - self.first;
            } else {
                return false;
            }
            self.lines += 1;
            return true;
        }
        if at == self.time(self.lines) && Rc::ptr_eq(self.template(self.lines), template) {
            self.lines += 1;
            return true;
        }
        false
    }
}

#[derive(Debug, Clone, Default)]
pub struct ContainerLog {
    entries: Vec<Entry>,
    /// The current file's size, in the CRI format.
    bytes: usize,
    /// Virtual ms → wall-clock seconds offset, for rendering runs.
    wall_start_secs: i64,
    /// The last log monitor pass looked at (a multiple of `LOG_MONITOR_PERIOD`).
    checked: Millis,
    /// How many times the file was rotated.
    rotations: u64,
    /// The sizes of the rotated files kept, newest first.
    rotated: Vec<u64>,
    /// The node disk the files are on (`/var/log/pods`): charged with `disk_usage`.
    disk: Option<Rc<Disk>>,
}

impl ContainerLog {
    pub fn new(wall_start_secs: i64) -> Self {
        ContainerLog { wall_start_secs, ..Default::default() }
    }

    /// The log's files are on `disk` from now on.
    pub fn attach(&mut self, disk: Rc<Disk>) {
        self.detach();
        disk.add(self.disk_usage() as i64);
        self.disk = Some(disk);
    }

    /// The files are removed (the container is gone): the disk gets their space back.
    pub fn detach(&mut self) {
        if let Some(disk) = self.disk.take() {
            disk.add(-(self.disk_usage() as i64));
        }
    }

    /// What `du` counts for the container's log directory: the current file, the newest
    /// rotated one and the compressed older ones, each in whole 4 KiB blocks.
    pub fn disk_usage(&self) -> u64 {
        let blocks = |b: u64| b.div_ceil(crate::fs::BLOCK) * crate::fs::BLOCK;
        let older: u64 = self.rotated.iter().skip(1).map(|b| blocks(b / COMPRESSED_DIVISOR)).sum();
        blocks(self.bytes as u64) + self.rotated.first().map_or(0, |b| blocks(*b)) + older
    }

    fn grow(&mut self, bytes: usize) {
        let before = self.bytes as u64;
        self.bytes += bytes;
        if let Some(d) = &self.disk {
            let blocks = |b: u64| b.div_ceil(crate::fs::BLOCK);
            d.add(((blocks(self.bytes as u64) - blocks(before)) * crate::fs::BLOCK) as i64);
        }
    }

    /// Appends a line; one longer than `MAX_LINE` is written as containerd writes it, in
    /// records of 16 KiB tagged partial and a last one.
    pub fn push(&mut self, line: LogLine) {
        self.monitor(line.at);
        if line.text.len() > MAX_LINE {
            let mut rest = line.text.as_str();
            while rest.len() > MAX_LINE {
                let cut = record_cut(rest);
                let piece = LogLine { at: line.at, stream: line.stream, text: rest[..cut].to_string(), partial: true };
                self.grow(file_bytes(piece.text.len()));
                self.entries.push(Entry::Line(piece));
                rest = &rest[cut..];
            }
            let last = LogLine { at: line.at, stream: line.stream, text: rest.to_string(), partial: line.partial };
            self.grow(file_bytes(last.text.len()));
            self.entries.push(Entry::Line(last));
            return;
        }
        self.grow(file_bytes(line.text.len()));
        self.entries.push(Entry::Line(line));
    }

    /// Appends `template` stamped with the wall-clock second of `at`.
    pub fn push_stamped(&mut self, template: &Rc<StampedLine>, at: Millis) {
        self.monitor(at);
        let extended = match self.entries.last_mut() {
            Some(Entry::Run(r)) => r.extend(template, at),
            _ => false,
        };
        if !extended {
            self.entries.push(Entry::Run(Box::new(Run::new(template, at))));
        }
        self.grow(template.line_bytes());
    }

    /// Appends the turns of a steady loop, rotating at the monitor passes on the way as the
    /// lines one by one would: whole turns up to a pass, and a turn that a pass falls in cut at
    /// its first line stamped after it (the pass comes as that line is written).
    pub fn push_cycles(&mut self, cycles: Cycles) {
        let mut rest = vec![cycles];
        while let Some(mut cycles) = rest.pop() {
            while cycles.count > 0 {
                self.monitor(cycles.time(0, 0));
                let next_pass = self.checked + LOG_MONITOR_PERIOD;
                let n = cycles.turns_by(next_pass - 1);
                if n > 0 {
                    let head = Cycles { count: n, ..cycles.clone() };
                    self.grow(head.bytes());
                    self.entries.push(Entry::Cycles(Box::new(head)));
                    cycles = cycles.skip(n);
                    continue;
                }
                // The first line stamped at the pass or later; not the first line, which the
                // monitor just saw.
                let k = cycles.lines.len();
                let cut = (1..k).find(|&j| cycles.time(0, j) >= next_pass).expect("a line of the turn is past the pass");
                let before = cycles.first_turn(0..cut);
                self.grow(before.bytes());
                self.entries.push(Entry::Cycles(Box::new(before)));
                rest.push(cycles.skip(1));
                cycles = cycles.first_turn(cut..k);
            }
        }
    }

    /// How many times the kubelet has rotated this file.
    #[cfg(test)]
    pub fn rotations(&self) -> u64 {
        self.rotations
    }

    /// The log monitor passes up to `now`: a file that has reached `containerLogMaxSize` is
    /// rotated (what is written afterwards goes to a new, empty file). Every line already in the
    /// file was written before the first of these passes.
    fn monitor(&mut self, now: Millis) {
        let last_pass = now / LOG_MONITOR_PERIOD * LOG_MONITOR_PERIOD;
        if last_pass <= self.checked {
            return;
        }
        self.checked = last_pass;
        if self.bytes >= LOG_CAP {
            // rotateLog: the oldest rotated files go (keeping MaxFiles - 2), the others are
            // compressed, the current file becomes the newest rotated one.
            let before = self.disk_usage();
            self.rotated.truncate(MAX_FILES - 2);
            self.rotated.insert(0, self.bytes as u64);
            self.entries.clear();
            self.bytes = 0;
            self.rotations += 1;
            if let Some(d) = &self.disk {
                d.add(self.disk_usage() as i64 - before as i64);
            }
        }
    }

    /// Appends `count` lines of `template`, the first at `first`, then one every `period` ms:
    /// the same log as `count` calls of `push_stamped`.
    pub fn push_stamped_many(&mut self, template: &Rc<StampedLine>, first: Millis, period: Millis, count: u64) {
        for i in 0..count {
            self.push_stamped(template, first + period * i);
        }
    }

    /// How many entries the current file is kept as.
    pub fn entries(&self) -> usize {
        self.entries.len()
    }

    /// Every line, in order, written out.
    pub fn lines(&self) -> Vec<LogLine> {
        self.tail(None)
    }

    fn entry_len(e: &Entry) -> u64 {
        match e {
            Entry::Line(_) => 1,
            Entry::Run(r) => r.lines,
            Entry::Cycles(c) => c.count * c.lines.len() as u64,
        }
    }

    /// The last `n` lines (all without `n`), written out: only those, so the tail of a file of
    /// millions of lines costs what it prints.
    pub fn tail(&self, n: Option<usize>) -> Vec<LogLine> {
        let total: u64 = self.entries.iter().map(Self::entry_len).sum();
        let mut skip = n.map_or(0, |n| total.saturating_sub(n as u64));
        let mut out = Vec::new();
        for e in &self.entries {
            let len = Self::entry_len(e);
            if skip >= len {
                skip -= len;
                continue;
            }
            match e {
                Entry::Line(l) => out.push(l.clone()),
                Entry::Run(r) => {
                    for i in skip..r.lines {
                        let (at, template) = (r.time(i), r.template(i));
                        let wall = self.wall_start_secs + (at / 1000) as i64;
                        out.push(LogLine::new(at, template.stream, template.render(wall, 0)));
                    }
                }
                Entry::Cycles(c) => {
                    let k = c.lines.len() as u64;
                    for x in skip..len {
                        let (i, j) = (x / k, (x % k) as usize);
                        let (l, at) = (&c.lines[j], c.time(i, j));
                        let text = l.render(self.wall_start_secs + (at / 1000) as i64, i);
                        out.push(LogLine { at, stream: l.stream, text, partial: c.partial || l.partial });
                    }
                }
            }
            skip = 0;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 1_767_603_600; // 2026-01-05T09:00:00Z

    fn access(wall: i64) -> String {
        format!("10.244.0.1 - - [{}] \"GET / HTTP/1.1\" 200 615 \"-\" \"kube-probe/1.36\" \"-\"", clock::nginx_local(wall))
    }

    #[test]
    fn runs_render_the_same_lines_as_plain_pushes() {
        let t = Rc::new(StampedLine::split(Stream::Stdout, &access(START), START).expect("stamp found"));
        let mut compact = ContainerLog::new(START);
        let mut plain = ContainerLog::new(START);
        let times = [1_000, 11_000, 21_000, 31_000, 35_500, 45_500, 47_000];
        for (i, at) in times.into_iter().enumerate() {
            if i == 4 {
                let other = LogLine { at, stream: Stream::Stderr, text: "between".into(), partial: false };
                compact.push(other.clone());
                plain.push(other);
            }
            compact.push_stamped(&t, at);
            plain.push(LogLine { at, stream: Stream::Stdout, text: access(START + (at / 1000) as i64), partial: false });
        }
        assert_eq!(compact.lines(), plain.lines());
        assert_eq!(compact.bytes, plain.bytes);
        assert!(compact.entries.len() < plain.entries.len());
    }

    /// A pseudo-random mix of plain lines and stamped lines of two templates, with two probes a
    /// fixed distance apart (or at the same instant), compared line for line and byte for byte
    /// with the same lines pushed plainly, across rotations.
    #[test]
    fn patterns_render_the_same_lines_as_plain_pushes() {
        let other = "10.244.0.1 - - [STAMP] \"GET /ready HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.36\" \"-\"";
        for (gap, second_period) in [(0, 10_000), (300, 10_000), (4_000, 10_000), (0, 7_000), (2_000, 5_000)] {
            let t = Rc::new(StampedLine::split(Stream::Stdout, &access(START), START).unwrap());
            let u = Rc::new(StampedLine::split(Stream::Stdout, &other.replace("STAMP", &clock::nginx_local(START)), START).unwrap());
            let mut compact = ContainerLog::new(START);
            let mut plain = ContainerLog::new(START);
            let mut seed: u64 = 0x9e37_79b9 ^ gap;
            let (mut a, mut b) = (1_000u64, 1_000 + gap);
            for step in 0..150_000u64 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let (at, which) = if a <= b { (a, 0) } else { (b, 1) };
                if which == 0 {
                    a += 10_000
                } else {
                    b += second_period
                }
                if seed >> 54 == 0 {
                    let line = LogLine { at, stream: Stream::Stderr, text: format!("noise {step}"), partial: false };
                    compact.push(line.clone());
                    plain.push(line);
                }
                // The second probe asks another page for a while (another template).
                let template = if which == 1 && (step / 10_000) % 3 == 2 { &u } else { &t };
                compact.push_stamped(template, at);
                let wall = START + (at / 1000) as i64;
                plain.push(LogLine { at, stream: Stream::Stdout, text: template.render(wall, 0), partial: false });
            }
            assert_eq!(compact.bytes, plain.bytes, "gap {gap}");
            assert_eq!(compact.lines(), plain.lines(), "gap {gap}");
            assert!(plain.rotations() > 0, "the log rotated");
            assert!(compact.entries.len() * 4 < plain.entries.len(), "gap {gap}: {} entries", compact.entries.len());
        }
    }

    #[test]
    fn many_at_once_is_many_one_by_one() {
        let t = Rc::new(StampedLine::split(Stream::Stdout, &access(START), START).unwrap());
        let mut bulk = ContainerLog::new(START);
        let mut single = ContainerLog::new(START);
        let n = (LOG_CAP / t.line_bytes()) as u64 * 3 / 2;
        bulk.push_stamped_many(&t, 5_000, 3_000, n);
        for i in 0..n {
            single.push_stamped(&t, 5_000 + 3_000 * i);
        }
        assert_eq!(bulk.bytes, single.bytes);
        assert_eq!(bulk.lines(), single.lines());
    }

    #[test]
    fn a_line_without_its_stamp_is_not_a_template() {
        assert!(StampedLine::split(Stream::Stdout, "no stamp here", START).is_none());
    }

    #[test]
    fn the_kubelet_rotates_at_its_monitor_passes() {
        let line = |at: Millis| LogLine { at, stream: Stream::Stdout, text: "x".repeat(1000), partial: false };
        let per = file_bytes(1000);
        let mut log = ContainerLog::new(START);
        // 100 lines a second: the file reaches 10 MiB after ~104.9 s; the pass at 110 s rotates.
        let mut at = 0;
        while at < 109_990 {
            log.push(line(at));
            at += 10;
        }
        assert!(log.bytes >= LOG_CAP, "over the size, but no pass since");
        assert_eq!(log.rotations(), 0);
        log.push(line(110_000));
        assert_eq!((log.rotations(), log.bytes), (1, per), "the pass at 110 s rotated; the line after it starts the new file");
        assert_eq!(log.lines().iter().map(|l| l.at).collect::<Vec<_>>(), [110_000]);
    }

    #[test]
    fn cycles_render_the_same_lines_as_plain_pushes() {
        // A loop writing two lines a turn, 25 steps apart, a turn every 47 steps at 1000 steps
        // a ms, for long enough to rotate a few times.
        let lines: Rc<[CycleLine]> =
            Rc::from(vec![CycleLine::new(3, Stream::Stdout, "hi".into()), CycleLine::new(28, Stream::Stderr, "there".repeat(20))]);
        let cycles = Cycles {
            lines: lines.clone(),
            partial: false,
            start_ms: 2_345,
            start_steps: 999,
            cycle_steps: 47,
            steps_per_ms: 1_000,
            count: 2_000_000,
        };
        let mut bulk = ContainerLog::new(START);
        bulk.push(LogLine { at: 1_000, stream: Stream::Stdout, text: "starting".into(), partial: false });
        let mut single = bulk.clone();
        bulk.push_cycles(cycles.clone());
        for i in 0..cycles.count {
            for (j, l) in lines.iter().enumerate() {
                single.push(LogLine { at: cycles.time(i, j), stream: l.stream, text: l.text.clone(), partial: false });
            }
        }
        assert!(single.rotations() >= 2, "{} rotations", single.rotations());
        assert_eq!((bulk.rotations(), bulk.bytes), (single.rotations(), single.bytes));
        assert_eq!(bulk.lines(), single.lines());
        assert!(bulk.entries.len() < 10, "{} entries", bulk.entries.len());
    }

    #[test]
    fn cycles_whose_lines_go_back_render_the_same_lines_as_plain_pushes() {
        // A line begun in the turn before (stamped 40 steps before its turn starts) after one
        // begun in its own turn, and turns that passes fall in: cut where the pass comes.
        for (offsets, cycle_steps) in [([45u64, 5, 30], 47u64), ([200, 0, 150], 170), ([0, 5_000, 20_000], 7_000)] {
            let lines: Rc<[CycleLine]> = Rc::from(
                offsets
                    .iter()
                    .enumerate()
                    .map(|(j, &o)| CycleLine::new(o, Stream::Stdout, format!("line {j} {}", "x".repeat(300))))
                    .collect::<Vec<_>>(),
            );
            let cycles = Cycles {
                lines: lines.clone(),
                partial: false,
                start_ms: 2_345,
                start_steps: 7,
                cycle_steps,
                steps_per_ms: 1_000,
                count: 600_000,
            };
            let mut bulk = ContainerLog::new(START);
            let mut single = ContainerLog::new(START);
            bulk.push_cycles(cycles.clone());
            for i in 0..cycles.count {
                for (j, l) in lines.iter().enumerate() {
                    single.push(LogLine { at: cycles.time(i, j), stream: l.stream, text: l.text.clone(), partial: false });
                }
            }
            assert!(single.rotations() >= 1, "{} rotations", single.rotations());
            assert_eq!((bulk.rotations(), bulk.bytes), (single.rotations(), single.bytes), "{offsets:?}");
            assert_eq!(bulk.lines(), single.lines(), "{offsets:?}");
        }
    }

    #[test]
    fn numbered_error_lines_in_cycles_are_the_lines_pushed_one_by_one() {
        // nginx's error line for connection `*N`, N from 95 up by 3 a turn (across 2-, 3- and
        // 4-digit numbers), beside its access line, written for long enough to rotate.
        let error = |wall: i64, n: u64| format!("{} [error] 29#29: *{n} open() failed, client: 10.244.0.9", clock::slash_stamp(wall));
        let e = Rc::new(StampedLine::split_error(Stream::Stderr, &error(START, 95), START, 95).expect("stamp and number found"));
        let a = Rc::new(StampedLine::split(Stream::Stdout, &access(START), START).unwrap());
        let cycles = Cycles {
            lines: Rc::from(vec![CycleLine::stamped(200, e.clone(), (95, 3)), CycleLine::stamped(200, a.clone(), (0, 0))]),
            partial: false,
            start_ms: 1_000,
            start_steps: 0,
            cycle_steps: 900,
            steps_per_ms: 1_000,
            count: 120_000,
        };
        let mut bulk = ContainerLog::new(START);
        let mut single = ContainerLog::new(START);
        bulk.push_cycles(cycles.clone());
        for i in 0..cycles.count {
            let at = cycles.time(i, 0);
            let wall = START + (at / 1000) as i64;
            single.push(LogLine { at, stream: Stream::Stderr, text: error(wall, 95 + 3 * i), partial: false });
            single.push(LogLine { at, stream: Stream::Stdout, text: a.render(wall, 0), partial: false });
        }
        assert!(single.rotations() >= 1, "{} rotations", single.rotations());
        assert_eq!((bulk.rotations(), bulk.bytes), (single.rotations(), single.bytes));
        assert_eq!(bulk.lines(), single.lines());
    }

    #[test]
    fn stamped_cycles_render_the_same_lines_as_stamped_pushes() {
        // A server answering a loop's request every 700 steps at 1000 steps a ms, alternating
        // with another server (its line every second request), across seconds and rotations.
        let t = Rc::new(StampedLine::split(Stream::Stdout, &access(START), START).unwrap());
        let cycles = Cycles {
            lines: Rc::from(vec![CycleLine::stamped(450, t.clone(), (0, 0))]),
            partial: false,
            start_ms: 1_234,
            start_steps: 321,
            cycle_steps: 1_400,
            steps_per_ms: 1_000,
            count: 400_000,
        };
        let mut bulk = ContainerLog::new(START);
        let mut single = ContainerLog::new(START);
        bulk.push_cycles(cycles.clone());
        for i in 0..cycles.count {
            single.push_stamped(&t, cycles.time(i, 0));
        }
        assert!(single.rotations() >= 1, "{} rotations", single.rotations());
        assert_eq!((bulk.rotations(), bulk.bytes), (single.rotations(), single.bytes));
        assert_eq!(bulk.lines(), single.lines());
    }
}
