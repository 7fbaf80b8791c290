//! Kubernetes' own unit-test expectations, rewritten as data tables and checked against podplay.
//! Each table names the Go test it comes from; cases are kept in upstream order, and a case that
//! was left out is listed with the reason next to its table.

mod get_phase {
    use crate::engine::status::get_phase;
    use crate::model::pod::{Container, ContainerState, ContainerStatus, PodSpec, StateRunning, StateTerminated, StateWaiting};

    /// The status helpers of `pkg/kubelet/kubelet_pods_test.go`, by name.
    fn status(name: &str, kind: &str) -> ContainerStatus {
        let mut s = ContainerStatus { name: name.into(), ..Default::default() };
        let term = |exit_code| Some(StateTerminated { exit_code, ..Default::default() });
        match kind {
            "running" => s.state.running = Some(StateRunning::default()),
            "started" => {
                s.state.running = Some(StateRunning::default());
                s.started = Some(true);
            }
            // stoppedState and succeededState are both a zero terminated state.
            "stopped" | "succeeded" => s.state.terminated = term(0),
            "failed" => s.state.terminated = term(-1),
            "waiting" => s.state.waiting = Some(StateWaiting::default()),
            "waitingLast0" => {
                s.state.waiting = Some(StateWaiting::default());
                s.last_state = ContainerState { terminated: term(0), ..Default::default() };
            }
            "waitingLastNonZero" => {
                s.state.waiting = Some(StateWaiting::default());
                s.last_state = ContainerState { terminated: term(-1), ..Default::default() };
            }
            other => panic!("unknown state helper {other}"),
        }
        s
    }

    fn container(name: &str, sidecar: bool) -> Container {
        Container { name: name.into(), restart_policy: sidecar.then(|| "Always".to_string()), ..Default::default() }
    }

    /// `inits`: (name, restartable); `statuses`: "name=helper" for init and regular containers
    /// alike (upstream passes one list and looks containers up by name).
    fn phase(policy: &str, inits: &[(&str, bool)], mains: &[&str], statuses: &[&str]) -> String {
        let spec = PodSpec {
            init_containers: inits.iter().map(|(n, s)| container(n, *s)).collect(),
            containers: mains.iter().map(|n| container(n, false)).collect(),
            restart_policy: Some(policy.into()),
            ..Default::default()
        };
        let (mut init, mut main) = (Vec::new(), Vec::new());
        for st in statuses {
            let (name, kind) = st.split_once('=').unwrap();
            let s = status(name, kind);
            if inits.iter().any(|(n, _)| *n == name) {
                init.push(s)
            } else {
                main.push(s)
            }
        }
        get_phase(&spec, &init, &main, policy)
    }

