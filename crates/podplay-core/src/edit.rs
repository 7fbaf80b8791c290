//! Editing scenario text the way a person would: [`add_step`] inserts a step into the
//! `podplay.dev/v1alpha1` `Scenario` of a YAML stream (the page's terminal turns each command
//! that changes the cluster into one), keeping every other byte — comments, quoting, layout —
//! as it was.
//!
//! The positions come from libyaml's event stream (the parser serde_yaml itself uses), so the
//! edit follows the YAML structure: block or flow style, indentless sequences, `List` items,
//! several documents.

use std::mem::MaybeUninit;

use unsafe_libyaml as unsafe_sys;

use crate::clock::{parse_duration, Millis};
use crate::source::{Diagnostic, SourceFile};

const SCENARIO_API_VERSION: &str = "podplay.dev/v1alpha1";

/// Adds the step `{at, run[, manifest]}` to the first `Scenario` document of `text` (also one
/// inside a `List`), after the steps whose `at` is not later, so steps stay sorted by time. Without
/// a `spec.steps` key (or a `spec`), it adds them; without a Scenario, it appends a `---`
/// Scenario document. `at` is written as Go prints a duration (`1m40s`, `2m0.5s`).
pub fn add_step(text: &str, file_name: &str, at: Millis, run: &str, manifest: Option<&str>) -> Result<String, Diagnostic> {
    let docs = parse_stream(text, file_name)?;
    let target = docs.iter().find_map(scenario_in);
    let edits = match target {
        Some(scenario) => edits_for_scenario(text, file_name, scenario, at, run, manifest)?,
        None => vec![new_scenario_document(text, file_name, at, run, manifest)],
    };
    let mut out = text.to_string();
    let mut edits = edits;
    podplay_k8s_util::sort::sort_by_key(&mut edits, |e| std::cmp::Reverse(e.at));
    for e in edits {
        out.replace_range(e.at..e.at + e.remove, &e.insert);
    }
    check_added(&out, file_name, at, run, manifest)?;
    Ok(out)
}

/// [`add_step`] over several files: the step goes to the first file holding a Scenario, else a
/// new Scenario document is appended to the last file. Returns the file's index and new text.
pub fn add_step_to_files(files: &[SourceFile], at: Millis, run: &str, manifest: Option<&str>) -> Result<(usize, String), Diagnostic> {
    let mut holder = None;
    for (i, f) in files.iter().enumerate() {
        if parse_stream(&f.text, &f.name)?.iter().any(|d| scenario_in(d).is_some()) {
            holder = Some(i);
            break;
        }
    }
    let Some(i) = holder.or(files.len().checked_sub(1)) else {
        return Err(Diagnostic {
            file: String::new(),
            line: 1,
            column: 1,
            path: None,
            message: "no file to add the step to".into(),
            status_reason: None,
        });
    };
    Ok((i, add_step(&files[i].text, &files[i].name, at, run, manifest)?))
}

// ---- the documents as kubectl reads them ----

/// Every document of `text` as kubectl reads a manifest: sigs.k8s.io/yaml's `YAMLToJSON` (over
/// go-yaml v2, whose plain scalars resolve as YAML 1.1 does: `0644` is the octal 420, `1_000`
/// is 1000, `yes` and `on` are true, `~` is null) and then the JSON decoded into unstructured
/// (a whole number is an integer). Quoted and block scalars are strings. A document with an
/// alias or a merge key is read by serde_yaml instead (YAML 1.2's plain scalars). Empty
/// documents are left out.
pub fn go_yaml_documents(text: &str) -> Result<Vec<serde_json::Value>, String> {
    let docs = parse_stream(text, "manifest").map_err(|d| d.message)?;
    let mut out = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let value = if has_alias_or_merge(doc) {
            let parsed: Vec<serde_json::Value> = serde_yaml::Deserializer::from_str(text)
                .map(|d| <serde_json::Value as serde::Deserialize>::deserialize(d).map_err(|e| e.to_string()))
                .collect::<Result<_, _>>()?;
            parsed.into_iter().nth(i).unwrap_or(serde_json::Value::Null)
        } else {
            go_yaml_value(doc)
        };
        if !value.is_null() {
            out.push(value);
        }
    }
    Ok(out)
}

fn has_alias_or_merge(node: &Node) -> bool {
    match &node.kind {
        Kind::Alias => true,
        Kind::Scalar { .. } => false,
        Kind::Seq { items, .. } => items.iter().any(has_alias_or_merge),
        Kind::Map { entries, .. } => {
            entries.iter().any(|(k, v)| k.scalar() == Some("<<") || has_alias_or_merge(k) || has_alias_or_merge(v))
        }
    }
}

