//! The engine's fast-forward of steady probes (a probe whose answer cannot change is not run
//! tick by tick: its ticks are settled in bulk when anything could notice) must be invisible.
//! Every scenario, and scenarios made to stress it (changes at the very millisecond of a probe
//! tick, shared volumes, chatty sidecars, clients on other pods, node loss, many pods), is run
//! with fast-forward on and off, and everything the engine shows is compared: the timeline,
//! what each step printed, every probe attempt, the state snapshot and kubectl's views
//! (`get`, `describe`, `logs`, `get events`) at several times.

use podplay_core::{load, Manifests, Millis, SourceFile};
use podplay_session::Session;

const SECOND: Millis = 1000;

fn words(line: &str) -> Vec<String> {
    podplay_kubectl::split_command_line(line).expect("a valid command line")
}

fn manifests(name: &str, text: &str) -> Manifests {
    load(&[SourceFile { name: name.into(), text: text.into() }]).unwrap_or_else(|d| panic!("{name}: {d:?}"))
}

/// Everything the engine shows, at each of `times` (ascending) and at the end; and how many
/// ticks were fast-forwarded.
fn fingerprint(m: &Manifests, times: &[Millis], fast_forward: bool) -> (String, u64) {
    fingerprint_with(m, times, fast_forward, true)
}

/// The same, with steady shell loops in bulk (`loops_in_bulk`) or turn by turn.
fn fingerprint_with(m: &Manifests, times: &[Millis], fast_forward: bool, loops_in_bulk: bool) -> (String, u64) {
    let mut e = Session::new(m).expect("valid");
    e.set_fast_forward(fast_forward);
    e.set_loops_in_bulk(loops_in_bulk);
    let mut out = String::new();
    let show = |e: &mut Session, line: &str, out: &mut String| {
        let o = e.kubectl(&words(line));
        out.push_str(&format!("$ kubectl {line}\n{}{}[exit {}]\n", o.stdout, o.stderr, o.exit_code));
    };
    for &t in times {
        e.seek(t);
        out.push_str(&format!("==== at {t} ms\n"));
        show(&mut e, "get pods -o wide -A", &mut out);
        show(&mut e, "get events -A -o wide", &mut out);
        show(&mut e, "get endpoints -A", &mut out);
        show(&mut e, "get nodes -o wide", &mut out);
        let pods: Vec<(String, String, Vec<String>)> = e
            .engine()
            .pods()
            .map(|p| {
                let containers = p.spec.init_containers.iter().chain(&p.spec.containers).map(|c| c.name.clone()).collect();
                (p.metadata.name.clone(), p.metadata.namespace().to_string(), containers)
            })
            .collect();
        for (pod, ns, containers) in &pods {
            show(&mut e, &format!("describe pod {pod} -n {ns}"), &mut out);
            show(&mut e, &format!("get pod {pod} -n {ns} -o yaml"), &mut out);
            // The last 20,000 lines: every lesson's whole log, and the end of a `yes` pod's
            // millions (whose lines are worked out, not run, either way).
            for c in containers {
                show(&mut e, &format!("logs {pod} -n {ns} -c {c} --tail 20000"), &mut out);
                show(&mut e, &format!("logs {pod} -n {ns} -c {c} --previous --tail 20000"), &mut out);
            }
        }
        out.push_str(&serde_json::to_string_pretty(&e.engine().state()).expect("state serialises"));
        out.push('\n');
    }
    out.push_str("==== timeline\n");
    for c in e.engine().timeline() {
        out.push_str(&format!("{c:?}\n"));
    }
    out.push_str("==== steps\n");
    for s in e.engine().step_outputs() {
        out.push_str(&format!("{s:?}\n"));
    }
    out.push_str("==== probe attempts\n");
    for a in e.engine().probe_attempts() {
        out.push_str(&format!("{a:?}\n"));
    }
    out.push_str(&format!("==== halted {:?}\n", e.engine().halted()));
    (out, e.engine().fast_forwarded_ticks())
}

