//! Table-driven tests: pods built as data (as kubernetes `printers_test.go` does), each case
//! asserting the exact text kubectl prints.

use podplay_core::clock::{Millis, MINUTE, SECOND};
use podplay_core::model::*;
use podplay_core::version::{find_release, Release};

use crate::describe::{describe_pod, describe_probe, PrefixWriter};
use crate::printers::{event_cells, event_cells_wide, format_endpoints, pods_table, print_pod};

fn release(name: &str) -> &'static Release {
    find_release(name).unwrap()
}

fn running(started: Millis) -> ContainerState {
    ContainerState { running: Some(StateRunning { started_at: started }), ..Default::default() }
}

fn waiting(reason: &str) -> ContainerState {
    ContainerState::waiting(reason, None)
}

fn terminated(exit_code: i32, reason: Option<&str>, signal: Option<i32>, finished: Option<Millis>) -> ContainerState {
    ContainerState {
        terminated: Some(StateTerminated {
            exit_code,
            reason: reason.map(str::to_string),
            signal,
            started_at: finished.map(|f| f.saturating_sub(SECOND)),
            finished_at: finished,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn status(name: &str, ready: bool, restarts: i32, state: ContainerState) -> ContainerStatus {
    ContainerStatus { name: name.into(), ready, restart_count: restarts, state, ..Default::default() }
}

fn with_last(mut s: ContainerStatus, last: ContainerState) -> ContainerStatus {
    s.last_state = last;
    s
}

fn condition(kind: &str, st: &str) -> PodCondition {
    PodCondition { kind: kind.into(), status: st.into(), last_probe_time: None, last_transition_time: 0, reason: None, message: None }
}

fn container(name: &str) -> Container {
    Container { name: name.into(), image: "busybox".into(), ..Default::default() }
}

fn sidecar(name: &str) -> Container {
    Container { restart_policy: Some("Always".into()), ..container(name) }
}

/// A pod named `name` with `n` containers `c0..`, created at virtual time 0.
fn pod(name: &str, n: usize, phase: &str, statuses: Vec<ContainerStatus>) -> Pod {
    let mut p = Pod::default();
    p.metadata.name = name.into();
    p.spec.containers = (0..n).map(|i| container(&format!("c{i}"))).collect();
    p.status.phase = phase.into();
    p.status.container_statuses = statuses;
    p
}

const NOW: Millis = 2 * 3600 * SECOND;

/// (case, pod, release, expected READY, STATUS, RESTARTS)
fn print_pod_cases() -> Vec<(&'static str, Pod, &'static str, [&'static str; 3])> {
    let mut cases = Vec::new();
    // printers_test.go TestPrintPod.
    cases.push((
        "name, number of containers, restarts, ready status",
        pod("test1", 2, "podPhase", vec![status("c0", true, 3, running(0)), status("c1", false, 3, ContainerState::default())]),
        "1.36",
        ["1/2", "podPhase", "6"],
    ));
    cases.push((
        "container waiting reason takes precedence over the phase",
        pod(
            "test2",
            2,
            "podPhase",
            vec![status("c0", false, 3, waiting("ContainerWaitingReason")), status("c1", false, 3, ContainerState::default())],
        ),
        "1.36",
        ["0/2", "ContainerWaitingReason", "6"],
    ));
    cases.push((
        "container terminated reason",
        pod(
            "test3",
            2,
            "podPhase",
            vec![
                status("c0", false, 3, terminated(1, Some("ContainerTerminatedReason"), None, None)),
                status("c1", false, 3, ContainerState::default()),
            ],
        ),
        "1.36",
        ["0/2", "ContainerTerminatedReason", "6"],
    ));
    cases.push((
        "terminated without reason prints the signal",
        pod(
            "test4",
            2,
            "podPhase",
            vec![status("c0", false, 3, terminated(0, None, Some(1), None)), status("c1", false, 3, ContainerState::default())],
        ),
        "1.36",
        ["0/2", "Signal:1", "6"],
    ));
    cases.push((
        "terminated without reason or signal prints the exit code",
        pod(
            "test5",
            2,
            "podPhase",
            vec![status("c0", false, 3, terminated(1, None, None, None)), status("c1", false, 3, ContainerState::default())],
        ),
        "1.36",
        ["0/2", "ExitCode:1", "6"],
    ));
    cases.push((
        "pod-level reason replaces the phase",
        {
            let mut p = pod("test6", 2, "podPhase", vec![status("c0", true, 3, running(0)), status("c1", true, 3, running(0))]);
            p.status.reason = Some("Evicted".into());
            p
        },
        "1.36",
        ["2/2", "Evicted", "6"],
    ));
    cases.push((
        "one running, one completed, no Ready condition: NotReady",
        pod(
            "test7",
            2,
            "Running",
            vec![status("c0", false, 0, terminated(0, Some("Completed"), None, None)), status("c1", true, 3, running(0))],
        ),
        "1.36",
        ["1/2", "NotReady", "3"],
    ));
    cases.push((
        "one running, one completed, Ready condition True: Running",
        {
            let mut p = pod(
                "test8",
                2,
                "Running",
                vec![status("c0", false, 0, terminated(0, Some("Completed"), None, None)), status("c1", true, 3, running(0))],
            );
            p.status.conditions = vec![condition("Ready", "True")];
            p
        },
        "1.36",
        ["1/2", "Running", "3"],
    ));
    cases.push((
        "restarts print the age of the newest last termination, its finishedAt floored to the second",
        pod(
            "test9",
            2,
            "Running",
            vec![
                with_last(status("c0", true, 3, running(0)), terminated(1, Some("Error"), None, Some(NOW - 10 * MINUTE))),
                with_last(status("c1", true, 1, running(0)), terminated(1, Some("Error"), None, Some(NOW - 5 * MINUTE - 500))),
            ],
        ),
        "1.36",
        ["2/2", "Running", "4 (5m1s ago)"],
    ));
    cases.push((
        "the alphabetically first container's reason wins (iterated last to first)",
        pod(
            "test10",
            2,
            "Running",
            vec![status("c0", false, 5, waiting("CrashLoopBackOff")), status("c1", false, 0, waiting("ImagePullBackOff"))],
        ),
        "1.36",
        ["0/2", "CrashLoopBackOff", "5"],
    ));
    cases.push((
        "SchedulingGated condition reason",
        {
            let mut p = pod("gated", 1, "Pending", vec![]);
            p.status.conditions = vec![PodCondition { reason: Some("SchedulingGated".into()), ..condition("PodScheduled", "False") }];
            p
        },
        "1.36",
        ["0/1", "SchedulingGated", "0"],
    ));
    // Init containers (TestPrintPod init cases).
    let init_pod = |name: &str, inits: Vec<ContainerStatus>| {
        let mut p = pod(name, 1, "Pending", vec![status("c0", false, 0, waiting("PodInitializing"))]);
        p.spec.init_containers = vec![container("i0"), container("i1")];
        p.status.init_container_statuses = inits;
        p
    };
    cases.push((
        "first init container running",
        init_pod("init1", vec![status("i0", false, 0, running(0)), status("i1", false, 0, waiting("PodInitializing"))]),
        "1.36",
        ["0/1", "Init:0/2", "0"],
    ));
    cases.push((
        "second init container after the first completed",
        init_pod(
            "init2",
            vec![status("i0", false, 0, terminated(0, Some("Completed"), None, Some(1000))), status("i1", false, 0, running(0))],
        ),
        "1.36",
        ["0/1", "Init:1/2", "0"],
    ));
    cases.push((
        "init container crash looping",
        init_pod(
            "init3",
            vec![with_last(
                status("i0", false, 4, waiting("CrashLoopBackOff")),
                terminated(1, Some("Error"), None, Some(NOW - 90 * SECOND)),
            )],
        ),
        "1.36",
        ["0/1", "Init:CrashLoopBackOff", "4 (90s ago)"],
    ));
    cases.push((
        "init container failed with a reason",
        init_pod("init4", vec![status("i0", false, 0, terminated(1, Some("Error"), None, Some(1000)))]),
        "1.36",
        ["0/1", "Init:Error", "0"],
    ));
    cases.push((
        "init container killed by a signal, no reason",
        init_pod("init5", vec![status("i0", false, 0, terminated(137, None, Some(9), Some(1000)))]),
        "1.36",
        ["0/1", "Init:Signal:9", "0"],
    ));
    cases.push((
        "init container exit code, no reason",
        init_pod("init6", vec![status("i0", false, 0, terminated(2, None, None, Some(1000)))]),
        "1.36",
        ["0/1", "Init:ExitCode:2", "0"],
    ));
    // Restartable init containers (sidecars), printers_test.go "restartable init containers".
    let sidecar_pod = |name: &str, side: ContainerStatus, main: ContainerStatus, initialized: bool| {
        let mut p = pod(name, 1, "Running", vec![main]);
        p.spec.init_containers = vec![sidecar("s0")];
        p.status.init_container_statuses = vec![side];
        if initialized {
            p.status.conditions = vec![condition("Initialized", "True")];
        }
        p
    };
    cases.push((
        "sidecar started and ready, main running",
        sidecar_pod(
            "side1",
            ContainerStatus { started: Some(true), ..status("s0", true, 0, running(0)) },
            status("c0", true, 0, running(0)),
            true,
        ),
        "1.36",
        ["2/2", "Running", "0"],
    ));
    cases.push((
        "sidecar not started yet",
        sidecar_pod(
            "side2",
            ContainerStatus { started: Some(false), ..status("s0", false, 0, running(0)) },
            status("c0", false, 0, waiting("PodInitializing")),
            false,
        ),
        "1.36",
        ["0/2", "Init:0/1", "0"],
    ));
    cases.push((
        "sidecar restarts count after initialization",
        sidecar_pod(
            "side3",
            with_last(
                ContainerStatus { started: Some(true), ..status("s0", true, 2, running(0)) },
                terminated(1, Some("Error"), None, Some(NOW - 3 * MINUTE)),
            ),
            status("c0", true, 0, running(0)),
            true,
        ),
        "1.36",
        ["2/2", "Running", "2 (3m ago)"],
    ));
    // Deletion (§3.4 step 5) and the version differences.
    let deleting = |name: &str, phase: &str, reason: Option<&str>| {
        let mut p = pod(name, 1, phase, vec![status("c0", false, 0, terminated(0, Some("Completed"), None, Some(1000)))]);
        p.metadata.deletion = Some(NOW + 30 * SECOND);
        p.status.reason = reason.map(str::to_string);
        p
    };
    cases.push((
        "deleting a live pod: Terminating",
        {
            let mut p = deleting("del1", "Running", None);
            p.status.container_statuses = vec![status("c0", true, 0, running(0))];
            p
        },
        "1.36",
        ["1/1", "Terminating", "0"],
    ));
    cases.push((
        "deleting a Succeeded pod, 1.31+: the container reason stays",
        deleting("del2", "Succeeded", None),
        "1.31",
        ["0/1", "Completed", "0"],
    ));
    cases.push(("deleting a Succeeded pod, 1.30: Terminating", deleting("del3", "Succeeded", None), "1.30", ["0/1", "Terminating", "0"]));
    cases.push(("deleting a NodeLost pod: Unknown", deleting("del4", "Running", Some("NodeLost")), "1.36", ["0/1", "Unknown", "0"]));
    // RESTARTS suffix without restarts (≤1.24 printed it whenever the date was set).
    let zero_restarts = || {
        pod(
            "r0",
            1,
            "Running",
            vec![with_last(status("c0", true, 0, running(0)), terminated(0, Some("Completed"), None, Some(NOW - 5 * MINUTE)))],
        )
    };
    cases.push(("no restarts, a last state, 1.24: suffix printed", zero_restarts(), "1.24", ["1/1", "Running", "0 (5m ago)"]));
    cases.push(("no restarts, a last state, 1.25+: no suffix", zero_restarts(), "1.25", ["1/1", "Running", "0"]));
    cases
}

#[test]
fn print_pod_matches_printers_test_cases() {
    for (case, p, rel, [ready, st, restarts]) in print_pod_cases() {
        let row = print_pod(&p, NOW, release(rel));
        assert_eq!([row.ready.as_str(), row.status.as_str(), row.restarts.as_str()], [ready, st, restarts], "case: {case}");
        assert_eq!(row.age, "120m", "case: {case}");
    }
}

#[test]
fn pods_table_layout() {
    let mut a = pod("web", 1, "Running", vec![status("c0", true, 0, running(0))]);
    a.metadata.creation = NOW - 93 * SECOND - 400;
    a.status.pod_ip = Some("10.244.0.5".into());
    a.spec.node_name = Some("node-1".into());
    let mut b = pod(
        "crashy-with-long-name",
        1,
        "Running",
        vec![with_last(status("c0", false, 12, waiting("CrashLoopBackOff")), terminated(1, Some("Error"), None, Some(NOW - 76 * SECOND)))],
    );
    b.metadata.creation = NOW - 33 * MINUTE;
    b.metadata.namespace = Some("prod".into());
    b.spec.readiness_gates = vec![ReadinessGate { condition_type: "x/gate".into() }, ReadinessGate { condition_type: "y/gate".into() }];
    b.status.conditions = vec![condition("x/gate", "True")];
    let r = release("1.36");
    let cases: Vec<(&str, bool, bool, &str)> = vec![
        (
            "default columns",
            false,
            false,
            "NAME                    READY   STATUS             RESTARTS       AGE\n\
             web                     1/1     Running            0              94s\n\
             crashy-with-long-name   0/1     CrashLoopBackOff   12 (76s ago)   33m\n",
        ),
        (
            "-o wide",
            true,
            false,
            "NAME                    READY   STATUS             RESTARTS       AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n\
             web                     1/1     Running            0              94s   10.244.0.5   node-1   <none>           <none>\n\
             crashy-with-long-name   0/1     CrashLoopBackOff   12 (76s ago)   33m   <none>       <none>   <none>           1/2\n",
        ),
        (
            "-A adds NAMESPACE",
            false,
            true,
            "NAMESPACE   NAME                    READY   STATUS             RESTARTS       AGE\n\
             default     web                     1/1     Running            0              94s\n\
             prod        crashy-with-long-name   0/1     CrashLoopBackOff   12 (76s ago)   33m\n",
        ),
    ];
    for (case, wide, ns, expected) in cases {
        assert_eq!(pods_table(&[&a, &b], NOW, r, wide, ns, &Default::default()), expected, "case: {case}");
    }
}

#[test]
fn probe_lines() {
    let exec = Probe {
        exec: Some(ExecAction { command: vec!["test".into(), "-e".into(), "/tmp/healthy-test".into()] }),
        initial_delay_seconds: Some(1),
        timeout_seconds: Some(1),
        period_seconds: Some(3),
        success_threshold: Some(1),
        failure_threshold: Some(3),
        ..Default::default()
    };
    let http = Probe {
        exec: None,
        http_get: Some(HttpGetAction {
            path: Some("/".into()),
            port: IntOrString::Str("http".into()),
            host: None,
            scheme: Some("HTTP".into()),
            http_headers: vec![],
        }),
        ..exec.clone()
    };
    let tcp = Probe { exec: None, tcp_socket: Some(TcpSocketAction { port: IntOrString::Int(8080), host: None }), ..exec.clone() };
    let grpc = Probe { exec: None, grpc: Some(GrpcAction { port: 9090, service: None }), ..exec.clone() };
    let cases: Vec<(&Probe, bool, &str)> = vec![
        (&exec, false, "exec [test -e /tmp/healthy-test] delay=1s timeout=1s period=3s #success=1 #failure=3"),
        (&exec, true, "exec [test -e /tmp/healthy-test] delay=1s timeout=1s period=3s successThreshold=1 failureThreshold=3"),
        (&http, false, "http-get http://:http/ delay=1s timeout=1s period=3s #success=1 #failure=3"),
        (&tcp, false, "tcp-socket :8080 delay=1s timeout=1s period=3s #success=1 #failure=3"),
        (&grpc, false, "grpc <pod>:9090  delay=1s timeout=1s period=3s #success=1 #failure=3"),
    ];
    for (probe, long, expected) in cases {
        assert_eq!(describe_probe(probe, long), expected);
    }
}

fn event(reason: &str, first: Option<Millis>, last: Option<Millis>, count: u32, component: &str) -> Event {
    Event {
        name: format!("web.{:x}", first.unwrap_or(0)),
        namespace: "default".into(),
        involved_object: ObjectReference {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: "web".into(),
            uid: "u1".into(),
            api_version: "v1".into(),
            field_path: Some("spec.containers{app}".into()),
        },
        reason: reason.into(),
        message: format!("{reason} message "),
        kind: "Normal".into(),
        source_component: component.into(),
        source_host: String::new(),
        reporting_controller: component.into(),
        reporting_instance: String::new(),
        action: String::new(),
        first_timestamp: first,
        last_timestamp: last,
        count,
        event_time: None,
        series: None,
        created_at: 0,
        involved_resource_version: None,
    }
}

fn scheduled_event(at: Millis) -> Event {
    Event {
        source_component: String::new(),
        reporting_controller: "default-scheduler".into(),
        first_timestamp: None,
        last_timestamp: None,
        count: 0,
        event_time: Some(at),
        involved_object: ObjectReference { field_path: None, ..event("x", None, None, 0, "").involved_object },
        message: "Successfully assigned default/web to node-1".into(),
        ..event("Scheduled", None, None, 0, "")
    }
}

#[test]
fn describe_events_table() {
    let pulled = event("Pulled", Some(NOW - 99 * SECOND), Some(NOW - 93 * SECOND), 3, "kubelet");
    let started = event("Started", Some(NOW - 95 * SECOND), Some(NOW - 95 * SECOND), 1, "kubelet");
    let sched = scheduled_event(NOW - 100 * SECOND);
    let cases: Vec<(&str, Vec<&Event>, &str, &str)> = vec![
        ("empty", vec![], "1.36", "Events:  <none>\n"),
        (
            "sorted by lastTimestamp, scheduler events first, counts as (xN over M)",
            vec![&pulled, &started, &sched],
            "1.34",
            "Events:\n  Type    Reason     Age                From               Message\n  ----    ------     ----               ----               -------\n  Normal  Scheduled  100s               default-scheduler  Successfully assigned default/web to node-1\n  Normal  Started    95s                kubelet            Started message\n  Normal  Pulled     93s (x3 over 99s)  kubelet            Pulled message\n",
        ),
        (
            "kubectl 1.35+ prefixes the field path",
            vec![&started],
            "1.35",
            "Events:\n  Type    Reason   Age   From     Message\n  ----    ------   ----  ----     -------\n  Normal  Started  95s   kubelet  spec.containers{app}: Started message\n",
        ),
    ];
    for (case, events, rel, expected) in cases {
        let mut w = PrefixWriter::new();
        crate::describe::describe_events(&mut w, &events, NOW, release(rel));
        assert_eq!(w.finish(), expected, "case: {case}");
    }
}

#[test]
fn get_events_cells() {
    let pulled = event("Pulled", Some(NOW - 99 * SECOND), Some(NOW - 93 * SECOND), 3, "kubelet");
    let mut sched = scheduled_event(NOW - 100 * SECOND);
    sched.series = Some(EventSeries { count: 4, last_observed_time: NOW - 20 * SECOND });
    assert_eq!(event_cells(&pulled, NOW), ["93s", "Normal", "Pulled", "pod/web", "Pulled message"]);
    assert_eq!(event_cells(&sched, NOW), ["20s", "Normal", "Scheduled", "pod/web", "Successfully assigned default/web to node-1"]);
}

#[test]
fn get_events_wide_cells() {
    // printEvent with options.Wide: the field path, formatEventSource (component or
    // reportingController, then host or reportingInstance), first seen, count, name.
    let mut pulled = event("Pulled", Some(NOW - 99 * SECOND), Some(NOW - 93 * SECOND), 3, "kubelet");
    pulled.source_host = "node-1".into();
    let mut sched = scheduled_event(NOW - 100 * SECOND);
    sched.reporting_instance = "default-scheduler-node-1".into();
    assert_eq!(
        event_cells_wide(&pulled, NOW),
        ["93s", "Normal", "Pulled", "pod/web", "spec.containers{app}", "kubelet, node-1", "Pulled message", "99s", "3", "web.6c5a48"]
    );
    assert_eq!(
        event_cells_wide(&sched, NOW),
        [
            "100s",
            "Normal",
            "Scheduled",
            "pod/web",
            "",
            "default-scheduler, default-scheduler-node-1",
            "Successfully assigned default/web to node-1",
            "100s",
            "1",
            "web.0"
        ]
    );
    sched.series = Some(EventSeries { count: 4, last_observed_time: NOW - 20 * SECOND });
    assert_eq!(event_cells_wide(&sched, NOW)[8], "4");
}

#[test]
fn output_formats_for_every_kind() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: app, image: nginx:1.27}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n";
    let mut engine = engine_of(yaml);
    let mut get = |args: &[&str]| run_at(&mut engine, 30 * SECOND, &words(args));
    let name_cases: [(&[&str], &str); 6] = [
        (&["get", "pods", "-o", "name"], "pod/web\n"),
        (&["get", "nodes", "-o", "name"], "node/node-1\n"),
        (&["get", "no/node-1", "-oname"], "node/node-1\n"),
        (&["get", "services", "-o", "name"], "service/kubernetes\nservice/web\n"),
        (&["get", "svc", "web", "--output=name"], "service/web\n"),
        (&["get", "endpoints", "-o", "name"], "endpoints/kubernetes\nendpoints/web\n"),
    ];
    for (args, expected) in name_cases {
        let out = get(args);
        assert_eq!((out.stdout.as_str(), out.exit_code), (expected, 0), "{args:?}");
    }
    let warning = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n";
    assert_eq!(get(&["get", "ep"]).stderr, warning, "1.33+ servers warn on every v1 Endpoints request");
    let missing_ep = get(&["get", "ep", "nosuch"]);
    assert_eq!(missing_ep.stderr, format!("{warning}Error from server (NotFound): endpoints \"nosuch\" not found\n"));
    let events = get(&["get", "events", "-o", "name"]);
    assert!(!events.stdout.is_empty() && events.stdout.lines().all(|l| l.starts_with("event/web.")), "{}", events.stdout);
    let missing = get(&["get", "svc", "nosuch", "-o", "name"]);
    assert_eq!(
        (missing.stdout.as_str(), missing.stderr.as_str(), missing.exit_code),
        ("", "Error from server (NotFound): services \"nosuch\" not found\n", 1)
    );
    let yaml = get(&["get", "nodes", "-o", "yaml"]);
    assert_eq!((yaml.exit_code, yaml.stderr.as_str()), (0, ""));
    assert!(yaml.stdout.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Node\n"), "{}", yaml.stdout);
    let bad = get(&["get", "svc", "-o", "table"]);
    assert!(
        bad.stderr.starts_with("error: unable to match a printer suitable for the output format \"table\", allowed formats are: "),
        "{}",
        bad.stderr
    );
    let wide = get(&["get", "nodes", "-o", "wide"]);
    assert!(wide.stdout.starts_with("NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION     CONTAINER-RUNTIME\n"), "{}", wide.stdout);
}

#[test]
fn endpoints_column() {
    let addr = |ip: &str| EndpointAddress { ip: ip.into(), ..Default::default() };
    let port = EndpointPort { name: None, port: 80, protocol: "TCP".into() };
    let ep = |ips: &[&str]| Endpoints {
        name: "svc".into(),
        namespace: "default".into(),
        creation: 0,
        subsets: vec![EndpointSubset {
            addresses: ips.iter().map(|i| addr(i)).collect(),
            not_ready_addresses: vec![],
            ports: vec![port.clone()],
        }],
        last_change_trigger_time: None,
    };
    let cases: Vec<(Endpoints, &str)> = vec![
        (Endpoints { subsets: vec![], ..ep(&[]) }, "<none>"),
        // formatEndpoints: a subset with only not-ready addresses is an empty cell, not <none>.
        (
            Endpoints {
                subsets: vec![EndpointSubset { addresses: vec![], not_ready_addresses: vec![addr("10.0.0.9")], ports: vec![port.clone()] }],
                ..ep(&[])
            },
            "",
        ),
        (ep(&["10.0.0.1"]), "10.0.0.1:80"),
        (ep(&["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]), "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more..."),
    ];
    for (e, expected) in cases {
        assert_eq!(format_endpoints(&e), expected);
    }
}

/// A running pod as the engine builds it: defaults, service-account volume, default tolerations.
fn full_pod() -> Pod {
    let mut p = pod("web", 0, "Running", vec![]);
    p.metadata.uid = "u1".into();
    p.metadata.labels.insert("app".into(), "web".into());
    p.metadata.labels.insert("tier".into(), "front".into());
    p.spec.priority = Some(0);
    p.spec.service_account_name = Some("default".into());
    p.spec.node_name = Some("node-1".into());
    p.status.host_ip = Some("192.168.49.2".into());
    p.status.pod_ip = Some("10.244.0.5".into());
    p.status.start_time = Some(0);
    p.status.qos_class = Some("BestEffort".into());
    let mut c = container("app");
    c.image = "nginx:1.27".into();
    c.ports =
        vec![ContainerPort { name: Some("http".into()), container_port: 80, protocol: Some("TCP".into()), host_port: None, host_ip: None }];
    c.liveness_probe = Some(Box::new(Probe {
        http_get: Some(HttpGetAction {
            path: Some("/".into()),
            port: IntOrString::Str("http".into()),
            host: None,
            scheme: Some("HTTP".into()),
            http_headers: vec![],
        }),
        initial_delay_seconds: Some(0),
        timeout_seconds: Some(1),
        period_seconds: Some(10),
        success_threshold: Some(1),
        failure_threshold: Some(3),
        ..Default::default()
    }));
    c.env = vec![EnvVar { name: "MODE".into(), value: Some("prod".into()), value_from: None }];
    c.volume_mounts = vec![VolumeMount {
        name: "kube-api-access-abcde".into(),
        mount_path: "/var/run/secrets/kubernetes.io/serviceaccount".into(),
        read_only: Some(true),
        ..Default::default()
    }];
    p.spec.containers = vec![c];
    let mut projected = serde_yaml::Mapping::new();
    projected.insert("podplayServiceAccountToken".into(), true.into());
    p.spec.volumes = vec![Volume {
        name: "kube-api-access-abcde".into(),
        projected: Some(Box::new(serde_yaml::Value::Mapping(projected))),
        ..Default::default()
    }];
    p.spec.tolerations = ["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"]
        .iter()
        .map(|k| Toleration {
            key: Some(k.to_string()),
            operator: Some("Exists".into()),
            value: None,
            effect: Some("NoExecute".into()),
            toleration_seconds: Some(300),
        })
        .collect();
    p.status.container_statuses = vec![ContainerStatus {
        container_id: Some("containerd://abc123".into()),
        image: "docker.io/library/nginx:1.27".into(),
        image_id: "docker.io/library/nginx@sha256:0123".into(),
        started: Some(true),
        ..with_last(status("app", true, 1, running(65 * SECOND + 700)), terminated(137, Some("Error"), None, Some(64 * SECOND)))
    }];
    p.status.conditions = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
        .iter()
        .map(|k| condition(k, "True"))
        .collect();
    p
}

const DESCRIBE_WEB_1_36: &str = "Name:             web
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/192.168.49.2
Start Time:       Mon, 05 Jan 2026 09:00:00 +0000
Labels:           app=web
                  tier=front
Annotations:      <none>
Status:           Running
IP:               10.244.0.5
IPs:
  IP:  10.244.0.5
Containers:
  app:
    Container ID:   containerd://abc123
    Image:          nginx:1.27
    Image ID:       docker.io/library/nginx@sha256:0123
    Port:           80/TCP (http)
    Host Port:      0/TCP (http)
    State:          Running
      Started:      Mon, 05 Jan 2026 09:01:05 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      Mon, 05 Jan 2026 09:01:03 +0000
      Finished:     Mon, 05 Jan 2026 09:01:04 +0000
    Ready:          True
    Restart Count:  1
    Liveness:       http-get http://:http/ delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:
      MODE:  prod
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-abcde (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  kube-api-access-abcde:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  120m  default-scheduler  Successfully assigned default/web to node-1
";

#[test]
fn describe_pod_full_layout() {
    let p = full_pod();
    let sched = scheduled_event(0);
    assert_eq!(describe_pod(&p, &[&sched], NOW, release("1.36")), DESCRIBE_WEB_1_36);
}

#[test]
fn describe_pod_version_differences() {
    let mut p = full_pod();
    // kubectl ≤1.32: ConfigMapOptional: <nil>.
    let old = describe_pod(&p, &[], NOW, release("1.32"));
    assert!(old.contains("    ConfigMapName:           kube-root-ca.crt\n    ConfigMapOptional:       <nil>\n"), "{old}");
    assert!(old.ends_with("Events:                      <none>\n"), "{old}");
    // Deleting: Terminating (lasts ...) with the grace period; a Succeeded pod only ≤1.30.
    p.metadata.deletion = Some(NOW - 5 * SECOND);
    p.metadata.deletion_grace_period_seconds = Some(30);
    let live = describe_pod(&p, &[], NOW, release("1.36"));
    assert!(live.contains("Status:                    Terminating (lasts 5s)\nTermination Grace Period:  30s\n"), "{live}");
    p.status.phase = "Succeeded".into();
    assert!(describe_pod(&p, &[], NOW, release("1.31")).contains("Status:           Succeeded\n"));
    assert!(describe_pod(&p, &[], NOW, release("1.30")).contains("Status:                    Terminating (lasts 5s)\n"));
}

fn words(ws: &[&str]) -> Vec<String> {
    ws.iter().map(|s| s.to_string()).collect()
}

/// An engine over one YAML text (every document valid).
fn engine_of(yaml: &str) -> podplay_core::Engine {
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml.into() }]).unwrap();
    new_engine(&m).unwrap()
}

/// An engine whose scenario steps run through kubectl, as a session builds it.
fn new_engine(m: &podplay_core::Manifests) -> Result<podplay_core::Engine, Vec<podplay_core::Diagnostic>> {
    crate::new_engine(m)
}

/// `kubectl ARGS` at `at`, on an engine that has not passed `at` (time is the session's job).
fn run_at(engine: &mut podplay_core::Engine, at: podplay_core::Millis, args: &[String]) -> crate::Output {
    assert!(at >= engine.now() && !crate::is_watch(args), "a view at {at} ms of an engine at {} ms", engine.now());
    engine.run_until(at);
    crate::run(engine, args)
}

#[test]
fn resource_words_and_errors() {
    use crate::{kind_and_names, parse_flags, Kind};
    let cases: Vec<(&[&str], Result<(Kind, Vec<&str>), &str>)> = vec![
        (&["po"], Ok((Kind::Pods, vec![]))),
        (&["pod/web"], Ok((Kind::Pods, vec!["web"]))),
        (&["pods", "a", "b"], Ok((Kind::Pods, vec!["a", "b"]))),
        (&["svc"], Ok((Kind::Services, vec![]))),
        (&["ep", "web"], Ok((Kind::Endpoints, vec!["web"]))),
        (&["no"], Ok((Kind::Nodes, vec![]))),
        (&["ev"], Ok((Kind::Events, vec![]))),
        (&["foo"], Err("error: the server doesn't have a resource type \"foo\"\n")),
    ];
    for (args, expected) in cases {
        let got = kind_and_names(&words(args));
        match expected {
            Ok((kind, names)) => assert_eq!(got, Ok((kind, words(&names))), "{args:?}"),
            Err(e) => assert_eq!(got, Err(e.to_string()), "{args:?}"),
        }
    }
    let f = parse_flags("get", &words(&["pods", "-n", "prod", "-owide", "-A"])).unwrap();
    assert_eq!((f.positional, f.namespace.as_str(), f.output.as_deref(), f.all_namespaces), (words(&["pods"]), "prod", Some("wide"), true));
    let f = parse_flags("logs", &words(&["web", "-c", "app", "-p", "--timestamps"])).unwrap();
    assert_eq!((f.container.as_deref(), f.previous, f.timestamps), (Some("app"), true, true));
    assert_eq!(
        parse_flags("get", &words(&["pods", "--bogus=1"])).unwrap_err(),
        "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
    );
    // Each verb has its own flags (kubectl describe has no -o, logs no --sort-by).
    assert_eq!(
        parse_flags("describe", &words(&["pod", "web", "-owide"])).unwrap_err(),
        "error: unknown shorthand flag: 'o' in -owide\nSee 'kubectl describe --help' for usage.\n"
    );
    assert_eq!(
        parse_flags("logs", &words(&["web", "--sort-by=.x"])).unwrap_err(),
        "error: unknown flag: --sort-by\nSee 'kubectl logs --help' for usage.\n"
    );
    assert_eq!(
        parse_flags("describe", &words(&["pods", "--field-selector", "x=y"])).unwrap_err(),
        "error: unknown flag: --field-selector\nSee 'kubectl describe --help' for usage.\n"
    );
    assert!(parse_flags("get", &words(&["pods", "-c", "x"])).unwrap_err().starts_with("error: unknown shorthand flag: 'c' in -c\n"));
}

#[test]
fn pod_yaml_and_json() {
    let mut p = pod("web", 1, "Running", vec![status("c0", true, 0, running(3 * SECOND + 250))]);
    p.metadata.creation = 1500;
    p.status.conditions = vec![condition("Ready", "True")];
    let yaml = crate::objects::pods_document(&[&p], true, false);
    assert_eq!(
        yaml,
        r#"apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2026-01-05T09:00:01Z"
  name: web
  namespace: default
spec:
  containers:
  - image: busybox
    name: c0
    resources: {}
  securityContext: {}
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: "2026-01-05T09:00:00Z"
    status: "True"
    type: Ready
  containerStatuses:
  - image: ""
    imageID: ""
    name: c0
    ready: true
    restartCount: 0
    state:
      running:
        startedAt: "2026-01-05T09:00:03Z"
  phase: Running
"#
    );
    let json = crate::objects::pods_document(&[&p], true, true);
    assert!(json.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Pod\",\n    \"metadata\": {\n        \"creationTimestamp\": \"2026-01-05T09:00:01Z\",\n"), "{json}");
    let mut q = pod("q", 1, "Running", vec![]);
    q.spec.containers[0].command = Some(vec!["sh".into(), "-c".into(), "echo hi; sleep 10".into(), "".into(), "yes".into(), "- x".into()]);
    let yaml = crate::objects::pods_document(&[&q], true, false);
    assert!(yaml.contains("  - command:\n    - sh\n    - -c\n    - echo hi; sleep 10\n    - \"\"\n    - \"yes\"\n    - '- x'\n"), "{yaml}");
    assert_eq!(crate::objects::rfc3339_nano_fixed(3 * SECOND + 250), "2026-01-05T09:00:03.250000000Z");
}

#[test]
fn yaml_string_styles_as_go_yaml() {
    // encode.go stringv: double quotes when the text would read back as another type; the
    // emitter's single quotes when it is a string that plain style cannot carry.
    let cases = [
        ("Running", "Running"),
        ("", "\"\""),
        ("True", "\"True\""),
        ("on", "\"on\""),
        ("tRUE", "tRUE"),
        ("1", "\"1\""),
        ("0x1F", "\"0x1F\""),
        ("1_000", "\"1_000\""),
        ("1e3", "\"1e3\""),
        ("1.5", "\"1.5\""),
        ("inf", "inf"),
        (".inf", "\".inf\""),
        (".profile", ".profile"),
        ("1:20", "\"1:20\""),
        ("2026-01-05T09:00:00Z", "\"2026-01-05T09:00:00Z\""),
        ("2026-01-05", "\"2026-01-05\""),
        ("256Mi", "256Mi"),
        ("500m", "500m"),
        ("containers with unready status: [app]", "'containers with unready status: [app]'"),
        ("0/1 nodes are available: 1 Insufficient cpu.", "'0/1 nodes are available: 1 Insufficient cpu.'"),
        ("a:b", "a:b"),
        ("ends with:", "'ends with:'"),
        ("x #y", "'x #y'"),
        ("x#y", "x#y"),
        ("-c", "-c"),
        ("- x", "'- x'"),
        ("-", "'-'"),
        ("*", "'*'"),
        ("[app]", "'[app]'"),
        ("it's", "it's"),
        ("'quoted'", "'''quoted'''"),
        (" lead", "' lead'"),
        ("a\tb", "\"a\\tb\""),
        ("/usr/share/nginx/html", "/usr/share/nginx/html"),
        ("spec.containers{app}", "spec.containers{app}"),
    ];
    for (text, want) in cases {
        assert_eq!(crate::objects::yaml_string(text), want, "{text:?}");
    }
}

#[test]
fn yaml_multi_line_strings_are_literal_blocks() {
    let mut q = pod("q", 1, "Running", vec![]);
    q.spec.containers[0].command = Some(vec!["sh".into(), "-c".into(), "echo a\necho b".into()]);
    q.spec.containers[0].args = Some(vec!["one\ntwo\n".into()]);
    let yaml = crate::objects::pods_document(&[&q], true, false);
    assert!(
        yaml.contains("  - args:\n    - |\n      one\n      two\n    command:\n    - sh\n    - -c\n    - |-\n      echo a\n      echo b\n"),
        "{yaml}"
    );
}

#[test]
fn endpoints_warning_only_from_1_33() {
    let yaml = |v: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec: {{selector: {{app: web}}, ports: [{{port: 80}}]}}\n---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec: {{kubernetesVersion: \"{v}\"}}\n")
    };
    for (version, warns) in [("1.32", false), ("1.33", true)] {
        let mut engine = engine_of(&yaml(version));
        let out = run_at(&mut engine, 10 * SECOND, &words(&["get", "endpoints"]));
        assert_eq!(
            out.stdout, "NAME         ENDPOINTS         AGE\nkubernetes   172.18.0.2:6443   10s\nweb          <none>            10s\n",
            "{version}"
        );
        assert_eq!(out.stderr.starts_with("Warning: v1 Endpoints is deprecated"), warns, "{version}: {}", out.stderr);
    }
}

#[test]
fn every_cluster_has_the_api_servers_service() {
    // No Service of the scenario's own: kubectl still lists `kubernetes`, cluster DNS answers
    // for it and every pod gets its variables (as in any namespace).
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: box, namespace: team}\nspec: {containers: [{name: c, image: 'busybox:1.36', command: [sleep, '3600']}]}\n";
    let mut engine = engine_of(yaml);
    let mut run = |args: &[&str]| run_at(&mut engine, 30 * SECOND, &words(args));
    assert_eq!(
        run(&["get", "svc"]).stdout,
        "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   30s\n"
    );
    assert_eq!(run(&["get", "svc", "-n", "team"]).stderr, "No resources found in team namespace.\n");
    // Nothing listed: a table says so on stderr; printGeneric prints an empty List for
    // -o json|yaml and nothing for -o name (get.go `printGeneric`), with no message.
    let empty = run(&["get", "pods", "-o", "json"]);
    assert_eq!((empty.stdout.as_str(), empty.stderr.as_str(), empty.exit_code), ("{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n", "", 0));
    assert_eq!(run(&["get", "pods", "-o", "yaml"]).stdout, "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n");
    for kind in ["pods", "svc", "jobs"] {
        let names = run(&["get", kind, "-n", "nobody", "-o", "name"]);
        assert_eq!((names.stdout.as_str(), names.stderr.as_str(), names.exit_code), ("", "", 0), "{kind}");
    }
    assert_eq!(run(&["get", "ep", "kubernetes"]).stdout, "NAME         ENDPOINTS         AGE\nkubernetes   172.18.0.2:6443   30s\n");
    let described = run(&["describe", "svc", "kubernetes"]).stdout;
    for line in [
        "Labels:                   component=apiserver\n                          provider=kubernetes\n",
        "Selector:                 <none>\n",
        "IP:                       10.96.0.1\n",
        "Port:                     https  443/TCP\n",
        "TargetPort:               6443/TCP\n",
        "Endpoints:                172.18.0.2:6443\n",
    ] {
        assert!(described.contains(line), "{line:?} in\n{described}");
    }
    assert_eq!(run(&["get", "svc", "-l", "provider=kubernetes", "-o", "name"]).stdout, "service/kubernetes\n");
    let lookup = run(&["exec", "box", "-n", "team", "--", "nslookup", "kubernetes.default.svc.cluster.local"]);
    assert_eq!(
        (lookup.stdout.as_str(), lookup.exit_code),
        ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n\n", 0)
    );
    let env = run(&["exec", "box", "-n", "team", "--", "printenv", "KUBERNETES_SERVICE_HOST"]);
    assert_eq!(env.stdout, "10.96.0.1\n");
}

#[test]
fn a_service_name_is_taken_once_per_namespace() {
    let svc = |name: &str, ns: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {{ports: [{{port: 80}}]}}\n")
    };
    let load = |text: String| new_engine(&podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text }]).unwrap());
    // The API server's own: a clear error at the document, with what to do.
    let errors = load(svc("kubernetes", "default")).err().expect("rejected");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .message
            .starts_with("Error from server (AlreadyExists): services \"kubernetes\" already exists (the API server's own Service"),
        "{}",
        errors[0].message
    );
    assert_eq!(errors[0].line, 1);
    // Elsewhere the name is free; twice in one namespace is not.
    assert!(load(svc("kubernetes", "team")).is_ok());
    let errors = load(format!("{}---\n{}", svc("web", "default"), svc("web", "default"))).err().expect("rejected");
    assert_eq!(errors[0].message, "Error from server (AlreadyExists): services \"web\" already exists");
    assert_eq!(errors[0].line, 6);
    // A step: apply patches the existing one (created without the last-applied annotation,
    // which the patch adds, with kubectl's warning), create fails as kubectl's does.
    let steps = format!(
        "{}---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec:\n  steps:\n  - at: 5s\n    run: kubectl apply -f -\n    manifest: |\n      apiVersion: v1\n      kind: Service\n      metadata: {{name: web}}\n      spec: {{ports: [{{port: 80}}]}}\n  - at: 6s\n    run: kubectl create -f -\n    manifest: |\n      apiVersion: v1\n      kind: Service\n      metadata: {{name: web}}\n      spec: {{ports: [{{port: 80}}]}}\n",
        svc("web", "default")
    );
    let mut engine = load(steps).unwrap();
    engine.run_until(10 * SECOND);
    let outs: Vec<_> = engine.step_outputs().iter().map(|o| (o.stdout.as_str(), o.stderr.as_str(), o.exit_code)).collect();
    assert_eq!(
        outs,
        [
            ("service/web configured\n", "Warning: resource services/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n", 0),
            ("", "Error from server (AlreadyExists): error when creating \"STDIN\": services \"web\" already exists\n", 1)
        ]
    );
    assert_eq!(engine.services().iter().filter(|s| s.metadata.name == "web").count(), 1);
}

