//! `kubectl describe`: a port of kubernetes/kubectl `pkg/describe/describe.go` (`describePod`,
//! `describeContainers`, `describeVolumes`, `DescribeEvents`, `describeService`), written through
//! Go text/tabwriter (0, 8, 2, ' ', 0) as `tabbedString` does.

use podplay_core::clock::{Millis, EPOCH_UNIX_SECONDS};
use podplay_core::model::{Container, ContainerState, ContainerStatus, Event, ObjectMeta, Pod, Probe, Service, Toleration, Volume};
use podplay_core::version::Release;
use podplay_k8s_util::tabwriter::TabWriter;
use podplay_k8s_util::time::format_rfc1123z;
use serde_yaml::Value;
use std::collections::BTreeMap;

use crate::printers::{age_since, age_since_micro, format_selector};

/// describe.go's PrefixWriter over a tabwriter: `write(level, text)` prefixes two spaces per level.
/// `flush` mirrors `w.Flush()` (DescribeEvents aligns its table on its own).
pub struct PrefixWriter {
    /// `None`: the text as written, tabs and all (`describe.NewPrefixWriter` over a plain
    /// buffer, as `rollout history --revision` prints a template).
    tw: Option<TabWriter>,
    out: String,
    /// The formatted line [`write_fmt_at`](Self::write_fmt_at) is writing, reused.
    scratch: String,
}

impl PrefixWriter {
    pub fn new() -> Self {
        PrefixWriter { tw: Some(TabWriter::kubectl_describe()), out: String::new(), scratch: String::new() }
    }
    /// A writer with no tabwriter behind it: the tabs stay as they are.
    pub fn raw() -> Self {
        PrefixWriter { tw: None, out: String::new(), scratch: String::new() }
    }
    pub fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.push("  ");
        }
        self.push(text);
    }
    fn push(&mut self, text: &str) {
        match &mut self.tw {
            Some(tw) => tw.write_str(text),
            None => self.out.push_str(text),
        }
    }
    /// [`write`](Self::write) of formatted text, without a `String` per line.
    pub fn write_fmt_at(&mut self, level: usize, args: std::fmt::Arguments) {
        for _ in 0..level {
            self.push("  ");
        }
        match args.as_str() {
            Some(text) => self.push(text),
            None => {
                self.scratch.clear();
                let _ = std::fmt::Write::write_fmt(&mut self.scratch, args);
                match &mut self.tw {
                    Some(tw) => tw.write_str(&self.scratch),
                    None => self.out.push_str(&self.scratch),
                }
            }
        }
    }
    pub fn flush(&mut self) {
        if let Some(tw) = &mut self.tw {
            let text = tw.flush();
            // The first flush (most writers have one) hands over the text without a copy.
            if self.out.is_empty() {
                self.out = text;
            } else {
                self.out.push_str(&text);
            }
        }
    }
    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

impl Default for PrefixWriter {
    fn default() -> Self {
        Self::new()
    }
}

/// `Time.Format(time.RFC1123Z)` of a metav1.Time at virtual time `t`, kubectl's zone being UTC.
pub fn rfc1123z(t: Millis) -> String {
    format_rfc1123z(EPOCH_UNIX_SECONDS + (t / 1000) as i64)
}

/// Go's zero time.Time formatted: a terminated state without a start time prints this.
const ZERO_TIME_RFC1123Z: &str = "Mon, 01 Jan 0001 00:00:00 +0000";

fn rfc1123z_opt(t: Option<Millis>) -> String {
    t.map_or_else(|| ZERO_TIME_RFC1123Z.to_string(), rfc1123z)
}

/// printLabelsMultilineWithIndent(w, "", title, "\t", labels, none).
pub(crate) fn print_labels_multiline(w: &mut PrefixWriter, title: &str, labels: &BTreeMap<String, String>) {
    w.write_fmt_at(0, format_args!("{title}:\t"));
    if labels.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.write_fmt_at(0, format_args!("{k}={v}\n"));
    }
}

/// printAnnotationsMultiline: skips last-applied-configuration, long or multi-line values go on
/// their own lines, shortened to 138 characters plus `...` (maxAnnotationLen 140).
pub(crate) fn print_annotations_multiline(w: &mut PrefixWriter, title: &str, annotations: &BTreeMap<String, String>) {
    const MAX_ANNOTATION_LEN: usize = 140;
    w.write_fmt_at(0, format_args!("{title}:\t"));
    let keys: Vec<&String> = annotations.keys().filter(|k| *k != "kubectl.kubernetes.io/last-applied-configuration").collect();
    if keys.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    for (i, key) in keys.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let value = annotations[*key].strip_suffix('\n').unwrap_or(&annotations[*key]);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write_fmt_at(0, format_args!("{key}:\n"));
            for s in value.split('\n') {
                let short = if s.len() > MAX_ANNOTATION_LEN - 2 {
                    format!("{}...", &s[..floor_char_boundary(s, MAX_ANNOTATION_LEN - 2)])
                } else {
                    s.to_string()
                };
                w.write_fmt_at(0, format_args!("\t  {short}\n"));
            }
        } else {
            w.write_fmt_at(0, format_args!("{key}: {value}\n"));
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// printTolerationsMultilineWithIndent: sorted by key, `key[=value][:effect][ op=Exists][ for Ns]`.
pub(crate) fn print_tolerations_multiline(w: &mut PrefixWriter, title: &str, tolerations: &[Toleration]) {
    w.write_fmt_at(0, format_args!("{title}:\t"));
    if tolerations.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    podplay_k8s_util::sort::sort_by(&mut sorted, |a, b| a.key.as_deref().unwrap_or("").cmp(b.key.as_deref().unwrap_or("")));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let key = t.key.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        let mut line = key.to_string();
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            line.push_str(&format!(":{effect}"));
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                line.push_str(" op=Exists");
            } else {
                line.push_str("op=Exists");
            }
        }
        if let Some(s) = t.toleration_seconds {
            line.push_str(&format!(" for {s}s"));
        }
        line.push('\n');
        w.write(0, &line);
    }
}

