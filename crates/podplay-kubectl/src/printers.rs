//! The server-side table printers kubectl gets from the API server (`kubectl get`): a port of
//! kubernetes `pkg/printers/internalversion/printers.go` (`printPod`, `printService`,
//! `printEndpoints`, `printNode`, `printEvent`), rendered through cli-runtime's tabwriter.

use std::collections::BTreeMap;

use podplay_core::clock::Millis;
use podplay_core::model::{Endpoints, Event, Node, Pod, Service};
use podplay_core::version::Release;
use podplay_k8s_util::duration::human_duration;
use podplay_k8s_util::tabwriter::TabWriter;

/// metav1.Time keeps whole seconds: floor before computing an age (kubelet.md §1.1).
pub fn floor_second(t: Millis) -> Millis {
    t - t % 1000
}

/// `translateTimestampSince` for a metav1.Time (whole seconds).
pub fn age_since(now: Millis, t: Millis) -> String {
    human_duration(now as i64 - floor_second(t) as i64)
}

/// `translateMicroTimestampSince` for a metav1.MicroTime (sub-second precision kept; the model
/// holds milliseconds, which is within the microsecond value).
pub fn age_since_micro(now: Millis, t: Millis) -> String {
    human_duration(now as i64 - t as i64)
}

/// One `kubectl get pods` row: the cells printPod produces, before the table is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRow {
    pub name: String,
    pub ready: String,
    pub status: String,
    pub restarts: String,
    pub age: String,
    /// `-o wide` cells: IP, NODE, NOMINATED NODE, READINESS GATES.
    pub ip: String,
    pub node: String,
    pub nominated_node: String,
    pub readiness_gates: String,
}

