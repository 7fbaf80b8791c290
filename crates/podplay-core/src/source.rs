//! Turning YAML text into API objects, with errors that say where: file, line, column, the
//! field path, and a suggestion where one can be made.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::model::{
    ConfigMap, CronJob, DaemonSet, Deployment, Image, Job, Node, Pod, PodDisruptionBudget, ReplicaSet, Scenario, Secret, Service,
    StatefulSet,
};

mod locate;
mod syntax;
pub use locate::{locate, position, Part, Position, SourceIndex, Span};

/// One input file: its name (for messages) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
    /// Field path such as `spec.containers[0].image`, when known.
    pub path: Option<String>,
    pub message: String,
    /// When the API server refused the object: its `metav1.StatusReason` (`AlreadyExists`); a
    /// client frames the message with it as it frames any API error.
    #[serde(skip)]
    pub status_reason: Option<&'static str>,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Where an object came from, so later validation errors can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub file: String,
    /// The 1-based line its document starts on.
    pub line: usize,
    /// Its document's text (shared by a List's items), for the line and column of a field the
    /// API server refuses (`locate::position`).
    pub document: Option<std::rc::Rc<str>>,
    /// Its index among a List's `items`.
    pub item: Option<usize>,
}

#[derive(Debug, Clone)]
pub enum Object {
    Pod(Box<Pod>),
    Service(Box<Service>),
    Node(Box<Node>),
    Scenario(Box<Scenario>),
    Image(Box<Image>),
    ReplicaSet(Box<ReplicaSet>),
    Deployment(Box<Deployment>),
    Job(Box<Job>),
    CronJob(Box<CronJob>),
    ConfigMap(Box<ConfigMap>),
    Secret(Box<Secret>),
    Namespace(Box<crate::model::Namespace>),
    StatefulSet(Box<StatefulSet>),
    DaemonSet(Box<DaemonSet>),
    PodDisruptionBudget(Box<PodDisruptionBudget>),
}

/// Every object of every file, in file order. Shared, not copied, by clones (an engine keeps
/// its manifests to be built again for earlier times, `replay.rs`).
#[derive(Debug, Clone, Default)]
pub struct Manifests {
    pub objects: std::rc::Rc<Vec<(Object, Origin)>>,
}

const KINDS: &[(&str, &str)] = &[
    ("v1", "Pod"),
    ("v1", "Service"),
    ("v1", "Node"),
    ("v1", "List"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "Namespace"),
    ("apps/v1", "ReplicaSet"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "DaemonSet"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("policy/v1", "PodDisruptionBudget"),
    // Served up to 1.24; the engine refuses it for a later release (`Release::pdb_v1beta1`).
    ("policy/v1beta1", "PodDisruptionBudget"),
    ("podplay.dev/v1alpha1", "Scenario"),
    ("podplay.dev/v1alpha1", "Image"),
];

/// A `v1` `List` as the loader reads it: its items are loaded one by one as manifests.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListDocument {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: crate::model::Opaque,
    #[serde(default)]
    pub items: Vec<serde_yaml::Value>,
}

/// Splits a YAML stream at `---` lines, keeping the 1-based line each document starts on, so
/// positions inside a document can be reported in the file's terms.
fn split_documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "..." {
            docs.push((start, std::mem::take(&mut current)));
            start = i + 2;
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    docs.push((start, current));
    docs
}

