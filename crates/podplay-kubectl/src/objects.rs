//! `kubectl get ... -o yaml|json`: kubectl decodes the API's JSON into unstructured maps, so keys
//! come out sorted (Go map order in encoding/json and sigs.k8s.io/yaml); JSON is indented with
//! four spaces (cli-runtime `printers/json.go`). Virtual times become metav1.Time RFC3339 strings.

use std::fmt::Write as _;

use podplay_core::clock::Millis;
use podplay_core::model::Pod;
use serde_json::{Map, Value};

pub use podplay_core::api_json::{pod_value, rfc3339};

/// The kubelet's `--timestamps` format, `RFC3339NanoFixed` (nine fractional digits).
pub fn rfc3339_nano_fixed(t: Millis) -> String {
    let mut s = rfc3339(t);
    s.pop();
    format!("{s}.{:09}Z", (t % 1000) * 1_000_000)
}

fn to_json(v: &Value) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    serde::Serialize::serialize(v, &mut ser).expect("JSON values serialize");
    let mut s = String::from_utf8(buf).unwrap_or_default();
    s.push('\n');
    s
}

/// sigs.k8s.io/yaml (go-yaml v2) output: two-space indent, sequences not indented under their
/// key, double quotes for strings that would read back as another type.
fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => yaml_map(m, 0, &mut out),
        other => {
            out.push_str(&yaml_scalar(other));
            out.push('\n');
        }
    }
    out
}

/// How go-yaml v2 (sigs.k8s.io/yaml) writes a one-line string. `encode.go` stringv asks for
/// plain style when the text reads back as a string (`resolve`), double quotes otherwise; the
/// emitter (`yaml_emitter_select_scalar_style`) then falls back from plain to single quotes
/// when the text is not valid plain YAML (`: `, ` #`, a leading indicator, edge spaces), and to
/// double quotes when it holds characters YAML cannot print.
pub(crate) fn yaml_string(s: &str) -> String {
    if resolves_to_other_type(s) || s.chars().any(|c| !yaml_printable(c)) {
        return serde_json::to_string(s).unwrap_or_default();
    }
    if !block_plain_allowed(s) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    s.to_string()
}

/// yaml_emitter_analyze_scalar's printable set (a line break is handled by the literal style).
fn yaml_printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{10000}'..='\u{10FFFF}')
        || (('\u{E000}'..='\u{FFFD}').contains(&c) && c != '\u{FEFF}')
}

/// go-yaml v2 `resolve`: would the text, written plain, read back as null, a bool (YAML 1.1's
/// y/yes/on/off too), a number, a timestamp or a merge key? Also `isBase60Float`.
fn resolves_to_other_type(s: &str) -> bool {
    // A `match` on the text (its length first), not a scan of the words: this runs for every
    // key and string of every object printed.
    if matches!(
        s,
        "" | "~"
            | "null"
            | "Null"
            | "NULL"
            | "y"
            | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | "<<"
    ) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return false;
    }
    // (A copy without underscores only when there are any; a base-60 float has a colon.)
    let plain = if s.contains('_') { std::borrow::Cow::Owned(s.replace('_', "")) } else { std::borrow::Cow::Borrowed(s) };
    go_parse_int(&plain)
        || yaml_style_float(&plain)
        || (first.is_ascii_digit() && yaml_timestamp(s))
        || (s.contains(':') && base60_float(s))
}

/// strconv.ParseInt/ParseUint with base 0: sign, then 0x/0o/0b or a leading 0 (octal), digits.
fn go_parse_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (digits, radix) = match body.get(..2) {
        Some("0x") | Some("0X") => (&body[2..], 16),
        Some("0o") | Some("0O") => (&body[2..], 8),
        Some("0b") | Some("0B") => (&body[2..], 2),
        _ if body.len() > 1 && body.starts_with('0') => (&body[1..], 8),
        _ => (body, 10),
    };
    !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix))
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

/// The layouts go-yaml tries: `2006-1-2`, and that followed by `T`, `t` or a space and a time.
fn yaml_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut i = 5;
    for part in 0..2 {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        if i == start || (part == 0 && (i >= b.len() || b[i] != b'-')) {
            return false;
        }
        if part == 0 {
            i += 1;
        }
    }
    if i == b.len() {
        return true;
    }
    matches!(b[i], b'T' | b't' | b' ') && b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count() > 0 && b[i + 1..].contains(&b':')
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn base60_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    let mut parts = main.split(':');
    let head = parts.next().unwrap_or("");
    let head_ok = head.chars().next().is_some_and(|c| c.is_ascii_digit()) && head.chars().all(|c| c.is_ascii_digit() || c == '_');
    let rest: Vec<&str> = parts.collect();
    let sixty = |p: &&str| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()) && (p.len() == 1 || p.as_bytes()[0] <= b'5');
    head_ok && !rest.is_empty() && rest.iter().all(sixty) && frac.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit() || c == '_'))
}

