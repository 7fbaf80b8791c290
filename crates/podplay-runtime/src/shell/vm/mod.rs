//! The ash interpreter as a suspendable machine: an explicit frame stack instead of host
//! recursion, so a process can block (foreground child, `wait`) in the middle of a loop and
//! resume later in `Runtime::advance`.

mod builtins;
mod counters;
mod expand;
pub mod steady;
pub use builtins::is_builtin;

use super::ast::*;
use super::host::{ForkLimit, Host, Spawned};
use super::parse::{ParseError, Parser};
use super::pattern;
use crate::io::{Fds, Input, Output};
use crate::types::BusyboxVersion;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Which shell's message format to use (images.md §1.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dialect {
    pub version: BusyboxVersion,
    /// Running a script file (`sh /s.sh`): errors carry `line N:` counted from 1.
    pub script: bool,
    /// Debian's `/bin/sh` is dash: `sh: 1: foo: not found` (line counted from 1, always shown).
    pub dash: bool,
    /// GNU bash 5.0 (the `bash` package images such as agnhost install): `bash: foo: command not
    /// found`, `bash: line 0: cd: ...`. Only the message frame and the words of the errors below
    /// are bash's; the language is ash's (see `applets::bash`).
    pub bash: bool,
}

impl Dialect {
    /// `ash_vmsg()`: `<arg0>: [<builtin>: ][line N: ]msg`. Line numbers of a `-c` string count
    /// from 1 in 1.28.4 and from 0 later; 1.38 prints `line N:` for every error of a `-c` string.
    pub fn format(&self, arg0: &str, line: u32, builtin: Option<&str>, msg: &str) -> String {
        if self.bash {
            // bash 5.0's `builtin_error` always names the line, `internal_error` only a line
            // past 0; a `-c` string's lines count from 0 (5.1 counts them from 1).
            let line = if self.script { line + 1 } else { line };
            return match builtin {
                Some(b) => format!("{arg0}: line {line}: {b}: {msg}\n"),
                None if line > 0 => format!("{arg0}: line {line}: {msg}\n"),
                None => format!("{arg0}: {msg}\n"),
            };
        }
        if self.dash {
            return match builtin {
                Some(b) => format!("{arg0}: {}: {b}: {msg}\n", line + 1),
                None => format!("{arg0}: {}: {msg}\n", line + 1),
            };
        }
        let mut s = format!("{arg0}: ");
        if let Some(b) = builtin {
            s.push_str(b);
            s.push_str(": ");
        }
        let base = if self.script || self.version == BusyboxVersion::V1_28 { 1 } else { 0 };
        if builtin.is_some() || self.script || self.version >= BusyboxVersion::V1_38 {
            s.push_str(&format!("line {}: ", line + base));
        }
        s.push_str(msg);
        s.push('\n');
        s
    }