/// DescribeProbe. `long_attrs` is kubectl 1.37's `successThreshold=`/`failureThreshold=`.
pub fn describe_probe(probe: &Probe, long_attrs: bool) -> String {
    let delay = probe.initial_delay_seconds();
    let timeout = probe.timeout_seconds.unwrap_or(0);
    let period = probe.period_seconds.unwrap_or(0);
    let success = probe.success_threshold.unwrap_or(0);
    let failure = probe.failure_threshold.unwrap_or(0);
    let attrs = if long_attrs {
        format!("delay={delay}s timeout={timeout}s period={period}s successThreshold={success} failureThreshold={failure}")
    } else {
        format!("delay={delay}s timeout={timeout}s period={period}s #success={success} #failure={failure}")
    };
    if let Some(exec) = &probe.exec {
        return format!("exec [{}] {attrs}", exec.command.join(" "));
    }
    if let Some(h) = &probe.http_get {
        let scheme = h.scheme.as_deref().unwrap_or("").to_lowercase();
        let port = h.port.to_string();
        let host = h.host.as_deref().unwrap_or("");
        // net.JoinHostPort brackets IPv6 literals.
        let host_port = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = h.path.as_deref().unwrap_or("");
        // url.URL.String adds the slash between a host and a relative path.
        let path = if !path.is_empty() && !path.starts_with('/') { format!("/{path}") } else { path.to_string() };
        let url = if scheme.is_empty() { format!("//{host_port}{path}") } else { format!("{scheme}://{host_port}{path}") };
        return format!("http-get {url} {attrs}");
    }
    if let Some(t) = &probe.tcp_socket {
        return format!("tcp-socket {}:{} {attrs}", t.host.as_deref().unwrap_or(""), t.port);
    }
    if let Some(g) = &probe.grpc {
        return format!("grpc <pod>:{} {} {attrs}", g.port, g.service.as_deref().unwrap_or(""));
    }
    format!("unknown {attrs}")
}

/// describeStatus.
fn describe_status(w: &mut PrefixWriter, state_name: &str, state: &ContainerState) {
    if let Some(r) = &state.running {
        w.write_fmt_at(2, format_args!("{state_name}:\tRunning\n"));
        w.write_fmt_at(3, format_args!("Started:\t{}\n", rfc1123z(r.started_at)));
    } else if let Some(wt) = &state.waiting {
        w.write_fmt_at(2, format_args!("{state_name}:\tWaiting\n"));
        if let Some(reason) = wt.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write_fmt_at(3, format_args!("Reason:\t{reason}\n"));
        }
    } else if let Some(t) = &state.terminated {
        w.write_fmt_at(2, format_args!("{state_name}:\tTerminated\n"));
        if let Some(reason) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write_fmt_at(3, format_args!("Reason:\t{reason}\n"));
        }
        if let Some(message) = t.message.as_deref().filter(|m| !m.is_empty()) {
            w.write_fmt_at(3, format_args!("Message:\t{message}\n"));
        }
        w.write_fmt_at(3, format_args!("Exit Code:\t{}\n", t.exit_code));
        if let Some(signal) = t.signal.filter(|s| *s > 0) {
            w.write_fmt_at(3, format_args!("Signal:\t{signal}\n"));
        }
        w.write_fmt_at(3, format_args!("Started:\t{}\n", rfc1123z_opt(t.started_at)));
        w.write_fmt_at(3, format_args!("Finished:\t{}\n", rfc1123z_opt(t.finished_at)));
    } else {
        w.write_fmt_at(2, format_args!("{state_name}:\tWaiting\n"));
    }
}

