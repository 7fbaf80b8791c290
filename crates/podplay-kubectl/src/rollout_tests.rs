//! `rollout history|undo|pause|resume|restart` and `annotate` against the Deployment
//! controller: revisions, rollbacks that reuse a ReplicaSet, kubectl's texts and refusals by
//! release.

use podplay_core::clock::{Millis, SECOND};

fn engine_of(version: &str, extra: &str) -> podplay_core::Engine {
    engine_with(version, extra, "")
}

/// A Deployment `web` of two nginx:1.25 pods; `extra` goes under its metadata, `spec_extra`
/// under its spec.
fn engine_with(version: &str, extra: &str, spec_extra: &str) -> podplay_core::Engine {
    let yaml = format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n\
         apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n{extra}spec:\n{spec_extra}  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  \
         template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n"
    );
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml }]).unwrap();
    crate::new_engine(&m).unwrap()
}

use crate::test_support::quoted_at as at;

fn revisions_of(engine: &mut podplay_core::Engine, t: Millis) -> Vec<String> {
    let out = at(engine, t, "rollout history deployment/web");
    out.stdout.lines().skip(2).filter(|l| !l.is_empty()).map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

#[test]
fn history_lists_revisions_and_undo_reuses_the_old_replica_set_as_a_new_revision() {
    let mut e = engine_of("1.36", "");
    let out = at(&mut e, 10 * SECOND, "rollout history deployment/web");
    assert_eq!(out.stdout, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n");
    at(&mut e, 20 * SECOND, "set image deployment/web nginx=nginx:1.26");
    let out = at(&mut e, 21 * SECOND, "annotate deployment/web kubernetes.io/change-cause=to-1.26");
    assert_eq!(out.stdout, "deployment.apps/web annotated\n");
    assert_eq!(revisions_of(&mut e, 60 * SECOND), ["1 <none>", "2 to-1.26"]);
    let out = at(&mut e, 60 * SECOND, "rollout undo deployment/web");
    assert_eq!((out.stdout.as_str(), out.exit_code), ("deployment.apps/web rolled back\n", 0));
    // Revision 1's ReplicaSet is new again, as revision 3; its old number is kept.
    assert_eq!(revisions_of(&mut e, 90 * SECOND), ["2 to-1.26", "3 <none>"]);
    let rs = e
        .replica_set_records()
        .iter()
        .find(|r| r.rs.metadata.annotations.get("deployment.kubernetes.io/revision").map(String::as_str) == Some("3"))
        .unwrap();
    assert_eq!(rs.rs.metadata.annotations.get("deployment.kubernetes.io/revision-history").map(String::as_str), Some("1"));
    assert_eq!(rs.replicas(), 2);
    let d = e.deployment("default", "web").unwrap();
    assert_eq!(d.deployment.spec.template.spec.containers[0].image, "nginx:1.25");
    assert_eq!(d.deployment.metadata.annotations.get("deployment.kubernetes.io/revision").map(String::as_str), Some("3"));
    // The rollback copied revision 1's annotations (none but the controller's), so the
    // change-cause the Deployment had is gone.
    assert!(!d.deployment.metadata.annotations.contains_key("kubernetes.io/change-cause"));
    let out = at(&mut e, 90 * SECOND, "rollout history deployment/web --revision=2");
    assert!(
        out.stdout.starts_with("deployment.apps/web with revision #2\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash="),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("  Annotations:\tkubernetes.io/change-cause: to-1.26\n") && out.stdout.ends_with("\n\n"), "{}", out.stdout);
    let out = at(&mut e, 90 * SECOND, "rollout undo deployment/web --to-revision=3");
    assert_eq!(out.stdout, "deployment.apps/web skipped rollback (current template already matches revision 3)\n");
}

#[test]
fn undo_and_history_refusals() {
    let mut e = engine_of("1.36", "");
    let out = at(&mut e, 10 * SECOND, "rollout undo deployment/web");
    assert_eq!((out.stderr.as_str(), out.exit_code), ("error: no rollout history found for deployment \"web\"\n", 1));
    let out = at(&mut e, 10 * SECOND, "rollout undo deployment/web --to-revision=7");
    assert_eq!(out.stderr, "error: unable to find specified revision 7 in history\n");
    let out = at(&mut e, 10 * SECOND, "rollout undo deployment/web --to-revision=-1");
    assert_eq!(out.stderr, "error: unable to find specified revision -1 in history\n");
    let out = at(&mut e, 10 * SECOND, "rollout history deployment/web --revision=4");
    assert_eq!(out.stderr, "error: unable to find the specified revision\n");
    let out = at(&mut e, 10 * SECOND, "rollout history deployment/web --revision=-2");
    assert_eq!(out.stderr, "error: revision must be a positive integer: -2\n");
    let out = at(&mut e, 10 * SECOND, "rollout history deployment/web --revision=x");
    assert!(out.stderr.starts_with("error: invalid argument \"x\" for \"--revision\" flag: strconv.ParseInt"), "{}", out.stderr);
    let out = at(&mut e, 10 * SECOND, "rollout history deployment/nosuch");
    assert_eq!(out.stderr, "Error from server (NotFound): deployments.apps \"nosuch\" not found\n");
    let out = at(&mut e, 10 * SECOND, "rollout history");
    assert_eq!(out.stderr, "error: required resource not specified\n");
    let out = at(&mut e, 10 * SECOND, "rollout frobnicate deployment/web");
    assert_eq!(out.stderr, "error: unknown command \"frobnicate deployment/web\"\nSee 'kubectl rollout -h' for help and examples\n");
    assert_eq!(e.changes_from_outside(), 0);
}

#[test]
fn pause_holds_the_rollout_and_resume_starts_it() {
    let mut e = engine_of("1.36", "");
    let out = at(&mut e, 10 * SECOND, "rollout pause deployment/web");
    assert_eq!(out.stdout, "deployment.apps/web paused\n");
    let out = at(&mut e, 11 * SECOND, "rollout pause deployment/web");
    assert_eq!((out.stderr.as_str(), out.exit_code), ("error: deployments.apps \"web\" is already paused\n", 1));
    at(&mut e, 12 * SECOND, "set image deployment/web nginx=nginx:1.26");
    assert_eq!(revisions_of(&mut e, 40 * SECOND), ["1 <none>"]);
    let d = e.deployment("default", "web").unwrap();
    let progressing = d.status.condition("Progressing").unwrap();
    assert_eq!((progressing.status.as_str(), progressing.reason.as_str()), ("Unknown", "DeploymentPaused"));
    assert_eq!(d.status.updated_replicas, 0);
    // kubectl finds the revision before it looks at `paused`.
    let out = at(&mut e, 40 * SECOND, "rollout undo deployment/web");
    assert_eq!(out.stderr, "error: no rollout history found for deployment \"web\"\n");
    let out = at(&mut e, 40 * SECOND, "rollout undo deployment/web --to-revision=1");
    assert_eq!(out.stderr, "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n");
    let out = at(&mut e, 40 * SECOND, "rollout restart deployment/web");
    assert_eq!(out.stderr, "error: deployments.apps \"web\" can't restart paused deployment (run rollout resume first)\n");
    let out = at(&mut e, 41 * SECOND, "rollout resume deployment/web");
    assert_eq!(out.stdout, "deployment.apps/web resumed\n");
    let out = at(&mut e, 42 * SECOND, "rollout resume deployment/web");
    assert_eq!(out.stderr, "error: deployments.apps \"web\" is not paused\n");
    assert_eq!(revisions_of(&mut e, 80 * SECOND), ["1 <none>", "2 <none>"]);
    let out = at(&mut e, 80 * SECOND, "rollout status deployment/web --watch=false");
    assert_eq!(out.stdout, "deployment \"web\" successfully rolled out\n");

    // kubectl ≤1.25 names the Deployment in the refusal.
    let mut e = engine_of("1.25", "");
    at(&mut e, SECOND, "rollout pause deployment/web");
    let out = at(&mut e, 2 * SECOND, "rollout undo deployment/web");
    assert_eq!(out.stderr, "error: no rollout history found for deployment \"web\"\n");
    at(&mut e, 3 * SECOND, "rollout resume deployment/web");
    at(&mut e, 4 * SECOND, "set image deployment/web nginx=nginx:1.26");
    at(&mut e, 30 * SECOND, "rollout pause deployment/web");
    let out = at(&mut e, 31 * SECOND, "rollout undo deployment/web");
    assert_eq!(
        out.stderr,
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again\n"
    );
}

#[test]
fn restart_stamps_the_template_with_the_virtual_time() {
    let mut e = engine_of("1.36", "");
    let out = at(&mut e, 10 * SECOND, "rollout restart deployment/web");
    assert_eq!(out.stdout, "deployment.apps/web restarted\n");
    let stamp =
        e.deployment("default", "web").unwrap().deployment.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"].clone();
    assert_eq!(stamp, podplay_k8s_util::time::format_rfc3339(podplay_core::clock::EPOCH_UNIX_SECONDS + 10));
    // The same second again: an empty patch.
    let out = at(&mut e, 10 * SECOND + 500, "rollout restart deployment/web");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        ("", "error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another\n", 1)
    );
    assert_eq!(revisions_of(&mut e, 40 * SECOND), ["1 <none>", "2 <none>"]);
    let mut e = engine_of("1.26", "");
    at(&mut e, 10 * SECOND, "rollout restart deployment/web");
    let out = at(&mut e, 10 * SECOND, "rollout restart deployment/web");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        ("deployment.apps/web restarted\n", "error: failed to create patch for web: empty patch\n", 1)
    );
}

