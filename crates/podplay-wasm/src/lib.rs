//! Thin wasm-bindgen bindings over podplay-core and podplay-kubectl; translation only.
//!
//! Every export is stateless: it loads the YAML, builds an [`Engine`], runs it on the
//! virtual clock and translates the result into plain JS objects (via serde). No
//! simulation logic lives here. Errors are returned as values (`diagnostics`, `stderr`),
//! never thrown; a panic inside the engine is turned into a JS `Error` whose message
//! says what panicked and where (see [`install_panic_hook`]), instead of an opaque
//! `RuntimeError: unreachable`.

use podplay_core::engine::ClusterState;
use podplay_core::source::{SourceIndex, Span};
use podplay_core::{Diagnostic, Millis, SourceFile};
use podplay_session::Session;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// File name used for the editor's text when the caller gives none.
pub const DEFAULT_FILE_NAME: &str = "pod.yaml";

/// The `simulate` result, as the page receives it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// True when the YAML loaded and the engine ran.
    pub ok: bool,
    /// Problems found in the YAML, each with file, 1-based line and column.
    pub diagnostics: Vec<JsDiagnostic>,
    /// Every change the engine recorded up to `until`, in order.
    pub timeline: Vec<JsChange>,
    /// The pods' names, in the engine's order.
    pub pods: Vec<String>,
    /// The virtual time the engine ran to, in ms.
    pub until: f64,
    /// What each scenario step printed, in the order they ran (up to `until`).
    #[serde(default)]
    pub steps: Vec<JsStepOutput>,
    /// Every probe attempt (`Engine::probe_attempts`; capped per probe worker).
    #[serde(default)]
    pub probe_attempts: Vec<JsProbeAttempt>,
}

/// [`podplay_core::engine::ProbeAttemptRecord`]: one probe attempt and how it ended.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JsProbeAttempt {
    pub pod: String,
    pub container: String,
    /// `liveness`, `readiness` or `startup`.
    pub probe: String,
    /// Virtual ms.
    pub at: f64,
    /// `success`, `failure`, `timeout` or `error`.
    pub outcome: String,
}

/// [`podplay_core::engine::StepOutput`]: a scenario step's command and what it printed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JsStepOutput {
    /// Virtual ms the step ran at.
    pub at: f64,
    pub command: String,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

/// The `addStep` result: the edited YAML, or why the step could not be added.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StepAdded {
    pub ok: bool,
    pub yaml: Option<String>,
    pub diagnostics: Vec<JsDiagnostic>,
}

/// [`podplay_core::Diagnostic`] plus its `Display` text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JsDiagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub path: Option<String>,
    pub message: String,
    /// `FILE:LINE:COL: message`, as the CLI prints it.
    pub text: String,
}

/// One entry of the engine's timeline.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JsChange {
    /// Virtual ms since the objects were created.
    pub at: f64,
    pub object: String,
    pub kind: String,
    pub summary: String,
    /// What changed, as data (`{type: "containerExited", container, exitCode, reason}`, ...):
    /// the page draws from this, never from `summary`.
    pub detail: podplay_core::engine::ChangeDetail,
    pub cause: String,
    /// The spec fields the change depends on, and where each is written.
    pub fields: Vec<JsChangeField>,
}

/// A spec field behind a change: its path (relative to `object`), the value the engine used,
/// and where the YAML writes it — or, for a default, the enclosing block (`span.exact` false).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JsChangeField {
    pub path: String,
    /// The path below its container, or below `spec` (`livenessProbe.periodSeconds`): a label.
    pub name: String,
    pub value: String,
    pub span: Option<Span>,
}

/// The `state` result: the whole cluster at one virtual time.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateResult {
    /// True when the YAML loaded and the engine ran.
    pub ok: bool,
    pub diagnostics: Vec<JsDiagnostic>,
    /// `None` (JS `undefined`) when the YAML is invalid.
    pub state: Option<ClusterState>,
}

/// What `kubectl ARGS` printed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KubectlOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

/// The `Session.tryCommand` result: what a command printed and whether it changed the
/// cluster (`podplay_session::Tried`). The page makes a scenario step of a command only when
/// `changed` is true.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TriedCommand {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub changed: bool,
}

