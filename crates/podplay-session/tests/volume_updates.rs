//! The volume manager's remount of configMap, secret, downwardAPI and projected volumes at each
//! sync of a running pod (`WaitForAttachAndMount` → `ReprocessPod`, the plugins'
//! `RequiresRemount`): what an update of the objects or of the pod's metadata does to the files
//! its containers see, and what it leaves alone (the environment, `subPath` mounts).

mod e2e_support;

use e2e_support::{create, kubectl};
use podplay_core::clock::{Millis, SECOND};
use podplay_session::Session;

/// A Scenario with `steps` (YAML list items) and the `objects` after it.
fn scenario(steps: &str, objects: &str) -> Session {
    create(&format!("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  steps:\n{steps}---\n{objects}"))
}

/// `cat PATH` in the pod's container at `t`: its output, or its error.
fn cat(s: &mut Session, t: Millis, pod: &str, path: &str) -> String {
    s.seek(t);
    let (code, out, err) = kubectl(s, &["exec", pod, "--", "cat", path]);
    if code == 0 {
        out
    } else {
        err
    }
}

/// The events about pod `name`.
fn events_for(s: &Session, name: &str) -> Vec<podplay_core::model::Event> {
    s.engine().events().into_iter().filter(|e| e.involved_object.name == name).collect()
}

fn config_map(name: &str, value: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  mode: {value}\n")
}

/// An apply step of `manifest` at `at`.
fn apply_step(at: &str, manifest: &str) -> String {
    let indented: String = manifest.lines().map(|l| format!("      {l}\n")).collect();
    format!("  - at: {at}\n    run: kubectl apply -f -\n    manifest: |\n{indented}")
}

const READER: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: reader\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sleep, '3600']\n    env:\n    - name: MODE\n      valueFrom:\n        configMapKeyRef: {name: settings, key: mode, optional: true}\n    volumeMounts:\n    - {name: cfg, mountPath: /cfg}\n    - {name: cfg, mountPath: /one, subPath: mode}\n  volumes:\n  - name: cfg\n    configMap:\n      name: settings\n";

#[test]
fn an_updated_configmap_reaches_the_mounted_files_at_the_next_sync_but_not_env_or_a_sub_path() {
    let objects = format!("{}---\n{READER}", config_map("settings", "fast"));
    let mut s = scenario(&apply_step("20s", &config_map("settings", "slow")), &objects);
    assert_eq!(cat(&mut s, 19 * SECOND, "reader", "/cfg/mode"), "fast");
    assert_eq!(cat(&mut s, 21 * SECOND, "reader", "/cfg/mode"), "fast", "the kubelet has not synced the pod since");
    // The periodic resync comes 60-90 s after the last one.
    assert_eq!(cat(&mut s, 111 * SECOND, "reader", "/cfg/mode"), "slow");
    assert_eq!(cat(&mut s, 111 * SECOND, "reader", "/one"), "fast", "a subPath mount keeps the file it was given");
    let (_, env, _) = kubectl(&mut s, &["exec", "reader", "--", "printenv", "MODE"]);
    assert_eq!(env, "fast\n", "the environment is made once, at the container's start");
}

#[test]
fn a_deleted_configmap_leaves_the_files_and_its_remounts_fail_under_a_doubling_back_off() {
    let objects = format!("{}---\n{READER}", config_map("settings", "fast"));
    let mut s = scenario("  - at: 20s\n    run: kubectl delete configmap settings\n", &objects);
    assert_eq!(cat(&mut s, 600 * SECOND, "reader", "/cfg/mode"), "fast");
    let events = events_for(&s, "reader");
    let failed: Vec<_> = events.iter().filter(|e| e.reason == "FailedMount").collect();
    assert_eq!(failed.len(), 1, "one event, counted: {events:?}");
    let e = failed[0];
    assert_eq!(e.message, "MountVolume.SetUp failed for volume \"cfg\" : configmap \"settings\" not found");
    // The event's times are in whole seconds; its creation has the millisecond.
    let first = e.created_at;
    assert!((20 * SECOND..=95 * SECOND).contains(&first), "the first sync after the deletion (60-90 s after the last): {first}");
    // nestedpendingoperations' back-off from the first failed remount: 0.5 s doubling to 2m2s.
    let (mut last, mut count) = (first, 1);
    for gap in [500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 122_000, 122_000, 122_000, 122_000] {
        // The reconciler's next 100 ms loop after the back-off.
        let next = (last + gap).div_ceil(100) * 100;
        if next > 600 * SECOND {
            break;
        }
        (last, count) = (next, count + 1);
    }
    assert_eq!((e.count, e.last_timestamp), (count, Some(last / SECOND * SECOND)), "{e:?}");
    let (code, out, _) = kubectl(&mut s, &["get", "pod", "reader", "-o", "jsonpath={.status.phase}"]);
    assert_eq!((code, out.as_str()), (0, "Running"));
}

