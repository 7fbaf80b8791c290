//! `kubectl events` (kubectl's `pkg/cmd/events`, GA in 1.26): the events of a namespace (or
//! all, `-A`), optionally only those of one object (`--for pod/web`) or of some types
//! (`--types=Warning`), sorted by when they were last seen, with `describe`'s interval column
//! (`5s (x3 over 99s)`) and the object as `Kind/name`.

use podplay_core::clock::Millis;
use podplay_core::model::Event;
use podplay_core::Engine;
use podplay_k8s_util::gosort;
use podplay_k8s_util::tabwriter::TabWriter;

use crate::printers::{age_since, age_since_micro};
use crate::{cmdline, Kind, Output};

/// What `kubectl events` was asked.
#[derive(Debug, Default)]
struct EventsFlags {
    namespace: String,
    all_namespaces: bool,
    /// `--for`: the object's API kind, its API version and its name.
    for_object: Option<(&'static str, &'static str, String)>,
    /// `--types`, as given (compared without case).
    types: Vec<String>,
    no_headers: bool,
}

/// Runs `kubectl events ARGS` (`args` without the verb).
pub(crate) fn events(engine: &Engine, args: &[&str]) -> Output {
    let flags = match parse(args) {
        Ok(f) => f,
        Err(e) => return Output::err(e),
    };
    let mut listed: Vec<&Event> = engine.stored_events().iter().filter(|e| wanted(&flags, e)).collect();
    if listed.is_empty() {
        let none = if flags.all_namespaces {
            "No events found.\n".to_string()
        } else {
            format!("No events found in {} namespace.\n", flags.namespace)
        };
        return Output { stdout: String::new(), stderr: none, exit_code: 0 };
    }
    // The API lists them by namespace, then name; `sort.Sort(SortableEvents)` then orders them
    // by time with the Go release's (unstable) sort.
    podplay_k8s_util::sort::sort_by(&mut listed, |a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    gosort::sort(engine.release().kubectl_sort, &mut listed, |a, b| event_time(a) < event_time(b));
    Output { stdout: table(&listed, engine.now(), &flags), stderr: String::new(), exit_code: 0 }
}

fn wanted(flags: &EventsFlags, e: &Event) -> bool {
    let in_scope = flags.all_namespaces || e.namespace == flags.namespace;
    let for_ok = flags.for_object.as_ref().is_none_or(|(kind, version, name)| {
        e.involved_object.kind == *kind && e.involved_object.api_version == *version && e.involved_object.name == *name
    });
    let type_ok = flags.types.is_empty() || flags.types.iter().any(|t| t.eq_ignore_ascii_case(&e.kind));
    in_scope && for_ok && type_ok
}

/// `eventTime` in events.go: the series' last observation, else the last timestamp, else the
/// event time.
fn event_time(e: &Event) -> Millis {
    match (&e.series, e.last_timestamp) {
        (Some(series), _) => series.last_observed_time,
        (None, Some(t)) => t,
        (None, None) => e.event_time.unwrap_or(0),
    }
}

/// `EventPrinter` through cli-runtime's `GetNewTabWriter`.
fn table(events: &[&Event], now: Millis, flags: &EventsFlags) -> String {
    let mut w = TabWriter::kubectl_get();
    if !flags.no_headers {
        if flags.all_namespaces {
            w.write_str("NAMESPACE\t");
        }
        w.write_str("LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
    }
    for e in events {
        if flags.all_namespaces {
            w.write_str(&format!("{}\t", e.namespace));
        }
        let object = format!("{}/{}", e.involved_object.kind, e.involved_object.name);
        w.write_str(&format!("{}\t{}\t{}\t{object}\t{}\n", interval(e, now), e.kind, e.reason, e.message.trim()));
    }
    w.flush()
}

/// `getInterval`: when first seen, or `LAST (xN over FIRST)` for a repeated event.
fn interval(e: &Event, now: Millis) -> String {
    let first = match (e.event_time, e.first_timestamp) {
        (Some(t), _) => age_since_micro(now, t),
        (None, Some(t)) => age_since(now, t),
        (None, None) => "<unknown>".to_string(),
    };
    match (&e.series, e.last_timestamp) {
        (Some(series), _) => format!("{} (x{} over {first})", age_since_micro(now, series.last_observed_time), series.count),
        (None, Some(last)) if e.count > 1 => format!("{} (x{} over {first})", age_since(now, last), e.count),
        _ => first,
    }
}

fn parse(args: &[&str]) -> Result<EventsFlags, String> {
    let (rest, namespace) = cmdline::take_namespace(args);
    let mut f = EventsFlags { namespace, ..Default::default() };
    let mut i = 0;
    while i < rest.len() {
        let (flag, inline) = match rest[i].split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k, Some(v.to_string())),
            _ => (rest[i], None),
        };
        let takes_value = matches!(flag, "--for" | "--types");
        let value = if takes_value && inline.is_none() {
            i += 1;
            Some(rest.get(i).map(|v| v.to_string()).ok_or_else(|| format!("error: flag needs an argument: {flag}\n"))?)
        } else {
            inline
        };
        match (flag, value) {
            ("-A" | "--all-namespaces", _) => f.all_namespaces = true,
            ("--no-headers", _) => f.no_headers = true,
            ("--for", Some(v)) => f.for_object = Some(for_object(&v)?),
            ("--types", Some(v)) => f.types.extend(v.split(',').map(str::to_string)),
            ("-w" | "--watch", _) => {
                return Err("error: podplay does not follow kubectl events --watch yet; run kubectl events again later\n".into())
            }
            ("-o" | "--output", _) => {
                return Err("error: podplay prints kubectl events as its table only; use kubectl get events -o wide\n".into())
            }
            (other, _) if other.starts_with('-') => return Err(crate::unknown_flag("events", other)),
            (other, _) => return Err(format!("error: unknown command \"{other}\" for \"kubectl events\"\n")),
        }
        i += 1;
    }
    if f.types.iter().any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning")) {
        return Err("error: valid --types are Normal or Warning\n".into());
    }
    Ok(f)
}

/// `decodeResourceTypeName`: `pod/web` to the kind the events name and its API version.
fn for_object(text: &str) -> Result<(&'static str, &'static str, String), String> {
    let Some((word, name)) = text.split_once('/') else {
        return Err("error: --for must be in resource/name form\n".into());
    };
    let kind = Kind::parse(word).ok_or_else(|| format!("error: the server doesn't have a resource type \"{word}\"\n"))?;
    let (api_kind, version) = match kind {
        Kind::Pods => ("Pod", "v1"),
        Kind::Services => ("Service", "v1"),
        Kind::Endpoints => ("Endpoints", "v1"),
        Kind::Nodes => ("Node", "v1"),
        Kind::Events => ("Event", "v1"),
        Kind::Deployments => ("Deployment", "apps/v1"),
        Kind::ReplicaSets => ("ReplicaSet", "apps/v1"),
        Kind::Jobs => ("Job", "batch/v1"),
        Kind::CronJobs => ("CronJob", "batch/v1"),
        Kind::ConfigMaps => ("ConfigMap", "v1"),
        Kind::Secrets => ("Secret", "v1"),
        Kind::StatefulSets => ("StatefulSet", "apps/v1"),
        Kind::DaemonSets => ("DaemonSet", "apps/v1"),
        Kind::PodDisruptionBudgets => ("PodDisruptionBudget", "policy/v1"),
        Kind::Namespaces => ("Namespace", "v1"),
    };
    Ok((api_kind, version, name.to_string()))
}
