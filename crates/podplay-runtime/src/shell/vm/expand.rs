//! Word expansion: parameters, command substitution, arithmetic, field splitting, globbing.

use super::*;

impl Vm {
    pub(super) fn param(&self, h: &dyn Host, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some(self.shell_pid.to_string()),
            "!" => self.last_bg.map(|p| p.to_string()),
            "#" => Some(self.positional.len().to_string()),
            "0" => Some(self.arg0.clone()),
            "@" | "*" => Some(self.positional.join(" ")),
            "-" => Some(String::new()),
            "PPID" => Some(if self.shell_pid == 1 { "0".to_string() } else { h.ppid().to_string() }),
            "LINENO" => Some(self.line.to_string()),
            "RANDOM" => Some(((h.now() * 1103515245 + 12345) % 32768).to_string()),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                self.positional.get(i.checked_sub(1)?).cloned()
            }
            n => self.get(n),
        }
    }

    pub(super) fn expand_param(&mut self, h: &mut dyn Host, p: &ParamExp) -> Result<String, i32> {
        let val = self.param(&*h, &p.name);
        let unset_or_null = |colon: bool, v: &Option<String>| v.is_none() || (colon && v.as_deref() == Some(""));
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
                    let m = if m.is_empty() { "parameter not set".to_string() } else { m };
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

    pub(super) fn cmdsub(&mut self, h: &mut dyn Host, src: &str) -> Result<String, i32> {
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

    pub(super) fn arith(&mut self, h: &mut dyn Host, src: &str) -> Result<String, i32> {
        // expand $x / ${x} / $(..) first, then evaluate with bare names as variables
        let mut p = Parser::new(&format!("\"{}\"", src.replace('"', "")));
        let text = match p.word() {
            Ok((w, _)) => self.expand_single(h, &w)?,
            Err(_) => src.to_string(),
        };
        match crate::shell::arith::eval(&text, &mut |n| self.get(n).and_then(|v| v.trim().parse().ok()).unwrap_or(0), &mut |n, v| {
            let _ = (n, v);
        }) {
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
    pub(super) fn expand_fields(&mut self, h: &mut dyn Host, word: &Word) -> Result<Vec<Vec<(char, bool)>>, i32> {
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

    pub(super) fn expand_part_text(&mut self, h: &mut dyn Host, p: &WordPart) -> Result<String, i32> {
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
                        .map(|(c, q)| if *q && matches!(c, '*' | '?' | '[' | '\\') { format!("\\{c}") } else { c.to_string() })
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

    pub(super) fn glob(&mut self, h: &mut dyn Host, pat: &str) -> Vec<String> {
        let abs = pat.starts_with('/');
        let comps: Vec<&str> = pat.split('/').filter(|c| !c.is_empty()).collect();
        let mut cands: Vec<String> = vec![if abs { String::new() } else { String::from(".") }];
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
    pub(super) fn expand_pattern(&mut self, h: &mut dyn Host, w: &Word) -> String {
        let mut s = String::new();
        for p in w {
            match p {
                WordPart::Lit(t) => s.push_str(t),
                other => {
                    let t = self.expand_part_text(h, other).unwrap_or_default();
                    let quoted = !matches!(other, WordPart::Param(_) | WordPart::CmdSub(_) | WordPart::Arith(_));
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

    pub(super) fn expand_heredoc(&mut self, h: &mut dyn Host, body: &str) -> String {
        let mut p = Parser::new(&format!("\"{}\"", body.replace('\\', "\\\\").replace('"', "\\\"")));
        match p.word() {
            Ok((w, _)) => self.expand_single(h, &w).unwrap_or_default().replace("\\\\", "\\"),
            Err(_) => body.to_string(),
        }
    }
}
