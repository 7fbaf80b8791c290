//! Kubernetes' own node e2e container entrypoint tests (`test/e2e/common/node/containers.go`,
//! `[sig-node] Containers`), ported: the same names, pod specs and assertions, the e2e's waits
//! (`WaitForPodNameRunningInNamespace`, `TestContainerOutput`'s wait for the pod's success, the
//! log poll) as seeks of virtual time. `entrypointTestPod` names its pod
//! `client-containers-<UUID>`; the UUID is a fixed one here.
//!
//! Images: `imageutils.GetE2EImage(imageutils.Agnhost)` is
//! `registry.k8s.io/e2e-test-images/agnhost:2.40` (entrypoint `/agnhost`, cmd `pause`, and the
//! `/agnhost-2` link the image's Dockerfile makes for these tests).

mod e2e_support;

use e2e_support::{create, pod_logs, poll_until, test_container_output, wait_for_pod_running, POD_START_TIMEOUT, POLL};
use podplay_core::clock::SECOND;

const AGNHOST: &str = "registry.k8s.io/e2e-test-images/agnhost:2.40";
const POD_NAME: &str = "client-containers-7c1e9d40-5b2a-4f0e-9a36-2f8d1c0b6e51";
/// `e2epod.NewAgnhostContainer`'s name.
const CONTAINER: &str = "agnhost-container";

use e2e_support::list;

/// `entrypointTestPod`: `e2epod.NewAgnhostPod` (its container's args `entrypoint_args`, or
/// `pause` when there are none; `args: None` drops them as the tests' `Args = nil` does) with a
/// grace period of 1 second and `restartPolicy: Never`; `command` overrides the entrypoint.
fn entrypoint_test_pod(command: Option<&[&str]>, args: Option<&[&str]>) -> String {
    let mut container =
        format!("  - name: {CONTAINER}\n    image: {AGNHOST}\n    imagePullPolicy: IfNotPresent\n    securityContext: {{}}\n");
    if let Some(c) = command {
        container += &format!("    command: {}\n", list(c));
    }
    if let Some(a) = args {
        container += &format!("    args: {}\n", list(if a.is_empty() { &["pause"] } else { a }));
    }
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {POD_NAME}\nspec:\n  terminationGracePeriodSeconds: 1\n  restartPolicy: Never\n  securityContext: {{}}\n  containers:\n{container}"
    )
}

/// `It("should use the image defaults if command and args are blank [NodeConformance]")`
/// (Conformance).
#[test]
fn should_use_the_image_defaults_if_command_and_args_are_blank() {
    let mut s = create(&entrypoint_test_pod(None, None));
    wait_for_pod_running(&mut s, POD_NAME, POD_START_TIMEOUT).expect("the pod runs");
    // The agnhost's image default entrypoint / args are: "/agnhost pause", which will print
    // out "Paused". `gomega.Eventually(pollLogs, 3, framework.Poll)`: 3 seconds.
    let mut last = Err(String::new());
    let found = poll_until(&mut s, 3 * SECOND, POLL, |s| {
        last = pod_logs(s, POD_NAME, CONTAINER);
        last.as_ref().is_ok_and(|l| l.contains("Paused"))
    });
    assert!(found, "the logs contain \"Paused\": {last:?}");
}

/// `It("should be able to override the image's default arguments (container cmd)
/// [NodeConformance]")` (Conformance).
#[test]
fn should_be_able_to_override_the_image_s_default_arguments_container_cmd() {
    let pod = entrypoint_test_pod(None, Some(&["entrypoint-tester", "override", "arguments"]));
    test_container_output(&pod, POD_NAME, CONTAINER, &["[/agnhost entrypoint-tester override arguments]"]);
}

/// `It("should be able to override the image's default command (container entrypoint)
/// [NodeConformance]")` (Conformance). When the entrypoint is overridden, the image's
/// arguments (container cmd) are ignored.
#[test]
fn should_be_able_to_override_the_image_s_default_command_container_entrypoint() {
    let pod = entrypoint_test_pod(Some(&["/agnhost-2"]), Some(&["entrypoint-tester"]));
    test_container_output(&pod, POD_NAME, CONTAINER, &["[/agnhost-2 entrypoint-tester]"]);
}

/// `It("should be able to override the image's default command and arguments
/// [NodeConformance]")` (Conformance).
#[test]
fn should_be_able_to_override_the_image_s_default_command_and_arguments() {
    let pod = entrypoint_test_pod(Some(&["/agnhost-2"]), Some(&["entrypoint-tester", "override", "arguments"]));
    test_container_output(&pod, POD_NAME, CONTAINER, &["[/agnhost-2 entrypoint-tester override arguments]"]);
}
