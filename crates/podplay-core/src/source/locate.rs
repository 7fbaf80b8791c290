//! From (object, field path) back to the text: which lines of the source a field such as
//! `spec.containers[0].livenessProbe.periodSeconds` of `pod/web` was written on. The positions
//! come from serde_yaml's own marks (the same ones load errors carry), by walking the document
//! with a seed that stops, with a marker error, at the wanted key.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;

use super::{split_documents, Origin, SourceFile};

/// Where a field path is written: from its key to the end of its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    pub file: String,
    /// 1-based; `line`:`column` is the key (or the list item).
    pub line: usize,
    pub column: usize,
    /// 1-based, inclusive line; the column just after the value's last character.
    pub end_line: usize,
    pub end_column: usize,
    /// The path found: the one asked for, or, when that is not written (a default), the
    /// nearest enclosing path that is.
    pub path: String,
    /// True when the path asked for is written in the text.
    pub exact: bool,
}

/// One document (or List item) that holds an object.
struct Holder {
    file: usize,
    /// 1-based line the document starts on in its file.
    start: usize,
    /// Columns to add: a scenario step's `manifest: |` text sits indented in the file.
    indent: usize,
    text: String,
    /// `pod/NAME` (kind lower-cased, as timeline changes name objects).
    object: String,
    /// `items[3]` for a List's item, else empty.
    prefix: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            out.push(Segment::Key(rest[..i].to_string()));
            rest = &rest[i..];
            while let Some(close) = rest.find(']') {
                // `containers[0]` is an item; `data[key.txt]` a map's key.
                out.push(match rest[1..close].parse() {
                    Ok(n) => Segment::Index(n),
                    Err(_) => Segment::Key(rest[1..close].to_string()),
                });
                rest = &rest[close + 1..];
            }
        } else {
            out.push(Segment::Key(rest.to_string()));
        }
    }
    out
}

fn render_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        match s {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The documents of some files, indexed by the object each holds, for repeated look-ups
/// (a timeline names the same few fields many times: answers are kept).
pub struct SourceIndex<'a> {
    files: &'a [SourceFile],
    holders: Vec<Holder>,
    answers: RefCell<HashMap<(String, String), Option<Span>>>,
}

fn object_of(value: &serde_yaml::Value) -> Option<String> {
    let kind = value.get("kind")?.as_str()?;
    let name = value.get("metadata")?.get("name")?.as_str()?;
    Some(format!("{}/{name}", kind.to_lowercase()))
}

impl<'a> SourceIndex<'a> {
    pub fn new(files: &'a [SourceFile]) -> Self {
        let mut holders = Vec::new();
        for (f, file) in files.iter().enumerate() {
            index_text(f, 1, 0, &file.text, &mut holders);
        }
        SourceIndex { files, holders, answers: RefCell::new(HashMap::new()) }
    }

    /// Where `path` of `object` (`pod/NAME`) is written; when it is not (the API server's
    /// default applies), the nearest enclosing path that is, with `exact: false`.
    pub fn locate(&self, object: &str, path: &str) -> Option<Span> {
        let key = (object.to_string(), path.to_string());
        if let Some(answer) = self.answers.borrow().get(&key) {
            return answer.clone();
        }
        let answer = self.search(object, path);
        self.answers.borrow_mut().insert(key, answer.clone());
        answer
    }

    fn search(&self, object: &str, path: &str) -> Option<Span> {
        let (holder, template): (&Holder, &[&str]) = match self.holders.iter().find(|h| h.object == object) {
            Some(h) => (h, &[]),
            None => self.template_holder(object)?,
        };
        let wanted = parse_path(path);
        for keep in (0..=wanted.len()).rev() {
            let mut segments = holder.prefix.clone();
            segments.extend(template.iter().map(|k| Segment::Key(k.to_string())));
            segments.extend_from_slice(&wanted[..keep]);
            let Some((line, column)) = find(&holder.text, &segments) else { continue };
            let is_key = matches!(segments.last(), Some(Segment::Key(_)));
            let (end_line, end_column) = value_end(&holder.text, line, column, is_key);
            return Some(Span {
                file: self.files[holder.file].name.clone(),
                line: holder.start + line - 1,
                column: column + holder.indent,
                end_line: holder.start + end_line - 1,
                end_column: end_column + holder.indent,
                path: render_path(&wanted[..keep]),
                exact: keep == wanted.len(),
            });
        }
        None
    }
}

