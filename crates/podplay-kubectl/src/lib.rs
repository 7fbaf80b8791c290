//! kubectl: its verbs, flags and texts over the simulated cluster. The read-only views — `get`,
//! `describe`, `logs`, `-o yaml|json` — print byte for byte what real kubectl prints; [`run`]
//! parses the words after `kubectl` and dispatches to pure printers ([`printers`], [`describe`],
//! [`objects`]) or, for verbs that change the cluster, to [`mutate`], which turns them into the
//! engine's typed operations. This crate never moves time: the session layer does.

pub mod apply;
pub mod cmdline;
mod configs;
pub mod cronjobs;
mod custom_columns;
pub mod daemonsets;
pub mod describe;
mod drain;
mod events_cmd;
pub mod jobs;
pub mod jsonpath;
pub mod mutate;
pub mod namespaces;
pub mod objects;
pub mod patch;
pub mod pdbs;
pub mod printers;
pub mod record;
pub mod rollout;
pub mod selectors;
pub mod sort_by;
pub mod statefulsets;
pub mod transcript;
pub mod workloads;

use podplay_core::api_objects;
use podplay_core::model::{Event, Pod};
use podplay_core::{Engine, Millis};

pub use cmdline::{hoist_namespace, split_command_line};
pub use mutate::{new_engine, KubectlSteps};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl Output {
    pub(crate) fn err(stderr: String) -> Self {
        Output { stdout: String::new(), stderr, exit_code: 1 }
    }
    pub(crate) fn ok(stdout: String) -> Self {
        Output { stdout, stderr: String::new(), exit_code: 0 }
    }
}

/// The resource kinds podplay serves, with kubectl's short names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pods,
    Services,
    Endpoints,
    Nodes,
    Events,
    Deployments,
    ReplicaSets,
    Jobs,
    CronJobs,
    ConfigMaps,
    Secrets,
    StatefulSets,
    DaemonSets,
    PodDisruptionBudgets,
    Namespaces,
}

/// The words kubectl takes for each kind (plural, singular, short name), the one table
/// [`Kind::parse`] reads and the page's completion gets through [`vocabulary`].
const KIND_WORDS: &[(Kind, &[&str])] = &[
    (Kind::Pods, &["pods", "pod", "po"]),
    (Kind::Services, &["services", "service", "svc"]),
    (Kind::Endpoints, &["endpoints", "endpoint", "ep"]),
    (Kind::Nodes, &["nodes", "node", "no"]),
    (Kind::Events, &["events", "event", "ev"]),
    (Kind::Deployments, &["deployments", "deployment", "deploy", "deployments.apps", "deployment.apps"]),
    (Kind::ReplicaSets, &["replicasets", "replicaset", "rs", "replicasets.apps", "replicaset.apps"]),
    (Kind::Jobs, &["jobs", "job", "jobs.batch", "job.batch"]),
    (Kind::CronJobs, &["cronjobs", "cronjob", "cj", "cronjobs.batch", "cronjob.batch"]),
    (Kind::ConfigMaps, &["configmaps", "configmap", "cm"]),
    (Kind::Secrets, &["secrets", "secret"]),
    (Kind::StatefulSets, &["statefulsets", "statefulset", "sts", "statefulsets.apps", "statefulset.apps"]),
    (Kind::DaemonSets, &["daemonsets", "daemonset", "ds", "daemonsets.apps", "daemonset.apps"]),
    (
        Kind::PodDisruptionBudgets,
        &["poddisruptionbudgets", "poddisruptionbudget", "pdb", "poddisruptionbudgets.policy", "poddisruptionbudget.policy"],
    ),
    (Kind::Namespaces, &["namespaces", "namespace", "ns"]),
];

/// The read-only verbs.
const READ_VERBS: &[&str] = &["get", "describe", "logs", "rollout", "events"];

/// The `-o` formats `get` prints.
const OUTPUT_FORMATS: &[&str] = &["wide", "yaml", "json", "name"];

impl Kind {
    fn parse(word: &str) -> Option<Kind> {
        Kind::of_word(&word.to_ascii_lowercase())
    }
    /// The kind `word` names, exactly as written (the verbs that change the cluster match the
    /// words as given).
    pub(crate) fn of_word(word: &str) -> Option<Kind> {
        KIND_WORDS.iter().find(|(_, words)| words.contains(&word)).map(|(kind, _)| *kind)
    }
    /// The plural resource name in API errors (`pods "x" not found`).
    fn plural(self) -> &'static str {
        match self {
            Kind::Pods => "pods",
            Kind::Services => "services",
            Kind::Endpoints => "endpoints",
            Kind::Nodes => "nodes",
            Kind::Events => "events",
            Kind::Deployments => "deployments.apps",
            Kind::ReplicaSets => "replicasets.apps",
            Kind::Jobs => "jobs.batch",
            Kind::CronJobs => "cronjobs.batch",
            Kind::ConfigMaps => "configmaps",
            Kind::Secrets => "secrets",
            Kind::StatefulSets => "statefulsets.apps",
            Kind::DaemonSets => "daemonsets.apps",
            Kind::PodDisruptionBudgets => "poddisruptionbudgets.policy",
            Kind::Namespaces => "namespaces",
        }
    }
    fn namespaced(self) -> bool {
        !matches!(self, Kind::Nodes | Kind::Namespaces)
    }
    /// The object's Kind lower-cased, as `-o name` prints it (cli-runtime NamePrinter:
    /// `strings.ToLower(kind) + "/" + name` for the core group).
    fn name_prefix(self) -> &'static str {
        match self {
            Kind::Pods => "pod",
            Kind::Services => "service",
            Kind::Endpoints => "endpoints",
            Kind::Nodes => "node",
            Kind::Events => "event",
            Kind::Deployments => "deployment.apps",
            Kind::ReplicaSets => "replicaset.apps",
            Kind::Jobs => "job.batch",
            Kind::CronJobs => "cronjob.batch",
            Kind::ConfigMaps => "configmap",
            Kind::Secrets => "secret",
            Kind::StatefulSets => "statefulset.apps",
            Kind::DaemonSets => "daemonset.apps",
            Kind::PodDisruptionBudgets => "poddisruptionbudget.policy",
            Kind::Namespaces => "namespace",
        }
    }
}

/// `-o name`: one `kind/name` line per object, in list order.
fn name_lines<'a>(kind: Kind, names: impl Iterator<Item = &'a str>) -> String {
    names.map(|n| format!("{}/{n}\n", kind.name_prefix())).collect()
}

/// Flags kubectl's read verbs accept, gathered from anywhere on the line.
#[derive(Debug, Clone, Default)]
struct Flags {
    positional: Vec<String>,
    namespace: String,
    all_namespaces: bool,
    output: Option<String>,
    container: Option<String>,
    previous: bool,
    timestamps: bool,
    /// `logs --tail N` (-1: all) and `--since DURATION`.
    tail: Option<i64>,
    since: Option<Millis>,
    watch: bool,
    /// `-l/--selector` and `--field-selector`, as given.
    selector: Option<String>,
    field_selector: Option<String>,
    /// The table decorations of `get`: `--show-labels`, `-L/--label-columns`, `--no-headers`.
    show_labels: bool,
    label_columns: Vec<String>,
    no_headers: bool,
    /// `--sort-by`, as given.
    sort_by: Option<String>,
    /// `--allow-missing-template-keys` (kubectl's default: true).
    allow_missing_template_keys: Option<bool>,
}

/// The flags podplay knows: (long name, shorthand, the verbs that have it). A flag of another
/// verb is an unknown flag to this one, as cobra/pflag says it.
const FLAG_VERBS: &[(&str, Option<char>, &[&str])] = &[
    ("all-namespaces", Some('A'), &["get", "describe", "events"]),
    ("output", Some('o'), &["get"]),
    ("watch", Some('w'), &["get"]),
    ("show-labels", None, &["get"]),
    ("no-headers", None, &["get", "events"]),
    ("for", None, &["events"]),
    ("types", None, &["events"]),
    ("label-columns", Some('L'), &["get"]),
    ("sort-by", None, &["get"]),
    ("allow-missing-template-keys", None, &["get"]),
    ("field-selector", None, &["get"]),
    ("selector", Some('l'), &["get", "describe", "logs"]),
    ("container", Some('c'), &["logs"]),
    ("previous", Some('p'), &["logs"]),
    ("timestamps", None, &["logs"]),
    ("tail", None, &["logs"]),
    ("since", None, &["logs"]),
];

/// `--tail`: an int64 of -1 or more (logs.go Validate).
fn parse_tail(v: &str) -> Result<i64, String> {
    let n: i64 = v.parse().map_err(|_| format!("error: invalid argument {v:?} for \"--tail\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax\nSee 'kubectl logs --help' for usage.\n"))?;
    if n < -1 {
        return Err("error: --tail must be greater than or equal to -1\n".into());
    }
    Ok(n)
}

/// `--since`: a Go duration, rounded up to whole seconds as kubectl sends `sinceSeconds`.
fn parse_since(v: &str) -> Result<Millis, String> {
    let ms = podplay_core::parse_duration(v).map_err(|_| {
        format!("error: invalid argument {v:?} for \"--since\" flag: time: invalid duration {v:?}\nSee 'kubectl logs --help' for usage.\n")
    })?;
    Ok(ms.div_ceil(1000) * 1000)
}

/// A container's log as `logs` prints it at `now`: `--tail`'s last N lines (`default_tail` when
/// not given; -1 is all), then those stamped at or after `now - since` (the kubelet's ReadLogs
/// seeks the tail first), each with its `--timestamps` stamp.
/// The lines `--tail` asks for (the kubelet counts records of the file), or all.
fn log_tail(flags: &Flags, default_tail: i64) -> Option<usize> {
    let tail = flags.tail.unwrap_or(default_tail);
    (tail >= 0).then_some(tail as usize)
}

