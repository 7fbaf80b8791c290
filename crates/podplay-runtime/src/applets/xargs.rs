//! busybox `xargs` (findutils/xargs.c): reads words from stdin and runs the command (`echo` by
//! default) with as many as fit, batch after batch, each run to its end before the next
//! (`spawn_and_wait`). Words are split as `process_stdin` splits them (blanks separate them;
//! `'...'`, `"..."` and `\` quote, an unmatched quote is `xargs: unmatched single quote`); `-0`
//! splits on NUL bytes (`process0_stdin`); `-I STR`/`-i[STR]` runs the command once per line
//! with STR replaced in its arguments, skipping empty lines and leading blanks
//! (`process_stdin_with_replace`; it implies `-r`). A batch holds at most `-n N` words and
//! `-s N` bytes (words and their NULs; by default 32 KiB less 2048 less the command's own
//! arguments, as `bb_arg_max` caps it). `-t` prints each command line on stderr, `-r` runs
//! nothing for empty input, `-E STR`/`-e[STR]` stops at the word STR, `-a FILE` reads FILE,
//! `-x` is accepted, `-P N` runs the batches one after another (the output of parallel runs is
//! not interleaved). The exit code: 123 if any run exited 1–125, 124 (and
//! `xargs: CMD: exited with status 255; aborting`) for 255 — 1.28 returns 0 or 123 there, the
//! bug busybox fixed after it —, 127 (`xargs: CMD: No such file or directory`) or 126 when the
//! command cannot be run. `-p` and `-o` need a terminal, which a container's xargs has not:
//! podplay refuses them by name. A run killed by a signal reads as its exit status (podplay's
//! processes report 128+N), not busybox's `terminated by signal` (125).

use super::*;
use crate::shell::host::Spawned;

struct Die(String);

#[derive(PartialEq, Eq, Clone, Copy)]
enum State {
    Norm,
    Space,
    Backslash,
    Quote,
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    state: State,
    q: u8,
    eof_str: Option<String>,
}

impl Reader<'_> {
    fn getchar(&mut self) -> Option<u8> {
        let c = self.data.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// `process_stdin`: words into `args` from `buf` (seeded with the last call's tail); the
    /// tail of a word that did not fit.
    fn words(&mut self, max_chars: usize, mut max_args: usize, seed: Vec<u8>, args: &mut Vec<Vec<u8>>) -> Result<Vec<u8>, Die> {
        let mut buf = seed;
        let mut s = 0; // start of the word in buf
        let is_space = |c: u8| c == b' ' || (9..=13).contains(&c);
        loop {
            let got = self.getchar();
            let mut c;
            let mut set = false;
            match got {
                None => {
                    if buf.len() != s {
                        self.state = State::Space;
                        c = 0;
                        set = true;
                    } else {
                        break;
                    }
                }
                Some(ch) => {
                    c = ch;
                    if self.state == State::Backslash {
                        self.state = State::Norm;
                        set = true;
                    } else if self.state == State::Quote {
                        if c != self.q {
                            set = true;
                        } else {
                            self.q = 0;
                            self.state = State::Norm;
                        }
                    } else if is_space(c) {
                        if buf.len() != s {
                            self.state = State::Space;
                            c = 0;
                            set = true;
                        }
                    } else if c == b'\\' {
                        self.state = State::Backslash;
                    } else if c == b'\'' || c == b'"' {
                        self.q = c;
                        self.state = State::Quote;
                    } else {
                        set = true;
                    }
                }
            }
            if set {
                buf.push(c);
            }
            if self.state == State::Space {
                self.state = State::Norm;
                if self.q != 0 {
                    let which = if self.q == b'\'' { "single" } else { "double" };
                    return Err(Die(format!("unmatched {which} quote")));
                }
                let word = buf[s..buf.len() - 1].to_vec();
                if self.eof_str.as_deref().is_some_and(|e| e.as_bytes() == word.as_slice()) {
                    self.pos = self.data.len();
                    buf.truncate(s);
                    break;
                }
                args.push(word);
                s = buf.len();
                max_args -= 1;
                if max_args == 0 {
                    break;
                }
            }
            if buf.len() >= max_chars {
                break;
            }
            if got.is_none() {
                break;
            }
        }
        Ok(buf[s..].to_vec())
    }

    /// `process0_stdin`: NUL-terminated words.
    fn words0(&mut self, max_chars: usize, mut max_args: usize, seed: Vec<u8>, args: &mut Vec<Vec<u8>>) -> Vec<u8> {
        let mut buf = seed;
        let mut s = 0;
        loop {
            let c = match self.getchar() {
                None if buf.len() == s => break,
                None => 0,
                Some(c) => c,
            };
            buf.push(c);
            if c == 0 {
                args.push(buf[s..buf.len() - 1].to_vec());
                s = buf.len();
                max_args -= 1;
                if max_args == 0 {
                    break;
                }
            }
            if buf.len() >= max_chars {
                break;
            }
        }
        buf[s..].to_vec()
    }

    /// `process_stdin_with_replace`: the next non-empty line, leading blanks skipped (None at
    /// the end of the input).
    fn line(&mut self, max_chars: usize, eol: u8) -> Option<Vec<u8>> {
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let c = self.getchar();
            if buf.is_empty() {
                match c {
                    None => return None,
                    Some(c) if c == eol => continue,
                    Some(c) if c == b' ' || (9..=13).contains(&c) => continue,
                    _ => {}
                }
            }
            match c {
                None => return Some(buf),
                Some(c) if c == eol => return Some(buf),
                Some(c) => buf.push(c),
            }
            if buf.len() >= max_chars {
                return Some(buf);
            }
        }
    }
}

