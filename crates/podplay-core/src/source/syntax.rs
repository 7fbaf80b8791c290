//! libyaml's syntax errors in a student's words, when the text around the error shows the
//! cause: a key indented deeper or shallower than its siblings, a key indented under one that
//! already has a value, a value that holds `: `, a key without the space after its colon, a list
//! started on its key's line. Anything else keeps libyaml's message alone: no guesses.

/// What was found: where the mistake is (1-based, within the document) and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Explained {
    pub line: usize,
    pub column: usize,
    pub hint: String,
}

/// Explains libyaml's `message`, reported at `line`:`column` (1-based) of `doc`.
pub(super) fn explain(doc: &str, line: usize, column: usize, message: &str) -> Option<Explained> {
    let lines: Vec<&str> = doc.lines().collect();
    let at = Line::parse(lines.get(line.checked_sub(1)?)?)?;
    let above = Above { lines: &lines[..line - 1] };
    let next = lines[line..].iter().find_map(|l| Line::parse(l));
    match message {
        "mapping values are not allowed in this context" => {
            colon_in_value(&at, line, column).or_else(|| under_a_value(&at, line, &above)).or_else(|| no_space_after_colon(&at, &above))
        }
        "did not find expected key" => under_a_value(&at, line, &above).or_else(|| off_its_siblings(&at, line, &above, next.as_ref())),
        "did not find expected '-' indicator" => at_the_dash(&at, line, &above),
        "block sequence entries are not allowed in this context" => list_on_key_line(&at, line, column),
        _ => None,
    }
}

/// One line's shape: its indentation, the `- ` items it opens, its key and inline value.
#[derive(Debug, Clone)]
struct Line<'a> {
    text: &'a str,
    /// 0-based column of the first character (a `-` or the key).
    indent: usize,
    /// 0-based column of the key (after any `- `), or of the content.
    key_column: usize,
    /// The innermost `- ` item's 0-based column, when the line opens items.
    dash: Option<usize>,
    key: Option<&'a str>,
    /// What follows `key:` on the line, comment and spaces left out ("" for a block).
    value: &'a str,
}

impl<'a> Line<'a> {
    /// None for blank and comment lines.
    fn parse(text: &'a str) -> Option<Line<'a>> {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let mut rest = &text[indent..];
        if rest.trim().is_empty() || rest.starts_with('#') {
            return None;
        }
        let mut dash = None;
        let mut key_column = indent;
        while rest == "-" || rest.starts_with("- ") {
            dash = Some(key_column);
            let skipped = rest.len() - rest[1..].trim_start_matches(' ').len();
            key_column += skipped;
            rest = &rest[skipped..];
        }
        let (key, value) = match split_key(rest) {
            Some((key, value)) => (Some(key), value),
            None => (None, ""),
        };
        Some(Line { text, indent, key_column, dash, key, value })
    }

    /// True when the key's value is written on its line (a scalar or a flow collection), so
    /// nothing below can belong to it.
    fn has_inline_value(&self) -> bool {
        self.key.is_some() && !self.value.is_empty() && !self.value.starts_with(['|', '>'])
    }

    /// The 0-based column just past the key's colon.
    fn after_colon(&self) -> usize {
        self.key_column + self.key.map_or(0, str::len) + 1
    }
}

/// `key: value` or `key:` (plain keys only), the value without its comment.
fn split_key(rest: &str) -> Option<(&str, &str)> {
    let end = rest.find(": ").or_else(|| rest.strip_suffix(':').map(str::len))?;
    let key = &rest[..end];
    let plain = !key.is_empty() && !key.starts_with(['"', '\'', '[', '{', '&', '*', '!', '#']) && !key.contains(char::is_whitespace);
    if !plain {
        return None;
    }
    let value = rest[end + 1..].trim();
    let value = match value.find(" #") {
        Some(i) if !value.starts_with(['"', '\'']) => value[..i].trim_end(),
        _ => value,
    };
    Some((key, if value.starts_with('#') { "" } else { value }))
}

/// The lines above the error, read upward.
struct Above<'a> {
    lines: &'a [&'a str],
}

