//! Kubernetes' own node e2e Secret tests (`test/e2e/common/node/secrets.go`, `[sig-node]
//! Secrets`), ported: the same names, objects, pod specs and assertions; `TestContainerOutput`
//! (the pod's success within `f.Timeouts.PodStart`, then its container's log) as seeks of
//! virtual time. The Secret and the pod are created at time 0 (the e2e creates the Secret
//! first); names carry a fixed UUID.
//!
//! The client's calls are kubectl commands at the moment the e2e makes them: a `Create` the
//! test expects to fail is a Scenario step `kubectl create -f -`; `List` with a label selector
//! is `kubectl get secrets -A -l ... -o json`; `Patch` is `kubectl patch` (strategic merge, the
//! patch `json.Marshal` makes: a `[]byte` value is base64 again); `Get` is `kubectl get secret
//! -o json`, whose `data` the client decodes from base64; `DeleteCollection` is `kubectl delete
//! secrets -l ...`.
//!
//! Images: `imageutils.GetE2EImage(imageutils.BusyBox)` is
//! `registry.k8s.io/e2e-test-images/busybox:1.36.1-1`.

mod e2e_support;

use e2e_support::{create, kubectl, test_container_output};
use podplay_session::Session;
use serde_json::Value;

const BUSYBOX: &str = "registry.k8s.io/e2e-test-images/busybox:1.36.1-1";
const UUID: &str = "a4d2c8e1-7b3f-4e59-8c06-1f9e2d7b5a34";

/// `secretForTest`: `data-1`..`data-3` of `value-N\n` (base64 in `data`).
fn secret_for_test(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: default\n  name: {name}\ndata:\n  data-1: dmFsdWUtMQo=\n  data-2: dmFsdWUtMgo=\n  data-3: dmFsdWUtMwo=\n"
    )
}

/// A pod of one busybox container `container` running `env`, with `env_lines` (its `env:` or
/// `envFrom:` block at four spaces).
fn env_pod(pod_name: &str, container: &str, env_lines: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: {container}\n    image: {BUSYBOX}\n    command: [\"sh\", \"-c\", \"env\"]\n{env_lines}"
    )
}

/// `kubectl LINE` now (a shell-like command line).
fn run(s: &mut Session, line: &str) -> podplay_kubectl::Output {
    let words = podplay_kubectl::split_command_line(line).expect("a command line");
    s.kubectl(&words)
}

/// `Secrets("").List(LabelSelector: selector)`: the items of `kubectl get secrets -A -l`.
fn list_all_namespaces(s: &mut Session, selector: &str) -> Vec<Value> {
    let out = run(s, &format!("get secrets -A -l {selector} -o json"));
    assert_eq!(out.exit_code, 0, "failed to list secrets: {out:?}");
    let list: Value = serde_json::from_str(&out.stdout).expect("a List");
    list["items"].as_array().cloned().unwrap_or_default()
}

/// `base64.StdEncoding.DecodeString` (and the client's decoding of a `[]byte` field).
fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digits = text.trim_end_matches('=');
    if !text.len().is_multiple_of(4) || text.len() - digits.len() > 2 {
        return Err(format!("illegal base64 data: {text:?}"));
    }
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for b in digits.bytes() {
        let v = ALPHABET.iter().position(|a| *a == b).ok_or_else(|| format!("illegal base64 data: {text:?}"))?;
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Ok(out)
}

/// `ConformanceIt("should be consumable from pods in env vars [NodeConformance]")`.
#[test]
fn should_be_consumable_from_pods_in_env_vars() {
    let name = format!("secret-test-{UUID}");
    let pod_name = format!("pod-secrets-{UUID}");
    let pod = env_pod(
        &pod_name,
        "secret-env-test",
        &format!(
            "    env:\n    - name: SECRET_DATA\n      valueFrom:\n        secretKeyRef:\n          name: {name}\n          key: data-1\n"
        ),
    );
    test_container_output(&format!("{}---\n{pod}", secret_for_test(&name)), &pod_name, "secret-env-test", &["SECRET_DATA=value-1"]);
}

