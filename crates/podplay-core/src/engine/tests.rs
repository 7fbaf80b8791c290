//! Kubelet/engine behaviour against the fake runtime: what a real cluster shows for simple pods.

use super::fake_cri::FakeCri;
use super::Engine;
use crate::source::{load, SourceFile};

fn engine(yaml: &str, fake: FakeCri) -> Engine {
    let m = load(&[SourceFile { name: "t.yaml".into(), text: yaml.into() }]).expect("valid yaml");
    Engine::with_runtime(&m, Box::new(fake)).expect("valid objects")
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n";

fn reasons(e: &Engine) -> Vec<(String, String, u32)> {
    e.events().into_iter().map(|ev| (ev.reason, ev.message, ev.count.max(ev.series.map_or(0, |s| s.count)))).collect()
}

#[test]
fn pod_goes_pending_to_running_with_the_four_events() {
    let mut e = engine(POD, FakeCri::default());
    e.run_until(0);
    assert_eq!(e.pods().next().unwrap().status.phase, "Pending");
    e.run_until(10_000);
    let pod = e.pods().next().unwrap();
    assert_eq!(pod.status.phase, "Running");
    assert!(pod.status.container_statuses[0].ready);
    let r: Vec<String> = reasons(&e).into_iter().map(|(r, _, _)| r).collect();
    assert_eq!(r, ["Scheduled", "Pulled", "Created", "Started"]);
    let msgs = reasons(&e);
    assert_eq!(msgs[0].1, "Successfully assigned default/web to node-1");
    assert_eq!(msgs[1].1, "Container image \"busybox:1.36\" already present on machine and can be accessed by the pod");
    assert_eq!(msgs[2].1, "Container created");
}

#[test]
fn release_1_22_texts() {
    let yaml = format!(
        "{POD}---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec: {{kubernetesVersion: \"1.22\"}}\n"
    );
    let mut e = engine(&yaml, FakeCri::default());
    e.run_until(10_000);
    let msgs = reasons(&e);
    assert_eq!(msgs[1].1, "Container image \"busybox:1.36\" already present on machine");
    assert_eq!(msgs[2].1, "Created container app");
    assert_eq!(msgs[3].1, "Started container app");
}

#[test]
fn crash_loop_backs_off_10_then_20_seconds() {
    let mut fake = FakeCri::default();
    fake.exit_after.insert("app".into(), (1000, 1));
    let mut e = engine(POD, fake);
    e.run_until(120_000);
    let pod = e.pods().next().unwrap();
    let cs = &pod.status.container_statuses[0];
    // Starts: ~1s, immediate restart at ~2s, then +10 s, +20 s, +40 s back-offs (each 0–15 s late).
    assert!(cs.restart_count >= 3 && cs.restart_count <= 5, "restarts {}", cs.restart_count);
    assert!(reasons(&e)
        .iter()
        .any(|(r, m, _)| r == "BackOff" && m.starts_with("Back-off restarting failed container app in pod web_default(")));
}

#[test]
fn missing_image_fails_to_pull_then_backs_off() {
    let mut fake = FakeCri::default();
    fake.missing_images.push("nosuch:1".into());
    let yaml = POD.replace("busybox:1.36", "nosuch:1");
    let mut e = engine(&yaml, fake);
    e.run_until(60_000);
    let pod = e.pods().next().unwrap();
    let waiting = pod.status.container_statuses[0].state.waiting.clone().unwrap();
    assert!(matches!(waiting.reason.as_deref(), Some("ImagePullBackOff") | Some("ErrImagePull")));
    let r: Vec<String> = reasons(&e).into_iter().map(|(r, _, _)| r).collect();
    assert!(r.contains(&"Pulling".to_string()) && r.contains(&"BackOff".to_string()), "{r:?}");
}

/// A reference that does not parse is refused before any pull (EnsureImageExists'
/// applyDefaultImageTag): InspectFailed and `Error: InvalidImageName` at each sync, no pull and
/// no pull back-off; the texts follow the release (kubernetes#116231, #120332).
#[test]
fn an_unparsable_image_is_invalid_image_name_without_a_pull() {
    let run = |version: &str, image: &str| {
        let yaml = format!(
            "{}---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec: {{kubernetesVersion: \"{version}\"}}\n",
            POD.replace("busybox:1.36", image)
        );
        let mut e = engine(&yaml, FakeCri::default());
        e.run_until(60_000);
        e
    };
    let e = run("1.35", "Nginx");
    // It has no normal form: the status keeps the image as written.
    assert_eq!(e.pods().next().unwrap().status.container_statuses[0].image, "Nginx");
    let waiting = e.pods().next().unwrap().status.container_statuses[0].state.waiting.clone().unwrap();
    let message = "Failed to apply default image tag \"Nginx\": couldn't parse image name \"Nginx\": invalid reference format: repository name (library/Nginx) must be lowercase";
    assert_eq!((waiting.reason.as_deref(), waiting.message.as_deref()), (Some("InvalidImageName"), Some(message)));
    let ev = reasons(&e);
    assert!(ev.iter().all(|(r, _, _)| r != "Pulling" && r != "BackOff"), "{ev:?}");
    assert!(ev.iter().any(|(r, m, n)| r == "InspectFailed" && m == message && *n > 1), "{ev:?}");
    assert!(ev.iter().any(|(r, m, _)| r == "Failed" && m == "Error: InvalidImageName"), "{ev:?}");
    let e = run("1.27", "\"nginx:\"");
    let waiting = e.pods().next().unwrap().status.container_statuses[0].state.waiting.clone().unwrap();
    let message = "Failed to apply default image tag \"nginx:\": couldn't parse image reference \"nginx:\": invalid reference format";
    assert_eq!(waiting.message.as_deref(), Some(message));
    let e = run("1.28", "Nginx");
    let waiting = e.pods().next().unwrap().status.container_statuses[0].state.waiting.clone().unwrap();
    assert!(waiting
        .message
        .unwrap()
        .ends_with("couldn't parse image name \"Nginx\": invalid reference format: repository name must be lowercase"));
}

/// A container of a generic image (the real runtime's `catalog/generic.rs`): the changes its
/// program decides (its start, its exit) say that its behaviour is generic.
#[test]
fn a_generic_image_is_named_in_its_containers_changes() {
    let m = load(&[SourceFile { name: "t.yaml".into(), text: POD.replace("busybox:1.36", "postgres:16") }]).expect("valid yaml");
    let mut e = Engine::new(&m).expect("valid objects");
    e.run_until(5_000);
    let notes: Vec<&str> = e
        .timeline()
        .iter()
        .filter(|c| matches!(c.detail, super::ChangeDetail::ContainerStarted { .. } | super::ChangeDetail::ContainerExited { .. }))
        .flat_map(|c| c.fields.iter().filter(|f| f.path == "spec.containers[0].image").map(|f| f.value.as_str()))
        .collect();
    assert!(notes.len() >= 2, "{notes:?}");
    assert!(notes.iter().all(|n| n.starts_with("postgres:16 (a generic image: ")), "{notes:?}");
}

#[test]
fn failing_liveness_probe_kills_after_three_failures() {
    let mut fake = FakeCri::default();
    fake.exec_exit = 1;
    let yaml = format!("{POD}    livenessProbe:\n      exec: {{command: [test, -e, /tmp/x]}}\n      periodSeconds: 3\n");
    let mut e = engine(&yaml, fake);
    e.run_until(12_000);
    let ev = reasons(&e);
    let unhealthy = ev.iter().find(|(r, _, _)| r == "Unhealthy").expect("unhealthy");
    assert_eq!(unhealthy.1, "Liveness probe failed: ");
    assert_eq!(unhealthy.2, 3);
    assert!(ev.iter().any(|(r, m, _)| r == "Killing" && m == "Container app failed liveness probe, will be restarted"));
    // SIGKILL after the 30 s grace period, then an immediate restart.
    e.run_until(50_000);
    assert_eq!(e.pods().next().unwrap().status.container_statuses[0].restart_count, 1);
}

/// A request larger than the node's whole allocatable: from 1.34 preemption says it cannot
/// help (kubernetes#131345); before, that no victims were found. (A request that only exceeds
/// what is left finds no victims in every release: golden `scheduling-resources-30s-*`.)
#[test]
fn a_request_over_allocatable_is_unresolvable_from_1_34() {
    let big = |version: &str, cpu: &str| {
        format!(
            "{}    resources: {{requests: {{cpu: '{cpu}'}}}}\n---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec: {{kubernetesVersion: '{version}'}}\n",
            POD
        )
    };
    let fit = |version: &str, cpu: &str| {
        let mut e = engine(&big(version, cpu), FakeCri::default());
        e.run_until(5_000);
        reasons(&e).into_iter().find(|(r, _, _)| r == "FailedScheduling").map(|(_, m, _)| m).expect("unschedulable")
    };
    let victims = "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
    let not_helpful = "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    assert!(fit("1.33", "1000").ends_with(victims), "{}", fit("1.33", "1000"));
    assert!(fit("1.34", "1000").ends_with(not_helpful), "{}", fit("1.34", "1000"));
    assert!(fit("1.34", "1000").starts_with("0/1 nodes are available: 1 Insufficient cpu. "));
    // DynamicResources' PostFilter (on by default from 1.34) before DefaultPreemption's.
    assert!(!fit("1.33", "1000").contains("no new claims to deallocate"));
    assert!(fit("1.34", "1000").contains(". no new claims to deallocate, preemption: "), "{}", fit("1.34", "1000"));
}

#[test]
fn unschedulable_selector_gives_fit_error() {
    let yaml = POD.replace("spec:\n", "spec:\n  nodeSelector: {disk: ssd}\n");
    let mut e = engine(&yaml, FakeCri::default());
    e.run_until(5_000);
    let ev = reasons(&e);
    assert_eq!(ev[0].0, "FailedScheduling");
    assert_eq!(ev[0].1, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
    assert_eq!(e.pods().next().unwrap().status.phase, "Pending");
}

#[test]
fn same_input_same_output() {
    let run = || {
        let mut fake = FakeCri::default();
        fake.exit_after.insert("app".into(), (1000, 1));
        let mut e = engine(POD, fake);
        e.run_until(600_000);
        format!("{:?}", e.timeline())
    };
    assert_eq!(run(), run());
}

#[test]
fn a_bad_image_document_is_a_located_diagnostic() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: busybox}]}\n---\napiVersion: podplay.dev/v1alpha1\nkind: Image\nmetadata: {name: example.com/app:v1}\nspec:\n  signals: [{signal: SIGTERMINATE, exitCode: 0}]\n";
    let m = load(&[SourceFile { name: "lesson.yaml".into(), text: yaml.into() }]).expect("parses");
    let errors = Engine::new(&m).err().expect("rejected");
    assert_eq!(errors[0].to_string(), "lesson.yaml:6:1: Image \"example.com/app:v1\": spec.signals[0].signal: unknown signal \"SIGTERMINATE\" (use SIGTERM, SIGINT, SIGQUIT, SIGKILL, SIGUSR1, ...)");
    let bad_duration = yaml.replace("signals: [{signal: SIGTERMINATE, exitCode: 0}]", "listenAfter: soon");
    let d = &load(&[SourceFile { name: "lesson.yaml".into(), text: bad_duration }]).unwrap_err()[0];
    assert_eq!((d.line, d.path.as_deref()), (10, Some("spec.listenAfter")));
}

