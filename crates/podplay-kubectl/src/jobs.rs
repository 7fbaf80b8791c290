//! kubectl's views of Jobs: `get` (the API server's `printJob`: the STATUS column from 1.30)
//! and `describe` (describe.go `describeJob`), and `create job` (cmd/create/create_job.go).

use podplay_core::engine::JobRecord;
use podplay_core::model::{Event, JobStatus, LabelSelector};
use podplay_core::version::Release;
use podplay_core::Millis;
use podplay_k8s_util::duration::human_duration;

use crate::describe::{describe_events, print_annotations_multiline, print_labels_multiline, rfc1123z, PrefixWriter};
use crate::printers::{age_since, TableOptions};

fn whole(t: Millis) -> Millis {
    t - t % 1000
}

/// printJob's COMPLETIONS: `succeeded/completions`, or for a work queue `succeeded/1` (and
/// ` of P` when more than one pod runs at once).
fn completions_cell(r: &JobRecord) -> String {
    let (spec, s) = (&r.job.spec, &r.status);
    match spec.completions {
        Some(c) => format!("{}/{c}", s.succeeded),
        None if spec.parallelism() > 1 => format!("{}/1 of {}", s.succeeded, spec.parallelism()),
        None => format!("{}/1", s.succeeded),
    }
}

/// printJob's DURATION: empty before the start, time since the start while running, start to
/// completion once complete (metav1.Time: whole seconds).
fn duration_cell(s: &JobStatus, now: Millis) -> String {
    match (s.start_time, s.completion_time) {
        (None, _) => String::new(),
        (Some(start), None) => age_since(now, start),
        (Some(start), Some(end)) => human_duration(whole(end) as i64 - whole(start) as i64),
    }
}