impl<'a> Above<'a> {
    /// The nearest line with content above, with its 1-based number.
    fn previous(&self) -> Option<(usize, Line<'a>)> {
        self.lines.iter().enumerate().rev().find_map(|(i, l)| Line::parse(l).map(|l| (i + 1, l)))
    }

    /// The lines still open at the error: each line above whose indentation is less than that of
    /// every line between it and the error (its siblings and ancestors), nearest first.
    fn open(&self) -> Vec<Line<'a>> {
        let mut open = Vec::new();
        let mut least = usize::MAX;
        for line in self.lines.iter().rev().filter_map(|l| Line::parse(l)) {
            if line.indent < least {
                least = line.indent;
                open.push(line);
            }
        }
        open
    }
}

fn spaces(n: usize) -> String {
    if n == 1 {
        "1 space".into()
    } else {
        format!("{n} spaces")
    }
}

/// `command: echo a: b`: libyaml stops at the second `: `. Quoting the value makes it text.
fn colon_in_value(at: &Line, line: usize, column: usize) -> Option<Explained> {
    let key = at.key?;
    if column <= at.after_colon() + 1 || at.value.is_empty() {
        return None;
    }
    let quoted = if at.value.contains('"') { format!("'{}'", at.value.replace('\'', "''")) } else { format!("\"{}\"", at.value) };
    Some(Explained {
        line,
        column: at.text.len() - at.text[at.after_colon()..].trim_start().len() + 1,
        hint: format!("the value of `{key}` contains `: `, which YAML reads as a new key; put the value in quotes: `{key}: {quoted}`"),
    })
}

/// A key indented deeper than the line above, whose key already has a value on its line: YAML
/// cannot nest anything under it.
fn under_a_value(at: &Line, line: usize, above: &Above) -> Option<Explained> {
    let key = at.key?;
    let (number, previous) = above.previous()?;
    let owner = previous.key?;
    if at.indent <= previous.key_column || !previous.has_inline_value() || at.dash.is_some() {
        return None;
    }
    if let Some(item) = owner.strip_prefix('-').filter(|k| !k.is_empty()) {
        // `-name: a`: a key named `-name`, not a list item.
        let content = previous.text.trim();
        return Some(Explained {
            line: number,
            column: previous.key_column + 1,
            hint: format!("`{content}` needs a space after its `-` to start a list item: `- {}`", content.replacen(owner, item, 1)),
        });
    }
    // The line above left a block this line's key is in (`exec:` at 6, it at 4, this at 6): the
    // line above is the one out of place.
    let before = Above { lines: &above.lines[..number - 1] };
    if before.open().iter().any(|l| l.key_column == at.key_column && l.key.is_some()) {
        return Some(Explained {
            line: number,
            column: previous.key_column + 1,
            hint: format!("`{owner}` is indented {}; its siblings above and below use {}", spaces(previous.key_column), at.key_column),
        });
    }
    Some(Explained {
        line,
        column: at.key_column + 1,
        hint: format!(
            "`{key}` is indented under `{owner}` (column {}); align it with `{owner}` (column {})",
            at.key_column + 1,
            previous.key_column + 1
        ),
    })
}

/// `name:p` or `name p` on the line above: no `key: value` there, so YAML read that line and
/// this one as one text, and stopped at this line's colon.
fn no_space_after_colon(at: &Line, above: &Above) -> Option<Explained> {
    at.key?;
    let (number, previous) = above.previous()?;
    if previous.key.is_some() || previous.dash.is_some() {
        return None;
    }
    let content = previous.text.trim();
    let hint = match content.split_once(':') {
        Some((key, value)) if !key.is_empty() && !value.starts_with(' ') && !key.contains(' ') => {
            format!("`{content}` needs a space after its colon: `{key}: {value}`")
        }
        _ if !content.contains(':') => {
            format!("`{content}` is not a `key: value` pair (is its colon missing?), so YAML reads it and the next line as one text")
        }
        _ => return None,
    };
    Some(Explained { line: number, column: previous.indent + 1, hint })
}