impl From<&Diagnostic> for JsDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        JsDiagnostic {
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            path: d.path.clone(),
            message: d.message.clone(),
            text: d.to_string(),
        }
    }
}

/// Turns a Rust panic into a thrown JS `Error` carrying the panic message and location.
///
/// wasm32-unknown-unknown aborts on panic, which JS would see as `RuntimeError:
/// unreachable`. Throwing from the hook unwinds the wasm stack with a readable error
/// instead. The exports keep no state between calls, so the instance stays usable.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let msg = format!("podplay internal error (a bug, please report it): {info}");
            wasm_bindgen::throw_str(&msg);
        }));
    });
}

fn seconds_to_millis(seconds: f64) -> Millis {
    if seconds.is_finite() && seconds > 0.0 {
        (seconds * 1000.0).round() as Millis
    } else {
        0
    }
}

fn diagnostics(ds: &[Diagnostic]) -> Vec<JsDiagnostic> {
    ds.iter().map(JsDiagnostic::from).collect()
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    // Maps become plain objects (not JS Maps) so the page can read fields directly.
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value.serialize(&ser).unwrap_or_else(|e| wasm_bindgen::throw_str(&format!("podplay: cannot convert result: {e}")))
}

/// Loads `yaml` (one source file named `file_name`) and opens a session at `at`.
fn session_at(yaml: &str, file_name: &str, at: Millis) -> Result<Session, Vec<Diagnostic>> {
    let files = [SourceFile { name: file_name.to_string(), text: yaml.to_string() }];
    session_from(&files, at)
}

fn session_from(files: &[SourceFile], at: Millis) -> Result<Session, Vec<Diagnostic>> {
    let mut session = Session::open(files)?;
    session.seek(at);
    Ok(session)
}

/// Native (Rust-typed) form of [`simulate`]; the tests and `simulate` share it.
pub fn simulate_native(yaml: &str, until_seconds: f64, file_name: Option<&str>) -> Simulation {
    let until = seconds_to_millis(until_seconds);
    let files = [SourceFile { name: file_name.unwrap_or(DEFAULT_FILE_NAME).to_string(), text: yaml.to_string() }];
    match session_from(&files, until) {
        Ok(session) => simulation_of(&session, &files),
        Err(ds) => Simulation {
            ok: false,
            diagnostics: diagnostics(&ds),
            timeline: Vec::new(),
            pods: Vec::new(),
            until: until as f64,
            steps: Vec::new(),
            probe_attempts: Vec::new(),
        },
    }
}

/// What `session`'s engine did up to its present (`until` is the session's time), with each
/// change's spec fields located in `files`, the text the session was opened from.
fn simulation_of(session: &Session, files: &[SourceFile]) -> Simulation {
    let index = SourceIndex::new(files);
    let engine = session.engine();
    Simulation {
        ok: true,
        diagnostics: Vec::new(),
        timeline: engine
            .timeline()
            .iter()
            .map(|c| JsChange {
                at: c.at as f64,
                object: c.object.clone(),
                kind: c.kind().to_string(),
                summary: c.summary(),
                detail: c.detail.clone(),
                cause: c.cause.to_string(),
                fields: c
                    .fields
                    .iter()
                    .map(|f| JsChangeField {
                        path: f.path.clone(),
                        name: f.local_path().to_string(),
                        value: f.value.clone(),
                        span: index.locate(&c.object, &f.path),
                    })
                    .collect(),
            })
            .collect(),
        pods: engine.pod_names(),
        until: engine.now() as f64,
        steps: engine
            .step_outputs()
            .iter()
            .map(|o| JsStepOutput {
                at: o.at as f64,
                command: o.command.clone(),
                stdout: o.stdout.clone(),
                stderr: o.stderr.clone(),
                exit_code: o.exit_code,
            })
            .collect(),
        probe_attempts: engine
            .probe_attempts()
            .into_iter()
            .map(|a| JsProbeAttempt {
                pod: a.pod,
                container: a.container,
                probe: a.kind.name().to_lowercase(),
                at: a.at as f64,
                outcome: a.outcome.name().to_string(),
            })
            .collect(),
    }
}

