//! `kubectl apply -f -` of objects that exist: the three-way merge with the last applied
//! configuration, `configured`/`unchanged`, and the API server's update validation.

use podplay_core::clock::SECOND;
use podplay_core::Engine;

use crate::test_support::quoted_at as at;

/// An engine with no objects but the release's Scenario.
fn empty(version: &str) -> Engine {
    let yaml =
        format!("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n");
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml }]).unwrap();
    crate::new_engine(&m).unwrap()
}

fn apply(engine: &mut Engine, t: podplay_core::clock::Millis, manifest: &str) -> crate::Output {
    engine.run_until(t);
    crate::mutate::run_mutation(engine, &["apply", "-f", "-"], Some(manifest))
}

/// A Deployment `web` of nginx pods: `spec_extra` under its spec, `container_extra` under its
/// container.
fn deployment(image: &str, spec_extra: &str, container_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{spec_extra}  selector:\n    matchLabels:\n      app: web\n  \
         template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: {image}\n{container_extra}"
    )
}

#[test]
fn apply_creates_with_the_last_applied_configuration_and_the_same_again_is_unchanged() {
    let mut e = empty("1.36");
    let manifest = deployment("nginx:1.25", "  replicas: 2\n", "");
    let out = apply(&mut e, SECOND, &manifest);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.exit_code), ("deployment.apps/web created\n", "", 0));
    let d = e.deployment("default", "web").unwrap();
    assert_eq!(
        d.deployment.metadata.annotations.get(crate::apply::LAST_APPLIED).map(String::as_str),
        Some("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"image\":\"nginx:1.25\",\"name\":\"nginx\"}]}}}}\n")
    );
    let yaml = at(&mut e, 2 * SECOND, "get deployment web -o yaml");
    assert!(
        yaml.stdout.contains("    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"apiVersion\":\"apps/v1\""),
        "{}",
        yaml.stdout
    );
    let out = apply(&mut e, 20 * SECOND, &manifest);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.exit_code), ("deployment.apps/web unchanged\n", "", 0));
    assert_eq!(e.deployment("default", "web").unwrap().deployment.metadata.generation, Some(1));
    // `kubectl create` writes no annotation.
    let mut e = empty("1.36");
    crate::mutate::run_mutation(&mut e, &["create", "-f", "-"], Some(&manifest));
    assert!(!e.deployment("default", "web").unwrap().deployment.metadata.annotations.contains_key(crate::apply::LAST_APPLIED));
}

#[test]
fn an_image_changed_by_apply_rolls_out() {
    let mut e = empty("1.36");
    apply(&mut e, SECOND, &deployment("nginx:1.25", "  replicas: 2\n", ""));
    let out = apply(&mut e, 30 * SECOND, &deployment("nginx:1.26", "  replicas: 2\n", ""));
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.exit_code), ("deployment.apps/web configured\n", "", 0));
    let d = e.deployment("default", "web").unwrap();
    assert_eq!(d.deployment.metadata.generation, Some(2));
    assert_eq!(d.deployment.spec.template.spec.containers[0].image, "nginx:1.26");
    let out = at(&mut e, 90 * SECOND, "rollout history deployment/web");
    assert_eq!(out.stdout, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n");
    let out = at(&mut e, 90 * SECOND, "get pods -o custom-columns=IMAGE:.spec.containers[0].image --no-headers");
    assert_eq!(out.stdout, "nginx:1.26\nnginx:1.26\n");
}

#[test]
fn a_field_removed_from_the_manifest_is_removed_and_one_no_manifest_had_is_kept() {
    let mut e = empty("1.36");
    let env = "        env:\n        - name: MODE\n          value: fast\n";
    apply(&mut e, SECOND, &deployment("nginx:1.25", "  minReadySeconds: 5\n", env));
    // kubectl scale sets replicas, which no manifest has.
    let out = at(&mut e, 10 * SECOND, "scale deployment web --replicas=3");
    assert_eq!(out.stdout, "deployment.apps/web scaled\n");
    let out = apply(&mut e, 20 * SECOND, &deployment("nginx:1.25", "", ""));
    assert_eq!(out.stdout, "deployment.apps/web configured\n");
    let d = e.deployment("default", "web").unwrap();
    assert_eq!(d.deployment.spec.min_ready_seconds, 0);
    assert!(d.deployment.spec.template.spec.containers[0].env.is_empty());
    assert_eq!(d.deployment.spec.replicas, Some(3));
    // A manifest that names replicas sets them again, the scale notwithstanding.
    let out = apply(&mut e, 30 * SECOND, &deployment("nginx:1.25", "  replicas: 2\n", ""));
    assert_eq!(out.stdout, "deployment.apps/web configured\n");
    assert_eq!(e.deployment("default", "web").unwrap().deployment.spec.replicas, Some(2));
    // Dropping it again deletes it: the server's default, 1.
    apply(&mut e, 40 * SECOND, &deployment("nginx:1.25", "", ""));
    assert_eq!(e.deployment("default", "web").unwrap().deployment.spec.replicas, Some(1));
}

