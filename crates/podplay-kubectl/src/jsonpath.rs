//! `kubectl get -o jsonpath=TEMPLATE`: a port of client-go's `util/jsonpath` (`parser.go`,
//! `jsonpath.go`, the forked `text/template` comparisons) and cli-runtime's
//! `JSONPathPrinter` (`pkg/printers/jsonpath.go`), over the object as unstructured JSON.
//!
//! Go's parser and evaluator recurse once per token; this port loops where Go tail-recurses,
//! bounds the nesting of filters, unions and ranges (which only pathological templates reach) and
//! stops a template whose results grow past [`MAX_RESULTS`] values (nested `range`s over `..`
//! multiply), so bad input gets an error rather than a hang.
//!
//! Go iterates a map (`[*]` or `..` over an object) in random order; podplay takes the keys in
//! sorted order, one of the orders kubectl may print.

use podplay_k8s_util::gofmt::quote;
use serde_json::{Map, Number, Value};

/// Nesting of filters/unions inside filters/unions the parser accepts.
const MAX_NESTING: usize = 32;
/// Values a template may produce in all (stops `range`s over `..` from running away).
const MAX_RESULTS: usize = 2_000_000;
/// `range`s nested inside each other (each level is one more call of `find_results`).
const MAX_RANGE_NESTING: usize = 64;

/// One `[start:end:step]` bound (`ParamsEntry`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    Array([Param; 3]),
    Filter { left: Vec<Node>, right: Vec<Node>, op: String },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Identifier(String),
}

/// A parsed template (`jsonpath.Parser`'s root list).
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
}

struct Parser<'t> {
    input: &'t str,
    pos: usize,
    start: usize,
    width: usize,
    depth: usize,
}

const EOF: Option<char> = None;

