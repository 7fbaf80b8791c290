//! Kubernetes' own node e2e container runtime tests (`test/e2e/common/node/runtime.go`,
//! `[sig-node] Container Runtime blackbox test`), ported: the same names, pod specs and
//! assertions, the e2e's waits (`Eventually` over `ContainerStatusRetryTimeout` every
//! `ContainerStatusPollInterval`) as seeks of virtual time. `ConformanceContainer`
//! (`test/e2e/common/node/container.go`) names its pod after its container plus a UUID; here
//! the suffix is a fixed one, and each case of the table test runs in a cluster of its own.
//!
//! Images: `framework.BusyBoxImage` is `registry.k8s.io/e2e-test-images/busybox:1.36.1-1`;
//! `imageutils.GetE2EImage(imageutils.Agnhost)` is
//! `registry.k8s.io/e2e-test-images/agnhost:2.40`. The image-pull tests keep upstream's
//! images: `InvalidRegistryImage` (`invalid.registry.k8s.io/invalid/alpine:3.1`) and
//! `AuthenticatedAlpine` (`gcr.io/authenticated-image-pulling/alpine:3.7`). The private
//! registry with its service-account key is listed as not expressible in docs/conformance.md.

mod e2e_support;

use e2e_support::{create, kubectl, pod, poll_until};
use podplay_core::clock::{Millis, MINUTE, SECOND};
use podplay_core::model::{ContainerState, ContainerStatus};
use podplay_session::Session;

/// `ContainerStatusRetryTimeout`.
const CONTAINER_STATUS_RETRY_TIMEOUT: Millis = 5 * MINUTE;
/// `ContainerStatusPollInterval`.
const CONTAINER_STATUS_POLL_INTERVAL: Millis = SECOND;

const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.36.1-1";
const AGNHOST: &str = "registry.k8s.io/e2e-test-images/agnhost:2.40";
/// `imageutils.GetE2EImage(imageutils.InvalidRegistryImage)`.
const INVALID_REGISTRY_IMAGE: &str = "invalid.registry.k8s.io/invalid/alpine:3.1";
/// `imageutils.GetE2EImage(imageutils.AuthenticatedAlpine)`.
const AUTHENTICATED_ALPINE: &str = "gcr.io/authenticated-image-pulling/alpine:3.7";

/// Stands in for the UUID `ConformanceContainer.Create` appends to the container's name.
const POD_SUFFIX: &str = "-5f3c1a2e";

use e2e_support::list;

/// A `ConformanceContainer`: one container, the pod's restart policy and volumes.
struct ConformanceContainer {
    /// The container's own lines (after `- name:`), 4 spaces of indent.
    container: String,
    name: String,
    restart_policy: &'static str,
    /// The pod's `volumes:` lines, 2 spaces of indent.
    volumes: String,
    pod_name: String,
}

impl ConformanceContainer {
    fn new(name: &str, container: String, restart_policy: &'static str) -> Self {
        ConformanceContainer {
            container,
            name: name.into(),
            restart_policy,
            volumes: String::new(),
            pod_name: format!("{name}{POD_SUFFIX}"),
        }
    }