#[test]
fn an_object_created_without_the_annotation_is_configured_with_a_warning() {
    let yaml = format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"1.30\"\n---\n{}",
        deployment("nginx:1.25", "", "")
    );
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml }]).unwrap();
    let mut e = crate::new_engine(&m).unwrap();
    let out = apply(&mut e, 10 * SECOND, &deployment("nginx:1.25", "", ""));
    assert_eq!(out.stdout, "deployment.apps/web configured\n");
    assert_eq!(
        out.stderr,
        "Warning: resource deployments/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"
    );
    // Only the annotation changed: no new ReplicaSet.
    e.run_until(30 * SECOND);
    assert_eq!(e.replica_set_records().iter().filter(|r| !r.removed).count(), 1);
}

#[test]
fn a_deployments_selector_is_immutable() {
    let mut e = empty("1.36");
    apply(&mut e, SECOND, &deployment("nginx:1.25", "", ""));
    let changed = deployment("nginx:1.25", "", "").replace("app: web", "app: shop");
    let out = apply(&mut e, 10 * SECOND, &changed);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        (
            "",
            "The Deployment \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"shop\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n",
            1
        )
    );
    assert_eq!(e.deployment("default", "web").unwrap().deployment.metadata.generation, Some(1));
}

#[test]
fn a_strategy_changed_to_recreate_drops_the_rolling_update_parameters() {
    let mut e = empty("1.36");
    apply(&mut e, SECOND, &deployment("nginx:1.25", "", ""));
    let out = apply(&mut e, 10 * SECOND, &deployment("nginx:1.25", "  strategy:\n    type: Recreate\n", ""));
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("deployment.apps/web configured\n", ""));
    let d = e.deployment("default", "web").unwrap();
    assert_eq!(d.deployment.spec.strategy.kind.as_deref(), Some("Recreate"));
    assert!(d.deployment.spec.strategy.rolling_update.is_none());
}

fn pod(image: &str, port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: {image}\n    ports:\n    - containerPort: {port}\n"
    )
}

#[test]
fn a_pods_image_changed_by_apply_restarts_its_container() {
    let mut e = empty("1.36");
    let out = apply(&mut e, SECOND, &pod("nginx:1.25", 80));
    assert_eq!(out.stdout, "pod/web created\n");
    let out = apply(&mut e, 20 * SECOND, &pod("nginx:1.26", 80));
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("pod/web configured\n", ""));
    let out = at(&mut e, 40 * SECOND, "get events --field-selector reason=Killing");
    assert!(out.stdout.contains("Container nginx definition changed, will be restarted"), "{}", out.stdout);
    let status = &e.pod("default", "web").unwrap().status.container_statuses[0];
    assert_eq!((status.restart_count, status.image.as_str()), (1, "docker.io/library/nginx:1.26"));
    let out = apply(&mut e, 50 * SECOND, &pod("nginx:1.26", 80));
    assert_eq!(out.stdout, "pod/web unchanged\n");
}

#[test]
fn a_forbidden_pod_change_gets_the_servers_error() {
    for (version, fields) in [
        ("1.36", "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"),
        ("1.24", "`spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"),
    ] {
        let mut e = empty(version);
        apply(&mut e, SECOND, &pod("nginx:1.25", 80));
        let out = apply(&mut e, 20 * SECOND, &pod("nginx:1.25", 8080));
        assert_eq!(out.exit_code, 1);
        assert_eq!(
            out.stderr,
            format!("The Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than {fields}\n  (podplay: the API server's go-cmp diff of the spec is not reproduced; the fields that differ: spec.containers[0].ports[0].containerPort)\n")
        );
        let p = e.pod("default", "web").unwrap();
        assert_eq!(p.spec.containers[0].ports[0].container_port, 80);
    }
}