/// printJob's STATUS (1.30+): the first of Complete, Failed, Suspended, FailureTarget,
/// SuccessCriteriaMet (1.34+) that holds, else Running (`Terminating`, for a Job being
/// deleted, never shows: podplay removes a deleted Job at once).
fn status_cell(s: &JobStatus, release: &Release) -> &'static str {
    let has = |kind: &str| s.true_condition(kind).is_some();
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else if release.job_status_success_criteria && has("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

/// `kubectl get jobs`: NAME [STATUS] COMPLETIONS DURATION AGE [CONTAINERS IMAGES SELECTOR].
pub fn jobs_table(items: &[&JobRecord], now: Millis, wide: bool, ns_column: bool, opts: &TableOptions, release: &Release) -> String {
    let mut headers = vec![];
    if ns_column {
        headers.push("NAMESPACE");
    }
    headers.push("NAME");
    if release.job_status_column {
        headers.push("STATUS");
    }
    headers.extend(["COMPLETIONS", "DURATION", "AGE"]);
    if wide {
        headers.extend(["CONTAINERS", "IMAGES", "SELECTOR"]);
    }
    let rows = items.iter().map(|r| job_row(r, now, wide, ns_column, release)).collect();
    let labels: Vec<_> = items.iter().map(|r| &r.job.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

fn job_row(r: &JobRecord, now: Millis, wide: bool, ns_column: bool, release: &Release) -> Vec<String> {
    let job = &r.job;
    let mut cells = vec![];
    if ns_column {
        cells.push(job.metadata.namespace().to_string());
    }
    cells.push(job.metadata.name.clone());
    if release.job_status_column {
        cells.push(status_cell(&r.status, release).to_string());
    }
    cells.extend([completions_cell(r), duration_cell(&r.status, now), age_since(now, job.metadata.creation)]);
    if wide {
        let containers = &job.spec.template.spec.containers;
        cells.push(containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(","));
        cells.push(containers.iter().map(|c| c.image.as_str()).collect::<Vec<_>>().join(","));
        let selector = job.spec.selector.as_ref().map(LabelSelector::to_selector_string).filter(|s| !s.is_empty());
        cells.push(selector.unwrap_or_else(|| "<none>".into()));
    }
    cells
}

/// `describeJob`.
pub fn describe_job(r: &JobRecord, events: &[&Event], now: Millis, release: &Release) -> String {
    let (job, s) = (&r.job, &r.status);
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", job.metadata.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", job.metadata.namespace()));
    w.write_fmt_at(
        0,
        format_args!("Selector:\t{}\n", job.spec.selector.as_ref().map(LabelSelector::to_selector_string).unwrap_or_default()),
    );
    print_labels_multiline(&mut w, "Labels", &job.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &job.metadata.annotations);
    if let Some(c) = crate::describe::controlled_by(&job.metadata) {
        w.write_fmt_at(0, format_args!("Controlled By:\t{c}\n"));
    }
    w.write_fmt_at(0, format_args!("Parallelism:\t{}\n", job.spec.parallelism()));
    match job.spec.completions {
        Some(c) => w.write_fmt_at(0, format_args!("Completions:\t{c}\n")),
        None => w.write(0, "Completions:\t<unset>\n"),
    }
    w.write_fmt_at(0, format_args!("Completion Mode:\t{}\n", job.spec.completion_mode.as_deref().unwrap_or("NonIndexed")));
    if release.describe_job_spec_fields {
        describe_spec_fields(&mut w, r);
    }
    describe_times(&mut w, s);
    if let Some(d) = job.spec.active_deadline_seconds {
        w.write_fmt_at(0, format_args!("Active Deadline Seconds:\t{d}s\n"));
    }
    w.write(0, &pods_statuses(s, release));
    if job.spec.is_indexed() {
        w.write_fmt_at(0, format_args!("Completed Indexes:\t{}\n", cap_indexes_list_or_none(&s.completed_indexes, 50)));
    }
    crate::workloads::describe_pod_template(&mut w, &job.spec.template, release);
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// Suspend, Backoff Limit and TTL Seconds After Finished (kubectl 1.30+).
fn describe_spec_fields(w: &mut PrefixWriter, r: &JobRecord) {
    let spec = &r.job.spec;
    if let Some(suspend) = spec.suspend {
        w.write_fmt_at(0, format_args!("Suspend:\t{suspend}\n"));
    }
    w.write_fmt_at(0, format_args!("Backoff Limit:\t{}\n", spec.backoff_limit()));
    if let Some(ttl) = spec.ttl_seconds_after_finished {
        w.write_fmt_at(0, format_args!("TTL Seconds After Finished:\t{ttl}\n"));
    }
}

fn describe_times(w: &mut PrefixWriter, s: &JobStatus) {
    if let Some(start) = s.start_time {
        w.write_fmt_at(0, format_args!("Start Time:\t{}\n", rfc1123z(start)));
    }
    if let Some(end) = s.completion_time {
        w.write_fmt_at(0, format_args!("Completed At:\t{}\n", rfc1123z(end)));
    }
    if let (Some(start), Some(end)) = (s.start_time, s.completion_time) {
        w.write_fmt_at(0, format_args!("Duration:\t{}\n", human_duration(whole(end) as i64 - whole(start) as i64)));
    }
}

/// `Pods Statuses:` in the release's words (`Running` before kubectl 1.23, `Active` after,
/// with `(N Ready)` when the controller writes `status.ready`).
fn pods_statuses(s: &JobStatus, release: &Release) -> String {
    match (release.describe_job_active_words, s.ready) {
        (false, _) => format!("Pods Statuses:\t{} Running / {} Succeeded / {} Failed\n", s.active, s.succeeded, s.failed),
        (true, None) => format!("Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n", s.active, s.succeeded, s.failed),
        (true, Some(ready)) => {
            format!("Pods Statuses:\t{} Active ({ready} Ready) / {} Succeeded / {} Failed\n", s.active, s.succeeded, s.failed)
        }
    }
}

/// `capIndexesListOrNone`: up to the first comma at or after `soft_limit`, then `...`.
fn cap_indexes_list_or_none(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".into();
    }
    match indexes.bytes().enumerate().skip(soft_limit).find(|(_, b)| *b == b',') {
        Some((ix, _)) => format!("{}...", &indexes[..=ix]),
        None => indexes.to_string(),
    }
}

/// `kubectl create job NAME --image=IMAGE [-- COMMAND [ARGS...]]`: one container named after
/// the Job, restartPolicy Never (`createJob`); or `--from=cronjob/CJ`: the CronJob's Job
/// template, run now (`createJobFromCronJob`).
pub(crate) fn create_job(engine: &mut podplay_core::Engine, args: &[&str], namespace: &str) -> crate::Output {
    let (words, command) = match args.iter().position(|a| *a == "--") {
        Some(i) => (&args[..i], args[i + 1..].iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        None => (args, Vec::new()),
    };
    let mut image = None;
    let mut from = None;
    let mut names = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "--image" => {
                i += 1;
                image = words.get(i).map(|s| s.to_string());
            }
            s if s.starts_with("--image=") => image = Some(s["--image=".len()..].to_string()),
            "--from" => {
                i += 1;
                from = words.get(i).map(|s| s.to_string());
            }
            s if s.starts_with("--from=") => from = Some(s["--from=".len()..].to_string()),
            s if s.starts_with('-') => return crate::Output::err(crate::unknown_flag("create job", s)),
            s => names.push(s),
        }
        i += 1;
    }
    let Some(name) = names.first().map(|s| s.to_string()) else {
        return crate::Output::err("error: NAME is required for job\n".into());
    };
    if image.is_some() && from.is_some() {
        return crate::Output::err("error: either --image or --from must be specified\n".into());
    }
    if let Some(from) = from {
        if !command.is_empty() || names.len() > 1 {
            return crate::Output::err("error: cannot specify --from and command\n".into());
        }
        return create_job_from(engine, &name, &from, namespace);
    }
    let Some(image) = image else {
        return crate::Output::err("error: either --image or --from must be specified\n".into());
    };
    let command = [&names[1..].iter().map(|s| s.to_string()).collect::<Vec<_>>()[..], &command[..]].concat();
    match engine.create_job(created_job(&name, &image, command, namespace)) {
        Ok(()) => crate::Output::ok(format!("job.batch/{name} created\n")),
        Err(e) => crate::Output::err(format!("error: failed to create job: {}\n", podplay_core::engine::ops::op_error_text(&e))),
    }
}

