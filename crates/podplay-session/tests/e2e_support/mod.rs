//! What the ported e2e tests share: the e2e framework's waits as seeks of virtual time, and
//! the objects of a manifest created at time 0.
#![allow(dead_code)] // each test file uses its own part

pub mod downward;

use podplay_core::clock::{Millis, MINUTE, SECOND};
use podplay_core::model::Pod;
use podplay_core::{load, SourceFile};
use podplay_session::Session;

/// `framework.Poll`.
pub const POLL: Millis = 2 * SECOND;
/// `framework.PodStartTimeout`.
pub const POD_START_TIMEOUT: Millis = 5 * MINUTE;

/// The client's `Create` of the manifest's objects, at time 0.
pub fn create(text: &str) -> Session {
    let m = load(&[SourceFile { name: "e2e.yaml".into(), text: text.into() }]).expect("valid yaml");
    Session::new(&m).expect("the objects are created")
}

/// `wait.PollUntilContextTimeout`: every `interval` from now for at most `timeout`, until
/// `done`; whether it was.
pub fn poll_until(s: &mut Session, timeout: Millis, interval: Millis, mut done: impl FnMut(&mut Session) -> bool) -> bool {
    let start = s.now();
    let mut t = start;
    while t <= start + timeout {
        s.seek(t);
        if done(s) {
            return true;
        }
        t += interval;
    }
    false
}

/// `podutil.IsPodReady`.
pub fn is_pod_ready(p: &Pod) -> bool {
    p.status.condition("Ready").is_some_and(|c| c.status == "True")
}

/// `testutils.PodRunningReady`.
pub fn pod_running_ready(p: &Pod) -> bool {
    p.status.phase == "Running" && is_pod_ready(p)
}

/// `framework.PodStartShortTimeout`.
pub const POD_START_SHORT_TIMEOUT: Millis = 2 * MINUTE;
/// `f.Timeouts.PodDelete`.
pub const POD_DELETE_TIMEOUT: Millis = 5 * MINUTE;

/// The pod `name` of the default namespace, if its API object exists.
pub fn pod<'a>(s: &'a Session, name: &str) -> Option<&'a Pod> {
    s.engine().pod("default", name)
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// `kubectl ARGS...` now; (exit code, stdout, stderr).
pub fn kubectl(s: &mut Session, words: &[&str]) -> (i32, String, String) {
    let out = s.kubectl(&args(words));
    (out.exit_code, out.stdout, out.stderr)
}

/// `e2epod.GetPodLogs`: the container's log, or the API server's error.
pub fn pod_logs(s: &mut Session, name: &str, container: &str) -> Result<String, String> {
    match kubectl(s, &["logs", name, "-c", container]) {
        (0, out, _) => Ok(out),
        (_, _, err) => Err(err),
    }
}

/// `e2epod.WaitTimeoutForPodRunningInNamespace`: the pod runs within `timeout`; `Err` when it
/// does not, or reached a phase it cannot leave (`BeRunningNoRetries`).
pub fn wait_for_pod_running(s: &mut Session, name: &str, timeout: Millis) -> Result<(), String> {
    let mut end = None;
    let ran = poll_until(s, timeout, POLL, |s| match pod(s, name).map(|p| p.status.phase.as_str()) {
        Some("Running") => true,
        Some(phase @ ("Failed" | "Succeeded")) => {
            end = Some(format!("Expected pod to reach phase \"Running\", got final phase {phase:?} instead"));
            true
        }
        _ => false,
    });
    match end {
        Some(e) => Err(e),
        None if ran => Ok(()),
        None => Err(format!("pod {name} is not running within {timeout} ms: {:?}", pod(s, name).map(|p| &p.status))),
    }
}