/// A scenario held open between calls (`podplay_session::Session`), as Ruff's playground holds
/// a `Workspace`: the page makes one per YAML text, and a cursor or playback moving forward
/// costs only the new virtual time (going back re-runs from the start, replaying what was
/// done). Invalid YAML gives a session whose `ok` is false, with its `diagnostics`.
#[wasm_bindgen(js_name = Session)]
pub struct JsSession {
    session: Result<Session, Vec<Diagnostic>>,
    /// The text the session was opened from, for locating the spec fields of `simulation()`.
    files: Vec<SourceFile>,
}

#[wasm_bindgen(js_class = Session)]
impl JsSession {
    #[wasm_bindgen(constructor)]
    pub fn new(yaml: &str, file_name: Option<String>) -> JsSession {
        install_panic_hook();
        JsSession::open(yaml, file_name.as_deref())
    }

    /// True when the YAML loaded.
    #[wasm_bindgen(getter)]
    pub fn ok(&self) -> bool {
        self.session.is_ok()
    }

    /// `[{file, line, column, path, message, text}]`: why the YAML did not load.
    pub fn diagnostics(&self) -> JsValue {
        to_js(&self.session.as_ref().err().map(|ds| diagnostics(ds)).unwrap_or_default())
    }

    /// The session's virtual time, in seconds.
    #[wasm_bindgen(getter)]
    pub fn now(&self) -> f64 {
        self.session.as_ref().map_or(0.0, |s| s.now() as f64 / 1000.0)
    }

    /// Moves to `at_seconds` of virtual time.
    pub fn seek(&mut self, at_seconds: f64) {
        if let Ok(s) = &mut self.session {
            s.seek(seconds_to_millis(at_seconds));
        }
    }

    /// Runs kubectl commands at `at_seconds`, in order: `[{stdout, stderr, exitCode}]`, as
    /// [`kubectl_batch`] does.
    #[wasm_bindgen(js_name = kubectlBatch)]
    pub fn kubectl_batch(&mut self, at_seconds: f64, commands: JsValue) -> Result<JsValue, JsError> {
        let commands: Vec<String> = serde_wasm_bindgen::from_value(commands)
            .map_err(|e| JsError::new(&format!("kubectlBatch: commands must be an array of strings: {e}")))?;
        Ok(to_js(&self.kubectl_batch_native(at_seconds, &commands)))
    }

    /// Tries one command line at `at_seconds` (`delete pod web`, `kubectl exec web -- ls`,
    /// `apply -f -` with `manifest` as what it reads, `podplay node disconnect NAME`):
    /// `{stdout, stderr, exitCode, changed}`. `changed` is true when the engine's operations
    /// changed the cluster (a pod deleted, an exec that wrote a file); then the session forgets
    /// the command and is back at time 0, as a fresh session (`Session::try_command`). A read,
    /// a refused command or an exec that changed nothing is kept, as `kubectlBatch` keeps it.
    #[wasm_bindgen(js_name = tryCommand)]
    pub fn try_command(&mut self, at_seconds: f64, command: &str, manifest: Option<String>) -> JsValue {
        to_js(&self.try_command_native(seconds_to_millis(at_seconds), command, manifest.as_deref()))
    }

    /// The `status:` part of `kubectl get pod NAME -o yaml` now (`undefined` when there is no
    /// such pod in `namespace`, default `default`).
    #[wasm_bindgen(js_name = podStatusYaml)]
    pub fn pod_status_yaml(&self, name: &str, namespace: Option<String>) -> Option<String> {
        let session = self.session.as_ref().ok()?;
        let pod = session.engine().pod(namespace.as_deref().unwrap_or("default"), name)?;
        Some(podplay_kubectl::objects::pod_status_yaml(pod))
    }

    /// What the engine did from time 0 up to now, as [`simulate`] returns it (`until` is now):
    /// a session moved forward to T in any number of `seek`s, and given no command, gives what
    /// `simulate(yaml, T)` gives, byte for byte. So a long simulation can run in slices (the
    /// page's worker seeks on a little at a time, reporting progress and staying cancellable)
    /// and still show exactly one run's result. `undefined` when the YAML did not load.
    pub fn simulation(&self) -> JsValue {
        match self.simulation_native() {
            Some(s) => to_js(&s),
            None => JsValue::UNDEFINED,
        }
    }

