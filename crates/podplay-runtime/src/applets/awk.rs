//! BusyBox `awk` (editors/awk.c), the part of the language scripts in containers use: `BEGIN`
//! and `END` rules, patterns (expressions, `/regex/`), actions of `print`, `printf`, `if`/`else`,
//! `while`, `for (;;)`, `next`, `exit`, blocks; expressions over fields (`$N`, `NF`, `NR`),
//! variables (`FS`, `OFS`, `ORS`, `-v NAME=VALUE`), numbers and strings (awk's "strnum" fields
//! compare as numbers when they look like numbers), concatenation, arithmetic, comparison,
//! `~`/`!~`, `&&`/`||`/`!`, `?:`, assignment operators, `++`/`--`, and the built-ins `length`,
//! `substr`, `index`, `tolower`, `toupper`, `int`; `print > FILE` and `>> FILE`. Regular
//! expressions are the runtime's grep subset (`simple_regex`). Arrays, `getline`, pipes and
//! user functions are not modelled: a program using them fails to parse.

use super::text::{format_once, simple_regex};
use super::{err, out, read_input, Ctx};
use crate::shell::host::Host;
use std::collections::HashMap;

pub(super) fn awk(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut fs: Option<String> = None;
    let mut assigns = Vec::new();
    let mut i = 1;
    while i < c.argv.len() {
        let a = &c.argv[i];
        if a == "--" {
            i += 1;
            break;
        } else if let Some(v) = a.strip_prefix("-F") {
            fs = Some(if v.is_empty() {
                i += 1;
                c.argv.get(i).cloned().unwrap_or_default()
            } else {
                v.to_string()
            });
        } else if let Some(v) = a.strip_prefix("-v") {
            let v = if v.is_empty() {
                i += 1;
                c.argv.get(i).cloned().unwrap_or_default()
            } else {
                v.to_string()
            };
            assigns.push(v);
        } else {
            break;
        }
        i += 1;
    }
    let Some(source) = c.argv.get(i) else {
        err(h, c.fds, "Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...\n");
        return 1;
    };
    let program = match Parser::new(source).and_then(|mut p| p.program()) {
        Ok(p) => p,
        Err(e) => {
            err(h, c.fds, &format!("awk: cmd. line:1: {e}\n"));
            return 2;
        }
    };
    let mut m = Machine::new();
    if let Some(fs) = fs {
        m.vars.insert("FS".into(), Val::Str(unescape_fs(&fs)));
    }
    for a in assigns {
        if let Some((k, v)) = a.split_once('=') {
            m.vars.insert(k.into(), Val::StrNum(v.into()));
        }
    }
    let files: Vec<String> = if c.argv.len() > i + 1 { c.argv[i + 1..].to_vec() } else { vec!["-".into()] };
    let status = m.run(h, c, &program, &files);
    out(h, c.fds, &m.output);
    for (path, append, text) in std::mem::take(&mut m.files) {
        let abs = crate::fs::normalize(c.cwd, &path);
        if let Err(e) = h.view().write(&abs, text.as_bytes(), append) {
            err(h, c.fds, &format!("awk: cannot open \"{path}\" for output: {}\n", e.strerror()));
            return 2;
        }
    }
    status
}

fn unescape_fs(fs: &str) -> String {
    if fs == "t" || fs == "\\t" {
        "\t".into()
    } else {
        fs.into()
    }
}

// ---------------------------------------------------------------------------------------------
// Values

#[derive(Clone, Debug)]
enum Val {
    Num(f64),
    Str(String),
    /// Input (a field, `-v`): a string that compares as a number when it looks like one.
    StrNum(String),
}

impl Val {
    fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => leading_number(s),
        }
    }
    fn str(&self) -> String {
        match self {
            Val::Num(n) => number_text(*n),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
        }
    }
    fn truth(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) if looks_numeric(s) => leading_number(s) != 0.0,
            Val::StrNum(s) => !s.is_empty(),
        }
    }
    fn is_numeric(&self) -> bool {
        match self {
            Val::Num(_) => true,
            Val::Str(_) => false,
            Val::StrNum(s) => looks_numeric(s),
        }
    }
}

