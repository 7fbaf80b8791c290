//! Calls the exported JS API on the shared scenarios and reads the results back into
//! Rust structs. Runs in Node (`cargo test --target wasm32-unknown-unknown -p podplay-wasm`)
//! and in headless Chromium (same with `WASM_BINDGEN_USE_BROWSER=1`).
#![cfg(target_arch = "wasm32")]

use podplay_wasm::{kubectl, kubectl_batch, simulate, state, KubectlOutput, Simulation};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const LIVENESS: &str = include_str!("../../../tests/scenarios/liveness-exec.yaml");

fn sim(yaml: &str, until_seconds: f64) -> Simulation {
    serde_wasm_bindgen::from_value(simulate(yaml, until_seconds, None)).expect("simulate returns a Simulation")
}

fn kc(yaml: &str, at_seconds: f64, command: &str) -> KubectlOutput {
    serde_wasm_bindgen::from_value(kubectl(yaml, at_seconds, command, None)).expect("kubectl returns an Output")
}

#[wasm_bindgen_test]
fn liveness_simulates_one_running_pod() {
    let s = sim(LIVENESS, 300.0);
    assert!(s.ok, "diagnostics: {:?}", s.diagnostics);
    assert!(s.diagnostics.is_empty());
    assert_eq!(s.pods, vec!["pod-live-exec".to_string()]);
    assert_eq!(s.until, 300_000.0);
    assert!(!s.timeline.is_empty());
    assert!(s.timeline.windows(2).all(|w| w[0].at <= w[1].at), "timeline is in time order");
    assert!(s.timeline.iter().all(|c| c.object == "pod/pod-live-exec"), "{:?}", s.timeline);
    assert!(s.timeline.iter().any(|c| c.kind == "phase" && c.summary.ends_with("Running")), "a phase change to Running: {:#?}", s.timeline);
}

#[wasm_bindgen_test]
fn simulate_exports_the_probe_attempts() {
    let s = sim(LIVENESS, 100.0);
    let a = &s.probe_attempts;
    assert!(a.iter().all(|a| a.pod == "pod-live-exec" && a.container == "container-live-exec" && a.probe == "liveness"), "{a:?}");
    let failed: Vec<f64> = a.iter().filter(|a| a.outcome == "failure").map(|a| a.at).collect();
    assert_eq!(failed, vec![63_033.0, 66_033.0, 69_033.0]);
    assert!(a.iter().filter(|a| a.at < 63_000.0).all(|a| a.outcome == "success"));
}

#[wasm_bindgen_test]
fn liveness_describe_shows_the_start_events() {
    let out = kc(LIVENESS, 30.0, "describe pod pod-live-exec");
    assert_eq!(out.exit_code, 0, "stderr: {}", out.stderr);
    assert!(out.stdout.contains("Name:") && out.stdout.contains("pod-live-exec"), "{}", out.stdout);
    let events = &out.stdout[out.stdout.find("Events:").expect("an Events section")..];
    for reason in ["Scheduled", "Pulled", "Created", "Started"] {
        assert!(events.contains(reason), "{reason} missing from:\n{events}");
    }
}

#[wasm_bindgen_test]
fn liveness_probe_fails_after_a_minute() {
    let out = kc(LIVENESS, 150.0, "kubectl describe pod pod-live-exec");
    assert_eq!(out.exit_code, 0, "stderr: {}", out.stderr);
    assert!(out.stdout.contains("Unhealthy"), "{}", out.stdout);
}

#[wasm_bindgen_test]
fn get_pods_prints_a_table() {
    let out = kc(LIVENESS, 30.0, "get pods");
    assert_eq!(out.exit_code, 0, "stderr: {}", out.stderr);
    assert!(out.stdout.starts_with("NAME"), "{}", out.stdout);
    assert!(out.stdout.contains("pod-live-exec") && out.stdout.contains("Running"), "{}", out.stdout);
}

