//! Counting loops. A loop whose turns each add a fixed amount to some of the shell's own
//! variables and are otherwise steady (`i=0; while true; do i=$((i+1)); done`) changes its
//! state every turn, so `steady.rs` cannot compare two turns' states; yet what the turns do
//! is still known in advance, and it runs in bulk too, the counters moved on by as many turns.
//!
//! # Why this is sound
//!
//! Let M be the variables whose values differ between the states at the ends of two
//! consecutive turns that `steady.rs` found alike (the same CPU, the same lines, the same
//! children, nothing read or changed outside the shell's files and log). The rule asks, of the
//! loop's whole text (condition and body, every branch, taken or not, so whatever path a turn
//! takes), that a value of M can reach nothing but M (see [`counts_only`]):
//!
//! * M's variables are read only inside `$((...))`, never as `$i`/`${i...}` (a word, an
//!   argument, a test, a case subject, a redirection, a here-document, a command substitution
//!   or a subshell would carry the value out), and not through `$` inside the arithmetic text;
//! * an arithmetic expression that reads one gives it back moved by an amount that does not
//!   depend on M (`i+1`, `1+i`, `i-n`, `(i)+2`, `i+=n`, `i-=1`, `i=i+1`): anything else on a
//!   value of M (a comparison, `*`, `/`, `%`, a unary minus, `&&`, a second variable of M, an
//!   assignment of it to another variable) is refused, and the symbolic evaluation that checks
//!   it ([`Moving`]) parses the text with the shell's own arithmetic parser;
//! * such a value goes only back into its own variable (`i=$((i+1))`, alone on its line, or
//!   through `+=` inside the arithmetic), or to the arguments of `:` or `true`, which ignore
//!   them; an assignment of anything else to a variable of M is refused;
//! * nothing reads variables by name or lists them: no `set`, `export`, `readonly`, `local`,
//!   `unset`, `read`, `eval`, `.`, `exec`, `command`, no function, no command named by an
//!   expansion, no `set -x` trace, no variable of M exported (a child's environment), and M
//!   holds neither PATH nor HOME (which the shell reads itself).
//!
//! Neither compared turn ran a signal's trap (`steady.rs` never compares such a turn), so a
//! turn runs only the loop's text. Then a turn is a function of the state outside M (the same
//! at every turn's start, as the two states compared show) and of M's values, and M's values
//! change nothing in it but M: every turn takes the same path, costs the same CPU (the
//! interpreter charges frames, not characters) and writes the same lines, and adds the
//! same amount to each variable of M (each addition's amount depends only on the state outside
//! M at its place in the path, the same at every turn). The amounts are what the compared turn
//! added. Arithmetic wraps at 64 bits, as the shell's does, and a value of M is always an
//! integer written as the shell writes one (it is checked), so `n` turns add `n` times the
//! amount, wrapping. A counter is private to its process: until the horizon nothing else can
//! act on the shell (a signal, a trap, a stop come from outside), so what it finally shows
//! (an `echo $i` after a `break` elsewhere, a trap's output) is what the turns one by one
//! would have shown.
//!
//! # Loops that end on their counter
//!
//! One read of a counter outside arithmetic is allowed: the loop's own condition may be one
//! comparison of a counter with a fixed integer (`while [ $i -lt 1000000 ]`, `until test
//! "$n" -ge $max`; [`Bound`]). Its outcome then depends on the counter, but it is known for
//! every turn in advance: the counter moves by the same amount each turn, so the comparison
//! keeps its outcome up to the first turn where it changes ([`turns_until_flip`]). Turns
//! before that one take the same path as the compared turn, which is all the argument above
//! needs (a test of the counter alone, `[ $i ]`, or the classic mistake `[ $i > 0 ]`, which
//! writes to a file `0`, holds for every integer; an output redirection of the test writes
//! nothing there, and `steady.rs` checks that the file is the same each turn); the bulk stops there and the turn that ends the loop runs as usual. `[` charges its
//! frames, not its digits, and an integer written as the shell writes one contains no
//! character of the field separators checked for (`IFS` holding a digit or a sign is refused).

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::shell::arith::{eval_as, Value};
use crate::shell::ast::{Cmd, RedirKind, Word, WordPart};

/// Where a value of the arithmetic comes from, followed through an expression without the
/// values themselves: not from the moving variables (`Fixed`), the moving variable number `k`
/// plus a fixed amount (`Plus(k)`), or anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Moving {
    Fixed,
    Plus(usize),
    Other,
}

