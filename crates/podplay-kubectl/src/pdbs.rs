//! kubectl's views of PodDisruptionBudgets: the API server's table (`printPodDisruptionBudget`:
//! NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE, the same with `-o wide`) and
//! kubectl's `PodDisruptionBudgetDescriber`.

use podplay_core::engine::PdbRecord;
use podplay_core::model::{Event, IntOrString};
use podplay_core::version::Release;
use podplay_core::Millis;

use crate::describe::{describe_events, PrefixWriter};
use crate::printers::{age_since, TableOptions};

/// `IntOrString.String()`, or `N/A` when the field is unset.
fn number_or_na(value: Option<&IntOrString>) -> String {
    value.map_or_else(|| "N/A".to_string(), IntOrString::to_string)
}

pub fn pdbs_table(items: &[&PdbRecord], now: Millis, ns_column: bool, opts: &TableOptions) -> String {
    let mut headers = if ns_column { vec!["NAMESPACE"] } else { vec![] };
    headers.extend(["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"]);
    let rows = items
        .iter()
        .map(|r| {
            let spec = &r.pdb.spec;
            let mut cells = if ns_column { vec![r.namespace().to_string()] } else { vec![] };
            cells.extend([
                r.name().to_string(),
                number_or_na(spec.min_available.as_ref()),
                number_or_na(spec.max_unavailable.as_ref()),
                r.status.disruptions_allowed.to_string(),
                age_since(now, r.pdb.metadata.creation),
            ]);
            cells
        })
        .collect();
    let labels: Vec<_> = items.iter().map(|r| &r.pdb.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

/// `describePodDisruptionBudget`: the number it keeps (minAvailable before maxUnavailable), the
/// selector (`FormatLabelSelector`), the status's four numbers, the events.
pub fn describe_pdb(r: &PdbRecord, events: &[&Event], now: Millis, release: &Release) -> String {
    let (meta, spec, status) = (&r.pdb.metadata, &r.pdb.spec, &r.status);
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", meta.name));
    w.write(0, &format!("Namespace:\t{}\n", meta.namespace()));
    if let Some(min) = &spec.min_available {
        w.write(0, &format!("Min available:\t{min}\n"));
    } else if let Some(max) = &spec.max_unavailable {
        w.write(0, &format!("Max unavailable:\t{max}\n"));
    }
    match &spec.selector {
        Some(s) if s.is_empty() => w.write(0, "Selector:\t<none>\n"),
        Some(s) => w.write(0, &format!("Selector:\t{}\n", s.to_selector_string())),
        None => w.write(0, "Selector:\t<unset>\n"),
    }
    w.write(0, "Status:\n");
    w.write(2, &format!("Allowed disruptions:\t{}\n", status.disruptions_allowed));
    w.write(2, &format!("Current:\t{}\n", status.current_healthy));
    w.write(2, &format!("Desired:\t{}\n", status.desired_healthy));
    w.write(2, &format!("Total:\t{}\n", status.expected_pods));
    describe_events(&mut w, events, now, release);
    w.finish()
}
