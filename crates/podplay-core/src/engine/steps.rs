//! Commands that change the cluster — scenario steps and the page's terminal share them:
//! `kubectl exec|delete|apply|create|label|cordon|uncordon|drain` and `podplay node
//! disconnect|reconnect`. Each returns what the real command prints.

use serde::Serialize;

use super::cri::ExecResult;
use super::objects::ContainerKey;
use super::{Engine, Task};
use crate::clock::Millis;
use crate::source::{load, Object, SourceFile};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StepOutput {
    pub at: Millis,
    pub command: String,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl CommandOutput {
    fn ok(stdout: String) -> Self {
        CommandOutput { stdout, stderr: String::new(), exit_code: 0 }
    }
    fn err(stderr: String) -> Self {
        CommandOutput { stdout: String::new(), stderr, exit_code: 1 }
    }
}

/// Splits a command line as a POSIX shell would for simple words: quotes, backslashes, spaces.
pub fn split_command_line(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

impl Engine {
    pub(crate) fn run_step(&mut self, i: usize) {
        let step = self.steps[i].clone();
        let out = match split_command_line(&step.run) {
            Ok(words) => self.execute_command(&words, step.manifest.as_deref()),
            Err(e) => CommandOutput::err(format!("error: {e}\n")),
        };
        self.record_change(
            "scenario".into(),
            "step",
            format!("$ {}", step.run),
            if out.exit_code == 0 { "a scenario step ran".into() } else { format!("a scenario step failed: {}", out.stderr.trim()) },
        );
        self.step_outputs.push(StepOutput {
            at: self.now,
            command: step.run,
            stdout: out.stdout,
            stderr: out.stderr,
            exit_code: out.exit_code,
        });
    }

    /// Runs a command that changes the cluster, at `now()`. `words[0]` is `kubectl` or `podplay`.
    /// The engine remembers it, so a re-run for an earlier view replays it (`replay.rs`).
    pub fn execute(&mut self, words: &[String], manifest: Option<&str>) -> CommandOutput {
        self.record_command(words, manifest);
        self.execute_command(words, manifest)
    }

    fn execute_command(&mut self, words: &[String], manifest: Option<&str>) -> CommandOutput {
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        match args.as_slice() {
            ["kubectl", rest @ ..] => self.kubectl_mutation(rest, manifest),
            ["podplay", "node", verb @ ("disconnect" | "reconnect"), name] => {
                let Some(n) = self.find_node(name) else {
                    return CommandOutput::err(format!("Error from server (NotFound): nodes \"{name}\" not found\n"));
                };
                if *verb == "disconnect" {
                    self.disconnect_node(n);
                } else {
                    self.reconnect_node(n);
                }
                CommandOutput::ok(format!("node/{name} {verb}ed\n"))
            }
            ["podplay", ..] => {
                CommandOutput::err("error: podplay commands: podplay node disconnect NAME, podplay node reconnect NAME\n".into())
            }
            [first, ..] => CommandOutput::err(format!("error: unknown command {first:?}: steps run `kubectl ...` or `podplay node ...`\n")),
            [] => CommandOutput::err("error: empty command\n".into()),
        }
    }

    fn kubectl_mutation(&mut self, args: &[&str], manifest: Option<&str>) -> CommandOutput {
        let (args, namespace) = take_namespace(args);
        match args.first().copied() {
            Some("exec") => self.kubectl_exec(&args[1..], &namespace),
            Some("delete") => self.kubectl_delete(&args[1..], &namespace),
            Some("apply") | Some("create") => self.kubectl_apply(args[0], manifest),
            Some("label") => self.kubectl_label(&args[1..], &namespace),
            Some(verb @ ("cordon" | "uncordon" | "drain")) => self.kubectl_cordon(verb, &args[1..]),
            Some(other) => CommandOutput::err(format!("error: podplay cannot run `kubectl {other}` as a step (steps change the cluster: exec, delete, apply, create, label, cordon, uncordon, drain)\n")),
            None => CommandOutput::err("error: missing kubectl verb\n".into()),
        }
    }

    /// A node that exists now (a deleted node's record stays, unreachable by name).
    fn find_node(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|r| !r.removed && r.node.metadata.name == name)
    }

    pub(crate) fn find_pod(&self, name: &str, namespace: &str) -> Option<usize> {
        self.live_pods.get(&(namespace.to_string(), name.to_string())).copied()
    }

    fn kubectl_exec(&mut self, args: &[&str], namespace: &str) -> CommandOutput {
        let split = args.iter().position(|a| *a == "--");
        let (opts, cmd) = match split {
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
            return CommandOutput::err("error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command\nSee 'kubectl exec -h' for help and examples\n".into());
        };
        if cmd.is_empty() {
            return CommandOutput::err("error: you must specify at least one command for the container\n".into());
        }
        let Some(p) = self.find_pod(&pod, namespace) else {
            return CommandOutput::err(format!("Error from server (NotFound): pods \"{pod}\" not found\n"));
        };
        let phase = self.pods[p].pod.status.phase.clone();
        if phase == "Succeeded" || phase == "Failed" {
            return CommandOutput::err(format!("error: cannot exec into a container in a completed pod; current phase is {phase}\n"));
        }
        let keys: Vec<ContainerKey> = self.pods[p].keys().into_iter().filter(|k| !k.init).collect();
        let key = match &container {
            Some(c) => match self.pods[p].keys().into_iter().find(|k| &self.pods[p].spec_container(*k).name == c) {
                Some(k) => k,
                None => {
                    let names: Vec<String> = keys.iter().map(|k| self.pods[p].spec_container(*k).name.clone()).collect();
                    return CommandOutput::err(format!("error: container {c} is not valid for pod {pod} out of: {}\n", names.join(", ")));
                }
            },
            None => keys[0],
        };
        let mut stderr = String::new();
        if container.is_none() && keys.len() > 1 {
            stderr.push_str(&format!(
                "Defaulted container \"{}\" out of: {}\n",
                self.pods[p].spec_container(key).name,
                keys.iter().map(|k| self.pods[p].spec_container(*k).name.clone()).collect::<Vec<_>>().join(", ")
            ));
        }
        let name = self.pods[p].spec_container(key).name.clone();
        let Some(inst) = self.pods[p].record(key).current().filter(|i| i.started_at.is_some() && i.finished.is_none()).cloned() else {
            stderr.push_str(&format!("error: unable to upgrade connection: container not found (\"{name}\")\n"));
            return CommandOutput { stdout: String::new(), stderr, exit_code: 1 };
        };
        let argv: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
        let result = self.cri.exec_sync(self.now, inst.handle, &argv, None);
        // What the exec changed (files a probe reads, a killed PID 1) shows through probes and
        // the runtime's exit events; an exec does not itself trigger a pod sync.
        match result {
            ExecResult::Completed { stdout, stderr: err, exit_code, .. } => {
                stderr.push_str(&err);
                if exit_code != 0 {
                    stderr.push_str(&format!("command terminated with exit code {exit_code}\n"));
                }
                CommandOutput { stdout, stderr, exit_code }
            }
            ExecResult::TimedOut { .. } => CommandOutput { stdout: String::new(), stderr, exit_code: 0 },
            ExecResult::NotRunning { exit_code: Some(code), output } => {
                stderr.push_str(&format!("command terminated with exit code {code}\n"));
                CommandOutput { stdout: output, stderr, exit_code: code }
            }
            ExecResult::NotRunning { exit_code: None, output } => {
                stderr.push_str(&format!("error: Internal error occurred: error executing command in container: {output}\n"));
                CommandOutput { stdout: String::new(), stderr, exit_code: 1 }
            }
        }
    }

    fn kubectl_delete(&mut self, args: &[&str], namespace: &str) -> CommandOutput {
        let node_kind = |a: &str| matches!(a, "node" | "nodes" | "no") || a.starts_with("node/") || a.starts_with("nodes/");
        if args.iter().find(|a| !a.starts_with('-')).is_some_and(|a| node_kind(a)) {
            return self.kubectl_delete_nodes(args);
        }
        let mut names = Vec::new();
        let mut grace = None;
        let mut force = false;
        let mut kind_seen = false;
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            match a {
                "--force" => force = true,
                "--now" => grace = Some(1),
                "--grace-period" => {
                    i += 1;
                    grace = args.get(i).and_then(|v| v.parse::<i64>().ok());
                }
                s if s.starts_with("--grace-period=") => grace = s["--grace-period=".len()..].parse::<i64>().ok(),
                s if s.starts_with("--wait") => {}
                "pod" | "pods" | "po" if !kind_seen => kind_seen = true,
                s if s.starts_with("pod/") => names.push(s[4..].to_string()),
                s if s.starts_with('-') => return CommandOutput::err(format!("error: unknown flag: {s}\n")),
                s => names.push(s.to_string()),
            }
            i += 1;
        }
        if names.is_empty() {
            return CommandOutput::err("error: resource(s) were provided, but no name was specified\n".into());
        }
        let mut out = CommandOutput::default();
        if force && grace == Some(0) {
            out.stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
        }
        for name in names {
            let Some(p) = self.find_pod(&name, namespace) else {
                out.stderr.push_str(&format!("Error from server (NotFound): pods \"{name}\" not found\n"));
                out.exit_code = 1;
                continue;
            };
            let grace = if force && grace.is_none() { Some(0) } else { grace };
            self.delete_pod(p, grace, force && grace == Some(0));
            let verb = if force && grace == Some(0) { "force deleted" } else { "deleted" };
            out.stdout.push_str(&format!("pod \"{name}\" {verb}\n"));
            // Without --grace-period the pod's own terminationGracePeriodSeconds applies.
            let fields = match grace {
                None => vec![super::why::field(
                    "spec.terminationGracePeriodSeconds".into(),
                    self.pods[p].pod.spec.termination_grace_period_seconds.unwrap_or(30),
                )],
                Some(_) => Vec::new(),
            };
            self.record_change_with(
                format!("pod/{name}"),
                "phase",
                "Terminating".into(),
                "kubectl delete set deletionTimestamp; the kubelet stops the containers within the grace period",
                fields,
            );
        }
        out
    }

    /// `kubectl delete node NAME...` (or `node/NAME`): nodes have no grace period; the API
    /// object goes at once and kubectl prints `node "NAME" deleted`.
    fn kubectl_delete_nodes(&mut self, args: &[&str]) -> CommandOutput {
        let mut names = Vec::new();
        let mut kind_seen = false;
        for a in args {
            match *a {
                "node" | "nodes" | "no" if !kind_seen => kind_seen = true,
                s if s.starts_with("--wait") || s.starts_with("--grace-period") || s == "--force" || s == "--now" => {}
                s if s.starts_with('-') => return CommandOutput::err(format!("error: unknown flag: {s}\n")),
                s => match s.split_once('/') {
                    Some(("node" | "nodes" | "no", n)) => names.push(n.to_string()),
                    Some(_) => return CommandOutput::err("error: podplay deletes pods or nodes, one kind per command\n".into()),
                    None => names.push(s.to_string()),
                },
            }
        }
        if names.is_empty() {
            return CommandOutput::err("error: resource(s) were provided, but no name was specified\n".into());
        }
        let mut out = CommandOutput::default();
        for name in names {
            let Some(n) = self.find_node(&name) else {
                out.stderr.push_str(&format!("Error from server (NotFound): nodes \"{name}\" not found\n"));
                out.exit_code = 1;
                continue;
            };
            self.delete_node(n);
            out.stdout.push_str(&format!("node \"{name}\" deleted\n"));
        }
        out
    }

    fn kubectl_apply(&mut self, verb: &str, manifest: Option<&str>) -> CommandOutput {
        let Some(text) = manifest else {
            return CommandOutput::err(format!(
                "error: podplay steps run `kubectl {verb} -f -` with the objects in the step's `manifest:` key\n"
            ));
        };
        let manifests = match load(&[SourceFile { name: "manifest".into(), text: text.to_string() }]) {
            Ok(m) => m,
            Err(errors) => return CommandOutput::err(errors.iter().map(|d| format!("error: {d}\n")).collect()),
        };
        let mut out = CommandOutput::default();
        for (object, _) in std::rc::Rc::unwrap_or_clone(manifests.objects) {
            match object {
                Object::Pod(pod) => {
                    let (name, exists) = (pod.metadata.name.clone(), self.find_pod(&pod.metadata.name, pod.metadata.namespace()).is_some());
                    apply_one(&mut out, verb, "pod", &name, exists, || self.add_pod(*pod));
                }
                Object::Service(svc) => {
                    let (name, exists) =
                        (svc.metadata.name.clone(), self.find_service(&svc.metadata.name, svc.metadata.namespace()).is_some());
                    apply_one(&mut out, verb, "service", &name, exists, || self.add_service(*svc));
                }
                Object::Node(node) => {
                    let name = node.metadata.name.clone();
                    self.add_node(*node);
                    out.stdout.push_str(&format!("node/{name} created\n"));
                    self.retry_unschedulable();
                }
                Object::Image(image) => match self.cri.register_image(&image) {
                    Ok(()) => out.stdout.push_str(&format!("image.podplay.dev/{} created\n", image.metadata.name)),
                    Err(e) => {
                        out.stderr.push_str(&format!("error: image {:?}: {e}\n", image.metadata.name));
                        out.exit_code = 1;
                    }
                },
                Object::Scenario(_) => {}
            }
        }
        out
    }

    fn kubectl_label(&mut self, args: &[&str], namespace: &str) -> CommandOutput {
        let (kind, name, labels) = match args {
            [kind, name, labels @ ..] if !labels.is_empty() => (*kind, *name, labels),
            _ => return CommandOutput::err("error: at least one label update is required\n".into()),
        };
        let mut updates = Vec::new();
        for l in labels.iter().filter(|l| !l.starts_with("--")) {
            if let Some(key) = l.strip_suffix('-') {
                updates.push((key.to_string(), None));
            } else if let Some((k, v)) = l.split_once('=') {
                updates.push((k.to_string(), Some(v.to_string())));
            } else {
                return CommandOutput::err(format!("error: invalid label spec: {l}\n"));
            }
        }
        let overwrite = labels.contains(&"--overwrite");
        let apply = |map: &mut std::collections::BTreeMap<String, String>| -> Result<(), String> {
            for (k, v) in &updates {
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
        };
        match kind {
            "pod" | "pods" | "po" => {
                let Some(p) = self.find_pod(name, namespace) else {
                    return CommandOutput::err(format!("Error from server (NotFound): pods \"{name}\" not found\n"));
                };
                if let Err(e) = apply(&mut self.pods[p].pod.metadata.labels) {
                    return CommandOutput::err(e);
                }
                self.bump_resource_version(p);
                self.update_endpoints_for_pod(p);
                CommandOutput::ok(format!("pod/{name} labeled\n"))
            }
            "node" | "nodes" | "no" => {
                let Some(n) = self.find_node(name) else {
                    return CommandOutput::err(format!("Error from server (NotFound): nodes \"{name}\" not found\n"));
                };
                if let Err(e) = apply(&mut self.nodes[n].node.metadata.labels) {
                    return CommandOutput::err(e);
                }
                self.retry_unschedulable();
                CommandOutput::ok(format!("node/{name} labeled\n"))
            }
            other => CommandOutput::err(format!("error: podplay can label pods and nodes, not {other:?}\n")),
        }
    }

    fn kubectl_cordon(&mut self, verb: &str, args: &[&str]) -> CommandOutput {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')).map(|s| s.trim_start_matches("node/")) else {
            return CommandOutput::err(format!("error: USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples\n"));
        };
        let Some(n) = self.find_node(name) else {
            return CommandOutput::err(format!("Error from server (NotFound): nodes \"{name}\" not found\n"));
        };
        let unschedulable = verb != "uncordon";
        let was = self.nodes[n].node.spec.unschedulable == Some(true);
        self.nodes[n].node.spec.unschedulable = if unschedulable { Some(true) } else { None };
        let mut out = CommandOutput::default();
        match (verb, was == unschedulable) {
            ("cordon" | "drain", true) => out.stdout.push_str(&format!("node/{name} already cordoned\n")),
            ("cordon" | "drain", false) => out.stdout.push_str(&format!("node/{name} cordoned\n")),
            (_, true) => out.stdout.push_str(&format!("node/{name} already uncordoned\n")),
            (_, false) => out.stdout.push_str(&format!("node/{name} uncordoned\n")),
        }
        if verb == "drain" {
            let victims: Vec<usize> = (0..self.pods.len())
                .filter(|&p| self.pods[p].node == Some(n) && !self.pods[p].removed && !self.pods[p].deleting())
                .collect();
            // kubectl `drain.go` RunDrain / `pkg/drain/filters.go`: bare pods need --force.
            let names: Vec<String> = victims.iter().map(|&p| format!("{}/{}", self.pods[p].namespace(), self.pods[p].name())).collect();
            if !victims.is_empty() && !args.contains(&"--force") {
                let error = format!("cannot delete Pods that declare no controller (use --force to override): {}", names.join(", "));
                out.stderr.push_str(&format!("error: unable to drain node {name:?} due to error: {error}, continuing command...\nThere are pending nodes to be drained:\n {name}\nerror: {error}\n"));
                out.exit_code = 1;
                return out;
            }
            if !victims.is_empty() {
                out.stderr.push_str(&format!("Warning: deleting Pods that declare no controller: {}\n", names.join(", ")));
            }
            for p in victims {
                out.stdout.push_str(&format!("evicting pod {}/{}\n", self.pods[p].namespace(), self.pods[p].name()));
                self.delete_pod(p, None, false);
                out.stdout.push_str(&format!("pod/{} evicted\n", self.pods[p].name()));
            }
            out.stdout.push_str(&format!("node/{name} drained\n"));
        }
        if !unschedulable {
            self.retry_unschedulable();
        }
        out
    }

    /// Queues the scenario's steps.
    pub(crate) fn queue_steps(&mut self) {
        for i in 0..self.steps.len() {
            let at = self.steps[i].at;
            self.schedule(at, Task::Step(i));
        }
    }
}

