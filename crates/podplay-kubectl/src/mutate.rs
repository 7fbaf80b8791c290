//! kubectl's verbs that change the cluster — `exec`, `delete`, `apply`, `create`, `label`,
//! `cordon`, `uncordon`, `drain` — and the lab's `podplay node disconnect|reconnect`: each
//! command line is parsed here into the engine's typed operations (`podplay_core::engine::ops`),
//! and their typed results are printed as kubectl prints them. Scenario steps run through
//! [`KubectlSteps`].

use std::collections::BTreeMap;

use podplay_core::engine::cri::ExecResult;
use podplay_core::engine::ops::{Applied, ApplyAction, Deletion, LabelTarget, ObjectKind, OpError, Propagation};
use podplay_core::model::{Pod, Step};
use podplay_core::{CommandOutput, Engine, Resume, StepRunner};

use crate::cmdline::{split_command_line, take_namespace};
use crate::{Kind, Output};

/// The verbs of kubectl that change the cluster.
pub const MUTATING_VERBS: &[&str] =
    &["exec", "delete", "apply", "create", "replace", "label", "annotate", "patch", "cordon", "uncordon", "drain", "scale", "set"];

/// Whether a command line's words (`args[0]` the verb) may change the cluster: a verb of
/// [`MUTATING_VERBS`], or `rollout undo|pause|resume|restart` (`rollout status|history` read).
pub fn is_mutating_words(args: &[&str]) -> bool {
    match args {
        ["rollout", sub, ..] => crate::rollout::MUTATING_SUBCOMMANDS.contains(sub),
        [verb, ..] => MUTATING_VERBS.contains(verb),
        [] => false,
    }
}

/// The flags each verb here reads (besides `-n/--namespace`, which every verb takes).
pub const MUTATION_FLAGS: &[(&str, &[&str])] = &[
    ("exec", &["-c", "--container", "-i", "--stdin", "-t", "--tty", "-it", "--"]),
    ("delete", &["--grace-period", "--force", "--now", "--wait", "-l", "--selector", "--all", "--cascade"]),
    ("apply", &["-f", "--filename", "-o", "--output", "--dry-run"]),
    ("replace", &["-f", "--filename", "-o", "--output", "--dry-run"]),
    (
        "create",
        &[
            "-f",
            "--filename",
            "-o",
            "--output",
            "--dry-run",
            "--image",
            "--from",
            "--from-literal",
            "--from-file",
            "--from-env-file",
            "--type",
            "--selector",
            "--min-available",
            "--max-unavailable",
        ],
    ),
    ("label", &["--overwrite"]),
    ("annotate", &["--overwrite"]),
    ("patch", &["-p", "--patch", "--type", "--subresource"]),
    ("rollout", &["--to-revision", "--revision"]),
    (
        "drain",
        &[
            "--force",
            "--ignore-daemonsets",
            "--delete-emptydir-data",
            "--disable-eviction",
            "--timeout",
            "--grace-period",
            "--pod-selector",
        ],
    ),
    ("scale", &["--replicas", "--all", "--selector"]),
    ("set", &["image", "--all", "--selector"]),
];

/// Runs scenario steps: `kubectl VERB ...` (a verb of [`MUTATING_VERBS`]) or
/// `podplay node disconnect|reconnect NAME`.
#[derive(Debug, Clone, Copy, Default)]
pub struct KubectlSteps;

impl StepRunner for KubectlSteps {
    fn run_step(&self, engine: &mut Engine, step: &Step) -> CommandOutput {
        let (out, resume) = match split_command_line(&step.run) {
            Ok(words) => run_line_over_time(engine, &words, step.manifest.as_deref()),
            Err(e) => (Output::err(format!("error: {e}\n")), None),
        };
        CommandOutput { stdout: out.stdout, stderr: out.stderr, exit_code: out.exit_code, resume }
    }
}

/// An engine for `manifests` whose scenario steps run through kubectl ([`KubectlSteps`]), or the
/// documents it refused, each with the API server's refusal framed as kubectl frames it.
pub fn new_engine(manifests: &podplay_core::Manifests) -> Result<Engine, Vec<podplay_core::Diagnostic>> {
    let refused = refused_steps(manifests);
    let mut engine = Engine::new(manifests).map_err(|diagnostics| {
        let mut all: Vec<_> = diagnostics.into_iter().map(refusal_text).collect();
        all.extend(refused.iter().cloned());
        all
    })?;
    if !refused.is_empty() {
        return Err(refused);
    }
    engine.set_step_runner(std::rc::Rc::new(KubectlSteps));
    Ok(engine)
}

/// The Scenario steps podplay cannot run, each an error at its `run` value: a step is a
/// command that changes the cluster, and one that could not would only print its refusal
/// when its time came, easy to miss.
fn refused_steps(manifests: &podplay_core::Manifests) -> Vec<podplay_core::Diagnostic> {
    use podplay_core::source::{position, Object, Part};
    let mut refused = Vec::new();
    for (object, origin) in manifests.objects.iter() {
        let Object::Scenario(scenario) = object else { continue };
        for (i, step) in scenario.spec.steps.iter().enumerate() {
            let Some(message) = step_refusal(&step.run) else { continue };
            let path = format!("spec.steps[{i}].run");
            let at = position(origin, &path, Part::Value);
            refused.push(podplay_core::Diagnostic {
                file: origin.file.clone(),
                line: at.map_or(origin.line, |p| p.line),
                column: at.map_or(1, |p| p.column),
                path: Some(path),
                message,
                status_reason: None,
            });
        }
    }
    refused
}