#[test]
fn a_headless_services_name_answers_every_ready_endpoint() {
    let yaml = |busybox: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: client}}\nspec: {{containers: [{{name: c, image: '{busybox}', command: [sleep, '3600']}}]}}\n---\n\
             apiVersion: v1\nkind: Pod\nmetadata: {{name: web-a, labels: {{app: web}}}}\nspec: {{containers: [{{name: web, image: 'nginx:1.27'}}]}}\n---\n\
             apiVersion: v1\nkind: Pod\nmetadata: {{name: web-b, labels: {{app: web}}}}\nspec: {{containers: [{{name: web, image: 'nginx:1.27'}}]}}\n---\n\
             apiVersion: v1\nkind: Service\nmetadata: {{name: peers}}\nspec: {{clusterIP: None, selector: {{app: web}}, ports: [{{port: 80}}]}}\n"
        )
    };
    let exec = |busybox: &str, args: &[&str]| {
        let mut engine = engine_of(&yaml(busybox));
        let mut words_ = vec!["exec", "client", "--"];
        words_.extend_from_slice(args);
        let out = run_at(&mut engine, 30 * SECOND, &words(&words_));
        (out.stdout, out.exit_code)
    };
    // busybox ≥ 1.29: a Name/Address pair per A record of the answer (parse_reply).
    assert_eq!(
        exec("busybox:1.36", &["nslookup", "peers.default.svc.cluster.local"]),
        (
            "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tpeers.default.svc.cluster.local\nAddress: 10.244.0.6\nName:\tpeers.default.svc.cluster.local\nAddress: 10.244.0.7\n\n\n"
                .to_string(),
            0
        )
    );
    // busybox 1.28: getaddrinfo's list, numbered, each with the endpoint's own PTR name.
    assert_eq!(
        exec("busybox:1.28", &["nslookup", "peers"]),
        (
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      peers\nAddress 1: 10.244.0.6 10-244-0-6.peers.default.svc.cluster.local\nAddress 2: 10.244.0.7 10-244-0-7.peers.default.svc.cluster.local\n"
                .to_string(),
            0
        )
    );
    // The endpoint's own name resolves too.
    assert_eq!(exec("busybox:1.36", &["nslookup", "10-244-0-7.peers.default.svc.cluster.local"]).1, 0);
}