/// Indexes the documents of `text`, which starts on line `first_line` of file `f`, `indent`
/// columns in: plain documents, a List's items, and the objects a Scenario's steps create
/// from a literal `manifest: |` block or a block mapping under `manifest:` (whose lines are
/// the file's, less their indentation).
fn index_text(f: usize, first_line: usize, indent: usize, text: &str, holders: &mut Vec<Holder>) {
    for (start, doc) in split_documents(text) {
        let start = first_line + start - 1;
        let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&doc) else { continue };
        match value.get("kind").and_then(|k| k.as_str()) {
            Some("List") => {
                let items = value.get("items").and_then(|i| i.as_sequence()).cloned().unwrap_or_default();
                for (i, item) in items.iter().enumerate() {
                    if let Some(object) = object_of(item) {
                        let prefix = vec![Segment::Key("items".into()), Segment::Index(i)];
                        holders.push(Holder { file: f, start, indent, text: doc.clone(), object, prefix });
                    }
                }
            }
            Some("Scenario") => {
                let steps = value.get("spec").and_then(|s| s.get("steps")).and_then(|s| s.as_sequence()).cloned().unwrap_or_default();
                for (i, step) in steps.iter().enumerate() {
                    let Some(manifest) = step.get("manifest") else { continue };
                    let at =
                        [Segment::Key("spec".into()), Segment::Key("steps".into()), Segment::Index(i), Segment::Key("manifest".into())];
                    let Some((line, _)) = find(&doc, &at) else { continue };
                    let lines: Vec<&str> = doc.lines().collect();
                    let after_key = lines.get(line - 1).and_then(|l| l.split_once(':')).map(|(_, v)| v.trim()).unwrap_or_default();
                    let Some(first) = lines.iter().skip(line).find(|l| !l.trim().is_empty()) else { continue };
                    let inner = first.len() - first.trim_start().len();
                    match manifest.as_str() {
                        Some(text) if after_key.starts_with('|') => index_text(f, start + line, indent + inner, text, holders),
                        Some(_) => {}
                        // A block mapping under the key: its lines are the file's, less their
                        // indentation (a flow mapping on the key's line has no lines of its own).
                        None if after_key.is_empty() => {
                            let block: String = lines[line..]
                                .iter()
                                .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= inner)
                                .map(|l| format!("{}\n", l.get(inner..).unwrap_or("")))
                                .collect();
                            index_text(f, start + line, indent + inner, &block, holders);
                        }
                        None => {}
                    }
                }
            }
            _ => {
                if let Some(object) = object_of(&value) {
                    holders.push(Holder { file: f, start, indent, text: doc, object, prefix: Vec::new() });
                }
            }
        }
    }
}

/// Which text of a field [`position`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Its key, or for a list item the item.
    Key,
    /// Its value (the key when the value cannot be found).
    Value,
}

/// A field's place in the file its object came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
    /// False when the field is not written and this is the nearest enclosing one that is.
    pub exact: bool,
}

/// Where `path` (`spec.containers[0].image`) of the object that came from `origin` is written:
/// its key or its value; when it is not written (a required field left out), the nearest
/// enclosing field that is (`spec.containers[0]`, the item), with `exact: false`.
pub fn position(origin: &Origin, path: &str, part: Part) -> Option<Position> {
    let text = origin.document.as_deref()?;
    let mut segments = match origin.item {
        Some(i) => vec![Segment::Key("items".into()), Segment::Index(i)],
        None => Vec::new(),
    };
    let base = segments.len();
    segments.extend(parse_path(path));
    for keep in (base..=segments.len()).rev() {
        let exact = keep == segments.len();
        let value = if exact && part == Part::Value { find_value(text, &segments[..keep]) } else { None };
        if let Some((line, column)) = value.or_else(|| find(text, &segments[..keep])) {
            return Some(Position { line: origin.line + line - 1, column, exact });
        }
    }
    None
}

/// Shorthand for one look-up.
pub fn locate(files: &[SourceFile], object: &str, path: &str) -> Option<Span> {
    SourceIndex::new(files).locate(object, path)
}

const FOUND: &str = "\u{1}podplay: found";

