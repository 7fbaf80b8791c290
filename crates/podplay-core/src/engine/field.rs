//! The API server's field errors (apimachinery's `pkg/util/validation/field`): the field's path,
//! the error in the API server's words, and, for podplay's diagnostics, which part of the YAML
//! the error is about (the key, its value, or the one handler too many) and a suggestion.

use crate::source::closest;

/// Which text of the field an error points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aim {
    /// The key (or list item) at the field's path; when it is not written (a required field left
    /// out), the nearest enclosing field that is.
    Key,
    /// The field's value (`always` in `restartPolicy: always`).
    Value,
    /// The second of these keys under the field, in the order the YAML writes them: the first
    /// one too many (a probe with two handlers).
    SecondOf(&'static [&'static str]),
}

/// One `field.Error`: `Display` is its `Error()`, `PATH: TYPE: DETAIL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `spec.containers[0].image`.
    pub field: String,
    /// `Required value`, `Unsupported value: "always": supported values: ...`.
    pub detail: String,
    pub aim: Aim,
    /// `did you mean "Always"?`: podplay's, never part of the API server's words.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.detail)
    }
}

impl FieldError {
    /// An error about the field as a whole (required, forbidden, a mapping's value): at its key.
    pub fn at_key(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), detail: detail.into(), aim: Aim::Key, suggestion: None }
    }

    /// An error about the field's value (`Invalid value: -1`, `Duplicate value: "c"`): at it.
    pub fn at_value(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), detail: detail.into(), aim: Aim::Value, suggestion: None }
    }

    /// `field.NotSupported`: `Unsupported value: "always": supported values: "Always", ...`,
    /// at the value, with the supported value it is nearest to.
    pub fn not_supported(field: impl Into<String>, value: &str, supported: &[&str]) -> FieldError {
        // Go's %q (strconv.Quote), as field.NotSupported and ErrorBody quote them: not Rust's
        // Debug, which escapes printable non-ASCII and writes `\u{..}`.
        let quote = podplay_k8s_util::gofmt::quote;
        let list: Vec<String> = supported.iter().map(|s| quote(s)).collect();
        let detail = format!("Unsupported value: {}: supported values: {}", quote(value), list.join(", "));
        let suggestion = closest(value, supported).map(|s| format!("did you mean {}?", quote(s)));
        FieldError { suggestion, ..FieldError::at_value(field, detail) }
    }
}

/// apimachinery's `RegexError`: the message, examples and the regular expression.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}'")).collect();
    format!("{msg} (e.g. {}, regex used for validation is '{fmt}')", examples.join(",  or "))
}

/// `validation.IsDNS1123Subdomain`.
pub(crate) fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !value.split('.').all(label_ok) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errs
}

/// `validation.IsDNS1123Label` (a namespace's name, `ValidateNamespaceName`).
pub fn dns1123_label_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let ok = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if !ok {
        errs.push(regex_error(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "123-abc"],
        ));
    }
    errs
}

/// `validation.IsQualifiedName`: an optional DNS subdomain prefix and `/`, then a name of at
/// most 63 alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric.
pub fn qualified_name_errors(value: &str) -> Vec<String> {
    const NAME_MSG: &str =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    const NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    let examples = ["MyName", "my.name", "123-abc"];
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts[..] {
        [name] => name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(dns1123_subdomain_errors(prefix).into_iter().map(|m| format!("prefix part {m}")));
            }
            name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(NAME_MSG, NAME_FMT, &examples)
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    let name_ok = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !name_ok {
        errs.push(format!("name part {}", regex_error(NAME_MSG, NAME_FMT, &examples)));
    }
    errs
}