    /// `{pod, node, service, containers}` now (see [`object_names`]).
    #[wasm_bindgen(js_name = objectNames)]
    pub fn object_names(&self) -> JsValue {
        to_js(&self.session.as_ref().map(|s| names_of(s.engine())).unwrap_or_default())
    }
}

impl JsSession {
    /// Native form of the constructor.
    pub fn open(yaml: &str, file_name: Option<&str>) -> JsSession {
        let files = vec![SourceFile { name: file_name.unwrap_or(DEFAULT_FILE_NAME).to_string(), text: yaml.to_string() }];
        JsSession { session: session_from(&files, 0), files }
    }

    /// Native form of [`JsSession::seek`], in virtual ms.
    pub fn seek_native(&mut self, at: Millis) {
        if let Ok(s) = &mut self.session {
            s.seek(at);
        }
    }

    /// Native form of [`JsSession::simulation`]; `None` when the YAML did not load.
    pub fn simulation_native(&self) -> Option<Simulation> {
        self.session.as_ref().ok().map(|s| simulation_of(s, &self.files))
    }

    /// Native form of [`JsSession::try_command`], at `at` virtual ms.
    pub fn try_command_native(&mut self, at: Millis, command: &str, manifest: Option<&str>) -> TriedCommand {
        let session = match &mut self.session {
            Ok(session) => session,
            Err(ds) => {
                let stderr: String = ds.iter().map(|d| format!("{d}\n")).collect();
                return TriedCommand { stdout: String::new(), stderr, exit_code: 1, changed: false };
            }
        };
        let mut args = match podplay_kubectl::split_command_line(command) {
            Ok(args) => args,
            Err(e) => return TriedCommand { stdout: String::new(), stderr: format!("error: {e}\n"), exit_code: 1, changed: false },
        };
        if args.first().map(String::as_str) == Some("kubectl") {
            args.remove(0);
        }
        let tried = session.try_command(at, &args, manifest);
        TriedCommand { stdout: tried.output.stdout, stderr: tried.output.stderr, exit_code: tried.output.exit_code, changed: tried.changed }
    }

    /// Native form of [`JsSession::kubectl_batch`].
    pub fn kubectl_batch_native(&mut self, at_seconds: f64, commands: &[String]) -> Vec<KubectlOutput> {
        match &mut self.session {
            Ok(session) => commands.iter().map(|c| run_command(session, seconds_to_millis(at_seconds), c)).collect(),
            Err(ds) => {
                let stderr: String = ds.iter().map(|d| format!("{d}\n")).collect();
                commands.iter().map(|_| KubectlOutput { stdout: String::new(), stderr: stderr.clone(), exit_code: 1 }).collect()
            }
        }
    }
}

/// One kubectl command line (`get pods`, or `kubectl get pods`) at `at` on `session`.
fn run_command(session: &mut Session, at: Millis, command: &str) -> KubectlOutput {
    let mut args = match podplay_kubectl::split_command_line(command) {
        Ok(args) => args,
        Err(e) => return KubectlOutput { stdout: String::new(), stderr: format!("error: {e}\n"), exit_code: 1 },
    };
    if args.first().map(String::as_str) == Some("kubectl") {
        args.remove(0);
    }
    let out = session.kubectl_at(at, &args);
    KubectlOutput { stdout: out.stdout, stderr: out.stderr, exit_code: out.exit_code }
}

/// Native (Rust-typed) form of [`state`].
pub fn state_native(yaml: &str, at_seconds: f64, file_name: Option<&str>) -> StateResult {
    match session_at(yaml, file_name.unwrap_or(DEFAULT_FILE_NAME), seconds_to_millis(at_seconds)) {
        Ok(session) => StateResult { ok: true, diagnostics: Vec::new(), state: Some(session.engine().state()) },
        Err(ds) => StateResult { ok: false, diagnostics: diagnostics(&ds), state: None },
    }
}