impl SourceIndex<'_> {
    /// For a pod a controller made (`pod/web-6cff5c4667-bgfc2`), the document of the workload
    /// whose template it came from: its ReplicaSet (`replicaset/web-6cff5c4667`), else that
    /// ReplicaSet's Deployment (`deployment/web`), or the Job that made it (`job/pi` for
    /// `pod/pi-xf9p4`, or for an Indexed Job's `pod/pi-2-xf9p4`), or the StatefulSet
    /// (`statefulset/web` for `pod/web-0`), or the DaemonSet (`daemonset/agent` for
    /// `pod/agent-x2x7k`), found by the names the controllers give.
    /// The workload whose pod template made pod `object`, and the path of that template.
    fn template_holder(&self, object: &str) -> Option<(&Holder, &'static [&'static str])> {
        const TEMPLATE: &[&str] = &["spec", "template"];
        const JOB_TEMPLATE: &[&str] = &["spec", "jobTemplate", "spec", "template"];
        let name = object.strip_prefix("pod/")?;
        let rs = name.rsplit_once('-')?.0;
        let deployment = rs.rsplit_once('-').map(|(d, _)| d);
        let find = |object: String| self.holders.iter().find(|h| h.object == object);
        // A CronJob's pod is `<cronjob>-<minutes>-<suffix>`.
        let minutes = rs.rsplit_once('-').is_some_and(|(_, m)| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()));
        if let Some(h) = deployment.filter(|_| minutes).and_then(|c| find(format!("cronjob/{c}"))) {
            return Some((h, JOB_TEMPLATE));
        }
        let holder = find(format!("replicaset/{rs}"))
            .or_else(|| deployment.and_then(|d| find(format!("deployment/{d}"))))
            .or_else(|| find(format!("job/{rs}")))
            .or_else(|| deployment.and_then(|d| find(format!("job/{d}"))))
            // A StatefulSet's pod is `<set>-<ordinal>`.
            .or_else(|| find(format!("statefulset/{rs}")))
            // A DaemonSet's pod is `<set>-<suffix>`.
            .or_else(|| find(format!("daemonset/{rs}")))?;
        Some((holder, TEMPLATE))
    }
}

/// The 1-based (line, column) of the key (or item) at `segments`, from serde_yaml's marks.
fn find(text: &str, segments: &[Segment]) -> Option<(usize, usize)> {
    if segments.is_empty() {
        // The document itself: its first line with content.
        let line = text.lines().position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))? + 1;
        return Some((line, 1));
    }
    walk(text, segments, false)
}

/// The 1-based (line, column) of the value at `segments` (not empty).
fn find_value(text: &str, segments: &[Segment]) -> Option<(usize, usize)> {
    walk(text, segments, true)
}

fn walk(text: &str, segments: &[Segment], value: bool) -> Option<(usize, usize)> {
    let de = serde_yaml::Deserializer::from_str(text);
    match (Walk { segments, value }).deserialize(de) {
        Ok(()) => None,
        // serde_yaml puts the path before the message.
        Err(e) if e.to_string().contains(FOUND) => e.location().map(|l| (l.line(), l.column())),
        Err(_) => None,
    }
}

/// The end of the value whose key (or list item) starts at (line, column): the last line
/// indented deeper than the key (or a `- ` item of a sequence under a key, which YAML lets
/// sit at the key's own indentation), trailing blank and comment lines left out.
fn value_end(text: &str, line: usize, column: usize, is_key: bool) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let indent = column - 1;
    let head = lines.get(line - 1).copied().unwrap_or("");
    let block_value = is_key
        && head.split_once(':').is_some_and(|(_, rest)| {
            let rest = rest.trim();
            rest.is_empty() || rest.starts_with('#') || rest.starts_with('|') || rest.starts_with('>')
        });
    let mut last = line;
    for (i, l) in lines.iter().enumerate().skip(line) {
        let trimmed = l.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = l.len() - trimmed.len();
        let inside = at > indent || (block_value && at == indent && (trimmed == "-" || trimmed.starts_with("- ")));
        if !inside {
            break;
        }
        last = i + 1;
    }
    let end = lines.get(last - 1).map(|l| l.trim_end().chars().count() + 1).unwrap_or(1);
    (last, end)
}

/// Walks a document along `segments`; at the last one it fails with `FOUND`, which serde_yaml
/// stamps with the position of the key (or item) being read.
struct Walk<'s> {
    segments: &'s [Segment],
    /// Go on to the value of the last key, and fail there.
    value: bool,
}

impl<'de, 's> DeserializeSeed<'de> for Walk<'s> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.segments.first() {
            None => d.deserialize_any(Here),
            Some(Segment::Key(_)) => d.deserialize_map(self),
            Some(Segment::Index(_)) => d.deserialize_seq(self),
        }
    }
}

impl<'de, 's> Visitor<'de> for Walk<'s> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mapping or sequence on the path")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(Segment::Key(want)) = self.segments.first() else { return Err(de::Error::custom("not a key")) };
        let last = self.segments.len() == 1 && !self.value;
        while let Some(matched) = map.next_key_seed(Key { want, last })? {
            if matched {
                return map.next_value_seed(Walk { segments: &self.segments[1..], value: self.value });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Err(de::Error::custom("absent"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some(Segment::Index(want)) = self.segments.first() else { return Err(de::Error::custom("not an index")) };
        for _ in 0..*want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Err(de::Error::custom("absent"));
            }
        }
        match seq.next_element_seed(Walk { segments: &self.segments[1..], value: self.value })? {
            Some(()) => Ok(()),
            None => Err(de::Error::custom("absent")),
        }
    }
}

