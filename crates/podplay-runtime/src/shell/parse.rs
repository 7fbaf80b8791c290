//! ash-compatible parser. Like ash it parses one top-level line (list) at a time, so the VM can
//! execute `echo a` before hitting a syntax error on the next line (images.md §1.2: `sh -c
//! $'echo a\nif then'` prints `a` first, while `echo a; if then` prints only the error).

use super::ast::*;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    /// Text after `syntax error: ` (or a full message for `missing '))'`).
    pub message: String,
    pub line: u32,
}

#[derive(Clone, Debug)]
pub struct Parser {
    src: Vec<char>,
    pos: usize,
    /// Newlines consumed so far (line numbers are added to the VM's base).
    pub line: u32,
    pending_heredocs: Vec<(String, bool, usize)>,
    heredoc_bodies: Vec<String>,
    /// Nesting of compound commands / `$(…)` being parsed (bounded: the parser recurses).
    depth: u32,
}

/// Deeper nesting than any real script; stops runaway input before the host stack does.
const MAX_NESTING: u32 = 200;

const RESERVED: &[&str] = &["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "case", "esac", "in", "{", "}", "!"];

type PResult<T> = Result<T, ParseError>;

impl Parser {
    pub fn new(src: &str) -> Self {
        Parser { src: src.chars().collect(), pos: 0, line: 0, pending_heredocs: Vec::new(), heredoc_bodies: Vec::new(), depth: 0 }
    }

    fn err<T>(&self, msg: impl Into<String>) -> PResult<T> {
        Err(ParseError { message: msg.into(), line: self.line })
    }

    fn peek(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.src.get(self.pos + n).copied()
    }
    fn starts(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ') | Some('\t') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                Some('#') => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// Consume a newline, reading any here-document bodies queued on this line.
    fn eat_newline(&mut self) {
        self.pos += 1;
        self.line += 1;
        let pending = std::mem::take(&mut self.pending_heredocs);
        for (delim, strip, slot) in pending {
            let mut body = String::new();
            loop {
                if self.pos >= self.src.len() {
                    break;
                }
                let mut line = String::new();
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == '\n' {
                        self.line += 1;
                        break;
                    }
                    line.push(c);
                }
                let cmp = if strip { line.trim_start_matches('\t').to_string() } else { line.clone() };
                if cmp == delim {
                    break;
                }
                body.push_str(&cmp);
                body.push('\n');
            }
            self.heredoc_bodies[slot] = body;
        }
    }

    fn skip_newlines(&mut self) {
        loop {
            self.skip_blanks();
            if self.peek() == Some('\n') {
                self.eat_newline();
            } else {
                break;
            }
        }
    }

    /// Describe the next token for `unexpected X` messages.
    fn describe_next(&mut self) -> String {
        self.skip_blanks();
        match self.peek() {
            None => "end of file".into(),
            Some('\n') => "newline".into(),
            _ => {
                for op in [";;", "&&", "||", ">>", "<<", ";", "&", "|", "(", ")", "<", ">"] {
                    if self.starts(op) {
                        return format!("\"{op}\"");
                    }
                }
                let save = self.pos;
                let w = self.raw_word();
                self.pos = save;
                format!("\"{w}\"")
            }
        }
    }

    fn raw_word(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if " \t\n;&|<>()".contains(c) {
                break;
            }
            s.push(c);
            self.pos += 1;
        }
        s
    }

    /// Peek at the next plain word (for reserved-word checks), without consuming it.
    fn peek_word(&mut self) -> Option<String> {
        self.skip_blanks();
        let save = self.pos;
        let w = self.raw_word();
        self.pos = save;
        if w.is_empty() {
            None
        } else {
            Some(w)
        }
    }

    fn expect_word(&mut self, w: &str) -> PResult<()> {
        self.skip_newlines();
        if self.peek_word().as_deref() == Some(w) {
            self.pos += w.chars().count();
            Ok(())
        } else if self.peek().is_none() {
            self.err(format!("unexpected end of file (expecting \"{w}\")"))
        } else {
            let d = self.describe_next();
            self.err(format!("unexpected {d} (expecting \"{w}\")"))
        }
    }

    /// Parse the next top-level line. `Ok(None)` at end of input.
    pub fn next_line(&mut self) -> PResult<Option<(Rc<Cmd>, u32)>> {
        self.skip_newlines();
        if self.peek().is_none() {
            return Ok(None);
        }
        let line = self.line;
        let cmd = self.list(&[], true)?;
        self.skip_blanks();
        match self.peek() {
            None => {}
            Some('\n') => self.eat_newline(),
            _ => {
                let d = self.describe_next();
                return self.err(format!("unexpected {d}"));
            }
        }
        let cmd = self.fill_heredocs(cmd);
        Ok(Some((cmd, line)))
    }

    fn fill_heredocs(&self, cmd: Rc<Cmd>) -> Rc<Cmd> {
        if self.heredoc_bodies.is_empty() {
            return cmd;
        }
        // Here-doc bodies were stored by slot index in the delimiter text; patch them in.
        fn fix_redirs(r: &[Redir], bodies: &[String]) -> Vec<Redir> {
            r.iter()
                .map(|r| match &r.kind {
                    RedirKind::HereDoc(slot, exp) if slot.starts_with('\u{0}') => {
                        let i: usize = slot[1..].parse().unwrap_or(0);
                        Redir { fd: r.fd, kind: RedirKind::HereDoc(bodies[i].clone(), *exp), target: r.target.clone() }
                    }
                    _ => r.clone(),
                })
                .collect()
        }
        fn walk(c: &Rc<Cmd>, b: &[String]) -> Rc<Cmd> {
            Rc::new(match &**c {
                Cmd::Simple { assigns, words, redirs, line } => {
                    Cmd::Simple { assigns: assigns.clone(), words: words.clone(), redirs: fix_redirs(redirs, b), line: *line }
                }
                Cmd::Pipeline { cmds, bang } => Cmd::Pipeline { cmds: cmds.iter().map(|c| walk(c, b)).collect(), bang: *bang },
                Cmd::And(x, y) => Cmd::And(walk(x, b), walk(y, b)),
                Cmd::Or(x, y) => Cmd::Or(walk(x, b), walk(y, b)),
                Cmd::Seq(v) => Cmd::Seq(v.iter().map(|(c, bg)| (walk(c, b), *bg)).collect()),
                Cmd::If { cond, then, otherwise } => {
                    Cmd::If { cond: walk(cond, b), then: walk(then, b), otherwise: otherwise.as_ref().map(|o| walk(o, b)) }
                }
                Cmd::Loop { cond, body, until } => Cmd::Loop { cond: walk(cond, b), body: walk(body, b), until: *until },
                Cmd::For { var, words, body } => Cmd::For { var: var.clone(), words: words.clone(), body: walk(body, b) },
                Cmd::Case { word, arms } => {
                    Cmd::Case { word: word.clone(), arms: arms.iter().map(|(p, c)| (p.clone(), c.as_ref().map(|c| walk(c, b)))).collect() }
                }
                Cmd::Group(c) => Cmd::Group(walk(c, b)),
                Cmd::Subshell(c) => Cmd::Subshell(walk(c, b)),
                Cmd::FuncDef { name, body } => Cmd::FuncDef { name: name.clone(), body: walk(body, b) },
                Cmd::Redirected { cmd, redirs } => Cmd::Redirected { cmd: walk(cmd, b), redirs: fix_redirs(redirs, b) },
            })
        }
        walk(&cmd, &self.heredoc_bodies)
    }

    /// A list of and-or items. At top level (`toplevel`) a newline ends the list; inside compound
    /// commands newlines separate items until one of `terms` (a reserved word or `)`/`;;`).
    fn list(&mut self, terms: &[&str], toplevel: bool) -> PResult<Rc<Cmd>> {
        let mut items: Vec<(Rc<Cmd>, bool)> = Vec::new();
        loop {
            if toplevel {
                self.skip_blanks();
            } else {
                self.skip_newlines();
            }
            if self.at_terminator(terms) {
                break;
            }
            match self.peek() {
                None => break,
                Some('\n') if toplevel => break,
                _ => {}
            }
            let item = self.and_or()?;
            self.skip_blanks();
            let mut bg = false;
            if self.peek() == Some('&') && self.peek_at(1) != Some('&') {
                self.pos += 1;
                bg = true;
            } else if self.peek() == Some(';') && self.peek_at(1) != Some(';') {
                self.pos += 1;
            } else {
                items.push((item, bg));
                self.skip_blanks();
                match self.peek() {
                    Some('\n') if !toplevel => continue,
                    _ => break,
                }
            }
            items.push((item, bg));
        }
        if items.is_empty() {
            if self.peek().is_none() {
                if let Some(t) = terms.last() {
                    return self.err(format!("unexpected end of file (expecting \"{t}\")"));
                }
            }
            let d = self.describe_next();
            return self.err(format!("unexpected {d}"));
        }
        if items.len() == 1 && !items[0].1 {
            return Ok(items.pop().unwrap().0);
        }
        Ok(Rc::new(Cmd::Seq(items)))
    }

    fn at_terminator(&mut self, terms: &[&str]) -> bool {
        self.skip_blanks();
        if terms.contains(&")") && self.peek() == Some(')') {
            return true;
        }
        if terms.contains(&";;") && self.starts(";;") {
            return true;
        }
        if let Some(w) = self.peek_word() {
            return terms.contains(&w.as_str());
        }
        false
    }

    fn and_or(&mut self) -> PResult<Rc<Cmd>> {
        let mut left = self.pipeline()?;
        loop {
            self.skip_blanks();
            if self.starts("&&") {
                self.pos += 2;
                self.skip_newlines();
                let right = self.pipeline()?;
                left = Rc::new(Cmd::And(left, right));
            } else if self.starts("||") {
                self.pos += 2;
                self.skip_newlines();
                let right = self.pipeline()?;
                left = Rc::new(Cmd::Or(left, right));
            } else {
                return Ok(left);
            }
        }
    }

    fn pipeline(&mut self) -> PResult<Rc<Cmd>> {
        self.skip_blanks();
        let mut bang = false;
        if self.peek_word().as_deref() == Some("!") {
            self.pos += 1;
            bang = true;
        }
        let mut cmds = vec![self.command()?];
        loop {
            self.skip_blanks();
            if self.peek() == Some('|') && self.peek_at(1) != Some('|') {
                self.pos += 1;
                self.skip_newlines();
                cmds.push(self.command()?);
            } else {
                break;
            }
        }
        if cmds.len() == 1 && !bang {
            return Ok(cmds.pop().unwrap());
        }
        Ok(Rc::new(Cmd::Pipeline { cmds, bang }))
    }

    fn command(&mut self) -> PResult<Rc<Cmd>> {
        if self.depth >= MAX_NESTING {
            return self.err("nesting too deep");
        }
        self.depth += 1;
        let r = self.command_inner();
        self.depth -= 1;
        r
    }

    fn command_inner(&mut self) -> PResult<Rc<Cmd>> {
        self.skip_blanks();
        let w = self.peek_word();
        let compound = match w.as_deref() {
            Some("if") => {
                self.pos += 2;
                Some(self.if_clause()?)
            }
            Some("while") | Some("until") => {
                let until = w.as_deref() == Some("until");
                self.pos += 5; // `while` and `until` are both five letters
                let cond = self.list(&["do"], false)?;
                self.expect_word("do")?;
                let body = self.list(&["done"], false)?;
                self.expect_word("done")?;
                Some(Rc::new(Cmd::Loop { cond, body, until }))
            }
            Some("for") => {
                self.pos += 3;
                Some(self.for_clause()?)
            }
            Some("case") => {
                self.pos += 4;
                Some(self.case_clause()?)
            }
            Some("{") => {
                self.pos += 1;
                let body = self.list(&["}"], false)?;
                self.expect_word("}")?;
                Some(Rc::new(Cmd::Group(body)))
            }
            Some(r) if RESERVED.contains(&r) && r != "!" => {
                return self.err(format!("unexpected \"{r}\""));
            }
            _ => None,
        };
        let compound = match compound {
            Some(c) => Some(c),
            None if self.peek() == Some('(') => {
                self.pos += 1;
                let body = self.list(&[")"], false)?;
                self.skip_newlines();
                if self.peek() != Some(')') {
                    if self.peek().is_none() {
                        return self.err("unexpected end of file (expecting \")\")");
                    }
                    let d = self.describe_next();
                    return self.err(format!("unexpected {d} (expecting \")\")"));
                }
                self.pos += 1;
                Some(Rc::new(Cmd::Subshell(body)))
            }
            None => None,
        };
        if let Some(c) = compound {
            let mut redirs = Vec::new();
            loop {
                self.skip_blanks();
                match self.try_redir()? {
                    Some(r) => redirs.push(r),
                    None => break,
                }
            }
            if redirs.is_empty() {
                return Ok(c);
            }
            return Ok(Rc::new(Cmd::Redirected { cmd: c, redirs }));
        }
        self.simple()
    }

    fn if_clause(&mut self) -> PResult<Rc<Cmd>> {
        let cond = self.list(&["then"], false)?;
        self.expect_word("then")?;
        let then = self.list(&["else", "elif", "fi"], false)?;
        self.skip_newlines();
        let otherwise = match self.peek_word().as_deref() {
            Some("elif") => {
                self.pos += 4;
                Some(self.if_clause_tail()?)
            }
            Some("else") => {
                self.pos += 4;
                let e = self.list(&["fi"], false)?;
                self.expect_word("fi")?;
                Some(e)
            }
            _ => {
                self.expect_word("fi")?;
                None
            }
        };
        Ok(Rc::new(Cmd::If { cond, then, otherwise }))
    }

    /// `elif` shares the outer `fi`.
    fn if_clause_tail(&mut self) -> PResult<Rc<Cmd>> {
        self.if_clause()
    }

    fn name_ok(s: &str) -> bool {
        let mut cs = s.chars();
        matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_') && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    fn for_clause(&mut self) -> PResult<Rc<Cmd>> {
        self.skip_blanks();
        let var = self.raw_word();
        if !Self::name_ok(&var) {
            return self.err("bad for loop variable");
        }
        self.skip_blanks();
        let mut words = None;
        // `for x in a b c;` / `for x; do` / `for x do`
        self.skip_newlines();
        if self.peek_word().as_deref() == Some("in") {
            self.pos += 2;
            let mut ws = Vec::new();
            loop {
                self.skip_blanks();
                match self.peek() {
                    Some(';') | Some('\n') | None => break,
                    _ => ws.push(self.word()?.0),
                }
            }
            words = Some(ws);
        }
        self.skip_blanks();
        if self.peek() == Some(';') {
            self.pos += 1;
        }
        self.expect_word("do")?;
        let body = self.list(&["done"], false)?;
        self.expect_word("done")?;
        Ok(Rc::new(Cmd::For { var, words, body }))
    }

    fn case_clause(&mut self) -> PResult<Rc<Cmd>> {
        self.skip_blanks();
        let (word, _) = self.word()?;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek_word().as_deref() == Some("esac") {
                self.pos += 4;
                break;
            }
            if self.peek().is_none() {
                return self.err("unexpected end of file (expecting \"esac\")");
            }
            if self.peek() == Some('(') {
                self.pos += 1;
            }
            let mut pats = Vec::new();
            loop {
                self.skip_blanks();
                pats.push(self.word()?.0);
                self.skip_blanks();
                match self.peek() {
                    Some('|') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        let d = self.describe_next();
                        return self.err(format!("unexpected {d} (expecting \")\")"));
                    }
                }
            }
            self.skip_newlines();
            let body = if self.starts(";;") || self.peek_word().as_deref() == Some("esac") {
                None
            } else {
                Some(self.list(&[";;", "esac"], false)?)
            };
            arms.push((pats, body));
            self.skip_newlines();
            if self.starts(";;") {
                self.pos += 2;
            }
        }
        Ok(Rc::new(Cmd::Case { word, arms }))
    }

    fn try_redir(&mut self) -> PResult<Option<Redir>> {
        let save = self.pos;
        let mut fd: Option<u32> = None;
        if let Some(c) = self.peek() {
            if c.is_ascii_digit() && matches!(self.peek_at(1), Some('<') | Some('>')) {
                fd = Some(c.to_digit(10).unwrap());
                self.pos += 1;
            }
        }
        let kind = if self.starts(">>") {
            self.pos += 2;
            RedirKind::Append
        } else if self.starts(">&") {
            self.pos += 2;
            RedirKind::Dup
        } else if self.starts(">|") {
            self.pos += 2;
            RedirKind::Out
        } else if self.starts("<<") {
            self.pos += 2;
            let strip = if self.peek() == Some('-') {
                self.pos += 1;
                true
            } else {
                false
            };
            self.skip_blanks();
            let (w, raw) = self.word()?;
            let quoted = w.iter().any(|p| !matches!(p, WordPart::Lit(_)));
            let delim: String = raw.chars().filter(|c| *c != '\'' && *c != '"' && *c != '\\').collect();
            let slot = self.heredoc_bodies.len();
            self.heredoc_bodies.push(String::new());
            self.pending_heredocs.push((delim, strip, slot));
            return Ok(Some(Redir { fd: fd.unwrap_or(0), kind: RedirKind::HereDoc(format!("\u{0}{slot}"), !quoted), target: vec![] }));
        } else if self.starts("<&") {
            self.pos += 2;
            let _ = fd.get_or_insert(0);
            RedirKind::Dup
        } else if self.starts(">") {
            self.pos += 1;
            RedirKind::Out
        } else if self.starts("<") {
            self.pos += 1;
            RedirKind::In
        } else {
            self.pos = save;
            return Ok(None);
        };
        let fd = fd.unwrap_or(if matches!(kind, RedirKind::In) { 0 } else { 1 });
        self.skip_blanks();
        match self.peek() {
            None | Some('\n') | Some(';') | Some('&') | Some('|') | Some(')') | Some('(') | Some('<') | Some('>') => {
                let d = self.describe_next();
                return self.err(format!("unexpected {d}"));
            }
            _ => {}
        }
        let (target, _) = self.word()?;
        Ok(Some(Redir { fd, kind, target }))
    }

    fn simple(&mut self) -> PResult<Rc<Cmd>> {
        let line = self.line;
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirs = Vec::new();
        loop {
            self.skip_blanks();
            match self.peek() {
                None | Some('\n') | Some(';') | Some('&') | Some('|') | Some(')') => break,
                Some('(') => {
                    // `name() { ...; }`
                    if words.len() == 1 && assigns.is_empty() && self.peek_at(1) == Some(')') {
                        let name = match &words[0][..] {
                            [WordPart::Lit(n)] if Self::name_ok(n) => n.clone(),
                            _ => return self.err("unexpected \"(\""),
                        };
                        self.pos += 2;
                        self.skip_newlines();
                        let body = self.command()?;
                        return Ok(Rc::new(Cmd::FuncDef { name, body }));
                    }
                    return self.err("unexpected \"(\"");
                }
                _ => {}
            }
            if let Some(r) = self.try_redir()? {
                redirs.push(r);
                continue;
            }
            let (w, raw) = self.word()?;
            if words.is_empty() {
                if let Some(eq) = raw.find('=') {
                    if Self::name_ok(&raw[..eq]) {
                        if let Some(WordPart::Lit(first)) = w.first() {
                            if first.len() > eq {
                                let mut value = w.clone();
                                value[0] = WordPart::Lit(first[eq + 1..].to_string());
                                if let Some(WordPart::Lit(s)) = value.first() {
                                    if s.is_empty() {
                                        value.remove(0);
                                    }
                                }
                                assigns.push((raw[..eq].to_string(), value));
                                continue;
                            }
                        }
                    }
                }
            }
            words.push(w);
        }
        if words.is_empty() && assigns.is_empty() && redirs.is_empty() {
            let d = self.describe_next();
            return self.err(format!("unexpected {d}"));
        }
        Ok(Rc::new(Cmd::Simple { assigns, words, redirs, line }))
    }

    /// Read one word; returns its parts and its raw source text.
    pub fn word(&mut self) -> PResult<(Word, String)> {
        let start = self.pos;
        let mut parts: Word = Vec::new();
        let mut lit = String::new();
        macro_rules! flush {
            () => {
                if !lit.is_empty() {
                    parts.push(WordPart::Lit(std::mem::take(&mut lit)));
                }
            };
        }
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '\'' => {
                    flush!();
                    self.pos += 1;
                    let mut s = String::new();
                    loop {
                        match self.peek() {
                            None => return self.err("unterminated quoted string"),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(ch) => {
                                if ch == '\n' {
                                    self.line += 1;
                                }
                                s.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    parts.push(WordPart::Quoted(s));
                }
                '"' => {
                    flush!();
                    self.pos += 1;
                    let inner = self.double_quoted()?;
                    parts.push(WordPart::Double(inner));
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        None => lit.push('\\'),
                        Some('\n') => {
                            self.pos += 1;
                            self.line += 1;
                        }
                        Some(ch) => {
                            flush!();
                            parts.push(WordPart::Quoted(ch.to_string()));
                            self.pos += 1;
                        }
                    }
                }
                '$' => match self.dollar()? {
                    Some(p) => {
                        flush!();
                        parts.push(p);
                    }
                    None => lit.push('$'),
                },
                '`' => {
                    flush!();
                    parts.push(self.backquote()?);
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush!();
        let raw: String = self.src[start..self.pos].iter().collect();
        Ok((parts, raw))
    }

    fn double_quoted(&mut self) -> PResult<Word> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            match self.peek() {
                None => return self.err("unterminated quoted string"),
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => match self.peek_at(1) {
                    Some(c @ ('$' | '`' | '"' | '\\')) => {
                        lit.push(c);
                        self.pos += 2;
                    }
                    Some('\n') => {
                        self.pos += 2;
                        self.line += 1;
                    }
                    _ => {
                        lit.push('\\');
                        self.pos += 1;
                    }
                },
                Some('$') => match self.dollar()? {
                    Some(p) => {
                        if !lit.is_empty() {
                            parts.push(WordPart::Quoted(std::mem::take(&mut lit)));
                        }
                        parts.push(p);
                    }
                    None => lit.push('$'),
                },
                Some('`') => {
                    if !lit.is_empty() {
                        parts.push(WordPart::Quoted(std::mem::take(&mut lit)));
                    }
                    parts.push(self.backquote()?);
                }
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        if !lit.is_empty() {
            parts.push(WordPart::Quoted(lit));
        }
        Ok(parts)
    }

    fn backquote(&mut self) -> PResult<WordPart> {
        self.pos += 1;
        let mut s = String::new();
        loop {
            match self.peek() {
                None => return self.err("unterminated quoted string"),
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') if matches!(self.peek_at(1), Some('`') | Some('\\') | Some('$')) => {
                    s.push(self.peek_at(1).unwrap());
                    self.pos += 2;
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
        Ok(WordPart::CmdSub(s))
    }

    /// At a `$`: returns None when it is a literal dollar.
    fn dollar(&mut self) -> PResult<Option<WordPart>> {
        if self.depth >= MAX_NESTING {
            return self.err("nesting too deep");
        }
        self.depth += 1;
        let r = self.dollar_inner();
        self.depth -= 1;
        r
    }

    fn dollar_inner(&mut self) -> PResult<Option<WordPart>> {
        let next = self.peek_at(1);
        match next {
            Some('(') if self.peek_at(2) == Some('(') => {
                self.pos += 3;
                let mut depth = 0;
                let mut s = String::new();
                loop {
                    match self.peek() {
                        None => return self.err("missing '))'"),
                        Some(')') if depth == 0 && self.peek_at(1) == Some(')') => {
                            self.pos += 2;
                            break;
                        }
                        Some(c) => {
                            if c == '(' {
                                depth += 1;
                            } else if c == ')' {
                                depth -= 1;
                            }
                            s.push(c);
                            self.pos += 1;
                        }
                    }
                }
                Ok(Some(WordPart::Arith(s)))
            }
            Some('(') => {
                self.pos += 2;
                let start = self.pos;
                // Find the matching `)` by parsing the inner list, which also reports its errors.
                let mut inner = Parser {
                    src: self.src.clone(),
                    pos: self.pos,
                    line: self.line,
                    pending_heredocs: vec![],
                    heredoc_bodies: vec![],
                    depth: self.depth + 1,
                };
                inner.skip_newlines();
                if inner.peek() != Some(')') {
                    inner.list(&[")"], false)?;
                    inner.skip_newlines();
                }
                if inner.peek() != Some(')') {
                    return self.err("unexpected end of file (expecting \")\")");
                }
                let text: String = self.src[start..inner.pos].iter().collect();
                self.line = inner.line;
                self.pos = inner.pos + 1;
                Ok(Some(WordPart::CmdSub(text)))
            }
            Some('{') => {
                self.pos += 2;
                let mut name = String::new();
                let mut length = false;
                if self.peek() == Some('#') && self.peek_at(1).map(|c| c != '}').unwrap_or(false) {
                    length = true;
                    self.pos += 1;
                }
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' || (name.is_empty() && "@*#?$!-".contains(c)) {
                        name.push(c);
                        self.pos += 1;
                        if name.len() == 1 && "@*#?$!-".contains(c) {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                if name.is_empty() {
                    return self.err("bad substitution");
                }
                let op = if length {
                    ParamOp::Length
                } else {
                    let colon = if self.peek() == Some(':') {
                        self.pos += 1;
                        true
                    } else {
                        false
                    };
                    match self.peek() {
                        Some('-') => ParamOp::Default(colon),
                        Some('=') => ParamOp::Assign(colon),
                        Some('+') => ParamOp::Alt(colon),
                        Some('?') => ParamOp::Error(colon),
                        Some('#') if !colon => {
                            if self.peek_at(1) == Some('#') {
                                self.pos += 1;
                                ParamOp::TrimPrefix(true)
                            } else {
                                ParamOp::TrimPrefix(false)
                            }
                        }
                        Some('%') if !colon => {
                            if self.peek_at(1) == Some('%') {
                                self.pos += 1;
                                ParamOp::TrimSuffix(true)
                            } else {
                                ParamOp::TrimSuffix(false)
                            }
                        }
                        Some('}') if !colon => ParamOp::Plain,
                        _ => return self.err("bad substitution"),
                    }
                };
                if !matches!(op, ParamOp::Plain | ParamOp::Length) {
                    self.pos += 1;
                }
                // the argument word runs to the matching `}`
                let mut arg = Vec::new();
                let mut lit = String::new();
                loop {
                    match self.peek() {
                        None => return self.err("missing '}'"),
                        Some('}') => {
                            self.pos += 1;
                            break;
                        }
                        Some('"') => {
                            if !lit.is_empty() {
                                arg.push(WordPart::Lit(std::mem::take(&mut lit)));
                            }
                            self.pos += 1;
                            arg.push(WordPart::Double(self.double_quoted()?));
                        }
                        Some('\'') => {
                            if !lit.is_empty() {
                                arg.push(WordPart::Lit(std::mem::take(&mut lit)));
                            }
                            self.pos += 1;
                            let mut s = String::new();
                            while let Some(c) = self.peek() {
                                self.pos += 1;
                                if c == '\'' {
                                    break;
                                }
                                s.push(c);
                            }
                            arg.push(WordPart::Quoted(s));
                        }
                        Some('$') => match self.dollar()? {
                            Some(p) => {
                                if !lit.is_empty() {
                                    arg.push(WordPart::Lit(std::mem::take(&mut lit)));
                                }
                                arg.push(p);
                            }
                            None => {
                                lit.push('$');
                            }
                        },
                        Some(c) => {
                            lit.push(c);
                            self.pos += 1;
                        }
                    }
                }
                if !lit.is_empty() {
                    arg.push(WordPart::Lit(lit));
                }
                Ok(Some(WordPart::Param(ParamExp { name, op, arg })))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                self.pos += 1;
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        name.push(c);
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                Ok(Some(WordPart::Param(ParamExp { name, op: ParamOp::Plain, arg: vec![] })))
            }
            Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => {
                self.pos += 2;
                Ok(Some(WordPart::Param(ParamExp { name: c.to_string(), op: ParamOp::Plain, arg: vec![] })))
            }
            _ => {
                self.pos += 1;
                Ok(None)
            }
        }
    }
}

impl Parser {
    /// True when only blanks, comments and newlines remain (the exec optimisation applies to the
    /// last command of the script).
    pub fn at_end(&mut self) -> bool {
        let (pos, line) = (self.pos, self.line);
        self.skip_newlines();
        let end = self.peek().is_none();
        if !end || !self.pending_heredocs.is_empty() {
            self.pos = pos;
            self.line = line;
        }
        end
    }
}

/// Parse a whole script eagerly (tests and function bodies); stops at the first error.
pub fn parse_all(src: &str) -> Result<Vec<Rc<Cmd>>, ParseError> {
    let mut p = Parser::new(src);
    let mut out = Vec::new();
    while let Some((c, _)) = p.next_line()? {
        out.push(c);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_of(src: &str) -> String {
        parse_all(src).unwrap_err().message
    }

    #[test]
    fn syntax_errors_match_ash() {
        // images.md §1.2 table
        let cases = [
            ("if then", "unexpected \"then\""),
            ("echo \"x", "unterminated quoted string"),
            ("for i in 1; do", "unexpected end of file (expecting \"done\")"),
            ("echo $((1+", "missing '))'"),
            (")", "unexpected \")\""),
            ("echo a; if then", "unexpected \"then\""),
        ];
        for (src, want) in cases {
            assert_eq!(err_of(src), want, "{src}");
        }
    }

    #[test]
    fn parses_constructs() {
        let srcs = [
            "touch /tmp/healthy-test; sleep 60; rm -rf /tmp/healthy-test; sleep 3600",
            "while true; do sleep 1; done",
            "trap 'exit 0' TERM; sleep 3600 & wait",
            "if [ -f /x ]; then echo y; elif true; then echo z; else echo n; fi",
            "for i in 1 2 3; do echo $i; done",
            "case $x in a|b) echo ab;; *) echo other;; esac",
            "f() { echo in f; }; f",
            "a=1 b=\"2 3\" env | grep a > /tmp/o 2>&1",
            "echo ${X:-default} $(echo sub) `echo bq` $((1+2))",
            "(cd /tmp && ls) || echo failed",
            "cat <<EOF\nhello $X\nEOF\n",
        ];
        for s in srcs {
            parse_all(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}true{}", "( ".repeat(5_000), " )".repeat(5_000));
        assert_eq!(err_of(&deep), "nesting too deep");
        let deep = format!("echo {}x{}", "$(echo ".repeat(5_000), ")".repeat(5_000));
        assert_eq!(err_of(&deep), "nesting too deep");
        let deep = format!("echo {}x{}", "${a:-".repeat(5_000), "}".repeat(5_000));
        assert_eq!(err_of(&deep), "nesting too deep");
    }

    #[test]
    fn line_by_line() {
        let mut p = Parser::new("echo a\nif then");
        assert!(p.next_line().unwrap().is_some());
        let e = p.next_line().unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn assignment_and_words() {
        let c = parse_all("X=1 echo 'a b' \"c $X\"").unwrap();
        match &*c[0] {
            Cmd::Simple { assigns, words, .. } => {
                assert_eq!(assigns[0].0, "X");
                assert_eq!(words.len(), 3);
                assert_eq!(words[1], vec![WordPart::Quoted("a b".into())]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn heredoc_body() {
        let c = parse_all("cat <<EOF\nhello\nEOF\necho x").unwrap();
        assert_eq!(c.len(), 2);
        match &*c[0] {
            Cmd::Simple { redirs, .. } => {
                assert_eq!(redirs[0].kind, RedirKind::HereDoc("hello\n".into(), true))
            }
            other => panic!("{other:?}"),
        }
    }
}
