//! busybox `sed` (editors/sed.c), ported function by function: `add_cmd` parses each line of
//! script into commands (`get_address`, `parse_cmd_args`, `parse_subst_cmd`, with its escape
//! handling `copy_parsing_escapes`/`parse_escapes`), and `process_files` runs them over the
//! input lines with one line read ahead (`$`), busybox's newline bookkeeping at the end of a
//! file (`puts_maybe_newline`: a last line without a newline is written without one), ranges
//! (`N,M`, `/re/,/re/`, `N,+M`, `!`), blocks, labels and branches, the hold space, `a i c r w
//! y = l` and `s///` with `g`, `p`, `N`, `I`, `w FILE`, `&` and `\0`..`\9`. Options: `-n`
//! (counted; `#n` on the first line too), `-e` (several), `-f FILE`, `-i[SFX]` (a temporary
//! file renamed over the original, as sed does), `-r`/`-E`, and their long forms;
//! `--version` is busybox's answer to autoconf.
//!
//! What differs by version (the fixes after 1.28.4): in 1.28 an `s` whose pattern starts with
//! `^` ignores `g`, an escaped delimiter stays escaped in the pattern and the replacement
//! (`s+9\++X+` is `9\+`), and a `/re/,+N` range spans its lines only the first time.
//!
//! Regular expressions are `regex.rs` (glibc's syntax and messages). A script that runs more
//! than `STEP_LIMIT` units of work, and 8 more a byte of input (a command is one, and one more for each 16 bytes of its
//! pattern space: `:a;ba`, `:a;s/^/x/;ba`) is taken to run until stopped, as the real one
//! does; a pattern or hold space past `SPACE_LIMIT` ends the run with a podplay error naming
//! the bound (`:a;G;h;ba` doubles them), where busybox would run out of memory.

use super::regex::{Captures, Regex};
use super::*;
use crate::fs::FsError;

/// Commands one run may execute before podplay takes it to loop for ever.
const STEP_LIMIT: u64 = 20_000_000;
/// The largest pattern or hold space.
const SPACE_LIMIT: usize = 16 << 20;

const NO_EOL_CHAR: u8 = 1;
const LAST_IS_NUL: u8 = 2;

struct Die(String);

#[derive(Default, Clone)]
struct Cmd {
    beg_line: i64,
    beg_line_orig: i64,
    end_line: i64,
    end_line_orig: i64,
    beg_match: Option<usize>,
    end_match: Option<usize>,
    invert: bool,
    in_match: bool,
    cmd: u8,
    string: Option<Vec<u8>>,
    sub_match: Option<usize>,
    which_match: u32,
    sub_p: bool,
    sw_file: Option<usize>,
    y: Vec<(u8, u8)>,
}

/// Where the input comes from: the operands in order (`None`: stdin).
struct Input {
    sources: Vec<Option<String>>,
    current: usize,
    last: usize,
    data: Option<(Vec<u8>, usize)>,
}

struct Sed {
    v: BusyboxVersion,
    ere: bool,
    quiet: u32,
    cmds: Vec<Cmd>,
    regexes: Vec<Regex>,
    previous: Option<usize>,
    add_cmd_line: Option<Vec<u8>>,
    /// `w` files: name, what was written, the last character written.
    files: Vec<(String, Vec<u8>, u8)>,
    hold: Option<Vec<u8>>,
    append: Vec<Vec<u8>>,
    out: Vec<u8>,
    errors: String,
    exitcode: i32,
    steps: u64,
    /// Stdin was read to its end: a second `-` reads nothing.
    stdin_read: bool,
    /// Work the input itself allows on top of `STEP_LIMIT`: 8 units a byte read.
    allowance: u64,
}

fn is_semicolon_whitespace(b: u8) -> bool {
    matches!(b, b';' | b' ' | b'\n' | b'\r' | b'\t' | 0x0b)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | 0x0b | 0x0c)
}

/// `parse_escapes`: copies `s`, replacing `\from` with `to`; with `to` 0, `\any` with `any`.
fn parse_escapes(s: &[u8], from: u8, to: u8) -> Vec<u8> {
    let mut d = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' {
            if to == 0 || s.get(i + 1) == Some(&from) {
                let ch = if to != 0 { to } else { s.get(i + 1).copied().unwrap_or(0) };
                if ch == 0 {
                    return d;
                }
                d.push(ch);
                i += 2;
                continue;
            }
            i += 1;
            d.push(b'\\');
        }
        match s.get(i) {
            None | Some(0) => return d,
            Some(&c) => d.push(c),
        }
        i += 1;
    }
    d
}

/// `copy_parsing_escapes`: `\n`, `\t`, `\r`, and (from 1.36) an escaped delimiter.
fn copy_parsing_escapes(s: &[u8], delim: u8) -> Vec<u8> {
    let mut d = s.to_vec();
    for (from, to) in [(b'n', b'\n'), (b't', b'\t'), (b'r', b'\r')] {
        d = parse_escapes(&d, from, to);
    }
    if delim != 0 {
        d = parse_escapes(&d, delim, delim);
    }
    d
}

