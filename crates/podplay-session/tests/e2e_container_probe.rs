//! Kubernetes' own node e2e probe tests (`test/e2e/common/node/container_probe.go`, both
//! `Probing container` and `Probing restartable init container`), ported: the same names, pod
//! specs and assertions, the e2e's waits (`RunLivenessTest`'s 2-second polls over its timeout,
//! `Eventually`/`Consistently`, `framework.PodStartTimeout`) as seeks of virtual time.
//!
//! Images: the e2e busybox is `registry.k8s.io/e2e-test-images/busybox:1.36.1-1`.
//! `imageutils.GetE2EImage(imageutils.Agnhost)` is `registry.k8s.io/e2e-test-images/agnhost:2.40`
//! here (`liveness`, `pause`, `grpc-health-checking`). podplay's agnhost has no `test-webserver`
//! subcommand; `testWebServerPodSpec`'s server (HTTP 200 for `/` on port 80) is `nginx:1.25`
//! here, which answers `/` on port 80 the same way.

mod e2e_support;

use e2e_support::{create, is_pod_ready, pod_running_ready, POD_START_TIMEOUT, POLL};
use podplay_core::clock::{Millis, MINUTE, SECOND};
use podplay_core::model::{ContainerStatus, Pod};
use podplay_session::Session;

/// `probeTestInitialDelaySeconds`.
const PROBE_TEST_INITIAL_DELAY_SECONDS: i64 = 15;
/// `defaultObservationTimeout`.
const DEFAULT_OBSERVATION_TIMEOUT: Millis = 4 * MINUTE;
/// `f.Timeouts.PodDelete`.
const POD_DELETE_TIMEOUT: Millis = 5 * MINUTE;

const AGNHOST: &str = "registry.k8s.io/e2e-test-images/agnhost:2.40";
const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.36.1-1";
/// Stands in for agnhost `test-webserver` (see the top comment).
const TEST_WEBSERVER: &str = "nginx:1.25";

enum Handler {
    Exec(&'static [&'static str]),
    HttpGet(&'static str, u16),
    TcpSocket(u16),
    /// `GRPCAction` with no `service`.
    Grpc(u16),
}

/// A `v1.Probe`; `None` fields are left to the API server's defaults, as in the Go literals.
struct Probe {
    handler: Handler,
    initial_delay_seconds: i64,
    timeout_seconds: Option<i64>,
    period_seconds: Option<i64>,
    failure_threshold: Option<i64>,
    termination_grace_period_seconds: Option<i64>,
}

fn probe(handler: Handler) -> Probe {
    Probe {
        handler,
        initial_delay_seconds: 0,
        timeout_seconds: None,
        period_seconds: None,
        failure_threshold: None,
        termination_grace_period_seconds: None,
    }
}

impl Probe {
    fn delay(mut self, s: i64) -> Self {
        self.initial_delay_seconds = s;
        self
    }
    fn timeout(mut self, s: i64) -> Self {
        self.timeout_seconds = Some(s);
        self
    }
    fn period(mut self, s: i64) -> Self {
        self.period_seconds = Some(s);
        self
    }
    fn failure(mut self, n: i64) -> Self {
        self.failure_threshold = Some(n);
        self
    }
    fn grace(mut self, s: i64) -> Self {
        self.termination_grace_period_seconds = Some(s);
        self
    }

    /// The probe under `key`, in a container's block (6 spaces of indent for its fields).
    fn yaml(&self, key: &str) -> String {
        let mut out = format!("    {key}:\n");
        match &self.handler {
            Handler::Exec(cmd) => out += &format!("      exec:\n        command: {}\n", list(cmd)),
            Handler::HttpGet(path, port) => out += &format!("      httpGet:\n        path: {}\n        port: {port}\n", quote(path)),
            Handler::TcpSocket(port) => out += &format!("      tcpSocket:\n        port: {port}\n"),
            Handler::Grpc(port) => out += &format!("      grpc:\n        port: {port}\n"),
        }
        out += &format!("      initialDelaySeconds: {}\n", self.initial_delay_seconds);
        for (k, v) in [
            ("timeoutSeconds", self.timeout_seconds),
            ("periodSeconds", self.period_seconds),
            ("failureThreshold", self.failure_threshold),
            ("terminationGracePeriodSeconds", self.termination_grace_period_seconds),
        ] {
            if let Some(v) = v {
                out += &format!("      {k}: {v}\n");
            }
        }
        out
    }
}

/// A YAML double-quoted string (Rust's escapes of `"`, `\`, newlines and tabs are YAML's).
fn quote(s: &str) -> String {
    format!("{s:?}")
}

fn list(words: &[&str]) -> String {
    format!("[{}]", words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(", "))
}

/// One container's block, in a list under `containers:` or `initContainers:`.
struct Container<'a> {
    name: &'a str,
    image: &'a str,
    command: Option<&'a [&'a str]>,
    args: Option<&'a [&'a str]>,
    ports: &'a [u16],
    sidecar: bool,
    readiness: Option<Probe>,
    liveness: Option<Probe>,
    startup: Option<Probe>,
}

fn container<'a>(name: &'a str, image: &'a str) -> Container<'a> {
    Container { name, image, command: None, args: None, ports: &[], sidecar: false, readiness: None, liveness: None, startup: None }
}

