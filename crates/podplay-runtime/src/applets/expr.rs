//! busybox `expr` (coreutils/expr.c): each argument a token, evaluated by its recursive descent
//! `eval` (`|`) → `eval1` (`&`) → `eval2` (comparisons) → `eval3` (`+ -`) → `eval4` (`* / %`)
//! → `eval5` (`:`) → `eval6` (`match substr index length quote`) → `eval7` (operands and
//! parentheses), on 64-bit integers (overflow wraps) and strings. Comparisons are numeric when
//! both sides read as integers (`strtoll`, the whole string), else `strcmp`. Parentheses and keywords nest at most
//! `NEST_LIMIT` deep (`expr: podplay: expressions nest at most 100 deep`). `STRING : REGEX`
//! is an anchored basic regular expression (`regex.rs`): the text of `\(...\)` or the length
//! matched. The value is printed and the exit code is 1 when it is null or 0, 2 on an error
//! (`expr: syntax error`, `non-numeric argument`, `division by zero`, `too few arguments`,
//! `bad regex`), else 0. The versions podplay distinguishes do not differ here.

use super::regex::Regex;
use super::*;

#[derive(Clone, Debug)]
enum Val {
    Int(i64),
    Str(String),
}

struct Die(String);

/// `strtoll(s, &e, 10)` that must use the whole string (`toarith`); saturates as glibc does.
fn strtoll(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut v: i128 = 0;
    for b in digits.bytes() {
        v = (v * 10 + (b - b'0') as i128).min(1 << 64);
    }
    let v = if neg { -v } else { v };
    Some(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

impl Val {
    fn null(&self) -> bool {
        match self {
            Val::Int(i) => *i == 0,
            Val::Str(s) => s.is_empty() || s == "0",
        }
    }
    fn string(&self) -> String {
        match self {
            Val::Int(i) => i.to_string(),
            Val::Str(s) => s.clone(),
        }
    }
    fn arith(&self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(*i),
            Val::Str(s) => strtoll(s),
        }
    }
    /// `toarith`, keeping a string that does not read as a number.
    fn into_arith(self) -> Val {
        match self.arith() {
            Some(i) => Val::Int(i),
            None => self,
        }
    }
}

/// How deep parentheses and keywords may nest (the evaluation recurses over them).
const NEST_LIMIT: usize = 100;

struct Expr<'a> {
    args: &'a [String],
    i: usize,
    depth: usize,
    warnings: String,
}