fn opaque_str<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn opaque_bool(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// fieldpath.ExtractFieldPathAsString for the paths the Downward API allows.
fn resolve_field_path(pod: &Pod, path: &str) -> String {
    let meta = &pod.metadata;
    match path {
        "metadata.name" => meta.name.clone(),
        "metadata.namespace" => meta.namespace().to_string(),
        "metadata.uid" => meta.uid.clone(),
        "spec.nodeName" => pod.spec.node_name.clone().unwrap_or_default(),
        "spec.serviceAccountName" => pod.spec.service_account_name.clone().unwrap_or_default(),
        "status.podIP" | "status.podIPs" => pod.status.pod_ip.clone().unwrap_or_default(),
        "status.hostIP" | "status.hostIPs" => pod.status.host_ip.clone().unwrap_or_default(),
        p => {
            let lookup = |prefix: &str, map: &BTreeMap<String, String>| {
                p.strip_prefix(prefix).and_then(|rest| rest.strip_suffix("']")).map(|key| map.get(key).cloned().unwrap_or_default())
            };
            lookup("metadata.labels['", &meta.labels).or_else(|| lookup("metadata.annotations['", &meta.annotations)).unwrap_or_default()
        }
    }
}

fn describe_env(w: &mut PrefixWriter, pod: &Pod, c: &Container) {
    w.write(2, if c.env.is_empty() { "Environment:\t<none>\n" } else { "Environment:\n" });
    for e in &c.env {
        let Some(from) = &e.value_from else {
            for (i, s) in e.value.as_deref().unwrap_or("").split('\n').enumerate() {
                if i == 0 {
                    w.write_fmt_at(3, format_args!("{}:\t{s}\n", e.name));
                } else {
                    w.write_fmt_at(3, format_args!("\t{s}\n"));
                }
            }
            continue;
        };
        if let Some(f) = &from.field_ref {
            let api = f.api_version.as_deref().unwrap_or("v1");
            w.write_fmt_at(3, format_args!("{}:\t{} ({api}:{})\n", e.name, resolve_field_path(pod, &f.field_path), f.field_path));
        } else if let Some(r) = &from.resource_field_ref {
            let resource = opaque_str(r, "resource");
            let (kind, name) = resource.split_once('.').unwrap_or(("", resource));
            let res = c.resources.as_ref();
            let q = res.and_then(|rr| if kind == "limits" { rr.limits.get(name) } else { rr.requests.get(name) });
            let value = match (q, name) {
                (Some(q), "cpu") => ((q.milli + 999) / 1000).to_string(),
                (Some(q), _) => q.value().to_string(),
                (None, _) => "0".to_string(),
            };
            let value = if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                "node allocatable".to_string()
            } else {
                value
            };
            w.write_fmt_at(3, format_args!("{}:\t{value} ({resource})\n", e.name));
        } else if let Some(s) = &from.secret_key_ref {
            w.write(
                3,
                &format!(
                    "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    e.name,
                    opaque_str(s, "key"),
                    opaque_str(s, "name"),
                    opaque_bool(s, "optional")
                ),
            );
        } else if let Some(m) = &from.config_map_key_ref {
            w.write(
                3,
                &format!(
                    "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    e.name,
                    opaque_str(m, "key"),
                    opaque_str(m, "name"),
                    opaque_bool(m, "optional")
                ),
            );
        }
    }
}