fn go_yaml_value(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        Kind::Scalar { value, plain: true } => resolve_plain(value),
        Kind::Scalar { value, plain: false } => Value::String(value.clone()),
        Kind::Alias => Value::Null,
        Kind::Seq { items, .. } => Value::Array(items.iter().map(go_yaml_value).collect()),
        Kind::Map { entries, .. } => {
            let mut map = serde_json::Map::new();
            for (k, v) in entries {
                // sigs.k8s.io/yaml writes a key that is not a string as its text.
                let key = match go_yaml_value(k) {
                    Value::String(s) => s,
                    Value::Null => "null".to_string(),
                    other => other.to_string(),
                };
                map.insert(key, go_yaml_value(v));
            }
            Value::Object(map)
        }
    }
}

/// go-yaml v2's `resolve` of a plain scalar, as the JSON kubectl decodes from it.
fn resolve_plain(text: &str) -> serde_json::Value {
    use serde_json::Value;
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => return Value::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => return Value::Bool(false),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Value::String(text.to_string());
    }
    let plain = text.replace('_', "");
    // strconv.ParseInt(plain, 0, 64): a sign, then 0x, 0o, 0b or a leading 0 (octal).
    let (negative, digits) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let lower = digits.to_ascii_lowercase();
    let (base, body) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if !body.is_empty() && body.chars().all(|c| c.is_digit(base)) {
        if let Ok(n) = u64::from_str_radix(body, base) {
            return match (negative, i64::try_from(n)) {
                (false, Ok(n)) => Value::from(n),
                (false, Err(_)) => Value::from(n),
                (true, _) if n <= i64::MAX as u64 + 1 => Value::from((n as i128).wrapping_neg() as i64),
                (true, _) => Value::String(text.to_string()),
            };
        }
    }
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN" | ".NAN" => {
            // JSON has no such numbers: sigs.k8s.io/yaml fails on them; kept as text here.
            return Value::String(text.to_string());
        }
        _ => {}
    }
    // yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
    let is_float = {
        let b = plain.strip_prefix(['-', '+']).unwrap_or(&plain);
        let (mantissa, exponent) = match b.find(['e', 'E']) {
            Some(i) => (&b[..i], Some(&b[i + 1..])),
            None => (b, None),
        };
        let mantissa_ok = match mantissa.split_once('.') {
            Some(("", frac)) => !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit()),
            Some((int, frac)) => !int.is_empty() && int.bytes().all(|c| c.is_ascii_digit()) && frac.bytes().all(|c| c.is_ascii_digit()),
            None => !mantissa.is_empty() && mantissa.bytes().all(|c| c.is_ascii_digit()),
        };
        let exponent_ok = exponent.is_none_or(|e| {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
        });
        mantissa_ok && exponent_ok
    };
    if is_float {
        if let Ok(f) = plain.parse::<f64>() {
            // Decoded from JSON into unstructured, a whole number is an int64.
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                return Value::from(f as i64);
            }
            if let Some(n) = serde_json::Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    Value::String(text.to_string())
}

// ---- the YAML tree, with byte positions ----

#[derive(Debug)]
struct Node {
    /// Byte offsets of the node in the text (`end` exclusive).
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Scalar { value: String, plain: bool },
    Seq { flow: bool, items: Vec<Node> },
    Map { flow: bool, entries: Vec<(Node, Node)> },
    Alias,
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map { entries, .. } => entries.iter().find(|(k, _)| k.scalar() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }
    fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }
    fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { value, plain: true } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }
    /// Where the node's own text ends: for a block collection, the end of its last child (libyaml
    /// ends a block collection at the next token, past any comments that follow it).
    fn content_end(&self) -> usize {
        match &self.kind {
            Kind::Seq { flow: false, items } => items.last().map_or(self.end, Node::content_end),
            Kind::Map { flow: false, entries } => entries.last().map_or(self.end, |(_, v)| v.content_end()),
            _ => self.end,
        }
    }
}

struct Event {
    kind: unsafe_sys::yaml_event_type_t,
    start: unsafe_sys::yaml_mark_t,
    end: unsafe_sys::yaml_mark_t,
    value: String,
    plain: bool,
    flow: bool,
}

/// Every document of `text` as a tree. A syntax error becomes serde_yaml's diagnostic (the same
/// parser, so the same message the loader gives).
fn parse_stream(text: &str, file_name: &str) -> Result<Vec<Node>, Diagnostic> {
    for doc in serde_yaml::Deserializer::from_str(text) {
        if let Err(e) = <serde_yaml::Value as serde::Deserialize>::deserialize(doc) {
            let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
            let message = e.to_string();
            let message = message.find(" at line ").map_or(message.clone(), |i| message[..i].to_string());
            return Err(Diagnostic { file: file_name.into(), line, column, path: None, message, status_reason: None });
        }
    }
    let events = events(text).map_err(|message| Diagnostic {
        file: file_name.into(),
        line: 1,
        column: 1,
        path: None,
        message,
        status_reason: None,
    })?;
    let mut it = events.into_iter().peekable();
    let mut docs = Vec::new();
    while let Some(e) = it.next() {
        if e.kind == unsafe_sys::YAML_DOCUMENT_START_EVENT {
            docs.push(build(&mut it)?);
        }
    }
    Ok(docs)
}