/// `index_of_next_unescaped_regexp_delim`; `brackets`: a `[...]` hides the delimiter.
fn next_delim(delim: u8, s: &[u8], brackets: bool) -> Result<usize, Die> {
    let mut bracket: i64 = if brackets { -1 } else { -2 };
    let mut escaped = false;
    for (idx, &ch) in s.iter().enumerate() {
        let idx = idx as i64;
        if bracket >= 0 {
            if ch == b']' && !(bracket == idx - 1 || (bracket == idx - 2 && s[idx as usize - 1] == b'^')) {
                bracket = -1;
            }
        } else if escaped {
            escaped = false;
        } else if ch == b'\\' {
            escaped = true;
        } else if bracket == -1 && ch == b'[' {
            bracket = idx;
        } else if ch == delim {
            return Ok(idx as usize);
        }
    }
    Err(Die(format!("unmatched '{}'", delim as char)))
}

fn strtol(s: &[u8]) -> (i64, usize) {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let v = std::str::from_utf8(&s[..n]).ok().and_then(|t| t.parse::<i64>().ok()).unwrap_or(i64::MAX);
    (v, n)
}

impl Sed {
    fn compile(&mut self, pat: &[u8], icase: bool) -> Result<usize, Die> {
        match Regex::new(pat, self.ere, icase) {
            Ok(r) => {
                self.regexes.push(r);
                Ok(self.regexes.len() - 1)
            }
            Err(e) => Err(Die(format!("bad regex '{}': {}", String::from_utf8_lossy(pat), e.0))),
        }
    }

    /// `get_address`: how far the address reaches; the line (`-1`: `$`) or the regex.
    fn get_address(&mut self, s: &[u8], line: &mut i64, regex: &mut Option<usize>) -> Result<usize, Die> {
        match s.first() {
            Some(b) if b.is_ascii_digit() => {
                let (v, n) = strtol(s);
                *line = v;
                Ok(n)
            }
            Some(b'$') => {
                *line = -1;
                Ok(1)
            }
            Some(&b) if b == b'/' || b == b'\\' => {
                let mut pos = 0;
                let mut delim = b'/';
                if b == b'\\' {
                    pos += 1;
                    delim = s.get(pos).copied().unwrap_or(0);
                }
                pos += 1;
                let next = next_delim(delim, &s[pos.min(s.len())..], true)?;
                if next != 0 {
                    let pat = copy_parsing_escapes(&s[pos..pos + next], 0);
                    let r = self.compile(&pat, false)?;
                    self.previous = Some(r);
                    *regex = Some(r);
                } else {
                    *regex = Some(self.previous.ok_or_else(|| Die("no previous regexp".into()))?);
                }
                Ok(pos + next + 1)
            }
            _ => Ok(0),
        }
    }

    /// `parse_regex_delim`: the pattern and replacement; the index of the third delimiter.
    fn parse_regex_delim(&self, s: &[u8]) -> Result<(Vec<u8>, Vec<u8>, usize), Die> {
        let Some(&delim) = s.first() else { return Err(Die("bad format in substitution expression".into())) };
        let new = self.v >= BusyboxVersion::V1_36;
        let idx = next_delim(delim, &s[1..], true)?;
        let pat = copy_parsing_escapes(&s[1..1 + idx], if new { delim } else { 0 });
        let rest = &s[1 + idx + 1..];
        let idx2 = next_delim(delim, rest, false)?;
        let repl_delim = if new && delim != b'&' { delim } else { 0 };
        let repl = copy_parsing_escapes(&rest[..idx2], repl_delim);
        Ok((pat, repl, 1 + idx + 1 + idx2))
    }

    /// `parse_file_cmd`: whitespace skipped, the name to the end of the line.
    fn parse_file_cmd(s: &[u8]) -> Result<(Vec<u8>, usize), Die> {
        let start = s.iter().position(|b| !is_space(*b)).unwrap_or(s.len());
        let eol = s[start..].iter().position(|b| *b == b'\n').map_or(s.len(), |e| start + e);
        if eol == start {
            return Err(Die("empty filename".into()));
        }
        let mut name = s[start..eol].to_vec();
        if eol < s.len() {
            name.push(b'\\');
        }
        Ok((name, eol))
    }

    fn open_w(&mut self, name: &[u8]) -> usize {
        let name = String::from_utf8_lossy(name).to_string();
        if let Some(i) = self.files.iter().position(|(n, _, _)| *n == name) {
            return i;
        }
        self.files.push((name, Vec::new(), b'\n'));
        self.files.len() - 1
    }

