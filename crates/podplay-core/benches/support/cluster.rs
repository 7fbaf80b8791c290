/// The benchmark's cluster: `nodes` nodes holding nginx, `pods` nginx pods with a liveness and a
/// readiness httpGet probe every 10 s, one Service over them. (Included by podplay-session's `benches/engine.rs`
/// and `examples/alloc_count.rs`.)
fn large_cluster(nodes: usize, pods: usize) -> String {
    let mut y = String::new();
    for n in 0..nodes {
        y.push_str(&format!("apiVersion: v1\nkind: Node\nmetadata: {{name: node-{n}}}\nstatus:\n  allocatable: {{cpu: \"64\", memory: 256Gi, pods: \"200\"}}\n  images: [{{names: [\"nginx:1.27\"]}}]\n---\n"));
    }
    for p in 0..pods {
        y.push_str(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: web-{p}, labels: {{app: web}}}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports: [{{name: http, containerPort: 80}}]\n    livenessProbe: {{httpGet: {{port: http}}, periodSeconds: 10}}\n    readinessProbe: {{httpGet: {{port: http}}, periodSeconds: 10}}\n---\n"
        ));
    }
    y.push_str("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n");
    y
}
