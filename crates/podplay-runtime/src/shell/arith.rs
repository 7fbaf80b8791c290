//! `$(( ))` arithmetic: integers, + - * / %, comparisons, && ||, parentheses, `=` and `+=`.
//!
//! The parser reads the text in place (bytes when it is ASCII, as it nearly always is; chars
//! otherwise, so Unicode white space still counts as white space) and allocates nothing but
//! the names of the variables it assigns.

use std::borrow::Cow;

type Get<'a, V = i64> = &'a mut dyn FnMut(&str) -> V;
type Set<'a> = &'a mut dyn FnMut(&str, i64);

/// What the operators compute on: integers (`i64`, the shell's arithmetic), or something that
/// follows them through an expression without their values (see `steady::Moving`).
pub trait Value: Copy + PartialEq {
    fn num(n: i64) -> Self;
    /// `name op= rhs` where `cur` is the variable's value; `op` is `+=`, `-=`, `*=` or `=`.
    fn assign(op: &str, cur: Self, rhs: Self) -> Self;
    /// `&&` (`and`) or `||`, both sides evaluated.
    fn logic(self, r: Self, and: bool) -> Self;
    /// `==`, `!=`, `<=`, `>=`, `<` or `>`.
    fn compare(self, r: Self, op: &str) -> Self;
    fn add(self, r: Self) -> Self;
    fn sub(self, r: Self) -> Self;
    fn mul(self, r: Self) -> Self;
    /// `/` (`div`) or `%`.
    fn div(self, r: Self, div: bool) -> Result<Self, String>;
    fn neg(self) -> Self;
    fn not(self) -> Self;
}

impl Value for i64 {
    fn num(n: i64) -> Self {
        n
    }
    fn assign(op: &str, cur: i64, rhs: i64) -> i64 {
        match op {
            "+=" => cur.wrapping_add(rhs),
            "-=" => cur.wrapping_sub(rhs),
            "*=" => cur.wrapping_mul(rhs),
            _ => rhs,
        }
    }
    fn logic(self, r: i64, and: bool) -> i64 {
        if and {
            ((self != 0) && (r != 0)) as i64
        } else {
            ((self != 0) || (r != 0)) as i64
        }
    }
    fn compare(self, r: i64, op: &str) -> i64 {
        (match op {
            "==" => self == r,
            "!=" => self != r,
            "<=" => self <= r,
            ">=" => self >= r,
            "<" => self < r,
            _ => self > r,
        }) as i64
    }
    fn add(self, r: i64) -> i64 {
        self.wrapping_add(r)
    }
    fn sub(self, r: i64) -> i64 {
        self.wrapping_sub(r)
    }
    fn mul(self, r: i64) -> i64 {
        self.wrapping_mul(r)
    }
    fn div(self, r: i64, div: bool) -> Result<i64, String> {
        if r == 0 {
            return Err(": division by zero".into());
        }
        // The one overflow of integer division (the smallest integer by -1) kills a real ash
        // with SIGFPE; here it wraps (to the smallest integer, remainder 0) rather than panic.
        Ok(if div { self.wrapping_div(r) } else { self.wrapping_rem(r) })
    }
    fn neg(self) -> i64 {
        self.wrapping_neg()
    }
    fn not(self) -> i64 {
        (self == 0) as i64
    }
}

/// One character of the text: a byte of ASCII text or a char.
trait Ch: Copy {
    fn ch(self) -> char;
    /// The text of `s` (identifier characters only, so ASCII in both cases).
    fn text(s: &[Self]) -> Cow<'_, str>;
    /// Whether `t` starts with the ASCII `s`.
    fn starts_with(t: &[Self], s: &str) -> bool;
}

impl Ch for u8 {
    fn ch(self) -> char {
        self as char
    }
    fn text(s: &[u8]) -> Cow<'_, str> {
        Cow::Borrowed(std::str::from_utf8(s).unwrap_or_default())
    }
    fn starts_with(t: &[u8], s: &str) -> bool {
        // Operators are one or two bytes: compared in place, not by memcmp.
        let s = s.as_bytes();
        t.len() >= s.len() && t.iter().zip(s).all(|(a, b)| a == b)
    }
}

