//! BusyBox applets with the exact messages and exit codes of images.md §1.4–1.10.
//! Each applet reads its stdin from `Fds`, writes through the `Host`, and either finishes at
//! once or turns into a long-running process (`Applet::Sleep`, `Applet::Serve`, …).

use crate::clock;
use crate::fs::{normalize, FsError, NodeKind};
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
    /// Print these lines, then exit with `code`.
    Fail {
        output: Vec<(crate::io::Stream, String)>,
        code: i32,
    },
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
pub fn run_pure(
    h: &mut dyn Host,
    name: &str,
    argv: &[String],
    fds: &Fds,
    _cwd: &str,
) -> Option<i32> {
    Some(match name {
        "echo" => echo(h, argv, fds),
        "printf" => printf(h, argv, fds),
        "test" | "[" => test(h, argv, fds),
        _ => return None,
    })
}

pub const APPLETS: &[&str] = &[
    "sh", "ash", "echo", "printf", "test", "[", "[[", "true", "false", "sleep", "cat", "touch",
    "rm", "rmdir", "mkdir", "ls", "cp", "mv", "chmod", "date", "env", "printenv", "hostname", "id",
    "whoami", "uname", "ps", "kill", "wget", "nc", "nslookup", "netstat", "httpd", "grep", "head",
    "tail", "wc", "seq", "yes", "basename", "dirname", "pwd", "tee", "find", "ping", "busybox",
    "stat", "ln", "sync", "usleep", "uptime", "free", "df", "du",
];

