//! `Host` for a process of a container: the bridge from shell/applets to the `World`.

use crate::fs::View;
use crate::io::{Fds, LogWrite, Output};
use crate::programs::{CommandRun, Dial, DialError, DialProtocol, Dialed};
use crate::shell::host::{ForkLimit, Host, HttpReply, ListenInfo, NetError, PortInUse, ProcInfo, SpawnEffect, Spawned};
use crate::shell::vm::Vm;
use crate::types::{BusyboxVersion, Millis};
use crate::world::{Kind, Listener, Process, ServerKind, World};

/// Virtual CPU steps of one write to the container's log (see `HostCtx::write_cost`).
pub(crate) const LOG_WRITE_STEPS: u64 = 20;
/// Steps containerd spends on each further record (line) of one write from a streaming writer:
/// its time stamp and its own write to the log file.
pub(crate) const LOG_LINE_STEPS: u64 = 2;

/// Synchronously nested children (subshell in subshell …) before fork fails.
const MAX_NESTING: u32 = 48;
/// Processes per container (a pids cgroup limit).
const MAX_PROCS: usize = 1024;
/// Pids a steady loop's children may take in bulk, at most (they are never reused).
const MAX_PID: u32 = 1 << 30;

pub(crate) struct HostCtx<'a> {
    pub w: &'a mut World,
    pub cid: usize,
    pub pid: u32,
    pub now: Millis,
    steps: u64,
    /// What the last child did, when it may be repeated (see `spawn`).
    effect: Option<SpawnEffect>,
}

/// A child being watched from its fork on (see `HostCtx::spawn`).
struct ChildWatch {
    /// The parent's clock (in steps) when the spawn began and once the fork was paid.
    start: u64,
    forked: u64,
    reads_outside: u64,
    reads_cluster: u64,
    generation: u64,
    first_pid: u32,
}

