//! Each timeline change names the spec fields its rule read, and the YAML has them (moved from
//! `podplay-core`'s why.rs: the scenarios' steps run through a session).

use podplay_core::source::{load, SourceFile, SourceIndex};
use podplay_session::Session;

fn scenario(name: &str) -> Vec<SourceFile> {
    let path = format!("{}/../../tests/scenarios/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    vec![SourceFile { name: format!("{name}.yaml"), text: std::fs::read_to_string(path).expect("scenario") }]
}

fn run(files: &[SourceFile], until_s: u64) -> Session {
    let mut e = Session::new(&load(files).unwrap()).unwrap();
    e.seek(until_s * 1000);
    e
}

fn fields_of(e: &Session, summary_start: &str) -> Vec<(String, String)> {
    let c = e
        .engine()
        .timeline()
        .iter()
        .find(|c| c.summary().starts_with(summary_start))
        .unwrap_or_else(|| panic!("no change {summary_start:?}"));
    c.fields.iter().map(|f| (f.path.clone(), f.value.clone())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn a_liveness_kill_names_the_probe_fields_and_they_are_found_in_the_yaml() {
    let files = scenario("liveness-exec");
    let e = run(&files, 120);
    let probe = "spec.containers[0].livenessProbe";
    assert_eq!(
        fields_of(&e, "Normal Killing"),
        pairs(&[
            (&format!("{probe}.periodSeconds"), "3"),
            (&format!("{probe}.failureThreshold"), "3"),
            ("spec.restartPolicy", "Always"),
            ("spec.terminationGracePeriodSeconds", "30"),
        ])
    );
    assert_eq!(fields_of(&e, "Warning Unhealthy"), pairs(&[(&format!("{probe}.exec.command"), "[test, -e, /tmp/healthy-test]")]));
    let index = SourceIndex::new(&files);
    let period = index.locate("pod/pod-live-exec", &format!("{probe}.periodSeconds")).unwrap();
    assert!(period.exact);
    assert!(files[0].text.lines().nth(period.line - 1).unwrap().trim_start().starts_with("periodSeconds: 3"));
    let threshold = index.locate("pod/pod-live-exec", &format!("{probe}.failureThreshold")).unwrap();
    assert_eq!((threshold.exact, threshold.path.as_str()), (false, probe));
    assert!(files[0].text.lines().nth(threshold.line - 1).unwrap().trim() == "livenessProbe:");
}

#[test]
fn restart_policy_hooks_scheduling_init_and_grace() {
    let e = run(&scenario("restart-policies"), 120);
    assert!(fields_of(&e, "Warning BackOff").contains(&("spec.restartPolicy".into(), "OnFailure".into())));
    let e = run(&scenario("poststart-fail"), 60);
    let hook = fields_of(&e, "Warning FailedPostStartHook");
    assert!(hook[0].0.ends_with(".lifecycle.postStart") && hook[0].1.starts_with("exec ["), "{hook:?}");
    let e = run(&scenario("scheduling-taint"), 10);
    assert_eq!(
        fields_of(&e, "Warning FailedScheduling"),
        pairs(&[("spec.tolerations", "[node.kubernetes.io/not-ready, node.kubernetes.io/unreachable]")])
    );
    let e = run(&scenario("graceful-delete"), 60);
    assert_eq!(fields_of(&e, "Terminating"), pairs(&[("spec.terminationGracePeriodSeconds", "30")]));
    let stopping = fields_of(&e, "app: stopping");
    assert!(stopping.iter().any(|(p, v)| p == "spec.containers[0].lifecycle.preStop" && v.starts_with("exec")), "{stopping:?}");
    let e = run(&scenario("init-failure-and-sidecar"), 60);
    assert!(e.engine().timeline().iter().any(|c| c.fields.iter().any(|f| f.path == "spec.initContainers[0]")));
    let pulls = e.engine().timeline().iter().find(|c| c.summary().starts_with("Normal Pulled")).unwrap();
    assert!(pulls.fields.iter().any(|f| f.path.ends_with(".imagePullPolicy")));
}

/// Every path any scenario's changes name is a schema field of a Pod, and is found (or its
/// enclosing block is) in the scenario's text.
#[test]
fn every_change_field_is_a_schema_field_and_locates() {
    let pod = podplay_core::schema::kind("Pod").unwrap();
    let dir = format!("{}/../../tests/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().path().file_stem().unwrap().to_string_lossy().to_string();
        let files = scenario(&name);
        let e = run(&files, 300);
        let index = SourceIndex::new(&files);
        for c in e.engine().timeline() {
            for f in &c.fields {
                seen += 1;
                assert!(podplay_core::schema::field_at(pod, &f.path).is_some(), "{name}: {} is not in the schema", f.path);
                assert!(index.locate(&c.object, &f.path).is_some(), "{name}: {} {} not found", c.object, f.path);
            }
        }
    }
    assert!(seen > 100, "{seen}");
}

#[test]
fn a_termination_message_names_its_file_or_the_log_policy() {
    let files = scenario("termination-message");
    let e = run(&files, 15);
    assert_eq!(
        fields_of(&e, "termination-demo-container: exited"),
        pairs(&[("spec.containers[0].terminationMessagePath", "/dev/termination-log")])
    );
    assert_eq!(
        fields_of(&e, "crash-demo-container: exited"),
        pairs(&[("spec.containers[1].terminationMessagePolicy", "FallbackToLogsOnError")])
    );
    let index = SourceIndex::new(&files);
    let policy = index.locate("pod/termination-demo", "spec.containers[1].terminationMessagePolicy").unwrap();
    assert!(policy.exact);
}
