//! `kubectl drain NODE` (kubectl's `pkg/cmd/drain` and `pkg/drain`): cordon the node, pick its
//! pods through drain's filters, then evict each (the eviction subresource, which a
//! PodDisruptionBudget may refuse with a 429: retried every 5 s) or, with
//! `--disable-eviction`, delete it, and wait until each is gone. Waiting spans virtual time:
//! [`DrainRun`] is the command's state between its moments, resumed by the engine (a scenario
//! step) or by the session (`run_over_time`), never by this crate.

use std::cell::RefCell;
use std::rc::Rc;

use podplay_core::version::{DrainFailureText, DrainUnmanagedText};
use podplay_core::{CommandOutput, Engine, Millis, OpError, Resume, StepContinuation};

use crate::selectors::LabelSelector;
use crate::Output;

/// `time.Sleep(5 * time.Second)` after a 429.
const EVICTION_RETRY: Millis = 5_000;
/// `waitForDelete`'s poll interval.
const DELETE_POLL: Millis = 1_000;
/// podplay stops a drain that would wait forever (no `--timeout`, a budget that never allows
/// the eviction) after an hour of virtual time and says so, as `rollout status` does.
const DRAIN_LIMIT: Millis = 3_600_000;

/// The flags `kubectl drain` takes here.
#[derive(Debug, Clone, Default)]
struct DrainOptions {
    node: String,
    force: bool,
    ignore_daemonsets: bool,
    delete_emptydir_data: bool,
    disable_eviction: bool,
    /// `--timeout` (0: forever).
    timeout: Millis,
    /// `--grace-period` (negative: each pod's own).
    grace_period: i64,
    pod_selector: LabelSelector,
}

/// One pod drain deletes or evicts, and where it is in `evictPods`' loop.
#[derive(Debug, Clone)]
struct Victim {
    namespace: String,
    name: String,
    uid: String,
    state: VictimState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum VictimState {
    /// The next eviction attempt is due at this time.
    Evict(Millis),
    /// Evicted or deleted: the next look for its deletion is due at this time.
    Wait(Millis),
    Done,
    Failed(String),
}

/// A drain between two of its moments.
pub(crate) struct DrainRun {
    options: DrainOptions,
    started: Millis,
    victims: Vec<Victim>,
}

/// `kubectl drain ARGS`: what it prints now, and the rest of it when it must wait.
pub(crate) fn drain(engine: &mut Engine, args: &[&str]) -> (Output, Option<Resume>) {
    let mut out = Output::default();
    let options = match parse(args, engine.release(), &mut out) {
        Ok(o) => o,
        Err(refused) => return (refused, None),
    };
    match engine.set_unschedulable(&options.node, true) {
        Ok(already) => out.stdout.push_str(&format!("node/{} {}cordoned\n", options.node, if already { "already " } else { "" })),
        Err(e) => return (Output::err(crate::mutate::api_error(&e)), None),
    }
    let victims = match pods_for_deletion(engine, &options) {
        Ok((victims, warnings)) => {
            print_warnings(engine, &warnings, &mut out);
            victims
        }
        Err(errors) => {
            node_failed(engine, &options.node, &errors, &mut out);
            return (out, None);
        }
    };
    let now = engine.now();
    let victims =
        victims.into_iter().map(|(namespace, name, uid)| Victim { namespace, name, uid, state: VictimState::Evict(now) }).collect();
    let mut run = DrainRun { options, started: now, victims };
    let next = run.step(engine, &mut out);
    (out, next.map(|at| Resume { at, rest: Rc::new(RefCell::new(run)) }))
}

impl StepContinuation for DrainRun {
    fn resume(&mut self, engine: &mut Engine) -> CommandOutput {
        let mut out = Output::default();
        let next = self.step(engine, &mut out);
        let rest = next.map(|at| Resume { at, rest: Rc::new(RefCell::new(self.take())) });
        CommandOutput { stdout: out.stdout, stderr: out.stderr, exit_code: out.exit_code, resume: rest }
    }
}

impl DrainRun {
    fn take(&mut self) -> DrainRun {
        DrainRun { options: self.options.clone(), started: self.started, victims: std::mem::take(&mut self.victims) }
    }

