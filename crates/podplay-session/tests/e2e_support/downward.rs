//! The pods of `test/e2e/common/storage/downwardapi_volume.go` and `projected_downwardapi.go`
//! (the same package: the projected tests use the plain volume's pods for the pod name and the
//! resources, as upstream does).

use super::{list, AGNHOST};

/// The one container's name in every pod of these tests.
pub const CLIENT_CONTAINER: &str = "client-container";

/// `downwardAPIVolumeBasePod` (`projected: false`) or `projectedDownwardAPIVolumeBasePod`: the
/// volume `podinfo` with the pod's name and `client-container`'s cpu and memory limits and
/// requests, `restartPolicy: Never`, and `containers` (YAML list items); `item_mode` on the
/// first item, `default_mode` on the volume (`downwardAPIVolumePodForModeTest`).
pub fn downward_api_pod(name: &str, projected: bool, containers: &str, item_mode: Option<u32>, default_mode: Option<u32>) -> String {
    downward_api_base_pod(name, &[], &[], projected, containers, item_mode, default_mode)
}

/// The base pod with `labels` and `annotations` in its metadata and, as
/// `applyLabelsAndAnnotationsToDownwardAPIPod` adds them, items for `metadata.labels` (path
/// `labels`) and `metadata.annotations` (path `annotations`) when there are any.
fn downward_api_base_pod(
    name: &str,
    labels: &[(&str, &str)],
    annotations: &[(&str, &str)],
    projected: bool,
    containers: &str,
    item_mode: Option<u32>,
    default_mode: Option<u32>,
) -> String {
    let mut items = String::from("- path: podname\n  fieldRef: {apiVersion: v1, fieldPath: metadata.name}\n");
    if let Some(mode) = item_mode {
        items += &format!("  mode: {mode}\n");
    }
    for (path, resource) in [
        ("cpu_limit", "limits.cpu"),
        ("cpu_request", "requests.cpu"),
        ("memory_limit", "limits.memory"),
        ("memory_request", "requests.memory"),
    ] {
        items += &format!("- path: {path}\n  resourceFieldRef: {{containerName: {CLIENT_CONTAINER}, resource: {resource}}}\n");
    }
    let mut metadata = String::new();
    for (field, pairs) in [("labels", labels), ("annotations", annotations)] {
        if pairs.is_empty() {
            continue;
        }
        items += &format!("- path: {field}\n  fieldRef: {{apiVersion: v1, fieldPath: metadata.{field}}}\n");
        metadata += &format!("  {field}:\n");
        for (k, v) in pairs {
            metadata += &format!("    {k}: {}\n", super::quote(v));
        }
    }
    let default_mode = default_mode.map(|m| format!("defaultMode: {m}\n")).unwrap_or_default();
    let (source, indent) =
        if projected { ("projected:\n      sources:\n      - downwardAPI:\n", "          ") } else { ("downwardAPI:\n", "      ") };
    let items: String = format!("items:\n{items}").lines().map(|l| format!("{indent}{l}\n")).collect();
    let default_mode: String = default_mode.lines().map(|l| format!("      {l}\n")).collect();
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n{metadata}spec:\n  restartPolicy: Never\n  volumes:\n  - name: podinfo\n    {source}{items}{default_mode}  containers:\n{containers}"
    )
}

/// A `client-container` running agnhost with `args`, `podinfo` mounted at `/etc/podinfo`, and
/// `resources` (YAML at the container's indentation, or empty).
pub fn client_container(args: &[&str], resources: &str) -> String {
    format!(
        "  - name: {CLIENT_CONTAINER}\n    image: {AGNHOST}\n    args: {}\n{resources}    volumeMounts:\n    - {{name: podinfo, mountPath: /etc/podinfo}}\n",
        list(args)
    )
}

/// `downwardAPIVolumePodForSimpleTest`: `mounttest --file_content=PATH`.
pub fn downward_api_volume_pod_for_simple_test(name: &str, file_path: &str) -> String {
    downward_api_pod(name, false, &client_container(&["mounttest", &format!("--file_content={file_path}")], ""), None, None)
}

