//! POSIX regular expressions as glibc's `regcomp`/`regexec` take them, for `sed` and `expr`:
//! basic (BRE, with GNU's `\+ \? \|`) and extended (ERE) syntax, bracket expressions with
//! ranges and `[:class:]`, groups, intervals `{m,n}`, back-references `\1`..`\9`, anchors,
//! GNU's `\< \> \b \B \w \W \s \S`, and `REG_ICASE`. Matching works on bytes, with no
//! `REG_NEWLINE` (`.` matches a newline, `$` only the end), as sed calls it.
//!
//! The match is the leftmost and, from there, the longest (POSIX), found by a backtracking
//! search that visits each (instruction, position) pair once: without back-references it is
//! polynomial in the text's length. With back-references the search keeps every path and is
//! bounded by `STEP_LIMIT` steps and `STACK_LIMIT` saved positions per call; a search that runs
//! past them is `Err(TooComplex)`,
//! which the applets report naming podplay's bound. The group captures are those of the first
//! path (greedy, earlier alternatives first) that reaches the longest end, which is glibc's
//! answer for the common patterns but may differ from POSIX's subexpression rules in exotic
//! ones.

/// Steps one search may take when back-references rule out pruning.
pub const STEP_LIMIT: u64 = 20_000_000;
/// States (instruction × position) the pruning set may hold; past it the search keeps every
/// path, bounded by `STEP_LIMIT`.
const SEEN_LIMIT: usize = 4 << 20;
/// Instructions a compiled expression may have (intervals copy their operand).
const PROG_LIMIT: usize = 20_000;

#[derive(Clone, Debug)]
enum Inst {
    Byte(u8),
    Any,
    Set(Box<[bool; 256]>),
    Bol,
    Eol,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
    /// Try `x` first, then `y`.
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Backref(usize),
    /// A loop's body may match nothing: stop looping where it made no progress. Records the
    /// position in register `r`, or fails if the body came back to it.
    Progress(usize),
    Match,
}

#[derive(Clone, Debug)]
pub struct Regex {
    /// The pruning set, kept from one search to the next (a search's states are those
    /// stamped with its number), so that `s///g` over a long line does not clear it per match.
    seen: std::cell::RefCell<(Vec<u32>, u32)>,
    prog: Vec<Inst>,
    groups: usize,
    regs: usize,
    icase: bool,
    backrefs: bool,
}

/// A compile error: glibc's `regerror` text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegexError(pub &'static str);

/// The search ran past `STEP_LIMIT` or `STACK_LIMIT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooComplex;

/// Positions to come back to one search may keep.
const STACK_LIMIT: usize = 1 << 20;
/// How deep groups may nest, and how many repetitions one atom may take (`a**`): the parser
/// and the compiler recurse over them.
const NEST_LIMIT: usize = 50;
const REPEAT_LIMIT: usize = 8;

impl TooComplex {
    /// What the applets print after their name.
    pub fn message() -> String {
        format!("podplay: a regular expression search passed {STEP_LIMIT} steps or {STACK_LIMIT} saved positions")
    }
}

/// Where group `i` matched (`None`: it took no part).
pub type Captures = Vec<Option<(usize, usize)>>;

#[derive(Clone, Debug)]
enum Ast {
    Byte(u8),
    Any,
    Set(Box<[bool; 256]>),
    Bol,
    Eol,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
    Group(Box<Ast>, usize),
    Backref(usize),
    Concat(Vec<Ast>),
    Alt(Vec<Ast>),
    Repeat(Box<Ast>, u32, Option<u32>),
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    ere: bool,
    icase: bool,
    groups: usize,
    open: Vec<usize>,
    closed: Vec<usize>,
}