    /// Everything due now, each pod in turn (the goroutines of `evictPods`, in list order);
    /// the time of the next thing due, or `None` when the drain has ended (and said how).
    fn step(&mut self, engine: &mut Engine, out: &mut Output) -> Option<Millis> {
        let now = engine.now();
        for i in 0..self.victims.len() {
            match self.victims[i].state {
                VictimState::Evict(at) if at <= now => self.attempt(engine, i, out),
                VictimState::Wait(at) if at <= now => self.look(engine, i, out),
                _ => {}
            }
        }
        let next = self.victims.iter().filter_map(|v| match v.state {
            VictimState::Evict(at) | VictimState::Wait(at) => Some(at),
            _ => None,
        });
        match next.min() {
            Some(at) if self.options.timeout == 0 && at > self.started + DRAIN_LIMIT => {
                out.stderr.push_str("podplay: stopped the drain after 1h of virtual time (give --timeout to wait longer)\n");
                out.exit_code = 1;
                None
            }
            Some(at) => Some(at),
            None => {
                self.finish(engine, out);
                None
            }
        }
    }

    /// One pass of `evictPods`' loop for pod `i` (or `deletePods`' delete).
    fn attempt(&mut self, engine: &mut Engine, i: usize, out: &mut Output) {
        let now = engine.now();
        let (namespace, name) = (self.victims[i].namespace.clone(), self.victims[i].name.clone());
        let grace = (self.options.grace_period >= 0).then_some(self.options.grace_period);
        if self.options.disable_eviction {
            let how = podplay_core::engine::ops::Deletion { grace_seconds: grace, immediate: false };
            self.victims[i].state = match engine.delete_pod_named(&namespace, &name, how) {
                Ok(_) | Err(OpError::NotFound { .. }) => VictimState::Wait(now),
                Err(e) => VictimState::Failed(podplay_core::engine::ops::op_error_text(&e)),
            };
            return self.look(engine, i, out);
        }
        out.stdout.push_str(&format!("evicting pod {namespace}/{name}\n"));
        if self.timed_out(now) {
            let reached = self.global_timeout();
            self.victims[i].state =
                VictimState::Failed(format!("error when evicting pods/{name:?} -n {namespace:?}: global timeout reached: {reached}"));
            return;
        }
        self.victims[i].state = match engine.evict_pod(&namespace, &name, grace) {
            Ok(()) => VictimState::Wait(now),
            Err(OpError::NotFound { .. }) => VictimState::Done,
            Err(OpError::Status { reason: "TooManyRequests", message }) => {
                out.stderr.push_str(&format!("error when evicting pods/{name:?} -n {namespace:?} (will retry after 5s): {message}\n"));
                VictimState::Evict(now + EVICTION_RETRY)
            }
            Err(e) => VictimState::Failed(format!(
                "error when evicting pods/{name:?} -n {namespace:?}: {}",
                podplay_core::engine::ops::op_error_text(&e)
            )),
        };
        if self.victims[i].state == VictimState::Wait(now) {
            self.look(engine, i, out);
        }
    }

    /// `waitForDelete`'s poll: gone (or another pod of the name) is `pod/NAME evicted`.
    fn look(&mut self, engine: &mut Engine, i: usize, out: &mut Output) {
        let now = engine.now();
        let victim = &self.victims[i];
        let gone = engine.pod(&victim.namespace, &victim.name).is_none_or(|p| p.metadata.uid != victim.uid);
        if gone {
            let verb = if self.options.disable_eviction { "deleted" } else { "evicted" };
            out.stdout.push_str(&format!("pod/{} {verb}\n", victim.name));
            self.victims[i].state = VictimState::Done;
        } else if self.timed_out(now) {
            let why = if engine.release().drain_wait_context_deadline {
                "context deadline exceeded".to_string()
            } else {
                format!("global timeout reached: {}", self.global_timeout())
            };
            self.victims[i].state = VictimState::Failed(format!(
                "error when waiting for pod {:?} in namespace {:?} to terminate: {why}",
                victim.name, victim.namespace
            ));
        } else {
            self.victims[i].state = VictimState::Wait(now + DELETE_POLL);
        }
    }