#[test]
fn get_tables_take_label_columns_show_labels_and_no_headers() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web, example.com/tier: front}}\nspec: {containers: [{name: app, image: nginx:1.27}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: bare}\nspec: {containers: [{name: app, image: nginx:1.27}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: peers, labels: {app: web}}\nspec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}\n";
    let mut engine = engine_of(yaml);
    let mut get = |args: &[&str]| run_at(&mut engine, 30 * SECOND, &words(args));
    // decorateTable: -L columns (last path segment, uppercased; empty cell when absent), then LABELS.
    assert_eq!(
        get(&["get", "pods", "-L", "app", "--label-columns=example.com/tier", "--show-labels"]).stdout,
        "NAME   READY   STATUS    RESTARTS   AGE   APP   TIER    LABELS\n\
         bare   1/1     Running   0          30s                 <none>\n\
         web    1/1     Running   0          30s   web   front   app=web,example.com/tier=front\n"
    );
    assert_eq!(get(&["get", "pods", "--no-headers"]).stdout, "bare   1/1   Running   0     30s\nweb    1/1   Running   0     30s\n");
    assert_eq!(
        get(&["get", "pods", "-Lapp,nosuch", "--no-headers", "--show-labels=false"]).stdout,
        "bare   1/1   Running   0     30s         \nweb    1/1   Running   0     30s   web   \n"
    );
    // Every kind: the Endpoints of a headless Service carry its label; the API server's its own.
    let eps = get(&["get", "ep", "--show-labels"]).stdout;
    assert!(eps.contains("kubernetes   172.18.0.2:6443   30s   endpointslice.kubernetes.io/skip-mirror=true\n"), "{eps}");
    assert!(eps.contains("   app=web,service.kubernetes.io/headless=\n"), "{eps}");
    assert_eq!(get(&["get", "ep", "-l", "service.kubernetes.io/headless", "-o", "name"]).stdout, "endpoints/peers\n");
    assert!(get(&["get", "svc", "--show-labels"]).stdout.contains("   component=apiserver,provider=kubernetes\n"));
    assert!(get(&["get", "nodes", "-L", "kubernetes.io/hostname"])
        .stdout
        .starts_with("NAME     STATUS   ROLES    AGE   VERSION   HOSTNAME\nnode-1   Ready    <none>   30s   v1.36.0   node-1\n"));
    let events = get(&["get", "events", "--show-labels"]).stdout;
    assert!(events.lines().next().unwrap().ends_with("   LABELS") && events.lines().skip(1).all(|l| l.ends_with("   <none>")), "{events}");
    // A watch decorates its rows too.
    let watch_args = words(&["get", "pods", "-w", "--show-labels", "--no-headers"]);
    let watch = crate::watch(&mut engine_of(yaml), &watch_args, 30 * SECOND, &mut |e, t| e.run_until(t)).stdout;
    assert!(
        watch.lines().next().unwrap().starts_with("bare ")
            && watch.lines().all(|l| l.ends_with("<none>") || l.ends_with("app=web,example.com/tier=front")),
        "{watch}"
    );
    assert_eq!(get(&["get", "pods", "-L"]).stderr, "error: flag needs an argument: \"-L\" in -L");
}