/// Native (Rust-typed) form of [`kubectl`].
pub fn kubectl_native(yaml: &str, at_seconds: f64, command: &str, file_name: Option<&str>) -> KubectlOutput {
    kubectl_batch_native(yaml, at_seconds, &[command.to_string()], file_name).remove(0)
}

/// Native form of [`kubectl_batch`]: every command runs, in order, on one session at `at_seconds`.
pub fn kubectl_batch_native(yaml: &str, at_seconds: f64, commands: &[String], file_name: Option<&str>) -> Vec<KubectlOutput> {
    JsSession::open(yaml, file_name).kubectl_batch_native(at_seconds, commands)
}

/// Simulates the Pod YAML up to `until_seconds` of virtual time.
///
/// Returns `{ ok, diagnostics: [{file, line, column, path, message, text}],
/// timeline: [{at, object, kind, summary, detail, cause, fields: [{path, name, value, span}]}], pods: [name],
/// until, steps, probeAttempts: [{pod, container, probe, at, outcome}] }` (`span`: `{file, line, column, endLine, endColumn, path, exact}` or null).
/// (`at` and `until` in virtual ms). Invalid YAML gives `ok: false` and diagnostics.
#[wasm_bindgen]
pub fn simulate(yaml: &str, until_seconds: f64, file_name: Option<String>) -> JsValue {
    install_panic_hook();
    to_js(&simulate_native(yaml, until_seconds, file_name.as_deref()))
}

/// The whole cluster at `at_seconds` of virtual time (see `podplay_core::engine::ClusterState`).
///
/// Returns `{ ok, diagnostics, state }`; `state` is `{ at, release, pods: [{ name, namespace,
/// object, containers: [{ name, kind, probes: [{ kind, result, consecutiveSuccesses,
/// consecutiveFailures, successThreshold, failureThreshold, periodSeconds,
/// initialDelaySeconds, timeoutSeconds, nextProbeAt, lastProbeAt, lastFailure: { at, output,
/// errored }, onHold }] }] }], nodes: [{ name, ready, kubeletReporting, unschedulable,
/// internalIP, conditions, taints }], services: [{ name, namespace, clusterIP,
/// publishNotReadyAddresses, addresses, notReadyAddresses, ports }], events, changes, halted }`
/// with times in virtual ms (the pod `object`s carry RFC 3339 strings, as the API serves them).
#[wasm_bindgen]
pub fn state(yaml: &str, at_seconds: f64, file_name: Option<String>) -> JsValue {
    install_panic_hook();
    to_js(&state_native(yaml, at_seconds, file_name.as_deref()))
}

/// Runs `kubectl COMMAND` against the YAML's objects at `at_seconds` of virtual time.
///
/// `command` is split like a shell line (`describe pod NAME`, `get pods -o wide`;
/// a leading `kubectl` is accepted). Returns `{ stdout, stderr, exitCode }`. When the
/// YAML is invalid, `stderr` lists the diagnostics and `exitCode` is 1.
#[wasm_bindgen]
pub fn kubectl(yaml: &str, at_seconds: f64, command: &str, file_name: Option<String>) -> JsValue {
    install_panic_hook();
    to_js(&kubectl_native(yaml, at_seconds, command, file_name.as_deref()))
}

/// Runs several kubectl commands, in order, against one engine at `at_seconds` (one
/// simulation instead of one per command). `commands` is an array of strings; returns an
/// array of `{ stdout, stderr, exitCode }`, one per command.
#[wasm_bindgen(js_name = kubectlBatch)]
pub fn kubectl_batch(yaml: &str, at_seconds: f64, commands: JsValue, file_name: Option<String>) -> Result<JsValue, JsError> {
    install_panic_hook();
    let commands: Vec<String> = serde_wasm_bindgen::from_value(commands)
        .map_err(|e| JsError::new(&format!("kubectlBatch: commands must be an array of strings: {e}")))?;
    Ok(to_js(&kubectl_batch_native(yaml, at_seconds, &commands, file_name.as_deref())))
}