pub fn load(files: &[SourceFile]) -> Result<Manifests, Vec<Diagnostic>> {
    let mut out = Manifests::default();
    let mut errors = Vec::new();
    for file in files {
        for (start, doc) in split_documents(&file.text) {
            if let Err(d) = load_document(&file.name, start, &doc, &mut out) {
                errors.push(d);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn at(file: &str, line: usize, column: usize, path: Option<String>, message: String) -> Diagnostic {
    Diagnostic { file: file.to_string(), line, column, path, message, status_reason: None }
}

/// The line (1-based, within the document) of the first `key:` at the start of a line.
fn line_of_key(doc: &str, key: &str) -> usize {
    doc.lines().position(|l| l.trim_start().starts_with(&format!("{key}:"))).map(|i| i + 1).unwrap_or(1)
}

/// Kinds a learner meets on a real cluster that podplay does not simulate, each with the nearest
/// thing podplay does simulate, so the error teaches the way forward rather than only refusing.
const NEAREST: &[(&str, &str)] = &[
    ("ReplicationController", "use a ReplicaSet (apps/v1), its successor: the same `replicas` and `template`, with `selector.matchLabels`"),
    ("Ingress", "podplay simulates Services and their endpoints: reach the pods through the Service the Ingress would route to"),
    (
        "HorizontalPodAutoscaler",
        "podplay measures no load: set the Deployment's `replicas`, or add a scenario step that runs `kubectl scale`",
    ),
    (
        "PersistentVolumeClaim",
        "podplay simulates `emptyDir`, `configMap`, `secret`, `downwardAPI` and `projected` volumes: use an `emptyDir` volume for a pod's scratch data",
    ),
    (
        "PersistentVolume",
        "podplay simulates `emptyDir`, `configMap`, `secret`, `downwardAPI` and `projected` volumes: use an `emptyDir` volume for a pod's scratch data",
    ),
    ("StorageClass", "podplay simulates `emptyDir`, `configMap`, `secret`, `downwardAPI` and `projected` volumes: use an `emptyDir` volume for a pod's scratch data"),
    ("Endpoints", "podplay's endpoints controller writes a Service's endpoints from its selector: write the Service and label the pods"),
    (
        "EndpointSlice",
        "podplay's endpoints controller writes a Service's endpoints from its selector: write the Service and label the pods",
    ),
    ("NetworkPolicy", "podplay's pod network lets every pod reach every other; policies are not simulated"),
    (
        "ServiceAccount",
        "pods run as the namespace's `default` service account, whose token podplay mounts; other accounts and RBAC are not simulated",
    ),
    ("Role", "RBAC is not simulated: kubectl in podplay may do anything"),
    ("ClusterRole", "RBAC is not simulated: kubectl in podplay may do anything"),
    ("RoleBinding", "RBAC is not simulated: kubectl in podplay may do anything"),
    ("ClusterRoleBinding", "RBAC is not simulated: kubectl in podplay may do anything"),
];

fn load_document(file: &str, start: usize, doc: &str, out: &mut Manifests) -> Result<(), Diagnostic> {
    let value: serde_yaml::Value = match serde_yaml::from_str(doc) {
        Ok(v) => v,
        Err(e) => {
            let (l, c) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
            let message = strip_location(&e.to_string());
            // The student's words first (at the line that is wrong), libyaml's after.
            return Err(match syntax::explain(doc, l, c, &message) {
                Some(x) => at(file, start + x.line - 1, x.column, None, format!("{} (YAML: {message})", x.hint)),
                None => at(file, start + l - 1, c, None, message),
            });
        }
    };
    if value.is_null() {
        return Ok(());
    }
    let Some(map) = value.as_mapping() else {
        return Err(at(file, start, 1, None, "a manifest must be a mapping with apiVersion and kind".into()));
    };
    let get = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let Some(kind) = get("kind") else {
        return Err(at(
            file,
            start,
            1,
            Some("kind".into()),
            "Object 'Kind' is missing: every manifest needs `kind:` (for example `kind: Pod`)".into(),
        ));
    };
    let api_version = get("apiVersion").unwrap_or_default();
    let origin = Origin { file: file.to_string(), line: start, document: Some(doc.into()), item: None };
    if !KINDS.iter().any(|(v, k)| *k == kind && *v == api_version) {
        if let Some((v, k)) = KINDS.iter().find(|(_, k)| *k == kind) {
            let line = start + line_of_key(doc, "apiVersion") - 1;
            return Err(at(
                file,
                line,
                1,
                Some("apiVersion".into()),
                format!("no matches for kind \"{k}\" in version \"{api_version}\": use `apiVersion: {v}`"),
            ));
        }
        // At the kind's value, found as every refused field is (`locate::position`).
        let (line, column) = locate::position(&origin, "kind", locate::Part::Value)
            .map_or((start + line_of_key(doc, "kind") - 1, 1), |p| (p.line, p.column));
        if let Some((_, nearest)) = NEAREST.iter().find(|(k, _)| *k == kind) {
            return Err(at(file, line, column, Some("kind".into()), format!("podplay does not simulate {kind}: {nearest}")));
        }
        let names: Vec<&str> = KINDS.iter().map(|(_, k)| *k).collect();
        let hint = closest(&kind, &names).map(|s| format!("; did you mean {s:?}?")).unwrap_or_default();
        return Err(at(file, line, column, Some("kind".into()), format!("no matches for kind \"{kind}\" in version \"{api_version}\" (podplay knows Pod, Service, Node, ConfigMap, Secret, Namespace, List, apps/v1 Deployment, ReplicaSet, StatefulSet and DaemonSet, batch/v1 Job and CronJob, policy/v1 PodDisruptionBudget, and podplay.dev/v1alpha1 Scenario and Image){hint}")));
    }
    match kind.as_str() {
        "Pod" => std::rc::Rc::make_mut(&mut out.objects).push((Object::Pod(Box::new(typed_from(&value, file, start, doc)?)), origin)),
        "Service" => {
            std::rc::Rc::make_mut(&mut out.objects).push((Object::Service(Box::new(typed_from(&value, file, start, doc)?)), origin))
        }
        "Node" => std::rc::Rc::make_mut(&mut out.objects).push((Object::Node(Box::new(typed_from(&value, file, start, doc)?)), origin)),
        "Scenario" => {
            std::rc::Rc::make_mut(&mut out.objects).push((Object::Scenario(Box::new(typed_from(&value, file, start, doc)?)), origin))
        }
        "Image" => std::rc::Rc::make_mut(&mut out.objects).push((Object::Image(Box::new(typed_from(&value, file, start, doc)?)), origin)),
        "ReplicaSet" => {
            std::rc::Rc::make_mut(&mut out.objects).push((Object::ReplicaSet(Box::new(typed_from(&value, file, start, doc)?)), origin))
        }
        "Deployment" => {
            std::rc::Rc::make_mut(&mut out.objects).push((Object::Deployment(Box::new(typed_from(&value, file, start, doc)?)), origin))
        }
        "Job" => std::rc::Rc::make_mut(&mut out.objects).push((Object::Job(Box::new(typed_from(&value, file, start, doc)?)), origin)),
        "CronJob" => {
            std::rc::Rc::make_mut(&mut out.objects).push((Object::CronJob(Box::new(typed_from(&value, file, start, doc)?)), origin))
        }
        "ConfigMap" => {
            std::rc::Rc::make_mut(&mut out.objects).push((Object::ConfigMap(Box::new(typed_from(&value, file, start, doc)?)), origin))
        }
        "Secret" => std::rc::Rc::make_mut(&mut out.objects).push((Object::Secret(Box::new(typed_from(&value, file, start, doc)?)), origin)),
        "Namespace" => {
            std::rc::Rc::make_mut(&mut out.objects).push((Object::Namespace(Box::new(typed_from(&value, file, start, doc)?)), origin))
        }
        "StatefulSet" => {
            std::rc::Rc::make_mut(&mut out.objects).push((Object::StatefulSet(Box::new(typed_from(&value, file, start, doc)?)), origin))
        }
        "DaemonSet" => {
            std::rc::Rc::make_mut(&mut out.objects).push((Object::DaemonSet(Box::new(typed_from(&value, file, start, doc)?)), origin))
        }
        "PodDisruptionBudget" => std::rc::Rc::make_mut(&mut out.objects)
            .push((Object::PodDisruptionBudget(Box::new(typed_from(&value, file, start, doc)?)), origin)),
        "List" => {
            let list: ListDocument = typed(file, start, doc)?;
            for (i, item) in list.items.into_iter().enumerate() {
                // Positions inside a List are re-derived from the item's own YAML text, which
                // keeps field paths exact and lines relative to the List's start.
                let text = serde_yaml::to_string(&item).unwrap_or_default();
                let line = start + line_of_key(doc, "items") - 1;
                let before = out.objects.len();
                load_document(file, line, &text, out)?;
                // The API server's refusals point into the List's own text.
                for (_, o) in &mut std::rc::Rc::make_mut(&mut out.objects)[before..] {
                    *o = Origin { item: Some(i), ..origin.clone() };
                }
            }
        }
        _ => unreachable!("kind checked against KINDS"),
    }
    Ok(())
}

/// The document as `T` from its already parsed `value` (parsing it again is most of the cost of
/// loading thousands of pods); only when that fails is the text deserialised again, for the
/// error's line, column and field path. In wasm the text is deserialised directly: the page's
/// documents are small, and a second set of deserialisers would add about 55 KB (gzipped) to
/// what every visitor downloads.
#[cfg(not(target_arch = "wasm32"))]
fn typed_from<T: DeserializeOwned>(value: &serde_yaml::Value, file: &str, start: usize, doc: &str) -> Result<T, Diagnostic> {
    match T::deserialize(value) {
        Ok(t) => Ok(t),
        Err(_) => typed(file, start, doc),
    }
}

#[cfg(target_arch = "wasm32")]
fn typed_from<T: DeserializeOwned>(_value: &serde_yaml::Value, file: &str, start: usize, doc: &str) -> Result<T, Diagnostic> {
    typed(file, start, doc)
}

fn typed<T: DeserializeOwned>(file: &str, start: usize, doc: &str) -> Result<T, Diagnostic> {
    T::deserialize(serde_yaml::Deserializer::from_str(doc)).map_err(|e| typed_error(file, start, e))
}

/// [`typed`]'s error in Kubernetes terms (one copy for every kind).
fn typed_error(file: &str, start: usize, e: serde_yaml::Error) -> Diagnostic {
    let (l, c) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
    let (path, message) = split_error_path(&strip_location(&e.to_string()));
    let mut message = suggest_field(&message);
    message = type_in_words(&message).unwrap_or(message);
    let text = match &path {
        Some(p) => format!("{p}: {message}"),
        None => message,
    };
    at(file, start + l - 1, c, path, text)
}

/// serde's own messages, which serde_yaml prefixes with the path of the value that failed
/// (`spec.containers[0].image: invalid type: ...`); none when the document itself failed.
const SERDE_MESSAGE_HEADS: &[&str] =
    &["invalid type", "invalid value", "invalid length", "unknown variant", "unknown field", "missing field", "duplicate field"];

/// The field path and the message of a serde_yaml error. An unknown field's path names the
/// field (serde_yaml's names the mapping it is in), so that the error points at the key.
fn split_error_path(full: &str) -> (Option<String>, String) {
    let (path, message) = match full.split_once(": ") {
        Some((head, rest)) if !SERDE_MESSAGE_HEADS.iter().any(|h| full.starts_with(h)) && !head.is_empty() => {
            (Some(head.to_string()), rest.to_string())
        }
        _ => (None, full.to_string()),
    };
    let unknown = expected_fields(&message).map(|(field, _)| field);
    let path = match (path, unknown) {
        (Some(p), Some(field)) => Some(format!("{p}.{field}")),
        (None, Some(field)) => Some(field.to_string()),
        (path, None) => path,
    };
    (path, message)
}

fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// serde's `invalid type: GOT, expected WANT` in Kubernetes terms: what the field takes, and
/// what the YAML gives it (`an integer, without quotes (got the string "80")`).
fn type_in_words(message: &str) -> Option<String> {
    let (got, want) = message.strip_prefix("invalid type: ")?.rsplit_once(", expected ")?;
    let string = got.strip_prefix("string ");
    // `"80"` for an integer: the quotes are the mistake.
    let text = string.map(|s| s.trim_matches('"'));
    let unquote = |parses: bool| if parses { ", without quotes" } else { "" };
    let got_words = match got {
        _ if string.is_some() => format!("the string {}", string.unwrap_or_default()),
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" => "nothing".into(),
        _ => {
            let (what, value) = got.strip_suffix('`')?.split_once(" `")?;
            match what {
                "integer" | "floating point" => format!("the number {value}"),
                "boolean" => value.to_string(),
                _ => return None,
            }
        }
    };
    let want_words = match want {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "isize" | "usize" => {
            format!("an integer{}", unquote(text.is_some_and(|t| t.parse::<i64>().is_ok())))
        }
        "f32" | "f64" => format!("a number{}", unquote(text.is_some_and(|t| t.parse::<f64>().is_ok()))),
        "a boolean" => format!("true or false{}", unquote(matches!(text, Some("true" | "false")))),
        "a string" => "a string".into(),
        "a sequence" => "a list: start each item with `- `".into(),
        _ if want == "a map" || want.starts_with("struct ") => match got {
            "sequence" => "a mapping of `key: value` lines, not a list: remove the `- `".into(),
            _ => "a mapping of `key: value` lines".into(),
        },
        _ => return None,
    };
    Some(format!("{want_words} (got {got_words})"))
}

/// Adds "did you mean" to serde's `unknown field` messages.
fn suggest_field(message: &str) -> String {
    let Some((field, expected)) = expected_fields(message) else {
        return message.to_string();
    };
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    match closest(&field, &expected) {
        Some(best) => format!("unknown field `{field}`; did you mean `{best}`?"),
        None => format!("unknown field `{field}`"),
    }
}

/// From serde's `unknown field `x`, expected one of `a`, `b`` message: the unknown field and
/// the fields the type accepts there (serde's own list, which the schema tests compare with).
pub(crate) fn expected_fields(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let end = rest.find('`')?;
    let field = rest[..end].to_string();
    let expected = rest.split('`').skip(2).step_by(2).map(str::to_string).collect();
    Some((field, expected))
}

/// The candidate nearest to `word` by edit distance, when it is near enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lw = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lw, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_one(text: &str) -> Result<Manifests, Vec<Diagnostic>> {
        load(&[SourceFile { name: "pod.yaml".into(), text: text.into() }])
    }

    /// A step's manifest is YAML text (`manifest: |`) or, as users write it first, the object as
    /// a mapping under the key: both give the same text to `kubectl apply -f -`.
    #[test]
    fn a_step_manifest_may_be_text_or_a_mapping() {
        let step = |manifest: &str| {
            format!("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec:\n  steps:\n  - at: 5s\n    run: kubectl apply -f -\n    manifest:{manifest}")
        };
        let manifest_of = |text: &str| {
            let m = load_one(text).unwrap();
            match &m.objects[0].0 {
                Object::Scenario(s) => s.spec.steps[0].manifest.clone(),
                _ => panic!("a scenario"),
            }
        };
        let object = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n";
        let indented: String = object.lines().map(|l| format!("      {l}\n")).collect();
        assert_eq!(manifest_of(&step(&format!(" |\n{indented}"))).as_deref(), Some(object));
        assert_eq!(manifest_of(&step(&format!("\n{indented}"))).as_deref(), Some(object));
        let err = load_one(&step(" [1, 2]\n")).unwrap_err();
        assert!(err[0].message.contains("the objects as YAML text (`manifest: |`) or one object as a mapping"), "{:?}", err[0].message);
    }

    #[test]
    fn misspelt_field_points_at_it_with_a_suggestion() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: busybox\n    imagePullPolcy: Always\n";
        let err = load_one(text).unwrap_err();
        assert_eq!(err.len(), 1);
        let d = &err[0];
        assert_eq!((d.line, d.column), (9, 5));
        assert_eq!(d.path.as_deref(), Some("spec.containers[0].imagePullPolcy"));
        assert_eq!(d.message, "spec.containers[0].imagePullPolcy: unknown field `imagePullPolcy`; did you mean `imagePullPolicy`?");
    }

    /// An int-or-string, a quantity and a step time are each reported at the value that is
    /// wrong (not at the mapping around it), with what was expected.
    #[test]
    fn a_wrong_value_of_a_field_with_two_forms_points_at_the_value() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    livenessProbe:\n      httpGet:\n        path: /\n        port: {a: 1}\n";
        let d = &load_one(pod).unwrap_err()[0];
        assert_eq!((d.line, d.column, d.path.as_deref()), (11, 15, Some("spec.containers[0].livenessProbe.httpGet.port")));
        assert_eq!(d.message, "spec.containers[0].livenessProbe.httpGet.port: invalid type: map, expected an integer or a string");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    resources:\n      limits:\n        memory: [1]\n";
        let d = &load_one(pod).unwrap_err()[0];
        assert_eq!((d.line, d.column, d.path.as_deref()), (10, 17, Some("spec.containers[0].resources.limits.memory")));
        assert!(d.message.ends_with("expected a quantity (a number, or a string such as 100m or 64Mi)"), "{}", d.message);
        let scenario = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  steps:\n  - at: -5\n    run: kubectl get pods\n";
        let d = &load_one(scenario).unwrap_err()[0];
        assert_eq!((d.line, d.column, d.path.as_deref()), (6, 9, Some("spec.steps[0].at")));
    }

    #[test]
    fn positions_count_from_the_file_start_in_later_documents() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: lots\n";
        let d = &load_one(text).unwrap_err()[0];
        assert_eq!(d.line, 14);
        assert_eq!(d.message, "spec.containers[0].ports[0].containerPort: an integer (got the string \"lots\")");
        assert_eq!(d.to_string(), format!("pod.yaml:14:22: {}", d.message));
    }

    #[test]
    fn unknown_kind_and_wrong_api_version() {
        let d = &load_one("apiVersion: v1\nkind: Pdo\n").unwrap_err()[0];
        assert_eq!(d.line, 2);
        assert!(d.message.contains("did you mean \"Pod\""), "{}", d.message);
        let d = &load_one("apiVersion: apps/v1\nkind: Pod\n").unwrap_err()[0];
        assert!(d.message.contains("use `apiVersion: v1`"), "{}", d.message);
        let d = &load_one("apiVersion: extensions/v1beta1\nkind: Deployment\n").unwrap_err()[0];
        assert!(d.message.contains("use `apiVersion: apps/v1`"), "{}", d.message);
    }

    #[test]
    fn a_kind_podplay_does_not_simulate_names_the_nearest_it_does_at_the_value() {
        let (line, column, path, message) = one_error("apiVersion: networking.k8s.io/v1\nkind:   Ingress\nmetadata: {name: c}\n");
        assert_eq!((line, column, path.as_deref()), (2, 9, Some("kind")));
        assert_eq!(message, "podplay does not simulate Ingress: podplay simulates Services and their endpoints: reach the pods through the Service the Ingress would route to");
        let (_, column, _, message) = one_error("apiVersion: v1\nkind: Pdo\n");
        assert_eq!(column, 7);
        assert!(message.contains("did you mean \"Pod\""), "{message}");
        // Every kind named has no simulation (else the table would hide a working kind).
        for (kind, _) in NEAREST {
            assert!(!KINDS.iter().any(|(_, k)| k == kind), "{kind} is simulated");
        }
    }

    #[test]
    fn syntax_error_has_a_position() {
        let d = &load_one("apiVersion: v1\nkind: Pod\nmetadata: {name: p\n").unwrap_err()[0];
        assert!(d.line >= 3, "{d:?}");
    }

    /// (line, column, path, message) of the one diagnostic `text` gets.
    fn one_error(text: &str) -> (usize, usize, Option<String>, String) {
        let errors = load_one(text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let d = &errors[0];
        (d.line, d.column, d.path.clone(), d.message.clone())
    }

    const CONTAINER: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: busybox\n";

    #[test]
    fn types_in_kubernetes_terms() {
        let port = format!("{CONTAINER}    ports:\n    - containerPort: \"80\"\n");
        let path = "spec.containers[0].ports[0].containerPort";
        assert_eq!(one_error(&port), (10, 22, Some(path.into()), format!("{path}: an integer, without quotes (got the string \"80\")")));
        let flag = CONTAINER.replace("spec:\n", "spec:\n  automountServiceAccountToken: \"false\"\n");
        let path = "spec.automountServiceAccountToken";
        assert_eq!(
            one_error(&flag),
            (6, 33, Some(path.into()), format!("{path}: true or false, without quotes (got the string \"false\")"))
        );
        let map_for_list = format!("{CONTAINER}    ports:\n      containerPort: 80\n");
        let path = "spec.containers[0].ports";
        assert_eq!(
            one_error(&map_for_list),
            (10, 7, Some(path.into()), format!("{path}: a list: start each item with `- ` (got a mapping)"))
        );
        let list_for_map = format!("{CONTAINER}    livenessProbe:\n    - exec: {{command: [ls]}}\n");
        let path = "spec.containers[0].livenessProbe";
        assert_eq!(
            one_error(&list_for_map),
            (10, 5, Some(path.into()), format!("{path}: a mapping of `key: value` lines, not a list: remove the `- ` (got a list)"))
        );
    }

    #[test]
    fn indentation_mistakes_at_the_line_that_is_wrong() {
        let deeper = format!("{CONTAINER}      livenessProbe:\n        exec: {{command: [ls]}}\n");
        assert_eq!(
            one_error(&deeper),
            (
                9,
                7,
                None,
                "`livenessProbe` is indented under `image` (column 7); align it with `image` (column 5) (YAML: mapping values are not allowed in this context)".into()
            )
        );
        let shallower = "apiVersion: v1\nkind: Pod\nmetadata:\n    name: p\n    labels: {}\n   annotations: {}\n";
        assert_eq!(
            one_error(shallower),
            (6, 4, None, "`annotations` is indented 3 spaces; its siblings use 4 (YAML: did not find expected key)".into())
        );
        // In a later document, lines count from the file's start.
        let later = format!("apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\n---\n{shallower}");
        assert_eq!(one_error(&later).0, 10);
        let colon = format!("{CONTAINER}    command: echo a: b\n");
        assert_eq!(
            one_error(&colon),
            (
                9,
                14,
                None,
                "the value of `command` contains `: `, which YAML reads as a new key; put the value in quotes: `command: \"echo a: b\"` (YAML: mapping values are not allowed in this context)".into()
            )
        );
    }

    #[test]
    fn lists_and_empty_documents() {
        let text = "---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec: {containers: [{name: c, image: busybox}]}\n---\n";
        let m = load_one(text).unwrap();
        assert_eq!(m.objects.len(), 1);
    }
}
