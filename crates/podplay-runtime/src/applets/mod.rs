//! BusyBox applets with the exact messages and exit codes of images.md §1.4–1.10.
//! Each applet reads its stdin from `Fds`, writes through the `Host`, and either finishes at
//! once or turns into a long-running process (`Applet::SleepUntil`, `Applet::Forever`,
//! `Applet::Shell`, `Applet::Program`).

mod awk;
mod curl;
mod df;
mod expr;
mod fileinfo;
mod files;
mod getopt;
mod hexdump;
mod ids;
mod ip;
mod net;
mod procs;
mod regex;
mod sed;
pub mod stream;
mod sums;
mod text;
mod timeout;
mod xargs;

use files::*;
pub(crate) use net::resolve_libc;
pub use procs::parse_duration;
use procs::*;
use std::fmt::Write as _;
use text::*;

use crate::clock;
use crate::fs::{normalize, FsError};
use crate::io::{Fds, Output};
use crate::shell::host::{Host, NetError};
use crate::types::{BusyboxVersion, Millis};

/// What an applet turned into.
pub enum Applet {
    Exit(i32),
    /// `sleep N`: exit 0 at this time.
    SleepUntil(Millis),
    /// Blocks until killed (`tail -f`, `httpd -f`, `sleep infinity`).
    Forever,
    /// `sh`: run this shell.
    Shell(Box<crate::shell::vm::Vm>),
    /// A catalog/author program with its own timeline (servers, pause, …).
    Program(crate::programs::Prog),
    /// Print these lines, then exec this argv (entrypoint scripts ending in `exec "$@"`).
    ExecInto {
        argv: Vec<String>,
        output: Vec<(crate::io::Stream, String)>,
    },
    /// exec this argv with this environment (`env NAME=VALUE… PROG`).
    ExecWithEnv {
        argv: Vec<String>,
        env: Vec<(String, String)>,
    },
    /// Print these lines, then exit with `code`.
    Fail {
        output: Vec<(crate::io::Stream, String)>,
        code: i32,
    },
    /// Write a stream in the background (`yes`, `cat /dev/zero`, `dd`: `crate::writers`).
    Stream(Box<stream::StreamSpec>),
}

pub struct Ctx<'a> {
    pub argv: &'a [String],
    pub env: &'a [(String, String)],
    pub cwd: &'a str,
    pub fds: &'a Fds,
}

fn out(h: &mut dyn Host, fds: &Fds, s: &str) {
    h.write(&fds.stdout, s.as_bytes());
}
fn err(h: &mut dyn Host, fds: &Fds, s: &str) {
    h.write(&fds.stderr, s.as_bytes());
}

/// Applets that are also ash builtins (echo, printf, test, [): no process, no waiting.
pub fn run_pure(h: &mut dyn Host, name: &str, argv: &[String], fds: &Fds, who: &str) -> Option<i32> {
    Some(match name {
        "echo" => echo(h, argv, fds),
        "printf" => printf(h, argv, fds),
        "test" | "[" => test(h, argv, fds, who),
        _ => return None,
    })
}

pub const APPLETS: &[&str] = &[
    "sh",
    "ash",
    "echo",
    "printf",
    "test",
    "[",
    "[[",
    "true",
    "false",
    "sleep",
    "cat",
    "touch",
    "rm",
    "rmdir",
    "mkdir",
    "ls",
    "cp",
    "mv",
    "chmod",
    "date",
    "env",
    "printenv",
    "hostname",
    "id",
    "whoami",
    "uname",
    "ps",
    "kill",
    "wget",
    "nc",
    "nslookup",
    "netstat",
    "httpd",
    "grep",
    "head",
    "tail",
    "wc",
    "seq",
    "yes",
    "basename",
    "dirname",
    "pwd",
    "tee",
    "find",
    "ping",
    "busybox",
    "sync",
    "usleep",
    "which",
    "cut",
    "tr",
    "sort",
    "uniq",
    "dd",
    "awk",
    "hexdump",
    "ip",
    "df",
    "sed",
    "expr",
    "xargs",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "base64",
    "stat",
    "du",
    "timeout",
];

/// Applets that read their files to the end: on `/dev/zero` they never get there.
const WHOLE_READERS: &[&str] =
    &["wc", "grep", "sort", "uniq", "cut", "tail", "tee", "awk", "hexdump", "sed", "md5sum", "sha1sum", "sha256sum", "base64"];

