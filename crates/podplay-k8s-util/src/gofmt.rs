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
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn quoting() {
        assert_eq!(quote("OCI runtime exec failed: unknown\r\n"), "\"OCI runtime exec failed: unknown\\r\\n\"");
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
        assert_eq!(quote("é"), "\"é\"");
        assert_eq!(slice(&["test".into(), "-e".into(), "/tmp/x".into()]), "[test -e /tmp/x]");
    }
}
