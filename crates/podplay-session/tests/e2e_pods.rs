//! Kubernetes' own node e2e `Pods` tests (`test/e2e/common/node/pods.go`), ported: the same
//! names, pod specs and assertions, the e2e's waits (`CreateSync`'s `framework.PodStartTimeout`,
//! `WaitForPodNameRunningInNamespace`, `wait.Poll`, `time.Sleep`) as seeks of virtual time.
//!
//! The client's calls are kubectl commands at the moment the e2e makes them: `List` with a
//! label selector is `kubectl get pods -l`, `Update`/`Patch` of labels is `kubectl patch`, a
//! `Patch` of `status` is `kubectl patch --subresource=status`, `DeleteCollection` is `kubectl
//! delete pods -l`, and objects the e2e creates after the first are created by a Scenario step
//! (`kubectl apply -f -`) at that moment.
//!
//! Images: `imageutils.GetPauseImageName()` is `registry.k8s.io/pause:3.10`; the e2e busybox is
//! `registry.k8s.io/e2e-test-images/busybox:1.36.1-1`; agnhost (and
//! `framework.ServeHostnameImage`, agnhost without arguments, whose default command is `pause`)
//! is `registry.k8s.io/e2e-test-images/agnhost:2.40`.
//! `e2epod.MustMixinRestrictedPodSecurity` adds the restricted pod and container security
//! contexts. A label value the e2e takes from the clock (`time.Now().Nanosecond()`) is a fixed
//! number here. Tests podplay cannot express, and those that fail, are listed with the reason
//! in docs/conformance.md.

mod e2e_support;

use e2e_support::{create as session, is_pod_ready, poll_until, POD_START_TIMEOUT, POLL};
use podplay_core::clock::{Millis, MINUTE, SECOND};
use podplay_core::model::Pod;
use podplay_session::Session;

const PAUSE: &str = "registry.k8s.io/pause:3.10";
const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.36.1-1";
const AGNHOST: &str = "registry.k8s.io/e2e-test-images/agnhost:2.40";

/// `e2epod.DefaultPodDeletionTimeout`.
const DEFAULT_POD_DELETION_TIMEOUT: Millis = 3 * MINUTE;
/// `f.Timeouts.PodDelete`.
const POD_DELETE_TIMEOUT: Millis = 5 * MINUTE;
/// `syncLoopFrequency`.
const SYNC_LOOP_FREQUENCY: Millis = 10 * SECOND;
/// `kubelet.MaxContainerBackOff`.
const MAX_CONTAINER_BACK_OFF: Millis = 300 * SECOND;
/// `maxBackOffTolerance`: 1.3 × MaxContainerBackOff.
const MAX_BACK_OFF_TOLERANCE: Millis = MAX_CONTAINER_BACK_OFF * 13 / 10;
/// `podRetryPeriod`.
const POD_RETRY_PERIOD: Millis = SECOND;

/// One container of a pod spec: name, image, command (none: the image's), its ports.
struct C<'a> {
    name: &'a str,
    image: &'a str,
    command: &'a [&'a str],
    ports: &'a [u16],
}

/// A pod as `e2epod.MustMixinRestrictedPodSecurity` leaves it: `labels`, `spec` lines (at two
/// spaces) and one container.
fn restricted_pod(name: &str, labels: &[(&str, &str)], spec: &str, c: &C) -> String {
    let mut out = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n");
    if !labels.is_empty() {
        out += "  labels:\n";
        for (k, v) in labels {
            out += &format!("    {k}: {v:?}\n");
        }
    }
    out += "spec:\n";
    out += spec;
    out += "  securityContext:\n    runAsNonRoot: true\n    runAsUser: 1000\n    seccompProfile:\n      type: RuntimeDefault\n";
    out += &format!("  containers:\n  - name: {}\n    image: {}\n", c.name, c.image);
    if !c.command.is_empty() {
        let words: Vec<String> = c.command.iter().map(|w| format!("{w:?}")).collect();
        out += &format!("    command: [{}]\n", words.join(", "));
    }
    if !c.ports.is_empty() {
        out += "    ports:\n";
        for p in c.ports {
            out += &format!("    - containerPort: {p}\n");
        }
    }
    out += "    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        drop: [\"ALL\"]\n";
    out
}