/// `--from=cronjob/CJ` (or `cronjobs/`, `cj/`, with the group too).
fn create_job_from(engine: &mut podplay_core::Engine, name: &str, from: &str, namespace: &str) -> crate::Output {
    let cron_job = match from.split_once('/') {
        Some((kind, cron_job)) if crate::Kind::of_word(kind) == Some(crate::Kind::CronJobs) => cron_job,
        Some((kind, _)) if crate::Kind::of_word(kind).is_some() => {
            return crate::Output::err("error: from must be an existing cronjob\n".into());
        }
        Some((kind, _)) => return crate::Output::err(format!("error: the server doesn't have a resource type \"{kind}\"\n")),
        None => return crate::Output::err("error: from must be of the form <resource>/<name>\n".into()),
    };
    match engine.create_job_from_cron_job(namespace, cron_job, name) {
        Ok(()) => crate::Output::ok(format!("job.batch/{name} created\n")),
        Err(e @ podplay_core::engine::ops::OpError::NotFound { .. }) => {
            crate::Output::err(format!("Error from server (NotFound): {}\n", podplay_core::engine::ops::op_error_text(&e)))
        }
        Err(e) => crate::Output::err(format!("error: failed to create job: {}\n", podplay_core::engine::ops::op_error_text(&e))),
    }
}

fn created_job(name: &str, image: &str, command: Vec<String>, namespace: &str) -> podplay_core::model::Job {
    let mut job = podplay_core::model::Job::default();
    job.metadata.name = name.to_string();
    job.metadata.namespace = Some(namespace.to_string());
    let container = podplay_core::model::Container {
        name: name.to_string(),
        image: image.to_string(),
        command: (!command.is_empty()).then_some(command),
        ..Default::default()
    };
    job.spec.template.spec.containers = vec![container];
    job.spec.template.spec.restart_policy = Some("Never".into());
    job
}

#[cfg(test)]
mod tests {
    use super::cap_indexes_list_or_none;

    #[test]
    fn capped_indexes() {
        assert_eq!(cap_indexes_list_or_none("", 50), "<none>");
        assert_eq!(cap_indexes_list_or_none("0-2,4", 2), "0-2,...");
        assert_eq!(cap_indexes_list_or_none("0-2,4", 50), "0-2,4");
    }
}
