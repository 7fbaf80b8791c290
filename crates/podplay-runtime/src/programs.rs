//! Long-running programs of the catalog and author images, as timelines of actions on the
//! virtual clock plus per-signal reactions (images.md §2–§5).

use crate::clock;
use crate::io::Stream;
use crate::types::{HttpRule, Millis, SignalBehavior};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Log(Stream, String),
    Listen(u16),
    Exit(i32),
    /// Resident memory becomes this many bytes (OOM kill above the limit).
    Memory(u64),
}

/// What kind of server the program is (decides HTTP answers and signal reactions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgKind {
    Nginx {
        version: String,
        workers: u32,
        /// PID of the first worker (29 in the Debian image's logs; new ones after a reload).
        first_worker: u32,
    },
    /// agnhost liveness / registry.k8s.io/liveness `/server`.
    GoLiveness,
    Netexec,
    ServeHostname,
    /// agnhost pause.
    AgnhostPause,
    Goproxy,
    /// registry.k8s.io/pause.
    Pause,
    /// `stress` (polinux/stress): holds memory, no signal handlers.
    Stress,
    Redis,
    PythonHttp {
        unbuffered: bool,
        banner: String,
    },
    Apache,
    Author {
        image: String,
        rules: Vec<HttpRule>,
        signals: Vec<SignalBehavior>,
    },
}

#[derive(Clone, Debug)]
pub struct Prog {
    pub kind: ProgKind,
    pub started: Millis,
    /// Future actions, sorted by time.
    pub timeline: Vec<(Millis, Action)>,
    /// nginx connection serial (`*N` in error logs).
    pub conn_serial: u64,
    pub stopping: bool,
    /// Next free PID of the container (set by the runtime before signals; nginx reload).
    pub next_pid_hint: u32,
}

/// What a signal does to a program.
pub enum SigReaction {
    Ignore,
    /// Schedule these actions (the last one normally an `Exit`).
    Actions(Vec<(Millis, Action)>),
}

impl Prog {
    pub fn new(kind: ProgKind, started: Millis, mut timeline: Vec<(Millis, Action)>) -> Prog {
        timeline.sort_by_key(|(t, _)| *t);
        Prog { kind, started, timeline, conn_serial: 0, stopping: false, next_pid_hint: 0 }
    }

    pub fn next_wake(&self) -> Option<Millis> {
        self.timeline.first().map(|(t, _)| *t)
    }

    /// Pop all actions due at or before `now`.
    pub fn due(&mut self, now: Millis) -> Vec<(Millis, Action)> {
        let n = self.timeline.iter().take_while(|(t, _)| *t <= now).count();
        self.timeline.drain(..n).collect()
    }

    fn schedule(&mut self, mut acts: Vec<(Millis, Action)>) {
        self.timeline.append(&mut acts);
        self.timeline.sort_by_key(|(t, _)| *t);
    }