/// Why podplay cannot run `run` as a step, if it cannot (the words `run_line` would refuse).
pub fn step_refusal(run: &str) -> Option<String> {
    let words = match split_command_line(run) {
        Ok(words) => words,
        Err(e) => return Some(e.to_string()),
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["kubectl", rest @ ..] => {
            let (args, _) = take_namespace(rest);
            match args.first() {
                None => Some("missing kubectl verb".into()),
                Some(_) if is_mutating_words(&args) => None,
                Some(verb) => Some(format!(
                    "podplay cannot run `kubectl {verb}` as a step (steps change the cluster: {}, rollout {}); a view such as `kubectl get` is asked at a moment, not run as a step",
                    MUTATING_VERBS.join(", "),
                    crate::rollout::MUTATING_SUBCOMMANDS.join("|")
                )),
            }
        }
        ["podplay", "node", "disconnect" | "reconnect", _] => None,
        ["podplay", ..] => Some("podplay commands: podplay node disconnect NAME, podplay node reconnect NAME".into()),
        [first, ..] => Some(format!("unknown command {first:?}: steps run `kubectl ...` or `podplay node ...`")),
        [] => Some("empty command".into()),
    }
}

/// `Error from server (REASON): MESSAGE`, kubectl's words for an API server's refusal.
fn refusal_text(mut diagnostic: podplay_core::Diagnostic) -> podplay_core::Diagnostic {
    if let Some(reason) = diagnostic.status_reason {
        diagnostic.message = format!("Error from server ({reason}): {}", diagnostic.message);
    }
    diagnostic
}

/// A whole command line's words, with the rest of a command that takes time (`kubectl
/// drain`) for whoever moves time to resume.
pub fn run_line_over_time(engine: &mut Engine, words: &[String], manifest: Option<&str>) -> (Output, Option<Resume>) {
    if let ["kubectl", rest @ ..] = words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        return run_mutation_over_time(engine, rest, manifest);
    }
    (run_line(engine, words, manifest), None)
}

/// `kubectl VERB ARGS...` for a verb that changes the cluster, with the rest of a command that
/// takes time.
pub fn run_mutation_over_time(engine: &mut Engine, args: &[&str], manifest: Option<&str>) -> (Output, Option<Resume>) {
    let (words, _) = take_namespace(args);
    if words.first() == Some(&"drain") {
        return crate::drain::drain(engine, &words[1..]);
    }
    (run_mutation(engine, args, manifest), None)
}

/// A command that takes time, run where nothing moves time: what it printed at once, and a
/// note that it stopped there.
fn without_time((mut out, rest): (Output, Option<Resume>)) -> Output {
    if rest.is_some() {
        out.stderr.push_str(
            "podplay: this command goes on over virtual time; give it as a scenario step or at a moment (`podplay kubectl --at T`)\n",
        );
    }
    out
}

/// A whole command line's words, `kubectl ...` or `podplay ...`.
pub fn run_line(engine: &mut Engine, words: &[String], manifest: Option<&str>) -> Output {
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["kubectl", rest @ ..] => run_mutation(engine, rest, manifest),
        ["podplay", "node", verb @ ("disconnect" | "reconnect"), name] => match engine.set_node_connected(name, *verb == "reconnect") {
            Ok(()) => Output::ok(format!("node/{name} {verb}ed\n")),
            Err(e) => Output::err(api_error(&e)),
        },
        ["podplay", ..] => Output::err("error: podplay commands: podplay node disconnect NAME, podplay node reconnect NAME\n".into()),
        [first, ..] => Output::err(format!("error: unknown command {first:?}: steps run `kubectl ...` or `podplay node ...`\n")),
        [] => Output::err("error: empty command\n".into()),
    }
}

/// `kubectl VERB ARGS...` for a verb that changes the cluster (`args[0]` is the verb).
pub fn run_mutation(engine: &mut Engine, args: &[&str], manifest: Option<&str>) -> Output {
    // Whether -n gave the namespace (the kubeconfig loader's `enforceNamespace`).
    let before_dashes = args.iter().take_while(|a| **a != "--");
    let namespace_given = before_dashes.clone().any(|a| matches!(*a, "-n" | "--namespace") || a.starts_with("--namespace="));
    let (args, namespace) = take_namespace(args);
    match args.first().copied() {
        Some("exec") => exec(engine, &args[1..], &namespace),
        Some("delete") => delete(engine, &args[1..], &namespace),
        Some("create") if args.get(1) == Some(&"job") => crate::jobs::create_job(engine, &args[2..], &namespace),
        Some("create") if matches!(args.get(1), Some(&("configmap" | "cm"))) => {
            crate::configs::create_config_map(engine, &args[2..], &namespace)
        }
        Some("create") if args.get(1) == Some(&"secret") => crate::configs::create_secret(engine, &args[2..], &namespace),
        Some("create") if matches!(args.get(1), Some(&("namespace" | "ns"))) => create_namespace(engine, &args[2..]),
        Some("create") if matches!(args.get(1), Some(&("poddisruptionbudget" | "pdb"))) => {
            crate::pdbs::create_pdb(engine, &args[2..], &namespace)
        }
        Some(verb @ ("apply" | "create" | "replace")) => {
            write(engine, verb, &args[1..], namespace_given.then_some(namespace.as_str()), manifest)
        }
        Some("label") => label(engine, &args[1..], &namespace),
        Some("annotate") => crate::rollout::annotate(engine, &args[1..], &namespace),
        Some("patch") => crate::patch::patch(engine, &args[1..], &namespace),
        Some("rollout") if is_mutating_words(&args) => crate::rollout::run(engine, args[1], &args[2..], &namespace),
        Some(verb @ ("cordon" | "uncordon")) => cordon(engine, verb, &args[1..]),
        Some("drain") => without_time(crate::drain::drain(engine, &args[1..])),
        Some("scale") => crate::workloads::scale(engine, &args[1..], &namespace),
        Some("set") => crate::workloads::set_image(engine, &args[1..], &namespace),
        Some(other) => Output::err(format!(
            "error: podplay cannot run `kubectl {other}` as a step (steps change the cluster: {}, rollout {})\n",
            MUTATING_VERBS.join(", "),
            crate::rollout::MUTATING_SUBCOMMANDS.join("|")
        )),
        None => Output::err("error: missing kubectl verb\n".into()),
    }
}

