//! Kubernetes' own e2e tests of container security contexts
//! (`test/e2e/common/node/security_context.go`, `[sig-node] Security Context`, as stored at
//! b94367ca, ginkgo v2 names), ported: the same names, objects and assertions; the e2e's waits
//! (`podClient.WaitForSuccess` over `framework.PodStartTimeout`, `WaitForErrorEventOrSuccess`
//! polling the pod's events every `framework.Poll`, `waitForFailure`) as seeks of virtual
//! time; `podClient.MatchContainerOutput` as a regular expression over the container's log.
//! Names carry a fixed UUID. The e2e busybox of that commit is
//! `registry.k8s.io/e2e-test-images/busybox:1.37.0-1`, `nonroot` is 1.4 (`USER 1234`) and
//! `nonewprivs` 1.3 (a set-user-ID root `nnp` printing `Effective uid: N`).
//!
//! Not ported (docs/conformance.md says why): the `[Feature:UserNamespacesSupport]` tests of
//! `hostUsers`, the `[Feature:SupplementalGroupsPolicy]` tests and the User Namespaces for Pod
//! Security Standards test.

mod e2e_support;

use e2e_support::{
    create, pod, pod_logs, poll_until, regexp_matches, wait_for_pod_success, NON_ROOT_TEST_USER_ID, POD_START_TIMEOUT, POLL,
};
use podplay_session::Session;

const UUID: &str = "a3c1f2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.37.0-1";
const NON_ROOT_IMAGE: &str = "registry.k8s.io/e2e-test-images/nonroot:1.4";
const NONEWPRIVS: &str = "registry.k8s.io/e2e-test-images/nonewprivs:1.3";

/// A `restartPolicy: Never` pod of one container named as the pod, with `command` (YAML flow,
/// or empty for the image's) and the container's `securityContext` (flow-mapping entries).
fn one_container_pod(name: &str, image: &str, command: &str, security_context: &str) -> String {
    let command = if command.is_empty() { String::new() } else { format!("    command: {command}\n") };
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: {name}\n    image: {image}\n{command}    securityContext: {{{security_context}}}\n"
    )
}

/// `podClient.WaitForSuccess(name, framework.PodStartTimeout)`.
fn wait_for_success(s: &mut Session, name: &str) {
    if let Err(e) = wait_for_pod_success(s, name, POD_START_TIMEOUT) {
        panic!("{e}");
    }
}

/// `podClient.MatchContainerOutput`: the container's log matches the regular expression.
fn match_container_output(s: &mut Session, name: &str, container: &str, expected_regexp: &str) -> Result<(), String> {
    let output = pod_logs(s, name, container)?;
    if regexp_matches(expected_regexp, &output) {
        Ok(())
    } else {
        Err(format!("failed to match regexp {expected_regexp:?} in output {output:?}"))
    }
}

/// `podClient.WaitForErrorEventOrSuccess`: every `framework.Poll` within
/// `framework.PodStartTimeout`, the pod's events: `Killing`, `Failed` (FailedToCreateContainer)
/// or `SysctlForbidden` is the answer, `Started` ends the wait with none.
fn wait_for_error_event_or_success(s: &mut Session, name: &str) -> Result<Option<String>, String> {
    let mut found = None;
    let done = poll_until(s, POD_START_TIMEOUT, POLL, |s| {
        for e in s.engine().events().iter().filter(|e| e.involved_object.kind == "Pod" && e.involved_object.name == name) {
            match e.reason.as_str() {
                "Killing" | "Failed" | "SysctlForbidden" => {
                    found = Some(e.reason.clone());
                    return true;
                }
                "Started" => return true,
                _ => {}
            }
        }
        false
    });
    if done {
        Ok(found)
    } else {
        Err("timed out waiting for the condition".into())
    }
}

/// `waitForFailure`: the pod fails within `timeout` (succeeding is an error).
fn wait_for_failure(s: &mut Session, name: &str) {
    let mut phase = String::new();
    let ended = poll_until(s, POD_START_TIMEOUT, POLL, |s| {
        phase = pod(s, name).map(|p| p.status.phase.clone()).unwrap_or_default();
        phase == "Failed" || phase == "Succeeded"
    });
    assert!(ended && phase == "Failed", "wait for pod {name:?} to fail: {phase}");
}

mod when_creating_a_container_with_run_as_user {
    use super::*;

