//! Kubernetes' own e2e tests of ConfigMap volumes (`test/e2e/common/storage/configmap_volume.go`,
//! `[sig-storage] ConfigMap`, as stored at 04791b49), ported: the same names, objects and
//! assertions; the e2e's waits (`TestContainerOutputRegexp`: the pod's success within
//! `f.Timeouts.PodStart`, then its container's log; `WaitForPodNameRunningInNamespace` over
//! `framework.PodStartTimeout`; `gomega.Eventually` of the pod's logs every `framework.Poll`) as
//! seeks of virtual time. The ConfigMap and the pod are created at time 0 (the e2e creates the
//! ConfigMap first); names carry a fixed UUID; the framework's namespace is `default`.
//!
//! The client's `Update` of the whole ConfigMap is `kubectl patch`: a JSON patch replacing
//! `data` where the e2e changes it, a merge patch of the one field it changes (`immutable`,
//! `labels`) otherwise: the stored object is the one `Update` would leave. Its `Create` after the
//! pod started is `kubectl create configmap --from-literal`; `Get` is `kubectl get configmap -o
//! jsonpath`. `IsInvalid` of an update is kubectl's `The ConfigMap "NAME" is invalid: ...`.
//! The e2e busybox at that commit is `registry.k8s.io/e2e-test-images/busybox:1.29-2`.
//!
//! The tests that run as non-root (`setPodNonRootUser`: `runAsUser: 1000`) or with an
//! `fsGroup` check that user's access to the files the kubelet wrote: with `fsGroup` the files
//! are the group's and at least `r--r-----`.

mod e2e_support;

use e2e_support::{
    as_user_fields, config_map_volume_mounttest_pod, create, create_non_optional_config_map_pod, create_sync, eventually_logs_contain,
    get_file_mode_regex, is_invalid, kubectl, test_container_output, test_container_output_regexp, update, wait_for_pod_running,
    with_security_context, OptionalUpdates, AGNHOST, AGNHOST_CONTAINER, POD_SECRET_UPDATE_TIMEOUT, POD_START_TIMEOUT,
};
use podplay_core::clock::SECOND;

const UUID: &str = "0c9d4e2a-71b3-4f58-9a6c-2e8d1f3b5a47";
/// `imageutils.GetE2EImage(imageutils.BusyBox)` at 04791b49.
const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.29-2";

/// `newConfigMap`.
fn new_config_map(name: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  data-1: value-1\n  data-2: value-2\n  data-3: value-3\n")
}

/// `--retry_time=` of `e2epod.GetPodSecretUpdateTimeout` in seconds.
fn container_timeout_arg() -> String {
    format!("--retry_time={}", POD_SECRET_UPDATE_TIMEOUT / SECOND)
}

/// `doConfigMapE2EWithoutMappings`: as `nonRootTestUserID` when `as_user`, with `fs_group`
/// unless 0.
fn do_config_map_e2e_without_mappings(as_user: bool, fs_group: i64, default_mode: Option<u32>) {
    let name = format!("configmap-test-volume-{UUID}");
    let pod_name = format!("pod-configmaps-{UUID}");
    let fields = default_mode.map(|m| format!(", defaultMode: {m}")).unwrap_or_default();
    let args = ["--file_content=/etc/configmap-volume/data-1", "--file_mode=/etc/configmap-volume/data-1"];
    // pod.Spec.TerminationGracePeriodSeconds = &one
    let pod = config_map_volume_mounttest_pod(&pod_name, "configmap-volume", &name, &fields, "/etc/configmap-volume", 1, &args);
    let pod = with_security_context(&pod, &as_user_fields(as_user, fs_group));
    let file_mode_regexp = get_file_mode_regex("/etc/configmap-volume/data-1", default_mode);
    let output = ["content of file \"/etc/configmap-volume/data-1\": value-1", &file_mode_regexp];
    test_container_output_regexp(&format!("{}---\n{pod}", new_config_map(&name)), &pod_name, AGNHOST_CONTAINER, &output);
}

/// `doConfigMapE2EWithMappings`: `data-2` at `path/to/data-2`, with the item's `mode` when
/// given; the file's mode is checked only without an fsGroup (which adjusts it).
fn do_config_map_e2e_with_mappings(as_user: bool, fs_group: i64, item_mode: Option<u32>) {
    let name = format!("configmap-test-volume-map-{UUID}");
    let pod_name = format!("pod-configmaps-{UUID}");
    let mode = item_mode.map(|m| format!(", mode: {m}")).unwrap_or_default();
    let fields = format!(", items: [{{key: data-2, path: path/to/data-2{mode}}}]");
    let args = ["--file_content=/etc/configmap-volume/path/to/data-2", "--file_mode=/etc/configmap-volume/path/to/data-2"];
    let pod = config_map_volume_mounttest_pod(&pod_name, "configmap-volume", &name, &fields, "/etc/configmap-volume", 1, &args);
    let pod = with_security_context(&pod, &as_user_fields(as_user, fs_group));
    let file_mode_regexp = get_file_mode_regex("/etc/configmap-volume/path/to/data-2", item_mode);
    let mut output = vec!["content of file \"/etc/configmap-volume/path/to/data-2\": value-2"];
    if fs_group == 0 {
        output.push(&file_mode_regexp);
    }
    test_container_output_regexp(&format!("{}---\n{pod}", new_config_map(&name)), &pod_name, AGNHOST_CONTAINER, &output);
}

