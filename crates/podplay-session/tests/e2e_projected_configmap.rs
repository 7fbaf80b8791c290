//! Kubernetes' own e2e tests of ConfigMaps in projected volumes
//! (`test/e2e/common/storage/projected_configmap.go`, `[sig-storage] Projected configMap`),
//! ported: the same names, objects and assertions; the e2e's waits (`TestContainerOutput` and
//! `TestContainerOutputRegexp`: the pod's success within `f.Timeouts.PodStart`, then its
//! container's log; `WaitForPodNameRunningInNamespace` over `framework.PodStartTimeout`) as
//! seeks of virtual time. The ConfigMap and the pod are created at time 0 (the e2e creates the
//! ConfigMap first). Names carry a fixed UUID. The two `Should fail non-optional ...` tests
//! build plain `configMap` volumes, as upstream's `createNonOptionalConfigMapPod*` (shared with
//! `configmap_volume.go`) do.
//!
//! `updates should be reflected in volume` and `optional updates should be reflected in volume`
//! wait for the kubelet's remount of the volume (each sync of the running pod), read by agnhost
//! `mounttest --file_content_in_loop`; the e2e's `Update` of the whole ConfigMap is a JSON patch
//! replacing its `data`.
//!
//! The five tests that run as non-root (`setPodNonRootUser`: `runAsUser: 1000`) or with an
//! `fsGroup` check that user's access to the files the kubelet wrote.

mod e2e_support;

use e2e_support::{
    as_user_fields, create, create_non_optional_config_map_pod, create_sync, eventually_logs_contain, get_file_mode_regex, kubectl, list,
    optional_updates_should_be_reflected_in_volume, test_container_output, test_container_output_regexp, with_security_context,
    OptionalUpdates, AGNHOST, AGNHOST_CONTAINER, POD_SECRET_UPDATE_TIMEOUT,
};
use podplay_core::clock::SECOND;

const UUID: &str = "5e2f8a17-3c4b-4d6e-8f90-1a2b3c4d5e6f";
/// `e2epod.GetPodSecretUpdateTimeout` in seconds.
const POD_SECRET_UPDATE_TIMEOUT_SECONDS: u64 = POD_SECRET_UPDATE_TIMEOUT / SECOND;

/// `newConfigMap`.
fn new_config_map(name: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  data-1: value-1\n  data-2: value-2\n  data-3: value-3\n")
}

/// `createProjectedConfigMapMounttestPod` (`e2epod.NewAgnhostPod` with a read-only mount,
/// `restartPolicy: Never`), with the projected volume's `defaultMode` and the source's `items`
/// (YAML flow) when given.
fn create_projected_config_map_mounttest_pod(
    reference: &str,
    default_mode: Option<u32>,
    items: Option<&str>,
    args: &[&str],
) -> (String, String) {
    let pod_name = format!("pod-projected-configmaps-{UUID}");
    let items = items.map(|i| format!(", items: {i}")).unwrap_or_default();
    let default_mode = default_mode.map(|m| format!("      defaultMode: {m}\n")).unwrap_or_default();
    let args: Vec<&str> = ["mounttest"].into_iter().chain(args.iter().copied()).collect();
    let pod = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  securityContext: {{}}\n  terminationGracePeriodSeconds: 0\n  restartPolicy: Never\n  volumes:\n  - name: projected-configmap-volume\n    projected:\n      sources:\n      - configMap: {{name: {reference}{items}}}\n{default_mode}  containers:\n  - name: {AGNHOST_CONTAINER}\n    image: {AGNHOST}\n    args: {}\n    volumeMounts:\n    - {{name: projected-configmap-volume, mountPath: /etc/projected-configmap-volume, readOnly: true}}\n",
        list(&args)
    );
    (pod_name, pod)
}

/// `doProjectedConfigMapE2EWithoutMappings`: as `nonRootTestUserID` when `as_user`, with
/// `fs_group` unless 0.
fn do_projected_config_map_e2e_without_mappings(as_user: bool, fs_group: i64, default_mode: Option<u32>) {
    let name = format!("projected-configmap-test-volume-{UUID}");
    let (pod_name, pod) = create_projected_config_map_mounttest_pod(
        &name,
        default_mode,
        None,
        &["--file_content=/etc/projected-configmap-volume/data-1", "--file_mode=/etc/projected-configmap-volume/data-1"],
    );
    let pod = with_security_context(&pod, &as_user_fields(as_user, fs_group));
    let file_mode_regexp = get_file_mode_regex("/etc/projected-configmap-volume/data-1", default_mode);
    let output = ["content of file \"/etc/projected-configmap-volume/data-1\": value-1", &file_mode_regexp];
    test_container_output_regexp(&format!("{}---\n{pod}", new_config_map(&name)), &pod_name, AGNHOST_CONTAINER, &output);
}

