//! Word expansion: parameters, command substitution, arithmetic, field splitting, globbing.

use super::*;
use std::fmt::Write;

/// The value of variable `name` in `vars`.
fn var_in<'a>(vars: &'a [Var], name: &str) -> Option<&'a str> {
    vars.iter().find(|v| v.name == name).map(|v| v.value.as_str())
}

/// Fields being made from words, reusing their strings from one command to the next: the
/// first `len` of `items` are the fields; `cur` is the field being built, `specials` the byte
/// offsets in it of quoted `*?[\` (escaped if it is globbed), `glob` whether it has an
/// unquoted `*?[`; `pending` the fields to glob (index, pattern) once the word is done.
#[derive(Default)]
pub(super) struct Argv {
    pub(super) items: Vec<String>,
    pub(super) len: usize,
    cur: String,
    tmp: String,
    specials: Vec<usize>,
    glob: bool,
    pending: Vec<(usize, String)>,
}

/// Bytes a shell copies per CPU step when it builds a command's fields (memcpy speed, and the
/// allocations: about 4 GB/s at the model's step of 1 µs would be 4,000; a field list is
/// walked and allocated too, so 64).
const COPY_BYTES_PER_STEP: usize = 64;

/// The largest value one word may expand to: 64 MiB, as much as podplay keeps of one file
/// (`FsLimits`). A real node would give a shell more, up to its memory; podplay's simulation runs
/// in a page's memory, so past this the shell stops, saying so (`Vm::out_of_memory`).
pub(super) const MAX_VALUE_BYTES: usize = 64 << 20;

/// A copy of a shell (a subshell) starts with empty buffers.
impl Clone for Argv {
    fn clone(&self) -> Self {
        Argv::default()
    }
}