impl Value for Moving {
    fn num(_: i64) -> Self {
        Moving::Fixed
    }
    fn assign(op: &str, cur: Self, rhs: Self) -> Self {
        match (cur, op, rhs) {
            (Moving::Fixed, _, Moving::Fixed) => Moving::Fixed,
            (Moving::Plus(k), "=", Moving::Plus(j)) if j == k => cur,
            (Moving::Plus(_), "+=" | "-=", Moving::Fixed) => cur,
            _ => Moving::Other,
        }
    }
    fn logic(self, r: Self, _: bool) -> Self {
        fixed(self, r)
    }
    fn compare(self, r: Self, _: &str) -> Self {
        fixed(self, r)
    }
    fn add(self, r: Self) -> Self {
        match (self, r) {
            (Moving::Plus(_), Moving::Fixed) => self,
            (Moving::Fixed, Moving::Plus(_)) => r,
            _ => fixed(self, r),
        }
    }
    fn sub(self, r: Self) -> Self {
        match (self, r) {
            (Moving::Plus(_), Moving::Fixed) => self,
            _ => fixed(self, r),
        }
    }
    fn mul(self, r: Self) -> Self {
        fixed(self, r)
    }
    /// Whatever a division of fixed values does (even by zero) it does at every turn.
    fn div(self, r: Self, _: bool) -> Result<Self, String> {
        Ok(fixed(self, r))
    }
    fn neg(self) -> Self {
        fixed(self, Moving::Fixed)
    }
    fn not(self) -> Self {
        fixed(self, Moving::Fixed)
    }
}

/// `Fixed` when both are, else `Other`.
fn fixed(a: Moving, b: Moving) -> Moving {
    if a == Moving::Fixed && b == Moving::Fixed {
        Moving::Fixed
    } else {
        Moving::Other
    }
}

/// What a word does with the moving variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Taint {
    /// Its value does not depend on them, nor does it change them.
    Clean,
    /// Arithmetic that moves them or gives one of them moved (`$((i+=1))`, `$((i+1))`).
    Counted,
    /// Anything else.
    Bad,
}

/// Commands that read or set variables by name, list them, or run text as commands.
const BY_NAME: &[&str] = &["set", "export", "readonly", "local", "unset", "read", "eval", ".", "source", "exec", "command", "getopts"];

/// The rule of the module's comment, for the loop `cond`/`body` whose variables `moving` change
/// from one turn to the next; `funcs` are the shell's functions. None when the loop does more
/// with them than count; else how its condition reads them.
pub(crate) fn counts_only(cond: &Cmd, body: &Cmd, moving: &[&str], funcs: &BTreeMap<String, Rc<Cmd>>) -> Option<Option<Bound>> {
    let c = Check { moving, funcs };
    if !c.cmd(body) {
        return None;
    }
    if c.cmd(cond) {
        return Some(None);
    }
    c.bound(cond).map(Some)
}

/// A loop condition that compares a counter with a fixed integer: `[ $i -lt 10 ]`, `test 10
/// -gt "$i"` (kept as `counter op fixed`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bound {
    /// Index of the counter in the moving variables.
    pub counter: usize,
    pub order: Order,
    pub fixed: Operand,
}

/// The fixed side of a [`Bound`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Operand {
    Literal(String),
    /// A variable that does not move (`$max`, `"$max"`), read when the bulk runs.
    Var(String),
}

/// `test`'s integer comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `[ $i ]`: true for every integer (the fixed side is not read).
    NonEmpty,
}

impl Order {
    fn parse(op: &str) -> Option<Order> {
        Some(match op {
            "-eq" => Order::Eq,
            "-ne" => Order::Ne,
            "-lt" => Order::Lt,
            "-le" => Order::Le,
            "-gt" => Order::Gt,
            "-ge" => Order::Ge,
            _ => return None,
        })
    }
    /// The same comparison with its sides swapped (`a -lt b` is `b -gt a`).
    fn swapped(self) -> Order {
        match self {
            Order::Lt => Order::Gt,
            Order::Le => Order::Ge,
            Order::Gt => Order::Lt,
            Order::Ge => Order::Le,
            o => o,
        }
    }
    pub(crate) fn holds(self, a: i128, b: i128) -> bool {
        match self {
            Order::Eq => a == b,
            Order::Ne => a != b,
            Order::Lt => a < b,
            Order::Le => a <= b,
            Order::Gt => a > b,
            Order::Ge => a >= b,
            Order::NonEmpty => true,
        }
    }
}