#[wasm_bindgen_test]
fn invalid_yaml_gives_a_positioned_diagnostic() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n";
    let s = sim(yaml, 60.0);
    assert!(!s.ok);
    assert!(s.timeline.is_empty() && s.pods.is_empty());
    let d = s.diagnostics.first().expect("a diagnostic");
    assert_eq!(d.file, "pod.yaml");
    assert!(d.line >= 4, "line {} of {:?}", d.line, d);
    assert!(d.column >= 1);
    assert!(d.text.starts_with(&format!("pod.yaml:{}:{}: ", d.line, d.column)), "{}", d.text);

    let out = kc(yaml, 10.0, "get pods");
    assert_eq!(out.exit_code, 1);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains(&d.text), "{}", out.stderr);
}

#[wasm_bindgen_test]
fn file_name_is_used_in_diagnostics() {
    let s: Simulation = serde_wasm_bindgen::from_value(simulate("a: [", 1.0, Some("mine.yaml".into()))).unwrap();
    assert!(!s.ok);
    assert!(s.diagnostics.iter().all(|d| d.file == "mine.yaml"), "{:?}", s.diagnostics);
}

#[wasm_bindgen_test]
fn results_are_plain_js_objects() {
    let v = simulate(LIVENESS, 10.0, None);
    assert!(v.is_object());
    let ok = js_sys::Reflect::get(&v, &JsValue::from_str("ok")).unwrap();
    assert_eq!(ok.as_bool(), Some(true));
    let v = kubectl(LIVENESS, 10.0, "get pods", None);
    let code = js_sys::Reflect::get(&v, &JsValue::from_str("exitCode")).unwrap();
    assert_eq!(code.as_f64(), Some(0.0));
}

#[wasm_bindgen_test]
fn a_bad_command_line_is_an_error_not_a_panic() {
    let out = kc(LIVENESS, 10.0, "describe pod 'unclosed");
    assert_ne!(out.exit_code, 0);
    assert!(!out.stderr.is_empty());
}

#[wasm_bindgen_test]
fn a_batch_equals_the_single_commands() {
    let commands = ["get pods", "describe pod pod-live-exec", "describe pod 'unclosed"];
    let js = serde_wasm_bindgen::to_value(&commands).unwrap();
    let batch: Vec<KubectlOutput> = serde_wasm_bindgen::from_value(kubectl_batch(LIVENESS, 90.0, js, None).unwrap()).unwrap();
    assert_eq!(batch.len(), 3);
    for (out, command) in batch.iter().zip(commands) {
        assert_eq!(out, &kc(LIVENESS, 90.0, command), "{command}");
    }
    assert!(kubectl_batch(LIVENESS, 1.0, JsValue::from_f64(1.0), None).is_err(), "not an array");
}

/// The parts of `state`'s result this test reads, as the page would.
#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct JsState {
    ok: bool,
    state: Option<JsCluster>,
    diagnostics: Vec<podplay_wasm::JsDiagnostic>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct JsCluster {
    at: f64,
    release: String,
    pods: Vec<JsPodState>,
    nodes: Vec<JsNamed>,
    events: Vec<JsEvent>,
    changes: Vec<podplay_wasm::JsChange>,
}

