//! The ash interpreter as a suspendable machine: an explicit frame stack instead of host
//! recursion, so a process can block (foreground child, `wait`) in the middle of a loop and
//! resume later in `Runtime::advance`.

use super::ast::*;
use super::host::{Host, Spawned};
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
}

impl Dialect {
    /// `ash_vmsg()`: `<arg0>: [<builtin>: ][line N: ]msg`. Line numbers of a `-c` string count
    /// from 1 in 1.28.4 and from 0 later; 1.38 prints `line N:` for every error of a `-c` string.
    pub fn format(&self, arg0: &str, line: u32, builtin: Option<&str>, msg: &str) -> String {
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
        let base = if self.script || self.version == BusyboxVersion::V1_28 {
            1
        } else {
            0
        };
        if builtin.is_some() || self.script || self.version >= BusyboxVersion::V1_38 {
            s.push_str(&format!("line {}: ", line + base));
        }
        s.push_str(msg);
        s.push('\n');
        s
    }
}

#[derive(Clone, Debug)]
struct Var {
    name: String,
    value: String,
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
    exiting: Option<i32>,
    /// `$$`: the pid of the top shell (subshells keep it).
    pub shell_pid: u32,
}

enum Flow {
    Break(u32),
    Continue(u32),
    Return(i32),
}