impl Ch for char {
    fn ch(self) -> char {
        self
    }
    fn text(s: &[char]) -> Cow<'_, str> {
        Cow::Owned(s.iter().collect())
    }
    fn starts_with(t: &[char], s: &str) -> bool {
        t.len() >= s.len() && t.iter().zip(s.chars()).all(|(a, b)| *a == b)
    }
}

struct P<'a, 't, C: Ch, V> {
    t: &'t [C],
    i: usize,
    get: Get<'a, V>,
    assigns: Vec<(String, V)>,
    depth: u32,
}

/// Evaluate; returns the value and the variables assigned.
pub fn eval(src: &str, get: Get, _set: Set) -> Result<(i64, Vec<(String, i64)>), String> {
    eval_as(src, get)
}

/// [`eval`] in another [`Value`]: the same parse, the same errors of syntax.
pub fn eval_as<V: Value>(src: &str, get: Get<V>) -> Result<(V, Vec<(String, V)>), String> {
    if src.is_ascii() {
        run(src.as_bytes(), get)
    } else {
        let chars: Vec<char> = src.chars().collect();
        run(&chars, get)
    }
}

fn run<C: Ch, V: Value>(t: &[C], get: Get<V>) -> Result<(V, Vec<(String, V)>), String> {
    let mut p = P { t, i: 0, get, assigns: vec![], depth: 0 };
    if p.t.iter().all(|c| c.ch().is_whitespace()) {
        return Ok((V::num(0), vec![]));
    }
    let v = p.assign()?;
    p.ws();
    if p.i < p.t.len() {
        return Err(String::new());
    }
    Ok((v, p.assigns))
}

impl<C: Ch, V: Value> P<'_, '_, C, V> {
    fn at(&self, i: usize) -> Option<char> {
        self.t.get(i).map(|c| c.ch())
    }
    fn ident_char(&self, i: usize) -> bool {
        self.at(i).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    }
    fn ws(&mut self) {
        while self.i < self.t.len() && self.t[self.i].ch().is_whitespace() {
            self.i += 1;
        }
    }
    /// Consumes `s` (ASCII operators) after white space, if it is next.
    fn eat(&mut self, s: &str) -> bool {
        self.ws();
        if C::starts_with(&self.t[self.i..], s) {
            self.i += s.len();
            true
        } else {
            false
        }
    }
    fn var_value(&mut self, n: &str) -> V {
        if let Some((_, v)) = self.assigns.iter().rev().find(|(k, _)| k == n) {
            return *v;
        }
        (self.get)(n)
    }
    fn assign(&mut self) -> Result<V, String> {
        self.ws();
        let save = self.i;
        while self.ident_char(self.i) {
            self.i += 1;
        }
        let (start, end) = (save, self.i);
        if end > start && !self.t[start].ch().is_ascii_digit() {
            for op in ["+=", "-=", "*=", "="] {
                if self.eat(op) && !(op == "=" && self.at(self.i) == Some('=')) {
                    let rhs = self.assign()?;
                    let name = C::text(&self.t[start..end]).into_owned();
                    let cur = self.var_value(&name);
                    let v = V::assign(op, cur, rhs);
                    self.assigns.push((name, v));
                    return Ok(v);
                }
            }
        }
        self.i = save;
        self.or()
    }

