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
    /// `count` lines of `template`, the first at `first`, then every `period` ms.
    Run { template: Rc<StampedLine>, first: Millis, period: Millis, count: u64 },
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
        self.bytes += template.line_bytes();
        if let Some(Entry::Run { template: t, first, period, count }) = self.entries.last_mut() {
            if Rc::ptr_eq(t, template) && at >= *first {
                if *count == 1 && at > *first {
                    *period = at - *first;
                    *count = 2;
                    self.rotate();
                    return;
                }
                if *count > 1 && at == *first + *period * *count {
                    *count += 1;
                    self.rotate();
                    return;
                }
            }
        }
        self.entries.push(Entry::Run { template: template.clone(), first: at, period: 0, count: 1 });
        self.rotate();
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
                Entry::Run { template, first, period, count } => {
                    let per = template.line_bytes();
                    let excess = self.bytes - LOG_CAP / 2;
                    let k = (excess.div_ceil(per) as u64).min(*count);
                    self.bytes -= per * k as usize;
                    *count -= k;
                    *first += *period * k;
                    if *count == 0 {
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
                Entry::Run { template, first, period, count } => {
                    for i in 0..*count {
                        let at = first + period * i;
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