/// A Scenario whose steps create `manifests` (`kubectl apply -f -`) at their times.
fn scenario(first: &str, later: &[(Millis, String)]) -> String {
    let mut out = format!("{first}---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: pods\nspec:\n  steps:\n");
    for (at, manifest) in later {
        out += &format!("  - at: {at}ms\n    run: kubectl apply -f -\n    manifest: {manifest:?}\n");
    }
    out
}

fn kubectl(s: &mut Session, line: &str) -> podplay_kubectl::Output {
    let words = podplay_kubectl::split_command_line(line).expect("a command line");
    s.kubectl(&words)
}

fn pod<'a>(s: &'a Session, name: &str) -> Option<&'a Pod> {
    s.engine().pods().find(|p| p.metadata.name == name)
}

/// `podClient.List(LabelSelector: selector)`: the names `kubectl get pods -l` lists.
fn list(s: &mut Session, selector: &str) -> Vec<String> {
    let out = kubectl(s, &format!("get pods -l {selector} -o name"));
    assert_eq!(out.exit_code, 0, "list: {out:?}");
    out.stdout.lines().map(|l| l.trim_start_matches("pod/").to_string()).collect()
}

/// `CreateSync`'s wait: running and ready within `framework.PodStartTimeout`.
fn wait_ready(s: &mut Session, name: &str) {
    let ready = poll_until(s, POD_START_TIMEOUT, POLL, |s| pod(s, name).is_some_and(e2e_support::pod_running_ready));
    assert!(ready, "pod {name} runs ready within {POD_START_TIMEOUT} ms: {:?}", pod(s, name).map(|p| &p.status));
}

/// `e2epod.WaitForPodNameRunningInNamespace`.
fn wait_running(s: &mut Session, name: &str) {
    let running = poll_until(s, POD_START_TIMEOUT, POLL, |s| pod(s, name).is_some_and(|p| p.status.phase == "Running"));
    assert!(running, "pod {name} runs within {POD_START_TIMEOUT} ms: {:?}", pod(s, name).map(|p| &p.status));
}

/// `podClient.PodIsReady`.
fn pod_is_ready(s: &Session, name: &str) -> bool {
    pod(s, name).is_some_and(is_pod_ready)
}

/// The e2e's label value from `time.Now().Nanosecond()`.
const TIME_VALUE: &str = "123456789";

/// `Pods`.
mod pods {
    use super::*;

    /// `should get a host IP [NodeConformance] [Conformance]`
    #[test]
    fn should_get_a_host_ip() {
        let name = "pod-hostip-0b7f5c8e";
        let mut s = session(&restricted_pod(name, &[], "", &C { name: "test", image: PAUSE, command: &[], ports: &[] }));
        // testHostIP: "creating pod" (CreateSync), then a hostIP within 2 minutes, polled every 5 s.
        wait_ready(&mut s, name);
        let host_ip = poll_until(&mut s, 2 * MINUTE, 5 * SECOND, |s| {
            pod(s, name).is_some_and(|p| p.status.host_ip.as_deref().is_some_and(|ip| !ip.is_empty()))
        });
        assert!(host_ip, "Gave up waiting for hostIP of pod {name}");
    }

