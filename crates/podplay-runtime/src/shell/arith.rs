//! `$(( ))` arithmetic: integers, + - * / %, comparisons, && ||, parentheses, `=` and `+=`.

type Get<'a> = &'a mut dyn FnMut(&str) -> i64;
type Set<'a> = &'a mut dyn FnMut(&str, i64);

struct P<'a, 'b> {
    t: Vec<char>,
    i: usize,
    get: Get<'a>,
    assigns: Vec<(String, i64)>,
    depth: u32,
    _s: std::marker::PhantomData<&'b ()>,
}

/// Evaluate; returns the value and the variables assigned.
pub fn eval(src: &str, get: Get, _set: Set) -> Result<(i64, Vec<(String, i64)>), String> {
    let mut p = P { t: src.chars().collect(), i: 0, get, assigns: vec![], depth: 0, _s: std::marker::PhantomData };
    if p.t.iter().all(|c| c.is_whitespace()) {
        return Ok((0, vec![]));
    }
    let v = p.assign()?;
    p.ws();
    if p.i < p.t.len() {
        return Err(String::new());
    }
    Ok((v, p.assigns))
}

impl<'a, 'b> P<'a, 'b> {
    fn ws(&mut self) {
        while self.i < self.t.len() && self.t[self.i].is_whitespace() {
            self.i += 1;
        }
    }
    /// Consumes `s` (ASCII operators) after white space, if it is next.
    fn eat(&mut self, s: &str) -> bool {
        self.ws();
        let n = s.len();
        if self.t.len() - self.i >= n && self.t[self.i..self.i + n].iter().copied().eq(s.chars()) {
            self.i += n;
            true
        } else {
            false
        }
    }
    fn var_value(&mut self, n: &str) -> i64 {
        if let Some((_, v)) = self.assigns.iter().rev().find(|(k, _)| k == n) {
            return *v;
        }
        (self.get)(n)
    }
    fn assign(&mut self) -> Result<i64, String> {
        self.ws();
        let save = self.i;
        let mut name = String::new();
        while self.i < self.t.len() && (self.t[self.i].is_ascii_alphanumeric() || self.t[self.i] == '_') {
            name.push(self.t[self.i]);
            self.i += 1;
        }
        if !name.is_empty() && !name.chars().next().unwrap().is_ascii_digit() {
            for op in ["+=", "-=", "*=", "="] {
                if self.eat(op) && !(op == "=" && self.t.get(self.i) == Some(&'=')) {
                    let rhs = self.assign()?;
                    let cur = self.var_value(&name);
                    let v = match op {
                        "+=" => cur + rhs,
                        "-=" => cur - rhs,
                        "*=" => cur * rhs,
                        _ => rhs,
                    };
                    self.assigns.push((name, v));
                    return Ok(v);
                }
            }
        }
        self.i = save;
        self.or()
    }
    fn or(&mut self) -> Result<i64, String> {
        let mut v = self.and()?;
        while self.eat("||") {
            let r = self.and()?;
            v = ((v != 0) || (r != 0)) as i64;
        }
        Ok(v)
    }
    fn and(&mut self) -> Result<i64, String> {
        let mut v = self.cmp()?;
        while self.eat("&&") {
            let r = self.cmp()?;
            v = ((v != 0) && (r != 0)) as i64;
        }
        Ok(v)
    }
    fn cmp(&mut self) -> Result<i64, String> {
        let mut v = self.add()?;
        loop {
            let op = ["==", "!=", "<=", ">=", "<", ">"].into_iter().find(|o| self.eat(o));
            let Some(op) = op else { return Ok(v) };
            let r = self.add()?;
            v = match op {
                "==" => v == r,
                "!=" => v != r,
                "<=" => v <= r,
                ">=" => v >= r,
                "<" => v < r,
                _ => v > r,
            } as i64;
        }
    }
    fn add(&mut self) -> Result<i64, String> {
        let mut v = self.mul()?;
        loop {
            if self.eat("+") {
                v = v.wrapping_add(self.mul()?);
            } else if self.eat("-") {
                v = v.wrapping_sub(self.mul()?);
            } else {
                return Ok(v);
            }
        }
    }
    fn mul(&mut self) -> Result<i64, String> {
        let mut v = self.unary()?;
        loop {
            if self.eat("*") {
                v = v.wrapping_mul(self.unary()?);
            } else if self.eat("/") || self.eat("%") {
                let is_div = self.t[self.i - 1] == '/';
                let r = self.unary()?;
                if r == 0 {
                    return Err(": division by zero".into());
                }
                v = if is_div { v / r } else { v % r };
            } else {
                return Ok(v);
            }
        }
    }
    fn unary(&mut self) -> Result<i64, String> {
        // Every prefix operator nests: bound the recursion.
        if self.depth > 200 {
            return Err(String::new());
        }
        self.depth += 1;
        let r = if self.eat("-") {
            self.unary().map(|v| v.wrapping_neg())
        } else if self.eat("+") {
            self.unary()
        } else if self.eat("!") {
            self.unary().map(|v| (v == 0) as i64)
        } else {
            self.atom()
        };
        self.depth -= 1;
        r
    }
    fn atom(&mut self) -> Result<i64, String> {
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
        while self.i < self.t.len() && (self.t[self.i].is_ascii_alphanumeric() || self.t[self.i] == '_') {
            self.i += 1;
        }
        let tok: String = self.t[start..self.i].iter().collect();
        if tok.is_empty() {
            return Err(String::new());
        }
        if tok.chars().next().unwrap().is_ascii_digit() {
            return tok.parse().map_err(|_| String::new());
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
        assert_eq!(super::eval("i > 3 && 1", &mut get, &mut set).unwrap().0, 1);
        let (v, a) = super::eval("x = i * 2", &mut get, &mut set).unwrap();
        assert_eq!((v, a), (8, vec![("x".to_string(), 8)]));
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(super::eval(&deep, &mut get, &mut set).is_err());
        assert!(super::eval(&"-".repeat(10_000), &mut get, &mut set).is_err());
        assert!(super::eval(&"!".repeat(10_000), &mut get, &mut set).is_err());
        assert_eq!(super::eval("!0 + -(-2)", &mut get, &mut set).unwrap().0, 3);
    }
}
