//! ash builtins (cd, exit, export, set, trap, wait, kill, exec, eval, ., read, …).

use super::*;

impl Vm {
    /// ash builtins. Returns None if `argv[0]` is not a builtin. `Some(None)`: handled, keep running.
    pub(super) fn builtin(&mut self, h: &mut dyn Host, argv: &[String], assigned: &[(String, String)]) -> Option<Option<VmResult>> {
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
                    let fds = &self.fds;
                    self.status = if self.dialect.dash && name == "echo" {
                        dash_echo(h, argv, fds)
                    } else {
                        crate::applets::run_pure(h, name, argv, fds, "sh").unwrap_or(0)
                    };
                }
            }
            "cd" | "chdir" => {
                let target = args.first().cloned().unwrap_or_else(|| self.get("HOME").unwrap_or_else(|| "/".into()));
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
                        self.err(h, Some("cd"), &format!("can't cd to {target}: Not a directory"));
                        self.status = 2;
                    }
                    Err(_) if self.dialect.dash => {
                        self.err(h, Some("cd"), &format!("can't cd to {target}"));
                        self.status = 2;
                    }
                    Err(e) => {
                        self.err(h, Some("cd"), &format!("can't cd to {target}: {}", e.strerror()));
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
                                    self.vars_changed();
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
                    self.vars_changed();
                    self.funcs.remove(a);
                }
                self.status = 0;
            }
            "set" => {
                if let Some(pos) = args.iter().position(|a| a == "--") {
                    self.positional = args[pos + 1..].to_vec();
                } else if args.is_empty() {
                    let mut all: Vec<&Var> = self.vars.iter().collect();
                    podplay_k8s_util::sort::sort_by(&mut all, |a, b| a.name.cmp(&b.name));
                    let mut out = String::new();
                    for v in all {
                        out.push_str(&format!("{}='{}'\n", v.name, v.value.replace('\'', "'\"'\"'")));
                    }
                    h.write(&self.fds.stdout, out.as_bytes());
                } else if !args[0].starts_with('-') && !args[0].starts_with('+') {
                    self.positional = args.to_vec();
                } else {
                    let mut i = 0;
                    while i < args.len() {
                        let a = &args[i];
                        let on = a.starts_with('-');
                        if a == "-o" || a == "+o" {
                            if args.get(i + 1).map(|o| o == "pipefail").unwrap_or(false) {
                                self.pipefail = on;
                            } else if args.get(i + 1).map(|o| o == "errexit").unwrap_or(false) {
                                self.errexit = on;
                            } else if args.get(i + 1).map(|o| o == "xtrace").unwrap_or(false) {
                                self.xtrace = on;
                            }
                            i += 2;
                            continue;
                        }
                        if !(a.starts_with('-') || a.starts_with('+')) {
                            self.positional = args[i..].to_vec();
                            break;
                        }
                        for f in a[1..].chars() {
                            match f {
                                'e' => self.errexit = on,
                                'x' => self.xtrace = on,
                                _ => {}
                            }
                        }
                        i += 1;
                    }
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
                            crate::types::Signal::from_number(*sig).map(|s| s.name().to_string()).unwrap_or(sig.to_string())
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
                            crate::types::Signal::parse(s).map(|x| x.number()).or_else(|| s.parse().ok())
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
                        return Some(Some(VmResult::Exec { path, argv: args.to_vec(), env }));
                    }
                    Err(code) => {
                        let msg = if code == 127 { format!("{}: not found", args[0]) } else { format!("{}: Permission denied", args[0]) };
                        self.err(h, Some("exec"), &msg);
                        self.exiting = Some(code);
                    }
                }
            }
            "eval" => {
                let text = args.join(" ");
                self.frames.push(Frame::EvalLines(Box::new(Parser::new(&text))));
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
                        self.frames.push(Frame::EvalLines(Box::new(Parser::new(&String::from_utf8_lossy(&d)))));
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
                let code = args.first().and_then(|a| a.parse().ok()).unwrap_or(self.status);
                self.unwind(Flow::Return(code));
            }
            "break" | "continue" => {
                let n = args.first().and_then(|a| a.parse().ok()).unwrap_or(1);
                self.unwind(if name == "break" { Flow::Break(n) } else { Flow::Continue(n) });
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

    pub(super) fn kill_builtin(&mut self, h: &mut dyn Host, args: &[String]) -> Option<VmResult> {
        let mut sig = 15;
        let mut rest = args;
        if let Some(first) = args.first() {
            if first == "-l" {
                // libbb get_signame() for 1..31 on x86-64, one per line.
                h.write(
                    &self.fds.stdout,
                    b"HUP\nINT\nQUIT\nILL\nTRAP\nABRT\nBUS\nFPE\nKILL\nUSR1\nSEGV\nUSR2\nPIPE\nALRM\nTERM\nSTKFLT\nCHLD\nCONT\nSTOP\nTSTP\nTTIN\nTTOU\nURG\nXCPU\nXFSZ\nVTALRM\nPROF\nWINCH\nIO\nPWR\nSYS\n",
                );
                self.status = 0;
                return None;
            }
            if let Some(s) = first.strip_prefix('-') {
                let s = s.strip_prefix("s ").unwrap_or(s);
                match s.parse::<i32>().ok().or_else(|| crate::types::Signal::parse(s).map(|x| x.number())) {
                    Some(n) => sig = n,
                    None => {
                        h.write(&self.fds.stderr, format!("{}: bad signal name '{s}'\n", self.arg0).as_bytes());
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
                    h.write(&self.fds.stderr, format!("{}: invalid number '{p}'\n", self.arg0).as_bytes());
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
            let ok = if sig == 0 { h.is_alive(pid) } else { h.kill(pid, sig) };
            if !ok {
                if self.dialect.dash {
                    self.err(h, Some("kill"), "No such process");
                } else {
                    h.write(&self.fds.stderr, format!("{}: can't kill pid {pid}: No such process\n", self.arg0).as_bytes());
                }
                st = if self.dialect.dash { 2 } else { 1 };
            }
        }
        self.status = st;
        None
    }
}

/// dash's `echo`: only `-n` is an option; backslash escapes are always interpreted.
fn dash_echo(h: &mut dyn Host, argv: &[String], fds: &Fds) -> i32 {
    let (newline, args) = match argv.get(1).map(|a| a.as_str()) {
        Some("-n") => (false, &argv[2..]),
        _ => (true, &argv[1..]),
    };
    let mut out = String::new();
    let text = args.join(" ");
    let mut it = text.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('c') => {
                h.write(&fds.stdout, out.as_bytes());
                return 0;
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    if newline {
        out.push('\n');
    }
    h.write(&fds.stdout, out.as_bytes());
    0
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