/// What the kubelet's `ReadLogs` sends for these records (already cut to the tail): the
/// `--since` filter, a time stamp at the start of each line, and a partial record (`P`) joined
/// to the next one.
fn log_text(lines: &[podplay_core::engine::cri::LogLine], flags: &Flags, now: Millis) -> String {
    let since = flags.since.map(|s| now.saturating_sub(s));
    let mut out = String::new();
    let mut line_start = true;
    for l in lines.iter().filter(|l| since.is_none_or(|t| l.at >= t)) {
        if flags.timestamps && line_start {
            out.push_str(&objects::rfc3339_nano_fixed(l.at));
            out.push(' ');
        }
        out.push_str(&l.text);
        if !l.partial {
            out.push('\n');
        }
        line_start = !l.partial;
    }
    out
}

/// pflag's error for a flag `verb` does not have, with kubectl's usage hint
/// (`templater.FlagErrorFunc`: `See 'kubectl VERB --help' for usage.`).
pub(crate) fn unknown_flag(verb: &str, token: &str) -> String {
    let what = match token.strip_prefix("--") {
        Some(long) => format!("unknown flag: --{}", long.split('=').next().unwrap_or(long)),
        None => format!("unknown shorthand flag: '{}' in {token}", token.chars().nth(1).unwrap_or('-')),
    };
    format!("error: {what}\nSee 'kubectl {verb} --help' for usage.\n")
}

fn parse_flags(verb: &str, args: &[String]) -> Result<Flags, String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let (rest, namespace) = cmdline::take_namespace(&words);
    let mut f = Flags { namespace, ..Default::default() };
    let mut i = 0;
    while i < rest.len() {
        let a = rest[i];
        if a.len() > 1 && a.starts_with('-') {
            let known = match a.strip_prefix("--") {
                Some(long) => FLAG_VERBS.iter().find(|(name, _, _)| *name == long.split('=').next().unwrap_or(long)),
                None => FLAG_VERBS.iter().find(|(_, short, _)| *short == a.chars().nth(1)),
            };
            if known.is_none_or(|(_, _, verbs)| !verbs.contains(&verb)) {
                return Err(unknown_flag(verb, a));
            }
        }
        let value_of = |i: &mut usize| -> Result<String, String> {
            *i += 1;
            rest.get(*i).map(|s| s.to_string()).ok_or_else(|| format!("error: flag needs an argument: {a:?} in {a}"))
        };
        match a {
            "-A" | "--all-namespaces" | "--all-namespaces=true" => f.all_namespaces = true,
            "-o" | "--output" => f.output = Some(value_of(&mut i)?),
            "-c" | "--container" => f.container = Some(value_of(&mut i)?),
            "-p" | "--previous" | "--previous=true" => f.previous = true,
            "-w" | "--watch" | "--watch=true" => f.watch = true,
            "--timestamps" | "--timestamps=true" => f.timestamps = true,
            "--tail" => f.tail = Some(parse_tail(&value_of(&mut i)?)?),
            s if s.starts_with("--tail=") => f.tail = Some(parse_tail(&s["--tail=".len()..])?),
            "--since" => f.since = Some(parse_since(&value_of(&mut i)?)?),
            s if s.starts_with("--since=") => f.since = Some(parse_since(&s["--since=".len()..])?),
            "--show-labels" | "--show-labels=true" => f.show_labels = true,
            "--show-labels=false" => f.show_labels = false,
            "--no-headers" | "--no-headers=true" => f.no_headers = true,
            "--no-headers=false" => f.no_headers = false,
            // A string slice: comma-separated, and the flag may be repeated.
            "-L" | "--label-columns" => f.label_columns.extend(value_of(&mut i)?.split(',').map(str::to_string)),
            s if s.starts_with("--label-columns=") => f.label_columns.extend(s["--label-columns=".len()..].split(',').map(str::to_string)),
            s if s.starts_with("-L") && s.len() > 2 => {
                f.label_columns.extend(s[2..].trim_start_matches('=').split(',').map(str::to_string))
            }
            "--allow-missing-template-keys" => f.allow_missing_template_keys = Some(true),
            s if s.starts_with("--allow-missing-template-keys=") => {
                f.allow_missing_template_keys =
                    Some(parse_go_bool("allow-missing-template-keys", &s["--allow-missing-template-keys=".len()..])?)
            }
            "--sort-by" => f.sort_by = Some(value_of(&mut i)?),
            s if s.starts_with("--sort-by=") => f.sort_by = Some(s["--sort-by=".len()..].to_string()),
            "-l" | "--selector" => f.selector = Some(value_of(&mut i)?),
            "--field-selector" => f.field_selector = Some(value_of(&mut i)?),
            s if s.starts_with("--selector=") => f.selector = Some(s["--selector=".len()..].to_string()),
            s if s.starts_with("--field-selector=") => f.field_selector = Some(s["--field-selector=".len()..].to_string()),
            s if s.starts_with("-l") && s.len() > 2 => f.selector = Some(s[2..].trim_start_matches('=').to_string()),
            s if s.starts_with("--output=") => f.output = Some(s["--output=".len()..].to_string()),
            s if s.starts_with("-o") && s.len() > 2 => f.output = Some(s[2..].trim_start_matches('=').to_string()),
            s if s.starts_with("--container=") => f.container = Some(s["--container=".len()..].to_string()),
            s if s.starts_with("-c") && s.len() > 2 => f.container = Some(s[2..].trim_start_matches('=').to_string()),
            s if s.starts_with('-') && s.len() > 1 => return Err(unknown_flag(verb, s)),
            s => f.positional.push(s.to_string()),
        }
        i += 1;
    }
    Ok(f)
}

/// kubectl as podplay speaks it, for the page's completion: the verbs, each verb's flags, the
/// kind words and the `-o` formats, from the tables the parser reads.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Vocabulary {
    pub read_verbs: Vec<&'static str>,
    pub mutating_verbs: Vec<&'static str>,
    /// A read verb → its subcommands that change the cluster (`rollout` → `undo`, `pause`, …).
    pub mutating_subcommands: std::collections::BTreeMap<&'static str, Vec<&'static str>>,
    /// verb → its flags (`--long` and `-s` forms).
    pub flags: std::collections::BTreeMap<&'static str, Vec<String>>,
    /// Every word for a kind, and the kind it names (`svc` → `service`).
    pub kinds: Vec<(&'static str, &'static str)>,
    pub outputs: Vec<&'static str>,
}

pub fn vocabulary() -> Vocabulary {
    let mut flags: std::collections::BTreeMap<&'static str, Vec<String>> = std::collections::BTreeMap::new();
    for verb in READ_VERBS.iter().chain(mutate::MUTATING_VERBS) {
        flags.entry(verb).or_default().extend(["-n".to_string(), "--namespace".to_string()]);
    }
    for (long, short, verbs) in FLAG_VERBS {
        for verb in *verbs {
            let list = flags.entry(verb).or_default();
            list.extend(short.map(|c| format!("-{c}")));
            list.push(format!("--{long}"));
        }
    }
    for (verb, verb_flags) in mutate::MUTATION_FLAGS {
        flags.entry(verb).or_default().extend(verb_flags.iter().map(|f| f.to_string()));
    }
    let kinds = KIND_WORDS.iter().flat_map(|(kind, words)| words.iter().map(move |w| (*w, kind.name_prefix()))).collect();
    Vocabulary {
        read_verbs: READ_VERBS.to_vec(),
        mutating_verbs: mutate::MUTATING_VERBS.to_vec(),
        mutating_subcommands: podplay_k8s_util::sort::btree_map([("rollout", rollout::MUTATING_SUBCOMMANDS.to_vec())]),
        flags,
        kinds,
        // `jsonpath=` completes without a space after it: the template follows.
        outputs: OUTPUT_FORMATS.iter().copied().chain(["jsonpath=", "custom-columns="]).collect(),
    }
}

/// Whether `args` is a watch (`get ... -w`), which shows the writes since the objects were
/// created and so needs an engine at that moment ([`watch`]).
pub fn is_watch(args: &[String]) -> bool {
    args.first().map(String::as_str) == Some("get") && parse_flags("get", &args[1..]).is_ok_and(|f| f.watch)
}

/// Whether `args` is `rollout status`, which watches over virtual time ([`rollout`]).
pub fn is_rollout_status(args: &[String]) -> bool {
    args.first().map(String::as_str) == Some("rollout") && args.get(1).map(String::as_str) == Some("status")
}

/// `kubectl rollout status ...` from the engine's moment; `advance` moves the engine's time.
pub fn rollout(engine: &mut Engine, args: &[String], advance: &mut dyn FnMut(&mut Engine, Millis)) -> Output {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let (words, namespace) = cmdline::take_namespace(&words);
    match words.get(1) {
        Some(&"status") => workloads::rollout_status(engine, &words[2..], &namespace, advance),
        Some(&sub @ ("history" | "undo" | "pause" | "resume" | "restart")) => rollout::run(engine, sub, &words[2..], &namespace),
        Some(_) => {
            let rest: Vec<&str> = words[1..].iter().copied().filter(|w| !w.starts_with('-')).collect();
            Output::err(format!("error: unknown command {:?}\nSee 'kubectl rollout -h' for help and examples\n", rest.join(" ")))
        }
        None => Output::err("error: podplay runs `kubectl rollout status|history|undo|pause|resume|restart deployment/NAME`\n".into()),
    }
}

/// Whether `args` is a verb that changes the cluster.
pub fn is_mutating(args: &[String]) -> bool {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    mutate::is_mutating_words(&words)
}

/// Whether `args` may change the cluster: a verb of [`mutate::MUTATING_VERBS`] (`delete pod x`)
/// or the lab's own `podplay node ...` line.
pub fn may_change(args: &[String]) -> bool {
    is_mutating(args) || args.first().map(String::as_str) == Some("podplay")
}

/// `kubectl ARGS...` (`get pods`, `apply -f -` with `manifest` as its standard input), or a
/// whole `podplay node disconnect|reconnect NAME` line, as a scenario step runs it.
pub fn run_with(engine: &mut Engine, args: &[String], manifest: Option<&str>) -> Output {
    match args.first().map(String::as_str) {
        Some("podplay") => mutate::run_line(engine, args, manifest),
        _ if is_mutating(args) => {
            let words: Vec<&str> = args.iter().map(String::as_str).collect();
            mutate::run_mutation(engine, &words, manifest)
        }
        _ => run(engine, args),
    }
}