pub fn run(h: &mut dyn Host, c: &Ctx) -> Applet {
    let name = c.argv[0].rsplit('/').next().unwrap_or("").to_string();
    let argv = c.argv;
    let fds = c.fds;
    let v = h.busybox_version();
    if WHOLE_READERS.contains(&name.as_str()) && argv[1..].iter().any(|a| stream::is_zero_device(&normalize(c.cwd, a))) {
        // Reading an endless device to its end: busy until stopped.
        return Applet::Forever;
    }
    let code = match name.as_str() {
        "echo" | "printf" | "test" | "[" => run_pure(h, &name, argv, fds, &name).unwrap(),
        "true" => 0,
        "false" => 1,
        "sh" | "ash" => return shell(h, c),
        "sleep" => return sleep(h, argv, fds, v),
        "usleep" => {
            let us: u64 = argv.get(1).and_then(|a| a.parse().ok()).unwrap_or(0);
            return Applet::SleepUntil(h.now() + us / 1000);
        }
        "cat" => match stream::cat_stream(h, c) {
            Some(a) => return a,
            None => cat(h, c),
        },
        "dd" => return stream::dd(h, c),
        "touch" => each_path(h, c, |h, abs, arg, fds| match h.view().touch(abs) {
            Ok(()) => 0,
            Err(e) => {
                let m = if h.gnu() {
                    format!("touch: cannot touch '{arg}': {}\n", e.strerror())
                } else {
                    format!("touch: {arg}: {}\n", e.strerror())
                };
                err(h, fds, &m);
                1
            }
        }),
        "rm" => rm(h, c),
        "rmdir" => each_path(h, c, |h, abs, arg, fds| {
            let r = {
                let mut v = h.view();
                match v.stat(abs) {
                    Ok(n) if !n.is_dir() => Err(FsError::NotDir),
                    Ok(_) => v.remove(abs, false),
                    Err(e) => Err(e),
                }
            };
            match r {
                Ok(()) => 0,
                Err(e) => {
                    let m = if h.gnu() {
                        format!("rmdir: failed to remove '{arg}': {}\n", e.strerror())
                    } else {
                        format!("rmdir: '{arg}': {}\n", e.strerror())
                    };
                    err(h, fds, &m);
                    1
                }
            }
        }),
        "mkdir" => mkdir(h, c),
        "ls" => ls(h, c),
        "cp" | "mv" => cp_mv(h, c, &name),
        "chmod" => {
            let mode = argv.get(1).and_then(|m| u32::from_str_radix(m, 8).ok());
            let mut st = 0;
            for a in argv.iter().skip(2) {
                let abs = normalize(c.cwd, a);
                let r = match mode {
                    Some(m) => h.view().chmod(&abs, m),
                    None => h.view().stat(&abs).map(|_| ()),
                };
                if let Err(e) = r {
                    let m = if h.gnu() {
                        format!("chmod: cannot access '{a}': {}\n", e.strerror())
                    } else {
                        format!("chmod: {a}: {}\n", e.strerror())
                    };
                    err(h, fds, &m);
                    st = 1;
                }
            }
            st
        }
        "date" => {
            let t = h.wall_secs();
            let s = match argv.get(1).map(|s| s.as_str()) {
                Some("-R") => clock::rfc2822(t),
                Some("-I") => clock::iso_date(t),
                Some(f) if f.starts_with('+') => clock::strftime(&f[1..], t),
                _ => clock::date_default(t),
            };
            out(h, fds, &format!("{s}\n"));
            0
        }
        "env" => return env(h, c),
        "which" => {
            let path = c.env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_default();
            let mut st = 0;
            for a in &argv[1..] {
                match h.lookup(a, &path) {
                    Ok(p) => out(h, fds, &format!("{p}\n")),
                    Err(_) => st = 1,
                }
            }
            st
        }
        "cut" => cut(h, c),
        "awk" => awk::awk(h, c),
        "sed" => return sed::sed(h, c),
        "expr" => expr::expr(h, c),
        "xargs" => xargs::xargs(h, c),
        "md5sum" | "sha1sum" | "sha256sum" => sums::sum(h, c, &name),
        "base64" => sums::base64(h, c),
        "stat" => fileinfo::stat(h, c),
        "du" => fileinfo::du(h, c),
        "timeout" => return timeout::timeout(h, c),
        "tr" => tr(h, c),
        "sort" => sort(h, c),
        "uniq" => uniq(h, c),
        "printenv" => {
            if argv.len() == 1 {
                let mut s = String::new();
                for (k, val) in c.env {
                    s.push_str(&format!("{k}={val}\n"));
                }
                out(h, fds, &s);
                0
            } else {
                let mut st = 0;
                for a in &argv[1..] {
                    match c.env.iter().find(|(k, _)| k == a) {
                        Some((_, val)) => out(h, fds, &format!("{val}\n")),
                        None => st = 1,
                    }
                }
                st
            }
        }
        "hostname" => {
            let hn = h.hostname();
            out(h, fds, &format!("{hn}\n"));
            0
        }
        "whoami" => ids::whoami(h, c),
        "id" => ids::id(h, c),
        "uname" => {
            let hn = h.hostname();
            let rel = h.kernel_release();
            let ver = h.kernel_version();
            // images.md §1.4: `Linux <hostname> <release> <version> x86_64 GNU/Linux`.
            let s = match argv.get(1).map(|s| s.as_str()) {
                Some("-a") => format!("Linux {hn} {rel} {ver} x86_64 GNU/Linux"),
                Some("-r") => rel,
                Some("-v") => ver,
                Some("-n") => hn,
                Some("-m") => "x86_64".into(),
                _ => "Linux".into(),
            };
            out(h, fds, &format!("{s}\n"));
            0
        }
        "ps" => {
            let mut s = String::from("PID   USER     TIME  COMMAND\n");
            // Every process of the container runs as its user: the name, else the number
            // (busybox's `%-8.8s`).
            let uid = h.view().cred.uid;
            let user = crate::users::user_name(&h.view(), uid).unwrap_or_else(|| uid.to_string());
            let user: String = user.chars().take(8).collect();
            for p in h.processes() {
                s.push_str(&format!("{:>5} {user:<8}  0:00 {}\n", p.pid, p.cmdline));
            }
            out(h, fds, &s);
            0
        }
        "kill" => kill(h, c),
        "pwd" => {
            out(h, fds, &format!("{}\n", c.cwd));
            0
        }
        "basename" => {
            let a = argv.get(1).cloned().unwrap_or_default();
            let mut b = a.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string();
            if let Some(suf) = argv.get(2) {
                if b.ends_with(suf.as_str()) && b != *suf {
                    b.truncate(b.len() - suf.len());
                }
            }
            out(h, fds, &format!("{b}\n"));
            0
        }
        "dirname" => {
            let a = argv.get(1).cloned().unwrap_or_default();
            let t = a.trim_end_matches('/');
            let d = match t.rfind('/') {
                Some(0) => "/".to_string(),
                Some(i) => t[..i].to_string(),
                None => ".".to_string(),
            };
            out(h, fds, &format!("{d}\n"));
            0
        }
        "grep" => grep(h, c),
        "head" => match stream::head_bytes(h, c) {
            Some(a) => return a,
            None => return head_tail(h, c, &name),
        },
        "tail" => return head_tail(h, c, &name),
        "wc" => wc(h, c),
        "hexdump" => hexdump::hexdump(h, c),
        "df" => df::df(h, c),
        "seq" => {
            let nums: Vec<i64> = argv[1..].iter().filter_map(|a| a.parse().ok()).collect();
            let (a, step, b) = match nums.as_slice() {
                [b] => (1, 1, *b),
                [a, b] => (*a, 1, *b),
                [a, s, b] => (*a, *s, *b),
                _ => (1, 1, 0),
            };
            let mut s = String::new();
            let mut next = Some(a);
            // Up to a pipe's burst (`writers::PIPE_BURST`); the largest integer ends it, as a step past it would wrap.
            while let Some(i) = next.filter(|i| step != 0 && ((step > 0 && *i <= b) || (step < 0 && *i >= b)) && s.len() < 1 << 20) {
                let _ = writeln!(s, "{i}");
                next = i.checked_add(step);
            }
            out(h, fds, &s);
            0
        }
        "yes" => return stream::yes(h, c),
        "tee" => {
            let data = fds.stdin.bytes().to_vec();
            let append = argv.iter().any(|a| a == "-a");
            for a in argv[1..].iter().filter(|a| !a.starts_with('-')) {
                let abs = normalize(c.cwd, a);
                let _ = h.view().write(&abs, &data, append);
            }
            h.write(&fds.stdout, &data);
            0
        }
        "find" => find(h, c),
        "wget" => net::wget(h, c),
        "nc" => return net::nc(h, c),
        "nslookup" => net::nslookup(h, c),
        "netstat" => net::netstat(h, c),
        "ip" => ip::ip(h, c),
        "ping" => net::ping(h, c),
        "httpd" => return net::httpd(h, c),
        "busybox" => {
            if argv.len() > 1 {
                let sub: Vec<String> = argv[1..].to_vec();
                return run(h, &Ctx { argv: &sub, env: c.env, cwd: c.cwd, fds });
            }
            out(h, fds, &format!("{}\n", v.banner()));
            0
        }
        // Nothing to flush in a simulated filesystem; sync prints nothing either way.
        "sync" => 0,
        "[[" => {
            let mut v: Vec<String> = argv.to_vec();
            v[0] = "[".into();
            if v.last().map(|a| a == "]]").unwrap_or(false) {
                *v.last_mut().unwrap() = "]".into();
            }
            test(h, &v, fds, "[[")
        }
        other => {
            err(h, fds, &format!("{other}: applet not found\n"));
            127
        }
    };
    Applet::Exit(code)
}

