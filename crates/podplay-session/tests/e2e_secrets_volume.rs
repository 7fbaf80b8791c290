//! Kubernetes' own e2e tests of Secret volumes (`test/e2e/common/storage/secrets_volume.go`,
//! `[sig-storage] Secrets`, as stored at 04791b49), ported: the same names, objects and
//! assertions; the e2e's waits (`TestContainerOutputRegexp`: the pod's success within
//! `f.Timeouts.PodStart`, then its container's log; `WaitForPodNameRunningInNamespace` over
//! `framework.PodStartTimeout`; `gomega.Eventually` of the pod's logs every `framework.Poll`) as
//! seeks of virtual time. The Secrets and the pod are created at time 0 (the e2e creates the
//! Secrets first); names carry a fixed UUID; the framework's namespace is `default`, and
//! `f.CreateNamespace("secret-namespace")`'s generated name a fixed one.
//!
//! The client's `Update` of the whole Secret is `kubectl patch` (a JSON patch replacing `data`
//! where the e2e changes it, a merge patch of the one field it changes otherwise: the stored
//! object is the one `Update` would leave; a `[]byte` value is base64 in JSON); its `Create`
//! after the pod started is `kubectl create secret generic --from-literal`; `Get` is `kubectl
//! get secret -o jsonpath`. `IsInvalid` of an update is kubectl's `The Secret "NAME" is
//! invalid: ...`.
//!
//! `should be consumable from pods in volume as non-root with defaultMode and fsGroup set` runs
//! as uid 1000 with `fsGroup: 1001`: the `r--r-----` file is readable through the group.

mod e2e_support;

use e2e_support::{
    create, get_file_mode_regex, is_invalid, kubectl, non_optional_secret_pod, test_container_output_regexp, update, wait_for_pod_running,
    with_security_context, OptionalUpdates, AGNHOST, NON_ROOT_TEST_USER_ID, POD_START_TIMEOUT,
};

const UUID: &str = "4b8e1f6d-2a9c-4e73-b5d0-8c1f7a3e9d62";
/// `f.CreateNamespace("secret-namespace", nil)`'s generated name.
const NAMESPACE2: &str = "secret-namespace-7315";

/// `secretForTest`: `data-1`..`data-3` of `value-N\n` (base64 in `data`).
fn secret_for_test(namespace: &str, name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: {namespace}\n  name: {name}\ndata:\n  data-1: dmFsdWUtMQo=\n  data-2: dmFsdWUtMgo=\n  data-3: dmFsdWUtMwo=\n---\n"
    )
}

/// A `secret-volume-test` pod running `mounttest --file_content=FILE --file_mode=FILE` over the
/// `secret` volume of `secret_name` (with `source_fields` after its name: `items`,
/// `defaultMode`) at `/etc/secret-volume`, as `doSecretE2EWithoutMapping` and
/// `doSecretE2EWithMapping` build it.
fn secret_pod(pod_name: &str, secret_name: &str, source_fields: &str, file: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  restartPolicy: Never\n  volumes:\n  - name: secret-volume\n    secret: {{secretName: {secret_name}{source_fields}}}\n  containers:\n  - name: secret-volume-test\n    image: {AGNHOST}\n    args: [\"mounttest\", \"--file_content={file}\", \"--file_mode={file}\"]\n    volumeMounts:\n    - {{name: secret-volume, mountPath: /etc/secret-volume}}\n"
    )
}

/// `doSecretE2EWithoutMapping`, after `objects`: the pod's `securityContext` gets `fsGroup`
/// and `runAsUser` when either is given.
fn do_secret_e2e_without_mapping(objects: &str, default_mode: Option<u32>, secret_name: &str, fs_group: Option<i64>, uid: Option<i64>) {
    let pod_name = format!("pod-secrets-{UUID}");
    let file = "/etc/secret-volume/data-1";
    let fields = default_mode.map(|m| format!(", defaultMode: {m}")).unwrap_or_default();
    let pod = secret_pod(&pod_name, secret_name, &fields, file);
    let context: Vec<String> =
        [fs_group.map(|g| format!("fsGroup: {g}")), uid.map(|u| format!("runAsUser: {u}"))].into_iter().flatten().collect();
    let pod = with_security_context(&pod, &context.join(", "));
    let text = format!("{objects}{}{pod}", secret_for_test("default", secret_name));
    let file_mode_regexp = get_file_mode_regex(file, default_mode);
    let expected = ["content of file \"/etc/secret-volume/data-1\": value-1", &file_mode_regexp];
    test_container_output_regexp(&text, &pod_name, "secret-volume-test", &expected);
}

