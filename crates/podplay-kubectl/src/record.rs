//! `podplay record-script`: the bash script that plays a scenario on a real cluster (kind,
//! minikube, any current kubectl context) and captures kubectl's outputs at the scenario's
//! moments into a transcript ([`crate::transcript`]'s format), so that `podplay compare` can
//! set the simulation beside it.
//!
//! The script creates a namespace of its own, applies the scenario's manifests there (every
//! `metadata.namespace` taken out, so the objects land in it), notes the moment of the apply as
//! virtual time 0, starts `kubectl get pods -w` in the background, runs the Scenario's steps at
//! their times and, at each moment, captures `get pods`, `describe pods`, `get events` and the
//! logs of each container of the scenario's pods, plus each `# Try at T: kubectl ...` command of
//! the scenario's header at its own time. It writes the time at which each capture really
//! started, so a slow cluster gives honest moments, and records `kubectl version` (the server's
//! release) and the nodes' names (which the comparison masks).
//!
//! Everything the script writes is quoted: the manifests and the transcript's copy of the
//! scenario are quoted here-documents, every command word is single-quoted, every variable is
//! expanded in double quotes. Documents that only podplay reads (`Scenario`, `Image`, `Node`)
//! are not applied; an `Image` (a program podplay simulates) or a `podplay node ...` step has no
//! real counterpart, so such a scenario is refused.

use podplay_core::model::scenario::Step;
use podplay_core::source::Object;
use podplay_core::{load, Millis, SourceFile};

use crate::cmdline::split_command_line;

/// A moment the script acts at: a step, or a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A Scenario step: its command line as written, its words after `kubectl`, and the manifest
    /// an `apply -f -` reads (its namespaces taken out).
    Step { line: String, args: Vec<String>, manifest: Option<String> },
    /// A capture: the command line the transcript names (`kubectl get pods`) and kubectl's words.
    Capture { line: String, args: Vec<String> },
}

/// What the script does, in order: the plan a test can check against the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The scenario's name (the Scenario document's, else the first file's stem).
    pub name: String,
    /// The release the Scenario names (`spec.kubernetesVersion`), if it names one.
    pub release: Option<String>,
    /// The documents applied at virtual time 0, as YAML without `metadata.namespace`.
    pub apply: Vec<String>,
    /// Documents podplay reads that the script does not apply (`Node`s): `KIND NAME` each.
    pub not_applied: Vec<String>,
    /// Every action with its virtual time, sorted by time (a step before the captures of its
    /// moment, as the simulation runs a step at T before a command at T reads the cluster).
    pub actions: Vec<(Millis, Action)>,
    /// The moment the background watch is captured and the script ends.
    pub end: Millis,
    /// The scenario's files, as given: the transcript's manifest.
    pub manifest: String,
    /// The files' names, for the transcript's source line.
    pub files: Vec<String>,
}

/// The moment captures end when the scenario names none later: a minute, the length of the
/// lessons' first act.
const DEFAULT_END: Millis = 60_000;
/// How long after the last step the script keeps capturing, so its effect shows.
const AFTER_LAST_STEP: Millis = 30_000;

