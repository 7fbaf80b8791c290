//! The applets that write as fast as they can: `yes`, `cat` of `/dev/zero` (or of a large file
//! held as a pattern), `dd`, `head -c` (busybox `coreutils/yes.c`, `cat.c` through
//! `libbb/copyfd.c`, `dd.c`, `head.c`). Up to `PIPE_BURST` bytes they write at once, paying
//! their virtual CPU; beyond, they become a background writer (`crate::writers`) whose output is
//! worked out from the time.

use std::rc::Rc;

use super::{err, Applet, Ctx};
use crate::fs::{normalize, FsError};
use crate::io::Output;
use crate::shell::host::Host;
use crate::writers::{burst, dd_status, target_of, DdStatus, Program, Target, Writer, PIPE_BURST};

/// What a streaming applet asks the runtime to run in the background.
#[derive(Debug)]
pub struct StreamSpec {
    pub(crate) program: Program,
    pub(crate) unit: Rc<[u8]>,
    pub(crate) chunk: u64,
    pub(crate) total: Option<u64>,
    pub(crate) target: Target,
    pub(crate) read_steps: u64,
}

/// stdio's buffer for a pipe or a file (`st_blksize`), and busybox's copy buffer
/// (`CONFIG_FEATURE_COPYBUF_KB=4`).
const STDIO_BUF: u64 = 4096;

/// Exit status of a process killed by SIGPIPE.
const SIGPIPE_STATUS: i32 = 128 + 13;

/// The zero device, which never ends.
pub(super) fn is_zero_device(abs: &str) -> bool {
    abs == "/dev/zero"
}

/// Runs `spec` writing to `out`: at once when it is short or goes to a pipe, else in the
/// background.
fn run_stream(h: &mut dyn Host, c: &Ctx, out: &Output, mut spec: StreamSpec) -> Applet {
    let Some(target) = target_of(out) else {
        // A pipe or an exec session: a burst, then the reader goes (SIGPIPE) or the end.
        let (bytes, killed) = burst(&spec.unit, spec.total);
        let probe = Writer::new(
            spec.program.clone(),
            spec.unit.clone(),
            spec.chunk,
            Some(bytes.len() as u64),
            Target::Null,
            0,
            spec.read_steps,
            1000,
        );
        let writes = probe.writes().unwrap_or(0);
        h.write(out, &bytes);
        h.charge(writes * probe.chunk_steps);
        if killed {
            return Applet::Exit(SIGPIPE_STATUS);
        }
        if let Program::Dd { status, .. } = &spec.program {
            let s = dd_status(*status, writes, writes, bytes.len() as u64, probe.seconds(writes * probe.chunk_steps));
            err(h, c.fds, &s);
        }
        return Applet::Exit(0);
    };
    spec.target = target;
    match spec.total {
        Some(total) if total <= PIPE_BURST => run_now(h, c, out, spec, total),
        _ => Applet::Stream(Box::new(spec)),
    }
}

/// A short stream, written at once.
fn run_now(h: &mut dyn Host, c: &Ctx, out: &Output, spec: StreamSpec, total: u64) -> Applet {
    let w = Writer::new(spec.program.clone(), spec.unit.clone(), spec.chunk, Some(total), spec.target.clone(), 0, spec.read_steps, 1000);
    let writes = w.writes().unwrap_or(0);
    let written = match &spec.target {
        Target::File(abs) => h.view().append_repeated(abs, &spec.unit, 0, total).unwrap_or(0),
        Target::Null => total,
        Target::Log(_) => {
            let (bytes, _) = burst(&spec.unit, Some(total));
            h.write(out, &bytes);
            total
        }
    };
    if written < total {
        let k = written / w.chunk;
        h.charge(k * w.chunk_steps + w.read_steps);
        return Applet::Exit(no_space(h, c, &spec.program, &w, written));
    }
    h.charge(writes * w.chunk_steps);
    if let Program::Dd { status, .. } = &spec.program {
        err(h, c.fds, &dd_status(*status, writes, writes, total, w.seconds(writes * w.chunk_steps)));
    }
    Applet::Exit(0)
}

/// What the program prints when its write failed with ENOSPC after `written` bytes; its exit
/// status.
pub(crate) fn no_space(h: &mut dyn Host, c: &Ctx, program: &Program, w: &Writer, written: u64) -> i32 {
    err(h, c.fds, &no_space_text(program, w, written));
    1
}