/// `e2epod.WaitForPodSuccessInNamespaceTimeout`.
pub fn wait_for_pod_success(s: &mut Session, name: &str, timeout: Millis) -> Result<(), String> {
    let mut failed = false;
    let done = poll_until(s, timeout, POLL, |s| match pod(s, name).map(|p| p.status.phase.as_str()) {
        Some("Succeeded") => true,
        Some("Failed") => {
            failed = true;
            true
        }
        _ => false,
    });
    match (done, failed) {
        (true, false) => Ok(()),
        (true, true) => Err(format!("pod {name} failed: {:?}", pod(s, name).map(|p| &p.status))),
        _ => Err(format!("pod {name} did not succeed within {timeout} ms: {:?}", pod(s, name).map(|p| &p.status))),
    }
}

/// `e2epod.DeletePodWithWait`: a graceful delete, then the pod is gone within
/// `f.Timeouts.PodDelete`.
pub fn delete_pod_with_wait(s: &mut Session, name: &str) -> Result<(), String> {
    let (code, _, err) = kubectl(s, &["delete", "pod", name, "--wait=false"]);
    if code != 0 {
        return Err(err);
    }
    if poll_until(s, POD_DELETE_TIMEOUT, POLL, |s| pod(s, name).is_none()) {
        Ok(())
    } else {
        Err(format!("pod {name} is still there after {POD_DELETE_TIMEOUT} ms"))
    }
}

/// `e2epodoutput.MatchContainerOutput` with `gomega.ContainSubstring` (`TestContainerOutput`):
/// the pod of `text` (named `name`) succeeds within `f.Timeouts.PodStart`, and the log of
/// `container` contains each of `expected`. The session, for checks of its own.
pub fn test_container_output(text: &str, name: &str, container: &str, expected: &[&str]) -> Session {
    match_container_output(text, name, container, |logs| {
        for want in expected {
            assert!(logs.contains(want), "expected {want:?} in container output: {logs:?}");
        }
    })
}

/// `e2epodoutput.TestContainerOutputRegexp`: as `test_container_output`, each of `patterns`
/// matching somewhere in the log (`gomega.MatchRegexp`).
pub fn test_container_output_regexp(text: &str, name: &str, container: &str, patterns: &[&str]) -> Session {
    match_container_output(text, name, container, |logs| {
        for pattern in patterns {
            assert!(regexp_matches(pattern, logs), "expected {pattern:?} to match container output: {logs:?}");
        }
    })
}

/// `e2epodoutput.MatchContainerOutput`: create the pod, wait for its success, `matches` its
/// container's log, delete it.
fn match_container_output(text: &str, name: &str, container: &str, matches: impl FnOnce(&str)) -> Session {
    let mut s = create(text);
    if let Err(e) = wait_for_pod_success(&mut s, name, POD_START_TIMEOUT) {
        let logs = pod_logs(&mut s, name, container);
        panic!("expected pod {name:?} success: {e}; output of container {container}: {logs:?}");
    }
    let logs = pod_logs(&mut s, name, container).unwrap_or_else(|e| panic!("failed to get logs from {name} for {container}: {e}"));
    matches(&logs);
    delete_pod_with_wait(&mut s, name).expect("the pod is deleted");
    s
}

/// A YAML double-quoted string (Rust's escapes of `"`, `\`, newlines and tabs are YAML's).
pub fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// A YAML flow sequence of double-quoted strings (a pod's `command` or `args`).
pub fn list(words: &[&str]) -> String {
    format!("[{}]", words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(", "))
}

/// Go's `regexp.MatchString` (RE2 syntax) for the patterns these tests use: literal
/// characters, `.`, bracket classes of characters and ranges (`[1-9]`, `[^a]`), `\d` and other
/// `\` escapes, groups (`(a|b)`, `(?:a)`) and the repetitions `*`, `+`, `?`, `{n}`, `{n,}` and
/// `{n,m}`; any other syntax (anchors, flags) is refused.
pub fn regexp_matches(pattern: &str, text: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    let alternatives = parse_alternatives(&chars, &mut at, pattern);
    assert!(at == chars.len(), "regexp {pattern:?}: unbalanced ')'");
    let text: Vec<char> = text.chars().collect();
    (0..=text.len()).any(|start| !ends(&alternatives, &text, start).is_empty())
}