/// A map key: `Ok(true)` when it is the wanted one, or `FOUND` when it is also the last segment.
struct Key<'s> {
    want: &'s str,
    last: bool,
}

impl<'de, 's> DeserializeSeed<'de> for Key<'s> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 's> Visitor<'de> for Key<'s> {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        if v == self.want && self.last {
            return Err(E::custom(FOUND));
        }
        Ok(v == self.want)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        self.visit_str(if v { "true" } else { "false" })
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

/// The value at the end of the path: fail at once, so the mark is this value's start.
struct Here;

impl<'de> Visitor<'de> for Here {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "# a comment\napiVersion: v1\nkind: Pod\nmetadata:\n  name: live\nspec:\n  containers:\n  - name: app\n    image: busybox\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      periodSeconds: 3\n\n    # trailing\n  - name: second\n    image: nginx\n";

    fn files(text: &str) -> Vec<SourceFile> {
        vec![SourceFile { name: "pod.yaml".into(), text: text.into() }]
    }

    #[test]
    fn a_written_field_spans_its_line() {
        let s = locate(&files(POD), "pod/live", "spec.containers[0].livenessProbe.periodSeconds").unwrap();
        assert_eq!((s.line, s.column, s.end_line, s.end_column, s.exact), (13, 7, 13, 23, true));
        assert_eq!(POD.lines().nth(s.line - 1).unwrap().trim(), "periodSeconds: 3");
    }

    #[test]
    fn a_defaulted_field_falls_back_to_its_block() {
        let s = locate(&files(POD), "pod/live", "spec.containers[0].livenessProbe.failureThreshold").unwrap();
        assert!(!s.exact);
        assert_eq!(s.path, "spec.containers[0].livenessProbe");
        // `livenessProbe:` through `periodSeconds: 3`, without the blank and comment lines.
        assert_eq!((s.line, s.column, s.end_line), (10, 5, 13));
    }

    #[test]
    fn list_items_sequences_at_key_indentation_and_later_documents() {
        let s = locate(&files(POD), "pod/live", "spec.containers[1].image").unwrap();
        assert_eq!((s.line, s.column, s.exact), (17, 5, true));
        let s = locate(&files(POD), "pod/live", "spec.containers").unwrap();
        assert_eq!((s.line, s.end_line), (7, 17), "the compact sequence belongs to its key");
        let s = locate(&files(POD), "pod/live", "spec.containers[1]").unwrap();
        assert_eq!((s.line, s.column), (16, 5));
        let two = format!("apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\n---\n{POD}");
        let s = locate(&files(&two), "pod/live", "spec.containers[0].name").unwrap();
        assert_eq!(s.line, 8 + 4);
        let s = locate(&files(&two), "service/s", "metadata.name").unwrap();
        assert_eq!((s.line, s.column), (3, 12), "flow mappings too");
        assert!(locate(&files(&two), "pod/other", "spec").is_none());
    }

    #[test]
    fn objects_a_scenario_step_creates() {
        let text = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  steps:\n  - at: 10s\n    run: kubectl apply -f -\n    manifest: |\n      apiVersion: v1\n      kind: Pod\n      metadata: {name: late}\n      spec:\n        containers:\n        - name: c\n          image: busybox\n";
        let s = locate(&files(text), "pod/late", "spec.containers[0].image").unwrap();
        assert_eq!((s.line, s.column, s.end_column, s.exact), (15, 11, 25, true));
        assert_eq!(text.lines().nth(s.line - 1).unwrap().trim(), "image: busybox");
    }

    #[test]
    fn objects_a_scenario_step_creates_from_a_mapping() {
        let text = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  steps:\n  - at: 10s\n    run: kubectl apply -f -\n    manifest:\n      apiVersion: v1\n      kind: Pod\n      metadata: {name: late}\n      spec:\n        containers:\n        - name: c\n          image: busybox\n  - at: 20s\n    run: kubectl delete pod late\n";
        let s = locate(&files(text), "pod/late", "spec.containers[0].image").unwrap();
        assert_eq!((s.line, s.column, s.end_column, s.exact), (15, 11, 25, true));
        assert_eq!(text.lines().nth(s.line - 1).unwrap().trim(), "image: busybox");
    }

    #[test]
    fn list_items() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    restartPolicy: Never\n    containers: [{name: c, image: busybox}]\n";
        let s = locate(&files(text), "pod/a", "spec.restartPolicy").unwrap();
        assert_eq!((s.line, s.column, s.exact), (8, 5, true));
        let s = locate(&files(text), "pod/a", "spec.terminationGracePeriodSeconds").unwrap();
        assert_eq!((s.line, s.path.as_str(), s.exact), (7, "spec", false));
    }
}
