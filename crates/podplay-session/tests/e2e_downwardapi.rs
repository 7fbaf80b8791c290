//! Kubernetes' own node e2e downward API tests of environment variables
//! (`test/e2e/common/node/downwardapi.go`, `[sig-node] Downward API`), ported: the same names,
//! pod specs and assertions; `TestContainerOutputRegexp` (the pod's success within
//! `f.Timeouts.PodStart`, then `gomega.MatchRegexp` of its container's log) as seeks of virtual
//! time. Pods are named `downward-api-UUID` with a fixed UUID; the framework's namespace is
//! `default`. The version ported is the one stored at bae4122f (ginkgo v2, with `should provide
//! hostIPs as an env var`, which reads `status.hostIP` as that source does).
//!
//! Images: `imageutils.GetE2EImage(imageutils.BusyBox)` is
//! `registry.k8s.io/e2e-test-images/busybox:1.36.1-1`.

mod e2e_support;

use e2e_support::{regexp_matches, test_container_output_regexp};

const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.36.1-1";
const POD_NAME: &str = "downward-api-9e4b7c21-3d5a-4f08-b6c2-8a1d0e7f3b95";
/// `e2enetwork.RegexIPv4`.
const REGEX_IPV4: &str = "(?:\\d+)\\.(?:\\d+)\\.(?:\\d+)\\.(?:\\d+)";
/// `e2enetwork.RegexIPv6`.
const REGEX_IPV6: &str = "(?:(?:(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):){6})(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):(?:(?:[0-9a-fA-F]{1,4})))|(?:(?:(?:(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9]))\\.){3}(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9])))))))|(?:(?:::(?:(?:(?:[0-9a-fA-F]{1,4})):){5})(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):(?:(?:[0-9a-fA-F]{1,4})))|(?:(?:(?:(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9]))\\.){3}(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9])))))))|(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})))?::(?:(?:(?:[0-9a-fA-F]{1,4})):){4})(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):(?:(?:[0-9a-fA-F]{1,4})))|(?:(?:(?:(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9]))\\.){3}(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9])))))))|(?:(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):){0,1}(?:(?:[0-9a-fA-F]{1,4})))?::(?:(?:(?:[0-9a-fA-F]{1,4})):){3})(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):(?:(?:[0-9a-fA-F]{1,4})))|(?:(?:(?:(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9]))\\.){3}(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9])))))))|(?:(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):){0,2}(?:(?:[0-9a-fA-F]{1,4})))?::(?:(?:(?:[0-9a-fA-F]{1,4})):){2})(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):(?:(?:[0-9a-fA-F]{1,4})))|(?:(?:(?:(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9]))\\.){3}(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9])))))))|(?:(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):){0,3}(?:(?:[0-9a-fA-F]{1,4})))?::(?:(?:[0-9a-fA-F]{1,4})):)(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):(?:(?:[0-9a-fA-F]{1,4})))|(?:(?:(?:(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9]))\\.){3}(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9])))))))|(?:(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):){0,4}(?:(?:[0-9a-fA-F]{1,4})))?::)(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):(?:(?:[0-9a-fA-F]{1,4})))|(?:(?:(?:(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9]))\\.){3}(?:(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9])))))))|(?:(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):){0,5}(?:(?:[0-9a-fA-F]{1,4})))?::)(?:(?:[0-9a-fA-F]{1,4})))|(?:(?:(?:(?:(?:(?:[0-9a-fA-F]{1,4})):){0,6}(?:(?:[0-9a-fA-F]{1,4})))?::))))";

/// A `v1.EnvVar` from a `fieldRef` (apiVersion v1) or a `resourceFieldRef`.
enum Env<'a> {
    Field(&'a str, &'a str),
    Resource(&'a str, &'a str),
}

/// The pod's `env:` block (at four spaces).
fn env_lines(env: &[Env]) -> String {
    let mut out = String::from("    env:\n");
    for e in env {
        out += &match e {
            Env::Field(name, path) => {
                format!("    - name: {name}\n      valueFrom:\n        fieldRef:\n          apiVersion: v1\n          fieldPath: {path}\n")
            }
            Env::Resource(name, resource) => {
                format!("    - name: {name}\n      valueFrom:\n        resourceFieldRef:\n          resource: {resource}\n")
            }
        };
    }
    out
}