impl<'a> HostCtx<'a> {
    pub fn new(w: &'a mut World, cid: usize, pid: u32, now: Millis) -> Self {
        HostCtx { w, cid, pid, now, steps: 0, effect: None }
    }
    fn spm(&self) -> u64 {
        self.w.cfg.steps_per_ms.max(1)
    }
    /// The process's clock in steps.
    fn clock(&self) -> u64 {
        self.now * self.spm() + self.steps
    }
    /// Starts watching a child about to run (once its fork is paid), unless one already is
    /// (a grandchild is part of its parent's effect).
    fn watch_child(&mut self, start: u64) -> Option<ChildWatch> {
        if self.w.child_writes.is_some() {
            return None;
        }
        self.w.child_writes = Some(crate::world::ChildWrites { cid: self.cid, ..Default::default() });
        self.w.clock_reads.set(None);
        Some(ChildWatch {
            start,
            forked: self.clock(),
            reads_outside: self.w.reads_outside.get(),
            reads_cluster: self.w.reads_cluster.get(),
            generation: self.w.fs_generation(self.cid),
            first_pid: self.w.containers[self.cid].next_pid,
        })
    }
    /// What the child did, if it may be repeated: it ran to its end at once, read and changed
    /// nothing outside the container's files, its log and its CPU (so another run from the same
    /// state does exactly the same: see `SpawnEffect`), changed no file, wrote only text to
    /// the log and left no process or zombie but itself, which its parent reaps. The wall
    /// clock it may have read, to the second, if it read one second only: from the same state,
    /// it does the same again while its reads fall in that second (`steady.rs`).
    fn child_effect(&mut self, watch: Option<ChildWatch>, spawned: Spawned) -> Option<SpawnEffect> {
        let watch = watch?;
        let writes = self.w.child_writes.take()?;
        let clock = self.w.clock_reads.take();
        let Spawned::Exited(pid, _) = spawned else { return None };
        let c = &self.w.containers[self.cid];
        let gone = (watch.first_pid..c.next_pid).all(|p| !c.procs.contains_key(&p) && (p == pid || !c.zombies.contains_key(&p)));
        if writes.unusual
            || !gone
            || self.w.reads_outside.get() != watch.reads_outside
            || self.w.fs_generation(self.cid) != watch.generation
            || clock.is_some_and(|r| r.first != r.last)
        {
            return None;
        }
        let spm = self.spm();
        // A child's clock starts at the parent's millisecond with no steps of its own: what it
        // does `k` ms on happens at the millisecond of `forked + k * spm` steps.
        let fork_ms = watch.forked / spm;
        let offset = |at: Millis| watch.forked - watch.start + (at - fork_ms) * spm;
        let log = writes.writes.into_iter().map(|(at, stream, text)| LogWrite { offset_steps: offset(at), stream, text }).collect();
        let exchanges: Vec<_> =
            writes.exchanges.into_iter().map(|(at, x)| crate::shell::host::Exchange { offset_steps: offset(at), ..x }).collect();
        // The routes and servers are the engine's to change, as the DNS records are.
        let cluster = self.w.reads_cluster.get() != watch.reads_cluster || !exchanges.is_empty();
        let clock = clock.map(|r| (r.last, offset(r.last_ms)));
        Some(SpawnEffect {
            steps: self.clock() - watch.start,
            pids: c.next_pid - watch.first_pid,
            writes: log,
            pipes: writes.pipes,
            cluster,
            clock,
            exchanges,
        })
    }
    /// A process going on with `steps` of the millisecond `now` already spent.
    pub fn resume(w: &'a mut World, cid: usize, pid: u32, now: Millis, steps: u64) -> Self {
        HostCtx { w, cid, pid, now, steps, effect: None }
    }
    /// A steady loop of this process finds no room for a bulk before `t` (see `bulk_waits`).
    /// A horizon in this very millisecond (the engine acts at its end: a bulk ends just before
    /// the next task, so the loop comes back in that task's millisecond) lifts at the next one.
    fn wait_for_bulk(&mut self, t: Millis) {
        let until = t.max(self.now + 1);
        if let Some(p) = self.w.containers[self.cid].procs.get_mut(&self.pid) {
            p.bulk_wait = until;
        }
    }
    /// The steps spent in the current millisecond.
    pub fn steps(&self) -> u64 {
        self.steps
    }
    pub fn exhausted(&self) -> bool {
        self.w.budget == 0
    }
    fn sandbox(&self) -> &crate::world::Sandbox {
        &self.w.sandboxes[self.w.containers[self.cid].sandbox]
    }
    fn new_process(&mut self, argv: Vec<String>, env: crate::world::Env, cwd: String, fds: Fds, ppid: u32) -> u32 {
        let pid = self.w.alloc_pid(self.cid);
        self.w.containers[self.cid].procs.insert(
            pid,
            Box::new(Process {
                pid,
                ppid,
                argv,
                kind: Kind::Running,
                fds,
                wake: None,
                env,
                cwd,
                // Only an exec session's root process reports the session's exit status.
                exec: None,
                bulk_wait: 0,
            }),
        );
        pid
    }
    /// fork+exec costs CPU time (0.1 ms of virtual CPU); runaway nesting of synchronously run
    /// children (`f() { (f); }; f`) fails like fork() under a pids limit.
    fn fork_limit(&mut self) -> Option<Spawned> {
        self.charge(100);
        let c = &self.w.containers[self.cid];
        if self.w.depth >= MAX_NESTING {
            return Some(Spawned::NoFork(ForkLimit::Nesting(MAX_NESTING)));
        }
        // A zombie keeps its pid until its parent reaps it, and counts toward a pids limit.
        if c.procs.len() + c.zombies.len() >= MAX_PROCS {
            return Some(Spawned::NoFork(ForkLimit::Processes(MAX_PROCS)));
        }
        None
    }
    /// A connection the Service's routes alone end (`net::service_unreachable`): a read of the
    /// cluster, not of the outside.
    fn service_unreachable(&self, host: &str, port: u16) -> Option<NetError> {
        let e = crate::net::service_unreachable(self.w, host, port)?;
        self.w.read_cluster();
        Some(e)
    }
    fn finish_spawn(&mut self, pid: u32, end: Millis) -> Spawned {
        if let Some(z) = self.w.containers[self.cid].zombies.get(&pid) {
            self.now = self.now.max(end);
            Spawned::Exited(pid, z.code)
        } else {
            Spawned::Running(pid)
        }
    }
}