pub fn run(h: &mut dyn Host, c: &Ctx) -> Applet {
    let name = c.argv[0].rsplit('/').next().unwrap_or("").to_string();
    let argv = c.argv;
    let fds = c.fds;
    let v = h.busybox_version();
    let code = match name.as_str() {
        "echo" | "printf" | "test" | "[" => run_pure(h, &name, argv, fds, c.cwd).unwrap(),
        "true" => 0,
        "false" => 1,
        "sh" | "ash" => return shell(h, c),
        "sleep" => return sleep(h, argv, fds, v),
        "usleep" => {
            let us: u64 = argv.get(1).and_then(|a| a.parse().ok()).unwrap_or(0);
            return Applet::SleepUntil(h.now() + us / 1000);
        }
        "cat" => cat(h, c),
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
        "env" => {
            let mut s = String::new();
            for (k, val) in c.env {
                s.push_str(&format!("{k}={val}\n"));
            }
            out(h, fds, &s);
            0
        }
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
        "whoami" => {
            out(h, fds, "root\n");
            0
        }
        "id" if h.gnu() => {
            out(h, fds, "uid=0(root) gid=0(root) groups=0(root)\n");
            0
        }
        "id" => {
            // images.md §1.4: root gets wheel from /etc/group; `id` prints groups= only if the
            // process has supplementary groups. The RUN harness had none; containerd adds them.
            if argv.get(1).map(|a| a == "nobody").unwrap_or(false) {
                out(
                    h,
                    fds,
                    "uid=65534(nobody) gid=65534(nobody) groups=65534(nobody)\n",
                );
            } else {
                out(h, fds, "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
            }
            0
        }
        "uname" => {
            let hn = h.hostname();
            let rel = h.kernel_release();
            let s = match argv.get(1).map(|s| s.as_str()) {
                Some("-a") => format!("Linux {hn} {rel} #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux"),
                Some("-r") => rel,
                Some("-n") => hn,
                Some("-m") => "x86_64".into(),
                _ => "Linux".into(),
            };
            out(h, fds, &format!("{s}\n"));
            0
        }
        "ps" => {
            let mut s = String::from("PID   USER     TIME  COMMAND\n");
            for p in h.processes() {
                s.push_str(&format!("{:>5} root      0:00 {}\n", p.pid, p.cmdline));
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
            let mut b = a
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string();
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
        "head" | "tail" => return head_tail(h, c, &name),
        "wc" => wc(h, c),
        "seq" => {
            let nums: Vec<i64> = argv[1..].iter().filter_map(|a| a.parse().ok()).collect();
            let (a, step, b) = match nums.as_slice() {
                [b] => (1, 1, *b),
                [a, b] => (*a, 1, *b),
                [a, s, b] => (*a, *s, *b),
                _ => (1, 1, 0),
            };
            let mut s = String::new();
            let mut i = a;
            while step != 0 && ((step > 0 && i <= b) || (step < 0 && i >= b)) && s.len() < 1 << 20 {
                s.push_str(&format!("{i}\n"));
                i += step;
            }
            out(h, fds, &s);
            0
        }
        "yes" => {
            // Writes until the reader goes away; here: a bounded burst (1 MiB) into the pipe.
            let word = if argv.len() > 1 {
                argv[1..].join(" ")
            } else {
                "y".into()
            };
            let line = format!("{word}\n");
            let s = line.repeat((1 << 20) / line.len().max(1));
            out(h, fds, &s);
            0
        }
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
        "wget" => crate::net_applets::wget(h, c),
        "nc" => return crate::net_applets::nc(h, c),
        "nslookup" => crate::net_applets::nslookup(h, c),
        "netstat" => crate::net_applets::netstat(h, c),
        "ping" => crate::net_applets::ping(h, c),
        "httpd" => return crate::net_applets::httpd(h, c),
        "busybox" => {
            if argv.len() > 1 {
                let sub: Vec<String> = argv[1..].to_vec();
                return run(
                    h,
                    &Ctx {
                        argv: &sub,
                        env: c.env,
                        cwd: c.cwd,
                        fds,
                    },
                );
            }
            out(h, fds, &format!("{}\n", v.banner()));
            0
        }
        "sync" | "ln" | "stat" | "uptime" | "free" | "df" | "du" => 0,
        other => {
            err(h, fds, &format!("{other}: applet not found\n"));
            127
        }
    };
    Applet::Exit(code)
}

fn shell(h: &mut dyn Host, c: &Ctx) -> Applet {
    use crate::shell::vm::{Dialect, Vm};
    let argv = c.argv;
    let v = h.busybox_version();
    let pid = h.pid();
    let dash = h.gnu();
    let mut vm;
    if argv.get(1).map(|a| a == "-c").unwrap_or(false) {
        let Some(script) = argv.get(2) else {
            err(h, c.fds, &format!("{}: -c requires an argument\n", argv[0]));
            return Applet::Exit(2);
        };
        let arg0 = argv.get(3).cloned().unwrap_or_else(|| argv[0].clone());
        vm = Vm::new(
            &arg0,
            c.env,
            c.cwd,
            c.fds.clone(),
            Dialect {
                version: v,
                script: false,
                dash,
            },
            pid,
        );
        vm.positional = argv.iter().skip(4).cloned().collect();
        vm.exit_on_last = true;
        vm.load(script);
    } else if let Some(file) = argv.get(1).filter(|a| !a.starts_with('-')) {
        let abs = normalize(c.cwd, file);
        let data = h.view().read(&abs);
        match data {
            Ok(d) => {
                vm = Vm::new(
                    file,
                    c.env,
                    c.cwd,
                    c.fds.clone(),
                    Dialect {
                        version: v,
                        script: !dash,
                        dash,
                    },
                    pid,
                );
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
        vm = Vm::new(
            &argv[0],
            c.env,
            c.cwd,
            c.fds.clone(),
            Dialect {
                version: v,
                script: false,
                dash,
            },
            pid,
        );
        let script = String::from_utf8_lossy(c.fds.stdin.bytes()).to_string();
        vm.load(&script);
    }
    Applet::Shell(Box::new(vm))
}

/// `sleep` accepts N[smhd] and fractions (busybox with FEATURE_FANCY_SLEEP / FLOAT_SLEEP).
pub fn parse_duration(s: &str) -> Option<u64> {
    if s == "infinity" || s == "inf" {
        return Some(u64::MAX);
    }
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1000.0),
        'm' => (&s[..s.len() - 1], 60_000.0),
        'h' => (&s[..s.len() - 1], 3_600_000.0),
        'd' => (&s[..s.len() - 1], 86_400_000.0),
        _ => (s, 1000.0),
    };
    if num.is_empty()
        || !num.chars().all(|c| c.is_ascii_digit() || c == '.')
        || num.matches('.').count() > 1
    {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    Some((v * mult).round() as u64)
}

fn sleep(h: &mut dyn Host, argv: &[String], fds: &Fds, v: BusyboxVersion) -> Applet {
    if h.gnu() {
        // GNU coreutils sleep.
        if argv.len() < 2 {
            err(
                h,
                fds,
                "sleep: missing operand\nTry 'sleep --help' for more information.\n",
            );
            return Applet::Exit(1);
        }
        let mut total: u64 = 0;
        for a in &argv[1..] {
            match parse_duration(a) {
                Some(ms) => total = total.saturating_add(ms),
                None => {
                    err(h, fds, &format!("sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information.\n"));
                    return Applet::Exit(1);
                }
            }
        }
        return if total == u64::MAX {
            Applet::Forever
        } else {
            Applet::SleepUntil(h.now() + total)
        };
    }
    if argv.len() < 2 {
        let usage = format!(
            "{}\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n",
            v.banner()
        );
        err(h, fds, &usage);
        return Applet::Exit(1);
    }
    let mut total: u64 = 0;
    for a in &argv[1..] {
        match parse_duration(a) {
            Some(ms) => total = total.saturating_add(ms),
            None => {
                err(h, fds, &format!("sleep: invalid number '{a}'\n"));
                return Applet::Exit(1);
            }
        }
    }
    if total == u64::MAX {
        return Applet::Forever;
    }
    Applet::SleepUntil(h.now() + total)
}

fn echo(h: &mut dyn Host, argv: &[String], fds: &Fds) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c)) {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let mut s = argv[i..].join(" ");
    if escapes {
        let (t, stop) = unescape(&s);
        s = t;
        if stop {
            newline = false;
        }
    }
    if newline {
        s.push('\n');
    }
    out(h, fds, &s);
    0
}

/// Backslash escapes of `echo -e` / printf; the bool is true at `\c` (stop output).
fn unescape(s: &str) -> (String, bool) {
    let mut o = String::new();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        if cs[i] == '\\' && i + 1 < cs.len() {
            i += 1;
            match cs[i] {
                'n' => o.push('\n'),
                't' => o.push('\t'),
                'r' => o.push('\r'),
                '\\' => o.push('\\'),
                'a' => o.push('\x07'),
                'c' => return (o, true),
                '0' => {
                    let mut v = 0u32;
                    let mut k = 0;
                    while k < 3 && i + 1 < cs.len() && cs[i + 1].is_digit(8) {
                        i += 1;
                        v = v * 8 + cs[i].to_digit(8).unwrap();
                        k += 1;
                    }
                    o.push(char::from_u32(v).unwrap_or('?'));
                }
                c => {
                    o.push('\\');
                    o.push(c);
                }
            }
        } else {
            o.push(cs[i]);
        }
        i += 1;
    }
    (o, false)
}

fn printf(h: &mut dyn Host, argv: &[String], fds: &Fds) -> i32 {
    let Some(fmt) = argv.get(1) else {
        err(h, fds, "printf: usage: printf FORMAT [ARGUMENT...]\n");
        return 1;
    };
    let args = &argv[2..];
    let mut ai = 0;
    let mut o = String::new();
    let cs: Vec<char> = fmt.chars().collect();
    loop {
        let mut i = 0;
        while i < cs.len() {
            let c = cs[i];
            if c == '\\' {
                let mut j = i + 1;
                let mut esc = String::from("\\");
                if j < cs.len() {
                    esc.push(cs[j]);
                    j += 1;
                }
                o.push_str(&unescape(&esc).0);
                i = j;
            } else if c == '%' && i + 1 < cs.len() {
                let mut j = i + 1;
                let mut spec = String::new();
                while j < cs.len() && "-+ #0123456789.".contains(cs[j]) {
                    spec.push(cs[j]);
                    j += 1;
                }
                let conv = cs.get(j).copied().unwrap_or('%');
                let arg = args.get(ai).cloned();
                let width: usize = spec
                    .trim_start_matches(['-', '0'])
                    .split('.')
                    .next()
                    .unwrap_or("")
                    .parse()
                    .unwrap_or(0);
                let left = spec.starts_with('-');
                let zero = spec.starts_with('0');
                let body = match conv {
                    '%' => "%".to_string(),
                    's' => {
                        ai += 1;
                        arg.unwrap_or_default()
                    }
                    'b' => {
                        ai += 1;
                        unescape(&arg.unwrap_or_default()).0
                    }
                    'c' => {
                        ai += 1;
                        arg.and_then(|a| a.chars().next())
                            .map(|c| c.to_string())
                            .unwrap_or_default()
                    }
                    'd' | 'i' | 'u' => {
                        ai += 1;
                        arg.map(|a| a.trim().parse::<i64>().unwrap_or(0))
                            .unwrap_or(0)
                            .to_string()
                    }
                    'x' => {
                        ai += 1;
                        format!(
                            "{:x}",
                            arg.map(|a| a.parse::<i64>().unwrap_or(0)).unwrap_or(0)
                        )
                    }
                    'o' => {
                        ai += 1;
                        format!(
                            "{:o}",
                            arg.map(|a| a.parse::<i64>().unwrap_or(0)).unwrap_or(0)
                        )
                    }
                    'f' => {
                        ai += 1;
                        let prec: usize = spec
                            .split('.')
                            .nth(1)
                            .and_then(|p| p.parse().ok())
                            .unwrap_or(6);
                        format!(
                            "{:.*}",
                            prec,
                            arg.map(|a| a.parse::<f64>().unwrap_or(0.0)).unwrap_or(0.0)
                        )
                    }
                    other => format!("%{spec}{other}"),
                };
                let padded = if body.len() >= width {
                    body
                } else if left {
                    format!("{body:<width$}")
                } else if zero {
                    format!("{body:0>width$}")
                } else {
                    format!("{body:>width$}")
                };
                o.push_str(&padded);
                i = j + 1;
            } else {
                o.push(c);
                i += 1;
            }
        }
        if ai == 0 || ai >= args.len() {
            break;
        }
    }
    out(h, fds, &o);
    0
}

fn test(h: &mut dyn Host, argv: &[String], fds: &Fds) -> i32 {
    let mut args: Vec<String> = argv[1..].to_vec();
    if argv[0] == "[" {
        if args.last().map(|a| a != "]").unwrap_or(true) {
            err(h, fds, "[: missing ]\n");
            return 2;
        }
        args.pop();
    }
    match test_expr(h, &args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(m) => {
            err(
                h,
                fds,
                &format!("{}: {m}\n", argv[0].rsplit('/').next().unwrap_or("test")),
            );
            2
        }
    }
}

fn test_expr(h: &mut dyn Host, a: &[String]) -> Result<bool, String> {
    // split on -o / -a (lowest precedence first)
    if let Some(i) = a.iter().position(|x| x == "-o") {
        if i > 0 {
            return Ok(test_expr(h, &a[..i])? || test_expr(h, &a[i + 1..])?);
        }
    }
    if let Some(i) = a.iter().position(|x| x == "-a") {
        if i > 0 && a.len() > 2 {
            return Ok(test_expr(h, &a[..i])? && test_expr(h, &a[i + 1..])?);
        }
    }
    match a.len() {
        0 => Ok(false),
        1 => Ok(!a[0].is_empty()),
        2 => {
            if a[0] == "!" {
                return Ok(!test_expr(h, &a[1..])?);
            }
            let p = &a[1];
            let mut v = h.view();
            let abs = normalize("/", p);
            let st = v.stat(&abs).ok().cloned();
            let _ = &mut v;
            Ok(match a[0].as_str() {
                "-e" => st.is_some(),
                "-f" => st.map(|n| !n.is_dir()).unwrap_or(false),
                "-d" => st.map(|n| n.is_dir()).unwrap_or(false),
                "-s" => st.map(|n| !n.is_dir() && n.size() > 0).unwrap_or(false),
                "-r" | "-w" => st.is_some(),
                "-x" => st
                    .map(|n| n.is_dir() || n.mode & 0o111 != 0)
                    .unwrap_or(false),
                "-L" | "-h" => false,
                "-n" => !p.is_empty(),
                "-z" => p.is_empty(),
                op => return Err(format!("{op}: unknown operand")),
            })
        }
        3 => {
            if a[0] == "!" {
                return Ok(!test_expr(h, &a[1..])?);
            }
            let (l, op, r) = (&a[0], a[1].as_str(), &a[2]);
            let num = |s: &str| {
                s.trim()
                    .parse::<i64>()
                    .map_err(|_| format!("invalid number '{s}'"))
            };
            Ok(match op {
                "=" | "==" => l == r,
                "!=" => l != r,
                "-eq" => num(l)? == num(r)?,
                "-ne" => num(l)? != num(r)?,
                "-lt" => num(l)? < num(r)?,
                "-le" => num(l)? <= num(r)?,
                "-gt" => num(l)? > num(r)?,
                "-ge" => num(l)? >= num(r)?,
                _ => return Err(format!("{op}: unknown operand")),
            })
        }
        _ => {
            if a[0] == "!" {
                return Ok(!test_expr(h, &a[1..])?);
            }
            if a[0] == "(" && a.last().map(|x| x == ")").unwrap_or(false) {
                return test_expr(h, &a[1..a.len() - 1]);
            }
            Err("syntax error".into())
        }
    }
}

/// Split flags (single-dash clusters) from operands.
fn flags_and_operands(argv: &[String]) -> (String, Vec<String>) {
    let mut flags = String::new();
    let mut ops = Vec::new();
    let mut done = false;
    for a in &argv[1..] {
        if !done && a == "--" {
            done = true;
        } else if !done && a.len() > 1 && a.starts_with('-') {
            flags.push_str(&a[1..]);
        } else {
            ops.push(a.clone());
        }
    }
    (flags, ops)
}

fn each_path(h: &mut dyn Host, c: &Ctx, f: impl Fn(&mut dyn Host, &str, &str, &Fds) -> i32) -> i32 {
    let (_, ops) = flags_and_operands(c.argv);
    let mut st = 0;
    for a in ops {
        let abs = normalize(c.cwd, &a);
        st |= f(h, &abs, &a, c.fds);
    }
    st
}

fn read_input(h: &mut dyn Host, c: &Ctx, applet: &str, file: &str) -> Result<Vec<u8>, i32> {
    if file == "-" {
        return Ok(c.fds.stdin.bytes().to_vec());
    }
    let abs = normalize(c.cwd, file);
    let r = h.view().read(&abs);
    let gnu = h.gnu();
    r.map_err(|e| {
        let msg = match applet {
            "cat" if gnu => format!("cat: {file}: {}\n", e.strerror()),
            "head" | "tail" if gnu => format!(
                "{applet}: cannot open '{file}' for reading: {}\n",
                e.strerror()
            ),
            "cat" if e == FsError::IsDir => "cat: read error: Is a directory\n".to_string(),
            "cat" | "tail" => format!("{applet}: can't open '{file}': {}\n", e.strerror()),
            _ => format!("{applet}: {file}: {}\n", e.strerror()),
        };
        err(h, c.fds, &msg);
        1
    })
}

fn cat(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (_, ops) = flags_and_operands(c.argv);
    let files = if ops.is_empty() {
        vec!["-".to_string()]
    } else {
        ops
    };
    let mut st = 0;
    for f in files {
        match read_input(h, c, "cat", &f) {
            Ok(d) => h.write(&c.fds.stdout, &d),
            Err(e) => st = e,
        }
    }
    st
}

fn rm(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let force = flags.contains('f');
    let recursive = flags.contains('r') || flags.contains('R');
    let mut st = 0;
    for a in ops {
        let abs = normalize(c.cwd, &a);
        let is_dir = h.view().is_dir(&abs);
        if is_dir && !recursive {
            let m = if h.gnu() {
                format!("rm: cannot remove '{a}': Is a directory\n")
            } else {
                format!("rm: '{a}' is a directory\n")
            };
            err(h, c.fds, &m);
            st = 1;
            continue;
        }
        let r = h.view().remove(&abs, recursive);
        match r {
            Ok(()) => {}
            Err(FsError::NotFound) if force => {}
            Err(e) => {
                let m = if h.gnu() {
                    format!("rm: cannot remove '{a}': {}\n", e.strerror())
                } else {
                    format!("rm: can't remove '{a}': {}\n", e.strerror())
                };
                err(h, c.fds, &m);
                st = 1;
            }
        }
    }
    st
}

fn mkdir(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let parents = flags.contains('p');
    let mut st = 0;
    for a in ops {
        let abs = normalize(c.cwd, &a);
        let r = if parents {
            h.view().mkdir_p(&abs)
        } else {
            h.view().mkdir(&abs)
        };
        if let Err(e) = r {
            let verb = if h.gnu() { "cannot" } else { "can't" };
            err(
                h,
                c.fds,
                &format!("mkdir: {verb} create directory '{a}': {}\n", e.strerror()),
            );
            st = 1;
        }
    }
    st
}

fn cp_mv(h: &mut dyn Host, c: &Ctx, name: &str) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    if ops.len() < 2 {
        err(
            h,
            c.fds,
            &format!("{name}: missing destination file operand\n"),
        );
        return 1;
    }
    let dest = ops.last().unwrap().clone();
    let dest_abs = normalize(c.cwd, &dest);
    let dest_is_dir = h.view().is_dir(&dest_abs);
    let mut st = 0;
    for src in &ops[..ops.len() - 1] {
        let sabs = normalize(c.cwd, src);
        let target = if dest_is_dir {
            normalize(&dest_abs, src.rsplit('/').next().unwrap_or(src))
        } else {
            dest_abs.clone()
        };
        let exists = h.view().stat(&sabs).map(|n| n.is_dir());
        match exists {
            Err(e) => {
                let m = if h.gnu() {
                    format!("{name}: cannot stat '{src}': {}\n", e.strerror())
                } else if name == "cp" {
                    format!("cp: can't stat '{src}': {}\n", e.strerror())
                } else {
                    format!("mv: can't rename '{src}': {}\n", e.strerror())
                };
                err(h, c.fds, &m);
                st = 1;
                continue;
            }
            Ok(true)
                if name == "cp"
                    && !(flags.contains('r') || flags.contains('R') || flags.contains('a')) =>
            {
                err(h, c.fds, &format!("cp: omitting directory '{src}'\n"));
                st = 1;
                continue;
            }
            _ => {}
        }
        let r = if name == "cp" {
            h.view().copy(&sabs, &target)
        } else {
            h.view().rename(&sabs, &target)
        };
        if let Err(e) = r {
            let m = if name == "cp" {
                format!("cp: can't create '{dest}': {}\n", e.strerror())
            } else {
                format!("mv: can't rename '{src}': {}\n", e.strerror())
            };
            err(h, c.fds, &m);
            st = 1;
        }
    }
    st
}