/// `env [-i] [-u NAME] [NAME=VALUE]... [PROG ARGS]`: print or exec with a changed environment.
fn env(h: &mut dyn Host, c: &Ctx) -> Applet {
    let mut vars: Vec<(String, String)> = c.env.to_vec();
    let mut i = 1;
    while i < c.argv.len() {
        let a = &c.argv[i];
        if a == "-i" || a == "-" {
            vars.clear();
        } else if a == "-u" {
            if let Some(n) = c.argv.get(i + 1) {
                vars.retain(|(k, _)| k != n);
            }
            i += 1;
        } else if let Some((k, v)) = a.split_once('=') {
            match vars.iter_mut().find(|(ek, _)| ek == k) {
                Some(e) => e.1 = v.to_string(),
                None => vars.push((k.to_string(), v.to_string())),
            }
        } else {
            break;
        }
        i += 1;
    }
    if i >= c.argv.len() {
        let mut s = String::new();
        for (k, val) in &vars {
            s.push_str(&format!("{k}={val}\n"));
        }
        out(h, c.fds, &s);
        return Applet::Exit(0);
    }
    let path = vars.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_else(|| "/bin:/usr/bin".into()); // execvp()'s default without PATH
    let prog = &c.argv[i];
    match h.lookup(prog, &path) {
        Ok(_) => Applet::ExecWithEnv { argv: c.argv[i..].to_vec(), env: vars },
        Err(code) => {
            let why = if code == 126 { "Permission denied" } else { "No such file or directory" };
            err(h, c.fds, &format!("env: can't execute '{prog}': {why}\n"));
            Applet::Exit(code)
        }
    }
}