/// One piece of a pattern: a set of characters (as ranges, or every character but those
/// ranges; `.` is every character) or a group.
enum Atom {
    Chars(Vec<(char, char)>, bool),
    Group(Vec<Vec<Piece>>),
}

/// An atom and how many times it repeats: at least `min`, at most `max` (none: unbounded).
struct Piece {
    atom: Atom,
    min: usize,
    max: Option<usize>,
}

/// A `\` escape's characters: `\d` digits, `\n` and `\t` their characters, any other the
/// character itself.
fn escape(c: char) -> Vec<(char, char)> {
    match c {
        'd' => vec![('0', '9')],
        'n' => vec![('\n', '\n')],
        't' => vec![('\t', '\t')],
        c => vec![(c, c)],
    }
}

fn parse_alternatives(chars: &[char], at: &mut usize, pattern: &str) -> Vec<Vec<Piece>> {
    let mut alternatives = vec![Vec::new()];
    while *at < chars.len() {
        let c = chars[*at];
        *at += 1;
        let atom = match c {
            ')' => {
                *at -= 1;
                break;
            }
            '|' => {
                alternatives.push(Vec::new());
                continue;
            }
            '(' => {
                if chars.get(*at) == Some(&'?') {
                    assert!(chars.get(*at + 1) == Some(&':'), "regexp {pattern:?}: only (?: groups are supported here");
                    *at += 2;
                }
                let group = parse_alternatives(chars, at, pattern);
                assert!(chars.get(*at) == Some(&')'), "regexp {pattern:?}: unclosed '('");
                *at += 1;
                Atom::Group(group)
            }
            '[' => {
                let negated = chars.get(*at) == Some(&'^');
                if negated {
                    *at += 1;
                }
                let mut ranges = Vec::new();
                while *at < chars.len() && chars[*at] != ']' {
                    if chars[*at] == '\\' {
                        ranges.extend(escape(chars[*at + 1]));
                        *at += 2;
                        continue;
                    }
                    let lo = chars[*at];
                    if chars.get(*at + 1) == Some(&'-') && chars.get(*at + 2).is_some_and(|c| *c != ']') {
                        ranges.push((lo, chars[*at + 2]));
                        *at += 3;
                    } else {
                        ranges.push((lo, lo));
                        *at += 1;
                    }
                }
                *at += 1;
                Atom::Chars(ranges, negated)
            }
            '.' => Atom::Chars(vec![('\n', '\n')], true),
            '\\' => {
                let escaped = chars[*at];
                *at += 1;
                Atom::Chars(escape(escaped), false)
            }
            '*' | '+' | '?' | '^' | '$' | '{' => panic!("regexp {pattern:?}: {c:?} is not supported here"),
            c => Atom::Chars(vec![(c, c)], false),
        };
        let (min, max) = repetition(chars, at, pattern);
        alternatives.last_mut().expect("one alternative at least").push(Piece { atom, min, max });
    }
    alternatives
}

/// The repetition after an atom, if any: `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`.
fn repetition(chars: &[char], at: &mut usize, pattern: &str) -> (usize, Option<usize>) {
    let out = match chars.get(*at) {
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('?') => (0, Some(1)),
        Some('{') => {
            let close = chars[*at..].iter().position(|c| *c == '}').unwrap_or_else(|| panic!("regexp {pattern:?}: unclosed '{{'"));
            let inner: String = chars[*at + 1..*at + close].iter().collect();
            let number = |s: &str| s.parse::<usize>().unwrap_or_else(|_| panic!("regexp {pattern:?}: bad repetition {{{inner}}}"));
            let bounds = match inner.split_once(',') {
                None => (number(&inner), Some(number(&inner))),
                Some((lo, "")) => (number(lo), None),
                Some((lo, hi)) => (number(lo), Some(number(hi))),
            };
            *at += close;
            bounds
        }
        _ => return (1, Some(1)),
    };
    *at += 1;
    assert!(!matches!(chars.get(*at), Some('?' | '*' | '+')), "regexp {pattern:?}: non-greedy or doubled repetition is not supported here");
    out
}

