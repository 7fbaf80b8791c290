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