#[test]
fn get_of_several_kinds_prints_a_table_each() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: app, image: nginx:1.27}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n";
    let mut engine = engine_of(yaml);
    let mut get = |args: &[&str]| run_at(&mut engine, 30 * SECOND, &words(args));
    // get.go Run: kind/ prefixes (objects of two kinds found), one writer flushed and its widths
    // forgotten per kind, an empty line between tables.
    let all = get(&["get", "all"]);
    assert_eq!(
        (all.stdout.as_str(), all.stderr.as_str(), all.exit_code),
        (
            "NAME      READY   STATUS    RESTARTS   AGE\npod/web   1/1     Running   0          30s\n\n\
             NAME                 TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE\n\
             service/kubernetes   ClusterIP   10.96.0.1     <none>        443/TCP   30s\n\
             service/web          ClusterIP   10.96.23.66   <none>        80/TCP    30s\n",
            "",
            0
        )
    );
    // No empty line without headers; none between -o name lines; repeats are dropped.
    assert_eq!(get(&["get", "po,svc,po", "--no-headers"]).stdout.matches('\n').count(), 3);
    assert_eq!(get(&["get", "pods,services", "-o", "name"]).stdout, "pod/web\nservice/kubernetes\nservice/web\n");
    // Objects of one kind only: no prefix (multipleGVKsRequested); the other kind's error after.
    let named = get(&["get", "pods,svc", "kubernetes"]);
    assert_eq!(named.stdout, "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   30s\n");
    assert_eq!((named.stderr.as_str(), named.exit_code), ("Error from server (NotFound): pods \"kubernetes\" not found\n", 1));
    // The Endpoints warning comes first, once; nothing found is said once.
    let eps = get(&["get", "ep,svc"]);
    assert!(
        eps.stderr == "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
            && eps.stdout.starts_with("NAME                   ENDPOINTS"),
        "{eps:?}"
    );
    assert_eq!(get(&["get", "all", "-n", "team"]).stderr, "No resources found in team namespace.\n");
    assert_eq!(get(&["get", "pods,nosuch"]).stderr, "error: the server doesn't have a resource type \"nosuch\"\n");
}

