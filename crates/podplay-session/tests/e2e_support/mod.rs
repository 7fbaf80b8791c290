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
