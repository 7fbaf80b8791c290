//! Runtime state and the process scheduler: process table per container, signal delivery,
//! exits, output routing and the virtual-time loop.

use crate::applets::{self, Applet};
use crate::fs::{Mount, Program, Tree, TreeId, View};
use crate::images::ImageInfo;
use crate::io::{Fds, Output, Stream};
use crate::programs::{Action, Prog, SignalDelivery, Wire};
use crate::shell::vm::{Vm, VmResult};
use crate::types::*;
use std::collections::BTreeMap;

pub(crate) enum Kind {
    /// Placeholder while the process's own code is running (its VM is taken out).
    Running,
    Shell(Box<Vm>),
    Sleep,
    Forever,
    Prog(Prog),
    /// A program writing a stream in the background (`writers.rs`).
    Writer(Box<crate::writers::Writer>),
}

/// A process's environment: shared by the processes that inherit it unchanged (an exec chain
/// passes it on without copying it).
pub(crate) type Env = std::rc::Rc<Vec<(String, String)>>;

/// An exited process's status, kept until its parent reaps it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Zombie {
    pub code: i32,
    pub ppid: u32,
}

pub(crate) struct Process {
    pub pid: u32,
    pub ppid: u32,
    pub argv: Vec<String>,
    pub kind: Kind,
    pub fds: Fds,
    pub wake: Option<Millis>,
    pub env: Env,
    pub cwd: String,
    pub exec: Option<u64>,
    /// A steady loop of this process found no room for a bulk before this time (the horizon
    /// or the clock's next second): it need not look again until then (`Host::bulk_waits`).
    pub bulk_wait: Millis,
}

#[derive(Clone, Debug)]
pub(crate) enum ServerKind {
    BusyboxHttpd {
        home: String,
        verbose: u8,
    },
    /// Served by the owning process's `Prog`.
    Prog,
    /// Accepts TCP but does not speak HTTP (redis).
    TcpOnly,
    /// gRPC, served by the owning process's `Prog` (`Behavior::grpc_health_check`).
    Grpc,
}

#[derive(Clone, Debug)]
pub(crate) struct Listener {
    pub port: u16,
    pub pid: u32,
    pub ipv6: bool,
    pub program: String,
    pub server: ServerKind,
}

pub(crate) struct Sandbox {
    pub cfg: SandboxConfig,
    pub volumes: BTreeMap<String, TreeId>,
    /// Its `hostPath` volumes: the node's tree and the path in it, by name (not the pod's: no
    /// stats, never removed with it).
    pub host_paths: BTreeMap<String, (TreeId, String)>,
    pub stopped: bool,
    /// Its containers (indices into `World::containers`), so network look-ups by pod IP
    /// touch one pod, not the whole cluster.
    pub containers: Vec<usize>,
}

/// One remembered PATH lookup.
pub(crate) struct LookupEntry {
    generation: u64,
    name: String,
    path: String,
    cwd: String,
    result: Result<String, i32>,
}

pub(crate) struct Container {
    pub id: ContainerId,
    pub sandbox: usize,
    pub cfg: ContainerConfig,
    pub image: std::rc::Rc<ImageInfo>,
    pub root: TreeId,
    pub mounts: Vec<Mount>,
    pub env: Env,
    pub argv: Vec<String>,
    pub state: ContainerState,
    pub procs: BTreeMap<u32, Box<Process>>,
    pub next_pid: u32,
    pub logs: crate::logs::ContainerLog,
    /// Probe answers this container's servers gave, remembered (see `net::HttpMemo`).
    pub http_memos: Vec<crate::net::HttpMemo>,
    /// PATH lookups, valid while the container's files are unchanged (see `World::lookup`).
    pub lookup_cache: Vec<LookupEntry>,
    /// Execs of pure readers, valid while the container's files are unchanged.
    pub exec_memos: Vec<ExecMemo>,
    pub partial: [(Millis, String); 2],
    pub kill_at: Option<Millis>,
    pub oom: bool,
    pub id_string: String,
    pub listeners: Vec<Listener>,
    /// Processes that exited and that their parent has not reaped yet, by pid.
    pub zombies: BTreeMap<u32, Zombie>,
    /// Who its processes are (`users::resolve`).
    pub cred: crate::fs::Cred,
}

/// Interpreter steps an execve costs (0.1 ms of virtual CPU at the default speed).
const EXEC_COST: u64 = 100;

/// Host-stack nesting of synchronously started programs before they are deferred.
const MAX_SYNC_DEPTH: u32 = 40;

#[derive(Default)]
pub(crate) struct Capture {
    pub output: Vec<u8>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: Option<(i32, Millis)>,
}

