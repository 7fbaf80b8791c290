//! `get KIND -o yaml|json|jsonpath=` for the kinds other than pods: the API object as the API
//! server serves it (defaults, the controllers' status), by release.

use podplay_core::clock::SECOND;

use crate::test_support::{engine_of, quoted_at as at};

/// A Deployment `web` of two nginx:1.25 pods, a ConfigMap and a Secret, at `version`.
fn cluster(version: &str) -> podplay_core::Engine {
    let yaml = format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n\
         apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  \
         template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n---\n\
         apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  key: abc\n"
    );
    engine_of(&yaml).unwrap()
}

/// The lines of `text` from the one equal to `from` up to (not including) the first line at
/// `from`'s indentation or less after it.
fn block<'a>(text: &'a str, from: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == from).unwrap_or_else(|| panic!("no line {from:?} in\n{text}"));
    let indent = from.len() - from.trim_start().len();
    let end = lines[start + 1..].iter().position(|l| l.len() - l.trim_start().len() <= indent).map_or(lines.len(), |i| start + 1 + i);
    lines[start..end].to_vec()
}

#[test]
fn a_deployment_is_served_defaulted_with_its_controllers_status() {
    let mut e = cluster("1.36");
    let out = at(&mut e, 60 * SECOND, "get deploy web -o yaml");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let y = out.stdout;
    assert!(
        y.starts_with("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    deployment.kubernetes.io/revision: \"1\"\n"),
        "{y}"
    );
    // apps/v1 copies no template labels onto the Deployment (extensions/v1beta1 did).
    assert!(y.contains("\n  generation: 1\n  name: web\n  namespace: default\n  resourceVersion: \""), "{y}");
    assert_eq!(
        block(&y, "spec:")[..12],
        [
            "spec:",
            "  progressDeadlineSeconds: 600",
            "  replicas: 2",
            "  revisionHistoryLimit: 10",
            "  selector:",
            "    matchLabels:",
            "      app: web",
            "  strategy:",
            "    rollingUpdate:",
            "      maxSurge: 25%",
            "      maxUnavailable: 25%",
            "    type: RollingUpdate",
        ]
    );
    // SetDefaults_PodSpec's fields, not SetDefaults_Pod's (no enableServiceLinks, no
    // tolerations or service account), and 1.34+'s omitted zero creationTimestamp.
    assert_eq!(
        block(&y, "  template:"),
        [
            "  template:",
            "    metadata:",
            "      labels:",
            "        app: web",
            "    spec:",
            "      containers:",
            "      - image: nginx:1.25",
            "        imagePullPolicy: IfNotPresent",
            "        name: nginx",
            "        resources: {}",
            "        terminationMessagePath: /dev/termination-log",
            "        terminationMessagePolicy: File",
            "      dnsPolicy: ClusterFirst",
            "      restartPolicy: Always",
            "      schedulerName: default-scheduler",
            "      securityContext: {}",
            "      terminationGracePeriodSeconds: 30",
        ]
    );
    let status = block(&y, "status:");
    assert_eq!(status[1], "  availableReplicas: 2");
    assert!(status.contains(&"    reason: MinimumReplicasAvailable") && status.contains(&"    reason: NewReplicaSetAvailable"), "{y}");
    // Counts at zero are `omitempty`: no unavailableReplicas once all are available.
    assert_eq!(status[status.len() - 4..], ["  observedGeneration: 1", "  readyReplicas: 2", "  replicas: 2", "  updatedReplicas: 2"]);
}

#[test]
fn a_template_has_a_null_creation_timestamp_before_1_34() {
    let mut e = cluster("1.33");
    let y = at(&mut e, 30 * SECOND, "get deploy web -o yaml").stdout;
    assert_eq!(block(&y, "  template:")[..3], ["  template:", "    metadata:", "      creationTimestamp: null"]);
    let rs = at(&mut e, 30 * SECOND, "get rs -o yaml").stdout;
    assert!(rs.contains("\n        creationTimestamp: null\n"), "{rs}");
}

