//! Kubernetes' own e2e tests of Secrets in projected volumes
//! (`test/e2e/common/storage/projected_secret.go`, `[sig-storage] Projected secret`), ported:
//! the same names, objects and assertions; the e2e's waits (`TestContainerOutput` and
//! `TestContainerOutputRegexp`: the pod's success within `f.Timeouts.PodStart`, then its
//! container's log; `gomega.Consistently(...).WithTimeout(f.Timeouts.PodStart)` polled every
//! `framework.Poll`) as seeks of virtual time. The Secrets and the pod are created at time 0 (the
//! e2e creates the Secrets first). Names carry a fixed UUID. The two `Should fail non-optional
//! ...` tests build plain `secret` volumes, as upstream's `createNonOptionalSecretPod*` (shared
//! with `secrets_volume.go`) do.
//!
//! `optional updates should be reflected in volume` waits for the kubelet's remount of the
//! volumes (each sync of the running pod), read by agnhost `mounttest --file_content_in_loop`.
//!
//! `should be consumable from pods in volume as non-root with defaultMode and fsGroup set` runs
//! as uid 1000 with `fsGroup: 1001`: the `r--r-----` file is readable through the group.

mod e2e_support;

use e2e_support::{
    consistently, create, get_file_mode_regex, pod, test_container_output_regexp, with_security_context, AGNHOST, NON_ROOT_TEST_USER_ID,
    POD_START_TIMEOUT, POLL,
};

const UUID: &str = "7d3c9e21-6f4a-4b8d-a1e2-3f4a5b6c7d80";

/// `secretForTest`: `data-1`..`data-3` of `value-N\n` (base64 in `data`).
fn secret_for_test(namespace: &str, name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: {namespace}\n  name: {name}\ndata:\n  data-1: dmFsdWUtMQo=\n  data-2: dmFsdWUtMgo=\n  data-3: dmFsdWUtMwo=\n---\n"
    )
}

/// A `projected-secret-volume-test` pod running `mounttest --file_content=PATH --file_mode=PATH`
/// over the projected volume of the Secret `secret_name` (with `items`, YAML flow, when given)
/// at `/etc/projected-secret-volume`.
fn projected_secret_pod(pod_name: &str, secret_name: &str, items: Option<&str>, default_mode: Option<u32>, file: &str) -> String {
    let items = items.map(|i| format!(", items: {i}")).unwrap_or_default();
    let default_mode = default_mode.map(|m| format!("      defaultMode: {m}\n")).unwrap_or_default();
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  restartPolicy: Never\n  volumes:\n  - name: projected-secret-volume\n    projected:\n      sources:\n      - secret: {{name: {secret_name}{items}}}\n{default_mode}  containers:\n  - name: projected-secret-volume-test\n    image: {AGNHOST}\n    args: [\"mounttest\", \"--file_content={file}\", \"--file_mode={file}\"]\n    volumeMounts:\n    - {{name: projected-secret-volume, mountPath: /etc/projected-secret-volume}}\n"
    )
}

/// `doProjectedSecretE2EWithoutMapping`, after `objects`: the pod's `securityContext` gets
/// `fsGroup` and `runAsUser` when either is given.
fn do_projected_secret_e2e_without_mapping(
    objects: &str,
    default_mode: Option<u32>,
    secret_name: &str,
    fs_group: Option<i64>,
    uid: Option<i64>,
) {
    let pod_name = format!("pod-projected-secrets-{UUID}");
    let file = "/etc/projected-secret-volume/data-1";
    let pod = projected_secret_pod(&pod_name, secret_name, None, default_mode, file);
    let context: Vec<String> =
        [fs_group.map(|g| format!("fsGroup: {g}")), uid.map(|u| format!("runAsUser: {u}"))].into_iter().flatten().collect();
    let pod = with_security_context(&pod, &context.join(", "));
    let text = format!("{objects}{}{pod}", secret_for_test("default", secret_name));
    let file_mode_regexp = get_file_mode_regex(file, default_mode);
    let expected = ["content of file \"/etc/projected-secret-volume/data-1\": value-1", &file_mode_regexp];
    test_container_output_regexp(&text, &pod_name, "projected-secret-volume-test", &expected);
}