    /// A command PATH does not find: ash's `foo: not found`, bash's `foo: command not found`.
    pub fn not_found(&self, name: &str) -> String {
        if self.bash {
            format!("{name}: command not found")
        } else {
            format!("{name}: not found")
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Var {
    name: String,
    /// Shared with the subshells made while it held this value (a fork copies memory lazily:
    /// a subshell of a shell holding a large value costs no copy of it).
    value: Rc<String>,
    exported: bool,
}

#[derive(Clone, Debug)]
enum Frame {
    Run(Rc<Cmd>),
    SeqRest(Rc<Cmd>, usize),
    AndRhs(Rc<Cmd>),
    OrRhs(Rc<Cmd>),
    IfCond(Rc<Cmd>, Option<Rc<Cmd>>),
    LoopAfterCond(Rc<Cmd>, i32),
    LoopAfterBody(Rc<Cmd>),
    ForNext(String, Rc<Vec<String>>, usize, Rc<Cmd>),
    Negate,
    RestoreFds(Box<Fds>),
    FuncReturn(Vec<String>),
    TrapDone(i32),
    /// End of a `.`/`eval` text: nothing to do but marks a boundary for `return`.
    DotDone,
    /// Run the next line of an `eval`/`.` text (own parser).
    EvalLines(Box<Parser>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Wait {
    Fg(u32),
    /// The `wait` builtin: all children, or one pid.
    Builtin(Option<u32>),
}

#[derive(Debug, PartialEq, Eq)]
pub enum VmResult {
    Exited(i32),
    /// Waiting for a child or `wait`.
    Blocked,
    /// Budget for this call is used up; call `run` again later.
    Yield,
    /// Replace this process by a program (ash's exec optimisation or `exec`).
    Exec {
        path: String,
        argv: Vec<String>,
        env: Vec<(String, String)>,
    },
}

/// What a signal does to the shell.
#[derive(Debug, PartialEq, Eq)]
pub enum SigAction {
    Ignore,
    /// A trap is pending; run the shell again.
    Wake,
    Die(i32),
}

#[derive(Clone)]
pub struct Vm {
    pub arg0: String,
    pub positional: Vec<String>,
    vars: Vec<Var>,
    funcs: BTreeMap<String, Rc<Cmd>>,
    traps: BTreeMap<i32, String>,
    pending: Vec<i32>,
    status: i32,
    pub fds: Fds,
    pub cwd: String,
    frames: Vec<Frame>,
    parser: Option<Parser>,
    /// `-c` top level: the last simple command replaces the shell (EV_EXIT).
    pub exit_on_last: bool,
    pub dialect: Dialect,
    line: u32,
    waiting: Option<Wait>,
    last_bg: Option<u32>,
    children: Vec<u32>,
    /// Background jobs reaped by a foreground wait and not yet `wait`ed for: pid and status
    /// (ash keeps them in its job table, `makejob`; the oldest go past [`MAX_DONE_JOBS`]).
    done_jobs: std::collections::VecDeque<(u32, i32)>,
    exiting: Option<i32>,
    /// `$$`: the pid of the top shell (subshells keep it).
    pub shell_pid: u32,
    /// `set -e`, `set -x`, `set -o pipefail`.
    errexit: bool,
    xtrace: bool,
    pipefail: bool,
    /// A command just completed: `set -e` may have to end the shell.
    check_errexit: bool,
    /// With pipefail: the last non-zero status of the earlier stages of the running pipeline.
    pipe_status: i32,
    /// The next step is paid for (see `run_tracked`).
    prepaid: bool,
    /// Where the clock stood when the shell yielded with CPU work left: the millisecond and the
    /// steps spent in it, taken up again if it goes on in that millisecond (`World::run_process`).
    pub(crate) yielded: Option<(crate::types::Millis, u64)>,
    /// The loop being watched for steady turns, and what the host saw (`steady.rs`).
    watch: steady::Watch,
    turns: steady::TurnStats,
    /// Scratch buffers of `simple`, reused from one command to the next (a copy starts empty).
    argv: Option<Box<expand::Argv>>,
    /// `environ()`, kept until an exported variable changes (`vars_changed`).
    env_cache: Option<Rc<Vec<(String, String)>>>,
    scratch: Scratch,
}

/// A string buffer that a copy of the shell does not copy.
#[derive(Default)]
struct Scratch(String);

impl Clone for Scratch {
    fn clone(&self) -> Self {
        Scratch::default()
    }
}

enum Flow {
    Break(u32),
    Continue(u32),
    Return(i32),
}

const IFS_WS: &[char] = &[' ', '\t', '\n'];

/// Frame-stack depth treated as a stack overflow.
const MAX_FRAMES: usize = 20_000;
/// Background jobs' statuses kept for `wait` (ash's job table grows without end when nothing
/// waits; podplay keeps the newest).
const MAX_DONE_JOBS: usize = 1024;

/// ash's variable hash (`hashvar()`, VTABSIZE 39): `env` output lists variables bucket by bucket
/// (images.md §1.5).
pub fn ash_bucket(name: &str) -> u32 {
    let b = name.as_bytes();
    if b.is_empty() {
        return 0;
    }
    let mut h: u32 = (b[0] as u32) << 4;
    for c in b {
        h += *c as u32;
    }
    h % 39
}

impl Vm {
    pub fn new(arg0: &str, env: &[(String, String)], cwd: &str, fds: Fds, dialect: Dialect, shell_pid: u32) -> Vm {
        let mut vm = Vm {
            arg0: arg0.to_string(),
            positional: Vec::new(),
            vars: Vec::new(),
            funcs: BTreeMap::new(),
            traps: BTreeMap::new(),
            pending: Vec::new(),
            status: 0,
            fds,
            cwd: cwd.to_string(),
            frames: Vec::new(),
            parser: None,
            exit_on_last: false,
            dialect,
            line: 0,
            waiting: None,
            last_bg: None,
            children: Vec::new(),
            done_jobs: Default::default(),
            exiting: None,
            shell_pid,
            errexit: false,
            xtrace: false,
            pipefail: false,
            check_errexit: false,
            pipe_status: 0,
            prepaid: false,
            yielded: None,
            watch: Default::default(),
            turns: Default::default(),
            argv: Default::default(),
            scratch: Default::default(),
            env_cache: None,
        };
        for (k, v) in env {
            vm.set_var(k, v);
            vm.export(k);
        }
        // ash_main/init: SHLVL is incremented and exported, PWD set from the cwd.
        let shlvl = vm.get("SHLVL").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0) + 1;
        vm.set_var("SHLVL", &shlvl.to_string());
        vm.export("SHLVL");
        vm.set_var("PWD", cwd);
        vm.export("PWD");
        if vm.get("PATH").is_none() {
            vm.set_var("PATH", "/sbin:/usr/sbin:/bin:/usr/bin");
        }
        vm.set_var("IFS", " \t\n");
        vm.set_var("PS1", "\\w \\$ ");
        vm
    }

    /// Load a script (the `-c` string or a file's text).
    pub fn load(&mut self, src: &str) {
        self.parser = Some(Parser::new(src));
    }

    /// Run one command (a subshell / background job): ash forks with EV_EXIT.
    pub fn subshell_of(&mut self, cmd: Rc<Cmd>) -> Vm {
        // A subshell starts with its own frames and no children or pending signals: these are
        // not copied (the list of children a loop of `x &` grows would be, each turn).
        let frames = std::mem::replace(&mut self.frames, vec![Frame::Run(cmd)]);
        // ash's forkchild frees the job table: a subshell starts with no jobs.
        let children = std::mem::take(&mut self.children);
        let done_jobs = std::mem::take(&mut self.done_jobs);
        let pending = std::mem::take(&mut self.pending);
        let mut vm = self.clone();
        (vm.frames, self.frames) = (std::mem::take(&mut self.frames), frames);
        self.children = children;
        self.done_jobs = done_jobs;
        self.pending = pending;
        vm.parser = None;
        vm.exit_on_last = true;
        vm.waiting = None;
        // Traps are reset in subshells except ignored ones.
        vm.traps.retain(|_, v| v.is_empty());
        vm.watch = Default::default();
        vm.turns = Default::default();
        vm.prepaid = false;
        vm.yielded = None;
        vm
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.var(name).map(str::to_string)
    }

    /// A variable's value, borrowed.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.iter().find(|v| v.name == name).map(|v| v.value.as_str())
    }

    pub fn set_var(&mut self, name: &str, value: &str) {
        if let Some(v) = self.vars.iter_mut().find(|v| v.name == name) {
            // The old value's buffer is reused (unless a subshell still shares it).
            let buf = Rc::make_mut(&mut v.value);
            buf.clear();
            buf.push_str(value);
            if v.exported {
                self.env_cache = None;
            }
        } else {
            self.vars.push(Var { name: name.to_string(), value: Rc::new(value.to_string()), exported: false });
        }
    }

    /// `set_var(name, &value.to_string())` without the string.
    fn set_var_int(&mut self, name: &str, value: i64) {
        use std::fmt::Write;
        if let Some(v) = self.vars.iter_mut().find(|v| v.name == name) {
            let buf = Rc::make_mut(&mut v.value);
            buf.clear();
            let _ = write!(buf, "{value}");
            if v.exported {
                self.env_cache = None;
            }
        } else {
            self.vars.push(Var { name: name.to_string(), value: Rc::new(value.to_string()), exported: false });
        }
    }

    fn export(&mut self, name: &str) {
        if let Some(v) = self.vars.iter_mut().find(|v| v.name == name) {
            v.exported = true;
        }
        self.env_cache = None;
    }

    /// After a change to the variables other than through `set_var` and `export`.
    fn vars_changed(&mut self) {
        self.env_cache = None;
    }

    /// [`Vm::environ`], shared: computed again only after an exported variable changed.
    fn environ_shared(&mut self) -> Rc<Vec<(String, String)>> {
        if let Some(env) = &self.env_cache {
            debug_assert_eq!(**env, self.environ(), "the kept environment is stale");
            return env.clone();
        }
        let env = Rc::new(self.environ());
        self.env_cache = Some(env.clone());
        env
    }

    /// Exported variables in ash's `listvars()` order (hash bucket, then chain order: the
    /// pre-inserted PATH first, then insertion order).
    pub fn environ(&self) -> Vec<(String, String)> {
        let mut items: Vec<(u32, usize, &Var)> = self
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| v.exported)
            .map(|(i, v)| (ash_bucket(&v.name), if v.name == "PATH" { 0 } else { i + 1 }, v))
            .collect();
        podplay_k8s_util::sort::sort_by_key(&mut items, |(b, i, _)| (*b, *i));
        items.into_iter().map(|(_, _, v)| (v.name.clone(), v.value.to_string())).collect()
    }

    pub fn has_traps(&self) -> bool {
        !self.traps.is_empty()
    }

    /// A word grew past [`expand::MAX_VALUE_BYTES`]: busybox's `out of memory` (what ash says
    /// when an allocation fails), with podplay's limit named, and the shell exits 2.
    pub(super) fn out_of_memory(&mut self, h: &mut dyn Host, bytes: usize) -> i32 {
        let msg = format!(
            "out of memory (podplay: a word of {bytes} bytes is past its limit of {} bytes for one shell value)",
            expand::MAX_VALUE_BYTES
        );
        self.err(h, None, &msg);
        self.exiting = Some(2);
        2
    }

    fn err(&self, h: &mut dyn Host, builtin: Option<&str>, msg: &str) {
        let text = self.dialect.format(&self.arg0, self.line, builtin, msg);
        h.write(&self.fds.stderr, text.as_bytes());
    }

    fn syntax_error(&mut self, h: &mut dyn Host, e: ParseError) {
        self.line = e.line;
        let msg = match (self.dialect.dash, e.message.strip_prefix("unexpected ")) {
            // dash: `Syntax error: "then" unexpected`
            (true, Some(tok)) => format!("Syntax error: {tok} unexpected"),
            (true, None) => format!("Syntax error: {}", e.message.replace("unterminated quoted string", "Unterminated quoted string")),
            (false, _) => format!("syntax error: {}", e.message),
        };
        self.err(h, None, &msg);
    }

    /// A signal arrives (from outside or from `kill` inside). `pid1`: the kernel drops signals
    /// PID 1 has no handler for (images.md §1.3).
    pub fn on_signal(&mut self, sig: i32, pid1: bool) -> SigAction {
        if sig == 9 {
            return SigAction::Die(137);
        }
        match self.traps.get(&sig) {
            Some(a) if a.is_empty() => SigAction::Ignore,
            Some(_) => {
                self.pending.push(sig);
                if let Some(Wait::Builtin(_)) = self.waiting {
                    // `wait` is interrupted and returns 128+sig.
                    self.waiting = None;
                    self.status = 128 + sig;
                }
                SigAction::Wake
            }
            None => {
                // A `-c` shell catches SIGINT (setsignal: S_CATCH) and exits 130; SIGQUIT is
                // ignored; SIGTERM has the default action, which PID 1 never gets.
                match sig {
                    2 => SigAction::Die(130),
                    3 | 17 | 28 => SigAction::Ignore,
                    _ if pid1 => SigAction::Ignore,
                    _ => SigAction::Die(128 + sig),
                }
            }
        }
    }

    fn exec_ok(&mut self) -> bool {
        self.exit_on_last
            && self.traps.is_empty()
            && self.frames.iter().all(|f| matches!(f, Frame::RestoreFds(_)))
            && self.parser.as_mut().map(|p| p.at_end()).unwrap_or(true)
    }

    /// Runs until the shell exits, blocks or yields, behind a host that tells steady loops
    /// (`steady.rs`).
    pub fn run(&mut self, h: &mut dyn Host) -> VmResult {
        let mut turns = std::mem::take(&mut self.turns);
        let result = self.run_tracked(&mut steady::Tracked { inner: h, stats: &mut turns });
        self.turns = turns;
        result
    }

    fn run_tracked(&mut self, h: &mut dyn Host) -> VmResult {
        loop {
            if let Some(w) = self.waiting.clone() {
                match w {
                    Wait::Fg(pid) => match h.reap(pid) {
                        Some(code) => {
                            self.status = if self.pipefail && self.pipe_status != 0 && code == 0 { self.pipe_status } else { code };
                            self.pipe_status = 0;
                            self.check_errexit = true;
                            self.children.retain(|c| *c != pid);
                            self.waiting = None;
                            self.reap_background(h);
                        }
                        None => return VmResult::Blocked,
                    },
                    Wait::Builtin(target) => {
                        let alive: Vec<u32> = self.children.iter().copied().filter(|c| h.is_alive(*c)).collect();
                        match target {
                            Some(p) if alive.contains(&p) => return VmResult::Blocked,
                            None if !alive.is_empty() => return VmResult::Blocked,
                            Some(p) => {
                                let done = self.done_jobs.iter().position(|(pid, _)| *pid == p).and_then(|i| self.done_jobs.remove(i));
                                self.status = h.reap(p).or(done.map(|(_, code)| code)).unwrap_or(127);
                            }
                            None => {
                                for c in self.children.clone() {
                                    h.reap(c);
                                }
                                self.done_jobs.clear();
                                self.status = 0;
                            }
                        }
                        self.children.retain(|c| alive.contains(c));
                        self.waiting = None;
                    }
                }
            }
            // A step paid for before a yield (the one that took the clock past the caller's
            // limit) is not paid for again when the shell goes on.
            if !std::mem::take(&mut self.prepaid) && !h.charge(1) {
                self.prepaid = true;
                return VmResult::Yield;
            }
            if !self.pending.is_empty() && self.exiting.is_none() {
                // A signal came from outside: the turn it falls in is like no other.
                if let Some(stats) = h.turn_stats() {
                    stats.disturbed();
                }
                let sig = self.pending.remove(0);
                if let Some(action) = self.traps.get(&sig).cloned() {
                    self.frames.push(Frame::TrapDone(self.status));
                    self.frames.push(Frame::EvalLines(Box::new(Parser::new(&action))));
                    continue;
                }
            }
            if let Some(code) = self.exiting {
                if let Some(action) = self.traps.remove(&0) {
                    self.exiting = None;
                    self.frames.clear();
                    self.parser = None;
                    self.status = code;
                    self.frames.push(Frame::TrapDone(code));
                    self.frames.push(Frame::EvalLines(Box::new(Parser::new(&action))));
                    continue;
                }
                return VmResult::Exited(code & 255);
            }
            if std::mem::take(&mut self.check_errexit) && self.errexit && self.status != 0 && !self.in_condition() && self.exiting.is_none()
            {
                self.exiting = Some(self.status);
                continue;
            }
            if self.frames.len() > MAX_FRAMES {
                // Runaway recursion (`f() { f; }; f`): ash overflows its C stack and the kernel
                // kills it with SIGSEGV.
                return VmResult::Exited(139);
            }
            let frame = match self.frames.pop() {
                Some(f) => f,
                None => {
                    let next = self.parser.as_mut().map(|p| p.next_line());
                    match next {
                        None | Some(Ok(None)) => {
                            self.exiting = Some(self.status);
                            continue;
                        }
                        Some(Ok(Some((cmd, _line)))) => {
                            self.frames.push(Frame::Run(cmd));
                            continue;
                        }
                        Some(Err(e)) => {
                            self.syntax_error(h, e);
                            self.exiting = Some(2);
                            continue;
                        }
                    }
                }
            };
            if let Some(r) = self.step(h, frame) {
                return r;
            }
        }
    }

    fn step(&mut self, h: &mut dyn Host, frame: Frame) -> Option<VmResult> {
        match frame {
            Frame::Run(cmd) => return self.exec_cmd(h, cmd),
            Frame::SeqRest(node, idx) => {
                if let Cmd::Seq(items) = &*node {
                    if idx + 1 < items.len() {
                        self.frames.push(Frame::SeqRest(node.clone(), idx + 1));
                    }
                    let (c, bg) = &items[idx];
                    if *bg {
                        self.background(h, c.clone());
                    } else {
                        self.frames.push(Frame::Run(c.clone()));
                    }
                }
            }
            Frame::AndRhs(r) => {
                if self.status == 0 {
                    self.frames.push(Frame::Run(r));
                }
            }
            Frame::OrRhs(r) => {
                if self.status != 0 {
                    self.frames.push(Frame::Run(r));
                }
            }
            Frame::IfCond(then, otherwise) => {
                if self.status == 0 {
                    self.frames.push(Frame::Run(then));
                } else if let Some(o) = otherwise {
                    self.frames.push(Frame::Run(o));
                } else {
                    self.status = 0;
                }
            }
            Frame::LoopAfterCond(node, last) => {
                if let Cmd::Loop { body, until, .. } = &*node {
                    if (self.status == 0) != *until {
                        self.frames.push(Frame::LoopAfterBody(node.clone()));
                        self.frames.push(Frame::Run(body.clone()));
                    } else {
                        self.status = last;
                    }
                }
            }
            Frame::LoopAfterBody(node) => {
                self.end_of_turn(h, &node);
                if let Cmd::Loop { cond, .. } = &*node {
                    let st = self.status;
                    self.frames.push(Frame::LoopAfterCond(node.clone(), st));
                    self.frames.push(Frame::Run(cond.clone()));
                }
            }
            Frame::ForNext(var, items, idx, body) => {
                if idx < items.len() {
                    self.set_var(&var, &items[idx]);
                    self.frames.push(Frame::ForNext(var, items.clone(), idx + 1, body.clone()));
                    self.frames.push(Frame::Run(body));
                }
            }
            Frame::Negate => self.status = if self.status == 0 { 1 } else { 0 },
            Frame::RestoreFds(f) => self.fds = *f,
            Frame::FuncReturn(saved) => self.positional = saved,
            Frame::TrapDone(st) => {
                if self.exiting.is_none() {
                    self.status = st;
                }
            }
            Frame::DotDone => {}
            Frame::EvalLines(mut p) => match p.next_line() {
                Ok(None) => {}
                Ok(Some((cmd, _))) => {
                    self.frames.push(Frame::EvalLines(p));
                    self.frames.push(Frame::Run(cmd));
                }
                Err(e) => {
                    self.syntax_error(h, e);
                    self.exiting = Some(2);
                }
            },
        }
        None
    }

    fn unwind(&mut self, flow: Flow) {
        match flow {
            Flow::Break(n) | Flow::Continue(n) => {
                let is_break = matches!(flow, Flow::Break(_));
                let mut left = n.max(1);
                while let Some(f) = self.frames.pop() {
                    match f {
                        Frame::RestoreFds(fds) => self.fds = *fds,
                        Frame::FuncReturn(saved) => {
                            self.positional = saved;
                            return;
                        }
                        Frame::LoopAfterBody(_) | Frame::ForNext(..) => {
                            left -= 1;
                            if left == 0 {
                                if !is_break {
                                    self.frames.push(f);
                                }
                                self.status = 0;
                                return;
                            }
                        }
                        _ => {}
                    }
                }
            }
            Flow::Return(code) => {
                while let Some(f) = self.frames.pop() {
                    match f {
                        Frame::RestoreFds(fds) => self.fds = *fds,
                        Frame::FuncReturn(saved) => {
                            self.positional = saved;
                            break;
                        }
                        Frame::DotDone => break,
                        _ => {}
                    }
                }
                self.status = code;
            }
        }
    }

    fn background(&mut self, h: &mut dyn Host, cmd: Rc<Cmd>) {
        let mut child = self.subshell_of(cmd.clone());
        child.fds.stdin = Input::Null;
        let argv = vec![self.arg0.clone()];
        match h.spawn_shell(Box::new(child), argv, self.fds.clone()) {
            Spawned::Exited(pid, _) | Spawned::Running(pid) => {
                self.last_bg = Some(pid);
                self.children.push(pid);
            }
            Spawned::Failed(_) => {}
            Spawned::NoFork(limit) => {
                self.cant_fork(h, limit);
                return;
            }
        }
        self.status = 0;
    }

    /// fork() failed: ash's `forkshell` raises `can't fork`, which ends a non-interactive
    /// shell with status 2 (dash: `Cannot fork`). The message names podplay's limit.
    fn cant_fork(&mut self, h: &mut dyn Host, limit: ForkLimit) -> i32 {
        let text = if self.dialect.dash { "Cannot fork" } else { "can't fork: Resource temporarily unavailable" };
        self.err(h, None, &format!("{text} ({})", limit.describe()));
        self.exiting = Some(2);
        self.status = 2;
        2
    }

    /// A foreground child was reaped: ash's wait loop goes on with `waitpid(-1, WNOHANG)` and
    /// reaps every background child that has exited by then, keeping its status for `wait`.
    fn reap_fg(&mut self, h: &mut dyn Host, pid: u32) -> Option<i32> {
        let code = h.reap(pid);
        self.reap_background(h);
        code
    }

    fn reap_background(&mut self, h: &mut dyn Host) {
        if self.children.is_empty() {
            return;
        }
        let reaped = h.reap_exited(&self.children);
        if reaped.is_empty() {
            return;
        }
        self.children.retain(|c| !reaped.iter().any(|(p, _)| p == c));
        for job in reaped {
            if self.done_jobs.len() == MAX_DONE_JOBS {
                self.done_jobs.pop_front();
            }
            self.done_jobs.push_back(job);
        }
    }

    fn exec_cmd(&mut self, h: &mut dyn Host, cmd: Rc<Cmd>) -> Option<VmResult> {
        match &*cmd {
            Cmd::Simple { assigns, words, redirs, line } => {
                self.line = *line;
                if self.xtrace {
                    self.trace(h, words);
                }
                let r = self.simple(h, assigns, words, redirs);
                if self.waiting.is_none() {
                    self.check_errexit = true;
                }
                return r;
            }
            Cmd::Seq(_) => self.frames.push(Frame::SeqRest(cmd.clone(), 0)),
            Cmd::And(l, r) => {
                self.frames.push(Frame::AndRhs(r.clone()));
                self.frames.push(Frame::Run(l.clone()));
            }
            Cmd::Or(l, r) => {
                self.frames.push(Frame::OrRhs(r.clone()));
                self.frames.push(Frame::Run(l.clone()));
            }
            Cmd::Pipeline { cmds, bang } => {
                if *bang {
                    self.frames.push(Frame::Negate);
                }
                if cmds.len() == 1 {
                    self.frames.push(Frame::Run(cmds[0].clone()));
                } else {
                    return self.pipeline(h, cmds);
                }
            }
            Cmd::If { cond, then, otherwise } => {
                self.frames.push(Frame::IfCond(then.clone(), otherwise.clone()));
                self.frames.push(Frame::Run(cond.clone()));
            }
            Cmd::Loop { cond, .. } => {
                self.frames.push(Frame::LoopAfterCond(cmd.clone(), 0));
                self.frames.push(Frame::Run(cond.clone()));
            }
            Cmd::For { var, words, body } => {
                let items = match words {
                    Some(ws) => match self.expand_words(h, ws) {
                        Ok(v) => v,
                        Err(code) => {
                            self.exiting = Some(code);
                            return None;
                        }
                    },
                    None => self.positional.clone(),
                };
                self.status = 0;
                self.frames.push(Frame::ForNext(var.clone(), Rc::new(items), 0, body.clone()));
            }
            Cmd::Case { word, arms } => {
                let subject = match self.expand_single(h, word) {
                    Ok(s) => s,
                    Err(c) => {
                        self.exiting = Some(c);
                        return None;
                    }
                };
                self.status = 0;
                for (pats, body) in arms {
                    for p in pats {
                        let pat = self.expand_pattern(h, p);
                        if pattern::matches(&pat, &subject) {
                            if let Some(b) = body {
                                self.frames.push(Frame::Run(b.clone()));
                            }
                            return None;
                        }
                    }
                }
            }
            Cmd::Group(body) => self.frames.push(Frame::Run(body.clone())),
            // ash evalsubshell: the last command of a `-c` string needs no fork (EV_EXIT).
            Cmd::Subshell(body) if self.exec_ok() => self.frames.push(Frame::Run(body.clone())),
            Cmd::Subshell(body) => {
                let child = self.subshell_of(body.clone());
                let argv = vec![self.arg0.clone()];
                match h.spawn_shell(Box::new(child), argv, self.fds.clone()) {
                    Spawned::Exited(pid, code) => {
                        self.reap_fg(h, pid);
                        self.status = code;
                    }
                    Spawned::Running(pid) => {
                        self.children.push(pid);
                        self.waiting = Some(Wait::Fg(pid));
                    }
                    Spawned::Failed(code) => self.status = code,
                    Spawned::NoFork(limit) => {
                        self.cant_fork(h, limit);
                    }
                }
            }
            Cmd::FuncDef { name, body } => {
                self.funcs.insert(name.clone(), body.clone());
                self.status = 0;
            }
            Cmd::Redirected { cmd: inner, redirs } => {
                let saved = self.fds.clone();
                match self.apply_redirs(h, redirs) {
                    Ok(()) => {
                        self.frames.push(Frame::RestoreFds(Box::new(saved)));
                        self.frames.push(Frame::Run(inner.clone()));
                    }
                    Err(()) => {
                        self.fds = saved;
                        self.status = 1;
                    }
                }
            }
        }
        None
    }

    /// Pipeline stages run one after another: each stage but the last runs to completion with
    /// its output collected, then feeds the next stage's stdin.
    fn pipeline(&mut self, h: &mut dyn Host, cmds: &[Rc<Cmd>]) -> Option<VmResult> {
        let mut input = self.fds.stdin.clone();
        let n = cmds.len();
        // pipefail: the rightmost non-zero status of the earlier stages.
        let mut earlier = 0;
        for (i, c) in cmds.iter().enumerate() {
            let mut child = self.subshell_of(c.clone());
            child.fds.stdin = input.clone();
            let last = i + 1 == n;
            let pipe = if last { None } else { Some(h.new_pipe()) };
            if let Some(p) = pipe {
                child.fds.stdout = Output::Pipe(p);
            }
            let argv = vec![self.arg0.clone()];
            let fds = child.fds.clone();
            let spawned = h.spawn_shell(Box::new(child), argv, fds);
            let combine = |pipefail: bool, earlier: i32, code: i32| {
                if pipefail && code == 0 {
                    earlier
                } else {
                    code
                }
            };
            match (spawned, last) {
                (Spawned::Exited(pid, code), true) => {
                    self.reap_fg(h, pid);
                    self.status = combine(self.pipefail, earlier, code);
                }
                (Spawned::Running(pid), true) => {
                    self.children.push(pid);
                    self.pipe_status = earlier;
                    self.waiting = Some(Wait::Fg(pid));
                }
                (Spawned::Failed(code), true) => self.status = combine(self.pipefail, earlier, code),
                (Spawned::NoFork(limit), _) => {
                    self.cant_fork(h, limit);
                    return None;
                }
                (Spawned::Exited(pid, code), false) => {
                    self.reap_fg(h, pid);
                    if code != 0 {
                        earlier = code;
                    }
                }
                (Spawned::Running(pid), false) => {
                    let code = h.run_to_completion(pid).unwrap_or(0);
                    self.reap_fg(h, pid);
                    if code != 0 {
                        earlier = code;
                    }
                }
                (Spawned::Failed(code), false) => earlier = code,
            }
            if let Some(p) = pipe {
                input = Input::Data(Rc::new(h.take_pipe(p)));
            }
        }
        if self.waiting.is_none() {
            self.check_errexit = true;
        }
        None
    }

    /// Apply redirections to `self.fds`. On failure prints ash's message (`can't create X:
    /// nonexistent directory`, `can't open X: no such file`) and returns Err.
    fn apply_redirs(&mut self, h: &mut dyn Host, redirs: &[Redir]) -> Result<(), ()> {
        for r in redirs {
            if let RedirKind::HereDoc(body, expand) = &r.kind {
                let text = if *expand { self.expand_heredoc(h, body) } else { body.clone() };
                if r.fd == 0 {
                    self.fds.stdin = Input::Data(Rc::new(text.into_bytes()));
                }
                continue;
            }
            let target = match self.expand_single(h, &r.target) {
                Ok(t) => t,
                Err(_) => return Err(()),
            };
            match r.kind {
                RedirKind::Dup => {
                    if target == "-" {
                        self.fds.set(r.fd, Output::Null);
                    } else if let Ok(n) = target.parse::<u32>() {
                        if r.fd == 0 {
                            continue;
                        }
                        if let Some(o) = self.fds.get(n) {
                            self.fds.set(r.fd, o)
                        }
                    }
                }
                RedirKind::Out | RedirKind::Append => {
                    let out = match target.as_str() {
                        "/dev/null" => Output::Null,
                        "/dev/stdout" => self.fds.stdout.clone(),
                        "/dev/stderr" => self.fds.stderr.clone(),
                        _ => {
                            let abs = crate::fs::normalize(&self.cwd, &target);
                            let append = r.kind == RedirKind::Append;
                            if let Err(e) = h.open_for_write(&abs, append) {
                                let msg = match (self.dialect.dash, e) {
                                    // bash: `bash: /nope/f: No such file or directory`
                                    (false, e) if self.dialect.bash => format!("{target}: {}", e.strerror()),
                                    (false, crate::fs::FsError::NotFound) => {
                                        format!("can't create {target}: nonexistent directory")
                                    }
                                    (false, e) => {
                                        format!("can't create {target}: {}", e.strerror())
                                    }
                                    (true, crate::fs::FsError::NotFound) => {
                                        format!("cannot create {target}: Directory nonexistent")
                                    }
                                    (true, e) => {
                                        format!("cannot create {target}: {}", e.strerror())
                                    }
                                };
                                self.err(h, None, &msg);
                                return Err(());
                            }
                            Output::File(abs)
                        }
                    };
                    self.fds.set(r.fd, out);
                }
                RedirKind::In => {
                    let abs = crate::fs::normalize(&self.cwd, &target);
                    let data = if target == "/dev/null" { Ok(Vec::new()) } else { h.view().read(&abs) };
                    match data {
                        Ok(d) => {
                            if r.fd == 0 {
                                self.fds.stdin = Input::Data(Rc::new(d));
                            }
                        }
                        Err(e) => {
                            let msg = match (self.dialect.dash, e) {
                                (false, e) if self.dialect.bash => format!("{target}: {}", e.strerror()),
                                (false, crate::fs::FsError::NotFound) => {
                                    format!("can't open {target}: no such file")
                                }
                                (false, e) => format!("can't open {target}: {}", e.strerror()),
                                (true, crate::fs::FsError::NotFound) => {
                                    format!("cannot open {target}: No such file")
                                }
                                (true, e) => format!("cannot open {target}: {}", e.strerror()),
                            };
                            self.err(h, None, &msg);
                            return Err(());
                        }
                    }
                }
                RedirKind::HereDoc(..) => {}
            }
        }
        Ok(())
    }

    fn simple(&mut self, h: &mut dyn Host, assigns: &[(String, Word)], words: &[Word], redirs: &[Redir]) -> Option<VmResult> {
        if words.is_empty() && redirs.is_empty() && assigns.len() == 1 {
            return self.assignment(h, &assigns[0]);
        }
        // The fields go into the shell's reused buffer, taken out while the command runs.
        let mut argv = self.argv.take().unwrap_or_default();
        let r = self.simple_with(h, assigns, words, redirs, &mut argv);
        self.argv = Some(argv);
        r
    }

    /// `NAME=WORD` alone (what `simple` does with one assignment, no words and no
    /// redirections), expanded into a reused buffer.
    fn assignment(&mut self, h: &mut dyn Host, (name, w): &(String, Word)) -> Option<VmResult> {
        let mut buf = std::mem::take(&mut self.scratch.0);
        buf.clear();
        let r = self.expand_single_into(h, w, &mut buf);
        if r.is_ok() {
            self.set_var(name, &buf);
        }
        self.scratch.0 = buf;
        match r {
            Ok(()) => {
                // `$?` keeps a command substitution's status, else 0.
                if !w.iter().any(|p| matches!(p, WordPart::CmdSub(_))) {
                    self.status = 0;
                }
            }
            Err(code) => self.exiting = Some(code),
        }
        None
    }

    fn simple_with(
        &mut self,
        h: &mut dyn Host,
        assigns: &[(String, Word)],
        words: &[Word],
        redirs: &[Redir],
        argv: &mut expand::Argv,
    ) -> Option<VmResult> {
        if let Err(code) = self.expand_words_into(h, words, argv) {
            self.exiting = Some(code);
            return None;
        }
        let argv = argv.as_slice();
        let mut assigned = Vec::new();
        for (name, w) in assigns {
            match self.expand_single(h, w) {
                Ok(v) => assigned.push((name.clone(), v)),
                Err(code) => {
                    self.exiting = Some(code);
                    return None;
                }
            }
        }
        // The descriptors to restore after the command: none when it has no redirections
        // (they stay as they are; only `read` changes them, and keeps what it consumed), but
        // for `break`, `continue` and `return`, whose unwinding may restore a block's
        // descriptors, which the command's own then replace (as they always have).
        let unwinds = argv.first().is_some_and(|a| matches!(a.as_str(), "break" | "continue" | "return"));
        let saved = (!redirs.is_empty() || unwinds).then(|| self.fds.clone());
        if self.apply_redirs(h, redirs).is_err() {
            self.restore(saved);
            self.status = if self.dialect.dash { 2 } else { 1 };
            return None;
        }
        if argv.is_empty() {
            for (k, v) in assigned {
                self.set_var(&k, &v);
            }
            self.restore(saved);
            if assigns.is_empty() || !words.iter().flatten().any(|p| matches!(p, WordPart::CmdSub(_))) {
                // `$?` keeps a command substitution's status, else 0.
                if !assigns.iter().any(|(_, w)| w.iter().any(|p| matches!(p, WordPart::CmdSub(_)))) {
                    self.status = 0;
                }
            }
            return None;
        }
        let name = argv[0].as_str();
        // functions
        if let Some(body) = self.funcs.get(name).cloned() {
            let saved_pos = std::mem::replace(&mut self.positional, argv[1..].to_vec());
            let saved = saved.unwrap_or_else(|| self.fds.clone());
            self.frames.push(Frame::RestoreFds(Box::new(saved)));
            self.frames.push(Frame::FuncReturn(saved_pos));
            self.frames.push(Frame::Run(body));
            return None;
        }
        if let Some(res) = self.builtin(h, argv, &assigned) {
            // `exec` without a command keeps its redirections; `read` keeps what it consumed.
            if !(name == "exec" && argv.len() == 1) {
                if let Some(saved) = saved {
                    let consumed = self.fds.stdin.clone();
                    self.fds = saved;
                    if name == "read" && !redirs.iter().any(|r| r.fd == 0) {
                        self.fds.stdin = consumed;
                    }
                }
            }
            return res;
        }
        // external command
        let path_var = assigned.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).or_else(|| self.get("PATH")).unwrap_or_default();
        let path = match h.lookup(name, &path_var) {
            Ok(p) => p,
            Err(code) => {
                let msg = if code == 127 { self.dialect.not_found(name) } else { format!("{name}: Permission denied") };
                self.err(h, None, &msg);
                self.status = code;
                self.restore(saved);
                return None;
            }
        };
        let mut env = self.environ_shared();
        if !assigned.is_empty() {
            let env = Rc::make_mut(&mut env);
            for (k, v) in &assigned {
                if let Some(e) = env.iter_mut().find(|(ek, _)| ek == k) {
                    e.1 = v.clone();
                } else {
                    env.push((k.clone(), v.clone()));
                }
            }
        }
        let argv = argv.to_vec();
        if self.exec_ok() {
            let env = Rc::try_unwrap(env).unwrap_or_else(|env| (*env).clone());
            return Some(VmResult::Exec { path, argv, env });
        }
        let fds = self.fds.clone();
        self.restore(saved);
        match h.spawn(&path, argv, env, self.cwd.clone(), fds) {
            Spawned::Exited(pid, code) => {
                self.reap_fg(h, pid);
                self.status = code;
            }
            Spawned::Running(pid) => {
                self.children.push(pid);
                self.waiting = Some(Wait::Fg(pid));
            }
            Spawned::Failed(code) => self.status = code,
            Spawned::NoFork(limit) => {
                self.cant_fork(h, limit);
            }
        }
        None
    }

    fn restore(&mut self, saved: Option<Fds>) {
        if let Some(fds) = saved {
            self.fds = fds;
        }
    }

    /// Inside the condition of if/while/until, the left side of && / ||, or after `!`: `set -e`
    /// does not apply there.
    fn in_condition(&self) -> bool {
        self.frames
            .iter()
            .any(|f| matches!(f, Frame::IfCond(..) | Frame::LoopAfterCond(..) | Frame::AndRhs(_) | Frame::OrRhs(_) | Frame::Negate))
    }

    /// `set -x`: `+ cmd args` on stderr, words quoted like ash does when needed.
    fn trace(&mut self, h: &mut dyn Host, words: &[Word]) {
        let mut probe = self.clone();
        probe.fds.stdout = Output::Null;
        let fields = match words.iter().all(|w| w.iter().all(|p| !matches!(p, WordPart::CmdSub(_)))) {
            true => probe.expand_words(h, words).unwrap_or_default(),
            false => return,
        };
        let quoted: Vec<String> = fields
            .iter()
            .map(|f| {
                if !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || "/._-=:,+@%".contains(c)) {
                    f.clone()
                } else {
                    format!("'{}'", f.replace('\'', "'\"'\"'"))
                }
            })
            .collect();
        h.write(&self.fds.stderr, format!("+ {}\n", quoted.join(" ")).as_bytes());
    }

    pub fn status(&self) -> i32 {
        self.status
    }
}