const IFS_WS: &[char] = &[' ', '\t', '\n'];

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
    pub fn new(
        arg0: &str,
        env: &[(String, String)],
        cwd: &str,
        fds: Fds,
        dialect: Dialect,
        shell_pid: u32,
    ) -> Vm {
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
            exiting: None,
            shell_pid,
        };
        for (k, v) in env {
            vm.set_var(k, v);
            vm.export(k);
        }
        // ash_main/init: SHLVL is incremented and exported, PWD set from the cwd.
        let shlvl = vm
            .get("SHLVL")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
            + 1;
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
    pub fn subshell_of(&self, cmd: Rc<Cmd>) -> Vm {
        let mut vm = self.clone();
        vm.parser = None;
        vm.frames = vec![Frame::Run(cmd)];
        vm.exit_on_last = true;
        vm.waiting = None;
        vm.children.clear();
        vm.pending.clear();
        // Traps are reset in subshells except ignored ones.
        vm.traps.retain(|_, v| v.is_empty());
        vm
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.vars
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.value.clone())
    }

    pub fn set_var(&mut self, name: &str, value: &str) {
        if let Some(v) = self.vars.iter_mut().find(|v| v.name == name) {
            v.value = value.to_string();
        } else {
            self.vars.push(Var {
                name: name.to_string(),
                value: value.to_string(),
                exported: false,
            });
        }
    }

    fn export(&mut self, name: &str) {
        if let Some(v) = self.vars.iter_mut().find(|v| v.name == name) {
            v.exported = true;
        }
    }

    /// Exported variables in ash's `listvars()` order (hash bucket, then chain order: the
    /// pre-inserted PATH first, then insertion order).
    pub fn environ(&self) -> Vec<(String, String)> {
        let mut items: Vec<(u32, usize, &Var)> = self
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| v.exported)
            .map(|(i, v)| {
                (
                    ash_bucket(&v.name),
                    if v.name == "PATH" { 0 } else { i + 1 },
                    v,
                )
            })
            .collect();
        items.sort_by_key(|(b, i, _)| (*b, *i));
        items
            .into_iter()
            .map(|(_, _, v)| (v.name.clone(), v.value.clone()))
            .collect()
    }

    pub fn has_traps(&self) -> bool {
        !self.traps.is_empty()
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
            (true, None) => format!(
                "Syntax error: {}",
                e.message
                    .replace("unterminated quoted string", "Unterminated quoted string")
            ),
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
            && self
                .frames
                .iter()
                .all(|f| matches!(f, Frame::RestoreFds(_)))
            && self.parser.as_mut().map(|p| p.at_end()).unwrap_or(true)
    }

    pub fn run(&mut self, h: &mut dyn Host) -> VmResult {
        loop {
            if let Some(w) = self.waiting.clone() {
                match w {
                    Wait::Fg(pid) => match h.reap(pid) {
                        Some(code) => {
                            self.status = code;
                            self.children.retain(|c| *c != pid);
                            self.waiting = None;
                        }
                        None => return VmResult::Blocked,
                    },
                    Wait::Builtin(target) => {
                        let alive: Vec<u32> = self
                            .children
                            .iter()
                            .copied()
                            .filter(|c| h.is_alive(*c))
                            .collect();
                        match target {
                            Some(p) if alive.contains(&p) => return VmResult::Blocked,
                            None if !alive.is_empty() => return VmResult::Blocked,
                            Some(p) => {
                                self.status = h.reap(p).unwrap_or(127);
                            }
                            None => {
                                for c in self.children.clone() {
                                    h.reap(c);
                                }
                                self.status = 0;
                            }
                        }
                        self.children.retain(|c| alive.contains(c));
                        self.waiting = None;
                    }
                }
            }
            if !h.charge(1) {
                return VmResult::Yield;
            }
            if !self.pending.is_empty() && self.exiting.is_none() {
                let sig = self.pending.remove(0);
                if let Some(action) = self.traps.get(&sig).cloned() {
                    self.frames.push(Frame::TrapDone(self.status));
                    self.frames
                        .push(Frame::EvalLines(Box::new(Parser::new(&action))));
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
                    self.frames
                        .push(Frame::EvalLines(Box::new(Parser::new(&action))));
                    continue;
                }
                return VmResult::Exited(code & 255);
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
                if let Cmd::Loop { cond, .. } = &*node {
                    let st = self.status;
                    self.frames.push(Frame::LoopAfterCond(node.clone(), st));
                    self.frames.push(Frame::Run(cond.clone()));
                }
            }
            Frame::ForNext(var, items, idx, body) => {
                if idx < items.len() {
                    self.set_var(&var, &items[idx]);
                    self.frames
                        .push(Frame::ForNext(var, items.clone(), idx + 1, body.clone()));
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
        }
        self.status = 0;
    }

    fn exec_cmd(&mut self, h: &mut dyn Host, cmd: Rc<Cmd>) -> Option<VmResult> {
        match &*cmd {
            Cmd::Simple {
                assigns,
                words,
                redirs,
                line,
            } => {
                self.line = *line;
                return self.simple(h, assigns, words, redirs);
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
            Cmd::If {
                cond,
                then,
                otherwise,
            } => {
                self.frames
                    .push(Frame::IfCond(then.clone(), otherwise.clone()));
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
                self.frames
                    .push(Frame::ForNext(var.clone(), Rc::new(items), 0, body.clone()));
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
            Cmd::Subshell(body) => {
                let child = self.subshell_of(body.clone());
                let argv = vec![self.arg0.clone()];
                match h.spawn_shell(Box::new(child), argv, self.fds.clone()) {
                    Spawned::Exited(pid, code) => {
                        h.reap(pid);
                        self.status = code;
                    }
                    Spawned::Running(pid) => {
                        self.children.push(pid);
                        self.waiting = Some(Wait::Fg(pid));
                    }
                    Spawned::Failed(code) => self.status = code,
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
            match (spawned, last) {
                (Spawned::Exited(pid, code), true) => {
                    h.reap(pid);
                    self.status = code;
                }
                (Spawned::Running(pid), true) => {
                    self.children.push(pid);
                    self.waiting = Some(Wait::Fg(pid));
                }
                (Spawned::Failed(code), true) => self.status = code,
                (Spawned::Exited(pid, _), false) => {
                    h.reap(pid);
                }
                (Spawned::Running(pid), false) => {
                    h.run_to_completion(pid);
                    h.reap(pid);
                }
                (Spawned::Failed(_), false) => {}
            }
            if let Some(p) = pipe {
                input = Input::Data(Rc::new(h.take_pipe(p)));
            }
        }
        None
    }

    /// Apply redirections to `self.fds`. On failure prints ash's message (`can't create X:
    /// nonexistent directory`, `can't open X: no such file`) and returns Err.
    fn apply_redirs(&mut self, h: &mut dyn Host, redirs: &[Redir]) -> Result<(), ()> {
        for r in redirs {
            if let RedirKind::HereDoc(body, expand) = &r.kind {
                let text = if *expand {
                    self.expand_heredoc(h, body)
                } else {
                    body.clone()
                };
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
                            let res = {
                                let mut v = h.view();
                                if append && v.exists(&abs) && !v.is_dir(&abs) {
                                    Ok(())
                                } else {
                                    v.write(&abs, b"", append)
                                }
                            };
                            if let Err(e) = res {
                                let msg = match (self.dialect.dash, e) {
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
                    let data = if target == "/dev/null" {
                        Ok(Vec::new())
                    } else {
                        h.view().read(&abs)
                    };
                    match data {
                        Ok(d) => {
                            if r.fd == 0 {
                                self.fds.stdin = Input::Data(Rc::new(d));
                            }
                        }
                        Err(e) => {
                            let msg = match (self.dialect.dash, e) {
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

    fn simple(
        &mut self,
        h: &mut dyn Host,
        assigns: &[(String, Word)],
        words: &[Word],
        redirs: &[Redir],
    ) -> Option<VmResult> {
        let argv = match self.expand_words(h, words) {
            Ok(a) => a,
            Err(code) => {
                self.exiting = Some(code);
                return None;
            }
        };
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
        let saved = self.fds.clone();
        if self.apply_redirs(h, redirs).is_err() {
            self.fds = saved;
            self.status = if self.dialect.dash { 2 } else { 1 };
            return None;
        }
        if argv.is_empty() {
            for (k, v) in assigned {
                self.set_var(&k, &v);
            }
            self.fds = saved;
            if assigns.is_empty()
                || !words
                    .iter()
                    .flatten()
                    .any(|p| matches!(p, WordPart::CmdSub(_)))
            {
                // `$?` keeps a command substitution's status, else 0.
                if !assigns
                    .iter()
                    .any(|(_, w)| w.iter().any(|p| matches!(p, WordPart::CmdSub(_))))
                {
                    self.status = 0;
                }
            }
            return None;
        }
        let name = argv[0].clone();
        // functions
        if let Some(body) = self.funcs.get(&name).cloned() {
            let saved_pos = std::mem::replace(&mut self.positional, argv[1..].to_vec());
            self.frames.push(Frame::RestoreFds(Box::new(saved)));
            self.frames.push(Frame::FuncReturn(saved_pos));
            self.frames.push(Frame::Run(body));
            return None;
        }
        if let Some(res) = self.builtin(h, &argv, &assigned) {
            // `exec` without a command keeps its redirections; `read` keeps what it consumed.
            if !(name == "exec" && argv.len() == 1) {
                let consumed = self.fds.stdin.clone();
                self.fds = saved;
                if name == "read" && !redirs.iter().any(|r| r.fd == 0) {
                    self.fds.stdin = consumed;
                }
            }
            return res;
        }
        // external command
        let path_var = assigned
            .iter()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.clone())
            .or_else(|| self.get("PATH"))
            .unwrap_or_default();
        let path = match h.lookup(&name, &path_var) {
            Ok(p) => p,
            Err(code) => {
                let msg = if code == 127 {
                    format!("{name}: not found")
                } else {
                    format!("{name}: Permission denied")
                };
                self.err(h, None, &msg);
                self.status = code;
                self.fds = saved;
                return None;
            }
        };
        let mut env = self.environ();
        for (k, v) in &assigned {
            if let Some(e) = env.iter_mut().find(|(ek, _)| ek == k) {
                e.1 = v.clone();
            } else {
                env.push((k.clone(), v.clone()));
            }
        }
        if self.exec_ok() {
            return Some(VmResult::Exec { path, argv, env });
        }
        let fds = self.fds.clone();
        self.fds = saved;
        match h.spawn(&path, argv, env, self.cwd.clone(), fds) {
            Spawned::Exited(pid, code) => {
                h.reap(pid);
                self.status = code;
            }
            Spawned::Running(pid) => {
                self.children.push(pid);
                self.waiting = Some(Wait::Fg(pid));
            }
            Spawned::Failed(code) => self.status = code,
        }
        None
    }

    /// ash builtins. Returns None if `argv[0]` is not a builtin. `Some(None)`: handled, keep running.
    fn builtin(
        &mut self,
        h: &mut dyn Host,
        argv: &[String],
        assigned: &[(String, String)],
    ) -> Option<Option<VmResult>> {
        let name = argv[0].as_str();
        let args = &argv[1..];
        match name {
            ":" | "true" => self.status = 0,
            "false" => self.status = 1,
            "echo" | "printf" | "test" | "[" | "pwd" => {
                if name == "pwd" {
                    let s = format!("{}\n", self.cwd);
                    h.write(&self.fds.stdout, s.as_bytes());
                    self.status = 0;
                } else {
                    let fds = self.fds.clone();
                    self.status =
                        crate::applets::run_pure(h, name, argv, &fds, &self.cwd).unwrap_or(0);
                }
            }
            "cd" | "chdir" => {
                let target = args
                    .first()
                    .cloned()
                    .unwrap_or_else(|| self.get("HOME").unwrap_or_else(|| "/".into()));
                let abs = crate::fs::normalize(&self.cwd, &target);
                let st = h.view().stat(&abs).map(|n| n.is_dir());
                match st {
                    Ok(true) => {
                        self.cwd = abs.clone();
                        self.set_var("PWD", &abs);
                        self.status = 0;
                    }
                    Ok(false) if self.dialect.dash => {
                        self.err(h, Some("cd"), &format!("can't cd to {target}"));
                        self.status = 2;
                    }
                    Ok(false) => {
                        self.err(
                            h,
                            Some("cd"),
                            &format!("can't cd to {target}: Not a directory"),
                        );
                        self.status = 2;
                    }
                    Err(_) if self.dialect.dash => {
                        self.err(h, Some("cd"), &format!("can't cd to {target}"));
                        self.status = 2;
                    }
                    Err(e) => {
                        self.err(
                            h,
                            Some("cd"),
                            &format!("can't cd to {target}: {}", e.strerror()),
                        );
                        self.status = 2;
                    }
                }
            }
            "exit" => {
                let code = match args.first() {
                    None => self.status,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) if n >= 0 => (n & 255) as i32,
                        _ => {
                            self.err(h, Some("exit"), &format!("Illegal number: {a}"));
                            2
                        }
                    },
                };
                self.exiting = Some(code);
            }
            "export" | "readonly" | "local" => {
                for a in args {
                    if a == "-p" {
                        continue;
                    }
                    match a.split_once('=') {
                        Some((k, v)) => {
                            self.set_var(k, v);
                            if name == "export" {
                                self.export(k);
                            }
                        }
                        None => {
                            if self.get(a).is_none() && name != "export" {
                                self.set_var(a, "");
                            }
                            if name == "export" {
                                if self.get(a).is_none() {
                                    self.set_var(a, "");
                                    self.vars.retain(|v| v.name != *a || !v.value.is_empty());
                                }
                                self.export(a);
                            }
                        }
                    }
                }
                self.status = 0;
            }
            "unset" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    self.vars.retain(|v| v.name != *a);
                    self.funcs.remove(a);
                }
                self.status = 0;
            }
            "set" => {
                if let Some(pos) = args.iter().position(|a| a == "--") {
                    self.positional = args[pos + 1..].to_vec();
                } else if args.is_empty() {
                    let mut all: Vec<&Var> = self.vars.iter().collect();
                    all.sort_by(|a, b| a.name.cmp(&b.name));
                    let mut out = String::new();
                    for v in all {
                        out.push_str(&format!(
                            "{}='{}'\n",
                            v.name,
                            v.value.replace('\'', "'\"'\"'")
                        ));
                    }
                    h.write(&self.fds.stdout, out.as_bytes());
                } else if !args[0].starts_with('-') && !args[0].starts_with('+') {
                    self.positional = args.to_vec();
                }
                self.status = 0;
            }
            "shift" => {
                let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1);
                if n > self.positional.len() {
                    self.status = 1;
                } else {
                    self.positional.drain(..n);
                    self.status = 0;
                }
            }
            "trap" => {
                if args.is_empty() {
                    let mut out = String::new();
                    for (sig, a) in &self.traps {
                        let n = if *sig == 0 {
                            "EXIT".to_string()
                        } else {
                            crate::types::Signal::from_number(*sig)
                                .map(|s| s.name().to_string())
                                .unwrap_or(sig.to_string())
                        };
                        out.push_str(&format!("trap -- '{a}' {n}\n"));
                    }
                    h.write(&self.fds.stdout, out.as_bytes());
                } else {
                    let (action, sigs) = if args.len() == 1 || args[0] == "-" {
                        (None, if args[0] == "-" { &args[1..] } else { args })
                    } else {
                        (Some(args[0].clone()), &args[1..])
                    };
                    for s in sigs {
                        let num = if s == "EXIT" || s == "0" {
                            Some(0)
                        } else {
                            crate::types::Signal::parse(s)
                                .map(|x| x.number())
                                .or_else(|| s.parse().ok())
                        };
                        match num {
                            Some(n) => match &action {
                                Some(a) => {
                                    self.traps.insert(n, a.clone());
                                }
                                None => {
                                    self.traps.remove(&n);
                                }
                            },
                            None => {
                                self.err(h, Some("trap"), &format!("{s}: bad trap"));
                                self.status = 1;
                                return Some(None);
                            }
                        }
                    }
                }
                self.status = 0;
            }
            "wait" => {
                let target = args.first().and_then(|a| a.parse::<u32>().ok());
                self.waiting = Some(Wait::Builtin(target));
                self.status = 0;
            }
            "kill" => return Some(self.kill_builtin(h, args)),
            "exec" => {
                if args.is_empty() {
                    self.status = 0;
                    return Some(None);
                }
                let path_var = self.get("PATH").unwrap_or_default();
                match h.lookup(&args[0], &path_var) {
                    Ok(path) => {
                        let mut env = self.environ();
                        for (k, v) in assigned {
                            env.push((k.clone(), v.clone()));
                        }
                        return Some(Some(VmResult::Exec {
                            path,
                            argv: args.to_vec(),
                            env,
                        }));
                    }
                    Err(code) => {
                        let msg = if code == 127 {
                            format!("{}: not found", args[0])
                        } else {
                            format!("{}: Permission denied", args[0])
                        };
                        self.err(h, Some("exec"), &msg);
                        self.exiting = Some(code);
                    }
                }
            }
            "eval" => {
                let text = args.join(" ");
                self.frames
                    .push(Frame::EvalLines(Box::new(Parser::new(&text))));
                self.status = 0;
            }
            "." | "source" => {
                let Some(file) = args.first() else {
                    self.status = 0;
                    return Some(None);
                };
                let abs = crate::fs::normalize(&self.cwd, file);
                match h.view().read(&abs) {
                    Ok(d) => {
                        self.frames.push(Frame::DotDone);
                        self.frames.push(Frame::EvalLines(Box::new(Parser::new(
                            &String::from_utf8_lossy(&d),
                        ))));
                        self.status = 0;
                    }
                    Err(e) => {
                        let msg = if self.dialect.version >= BusyboxVersion::V1_38 {
                            format!("can't open {file}: no such file")
                        } else {
                            format!("can't open '{file}': {}", e.strerror())
                        };
                        self.err(h, Some("."), &msg);
                        self.exiting = Some(2);
                    }
                }
            }
            "return" => {
                let code = args
                    .first()
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(self.status);
                self.unwind(Flow::Return(code));
            }
            "break" | "continue" => {
                let n = args.first().and_then(|a| a.parse().ok()).unwrap_or(1);
                self.unwind(if name == "break" {
                    Flow::Break(n)
                } else {
                    Flow::Continue(n)
                });
            }
            "read" => {
                let data = self.fds.stdin.bytes().to_vec();
                let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                let text = String::from_utf8_lossy(&data).to_string();
                let (line, rest) = match text.find('\n') {
                    Some(i) => (text[..i].to_string(), text[i + 1..].to_string()),
                    None => (text.clone(), String::new()),
                };
                self.fds.stdin = Input::Data(Rc::new(rest.into_bytes()));
                let mut fields: Vec<&str> = line.split(IFS_WS).filter(|s| !s.is_empty()).collect();
                for (i, n) in names.iter().enumerate() {
                    // The last name takes the rest of the line.
                    let v = if i + 1 == names.len() {
                        std::mem::take(&mut fields).join(" ")
                    } else if fields.is_empty() {
                        String::new()
                    } else {
                        fields.remove(0).to_string()
                    };
                    self.set_var(n, &v);
                }
                self.status = if text.is_empty() { 1 } else { 0 };
                // keep the remaining stdin for the next `read` in this shell
                return Some(None);
            }
            "umask" | "ulimit" | "hash" | "alias" | "unalias" => self.status = 0,
            "type" | "command" => {
                let (verbose, list) = if name == "command" {
                    if args.first().map(|a| a == "-v").unwrap_or(false) {
                        (false, &args[1..])
                    } else {
                        // `command X args`: run X ignoring functions; approximate as a plain run.
                        return None;
                    }
                } else {
                    (true, args)
                };
                let mut st = 0;
                for a in list {
                    let path_var = self.get("PATH").unwrap_or_default();
                    let line = if self.funcs.contains_key(a) {
                        if verbose {
                            format!("{a} is a function\n")
                        } else {
                            format!("{a}\n")
                        }
                    } else if is_builtin(a) {
                        if verbose {
                            format!("{a} is a shell builtin\n")
                        } else {
                            format!("{a}\n")
                        }
                    } else if let Ok(p) = h.lookup(a, &path_var) {
                        if verbose {
                            format!("{a} is {p}\n")
                        } else {
                            format!("{p}\n")
                        }
                    } else {
                        st = 127;
                        if verbose {
                            format!("{a}: not found\n")
                        } else {
                            String::new()
                        }
                    };
                    h.write(&self.fds.stdout, line.as_bytes());
                }
                self.status = st;
            }
            _ => return None,
        }
        Some(None)
    }

    fn kill_builtin(&mut self, h: &mut dyn Host, args: &[String]) -> Option<VmResult> {
        let mut sig = 15;
        let mut rest = args;
        if let Some(first) = args.first() {
            if first == "-l" {
                h.write(&self.fds.stdout, b"HUP\nINT\nQUIT\nILL\nTRAP\nABRT\nBUS\nFPE\nKILL\nUSR1\nSEGV\nUSR2\nPIPE\nALRM\nTERM\n");
                self.status = 0;
                return None;
            }
            if let Some(s) = first.strip_prefix('-') {
                let s = s.strip_prefix("s ").unwrap_or(s);
                match s
                    .parse::<i32>()
                    .ok()
                    .or_else(|| crate::types::Signal::parse(s).map(|x| x.number()))
                {
                    Some(n) => sig = n,
                    None => {
                        h.write(
                            &self.fds.stderr,
                            format!("{}: bad signal name '{s}'\n", self.arg0).as_bytes(),
                        );
                        self.status = 1;
                        return None;
                    }
                }
                rest = &args[1..];
            }
        }
        let mut st = 0;
        for p in rest {
            let pid: u32 = match p.parse() {
                Ok(n) => n,
                Err(_) => {
                    h.write(
                        &self.fds.stderr,
                        format!("{}: invalid number '{p}'\n", self.arg0).as_bytes(),
                    );
                    st = 1;
                    continue;
                }
            };
            if pid == h.pid() {
                if sig != 0 {
                    match self.on_signal(sig, pid == 1) {
                        SigAction::Die(code) if pid != 1 => self.exiting = Some(code),
                        _ => {}
                    }
                }
                continue;
            }
            let ok = if sig == 0 {
                h.is_alive(pid)
            } else {
                h.kill(pid, sig)
            };
            if !ok {
                if self.dialect.dash {
                    self.err(h, Some("kill"), "No such process");
                } else {
                    h.write(
                        &self.fds.stderr,
                        format!("{}: can't kill pid {pid}: No such process\n", self.arg0)
                            .as_bytes(),
                    );
                }
                st = if self.dialect.dash { 2 } else { 1 };
            }
        }
        self.status = st;
        None
    }

    // ---------------------------------------------------------------- expansion

    fn param(&self, h: &dyn Host, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some(self.shell_pid.to_string()),
            "!" => self.last_bg.map(|p| p.to_string()),
            "#" => Some(self.positional.len().to_string()),
            "0" => Some(self.arg0.clone()),
            "@" | "*" => Some(self.positional.join(" ")),
            "-" => Some(String::new()),
            "PPID" => Some(if self.shell_pid == 1 {
                "0".to_string()
            } else {
                h.ppid().to_string()
            }),
            "LINENO" => Some(self.line.to_string()),
            "RANDOM" => Some(((h.now() * 1103515245 + 12345) % 32768).to_string()),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                self.positional.get(i - 1).cloned()
            }
            n => self.get(n),
        }
    }

    fn expand_param(&mut self, h: &mut dyn Host, p: &ParamExp) -> Result<String, i32> {
        let val = self.param(&*h, &p.name);
        let unset_or_null =
            |colon: bool, v: &Option<String>| v.is_none() || (colon && v.as_deref() == Some(""));
        Ok(match &p.op {
            ParamOp::Plain => val.unwrap_or_default(),
            ParamOp::Length => val.unwrap_or_default().chars().count().to_string(),
            ParamOp::Default(c) => {
                if unset_or_null(*c, &val) {
                    self.expand_single(h, &p.arg)?
                } else {
                    val.unwrap()
                }
            }
            ParamOp::Assign(c) => {
                if unset_or_null(*c, &val) {
                    let v = self.expand_single(h, &p.arg)?;
                    self.set_var(&p.name, &v);
                    v
                } else {
                    val.unwrap()
                }
            }
            ParamOp::Alt(c) => {
                if unset_or_null(*c, &val) {
                    String::new()
                } else {
                    self.expand_single(h, &p.arg)?
                }
            }
            ParamOp::Error(c) => {
                if unset_or_null(*c, &val) {
                    let m = self.expand_single(h, &p.arg)?;
                    let m = if m.is_empty() {
                        "parameter not set".to_string()
                    } else {
                        m
                    };
                    self.err(h, None, &format!("{}: {m}", p.name));
                    return Err(2);
                }
                val.unwrap()
            }
            ParamOp::TrimPrefix(longest) | ParamOp::TrimSuffix(longest) => {
                let v = val.unwrap_or_default();
                let pat = self.expand_pattern(h, &p.arg);
                let chars: Vec<char> = v.chars().collect();
                let n = chars.len();
                let prefix = matches!(p.op, ParamOp::TrimPrefix(_));
                let mut cands: Vec<usize> = (0..=n).collect();
                if *longest == prefix {
                    // longest prefix: try from the end; shortest suffix: try from the end too
                    cands.reverse();
                }
                let mut out = v.clone();
                for k in cands {
                    if prefix {
                        let head: String = chars[..k].iter().collect();
                        if pattern::matches(&pat, &head) {
                            out = chars[k..].iter().collect();
                            break;
                        }
                    } else {
                        let tail: String = chars[n - k..].iter().collect();
                        if pattern::matches(&pat, &tail) {
                            out = chars[..n - k].iter().collect();
                            break;
                        }
                    }
                }
                let _ = longest;
                out
            }
        })
    }

    fn cmdsub(&mut self, h: &mut dyn Host, src: &str) -> Result<String, i32> {
        let mut p = Parser::new(src);
        let mut cmds = Vec::new();
        loop {
            match p.next_line() {
                Ok(Some((c, _))) => cmds.push((c, false)),
                Ok(None) => break,
                Err(e) => {
                    self.syntax_error(h, e);
                    return Err(2);
                }
            }
        }
        if cmds.is_empty() {
            return Ok(String::new());
        }
        let cmd = Rc::new(Cmd::Seq(cmds));
        let pipe = h.new_pipe();
        let mut child = self.subshell_of(cmd);
        child.fds.stdout = Output::Pipe(pipe);
        let argv = vec![self.arg0.clone()];
        let fds = child.fds.clone();
        let code = match h.spawn_shell(Box::new(child), argv, fds) {
            Spawned::Exited(pid, c) => {
                h.reap(pid);
                c
            }
            Spawned::Running(pid) => {
                let c = h.run_to_completion(pid).unwrap_or(0);
                h.reap(pid);
                c
            }
            Spawned::Failed(c) => c,
        };
        self.status = code;
        let out = h.take_pipe(pipe);
        let mut s = String::from_utf8_lossy(&out).to_string();
        while s.ends_with('\n') {
            s.pop();
        }
        Ok(s)
    }

    fn arith(&mut self, h: &mut dyn Host, src: &str) -> Result<String, i32> {
        // expand $x / ${x} / $(..) first, then evaluate with bare names as variables
        let mut p = Parser::new(&format!("\"{}\"", src.replace('"', "")));
        let text = match p.word() {
            Ok((w, _)) => self.expand_single(h, &w)?,
            Err(_) => src.to_string(),
        };
        match super::arith::eval(
            &text,
            &mut |n| self.get(n).and_then(|v| v.trim().parse().ok()).unwrap_or(0),
            &mut |n, v| {
                let _ = (n, v);
            },
        ) {
            Ok((v, assigns)) => {
                for (n, val) in assigns {
                    self.set_var(&n, &val.to_string());
                }
                Ok(v.to_string())
            }
            Err(msg) => {
                self.err(h, None, &format!("arithmetic syntax error{msg}"));
                Err(2)
            }
        }
    }

    /// Expand a word into fields: (char, quoted) sequences.
    fn expand_fields(
        &mut self,
        h: &mut dyn Host,
        word: &Word,
    ) -> Result<Vec<Vec<(char, bool)>>, i32> {
        let mut fields: Vec<Vec<(char, bool)>> = Vec::new();
        let mut cur: Vec<(char, bool)> = Vec::new();
        let mut quoted_seen = false;
        for (i, part) in word.iter().enumerate() {
            match part {
                WordPart::Lit(s) => {
                    let s = if i == 0 && (s == "~" || s.starts_with("~/")) {
                        format!("{}{}", self.get("HOME").unwrap_or_default(), &s[1..])
                    } else {
                        s.clone()
                    };
                    cur.extend(s.chars().map(|c| (c, false)));
                }
                WordPart::Quoted(s) => {
                    quoted_seen = true;
                    cur.extend(s.chars().map(|c| (c, true)));
                }
                WordPart::Double(parts) => {
                    quoted_seen = true;
                    for p in parts {
                        match p {
                            WordPart::Param(pe) if pe.name == "@" && pe.op == ParamOp::Plain => {
                                let args = self.positional.clone();
                                for (j, a) in args.iter().enumerate() {
                                    if j > 0 {
                                        fields.push(std::mem::take(&mut cur));
                                    }
                                    cur.extend(a.chars().map(|c| (c, true)));
                                }
                                if args.is_empty() && parts.len() == 1 && word.len() == 1 {
                                    quoted_seen = false;
                                }
                            }
                            other => {
                                let s = self.expand_part_text(h, other)?;
                                cur.extend(s.chars().map(|c| (c, true)));
                            }
                        }
                    }
                }
                other => {
                    let s = self.expand_part_text(h, other)?;
                    // unquoted expansion result: field splitting on IFS whitespace
                    for c in s.chars() {
                        if IFS_WS.contains(&c) {
                            if !cur.is_empty() || quoted_seen {
                                fields.push(std::mem::take(&mut cur));
                                quoted_seen = false;
                            }
                        } else {
                            cur.push((c, false));
                        }
                    }
                }
            }
        }
        if !cur.is_empty() || quoted_seen {
            fields.push(cur);
        }
        Ok(fields)
    }

    fn expand_part_text(&mut self, h: &mut dyn Host, p: &WordPart) -> Result<String, i32> {
        match p {
            WordPart::Lit(s) | WordPart::Quoted(s) => Ok(s.clone()),
            WordPart::Double(parts) => {
                let mut s = String::new();
                for q in parts {
                    s.push_str(&self.expand_part_text(h, q)?);
                }
                Ok(s)
            }
            WordPart::Param(pe) => self.expand_param(h, pe),
            WordPart::CmdSub(src) => self.cmdsub(h, src),
            WordPart::Arith(src) => self.arith(h, src),
        }
    }

    pub fn expand_words(&mut self, h: &mut dyn Host, words: &[Word]) -> Result<Vec<String>, i32> {
        let mut out = Vec::new();
        for w in words {
            for f in self.expand_fields(h, w)? {
                let has_glob = f.iter().any(|(c, q)| !q && matches!(c, '*' | '?' | '['));
                let text: String = f.iter().map(|(c, _)| *c).collect();
                if has_glob {
                    let pat: String = f
                        .iter()
                        .map(|(c, q)| {
                            if *q && matches!(c, '*' | '?' | '[' | '\\') {
                                format!("\\{c}")
                            } else {
                                c.to_string()
                            }
                        })
                        .collect();
                    let matches = self.glob(h, &pat);
                    if matches.is_empty() {
                        out.push(text);
                    } else {
                        out.extend(matches);
                    }
                } else {
                    out.push(text);
                }
            }
        }
        Ok(out)
    }

    fn glob(&mut self, h: &mut dyn Host, pat: &str) -> Vec<String> {
        let abs = pat.starts_with('/');
        let comps: Vec<&str> = pat.split('/').filter(|c| !c.is_empty()).collect();
        let mut cands: Vec<String> = vec![if abs {
            String::new()
        } else {
            String::from(".")
        }];
        for comp in comps {
            let mut next = Vec::new();
            for base in &cands {
                let dir = if base.is_empty() {
                    "/".to_string()
                } else if base == "." {
                    self.cwd.clone()
                } else {
                    crate::fs::normalize(&self.cwd, base)
                };
                if pattern::has_glob(comp) {
                    if let Ok(names) = h.view().list(&dir) {
                        for n in names {
                            if n.starts_with('.') && !comp.starts_with('.') {
                                continue;
                            }
                            if pattern::matches(comp, &n) {
                                next.push(join(base, &n));
                            }
                        }
                    }
                } else {
                    let unescaped = comp.replace('\\', "");
                    let cand = join(base, &unescaped);
                    let full = crate::fs::normalize(&self.cwd, &cand);
                    if h.view().exists(&full) {
                        next.push(cand);
                    }
                }
            }
            cands = next;
        }
        fn join(base: &str, n: &str) -> String {
            if base.is_empty() {
                format!("/{n}")
            } else if base == "." {
                n.to_string()
            } else {
                format!("{base}/{n}")
            }
        }
        cands.sort();
        cands
    }

    /// Expand without field splitting (assignments, redirection targets, case subjects).
    pub fn expand_single(&mut self, h: &mut dyn Host, w: &Word) -> Result<String, i32> {
        let mut s = String::new();
        for p in w {
            s.push_str(&self.expand_part_text(h, p)?);
        }
        if let Some(WordPart::Lit(first)) = w.first() {
            if first == "~" || first.starts_with("~/") {
                s = format!("{}{}", self.get("HOME").unwrap_or_default(), &s[1..]);
            }
        }
        Ok(s)
    }

    /// A pattern word: quoted parts match literally.
    fn expand_pattern(&mut self, h: &mut dyn Host, w: &Word) -> String {
        let mut s = String::new();
        for p in w {
            match p {
                WordPart::Lit(t) => s.push_str(t),
                other => {
                    let t = self.expand_part_text(h, other).unwrap_or_default();
                    let quoted = !matches!(
                        other,
                        WordPart::Param(_) | WordPart::CmdSub(_) | WordPart::Arith(_)
                    );
                    for c in t.chars() {
                        if quoted && matches!(c, '*' | '?' | '[' | '\\') {
                            s.push('\\');
                        }
                        s.push(c);
                    }
                }
            }
        }
        s
    }

    fn expand_heredoc(&mut self, h: &mut dyn Host, body: &str) -> String {
        let mut p = Parser::new(&format!(
            "\"{}\"",
            body.replace('\\', "\\\\").replace('"', "\\\"")
        ));
        match p.word() {
            Ok((w, _)) => self
                .expand_single(h, &w)
                .unwrap_or_default()
                .replace("\\\\", "\\"),
            Err(_) => body.to_string(),
        }
    }

    pub fn status(&self) -> i32 {
        self.status
    }
}

pub fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        ":" | "true"
            | "false"
            | "echo"
            | "printf"
            | "test"
            | "["
            | "pwd"
            | "cd"
            | "chdir"
            | "exit"
            | "export"
            | "readonly"
            | "local"
            | "unset"
            | "set"
            | "shift"
            | "trap"
            | "wait"
            | "kill"
            | "exec"
            | "eval"
            | "."
            | "source"
            | "return"
            | "break"
            | "continue"
            | "read"
            | "umask"
            | "ulimit"
            | "hash"
            | "alias"
            | "unalias"
            | "type"
            | "command"
    )
}
