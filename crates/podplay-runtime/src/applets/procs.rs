//! Process applets: sleep, kill.

use super::*;

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
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') || num.matches('.').count() > 1 {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    Some((v * mult).round() as u64)
}

pub(super) fn sleep(h: &mut dyn Host, argv: &[String], fds: &Fds, v: BusyboxVersion) -> Applet {
    if h.gnu() {
        // GNU coreutils sleep.
        if argv.len() < 2 {
            err(h, fds, "sleep: missing operand\nTry 'sleep --help' for more information.\n");
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
        return match total {
            0 => Applet::Exit(0),
            u64::MAX => Applet::Forever,
            _ => Applet::SleepUntil(h.now() + total),
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
    match total {
        // Nothing to wait for: it ends at once (as nanosleep of 0 returns at once).
        0 => Applet::Exit(0),
        u64::MAX => Applet::Forever,
        _ => Applet::SleepUntil(h.now() + total),
    }
}

pub(super) fn kill(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut sig = 15;
    let mut rest = &c.argv[1..];
    if let Some(f) = rest.first() {
        if let Some(s) = f.strip_prefix('-') {
            match s.parse::<i32>().ok().or_else(|| crate::types::Signal::parse(s).map(|x| x.number())) {
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
        let ok = p.parse::<u32>().map(|pid| if sig == 0 { h.is_alive(pid) } else { h.kill(pid, sig) }).unwrap_or(false);
        if !ok {
            err(h, c.fds, &format!("kill: can't kill pid {p}: No such process\n"));
            st = 1;
        }
    }
    st
}