impl Argv {
    pub(super) fn as_slice(&self) -> &[String] {
        &self.items[..self.len]
    }
    fn clear(&mut self) {
        self.len = 0;
        self.start_field();
        self.pending.clear();
    }
    fn start_field(&mut self) {
        self.cur.clear();
        self.specials.clear();
        self.glob = false;
    }
    fn push_unquoted(&mut self, s: &str) {
        self.glob |= s.bytes().any(|b| matches!(b, b'*' | b'?' | b'['));
        self.cur.push_str(s);
    }
    fn push_unquoted_char(&mut self, c: char) {
        self.glob |= matches!(c, '*' | '?' | '[');
        self.cur.push(c);
    }
    fn push_quoted(&mut self, s: &str) {
        let start = self.cur.len();
        self.cur.push_str(s);
        self.mark_quoted(start);
    }
    /// Notes the quoted glob characters from byte `start` of the field on.
    fn mark_quoted(&mut self, start: usize) {
        let new = &self.cur[start..];
        if new.contains(['*', '?', '[', '\\']) {
            self.specials.extend(new.char_indices().filter(|(_, c)| matches!(c, '*' | '?' | '[' | '\\')).map(|(k, _)| start + k));
        }
    }
    fn end_field(&mut self) {
        if self.glob && !self.literal_glob() {
            // The pattern: quoted glob characters escaped.
            let mut pat = String::with_capacity(self.cur.len() + self.specials.len());
            let mut next = self.specials.iter().peekable();
            for (k, c) in self.cur.char_indices() {
                if next.peek() == Some(&&k) {
                    next.next();
                    pat.push('\\');
                }
                pat.push(c);
            }
            self.pending.push((self.len, pat));
        }
        if self.len == self.items.len() {
            self.items.push(String::new());
        }
        std::mem::swap(&mut self.items[self.len], &mut self.cur);
        self.len += 1;
        self.start_field();
    }
    /// A field that globs to itself whatever the files are: nothing quoted (its pattern is its
    /// text), one path component (no `/`), no backslash and no real pattern (a lone `[` as in
    /// `[ ... ]`): `glob` would find the file of that name or nothing, and the field is its
    /// text either way.
    fn literal_glob(&self) -> bool {
        self.specials.is_empty() && !self.cur.contains(['/', '\\']) && !crate::shell::pattern::has_glob(&self.cur)
    }
    /// Replaces each pending field from index `first` on by the paths its pattern matches, if any.
    fn expand_globs(&mut self, first: usize, mut glob: impl FnMut(&str) -> Vec<String>) {
        let mut shift = 0;
        for (idx, pat) in std::mem::take(&mut self.pending) {
            debug_assert!(idx >= first);
            let matches = glob(&pat);
            if matches.is_empty() {
                continue;
            }
            let at = idx + shift;
            shift += matches.len() - 1;
            self.len += matches.len() - 1;
            self.items.splice(at..at + 1, matches);
        }
    }
}

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
                self.reap_fg(h, pid);
                c
            }
            Spawned::Running(pid) => {
                let c = h.run_to_completion(pid).unwrap_or(0);
                self.reap_fg(h, pid);
                c
            }
            Spawned::Failed(c) => c,
            Spawned::NoFork(limit) => return Err(self.cant_fork(h, limit)),
        };
        self.status = code;
        let out = h.take_pipe(pipe);
        let mut s = String::from_utf8_lossy(&out).to_string();
        while s.ends_with('\n') {
            s.pop();
        }
        Ok(s)
    }

    /// Appends `$((src))` to `out`. A text with no `$`, backquote, backslash or double quote
    /// (nearly all) expands to itself and is evaluated in place.
    pub(super) fn arith_into(&mut self, h: &mut dyn Host, src: &str, out: &mut String) -> Result<(), i32> {
        // expand $x / ${x} / $(..) first, then evaluate with bare names as variables
        let expanded;
        let text = if src.contains(['$', '`', '\\', '"']) {
            let mut p = Parser::new(&format!("\"{}\"", src.replace('"', "")));
            expanded = match p.word() {
                Ok((w, _)) => self.expand_single(h, &w)?,
                Err(_) => src.to_string(),
            };
            expanded.as_str()
        } else {
            src
        };
        let vars = &self.vars;
        let mut get = |n: &str| var_in(vars, n).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
        match crate::shell::arith::eval(text, &mut get, &mut |_, _| {}) {
            Ok((v, assigns)) => {
                for (n, val) in assigns {
                    self.set_var_int(&n, val);
                }
                let _ = write!(out, "{v}");
                Ok(())
            }
            Err(msg) => {
                self.err(h, None, &format!("arithmetic syntax error{msg}"));
                Err(2)
            }
        }
    }

    /// Appends a parameter's value (`$name`, no operator) to `out`, borrowing a variable's
    /// value instead of copying it.
    fn plain_param_into(&self, h: &dyn Host, name: &str, out: &mut String) {
        match name {
            "?" => {
                let _ = write!(out, "{}", self.status);
            }
            "$" | "!" | "#" | "0" | "@" | "*" | "-" | "PPID" | "LINENO" | "RANDOM" => {
                if let Some(v) = self.param(h, name) {
                    out.push_str(&v);
                }
            }
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                if let Some(v) = self.param(h, n) {
                    out.push_str(&v);
                }
            }
            n => {
                if let Some(v) = self.var(n) {
                    out.push_str(v);
                }
            }
        }
    }

    /// Appends the expansion of one part to `out` (no field splitting, no globbing).
    pub(super) fn expand_part_into(&mut self, h: &mut dyn Host, p: &WordPart, out: &mut String) -> Result<(), i32> {
        match p {
            WordPart::Lit(s) | WordPart::Quoted(s) => out.push_str(s),
            WordPart::Double(parts) => {
                for q in parts {
                    self.expand_part_into(h, q, out)?;
                }
            }
            WordPart::Param(pe) if pe.op == ParamOp::Plain => self.plain_param_into(&*h, &pe.name, out),
            WordPart::Param(pe) => {
                let v = self.expand_param(h, pe)?;
                out.push_str(&v);
            }
            WordPart::CmdSub(src) => {
                let v = self.cmdsub(h, src)?;
                out.push_str(&v);
            }
            WordPart::Arith(src) => self.arith_into(h, src, out)?,
        }
        Ok(())
    }

    pub(super) fn expand_part_text(&mut self, h: &mut dyn Host, p: &WordPart) -> Result<String, i32> {
        let mut s = String::new();
        self.expand_part_into(h, p, &mut s)?;
        Ok(s)
    }

    /// Expand words into fields (parameter, command and arithmetic expansion, field splitting
    /// on IFS white space, pathname expansion).
    pub fn expand_words(&mut self, h: &mut dyn Host, words: &[Word]) -> Result<Vec<String>, i32> {
        let mut argv = Argv::default();
        self.expand_words_into(h, words, &mut argv)?;
        argv.items.truncate(argv.len);
        Ok(argv.items)
    }

    /// [`Vm::expand_words`] into a buffer whose strings are reused from one command to the next.
    pub(super) fn expand_words_into(&mut self, h: &mut dyn Host, words: &[Word], argv: &mut Argv) -> Result<(), i32> {
        argv.clear();
        for w in words {
            let first = argv.len;
            self.expand_fields(h, w, argv)?;
            if !argv.pending.is_empty() {
                argv.expand_globs(first, |pat| self.glob(h, pat));
            }
        }
        // Copying the fields costs CPU by their size: a list that grows each turn (`set -- $i
        // $@`) slows its loop down in virtual time as it would on a node.
        let bytes: usize = argv.items[..argv.len].iter().map(|f| f.len() + 8).sum();
        h.charge((bytes / COPY_BYTES_PER_STEP) as u64);
        Ok(())
    }

    /// Expand one word into fields at the end of `argv`; the fields to glob are left in
    /// `argv.pending`, to be globbed once the whole word is expanded.
    fn expand_fields(&mut self, h: &mut dyn Host, word: &Word, argv: &mut Argv) -> Result<(), i32> {
        argv.start_field();
        let mut quoted_seen = false;
        for (i, part) in word.iter().enumerate() {
            if argv.cur.len() > MAX_VALUE_BYTES {
                return Err(self.out_of_memory(h, argv.cur.len()));
            }
            match part {
                WordPart::Lit(s) => {
                    if i == 0 && (s == "~" || s.starts_with("~/")) {
                        let home = self.var("HOME").unwrap_or_default();
                        argv.push_unquoted(home);
                        argv.push_unquoted(&s[1..]);
                    } else {
                        argv.push_unquoted(s);
                    }
                }
                WordPart::Quoted(s) => {
                    quoted_seen = true;
                    argv.push_quoted(s);
                }
                WordPart::Double(parts) => {
                    quoted_seen = true;
                    for p in parts {
                        match p {
                            WordPart::Param(pe) if pe.name == "@" && pe.op == ParamOp::Plain => {
                                let args = self.positional.clone();
                                for (j, a) in args.iter().enumerate() {
                                    if j > 0 {
                                        argv.end_field();
                                    }
                                    argv.push_quoted(a);
                                }
                                if args.is_empty() && parts.len() == 1 && word.len() == 1 {
                                    quoted_seen = false;
                                }
                            }
                            other => {
                                let start = argv.cur.len();
                                self.expand_part_into(h, other, &mut argv.cur)?;
                                argv.mark_quoted(start);
                            }
                        }
                    }
                }
                other => {
                    // unquoted expansion result: field splitting on IFS whitespace
                    let mut tmp = std::mem::take(&mut argv.tmp);
                    tmp.clear();
                    let r = self.expand_part_into(h, other, &mut tmp);
                    if r.is_ok() {
                        if !tmp.contains(IFS_WS) {
                            argv.push_unquoted(&tmp);
                        } else {
                            for c in tmp.chars() {
                                if IFS_WS.contains(&c) {
                                    if !argv.cur.is_empty() || quoted_seen {
                                        argv.end_field();
                                        quoted_seen = false;
                                    }
                                } else {
                                    argv.push_unquoted_char(c);
                                }
                            }
                        }
                    }
                    argv.tmp = tmp;
                    r?;
                }
            }
        }
        if !argv.cur.is_empty() || quoted_seen {
            argv.end_field();
        }
        Ok(())
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
        podplay_k8s_util::sort::sort(&mut cands);
        cands
    }

    /// Expand without field splitting (assignments, redirection targets, case subjects).
    pub fn expand_single(&mut self, h: &mut dyn Host, w: &Word) -> Result<String, i32> {
        let mut s = String::new();
        self.expand_single_into(h, w, &mut s)?;
        Ok(s)
    }

    /// [`Vm::expand_single`], appended to `out`.
    pub(super) fn expand_single_into(&mut self, h: &mut dyn Host, w: &Word, out: &mut String) -> Result<(), i32> {
        let start = out.len();
        for p in w {
            if out.len() - start > MAX_VALUE_BYTES {
                return Err(self.out_of_memory(h, out.len() - start));
            }
            self.expand_part_into(h, p, out)?;
        }
        // The copy costs CPU by its size, as the fields of a command do.
        h.charge(((out.len() - start) / COPY_BYTES_PER_STEP) as u64);
        if let Some(WordPart::Lit(first)) = w.first() {
            if first == "~" || first.starts_with("~/") {
                let home = self.var("HOME").unwrap_or_default().to_string();
                out.replace_range(start..start + 1, &home);
            }
        }
        Ok(())
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

#[cfg(test)]
pub(super) mod tests {
    //! The expansion that fills reused buffers against the one it replaced (kept here as the
    //! reference: fields as `(char, quoted)` vectors, every part expanded to a new string,
    //! arithmetic always parsed as a double-quoted word first).

    use super::*;
    use crate::fs::{FsLimits, Mount, Tree};
    use crate::shell::host::{HttpReply, ListenInfo, NetError, PortInUse, ProcInfo};
    use crate::types::Millis;

    /// A host with a file tree and nothing else (no process, no network).
    pub(crate) struct FilesHost {
        trees: Vec<Tree>,
        mounts: Vec<Mount>,
        pub(crate) written: Vec<(Output, String)>,
    }

    impl FilesHost {
        pub(crate) fn new(files: &[&str]) -> Self {
            let mut t = Tree::new(FsLimits { max_bytes: 1 << 20, max_files: 1000 }, 0);
            for f in files {
                if let Some(d) = f.strip_suffix('/') {
                    t.mkdir(d.trim_start_matches('/'), 0).unwrap();
                } else {
                    t.write(f.trim_start_matches('/'), b"x", false, 0).unwrap();
                }
            }
            FilesHost { trees: vec![t], mounts: vec![], written: vec![] }
        }
    }

    impl Host for FilesHost {
        fn now(&self) -> Millis {
            1234
        }
        fn wall_secs(&self) -> i64 {
            0
        }
        fn busybox_version(&self) -> BusyboxVersion {
            BusyboxVersion::V1_36
        }
        fn gnu(&self) -> bool {
            false
        }
        fn view(&mut self) -> crate::fs::View<'_> {
            crate::fs::View {
                trees: &mut self.trees,
                root: 0,
                mounts: &self.mounts,
                now_secs: 0,
                cred: &crate::fs::ROOT,
                root_read_only: false,
            }
        }
        fn write(&mut self, out: &Output, data: &[u8]) {
            self.written.push((out.clone(), String::from_utf8_lossy(data).into_owned()));
        }
        fn pid(&self) -> u32 {
            7
        }
        fn ppid(&self) -> u32 {
            1
        }
        fn hostname(&self) -> String {
            "h".into()
        }
        fn kernel_release(&self) -> String {
            String::new()
        }
        fn kernel_version(&self) -> String {
            String::new()
        }
        fn lookup(&mut self, _: &str, _: &str) -> Result<String, i32> {
            Err(127)
        }
        fn spawn(&mut self, _: &str, _: Vec<String>, _: Rc<Vec<(String, String)>>, _: String, _: Fds) -> Spawned {
            Spawned::Failed(127)
        }
        fn spawn_shell(&mut self, _: Box<Vm>, _: Vec<String>, _: Fds) -> Spawned {
            Spawned::Failed(2)
        }
        fn run_to_completion(&mut self, _: u32) -> Option<i32> {
            None
        }
        fn reap(&mut self, _: u32) -> Option<i32> {
            None
        }
        fn is_alive(&self, _: u32) -> bool {
            false
        }
        fn kill(&mut self, _: u32, _: i32) -> bool {
            false
        }
        fn processes(&self) -> Vec<ProcInfo> {
            vec![]
        }
        fn take_pipe(&mut self, _: u64) -> Vec<u8> {
            vec![]
        }
        fn new_pipe(&mut self) -> u64 {
            1
        }
        fn charge(&mut self, _: u64) -> bool {
            true
        }
        fn http_get(&mut self, _: &str, _: u16, _: &str, _: &[(String, String)]) -> Result<HttpReply, NetError> {
            Err(NetError::Refused)
        }
        fn tcp_probe(&mut self, _: &str, _: u16) -> Result<(), NetError> {
            Err(NetError::Refused)
        }
        fn dns_lookup(&self, _: &str) -> Option<String> {
            None
        }
        fn pod_ip(&self) -> String {
            String::new()
        }
        fn namespace(&self) -> String {
            String::new()
        }
        fn listeners(&self) -> Vec<ListenInfo> {
            vec![]
        }
        fn listen_httpd(&mut self, _: u16, _: String, _: u8, _: bool, _: Vec<String>) -> Result<(), PortInUse> {
            Err(PortInUse)
        }
        fn listen_tcp(&mut self, _: u16, _: String) -> Result<(), PortInUse> {
            Err(PortInUse)
        }
        fn dns_reverse(&self, _: &str) -> Option<String> {
            None
        }
    }

    impl Vm {
        fn reference_arith(&mut self, h: &mut dyn Host, src: &str) -> Result<String, i32> {
            let mut p = Parser::new(&format!("\"{}\"", src.replace('"', "")));
            let text = match p.word() {
                Ok((w, _)) => self.reference_single(h, &w)?,
                Err(_) => src.to_string(),
            };
            match crate::shell::arith::eval(&text, &mut |n| self.get(n).and_then(|v| v.trim().parse().ok()).unwrap_or(0), &mut |_, _| {}) {
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

        fn reference_part(&mut self, h: &mut dyn Host, p: &WordPart) -> Result<String, i32> {
            match p {
                WordPart::Lit(s) | WordPart::Quoted(s) => Ok(s.clone()),
                WordPart::Double(parts) => {
                    let mut s = String::new();
                    for q in parts {
                        s.push_str(&self.reference_part(h, q)?);
                    }
                    Ok(s)
                }
                WordPart::Param(pe) => self.expand_param(h, pe),
                WordPart::CmdSub(src) => self.cmdsub(h, src),
                WordPart::Arith(src) => self.reference_arith(h, src),
            }
        }

        pub(crate) fn reference_single(&mut self, h: &mut dyn Host, w: &Word) -> Result<String, i32> {
            let mut s = String::new();
            for p in w {
                s.push_str(&self.reference_part(h, p)?);
            }
            if let Some(WordPart::Lit(first)) = w.first() {
                if first == "~" || first.starts_with("~/") {
                    s = format!("{}{}", self.get("HOME").unwrap_or_default(), &s[1..]);
                }
            }
            Ok(s)
        }

        fn reference_fields(&mut self, h: &mut dyn Host, word: &Word) -> Result<Vec<Vec<(char, bool)>>, i32> {
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
                                    let s = self.reference_part(h, other)?;
                                    cur.extend(s.chars().map(|c| (c, true)));
                                }
                            }
                        }
                    }
                    other => {
                        let s = self.reference_part(h, other)?;
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

        pub(crate) fn reference_words(&mut self, h: &mut dyn Host, words: &[Word]) -> Result<Vec<String>, i32> {
            let mut out = Vec::new();
            for w in words {
                for f in self.reference_fields(h, w)? {
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
    }

    fn dialect() -> Dialect {
        Dialect { version: BusyboxVersion::V1_36, script: false, dash: false, bash: false }
    }

    pub(crate) fn shell(cwd: &str) -> Vm {
        let fds = Fds { stdin: crate::io::Input::Null, stdout: Output::Null, stderr: Output::Log(crate::io::Stream::Stderr) };
        let env: Vec<(String, String)> = vec![("HOME".into(), "/root".into())];
        let mut vm = Vm::new("sh", &env, cwd, fds, dialect(), 1);
        for (k, v) in [
            ("i", "41"),
            ("sp", "a  b\tc\nd"),
            ("lead", "  x y  "),
            ("empty", ""),
            ("star", "*.txt"),
            ("q", "[ab]"),
            ("bs", "a\\b"),
            ("path", "/tmp/*.txt"),
            ("br", "["),
            ("neg", "-7"),
            ("ws", " "),
            ("uni", "é ü"),
        ] {
            vm.set_var(k, v);
        }
        vm.positional = vec!["one".into(), "two words".into(), "".into(), "*.txt".into()];
        vm
    }

    /// The words of the simple command `src`.
    pub(crate) fn words(src: &str) -> Vec<Word> {
        let cmds = crate::shell::parse::parse_all(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"));
        match &*cmds[0] {
            Cmd::Simple { words, .. } => words.clone(),
            other => panic!("{src:?}: {other:?}"),
        }
    }

    const WORDS: &[&str] = &[
        "plain",
        "$i",
        "${i}",
        "\"$i\"",
        "'$i'",
        "$i${i}x",
        "\"a b\"",
        "c\\ d",
        "$sp",
        "\"$sp\"",
        "x$sp",
        "$sp\"\"",
        "$lead",
        "\"$lead\"",
        "$empty",
        "\"$empty\"",
        "''",
        "x$empty",
        "$empty''",
        "$star",
        "\"$star\"",
        "/tmp/*",
        "/tmp/*.txt",
        "/tmp/\\*",
        "/tmp/'*'.txt",
        "\"/tmp/*\"",
        "$path",
        "$q",
        "\"$q\"",
        "/tmp/[ab].txt",
        "/tmp/$q.txt",
        "$bs",
        "\"$bs\"",
        "[",
        "]",
        "\"[\"",
        "$br",
        "a[b",
        "[!]",
        "'['!]",
        "\\[ab]",
        "*",
        "\"*\"",
        "?",
        "tmp/*",
        "./*",
        "../tmp/a.txt",
        "~",
        "~/x",
        "a~",
        "\"~\"",
        "$@",
        "\"$@\"",
        "x\"$@\"y",
        "$*",
        "\"$*\"",
        "$#",
        "$?",
        "$$",
        "$0",
        "$1",
        "\"$2\"",
        "$2",
        "${3}x",
        "$4",
        "$((i+1))",
        "$(( i * 2 ))",
        "$((i++))",
        "$((k=i-1))",
        "$(($i+1))",
        "$((${i}+1))",
        "\"$((i<<1))\"",
        "$((neg))",
        "$((neg+1))x",
        "$((1/0))",
        "$((\"2\"+3))",
        "${i:-d}",
        "${nope:-a b}",
        "\"${nope:-a b}\"",
        "${#sp}",
        "${sp%d}",
        "${path##*/}",
        "${nope:=set}",
        "${uni}",
        "\"$uni\"",
        "$ws",
        "\"$ws\"",
        "x${ws}y",
        "${i:+\"$sp\"}",
        "$(($(echo 1)))",
        "a$((1+1))b$((2+2))",
        "[$i]",
        "-lt",
        "1000000",
        "$(echo hi)",
        "`echo hi`",
    ];

    #[test]
    fn expansion_matches_the_reference() {
        let files = ["/tmp/", "/tmp/a.txt", "/tmp/b.txt", "/tmp/*.txt", "/tmp/[", "/tmp/ab", "/root/", "/root/x", "/a", "/b", "/[", "/x"];
        for cwd in ["/", "/tmp"] {
            for (k, w) in WORDS.iter().enumerate() {
                let line = format!("{w} {}", WORDS[(k * 7 + 3) % WORDS.len()]);
                let ws = words(&line);
                let (mut a, mut b) = (shell(cwd), shell(cwd));
                let (mut ha, mut hb) = (FilesHost::new(&files), FilesHost::new(&files));
                let want = a.reference_words(&mut ha, &ws);
                let got = b.expand_words(&mut hb, &ws);
                assert_eq!(got, want, "{line:?} in {cwd}");
                if *w == "/tmp/*.txt" {
                    assert_eq!(got.as_ref().unwrap()[..3], ["/tmp/*.txt", "/tmp/a.txt", "/tmp/b.txt"], "{line:?}");
                }
                if *w == "\"$@\"" {
                    assert_eq!(got.as_ref().unwrap()[..4], ["one", "two words", "", "*.txt"], "{line:?}");
                }
                assert_eq!(b.vars, a.vars, "{line:?}: variables");
                assert_eq!(hb.written, ha.written, "{line:?}: messages");
                // Reused buffers: a second expansion in the same buffer gives the same.
                let mut argv = Argv::default();
                for _ in 0..2 {
                    let (mut a, mut b) = (shell(cwd), shell(cwd));
                    let want = a.reference_words(&mut FilesHost::new(&files), &ws);
                    let got = b.expand_words_into(&mut FilesHost::new(&files), &ws, &mut argv).map(|_| argv.as_slice().to_vec());
                    assert_eq!(got, want, "{line:?} in {cwd}, reused");
                }
                for one in &ws {
                    let (mut a, mut b) = (shell(cwd), shell(cwd));
                    let want = a.reference_single(&mut FilesHost::new(&files), one);
                    let mut got = String::from("keep:");
                    let r = b.expand_single_into(&mut FilesHost::new(&files), one, &mut got).map(|_| got[5..].to_string());
                    assert_eq!(r, want, "{line:?} single");
                    assert_eq!(b.vars, a.vars, "{line:?}: variables (single)");
                }
            }
        }
    }
}