    /// The pod `Create` makes.
    fn manifest(&self) -> String {
        let mut out = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {}\nspec:\n  restartPolicy: {}\n  containers:\n  - name: {}\n{}",
            self.pod_name, self.restart_policy, self.name, self.container
        );
        out += &self.volumes;
        out
    }

    /// `Create`, at time 0.
    fn create(&self) -> Session {
        create(&self.manifest())
    }

    /// `GetStatus`: the one container status, named after the container.
    fn get_status(&self, s: &Session) -> Result<ContainerStatus, String> {
        let p = pod(s, &self.pod_name).ok_or_else(|| format!("pods \"{}\" not found", self.pod_name))?;
        match p.status.container_statuses.as_slice() {
            [one] if one.name == self.name => Ok(one.clone()),
            other => Err(format!("unexpected container statuses {other:?}")),
        }
    }

    /// `GetPhase`.
    fn get_phase(&self, s: &Session) -> Result<String, String> {
        pod(s, &self.pod_name).map(|p| p.status.phase.clone()).ok_or_else(|| format!("pods \"{}\" not found", self.pod_name))
    }

    /// `IsReady`.
    fn is_ready(&self, s: &Session) -> Result<bool, String> {
        pod(s, &self.pod_name).map(e2e_support::is_pod_ready).ok_or_else(|| format!("pods \"{}\" not found", self.pod_name))
    }

    /// `Present`.
    fn present(&self, s: &Session) -> bool {
        pod(s, &self.pod_name).is_some()
    }

    /// `Delete`: with `metav1.NewDeleteOptions(0)`.
    fn delete(&self, s: &mut Session) -> Result<(), String> {
        match kubectl(s, &["delete", "pod", &self.pod_name, "--grace-period=0", "--wait=false"]) {
            (0, _, _) => Ok(()),
            (_, _, err) => Err(err),
        }
    }
}

/// `GetContainerState`.
fn get_container_state(state: &ContainerState) -> &'static str {
    if state.waiting.is_some() {
        "Waiting"
    } else if state.running.is_some() {
        "Running"
    } else if state.terminated.is_some() {
        "Terminated"
    } else {
        "Unknown"
    }
}

/// `gomega.Eventually(f, ContainerStatusRetryTimeout, ContainerStatusPollInterval).Should(Equal(want))`.
fn eventually_equal<T: PartialEq + std::fmt::Debug>(s: &mut Session, want: T, mut f: impl FnMut(&Session) -> Result<T, String>) {
    let mut last = None;
    let met = poll_until(s, CONTAINER_STATUS_RETRY_TIMEOUT, CONTAINER_STATUS_POLL_INTERVAL, |s| {
        let got = f(s);
        let met = got.as_ref().is_ok_and(|g| *g == want);
        last = Some(got);
        met
    });
    assert!(met, "expected {want:?}, last got {last:?}");
}

mod blackbox_test {
    use super::*;

    mod when_starting_a_container_that_exits {
        use super::*;

        /// The script of the table test: fails at its 1st run, succeeds at its 2nd, then runs
        /// forever.
        const CMD_SCRIPTS: &str = "\nf=%s\ncount=$(echo 'hello' >> $f ; wc -l $f | awk {'print $1'})\nif [ $count -eq 1 ]; then\n\texit 1\nfi\nif [ $count -eq 2 ]; then\n\texit 0\nfi\nwhile true; do sleep 1; done\n";

        /// `It("should run with the expected status [NodeConformance]")` (Conformance).
        #[test]
        fn should_run_with_the_expected_status() {
            let restart_count_volume_name = "restart-count";
            let restart_count_volume_path = "/restart-count";
            let test_cases = [
                ("terminate-cmd-rpa", "Always", "Running", "Running", 2, true),
                ("terminate-cmd-rpof", "OnFailure", "Succeeded", "Terminated", 1, false),
                ("terminate-cmd-rpn", "Never", "Failed", "Terminated", 0, false),
            ];
            for (name, restart_policy, phase, state, restart_count, ready) in test_cases {
                let tmp_cmd = CMD_SCRIPTS.replace("%s", &format!("{restart_count_volume_path}/restartCount"));
                let container = format!(
                    "    image: {BUSYBOX}\n    command: {}\n    volumeMounts:\n    - mountPath: {restart_count_volume_path}\n      name: {restart_count_volume_name}\n",
                    list(&["sh", "-c", &tmp_cmd])
                );
                let mut c = ConformanceContainer::new(name, container, restart_policy);
                c.volumes = format!("  volumes:\n  - name: {restart_count_volume_name}\n    emptyDir:\n      medium: Memory\n");
                let mut s = c.create();

                // "Container '%s': should get the expected 'RestartCount'"
                eventually_equal(&mut s, restart_count, |s| c.get_status(s).map(|st| st.restart_count));
                // "should get the expected 'Phase'"
                eventually_equal(&mut s, phase.to_string(), |s| c.get_phase(s));
                // "should get the expected 'Ready' condition"
                assert_eq!(c.is_ready(&s), Ok(ready), "{name}: Ready");
                let status = c.get_status(&s).expect("the container's status");
                // "should get the expected 'State'"
                assert_eq!(get_container_state(&status.state), state, "{name}: State ({status:?})");
                // "should be possible to delete [NodeConformance]"
                c.delete(&mut s).expect("the pod is deleted");
                eventually_equal(&mut s, false, |s| Ok(c.present(s)));
            }
        }
    }