#[test]
fn a_reconnected_node_cancels_pending_evictions() {
    let steps = "---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  steps:\n  - {at: 10s, run: podplay node disconnect node-1}\n  - {at: 100s, run: podplay node reconnect node-1}\n  - {at: 200s, run: podplay node disconnect node-1}\n";
    let mut e = engine(&format!("{POD}{steps}"), FakeCri::default());
    e.set_step_runner(std::rc::Rc::new(|e: &mut Engine, step: &crate::model::Step| {
        e.set_node_connected("node-1", step.at == 100_000).expect("node-1 exists");
        Default::default()
    }));
    // First outage: NotReady at ~60 s would evict at ~360 s; the reconnect at 100 s cancels
    // that. The second outage goes NotReady at ~250 s and evicts only at ~550 s.
    e.run_until(400_000);
    assert!(e.pods().next().unwrap().metadata.deletion.is_none(), "evicted by the first outage's timer");
    e.run_until(600_000);
    assert!(e.pods().next().unwrap().metadata.deletion.is_some(), "the second outage evicts");
}

#[test]
fn pull_always_crash_loop_pulls_only_after_back_off_passes() {
    // SyncPod checks back-off (doBackOff) before startContainer; only a start that passed it
    // pulls (Pulling → Pulled → Created → Started, the pull blocking the worker), and the
    // kubelet does not re-check back-off after the pull.
    let mut fake = FakeCri::default();
    fake.exit_after.insert("app".into(), (1000, 1));
    let yaml = POD.replace("image: busybox:1.36\n", "image: busybox:1.36\n    imagePullPolicy: Always\n");
    let mut e = engine(&yaml, fake);
    e.run_until(300_000);
    let kubelet: Vec<(u64, String)> = e
        .timeline()
        .iter()
        .filter(|c| c.kind() == "event" && !c.summary().contains("Scheduled"))
        .map(|c| (c.at, c.summary().split(':').next().unwrap().to_string()))
        .collect();
    let pulls = kubelet.iter().filter(|(_, s)| s == "Normal Pulling").count();
    assert!(pulls >= 5, "{kubelet:?}");
    for (i, (at, summary)) in kubelet.iter().enumerate() {
        if summary != "Normal Pulling" {
            continue;
        }
        let next: Vec<&str> = kubelet[i + 1..(i + 4).min(kubelet.len())].iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(next, ["Normal Pulled", "Normal Created", "Normal Started"], "after the Pulling at {at} ms: {kubelet:?}");
        // The pull takes the fake's 1.5 s (90–110 %, each pull its own) and nothing else
        // happens in between.
        let took = kubelet[i + 1].0 - at;
        assert!((1350..=1650).contains(&took), "pull at {at} ms took {took} ms");
    }
    let pulled: Vec<String> = reasons(&e).into_iter().filter(|(r, _, _)| r == "Pulled").map(|(_, m, _)| m).collect();
    for m in &pulled {
        assert!(
            matches_durations("Successfully pulled image \"busybox:1.36\" in {d} ({d} including waiting). Image size: 2000000 bytes.", m),
            "{m}"
        );
    }
    // Each pull's message differs, so each is its own event (or the aggregator's combination).
    assert!(pulled.len() >= 2, "{pulled:?}");
    // BackOff comes from syncs that found the container in back-off, never right after a pull.
    assert!(kubelet.iter().any(|(_, s)| s == "Warning BackOff"));
}