/// Like [`run_with`], for a command that may take virtual time (`kubectl drain` waiting for
/// evicted pods, or for a disruption budget): `advance` moves the engine's time (the
/// session's job) to each moment the command goes on at.
pub fn run_over_time(engine: &mut Engine, args: &[String], manifest: Option<&str>, advance: &mut dyn FnMut(&mut Engine, Millis)) -> Output {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let (mut out, mut rest) = match words.first() {
        Some(&"podplay") => mutate::run_line_over_time(engine, args, manifest),
        _ if is_mutating(args) => mutate::run_mutation_over_time(engine, &words, manifest),
        _ => (run(engine, args), None),
    };
    while let Some(resume) = rest {
        advance(engine, resume.at);
        let more = resume.rest.borrow_mut().resume(engine);
        out.stdout.push_str(&more.stdout);
        out.stderr.push_str(&more.stderr);
        out.exit_code = more.exit_code;
        rest = more.resume;
    }
    out
}

/// `kubectl get pods -w` from an engine still at the moment the objects were created, up to
/// `until`; `advance` moves the engine's time (the session's job: it replays what was done).
pub fn watch(engine: &mut Engine, args: &[String], until: Millis, advance: &mut dyn FnMut(&mut Engine, Millis)) -> Output {
    let flags = match parse_flags("get", args.get(1..).unwrap_or_default()) {
        Ok(f) => f,
        Err(e) => return Output::err(e),
    };
    match kind_and_names(&flags.positional) {
        Ok((Kind::Pods, names)) if names.is_empty() => watch_pods(engine, &flags, until, advance),
        Ok(_) => Output::err("error: podplay watches pods only: kubectl get pods -w\n".into()),
        Err(e) => Output::err(e),
    }
}

/// `kubectl get pods -w` started when the objects were created: the table, then a row for every
/// later write of a pod (each new resourceVersion, even when the row reads the same, as kubectl
/// prints every MODIFIED event) and the last object again when it is deleted, all aligned by one
/// writer that remembers its column widths (liggitt/tabwriter RememberWidths, as kubectl's
/// watch printer uses it).
fn watch_pods(engine: &mut Engine, flags: &Flags, until: Millis, advance: &mut dyn FnMut(&mut Engine, Millis)) -> Output {
    let wide = flags.output.as_deref() == Some("wide");
    let ns_column = flags.all_namespaces;
    let release = engine.release();
    let table_opts = flags.table_options();
    let row = |pod: &Pod, now: Millis| -> String {
        let r = printers::print_pod(pod, now, release);
        let mut cells = Vec::new();
        if ns_column {
            cells.push(pod.metadata.namespace().to_string());
        }
        cells.extend([r.name, r.ready, r.status, r.restarts, r.age]);
        if wide {
            cells.extend([r.ip, r.node, r.nominated_node, r.readiness_gates]);
        }
        cells.extend(table_opts.extra_cells(&pod.metadata.labels));
        cells.join("\t") + "\n"
    };
    let mut headers: Vec<&str> = Vec::new();
    if ns_column {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    if wide {
        headers.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    }
    let extra = table_opts.extra_headers();
    headers.extend(extra.iter().map(String::as_str));
    let mut writer = podplay_k8s_util::tabwriter::TabWriter::kubectl_get();
    if !table_opts.no_headers {
        writer.write_str(&(headers.join("\t") + "\n"));
    }
    // The watch starts right after `kubectl create`: the initial list is the pods as created.
    advance(engine, 0);
    // The watch's first rows are a list, which the API returns by namespace, then name.
    let mut initial: Vec<Pod> = engine.pods().cloned().collect();
    podplay_k8s_util::sort::sort_by(&mut initial, |a, b| {
        (a.metadata.namespace(), &a.metadata.name).cmp(&(b.metadata.namespace(), &b.metadata.name))
    });
    engine.watch_pods();
    advance(engine, until);
    let mut out = String::new();
    let in_scope = |pod: &Pod| flags.all_namespaces || pod.metadata.namespace() == flags.namespace;
    if let Some(print) = watch_object_printer(flags.output.as_deref()) {
        // get.go's watch prints the initial list's items, then each event's object, with one
        // printer (the YAML printer puts `---` before every object after its first).
        let pods = initial.iter().filter(|p| in_scope(p)).chain(engine.pod_writes().iter().map(|w| &w.pod).filter(|p| in_scope(p)));
        for (i, pod) in pods.enumerate() {
            out.push_str(&print(pod, i));
        }
        return Output::ok(out);
    }
    for pod in initial.iter().filter(|p| in_scope(p)) {
        writer.write_str(&row(pod, 0));
    }
    out.push_str(&writer.flush());
    for write in engine.pod_writes().iter().filter(|w| in_scope(&w.pod)) {
        writer.write_str(&row(&write.pod, write.at));
        out.push_str(&writer.flush());
    }
    Output { stdout: out, stderr: String::new(), exit_code: 0 }
}

/// How a watch prints each object for `-o json|yaml|name` (the `i`th object printed so far).
fn watch_object_printer(output: Option<&str>) -> Option<fn(&Pod, usize) -> String> {
    match output? {
        "json" => Some(|pod, _| objects::pods_document(&[pod], true, true)),
        "yaml" => Some(|pod, i| format!("{}{}", if i > 0 { "---\n" } else { "" }, objects::pods_document(&[pod], true, false))),
        "name" => Some(|pod, _| format!("pod/{}\n", pod.metadata.name)),
        _ => None,
    }
}

/// Runs `kubectl ARGS...` against the engine at its current time.
pub fn run(engine: &mut Engine, args: &[String]) -> Output {
    let Some(verb) = args.first() else {
        return Output::err("error: podplay needs a kubectl command, e.g. kubectl get pods\n".into());
    };
    if verb == "rollout" {
        // Without a session to move time, the status of this moment (as `--watch=false`).
        return rollout(engine, args, &mut |_, _| {});
    }
    if verb == "events" && engine.release().kubectl_events {
        let words: Vec<&str> = args[1..].iter().map(String::as_str).collect();
        return events_cmd::events(engine, &words);
    }
    match verb.as_str() {
        v if READ_VERBS.contains(&v) && v != "events" => {}
        v if mutate::MUTATING_VERBS.contains(&v) => {
            let words: Vec<&str> = args.iter().map(String::as_str).collect();
            return mutate::run_mutation(engine, &words, None);
        }
        other => return Output::err(format!("error: unknown command \"{other}\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n")),
    }
    let flags = match parse_flags(verb, &args[1..]) {
        Ok(f) => f,
        Err(e) => return Output::err(e),
    };
    match verb.as_str() {
        "get" => get(engine, &flags),
        "describe" => describe(engine, &flags),
        _ => logs(engine, &flags),
    }
}

/// Splits `pod/x` or `pod x` into a kind and names.
fn kind_and_names(positional: &[String]) -> Result<(Kind, Vec<String>), String> {
    let Some(first) = positional.first() else {
        return Err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n".into());
    };
    let (kind_word, mut names) = match first.split_once('/') {
        Some((k, n)) => (k.to_string(), vec![n.to_string()]),
        None => (first.clone(), Vec::new()),
    };
    let kind = Kind::parse(&kind_word).ok_or_else(|| format!("error: the server doesn't have a resource type \"{kind_word}\"\n"))?;
    for p in &positional[1..] {
        match p.split_once('/') {
            Some((k, n)) if Kind::parse(k) == Some(kind) => names.push(n.to_string()),
            Some(_) => return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".into()),
            None => names.push(p.clone()),
        }
    }
    Ok((kind, names))
}

fn not_found(kind: Kind, name: &str) -> String {
    format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.plural())
}

/// What `get` prints when it lists nothing: a table says `No resources found` on stderr (get.go
/// `Run`, when nothing was written); `-o name` goes through printGeneric, which prints nothing.
fn nothing_listed(flags: &Flags, kind: Kind) -> Output {
    if flags.output.as_deref() == Some("name") {
        return Output::default();
    }
    Output::err(no_resources(flags, kind)).with_code(0)
}

fn no_resources(flags: &Flags, kind: Kind) -> String {
    if flags.all_namespaces || !kind.namespaced() {
        "No resources found\n".into()
    } else {
        format!("No resources found in {} namespace.\n", flags.namespace)
    }
}

fn in_scope(flags: &Flags, namespace: &str) -> bool {
    flags.all_namespaces || namespace == flags.namespace
}

/// Pods of the scope, sorted as the API lists them (namespace, then name).
fn listed_pods<'a>(engine: &'a Engine, flags: &Flags) -> Vec<&'a Pod> {
    let mut pods: Vec<&Pod> = engine.pods().filter(|p| in_scope(flags, p.metadata.namespace())).collect();
    podplay_k8s_util::sort::sort_by(&mut pods, |a, b| {
        (a.metadata.namespace(), &a.metadata.name).cmp(&(b.metadata.namespace(), &b.metadata.name))
    });
    pods
}

/// The template of `-o jsonpath=TEMPLATE` (`-o jsonpath` alone: an empty one, which kubectl
/// refuses).
fn jsonpath_template(output: &str) -> Option<&str> {
    if output == "jsonpath" {
        return Some("");
    }
    output.strip_prefix("jsonpath=")
}

/// The `-o` format's name in podplay's refusals (a template or spec left out).
fn output_word(output: &str) -> &str {
    output.split_once('=').map_or(output, |(word, _)| word)
}

/// The spec of `-o custom-columns=SPEC` (`-o custom-columns` alone: an empty one, which kubectl
/// refuses).
fn custom_columns_spec(output: &str) -> Option<&str> {
    if output == "custom-columns" {
        return Some("");
    }
    output.strip_prefix("custom-columns=")
}

