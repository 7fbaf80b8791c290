//! Kubernetes' own node e2e init container tests (`test/e2e/common/node/init_container.go`,
//! `[sig-node] InitContainer [NodeConformance]`), ported: the same names, pod specs and
//! assertions, the e2e's watch (`watchtools.Until` over `framework.PodStartTimeout`) as the pod
//! read at each virtual second, each distinct state it shows being one watch event.
//!
//! Images: the e2e busybox is `registry.k8s.io/e2e-test-images/busybox:1.36.1-1`.
//! `imageutils.GetPauseImageName()` is `registry.k8s.io/pause:3.9` here, the tag podplay's
//! catalog (`crates/podplay-runtime/src/catalog/pause.rs`) is exercised with.
//!
//! The watch's invariants: upstream records the events in a copy of its slice (so none reach
//! `checkInvariants`) and discards `checkInvariants`' error, and its `initialized` as written
//! rejects any init container that is not waiting (`allInit` starts true). Here the invariant
//! is checked on every state seen, as it means: init containers run in order (after one that has
//! not completed, the next are waiting), completed ones are ready, app containers wait with
//! `PodInitializing` and no restart while initialization is incomplete, `Initialized` is never
//! `Unknown`, is `True` exactly when every init container completed, and never goes back to
//! `False`; the pod's UID and its init container list do not change. The per-event checks of the
//! upstream conditions (which do fail the test) are kept as they are.

mod e2e_support;

use e2e_support::{create, POD_START_TIMEOUT};
use podplay_core::clock::SECOND;
use podplay_core::model::{ContainerStatus, Pod};
use podplay_session::Session;

const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.36.1-1";
const PAUSE: &str = "registry.k8s.io/pause:3.9";

fn the_pod(s: &Session) -> &Pod {
    s.engine().pods().next().expect("the pod exists")
}

/// A watch condition: `Ok(true)` when done, `Err` to fail the watch.
type Condition<'a> = Box<dyn FnMut(&Pod) -> Result<bool, String> + 'a>;

/// `watchtools.Until(ctx(framework.PodStartTimeout), ..., conditions...)`: the pod is read at each
/// virtual second; each state that differs from the one before is an event, handed to the
/// current condition (and, once it is done, to the next, as `UntilWithoutRetry` does). Returns
/// every distinct state seen, the last being the event that met the last condition.
fn watch_until(s: &mut Session, mut conditions: Vec<Condition>) -> Vec<Pod> {
    let start = s.now();
    let mut events: Vec<Pod> = Vec::new();
    let mut t = start;
    while t <= start + POD_START_TIMEOUT {
        s.seek(t);
        let p = the_pod(s);
        let fresh = events.last().is_none_or(|last| last.status != p.status || last.metadata.uid != p.metadata.uid);
        if fresh {
            events.push(p.clone());
            while let Some(condition) = conditions.first_mut() {
                match condition(p) {
                    Err(e) => panic!("watch at {t} ms: {e}"),
                    Ok(true) => {
                        drop(conditions.remove(0));
                    }
                    Ok(false) => break,
                }
            }
            if conditions.is_empty() {
                return events;
            }
        }
        t += SECOND;
    }
    panic!("the watch timed out after {POD_START_TIMEOUT} ms; last state: {:?}", the_pod(s).status);
}

/// `initialized`, as it means: (all init containers completed, one failed). Before the kubelet
/// reports a status for each init container, they have not all completed (upstream's loop over
/// no statuses would say they have).
fn initialized(p: &Pod) -> Result<(bool, bool), String> {
    let reported = p.status.init_container_statuses.len() == p.spec.init_containers.len();
    let (mut all_init, mut init_failed) = (reported, false);
    for s in &p.status.init_container_statuses {
        if init_failed && s.state.waiting.is_none() {
            return Err(format!("container {} is after a failed container but isn't waiting", s.name));
        }
        if !all_init && s.state.waiting.is_none() {
            return Err(format!("container {} is after an initializing container but isn't waiting", s.name));
        }
        match &s.state.terminated {
            None => all_init = false,
            Some(t) if t.exit_code != 0 => {
                all_init = false;
                init_failed = true;
            }
            Some(_) if !s.ready => return Err(format!("container {} initialized but isn't marked as ready", s.name)),
            Some(_) => {}
        }
    }
    Ok((all_init, init_failed))
}

