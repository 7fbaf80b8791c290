//! `kubectl get --sort-by=FIELD` (kubectl `pkg/cmd/get/sorter.go`): the rows are sorted by the
//! first value a JSONPath finds in each object as the API serves it (unstructured JSON), with
//! Go's `sort.Sort` (not stable: equal keys end in the order the algorithm leaves them) and
//! kubectl's `Less`:
//!
//! * a row without the field sorts before the other (even before another without it);
//! * `null` (say `lastTimestamp` of an events.k8s.io event) before any value;
//! * numbers by value; strings that both parse as quantities (`"100m"`, `"1234"`) by quantity,
//!   other strings byte by byte (1.31+) or in natural order (`sortorder.NaturalLess`, ≤1.30);
//! * anything else (a map, a list, a bool) stops kubectl with an unsortable-type error.
//!
//! Which `sort.Sort` and which string order are columns of the release table.

use podplay_core::version::Release;
use podplay_k8s_util::gosort;
use serde_json::Value;

pub use podplay_core::api_json::object_value;

/// A parsed `--sort-by` path: `RelaxedJSONPathExpression` accepts `a.b`, `.a.b`, `{a.b}` and
/// `{.a.b}`; podplay evaluates fields, `[N]` and `[*]` (the first match is the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortBy {
    /// The expression as kubectl normalises it, `{.a.b}` (its error messages quote it).
    pub field: String,
    steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Field(String),
    Index(usize),
    All,
}

impl SortBy {
    pub fn parse(input: &str) -> Result<SortBy, String> {
        // jsonRegexp: ^\{\.?([^{}]+)\}$|^\.?([^{}]+)$
        let spec = if let Some(inner) = input.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            inner.strip_prefix('.').unwrap_or(inner)
        } else {
            input.strip_prefix('.').unwrap_or(input)
        };
        if spec.is_empty() || spec.contains(['{', '}']) {
            return Err(
                "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n".into(),
            );
        }
        let unsupported = || {
            format!("error: podplay's --sort-by takes a path of fields, [N] and [*] (e.g. .lastTimestamp or .status.containerStatuses[0].restartCount), not {input:?}\n")
        };
        let mut steps = Vec::new();
        for part in spec.split('.') {
            let (name, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if name.is_empty() && rest.is_empty() {
                return Err(unsupported());
            }
            if !name.is_empty() {
                if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                    return Err(unsupported());
                }
                steps.push(Step::Field(name.to_string()));
            }
            while let Some(r) = rest.strip_prefix('[') {
                let Some(end) = r.find(']') else { return Err(unsupported()) };
                let inner = &r[..end];
                steps.push(match inner {
                    "*" => Step::All,
                    n => Step::Index(n.parse().map_err(|_| unsupported())?),
                });
                rest = &r[end + 1..];
            }
            if !rest.is_empty() {
                return Err(unsupported());
            }
        }
        Ok(SortBy { field: format!("{{.{spec}}}"), steps })
    }

    /// The first value the path finds (None: the object lacks the field; an index past the end
    /// of a list counts as lacking it).
    pub fn key<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        fn walk<'v>(v: &'v Value, steps: &[Step]) -> Option<&'v Value> {
            let Some((step, rest)) = steps.split_first() else { return Some(v) };
            match (step, v) {
                (Step::Field(f), Value::Object(m)) => walk(m.get(f)?, rest),
                (Step::Index(i), Value::Array(a)) => walk(a.get(*i)?, rest),
                (Step::All, Value::Array(a)) => a.iter().find_map(|x| walk(x, rest)),
                _ => None,
            }
        }
        walk(v, &self.steps)
    }

    /// Sorts `items` (in the API's list order) by their JSON `value`s, as kubectl would.
    pub fn sort<T>(&self, items: &mut Vec<T>, value: impl Fn(&T) -> Value, release: &Release) -> Result<(), String> {
        let mut keyed: Vec<(Option<Value>, T)> = items.drain(..).map(|t| (self.key(&value(&t)).cloned(), t)).collect();
        if !keyed.is_empty() && keyed.iter().all(|(k, _)| k.is_none()) {
            return Err(format!("error: couldn't find any field with path \"{}\" in the list of objects\n", self.field));
        }
        let mut unsortable: Option<String> = None;
        let alg = release.kubectl_sort;
        gosort::sort(alg, &mut keyed, |a, b| match (&a.0, &b.0) {
            (None, _) => true,
            (_, None) => false,
            (Some(i), Some(j)) => match less(i, j, release) {
                Ok(l) => l,
                Err(e) => {
                    unsortable.get_or_insert(e);
                    false
                }
            },
        });
        if let Some(kind) = unsortable {
            return Err(format!(
                "error: podplay cannot sort by {}: kubectl stops here, as the field is an unsortable type ({kind})\n",
                self.field
            ));
        }
        items.extend(keyed.into_iter().map(|(_, t)| t));
        Ok(())
    }
}

