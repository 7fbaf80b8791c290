//! Properties of the engine over generated scenarios (a seeded generator: the same cases every
//! run; `PODPLAY_PROPERTY_CASES=N` runs more): the same input gives the same bytes; time never
//! goes back; restart counts only grow; a pod never leaves Succeeded or Failed; a pod is among
//! a Service's ready addresses exactly while its Ready condition is True; crash-loop back-off
//! never waits longer than the release's cap.

use std::collections::BTreeMap;

use podplay_core::engine::{ChangeDetail, Engine};
use podplay_core::{load, Millis, SourceFile};
use podplay_k8s_util::rand::SplitMix64 as Rng;
use podplay_session::Session;

const RELEASES: &[&str] = &["1.22", "1.25", "1.29", "1.32", "1.36"];

const COMMANDS: &[&str] = &[
    "sleep 3600",
    "exit 0",
    "exit 1",
    "sleep 5; exit 1",
    "echo started; sleep 20; exit 2",
    "touch /tmp/ok; sleep 40; rm /tmp/ok; sleep 3600",
    "while true; do echo tick; sleep 2; done",
    "while true; do echo busy; done",
    "i=0; while [ $i -lt 300 ]; do i=$((i+1)); done; sleep 3600",
];

fn probe(rng: &mut Rng, nginx: bool) -> String {
    let handler = if nginx && rng.below(2) == 0 {
        format!("httpGet: {{path: {}, port: 80}}", rng.pick(&["/", "/missing"]))
    } else {
        "exec: {command: [test, -e, /tmp/ok]}".to_string()
    };
    format!(
        "{{{handler}, periodSeconds: {}, failureThreshold: {}, initialDelaySeconds: {}}}",
        1 + rng.below(10),
        1 + rng.below(4),
        rng.below(15)
    )
}

/// A cluster of one to four pods (busybox scripts and nginx), probes, restart policies, a
/// Service over some of them, and maybe a delete or an exec step.
fn scenario(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut y = String::new();
    let pods = 1 + rng.below(4);
    for p in 0..pods {
        let nginx = rng.below(3) == 0;
        let app = rng.pick(&["a", "b"]);
        y.push_str(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p{p}, labels: {{app: {app}}}}}\nspec:\n  restartPolicy: {}\n  terminationGracePeriodSeconds: {}\n  containers:\n  - name: c\n",
            rng.pick(&["Always", "OnFailure", "Never"]),
            rng.below(31)
        ));
        if nginx {
            y.push_str("    image: nginx:1.27\n    ports: [{containerPort: 80}]\n");
        } else {
            y.push_str(&format!("    image: busybox:1.36\n    command: [sh, -c, {:?}]\n", rng.pick(COMMANDS)));
        }
        for kind in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if rng.below(3) == 0 {
                y.push_str(&format!("    {kind}: {}\n", probe(&mut rng, nginx)));
            }
        }
        y.push_str("---\n");
    }
    y.push_str("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: a}, ports: [{port: 80}]}\n---\n");
    y.push_str(&format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec:\n  kubernetesVersion: \"{}\"\n  steps:\n",
        rng.pick(RELEASES)
    ));
    let target = rng.below(pods);
    match rng.below(3) {
        0 => y.push_str(&format!("  - {{at: {}s, run: kubectl delete pod p{target}}}\n", 30 + rng.below(200))),
        1 => y.push_str(&format!("  - {{at: {}s, run: kubectl exec p{target} -- touch /tmp/ok}}\n", rng.below(300))),
        // (A view is not a step: podplay refuses `kubectl get` there at load.)
        _ => y.push_str(&format!("  - {{at: 1s, run: kubectl label pod p{target} checked=yes}}\n")),
    }
    y
}

const UNTIL: Millis = 10 * 60 * 1000;
const SAMPLE: Millis = 5_000;