impl Container<'_> {
    fn yaml(&self) -> String {
        let mut out = format!("  - name: {}\n    image: {}\n", self.name, self.image);
        if let Some(c) = self.command {
            out += &format!("    command: {}\n", list(c));
        }
        if let Some(a) = self.args {
            out += &format!("    args: {}\n", list(a));
        }
        if self.sidecar {
            out += "    restartPolicy: Always\n";
        }
        if !self.ports.is_empty() {
            out += "    ports:\n";
            for p in self.ports {
                out += &format!("    - containerPort: {p}\n");
            }
        }
        for (key, p) in [("livenessProbe", &self.liveness), ("readinessProbe", &self.readiness), ("startupProbe", &self.startup)] {
            if let Some(p) = p {
                out += &p.yaml(key);
            }
        }
        out
    }
}

/// A pod of `init` (restartable init containers) and `containers`, `grace` its
/// `terminationGracePeriodSeconds`.
fn pod_yaml(name: &str, init: &[Container], containers: &[Container], grace: Option<i64>) -> String {
    let mut out = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n");
    if let Some(g) = grace {
        out += &format!("  terminationGracePeriodSeconds: {g}\n");
    }
    if !init.is_empty() {
        out += "  initContainers:\n";
        for c in init {
            out += &c.yaml();
        }
    }
    out += "  containers:\n";
    for c in containers {
        out += &c.yaml();
    }
    out
}

/// The `main` container of the sidecar pod specs: agnhost `pause`.
fn main_pause() -> Container<'static> {
    Container { args: Some(&["pause"]), ..container("main", AGNHOST) }
}

/// `testWebServerPodSpec`.
fn test_web_server_pod_spec(readiness: Option<Probe>, liveness: Option<Probe>, name: &str, port: u16) -> (String, String) {
    let ports = [port];
    let c = Container { ports: &ports, readiness, liveness, ..container(name, TEST_WEBSERVER) };
    (pod_yaml("test-webserver", &[], &[c], None), name.into())
}

/// `testWebServerSidecarPodSpec`.
fn test_web_server_sidecar_pod_spec(readiness: Option<Probe>, liveness: Option<Probe>, name: &str, port: u16) -> (String, String) {
    let ports = [port];
    let c = Container { ports: &ports, readiness, liveness, sidecar: true, ..container(name, TEST_WEBSERVER) };
    (pod_yaml("test-webserver-sidecar", &[c], &[main_pause()], None), name.into())
}

/// `busyBoxPodSpec`.
fn busy_box_pod_spec(readiness: Option<Probe>, liveness: Option<Probe>, cmd: &[&str], grace: Option<i64>) -> (String, String) {
    let c = Container { command: Some(cmd), readiness, liveness, ..container("busybox", BUSYBOX) };
    (pod_yaml("busybox", &[], &[c], grace), "busybox".into())
}

/// `busyBoxSidecarPodSpec`.
fn busy_box_sidecar_pod_spec(readiness: Option<Probe>, liveness: Option<Probe>, cmd: &[&str], grace: Option<i64>) -> (String, String) {
    busy_box_sidecar_pod_spec_with_startup(readiness, liveness, None, cmd, grace)
}

fn busy_box_sidecar_pod_spec_with_startup(
    readiness: Option<Probe>,
    liveness: Option<Probe>,
    startup: Option<Probe>,
    cmd: &[&str],
    grace: Option<i64>,
) -> (String, String) {
    let c = Container { command: Some(cmd), readiness, liveness, startup, sidecar: true, ..container("busybox", BUSYBOX) };
    (pod_yaml("busybox-sidecar", &[c], &[main_pause()], grace), "busybox".into())
}

/// `livenessPodSpec`: `e2epod.NewAgnhostPod(..., "liveness")`, its container `agnhost-container`.
fn liveness_pod_spec(readiness: Option<Probe>, liveness: Option<Probe>) -> (String, String) {
    let c = Container { args: Some(&["liveness"]), readiness, liveness, ..container("agnhost-container", AGNHOST) };
    (pod_yaml("liveness", &[], &[c], None), "agnhost-container".into())
}

/// `livenessSidecarPodSpec`.
fn liveness_sidecar_pod_spec(readiness: Option<Probe>, liveness: Option<Probe>) -> (String, String) {
    let c = Container { args: Some(&["liveness"]), readiness, liveness, sidecar: true, ..container("sidecar", AGNHOST) };
    (pod_yaml("test-liveness-sidecar", &[c], &[main_pause()], None), "sidecar".into())
}

/// `startupPodSpec`.
fn startup_pod_spec(startup: Option<Probe>, readiness: Option<Probe>, liveness: Option<Probe>, cmd: &[&str]) -> (String, String) {
    let c = Container { command: Some(cmd), readiness, liveness, startup, ..container("busybox", BUSYBOX) };
    (pod_yaml("startup", &[], &[c], None), "busybox".into())
}

/// `startupSidecarPodSpec`.
fn startup_sidecar_pod_spec(startup: Option<Probe>, readiness: Option<Probe>, liveness: Option<Probe>, cmd: &[&str]) -> (String, String) {
    let c = Container { command: Some(cmd), readiness, liveness, startup, sidecar: true, ..container("sidecar", BUSYBOX) };
    (pod_yaml("startup-sidecar", &[c], &[main_pause()], None), "sidecar".into())
}

/// `gRPCServerPodSpec`: agnhost `grpc-health-checking`, gRPC on 5000 and HTTP on 8080.
fn grpc_server_pod_spec(readiness: Option<Probe>, liveness: Option<Probe>, name: &str) -> (String, String) {
    let c = Container {
        command: Some(&["/agnhost", "grpc-health-checking"]),
        ports: &[5000, 8080],
        readiness,
        liveness,
        ..container(name, AGNHOST)
    };
    (pod_yaml("test-grpc", &[], &[c], None), name.into())
}