/// Runs `m` both ways and fails with the first differing line; returns how many ticks the
/// fast run skipped (so a test can make sure there was something to compare).
fn assert_same(name: &str, m: &Manifests, times: &[Millis]) -> u64 {
    let (plain, none) = fingerprint(m, times, false);
    assert_eq!(none, 0, "{name}: fast-forward off skips nothing");
    let (fast, skipped) = fingerprint(m, times, true);
    if let Some(dir) = std::env::var_os("PODPLAY_FINGERPRINT_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.txt")), &plain).unwrap();
    }
    if plain != fast {
        let (i, (a, b)) = plain
            .lines()
            .zip(fast.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((plain.lines().count().min(fast.lines().count()), ("<end>", "<end>")));
        let context: Vec<&str> = plain.lines().skip(i.saturating_sub(12)).take(12).collect();
        panic!(
            "{name}: fast-forward changed the output at line {}:\n...\n{}\n--- plain\n{a}\n--- fast-forward\n{b}",
            i + 1,
            context.join("\n")
        );
    }
    skipped
}

fn scenario_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

const TIMES: &[Millis] = &[10 * SECOND, 45 * SECOND, 100 * SECOND, 180 * SECOND, 600 * SECOND];

#[test]
fn every_bundled_scenario_is_the_same_with_fast_forward() {
    let mut names: Vec<_> = std::fs::read_dir(scenario_dir()).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    assert!(names.len() >= 20);
    let mut skipped = 0;
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        skipped += assert_same(&name, &manifests(&name, &text), TIMES);
    }
    assert!(skipped > 100, "the lessons' steady nginx probes are fast-forwarded ({skipped} ticks)");
}

/// An nginx pod with liveness and readiness probes on one port (the benchmark's shape).
fn nginx_pod(name: &str, liveness_period: u32, readiness_period: u32, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, labels: {{app: web}}}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports: [{{name: http, containerPort: 80}}]\n    livenessProbe: {{httpGet: {{port: http}}, periodSeconds: {liveness_period}}}\n    readinessProbe: {{httpGet: {{port: http, path: /index.html}}, periodSeconds: {readiness_period}}}\n{extra}---\n"
    )
}

const SERVICE: &str =
    "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n---\n";

fn with_steps(objects: &str, steps: &[(Millis, &str)]) -> String {
    let mut y = objects.to_string();
    y.push_str("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: stress}\nspec:\n  steps:\n");
    for (at, run) in steps {
        y.push_str(&format!("  - at: {at}ms\n    run: {run}\n"));
    }
    y
}

/// The times of the plain run's probe attempts of `pod`'s first container (any probe kind).
fn attempt_times(m: &Manifests, pod: &str, until: Millis) -> Vec<Millis> {
    let mut e = Session::new(m).unwrap();
    e.set_fast_forward(false);
    e.seek(until);
    let mut times: Vec<Millis> = e.engine().probe_attempts().into_iter().filter(|a| a.pod == pod).map(|a| a.at).collect();
    times.sort();
    times.dedup();
    times
}

#[test]
fn changes_at_the_millisecond_of_a_probe_tick() {
    let objects = format!("{}{}", nginx_pod("web-0", 10, 7, ""), SERVICE);
    let ticks = attempt_times(&manifests("ticks", &objects), "web-0", 400 * SECOND);
    assert!(ticks.len() > 40, "{ticks:?}");
    let rm = "kubectl exec web-0 -- rm /usr/share/nginx/html/index.html";
    let put = "kubectl exec web-0 -- sh -c 'echo back > /usr/share/nginx/html/index.html'";
    // Each change lands exactly on a tick, a millisecond before one and a millisecond after.
    for (i, offset) in [0i64, -1, 1].into_iter().enumerate() {
        let at = |k: usize| (ticks[k] as i64 + offset) as Millis;
        let steps = [
            (at(10 + i), rm),
            (at(20 + i), put),
            (at(25 + i), "kubectl exec web-0 -- cat /usr/share/nginx/html/index.html"),
            (at(30 + i), "kubectl label pod web-0 app=other --overwrite"),
            (at(34 + i), "kubectl label pod web-0 app=web --overwrite"),
            (at(40 + i), "kubectl delete pod web-0"),
        ];
        let text = with_steps(&objects, &steps);
        let skipped = assert_same(
            &format!("tick-aligned-{offset}"),
            &manifests("tick-aligned", &text),
            &[at(10), at(20) + 1, at(31), at(40), 500 * SECOND],
        );
        assert!(skipped > 10, "{skipped}");
    }
}