/// `ConformanceIt("should be consumable from pods in volume [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume() {
    do_config_map_e2e_without_mappings(false, 0, None);
}

/// `ConformanceIt("should be consumable from pods in volume with defaultMode set [LinuxOnly]
/// [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_default_mode_set() {
    do_config_map_e2e_without_mappings(false, 0, Some(0o400));
}

/// `It("should be consumable from pods in volume as non-root with defaultMode and fsGroup set
/// [LinuxOnly] [NodeFeature:FSGroup]")`: 0440, as setting fsGroup sets the mode to at least 440.
#[test]
fn should_be_consumable_from_pods_in_volume_as_non_root_with_default_mode_and_fs_group_set() {
    do_config_map_e2e_without_mappings(true, 1001, Some(0o440));
}

/// `ConformanceIt("should be consumable from pods in volume as non-root [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_as_non_root() {
    do_config_map_e2e_without_mappings(true, 0, None);
}

/// `It("should be consumable from pods in volume as non-root with FSGroup [LinuxOnly]
/// [NodeFeature:FSGroup]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_as_non_root_with_fs_group() {
    do_config_map_e2e_without_mappings(true, 1001, None);
}

/// `ConformanceIt("should be consumable from pods in volume with mappings [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings() {
    do_config_map_e2e_with_mappings(false, 0, None);
}

/// `ConformanceIt("should be consumable from pods in volume with mappings and Item mode set
/// [LinuxOnly] [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings_and_item_mode_set() {
    do_config_map_e2e_with_mappings(false, 0, Some(0o400));
}

/// `ConformanceIt("should be consumable from pods in volume with mappings as non-root
/// [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings_as_non_root() {
    do_config_map_e2e_with_mappings(true, 0, None);
}

/// `It("should be consumable from pods in volume with mappings as non-root with FSGroup
/// [LinuxOnly] [NodeFeature:FSGroup]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings_as_non_root_with_fs_group() {
    do_config_map_e2e_with_mappings(true, 1001, None);
}

/// `ConformanceIt("updates should be reflected in volume [NodeConformance]")`.
#[test]
fn updates_should_be_reflected_in_volume() {
    let name = format!("configmap-test-upd-{UUID}");
    let config_map = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  data-1: value-1\n");
    let pod_name = format!("pod-configmaps-{UUID}");
    let timeout_arg = container_timeout_arg();
    let args = ["--break_on_expected_content=false", &timeout_arg, "--file_content_in_loop=/etc/configmap-volume/data-1"];
    let pod = config_map_volume_mounttest_pod(&pod_name, "configmap-volume", &name, "", "/etc/configmap-volume", 0, &args);
    let mut s = create(&format!("{config_map}---\n{pod}"));
    create_sync(&mut s, &pod_name);
    eventually_logs_contain(&mut s, &pod_name, AGNHOST_CONTAINER, POD_SECRET_UPDATE_TIMEOUT, "value-1");
    // configMap.Data["data-1"] = "value-2"; Update.
    let replace = r#"[{"op":"replace","path":"/data","value":{"data-1":"value-2"}}]"#;
    let (code, _, err) = kubectl(&mut s, &["patch", "configmap", &name, "--type", "json", "-p", replace]);
    assert_eq!(code, 0, "Failed to update configmap {name:?} in namespace \"default\": {err}");
    eventually_logs_contain(&mut s, &pod_name, AGNHOST_CONTAINER, POD_SECRET_UPDATE_TIMEOUT, "value-2");
}

/// `ConformanceIt("binary data should be reflected in volume [NodeConformance]")`: `data-1`
/// read by agnhost, `binaryData`'s `dump.bin` (`de ca fe ba d0 fe ff`) by busybox `hexdump -C`
/// in a second container.
#[test]
fn binary_data_should_be_reflected_in_volume() {
    let name = format!("configmap-test-upd-{UUID}");
    // BinaryData: {"dump.bin": {0xde, 0xca, 0xfe, 0xba, 0xd0, 0xfe, 0xff}}, base64 as JSON sends []byte.
    let config_map = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  data-1: value-1\nbinaryData:\n  dump.bin: 3sr+utD+/w==\n"
    );
    let pod_name = format!("pod-configmaps-{UUID}");
    let timeout_arg = container_timeout_arg();
    let args = ["--break_on_expected_content=false", &timeout_arg, "--file_content_in_loop=/etc/configmap-volume/data-1"];
    let pod = config_map_volume_mounttest_pod(&pod_name, "configmap-volume", &name, "", "/etc/configmap-volume", 0, &args);
    // pod.Spec.Containers = append(pod.Spec.Containers, the busybox container).
    let pod = format!(
        "{pod}  - name: configmap-volume-binary-test\n    image: {BUSYBOX}\n    command: [\"hexdump\", \"-C\", \"/etc/configmap-volume/dump.bin\"]\n    volumeMounts:\n    - {{name: configmap-volume, mountPath: /etc/configmap-volume, readOnly: true}}\n"
    );
    let mut s = create(&format!("{config_map}---\n{pod}"));
    wait_for_pod_running(&mut s, &pod_name, POD_START_TIMEOUT).expect("the pod runs");
    eventually_logs_contain(&mut s, &pod_name, AGNHOST_CONTAINER, POD_SECRET_UPDATE_TIMEOUT, "value-1");
    eventually_logs_contain(&mut s, &pod_name, "configmap-volume-binary-test", POD_SECRET_UPDATE_TIMEOUT, "de ca fe ba d0 fe ff");
}

