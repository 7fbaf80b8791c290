//! Kubernetes' own node e2e variable expansion tests (`test/e2e/common/node/expansion.go`,
//! `[sig-node] Variable Expansion`), ported: the same names, pod specs and assertions, the
//! e2e's waits (`TestContainerOutput`'s wait for the pod's success, `WaitForPodContainerToFail`,
//! `WaitTimeoutForPodRunningInNamespace` over `framework.PodStartShortTimeout`,
//! `DeletePodWithWait`) as seeks of virtual time. `newPod` names its pod `var-expansion-<UUID>`;
//! the UUID is a fixed one here. `podClient.Update` of the pod's annotations is
//! `kubectl annotate --overwrite`, `ExecShellInPodWithFullOutput` is `kubectl exec ... --
//! /bin/sh -c CMD` in the pod's first container.
//!
//! Images: `imageutils.GetE2EImage(imageutils.BusyBox)` is
//! `registry.k8s.io/e2e-test-images/busybox:1.36.1-1`.

mod e2e_support;

use e2e_support::{
    create, delete_pod_with_wait, kubectl, pod, poll_until, test_container_output, wait_for_pod_running, POD_START_SHORT_TIMEOUT, POLL,
};
use podplay_session::Session;

const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.36.1-1";
const POD_NAME: &str = "var-expansion-3b8f2c6e-41d7-4a9e-b0c5-9e2f7d16a804";
const CONTAINER: &str = "dapi-container";

use e2e_support::{list, quote};

/// A `v1.EnvVar`: a value, or a `fieldRef` to a field of the pod.
enum Env<'a> {
    Value(&'a str, &'a str),
    FieldRef(&'a str, &'a str),
}

/// A `v1.VolumeMount` of `workdir1`: (mount path, subPathExpr).
type Mount<'a> = (&'a str, Option<&'a str>);

/// `newPod` (with `newContainer`): one busybox container `dapi-container` running `command`
/// (none: the image's), its `env` and `mounts`; `workdir1` an emptyDir when there are mounts;
/// `annotations` and `args` as the tests set them afterwards.
fn new_pod(command: Option<&[&str]>, args: Option<&[&str]>, env: &[Env], mounts: &[Mount], annotations: &[(&str, &str)]) -> String {
    let mut out = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {POD_NAME}\n  labels:\n    name: {POD_NAME}\n");
    if !annotations.is_empty() {
        out += "  annotations:\n";
        for (k, v) in annotations {
            out += &format!("    {k}: {}\n", quote(v));
        }
    }
    out += &format!("spec:\n  restartPolicy: Never\n  containers:\n  - name: {CONTAINER}\n    image: {BUSYBOX}\n");
    if let Some(c) = command {
        out += &format!("    command: {}\n", list(c));
    }
    if let Some(a) = args {
        out += &format!("    args: {}\n", list(a));
    }
    if !env.is_empty() {
        out += "    env:\n";
        for e in env {
            out += &match e {
                Env::Value(name, value) => format!("    - name: {name}\n      value: {}\n", quote(value)),
                Env::FieldRef(name, path) => {
                    format!(
                        "    - name: {name}\n      valueFrom:\n        fieldRef:\n          apiVersion: v1\n          fieldPath: {}\n",
                        quote(path)
                    )
                }
            };
        }
    }
    if !mounts.is_empty() {
        out += "    volumeMounts:\n";
        for (path, expr) in mounts {
            out += &format!("    - name: workdir1\n      mountPath: {path}\n");
            if let Some(e) = expr {
                out += &format!("      subPathExpr: {}\n", quote(e));
            }
        }
        out += "  volumes:\n  - name: workdir1\n    emptyDir: {}\n";
    }
    out
}

/// `podClient.Update` setting the annotation `key` to `value`.
fn update_annotation(s: &mut Session, key: &str, value: &str) {
    let (code, out, err) = kubectl(s, &["annotate", "pod", POD_NAME, &format!("{key}={value}"), "--overwrite"]);
    assert_eq!(code, 0, "the pod is updated: {out}{err}");
}