/// Runs a case, checking the properties at every sample; returns everything it showed.
fn run_case(seed: u64, text: &str) -> String {
    let m = load(&[SourceFile { name: format!("case-{seed}.yaml"), text: text.into() }]).unwrap_or_else(|d| panic!("{text}\n{d:?}"));
    let mut s = Session::new(&m).unwrap_or_else(|d| panic!("{text}\n{d:?}"));
    let mut restarts: BTreeMap<String, i32> = BTreeMap::new();
    let mut terminal: BTreeMap<String, String> = BTreeMap::new();
    let mut shown = String::new();
    let mut t = 0;
    while t <= UNTIL {
        s.seek(t);
        let e = s.engine();
        for pod in e.pods() {
            let uid = pod.metadata.uid.clone();
            for c in &pod.status.container_statuses {
                let key = format!("{uid}/{}", c.name);
                let before = restarts.insert(key.clone(), c.restart_count).unwrap_or(0);
                assert!(c.restart_count >= before, "case {seed} at {t}: {key} restarts went {before} → {}\n{text}", c.restart_count);
            }
            let phase = pod.status.phase.clone();
            if let Some(was) = terminal.get(&uid) {
                assert_eq!(&phase, was, "case {seed} at {t}: {} left {was}\n{text}", pod.metadata.name);
            } else if phase == "Succeeded" || phase == "Failed" {
                terminal.insert(uid, phase);
            }
        }
        check_endpoints(seed, t, e, text);
        let out = s.kubectl(&["get".into(), "pods".into(), "-o".into(), "wide".into()]);
        shown.push_str(&out.stdout);
        t += SAMPLE;
    }
    let timeline = s.engine().timeline();
    assert!(timeline.windows(2).all(|w| w[0].at <= w[1].at), "case {seed}: the timeline goes back\n{text}");
    check_backoff(seed, s.engine(), text);
    for c in timeline {
        shown.push_str(&format!("{} {} {}\n", c.at, c.object, c.summary()));
    }
    shown
}

/// A pod matching the Service is in its ready addresses exactly while Ready is True.
fn check_endpoints(seed: u64, t: Millis, e: &Engine, text: &str) {
    let endpoints = e.endpoints();
    let web = endpoints.iter().find(|ep| ep.name == "web").expect("the web Service's endpoints");
    let ready: Vec<&str> = web.subsets.iter().flat_map(|s| s.addresses.iter()).map(|a| a.target_pod.as_str()).collect();
    for pod in e.pods().filter(|p| p.metadata.labels.get("app").map(String::as_str) == Some("a")) {
        let is_ready = pod.status.condition("Ready").is_some_and(|c| c.status == "True");
        let listed = ready.contains(&pod.metadata.name.as_str());
        assert_eq!(
            listed,
            is_ready && pod.metadata.deletion.is_none(),
            "case {seed} at {t}: {} ready={is_ready}, listed={listed}\n{text}",
            pod.metadata.name
        );
    }
}

/// The kubelet's crash-loop back-off caps at 300 s: no container waits longer than that (plus
/// the pod worker's requeue, at most 15 s with jitter, and a restart's own start) between an
/// exit and its next start.
fn check_backoff(seed: u64, e: &Engine, text: &str) {
    let mut exited: BTreeMap<(String, String), Millis> = BTreeMap::new();
    for c in e.timeline() {
        match &c.detail {
            ChangeDetail::ContainerExited { container, .. } => {
                exited.insert((c.object.clone(), container.clone()), c.at);
            }
            ChangeDetail::ContainerStarted { container, .. } => {
                if let Some(at) = exited.remove(&(c.object.clone(), container.clone())) {
                    assert!(c.at - at <= 320_000, "case {seed}: {} {container} waited {} ms\n{text}", c.object, c.at - at);
                }
            }
            ChangeDetail::PodDeleted => exited.retain(|(o, _), _| o != &c.object),
            _ => {}
        }
    }
}

#[test]
fn generated_scenarios_keep_the_engine_s_properties() {
    let var = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (first, cases) = (var("PODPLAY_PROPERTY_FIRST", 1), var("PODPLAY_PROPERTY_CASES", 24));
    for seed in first..first + cases {
        let text = scenario(seed);
        if std::env::var_os("PODPLAY_PROPERTY_PRINT").is_some() {
            eprintln!("---- case {seed}\n{text}");
        }
        let first = run_case(seed, &text);
        let again = run_case(seed, &text);
        assert!(first == again, "case {seed}: the same input gave different output\n{text}");
    }
}