fn build(it: &mut std::iter::Peekable<std::vec::IntoIter<Event>>) -> Result<Node, Diagnostic> {
    let e = it.next().expect("libyaml closes what it opens");
    let node = |kind, end: &unsafe_sys::yaml_mark_t| Node {
        start: e.start.index as usize,
        end: end.index as usize,
        line: e.start.line as usize,
        column: e.start.column as usize,
        kind,
    };
    Ok(match e.kind {
        unsafe_sys::YAML_SCALAR_EVENT => node(Kind::Scalar { value: e.value.clone(), plain: e.plain }, &e.end),
        unsafe_sys::YAML_ALIAS_EVENT => node(Kind::Alias, &e.end),
        unsafe_sys::YAML_SEQUENCE_START_EVENT => {
            let mut items = Vec::new();
            while it.peek().is_some_and(|n| n.kind != unsafe_sys::YAML_SEQUENCE_END_EVENT) {
                items.push(build(it)?);
            }
            let end = it.next().expect("sequence end").end;
            node(Kind::Seq { flow: e.flow, items }, &end)
        }
        unsafe_sys::YAML_MAPPING_START_EVENT => {
            let mut entries = Vec::new();
            while it.peek().is_some_and(|n| n.kind != unsafe_sys::YAML_MAPPING_END_EVENT) {
                let k = build(it)?;
                let v = build(it)?;
                entries.push((k, v));
            }
            let end = it.next().expect("mapping end").end;
            node(Kind::Map { flow: e.flow, entries }, &end)
        }
        _ => unreachable!("a node starts with a scalar, alias, sequence or mapping event"),
    })
}

/// libyaml's events for `text`, with positions (byte index, 0-based line and column).
fn events(text: &str) -> Result<Vec<Event>, String> {
    let mut out = Vec::new();
    // SAFETY: the parser lives in a Box (it must not move once initialised), reads `text`, which
    // outlives it, and is deleted before return; every event is copied out and deleted.
    unsafe {
        let mut parser: Box<MaybeUninit<unsafe_sys::yaml_parser_t>> = Box::new(MaybeUninit::uninit());
        let p = parser.as_mut_ptr();
        if unsafe_sys::yaml_parser_initialize(p).fail {
            return Err("cannot initialise the YAML parser".into());
        }
        unsafe_sys::yaml_parser_set_encoding(p, unsafe_sys::YAML_UTF8_ENCODING);
        unsafe_sys::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64);
        let result = loop {
            let mut event = MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
            let ev = event.as_mut_ptr();
            if unsafe_sys::yaml_parser_parse(p, ev).fail {
                break Err("the YAML does not parse".to_string());
            }
            let e = &*ev;
            let (value, plain) = if e.type_ == unsafe_sys::YAML_SCALAR_EVENT {
                let bytes = std::slice::from_raw_parts(e.data.scalar.value, e.data.scalar.length as usize);
                (String::from_utf8_lossy(bytes).into_owned(), e.data.scalar.style == unsafe_sys::YAML_PLAIN_SCALAR_STYLE)
            } else {
                (String::new(), false)
            };
            let flow = match e.type_ {
                unsafe_sys::YAML_SEQUENCE_START_EVENT => e.data.sequence_start.style == unsafe_sys::YAML_FLOW_SEQUENCE_STYLE,
                unsafe_sys::YAML_MAPPING_START_EVENT => e.data.mapping_start.style == unsafe_sys::YAML_FLOW_MAPPING_STYLE,
                _ => false,
            };
            let done = e.type_ == unsafe_sys::YAML_STREAM_END_EVENT;
            out.push(Event { kind: e.type_, start: e.start_mark, end: e.end_mark, value, plain, flow });
            unsafe_sys::yaml_event_delete(ev);
            if done {
                break Ok(());
            }
        };
        unsafe_sys::yaml_parser_delete(p);
        result.map(|()| out)
    }
}