/// `downwardAPIVolumePodForModeTest` (plain) and `projectedDownwardAPIVolumePodForModeTest`:
/// `mounttest --file_mode=PATH`.
pub fn downward_api_volume_pod_for_mode_test(
    name: &str,
    projected: bool,
    file_path: &str,
    item_mode: Option<u32>,
    default_mode: Option<u32>,
) -> String {
    let container = client_container(&["mounttest", &format!("--file_mode={file_path}")], "");
    downward_api_pod(name, projected, &container, item_mode, default_mode)
}

/// `downwardAPIVolumePodForUpdateTest` (plain: `--retry_time=120`) and
/// `projectedDownwardAPIVolumePodForUpdateTest` (`--retry_time=1200`): agnhost `mounttest
/// --file_content_in_loop=PATH`.
pub fn downward_api_volume_pod_for_update_test(
    name: &str,
    projected: bool,
    labels: &[(&str, &str)],
    annotations: &[(&str, &str)],
    file_path: &str,
) -> String {
    let retry = if projected { "--retry_time=1200" } else { "--retry_time=120" };
    let args = ["mounttest", "--break_on_expected_content=false", retry, &format!("--file_content_in_loop={file_path}")];
    downward_api_base_pod(name, labels, annotations, projected, &client_container(&args, ""), None, None)
}

/// `downwardAPIVolumeForContainerResources`: requests of 250m and 32Mi, limits of 1250m and 64Mi.
pub fn downward_api_volume_for_container_resources(name: &str, file_path: &str) -> String {
    let resources = "    resources:\n      requests: {cpu: 250m, memory: 32Mi}\n      limits: {cpu: 1250m, memory: 64Mi}\n";
    downward_api_pod(name, false, &client_container(&["mounttest", &format!("--file_content={file_path}")], resources), None, None)
}

/// `downwardAPIVolumeForDefaultContainerResources`: no resources.
pub fn downward_api_volume_for_default_container_resources(name: &str, file_path: &str) -> String {
    downward_api_volume_pod_for_simple_test(name, file_path)
}

/// The fsgroup tests' pod: `SecurityContext{FSGroup: 1234}`, then `setPodNonRootUser`.
pub fn with_fs_group_as_non_root(pod: &str) -> String {
    super::with_security_context(pod, &format!("fsGroup: 1234, runAsUser: {}", super::NON_ROOT_TEST_USER_ID))
}

