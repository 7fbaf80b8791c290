//! kubectl's views of DaemonSets: `get` (the API server's `printDaemonSet`: NAME DESIRED
//! CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, wide CONTAINERS IMAGES SELECTOR),
//! `describe` (describe.go `describeDaemonSet`) and the line of `rollout status`
//! (`polymorphichelpers.DaemonSetStatusViewer`).

use std::collections::BTreeMap;

use podplay_core::engine::DaemonSetRecord;
use podplay_core::model::{Event, LabelSelector, Pod};
use podplay_core::version::Release;
use podplay_core::Millis;

use crate::describe::{describe_events, print_annotations_multiline, print_labels_multiline, PrefixWriter};
use crate::printers::{age_since, TableOptions};
use crate::workloads::{container_cells, selector_text};

/// `labels.FormatLabels`: `k=v` pairs sorted by key, comma-separated; `<none>` for none.
fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// `kubectl get daemonsets`.
pub fn daemon_sets_table(items: &[&DaemonSetRecord], now: Millis, wide: bool, ns_column: bool, opts: &TableOptions) -> String {
    let mut headers = vec![];
    if ns_column {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"]);
    if wide {
        headers.extend(["CONTAINERS", "IMAGES", "SELECTOR"]);
    }
    let rows = items.iter().map(|r| daemon_set_row(r, now, wide, ns_column)).collect();
    let labels: Vec<_> = items.iter().map(|r| &r.set.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

fn daemon_set_row(r: &DaemonSetRecord, now: Millis, wide: bool, ns_column: bool) -> Vec<String> {
    let (set, s) = (&r.set, &r.status);
    let mut cells = vec![];
    if ns_column {
        cells.push(set.metadata.namespace().to_string());
    }
    cells.extend([
        set.metadata.name.clone(),
        s.desired_number_scheduled.to_string(),
        s.current_number_scheduled.to_string(),
        s.number_ready.to_string(),
        s.updated_number_scheduled.to_string(),
        s.number_available.to_string(),
        format_labels(&set.spec.template.spec.node_selector),
        age_since(now, set.metadata.creation),
    ]);
    if wide {
        cells.extend(container_cells(&set.spec.template));
        cells.push(selector_text(set.spec.selector.as_ref()));
    }
    cells
}

/// `describeDaemonSet` (the `Namespace:` line from kubectl 1.33).
pub fn describe_daemon_set(r: &DaemonSetRecord, pods: &[&Pod], events: &[&Event], now: Millis, release: &Release) -> String {
    let (set, s) = (&r.set, &r.status);
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", set.metadata.name));
    if release.ds_describe_namespace {
        w.write_fmt_at(0, format_args!("Namespace:\t{}\n", set.metadata.namespace()));
    }
    w.write_fmt_at(
        0,
        format_args!("Selector:\t{}\n", set.spec.selector.as_ref().map(LabelSelector::to_selector_string).unwrap_or_default()),
    );
    w.write_fmt_at(0, format_args!("Node-Selector:\t{}\n", format_labels(&set.spec.template.spec.node_selector)));
    print_labels_multiline(&mut w, "Labels", &set.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &set.metadata.annotations);
    w.write_fmt_at(0, format_args!("Desired Number of Nodes Scheduled: {}\n", s.desired_number_scheduled));
    w.write_fmt_at(0, format_args!("Current Number of Nodes Scheduled: {}\n", s.current_number_scheduled));
    w.write_fmt_at(0, format_args!("Number of Nodes Scheduled with Up-to-date Pods: {}\n", s.updated_number_scheduled));
    w.write_fmt_at(0, format_args!("Number of Nodes Scheduled with Available Pods: {}\n", s.number_available));
    w.write_fmt_at(0, format_args!("Number of Nodes Misscheduled: {}\n", s.number_misscheduled));
    let count = |phase: &str| pods.iter().filter(|p| p.status.phase == phase).count();
    crate::workloads::describe_pods_status(&mut w, count);
    crate::workloads::describe_pod_template(&mut w, &set.spec.template, release);
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// `DaemonSetStatusViewer.Status`: the line and whether the rollout is done, or the error.
pub fn rollout_status_line(r: &DaemonSetRecord) -> Result<(String, bool), String> {
    let (set, s) = (&r.set, &r.status);
    if !set.spec.is_rolling_update() {
        return Err("error: rollout status is only available for RollingUpdate strategy type\n".into());
    }
    if r.generation() > s.observed_generation {
        return Ok(("Waiting for daemon set spec update to be observed...\n".into(), false));
    }
    let name = &set.metadata.name;
    if s.updated_number_scheduled < s.desired_number_scheduled {
        let line = format!(
            "Waiting for daemon set {name:?} rollout to finish: {} out of {} new pods have been updated...\n",
            s.updated_number_scheduled, s.desired_number_scheduled
        );
        return Ok((line, false));
    }
    if s.number_available < s.desired_number_scheduled {
        let line = format!(
            "Waiting for daemon set {name:?} rollout to finish: {} of {} updated pods are available...\n",
            s.number_available, s.desired_number_scheduled
        );
        return Ok((line, false));
    }
    Ok((format!("daemon set {name:?} successfully rolled out\n"), true))
}

/// `kubectl rollout status daemonset/NAME` (`crate::workloads::poll_rollout_status`).
pub(crate) fn rollout_status(
    engine: &mut podplay_core::Engine,
    name: &str,
    namespace: &str,
    limit: Millis,
    advance: &mut dyn FnMut(&mut podplay_core::Engine, Millis),
) -> Result<crate::Output, crate::Output> {
    let find = |e: &podplay_core::Engine| {
        e.daemon_set_records().iter().position(|r| !r.removed && r.name() == name && r.set.metadata.namespace() == namespace)
    };
    let status = |e: &podplay_core::Engine, i: usize| rollout_status_line(&e.daemon_set_records()[i]);
    crate::workloads::poll_rollout_status(engine, "daemonsets.apps", name, limit, advance, find, status)
}