/// An API error as kubectl prints it (`Error from server (NotFound): pods "x" not found`).
pub fn api_error(e: &OpError) -> String {
    match e {
        OpError::NotFound { resource, name } => format!("Error from server (NotFound): {resource} \"{name}\" not found\n"),
        OpError::AlreadyExists { resource, name } => {
            format!("Error from server (AlreadyExists): error when creating \"STDIN\": {resource} \"{name}\" already exists\n")
        }
        OpError::Rejected(message) => format!("{message}\n"),
        OpError::InvalidObject(invalid) => invalid_text(invalid),
        OpError::BadRequest(message) => format!("Error from server (BadRequest): error when creating \"STDIN\": {message}\n"),
        OpError::ContainerNotRunning { container } => {
            format!("error: unable to upgrade connection: container not found (\"{container}\")\n")
        }
        OpError::Invalid(diagnostics) => diagnostics.iter().map(|d| format!("error: {d}\n")).collect(),
        OpError::Status { reason: "", message } => format!("Error from server: {message}\n"),
        OpError::Status { reason, message } => format!("Error from server ({reason}): {message}\n"),
    }
}

/// An Invalid status error as kubectl's `CheckErr` prints it: `The KIND "NAME" is invalid: `
/// then its one cause on the same line, or (`MultilineError`) each cause on a line of its own
/// after `* ` (statusCausesToAggrError drops repeats).
fn invalid_text(invalid: &podplay_core::engine::field::InvalidObject) -> String {
    match invalid.unique_errors().as_slice() {
        [one] => format!("{}{one}\n", invalid.lead()),
        errors => {
            let mut out = format!("{}\n", invalid.lead());
            for e in errors {
                out.push_str(&format!("* {e}\n"));
            }
            out
        }
    }
}

fn exec(engine: &mut Engine, args: &[&str], namespace: &str) -> Output {
    let (opts, cmd) = match args.iter().position(|a| *a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[][..]),
    };
    let mut pod = None;
    let mut container = None;
    let mut it = opts.iter();
    while let Some(a) = it.next() {
        match *a {
            "-c" | "--container" => container = it.next().map(|s| s.to_string()),
            "-i" | "-t" | "-it" | "-ti" | "--stdin" | "--tty" => {}
            s if s.starts_with("--container=") => container = Some(s["--container=".len()..].to_string()),
            s if s.starts_with('-') => {}
            s => pod = Some(s.trim_start_matches("pod/").to_string()),
        }
    }
    let Some(pod) = pod else {
        return Output::err("error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command\nSee 'kubectl exec -h' for help and examples\n".into());
    };
    if cmd.is_empty() {
        return Output::err("error: you must specify at least one command for the container\n".into());
    }
    let Some(spec) = engine.pod(namespace, &pod) else {
        return Output::err(api_error(&OpError::NotFound { resource: "pods", name: pod }));
    };
    let phase = &spec.status.phase;
    if phase == "Succeeded" || phase == "Failed" {
        return Output::err(format!("error: cannot exec into a container in a completed pod; current phase is {phase}\n"));
    }
    let (name, mut stderr) = match pick_container(spec, container.as_deref(), &pod) {
        Ok(picked) => picked,
        Err(e) => return Output::err(e),
    };
    let argv: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
    match engine.exec(namespace, &pod, &name, &argv) {
        Ok(ExecResult::Completed { stdout, stderr: err, exit_code, .. }) => {
            stderr.push_str(&err);
            if exit_code != 0 {
                stderr.push_str(&format!("command terminated with exit code {exit_code}\n"));
            }
            Output { stdout, stderr, exit_code }
        }
        Ok(ExecResult::TimedOut { .. }) => Output { stdout: String::new(), stderr, exit_code: 0 },
        Ok(ExecResult::NotRunning { exit_code: Some(code), output }) => {
            stderr.push_str(&format!("command terminated with exit code {code}\n"));
            Output { stdout: output, stderr, exit_code: code }
        }
        Ok(ExecResult::NotRunning { exit_code: None, output }) => {
            stderr.push_str(&format!("error: Internal error occurred: error executing command in container: {output}\n"));
            Output { stdout: String::new(), stderr, exit_code: 1 }
        }
        Err(e) => {
            stderr.push_str(&api_error(&e));
            Output { stdout: String::new(), stderr, exit_code: 1 }
        }
    }
}

/// The container an exec runs in: `-c NAME` (an init container too), else the first app
/// container, with kubectl's `Defaulted container` note when the pod has several.
fn pick_container(pod: &Pod, asked: Option<&str>, pod_name: &str) -> Result<(String, String), String> {
    let apps: Vec<&str> = pod.spec.containers.iter().map(|c| c.name.as_str()).collect();
    match asked {
        Some(c) if pod.spec.init_containers.iter().chain(&pod.spec.containers).any(|k| k.name == c) => Ok((c.to_string(), String::new())),
        Some(c) => Err(format!("error: container {c} is not valid for pod {pod_name} out of: {}\n", apps.join(", "))),
        None => {
            let note =
                if apps.len() > 1 { format!("Defaulted container \"{}\" out of: {}\n", apps[0], apps.join(", ")) } else { String::new() };
            Ok((apps[0].to_string(), note))
        }
    }
}

/// The kind an argument names: a kind word (`nodes`, `no`) or the TYPE of a `TYPE/NAME`.
fn kind_of_arg(a: &str) -> Option<Kind> {
    Kind::of_word(a.split_once('/').map_or(a, |(kind, _)| kind))
}

fn is_node_word(a: &str) -> bool {
    kind_of_arg(a) == Some(Kind::Nodes)
}

/// `kubectl delete`: `--cascade` read first (what becomes of what the objects own), then the
/// objects by kind.
fn delete(engine: &mut Engine, args: &[&str], namespace: &str) -> Output {
    let (propagation, warning) = match cascading_strategy(args) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    let args: Vec<&str> = args.iter().copied().filter(|a| *a != "--cascade" && !a.starts_with("--cascade=")).collect();
    let mut out = delete_objects(engine, &args, namespace, propagation);
    out.stderr.insert_str(0, &warning);
    out
}