/// describeContainers for one list (`Init Containers` / `Containers`).
fn describe_containers(
    w: &mut PrefixWriter,
    pod: &Pod,
    label: &str,
    containers: &[Container],
    statuses: &[ContainerStatus],
    release: &Release,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write_fmt_at(0, format_args!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let status = statuses.iter().rev().find(|s| s.name == c.name);
        w.write_fmt_at(1, format_args!("{name_indent}{}:\n", c.name));
        if let Some(s) = status {
            w.write_fmt_at(2, format_args!("Container ID:\t{}\n", s.container_id.as_deref().unwrap_or("")));
        }
        w.write_fmt_at(2, format_args!("Image:\t{}\n", c.image));
        if let Some(s) = status {
            w.write_fmt_at(2, format_args!("Image ID:\t{}\n", s.image_id));
        }
        let proto = |p: &podplay_core::model::ContainerPort| p.protocol.clone().unwrap_or_default();
        let fmt_ports = |port_of: &dyn Fn(&podplay_core::model::ContainerPort) -> i32| -> String {
            c.ports
                .iter()
                .map(|p| {
                    let s = format!("{}/{}", port_of(p), proto(p));
                    match p.name.as_deref().filter(|n| !n.is_empty()) {
                        Some(n) => format!("{s} ({n})"),
                        None => s,
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let ports = fmt_ports(&|p| p.container_port);
        let host_ports = fmt_ports(&|p| p.host_port.unwrap_or(0));
        let or_none = |s: &str| if s.is_empty() { "<none>".to_string() } else { s.to_string() };
        if ports.contains(',') {
            w.write_fmt_at(2, format_args!("Ports:\t{ports}\n"));
        } else {
            w.write_fmt_at(2, format_args!("Port:\t{}\n", or_none(&ports)));
        }
        if host_ports.contains(',') {
            w.write_fmt_at(2, format_args!("Host Ports:\t{host_ports}\n"));
        } else {
            w.write_fmt_at(2, format_args!("Host Port:\t{}\n", or_none(&host_ports)));
        }
        for (title, items) in [("Command", &c.command), ("Args", &c.args)] {
            if let Some(items) = items.as_ref().filter(|v| !v.is_empty()) {
                w.write_fmt_at(2, format_args!("{title}:\n"));
                for item in items {
                    for s in item.split('\n') {
                        w.write_fmt_at(3, format_args!("{s}\n"));
                    }
                }
            }
        }
        if let Some(s) = status {
            describe_status(w, "State", &s.state);
            if s.last_state.terminated.is_some() {
                describe_status(w, "Last State", &s.last_state);
            }
            w.write_fmt_at(2, format_args!("Ready:\t{}\n", if s.ready { "True" } else { "False" }));
            w.write_fmt_at(2, format_args!("Restart Count:\t{}\n", s.restart_count));
        }
        if let Some(r) = &c.resources {
            for (title, list) in [("Limits", &r.limits), ("Requests", &r.requests)] {
                if !list.is_empty() {
                    w.write_fmt_at(2, format_args!("{title}:\n"));
                }
                for (name, q) in list {
                    w.write_fmt_at(3, format_args!("{name}:\t{q}\n"));
                }
            }
        }
        for (title, probe) in [("Liveness", &c.liveness_probe), ("Readiness", &c.readiness_probe), ("Startup", &c.startup_probe)] {
            if let Some(p) = probe {
                w.write_fmt_at(2, format_args!("{title}:\t{}\n", describe_probe(p, release.probe_attrs_long)));
            }
        }
        describe_env(w, pod, c);
        w.write(2, if c.volume_mounts.is_empty() { "Mounts:\t<none>\n" } else { "Mounts:\n" });
        let mut mounts: Vec<_> = c.volume_mounts.iter().collect();
        podplay_k8s_util::sort::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
        for m in mounts {
            let mut flags = vec![if m.read_only == Some(true) { "ro".to_string() } else { "rw".to_string() }];
            if let Some(sub) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                flags.push(format!("path={sub:?}"));
            }
            w.write_fmt_at(3, format_args!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
        }
    }
}

/// The containers and volumes of a pod template (`DescribePodTemplate`: indented by two
/// spaces, no statuses; the template `pod` carries only metadata and spec).
pub(crate) fn describe_template_containers(w: &mut PrefixWriter, pod: &Pod, release: &Release) {
    let spec = &pod.spec;
    if !spec.init_containers.is_empty() {
        describe_containers(w, pod, "Init Containers", &spec.init_containers, &[], release, "  ");
    }
    describe_containers(w, pod, "Containers", &spec.containers, &[], release, "  ");
    describe_volumes(w, &spec.volumes, release, "  ");
}

/// printProjectedVolumeSource; the engine's service-account volume stands for kube-apiserver's
/// `kube-api-access-*` sources: token (3607 s), `kube-root-ca.crt`, downward API namespace.
fn describe_projected(w: &mut PrefixWriter, projected: &Value, release: &Release) {
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
    let service_account = projected.get(podplay_core_sa_mark()).is_some();
    // The sources are the same for every pod: read once, not per pod described.
    static SERVICE_ACCOUNT_SOURCES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    let sources: &[Value] = if service_account {
        SERVICE_ACCOUNT_SOURCES.get_or_init(|| {
            serde_yaml::from_str::<Vec<Value>>(
                "- serviceAccountToken: {expirationSeconds: 3607, path: token}\n- configMap: {name: kube-root-ca.crt}\n- downwardAPI: {}\n",
            )
            .unwrap_or_default()
        })
    } else {
        projected.get("sources").and_then(Value::as_sequence).map(Vec::as_slice).unwrap_or(&[])
    };
    for source in sources {
        if let Some(s) = source.get("secret") {
            if release.describe_configmap_optional_nil {
                // Go prints the *bool itself (`%v`): `<nil>` when unset, an address otherwise,
                // which cannot be reproduced; the value stands in for it.
                let opt = s.get("optional").and_then(Value::as_bool).map_or("<nil>".to_string(), |b| b.to_string());
                w.write_fmt_at(2, format_args!("SecretName:\t{}\n    SecretOptionalName:\t{opt}\n", opaque_str(s, "name")));
            } else {
                w.write_fmt_at(2, format_args!("SecretName:\t{}\n    Optional:\t{}\n", opaque_str(s, "name"), opaque_bool(s, "optional")));
            }
        } else if source.get("downwardAPI").is_some() {
            w.write(2, "DownwardAPI:\ttrue\n");
        } else if let Some(c) = source.get("configMap") {
            if release.describe_configmap_optional_nil {
                w.write_fmt_at(2, format_args!("ConfigMapName:\t{}\n    ConfigMapOptional:\t<nil>\n", opaque_str(c, "name")));
            } else {
                w.write_fmt_at(
                    2,
                    format_args!("ConfigMapName:\t{}\n    Optional:\t{}\n", opaque_str(c, "name"), opaque_bool(c, "optional")),
                );
            }
        } else if let Some(t) = source.get("serviceAccountToken") {
            let secs = t.get("expirationSeconds").and_then(Value::as_i64).unwrap_or(3600);
            w.write_fmt_at(2, format_args!("TokenExpirationSeconds:\t{secs}\n"));
        }
    }
}

fn podplay_core_sa_mark() -> &'static str {
    "podplayServiceAccountToken"
}

/// describeVolumes.
fn describe_volumes(w: &mut PrefixWriter, volumes: &[Volume], release: &Release, space: &str) {
    if volumes.is_empty() {
        w.write_fmt_at(0, format_args!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write_fmt_at(0, format_args!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w.write_fmt_at(1, format_args!("{name_indent}{}:\n", v.name));
        if let Some(h) = &v.host_path {
            let kind = h.get("type").and_then(Value::as_str).unwrap_or("<none>");
            w.write(
                2,
                &format!("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{kind}\n", opaque_str(h, "path")),
            );
        } else if let Some(e) = &v.empty_dir {
            let size = e.size_limit.as_ref().filter(|q| q.milli > 0).map_or("<unset>".to_string(), |q| q.to_string());
            w.write(
                2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                    e.medium.as_deref().unwrap_or("")
                ),
            );
        } else if let Some(s) = &v.secret {
            w.write(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    opaque_str(s, "secretName"),
                    opaque_bool(s, "optional")
                ),
            );
        } else if let Some(c) = &v.config_map {
            w.write(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    opaque_str(c, "name"),
                    opaque_bool(c, "optional")
                ),
            );
        } else if let Some(c) = &v.persistent_volume_claim {
            w.write(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    opaque_str(c, "claimName"),
                    opaque_bool(c, "readOnly")
                ),
            );
        } else if let Some(d) = &v.downward_api {
            w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
            for item in d.get("items").and_then(Value::as_sequence).map(Vec::as_slice).unwrap_or(&[]) {
                let path = opaque_str(item, "path");
                if let Some(f) = item.get("fieldRef") {
                    w.write_fmt_at(3, format_args!("{} -> {path}\n", opaque_str(f, "fieldPath")));
                }
                if let Some(r) = item.get("resourceFieldRef") {
                    w.write_fmt_at(3, format_args!("{} -> {path}\n", opaque_str(r, "resource")));
                }
            }
        } else if let Some(p) = &v.projected {
            describe_projected(w, p, release);
        } else if let Some(n) = &v.nfs {
            w.write(
                2,
                &format!(
                    "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    opaque_str(n, "server"),
                    opaque_str(n, "path"),
                    opaque_bool(n, "readOnly")
                ),
            );
        } else {
            w.write(1, "<unknown>\n");
        }
    }
}

/// The controller owner reference as `Kind/name` (printController).
pub(crate) fn controlled_by(meta: &ObjectMeta) -> Option<String> {
    controller_of(meta).map(|(kind, name)| format!("{kind}/{name}"))
}

/// `metav1.GetControllerOf`: the (kind, name) of the owner reference marked controller.
pub(crate) fn controller_of(meta: &ObjectMeta) -> Option<(String, String)> {
    let refs = meta.owner_references.as_ref()?.as_sequence()?;
    refs.iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .map(|r| (opaque_str(r, "kind").to_string(), opaque_str(r, "name").to_string()))
}

/// DescribeEvents. `events` are in the API's list order; they are sorted by lastTimestamp as
/// `sort.Sort(event.SortableEvents)` does (a stable insertion sort for up to 12 items).
pub fn describe_events(w: &mut PrefixWriter, events: &[&Event], now: Millis, release: &Release) {
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    let mut sorted: Vec<&Event> = events.to_vec();
    podplay_k8s_util::sort::sort_by_key(&mut sorted, |e| e.last_timestamp.map(crate::printers::floor_second));
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let first = match e.event_time {
            Some(t) => age_since_micro(now, t),
            None => e.first_timestamp.map_or("<unknown>".to_string(), |t| age_since(now, t)),
        };
        let interval = if let Some(series) = &e.series {
            format!("{} (x{} over {first})", age_since_micro(now, series.last_observed_time), series.count)
        } else if e.count > 1 {
            let last = e.last_timestamp.map_or("<unknown>".to_string(), |t| age_since(now, t));
            format!("{last} (x{} over {first})", e.count)
        } else {
            first
        };
        // Every release podplay plays (1.22+) prints the component alone (`kubelet, NODE` ended
        // with 1.19).
        let source = if e.source_component.is_empty() { &e.reporting_controller } else { &e.source_component };
        let message = e.message.trim();
        let field_path = e.involved_object.field_path.as_deref().filter(|f| release.describe_event_field_path && !f.is_empty());
        match field_path {
            Some(fp) => w.write_fmt_at(1, format_args!("{}\t{}\t{interval}\t{source}\t{fp}: {message}\n", e.kind, e.reason)),
            None => w.write_fmt_at(1, format_args!("{}\t{}\t{interval}\t{source}\t{message}\n", e.kind, e.reason)),
        }
    }
}

