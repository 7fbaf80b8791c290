//! Calls the exported JS API on the shared scenarios and reads the results back into
//! Rust structs. Runs in Node (`cargo test --target wasm32-unknown-unknown -p podplay-wasm`)
//! and in headless Chromium (same with `WASM_BINDGEN_USE_BROWSER=1`).
#![cfg(target_arch = "wasm32")]

use podplay_wasm::{kubectl, kubectl_batch, simulate, KubectlOutput, Simulation};
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
    assert!(
        s.timeline.iter().any(|c| c.kind == "phase" && c.summary.ends_with("Running")),
        "a phase change to Running: {:#?}",
        s.timeline
    );
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
    let batch: Vec<KubectlOutput> =
        serde_wasm_bindgen::from_value(kubectl_batch(LIVENESS, 90.0, js, None).unwrap()).unwrap();
    assert_eq!(batch.len(), 3);
    for (out, command) in batch.iter().zip(commands) {
        assert_eq!(out, &kc(LIVENESS, 90.0, command), "{command}");
    }
    assert!(kubectl_batch(LIVENESS, 1.0, JsValue::from_f64(1.0), None).is_err(), "not an array");
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