/// `parseCascadingFlag` (delete_flags.go): `--cascade` alone is background (its NoOptDefVal),
/// the boolean values of old kubectl still work with a warning.
fn cascading_strategy(args: &[&str]) -> Result<(Propagation, String), String> {
    let Some(value) = args.iter().rev().find_map(|a| if *a == "--cascade" { Some("background") } else { a.strip_prefix("--cascade=") })
    else {
        return Ok((Propagation::Background, String::new()));
    };
    let deprecated = |replacement: &str| {
        format!("warning: --cascade={value} is deprecated (boolean value) and can be replaced with --cascade={replacement}.\n")
    };
    match value {
        "background" => Ok((Propagation::Background, String::new())),
        "foreground" => Ok((Propagation::Foreground, String::new())),
        "orphan" => Ok((Propagation::Orphan, String::new())),
        _ => match crate::go_bool(value) {
            Some(true) => Ok((Propagation::Background, deprecated("background"))),
            Some(false) => Ok((Propagation::Orphan, deprecated("orphan"))),
            None => Err(format!("error: invalid cascade value ({value}). Must be \"background\", \"foreground\", or \"orphan\"\n")),
        },
    }
}

fn delete_objects(engine: &mut Engine, args: &[&str], namespace: &str, propagation: Propagation) -> Output {
    let first = args.iter().find(|a| !a.starts_with('-'));
    if first.is_some_and(|a| is_node_word(a)) {
        return delete_nodes(engine, args);
    }
    if first.is_some_and(|a| matches!(kind_of_arg(a), Some(Kind::Deployments | Kind::ReplicaSets | Kind::StatefulSets | Kind::DaemonSets)))
    {
        return delete_workloads(engine, args, namespace, propagation);
    }
    if let Some(kind @ (Kind::Jobs | Kind::CronJobs)) = first.and_then(|a| kind_of_arg(a)) {
        return delete_jobs(engine, args, namespace, kind, propagation);
    }
    if let Some(kind @ (Kind::ConfigMaps | Kind::Secrets | Kind::PodDisruptionBudgets)) = first.and_then(|a| kind_of_arg(a)) {
        return delete_configs(engine, args, namespace, kind);
    }
    if first.and_then(|a| kind_of_arg(a)) == Some(Kind::Namespaces) {
        // The namespace controller's deletion of everything in it is not simulated: say so
        // rather than delete the namespace and leave its objects.
        return Output::err("error: podplay does not simulate deleting a namespace (the namespace controller's removal of everything in it); delete the objects in it instead\n".into());
    }
    let mut names = Vec::new();
    let mut grace = None;
    let mut force = false;
    let mut kind_seen = false;
    let mut selector: Option<String> = None;
    let mut all = false;
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--force" => force = true,
            "--all" | "--all=true" => all = true,
            "--all=false" => all = false,
            "-l" | "--selector" => {
                i += 1;
                selector = args.get(i).map(|s| s.to_string());
            }
            s if s.starts_with("--selector=") => selector = Some(s["--selector=".len()..].to_string()),
            s if s.starts_with("-l") && s.len() > 2 => selector = Some(s[2..].trim_start_matches('=').to_string()),
            "--now" => grace = Some(1),
            "--grace-period" => {
                i += 1;
                grace = args.get(i).and_then(|v| v.parse::<i64>().ok());
            }
            s if s.starts_with("--grace-period=") => grace = s["--grace-period=".len()..].parse::<i64>().ok(),
            s if s.starts_with("--wait") => {}
            s if !kind_seen && Kind::of_word(s) == Some(Kind::Pods) => kind_seen = true,
            s if s.contains('/') => match s.split_once('/') {
                Some((k, n)) if Kind::of_word(k) == Some(Kind::Pods) => names.push(n.to_string()),
                _ => return Output::err("error: podplay deletes pods or nodes, one kind per command\n".into()),
            },
            s if s.starts_with('-') => return Output::err(format!("error: unknown flag: {s}\n")),
            s => names.push(s.to_string()),
        }
        i += 1;
    }
    let selector = match delete_selection(all, selector, !names.is_empty()) {
        Ok(selector) => selector,
        Err(refused) => return refused,
    };
    if let Some(text) = &selector {
        // The builder lists the pods the selector matches (the API server's order: by name).
        let labels = match crate::selectors::LabelSelector::parse(text) {
            Ok(l) => l,
            Err(why) => {
                return Output::err(format!(
                    "Error from server (BadRequest): Unable to find {{\"\" \"v1\" \"pods\"}} that match label selector {text:?}, field selector \"\": {why}\n"
                ))
            }
        };
        names = engine
            .pods()
            .filter(|p| p.metadata.namespace() == namespace && labels.matches(&p.metadata.labels))
            .map(|p| p.metadata.name.clone())
            .collect();
        podplay_k8s_util::sort::sort(&mut names);
        if names.is_empty() {
            return Output::ok("No resources found\n".into());
        }
    }
    if names.is_empty() {
        return Output::err("error: resource(s) were provided, but no name was specified\n".into());
    }
    let mut out = Output::default();
    if force && grace == Some(0) {
        out.stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    // delete.go: --grace-period=0 without --force is 1 ("to prevent accidental data loss");
    // --force without a grace period means 0, and then the object goes at once.
    let grace = match grace {
        Some(0) if !force => Some(1),
        None if force => Some(0),
        g => g,
    };
    let immediate = force && grace == Some(0);
    for name in names {
        match engine.delete_pod_named(namespace, &name, Deletion { grace_seconds: grace, immediate }) {
            Ok(()) => {
                let verb = if immediate { "force deleted" } else { "deleted" };
                out.stdout.push_str(&format!("pod \"{name}\" {verb}\n"));
            }
            Err(e) => {
                out.stderr.push_str(&api_error(&e));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// `kubectl delete node NAME...` (or `node/NAME`): nodes have no grace period; the API
/// object goes at once and kubectl prints `node "NAME" deleted`.
fn delete_nodes(engine: &mut Engine, args: &[&str]) -> Output {
    let mut names = Vec::new();
    let mut kind_seen = false;
    for a in args {
        match *a {
            s if !kind_seen && Kind::of_word(s) == Some(Kind::Nodes) => kind_seen = true,
            s if s.starts_with("--wait") || s.starts_with("--grace-period") || s == "--force" || s == "--now" => {}
            s if s.starts_with('-') => return Output::err(format!("error: unknown flag: {s}\n")),
            s => match s.split_once('/') {
                Some((k, n)) if Kind::of_word(k) == Some(Kind::Nodes) => names.push(n.to_string()),
                Some(_) => return Output::err("error: podplay deletes pods or nodes, one kind per command\n".into()),
                None => names.push(s.to_string()),
            },
        }
    }
    if names.is_empty() {
        return Output::err("error: resource(s) were provided, but no name was specified\n".into());
    }
    let mut out = Output::default();
    for name in names {
        match engine.delete_node_named(&name) {
            Ok(()) => out.stdout.push_str(&format!("node \"{name}\" deleted\n")),
            Err(e) => {
                out.stderr.push_str(&api_error(&e));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// `kubectl delete deployment|rs|sts NAME...`: background propagation (the objects go now, the
/// garbage collector deletes what they owned); kubectl prints `deployment.apps "NAME" deleted`.
fn delete_workloads(engine: &mut Engine, args: &[&str], namespace: &str, propagation: Propagation) -> Output {
    let words: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
    let mut targets = Vec::new();
    match words.as_slice() {
        [first, ..] if first.contains('/') => {
            for w in &words {
                match crate::workloads::workload_target(&[w]) {
                    Ok(t) => targets.push(t),
                    Err(e) => return Output::err(e),
                }
            }
        }
        [kind, names @ ..] => {
            for n in names {
                match crate::workloads::workload_target(&[kind, n]) {
                    Ok(t) => targets.push(t),
                    Err(e) => return Output::err(e),
                }
            }
        }
        [] => {}
    }
    if targets.is_empty() {
        return Output::err("error: resource(s) were provided, but no name was specified\n".into());
    }
    let mut out = Output::default();
    for (kind, name) in targets {
        match engine.delete_workload(kind, namespace, &name, propagation) {
            Ok(()) => out.stdout.push_str(&format!(
                "{} \"{name}\" deleted\n",
                crate::workloads::qualified(kind, &name).split('/').next().unwrap_or_default()
            )),
            Err(e) => {
                out.stderr.push_str(&api_error(&e));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// `kubectl create namespace NAME` (create_namespace.go): exactly one name.
fn create_namespace(engine: &mut Engine, args: &[&str]) -> Output {
    let names: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
    let [name] = names.as_slice() else {
        return Output::err(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create namespace -h' for help and examples\n",
            names.len()
        ));
    };
    match engine.create_namespace(name) {
        Ok(()) => Output::ok(format!("namespace/{name} created\n")),
        // The generator's Create error as CheckErr prints it: no source file to name.
        Err(OpError::AlreadyExists { resource, name }) => {
            Output::err(format!("Error from server (AlreadyExists): {resource} \"{name}\" already exists\n"))
        }
        Err(e) => Output::err(api_error(&e)),
    }
}

/// `kubectl delete job|cronjob NAME...` or `job/NAME...` (the garbage collector deletes what
/// they own as `propagation` says); kubectl prints `job.batch "NAME" deleted`.
fn delete_jobs(engine: &mut Engine, args: &[&str], namespace: &str, kind: Kind, propagation: Propagation) -> Output {
    let words: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
    let names: Vec<&str> = match words.as_slice() {
        [first, ..] if first.contains('/') => words.iter().filter_map(|w| w.split_once('/').map(|(_, n)| n)).collect(),
        [_, names @ ..] => names.to_vec(),
        [] => vec![],
    };
    if names.is_empty() {
        return Output::err("error: resource(s) were provided, but no name was specified\n".into());
    }
    let mut out = Output::default();
    for name in names {
        let deleted = match kind {
            Kind::CronJobs => engine.delete_cron_job_named(namespace, name, propagation),
            _ => engine.delete_job_named(namespace, name, propagation),
        };
        match deleted {
            Ok(()) => out.stdout.push_str(&format!("{} \"{name}\" deleted\n", kind.name_prefix())),
            Err(e) => {
                out.stderr.push_str(&api_error(&e));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// delete.go's Validate of what a delete selects: `--all` and a selector exclude each other,
/// and a selector excludes names; then `--all` is the builder's selector of everything
/// (`SelectAllParam`: `labels.Everything()`, the empty selector).
fn delete_selection(all: bool, selector: Option<String>, named: bool) -> Result<Option<String>, Output> {
    if all && selector.is_some() {
        return Err(Output::err("error: cannot set --all and --selector at the same time\n".into()));
    }
    let selector = if all { Some(String::new()) } else { selector };
    if selector.is_some() && named {
        return Err(Output::err("error: name cannot be provided when a selector is specified\n".into()));
    }
    Ok(selector)
}

/// `kubectl delete configmap|secret|pdb NAME...` (or `configmap/NAME`), or those of the
/// namespace a label selector (`-l`, `--selector`) or `--all` picks: the builder lists them
/// (by name, as the API server lists) and deletes each.
fn delete_configs(engine: &mut Engine, args: &[&str], namespace: &str, kind: Kind) -> Output {
    let mut words: Vec<&str> = Vec::new();
    let mut selector: Option<String> = None;
    let mut all = false;
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "-l" | "--selector" => {
                i += 1;
                selector = args.get(i).map(|s| s.to_string());
            }
            s if s.starts_with("--selector=") => selector = Some(s["--selector=".len()..].to_string()),
            s if s.starts_with("-l") && s.len() > 2 => selector = Some(s[2..].trim_start_matches('=').to_string()),
            "--all" | "--all=true" => all = true,
            "--all=false" => all = false,
            s if s.starts_with('-') => {}
            s => words.push(s),
        }
        i += 1;
    }
    let mut names: Vec<String> = match words.as_slice() {
        [first, ..] if first.contains('/') => words.iter().filter_map(|w| w.split_once('/').map(|(_, n)| n.to_string())).collect(),
        [_, names @ ..] => names.iter().map(|n| n.to_string()).collect(),
        [] => vec![],
    };
    let selector = match delete_selection(all, selector, !names.is_empty()) {
        Ok(selector) => selector,
        Err(refused) => return refused,
    };
    if let Some(text) = &selector {
        let resource = match kind {
            Kind::Secrets => "secrets",
            Kind::PodDisruptionBudgets => "poddisruptionbudgets",
            _ => "configmaps",
        };
        let labels = match crate::selectors::LabelSelector::parse(text) {
            Ok(l) => l,
            Err(why) => {
                return Output::err(format!(
                    "Error from server (BadRequest): Unable to find {{\"\" \"v1\" \"{resource}\"}} that match label selector {text:?}, field selector \"\": {why}\n"
                ))
            }
        };
        let metas: Vec<&podplay_core::model::ObjectMeta> = match kind {
            Kind::Secrets => engine.secrets().iter().map(|s| &s.metadata).collect(),
            Kind::PodDisruptionBudgets => engine.pdb_records().iter().filter(|r| !r.removed).map(|r| &r.pdb.metadata).collect(),
            _ => engine.config_maps().iter().map(|c| &c.metadata).collect(),
        };
        names = metas.into_iter().filter(|m| m.namespace() == namespace && labels.matches(&m.labels)).map(|m| m.name.clone()).collect();
        podplay_k8s_util::sort::sort(&mut names);
        if names.is_empty() {
            return Output::ok("No resources found\n".into());
        }
    }
    if names.is_empty() {
        return Output::err("error: resource(s) were provided, but no name was specified\n".into());
    }
    let mut out = Output::default();
    for name in &names {
        let name = name.as_str();
        let (deleted, prefix) = match kind {
            Kind::Secrets => (engine.delete_secret_named(namespace, name), "secret"),
            Kind::PodDisruptionBudgets => (engine.delete_pdb_named(namespace, name), "poddisruptionbudget.policy"),
            _ => (engine.delete_config_map_named(namespace, name), "configmap"),
        };
        match deleted {
            Ok(()) => out.stdout.push_str(&format!("{prefix} \"{name}\" deleted\n")),
            Err(e) => {
                out.stderr.push_str(&api_error(&e));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// How `kubectl apply|create -f -` prints and whether it writes.
#[derive(Debug, Default, PartialEq, Eq)]
struct WriteFlags {
    /// `-o name`: `KIND/NAME` without the operation (cli-runtime's NamePrintFlags).
    name_only: bool,
    /// `--dry-run=client`: nothing is sent; every object prints `created (dry run)`, or for an
    /// apply of one that exists `configured (dry run)`.
    dry_run_client: bool,
}

/// The flags of `kubectl apply|create -f -` as pflag reads them; the ones podplay does not
/// simulate are refused by name, unknown ones as kubectl refuses them.
fn write_flags(verb: &str, args: &[&str]) -> Result<WriteFlags, String> {
    let mut flags = WriteFlags::default();
    let mut filename = None;
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if a.starts_with("--") || (a.starts_with('-') && n.len() == 2) => (n, Some(v.to_string())),
            _ => (a, None),
        };
        // pflag's shorthand with its value attached: `-f-`, `-oname`.
        let (name, inline) = match name {
            n if inline.is_none() && !n.starts_with("--") && n.len() > 2 && matches!(&n[..2], "-f" | "-o") => {
                (&n[..2], Some(n[2..].to_string()))
            }
            n => (n, inline),
        };
        let mut value = |flag: &str| -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            args.get(i)
                .map(|v| v.to_string())
                .ok_or_else(|| format!("error: flag needs an argument: {flag}\nSee 'kubectl {verb} --help' for usage.\n"))
        };
        match name {
            "-f" | "--filename" => filename = Some(value(if name == "-f" { "'f' in -f" } else { "--filename" })?),
            "-o" | "--output" => match value(if name == "-o" { "'o' in -o" } else { "--output" })?.as_str() {
                "name" => flags.name_only = true,
                other => {
                    return Err(format!(
                        "error: podplay's kubectl {verb} prints KIND/NAME lines, or -o name; it does not print -o {other}\n"
                    ))
                }
            },
            "--dry-run" => match inline.as_deref() {
                Some("client") => flags.dry_run_client = true,
                Some("none") => flags.dry_run_client = false,
                Some("server") => {
                    return Err(format!(
                        "error: podplay does not simulate kubectl {verb} --dry-run=server; --dry-run=client prints what would be sent\n"
                    ))
                }
                Some(other) => {
                    return Err(format!("error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".\n"))
                }
                None => {
                    return Err(format!("error: podplay takes --dry-run=client (or none) for kubectl {verb}, with its value after =\n"))
                }
            },
            "--server-side"
            | "--prune"
            | "--force"
            | "--overwrite"
            | "--validate"
            | "--record"
            | "-R"
            | "--recursive"
            | "-k"
            | "--kustomize"
            | "--field-manager"
            | "--force-conflicts"
            | "--wait"
            | "--timeout"
            | "--grace-period"
            | "--cascade"
            | "-l"
            | "--selector"
            | "--all"
            | "--save-config"
            | "--template"
            | "--show-managed-fields"
            | "--edit"
            | "--windows-line-endings"
            | "--raw"
            | "--allow-missing-template-keys"
            | "--openapi-patch"
            | "--prune-allowlist"
            | "--subresource" => {
                return Err(format!("error: podplay's kubectl {verb} does not take {name}: it {verb}s the objects of the step's manifest: (-f -), with -o name and --dry-run=client\n"));
            }
            s if s.starts_with('-') && s.len() > 1 => return Err(crate::unknown_flag(verb, s)),
            s => positional.push(s.to_string()),
        }
        i += 1;
    }
    if !positional.is_empty() {
        return Err(format!("error: Unexpected args: [{}]\nSee 'kubectl {verb} -h' for help and examples\n", positional.join(" ")));
    }
    match filename.as_deref() {
        Some("-") => Ok(flags),
        Some(other) => Err(format!(
            "error: podplay has no file {other:?}: steps run `kubectl {verb} -f -` with the objects in the step's `manifest:` key\n"
        )),
        None => Err(format!(
            "error: must specify one of -f and -k\n\npodplay: steps run `kubectl {verb} -f -` with the objects in the step's `manifest:` key\n"
        )),
    }
}

/// `kubectl apply|create|replace -f -` with the objects of the step's `manifest:`.
fn write(engine: &mut Engine, verb: &str, args: &[&str], namespace: Option<&str>, manifest: Option<&str>) -> Output {
    let flags = match write_flags(verb, args) {
        Ok(flags) => flags,
        Err(e) => return Output::err(e),
    };
    let Some(text) = manifest else {
        return Output::err(format!("error: podplay steps run `kubectl {verb} -f -` with the objects in the step's `manifest:` key\n"));
    };
    let how = match verb {
        "apply" => crate::apply::How::Apply,
        "replace" => crate::apply::How::Replace,
        _ => crate::apply::How::Create,
    };
    let write = crate::apply::Write { how, dry_run_client: flags.dry_run_client, enforce_namespace: namespace.is_some() };
    let written = match crate::apply::write_manifest(engine, write, namespace.unwrap_or("default"), text) {
        Ok(written) => written,
        Err(e) => return Output::err(api_error(&e)),
    };
    let mut out = Output::default();
    if written.objects.is_empty() && written.refused.is_empty() {
        return Output::err(format!("error: no objects passed to {verb}\n"));
    }
    // kubectl prints each object's line (and its warnings) as it goes, and the errors at the
    // end: one as CheckErr prints it, several as an aggregate (MultipleErrors).
    let mut failures = Vec::new();
    for crate::apply::AppliedObject { applied: Applied { kind, name, outcome }, warning, namespace, phase } in written.objects {
        if let Some(warning) = warning {
            out.stderr.push_str(&warning);
        }
        let prefix = kind_prefix(kind);
        let operation = |op: &str| match (flags.name_only, flags.dry_run_client) {
            (true, _) => format!("{prefix}/{name}\n"),
            (false, true) => format!("{prefix}/{name} {op} (dry run)\n"),
            (false, false) => format!("{prefix}/{name} {op}\n"),
        };
        match outcome {
            Ok(ApplyAction::Created) => out.stdout.push_str(&operation("created")),
            Ok(ApplyAction::Unchanged) => out.stdout.push_str(&operation("unchanged")),
            Ok(ApplyAction::Configured) => out.stdout.push_str(&operation("configured")),
            Ok(ApplyAction::Replaced) => out.stdout.push_str(&operation("replaced")),
            Err(e) => failures.push(Failure { kind, name, namespace, phase, error: e }),
        }
    }
    let entries = usize::from(!written.refused.is_empty()) + failures.len();
    if entries > 0 {
        out.exit_code = 1;
    }
    if entries == 1 {
        // GetObjects' aggregate: one refusal is CheckErr's `error: ...`, several MultipleErrors'
        // lines.
        match written.refused.as_slice() {
            [one] => out.stderr.push_str(one),
            several => {
                for refused in several {
                    out.stderr.push_str(refused.trim_start_matches("error: "));
                }
            }
        }
        for f in &failures {
            out.stderr.push_str(&f.alone());
        }
    } else if entries > 1 {
        // GetObjects' refusals are one aggregate among the errors: `[a, b]` when several.
        let refused: Vec<&str> = written.refused.iter().map(|r| r.trim_start_matches("error: ").trim_end()).collect();
        match refused.as_slice() {
            [] => {}
            [one] => out.stderr.push_str(&format!("{one}\n")),
            several => out.stderr.push_str(&format!("[{}]\n", several.join(", "))),
        }
        for f in &failures {
            out.stderr.push_str(&f.in_aggregate());
        }
    }
    out
}

/// `KIND.GROUP` as kubectl names an object in its lines.
fn kind_prefix(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Pod => "pod",
        ObjectKind::Service => "service",
        ObjectKind::Node => "node",
        ObjectKind::Image => "image.podplay.dev",
        ObjectKind::ReplicaSet => "replicaset.apps",
        ObjectKind::Deployment => "deployment.apps",
        ObjectKind::Job => "job.batch",
        ObjectKind::CronJob => "cronjob.batch",
        ObjectKind::ConfigMap => "configmap",
        ObjectKind::Secret => "secret",
        ObjectKind::StatefulSet => "statefulset.apps",
        ObjectKind::DaemonSet => "daemonset.apps",
        ObjectKind::PodDisruptionBudget => "poddisruptionbudget.policy",
        ObjectKind::Namespace => "namespace",
    }
}

/// The API group/version, the resource and the group-qualified kind of an object kind.
fn kind_mapping(kind: ObjectKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        ObjectKind::Pod => ("v1", "pods", "Pod"),
        ObjectKind::Service => ("v1", "services", "Service"),
        ObjectKind::Node => ("v1", "nodes", "Node"),
        ObjectKind::Image => ("podplay.dev/v1alpha1", "images", "Image.podplay.dev"),
        ObjectKind::ReplicaSet => ("apps/v1", "replicasets", "ReplicaSet.apps"),
        ObjectKind::Deployment => ("apps/v1", "deployments", "Deployment.apps"),
        ObjectKind::Job => ("batch/v1", "jobs", "Job.batch"),
        ObjectKind::CronJob => ("batch/v1", "cronjobs", "CronJob.batch"),
        ObjectKind::ConfigMap => ("v1", "configmaps", "ConfigMap"),
        ObjectKind::Secret => ("v1", "secrets", "Secret"),
        ObjectKind::StatefulSet => ("apps/v1", "statefulsets", "StatefulSet.apps"),
        ObjectKind::DaemonSet => ("apps/v1", "daemonsets", "DaemonSet.apps"),
        ObjectKind::PodDisruptionBudget => ("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget.policy"),
        ObjectKind::Namespace => ("v1", "namespaces", "Namespace"),
    }
}

/// One object an apply or create could not write.
struct Failure {
    kind: ObjectKind,
    name: String,
    namespace: String,
    phase: crate::apply::Phase,
    error: OpError,
}

impl Failure {
    /// As kubectl's CheckErr prints the only error.
    fn alone(&self) -> String {
        match &self.error {
            OpError::Rejected(e) if self.kind == ObjectKind::Image => format!("error: image {:?}: {e}\n", self.name),
            // The create's refusal, with the source (apply.go: AddSourceToErr("creating", ...)).
            OpError::NotFound { resource: "namespaces", name } => {
                format!("Error from server (NotFound): error when creating \"STDIN\": namespaces \"{name}\" not found\n")
            }
            // The replace's refusal (replace.go: AddSourceToErr("replacing", ...)).
            OpError::NotFound { resource, name } if self.phase == crate::apply::Phase::Replacing => {
                format!("Error from server (NotFound): error when replacing \"STDIN\": {resource} \"{name}\" not found\n")
            }
            e => api_error(e),
        }
    }

    /// As MultipleErrors prints it among several: an Invalid status as the API server words it
    /// (`KIND.GROUP "NAME" is invalid: CAUSES`), inside AddSourceToErr's words for the create
    /// or the patch (with the patch and the object's resource.Info).
    fn in_aggregate(&self) -> String {
        let OpError::InvalidObject(invalid) = &self.error else { return self.alone() };
        let (group_version, resource, qualified) = kind_mapping(self.kind);
        let causes: Vec<String> = invalid.unique_errors().iter().map(|e| e.to_string()).collect();
        let causes = match causes.as_slice() {
            [one] => one.clone(),
            several => format!("[{}]", several.join(", ")),
        };
        let server = format!("{qualified} {} is invalid: {causes}", podplay_k8s_util::gofmt::quote(&self.name));
        match &self.phase {
            crate::apply::Phase::Creating => format!("Error from server (Invalid): error when creating \"STDIN\": {server}\n"),
            crate::apply::Phase::Replacing => format!("Error from server (Invalid): error when replacing \"STDIN\": {server}\n"),
            crate::apply::Phase::Patching { patch } => {
                let gv = if group_version.contains('/') { group_version.to_string() } else { format!("/{group_version}") };
                let kind = qualified.split('.').next().unwrap_or(qualified);
                format!(
                    "Error from server (Invalid): error when applying patch:\n{patch}\nto:\nResource: \"{gv}, Resource={resource}\", GroupVersionKind: \"{gv}, Kind={kind}\"\nName: {}, Namespace: {}\nfor: \"STDIN\": error when patching \"STDIN\": {server}\n",
                    podplay_k8s_util::gofmt::quote(&self.name),
                    podplay_k8s_util::gofmt::quote(&self.namespace)
                )
            }
        }
    }
}

fn label(engine: &mut Engine, args: &[&str], namespace: &str) -> Output {
    let (kind, name, labels) = match args {
        [kind, name, labels @ ..] if !labels.is_empty() => (*kind, *name, labels),
        _ => return Output::err("error: at least one label update is required\n".into()),
    };
    let mut updates = Vec::new();
    // label.go `parseLabels`: KEY=VALUE with one `=` and a valid label value, or KEY- (the
    // keys are the API server's to check).
    for l in labels.iter().filter(|l| !l.starts_with("--")) {
        if l.contains('=') {
            let Some((k, v)) = l.split_once('=').filter(|(_, v)| !v.contains('=')) else {
                return Output::err(format!("error: invalid label spec: {l}\n"));
            };
            let errs = podplay_core::engine::field::label_value_errors(v);
            if !errs.is_empty() {
                return Output::err(format!("error: invalid label value: {l:?}: {}\n", errs.join(";")));
            }
            updates.push((k.to_string(), Some(v.to_string())));
        } else if let Some(key) = l.strip_suffix('-') {
            updates.push((key.to_string(), None));
        } else {
            return Output::err(format!("error: unknown label spec: {l}\n"));
        }
    }
    let overwrite = labels.contains(&"--overwrite");
    let (target, prefix) = match Kind::of_word(kind) {
        Some(Kind::Pods) => (LabelTarget::Pod { namespace: namespace.to_string(), name: name.to_string() }, "pod"),
        Some(Kind::Nodes) => (LabelTarget::Node { name: name.to_string() }, "node"),
        _ => return Output::err(format!("error: podplay can label pods and nodes, not {kind:?}\n")),
    };
    let mut map = match engine.labels(&target) {
        Ok(map) => map.clone(),
        Err(e) => return Output::err(api_error(&e)),
    };
    if let Err(e) = update_labels(&mut map, &updates, overwrite) {
        return Output::err(e);
    }
    match engine.set_labels(&target, map) {
        Ok(()) => Output::ok(format!("{prefix}/{name} labeled\n")),
        Err(e) => Output::err(api_error(&e)),
    }
}

/// kubectl label's client-side merge: a key with another value needs `--overwrite`.
fn update_labels(map: &mut BTreeMap<String, String>, updates: &[(String, Option<String>)], overwrite: bool) -> Result<(), String> {
    for (k, v) in updates {
        match v {
            Some(v) => {
                if map.get(k).is_some_and(|old| old != v) && !overwrite {
                    return Err(format!("error: '{k}' already has a value ({}), and --overwrite is false\n", map[k]));
                }
                map.insert(k.clone(), v.clone());
            }
            None => {
                map.remove(k);
            }
        }
    }
    Ok(())
}

/// `kubectl cordon|uncordon NODE` (`drain` is `drain.rs`).
fn cordon(engine: &mut Engine, verb: &str, args: &[&str]) -> Output {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')).map(|s| s.trim_start_matches("node/")) else {
        return Output::err(format!("error: USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples\n"));
    };
    let unschedulable = verb != "uncordon";
    let already = match engine.set_unschedulable(name, unschedulable) {
        Ok(already) => already,
        Err(e) => return Output::err(api_error(&e)),
    };
    let mut out = Output::default();
    let done = if unschedulable { "cordoned" } else { "uncordoned" };
    out.stdout.push_str(&format!("node/{name} {}{done}\n", if already { "already " } else { "" }));
    out
}
