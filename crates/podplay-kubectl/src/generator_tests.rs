//! `kubectl create configmap` and `kubectl create secret generic` from literals
//! (create_configmap.go, create_secret.go, `util.ParseLiteralSource`), as kubectl words them.

use podplay_core::clock::SECOND;

use crate::mutate::run_mutation;
use crate::test_support::{at, engine_of};

/// A pod that prints a ConfigMap's and a Secret's keys from its environment.
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, 'echo \"$GREETING $PASSWORD\"; sleep 3600']\n    env:\n    - name: GREETING\n      valueFrom: {configMapKeyRef: {name: settings, key: greeting}}\n    - name: PASSWORD\n      valueFrom: {secretKeyRef: {name: creds, key: password}}\n";

fn create(engine: &mut podplay_core::Engine, line: &str) -> crate::Output {
    let words: Vec<&str> = line.split_whitespace().collect();
    run_mutation(engine, &words, None)
}

#[test]
fn literals_make_the_objects_a_waiting_pod_then_reads() {
    let mut engine = engine_of(POD).unwrap();
    engine.run_until(5 * SECOND);
    let out = create(&mut engine, "create configmap settings --from-literal=greeting=hello --from-literal=mode=a=b");
    assert_eq!((out.stdout.as_str(), out.exit_code), ("configmap/settings created\n", 0));
    let out = create(&mut engine, "create secret generic creds --from-literal password=s3cr3t --type=Opaque");
    assert_eq!((out.stdout.as_str(), out.exit_code), ("secret/creds created\n", 0));
    let logs = at(&mut engine, 40 * SECOND, "logs app");
    assert_eq!(logs.stdout, "hello s3cr3t\n");
    let describe = at(&mut engine, 40 * SECOND, "describe configmap settings");
    assert!(describe.stdout.contains("mode:\n----\na=b\n"), "the value keeps its '=': {}", describe.stdout);
    let secrets = at(&mut engine, 40 * SECOND, "get secrets");
    assert!(secrets.stdout.contains("creds   Opaque   1 "), "{}", secrets.stdout);
}

#[test]
fn kubectl_refuses_as_kubectl_words_it() {
    let mut engine = engine_of(POD).unwrap();
    create(&mut engine, "create configmap settings --from-literal=a=1");
    let cases = [
        ("create configmap settings --from-literal=x=1", "error: failed to create configmap: configmaps \"settings\" already exists\n"),
        ("create configmap bad --from-literal=..x=1", "error: \"..x\" is not a valid key name for a ConfigMap: must not start with '..'\n"),
        ("create configmap bad --from-literal=a=1 --from-literal=a=2", "error: cannot add key \"a\", another key by that name already exists in Data for ConfigMap \"bad\"\n"),
        ("create configmap bad --from-literal==1", "error: invalid literal source =1, expected key=value\n"),
        ("create configmap bad --from-literal=novalue", "error: invalid literal source novalue, expected key=value\n"),
        ("create configmap f --from-file=conf=app.properties", "error: error reading app.properties: no such file or directory\n"),
        ("create configmap", "error: exactly one NAME is required, got 0\nSee 'kubectl create configmap -h' for help and examples\n"),
        ("create configmap a b", "error: exactly one NAME is required, got 2\nSee 'kubectl create configmap -h' for help and examples\n"),
        ("create secret generic dup --from-literal=a=1 --from-literal=a=2", "error: cannot add key a, another key by that name already exists\n"),
        ("create secret generic bad --from-literal=a/b=1", "error: \"a/b\" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n"),
        ("create configmap bad --type=x", "error: unknown flag: --type\nSee 'kubectl create configmap --help' for usage.\n"),
    ];
    for (line, expected) in cases {
        let out = create(&mut engine, line);
        assert_eq!((out.stderr.as_str(), out.exit_code), (expected, 1), "{line}");
    }
}
