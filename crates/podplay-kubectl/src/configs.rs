//! kubectl's views of ConfigMaps and Secrets: the API server's table (`printConfigMap`: NAME
//! DATA AGE; `printSecret`: NAME TYPE DATA AGE) and kubectl's `ConfigMapDescriber` and
//! `SecretDescriber` (values of a ConfigMap, only sizes of a Secret, no events for a Secret).

use podplay_core::engine::config_data_len;
use podplay_core::model::{ConfigMap, Event, Secret};
use podplay_core::version::Release;
use podplay_core::Millis;

use crate::describe::{describe_events, print_annotations_multiline, print_labels_multiline, PrefixWriter};
use crate::printers::{age_since, TableOptions};

pub fn config_maps_table(items: &[&ConfigMap], now: Millis, ns_column: bool, opts: &TableOptions) -> String {
    let headers: Vec<&str> = if ns_column { vec!["NAMESPACE", "NAME", "DATA", "AGE"] } else { vec!["NAME", "DATA", "AGE"] };
    let rows = items
        .iter()
        .map(|cm| {
            let mut cells = if ns_column { vec![cm.metadata.namespace().to_string()] } else { vec![] };
            cells.extend([cm.metadata.name.clone(), cm.data_count().to_string(), age_since(now, cm.metadata.creation)]);
            cells
        })
        .collect();
    let labels: Vec<_> = items.iter().map(|cm| &cm.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

pub fn secrets_table(items: &[&Secret], now: Millis, ns_column: bool, opts: &TableOptions) -> String {
    let headers: Vec<&str> = if ns_column { vec!["NAMESPACE", "NAME", "TYPE", "DATA", "AGE"] } else { vec!["NAME", "TYPE", "DATA", "AGE"] };
    let rows = items
        .iter()
        .map(|s| {
            let mut cells = if ns_column { vec![s.metadata.namespace().to_string()] } else { vec![] };
            let kind = s.type_.clone().unwrap_or_default();
            cells.extend([s.metadata.name.clone(), kind, s.data.len().to_string(), age_since(now, s.metadata.creation)]);
            cells
        })
        .collect();
    let labels: Vec<_> = items.iter().map(|s| &s.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

/// `ConfigMapDescriber`: keys sorted (kubectl sorts them from 1.34; before, Go's map order,
/// which no output can be faithful to, so podplay sorts for every release).
pub fn describe_config_map(cm: &ConfigMap, events: &[&Event], now: Millis, release: &Release) -> String {
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", cm.metadata.name));
    w.write(0, &format!("Namespace:\t{}\n", cm.metadata.namespace()));
    print_labels_multiline(&mut w, "Labels", &cm.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &cm.metadata.annotations);
    w.write(0, "\nData\n====\n");
    for (k, v) in &cm.data {
        w.write(0, &format!("{k}:\n----\n"));
        w.write(0, &format!("{v}\n"));
        if release.describe_configmap_blank_line {
            w.write(0, "\n");
        }
    }
    w.write(0, "\nBinaryData\n====\n");
    for (k, v) in &cm.binary_data {
        w.write(0, &format!("{k}: {} bytes\n", config_data_len(v)));
    }
    w.write(0, "\n");
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// `describeSecret`: the type, then each key's size in bytes (never the value).
pub fn describe_secret(s: &Secret) -> String {
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", s.metadata.name));
    w.write(0, &format!("Namespace:\t{}\n", s.metadata.namespace()));
    print_labels_multiline(&mut w, "Labels", &s.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &s.metadata.annotations);
    w.write(0, &format!("\nType:\t{}\n", s.type_.as_deref().unwrap_or_default()));
    w.write(0, "\nData\n====\n");
    for (k, v) in &s.data {
        w.write(0, &format!("{k}:\t{} bytes\n", config_data_len(v)));
    }
    w.finish()
}