/// awk's conversion of a string to a number: its longest leading number, else 0.
fn leading_number(s: &str) -> f64 {
    let t = s.trim_start();
    let b = t.as_bytes();
    let mut end = 0;
    if end < b.len() && (b[end] == b'+' || b[end] == b'-') {
        end += 1;
    }
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    if end < b.len() && b[end] == b'.' {
        end += 1;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end < b.len() && (b[end] == b'e' || b[end] == b'E') {
        let mut e = end + 1;
        if e < b.len() && (b[e] == b'+' || b[e] == b'-') {
            e += 1;
        }
        if e < b.len() && b[e].is_ascii_digit() {
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
            end = e;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

/// Whether input text is a number (then it compares as one).
fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) && t.parse::<f64>().is_ok()
}

/// A number as awk prints it: an integer as one, anything else as `%.6g` (OFMT/CONVFMT).
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e16 {
        return format!("{}", n as i64);
    }
    format_g(n, 6)
}

/// C's `%.{prec}g`.
fn format_g(n: f64, prec: usize) -> String {
    if n == 0.0 || !n.is_finite() {
        return format!("{n}");
    }
    let exp = n.abs().log10().floor() as i32;
    let trim = |s: String| if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if exp < -4 || exp >= prec as i32 {
        let m = format!("{:.*e}", prec.saturating_sub(1), n);
        let (mant, e) = m.split_once('e').unwrap_or((&m, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        format!("{}e{}{:02}", trim(mant.to_string()), if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        trim(format!("{:.*}", (prec as i32 - 1 - exp).max(0) as usize, n))
    }
}

// ---------------------------------------------------------------------------------------------
// Syntax

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    Name(String),
    Func(String),
    Dollar,
    Op(&'static str),
    Newline,
    Eof,
}

const OPS: &[&str] = &[
    ">>", "+=", "-=", "*=", "/=", "%=", "^=", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "!~", "{", "}", "(", ")", ";", ",", "+", "-",
    "*", "/", "%", "^", "!", "<", ">", "~", "?", ":", "=",
];
const KEYWORDS: &[&str] = &["BEGIN", "END", "print", "printf", "if", "else", "while", "for", "next", "exit"];
const FUNCS: &[&str] = &["length", "substr", "index", "tolower", "toupper", "int"];

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let cs: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        let (tok, next) = match c {
            ' ' | '\t' | '\r' => (None, i + 1),
            '\\' if cs.get(i + 1) == Some(&'\n') => (None, i + 2),
            '\n' => (Some(Tok::Newline), i + 1),
            '#' => (None, cs[i..].iter().position(|c| *c == '\n').map_or(cs.len(), |n| i + n)),
            '"' => lex_string(&cs, i + 1).map(|(s, next)| (Some(Tok::Str(s)), next))?,
            '/' if regex_may_start(toks.last()) => lex_regex(&cs, i + 1).map(|(r, next)| (Some(Tok::Regex(r)), next))?,
            '$' => (Some(Tok::Dollar), i + 1),
            c if c.is_ascii_digit() || (c == '.' && cs.get(i + 1).is_some_and(|d| d.is_ascii_digit())) => {
                lex_number(&cs, i).map(|(n, next)| (Some(Tok::Num(n)), next))?
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let end = cs[i..].iter().position(|c| !(c.is_ascii_alphanumeric() || *c == '_')).map_or(cs.len(), |n| i + n);
                let word: String = cs[i..end].iter().collect();
                (Some(if FUNCS.contains(&word.as_str()) { Tok::Func(word) } else { Tok::Name(word) }), end)
            }
            _ => {
                let rest: String = cs[i..cs.len().min(i + 2)].iter().collect();
                let op = OPS.iter().find(|op| rest.starts_with(**op)).ok_or_else(|| format!("Unexpected token '{c}'"))?;
                (Some(Tok::Op(op)), i + op.len())
            }
        };
        toks.extend(tok);
        i = next;
    }
    toks.push(Tok::Eof);
    Ok(toks)
}

/// A string literal's text from `i` (after its `"`), with its escapes done; and where the
/// literal ends.
fn lex_string(cs: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut s = String::new();
    while i < cs.len() && cs[i] != '"' {
        if cs[i] == '\\' && i + 1 < cs.len() {
            i += 1;
            let escaped = match cs[i] {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '\\' => '\\',
                '"' => '"',
                '/' => '/',
                other => {
                    s.push('\\');
                    other
                }
            };
            s.push(escaped);
        } else {
            s.push(cs[i]);
        }
        i += 1;
    }
    if i >= cs.len() {
        return Err("unterminated string".into());
    }
    Ok((s, i + 1))
}

/// A `/regex/`'s text from `i` (after its first `/`), and where it ends.
fn lex_regex(cs: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut s = String::new();
    while i < cs.len() && cs[i] != '/' {
        if cs[i] == '\\' && cs.get(i + 1) == Some(&'/') {
            i += 1;
        }
        s.push(cs[i]);
        i += 1;
    }
    if i >= cs.len() {
        return Err("unterminated regexp".into());
    }
    Ok((s, i + 1))
}

/// A number from `start`: digits and a point, then an exponent (`e`, a sign maybe, digits).
fn lex_number(cs: &[char], start: usize) -> Result<(f64, usize), String> {
    let mut i = start;
    while i < cs.len() && (cs[i].is_ascii_digit() || cs[i] == '.') {
        i += 1;
    }
    if i < cs.len() && (cs[i] == 'e' || cs[i] == 'E') {
        let mut j = i + 1;
        if j < cs.len() && (cs[j] == '+' || cs[j] == '-') {
            j += 1;
        }
        if j < cs.len() && cs[j].is_ascii_digit() {
            while j < cs.len() && cs[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    let text: String = cs[start..i].iter().collect();
    text.parse().map(|n| (n, i)).map_err(|_| format!("syntax error at {text}"))
}

/// A `/` starts a regular expression where an operand may start, not after one.
fn regex_may_start(prev: Option<&Tok>) -> bool {
    match prev {
        None | Some(Tok::Newline) => true,
        Some(Tok::Op(op)) => !matches!(*op, ")" | "++" | "--"),
        Some(Tok::Name(n)) => KEYWORDS.contains(&n.as_str()),
        _ => false,
    }
}

#[derive(Clone, Debug)]
enum Expr {
    Num(f64),
    Str(String),
    Regex(String),
    Var(String),
    Field(Box<Expr>),
    Call(String, Vec<Expr>),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Assign(&'static str, Box<Expr>, Box<Expr>),
    /// `++x`/`--x` (`pre`) or `x++`/`x--`, by `delta`.
    Incr {
        target: Box<Expr>,
        delta: f64,
        pre: bool,
    },
}

/// Where `print` and `printf` write: standard output, or a file (`>`, or `>>` to append).
#[derive(Clone, Debug)]
enum Dest {
    Stdout,
    File { path: Expr, append: bool },
}

#[derive(Clone, Debug)]
enum Stmt {
    Print(Vec<Expr>, Dest),
    Printf(Vec<Expr>, Dest),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
}

enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
}

struct Rule {
    pattern: Pattern,
    action: Option<Vec<Stmt>>,
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// In `print`'s arguments outside parentheses, `>` is a redirection, not a comparison.
    no_gt: bool,
}

impl Parser {
    fn new(src: &str) -> Result<Parser, String> {
        Ok(Parser { toks: lex(src)?, pos: 0, no_gt: false })
    }
    fn peek(&self) -> &Tok {
        &self.toks[self.pos]
    }
    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == w)
    }
    fn eat_op(&mut self, op: &str) -> bool {
        let yes = self.is_op(op);
        if yes {
            self.next();
        }
        yes
    }
    fn expect_op(&mut self, op: &str) -> Result<(), String> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(format!("Unexpected token {:?}", self.peek()))
        }
    }
    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Tok::Newline) || self.is_op(";") {
            self.next();
        }
    }

    fn program(&mut self) -> Result<Vec<Rule>, String> {
        let mut rules = Vec::new();
        self.skip_newlines();
        while *self.peek() != Tok::Eof {
            let pattern = if self.is_word("BEGIN") {
                self.next();
                Pattern::Begin
            } else if self.is_word("END") {
                self.next();
                Pattern::End
            } else if self.is_op("{") {
                Pattern::All
            } else {
                Pattern::Expr(self.expr()?)
            };
            let action = if self.is_op("{") { Some(self.block()?) } else { None };
            if action.is_none() && matches!(pattern, Pattern::Begin | Pattern::End) {
                return Err("Unexpected token".into());
            }
            rules.push(Rule { pattern, action });
            self.skip_newlines();
        }
        Ok(rules)
    }

    fn block(&mut self) -> Result<Vec<Stmt>, String> {
        self.expect_op("{")?;
        let mut stmts = Vec::new();
        self.skip_newlines();
        while !self.is_op("}") {
            if *self.peek() == Tok::Eof {
                return Err("Missing '}'".into());
            }
            stmts.push(self.stmt()?);
            self.skip_newlines();
        }
        self.next();
        Ok(stmts)
    }

    fn simple_end(&mut self) {
        while matches!(self.peek(), Tok::Newline) || self.is_op(";") {
            self.next();
        }
    }

    fn stmt(&mut self) -> Result<Stmt, String> {
        if self.is_op("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let word = match self.peek() {
            Tok::Name(n) if KEYWORDS.contains(&n.as_str()) => n.clone(),
            _ => {
                let e = self.expr()?;
                self.simple_end();
                return Ok(Stmt::Expr(e));
            }
        };
        self.next();
        let s = match word.as_str() {
            "print" | "printf" => {
                let mut args = Vec::new();
                let parens = self.is_op("(");
                if !self.at_stmt_end() && !self.is_op(">") && !self.is_op(">>") {
                    self.no_gt = true;
                    let list = self.expr_list(parens);
                    self.no_gt = false;
                    args = list?;
                }
                let dest = match () {
                    _ if self.eat_op(">") => Dest::File { path: self.concat()?, append: false },
                    _ if self.eat_op(">>") => Dest::File { path: self.concat()?, append: true },
                    _ => Dest::Stdout,
                };
                if word == "print" {
                    Stmt::Print(args, dest)
                } else {
                    Stmt::Printf(args, dest)
                }
            }
            "if" => {
                self.expect_op("(")?;
                let cond = self.expr()?;
                self.expect_op(")")?;
                self.skip_newlines();
                let then = Box::new(self.stmt()?);
                let save = self.pos;
                self.skip_newlines();
                if self.is_word("else") {
                    self.next();
                    self.skip_newlines();
                    Stmt::If(cond, then, Some(Box::new(self.stmt()?)))
                } else {
                    self.pos = save;
                    Stmt::If(cond, then, None)
                }
            }
            "while" => {
                self.expect_op("(")?;
                let cond = self.expr()?;
                self.expect_op(")")?;
                self.skip_newlines();
                Stmt::While(cond, Box::new(self.stmt()?))
            }
            "for" => {
                self.expect_op("(")?;
                let init = if self.is_op(";") { None } else { Some(self.expr()?) };
                self.expect_op(";")?;
                let cond = if self.is_op(";") { None } else { Some(self.expr()?) };
                self.expect_op(";")?;
                let step = if self.is_op(")") { None } else { Some(self.expr()?) };
                self.expect_op(")")?;
                self.skip_newlines();
                Stmt::For(init, cond, step, Box::new(self.stmt()?))
            }
            "next" => Stmt::Next,
            "exit" => Stmt::Exit(if self.at_stmt_end() { None } else { Some(self.expr()?) }),
            _ => return Err(format!("Unexpected token {word}")),
        };
        self.simple_end();
        Ok(s)
    }

    fn at_stmt_end(&self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::Eof) || self.is_op(";") || self.is_op("}")
    }

    /// `print a, b` or `print(a, b)`: no `>` comparison at the top (it would be a redirection,
    /// which is not modelled).
    fn expr_list(&mut self, parens: bool) -> Result<Vec<Expr>, String> {
        if parens {
            let save = self.pos;
            self.next();
            let mut list = vec![self.expr()?];
            while self.eat_op(",") {
                list.push(self.expr()?);
            }
            if self.eat_op(")") && self.at_stmt_end() {
                return Ok(list);
            }
            self.pos = save;
        }
        let mut list = vec![self.expr()?];
        while self.eat_op(",") {
            self.skip_newlines();
            list.push(self.expr()?);
        }
        Ok(list)
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.ternary()
    }

    fn ternary(&mut self) -> Result<Expr, String> {
        let cond = self.or()?;
        if self.eat_op("?") {
            let a = self.ternary()?;
            self.expect_op(":")?;
            let b = self.ternary()?;
            return Ok(Expr::Cond(Box::new(cond), Box::new(a), Box::new(b)));
        }
        if let Tok::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=")) = self.peek().clone() {
            if matches!(cond, Expr::Var(_) | Expr::Field(_)) {
                self.next();
                let value = self.ternary()?;
                return Ok(Expr::Assign(op, Box::new(cond), Box::new(value)));
            }
        }
        Ok(cond)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut e = self.and()?;
        while self.eat_op("||") {
            self.skip_newlines();
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut e = self.matching()?;
        while self.eat_op("&&") {
            self.skip_newlines();
            e = Expr::And(Box::new(e), Box::new(self.matching()?));
        }
        Ok(e)
    }

    fn matching(&mut self) -> Result<Expr, String> {
        let mut e = self.comparison()?;
        loop {
            let negate = if self.eat_op("~") {
                false
            } else if self.eat_op("!~") {
                true
            } else {
                return Ok(e);
            };
            e = Expr::Match(negate, Box::new(e), Box::new(self.comparison()?));
        }
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let e = self.concat()?;
        for op in ["<", "<=", "==", "!=", ">=", ">"] {
            if op == ">" && self.no_gt {
                continue;
            }
            if self.eat_op(op) {
                return Ok(Expr::Binary(op_name(op), Box::new(e), Box::new(self.concat()?)));
            }
        }
        Ok(e)
    }

    fn concat(&mut self) -> Result<Expr, String> {
        let mut e = self.additive()?;
        while self.starts_operand() {
            e = Expr::Concat(Box::new(e), Box::new(self.additive()?));
        }
        Ok(e)
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Tok::Num(_) | Tok::Str(_) | Tok::Regex(_) | Tok::Func(_) | Tok::Dollar => true,
            Tok::Name(n) => !KEYWORDS.contains(&n.as_str()),
            Tok::Op(op) => matches!(*op, "(" | "!" | "-" | "+" | "++" | "--"),
            _ => false,
        }
    }

    fn additive(&mut self) -> Result<Expr, String> {
        let mut e = self.multiplicative()?;
        loop {
            let op = if self.eat_op("+") {
                "+"
            } else if self.eat_op("-") {
                "-"
            } else {
                return Ok(e);
            };
            e = Expr::Binary(op, Box::new(e), Box::new(self.multiplicative()?));
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, String> {
        let mut e = self.unary()?;
        loop {
            let op = ["*", "/", "%"].into_iter().find(|op| self.is_op(op));
            let Some(op) = op else { return Ok(e) };
            self.next();
            e = Expr::Binary(op, Box::new(e), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        for op in ["!", "-", "+"] {
            if self.eat_op(op) {
                return Ok(Expr::Unary(op, Box::new(self.unary()?)));
            }
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, String> {
        let base = self.postfix()?;
        if self.eat_op("^") {
            return Ok(Expr::Binary("^", Box::new(base), Box::new(self.unary()?)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Result<Expr, String> {
        for (op, delta) in [("++", 1.0), ("--", -1.0)] {
            if self.eat_op(op) {
                return Ok(Expr::Incr { target: Box::new(self.primary()?), delta, pre: true });
            }
        }
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_)) {
            for (op, delta) in [("++", 1.0), ("--", -1.0)] {
                if self.eat_op(op) {
                    return Ok(Expr::Incr { target: Box::new(e), delta, pre: false });
                }
            }
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        match self.next() {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Regex(r) => Ok(Expr::Regex(r)),
            Tok::Dollar => Ok(Expr::Field(Box::new(self.primary_for_field()?))),
            Tok::Name(n) if !KEYWORDS.contains(&n.as_str()) => Ok(Expr::Var(n)),
            Tok::Func(f) => {
                let no_gt = std::mem::replace(&mut self.no_gt, false);
                let args = self.call_args();
                self.no_gt = no_gt;
                Ok(Expr::Call(f, args?))
            }
            Tok::Op("(") => {
                let no_gt = std::mem::replace(&mut self.no_gt, false);
                let e = self.expr();
                self.no_gt = no_gt;
                let e = e?;
                self.expect_op(")")?;
                Ok(e)
            }
            t => Err(format!("Unexpected token {t:?}")),
        }
    }

    /// A built-in's arguments: `(a, b)`, `()`, or none (`length`).
    fn call_args(&mut self) -> Result<Vec<Expr>, String> {
        let mut args = Vec::new();
        if !self.eat_op("(") || self.eat_op(")") {
            return Ok(args);
        }
        args.push(self.expr()?);
        while self.eat_op(",") {
            args.push(self.expr()?);
        }
        self.expect_op(")")?;
        Ok(args)
    }

    /// What follows `$`: a number, a variable, a parenthesised expression or another `$`.
    fn primary_for_field(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Tok::Op("++") | Tok::Op("--") | Tok::Op("-") => self.unary(),
            _ => self.primary(),
        }
    }
}

fn op_name(op: &str) -> &'static str {
    OPS.iter().find(|o| **o == op).copied().unwrap_or("==")
}

// ---------------------------------------------------------------------------------------------
// Running

enum Flow {
    Normal,
    Next,
    Exit(i32),
}

struct Machine {
    vars: HashMap<String, Val>,
    record: String,
    fields: Vec<String>,
    nr: f64,
    output: String,
    /// What went to files, in the order the files were opened: (path, append to what was
    /// there, text). A `>` file is emptied when first opened and then added to, as awk keeps
    /// it open.
    files: Vec<(String, bool, String)>,
}

/// Steps a loop may take before awk is taken to run forever (the runtime's bound, not awk's).
const LOOP_BOUND: u64 = 10_000_000;

impl Machine {
    fn new() -> Machine {
        let mut vars = HashMap::new();
        for (k, v) in [("FS", " "), ("OFS", " "), ("ORS", "\n"), ("SUBSEP", "\u{1c}")] {
            vars.insert(k.to_string(), Val::Str(v.to_string()));
        }
        Machine { vars, record: String::new(), fields: Vec::new(), nr: 0.0, output: String::new(), files: Vec::new() }
    }

    fn run(&mut self, h: &mut dyn Host, c: &Ctx, program: &[Rule], files: &[String]) -> i32 {
        for rule in program.iter().filter(|r| matches!(r.pattern, Pattern::Begin)) {
            if let Flow::Exit(code) = self.action(rule.action.as_deref().unwrap_or_default()) {
                return self.end(program, code);
            }
        }
        let has_main = program.iter().any(|r| !matches!(r.pattern, Pattern::Begin));
        if !has_main {
            return 0;
        }
        for f in files {
            let data = match read_input(h, c, "awk", f) {
                Ok(d) => d,
                Err(_) => return 2,
            };
            let text = String::from_utf8_lossy(&data).into_owned();
            for line in text.split_terminator('\n') {
                self.nr += 1.0;
                self.set_record(line.to_string());
                match self.main_rules(program) {
                    Flow::Exit(code) => return self.end(program, code),
                    Flow::Next | Flow::Normal => {}
                }
            }
        }
        self.end(program, 0)
    }

    fn main_rules(&mut self, program: &[Rule]) -> Flow {
        for rule in program {
            let hit = match &rule.pattern {
                Pattern::Begin | Pattern::End => false,
                Pattern::All => true,
                Pattern::Expr(Expr::Regex(r)) => simple_regex(r, &self.record),
                Pattern::Expr(e) => self.eval(e).truth(),
            };
            if !hit {
                continue;
            }
            let flow = match &rule.action {
                Some(stmts) => self.action(stmts),
                None => {
                    self.print_record();
                    Flow::Normal
                }
            };
            if !matches!(flow, Flow::Normal) {
                return flow;
            }
        }
        Flow::Normal
    }

    fn end(&mut self, program: &[Rule], code: i32) -> i32 {
        let mut code = code;
        for rule in program.iter().filter(|r| matches!(r.pattern, Pattern::End)) {
            if let Flow::Exit(c) = self.action(rule.action.as_deref().unwrap_or_default()) {
                code = c;
                break;
            }
        }
        code
    }

    fn print_record(&mut self) {
        let text = self.record.clone() + &self.var("ORS").str();
        self.emit(&Dest::Stdout, &text);
    }

    fn emit(&mut self, dest: &Dest, text: &str) {
        let Dest::File { path, append } = dest else {
            self.output.push_str(text);
            return;
        };
        let path = self.eval(path).str();
        match self.files.iter_mut().find(|(p, _, _)| *p == path) {
            Some((_, _, buf)) => buf.push_str(text),
            None => self.files.push((path, *append, text.to_string())),
        }
    }

    fn action(&mut self, stmts: &[Stmt]) -> Flow {
        for s in stmts {
            let flow = self.exec(s);
            if !matches!(flow, Flow::Normal) {
                return flow;
            }
        }
        Flow::Normal
    }

    fn exec(&mut self, s: &Stmt) -> Flow {
        match s {
            Stmt::Print(args, dest) => {
                let ofs = self.var("OFS").str();
                let ors = self.var("ORS").str();
                let line = if args.is_empty() {
                    self.record.clone()
                } else {
                    args.iter().map(|a| self.eval(a).str()).collect::<Vec<_>>().join(&ofs)
                };
                self.emit(dest, &(line + &ors));
            }
            Stmt::Printf(args, dest) => {
                let Some((fmt, rest)) = args.split_first() else { return Flow::Normal };
                let fmt: Vec<char> = self.eval(fmt).str().chars().collect();
                let rest: Vec<String> = rest.iter().map(|a| self.eval(a).str()).collect();
                let text = format_once(&fmt, &rest, &mut 0, false);
                self.emit(dest, &text);
            }
            Stmt::Expr(e) => {
                self.eval(e);
            }
            Stmt::If(cond, then, otherwise) => {
                if self.eval(cond).truth() {
                    return self.exec(then);
                } else if let Some(o) = otherwise {
                    return self.exec(o);
                }
            }
            Stmt::While(cond, body) => {
                let mut steps = 0;
                while self.eval(cond).truth() && steps < LOOP_BOUND {
                    steps += 1;
                    let flow = self.exec(body);
                    if !matches!(flow, Flow::Normal) {
                        return flow;
                    }
                }
            }
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.eval(i);
                }
                let mut steps = 0;
                while cond.as_ref().is_none_or(|c| self.eval(c).truth()) && steps < LOOP_BOUND {
                    steps += 1;
                    let flow = self.exec(body);
                    if !matches!(flow, Flow::Normal) {
                        return flow;
                    }
                    if let Some(s) = step {
                        self.eval(s);
                    }
                }
            }
            Stmt::Block(stmts) => return self.action(stmts),
            Stmt::Next => return Flow::Next,
            Stmt::Exit(code) => return Flow::Exit(code.as_ref().map(|c| self.eval(c).num() as i32).unwrap_or(0)),
        }
        Flow::Normal
    }

    fn var(&self, name: &str) -> Val {
        match name {
            "NR" | "FNR" => Val::Num(self.nr),
            "NF" => Val::Num(self.fields.len() as f64),
            _ => self.vars.get(name).cloned().unwrap_or(Val::Str(String::new())),
        }
    }

    fn set_record(&mut self, record: String) {
        let fs = self.var("FS").str();
        self.fields = if fs == " " {
            record.split_whitespace().map(str::to_string).collect()
        } else if record.is_empty() {
            Vec::new()
        } else {
            record.split(fs.as_str()).map(str::to_string).collect()
        };
        self.record = record;
    }

    fn field(&self, i: usize) -> Val {
        if i == 0 {
            return Val::StrNum(self.record.clone());
        }
        Val::StrNum(self.fields.get(i - 1).cloned().unwrap_or_default())
    }

    fn set_field(&mut self, i: usize, v: String) {
        if i == 0 {
            self.set_record(v);
            return;
        }
        if self.fields.len() < i {
            self.fields.resize(i, String::new());
        }
        self.fields[i - 1] = v;
        self.record = self.fields.join(&self.var("OFS").str());
    }

    fn assign(&mut self, target: &Expr, v: Val) {
        match target {
            Expr::Var(name) if name == "NF" => {
                let n = v.num().max(0.0) as usize;
                self.fields.resize(n, String::new());
                self.record = self.fields.join(&self.var("OFS").str());
            }
            Expr::Var(name) => {
                self.vars.insert(name.clone(), v);
            }
            Expr::Field(i) => {
                let i = self.eval(i).num().max(0.0) as usize;
                self.set_field(i, v.str());
            }
            _ => {}
        }
    }

    fn eval(&mut self, e: &Expr) -> Val {
        match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Regex(r) => Val::Num(simple_regex(r, &self.record) as i32 as f64),
            Expr::Var(name) => self.var(name),
            Expr::Field(i) => {
                let i = self.eval(i).num().max(0.0) as usize;
                self.field(i)
            }
            Expr::Call(f, args) => self.call(f, args),
            Expr::Unary(op, a) => {
                let v = self.eval(a);
                match *op {
                    "!" => Val::Num(!v.truth() as i32 as f64),
                    "-" => Val::Num(-v.num()),
                    _ => Val::Num(v.num()),
                }
            }
            Expr::Binary(op, a, b) => {
                let (a, b) = (self.eval(a), self.eval(b));
                binary(op, &a, &b)
            }
            Expr::Concat(a, b) => {
                let a = self.eval(a).str();
                Val::Str(a + &self.eval(b).str())
            }
            Expr::Match(negate, a, b) => {
                let text = self.eval(a).str();
                let re = match &**b {
                    Expr::Regex(r) => r.clone(),
                    other => self.eval(other).str(),
                };
                Val::Num((simple_regex(&re, &text) != *negate) as i32 as f64)
            }
            Expr::And(a, b) => Val::Num((self.eval(a).truth() && self.eval(b).truth()) as i32 as f64),
            Expr::Or(a, b) => Val::Num((self.eval(a).truth() || self.eval(b).truth()) as i32 as f64),
            Expr::Cond(c, a, b) => {
                if self.eval(c).truth() {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            Expr::Assign(op, target, value) => {
                let v = self.eval(value);
                let v = if *op == "=" {
                    v
                } else {
                    let old = self.eval(target);
                    binary(&op[..1], &old, &v)
                };
                self.assign(target, v.clone());
                v
            }
            Expr::Incr { target, delta, pre } => {
                let old = self.eval(target).num();
                self.assign(target, Val::Num(old + delta));
                Val::Num(if *pre { old + delta } else { old })
            }
        }
    }

    fn call(&mut self, f: &str, args: &[Expr]) -> Val {
        let vals: Vec<Val> = args.iter().map(|a| self.eval(a)).collect();
        let s = |i: usize| vals.get(i).map(Val::str).unwrap_or_default();
        match f {
            "length" if vals.is_empty() => Val::Num(self.record.chars().count() as f64),
            "length" => Val::Num(s(0).chars().count() as f64),
            "substr" => {
                let chars: Vec<char> = s(0).chars().collect();
                let start = vals.get(1).map(Val::num).unwrap_or(1.0).round();
                let len = vals.get(2).map(|v| v.num().round()).unwrap_or(f64::INFINITY);
                let from = start.max(1.0);
                let to = (start + len).min(chars.len() as f64 + 1.0);
                let text = if to > from { chars[(from as usize - 1)..(to as usize - 1)].iter().collect() } else { String::new() };
                Val::Str(text)
            }
            "index" => Val::Num(s(0).find(&s(1)).map(|i| s(0)[..i].chars().count() + 1).unwrap_or(0) as f64),
            "tolower" => Val::Str(s(0).to_lowercase()),
            "toupper" => Val::Str(s(0).to_uppercase()),
            _ => Val::Num(vals.first().map(Val::num).unwrap_or(0.0).trunc()),
        }
    }
}

fn binary(op: &str, a: &Val, b: &Val) -> Val {
    let (x, y) = (a.num(), b.num());
    let num = |n: f64| Val::Num(n);
    match op {
        "+" => num(x + y),
        "-" => num(x - y),
        "*" => num(x * y),
        "/" => num(x / y),
        "%" => num(x % y),
        "^" => num(x.powf(y)),
        _ => {
            let ord = if a.is_numeric() && b.is_numeric() {
                x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
            } else {
                a.str().cmp(&b.str())
            };
            let hit = match op {
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                ">" => ord.is_gt(),
                ">=" => ord.is_ge(),
                "!=" => ord.is_ne(),
                _ => ord.is_eq(),
            };
            num(hit as i32 as f64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(program: &str, input: &str) -> String {
        let rules = Parser::new(program).and_then(|mut p| p.program()).expect("parses");
        let mut m = Machine::new();
        for rule in rules.iter().filter(|r| matches!(r.pattern, Pattern::Begin)) {
            m.action(rule.action.as_deref().unwrap_or_default());
        }
        for line in input.split_terminator('\n') {
            m.nr += 1.0;
            m.set_record(line.to_string());
            if let Flow::Exit(_) = m.main_rules(&rules) {
                break;
            }
        }
        m.end(&rules, 0);
        m.output
    }

    #[test]
    fn prints_fields() {
        assert_eq!(run("{print $1}", "  2 /restart-count/restartCount\n"), "2\n");
        assert_eq!(run("{print $2, $1}", "a b\nc d\n"), "b a\nd c\n");
        assert_eq!(run("{print $NF}", "a b c\n"), "c\n");
        assert_eq!(run("{print}", "x y\n"), "x y\n");
        assert_eq!(run("# a comment\n{ print $1 } # another\n", "a b\n"), "a\n");
        assert_eq!(run("{ print \"t\\tq\\\"\", \\\n $2 }", "a b\n"), "t\tq\" b\n");
    }

    #[test]
    fn patterns_and_rules() {
        assert_eq!(run("NR==2", "a\nb\nc\n"), "b\n");
        assert_eq!(run("/b/ {print NR}", "a\nb\nab\n"), "2\n3\n");
        assert_eq!(run("$1 > 10 {print $1}", "9\n10\n11\n100\n"), "11\n100\n");
        assert_eq!(run("BEGIN {n=0} {n+=$1} END {print n}", "1\n2\n3\n"), "6\n");
        assert_eq!(run("END {print NR}", "a\nb\n"), "2\n");
    }

    #[test]
    fn expressions() {
        assert_eq!(run("BEGIN {print 1/4, 10/2, 2^10, 7%3}", ""), "0.25 5 1024 1\n");
        assert_eq!(run("BEGIN {x = \"a\" \"b\"; print x, length(x)}", ""), "ab 2\n");
        assert_eq!(run("BEGIN {print substr(\"hello\", 2, 3), index(\"hello\", \"ll\"), toupper(\"a\")}", ""), "ell 3 A\n");
        assert_eq!(run("BEGIN {i = 0; while (i < 3) i++; print i}", ""), "3\n");
        assert_eq!(run("BEGIN {for (i = 0; i < 3; i++) s = s i; print s}", ""), "012\n");
        assert_eq!(run("BEGIN {if (\"10\" < \"9\") print \"str\"; else print \"num\"}", ""), "str\n");
        assert_eq!(run("{if ($1 < $2) print \"num\"}", "9 10\n"), "num\n");
        assert_eq!(run("BEGIN {printf \"%s-%d\\n\", \"a\", 3}", ""), "a-3\n");
        assert_eq!(run("BEGIN {print 1e6, 0.1+0.2, 100000000}", ""), "1000000 0.3 100000000\n");
    }

    #[test]
    fn redirections() {
        let rules =
            Parser::new("{print $1 > \"/tmp/a\"; print $2 >> \"/tmp/b\"; print ($1 > $2)}").and_then(|mut p| p.program()).expect("parses");
        let mut m = Machine::new();
        m.nr = 1.0;
        m.set_record("2 1".into());
        m.main_rules(&rules);
        m.set_record("3 4".into());
        m.main_rules(&rules);
        assert_eq!(m.output, "1\n0\n");
        assert_eq!(m.files, vec![("/tmp/a".into(), false, "2\n3\n".into()), ("/tmp/b".into(), true, "1\n4\n".into())]);
    }

    #[test]
    fn unmodelled_parts_do_not_parse() {
        assert!(Parser::new("{a[$1]++}").and_then(|mut p| p.program()).is_err());
        assert!(Parser::new("{print | \"sort\"}").and_then(|mut p| p.program()).is_err());
    }

    #[test]
    fn field_separator_and_assignment() {
        let rules = Parser::new("{$2 = \"X\"; print; print NF}").and_then(|mut p| p.program()).expect("parses");
        let mut m = Machine::new();
        m.vars.insert("FS".into(), Val::Str(":".into()));
        m.nr = 1.0;
        m.set_record("a:b:c".into());
        m.main_rules(&rules);
        assert_eq!(m.output, "a X c\n3\n");
    }
}