#[test]
fn a_replica_set_carries_its_owner_and_the_deployment_annotations() {
    let mut e = cluster("1.36");
    let y = at(&mut e, 60 * SECOND, "get rs -o yaml").stdout;
    assert!(y.starts_with("apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: ReplicaSet\n  metadata:\n    annotations:\n"), "{y}");
    for line in [
        "      deployment.kubernetes.io/desired-replicas: \"2\"",
        "      deployment.kubernetes.io/max-replicas: \"3\"",
        "      deployment.kubernetes.io/revision: \"1\"",
        "    - apiVersion: apps/v1",
        "      blockOwnerDeletion: true",
        "      controller: true",
        "      kind: Deployment",
        "      name: web",
        "    availableReplicas: 2",
        "    fullyLabeledReplicas: 2",
        "    replicas: 2",
    ] {
        assert!(y.lines().any(|l| l == line), "{line:?} in\n{y}");
    }
    assert!(y.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"), "{y}");
    // A ReplicaSet scaled to zero keeps `replicas: 0` (no omitempty on it).
    at(&mut e, 61 * SECOND, "scale deploy web --replicas=0");
    let y = at(&mut e, 90 * SECOND, "get rs -o yaml").stdout;
    assert_eq!(block(&y, "  status:"), ["  status:", "    observedGeneration: 2", "    replicas: 0"]);
}

#[test]
fn config_maps_and_secrets_in_one_list_as_json_and_jsonpath() {
    let mut e = cluster("1.36");
    let y = at(&mut e, 5 * SECOND, "get cm,secret -o yaml").stdout;
    assert!(y.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    mode: fast\n  kind: ConfigMap\n"), "{y}");
    assert!(y.contains("- apiVersion: v1\n  data:\n    key: YWJj\n  kind: Secret\n"), "{y}");
    assert!(y.contains("\n  type: Opaque\nkind: List\n"), "{y}");
    let j = at(&mut e, 5 * SECOND, "get secret token -o json").stdout;
    assert!(
        j.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"data\": {\n        \"key\": \"YWJj\"\n    },\n    \"kind\": \"Secret\",\n"),
        "{j}"
    );
    let names = at(&mut e, 5 * SECOND, "get cm,secret -o jsonpath={.items[*].metadata.name}");
    assert_eq!((names.stdout.as_str(), names.exit_code), ("settings token", 0));
    let key = at(&mut e, 5 * SECOND, "get secret token -o jsonpath={.data.key}");
    assert_eq!(key.stdout, "YWJj");
}

#[test]
fn missing_names_and_empty_lists() {
    let mut e = cluster("1.36");
    let out = at(&mut e, 5 * SECOND, "get deploy nosuch -o yaml");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        ("", "Error from server (NotFound): deployments.apps \"nosuch\" not found\n", 1)
    );
    let out = at(&mut e, 5 * SECOND, "get deploy nosuch -o jsonpath={.metadata.name}");
    assert_eq!((out.stdout.as_str(), out.exit_code), ("", 1));
    // An empty List, as printGeneric prints it.
    let out = at(&mut e, 5 * SECOND, "get rs -n other -o json");
    assert_eq!(
        out.stdout,
        "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
    );
    // Every kind has its object: several in one List.
    let out = at(&mut e, 5 * SECOND, "get cm,nodes -o jsonpath={.items[*].kind}");
    assert_eq!((out.stdout.as_str(), out.exit_code), ("ConfigMap Node", 0), "{}", out.stderr);
}

#[test]
fn sort_by_reads_the_api_object() {
    let mut e = cluster("1.36");
    at(&mut e, 5 * SECOND, "create configmap alpha --from-literal=a=1");
    let out = at(&mut e, 6 * SECOND, "get cm --sort-by=.metadata.resourceVersion -o name");
    assert_eq!(out.stdout, "configmap/settings\nconfigmap/alpha\n");
}

/// A Service `web` of `spec` (indented two spaces under `spec:`).
fn service(spec: &str) -> podplay_core::Engine {
    let yaml = format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n{spec}");
    engine_of(&yaml).unwrap()
}