/// `gRPCServerSidecarPodSpec`.
fn grpc_server_sidecar_pod_spec(readiness: Option<Probe>, liveness: Option<Probe>, name: &str) -> (String, String) {
    let c = Container {
        command: Some(&["/agnhost", "grpc-health-checking"]),
        ports: &[5000, 8080],
        readiness,
        liveness,
        sidecar: true,
        ..container(name, AGNHOST)
    };
    (pod_yaml("test-grpc-sidecar", &[c], &[main_pause()], None), name.into())
}

/// The liveness probe of `should *not* be restarted with a GRPC liveness probe`.
fn grpc_probe_serving() -> Probe {
    probe(Handler::Grpc(5000)).delay(PROBE_TEST_INITIAL_DELAY_SECONDS).timeout(5).failure(1)
}

/// The liveness probe of `should be restarted with a GRPC liveness probe`: "this port is wrong".
fn grpc_probe_wrong_port() -> Probe {
    probe(Handler::Grpc(2333)).delay(PROBE_TEST_INITIAL_DELAY_SECONDS * 4).timeout(5).failure(1)
}

/// The Unhealthy event the wrong port's probe leaves: the kubelet's gRPC prober timing out on
/// a port nothing listens on.
fn assert_grpc_connect_failure_event(s: &Session, pod_name: &str) {
    let ip = s.engine().pods().next().and_then(|p| p.status.pod_ip.clone()).expect("the pod has an IP");
    let want = format!("Liveness probe failed: timeout: failed to connect service \"{ip}:2333\" within 5s: context deadline exceeded");
    let seen = s.engine().events().iter().any(|e| e.involved_object.name == pod_name && e.reason == "Unhealthy" && e.message == want);
    assert!(seen, "an Unhealthy event of pod {pod_name} says {want:?}");
}

fn the_pod(s: &Session) -> &Pod {
    s.engine().pods().next().expect("the pod exists")
}

/// `podutil.GetExistingContainerStatus(append(InitContainerStatuses, ContainerStatuses...), name)`.
fn container_status<'a>(p: &'a Pod, name: &str) -> Option<&'a ContainerStatus> {
    p.status.init_container_statuses.iter().chain(&p.status.container_statuses).find(|c| c.name == name)
}

/// `getRestartCount`.
fn get_restart_count(p: &Pod) -> i32 {
    p.status.init_container_statuses.iter().chain(&p.status.container_statuses).map(|c| c.restart_count).sum()
}

/// Polls every `POLL` (`framework.Poll`, and the 2-second sleep of `runLivenessTest`'s loop)
/// from now for at most `timeout` until `done`; whether it was.
fn poll_until(s: &mut Session, timeout: Millis, mut done: impl FnMut(&Session) -> bool) -> bool {
    e2e_support::poll_until(s, timeout, POLL, |s| done(s))
}

/// `e2epod.WaitTimeoutForPodReadyInNamespace`.
fn wait_for_pod_ready(s: &mut Session, timeout: Millis) {
    assert!(poll_until(s, timeout, |s| pod_running_ready(the_pod(s))), "the pod is ready within {timeout} ms: {:?}", the_pod(s).status);
}

/// `runLivenessTest`.
fn run_liveness_test((text, container_name): (String, String), expect_num_restarts: i32, timeout: Millis) -> Session {
    let mut s = create(&text);
    // "container not waiting"
    let started = poll_until(&mut s, timeout, |s| {
        container_status(the_pod(s), &container_name).is_some_and(|c| c.state.running.is_some() || c.state.terminated.is_some())
    });
    assert!(started, "container {container_name} is never running or terminated");
    let initial_restart_count = container_status(the_pod(&s), &container_name).expect("its status").restart_count;
    let deadline = s.now() + timeout + initial_restart_count as Millis * 10 * SECOND;
    let mut last_restart_count = initial_restart_count;
    let mut observed_restarts = 0;
    let mut t = s.now();
    while t < deadline {
        s.seek(t);
        let restart_count = container_status(the_pod(&s), &container_name).expect("its status").restart_count;
        assert!(
            restart_count >= last_restart_count,
            "Restart count should increment monotonically: changed from {last_restart_count} to {restart_count}"
        );
        observed_restarts = restart_count - initial_restart_count;
        if expect_num_restarts > 0 && observed_restarts >= expect_num_restarts {
            break;
        }
        last_restart_count = restart_count;
        t += POLL;
    }
    let failed =
        (expect_num_restarts == 0 && observed_restarts > 0) || (expect_num_restarts > 0 && observed_restarts < expect_num_restarts);
    assert!(
        !failed,
        "expected number of restarts: {expect_num_restarts}, found restarts: {observed_restarts}. Pod status: {:?}",
        the_pod(&s).status
    );
    s
}

/// `runReadinessFailTest`. Upstream polls the pod object it created (never re-read, so never
/// ready); here the pod is read at each poll, which is what the loop means to check.
fn run_readiness_fail_test((text, _): (String, String), not_ready_until: Millis, wait_for_not_pending: bool) {
    let mut s = create(&text);
    if wait_for_not_pending {
        // e2epod.WaitForPodNotPending: framework.PodStartTimeout.
        assert!(poll_until(&mut s, POD_START_TIMEOUT, |s| the_pod(s).status.phase != "Pending"), "the pod leaves Pending");
    }
    let deadline = s.now() + not_ready_until;
    let mut t = s.now();
    while t < deadline {
        s.seek(t);
        assert!(!is_pod_ready(the_pod(&s)), "expected to be not ready at {t} ms");
        t += POLL;
    }
}