/// Native form of [`add_step`].
pub fn add_step_native(yaml: &str, at_seconds: f64, run: &str, manifest: Option<&str>, file_name: Option<&str>) -> StepAdded {
    match podplay_core::add_step(yaml, file_name.unwrap_or(DEFAULT_FILE_NAME), seconds_to_millis(at_seconds), run, manifest) {
        Ok(text) => StepAdded { ok: true, yaml: Some(text), diagnostics: Vec::new() },
        Err(d) => StepAdded { ok: false, yaml: None, diagnostics: diagnostics(&[d]) },
    }
}

/// Adds the scenario step `{at, run[, manifest]}` to the YAML (see `podplay_core::edit`):
/// returns `{ ok, yaml, diagnostics }`, the edited text or why it could not be edited.
#[wasm_bindgen(js_name = addStep)]
pub fn add_step(yaml: &str, at_seconds: f64, run: &str, manifest: Option<String>, file_name: Option<String>) -> JsValue {
    install_panic_hook();
    to_js(&add_step_native(yaml, at_seconds, run, manifest.as_deref(), file_name.as_deref()))
}

/// Parses a duration such as `90s`, `2m42s`, `1h` into seconds (or throws its error).
#[wasm_bindgen(js_name = parseDuration)]
pub fn parse_duration(text: &str) -> Result<f64, JsError> {
    install_panic_hook();
    podplay_core::parse_duration(text).map(|ms| ms as f64 / 1000.0).map_err(|e| JsError::new(&e))
}

/// Every kind and field the loader accepts, for the editor's completion and hover docs:
/// `{ kinds: [{apiVersion, kind, object}], objects: {NAME: {fields: [{name, type, object?,
/// shape, required, values, default?, defaultNote?, doc, simulated}], oneOf}} }`.
#[wasm_bindgen]
pub fn schema() -> JsValue {
    install_panic_hook();
    to_js(&podplay_core::schema::export())
}

/// kubectl as podplay speaks it, for the terminal's completion: `{readVerbs, mutatingVerbs,
/// mutatingSubcommands: {VERB: [sub]}, flags: {VERB: [flag]}, kinds: [[word, kind]], outputs}` (`podplay_kubectl::vocabulary`, from
/// the tables its parser reads).
#[wasm_bindgen]
pub fn vocabulary() -> JsValue {
    install_panic_hook();
    to_js(&podplay_kubectl::vocabulary())
}

/// The names of the objects that exist at one moment, for completion.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ObjectNames {
    pub pod: Vec<String>,
    pub node: Vec<String>,
    pub service: Vec<String>,
    /// Pod name → its containers: `spec.containers`, then `spec.initContainers` (kubectl logs
    /// takes both; without -c it picks the first).
    pub containers: std::collections::BTreeMap<String, Vec<String>>,
}

/// Native form of [`object_names`].
pub fn object_names_native(yaml: &str, at_seconds: f64, file_name: Option<&str>) -> ObjectNames {
    let Ok(session) = session_at(yaml, file_name.unwrap_or(DEFAULT_FILE_NAME), seconds_to_millis(at_seconds)) else {
        return ObjectNames::default();
    };
    names_of(session.engine())
}

fn names_of(engine: &podplay_core::Engine) -> ObjectNames {
    let mut names = ObjectNames::default();
    for p in engine.pods() {
        names.pod.push(p.metadata.name.clone());
        let containers = p.spec.containers.iter().chain(&p.spec.init_containers).map(|c| c.name.clone()).collect();
        names.containers.insert(p.metadata.name.clone(), containers);
    }
    names.node = engine.nodes().map(|n| n.metadata.name.clone()).collect();
    names.service = engine.services().iter().map(|s| s.metadata.name.clone()).collect();
    names
}

/// `{pod: [name], node: [name], service: [name], containers: {POD: [name]}}` at `at_seconds`
/// (empty lists when the YAML is invalid).
#[wasm_bindgen(js_name = objectNames)]
pub fn object_names(yaml: &str, at_seconds: f64, file_name: Option<String>) -> JsValue {
    install_panic_hook();
    to_js(&object_names_native(yaml, at_seconds, file_name.as_deref()))
}

/// The crate version, for the page's footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