/// How many turns, the counter starting at `v` and moving by `d` (not 0) each, evaluate `v op
/// c` with the outcome it has at the first: the turns before the first that differs, never
/// past the turn whose counter would wrap.
pub(crate) fn turns_until_flip(v: i64, d: i64, op: Order, c: i64) -> u64 {
    let (v, d, c) = (i128::from(v), i128::from(d), i128::from(c));
    // The last turn whose counter is still an i64.
    let room = if d > 0 { i128::from(i64::MAX) - v } else { v - i128::from(i64::MIN) };
    let last = (room / d.abs()) as u64;
    let at = |t: u64| op.holds(v + i128::from(t) * d, c);
    let first = at(0);
    match op {
        // Equality holds at one value at most: it changes at the turn after, or at the turn
        // the counter reaches it.
        Order::Eq | Order::Ne => {
            let hit = (c - v) % d == 0 && (c - v) / d > 0;
            if (op == Order::Eq) == first {
                1
            } else if hit {
                ((c - v) / d).min(i128::from(last) + 1) as u64
            } else {
                last + 1
            }
        }
        // Monotone along the turns: the first change by bisection.
        _ => {
            if at(last) == first {
                return last + 1;
            }
            let (mut lo, mut hi) = (0u64, last);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if at(mid) == first {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            hi
        }
    }
}

struct Check<'a> {
    moving: &'a [&'a str],
    funcs: &'a BTreeMap<String, Rc<Cmd>>,
}