#[test]
fn sort_by_orders_rows_as_kubectl_does() {
    let scenario = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios/liveness-exec.yaml")).unwrap();
    let mut engine = engine_of(&scenario);
    let mut get = |args: &[&str]| run_at(&mut engine, 130 * SECOND, &words(args));
    let reasons =
        |out: &crate::Output| out.stdout.lines().skip(1).map(|l| l.split_whitespace().nth(2).unwrap_or("").to_string()).collect::<Vec<_>>();
    // The scheduler's event (events.k8s.io: lastTimestamp null) first, then by time; the
    // API's own order (by name) otherwise.
    assert_eq!(reasons(&get(&["get", "events"])), ["Scheduled", "Pulled", "Created", "Started", "Unhealthy", "Killing"]);
    assert_eq!(
        reasons(&get(&["get", "events", "--sort-by=.lastTimestamp"])),
        ["Scheduled", "Unhealthy", "Killing", "Pulled", "Created", "Started"]
    );
    assert_eq!(
        reasons(&get(&["get", "events", "--sort-by", "{.count}"])),
        ["Scheduled", "Killing", "Pulled", "Created", "Started", "Unhealthy"]
    );
    let missing = get(&["get", "events", "--sort-by=.nosuch"]);
    assert_eq!(
        (missing.stderr.as_str(), missing.exit_code),
        ("error: couldn't find any field with path \"{.nosuch}\" in the list of objects\n", 1)
    );
    assert!(get(&["get", "events", "--sort-by=.involvedObject"]).stderr.contains("unsortable type"));
}

