//! A container's log as the kubelet keeps it (one file per container instance, rotated at
//! `containerLogMaxSize`), stored compactly.
//!
//! A server answering the same probe every period writes the same line with a new time stamp
//! thousands of times an hour. Those lines are kept as runs (a template, the first time, the
//! period, a count) and written out only when someone reads the log, so a long simulation
//! does not spend its time formatting access-log lines nobody looks at.

use std::rc::Rc;

use crate::clock;
use crate::io::Stream;
use crate::types::{LogLine, Millis};

/// The kubelet rotates container logs at 10 MiB (containerLogMaxSize); the newest half is kept
/// so that a chatty loop cannot exhaust memory.
pub const LOG_CAP: usize = 10 << 20;

/// A log line that differs from its neighbours only by an nginx `$time_local` stamp.
#[derive(Debug, PartialEq, Eq)]
pub struct StampedLine {
    pub stream: Stream,
    pub prefix: String,
    pub suffix: String,
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
        Some(StampedLine { stream, prefix: line[..i].to_string(), suffix: suffix.to_string() })
    }

    fn render(&self, wall_secs: i64) -> String {
        format!("{}{}{}", self.prefix, clock::nginx_local(wall_secs), self.suffix)
    }

    /// Bytes of one rendered line plus its newline (`$time_local` has a fixed width).
    fn line_bytes(&self) -> usize {
        self.prefix.len() + NGINX_LOCAL_WIDTH + self.suffix.len() + 1
    }
}

/// `05/Jan/2026:09:00:10 +0000`.
const NGINX_LOCAL_WIDTH: usize = 26;

#[derive(Debug, Clone)]
enum Entry {
    Line(LogLine),
    Run(Run),
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

    /// Drops the oldest line; false when it was the last.
    fn drop_first(&mut self) -> bool {
        if self.lines == 1 {
            return false;
        }
        let first = self.time(1);
        let shift = self.offsets[1];
        let mut offsets = [0; MAX_GROUP];
        let mut templates = self.templates.clone();
        if self.period == 0 {
            // The first group loses its first line.
            for j in 0..self.k - 1 {
                offsets[j] = self.offsets[j + 1] - shift;
                templates[j] = self.templates[j + 1].clone();
            }
            self.k -= 1;
        } else {
            // The pattern turns by one line: the old first line comes last, a period later.
            for j in 0..self.k {
                let i = j + 1;
                offsets[j] = if i < self.k { self.offsets[i] - shift } else { self.period - shift };
                templates[j] = self.templates[i % self.k].clone();
            }
        }
        self.offsets = offsets;
        self.templates = templates;
        self.first = first;
        self.lines -= 1;
        true
    }
}

#[derive(Debug, Clone, Default)]
pub struct ContainerLog {
    entries: Vec<Entry>,
    bytes: usize,
    /// Virtual ms → wall-clock seconds offset, for rendering runs.
    wall_start_secs: i64,
}

impl ContainerLog {
    pub fn new(wall_start_secs: i64) -> Self {
        ContainerLog { entries: Vec::new(), bytes: 0, wall_start_secs }
    }

    pub fn push(&mut self, line: LogLine) {
        self.bytes += line.text.len() + 1;
        self.entries.push(Entry::Line(line));
        self.rotate();
    }

    /// Appends `template` stamped with the wall-clock second of `at`.
    pub fn push_stamped(&mut self, template: &Rc<StampedLine>, at: Millis) {
        let extended = match self.entries.last_mut() {
            Some(Entry::Run(r)) => r.extend(template, at),
            _ => false,
        };
        if !extended {
            self.entries.push(Entry::Run(Run::new(template, at)));
        }
        self.bytes += template.line_bytes();
        if self.bytes > LOG_CAP {
            self.rotate();
        }
    }

    /// Appends `count` lines of `template`, the first at `first`, then one every `period` ms:
    /// the same log as `count` calls of `push_stamped`.
    pub fn push_stamped_many(&mut self, template: &Rc<StampedLine>, first: Millis, period: Millis, count: u64) {
        for i in 0..count {
            self.push_stamped(template, first + period * i);
        }
    }

    fn rotate(&mut self) {
        if self.bytes <= LOG_CAP {
            return;
        }
        let mut drop = 0;
        while self.bytes > LOG_CAP / 2 && drop < self.entries.len() {
            match &mut self.entries[drop] {
                Entry::Line(l) => {
                    self.bytes -= l.text.len() + 1;
                    drop += 1;
                }
                Entry::Run(r) => {
                    // Whole groups at a time while they all go, then line by line.
                    let group_bytes: usize = (0..r.k).map(|j| r.templates[j].line_bytes()).sum();
                    let excess = self.bytes - LOG_CAP / 2;
                    let groups = (excess / group_bytes) as u64;
                    if r.period > 0 && groups > 0 && groups * (r.k as u64) < r.lines {
                        r.first += r.period * groups;
                        r.lines -= groups * r.k as u64;
                        self.bytes -= group_bytes * groups as usize;
                        continue;
                    }
                    self.bytes -= r.template(0).line_bytes();
                    if !r.drop_first() {
                        drop += 1;
                    }
                }
            }
        }
        self.entries.drain(..drop);
    }

    /// Every line, in order, written out.
    pub fn lines(&self) -> Vec<LogLine> {
        let mut out = Vec::new();
        for e in &self.entries {
            match e {
                Entry::Line(l) => out.push(l.clone()),
                Entry::Run(r) => {
                    for i in 0..r.lines {
                        let (at, template) = (r.time(i), r.template(i));
                        let wall = self.wall_start_secs + (at / 1000) as i64;
                        out.push(LogLine { at, stream: template.stream, text: template.render(wall) });
                    }
                }
            }
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
                let other = LogLine { at, stream: Stream::Stderr, text: "between".into() };
                compact.push(other.clone());
                plain.push(other);
            }
            compact.push_stamped(&t, at);
            plain.push(LogLine { at, stream: Stream::Stdout, text: access(START + (at / 1000) as i64) });
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
                    let line = LogLine { at, stream: Stream::Stderr, text: format!("noise {step}") };
                    compact.push(line.clone());
                    plain.push(line);
                }
                // The second probe asks another page for a while (another template).
                let template = if which == 1 && (step / 10_000) % 3 == 2 { &u } else { &t };
                compact.push_stamped(template, at);
                let wall = START + (at / 1000) as i64;
                plain.push(LogLine { at, stream: Stream::Stdout, text: template.render(wall) });
            }
            assert_eq!(compact.bytes, plain.bytes, "gap {gap}");
            assert_eq!(compact.lines(), plain.lines(), "gap {gap}");
            assert!(plain.bytes > LOG_CAP / 2, "the log rotated");
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
    fn rotation_keeps_the_newest_half() {
        let t = Rc::new(StampedLine::split(Stream::Stdout, &access(START), START).unwrap());
        let mut log = ContainerLog::new(START);
        let per = t.line_bytes();
        let n = (LOG_CAP / per + 10) as u64;
        for i in 0..n {
            log.push_stamped(&t, i * 1000);
        }
        assert!(log.bytes <= LOG_CAP);
        let lines = log.lines();
        assert_eq!(lines.len() * per, log.bytes);
        assert_eq!(lines.last().unwrap().at, (n - 1) * 1000);
    }
}
