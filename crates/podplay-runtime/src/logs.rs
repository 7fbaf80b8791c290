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
    /// `lines` lines of `template`, in groups of `per_time` at the same time: the first group at
    /// `first`, then one group every `period` ms (the last group may be incomplete). Two probes
    /// asking the same page at the same instant make groups of two.
    Run { template: Rc<StampedLine>, first: Millis, period: Millis, per_time: u64, lines: u64 },
}

impl Entry {
    /// When line `i` of a run was written.
    fn run_time(first: Millis, period: Millis, per_time: u64, i: u64) -> Millis {
        first + period * (i / per_time)
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
        self.push_stamped_many(template, at, 0, 1);
    }

    /// Appends `count` lines of `template`, the first at `first`, then one every `period` ms:
    /// the same log as `count` calls of `push_stamped`, rotations included.
    pub fn push_stamped_many(&mut self, template: &Rc<StampedLine>, first: Millis, period: Millis, count: u64) {
        let per = template.line_bytes();
        let mut at = first;
        let mut left = count;
        while left > 0 {
            // Lines that fit before the log must rotate, plus the one that makes it rotate.
            let room = (LOG_CAP.saturating_sub(self.bytes) / per) as u64 + 1;
            let take = self.extend_run(template, at, period, left.min(room));
            self.bytes += per * take as usize;
            at += period * take;
            left -= take;
            self.rotate();
        }
    }

    /// Appends up to `most` (at least one) lines of `template` from `at`, `period` apart, to
    /// the last run when they continue it, else starts a run; returns how many it appended.
    fn extend_run(&mut self, template: &Rc<StampedLine>, at: Millis, period: Millis, most: u64) -> u64 {
        if let Some(Entry::Run { template: t, first, period: p, per_time, lines }) = self.entries.last_mut() {
            if Rc::ptr_eq(t, template) && at >= *first {
                if *p == 0 {
                    // Every line so far at `first` (so `per_time == lines`).
                    if at == *first {
                        *per_time += 1;
                        *lines += 1;
                        return 1;
                    }
                    *p = at - *first;
                    let take = if *per_time == 1 && period == *p { most } else { 1 };
                    *lines += take;
                    return take;
                }
                let last_at = Entry::run_time(*first, *p, *per_time, *lines - 1);
                let next_at = if *lines % *per_time != 0 { last_at } else { last_at + *p };
                if at == next_at {
                    // Single lines a period apart continue for as many as come that way.
                    let take = if *per_time == 1 && period == *p { most } else { 1 };
                    *lines += take;
                    return take;
                }
            }
        }
        self.entries.push(Entry::Run { template: template.clone(), first: at, period: 0, per_time: 1, lines: 1 });
        1
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
                Entry::Run { template, first, period, per_time, lines } => {
                    let per = template.line_bytes();
                    let excess = self.bytes - LOG_CAP / 2;
                    let k = (excess.div_ceil(per) as u64).min(*lines);
                    self.bytes -= per * k as usize;
                    if k == *lines {
                        drop += 1;
                        continue;
                    }
                    // The oldest k lines go: whole groups move the start; a group cut in two
                    // leaves its rest as a run of its own, in front.
                    let (groups, cut) = (k / *per_time, k % *per_time);
                    let rest = *lines - k;
                    if cut == 0 {
                        *first += *period * groups;
                        *lines = rest;
                    } else {
                        let at = *first + *period * groups;
                        let head = Entry::Run { template: template.clone(), first: at, period: 0, per_time: *per_time - cut, lines: *per_time - cut };
                        *first = at + *period;
                        *lines = rest - (*per_time - cut);
                        if *lines == 0 {
                            self.entries[drop] = head;
                        } else {
                            self.entries.insert(drop, head);
                        }
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
                Entry::Run { template, first, period, per_time, lines } => {
                    for i in 0..*lines {
                        let at = Entry::run_time(*first, *period, *per_time, i);
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
