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
            if inits.iter().any(|(n, _)| *n == name) { init.push(s) } else { main.push(s) }
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
        check("Always", &[], &[
            ("waiting", &[], "Pending"),
            ("all running", &["containerA=running", "containerB=running"], "Running"),
            ("all stopped with restart always", &["containerA=stopped", "containerB=stopped"], "Running"),
            ("mixed state #1 with restart always", &["containerA=running", "containerB=stopped"], "Running"),
            ("mixed state #2 with restart always", &["containerA=running"], "Pending"),
            ("mixed state #3 with restart always", &["containerA=running", "containerB=waiting"], "Pending"),
            ("backoff crashloop container with restart always", &["containerA=running", "containerB=waitingLast0"], "Running"),
        ]);
    }

    const INIT_X: &[(&str, bool)] = &[("containerX", false)];
    const SIDECAR_X: &[(&str, bool)] = &[("containerX", true)];

    /// TestPodPhaseWithRestartAlwaysInitContainers: all 7 cases.
    #[test]
    fn restart_always_init_containers() {
        check("Always", INIT_X, &[
            ("empty, waiting", &[], "Pending"),
            ("init container running", &["containerX=running"], "Pending"),
            ("init container terminated non-zero", &["containerX=failed"], "Pending"),
            ("init container waiting, terminated zero", &["containerX=waitingLast0"], "Pending"),
            ("init container waiting, terminated non-zero", &["containerX=waitingLastNonZero"], "Pending"),
            ("init container waiting, not terminated", &["containerX=waiting"], "Pending"),
            ("init container succeeded", &["containerX=succeeded", "containerA=running", "containerB=running"], "Running"),
        ]);
    }

    /// TestPodPhaseWithRestartAlwaysRestartableInitContainers: 14 cases; 3 skipped — the two
    /// "... but the pod is terminal" cases (podIsTerminal) and "re-initializing the pod after
    /// the sandbox is recreated", whose podHasInitialized=false comes from the runtime's view of
    /// the new sandbox (HasAnyActiveRegularContainerStarted, 1.34+); K1.32 derives it from the
    /// statuses (HasAnyRegularContainerStarted), which there say the regular containers run.
    /// In every kept case the given podHasInitialized equals what the statuses imply.
    #[test]
    fn restart_always_restartable_init_containers() {
        check("Always", SIDECAR_X, &[
            ("empty, waiting", &[], "Pending"),
            ("restartable init container running", &["containerX=running"], "Pending"),
            ("restartable init container stopped", &["containerX=stopped"], "Pending"),
            ("restartable init container waiting, terminated zero", &["containerX=waitingLast0"], "Pending"),
            ("restartable init container waiting, terminated non-zero", &["containerX=waitingLastNonZero"], "Pending"),
            ("restartable init container waiting, not terminated", &["containerX=waiting"], "Pending"),
            ("restartable init container started, 1/2 regular container running", &["containerX=started", "containerA=running"], "Pending"),
            ("restartable init container started, all regular containers running", &["containerX=started", "containerA=running", "containerB=running"], "Running"),
            ("restartable init container running, all regular containers running", &["containerX=running", "containerA=running", "containerB=running"], "Running"),
            ("restartable init container stopped, all regular containers running", &["containerX=stopped", "containerA=running", "containerB=running"], "Running"),
            ("backoff crashloop restartable init container, all regular containers running", &["containerX=waitingLast0", "containerA=running", "containerB=running"], "Running"),
        ]);
    }

    /// TestPodPhaseWithRestartNever: all 7 cases.
    #[test]
    fn restart_never() {
        check("Never", &[], &[
            ("waiting", &[], "Pending"),
            ("all running with restart never", &["containerA=running", "containerB=running"], "Running"),
            ("all succeeded with restart never", &["containerA=succeeded", "containerB=succeeded"], "Succeeded"),
            ("all failed with restart never", &["containerA=failed", "containerB=failed"], "Failed"),
            ("mixed state #1 with restart never", &["containerA=running", "containerB=succeeded"], "Running"),
            ("mixed state #2 with restart never", &["containerA=running"], "Pending"),
            ("mixed state #3 with restart never", &["containerA=running", "containerB=waiting"], "Pending"),
        ]);
    }

    /// TestPodPhaseWithRestartNeverInitContainers: all 7 cases.
    #[test]
    fn restart_never_init_containers() {
        check("Never", INIT_X, &[
            ("empty, waiting", &[], "Pending"),
            ("init container running", &["containerX=running"], "Pending"),
            ("init container terminated non-zero", &["containerX=failed"], "Failed"),
            ("init container waiting, terminated zero", &["containerX=waitingLast0"], "Pending"),
            ("init container waiting, terminated non-zero", &["containerX=waitingLastNonZero"], "Failed"),
            ("init container waiting, not terminated", &["containerX=waiting"], "Pending"),
            ("init container succeeded", &["containerX=succeeded", "containerA=running", "containerB=running"], "Running"),
        ]);
    }

    /// TestPodPhaseWithRestartNeverRestartableInitContainers: all 13 cases (each case's
    /// podHasInitialized equals what the statuses imply).
    #[test]
    fn restart_never_restartable_init_containers() {
        check("Never", SIDECAR_X, &[
            ("empty, waiting", &[], "Pending"),
            ("restartable init container running", &["containerX=running"], "Pending"),
            ("restartable init container stopped", &["containerX=stopped"], "Pending"),
            ("restartable init container waiting, terminated zero", &["containerX=waitingLast0"], "Pending"),
            ("restartable init container waiting, terminated non-zero", &["containerX=waitingLastNonZero"], "Pending"),
            ("restartable init container waiting, not terminated", &["containerX=waiting"], "Pending"),
            ("restartable init container started, one main container running", &["containerX=started", "containerA=running"], "Pending"),
            ("restartable init container started, main containers succeeded", &["containerX=started", "containerA=succeeded", "containerB=succeeded"], "Running"),
            ("restartable init container re-running, main containers succeeded", &["containerX=running", "containerA=succeeded", "containerB=succeeded"], "Running"),
            ("all containers succeeded", &["containerX=succeeded", "containerA=succeeded", "containerB=succeeded"], "Succeeded"),
            ("restartable init container terminated non-zero, main containers succeeded", &["containerX=failed", "containerA=succeeded", "containerB=succeeded"], "Succeeded"),
            ("backoff crashloop restartable init container, main containers succeeded", &["containerX=waitingLast0", "containerA=succeeded", "containerB=succeeded"], "Succeeded"),
            ("backoff crashloop with non-zero restartable init container, main containers succeeded", &["containerX=waitingLastNonZero", "containerA=succeeded", "containerB=succeeded"], "Succeeded"),
        ]);
    }

    /// TestPodPhaseWithRestartOnFailure: all 8 cases.
    #[test]
    fn restart_on_failure() {
        check("OnFailure", &[], &[
            ("waiting", &[], "Pending"),
            ("all running with restart onfailure", &["containerA=running", "containerB=running"], "Running"),
            ("all succeeded with restart onfailure", &["containerA=succeeded", "containerB=succeeded"], "Succeeded"),
            ("all failed with restart never", &["containerA=failed", "containerB=failed"], "Running"),
            ("mixed state #1 with restart onfailure", &["containerA=running", "containerB=succeeded"], "Running"),
            ("mixed state #2 with restart onfailure", &["containerA=running"], "Pending"),
            ("mixed state #3 with restart onfailure", &["containerA=running", "containerB=waiting"], "Pending"),
            ("backoff crashloop container with restart onfailure", &["containerA=running", "containerB=waitingLast0"], "Running"),
        ]);
    }

    /// TestPodPhaseWithRestartAlwaysAndPodHasRun: 5 cases; 1 skipped ("re-created sandbox: ...
    /// old regular containers is stopped" expects Pending from podHasInitialized=false, i.e. the
    /// 1.34+ HasAnyActiveRegularContainerStarted over the new sandbox; K1.32 derives it from the
    /// statuses, where the stopped regular container counts as started, giving Running).
    #[test]
    fn restart_always_and_pod_has_run() {
        check_with("Always", &[("containerX", false), ("containerY", true)], &["containerA"], &[
            ("regular init containers, restartable init container and regular container are all running", &["containerX=running", "containerY=running", "containerA=running"], "Pending"),
            ("regular containers is stopped, restartable init container and regular int container are both running", &["containerX=running", "containerY=running", "containerA=stopped"], "Pending"),
            ("regular init container is succeeded, restartable init container is running, regular containers is stopped", &["containerX=succeeded", "containerY=running", "containerA=stopped"], "Running"),
            ("regular init container is succeeded, restartable init container and regular containers are both running", &["containerX=succeeded", "containerY=running", "containerA=running"], "Running"),
        ]);
    }
}