#[test]
fn pulled_text_by_release() {
    // image_manager.go per release (kubeedge's vendored 1.23.15, 1.26.7, 1.27.7, 1.28.6, 1.29.6,
    // 1.30.7): `time.Since(startTime)` only; then the puller's own pull time and the time
    // including waiting; truncated to ms from 1.28; the image size from 1.30.
    let cases = [
        ("1.22", "Successfully pulled image \"busybox:1.36\" in {d}"),
        ("1.25", "Successfully pulled image \"busybox:1.36\" in {d}"),
        ("1.26", "Successfully pulled image \"busybox:1.36\" in {d} ({d} including waiting)"),
        ("1.27", "Successfully pulled image \"busybox:1.36\" in {d} ({d} including waiting)"),
        ("1.28", "Successfully pulled image \"busybox:1.36\" in {ms} ({ms} including waiting)"),
        ("1.29", "Successfully pulled image \"busybox:1.36\" in {ms} ({ms} including waiting)"),
        ("1.30", "Successfully pulled image \"busybox:1.36\" in {ms} ({ms} including waiting). Image size: 2000000 bytes."),
        ("1.36", "Successfully pulled image \"busybox:1.36\" in {ms} ({ms} including waiting). Image size: 2000000 bytes."),
    ];
    for (release, want) in cases {
        let pod = POD.replace("image: busybox:1.36\n", "image: busybox:1.36\n    imagePullPolicy: Always\n");
        let yaml = format!("{pod}---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec: {{kubernetesVersion: \"{release}\"}}\n");
        let mut e = engine(&yaml, FakeCri::default());
        e.run_until(10_000);
        let pulled: Vec<String> = reasons(&e).into_iter().filter(|(r, _, _)| r == "Pulled").map(|(_, m, _)| m).collect();
        assert_eq!(pulled.len(), 1, "release {release}: {pulled:?}");
        assert!(matches_durations(want, &pulled[0]), "release {release}: {want} vs {}", pulled[0]);
    }
}

