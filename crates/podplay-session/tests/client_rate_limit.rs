//! kube-controller-manager's API client rate limit (`--kube-api-qps` 20, `--kube-api-burst` 30)
//! as the ReplicaSet and Job controllers meet it: a ReplicaSet scaled by hundreds, or a Job of a
//! hundred pods at once, creates 30 pods at once, then 20 a second, and writes its status when
//! its sync's creates are done.

mod e2e_support;

use std::collections::BTreeMap;

use podplay_core::clock::SECOND;
use podplay_session::Session;

const DEPLOYMENT: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: nginx:1.27}
---
apiVersion: podplay.dev/v1alpha1
kind: Scenario
metadata: {name: scale}
spec:
  steps:
  - at: 10s
    run: kubectl scale deployment/web --replicas=203
";

const JOB: &str = "
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  completions: 100
  parallelism: 100
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: task, image: busybox:1.36, command: [sleep, '3600']}
";

fn kubectl(s: &mut Session, line: &str) -> String {
    let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    s.kubectl(&words).stdout
}

/// How many pods were created in each second, by creation timestamp.
fn created_per_second(s: &mut Session) -> BTreeMap<String, usize> {
    let stamps = kubectl(s, "get pods -o jsonpath={range.items[*]}{.metadata.creationTimestamp}{\"\\n\"}{end}");
    let mut per_second: BTreeMap<String, usize> = BTreeMap::new();
    for stamp in stamps.lines() {
        *per_second.entry(stamp.to_string()).or_default() += 1;
    }
    per_second
}

#[test]
fn a_replica_set_scaled_by_hundreds_creates_thirty_pods_then_twenty_a_second() {
    let mut s = e2e_support::create(DEPLOYMENT);
    s.seek(60 * SECOND);
    let per_second = created_per_second(&mut s);
    let counts: Vec<usize> = per_second.values().copied().collect();
    // 3 at the start; at 10 s the bucket's 30 at once and a token every 50 ms after them (19
    // more in that second), then 20 a second: the 200th new pod at 18.5 s.
    assert_eq!(counts[0], 3, "{per_second:?}");
    assert_eq!(counts[1], 30 + 19, "{per_second:?}");
    assert!(counts[2..counts.len() - 1].iter().all(|&n| n == 20), "{per_second:?}");
    assert_eq!(per_second.keys().last().map(String::as_str), Some("2026-01-05T09:00:18Z"));
    assert_eq!(counts.iter().sum::<usize>(), 203);
}

#[test]
fn a_replica_set_writes_its_status_when_its_creates_are_done() {
    let mut s = e2e_support::create(DEPLOYMENT);
    s.seek(15 * SECOND);
    // The sync that started at 10 s is still creating: its status is the one before.
    let rs = kubectl(&mut s, "get rs");
    let current = rs.lines().nth(1).and_then(|l| l.split_whitespace().nth(2)).unwrap_or_default().to_string();
    assert_eq!(current, "3", "{rs}");
    s.seek(30 * SECOND);
    let rs = kubectl(&mut s, "get rs");
    assert!(rs.lines().nth(1).is_some_and(|l| l.split_whitespace().nth(2) == Some("203")), "{rs}");
}

#[test]
fn a_job_of_a_hundred_pods_creates_thirty_then_twenty_a_second() {
    let mut s = e2e_support::create(JOB);
    s.seek(60 * SECOND);
    let per_second = created_per_second(&mut s);
    let counts: Vec<usize> = per_second.values().copied().collect();
    // The bucket's 30 at once, 19 more in that second, 20 in each of the next two, the last 11
    // by 3.5 s.
    assert_eq!(counts, vec![30 + 19, 20, 20, 11], "{per_second:?}");
}

#[test]
fn a_job_writes_its_status_when_its_creates_are_done() {
    let mut s = e2e_support::create(JOB);
    let statuses = |s: &mut Session| {
        let describe = kubectl(s, "describe job batch");
        describe.lines().find(|l| l.starts_with("Pods Statuses:")).unwrap_or_default().to_string()
    };
    s.seek(3 * SECOND);
    assert!(statuses(&mut s).contains(" 0 Active "), "the first sync is still creating: {}", statuses(&mut s));
    s.seek(4 * SECOND);
    assert!(statuses(&mut s).contains(" 100 Active "), "{}", statuses(&mut s));
}

/// `n` objects of ten pods each (`object(i)`), created at once, on nodes enough for them all.
fn cluster_of(n: usize, object: impl Fn(usize) -> String) -> String {
    let mut yaml = String::new();
    for i in 0..n.div_ceil(10) {
        yaml.push_str(&format!("---\napiVersion: v1\nkind: Node\nmetadata: {{name: node-{i}}}\n"));
    }
    for i in 0..n {
        yaml.push_str(&object(i));
    }
    yaml
}

fn replica_set(i: usize) -> String {
    format!(
        "---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {{name: rs-{i}}}
spec:
  replicas: 10
  selector: {{matchLabels: {{app: rs-{i}}}}}
  template:
    metadata: {{labels: {{app: rs-{i}}}}}
    spec:
      containers:
      - {{name: c, image: busybox:1.36, command: [sleep, '3600']}}
"
    )
}

fn job(i: usize) -> String {
    format!(
        "---
apiVersion: batch/v1
kind: Job
metadata: {{name: job-{i}}}
spec:
  completions: 10
  parallelism: 10
  template:
    spec:
      restartPolicy: Never
      containers:
      - {{name: c, image: busybox:1.36, command: [sleep, '3600']}}
"
    )
}

/// The engine's tasks for `n` objects of ten pods each over two minutes, once every pod is
/// created and `done` holds of `status` (the output of `get KIND`).
fn work(n: usize, object: fn(usize) -> String, kind: &str, done: fn(&str) -> bool) -> u64 {
    let mut s = e2e_support::create(&cluster_of(n, object));
    s.seek(120 * SECOND);
    let pods = kubectl(&mut s, "get pods --no-headers").lines().count();
    assert_eq!(pods, 10 * n, "every pod created by 2 minutes");
    let status = kubectl(&mut s, &format!("get {kind} --no-headers"));
    assert!(status.lines().all(done), "every status written: {status}");
    s.engine().tasks_run()
}

/// Many syncs waiting for the client at once each reserve the token of their next request, as
/// `rate.Limiter.Wait` does, and wake when it comes: the work grows with the requests. (Each
/// waiting sync polled the bucket when a token came, and all but one waited again: 1,000
/// ReplicaSets rolling out at once stopped at the engine's limit of tasks.)
#[test]
fn many_replica_sets_waiting_for_the_client_cost_what_their_requests_do() {
    let ready = |l: &str| l.split_whitespace().nth(2) == Some("10");
    let (small, large) = (work(50, replica_set, "rs", ready), work(100, replica_set, "rs", ready));
    assert!(large < small * 5 / 2, "{small} tasks for 500 pods, {large} for 1,000");
}

#[test]
fn many_jobs_waiting_for_the_client_cost_what_their_requests_do() {
    let running = |l: &str| l.split_whitespace().nth(1) == Some("Running");
    let (small, large) = (work(50, job, "jobs", running), work(100, job, "jobs", running));
    assert!(large < small * 5 / 2, "{small} tasks for 500 pods, {large} for 1,000");
}