/// printPod (printers.go). `release` picks the behaviours that changed between versions.
pub fn print_pod(pod: &Pod, now: Millis, release: &Release) -> PodRow {
    let status = &pod.status;
    let mut restarts: i64 = 0;
    let mut restartable_init_restarts: i64 = 0;
    let mut total_containers = pod.spec.containers.len();
    let mut ready_containers = 0;
    let mut last_restart_date: Option<Millis> = None;
    let mut last_restartable_init_restart_date: Option<Millis> = None;

    let mut reason = status.phase.clone();
    if let Some(r) = status.reason.as_deref().filter(|r| !r.is_empty()) {
        reason = r.to_string();
    }

    // If the Pod carries {type:PodScheduled, reason:SchedulingGated}, use it as the reason.
    for condition in &status.conditions {
        if condition.kind == "PodScheduled" && condition.reason.as_deref() == Some("SchedulingGated") {
            reason = "SchedulingGated".to_string();
        }
    }

    let sidecars: std::collections::BTreeSet<&str> =
        podplay_k8s_util::sort::btree_set(pod.spec.init_containers.iter().filter(|c| c.is_sidecar()).map(|c| c.name.as_str()));
    total_containers += sidecars.len();

    let later = |a: Option<Millis>, b: Option<Millis>| -> Option<Millis> {
        match (a, b) {
            (Some(x), Some(y)) => Some(if floor_second(y) > floor_second(x) { y } else { x }),
            (x, None) => x,
            (None, y) => y,
        }
    };

    let mut initializing = false;
    let init_count = pod.spec.init_containers.len();
    for (i, container) in status.init_container_statuses.iter().enumerate() {
        restarts += i64::from(container.restart_count);
        let finished = container.last_state.terminated.as_ref().and_then(|t| t.finished_at);
        if finished.is_some() {
            last_restart_date = later(last_restart_date, finished);
        }
        let is_sidecar = sidecars.contains(container.name.as_str());
        if is_sidecar {
            restartable_init_restarts += i64::from(container.restart_count);
            if finished.is_some() {
                last_restartable_init_restart_date = later(last_restartable_init_restart_date, finished);
            }
        }
        match (&container.state.terminated, &container.state.waiting) {
            (Some(t), _) if t.exit_code == 0 => continue,
            _ if is_sidecar && container.started == Some(true) => {
                if container.ready {
                    ready_containers += 1;
                }
                continue;
            }
            (Some(t), _) => {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => format!("Init:{r}"),
                    None => match t.signal.filter(|s| *s != 0) {
                        Some(s) => format!("Init:Signal:{s}"),
                        None => format!("Init:ExitCode:{}", t.exit_code),
                    },
                };
            }
            (None, Some(w)) if w.reason.as_deref().is_some_and(|r| !r.is_empty() && r != "PodInitializing") => {
                reason = format!("Init:{}", w.reason.as_deref().unwrap_or_default());
            }
            _ => reason = format!("Init:{i}/{init_count}"),
        }
        initializing = true;
        break;
    }

    let initialized = status.condition("Initialized").is_some_and(|c| c.status == "True");
    if !initializing || initialized {
        restarts = restartable_init_restarts;
        last_restart_date = last_restartable_init_restart_date;
        let mut has_running = false;
        for container in status.container_statuses.iter().rev() {
            restarts += i64::from(container.restart_count);
            if let Some(finished) = container.last_state.terminated.as_ref().and_then(|t| t.finished_at) {
                last_restart_date = later(last_restart_date, Some(finished));
            }
            if let Some(r) = container.state.waiting.as_ref().and_then(|w| w.reason.as_deref()).filter(|r| !r.is_empty()) {
                reason = r.to_string();
            } else if let Some(r) = container.state.terminated.as_ref().and_then(|t| t.reason.as_deref()).filter(|r| !r.is_empty()) {
                reason = r.to_string();
            } else if let Some(t) = &container.state.terminated {
                reason = match t.signal.filter(|s| *s != 0) {
                    Some(s) => format!("Signal:{s}"),
                    None => format!("ExitCode:{}", t.exit_code),
                };
            } else if container.ready && container.state.running.is_some() {
                has_running = true;
                ready_containers += 1;
            }
        }
        // Change pod status back to "Running" if there is at least one container still reporting as "Running".
        if reason == "Completed" && has_running {
            reason = if status.condition("Ready").is_some_and(|c| c.status == "True") { "Running" } else { "NotReady" }.to_string();
        }
    }

    if pod.metadata.deletion.is_some() && status.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".to_string();
    } else if pod.metadata.deletion.is_some()
        && (!release.terminating_needs_live_phase || (status.phase != "Failed" && status.phase != "Succeeded"))
    {
        reason = "Terminating".to_string();
    }

    let mut restarts_str = restarts.to_string();
    if let Some(date) = last_restart_date {
        if restarts != 0 || !release.restarts_suffix_needs_restarts {
            restarts_str = format!("{restarts} ({} ago)", age_since(now, date));
        }
    }

    let ip = status.pod_ip.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "<none>".into());
    let node = pod.spec.node_name.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "<none>".into());
    let readiness_gates = if pod.spec.readiness_gates.is_empty() {
        "<none>".to_string()
    } else {
        let true_gates = pod
            .spec
            .readiness_gates
            .iter()
            .filter(|g| status.conditions.iter().any(|c| c.kind == g.condition_type && c.status == "True"))
            .count();
        format!("{true_gates}/{}", pod.spec.readiness_gates.len())
    };

    PodRow {
        name: pod.metadata.name.clone(),
        ready: format!("{ready_containers}/{total_containers}"),
        status: reason,
        restarts: restarts_str,
        age: age_since(now, pod.metadata.creation),
        ip,
        node,
        nominated_node: "<none>".into(),
        readiness_gates,
    }
}

/// Lays out a table as `kubectl get` does: header cells uppercased, tab-separated, through
/// liggitt/tabwriter (cli-runtime `printers/tablegenerator` + `tabwriter.go`).
fn render_lines(header: Option<String>, rows: impl Iterator<Item = String>) -> String {
    let mut w = TabWriter::kubectl_get();
    if let Some(h) = header {
        w.write_str(&h);
        w.write_str("\n");
    }
    for row in rows {
        w.write_str(&row);
        w.write_str("\n");
    }
    w.flush()
}

/// What `kubectl get` adds to a table or leaves out of it (cli-runtime `PrintOptions`,
/// `decorateTable`): a column per `-L` label (headed by the label's last path segment,
/// uppercased; empty when the object lacks it), then LABELS for `--show-labels`
/// (`labels.FormatLabels`), and no header line for `--no-headers`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOptions {
    pub label_columns: Vec<String>,
    pub show_labels: bool,
    pub no_headers: bool,
    /// `kind/` before each name (the NAME column), when one `get` prints several kinds.
    pub kind_prefix: Option<&'static str>,
}