    mod on_terminated_container {
        use super::*;

        const ROOT_USER: i64 = 0;
        const NON_ROOT_USER: i64 = 10000;

        /// `matchTerminationMessage`: the container (named `termination-message-container`)
        /// reaches `expected_phase` and its terminated state's message is `expected_msg`.
        fn match_termination_message(container: String, expected_phase: &str, expected_msg: &str) {
            let c = ConformanceContainer::new("termination-message-container", container, "Never");
            // "create the container"
            let mut s = c.create();
            // "wait for the container to reach %s"
            eventually_equal(&mut s, expected_phase.to_string(), |s| c.get_phase(s));
            // "get the container status"
            let status = c.get_status(&s).expect("the container's status");
            // "the container should be terminated"
            assert_eq!(get_container_state(&status.state), "Terminated", "{status:?}");
            // "the termination message should be set"
            let message = status.state.terminated.as_ref().and_then(|t| t.message.clone()).unwrap_or_default();
            assert_eq!(message, expected_msg, "Expected: {expected_msg:?} to match Container's Termination Message: {message:?}");
            // "delete the container"
            c.delete(&mut s).expect("the pod is deleted");
        }

        /// A busybox container running `/bin/sh -c ARG`, with the given termination message
        /// fields and security context lines.
        fn sh_container(arg: &str, path: &str, policy: Option<&str>, security_context: &str) -> String {
            let mut out = format!(
                "    image: {BUSYBOX}\n    command: [\"/bin/sh\", \"-c\"]\n    args: {}\n    terminationMessagePath: {path}\n",
                list(&[arg])
            );
            if let Some(p) = policy {
                out += &format!("    terminationMessagePolicy: {p}\n");
            }
            out += security_context;
            out
        }

        /// `It("should report termination message if TerminationMessagePath is set [NodeConformance]")`.
        #[test]
        fn should_report_termination_message_if_termination_message_path_is_set() {
            let security = format!("    securityContext:\n      runAsUser: {ROOT_USER}\n");
            let container = sh_container("/bin/echo -n DONE > /dev/termination-log", "/dev/termination-log", None, &security);
            match_termination_message(container, "Succeeded", "DONE");
        }

        /// `It("should report termination message if TerminationMessagePath is set as non-root
        /// user and at a non-default path [NodeConformance]")` (Conformance).
        #[test]
        fn should_report_termination_message_if_termination_message_path_is_set_as_non_root_user_and_at_a_non_default_path() {
            let security = format!("    securityContext:\n      runAsUser: {NON_ROOT_USER}\n");
            let container = sh_container("/bin/echo -n DONE > /dev/termination-custom-log", "/dev/termination-custom-log", None, &security);
            match_termination_message(container, "Succeeded", "DONE");
        }

        /// `It("should report termination message from log output if TerminationMessagePolicy
        /// FallbackToLogsOnError is set [NodeConformance]")` (Conformance).
        #[test]
        fn should_report_termination_message_from_log_output_if_termination_message_policy_fallback_to_logs_on_error_is_set() {
            let container = sh_container("/bin/echo -n DONE; /bin/false", "/dev/termination-log", Some("FallbackToLogsOnError"), "");
            match_termination_message(container, "Failed", "DONE");
        }

        /// `It("should report termination message as empty when pod succeeds and
        /// TerminationMessagePolicy FallbackToLogsOnError is set [NodeConformance]")` (Conformance).
        #[test]
        fn should_report_termination_message_as_empty_when_pod_succeeds_and_termination_message_policy_fallback_to_logs_on_error_is_set() {
            let container = sh_container("/bin/echo -n DONE; /bin/true", "/dev/termination-log", Some("FallbackToLogsOnError"), "");
            match_termination_message(container, "Succeeded", "");
        }