#[test]
fn a_configmaps_data_changes_and_reaches_the_files_of_the_pods_that_mount_it() {
    let mut e = empty("1.36");
    let cm = |v: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: {v}\n");
    assert_eq!(apply(&mut e, SECOND, &cm("fast")).stdout, "configmap/settings created\n");
    assert_eq!(apply(&mut e, 2 * SECOND, &cm("fast")).stdout, "configmap/settings unchanged\n");
    assert_eq!(apply(&mut e, 3 * SECOND, &cm("slow")).stdout, "configmap/settings configured\n");
    assert_eq!(e.find_config_map("settings", "default").unwrap().data.get("mode").map(String::as_str), Some("slow"));
    // Mounted: the change is made, and the kubelet's next sync of the pod writes the file
    // again (its periodic resync: within 90 s); the variable taken at the start stays.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: reader\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sleep, '3600']\n    env:\n    - name: MODE\n      valueFrom:\n        configMapKeyRef: {name: settings, key: mode}\n    volumeMounts:\n    - {name: cfg, mountPath: /cfg}\n  volumes:\n  - name: cfg\n    configMap:\n      name: settings\n";
    apply(&mut e, 4 * SECOND, pod);
    let read = |e: &mut Engine, t, words: &[&str]| {
        e.run_until(t);
        crate::run(e, &words.iter().map(|w| w.to_string()).collect::<Vec<_>>()).stdout
    };
    assert_eq!(read(&mut e, 9 * SECOND, &["exec", "reader", "--", "cat", "/cfg/mode"]), "slow");
    assert_eq!(apply(&mut e, 10 * SECOND, &cm("fast")).stdout, "configmap/settings configured\n");
    assert_eq!(read(&mut e, 11 * SECOND, &["exec", "reader", "--", "cat", "/cfg/mode"]), "slow", "not before the next sync");
    assert_eq!(read(&mut e, 100 * SECOND, &["exec", "reader", "--", "cat", "/cfg/mode"]), "fast");
    assert_eq!(read(&mut e, 100 * SECOND, &["exec", "reader", "--", "printenv", "MODE"]), "slow\n");
    // Its metadata may change.
    let labelled = cm("slow").replace("  name: settings\n", "  name: settings\n  labels:\n    tier: web\n");
    assert_eq!(apply(&mut e, 11 * SECOND, &labelled).stdout, "configmap/settings configured\n");
    assert_eq!(e.find_config_map("settings", "default").unwrap().metadata.labels.get("tier").map(String::as_str), Some("web"));
    // An immutable one: ValidateConfigMapUpdate.
    let frozen = |v: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\nimmutable: true\ndata:\n  mode: {v}\n");
    apply(&mut e, 12 * SECOND, &frozen("a"));
    let out = apply(&mut e, 13 * SECOND, &frozen("b"));
    assert_eq!(out.stderr, "The ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set\n");
}

#[test]
fn an_update_podplay_does_not_simulate_names_the_kind_and_the_fields() {
    let mut e = empty("1.36");
    let cj = |schedule: &str| {
        format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: \"{schedule}\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - {{name: c, image: busybox:1.36, command: [date]}}\n"
        )
    };
    assert_eq!(apply(&mut e, SECOND, &cj("*/5 * * * *")).stdout, "cronjob.batch/tick created\n");
    let out = apply(&mut e, 2 * SECOND, &cj("*/10 * * * *"));
    assert_eq!((out.stdout.as_str(), out.exit_code), ("", 1));
    assert!(out.stderr.starts_with("error: podplay does not simulate an update of a CronJob's spec.schedule"), "{}", out.stderr);
}

#[test]
fn a_secrets_string_data_is_patched_in_at_every_apply() {
    let mut e = empty("1.36");
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  user: admin\n";
    assert_eq!(apply(&mut e, SECOND, secret).stdout, "secret/creds created\n");
    // The API server never serves stringData, so the delta always has it (as on a cluster).
    assert_eq!(apply(&mut e, 2 * SECOND, secret).stdout, "secret/creds configured\n");
    assert_eq!(e.find_secret("creds", "default").unwrap().data.get("user").map(String::as_str), Some("YWRtaW4="));
    let out = apply(&mut e, 3 * SECOND, &secret.replace("admin", "root"));
    assert_eq!(out.stdout, "secret/creds configured\n");
    assert_eq!(e.find_secret("creds", "default").unwrap().data.get("user").map(String::as_str), Some("cm9vdA=="));
}

#[test]
fn a_services_selector_fixed_by_apply_selects_the_pods() {
    let mut e = empty("1.36");
    let svc = |app: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: {app}\n  ports:\n  - port: 80\n")
    };
    apply(&mut e, SECOND, &deployment("nginx:1.25", "  replicas: 2\n", ""));
    apply(&mut e, SECOND, &svc("wbe"));
    let out = at(&mut e, 20 * SECOND, "get endpoints web --no-headers");
    assert!(out.stdout.contains("<none>"), "{}", out.stdout);
    let out = apply(&mut e, 20 * SECOND, &svc("web"));
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("service/web configured\n", ""));
    let out = at(&mut e, 21 * SECOND, "get endpoints web --no-headers");
    assert_eq!(out.stdout.matches(":80").count(), 2, "{}", out.stdout);
    // A port is a change podplay does not simulate.
    let out = apply(&mut e, 22 * SECOND, &svc("web").replace("port: 80", "port: 8080"));
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.starts_with("error: podplay does not simulate an update of a Service's spec.ports"), "{}", out.stderr);
}