    fn parse_subst_cmd(&mut self, cmd: &mut Cmd, s: &[u8]) -> Result<usize, Die> {
        let (pat, repl, mut idx) = self.parse_regex_delim(s)?;
        cmd.string = Some(repl);
        let mut icase = false;
        cmd.which_match = 1;
        loop {
            idx += 1;
            let Some(&c) = s.get(idx) else { break };
            if c.is_ascii_digit() {
                if pat.first() != Some(&b'^') {
                    let (v, n) = strtol(&s[idx..]);
                    cmd.which_match = v.clamp(0, u32::MAX as i64) as u32;
                    idx += n - 1;
                }
                continue;
            }
            if is_space(c) {
                continue;
            }
            match c {
                b'g' => {
                    if self.v >= BusyboxVersion::V1_36 || pat.first() != Some(&b'^') {
                        cmd.which_match = 0;
                    }
                }
                b'p' => cmd.sub_p = true,
                b'w' => {
                    let (name, n) = Self::parse_file_cmd(&s[idx + 1..])?;
                    idx += n;
                    cmd.sw_file = Some(self.open_w(&name));
                }
                b'i' | b'I' => icase = true,
                b'#' => {
                    idx = s.len();
                    break;
                }
                b';' | b'}' => break,
                _ => return Err(Die("bad option in substitution expression".into())),
            }
        }
        if !pat.is_empty() {
            cmd.sub_match = Some(self.compile(&pat, icase)?);
        }
        Ok(idx)
    }

    /// `parse_cmd_args`: the command's arguments; how far they reach.
    fn parse_cmd_args(&mut self, cmd: &mut Cmd, s: &[u8]) -> Result<usize, Die> {
        let c = cmd.cmd;
        let ranged = cmd.end_line != 0 || cmd.end_match.is_some();
        match c {
            b's' => self.parse_subst_cmd(cmd, s),
            b'a' | b'i' | b'c' => {
                if c != b'c' && ranged {
                    return Err(Die(format!("command '{}' uses only one address", c as char)));
                }
                let mut i = 0;
                while let Some(&b) = s.get(i) {
                    if b == b'\n' || b == b'\\' {
                        i += 1;
                        break;
                    }
                    if !is_space(b) {
                        break;
                    }
                    i += 1;
                }
                let text = copy_parsing_escapes(&s[i..], 0);
                cmd.string = Some(parse_escapes(&text, 0, 0));
                Ok(s.len())
            }
            b'r' | b'w' => {
                if c == b'r' && ranged {
                    return Err(Die("command 'r' uses only one address".into()));
                }
                let (name, n) = Self::parse_file_cmd(s)?;
                if c == b'w' {
                    cmd.sw_file = Some(self.open_w(&name));
                }
                cmd.string = Some(name);
                Ok(n)
            }
            b':' | b'b' | b't' | b'T' => {
                let st = s.iter().position(|b| !is_space(*b)).unwrap_or(s.len());
                let len = s[st..].iter().take_while(|b| !is_semicolon_whitespace(**b)).count();
                if len > 0 {
                    cmd.string = Some(s[st..st + len].to_vec());
                }
                Ok(st + len)
            }
            b'y' => {
                let delim = s.first().copied().unwrap_or(0);
                let (m, r, n) = self.parse_regex_delim(s)?;
                let (m, r) = (parse_escapes(&m, delim, delim), parse_escapes(&r, delim, delim));
                cmd.y = m.iter().copied().zip(r.iter().copied()).collect();
                Ok(n + 1)
            }
            b'd' | b'D' | b'g' | b'G' | b'h' | b'H' | b'l' | b'n' | b'N' | b'p' | b'P' | b'q' | b'x' | b'=' | b'{' | b'}' => Ok(0),
            _ => Err(Die(format!("unsupported command {}", c as char))),
        }
    }

    /// `add_cmd`: one line of script (lines ending in an odd number of backslashes join the
    /// next).
    fn add_cmd(&mut self, line: &[u8]) -> Result<(), Die> {
        let joined;
        let mut s: &[u8] = line;
        if let Some(prev) = self.add_cmd_line.take() {
            let mut j = prev;
            j.push(b'\n');
            j.extend_from_slice(line);
            joined = j;
            s = &joined;
        }
        let trailing = s.iter().rev().take_while(|b| **b == b'\\').count();
        if trailing % 2 == 1 {
            self.add_cmd_line = Some(s[..s.len() - 1].to_vec());
            return Ok(());
        }
        let mut i = 0;
        while i < s.len() {
            while i < s.len() && is_semicolon_whitespace(s[i]) {
                i += 1;
            }
            if i >= s.len() {
                break;
            }
            if s[i] == b'#' {
                if s.get(i + 1) == Some(&b'n') {
                    self.quiet += 1;
                }
                match s[i..].iter().position(|b| *b == b'\n' || *b == b'\r') {
                    Some(p) => {
                        i += p;
                        continue;
                    }
                    None => break,
                }
            }
            let mut cmd = Cmd::default();
            let (mut line, mut re) = (0, None);
            i += self.get_address(&s[i..], &mut line, &mut re)?;
            cmd.beg_line = line;
            cmd.beg_match = re;
            cmd.beg_line_orig = line;
            if s.get(i) == Some(&b',') {
                i += 1;
                let idx: i64;
                if s.get(i) == Some(&b'+') && s.get(i + 1).is_some_and(|b| b.is_ascii_digit()) {
                    let (v, n) = strtol(&s[i + 1..]);
                    cmd.end_line = -2 - v;
                    i += 1 + n;
                    idx = v;
                } else {
                    let (mut line, mut re) = (0, None);
                    let n = self.get_address(&s[i..], &mut line, &mut re)?;
                    cmd.end_line = line;
                    cmd.end_match = re;
                    i += n;
                    idx = n as i64 - 1;
                }
                if idx < 0 {
                    return Err(Die("no address after comma".into()));
                }
                cmd.end_line_orig = cmd.end_line;
            }
            while i < s.len() && is_space(s[i]) {
                i += 1;
            }
            if s.get(i) == Some(&b'!') {
                cmd.invert = true;
                i += 1;
                while i < s.len() && is_space(s[i]) {
                    i += 1;
                }
            }
            let Some(&c) = s.get(i) else { return Err(Die("missing command".into())) };
            cmd.cmd = c;
            i += 1;
            i += self.parse_cmd_args(&mut cmd, &s[i..])?;
            self.cmds.push(cmd);
        }
        Ok(())
    }