fn mode_string(is_dir: bool, mode: u32) -> String {
    let mut s = String::from(if is_dir { "d" } else { "-" });
    for shift in [6, 3, 0] {
        let m = (mode >> shift) & 7;
        s.push(if m & 4 != 0 { 'r' } else { '-' });
        s.push(if m & 2 != 0 { 'w' } else { '-' });
        s.push(if m & 1 != 0 { 'x' } else { '-' });
    }
    if mode & 0o1000 != 0 {
        s.pop();
        s.push(if mode & 1 != 0 { 't' } else { 'T' });
    }
    s
}

fn ls(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let long = flags.contains('l');
    let all = flags.contains('a');
    let one = flags.contains('1') || long;
    let ops = if ops.is_empty() {
        vec![".".to_string()]
    } else {
        ops
    };
    let now = h.wall_secs();
    let mut st = 0;
    let mut o = String::new();
    let multiple = ops.len() > 1;
    for (idx, a) in ops.iter().enumerate() {
        let abs = normalize(c.cwd, a);
        let node = h.view().stat(&abs).ok().cloned();
        let Some(node) = node else {
            let e = h.view().stat(&abs).err().unwrap_or(FsError::NotFound);
            if h.gnu() {
                err(
                    h,
                    c.fds,
                    &format!("ls: cannot access '{a}': {}\n", e.strerror()),
                );
                st = 2;
            } else {
                err(h, c.fds, &format!("ls: {a}: {}\n", e.strerror()));
                st = 1;
            }
            continue;
        };
        let line_for = |name: &str, n: &crate::fs::Node, links: usize| -> String {
            if long {
                format!(
                    "{} {:>4} root     root     {:>9} {} {}\n",
                    mode_string(n.is_dir(), n.mode),
                    links,
                    n.size(),
                    clock::ls_time(n.mtime, now),
                    name
                )
            } else {
                format!("{name}\n")
            }
        };
        if !node.is_dir() || flags.contains('d') {
            o.push_str(&line_for(a, &node, 1));
            continue;
        }
        let names = h.view().list(&abs).unwrap_or_default();
        if multiple {
            if idx > 0 {
                o.push('\n');
            }
            o.push_str(&format!("{a}:\n"));
        }
        let mut entries: Vec<(String, crate::fs::Node)> = Vec::new();
        if all {
            entries.push((".".into(), node.clone()));
            let parent = normalize(&abs, "..");
            let pn = h.view().stat(&parent).ok().cloned().unwrap_or(node.clone());
            entries.push(("..".into(), pn));
        }
        for n in names {
            if n.starts_with('.') && !all {
                continue;
            }
            let child = h.view().stat(&normalize(&abs, &n)).ok().cloned();
            if let Some(ch) = child {
                entries.push((n, ch));
            }
        }
        if long {
            let blocks: u64 = entries
                .iter()
                .map(|(_, n)| {
                    if n.is_dir() {
                        4
                    } else {
                        n.size().div_ceil(4096) * 4
                    }
                })
                .sum();
            o.push_str(&format!("total {blocks}\n"));
        }
        for (n, node) in &entries {
            let links = if node.is_dir() && n != ".." {
                let dir = normalize(&abs, n);
                let kids = h.view().list(&dir).unwrap_or_default();
                2 + kids
                    .iter()
                    .filter(|k| h.view().is_dir(&normalize(&dir, k)))
                    .count()
            } else if node.is_dir() {
                2
            } else {
                1
            };
            o.push_str(&line_for(n, node, links));
        }
        let _ = one;
    }
    out(h, c.fds, &o);
    st
}

