//! The downward API as the kubelet reads it: pkg/fieldpath's `ExtractFieldPathAsString` and
//! `FormatMap`, and pkg/api/v1/resource's `ExtractResourceValueByContainerNameAndNodeAllocatable`
//! (a container's limit or request in units of a divisor, the node's allocatable standing in
//! for a limit that is not set).

use std::collections::BTreeMap;

use crate::model::config::ResourceFieldSelector;
use crate::model::{ObjectMeta, PodSpec, Quantity};

/// `fieldpath.FormatMap`: `key="value"` lines (the value as Go's `%q`), sorted by key, without a
/// line end after the last.
pub(crate) fn format_map(m: &BTreeMap<String, String>) -> String {
    m.iter().map(|(k, v)| format!("{k}={}", podplay_k8s_util::gofmt::quote(v))).collect::<Vec<_>>().join("\n")
}

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['k']` is (`metadata.labels`, `k`).
pub(crate) fn split_subscripted(path: &str) -> Option<(&str, &str)> {
    let inner = path.strip_suffix("']")?;
    let (head, key) = inner.split_once("['")?;
    (!head.is_empty()).then_some((head, key))
}

/// `fieldpath.ExtractFieldPathAsString` of a pod's metadata (`namespace` is the pod's).
pub(crate) fn extract_field_path(meta: &ObjectMeta, namespace: &str, path: &str) -> Result<String, String> {
    if let Some((head, key)) = split_subscripted(path) {
        return match head {
            "metadata.annotations" => Ok(meta.annotations.get(key).cloned().unwrap_or_default()),
            "metadata.labels" => Ok(meta.labels.get(key).cloned().unwrap_or_default()),
            _ => Err(format!("fieldPath {} does not support subscript", podplay_k8s_util::gofmt::quote(path))),
        };
    }
    match path {
        "metadata.annotations" => Ok(format_map(&meta.annotations)),
        "metadata.labels" => Ok(format_map(&meta.labels)),
        "metadata.name" => Ok(meta.name.clone()),
        "metadata.namespace" => Ok(namespace.to_string()),
        "metadata.uid" => Ok(meta.uid.clone()),
        other => Err(format!("unsupported fieldPath: {other}")),
    }
}

/// The resources the kubelet fills from the node's allocatable when a container sets no limit
/// (`MergeContainerResourceLimits`; hugepages are never overcommitted, so never filled).
const MERGED_LIMITS: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];

/// `ExtractResourceValueByContainerNameAndNodeAllocatable`: the container (of `containers`, then
/// `initContainers`), its limits merged with the node's allocatable, then
/// `ExtractContainerResourceValue`.
pub(crate) fn extract_resource_value(
    spec: &PodSpec,
    selector: &ResourceFieldSelector,
    allocatable: &BTreeMap<String, Quantity>,
) -> Result<String, String> {
    let name = &selector.container_name;
    let container = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter())
        .find(|c| c.name == *name)
        .ok_or_else(|| format!("container {name} not found"))?;
    let resources = container.resources.clone().unwrap_or_default();
    let mut limits = resources.limits;
    for resource in MERGED_LIMITS {
        if limits.get(resource).is_none_or(|q| q.milli == 0) {
            if let Some(cap) = allocatable.get(resource) {
                limits.insert(resource.to_string(), cap.clone());
            }
        }
    }
    container_resource_value(&selector.resource, selector.divisor.as_ref(), &limits, &resources.requests)
}

/// `ExtractContainerResourceValue`: a zero (or unset) divisor is 1; cpu is counted in
/// thousandths, everything else in whole units, and the quotient rounded up.
fn container_resource_value(
    resource: &str,
    divisor: Option<&Quantity>,
    limits: &BTreeMap<String, Quantity>,
    requests: &BTreeMap<String, Quantity>,
) -> Result<String, String> {
    let one = Quantity { text: "1".into(), milli: 1000 };
    let divisor = divisor.filter(|d| d.milli != 0).unwrap_or(&one);
    let zero = Quantity { text: "0".into(), milli: 0 };
    let get = |list: &BTreeMap<String, Quantity>, name: &str| list.get(name).cloned().unwrap_or_else(|| zero.clone());
    // convertResourceCPUToString / convertQuantityToString: math.Ceil of a float64 quotient.
    let cpu = |q: Quantity| format!("{}", (q.milli as f64 / divisor.milli as f64).ceil() as i64);
    let units = |q: Quantity| format!("{}", (q.value() as f64 / divisor.value() as f64).ceil() as i64);
    match resource {
        "limits.cpu" => Ok(cpu(get(limits, "cpu"))),
        "limits.memory" => Ok(units(get(limits, "memory"))),
        "limits.ephemeral-storage" => Ok(units(get(limits, "ephemeral-storage"))),
        "requests.cpu" => Ok(cpu(get(requests, "cpu"))),
        "requests.memory" => Ok(units(get(requests, "memory"))),
        "requests.ephemeral-storage" => Ok(units(get(requests, "ephemeral-storage"))),
        other => match (other.strip_prefix("requests."), other.strip_prefix("limits.")) {
            (Some(huge), _) if huge.starts_with("hugepages-") => Ok(units(get(requests, huge))),
            (_, Some(huge)) if huge.starts_with("hugepages-") => Ok(units(get(limits, huge))),
            _ => Err(format!("Unsupported container resource : {other}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Container, ResourceRequirements};

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap()
    }

    fn spec(limits: &[(&str, &str)], requests: &[(&str, &str)]) -> PodSpec {
        let list = |l: &[(&str, &str)]| l.iter().map(|(k, v)| (k.to_string(), q(v))).collect();
        let resources = ResourceRequirements { limits: list(limits), requests: list(requests), ..Default::default() };
        PodSpec { containers: vec![Container { name: "c".into(), resources: Some(resources), ..Default::default() }], ..Default::default() }
    }

    fn value(spec: &PodSpec, resource: &str, divisor: Option<&str>) -> Result<String, String> {
        let selector = ResourceFieldSelector { container_name: "c".into(), resource: resource.into(), divisor: divisor.map(q) };
        let allocatable = [("cpu", "2"), ("memory", "8Gi"), ("ephemeral-storage", "100Gi")];
        let allocatable = allocatable.iter().map(|(k, v)| (k.to_string(), q(v))).collect();
        extract_resource_value(spec, &selector, &allocatable)
    }

    /// The e2e's `downwardAPIVolumeBaseContainers` figures, and fieldpath_test's divisors.
    #[test]
    fn resource_values_round_up_in_divisor_units() {
        let s = spec(&[("cpu", "1250m"), ("memory", "64Mi")], &[("cpu", "250m"), ("memory", "32Mi")]);
        assert_eq!(value(&s, "limits.cpu", None).unwrap(), "2");
        assert_eq!(value(&s, "limits.memory", None).unwrap(), "67108864");
        assert_eq!(value(&s, "requests.cpu", None).unwrap(), "1");
        assert_eq!(value(&s, "requests.memory", None).unwrap(), "33554432");
        assert_eq!(value(&s, "limits.cpu", Some("1m")).unwrap(), "1250");
        assert_eq!(value(&s, "limits.memory", Some("1Mi")).unwrap(), "64");
        assert_eq!(value(&s, "requests.memory", Some("1G")).unwrap(), "1");
        assert_eq!(value(&s, "requests.cpu", Some("0")).unwrap(), "1");
    }

    #[test]
    fn an_unset_limit_is_the_node_allocatable() {
        let s = spec(&[], &[("cpu", "250m")]);
        assert_eq!(value(&s, "limits.cpu", None).unwrap(), "2");
        assert_eq!(value(&s, "limits.memory", Some("1Mi")).unwrap(), "8192");
        assert_eq!(value(&s, "limits.ephemeral-storage", Some("1Gi")).unwrap(), "100");
        assert_eq!(value(&s, "requests.memory", None).unwrap(), "0");
        assert_eq!(value(&s, "limits.gpu", None).unwrap_err(), "Unsupported container resource : limits.gpu");
        let missing = ResourceFieldSelector { container_name: "x".into(), resource: "limits.cpu".into(), divisor: None };
        assert_eq!(extract_resource_value(&s, &missing, &BTreeMap::new()).unwrap_err(), "container x not found");
    }

    #[test]
    fn field_paths_as_the_kubelet_writes_them() {
        let mut meta = ObjectMeta { name: "p".into(), uid: "u-1".into(), ..Default::default() };
        meta.labels.insert("key2".into(), "value2".into());
        meta.labels.insert("key1".into(), "value1".into());
        meta.annotations.insert("builder".into(), "say \"hi\"".into());
        assert_eq!(extract_field_path(&meta, "ns", "metadata.labels").unwrap(), "key1=\"value1\"\nkey2=\"value2\"");
        assert_eq!(extract_field_path(&meta, "ns", "metadata.annotations").unwrap(), "builder=\"say \\\"hi\\\"\"");
        assert_eq!(extract_field_path(&meta, "ns", "metadata.labels['key2']").unwrap(), "value2");
        assert_eq!(extract_field_path(&meta, "ns", "metadata.labels['none']").unwrap(), "");
        assert_eq!(extract_field_path(&meta, "ns", "metadata.namespace").unwrap(), "ns");
        assert_eq!(extract_field_path(&meta, "ns", "metadata.uid").unwrap(), "u-1");
        assert_eq!(extract_field_path(&meta, "ns", "spec.nodeName").unwrap_err(), "unsupported fieldPath: spec.nodeName");
        assert_eq!(
            extract_field_path(&meta, "ns", "metadata.name['x']").unwrap_err(),
            "fieldPath \"metadata.name['x']\" does not support subscript"
        );
    }
}