#[test]
fn sidecars_shared_volumes_and_clients_on_other_pods() {
    let writer = "    volumeMounts: [{name: html, mountPath: /usr/share/nginx/html}]\n  - name: writer\n    image: busybox:1.36\n    command: [sh, -c, 'i=0; while true; do i=$((i+1)); echo \"page $i\" > /html/index.html; echo wrote $i; sleep 13; done']\n    volumeMounts: [{name: html, mountPath: /html}]\n  volumes: [{name: html, emptyDir: {}}]\n";
    let chatty =
        "  - name: chatty\n    image: busybox:1.36\n    command: [sh, -c, 'while true; do echo -n tick; sleep 4; echo; sleep 5; done']\n";
    let client = "apiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec:\n  containers:\n  - name: curl\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 20; while true; do wget -q -O- http://web/ >/dev/null; wget -q -O- http://web/nope; sleep 17; done']\n---\n";
    let objects = format!("{}{}{}{}", nginx_pod("shared", 10, 10, writer), nginx_pod("chatty", 10, 3, chatty), client, SERVICE);
    let text = with_steps(
        &objects,
        &[(95 * SECOND, "kubectl exec chatty -c web -- nginx -s reload"), (300 * SECOND, "kubectl delete pod shared --grace-period=5")],
    );
    let skipped =
        assert_same("sidecars", &manifests("sidecars", &text), &[30 * SECOND, 96 * SECOND, 200 * SECOND, 310 * SECOND, 900 * SECOND]);
    assert!(skipped > 10, "{skipped}");
}

#[test]
fn node_loss_and_return() {
    let nodes = "apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\nstatus:\n  images: [{names: [\"nginx:1.27\"]}]\n---\napiVersion: v1\nkind: Node\nmetadata: {name: node-b}\nstatus:\n  images: [{names: [\"nginx:1.27\"]}]\n---\n";
    let pods: String = (0..4).map(|i| nginx_pod(&format!("web-{i}"), 5 + i, 3 + 2 * i, "")).collect();
    let text = with_steps(
        &format!("{nodes}{pods}{SERVICE}"),
        &[
            (120 * SECOND, "podplay node disconnect node-a"),
            (250 * SECOND, "podplay node reconnect node-a"),
            (600 * SECOND, "podplay node disconnect node-b"),
        ],
    );
    let skipped = assert_same("node-loss", &manifests("node-loss", &text), &[100 * SECOND, 200 * SECOND, 400 * SECOND, 1200 * SECOND]);
    assert!(skipped > 100, "{skipped}");
}