fn kill(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut sig = 15;
    let mut rest = &c.argv[1..];
    if let Some(f) = rest.first() {
        if let Some(s) = f.strip_prefix('-') {
            match s
                .parse::<i32>()
                .ok()
                .or_else(|| crate::types::Signal::parse(s).map(|x| x.number()))
            {
                Some(n) => sig = n,
                None => {
                    err(h, c.fds, &format!("kill: bad signal name '{s}'\n"));
                    return 1;
                }
            }
            rest = &rest[1..];
        }
    }
    let mut st = 0;
    for p in rest {
        let ok = p
            .parse::<u32>()
            .map(|pid| {
                if sig == 0 {
                    h.is_alive(pid)
                } else {
                    h.kill(pid, sig)
                }
            })
            .unwrap_or(false);
        if !ok {
            err(
                h,
                c.fds,
                &format!("kill: can't kill pid {p}: No such process\n"),
            );
            st = 1;
        }
    }
    st
}

fn grep(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let Some(pat) = ops.first().cloned() else {
        err(h, c.fds, "grep: no pattern\n");
        return 2;
    };
    let invert = flags.contains('v');
    let icase = flags.contains('i');
    let count = flags.contains('c');
    let quiet = flags.contains('q');
    let files = if ops.len() > 1 {
        ops[1..].to_vec()
    } else {
        vec!["-".into()]
    };
    let show_name = files.len() > 1;
    let mut found = false;
    let mut st_err = false;
    let mut o = String::new();
    for f in &files {
        let data = match read_input(h, c, "grep", f) {
            Ok(d) => d,
            Err(_) => {
                st_err = true;
                continue;
            }
        };
        let text = String::from_utf8_lossy(&data).to_string();
        let mut n = 0;
        for line in text.lines() {
            let hit = if icase {
                line.to_lowercase().contains(&pat.to_lowercase())
            } else {
                simple_regex(&pat, line)
            };
            if hit != invert {
                n += 1;
                found = true;
                if !count && !quiet {
                    if show_name {
                        o.push_str(&format!("{f}:"));
                    }
                    o.push_str(line);
                    o.push('\n');
                }
            }
        }
        if count {
            o.push_str(&if show_name {
                format!("{f}:{n}\n")
            } else {
                format!("{n}\n")
            });
        }
    }
    out(h, c.fds, &o);
    if st_err {
        2
    } else if found {
        0
    } else {
        1
    }
}