#[test]
fn annotate_needs_overwrite_except_for_the_change_cause() {
    let mut e = engine_of("1.36", "  annotations:\n    team: a\n");
    let out = at(&mut e, SECOND, "annotate deployment web team=b");
    assert_eq!(out.stderr, "error: --overwrite is false but found the following declared annotation(s): 'team' already has a value (a)\n");
    let out = at(&mut e, SECOND, "annotate deployment web team=b --overwrite");
    assert_eq!(out.stdout, "deployment.apps/web annotated\n");
    at(&mut e, SECOND, "annotate deployment/web kubernetes.io/change-cause=one");
    let out = at(&mut e, SECOND, "annotate deployment/web kubernetes.io/change-cause=two team-");
    assert_eq!(out.stdout, "deployment.apps/web annotated\n");
    let d = e.deployment("default", "web").unwrap();
    assert_eq!(d.deployment.metadata.annotations.get("kubernetes.io/change-cause").map(String::as_str), Some("two"));
    assert!(!d.deployment.metadata.annotations.contains_key("team"));
    let out = at(&mut e, SECOND, "annotate deployment/web a=1 a-");
    assert_eq!(out.stderr, "error: can not both modify and remove the following annotation(s) in the same command: a\n");
    let out = at(&mut e, SECOND, "annotate deployment/web");
    assert_eq!(out.stderr, "error: at least one annotation update is required\n");
    // The change-cause reaches the new ReplicaSet, which `rollout history` reads.
    assert_eq!(revisions_of(&mut e, 5 * SECOND), ["1 two"]);
}