    type Case = (&'static str, &'static [&'static str], &'static str);

    fn check(policy: &str, inits: &[(&str, bool)], cases: &[Case]) {
        check_with(policy, inits, &["containerA", "containerB"], cases)
    }

    fn check_with(policy: &str, inits: &[(&str, bool)], mains: &[&str], cases: &[Case]) {
        let mut failures = Vec::new();
        for (name, statuses, want) in cases {
            let got = phase(policy, inits, mains, statuses);
            if got != *want {
                failures.push(format!("[{name}] want {want}, got {got}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// TestPodPhaseWithRestartAlways: 9 cases; 2 skipped ("... but the pod is terminal":
    /// podIsTerminal=true, which podplay decides outside get_phase — see `terminal_on_delete`).
    #[test]
    fn restart_always() {
        check(
            "Always",
            &[],
            &[
                ("waiting", &[], "Pending"),
                ("all running", &["containerA=running", "containerB=running"], "Running"),
                ("all stopped with restart always", &["containerA=stopped", "containerB=stopped"], "Running"),
                ("mixed state #1 with restart always", &["containerA=running", "containerB=stopped"], "Running"),
                ("mixed state #2 with restart always", &["containerA=running"], "Pending"),
                ("mixed state #3 with restart always", &["containerA=running", "containerB=waiting"], "Pending"),
                ("backoff crashloop container with restart always", &["containerA=running", "containerB=waitingLast0"], "Running"),
            ],
        );
    }

    const INIT_X: &[(&str, bool)] = &[("containerX", false)];
    const SIDECAR_X: &[(&str, bool)] = &[("containerX", true)];

    /// TestPodPhaseWithRestartAlwaysInitContainers: all 7 cases.
    #[test]
    fn restart_always_init_containers() {
        check(
            "Always",
            INIT_X,
            &[
                ("empty, waiting", &[], "Pending"),
                ("init container running", &["containerX=running"], "Pending"),
                ("init container terminated non-zero", &["containerX=failed"], "Pending"),
                ("init container waiting, terminated zero", &["containerX=waitingLast0"], "Pending"),
                ("init container waiting, terminated non-zero", &["containerX=waitingLastNonZero"], "Pending"),
                ("init container waiting, not terminated", &["containerX=waiting"], "Pending"),
                ("init container succeeded", &["containerX=succeeded", "containerA=running", "containerB=running"], "Running"),
            ],
        );
    }

    /// TestPodPhaseWithRestartAlwaysRestartableInitContainers: 14 cases; 3 skipped — the two
    /// "... but the pod is terminal" cases (podIsTerminal) and "re-initializing the pod after
    /// the sandbox is recreated", whose podHasInitialized=false comes from the runtime's view of
    /// the new sandbox (HasAnyActiveRegularContainerStarted, 1.34+); K1.32 derives it from the
    /// statuses (HasAnyRegularContainerStarted), which there say the regular containers run.
    /// In every kept case the given podHasInitialized equals what the statuses imply.
    #[test]
    fn restart_always_restartable_init_containers() {
        check(
            "Always",
            SIDECAR_X,
            &[
                ("empty, waiting", &[], "Pending"),
                ("restartable init container running", &["containerX=running"], "Pending"),
                ("restartable init container stopped", &["containerX=stopped"], "Pending"),
                ("restartable init container waiting, terminated zero", &["containerX=waitingLast0"], "Pending"),
                ("restartable init container waiting, terminated non-zero", &["containerX=waitingLastNonZero"], "Pending"),
                ("restartable init container waiting, not terminated", &["containerX=waiting"], "Pending"),
                (
                    "restartable init container started, 1/2 regular container running",
                    &["containerX=started", "containerA=running"],
                    "Pending",
                ),
                (
                    "restartable init container started, all regular containers running",
                    &["containerX=started", "containerA=running", "containerB=running"],
                    "Running",
                ),
                (
                    "restartable init container running, all regular containers running",
                    &["containerX=running", "containerA=running", "containerB=running"],
                    "Running",
                ),
                (
                    "restartable init container stopped, all regular containers running",
                    &["containerX=stopped", "containerA=running", "containerB=running"],
                    "Running",
                ),
                (
                    "backoff crashloop restartable init container, all regular containers running",
                    &["containerX=waitingLast0", "containerA=running", "containerB=running"],
                    "Running",
                ),
            ],
        );
    }

    /// TestPodPhaseWithRestartNever: all 7 cases.
    #[test]
    fn restart_never() {
        check(
            "Never",
            &[],
            &[
                ("waiting", &[], "Pending"),
                ("all running with restart never", &["containerA=running", "containerB=running"], "Running"),
                ("all succeeded with restart never", &["containerA=succeeded", "containerB=succeeded"], "Succeeded"),
                ("all failed with restart never", &["containerA=failed", "containerB=failed"], "Failed"),
                ("mixed state #1 with restart never", &["containerA=running", "containerB=succeeded"], "Running"),
                ("mixed state #2 with restart never", &["containerA=running"], "Pending"),
                ("mixed state #3 with restart never", &["containerA=running", "containerB=waiting"], "Pending"),
            ],
        );
    }

    /// TestPodPhaseWithRestartNeverInitContainers: all 7 cases.
    #[test]
    fn restart_never_init_containers() {
        check(
            "Never",
            INIT_X,
            &[
                ("empty, waiting", &[], "Pending"),
                ("init container running", &["containerX=running"], "Pending"),
                ("init container terminated non-zero", &["containerX=failed"], "Failed"),
                ("init container waiting, terminated zero", &["containerX=waitingLast0"], "Pending"),
                ("init container waiting, terminated non-zero", &["containerX=waitingLastNonZero"], "Failed"),
                ("init container waiting, not terminated", &["containerX=waiting"], "Pending"),
                ("init container succeeded", &["containerX=succeeded", "containerA=running", "containerB=running"], "Running"),
            ],
        );
    }

    /// TestPodPhaseWithRestartNeverRestartableInitContainers: all 13 cases (each case's
    /// podHasInitialized equals what the statuses imply).
    #[test]
    fn restart_never_restartable_init_containers() {
        check(
            "Never",
            SIDECAR_X,
            &[
                ("empty, waiting", &[], "Pending"),
                ("restartable init container running", &["containerX=running"], "Pending"),
                ("restartable init container stopped", &["containerX=stopped"], "Pending"),
                ("restartable init container waiting, terminated zero", &["containerX=waitingLast0"], "Pending"),
                ("restartable init container waiting, terminated non-zero", &["containerX=waitingLastNonZero"], "Pending"),
                ("restartable init container waiting, not terminated", &["containerX=waiting"], "Pending"),
                (
                    "restartable init container started, one main container running",
                    &["containerX=started", "containerA=running"],
                    "Pending",
                ),
                (
                    "restartable init container started, main containers succeeded",
                    &["containerX=started", "containerA=succeeded", "containerB=succeeded"],
                    "Running",
                ),
                (
                    "restartable init container re-running, main containers succeeded",
                    &["containerX=running", "containerA=succeeded", "containerB=succeeded"],
                    "Running",
                ),
                ("all containers succeeded", &["containerX=succeeded", "containerA=succeeded", "containerB=succeeded"], "Succeeded"),
                (
                    "restartable init container terminated non-zero, main containers succeeded",
                    &["containerX=failed", "containerA=succeeded", "containerB=succeeded"],
                    "Succeeded",
                ),
                (
                    "backoff crashloop restartable init container, main containers succeeded",
                    &["containerX=waitingLast0", "containerA=succeeded", "containerB=succeeded"],
                    "Succeeded",
                ),
                (
                    "backoff crashloop with non-zero restartable init container, main containers succeeded",
                    &["containerX=waitingLastNonZero", "containerA=succeeded", "containerB=succeeded"],
                    "Succeeded",
                ),
            ],
        );
    }

    /// TestPodPhaseWithRestartOnFailure: all 8 cases.
    #[test]
    fn restart_on_failure() {
        check(
            "OnFailure",
            &[],
            &[
                ("waiting", &[], "Pending"),
                ("all running with restart onfailure", &["containerA=running", "containerB=running"], "Running"),
                ("all succeeded with restart onfailure", &["containerA=succeeded", "containerB=succeeded"], "Succeeded"),
                ("all failed with restart never", &["containerA=failed", "containerB=failed"], "Running"),
                ("mixed state #1 with restart onfailure", &["containerA=running", "containerB=succeeded"], "Running"),
                ("mixed state #2 with restart onfailure", &["containerA=running"], "Pending"),
                ("mixed state #3 with restart onfailure", &["containerA=running", "containerB=waiting"], "Pending"),
                ("backoff crashloop container with restart onfailure", &["containerA=running", "containerB=waitingLast0"], "Running"),
            ],
        );
    }

    /// TestPodPhaseWithRestartAlwaysAndPodHasRun: 5 cases; 1 skipped ("re-created sandbox: ...
    /// old regular containers is stopped" expects Pending from podHasInitialized=false, i.e. the
    /// 1.34+ HasAnyActiveRegularContainerStarted over the new sandbox; K1.32 derives it from the
    /// statuses, where the stopped regular container counts as started, giving Running).
    #[test]
    fn restart_always_and_pod_has_run() {
        check_with(
            "Always",
            &[("containerX", false), ("containerY", true)],
            &["containerA"],
            &[
                (
                    "regular init containers, restartable init container and regular container are all running",
                    &["containerX=running", "containerY=running", "containerA=running"],
                    "Pending",
                ),
                (
                    "regular containers is stopped, restartable init container and regular int container are both running",
                    &["containerX=running", "containerY=running", "containerA=stopped"],
                    "Pending",
                ),
                (
                    "regular init container is succeeded, restartable init container is running, regular containers is stopped",
                    &["containerX=succeeded", "containerY=running", "containerA=stopped"],
                    "Running",
                ),
                (
                    "regular init container is succeeded, restartable init container and regular containers are both running",
                    &["containerX=succeeded", "containerY=running", "containerA=running"],
                    "Running",
                ),
            ],
        );
    }
}

/// `pkg/kubelet/prober/worker_test.go`, driven through the whole engine: each Go test's
/// sequence of doProbe calls becomes a table of rows, one per doProbe the engine made (runs of
/// identical rows collapsed, calls before the container runs left out), checked in order.
mod prober_worker {
    use crate::engine::fake_cri::FakeCri;
    use crate::engine::objects::ContainerKey;
    use crate::engine::prober::{ProbeKind, ProbeLog};
    use crate::engine::Engine;
    use crate::source::{load, SourceFile};

    fn engine(yaml: &str, fake: FakeCri) -> Engine {
        let m = load(&[SourceFile { name: "t.yaml".into(), text: yaml.into() }]).expect("valid yaml");
        Engine::with_runtime(&m, Box::new(fake)).expect("valid objects")
    }

    /// One container `app`, grace period 2 s, and the given probe lines under it.
    fn pod(probes: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n  - name: app\n    image: busybox:1.36\n    ports: [{{containerPort: 8080}}]\n{probes}")
    }

    fn exec_probe(kind: &str, extra: &str) -> String {
        format!("    {kind}:\n      exec: {{command: [/bin/true]}}\n      periodSeconds: 1\n{extra}")
    }

    fn history(e: &Engine, kind: ProbeKind) -> Vec<ProbeLog> {
        let key = ContainerKey { init: false, index: 0 };
        e.pods[0].record(key).probes.iter().find(|w| w.kind == kind).expect("worker").history.clone()
    }

    fn letter(r: Option<bool>) -> &'static str {
        match r {
            Some(true) => "S",
            Some(false) => "F",
            None => "U",
        }
    }

    /// Rows read `STEP ATTEMPT RESULT [run=N] [hold|nohold]`: ATTEMPT is the probe's own
    /// outcome (`-` when it did not run), RESULT the published one (S, F, U = Unknown).
    fn check(log: &[ProbeLog], rows: &[&str]) {
        let mut seen: Vec<&ProbeLog> = Vec::new();
        for entry in log.iter().filter(|l| l.step != "not-running") {
            let same = |l: &&ProbeLog| {
                (l.step, l.attempt, l.result, l.run, l.on_hold) == (entry.step, entry.attempt, entry.result, entry.run, entry.on_hold)
            };
            if seen.last().is_none_or(|last| !same(last)) {
                seen.push(entry);
            }
        }
        let show = |l: &ProbeLog| {
            format!(
                "{} {} {} run={} {}",
                l.step,
                l.attempt.map_or("-", |a| letter(Some(a))),
                letter(l.result),
                l.run,
                if l.on_hold { "hold" } else { "nohold" }
            )
        };
        let all: Vec<String> = seen.iter().map(|l| show(l)).collect();
        assert!(seen.len() >= rows.len(), "fewer doProbe calls than rows:\n{}", all.join("\n"));
        for (i, row) in rows.iter().enumerate() {
            let l = seen[i];
            let mut t = row.split_whitespace();
            let (step, attempt, result) = (t.next().unwrap(), t.next().unwrap(), t.next().unwrap());
            let mut ok = l.step == step && l.attempt.map_or("-", |a| letter(Some(a))) == attempt && letter(l.result) == result;
            for extra in t {
                ok &= match extra {
                    "hold" => l.on_hold,
                    "nohold" => !l.on_hold,
                    run => run.strip_prefix("run=").and_then(|n| n.parse::<i32>().ok()).expect("run=N") == l.run,
                };
            }
            assert!(ok, "row {i}: want `{row}`, got `{}`\nall calls:\n{}", show(l), all.join("\n"));
        }
    }

    fn scripted(codes: &[i32]) -> FakeCri {
        let mut fake = FakeCri::default();
        fake.exec_script = codes.iter().copied().collect();
        fake
    }

    fn worker_stopped(e: &Engine, kind: ProbeKind) -> bool {
        let key = ContainerKey { init: false, index: 0 };
        e.pods[0].record(key).probes.iter().find(|w| w.kind == kind).expect("worker").stopped
    }

    const KINDS: [(ProbeKind, &str); 3] =
        [(ProbeKind::Liveness, "livenessProbe"), (ProbeKind::Readiness, "readinessProbe"), (ProbeKind::Startup, "startupProbe")];

    /// TestDoProbe, "running" case (liveness, readiness, startup): the probe runs and its
    /// Success is published.
    #[test]
    fn do_probe_running() {
        for (kind, probe) in KINDS {
            let mut e = engine(&pod(&exec_probe(probe, "")), FakeCri::default());
            e.run_until(10_000);
            check(&history(&e, kind), &["probe S S"]);
            assert!(!worker_stopped(&e, kind), "{probe}");
        }
    }

    /// TestDoProbe, "setDeletionTimestamp" case: liveness and startup set Success and stop;
    /// readiness keeps probing while the pod terminates. (The startup probe is still failing
    /// here, as in the Go case, so its worker is not on hold when the deletion comes.)
    #[test]
    fn do_probe_deletion() {
        for (kind, probe) in KINDS {
            let mut fake = FakeCri::default();
            if kind == ProbeKind::Startup {
                fake.exec_exit = 1;
            }
            let mut yaml = pod(&exec_probe(probe, "      failureThreshold: 100\n"))
                .replace("terminationGracePeriodSeconds: 2", "terminationGracePeriodSeconds: 10");
            yaml.push_str("---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  steps:\n  - at: 5s\n    run: kubectl delete pod web\n");
            let mut e = engine(&yaml, fake);
            e.set_step_runner(std::rc::Rc::new(|e: &mut Engine, _: &crate::model::Step| {
                e.delete_pod_named("default", "web", Default::default()).expect("web exists");
                Default::default()
            }));
            e.run_until(30_000);
            let after: Vec<ProbeLog> = history(&e, kind).into_iter().filter(|l| l.at >= 5_000 && l.step != "not-running").collect();
            if kind == ProbeKind::Readiness {
                assert!(after.len() >= 5 && after.iter().all(|l| l.step == "probe" && l.result == Some(true)), "{probe}: {after:?}");
            } else {
                // SyncTerminatingPod stops these workers (StopLivenessAndStartup) before their
                // next tick, so the worker's own deletion branch (Success, stop) is seldom
                // reached; either way nothing is probed after the deletion.
                assert!(after.iter().all(|l| l.step == "deleting" && l.result == Some(true)), "{probe}: {after:?}");
                assert!(worker_stopped(&e, kind), "{probe}");
            }
        }
    }

    /// TestDoProbe, "terminated" case: the container has terminated and restartPolicy Never
    /// will not restart it, so the result is Failure and the worker stops.
    #[test]
    fn do_probe_terminated() {
        for (kind, probe) in KINDS {
            let mut fake = FakeCri::default();
            fake.exit_after.insert("app".into(), (3_000, 0));
            if kind == ProbeKind::Startup {
                // Still failing, as in the Go case: a startup worker that succeeded is on hold,
                // and the hold check comes before the running check.
                fake.exec_exit = 1;
            }
            let yaml = pod(&exec_probe(probe, "      failureThreshold: 100\n")).replace("spec:\n", "spec:\n  restartPolicy: Never\n");
            let mut e = engine(&yaml, fake);
            e.set_step_runner(std::rc::Rc::new(|e: &mut Engine, _: &crate::model::Step| {
                e.delete_pod_named("default", "web", Default::default()).expect("web exists");
                Default::default()
            }));
            e.run_until(30_000);
            let log = history(&e, kind);
            let last = log.last().expect("doProbe calls");
            assert_eq!((last.step, last.result), ("not-running", Some(false)), "{probe}: {log:?}");
            assert!(worker_stopped(&e, kind), "{probe}");
            assert_eq!(e.pods().next().unwrap().status.phase, "Succeeded");
        }
    }

    /// TestFailureThreshold (readiness, successThreshold 1, failureThreshold 3; two rounds).
    #[test]
    fn failure_threshold() {
        let round = [0, 0, 0, 1, 1, 1, 1, 1];
        let mut e = engine(
            &pod(&exec_probe("readinessProbe", "      successThreshold: 1\n      failureThreshold: 3\n")),
            scripted(&[round, round].concat()),
        );
        e.run_until(40_000);
        let round_rows = [
            "probe S S run=1",
            "probe S S run=2",
            "probe S S run=3",
            "probe F S run=1",
            "probe F S run=2",
            "probe F F run=3",
            "probe F F run=4",
            "probe F F run=5",
        ];
        check(&history(&e, ProbeKind::Readiness), &[round_rows, round_rows].concat());
    }

    /// TestSuccessThreshold (readiness, successThreshold 3, failureThreshold 1; two rounds).
    #[test]
    fn success_threshold() {
        let round = [0, 0, 0, 0, 0, 1];
        let mut e = engine(
            &pod(&exec_probe("readinessProbe", "      successThreshold: 3\n      failureThreshold: 1\n")),
            scripted(&[round, round].concat()),
        );
        e.run_until(40_000);
        let round_rows = ["probe S F run=1", "probe S F run=2", "probe S S run=3", "probe S S run=4", "probe S S run=5", "probe F F run=1"];
        check(&history(&e, ProbeKind::Readiness), &[round_rows, round_rows].concat());
    }

    /// TestOnHoldOnLivenessOrStartupCheckFailure, liveness half: a Failure puts the worker on
    /// hold (no probing, result kept) until the container is replaced; then it probes afresh.
    #[test]
    fn on_hold_on_liveness_failure() {
        let mut e = engine(&pod(&exec_probe("livenessProbe", "      successThreshold: 1\n      failureThreshold: 1\n")), scripted(&[1]));
        e.run_until(30_000);
        check(&history(&e, ProbeKind::Liveness), &["probe F F hold", "hold - F hold", "probe S S nohold"]);
        assert_eq!(e.pods().next().unwrap().status.container_statuses[0].restart_count, 1);
    }

    /// TestOnHoldOnLivenessOrStartupCheckFailure, startup half: on hold after the Failure, and
    /// (1.32+, the default release) on hold again after the new container's Success.
    #[test]
    fn on_hold_on_startup_failure() {
        let mut e = engine(&pod(&exec_probe("startupProbe", "      successThreshold: 1\n      failureThreshold: 1\n")), scripted(&[1]));
        e.run_until(30_000);
        check(&history(&e, ProbeKind::Startup), &["probe F F hold", "hold - F hold", "probe S S hold"]);
    }

    /// TestResultRunOnLivenessCheckFailure: the run resets to 0 when the Failure is published.
    #[test]
    fn result_run_on_liveness_failure() {
        let mut e =
            engine(&pod(&exec_probe("livenessProbe", "      successThreshold: 1\n      failureThreshold: 3\n")), scripted(&[0, 1, 1, 1]));
        e.run_until(20_000);
        check(&history(&e, ProbeKind::Liveness), &["probe S S run=1", "probe F S run=1", "probe F S run=2", "probe F F run=0 hold"]);
    }

    /// TestResultRunOnStartupCheckFailure: Unknown until failureThreshold, then Failure, run 0.
    #[test]
    fn result_run_on_startup_failure() {
        let mut e =
            engine(&pod(&exec_probe("startupProbe", "      successThreshold: 1\n      failureThreshold: 3\n")), scripted(&[1, 1, 1]));
        e.run_until(20_000);
        check(&history(&e, ProbeKind::Startup), &["probe F U run=1", "probe F U run=2", "probe F F run=0 hold"]);
    }

    /// TestInitialDelay (liveness, readiness, startup; initialDelaySeconds 10): during the delay
    /// the worker keeps its initial result (liveness Success, readiness Failure, startup
    /// Unknown) and does not probe; after it, the probe runs and succeeds.
    #[test]
    fn initial_delay() {
        for (kind, probe, initial) in [
            (ProbeKind::Liveness, "livenessProbe", "S"),
            (ProbeKind::Readiness, "readinessProbe", "F"),
            (ProbeKind::Startup, "startupProbe", "U"),
        ] {
            let mut e = engine(&pod(&exec_probe(probe, "      initialDelaySeconds: 10\n")), FakeCri::default());
            e.run_until(30_000);
            let delay_row = format!("delay - {initial}");
            let log = history(&e, kind);
            check(&log, &[delay_row.as_str(), "probe S S"]);
            let started_at = e.pods().next().unwrap().status.container_statuses[0].state.running.as_ref().expect("running").started_at;
            let first = log.iter().find(|l| l.step == "probe").unwrap().at;
            assert!(
                first >= started_at + 10_000 && first < started_at + 12_000,
                "{probe}: first probe {first} ms, started {started_at} ms"
            );
        }
    }

    /// TestLivenessProbeDisabledByStarted: before the startup probe succeeds the liveness
    /// worker does not probe (result stays Success); once started, a failure is published.
    #[test]
    fn liveness_probe_disabled_by_started() {
        let mut fake = FakeCri::default();
        fake.exec_exit = 1;
        fake.http_schedule = vec![(0, 500), (5_000, 200)];
        let probes = format!(
            "{}    startupProbe:\n      httpGet: {{port: 8080}}\n      periodSeconds: 1\n      failureThreshold: 30\n",
            exec_probe("livenessProbe", "      successThreshold: 1\n      failureThreshold: 1\n")
        );
        let mut e = engine(&pod(&probes), fake);
        e.run_until(20_000);
        check(&history(&e, ProbeKind::Liveness), &["not-started - S", "probe F F hold"]);
    }

    /// TestStartupProbeDisabledByStarted (failureThreshold 2): Failure → Unknown, Success →
    /// Success, then no more probing once started. In 1.32+ the success also puts the worker on
    /// hold, which is the check that stops it first; before 1.32 it is the `started` check.
    #[test]
    fn startup_probe_disabled_by_started() {
        for (version, last) in [(None, "hold - S hold"), (Some("1.31"), "started - S nohold")] {
            let mut yaml = pod(&exec_probe("startupProbe", "      successThreshold: 1\n      failureThreshold: 2\n"));
            if let Some(v) = version {
                yaml.push_str(&format!(
                    "---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec: {{kubernetesVersion: \"{v}\"}}\n"
                ));
            }
            let mut e = engine(&yaml, scripted(&[1, 0, 1, 1, 1]));
            e.run_until(20_000);
            check(&history(&e, ProbeKind::Startup), &["probe F U run=1", "probe S S", last]);
        }
    }
}

/// `pkg/scheduler/framework/types_test.go` TestFitError_Error: all 8 cases. Each node's
/// status is its list of reasons; with a PreFilter message the framework copies it to every
/// node, and Error() must not count those copies.
mod fit_error {
    use crate::engine::scheduler::fit_error_message;

    #[test]
    fn fit_error_error() {
        const PRE: &str = "Node(s) failed PreFilter plugin FalsePreFilter";
        const POST: &str = "Error running PostFilter plugin FailedPostFilter";
        const F1: &str = "Node(s) failed Filter plugin FalseFilter-1";
        const F2: &str = "Node(s) failed Filter plugin FalseFilter-2";
        // (name, numAllNodes, preFilterMsg, per-node reasons, postFilterMsg, want)
        let cases: &[(&str, usize, &str, &[&str], &str, &str)] = &[
            ("nodes failed Prefilter plugin", 3, PRE, &[PRE, PRE, PRE], "", "0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter."),
            ("nodes failed Prefilter plugin and the preemption also failed", 3, PRE, &[PRE, PRE, PRE], POST, "0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter. Error running PostFilter plugin FailedPostFilter"),
            ("nodes failed one Filter plugin with an empty PostFilterMsg", 3, "", &[F1, F1, F1], "", "0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1."),
            ("nodes failed one Filter plugin with a non-empty PostFilterMsg", 3, "", &[F1, F1, F1], POST, "0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1. Error running PostFilter plugin FailedPostFilter"),
            ("nodes failed two Filter plugins with an empty PostFilterMsg", 3, "", &[F1, F1, F2], "", "0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, 2 Node(s) failed Filter plugin FalseFilter-1."),
            ("nodes failed two Filter plugins with a non-empty PostFilterMsg", 3, "", &[F1, F1, F2], POST, "0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, 2 Node(s) failed Filter plugin FalseFilter-1. Error running PostFilter plugin FailedPostFilter"),
            ("failed to Permit on node", 1, "", &["Node failed Permit plugin Permit-1"], "", "0/1 nodes are available: 1 Node failed Permit plugin Permit-1."),
            ("failed to Reserve on node", 1, "", &["Node failed Reserve plugin Reserve-1"], "", "0/1 nodes are available: 1 Node failed Reserve plugin Reserve-1."),
        ];
        let mut failures = Vec::new();
        for (name, n, pre, nodes, post, want) in cases {
            let got = fit_error_message(*n, pre, nodes.iter().copied(), post, false);
            if got != *want {
                failures.push(format!("[{name}]\n  want {want}\n  got  {got}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

/// `pkg/scheduler/schedule_one_test.go` TestSchedulerFailedSchedulingReasons, through the
/// engine: 100 nodes of 2 cpu / 100 bytes memory / 10 pods, a pod asking 4 cpu and 500 bytes;
/// every node fails NodeResourcesFit with both reasons and the message stays short. The Go
/// test registers no PostFilter plugin, so it is checked on 1.22, whose FitError has no
/// `preemption:` part; on the default release the same text is followed by DefaultPreemption's.
mod schedule_one {
    use crate::engine::fake_cri::FakeCri;
    use crate::engine::Engine;
    use crate::source::{load, SourceFile};

    fn failed_scheduling(version: Option<&str>) -> String {
        let mut yaml = String::new();
        for i in 0..100 {
            yaml.push_str(&format!("apiVersion: v1\nkind: Node\nmetadata: {{name: node{i}}}\nstatus: {{allocatable: {{cpu: \"2\", memory: \"100\", pods: \"10\"}}, capacity: {{cpu: \"2\", memory: \"100\", pods: \"10\"}}}}\n---\n"));
        }
        yaml.push_str("apiVersion: v1\nkind: Pod\nmetadata: {name: bar}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    resources:\n      requests: {cpu: \"4\", memory: \"500\"}\n      limits: {cpu: \"4\", memory: \"500\"}\n");
        if let Some(v) = version {
            yaml.push_str(&format!(
                "---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec: {{kubernetesVersion: \"{v}\"}}\n"
            ));
        }
        let m = load(&[SourceFile { name: "t.yaml".into(), text: yaml }]).expect("valid yaml");
        let mut e = Engine::with_runtime(&m, Box::new(FakeCri::default())).expect("valid objects");
        e.run_until(5_000);
        let ev = e.events().into_iter().find(|ev| ev.reason == "FailedScheduling").expect("FailedScheduling event");
        ev.message
    }

    #[test]
    fn failed_scheduling_reasons() {
        const WANT: &str = "0/100 nodes are available: 100 Insufficient cpu, 100 Insufficient memory.";
        let got = failed_scheduling(Some("1.22"));
        assert_eq!(got, WANT);
        assert!(got.len() <= 150, "message is too spammy ! {}", got.len());
        // podplay's addition: DefaultPreemption's PostFilter message after it. Requests larger
        // than every node's allocatable are unresolvable from 1.34 (kubernetes#131345), and from
        // 1.34 DynamicResources' PostFilter reason comes first.
        assert_eq!(
            failed_scheduling(Some("1.33")),
            format!("{WANT} preemption: 0/100 nodes are available: 100 No preemption victims found for incoming pod.")
        );
        assert_eq!(
            failed_scheduling(None),
            format!(
                "{WANT} no new claims to deallocate, preemption: 0/100 nodes are available: 100 Preemption is not helpful for scheduling."
            )
        );
    }
}