/// Whether `text` is `pattern` with each `{d}` a Go duration (`1.504444456s`, `543ms`) and each
/// `{ms}` one truncated to whole milliseconds (at most three decimals of a second).
fn matches_durations(pattern: &str, text: &str) -> bool {
    let mut rest = text;
    let mut parts = pattern.split('{');
    let Some(first) = parts.next() else { return false };
    let Some(r) = rest.strip_prefix(first) else { return false };
    rest = r;
    for part in parts {
        let Some((hole, literal)) = part.split_once('}') else { return false };
        let end =
            rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'm' || c == 's' || c == 'n' || c == 'µ')).unwrap_or(rest.len());
        let token = &rest[..end];
        let ok = match (token.strip_suffix("ms"), token.strip_suffix('s')) {
            (Some(ms), _) => !ms.is_empty() && ms.parse::<f64>().is_ok() && (hole == "d" || !ms.contains('.')),
            (None, Some(sec)) => sec.parse::<f64>().is_ok() && (hole == "d" || sec.split_once('.').is_none_or(|(_, f)| f.len() <= 3)),
            _ => false,
        };
        if !ok {
            return false;
        }
        let Some(r) = rest[end..].strip_prefix(literal) else { return false };
        rest = r;
    }
    rest.is_empty()
}