/// Reads the scenario's files and plans the script; `extra` are more moments to capture at
/// (`--at`). Errors are messages for stderr.
pub fn plan(files: &[SourceFile], extra: &[Millis]) -> Result<Plan, String> {
    let manifests = load(files).map_err(|ds| ds.iter().map(|d| format!("{d}\n")).collect::<String>())?;
    let mut name = None;
    let mut release = None;
    let mut steps: Vec<Step> = Vec::new();
    let mut apply = Vec::new();
    let mut not_applied = Vec::new();
    let mut pods: Vec<(String, Vec<String>)> = Vec::new();
    let mut last_document: Option<std::rc::Rc<str>> = None;
    for (object, origin) in manifests.objects.iter() {
        match object {
            Object::Scenario(s) => {
                name.get_or_insert_with(|| s.metadata.name.clone());
                // The release's own name ("1.31"), never the text as written: it goes into the script.
                let named = s.spec.kubernetes_version.as_deref().and_then(|v| podplay_core::version::find_release(v).ok());
                release = release.or_else(|| named.map(|r| r.name.to_string()));
                steps.extend(s.spec.steps.iter().cloned());
                continue;
            }
            Object::Image(i) => {
                return Err(format!(
                    "{}:{}: Image {:?} is a program podplay simulates; a real cluster cannot run it, so this scenario cannot be recorded\n",
                    origin.file, origin.line, i.metadata.name
                ))
            }
            Object::Node(n) => {
                not_applied.push(format!("Node {}", n.metadata.name));
                continue;
            }
            Object::Pod(p) => {
                let containers = p.spec.init_containers.iter().chain(&p.spec.containers).map(|c| c.name.clone()).collect();
                pods.push((p.metadata.name.clone(), containers));
            }
            _ => {}
        }
        let Some(document) = &origin.document else { continue };
        if last_document.as_ref().is_some_and(|d| std::rc::Rc::ptr_eq(d, document)) {
            continue; // a List's next item: its document is already in
        }
        last_document = Some(document.clone());
        apply.push(without_namespace(document).map_err(|e| format!("{}:{}: {e}\n", origin.file, origin.line))?);
    }
    let name = name.filter(|n| !n.is_empty()).unwrap_or_else(|| stem(&files[0].name));
    let mut actions: Vec<(Millis, Action)> = Vec::new();
    for step in &steps {
        let words = split_command_line(&step.run).map_err(|e| format!("step at {}: {e}\n", secs(step.at)))?;
        match words.first().map(String::as_str) {
            Some("kubectl") => {}
            Some("podplay") => {
                return Err(format!(
                    "step at {}: `{}` has no kubectl equivalent on a real cluster, so this scenario cannot be recorded\n",
                    secs(step.at),
                    step.run
                ))
            }
            _ => return Err(format!("step at {}: `{}` is not a kubectl command\n", secs(step.at), step.run)),
        }
        let manifest =
            step.manifest.as_deref().map(without_namespaces).transpose().map_err(|e| format!("step at {}: {e}\n", secs(step.at)))?;
        actions.push((step.at, Action::Step { line: step.run.clone(), args: words[1..].to_vec(), manifest }));
    }
    let tries = files.iter().map(|f| try_lines(&f.text)).collect::<Result<Vec<_>, _>>()?.concat();
    let mut moments: Vec<Millis> = tries.iter().map(|(t, _)| *t).chain(extra.iter().copied()).collect();
    let last_step = steps.iter().map(|s| s.at + AFTER_LAST_STEP).max();
    let end = moments.iter().copied().chain(last_step).max().unwrap_or(DEFAULT_END);
    moments.push(end);
    moments.sort_unstable();
    moments.dedup();
    for &t in &moments {
        for (line, args) in standard_captures(&pods) {
            actions.push((t, Action::Capture { line, args }));
        }
    }
    for (t, line) in tries {
        let words = split_command_line(&line).map_err(|e| format!("Try at {}: {e}\n", secs(t)))?;
        let args = words[1..].to_vec();
        if crate::is_watch(&args) || crate::is_rollout_status(&args) {
            continue; // a watch never ends; the background watch is the transcript's
        }
        if !actions.iter().any(|(at, a)| *at == t && matches!(a, Action::Capture { line: l, .. } if *l == line)) {
            actions.push((t, Action::Capture { line, args }));
        }
    }
    // Stable: steps (pushed first) before the captures of their moment.
    podplay_k8s_util::sort::sort_by_key(&mut actions, |(t, _)| *t);
    let manifest = files.iter().map(|f| f.text.trim_end_matches('\n').to_string()).collect::<Vec<_>>().join("\n---\n") + "\n";
    Ok(Plan { name, release, apply, not_applied, actions, end, manifest, files: files.iter().map(|f| f.name.clone()).collect() })
}

/// The captures taken at each moment.
fn standard_captures(pods: &[(String, Vec<String>)]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = [&["get", "pods"][..], &["describe", "pods"], &["get", "events"]]
        .iter()
        .map(|w| (kubectl_line(w), w.iter().map(|s| s.to_string()).collect()))
        .collect();
    for (pod, containers) in pods {
        for c in containers {
            let words = ["logs", pod.as_str(), "-c", c.as_str()];
            out.push((kubectl_line(&words), words.iter().map(|s| s.to_string()).collect()));
        }
    }
    out
}

fn kubectl_line(words: &[&str]) -> String {
    std::iter::once("kubectl").chain(words.iter().copied()).collect::<Vec<_>>().join(" ")
}

/// The `# Try at T: kubectl ...` lines of a scenario's header (the comment block it starts with).
pub fn try_lines(text: &str) -> Result<Vec<(Millis, String)>, String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(comment) = line.strip_prefix('#') else { break };
        let Some(rest) = comment.trim_start().strip_prefix("Try at ") else { continue };
        let Some((t, command)) = rest.split_once(": ") else { continue };
        let at = podplay_core::parse_duration(t).map_err(|e| format!("# Try at {t}: {e}\n"))?;
        let command = command.trim().to_string();
        if command.starts_with("kubectl ") {
            out.push((at, command));
        }
    }
    Ok(out)
}