        /// `It("should report termination message from file when pod succeeds and
        /// TerminationMessagePolicy FallbackToLogsOnError is set [NodeConformance]")` (Conformance).
        #[test]
        fn should_report_termination_message_from_file_when_pod_succeeds_and_termination_message_policy_fallback_to_logs_on_error_is_set() {
            let container = sh_container(
                "/bin/echo -n OK > /dev/termination-log; /bin/echo DONE; /bin/true",
                "/dev/termination-log",
                Some("FallbackToLogsOnError"),
                "",
            );
            match_termination_message(container, "Succeeded", "OK");
        }
    }

    mod when_running_a_container_with_a_new_image {
        use super::*;

        /// `imagePullTest` (Linux): the container `image-pull-test` runs a sleep loop with
        /// `imagePullPolicy: Always`; within `ContainerStatusRetryTimeout` it is waiting with
        /// `ErrImagePull` or `ImagePullBackOff` (`expected_pull_status`) or running, and the pod
        /// is in `expected_phase`. Upstream's three tries against a flaky registry are one here:
        /// virtual registries do not flake.
        fn image_pull_test(image: &str, expected_phase: &str, expected_pull_status: bool) {
            let container = format!(
                "    image: {image}\n    command: [\"/bin/sh\", \"-c\", \"while true; do sleep 1; done\"]\n    imagePullPolicy: Always\n"
            );
            let c = ConformanceContainer::new("image-pull-test", container, "Never");
            // "create the container"
            let mut s = c.create();
            // "check the container status"
            let mut last = Err(String::new());
            poll_until(&mut s, CONTAINER_STATUS_RETRY_TIMEOUT, CONTAINER_STATUS_POLL_INTERVAL, |s| {
                last = check_container_status(&c, s, expected_phase, expected_pull_status);
                last.is_ok()
            });
            // "delete the container"
            let _ = c.delete(&mut s);
            if let Err(e) = last {
                panic!("All 1 attempts failed: {e}");
            }
        }

        /// `checkContainerStatus`.
        fn check_container_status(
            c: &ConformanceContainer,
            s: &Session,
            expected_phase: &str,
            expected_pull_status: bool,
        ) -> Result<(), String> {
            let status = c.get_status(s).map_err(|e| format!("failed to get container status: {e}"))?;
            if !expected_pull_status && status.state.running.is_none() {
                return Err(format!("expected container state: Running, got: {:?}", get_container_state(&status.state)));
            }
            if expected_pull_status {
                let Some(waiting) = &status.state.waiting else {
                    return Err(format!("expected container state: Waiting, got: {:?}", get_container_state(&status.state)));
                };
                let reason = waiting.reason.as_deref().unwrap_or_default();
                if reason != "ErrImagePull" && reason != "ImagePullBackOff" {
                    return Err(format!("unexpected waiting reason: {reason:?}"));
                }
            }
            let phase = c.get_phase(s).map_err(|e| format!("failed to get pod phase: {e}"))?;
            if phase != expected_phase {
                return Err(format!("expected pod phase: {expected_phase:?}, got: {phase:?}"));
            }
            Ok(())
        }

        /// `It("should not be able to pull image from invalid registry [NodeConformance]")`.
        #[test]
        fn should_not_be_able_to_pull_image_from_invalid_registry() {
            image_pull_test(INVALID_REGISTRY_IMAGE, "Pending", true);
        }

        /// `It("should be able to pull image [NodeConformance]")`.
        #[test]
        fn should_be_able_to_pull_image() {
            image_pull_test(AGNHOST, "Running", false);
        }

        /// `It("should not be able to pull from private registry without secret [NodeConformance]")`.
        #[test]
        fn should_not_be_able_to_pull_from_private_registry_without_secret() {
            image_pull_test(AUTHENTICATED_ALPINE, "Pending", true);
        }
    }
}