    fn or(&mut self) -> Result<V, String> {
        let mut v = self.and()?;
        while self.eat("||") {
            let r = self.and()?;
            v = v.logic(r, false);
        }
        Ok(v)
    }
    fn and(&mut self) -> Result<V, String> {
        let mut v = self.cmp()?;
        while self.eat("&&") {
            let r = self.cmp()?;
            v = v.logic(r, true);
        }
        Ok(v)
    }
    fn cmp(&mut self) -> Result<V, String> {
        let mut v = self.add()?;
        loop {
            self.ws();
            if !matches!(self.at(self.i), Some('=' | '!' | '<' | '>')) {
                return Ok(v);
            }
            let op = ["==", "!=", "<=", ">=", "<", ">"].into_iter().find(|o| self.eat(o));
            let Some(op) = op else { return Ok(v) };
            let r = self.add()?;
            v = v.compare(r, op);
        }
    }
    fn add(&mut self) -> Result<V, String> {
        let mut v = self.mul()?;
        loop {
            if self.eat("+") {
                v = v.add(self.mul()?);
            } else if self.eat("-") {
                v = v.sub(self.mul()?);
            } else {
                return Ok(v);
            }
        }
    }
    fn mul(&mut self) -> Result<V, String> {
        let mut v = self.unary()?;
        loop {
            if self.eat("*") {
                v = v.mul(self.unary()?);
            } else if self.eat("/") || self.eat("%") {
                let is_div = self.t[self.i - 1].ch() == '/';
                let r = self.unary()?;
                v = v.div(r, is_div)?;
            } else {
                return Ok(v);
            }
        }
    }
    fn unary(&mut self) -> Result<V, String> {
        // Every prefix operator nests: bound the recursion.
        if self.depth > 200 {
            return Err(String::new());
        }
        self.depth += 1;
        let r = if self.eat("-") {
            self.unary().map(|v| v.neg())
        } else if self.eat("+") {
            self.unary()
        } else if self.eat("!") {
            self.unary().map(|v| v.not())
        } else {
            self.atom()
        };
        self.depth -= 1;
        r
    }
    fn atom(&mut self) -> Result<V, String> {
        self.ws();
        if self.eat("(") {
            self.depth += 1;
            if self.depth > 200 {
                return Err(String::new());
            }
            let v = self.assign()?;
            self.depth -= 1;
            if !self.eat(")") {
                return Err(String::new());
            }
            return Ok(v);
        }
        let start = self.i;
        while self.ident_char(self.i) {
            self.i += 1;
        }
        if start == self.i {
            return Err(String::new());
        }
        let t = self.t;
        let tok = C::text(&t[start..self.i]);
        if t[start].ch().is_ascii_digit() {
            return tok.parse().map(V::num).map_err(|_| String::new());
        }
        Ok(self.var_value(&tok))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn arithmetic() {
        let mut get = |n: &str| if n == "i" { 4 } else { 0 };
        let mut set = |_: &str, _: i64| {};
        assert_eq!(super::eval("i+1", &mut get, &mut set).unwrap().0, 5);
        assert_eq!(super::eval("(2+3)*4 % 7", &mut get, &mut set).unwrap().0, 6);
        assert_eq!(super::eval("(-9223372036854775807-1) / -1", &mut get, &mut set).unwrap().0, i64::MIN);
        assert_eq!(super::eval("(-9223372036854775807-1) % -1", &mut get, &mut set).unwrap().0, 0);
        assert_eq!(super::eval("i > 3 && 1", &mut get, &mut set).unwrap().0, 1);
        let (v, a) = super::eval("x = i * 2", &mut get, &mut set).unwrap();
        assert_eq!((v, a), (8, vec![("x".to_string(), 8)]));
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(super::eval(&deep, &mut get, &mut set).is_err());
        assert!(super::eval(&"-".repeat(10_000), &mut get, &mut set).is_err());
        assert!(super::eval(&"!".repeat(10_000), &mut get, &mut set).is_err());
        assert_eq!(super::eval("!0 + -(-2)", &mut get, &mut set).unwrap().0, 3);
        // Text that is not ASCII is read as chars: Unicode white space is white space.
        assert_eq!(super::eval("\u{a0}i +\u{3000}1 ", &mut get, &mut set).unwrap().0, 5);
        let (v, a) = super::eval("x\u{2003}+= i", &mut get, &mut set).unwrap();
        assert_eq!((v, a), (4, vec![("x".to_string(), 4)]));
        assert!(super::eval("é + 1", &mut get, &mut set).is_err());
        assert!(super::eval("i + 1é", &mut get, &mut set).is_err());
    }
}