#[test]
fn sort_by_strings_and_go_sorts_follow_the_release() {
    let pods: String = (0..14)
        .map(|i| format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: web-{i}, labels: {{tier: \"{}\"}}}}\nspec: {{containers: [{{name: c, image: 'nginx:1.27'}}]}}\n---\n", ["a", "b"][i % 2]))
        .collect();
    let run = |version: &str, args: &[&str]| {
        let text = format!(
            "{pods}apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec: {{kubernetesVersion: \"{version}\"}}\n"
        );
        let mut engine = engine_of(&text);
        let out = run_at(&mut engine, 30 * SECOND, &words(args));
        out.stdout.lines().map(|l| l.trim_start_matches("pod/").to_string()).collect::<Vec<_>>()
    };
    // Up to 1.30 natural order (web-2 before web-10), from 1.31 byte order.
    assert_eq!(run("1.30", &["get", "pods", "--sort-by=.metadata.name", "-o", "name"])[..3], ["web-0", "web-1", "web-2"]);
    assert_eq!(run("1.31", &["get", "pods", "--sort-by=.metadata.name", "-o", "name"])[..3], ["web-0", "web-1", "web-10"]);
    // Fourteen rows, seven of each key: the order of equal keys is the Go sort's, which
    // differs between kubectl's Go releases (each checked against Go in podplay-k8s-util).
    let by_tier = |v: &str| run(v, &["get", "pods", "--sort-by=.metadata.labels.tier", "-o", "name"]);
    let (old, pdq, pdq64) = (by_tier("1.24"), by_tier("1.25"), by_tier("1.36"));
    for order in [&old, &pdq, &pdq64] {
        assert_eq!(order.len(), 14);
        assert!(order[..7].iter().all(|n| n.trim_start_matches("web-").parse::<usize>().unwrap() % 2 == 0), "{order:?}");
    }
    assert_ne!(old, pdq, "Go 1.18's quicksort and pdqsort leave ties differently here");
}

#[test]
fn logs_by_selector_print_each_pods_last_ten_lines() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: b, labels: {app: x}}\nspec: {containers: [{name: c, image: 'busybox:1.36', command: [sh, -c, 'for i in $(seq 1 12); do echo b$i; done; sleep 3600']}]}\n---\n\
                apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: x}}\nspec: {containers: [{name: one, image: 'busybox:1.36', command: [sh, -c, 'echo a1; sleep 3600']}, {name: two, image: 'busybox:1.36', command: [sleep, '3600']}]}\n";
    let mut engine = engine_of(yaml);
    let mut run = |args: &[&str]| run_at(&mut engine, 30 * SECOND, &words(args));
    let out = run(&["logs", "-l", "app=x"]);
    let tail: String = (3..=12).map(|i| format!("b{i}\n")).collect();
    assert_eq!(out.stdout, format!("a1\n{tail}"));
    assert_eq!(out.stderr, "Defaulted container \"one\" out of: one, two\n");
    // Every pod is checked before any log is read: nothing of a's is printed.
    let wrong = run(&["logs", "-l", "app=x", "-c", "two"]);
    assert_eq!(
        (wrong.stdout.as_str(), wrong.stderr.as_str(), wrong.exit_code),
        ("", "error: container two is not valid for pod b out of: c\n", 1)
    );
    assert_eq!(run(&["logs", "-l", "app=none"]).stderr, "No resources found in default namespace.\n");
    assert_eq!(run(&["logs", "a", "-l", "app=x"]).exit_code, 1);
}

