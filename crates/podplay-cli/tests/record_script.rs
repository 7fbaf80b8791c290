//! `podplay record-script`: the script passes `bash -n`, and, run against a stand-in `kubectl`
//! and `sleep` on PATH that log their arguments, it runs each Scenario step and each capture at
//! the scenario's times, in the scenario's namespace-free form, and writes a transcript.

use std::path::{Path, PathBuf};
use std::process::Command;

use podplay_core::model::scenario::Step;
use podplay_core::source::Object;
use podplay_core::{load, Millis, SourceFile};

fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace top")
}

fn scenario(name: &str) -> String {
    top().join("tests/scenarios").join(name).to_string_lossy().into_owned()
}

fn record_script(files: &[&str], extra: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_podplay")).arg("record-script").args(files).args(extra).output().expect("podplay runs");
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap_or(-1))
}

fn steps_of(file: &str) -> Vec<Step> {
    let text = std::fs::read_to_string(file).unwrap();
    let manifests = load(&[SourceFile { name: file.to_string(), text }]).unwrap();
    manifests
        .objects
        .iter()
        .filter_map(|(o, _)| if let Object::Scenario(s) = o { Some(s.spec.steps.clone()) } else { None })
        .flatten()
        .collect()
}

/// A stand-in kubectl that logs `kubectl ARGS` (and, for an apply, its standard input) and
/// answers what the script asks of a cluster; a `sleep` that logs and returns at once. Each
/// log line is one write (an append that small is atomic): the background watch logs while
/// the script's other calls do.
fn fake_bin(dir: &Path) {
    let kubectl = r#"#!/usr/bin/env bash
line="kubectl$(printf ' [%s]' "$@")"; printf '%s\n' "$line" >>"$FAKE_LOG"
case "$*" in
  "version -o json") printf '{\n  "clientVersion": {\n    "gitVersion": "v1.30.0"\n  },\n  "serverVersion": {\n    "gitVersion": "v1.29.2"\n  }\n}\n' ;;
  "get nodes -o name") echo node/kind-control-plane ;;
  "get namespace "*) exit 1 ;;
  *" apply -f -"*) cat >>"$FAKE_LOG.apply" ;;
  *" get pods -w") echo "NAME READY STATUS RESTARTS AGE" ;;
  *) echo "output of $*" ;;