/// `initContainersInvariants`. The kubelet's first status (with the init containers' statuses)
/// is what brings the `Initialized` condition; states before it (the scheduler's binding) are
/// not checked for it. `LastTransitionTime.IsZero()` is not checked: virtual time starts at 0.
fn init_containers_invariants(p: &Pod) -> Result<(), String> {
    let (all_init, init_failed) = initialized(p)?;
    if !all_init || init_failed {
        for s in &p.status.container_statuses {
            let Some(w) = s.state.waiting.as_ref().filter(|_| s.restart_count == 0) else {
                return Err(format!("container {} is not waiting but initialization not complete", s.name));
            };
            if w.reason.as_deref() != Some("PodInitializing") {
                return Err(format!("container {} should have reason PodInitializing: {:?}", s.name, w.reason));
            }
        }
    }
    let Some(c) = p.status.condition("Initialized") else {
        if p.status.init_container_statuses.is_empty() {
            return Ok(());
        }
        return Err("pod does not have initialized condition".into());
    };
    match c.status.as_str() {
        "Unknown" => Err("PodInitialized condition should never be Unknown".into()),
        "True" if init_failed || !all_init => Err("PodInitialized condition was True but all not all containers initialized".into()),
        "False" if !init_failed && all_init => Err("PodInitialized condition was False but all containers initialized".into()),
        _ => Ok(()),
    }
}

/// `checkInvariants(events, containerInitInvariant)`, enforced (see the top comment).
fn check_invariants(events: &[Pod]) {
    let mut errs = Vec::new();
    for p in events {
        if let Err(e) = init_containers_invariants(p) {
            errs.push(e);
        }
    }
    for w in events.windows(2) {
        let (old, new) = (&w[0], &w[1]);
        if old.spec.init_containers.len() != new.spec.init_containers.len() {
            errs.push("init container list changed".into());
        }
        if old.metadata.uid != new.metadata.uid {
            errs.push(format!("two different pods exist in the condition: {} vs {}", old.metadata.uid, new.metadata.uid));
        }
        let old_init = initialized(old).is_ok_and(|(a, f)| a && !f);
        let new_init = initialized(new).is_ok_and(|(a, f)| a && !f);
        if old_init && !new_init {
            errs.push("pod cannot be initialized and then regress to not being initialized".into());
        }
    }
    errs.sort();
    errs.dedup();
    assert!(errs.is_empty(), "invariants violated:\n* {}\nstates seen: {events:#?}", errs.join("\n* "));
}

/// `conditions.PodCompleted`.
fn pod_completed(p: &Pod) -> Result<bool, String> {
    Ok(matches!(p.status.phase.as_str(), "Failed" | "Succeeded"))
}

/// `conditions.PodRunning`.
fn pod_running(p: &Pod) -> Result<bool, String> {
    match p.status.phase.as_str() {
        "Running" => Ok(true),
        "Failed" | "Succeeded" => Err("pod ran to completion".into()),
        _ => Ok(false),
    }
}

/// `toDebugJSON`.
fn debug(s: &ContainerStatus) -> String {
    format!("{s:?}")
}