/// `-o yaml|json|jsonpath=|custom-columns=` of objects of any kind: the API objects `value` builds (one for
/// `get KIND NAME`, a `List` otherwise), printed by kubectl's generic printers; None for the
/// other formats. `stderr` holds the NotFound errors of the names not found.
fn api_objects_output<T>(
    engine: &Engine,
    flags: &Flags,
    items: &[T],
    names: &[String],
    stderr: &str,
    value: impl Fn(&T) -> serde_json::Value,
) -> Option<Output> {
    api_objects_output_at(engine, flags, items.len(), names, stderr, &|i| value(&items[i]))
}

/// [`api_objects_output`] of `len` objects, the `i`th `value(i)` (one copy for every kind).
fn api_objects_output_at(
    engine: &Engine,
    flags: &Flags,
    len: usize,
    names: &[String],
    stderr: &str,
    value: &dyn Fn(usize) -> serde_json::Value,
) -> Option<Output> {
    let output = flags.output.as_deref().unwrap_or("");
    let single = names.len() == 1 && len == 1;
    let code = if stderr.is_empty() { 0 } else { 1 };
    let stderr = stderr.trim_start().to_string();
    if is_generic_output(flags) && names.len() == 1 && len == 0 {
        // printGeneric returns the one named object's error (singleItemImplied), printing nothing.
        return Some(Output { stdout: String::new(), stderr, exit_code: 1 });
    }
    if let Some(template) = jsonpath_template(output) {
        return Some(jsonpath_output(engine, flags, template, || objects::objects_value_at(len, single, value), stderr));
    }
    if let Some(spec) = custom_columns_spec(output) {
        let printed = custom_columns::print(spec, &objects::objects_value_at(len, single, value), flags.no_headers);
        return Some(match printed {
            Ok(stdout) => Output { stdout, stderr, exit_code: code },
            Err((stdout, error)) => Output { stdout, stderr: stderr + &error, exit_code: 1 },
        });
    }
    // `-o yaml|json` print an empty List (printGeneric), not "No resources found".
    let json = match output {
        "yaml" => false,
        "json" => true,
        _ => return None,
    };
    Some(Output { stdout: objects::objects_document_at(len, single, json, value), stderr, exit_code: code })
}

/// The rest of a `get` of a kind whose API objects podplay builds, once its objects are
/// selected: `--sort-by` over their API objects (`value`), then the generic printers (`-o
/// yaml|json|jsonpath|custom-columns`), else `-o name` or the kind's `table`.
#[allow(clippy::too_many_arguments)]
fn print_objects<'a, T>(
    engine: &Engine,
    flags: &Flags,
    kind: Kind,
    names: &[String],
    (mut items, stderr): (Vec<&'a T>, String),
    value: impl Fn(&&'a T) -> serde_json::Value,
    name_of: impl Fn(&'a T) -> &'a str,
    table: impl FnOnce(&[&'a T]) -> String,
) -> Output {
    if let Err(e) = sort_rows(flags, engine, &mut items, &value) {
        return Output::err(e);
    }
    if let Some(out) = api_objects_output(engine, flags, &items, names, &stderr, &value) {
        return out;
    }
    let as_names = flags.output.as_deref() == Some("name");
    table_output(items.is_empty(), stderr, flags, kind, || {
        if as_names {
            name_lines(kind, items.iter().map(|o| name_of(o)))
        } else {
            table(&items)
        }
    })
}

/// `-o jsonpath=...`: kubectl's generic printing (no "No resources found": an empty `List`
/// goes through the template too).
fn jsonpath_output(engine: &Engine, flags: &Flags, template: &str, data: impl FnOnce() -> serde_json::Value, mut stderr: String) -> Output {
    // kubectl builds the printer once the objects are fetched; its error replaces theirs.
    let parsed = match jsonpath::printer(template) {
        Ok(p) => p,
        Err(e) => return Output::err(e),
    };
    let style = jsonpath::TextStyle { null_as_json: engine.release().kubectl_jsonpath_null_text };
    let printed = jsonpath::print_obj(template, &parsed, &data(), flags.allow_missing_template_keys.unwrap_or(true), style);
    let (stdout, code) = match printed {
        Ok(out) => (out, if stderr.is_empty() { 0 } else { 1 }),
        Err(e) => {
            stderr.push_str(&e);
            (String::new(), 1)
        }
    };
    Output { stdout, stderr, exit_code: code }
}

/// A pflag bool value (strconv.ParseBool).
fn parse_go_bool(flag: &str, value: &str) -> Result<bool, String> {
    go_bool(value).ok_or_else(|| {
        format!("error: invalid argument {value:?} for \"--{flag}\" flag: strconv.ParseBool: parsing {value:?}: invalid syntax\n")
    })
}

/// strconv.ParseBool's values.
pub(crate) fn go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn get(engine: &Engine, flags: &Flags) -> Output {
    match several_kinds(&flags.positional) {
        Ok(Some(kinds)) => get_several(engine, flags, &kinds),
        Ok(None) => get_kind(engine, flags, false),
        Err(e) => Output::err(e),
    }
}

/// `get` of one kind; `prefixed`: names as `kind/name` (several kinds printed at once).
fn get_kind(engine: &Engine, flags: &Flags, prefixed: bool) -> Output {
    let (kind, names) = match kind_and_names(&flags.positional) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    let sel = match Selection::of(flags, kind, &names) {
        Ok(s) => s,
        Err(e) => return Output::err(e),
    };
    let output = flags.output.as_deref().unwrap_or("");
    let wide = output == "wide";
    let jsonpath = jsonpath_template(output);
    if !output.is_empty() && !OUTPUT_FORMATS.contains(&output) && jsonpath.is_none() && custom_columns_spec(output).is_none() {
        return Output::err(format!("error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"));
    }
    let now = engine.now();
    let ns_col = flags.all_namespaces && names.is_empty();
    let as_names = output == "name";
    let mut table_opts = flags.table_options();
    table_opts.kind_prefix = prefixed.then(|| kind.name_prefix());
    match kind {
        Kind::Pods => {
            let all = listed_pods(engine, flags).into_iter().filter(|p| sel.pod(p)).collect();
            let (mut pods, mut stderr) = select_named(all, &names, kind, |p| &p.metadata.name);
            if let Err(e) = sort_rows(flags, engine, &mut pods, |p| objects::pod_value(p)) {
                return Output::err(e);
            }
            if let Some(out) = api_objects_output(engine, flags, &pods, &names, &stderr, |p| objects::pod_value(p)) {
                return out;
            }
            if pods.is_empty() && stderr.is_empty() {
                return nothing_listed(flags, kind);
            }
            let stdout = match output {
                "name" => name_lines(kind, pods.iter().map(|p| p.metadata.name.as_str())),
                _ if pods.is_empty() => String::new(),
                _ => printers::pods_table(&pods, now, engine.release(), wide, ns_col, &table_opts),
            };
            let code = if stderr.is_empty() { 0 } else { 1 };
            stderr = stderr.trim_start().to_string();
            Output { stdout, stderr, exit_code: code }
        }
        Kind::Services => {
            let mut all: Vec<_> =
                engine.services().iter().filter(|s| in_scope(flags, s.metadata.namespace()) && sel.object(&s.metadata)).collect();
            podplay_k8s_util::sort::sort_by(&mut all, |a, b| {
                (a.metadata.namespace(), &a.metadata.name).cmp(&(b.metadata.namespace(), &b.metadata.name))
            });
            let (mut svcs, stderr) = select_named(all, &names, kind, |s| &s.metadata.name);
            // A Service podplay cannot serve whole still sorts by the fields it has.
            let value =
                |s: &&podplay_core::model::Service| api_objects::service_value(s).unwrap_or_else(|_| sort_by::object_value(*s, "Service"));
            if let Err(e) = sort_rows(flags, engine, &mut svcs, value) {
                return Output::err(e);
            }
            if is_generic_output(flags) {
                if let Some(reason) = svcs.iter().find_map(|s| api_objects::service_value(s).err()) {
                    return Output::err(format!(
                        "error: podplay prints no -o {} of {reason}; kubectl get services (-o wide|name) or kubectl describe services shows it\n",
                        output_word(output)
                    ));
                }
            }
            if let Some(out) = api_objects_output(engine, flags, &svcs, &names, &stderr, value) {
                return out;
            }
            table_output(svcs.is_empty(), stderr, flags, kind, || {
                if as_names {
                    name_lines(kind, svcs.iter().map(|s| s.metadata.name.as_str()))
                } else {
                    printers::services_table(&svcs, now, wide, ns_col, &table_opts)
                }
            })
        }
        Kind::Endpoints => {
            let endpoints = engine.endpoints();
            let labels_of = |e: &podplay_core::model::Endpoints| endpoints_meta(engine, e);
            let mut all: Vec<_> = endpoints.iter().filter(|e| in_scope(flags, &e.namespace) && sel.object(&labels_of(e))).collect();
            podplay_k8s_util::sort::sort_by(&mut all, |a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
            let (eps, stderr) = select_named(all, &names, kind, |e| &e.name);
            // Endpoints have no wide-only columns: `-o wide` prints the same table.
            let mut out = print_objects(
                engine,
                flags,
                kind,
                &names,
                (eps, stderr),
                |e| endpoints_value(engine, e),
                |e| e.name.as_str(),
                |eps| {
                    let metas: Vec<_> = eps.iter().map(|e| labels_of(e)).collect();
                    let labels: Vec<_> = metas.iter().map(|m| &m.labels).collect();
                    printers::endpoints_table(eps, now, ns_col, &labels, &table_opts)
                },
            );
            if engine.release().endpoints_deprecation_warning {
                // kubectl prints the response's warning header before anything else.
                out.stderr.insert_str(0, "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n");
            }
            out
        }
        Kind::Nodes => {
            let mut all: Vec<_> = engine.node_records().iter().filter(|r| !r.removed && sel.node(r)).collect();
            podplay_k8s_util::sort::sort_by(&mut all, |a, b| a.node.metadata.name.cmp(&b.node.metadata.name));
            let (nodes, stderr) = select_named(all, &names, kind, |n| &n.node.metadata.name);
            let value = |r: &&podplay_core::engine::NodeRecord| api_objects::node_value(r, engine.release());
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (nodes, stderr),
                value,
                |r| r.node.metadata.name.as_str(),
                |nodes| printers::nodes_table(nodes, now, wide, &table_opts),
            )
        }
        Kind::Deployments => {
            let (items, stderr) = in_scope_named(
                engine.deployment_records().iter().filter(|r| !r.removed),
                |r| &r.deployment.metadata,
                flags,
                &sel,
                &names,
                kind,
            );
            let value = |r: &&podplay_core::engine::DeploymentRecord| api_objects::deployment_value(r, engine.release());
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |r| r.name(),
                |items| workloads::deployments_table(items, now, wide, ns_col, &table_opts),
            )
        }
        Kind::ReplicaSets => {
            let (items, stderr) =
                in_scope_named(engine.replica_set_records().iter().filter(|r| !r.removed), |r| &r.rs.metadata, flags, &sel, &names, kind);
            let value = |r: &&podplay_core::engine::ReplicaSetRecord| api_objects::replica_set_value(r, engine.release());
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |r| r.name(),
                |items| workloads::replica_sets_table(items, now, wide, ns_col, &table_opts),
            )
        }
        Kind::Jobs => {
            let (items, stderr) =
                in_scope_named(engine.job_records().iter().filter(|r| !r.removed), |r| &r.job.metadata, flags, &sel, &names, kind);
            let value = |r: &&podplay_core::engine::JobRecord| api_objects::job_value(r, engine.release());
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |r| r.name(),
                |items| jobs::jobs_table(items, now, wide, ns_col, &table_opts, engine.release()),
            )
        }
        Kind::CronJobs => {
            let records = engine.cron_job_records().iter().filter(|r| !r.removed);
            let (items, stderr) = in_scope_named(records, |r| &r.cron_job.metadata, flags, &sel, &names, kind);
            let value = |r: &&podplay_core::engine::CronJobRecord| api_objects::cron_job_value(r, engine.release());
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |r| r.name(),
                |items| cronjobs::cron_jobs_table(items, now, wide, ns_col, &table_opts, engine.release()),
            )
        }
        Kind::ConfigMaps => {
            let (items, stderr) = in_scope_named(engine.config_maps().iter(), |o| &o.metadata, flags, &sel, &names, kind);
            let value = |c: &&podplay_core::model::ConfigMap| api_objects::config_map_value(c);
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |c| c.metadata.name.as_str(),
                |items| configs::config_maps_table(items, now, ns_col, &table_opts),
            )
        }
        Kind::Secrets => {
            let (items, stderr) = in_scope_named(engine.secrets().iter(), |o| &o.metadata, flags, &sel, &names, kind);
            let value = |c: &&podplay_core::model::Secret| api_objects::secret_value(c);
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |s| s.metadata.name.as_str(),
                |items| configs::secrets_table(items, now, ns_col, &table_opts),
            )
        }
        Kind::Namespaces => {
            let (items, stderr) = namespaces_selected(engine, &sel, &names);
            let value = |r: &&podplay_core::engine::NamespaceRecord| api_objects::namespace_value(r);
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |r| r.namespace.metadata.name.as_str(),
                |items| namespaces::namespaces_table(items, now, &table_opts),
            )
        }
        Kind::PodDisruptionBudgets => {
            let records = engine.pdb_records().iter().filter(|r| !r.removed);
            let (items, stderr) = in_scope_named(records, |r| &r.pdb.metadata, flags, &sel, &names, kind);
            let value = |r: &&podplay_core::engine::PdbRecord| podplay_core::api_json::pdb_value(r);
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |r| r.name(),
                |items| pdbs::pdbs_table(items, now, ns_col, &table_opts),
            )
        }
        Kind::StatefulSets => {
            let (items, stderr) = stateful_sets_in_scope(engine, flags, &sel, &names, kind);
            let value = |r: &&podplay_core::engine::StatefulSetRecord| api_objects::stateful_set_value(r, engine.release());
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |r| r.name(),
                |items| statefulsets::stateful_sets_table(items, now, wide, ns_col, &table_opts),
            )
        }
        Kind::DaemonSets => {
            let (items, stderr) = daemon_sets_in_scope(engine, flags, &sel, &names, kind);
            let value = |r: &&podplay_core::engine::DaemonSetRecord| api_objects::daemon_set_value(r, engine.release());
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                value,
                |r| r.name(),
                |items| daemonsets::daemon_sets_table(items, now, wide, ns_col, &table_opts),
            )
        }
        Kind::Events => {
            let mut events: Vec<&Event> = engine.stored_events().iter().filter(|e| in_scope(flags, &e.namespace) && sel.event(e)).collect();
            // The API lists them by namespace, then name (the name embeds the creation time).
            podplay_k8s_util::sort::sort_by(&mut events, |a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
            let (items, stderr) = select_named(events, &names, kind, |e| &e.name);
            print_objects(
                engine,
                flags,
                kind,
                &names,
                (items, stderr),
                |e| api_objects::event_value(e),
                |e| e.name.as_str(),
                |items| printers::events_table(items, now, wide, ns_col, &table_opts),
            )
        }
    }
}