#[test]
fn a_service_is_served_with_its_allocated_and_defaulted_fields() {
    let mut e = service("  selector:\n    app: web\n  sessionAffinity: ClientIP\n  ports:\n  - port: 80\n    appProtocol: http\n");
    let y = at(&mut e, SECOND, "get svc web -o yaml").stdout;
    let spec = block(&y, "spec:");
    let ip = spec[1].strip_prefix("  clusterIP: ").unwrap();
    assert_eq!(
        spec[2..],
        [
            "  clusterIPs:",
            &format!("  - {ip}"),
            "  internalTrafficPolicy: Cluster",
            "  ipFamilies:",
            "  - IPv4",
            "  ipFamilyPolicy: SingleStack",
            "  ports:",
            "  - appProtocol: http",
            "    port: 80",
            "    protocol: TCP",
            "    targetPort: 80",
            "  selector:",
            "    app: web",
            "  sessionAffinity: ClientIP",
            "  sessionAffinityConfig:",
            "    clientIP:",
            "      timeoutSeconds: 10800",
            "  type: ClusterIP",
        ][..]
    );
    assert!(y.ends_with("status:\n  loadBalancer: {}\n"), "{y}");
    let headless = at(
        &mut service("  clusterIP: None\n  selector:\n    app: web\n  ports:\n  - port: 80\n"),
        SECOND,
        "get svc web -o jsonpath={.spec.clusterIPs}",
    );
    assert_eq!(headless.stdout, "[\"None\"]");
}

#[test]
fn a_service_podplay_cannot_serve_whole_is_refused() {
    let mut e = service("  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
    let out = at(&mut e, SECOND, "get svc -o json");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        ("", "error: podplay prints no -o json of a NodePort Service (podplay allocates no node ports and resolves no external names); kubectl get services (-o wide|name) or kubectl describe services shows it\n", 1)
    );
    assert_eq!(at(&mut e, SECOND, "get svc web -o name").stdout, "service/web\n");
}

/// A StatefulSet `web` of two busybox pods at `version`.
fn stateful_set(version: &str) -> podplay_core::Engine {
    let yaml = format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n\
         apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  \
         template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [sleep, \"3600\"]\n"
    );
    engine_of(&yaml).unwrap()
}

#[test]
fn a_stateful_set_has_its_release_defaults_and_status() {
    let mut e = stateful_set("1.36");
    let y = at(&mut e, 60 * SECOND, "get sts web -o yaml").stdout;
    // apps/v1 copies no template labels onto the set.
    assert!(y.contains("\nmetadata:\n  creationTimestamp: \"2026-01-05T09:00:00Z\"\n  generation: 1\n  name: web\n"), "{y}");
    for line in [
        "  persistentVolumeClaimRetentionPolicy:",
        "    whenDeleted: Retain",
        "  podManagementPolicy: OrderedReady",
        "      maxUnavailable: 1",
        "      partition: 0",
        "  availableReplicas: 2",
        "  collisionCount: 0",
        "  replicas: 2",
    ] {
        assert!(y.lines().any(|l| l == line), "{line:?} in\n{y}");
    }
    let old = at(&mut stateful_set("1.26"), 60 * SECOND, "get sts web -o yaml").stdout;
    assert!(!old.contains("persistentVolumeClaimRetentionPolicy") && !old.contains("maxUnavailable"), "{old}");
    assert!(old.contains("\n      creationTimestamp: null\n"), "{old}");
}

#[test]
fn custom_columns_print_each_object_found() {
    let mut e = cluster("1.36");
    let out = at(&mut e, 60 * SECOND, "get deploy,cm -o custom-columns=KIND:kind,NAME:{.metadata.name},READY:.status.readyReplicas");
    assert_eq!(out.stdout, "KIND         NAME       READY\nDeployment   web        2\nConfigMap    settings   <none>\n");
    let out = at(&mut e, 60 * SECOND, "get cm settings -o custom-columns=DATA:data --no-headers");
    assert_eq!(out.stdout, "map[mode:fast]\n");
    // Several values of one column are joined by commas.
    let out = at(&mut e, 60 * SECOND, "get deploy web -o custom-columns=TYPES:.status.conditions[*].type");
    assert_eq!(out.stdout, "TYPES\nAvailable,Progressing\n");
    // An empty list prints the header alone (generic printing, no "No resources found").
    let out = at(&mut e, 60 * SECOND, "get rs -n other -o custom-columns=NAME:.metadata.name");
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("NAME\n", ""));
    let bad = at(&mut e, 60 * SECOND, "get cm -o custom-columns=NAME");
    assert_eq!(bad.stderr, "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n");
    let bad = at(&mut e, 60 * SECOND, "get cm -o custom-columns=N:{.a}{.b}");
    assert!(bad.stderr.starts_with("error: unexpected path string, expected a 'name1.name2'"), "{}", bad.stderr);
}