const E_PAREN: &str = "Unmatched ( or \\(";
const E_RPAREN: &str = "Unmatched ) or \\)";
const E_BRACK: &str = "Unmatched [, [^, [:, [., or [=";
const E_BADRPT: &str = "Invalid preceding regular expression";
const E_BADBR: &str = "Invalid content of \\{\\}";
const E_EBRACE: &str = "Unmatched \\{";
const E_SUBREG: &str = "Invalid back reference";
const E_CTYPE: &str = "Invalid character class name";
const E_RANGE: &str = "Invalid range end";
const E_ESCAPE: &str = "Trailing backslash";
const E_SIZE: &str = "podplay: a regular expression compiles to at most 20000 instructions";
const E_NEST: &str = "podplay: groups nest at most 50 deep, repetitions of one atom 8";

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn peek2(&self) -> Option<u8> {
        self.s.get(self.i + 1).copied()
    }

    /// At the end of an alternative: the text's end, `|`/`\|`, or a group's close.
    fn at_alt_end(&self) -> bool {
        match (self.peek(), self.peek2()) {
            (None, _) => true,
            (Some(b'\\'), Some(b'|')) if !self.ere => true,
            (Some(b'\\'), Some(b')')) if !self.ere => !self.open.is_empty(),
            (Some(b'|'), _) if self.ere => true,
            (Some(b')'), _) if self.ere => !self.open.is_empty(),
            _ => false,
        }
    }

    fn alternation(&mut self) -> Result<Ast, RegexError> {
        let mut alts = vec![self.concat()?];
        loop {
            match (self.peek(), self.peek2()) {
                (Some(b'\\'), Some(b'|')) if !self.ere => self.i += 2,
                (Some(b'|'), _) if self.ere => self.i += 1,
                _ => break,
            }
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 { alts.pop().unwrap() } else { Ast::Alt(alts) })
    }

    fn concat(&mut self) -> Result<Ast, RegexError> {
        let mut items: Vec<Ast> = Vec::new();
        let start = true;
        let mut first = start;
        while !self.at_alt_end() {
            let c = self.peek().unwrap();
            // `^` is an anchor first in an alternative (BRE) or anywhere (ERE).
            if c == b'^' && (self.ere || first) {
                self.i += 1;
                items.push(Ast::Bol);
                first = true;
                continue;
            }
            if c == b'$' {
                self.i += 1;
                if self.ere || self.at_alt_end() {
                    items.push(Ast::Eol);
                } else {
                    items.push(Ast::Byte(b'$'));
                }
                first = false;
                continue;
            }
            // A leading `*` in a BRE is literal; in an ERE it is an error.
            if c == b'*' && first {
                if self.ere {
                    return Err(RegexError(E_BADRPT));
                }
                self.i += 1;
                items.push(Ast::Byte(b'*'));
                first = false;
                self.postfix(&mut items)?;
                continue;
            }
            if self.ere && matches!(c, b'+' | b'?' | b'{') && first {
                return Err(RegexError(E_BADRPT));
            }
            let atom = self.atom()?;
            items.push(atom);
            first = false;
            self.postfix(&mut items)?;
        }
        Ok(if items.len() == 1 { items.pop().unwrap() } else { Ast::Concat(items) })
    }

    fn postfix(&mut self, items: &mut [Ast]) -> Result<(), RegexError> {
        let mut applied = 0;
        loop {
            applied += 1;
            if applied > REPEAT_LIMIT + 1 {
                return Err(RegexError(E_NEST));
            }
            let (min, max, len) = match (self.peek(), self.peek2()) {
                (Some(b'*'), _) => (0, None, 1),
                (Some(b'\\'), Some(b'+')) if !self.ere => (1, None, 2),
                (Some(b'\\'), Some(b'?')) if !self.ere => (0, Some(1), 2),
                (Some(b'+'), _) if self.ere => (1, None, 1),
                (Some(b'?'), _) if self.ere => (0, Some(1), 1),
                (Some(b'\\'), Some(b'{')) if !self.ere => {
                    self.i += 2;
                    let (a, b) = self.interval()?;
                    self.wrap(items, a, b)?;
                    continue;
                }
                (Some(b'{'), _) if self.ere => {
                    self.i += 1;
                    let (a, b) = self.interval()?;
                    self.wrap(items, a, b)?;
                    continue;
                }
                _ => return Ok(()),
            };
            self.i += len;
            self.wrap(items, min, max)?;
        }
    }

    fn wrap(&mut self, items: &mut [Ast], min: u32, max: Option<u32>) -> Result<(), RegexError> {
        let last = items.last_mut().ok_or(RegexError(E_BADRPT))?;
        if matches!(last, Ast::Bol | Ast::Eol) {
            return Err(RegexError(E_BADRPT));
        }
        let inner = std::mem::replace(last, Ast::Any);
        *last = Ast::Repeat(Box::new(inner), min, max);
        Ok(())
    }

    fn interval(&mut self) -> Result<(u32, Option<u32>), RegexError> {
        let num = |p: &mut Self| {
            let st = p.i;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.i += 1;
            }
            (p.i > st).then(|| std::str::from_utf8(&p.s[st..p.i]).unwrap().parse::<u32>().unwrap_or(u32::MAX))
        };
        let min = num(self);
        let max = if self.peek() == Some(b',') {
            self.i += 1;
            num(self)
        } else {
            Some(min.ok_or(RegexError(E_BADBR))?)
        };
        let close = if self.ere { self.peek() == Some(b'}') } else { self.peek() == Some(b'\\') && self.peek2() == Some(b'}') };
        if !close {
            return Err(RegexError(if self.peek().is_none() { E_EBRACE } else { E_BADBR }));
        }
        self.i += if self.ere { 1 } else { 2 };
        let min = min.unwrap_or(0);
        if max.is_some_and(|m| m < min) || min > 0x7fff || max.is_some_and(|m| m > 0x7fff) {
            return Err(RegexError(E_BADBR));
        }
        Ok((min, max))
    }

    fn group(&mut self) -> Result<Ast, RegexError> {
        if self.open.len() >= NEST_LIMIT {
            return Err(RegexError(E_NEST));
        }
        self.groups += 1;
        let n = self.groups;
        self.open.push(n);
        let inner = self.alternation()?;
        let closed = if self.ere { self.peek() == Some(b')') } else { self.peek() == Some(b'\\') && self.peek2() == Some(b')') };
        if !closed {
            return Err(RegexError(E_PAREN));
        }
        self.i += if self.ere { 1 } else { 2 };
        self.open.pop();
        self.closed.push(n);
        Ok(Ast::Group(Box::new(inner), n))
    }

    fn atom(&mut self) -> Result<Ast, RegexError> {
        let c = self.peek().unwrap();
        self.i += 1;
        Ok(match c {
            b'.' => Ast::Any,
            b'[' => self.bracket()?,
            b'(' if self.ere => self.group()?,
            b')' if self.ere => return Err(RegexError(E_RPAREN)),
            b'\\' => {
                let Some(e) = self.peek() else { return Err(RegexError(E_ESCAPE)) };
                self.i += 1;
                match e {
                    b'(' if !self.ere => self.group()?,
                    b')' if !self.ere => return Err(RegexError(E_RPAREN)),
                    b'{' if !self.ere => return Err(RegexError(E_BADRPT)),
                    b'1'..=b'9' => {
                        let n = (e - b'0') as usize;
                        if !self.closed.contains(&n) {
                            return Err(RegexError(E_SUBREG));
                        }
                        Ast::Backref(n)
                    }
                    b'<' => Ast::WordStart,
                    b'>' => Ast::WordEnd,
                    b'b' => Ast::WordB,
                    b'B' => Ast::NotWordB,
                    b'w' | b'W' | b's' | b'S' => {
                        let mut set = Box::new([false; 256]);
                        for (b, slot) in set.iter_mut().enumerate() {
                            let b = b as u8;
                            let yes = if e.eq_ignore_ascii_case(&b'w') { is_word(b) } else { b.is_ascii_whitespace() || b == 0x0b };
                            *slot = yes == e.is_ascii_lowercase();
                        }
                        Ast::Set(set)
                    }
                    other => self.literal(other),
                }
            }
            other => self.literal(other),
        })
    }

    fn literal(&self, b: u8) -> Ast {
        if self.icase && b.is_ascii_alphabetic() {
            let mut set = Box::new([false; 256]);
            set[b.to_ascii_lowercase() as usize] = true;
            set[b.to_ascii_uppercase() as usize] = true;
            Ast::Set(set)
        } else {
            Ast::Byte(b)
        }
    }

    fn bracket(&mut self) -> Result<Ast, RegexError> {
        let mut set = Box::new([false; 256]);
        let negate = self.peek() == Some(b'^');
        if negate {
            self.i += 1;
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return Err(RegexError(E_BRACK)) };
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            // `[:class:]`, `[.c.]`, `[=c=]`.
            if c == b'[' && matches!(self.peek2(), Some(b':' | b'.' | b'=')) {
                let kind = self.peek2().unwrap();
                let st = self.i + 2;
                let end = (st..self.s.len().saturating_sub(1)).find(|&j| self.s[j] == kind && self.s[j + 1] == b']');
                let Some(end) = end else { return Err(RegexError(E_BRACK)) };
                let name = &self.s[st..end];
                self.i = end + 2;
                if kind == b':' {
                    let f: fn(u8) -> bool = match name {
                        b"alpha" => |b| b.is_ascii_alphabetic(),
                        b"digit" => |b| b.is_ascii_digit(),
                        b"alnum" => |b| b.is_ascii_alphanumeric(),
                        b"upper" => |b| b.is_ascii_uppercase(),
                        b"lower" => |b| b.is_ascii_lowercase(),
                        b"space" => |b| b.is_ascii_whitespace() || b == 0x0b,
                        b"blank" => |b| b == b' ' || b == b'\t',
                        b"punct" => |b| b.is_ascii_punctuation(),
                        b"print" => |b| (0x20..0x7f).contains(&b),
                        b"graph" => |b| (0x21..0x7f).contains(&b),
                        b"cntrl" => |b| b < 0x20 || b == 0x7f,
                        b"xdigit" => |b| b.is_ascii_hexdigit(),
                        _ => return Err(RegexError(E_CTYPE)),
                    };
                    for b in 0..=255u8 {
                        if f(b) || (self.icase && (name == b"upper" || name == b"lower") && b.is_ascii_alphabetic()) {
                            set[b as usize] = true;
                        }
                    }
                } else if name.len() == 1 {
                    set[name[0] as usize] = true;
                } else {
                    return Err(RegexError(E_BRACK));
                }
                continue;
            }
            self.i += 1;
            if self.peek() == Some(b'-') && self.peek2().is_some_and(|e| e != b']') {
                let e = self.peek2().unwrap();
                self.i += 2;
                if e < c {
                    return Err(RegexError(E_RANGE));
                }
                for b in c..=e {
                    set[b as usize] = true;
                }
            } else {
                set[c as usize] = true;
            }
        }
        if self.icase {
            for b in b'a'..=b'z' {
                let u = b.to_ascii_uppercase();
                let any = set[b as usize] || set[u as usize];
                set[b as usize] = any;
                set[u as usize] = any;
            }
        }
        if negate {
            for slot in set.iter_mut() {
                *slot = !*slot;
            }
        }
        Ok(Ast::Set(set))
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `a` can match without consuming anything (loops over it need a progress check).
fn nullable(a: &Ast) -> bool {
    match a {
        Ast::Byte(_) | Ast::Any | Ast::Set(_) => false,
        Ast::Bol | Ast::Eol | Ast::WordB | Ast::NotWordB | Ast::WordStart | Ast::WordEnd | Ast::Backref(_) => true,
        Ast::Group(a, _) => nullable(a),
        Ast::Concat(v) => v.iter().all(nullable),
        Ast::Alt(v) => v.iter().any(nullable),
        Ast::Repeat(a, min, _) => *min == 0 || nullable(a),
    }
}