impl<'t> Parser<'t> {
    fn new(input: &'t str, depth: usize) -> Self {
        Parser { input, pos: 0, start: 0, width: 0, depth }
    }
    fn next(&mut self) -> Option<char> {
        match self.input[self.pos..].chars().next() {
            None => {
                self.width = 0;
                EOF
            }
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
        }
    }
    fn peek(&mut self) -> Option<char> {
        let r = self.next();
        self.backup();
        r
    }
    fn backup(&mut self) {
        self.pos -= self.width;
    }
    fn consume_text(&mut self) -> String {
        let value = self.input[self.start..self.pos].to_string();
        self.start = self.pos;
        value
    }
    fn rest(&self) -> &'t str {
        &self.input[self.pos..]
    }
    /// The byte before the one just read (Go's `p.input[p.pos-2]`, the escape check).
    fn escaped(&self) -> bool {
        self.pos >= 2 && self.input.as_bytes()[self.pos - 2] == b'\\'
    }

    /// parseText and parseRightDelim: text up to each `{`, then the action.
    fn parse(mut self) -> Result<Vec<Node>, String> {
        let mut root = Vec::new();
        loop {
            while !self.rest().starts_with('{') {
                if self.next().is_none() {
                    if self.pos > self.start {
                        root.push(Node::Text(self.consume_text()));
                    }
                    return Ok(root);
                }
            }
            if self.pos > self.start {
                root.push(Node::Text(self.consume_text()));
            }
            self.pos += 1;
            self.consume_text();
            let mut action = Vec::new();
            self.parse_inside_action(&mut action)?;
            root.push(Node::List(action));
            // parseRightDelim
            self.pos += 1;
            self.consume_text();
        }
    }

    /// parseInsideAction: returns at the action's `}` (not consumed).
    fn parse_inside_action(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            let rest = self.rest();
            if rest.starts_with('}') {
                return Ok(());
            }
            if rest.starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if rest.starts_with("..") {
                self.parse_recursive(cur)?;
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return Err("unclosed action".into()),
                Some(' ' | '@' | '$') => {
                    self.consume_text();
                }
                Some('[') => self.parse_array(cur)?,
                Some(q @ ('"' | '\'')) => self.parse_quote(cur, q)?,
                Some('.') => self.parse_field(cur),
                Some(r) if r == '+' || r == '-' || is_go_digit(r) => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                Some(r) if is_alphanumeric(r) => {
                    self.backup();
                    self.parse_identifier(cur);
                }
                Some(r) => return Err(format!("unrecognized character in action: {}", go_unicode(r))),
            }
        }
    }

    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        cur.push(match value.as_str() {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => Node::Identifier(value),
        });
    }

    fn parse_recursive(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(cur.last(), Some(Node::Recursive)) {
            return Err("invalid multiple recursive descent".into());
        }
        self.pos += 2;
        self.consume_text();
        cur.push(Node::Recursive);
        if self.peek().is_some_and(is_alphanumeric) {
            self.parse_field(cur);
        }
        Ok(())
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            match self.next() {
                Some(r) if r == '.' || is_go_digit(r) => {}
                _ => {
                    self.backup();
                    break;
                }
            }
        }
        let value = self.consume_text();
        if let Some(i) = go_atoi(&value) {
            cur.push(Node::Int(i));
        } else if let Some(f) = go_parse_float(&value) {
            cur.push(Node::Float(f));
        } else {
            return Err(format!("cannot parse number {value}"));
        }
        Ok(())
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                _ => {}
            }
        }
        let whole = self.consume_text();
        let mut text = &whole[1..whole.len() - 1];
        if text == "*" {
            text = ":";
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for part in parts {
                union.push(self.parse_action(&format!("[{}]", part.trim_matches(' ')))?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        // dictKeyRex ^'([^']*)'$
        if let Some(key) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')).filter(|k| !k.contains('\'')) {
            cur.extend(self.parse_action(&format!(".{key}"))?);
            return Ok(());
        }
        cur.push(Node::Array(slice_params(text)?));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume_text();
        let (mut begin, mut end) = (false, false);
        let mut pair = '"';
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated filter".into()),
                Some(r @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = r;
                        continue;
                    }
                    if !self.escaped() && r == pair {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let whole = self.consume_text();
        let text = &whole[..whole.len() - 2];
        match split_comparison(text) {
            None => {
                let left = self.parse_action(text)?;
                cur.push(Node::Filter { left, right: Vec::new(), op: "exists".into() });
            }
            Some((l, op, r)) => {
                let left = self.parse_action(l)?;
                let right = self.parse_action(r)?;
                cur.push(Node::Filter { left, right, op: op.to_string() });
            }
        }
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some(r) if r == end && !self.escaped() => break,
                _ => {}
            }
        }
        let value = self.consume_text();
        let s = unquote_extend(&value).map_err(|e| format!("unquote string {value} error {e}"))?;
        cur.push(Node::Text(s));
        Ok(())
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume_text();
        while self.advance() {}
        let value = self.consume_text();
        cur.push(if value == "*" { Node::Wildcard } else { Node::Field(value.replace('\\', "")) });
    }

    fn advance(&mut self) -> bool {
        let r = self.next();
        if r == Some('\\') {
            self.next();
        } else if is_terminator(r) {
            self.backup();
            return false;
        }
        true
    }

    /// parseAction: `text` parsed as the inside of one `{...}`.
    fn parse_action(&self, text: &str) -> Result<Vec<Node>, String> {
        if self.depth >= MAX_NESTING {
            return Err(format!("podplay: filters and unions nest deeper than {MAX_NESTING} levels"));
        }
        let wrapped = format!("{{{text}}}");
        let mut nodes = Parser::new(&wrapped, self.depth + 1).parse()?;
        match nodes.swap_remove(0) {
            Node::List(list) => Ok(list),
            _ => Err("invalid syntax".into()),
        }
    }
}

/// The filter regexp `^([^!<>=]+)([!<>=]+)(.+?)$`.
fn split_comparison(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let op_start = text.find(is_op)?;
    if op_start == 0 {
        return None;
    }
    let op_len = text[op_start..].find(|c: char| !is_op(c))?;
    let right = &text[op_start + op_len..];
    // `.+?$` needs one character at least and stops before a final newline only in multiline
    // mode, which Go's default is not; `.` excludes `\n`.
    if right.is_empty() || right.contains('\n') || text[..op_start].contains('\n') {
        return None;
    }
    Some((&text[..op_start], &text[op_start..op_start + op_len], right))
}