#[test]
fn a_jobs_template_is_immutable_and_a_budgets_spec_is_not() {
    let mut e = empty("1.36");
    let job = |image: &str| {
        format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: {image}\n        command: [sleep, '600']\n"
        )
    };
    assert_eq!(apply(&mut e, SECOND, &job("busybox:1.36")).stdout, "job.batch/once created\n");
    assert_eq!(apply(&mut e, 2 * SECOND, &job("busybox:1.36")).stdout, "job.batch/once unchanged\n");
    let out = apply(&mut e, 3 * SECOND, &job("busybox:1.37"));
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.starts_with("The Job \"once\" is invalid: spec.template: Invalid value: "), "{}", out.stderr);
    assert!(out.stderr.ends_with(": field is immutable\n"), "{}", out.stderr);
    let pdb = |n: u32| {
        format!("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: keep\nspec:\n  minAvailable: {n}\n  selector:\n    matchLabels:\n      app: web\n")
    };
    assert_eq!(apply(&mut e, 4 * SECOND, &pdb(1)).stdout, "poddisruptionbudget.policy/keep created\n");
    assert_eq!(apply(&mut e, 5 * SECOND, &pdb(2)).stdout, "poddisruptionbudget.policy/keep configured\n");
    let out = at(&mut e, 6 * SECOND, "get pdb keep --no-headers");
    assert!(out.stdout.starts_with("keep   2 "), "{}", out.stdout);
}

