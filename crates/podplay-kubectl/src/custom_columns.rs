//! `-o custom-columns=HEADER:PATH,...` (kubectl `get/customcolumn.go`): a column per spec, its
//! path relaxed to a JSONPath template (`RelaxedJSONPathExpression`), each object's values
//! found with missing keys allowed, joined by commas (`<none>` when none), escaped for the
//! terminal, laid out by cli-runtime's tabwriter. It prints the API objects `get` hands its
//! generic printers: each item of a `List`, or the one object.

use podplay_k8s_util::tabwriter::TabWriter;
use serde_json::Value;

use crate::jsonpath;

/// One column: its header and its JSONPath template.
struct Column {
    header: String,
    template: String,
}

/// `NewCustomColumnsPrinterFromSpec`: the columns, or kubectl's error (`error: ...`).
fn parse_spec(spec: &str) -> Result<Vec<Column>, String> {
    if spec.is_empty() {
        return Err("error: custom-columns format specified but no custom columns given\n".into());
    }
    spec.split(',')
        .map(|part| {
            let (header, path) = part
                .split_once(':')
                .ok_or_else(|| format!("error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>\n"))?;
            Ok(Column { header: header.to_string(), template: relaxed_json_path(path)? })
        })
        .collect()
}

/// `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`
/// (`^\{\.?([^{}]+)\}$|^\.?([^{}]+)$`); an empty path stays empty.
fn relaxed_json_path(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let braced = path.strip_prefix('{').and_then(|p| p.strip_suffix('}'));
    let inner = braced.unwrap_or(path);
    let field = inner.strip_prefix('.').unwrap_or(inner);
    if field.is_empty() || field.contains(['{', '}']) {
        return Err(
            "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n".into()
        );
    }
    Ok(format!("{{.{field}}}"))
}

/// The printed table of `data` (a `List` or one object), or the error kubectl stops with
/// (after the rows printed before it).
pub fn print(spec: &str, data: &Value, no_headers: bool) -> Result<String, (String, String)> {
    let columns = parse_spec(spec).map_err(|e| (String::new(), e))?;
    let mut templates = Vec::new();
    for c in &columns {
        let parsed = jsonpath::Template::parse(&c.template).map_err(|e| (String::new(), format!("error: {e}\n")))?;
        templates.push(parsed);
    }
    let mut w = TabWriter::kubectl_get();
    if !no_headers {
        w.write_str(&columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>().join("\t"));
        w.write_str("\n");
    }
    let items = match data.get("items") {
        Some(Value::Array(items)) if data.get("kind").and_then(Value::as_str) == Some("List") => items.iter().collect(),
        _ => vec![data],
    };
    for item in items {
        match row(&templates, item) {
            Ok(cells) => {
                w.write_str(&cells.join("\t"));
                w.write_str("\n");
            }
            Err(e) => return Err((w.flush(), format!("error: {e}\n"))),
        }
    }
    Ok(w.flush())
}

/// `printOneObject`: each column's values joined by commas, `<none>` when it found none.
fn row(templates: &[jsonpath::Template], item: &Value) -> Result<Vec<String>, String> {
    templates
        .iter()
        .map(|t| {
            let found = jsonpath::find_texts(t, item)?;
            if found.first().is_none_or(|values| values.is_empty()) {
                return Ok("<none>".to_string());
            }
            Ok(found.iter().flatten().map(|v| escape_terminal(v)).collect::<Vec<_>>().join(","))
        })
        .collect()
}

/// cli-runtime's `EscapeTerminal`: ESC as `^[`, a carriage return as `\r`.
fn escape_terminal(text: &str) -> String {
    text.replace('\x1b', "^[").replace('\r', "\\r")
}