/// A Job `pi` (one pod that sleeps 3 s) and a CronJob `tick` every minute, at `version`.
fn batch(version: &str) -> podplay_core::Engine {
    let yaml = format!(
        "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"{version}\"\n---\n\
         apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  backoffLimit: 4\n  template:\n    spec:\n      \
         containers:\n      - name: pi\n        image: busybox:1.36\n        command: [sh, -c, 'sleep 3']\n      restartPolicy: Never\n---\n\
         apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      \
         template:\n        spec:\n          containers:\n          - name: tick\n            image: busybox:1.36\n            \
         command: [sh, -c, 'sleep 30']\n          restartPolicy: OnFailure\n"
    );
    engine_of(&yaml).unwrap()
}

#[test]
fn a_job_has_its_release_defaults_and_the_controllers_status() {
    let mut e = batch("1.36");
    let y = at(&mut e, SECOND, "get job pi -o yaml").stdout;
    assert!(y.starts_with("apiVersion: batch/v1\nkind: Job\nmetadata:\n  creationTimestamp: "), "{y}");
    let spec = block(&y, "spec:");
    assert_eq!(
        spec[..9],
        [
            "spec:",
            "  backoffLimit: 4",
            "  completionMode: NonIndexed",
            "  completions: 1",
            "  manualSelector: false",
            "  parallelism: 1",
            "  podReplacementPolicy: TerminatingOrFailed",
            "  selector:",
            "    matchLabels:",
        ]
    );
    assert!(spec[9].starts_with("      batch.kubernetes.io/controller-uid: "), "{y}");
    assert_eq!(spec[10], "  suspend: false");
    // Running: the pointer counts show at 0, every other count is omitted.
    let status = block(&y, "status:");
    assert_eq!(status[1], "  active: 1");
    assert_eq!(status[2..], ["  ready: 0", "  startTime: \"2026-01-05T09:00:00Z\"", "  terminating: 0", "  uncountedTerminatedPods: {}"]);
    let y = at(&mut e, 30 * SECOND, "get job pi -o yaml").stdout;
    let status = block(&y, "status:");
    assert!(status.contains(&"    type: SuccessCriteriaMet") && status.contains(&"    type: Complete"), "{y}");
    assert!(status.contains(&"  succeeded: 1") && !status.iter().any(|l| l.starts_with("  active:")), "{y}");
    assert!(status[1].starts_with("  completionTime: \"2026-01-05T09:00:0"), "{y}");
}

