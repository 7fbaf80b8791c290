//! A failed pull's `Failed` event by release: the registry's answer for a repository it has not
//! (Docker Hub: an authorization failure, code Unknown) and the kubelet's CRI client stripping
//! that code from 1.28 (kubernetes#117612).

use podplay_core::clock::SECOND;

use crate::test_support::{at, engine_of};

fn pod(version: &str, image: &str) -> String {
    format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {{name: t}}\nspec:\n  kubernetesVersion: \"{version}\"\n---\n\
         apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - {{name: c, image: \"{image}\"}}\n"
    )
}

fn failed_pull(version: &str, image: &str) -> String {
    let mut engine = engine_of(&pod(version, image)).unwrap();
    let events = at(&mut engine, 30 * SECOND, "get events");
    events
        .stdout
        .lines()
        .find(|l| l.contains("Failed to pull image"))
        .map(|l| l[l.find("Failed to pull").unwrap()..].to_string())
        .unwrap_or_default()
}

#[test]
fn a_repository_docker_hub_has_not_is_an_authorization_failure() {
    let denied = "failed to pull and unpack image \"docker.io/library/ngnix:latest\": failed to resolve reference \"docker.io/library/ngnix:latest\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed";
    assert_eq!(failed_pull("1.30", "ngnix"), format!("Failed to pull image \"ngnix\": {denied}"));
    assert_eq!(failed_pull("1.27", "ngnix"), format!("Failed to pull image \"ngnix\": rpc error: code = Unknown desc = {denied}"));
}

#[test]
fn a_missing_tag_keeps_its_not_found_code() {
    let text = failed_pull("1.30", "nginx:9.99");
    assert!(text.starts_with("Failed to pull image \"nginx:9.99\": rpc error: code = NotFound desc = "), "{text}");
}

#[test]
fn dockershim_names_the_repository_it_denies() {
    let text = failed_pull("1.23", "someuser/app:v2");
    assert_eq!(
        text,
        "Failed to pull image \"someuser/app:v2\": rpc error: code = Unknown desc = Error response from daemon: pull access denied for someuser/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
    );
}
