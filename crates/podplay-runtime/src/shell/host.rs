//! The system-call surface a process (shell or applet) sees. Implemented by the runtime for a
//! process of a container; keeps the shell and applets free of runtime internals.

use crate::fs::View;
use crate::io::{Fds, Output};
use crate::types::{BusyboxVersion, Millis};

/// Result of starting a program or subshell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spawned {
    /// Ran to completion synchronously (exit status).
    Exited(u32, i32),
    /// Still running (blocked); pid to wait for.
    Running(u32),
    /// Command lookup failed: 127 not found, 126 not executable (the message is already printed).
    Failed(i32),
    /// fork() failed (the container's processes, zombies included, are at their limit, or
    /// subshells nest too deep): ash says `can't fork` and raises an error, which ends a
    /// non-interactive shell (`forkshell` in ash.c).
    NoFork(ForkLimit),
}

/// Which of podplay's limits a fork ran into (named in the shell's message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForkLimit {
    /// The container's processes, zombies included (a pids limit).
    Processes(usize),
    /// Subshells started one inside another without returning.
    Nesting(u32),
}

impl ForkLimit {
    pub fn describe(self) -> String {
        match self {
            ForkLimit::Processes(n) => format!("podplay: a container runs at most {n} processes, zombies included"),
            ForkLimit::Nesting(n) => format!("podplay: subshells nest at most {n} deep"),
        }
    }
}

/// Everything a child the shell just started did, when it may be repeated: a run from the same
/// state would do exactly the same (see `HostCtx::spawn` in the runtime). A steady loop's turn
/// may contain such children (`while true; do sleep -1; done`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpawnEffect {
    /// The parent's CPU steps from the start of the spawn to the child's end (the fork, and the
    /// milliseconds the child took).
    pub steps: u64,
    /// Pids the child and its descendants took (all gone again but the child, whose status
    /// the parent collects).
    pub pids: u32,
    /// What they wrote to the log, offsets from the start of the spawn.
    pub writes: Vec<crate::io::LogWrite>,
    /// The pipes they wrote to (a pipeline's stage: its parent's own pipes, read within the turn).
    pub pipes: Vec<u64>,
    /// Whether they read the cluster's DNS records (`nslookup`).
    pub cluster: bool,
    /// The wall clock's second they read (`date`), and when they last read it (an offset from
    /// the start of the spawn): they do the same again while their reads fall in that second.
    pub clock: Option<(i64, u64)>,
    /// The HTTP requests they made whose answers are known again (offsets from the start of the
    /// spawn); they read the cluster as DNS does (`cluster`).
    pub exchanges: Vec<Exchange>,
}

/// An HTTP request a process made that the same request from the same state answers again the
/// same way: a static server (nginx) answering from its files, which only its own pod's
/// processes or the engine can change. Its lasting effects are the server's log lines (the
/// same but for their time stamps and the connection's number), the server's connection
/// counter, a source port of the
/// client's and, through a Service, one step of the round robin (`net::http_exchange`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// When, in steps from the start of the turn (or of the spawn).
    pub offset_steps: u64,
    /// The Service route it went through (the runtime's index) and how many endpoints it had.
    pub route: Option<(usize, usize)>,
    /// The endpoint that answered, its container (the runtime's index) and serving process,
    /// and the generation of the files that process sees.
    pub endpoint: (String, u16),
    pub server: usize,
    pub pid: u32,
    pub fs_generation: u64,
    /// The lines the server logged (its access-log line; for an error, its error-log line
    /// first, which names the connection).
    pub lines: Vec<std::rc::Rc<crate::logs::StampedLine>>,
    /// The client's source-port counter it took a port from (`net::ephemeral_key`).
    pub port_key: u64,
}