esac
"#;
    let sleep = "#!/usr/bin/env bash\nprintf 'sleep %s\\n' \"$1\" >>\"$FAKE_LOG\"\n";
    for (name, text) in [("kubectl", kubectl), ("sleep", sleep)] {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

struct Run {
    log: Vec<String>,
    /// What the apply read on its standard input.
    applied: String,
    transcript: String,
}

fn run_script(script: &str, name: &str) -> Run {
    let dir = std::env::temp_dir().join(format!("podplay-record-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    fake_bin(&dir.join("bin"));
    std::fs::write(dir.join("script.sh"), script).unwrap();
    let path = format!("{}:{}", dir.join("bin").display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .arg(dir.join("script.sh"))
        .arg(dir.join("transcript.txt"))
        .env("PATH", path)
        .env("FAKE_LOG", dir.join("log"))
        .env_remove("PODPLAY_NAMESPACE")
        .env_remove("PODPLAY_KEEP")
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "the script failed: {}", String::from_utf8_lossy(&out.stderr));
    let log = std::fs::read_to_string(dir.join("log")).unwrap().lines().map(str::to_string).collect();
    let transcript = std::fs::read_to_string(dir.join("transcript.txt")).unwrap();
    let applied = std::fs::read_to_string(dir.join("log.apply")).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    Run { log, applied, transcript }
}

fn bash_n(script: &str) {
    let mut child =
        Command::new("bash").arg("-n").stdin(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("bash");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "bash -n: {}", String::from_utf8_lossy(&out.stderr));
}

/// `kubectl [--namespace] [NS] [w1] [w2]` as the stand-in logged it: the words after the namespace.
fn kubectl_words(line: &str) -> Option<Vec<String>> {
    let rest = line.strip_prefix("kubectl ")?;
    let words: Vec<String> = rest.trim_start_matches('[').trim_end_matches(']').split("] [").map(str::to_string).collect();
    Some(words)
}

/// The virtual time each logged kubectl call ran at: the last `sleep S` before it (the stand-in
/// sleep returns at once, so every wait sleeps for the whole time from the apply).
fn timed_calls(log: &[String]) -> Vec<(Millis, Vec<String>)> {
    let mut at = 0;
    let mut out = Vec::new();
    let mut applied = false;
    for line in log {
        if let Some(s) = line.strip_prefix("sleep ") {
            if applied {
                at = (s.parse::<f64>().expect("sleep takes seconds") * 1000.0).round() as Millis;
            }
        } else if let Some(words) = kubectl_words(line) {
            if words.ends_with(&["get".to_string(), "pods".to_string(), "-w".to_string()]) {
                continue; // the background watch, started before the apply, logs when it will
            }
            if words.ends_with(&["apply".to_string(), "-f".to_string(), "-".to_string()]) && !applied {
                applied = true;
                continue;
            }
            if applied {
                out.push((at, words));
            }
        }
    }
    out
}

fn near(a: Millis, b: Millis) -> bool {
    a.abs_diff(b) <= 1000
}

#[test]
fn scripts_pass_bash_n_and_run_the_steps_and_captures_at_their_times() {
    for name in
        ["readiness-httpget.yaml", "liveness-exec.yaml", "graceful-delete.yaml", "configmap-missing.yaml", "deployment-rollback.yaml"]
    {
        let file = scenario(name);
        let (script, stderr, code) = record_script(&[&file], &[]);
        assert_eq!((code, stderr.as_str()), (0, ""), "{name}");
        bash_n(&script);
        let run = run_script(&script, name.trim_end_matches(".yaml"));
        let ns = format!("podplay-{}", name.trim_end_matches(".yaml"));
        // The namespace, then the apply of every applied document without its namespace.
        assert!(run.log.iter().any(|l| l == &format!("kubectl [create] [namespace] [{ns}]")), "{name}: {:?}", run.log);
        assert_eq!(
            run.log.iter().filter(|l| l.ends_with("[apply] [-f] [-]")).count(),
            1 + steps_of(&file).iter().filter(|s| s.manifest.is_some()).count(),
            "{name}"
        );
        assert!(run.log.iter().any(|l| l.ends_with("[get] [pods] [-w]")), "{name}: a watch");
        let (watch, apply) = (script.find("get pods -w >").expect("a watch"), script.find("apply -f - >&2").expect("an apply"));
        assert!(watch < apply, "{name}: the watch starts before the apply");
        let applied = &run.applied;
        assert!(applied.contains("kind:") && !applied.contains("namespace:"), "{name}: {applied}");
        assert!(!applied.contains("podplay.dev"), "{name}: the Scenario is podplay's, not applied");
        // Every step at its time, with its words as podplay splits them.
        let calls = timed_calls(&run.log);
        let steps = steps_of(&file);
        for step in &steps {
            let words = podplay_kubectl::split_command_line(&step.run).unwrap();
            let mut expected = vec!["--namespace".to_string(), ns.clone()];
            expected.extend(words[1..].iter().cloned());
            assert!(
                calls.iter().any(|(t, w)| *w == expected && near(*t, step.at)),
                "{name}: step {} at {}ms not run: {calls:?}",
                step.run,
                step.at
            );
        }
        // Every `# Try at` command at its time, with the standard captures.
        let text = std::fs::read_to_string(&file).unwrap();
        let tries = podplay_kubectl::record::try_lines(&text).unwrap();
        let end = tries.iter().map(|(t, _)| *t).chain(steps.iter().map(|s| s.at + 30_000)).max().unwrap_or(60_000);
        for (t, line) in tries.iter().cloned().chain([
            (end, "kubectl get pods".to_string()),
            (end, "kubectl describe pods".to_string()),
            (end, "kubectl get events".to_string()),
        ]) {
            let words = podplay_kubectl::split_command_line(&line).unwrap();
            let mut expected = vec!["--namespace".to_string(), ns.clone()];
            expected.extend(words[1..].iter().cloned());
            assert!(calls.iter().any(|(at, w)| *w == expected && near(*at, t)), "{name}: {line} at {t}ms not captured: {calls:?}");
            assert!(run.transcript.contains(&format!(": {line}\n")), "{name}: {line} not in the transcript");
        }
        // No step runs before its time, and the captures of a step's moment come after it.
        for (i, (t, w)) in calls.iter().enumerate() {
            if let Some(step) = steps.iter().find(|s| podplay_kubectl::split_command_line(&s.run).unwrap()[1..] == w[2..]) {
                assert!(near(*t, step.at), "{name}: {w:?} at {t}");
                assert!(calls[..i].iter().all(|(u, _)| *u <= *t), "{name}: out of order at {w:?}");
            }
        }
        // The transcript: its header, the release of the server, the node, the manifest.
        assert!(run.transcript.starts_with("podplay-transcript: 1\nsource: recorded with record-script"), "{name}: {}", run.transcript);
        assert!(run.transcript.contains("\nrelease: v1.29.2\n") && run.transcript.contains("\nnode: kind-control-plane\n"), "{name}");
        assert!(run.transcript.contains(&format!("=== manifest\n{text}")), "{name}: the scenario is the manifest");
        assert!(
            run.transcript.lines().last().is_some_and(|l| l == "NAME READY STATUS RESTARTS AGE"),
            "{name}: the watch is the last capture"
        );
    }
}

#[test]
fn manifests_and_commands_are_quoted() {
    let (script, _, code) = record_script(&[&scenario("readiness-httpget.yaml")], &["--at", "45s"]);
    assert_eq!(code, 0);
    assert!(script.contains("step 'kubectl exec pod-live-readiness -- sh -c '\\''echo \"123\" > /usr/share/nginx/html/index.html'\\''' 'exec' 'pod-live-readiness' '--' 'sh' '-c' 'echo \"123\" > /usr/share/nginx/html/index.html'"), "{script}");
    assert!(script.contains("apply -f - >&2 <<'PODPLAY_MANIFEST'\n") && script.contains("cat <<'PODPLAY_SCENARIO'\n"), "{script}");
    assert!(script.contains("wait_until 45000 "), "--at adds a moment: {script}");
    // A scenario written for a release says so when the cluster runs another.
    let (script, _, _) = record_script(&[&scenario("configmap-missing.yaml")], &[]);
    assert!(script.contains("case \"$SERVER\" in v1.31.*) ;; *) printf"), "{script}");
    // The lines made from the scenario's text: every word single-quoted, nothing outside the
    // quotes that the shell would expand.
    for line in script.lines().filter(|l| l.starts_with("step ") || l.starts_with("capture ")) {
        let outside: String = line.replace(r"'\''", "").split('\'').step_by(2).collect();
        assert!(!outside.contains(['$', '`', '"', ';', '&', '|', '(']), "unquoted text: {line}");
        assert!(outside.ends_with(" </dev/null") || outside.contains(" <<"), "{line}");
    }
}

#[test]
fn scenarios_without_a_real_counterpart_are_refused() {
    let (_, stderr, code) = record_script(&[&scenario("author-image.yaml")], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("a real cluster cannot run it"), "{stderr}");
    let (_, stderr, code) = record_script(&[&scenario("node-loss.yaml")], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("has no kubectl equivalent on a real cluster"), "{stderr}");
}

/// The whole way round: the script runs against a stand-in cluster that answers every kubectl
/// call with podplay's own simulation at the stand-in clock's time (a `sleep` that moves the
/// clock, a `date` that reads it), so the transcript it writes must read back and compare
/// clean: the format record-script writes is the one compare reads, moments included.
#[test]
fn a_transcript_recorded_from_the_simulation_itself_compares_clean() {
    for name in ["liveness-exec.yaml", "readiness-httpget.yaml"] {
        let file = scenario(name);
        let (script, _, code) = record_script(&[&file], &[]);
        assert_eq!(code, 0);
        let plan = podplay_kubectl::record::plan(&[SourceFile { name: file.clone(), text: std::fs::read_to_string(&file).unwrap() }], &[])
            .unwrap();
        let dir = std::env::temp_dir().join(format!("podplay-roundtrip-{}-{}", std::process::id(), name.trim_end_matches(".yaml")));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        let kubectl = r#"#!/usr/bin/env bash
ms="$(cat "$FAKE_CLOCK")"
case "$*" in
  "version -o json") printf '{\n  "serverVersion": {\n    "gitVersion": "v1.36.0"\n  }\n}\n'; exit 0 ;;
  "get nodes -o name") echo node/node-1; exit 0 ;;
  "get namespace "*) exit 1 ;;
  "create namespace "*|"delete namespace "*) exit 0 ;;
esac
[ "$1" = --namespace ] && shift 2
case "$1 $2" in
  "get serviceaccount") exit 0 ;;
  "apply -f") [ -e "$FAKE_CLOCK.t0" ] || echo "$ms" >"$FAKE_CLOCK.t0"; cat >/dev/null; exit 0 ;;