impl TableOptions {
    /// The headers after the kind's own.
    pub fn extra_headers(&self) -> Vec<String> {
        let mut out: Vec<String> = self.label_columns.iter().map(|l| l.rsplit('/').next().unwrap_or(l).to_uppercase()).collect();
        if self.show_labels {
            out.push("LABELS".into());
        }
        out
    }

    /// The cells after the object's own.
    pub fn extra_cells(&self, labels: &BTreeMap<String, String>) -> Vec<String> {
        let mut out: Vec<String> = self.label_columns.iter().map(|l| labels.get(l).cloned().unwrap_or_default()).collect();
        if self.show_labels {
            out.push(format_selector(labels));
        }
        out
    }

    /// A table of the kind's `headers` and `rows`, row `i` being of an object labelled `labels[i]`.
    pub fn render(&self, headers: &[&str], rows: Vec<Vec<String>>, labels: &[&BTreeMap<String, String>]) -> String {
        debug_assert_eq!(rows.len(), labels.len(), "a label set per row");
        let extra = self.extra_headers();
        let header =
            (!self.no_headers).then(|| headers.iter().copied().chain(extra.iter().map(String::as_str)).collect::<Vec<_>>().join("\t"));
        let name_column = headers.iter().position(|h| *h == "NAME").filter(|_| self.kind_prefix.is_some());
        let rows = rows.into_iter().zip(labels.iter()).map(|(mut cells, l)| {
            if let (Some(i), Some(kind)) = (name_column, self.kind_prefix) {
                cells[i] = format!("{kind}/{}", cells[i]);
            }
            cells.extend(self.extra_cells(l));
            cells.join("\t")
        });
        render_lines(header, rows)
    }
}