/// The Scenario mapping of a document: the document itself, or the first Scenario item of a `List`.
fn scenario_in(doc: &Node) -> Option<&Node> {
    let is = |n: &Node| {
        n.get("kind").and_then(Node::scalar) == Some("Scenario") && n.get("apiVersion").and_then(Node::scalar) == Some(SCENARIO_API_VERSION)
    };
    if is(doc) {
        return Some(doc);
    }
    if doc.get("kind").and_then(Node::scalar) == Some("List") {
        if let Some(Node { kind: Kind::Seq { items, .. }, .. }) = doc.get("items") {
            return items.iter().find(|i| is(i));
        }
    }
    None
}

// ---- the edit ----

struct Edit {
    at: usize,
    remove: usize,
    insert: String,
}

fn insert(at: usize, text: String) -> Edit {
    Edit { at, remove: 0, insert: text }
}

/// Whole lines inserted at `at`, a line start or the end of a text whose last line may lack its
/// line break (then it gets one first).
fn insert_lines(text: &str, at: usize, lines: String) -> Edit {
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        return insert(at, format!("\n{lines}"));
    }
    insert(at, lines)
}

fn diag(file: &str, node: &Node, path: &str, message: &str) -> Diagnostic {
    Diagnostic {
        file: file.into(),
        line: node.line + 1,
        column: node.column + 1,
        path: Some(path.into()),
        message: format!("{path}: {message}"),
        status_reason: None,
    }
}

/// The step as YAML values: `at`, `run` and, when given, `manifest`.
struct StepText<'a> {
    at: String,
    run: &'a str,
    manifest: Option<&'a str>,
}

impl StepText<'_> {
    /// `{at: 1m40s, run: ...}`.
    fn flow(&self) -> String {
        let mut s = format!("{{at: {}, run: {}", self.at, scalar(self.run, true));
        if let Some(m) = self.manifest {
            s.push_str(&format!(", manifest: {}", json_string(m)));
        }
        s.push('}');
        s
    }
    /// A block sequence item whose dash is at `dash` and keys at `key` (columns).
    fn block(&self, dash: usize, key: usize) -> String {
        let pad = " ".repeat(key);
        let mut s = format!(
            "{}-{}at: {}\n{pad}run: {}\n",
            " ".repeat(dash),
            " ".repeat(key.saturating_sub(dash + 1).max(1)),
            self.at,
            scalar(self.run, false)
        );
        if let Some(m) = self.manifest {
            if m.lines().all(|l| !l.starts_with(' ') || !l.trim().is_empty()) && !m.starts_with([' ', '\n']) {
                s.push_str(&format!("{pad}manifest: |{}\n", if m.ends_with('\n') { "" } else { "-" }));
                for l in m.lines() {
                    if l.is_empty() {
                        s.push('\n');
                    } else {
                        s.push_str(&format!("{pad}  {l}\n"));
                    }
                }
            } else {
                s.push_str(&format!("{pad}manifest: {}\n", json_string(m)));
            }
        }
        s
    }
}

fn edits_for_scenario(
    text: &str,
    file: &str,
    scenario: &Node,
    at: Millis,
    run: &str,
    manifest: Option<&str>,
) -> Result<Vec<Edit>, Diagnostic> {
    let step = StepText { at: go_duration(at), run, manifest };
    let Kind::Map { flow, entries } = &scenario.kind else { unreachable!("scenario_in returns mappings") };
    let Some(spec) = scenario.get("spec") else {
        if *flow {
            return Ok(vec![flow_append(text, scenario, entries.last().map(|(_, v)| v), &format!("spec: {{steps: [{}]}}", step.flow()))]);
        }
        let col = scenario.column;
        let block = format!("{}spec:\n{}steps:\n{}", " ".repeat(col), " ".repeat(col + 2), step.block(col + 2, col + 4));
        return Ok(vec![insert_lines(text, line_after(text, scenario.content_end()), block)]);
    };
    if spec.is_null() {
        return Ok(fill_null(
            text,
            scenario,
            "spec",
            spec,
            |col| format!("{}steps:\n{}", " ".repeat(col + 2), step.block(col + 2, col + 4)),
            &format!("{{steps: [{}]}}", step.flow()),
        ));
    }
    let Kind::Map { flow: spec_flow, entries: spec_entries } = &spec.kind else {
        return Err(diag(file, spec, "spec", "must be a mapping"));
    };
    let Some(steps) = spec.get("steps") else {
        if *spec_flow {
            return Ok(vec![flow_append(text, spec, spec_entries.last().map(|(_, v)| v), &format!("steps: [{}]", step.flow()))]);
        }
        let col = spec.column;
        let block = format!("{}steps:\n{}", " ".repeat(col), step.block(col, col + 2));
        return Ok(vec![insert_lines(text, line_after(text, spec.content_end()), block)]);
    };
    if steps.is_null() {
        return Ok(fill_null(text, spec, "steps", steps, |col| step.block(col, col + 2), &format!("[{}]", step.flow())));
    }
    let Kind::Seq { flow: steps_flow, items } = &steps.kind else {
        return Err(diag(file, steps, "spec.steps", "must be a list of steps (- at: ..., run: ...)"));
    };
    // After every step that is not later than this one: steps stay sorted, and a step at the same
    // time runs after those already there (the order the engine runs them in).
    let index = items
        .iter()
        .rposition(|i| i.get("at").and_then(Node::scalar).and_then(|s| parse_duration(s).ok()).is_some_and(|t| t <= at))
        .map_or(0, |i| i + 1);
    if *steps_flow {
        return Ok(vec![match (index, items.len()) {
            (_, 0) => insert(steps.start + 1, step.flow()),
            (0, _) => insert(items[0].start, format!("{}, ", step.flow())),
            (i, _) => insert(items[i - 1].end, format!(", {}", step.flow())),
        }]);
    }
    let dash = steps.column;
    let key = items.first().filter(|i| matches!(i.kind, Kind::Map { flow: false, .. })).map_or(dash + 2, |i| i.column);
    let block = step.block(dash, key);
    Ok(vec![if index == 0 {
        insert(dash_line_start(text, items[0].start), block)
    } else {
        insert_lines(text, line_after(text, items[index - 1].content_end()), block)
    }])
}

