//! kubectl's views of CronJobs: `get` (the API server's `printCronJob`: the TIMEZONE column from
//! 1.30) and `describe` (describe.go `describeCronJob`, `describeJobTemplate`).

use podplay_core::engine::CronJobRecord;
use podplay_core::model::{Event, LabelSelector};
use podplay_core::version::Release;
use podplay_core::Millis;

use crate::describe::{describe_events, print_annotations_multiline, print_labels_multiline, rfc1123z, PrefixWriter};
use crate::printers::{age_since, TableOptions};

/// `kubectl get cronjobs`: NAME SCHEDULE [TIMEZONE] SUSPEND ACTIVE LAST SCHEDULE AGE
/// [CONTAINERS IMAGES SELECTOR].
pub fn cron_jobs_table(
    items: &[&CronJobRecord],
    now: Millis,
    wide: bool,
    ns_column: bool,
    opts: &TableOptions,
    release: &Release,
) -> String {
    let mut headers = vec![];
    if ns_column {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "SCHEDULE"]);
    if release.cronjob_timezone_column {
        headers.push("TIMEZONE");
    }
    headers.extend(["SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"]);
    if wide {
        headers.extend(["CONTAINERS", "IMAGES", "SELECTOR"]);
    }
    let rows = items.iter().map(|r| cron_job_row(r, now, wide, ns_column, release)).collect();
    let labels: Vec<_> = items.iter().map(|r| &r.cron_job.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

fn cron_job_row(r: &CronJobRecord, now: Millis, wide: bool, ns_column: bool, release: &Release) -> Vec<String> {
    let (cj, s) = (&r.cron_job, &r.status);
    let mut cells = vec![];
    if ns_column {
        cells.push(cj.metadata.namespace().to_string());
    }
    cells.extend([cj.metadata.name.clone(), cj.spec.schedule.clone()]);
    if release.cronjob_timezone_column {
        cells.push(cj.spec.time_zone.clone().unwrap_or_else(|| "<none>".into()));
    }
    cells.push(bool_cell(cj.spec.suspend));
    cells.push(s.active.len().to_string());
    cells.push(s.last_schedule_time.map_or_else(|| "<none>".into(), |t| age_since(now, t)));
    cells.push(age_since(now, cj.metadata.creation));
    if wide {
        let containers = &cj.spec.job_template.spec.template.spec.containers;
        cells.push(containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(","));
        cells.push(containers.iter().map(|c| c.image.as_str()).collect::<Vec<_>>().join(","));
        let selector = cj.spec.job_template.spec.selector.as_ref().map(LabelSelector::to_selector_string).filter(|s| !s.is_empty());
        cells.push(selector.unwrap_or_else(|| "<none>".into()));
    }
    cells
}

/// `printBoolPtr`.
fn bool_cell(value: Option<bool>) -> String {
    value.map_or_else(|| "<unset>".into(), |v| if v { "True".into() } else { "False".into() })
}

fn int_or_unset(value: Option<i64>, suffix: &str) -> String {
    value.map_or_else(|| "<unset>".into(), |v| format!("{v}{suffix}"))
}

/// `describeCronJob`.
pub fn describe_cron_job(r: &CronJobRecord, events: &[&Event], now: Millis, release: &Release) -> String {
    let (cj, s) = (&r.cron_job, &r.status);
    let spec = &cj.spec;
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", cj.metadata.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", cj.metadata.namespace()));
    print_labels_multiline(&mut w, "Labels", &cj.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &cj.metadata.annotations);
    w.write_fmt_at(0, format_args!("Schedule:\t{}\n", spec.schedule));
    w.write_fmt_at(0, format_args!("Concurrency Policy:\t{}\n", spec.concurrency_policy()));
    w.write_fmt_at(0, format_args!("Suspend:\t{}\n", bool_cell(spec.suspend)));
    if release.describe_cronjob_time_zone {
        w.write_fmt_at(0, format_args!("Time Zone:\t{}\n", spec.time_zone.as_deref().unwrap_or("<unset>")));
    }
    w.write_fmt_at(
        0,
        format_args!("Successful Job History Limit:\t{}\n", int_or_unset(spec.successful_jobs_history_limit.map(i64::from), "")),
    );
    w.write_fmt_at(0, format_args!("Failed Job History Limit:\t{}\n", int_or_unset(spec.failed_jobs_history_limit.map(i64::from), "")));
    w.write_fmt_at(0, format_args!("Starting Deadline Seconds:\t{}\n", int_or_unset(spec.starting_deadline_seconds, "s")));
    describe_job_template(&mut w, r, release);
    let last = s.last_schedule_time.map_or_else(|| "<unset>".into(), rfc1123z);
    w.write_fmt_at(0, format_args!("Last Schedule Time:\t{last}\n"));
    let active: Vec<&str> = s.active.iter().map(|a| a.name.as_str()).collect();
    w.write_fmt_at(0, format_args!("Active Jobs:\t{}\n", if active.is_empty() { "<none>".to_string() } else { active.join(", ") }));
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// `describeJobTemplate`: the Job's selector, parallelism, completions and deadline, then its
/// pod template.
fn describe_job_template(w: &mut PrefixWriter, r: &CronJobRecord, release: &Release) {
    let spec = &r.cron_job.spec.job_template.spec;
    let selector = spec.selector.as_ref().map(LabelSelector::to_selector_string).unwrap_or_else(|| "<unset>".into());
    w.write_fmt_at(0, format_args!("Selector:\t{selector}\n"));
    w.write_fmt_at(0, format_args!("Parallelism:\t{}\n", int_or_unset(spec.parallelism.map(i64::from), "")));
    w.write_fmt_at(0, format_args!("Completions:\t{}\n", int_or_unset(spec.completions.map(i64::from), "")));
    if let Some(d) = spec.active_deadline_seconds {
        w.write_fmt_at(0, format_args!("Active Deadline Seconds:\t{d}s\n"));
    }
    crate::workloads::describe_pod_template(w, &spec.template, release);
}