/// sliceOperatorRex `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` and the bounds parseArray derives.
fn slice_params(text: &str) -> Result<[Param; 3], String> {
    let invalid = || format!("invalid array index {text}");
    let groups: Vec<&str> = text.split(':').collect();
    if groups.len() > 3 {
        return Err(invalid());
    }
    let valid = |g: &str| {
        let digits = g.strip_prefix('-').unwrap_or(g);
        digits.chars().all(|c| c.is_ascii_digit())
    };
    if !groups.iter().all(|g| valid(g)) {
        return Err(invalid());
    }
    let mut params = [Param { value: 0, known: false, derived: false }; 3];
    for i in 0..3 {
        match groups.get(i) {
            // group 1 is `-?\d*` (may be empty); groups 2 and 3 were matched with their colon.
            Some(g) if i > 0 || !g.is_empty() => {
                if i > 0 && g.is_empty() {
                    params[i].known = false;
                } else {
                    params[i].known = true;
                    params[i].value = go_atoi(g).ok_or_else(|| format!("array index {g} is not a number"))?;
                }
            }
            _ if i == 1 => {
                params[1] = Param { value: params[0].value + 1, known: true, derived: true };
            }
            _ => {}
        }
    }
    Ok(params)
}

fn is_terminator(r: Option<char>) -> bool {
    match r {
        None => true,
        Some(c) => matches!(c, ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'),
    }
}

/// Go's `unicode.IsDigit` (Unicode Nd); Rust has no Nd test, so beyond ASCII this takes the
/// numeric characters that are not letters.
fn is_go_digit(r: char) -> bool {
    r.is_ascii_digit() || (!r.is_ascii() && r.is_numeric() && !r.is_alphabetic())
}

fn is_alphanumeric(r: char) -> bool {
    r == '_' || r.is_alphabetic() || is_go_digit(r)
}

/// `%#U`: `U+0021 '!'`.
fn go_unicode(r: char) -> String {
    format!("U+{:04X} '{r}'", r as u32)
}

/// strconv.Atoi: optional sign, decimal digits, within int64.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// strconv.ParseFloat for what parseNumber scans (sign, digits, dots).
fn go_parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || body == "." || body.matches('.').count() > 1 || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    s.parse().ok()
}

/// UnquoteExtend: strconv.Unquote that also takes single-quoted strings.
fn unquote_extend(s: &str) -> Result<String, &'static str> {
    let quote = s.chars().next().ok_or("invalid syntax")?;
    if s.len() < 2 || !s.ends_with(quote) || !matches!(quote, '"' | '\'') {
        return Err("invalid syntax");
    }
    let body = &s[1..s.len() - 1];
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == quote {
            return Err("invalid syntax");
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(unquote_escape(&mut chars, quote)?);
    }
    Ok(out)
}

/// One escape of strconv.UnquoteChar after its backslash.
fn unquote_escape(chars: &mut std::str::Chars, quote: char) -> Result<char, &'static str> {
    let c = chars.next().ok_or("invalid syntax")?;
    let hex = |chars: &mut std::str::Chars, n: usize| -> Result<u32, &'static str> {
        let digits: String = chars.by_ref().take(n).collect();
        if digits.len() != n {
            return Err("invalid syntax");
        }
        u32::from_str_radix(&digits, 16).map_err(|_| "invalid syntax")
    };
    Ok(match c {
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\u{b}',
        '\\' => '\\',
        'x' => char::from_u32(hex(chars, 2)?).ok_or("invalid syntax")?,
        'u' => char::from_u32(hex(chars, 4)?).ok_or("invalid syntax")?,
        'U' => char::from_u32(hex(chars, 8)?).ok_or("invalid syntax")?,
        '0'..='7' => {
            let rest: String = chars.by_ref().take(2).collect();
            let v = u32::from_str_radix(&format!("{c}{rest}"), 8).map_err(|_| "invalid syntax")?;
            if rest.len() != 2 || v > 255 {
                return Err("invalid syntax");
            }
            char::from_u32(v).ok_or("invalid syntax")?
        }
        q if q == quote => q,
        _ => return Err("invalid syntax"),
    })
}

impl Template {
    /// `jsonpath.Parse`; the error is the parser's (kubectl wraps it, see [`parse_error`]).
    pub fn parse(text: &str) -> Result<Template, String> {
        Ok(Template { nodes: Parser::new(text, 0).parse()? })
    }
}

/// How kubectl reports a template that does not parse (`JSONPathPrintFlags.ToPrinter`).
pub fn parse_error(template: &str, err: &str) -> String {
    format!("error: error parsing jsonpath {template}, {err}\n")
}