#[test]
fn a_jobs_served_fields_by_release() {
    let lines = |version: &str| {
        let mut e = batch(version);
        at(&mut e, 30 * SECOND, "get job pi -o yaml").stdout
    };
    // 1.22: the legacy selector, no ready count, no finalizer tracking, one Complete condition.
    let y = lines("1.22");
    assert!(y.contains("\n    matchLabels:\n      controller-uid: "), "{y}");
    for absent in ["ready:", "uncountedTerminatedPods", "manualSelector", "podReplacementPolicy", "SuccessCriteriaMet", "annotations:"] {
        assert!(!y.contains(absent), "{absent} in 1.22:\n{y}");
    }
    // 1.24: JobReadyPods; tracking with finalizers still off.
    let y = lines("1.24");
    assert!(y.contains("\n  ready: 0\n") && !y.contains("uncountedTerminatedPods"), "{y}");
    // 1.25-1.26: tracked with finalizers, and the annotation that says so.
    let y = lines("1.26");
    assert!(
        y.contains("  annotations:\n    batch.kubernetes.io/job-tracking: \"\"\n") && y.contains("  uncountedTerminatedPods: {}\n"),
        "{y}"
    );
    // 1.27: the prefixed labels, no annotation; 1.28: no replacement policy yet.
    let y = lines("1.28");
    assert!(y.contains("\n      batch.kubernetes.io/controller-uid: ") && !y.contains("job-tracking"), "{y}");
    assert!(!y.contains("podReplacementPolicy") && !y.contains("terminating:") && !y.contains("manualSelector"), "{y}");
    // 1.29: podReplacementPolicy, terminating, manualSelector; Complete alone until 1.31.
    let y = lines("1.29");
    assert!(y.contains("  podReplacementPolicy: TerminatingOrFailed\n") && y.contains("  terminating: 0\n"), "{y}");
    assert!(y.contains("  manualSelector: false\n") && !y.contains("SuccessCriteriaMet"), "{y}");
}

#[test]
fn a_cron_job_lists_its_active_jobs_as_references() {
    let mut e = batch("1.33");
    let y = at(&mut e, 70 * SECOND, "get cronjob tick -o yaml").stdout;
    // The job template's and its pod template's zero creationTimestamp (up to 1.33); no
    // SetDefaults_Job inside the template.
    assert!(y.contains("\n  jobTemplate:\n    metadata:\n      creationTimestamp: null\n    spec:\n      template:\n        metadata:\n          creationTimestamp: null\n"), "{y}");
    assert!(!y.contains("backoffLimit"), "{y}");
    assert!(y.contains("\n  concurrencyPolicy: Allow\n  failedJobsHistoryLimit: 1\n"), "{y}");
    let status = block(&y, "status:");
    assert_eq!(
        status[1..6],
        ["  active:", "  - apiVersion: batch/v1", "    kind: Job", "    name: tick-29460061", "    namespace: default"]
    );
    let job_version = at(&mut e, 70 * SECOND, "get job tick-29460061 -o jsonpath={.metadata.resourceVersion}").stdout;
    let rv: u64 = status[6].trim_start_matches("    resourceVersion: ").trim_matches('"').parse().unwrap();
    // The reference holds the Job's version when it was created; its status writes came later.
    assert!(rv < job_version.parse().unwrap(), "{y}");
    assert_eq!(status[8], "  lastScheduleTime: \"2026-01-05T09:01:00Z\"");
    let json = at(&mut e, 70 * SECOND, "get cronjobs -o jsonpath={.items[0].status.active[0].name}").stdout;
    assert_eq!(json, "tick-29460061");
}

#[test]
fn events_are_served_as_each_recorder_wrote_them() {
    let mut e = cluster("1.36");
    let y = at(&mut e, 30 * SECOND, "get events -o yaml").stdout;
    // The scheduler's, through events.k8s.io: eventTime and action, no source or counts.
    let scheduled = block(&y, "- action: Binding");
    assert!(scheduled.contains(&"  firstTimestamp: null") && scheduled.contains(&"  source: {}"), "{y}");
    assert!(scheduled.iter().any(|l| l.starts_with("  eventTime: \"2026-01-05T09:00:00.") && l.ends_with("Z\"")), "{y}");
    assert!(scheduled.contains(&"  reportingComponent: default-scheduler"), "{y}");
    assert!(scheduled.iter().any(|l| l.starts_with("    resourceVersion: \"")), "the scheduled pod's version: {y}");
    assert!(!scheduled.iter().any(|l| l.starts_with("  count:")), "{y}");
    // The kubelet's: source and counts, no eventTime; the recorder's copy of the pod is not known.
    let pulled = y.split("\n- ").find(|item| item.contains("\n  reason: Pulled\n")).expect("a Pulled event");
    for line in
        ["\n  count: 1\n", "\n  eventTime: null\n", "\n    fieldPath: spec.containers{nginx}\n", "\n  reportingComponent: kubelet\n"]
    {
        assert!(pulled.contains(line), "{line:?} in\n{pulled}");
    }
    assert!(pulled.contains("\n  source:\n    component: kubelet\n    host: node-1\n") && !pulled.contains("resourceVersion"), "{pulled}");
    // One by name, and a field through jsonpath.
    let name = at(&mut e, 30 * SECOND, "get events -o jsonpath={.items[0].metadata.name}").stdout;
    let one = at(&mut e, 30 * SECOND, &format!("get event {name} -o json")).stdout;
    assert!(one.starts_with("{\n    \"action\": \"Binding\",\n    \"apiVersion\": \"v1\",\n"), "{one}");
    let kinds = at(&mut e, 30 * SECOND, "get events -o jsonpath={.items[*].involvedObject.kind}").stdout;
    assert!(kinds.split(' ').any(|k| k == "Deployment") && kinds.split(' ').any(|k| k == "Pod"), "{kinds}");
}