#[test]
fn qos_class_is_set_when_the_pod_is_created() {
    // podStrategy.PrepareForCreate sets status.qosClass; a pod no kubelet ever synced (here one
    // that cannot be scheduled) has it too.
    let yaml = POD
        .replace("spec:\n", "spec:\n  nodeSelector: {disk: ssd}\n")
        .replace("image: busybox:1.36\n", "image: busybox:1.36\n    resources: {limits: {cpu: 500m, memory: 64Mi}}\n");
    let mut e = engine(&yaml, FakeCri::default());
    e.run_until(0);
    assert_eq!(e.pods().next().unwrap().status.qos_class.as_deref(), Some("Guaranteed"));
    e.run_until(30_000);
    let pod = e.pods().next().unwrap();
    assert!(pod.spec.node_name.is_none() && pod.status.container_statuses.is_empty());
    assert_eq!(pod.status.qos_class.as_deref(), Some("Guaranteed"));
}

#[test]
fn qos_class_as_compute_pod_qos() {
    // pkg/apis/core/helper/qos TestComputePodQOS-style cases: (containers' requests;limits, class).
    use crate::model::{Container, PodSpec, Quantity, ResourceRequirements};
    fn list(text: &str) -> std::collections::BTreeMap<String, Quantity> {
        text.split(',')
            .filter(|s| !s.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), Quantity::parse(v).unwrap())
            })
            .collect()
    }
    fn spec(containers: &[(&str, &str)], init: &[(&str, &str)]) -> PodSpec {
        let c = |(req, lim): &(&str, &str)| Container {
            name: "c".into(),
            resources: Some(ResourceRequirements { requests: list(req), limits: list(lim), ..Default::default() }),
            ..Default::default()
        };
        PodSpec { containers: containers.iter().map(c).collect(), init_containers: init.iter().map(c).collect(), ..Default::default() }
    }
    let cases: &[(&str, &[(&str, &str)], &[(&str, &str)], &str)] = &[
        ("nothing", &[("", "")], &[], "BestEffort"),
        ("only ephemeral-storage", &[("ephemeral-storage=1Gi", "")], &[], "BestEffort"),
        ("zero requests", &[("cpu=0,memory=0", "")], &[], "BestEffort"),
        ("cpu request", &[("cpu=100m", "")], &[], "Burstable"),
        ("limits only (requests default to them)", &[("", "cpu=1,memory=1Gi")], &[], "Guaranteed"),
        ("equal requests and limits", &[("cpu=1,memory=1Gi", "cpu=1,memory=1Gi")], &[], "Guaranteed"),
        ("cpu limit only", &[("", "cpu=1")], &[], "Burstable"),
        ("request below limit", &[("cpu=500m,memory=1Gi", "cpu=1,memory=1Gi")], &[], "Burstable"),
        ("one best-effort container among guaranteed", &[("", "cpu=1,memory=1Gi"), ("", "")], &[], "Burstable"),
        ("init container counts", &[("", "cpu=1,memory=1Gi")], &[("cpu=100m", "")], "Burstable"),
        ("guaranteed init and main", &[("", "cpu=1,memory=1Gi")], &[("", "cpu=2,memory=1Gi")], "Guaranteed"),
    ];
    for (name, containers, init, want) in cases {
        assert_eq!(super::qos_class(&spec(containers, init)), *want, "{name}");
    }
}

