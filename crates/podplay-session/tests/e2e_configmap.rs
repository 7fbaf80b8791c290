//! Kubernetes' own node e2e ConfigMap tests (`test/e2e/common/node/configmap.go`, `[sig-node]
//! ConfigMap`), ported: the same names, objects, pod specs and assertions; `TestContainerOutput`
//! (the pod's success within `f.Timeouts.PodStart`, then its container's log) as seeks of
//! virtual time. The ConfigMap and the pod are created at time 0 (the e2e creates the ConfigMap
//! first); names carry a fixed UUID.
//!
//! The client's calls are kubectl commands at the moment the e2e makes them: a `Create` the
//! test expects to fail is a Scenario step `kubectl create -f -` (its output the API server's
//! answer); `Get` reads the object; `Patch` is `kubectl patch` (strategic merge); `List` with a
//! label selector is `kubectl get configmaps -l ... -o json` (`-A` for all namespaces);
//! `DeleteCollection` is `kubectl delete configmaps -l ...`; the `Update` of the whole object
//! with new `data` is `kubectl patch --type json` replacing `/data` (podplay has no `kubectl
//! replace`; the object the server stores is the same).
//!
//! Images: `imageutils.GetE2EImage(imageutils.BusyBox)` is
//! `registry.k8s.io/e2e-test-images/busybox:1.36.1-1`.

mod e2e_support;

use e2e_support::{create, kubectl, test_container_output};
use podplay_session::Session;
use serde_json::Value;

const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.36.1-1";
const UUID: &str = "5c1e7a93-2b4d-4f86-9e0a-7d3b1c2f4a68";

/// `newConfigMap`: `data-1`..`data-3` of `value-N`.
fn new_config_map(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: default\n  name: {name}\ndata:\n  data-1: value-1\n  data-2: value-2\n  data-3: value-3\n"
    )
}

/// A `pod-configmaps-UUID` pod of one busybox container `env-test` running `env`, with
/// `env_lines` (its `env:` or `envFrom:` block at four spaces).
fn env_pod(env_lines: &str) -> (String, String) {
    let pod_name = format!("pod-configmaps-{UUID}");
    let pod = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: env-test\n    image: {BUSYBOX}\n    command: [\"sh\", \"-c\", \"env\"]\n{env_lines}"
    );
    (pod_name, pod)
}

/// A Scenario whose one step runs `command` with `manifest` as its standard input at 1 ms.
fn scenario_step(command: &str, manifest: &str) -> String {
    format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: configmap\nspec:\n  steps:\n  - at: 1ms\n    run: {command}\n    manifest: {manifest:?}\n"
    )
}

/// `kubectl LINE` now (a shell-like command line).
fn run(s: &mut Session, line: &str) -> podplay_kubectl::Output {
    let words = podplay_kubectl::split_command_line(line).expect("a command line");
    s.kubectl(&words)
}

/// `List` with `selector` (all namespaces with `all`): the items of `kubectl get configmaps -o
/// json`.
fn list(s: &mut Session, selector: &str, all: bool) -> Vec<Value> {
    let all = if all { " -A" } else { "" };
    let out = run(s, &format!("get configmaps{all} -l {selector} -o json"));
    assert_eq!(out.exit_code, 0, "failed to list ConfigMaps with LabelSelector: {out:?}");
    let list: Value = serde_json::from_str(&out.stdout).expect("a List");
    list["items"].as_array().cloned().unwrap_or_default()
}

/// `ConformanceIt("should be consumable via environment variable [NodeConformance]")`.
#[test]
fn should_be_consumable_via_environment_variable() {
    let name = format!("configmap-test-{UUID}");
    let (pod_name, pod) = env_pod(&format!(
        "    env:\n    - name: CONFIG_DATA_1\n      valueFrom:\n        configMapKeyRef:\n          name: {name}\n          key: data-1\n"
    ));
    test_container_output(&format!("{}---\n{pod}", new_config_map(&name)), &pod_name, "env-test", &["CONFIG_DATA_1=value-1"]);
}

/// `ConformanceIt("should be consumable via the environment [NodeConformance]")`.
#[test]
fn should_be_consumable_via_the_environment() {
    let name = format!("configmap-test-{UUID}");
    let (pod_name, pod) = env_pod(&format!(
        "    envFrom:\n    - configMapRef:\n        name: {name}\n    - prefix: p-\n      configMapRef:\n        name: {name}\n"
    ));
    let expected = ["data-1=value-1", "data-2=value-2", "data-3=value-3", "p-data-1=value-1", "p-data-2=value-2", "p-data-3=value-3"];
    test_container_output(&format!("{}---\n{pod}", new_config_map(&name)), &pod_name, "env-test", &expected);
}

