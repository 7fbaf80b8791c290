//! `podplay compare`: a real cluster's transcript beside podplay's simulation of the same
//! manifest, at the same moments, on the transcript's release. The texts are masked
//! ([`podplay_kubectl::transcript::mask`]) and compared with the transcript's tolerance on ages.

use podplay_core::model::scenario::{Scenario, ScenarioSpec};
use podplay_core::source::{Object, Origin};
use podplay_core::version::find_release;
use podplay_core::{load, Manifests, SourceFile};
use podplay_kubectl::transcript::{compare_texts, mask, render_diff, Masks, Transcript};

use crate::Session;

/// One capture compared.
#[derive(Debug, Clone)]
pub struct CaptureResult {
    /// Where the capture's header is: `FILE:LINE`.
    pub line: usize,
    pub at: podplay_core::Millis,
    pub command: String,
    /// The transcript's mark of a known difference.
    pub known_difference: Option<String>,
    /// `None` within tolerance, else the unified-diff-like view after masking.
    pub diff: Option<String>,
}

/// The whole comparison.
#[derive(Debug, Clone)]
pub struct Report {
    pub release: &'static str,
    pub captures: Vec<CaptureResult>,
}

impl Report {
    /// Every capture within tolerance.
    pub fn agrees(&self) -> bool {
        self.captures.iter().all(|c| c.diff.is_none())
    }

    /// The text `podplay compare` prints.
    pub fn render(&self, file: &str) -> String {
        let mut out = String::new();
        for c in &self.captures {
            let t = podplay_kubectl::record::secs(c.at);
            match (&c.diff, &c.known_difference) {
                (None, None) => out.push_str(&format!("{file}:{}: at {t}: {}: same (after masking)\n", c.line, c.command)),
                (None, Some(why)) => out.push_str(&format!(
                    "{file}:{}: at {t}: {}: same (after masking), though marked as a known difference ({why})\n",
                    c.line, c.command
                )),
                (Some(diff), known) => {
                    out.push_str(&format!("{file}:{}: at {t}: {}: differs", c.line, c.command));
                    if let Some(why) = known {
                        out.push_str(&format!(" (known: {why})"));
                    }
                    out.push_str(&format!(
                        "\n--- transcript (masked)\n+++ podplay {} (masked)\n@@ at {t}: {} @@\n{diff}",
                        self.release, c.command
                    ));
                }
            }
        }
        let differing = self.captures.iter().filter(|c| c.diff.is_some()).count();
        out.push_str(&format!("{differing} of {} captures differ beyond the tolerance\n", self.captures.len()));
        out
    }
}

/// Simulates the transcript's manifest on its release and compares every capture. An error is
/// a transcript podplay cannot simulate (a release it does not play, YAML it refuses).
pub fn compare(transcript: &Transcript, name: &str) -> Result<Report, String> {
    let release = find_release(&transcript.release)?;
    let manifests = load(&[SourceFile { name: format!("{name} (manifest)"), text: transcript.manifest.clone() }])
        .map_err(|ds| ds.iter().map(|d| format!("{d}\n")).collect::<String>())?;
    // A transcript whose commands name its namespace (`kubectl get pods -n s14`) ran with the
    // objects there: the simulation puts them there too. One whose commands do not (a
    // record-script's, which adds the namespace itself) is read as the manifest's `default`.
    let named = transcript.namespace.as_deref().filter(|ns| transcript.captures.iter().any(|c| names_namespace(&c.command, ns)));
    let manifests = on_release(&manifests, release.name, named);
    let mut session = Session::new(&manifests).map_err(|ds| ds.iter().map(|d| format!("{d}\n")).collect::<String>())?;
    let sim_nodes: Vec<String> = session.engine().nodes().map(|n| n.metadata.name.clone()).collect();
    let real = Masks {
        namespace: transcript.namespace.as_ref().filter(|_| named.is_none()).map(|ns| (ns.clone(), "default".to_string())),
        nodes: transcript.nodes.clone(),
    };
    let simulated = Masks { namespace: None, nodes: sim_nodes };
    // Steps' outputs, from a run to the last moment.
    let end = transcript.captures.iter().map(|c| c.at).max().unwrap_or(0);
    let mut captures = Vec::new();
    let mut steps_run = None;
    for c in &transcript.captures {
        let actual = if c.step {
            let outputs = steps_run.get_or_insert_with(|| {
                let mut s = Session::new(&manifests).expect("these manifests made a session");
                s.seek(end);
                s.engine().step_outputs().to_vec()
            });
            // The simulation's step of the same command, nearest in time.
            match outputs
                .iter()
                .filter(|o| o.command == c.command || format!("kubectl {}", o.command) == c.command)
                .min_by_key(|o| o.at.abs_diff(c.at))
            {
                Some(o) => format!("{}{}", o.stdout, o.stderr),
                None => return Err(format!("line {}: the manifest's Scenario has no step `{}`", c.line, c.command)),
            }
        } else {
            let words = podplay_kubectl::split_command_line(&c.command)?;
            session.seek(c.at);
            let args = simulated_args(
                &words[1..],
                transcript.namespace.as_deref().filter(|_| named.is_none()),
                &session.engine().pod_names(),
                &real,
            );
            let out = session.kubectl_at(c.at, &args);
            format!("{}{}", out.stdout, out.stderr)
        };
        let expected = mask(&c.output, &real);
        let actual = mask(&actual, &simulated);
        let diff = compare_texts(&expected, &actual, transcript.tolerance).map(|d| render_diff(&d));
        captures.push(CaptureResult { line: c.line, at: c.at, command: c.command.clone(), known_difference: c.differs.clone(), diff });
    }
    Ok(Report { release: release.name, captures })
}