/// `validation.IsValidLabelValue`: empty, or at most 63 alphanumerics, `-`, `_` and `.`,
/// starting and ending alphanumeric.
pub fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let ok = value.is_empty()
        || (value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
    if !ok {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?",
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `ValidateLabels` (metav1 validation) of a label map at `path` (`metadata.labels`,
/// `spec.nodeSelector`): each key a qualified name, each value a label value; the errors at the
/// map itself, key by key in the keys' order (Go ranges over the map at random).
pub fn label_errors(labels: &std::collections::BTreeMap<String, String>, path: &str) -> Vec<FieldError> {
    let quote = podplay_k8s_util::gofmt::quote;
    let mut out = Vec::new();
    for (k, v) in labels {
        for msg in qualified_name_errors(k) {
            out.push(FieldError::at_key(path, format!("Invalid value: {}: {msg}", quote(k))));
        }
        for msg in label_value_errors(v) {
            out.push(FieldError::at_key(path, format!("Invalid value: {}: {msg}", quote(v))));
        }
    }
    out
}

/// `%#v` of a `[]string`, as `field.Invalid` writes a list value: `[]string{"a", "b"}`.
pub fn go_string_slice(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| podplay_k8s_util::gofmt::quote(i)).collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

/// `%#v` of a `metav1.LabelSelector`, as `field.Invalid` writes a selector value (the pointer
/// dereferenced): `v1.LabelSelector{MatchLabels:map[string]string{"app":"web"},
/// MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`.
pub fn go_label_selector(selector: &crate::model::apps::LabelSelector) -> String {
    let q = podplay_k8s_util::gofmt::quote;
    let labels = if selector.match_labels.is_empty() {
        "map[string]string(nil)".to_string()
    } else {
        let entries: Vec<String> = selector.match_labels.iter().map(|(k, v)| format!("{}:{}", q(k), q(v))).collect();
        format!("map[string]string{{{}}}", entries.join(", "))
    };
    let expressions = if selector.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let items: Vec<String> = selector
            .match_expressions
            .iter()
            .map(|r| {
                let values = if r.values.is_empty() { "[]string(nil)".to_string() } else { go_string_slice(&r.values) };
                format!("v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}", q(&r.key), q(&r.operator))
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{expressions}}}")
}

/// `ValidateFinalizers` (apimachinery's object meta validation): each name qualified, not both
/// `orphan` and `foregroundDeletion`. The errors are at `metadata.finalizers` itself.
pub fn finalizer_errors(finalizers: &[String]) -> Vec<FieldError> {
    let quote = podplay_k8s_util::gofmt::quote;
    let mut out = Vec::new();
    for f in finalizers {
        for msg in qualified_name_errors(f) {
            out.push(FieldError::at_value("metadata.finalizers", format!("Invalid value: {}: {msg}", quote(f))));
        }
    }
    if finalizers.iter().any(|f| f == "orphan") && finalizers.iter().any(|f| f == "foregroundDeletion") {
        out.push(FieldError::at_value(
            "metadata.finalizers",
            format!("Invalid value: {}: finalizer orphan and foregroundDeletion cannot be both set", go_string_slice(finalizers)),
        ));
    }
    out
}

/// `apierrors.NewInvalid`: an object the API server refused, with its field errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidObject {
    pub kind: &'static str,
    pub name: String,
    pub errors: Vec<FieldError>,
}

impl InvalidObject {
    /// `Ok` when there are no errors, else the refusal.
    pub fn check(kind: &'static str, name: &str, errors: Vec<FieldError>) -> Result<(), InvalidObject> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InvalidObject { kind, name: name.to_string(), errors })
        }
    }

    /// The refusal of an object without a name (checked first, alone).
    pub fn unnamed(kind: &'static str) -> InvalidObject {
        InvalidObject {
            kind,
            name: String::new(),
            errors: vec![FieldError::at_key("metadata.name", "Required value: name or generateName is required")],
        }
    }

    /// The field errors, each once, in order (`utilerrors.NewAggregate` drops repeats).
    pub fn unique_errors(&self) -> Vec<&FieldError> {
        let mut seen = std::collections::BTreeSet::new();
        self.errors.iter().filter(|e| seen.insert(e.to_string())).collect()
    }

    /// `The KIND "NAME" is invalid: `, the start of every refusal's message.
    pub fn lead(&self) -> String {
        format!("The {} {} is invalid: ", self.kind, podplay_k8s_util::gofmt::quote(&self.name))
    }
}

/// The API server's message: `The KIND "NAME" is invalid: ERRORS`, the field errors as
/// `utilerrors.NewAggregate` prints them: one as it is, several deduplicated, in brackets.
impl std::fmt::Display for InvalidObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unique: Vec<String> = self.unique_errors().iter().map(|e| e.to_string()).collect();
        let errors = if unique.len() == 1 { unique[0].clone() } else { format!("[{}]", unique.join(", ")) };
        write!(f, "{}{errors}", self.lead())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_message_and_suggestion() {
        let e = FieldError::not_supported("spec.restartPolicy", "always", &["Always", "OnFailure", "Never"]);
        assert_eq!(
            e.to_string(),
            "spec.restartPolicy: Unsupported value: \"always\": supported values: \"Always\", \"OnFailure\", \"Never\""
        );
        assert_eq!(e.suggestion.as_deref(), Some("did you mean \"Always\"?"));
        assert_eq!(FieldError::not_supported("f", "Sometimes", &["Always", "Never"]).suggestion, None);
        // Go's %q: printable non-ASCII as it is, a control or format character as \u.
        let odd = FieldError::not_supported("f", "Alwäys\u{202e}", &["Always"]);
        assert_eq!(odd.detail, "Unsupported value: \"Alwäys\\u202e\": supported values: \"Always\"");
        let twice =
            InvalidObject { kind: "Pod", name: "p".into(), errors: vec![FieldError::at_key("a", "b"), FieldError::at_key("a", "b")] };
        assert_eq!(twice.to_string(), "The Pod \"p\" is invalid: a: b");
        let two =
            InvalidObject { kind: "Pod", name: "p".into(), errors: vec![FieldError::at_key("a", "b"), FieldError::at_value("c", "d")] };
        assert_eq!(two.to_string(), "The Pod \"p\" is invalid: [a: b, c: d]");
    }
}