/// `f.ExecShellInPodWithFullOutput`: whether `cmd` exits 0 under `/bin/sh -c` in the pod's
/// first container.
fn exec_shell_in_pod(s: &mut Session, cmd: &str) -> Result<(), String> {
    match kubectl(s, &["exec", POD_NAME, "-c", CONTAINER, "--", "/bin/sh", "-c", cmd]) {
        (0, _, _) => Ok(()),
        (code, out, err) => Err(format!("exit {code}: {out}{err}")),
    }
}

/// `e2epod.WaitForPodContainerToFail(..., 0, reason, timeout)`: the pod stays Pending and its
/// first container waits with `reason`.
fn wait_for_pod_container_to_fail(s: &mut Session, reason: &str, timeout: podplay_core::clock::Millis) -> Result<(), String> {
    let mut stop = None;
    let failed = poll_until(s, timeout, POLL, |s| {
        let Some(p) = pod(s, POD_NAME) else { return false };
        match p.status.phase.as_str() {
            "Pending" => p
                .status
                .container_statuses
                .first()
                .and_then(|c| c.state.waiting.as_ref())
                .is_some_and(|w| w.reason.as_deref() == Some(reason)),
            phase @ ("Failed" | "Running" | "Succeeded") => {
                stop = Some(format!("pod was expected to be pending, but it is in the state: {phase}"));
                true
            }
            _ => false,
        }
    });
    match stop {
        Some(e) => Err(e),
        None if failed => Ok(()),
        None => Err(format!("container 0 did not fail with reason {reason}: {:?}", pod(s, POD_NAME).map(|p| &p.status))),
    }
}

/// `testPodFailSubpath`.
fn test_pod_fail_subpath(text: &str) {
    let mut s = create(text);
    let result = wait_for_pod_container_to_fail(&mut s, "CreateContainerConfigError", POD_START_SHORT_TIMEOUT);
    let _ = delete_pod_with_wait(&mut s, POD_NAME);
    result.expect("while waiting for the pod container to fail");
}

/// `It("should allow composing env vars into new env vars [NodeConformance]")` (Conformance).
#[test]
fn should_allow_composing_env_vars_into_new_env_vars() {
    let env = [Env::Value("FOO", "foo-value"), Env::Value("BAR", "bar-value"), Env::Value("FOOBAR", "$(FOO);;$(BAR)")];
    let pod = new_pod(Some(&["sh", "-c", "env"]), None, &env, &[], &[]);
    test_container_output(&pod, POD_NAME, CONTAINER, &["FOO=foo-value", "BAR=bar-value", "FOOBAR=foo-value;;bar-value"]);
}

/// `It("should allow substituting values in a container's command [NodeConformance]")`
/// (Conformance).
#[test]
fn should_allow_substituting_values_in_a_container_s_command() {
    let env = [Env::Value("TEST_VAR", "test-value")];
    let pod = new_pod(Some(&["sh", "-c", "TEST_VAR=wrong echo \"$(TEST_VAR)\""]), None, &env, &[], &[]);
    test_container_output(&pod, POD_NAME, CONTAINER, &["test-value"]);
}

/// `It("should allow substituting values in a container's args [NodeConformance]")`
/// (Conformance).
#[test]
fn should_allow_substituting_values_in_a_container_s_args() {
    let env = [Env::Value("TEST_VAR", "test-value")];
    let pod = new_pod(Some(&["sh", "-c"]), Some(&["TEST_VAR=wrong echo \"$(TEST_VAR)\""]), &env, &[], &[]);
    test_container_output(&pod, POD_NAME, CONTAINER, &["test-value"]);
}

/// `It("should allow substituting values in a volume subpath")` (Conformance). The test sets
/// `POD_NAME` to the pod's name after `newPod` (the container shares the slice).
#[test]
fn should_allow_substituting_values_in_a_volume_subpath() {
    let env = [Env::Value("POD_NAME", POD_NAME)];
    let mounts = [("/logscontainer", Some("$(POD_NAME)")), ("/testcontainer", None)];
    let command = format!("test -d /testcontainer/{POD_NAME};echo $?");
    let pod = new_pod(Some(&["sh", "-c", &command]), None, &env, &mounts, &[]);
    test_container_output(&pod, POD_NAME, CONTAINER, &["0"]);
}