    /// `createAndWaitUserPod`: busybox running `test $(id -u) -eq UID` as `runAsUser: UID`.
    fn create_and_wait_user_pod(userid: i64) {
        let pod_name = format!("busybox-user-{userid}-{UUID}");
        let command = format!("[\"sh\", \"-c\", \"test $(id -u) -eq {userid}\"]");
        let mut s = create(&one_container_pod(&pod_name, BUSYBOX, &command, &format!("runAsUser: {userid}")));
        wait_for_success(&mut s, &pod_name);
    }

    /// `framework.ConformanceIt("should run the container with uid 65534 [LinuxOnly]",
    /// f.WithNodeConformance())`.
    #[test]
    fn should_run_the_container_with_uid_65534() {
        create_and_wait_user_pod(65534);
    }

    /// `f.It("should run the container with uid 0 [LinuxOnly]", f.WithNodeConformance())`.
    #[test]
    fn should_run_the_container_with_uid_0() {
        create_and_wait_user_pod(0);
    }
}

mod when_creating_a_container_with_run_as_non_root {
    use super::*;

    /// `makeNonRootPod`: `id -u` with `runAsNonRoot: true` and `runAsUser` when given.
    fn make_non_root_pod(name: &str, image: &str, userid: Option<i64>) -> String {
        let user = userid.map(|u| format!(", runAsUser: {u}")).unwrap_or_default();
        one_container_pod(name, image, "[\"id\", \"-u\"]", &format!("runAsNonRoot: true{user}"))
    }

    /// `ginkgo.It("should run with an explicit non-root user ID [LinuxOnly]")`.
    #[test]
    fn should_run_with_an_explicit_non_root_user_id() {
        let name = "explicit-nonroot-uid";
        let mut s = create(&make_non_root_pod(name, BUSYBOX, Some(NON_ROOT_TEST_USER_ID)));
        wait_for_success(&mut s, name);
        match_container_output(&mut s, name, name, "1000").unwrap();
    }

    /// `ginkgo.It("should not run with an explicit root user ID [LinuxOnly]")`: the kubelet's
    /// `Failed` event (`container's runAsUser breaks non-root policy`).
    #[test]
    fn should_not_run_with_an_explicit_root_user_id() {
        let name = "explicit-root-uid";
        let mut s = create(&make_non_root_pod(name, NON_ROOT_IMAGE, Some(0)));
        let ev = wait_for_error_event_or_success(&mut s, name).unwrap();
        assert_eq!(ev.as_deref(), Some("Failed"));
    }

    /// `ginkgo.It("should run with an image specified user ID")`: the image's `USER 1234`.
    #[test]
    fn should_run_with_an_image_specified_user_id() {
        let name = "implicit-nonroot-uid";
        let mut s = create(&make_non_root_pod(name, NON_ROOT_IMAGE, None));
        wait_for_success(&mut s, name);
        match_container_output(&mut s, name, name, "1234").unwrap();
    }

    /// `ginkgo.It("should not run without a specified user ID")`: busybox runs as root.
    #[test]
    fn should_not_run_without_a_specified_user_id() {
        let name = "implicit-root-uid";
        let mut s = create(&make_non_root_pod(name, BUSYBOX, None));
        let ev = wait_for_error_event_or_success(&mut s, name).unwrap();
        assert_eq!(ev.as_deref(), Some("Failed"));
    }
}

mod when_creating_a_pod_with_read_only_root_filesystem {
    use super::*;

    /// `createAndWaitUserPod`: busybox `touch checkfile` (in `/`) with
    /// `readOnlyRootFilesystem`; it fails on a read-only root, succeeds otherwise.
    fn create_and_wait_user_pod(read_only_root_filesystem: bool) -> String {
        let pod_name = format!("busybox-readonly-{read_only_root_filesystem}-{UUID}");
        let pod = one_container_pod(
            &pod_name,
            BUSYBOX,
            "[\"sh\", \"-c\", \"touch checkfile\"]",
            &format!("readOnlyRootFilesystem: {read_only_root_filesystem}"),
        );
        let mut s = create(&pod);
        if read_only_root_filesystem {
            wait_for_failure(&mut s, &pod_name);
        } else {
            wait_for_success(&mut s, &pod_name);
        }
        pod_name
    }