/// A `key:` whose value is empty or null gets a value: block text on the following lines, or the
/// flow text in place of an explicit `~`/`null` in a flow mapping.
fn fill_null(text: &str, map: &Node, key: &str, value: &Node, block: impl Fn(usize) -> String, flow: &str) -> Vec<Edit> {
    let key_node = match &map.kind {
        Kind::Map { entries, .. } => &entries.iter().find(|(k, _)| k.scalar() == Some(key)).expect("the key is there").0,
        _ => unreachable!(),
    };
    if matches!(map.kind, Kind::Map { flow: true, .. }) {
        return vec![if value.end > value.start {
            Edit { at: value.start, remove: value.end - value.start, insert: flow.to_string() }
        } else {
            insert(key_node.end + 1, format!(" {flow}"))
        }];
    }
    let after = if value.end > value.start { value.end } else { key_node.end };
    let mut edits = vec![insert_lines(text, line_after(text, after), block(key_node.column))];
    if value.end > value.start {
        // `steps: ~` → `steps:` and the items below.
        let before = text[..value.start].trim_end_matches([' ', '\t']).len();
        edits.push(Edit { at: before, remove: value.end - before, insert: String::new() });
    }
    edits
}

/// `, key: value` after a flow mapping's last value (or `key: value` inside an empty `{}`).
fn flow_append(text: &str, map: &Node, last: Option<&Node>, entry: &str) -> Edit {
    match last {
        Some(v) => insert(v.end, format!(", {entry}")),
        None => insert(text[..map.end].rfind('}').unwrap_or(map.end), entry.to_string()),
    }
}

/// The start of the line after the one holding byte `pos` — or `pos` itself when only
/// indentation precedes it on its line (a block scalar ends there). Adds no line break: the
/// last line without one gets it from [`insert_lines`].
fn line_after(text: &str, pos: usize) -> usize {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..pos].trim().is_empty() {
        return line_start;
    }
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

/// The start of the line holding a block sequence item's dash (the line above when the item's
/// content starts on the line after a lone `-`).
fn dash_line_start(text: &str, item_start: usize) -> usize {
    let line_start = text[..item_start].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..item_start].trim_start().starts_with('-') || line_start == 0 {
        return line_start;
    }
    text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1)
}

fn new_scenario_document(text: &str, file: &str, at: Millis, run: &str, manifest: Option<&str>) -> Edit {
    let step = StepText { at: go_duration(at), run, manifest };
    let name = file.rsplit('/').next().unwrap_or(file).split('.').next().filter(|s| !s.is_empty()).unwrap_or("scenario");
    let mut s = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        s.push('\n');
    }
    if !text.trim().is_empty() {
        s.push_str("---\n");
    }
    s.push_str(&format!(
        "apiVersion: {SCENARIO_API_VERSION}\nkind: Scenario\nmetadata:\n  name: {}\nspec:\n  steps:\n{}",
        scalar(name, false),
        step.block(2, 4)
    ));
    insert(text.len(), s)
}

/// Go's `time.Duration.String` of a virtual time, as the scenarios write `at`.
fn go_duration(at: Millis) -> String {
    podplay_k8s_util::duration::go_duration_string(at as i64 * 1_000_000)
}