/// The messages of a failed write (busybox: `bb_perror_msg` texts).
pub(crate) fn no_space_text(program: &Program, w: &Writer, written: u64) -> String {
    let why = FsError::NoSpace.strerror();
    match program {
        Program::Yes => format!("yes: {why}\n"),
        Program::Cat => format!("cat: write error: {why}\n"),
        Program::Head => format!("head: standard output: {why}\n"),
        Program::Dd { out_name, status } => {
            let k = written / w.chunk;
            let mut s = format!("dd: error writing '{out_name}': {why}\n");
            s.push_str(&dd_status(*status, k + 1, k, written, w.seconds(k * w.chunk_steps + w.read_steps)));
            s
        }
    }
}

/// `yes [STRING]...`: the strings joined by spaces, a line at a time, until stopped.
pub(super) fn yes(h: &mut dyn Host, c: &Ctx) -> Applet {
    let word = if c.argv.len() > 1 { c.argv[1..].join(" ") } else { "y".into() };
    let unit: Rc<[u8]> = Rc::from(format!("{word}\n").into_bytes());
    let read_steps = Writer::yes_steps(STDIO_BUF, unit.len());
    let spec = StreamSpec { program: Program::Yes, unit, chunk: STDIO_BUF, total: None, target: Target::Null, read_steps };
    run_stream(h, c, &c.fds.stdout.clone(), spec)
}

/// `cat FILE...` where a file is `/dev/zero` or a large file held as a pattern: what comes before
/// is written at once, that one streams. None: an ordinary `cat`.
pub(super) fn cat_stream(h: &mut dyn Host, c: &Ctx) -> Option<Applet> {
    let (_, ops) = super::files::flags_and_operands(c.argv);
    let streams = |h: &mut dyn Host, a: &str| -> Option<(Rc<[u8]>, Vec<u8>, Option<u64>)> {
        let abs = normalize(c.cwd, a);
        if is_zero_device(&abs) {
            return Some((Rc::from(&[0u8][..]), Vec::new(), None));
        }
        let v = h.view();
        let n = v.stat(&abs).ok()?;
        match &n.kind {
            crate::fs::NodeKind::Pattern { head, unit, len } if *len > PIPE_BURST => Some((unit.clone(), head.clone(), Some(*len))),
            _ => None,
        }
    };
    let first = ops.iter().position(|a| streams(h, a).is_some())?;
    let mut st = 0;
    for f in &ops[..first] {
        match super::files::read_input(h, c, "cat", f) {
            Ok(d) => h.write(&c.fds.stdout, &d),
            Err(e) => st = e,
        }
    }
    let (unit, head, total) = streams(h, &ops[first]).expect("streams");
    if !head.is_empty() {
        h.write(&c.fds.stdout, &head);
    }
    let _ = st;
    let spec = StreamSpec {
        program: Program::Cat,
        unit,
        chunk: STDIO_BUF,
        total,
        target: Target::Null,
        read_steps: Writer::zero_read_steps(STDIO_BUF),
    };
    Some(run_stream(h, c, &c.fds.stdout.clone(), spec))
}

/// `head -c N` of `/dev/zero`. None: an ordinary `head`.
pub(super) fn head_bytes(h: &mut dyn Host, c: &Ctx) -> Option<Applet> {
    let mut count: Option<u64> = None;
    let mut files = Vec::new();
    let mut i = 1;
    while i < c.argv.len() {
        let a = &c.argv[i];
        if a == "-c" {
            count = c.argv.get(i + 1).and_then(|v| parse_size(v, HEAD_SUFFIXES));
            i += 1;
        } else if let Some(v) = a.strip_prefix("-c") {
            count = parse_size(v, HEAD_SUFFIXES);
        } else if !a.starts_with('-') {
            files.push(a.clone());
        }
        i += 1;
    }
    let count = count?;
    if files.len() != 1 || !is_zero_device(&normalize(c.cwd, &files[0])) {
        return None;
    }
    // getc/putchar through stdio: about a nanosecond a byte.
    let read_steps = Writer::zero_read_steps(STDIO_BUF) + STDIO_BUF / 1024;
    let spec = StreamSpec {
        program: Program::Head,
        unit: Rc::from(&[0u8][..]),
        chunk: STDIO_BUF,
        total: Some(count),
        target: Target::Null,
        read_steps,
    };
    Some(run_stream(h, c, &c.fds.stdout.clone(), spec))
}

/// busybox `head`'s size suffixes (`head_suffixes`).
pub(super) const HEAD_SUFFIXES: &[(&str, u64)] = &[("b", 512), ("k", 1024), ("m", 1024 * 1024)];