/// A value in flight: Go's `reflect.Value` over unstructured data.
#[derive(Debug, Clone, PartialEq)]
enum Val<'a> {
    /// The zero `reflect.Value` (what a `range` with no results evaluates its body on).
    Invalid,
    Ref(&'a Value),
    Owned(Value),
}

impl<'a> Val<'a> {
    fn get(&self) -> Option<&Value> {
        match self {
            Val::Invalid => None,
            Val::Ref(v) => Some(v),
            Val::Owned(v) => Some(v),
        }
    }
}

/// Evaluation state (`JSONPath`'s range counters).
struct Eval<'a> {
    allow_missing_keys: bool,
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    last_end_node: Option<usize>,
    budget: usize,
    _data: std::marker::PhantomData<&'a Value>,
}

type Results<'a> = Result<Vec<Val<'a>>, String>;

impl<'a> Eval<'a> {
    fn new(allow_missing_keys: bool) -> Self {
        Eval {
            allow_missing_keys,
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            last_end_node: None,
            budget: MAX_RESULTS,
            _data: std::marker::PhantomData,
        }
    }

    fn spend(&mut self, n: usize) -> Result<(), String> {
        self.budget =
            self.budget.checked_sub(n).ok_or_else(|| format!("podplay stops this template: it produces more than {MAX_RESULTS} values"))?;
        Ok(())
    }

    /// FindResults over `nodes[from..]` (Go re-slices the root's nodes; indices keep the end
    /// node's identity).
    fn find_results(&mut self, data: Val<'a>, nodes: &'a [Node], from: usize) -> Result<Vec<Vec<Val<'a>>>, String> {
        let cur = vec![data];
        let mut full = Vec::new();
        let mut i = from;
        while i < nodes.len() {
            let results = self.walk(&cur, &nodes[i])?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end_node = Some(i);
                break;
            }
            if self.begin_range > 0 {
                if self.in_range >= MAX_RANGE_NESTING {
                    return Err(format!("podplay stops this template: its ranges nest deeper than {MAX_RANGE_NESTING}"));
                }
                self.begin_range -= 1;
                self.in_range += 1;
                if results.is_empty() {
                    self.find_results(Val::Invalid, nodes, i + 1)?;
                } else {
                    for value in results {
                        // Go passes `value.Interface()`: a JSON null comes back as the zero
                        // reflect.Value, which prints `<no value>`.
                        let value = if matches!(value.get(), Some(Value::Null)) { Val::Invalid } else { value };
                        full.extend(self.find_results(value, nodes, i + 1)?);
                    }
                }
                self.in_range -= 1;
                if let Some(end) = self.last_end_node.filter(|&e| e > i) {
                    i = end;
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn walk(&mut self, input: &[Val<'a>], node: &'a Node) -> Results<'a> {
        let out = match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(t) => Ok(vec![Val::Owned(Value::String(t.clone()))]),
            Node::Field(f) => self.eval_field(input, f),
            Node::Array(params) => eval_array(input, params),
            Node::Filter { left, right, op } => self.eval_filter(input, left, right, op),
            Node::Int(n) => Ok(vec![Val::Owned(Value::from(*n)); input.len()]),
            Node::Float(f) => {
                let v = Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null);
                Ok(vec![Val::Owned(v); input.len()])
            }
            Node::Bool(b) => Ok(vec![Val::Owned(Value::Bool(*b)); input.len()]),
            Node::Wildcard => Ok(input.iter().flat_map(children).collect()),
            Node::Recursive => self.eval_recursive(input),
            Node::Union(lists) => {
                let mut out = Vec::new();
                for list in lists {
                    out.extend(self.eval_list(input, list)?);
                }
                Ok(out)
            }
            Node::Identifier(name) => self.eval_identifier(input, name),
        }?;
        self.spend(out.len())?;
        Ok(out)
    }

    fn eval_list(&mut self, input: &[Val<'a>], nodes: &'a [Node]) -> Results<'a> {
        let mut cur = input.to_vec();
        for node in nodes {
            cur = self.walk(&cur, node)?;
        }
        Ok(cur)
    }