/// `doProjectedSecretE2EWithMapping`: `data-1` at `new-path-data-1`; the test's mode is set as
/// the volume's `defaultMode`, as upstream sets it.
fn do_projected_secret_e2e_with_mapping(mode: Option<u32>) {
    let name = format!("projected-secret-test-map-{UUID}");
    let pod_name = format!("pod-projected-secrets-{UUID}");
    let file = "/etc/projected-secret-volume/new-path-data-1";
    let pod = projected_secret_pod(&pod_name, &name, Some("[{key: data-1, path: new-path-data-1}]"), mode, file);
    let text = format!("{}{pod}", secret_for_test("default", &name));
    let file_mode_regexp = get_file_mode_regex(file, mode);
    let expected = ["content of file \"/etc/projected-secret-volume/new-path-data-1\": value-1", &file_mode_regexp];
    test_container_output_regexp(&text, &pod_name, "projected-secret-volume-test", &expected);
}

/// `ConformanceIt("should be consumable from pods in volume", f.WithNodeConformance())`.
#[test]
fn should_be_consumable_from_pods_in_volume() {
    do_projected_secret_e2e_without_mapping("", None, &format!("projected-secret-test-{UUID}"), None, None);
}

/// `ConformanceIt("should be consumable from pods in volume with defaultMode set [LinuxOnly]",
/// f.WithNodeConformance())`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_default_mode_set() {
    do_projected_secret_e2e_without_mapping("", Some(0o400), &format!("projected-secret-test-{UUID}"), None, None);
}

/// `ConformanceIt("should be consumable from pods in volume as non-root with defaultMode and
/// fsGroup set [LinuxOnly]", f.WithNodeConformance())`: 0440, as setting fsGroup sets the mode
/// to at least 440.
#[test]
fn should_be_consumable_from_pods_in_volume_as_non_root_with_default_mode_and_fs_group_set() {
    do_projected_secret_e2e_without_mapping(
        "",
        Some(0o440),
        &format!("projected-secret-test-{UUID}"),
        Some(1001),
        Some(NON_ROOT_TEST_USER_ID),
    );
}

/// `ConformanceIt("should be consumable from pods in volume with mappings",
/// f.WithNodeConformance())`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings() {
    do_projected_secret_e2e_with_mapping(None);
}

/// `ConformanceIt("should be consumable from pods in volume with mappings and Item Mode set
/// [LinuxOnly]", f.WithNodeConformance())`.
#[test]
fn should_be_consumable_from_pods_in_volume_with_mappings_and_item_mode_set() {
    do_projected_secret_e2e_with_mapping(Some(0o400));
}

/// `It("should be able to mount in a volume regardless of a different secret existing with
/// same name in different namespace", f.WithNodeConformance())`: `f.CreateNamespace`'s
/// generated name is a fixed one here.
#[test]
fn should_be_able_to_mount_in_a_volume_regardless_of_a_different_secret_existing_with_same_name_in_different_namespace() {
    let secret2_name = format!("projected-secret-test-{UUID}");
    // secret2.Data replaced: one key of its own.
    let secret2 = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: secret-namespace-4821\n  name: {secret2_name}\ndata:\n  this_should_not_match_content_of_other_secret: c2ltaWxhcmx5X3RoaXNfc2hvdWxkX25vdF9tYXRjaF9jb250ZW50X29mX290aGVyX3NlY3JldAo=\n---\n"
    );
    do_projected_secret_e2e_without_mapping(&secret2, None, &secret2_name, None, None);
}

