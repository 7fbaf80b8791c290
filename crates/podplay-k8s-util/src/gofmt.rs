//! Go `fmt` verbs that Kubernetes messages use, so texts built here match byte for byte, and
//! `net.JoinHostPort` (the `host:port` of probe and hook errors).

/// `%q` of a string: Go's strconv.Quote (printable ASCII kept, the usual escapes, `\u` forms).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x80 || is_print(c) => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint` for non-ASCII: letters, marks, numbers, punctuation and symbols are
/// printable; controls, format characters (the bidirectional marks among them), separators
/// other than the ASCII space, private use and surrogates are not. podplay has no Unicode
/// category tables: the format and separator characters are listed, the rest follow Rust's
/// `is_control` and the private-use planes; an unassigned code point (Go: not printable) is
/// kept as it is.
fn is_print(c: char) -> bool {
    let u = c as u32;
    let format_or_separator = matches!(u,
        0x00a0 | 0x00ad | 0x0600..=0x0605 | 0x061c | 0x06dd | 0x070f | 0x0890 | 0x0891 | 0x08e2 | 0x1680 | 0x180e
        | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x2064 | 0x2066..=0x206f | 0x3000 | 0xfeff | 0xfff9..=0xfffb
        | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a | 0xe0001 | 0xe0020..=0xe007f);
    let private_use = matches!(u, 0xe000..=0xf8ff | 0xf0000..=0x10ffff);
    !(c.is_control() || format_or_separator || private_use)
}

/// `%v` of a `[]string`: `[a b c]`.
pub fn slice(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// Go's `net.JoinHostPort`: an IPv6 host goes in brackets.
pub fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// A string as Go's `encoding/json` writes it (`encodeState.string` with HTML escaping, as Go
/// before 1.22 wrote `\b` and `\f`), appended to `out`: `"` and `\` escaped, `\n` `\r` `\t`
/// short, other control characters, `<`, `>`, `&`, U+2028 and U+2029 as `\u00XX`, each byte of
/// invalid UTF-8 as `\ufffd`.
pub fn json_string_into(bytes: &[u8], out: &mut String) {
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        for _ in chunk.invalid() {
            out.push_str("\\ufffd");
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn quoting() {
        assert_eq!(quote("OCI runtime exec failed: unknown\r\n"), "\"OCI runtime exec failed: unknown\\r\\n\"");
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
        assert_eq!(quote("é"), "\"é\"");
        // strconv.Quote: what unicode.IsPrint refuses is escaped, \u below U+10000, \U above.
        assert_eq!(quote("a\u{202e}b\u{a0}c\u{200b}"), "\"a\\u202eb\\u00a0c\\u200b\"");
        assert_eq!(quote("😀 ü 中"), "\"😀 ü 中\"");
        assert_eq!(quote("\u{85}\u{f0000}"), "\"\\u0085\\U000f0000\"");
        assert_eq!(slice(&["test".into(), "-e".into(), "/tmp/x".into()]), "[test -e /tmp/x]");
    }
}