    fn add_cmd_block(&mut self, block: &[u8]) -> Result<(), Die> {
        for line in block.split(|b| *b == b'\n') {
            self.add_cmd(line)?;
        }
        Ok(())
    }

    fn regex(&self, i: usize) -> &Regex {
        &self.regexes[i]
    }

    fn matches(&self, r: usize, text: &[u8]) -> Result<bool, Die> {
        self.regex(r).is_match(text).map_err(|_| too_complex())
    }

    /// `puts_maybe_newline` into `self.out`.
    fn sed_puts(out: &mut Vec<u8>, s: &[u8], last_puts: &mut u8, last_gets: u8) {
        let mut lpc = *last_puts;
        if lpc != b'\n' && lpc != 0 {
            out.push(b'\n');
            lpc = b'\n';
        }
        out.extend_from_slice(s);
        if !s.is_empty() {
            lpc = b'x';
        }
        if last_gets == LAST_IS_NUL {
            out.push(0);
            lpc = b'x';
        } else if last_gets != NO_EOL_CHAR {
            out.push(last_gets);
            lpc = last_gets;
        }
        *last_puts = lpc;
    }

    fn flush_append(&mut self, last_puts: &mut u8) {
        for data in std::mem::take(&mut self.append) {
            Self::sed_puts(&mut self.out, &data, last_puts, b'\n');
        }
    }

    /// `get_next_line`: the next line of the input (its end: `\n`, NUL, `NO_EOL_CHAR`,
    /// `LAST_IS_NUL`).
    fn get_next_line(&mut self, h: &mut dyn Host, c: &Ctx, input: &mut Input, last_puts: &mut u8) -> Option<(Vec<u8>, u8)> {
        self.flush_append(last_puts);
        while input.current <= input.last && input.current < input.sources.len() {
            if input.data.is_none() {
                let data = match &input.sources[input.current] {
                    None if self.stdin_read => Vec::new(),
                    None => {
                        self.stdin_read = true;
                        c.fds.stdin.bytes().to_vec()
                    }
                    Some(path) => {
                        let abs = normalize(c.cwd, path);
                        match h.view().read(&abs) {
                            Ok(d) => d,
                            Err(FsError::IsDir) => Vec::new(),
                            Err(e) => {
                                let _ = writeln!(self.errors, "sed: can't open '{path}': {}", e.strerror());
                                self.exitcode = 1;
                                input.current += 1;
                                continue;
                            }
                        }
                    }
                };
                input.data = Some((data, 0));
            }
            let (data, pos) = input.data.as_mut().unwrap();
            if *pos < data.len() {
                let rest = &data[*pos..];
                let end = rest.iter().position(|b| *b == b'\n' || *b == 0);
                let (line, gc, used) = match end {
                    Some(e) => {
                        let ch = rest[e];
                        let gc = if ch == 0 && e + 1 == rest.len() { LAST_IS_NUL } else { ch };
                        (rest[..e].to_vec(), gc, e + 1)
                    }
                    None => (rest.to_vec(), NO_EOL_CHAR, rest.len()),
                };
                *pos += used;
                self.allowance += used as u64 * 8;
                return Some((line, gc));
            }
            input.data = None;
            input.current += 1;
        }
        None
    }