/// The metadata an Endpoints object is selected and labelled by (its Service's labels).
fn endpoints_meta(engine: &Engine, e: &podplay_core::model::Endpoints) -> podplay_core::model::ObjectMeta {
    api_objects::endpoints_meta(e, endpoints_service(engine, e))
}

/// The Service an Endpoints object is for.
fn endpoints_service<'a>(engine: &'a Engine, e: &podplay_core::model::Endpoints) -> Option<&'a podplay_core::model::Service> {
    engine.services().iter().find(|s| s.metadata.name == e.name && s.metadata.namespace() == e.namespace)
}

/// `--sort-by`: the rows (in the API's order) sorted as kubectl sorts them (`sort_by.rs`).
fn sort_rows<T>(flags: &Flags, engine: &Engine, rows: &mut Vec<T>, value: impl Fn(&T) -> serde_json::Value) -> Result<(), String> {
    let Some(field) = &flags.sort_by else { return Ok(()) };
    let by = sort_by::SortBy::parse(field)?;
    if rows.is_empty() {
        return Ok(());
    }
    by.sort(rows, value, engine.release())
}

/// An Endpoints object as the API serves it.
fn endpoints_value(engine: &Engine, e: &podplay_core::model::Endpoints) -> serde_json::Value {
    api_objects::endpoints_value(e, endpoints_service(engine, e))
}

impl Flags {
    fn table_options(&self) -> printers::TableOptions {
        printers::TableOptions {
            label_columns: self.label_columns.clone(),
            show_labels: self.show_labels,
            no_headers: self.no_headers,
            kind_prefix: None,
        }
    }
}

/// The kinds of `get pods,svc` or `get all` (the `all` category: of the kinds podplay has,
/// pods and services, in discovery order), each once, in the order given; None for one kind.
fn several_kinds(positional: &[String]) -> Result<Option<Vec<Kind>>, String> {
    let Some(first) = positional.first().filter(|f| !f.contains('/') && (f.contains(',') || f.as_str() == "all")) else { return Ok(None) };
    let mut kinds = Vec::new();
    for word in first.split(',') {
        let found = match word {
            "all" => {
                vec![
                    Kind::Pods,
                    Kind::Services,
                    Kind::DaemonSets,
                    Kind::Deployments,
                    Kind::ReplicaSets,
                    Kind::StatefulSets,
                    Kind::CronJobs,
                    Kind::Jobs,
                ]
            }
            w => vec![Kind::parse(w).ok_or_else(|| format!("error: the server doesn't have a resource type \"{w}\"\n"))?],
        };
        for k in found {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
    }
    Ok(Some(kinds))
}

/// `kubectl get KIND1,KIND2 [NAME...]`: each kind's output in turn (get.go `Run`): names get a
/// `kind/` prefix when the objects found are of more than one kind (`multipleGVKsRequested`),
/// each table has its own column widths and, with headers, an empty line before it when
/// something was printed already; `-o name` lists them all; one `No resources found` when
/// nothing was.
fn get_several(engine: &Engine, flags: &Flags, kinds: &[Kind]) -> Output {
    let names = flags.positional[1..].to_vec();
    if is_generic_output(flags) {
        return get_several_objects(engine, flags, kinds, &names);
    }
    let one = |kind: Kind, prefixed: bool| {
        let mut sub = flags.clone();
        sub.positional = std::iter::once(kind.plural().to_string()).chain(names.iter().cloned()).collect();
        get_kind(engine, &sub, prefixed)
    };
    let mut outputs: Vec<Output> = kinds.iter().map(|&k| one(k, false)).collect();
    // Only when objects of two kinds or more were found do the names need their prefix.
    if outputs.iter().filter(|o| !o.stdout.is_empty()).count() > 1 {
        outputs = kinds.iter().map(|&k| one(k, true)).collect();
    }
    let table = matches!(flags.output.as_deref(), None | Some("wide"));
    let mut out = Output::default();
    let mut warnings = String::new();
    for o in outputs {
        // API warnings (the Endpoints deprecation) come with the responses, before any output.
        for line in o.stderr.lines() {
            if line.starts_with("Warning: ") {
                warnings.push_str(line);
                warnings.push('\n');
            } else if !line.starts_with("No resources found") {
                out.stderr.push_str(line);
                out.stderr.push('\n');
            }
        }
        if !o.stdout.is_empty() {
            if table && !flags.no_headers && !out.stdout.is_empty() {
                out.stdout.push('\n');
            }
            out.stdout.push_str(&o.stdout);
        }
        out.exit_code = out.exit_code.max(o.exit_code);
    }
    if out.stdout.is_empty() && out.stderr.is_empty() {
        let namespaced = kinds.iter().all(|k| k.namespaced());
        out.stderr = if namespaced && !flags.all_namespaces {
            format!("No resources found in {} namespace.\n", flags.namespace)
        } else {
            "No resources found\n".into()
        };
    }
    out.stderr.insert_str(0, &warnings);
    out
}

/// `-o yaml|json|jsonpath=|custom-columns=`: kubectl's printGeneric, not a table per kind.
fn is_generic_output(flags: &Flags) -> bool {
    let output = flags.output.as_deref().unwrap_or("");
    matches!(output, "yaml" | "json") || jsonpath_template(output).is_some() || custom_columns_spec(output).is_some()
}

/// `get KIND1,KIND2 -o yaml|json|jsonpath=`: printGeneric prints every object found, of every
/// kind, in one `List` (get.go `Run`). Each kind's objects are what `get KIND -o json` prints
/// (the one object, or its `List`'s items), gathered in the order of the kinds.
fn get_several_objects(engine: &Engine, flags: &Flags, kinds: &[Kind], names: &[String]) -> Output {
    let mut items = Vec::new();
    let mut stderr = String::new();
    // API warnings (the Endpoints deprecation) come with the responses, before any output,
    // and are no error.
    let mut warnings = String::new();
    for &kind in kinds {
        let mut sub = flags.clone();
        sub.positional = std::iter::once(kind.plural().to_string()).chain(names.iter().cloned()).collect();
        sub.output = Some("json".into());
        let out = get_kind(engine, &sub, false);
        let mut errors = String::new();
        for line in out.stderr.split_inclusive('\n') {
            if line.starts_with("Warning: ") {
                warnings.push_str(line);
            } else {
                errors.push_str(line);
            }
        }
        if out.exit_code != 0 && out.stdout.is_empty() && !errors.starts_with("Error from server (NotFound)") {
            return out;
        }
        stderr.push_str(&errors);
        match serde_json::from_str::<serde_json::Value>(&out.stdout) {
            Ok(serde_json::Value::Object(mut obj)) if obj.get("kind").and_then(|k| k.as_str()) == Some("List") => {
                if let Some(serde_json::Value::Array(list)) = obj.remove("items") {
                    items.extend(list);
                }
            }
            Ok(object) => items.push(object),
            Err(_) => {}
        }
    }
    let value = |v: &serde_json::Value| v.clone();
    let none = Vec::new();
    let mut out = api_objects_output(engine, flags, &items, &none, &stderr, value).unwrap_or_default();
    out.stderr.insert_str(0, &warnings);
    out
}

impl Output {
    fn with_code(mut self, code: i32) -> Self {
        self.exit_code = code;
        self
    }
}

fn table_output(empty: bool, stderr: String, flags: &Flags, kind: Kind, table: impl FnOnce() -> String) -> Output {
    if empty && stderr.is_empty() {
        return nothing_listed(flags, kind);
    }
    let stdout = if empty { String::new() } else { table() };
    let code = if stderr.is_empty() { 0 } else { 1 };
    Output { stdout, stderr, exit_code: code }
}

/// The fields `--field-selector` can use per kind (`pkg/apis/core/v1/conversion.go`).
fn selectable_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Pods => &[
            "metadata.name",
            "metadata.namespace",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        Kind::Events => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
            "metadata.namespace",
            "metadata.name",
        ],
        Kind::Nodes => &["metadata.name", "spec.unschedulable"],
        Kind::Services
        | Kind::Endpoints
        | Kind::Deployments
        | Kind::ReplicaSets
        | Kind::Jobs
        | Kind::CronJobs
        | Kind::StatefulSets
        | Kind::DaemonSets
        | Kind::ConfigMaps
        | Kind::Secrets
        | Kind::PodDisruptionBudgets => &["metadata.name", "metadata.namespace"],
        Kind::Namespaces => &["metadata.name", "status.phase"],
    }
}