/// Where a match of any of `alternatives` that starts at `start` can end.
fn ends(alternatives: &[Vec<Piece>], text: &[char], start: usize) -> Vec<usize> {
    let mut out = std::collections::BTreeSet::new();
    for sequence in alternatives {
        let mut positions = std::collections::BTreeSet::from([start]);
        for piece in sequence {
            let mut reached = std::collections::BTreeSet::new();
            let mut current = positions;
            if piece.min == 0 {
                reached.extend(current.iter().copied());
            }
            let mut count = 0;
            while !current.is_empty() && piece.max.is_none_or(|max| count < max) {
                count += 1;
                let mut next = std::collections::BTreeSet::new();
                for p in current {
                    next.extend(atom_ends(&piece.atom, text, p));
                }
                if count >= piece.min {
                    // Unbounded: only positions not reached before need another round.
                    next.retain(|p| reached.insert(*p) || piece.max.is_some());
                }
                current = next;
            }
            positions = reached;
        }
        out.extend(positions);
    }
    out.into_iter().collect()
}

/// Where one repetition of `atom` starting at `p` can end.
fn atom_ends(atom: &Atom, text: &[char], p: usize) -> Vec<usize> {
    match atom {
        Atom::Chars(ranges, negated) => {
            let within = |c: &char| ranges.iter().any(|(lo, hi)| (lo..=hi).contains(&c));
            if text.get(p).is_some_and(|c| within(c) != *negated) {
                vec![p + 1]
            } else {
                vec![]
            }
        }
        Atom::Group(group) => ends(group, text, p),
    }
}

/// `getFileModeRegex`: the Linux mode text (`os.FileMode(mask)`, 0644 when unset) or the
/// Windows one (0775 when unset), as a group of the two.
pub fn get_file_mode_regex(file_path: &str, mask: Option<u32>) -> String {
    let (linux, windows) = mask.map_or((0o644, 0o775), |m| (m, m));
    let mode = |m: u32| {
        let bits: String = (0..9).map(|i| if m & (1 << (8 - i)) != 0 { ['r', 'w', 'x'][i % 3] } else { '-' }).collect();
        format!("-{bits}")
    };
    format!("(mode of file \"{file_path}\": {}|mode of Windows file \"{file_path}\": {})", mode(linux), mode(windows))
}

/// `gomega.Consistently(get).WithTimeout(timeout)`: `holds` at every `interval` from now until
/// `timeout` has passed; the first time it did not, if any.
pub fn consistently(s: &mut Session, timeout: Millis, interval: Millis, mut holds: impl FnMut(&Session) -> bool) -> Result<(), Millis> {
    let start = s.now();
    let mut t = start;
    while t <= start + timeout {
        s.seek(t);
        if !holds(s) {
            return Err(t);
        }
        t += interval;
    }
    Ok(())
}

/// `imageutils.GetE2EImage(imageutils.Agnhost)`.
pub const AGNHOST: &str = "registry.k8s.io/e2e-test-images/agnhost:2.40";

/// `e2epod.GetPodSecretUpdateTimeout`: 240 s plus the node's TTL annotation (none here).
pub const POD_SECRET_UPDATE_TIMEOUT: Millis = 240 * SECOND;

/// `gomega.Eventually(e2epod.GetPodLogs(pod, container), timeout, framework.Poll)
/// .Should(gomega.ContainSubstring(want))`.
pub fn eventually_logs_contain(s: &mut Session, pod_name: &str, container: &str, timeout: Millis, want: &str) {
    let seen = poll_until(s, timeout, POLL, |s| pod_logs(s, pod_name, container).is_ok_and(|logs| logs.contains(want)));
    let logs = pod_logs(s, pod_name, container);
    assert!(seen, "expected {want:?} in the log of {pod_name}/{container} within {timeout} ms: {logs:?}");
}