/// `It("should fail substituting values in a volume subpath with backticks [Slow]")`
/// (Conformance).
#[test]
fn should_fail_substituting_values_in_a_volume_subpath_with_backticks() {
    let env = [Env::Value("POD_NAME", "..")];
    let pod = new_pod(None, None, &env, &[("/logscontainer", Some("$(POD_NAME)"))], &[]);
    test_pod_fail_subpath(&pod);
}

/// `It("should fail substituting values in a volume subpath with absolute path [Slow]")`
/// (Conformance).
#[test]
fn should_fail_substituting_values_in_a_volume_subpath_with_absolute_path() {
    let env = [Env::Value("POD_NAME", "/tmp")];
    let pod = new_pod(None, None, &env, &[("/logscontainer", Some("$(POD_NAME)"))], &[]);
    test_pod_fail_subpath(&pod);
}

/// The env and mounts of the two annotation tests.
const ANNOTATION_ENV: [Env; 2] = [Env::Value("POD_NAME", "foo"), Env::FieldRef("ANNOTATION", "metadata.annotations['mysubpath']")];
const ANNOTATION_MOUNTS: [Mount; 2] = [("/subpath_mount", Some("$(ANNOTATION)/$(POD_NAME)")), ("/volume_mount", None)];

/// `It("should verify that a failing subpath expansion can be modified during the lifecycle
/// of a container [Slow]")` (Conformance).
#[test]
fn should_verify_that_a_failing_subpath_expansion_can_be_modified_during_the_lifecycle_of_a_container() {
    let pod = new_pod(Some(&["sh", "-c", "tail -f /dev/null"]), None, &ANNOTATION_ENV, &ANNOTATION_MOUNTS, &[("notmysubpath", "mypath")]);
    // "creating the pod with failed condition"
    let mut s = create(&pod);
    let running = wait_for_pod_running(&mut s, POD_NAME, POD_START_SHORT_TIMEOUT);
    assert!(running.is_err(), "while waiting for pod to be running: it runs");
    // "updating the pod"
    update_annotation(&mut s, "mysubpath", "mypath");
    // "waiting for pod running"
    wait_for_pod_running(&mut s, POD_NAME, POD_START_SHORT_TIMEOUT).expect("while waiting for pod to be running");
    // "deleting the pod gracefully"
    delete_pod_with_wait(&mut s, POD_NAME).expect("failed to delete pod");
}

/// `It("should succeed in writing subpaths in container [Slow]")` (Conformance).
#[test]
fn should_succeed_in_writing_subpaths_in_container() {
    let pod = new_pod(Some(&["sh", "-c", "tail -f /dev/null"]), None, &ANNOTATION_ENV, &ANNOTATION_MOUNTS, &[("mysubpath", "mypath")]);
    // "creating the pod"
    let mut s = create(&pod);
    // "waiting for pod running"
    wait_for_pod_running(&mut s, POD_NAME, POD_START_SHORT_TIMEOUT).expect("while waiting for pod to be running");
    // "creating a file in subpath"
    exec_shell_in_pod(&mut s, "touch /volume_mount/mypath/foo/test.log").expect("expected to be able to write to subpath");
    // "test for file in mounted path"
    exec_shell_in_pod(&mut s, "test -f /subpath_mount/test.log").expect("expected to be able to verify file");
    // "updating the annotation value"
    update_annotation(&mut s, "mysubpath", "mynewpath");
    // "waiting for annotated pod running"
    wait_for_pod_running(&mut s, POD_NAME, POD_START_SHORT_TIMEOUT).expect("while waiting for annotated pod to be running");
    // "deleting the pod gracefully"
    delete_pod_with_wait(&mut s, POD_NAME).expect("failed to delete pod");
}