    /// `should be submitted and removed [NodeConformance] [Conformance]`
    #[test]
    fn should_be_submitted_and_removed() {
        let name = "pod-submit-remove-0b7f5c8e";
        let labels = [("name", "foo"), ("time", TIME_VALUE)];
        let manifest = restricted_pod(name, &labels, "", &C { name: "pause", image: PAUSE, command: &[], ports: &[] });
        // The pod is submitted after the watch is set up: a step at 1 s.
        let mut s = session(&scenario("", &[(SECOND, manifest)]));
        // "setting up watch"
        let selector = format!("time={TIME_VALUE}");
        assert!(list(&mut s, &selector).is_empty(), "no pod before the submission");
        // "submitting the pod to kubernetes"; "verifying the pod is in kubernetes"
        s.seek(SECOND);
        assert_eq!(list(&mut s, &selector), [name]);
        // "verifying pod creation was observed": the watch's first event for the pod.
        let watch = kubectl(&mut s, &format!("get pods -l {selector} -w --no-headers"));
        assert!(watch.stdout.lines().next().is_some_and(|l| l.starts_with(name)), "the watch sees the pod added: {watch:?}");
        wait_running(&mut s, name);
        // "deleting the pod gracefully"
        let out = kubectl(&mut s, &format!("delete pod {name} --grace-period=30 --wait=false"));
        assert_eq!(out.stdout, format!("pod \"{name}\" deleted\n"));
        // "verifying pod deletion was observed": the pod as the watch last had it.
        let mut last_pod: Option<Pod> = None;
        let deleted = poll_until(&mut s, DEFAULT_POD_DELETION_TIMEOUT, SECOND, |s| match pod(s, name) {
            Some(p) => {
                last_pod = Some(p.clone());
                false
            }
            None => true,
        });
        assert!(deleted, "timed out waiting for pod deletion");
        let last_pod = last_pod.expect("the pod was seen before its deletion");
        assert!(last_pod.metadata.deletion.is_some(), "the deleted pod has a deletionTimestamp");
        assert_ne!(last_pod.spec.termination_grace_period_seconds(), 0);
        assert!(list(&mut s, &selector).is_empty(), "no pod after the deletion");
    }