fn shell(h: &mut dyn Host, c: &Ctx) -> Applet {
    let dash = h.gnu();
    run_shell(h, c, dash, false)
}

/// GNU bash 5.0.17, as alpine 3.12's `bash` package installs it at `/bin/bash` (the agnhost
/// image's `apk add ... bash`). podplay's bash is its ash interpreter with bash's message
/// frame (`bash: foo: command not found`, `bash: line 0: cd: ...`, `bash: f: No such file or
/// directory`); the language is ash's, which the scripts that images' users give `bash -c`
/// (functions, `trap ... SIGTERM`, loops, `$((...))`) share with bash. Arrays, `[[ ]]`'s
/// bash-only operators, `{a,b}` and `<(...)` are not bash's here (docs/conformance.md).
/// Its arguments: `-c STRING [NAME [ARG...]]`, a script file, none (commands from stdin),
/// `--version`; any other option is refused, naming what podplay's bash takes.
pub fn bash(h: &mut dyn Host, c: &Ctx) -> Applet {
    match c.argv.get(1).map(String::as_str) {
        Some("--version") => {
            out(h, c.fds, BASH_VERSION);
            Applet::Exit(0)
        }
        Some("-c") if c.argv.len() < 3 => {
            err(h, c.fds, &format!("{}: -c: option requires an argument\n", c.argv[0]));
            Applet::Exit(2)
        }
        Some(a) if a.starts_with('-') && a != "-c" && a != "-" => {
            let m = format!("{}: {a}: podplay's bash takes only -c STRING, a script file or --version\n", c.argv[0]);
            err(h, c.fds, &m);
            Applet::Exit(2)
        }
        Some(file) if file != "-c" && file != "-" && !h.view().exists(&normalize(c.cwd, file)) => {
            // bash: a script it cannot open is `bash: f: No such file or directory`, 127.
            err(h, c.fds, &format!("{}: {file}: No such file or directory\n", c.argv[0]));
            Applet::Exit(127)
        }
        _ => run_shell(h, c, false, true),
    }
}

