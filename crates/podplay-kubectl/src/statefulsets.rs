//! kubectl's views of StatefulSets: `get` (the API server's `printStatefulSet`: NAME READY AGE,
//! wide CONTAINERS IMAGES), `describe` (describe.go `describeStatefulSet`) and the line of
//! `rollout status` (`polymorphichelpers.StatefulSetStatusViewer`).

use podplay_core::engine::StatefulSetRecord;
use podplay_core::model::{Event, LabelSelector, Pod};
use podplay_core::version::Release;
use podplay_core::Millis;

use crate::describe::{describe_events, print_annotations_multiline, print_labels_multiline, rfc1123z, PrefixWriter};
use crate::printers::{age_since, TableOptions};

/// `kubectl get statefulsets`: NAME READY AGE [CONTAINERS IMAGES]; READY is
/// `readyReplicas/replicas`.
pub fn stateful_sets_table(items: &[&StatefulSetRecord], now: Millis, wide: bool, ns_column: bool, opts: &TableOptions) -> String {
    let mut headers = vec![];
    if ns_column {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "READY", "AGE"]);
    if wide {
        headers.extend(["CONTAINERS", "IMAGES"]);
    }
    let rows = items.iter().map(|r| stateful_set_row(r, now, wide, ns_column)).collect();
    let labels: Vec<_> = items.iter().map(|r| &r.set.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

fn stateful_set_row(r: &StatefulSetRecord, now: Millis, wide: bool, ns_column: bool) -> Vec<String> {
    let set = &r.set;
    let mut cells = vec![];
    if ns_column {
        cells.push(set.metadata.namespace().to_string());
    }
    cells.extend([
        set.metadata.name.clone(),
        format!("{}/{}", r.status.ready_replicas, set.spec.replicas()),
        age_since(now, set.metadata.creation),
    ]);
    if wide {
        let containers = &set.spec.template.spec.containers;
        cells.push(containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(","));
        cells.push(containers.iter().map(|c| c.image.as_str()).collect::<Vec<_>>().join(","));
    }
    cells
}

/// `describeStatefulSet` (the `Service Name` and `Pod Management Policy` lines are in
/// kubectl's main branch after 1.36, in no release podplay simulates).
pub fn describe_stateful_set(r: &StatefulSetRecord, pods: &[&Pod], events: &[&Event], now: Millis, release: &Release) -> String {
    let set = &r.set;
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", set.metadata.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", set.metadata.namespace()));
    w.write_fmt_at(0, format_args!("CreationTimestamp:\t{}\n", rfc1123z(set.metadata.creation)));
    w.write_fmt_at(
        0,
        format_args!("Selector:\t{}\n", set.spec.selector.as_ref().map(LabelSelector::to_selector_string).unwrap_or_default()),
    );
    print_labels_multiline(&mut w, "Labels", &set.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &set.metadata.annotations);
    w.write_fmt_at(0, format_args!("Replicas:\t{} desired | {} total\n", set.spec.replicas(), r.status.replicas));
    describe_update_strategy(&mut w, r);
    if release.sts_pvc_retention_policy {
        w.write(0, "Persistent Volume Claim Retention Policy:\n");
        w.write(1, "WhenDeleted:\tRetain\n");
        w.write(1, "WhenScaled:\tRetain\n");
    }
    let count = |phase: &str| pods.iter().filter(|p| p.status.phase == phase).count();
    crate::workloads::describe_pods_status(&mut w, count);
    crate::workloads::describe_pod_template(&mut w, &set.spec.template, release);
    w.write(0, "Volume Claims:\t<none>\n");
    describe_events(&mut w, events, now, release);
    w.finish()
}

fn describe_update_strategy(w: &mut PrefixWriter, r: &StatefulSetRecord) {
    let strategy = &r.set.spec.update_strategy;
    w.write_fmt_at(0, format_args!("Update Strategy:\t{}\n", strategy.kind.as_deref().unwrap_or_default()));
    if let Some(partition) = strategy.rolling_update.as_ref().and_then(|ru| ru.partition) {
        w.write_fmt_at(1, format_args!("Partition:\t{partition}\n"));
    }
}

/// `StatefulSetStatusViewer.Status`: the line, whether the rollout is done, or the error.
/// With the default strategy (RollingUpdate, partition 0) a finished rollout says
/// `partitioned roll out complete`, as on a cluster.
pub fn rollout_status_line(r: &StatefulSetRecord) -> Result<(String, bool), String> {
    let (spec, s) = (&r.set.spec, &r.status);
    if !spec.is_rolling_update() {
        return Err("error: rollout status is only available for RollingUpdate strategy type\n".into());
    }
    if s.observed_generation == 0 || r.generation() > s.observed_generation {
        return Ok(("Waiting for statefulset spec update to be observed...\n".into(), false));
    }
    let replicas = spec.replicas();
    if s.ready_replicas < replicas {
        return Ok((format!("Waiting for {} pods to be ready...\n", replicas - s.ready_replicas), false));
    }
    if spec.update_strategy.rolling_update.is_some() {
        let wanted = replicas - spec.partition();
        if s.updated_replicas < wanted {
            let line = format!(
                "Waiting for partitioned roll out to finish: {} out of {wanted} new pods have been updated...\n",
                s.updated_replicas
            );
            return Ok((line, false));
        }
        return Ok((format!("partitioned roll out complete: {} new pods have been updated...\n", s.updated_replicas), true));
    }
    if s.update_revision != s.current_revision {
        let line = format!(
            "waiting for statefulset rolling update to complete {} pods at revision {}...\n",
            s.updated_replicas, s.update_revision
        );
        return Ok((line, false));
    }
    Ok((format!("statefulset rolling update complete {} pods at revision {}...\n", s.current_replicas, s.current_revision), true))
}

/// `kubectl rollout status statefulset/NAME` (`crate::workloads::poll_rollout_status`).
pub(crate) fn rollout_status(
    engine: &mut podplay_core::Engine,
    name: &str,
    namespace: &str,
    limit: Millis,
    advance: &mut dyn FnMut(&mut podplay_core::Engine, Millis),
) -> Result<crate::Output, crate::Output> {
    let find = |e: &podplay_core::Engine| {
        e.stateful_set_records().iter().position(|r| !r.removed && r.name() == name && r.set.metadata.namespace() == namespace)
    };
    let status = |e: &podplay_core::Engine, i: usize| rollout_status_line(&e.stateful_set_records()[i]);
    crate::workloads::poll_rollout_status(engine, "statefulsets.apps", name, limit, advance, find, status)
}
