//! kubectl's views of PodDisruptionBudgets: the API server's table (`printPodDisruptionBudget`:
//! NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE, the same with `-o wide`) and
//! kubectl's `PodDisruptionBudgetDescriber`.

use podplay_core::engine::PdbRecord;
use podplay_core::model::{Event, IntOrString, PodDisruptionBudget};
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
    w.write_fmt_at(0, format_args!("Name:\t{}\n", meta.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", meta.namespace()));
    if let Some(min) = &spec.min_available {
        w.write_fmt_at(0, format_args!("Min available:\t{min}\n"));
    } else if let Some(max) = &spec.max_unavailable {
        w.write_fmt_at(0, format_args!("Max unavailable:\t{max}\n"));
    }
    match &spec.selector {
        Some(s) if s.is_empty() => w.write(0, "Selector:\t<none>\n"),
        Some(s) => w.write_fmt_at(0, format_args!("Selector:\t{}\n", s.to_selector_string())),
        None => w.write(0, "Selector:\t<unset>\n"),
    }
    w.write(0, "Status:\n");
    w.write_fmt_at(2, format_args!("Allowed disruptions:\t{}\n", status.disruptions_allowed));
    w.write_fmt_at(2, format_args!("Current:\t{}\n", status.current_healthy));
    w.write_fmt_at(2, format_args!("Desired:\t{}\n", status.desired_healthy));
    w.write_fmt_at(2, format_args!("Total:\t{}\n", status.expected_pods));
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// `kubectl create poddisruptionbudget NAME --selector=SEL --min-available=N|--max-unavailable=N`
/// (`cmd/create/create_pdb.go`: the same at every release podplay reproduces).
pub(crate) fn create_pdb(engine: &mut podplay_core::Engine, args: &[&str], namespace: &str) -> crate::Output {
    let mut flags: [(&str, Option<String>); 3] = [("--selector", None), ("--min-available", None), ("--max-unavailable", None)];
    let mut names = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let (flag, inline) = args[i].split_once('=').map_or((args[i], None), |(f, v)| (f, Some(v.to_string())));
        match flags.iter_mut().find(|(name, _)| *name == flag) {
            Some((_, value)) => {
                *value = inline.or_else(|| {
                    i += 1;
                    args.get(i).map(|v| v.to_string())
                })
            }
            None if flag.starts_with('-') => return crate::Output::err(crate::unknown_flag("create poddisruptionbudget", flag)),
            None => names.push(flag),
        }
        i += 1;
    }
    let [(_, selector), (_, min), (_, max)] = flags;
    let [name] = names[..] else {
        return crate::Output::err(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create poddisruptionbudget -h' for help and examples\n",
            names.len()
        ));
    };
    let pdb = match budget_of(name, namespace, selector.unwrap_or_default(), min.unwrap_or_default(), max.unwrap_or_default()) {
        Ok(pdb) => pdb,
        Err(e) => return crate::Output::err(format!("error: {e}\n")),
    };
    match engine.create_pdb(pdb) {
        Ok(()) => crate::Output::ok(format!("poddisruptionbudget.policy/{name} created\n")),
        Err(e) => {
            crate::Output::err(format!("error: failed to create poddisruptionbudgets: {}\n", podplay_core::engine::ops::op_error_text(&e)))
        }
    }
}

/// `Validate` and `createPodDisruptionBudgets`: the object the command sends.
fn budget_of(name: &str, namespace: &str, selector: String, min: String, max: String) -> Result<PodDisruptionBudget, String> {
    if selector.is_empty() {
        return Err("a selector must be specified".into());
    }
    if min.is_empty() && max.is_empty() {
        return Err("one of min-available or max-unavailable must be specified".into());
    }
    if !min.is_empty() && !max.is_empty() {
        return Err("min-available and max-unavailable cannot be both specified".into());
    }
    // `^[0-9]+%?$`: a number or a percentage, not `10Gb`.
    let well_formed = |v: &str| {
        let digits = v.strip_suffix('%').unwrap_or(v);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if !min.is_empty() && !well_formed(&min) {
        return Err("invalid format specified for min-available".into());
    }
    if !max.is_empty() && !well_formed(&max) {
        return Err("invalid format specified for max-unavailable".into());
    }
    let parsed = crate::selectors::LabelSelector::parse(&selector)?;
    let mut pdb = PodDisruptionBudget { api_version: "policy/v1".into(), ..Default::default() };
    pdb.metadata.name = name.to_string();
    pdb.metadata.namespace = Some(namespace.to_string());
    pdb.spec.selector = Some(parsed.to_api()?);
    // `intstr.Parse`: a number that fits an int32 is an int, anything else a string.
    let parse = |v: String| Some(v.parse::<i32>().map_or(IntOrString::Str(v), |n| IntOrString::Int(n as i64)));
    if min.is_empty() {
        pdb.spec.max_unavailable = parse(max);
    } else {
        pdb.spec.min_available = parse(min);
    }
    Ok(pdb)
}