/// `kubectl get pods` as a table; `namespace_column` is `-A`.
pub fn pods_table(pods: &[&Pod], now: Millis, release: &Release, wide: bool, namespace_column: bool, opts: &TableOptions) -> String {
    let mut headers = vec![];
    if namespace_column {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    if wide {
        headers.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    }
    let rows: Vec<Vec<String>> = pods
        .iter()
        .map(|pod| {
            let r = print_pod(pod, now, release);
            let mut cells = vec![];
            if namespace_column {
                cells.push(pod.metadata.namespace().to_string());
            }
            cells.extend([r.name, r.ready, r.status, r.restarts, r.age]);
            if wide {
                cells.extend([r.ip, r.node, r.nominated_node, r.readiness_gates]);
            }
            cells
        })
        .collect();
    let labels: Vec<_> = pods.iter().map(|p| &p.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

/// printEvent (printers.go): LAST SEEN, TYPE, REASON, OBJECT, MESSAGE.
pub fn event_cells(e: &Event, now: Millis) -> Vec<String> {
    let first = match e.first_timestamp {
        Some(t) => age_since(now, t),
        None => e.event_time.map_or("<unknown>".to_string(), |t| age_since_micro(now, t)),
    };
    let mut last = match e.last_timestamp {
        Some(t) => age_since(now, t),
        None => first.clone(),
    };
    if let Some(series) = &e.series {
        last = age_since_micro(now, series.last_observed_time);
    }
    let target = if e.involved_object.name.is_empty() {
        e.involved_object.kind.to_lowercase()
    } else {
        format!("{}/{}", e.involved_object.kind.to_lowercase(), e.involved_object.name)
    };
    vec![last, e.kind.clone(), e.reason.clone(), target, e.message.trim().to_string()]
}

/// `kubectl get events`: rows in the order given (the API lists them by namespace, then name —
/// the name embeds the creation time in hex, `tools/record/util` GenerateEventName — unless
/// `--sort-by` reordered them). `-o wide` adds
/// printEvent's priority-1 columns: SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME.
pub fn events_table(sorted: &[&Event], now: Millis, wide: bool, namespace_column: bool, opts: &TableOptions) -> String {
    let mut headers = vec![];
    if namespace_column {
        headers.push("NAMESPACE");
    }
    if wide {
        headers.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]);
    } else {
        headers.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    }
    let rows: Vec<Vec<String>> = sorted
        .iter()
        .map(|e| {
            let mut cells = vec![];
            if namespace_column {
                cells.push(e.namespace.clone());
            }
            if wide {
                cells.extend(event_cells_wide(e, now));
            } else {
                cells.extend(event_cells(e, now));
            }
            cells
        })
        .collect();
    // The simulation's events carry no labels.
    let none = BTreeMap::new();
    opts.render(&headers, rows, &vec![&none; sorted.len()])
}

/// printEvent with `options.Wide`: LAST SEEN, TYPE, REASON, OBJECT, SUBOBJECT (the field path),
/// SOURCE (formatEventSource: component or reportingController, then `, ` and host or
/// reportingInstance when there is one), MESSAGE, FIRST SEEN, COUNT (series count for
/// events.k8s.io events, 1 for a singleton), NAME.
pub fn event_cells_wide(e: &Event, now: Millis) -> Vec<String> {
    let narrow = event_cells(e, now);
    let first = match e.first_timestamp {
        Some(t) => age_since(now, t),
        None => e.event_time.map_or("<unknown>".to_string(), |t| age_since_micro(now, t)),
    };
    let count = match &e.series {
        Some(series) => series.count,
        None if e.count == 0 => 1,
        None => e.count,
    };
    let non_empty = |a: &str, b: &str| if a.is_empty() { b.to_string() } else { a.to_string() };
    let component = non_empty(&e.source_component, &e.reporting_controller);
    let instance = non_empty(&e.source_host, &e.reporting_instance);
    let source = if instance.is_empty() { component } else { format!("{component}, {instance}") };
    let [last, kind, reason, target, message]: [String; 5] = narrow.try_into().expect("five narrow cells");
    vec![
        last,
        kind,
        reason,
        target,
        e.involved_object.field_path.clone().unwrap_or_default(),
        source,
        message,
        first,
        count.to_string(),
        e.name.clone(),
    ]
}

/// printService (printers.go): NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE [SELECTOR].
pub fn services_table(services: &[&Service], now: Millis, wide: bool, namespace_column: bool, opts: &TableOptions) -> String {
    let mut headers = vec![];
    if namespace_column {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    if wide {
        headers.push("SELECTOR");
    }
    let rows: Vec<Vec<String>> = services
        .iter()
        .map(|s| {
            let kind = s.spec.kind.clone().unwrap_or_else(|| "ClusterIP".into());
            let internal_ip = match s.spec.cluster_ip.as_deref() {
                None | Some("") => "<none>".to_string(),
                Some(ip) => ip.to_string(),
            };
            // getServiceExternalIP: ClusterIP services have none; NodePort too unless externalIPs.
            let external_ip = match kind.as_str() {
                "LoadBalancer" => "<pending>".to_string(),
                "ExternalName" => "<none>".to_string(),
                _ => "<none>".to_string(),
            };
            let ports = if s.spec.ports.is_empty() {
                "<none>".to_string()
            } else {
                s.spec
                    .ports
                    .iter()
                    .map(|p| {
                        let proto = p.protocol.as_deref().unwrap_or("TCP");
                        match p.node_port.filter(|n| *n > 0) {
                            Some(np) => format!("{}:{}/{}", p.port, np, proto),
                            None => format!("{}/{}", p.port, proto),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let mut cells = vec![];
            if namespace_column {
                cells.push(s.metadata.namespace().to_string());
            }
            cells.extend([s.metadata.name.clone(), kind, internal_ip, external_ip, ports, age_since(now, s.metadata.creation)]);
            if wide {
                cells.push(format_selector(&s.spec.selector));
            }
            cells
        })
        .collect();
    let labels: Vec<_> = services.iter().map(|s| &s.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

/// `labels.FormatLabels` / `SelectorFromSet(...).String()`: sorted `k=v` joined by commas.
pub fn format_selector(selector: &BTreeMap<String, String>) -> String {
    if selector.is_empty() {
        return "<none>".into();
    }
    selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// formatEndpoints (printers.go) with max 3 addresses then `+ N more...`.
/// formatEndpoints: `<none>` only for an object without subsets; a subset holding only
/// not-ready addresses prints an empty cell.
pub fn format_endpoints(ep: &Endpoints) -> String {
    if ep.subsets.is_empty() {
        return "<none>".into();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut more = false;
    for subset in &ep.subsets {
        if subset.ports.is_empty() {
            for addr in &subset.addresses {
                if list.len() < MAX {
                    list.push(addr.ip.clone());
                } else {
                    more = true;
                }
                count += 1;
            }
        } else {
            for port in &subset.ports {
                for addr in &subset.addresses {
                    if list.len() < MAX {
                        list.push(format!("{}:{}", addr.ip, port.port));
                    } else {
                        more = true;
                    }
                    count += 1;
                }
            }
        }
    }
    let mut ret = list.join(",");
    if more {
        ret.push_str(&format!(" + {} more...", count - MAX));
    }
    ret
}

/// printEndpoints: NAME ENDPOINTS AGE.
pub fn endpoints_table(
    endpoints: &[&Endpoints],
    now: Millis,
    namespace_column: bool,
    labels: &[&BTreeMap<String, String>],
    opts: &TableOptions,
) -> String {
    let mut headers = vec![];
    if namespace_column {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "ENDPOINTS", "AGE"]);
    let rows: Vec<Vec<String>> = endpoints
        .iter()
        .map(|e| {
            let mut cells = vec![];
            if namespace_column {
                cells.push(e.namespace.clone());
            }
            cells.extend([e.name.clone(), format_endpoints(e), age_since(now, e.creation)]);
            cells
        })
        .collect();
    opts.render(&headers, rows, labels)
}

/// The node's status as printNode computes it: `Ready`/`NotReady`/`Unknown`, then
/// `SchedulingDisabled` appended when cordoned.
pub fn node_status(node: &Node) -> String {
    let mut status: Vec<String> = Vec::new();
    match node.conditions.iter().find(|c| c.kind == "Ready") {
        Some(c) if c.status == "True" => status.push("Ready".into()),
        Some(_) => status.push("NotReady".into()),
        None => {}
    }
    if status.is_empty() {
        status.push("Unknown".into());
    }
    if node.spec.unschedulable == Some(true) {
        status.push("SchedulingDisabled".into());
    }
    status.join(",")
}

/// findNodeRoles: labels `node-role.kubernetes.io/ROLE` and `kubernetes.io/role`.
pub fn node_roles(node: &Node) -> String {
    let mut roles: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (k, v) in &node.metadata.labels {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v.clone());
        }
    }
    if roles.is_empty() {
        "<none>".into()
    } else {
        roles.into_iter().collect::<Vec<_>>().join(",")
    }
}

/// printNode: NAME STATUS ROLES AGE VERSION (+ wide INTERNAL-IP EXTERNAL-IP).
/// printNode: NAME, STATUS, ROLES, AGE, VERSION (`status.nodeInfo.kubeletVersion`); `-o wide`
/// adds INTERNAL-IP, EXTERNAL-IP (`<none>` when absent), OS-IMAGE, KERNEL-VERSION and
/// CONTAINER-RUNTIME (`<unknown>` when the kubelet reported none).
pub fn nodes_table(nodes: &[&podplay_core::engine::NodeRecord], now: Millis, wide: bool, opts: &TableOptions) -> String {
    let mut headers = vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
    if wide {
        headers.extend(["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]);
    }
    let or = |s: &str, fallback: &str| if s.is_empty() { fallback.to_string() } else { s.to_string() };
    let rows: Vec<Vec<String>> = nodes
        .iter()
        .map(|r| {
            let n = &r.node;
            let mut cells = vec![
                n.metadata.name.clone(),
                node_status(n),
                node_roles(n),
                age_since(now, n.metadata.creation),
                r.info.kubelet_version.clone(),
            ];
            if wide {
                cells.push(or(&r.internal_ip, "<none>"));
                cells.push("<none>".into());
                cells.push(or(&r.info.os_image, "<unknown>"));
                cells.push(or(&r.info.kernel_version, "<unknown>"));
                cells.push(or(&r.info.container_runtime_version, "<unknown>"));
            }
            cells
        })
        .collect();
    let labels: Vec<_> = nodes.iter().map(|r| &r.node.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}