/// `doSecretE2EWithMapping`: `data-1` at `new-path-data-1`, with the item's `mode` when given.
fn do_secret_e2e_with_mapping(mode: Option<u32>) {
    let name = format!("secret-test-map-{UUID}");
    let pod_name = format!("pod-secrets-{UUID}");
    let file = "/etc/secret-volume/new-path-data-1";
    let mode_field = mode.map(|m| format!(", mode: {m}")).unwrap_or_default();
    let fields = format!(", items: [{{key: data-1, path: new-path-data-1{mode_field}}}]");
    let pod = secret_pod(&pod_name, &name, &fields, file);
    let text = format!("{}{pod}", secret_for_test("default", &name));
    let file_mode_regexp = get_file_mode_regex(file, mode);
    let expected = ["content of file \"/etc/secret-volume/new-path-data-1\": value-1", &file_mode_regexp];
    test_container_output_regexp(&text, &pod_name, "secret-volume-test", &expected);
}

/// `ConformanceIt("should be consumable from pods in volume [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume() {
    do_secret_e2e_without_mapping("", None, &format!("secret-test-{UUID}"), None, None);
}

/// `ConformanceIt("should be consumable from pods in volume with defaultMode set [LinuxOnly]
/// [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_default_mode_set() {
    do_secret_e2e_without_mapping("", Some(0o400), &format!("secret-test-{UUID}"), None, None);
}

/// `ConformanceIt("should be consumable from pods in volume as non-root with defaultMode and
/// fsGroup set [LinuxOnly] [NodeConformance]")`: 0440, as setting fsGroup sets the mode to at
/// least 440.
#[test]
fn should_be_consumable_from_pods_in_volume_as_non_root_with_default_mode_and_fs_group_set() {
    do_secret_e2e_without_mapping("", Some(0o440), &format!("secret-test-{UUID}"), Some(1001), Some(NON_ROOT_TEST_USER_ID));
}

/// `ConformanceIt("should be consumable from pods in volume with mappings [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings() {
    do_secret_e2e_with_mapping(None);
}

/// `ConformanceIt("should be consumable from pods in volume with mappings and Item Mode set
/// [LinuxOnly] [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings_and_item_mode_set() {
    do_secret_e2e_with_mapping(Some(0o400));
}

/// `ConformanceIt("should be able to mount in a volume regardless of a different secret existing
/// with same name in different namespace [NodeConformance]")`.
#[test]
fn should_be_able_to_mount_in_a_volume_regardless_of_a_different_secret_existing_with_same_name_in_different_namespace() {
    let secret2_name = format!("secret-test-{UUID}");
    // secret2.Data replaced: one key of its own.
    let secret2 = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {NAMESPACE2}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  namespace: {NAMESPACE2}\n  name: {secret2_name}\ndata:\n  this_should_not_match_content_of_other_secret: c2ltaWxhcmx5X3RoaXNfc2hvdWxkX25vdF9tYXRjaF9jb250ZW50X29mX290aGVyX3NlY3JldAo=\n---\n"
    );
    do_secret_e2e_without_mapping(&secret2, None, &secret2_name, None, None);
}

/// `ConformanceIt("should be consumable in multiple volumes in a pod [NodeConformance]")`: one
/// Secret in two volumes.
#[test]
fn should_be_consumable_in_multiple_volumes_in_a_pod() {
    let name = format!("secret-test-{UUID}");
    let pod_name = format!("pod-secrets-{UUID}");
    let pod = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  restartPolicy: Never\n  volumes:\n  - name: secret-volume\n    secret: {{secretName: {name}}}\n  - name: secret-volume-2\n    secret: {{secretName: {name}}}\n  containers:\n  - name: secret-volume-test\n    image: {AGNHOST}\n    args: [\"mounttest\", \"--file_content=/etc/secret-volume/data-1\", \"--file_mode=/etc/secret-volume/data-1\"]\n    volumeMounts:\n    - {{name: secret-volume, mountPath: /etc/secret-volume, readOnly: true}}\n    - {{name: secret-volume-2, mountPath: /etc/secret-volume-2, readOnly: true}}\n"
    );
    let file_mode_regexp = get_file_mode_regex("/etc/secret-volume/data-1", None);
    let expected = ["content of file \"/etc/secret-volume/data-1\": value-1", &file_mode_regexp];
    test_container_output_regexp(&format!("{}{pod}", secret_for_test("default", &name)), &pod_name, "secret-volume-test", &expected);
}