pub(crate) struct World {
    pub cfg: RuntimeConfig,
    pub trees: Vec<Tree>,
    pub sandboxes: Vec<Sandbox>,
    pub containers: Vec<Container>,
    pub authors: BTreeMap<String, ImageDef>,
    pub dns: Vec<DnsRecord>,
    pub services: Vec<crate::net::Route>,
    /// Round-robin position per service (deterministic stand-in for iptables' random choice).
    pub service_rr: u64,
    pub pipes: BTreeMap<u64, Vec<u8>>,
    pub next_pipe: u64,
    pub execs: BTreeMap<u64, Capture>,
    pub next_exec: u64,
    pub events: Vec<RuntimeEvent>,
    pub budget: u64,
    pub limit: Millis,
    /// While the runtime advances: the next moment anything outside it can act (the engine's
    /// next task); a steady loop may run in bulk up to it. 0 otherwise.
    pub horizon: Millis,
    pub deferred: Vec<(usize, u32, i32, Option<u32>)>,
    /// Source ports handed out per (client, server, port) hash (`net::ephemeral_port`).
    pub ephemeral: rustc_hash::FxHashMap<u64, u64>,
    /// Nesting depth of synchronously running children (bounded, see host.rs).
    pub depth: u32,
    /// Containers whose processes may have changed since the wake-up index last looked: the
    /// index (in `Runtime`) re-reads only these, so finding the next due process does not scan
    /// every process of every container on each step of the engine.
    pub touched: std::cell::RefCell<Vec<usize>>,
    /// Live sandbox by pod IP.
    pub sandbox_by_ip: rustc_hash::FxHashMap<String, usize>,
    /// Each image's root tree, built once and shared copy-on-write by its containers.
    pub rootfs_cache: rustc_hash::FxHashMap<String, crate::fs::Tree>,
    /// The files the runtime mounts into containers, by (time, path, content), shared
    /// copy-on-write by the containers that get the same.
    pub own_file_trees: rustc_hash::FxHashMap<String, crate::fs::Tree>,
    /// Probes answered by arithmetic until something changes (see `standing.rs`).
    pub standing: crate::standing::Standing,
    /// Each node's disk, by the node's number (`SandboxConfig::node`).
    pub disks: rustc_hash::FxHashMap<u32, std::rc::Rc<crate::fs::Disk>>,
    /// Each node's own files (`host_path`), by the node's number.
    pub node_roots: BTreeMap<u32, TreeId>,
    /// The processes writing a stream in the background: (container, pid).
    pub writers: Vec<(usize, u32)>,
    /// Nodes where a background writer into a file started since `Runtime::take_disk_activity`.
    pub disk_activity: Vec<u32>,
    /// Steady loops run in bulk (`Runtime::set_bulk`).
    pub bulk: bool,
    /// Turns of watched loops the shells ran one by one (not in bulk): the interpreter's work
    /// (`Runtime::turns_run_one_by_one`).
    pub turns_one_by_one: u64,
    /// How many times a process read or changed something other than its container's files
    /// and its own log and CPU (the clock, pids, other processes, pipes, the network, a catalog
    /// program's start): a child that did none of it did the same as before (`host.rs`,
    /// `HostCtx::spawn`).
    pub reads_outside: std::cell::Cell<u64>,
    /// How many times a process read the cluster's DNS records: what only the engine changes,
    /// between the runtime's calls (see `cluster_horizon`).
    pub reads_cluster: std::cell::Cell<u64>,
    /// While a child of a shell runs (`HostCtx::spawn`): what it writes.
    pub child_writes: Option<ChildWrites>,
    /// How many times a process acted beyond its own container's files and processes: a signal
    /// sent, a connection or request to a listener (the server's log and counters, a Service's
    /// round robin), a port listened on, a line into a container's log. An exec that moved it
    /// changed something outside itself (`Runtime::exec_sync_traced`).
    pub effects: std::cell::Cell<u64>,
    /// The wall-clock seconds read while a shell's child runs (`HostCtx::spawn`; see
    /// `read_wall`).
    pub clock_reads: std::cell::Cell<Option<ClockRead>>,
}

/// What processes read of the wall clock, to the second (`date`, `ls -l`): the first and the
/// last second read, and the millisecond of the last read. A child that read one second only
/// does the same again from the same state as long as its reads fall in that second
/// (`steady.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockRead {
    pub first: i64,
    pub last: i64,
    pub last_ms: Millis,
}

/// What a shell's child and its descendants wrote, while they run: their writes to the
/// container's log (time, stream, text), the pipes written to (the parent decides whether they
/// were its turn's own: `steady.rs`); `unusual` for anything else (files, exec sessions, text
/// that is not UTF-8, too much).
#[derive(Default)]
pub(crate) struct ChildWrites {
    pub cid: usize,
    pub writes: Vec<(Millis, Stream, String)>,
    /// Requests whose answers are known again, and when they were made.
    pub exchanges: Vec<(Millis, crate::shell::host::Exchange)>,
    pub pipes: Vec<u64>,
    pub bytes: usize,
    pub unusual: bool,
}

/// Bytes a child may write to the log and still be repeated in bulk (as a turn's own writes).
const MAX_CHILD_BYTES: usize = 64 << 10;

impl World {
    /// The running sandbox whose pod address is `ip`.
    pub(crate) fn sandbox_at(&self, ip: &str) -> Option<usize> {
        self.sandbox_by_ip.get(ip).copied().filter(|&sb| !self.sandboxes[sb].stopped)
    }

    /// Standing probes of the pod at `ip` take effect before anything else reaches it (the
    /// network asks; `standing.rs` knows how).
    pub(crate) fn settle_standing_at(&mut self, ip: &str) {
        if let Some(sb) = self.sandbox_at(ip) {
            crate::standing::settle_sandbox(self, sb);
        }
    }

    /// Sends a request of process `pid` of container `cid` while it answers one (the network
    /// asks; `host.rs` sends it as the process's own requests go).
    pub(crate) fn dial(&mut self, cid: usize, pid: u32, dial: &crate::programs::Dial, now: Millis) -> crate::programs::Dialed {
        crate::host::dial(self, cid, pid, dial, now)
    }