/// `-l` and `--field-selector` parsed for `kind`; the error is what kubectl prints.
struct Selection {
    labels: selectors::LabelSelector,
    fields: selectors::FieldSelector,
}

impl Selection {
    fn of(flags: &Flags, kind: Kind, names: &[String]) -> Result<Selection, String> {
        let (label_text, field_text) = (flags.selector.as_deref().unwrap_or(""), flags.field_selector.as_deref().unwrap_or(""));
        if !names.is_empty() && (flags.selector.is_some() || flags.field_selector.is_some()) {
            return Err("error: name cannot be provided when a selector is specified\n".into());
        }
        // The API server's BadRequest, as cli-runtime's selector.go words it.
        let bad = |why: String| {
            format!("Error from server (BadRequest): Unable to find {{\"\" \"v1\" \"{}\"}} that match label selector {label_text:?}, field selector {field_text:?}: {why}\n", kind.plural())
        };
        let labels = selectors::LabelSelector::parse(label_text).map_err(bad)?;
        let fields = selectors::FieldSelector::parse(field_text, selectable_fields(kind)).map_err(bad)?;
        Ok(Selection { labels, fields })
    }

    fn pod(&self, p: &Pod) -> bool {
        self.labels.matches(&p.metadata.labels)
            && self.fields.matches(|f| match f {
                "metadata.name" => p.metadata.name.clone(),
                "metadata.namespace" => p.metadata.namespace().to_string(),
                "spec.nodeName" => p.spec.node_name.clone().unwrap_or_default(),
                "spec.restartPolicy" => p.spec.restart_policy.clone().unwrap_or_default(),
                "spec.schedulerName" => p.spec.scheduler_name.clone().unwrap_or_else(|| "default-scheduler".into()),
                "spec.serviceAccountName" => p.spec.service_account_name.clone().unwrap_or_default(),
                "spec.hostNetwork" => (p.spec.host_network.as_ref().and_then(|v| v.as_bool()) == Some(true)).to_string(),
                "status.phase" => p.status.phase.clone(),
                "status.podIP" | "status.podIPs" => p.status.pod_ip.clone().unwrap_or_default(),
                _ => String::new(),
            })
    }

    fn event(&self, e: &podplay_core::model::Event) -> bool {
        let o = &e.involved_object;
        // Events carry no labels here, so a label selector with a requirement matches none of
        // them unless it only excludes (as with labels on a real cluster's events).
        self.labels.matches(&Default::default())
            && self.fields.matches(|f| match f {
                "involvedObject.kind" => o.kind.clone(),
                "involvedObject.namespace" => o.namespace.clone(),
                "involvedObject.name" => o.name.clone(),
                "involvedObject.uid" => o.uid.clone(),
                "involvedObject.apiVersion" => o.api_version.clone(),
                "involvedObject.fieldPath" => o.field_path.clone().unwrap_or_default(),
                "reason" => e.reason.clone(),
                "reportingComponent" => e.reporting_controller.clone(),
                "source" => e.source_component.clone(),
                "type" => e.kind.clone(),
                "metadata.namespace" => e.namespace.clone(),
                "metadata.name" => e.name.clone(),
                _ => String::new(),
            })
    }

    fn object(&self, meta: &podplay_core::model::ObjectMeta) -> bool {
        self.labels.matches(&meta.labels)
            && self.fields.matches(|f| match f {
                "metadata.name" => meta.name.clone(),
                "metadata.namespace" => meta.namespace().to_string(),
                _ => String::new(),
            })
    }

    fn node(&self, r: &podplay_core::engine::NodeRecord) -> bool {
        self.labels.matches(&r.node.metadata.labels)
            && self.fields.matches(|f| match f {
                "metadata.name" => r.node.metadata.name.clone(),
                "spec.unschedulable" => r.node.spec.unschedulable.unwrap_or(false).to_string(),
                _ => String::new(),
            })
    }
}

/// The namespaces `get`/`describe` show (cluster-scoped: `-n` does not narrow them), by name.
fn namespaces_selected<'a>(
    engine: &'a Engine,
    sel: &Selection,
    names: &[String],
) -> (Vec<&'a podplay_core::engine::NamespaceRecord>, String) {
    let all = engine
        .namespaces()
        .iter()
        .filter(|r| {
            sel.labels.matches(&r.namespace.metadata.labels)
                && sel.fields.matches(|f| match f {
                    "metadata.name" => r.namespace.metadata.name.clone(),
                    "status.phase" => r.phase().to_string(),
                    _ => String::new(),
                })
        })
        .collect();
    select_named(all, names, Kind::Namespaces, |r| &r.namespace.metadata.name)
}

/// `get KIND NAME...`: the named objects in argument order, a NotFound line for each missing one.
/// The DaemonSets `get`/`describe` show: in scope, selected, by namespace and name.
fn daemon_sets_in_scope<'a>(
    engine: &'a Engine,
    flags: &Flags,
    sel: &Selection,
    names: &[String],
    kind: Kind,
) -> (Vec<&'a podplay_core::engine::DaemonSetRecord>, String) {
    in_scope_named(engine.daemon_set_records().iter().filter(|r| !r.removed), |r| &r.set.metadata, flags, sel, names, kind)
}

/// The StatefulSets `get`/`describe` show: in scope, selected, by namespace and name.
fn stateful_sets_in_scope<'a>(
    engine: &'a Engine,
    flags: &Flags,
    sel: &Selection,
    names: &[String],
    kind: Kind,
) -> (Vec<&'a podplay_core::engine::StatefulSetRecord>, String) {
    in_scope_named(engine.stateful_set_records().iter().filter(|r| !r.removed), |r| &r.set.metadata, flags, sel, names, kind)
}

/// The objects of the flags' scope that the selector picks, as the API lists them (namespace,
/// then name), cut to `names` when some are given (with `select_named`'s not-found errors).
fn in_scope_named<'a, T: 'a>(
    objects: impl Iterator<Item = &'a T>,
    meta: impl Fn(&T) -> &podplay_core::model::ObjectMeta,
    flags: &Flags,
    sel: &Selection,
    names: &[String],
    kind: Kind,
) -> (Vec<&'a T>, String) {
    let mut all: Vec<&T> = objects.filter(|o| in_scope(flags, meta(o).namespace()) && sel.object(meta(o))).collect();
    podplay_k8s_util::sort::sort_by(&mut all, |a, b| (meta(a).namespace(), &meta(a).name).cmp(&(meta(b).namespace(), &meta(b).name)));
    select_named(all, names, kind, |o| &meta(o).name)
}

