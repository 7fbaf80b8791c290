//! The programs the agnhost image installs with apk besides its own binary: `/bin/bash` and
//! `/usr/bin/curl` (curl 7.79.1's texts, bash 5.0's message frame), through the Runtime API.

mod common;

use common::*;
use podplay_runtime::*;

const AGNHOST: &str = "registry.k8s.io/e2e-test-images/agnhost:2.40";

/// stdout, stderr and the exit code of an exec that completes.
fn run(rt: &mut Runtime, now: Millis, id: ContainerId, argv: &[&str]) -> (String, String, i32, Millis) {
    match rt.exec_sync(now, id, &s(argv), Some(300_000)) {
        ExecOutcome::Completed { stdout, stderr, exit_code, duration_ms, .. } => (stdout, stderr, exit_code, duration_ms),
        other => panic!("{argv:?}: {other:?}"),
    }
}

const HEAD: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";
const ZERO: &str = "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0";

fn netexec() -> (Runtime, ContainerId) {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "handler", "10.244.0.5");
    let c = container(&mut rt, sb, AGNHOST, &[], &["netexec"]);
    rt.start_container(0, c).unwrap();
    (rt, c)
}

#[test]
fn the_image_has_bash_and_curl_where_apk_puts_them() {
    let (mut rt, c) = netexec();
    let (out, _, code, _) = run(&mut rt, 1_000, c, &["sh", "-c", "which bash curl"]);
    assert_eq!((out.as_str(), code), ("/bin/bash\n/usr/bin/curl\n", 0));
    // busybox has no bash or curl of its own.
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bb", "10.244.0.6");
    let b = container(&mut rt, sb, "busybox:1.36", &["sleep", "3600"], &[]);
    rt.start_container(0, b).unwrap();
    let (_, err, code, _) = run(&mut rt, 1_000, b, &["sh", "-c", "curl http://10.244.0.5:8080/"]);
    assert_eq!((err.as_str(), code), ("sh: curl: not found\n", 127));
}

