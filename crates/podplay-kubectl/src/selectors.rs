//! `-l/--selector` and `--field-selector`, as the API server applies them to a list.
//!
//! Label selectors follow `k8s.io/apimachinery/pkg/labels` (`Parse`): comma-separated
//! requirements `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`;
//! `!=` and `notin` also match objects without the key. Field selectors follow
//! `k8s.io/apimachinery/pkg/fields` (`=`, `==`, `!=`), over the fields each kind supports
//! (`pkg/apis/core/v1/conversion.go` AddFieldLabelConversionFunc); any other field is the API
//! server's BadRequest, which kubectl words as `Unable to find {"" "v1" "pods"} that match label
//! selector "...", field selector "...": field label not supported: X`.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Equals,
    NotEquals,
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    DoesNotExist,
    GreaterThan(i64),
    LessThan(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement {
    key: String,
    value: String,
    op: Op,
}

/// A parsed label selector; the empty one matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

impl LabelSelector {
    pub fn parse(text: &str) -> Result<LabelSelector, String> {
        let mut requirements = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            requirements.push(parse_requirement(part)?);
        }
        Ok(LabelSelector { requirements })
    }

    /// `metav1.ParseToLabelSelector`'s conversion: equalities become `matchLabels`, set and
    /// existence requirements `matchExpressions`; `!=`, `gt` and `lt` have no API form.
    pub fn to_api(&self) -> Result<podplay_core::model::LabelSelector, String> {
        use podplay_core::model::apps::LabelSelectorRequirement;
        let mut out = podplay_core::model::LabelSelector::default();
        for r in &self.requirements {
            let (operator, mut values) = match &r.op {
                Op::Equals => {
                    out.match_labels.insert(r.key.clone(), r.value.clone());
                    continue;
                }
                Op::In(values) => ("In", values.clone()),
                Op::NotIn(values) => ("NotIn", values.clone()),
                Op::Exists => ("Exists", Vec::new()),
                Op::DoesNotExist => ("DoesNotExist", Vec::new()),
                Op::NotEquals => return Err("\"!=\" is not a valid label selector operator".into()),
                Op::GreaterThan(_) => return Err("\"gt\" isn't supported in label selectors".into()),
                Op::LessThan(_) => return Err("\"lt\" isn't supported in label selectors".into()),
            };
            // `req.Values().List()`: a sorted set.
            values.sort();
            values.dedup();
            out.match_expressions.push(LabelSelectorRequirement { key: r.key.clone(), operator: operator.into(), values });
        }
        Ok(out)
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| {
            let have = labels.get(&r.key);
            match &r.op {
                Op::Equals => have == Some(&r.value),
                Op::NotEquals => have != Some(&r.value),
                Op::In(values) => have.is_some_and(|v| values.contains(v)),
                Op::NotIn(values) => have.is_none_or(|v| !values.contains(v)),
                Op::Exists => have.is_some(),
                Op::DoesNotExist => have.is_none(),
                Op::GreaterThan(n) => have.and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v > *n),
                Op::LessThan(n) => have.and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v < *n),
            }
        })
    }
}

/// Commas outside parentheses separate requirements.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_requirement(part: &str) -> Result<Requirement, String> {
    let requirement = |key: &str, value: &str, op: Op| -> Result<Requirement, String> {
        let key = key.trim();
        valid_key(key)?;
        Ok(Requirement { key: key.to_string(), value: value.trim().to_string(), op })
    };
    if let Some(key) = part.strip_prefix('!') {
        return requirement(key, "", Op::DoesNotExist);
    }
    for (token, make) in [("!=", 0), ("==", 1), ("=", 1), (">", 2), ("<", 3)] {
        if let Some((key, value)) = part.split_once(token) {
            let value = value.trim();
            return match make {
                0 => requirement(key, value, Op::NotEquals),
                1 => requirement(key, value, Op::Equals),
                _ => {
                    let n = value.parse::<i64>().map_err(|_| {
                        format!("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer: {value:?}")
                    })?;
                    requirement(key, value, if make == 2 { Op::GreaterThan(n) } else { Op::LessThan(n) })
                }
            };
        }
    }
    let words: Vec<&str> = part.splitn(2, char::is_whitespace).collect();
    if let [key, rest] = words[..] {
        let rest = rest.trim();
        let set = |word: &str| -> Option<Vec<String>> {
            let inner = rest.strip_prefix(word)?.trim().strip_prefix('(')?.strip_suffix(')')?;
            Some(inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect())
        };
        if let Some(values) = set("notin") {
            return requirement(key, "", Op::NotIn(values));
        }
        if let Some(values) = set("in") {
            return requirement(key, "", Op::In(values));
        }
        return Err(format!("unable to parse requirement: found '{rest}', expected: in, notin, =, ==, !=, gt, lt"));
    }
    requirement(part, "", Op::Exists)
}

