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
/// from one turn to the next; `funcs` are the shell's functions.
pub(crate) fn counts_only(cond: &Cmd, body: &Cmd, moving: &[&str], funcs: &BTreeMap<String, Rc<Cmd>>) -> bool {
    let c = Check { moving, funcs };
    c.cmd(cond) && c.cmd(body)
}

struct Check<'a> {
    moving: &'a [&'a str],
    funcs: &'a BTreeMap<String, Rc<Cmd>>,
}

impl Check<'_> {
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
        counts_only(cond, body, moving, &BTreeMap::new())
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
            ("while [ $i -lt 10 ]; do i=$((i+1)); done", &["i"][..]),
            ("while :; do i=$((i+1)); echo $i; done", &["i"]),
            ("while :; do i=$((i+1)); [ $((i%2)) = 0 ] && echo even; done", &["i"]),
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