/// A key (or `- ` item) between two indentations in use: say which its siblings use, or, when
/// it is as far from both, both.
fn off_its_siblings(at: &Line, line: usize, above: &Above, next: Option<&Line>) -> Option<Explained> {
    let item = at.dash == Some(at.indent);
    if at.key.is_none() && !item {
        return None;
    }
    // The indentations open at this line: of keys, and of `- ` items.
    let levels: Vec<(usize, String)> = above
        .open()
        .iter()
        .flat_map(|l| {
            let key = l.key.map(|k| format!("`{k}`")).unwrap_or_else(|| "the item".into());
            let dash = l.dash.filter(|d| *d == l.indent).map(|d| (d, format!("the `- ` item with {key}")));
            let keys = (!item && l.key.is_some()).then(|| (l.key_column, key.clone()));
            keys.into_iter().chain(dash)
        })
        .collect();
    let column = if item { at.indent } else { at.key_column };
    let lower = levels.iter().filter(|(c, _)| *c < column).max_by_key(|(c, _)| *c);
    let upper = levels.iter().filter(|(c, _)| *c > column).min_by_key(|(c, _)| *c);
    let subject = match at.key {
        Some(key) if !item => format!("`{key}`"),
        _ => "this `- ` item".into(),
    };
    let siblings = if item { "the items before it use" } else { "its siblings use" };
    // The next line at one of the two says which this one belongs with.
    let next_column = next.map(|n| if item { n.indent } else { n.key_column });
    let (lower, upper) = match (lower, upper) {
        (Some(l), Some(_)) if next_column == Some(l.0) => (Some(l), None),
        (Some(_), Some(u)) if next_column == Some(u.0) => (None, Some(u)),
        other => other,
    };
    let hint = match (lower, upper) {
        (Some((l, lname)), Some((u, uname))) if column - l == u - column => format!(
            "{subject} is indented {}, between {uname} ({}) and {lname} ({}): indent it as the key it belongs with",
            spaces(column),
            spaces(*u),
            spaces(*l)
        ),
        (Some((l, _)), Some((u, _))) => {
            let nearest = if column - l < u - column { l } else { u };
            format!("{subject} is indented {}; {siblings} {nearest}", spaces(column))
        }
        (Some((l, _)), None) => format!("{subject} is indented {}; {siblings} {l}", spaces(column)),
        (None, Some((u, _))) => format!("{subject} is indented {}; {siblings} {u}", spaces(column)),
        (None, None) => return None,
    };
    Some(Explained { line, column: column + 1, hint })
}

/// A key at (or just after) the column of the `- ` above it: inside a list, an item's keys line
/// up after `- `.
fn at_the_dash(at: &Line, line: usize, above: &Above) -> Option<Explained> {
    let key = at.key?;
    let item = above.open().into_iter().find(|l| l.dash.is_some_and(|d| d <= at.indent) && l.key.is_some())?;
    let like = if item.dash == Some(at.indent) { ", as the list's `- ` is" } else { "" };
    (at.indent < item.key_column).then(|| Explained {
        line,
        column: at.indent + 1,
        hint: format!(
            "`{key}` is indented {}{like}; the keys of its item use {} (as `{}`)",
            spaces(at.indent),
            item.key_column,
            item.key.unwrap_or_default()
        ),
    })
}