fn stem(path: &str) -> String {
    let base = path.rsplit('/').next().unwrap_or(path);
    base.strip_suffix(".yaml").or_else(|| base.strip_suffix(".yml")).unwrap_or(base).to_string()
}

/// `45.000s`, `2m30.000s`: a virtual time as the transcript writes it.
pub fn secs(t: Millis) -> String {
    let (s, ms) = (t / 1000, t % 1000);
    if s >= 60 {
        format!("{}m{}.{ms:03}s", s / 60, s % 60)
    } else {
        format!("{s}.{ms:03}s")
    }
}

/// One document without its `metadata.namespace` (and its items' for a List), for
/// `kubectl apply --namespace NS`; an object in a namespace other than `default` is refused,
/// since the script plays everything in a namespace of its own.
fn without_namespace(document: &str) -> Result<String, String> {
    let mut value: serde_yaml::Value = serde_yaml::from_str(document).map_err(|e| e.to_string())?;
    strip(&mut value)?;
    if let Some(items) = value.get_mut("items").and_then(serde_yaml::Value::as_sequence_mut) {
        for item in items {
            strip(item)?;
        }
    }
    serde_yaml::to_string(&value).map_err(|e| e.to_string())
}

/// [`without_namespace`] for each document of a step's manifest.
fn without_namespaces(text: &str) -> Result<String, String> {
    let mut out = Vec::new();
    for document in serde_yaml::Deserializer::from_str(text) {
        let mut value = <serde_yaml::Value as serde::Deserialize>::deserialize(document).map_err(|e| e.to_string())?;
        if value.is_null() {
            continue;
        }
        strip(&mut value)?;
        out.push(serde_yaml::to_string(&value).map_err(|e| e.to_string())?);
    }
    Ok(out.join("---\n"))
}

fn strip(object: &mut serde_yaml::Value) -> Result<(), String> {
    let Some(meta) = object.get_mut("metadata").and_then(serde_yaml::Value::as_mapping_mut) else { return Ok(()) };
    match meta.remove("namespace") {
        None => Ok(()),
        Some(serde_yaml::Value::String(ns)) if ns == "default" => Ok(()),
        Some(ns) => Err(format!(
            "namespace {ns:?}: record-script plays the scenario in a namespace of its own, so its objects must be in \"default\""
        )),
    }
}

/// Quotes a word for bash: single quotes, with `'` written as `'\''`.
pub fn sh_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A here-document delimiter no line of `text` equals.
fn delimiter(text: &str, base: &str) -> String {
    let mut d = base.to_string();
    let mut n = 0;
    while text.lines().any(|l| l == d) {
        n += 1;
        d = format!("{base}_{n}");
    }
    d
}

fn heredoc(text: &str, base: &str) -> (String, String) {
    let d = delimiter(text, base);
    let mut body = text.to_string();
    if !body.ends_with('\n') {
        body.push('\n');
    }
    (format!("<<'{d}'"), format!("{body}{d}\n"))
}