#[test]
fn other_servers_and_releases() {
    let other = "apiVersion: v1\nkind: Pod\nmetadata: {name: others, labels: {app: web}}\nspec:\n  containers:\n  - name: httpd\n    image: busybox:1.36\n    command: [httpd, -f, -vv, -p, '8080']\n    ports: [{name: http, containerPort: 8080}]\n    readinessProbe: {httpGet: {port: 8080}, periodSeconds: 4}\n  - name: py\n    image: python:3.12\n    command: [python, -m, http.server, '9000']\n    livenessProbe: {httpGet: {port: 9000}, periodSeconds: 6}\n  - name: agnhost\n    image: registry.k8s.io/e2e-test-images/agnhost:2.53\n    args: [netexec, --http-port=8081]\n    livenessProbe: {tcpSocket: {port: 8081}, periodSeconds: 5}\n    readinessProbe: {httpGet: {port: 8081, path: /healthz}, periodSeconds: 5}\n---\n";
    for release in ["1.22", "1.29", "1.36"] {
        let objects = format!("{}{}{other}", nginx_pod("web", 10, 10, ""), SERVICE);
        let mut text = with_steps(&objects, &[(50 * SECOND, "kubectl exec others -c httpd -- wget -q -O- http://127.0.0.1:8080/")]);
        text = text.replace("spec:\n  steps:", &format!("spec:\n  kubernetesVersion: \"{release}\"\n  steps:"));
        assert_same(&format!("others-{release}"), &manifests("others", &text), &[60 * SECOND, 400 * SECOND]);
    }
}

#[test]
fn many_pods_for_an_hour() {
    let nodes: String = (0..3)
        .map(|n| {
            format!("apiVersion: v1\nkind: Node\nmetadata: {{name: node-{n}}}\nstatus:\n  images: [{{names: [\"nginx:1.27\"]}}]\n---\n")
        })
        .collect();
    let pods: String = (0..24).map(|i| nginx_pod(&format!("web-{i}"), 10 + (i % 3), 10 - (i % 4), "")).collect();
    let text = with_steps(
        &format!("{nodes}{pods}{SERVICE}"),
        &[(1800 * SECOND, "kubectl delete pod web-5"), (2000 * SECOND, "kubectl cordon node-1")],
    );
    let skipped = assert_same("many-pods", &manifests("many-pods", &text), &[3599 * SECOND, 3600 * SECOND]);
    assert!(skipped > 10_000, "{skipped}");
}

/// Loops that read the cluster's DNS records run in bulk only until the engine could change
/// them (`World::cluster_horizon`): the same as turn by turn, when a Service appears and when a
/// headless Service loses its endpoint because a container in another pod exited.
#[test]
fn loops_that_read_the_cluster_are_the_same_in_bulk() {
    let init = std::fs::read_to_string(scenario_dir().join("init-wait-for-service.yaml")).unwrap();
    // A typo'd `sleep` fails at once: the loop never waits.
    let init = init.replace("sleep 2; done", "sleep -1; done");
    let headless = r#"
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, labels: {app: db}}
spec:
  restartPolicy: Never
  containers:
  - {name: db, image: busybox:1.36, command: [sh, -c, "sleep 20"]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - name: client
    image: busybox:1.36
    command: [sh, -c, "while nslookup db.default.svc.cluster.local >/dev/null 2>&1; do sleep -1 2>/dev/null; done; echo gone; sleep 3600"]
"#;
    // A Service with no ready endpoint refuses connections (kube-proxy's REJECT) until the web
    // pod turns ready: the routes, like the DNS records, change only when the engine acts.
    let refused = r#"
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe: {httpGet: {port: 80}, initialDelaySeconds: 15}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - name: client
    image: busybox:1.36
    command: [sh, -c, "until wget -q -O- -T 2 http://web/ >/dev/null 2>&1; do sleep -1 2>/dev/null; done; echo up; sh -c 'echo pid $$$$'; sleep 3600"]
"#;
    for (name, text, times) in [
        ("init-wait-typo", init.as_str(), &[5 * SECOND, 29 * SECOND, 31 * SECOND, 40 * SECOND][..]),
        ("headless-endpoint-gone", headless, &[5 * SECOND, 19 * SECOND, 21 * SECOND, 30 * SECOND]),
        ("refused-until-ready", refused, &[5 * SECOND, 15 * SECOND, 17 * SECOND, 30 * SECOND]),
    ] {
        let m = manifests(name, text);
        let (turns, _) = fingerprint_with(&m, times, true, false);
        let (bulk, _) = fingerprint_with(&m, times, true, true);
        if turns != bulk {
            let (i, (a, b)) = turns.lines().zip(bulk.lines()).enumerate().find(|(_, (a, b))| a != b).unwrap_or((0, ("<end>", "<end>")));
            panic!("{name}: loops in bulk changed the output at line {}:\n--- turn by turn\n{a}\n--- in bulk\n{b}", i + 1);
        }
        assert!(bulk.contains("nslookup") || bulk.contains("gone") || bulk.contains("pid "), "{name}: the loop ran");
    }
}