impl<'a> Host for HostCtx<'a> {
    fn now(&self) -> Millis {
        self.w.outside();
        self.now
    }
    fn wall_secs(&self) -> i64 {
        self.w.read_wall(self.now)
    }
    fn busybox_version(&self) -> BusyboxVersion {
        self.w.containers[self.cid].image.shell_version
    }
    fn gnu(&self) -> bool {
        self.w.containers[self.cid].image.userland == crate::images::Userland::Debian
    }
    fn view(&mut self) -> View<'_> {
        self.w.view(self.cid, self.now)
    }
    /// A write to the container's log costs its syscall and containerd's copy of the line into
    /// the log file (about 20 µs, plus a step per 256 bytes): a shell loop that only echoes
    /// writes some tens of thousands of lines a virtual second, as a real one does, not millions.
    /// (A streaming writer, `writers.rs`, also pays `LOG_LINE_STEPS` for each further record of
    /// a write: `yes` writes 4 KiB, 2,048 lines, at a time.)
    fn write_cost(&self, out: &Output, len: usize) -> u64 {
        match out {
            Output::Log(_) => LOG_WRITE_STEPS + (len / 256) as u64,
            _ => 0,
        }
    }
    /// The line is stamped when the write starts; its cost then moves the process's clock.
    fn write(&mut self, out: &Output, data: &[u8]) {
        self.w.write(self.cid, out, data, self.now);
        let cost = self.write_cost(out, data.len());
        self.charge(cost);
    }
    fn fs_generation(&self) -> u64 {
        self.w.fs_generation(self.cid)
    }
    fn repeat_turns(&mut self, turn: &crate::shell::vm::steady::Turn, limit: u64) -> u64 {
        self.w.outside();
        if !self.w.bulk {
            return 0;
        }
        let spm = self.w.cfg.steps_per_ms.max(1);
        let horizon = if turn.cluster { self.w.cluster_horizon(self.cid, self.pid) } else { self.w.bulk_horizon(self.cid, self.pid) };
        // The turn's requests go where they went and are answered as they were. (A server's
        // standing probes settle before the bulk's lines as they would before each request: up
        // to the engine's point, which stays where it is until the horizon.)
        if !turn.exchanges.is_empty() && !crate::net::exchanges_hold(self.w, &turn.exchanges) {
            return 0;
        }
        if turn.steps == 0 {
            return 0;
        }
        // What the turns make of their writes in the log, given what is unfinished now.
        let start = self.now * spm + self.steps;
        let plan = if turn.writes.is_empty() {
            None
        } else {
            match crate::turn_log::Plan::new(&turn.writes, turn.steps, &self.w.containers[self.cid].partial, start, spm) {
                Some(plan) => Some(plan),
                None => return 0,
            }
        };
        if horizon <= self.now + 1 {
            self.wait_for_bulk(horizon);
            return 0;
        }
        // Turns that end before the horizon, less one: the last ones run as usual and cross it.
        let room = (horizon - self.now) * spm - self.steps;
        let by_room = (room / turn.steps).saturating_sub(1);
        let mut n = by_room.min(limit);
        // What stops the bulk, if it is only a matter of time: then no room until that time.
        let mut lifts = (n == by_room).then_some(horizon);
        // Each turn's children take new pids: as many turns as there are pids left.
        let left = u64::from(MAX_PID.saturating_sub(self.w.containers[self.cid].next_pid));
        if let Some(most) = left.checked_div(turn.pids).filter(|&most| most < n) {
            n = most;
            lifts = None;
        }
        // A turn that read the clock's second reads the same only until the next second: the
        // turns whose last read comes before it.
        // (Its rewrites too: what they stamp on the files is read with the clock.)
        if let Some((secs, offset)) = turn.clock {
            let offset = turn.files.iter().map(|f| f.1).fold(offset, u64::max);
            let next_second = ((secs + 1) * 1000 - self.w.cfg.wall_clock_start * 1000).max(0) as u64;
            let room = (next_second * spm).saturating_sub(self.now * spm + self.steps + offset);
            if room.div_ceil(turn.steps) < n {
                n = room.div_ceil(turn.steps);
                lifts = Some(next_second);
            }
        }
        if n < 2 {
            if let Some(t) = lifts {
                self.wait_for_bulk(t);
            }
            return 0;
        }
        if let Some(plan) = &plan {
            let c = &mut self.w.containers[self.cid];
            plan.emit(&mut c.logs, n);
            for (k, pending) in plan.pending_after(n).into_iter().enumerate() {
                if let Some(p) = pending {
                    c.partial[k] = p;
                }
            }
        }
        // The files the turns rewrote as they were carry the last turn's time (the turns run
        // as usual after a bulk rewrite them again before the horizon; this keeps the bulk
        // the same as the turns on its own).
        let last_turn = self.now * spm + self.steps + (n - 1) * turn.steps;
        for (abs, offset) in &turn.files {
            let _ = self.w.view(self.cid, (last_turn + offset) / spm).touch(abs);
        }
        crate::net::repeat_exchanges(self.w, &turn.exchanges, (self.now, self.steps), turn.steps, n);
        self.steps += n * turn.steps;
        self.now += self.steps / spm;
        self.steps %= spm;
        self.w.containers[self.cid].next_pid += (n * turn.pids) as u32;
        self.w.next_pipe += n * turn.pipes;
        self.w.touch(self.cid);
        n
    }
    fn turn_ended(&mut self) {
        self.w.turns_one_by_one += 1;
    }
    fn bulk_waits(&self) -> bool {
        self.w.containers[self.cid].procs.get(&self.pid).is_some_and(|p| p.bulk_wait > self.now)
    }
    fn pid(&self) -> u32 {
        self.w.outside();
        self.pid
    }
    fn ppid(&self) -> u32 {
        self.w.outside();
        self.w.containers[self.cid].procs.get(&self.pid).map(|p| p.ppid).unwrap_or(0)
    }
    fn hostname(&self) -> String {
        self.sandbox().cfg.hostname.clone()
    }
    fn kernel_release(&self) -> String {
        self.w.cfg.kernel_release.clone()
    }
    fn kernel_version(&self) -> String {
        self.w.cfg.kernel_version.clone()
    }
    fn lookup(&mut self, name: &str, path: &str) -> Result<String, i32> {
        let cwd = self.w.containers[self.cid].procs.get(&self.pid).map(|p| p.cwd.clone()).unwrap_or_else(|| "/".into());
        self.w.lookup(self.cid, name, path, &cwd, self.now)
    }
    fn spawn(&mut self, path: &str, argv: Vec<String>, env: crate::world::Env, cwd: String, fds: Fds) -> Spawned {
        self.effect = None;
        let start = self.clock();
        if let Some(f) = self.fork_limit() {
            return f;
        }
        let watch = self.watch_child(start);
        let pid = self.new_process(argv.clone(), env.clone(), cwd, fds, self.pid);
        self.w.depth += 1;
        let end = self.w.exec_program(self.cid, pid, path, argv, env, self.now);
        self.w.depth -= 1;
        let spawned = self.finish_spawn(pid, end);
        self.effect = self.child_effect(watch, spawned);
        spawned
    }
    fn spawn_shell(&mut self, mut vm: Box<Vm>, _argv: Vec<String>, fds: Fds) -> Spawned {
        self.effect = None;
        let start = self.clock();
        // A forked subshell keeps its parent's command line (what `ps` shows).
        let argv = self.w.containers[self.cid].procs.get(&self.pid).map(|p| p.argv.clone()).unwrap_or(_argv);
        if let Some(f) = self.fork_limit() {
            return f;
        }
        let watch = self.watch_child(start);
        vm.fds = fds.clone();
        let env = vm.environ();
        let cwd = vm.cwd.clone();
        let pid = self.new_process(argv, env.into(), cwd, fds, self.pid);
        if let Some(p) = self.w.containers[self.cid].procs.get_mut(&pid) {
            p.kind = Kind::Shell(vm);
        }
        self.w.depth += 1;
        let end = self.w.run_process(self.cid, pid, self.now);
        self.w.depth -= 1;
        let spawned = self.finish_spawn(pid, end);
        self.effect = self.child_effect(watch, spawned);
        spawned
    }
    fn take_spawn_effect(&mut self) -> Option<SpawnEffect> {
        self.effect.take()
    }
    fn run_to_completion(&mut self, pid: u32) -> Option<i32> {
        self.w.outside();
        let (r, end) = self.w.run_subtree(self.cid, pid, self.now, self.now.saturating_add(86_400_000));
        self.now = self.now.max(end);
        r
    }
    fn reap(&mut self, pid: u32) -> Option<i32> {
        self.w.containers[self.cid].zombies.remove(&pid).map(|z| z.code)
    }
    fn is_alive(&self, pid: u32) -> bool {
        self.w.outside();
        self.w.containers[self.cid].procs.contains_key(&pid)
    }
    fn kill(&mut self, pid: u32, sig: i32) -> bool {
        self.w.outside();
        self.w.signal_process(self.cid, pid, sig, self.now, Some(self.pid))
    }
    fn processes(&self) -> Vec<ProcInfo> {
        self.w.outside();
        self.w.containers[self.cid].procs.values().map(|p| ProcInfo { pid: p.pid, cmdline: p.argv.join(" ") }).collect()
    }
    fn take_pipe(&mut self, id: u64) -> Vec<u8> {
        self.w.outside();
        self.w.pipes.remove(&id).unwrap_or_default()
    }
    fn new_pipe(&mut self) -> u64 {
        self.w.outside();
        self.w.next_pipe += 1;
        self.w.pipes.insert(self.w.next_pipe, Vec::new());
        self.w.next_pipe
    }
    fn charge(&mut self, steps: u64) -> bool {
        self.w.budget = self.w.budget.saturating_sub(steps);
        self.steps += steps;
        let spm = self.w.cfg.steps_per_ms.max(1);
        if self.steps >= spm {
            self.now += self.steps / spm;
            self.steps %= spm;
        }
        self.w.budget > 0 && self.now <= self.w.limit
    }
    fn http_get(&mut self, host: &str, port: u16, path: &str, headers: &[(String, String)]) -> Result<HttpReply, NetError> {
        if let Some(e) = self.service_unreachable(host, port) {
            return Err(e);
        }
        self.w.effect();
        let sb = self.w.containers[self.cid].sandbox;
        let own_ip = self.w.sandboxes[sb].cfg.pod_ip.clone();
        let (target_ip, client_ip) = if host == "127.0.0.1" || host == own_ip {
            (own_ip.clone(), if host == "127.0.0.1" { "127.0.0.1".to_string() } else { own_ip.clone() })
        } else {
            (host.to_string(), own_ip.clone())
        };
        // A watched child's request may be one the same state answers again the same way: part
        // of the child's effect, the server's log line included (not a write of the child's).
        let Some(mut watching) = self.w.child_writes.take() else {
            self.w.outside();
            let r = crate::net::http_request(self.w, &target_ip, port, path, headers, client_ip, self.now)?;
            return Ok(HttpReply { status_line: r.status_line(), status: r.status, headers: r.headers, body: r.body });
        };
        let r = crate::net::http_exchange(self.w, &target_ip, port, path, headers, client_ip, self.now, self.cid);
        match &r {
            Ok((_, Some(exchange))) => watching.exchanges.push((self.now, exchange.clone())),
            _ => self.w.outside(),
        }
        self.w.child_writes = Some(watching);
        let (r, _) = r?;
        Ok(HttpReply { status_line: r.status_line(), status: r.status, headers: r.headers, body: r.body })
    }
    fn tcp_probe(&mut self, host: &str, port: u16) -> Result<(), NetError> {
        if let Some(e) = self.service_unreachable(host, port) {
            return Err(e);
        }
        self.w.outside();
        self.w.effect();
        let sb = self.w.containers[self.cid].sandbox;
        let own_ip = self.w.sandboxes[sb].cfg.pod_ip.clone();
        let ip = if host == "127.0.0.1" { own_ip } else { host.to_string() };
        crate::net::tcp(self.w, &ip, port)
    }
    fn dns_lookup(&self, fqdn: &str) -> Option<String> {
        self.w.read_cluster();
        let f = fqdn.trim_end_matches('.');
        self.w.dns.iter().find(|r| r.name == f).map(|r| r.ip.clone())
    }
    fn dns_lookup_all(&self, fqdn: &str) -> Vec<String> {
        self.w.read_cluster();
        let f = fqdn.trim_end_matches('.');
        self.w.dns.iter().filter(|r| r.name == f).map(|r| r.ip.clone()).collect()
    }
    fn dns_reverse(&self, ip: &str) -> Option<String> {
        self.w.read_cluster();
        self.w.dns.iter().find(|r| r.ip == ip).map(|r| r.name.clone())
    }
    /// The sandbox's address and namespace are fixed for its life: reading them is pure.
    fn pod_ip(&self) -> String {
        self.sandbox().cfg.pod_ip.clone()
    }
    fn namespace(&self) -> String {
        self.sandbox().cfg.namespace.clone()
    }
    fn listeners(&self) -> Vec<ListenInfo> {
        self.w.outside();
        let sb = self.w.containers[self.cid].sandbox;
        let mut out = Vec::new();
        for (i, c) in self.w.containers.iter().enumerate() {
            if c.sandbox != sb {
                continue;
            }
            for l in &c.listeners {
                out.push(ListenInfo {
                    port: l.port,
                    ipv6_wildcard: l.ipv6,
                    pid: l.pid,
                    program: if i == self.cid { l.program.clone() } else { String::new() },
                });
            }
        }
        out
    }
    fn listen_tcp(&mut self, port: u16, program: String) -> Result<(), PortInUse> {
        self.w.outside();
        self.w.effect();
        if crate::net::port_taken(self.w, self.w.containers[self.cid].sandbox, port) {
            return Err(PortInUse);
        }
        self.w.containers[self.cid].listeners.push(Listener { port, pid: self.pid, ipv6: true, program, server: ServerKind::TcpOnly });
        Ok(())
    }
    fn listen_httpd(&mut self, port: u16, home: String, verbose: u8, daemon: bool, argv: Vec<String>) -> Result<(), PortInUse> {
        self.w.outside();
        self.w.effect();
        if crate::net::port_taken(self.w, self.w.containers[self.cid].sandbox, port) {
            return Err(PortInUse);
        }
        let pid = if daemon {
            let (env, cwd) = self.w.containers[self.cid].procs.get(&self.pid).map(|p| (p.env.clone(), p.cwd.clone())).unwrap_or_default();
            let fds = Fds { stdin: crate::io::Input::Null, stdout: Output::Null, stderr: Output::Null };
            let pid = self.new_process(argv, env, cwd, fds, 1);
            if let Some(p) = self.w.containers[self.cid].procs.get_mut(&pid) {
                p.kind = Kind::Forever;
            }
            pid
        } else {
            self.pid
        };
        self.w.containers[self.cid].listeners.push(Listener {
            port,
            pid,
            ipv6: true,
            program: "httpd".into(),
            server: ServerKind::BusyboxHttpd { home, verbose },
        });
        Ok(())
    }
}