    /// React to a signal. `wall` converts virtual ms to unix ms for log stamps; `from_inside`:
    /// sent by a process of the container (nginx then logs `received from <pid>`).
    pub fn on_signal(&mut self, sig: i32, pid1: bool, now: Millis, wall_ms: i64, sender: Option<u32>) -> SigReaction {
        if self.stopping && sig != 9 {
            return SigReaction::Ignore;
        }
        let stamp = clock::slash_stamp(wall_ms.div_euclid(1000));
        let go_fallback = |pid1: bool| -> SigReaction {
            // Go installs a SIGTERM handler; as PID 1 the re-raised default signal is dropped and
            // the runtime exits 2 (images.md §3.1).
            let code = if pid1 { 2 } else { 128 + sig };
            SigReaction::Actions(vec![(now, Action::Exit(code))])
        };
        let r = match &self.kind {
            ProgKind::Nginx { workers, first_worker, version } if sig == 1 => {
                // SIGHUP / `nginx -s reload` (images.md §2.4, RUN): new workers, old ones quit.
                let from = sender.map(|p| format!(" from {p}")).unwrap_or_default();
                let (workers, old) = (*workers, *first_worker);
                let new = self.next_pid_hint.max(old + workers);
                let mut lines = vec![
                    format!("{stamp} [notice] 1#1: signal 1 (SIGHUP) received{from}, reconfiguring"),
                    format!("{stamp} [notice] 1#1: reconfiguring"),
                    format!("{stamp} [notice] 1#1: using the \"epoll\" event method"),
                    format!("{stamp} [notice] 1#1: start worker processes"),
                ];
                for w in 0..workers {
                    lines.push(format!("{stamp} [notice] 1#1: start worker process {}", new + w));
                }
                for w in 0..workers {
                    let wp = old + w;
                    lines.push(format!("{stamp} [notice] {wp}#{wp}: gracefully shutting down"));
                    lines.push(format!("{stamp} [notice] {wp}#{wp}: exiting"));
                    lines.push(format!("{stamp} [notice] {wp}#{wp}: exit"));
                }
                lines.push(format!("{stamp} [notice] 1#1: signal 17 (SIGCHLD) received from {old}"));
                for w in 0..workers {
                    lines.push(format!("{stamp} [notice] 1#1: worker process {} exited with code 0", old + w));
                }
                lines.push(format!("{stamp} [notice] 1#1: signal 29 (SIGIO) received"));
                let version = version.clone();
                self.kind = ProgKind::Nginx { version, workers, first_worker: new };
                let acts = lines.into_iter().map(|l| (now, Action::Log(Stream::Stderr, l))).collect();
                self.schedule(acts);
                return SigReaction::Actions(vec![]);
            }
            ProgKind::Nginx { workers, first_worker, .. } => {
                let first = *first_worker;
                let from = sender.map(|p| format!(" from {p}")).unwrap_or_default();
                let (head, graceful) = match sig {
                    3 => (format!("signal 3 (SIGQUIT) received{from}, shutting down"), true),
                    15 => (format!("signal 15 (SIGTERM) received{from}, exiting"), false),
                    2 => (format!("signal 2 (SIGINT) received{from}, exiting"), false),
                    _ => return SigReaction::Ignore,
                };
                let mut lines = vec![format!("{stamp} [notice] 1#1: {head}")];
                for w in 0..*workers {
                    let wp = first + w;
                    if graceful {
                        lines.push(format!("{stamp} [notice] {wp}#{wp}: gracefully shutting down"));
                    }
                    lines.push(format!("{stamp} [notice] {wp}#{wp}: exiting"));
                    lines.push(format!("{stamp} [notice] {wp}#{wp}: exit"));
                }
                lines.push(format!("{stamp} [notice] 1#1: signal 17 (SIGCHLD) received from {first}"));
                for w in 0..*workers {
                    lines.push(format!("{stamp} [notice] 1#1: worker process {} exited with code 0", first + w));
                }
                lines.push(format!("{stamp} [notice] 1#1: exit"));
                let mut acts: Vec<(Millis, Action)> = lines.into_iter().map(|l| (now, Action::Log(Stream::Stderr, l))).collect();
                acts.push((now, Action::Exit(0)));
                SigReaction::Actions(acts)
            }
            ProgKind::GoLiveness | ProgKind::Netexec | ProgKind::Goproxy => match sig {
                1 | 2 | 15 => go_fallback(pid1),
                _ => SigReaction::Ignore,
            },
            ProgKind::AgnhostPause => match sig {
                15 => SigReaction::Actions(vec![(now, Action::Exit(2))]),
                2 => SigReaction::Actions(vec![(now, Action::Exit(1))]),
                _ => SigReaction::Ignore,
            },
            ProgKind::ServeHostname => match sig {
                15 | 2 => {
                    let name = if sig == 15 { "terminated" } else { "interrupt" };
                    SigReaction::Actions(vec![
                        (now, Action::Log(Stream::Stderr, format!("{stamp} Shutting down after receiving signal: {name}."))),
                        (now, Action::Log(Stream::Stderr, format!("{stamp} Awaiting pod deletion."))),
                        (now + 60_000, Action::Exit(0)),
                    ])
                }
                _ => SigReaction::Ignore,
            },
            // No handlers: as PID 1 every catchable signal is dropped.
            ProgKind::Stress if pid1 => SigReaction::Ignore,
            ProgKind::Stress => SigReaction::Actions(vec![(now, Action::Exit(128 + sig))]),
            ProgKind::Pause => match sig {
                15 | 2 => {
                    let what = if sig == 15 { "Terminated" } else { "Interrupt" };
                    SigReaction::Actions(vec![
                        (now, Action::Log(Stream::Stderr, format!("Shutting down, got signal: {what}"))),
                        (now, Action::Exit(0)),
                    ])
                }
                _ => SigReaction::Ignore,
            },
            ProgKind::Redis => match sig {
                15 | 2 => {
                    let name = if sig == 15 { "SIGTERM" } else { "SIGINT" };
                    let rs = |ms: i64| clock::redis_stamp(ms);
                    let secs = wall_ms.div_euclid(1000);
                    SigReaction::Actions(vec![
                        (now, Action::Log(Stream::Stdout, format!("1:signal-handler ({secs}) Received {name} scheduling shutdown..."))),
                        (now, Action::Log(Stream::Stdout, format!("1:M {} # User requested shutdown...", rs(wall_ms)))),
                        (now, Action::Log(Stream::Stdout, format!("1:M {} * Saving the final RDB snapshot before exiting.", rs(wall_ms)))),
                        (now + 1, Action::Log(Stream::Stdout, format!("1:M {} * DB saved on disk", rs(wall_ms + 1)))),
                        (now + 1, Action::Log(Stream::Stdout, format!("1:M {} # Redis is now ready to exit, bye bye...", rs(wall_ms + 1)))),
                        (now + 1, Action::Exit(0)),
                    ])
                }
                _ => SigReaction::Ignore,
            },
            ProgKind::PythonHttp { unbuffered, banner } => match sig {
                2 => {
                    // KeyboardInterrupt: a clean exit flushes the block-buffered banner (§4.3).
                    let mut acts = Vec::new();
                    if !unbuffered {
                        acts.push((now, Action::Log(Stream::Stdout, banner.clone())));
                    }
                    acts.push((now, Action::Log(Stream::Stdout, String::new())));
                    acts.push((now, Action::Log(Stream::Stdout, "Keyboard interrupt received, exiting.".into())));
                    acts.push((now, Action::Exit(0)));
                    SigReaction::Actions(acts)
                }
                _ if pid1 => SigReaction::Ignore,
                _ => SigReaction::Actions(vec![(now, Action::Exit(128 + sig))]),
            },
            ProgKind::Apache => {
                let stamp = apache_stamp(wall_ms);
                match sig {
                    28 => SigReaction::Actions(vec![
                        (
                            now,
                            Action::Log(
                                Stream::Stderr,
                                format!("[{stamp}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully"),
                            ),
                        ),
                        (now, Action::Exit(0)),
                    ]),
                    15 => SigReaction::Actions(vec![
                        (
                            now,
                            Action::Log(
                                Stream::Stderr,
                                format!("[{stamp}] [mpm_event:notice] [pid 1:tid 1] AH00491: caught SIGTERM, shutting down"),
                            ),
                        ),
                        (now, Action::Exit(0)),
                    ]),
                    _ => SigReaction::Ignore,
                }
            }
            ProgKind::Author { signals, .. } => match signals.iter().find(|s| s.signal.number() == sig) {
                Some(b) => match b.exit_code {
                    Some(code) => {
                        let mut acts: Vec<(Millis, Action)> = b.log.iter().map(|l| (now, Action::Log(Stream::Stdout, l.clone()))).collect();
                        acts.push((now + b.delay_ms, Action::Exit(code)));
                        SigReaction::Actions(acts)
                    }
                    None => SigReaction::Ignore,
                },
                None if pid1 => SigReaction::Ignore,
                None => SigReaction::Actions(vec![(now, Action::Exit(128 + sig))]),
            },
        };
        if let SigReaction::Actions(a) = r {
            if a.iter().any(|(_, x)| matches!(x, Action::Exit(_))) {
                self.stopping = true;
            }
            self.schedule(a);
            return SigReaction::Actions(vec![]);
        }
        r
    }
}

/// Apache error-log stamp: `Tue Oct 29 15:12:57.211347 2024`.
pub fn apache_stamp(wall_ms: i64) -> String {
    let c = clock::civil(wall_ms.div_euclid(1000));
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{} {} {:02} {:02}:{:02}:{:02}.{:06} {}",
        c.weekday,
        MONTHS[(c.month - 1) as usize],
        c.day,
        c.hour,
        c.min,
        c.sec,
        wall_ms.rem_euclid(1000) * 1000,
        c.year
    )
}