/// `webserverProbeBuilder{}.withInitialDelay().build()`.
fn webserver_probe_with_initial_delay() -> Probe {
    probe(Handler::HttpGet("/", 80)).delay(PROBE_TEST_INITIAL_DELAY_SECONDS)
}

/// `webserverProbeBuilder{}.withFailing().build()`.
fn webserver_probe_failing() -> Probe {
    probe(Handler::HttpGet("/", 81))
}

/// `GetContainerStartedTime`.
fn get_container_started_time(p: &Pod, name: &str) -> Millis {
    container_status(p, name).and_then(|c| c.state.running.as_ref()).expect("container is running").started_at
}

/// `GetTransitionTimeForReadyCondition`.
fn get_transition_time_for_ready_condition(p: &Pod) -> Millis {
    p.status.condition("Ready").expect("a ready condition").last_transition_time
}

/// The body of both `with readiness probe should not be ready before initial delay and never
/// restart` tests.
fn readiness_not_ready_before_initial_delay(spec: (String, String)) {
    let (text, container_name) = spec;
    let mut s = create(&text);
    wait_for_pod_ready(&mut s, POD_START_TIMEOUT);
    let p = the_pod(&s);
    assert!(pod_running_ready(p), "pod should be ready");
    let ready_time = get_transition_time_for_ready_condition(p);
    let started_time = get_container_started_time(p, &container_name);
    let initial_delay = PROBE_TEST_INITIAL_DELAY_SECONDS as Millis * SECOND;
    assert!(
        ready_time.saturating_sub(started_time) >= initial_delay,
        "Pod became ready before it's {initial_delay} ms initial delay (started {started_time}, ready {ready_time})"
    );
    let restart_count = get_restart_count(p);
    assert_eq!(restart_count, 0, "pod should have a restart count of 0 but got {restart_count}");
}

/// The body of both `with readiness probe that fails should never be ready and never restart`.
fn readiness_fails_never_ready((text, _): (String, String)) {
    let mut s = create(&text);
    // gomega.Consistently(..., 1*time.Minute, 1*time.Second).ShouldNot(BeTrue())
    let start = s.now();
    let mut t = start;
    while t <= start + MINUTE {
        s.seek(t);
        assert!(!is_pod_ready(the_pod(&s)), "pod should not be ready at {t} ms");
        t += SECOND;
    }
    let p = the_pod(&s);
    assert!(!pod_running_ready(p), "pod should be not ready");
    let restart_count = get_restart_count(p);
    assert_eq!(restart_count, 0, "pod should have a restart count of 0 but got {restart_count}");
}

/// The body of both `should be ready immediately after startupProbe succeeds`.
fn ready_immediately_after_startup_probe(spec: (String, String)) {
    let (text, _) = spec;
    let mut s = create(&text);
    // e2epod.WaitForPodContainerStarted(..., 0, framework.PodStartTimeout): ContainerStatuses[0].
    let started =
        poll_until(&mut s, POD_START_TIMEOUT, |s| the_pod(s).status.container_statuses.first().is_some_and(|c| c.started == Some(true)));
    assert!(started, "container 0 is started: {:?}", the_pod(&s).status);
    let started_time = s.now();
    wait_for_pod_ready(&mut s, POD_START_TIMEOUT);
    let ready_time = s.now();
    assert!(pod_running_ready(the_pod(&s)), "pod should be ready");
    let ready_in = ready_time.checked_sub(started_time).expect("Pod became ready before startupProbe succeeded");
    assert!(
        ready_in <= 25 * SECOND,
        "Pod became ready in {ready_in} ms, more than 25s after startupProbe succeeded. It means that the delay readiness probes were not initiated immediately after startup finished."
    );
}

const TERM_READY_SCRIPT: &str = "\n_term() {\n\trm -f /tmp/ready\n\tsleep 30\n\texit 0\n}\ntrap _term SIGTERM\n\ntouch /tmp/ready\n\nwhile true; do\n  echo \\\"hello\\\"\n  sleep 10\ndone\n\t\t\t";
const TERM_READY_LIVENESS_SCRIPT: &str = "\n_term() {\n\trm -f /tmp/ready\n\trm -f /tmp/liveness\n\tsleep 20\n\texit 0\n}\ntrap _term SIGTERM\n\ntouch /tmp/ready\ntouch /tmp/liveness\n\nwhile true; do\n  echo \\\"hello\\\"\n  sleep 10\ndone\n";

const POD_NAME: &str = "probe-test";

fn termination_readiness_probe() -> Probe {
    probe(Handler::Exec(&["cat", "/tmp/ready"])).failure(1).delay(5).period(2)
}

fn termination_liveness_probe() -> Probe {
    probe(Handler::Exec(&["cat", "/tmp/liveness"])).failure(1).delay(5).period(1)
}

/// The pod of the termination tests: the script's container, or (`sidecar`) the script as a
/// restartable init container beside agnhost `pause`.
fn termination_pod(script: &str, liveness: Option<Probe>, sidecar: bool) -> String {
    let args = ["-c", script];
    let c = Container {
        command: Some(&["/bin/bash"]),
        args: Some(&args),
        readiness: Some(termination_readiness_probe()),
        liveness,
        sidecar,
        ..container(POD_NAME, AGNHOST)
    };
    if sidecar {
        pod_yaml(POD_NAME, &[c], &[main_pause()], Some(30))
    } else {
        pod_yaml(POD_NAME, &[], &[c], Some(30))
    }
}