fn select_named<'a, T>(all: Vec<&'a T>, names: &[String], kind: Kind, name_of: impl Fn(&T) -> &String) -> (Vec<&'a T>, String) {
    if names.is_empty() {
        return (all, String::new());
    }
    let mut found = Vec::new();
    let mut stderr = String::new();
    for n in names {
        match all.iter().find(|o| name_of(o) == n) {
            Some(o) => found.push(*o),
            None => stderr.push_str(&not_found(kind, n)),
        }
    }
    (found, stderr)
}

fn describe(engine: &Engine, flags: &Flags) -> Output {
    let (kind, names) = match kind_and_names(&flags.positional) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    let sel = match Selection::of(flags, kind, &names) {
        Ok(s) => s,
        Err(e) => return Output::err(e),
    };
    let now = engine.now();
    let release = engine.release();
    let events = describe::EventsByObject::new(engine.stored_events());
    let mut out = Output::default();
    let mut docs: Vec<String> = Vec::new();
    match kind {
        Kind::Pods => {
            let pods: Vec<&Pod> = listed_pods(engine, flags).into_iter().filter(|p| sel.pod(p)).collect();
            let selected: Vec<&Pod> = if names.is_empty() {
                pods
            } else {
                let (found, stderr) = select_named(pods, &names, kind, |p| &p.metadata.name);
                out.stderr = stderr;
                found
            };
            for p in selected {
                let evs = events.events_of(&p.metadata);
                docs.push(describe::describe_pod(p, &evs, now, release));
            }
        }
        Kind::Services => {
            let mut all: Vec<_> =
                engine.services().iter().filter(|s| in_scope(flags, s.metadata.namespace()) && sel.object(&s.metadata)).collect();
            podplay_k8s_util::sort::sort_by(&mut all, |a, b| {
                (a.metadata.namespace(), &a.metadata.name).cmp(&(b.metadata.namespace(), &b.metadata.name))
            });
            let (svcs, stderr) = select_named(all, &names, kind, |s| &s.metadata.name);
            out.stderr = stderr;
            for s in svcs {
                let endpoints = engine.endpoints();
                let ep = endpoints.iter().find(|e| e.name == s.metadata.name && e.namespace == s.metadata.namespace());
                let evs = events.events_of(&s.metadata);
                docs.push(describe::describe_service(s, ep, &evs, now, release));
            }
        }
        Kind::Nodes => {
            let mut all: Vec<_> = engine.node_records().iter().filter(|r| !r.removed && sel.node(r)).collect();
            podplay_k8s_util::sort::sort_by(&mut all, |a, b| a.node.metadata.name.cmp(&b.node.metadata.name));
            let (nodes, stderr) = select_named(all, &names, kind, |r| &r.node.metadata.name);
            out.stderr = stderr;
            for r in nodes {
                let pods: Vec<&Pod> =
                    engine.pods().filter(|p| p.spec.node_name.as_deref() == Some(r.node.metadata.name.as_str())).collect();
                let evs = events.events_for(&r.node.metadata.name, "", &r.node.metadata.uid);
                docs.push(describe::describe_node(r, &pods, &evs, now, release));
            }
        }
        Kind::Deployments => {
            let (mut items, stderr) = in_scope_named(
                engine.deployment_records().iter().filter(|r| !r.removed),
                |r| &r.deployment.metadata,
                flags,
                &sel,
                &names,
                kind,
            );
            let value = |r: &&podplay_core::engine::DeploymentRecord| api_objects::deployment_value(r, engine.release());
            if let Err(e) = sort_rows(flags, engine, &mut items, value) {
                return Output::err(e);
            }
            if let Some(out) = api_objects_output(engine, flags, &items, &names, &stderr, value) {
                return out;
            }
            out.stderr = stderr;
            for r in items {
                let evs = events.events_of(&r.deployment.metadata);
                docs.push(workloads::describe_deployment(engine, r, &evs, now, release));
            }
        }
        Kind::ReplicaSets => {
            let records = engine.replica_set_records();
            let (items, stderr) = in_scope_named(records.iter().filter(|r| !r.removed), |r| &r.rs.metadata, flags, &sel, &names, kind);
            out.stderr = stderr;
            for item in items {
                let i = records.iter().position(|r| std::ptr::eq(r, item)).unwrap_or_default();
                let evs = events.events_of(&item.rs.metadata);
                docs.push(workloads::describe_replica_set(engine, i, &evs, now, release));
            }
        }
        Kind::Jobs => {
            let (items, stderr) =
                in_scope_named(engine.job_records().iter().filter(|r| !r.removed), |r| &r.job.metadata, flags, &sel, &names, kind);
            out.stderr = stderr;
            for r in items {
                let evs = events.events_of(&r.job.metadata);
                docs.push(jobs::describe_job(r, &evs, now, release));
            }
        }
        Kind::CronJobs => {
            let records = engine.cron_job_records().iter().filter(|r| !r.removed);
            let (items, stderr) = in_scope_named(records, |r| &r.cron_job.metadata, flags, &sel, &names, kind);
            out.stderr = stderr;
            for r in items {
                let evs = events.events_of(&r.cron_job.metadata);
                docs.push(cronjobs::describe_cron_job(r, &evs, now, release));
            }
        }
        Kind::ConfigMaps => {
            let (mut items, stderr) = in_scope_named(engine.config_maps().iter(), |o| &o.metadata, flags, &sel, &names, kind);
            let value = |c: &&podplay_core::model::ConfigMap| api_objects::config_map_value(c);
            if let Err(e) = sort_rows(flags, engine, &mut items, value) {
                return Output::err(e);
            }
            if let Some(out) = api_objects_output(engine, flags, &items, &names, &stderr, value) {
                return out;
            }
            out.stderr = stderr;
            for cm in items {
                let evs = events.events_of(&cm.metadata);
                docs.push(configs::describe_config_map(cm, &evs, now, release));
            }
        }
        Kind::Secrets => {
            let (mut items, stderr) = in_scope_named(engine.secrets().iter(), |o| &o.metadata, flags, &sel, &names, kind);
            let value = |c: &&podplay_core::model::Secret| api_objects::secret_value(c);
            if let Err(e) = sort_rows(flags, engine, &mut items, value) {
                return Output::err(e);
            }
            if let Some(out) = api_objects_output(engine, flags, &items, &names, &stderr, value) {
                return out;
            }
            out.stderr = stderr;
            docs.extend(items.into_iter().map(configs::describe_secret));
        }
        Kind::Namespaces => {
            let (items, stderr) = namespaces_selected(engine, &sel, &names);
            out.stderr = stderr;
            docs.extend(items.into_iter().map(namespaces::describe_namespace));
        }
        Kind::PodDisruptionBudgets => {
            let records = engine.pdb_records().iter().filter(|r| !r.removed);
            let (items, stderr) = in_scope_named(records, |r| &r.pdb.metadata, flags, &sel, &names, kind);
            out.stderr = stderr;
            for r in items {
                let evs = events.events_of(&r.pdb.metadata);
                docs.push(pdbs::describe_pdb(r, &evs, now, release));
            }
        }
        Kind::StatefulSets => {
            let (items, stderr) = stateful_sets_in_scope(engine, flags, &sel, &names, kind);
            out.stderr = stderr;
            let records = engine.stateful_set_records();
            for item in items {
                let i = records.iter().position(|r| std::ptr::eq(r, item)).unwrap_or_default();
                let evs = events.events_of(&item.set.metadata);
                docs.push(statefulsets::describe_stateful_set(item, &engine.stateful_set_pods(i), &evs, now, release));
            }
        }
        Kind::DaemonSets => {
            let (items, stderr) = daemon_sets_in_scope(engine, flags, &sel, &names, kind);
            out.stderr = stderr;
            let records = engine.daemon_set_records();
            for item in items {
                let i = records.iter().position(|r| std::ptr::eq(r, item)).unwrap_or_default();
                let evs = events.events_of(&item.set.metadata);
                docs.push(daemonsets::describe_daemon_set(item, &engine.daemon_set_pods(i), &evs, now, release));
            }
        }
        other => return Output::err(format!("error: podplay cannot describe {} yet\n", other.plural())),
    }
    if docs.is_empty() && out.stderr.is_empty() {
        return Output::err(no_resources(flags, kind)).with_code(0);
    }
    // kubectl describe separates objects with a blank line (cmd/describe: "\n\n" between).
    out.stdout = docs.join("\n\n");
    out.exit_code = if out.stderr.is_empty() { 0 } else { 1 };
    out
}

/// The container `kubectl logs` picks when `-c` is absent (cmd/logs + podcmd.FindOrDefaultContainerByName):
/// the `kubectl.kubernetes.io/default-container` annotation, else the first container, with a
/// `Defaulted container` notice on stderr when the pod has more than one.
fn default_container(pod: &Pod) -> (String, String) {
    if let Some(name) = pod.metadata.annotations.get("kubectl.kubernetes.io/default-container") {
        if pod.spec.containers.iter().any(|c| &c.name == name) {
            return (name.clone(), String::new());
        }
    }
    let first = pod.spec.containers.first().map(|c| c.name.clone()).unwrap_or_default();
    let total = pod.spec.containers.len() + pod.spec.init_containers.len();
    if total <= 1 {
        return (first, String::new());
    }
    (first.clone(), format!("Defaulted container \"{first}\" out of: {}\n", all_container_names(pod)))
}

/// `podcmd.AllContainerNames`: the containers, then the init containers marked `(init)`.
fn all_container_names(pod: &Pod) -> String {
    let mut all: Vec<String> = pod.spec.containers.iter().map(|c| c.name.clone()).collect();
    all.extend(pod.spec.init_containers.iter().map(|c| format!("{} (init)", c.name)));
    all.join(", ")
}