/// `ConformanceIt("should be consumable via the environment [NodeConformance]")`.
#[test]
fn should_be_consumable_via_the_environment() {
    let name = format!("secret-test-{UUID}");
    let pod_name = format!("pod-configmaps-{UUID}");
    let pod = env_pod(
        &pod_name,
        "env-test",
        &format!("    envFrom:\n    - secretRef:\n        name: {name}\n    - prefix: p-\n      secretRef:\n        name: {name}\n"),
    );
    let expected = ["data-1=value-1", "data-2=value-2", "data-3=value-3", "p-data-1=value-1", "p-data-2=value-2", "p-data-3=value-3"];
    test_container_output(&format!("{}---\n{pod}", secret_for_test(&name)), &pod_name, "env-test", &expected);
}

/// `ConformanceIt("should fail to create secret due to empty secret key")`:
/// `createEmptyKeySecretForTest` is refused.
#[test]
fn should_fail_to_create_secret_due_to_empty_secret_key() {
    let name = format!("secret-emptykey-test-{UUID}");
    let secret = format!("apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: default\n  name: {name}\ndata:\n  \"\": dmFsdWUtMQo=\n");
    let scenario = format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: secrets\nspec:\n  steps:\n  - at: 1ms\n    run: kubectl create -f -\n    manifest: {secret:?}\n"
    );
    let mut s = create(&scenario);
    s.seek(1);
    let out = s.engine().step_outputs().first().cloned().expect("the create ran");
    assert_ne!(out.exit_code, 0, "created secret {name:?} with empty key in namespace \"default\": {out:?}");
    assert!(
        out.stderr.starts_with(&format!("The Secret \"{name}\" is invalid: data[]: Invalid value: \"\": a valid config key must consist")),
        "{out:?}"
    );
    assert!(s.engine().find_secret(&name, "default").is_none(), "no Secret was stored");
}

/// `ConformanceIt("should patch a secret")`.
#[test]
fn should_patch_a_secret() {
    // "creating a secret"
    let name = format!("test-secret-{UUID}");
    let mut s = create(&format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  labels:\n    testsecret-constant: \"true\"\ndata:\n  key: dmFsdWU=\ntype: Opaque\n"
    ));
    // "listing secrets in all namespaces to ensure that there are more than zero"
    let secrets = list_all_namespaces(&mut s, "testsecret-constant=true");
    assert_ne!(secrets.len(), 0, "no secrets found");
    let created = secrets.iter().find(|v| v["metadata"]["name"] == name.as_str() && v["metadata"]["namespace"] == "default");
    let created =
        created.unwrap_or_else(|| panic!("unable to find secret default/{name} by name"))["metadata"]["name"].as_str().unwrap().to_string();
    // "patching the secret": the new data is base64 of "value1", which json.Marshal of a
    // []byte encodes once more.
    let patch_new_data = "dmFsdWUx";
    let marshalled = "ZG1Gc2RXVXg=";
    assert_eq!(decode_base64(marshalled).unwrap(), patch_new_data.as_bytes());
    let out = run(
        &mut s,
        &format!(r#"patch secret {created} -p '{{"data":{{"key":"{marshalled}"}},"metadata":{{"labels":{{"testsecret":"true"}}}}}}'"#),
    );
    assert_eq!(out.stdout, format!("secret/{created} patched\n"), "failed to patch secret: {out:?}");
    let out = run(&mut s, &format!("get secret {created} -o json"));
    assert_eq!(out.exit_code, 0, "failed to get secret: {out:?}");
    let secret: Value = serde_json::from_str(&out.stdout).expect("a Secret");
    let data = decode_base64(secret["data"]["key"].as_str().expect("data.key")).expect("the client decodes []byte");
    let decoded = decode_base64(std::str::from_utf8(&data).unwrap()).expect("failed to decode secret from Base64");
    assert_eq!(String::from_utf8(decoded).unwrap(), "value1", "found secret, but the data wasn't updated from the patch");
    // "deleting the secret using a LabelSelector"
    let (code, out, err) = kubectl(&mut s, &["delete", "secrets", "-l", "testsecret=true"]);
    assert_eq!(code, 0, "failed to delete patched secret: {out}{err}");
    // "listing secrets in all namespaces, searching for label name and value in patch"
    let found = list_all_namespaces(&mut s, "testsecret-constant=true")
        .iter()
        .any(|v| v["metadata"]["name"] == name.as_str() && v["metadata"]["namespace"] == "default");
    assert!(!found, "secret default/{name} was not deleted successfully");
}