/// Creates the pod, waits for it to run ready, deletes it and waits (`waitForPodStatusByInformer`)
/// until it is seen not ready.
fn delete_and_wait_not_ready(text: &str) -> Session {
    let mut s = create(text);
    // e2epod.WaitForPodsRunningReady(ctx, c, ns, 1, f.Timeouts.PodStart)
    wait_for_pod_ready(&mut s, POD_START_TIMEOUT);
    let out = s.kubectl(&["delete".to_string(), "pod".into(), POD_NAME.into(), "--wait=false".into()]);
    assert!(out.stdout.contains("deleted"), "delete: {out:?}");
    let start = s.now();
    let mut t = start;
    let mut unready = false;
    while t <= start + POD_DELETE_TIMEOUT {
        s.seek(t);
        match s.engine().pods().find(|p| p.metadata.name == POD_NAME) {
            Some(p) if !is_pod_ready(p) => {
                unready = true;
                break;
            }
            Some(_) => {}
            None => panic!("the pod was removed while still ready"),
        }
        t += SECOND;
    }
    assert!(unready, "the pod is seen not ready while it terminates");
    s
}

/// `Consistently(..., 1*time.Minute, framework.Poll)`: no event about the pod says "failed
/// liveness probe".
fn assert_no_liveness_failures(s: &mut Session) {
    let start = s.now();
    let mut t = start;
    while t <= start + MINUTE {
        s.seek(t);
        for e in s.engine().events() {
            if e.involved_object.name == POD_NAME {
                assert!(!e.message.contains("failed liveness probe"), "should not see liveness probe failures: {}", e.message);
            }
        }
        t += POLL;
    }
}

/// `framework.PodEventTimeout`.
const POD_EVENT_TIMEOUT: Millis = 2 * MINUTE;

/// The non-local redirect tests' check: `e2eevents.WaitTimeoutForEvent` for an event of the pod
/// (`involvedObject.kind=Pod`, its name, `reason=ProbeWarning`) whose message contains the
/// prober's warning, within `framework.PodEventTimeout`.
fn wait_for_probe_warning(s: &mut Session, pod_name: &str) {
    let want = "Probe terminated redirects, Response body: <a href=\"http://0.0.0.0/\">Found</a>.";
    let seen = poll_until(s, POD_EVENT_TIMEOUT, |s| {
        s.engine().events().iter().any(|e| {
            e.involved_object.kind == "Pod" && e.involved_object.name == pod_name && e.reason == "ProbeWarning" && e.message.contains(want)
        })
    });
    assert!(seen, "a ProbeWarning event of pod {pod_name} says {want:?}");
}

mod probing_container {
    use super::*;

    /// `with readiness probe should not be ready before initial delay and never restart`
    #[test]
    fn with_readiness_probe_should_not_be_ready_before_initial_delay_and_never_restart() {
        readiness_not_ready_before_initial_delay(test_web_server_pod_spec(
            Some(webserver_probe_with_initial_delay()),
            None,
            "test-webserver",
            80,
        ));
    }

    /// `with readiness probe that fails should never be ready and never restart`
    #[test]
    fn with_readiness_probe_that_fails_should_never_be_ready_and_never_restart() {
        readiness_fails_never_ready(test_web_server_pod_spec(Some(webserver_probe_failing()), None, "test-webserver", 80));
    }