#[derive(serde::Deserialize, Debug)]
struct JsNamed {
    name: String,
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct JsEvent {
    reason: String,
    count: u32,
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct JsPodState {
    name: String,
    containers: Vec<JsContainerState>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct JsContainerState {
    name: String,
    probes: Vec<JsProbe>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct JsProbe {
    kind: String,
    result: String,
    consecutive_failures: i32,
    next_probe_at: Option<f64>,
}

#[wasm_bindgen_test]
fn state_reports_probe_counters_at_a_time() {
    let s: JsState = serde_wasm_bindgen::from_value(state(LIVENESS, 67.0, None)).expect("state returns {ok, state}");
    assert!(s.ok && s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    let c = s.state.expect("state when ok");
    assert_eq!((c.at, c.release.as_str()), (67_000.0, "1.36"));
    assert_eq!(c.nodes.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), ["node-1"]);
    let pod = &c.pods[0];
    assert_eq!((pod.name.as_str(), pod.containers[0].name.as_str()), ("pod-live-exec", "container-live-exec"));
    let probe = &pod.containers[0].probes[0];
    assert_eq!((probe.kind.as_str(), probe.result.as_str(), probe.consecutive_failures), ("liveness", "success", 2));
    assert_eq!(probe.next_probe_at, Some(69_033.0));
    assert_eq!(c.events.iter().find(|e| e.reason == "Unhealthy").map(|e| e.count), Some(2));
    assert!(c.changes.iter().all(|ch| ch.at <= 67_000.0));
    // The pod object is the API's JSON, readable as plain JS.
    let v = state(LIVENESS, 67.0, None);
    let st = js_sys::Reflect::get(&v, &JsValue::from_str("state")).unwrap();
    let pods = js_sys::Reflect::get(&st, &JsValue::from_str("pods")).unwrap();
    let first = js_sys::Reflect::get(&pods, &JsValue::from_f64(0.0)).unwrap();
    let object = js_sys::Reflect::get(&first, &JsValue::from_str("object")).unwrap();
    let kind = js_sys::Reflect::get(&object, &JsValue::from_str("kind")).unwrap();
    assert_eq!(kind.as_string().as_deref(), Some("Pod"));
}

#[wasm_bindgen_test]
fn state_of_invalid_yaml_is_diagnostics_only() {
    let s: JsState = serde_wasm_bindgen::from_value(state("kind: Pod\nspec: [", 10.0, None)).unwrap();
    assert!(!s.ok);
    assert!(s.state.is_none());
    assert!(!s.diagnostics.is_empty());
}

#[wasm_bindgen_test]
fn add_step_edits_the_yaml_and_the_step_output_is_reported() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n";
    let added: podplay_wasm::StepAdded = serde_wasm_bindgen::from_value(podplay_wasm::add_step(
        yaml,
        20.0,
        "kubectl exec p -- cat /usr/share/nginx/html/index.html",
        None,
        None,
    ))
    .unwrap();
    assert!(added.ok, "{:?}", added.diagnostics);
    let text = added.yaml.unwrap();
    assert!(text.starts_with(yaml) && text.contains("  - at: 20s\n"), "{text}");
    let s = sim(&text, 30.0);
    assert_eq!(s.steps.len(), 1);
    assert_eq!(s.steps[0].at, 20000.0);
    assert!(s.steps[0].stdout.contains("Welcome to nginx"), "{:?}", s.steps[0]);
    let bad: podplay_wasm::StepAdded =
        serde_wasm_bindgen::from_value(podplay_wasm::add_step("a: [", 1.0, "x", None, Some("mine.yaml".into()))).unwrap();
    assert!(!bad.ok && bad.diagnostics[0].text.starts_with("mine.yaml:"), "{bad:?}");
}

#[wasm_bindgen_test]
fn a_liveness_kill_points_at_the_probe_fields_in_the_yaml() {
    let s = sim(LIVENESS, 120.0);
    let kill = s.timeline.iter().find(|c| c.summary.starts_with("Normal Killing")).expect("a Killing event");
    let field = |name: &str| kill.fields.iter().find(|f| f.path.ends_with(name)).unwrap_or_else(|| panic!("{name} in {:?}", kill.fields));
    let period = field("livenessProbe.periodSeconds");
    let span = period.span.as_ref().expect("periodSeconds is written");
    assert!(span.exact);
    let line = LIVENESS.lines().nth(span.line - 1).unwrap();
    assert_eq!(line.split('#').next().unwrap().trim(), "periodSeconds: 3");
    let threshold = field("livenessProbe.failureThreshold");
    assert_eq!(threshold.value, "3");
    let span = threshold.span.as_ref().expect("the enclosing block");
    assert!(!span.exact);
    assert_eq!(span.path, "spec.containers[0].livenessProbe");
}

#[wasm_bindgen_test]
fn the_schema_lists_fields_with_defaults_and_values() {
    #[derive(serde::Deserialize)]
    struct Schema {
        objects: std::collections::BTreeMap<String, Object>,
    }
    #[derive(serde::Deserialize)]
    struct Object {
        fields: Vec<Field>,
    }
    #[derive(serde::Deserialize)]
    struct Field {
        name: String,
        default: Option<String>,
        values: Vec<String>,
    }
    let s: Schema = serde_wasm_bindgen::from_value(podplay_wasm::schema()).expect("a schema");
    let probe = &s.objects["Probe"];
    let ft = probe.fields.iter().find(|f| f.name == "failureThreshold").unwrap();
    assert_eq!(ft.default.as_deref(), Some("3"));
    let rp = s.objects["PodSpec"].fields.iter().find(|f| f.name == "restartPolicy").unwrap();
    assert_eq!(rp.values, ["Always", "OnFailure", "Never"]);
}

fn ok(r: Result<JsValue, wasm_bindgen::JsError>) -> JsValue {
    r.unwrap_or_else(|e| panic!("{:?}", JsValue::from(e)))
}

/// The stateful `Session`: kept open between calls, moving forward and back in time, with
/// the same answers as the stateless `kubectlBatch`.
#[wasm_bindgen_test]
fn a_session_answers_as_the_stateless_calls_at_any_time() {
    let mut s = podplay_wasm::JsSession::new(LIVENESS, None);
    assert!(s.ok());
    let commands = vec!["get pods".to_string(), "kubectl get events".to_string()];
    let batch = |at: f64| -> Vec<KubectlOutput> {
        serde_wasm_bindgen::from_value(ok(kubectl_batch(LIVENESS, at, serde_wasm_bindgen::to_value(&commands).unwrap(), None))).unwrap()
    };
    for at in [130.0, 50.0, 90.0, 90.0, 10.0] {
        let got: Vec<KubectlOutput> =
            serde_wasm_bindgen::from_value(ok(s.kubectl_batch(at, serde_wasm_bindgen::to_value(&commands).unwrap()))).unwrap();
        assert_eq!(got, batch(at), "at {at} s");
        assert_eq!(s.now(), at);
    }
    let names: podplay_wasm::ObjectNames = serde_wasm_bindgen::from_value(s.object_names()).unwrap();
    assert_eq!(names.pod, ["pod-live-exec"]);
    assert_eq!(names.node, ["node-1"]);
    assert_eq!(names.service, ["kubernetes"]);
    let bad = podplay_wasm::JsSession::new("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: c}]}\n", None);
    assert!(!bad.ok());
    let diagnostics: Vec<podplay_wasm::JsDiagnostic> = serde_wasm_bindgen::from_value(bad.diagnostics()).unwrap();
    assert!(!diagnostics.is_empty());
}

#[wasm_bindgen_test]
fn the_vocabulary_and_the_typed_timeline_reach_js() {
    let v = podplay_wasm::vocabulary();
    let read = js_sys::Reflect::get(&v, &JsValue::from_str("readVerbs")).unwrap();
    // get, describe, logs, rollout (status) and events.
    assert_eq!(js_sys::Array::from(&read).length(), 5);
    let s = sim(LIVENESS, 300.0);
    let exited = s.timeline.iter().find(|c| c.kind == "container" && c.summary.contains("exited")).expect("the container exits");
    assert!(
        matches!(&exited.detail, podplay_core::engine::ChangeDetail::ContainerExited { container, .. } if container == "container-live-exec"),
        "{:?}",
        exited.detail
    );
}

/// `Session.simulation()` after seeking forward in slices is `simulate`'s result, through JS
/// values (the page's worker runs long simulations this way); invalid YAML gives `undefined`.
#[wasm_bindgen_test]
fn a_session_seeking_in_slices_gives_the_simulate_result() {
    let mut s = podplay_wasm::JsSession::new(LIVENESS, None);
    for at in [0.001, 0.5, 7.25, 60.0, 63.033, 150.0, 299.999, 300.0] {
        s.seek(at);
    }
    let sliced: Simulation = serde_wasm_bindgen::from_value(s.simulation()).expect("simulation() returns a Simulation");
    assert_eq!(sliced, sim(LIVENESS, 300.0));
    assert!(sliced.timeline.iter().any(|c| c.summary.contains("Killing")), "{:?}", sliced.timeline);
    let bad = podplay_wasm::JsSession::new("kind: Pod\nspec: [\n", None);
    assert!(bad.simulation().is_undefined());
}