/// `containers: - name: a`: a block list cannot start on its key's line.
fn list_on_key_line(at: &Line, line: usize, column: usize) -> Option<Explained> {
    let key = at.key?;
    if !at.value.starts_with("- ") || column <= at.after_colon() {
        return None;
    }
    Some(Explained {
        line,
        column,
        hint: format!("a list cannot start on the line of its key: put `{}` on the next line, indented as `{key}` or deeper", at.value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(doc: &str, line: usize, column: usize, message: &str) -> Option<(usize, usize, String)> {
        explain(doc, line, column, message).map(|e| (e.line, e.column, e.hint))
    }

    const MAPPING: &str = "mapping values are not allowed in this context";
    const KEY: &str = "did not find expected key";

    #[test]
    fn a_key_indented_under_a_key_with_a_value() {
        let doc = "spec:\n  containers:\n  - name: a\n    image: busybox\n      livenessProbe:\n        exec: {}\n";
        assert_eq!(
            hint(doc, 5, 20, MAPPING),
            Some((5, 7, "`livenessProbe` is indented under `image` (column 7); align it with `image` (column 5)".into()))
        );
        let flow = "spec:\n  containers:\n  - name: a\n    command: [ls]\n      args: [x]\n";
        assert_eq!(
            hint(flow, 5, 7, KEY),
            Some((5, 7, "`args` is indented under `command` (column 7); align it with `command` (column 5)".into()))
        );
    }

    #[test]
    fn a_key_off_its_siblings() {
        let doc = "metadata:\n    name: p\n    labels: {}\n   ports: []\n";
        assert_eq!(hint(doc, 4, 4, KEY), Some((4, 4, "`ports` is indented 3 spaces; its siblings use 4".into())));
        let between = "spec:\n  containers:\n  - name: a\n    image: busybox\n   ports:\n    - containerPort: 80\n";
        assert_eq!(
            hint(between, 5, 4, KEY),
            Some((
                5,
                4,
                "`ports` is indented 3 spaces, between `image` (4 spaces) and the `- ` item with `name` (2 spaces): indent it as the key it belongs with"
                    .into()
            ))
        );
        let item = "spec:\n  containers:\n  - name: a\n   - name: b\n";
        assert_eq!(hint(item, 4, 4, KEY), Some((4, 4, "this `- ` item is indented 3 spaces; the items before it use 2".into())));
    }

    #[test]
    fn the_line_out_of_place_is_named() {
        // `exec` at 6, then one key at 4, then one at 6 again: the one at 4 left its block.
        let doc = "    livenessProbe:\n      exec: {command: [ls]}\n    initialDelaySeconds: 1\n      periodSeconds: 3\n";
        assert_eq!(
            hint(doc, 4, 7, KEY),
            Some((3, 5, "`initialDelaySeconds` is indented 4 spaces; its siblings above and below use 6".into()))
        );
        // Between two indentations, the next line says which.
        let doc = "  - name: a\n    image: busybox\n   imagePullPolicy: Always\n    command: [ls]\n";
        assert_eq!(hint(doc, 3, 4, KEY), Some((3, 4, "`imagePullPolicy` is indented 3 spaces; its siblings use 4".into())));
        let doc = "  containers:\n  -name: a\n    image: busybox\n";
        assert_eq!(
            hint(doc, 3, 10, MAPPING),
            Some((2, 3, "`-name: a` needs a space after its `-` to start a list item: `- name: a`".into()))
        );
    }

    #[test]
    fn a_key_at_the_dash_column() {
        let doc = "spec:\n  containers:\n    - name: a\n    image: x\n";
        assert_eq!(
            hint(doc, 4, 5, "did not find expected '-' indicator"),
            Some((4, 5, "`image` is indented 4 spaces, as the list's `- ` is; the keys of its item use 6 (as `name`)".into()))
        );
        let doc = "spec:\n  containers:\n   - name: a\n    image: x\n";
        assert_eq!(
            hint(doc, 4, 5, "did not find expected '-' indicator"),
            Some((4, 5, "`image` is indented 4 spaces; the keys of its item use 5 (as `name`)".into()))
        );
    }

    #[test]
    fn not_indentation() {
        let doc = "spec:\n  containers:\n  - name: a\n    command: echo a: b\n";
        assert_eq!(
            hint(doc, 4, 20, MAPPING),
            Some((
                4,
                14,
                "the value of `command` contains `: `, which YAML reads as a new key; put the value in quotes: `command: \"echo a: b\"`"
                    .into()
            ))
        );
        let doc = "metadata:\n  name:p\n  labels: {}\n";
        assert_eq!(hint(doc, 3, 9, MAPPING), Some((2, 3, "`name:p` needs a space after its colon: `name: p`".into())));
        let doc = "spec:\n  containers: - name: a\n";
        assert_eq!(
            hint(doc, 2, 15, "block sequence entries are not allowed in this context"),
            Some((
                2,
                15,
                "a list cannot start on the line of its key: put `- name: a` on the next line, indented as `containers` or deeper".into()
            ))
        );
        // A flow mapping left open: nothing about indentation to say.
        assert_eq!(hint("metadata: {name: p\n", 2, 1, KEY), None);
        assert_eq!(hint("a: b\n", 1, 1, "found character that cannot start any token"), None);
    }
}