/// The script of a plan.
pub fn script(plan: &Plan, podplay_version: &str) -> String {
    let mut s = String::new();
    let ns = format!("podplay-{}", dns_label(&plan.name));
    // Text that came from the scenario goes into comments and the transcript's header on one line,
    // and into the script only as a DNS label or single-quoted.
    let one_line = |t: &str| t.chars().map(|c| if c.is_control() { '?' } else { c }).collect::<String>();
    let (name, files) = (one_line(&plan.name), one_line(&plan.files.join(", ")));
    let out_default = format!("{}.transcript.txt", dns_label(&plan.name));
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str(&format!("# Plays scenario {name} ({files}) on the cluster of the current kubectl context and\n"));
    s.push_str("# writes what kubectl prints at the scenario's moments into a podplay transcript:\n");
    s.push_str(&format!("#   bash THIS-SCRIPT [TRANSCRIPT]    (default: {out_default}; PODPLAY_NAMESPACE=... to pick the namespace,\n"));
    s.push_str("#                                    PODPLAY_KEEP=1 to keep it afterwards)\n");
    s.push_str("# then: podplay compare TRANSCRIPT\n");
    s.push_str(&format!("# Made by podplay record-script {podplay_version}.\n"));
    for n in &plan.not_applied {
        s.push_str(&format!("# Not applied (podplay's description of the cluster; make the real one match): {n}\n"));
    }
    s.push_str("set -u\n\n");
    s.push_str(&format!("NS=\"${{PODPLAY_NAMESPACE:-{ns}}}\"\n"));
    s.push_str(&format!("OUT=\"${{1:-{out_default}}}\"\n"));
    s.push_str("WATCH=\"$(mktemp)\"\nWATCH_PID=\"\"\nT0=0\n\n");
    s.push_str(
        r#"# Milliseconds since the epoch: bash 5's EPOCHREALTIME, else date (whole seconds).
now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t="${EPOCHREALTIME/[.,]/}"
    printf '%s\n' "$(( 10#$t / 1000 ))"
  else
    printf '%s\n' "$(( $(date +%s) * 1000 ))"
  fi
}
# Milliseconds since the apply: the virtual time.
elapsed_ms() { printf '%s\n' "$(( $(now_ms) - T0 ))"; }
# 90.000s
secs() { printf '%d.%03ds' "$(( $1 / 1000 ))" "$(( $1 % 1000 ))"; }
# Waits until virtual time $1 (ms).
wait_until() {
  local d
  d="$(( $1 - $(elapsed_ms) ))"
  if [ "$d" -gt 0 ]; then sleep "$(( d / 1000 )).$(printf '%03d' "$(( d % 1000 ))")"; fi
}
# capture LINE ARGS...: what kubectl ARGS prints now, under "=== at T: LINE".
capture() {
  local line="$1" t
  shift
  t="$(elapsed_ms)"
  { printf '=== at %s: %s\n' "$(secs "$t")" "$line"; kubectl --namespace "$NS" "$@" 2>&1; } >>"$OUT"
}
# step LINE ARGS...: a Scenario step (its standard input is the manifest of an apply -f -).
step() {
  local line="$1" t
  shift
  t="$(elapsed_ms)"
  { printf '=== step at %s: %s\n' "$(secs "$t")" "$line"; kubectl --namespace "$NS" "$@" 2>&1; } >>"$OUT"
}
cleanup() {
  if [ -n "$WATCH_PID" ]; then kill "$WATCH_PID" 2>/dev/null; fi
  rm -f "$WATCH"
  if [ "${PODPLAY_KEEP:-0}" != 1 ]; then kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1; fi
}
trap cleanup EXIT

"#,
    );
    s.push_str("SERVER=\"$(kubectl version -o json 2>/dev/null | sed -n 's/.*\"gitVersion\": *\"\\([^\"]*\\)\".*/\\1/p' | tail -n 1)\"\n");
    s.push_str("if [ -z \"$SERVER\" ]; then echo 'kubectl version: no server answered; is a cluster running?' >&2; exit 1; fi\n");
    if let Some(release) = &plan.release {
        let minor = release;
        s.push_str(&format!(
            "case \"$SERVER\" in v{minor}.*) ;; *) printf '%s\\n' \"note: the scenario is written for {minor}, this cluster runs $SERVER; podplay compare simulates the cluster's release\" >&2 ;; esac\n"
        ));
    }
    s.push_str("if kubectl get namespace \"$NS\" >/dev/null 2>&1; then echo \"namespace $NS exists already; delete it or set PODPLAY_NAMESPACE\" >&2; trap - EXIT; exit 1; fi\n");
    s.push_str("kubectl create namespace \"$NS\" >/dev/null || exit 1\n");
    s.push_str("# The service account's token must exist before the pods, as it does in a namespace of long standing.\n");
    s.push_str("for _ in 1 2 3 4 5 6 7 8 9 10; do kubectl --namespace \"$NS\" get serviceaccount default >/dev/null 2>&1 && break; sleep 1; done\n\n");
    s.push_str("{\n  printf '%s\\n' 'podplay-transcript: 1'\n");
    s.push_str(&format!(
        "  printf '%s\\n' {}\n",
        sh_quote(&format!("source: recorded with record-script (podplay {podplay_version}) from {files}"))
    ));
    s.push_str("  printf 'release: %s\\n' \"$SERVER\"\n");
    s.push_str("  printf 'namespace: %s\\n' \"$NS\"\n");
    s.push_str("  kubectl get nodes -o name | sed 's,^node/,node: ,'\n");
    s.push_str("  printf 'recorded: %s\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"\n");
    s.push_str("  printf '%s\\n' '=== manifest'\n");
    let (open, body) = heredoc(&plan.manifest, "PODPLAY_SCENARIO");
    s.push_str(&format!("  cat {open}\n{body}"));
    s.push_str("} >\"$OUT\" || exit 1\n\n");
    s.push_str("# The watch starts before the apply, so it sees the pods from their creation on.\n");
    s.push_str("kubectl --namespace \"$NS\" get pods -w >\"$WATCH\" 2>/dev/null &\nWATCH_PID=\"$!\"\nsleep 1\n\n");
    s.push_str("# Virtual time 0: the apply.\nT0=\"$(now_ms)\"\n");
    let (open, body) = heredoc(&plan.apply.join("---\n"), "PODPLAY_MANIFEST");
    s.push_str(&format!("kubectl --namespace \"$NS\" apply -f - >&2 {open}\n{body}\n"));
    let mut last = None;
    for (t, action) in &plan.actions {
        if last != Some(*t) {
            s.push_str(&format!("wait_until {t}   # {}\n", secs(*t)));
            last = Some(*t);
        }
        match action {
            Action::Step { line, args, manifest } => {
                let words: Vec<String> = args.iter().map(|w| sh_quote(w)).collect();
                match manifest {
                    Some(m) => {
                        let (open, body) = heredoc(m, "PODPLAY_MANIFEST");
                        s.push_str(&format!("step {} {} {open}\n{body}", sh_quote(line), words.join(" ")));
                    }
                    None => s.push_str(&format!("step {} {} </dev/null\n", sh_quote(line), words.join(" "))),
                }
            }
            Action::Capture { line, args } => {
                let words: Vec<String> = args.iter().map(|w| sh_quote(w)).collect();
                s.push_str(&format!("capture {} {} </dev/null\n", sh_quote(line), words.join(" ")));
            }
        }
    }
    s.push_str(&format!("wait_until {}   # {}: the end\n", plan.end, secs(plan.end)));
    s.push_str("END=\"$(elapsed_ms)\"\nkill \"$WATCH_PID\" 2>/dev/null\nwait \"$WATCH_PID\" 2>/dev/null\nWATCH_PID=\"\"\n");
    s.push_str("{ printf '=== at %s: %s\\n' \"$(secs \"$END\")\" 'kubectl get pods -w'; cat \"$WATCH\"; } >>\"$OUT\"\n");
    s.push_str("echo \"wrote $OUT (release $SERVER); compare it with: podplay compare $OUT\" >&2\n");
    s
}