    fn eval_identifier(&mut self, input: &[Val<'a>], name: &str) -> Results<'a> {
        match name {
            "range" => {
                self.begin_range += 1;
                Ok(input.to_vec())
            }
            "end" if self.in_range > 0 => {
                self.end_range += 1;
                Ok(Vec::new())
            }
            "end" => Err("not in range, nothing to end".into()),
            _ => Err(format!("unrecognized identifier {name}")),
        }
    }

    fn eval_field(&mut self, input: &[Val<'a>], name: &str) -> Results<'a> {
        if input.is_empty() {
            return Ok(Vec::new());
        }
        let mut results = Vec::new();
        for value in input {
            let found = match value {
                Val::Ref(Value::Object(m)) => m.get(name).map(Val::Ref),
                Val::Owned(Value::Object(m)) => m.get(name).cloned().map(Val::Owned),
                _ => None,
            };
            results.extend(found);
        }
        if results.is_empty() && !self.allow_missing_keys {
            return Err(format!("{name} is not found"));
        }
        Ok(results)
    }

    fn eval_recursive(&mut self, input: &[Val<'a>]) -> Results<'a> {
        let mut result = Vec::new();
        let mut stack: Vec<Val<'a>> = input.iter().rev().cloned().collect();
        // Go recurses depth first: a value, then everything under it, in order.
        while let Some(value) = stack.pop() {
            let kids = children(&value);
            if !kids.is_empty() {
                self.spend(kids.len())?;
                result.push(value);
                stack.extend(kids.into_iter().rev());
            }
        }
        Ok(result)
    }

    fn eval_filter(&mut self, input: &[Val<'a>], left: &'a [Node], right: &'a [Node], op: &str) -> Results<'a> {
        let mut results = Vec::new();
        for value in input {
            let items = array_items(value).ok_or_else(|| format!("{} is not array or slice and cannot be filtered", go_v_val(value)))?;
            for item in items {
                let temp = [item.clone()];
                let lefts = self.eval_list(&temp, left);
                if op == "exists" {
                    if lefts.is_ok_and(|l| !l.is_empty()) {
                        results.push(item);
                    }
                    continue;
                }
                let Some(l) = one_operand(lefts?)? else { continue };
                let Some(r) = one_operand(self.eval_list(&temp, right)?)? else { continue };
                if compare(op, l.get(), r.get())? {
                    results.push(item);
                }
            }
        }
        Ok(results)
    }
}

fn one_operand(values: Vec<Val<'_>>) -> Result<Option<Val<'_>>, String> {
    match values.len() {
        0 => Ok(None),
        1 => Ok(values.into_iter().next()),
        _ => Err("can only compare one element at a time".into()),
    }
}

/// The elements of a list (its values are views into the same data).
fn array_items<'a>(value: &Val<'a>) -> Option<Vec<Val<'a>>> {
    match value {
        Val::Ref(Value::Array(a)) => Some(a.iter().map(Val::Ref).collect()),
        Val::Owned(Value::Array(a)) => Some(a.iter().cloned().map(Val::Owned).collect()),
        _ => None,
    }
}

/// evalWildcard's contents of one value: a map's values (keys sorted), a list's elements, a
/// string's bytes (Go indexes a string by byte: `uint8`s).
fn children<'a>(value: &Val<'a>) -> Vec<Val<'a>> {
    match value {
        Val::Ref(Value::Object(m)) => m.values().map(Val::Ref).collect(),
        Val::Owned(Value::Object(m)) => m.values().cloned().map(Val::Owned).collect(),
        Val::Ref(Value::String(s)) | Val::Owned(Value::String(s)) => s.bytes().map(|b| Val::Owned(Value::from(b))).collect(),
        other => array_items(other).unwrap_or_default(),
    }
}

fn eval_array<'a>(input: &[Val<'a>], params: &[Param; 3]) -> Results<'a> {
    let mut result = Vec::new();
    for value in input {
        if matches!(value.get(), Some(Value::Null)) {
            continue;
        }
        let items = array_items(value).ok_or_else(|| format!("{} is not array or slice", go_type(value.get())))?;
        let len = items.len() as i64;
        let mut p = *params;
        if !p[0].known {
            p[0].value = 0;
        }
        if p[0].value < 0 {
            p[0].value += len;
        }
        if !p[1].known {
            p[1].value = len;
        }
        if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
            p[1].value += len;
        }
        if p[1].value == p[0].value {
            return Ok(result);
        }
        if p[0].value >= len || p[0].value < 0 {
            return Err(format!("array index out of bounds: index {}, length {len}", p[0].value));
        }
        if p[1].value > len || p[1].value < 0 {
            return Err(format!("array index out of bounds: index {}, length {len}", p[1].value - 1));
        }
        if p[0].value > p[1].value {
            return Err(format!("starting index {} is greater than ending index {}", p[0].value, p[1].value));
        }
        let step = if p[2].known {
            if p[2].value <= 0 {
                return Err("step must be > 0".into());
            }
            p[2].value as usize
        } else {
            1
        };
        result.extend(items.into_iter().skip(p[0].value as usize).take((p[1].value - p[0].value) as usize).step_by(step));
    }
    Ok(result)
}

/// The forked text/template's basicKind.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BasicKind {
    Bool,
    Int,
    Float,
    Str,
}