/// `e2epod.NewPodClient(f).CreateSync`: the pod runs and is ready within
/// `framework.PodStartTimeout`.
pub fn create_sync(s: &mut Session, name: &str) {
    let ready = poll_until(s, POD_START_TIMEOUT, POLL, |s| pod(s, name).is_some_and(pod_running_ready));
    assert!(ready, "pod {name} is running and ready: {:?}", pod(s, name).map(|p| &p.status));
}

/// What `optional updates should be reflected in volume` of `configmap_volume.go`,
/// `secrets_volume.go`, `projected_configmap.go` and `projected_secret.go` differ in: the kind,
/// its words and the volumes' form.
pub struct OptionalUpdates {
    /// `configmap` or `secret` (kubectl's words).
    pub kind: &'static str,
    /// The objects' name prefix: `cm` or `s`.
    pub prefix: &'static str,
    /// The containers' and volumes' infix: `cm` or `s`.
    pub infix: &'static str,
    /// The volume source's key (under `projected.sources` when `projected`): `configMap` or
    /// `secret`.
    pub source: &'static str,
    /// The source's key for the object's name: `name`, or a plain `secret` volume's
    /// `secretName`.
    pub reference: &'static str,
    /// Whether the volumes are `projected` ones with one source each, or plain ones.
    pub projected: bool,
    /// The pod's name prefix and the volumes' mount path.
    pub pod_prefix: &'static str,
    pub volume_mount_path: &'static str,
}