/// isLess on two unstructured values.
fn less(i: &Value, j: &Value, release: &Release) -> Result<bool, String> {
    match (i, j) {
        (Value::Null, Value::Null) => Ok(false),
        (Value::Null, _) => Ok(true),
        (_, Value::Null) => Ok(false),
        (Value::Number(a), Value::Number(b)) => Ok(match (a.as_i64(), b.as_i64()) {
            (Some(x), Some(y)) => x < y,
            _ => a.as_f64().unwrap_or(0.0) < b.as_f64().unwrap_or(0.0),
        }),
        (Value::String(a), Value::String(b)) => Ok(string_less(a, b, release)),
        (Value::String(_) | Value::Number(_), _) => Err("unsortable interface: interface".into()),
        (Value::Bool(_), _) => Err("unsortable type: bool".into()),
        (Value::Array(_), _) => Err("unsortable type: []interface {}".into()),
        (Value::Object(_), _) => Err("unsortable type: map[string]interface {}".into()),
    }
}

fn string_less(a: &str, b: &str, release: &Release) -> bool {
    let plain = |a: &str, b: &str| if release.kubectl_sort_natural { natural_less(a, b) } else { a < b };
    let Some(qa) = quantity(a) else { return plain(a, b) };
    match quantity(b) {
        Some(qb) => qa < qb,
        // 1.22 ignored the second parse error and compared with a zero quantity.
        None if release.kubectl_sort_quantity_zero => qa < 0.0,
        None => plain(a, b),
    }
}

/// `resource.ParseQuantity`'s value, for strings it accepts: a signed decimal number and a
/// binary-SI, decimal-SI or exponent suffix.
fn quantity(s: &str) -> Option<f64> {
    let (sign, body) = match s.as_bytes().first()? {
        b'+' => (1.0, &s[1..]),
        b'-' => (-1.0, &s[1..]),
        _ => (1.0, s),
    };
    let digits_end = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
    let (number, suffix) = body.split_at(digits_end);
    if number.is_empty() || number == "." || number.matches('.').count() > 1 {
        return None;
    }
    let n: f64 = number.parse().ok()?;
    let scale = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        e => {
            let exp = e.strip_prefix(['e', 'E'])?;
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            10f64.powi(exp.parse().ok()?)
        }
    };
    Some(sign * n * scale)
}

/// `sortorder.NaturalLess`: digit runs compare as numbers (fewer leading zeros first on a
/// tie), everything else byte by byte, digits before other bytes.
pub fn natural_less(s1: &str, s2: &str) -> bool {
    let (a, b) = (s1.as_bytes(), s2.as_bytes());
    let (mut i1, mut i2) = (0, 0);
    while i1 < a.len() && i2 < b.len() {
        let (c1, c2) = (a[i1], b[i2]);
        let (d1, d2) = (c1.is_ascii_digit(), c2.is_ascii_digit());
        if d1 != d2 {
            return d1;
        }
        if !d1 {
            if c1 != c2 {
                return c1 < c2;
            }
            i1 += 1;
            i2 += 1;
            continue;
        }
        while i1 < a.len() && a[i1] == b'0' {
            i1 += 1;
        }
        while i2 < b.len() && b[i2] == b'0' {
            i2 += 1;
        }
        let (nz1, nz2) = (i1, i2);
        while i1 < a.len() && a[i1].is_ascii_digit() {
            i1 += 1;
        }
        while i2 < b.len() && b[i2].is_ascii_digit() {
            i2 += 1;
        }
        if i1 - nz1 != i2 - nz2 {
            return i1 - nz1 < i2 - nz2;
        }
        if a[nz1..i1] != b[nz2..i2] {
            return a[nz1..i1] < b[nz2..i2];
        }
        if nz1 != nz2 {
            return nz1 < nz2;
        }
    }
    a.len() < b.len()
}

pub use podplay_core::api_objects::event_value;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_as_kubectl_relaxes_them() {
        for input in [".lastTimestamp", "lastTimestamp", "{.lastTimestamp}", "{lastTimestamp}"] {
            assert_eq!(SortBy::parse(input).unwrap().field, "{.lastTimestamp}", "{input}");
        }
        let p = SortBy::parse(".status.containerStatuses[0].restartCount").unwrap();
        let pod = serde_json::json!({"status": {"containerStatuses": [{"restartCount": 3}, {"restartCount": 9}]}});
        assert_eq!(p.key(&pod), Some(&Value::from(3)));
        let all = SortBy::parse(".status.containerStatuses[*].restartCount").unwrap();
        assert_eq!(all.key(&pod), Some(&Value::from(3)));
        assert_eq!(SortBy::parse(".status.containerStatuses[2].restartCount").unwrap().key(&pod), None);
        assert!(SortBy::parse("{.a").is_err());
        assert!(SortBy::parse(".items[?(@.x)]").unwrap_err().contains("podplay's --sort-by"));
    }

    #[test]
    fn natural_order_and_quantities() {
        assert!(natural_less("web-9", "web-10"));
        assert!(!natural_less("web-10", "web-9"));
        assert!(natural_less("a2", "a02"));
        assert!(natural_less("1a", "a"));
        assert!(natural_less("ab", "abc"));
        assert_eq!(quantity("100m"), Some(0.1));
        assert_eq!(quantity("64Mi"), Some(64.0 * 1024.0 * 1024.0));
        assert_eq!(quantity("1e3"), Some(1000.0));
        assert_eq!(quantity("1234"), Some(1234.0));
        for not in ["", ".", "web-1", "2026-12-04T01:00:00Z", "10.244.0.5", "1x"] {
            assert_eq!(quantity(not), None, "{not}");
        }
    }
}