/// `ConformanceIt("optional updates should be reflected in volume [NodeConformance]")`: plain
/// `configMap` volumes.
#[test]
fn optional_updates_should_be_reflected_in_volume() {
    let words = OptionalUpdates {
        kind: "configmap",
        prefix: "cm",
        infix: "cm",
        source: "configMap",
        reference: "name",
        projected: false,
        pod_prefix: "pod-configmaps",
        volume_mount_path: "/etc/configmap-volumes",
    };
    e2e_support::optional_updates_should_be_reflected_in_volume(&words, UUID);
}

/// `ConformanceIt("should be consumable in multiple volumes in the same pod [NodeConformance]")`:
/// one ConfigMap in two volumes.
#[test]
fn should_be_consumable_in_multiple_volumes_in_the_same_pod() {
    let name = format!("configmap-test-volume-{UUID}");
    let pod_name = format!("pod-configmaps-{UUID}");
    let pod = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  restartPolicy: Never\n  volumes:\n  - name: configmap-volume\n    configMap: {{name: {name}}}\n  - name: configmap-volume-2\n    configMap: {{name: {name}}}\n  containers:\n  - name: configmap-volume-test\n    image: {AGNHOST}\n    args: [\"mounttest\", \"--file_content=/etc/configmap-volume/data-1\"]\n    volumeMounts:\n    - {{name: configmap-volume, mountPath: /etc/configmap-volume, readOnly: true}}\n    - {{name: configmap-volume-2, mountPath: /etc/configmap-volume-2, readOnly: true}}\n"
    );
    test_container_output(
        &format!("{}---\n{pod}", new_config_map(&name)),
        &pod_name,
        "configmap-volume-test",
        &["content of file \"/etc/configmap-volume/data-1\": value-1"],
    );
}

/// `ConformanceIt("should be immutable if `immutable` field is set")`.
#[test]
fn should_be_immutable_if_immutable_field_is_set() {
    let name = "immutable";
    let mut s = create(&new_config_map(name));
    // currentConfigMap.Data["data-4"] = "value-4"; Update.
    let (code, _, err) = update(&mut s, "configmap", name, "merge", r#"{"data":{"data-4":"value-4"}}"#);
    assert_eq!(code, 0, "Failed to update config map {name:?} in namespace \"default\": {err}");
    // Mark config map as immutable.
    let (code, _, err) = update(&mut s, "configmap", name, "merge", r#"{"immutable":true}"#);
    assert_eq!(code, 0, "Failed to mark config map {name:?} in namespace \"default\" as immutable: {err}");
    // Ensure data can't be changed now.
    let (code, _, err) = update(&mut s, "configmap", name, "merge", r#"{"data":{"data-5":"value-5"}}"#);
    assert!(is_invalid("ConfigMap", name, code, &err), "expected IsInvalid, got {code}: {err}");
    // Ensure config map can't be switched from immutable to mutable.
    let (code, out, err) = kubectl(&mut s, &["get", "configmap", name, "-o", "jsonpath={.immutable}"]);
    assert_eq!(code, 0, "Failed to get config map {name:?} in namespace \"default\": {err}");
    assert_eq!(out, "true");
    let (code, _, err) = update(&mut s, "configmap", name, "merge", r#"{"immutable":false}"#);
    assert!(is_invalid("ConfigMap", name, code, &err), "expected IsInvalid, got {code}: {err}");
    // Ensure that metadata can be changed.
    let (code, _, err) = update(&mut s, "configmap", name, "merge", r#"{"metadata":{"labels":{"label1":"value1"}}}"#);
    assert_eq!(code, 0, "Failed to update config map {name:?} in namespace \"default\": {err}");
    // Ensure that immutable config map can be deleted.
    let (code, _, err) = kubectl(&mut s, &["delete", "configmap", name]);
    assert_eq!(code, 0, "Failed to delete config map {name:?} in namespace \"default\": {err}");
}

/// `It("Should fail non-optional pod creation due to configMap object does not exist [Slow]")`:
/// `framework.ExpectError` of the wait for the pod to run.
#[test]
fn should_fail_non_optional_pod_creation_due_to_config_map_object_does_not_exist() {
    let create_name = format!("cm-test-opt-create-{UUID}");
    let err = create_non_optional_config_map_pod("", &create_name, "", "/etc/configmap-volumes", UUID);
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