const MISSING: &str = "cat: can't open '/cfg/mode': No such file or directory\ncommand terminated with exit code 1\n";

#[test]
fn an_optional_configmap_created_later_fills_the_volume_and_its_deletion_empties_it() {
    let pod = READER.replace("      name: settings\n", "      name: settings\n      optional: true\n");
    let steps = format!("{}  - at: 200s\n    run: kubectl delete configmap settings\n", apply_step("10s", &config_map("settings", "fast")));
    let mut s = scenario(&steps, &pod);
    assert_eq!(cat(&mut s, 5 * SECOND, "reader", "/cfg/mode"), MISSING);
    assert_eq!(cat(&mut s, 101 * SECOND, "reader", "/cfg/mode"), "fast");
    assert_eq!(cat(&mut s, 291 * SECOND, "reader", "/cfg/mode"), MISSING);
    let events = events_for(&s, "reader");
    assert!(events.iter().all(|e| e.reason != "FailedMount"), "{events:?}");
}

#[test]
fn a_label_update_reaches_a_downward_api_file_at_once() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: labelled\n  labels: {tier: web}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sleep, '3600']\n    volumeMounts:\n    - {name: info, mountPath: /etc/podinfo}\n  volumes:\n  - name: info\n    downwardAPI:\n      items:\n      - path: labels\n        fieldRef: {fieldPath: metadata.labels}\n";
    let mut s = scenario("  - at: 30s\n    run: kubectl label pod labelled track=canary\n", pod);
    assert_eq!(cat(&mut s, 29 * SECOND, "labelled", "/etc/podinfo/labels"), "tier=\"web\"");
    // The pod update is a sync of its own (podsDifferSemantically: the labels changed).
    assert_eq!(cat(&mut s, 30 * SECOND + 1, "labelled", "/etc/podinfo/labels"), "tier=\"web\"\ntrack=\"canary\"");
}

#[test]
fn an_updated_secret_reaches_its_projected_file() {
    let secret = |v: &str| format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  value: {v}\n");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sleep, '3600']\n    volumeMounts:\n    - {name: all, mountPath: /etc/all}\n  volumes:\n  - name: all\n    projected:\n      sources:\n      - secret: {name: token}\n";
    let mut s = scenario(&apply_step("20s", &secret("two")), &format!("{}---\n{pod}", secret("one")));
    assert_eq!(cat(&mut s, 19 * SECOND, "p", "/etc/all/value"), "one");
    assert_eq!(cat(&mut s, 111 * SECOND, "p", "/etc/all/value"), "two");
}

#[test]
fn mounttest_s_loop_by_default_waits_for_its_own_new_file_text_and_exits_1_when_its_last_read_failed() {
    let pod = |args: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: mt\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: registry.k8s.io/e2e-test-images/agnhost:2.40\n    args: [mounttest, {args}]\n")
    };
    // The default --break_on_expected_content: each read that is not mounttest's own new-file
    // text says so, without a line end; the loop runs out after --retry_time (reads at 0, 2, 4 s).
    let mut s = create(&pod("--retry_time=5, --file_content_in_loop=/etc/hostname"));
    s.seek(30 * SECOND);
    let (_, logs, _) = kubectl(&mut s, &["logs", "mt"]);
    let read = "content of file \"/etc/hostname\": mt\n\nUnexpected content. Expected: mount-tester new file\n. Retrying";
    // Left unfinished at the exit, the last line is a partial record: no line end is added.
    assert_eq!(logs, format!("{read}{read}{read}"));
    let (_, code, _) = kubectl(&mut s, &["get", "pod", "mt", "-o", "jsonpath={.status.containerStatuses[0].state.terminated.exitCode}"]);
    assert_eq!(code, "0");
    let mut s = create(&pod("--retry_time=3, --file_content_in_loop=/nowhere"));
    s.seek(30 * SECOND);
    let (_, logs, _) = kubectl(&mut s, &["logs", "mt"]);
    assert_eq!(logs, "Error reading file /nowhere: open /nowhere: no such file or directory, retrying\n".repeat(2));
    let (_, code, _) = kubectl(&mut s, &["get", "pod", "mt", "-o", "jsonpath={.status.containerStatuses[0].state.terminated.exitCode}"]);
    assert_eq!(code, "1");
}