#[test]
fn apply_flags_name_output_and_client_dry_run() {
    let mut e = empty("1.36");
    let run = |e: &mut Engine, args: &[&str], manifest: &str| crate::mutate::run_mutation(e, args, Some(manifest));
    let manifest = deployment("nginx:1.25", "", "");
    let out = run(&mut e, &["apply", "-f", "-", "--dry-run=client"], &manifest);
    assert_eq!(out.stdout, "deployment.apps/web created (dry run)\n");
    assert!(e.deployment("default", "web").is_none());
    let out = run(&mut e, &["apply", "-f-", "-o", "name"], &manifest);
    assert_eq!(out.stdout, "deployment.apps/web\n");
    assert!(e.deployment("default", "web").is_some());
    // An object that exists: a client dry run skips the patch and says configured.
    let out = run(&mut e, &["apply", "--filename=-", "--dry-run=client"], &deployment("nginx:1.26", "", ""));
    assert_eq!(out.stdout, "deployment.apps/web configured (dry run)\n");
    assert_eq!(e.deployment("default", "web").unwrap().deployment.spec.template.spec.containers[0].image, "nginx:1.25");
    let out = run(&mut e, &["create", "-f", "-", "--dry-run=client", "-o", "name"], &manifest);
    assert_eq!((out.stdout.as_str(), out.exit_code), ("deployment.apps/web\n", 0));
    for (args, err) in [
        (&["apply", "-f", "-", "--dry-run=server"][..], "error: podplay does not simulate kubectl apply --dry-run=server"),
        (&["apply", "-f", "-", "-o", "yaml"][..], "error: podplay's kubectl apply prints KIND/NAME lines, or -o name"),
        (&["apply", "-f", "-", "--prune"][..], "error: podplay's kubectl apply does not take --prune"),
        (&["apply", "-f", "-", "--nosuch"][..], "error: unknown flag: --nosuch\nSee 'kubectl apply --help' for usage.\n"),
        (&["apply", "-f", "web.yaml"][..], "error: podplay has no file \"web.yaml\""),
        (&["apply"][..], "error: must specify one of -f and -k\n"),
        (&["apply", "-f", "-", "extra"][..], "error: Unexpected args: [extra]\n"),
    ] {
        let out = run(&mut e, args, &manifest);
        assert_eq!(out.exit_code, 1, "{args:?}");
        assert!(out.stderr.starts_with(err), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn an_apply_to_a_pod_being_deleted_warns() {
    let mut e = empty("1.36");
    let held = pod("nginx:1.25", 80).replace("  name: web\n", "  name: web\n  finalizers: [example.com/hold]\n");
    apply(&mut e, SECOND, &held);
    let out = at(&mut e, 10 * SECOND, "delete pod web --wait=false");
    assert_eq!(out.stdout, "pod \"web\" deleted\n");
    let out = apply(&mut e, 20 * SECOND, &held);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("pod/web unchanged\n", "Warning: Detected changes to resource web which is currently being deleted.\n")
    );
}

/// The API server's warnings for an accepted pod or template (`GetWarningsForPod`,
/// `GetWarningsForPodTemplate`), printed as `Warning:` lines; none for an unchanged apply.
#[test]
fn the_api_servers_pod_warnings_follow_an_accepted_write() {
    let mut e = empty("1.30");
    let manifest = pod("nginx:1.25", 80).replace("spec:\n", "spec:\n  nodeSelector: {beta.kubernetes.io/arch: amd64}\n");
    let out = apply(&mut e, SECOND, &manifest);
    let warning = "Warning: spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use \"kubernetes.io/arch\" instead\n";
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("pod/web created\n", warning));
    assert_eq!(apply(&mut e, 2 * SECOND, &manifest).stderr, "");
    let template = deployment("nginx:1.25", "", "        resources: {requests: {memory: 1500m}}\n");
    let out = apply(&mut e, 3 * SECOND, &template);
    assert!(
        out.stderr.starts_with("Warning: spec.template.spec.containers[0].resources.requests[memory]: fractional byte value"),
        "{}",
        out.stderr
    );
}

/// kubectl label's `parseLabels` (one `=`, a valid value: its own errors) and the API server's
/// `ValidateObjectMeta` of the update (the keys).
#[test]
fn label_specs_and_label_keys_are_checked_as_kubectl_and_the_api_server_check_them() {
    let mut e = empty("1.30");
    apply(&mut e, SECOND, &pod("nginx:1.25", 80));
    let refused = |e: &mut Engine, spec: &str| at(e, 2 * SECOND, &format!("label pod web {spec}")).stderr;
    assert_eq!(refused(&mut e, "a=b=c"), "error: invalid label spec: a=b=c\n");
    assert_eq!(refused(&mut e, "abc"), "error: unknown label spec: abc\n");
    assert!(refused(&mut e, "a=-x").starts_with("error: invalid label value: \"a=-x\": a valid label must be an empty string"));
    assert!(
        refused(&mut e, "a/b/c=x").starts_with("The Pod \"web\" is invalid: metadata.labels: Invalid value: \"a/b/c\": a qualified name")
    );
    assert_eq!(at(&mut e, 3 * SECOND, "label pod web tier=web").stdout, "pod/web labeled\n");
}

#[test]
fn the_manifest_is_read_as_go_yaml_reads_it() {
    let mut e = empty("1.36");
    let volume = "        volumeMounts:\n        - {name: cfg, mountPath: /cfg}\n      volumes:\n      - name: cfg\n        configMap:\n          name: settings\n          defaultMode: 0644\n";
    let manifest = deployment("nginx:1.25", "", volume);
    assert_eq!(apply(&mut e, SECOND, &manifest).stdout, "deployment.apps/web created\n");
    let annotation = e.deployment("default", "web").unwrap().deployment.metadata.annotations[crate::apply::LAST_APPLIED].clone();
    assert!(annotation.contains("\"configMap\":{\"defaultMode\":420,\"name\":\"settings\"}"), "{annotation}");
    assert_eq!(apply(&mut e, 2 * SECOND, &manifest).stdout, "deployment.apps/web unchanged\n");
}

#[test]
fn the_namespace_flag_names_the_objects_namespace() {
    let mut e = empty("1.36");
    crate::mutate::run_mutation(&mut e, &["create", "namespace", "team"], None);
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";
    let out = crate::mutate::run_mutation(&mut e, &["apply", "-n", "team", "-f", "-"], Some(cm));
    assert_eq!(out.stdout, "configmap/settings created\n");
    assert!(e.find_config_map("settings", "team").is_some() && e.find_config_map("settings", "default").is_none());
    let annotation = &e.find_config_map("settings", "team").unwrap().metadata.annotations[crate::apply::LAST_APPLIED];
    assert!(annotation.contains("\"namespace\":\"team\""), "{annotation}");
    assert_eq!(
        crate::mutate::run_mutation(&mut e, &["apply", "-f", "-", "--namespace=team"], Some(cm)).stdout,
        "configmap/settings unchanged\n"
    );
    // An object of another namespace than -n's: the builder's RequireNamespace.
    let other = cm.replace("  name: settings\n", "  name: settings\n  namespace: default\n");
    let out = crate::mutate::run_mutation(&mut e, &["apply", "-n", "team", "-f", "-"], Some(&other));
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        ("", "error: the namespace from the provided object \"default\" does not match the namespace \"team\". You must pass '--namespace=default' to perform this operation.\n", 1)
    );
    let out = crate::mutate::run_mutation(
        &mut e,
        &["apply", "-f", "-"],
        Some("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\n"),
    );
    assert_eq!((out.stderr.as_str(), out.exit_code), ("error: no objects passed to apply\n", 1));
}