    /// `do_subst_command`: whether it substituted.
    fn do_subst(&mut self, ci: usize, line: &mut Vec<u8>) -> Result<bool, Die> {
        let r = match self.cmds[ci].sub_match {
            Some(r) => r,
            None => self.previous.ok_or_else(|| Die("no previous regexp".into()))?,
        };
        self.previous = Some(r);
        let which = self.cmds[ci].which_match;
        let repl = self.cmds[ci].string.clone().unwrap_or_default();
        let re = &self.regexes[r];
        let Some(mut caps) = re.find_at(line, 0, false).map_err(|_| too_complex())? else { return Ok(false) };
        let mut out: Vec<u8> = Vec::new();
        let mut base = 0usize;
        let mut count = 0u32;
        let mut altered = false;
        let mut prev_match_empty = true;
        let mut tried_at_eol = false;
        loop {
            let (start, mut end) = caps[0].unwrap();
            count += 1;
            let mut stop = false;
            if which != 0 && which != count {
                out.extend_from_slice(&line[base..end]);
                let was = end;
                base = end;
                if start == was && base < line.len() {
                    out.push(line[base]);
                    base += 1;
                }
            } else {
                out.extend_from_slice(&line[base..start]);
                if prev_match_empty || start != base || start != end {
                    subst_backrefs(&mut out, line, &caps, &repl);
                    altered = true;
                }
                prev_match_empty = start == end;
                if prev_match_empty {
                    if end >= line.len() {
                        tried_at_eol = true;
                    } else {
                        out.push(line[end]);
                        end += 1;
                    }
                }
                base = end;
                if which != 0 {
                    stop = true;
                }
            }
            if stop {
                break;
            }
            if base >= line.len() {
                if tried_at_eol {
                    break;
                }
                tried_at_eol = true;
            }
            match self.regexes[r].find_at(line, base, true).map_err(|_| too_complex())? {
                Some(c) => caps = c,
                None => break,
            }
        }
        out.extend_from_slice(&line[base.min(line.len())..]);
        *line = out;
        Ok(altered)
    }

    /// Counts one command's work over a pattern space of `len` bytes.
    fn step(&mut self, len: usize) -> Result<(), Die> {
        self.steps += 1 + len as u64 / 16;
        if self.steps > STEP_LIMIT + self.allowance {
            return Err(Die(String::new()));
        }
        if len > SPACE_LIMIT || self.hold.as_ref().is_some_and(|h| h.len() > SPACE_LIMIT) {
            return Err(Die(format!("podplay: the pattern or hold space passed {} MiB", SPACE_LIMIT >> 20)));
        }
        Ok(())
    }