/// The tests `downwardapi_volume.go` and `projected_downwardapi.go` share, by upstream's names:
/// the mode tests on a projected volume when `$projected`, the others on the plain volume's
/// pods in both files (as upstream builds them). `$pod_name` is the test's fixed
/// `downwardapi-volume-<UUID>`.
#[allow(unused_macros)] // each test file uses its own part
macro_rules! downward_api_tests {
    ($pod_name:expr, $projected:expr, $uuid:expr) => {
        /// `It("should provide podname only [NodeConformance]")` (Conformance).
        #[test]
        fn should_provide_podname_only() {
            let pod = $crate::e2e_support::downward::downward_api_volume_pod_for_simple_test($pod_name, "/etc/podinfo/podname");
            $crate::e2e_support::test_container_output(
                &pod,
                $pod_name,
                $crate::e2e_support::downward::CLIENT_CONTAINER,
                &[&format!("{}\n", $pod_name)],
            );
        }

        /// `It("should update labels on modification [NodeConformance]")` (Conformance): the pod
        /// update (`podClient.Update`) is `kubectl label`.
        #[test]
        fn should_update_labels_on_modification() {
            use $crate::e2e_support::{create, create_sync, eventually_logs_contain, kubectl, POD_SECRET_UPDATE_TIMEOUT};
            let pod_name = format!("labelsupdate{}", $uuid);
            let labels = [("key1", "value1"), ("key2", "value2")];
            let pod = $crate::e2e_support::downward::downward_api_volume_pod_for_update_test(
                &pod_name,
                $projected,
                &labels,
                &[],
                "/etc/podinfo/labels",
            );
            let container_name = $crate::e2e_support::downward::CLIENT_CONTAINER;
            let mut s = create(&pod);
            create_sync(&mut s, &pod_name);
            eventually_logs_contain(&mut s, &pod_name, container_name, POD_SECRET_UPDATE_TIMEOUT, "key1=\"value1\"\n");
            let (code, _, err) = kubectl(&mut s, &["label", "pod", &pod_name, "key3=value3"]);
            assert_eq!(code, 0, "{err}");
            eventually_logs_contain(&mut s, &pod_name, container_name, POD_SECRET_UPDATE_TIMEOUT, "key3=\"value3\"\n");
        }

        /// `It("should update annotations on modification [NodeConformance]")` (Conformance):
        /// the pod update is `kubectl annotate --overwrite`.
        #[test]
        fn should_update_annotations_on_modification() {
            use $crate::e2e_support::{create, create_sync, eventually_logs_contain, kubectl, POD_SECRET_UPDATE_TIMEOUT};
            let pod_name = format!("annotationupdate{}", $uuid);
            let annotations = [("builder", "bar")];
            let pod = $crate::e2e_support::downward::downward_api_volume_pod_for_update_test(
                &pod_name,
                $projected,
                &[],
                &annotations,
                "/etc/podinfo/annotations",
            );
            let container_name = $crate::e2e_support::downward::CLIENT_CONTAINER;
            let mut s = create(&pod);
            create_sync(&mut s, &pod_name);
            eventually_logs_contain(&mut s, &pod_name, container_name, POD_SECRET_UPDATE_TIMEOUT, "builder=\"bar\"\n");
            let (code, _, err) = kubectl(&mut s, &["annotate", "pod", &pod_name, "builder=foo", "--overwrite"]);
            assert_eq!(code, 0, "{err}");
            eventually_logs_contain(&mut s, &pod_name, container_name, POD_SECRET_UPDATE_TIMEOUT, "builder=\"foo\"\n");
        }

        /// `It("should set DefaultMode on files [LinuxOnly] [NodeConformance]")` (Conformance).
        #[test]
        fn should_set_default_mode_on_files() {
            let pod = $crate::e2e_support::downward::downward_api_volume_pod_for_mode_test(
                $pod_name,
                $projected,
                "/etc/podinfo/podname",
                None,
                Some(0o400),
            );
            $crate::e2e_support::test_container_output(
                &pod,
                $pod_name,
                $crate::e2e_support::downward::CLIENT_CONTAINER,
                &["mode of file \"/etc/podinfo/podname\": -r--------"],
            );
        }

        /// `It("should set mode on item file [LinuxOnly] [NodeConformance]")` (Conformance).
        #[test]
        fn should_set_mode_on_item_file() {
            let pod = $crate::e2e_support::downward::downward_api_volume_pod_for_mode_test(
                $pod_name,
                $projected,
                "/etc/podinfo/podname",
                Some(0o400),
                None,
            );
            $crate::e2e_support::test_container_output(
                &pod,
                $pod_name,
                $crate::e2e_support::downward::CLIENT_CONTAINER,
                &["mode of file \"/etc/podinfo/podname\": -r--------"],
            );
        }

        /// `It("should provide podname as non-root with fsgroup [LinuxOnly]
        /// [NodeFeature:FSGroup]")`: `fsGroup: 1234`, then `setPodNonRootUser`.
        #[test]
        fn should_provide_podname_as_non_root_with_fsgroup() {
            let pod_name = format!("metadata-volume-{}", $uuid);
            let pod = $crate::e2e_support::downward::downward_api_volume_pod_for_simple_test(&pod_name, "/etc/podinfo/podname");
            let pod = $crate::e2e_support::downward::with_fs_group_as_non_root(&pod);
            $crate::e2e_support::test_container_output(
                &pod,
                &pod_name,
                $crate::e2e_support::downward::CLIENT_CONTAINER,
                &[&format!("{pod_name}\n")],
            );
        }

        /// `It("should provide podname as non-root with fsgroup and defaultMode [LinuxOnly]
        /// [NodeFeature:FSGroup]")`: the item's mode 0440 (setting fsGroup sets the mode to at
        /// least 440), `fsGroup: 1234`, then `setPodNonRootUser`.
        #[test]
        fn should_provide_podname_as_non_root_with_fsgroup_and_default_mode() {
            let pod_name = format!("metadata-volume-{}", $uuid);
            let pod = $crate::e2e_support::downward::downward_api_volume_pod_for_mode_test(
                &pod_name,
                $projected,
                "/etc/podinfo/podname",
                Some(0o440),
                None,
            );
            let pod = $crate::e2e_support::downward::with_fs_group_as_non_root(&pod);
            $crate::e2e_support::test_container_output(
                &pod,
                &pod_name,
                $crate::e2e_support::downward::CLIENT_CONTAINER,
                &["mode of file \"/etc/podinfo/podname\": -r--r-----"],
            );
        }

        /// `It("should provide container's cpu limit [NodeConformance]")` (Conformance): 1250m
        /// rounded up.
        #[test]
        fn should_provide_container_s_cpu_limit() {
            let pod = $crate::e2e_support::downward::downward_api_volume_for_container_resources($pod_name, "/etc/podinfo/cpu_limit");
            $crate::e2e_support::test_container_output(&pod, $pod_name, $crate::e2e_support::downward::CLIENT_CONTAINER, &["2\n"]);
        }

        /// `It("should provide container's memory limit [NodeConformance]")` (Conformance).
        #[test]
        fn should_provide_container_s_memory_limit() {
            let pod = $crate::e2e_support::downward::downward_api_volume_for_container_resources($pod_name, "/etc/podinfo/memory_limit");
            $crate::e2e_support::test_container_output(&pod, $pod_name, $crate::e2e_support::downward::CLIENT_CONTAINER, &["67108864\n"]);
        }

        /// `It("should provide container's cpu request [NodeConformance]")` (Conformance): 250m
        /// rounded up.
        #[test]
        fn should_provide_container_s_cpu_request() {
            let pod = $crate::e2e_support::downward::downward_api_volume_for_container_resources($pod_name, "/etc/podinfo/cpu_request");
            $crate::e2e_support::test_container_output(&pod, $pod_name, $crate::e2e_support::downward::CLIENT_CONTAINER, &["1\n"]);
        }

        /// `It("should provide container's memory request [NodeConformance]")` (Conformance).
        #[test]
        fn should_provide_container_s_memory_request() {
            let pod = $crate::e2e_support::downward::downward_api_volume_for_container_resources($pod_name, "/etc/podinfo/memory_request");
            $crate::e2e_support::test_container_output(&pod, $pod_name, $crate::e2e_support::downward::CLIENT_CONTAINER, &["33554432\n"]);
        }

        /// `It("should provide node allocatable (cpu) as default cpu limit if the limit is not set
        /// [NodeConformance]")` (Conformance).
        #[test]
        fn should_provide_node_allocatable_cpu_as_default_cpu_limit_if_the_limit_is_not_set() {
            let pod =
                $crate::e2e_support::downward::downward_api_volume_for_default_container_resources($pod_name, "/etc/podinfo/cpu_limit");
            $crate::e2e_support::test_container_output_regexp(&pod, $pod_name, $crate::e2e_support::downward::CLIENT_CONTAINER, &["[1-9]"]);
        }

        /// `It("should provide node allocatable (memory) as default memory limit if the limit is not
        /// set [NodeConformance]")` (Conformance).
        #[test]
        fn should_provide_node_allocatable_memory_as_default_memory_limit_if_the_limit_is_not_set() {
            let pod =
                $crate::e2e_support::downward::downward_api_volume_for_default_container_resources($pod_name, "/etc/podinfo/memory_limit");
            $crate::e2e_support::test_container_output_regexp(&pod, $pod_name, $crate::e2e_support::downward::CLIENT_CONTAINER, &["[1-9]"]);
        }
    };
}
#[allow(unused_imports)]
pub(crate) use downward_api_tests;