    fn timed_out(&self, now: Millis) -> bool {
        self.options.timeout > 0 && now >= self.started + self.options.timeout
    }

    /// The `--timeout` as Go prints a `time.Duration`.
    fn global_timeout(&self) -> String {
        podplay_k8s_util::duration::go_duration_string(self.options.timeout as i64 * 1_000_000)
    }

    /// Every pod is done: `node/NAME drained`, or the errors as `deleteOrEvictPodsSimple` and
    /// `RunDrain` report them (the pods still on the node first).
    fn finish(&mut self, engine: &mut Engine, out: &mut Output) {
        let errors: Vec<String> = self
            .victims
            .iter()
            .filter_map(|v| match &v.state {
                VictimState::Failed(e) => Some(e.clone()),
                _ => None,
            })
            .collect();
        if errors.is_empty() {
            out.stdout.push_str(&format!("node/{} drained\n", self.options.node));
            return;
        }
        if let Ok((pending, _)) = pods_for_deletion(engine, &self.options) {
            if !pending.is_empty() {
                let error = aggregate(&errors);
                out.stderr.push_str(&format!("There are pending pods in node {:?} when an error occurred: {error}\n", self.options.node));
                for (_, name, _) in pending {
                    out.stderr.push_str(&format!("pod/{name}\n"));
                }
            }
        }
        node_failed(engine, &self.options.node, &errors, out);
    }
}

/// `utilerrors.NewAggregate(errs).Error()`: one error as it is, several in brackets.
fn aggregate(errors: &[String]) -> String {
    match errors {
        [one] => one.clone(),
        _ => format!("[{}]", errors.join(", ")),
    }
}

/// `RunDrain`'s report of a node it could not drain, then `CheckErr`'s of the error.
fn node_failed(engine: &Engine, node: &str, errors: &[String], out: &mut Output) {
    let error = aggregate(errors);
    match engine.release().drain_failure {
        DrainFailureText::Aborting => {
            out.stderr.push_str("DEPRECATED WARNING: Aborting the drain command in a list of nodes will be deprecated in v1.23.\nThe new behavior will make the drain command go through all nodes even if one or more nodes failed during the drain.\nFor now, users can try such experience via: --ignore-errors\n");
            out.stderr.push_str(&format!("error: unable to drain node {node:?}, aborting command...\n\n"));
        }
        DrainFailureText::ContinuingNoSpace => {
            out.stderr.push_str(&format!("error: unable to drain node {node:?} due to error:{error}, continuing command...\n"));
        }
        DrainFailureText::Continuing => {
            out.stderr.push_str(&format!("error: unable to drain node {node:?} due to error: {error}, continuing command...\n"));
        }
    }
    out.stderr.push_str(&format!("There are pending nodes to be drained:\n {node}\n"));
    out.stderr.push_str(&check_err(engine, errors));
    out.exit_code = 1;
}

/// `cmdutil.CheckErr` of what `RunDrain` returned: an aggregate of one is unwrapped, an
/// aggregate prints one error a line and any other error gets `error: `. From 1.23 RunDrain
/// wraps the node's aggregate in another, so one unwrapping still leaves an aggregate.
fn check_err(engine: &Engine, errors: &[String]) -> String {
    let single_unwrapped = engine.release().drain_failure == DrainFailureText::Aborting && errors.len() == 1;
    if single_unwrapped {
        let e = &errors[0];
        return if e.starts_with("error: ") { format!("{e}\n") } else { format!("error: {e}\n") };
    }
    errors.iter().map(|e| format!("{e}\n")).collect()
}

/// Drain's filter statuses (`PodDeleteStatus`), grouped by message as `PodDeleteList` does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DrainStatus {
    Okay,
    Warning(String),
    Error(String),
}