/// Sends a request of process `pid` of container `cid` while it answers one
/// (`programs::Behavior::dials`): the name resolved as a program in the pod resolves it (the
/// pod's resolv.conf, `applets::resolve_libc`), an HTTP GET then sent as curl's are
/// (`Host::http_get`: loopback and the pod's own address reach its own listeners).
pub(crate) fn dial(w: &mut World, cid: usize, pid: u32, dial: &Dial, now: Millis) -> Dialed {
    let mut ctx = HostCtx::new(w, cid, pid, now);
    let Some(ip) = crate::applets::resolve_libc(&ctx, &dial.host) else {
        return Err(DialError::NoSuchHost);
    };
    match dial.protocol {
        DialProtocol::Http => {
            ctx.http_get(&ip, dial.port, &dial.request, &dial.headers).map_err(|error| DialError::Net { ip, error, udp_local: None })
        }
        DialProtocol::Udp => {
            ctx.w.outside();
            ctx.w.effect();
            let own_ip = ctx.pod_ip();
            let local_ip = if ip == "127.0.0.1" { ip.clone() } else { own_ip };
            let local_port = crate::net::ephemeral_port(ctx.w, &local_ip, &ip, dial.port, 1);
            let error = crate::net::udp_unanswered(ctx.w, &ip, dial.port);
            Err(DialError::Net { ip, error, udp_local: Some(format!("{local_ip}:{local_port}")) })
        }
    }
}