/// A YAML scalar for `s`: plain when that reads back as the same string, else quoted.
fn scalar(s: &str, flow: bool) -> String {
    let indicators = ['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`'];
    let plain_ok = !s.is_empty()
        && s.trim() == s
        && !s.starts_with(indicators)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(char::is_control)
        && !(flow && s.contains([',', '[', ']', '{', '}']))
        && serde_yaml::from_str::<serde_yaml::Value>(s).ok().and_then(|v| v.as_str().map(str::to_string)).as_deref() == Some(s);
    if plain_ok {
        s.to_string()
    } else if !s.contains('\'') && !s.chars().any(char::is_control) {
        format!("'{s}'")
    } else {
        json_string(s)
    }
}

/// A double-quoted YAML scalar (a JSON string is one).
fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The edited text must hold the step where it was meant to go: a Scenario whose steps include
/// `{at, run, manifest}`. Guards against an edit that the structure did not allow.
fn check_added(out: &str, file: &str, at: Millis, run: &str, manifest: Option<&str>) -> Result<(), Diagnostic> {
    let failed = |message: String| Diagnostic {
        file: file.into(),
        line: 1,
        column: 1,
        path: Some("spec.steps".into()),
        message,
        status_reason: None,
    };
    let docs =
        parse_stream(out, file).map_err(|d| failed(format!("adding the step would break the YAML ({}); add it by hand", d.message)))?;
    let found = docs.iter().filter_map(scenario_in).any(|s| {
        let Some(Node { kind: Kind::Seq { items, .. }, .. }) = s.get("spec").and_then(|s| s.get("steps")) else { return false };
        items.iter().any(|i| {
            i.get("run").and_then(Node::scalar) == Some(run)
                && i.get("at").and_then(Node::scalar).and_then(|s| parse_duration(s).ok()) == Some(at)
                && i.get("manifest").and_then(Node::scalar).map(|m| m.trim_end()) == manifest.map(str::trim_end)
        })
    });
    if found {
        Ok(())
    } else {
        Err(failed("could not add the step to the Scenario's spec.steps; add it by hand".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str =
        "# a pod\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p # inline comment\nspec:\n  containers:\n  - name: c\n    image: nginx\n";

    fn add(text: &str, at_s: u64, run: &str) -> String {
        add_step(text, "pod.yaml", at_s * 1000, run, None).unwrap_or_else(|d| panic!("{d}"))
    }

    fn steps_of(text: &str) -> Vec<(Millis, String)> {
        let m = crate::load(&[SourceFile { name: "t.yaml".into(), text: text.into() }]).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
        m.objects
            .iter()
            .filter_map(|(o, _)| match o {
                crate::source::Object::Scenario(s) => Some(s.spec.steps.iter().map(|s| (s.at, s.run.clone())).collect::<Vec<_>>()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn documents_as_go_yaml_reads_them() {
        let docs = go_yaml_documents("a: 0644\nb: '0644'\nc: 1_000\nd: yes\ne: 1.0\nf: 1.5\ng: ~\nh: 0x1F\ni: -12\nj: 2024-01-01\nk: \"yes\"\n80: x\n---\n---\nx: [on, off]\n").unwrap();
        assert_eq!(
            docs,
            [
                serde_json::json!({"a": 420, "b": "0644", "c": 1000, "d": true, "e": 1, "f": 1.5, "g": null, "h": 31, "i": -12, "j": "2024-01-01", "k": "yes", "80": "x"}),
                serde_json::json!({"x": [true, false]})
            ]
        );
        // An alias: serde_yaml's reading.
        assert_eq!(go_yaml_documents("a: &x 1\nb: *x\n").unwrap(), [serde_json::json!({"a": 1, "b": 1})]);
    }

    #[test]
    fn no_scenario_appends_a_document() {
        let out = add(POD, 100, "kubectl delete pod p");
        assert!(out.starts_with(POD), "the text before is kept byte for byte");
        assert_eq!(&out[POD.len()..], "---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: pod\nspec:\n  steps:\n  - at: 1m40s\n    run: kubectl delete pod p\n");
        assert_eq!(steps_of(&out), vec![(100_000, "kubectl delete pod p".to_string())]);
        // No final newline, and an empty editor.
        let out = add(POD.trim_end(), 5, "kubectl delete pod p");
        assert!(out.starts_with(&format!("{}\n---\n", POD.trim_end())));
        assert_eq!(steps_of(&add("", 5, "podplay node disconnect node-1")), vec![(5000, "podplay node disconnect node-1".into())]);
    }

    #[test]
    fn scenario_with_steps_keeps_them_sorted() {
        let text = format!("{POD}---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec:\n  steps:\n  # first\n  - at: 100s\n    run: kubectl exec p -- rm /x\n  - at: 220s   # later\n    run: kubectl exec p -- touch /x\n# trailing comment\n");
        let out = add(&text, 150, "kubectl label pod p a=b");
        assert_eq!(
            out,
            text.replace(
                "    run: kubectl exec p -- rm /x\n",
                "    run: kubectl exec p -- rm /x\n  - at: 2m30s\n    run: kubectl label pod p a=b\n"
            )
        );
        let out = add(&text, 10, "kubectl label pod p a=b");
        assert_eq!(out, text.replace("  - at: 100s\n", "  - at: 10s\n    run: kubectl label pod p a=b\n  - at: 100s\n"));
        let out = add(&text, 300, "kubectl delete pod p");
        assert_eq!(
            out,
            text.replace(
                "    run: kubectl exec p -- touch /x\n",
                "    run: kubectl exec p -- touch /x\n  - at: 5m0s\n    run: kubectl delete pod p\n"
            )
        );
        // Same time: after the step already there.
        let out = add(&text, 100, "kubectl delete pod p");
        let steps = steps_of(&out);
        assert_eq!(steps[1], (100_000, "kubectl delete pod p".into()));
        assert_eq!(steps.len(), 3);
    }

    #[test]
    fn indented_sequence_and_block_scalar_manifest() {
        let text = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n    steps:\n      -   at: 30s\n          run: kubectl apply -f -\n          manifest: |\n            apiVersion: v1\n            kind: Service\n            metadata: {name: s}\n\n";
        let out =
            add_step(text, "s.yaml", 60_000, "kubectl apply -f -", Some("apiVersion: v1\nkind: Node\nmetadata: {name: n2}\n")).unwrap();
        assert!(out.starts_with(text.trim_end()), "{out}");
        assert!(out.ends_with("      -   at: 1m0s\n          run: kubectl apply -f -\n          manifest: |\n            apiVersion: v1\n            kind: Node\n            metadata: {name: n2}\n"), "{out}");
        let m = crate::load(&[SourceFile { name: "s".into(), text: out }]).unwrap();
        let crate::source::Object::Scenario(s) = &m.objects[0].0 else { panic!() };
        assert_eq!(s.spec.steps[1].manifest.as_deref(), Some("apiVersion: v1\nkind: Node\nmetadata: {name: n2}\n"));
    }

    #[test]
    fn scenario_without_steps_key() {
        let text =
            "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\nspec:\n  kubernetesVersion: \"1.22\" # old\n# after\n";
        let out = add(text, 90, "kubectl cordon node-1");
        assert_eq!(out, "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\nspec:\n  kubernetesVersion: \"1.22\" # old\n  steps:\n  - at: 1m30s\n    run: kubectl cordon node-1\n# after\n");
        // No spec at all; an empty `steps:`; `steps: []`.
        let out = add("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s", 1, "kubectl cordon node-1");
        assert_eq!(out, "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\nspec:\n  steps:\n  - at: 1s\n    run: kubectl cordon node-1\n");
        let out = add("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n  steps:\n# none yet\n", 1, "kubectl cordon node-1");
        assert_eq!(
            out,
            "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n  steps:\n  - at: 1s\n    run: kubectl cordon node-1\n# none yet\n"
        );
        let out = add("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n  steps: ~\n", 1, "kubectl cordon node-1");
        assert_eq!(out, "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n  steps:\n  - at: 1s\n    run: kubectl cordon node-1\n");
        let out = add("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n  steps: []\n", 1, "kubectl cordon node-1");
        assert_eq!(out, "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n  steps: [{at: 1s, run: kubectl cordon node-1}]\n");
    }

    #[test]
    fn flow_style() {
        let text = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec: {kubernetesVersion: \"1.22\"}\n";
        let out = add(text, 30, "kubectl delete pod p");
        assert_eq!(out, "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec: {kubernetesVersion: \"1.22\", steps: [{at: 30s, run: kubectl delete pod p}]}\n");
        let text = "{apiVersion: podplay.dev/v1alpha1, kind: Scenario, spec: {steps: [{at: 10s, run: a}, {at: 50s, run: b}]}}\n";
        let out = add(text, 20, "kubectl exec p -- sh -c 'echo a, b'");
        assert_eq!(out, "{apiVersion: podplay.dev/v1alpha1, kind: Scenario, spec: {steps: [{at: 10s, run: a}, {at: 20s, run: \"kubectl exec p -- sh -c 'echo a, b'\"}, {at: 50s, run: b}]}}\n");
        let out = add("{apiVersion: podplay.dev/v1alpha1, kind: Scenario}", 20, "x");
        assert_eq!(out, "{apiVersion: podplay.dev/v1alpha1, kind: Scenario, spec: {steps: [{at: 20s, run: x}]}}");
    }

    #[test]
    fn several_documents_and_files() {
        let scenario = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n  steps:\n  - at: 1s\n    run: a\n";
        let text = format!("{POD}---\n{scenario}---\n{POD}");
        let out = add(&text, 2, "b");
        assert_eq!(out, format!("{POD}---\n{scenario}  - at: 2s\n    run: b\n---\n{POD}"));
        let files = [
            SourceFile { name: "pod.yaml".into(), text: POD.into() },
            SourceFile { name: "scenario.yaml".into(), text: scenario.into() },
            SourceFile { name: "other.yaml".into(), text: POD.into() },
        ];
        let (i, out) = add_step_to_files(&files, 2000, "b", None).unwrap();
        assert_eq!((i, out.as_str()), (1, format!("{scenario}  - at: 2s\n    run: b\n").as_str()));
        let (i, out) = add_step_to_files(&files[..1], 2000, "b", None).unwrap();
        assert_eq!(i, 0);
        assert!(out.starts_with(POD) && out.contains("kind: Scenario"));
    }

    #[test]
    fn list_kind() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers: [{name: c, image: nginx}]\n- apiVersion: podplay.dev/v1alpha1\n  kind: Scenario\n  spec:\n    steps:\n    - at: 5s\n      run: kubectl delete pod p\n";
        let out = add(text, 3, "kubectl label pod p x=y");
        assert_eq!(out, text.replace("    - at: 5s\n", "    - at: 3s\n      run: kubectl label pod p x=y\n    - at: 5s\n"));
        assert_eq!(steps_of(&out), vec![(3000, "kubectl label pod p x=y".into()), (5000, "kubectl delete pod p".into())]);
        // A List without a Scenario: a new document.
        let pods = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: nginx}]}}\n";
        let out = add(pods, 3, "kubectl delete pod p");
        assert!(out.starts_with(&format!("{pods}---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\n")));
    }

    #[test]
    fn quoting_run_values() {
        for (run, want) in [
            ("kubectl exec p -- rm -rf /usr/share/nginx/html/index.html", "kubectl exec p -- rm -rf /usr/share/nginx/html/index.html"),
            ("kubectl exec p -- sh -c 'echo \"123\" > /x'", "kubectl exec p -- sh -c 'echo \"123\" > /x'"),
            ("kubectl exec p -- sh -c 'echo a: \"b\"'", "\"kubectl exec p -- sh -c 'echo a: \\\"b\\\"'\""),
            ("kubectl exec p -- sh -c \"echo a: b\"", "'kubectl exec p -- sh -c \"echo a: b\"'"),
            ("kubectl exec p -- echo # not a comment", "'kubectl exec p -- echo # not a comment'"),
            ("true", "'true'"),
            ("- x", "'- x'"),
            ("a\tb", "\"a\\tb\""),
        ] {
            let out = add(POD, 1, run);
            assert!(out.contains(&format!("    run: {want}\n")), "{run}: {out}");
            assert_eq!(steps_of(&out), vec![(1000, run.to_string())]);
        }
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = add_step("apiVersion: v1\nkind: Pod\n  bad: [\n", "pod.yaml", 1000, "x", None).unwrap_err();
        assert_eq!(e.file, "pod.yaml");
        assert!(e.line >= 2, "{e}");
        let e =
            add_step("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nspec:\n  steps: later\n", "s.yaml", 1000, "x", None).unwrap_err();
        assert_eq!((e.line, e.column, e.path.as_deref()), (4, 10, Some("spec.steps")));
        assert!(e.to_string().starts_with("s.yaml:4:10: spec.steps: must be a list"), "{e}");
    }

    #[test]
    fn sub_second_times() {
        let out = add(POD, 0, "a");
        assert!(out.contains("- at: 0s\n"));
        let out = add_step(POD, "p.yaml", 69_033, "a", None).unwrap();
        assert!(out.contains("- at: 1m9.033s\n"));
        assert_eq!(steps_of(&out), vec![(69_033, "a".into())]);
    }

    /// The terminal edits whatever is in the editor, half-typed or broken: every prefix and a
    /// few mutations of every bundled scenario must give a new text or a diagnostic, never a
    /// panic.
    #[test]
    fn any_text_gives_an_edit_or_a_diagnostic() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios");
        let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        for path in names {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut cuts: Vec<usize> = (0..text.len()).step_by(23).filter(|&i| text.is_char_boundary(i)).collect();
            cuts.push(text.len());
            for cut in cuts {
                let prefix = &text[..cut];
                for variant in [prefix.to_string(), format!("{prefix}\n  - ["), format!("{prefix}\n\t: {{"), prefix.replace("  ", " ")] {
                    let result = std::panic::catch_unwind(|| add_step(&variant, "t.yaml", 5_000, "kubectl delete pod x", None).map(|_| ()));
                    assert!(result.is_ok(), "{}: add_step panicked on:\n{variant}", path.display());
                }
            }
        }
    }
}