/// `ConformanceIt("should be consumable in multiple volumes in a pod", f.WithNodeConformance())`:
/// one Secret in two projected volumes.
#[test]
fn should_be_consumable_in_multiple_volumes_in_a_pod() {
    let name = format!("projected-secret-test-{UUID}");
    let pod_name = format!("pod-projected-secrets-{UUID}");
    let pod = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  restartPolicy: Never\n  volumes:\n  - name: projected-secret-volume\n    projected:\n      sources:\n      - secret: {{name: {name}}}\n  - name: projected-secret-volume-2\n    projected:\n      sources:\n      - secret: {{name: {name}}}\n  containers:\n  - name: secret-volume-test\n    image: {AGNHOST}\n    args: [\"mounttest\", \"--file_content=/etc/projected-secret-volume/data-1\", \"--file_mode=/etc/projected-secret-volume/data-1\"]\n    volumeMounts:\n    - {{name: projected-secret-volume, mountPath: /etc/projected-secret-volume, readOnly: true}}\n    - {{name: projected-secret-volume-2, mountPath: /etc/projected-secret-volume-2, readOnly: true}}\n"
    );
    let file_mode_regexp = get_file_mode_regex("/etc/projected-secret-volume/data-1", None);
    let expected = ["content of file \"/etc/projected-secret-volume/data-1\": value-1", &file_mode_regexp];
    test_container_output_regexp(&format!("{}{pod}", secret_for_test("default", &name)), &pod_name, "secret-volume-test", &expected);
}

/// `createNonOptionalSecretPod*`: a pod whose non-optional `secret` volume names `create_name`
/// (with `items` when given), after `objects`; then `gomega.Consistently(getPod)
/// .WithTimeout(f.Timeouts.PodStart).Should(e2epod.BeInPhase(v1.PodPending))`.
fn non_optional_secret_pod_stays_pending(objects: &str, create_name: &str, items: &str, volume_mount_path: &str) {
    let pod_name = format!("pod-secrets-{UUID}");
    let manifest = e2e_support::non_optional_secret_pod(&pod_name, create_name, items, volume_mount_path);
    let mut s = create(&format!("{objects}{manifest}"));
    let phase = |s: &podplay_session::Session| pod(s, &pod_name).map(|p| p.status.phase.clone());
    if let Err(t) = consistently(&mut s, POD_START_TIMEOUT, POLL, |s| phase(s).as_deref() == Some("Pending")) {
        panic!("expected pod to be in phase \"Pending\" at {t} ms, got {:?}", phase(&s));
    }
}

/// `It("Should fail non-optional pod creation due to secret object does not exist",
/// f.WithSlow(), f.WithNodeConformance())`.
#[test]
fn should_fail_non_optional_pod_creation_due_to_secret_object_does_not_exist() {
    non_optional_secret_pod_stays_pending("", &format!("s-test-opt-create-{UUID}"), "", "/etc/projected-secret-volumes");
}

/// `It("Should fail non-optional pod creation due to the key in the secret object does not
/// exist", f.WithSlow(), f.WithNodeConformance())`: the Secret exists, the item's key `data_4`
/// does not.
#[test]
fn should_fail_non_optional_pod_creation_due_to_the_key_in_the_secret_object_does_not_exist() {
    let create_name = format!("s-test-opt-create-{UUID}");
    let items = ", items: [{key: data_4, path: \"value-4\\n\"}]";
    non_optional_secret_pod_stays_pending(&secret_for_test("default", &create_name), &create_name, items, "/etc/secret-volumes");
}

/// `ConformanceIt("optional updates should be reflected in volume [NodeConformance]")`.
#[test]
fn optional_updates_should_be_reflected_in_volume() {
    let words = e2e_support::OptionalUpdates {
        kind: "secret",
        prefix: "s",
        infix: "s",
        source: "secret",
        reference: "name",
        projected: true,
        pod_prefix: "pod-projected-secrets",
        volume_mount_path: "/etc/projected-secret-volumes",
    };
    e2e_support::optional_updates_should_be_reflected_in_volume(&words, UUID);
}