/// A pod `POD_NAME` (labelled `name: POD_NAME`) of one busybox container `dapi-container`
/// running `command` with `env`, `resources` (its block at four spaces) and `spec` lines.
fn dapi_pod(command: &str, env: &[Env], resources: &str, spec: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {POD_NAME}\n  labels:\n    name: {POD_NAME}\nspec:\n{spec}  restartPolicy: Never\n  containers:\n  - name: dapi-container\n    image: {BUSYBOX}\n    command: [\"sh\", \"-c\", {command:?}]\n{resources}{}",
        env_lines(env)
    )
}

/// `testDownwardAPI`: the pod with requests of 250m cpu and 32Mi memory, limits of 1250m and
/// 64Mi, running `env`.
fn test_downward_api(env: &[Env], expectations: &[&str]) {
    let resources = "    resources:\n      requests:\n        cpu: 250m\n        memory: 32Mi\n      limits:\n        cpu: 1250m\n        memory: 64Mi\n";
    test_downward_api_using_pod(&dapi_pod("env", env, resources, ""), expectations);
}

/// `testDownwardAPIUsingPod`: `e2epodoutput.TestContainerOutputRegexp` of container 0.
fn test_downward_api_using_pod(pod: &str, expectations: &[&str]) {
    test_container_output_regexp(pod, POD_NAME, "dapi-container", expectations);
}

/// `fmt.Sprintf("NAME=%v|%v", e2enetwork.RegexIPv4, e2enetwork.RegexIPv6)`.
fn ip_expectation(name: &str) -> String {
    format!("{name}={REGEX_IPV4}|{REGEX_IPV6}")
}

/// `Downward API`.
mod downward_api {
    use super::*;

    /// `ConformanceIt("should provide pod name, namespace and IP address as env vars",
    /// f.WithNodeConformance())`.
    #[test]
    fn should_provide_pod_name_namespace_and_ip_address_as_env_vars() {
        let env = [
            Env::Field("POD_NAME", "metadata.name"),
            Env::Field("POD_NAMESPACE", "metadata.namespace"),
            Env::Field("POD_IP", "status.podIP"),
        ];
        let name = format!("POD_NAME={POD_NAME}");
        test_downward_api(&env, &[&name, "POD_NAMESPACE=default", &ip_expectation("POD_IP")]);
    }

    /// `ConformanceIt("should provide host IP as an env var", f.WithNodeConformance())`.
    #[test]
    fn should_provide_host_ip_as_an_env_var() {
        test_downward_api(&[Env::Field("HOST_IP", "status.hostIP")], &[&ip_expectation("HOST_IP")]);
    }

    /// `ConformanceIt("should provide hostIPs as an env var", f.WithNodeConformance())`: as
    /// stored, it reads `status.hostIP`.
    #[test]
    fn should_provide_host_ips_as_an_env_var() {
        test_downward_api(&[Env::Field("HOST_IP", "status.hostIP")], &[&ip_expectation("HOST_IP")]);
    }

    /// `It("should provide host IP and pod IP as an env var if pod uses host network
    /// [LinuxOnly]")`.
    #[test]
    fn should_provide_host_ip_and_pod_ip_as_an_env_var_if_pod_uses_host_network() {
        let env = [Env::Field("HOST_IP", "status.hostIP"), Env::Field("POD_IP", "status.podIP")];
        let command = r#"[[ "${HOST_IP:?}" == "${POD_IP:?}" ]] && echo 'OK' || echo "HOST_IP: '${HOST_IP}' != POD_IP: '${POD_IP}'""#;
        test_downward_api_using_pod(&dapi_pod(command, &env, "", "  hostNetwork: true\n"), &["OK"]);
    }

    /// `ConformanceIt("should provide container's limits.cpu/memory and requests.cpu/memory as
    /// env vars", f.WithNodeConformance())`.
    #[test]
    fn should_provide_container_s_limits_cpu_memory_and_requests_cpu_memory_as_env_vars() {
        let env = [
            Env::Resource("CPU_LIMIT", "limits.cpu"),
            Env::Resource("MEMORY_LIMIT", "limits.memory"),
            Env::Resource("CPU_REQUEST", "requests.cpu"),
            Env::Resource("MEMORY_REQUEST", "requests.memory"),
        ];
        test_downward_api(&env, &["CPU_LIMIT=2", "MEMORY_LIMIT=67108864", "CPU_REQUEST=1", "MEMORY_REQUEST=33554432"]);
    }