/// A name as a DNS label: lower case, `-` for anything else, at most 50 characters.
fn dns_label(name: &str) -> String {
    let mut out: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    out.truncate(50);
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "scenario".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_single_quoted() {
        assert_eq!(sh_quote("get"), "'get'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote("echo \"123\" > $HOME"), "'echo \"123\" > $HOME'");
        assert_eq!(sh_quote(""), "''");
    }

    #[test]
    fn scenario_text_cannot_escape_into_the_script() {
        let text = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: \"x$(touch /tmp/p)\\\"\\nrm\"\nspec: {}\n";
        let files = [SourceFile { name: "a\nb.yaml".into(), text: text.into() }];
        let plan = plan(&files, &[]).unwrap();
        let s = script(&plan, "0");
        // Only in comments, in single quotes and in quoted here-documents.
        let mut body_until: Option<String> = None;
        for line in s.lines() {
            if let Some(d) = &body_until {
                if line == d {
                    body_until = None;
                }
                continue;
            }
            if let Some((_, d)) = line.rsplit_once("<<'") {
                body_until = Some(d.trim_end_matches('\'').to_string());
            }
            if line.starts_with('#') || !line.contains("$(touch") {
                continue;
            }
            assert!(line.trim_start().starts_with("printf '%s\\n' 'source:"), "{line}");
        }
        assert!(s.lines().filter(|l| l.starts_with('#')).all(|l| !l.contains('\n')));
        assert!(s.contains("OUT=\"${1:-x--touch--tmp-p---rm.transcript.txt}\""), "{s}");
    }

    #[test]
    fn a_delimiter_no_line_equals() {
        assert_eq!(delimiter("a\nEOF\n", "EOF"), "EOF_1");
        assert_eq!(delimiter("a\n EOF\n", "EOF"), "EOF");
    }

    #[test]
    fn try_lines_come_from_the_header_only() {
        let text = "# T\n#\n# Try at 130s: kubectl describe pod x\n# Try at 2m: kubectl get pods\napiVersion: v1\n# Try at 5s: kubectl get nodes\n";
        assert_eq!(
            try_lines(text).unwrap(),
            vec![(130_000, "kubectl describe pod x".to_string()), (120_000, "kubectl get pods".to_string())]
        );
    }

    #[test]
    fn namespaces_are_taken_out_and_others_refused() {
        let doc = without_namespace("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: default\n").unwrap();
        assert!(!doc.contains("namespace"), "{doc}");
        assert!(without_namespace("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: kube-system\n").is_err());
    }
}
