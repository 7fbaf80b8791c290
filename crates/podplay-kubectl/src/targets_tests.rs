//! The workloads `scale` and `set image` name, as cli-runtime's resource builder reads the
//! arguments (`ResourceTypeOrNameArgs(--all, args...)`, `LabelSelectorParam(-l)`): several
//! names, several types, `--all`, a selector, and the builder's refusals with its texts.

use podplay_core::clock::SECOND;

use crate::test_support::quoted_at as at;

/// Deployments `web`, `api` (label tier=front on both) and `db` (tier=back), one nginx pod each.
fn engine() -> podplay_core::Engine {
    let deployment = |name: &str, tier: &str| {
        format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:\n    tier: {tier}\nspec:\n  replicas: 1\n  \
             selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      \
             containers:\n      - name: nginx\n        image: nginx:1.25\n"
        )
    };
    let yaml = [deployment("web", "front"), deployment("api", "front"), deployment("db", "back")].concat();
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml }]).unwrap();
    crate::new_engine(&m).unwrap()
}

#[test]
fn set_image_all_updates_every_deployment_in_the_order_the_api_lists_them() {
    // kubectl's own example: `kubectl set image deployments,rc nginx=nginx:1.9.1 --all`.
    let mut e = engine();
    let out = at(&mut e, 10 * SECOND, "set image deployments --all nginx=nginx:1.26");
    assert_eq!(
        (out.stdout.as_str(), out.exit_code),
        ("deployment.apps/api image updated\ndeployment.apps/db image updated\ndeployment.apps/web image updated\n", 0)
    );
    // Already at that image: nothing to patch, nothing printed.
    let out = at(&mut e, 11 * SECOND, "set image deployments --all nginx=nginx:1.26");
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.exit_code), ("", "", 0));
}

#[test]
fn a_selector_or_several_names_pick_the_workloads() {
    let mut e = engine();
    let out = at(&mut e, 10 * SECOND, "set image deployment -l tier=front nginx=nginx:1.26");
    assert_eq!(out.stdout, "deployment.apps/api image updated\ndeployment.apps/web image updated\n");
    let out = at(&mut e, 11 * SECOND, "scale deployment web db --replicas=2");
    assert_eq!(out.stdout, "deployment.apps/web scaled\ndeployment.apps/db scaled\n");
    let out = at(&mut e, 12 * SECOND, "scale deploy/api deployment/db --replicas=3");
    assert_eq!(out.stdout, "deployment.apps/api scaled\ndeployment.apps/db scaled\n");
    let out = at(&mut e, 13 * SECOND, "scale deployments --selector=tier=back --replicas=0");
    assert_eq!(out.stdout, "deployment.apps/db scaled\n");
    let out = at(&mut e, 14 * SECOND, "scale deployments -l tier=middle --replicas=1");
    assert_eq!((out.stderr.as_str(), out.exit_code), ("error: no objects passed to scale\n", 1));
}

#[test]
fn the_builders_refusals_read_as_kubectls() {
    let mut e = engine();
    // As on a real cluster: `kubectl scale deployment --replicas=4`.
    let out = at(&mut e, 10 * SECOND, "scale deployment --replicas=4");
    assert_eq!((out.stderr.as_str(), out.exit_code), ("error: resource(s) were provided, but no name was specified\n", 1));
    let out = at(&mut e, 10 * SECOND, "set image deployments nginx=nginx:1.26");
    assert_eq!(out.stderr, "error: resource(s) were provided, but no name was specified\n");
    let out = at(&mut e, 10 * SECOND, "scale --replicas=4");
    assert!(out.stderr.starts_with("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n"), "{}", out.stderr);
    let out = at(&mut e, 10 * SECOND, "scale deployment deployment/web --replicas=4");
    assert!(
        out.stderr.starts_with(
            "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form"
        ),
        "{}",
        out.stderr
    );
    let out = at(&mut e, 10 * SECOND, "scale deployment/web --all --replicas=4");
    assert_eq!(out.stderr, "error: selectors and the all flag cannot be used when passing resource/name arguments\n");
    let out = at(&mut e, 10 * SECOND, "scale deployment web -l tier=front --replicas=4");
    assert_eq!(out.stderr, "error: name cannot be provided when a selector is specified\n");
    let out = at(&mut e, 10 * SECOND, "scale deployment/web/x --replicas=4");
    assert_eq!(out.stderr, "error: arguments in resource/name form may not have more than one slash\n");
    assert_eq!(e.changes_from_outside(), 0);
}