fn number(s: &str) -> Result<usize, Die> {
    match s.parse::<u64>() {
        Ok(n) if (1..=i32::MAX as u64).contains(&n) => Ok(n as usize),
        Ok(_) => Err(Die(format!("number {s} is not in 1..2147483647 range"))),
        Err(_) => Err(Die(format!("invalid number '{s}'"))),
    }
}

pub(super) fn xargs(h: &mut dyn Host, c: &Ctx) -> i32 {
    match run(h, c) {
        Ok(code) => code,
        Err(Die(m)) => {
            err(h, c.fds, &format!("xargs: {m}\n"));
            1
        }
    }
}

fn run(h: &mut dyn Host, c: &Ctx) -> Result<i32, Die> {
    let argv = c.argv;
    let (mut verbose, mut no_empty, mut zero) = (false, false, false);
    let (mut max_args, mut max_size): (Option<String>, Option<String>) = (None, None);
    let mut eof_str: Option<String> = None;
    let mut repl: Option<String> = None;
    let mut file: Option<String> = None;
    let mut i = 1;
    // getopt32 "+trn:s:e::E:op x0I:i::P:+a:": options up to the first operand.
    'args: while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            i += 1;
            break;
        }
        if a == "--no-run-if-empty" {
            no_empty = true;
            i += 1;
            continue;
        }
        if !a.starts_with('-') || a.len() < 2 {
            break;
        }
        let b = a.as_bytes();
        let mut k = 1;
        while k < b.len() {
            let rest = &a[k + 1..];
            let value = |i: &mut usize| -> Result<String, Die> {
                if !rest.is_empty() {
                    return Ok(rest.to_string());
                }
                *i += 1;
                argv.get(*i).cloned().ok_or_else(|| Die(format!("option requires an argument -- '{}'", b[k] as char)))
            };
            match b[k] {
                b't' => verbose = true,
                b'r' => no_empty = true,
                b'x' => {}
                b'0' => zero = true,
                b'n' => {
                    max_args = Some(value(&mut i)?);
                    i += 1;
                    continue 'args;
                }
                b's' => {
                    max_size = Some(value(&mut i)?);
                    i += 1;
                    continue 'args;
                }
                b'E' => {
                    let v = value(&mut i)?;
                    eof_str = (!v.is_empty()).then_some(v);
                    i += 1;
                    continue 'args;
                }
                b'e' => {
                    eof_str = (!rest.is_empty()).then(|| rest.to_string());
                    i += 1;
                    continue 'args;
                }
                b'I' => {
                    repl = Some(value(&mut i)?);
                    i += 1;
                    continue 'args;
                }
                b'i' => {
                    repl = Some(if rest.is_empty() { "{}".to_string() } else { rest.to_string() });
                    i += 1;
                    continue 'args;
                }
                b'P' => {
                    value(&mut i)?;
                    i += 1;
                    continue 'args;
                }
                b'a' => {
                    file = Some(value(&mut i)?);
                    i += 1;
                    continue 'args;
                }
                o @ (b'p' | b'o') => {
                    return Err(Die(format!("podplay: -{} needs a terminal, which a container's xargs has not", o as char)))
                }
                o => return Err(Die(format!("invalid option -- '{}'", o as char))),
            }
            k += 1;
        }
        i += 1;
    }
    let mut cmd: Vec<String> = argv[i..].to_vec();
    if cmd.is_empty() {
        cmd.push("echo".into());
    }
    let input = match &file {
        Some(f) => h.view().read(&normalize(c.cwd, f)).map_err(|e| Die(format!("can't open '{f}': {}", e.strerror())))?,
        None => c.fds.stdin.bytes().to_vec(),
    };
    let mut max_chars: i64 = 32 * 1024 - 2048;
    if let Some(s) = &max_size {
        max_chars = number(s)? as i64;
    }
    max_chars -= cmd.iter().map(|a| a.len() as i64 + 1).sum::<i64>();
    if max_chars <= 0 {
        return Err(Die("can't fit single argument within argument list size limit".into()));
    }
    let max_chars = max_chars as usize;
    let max_n = match &max_args {
        Some(n) => number(n)?,
        None => max_chars,
    };
    let mut reader = Reader { data: &input, pos: 0, state: State::Norm, q: 0, eof_str };
    let mut status = 0;
    let path = c.env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_else(|| "/bin:/usr/bin".into());
    let env = std::rc::Rc::new(c.env.to_vec());
    if let Some(r) = &repl {
        let eol = if zero { 0 } else { b'\n' };
        while let Some(line) = reader.line(max_chars, eol) {
            let line = String::from_utf8_lossy(&line).to_string();
            let args: Vec<String> = cmd.iter().map(|a| a.replace(r.as_str(), &line)).collect();
            if let Some(code) = exec(h, c, &args, verbose, &path, &env, &mut status) {
                return Ok(code);
            }
        }
        return Ok(status);
    }
    let mut seed = Vec::new();
    let mut first = true;
    loop {
        let mut words = Vec::new();
        let rem =
            if zero { reader.words0(max_chars, max_n, seed, &mut words) } else { reader.words(max_chars, max_n, seed, &mut words)? };
        if words.is_empty() {
            if !rem.is_empty() {
                return Err(Die("argument line too long".into()));
            }
            if no_empty || !first {
                break;
            }
        }
        first = false;
        let mut args = cmd.clone();
        args.extend(words.iter().map(|w| String::from_utf8_lossy(w).to_string()));
        if let Some(code) = exec(h, c, &args, verbose, &path, &env, &mut status) {
            return Ok(code);
        }
        seed = rem;
    }
    Ok(status)
}