struct Compiler {
    prog: Vec<Inst>,
    regs: usize,
}

impl Compiler {
    fn emit(&mut self, i: Inst) -> Result<usize, RegexError> {
        if self.prog.len() >= PROG_LIMIT {
            return Err(RegexError(E_SIZE));
        }
        self.prog.push(i);
        Ok(self.prog.len() - 1)
    }

    fn compile(&mut self, a: &Ast) -> Result<(), RegexError> {
        match a {
            Ast::Byte(b) => drop(self.emit(Inst::Byte(*b))?),
            Ast::Any => drop(self.emit(Inst::Any)?),
            Ast::Set(s) => drop(self.emit(Inst::Set(s.clone()))?),
            Ast::Bol => drop(self.emit(Inst::Bol)?),
            Ast::Eol => drop(self.emit(Inst::Eol)?),
            Ast::WordB => drop(self.emit(Inst::WordB)?),
            Ast::NotWordB => drop(self.emit(Inst::NotWordB)?),
            Ast::WordStart => drop(self.emit(Inst::WordStart)?),
            Ast::WordEnd => drop(self.emit(Inst::WordEnd)?),
            Ast::Backref(n) => drop(self.emit(Inst::Backref(*n))?),
            Ast::Group(inner, n) => {
                self.emit(Inst::Save(2 * n))?;
                self.compile(inner)?;
                self.emit(Inst::Save(2 * n + 1))?;
            }
            Ast::Concat(v) => {
                for x in v {
                    self.compile(x)?;
                }
            }
            Ast::Alt(v) => {
                let mut jumps = Vec::new();
                for (k, x) in v.iter().enumerate() {
                    if k + 1 < v.len() {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.compile(x)?;
                        jumps.push(self.emit(Inst::Jmp(0))?);
                        let next = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, next);
                    } else {
                        self.compile(x)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Ast::Repeat(inner, min, max) => {
                for _ in 0..*min {
                    self.compile(inner)?;
                }
                let guard = nullable(inner);
                match max {
                    None => {
                        // L: split body, out; body; [progress]; jmp L
                        let split = self.emit(Inst::Split(0, 0))?;
                        let reg = self.regs;
                        if guard {
                            self.regs += 1;
                            self.emit(Inst::Progress(reg))?;
                        }
                        self.compile(inner)?;
                        self.emit(Inst::Jmp(split))?;
                        let out = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, out);
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.emit(Inst::Split(0, 0))?);
                            self.compile(inner)?;
                        }
                        let out = self.prog.len();
                        for s in splits {
                            self.prog[s] = Inst::Split(s + 1, out);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

fn has_backref(a: &Ast) -> bool {
    match a {
        Ast::Backref(_) => true,
        Ast::Group(a, _) | Ast::Repeat(a, _, _) => has_backref(a),
        Ast::Concat(v) | Ast::Alt(v) => v.iter().any(has_backref),
        _ => false,
    }
}

impl Regex {
    /// `regcomp(pattern, ere ? REG_EXTENDED : 0 | icase ? REG_ICASE : 0)`.
    pub fn new(pattern: &[u8], ere: bool, icase: bool) -> Result<Regex, RegexError> {
        let mut p = Parser { s: pattern, i: 0, ere, icase, groups: 0, open: Vec::new(), closed: Vec::new() };
        let ast = p.alternation()?;
        if p.i < pattern.len() {
            // Only a group's close can stop the top level.
            return Err(RegexError(E_RPAREN));
        }
        let mut c = Compiler { prog: Vec::new(), regs: 0 };
        c.compile(&ast)?;
        c.emit(Inst::Match)?;
        Ok(Regex { seen: Default::default(), prog: c.prog, groups: p.groups, regs: c.regs, icase, backrefs: has_backref(&ast) })
    }

    /// How many groups the expression has (`re_nsub`).
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// The leftmost-longest match in `text` starting at or after `from`; `notbol`: `^` does
    /// not match at `from` (`REG_NOTBOL`). `^` matches only at `from`, as on the text that
    /// begins there. Group 0 is the whole match.
    pub fn find_at(&self, text: &[u8], from: usize, notbol: bool) -> Result<Option<Captures>, TooComplex> {
        let mut budget = STEP_LIMIT;
        // A state visited from an earlier start that found no match reaches no match from a
        // later one either: one pruning set serves every start.
        let mut seen = self.seen.borrow_mut();
        let stamp = self.stamp(&mut seen, text);
        for start in from..=text.len() {
            if let Some(caps) = self.match_here(text, from, start, notbol, &mut budget, &mut seen.0, stamp)? {
                return Ok(Some(caps));
            }
        }
        Ok(None)
    }

    /// A match that starts exactly at `start` (`expr`'s anchored match), the longest.
    pub fn match_at(&self, text: &[u8], start: usize) -> Result<Option<Captures>, TooComplex> {
        let mut budget = STEP_LIMIT;
        let mut seen = self.seen.borrow_mut();
        let stamp = self.stamp(&mut seen, text);
        self.match_here(text, start, start, false, &mut budget, &mut seen.0, stamp)
    }

    pub fn is_match(&self, text: &[u8]) -> Result<bool, TooComplex> {
        Ok(self.find_at(text, 0, false)?.is_some())
    }

    /// This search's stamp in the pruning set, grown to the text (0: no pruning).
    fn stamp(&self, seen: &mut (Vec<u32>, u32), text: &[u8]) -> u32 {
        let n = self.prog.len() * (text.len() + 1);
        if self.backrefs || n > SEEN_LIMIT {
            return 0;
        }
        if seen.0.len() < n {
            seen.0.resize(n, 0);
        }
        if seen.1 == u32::MAX {
            seen.0.iter_mut().for_each(|x| *x = 0);
            seen.1 = 0;
        }
        seen.1 += 1;
        seen.1
    }

    fn match_here(
        &self,
        text: &[u8],
        origin: usize,
        start: usize,
        notbol: bool,
        budget: &mut u64,
        seen: &mut [u32],
        stamp: u32,
    ) -> Result<Option<Captures>, TooComplex> {
        let nslots = 2 * (self.groups + 1);
        let mut best: Option<Vec<usize>> = None;
        let none = usize::MAX;
        let mut slots = vec![none; nslots];
        slots[0] = start;
        let mut regs = vec![none; self.regs];
        // Pruning: a state seen before reaches the same ends (without back-references).
        let width = text.len() + 1;
        let prune = stamp != 0;
        enum Undo {
            Slot(usize, usize),
            Reg(usize, usize),
        }
        // (pc, pos, undo-log length) to resume at.
        let mut stack: Vec<(usize, usize, usize)> = vec![(0, start, 0)];
        let mut log: Vec<Undo> = Vec::new();
        while let Some((mut pc, mut pos, mark)) = stack.pop() {
            while log.len() > mark {
                match log.pop().unwrap() {
                    Undo::Slot(i, v) => slots[i] = v,
                    Undo::Reg(i, v) => regs[i] = v,
                }
            }
            loop {
                if *budget == 0 {
                    return Err(TooComplex);
                }
                *budget -= 1;
                if prune {
                    let k = pc * width + pos;
                    if seen[k] == stamp {
                        break;
                    }
                    seen[k] = stamp;
                }
                let word_at = |p: usize| p < text.len() && is_word(text[p]);
                let word_before = |p: usize| p > 0 && is_word(text[p - 1]);
                match &self.prog[pc] {
                    Inst::Byte(b) => {
                        if text.get(pos) == Some(b) {
                            pc += 1;
                            pos += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Any => {
                        if pos < text.len() {
                            pc += 1;
                            pos += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Set(s) => {
                        if pos < text.len() && s[text[pos] as usize] {
                            pc += 1;
                            pos += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Bol => {
                        if pos == origin && !notbol {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Eol => {
                        if pos == text.len() {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::WordB | Inst::NotWordB | Inst::WordStart | Inst::WordEnd => {
                        let (before, at) = (word_before(pos), word_at(pos));
                        let ok = match &self.prog[pc] {
                            Inst::WordB => before != at,
                            Inst::NotWordB => before == at,
                            Inst::WordStart => !before && at,
                            _ => before && !at,
                        };
                        if ok {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Split(x, y) => {
                        if stack.len() >= STACK_LIMIT {
                            return Err(TooComplex);
                        }
                        stack.push((*y, pos, log.len()));
                        pc = *x;
                    }
                    Inst::Jmp(x) => pc = *x,
                    Inst::Save(i) => {
                        log.push(Undo::Slot(*i, slots[*i]));
                        slots[*i] = pos;
                        pc += 1;
                    }
                    Inst::Progress(r) => {
                        if regs[*r] == pos {
                            break;
                        }
                        log.push(Undo::Reg(*r, regs[*r]));
                        regs[*r] = pos;
                        pc += 1;
                    }
                    Inst::Backref(n) => {
                        let (a, b) = (slots[2 * n], slots[2 * n + 1]);
                        if a == none || b == none {
                            break;
                        }
                        let sub = &text[a..b];
                        let here = &text[pos..text.len().min(pos + sub.len())];
                        let same = if self.icase { here.eq_ignore_ascii_case(sub) } else { here == sub };
                        if same && here.len() == sub.len() {
                            pos += sub.len();
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Match => {
                        if best.as_ref().is_none_or(|b| pos > b[1]) {
                            let mut caps = slots.clone();
                            caps[1] = pos;
                            best = Some(caps);
                        }
                        break;
                    }
                }
            }
        }
        Ok(best.map(|s| {
            (0..=self.groups)
                .map(|g| {
                    let (a, b) = (s[2 * g], s[2 * g + 1]);
                    (a != none && b != none).then_some((a, b))
                })
                .collect()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: &str, ere: bool, t: &str) -> Option<(usize, usize)> {
        Regex::new(p.as_bytes(), ere, false).unwrap().find_at(t.as_bytes(), 0, false).unwrap().map(|c| c[0].unwrap())
    }

    #[test]
    fn basics() {
        assert_eq!(find("b*", false, "abbb"), Some((0, 0)));
        assert_eq!(find("ab*", false, "xabbbc"), Some((1, 5)));
        assert_eq!(find("a\\|ab", false, "ab"), Some((0, 2)), "longest");
        assert_eq!(find("(a|ab)(c|bcd)", true, "abcd"), Some((0, 4)));
        assert_eq!(find("^a", false, "ba"), None);
        assert_eq!(find("a$", false, "aa\n"), None);
        assert_eq!(find("x\\{2,3\\}", false, "xxxx"), Some((0, 3)));
        assert_eq!(find("[[:digit:]]+", true, "ab123c"), Some((2, 5)));
        assert_eq!(find("\\(a\\)\\1", false, "xaa"), Some((1, 3)));
        assert_eq!(find("a**", false, "aa"), Some((0, 2)));
        assert_eq!(find("*a", false, "x*a"), Some((1, 3)));
        assert_eq!(find("\\(a*\\)*b", false, "aaab"), Some((0, 4)));
    }

    #[test]
    fn errors_are_glibc_s() {
        assert_eq!(Regex::new(b"\\(a", false, false).unwrap_err().0, "Unmatched ( or \\(");
        assert_eq!(Regex::new(b"[a", false, false).unwrap_err().0, "Unmatched [, [^, [:, [., or [=");
        assert_eq!(Regex::new(b"a\\{1", false, false).unwrap_err().0, "Unmatched \\{");
        assert_eq!(Regex::new(b"\\1", false, false).unwrap_err().0, "Invalid back reference");
        assert_eq!(
            Regex::new(&b"(".repeat(100_000), true, false).unwrap_err().0,
            "podplay: groups nest at most 50 deep, repetitions of one atom 8"
        );
        assert!(Regex::new(&[b"a".as_slice(), &b"*".repeat(100_000)].concat(), false, false).is_err());
        assert!(Regex::new(b"a**", false, false).is_ok());
        // The deepest expression the bounds let through compiles and runs on a test thread's
        // stack (2 MiB, debug build).
        let deepest = format!("{}a{}", "(".repeat(50), ")********".repeat(50));
        let r = Regex::new(deepest.as_bytes(), true, false).unwrap();
        assert_eq!(r.find_at(b"xaay", 0, false).unwrap().map(|c| c[0]), Some(Some((0, 0))));
    }

    /// `s/a/b/g` over a long line: each search reuses the pruning set rather than clearing it.
    #[test]
    fn many_searches_over_a_long_line() {
        let text = "ab".repeat(50_000);
        let r = Regex::new(b"a", false, false).unwrap();
        let (mut at, mut n) = (0, 0);
        while let Some(c) = r.find_at(text.as_bytes(), at, true).unwrap() {
            at = c[0].unwrap().1;
            n += 1;
        }
        assert_eq!(n, 50_000);
    }

    #[test]
    fn nested_stars_stay_polynomial() {
        let text = "a".repeat(2000);
        let r = Regex::new(b"\\(a*\\)*b", false, false).unwrap();
        assert_eq!(r.find_at(text.as_bytes(), 0, false), Ok(None));
    }
}
