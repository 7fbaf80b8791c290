/// The kinds of probe the benchmark's clusters use (the performance issue's three columns).
#[derive(Clone, Copy, Debug, PartialEq)]
#[allow(dead_code)]
enum ProbeKind {
    /// A liveness and a readiness httpGet probe every 10 s (the first benchmark's cluster).
    HttpGetPair,
    /// One readiness probe every 10 s of each handler.
    HttpGet,
    TcpSocket,
    Exec,
}

#[allow(dead_code)]
impl ProbeKind {
    fn parse(s: &str) -> Option<ProbeKind> {
        Some(match s {
            "pair" => ProbeKind::HttpGetPair,
            "httpGet" => ProbeKind::HttpGet,
            "tcpSocket" => ProbeKind::TcpSocket,
            "exec" => ProbeKind::Exec,
            _ => return None,
        })
    }

    fn label(self) -> &'static str {
        match self {
            ProbeKind::HttpGetPair => "2 httpGet probes each",
            ProbeKind::HttpGet => "1 httpGet probe each",
            ProbeKind::TcpSocket => "1 tcpSocket probe each",
            ProbeKind::Exec => "1 exec probe each",
        }
    }

    fn probes(self) -> &'static str {
        match self {
            ProbeKind::HttpGetPair => "    livenessProbe: {httpGet: {port: http}, periodSeconds: 10}\n    readinessProbe: {httpGet: {port: http}, periodSeconds: 10}\n",
            ProbeKind::HttpGet => "    readinessProbe: {httpGet: {port: http}, periodSeconds: 10}\n",
            ProbeKind::TcpSocket => "    readinessProbe: {tcpSocket: {port: http}, periodSeconds: 10}\n",
            ProbeKind::Exec => "    readinessProbe: {exec: {command: [cat, /usr/share/nginx/html/index.html]}, periodSeconds: 10}\n",
        }
    }
}

/// The benchmark's cluster: `nodes` nodes holding nginx, `pods` nginx pods with a liveness and a
/// readiness httpGet probe every 10 s, one Service over them. (Included by podplay-session's
/// `benches/engine.rs` and `examples/alloc_count.rs`.)
#[allow(dead_code)]
fn large_cluster(nodes: usize, pods: usize) -> String {
    probed_cluster(nodes, pods, ProbeKind::HttpGetPair)
}

/// `nodes` nodes holding nginx, `pods` nginx pods probed as `kind` says, one Service over them.
fn probed_cluster(nodes: usize, pods: usize, kind: ProbeKind) -> String {
    let mut y = String::new();
    for n in 0..nodes {
        y.push_str(&format!("apiVersion: v1\nkind: Node\nmetadata: {{name: node-{n}}}\nstatus:\n  allocatable: {{cpu: \"64\", memory: 256Gi, pods: \"200\"}}\n  images: [{{names: [\"nginx:1.27\"]}}]\n---\n"));
    }
    for p in 0..pods {
        y.push_str(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: web-{p}, labels: {{app: web}}}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports: [{{name: http, containerPort: 80}}]\n{}---\n",
            kind.probes()
        ));
    }
    y.push_str("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n");
    y
}

/// `deployments` Deployments of ten nginx pods each (a readiness probe on each), rolled out
/// once at 2 minutes (`kubectl set image`, one step each), on nodes of 200 pods enough for the
/// rollout's surge: the workloads issue's "1,000 Deployments of 10 replicas each rolling out
/// once".
#[allow(dead_code)]
fn rollout_cluster(deployments: usize) -> String {
    let mut y = String::from("apiVersion: podplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: rollout}\nspec:\n  steps:\n");
    for d in 0..deployments {
        y.push_str(&format!("  - {{at: 2m, run: \"kubectl set image deployment/web-{d} web=nginx:1.27\"}}\n"));
    }
    // Ten pods each, three more each while it rolls out (maxSurge 25 %).
    for n in 0..(deployments * 13).div_ceil(200) {
        y.push_str(&format!("---\napiVersion: v1\nkind: Node\nmetadata: {{name: node-{n}}}\nstatus:\n  allocatable: {{cpu: \"64\", memory: 256Gi, pods: \"200\"}}\n  images: [{{names: [\"nginx:1.26\", \"nginx:1.27\"]}}]\n"));
    }
    for d in 0..deployments {
        y.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web-{d}}}\nspec:\n  replicas: 10\n  selector: {{matchLabels: {{app: web-{d}}}}}\n  template:\n    metadata: {{labels: {{app: web-{d}}}}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.26\n        ports: [{{name: http, containerPort: 80}}]\n        readinessProbe: {{httpGet: {{port: http}}, periodSeconds: 10}}\n"
        ));
    }
    y
}