#[test]
fn legacy_events_have_no_reporting_fields_before_1_28() {
    let mut e = cluster("1.27");
    let y = at(&mut e, 30 * SECOND, "get events -o yaml").stdout;
    let pulled = y.split("\n- ").find(|item| item.contains("\n  reason: Pulled\n")).expect("a Pulled event");
    assert!(pulled.contains("\n  reportingComponent: \"\"\n  reportingInstance: \"\"\n"), "{pulled}");
}

#[test]
fn endpoints_name_their_pods_and_hostnames() {
    let yaml = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"1.32\"\n---\n\
         apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    tier: front\nspec:\n  clusterIP: None\n  selector:\n    app: web\n  \
         ports:\n  - port: 80\n---\n\
         apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  \
         template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [sleep, \"3600\"]\n";
    let mut e = engine_of(yaml).unwrap();
    let out = at(&mut e, 30 * SECOND, "get endpoints web -o yaml");
    assert_eq!(out.stderr, "", "no deprecation warning before 1.33");
    let uid = at(&mut e, 30 * SECOND, "get pod web-0 -o jsonpath={.metadata.uid}").stdout;
    let y = out.stdout;
    // The controller's trigger time: web-0's Ready transition, the last change it wrote.
    let pod: serde_json::Value = serde_json::from_str(&at(&mut e, 30 * SECOND, "get pod web-0 -o json").stdout).unwrap();
    let conditions = pod["status"]["conditions"].as_array().unwrap();
    let ready = conditions.iter().find(|c| c["type"] == "Ready").unwrap()["lastTransitionTime"].as_str().unwrap().to_string();
    assert!(ready.as_str() > "2026-01-05T09:00:00Z", "{ready}");
    let y = y.replacen(&format!("  annotations:\n    endpoints.kubernetes.io/last-change-trigger-time: \"{ready}\"\n"), "", 1);
    assert!(y.starts_with("apiVersion: v1\nkind: Endpoints\nmetadata:\n  creationTimestamp: \"2026-01-05T09:00:00Z\"\n  labels:\n    service.kubernetes.io/headless: \"\"\n    tier: front\n  name: web\n"), "{y}");
    let subsets: Vec<&str> = y[y.find("\nsubsets:\n").expect("subsets")..].lines().skip(1).collect();
    assert_eq!(subsets[1], "- addresses:");
    assert_eq!(subsets[2..5], ["  - hostname: web-0", "    ip: 10.244.0.5", "    nodeName: node-1"]);
    assert_eq!(
        subsets[5..10],
        ["    targetRef:", "      kind: Pod", "      name: web-0", "      namespace: default", &format!("      uid: {uid}")]
    );
    assert_eq!(subsets[10..], ["  ports:", "  - port: 80", "    protocol: TCP"]);
    // The API server's own, and --sort-by over the same objects.
    let names = at(&mut e, 30 * SECOND, "get ep --sort-by=.metadata.name -o jsonpath={.items[*].subsets[0].addresses[0].ip}").stdout;
    assert_eq!(names, "172.18.0.2 10.244.0.5");
    let warned = at(&mut engine_of(&yaml.replace("1.32", "1.33")).unwrap(), 30 * SECOND, "get ep web -o json");
    assert!(warned.stderr.starts_with("Warning: v1 Endpoints is deprecated") && warned.stdout.contains("\"kind\": \"Endpoints\""));
    // With other kinds in one List the warning is still no error.
    let several = at(&mut engine_of(&yaml.replace("1.32", "1.33")).unwrap(), 30 * SECOND, "get svc,ep -o jsonpath={.items[*].kind}");
    assert_eq!(
        (several.stdout.as_str(), several.stderr.as_str(), several.exit_code),
        (
            "Service Service Endpoints Endpoints",
            "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n",
            0
        )
    );
}