/// A set of `replicas` busybox pods of `kind` (ReplicaSet or StatefulSet) named `web`.
fn workload(kind: &str, replicas: &str) -> String {
    let service_name = if kind == "StatefulSet" { "  serviceName: web\n" } else { "" };
    format!(
        "apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: web}}\nspec:\n{service_name}  replicas: {replicas}\n  \
         selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      \
         containers:\n      - name: app\n        image: busybox:1.36\n"
    )
}

#[test]
fn a_workload_past_the_pod_limit_is_refused_by_name_and_stops_its_batch() {
    let mut e = engine(&workload("ReplicaSet", "8"), FakeCri::default());
    e.limits.max_pods = 5;
    let refused = |e: &Engine| reasons(e).into_iter().filter(|(r, _, _)| r == "FailedCreate").collect::<Vec<_>>();
    e.run_until(0);
    assert_eq!(e.pods().count(), 5);
    // slowStartBatch: batches of 1, 2 and 4, two of whose creates are refused; that batch is
    // the sync's last (no batch of 1 after it).
    let first = refused(&e);
    assert_eq!(first.iter().map(|(_, _, n)| n).sum::<u32>(), 2, "{first:?}");
    assert!(first[0].1.contains("podplay's limit of 5 pods in one simulation is reached"), "{}", first[0].1);
    e.run_until(30_000);
    assert_eq!(e.pods().count(), 5);
}

#[test]
fn a_stateful_set_of_the_largest_replicas_creates_its_pods_in_order() {
    // `replicas` may be an int32's largest value: the sync holds the pods that exist, not a
    // slot for every ordinal (upstream's slice of 2^31 pointers).
    let mut e = engine(&workload("StatefulSet", "2147483647"), FakeCri::default());
    e.run_until(20_000);
    let names = e.pod_names();
    assert!(names.len() >= 2 && names.iter().take(2).eq(["web-0", "web-1"].iter()), "{names:?}");
    let parallel = workload("StatefulSet", "2147483647").replace("  replicas:", "  podManagementPolicy: Parallel\n  replicas:");
    let mut e = engine(&parallel, FakeCri::default());
    e.limits.max_pods = 40;
    e.run_until(5_000);
    assert_eq!(e.pods().count(), 40);
}