#[test]
fn logs_tail_and_since() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec: {containers: [{name: c, image: 'busybox:1.36', command: [sh, -c, 'i=0; while true; do i=$((i+1)); echo line$i; sleep 10; done']}]}\n";
    let mut engine = engine_of(yaml);
    let mut run = |args: &[&str]| run_at(&mut engine, 65 * SECOND, &words(args));
    let all = run(&["logs", "t"]).stdout;
    let n = all.lines().count();
    assert!(n >= 6, "{all}");
    let last: Vec<&str> = all.lines().collect();
    assert_eq!(run(&["logs", "t", "--tail=2"]).stdout, format!("{}\n{}\n", last[n - 2], last[n - 1]));
    assert_eq!(run(&["logs", "t", "--tail", "0"]).stdout, "");
    assert_eq!(run(&["logs", "t", "--tail=-1"]).stdout, all);
    // --since keeps the lines stamped within the last 25 s: two or three of them (10 s apart).
    let recent = run(&["logs", "t", "--since=25s"]).stdout;
    assert!((2..=3).contains(&recent.lines().count()) && all.ends_with(&recent), "{recent}");
    assert_eq!(run(&["logs", "t", "--tail=-5"]).stderr, "error: --tail must be greater than or equal to -1\n");
}

/// The page's completion reads this (tests/web-unit/terminal.test.mjs uses the same shape).
#[test]
fn vocabulary_comes_from_the_parse_tables() {
    let v = crate::vocabulary();
    assert_eq!(v.read_verbs, ["get", "describe", "logs", "rollout", "events"]);
    assert!(v.mutating_verbs.contains(&"drain") && v.mutating_verbs.contains(&"create"));
    for flag in ["-o", "--output", "-w", "--watch", "--sort-by", "-n", "--namespace", "-L", "--label-columns"] {
        assert!(v.flags["get"].iter().any(|f| f == flag), "get {flag}");
    }
    assert!(!v.flags["describe"].iter().any(|f| f == "--field-selector"), "describe has no --field-selector");
    assert!(v.flags["exec"].iter().any(|f| f == "-c"));
    assert!(v.kinds.contains(&("svc", "service")) && v.kinds.contains(&("ep", "endpoints")) && v.kinds.contains(&("po", "pod")));
    // Every kind word parses, and every -o format is one get prints.
    for (word, _) in &v.kinds {
        assert!(crate::Kind::parse(word).is_some(), "{word}");
    }
    assert_eq!(v.outputs, ["wide", "yaml", "json", "name", "jsonpath=", "custom-columns="]);
    let json = serde_json::to_value(&v).unwrap();
    assert!(json["readVerbs"].is_array() && json["mutatingVerbs"].is_array() && json["kinds"][0].is_array(), "{json}");
    assert_eq!(json["mutatingSubcommands"]["rollout"], serde_json::json!(["undo", "pause", "resume", "restart"]));
}

/// kubectl 1.27 started listing old ReplicaSets scaled to zero under `OldReplicaSets`
/// (kubectl commit d592485b4); before, a finished rollout shows `<none>`.
#[test]
fn describe_deployment_old_replica_sets_by_release() {
    let scenario = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios/deployment-rollout.yaml")).unwrap();
    for (version, want) in [("1.26", "OldReplicaSets:  <none>\n"), ("1.27", "OldReplicaSets:  web-6cff5c4667 (0/0 replicas created)\n")] {
        let yaml = scenario.replace("spec:\n  steps:", &format!("spec:\n  kubernetesVersion: \"{version}\"\n  steps:"));
        assert!(yaml.contains("kubernetesVersion"), "the scenario's spec");
        let mut engine = engine_of(&yaml);
        let out = run_at(&mut engine, 90 * SECOND, &words(&["describe", "deployment", "web"]));
        assert!(out.stdout.contains(want), "{version}:\n{}", out.stdout);
        assert!(out.stdout.contains("NewReplicaSet:   web-"), "{version}:\n{}", out.stdout);
    }
}

/// `kubectl events` (kubectl's `pkg/cmd/events`, 1.26+): describe's interval column, the object
/// as `Kind/name`, sorted by when each was last seen; `--for`, `--types`, `-A` and their errors.
#[test]
fn kubectl_events_lists_by_last_seen() {
    let scenario = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios/liveness-exec.yaml")).unwrap();
    let mut engine = engine_of(&scenario);
    let mut run = |args: &[&str]| run_at(&mut engine, 120 * SECOND, &words(args));
    let all = run(&["events"]);
    let lines: Vec<&str> = all.stdout.lines().collect();
    assert!(lines[0].starts_with("LAST SEEN ") && lines[0].ends_with("OBJECT              MESSAGE"), "{}", all.stdout);
    assert!(lines[1].contains("Scheduled   Pod/pod-live-exec   Successfully assigned default/pod-live-exec to node-1"), "{}", all.stdout);
    assert!(lines.iter().any(|l| l.starts_with("51s (x3 over 57s)   Warning   Unhealthy ")), "{}", all.stdout);
    // Last seen, oldest first: the restart's Pulled/Created/Started come last.
    assert!(lines.last().unwrap().contains("Started"), "{}", all.stdout);
    let warnings = run(&["events", "-A", "--types", "warning"]);
    assert_eq!(warnings.stdout.lines().count(), 2, "{}", warnings.stdout);
    assert!(warnings.stdout.starts_with("NAMESPACE   LAST SEEN"), "{}", warnings.stdout);
    assert_eq!(run(&["events", "--for=pod/pod-live-exec"]).stdout, all.stdout);
    let none = run(&["events", "--for", "pod/nosuch"]);
    assert_eq!((none.stdout.as_str(), none.stderr.as_str(), none.exit_code), ("", "No events found in default namespace.\n", 0));
    assert_eq!(run(&["events", "--for", "web"]).stderr, "error: --for must be in resource/name form\n");
    assert_eq!(run(&["events", "--types=Error"]).stderr, "error: valid --types are Normal or Warning\n");
    assert_eq!(run(&["events", "--for", "gadget/x"]).stderr, "error: the server doesn't have a resource type \"gadget\"\n");
    assert_eq!(run(&["events", "--bogus"]).stderr, "error: unknown flag: --bogus\nSee 'kubectl events --help' for usage.\n");
    // Before 1.26 there is no `kubectl events` (only `kubectl alpha events`).
    let old = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: 'busybox:1.36', command: [sleep, '60']}]}\n---\n\
               apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec: {kubernetesVersion: '1.25'}\n";
    let mut engine = engine_of(old);
    let out = run_at(&mut engine, 10 * SECOND, &words(&["events"]));
    assert_eq!(out.stderr, "error: unknown command \"events\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n");
}