/// `xargs_exec`: runs one batch to its end; Some(code) when xargs stops.
fn exec(
    h: &mut dyn Host,
    c: &Ctx,
    args: &[String],
    verbose: bool,
    path: &str,
    env: &std::rc::Rc<Vec<(String, String)>>,
    status: &mut i32,
) -> Option<i32> {
    if verbose {
        err(h, c.fds, &format!("{}\n", args.join(" ")));
    }
    let code = match h.lookup(&args[0], path) {
        Err(code) => {
            let why = if code == 126 { "Permission denied" } else { "No such file or directory" };
            err(h, c.fds, &format!("xargs: {}: {why}\n", args[0]));
            *status = code;
            return Some(code);
        }
        Ok(p) => {
            let fds = Fds { stdin: crate::io::Input::Null, stdout: c.fds.stdout.clone(), stderr: c.fds.stderr.clone() };
            match h.spawn(&p, args.to_vec(), env.clone(), c.cwd.to_string(), fds) {
                Spawned::Exited(pid, code) => {
                    h.reap(pid);
                    code
                }
                Spawned::Running(pid) => {
                    let code = h.run_to_completion(pid).unwrap_or(0);
                    h.reap(pid);
                    code
                }
                Spawned::Failed(code) => code,
                Spawned::NoFork(limit) => {
                    err(h, c.fds, &format!("xargs: vfork: {}\n", limit.describe()));
                    return Some(1);
                }
            }
        }
    };
    if code == 255 {
        err(h, c.fds, &format!("xargs: {}: exited with status 255; aborting\n", args[0]));
        if h.busybox_version() >= BusyboxVersion::V1_36 {
            *status = 124;
        }
        return Some(*status);
    }
    if code != 0 {
        *status = 123;
    }
    None
}