/// `doProjectedConfigMapE2EWithMappings`: `data-2` at `path/to/data-2`; the test's item mode is
/// set as the volume's `defaultMode`, as upstream sets it; the file's mode is checked only
/// without an fsGroup (which adjusts it).
fn do_projected_config_map_e2e_with_mappings(as_user: bool, fs_group: i64, item_mode: Option<u32>) {
    let name = format!("projected-configmap-test-volume-map-{UUID}");
    let (pod_name, pod) = create_projected_config_map_mounttest_pod(
        &name,
        item_mode,
        Some("[{key: data-2, path: path/to/data-2}]"),
        &["--file_content=/etc/projected-configmap-volume/path/to/data-2", "--file_mode=/etc/projected-configmap-volume/path/to/data-2"],
    );
    let pod = with_security_context(&pod, &as_user_fields(as_user, fs_group));
    let file_mode_regexp = get_file_mode_regex("/etc/projected-configmap-volume/path/to/data-2", item_mode);
    let mut output = vec!["content of file \"/etc/projected-configmap-volume/path/to/data-2\": value-2"];
    if fs_group == 0 {
        output.push(&file_mode_regexp);
    }
    test_container_output_regexp(&format!("{}---\n{pod}", new_config_map(&name)), &pod_name, AGNHOST_CONTAINER, &output);
}

/// `It("should be consumable from pods in volume [NodeConformance]")` (Conformance).
#[test]
fn should_be_consumable_from_pods_in_volume() {
    do_projected_config_map_e2e_without_mappings(false, 0, None);
}

/// `It("should be consumable from pods in volume with defaultMode set [LinuxOnly]
/// [NodeConformance]")` (Conformance).
#[test]
fn should_be_consumable_from_pods_in_volume_with_default_mode_set() {
    do_projected_config_map_e2e_without_mappings(false, 0, Some(0o400));
}

/// `It("should be consumable from pods in volume as non-root with defaultMode and fsGroup set
/// [LinuxOnly] [NodeFeature:FSGroup]")`: 0440, as setting fsGroup sets the mode to at least 440.
#[test]
fn should_be_consumable_from_pods_in_volume_as_non_root_with_default_mode_and_fs_group_set() {
    do_projected_config_map_e2e_without_mappings(true, 1001, Some(0o440));
}

/// `It("should be consumable from pods in volume as non-root [NodeConformance]")` (Conformance).
#[test]
fn should_be_consumable_from_pods_in_volume_as_non_root() {
    do_projected_config_map_e2e_without_mappings(true, 0, None);
}

/// `It("should be consumable from pods in volume as non-root with FSGroup [LinuxOnly]
/// [NodeFeature:FSGroup]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_as_non_root_with_fs_group() {
    do_projected_config_map_e2e_without_mappings(true, 1001, None);
}

/// `It("should be consumable from pods in volume with mappings [NodeConformance]")`
/// (Conformance).
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings() {
    do_projected_config_map_e2e_with_mappings(false, 0, None);
}

/// `It("should be consumable from pods in volume with mappings and Item mode set [LinuxOnly]
/// [NodeConformance]")` (Conformance).
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings_and_item_mode_set() {
    do_projected_config_map_e2e_with_mappings(false, 0, Some(0o400));
}

/// `It("should be consumable from pods in volume with mappings as non-root [NodeConformance]")`
/// (Conformance).
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings_as_non_root() {
    do_projected_config_map_e2e_with_mappings(true, 0, None);
}

/// `It("should be consumable from pods in volume with mappings as non-root with FSGroup
/// [LinuxOnly] [NodeFeature:FSGroup]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings_as_non_root_with_fs_group() {
    do_projected_config_map_e2e_with_mappings(true, 1001, None);
}