/// The events a describe fetches, grouped once by their involved object's namespace and name,
/// so that a describe of every pod reads each pod's own events, not all of them for each.
pub struct EventsByObject<'a> {
    /// Hashed, not ordered: each object's events are sorted by name when asked for.
    by_object: rustc_hash::FxHashMap<(&'a str, &'a str), Vec<&'a Event>>,
}

impl<'a> EventsByObject<'a> {
    pub fn new(events: &'a [Event]) -> Self {
        let mut by_object: rustc_hash::FxHashMap<(&str, &str), Vec<&Event>> = Default::default();
        for e in events {
            by_object.entry((e.involved_object.namespace.as_str(), e.involved_object.name.as_str())).or_default().push(e);
        }
        EventsByObject { by_object }
    }

    /// Events a describe of this object fetches: field selector on involvedObject name,
    /// namespace and uid (kind left blank), in the API's list order (namespace, name).
    pub fn events_of(&self, m: &podplay_core::model::ObjectMeta) -> Vec<&'a Event> {
        self.events_for(&m.name, m.namespace(), &m.uid)
    }

    /// [`events_of`](Self::events_of) by the object's name, namespace and uid.
    pub fn events_for(&self, name: &str, namespace: &str, uid: &str) -> Vec<&'a Event> {
        let Some(all) = self.by_object.get(&(namespace, name)) else { return Vec::new() };
        let mut out: Vec<&Event> = all.iter().copied().filter(|e| uid.is_empty() || e.involved_object.uid == uid).collect();
        podplay_k8s_util::sort::sort_by(&mut out, |a, b| a.name.cmp(&b.name));
        out
    }
}