    /// `should be restarted with a exec "cat /tmp/health" liveness probe`
    #[test]
    fn should_be_restarted_with_a_exec_cat_tmp_health_liveness_probe() {
        let cmd = ["/bin/sh", "-c", "echo ok >/tmp/health; sleep 10; rm -rf /tmp/health; sleep 600"];
        let liveness = probe(Handler::Exec(&["cat", "/tmp/health"])).delay(15).timeout(5).failure(1);
        run_liveness_test(busy_box_pod_spec(None, Some(liveness), &cmd, None), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should *not* be restarted with a exec "cat /tmp/health" liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_exec_cat_tmp_health_liveness_probe() {
        let cmd = ["/bin/sh", "-c", "echo ok >/tmp/health; sleep 600"];
        let liveness = probe(Handler::Exec(&["cat", "/tmp/health"])).delay(15).timeout(5).failure(1);
        run_liveness_test(busy_box_pod_spec(None, Some(liveness), &cmd, None), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted with a /healthz http liveness probe`
    #[test]
    fn should_be_restarted_with_a_healthz_http_liveness_probe() {
        let liveness = probe(Handler::HttpGet("/healthz", 8080)).delay(15).failure(1);
        run_liveness_test(liveness_pod_spec(None, Some(liveness)), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted with a local redirect http liveness probe`
    #[test]
    fn should_be_restarted_with_a_local_redirect_http_liveness_probe() {
        let liveness = probe(Handler::HttpGet("/redirect?loc=%2Fhealthz", 8080)).delay(15).failure(1);
        run_liveness_test(liveness_pod_spec(None, Some(liveness)), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should *not* be restarted with a non-local redirect http liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_non_local_redirect_http_liveness_probe() {
        let liveness = probe(Handler::HttpGet("/redirect?loc=http%3A%2F%2F0.0.0.0%2F", 8080)).delay(15).failure(1);
        let (text, container) = liveness_pod_spec(None, Some(liveness));
        let mut s = run_liveness_test((text, container), 0, DEFAULT_OBSERVATION_TIMEOUT);
        wait_for_probe_warning(&mut s, "liveness");
    }

    /// `should *not* be restarted with a tcp:8080 liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_tcp_8080_liveness_probe() {
        let liveness = probe(Handler::TcpSocket(8080)).delay(15).failure(1);
        run_liveness_test(liveness_pod_spec(None, Some(liveness)), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should have monotonically increasing restart count`
    #[test]
    fn should_have_monotonically_increasing_restart_count() {
        let liveness = probe(Handler::HttpGet("/healthz", 8080)).delay(5).failure(1);
        run_liveness_test(liveness_pod_spec(None, Some(liveness)), 5, 2 * MINUTE + DEFAULT_OBSERVATION_TIMEOUT + 4 * 2 * MINUTE);
    }

    /// `should *not* be restarted with a /healthz http liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_healthz_http_liveness_probe() {
        let liveness = probe(Handler::HttpGet("/", 80)).delay(15).timeout(5).failure(5);
        run_liveness_test(test_web_server_pod_spec(None, Some(liveness), "test-webserver", 80), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted with an exec liveness probe with timeout [MinimumKubeletVersion:1.20]`
    #[test]
    fn should_be_restarted_with_an_exec_liveness_probe_with_timeout() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/sh", "-c", "sleep 10"])).delay(15).timeout(1).failure(1);
        run_liveness_test(busy_box_pod_spec(None, Some(liveness), &cmd, None), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should not be ready with an exec readiness probe timeout [MinimumKubeletVersion:1.20]`
    #[test]
    fn should_not_be_ready_with_an_exec_readiness_probe_timeout() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let readiness = probe(Handler::Exec(&["/bin/sh", "-c", "sleep 10"])).delay(15).timeout(1).failure(1);
        run_readiness_fail_test(busy_box_pod_spec(Some(readiness), None, &cmd, None), MINUTE, true);
    }

    /// `should be restarted with a failing exec liveness probe that took longer than the timeout`
    #[test]
    fn should_be_restarted_with_a_failing_exec_liveness_probe_that_took_longer_than_the_timeout() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/sh", "-c", "sleep 10 & exit 1"])).delay(15).timeout(1).failure(1);
        run_liveness_test(busy_box_pod_spec(None, Some(liveness), &cmd, None), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted startup probe fails`
    #[test]
    fn should_be_restarted_startup_probe_fails() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/true"])).delay(15).failure(1);
        let startup = probe(Handler::Exec(&["/bin/false"])).delay(15).failure(3);
        run_liveness_test(startup_pod_spec(Some(startup), None, Some(liveness), &cmd), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should *not* be restarted by liveness probe because startup probe delays it`
    #[test]
    fn should_not_be_restarted_by_liveness_probe_because_startup_probe_delays_it() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/false"])).delay(15).failure(1);
        let startup = probe(Handler::Exec(&["/bin/false"])).delay(15).failure(60);
        run_liveness_test(startup_pod_spec(Some(startup), None, Some(liveness), &cmd), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted by liveness probe after startup probe enables it`
    #[test]
    fn should_be_restarted_by_liveness_probe_after_startup_probe_enables_it() {
        let cmd = ["/bin/sh", "-c", "sleep 10; echo ok >/tmp/startup; sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/false"])).delay(15).failure(1);
        let startup = probe(Handler::Exec(&["cat", "/tmp/startup"])).delay(15).failure(60);
        run_liveness_test(startup_pod_spec(Some(startup), None, Some(liveness), &cmd), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be ready immediately after startupProbe succeeds`
    #[test]
    fn should_be_ready_immediately_after_startup_probe_succeeds() {
        let cmd = ["/bin/sh", "-c", "echo ok >/tmp/health; sleep 32; echo ok >/tmp/startup; sleep 600"];
        let readiness = probe(Handler::Exec(&["/bin/cat", "/tmp/health"])).delay(0).period(30);
        let startup = probe(Handler::Exec(&["/bin/cat", "/tmp/startup"])).delay(0).failure(120).period(5);
        ready_immediately_after_startup_probe(startup_pod_spec(Some(startup), Some(readiness), None, &cmd));
    }

    /// `should override timeoutGracePeriodSeconds when LivenessProbe field is set`
    #[test]
    fn should_override_timeout_grace_period_seconds_when_liveness_probe_field_is_set() {
        let cmd = ["/bin/sh", "-c", "sleep 1000"];
        let liveness = probe(Handler::HttpGet("/healthz", 8080)).delay(10).failure(1).grace(5);
        run_liveness_test(busy_box_pod_spec(None, Some(liveness), &cmd, Some(500)), 1, 40 * SECOND + DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should override timeoutGracePeriodSeconds when StartupProbe field is set`
    #[test]
    fn should_override_timeout_grace_period_seconds_when_startup_probe_field_is_set() {
        let cmd = ["/bin/sh", "-c", "sleep 1000"];
        let liveness = probe(Handler::Exec(&["/bin/true"])).delay(15).failure(1);
        let startup = probe(Handler::Exec(&["/bin/cat", "/tmp/startup"])).delay(10).failure(1).grace(5);
        let c = Container { command: Some(&cmd), liveness: Some(liveness), startup: Some(startup), ..container("busybox", BUSYBOX) };
        let spec = (pod_yaml("busybox", &[], &[c], Some(500)), "busybox".to_string());
        run_liveness_test(spec, 1, 40 * SECOND + DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should mark readiness on pods to false while pod is in progress of terminating when a pod
    /// `should *not* be restarted with a GRPC liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_grpc_liveness_probe() {
        run_liveness_test(grpc_server_pod_spec(None, Some(grpc_probe_serving()), "agnhost"), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted with a GRPC liveness probe`
    #[test]
    fn should_be_restarted_with_a_grpc_liveness_probe() {
        let s = run_liveness_test(grpc_server_pod_spec(None, Some(grpc_probe_wrong_port()), "agnhost"), 1, DEFAULT_OBSERVATION_TIMEOUT);
        assert_grpc_connect_failure_event(&s, "test-grpc");
    }

    /// has a readiness probe`
    #[test]
    fn should_mark_readiness_on_pods_to_false_while_pod_is_in_progress_of_terminating_when_a_pod_has_a_readiness_probe() {
        delete_and_wait_not_ready(&termination_pod(TERM_READY_SCRIPT, None, false));
    }

    /// `should mark readiness on pods to false and disable liveness probes while pod is in
    /// progress of terminating`
    #[test]
    fn should_mark_readiness_on_pods_to_false_and_disable_liveness_probes_while_pod_is_in_progress_of_terminating() {
        let mut s = delete_and_wait_not_ready(&termination_pod(TERM_READY_LIVENESS_SCRIPT, Some(termination_liveness_probe()), false));
        assert_no_liveness_failures(&mut s);
    }
}

mod probing_restartable_init_container {
    use super::*;

    /// `with readiness probe should not be ready before initial delay and never restart`
    #[test]
    fn with_readiness_probe_should_not_be_ready_before_initial_delay_and_never_restart() {
        readiness_not_ready_before_initial_delay(test_web_server_sidecar_pod_spec(
            Some(webserver_probe_with_initial_delay()),
            None,
            "test-webserver",
            80,
        ));
    }

    /// `with readiness probe that fails should never be ready and never restart`
    #[test]
    fn with_readiness_probe_that_fails_should_never_be_ready_and_never_restart() {
        readiness_fails_never_ready(test_web_server_sidecar_pod_spec(Some(webserver_probe_failing()), None, "test-webserver", 80));
    }

    /// `should be restarted with a exec "cat /tmp/health" liveness probe`
    #[test]
    fn should_be_restarted_with_a_exec_cat_tmp_health_liveness_probe() {
        let cmd = ["/bin/sh", "-c", "echo ok >/tmp/health; sleep 10; rm -rf /tmp/health; sleep 600"];
        let liveness = probe(Handler::Exec(&["cat", "/tmp/health"])).delay(15).timeout(5).failure(1);
        run_liveness_test(busy_box_sidecar_pod_spec(None, Some(liveness), &cmd, None), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should *not* be restarted with a exec "cat /tmp/health" liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_exec_cat_tmp_health_liveness_probe() {
        let cmd = ["/bin/sh", "-c", "echo ok >/tmp/health; sleep 600"];
        let liveness = probe(Handler::Exec(&["cat", "/tmp/health"])).delay(15).timeout(5).failure(1);
        run_liveness_test(busy_box_sidecar_pod_spec(None, Some(liveness), &cmd, None), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted with a /healthz http liveness probe`
    #[test]
    fn should_be_restarted_with_a_healthz_http_liveness_probe() {
        let liveness = probe(Handler::HttpGet("/healthz", 8080)).delay(15).timeout(5).failure(1);
        run_liveness_test(liveness_sidecar_pod_spec(None, Some(liveness)), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted with a local redirect http liveness probe`
    #[test]
    fn should_be_restarted_with_a_local_redirect_http_liveness_probe() {
        let liveness = probe(Handler::HttpGet("/redirect?loc=%2Fhealthz", 8080)).delay(15).failure(1);
        run_liveness_test(liveness_sidecar_pod_spec(None, Some(liveness)), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should *not* be restarted with a non-local redirect http liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_non_local_redirect_http_liveness_probe() {
        let liveness = probe(Handler::HttpGet("/redirect?loc=http%3A%2F%2F0.0.0.0%2F", 8080)).delay(15).failure(1);
        let (text, container) = liveness_sidecar_pod_spec(None, Some(liveness));
        let mut s = run_liveness_test((text, container), 0, DEFAULT_OBSERVATION_TIMEOUT);
        wait_for_probe_warning(&mut s, "test-liveness-sidecar");
    }

    /// `should *not* be restarted with a tcp:8080 liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_tcp_8080_liveness_probe() {
        let liveness = probe(Handler::TcpSocket(8080)).delay(15).timeout(5).failure(1);
        run_liveness_test(liveness_sidecar_pod_spec(None, Some(liveness)), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should have monotonically increasing restart count`
    #[test]
    fn should_have_monotonically_increasing_restart_count() {
        let liveness = probe(Handler::HttpGet("/healthz", 8080)).delay(5).failure(1);
        run_liveness_test(liveness_sidecar_pod_spec(None, Some(liveness)), 5, 2 * MINUTE + DEFAULT_OBSERVATION_TIMEOUT + 4 * 2 * MINUTE);
    }

    /// `should *not* be restarted with a /healthz http liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_healthz_http_liveness_probe() {
        let liveness = probe(Handler::HttpGet("/", 80)).delay(15).timeout(5).failure(5);
        run_liveness_test(test_web_server_sidecar_pod_spec(None, Some(liveness), "test-webserver", 80), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted with an exec liveness probe with timeout [MinimumKubeletVersion:1.20]`
    #[test]
    fn should_be_restarted_with_an_exec_liveness_probe_with_timeout() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/sh", "-c", "sleep 10"])).delay(15).timeout(1).failure(1);
        run_liveness_test(busy_box_sidecar_pod_spec(None, Some(liveness), &cmd, None), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should not be ready with an exec readiness probe timeout [MinimumKubeletVersion:1.20]`
    #[test]
    fn should_not_be_ready_with_an_exec_readiness_probe_timeout() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let readiness = probe(Handler::Exec(&["/bin/sh", "-c", "sleep 10"])).delay(15).timeout(1).failure(1);
        run_readiness_fail_test(busy_box_sidecar_pod_spec(Some(readiness), None, &cmd, None), MINUTE, false);
    }

    /// `should be restarted with a failing exec liveness probe that took longer than the timeout`
    #[test]
    fn should_be_restarted_with_a_failing_exec_liveness_probe_that_took_longer_than_the_timeout() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/sh", "-c", "sleep 10 & exit 1"])).delay(15).timeout(1).failure(1);
        run_liveness_test(busy_box_sidecar_pod_spec(None, Some(liveness), &cmd, None), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted startup probe fails`
    #[test]
    fn should_be_restarted_startup_probe_fails() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/true"])).delay(15).failure(1);
        let startup = probe(Handler::Exec(&["/bin/false"])).delay(15).failure(3);
        run_liveness_test(startup_sidecar_pod_spec(Some(startup), None, Some(liveness), &cmd), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should *not* be restarted by liveness probe because startup probe delays it`
    #[test]
    fn should_not_be_restarted_by_liveness_probe_because_startup_probe_delays_it() {
        let cmd = ["/bin/sh", "-c", "sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/false"])).delay(15).failure(1);
        let startup = probe(Handler::Exec(&["/bin/false"])).delay(15).failure(60);
        run_liveness_test(startup_sidecar_pod_spec(Some(startup), None, Some(liveness), &cmd), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted by liveness probe after startup probe enables it`
    #[test]
    fn should_be_restarted_by_liveness_probe_after_startup_probe_enables_it() {
        let cmd = ["/bin/sh", "-c", "sleep 10; echo ok >/tmp/startup; sleep 600"];
        let liveness = probe(Handler::Exec(&["/bin/false"])).delay(15).failure(1);
        let startup = probe(Handler::Exec(&["cat", "/tmp/startup"])).delay(15).failure(60);
        run_liveness_test(startup_sidecar_pod_spec(Some(startup), None, Some(liveness), &cmd), 1, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be ready immediately after startupProbe succeeds`
    #[test]
    fn should_be_ready_immediately_after_startup_probe_succeeds() {
        let cmd = ["/bin/sh", "-c", "echo ok >/tmp/health; sleep 32; echo ok >/tmp/startup; sleep 600"];
        let readiness = probe(Handler::Exec(&["/bin/cat", "/tmp/health"])).delay(0).period(30);
        let startup = probe(Handler::Exec(&["/bin/cat", "/tmp/startup"])).delay(0).failure(120).period(5);
        ready_immediately_after_startup_probe(startup_sidecar_pod_spec(Some(startup), Some(readiness), None, &cmd));
    }

    /// `should override timeoutGracePeriodSeconds when LivenessProbe field is set`
    #[test]
    fn should_override_timeout_grace_period_seconds_when_liveness_probe_field_is_set() {
        let cmd = ["/bin/sh", "-c", "sleep 1000"];
        let liveness = probe(Handler::HttpGet("/healthz", 8080)).delay(10).failure(1).grace(5);
        run_liveness_test(busy_box_sidecar_pod_spec(None, Some(liveness), &cmd, Some(500)), 1, 40 * SECOND + DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should override timeoutGracePeriodSeconds when StartupProbe field is set`
    #[test]
    fn should_override_timeout_grace_period_seconds_when_startup_probe_field_is_set() {
        let cmd = ["/bin/sh", "-c", "sleep 1000"];
        let liveness = probe(Handler::Exec(&["/bin/true"])).delay(15).failure(1);
        let startup = probe(Handler::Exec(&["/bin/cat", "/tmp/startup"])).delay(10).failure(1).grace(5);
        run_liveness_test(
            busy_box_sidecar_pod_spec_with_startup(None, Some(liveness), Some(startup), &cmd, Some(500)),
            1,
            40 * SECOND + DEFAULT_OBSERVATION_TIMEOUT,
        );
    }

    /// `should mark readiness on pods to false while pod is in progress of terminating when a pod
    /// `should *not* be restarted with a GRPC liveness probe`
    #[test]
    fn should_not_be_restarted_with_a_grpc_liveness_probe() {
        run_liveness_test(grpc_server_sidecar_pod_spec(None, Some(grpc_probe_serving()), "agnhost"), 0, DEFAULT_OBSERVATION_TIMEOUT);
    }

    /// `should be restarted with a GRPC liveness probe`
    #[test]
    fn should_be_restarted_with_a_grpc_liveness_probe() {
        let spec = grpc_server_sidecar_pod_spec(None, Some(grpc_probe_wrong_port()), "agnhost");
        let s = run_liveness_test(spec, 1, DEFAULT_OBSERVATION_TIMEOUT);
        assert_grpc_connect_failure_event(&s, "test-grpc-sidecar");
    }

    /// has a readiness probe`
    #[test]
    fn should_mark_readiness_on_pods_to_false_while_pod_is_in_progress_of_terminating_when_a_pod_has_a_readiness_probe() {
        delete_and_wait_not_ready(&termination_pod(TERM_READY_SCRIPT, None, true));
    }

    /// `should mark readiness on pods to false and disable liveness probes while pod is in
    /// progress of terminating`
    #[test]
    fn should_mark_readiness_on_pods_to_false_and_disable_liveness_probes_while_pod_is_in_progress_of_terminating() {
        let mut s = delete_and_wait_not_ready(&termination_pod(TERM_READY_LIVENESS_SCRIPT, Some(termination_liveness_probe()), true));
        assert_no_liveness_failures(&mut s);
    }
}
