//! Namespaces as kubectl shows them: `get namespaces` (the table printer's NAME, STATUS, AGE)
//! and `describe namespace` (`NamespaceDescriber`: no quota or limit range exists in podplay's
//! cluster, which the describer says as it does on a cluster without them).

use podplay_core::clock::Millis;
use podplay_core::engine::NamespaceRecord;

use crate::describe::{print_annotations_multiline, print_labels_multiline, PrefixWriter};
use crate::printers::{age_since, TableOptions};

pub fn namespaces_table(items: &[&NamespaceRecord], now: Millis, opts: &TableOptions) -> String {
    let rows = items
        .iter()
        .map(|r| vec![r.namespace.metadata.name.clone(), r.phase().to_string(), age_since(now, r.namespace.metadata.creation)])
        .collect();
    let labels: Vec<_> = items.iter().map(|r| &r.namespace.metadata.labels).collect();
    opts.render(&["NAME", "STATUS", "AGE"], rows, &labels)
}

/// `describeNamespace`: name, labels, annotations, the phase, then the namespace's quotas and
/// limit ranges (podplay has neither kind: the lists are empty, which the describer words so).
pub fn describe_namespace(r: &NamespaceRecord) -> String {
    let meta = &r.namespace.metadata;
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", meta.name));
    print_labels_multiline(&mut w, "Labels", &meta.labels);
    print_annotations_multiline(&mut w, "Annotations", &meta.annotations);
    w.write_fmt_at(0, format_args!("Status:\t{}\n", r.phase()));
    w.write(0, "\nNo resource quota.\n");
    w.write(0, "\nNo LimitRange resource.\n");
    w.finish()
}