/// `bash --version` of alpine 3.12's bash (`show_shell_version`, MACHTYPE of its build).
const BASH_VERSION: &str = "GNU bash, version 5.0.17(1)-release (x86_64-alpine-linux-musl)\nCopyright (C) 2019 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>\n\nThis is free software; you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n";

/// Curl (`curl.rs`): the program alpine's `curl` package installs at `/usr/bin/curl`.
pub fn curl(h: &mut dyn Host, c: &Ctx) -> Applet {
    curl::curl(h, c)
}

/// A shell process: ash (`dash`: Debian's dash texts; `bash`: bash's texts) with `-c`, a
/// script file, or stdin.
fn run_shell(h: &mut dyn Host, c: &Ctx, dash: bool, bash: bool) -> Applet {
    use crate::shell::vm::{Dialect, Vm};
    let argv = c.argv;
    let v = h.busybox_version();
    let pid = h.pid();
    let mut vm;
    if argv.get(1).map(|a| a == "-c").unwrap_or(false) {
        let Some(script) = argv.get(2) else {
            err(h, c.fds, &format!("{}: -c requires an argument\n", argv[0]));
            return Applet::Exit(2);
        };
        let arg0 = argv.get(3).cloned().unwrap_or_else(|| argv[0].clone());
        vm = Vm::new(&arg0, c.env, c.cwd, c.fds.clone(), Dialect { version: v, script: false, dash, bash }, pid);
        vm.positional = argv.iter().skip(4).cloned().collect();
        vm.exit_on_last = true;
        vm.load(script);
    } else if let Some(file) = argv.get(1).filter(|a| !a.starts_with('-')) {
        let abs = normalize(c.cwd, file);
        let data = h.view().read(&abs);
        match data {
            Ok(d) => {
                vm = Vm::new(file, c.env, c.cwd, c.fds.clone(), Dialect { version: v, script: !dash, dash, bash }, pid);
                vm.positional = argv.iter().skip(2).cloned().collect();
                vm.load(&String::from_utf8_lossy(&d));
            }
            Err(e) => {
                let msg = if v >= BusyboxVersion::V1_38 {
                    format!("{}: line 0: can't open {file}: no such file\n", argv[0])
                } else {
                    format!("{}: can't open '{file}': {}\n", argv[0], e.strerror())
                };
                err(h, c.fds, &msg);
                return Applet::Exit(2);
            }
        }
    } else {
        // Interactive shell without a terminal: reads stdin (images.md §1.3: EOF → exit 0).
        vm = Vm::new(&argv[0], c.env, c.cwd, c.fds.clone(), Dialect { version: v, script: false, dash, bash }, pid);
        let script = String::from_utf8_lossy(c.fds.stdin.bytes()).to_string();
        vm.load(&script);
    }
    Applet::Shell(Box::new(vm))
}

pub fn write_to(h: &mut dyn Host, o: &Output, s: &str) {
    h.write(o, s.as_bytes());
}

/// A file's content, for servers reading their document roots (a long pattern file up to
/// `fs::READ_CAP`).
pub fn node_text(n: &crate::fs::Node) -> Option<std::borrow::Cow<'_, [u8]>> {
    n.content(crate::fs::READ_CAP)
}

pub fn net_err_text(e: &NetError) -> &'static str {
    match e {
        NetError::Refused => "Connection refused",
        NetError::Unreachable => "Network is unreachable",
        NetError::TimedOut => "Connection timed out",
        NetError::Closed => "Connection reset by peer",
    }
}
