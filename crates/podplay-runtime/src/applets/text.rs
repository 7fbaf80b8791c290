//! Text applets: echo, printf, test/[, grep, head, tail, wc.

use super::*;

pub(super) fn echo(h: &mut dyn Host, argv: &[String], fds: &Fds) -> i32 {
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
pub(super) fn unescape(s: &str) -> (String, bool) {
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

pub(super) fn printf(h: &mut dyn Host, argv: &[String], fds: &Fds) -> i32 {
    let Some(fmt) = argv.get(1) else {
        err(h, fds, "printf: usage: printf FORMAT [ARGUMENT...]\n");
        return 1;
    };
    let args = &argv[2..];
    let mut ai = 0;
    let mut o = String::new();
    let cs: Vec<char> = fmt.chars().collect();
    loop {
        o.push_str(&format_once(&cs, args, &mut ai, true));
        if ai == 0 || ai >= args.len() {
            break;
        }
    }
    out(h, fds, &o);
    0
}

/// One pass of a printf format over `args` from `*ai` (which it moves past the arguments it
/// used); `escapes`: backslash escapes in the format are printf's to interpret (the shell's
/// printf; awk's strings have had theirs already).
pub(super) fn format_once(cs: &[char], args: &[String], ai: &mut usize, escapes: bool) -> String {
    let mut o = String::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c == '\\' && escapes && cs.get(i + 1).is_some_and(|d| d.is_digit(8)) {
            // printf's `\NNN` (`bb_process_escape_sequence`): one to three octal digits, `\0`
            // among them (echo's `\0NNN` takes three more).
            let digits: String = cs[i + 1..].iter().take(3).take_while(|d| d.is_digit(8)).collect();
            let value = u32::from_str_radix(&digits, 8).unwrap_or(0);
            o.push(char::from_u32(value).unwrap_or('?'));
            i += 1 + digits.len();
        } else if c == '\\' && escapes {
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
            let arg = args.get(*ai).cloned();
            let width: usize = spec.trim_start_matches(['-', '0']).split('.').next().unwrap_or("").parse().unwrap_or(0);
            let left = spec.starts_with('-');
            let zero = spec.starts_with('0');
            let body = match conv {
                '%' => "%".to_string(),
                's' => {
                    *ai += 1;
                    let s = arg.unwrap_or_default();
                    // A precision cuts the string (`%.0s`: nothing of it, `%.3s`: 3 bytes).
                    match spec.split_once('.') {
                        Some((_, p)) => s.chars().take(p.parse().unwrap_or(0)).collect(),
                        None => s,
                    }
                }
                'b' => {
                    *ai += 1;
                    unescape(&arg.unwrap_or_default()).0
                }
                'c' => {
                    *ai += 1;
                    arg.and_then(|a| a.chars().next()).map(|c| c.to_string()).unwrap_or_default()
                }
                'd' | 'i' | 'u' => {
                    *ai += 1;
                    arg.map(|a| a.trim().parse::<i64>().unwrap_or(0)).unwrap_or(0).to_string()
                }
                'x' => {
                    *ai += 1;
                    format!("{:x}", arg.map(|a| a.parse::<i64>().unwrap_or(0)).unwrap_or(0))
                }
                'o' => {
                    *ai += 1;
                    format!("{:o}", arg.map(|a| a.parse::<i64>().unwrap_or(0)).unwrap_or(0))
                }
                'f' => {
                    *ai += 1;
                    let prec: usize = spec.split('.').nth(1).and_then(|p| p.parse().ok()).unwrap_or(6);
                    format!("{:.*}", prec, arg.map(|a| a.parse::<f64>().unwrap_or(0.0)).unwrap_or(0.0))
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
    o
}

/// `who`: the message prefix — bb_error_msg uses `applet_name`, which stays `sh` when ash runs
/// test as a builtin, and is `[`/`test` for the standalone applet (SRC coreutils/test.c).
pub(super) fn test(h: &mut dyn Host, argv: &[String], fds: &Fds, who: &str) -> i32 {
    let mut args = &argv[1..];
    if argv[0] == "[" {
        if args.last().map(|a| a != "]").unwrap_or(true) {
            err(h, fds, &format!("{who}: missing ]\n"));
            return 2;
        }
        args = &args[..args.len() - 1];
    }
    match test_expr(h, args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(m) => {
            err(h, fds, &format!("{who}: {m}\n"));
            2
        }
    }
}

pub(super) fn test_expr(h: &mut dyn Host, a: &[String]) -> Result<bool, String> {
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
            // The string tests look at no file.
            match a[0].as_str() {
                "-n" => return Ok(!p.is_empty()),
                "-z" => return Ok(p.is_empty()),
                _ => {}
            }
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
                "-x" => st.map(|n| n.is_dir() || n.mode & 0o111 != 0).unwrap_or(false),
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
            let num = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("invalid number '{s}'"));
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

pub(super) fn grep(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let Some(pat) = ops.first().cloned() else {
        err(h, c.fds, "grep: no pattern\n");
        return 2;
    };
    let invert = flags.contains('v');
    let icase = flags.contains('i');
    let count = flags.contains('c');
    let quiet = flags.contains('q');
    let files = if ops.len() > 1 { ops[1..].to_vec() } else { vec!["-".into()] };
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
            let hit = if icase { line.to_lowercase().contains(&pat.to_lowercase()) } else { simple_regex(&pat, line) };
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
            o.push_str(&if show_name { format!("{f}:{n}\n") } else { format!("{n}\n") });
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
pub(super) fn simple_regex(pat: &str, line: &str) -> bool {
    let anchored_start = pat.starts_with('^');
    let anchored_end = pat.ends_with('$') && !pat.ends_with("\\$");
    let core = pat.trim_start_matches('^');
    let core = if anchored_end { &core[..core.len() - 1] } else { core };
    let glob = core.replace(".*", "\u{1}").replace('.', "?").replace('\u{1}', "*");
    let glob = format!("{}{}{}", if anchored_start { "" } else { "*" }, glob, if anchored_end { "" } else { "*" });
    crate::shell::pattern::matches(&glob, line)
}

pub(super) fn head_tail(h: &mut dyn Host, c: &Ctx, name: &str) -> Applet {
    let mut n: usize = 10;
    // `-c N`: bytes rather than lines.
    let mut bytes: Option<u64> = None;
    let mut follow = false;
    let mut files = Vec::new();
    let mut i = 1;
    while i < c.argv.len() {
        let a = &c.argv[i];
        if a == "-c" {
            bytes = c.argv.get(i + 1).and_then(|v| super::stream::parse_size(v, super::stream::HEAD_SUFFIXES));
            i += 1;
        } else if let Some(v) = a.strip_prefix("-c") {
            bytes = super::stream::parse_size(v, super::stream::HEAD_SUFFIXES);
        } else if a == "-n" {
            n = c.argv.get(i + 1).and_then(|x| x.trim_start_matches('+').parse().ok()).unwrap_or(10);
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
                let sel = match (name, bytes) {
                    ("head", Some(b)) => &d[..d.len().min(b as usize)],
                    (_, Some(b)) => &d[d.len() - d.len().min(b as usize)..],
                    ("head", None) => first_lines(&d, n),
                    (_, None) => last_lines(&d, n),
                };
                out(h, c.fds, &String::from_utf8_lossy(sel));
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

/// The first `n` lines of `d` (the last one unfinished if `d` ends so), found without
/// splitting the rest: `yes | head -n 2` reads a megabyte.
fn first_lines(d: &[u8], n: usize) -> &[u8] {
    let Some(last) = n.checked_sub(1) else { return &d[..0] };
    let end = d.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(last).map_or(d.len(), |(i, _)| i + 1);
    &d[..end]
}

/// The last `n` lines of `d`, an unfinished last line counting as one.
fn last_lines(d: &[u8], n: usize) -> &[u8] {
    if n == 0 {
        return &d[d.len()..];
    }
    // The newline that ends the line before the n-th from the end.
    let body = d.strip_suffix(b"\n").unwrap_or(d);
    let start = body.iter().enumerate().rev().filter(|(_, b)| **b == b'\n').nth(n - 1).map_or(0, |(i, _)| i + 1);
    &d[start..]
}

pub(super) fn wc(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let files = if ops.is_empty() { vec!["-".to_string()] } else { ops };
    let mut st = 0;
    for f in files {
        match read_input(h, c, "wc", &f) {
            Ok(d) => {
                let text = String::from_utf8_lossy(&d);
                let l = d.iter().filter(|b| **b == b'\n').count();
                let w = text.split_whitespace().count();
                let b = d.len();
                let name = if f == "-" { String::new() } else { format!(" {f}") };
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

fn input_text(h: &mut dyn Host, c: &Ctx, applet: &str, files: &[String]) -> Result<String, i32> {
    let files = if files.is_empty() { vec!["-".to_string()] } else { files.to_vec() };
    let mut text = String::new();
    for f in &files {
        text.push_str(&String::from_utf8_lossy(&read_input(h, c, applet, f)?));
    }
    Ok(text)
}

/// `cut -d D -f LIST` / `cut -c LIST` (LIST: N, N-M, N-, -M, comma separated).
pub(super) fn cut(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut delim = '\t';
    let mut fields: Option<String> = None;
    let mut chars: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 1;
    while i < c.argv.len() {
        let a = &c.argv[i];
        let (flag, val) = if a.len() > 2 && a.starts_with('-') { (&a[..2], Some(a[2..].to_string())) } else { (a.as_str(), None) };
        let take = |i: &mut usize| {
            val.clone().or_else(|| {
                *i += 1;
                c.argv.get(*i).cloned()
            })
        };
        match flag {
            "-d" => delim = take(&mut i).and_then(|d| d.chars().next()).unwrap_or('\t'),
            "-f" => fields = take(&mut i),
            "-c" => chars = take(&mut i),
            _ => files.push(a.clone()),
        }
        i += 1;
    }
    let Some(list) = fields.clone().or(chars.clone()) else {
        err(h, c.fds, "cut: expected a list of bytes, characters, or fields\n");
        return 1;
    };
    let ranges: Vec<(usize, usize)> = list
        .split(',')
        .filter_map(|r| {
            let (a, b) = match r.split_once('-') {
                Some((a, b)) => (a.parse().unwrap_or(1), if b.is_empty() { usize::MAX } else { b.parse().ok()? }),
                None => {
                    let n = r.parse().ok()?;
                    (n, n)
                }
            };
            Some((a.max(1), b))
        })
        .collect();
    let text = match input_text(h, c, "cut", &files) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let sel = |i: usize| ranges.iter().any(|(a, b)| i >= *a && i <= *b);
    let mut o = String::new();
    for line in text.lines() {
        if fields.is_some() {
            if !line.contains(delim) {
                o.push_str(line);
            } else {
                let parts: Vec<&str> = line.split(delim).enumerate().filter(|(i, _)| sel(i + 1)).map(|(_, p)| p).collect();
                o.push_str(&parts.join(&delim.to_string()));
            }
        } else {
            o.extend(line.chars().enumerate().filter(|(i, _)| sel(i + 1)).map(|(_, ch)| ch));
        }
        o.push('\n');
    }
    out(h, c.fds, &o);
    0
}

fn expand_set(s: &str) -> Vec<char> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if i + 2 < cs.len() && cs[i + 1] == '-' {
            let (a, b) = (cs[i] as u32, cs[i + 2] as u32);
            out.extend((a..=b).filter_map(char::from_u32));
            i += 3;
        } else if cs[i] == '\\' && i + 1 < cs.len() {
            out.push(match cs[i + 1] {
                'n' => '\n',
                't' => '\t',
                o => o,
            });
            i += 2;
        } else {
            out.push(cs[i]);
            i += 1;
        }
    }
    out
}

/// `tr [-d] SET1 [SET2]`.
pub(super) fn tr(h: &mut dyn Host, c: &Ctx) -> i32 {
    let delete = c.argv.get(1).map(|a| a == "-d").unwrap_or(false);
    let args: Vec<&String> = c.argv[1..].iter().filter(|a| *a != "-d").collect();
    let text = String::from_utf8_lossy(c.fds.stdin.bytes()).to_string();
    let Some(set1) = args.first().map(|s| expand_set(s)) else {
        err(h, c.fds, "tr: missing operand\n");
        return 1;
    };
    let set2 = args.get(1).map(|s| expand_set(s)).unwrap_or_default();
    let mut o = String::new();
    for ch in text.chars() {
        match set1.iter().position(|x| *x == ch) {
            Some(_) if delete => {}
            Some(p) if !set2.is_empty() => o.push(*set2.get(p).unwrap_or(set2.last().unwrap())),
            _ => o.push(ch),
        }
    }
    out(h, c.fds, &o);
    0
}

/// `sort [-r] [-n] [-u] [FILE]...`.
pub(super) fn sort(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, files) = flags_and_operands(c.argv);
    let text = match input_text(h, c, "sort", &files) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let mut lines: Vec<&str> = text.lines().collect();
    if flags.contains('n') {
        let num =
            |s: &str| s.trim().split(|c: char| !c.is_ascii_digit() && c != '-').next().and_then(|n| n.parse::<i64>().ok()).unwrap_or(0);
        podplay_k8s_util::sort::sort_by(&mut lines, |a, b| num(a).cmp(&num(b)).then(a.cmp(b)));
    } else {
        podplay_k8s_util::sort::sort(&mut lines);
    }
    if flags.contains('r') {
        lines.reverse();
    }
    if flags.contains('u') {
        lines.dedup();
    }
    let mut o = String::new();
    for l in lines {
        o.push_str(l);
        o.push('\n');
    }
    out(h, c.fds, &o);
    0
}

/// `uniq [-c] [FILE]`.
pub(super) fn uniq(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, files) = flags_and_operands(c.argv);
    let text = match input_text(h, c, "uniq", &files) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let mut o = String::new();
    let mut prev: Option<(&str, usize)> = None;
    let flush = |o: &mut String, p: Option<(&str, usize)>| {
        if let Some((l, n)) = p {
            if flags.contains('c') {
                o.push_str(&format!("{n:>7} {l}\n"));
            } else {
                o.push_str(l);
                o.push('\n');
            }
        }
    };
    for line in text.lines() {
        match prev {
            Some((p, n)) if p == line => prev = Some((p, n + 1)),
            _ => {
                flush(&mut o, prev);
                prev = Some((line, 1));
            }
        }
    }
    flush(&mut o, prev);
    out(h, c.fds, &o);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// printf(3)'s precision of `%s`: at most that many characters (`%.s` is `%.0s`).
    #[test]
    fn a_string_precision_cuts_the_string() {
        let chars: Vec<char> = "[%.0s][%.3s][%5.2s][%.s][%s]".chars().collect();
        let args: Vec<String> = ["abc", "abcdef", "xyz", "q", "whole"].iter().map(|s| s.to_string()).collect();
        assert_eq!(format_once(&chars, &args, &mut 0, true), "[][abc][   xy][][whole]");
    }

    /// printf's octal escapes take one to three digits: `\000` is one NUL, `\101` an `A`,
    /// `\0101` is `\010` (a backspace) then `1`.
    #[test]
    fn octal_escapes_take_up_to_three_digits() {
        let run = |f: &str| format_once(&f.chars().collect::<Vec<_>>(), &[], &mut 0, true);
        assert_eq!(run("a\\000b"), "a\0b");
        assert_eq!(run("\\101\\7"), "A\x07");
        assert_eq!(run("\\0101"), "\x081");
    }

    /// As `head`/`tail` selected lines before they stopped splitting the whole input.
    #[test]
    fn first_and_last_lines_as_whole_lines_split() {
        let inputs = ["", "\n", "\n\n", "a", "a\n", "a\nb", "a\nb\n", "a\n\nb\nc", "x\ny\nz\n\n", "é\nü\n"];
        for d in inputs {
            let lines: Vec<&str> = d.split_inclusive('\n').collect();
            for n in 0..6 {
                let head: String = lines.iter().take(n).copied().collect();
                let tail: String = lines[lines.len().saturating_sub(n)..].concat();
                assert_eq!(first_lines(d.as_bytes(), n), head.as_bytes(), "head -n {n} of {d:?}");
                assert_eq!(last_lines(d.as_bytes(), n), tail.as_bytes(), "tail -n {n} of {d:?}");
            }
        }
    }
}