    /// `process_files`.
    fn process_files(&mut self, h: &mut dyn Host, c: &Ctx, input: &mut Input) -> Result<(), Die> {
        let mut last_puts = b'\n';
        let mut linenum: i64 = 0;
        let mut next = self.get_next_line(h, c, input, &mut last_puts);
        loop {
            let mut substituted = false;
            let Some((mut ps, mut last_gets)) = next.take() else { return Ok(()) };
            next = self.get_next_line(h, c, input, &mut last_puts);
            linenum += 1;
            // `None`: print unless quiet (discard_commands); `Some(())`: discard_line.
            let mut discard = false;
            'restart: loop {
                let mut ci = 0;
                while ci < self.cmds.len() {
                    self.step(ps.len())?;
                    let old_matched = self.cmds[ci].in_match;
                    if !old_matched && self.v >= BusyboxVersion::V1_36 {
                        self.cmds[ci].end_line = self.cmds[ci].end_line_orig;
                    }
                    let cmd = &self.cmds[ci];
                    let no_range = cmd.beg_line == 0 && cmd.end_line == 0 && cmd.beg_match.is_none() && cmd.end_match.is_none();
                    let numeric = cmd.beg_line > 0
                        && if cmd.end_line != 0 || cmd.end_match.is_some() { cmd.beg_line <= linenum } else { cmd.beg_line == linenum };
                    let mut matched = cmd.in_match || no_range || numeric;
                    if !matched {
                        if let Some(r) = cmd.beg_match {
                            if self.matches(r, &ps)? {
                                self.previous = Some(r);
                                matched = true;
                            }
                        }
                    }
                    let cmd = &self.cmds[ci];
                    if !matched && cmd.beg_line == -1 && next.is_none() {
                        matched = true;
                    }
                    self.cmds[ci].in_match = matched;
                    if matched {
                        let cmd = &mut self.cmds[ci];
                        if cmd.end_line <= -2 {
                            cmd.end_line = linenum + (-cmd.end_line - 2);
                        }
                        if cmd.beg_line > 0 {
                            cmd.beg_line = -2;
                        }
                        let end_come = if cmd.end_line != 0 {
                            if cmd.end_line == -1 {
                                next.is_none()
                            } else {
                                cmd.end_line <= linenum
                            }
                        } else {
                            cmd.end_match.is_none()
                        };
                        let end_re = match cmd.end_match {
                            Some(r) if old_matched && !end_come => self.matches(r, &ps)?,
                            _ => false,
                        };
                        self.cmds[ci].in_match = !(end_come || end_re);
                    }
                    let cmd = self.cmds[ci].clone();
                    if cmd.cmd == b'{' {
                        if if cmd.invert { matched } else { !matched } {
                            let mut nest = 0;
                            loop {
                                match self.cmds[ci].cmd {
                                    b'{' => nest += 1,
                                    b'}' => {
                                        nest -= 1;
                                        if nest == 0 {
                                            break;
                                        }
                                    }
                                    _ => {}
                                }
                                ci += 1;
                                if ci >= self.cmds.len() {
                                    return Err(Die("unterminated {".into()));
                                }
                            }
                        }
                        ci += 1;
                        continue;
                    }
                    if if cmd.invert { matched } else { !matched } {
                        ci += 1;
                        continue;
                    }
                    if let Some(r) = cmd.beg_match {
                        self.previous = Some(r);
                    }
                    match cmd.cmd {
                        b'=' => {
                            let _ = writeln!(Utf8(&mut self.out), "{linenum}");
                        }
                        b'P' | b'p' => {
                            let upto = if cmd.cmd == b'P' { ps.iter().position(|b| *b == b'\n') } else { None };
                            let s = &ps[..upto.unwrap_or(ps.len())];
                            Self::sed_puts(&mut self.out, s, &mut last_puts, b'\n');
                        }
                        b'D' | b'd' => {
                            if cmd.cmd == b'D' {
                                if let Some(p) = ps.iter().position(|b| *b == b'\n') {
                                    ps.drain(..=p);
                                    continue 'restart;
                                }
                            }
                            discard = true;
                            break 'restart;
                        }
                        b's' if self.do_subst(ci, &mut ps)? => {
                            substituted = true;
                            if cmd.sub_p {
                                Self::sed_puts(&mut self.out, &ps, &mut last_puts, last_gets);
                            }
                            if let Some(f) = cmd.sw_file {
                                let (_, buf, last) = &mut self.files[f];
                                Self::sed_puts(buf, &ps, last, last_gets);
                            }
                        }
                        b'a' => self.append.push(cmd.string.clone().unwrap_or_default()),
                        b'i' => {
                            let s = cmd.string.clone().unwrap_or_default();
                            Self::sed_puts(&mut self.out, &s, &mut last_puts, b'\n');
                        }
                        b'c' => {
                            if !cmd.in_match {
                                let s = cmd.string.clone().unwrap_or_default();
                                Self::sed_puts(&mut self.out, &s, &mut last_puts, b'\n');
                            }
                            discard = true;
                            break 'restart;
                        }
                        b'r' => {
                            let name = String::from_utf8_lossy(cmd.string.as_deref().unwrap_or_default()).to_string();
                            if let Ok(d) = h.view().read(&normalize(c.cwd, &name)) {
                                for l in d.split_inclusive(|b| *b == b'\n') {
                                    self.append.push(l.strip_suffix(b"\n").unwrap_or(l).to_vec());
                                }
                            }
                        }
                        b'w' => {
                            let f = cmd.sw_file.unwrap();
                            let (_, buf, last) = &mut self.files[f];
                            Self::sed_puts(buf, &ps, last, last_gets);
                        }
                        b'n' => {
                            if self.quiet == 0 {
                                Self::sed_puts(&mut self.out, &ps, &mut last_puts, last_gets);
                            }
                            match next.take() {
                                None => {
                                    discard = true;
                                    break 'restart;
                                }
                                Some((l, g)) => {
                                    ps = l;
                                    last_gets = g;
                                    next = self.get_next_line(h, c, input, &mut last_puts);
                                    substituted = false;
                                    linenum += 1;
                                }
                            }
                        }
                        b'q' => {
                            next = None;
                            input.current = input.sources.len();
                            input.data = None;
                            break 'restart;
                        }
                        b'N' => match next.take() {
                            None => break 'restart,
                            Some((l, g)) => {
                                ps.push(b'\n');
                                ps.extend_from_slice(&l);
                                last_gets = g;
                                next = self.get_next_line(h, c, input, &mut last_puts);
                                linenum += 1;
                            }
                        },
                        b't' | b'T' | b'b' => {
                            let go = match cmd.cmd {
                                b't' => {
                                    let s = substituted;
                                    substituted = false;
                                    s
                                }
                                b'T' => !substituted,
                                _ => true,
                            };
                            if go {
                                match &cmd.string {
                                    None => break 'restart,
                                    Some(label) => {
                                        let found = self.cmds.iter().position(|k| k.cmd == b':' && k.string.as_ref() == Some(label));
                                        match found {
                                            Some(k) => ci = k,
                                            None => {
                                                return Err(Die(format!(
                                                    "can't find label for jump to '{}'",
                                                    String::from_utf8_lossy(label)
                                                )))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        b'y' => {
                            for b in ps.iter_mut() {
                                if let Some((_, to)) = cmd.y.iter().find(|(f, _)| f == b) {
                                    *b = *to;
                                }
                            }
                        }
                        b'g' => ps = self.hold.clone().unwrap_or_default(),
                        b'G' => {
                            ps.push(b'\n');
                            ps.extend_from_slice(self.hold.as_deref().unwrap_or_default());
                            last_gets = b'\n';
                        }
                        b'h' => self.hold = Some(ps.clone()),
                        b'H' => {
                            let hs = self.hold.get_or_insert_with(Vec::new);
                            hs.push(b'\n');
                            hs.extend_from_slice(&ps);
                        }
                        b'x' => {
                            let held = self.hold.take().unwrap_or_default();
                            self.hold = Some(std::mem::replace(&mut ps, held));
                            last_gets = b'\n';
                        }
                        _ => {}
                    }
                    ci += 1;
                }
                break;
            }
            if !discard && self.quiet == 0 {
                Self::sed_puts(&mut self.out, &ps, &mut last_puts, last_gets);
            }
            self.flush_append(&mut last_puts);
        }
    }
}

/// `fmt::Write` into a byte buffer.
struct Utf8<'a>(&'a mut Vec<u8>);
impl std::fmt::Write for Utf8<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

fn too_complex() -> Die {
    Die(super::regex::TooComplex::message())
}

/// `do_subst_w_backrefs`: `&` the match, `\0`..`\9` the groups, `\c` the character.
fn subst_backrefs(out: &mut Vec<u8>, line: &[u8], caps: &Captures, repl: &[u8]) {
    let mut i = 0;
    while i < repl.len() {
        let c = repl[i];
        if c == b'\\' {
            i += 1;
            let Some(&n) = repl.get(i) else { break };
            if n.is_ascii_digit() {
                if let Some(Some((a, b))) = caps.get((n - b'0') as usize) {
                    out.extend_from_slice(&line[*a..*b]);
                }
            } else {
                out.push(n);
            }
        } else if c == b'&' {
            let (a, b) = caps[0].unwrap();
            out.extend_from_slice(&line[a..b]);
        } else {
            out.push(c);
        }
        i += 1;
    }
}

fn usage(v: BusyboxVersion) -> String {
    let to = if v >= BusyboxVersion::V1_36 { "write to stdout" } else { "sends to stdout" };
    format!(
        "{}\n\nUsage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\nor: sed [-i[SFX]] [-nrE] CMD [FILE]...\n\n\t-e CMD\tAdd CMD to sed commands to be executed\n\t-f FILE\tAdd FILE contents to sed commands to be executed\n\t-i[SFX]\tEdit files in-place (otherwise {to})\n\t\tOptionally back files up, appending SFX\n\t-n\tSuppress automatic printing of pattern space\n\t-r,-E\tUse extended regex syntax\n\nIf no -e or -f, the first non-option argument is the sed command string.\nRemaining arguments are input files (stdin if none).\n",
        v.banner()
    )
}

pub(super) fn sed(h: &mut dyn Host, c: &Ctx) -> Applet {
    let v = h.busybox_version();
    let argv = c.argv;
    if argv.get(1).is_some_and(|a| a == "--version") {
        out(h, c.fds, "This is not GNU sed version 4.0\n");
        return Applet::Exit(0);
    }
    // getopt32 "i::rEne:*f:*", GNU getopt's permutation: options anywhere before `--`.
    let mut in_place: Option<String> = None;
    let mut ere = false;
    let mut quiet = 0;
    let mut scripts: Vec<(bool, String)> = Vec::new(); // (is_file, text)
    let mut operands: Vec<String> = Vec::new();
    let mut i = 1;
    let bad = |h: &mut dyn Host, msg: String| {
        err(h, c.fds, &format!("sed: {msg}\n{}", usage(v)));
        Applet::Exit(1)
    };
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            operands.extend(argv[i + 1..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let full = ["in-place", "regexp-extended", "quiet", "silent", "expression", "file"]
                .iter()
                .find(|n| n.starts_with(name) && !name.is_empty());
            match full.copied() {
                Some("in-place") => in_place = Some(val.unwrap_or_default()),
                Some("regexp-extended") => ere = true,
                Some("quiet") | Some("silent") => quiet += 1,
                Some(k @ ("expression" | "file")) => {
                    let val = match val {
                        Some(v) => v,
                        None => {
                            i += 1;
                            match argv.get(i) {
                                Some(v) => v.clone(),
                                None => return bad(h, format!("option '--{k}' requires an argument")),
                            }
                        }
                    };
                    scripts.push((k == "file", val));
                }
                _ => return bad(h, format!("unrecognized option '{a}'")),
            }
            i += 1;
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let b = a.as_bytes();
            let mut k = 1;
            while k < b.len() {
                match b[k] {
                    b'i' => {
                        in_place = Some(a[k + 1..].to_string());
                        break;
                    }
                    b'r' | b'E' => ere = true,
                    b'n' => quiet += 1,
                    b'e' | b'f' => {
                        let val = if k + 1 < b.len() {
                            a[k + 1..].to_string()
                        } else {
                            i += 1;
                            match argv.get(i) {
                                Some(v) => v.clone(),
                                None => return bad(h, format!("option requires an argument -- '{}'", b[k] as char)),
                            }
                        };
                        scripts.push((b[k] == b'f', val));
                        break;
                    }
                    o => return bad(h, format!("invalid option -- '{}'", o as char)),
                }
                k += 1;
            }
        } else {
            operands.push(a.clone());
        }
        i += 1;
    }
    let mut s = Sed {
        v,
        ere,
        quiet,
        cmds: Vec::new(),
        regexes: Vec::new(),
        previous: None,
        add_cmd_line: None,
        files: Vec::new(),
        hold: None,
        append: Vec::new(),
        out: Vec::new(),
        errors: String::new(),
        exitcode: 0,
        steps: 0,
        stdin_read: false,
        allowance: 0,
    };
    let parsed = (|| -> Result<(), Die> {
        // getopt32 collects -e and -f in lists: every -e first, then every -f.
        for (_, text) in scripts.iter().filter(|(f, _)| !f) {
            s.add_cmd_block(text.as_bytes())?;
        }
        for (_, file) in scripts.iter().filter(|(f, _)| *f) {
            let data = if file == "-" {
                c.fds.stdin.bytes().to_vec()
            } else {
                h.view().read(&normalize(c.cwd, file)).map_err(|e| Die(format!("can't open '{file}': {}", e.strerror())))?
            };
            let text = data.strip_suffix(b"\n").unwrap_or(&data);
            for line in text.split(|b| *b == b'\n') {
                s.add_cmd(line)?;
            }
        }
        Ok(())
    })();
    if let Err(Die(m)) = parsed {
        err(h, c.fds, &format!("sed: {m}\n"));
        return Applet::Exit(1);
    }
    if scripts.is_empty() {
        if operands.is_empty() {
            err(h, c.fds, &usage(v));
            return Applet::Exit(1);
        }
        let script = operands.remove(0);
        if let Err(Die(m)) = s.add_cmd_block(script.as_bytes()) {
            err(h, c.fds, &format!("sed: {m}\n"));
            return Applet::Exit(1);
        }
    }
    if let Err(Die(m)) = s.add_cmd(b"") {
        err(h, c.fds, &format!("sed: {m}\n"));
        return Applet::Exit(1);
    }
    // `w` files are created (emptied) when the script is read.
    for (name, _, _) in s.files.clone() {
        let r = if name == "/dev/stdout" || name == "/dev/stderr" { Ok(()) } else { h.view().write(&normalize(c.cwd, &name), b"", false) };
        if let Err(e) = r {
            err(h, c.fds, &format!("sed: can't open '{name}': {}\n", e.strerror()));
            return Applet::Exit(1);
        }
    }
    let result = (|| -> Result<(), Die> {
        if operands.is_empty() {
            if in_place.is_some() {
                return Err(Die("-i requires an argument".into()));
            }
            let mut input = Input { sources: vec![None], current: 0, last: 0, data: None };
            return s.process_files(h, c, &mut input);
        }
        let Some(suffix) = in_place.clone() else {
            let sources = operands.iter().map(|o| if o == "-" { None } else { Some(o.clone()) }).collect::<Vec<_>>();
            let last = sources.len() - 1;
            let mut input = Input { sources, current: 0, last, data: None };
            return s.process_files(h, c, &mut input);
        };
        for file in &operands {
            let abs = normalize(c.cwd, file);
            let mode = match h.view().stat(&abs) {
                Ok(n) => n.mode,
                Err(e) => {
                    let _ = writeln!(s.errors, "sed: {file}: {}", e.strerror());
                    s.exitcode = 1;
                    continue;
                }
            };
            let temp = format!("{abs}XXXXXX");
            if let Err(e) = h.view().write(&temp, b"", false) {
                return Err(Die(format!("can't create temp file '{file}XXXXXX': {}", e.strerror())));
            }
            let saved = std::mem::take(&mut s.out);
            let mut input = Input { sources: vec![Some(file.clone())], current: 0, last: 0, data: None };
            let r = s.process_files(h, c, &mut input);
            let text = std::mem::replace(&mut s.out, saved);
            if let Err(e) = r {
                let _ = h.view().remove(&temp, false);
                return Err(e);
            }
            let mut view = h.view();
            let written = view.write(&temp, &text, false).and_then(|_| view.chmod(&temp, mode));
            if let Err(e) = written {
                let _ = view.remove(&temp, false);
                return Err(Die(format!("{}: {}", "write error", e.strerror())));
            }
            if !suffix.is_empty() {
                let backup = format!("{abs}{suffix}");
                if let Err(e) = view.rename(&abs, &backup) {
                    return Err(Die(format!("can't move '{file}' to '{file}{suffix}': {}", e.strerror())));
                }
            }
            if let Err(e) = view.rename(&temp, &abs) {
                return Err(Die(format!("can't move '{file}XXXXXX' to '{file}': {}", e.strerror())));
            }
            for cmd in s.cmds.iter_mut() {
                cmd.beg_line = cmd.beg_line_orig;
                cmd.end_line = cmd.end_line_orig;
            }
        }
        Ok(())
    })();
    let errors = std::mem::take(&mut s.errors);
    if !errors.is_empty() {
        err(h, c.fds, &errors);
    }
    for (name, data, _) in std::mem::take(&mut s.files) {
        match name.as_str() {
            "/dev/stdout" => s.out.extend_from_slice(&data),
            "/dev/stderr" => h.write(&c.fds.stderr, &data),
            _ => {
                let _ = h.view().write(&normalize(c.cwd, &name), &data, false);
            }
        }
    }
    match result {
        Err(Die(m)) if m.is_empty() => return Applet::Forever,
        Err(Die(m)) => {
            // The message goes at once; what stdout's buffer held is flushed at the exit.
            err(h, c.fds, &format!("sed: {m}\n"));
            h.write(&c.fds.stdout, &s.out);
            return Applet::Exit(1);
        }
        Ok(()) => {}
    }
    h.write(&c.fds.stdout, &s.out);
    Applet::Exit(s.exitcode)
}