/// Basic regex subset: `^`, `$`, `.`, `.*`; otherwise substring match.
fn simple_regex(pat: &str, line: &str) -> bool {
    let anchored_start = pat.starts_with('^');
    let anchored_end = pat.ends_with('$') && !pat.ends_with("\\$");
    let core = pat.trim_start_matches('^');
    let core = if anchored_end {
        &core[..core.len() - 1]
    } else {
        core
    };
    let glob = core
        .replace(".*", "\u{1}")
        .replace('.', "?")
        .replace('\u{1}', "*");
    let glob = format!(
        "{}{}{}",
        if anchored_start { "" } else { "*" },
        glob,
        if anchored_end { "" } else { "*" }
    );
    crate::shell::pattern::matches(&glob, line)
}

fn head_tail(h: &mut dyn Host, c: &Ctx, name: &str) -> Applet {
    let mut n: usize = 10;
    let mut follow = false;
    let mut files = Vec::new();
    let mut i = 1;
    while i < c.argv.len() {
        let a = &c.argv[i];
        if a == "-n" {
            n = c
                .argv
                .get(i + 1)
                .and_then(|x| x.trim_start_matches('+').parse().ok())
                .unwrap_or(10);
            i += 1;
        } else if a == "-f" || a == "-F" {
            follow = true;
        } else if let Some(num) = a.strip_prefix('-').and_then(|x| x.parse::<usize>().ok()) {
            n = num;
        } else if let Some(num) = a.strip_prefix("-n").and_then(|x| x.parse::<usize>().ok()) {
            n = num;
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let mut st = 0;
    let mut ok_files = 0;
    for f in &files {
        if f == "/dev/null" {
            ok_files += 1;
            continue;
        }
        match read_input(h, c, name, f) {
            Ok(d) => {
                ok_files += 1;
                let text = String::from_utf8_lossy(&d).to_string();
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                let sel: Vec<&str> = if name == "head" {
                    lines.iter().take(n).copied().collect()
                } else {
                    lines[lines.len().saturating_sub(n)..].to_vec()
                };
                out(h, c.fds, &sel.concat());
            }
            Err(e) => st = e,
        }
    }
    if name == "tail" && ok_files == 0 && !h.gnu() {
        err(h, c.fds, "tail: no files\n");
        return Applet::Exit(1);
    }
    if name == "tail" && follow && ok_files > 0 {
        return Applet::Forever;
    }
    Applet::Exit(st)
}

fn wc(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let files = if ops.is_empty() {
        vec!["-".to_string()]
    } else {
        ops
    };
    let mut st = 0;
    for f in files {
        match read_input(h, c, "wc", &f) {
            Ok(d) => {
                let text = String::from_utf8_lossy(&d);
                let l = d.iter().filter(|b| **b == b'\n').count();
                let w = text.split_whitespace().count();
                let b = d.len();
                let name = if f == "-" {
                    String::new()
                } else {
                    format!(" {f}")
                };
                let s = match flags.as_str() {
                    "l" => format!("{l}{name}\n"),
                    "w" => format!("{w}{name}\n"),
                    "c" => format!("{b}{name}\n"),
                    _ => format!("{l:>9} {w:>9} {b:>9}{name}\n"),
                };
                out(h, c.fds, &s);
            }
            Err(e) => st = e,
        }
    }
    st
}

fn find(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut roots = Vec::new();
    let mut name_pat: Option<String> = None;
    let mut type_f: Option<char> = None;
    let mut i = 1;
    while i < c.argv.len() {
        match c.argv[i].as_str() {
            "-name" => {
                name_pat = c.argv.get(i + 1).cloned();
                i += 1;
            }
            "-type" => {
                type_f = c.argv.get(i + 1).and_then(|t| t.chars().next());
                i += 1;
            }
            a if !a.starts_with('-') => roots.push(a.to_string()),
            _ => {}
        }
        i += 1;
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let mut st = 0;
    let mut o = String::new();
    for r in roots {
        let abs = normalize(c.cwd, &r);
        if !h.view().exists(&abs) {
            err(h, c.fds, &format!("find: {r}: No such file or directory\n"));
            st = 1;
            continue;
        }
        let mut stack = vec![(r.clone(), abs)];
        while let Some((shown, abs)) = stack.pop() {
            let node = h.view().stat(&abs).ok().cloned();
            let Some(node) = node else { continue };
            let base = shown.rsplit('/').next().unwrap_or(&shown).to_string();
            let name_ok = name_pat
                .as_ref()
                .map(|p| crate::shell::pattern::matches(p, &base))
                .unwrap_or(true);
            let type_ok = match type_f {
                Some('f') => !node.is_dir(),
                Some('d') => node.is_dir(),
                _ => true,
            };
            if name_ok && type_ok {
                o.push_str(&format!("{shown}\n"));
            }
            if node.is_dir() {
                let mut kids = h.view().list(&abs).unwrap_or_default();
                kids.reverse();
                for k in kids {
                    let s = if shown.ends_with('/') {
                        format!("{shown}{k}")
                    } else {
                        format!("{shown}/{k}")
                    };
                    stack.push((s, normalize(&abs, &k)));
                }
            }
        }
    }
    out(h, c.fds, &o);
    st
}

pub fn write_to(h: &mut dyn Host, o: &Output, s: &str) {
    h.write(o, s.as_bytes());
}

/// A file's content as text, for servers reading their document roots.
pub fn node_text(n: &crate::fs::Node) -> Option<&[u8]> {
    match &n.kind {
        NodeKind::File(d) => Some(d),
        NodeKind::Dir => None,
    }
}

pub fn net_err_text(e: &NetError) -> &'static str {
    match e {
        NetError::Refused => "Connection refused",
        NetError::Unreachable => "Network is unreachable",
        NetError::TimedOut => "Connection timed out",
        NetError::Closed => "Connection reset by peer",
    }
}