/// `GetPodsForDeletion`: the node's pods (the `--pod-selector` ones), in the API's order
/// (namespace, name), through the filters; the pods to delete as (namespace, name, uid) with
/// the warnings, or the errors.
#[allow(clippy::type_complexity)]
fn pods_for_deletion(
    engine: &Engine,
    options: &DrainOptions,
) -> Result<(Vec<(String, String, String)>, Vec<(String, Vec<String>)>), Vec<String>> {
    let mut pods = engine.pods_bound_to(&options.node);
    pods.sort();
    let mut statuses = Vec::new();
    for (namespace, name) in pods {
        let Some(pod) = engine.pod(&namespace, &name) else { continue };
        if !options.pod_selector.matches(&pod.metadata.labels) {
            continue;
        }
        statuses.push((namespace, name, pod.metadata.uid.clone(), filter(engine, options, pod)));
    }
    let errors: Vec<String> = grouped(&statuses, |s| if let DrainStatus::Error(m) = s { Some(m) } else { None })
        .into_iter()
        .map(|(message, pods)| format!("cannot delete {message}: {}", pods.join(", ")))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let warnings = grouped(&statuses, |s| if let DrainStatus::Warning(m) = s { Some(m) } else { None });
    let victims = statuses
        .into_iter()
        .filter(|(_, _, _, s)| matches!(s, DrainStatus::Okay | DrainStatus::Warning(_)))
        .filter(|(_, _, _, s)| *s != DrainStatus::Warning(DAEMON_SET_WARNING.into()))
        .map(|(namespace, name, uid, _)| (namespace, name, uid))
        .collect();
    Ok((victims, warnings))
}

const DAEMON_SET_WARNING: &str = "ignoring DaemonSet-managed Pods";

/// The filters in `makeFilters`' order: the first that does not say Okay decides (a later
/// warning replaces an earlier one, as upstream's TODO notes).
fn filter(engine: &Engine, options: &DrainOptions, pod: &podplay_core::model::Pod) -> DrainStatus {
    let finished = pod.status.phase == "Succeeded" || pod.status.phase == "Failed";
    let controller = crate::describe::controller_of(&pod.metadata);
    // daemonSetFilter: a pod of an existing DaemonSet is an error, or skipped with a warning;
    // an orphan (its DaemonSet gone) is the lookup's NotFound, or with --force goes on to the
    // later filters (which replace its warning).
    if let Some((_, owner)) = controller.as_ref().filter(|(kind, _)| kind == "DaemonSet" && !finished) {
        let namespace = pod.metadata.namespace();
        let exists = engine.daemon_set_records().iter().any(|r| !r.removed && r.name() == owner && r.set.metadata.namespace() == namespace);
        match (exists, options.ignore_daemonsets, options.force) {
            (true, false, _) => return DrainStatus::Error("DaemonSet-managed Pods (use --ignore-daemonsets to ignore)".into()),
            (true, true, _) => return DrainStatus::Warning(DAEMON_SET_WARNING.into()),
            (false, _, false) => return DrainStatus::Error(format!("daemonsets.apps {owner:?} not found")),
            (false, _, true) => {}
        }
    }
    // localStorageFilter: an emptyDir needs --delete-emptydir-data (its warning is replaced
    // by the next filter's status, as upstream's TODO says).
    if pod.spec.volumes.iter().any(|v| v.empty_dir.is_some()) && !finished && !options.delete_emptydir_data {
        return DrainStatus::Error("Pods with local storage (use --delete-emptydir-data to override)".into());
    }
    // unreplicatedFilter: a pod no controller owns needs --force.
    if controller.is_some() || finished {
        return DrainStatus::Okay;
    }
    let (fatal, warning) = unmanaged_words(engine);
    if options.force {
        DrainStatus::Warning(warning.into())
    } else {
        DrainStatus::Error(fatal.into())
    }
}

