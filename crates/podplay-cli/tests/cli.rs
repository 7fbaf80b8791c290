//! The command line as Rust CLIs answer: help, version, a wrong flag, a missing file.

use std::process::Command;

fn podplay(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_podplay")).args(args).output().expect("podplay runs");
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap_or(-1))
}

fn scenario(name: &str) -> String {
    format!("{}/../../tests/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn help_lists_the_commands() {
    let (stdout, _, code) = podplay(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Usage: podplay <COMMAND>") && stdout.contains("run") && stdout.contains("kubectl"), "{stdout}");
    let (stdout, _, code) = podplay(&["kubectl", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("--at <DURATION>") && stdout.contains("-- <ARGS>..."), "{stdout}");
    let (stdout, _, code) = podplay(&["--version"]);
    assert_eq!((stdout.trim(), code), (concat!("podplay ", env!("CARGO_PKG_VERSION")), 0));
}

#[test]
fn wrong_input_exits_2_with_a_reason() {
    let (_, stderr, code) = podplay(&["run", "--untl", "1m", &scenario("liveness-exec.yaml")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unexpected argument '--untl'") && stderr.contains("--until"), "a suggestion: {stderr}");
    let (_, stderr, code) = podplay(&["run"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("<FILE>..."), "{stderr}");
    let (_, stderr, code) = podplay(&["run", "--until", "soon", &scenario("liveness-exec.yaml")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'soon' for '--until <DURATION>'"), "{stderr}");
    let (_, stderr, code) = podplay(&["kubectl", &scenario("liveness-exec.yaml"), "--at", "25h", "--", "get", "pods"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value '25h' for '--at <DURATION>': podplay simulates at most 24h"), "the limit named: {stderr}");
    let (_, stderr, code) = podplay(&["kubectl", &scenario("liveness-exec.yaml"), "--at", "10s"]);
    assert_eq!(code, 2, "kubectl needs its arguments after --: {stderr}");
    let (_, stderr, code) = podplay(&["run", "no-such-file.yaml"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("no-such-file.yaml: "), "{stderr}");
}

#[test]
fn kubectl_prints_what_kubectl_prints() {
    let (stdout, stderr, code) = podplay(&["kubectl", &scenario("liveness-exec.yaml"), "--at", "10s", "--", "get", "pods"]);
    assert_eq!((stderr.as_str(), code), ("", 0));
    assert!(stdout.starts_with("NAME ") && stdout.contains("pod-live-exec"), "{stdout}");
}

/// A reader that stops early (`podplay ... | head -1`) ends the output quietly: no panic on the
/// closed pipe. The yes pod's log is megabytes, far more than a pipe holds.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_podplay"))
        .args(["kubectl", &scenario("yes-logs.yaml"), "--at", "1m", "--", "logs", "yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("podplay runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("podplay ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