fn basic_kind(v: Option<&Value>) -> Result<BasicKind, String> {
    match v {
        Some(Value::Bool(_)) => Ok(BasicKind::Bool),
        Some(Value::Number(n)) if n.is_i64() => Ok(BasicKind::Int),
        Some(Value::Number(_)) => Ok(BasicKind::Float),
        Some(Value::String(_)) => Ok(BasicKind::Str),
        _ => Err("invalid type for comparison".into()),
    }
}

/// template.Equal / Less and the operators built on them.
fn compare(op: &str, l: Option<&Value>, r: Option<&Value>) -> Result<bool, String> {
    let equal = || -> Result<bool, String> {
        let (kl, kr) = (basic_kind(l)?, basic_kind(r)?);
        if kl != kr {
            return Err("incompatible types for comparison".into());
        }
        Ok(match (l, r) {
            (Some(Value::Number(a)), Some(Value::Number(b))) if kl == BasicKind::Int => a.as_i64() == b.as_i64(),
            (Some(Value::Number(a)), Some(Value::Number(b))) => a.as_f64() == b.as_f64(),
            _ => l == r,
        })
    };
    let less = || -> Result<bool, String> {
        let (kl, kr) = (basic_kind(l)?, basic_kind(r)?);
        if kl != kr {
            return Err("incompatible types for comparison".into());
        }
        Ok(match (kl, l, r) {
            (BasicKind::Bool, _, _) => return Err("invalid type for comparison".into()),
            (BasicKind::Int, Some(Value::Number(a)), Some(Value::Number(b))) => a.as_i64() < b.as_i64(),
            (BasicKind::Float, Some(Value::Number(a)), Some(Value::Number(b))) => a.as_f64() < b.as_f64(),
            (_, Some(Value::String(a)), Some(Value::String(b))) => a < b,
            _ => false,
        })
    };
    match op {
        "==" => equal(),
        "!=" => equal().map(|e| !e),
        "<" => less(),
        "<=" => Ok(less()? || equal()?),
        ">" => Ok(!(less()? || equal()?)),
        ">=" => less().map(|l| !l),
        _ => Err(format!("unrecognized filter operator {op}")),
    }
}

/// How `fmt.Fprint` writes one value (evalToText) and json.Marshal a map or list (PrintResults).
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    /// kubectl 1.29+ prints a JSON `null` as `null`; before, Go's `<nil>`.
    pub null_as_json: bool,
}

/// `JSONPath.Execute` with kubectl's printer settings; `allow_missing_keys` is
/// `--allow-missing-template-keys` (true unless given).
pub fn execute(template: &Template, data: &Value, allow_missing_keys: bool, style: TextStyle) -> Result<String, String> {
    let mut eval = Eval::new(allow_missing_keys);
    let full = eval.find_results(Val::Ref(data), &template.nodes, 0)?;
    let mut out = String::new();
    for results in full {
        print_results(&mut out, &results, style);
    }
    Ok(out)
}

/// `JSONPath.FindResults` with missing keys allowed, as the custom-columns printer runs it:
/// each result's value as `fmt.Sprint` writes it (`map[k:v]`, `[a b]`, `<nil>`).
pub fn find_texts(template: &Template, data: &Value) -> Result<Vec<Vec<String>>, String> {
    let mut eval = Eval::new(true);
    let full = eval.find_results(Val::Ref(data), &template.nodes, 0)?;
    Ok(full.iter().map(|results| results.iter().map(go_v_val).collect()).collect())
}