#[test]
fn a_node_is_served_as_its_kubelet_reports_it() {
    let mut e = cluster("1.32");
    let y = at(&mut e, 30 * SECOND, "get node node-1 -o yaml").stdout;
    assert!(y.starts_with("apiVersion: v1\nkind: Node\nmetadata:\n  annotations:\n    node.alpha.kubernetes.io/ttl: \"0\"\n"), "{y}");
    assert!(y.contains("\n    kubernetes.io/hostname: node-1\n"), "{y}");
    assert_eq!(block(&y, "spec:"), ["spec:", "  podCIDR: 10.244.0.0/24", "  podCIDRs:", "  - 10.244.0.0/24"]);
    assert!(y.contains("\n  addresses:\n  - address: 172.18.0.2\n    type: InternalIP\n  - address: node-1\n    type: Hostname\n"), "{y}");
    assert!(y.contains("\n  allocatable:\n    cpu: \"2\"\n    ephemeral-storage: 102626232Ki\n"), "{y}");
    assert!(y.contains("\n    reason: KubeletReady\n    status: \"True\"\n    type: Ready\n"), "{y}");
    assert!(y.contains("\n  daemonEndpoints:\n    kubeletEndpoint:\n      Port: 10250\n"), "{y}");
    assert!(y.contains("\n    kubeProxyVersion: v1.32.0\n    kubeletVersion: v1.32.0\n"), "{y}");
    // 1.33+: DisableNodeKubeProxyVersion leaves the field empty.
    let y = at(&mut cluster("1.33"), 30 * SECOND, "get nodes -o yaml").stdout;
    assert!(y.contains("\n      kubeProxyVersion: \"\"\n      kubeletVersion: v1.33.0\n"), "{y}");
    // Cordoned: unschedulable.
    at(&mut e, 31 * SECOND, "cordon node-1");
    let spec = at(&mut e, 40 * SECOND, "get node node-1 -o jsonpath={.spec.unschedulable}").stdout;
    assert_eq!(spec, "true");
}

#[test]
fn the_trigger_time_follows_the_endpoints_controllers_writes() {
    let yaml = "apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"1.30\"\n---\n\
         apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n---\n\
         apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.25\n    \
         readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n      initialDelaySeconds: 3\n";
    let mut e = engine_of(yaml).unwrap();
    let trigger = "'jsonpath={.metadata.annotations.endpoints\\.kubernetes\\.io/last-change-trigger-time}'";
    // Created with the Service; the pod, not ready, under notReadyAddresses: its Ready=False
    // condition's time.
    assert_eq!(at(&mut e, 2 * SECOND, &format!("get ep web -o {trigger}")).stdout, "2026-01-05T09:00:00Z");
    // Ready: the transition the probe made.
    let pod: serde_json::Value = serde_json::from_str(&at(&mut e, 20 * SECOND, "get pod web -o json").stdout).unwrap();
    let ready =
        pod["status"]["conditions"].as_array().unwrap().iter().find(|c| c["type"] == "Ready").unwrap()["lastTransitionTime"].clone();
    assert_eq!(at(&mut e, 20 * SECOND, &format!("get ep web -o {trigger}")).stdout, ready.as_str().unwrap());
    assert_ne!(ready, "2026-01-05T09:00:00Z");
    // Deleted: a write no trigger time moved, so the annotation goes.
    crate::test_support::mutate(&mut e, "delete pod web --wait=false");
    let out = at(&mut e, 21 * SECOND, "get ep web -o json").stdout;
    assert!(!out.contains("annotations") && !out.contains("subsets"), "{out}");
}