/// A projected volume: each source's files with the volume's `defaultMode`, an item's own mode,
/// the downward API's labels as `FormatMap` writes them, and a bound token for an audience.
#[test]
fn a_projected_volume_holds_its_sources_files() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: one, b: two}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: secret}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {z: last, a: first}}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    resources: {limits: {memory: 64Mi}}\n  volumes:\n  - name: all\n    projected:\n      defaultMode: 0440\n      sources:\n      - configMap: {name: cm, items: [{key: b, path: cm/b, mode: 0400}]}\n      - secret: {name: s}\n      - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: mem, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Mi}}]}\n      - serviceAccountToken: {path: token, audience: vault}\n";
    let e = engine(yaml, FakeCri::default());
    let p = e.find_pod("web", "default").unwrap();
    let volume = e.pods[p].pod.spec.volumes[0].clone();
    let files = e.volume_files(p, &volume).unwrap().unwrap();
    let names: Vec<(&str, u32)> = files.iter().map(|(n, _, m)| (n.as_str(), *m)).collect();
    assert_eq!(names, [("cm/b", 0o400), ("k", 0o440), ("labels", 0o440), ("mem", 0o440), ("token", 0o440)]);
    let text = |name: &str| String::from_utf8(files.iter().find(|f| f.0 == name).unwrap().1.clone()).unwrap();
    assert_eq!(text("cm/b"), "two");
    assert_eq!(text("k"), "secret");
    assert_eq!(text("labels"), "a=\"first\"\nz=\"last\"");
    assert_eq!(text("mem"), "64");
    let payload = text("token").split('.').nth(1).unwrap().to_string();
    let padded = format!("{payload}{}", "=".repeat((4 - payload.len() % 4) % 4)).replace('-', "+").replace('_', "/");
    let claims = String::from_utf8(super::config_api::decode_base64(&padded).unwrap()).unwrap();
    assert!(claims.starts_with(r#"{"aud":["vault"],"#), "{claims}");
}

/// A projected volume's missing sources fail its SetUp with the configMap/secret volumes' own
/// errors, aggregated; an optional one is left out.
#[test]
fn a_projected_volume_with_missing_sources_fails_to_mount() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: one}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n  volumes:\n  - name: all\n    projected:\n      sources:\n      - configMap: {name: cm, items: [{key: nokey, path: x}]}\n      - secret: {name: nosecret}\n      - secret: {name: other, optional: true}\n";
    let mut e = engine(yaml, FakeCri::default());
    e.run_until(5_000);
    let failed: Vec<String> = reasons(&e).into_iter().filter(|(r, _, _)| r == "FailedMount").map(|(_, m, _)| m).collect();
    assert_eq!(
        failed[0],
        "MountVolume.SetUp failed for volume \"all\" : [configmap references non-existent config key: nokey, secret \"nosecret\" not found]"
    );
    assert_eq!(e.pods().next().unwrap().status.phase, "Pending");
}

/// The Endpoints trigger-time tracker's work grows with the writes, not with writes × pods: a
/// write for one pod looks at that pod (and at pods whose status changed unseen), not at every
/// pod behind the Service. (Looking at all of them made 10,000 pods behind one Service cost
/// 14 s an hour instead of 1.3 s.)
#[test]
fn each_endpoints_write_looks_at_its_own_pod() {
    let mut yaml =
        String::from("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n");
    for i in 0..60 {
        yaml.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: web-{i}, labels: {{app: web}}}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    readinessProbe: {{httpGet: {{port: 80}}, periodSeconds: 5}}\n"
        ));
    }
    let m = load(&[SourceFile { name: "t.yaml".into(), text: yaml }]).expect("valid yaml");
    let mut e = Engine::new(&m).expect("valid objects");
    e.run_until(120_000);
    let (writes, looked_at) = e.endpoints.tracked;
    assert!(writes >= 60, "{writes} writes: each pod's address, then its readiness");
    assert!(looked_at <= 2 * writes, "{looked_at} pods looked at in {writes} writes");
}

/// generateAPIPodStatus: a `hostNetwork` pod's IP is its node's; `status.hostIPs` is written
/// from 1.29 (`PodHostIPs` on by default), not in 1.28 (alpha, off) or before.
#[test]
fn host_network_pods_have_the_node_ip_and_host_ips_come_by_release() {
    let pods = "apiVersion: v1\nkind: Pod\nmetadata: {name: host}\nspec:\n  hostNetwork: true\n  containers:\n  - name: app\n    image: busybox:1.36\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n";
    for (version, host_ips) in [("1.27", false), ("1.28", false), ("1.29", true), ("1.36", true)] {
        let scenario = format!(
            "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec:\n  kubernetesVersion: \"{version}\"\n---\n"
        );
        let mut e = engine(&format!("{scenario}{pods}"), FakeCri::default());
        e.run_until(10_000);
        let host = e.pod("default", "host").unwrap();
        let node_ip = host.status.host_ip.clone().expect("a host IP");
        assert_eq!(host.status.pod_ip.as_deref(), Some(node_ip.as_str()), "{version}");
        let web = e.pod("default", "web").unwrap();
        assert_ne!(web.status.pod_ip.as_deref(), Some(node_ip.as_str()), "{version}");
        let json = crate::api_json::pod_value(web);
        let expected = host_ips.then(|| serde_json::json!([{ "ip": node_ip }]));
        assert_eq!(json["status"].get("hostIPs").cloned(), expected, "{version}");
    }
}