/// A label key: an optional DNS prefix and `/`, then a name of alphanumerics, `-`, `_`, `.`.
fn valid_key(key: &str) -> Result<(), String> {
    let name = key.rsplit_once('/').map_or(key, |(_, n)| n);
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!("unable to parse requirement: <nil>: Invalid value: {key:?}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"))
    }
}

/// A parsed field selector: (field, equal?, value) requirements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    requirements: Vec<(String, bool, String)>,
}

impl FieldSelector {
    /// Parses `text` for objects whose selectable fields are `supported`.
    pub fn parse(text: &str, supported: &[&str]) -> Result<FieldSelector, String> {
        let mut requirements = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, true, v)
            } else {
                return Err(format!("invalid selector: '{text}'; can't understand '{part}'"));
            };
            let field = field.trim();
            if !supported.contains(&field) {
                return Err(format!("field label not supported: {field}"));
            }
            requirements.push((field.to_string(), equal, value.trim().to_string()));
        }
        Ok(FieldSelector { requirements })
    }

    /// Whether an object whose field values `value_of` gives matches.
    pub fn matches(&self, value_of: impl Fn(&str) -> String) -> bool {
        self.requirements.iter().all(|(field, equal, value)| (value_of(field) == *value) == *equal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// The cases of apimachinery's selector_test.go TestSelectorMatches / TestSetIsInexact,
    /// as (selector, labels, matches).
    #[test]
    fn label_selectors_match_as_the_api_server_does() {
        let cases: &[(&str, &[(&str, &str)], bool)] = &[
            ("", &[("x", "y")], true),
            ("x=y", &[("x", "y")], true),
            ("x=y,z=w", &[("x", "y"), ("z", "w")], true),
            ("x!=y,z!=w", &[("x", "z"), ("z", "a")], true),
            ("notin=in", &[("notin", "in")], true),
            ("x", &[("x", "z")], true),
            ("!x", &[("y", "z")], true),
            ("x>1", &[("x", "2")], true),
            ("x<1", &[("x", "0")], true),
            ("x in (y,z)", &[("x", "y")], true),
            ("x notin (y,z)", &[("x", "w")], true),
            ("x notin (y,z)", &[], true),
            ("x=z", &[], false),
            ("x=y", &[("x", "z")], false),
            ("x=y,z=w", &[("x", "w"), ("z", "w")], false),
            ("x!=y,z!=w", &[("x", "z"), ("z", "w")], false),
            ("x", &[("y", "z")], false),
            ("!x", &[("x", "z")], false),
            ("x>1", &[("x", "0")], false),
            ("x<1", &[("x", "2")], false),
            ("x in (y,z)", &[("x", "w")], false),
            ("x notin (y,z)", &[("x", "y")], false),
            ("app=web, tier in (front, back)", &[("app", "web"), ("tier", "back")], true),
        ];
        for (selector, have, want) in cases {
            let s = LabelSelector::parse(selector).unwrap_or_else(|e| panic!("{selector}: {e}"));
            assert_eq!(s.matches(&labels(have)), *want, "{selector} on {have:?}");
        }
    }

    #[test]
    fn bad_label_selectors_are_errors() {
        for bad in ["x y", "x in y", "x>a", "-x=y"] {
            assert!(LabelSelector::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn field_selectors_take_equality_on_supported_fields_only() {
        let fields = ["metadata.name", "status.phase"];
        let s = FieldSelector::parse("status.phase=Running,metadata.name!=web-0", &fields).unwrap();
        let pod = |name: &str, phase: &str| {
            let (name, phase) = (name.to_string(), phase.to_string());
            move |f: &str| if f == "metadata.name" { name.clone() } else { phase.clone() }
        };
        assert!(s.matches(pod("web-1", "Running")));
        assert!(!s.matches(pod("web-0", "Running")));
        assert!(!s.matches(pod("web-1", "Pending")));
        assert_eq!(FieldSelector::parse("spec.foo=bar", &fields), Err("field label not supported: spec.foo".into()));
        assert!(FieldSelector::parse("status.phase", &fields).is_err());
    }
}