#[test]
fn undo_warns_about_last_applied_configuration_from_1_36() {
    let extra = "  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: \"{}\"\n";
    for (version, warns) in [("1.35", false), ("1.36", true)] {
        let mut e = engine_of(version, extra);
        at(&mut e, 10 * SECOND, "set image deployment/web nginx=nginx:1.26");
        let out = at(&mut e, 40 * SECOND, "rollout undo deployment/web");
        assert_eq!(out.stdout, "deployment.apps/web rolled back\n");
        assert_eq!(
            out.stderr.starts_with("Warning: resource deployments/web was previously managed with 'kubectl apply'."),
            warns,
            "{version}"
        );
        let d = e.deployment("default", "web").unwrap();
        assert!(d.deployment.metadata.annotations.contains_key("kubectl.kubernetes.io/last-applied-configuration"));
    }
}

#[test]
fn mutating_rollout_subcommands_are_steps() {
    let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    assert!(crate::is_mutating(&words("rollout undo deployment/web")));
    assert!(crate::is_mutating(&words("rollout restart deployment/web")));
    assert!(crate::is_mutating(&words("annotate deployment/web a=b")));
    assert!(!crate::is_mutating(&words("rollout history deployment/web")));
    assert!(!crate::is_mutating(&words("rollout status deployment/web")));
}

#[test]
fn revision_history_limit_prunes_the_oldest_scaled_down_replica_sets() {
    let mut e = engine_with("1.36", "", "  revisionHistoryLimit: 1\n");
    at(&mut e, 10 * SECOND, "set image deployment/web nginx=nginx:1.26");
    at(&mut e, 40 * SECOND, "set image deployment/web nginx=nginx:1.27");
    assert_eq!(revisions_of(&mut e, 80 * SECOND), ["2 <none>", "3 <none>"]);
    let out = at(&mut e, 80 * SECOND, "get rs");
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
    let mut e = engine_with("1.36", "", "  revisionHistoryLimit: 0\n");
    at(&mut e, 10 * SECOND, "set image deployment/web nginx=nginx:1.26");
    let out = at(&mut e, 40 * SECOND, "rollout undo deployment/web");
    assert_eq!(out.stderr, "error: no rollout history found for deployment \"web\"\n");
}
