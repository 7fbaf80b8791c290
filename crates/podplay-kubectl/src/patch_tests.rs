//! `kubectl patch` against the engine: finalizers that hold a deleted pod (the API server's
//! `Store.Delete` and `shouldDeleteDuringUpdate`, the kubelet's final delete), readiness gates
//! set through the status subresource (`GeneratePodReadyCondition`), and kubectl's texts and
//! refusals by release.

use podplay_core::clock::{Millis, SECOND};

/// A pod `web` (nginx:1.25) with `meta` under its metadata and `spec` under its spec.
fn engine_of(version: &str, meta: &str, spec: &str) -> podplay_core::Engine {
    let yaml = format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n\
         apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n{meta}spec:\n{spec}  containers:\n  - name: nginx\n    image: nginx:1.25\n"
    );
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml }]).unwrap();
    crate::new_engine(&m).unwrap()
}

use crate::test_support::quoted_at as at;

fn status_of(engine: &mut podplay_core::Engine, t: Millis) -> String {
    let out = at(engine, t, "get pods --no-headers");
    out.stdout.split_whitespace().nth(2).unwrap_or("<gone>").to_string()
}

const FINALIZER: &str = "  finalizers: [\"example.com/hold\"]\n";

#[test]
fn a_finalizer_holds_a_deleted_pod_until_it_is_removed() {
    let mut e = engine_of("1.36", FINALIZER, "");
    let out = at(&mut e, 10 * SECOND, "delete pod web");
    assert_eq!(out.stdout, "pod \"web\" deleted\n");
    let pod = e.pod("default", "web").unwrap();
    assert_eq!((pod.metadata.deletion, pod.metadata.deletion_grace_period_seconds), (Some(40 * SECOND), Some(30)));
    assert_eq!(status_of(&mut e, 10 * SECOND), "Terminating");
    // nginx stops on SIGTERM; the kubelet's delete with grace 0 shortens the grace period,
    // which moves the timestamp back to the delete request's moment, and the pod stays.
    e.run_until(60 * SECOND);
    let pod = e.pod("default", "web").expect("held by its finalizer");
    assert_eq!((pod.metadata.deletion, pod.metadata.deletion_grace_period_seconds), (Some(10 * SECOND), Some(0)));
    let terminated = pod.status.container_statuses[0].state.terminated.as_ref().expect("terminated");
    assert!(terminated.finished_at.is_some_and(|t| (10 * SECOND..12 * SECOND).contains(&t)), "{terminated:?}");
    // 1.36: the kubelet set the terminal phase, so kubectl shows it, not Terminating.
    assert_eq!(pod.status.phase, "Succeeded");
    assert_eq!(status_of(&mut e, 60 * SECOND), "Completed");
    let out = at(&mut e, 60 * SECOND, "get pod web -o jsonpath={.metadata.finalizers}");
    assert_eq!(out.stdout, "[\"example.com/hold\"]");
    // A patch without the finalizer removes the object.
    let out = at(&mut e, 70 * SECOND, r#"patch pod web -p '{"metadata":{"finalizers":null}}'"#);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("pod/web patched\n", ""));
    assert!(e.pod("default", "web").is_none());
    let out = at(&mut e, 70 * SECOND, "get pod web");
    assert_eq!(out.stderr, "Error from server (NotFound): pods \"web\" not found\n");
}

#[test]
fn before_1_31_a_held_pod_shows_terminating_after_its_containers_stopped() {
    let mut e = engine_of("1.30", FINALIZER, "");
    at(&mut e, 10 * SECOND, "delete pod web");
    assert_eq!(status_of(&mut e, 60 * SECOND), "Terminating");
    let out = at(&mut e, 60 * SECOND, "describe pod web");
    assert!(out.stdout.contains("Status:                    Terminating (lasts 50s)\nTermination Grace Period:  0s\n"), "{}", out.stdout);
}

#[test]
fn a_finalizer_removed_before_the_kubelet_finishes_leaves_the_deletion_to_it() {
    let mut e = engine_of("1.36", FINALIZER, "  terminationGracePeriodSeconds: 60\n");
    at(&mut e, 10 * SECOND, "delete pod web");
    let out = at(&mut e, 10 * SECOND, r#"patch pod web --type=json -p '[{"op":"remove","path":"/metadata/finalizers/0"}]'"#);
    assert_eq!(out.stdout, "pod/web patched\n");
    // Still being deleted with its grace period: the object stays until the kubelet's delete.
    assert!(e.pod("default", "web").is_some_and(|p| p.metadata.finalizers.is_none()));
    e.run_until(30 * SECOND);
    assert!(e.pod("default", "web").is_none());
}

#[test]
fn a_force_delete_of_a_held_pod_marks_it_deleting() {
    let mut e = engine_of("1.36", FINALIZER, "");
    let out = at(&mut e, 10 * SECOND, "delete pod web --force --grace-period=0");
    assert_eq!(out.stdout, "pod \"web\" force deleted\n");
    let pod = e.pod("default", "web").expect("held");
    assert_eq!((pod.metadata.deletion, pod.metadata.deletion_grace_period_seconds), (Some(10 * SECOND), Some(0)));
    e.run_until(20 * SECOND);
    assert!(e.pod("default", "web").unwrap().status.container_statuses[0].state.terminated.is_some());
    at(&mut e, 30 * SECOND, r#"patch pod web --type merge -p '{"metadata":{"finalizers":[]}}'"#);
    assert!(e.pod("default", "web").is_none());
}

#[test]
fn finalizer_refusals() {
    let mut e = engine_of("1.36", FINALIZER, "");
    let out = at(&mut e, 5 * SECOND, r#"patch pod web -p '{"metadata":{"finalizers":["bad name"]}}'"#);
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.starts_with("The Pod \"web\" is invalid: metadata.finalizers: Invalid value: \"bad name\": name part must consist of alphanumeric characters"), "{}", out.stderr);
    at(&mut e, 10 * SECOND, "delete pod web");
    let out = at(&mut e, 11 * SECOND, r#"patch pod web -p '{"metadata":{"finalizers":["example.com/more"]}}'"#);
    assert_eq!(
        out.stderr,
        "The Pod \"web\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/more\"}\n"
    );
    // The same list again writes nothing.
    let out = at(&mut e, 11 * SECOND, r#"patch pod web -p '{"metadata":{"finalizers":["example.com/hold"]}}'"#);
    assert_eq!(out.stdout, "pod/web patched (no change)\n");
    // A status through the main resource is reset: no change.
    let out = at(&mut e, 11 * SECOND, r#"patch pod web --type=merge -p '{"status":{"phase":"Failed"}}'"#);
    assert_eq!(out.stdout, "pod/web patched (no change)\n");
    let out = at(&mut e, 11 * SECOND, "patch pod web --type=yaml -p {}");
    assert_eq!(out.stderr, "error: --type must be one of [json merge strategic], not \"yaml\"\n");
    let out = at(&mut e, 11 * SECOND, "patch pod web");
    assert_eq!(out.stderr, "error: must specify --patch or --patch-file containing the contents of the patch\n");
    let out = at(&mut e, 11 * SECOND, "patch pod nosuch -p {}");
    assert_eq!(out.stderr, "Error from server (NotFound): pods \"nosuch\" not found\n");
}

#[test]
fn labels_and_annotations_by_patch() {
    let mut e = engine_of("1.36", "", "");
    // YAML is accepted too.
    let out = at(&mut e, 5 * SECOND, "patch pod web -p '{metadata: {labels: {tier: back}}}'");
    assert_eq!(out.stdout, "pod/web patched\n");
    let out = at(&mut e, 5 * SECOND, "patch pod web -p '{metadata: {labels: [}'");
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.contains("line 1 column"), "{}", out.stderr);
    let out = at(&mut e, 5 * SECOND, r#"patch pod/web -p '{"metadata":{"labels":{"tier":"front"},"annotations":{"note":"x"}}}'"#);
    assert_eq!(out.stdout, "pod/web patched\n");
    let pod = e.pod("default", "web").unwrap();
    assert_eq!(pod.metadata.labels.get("tier").map(String::as_str), Some("front"));
    assert_eq!(pod.metadata.annotations.get("note").map(String::as_str), Some("x"));
    // Another field of the spec: the API server's ValidatePodUpdate refuses it.
    let out = at(&mut e, 5 * SECOND, r#"patch pod web -p '{"spec":{"hostname":"x"}}'"#);
    assert!(
        out.stderr.starts_with(
            "The Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.ends_with("the fields that differ: spec.hostname)\n"), "{}", out.stderr);
}

const GATES: &str = "  readinessGates:\n  - conditionType: example.com/lb\n  - conditionType: example.com/dns\n";

fn ready(e: &podplay_core::Engine) -> (String, Option<String>, Option<String>) {
    let c = e.pod("default", "web").unwrap().status.condition("Ready").unwrap().clone();
    (c.status, c.reason, c.message)
}

#[test]
fn readiness_gates_hold_ready_until_their_conditions_are_true() {
    let mut e = engine_of("1.36", "", GATES);
    e.run_until(20 * SECOND);
    assert_eq!(
        ready(&e),
        (
            "False".into(),
            Some("ReadinessGatesNotReady".into()),
            Some("corresponding condition of pod readiness gate \"example.com/lb\" does not exist., corresponding condition of pod readiness gate \"example.com/dns\" does not exist.".into())
        )
    );
    let out = at(&mut e, 20 * SECOND, "get pods -o wide");
    assert!(out.stdout.lines().nth(1).unwrap().ends_with("<none>           0/2"), "{}", out.stdout);
    let out = at(
        &mut e,
        21 * SECOND,
        r#"patch pod web --subresource=status -p '{"status":{"conditions":[{"type":"example.com/lb","status":"True"}]}}'"#,
    );
    assert_eq!(out.stdout, "pod/web patched\n");
    let out = at(
        &mut e,
        22 * SECOND,
        r#"patch pod web --subresource=status -p '{"status":{"conditions":[{"type":"example.com/dns","status":"False"}]}}'"#,
    );
    assert_eq!(out.stdout, "pod/web patched\n");
    // The kubelet reconciles the pod's readiness on the watch event, a task of its own.
    e.run_until(22 * SECOND + 1);
    assert_eq!(ready(&e).2.as_deref(), Some("the status of pod readiness gate \"example.com/dns\" is not \"True\", but False"));
    let out = at(&mut e, 22 * SECOND, "get pods -o wide");
    assert!(out.stdout.contains("1/2"), "{}", out.stdout);
    // A merge patch replaces the list: the kubelet writes its own conditions back after the
    // ones it does not own.
    let out = at(
        &mut e,
        23 * SECOND,
        r#"patch pod web --subresource=status --type=merge -p '{"status":{"conditions":[{"type":"example.com/lb","status":"True"},{"type":"example.com/dns","status":"True"}]}}'"#,
    );
    assert_eq!(out.stdout, "pod/web patched\n");
    e.run_until(24 * SECOND);
    assert_eq!(ready(&e), ("True".into(), None, None));
    let kinds: Vec<String> = e.pod("default", "web").unwrap().status.conditions.iter().map(|c| c.kind.clone()).collect();
    assert_eq!(
        kinds,
        ["example.com/lb", "example.com/dns", "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    );
    let out = at(&mut e, 24 * SECOND, "get pods -o wide");
    assert!(out.stdout.contains("2/2"), "{}", out.stdout);
    let out = at(&mut e, 24 * SECOND, "describe pod web");
    assert!(
        out.stdout.contains("Readiness Gates:\n  Type              Status\n  example.com/lb    True \n  example.com/dns   True \n"),
        "{}",
        out.stdout
    );
    // The same conditions again: no write.
    let out = at(
        &mut e,
        25 * SECOND,
        r#"patch pod web --subresource=status -p '{"status":{"conditions":[{"type":"example.com/lb","status":"True"}]}}'"#,
    );
    assert_eq!(out.stdout, "pod/web patched (no change)\n");
    let out = at(
        &mut e,
        25 * SECOND,
        r#"patch pod web --subresource=status -p '{"status":{"conditions":[{"type":"bad type","status":"True"}]}}'"#,
    );
    assert!(out.stderr.starts_with("The Pod \"web\" is invalid: status.conditions[7].Type: Invalid value: \"bad type\""), "{}", out.stderr);
}

#[test]
fn the_subresource_flag_by_release() {
    let patch = r#"patch pod web --subresource=status -p '{"status":{"conditions":[{"type":"example.com/lb","status":"True"}]}}'"#;
    let mut e = engine_of("1.23", "", GATES);
    let out = at(&mut e, 5 * SECOND, patch);
    assert_eq!(out.stderr, "error: unknown flag: --subresource\nSee 'kubectl patch --help' for usage.\n");
    let mut e = engine_of("1.24", "", GATES);
    assert_eq!(at(&mut e, 5 * SECOND, patch).stdout, "pod/web patched\n");
    let out = at(&mut e, 5 * SECOND, "patch pod web --subresource=log -p {}");
    assert_eq!(out.stderr, "error: invalid subresource value: \"log\". Must be one of [status scale]\n");
    let mut e = engine_of("1.32", "", GATES);
    let out = at(&mut e, 5 * SECOND, "patch pod web --subresource=log -p {}");
    assert_eq!(out.stderr, "Error from server (NotFound): the server could not find the requested resource\n");
}

#[test]
fn grace_period_zero_without_force_is_one() {
    // delete.go: "we convert --grace-period=0 into --grace-period=1"; only --force deletes at once.
    let mut e = engine_of("1.36", "", "");
    let out = at(&mut e, 10 * SECOND, "delete pod web --grace-period=0");
    assert_eq!(out.stdout, "pod \"web\" deleted\n");
    let pod = e.pod("default", "web").expect("still terminating");
    assert_eq!((pod.metadata.deletion, pod.metadata.deletion_grace_period_seconds), (Some(11 * SECOND), Some(1)));
    e.run_until(15 * SECOND);
    assert!(e.pod("default", "web").is_none());
}

#[test]
fn the_status_subresource_takes_metadata_message_and_reason() {
    let mut e = engine_of("1.36", "", "");
    let out = at(
        &mut e,
        5 * SECOND,
        r#"patch pod web --subresource=status --type=merge -p '{"metadata":{"annotations":{"seen":"yes"}},"spec":{"activeDeadlineSeconds":3},"status":{"message":"hello","reason":"Why"}}'"#,
    );
    assert_eq!(out.stdout, "pod/web patched\n");
    let pod = e.pod("default", "web").unwrap();
    assert_eq!(pod.metadata.annotations.get("seen").map(String::as_str), Some("yes"));
    // The status strategy resets the spec.
    assert_eq!(pod.spec.active_deadline_seconds, None);
    assert_eq!((pod.status.message.as_deref(), pod.status.reason.as_deref()), (Some("hello"), Some("Why")));
    let out = at(&mut e, 5 * SECOND, r#"patch pod web --subresource=status --type=merge -p '{"status":{"hostIP":"1.2.3.4"}}'"#);
    assert!(out.stderr.contains("this patch changes other fields of status"), "{}", out.stderr);
}

#[test]
fn delete_by_label_selector() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n  labels: {app: x}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n---\n\
                apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: x}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n---\n\
                apiVersion: v1\nkind: Pod\nmetadata:\n  name: other\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n";
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml.into() }]).unwrap();
    let mut e = crate::new_engine(&m).unwrap();
    let out = at(&mut e, 5 * SECOND, "delete pods -l app=x");
    assert_eq!(out.stdout, "pod \"a\" deleted\npod \"b\" deleted\n");
    let out = at(&mut e, 5 * SECOND, "delete pods -l app=none");
    assert_eq!((out.stdout.as_str(), out.exit_code), ("No resources found\n", 0));
    let out = at(&mut e, 5 * SECOND, "delete pod other -l app=x");
    assert_eq!(out.stderr, "error: name cannot be provided when a selector is specified\n");
    // `--all`: the builder's selector of everything, in the namespace, by name.
    let mut e = crate::new_engine(&m).unwrap();
    assert_eq!(at(&mut e, 5 * SECOND, "delete pods --all -l app=x").stderr, "error: cannot set --all and --selector at the same time\n");
    assert_eq!(at(&mut e, 5 * SECOND, "delete pod other --all").stderr, "error: name cannot be provided when a selector is specified\n");
    assert_eq!(at(&mut e, 5 * SECOND, "delete pods --all -n kube-system").stdout, "No resources found\n");
    let out = at(&mut e, 5 * SECOND, "delete pods --all");
    assert_eq!(out.stdout, "pod \"a\" deleted\npod \"b\" deleted\npod \"other\" deleted\n");
}

#[test]
fn active_deadline_seconds_may_be_set_or_lowered() {
    let mut e = engine_of("1.36", "", "  activeDeadlineSeconds: 600\n");
    let patch = |e: &mut podplay_core::Engine, t: Millis, v: &str| {
        at(e, t, &format!(r#"patch pod web -p '{{"spec":{{"activeDeadlineSeconds":{v}}}}}'"#))
    };
    let out = patch(&mut e, 5 * SECOND, "900");
    assert_eq!(
        out.stderr,
        "The Pod \"web\" is invalid: spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value\n"
    );
    let out = patch(&mut e, 5 * SECOND, "null");
    assert_eq!(out.stderr, "The Pod \"web\" is invalid: spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value\n");
    let out = patch(&mut e, 5 * SECOND, "-1");
    assert_eq!(
        out.stderr,
        "The Pod \"web\" is invalid: spec.activeDeadlineSeconds: Invalid value: -1: must be between 0 and 2147483647, inclusive\n"
    );
    assert_eq!(patch(&mut e, 5 * SECOND, "8").stdout, "pod/web patched\n");
    // The kubelet's sync loop fails the pod at its first tick past the deadline (startTime + 8 s).
    e.run_until(8 * SECOND);
    assert_eq!(e.pod("default", "web").unwrap().status.phase, "Running");
    e.run_until(10 * SECOND);
    let pod = e.pod("default", "web").unwrap();
    assert_eq!((pod.status.phase.as_str(), pod.status.reason.as_deref()), ("Failed", Some("DeadlineExceeded")));
    let out = at(&mut e, 10 * SECOND, "get events --field-selector reason=DeadlineExceeded -o name");
    assert!(out.stdout.lines().count() == 1, "{out:?}");
}

#[test]
fn a_changed_image_restarts_the_container() {
    let mut e = engine_of("1.36", "", "");
    let out = at(&mut e, 10 * SECOND, r#"patch pod web -p '{"spec":{"containers":[{"name":"nginx","image":" nginx:1.26"}]}}'"#);
    assert_eq!(
        out.stderr,
        "The Pod \"web\" is invalid: spec.containers[0].image: Invalid value: \" nginx:1.26\": must not have leading or trailing whitespace\n"
    );
    let out = at(&mut e, 10 * SECOND, r#"patch pod web -p '{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}'"#);
    assert_eq!(out.stdout, "pod/web patched\n");
    // computePodActions: the definition changed, so the container is killed and started again.
    let out = at(&mut e, 30 * SECOND, "get events --field-selector reason=Killing");
    assert!(out.stdout.contains("Container nginx definition changed, will be restarted"), "{}", out.stdout);
    let pod = e.pod("default", "web").unwrap();
    let status = &pod.status.container_statuses[0];
    assert_eq!((status.restart_count, status.image.as_str()), (1, "docker.io/library/nginx:1.26"));
    assert!(status.state.running.is_some());
    // A merge patch replaces the containers list: that changes more than the image (the
    // service account token's mount is gone), which the API server refuses.
    let out = at(&mut e, 30 * SECOND, r#"patch pod web --type=merge -p '{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}'"#);
    assert!(out.stderr.contains("spec: Forbidden: pod updates may not change fields other than"), "{}", out.stderr);
    assert!(out.stderr.ends_with("the fields that differ: spec.containers[0].volumeMounts)\n"), "{}", out.stderr);
}

#[test]
fn patch_flags() {
    let mut e = engine_of("1.36", "", "");
    let out = at(&mut e, 5 * SECOND, r#"patch pod web -p='{"metadata":{"labels":{"a":"b"}}}'"#);
    assert_eq!(out.stdout, "pod/web patched\n", "{out:?}");
    let out = at(&mut e, 5 * SECOND, "patch pod web -p {} --dry-run=server");
    assert!(out.stderr.starts_with("error: podplay's kubectl patch does not take --dry-run"), "{}", out.stderr);
    let out = at(&mut e, 5 * SECOND, "patch pod web -p {} --bogus");
    assert_eq!(out.stderr, "error: unknown flag: --bogus\nSee 'kubectl patch --help' for usage.\n");
}

#[test]
fn a_gate_on_a_condition_the_kubelet_writes_before_ready() {
    // GeneratePodReadyCondition looks in the status's conditions so far: Initialized is there.
    let mut e = engine_of("1.36", "", "  readinessGates:\n  - conditionType: Initialized\n  - conditionType: PodScheduled\n");
    e.run_until(20 * SECOND);
    assert_eq!(
        ready(&e),
        (
            "False".into(),
            Some("ReadinessGatesNotReady".into()),
            Some("corresponding condition of pod readiness gate \"PodScheduled\" does not exist.".into())
        )
    );
}

#[test]
fn patch_names_a_type_and_a_name() {
    let mut e = engine_of("1.36", "", "");
    assert_eq!(at(&mut e, 5 * SECOND, "patch web -p {}").stderr, "error: the server doesn't have a resource type \"web\"\n");
    assert_eq!(at(&mut e, 5 * SECOND, "patch pods -p {}").stderr, "error: resource(s) were provided, but no name was specified\n");
}

/// A ConfigMap `cm` (labelled `static: "true"`, `valueName: value`) and a Secret `s` (`key:
/// value`, labelled alike) on release 1.36.
fn configs() -> podplay_core::Engine {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: {static: \"true\"}\ndata:\n  valueName: value\n---\n\
                apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels: {static: \"true\"}\ndata:\n  key: dmFsdWU=\n";
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml.into() }]).unwrap();
    crate::new_engine(&m).unwrap()
}

/// e2e configmap.go's and secrets.go's lifecycle patches: a strategic merge of labels and data
/// through the API server's update; a JSON patch replacing `data`; no change said as kubectl
/// says it; the update's validation refuses a bad key.
#[test]
fn config_maps_and_secrets_are_patched_through_their_update() {
    let mut e = configs();
    let out = at(
        &mut e,
        SECOND,
        r#"patch configmap cm -p '{"metadata":{"creationTimestamp":null,"labels":{"test":"patched"}},"data":{"valueName":"value1"}}'"#,
    );
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("configmap/cm patched\n", ""));
    let cm = e.find_config_map("cm", "default").unwrap();
    assert_eq!(cm.data["valueName"], "value1");
    assert_eq!(cm.metadata.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(), ["static=true", "test=patched"]);
    let out = at(&mut e, SECOND, r#"patch cm/cm -p '{"data":{"valueName":"value1"}}'"#);
    assert_eq!(out.stdout, "configmap/cm patched (no change)\n");
    let out = at(&mut e, SECOND, r#"patch configmap cm --type json -p '[{"op":"replace","path":"/data","value":{"data":"value"}}]'"#);
    assert_eq!(out.stdout, "configmap/cm patched\n");
    assert_eq!(e.find_config_map("cm", "default").unwrap().data.keys().collect::<Vec<_>>(), ["data"]);
    let out = at(&mut e, SECOND, r#"patch configmap cm --type merge -p '{"data":{"b*d":"x"}}'"#);
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.starts_with("The ConfigMap \"cm\" is invalid: data[b*d]: Invalid value: \"b*d\": "), "{out:?}");
    // A Secret's data is base64 on the wire: the patch's value is stored as sent.
    let out = at(&mut e, SECOND, r#"patch secret s -p '{"metadata":{"labels":{"testsecret":"true"}},"data":{"key":"ZG1Gc2RXVXg="}}'"#);
    assert_eq!(out.stdout, "secret/s patched\n");
    assert_eq!(e.find_secret("s", "default").unwrap().data["key"], "ZG1Gc2RXVXg=");
    let out = at(&mut e, SECOND, r#"patch secret nosuch -p '{"data":{}}'"#);
    assert_eq!(out.stderr, "Error from server (NotFound): secrets \"nosuch\" not found\n");
    let out = at(&mut e, SECOND, r#"patch service web -p '{}'"#);
    assert_eq!(out.stderr, "error: podplay patches pods, ConfigMaps and Secrets, not \"service\"\n");
}

/// `kubectl delete configmaps|secrets -l` (the e2e's DeleteCollection): the builder's list of
/// the namespace's objects the selector matches, each deleted.
#[test]
fn config_maps_and_secrets_are_deleted_by_label_selector() {
    let mut e = configs();
    let out = at(&mut e, SECOND, "delete configmaps -l static=false");
    assert_eq!(out.stdout, "No resources found\n");
    let out = at(&mut e, SECOND, "delete configmaps -l static=true x");
    assert_eq!(out.stderr, "error: name cannot be provided when a selector is specified\n");
    let out = at(&mut e, SECOND, "delete secrets --selector=static=true");
    assert_eq!(out.stdout, "secret \"s\" deleted\n");
    let out = at(&mut e, SECOND, "delete configmaps -l static=true");
    assert_eq!(out.stdout, "configmap \"cm\" deleted\n");
    assert!(e.config_maps().is_empty() && e.secrets().is_empty());
}