impl Check<'_> {
    /// `cond` as a [`Bound`]: one `[`/`test` comparing a counter with a literal integer or a
    /// variable that does not move, nothing else.
    fn bound(&self, cond: &Cmd) -> Option<Bound> {
        let cond = match cond {
            Cmd::Pipeline { cmds, bang: false } if cmds.len() == 1 => &*cmds[0],
            c => c,
        };
        let Cmd::Simple { assigns, words, redirs, .. } = cond else { return None };
        // An output redirection writes nothing there (`[` prints nothing on stdout): the typo
        // `[ $i -lt 10>0 ]` rewrites a file `0` each turn, which `steady.rs` checks.
        let writes_nothing = |r: &crate::shell::ast::Redir| {
            matches!(r.kind, RedirKind::Out | RedirKind::Append) && r.fd == 1 && self.word(&r.target) == Taint::Clean
        };
        if !assigns.is_empty() || !redirs.iter().all(writes_nothing) {
            return None;
        }
        let args = match words.first()?.as_slice() {
            [WordPart::Lit(n)] if n == "[" && !self.funcs.contains_key(n) => match words.last()?.as_slice() {
                [WordPart::Lit(close)] if close == "]" => &words[1..words.len() - 1],
                _ => return None,
            },
            [WordPart::Lit(n)] if n == "test" && !self.funcs.contains_key(n) => &words[1..],
            _ => return None,
        };
        // `[ $i ]` (or the classic `[ $i > 0 ]`, a redirection; or `[ x$i ]`): a word holding a
        // counter is never empty, so one such operand is always true.
        if let [only] = args {
            return Some(Bound { counter: self.counter_in(only)?, order: Order::NonEmpty, fixed: Operand::Literal("0".into()) });
        }
        let [left, op, right] = args else { return None };
        let [WordPart::Lit(op)] = op.as_slice() else { return None };
        let order = Order::parse(op)?;
        match (self.counter(left), self.counter(right)) {
            (Some(counter), None) => Some(Bound { counter, order, fixed: self.operand(right)? }),
            (None, Some(counter)) => Some(Bound { counter, order: order.swapped(), fixed: self.operand(left)? }),
            _ => None,
        }
    }

    /// The plain name a word reads, `$x`, `${x}` or `"$x"`, nothing around it.
    fn plain_param(w: &Word) -> Option<&str> {
        let part = match w.as_slice() {
            [WordPart::Double(parts)] => match parts.as_slice() {
                [p] => p,
                _ => return None,
            },
            [p] => p,
            _ => return None,
        };
        match part {
            WordPart::Param(pe) if Self::is_plain(pe) => Some(&pe.name),
            _ => None,
        }
    }

    /// `$x` or `${x}`: the variable's value, no operator.
    fn is_plain(pe: &crate::shell::ast::ParamExp) -> bool {
        pe.op == crate::shell::ast::ParamOp::Plain && pe.arg.is_empty()
    }

    fn counter(&self, w: &Word) -> Option<usize> {
        let name = Self::plain_param(w)?;
        self.moving.iter().position(|m| *m == name)
    }

    /// A counter read once inside a word of fixed text around it (`x$i`, `"$i"z`, or `$i`
    /// followed by an invisible character a paste brought in): the word is never empty and
    /// stays one field (no glob character in its unquoted text; a counter's digits and sign
    /// never split).
    fn counter_in(&self, w: &Word) -> Option<usize> {
        fn parts<'w>(w: &'w [WordPart], out: &mut Vec<&'w WordPart>) {
            for p in w {
                match p {
                    WordPart::Double(inner) => parts(inner, out),
                    p => out.push(p),
                }
            }
        }
        let mut flat = Vec::new();
        parts(w, &mut flat);
        // Pathname expansion could make the word many, or none: no `*` or `?`, and no `[` that a
        // later `]` closes into a bracket expression (an unclosed `[` is an ordinary character
        // to fnmatch and to ash's pmatch, so `$i[` stays one word).
        let literal: String = flat.iter().filter_map(|p| if let WordPart::Lit(t) = p { Some(t.as_str()) } else { None }).collect();
        let bracket = literal.find('[').is_some_and(|open| literal[open..].contains(']'));
        if literal.contains(['*', '?']) || bracket {
            return None;
        }
        let mut found = None;
        for p in flat {
            match p {
                WordPart::Lit(_) => {}
                WordPart::Quoted(_) => {}
                WordPart::Param(pe) if found.is_none() && Self::is_plain(pe) => {
                    found = Some(self.moving.iter().position(|m| *m == pe.name)?);
                }
                _ => return None,
            }
        }
        found
    }

    fn operand(&self, w: &Word) -> Option<Operand> {
        match w.as_slice() {
            [WordPart::Lit(n)] => Some(Operand::Literal(n.clone())),
            _ => {
                let name = Self::plain_param(w)?;
                let named = name.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic());
                (named && !self.moving.contains(&name)).then(|| Operand::Var(name.to_string()))
            }
        }
    }

    fn cmd(&self, c: &Cmd) -> bool {
        match c {
            Cmd::Simple { assigns, words, redirs, .. } => self.simple(assigns, words, redirs),
            Cmd::Pipeline { cmds, .. } => cmds.len() == 1 && self.cmd(&cmds[0]),
            Cmd::And(a, b) | Cmd::Or(a, b) => self.cmd(a) && self.cmd(b),
            Cmd::Seq(items) => items.iter().all(|(c, bg)| !bg && self.cmd(c)),
            Cmd::If { cond, then, otherwise } => self.cmd(cond) && self.cmd(then) && otherwise.as_ref().is_none_or(|o| self.cmd(o)),
            Cmd::Loop { cond, body, .. } => self.cmd(cond) && self.cmd(body),
            Cmd::For { var, words, body } => {
                !self.moving.contains(&var.as_str())
                    && words.as_ref().is_none_or(|ws| ws.iter().all(|w| self.word(w) == Taint::Clean))
                    && self.cmd(body)
            }
            Cmd::Case { word, arms } => {
                self.word(word) == Taint::Clean
                    && arms
                        .iter()
                        .all(|(pats, body)| pats.iter().all(|p| self.word(p) == Taint::Clean) && body.as_ref().is_none_or(|b| self.cmd(b)))
            }
            Cmd::Group(b) => self.cmd(b),
            Cmd::Redirected { cmd, redirs } => self.redirs(redirs) && self.cmd(cmd),
            Cmd::Subshell(_) | Cmd::FuncDef { .. } => false,
        }
    }

    fn simple(&self, assigns: &[(String, Word)], words: &[Word], redirs: &[crate::shell::ast::Redir]) -> bool {
        if !self.redirs(redirs) {
            return false;
        }
        if let Some(first) = words.first() {
            // A command: named by a plain word, not a function, not one that reads variables
            // by name; its own assignments (its environment) clean.
            let [WordPart::Lit(name)] = first.as_slice() else { return false };
            if self.funcs.contains_key(name) || BY_NAME.contains(&name.as_str()) {
                return false;
            }
            if assigns.iter().any(|(_, w)| self.word(w) != Taint::Clean) {
                return false;
            }
            return match words[1..].iter().map(|w| self.word(w)).max().unwrap_or(Taint::Clean) {
                Taint::Clean => true,
                // `: $((i+=1))`: arguments nobody reads.
                Taint::Counted => (name == ":" || name == "true") && redirs.is_empty(),
                Taint::Bad => false,
            };
        }
        assigns.iter().all(|(name, w)| match self.word(w) {
            Taint::Clean => !self.moving.contains(&name.as_str()),
            // `i=$((i+1))`: the variable gets itself moved.
            Taint::Counted => match self.moving.iter().position(|m| m == name) {
                Some(k) => self.arith_word(w).is_some_and(|v| v == Moving::Plus(k)),
                None => false,
            },
            Taint::Bad => false,
        })
    }

    fn redirs(&self, redirs: &[crate::shell::ast::Redir]) -> bool {
        redirs.iter().all(|r| {
            let body_ok = match &r.kind {
                RedirKind::HereDoc(body, true) => !self.moving.iter().any(|m| body.contains(m)),
                _ => true,
            };
            body_ok && self.word(&r.target) == Taint::Clean
        })
    }

    /// The value of a word that is one `$((...))` (alone or alone in double quotes).
    fn arith_word(&self, w: &Word) -> Option<Moving> {
        let src = match w.as_slice() {
            [WordPart::Arith(src)] => src,
            [WordPart::Double(parts)] => match parts.as_slice() {
                [WordPart::Arith(src)] => src,
                _ => return None,
            },
            _ => return None,
        };
        self.arith(src).map(|(v, _)| v)
    }

    fn word(&self, w: &Word) -> Taint {
        w.iter().map(|p| self.part(p)).max().unwrap_or(Taint::Clean)
    }

    fn part(&self, p: &WordPart) -> Taint {
        match p {
            WordPart::Lit(_) | WordPart::Quoted(_) => Taint::Clean,
            WordPart::Double(parts) => parts.iter().map(|q| self.part(q)).max().unwrap_or(Taint::Clean),
            WordPart::Param(pe) => {
                if self.moving.contains(&pe.name.as_str()) || self.word(&pe.arg) != Taint::Clean {
                    Taint::Bad
                } else {
                    Taint::Clean
                }
            }
            WordPart::CmdSub(_) => Taint::Bad,
            WordPart::Arith(src) => match self.arith(src) {
                None => Taint::Bad,
                Some((Moving::Fixed, false)) => Taint::Clean,
                Some(_) => Taint::Counted,
            },
        }
    }

    /// An arithmetic text's value and whether it moves a variable of M; None when it does
    /// anything else with them (or its text is expanded first and names one).
    fn arith(&self, src: &str) -> Option<(Moving, bool)> {
        if src.contains(['$', '`', '\\', '"']) {
            return if self.moving.iter().any(|m| src.contains(m)) { None } else { Some((Moving::Fixed, false)) };
        }
        let moving = self.moving;
        let mut get = |n: &str| moving.iter().position(|m| *m == n).map_or(Moving::Fixed, Moving::Plus);
        let (v, assigns) = eval_as::<Moving>(src, &mut get).ok()?;
        if v == Moving::Other || assigns.iter().any(|(_, a)| *a == Moving::Other) {
            return None;
        }
        Some((v, assigns.iter().any(|(_, a)| *a != Moving::Fixed)))
    }
}

