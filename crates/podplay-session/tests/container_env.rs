//! The kubelet's container environment (`makeEnvironmentVariables`, `getServiceEnvVarMap`): the
//! service variables a container gets, and what `$(VAR)` in an `env` value can refer to.

mod e2e_support;

use e2e_support::{create, pod_logs};
use podplay_core::clock::SECOND;

/// The `env` output of a busybox container in a pod with `spec_extra` and `env`, next to a
/// Service `web` of its namespace.
fn env_of(spec_extra: &str, env: &str) -> Vec<String> {
    let text = format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{app: web}}\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{spec_extra}  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [\"env\"]\n    env:\n{env}"
    );
    let mut s = create(&text);
    s.seek(10 * SECOND);
    let out = pod_logs(&mut s, "p", "c").expect("the logs");
    let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

fn has(lines: &[String], prefix: &str) -> bool {
    lines.iter().any(|l| l.starts_with(prefix))
}

#[test]
fn without_service_links_the_kubernetes_service_s_variables_stay() {
    let lines = env_of("  enableServiceLinks: false\n", "    - {name: A, value: a}\n");
    assert!(has(&lines, "KUBERNETES_SERVICE_HOST="), "{lines:?}");
    assert!(!has(&lines, "WEB_SERVICE_HOST="), "{lines:?}");
    let lines = env_of("", "    - {name: A, value: a}\n");
    assert!(has(&lines, "KUBERNETES_SERVICE_HOST=") && has(&lines, "WEB_SERVICE_HOST="), "{lines:?}");
}

#[test]
fn an_env_value_may_refer_to_service_variables_and_a_declared_one_wins() {
    let env = "    - {name: API, value: \"https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)\"}\n    - {name: WEB_SERVICE_PORT, value: \"8080\"}\n    - {name: LATER, value: \"$(NOT_YET)\"}\n    - {name: NOT_YET, value: x}\n";
    let lines = env_of("", env);
    let host = lines.iter().find_map(|l| l.strip_prefix("KUBERNETES_SERVICE_HOST=")).expect("the host");
    assert!(lines.contains(&format!("API=https://{host}:443")), "{lines:?}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("WEB_SERVICE_PORT=")).collect::<Vec<_>>(), ["WEB_SERVICE_PORT=8080"]);
    assert!(lines.contains(&"LATER=$(NOT_YET)".to_string()), "{lines:?}");
}

/// `resourceFieldRef` in `env` (`containerResourceRuntimeValue` over
/// `defaultPodLimitsForDownwardAPI`): the container's own when it names none, an unset limit as
/// the node's allocatable (2 CPUs), an unset request as 0, in units of the divisor.
#[test]
fn an_env_resource_field_ref_reads_limits_with_the_node_allocatable_for_unset_ones() {
    let env = "    - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}}\n    - {name: REQ, valueFrom: {resourceFieldRef: {containerName: c, resource: requests.memory}}}\n";
    let lines = env_of("", env);
    assert!(lines.contains(&"CPU=2000".to_string()), "{lines:?}");
    assert!(lines.contains(&"REQ=0".to_string()), "{lines:?}");
}
