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
