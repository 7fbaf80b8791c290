//! Namespaces: the cluster's own, those a scenario declares or names, `get`/`describe`/`-o`,
//! `create namespace`, and the API server's refusal of objects in a namespace that does not
//! exist.

use podplay_core::clock::SECOND;

use crate::test_support::{at, engine_of, mutate};

const SCENARIO: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n  labels: {team: a}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: dev\nspec:\n  containers:\n  - {name: c, image: busybox:1.36, command: [sleep, '3600']}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: staging\n";

#[test]
fn get_namespaces_lists_the_clusters_the_declared_and_the_named_ones() {
    let mut engine = engine_of(SCENARIO).unwrap();
    let out = at(&mut engine, 30 * SECOND, "get namespaces");
    assert_eq!(
        out.stdout,
        "NAME              STATUS   AGE\ndefault           Active   30s\ndev               Active   30s\nkube-node-lease   Active   30s\nkube-public       Active   30s\nkube-system       Active   30s\nstaging           Active   30s\n"
    );
    // Cluster-scoped: `-n` does not narrow them.
    assert_eq!(at(&mut engine, 30 * SECOND, "get ns -n dev -o name").stdout.lines().count(), 6);
    let labelled = at(&mut engine, 30 * SECOND, "get ns -l team=a --show-labels");
    assert_eq!(labelled.stdout, "NAME   STATUS   AGE   LABELS\ndev    Active   30s   kubernetes.io/metadata.name=dev,team=a\n");
    assert_eq!(at(&mut engine, 30 * SECOND, "get ns --field-selector status.phase=Active -o name").stdout.lines().count(), 6);
    let missing = at(&mut engine, 30 * SECOND, "get namespace nope");
    assert_eq!((missing.stderr.as_str(), missing.exit_code), ("Error from server (NotFound): namespaces \"nope\" not found\n", 1));
}

#[test]
fn describe_and_yaml_show_what_the_api_server_stores() {
    let mut engine = engine_of(SCENARIO).unwrap();
    let described = at(&mut engine, 30 * SECOND, "describe namespace dev");
    assert_eq!(
        described.stdout,
        "Name:         dev\nLabels:       kubernetes.io/metadata.name=dev\n              team=a\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n"
    );
    let yaml = at(&mut engine, 30 * SECOND, "get ns dev -o yaml").stdout;
    for line in
        ["kind: Namespace\n", "    kubernetes.io/metadata.name: dev\n", "spec:\n  finalizers:\n  - kubernetes\nstatus:\n  phase: Active\n"]
    {
        assert!(yaml.contains(line), "{line:?} in\n{yaml}");
    }
    assert!(!yaml.contains("namespace: "), "a namespace has no namespace:\n{yaml}");
    assert_eq!(at(&mut engine, 30 * SECOND, "get ns kube-system -o jsonpath={.status.phase}").stdout, "Active");
}

#[test]
fn create_namespace_and_objects_in_it_as_the_api_server_admits_them() {
    let mut engine = engine_of(SCENARIO).unwrap();
    engine.run_until(5 * SECOND);
    assert_eq!(mutate(&mut engine, "create namespace qa").stdout, "namespace/qa created\n");
    assert_eq!(mutate(&mut engine, "create ns qa").stderr, "Error from server (AlreadyExists): namespaces \"qa\" already exists\n");
    assert!(mutate(&mut engine, "create namespace Qa").stderr.starts_with(
        "The Namespace \"Qa\" is invalid: metadata.name: Invalid value: \"Qa\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"
    ));
    assert_eq!(
        mutate(&mut engine, "create namespace").stderr,
        "error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples\n"
    );
    let pod = |ns: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: b, namespace: {ns}}}\nspec:\n  containers:\n  - {{name: c, image: busybox:1.36}}\n")
    };
    let refused = crate::mutate::run_mutation(&mut engine, &["apply", "-f", "-"], Some(&pod("prod")));
    assert_eq!(
        (refused.stderr.as_str(), refused.exit_code),
        ("Error from server (NotFound): error when creating \"STDIN\": namespaces \"prod\" not found\n", 1)
    );
    assert_eq!(crate::mutate::run_mutation(&mut engine, &["apply", "-f", "-"], Some(&pod("qa"))).stdout, "pod/b created\n");
    // A Namespace document, then something in it, in one apply.
    let both = format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: prod}}\n---\n{}", pod("prod"));
    assert_eq!(
        crate::mutate::run_mutation(&mut engine, &["apply", "-f", "-"], Some(&both)).stdout,
        "namespace/prod created\npod/b created\n"
    );
    let deleted = mutate(&mut engine, "delete namespace qa");
    assert!(deleted.stderr.starts_with("error: podplay does not simulate deleting a namespace"), "{}", deleted.stderr);
}

#[test]
fn a_namespace_with_an_invalid_name_is_refused_at_load() {
    let errors = engine_of("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: My_Team\n").err().expect("refused");
    let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert!(text[0].contains("The Namespace \"My_Team\" is invalid: metadata.name: Invalid value: \"My_Team\""), "{text:?}");
    assert!(text[0].starts_with("t.yaml:4:9"), "at the name's value: {text:?}");
}