    /// `f.It("should run the container with readonly rootfs when readOnlyRootFilesystem=true
    /// [LinuxOnly]", f.WithNodeConformance())`.
    #[test]
    fn should_run_the_container_with_readonly_rootfs_when_read_only_root_filesystem_true() {
        create_and_wait_user_pod(true);
    }

    /// `framework.ConformanceIt("should run the container with writable rootfs when
    /// readOnlyRootFilesystem=false", f.WithNodeConformance())`.
    #[test]
    fn should_run_the_container_with_writable_rootfs_when_read_only_root_filesystem_false() {
        create_and_wait_user_pod(false);
    }
}

mod when_creating_a_pod_with_privileged {
    use super::*;

    /// `createAndWaitUserPod`: busybox `ip link add dummy0 type dummy || true` with
    /// `privileged`; the pod succeeds either way. Its log.
    fn create_and_wait_user_pod(privileged: bool) -> String {
        let pod_name = format!("busybox-privileged-{privileged}-{UUID}");
        let pod = one_container_pod(
            &pod_name,
            BUSYBOX,
            "[\"sh\", \"-c\", \"ip link add dummy0 type dummy || true\"]",
            &format!("privileged: {privileged}"),
        );
        let mut s = create(&pod);
        wait_for_success(&mut s, &pod_name);
        pod_logs(&mut s, &pod_name, &pod_name).unwrap_or_else(|e| panic!("GetPodLogs for pod {pod_name:?} failed: {e}"))
    }

    /// `framework.ConformanceIt("should run the container as unprivileged when false
    /// [LinuxOnly]", f.WithNodeConformance())`.
    #[test]
    fn should_run_the_container_as_unprivileged_when_false() {
        let logs = create_and_wait_user_pod(false);
        assert!(logs.contains("Operation not permitted"), "unprivileged container shouldn't be able to create dummy device");
    }

    /// `f.It("should run the container as privileged when true [LinuxOnly]",
    /// feature.HostAccess)`.
    #[test]
    fn should_run_the_container_as_privileged_when_true() {
        let logs = create_and_wait_user_pod(true);
        assert!(!logs.contains("Operation not permitted"), "privileged container should be able to create dummy device");
    }
}

mod when_creating_containers_with_allow_privilege_escalation {
    use super::*;

    /// `makeAllowPrivilegeEscalationPod` then `createAndMatchOutput`: the nonewprivs image as
    /// `uid`, with `allowPrivilegeEscalation` when given; it succeeds and prints `output`.
    fn create_and_match_output(pod_name: &str, output: &str, allow_privilege_escalation: Option<bool>, uid: i64) -> Result<(), String> {
        let ape = allow_privilege_escalation.map(|a| format!("allowPrivilegeEscalation: {a}, ")).unwrap_or_default();
        let mut s = create(&one_container_pod(pod_name, NONEWPRIVS, "", &format!("{ape}runAsUser: {uid}")));
        wait_for_success(&mut s, pod_name);
        match_container_output(&mut s, pod_name, pod_name, output)
    }

    /// `f.It("should allow privilege escalation when not explicitly set and uid != 0
    /// [LinuxOnly]", f.WithNodeConformance())`.
    #[test]
    fn should_allow_privilege_escalation_when_not_explicitly_set_and_uid_0() {
        let pod_name = format!("alpine-nnp-nil-{UUID}");
        create_and_match_output(&pod_name, "Effective uid: 0", None, NON_ROOT_TEST_USER_ID).unwrap();
    }

    /// `framework.ConformanceIt("should not allow privilege escalation when false [LinuxOnly]",
    /// f.WithNodeConformance())`.
    #[test]
    fn should_not_allow_privilege_escalation_when_false() {
        let pod_name = format!("alpine-nnp-false-{UUID}");
        create_and_match_output(&pod_name, &format!("Effective uid: {NON_ROOT_TEST_USER_ID}"), Some(false), NON_ROOT_TEST_USER_ID).unwrap();
    }

    /// `f.It("should allow privilege escalation when true [LinuxOnly]",
    /// f.WithNodeConformance())`.
    #[test]
    fn should_allow_privilege_escalation_when_true() {
        let pod_name = format!("alpine-nnp-true-{UUID}");
        create_and_match_output(&pod_name, "Effective uid: 0", Some(true), NON_ROOT_TEST_USER_ID).unwrap();
    }
}