/// `ConformanceIt("optional updates should be reflected in volume [NodeConformance]")`: plain
/// `secret` volumes.
#[test]
fn optional_updates_should_be_reflected_in_volume() {
    let words = OptionalUpdates {
        kind: "secret",
        prefix: "s",
        infix: "s",
        source: "secret",
        reference: "secretName",
        projected: false,
        pod_prefix: "pod-secrets",
        volume_mount_path: "/etc/secret-volumes",
    };
    e2e_support::optional_updates_should_be_reflected_in_volume(&words, UUID);
}

/// `ConformanceIt("should be immutable if `immutable` field is set")`.
#[test]
fn should_be_immutable_if_immutable_field_is_set() {
    let name = "immutable";
    let mut s = create(&secret_for_test("default", name));
    // currentSecret.Data["data-4"] = []byte("value-4\n"); Update.
    let (code, _, err) = update(&mut s, "secret", name, "merge", r#"{"data":{"data-4":"dmFsdWUtNAo="}}"#);
    assert_eq!(code, 0, "Failed to update secret {name:?} in namespace \"default\": {err}");
    // Mark secret as immutable.
    let (code, _, err) = update(&mut s, "secret", name, "merge", r#"{"immutable":true}"#);
    assert_eq!(code, 0, "Failed to mark secret {name:?} in namespace \"default\" as immutable: {err}");
    // Ensure data can't be changed now: data-5 = []byte("value-5\n").
    let (code, _, err) = update(&mut s, "secret", name, "merge", r#"{"data":{"data-5":"dmFsdWUtNQo="}}"#);
    assert!(is_invalid("Secret", name, code, &err), "expected IsInvalid, got {code}: {err}");
    // Ensure secret can't be switched from immutable to mutable.
    let (code, out, err) = kubectl(&mut s, &["get", "secret", name, "-o", "jsonpath={.immutable}"]);
    assert_eq!(code, 0, "Failed to get secret {name:?} in namespace \"default\": {err}");
    assert_eq!(out, "true");
    let (code, _, err) = update(&mut s, "secret", name, "merge", r#"{"immutable":false}"#);
    assert!(is_invalid("Secret", name, code, &err), "expected IsInvalid, got {code}: {err}");
    // Ensure that metadata can be changed.
    let (code, _, err) = update(&mut s, "secret", name, "merge", r#"{"metadata":{"labels":{"label1":"value1"}}}"#);
    assert_eq!(code, 0, "Failed to update secret {name:?} in namespace \"default\": {err}");
    // Ensure that immutable secret can be deleted.
    let (code, _, err) = kubectl(&mut s, &["delete", "secret", name]);
    assert_eq!(code, 0, "Failed to delete secret {name:?} in namespace \"default\": {err}");
}

/// `createNonOptionalSecretPod*` after `objects`, then `WaitForPodNameRunningInNamespace`.
fn create_non_optional_secret_pod(objects: &str, create_name: &str, items: &str) -> Result<(), String> {
    let pod_name = format!("pod-secrets-{UUID}");
    let pod = non_optional_secret_pod(&pod_name, create_name, items, "/etc/secret-volumes");
    let mut s = create(&format!("{objects}{pod}"));
    wait_for_pod_running(&mut s, &pod_name, POD_START_TIMEOUT)
}

/// `It("Should fail non-optional pod creation due to secret object does not exist [Slow]")`:
/// `framework.ExpectError` of the wait for the pod to run.
#[test]
fn should_fail_non_optional_pod_creation_due_to_secret_object_does_not_exist() {
    let err = create_non_optional_secret_pod("", &format!("s-test-opt-create-{UUID}"), "");
    assert!(err.is_err(), "created pod with non-optional secret");
}

/// `It("Should fail non-optional pod creation due to the key in the secret object does not
/// exist [Slow]")`: the Secret exists, the item's key `data_4` does not.
#[test]
fn should_fail_non_optional_pod_creation_due_to_the_key_in_the_secret_object_does_not_exist() {
    let create_name = format!("s-test-opt-create-{UUID}");
    let items = ", items: [{key: data_4, path: \"value-4\\n\"}]";
    let err = create_non_optional_secret_pod(&secret_for_test("default", &create_name), &create_name, items);
    assert!(err.is_err(), "created pod with non-optional secret");
}