/// Whether a command line names `ns` as its namespace.
fn names_namespace(command: &str, ns: &str) -> bool {
    let words = podplay_kubectl::split_command_line(command).unwrap_or_default();
    words.windows(2).any(|w| (w[0] == "-n" || w[0] == "--namespace") && w[1] == ns)
        || words.iter().any(|w| w.strip_prefix("--namespace=").or_else(|| w.strip_prefix("-n=")) == Some(ns))
}

/// The manifests with their Scenario (or a new one) set to `release`, and, given a namespace,
/// their objects in the `default` namespace moved into it.
fn on_release(manifests: &Manifests, release: &str, namespace: Option<&str>) -> Manifests {
    let mut objects: Vec<(Object, Origin)> = manifests.objects.iter().cloned().collect();
    let mut found = false;
    for (o, _) in objects.iter_mut() {
        if let Object::Scenario(s) = o {
            s.spec.kubernetes_version = Some(release.to_string());
            found = true;
        }
        if let Some(ns) = namespace {
            let meta = match o {
                Object::Pod(x) => Some(&mut x.metadata),
                Object::Service(x) => Some(&mut x.metadata),
                Object::ReplicaSet(x) => Some(&mut x.metadata),
                Object::Deployment(x) => Some(&mut x.metadata),
                Object::Job(x) => Some(&mut x.metadata),
                Object::CronJob(x) => Some(&mut x.metadata),
                Object::ConfigMap(x) => Some(&mut x.metadata),
                Object::Secret(x) => Some(&mut x.metadata),
                Object::StatefulSet(x) => Some(&mut x.metadata),
                Object::DaemonSet(x) => Some(&mut x.metadata),
                Object::PodDisruptionBudget(x) => Some(&mut x.metadata),
                Object::Node(_) | Object::Namespace(_) | Object::Scenario(_) | Object::Image(_) => None,
            };
            if let Some(meta) = meta.filter(|m| m.namespace.as_deref().is_none_or(|n| n == "default")) {
                meta.namespace = Some(ns.to_string());
            }
        }
    }
    if !found {
        let scenario = Scenario {
            api_version: "podplay.dev/v1alpha1".to_string(),
            kind: "Scenario".to_string(),
            spec: ScenarioSpec { kubernetes_version: Some(release.to_string()), ..ScenarioSpec::default() },
            ..Scenario::default()
        };
        objects.push((Object::Scenario(Box::new(scenario)), Origin::default()));
    }
    Manifests { objects: std::rc::Rc::new(objects) }
}

/// The command as the simulation runs it: the transcript's namespace flag dropped (its objects
/// are the manifest's, in `default`), and a generated pod name (`web-7c5ddbdf54-x7zvf`) that the
/// simulation does not have read as the first simulated pod whose name masks alike
/// (`web-<gen>-<gen>`): replicas of one template are alike.
fn simulated_args(args: &[String], namespace: Option<&str>, pods: &[String], masks: &Masks) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if let Some(ns) = namespace {
            if (a == "-n" || a == "--namespace") && args.get(i + 1).is_some_and(|n| n == ns) {
                i += 2;
                continue;
            }
            if a.strip_prefix("--namespace=").or_else(|| a.strip_prefix("-n=")) == Some(ns) {
                i += 1;
                continue;
            }
        }
        let (prefix, name) = match a.split_once('/') {
            Some((kind, name)) if !a.starts_with('-') => (format!("{kind}/"), name),
            _ => (String::new(), a.as_str()),
        };
        let masked = mask(name, masks);
        if masked.contains("<gen>") && !pods.iter().any(|p| p == name) {
            let mut alike: Vec<&String> = pods.iter().filter(|p| mask(p, &Masks::default()) == masked).collect();
            alike.sort();
            if let Some(p) = alike.first() {
                out.push(format!("{prefix}{p}"));
                i += 1;
                continue;
            }
        }
        out.push(a.clone());
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn a_namespace_is_named_by_either_flag() {
        assert!(names_namespace("kubectl get pods -n s14", "s14"));
        assert!(names_namespace("kubectl get pods --namespace=s14", "s14"));
        assert!(names_namespace("kubectl describe pod x --namespace s14", "s14"));
        assert!(!names_namespace("kubectl get pods", "s14"));
        assert!(!names_namespace("kubectl get pods -n other", "s14"));
    }

    #[test]
    fn commands_lose_the_recorded_namespace_and_find_generated_names() {
        let pods = vec!["web-7c5ddbdf54-x7zvf".to_string(), "web-7c5ddbdf54-b2c4d".to_string(), "client".to_string()];
        let masks = Masks::default();
        assert_eq!(simulated_args(&words("get pods -n podplay-x"), Some("podplay-x"), &pods, &masks), words("get pods"));
        assert_eq!(
            simulated_args(&words("get pods --namespace=podplay-x -o wide"), Some("podplay-x"), &pods, &masks),
            words("get pods -o wide")
        );
        // Another pod of the same template: the first simulated one whose name masks alike.
        assert_eq!(
            simulated_args(&words("describe pod web-67d4bdd6f5-w6kd7"), None, &pods, &masks),
            words("describe pod web-7c5ddbdf54-b2c4d")
        );
        assert_eq!(simulated_args(&words("logs pod/web-67d4bdd6f5-w6kd7"), None, &pods, &masks), words("logs pod/web-7c5ddbdf54-b2c4d"));
        // Names the simulation has, and names a person wrote, stay.
        assert_eq!(
            simulated_args(&words("describe pod web-7c5ddbdf54-x7zvf"), None, &pods, &masks),
            words("describe pod web-7c5ddbdf54-x7zvf")
        );
        assert_eq!(simulated_args(&words("exec client -- ls"), None, &pods, &masks), words("exec client -- ls"));
    }
}
