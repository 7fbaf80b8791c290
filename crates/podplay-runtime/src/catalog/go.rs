//! What the catalog's Go servers (agnhost's liveness and netexec, liveness, goproxy) share.

use crate::programs::{SigReaction, SignalDelivery};
use crate::servers::{go_response, reason, url_path, Request, Response};

/// Go's runtime handles SIGHUP, SIGINT and SIGTERM: it restores the default action and raises
/// the signal again. As PID 1 that default is dropped and the runtime exits 2 (images.md §3.1);
/// other signals are ignored.
pub(super) fn on_signal(signal: &SignalDelivery) -> SigReaction {
    match signal.sig {
        1 | 2 | 15 => signal.exit(if signal.pid1 { 2 } else { 128 + signal.sig }),
        _ => SigReaction::Ignore,
    }
}

/// The first value of `key` in a raw query, as Go's `url.ParseQuery` then `Values.Get` (and
/// `Request.FormValue` for a GET) read it: `&`-separated pairs, each key and value unescaped
/// (`+` a space, `%XX` a byte); a pair with a `;` (refused since Go 1.17) or a bad escape is
/// skipped; none: `None` (Go's empty string).
pub(super) fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').filter(|pair| !pair.is_empty() && !pair.contains(';')).find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (query_unescape(k)? == key).then(|| query_unescape(v)).flatten()
    })
}

/// Go's `url.QueryUnescape`; `None` for an escape that is not `%` and two hex digits.
pub(super) fn query_unescape(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok().filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// The raw query of a request target (after its first `?`).
pub(super) fn raw_query(target: &str) -> &str {
    target.split_once('?').map_or("", |(_, q)| q)
}

/// A string as Go's `json.Marshal` writes it (`gofmt::json_string_into`).
pub(super) fn json_string(bytes: &[u8]) -> String {
    let mut out = String::new();
    podplay_k8s_util::gofmt::json_string_into(bytes, &mut out);
    out
}

pub(super) fn json_strings(items: &[Vec<u8>]) -> String {
    format!("[{}]", items.iter().map(|s| json_string(s)).collect::<Vec<_>>().join(","))
}

/// Go's `%q` of a string (`strconv.Quote`, printable characters kept).
pub(super) fn quote(s: &str) -> String {
    podplay_k8s_util::gofmt::quote(s)
}

/// Go's `http.Redirect` (net/http/server.go): a location without scheme and host is made
/// absolute against the request's path and cleaned, a trailing slash kept; the `Location`
/// header; a GET's body links to it (`<a href="...">Found</a>.`), and a GET or HEAD is
/// `text/html`.
pub(super) fn http_redirect(req: &Request, location: &str, status: u16, wall: i64) -> Response {
    let target = redirect_location(url_path(req.path), location);
    let body =
        if req.method == "GET" { format!("<a href=\"{}\">{}</a>.\n\n", html_escape(&target), reason(status)) } else { String::new() };
    let mut answer = go_response(status, body.into_bytes(), wall);
    answer.headers.retain(|(k, _)| k != "Content-Type");
    if matches!(req.method, "GET" | "HEAD") {
        answer.headers.push(("Content-Type".into(), "text/html; charset=utf-8".into()));
    }
    answer.headers.push(("Location".into(), target));
    answer
}

/// `http.Redirect`'s target: `url.Parse` finds no scheme and no host (`//host`), so the
/// location is joined to the request's directory when relative and cleaned.
pub(super) fn redirect_location(req_path: &str, location: &str) -> String {
    let has_scheme = location.split_once(':').is_some_and(|(s, _)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || location.starts_with("//") {
        return location.to_string();
    }
    let old = if req_path.is_empty() { "/" } else { req_path };
    let joined =
        if location.starts_with('/') { location.to_string() } else { format!("{}{location}", &old[..old.rfind('/').map_or(0, |i| i + 1)]) };
    let (path, query) = joined.split_once('?').map_or((joined.as_str(), String::new()), |(p, q)| (p, format!("?{q}")));
    format!("{}{query}", clean_keeping_slash(path))
}

/// Go's `path.Clean` keeping a trailing slash (`http.Redirect`, `ServeMux`'s `cleanPath`).
pub(super) fn clean_keeping_slash(path: &str) -> String {
    let clean = clean_path(if path.is_empty() { "/" } else { path });
    if path.ends_with('/') && !clean.ends_with('/') {
        format!("{clean}/")
    } else {
        clean
    }
}

/// Go's `htmlEscape` (`net/http`).
pub(super) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// Go's `path.Clean`: the shortest equivalent path (`.` and `..` elements and repeated
/// slashes resolved; `/..` at the root is `/`; an empty result `.`).
pub(super) fn clean_path(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Go's `time.ParseDuration`, in nanoseconds, or its error's text.
pub(super) fn parse_duration(text: &str) -> Result<i128, String> {
    let invalid = || format!("time: invalid duration {}", quote(text));
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(invalid());
        }
        let unit_len = rest[number_len..].find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len() - number_len);
        let unit = &rest[number_len..number_len + unit_len];
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration {}", quote(text))),
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(format!("time: unknown unit {} in duration {}", quote(unit), quote(text))),
        };
        total += number.parse::<f64>().map_err(|_| invalid())? * scale;
        rest = &rest[number_len + unit_len..];
    }
    let nanos = total.round() as i128;
    Ok(if negative { -nanos } else { nanos })
}

