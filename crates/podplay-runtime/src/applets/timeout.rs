//! busybox `timeout` (coreutils/timeout.c): `timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS`
//! (1.28: `timeout [-t SECS] [-s SIG] PROG ARGS`, SECS 10 by default). As busybox does it,
//! timeout itself becomes PROG (exec, the same pid) after starting a watcher that sleeps a
//! second at a time, checking that PROG is still there (`timeout_wait`: the last sleep is the
//! fraction left), then sends SIG (TERM by default) and, with `-k`, KILL after KILL_SECS more.
//! So what the caller sees is PROG's own status: 143 for a PROG that SIGTERM ended, not
//! GNU's 124. The watcher is a process of podplay's shell (it shows in `ps` with timeout's
//! command line, as busybox's grandchild does), started as a child rather than a grandchild
//! handed to init. SECS takes `s m h d` suffixes and fractions (1.36+; 1.28 whole seconds).
//! `timeout: unknown signal 'X'`; a PROG that cannot be found is `timeout: can't execute
//! 'P': No such file or directory`, 127; no SECS or PROG prints the usage, exit 1.

use super::*;
use crate::shell::host::Spawned;

fn usage(h: &mut dyn Host, c: &Ctx, v: BusyboxVersion) -> Applet {
    let text = if v >= BusyboxVersion::V1_36 {
        "Usage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS\n\nRun PROG. Send SIG to it if it is not gone in SECS seconds.\nDefault SIG: TERM.\nIf it still exists in KILL_SECS seconds, send KILL.\n"
    } else {
        "Usage: timeout [-t SECS] [-s SIG] PROG ARGS\n\nRuns PROG. Sends SIG to it if it is not gone in SECS seconds.\nDefaults: SECS: 10, SIG: TERM.\n"
    };
    err(h, c.fds, &format!("{}\n\n{text}", v.banner()));
    Applet::Exit(1)
}

/// The watcher's script: `timeout_wait` for `ms`, then the signal (`kill` fails quietly on a
/// PROG already gone).
fn wait_script(ms: u64, pid: u32, sig: i32) -> String {
    if ms < 1000 {
        return format!("sleep {}.{:03}; kill -{sig} {pid} 2>/dev/null", ms / 1000, ms % 1000);
    }
    // Seconds of 1 s sleeps checked after each, then the rest (a second, or the fraction).
    let checked = ms.div_ceil(1000) - 1;
    let last = ms - checked * 1000;
    format!(
        "i={checked}; while [ $i -gt 0 ]; do sleep 1; kill -0 {pid} 2>/dev/null || exit 0; i=$((i-1)); done; sleep {}.{:03}; kill -{sig} {pid} 2>/dev/null",
        last / 1000,
        last % 1000
    )
}

pub(super) fn timeout(h: &mut dyn Host, c: &Ctx) -> Applet {
    let v = h.busybox_version();
    let argv = c.argv;
    let mut sig_name = "TERM".to_string();
    let mut kill_after: Option<String> = None;
    let mut secs: Option<String> = None;
    let mut i = 1;
    // getopt32 "+s:k:" (1.28: "+s:t:+"): options up to PROG or SECS.
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a.len() < 2 {
            break;
        }
        let opt = a.as_bytes()[1];
        let val = if a.len() > 2 {
            a[2..].to_string()
        } else {
            i += 1;
            match argv.get(i) {
                Some(x) => x.clone(),
                None => {
                    err(h, c.fds, &format!("timeout: option requires an argument -- '{}'\n", opt as char));
                    return usage(h, c, v);
                }
            }
        };
        match opt {
            b's' => sig_name = val,
            b'k' if v >= BusyboxVersion::V1_36 => kill_after = Some(val),
            b't' if v < BusyboxVersion::V1_36 => secs = Some(val),
            o => {
                err(h, c.fds, &format!("timeout: invalid option -- '{}'\n", o as char));
                return usage(h, c, v);
            }
        }
        i += 1;
    }
    let Some(sig) = crate::types::Signal::parse(sig_name.trim_start_matches("SIG")).map(|s| s.number()).or_else(|| sig_name.parse().ok())
    else {
        err(h, c.fds, &format!("timeout: unknown signal '{sig_name}'\n"));
        return Applet::Exit(1);
    };
    let duration = |s: &str| -> Option<u64> {
        if v >= BusyboxVersion::V1_36 {
            super::procs::parse_duration(s)
        } else {
            s.parse::<u64>().ok().map(|n| n * 1000)
        }
    };
    let ms = if v >= BusyboxVersion::V1_36 {
        let Some(s) = argv.get(i) else { return usage(h, c, v) };
        i += 1;
        s.clone()
    } else {
        secs.unwrap_or_else(|| "10".into())
    };
    let Some(ms) = duration(&ms) else {
        err(h, c.fds, &format!("timeout: invalid number '{ms}'\n"));
        return Applet::Exit(1);
    };
    let kill_ms = match kill_after.as_deref().map(duration) {
        None => None,
        Some(Some(k)) => Some(k),
        Some(None) => {
            err(h, c.fds, &format!("timeout: invalid number '{}'\n", kill_after.unwrap_or_default()));
            return Applet::Exit(1);
        }
    };
    let Some(prog) = argv.get(i) else { return usage(h, c, v) };
    let path = c.env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_else(|| "/bin:/usr/bin".into());
    if let Err(code) = h.lookup(prog, &path) {
        let why = if code == 126 { "Permission denied" } else { "No such file or directory" };
        err(h, c.fds, &format!("timeout: can't execute '{prog}': {why}\n"));
        return Applet::Exit(code);
    }
    let pid = h.pid();
    if ms != u64::MAX {
        let mut script = wait_script(ms, pid, sig);
        if let Some(k) = kill_ms.filter(|k| *k > 0) {
            script = format!("{script}; {}", wait_script(k, pid, 9));
        }
        let fds = Fds { stdin: crate::io::Input::Null, stdout: crate::io::Output::Null, stderr: crate::io::Output::Null };
        let dialect = crate::shell::vm::Dialect { version: v, script: false, dash: false, bash: false };
        let mut vm = crate::shell::vm::Vm::new("timeout", c.env, c.cwd, fds.clone(), dialect, pid);
        vm.exit_on_last = true;
        vm.load(&script);
        if let Spawned::NoFork(limit) = h.spawn_shell(Box::new(vm), argv.to_vec(), fds) {
            err(h, c.fds, &format!("timeout: vfork: {}\n", limit.describe()));
            return Applet::Exit(1);
        }
    }
    Applet::ExecWithEnv { argv: argv[i..].to_vec(), env: c.env.to_vec() }
}