/// `optional updates should be reflected in volume` (Conformance, all four files): three
/// optional volumes (or projected sources), one deleted, one updated (its `data-1` dropped, `data-3` added), one
/// created after the pod started; each container's `mounttest --file_content_in_loop` log shows
/// the change. The e2e's `Update` of the whole object is a JSON patch replacing its `data`.
pub fn optional_updates_should_be_reflected_in_volume(t: &OptionalUpdates, uuid: &str) {
    let timeout_arg = format!("--retry_time={}", POD_SECRET_UPDATE_TIMEOUT / SECOND);
    let name = |what: &str| format!("{}-test-opt-{what}-{uuid}", t.prefix);
    let (delete_name, update_name, create_name) = (name("del"), name("upd"), name("create"));
    let object = |name: &str| match t.kind {
        "configmap" => format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  data-1: value-1\n"),
        _ => format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\ndata:\n  data-1: dmFsdWUtMQ==\n"),
    };
    // Upstream's names: `delcm-volume-test`, `updcm-...`, `createcm-...` (and `dels-`, ...).
    let container = |what: &str| format!("{}{}-volume-test", &what[..if what == "create" { 6 } else { 3 }], t.infix);
    let path = |what: &str, file: &str| format!("{}/{what}/{file}", t.volume_mount_path);
    let mut volumes = String::new();
    let mut containers = String::new();
    for (what, object_name, file) in
        [("delete", &delete_name, "data-1"), ("update", &update_name, "data-3"), ("create", &create_name, "data-1")]
    {
        let volume = format!("{what}{}-volume", t.infix);
        let reference = format!("{{{}: {object_name}, optional: true}}", t.reference);
        volumes += &if t.projected {
            format!("  - name: {volume}\n    projected:\n      sources:\n      - {}: {reference}\n", t.source)
        } else {
            format!("  - name: {volume}\n    {}: {reference}\n", t.source)
        };
        let args =
            ["mounttest", "--break_on_expected_content=false", &timeout_arg, &format!("--file_content_in_loop={}", path(what, file))];
        containers += &format!(
            "  - name: {}\n    image: {AGNHOST}\n    args: {}\n    volumeMounts:\n    - {{name: {volume}, mountPath: {}/{what}, readOnly: true}}\n",
            container(what),
            list(&args),
            t.volume_mount_path
        );
    }
    let pod_name = format!("{}-{uuid}", t.pod_prefix);
    let pod = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  volumes:\n{volumes}  containers:\n{containers}  restartPolicy: Never\n");
    let mut s = create(&format!("{}---\n{}---\n{pod}", object(&delete_name), object(&update_name)));
    create_sync(&mut s, &pod_name);
    let timeout = POD_SECRET_UPDATE_TIMEOUT;
    eventually_logs_contain(&mut s, &pod_name, &container("create"), timeout, &format!("Error reading file {}", path("create", "data-1")));
    eventually_logs_contain(&mut s, &pod_name, &container("update"), timeout, &format!("Error reading file {}", path("update", "data-3")));
    eventually_logs_contain(&mut s, &pod_name, &container("delete"), timeout, "value-1");
    let (code, _, err) = kubectl(&mut s, &["delete", t.kind, &delete_name]);
    assert_eq!(code, 0, "Failed to delete {} {delete_name:?}: {err}", t.kind);
    let data = if t.kind == "configmap" { r#"{"data-3":"value-3"}"# } else { r#"{"data-3":"dmFsdWUtMw=="}"# };
    let replace = format!(r#"[{{"op":"replace","path":"/data","value":{data}}}]"#);
    let (code, _, err) = kubectl(&mut s, &["patch", t.kind, &update_name, "--type", "json", "-p", &replace]);
    assert_eq!(code, 0, "Failed to update {} {update_name:?}: {err}", t.kind);
    let create_args: Vec<&str> = match t.kind {
        "configmap" => vec!["create", "configmap", &create_name, "--from-literal=data-1=value-1"],
        _ => vec!["create", "secret", "generic", &create_name, "--from-literal=data-1=value-1"],
    };
    let (code, _, err) = kubectl(&mut s, &create_args);
    assert_eq!(code, 0, "unable to create test {} {create_name}: {err}", t.kind);
    eventually_logs_contain(&mut s, &pod_name, &container("create"), timeout, "value-1");
    eventually_logs_contain(&mut s, &pod_name, &container("update"), timeout, "value-3");
    eventually_logs_contain(&mut s, &pod_name, &container("delete"), timeout, &format!("Error reading file {}", path("delete", "data-1")));
}

/// `e2epod.NewAgnhostPod`'s container.
pub const AGNHOST_CONTAINER: &str = "agnhost-container";

/// `nonRootTestUserID`: the uid `setPodNonRootUser` runs the tests' pods as.
pub const NON_ROOT_TEST_USER_ID: i64 = 1000;

/// The pod (YAML of a single pod, as the helpers here build it) with `pod.Spec.SecurityContext`
/// set to `fields` (flow-mapping entries: `runAsUser: 1000, fsGroup: 1001`), as the tests set
/// `RunAsUser` (`setPodNonRootUser`) and `FSGroup`; the pod unchanged when `fields` is empty.
pub fn with_security_context(pod: &str, fields: &str) -> String {
    if fields.is_empty() {
        return pod.to_string();
    }
    let line = format!("  securityContext: {{{fields}}}\n");
    match pod.find("  securityContext: {}\n") {
        Some(i) => format!("{}{line}{}", &pod[..i], &pod[i + "  securityContext: {}\n".len()..]),
        None => pod.replacen("\nspec:\n", &format!("\nspec:\n{line}"), 1),
    }
}

/// The security context fields of the storage tests' `asUser`/`fsGroup` arguments
/// (`setPodNonRootUser`; an `fsGroup` of 0 is not set).
pub fn as_user_fields(as_user: bool, fs_group: i64) -> String {
    let mut fields = Vec::new();
    if as_user {
        fields.push(format!("runAsUser: {NON_ROOT_TEST_USER_ID}"));
    }
    if fs_group != 0 {
        fields.push(format!("fsGroup: {fs_group}"));
    }
    fields.join(", ")
}

/// `createConfigMapVolumeMounttestPod` (`configmap_volume.go`): `e2epod.NewAgnhostPod` (its
/// `agnhost-container`, `securityContext: {}`, a grace period of 0 unless `grace` replaces it)
/// running `mounttest ARGS...` with the `configMap` volume `volume_name` of `reference_name`
/// mounted read-only at `mount_path`, `restartPolicy: Never`. `source_fields` go into the
/// volume source's flow mapping after its name (`, items: [...]`, `, defaultMode: 256`,
/// `, optional: false`).
pub fn config_map_volume_mounttest_pod(
    pod_name: &str,
    volume_name: &str,
    reference_name: &str,
    source_fields: &str,
    mount_path: &str,
    grace: u32,
    args: &[&str],
) -> String {
    let args: Vec<&str> = ["mounttest"].into_iter().chain(args.iter().copied()).collect();
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  securityContext: {{}}\n  terminationGracePeriodSeconds: {grace}\n  restartPolicy: Never\n  volumes:\n  - name: {volume_name}\n    configMap: {{name: {reference_name}{source_fields}}}\n  containers:\n  - name: {AGNHOST_CONTAINER}\n    image: {AGNHOST}\n    args: {}\n    volumeMounts:\n    - {{name: {volume_name}, mountPath: {mount_path}, readOnly: true}}\n",
        list(&args)
    )
}

/// `createNonOptionalConfigMapPod` and `createNonOptionalConfigMapPodWithConfig`
/// (`configmap_volume.go`, shared with `projected_configmap.go`): after `objects`, a pod whose
/// `configMap` volume names `create_name` with `optional: false` (and `items`, when given),
/// mounted at `VOLUME_MOUNT_PATH/create`; then `WaitForPodNameRunningInNamespace`.
pub fn create_non_optional_config_map_pod(
    objects: &str,
    create_name: &str,
    items: &str,
    volume_mount_path: &str,
    uuid: &str,
) -> Result<(), String> {
    let pod_name = format!("pod-configmaps-{uuid}");
    let retry_time = format!("--retry_time={}", POD_SECRET_UPDATE_TIMEOUT / SECOND);
    let args = ["--break_on_expected_content=false", &retry_time, "--file_content_in_loop=/etc/configmap-volumes/create/data-1"];
    let fields = format!(", optional: false{items}");
    let pod = config_map_volume_mounttest_pod(
        &pod_name,
        "createcm-volume",
        create_name,
        &fields,
        &format!("{volume_mount_path}/create"),
        0,
        &args,
    );
    let mut s = create(&format!("{objects}{pod}"));
    wait_for_pod_running(&mut s, &pod_name, POD_START_TIMEOUT)
}

/// The pod of `createNonOptionalSecretPod` and `createNonOptionalSecretPodWithSecret`
/// (`secrets_volume.go`, shared with `projected_secret.go`): its `secret` volume names
/// `create_name` with `optional: false` (and `items`, when given), mounted read-only at
/// `VOLUME_MOUNT_PATH/create` in `creates-volume-test`.
pub fn non_optional_secret_pod(pod_name: &str, create_name: &str, items: &str, volume_mount_path: &str) -> String {
    let retry_time = format!("--retry_time={}", POD_SECRET_UPDATE_TIMEOUT / SECOND);
    let args = ["mounttest", "--break_on_expected_content=false", &retry_time, "--file_content_in_loop=/etc/secret-volumes/create/data-1"];
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod_name}\nspec:\n  restartPolicy: Never\n  volumes:\n  - name: creates-volume\n    secret: {{secretName: {create_name}{items}, optional: false}}\n  containers:\n  - name: creates-volume-test\n    image: {AGNHOST}\n    args: {}\n    volumeMounts:\n    - {{name: creates-volume, mountPath: {volume_mount_path}/create, readOnly: true}}\n",
        list(&args)
    )
}

/// The client's `Update` of the ConfigMap or Secret `name` as `kubectl patch` (exit code,
/// stdout, stderr).
pub fn update(s: &mut Session, kind: &str, name: &str, patch_type: &str, patch: &str) -> (i32, String, String) {
    kubectl(s, &["patch", kind, name, "--type", patch_type, "-p", patch])
}

/// `apierrors.IsInvalid(err)`: the API server's 422, as kubectl prints it.
pub fn is_invalid(kind: &str, name: &str, code: i32, err: &str) -> bool {
    code != 0 && err.starts_with(&format!("The {kind} \"{name}\" is invalid: "))
}