/// Go's `time.Duration.String()`: `0s`; under a second in the largest of ns, µs, ms; else
/// `[Nh][Nm]N[.frac]s` (`1m30s`, `1h0m0s`, `1.5s`).
pub(super) fn format_duration(nanos: i128) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    if n == 0 {
        return "0s".into();
    }
    let decimal = |value: u128, unit: u128| {
        let frac = format!("{:0width$}", value % unit, width = unit.ilog10() as usize);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            (value / unit).to_string()
        } else {
            format!("{}.{frac}", value / unit)
        }
    };
    if n < 1_000 {
        return format!("{sign}{n}ns");
    }
    if n < 1_000_000 {
        return format!("{sign}{}\u{b5}s", decimal(n, 1_000));
    }
    if n < 1_000_000_000 {
        return format!("{sign}{}ms", decimal(n, 1_000_000));
    }
    let (hours, minutes) = (n / 3_600_000_000_000, n / 60_000_000_000 % 60);
    let seconds = decimal(n % 60_000_000_000, 1_000_000_000);
    match (hours, minutes) {
        (0, 0) => format!("{sign}{seconds}s"),
        (0, m) => format!("{sign}{m}m{seconds}s"),
        (h, m) => format!("{sign}{h}h{m}m{seconds}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_read_as_url_parse_query() {
        assert_eq!(query_value("msg=a+b%21&code=", "msg").as_deref(), Some("a b!"));
        assert_eq!(query_value("msg=a+b%21&code=", "code").as_deref(), Some(""));
        assert_eq!(query_value("x=%zz&x=2;y&x=3", "x").as_deref(), Some("3"), "bad escapes and `;` pairs skipped");
        assert_eq!(query_value("flag&msg=1", "flag").as_deref(), Some(""));
        assert_eq!(query_value("", "msg"), None);
    }

    #[test]
    fn json_strings_escape_as_encoding_json() {
        assert_eq!(json_string(b"a\"b\\c\n\t<&>\x01\x08"), r#""a\"b\\c\n\t\u003c\u0026\u003e\u0001\u0008""#);
        assert_eq!(json_string("\u{2028}é".as_bytes()), r#""\u2028é""#);
        assert_eq!(json_string(b"x\xff\xfey"), r#""x\ufffd\ufffdy""#);
        assert_eq!(json_strings(&[b"a".to_vec(), Vec::new()]), r#"["a",""]"#);
    }

    #[test]
    fn durations_parse_and_print_as_go_time() {
        for (text, shown) in
            [("0", "0s"), ("90s", "1m30s"), ("1.5s", "1.5s"), ("2h", "2h0m0s"), ("250ms", "250ms"), ("1h2m3.5s", "1h2m3.5s")]
        {
            assert_eq!(parse_duration(text).map(format_duration).as_deref(), Ok(shown), "{text}");
        }
        assert_eq!(parse_duration("5"), Err("time: missing unit in duration \"5\"".into()));
        assert_eq!(parse_duration("5x"), Err("time: unknown unit \"x\" in duration \"5x\"".into()));
        assert_eq!(parse_duration("abc"), Err("time: invalid duration \"abc\"".into()));
    }

    #[test]
    fn paths_clean_as_path_clean() {
        for (p, want) in [("/a/./b/../c//d", "/a/c/d"), ("/..", "/"), ("a/../..", ".."), ("", "."), ("//x/", "/x")] {
            assert_eq!(clean_path(p), want, "{p}");
        }
    }
}