/// `ConformanceIt("should fail to create ConfigMap with empty key")`: `newConfigMapWithEmptyKey`
/// (its name as the e2e makes it, with a capital K) is refused.
#[test]
fn should_fail_to_create_config_map_with_empty_key() {
    let name = format!("configmap-test-emptyKey-{UUID}");
    let config_map = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: default\n  name: {name}\ndata:\n  \"\": value-1\n");
    let mut s = create(&scenario_step("kubectl create -f -", &config_map));
    s.seek(1);
    let out = s.engine().step_outputs().first().cloned().expect("the create ran");
    assert_ne!(out.exit_code, 0, "created configMap {name:?} with empty key in namespace \"default\": {out:?}");
    // ValidateConfigMap: the name (a capital letter) and the empty key.
    assert!(
        out.stderr.starts_with(&format!(
            "The ConfigMap \"{name}\" is invalid: \n* metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain"
        )),
        "{out:?}"
    );
    assert!(out.stderr.contains("\n* data[]: Invalid value: \"\": a valid config key must consist of alphanumeric characters"), "{out:?}");
    assert!(s.engine().find_config_map(&name, "default").is_none(), "no ConfigMap was stored");
}

/// `It("should update ConfigMap successfully")`.
#[test]
fn should_update_config_map_successfully() {
    let name = format!("configmap-test-{UUID}");
    // "Creating ConfigMap"
    let mut s = create(&new_config_map(&name));
    // "Updating configMap": Data replaced by {data: value}.
    let out =
        run(&mut s, &format!(r#"patch configmap {name} --type json -p '[{{"op":"replace","path":"/data","value":{{"data":"value"}}}}]'"#));
    assert_eq!(out.exit_code, 0, "failed to update ConfigMap: {out:?}");
    // "Verifying update of ConfigMap"
    let from_update = s.engine().find_config_map(&name, "default").expect("failed to get ConfigMap");
    let data: Vec<(&str, &str)> = from_update.data.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(data, [("data", "value")]);
}

/// `ConformanceIt("should run through a ConfigMap lifecycle")`.
#[test]
fn should_run_through_a_config_map_lifecycle() {
    let name = format!("test-configmap{UUID}");
    // "creating a ConfigMap"
    let mut s = create(&format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels:\n    test-configmap-static: \"true\"\ndata:\n  valueName: value\n"
    ));
    // "fetching the ConfigMap"
    let cm = s.engine().find_config_map(&name, "default").expect("failed to get ConfigMap");
    assert_eq!(cm.data.get("valueName").map(String::as_str), Some("value"));
    assert_eq!(cm.metadata.labels.get("test-configmap-static").map(String::as_str), Some("true"));
    // "patching the ConfigMap": json.Marshal of a v1.ConfigMap (its zero creationTimestamp
    // marshals as null).
    let out = run(
        &mut s,
        &format!(
            r#"patch configmap {name} -p '{{"metadata":{{"creationTimestamp":null,"labels":{{"test-configmap":"patched"}}}},"data":{{"valueName":"value1"}}}}'"#
        ),
    );
    assert_eq!(out.stdout, format!("configmap/{name} patched\n"), "failed to patch ConfigMap: {out:?}");
    // "listing all ConfigMaps in all namespaces with a label selector"
    let found = list(&mut s, "test-configmap=patched", true).iter().any(|cm| {
        cm["metadata"]["name"] == name.as_str()
            && cm["metadata"]["namespace"] == "default"
            && cm["metadata"]["labels"]["test-configmap-static"] == "true"
            && cm["metadata"]["labels"]["test-configmap"] == "patched"
            && cm["data"]["valueName"] == "value1"
    });
    assert!(found, "failed to find ConfigMap default/{name} by label selector");
    // "deleting the ConfigMap by collection with a label selector"
    let (code, out, err) = kubectl(&mut s, &["delete", "configmaps", "-l", "test-configmap-static=true"]);
    assert_eq!(code, 0, "failed to delete ConfigMap collection with LabelSelector: {out}{err}");
    assert_eq!(out, format!("configmap \"{name}\" deleted\n"));
    // "listing all ConfigMaps in test namespace"
    assert_eq!(list(&mut s, "test-configmap-static=true", false).len(), 0, "ConfigMap is still present after being deleted by collection");
}