    /// `should be updated [NodeConformance] [Conformance]`
    #[test]
    fn should_be_updated() {
        let name = "pod-update-0b7f5c8e";
        let labels = [("name", "foo"), ("time", TIME_VALUE)];
        let mut s = session(&restricted_pod(name, &labels, "", &C { name: "pause", image: PAUSE, command: &[], ports: &[] }));
        // "submitting the pod to kubernetes"
        wait_ready(&mut s, name);
        // "verifying the pod is in kubernetes"
        assert_eq!(list(&mut s, &format!("time={TIME_VALUE}")), [name]);
        // "updating the pod": a new time label.
        let value = "987654321";
        let out = kubectl(&mut s, &format!(r#"patch pod {name} -p '{{"metadata":{{"labels":{{"time":"{value}"}}}}}}'"#));
        assert_eq!(out.stdout, format!("pod/{name} patched\n"), "{out:?}");
        wait_running(&mut s, name);
        // "verifying the updated pod is in kubernetes"
        assert_eq!(list(&mut s, &format!("time={value}")), [name]);
    }

    /// `should allow activeDeadlineSeconds to be updated [NodeConformance] [Conformance]`
    #[test]
    fn should_allow_active_deadline_seconds_to_be_updated() {
        let name = "pod-update-activedeadlineseconds-0b7f5c8e";
        let labels = [("name", "foo"), ("time", TIME_VALUE)];
        let mut s = session(&restricted_pod(name, &labels, "", &C { name: "pause", image: PAUSE, command: &[], ports: &[] }));
        wait_ready(&mut s, name);
        assert_eq!(list(&mut s, &format!("time={TIME_VALUE}")), [name]);
        // "updating the pod": activeDeadlineSeconds 5.
        let out = kubectl(&mut s, &format!(r#"patch pod {name} -p '{{"spec":{{"activeDeadlineSeconds":5}}}}'"#));
        assert_eq!(out.stdout, format!("pod/{name} patched\n"), "{out:?}");
        // WaitForPodTerminatedInNamespace(pod, "DeadlineExceeded"): Failed with that reason.
        let terminated = poll_until(&mut s, POD_START_TIMEOUT, POLL, |s| {
            pod(s, name).is_some_and(|p| p.status.phase == "Failed" && p.status.reason.as_deref() == Some("DeadlineExceeded"))
        });
        assert!(terminated, "pod {name} terminated with DeadlineExceeded: {:?}", pod(&s, name).map(|p| &p.status));
    }

    /// `should contain environment variables for services [NodeConformance] [Conformance]`
    #[test]
    fn should_contain_environment_variables_for_services() {
        let server = "server-envvars-0b7f5c8e";
        let server_pod = restricted_pod(server, &[("name", server)], "", &C { name: "srv", image: AGNHOST, command: &[], ports: &[9376] });
        // CreateSync of the server first, to learn when the e2e goes on.
        let mut probe = session(&server_pod);
        wait_ready(&mut probe, server);
        let t = probe.now();
        let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: fooservice\n  labels:\n    name: fooservice\nspec:\n  ports:\n  - port: 8765\n    targetPort: 8080\n  selector:\n    name: server-envvars-0b7f5c8e\n";
        let client = "client-envvars-0b7f5c8e";
        let client_pod = restricted_pod(
            client,
            &[("name", client)],
            "  restartPolicy: Never\n",
            &C { name: "env3cont", image: BUSYBOX, command: &["sh", "-c", "env"], ports: &[] },
        );
        let mut s = session(&scenario(&server_pod, &[(t, service.to_string()), (t, client_pod)]));
        s.seek(t);
        assert!(pod(&s, client).is_some(), "the client pod is created");
        // e2epodoutput.MatchContainerOutput: the pod succeeds within PodStartTimeout, then its
        // log holds every expected variable.
        let succeeded = poll_until(&mut s, POD_START_TIMEOUT, POLL, |s| pod(s, client).is_some_and(|p| p.status.phase == "Succeeded"));
        assert!(succeeded, "pod {client} succeeds: {:?}", pod(&s, client).map(|p| &p.status));
        let logs = kubectl(&mut s, &format!("logs {client} -c env3cont")).stdout;
        for expected in [
            "FOOSERVICE_SERVICE_HOST=",
            "FOOSERVICE_SERVICE_PORT=",
            "FOOSERVICE_PORT=",
            "FOOSERVICE_PORT_8765_TCP_PORT=",
            "FOOSERVICE_PORT_8765_TCP_PROTO=",
            "FOOSERVICE_PORT_8765_TCP=",
            "FOOSERVICE_PORT_8765_TCP_ADDR=",
        ] {
            assert!(logs.contains(expected), "Container should have service environment variables set: {expected} in {logs}");
        }
    }

    /// `should support remote command execution over websockets [NodeConformance] [Conformance]`
    /// (the exec that the websocket carries, as `kubectl exec`).
    #[test]
    fn should_support_remote_command_execution_over_websockets() {
        let name = "pod-exec-websocket-0b7f5c8e";
        let mut s = session(&restricted_pod(
            name,
            &[],
            "",
            &C { name: "main", image: BUSYBOX, command: &["/bin/sh", "-c", "echo container is alive; sleep 600"], ports: &[] },
        ));
        wait_ready(&mut s, name);
        // Eventually (1 minute, every 10 s) the stdout channel holds the command's output.
        let seen = poll_until(&mut s, MINUTE, 10 * SECOND, |s| {
            kubectl(s, &format!("exec {name} -c main -- echo 'remote execution test'")).stdout.contains("remote execution test")
        });
        assert!(seen, "expected to find 'remote execution test'");
    }

    /// `should support retrieving logs from the container over websockets [NodeConformance]
    /// [Conformance]` (the log the websocket carries, as `kubectl logs`).
    #[test]
    fn should_support_retrieving_logs_from_the_container_over_websockets() {
        let name = "pod-logs-websocket-0b7f5c8e";
        let mut s = session(&restricted_pod(
            name,
            &[],
            "",
            &C { name: "main", image: BUSYBOX, command: &["/bin/sh", "-c", "echo container is alive; sleep 10000"], ports: &[] },
        ));
        wait_ready(&mut s, name);
        let logs = kubectl(&mut s, &format!("logs {name} -c main"));
        assert_eq!(logs.stdout, "container is alive\n", "Unexpected websocket logs");
    }

    /// `should have their auto-restart back-off timer reset on image update [Slow] [NodeConformance]`
    #[test]
    fn should_have_their_auto_restart_back_off_timer_reset_on_image_update() {
        let name = "pod-back-off-image";
        let container = "back-off";
        let mut s = session(&restricted_pod(
            name,
            &[("test", "back-off-image")],
            "",
            &C { name: container, image: BUSYBOX, command: &["/bin/sh", "-c", "sleep 5", "/crash/missing"], ports: &[] },
        ));
        let (delay1, delay2) = start_pod_and_get_back_offs(&mut s, name, container, MINUTE);
        // "updating the image"
        let out = kubectl(
            &mut s,
            &format!(r#"patch pod {name} -p '{{"spec":{{"containers":[{{"name":"{container}","image":"nginx:1.25"}}]}}}}'"#),
        );
        assert_eq!(out.stdout, format!("pod/{name} patched\n"), "{out:?}");
        let t = s.now() + SYNC_LOOP_FREQUENCY;
        s.seek(t);
        wait_running(&mut s, name);
        // "get restart delay after image update"
        let after = get_restart_delay(&mut s, name, container).expect("timed out waiting for container restart");
        assert!(
            after <= 2 * delay2 && after <= 2 * delay1,
            "updating image did not reset the back-off value: d3={after} d2={delay1} d1={delay2}"
        );
    }

    /// `should cap back-off at MaxContainerBackOff [Slow] [NodeConformance]`
    #[test]
    fn should_cap_back_off_at_max_container_back_off() {
        let name = "back-off-cap";
        let mut s = session(&restricted_pod(
            name,
            &[("test", "liveness")],
            "",
            &C { name, image: BUSYBOX, command: &["/bin/sh", "-c", "sleep 5", "/crash/missing"], ports: &[] },
        ));
        wait_ready(&mut s, name);
        // "it takes slightly more than 2*x to get to a back-off of x"
        let t = s.now() + 2 * MAX_CONTAINER_BACK_OFF;
        s.seek(t);
        // "getting restart delay when capped" (three tries, as upstream's loop, which keeps the last).
        let mut delay1 = 0;
        for _ in 0..3 {
            delay1 = get_restart_delay(&mut s, name, name).expect("timed out waiting for container restart");
        }
        assert!(
            (MAX_CONTAINER_BACK_OFF..=MAX_BACK_OFF_TOLERANCE).contains(&delay1),
            "expected {MAX_CONTAINER_BACK_OFF} ms back-off got={delay1} in delay1"
        );
        // "getting restart delay after a capped delay"
        let delay2 = get_restart_delay(&mut s, name, name).expect("timed out waiting for container restart");
        assert!(
            (MAX_CONTAINER_BACK_OFF..=MAX_BACK_OFF_TOLERANCE).contains(&delay2),
            "expected {MAX_CONTAINER_BACK_OFF} ms back-off got={delay2} on delay2"
        );
    }

    /// `should support pod readiness gates [NodeConformance]`
    #[test]
    fn should_support_pod_readiness_gates() {
        let name = "pod-ready";
        let gate1 = "k8s.io/test-condition1";
        let gate2 = "k8s.io/test-condition2";
        let mut s = session(&restricted_pod(
            name,
            &[("test", "pod-readiness-gate")],
            &format!("  readinessGates:\n  - conditionType: {gate1}\n  - conditionType: {gate2}\n"),
            &C {
                name: "pod-readiness-gate",
                image: BUSYBOX,
                command: &["/bin/sh", "-c", "echo container is alive; sleep 10000"],
                ports: &[],
            },
        ));
        // validatePodReadiness: wait.Poll(1 s, 1 minute) for the Ready condition to be as expected.
        let validate = |s: &mut Session, expect: bool| {
            let ok = poll_until(s, MINUTE, SECOND, |s| pod_is_ready(s, name) == expect);
            assert!(ok, "Expect the Ready condition of pod {name:?} to be {expect}: {:?}", pod(s, name).map(|p| &p.status));
        };
        // patchStatusFmt through the status subresource, a strategic merge patch.
        let patch = |s: &mut Session, gate: &str, status: &str| {
            let out = kubectl(
                s,
                &format!(
                    r#"patch pod {name} --subresource=status -p '{{"status":{{"conditions":[{{"type":"{gate}", "status":"{status}"}}]}}}}'"#
                ),
            );
            assert_eq!(out.stdout, format!("pod/{name} patched\n"), "{out:?}");
        };
        // "submitting the pod to kubernetes"
        wait_running(&mut s, name);
        assert!(!pod_is_ready(&s, name), "Expect pod's Ready condition to be false initially.");
        // "patching pod status with condition gate1 to true"
        patch(&mut s, gate1, "True");
        let t = s.now() + SYNC_LOOP_FREQUENCY;
        s.seek(t);
        assert!(
            !pod_is_ready(&s, name),
            "Expect pod's Ready condition to be false with only one condition in readinessGates equal to True"
        );
        // "patching pod status with condition gate2 to true"
        patch(&mut s, gate2, "True");
        validate(&mut s, true);
        // "patching pod status with condition gate1 to false"
        patch(&mut s, gate1, "False");
        validate(&mut s, false);
    }

    /// `should delete a collection of pods [Conformance]`
    #[test]
    fn should_delete_a_collection_of_pods() {
        let names = ["test-pod-1", "test-pod-2", "test-pod-3"];
        // "Create set of pods"
        let text: Vec<String> = names
            .iter()
            .map(|n| {
                restricted_pod(
                    n,
                    &[("type", "Testing")],
                    "  terminationGracePeriodSeconds: 1\n  restartPolicy: Never\n",
                    &C { name: "token-test", image: AGNHOST, command: &[], ports: &[] },
                )
            })
            .collect();
        let mut s = session(&text.join("---\n"));
        // "waiting for all 3 pods to be running": WaitForPodsRunningReady(3, f.Timeouts.PodStart).
        let ready =
            poll_until(&mut s, POD_START_TIMEOUT, POLL, |s| names.iter().all(|n| pod(s, n).is_some_and(e2e_support::pod_running_ready)));
        assert!(ready, "3 pods not found running.");
        // DeleteCollection(GracePeriodSeconds: 1, LabelSelector: "type=Testing").
        let out = kubectl(&mut s, "delete pods -l type=Testing --grace-period=1 --wait=false");
        assert_eq!(out.stdout, "pod \"test-pod-1\" deleted\npod \"test-pod-2\" deleted\npod \"test-pod-3\" deleted\n", "{out:?}");
        // "waiting for all pods to be deleted": checkPodListQuantity(0) every podRetryPeriod.
        let gone = poll_until(&mut s, POD_DELETE_TIMEOUT, POD_RETRY_PERIOD, |s| list(s, "type=Testing").is_empty());
        assert!(gone, "found a pod(s)");
    }

    /// `should run through the lifecycle of Pods and PodStatus [Conformance]`
    #[test]
    fn should_run_through_the_lifecycle_of_pods_and_pod_status() {
        let name = "pod-test";
        let mut s = session(&restricted_pod(
            name,
            &[("test-pod-static", "true")],
            "  terminationGracePeriodSeconds: 1\n",
            &C { name, image: AGNHOST, command: &[], ports: &[] },
        ));
        // "watching for Pod to be ready": a Running pod with the static label.
        let running = poll_until(&mut s, POD_START_TIMEOUT, POLL, |s| pod(s, name).is_some_and(|p| p.status.phase == "Running"));
        assert!(running, "failed to see Pod {name} running");
        // "patching the Pod with a new Label and updated data": a strategic merge patch of the
        // label, the grace period and the container's image (httpd).
        let out = kubectl(
            &mut s,
            &format!(
                r#"patch pod {name} -p '{{"metadata":{{"labels":{{"test-pod":"patched"}}}},"spec":{{"terminationGracePeriodSeconds":1,"containers":[{{"name":"{name}","image":"httpd:2.4"}}]}}}}'"#
            ),
        );
        assert_eq!(out.stdout, format!("pod/{name} patched\n"), "failed to patch Pod: {out:?}");
        // "getting the Pod and ensuring that it's patched"
        let p = pod(&s, name).expect("the pod");
        assert_eq!(p.metadata.labels.get("test-pod").map(String::as_str), Some("patched"), "failed to patch Pod - missing label");
        assert_eq!(p.spec.containers[0].image, "httpd:2.4", "failed to patch Pod - wrong image");
        // "replacing the Pod's status Ready condition to False": Ready and ContainersReady False
        // through the status subresource.
        let out = kubectl(
            &mut s,
            &format!(
                r#"patch pod {name} --subresource=status -p '{{"status":{{"conditions":[{{"type":"Ready","status":"False"}},{{"type":"ContainersReady","status":"False"}}]}}}}'"#
            ),
        );
        assert_eq!(out.stdout, format!("pod/{name} patched\n"), "failed to update PodStatus: {out:?}");
        // "check the Pod again to ensure its Ready conditions are False"
        let p = pod(&s, name).expect("the pod");
        let falses = ["Ready", "ContainersReady"].iter().filter(|k| p.status.condition(k).is_some_and(|c| c.status == "False")).count();
        assert_eq!(falses, 2, "failed to update PodStatus - field patch count doesn't match the total");
        // "deleting the Pod via a Collection with a LabelSelector"; "watching for the Pod to be deleted"
        let out = kubectl(&mut s, "delete pods -l test-pod-static=true --grace-period=1 --wait=false");
        assert_eq!(out.stdout, format!("pod \"{name}\" deleted\n"));
        let gone = poll_until(&mut s, POD_DELETE_TIMEOUT, SECOND, |s| pod(s, name).is_none());
        assert!(gone, "pod {name} found, but it should be deleted");
        let out = kubectl(&mut s, &format!("get pod {name}"));
        assert_eq!(out.stderr, format!("Error from server (NotFound): pods \"{name}\" not found\n"), "expected IsNotFound error");
    }

    /// `should patch a pod status [Conformance]`
    #[test]
    fn should_patch_a_pod_status() {
        let name = "pod-x4k2q";
        let mut s = session(&restricted_pod(
            name,
            &[("e2e", name)],
            "  terminationGracePeriodSeconds: 1\n",
            &C { name: "agnhost", image: AGNHOST, command: &[], ports: &[] },
        ));
        // WaitForPodRunningInNamespace: "Pod didn't start within time out period".
        wait_running(&mut s, name);
        // "patching /status": a merge patch of an annotation and the status's message and reason.
        let out = kubectl(
            &mut s,
            &format!(
                r#"patch pod {name} --subresource=status --type=merge -p '{{"metadata":{{"annotations":{{"patchedstatus":"true"}}}},"status":{{"message":"Patched by e2e test","reason":"E2E"}}}}'"#
            ),
        );
        assert_eq!(out.stdout, format!("pod/{name} patched\n"), "failed to patch pod: {out:?}");
        let p = pod(&s, name).expect("the patched pod");
        assert_eq!(p.status.message.as_deref(), Some("Patched by e2e test"), "Status.Message");
        assert_eq!(p.status.reason.as_deref(), Some("E2E"), "Status.Reason");
        assert_eq!(p.metadata.annotations.get("patchedstatus").map(String::as_str), Some("true"));
    }
}

/// `startPodAndGetBackOffs`: CreateSync, sleep, then three restart delays (the first dropped).
fn start_pod_and_get_back_offs(s: &mut Session, name: &str, container: &str, sleep: Millis) -> (Millis, Millis) {
    wait_ready(s, name);
    let t = s.now() + sleep;
    s.seek(t);
    get_restart_delay(s, name, container).expect("timed out waiting for container restart");
    let delay1 = get_restart_delay(s, name, container).expect("timed out waiting for container restart");
    let delay2 = get_restart_delay(s, name, container).expect("timed out waiting for container restart");
    (delay1, delay2)
}

/// `getRestartDelay`: every second for up to 2 × maxBackOffTolerance, the time from the last
/// finish to the next start once the restart count moves.
fn get_restart_delay(s: &mut Session, name: &str, container: &str) -> Option<Millis> {
    let begin = s.now();
    let mut previous_restart_count = -1;
    let mut previous_finished_at = 0;
    let mut t = begin;
    while t - begin < 2 * MAX_BACK_OFF_TOLERANCE {
        t += SECOND;
        s.seek(t);
        let Some(status) = pod(s, name).and_then(|p| p.status.container_statuses.iter().find(|c| c.name == container)).cloned() else {
            continue;
        };
        // The first run of the pod has no last state.
        let Some(last) = status.last_state.terminated.clone() else { continue };
        if previous_restart_count == -1 {
            if status.state.running.is_some() {
                // Still running: no finishedAt yet.
                continue;
            } else if let Some(terminated) = &status.state.terminated {
                previous_finished_at = terminated.finished_at.unwrap_or_default();
            } else {
                previous_finished_at = last.finished_at.unwrap_or_default();
            }
            previous_restart_count = status.restart_count;
        }
        if status.restart_count > previous_restart_count {
            let started_at = if let Some(running) = &status.state.running {
                running.started_at
            } else if let Some(terminated) = &status.state.terminated {
                terminated.started_at.unwrap_or_default()
            } else {
                last.started_at.unwrap_or_default()
            };
            return Some(started_at.saturating_sub(previous_finished_at));
        }
    }
    None
}