/// Runs `argv` (its first word a path) as a child of process `pid` of container `cid` to its
/// end, its stdout and stderr into one pipe, as Go's `exec.Command(...).CombinedOutput()` does;
/// the child starts in the process's environment and working directory.
pub(crate) fn run_command(w: &mut World, cid: usize, pid: u32, argv: &[String], now: Millis) -> CommandRun {
    let mut ctx = HostCtx::new(w, cid, pid, now);
    let (env, cwd) = match ctx.w.containers[cid].procs.get(&pid) {
        Some(p) => (p.env.clone(), p.cwd.clone()),
        None => (Default::default(), "/".into()),
    };
    let program = argv.first().cloned().unwrap_or_default();
    let Ok(path) = ctx.lookup(&program, "") else {
        let status = Err(format!("fork/exec {program}: no such file or directory"));
        return CommandRun { output: Vec::new(), status, took: 0 };
    };
    let pipe = ctx.new_pipe();
    let fds = Fds { stdin: crate::io::Input::Null, stdout: Output::Pipe(pipe), stderr: Output::Pipe(pipe) };
    let status = match ctx.spawn(&path, argv.to_vec(), env, cwd, fds) {
        Spawned::Exited(child, code) => {
            ctx.reap(child);
            Some(code)
        }
        Spawned::Running(child) => {
            let code = ctx.run_to_completion(child);
            ctx.reap(child);
            code
        }
        Spawned::Failed(code) => Some(code),
        // fork() refused: EAGAIN at the pids limit; podplay's own nesting bound by its name.
        Spawned::NoFork(limit) => {
            let why = match limit {
                ForkLimit::Processes(_) => format!("fork/exec {program}: resource temporarily unavailable"),
                ForkLimit::Nesting(_) => limit.describe(),
            };
            ctx.take_pipe(pipe);
            return CommandRun { output: Vec::new(), status: Err(why), took: 0 };
        }
    };
    CommandRun { output: ctx.take_pipe(pipe), status: Ok(status), took: ctx.now.saturating_sub(now) }
}