impl Expr<'_> {
    fn next_is(&self, s: &str) -> bool {
        self.args.get(self.i).is_some_and(|a| a == s)
    }

    fn next_of(&self, ops: &[&'static str]) -> Option<&'static str> {
        ops.iter().copied().find(|o| self.next_is(o))
    }

    fn eval(&mut self) -> Result<Val, Die> {
        let mut l = self.eval1()?;
        while self.next_is("|") {
            self.i += 1;
            let r = self.eval1()?;
            if l.null() {
                l = r;
            }
        }
        Ok(l)
    }

    fn eval1(&mut self) -> Result<Val, Die> {
        let mut l = self.eval2()?;
        while self.next_is("&") {
            self.i += 1;
            let r = self.eval2()?;
            if l.null() || r.null() {
                l = Val::Int(0);
            }
        }
        Ok(l)
    }

    fn eval2(&mut self) -> Result<Val, Die> {
        let mut l = self.eval3()?;
        while let Some(op) = self.next_of(&["<", "<=", "=", "==", "!=", ">=", ">"]) {
            self.i += 1;
            let r = self.eval3()?;
            let (l2, r2) = (l.into_arith(), r.into_arith());
            let (a, b) = match (&l2, &r2) {
                (Val::Int(a), Val::Int(b)) => (*a, *b),
                _ => {
                    let o = l2.string().as_bytes().cmp(r2.string().as_bytes());
                    (o as i64, 0)
                }
            };
            let v = match op {
                "<" => a < b,
                "<=" => a <= b,
                "=" | "==" => a == b,
                "!=" => a != b,
                ">" => a > b,
                _ => a >= b,
            };
            l = Val::Int(v as i64);
        }
        Ok(l)
    }

    fn arithmetic(l: &Val, r: &Val, op: &str) -> Result<i64, Die> {
        let (Some(a), Some(b)) = (l.arith(), r.arith()) else { return Err(Die("non-numeric argument".into())) };
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            _ if b == 0 => return Err(Die("division by zero".into())),
            "/" => a.wrapping_div(b),
            _ => a.wrapping_rem(b),
        })
    }

    fn eval3(&mut self) -> Result<Val, Die> {
        let mut l = self.eval4()?;
        while let Some(op) = self.next_of(&["+", "-"]) {
            self.i += 1;
            let r = self.eval4()?;
            l = Val::Int(Self::arithmetic(&l, &r, op)?);
        }
        Ok(l)
    }

    fn eval4(&mut self) -> Result<Val, Die> {
        let mut l = self.eval5()?;
        while let Some(op) = self.next_of(&["*", "/", "%"]) {
            self.i += 1;
            let r = self.eval5()?;
            l = Val::Int(Self::arithmetic(&l, &r, op)?);
        }
        Ok(l)
    }

    fn eval5(&mut self) -> Result<Val, Die> {
        let mut l = self.eval6()?;
        while self.next_is(":") {
            self.i += 1;
            let r = self.eval6()?;
            l = self.docolon(&l, &r)?;
        }
        Ok(l)
    }

    /// `docolon`: the anchored match of the pattern `p` in `s`.
    fn docolon(&mut self, s: &Val, p: &Val) -> Result<Val, Die> {
        let (s, p) = (s.string(), p.string());
        if p.starts_with('^') {
            let _ = writeln!(
                self.warnings,
                "expr: warning: '{p}': using '^' as the first character\nof a basic regular expression is not portable; it is ignored"
            );
        }
        let re = Regex::new(p.as_bytes(), false, false).map_err(|e| Die(format!("bad regex '{p}': {}", e.0)))?;
        let caps = re.match_at(s.as_bytes(), 0).map_err(|_| Die(super::regex::TooComplex::message()))?;
        Ok(match caps {
            Some(caps) => match caps.get(1) {
                Some(Some((a, b))) if re.groups() > 0 => Val::Str(String::from_utf8_lossy(&s.as_bytes()[*a..*b]).to_string()),
                _ => Val::Int(caps[0].unwrap().1 as i64),
            },
            None if re.groups() > 0 => Val::Str(String::new()),
            None => Val::Int(0),
        })
    }

    fn eval6(&mut self) -> Result<Val, Die> {
        self.depth += 1;
        let r = self.eval6_inner();
        self.depth -= 1;
        r
    }

    fn eval6_inner(&mut self) -> Result<Val, Die> {
        if self.depth > NEST_LIMIT {
            return Err(Die(format!("podplay: expressions nest at most {NEST_LIMIT} deep")));
        }
        let key = self.next_of(&["quote", "length", "match", "index", "substr"]);
        let Some(key) = key else { return self.eval7() };
        self.i += 1;
        if key == "quote" {
            let Some(a) = self.args.get(self.i) else { return Err(Die("syntax error".into())) };
            self.i += 1;
            return Ok(Val::Str(a.clone()));
        }
        if key == "length" {
            let r = self.eval6()?;
            return Ok(Val::Int(r.string().len() as i64));
        }
        let l = self.eval6()?;
        match key {
            "match" => {
                let r = self.eval6()?;
                self.docolon(&l, &r)
            }
            "index" => {
                let (l, r) = (l.string(), self.eval6()?.string());
                let at = l.bytes().position(|b| r.as_bytes().contains(&b));
                Ok(Val::Int(at.map_or(0, |i| i as i64 + 1)))
            }
            _ => {
                let (i1, i2) = (self.eval6()?, self.eval6()?);
                let l = l.string();
                match (i1.arith(), i2.arith()) {
                    (Some(p), Some(n)) if p <= l.len() as i64 && p > 0 && n > 0 => {
                        let start = p as usize - 1;
                        let end = l.len().min(start.saturating_add(n as usize));
                        Ok(Val::Str(String::from_utf8_lossy(&l.as_bytes()[start..end]).to_string()))
                    }
                    _ => Ok(Val::Str(String::new())),
                }
            }
        }
    }

    fn eval7(&mut self) -> Result<Val, Die> {
        let Some(a) = self.args.get(self.i) else { return Err(Die("syntax error".into())) };
        if a == "(" {
            self.i += 1;
            let v = self.eval()?;
            if !self.next_is(")") {
                return Err(Die("syntax error".into()));
            }
            self.i += 1;
            return Ok(v);
        }
        if a == ")" {
            return Err(Die("syntax error".into()));
        }
        self.i += 1;
        Ok(Val::Str(a.clone()))
    }
}

pub(super) fn expr(h: &mut dyn Host, c: &Ctx) -> i32 {
    let args = &c.argv[1..];
    if args.is_empty() {
        err(h, c.fds, "expr: too few arguments\n");
        return 2;
    }
    let mut e = Expr { args, i: 0, depth: 0, warnings: String::new() };
    let r = e.eval().and_then(|v| if e.i < args.len() { Err(Die("syntax error".into())) } else { Ok(v) });
    if !e.warnings.is_empty() {
        err(h, c.fds, &e.warnings);
    }
    match r {
        Ok(v) => {
            out(h, c.fds, &format!("{}\n", v.string()));
            v.null() as i32
        }
        Err(Die(m)) => {
            err(h, c.fds, &format!("expr: {m}\n"));
            2
        }
    }
}