/// The amount each variable moved from `before` to `after` (index in the variable list, amount),
/// if they are the same variables, in the same order, exported alike, and those that differ
/// hold integers written as the shell writes them.
pub(crate) fn moved(before: &[super::Var], after: &[super::Var]) -> Option<Vec<(usize, i64)>> {
    if before.len() != after.len() {
        return None;
    }
    let mut out = Vec::new();
    for (k, (b, a)) in before.iter().zip(after).enumerate() {
        if b.name != a.name || b.exported != a.exported {
            return None;
        }
        if b.value != a.value {
            let (x, y) = (integer(&b.value)?, integer(&a.value)?);
            out.push((k, y.wrapping_sub(x)));
        }
    }
    Some(out)
}

/// The integer `s` is, when it is written as the shell writes integers.
pub(crate) fn integer(s: &str) -> Option<i64> {
    let v: i64 = s.parse().ok()?;
    (v.to_string() == s).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(script: &str, moving: &[&str]) -> bool {
        let cmds = crate::shell::parse::parse_all(script).unwrap();
        let Cmd::Loop { cond, body, .. } = &*cmds[0] else { panic!("{script}: not a loop") };
        counts_only(cond, body, moving, &BTreeMap::new()).is_some()
    }

    fn bound(script: &str, moving: &[&str]) -> Option<Bound> {
        let cmds = crate::shell::parse::parse_all(script).unwrap();
        let Cmd::Loop { cond, body, .. } = &*cmds[0] else { panic!("{script}: not a loop") };
        counts_only(cond, body, moving, &BTreeMap::new()).flatten()
    }

    #[test]
    fn loops_that_end_on_their_counter() {
        let lit = |s: &str| Operand::Literal(s.into());
        for (script, want) in [
            ("while [ $i -lt 1000000 ]; do i=$((i+1)); done", Bound { counter: 0, order: Order::Lt, fixed: lit("1000000") }),
            ("until test \"$i\" -ge $max; do i=$((i+2)); done", Bound { counter: 0, order: Order::Ge, fixed: Operand::Var("max".into()) }),
            ("while [ 10 -gt ${i} ]; do : $((i+=1)); done", Bound { counter: 0, order: Order::Lt, fixed: lit("10") }),
            // An output redirection of the test writes nothing (`steady.rs` checks the file).
            ("while [ $i -lt 10 ] >/dev/null; do i=$((i+1)); done", Bound { counter: 0, order: Order::Lt, fixed: lit("10") }),
            ("while [ $i -lt 10>0 ]; do i=$((i+1)); done", Bound { counter: 0, order: Order::Lt, fixed: lit("10") }),
            ("while [ $i > 0 ]; do i=$((i-1)); done", Bound { counter: 0, order: Order::NonEmpty, fixed: lit("0") }),
            // The fuzzer's `[ $i\u{202e} > 0 ]` (a right-to-left mark pasted after `$i`), and text
            // around the counter: never empty either.
            ("while [ $i\u{202e} > 0 ]; do i=$((i-1)); done", Bound { counter: 0, order: Order::NonEmpty, fixed: lit("0") }),
            ("while [ x\"$i\"'y' ]; do i=$((i-1)); done", Bound { counter: 0, order: Order::NonEmpty, fixed: lit("0") }),
            // The fuzzer's `[ $i[ > 0 ]`: an unclosed `[` is no glob.
            ("while [ $i[ > 0 ]; do i=$((i-1)); done", Bound { counter: 0, order: Order::NonEmpty, fixed: lit("0") }),
        ] {
            assert_eq!(bound(script, &["i"]), Some(want), "{script}");
        }
        for script in [
            // A lone word that may be empty or split: another variable, a glob, two counters.
            "while [ $i$j ]; do i=$((i+1)); j=$((j+1)); done",
            "while [ $i* ]; do i=$((i+1)); done",
            "while [ $i[0] ]; do i=$((i+1)); done",
            "while [ [$i] ]; do i=$((i+1)); done",
            "while [ $i? ]; do i=$((i+1)); done",
            "while [ $j$i ]; do i=$((i+1)); done",
            // Not one plain comparison, the counter on both sides, a moving bound, a string test,
            // the counter read again in the body, a negated condition.
            "while [ $i -lt 10 ] && true; do i=$((i+1)); done",
            "while [ $i -lt $i ]; do i=$((i+1)); done",
            "while [ $i -lt $j ]; do i=$((i+1)); j=$((j+1)); done",
            "while [ $i != 10 ]; do i=$((i+1)); done",
            "while [ $i -lt 10 ]; do i=$((i+1)); echo $i; done",
            "while ! [ $i -ge 10 ]; do i=$((i+1)); done",
            "while [ \"x$i\" -lt 10 ]; do i=$((i+1)); done",
            "while [ $i -lt 10 ] 2>/dev/null; do i=$((i+1)); done",
            "while [ $i -lt 10 ] <in; do i=$((i+1)); done",
            "while [ $i -lt 10 ] >$i; do i=$((i+1)); done",
        ] {
            assert_eq!(bound(script, &["i", "j"]), None, "{script}");
        }
    }

    /// Checked against the turns one by one.
    #[test]
    fn flips_counted_turn_by_turn() {
        let orders = [Order::Eq, Order::Ne, Order::Lt, Order::Le, Order::Gt, Order::Ge];
        for v in -7i64..=7 {
            for d in [-3i64, -2, -1, 1, 2, 3] {
                for c in -12i64..=12 {
                    for op in orders {
                        let first = op.holds(v.into(), c.into());
                        let by_turns = (0..2000).find(|t: &i64| op.holds((v + t * d).into(), c.into()) != first).unwrap_or(i64::MAX);
                        let n = turns_until_flip(v, d, op, c);
                        if by_turns < 1000 {
                            assert_eq!(n, by_turns as u64, "{v} {d} {op:?} {c}");
                        } else {
                            assert!(n > 1 << 60, "{v} {d} {op:?} {c}: {n}");
                        }
                    }
                }
            }
        }
        // Never past a wrap.
        assert_eq!(turns_until_flip(i64::MAX - 5, 2, Order::Gt, 0), 3);
        assert_eq!(turns_until_flip(i64::MIN + 1, -1, Order::Ne, 7), 2);
    }

    #[test]
    fn counting_loops() {
        for (script, moving) in [
            ("while true; do i=$((i+1)); done", &["i"][..]),
            ("while :; do i=$(( i + 1 )); done", &["i"]),
            ("while :; do i=$((1+i)); j=$((j-2)); done", &["i", "j"]),
            ("while :; do : $((i+=1)); done", &["i"]),
            ("while :; do true $((i-=3)) $((k+=1)); done", &["i", "k"]),
            ("while :; do i=$((i=i+step)); done", &["i"]),
            ("while :; do i=\"$((i+1))\"; echo hi; done", &["i"]),
            ("while [ -f /tmp/x ]; do i=$(( (i) + 2*3 )); done", &["i"]),
            ("while :; do if [ -f /x ]; then i=$((i+1)); else i=$((i-1)); fi; done", &["i"]),
            ("while :; do n=$((n+1)); x=$((y*2)); echo $x; done", &["n"]),
        ] {
            assert!(ok(script, moving), "{script}");
        }
        for (script, moving) in [
            // The value goes out, decides a branch, or is not just moved.
            ("while :; do i=$((i+1)); echo $i; done", &["i"][..]),
            ("while :; do i=$((i+1)); [ $((i%2)) = 0 ] && echo even; done", &["i"]),
            ("while :; do i=$((i+1)); [ $i -lt 10 ] || break; done", &["i"]),
            ("while :; do i=$((i*2)); done", &["i"]),
            ("while :; do i=$((-i)); done", &["i"]),
            ("while :; do i=$((i+j)); j=$((j+1)); done", &["i", "j"]),
            ("while :; do j=$((i+1)); i=$((i+1)); done", &["i", "j"]),
            ("while :; do i=$(($i+1)); done", &["i"]),
            ("while :; do i=$((i+1)); x=${i}; done", &["i"]),
            ("while :; do i=$((i+1)); case $i in 5) break;; esac; done", &["i"]),
            ("while :; do i=$((i+1)) true; done", &["i"]),
            ("while :; do echo $((i+=1)); done", &["i"]),
            ("while :; do i=$((i+1)); set; done", &["i"]),
            ("while :; do i=$((i+1)); eval 'echo $i'; done", &["i"]),
            ("while :; do i=$((i+1)); (true); done", &["i"]),
            ("while :; do i=$((i+1)); x=$(echo 1); done", &["i"]),
            ("while :; do i=5; i=$((i+1)); done", &["i"]),
            ("while :; do i=$((i+1)); cat <<EOF\n$i\nEOF\ndone", &["i"]),
            ("while :; do i=$((i > 3)); done", &["i"]),
            ("while :; do i=$((i+1)) j=$((i+1)); done", &["i", "j"]),
        ] {
            assert!(!ok(script, moving), "{script}");
        }
    }

    #[test]
    fn integers_as_the_shell_writes_them() {
        assert_eq!(integer("42"), Some(42));
        assert_eq!(integer("-9223372036854775808"), Some(i64::MIN));
        for s in ["", "007", "+1", " 1", "1 ", "-0", "1e3", "x"] {
            assert_eq!(integer(s), None, "{s:?}");
        }
    }
}