    /// Runs `argv` as a child of process `pid` of container `cid` to its end, while that
    /// process answers a request (the network asks; `host.rs` runs it as the process's own
    /// children run).
    pub(crate) fn run_command(&mut self, cid: usize, pid: u32, argv: &[String], now: Millis) -> crate::programs::CommandRun {
        crate::host::run_command(self, cid, pid, argv, now)
    }

    /// Notes that container `cid`'s processes, kill timer or state may have changed.
    pub fn touch(&self, cid: usize) {
        self.touched.borrow_mut().push(cid);
        if self.standing.has_active(self.containers[cid].sandbox) {
            let mut dirty = self.standing.dirty.borrow_mut();
            if dirty.last() != Some(&cid) {
                dirty.push(cid);
            }
        }
    }

    pub fn wall_ms(&self, t: Millis) -> i64 {
        self.cfg.wall_clock_start * 1000 + t as i64
    }

    pub fn view(&mut self, cid: usize, now: Millis) -> View<'_> {
        self.touch(cid);
        let secs = self.cfg.wall_clock_start + (now / 1000) as i64;
        let c = &self.containers[cid];
        View {
            trees: &mut self.trees,
            root: c.root,
            mounts: &c.mounts,
            now_secs: secs,
            cred: &c.cred,
            root_read_only: c.cfg.security.read_only_root,
        }
    }

    /// Notes that the process running now read or changed something outside its files, log
    /// and CPU (see `reads_outside`).
    pub fn outside(&self) {
        self.reads_outside.set(self.reads_outside.get() + 1);
    }

    /// The wall clock's second at `now`, noted as read (see `clock_reads`).
    pub fn read_wall(&self, now: Millis) -> i64 {
        let secs = self.wall_ms(now).div_euclid(1000);
        let read = match self.clock_reads.get() {
            Some(r) => ClockRead { first: r.first, last: secs, last_ms: now },
            None => ClockRead { first: secs, last: secs, last_ms: now },
        };
        self.clock_reads.set(Some(read));
        secs
    }

    /// Notes that the process running now read the cluster's DNS records.
    pub fn read_cluster(&self) {
        self.reads_cluster.set(self.reads_cluster.get() + 1);
    }

    /// Counts an effect beyond a process's own container files (see `effects`).
    pub fn effect(&self) {
        self.effects.set(self.effects.get() + 1);
    }

    pub fn write(&mut self, cid: usize, out: &Output, data: &[u8], now: Millis) {
        self.touch(cid);
        if let Some(rec) = &mut self.child_writes {
            rec.note(cid, out, data, now);
        }
        match out {
            Output::Null => {}
            Output::Pipe(id) => self.pipes.entry(*id).or_default().extend_from_slice(data),
            Output::Exec(id, stream) => {
                if let Some(c) = self.execs.get_mut(id) {
                    c.output.extend_from_slice(data);
                    match stream {
                        Stream::Stdout => c.stdout.extend_from_slice(data),
                        Stream::Stderr => c.stderr.extend_from_slice(data),
                    }
                }
            }
            Output::File(path) => {
                let path = path.clone();
                let _ = self.view(cid, now).write(&path, data, true);
            }
            Output::Log(stream) => {
                self.effect();
                let c = &mut self.containers[cid];
                let idx = stream.index();
                // Whole lines with nothing pending (what programs almost always write): straight
                // into the log, the same lines at the same time as through the buffer below.
                if c.partial[idx].1.is_empty() {
                    if let Some(text) = std::str::from_utf8(data).ok().and_then(|t| t.strip_suffix('\n')) {
                        for line in text.split('\n') {
                            c.logs.push(LogLine::new(now, *stream, line.to_string()));
                        }
                        return;
                    }
                }
                let text = String::from_utf8_lossy(data);
                let mut segments = text.split('\n').peekable();
                while let Some(segment) = segments.next() {
                    let buf = &mut c.partial[idx];
                    if buf.1.is_empty() {
                        buf.0 = now;
                    }
                    buf.1.push_str(segment);
                    // containerd's redirectLogs reads through a 16 KiB buffer: once a line
                    // outgrows it, the first 16 KiB go out as a record tagged partial, when
                    // read. (So output that never ends a line, `echo -n` in a loop, is
                    // written as it comes, and the pending text stays under 16 KiB.)
                    while buf.1.len() > crate::logs::MAX_LINE {
                        let cut = crate::logs::record_cut(&buf.1);
                        // The rest moved into a new string: a copy, not a char-by-char collect.
                        let rest = buf.1.split_off(cut);
                        let piece = std::mem::replace(&mut buf.1, rest);
                        c.logs.push(LogLine { partial: true, ..LogLine::new(now, *stream, piece) });
                        buf.0 = now;
                    }
                    if segments.peek().is_some() {
                        let line = std::mem::take(&mut buf.1);
                        c.logs.push(LogLine::new(buf.0, *stream, line));
                        buf.0 = now;
                    }
                }
            }
        }
    }

    /// The container's streams closed: output left without a line end is written as
    /// containerd's log redirector writes what it reads before EOF, a record tagged partial
    /// (`P`), so `kubectl logs` prints it with no line end.
    fn flush_partial(&mut self, cid: usize) {
        let c = &mut self.containers[cid];
        for (idx, stream) in [(0, Stream::Stdout), (1, Stream::Stderr)] {
            if !c.partial[idx].1.is_empty() {
                let (at, text) = std::mem::take(&mut c.partial[idx]);
                c.logs.push(LogLine { partial: true, ..LogLine::new(at, stream, text) });
            }
        }
    }

    pub fn alloc_pid(&mut self, cid: usize) -> u32 {
        self.touch(cid);
        let c = &mut self.containers[cid];
        let p = c.next_pid;
        c.next_pid += 1;
        p
    }

    pub fn is_running(&self, cid: usize) -> bool {
        matches!(self.containers[cid].state, ContainerState::Running { .. })
    }

    /// Find an executable like execvp/LookPath: `Ok(abs path)` or `Err(127 not found | 126)`.
    pub fn lookup(&mut self, cid: usize, name: &str, path: &str, cwd: &str, now: Millis) -> Result<String, i32> {
        // Every command a shell or an exec probe runs starts here; the answer only changes
        // when a file the container sees does.
        let generation = self.fs_generation(cid);
        let cache = &mut self.containers[cid].lookup_cache;
        if cache.first().is_some_and(|e| e.generation != generation) {
            cache.clear();
        }
        if let Some(e) = cache.iter().find(|e| e.name == name && e.path == path && e.cwd == cwd) {
            return e.result.clone();
        }
        let result = self.lookup_uncached(cid, name, path, cwd, now);
        let cache = &mut self.containers[cid].lookup_cache;
        if cache.len() < 32 {
            cache.push(LookupEntry { generation, name: name.into(), path: path.into(), cwd: cwd.into(), result: result.clone() });
        }
        result
    }

    /// The sum of the generations of every tree container `cid` sees (they only grow, so the
    /// sum changes whenever any of them does).
    pub fn fs_generation(&self, cid: usize) -> u64 {
        let c = &self.containers[cid];
        self.trees[c.root].generation() + c.mounts.iter().map(|m| self.trees[m.tree].generation()).sum::<u64>()
    }

    fn lookup_uncached(&mut self, cid: usize, name: &str, path: &str, cwd: &str, now: Millis) -> Result<String, i32> {
        let v = self.view(cid, now);
        if name.contains('/') {
            let abs = crate::fs::normalize(cwd, name);
            // execve: a file whose `x` bit lets this user run it (`EACCES`: 126).
            return match v.stat(&abs) {
                Ok(n) if !n.is_dir() && v.cred.may(n, crate::fs::Access::Search) => Ok(abs),
                Ok(_) => Err(126),
                Err(_) => Err(127),
            };
        }
        if name.is_empty() {
            return Err(127);
        }
        // One buffer for all PATH candidates; a clean absolute directory (the usual case)
        // needs no normalisation.
        let mut abs = String::with_capacity(32);
        for dir in path.split(':') {
            abs.clear();
            if dir.starts_with('/') && !dir.contains("/.") && !dir.contains("//") {
                abs.push_str(dir.trim_end_matches('/'));
                abs.push('/');
                abs.push_str(name);
            } else {
                abs.push_str(&crate::fs::normalize(if dir.is_empty() { cwd } else { dir }, name));
            }
            if let Some(n) = v.node(&abs) {
                if !n.is_dir() && v.cred.may(n, crate::fs::Access::Search) {
                    return Ok(abs);
                }
            }
        }
        Err(127)
    }

    /// Replace process `pid`'s program by the one at `path` and run it until it blocks
    /// (execve costs virtual CPU like a fork does).
    pub fn exec_program(&mut self, cid: usize, pid: u32, path: &str, argv: Vec<String>, env: Env, now: Millis) -> Millis {
        self.touch(cid);
        self.budget = self.budget.saturating_sub(EXEC_COST);
        let program = self.view(cid, now).stat(path).ok().and_then(|n| n.program.clone());
        let (fds, cwd) = match self.containers[cid].procs.get_mut(&pid) {
            Some(p) => {
                p.argv = argv.clone();
                p.env = env.clone();
                p.kind = Kind::Running;
                (p.fds.clone(), p.cwd.clone())
            }
            None => return now,
        };
        let (outcome, t) = match program {
            Some(Program::Busybox) => {
                let mut ctx = crate::host::HostCtx::new(self, cid, pid, now);
                let a = applets::run(&mut ctx, &applets::Ctx { argv: &argv, env: &env, cwd: &cwd, fds: &fds });
                let t = ctx.now;
                (a, t)
            }
            // Catalog and author programs read the world directly (the clock for their stamps …).
            // Programs images install from their distribution's packages (bash, curl) run
            // through a host as the busybox applets do.
            Some(Program::Builtin(name)) => match crate::catalog::package_program(&name) {
                Some(run) => {
                    let mut ctx = crate::host::HostCtx::new(self, cid, pid, now);
                    let a = run(&mut ctx, &applets::Ctx { argv: &argv, env: &env, cwd: &cwd, fds: &fds });
                    let t = ctx.now;
                    (a, t)
                }
                None => {
                    self.outside();
                    (crate::catalog::start(self, cid, pid, &name, &argv, &env, now), now)
                }
            },
            Some(Program::Author(img)) => {
                self.outside();
                (crate::authored::start_author(self, &img, now), now)
            }
            None => {
                // A script: `#!interp` line, else ENOEXEC → run by /bin/sh like execvp does.
                let data = self.view(cid, now).read(path).unwrap_or_default();
                let text = String::from_utf8_lossy(&data).to_string();
                let interp = text
                    .strip_prefix("#!")
                    .and_then(|l| l.lines().next())
                    .map(|l| l.trim().to_string())
                    .unwrap_or_else(|| "/bin/sh".into());
                let mut parts: Vec<String> = interp.split_whitespace().map(String::from).collect();
                parts.push(path.to_string());
                parts.extend(argv.iter().skip(1).cloned());
                let ipath = parts[0].clone();
                if self.view(cid, now).stat(&ipath).map(|n| n.program.is_some()).unwrap_or(false) {
                    return self.exec_program(cid, pid, &ipath, parts, env, now);
                }
                let msg = format!("{}: line 0: {}: not found\n", argv[0], ipath);
                self.write(cid, &fds.stderr, msg.as_bytes(), now);
                (Applet::Exit(127), now)
            }
        };
        self.apply_outcome(cid, pid, outcome, t)
    }

    pub fn apply_outcome(&mut self, cid: usize, pid: u32, outcome: Applet, t: Millis) -> Millis {
        self.touch(cid);
        let Some(p) = self.containers[cid].procs.get_mut(&pid) else {
            return t;
        };
        match outcome {
            Applet::Exit(code) => {
                self.exit_process(cid, pid, code, t);
                t
            }
            Applet::SleepUntil(until) => {
                p.kind = Kind::Sleep;
                p.wake = Some(until);
                t
            }
            Applet::Forever => {
                p.kind = Kind::Forever;
                p.wake = None;
                t
            }
            Applet::Shell(vm) => {
                p.kind = Kind::Shell(vm);
                p.wake = Some(t);
                self.run_now_or_later(cid, pid, t)
            }
            Applet::Program(prog) => {
                p.kind = Kind::Prog(prog);
                p.wake = Some(t);
                self.run_now_or_later(cid, pid, t)
            }
            Applet::Stream(spec) => {
                let spm = self.cfg.steps_per_ms;
                let w = crate::writers::Writer::new(spec.program, spec.unit, spec.chunk, spec.total, spec.target, t, spec.read_steps, spm);
                let into_file = matches!(w.target, crate::writers::Target::File(_));
                p.kind = Kind::Writer(Box::new(w));
                p.wake = None;
                self.writers.push((cid, pid));
                if into_file {
                    let node = self.sandboxes[self.containers[cid].sandbox].cfg.node;
                    if !self.disk_activity.contains(&node) {
                        self.disk_activity.push(node);
                    }
                }
                self.predict_writers(t);
                t
            }
            Applet::Fail { output, code } => {
                let fds = p.fds.clone();
                for (s, line) in output {
                    let o = if s == Stream::Stdout { &fds.stdout } else { &fds.stderr };
                    self.write(cid, o, format!("{line}\n").as_bytes(), t);
                }
                self.exit_process(cid, pid, code, t);
                t
            }
            Applet::ExecWithEnv { argv, env } => {
                p.env = env.into();
                self.apply_outcome(cid, pid, Applet::ExecInto { argv, output: Vec::new() }, t)
            }
            Applet::ExecInto { argv, output } => {
                let fds = p.fds.clone();
                let env = p.env.clone();
                let cwd = p.cwd.clone();
                for (s, line) in output {
                    let o = if s == Stream::Stdout { &fds.stdout } else { &fds.stderr };
                    self.write(cid, o, format!("{line}\n").as_bytes(), t);
                }
                let path_var = env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_else(|| "/bin:/usr/bin".into());
                match argv.first().map(|a| self.lookup(cid, a, &path_var, &cwd, t)) {
                    Some(Ok(path)) => self.exec_program(cid, pid, &path, argv, env, t),
                    Some(Err(code)) => {
                        let msg = format!("exec: {}: not found\n", argv[0]);
                        self.write(cid, &fds.stderr, msg.as_bytes(), t);
                        self.exit_process(cid, pid, code, t);
                        t
                    }
                    None => {
                        self.exit_process(cid, pid, 0, t);
                        t
                    }
                }
            }
        }
    }

    /// Run a freshly exec'd program at once, unless exec chains (`exec sh script` that execs
    /// again …) are nested deep on the host stack: then it stays runnable at `t` and the
    /// scheduler continues it.
    fn run_now_or_later(&mut self, cid: usize, pid: u32, t: Millis) -> Millis {
        self.touch(cid);
        if self.depth >= MAX_SYNC_DEPTH || self.budget == 0 {
            return t;
        }
        self.depth += 1;
        let end = self.run_process(cid, pid, t);
        self.depth -= 1;
        end
    }

    /// Run process `pid` at time `now` (its wake time has come). Returns the time it stopped.
    pub fn run_process(&mut self, cid: usize, pid: u32, now: Millis) -> Millis {
        self.touch(cid);
        let Some(p) = self.containers[cid].procs.get_mut(&pid) else {
            return now;
        };
        let kind = std::mem::replace(&mut p.kind, Kind::Running);
        let end = match kind {
            Kind::Running => {
                // Already executing further up the host stack.
                if let Some(p) = self.containers[cid].procs.get_mut(&pid) {
                    p.kind = Kind::Running;
                }
                now
            }
            Kind::Sleep => {
                self.exit_process(cid, pid, 0, now);
                now
            }
            Kind::Forever => {
                if let Some(p) = self.containers[cid].procs.get_mut(&pid) {
                    p.kind = Kind::Forever;
                    p.wake = None;
                }
                now
            }
            Kind::Writer(w) => {
                // Its wake-up: its end, or the moment its disk fills. (Only it takes effect: an
                // exec session's clock may run ahead of everyone else's.)
                if let Some(p) = self.containers[cid].procs.get_mut(&pid) {
                    p.kind = Kind::Writer(w);
                }
                self.settle_writer(cid, pid, now);
                self.predict_writers(now);
                now
            }
            Kind::Prog(mut prog) => {
                let due = prog.due(now);
                let fds = self.containers[cid].procs.get(&pid).map(|p| p.fds.clone());
                if let Some(p) = self.containers[cid].procs.get_mut(&pid) {
                    p.wake = prog.next_wake();
                    p.kind = Kind::Prog(prog);
                }
                let Some(fds) = fds else { return now };
                for (t, a) in due {
                    // actions run at their own time (all are due: t <= now)
                    if !self.containers[cid].procs.contains_key(&pid) {
                        break;
                    }
                    match a {
                        Action::Log(s, line) => {
                            let o = if s == Stream::Stdout { &fds.stdout } else { &fds.stderr };
                            self.write(cid, o, format!("{line}\n").as_bytes(), t);
                        }
                        Action::Write(s, bytes) => {
                            let o = if s == Stream::Stdout { &fds.stdout } else { &fds.stderr };
                            self.write(cid, o, &bytes, t);
                        }
                        Action::Listen(port) if crate::net::port_taken(self, self.containers[cid].sandbox, port) => {
                            // The pod shares one network namespace: a second bind fails.
                            if let Some(line) = self.prog(cid, pid).map(|prog| prog.behavior().bind_failure(port, self.wall_ms(t))) {
                                self.write(cid, &fds.stderr, format!("{line}\n").as_bytes(), t);
                            }
                            self.exit_process(cid, pid, 1, t);
                        }
                        Action::Listen(port) => {
                            let ipv6 = self.prog(cid, pid).is_none_or(|prog| prog.behavior().listens_on_ipv6());
                            let program = self.containers[cid].procs.get(&pid).map(|p| prog_name(&p.argv)).unwrap_or_default();
                            let wire = self.prog(cid, pid).map_or(Wire::Http, |prog| prog.behavior().wire(port));
                            let server = match wire {
                                Wire::Http => ServerKind::Prog,
                                Wire::Grpc => ServerKind::Grpc,
                                Wire::Raw => ServerKind::TcpOnly,
                            };
                            self.containers[cid].listeners.push(Listener { port, pid, ipv6, program, server });
                        }
                        Action::Exit(code) => self.exit_process(cid, pid, code, t),
                        Action::Wake => self.wake_program(cid, pid, t),
                        Action::Memory(bytes) => {
                            if let Some(limit) = self.containers[cid].cfg.memory_limit_bytes {
                                if bytes > limit {
                                    self.containers[cid].oom = true;
                                    self.exit_process(cid, pid, 137, t);
                                }
                            }
                        }
                    }
                }
                now
            }
            Kind::Shell(mut vm) => {
                // A shell that yielded with work left goes on where its clock stood: the steps
                // it spent in that millisecond count (the CPU model is the same run in one call
                // or in many, and the same as a steady loop's turns in bulk).
                let carried = vm.yielded.take().filter(|(ms, _)| *ms == now).map_or(0, |(_, steps)| steps);
                let (r, t, steps, exhausted) = {
                    let mut ctx = crate::host::HostCtx::resume(self, cid, pid, now, carried);
                    let r = vm.run(&mut ctx);
                    (r, ctx.now, ctx.steps(), ctx.exhausted())
                };
                let alive = self.containers[cid].procs.contains_key(&pid);
                if !alive {
                    return t;
                }
                let end = match r {
                    VmResult::Exited(code) => {
                        self.exit_process(cid, pid, code, t);
                        t
                    }
                    VmResult::Blocked => {
                        // Woken in the same millisecond (a child that ended at once, `sleep
                        // 0`), it goes on where its clock stood: the steps it spent before it
                        // waited are spent (else a loop of such children never moves the clock).
                        vm.yielded = Some((t, steps));
                        let p = self.containers[cid].procs.get_mut(&pid).unwrap();
                        p.kind = Kind::Shell(vm);
                        p.wake = None;
                        t
                    }
                    VmResult::Yield => {
                        let limit = self.limit;
                        if !exhausted {
                            vm.yielded = Some((t, steps));
                        }
                        let p = self.containers[cid].procs.get_mut(&pid).unwrap();
                        p.kind = Kind::Shell(vm);
                        if exhausted {
                            p.wake = Some(limit.saturating_add(1).max(t));
                            let id = self.containers[cid].id;
                            self.events.push(RuntimeEvent::StepBudgetExhausted { id, at: t });
                        } else {
                            p.wake = Some(t);
                        }
                        t
                    }
                    VmResult::Exec { path, argv, env } => {
                        let fds = vm.fds.clone();
                        let cwd = vm.cwd.clone();
                        if let Some(p) = self.containers[cid].procs.get_mut(&pid) {
                            p.fds = fds;
                            p.cwd = cwd;
                        }
                        self.exec_program(cid, pid, &path, argv, env.into(), t)
                    }
                };
                // Signals that arrived while it ran.
                let pending: Vec<(usize, u32, i32, Option<u32>)> =
                    self.deferred.iter().filter(|(c, p, _, _)| *c == cid && *p == pid).cloned().collect();
                self.deferred.retain(|(c, p, _, _)| !(*c == cid && *p == pid));
                for (_, _, sig, sender) in pending {
                    self.signal_process(cid, pid, sig, end, sender);
                }
                end
            }
        };
        end
    }

    /// A program's timer (`Action::Wake`) at `t`: it looks at the container's files then and
    /// schedules what comes next (its next wake-up may have moved).
    fn wake_program(&mut self, cid: usize, pid: u32, t: Millis) {
        self.touch(cid);
        let now_secs = self.cfg.wall_clock_start + (t / 1000) as i64;
        let c = &mut self.containers[cid];
        let view = View {
            trees: &mut self.trees,
            root: c.root,
            mounts: &c.mounts,
            now_secs,
            cred: &c.cred,
            root_read_only: c.cfg.security.read_only_root,
        };
        if let Some(p) = c.procs.get_mut(&pid) {
            if let Kind::Prog(prog) = &mut p.kind {
                prog.wake(t, &view);
                p.wake = prog.next_wake();
            }
        }
    }

    fn prog(&self, cid: usize, pid: u32) -> Option<&Prog> {
        match &self.containers[cid].procs.get(&pid)?.kind {
            Kind::Prog(p) => Some(p),
            _ => None,
        }
    }

    /// Deliver a signal. `sender`: a pid inside the container, or None for the runtime.
    /// PID 1 never receives signals it has no handler for (images.md §1.3), and from inside
    /// the container not even SIGKILL.
    pub fn signal_process(&mut self, cid: usize, pid: u32, sig: i32, now: Millis, sender: Option<u32>) -> bool {
        self.touch(cid);
        let wall = self.wall_ms(now);
        let next_pid = self.containers[cid].next_pid;
        let mut reserve_pids = 0;
        let Some(p) = self.containers[cid].procs.get_mut(&pid) else {
            return false;
        };
        let pid1 = pid == 1;
        if sig == 0 {
            return true;
        }
        self.effects.set(self.effects.get() + 1);
        if sig == 9 {
            if pid1 && sender.is_some() {
                return true;
            }
            self.exit_process(cid, pid, 137, now);
            return true;
        }
        match &mut p.kind {
            Kind::Running => self.deferred.push((cid, pid, sig, sender)),
            Kind::Shell(vm) => match vm.on_signal(sig, pid1) {
                crate::shell::vm::SigAction::Ignore => {}
                crate::shell::vm::SigAction::Wake => p.wake = Some(now),
                crate::shell::vm::SigAction::Die(code) => self.exit_process(cid, pid, code, now),
            },
            Kind::Sleep | Kind::Forever => {
                if !pid1 && !matches!(sig, 17 | 28) {
                    self.exit_process(cid, pid, 128 + sig, now);
                }
            }
            Kind::Writer(w) => {
                if sig == 10 && matches!(w.program, crate::writers::Program::Dd { .. }) {
                    // dd's SIGUSR1 handler prints its status and goes on.
                    self.settle_writers(now);
                    self.dd_report(cid, pid, now);
                } else if !pid1 && !matches!(sig, 17 | 28) {
                    self.exit_process(cid, pid, 128 + sig, now);
                }
            }
            Kind::Prog(prog) => {
                let outcome = prog.on_signal(&SignalDelivery { sig, pid1, now, wall_ms: wall, sender, next_pid });
                // Processes it forked (nginx's new workers) take the next PIDs.
                reserve_pids = outcome.forked_pids;
                if outcome.reacted {
                    p.wake = prog.next_wake();
                }
            }
        }
        self.containers[cid].next_pid += reserve_pids;
        true
    }

    pub fn exit_process(&mut self, cid: usize, pid: u32, code: i32, now: Millis) {
        self.touch(cid);
        if self.writers.contains(&(cid, pid)) {
            // What it wrote up to now takes effect.
            self.settle_writer(cid, pid, now);
        }
        let c = &mut self.containers[cid];
        let Some(p) = c.procs.remove(&pid) else {
            return;
        };
        c.listeners.retain(|l| l.pid != pid);
        // Its zombie children pass to init, which reaps them; so does a process whose parent
        // is gone. A root (PID 1, an exec session's process) is collected by the runtime.
        if !c.zombies.is_empty() {
            c.zombies.retain(|_, z| z.ppid != pid);
        }
        if p.ppid == 0 || c.procs.contains_key(&p.ppid) {
            c.zombies.insert(pid, Zombie { code, ppid: p.ppid });
        }
        if let Some(id) = p.exec {
            if let Some(cap) = self.execs.get_mut(&id) {
                cap.exit.get_or_insert((code, now));
            }
        }
        let c = &mut self.containers[cid];
        if let Some(parent) = c.procs.get_mut(&p.ppid) {
            if matches!(parent.kind, Kind::Shell(_)) {
                parent.wake = Some(now);
            }
        }
        if pid == 1 {
            // The init process is gone: the kernel kills the rest of the PID namespace.
            let rest: Vec<u32> = c.procs.keys().copied().collect();
            for &r in &rest {
                if self.writers.contains(&(cid, r)) {
                    self.settle_writer(cid, r, now);
                }
            }
            for r in rest {
                if let Some(q) = self.containers[cid].procs.remove(&r) {
                    if let Some(id) = q.exec {
                        if let Some(cap) = self.execs.get_mut(&id) {
                            cap.exit.get_or_insert((137, now));
                        }
                    }
                }
            }
            self.flush_partial(cid);
            let c = &mut self.containers[cid];
            c.listeners.clear();
            c.kill_at = None;
            let started_at = match c.state {
                ContainerState::Running { started_at } => started_at,
                _ => now,
            };
            let reason = if c.oom {
                "OOMKilled"
            } else if code == 0 {
                "Completed"
            } else {
                "Error"
            };
            c.state =
                ContainerState::Exited { exit_code: code, reason: reason.into(), message: String::new(), started_at, finished_at: now };
            self.events.push(RuntimeEvent::ContainerExited { id: c.id, at: now, exit_code: code, reason: reason.into() });
        }
    }

    /// Earliest due item of container `cid` (process wake or scheduled SIGKILL).
    /// How far process `pid` of container `cid`, in a steady loop, may run on its own: up to the
    /// horizon, and not past anything another process of its pod (which could signal it) or a
    /// stop's SIGKILL is due to do. Other pods' processes cannot reach it: a steady turn reads
    /// nothing, and its log is read by no process.
    pub fn bulk_horizon(&self, cid: usize, pid: u32) -> Millis {
        let mut horizon = self.horizon;
        let sandbox = self.containers[cid].sandbox;
        if self.writers.iter().any(|(c, _)| self.containers[*c].sandbox == sandbox) {
            // A background writer's output takes effect when its pod's processes run: a loop
            // beside it runs turn by turn.
            return 0;
        }
        for (c, container) in self.containers.iter().enumerate() {
            if container.sandbox != sandbox || !matches!(container.state, ContainerState::Running { .. }) {
                continue;
            }
            let wakes = container.procs.values().filter(|p| c != cid || p.pid != pid).filter_map(|p| p.wake);
            for t in wakes.chain(container.kill_at) {
                horizon = horizon.min(t);
            }
        }
        horizon
    }

    /// How far a steady loop of process `pid` that reads the cluster's DNS records may run in
    /// bulk. The records change only when the engine acts: at its next task (the horizon) or
    /// when it hears of a container's exit, which happens at some process's wake-up or a
    /// container's kill time anywhere in the runtime; an exit not yet reported may have made
    /// it act already (so nothing runs ahead then).
    pub fn cluster_horizon(&self, cid: usize, pid: u32) -> Millis {
        if self.events.iter().any(|e| matches!(e, RuntimeEvent::ContainerExited { .. })) {
            return 0;
        }
        let mut horizon = self.bulk_horizon(cid, pid);
        for (c, container) in self.containers.iter().enumerate() {
            if !matches!(container.state, ContainerState::Running { .. }) {
                continue;
            }
            let wakes = container.procs.values().filter(|p| c != cid || p.pid != pid).filter_map(|p| p.wake);
            for t in wakes.chain(container.kill_at) {
                horizon = horizon.min(t);
            }
        }
        horizon
    }

    pub fn next_due(&self, cid: usize) -> Option<(Millis, Option<u32>)> {
        let c = &self.containers[cid];
        if !matches!(c.state, ContainerState::Running { .. }) {
            return None;
        }
        let mut best: Option<(Millis, Option<u32>)> = c.kill_at.map(|t| (t, None));
        for p in c.procs.values() {
            if let Some(w) = p.wake {
                if best.map(|(b, _)| w < b).unwrap_or(true) {
                    best = Some((w, Some(p.pid)));
                }
            }
        }
        best
    }

    /// Run one process subtree (rooted at `root`) on its own until `root` exits or `deadline`.
    pub fn run_subtree(&mut self, cid: usize, root: u32, start: Millis, deadline: Millis) -> (Option<i32>, Millis) {
        self.touch(cid);
        let saved = self.limit;
        self.limit = deadline;
        let mut now = start;
        let result = loop {
            if let Some(z) = self.containers[cid].zombies.get(&root) {
                break Some(z.code);
            }
            if self.budget == 0 {
                break None;
            }
            let c = &self.containers[cid];
            let in_tree = |mut pid: u32| -> bool {
                for _ in 0..64 {
                    if pid == root {
                        return true;
                    }
                    match c.procs.get(&pid) {
                        Some(p) if p.ppid != pid => pid = p.ppid,
                        _ => return false,
                    }
                }
                false
            };
            let next = c.procs.values().filter(|p| p.wake.is_some() && in_tree(p.pid)).map(|p| (p.wake.unwrap(), p.pid)).min();
            let Some((t, pid)) = next else { break None };
            if t > deadline {
                now = deadline;
                break None;
            }
            let t = t.max(now);
            now = t;
            if let Some(p) = self.containers[cid].procs.get_mut(&pid) {
                p.wake = None;
            }
            let end = self.run_process(cid, pid, t);
            now = now.max(end.min(deadline));
        };
        self.limit = saved;
        (result, now)
    }
}