fn print_results(out: &mut String, results: &[Val<'_>], style: TextStyle) {
    for (i, r) in results.iter().enumerate() {
        match r.get() {
            Some(v @ (Value::Object(_) | Value::Array(_))) => go_json(v, out),
            Some(Value::Null) if style.null_as_json => out.push_str("null"),
            Some(Value::Null) => out.push_str("<nil>"),
            Some(v) => out.push_str(&go_v(v)),
            None => out.push_str("<no value>"),
        }
        if i + 1 != results.len() {
            out.push(' ');
        }
    }
}

/// kubectl's message when a parsed template fails on the object (`JSONPathPrinter.PrintObj`,
/// through cmdutil.CheckErr).
pub fn execute_error(template: &str, err: &str, data: &Value) -> String {
    format!(
        "error: error executing jsonpath {}: Error executing template: {err}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
        quote(template),
        go_sharp_v(data)
    )
}

/// kubectl's `JSONPathPrintFlags.ToPrinter`: the parsed template, or kubectl's whole error.
pub fn printer(template: &str) -> Result<Template, String> {
    if template.is_empty() {
        return Err("error: template format specified but no template given\n".into());
    }
    Template::parse(template).map_err(|e| parse_error(template, &e))
}

/// `JSONPathPrinter.PrintObj`: the output, or kubectl's whole error message.
pub fn print_obj(template: &str, parsed: &Template, data: &Value, allow_missing_keys: bool, style: TextStyle) -> Result<String, String> {
    execute(parsed, data, allow_missing_keys, style).map_err(|e| execute_error(template, &e, data))
}

/// Go's `%v` of a float64: strconv 'g' with the shortest digits, `%e` below exponent -4 and
/// from exponent 6 (shortest precision decides as precision 6).
fn go_float(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

/// `%v` of a scalar or, for error messages, of a whole value (`map[k:v]`, `[a b]`).
fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => go_float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => format!("map[{}]", sorted(m).map(|(k, v)| format!("{k}:{}", go_v(v))).collect::<Vec<_>>().join(" ")),
    }
}

fn go_v_val(v: &Val<'_>) -> String {
    v.get().map(go_v).unwrap_or_else(|| "<invalid reflect.Value>".into())
}

/// `%v` of a value's `Type()`.
fn go_type(v: Option<&Value>) -> &'static str {
    match v {
        Some(Value::Object(_)) => "map[string]interface {}",
        Some(Value::String(_)) => "string",
        Some(Value::Bool(_)) => "bool",
        Some(Value::Number(n)) if n.is_i64() => "int64",
        Some(Value::Number(_)) => "float64",
        _ => "<nil>",
    }
}

/// `%#v` of unstructured content (the printer's debugging dump).
fn go_sharp_v(v: &Value) -> String {
    match v {
        Value::Null => "interface {}(nil)".into(),
        Value::String(s) => quote(s),
        Value::Array(a) => format!("[]interface {{}}{{{}}}", a.iter().map(go_sharp_v).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => format!(
            "map[string]interface {{}}{{{}}}",
            sorted(m).map(|(k, v)| format!("{}:{}", quote(k), go_sharp_v(v))).collect::<Vec<_>>().join(", ")
        ),
        scalar => go_v(scalar),
    }
}

fn sorted(m: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let mut entries: Vec<_> = m.iter().collect();
    podplay_k8s_util::sort::sort_by(&mut entries, |a, b| a.0.cmp(b.0));
    entries.into_iter()
}

/// encoding/json's Marshal: compact, keys sorted, `<`, `>`, `&`, U+2028, U+2029 escaped.
fn go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_i64() {
            Some(i) => out.push_str(&i.to_string()),
            None => out.push_str(&go_json_float(n.as_f64().unwrap_or(0.0))),
        },
        Value::String(s) => go_json_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in sorted(m).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json_string(k, out);
                out.push(':');
                go_json(x, out);
            }
            out.push('}');
        }
    }
}

/// encoding/json's float64: `%f` style unless the exponent is below -6 or from 21 on.
fn go_json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let sci = format!("{f:e}");
        let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{}", exp.abs());
    }
    format!("{f}")
}

fn go_json_string(s: &str, out: &mut String) {
    podplay_k8s_util::gofmt::json_string_into(s.as_bytes(), out);
}

#[cfg(test)]
#[path = "jsonpath_tests.rs"]
mod tests;
