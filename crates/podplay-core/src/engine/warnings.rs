//! The API server's warnings for a pod or a pod template (pkg/api/pod/warnings.go
//! `warningsForPodSpecAndMeta`), which kubectl prints as `Warning: ...` after a create, apply or
//! replace the API server accepted. The object is still created: these are advice, in the
//! API server's words.

use crate::model::{ObjectMeta, PodSpec};
use crate::source::Object;

/// `nodeapi.GetNodeLabelDeprecatedMessage`.
fn deprecated_node_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "beta.kubernetes.io/arch" => r#"deprecated since v1.14; use "kubernetes.io/arch" instead"#,
        "beta.kubernetes.io/os" => r#"deprecated since v1.14; use "kubernetes.io/os" instead"#,
        "failure-domain.beta.kubernetes.io/region" => r#"deprecated since v1.17; use "topology.kubernetes.io/region" instead"#,
        "failure-domain.beta.kubernetes.io/zone" => r#"deprecated since v1.17; use "topology.kubernetes.io/zone" instead"#,
        "beta.kubernetes.io/instance-type" => r#"deprecated since v1.17; use "node.kubernetes.io/instance-type" instead"#,
        _ => return None,
    })
}

/// `deprecatedAnnotations`.
const DEPRECATED_ANNOTATIONS: [(&str, &str); 3] = [
    ("scheduler.alpha.kubernetes.io/critical-pod", r#"non-functional in v1.16+; use the "priorityClassName" field instead"#),
    ("security.alpha.kubernetes.io/sysctls", r#"non-functional in v1.11+; use the "sysctls" field instead"#),
    ("security.alpha.kubernetes.io/unsafe-sysctls", r#"non-functional in v1.11+; use the "sysctls" field instead"#),
];

/// The warnings for `object` (a pod, or a workload's pod template), in the order the API
/// server adds them; none for other kinds.
pub fn object_warnings(object: &Object) -> Vec<String> {
    match object {
        Object::Pod(p) => pod_warnings("", &p.spec, &p.metadata),
        Object::Deployment(d) => pod_warnings("spec.template.", &d.spec.template.spec, &d.spec.template.metadata),
        Object::ReplicaSet(r) => pod_warnings("spec.template.", &r.spec.template.spec, &r.spec.template.metadata),
        Object::StatefulSet(s) => pod_warnings("spec.template.", &s.spec.template.spec, &s.spec.template.metadata),
        Object::DaemonSet(d) => pod_warnings("spec.template.", &d.spec.template.spec, &d.spec.template.metadata),
        Object::Job(j) => pod_warnings("spec.template.", &j.spec.template.spec, &j.spec.template.metadata),
        Object::CronJob(c) => {
            let t = &c.spec.job_template.spec.template;
            pod_warnings("spec.jobTemplate.spec.template.", &t.spec, &t.metadata)
        }
        _ => Vec::new(),
    }
}

/// `warningsForPodSpecAndMeta` for the fields podplay keeps typed: deprecated node labels in
/// `nodeSelector`, deprecated annotations, fractional byte values of memory and
/// ephemeral-storage, and an `env` entry that hides an earlier one of its name.
fn pod_warnings(prefix: &str, spec: &PodSpec, meta: &ObjectMeta) -> Vec<String> {
    let mut out = Vec::new();
    for key in spec.node_selector.keys() {
        if let Some(msg) = deprecated_node_label(key) {
            out.push(format!("{prefix}spec.nodeSelector[{key}]: {msg}"));
        }
    }
    for (key, msg) in DEPRECATED_ANNOTATIONS {
        if meta.annotations.contains_key(key) {
            out.push(format!("{prefix}metadata.annotations[{key}]: {msg}"));
        }
    }
    let containers = spec.init_containers.iter().enumerate().map(|(i, c)| (format!("initContainers[{i}]"), c));
    let containers = containers.chain(spec.containers.iter().enumerate().map(|(i, c)| (format!("containers[{i}]"), c)));
    for (at, c) in containers {
        let at = format!("{prefix}spec.{at}");
        if let Some(r) = &c.resources {
            for resource in ["memory", "ephemeral-storage"] {
                for (list, values) in [("limits", &r.limits), ("requests", &r.requests)] {
                    if let Some(q) = values.get(resource).filter(|q| q.milli % 1000 != 0) {
                        let value = q.canonical();
                        out.push(format!(
                            "{at}.resources.{list}[{resource}]: fractional byte value {value:?} is invalid, must be an integer"
                        ));
                    }
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, var) in c.env.iter().enumerate() {
            if seen.insert(var.name.as_str()) {
                continue;
            }
            // A later definition of a name may build on the earlier one (`X=$(X)123`): only one
            // that replaces it outright is a warning.
            let reference = format!("$({})", var.name);
            let value = var.value.as_deref().unwrap_or("");
            if var.value_from.is_some() || value == reference || !value.contains(&reference) {
                out.push(format!("{at}.env[{i}]: hides previous definition of {:?}, which may be dropped when using apply", var.name));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After upstream's `TestWarnings` (pkg/api/pod/warnings_test.go): each warning podplay
    /// gives, in the order `warningsForPodSpecAndMeta` adds them.
    #[test]
    fn warnings_as_get_warnings_for_pod_words_them() {
        let pod: crate::model::Pod = serde_yaml::from_str(
            "metadata:\n  name: p\n  annotations: {scheduler.alpha.kubernetes.io/critical-pod: ''}\nspec:\n  nodeSelector: {beta.kubernetes.io/arch: amd64, disk: ssd}\n  containers:\n  - name: c\n    image: busybox\n    resources: {limits: {memory: 1500m}}\n    env: [{name: a, value: x}, {name: a, value: y}, {name: b, value: '1'}, {name: b, value: '$(b)2'}]\n",
        )
        .unwrap();
        assert_eq!(
            object_warnings(&Object::Pod(Box::new(pod))),
            [
                r#"spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead"#,
                r#"metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead"#,
                r#"spec.containers[0].resources.limits[memory]: fractional byte value "1500m" is invalid, must be an integer"#,
                r#"spec.containers[0].env[1]: hides previous definition of "a", which may be dropped when using apply"#,
            ]
        );
    }
}