/// Strips `-n NS` / `--namespace NS` / `--namespace=NS` from anywhere in the arguments.
pub fn take_namespace<'a>(args: &[&'a str]) -> (Vec<&'a str>, String) {
    let mut out = Vec::new();
    let mut ns = "default".to_string();
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--" => {
                out.extend_from_slice(&args[i..]);
                break;
            }
            "-n" | "--namespace" if i + 1 < args.len() => {
                ns = args[i + 1].to_string();
                i += 2;
                continue;
            }
            s if s.starts_with("--namespace=") => ns = s["--namespace=".len()..].to_string(),
            s => out.push(s),
        }
        i += 1;
    }
    (out, ns)
}

/// One object of `kubectl apply|create -f -`: an existing one is left as it is (`unchanged`) or,
/// for `create`, refused as the API server refuses it; a new one is created.
fn apply_one(out: &mut CommandOutput, verb: &str, kind: &str, name: &str, exists: bool, create: impl FnOnce() -> Result<(), String>) {
    if exists {
        if verb == "create" {
            out.stderr.push_str(&format!(
                "Error from server (AlreadyExists): error when creating \"STDIN\": {kind}s \"{name}\" already exists\n"
            ));
            out.exit_code = 1;
        } else {
            out.stdout.push_str(&format!("{kind}/{name} unchanged\n"));
        }
        return;
    }
    match create() {
        Ok(()) => out.stdout.push_str(&format!("{kind}/{name} created\n")),
        Err(e) => {
            out.stderr.push_str(&format!("{e}\n"));
            out.exit_code = 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn splitting() {
        assert_eq!(
            split_command_line(r#"kubectl exec p -- sh -c 'echo "123" > /x'"#).unwrap(),
            vec!["kubectl", "exec", "p", "--", "sh", "-c", "echo \"123\" > /x"]
        );
        assert_eq!(split_command_line("a \"b c\" d\\ e").unwrap(), vec!["a", "b c", "d e"]);
        assert!(split_command_line("'open").is_err());
    }
}