/// yaml_emitter_analyze_scalar, block context: may the text be written plain?
fn block_plain_allowed(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    // Every indicator and blank is ASCII, and no byte of a longer UTF-8 character is: the
    // bytes tell what the characters would.
    let b = s.as_bytes();
    let blank_at = |i: usize| i >= b.len() || matches!(b[i], b' ' | b'\t' | b'\n');
    for (i, &c) in b.iter().enumerate() {
        let followed_by_blank = blank_at(i + 1);
        let indicator = if i == 0 {
            match c {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => true,
                b'?' | b':' | b'-' => followed_by_blank,
                _ => false,
            }
        } else {
            match c {
                b':' => followed_by_blank,
                b'#' => b[i - 1] == b' ' || b[i - 1] == b'\t',
                _ => false,
            }
        };
        if indicator {
            return false;
        }
    }
    true
}

fn yaml_scalar(v: &Value) -> String {
    let mut out = String::new();
    push_yaml_scalar(v, &mut out);
    out
}

/// [`yaml_scalar`] written onto `out`.
fn push_yaml_scalar(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => push_yaml_string(s, out),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// [`yaml_string`] written onto `out` (a plain one, the most, without a copy).
fn push_yaml_string(s: &str, out: &mut String) {
    // Most keys and values are a word of letters, digits and `-_./` that starts with a letter:
    // no indicator, nothing to read as a number or a timestamp, only the YAML 1.1 words
    // (`yes`, `on`, `null`...) to quote.
    let b = s.as_bytes();
    if b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'/'))
        && !resolves_to_other_type(s)
    {
        out.push_str(s);
        return;
    }
    // Printable ASCII is checked by bytes (most text is), other text by its characters.
    let printable = if s.is_ascii() { s.bytes().all(|b| b == b'\n' || (0x20..=0x7e).contains(&b)) } else { s.chars().all(yaml_printable) };
    if printable && !resolves_to_other_type(s) && block_plain_allowed(s) {
        out.push_str(s);
    } else {
        out.push_str(&yaml_string(s));
    }
}

fn push_indent(out: &mut String, indent: usize) {
    const SPACES: &str = "                                ";
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

fn yaml_value_after_key(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            yaml_map(m, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            yaml_seq(a, indent, out);
        }
        Value::String(s) if s.contains('\n') => {
            out.push(' ');
            yaml_literal(s, indent + 2, out);
        }
        other => {
            out.push(' ');
            push_yaml_scalar(other, out);
            out.push('\n');
        }
    }
}

fn yaml_map(m: &Map<String, Value>, indent: usize, out: &mut String) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !out.ends_with("- ") {
            push_indent(out, indent);
        }
        push_yaml_string(k, out);
        out.push(':');
        yaml_value_after_key(v, indent, out);
    }
}