esac
# Virtual time: the clock since the apply (the script notes its time 0 just before it).
ms=$((ms - $(cat "$FAKE_CLOCK.t0" 2>/dev/null || echo "$ms")))
if [ "$*" = "get pods -w" ]; then exec "$PODPLAY" kubectl "$FILE" --at "${FAKE_END}ms" -- get pods -w; fi
# A step runs at its moment before anything reads the cluster: answer it as of just before.
case "$1" in exec|delete|apply|create|label|annotate|patch) ms=$((ms - 1)) ;; esac
exec "$PODPLAY" kubectl "$FILE" --at "${ms}ms" -- "$@"
"#;
        let sleep = "#!/usr/bin/env bash\nms=\"$(cat \"$FAKE_CLOCK\")\"\nadd=\"$(awk -v s=\"$1\" 'BEGIN { printf \"%d\", s * 1000 + 0.5 }')\"\necho \"$((ms + add))\" >\"$FAKE_CLOCK\"\n";
        let date = "#!/usr/bin/env bash\nif [ \"$1\" = +%s ]; then echo \"$(( $(cat \"$FAKE_CLOCK\") / 1000 ))\"; else echo 2026-01-05T09:00:00Z; fi\n";
        for (n, text) in [("kubectl", kubectl), ("sleep", sleep), ("date", date)] {
            let p = dir.join("bin").join(n);
            std::fs::write(&p, text).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::write(dir.join("clock"), "1000000\n").unwrap();
        std::fs::write(dir.join("script.sh"), &script).unwrap();
        let path = format!("{}:{}", dir.join("bin").display(), std::env::var("PATH").unwrap_or_default());
        let out = Command::new("bash")
            .args(["-c", "unset EPOCHREALTIME; . \"$0\" \"$1\""])
            .arg(dir.join("script.sh"))
            .arg(dir.join("transcript.txt"))
            .env("PATH", path)
            .env("FAKE_CLOCK", dir.join("clock"))
            .env("FAKE_END", plan.end.to_string())
            .env("PODPLAY", env!("CARGO_BIN_EXE_podplay"))
            .env("FILE", &file)
            .output()
            .expect("bash runs");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let transcript = std::fs::read_to_string(dir.join("transcript.txt")).unwrap();
        let parsed = podplay_kubectl::transcript::parse(&transcript).unwrap_or_else(|e| panic!("{name}: {e}\n{transcript}"));
        let at: Vec<Millis> = parsed.captures.iter().map(|c| c.at).collect();
        let planned: Vec<Millis> = plan.actions.iter().map(|(t, _)| *t).chain([plan.end]).collect();
        assert_eq!(at, planned, "{name}: each capture at its planned moment");
        let report = podplay_session::compare::compare(&parsed, name).unwrap();
        let differing: Vec<String> =
            report.captures.iter().filter_map(|c| c.diff.as_ref().map(|d| format!("{} at {}:\n{d}", c.command, c.at))).collect();
        assert!(differing.is_empty(), "{name}: {}", differing.join("\n"));
        let cli = Command::new(env!("CARGO_BIN_EXE_podplay")).arg("compare").arg(dir.join("transcript.txt")).output().unwrap();
        assert_eq!(cli.status.code(), Some(0), "{}", String::from_utf8_lossy(&cli.stdout));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