/// libbb's `cwbkMG_suffixes`, which dd's numbers take.
const DD_SUFFIXES: &[(&str, u64)] = &[
    ("c", 1),
    ("w", 2),
    ("b", 512),
    ("kB", 1000),
    ("kD", 1000),
    ("k", 1024),
    ("K", 1024),
    ("MB", 1_000_000),
    ("MD", 1_000_000),
    ("M", 1 << 20),
    ("GB", 1_000_000_000),
    ("GD", 1_000_000_000),
    ("G", 1 << 30),
];

pub(super) fn parse_size(v: &str, suffixes: &[(&str, u64)]) -> Option<u64> {
    let digits = v.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(v.len());
    let n: u64 = v[..digits].parse().ok()?;
    let rest = &v[digits..];
    if rest.is_empty() {
        return Some(n);
    }
    suffixes.iter().find(|(s, _)| *s == rest).map(|(_, m)| n.saturating_mul(*m))
}

/// `dd` (busybox `coreutils/dd.c`): `if=/dev/zero` (or a file, or stdin), `of=FILE` (or stdout),
/// `bs=`, `count=`, `status=`, `conv=notrunc`, `oflag=append`.
pub(super) fn dd(h: &mut dyn Host, c: &Ctx) -> Applet {
    let mut bs: u64 = 512;
    let mut count: Option<u64> = None;
    let mut infile: Option<String> = None;
    let mut outfile: Option<String> = None;
    let mut status = DdStatus::Full;
    let mut notrunc = false;
    let mut append = false;
    for a in &c.argv[1..] {
        if a == "--" {
            continue;
        }
        let Some((key, val)) = a.split_once('=') else { return usage(h, c) };
        let num = |v: &str| parse_size(v, DD_SUFFIXES);
        match key {
            "bs" | "ibs" | "obs" => match num(val).filter(|n| *n > 0) {
                Some(n) => bs = n,
                None => return invalid_number(h, c, val),
            },
            "count" => match num(val) {
                Some(n) => count = Some(n),
                None => return invalid_number(h, c, val),
            },
            "seek" | "skip" => {}
            "if" => infile = Some(val.to_string()),
            "of" => outfile = Some(val.to_string()),
            "status" => match val {
                "none" => status = DdStatus::None,
                "noxfer" => status = DdStatus::NoXfer,
                _ => {
                    err(h, c.fds, &format!("dd: invalid argument '{val}' to 'status'\n"));
                    return Applet::Exit(1);
                }
            },
            "conv" => notrunc |= val.split(',').any(|w| w == "notrunc"),
            "oflag" => append |= val.split(',').any(|w| w == "append"),
            "iflag" => {}
            _ => return usage(h, c),
        }
    }
    // The input: the zero device streams; anything else is read whole and copied at once.
    let zero = infile.as_deref().is_some_and(|f| is_zero_device(&normalize(c.cwd, f)));
    let data: Option<Vec<u8>> = if zero {
        None
    } else {
        match &infile {
            None => Some(c.fds.stdin.bytes().to_vec()),
            Some(f) => match h.view().read(&normalize(c.cwd, f)) {
                Ok(d) => Some(d),
                Err(e) => {
                    err(h, c.fds, &format!("dd: can't open '{f}': {}\n", e.strerror()));
                    return Applet::Exit(1);
                }
            },
        }
    };
    let out_name = outfile.clone().unwrap_or_else(|| "standard output".into());
    let target = match &outfile {
        None => Target::Null,
        Some(f) => {
            let abs = normalize(c.cwd, f);
            let r = {
                let mut v = h.view();
                if v.exists(&abs) && !v.is_dir(&abs) && (notrunc || append) {
                    Ok(())
                } else {
                    v.write(&abs, b"", false)
                }
            };
            if let Err(e) = r {
                err(h, c.fds, &format!("dd: can't open '{f}': {}\n", e.strerror()));
                return Applet::Exit(1);
            }
            if abs == "/dev/null" || is_zero_device(&abs) {
                Target::Null
            } else {
                Target::File(abs)
            }
        }
    };
    let out = match &target {
        Target::File(p) => Output::File(p.clone()),
        Target::Null if outfile.is_some() => Output::Null,
        _ => c.fds.stdout.clone(),
    };
    let program = Program::Dd { out_name, status };
    match data {
        None => {
            let read_steps = Writer::zero_read_steps(bs);
            let total = count.map(|n| n.saturating_mul(bs));
            run_stream(h, c, &out, StreamSpec { program, unit: Rc::from(&[0u8][..]), chunk: bs, total, target, read_steps })
        }
        Some(d) => {
            // A finite input: its blocks, written at once.
            let blocks = (d.len() as u64).div_ceil(bs);
            let n = count.map_or(blocks, |c| c.min(blocks));
            let len = (n * bs).min(d.len() as u64) as usize;
            let full = (len as u64) / bs;
            let part = u64::from(!(len as u64).is_multiple_of(bs));
            let wrote = match &target {
                Target::File(abs) => h.view().write(abs, &d[..len], true).map(|_| len as u64),
                _ => {
                    h.write(&out, &d[..len]);
                    Ok(len as u64)
                }
            };
            let w = Writer::new(program.clone(), Rc::from(&[0u8][..]), bs, Some(len as u64), Target::Null, 0, 2, 1000);
            let steps = n * w.chunk_steps;
            h.charge(steps);
            match wrote {
                Ok(_) => {
                    if let Program::Dd { status, .. } = &program {
                        let mut s = format!("{full}+{part} records in\n{full}+{part} records out\n");
                        if *status == DdStatus::None {
                            s.clear();
                        } else if *status == DdStatus::Full {
                            let full_status = dd_status(DdStatus::Full, 0, 0, len as u64, w.seconds(steps));
                            s.push_str(full_status.lines().nth(2).unwrap_or(""));
                            s.push('\n');
                        }
                        err(h, c.fds, &s);
                    }
                    Applet::Exit(0)
                }
                Err(_) => Applet::Exit(no_space(h, c, &program, &w, 0)),
            }
        }
    }
}

