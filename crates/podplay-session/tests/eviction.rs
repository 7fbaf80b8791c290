//! The kubelet's eviction manager on the simulated runtime: local storage limits, node disk
//! pressure, and what differs between releases.

use podplay_core::{load, SourceFile};
use podplay_session::Session;

fn session(yaml: &str, version: &str) -> Session {
    let text = format!(
        "{yaml}\n---\napiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: s}}\nspec:\n  kubernetesVersion: \"{version}\"\n"
    );
    let m = load(&[SourceFile { name: "t.yaml".into(), text }]).expect("valid yaml");
    Session::new(&m).expect("valid objects")
}

fn pod(name: &str, command: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"{command}\"]\n{extra}"
    )
}

const FILLER: &str = "dd if=/dev/zero of=/fill bs=1M count=60000; sleep 3600";

fn status(s: &Session, name: &str) -> podplay_core::model::PodStatus {
    s.engine().pods().find(|p| p.metadata.name == name).expect("pod").status.clone()
}

#[test]
fn an_emptydir_over_its_size_limit_is_evicted_once_measured() {
    let volume = "    volumeMounts: [{name: v, mountPath: /v}]\n  volumes:\n  - name: v\n    emptyDir: {sizeLimit: 10Mi}\n";
    let mut s = session(&pod("p", "dd if=/dev/zero of=/v/f bs=1M count=20; sleep 3600", volume), "1.36");
    // The resource analyzer's first pass sees the pod at 41.7 s; the manager's next pass evicts.
    s.seek(46_299);
    assert_eq!(status(&s, "p").phase, "Running");
    s.seek(46_300);
    let st = status(&s, "p");
    assert_eq!((st.phase.as_str(), st.reason.as_deref()), ("Failed", Some("Evicted")));
    assert_eq!(st.message.as_deref(), Some("Usage of EmptyDir volume \"v\" exceeds the limit \"10Mi\". "));
    assert!(st.condition("DisruptionTarget").is_none(), "no DisruptionTarget for a local storage limit");
    s.seek(49_000);
    let st = status(&s, "p");
    let t = st.container_statuses[0].state.terminated.as_ref().expect("killed after the 2 s minimum grace");
    assert_eq!((t.exit_code, t.reason.as_deref()), (137, Some("Error")));
}

#[test]
fn node_pressure_evicts_the_largest_user_and_sets_disk_pressure() {
    let yaml = format!("{}\n---\n{}", pod("filler", FILLER, ""), pod("quiet", "sleep 3600", ""));
    let mut s = session(&yaml, "1.36");
    s.seek(60_000);
    assert_eq!(status(&s, "quiet").phase, "Running");
    let st = status(&s, "filler");
    assert_eq!(st.reason.as_deref(), Some("Evicted"));
    assert_eq!(
        st.message.as_deref(),
        Some("The node was low on resource: ephemeral-storage. Threshold quantity: 15763389861, available: 10398360Ki. Container c was using 61440004Ki, request is 0, has larger consumption of ephemeral-storage. ")
    );
    let dt = st.condition("DisruptionTarget").expect("PodDisruptionConditions");
    assert_eq!(dt.reason.as_deref(), Some("TerminationByKubelet"));
    let node = s.engine().nodes().next().unwrap();
    assert!(node.conditions.iter().any(|c| c.kind == "DiskPressure" && c.status == "True"));
    assert!(node.spec.taints.iter().any(|t| t.key == "node.kubernetes.io/disk-pressure" && t.effect == "NoSchedule"));
    // The evicted pod's layer is gone; the condition stays 5 minutes after the last pass that
    // saw a threshold met, then goes with its taint.
    s.seek(400_000);
    let node = s.engine().nodes().next().unwrap();
    assert!(node.conditions.iter().any(|c| c.kind == "DiskPressure" && c.status == "False"));
    assert!(node.spec.taints.is_empty());
}

#[test]
fn eviction_messages_and_conditions_follow_the_release() {
    let message = |version: &str| {
        let mut s = session(&pod("filler", FILLER, ""), version);
        s.seek(60_000);
        let st = status(&s, "filler");
        (st.message.clone().unwrap_or_default(), st.condition("DisruptionTarget").is_some())
    };
    let (m, dt) = message("1.25");
    assert_eq!(m, "The node was low on resource: ephemeral-storage. Container c was using 61440004Ki, which exceeds its request of 0. ");
    assert!(!dt);
    let (m, dt) = message("1.26");
    assert_eq!(m, "The node was low on resource: ephemeral-storage. Container c was using 61440004Ki, request is 0, has larger consumption of ephemeral-storage. ");
    assert!(dt);
    let (m, _) = message("1.27");
    assert!(m.contains(". Threshold quantity: 15763389861, available: "), "{m}");
}

#[test]
fn an_ephemeral_storage_limit_evicts_only_its_pod() {
    let limit = "    resources: {limits: {ephemeral-storage: 100Mi}}\n";
    let yaml = format!(
        "{}\n---\n{}",
        pod("big", "dd if=/dev/zero of=/tmp/f bs=1M count=200; sleep 3600", limit),
        pod("small", "sleep 3600", limit)
    );
    let mut s = session(&yaml, "1.36");
    s.seek(6_300);
    // One container, so the pod's total (writable layer and logs) passes the sum of the limits.
    assert_eq!(
        status(&s, "big").message.as_deref(),
        Some("Pod ephemeral local storage usage exceeds the total limit of containers 100Mi. ")
    );
    assert_eq!(status(&s, "small").phase, "Running");
}

#[test]
fn a_quiet_node_is_watched_again_when_a_program_starts_filling_a_file() {
    // Nothing to watch at the first pass (6.3 s): no limits, no writer, a disk far from its
    // thresholds. The dd that starts at 100 s brings the manager back.
    let mut s = session(&pod("late", "sleep 100; dd if=/dev/zero of=/fill bs=1M count=60000; sleep 3600", ""), "1.36");
    s.seek(120_000);
    assert_eq!(status(&s, "late").phase, "Running");
    s.seek(150_000);
    let st = status(&s, "late");
    assert_eq!(st.reason.as_deref(), Some("Evicted"), "{st:?}");
    let evicted = s.engine().timeline().iter().find(|c| c.object == "pod/late" && c.summary().contains("Evicted")).map(|c| c.at);
    assert_eq!(evicted, Some(136_300), "the pass after the dd ended (about 132 s), on the manager's 10 s grid");
}

#[test]
fn a_volume_with_no_source_is_an_emptydir_the_manager_measures() {
    // SetDefaults_Volume: `- name: v` alone is `emptyDir: {}`, so its use counts toward the
    // pod's ephemeral-storage limit like any disk emptyDir.
    let extra =
        "    resources: {limits: {ephemeral-storage: 10Mi}}\n    volumeMounts: [{name: v, mountPath: /v}]\n  volumes:\n  - name: v\n";
    let mut s = session(&pod("p", "dd if=/dev/zero of=/v/f bs=1M count=20; sleep 3600", extra), "1.36");
    let volume = s.engine().pods().find(|p| p.metadata.name == "p").expect("pod").spec.volumes[0].clone();
    assert!(volume.empty_dir.is_some(), "{volume:?}");
    s.seek(120_000);
    let st = status(&s, "p");
    assert_eq!((st.phase.as_str(), st.reason.as_deref()), ("Failed", Some("Evicted")));
    assert_eq!(st.message.as_deref(), Some("Pod ephemeral local storage usage exceeds the total limit of containers 10Mi. "));
}
