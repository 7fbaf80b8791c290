//! Long-running programs of the catalog and author images: a timeline of actions on the virtual
//! clock, and a `Behavior`, what the program is: how it reacts to signals and answers on its
//! ports (images.md §2–§5). Each image's module implements `Behavior` for its programs.

use crate::clock;
use crate::fs::View;
use crate::io::Stream;
use crate::servers::{self, Request, Response};
use crate::shell::host::{HttpReply, NetError};
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
    /// The program's own timer: `Behavior::on_wake` looks at the container's files as they are
    /// then and says what comes next (agnhost mounttest's read loop).
    Wake,
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

    /// The requests it sends from its pod while it answers `req` (agnhost netexec's `/dial`),
    /// one round at a time: called with the answers so far (`answered`, in the order asked)
    /// until it asks nothing more; `serve_http` then finds them all in `Serving::dialed`. So a
    /// program decides each request from the previous answers (a client following redirects)
    /// and the world sends them with the program's process in place (a request may come back
    /// to the same server).
    fn dials(&self, _req: &Request, _answered: &[Dialed]) -> Vec<Dial> {
        Vec::new()
    }

    /// The commands it runs in its container while it answers `req` (agnhost netexec's
    /// `/shell`: `/bin/sh -c CMD`), each a child of its process run to its end;
    /// `serve_http` finds how they ended in `Serving::ran`.
    fn commands(&self, _req: &Request) -> Vec<Vec<String>> {
        Vec::new()
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

    /// Its `Action::Wake` at `now`: what it does next, from the container's files as `view`
    /// shows them then (actions at `now` or later).
    fn on_wake(&mut self, _now: Millis, _view: &View) -> Vec<(Millis, Action)> {
        Vec::new()
    }
}

/// A request a program sends while it answers one (see [`Behavior::dials`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dial {
    pub protocol: DialProtocol,
    /// A name (resolved as a program of the pod resolves it: its resolv.conf's search list)
    /// or an address.
    pub host: String,
    pub port: u16,
    /// The HTTP request's target (path and query); the datagram's payload for UDP.
    pub request: String,
    pub headers: Vec<(String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialProtocol {
    /// An HTTP GET.
    Http,
    /// A datagram and a wait for the answer. No program of the simulation serves UDP, so a
    /// reachable address answers with ICMP port unreachable ([`DialError::Net`] `Refused`),
    /// another never (`TimedOut`).
    Udp,
}

/// What a [`Dial`] came to.
pub type Dialed = Result<HttpReply, DialError>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialError {
    /// The name resolves to no address.
    NoSuchHost,
    /// The address it resolved to, and how the exchange ended there; a UDP socket's own
    /// address (`ip:port`, bound before it sends: Go's error names it).
    Net { ip: String, error: NetError, udp_local: Option<String> },
}

/// How a command of [`Behavior::commands`] ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandRun {
    /// Its stdout and stderr as written, together (Go's `CombinedOutput`).
    pub output: Vec<u8>,
    /// Its exit status; the reason it could not start instead (`no such file or directory`);
    /// `Ok(None)`: still running after a day, when the simulation stops waiting.
    pub status: Result<Option<i32>, String>,
    /// How long it ran.
    pub took: Millis,
}

/// What a program's requests and commands came to while it answered one.
#[derive(Default)]
pub struct SideWork {
    pub dialed: Vec<Dialed>,
    pub ran: Vec<CommandRun>,
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
    /// The answers to the requests it sent for this one ([`Behavior::dials`]).
    pub dialed: &'a [Dialed],
    /// How the commands it ran for this one ended ([`Behavior::commands`]).
    pub ran: &'a [CommandRun],
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

    /// Its timer went off (`Action::Wake`): what the program does next is scheduled.
    pub fn wake(&mut self, now: Millis, view: &View) {
        let actions = self.behavior.on_wake(now, view);
        self.schedule(actions);
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
        let elapsed = now.saturating_sub(self.started);
        let at = Serving { view, elapsed, wall, hostname, cwd, connection: self.conn_serial, dialed: &[], ran: &[] };
        self.behavior.grpc_health_check(service, &at)
    }

    /// The requests it sends next while answering `req` (see [`Behavior::dials`]).
    pub fn dials(&self, req: &Request, answered: &[Dialed]) -> Vec<Dial> {
        self.behavior.dials(req, answered)
    }

    /// The commands it runs while answering `req` (see [`Behavior::commands`]).
    pub fn commands(&self, req: &Request) -> Vec<Vec<String>> {
        self.behavior.commands(req)
    }

    /// Answer an HTTP request on one of its ports (a new connection), what the requests and
    /// commands it made for it came to in `work`.
    #[allow(clippy::too_many_arguments)]
    pub fn serve_http(
        &mut self,
        req: &Request,
        view: &View,
        now: Millis,
        wall: i64,
        hostname: &str,
        cwd: &str,
        work: &SideWork,
    ) -> Response {
        self.conn_serial += 1;
        let elapsed = now.saturating_sub(self.started);
        let connection = self.conn_serial;
        let at = Serving { view, elapsed, wall, hostname, cwd, connection, dialed: &work.dialed, ran: &work.ran };
        self.behavior.serve_http(req, &at)
    }
}