    /// `ConformanceIt("should provide default limits.cpu/memory from node allocatable",
    /// f.WithNodeConformance())`.
    #[test]
    fn should_provide_default_limits_cpu_memory_from_node_allocatable() {
        let env = [Env::Resource("CPU_LIMIT", "limits.cpu"), Env::Resource("MEMORY_LIMIT", "limits.memory")];
        test_downward_api_using_pod(&dapi_pod("env", &env, "", ""), &["CPU_LIMIT=[1-9]", "MEMORY_LIMIT=[1-9]"]);
    }

    /// `ConformanceIt("should provide pod UID as env vars", f.WithNodeConformance())`.
    #[test]
    fn should_provide_pod_uid_as_env_vars() {
        let expected = "POD_UID=[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{12}";
        test_downward_api(&[Env::Field("POD_UID", "metadata.uid")], &[expected]);
    }
}

/// `Downward API [Serial] [Disruptive] [Feature:DownwardAPIHugePages]`, `Downward API tests for
/// hugepages`.
mod downward_api_tests_for_hugepages {
    use super::*;

    /// `It("should provide container's limits.hugepages-<pagesize> and
    /// requests.hugepages-<pagesize> as env vars")`: no hugepages asked for (0Mi), so it runs
    /// where none are present.
    #[test]
    fn should_provide_container_s_limits_hugepages_pagesize_and_requests_hugepages_pagesize_as_env_vars() {
        let env = [Env::Resource("HUGEPAGES_LIMIT", "limits.hugepages-2Mi"), Env::Resource("HUGEPAGES_REQUEST", "requests.hugepages-2Mi")];
        let resources =
            "    resources:\n      requests:\n        cpu: 10m\n        hugepages-2Mi: 0Mi\n      limits:\n        hugepages-2Mi: 0Mi\n";
        test_downward_api_using_pod(&dapi_pod("env", &env, resources, ""), &["HUGEPAGES_LIMIT=0", "HUGEPAGES_REQUEST=0"]);
    }

    /// `It("should provide default limits.hugepages-<pagesize> from node allocatable")`.
    #[test]
    fn should_provide_default_limits_hugepages_pagesize_from_node_allocatable() {
        let env = [Env::Resource("HUGEPAGES_LIMIT", "limits.hugepages-2Mi")];
        test_downward_api_using_pod(&dapi_pod("env", &env, "", ""), &["HUGEPAGES_LIMIT=((0)|([1-9][0-9]*))\n"]);
    }
}

#[test]
/// The test helper's `regexp.MatchString` on the patterns above.
fn regexp_matches_as_go_regexp_does() {
    assert!(regexp_matches("HUGEPAGES_LIMIT=((0)|([1-9][0-9]*))\n", "A=1\nHUGEPAGES_LIMIT=0\nB=2\n"));
    assert!(!regexp_matches("HUGEPAGES_LIMIT=((0)|([1-9][0-9]*))\n", "HUGEPAGES_LIMIT=x\n"));
    let uid = "POD_UID=[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{12}";
    assert!(regexp_matches(uid, "POD_UID=0f3c2a1b-1234-4abc-8def-0123456789ab\n"));
    assert!(!regexp_matches(uid, "POD_UID=0f3c2a1b-1234-4abc-8def-0123456789\n"));
    assert!(regexp_matches("IP=(?:\\d+)\\.(?:\\d+)\\.(?:\\d+)\\.(?:\\d+)", "IP=10.244.1.7"));
    assert!(!regexp_matches("IP=(?:\\d+)\\.(?:\\d+)\\.(?:\\d+)\\.(?:\\d+)", "IP=10.244.1."));
    assert!(regexp_matches("a(b|c)?d", "ad") && regexp_matches("a(b|c)?d", "acd") && !regexp_matches("a(b|c)?d", "abbd"));
    assert!(regexp_matches("x{2,}y", "xxxy") && !regexp_matches("x{2,}y", "xy"));
    assert!(regexp_matches("[^0-9]+z", "abz") && !regexp_matches("=[^0-9]z", "=1z"));
}
