//! Long-running programs of the catalog and author images: a timeline of actions on the virtual
//! clock, and a `Behavior`, what the program is: how it reacts to signals and answers on its
//! ports (images.md §2–§5). Each image's module implements `Behavior` for its programs.

use crate::clock;
use crate::fs::View;
use crate::io::Stream;
use crate::servers::{self, Request, Response};
use crate::types::{GrpcCode, GrpcHealthAnswer, Millis};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Log(Stream, String),
    /// These bytes as they are (no line end added): a client's output written when its wait ends.
    Write(Stream, Vec<u8>),
    Listen(u16),
    Exit(i32),
    /// Resident memory becomes this many bytes (OOM kill above the limit).
    Memory(u64),
}

/// What a running program is. Its state (nginx's workers, python's unflushed banner) lives in
/// the implementing type. The defaults are a Go program's: most servers here are Go programs.
pub trait Behavior {
    /// Its reaction to a signal (scheduled from `signal.now`).
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction;

    /// Processes a signal makes it fork, whose PIDs it takes from the container's counter
    /// (nginx's reload starts new workers).
    fn pids_forked_by(&self, _sig: i32) -> u32 {
        0
    }

    /// Its answer to an HTTP request on one of its ports.
    fn serve_http(&mut self, _req: &Request, at: &Serving) -> Response {
        servers::go_not_found(at.wall)
    }

    /// The line it logs when a port it wants is taken; it then exits 1. Go's
    /// `log.Fatal(http.ListenAndServe(":PORT", …))` (images.md §3.1).
    fn bind_failure(&self, port: u16, wall_ms: i64) -> String {
        let stamp = clock::slash_stamp(wall_ms.div_euclid(1000));
        format!("{stamp} listen tcp :{port}: bind: address already in use")
    }

    /// Whether its sockets take IPv6 too (`netstat` shows `:::PORT`).
    fn listens_on_ipv6(&self) -> bool {
        true
    }

    /// What it speaks on `port`: HTTP by default (redis accepts a connection and closes it).
    fn wire(&self, _port: u16) -> Wire {
        Wire::Http
    }

    /// Its answer to `grpc.health.v1.Health/Check` for `service`, on a port whose `wire` is
    /// `Grpc`. A gRPC server without the health service answers `Unimplemented` (grpc-go
    /// `server.go` handleStream's `unknown service %v` for a service not registered).
    fn grpc_health_check(&mut self, _service: &str, _at: &Serving) -> GrpcReply {
        let message = "unknown service grpc.health.v1.Health".to_string();
        GrpcReply { answer: GrpcHealthAnswer::Error { code: GrpcCode::Unimplemented, message }, logs: Vec::new() }
    }

    /// Whether its answer to a request depends only on the request and the files it serves,
    /// so that a repeated probe may be answered from memory (`net::HttpMemo`; nginx).
    fn answers_from_files(&self) -> bool {
        false
    }
}

/// What a program speaks on a port it listens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    /// HTTP/1 (`Behavior::serve_http`).
    Http,
    /// gRPC over HTTP/2 (`Behavior::grpc_health_check`).
    Grpc,
    /// Neither: it accepts the connection and closes it on anything it does not understand.
    Raw,
}

/// A gRPC server's answer to a health check, and the lines it logs serving it.
pub struct GrpcReply {
    pub answer: GrpcHealthAnswer,
    pub logs: Vec<(Stream, String)>,
}

/// A signal reaching a program.
pub struct SignalDelivery {
    pub sig: i32,
    /// Whether the program is PID 1 (which drops the signals it has no handler for).
    pub pid1: bool,
    pub now: Millis,
    /// Wall-clock milliseconds of `now`, for log stamps.
    pub wall_ms: i64,
    /// The process of the container that sent it (`nginx -s`); `None`: the runtime.
    pub sender: Option<u32>,
    /// The container's next free PID.
    pub next_pid: u32,
}

impl SignalDelivery {
    /// nginx's and Go's log time stamp of now.
    pub fn log_stamp(&self) -> String {
        clock::slash_stamp(self.wall_ms.div_euclid(1000))
    }