/// The app containers all wait with `PodInitializing` (the first check of both failing-init
/// watches).
fn app_containers_wait_initializing(p: &Pod) -> Result<(), String> {
    for s in &p.status.container_statuses {
        match &s.state.waiting {
            None => return Err(format!("container {:?} should not be out of waiting: {}", s.name, debug(s))),
            Some(w) if w.reason.as_deref() != Some("PodInitializing") => {
                return Err(format!("container {:?} should have reason PodInitializing: {}", s.name, debug(s)))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The end pod's `Initialized` condition: (status, reason, message).
fn init_condition(p: &Pod) -> (String, Option<String>, Option<String>) {
    let c = p.status.condition("Initialized").expect("an Initialized condition");
    (c.status.clone(), c.reason.clone(), c.message.clone())
}

/// The end pod's init containers are both ready and terminated with exit code 0.
fn assert_init_containers_completed(p: &Pod) {
    assert_eq!(p.status.init_container_statuses.len(), 2, "{:?}", p.status);
    for s in &p.status.init_container_statuses {
        assert!(s.ready, "init container {} should be in Ready status", s.name);
        let t = s.state.terminated.as_ref().unwrap_or_else(|| panic!("init container {} is terminated: {}", s.name, debug(s)));
        assert_eq!(t.exit_code, 0, "init container {} exit code", s.name);
        assert_eq!(t.reason.as_deref(), Some("Completed"), "init container {} reason", s.name);
    }
}

/// The index of the first state where `f` holds.
fn first(events: &[Pod], f: impl Fn(&Pod) -> bool) -> Option<usize> {
    events.iter().position(f)
}

fn status<'a>(p: &'a Pod, name: &str) -> Option<&'a ContainerStatus> {
    p.status.init_container_statuses.iter().chain(&p.status.container_statuses).find(|c| c.name == name)
}

fn is_terminated(p: &Pod, name: &str) -> bool {
    status(p, name).is_some_and(|c| c.state.terminated.is_some())
}

fn has_left_waiting(p: &Pod, name: &str) -> bool {
    status(p, name).is_some_and(|c| c.state.waiting.is_none())
}

/// `init1` completes before `init2` leaves waiting, and `init2` before `run1` does.
fn assert_in_order(events: &[Pod]) {
    let init1_done = first(events, |p| is_terminated(p, "init1")).expect("init1 terminates");
    let init2_started = first(events, |p| has_left_waiting(p, "init2")).expect("init2 runs");
    let init2_done = first(events, |p| is_terminated(p, "init2")).expect("init2 terminates");
    let run1_started = first(events, |p| has_left_waiting(p, "run1")).expect("run1 runs");
    assert!(init1_done <= init2_started, "init2 ran before init1 completed: {events:#?}");
    assert!(init2_done <= run1_started, "run1 ran before init2 completed: {events:#?}");
}

/// `should invoke init containers on a RestartNever pod`
#[test]
fn should_invoke_init_containers_on_a_restart_never_pod() {
    let mut s = create(&format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: pod-init-0
  labels:
    name: foo
    time: \"0\"
spec:
  restartPolicy: Never
  initContainers:
  - name: init1
    image: {BUSYBOX}
    command: [\"/bin/true\"]
  - name: init2
    image: {BUSYBOX}
    command: [\"/bin/true\"]
  containers:
  - name: run1
    image: {BUSYBOX}
    command: [\"/bin/true\"]
"
    ));
    let events = watch_until(&mut s, vec![Box::new(pod_completed)]);
    check_invariants(&events);
    assert_in_order(&events);
    let end = events.last().expect("an event");
    assert_eq!(end.status.phase, "Succeeded");
    assert_eq!(init_condition(end).0, "True");
    assert_init_containers_completed(end);
}

/// `should invoke init containers on a RestartAlways pod`
#[test]
fn should_invoke_init_containers_on_a_restart_always_pod() {
    let mut s = create(&format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: pod-init-0
  labels:
    name: foo
    time: \"0\"
spec:
  initContainers:
  - name: init1
    image: {BUSYBOX}
    command: [\"/bin/true\"]
  - name: init2
    image: {BUSYBOX}
    command: [\"/bin/true\"]
  containers:
  - name: run1
    image: {PAUSE}
    resources:
      limits:
        cpu: 100m
"
    ));
    let events = watch_until(&mut s, vec![Box::new(pod_running)]);
    check_invariants(&events);
    assert_in_order(&events);
    let end = events.last().expect("an event");
    assert_eq!(end.status.phase, "Running");
    assert_eq!(init_condition(end).0, "True");
    assert_init_containers_completed(end);
}

/// `should not start app containers if init containers fail on a RestartAlways pod`
#[test]
fn should_not_start_app_containers_if_init_containers_fail_on_a_restart_always_pod() {
    let mut s = create(&format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: pod-init-0
  labels:
    name: foo
    time: \"0\"
spec:
  initContainers:
  - name: init1
    image: {BUSYBOX}
    command: [\"/bin/false\"]
  - name: init2
    image: {BUSYBOX}
    command: [\"/bin/true\"]
  containers:
  - name: run1
    image: {PAUSE}
    resources:
      limits:
        cpu: 100m
"
    ));
    let events = watch_until(
        &mut s,
        vec![
            // check for the first container to fail at least once
            Box::new(|p: &Pod| {
                app_containers_wait_initializing(p)?;
                if p.status.init_container_statuses.len() != 2 {
                    return Ok(false);
                }
                let second = &p.status.init_container_statuses[1];
                match &second.state.waiting {
                    None => return Err(format!("second init container should not be out of waiting: {}", debug(second))),
                    Some(w) if w.reason.as_deref() != Some("PodInitializing") => {
                        return Err(format!("second init container should have reason PodInitializing: {}", debug(second)))
                    }
                    Some(_) => {}
                }
                let first = &p.status.init_container_statuses[0];
                if first.state.terminated.as_ref().is_some_and(|t| t.exit_code == 0) {
                    return Err(format!("first init container should have exitCode != 0: {}", debug(first)));
                }
                // continue until we see an attempt to restart the pod
                Ok(first.last_state.terminated.is_some())
            }),
            // verify we get two restarts
            Box::new(|p: &Pod| Ok(p.status.init_container_statuses[0].restart_count >= 3)),
        ],
    );
    check_invariants(&events);
    let end = events.last().expect("an event");
    assert_eq!(end.status.phase, "Pending");
    let (status, reason, message) = init_condition(end);
    assert_eq!(status, "False");
    assert_eq!(reason.as_deref(), Some("ContainersNotInitialized"));
    assert_eq!(message.as_deref(), Some("containers with incomplete status: [init1 init2]"));
    assert_eq!(end.status.init_container_statuses.len(), 2);
    // Every failure of init1 seen is exit code 1, reason Error; init2 never ran.
    for p in &events {
        let init1 = &p.status.init_container_statuses.first();
        for t in init1.iter().flat_map(|c| [&c.state.terminated, &c.last_state.terminated]).flatten() {
            assert_eq!((t.exit_code, t.reason.as_deref()), (1, Some("Error")), "init1 terminated: {t:?}");
        }
        assert!(!has_left_waiting(p, "init2"), "init2 ran: {:?}", p.status);
    }
}

/// `should not start app containers and fail the pod if init containers fail on a RestartNever
/// pod`
#[test]
fn should_not_start_app_containers_and_fail_the_pod_if_init_containers_fail_on_a_restart_never_pod() {
    let mut s = create(&format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: pod-init-0
  labels:
    name: foo
    time: \"0\"
spec:
  restartPolicy: Never
  initContainers:
  - name: init1
    image: {BUSYBOX}
    command: [\"/bin/true\"]
  - name: init2
    image: {BUSYBOX}
    command: [\"/bin/false\"]
  containers:
  - name: run1
    image: {BUSYBOX}
    command: [\"/bin/true\"]
    resources:
      limits:
        cpu: 100m
"
    ));
    let events = watch_until(
        &mut s,
        vec![
            // check for the second container to fail at least once
            Box::new(|p: &Pod| {
                app_containers_wait_initializing(p)?;
                if p.status.init_container_statuses.len() != 2 {
                    return Ok(false);
                }
                let first = &p.status.init_container_statuses[0];
                let Some(t) = &first.state.terminated else {
                    if first.state.waiting.as_ref().is_some_and(|w| w.reason.as_deref() != Some("PodInitializing")) {
                        return Err(format!("second init container should have reason PodInitializing: {}", debug(first)));
                    }
                    return Ok(false);
                };
                if t.exit_code != 0 {
                    return Err(format!("first init container should have exitCode != 0: {}", debug(first)));
                }
                let second = &p.status.init_container_statuses[1];
                let Some(t) = &second.state.terminated else {
                    return Ok(false);
                };
                if t.exit_code == 0 {
                    return Err(format!("second init container should have failed: {}", debug(second)));
                }
                Ok(true)
            }),
            Box::new(pod_completed),
        ],
    );
    check_invariants(&events);
    assert_in_order_until_init2(&events);
    let end = events.last().expect("an event");
    assert_eq!(end.status.phase, "Failed");
    let (status, reason, message) = init_condition(end);
    assert_eq!(status, "False");
    assert_eq!(reason.as_deref(), Some("ContainersNotInitialized"));
    assert_eq!(message.as_deref(), Some("containers with incomplete status: [init2]"));
    assert_eq!(end.status.init_container_statuses.len(), 2);
    assert!(end.status.container_statuses[0].state.waiting.is_some(), "run1 waits: {:?}", end.status.container_statuses[0]);
    let init2 = end.status.init_container_statuses[1].state.terminated.as_ref().expect("init2 terminated");
    assert_eq!((init2.exit_code, init2.reason.as_deref()), (1, Some("Error")));
    assert!(events.iter().all(|p| !has_left_waiting(p, "run1")), "run1 never leaves waiting");
}

/// `init1` completes before `init2` leaves waiting.
fn assert_in_order_until_init2(events: &[Pod]) {
    let init1_done = first(events, |p| is_terminated(p, "init1")).expect("init1 terminates");
    let init2_started = first(events, |p| has_left_waiting(p, "init2")).expect("init2 runs");
    assert!(init1_done <= init2_started, "init2 ran before init1 completed: {events:#?}");
}