impl ChildWrites {
    fn note(&mut self, cid: usize, out: &Output, data: &[u8], now: Millis) {
        match out {
            Output::Null => {}
            // An empty write changes nothing (`ls` writes its empty listing).
            Output::Log(_) if data.is_empty() => {}
            Output::Log(stream) if cid == self.cid => {
                self.bytes += data.len();
                match std::str::from_utf8(data) {
                    Ok(text) if self.bytes <= MAX_CHILD_BYTES => self.writes.push((now, *stream, text.to_string())),
                    _ => self.unusual = true,
                }
            }
            Output::Pipe(id) => {
                if !self.pipes.contains(id) {
                    self.pipes.push(*id);
                }
            }
            _ => self.unusual = true,
        }
    }
}

pub(crate) fn prog_name(argv: &[String]) -> String {
    argv.first().map(|a| a.rsplit('/').next().unwrap_or(a).to_string()).unwrap_or_default()
}

/// A remembered exec of a pure reader (see `Runtime::pure_reader`).
pub(crate) struct ExecMemo {
    pub generation: u64,
    pub timeout: Option<Millis>,
    pub argv: Vec<String>,
    /// Pids the exec allocated, allocated again on a hit so later pids stay the same.
    pub pids: u32,
    pub outcome: ExecOutcome,
}