    /// Exit at once with `code`.
    pub fn exit(&self, code: i32) -> SigReaction {
        SigReaction::Actions(vec![(self.now, Action::Exit(code))])
    }

    /// What a program with no handler for the signal does: as PID 1 nothing, else it dies of it.
    pub fn default_action(&self) -> SigReaction {
        if self.pid1 {
            SigReaction::Ignore
        } else {
            self.exit(128 + self.sig)
        }
    }
}

/// What a signal does to a program.
pub enum SigReaction {
    Ignore,
    /// Schedule these actions (the last one normally an `Exit`).
    Actions(Vec<(Millis, Action)>),
}

/// Where and when a program answers a request.
pub struct Serving<'a> {
    /// The files its container sees.
    pub view: &'a View<'a>,
    /// Time since the program started.
    pub elapsed: Millis,
    /// Wall-clock seconds of now.
    pub wall: i64,
    pub hostname: &'a str,
    /// The serving process's working directory.
    pub cwd: &'a str,
    /// The connection's number, from 1 (nginx logs it as `*N`).
    pub connection: u64,
}

/// A long-running program: what it is and what it will do.
pub struct Prog {
    behavior: Box<dyn Behavior>,
    pub started: Millis,
    /// Future actions, sorted by time.
    timeline: Vec<(Millis, Action)>,
    /// Connections it accepted (nginx numbers them in its error log).
    pub conn_serial: u64,
    /// It is exiting: only SIGKILL still acts.
    stopping: bool,
}

/// What delivering a signal did, for the process table.
pub struct SignalOutcome {
    /// The program scheduled a reaction (its next wake-up may have moved).
    pub reacted: bool,
    /// PIDs the container hands to processes the program forked.
    pub forked_pids: u32,
}

impl Prog {
    pub fn new(behavior: impl Behavior + 'static, started: Millis, mut timeline: Vec<(Millis, Action)>) -> Prog {
        podplay_k8s_util::sort::sort_by_key(&mut timeline, |(t, _)| *t);
        Prog { behavior: Box::new(behavior), started, timeline, conn_serial: 0, stopping: false }
    }

    pub fn behavior(&self) -> &dyn Behavior {
        self.behavior.as_ref()
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
        podplay_k8s_util::sort::sort_by_key(&mut self.timeline, |(t, _)| *t);
    }

    /// Deliver a signal: schedule the program's reaction; one that exits makes it stop reacting.
    pub fn on_signal(&mut self, signal: &SignalDelivery) -> SignalOutcome {
        // The forked PIDs are taken before the program reacts, even by one already stopping.
        let forked_pids = self.behavior.pids_forked_by(signal.sig);
        if self.stopping && signal.sig != 9 {
            return SignalOutcome { reacted: false, forked_pids };
        }
        let SigReaction::Actions(actions) = self.behavior.on_signal(signal) else {
            return SignalOutcome { reacted: false, forked_pids };
        };
        if actions.iter().any(|(_, a)| matches!(a, Action::Exit(_))) {
            self.stopping = true;
        }
        self.schedule(actions);
        SignalOutcome { reacted: true, forked_pids }
    }

    /// Answer a gRPC health check on one of its ports (a new connection).
    pub fn grpc_health_check(&mut self, service: &str, view: &View, now: Millis, wall: i64, hostname: &str, cwd: &str) -> GrpcReply {
        self.conn_serial += 1;
        let at = Serving { view, elapsed: now.saturating_sub(self.started), wall, hostname, cwd, connection: self.conn_serial };
        self.behavior.grpc_health_check(service, &at)
    }

    /// Answer an HTTP request on one of its ports (a new connection).
    pub fn serve_http(&mut self, req: &Request, view: &View, now: Millis, wall: i64, hostname: &str, cwd: &str) -> Response {
        self.conn_serial += 1;
        let at = Serving { view, elapsed: now.saturating_sub(self.started), wall, hostname, cwd, connection: self.conn_serial };
        self.behavior.serve_http(req, &at)
    }
}