/// A multi-line string as a literal block (`|` keeps the final line break, `|-` strips it),
/// its lines at `indent`; the caller has written what precedes the indicator.
fn yaml_literal(s: &str, indent: usize, out: &mut String) {
    out.push_str(if s.ends_with('\n') { "|\n" } else { "|-\n" });
    for line in s.trim_end_matches('\n').split('\n') {
        if !line.is_empty() {
            push_indent(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn yaml_seq(a: &[Value], indent: usize, out: &mut String) {
    for item in a {
        push_indent(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => yaml_map(m, indent + 2, out),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                yaml_seq(inner, indent + 2, out);
            }
            // A multi-line item (`sh -c` scripts) is a literal block in a sequence too.
            Value::String(s) if s.contains('\n') => yaml_literal(s, indent + 2, out),
            other => {
                push_yaml_scalar(other, out);
                out.push('\n');
            }
        }
    }
}

/// The `status:` part of `kubectl get pod NAME -o yaml` (its last top-level key), for the
/// page's status pane.
pub fn pod_status_yaml(pod: &Pod) -> String {
    let doc = pods_document(&[pod], true, false);
    match doc.find("\nstatus:") {
        Some(i) => doc[i + 1..].to_string(),
        None => doc,
    }
}

/// One pod (`get pod NAME -o yaml`) or a `List` of them.
pub fn pods_document(pods: &[&Pod], single: bool, json: bool) -> String {
    objects_document(pods, single, json, |p| pod_value(p))
}

/// One object (`get KIND NAME -o yaml|json`) or a `List` of them, each item's API object from
/// `value`. A YAML list is written an item at a time (thousands of pods' values held at once
/// cost more than writing them).
pub fn objects_document<T>(items: &[T], single: bool, json: bool, value: impl Fn(&T) -> Value) -> String {
    objects_document_at(items.len(), single, json, &|i| value(&items[i]))
}

/// [`objects_document`] of `len` objects, the `i`th `value(i)` (one copy for every kind).
pub(crate) fn objects_document_at(len: usize, single: bool, json: bool, value: &dyn Fn(usize) -> Value) -> String {
    if !json && !single && len > 0 {
        let mut out = String::from("apiVersion: v1\nitems:\n");
        for i in 0..len {
            yaml_seq(std::slice::from_ref(&value(i)), 0, &mut out);
        }
        out.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
        return out;
    }
    let v = objects_value_at(len, single, value);
    if json {
        to_json(&v)
    } else {
        to_yaml(&v)
    }
}

/// What `get pods` hands its printers: one pod's API object (`get pod NAME`) or a `v1` `List`
/// of them.
pub fn pods_value(pods: &[&Pod], single: bool) -> Value {
    objects_value(pods, single, |p| pod_value(p))
}

/// What `get` hands its printers: one object's API object (`get KIND NAME`) or a `v1` `List`
/// of them (kubectl's printGeneric, `metadata.resourceVersion` empty).
pub fn objects_value<T>(items: &[T], single: bool, value: impl Fn(&T) -> Value) -> Value {
    objects_value_at(items.len(), single, &|i| value(&items[i]))
}

/// [`objects_value`] of `len` objects, the `i`th `value(i)` (one copy for every kind).
pub(crate) fn objects_value_at(len: usize, single: bool, value: &dyn Fn(usize) -> Value) -> Value {
    if single && len == 1 {
        return value(0);
    }
    let mut list = Map::new();
    list.insert("apiVersion".into(), Value::String("v1".into()));
    list.insert("items".into(), Value::Array((0..len).map(value).collect()));
    list.insert("kind".into(), Value::String("List".into()));
    list.insert("metadata".into(), serde_json::json!({"resourceVersion": ""}));
    Value::Object(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A string written onto a document (with its shortcuts: a plain word, printable ASCII) is
    /// what [`yaml_string`] says of it.
    #[test]
    fn a_string_pushed_is_the_string_yaml_writes() {
        let texts = [
            "",
            "a",
            "nginx",
            "web-7d4b9c-x2x9z",
            "kube-root-ca.crt",
            "app.kubernetes.io/name",
            "y",
            "Yes",
            "NO",
            "on",
            "Off",
            "null",
            "~",
            "true",
            "FALSE",
            ".inf",
            "-.Inf",
            ".nan",
            "<<",
            "0",
            "10",
            "0x1F",
            "0o17",
            "0b101",
            "012",
            "1_000",
            "1e3",
            "+1.5",
            ".5",
            "1.",
            "2026-12-07",
            "2026-12-07T10:00:00Z",
            "1:30",
            "1:30.5",
            "190:20:30",
            "10.244.0.5",
            "80/TCP",
            "nginx:1.26",
            "a: b",
            "a #b",
            "a#b",
            "- x",
            "-x",
            "? x",
            ": x",
            "#x",
            "'q'",
            "\"q\"",
            "&a",
            "*a",
            "!t",
            "|",
            ">",
            "%x",
            "@x",
            "`x",
            "---",
            "...x",
            " lead",
            "trail ",
            "tab\there",
            "é",
            "\u{85}x",
            "\u{FEFF}",
            "\u{7F}",
            "line\nbreak",
            "cb77f060-522c-483e-adf3-2ac372caaa6a",
            "Z",
            "_x",
            "x_y",
            "sh",
            "-c",
        ];
        for text in texts {
            let mut out = String::from("k: ");
            push_yaml_string(text, &mut out);
            assert_eq!(out, format!("k: {}", yaml_string(text)), "{text:?}");
        }
    }

    /// The list written a pod at a time is the list's value written whole.
    #[test]
    fn a_pod_list_in_yaml_is_written_as_its_value() {
        let text = include_str!("../../../tests/scenarios/service-traffic.yaml");
        let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: text.into() }]).unwrap();
        let mut engine = crate::new_engine(&m).unwrap();
        engine.run_until(90_000);
        let pods: Vec<&Pod> = engine.pods().collect();
        assert!(pods.len() >= 3);
        assert_eq!(pods_document(&pods, false, false), to_yaml(&pods_value(&pods, false)));
        assert_eq!(pods_document(&[], false, false), to_yaml(&pods_value(&[], false)));
    }
}