fn invalid_number(h: &mut dyn Host, c: &Ctx, v: &str) -> Applet {
    err(h, c.fds, &format!("dd: invalid number '{v}'\n"));
    Applet::Exit(1)
}

/// `bb_show_usage()` for dd (its usage text in `coreutils/dd.c`).
fn usage(h: &mut dyn Host, c: &Ctx) -> Applet {
    let banner = h.busybox_version().banner();
    let text = format!(
        "{banner}\n\nUsage: dd [if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]\n\
         \t[conv=notrunc|noerror|sync|fsync]\n\
         \t[iflag=skip_bytes|count_bytes|fullblock|direct] [oflag=seek_bytes|append|direct]\n\n\
         Copy a file with converting and formatting\n\n\
         \tif=FILE\t\tRead from FILE instead of stdin\n\
         \tof=FILE\t\tWrite to FILE instead of stdout\n\
         \tbs=N\t\tRead and write N bytes at a time\n\
         \tibs=N\t\tRead N bytes at a time\n\
         \tobs=N\t\tWrite N bytes at a time\n\
         \tcount=N\t\tCopy only N input blocks\n\
         \tskip=N\t\tSkip N input blocks\n\
         \tseek=N\t\tSkip N output blocks\n\
         \tconv=notrunc\tDon't truncate output file\n\
         \tconv=noerror\tContinue after read errors\n\
         \tconv=sync\tPad blocks with zeros\n\
         \tconv=fsync\tPhysically write data out before finishing\n\
         \tconv=swab\tSwap every pair of bytes\n\
         \tiflag=skip_bytes\tskip=N is in bytes\n\
         \tiflag=count_bytes\tcount=N is in bytes\n\
         \toflag=seek_bytes\tseek=N is in bytes\n\
         \tiflag=direct\tO_DIRECT input\n\
         \toflag=direct\tO_DIRECT output\n\
         \tiflag=fullblock\tRead full blocks\n\
         \toflag=append\tOpen output in append mode\n\
         \tstatus=noxfer\tSuppress rate output\n\
         \tstatus=none\tSuppress all output\n\n\
         N may be suffixed by c (1), w (2), b (512), kB (1000), k (1024), MB, M, GB, G\n"
    );
    err(h, c.fds, &text);
    Applet::Exit(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_suffixes() {
        assert_eq!(parse_size("1M", DD_SUFFIXES), Some(1 << 20));
        assert_eq!(parse_size("4k", DD_SUFFIXES), Some(4096));
        assert_eq!(parse_size("10", DD_SUFFIXES), Some(10));
        assert_eq!(parse_size("1kB", DD_SUFFIXES), Some(1000));
        assert_eq!(parse_size("1x", DD_SUFFIXES), None);
        assert_eq!(parse_size("2m", HEAD_SUFFIXES), Some(2 << 20));
    }
}