/// `get -o jsonpath=...` as kubectl prints it: every way to spell the flag, kubectl's printer
/// errors, the generic printing of an empty list and the release's text for `null`.
#[test]
fn get_jsonpath_prints_as_kubectl_does() {
    let pod =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: app, image: nginx:1.27}]}\n";
    let scenario = |version: &str| {
        format!("{pod}---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: t}}\nspec:\n  kubernetesVersion: \"{version}\"\n")
    };
    let mut engine = engine_of(&scenario("1.31"));
    let mut get = |args: &[&str]| run_at(&mut engine, 30 * SECOND, &words(args));
    for spelling in [
        &["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"][..],
        &["get", "pods", "-o=jsonpath={.items[*].metadata.name}"],
        &["get", "pods", "-ojsonpath={.items[*].metadata.name}"],
        &["get", "pods", "--output", "jsonpath={.items[*].metadata.name}"],
        &["get", "pods", "--output=jsonpath={.items[*].metadata.name}"],
        &["get", "pod", "web", "-o", "jsonpath={.metadata.name}"],
    ] {
        let out = get(spelling);
        assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.exit_code), ("web", "", 0), "{spelling:?}");
    }
    // One named object is printed alone; otherwise a v1 List (even of nothing: no "No
    // resources found" for generic printing).
    assert_eq!(get(&["get", "pod", "web", "-o", "jsonpath={.kind}"]).stdout, "Pod");
    assert_eq!(get(&["get", "pods", "-o", "jsonpath={.kind} {.metadata}"]).stdout, r#"List {"resourceVersion":""}"#);
    let empty = get(&["get", "pods", "-n", "team", "-o", "jsonpath={.kind}{.items}"]);
    assert_eq!((empty.stdout.as_str(), empty.stderr.as_str(), empty.exit_code), ("List[]", "", 0));
    let missing = get(&["get", "pod", "nosuch", "-o", "jsonpath={.kind}"]);
    assert_eq!((missing.stdout.as_str(), missing.stderr.as_str()), ("", "Error from server (NotFound): pods \"nosuch\" not found\n"));
    // Tutorials' templates.
    assert_eq!(get(&["get", "pod", "web", "-o", "jsonpath={.spec.containers[0].image}"]).stdout, "nginx:1.27");
    assert_eq!(get(&["get", "pod", "web", "-o", r#"jsonpath={.status.conditions[?(@.type=="Ready")].status}"#]).stdout, "True");
    assert_eq!(get(&["get", "pod", "web", "-o", "jsonpath={.metadata.labels}"]).stdout, r#"{"app":"web"}"#);
    // Errors: no template, a template that does not parse, a missing key only when asked.
    let none = get(&["get", "pods", "-o", "jsonpath"]);
    assert_eq!((none.stderr.as_str(), none.exit_code), ("error: template format specified but no template given\n", 1));
    assert_eq!(get(&["get", "pods", "-o", "jsonpath={.a"]).stderr, "error: error parsing jsonpath {.a, unclosed action\n");
    assert_eq!(get(&["get", "pods", "-o", "jsonpath={.foo}"]).stdout, "");
    let strict = get(&["get", "pod", "web", "-o", "jsonpath={.foo}", "--allow-missing-template-keys=false"]);
    assert!(
        strict.stderr.starts_with("error: error executing jsonpath \"{.foo}\": Error executing template: foo is not found. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.foo}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"apiVersion\":\"v1\", \"kind\":\"Pod\", \"metadata\":map[string]interface {}{")
            && strict.stderr.ends_with("}}\n\n\n")
            && strict.exit_code == 1,
        "{strict:?}"
    );
    assert_eq!(
        get(&["get", "pods", "-o", "jsonpath={.x}", "--allow-missing-template-keys=maybe"]).stderr,
        "error: invalid argument \"maybe\" for \"--allow-missing-template-keys\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n"
    );
    assert_eq!(get(&["get", "nodes", "-o", "jsonpath={.items[*].status.nodeInfo.operatingSystem}"]).stdout, "linux");
    // A condition's `lastProbeTime: null`: `null` from kubectl 1.29, Go's `<nil>` before.
    let probe_time = "jsonpath={.status.conditions[0].lastProbeTime}";
    assert_eq!(get(&["get", "pod", "web", "-o", probe_time]).stdout, "null");
    let mut old = engine_of(&scenario("1.28"));
    assert_eq!(run_at(&mut old, 30 * SECOND, &words(&["get", "pod", "web", "-o", probe_time])).stdout, "<nil>");
}

/// `kubectl logs TYPE/NAME` (`LogsForObject`): the object's selector picks the pods, sorted
/// `ByLogging` (the one ready longest first here), and kubectl says which it used when there
/// are several; kinds without a selector and missing objects are refused in kubectl's words.
#[test]
fn logs_of_an_object_picks_its_best_pod() {
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: c, image: 'busybox:1.36', command: [sh, -c, 'echo from $HOSTNAME; sleep 3600']}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: plain}\nspec: {ports: [{port: 80}]}\n";
    let mut engine = engine_of(yaml);
    let out = run_at(&mut engine, 30 * SECOND, &words(&["logs", "deploy/web"]));
    let used = out.stderr.strip_prefix("Found 2 pods, using pod/").expect("kubectl says which pod").trim_end();
    assert_eq!(out.stdout, format!("from {used}\n"));
    // ByLogging: a ready pod before one that is not, then the one ready longer, then the one
    // with more restarts.
    let pod = |ready: Option<podplay_core::Millis>, restarts: i32| {
        let mut p = Pod::default();
        p.spec.node_name = Some("node-1".into());
        p.status.phase = "Running".into();
        if let Some(t) = ready {
            p.status.conditions.push(podplay_core::model::PodCondition {
                kind: "Ready".into(),
                status: "True".into(),
                last_probe_time: None,
                last_transition_time: t,
                reason: None,
                message: None,
            });
        }
        p.status.container_statuses.push(podplay_core::model::ContainerStatus { restart_count: restarts, ..Default::default() });
        p
    };
    assert!(crate::by_logging_less(&pod(Some(5_000), 0), &pod(None, 0), true));
    assert!(crate::by_logging_less(&pod(Some(5_000), 0), &pod(Some(9_000), 0), true));
    assert!(!crate::by_logging_less(&pod(Some(5_500), 0), &pod(Some(5_000), 0), true), "whole seconds");
    assert!(crate::by_logging_less(&pod(None, 3), &pod(None, 1), true));
    let out = run_at(&mut engine, 30 * SECOND, &words(&["logs", "deployments/nope"]));
    assert_eq!(out.stderr, "Error from server (NotFound): deployments.apps \"nope\" not found\n");
    let out = run_at(&mut engine, 30 * SECOND, &words(&["logs", "svc/plain"]));
    assert_eq!(out.stderr, "error: cannot get the logs from *v1.Service: invalid service 'plain': Service is defined without a selector\n");
    let out = run_at(&mut engine, 30 * SECOND, &words(&["logs", "cm/kube-root-ca.crt"]));
    assert_eq!(out.stderr, "error: cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n");
}

/// A step podplay cannot run is an error of the scenario at its `run` value, not a refusal
/// printed when its time comes.
#[test]
fn a_step_podplay_cannot_run_is_refused_at_its_line() {
    let yaml = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  steps:\n  - at: 5s\n    run: kubectl get pods\n  - at: 6s\n    run: kubectl delete pod a\n  - at: 7s\n    run: ls -l\n";
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "s.yaml".into(), text: yaml.into() }]).expect("valid yaml");
    let errors = crate::new_engine(&m).err().expect("refused");
    let found: Vec<(usize, usize, &str)> = errors.iter().map(|d| (d.line, d.column, d.path.as_deref().unwrap_or(""))).collect();
    assert_eq!(found, vec![(7, 10, "spec.steps[0].run"), (11, 10, "spec.steps[2].run")]);
    assert!(
        errors[0].message.starts_with("podplay cannot run `kubectl get` as a step (steps change the cluster: exec, delete"),
        "{}",
        errors[0].message
    );
    assert_eq!(errors[1].message, "unknown command \"ls\": steps run `kubectl ...` or `podplay node ...`");
}

/// A container that failed its liveness probe is killed and its successor started in one
/// SyncPod (kuberuntime_manager.go computePodActions: ContainersToKill and ContainersToStart),
/// and the kubelet writes the pod's status before SyncPod, not during it: a watch never sees
/// the killed container's Terminated state between the two runs (kind 1.30, liveness-exec:
/// `1/1 Running 0` then `1/1 Running 1 (0s ago) 76s`). When the successor is held back by
/// the back-off, the sync the PLEG's relist brings writes CrashLoopBackOff, and `logs
/// --previous` reads the run in lastState, the one that just ended.
#[test]
fn a_liveness_kill_and_its_restart_write_no_status_between_them() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios/");
    let exec = std::fs::read_to_string(format!("{dir}liveness-exec.yaml")).unwrap();
    let watch = crate::watch(&mut engine_of(&exec), &words(&["get", "pods", "-w"]), 200 * SECOND, &mut |e, t| e.run_until(t)).stdout;
    let statuses: Vec<&str> = watch.lines().skip(1).filter_map(|l| l.split_whitespace().nth(2)).collect();
    assert!(statuses.contains(&"Running") && !statuses.contains(&"Error") && !statuses.contains(&"Completed"), "{watch}");
    assert!(watch.contains("1 (0s ago)"), "{watch}");

    let httpget = std::fs::read_to_string(format!("{dir}liveness-httpget.yaml")).unwrap();
    let mut engine = engine_of(&httpget);
    let get = run_at(&mut engine, 60 * SECOND, &words(&["get", "pods"])).stdout;
    assert!(get.contains("CrashLoopBackOff   4 (3s ago)"), "{get}");
    let previous = run_at(&mut engine, 60 * SECOND, &words(&["logs", "pod-live-httpget", "--previous"])).stdout;
    let current = run_at(&mut engine, 60 * SECOND, &words(&["logs", "pod-live-httpget"])).stdout;
    assert_eq!(previous, current, "waiting in back-off, both read the run in lastState");
}

/// The node lifecycle controller's NoSchedule tainting pass: `cordon` gives the node the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint, stamped when added
/// (`SwapNodeControllerTaint`), `uncordon` takes it away; a node created unschedulable has it
/// from the start.
#[test]
fn a_cordoned_node_carries_the_unschedulable_taint() {
    let mut e = engine_of("apiVersion: v1\nkind: Node\nmetadata:\n  name: kept\nspec:\n  unschedulable: true\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: w\n");
    let taints = |e: &mut podplay_core::Engine, at: podplay_core::Millis| {
        let out = run_at(e, at, &words(&["get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.taints}{\"\\n\"}{end}"]));
        out.stdout
    };
    assert_eq!(
        taints(&mut e, 0),
        "kept=[{\"effect\":\"NoSchedule\",\"key\":\"node.kubernetes.io/unschedulable\",\"timeAdded\":\"2026-01-05T09:00:00Z\"}]\nw=\n"
    );
    e.run_until(30_000);
    assert_eq!(crate::mutate::run_mutation(&mut e, &["cordon", "w"], None).stdout, "node/w cordoned\n");
    assert!(taints(&mut e, 31_000)
        .contains("w=[{\"effect\":\"NoSchedule\",\"key\":\"node.kubernetes.io/unschedulable\",\"timeAdded\":\"2026-01-05T09:00:30Z\"}]"));
    let describe = run_at(&mut e, 32_000, &words(&["describe", "node", "w"])).stdout;
    assert!(describe.contains("Taints:             node.kubernetes.io/unschedulable:NoSchedule\nUnschedulable:      true\n"), "{describe}");
    crate::mutate::run_mutation(&mut e, &["uncordon", "w"], None);
    assert!(taints(&mut e, 33_000).ends_with("w=\n"));
}