#[test]
fn a_pod_whose_live_volumes_have_the_token_is_configured_again() {
    // diffLists: the live list has the service account token's volume, which the manifest
    // lacks, so its order is never the same and the patch carries $setElementOrder.
    let mut e = empty("1.36");
    let with_volume = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.25\n  volumes:\n  - name: scratch\n    emptyDir: {}\n";
    assert_eq!(apply(&mut e, SECOND, with_volume).stdout, "pod/web created\n");
    let out = apply(&mut e, 10 * SECOND, with_volume);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("pod/web configured\n", ""));
    assert_eq!(e.pod("default", "web").unwrap().spec.volumes.len(), 2);
}

#[test]
fn every_kind_applied_twice_is_unchanged() {
    let manifests = [
        ("service/web", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n"),
        ("configmap/settings", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    tier: web\ndata:\n  mode: fast\n"),
        ("secret/creds", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  user: YWRtaW4=\n"),
        ("namespace/team", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n"),
        ("statefulset.apps/db", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 2\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: redis\n        image: redis:7.2\n"),
        ("daemonset.apps/agent", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: agent\n  template:\n    metadata:\n      labels:\n        app: agent\n    spec:\n      containers:\n      - name: a\n        image: busybox:1.36\n        command: [sleep, '3600']\n"),
        ("replicaset.apps/front", "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: front\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: front\n  template:\n    metadata:\n      labels:\n        app: front\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n"),
        ("job.batch/once", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [sleep, '5']\n"),
        ("cronjob.batch/tick", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox:1.36\n            command: [date]\n"),
        ("poddisruptionbudget.policy/keep", "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: keep\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: db\n"),
        ("pod/solo", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\n  labels:\n    app: solo\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sleep, '3600']\n    env:\n    - name: A\n      value: b\n    ports:\n    - containerPort: 8080\n      name: http\n"),
    ];
    for version in ["1.22", "1.30", "1.36"] {
        let mut e = empty(version);
        for (name, manifest) in manifests {
            assert_eq!(apply(&mut e, SECOND, manifest).stdout, format!("{name} created\n"), "{version}");
        }
        for (name, manifest) in manifests {
            let out = apply(&mut e, 20 * SECOND, manifest);
            assert_eq!((out.stdout, out.stderr), (format!("{name} unchanged\n"), String::new()), "{version}");
        }
    }
}

#[test]
fn a_toleration_added_by_apply_schedules_a_pending_pod() {
    let yaml = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"1.36\"\n---\n\
                apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  labels: {kubernetes.io/hostname: node-1}\nspec:\n  taints:\n  - {key: dedicated, value: gpu, effect: NoSchedule}\n";
    let m = podplay_core::load(&[podplay_core::SourceFile { name: "t.yaml".into(), text: yaml.into() }]).unwrap();
    let mut e = crate::new_engine(&m).unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n";
    apply(&mut e, SECOND, pod);
    e.run_until(20 * SECOND);
    assert!(e.pod("default", "web").unwrap().spec.node_name.is_none());
    let tolerating = format!("{pod}  tolerations:\n  - {{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}}\n");
    let out = apply(&mut e, 20 * SECOND, &tolerating);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("pod/web configured\n", ""));
    // The admission plugin's two tolerations are still there, after the new one.
    let tolerations: Vec<_> = e.pod("default", "web").unwrap().spec.tolerations.iter().map(|t| t.key.clone().unwrap_or_default()).collect();
    assert_eq!(tolerations, ["dedicated", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]);
    e.run_until(30 * SECOND);
    assert_eq!(e.pod("default", "web").unwrap().spec.node_name.as_deref(), Some("node-1"));
    // Removing it again is not an update a pod takes.
    let out = apply(&mut e, 40 * SECOND, pod);
    assert_eq!(
        out.stderr,
        "The Pod \"web\" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds\n"
    );
}

#[test]
fn a_node_applied_again_is_patched_not_added() {
    let mut e = empty("1.36");
    let node = |extra: &str| {
        format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-2\n  labels:\n    disk: ssd\nspec:\n{extra}  podCIDR: 10.244.7.0/24\n")
    };
    assert_eq!(apply(&mut e, SECOND, &node("")).stdout, "node/node-2 created\n");
    assert_eq!(apply(&mut e, 2 * SECOND, &node("")).stdout, "node/node-2 unchanged\n");
    let annotation = &e.nodes().find(|n| n.metadata.name == "node-2").unwrap().metadata.annotations[crate::apply::LAST_APPLIED];
    assert!(!annotation.contains("namespace"), "{annotation}");
    let out = apply(&mut e, 3 * SECOND, &node("  unschedulable: true\n").replace("disk: ssd", "disk: hdd"));
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("node/node-2 configured\n", ""));
    let nodes: Vec<_> = e.nodes().filter(|n| n.metadata.name == "node-2").collect();
    assert_eq!(nodes.len(), 1);
    assert_eq!((nodes[0].spec.unschedulable, nodes[0].metadata.labels.get("disk").map(String::as_str)), (Some(true), Some("hdd")));
    let out = crate::mutate::run_mutation(&mut e, &["create", "-f", "-"], Some(&node("")));
    assert_eq!(out.stderr, "Error from server (AlreadyExists): error when creating \"STDIN\": nodes \"node-2\" already exists\n");
}

#[test]
fn a_daemon_sets_selector_is_immutable_and_its_template_rolls() {
    let mut e = empty("1.36");
    let ds = |app: &str, image: &str| {
        format!(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n    spec:\n      containers:\n      - name: a\n        image: {image}\n        command: [sleep, '3600']\n"
        )
    };
    apply(&mut e, SECOND, &ds("agent", "busybox:1.36"));
    let out = apply(&mut e, 10 * SECOND, &ds("probe", "busybox:1.36"));
    assert_eq!(
        out.stderr,
        "The DaemonSet \"agent\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"probe\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n"
    );
    let out = apply(&mut e, 20 * SECOND, &ds("agent", "busybox:1.37"));
    assert_eq!(out.stdout, "daemonset.apps/agent configured\n");
    let out = at(&mut e, 60 * SECOND, "get pods -o custom-columns=IMAGE:.spec.containers[0].image --no-headers");
    assert_eq!(out.stdout, "busybox:1.37\n");
}

#[test]
fn several_causes_print_one_a_line() {
    // kubectl's CheckErr: MultilineError for an Invalid status with several causes.
    let mut e = empty("1.36");
    apply(&mut e, SECOND, &pod("nginx:1.25", 80).replace("  name: web\n", "  name: web\n  finalizers: [example.com/hold]\n"));
    let out = apply(&mut e, 10 * SECOND, &pod("", 8080).replace("  name: web\n", "  name: web\n  finalizers: [example.com/hold]\n"));
    assert_eq!(
        out.stderr,
        "The Pod \"web\" is invalid: \n* spec.containers[0].image: Required value\n* spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  (podplay: the API server's go-cmp diff of the spec is not reproduced; the fields that differ: spec.containers[0].ports[0].containerPort)\n"
    );
}

#[test]
fn several_failed_objects_print_as_kubectls_aggregate() {
    let mut e = empty("1.36");
    let two = format!("{}---\n{}", deployment("nginx:1.25", "", ""), pod("nginx:1.25", 80));
    apply(&mut e, SECOND, &two);
    let broken = format!("{}---\n{}", deployment("nginx:1.25", "", "").replace("app: web", "app: shop"), pod("nginx:1.25", 8080));
    let out = apply(&mut e, 10 * SECOND, &broken);
    assert_eq!(out.exit_code, 1);
    let deployment_patch = "{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersion\\\":\\\"apps/v1\\\",\\\"kind\\\":\\\"Deployment\\\",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"name\\\":\\\"web\\\",\\\"namespace\\\":\\\"default\\\"},\\\"spec\\\":{\\\"selector\\\":{\\\"matchLabels\\\":{\\\"app\\\":\\\"shop\\\"}},\\\"template\\\":{\\\"metadata\\\":{\\\"labels\\\":{\\\"app\\\":\\\"shop\\\"}},\\\"spec\\\":{\\\"containers\\\":[{\\\"image\\\":\\\"nginx:1.25\\\",\\\"name\\\":\\\"nginx\\\"}]}}}}\\n\"}},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"shop\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"shop\"}}}}}";
    let pod_patch = "{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersion\\\":\\\"v1\\\",\\\"kind\\\":\\\"Pod\\\",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"name\\\":\\\"web\\\",\\\"namespace\\\":\\\"default\\\"},\\\"spec\\\":{\\\"containers\\\":[{\\\"image\\\":\\\"nginx:1.25\\\",\\\"name\\\":\\\"nginx\\\",\\\"ports\\\":[{\\\"containerPort\\\":8080}]}]}}\\n\"}},\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"nginx\"}],\"containers\":[{\"$setElementOrder/ports\":[{\"containerPort\":8080}],\"name\":\"nginx\",\"ports\":[{\"containerPort\":8080},{\"$patch\":\"delete\",\"containerPort\":80}]}]}}";
    assert_eq!(
        out.stderr,
        format!(
            "Error from server (Invalid): error when applying patch:\n{deployment_patch}\nto:\nResource: \"apps/v1, Resource=deployments\", GroupVersionKind: \"apps/v1, Kind=Deployment\"\nName: \"web\", Namespace: \"default\"\nfor: \"STDIN\": error when patching \"STDIN\": Deployment.apps \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{{MatchLabels:map[string]string{{\"app\":\"shop\"}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}: field is immutable\n\
             Error from server (Invalid): error when applying patch:\n{pod_patch}\nto:\nResource: \"/v1, Resource=pods\", GroupVersionKind: \"/v1, Kind=Pod\"\nName: \"web\", Namespace: \"default\"\nfor: \"STDIN\": error when patching \"STDIN\": Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  (podplay: the API server's go-cmp diff of the spec is not reproduced; the fields that differ: spec.containers[0].ports[0].containerPort)\n"
        )
    );
}

#[test]
fn a_container_added_first_in_the_manifest_comes_first() {
    // $setElementOrder: the server orders the merged list as the manifest does.
    let mut e = empty("1.36");
    apply(&mut e, SECOND, &deployment("nginx:1.25", "", ""));
    let sidecar_first = deployment("nginx:1.25", "", "").replace(
        "      containers:\n",
        "      containers:\n      - name: log\n        image: busybox:1.36\n        command: [sleep, '3600']\n",
    );
    assert_eq!(apply(&mut e, 10 * SECOND, &sidecar_first).stdout, "deployment.apps/web configured\n");
    let names: Vec<_> =
        e.deployment("default", "web").unwrap().deployment.spec.template.spec.containers.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, ["log", "nginx"]);
    assert_eq!(apply(&mut e, 20 * SECOND, &sidecar_first).stdout, "deployment.apps/web unchanged\n");
}

/// `kubectl replace -f -`: the manifest's object as the update of the one that exists.
fn replace(engine: &mut Engine, t: podplay_core::clock::Millis, manifest: &str) -> crate::Output {
    engine.run_until(t);
    crate::mutate::run_mutation(engine, &["replace", "-f", "-"], Some(manifest))
}

#[test]
fn replace_sends_the_whole_object_so_a_key_it_leaves_out_is_gone() {
    let mut e = empty("1.36");
    let cm = |data: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n{data}");
    apply(&mut e, SECOND, &cm("  mode: fast\n  level: '3'\n"));
    let out = replace(&mut e, 2 * SECOND, &cm("  mode: slow\n"));
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.exit_code), ("configmap/settings replaced\n", "", 0));
    let live = e.find_config_map("settings", "default").unwrap();
    assert_eq!(live.data.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(), ["mode=slow"]);
    // The manifest has no last-applied-configuration: the replaced object has none either.
    assert!(!live.metadata.annotations.contains_key(crate::apply::LAST_APPLIED));
    // The same again is still a replace (an update that changes nothing).
    assert_eq!(replace(&mut e, 3 * SECOND, &cm("  mode: slow\n")).stdout, "configmap/settings replaced\n");
}

#[test]
fn replace_of_an_object_that_does_not_exist_is_not_found_when_replacing() {
    let mut e = empty("1.36");
    let out = replace(&mut e, SECOND, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nothing\ndata:\n  a: b\n");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        ("", "Error from server (NotFound): error when replacing \"STDIN\": configmaps \"nothing\" not found\n", 1)
    );
    assert!(e.find_config_map("nothing", "default").is_none());
}

#[test]
fn replace_of_a_deployment_without_replicas_gets_the_default_one() {
    let mut e = empty("1.36");
    apply(&mut e, SECOND, &deployment("nginx:1.25", "  replicas: 3\n", ""));
    let out = replace(&mut e, 30 * SECOND, &deployment("nginx:1.25", "", ""));
    assert_eq!((out.stdout.as_str(), out.exit_code), ("deployment.apps/web replaced\n", 0));
    assert_eq!(e.deployment("default", "web").unwrap().deployment.spec.replicas, Some(1));
}

#[test]
fn replace_of_a_scheduled_pod_from_its_manifest_changes_its_spec_and_is_forbidden() {
    let mut e = empty("1.36");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n";
    apply(&mut e, SECOND, pod);
    let out = replace(&mut e, 20 * SECOND, pod);
    assert_eq!(out.exit_code, 1);
    assert!(
        out.stderr.starts_with("The Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than "),
        "{}",
        out.stderr
    );
}