/// `kubectl logs -l SELECTOR`: the last 10 lines (`selectorTail`, unless `--tail`) of each matching pod's
/// container, pod after pod. kubectl keeps the requests in a Go map, so its order of pods
/// varies from run to run; podplay prints them in the API's order, by name.
fn logs_by_selector(engine: &Engine, flags: &Flags) -> Output {
    if !flags.positional.is_empty() {
        return Output::err("error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n".into());
    }
    let sel = match Selection::of(flags, Kind::Pods, &[]) {
        Ok(s) => s,
        Err(e) => return Output::err(e),
    };
    let pods: Vec<&Pod> = listed_pods(engine, flags).into_iter().filter(|p| sel.pod(p)).collect();
    if pods.is_empty() {
        return Output::err(format!("No resources found in {} namespace.\n", flags.namespace)).with_code(0);
    }
    let mut out = Output::default();
    // The containers are all chosen (and "Defaulted container" said) before any log is read.
    let mut chosen: Vec<(&Pod, String)> = Vec::new();
    for pod in &pods {
        let container = match &flags.container {
            Some(c) => c.clone(),
            None => {
                let (c, notice) = default_container(pod);
                out.stderr.push_str(&notice);
                c
            }
        };
        let known = pod.spec.containers.iter().chain(&pod.spec.init_containers).any(|c| c.name == container);
        if !known {
            // logsForObjectWithClient checks every pod before any request is made.
            out.stderr.push_str(&format!(
                "error: container {container} is not valid for pod {} out of: {}\n",
                pod.metadata.name,
                all_container_names(pod)
            ));
            return Output { stdout: String::new(), stderr: out.stderr, exit_code: 1 };
        }
        chosen.push((pod, container));
    }
    for (pod, container) in chosen {
        match engine.container_logs(&pod.metadata.name, pod.metadata.namespace(), &container, flags.previous, log_tail(flags, 10)) {
            Ok(lines) => out.stdout.push_str(&log_text(&lines, flags, engine.now())),
            Err(msg) => {
                // The first failed request ends the command.
                out.stderr.push_str(&format!("Error from server (BadRequest): {msg}\n"));
                out.exit_code = 1;
                break;
            }
        }
    }
    out
}

fn logs(engine: &Engine, flags: &Flags) -> Output {
    if flags.selector.is_some() {
        return logs_by_selector(engine, flags);
    }
    let Some(target) = flags.positional.first() else {
        return Output::err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n".into());
    };
    if let Some((word, object)) = target.split_once('/') {
        match Kind::parse(word) {
            Some(Kind::Pods) => {}
            Some(kind) => return logs_of_object(engine, flags, kind, object),
            None => return Output::err(format!("error: the server doesn't have a resource type \"{word}\"\n")),
        }
    }
    let name = target.strip_prefix("pod/").or_else(|| target.strip_prefix("pods/")).unwrap_or(target);
    let container_arg = flags.container.clone().or_else(|| flags.positional.get(1).cloned());
    let Some(pod) = engine.pod(&flags.namespace, name) else {
        return Output::err(not_found(Kind::Pods, name));
    };
    let (container, notice) = match container_arg {
        Some(c) => (c, String::new()),
        None => default_container(pod),
    };
    match engine.container_logs(name, &flags.namespace, &container, flags.previous, log_tail(flags, -1)) {
        Ok(lines) => Output { stdout: log_text(&lines, flags, engine.now()), stderr: notice, exit_code: 0 },
        Err(msg) if msg.starts_with("pods \"") && msg.ends_with("not found") => {
            Output::err(format!("{notice}Error from server (NotFound): {msg}\n"))
        }
        Err(msg) => Output::err(format!("{notice}Error from server (BadRequest): {msg}\n")),
    }
}

#[cfg(test)]
mod api_object_tests;
#[cfg(test)]
mod apply_tests;
#[cfg(test)]
mod cascade_tests;
#[cfg(test)]
mod cronjob_tests;
#[cfg(test)]
mod daemonset_tests;
#[cfg(test)]
mod generator_tests;
#[cfg(test)]
mod job_tests;
#[cfg(test)]
mod namespace_tests;
#[cfg(test)]
mod patch_tests;
#[cfg(test)]
mod pdb_tests;
#[cfg(test)]
mod pull_error_tests;
#[cfg(test)]
mod rollout_tests;
#[cfg(test)]
mod statefulset_tests;
#[cfg(test)]
mod targets_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

/// `kubectl logs TYPE/NAME`: the logs of the best pod among those the object's selector picks
/// (`LogsForObject`: `SelectorsForObject`, then `GetFirstPod` sorted `ByLogging`), saying which
/// when there are several.
fn logs_of_object(engine: &Engine, flags: &Flags, kind: Kind, name: &str) -> Output {
    let ns = flags.namespace.as_str();
    let found = |meta: &podplay_core::model::ObjectMeta| meta.name == name && meta.namespace() == ns;
    let selector: Option<Box<dyn Fn(&Pod) -> bool + '_>> = match kind {
        Kind::Jobs => {
            engine.job_records().iter().find(|r| !r.removed && found(&r.job.metadata)).map(|r| label_selector(r.job.spec.selector.clone()))
        }
        Kind::Deployments => engine
            .deployment_records()
            .iter()
            .find(|r| !r.removed && found(&r.deployment.metadata))
            .map(|r| label_selector(r.deployment.spec.selector.clone())),
        Kind::ReplicaSets => engine
            .replica_set_records()
            .iter()
            .find(|r| !r.removed && found(&r.rs.metadata))
            .map(|r| label_selector(r.rs.spec.selector.clone())),
        Kind::StatefulSets => engine
            .stateful_set_records()
            .iter()
            .find(|r| !r.removed && found(&r.set.metadata))
            .map(|r| label_selector(r.set.spec.selector.clone())),
        Kind::DaemonSets => engine
            .daemon_set_records()
            .iter()
            .find(|r| !r.removed && found(&r.set.metadata))
            .map(|r| label_selector(r.set.spec.selector.clone())),
        Kind::Services => match engine.services().iter().find(|s| found(&s.metadata)) {
            Some(s) if s.spec.selector.is_empty() => {
                return Output::err(format!(
                    "error: cannot get the logs from *v1.Service: invalid service '{name}': Service is defined without a selector\n"
                ))
            }
            Some(s) => {
                let wanted = s.spec.selector.clone();
                Some(Box::new(move |p: &Pod| wanted.iter().all(|(k, v)| p.metadata.labels.get(k) == Some(v))))
            }
            None => None,
        },
        other => {
            let go_type = match other {
                Kind::CronJobs => "*v1.CronJob",
                Kind::ConfigMaps => "*v1.ConfigMap",
                Kind::Secrets => "*v1.Secret",
                Kind::PodDisruptionBudgets => "*v1.PodDisruptionBudget",
                Kind::Namespaces => "*v1.Namespace",
                Kind::Nodes => "*v1.Node",
                Kind::Endpoints => "*v1.Endpoints",
                _ => "*v1.Event",
            };
            return Output::err(format!("error: cannot get the logs from {go_type}: selector for {go_type} not implemented\n"));
        }
    };
    let Some(selects) = selector else { return Output::err(not_found(kind, name)) };
    let mut pods: Vec<&Pod> = engine.pods().filter(|p| p.metadata.namespace() == ns && selects(p)).collect();
    if pods.is_empty() {
        // GetPodList watches for a pod for --pod-running-timeout (20 s), which a kubectl
        // command in podplay does not wait out.
        return Output::err("error: timed out waiting for the condition\n".into());
    }
    let release = engine.release();
    podplay_k8s_util::gosort::sort(release.kubectl_sort, &mut pods, |a, b| by_logging_less(a, b, release.logging_sidecar_restarts));
    let mut notice = String::new();
    if pods.len() > 1 {
        notice = format!("Found {} pods, using pod/{}\n", pods.len(), pods[0].metadata.name);
    }
    let mut target = flags.clone();
    target.positional = vec![pods[0].metadata.name.clone()];
    target.positional.extend(flags.positional.iter().skip(1).cloned());
    let out = logs(engine, &target);
    Output { stderr: notice + &out.stderr, ..out }
}

fn label_selector(selector: Option<podplay_core::model::LabelSelector>) -> Box<dyn Fn(&Pod) -> bool> {
    // LabelSelectorAsSelector: a nil selector selects nothing, an empty one everything.
    Box::new(move |p: &Pod| selector.as_ref().is_some_and(|s| s.matches(&p.metadata.labels)))
}

/// kubectl's `podutils.ByLogging`: assigned before unassigned, Running < Unknown < Pending,
/// ready before not ready, ready longer first, more restarts first (then the sidecars' from
/// 1.32), older first (creation times in whole seconds).
fn by_logging_less(a: &Pod, b: &Pod, sidecars: bool) -> bool {
    let (na, nb) = (a.spec.node_name.as_deref().unwrap_or(""), b.spec.node_name.as_deref().unwrap_or(""));
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return !na.is_empty();
    }
    let rank = |p: &Pod| match p.status.phase.as_str() {
        "Running" => 0,
        "Unknown" => 1,
        "Pending" => 2,
        _ => 3,
    };
    if rank(a) != rank(b) {
        return rank(a) < rank(b);
    }
    let ready_since =
        |p: &Pod| p.status.condition("Ready").filter(|c| c.status == "True").map(|c| printers::floor_second(c.last_transition_time));
    let (ra, rb) = (ready_since(a), ready_since(b));
    if ra.is_some() != rb.is_some() {
        return ra.is_some();
    }
    if let (Some(ta), Some(tb)) = (ra, rb) {
        if ta != tb {
            return ta < tb;
        }
    }
    let restarts = |p: &Pod| {
        let regular = p.status.container_statuses.iter().map(|c| c.restart_count).max().unwrap_or(0);
        let sidecar_names: Vec<&str> =
            p.spec.init_containers.iter().filter(|c| c.restart_policy.as_deref() == Some("Always")).map(|c| c.name.as_str()).collect();
        let sidecar = p
            .status
            .init_container_statuses
            .iter()
            .filter(|c| sidecar_names.contains(&c.name.as_str()))
            .map(|c| c.restart_count)
            .max()
            .unwrap_or(0);
        (regular, if sidecars { sidecar } else { 0 })
    };
    let (xa, xb) = (restarts(a), restarts(b));
    if xa.0 != xb.0 {
        return xa.0 > xb.0;
    }
    if xa.1 != xb.1 {
        return xa.1 > xb.1;
    }
    let (ca, cb) = (printers::floor_second(a.metadata.creation), printers::floor_second(b.metadata.creation));
    ca < cb
}
