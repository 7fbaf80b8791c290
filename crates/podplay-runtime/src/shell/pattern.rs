//! Glob pattern matching (`case`, `${x#pat}`, pathname expansion).

pub fn matches(pat: &str, text: &str) -> bool {
    let p = tokenize(pat);
    let t: Vec<char> = text.chars().collect();
    // Iterative wildcard matching with single-star backtracking: O(len(p) * len(t)), no
    // recursion, so hostile patterns cannot blow the stack or the clock.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(Tok::Star) => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(tok) if tok.matches(t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|t| matches!(t, Tok::Star))
}

enum Tok {
    Star,
    Any,
    Char(char),
    /// `[...]`: ranges/chars, negated.
    Class(Vec<(char, char)>, bool),
}

impl Tok {
    fn matches(&self, c: char) -> bool {
        match self {
            Tok::Star => true,
            Tok::Any => true,
            Tok::Char(x) => *x == c,
            Tok::Class(ranges, neg) => ranges.iter().any(|(a, b)| *a <= c && c <= *b) != *neg,
        }
    }
}

fn tokenize(pat: &str) -> Vec<Tok> {
    let p: Vec<char> = pat.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '*' => {
                if !matches!(out.last(), Some(Tok::Star)) {
                    out.push(Tok::Star);
                }
                i += 1;
            }
            '?' => {
                out.push(Tok::Any);
                i += 1;
            }
            '\\' if i + 1 < p.len() => {
                out.push(Tok::Char(p[i + 1]));
                i += 2;
            }
            '[' => {
                let mut j = i + 1;
                let neg = matches!(p.get(j), Some('!') | Some('^'));
                if neg {
                    j += 1;
                }
                let start = j;
                let mut ranges = Vec::new();
                while j < p.len() && (p[j] != ']' || j == start) {
                    if j + 2 < p.len() && p[j + 1] == '-' && p[j + 2] != ']' {
                        ranges.push((p[j], p[j + 2]));
                        j += 3;
                    } else {
                        ranges.push((p[j], p[j]));
                        j += 1;
                    }
                }
                if j >= p.len() {
                    // No closing bracket: a literal '['.
                    out.push(Tok::Char('['));
                    i += 1;
                } else {
                    out.push(Tok::Class(ranges, neg));
                    i = j + 1;
                }
            }
            c => {
                out.push(Tok::Char(c));
                i += 1;
            }
        }
    }
    out
}

/// Whether `s` is a pattern to glob with: a `*`, a `?`, or a `[` that opens a bracket
/// expression, i.e. has its `]` later (ash's `hasmeta`: a lone `[`, as in `[ $i -lt 3 ]`, is an
/// ordinary character, so the shell does not list the directory for it).
pub fn has_glob(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'*' | b'?' => true,
        b'[' => {
            let mut j = i + 1;
            if b.get(j) == Some(&b'!') {
                j += 1;
            }
            if b.get(j) == Some(&b']') {
                j += 1;
            }
            b.get(j..).is_some_and(|rest| rest.contains(&b']'))
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::matches;
    #[test]
    fn a_lone_bracket_is_no_pattern() {
        use super::has_glob;
        for (s, glob) in [
            ("[", false),
            ("]", false),
            ("a[b", false),
            ("[]", false),
            ("[!]", false),
            ("[ab]", true),
            ("[]]", true),
            ("x*", true),
            ("?", true),
            ("-lt", false),
        ] {
            assert_eq!(has_glob(s), glob, "{s:?}");
        }
    }

    #[test]
    fn globbing() {
        let cases = [
            ("*", "abc", true),
            ("a?c", "abc", true),
            ("a*", "bc", false),
            ("[a-c]x", "bx", true),
            ("[!a]x", "ax", false),
            ("*.html", "index.html", true),
            ("a|b", "a", false),
            ("*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
            ("a\\*", "a*", true),
            ("[", "[", true),
            ("*.txt", ".txt", true),
        ];
        for (p, t, want) in cases {
            assert_eq!(matches(p, t), want, "{p} {t}");
        }
    }
}