/// `It("should be consumable in multiple volumes in the same pod [NodeConformance]")`
/// (Conformance): one ConfigMap in two projected volumes.
#[test]
fn should_be_consumable_in_multiple_volumes_in_the_same_pod() {
    let name = format!("projected-configmap-test-volume-{UUID}");
    let pod_name = format!("pod-projected-configmaps-{UUID}");
    let pod = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  restartPolicy: Never\n  volumes:\n  - name: projected-configmap-volume\n    projected:\n      sources:\n      - configMap: {{name: {name}}}\n  - name: projected-configmap-volume-2\n    projected:\n      sources:\n      - configMap: {{name: {name}}}\n  containers:\n  - name: projected-configmap-volume-test\n    image: {AGNHOST}\n    args: [\"mounttest\", \"--file_content=/etc/projected-configmap-volume/data-1\"]\n    volumeMounts:\n    - {{name: projected-configmap-volume, mountPath: /etc/projected-configmap-volume, readOnly: true}}\n    - {{name: projected-configmap-volume-2, mountPath: /etc/projected-configmap-volume-2, readOnly: true}}\n"
    );
    test_container_output(
        &format!("{}---\n{pod}", new_config_map(&name)),
        &pod_name,
        "projected-configmap-volume-test",
        &["content of file \"/etc/projected-configmap-volume/data-1\": value-1"],
    );
}

/// `It("Should fail non-optional pod creation due to configMap object does not exist
/// [Slow]")`: `framework.ExpectError` of the wait for the pod to run.
#[test]
fn should_fail_non_optional_pod_creation_due_to_config_map_object_does_not_exist() {
    let create_name = format!("cm-test-opt-create-{UUID}");
    let err = create_non_optional_config_map_pod("", &create_name, "", "/etc/projected-configmap-volumes", UUID);
    assert!(err.is_err(), "created pod with non-optional configMap");
}

/// `It("Should fail non-optional pod creation due to the key in the configMap object does not
/// exist [Slow]")`: the ConfigMap exists, the item's key `data-4` does not.
#[test]
fn should_fail_non_optional_pod_creation_due_to_the_key_in_the_config_map_object_does_not_exist() {
    let create_name = format!("cm-test-opt-create-{UUID}");
    let objects = format!("{}---\n", new_config_map(&create_name));
    let items = ", items: [{key: data-4, path: path/to/data-4}]";
    let err = create_non_optional_config_map_pod(&objects, &create_name, items, "/etc/configmap-volumes", UUID);
    assert!(err.is_err(), "created pod with non-optional configMap");
}

/// `ConformanceIt("updates should be reflected in volume [NodeConformance]")`.
#[test]
fn updates_should_be_reflected_in_volume() {
    let container_timeout_arg = format!("--retry_time={POD_SECRET_UPDATE_TIMEOUT_SECONDS}");
    let name = format!("projected-configmap-test-upd-{UUID}");
    let config_map = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  data-1: value-1\n");
    let (pod_name, pod) = create_projected_config_map_mounttest_pod(
        &name,
        None,
        None,
        &["--break_on_expected_content=false", &container_timeout_arg, "--file_content_in_loop=/etc/projected-configmap-volume/data-1"],
    );
    let mut s = create(&format!("{config_map}---\n{pod}"));
    create_sync(&mut s, &pod_name);
    eventually_logs_contain(&mut s, &pod_name, AGNHOST_CONTAINER, POD_SECRET_UPDATE_TIMEOUT, "value-1");
    let replace = r#"[{"op":"replace","path":"/data","value":{"data-1":"value-2"}}]"#;
    let (code, _, err) = kubectl(&mut s, &["patch", "configmap", &name, "--type", "json", "-p", replace]);
    assert_eq!(code, 0, "Failed to update configmap {name:?}: {err}");
    eventually_logs_contain(&mut s, &pod_name, AGNHOST_CONTAINER, POD_SECRET_UPDATE_TIMEOUT, "value-2");
}

/// `ConformanceIt("optional updates should be reflected in volume [NodeConformance]")`.
#[test]
fn optional_updates_should_be_reflected_in_volume_() {
    let words = OptionalUpdates {
        kind: "configmap",
        prefix: "cm",
        infix: "cm",
        source: "configMap",
        reference: "name",
        projected: true,
        pod_prefix: "pod-projected-configmaps",
        volume_mount_path: "/etc/projected-configmap-volumes",
    };
    optional_updates_should_be_reflected_in_volume(&words, UUID);
}