#[test]
fn curl_gets_with_the_progress_meter_on_stderr() {
    let (mut rt, c) = netexec();
    let (out, err, code, _) = run(&mut rt, 1_000, c, &["curl", "http://10.244.0.5:8080/echo?msg=hello"]);
    assert_eq!((out.as_str(), code), ("hello", 0));
    let last = "\r100     5  100     5    0     0   5000      0 --:--:-- --:--:-- --:--:--  5000\n";
    assert_eq!(err, format!("{HEAD}{ZERO}{last}"));
    // The server saw curl's request.
    assert!(log_text(&rt, c).ends_with("GET /echo?msg=hello\n"), "{}", log_text(&rt, c));
    // -s: no meter; -w.
    let (out, err, code, _) =
        run(&mut rt, 2_000, c, &["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "localhost:8080/echo?code=404"]);
    assert_eq!((out.as_str(), err.as_str(), code), ("404\n", "", 0));
    // -f: 22 and curl's message after the meter's zero line.
    let (out, err, code, _) = run(&mut rt, 3_000, c, &["curl", "-f", "http://10.244.0.5:8080/nope"]);
    assert_eq!((out.as_str(), code), ("", 22));
    assert_eq!(err, format!("{HEAD}{ZERO}curl: (22) The requested URL returned error: 404\n"));
    // -sS shows the error alone; -o writes the body.
    let (_, err, code, _) = run(&mut rt, 4_000, c, &["curl", "-sSf", "http://10.244.0.5:8080/nope"]);
    assert_eq!((err.as_str(), code), ("curl: (22) The requested URL returned error: 404\n", 22));
    let (out, _, code, _) = run(&mut rt, 5_000, c, &["sh", "-c", "curl -so /tmp/h 10.244.0.5:8080/hostname && cat /tmp/h"]);
    assert_eq!((out.as_str(), code), ("handler", 0));
}

#[test]
fn curl_says_why_it_could_not_connect() {
    let (mut rt, c) = netexec();
    let (_, err, code, d) = run(&mut rt, 1_000, c, &["curl", "-sS", "http://10.244.0.5:9999/"]);
    assert_eq!((err.as_str(), code, d), ("curl: (7) Failed to connect to 10.244.0.5 port 9999 after 0 ms: Connection refused\n", 7, 0));
    let (_, err, code, _) = run(&mut rt, 2_000, c, &["curl", "nosuch"]);
    assert_eq!((err, code), (format!("{HEAD}{ZERO}curl: (6) Could not resolve host: nosuch\n"), 6));
    // An address nobody has: the SYN goes unanswered until the timeout, 28.
    let (_, err, code, d) = run(&mut rt, 3_000, c, &["curl", "-sS", "--connect-timeout", "2", "http://10.244.7.7/"]);
    assert_eq!((err.as_str(), code, d), ("curl: (28) Connection timed out after 2000 milliseconds\n", 28, 2_000));
    let (_, err, code, d) = run(&mut rt, 10_000, c, &["curl", "-m", "1", "http://10.244.7.7/"]);
    let tick = "\r  0     0    0     0    0     0      0      0 --:--:--  0:00:01 --:--:--     0";
    assert_eq!((err, code, d), (format!("{HEAD}{ZERO}{tick}curl: (28) Connection timed out after 1000 milliseconds\n"), 28, 1_000));
    // Without a timeout, Linux gives up on the SYN after 127 s.
    let (_, err, code, d) = run(&mut rt, 20_000, c, &["curl", "-sS", "http://10.244.7.7:81/"]);
    assert_eq!(
        (err.as_str(), code, d),
        ("curl: (28) Failed to connect to 10.244.7.7 port 81 after 127000 ms: Operation timed out\n", 28, 127_000)
    );
}

#[test]
fn curl_refuses_bad_command_lines() {
    let (mut rt, c) = netexec();
    let try_help = "curl: try 'curl --help' or 'curl --manual' for more information\n";
    let (_, err, code, _) = run(&mut rt, 1_000, c, &["curl"]);
    assert_eq!((err, code), (format!("curl: no URL specified!\n{try_help}"), 2));
    let (_, err, code, _) = run(&mut rt, 1_000, c, &["curl", "--bogus", "x"]);
    assert_eq!((err, code), (format!("curl: option --bogus: is unknown\n{try_help}"), 2));
    let (_, err, code, _) = run(&mut rt, 1_000, c, &["curl", "-m", "soon", "x"]);
    assert_eq!((err, code), (format!("curl: option -m: expected a proper numerical parameter\n{try_help}"), 2));
    let (_, err, code, _) = run(&mut rt, 1_000, c, &["curl", "-d", "x=1", "x"]);
    assert_eq!((err.as_str(), code), ("curl: option -d: podplay's curl does not model this option\n", 2));
    let (_, err, code, _) = run(&mut rt, 1_000, c, &["curl", "-sS", "http://10.244.0.5:99999/"]);
    assert_eq!((err.as_str(), code), ("curl: (3) URL using bad/illegal format or missing URL\n", 3));
}

#[test]
fn curl_verbose_shows_the_exchange() {
    let (mut rt, c) = netexec();
    let (out, err, code, _) = run(&mut rt, 1_000, c, &["curl", "-sv", "http://10.244.0.5:8080/echo?msg=hi"]);
    assert_eq!((out.as_str(), code), ("hi", 0));
    let want_start = "*   Trying 10.244.0.5:8080...\n* Connected to 10.244.0.5 (10.244.0.5) port 8080 (#0)\n> GET /echo?msg=hi HTTP/1.1\r\n> Host: 10.244.0.5:8080\r\n> User-Agent: curl/7.79.1\r\n> Accept: */*\r\n> \r\n* Mark bundle as not supporting multiuse\n< HTTP/1.1 200 OK\r\n";
    assert!(err.starts_with(want_start), "{err:?}");
    assert!(err.ends_with("< \r\n* Connection #0 to host 10.244.0.5 left intact\n"), "{err:?}");
}

#[test]
fn bash_runs_scripts_with_bash_texts() {
    let (mut rt, c) = netexec();
    let (out, _, code, _) = run(&mut rt, 1_000, c, &["bash", "--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("GNU bash, version 5.0.17(1)-release (x86_64-alpine-linux-musl)\n"), "{out}");
    let (_, err, code, _) = run(&mut rt, 1_000, c, &["/bin/bash", "-c", "nosuch"]);
    assert_eq!((err.as_str(), code), ("/bin/bash: nosuch: command not found\n", 127));
    let (_, err, code, _) = run(&mut rt, 1_000, c, &["bash", "-c", "true\nnosuch"]);
    assert_eq!((err.as_str(), code), ("bash: line 1: nosuch: command not found\n", 127));
    let (_, err, code, _) = run(&mut rt, 1_000, c, &["bash", "/nope.sh"]);
    assert_eq!((err.as_str(), code), ("bash: /nope.sh: No such file or directory\n", 127));
    let (_, err, code, _) = run(&mut rt, 1_000, c, &["bash", "-c"]);
    assert_eq!((err.as_str(), code), ("bash: -c: option requires an argument\n", 2));
    let (out, _, code, _) = run(&mut rt, 1_000, c, &["bash", "-c", "f() { echo \"$1-$0\"; }; f a", "named"]);
    assert_eq!((out.as_str(), code), ("a-named\n", 0));
}

#[test]
fn a_bash_pid1_runs_its_sigterm_trap() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "probe-test", "10.244.0.7");
    let script =
        "_term() {\n\trm -f /tmp/ready\n\techo bye\n\texit 0\n}\ntrap _term SIGTERM\ntouch /tmp/ready\nwhile true; do\n  sleep 10\ndone\n";
    let c = container(&mut rt, sb, AGNHOST, &["/bin/bash"], &["-c", script]);
    rt.start_container(0, c).unwrap();
    let (_, _, code, _) = run(&mut rt, 1_000, c, &["cat", "/tmp/ready"]);
    assert_eq!(code, 0);
    rt.stop_container(5_000, c, 30);
    let ev = rt.advance(60_000);
    assert!(matches!(ev.as_slice(), [RuntimeEvent::ContainerExited { exit_code: 0, .. }]), "{ev:?}");
    assert_eq!(log_text(&rt, c), "bye\n");
}
