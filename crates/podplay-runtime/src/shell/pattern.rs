//! Glob pattern matching (`case`, `${x#pat}`, pathname expansion).

pub fn matches(pat: &str, text: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = text.chars().collect();
    m(&p, &t)
}

fn m(p: &[char], t: &[char]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some('*') => (0..=t.len()).any(|i| m(&p[1..], &t[i..])),
        Some('?') => !t.is_empty() && m(&p[1..], &t[1..]),
        Some('[') => {
            if t.is_empty() {
                return false;
            }
            let mut i = 1;
            let negate = matches!(p.get(1), Some('!') | Some('^'));
            if negate {
                i += 1;
            }
            let mut hit = false;
            let start = i;
            while i < p.len() && (p[i] != ']' || i == start) {
                if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
                    if p[i] <= t[0] && t[0] <= p[i + 2] {
                        hit = true;
                    }
                    i += 3;
                } else {
                    if p[i] == t[0] {
                        hit = true;
                    }
                    i += 1;
                }
            }
            if i >= p.len() {
                // no closing bracket: literal '['
                return t[0] == '[' && m(&p[1..], &t[1..]);
            }
            hit != negate && m(&p[i + 1..], &t[1..])
        }
        Some('\\') if p.len() > 1 => !t.is_empty() && t[0] == p[1] && m(&p[2..], &t[1..]),
        Some(c) => !t.is_empty() && t[0] == *c && m(&p[1..], &t[1..]),
    }
}

pub fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

#[cfg(test)]
mod tests {
    use super::matches;
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
        ];
        for (p, t, want) in cases {
            assert_eq!(matches(p, t), want, "{p} {t}");
        }
    }
}