#[derive(Clone, Debug)]
pub struct ProcInfo {
    pub pid: u32,
    pub cmdline: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpReply {
    pub status_line: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    Refused,
    Unreachable,
    TimedOut,
    /// Connected, but the peer closed without an HTTP response.
    Closed,
}

#[derive(Clone, Debug)]
pub struct ListenInfo {
    pub port: u16,
    pub ipv6_wildcard: bool,
    pub pid: u32,
    pub program: String,
}

/// `bind: Address already in use`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortInUse;

pub trait Host {
    fn now(&self) -> Millis;
    /// Unix seconds of `now`.
    fn wall_secs(&self) -> i64;
    fn busybox_version(&self) -> BusyboxVersion;
    /// Debian userland (dash, GNU coreutils texts) instead of busybox.
    fn gnu(&self) -> bool;
    fn view(&mut self) -> View<'_>;
    fn write(&mut self, out: &Output, data: &[u8]);
    fn pid(&self) -> u32;
    fn ppid(&self) -> u32;
    fn hostname(&self) -> String;
    fn kernel_release(&self) -> String;
    fn kernel_version(&self) -> String;
    /// Find `name` through `path` like ash does; `Ok(abs path)` or `Err(126|127)`.
    fn lookup(&mut self, name: &str, path: &str) -> Result<String, i32>;
    /// Start an external program as a child (not yet waited for).
    fn spawn(&mut self, path: &str, argv: Vec<String>, env: std::rc::Rc<Vec<(String, String)>>, cwd: String, fds: Fds) -> Spawned;
    /// Start a subshell child running `vm`.
    fn spawn_shell(&mut self, vm: Box<super::vm::Vm>, argv: Vec<String>, fds: Fds) -> Spawned;
    /// Run a child (and its descendants) on its own until it exits or `max_ms` pass; exit status
    /// and the time it took. Used for pipeline stages and command substitution.
    fn run_to_completion(&mut self, pid: u32) -> Option<i32>;
    /// Collect the exit status of an exited child.
    fn reap(&mut self, pid: u32) -> Option<i32>;
    /// Collect the statuses of those of `pids` that have exited (ash's `waitpid(-1)` loop after
    /// a foreground wait, which reaps every child that is a zombie by then).
    fn reap_exited(&mut self, pids: &[u32]) -> Vec<(u32, i32)> {
        pids.iter().filter_map(|&p| self.reap(p).map(|code| (p, code))).collect()
    }
    fn is_alive(&self, pid: u32) -> bool;
    /// Deliver a signal; false if no such process.
    fn kill(&mut self, pid: u32, sig: i32) -> bool;
    fn processes(&self) -> Vec<ProcInfo>;
    fn take_pipe(&mut self, id: u64) -> Vec<u8>;
    fn new_pipe(&mut self) -> u64;
    /// Spend interpreter steps; false when the call's budget is gone.
    fn charge(&mut self, steps: u64) -> bool;
    fn http_get(&mut self, host: &str, port: u16, path: &str, headers: &[(String, String)]) -> Result<HttpReply, NetError>;
    fn tcp_probe(&mut self, host: &str, port: u16) -> Result<(), NetError>;
    /// DNS A lookup of a fully-qualified name; `Some(ip)` if it exists.
    fn dns_lookup(&self, fqdn: &str) -> Option<String>;
    /// Every A record of a fully-qualified name, in answer order (a headless Service's name has
    /// one per ready endpoint).
    fn dns_lookup_all(&self, fqdn: &str) -> Vec<String> {
        self.dns_lookup(fqdn).into_iter().collect()
    }
    fn pod_ip(&self) -> String;
    fn namespace(&self) -> String;
    fn listeners(&self) -> Vec<ListenInfo>;
    /// Start listening (busybox httpd); Err if the port is taken.
    /// Start listening as busybox httpd; `daemon`: a new daemon process owns the socket.
    fn listen_httpd(&mut self, port: u16, home: String, verbose: u8, daemon: bool, argv: Vec<String>) -> Result<(), PortInUse>;
    /// Listen on a TCP port that does not speak HTTP (`nc -l`).
    fn listen_tcp(&mut self, port: u16, program: String) -> Result<(), PortInUse>;
    /// Reverse DNS (PTR) for a cluster IP.
    fn dns_reverse(&self, ip: &str) -> Option<String>;
    /// Opens `abs` for a redirection's writes: truncated (`>`), or created when missing (`>>`).
    fn open_for_write(&mut self, abs: &str, append: bool) -> Result<(), crate::fs::FsError> {
        let mut v = self.view();
        if append && v.exists(abs) && !v.is_dir(abs) {
            Ok(())
        } else {
            v.write(abs, b"", append)
        }
    }
    /// Virtual CPU steps a write of `len` bytes to `out` costs (see `HostCtx::write`).
    fn write_cost(&self, _out: &Output, _len: usize) -> u64 {
        0
    }
    /// A number that changes whenever anything in the files this process can see changes
    /// (see `World::fs_generation`); 0 on a host that does not tell.
    fn fs_generation(&self) -> u64 {
        0
    }
    /// What the shell's tracking host saw (`vm::steady`); None on a host that does not track.
    fn turn_stats(&mut self) -> Option<&mut super::vm::steady::TurnStats> {
        None
    }
    /// What the child started by the last `spawn` or `spawn_shell` did, if it ran to its end
    /// and may be repeated (see [`SpawnEffect`]); None on a host that does not tell.
    fn take_spawn_effect(&mut self) -> Option<SpawnEffect> {
        None
    }
    /// Runs as many turns of a steady loop as fit before anything else can happen, `limit` at
    /// most, in bulk; how many (0: none fit, or this host cannot).
    fn repeat_turns(&mut self, _turn: &super::vm::steady::Turn, _limit: u64) -> u64 {
        0
    }
    /// A watched loop's turn ended, run one by one (the host counts the interpreter's work).
    fn turn_ended(&mut self) {}
    /// Whether the last `repeat_turns` found no room only for a while (the horizon is near, or
    /// the clock's next second), which has not passed yet: no bulk will fit before it does.
    fn bulk_waits(&self) -> bool {
        false
    }
}