/// `unmanagedFatal` and `unmanagedWarning` of the release's kubectl.
fn unmanaged_words(engine: &Engine) -> (&'static str, &'static str) {
    match engine.release().drain_unmanaged {
        DrainUnmanagedText::NotManagedBy => (
            "Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet (use --force to override)",
            "deleting Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet",
        ),
        DrainUnmanagedText::DeclareNoController => {
            ("Pods declare no controller (use --force to override)", "deleting Pods that declare no controller")
        }
        DrainUnmanagedText::CannotDeleteDeclare => {
            ("cannot delete Pods that declare no controller (use --force to override)", "deleting Pods that declare no controller")
        }
        DrainUnmanagedText::ThatDeclareNoController => {
            ("Pods that declare no controller (use --force to override)", "deleting Pods that declare no controller")
        }
    }
}

/// The pods of each message, messages in the order first seen (upstream groups in a Go map).
fn grouped(
    statuses: &[(String, String, String, DrainStatus)],
    pick: impl Fn(&DrainStatus) -> Option<&String>,
) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (namespace, name, _, status) in statuses {
        let Some(message) = pick(status) else { continue };
        let pod = format!("{namespace}/{name}");
        match groups.iter_mut().find(|(m, _)| m == message) {
            Some((_, pods)) => pods.push(pod),
            None => groups.push((message.clone(), vec![pod])),
        }
    }
    groups
}

/// `list.Warnings()`, through kubectl's warning printer (`WARNING:` up to 1.24).
fn print_warnings(engine: &Engine, warnings: &[(String, Vec<String>)], out: &mut Output) {
    if warnings.is_empty() {
        return;
    }
    let text: Vec<String> = warnings.iter().map(|(message, pods)| format!("{message}: {}", pods.join(", "))).collect();
    let lead = if engine.release().drain_warning_upper { "WARNING" } else { "Warning" };
    out.stderr.push_str(&format!("{lead}: {}\n", text.join("; ")));
}

fn parse(args: &[&str], release: &podplay_core::version::Release, out: &mut Output) -> Result<DrainOptions, Output> {
    let mut options = DrainOptions { grace_period: -1, ..DrainOptions::default() };
    let mut node = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (arg, None),
        };
        let mut value = || -> Result<String, Output> {
            if let Some(v) = inline {
                return Ok(v.to_string());
            }
            i += 1;
            args.get(i)
                .map(|v| v.to_string())
                .ok_or_else(|| Output::err(format!("error: flag needs an argument: {flag}\nSee 'kubectl drain --help' for usage.\n")))
        };
        match flag {
            "--force" => options.force = inline != Some("false"),
            "--ignore-daemonsets" => options.ignore_daemonsets = inline != Some("false"),
            "--delete-emptydir-data" => options.delete_emptydir_data = inline != Some("false"),
            "--delete-local-data" if release.drain_delete_local_data => {
                out.stderr.push_str("Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n");
                options.delete_emptydir_data = inline != Some("false");
            }
            "--disable-eviction" => options.disable_eviction = inline != Some("false"),
            "--timeout" => options.timeout = duration_flag(&value()?)?,
            "--grace-period" => options.grace_period = int_flag("grace-period", &value()?)?,
            "--pod-selector" => options.pod_selector = LabelSelector::parse(&value()?).map_err(|e| Output::err(format!("error: {e}\n")))?,
            f if f.starts_with('-') => return Err(Output::err(crate::unknown_flag("drain", f))),
            name => node = Some(name.trim_start_matches("node/").trim_start_matches("nodes/").to_string()),
        }
        i += 1;
    }
    options.node =
        node.ok_or_else(|| Output::err("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n".into()))?;
    Ok(options)
}

/// A Go duration flag (`--timeout=30s`): pflag's words for a bad one.
fn duration_flag(text: &str) -> Result<Millis, Output> {
    podplay_core::parse_duration(text).map_err(|_| {
        Output::err(format!(
            "error: invalid argument {text:?} for \"--timeout\" flag: time: invalid duration {text:?}\nSee 'kubectl drain --help' for usage.\n"
        ))
    })
}

fn int_flag(flag: &str, text: &str) -> Result<i64, Output> {
    text.parse().map_err(|_| {
        Output::err(format!("error: invalid argument {text:?} for \"--{flag}\" flag: strconv.ParseInt: parsing {text:?}: invalid syntax\nSee 'kubectl drain --help' for usage.\n"))
    })
}