/// Loops whose output leaves lines unfinished (`echo -n`, `cat` of files without a final line
/// end) are worked out in bulk as 16 KiB records and lines ended a turn later: the same as turn
/// by turn, also when a pod is deleted mid-line (what is unfinished goes out as its last record).
#[test]
fn loops_that_leave_lines_unfinished_are_the_same_in_bulk() {
    let text = std::fs::read_to_string(scenario_dir().join("unfinished-lines.yaml")).unwrap();
    let text = with_steps(&format!("{text}---\n"), &[(4 * SECOND, "kubectl delete pod echo-n")]);
    let m = manifests("unfinished-lines", &text);
    let times = [3 * SECOND, 6 * SECOND];
    let (turns, _) = fingerprint_with(&m, &times, true, false);
    let (bulk, _) = fingerprint_with(&m, &times, true, true);
    if turns != bulk {
        let (i, (a, b)) = turns.lines().zip(bulk.lines()).enumerate().find(|(_, (a, b))| a != b).unwrap_or((0, ("<end>", "<end>")));
        panic!("loops in bulk changed the output at line {}:\n--- turn by turn\n{a}\n--- in bulk\n{b}", i + 1);
    }
    assert!(bulk.contains("tier=\"frontend\"app=\"web\"") && bulk.contains("debugdebug"), "the loops ran");
}

/// tcpSocket and exec probes stand too: a socket that listens, and an exec of a pure reader
/// whose outcome is remembered (each tick takes its pids and an exec id). The same as tick by
/// tick when a shell in the probed container takes pids between the ticks, when the file the
/// exec reads goes, when an exec's error shows its exec id (counting the standing ticks'), and
/// when the listener stops.
#[test]
fn tcp_socket_and_exec_probes_stand_too() {
    let web = "apiVersion: v1\nkind: Pod\nmetadata: {name: tcp-web, labels: {app: web}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports: [{name: http, containerPort: 80}]\n    readinessProbe: {tcpSocket: {port: http}, periodSeconds: 5}\n    livenessProbe: {exec: {command: [cat, /usr/share/nginx/html/index.html]}, periodSeconds: 7}\n---\n";
    let pids = "apiVersion: v1\nkind: Pod\nmetadata: {name: pids}\nspec:\n  containers:\n  - name: box\n    image: busybox:1.36\n    command: [sh, -c, 'touch /tmp/healthy; while true; do sh -c \"echo pid \\$\\$\"; sleep 9; done']\n    livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 4}\n    readinessProbe: {exec: {command: [test, -e, /tmp/healthy]}, periodSeconds: 6}\n---\n";
    for release in ["1.22", "1.36"] {
        let mut text = with_steps(
            &format!("{web}{pids}{SERVICE}"),
            &[
                (130 * SECOND, "kubectl exec tcp-web -- nosuchcmd"),
                (140 * SECOND, "kubectl exec pids -- sh -c 'echo pid $$'"),
                (150 * SECOND, "kubectl exec pids -- rm /tmp/healthy"),
                (200 * SECOND, "kubectl exec tcp-web -- nginx -s stop"),
            ],
        );
        text = text.replace("spec:\n  steps:", &format!("spec:\n  kubernetesVersion: \"{release}\"\n  steps:"));
        let skipped = assert_same(
            &format!("tcp-exec-{release}"),
            &manifests("tcp-exec", &text),
            &[50 * SECOND, 131 * SECOND, 141 * SECOND, 160 * SECOND, 250 * SECOND, 900 * SECOND],
        );
        assert!(skipped > 200, "{release}: {skipped}");
    }
}