/// describePod.
pub fn describe_pod(pod: &Pod, events: &[&Event], now: Millis, release: &Release) -> String {
    let mut w = PrefixWriter::new();
    let spec = &pod.spec;
    let status = &pod.status;
    w.write_fmt_at(0, format_args!("Name:\t{}\n", pod.metadata.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", pod.metadata.namespace()));
    if let Some(p) = spec.priority {
        w.write_fmt_at(0, format_args!("Priority:\t{p}\n"));
    }
    if let Some(p) = spec.priority_class_name.as_deref().filter(|s| !s.is_empty()) {
        w.write_fmt_at(0, format_args!("Priority Class Name:\t{p}\n"));
    }
    if let Some(r) = spec.runtime_class_name.as_deref().filter(|s| !s.is_empty()) {
        w.write_fmt_at(0, format_args!("Runtime Class Name:\t{r}\n"));
    }
    if let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        w.write_fmt_at(0, format_args!("Service Account:\t{sa}\n"));
    }
    match spec.node_name.as_deref().filter(|s| !s.is_empty()) {
        None => w.write(0, "Node:\t<none>\n"),
        Some(node) => w.write_fmt_at(0, format_args!("Node:\t{node}/{}\n", status.host_ip.as_deref().unwrap_or(""))),
    }
    if let Some(t) = status.start_time {
        w.write_fmt_at(0, format_args!("Start Time:\t{}\n", rfc1123z(t)));
    }
    print_labels_multiline(&mut w, "Labels", &pod.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &pod.metadata.annotations);
    let live = status.phase != "Failed" && status.phase != "Succeeded";
    match pod.metadata.deletion {
        Some(deletion) if live || !release.describe_terminating_needs_live_phase => {
            w.write_fmt_at(0, format_args!("Status:\tTerminating (lasts {})\n", age_since(now, deletion)));
            w.write_fmt_at(0, format_args!("Termination Grace Period:\t{}s\n", pod.metadata.deletion_grace_period_seconds.unwrap_or(0)));
        }
        _ => w.write_fmt_at(0, format_args!("Status:\t{}\n", status.phase)),
    }
    if let Some(r) = status.reason.as_deref().filter(|s| !s.is_empty()) {
        w.write_fmt_at(0, format_args!("Reason:\t{r}\n"));
    }
    if let Some(m) = status.message.as_deref().filter(|s| !s.is_empty()) {
        w.write_fmt_at(0, format_args!("Message:\t{m}\n"));
    }
    w.write_fmt_at(0, format_args!("IP:\t{}\n", status.pod_ip.as_deref().unwrap_or("")));
    match status.pod_ip.as_deref().filter(|s| !s.is_empty()) {
        None => w.write(0, "IPs:\t<none>\n"),
        Some(ip) => {
            w.write(0, "IPs:\n");
            w.write_fmt_at(1, format_args!("IP:\t{ip}\n"));
        }
    }
    if let Some(c) = controlled_by(&pod.metadata) {
        w.write_fmt_at(0, format_args!("Controlled By:\t{c}\n"));
    }
    if !spec.init_containers.is_empty() {
        describe_containers(&mut w, pod, "Init Containers", &spec.init_containers, &status.init_container_statuses, release, "");
    }
    describe_containers(&mut w, pod, "Containers", &spec.containers, &status.container_statuses, release, "");
    if !spec.readiness_gates.is_empty() {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in &spec.readiness_gates {
            let st = status.conditions.iter().find(|c| c.kind == g.condition_type).map_or("<none>".to_string(), |c| c.status.clone());
            w.write_fmt_at(1, format_args!("{} \t{st} \n", g.condition_type));
        }
    }
    if !status.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in &status.conditions {
            w.write_fmt_at(1, format_args!("{} \t{} \n", c.kind, c.status));
        }
    }
    describe_volumes(&mut w, &spec.volumes, release, "");
    // kubectl's qos.GetPodQOS: the status's class, else computed from the spec (a pod no kubelet
    // has synced yet, e.g. an unschedulable one).
    let qos = status.qos_class.clone().unwrap_or_else(|| podplay_core::engine::qos_class(spec));
    w.write_fmt_at(0, format_args!("QoS Class:\t{qos}\n"));
    print_labels_multiline(&mut w, "Node-Selectors", &spec.node_selector);
    print_tolerations_multiline(&mut w, "Tolerations", &spec.tolerations);
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// describeService (best effort: the fields podplay models).
pub fn describe_service(
    svc: &Service,
    endpoints: Option<&podplay_core::model::Endpoints>,
    events: &[&Event],
    now: Millis,
    release: &Release,
) -> String {
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", svc.metadata.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", svc.metadata.namespace()));
    print_labels_multiline(&mut w, "Labels", &svc.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &svc.metadata.annotations);
    w.write_fmt_at(0, format_args!("Selector:\t{}\n", format_selector(&svc.spec.selector)));
    w.write_fmt_at(0, format_args!("Type:\t{}\n", svc.spec.kind.as_deref().unwrap_or("ClusterIP")));
    w.write(0, "IP Family Policy:\tSingleStack\n");
    w.write(0, "IP Families:\tIPv4\n");
    let ip = svc.spec.cluster_ip.clone().unwrap_or_default();
    w.write_fmt_at(0, format_args!("IP:\t{ip}\n"));
    w.write_fmt_at(0, format_args!("IPs:\t{ip}\n"));
    for p in &svc.spec.ports {
        let name = p.name.as_deref().filter(|s| !s.is_empty()).unwrap_or("<unset>");
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        w.write_fmt_at(0, format_args!("Port:\t{name}\t{}/{proto}\n", p.port));
        let target = p.target_port.as_ref().map_or(p.port.to_string(), |t| t.to_string());
        w.write_fmt_at(0, format_args!("TargetPort:\t{target}/{proto}\n"));
        if let Some(np) = p.node_port.filter(|n| *n > 0) {
            w.write_fmt_at(0, format_args!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        let addrs: Vec<String> = endpoints
            .map(|e| {
                e.subsets
                    .iter()
                    .flat_map(|s| {
                        let port =
                            s.ports.iter().find(|ep| ep.name.as_deref().unwrap_or("") == p.name.as_deref().unwrap_or("")).map(|ep| ep.port);
                        s.addresses.iter().filter_map(move |a| port.map(|pt| format!("{}:{pt}", a.ip)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        w.write_fmt_at(0, format_args!("Endpoints:\t{}\n", addrs.join(",")));
    }
    w.write_fmt_at(0, format_args!("Session Affinity:\t{}\n", "None"));
    w.write(0, "Internal Traffic Policy:\tCluster\n");
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// describeNode (describe.go), with the Lease, the non-terminated pods of the node and its
/// allocated resources. `pods` are the pods bound to the node.
pub fn describe_node(rec: &podplay_core::engine::NodeRecord, pods: &[&Pod], events: &[&Event], now: Millis, release: &Release) -> String {
    let node = &rec.node;
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", node.metadata.name));
    let roles = crate::printers::node_roles(node);
    w.write_fmt_at(0, format_args!("Roles:\t{roles}\n"));
    print_labels_multiline(&mut w, "Labels", &node.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &node.metadata.annotations);
    w.write_fmt_at(0, format_args!("CreationTimestamp:\t{}\n", rfc1123z(node.metadata.creation)));
    // printNodeTaintsMultiline: sorted by effect then key; `key=value:effect` (no `=` when empty).
    w.write(0, "Taints:\t");
    let mut taints: Vec<&podplay_core::model::Taint> = node.spec.taints.iter().collect();
    podplay_k8s_util::sort::sort_by(&mut taints, |a, b| (a.effect.as_str(), a.key.as_str()).cmp(&(b.effect.as_str(), b.key.as_str())));
    if taints.is_empty() {
        w.write(0, "<none>\n");
    }
    for (i, t) in taints.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        match t.value.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => w.write_fmt_at(0, format_args!("{}={}:{}\n", t.key, v, t.effect)),
            None => w.write_fmt_at(0, format_args!("{}:{}\n", t.key, t.effect)),
        }
    }
    w.write_fmt_at(0, format_args!("Unschedulable:\t{}\n", node.spec.unschedulable == Some(true)));
    // The kubelet renews its Lease every 10 s while it can reach the API server.
    let renew = if rec.connected { now / 10_000 * 10_000 } else { rec.last_heartbeat };
    w.write(0, "Lease:\n");
    w.write_fmt_at(1, format_args!("HolderIdentity:\t{}\n", node.metadata.name));
    w.write(1, "AcquireTime:\t<unset>\n");
    w.write_fmt_at(1, format_args!("RenewTime:\t{}\n", rfc1123z(renew)));
    if !node.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in &node.conditions {
            w.write(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.kind,
                    c.status,
                    rfc1123z(c.last_heartbeat_time),
                    rfc1123z(c.last_transition_time),
                    c.reason,
                    c.message
                ),
            );
        }
    }
    w.write(0, "Addresses:\n");
    w.write_fmt_at(1, format_args!("InternalIP:\t{}\n", rec.internal_ip));
    w.write_fmt_at(1, format_args!("Hostname:\t{}\n", node.metadata.name));
    for (title, list) in [("Capacity", &node.status.capacity), ("Allocatable", &node.status.allocatable)] {
        if !list.is_empty() {
            w.write_fmt_at(0, format_args!("{title}:\n"));
            for (resource, q) in list {
                w.write_fmt_at(0, format_args!("  {resource}:\t{q}\n"));
            }
        }
    }
    let info = &rec.info;
    w.write(0, "System Info:\n");
    w.write_fmt_at(0, format_args!("  Machine ID:\t{}\n", info.machine_id));
    w.write_fmt_at(0, format_args!("  System UUID:\t{}\n", info.system_uuid));
    w.write_fmt_at(0, format_args!("  Boot ID:\t{}\n", info.boot_id));
    w.write_fmt_at(0, format_args!("  Kernel Version:\t{}\n", info.kernel_version));
    w.write_fmt_at(0, format_args!("  OS Image:\t{}\n", info.os_image));
    w.write(0, "  Operating System:\tlinux\n");
    w.write(0, "  Architecture:\tamd64\n");
    w.write_fmt_at(0, format_args!("  Container Runtime Version:\t{}\n", info.container_runtime_version));
    w.write_fmt_at(0, format_args!("  Kubelet Version:\t{}\n", info.kubelet_version));
    if let Some(cidr) = &node.spec.pod_cidr {
        w.write_fmt_at(0, format_args!("PodCIDR:\t{cidr}\n"));
        w.write_fmt_at(0, format_args!("PodCIDRs:\t{cidr}\n"));
    }
    // describeNodeResource
    let running: Vec<&&Pod> = pods.iter().filter(|p| p.status.phase != "Succeeded" && p.status.phase != "Failed").collect();
    w.write_fmt_at(0, format_args!("Non-terminated Pods:\t({} in total)\n", running.len()));
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    let alloc = |r: &str| node.status.allocatable.get(r).map_or(0, |q| q.milli);
    let percent = |used: i128, total: i128| if total == 0 { 0 } else { (used as f64 / total as f64 * 100.0) as i64 };
    let mut totals = [[0i128; 2]; 3];
    for pod in &running {
        let [cpu, memory, storage] = ["cpu", "memory", "ephemeral-storage"].map(|r| pod_resources(pod, r));
        for (i, v) in [cpu, memory, storage].iter().enumerate() {
            totals[i][0] += v[0];
            totals[i][1] += v[1];
        }
        w.write(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                pod.metadata.namespace(),
                pod.metadata.name,
                format_quantity(cpu[0], false),
                percent(cpu[0], alloc("cpu")),
                format_quantity(cpu[1], false),
                percent(cpu[1], alloc("cpu")),
                format_quantity(memory[0], true),
                percent(memory[0], alloc("memory")),
                format_quantity(memory[1], true),
                percent(memory[1], alloc("memory")),
                age_since(now, pod.metadata.creation)
            ),
        );
    }
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    for (i, resource) in ["cpu", "memory", "ephemeral-storage"].iter().enumerate() {
        let binary = i > 0;
        w.write(
            1,
            &format!(
                "{resource}\t{} ({}%)\t{} ({}%)\n",
                format_quantity(totals[i][0], binary),
                percent(totals[i][0], alloc(resource)),
                format_quantity(totals[i][1], binary),
                percent(totals[i][1], alloc(resource))
            ),
        );
    }
    for resource in node.status.allocatable.keys().filter(|k| k.starts_with("hugepages-")) {
        w.write_fmt_at(1, format_args!("{resource}\t0 (0%)\t0 (0%)\n"));
    }
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// A pod's (request, limit) of `resource` in milli-units, as resourcehelper.PodRequests /
/// PodLimits sum them: app containers added up, the largest init container if larger.
fn pod_resources(pod: &Pod, resource: &str) -> [i128; 2] {
    let get = |c: &Container, limits: bool| {
        c.resources
            .as_ref()
            .and_then(|r| {
                let primary = if limits { &r.limits } else { &r.requests };
                // A limit without a request defaults the request to the limit (API defaulting).
                primary.get(resource).or_else(|| if limits { None } else { r.limits.get(resource) })
            })
            .map_or(0, |q| q.milli)
    };
    let mut out = [0; 2];
    for (i, limits) in [false, true].into_iter().enumerate() {
        let app: i128 = pod.spec.containers.iter().map(|c| get(c, limits)).sum();
        let init = pod.spec.init_containers.iter().map(|c| get(c, limits)).max().unwrap_or(0);
        out[i] = app.max(init);
    }
    out
}

/// resource.Quantity's String for a sum: CPU in cores or `m`, memory in the largest binary unit
/// that divides it (`64Mi`), `0` for nothing.
fn format_quantity(milli: i128, binary: bool) -> String {
    if milli == 0 {
        return "0".into();
    }
    if !binary {
        return if milli % 1000 == 0 { (milli / 1000).to_string() } else { format!("{milli}m") };
    }
    let bytes = milli / 1000;
    for (suffix, unit) in [("Ti", 1i128 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if bytes % unit == 0 {
            return format!("{}{suffix}", bytes / unit);
        }
    }
    bytes.to_string()
}
