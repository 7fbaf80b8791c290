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
    // netexec.go `echoHandler`: `log.Printf("GET /echo?msg=%s&code=%s", msg, codeString)`.
    assert!(log_text(&rt, c).ends_with("GET /echo?msg=hello&code=\n"), "{}", log_text(&rt, c));
    // -s: no meter; -w.
    let (out, err, code, _) =
        run(&mut rt, 2_000, c, &["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "localhost:8080/echo?code=404"]);
    assert_eq!((out.as_str(), err.as_str(), code), ("404\n", "", 0));
    // -f: 22 and curl's message after the meter's zero line (any other path is netexec's
    // `/` handler, which answers 200).
    let (out, err, code, _) = run(&mut rt, 3_000, c, &["curl", "-f", "http://10.244.0.5:8080/echo?code=404"]);
    assert_eq!((out.as_str(), code), ("", 22));
    assert_eq!(err, format!("{HEAD}{ZERO}curl: (22) The requested URL returned error: 404\n"));
    // -sS shows the error alone; -o writes the body.
    let (_, err, code, _) = run(&mut rt, 4_000, c, &["curl", "-sSf", "http://10.244.0.5:8080/echo?code=404"]);
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

/// Two netexec pods: the handler (10.244.0.5) and the one whose `/dial` relays (10.244.0.6).
fn relay() -> (Runtime, ContainerId, ContainerId) {
    let (mut rt, handler) = netexec();
    let sb = pod(&mut rt, "relay", "10.244.0.6");
    let relay = container(&mut rt, sb, AGNHOST, &[], &["netexec", "--udp-port", "-1"]);
    rt.start_container(0, relay).unwrap();
    (rt, handler, relay)
}

/// Status, `Content-Type` and body of a GET of the relay's `path` (a 10-second client).
fn get(rt: &mut Runtime, now: Millis, ip: &str, path: &str) -> (u16, Option<String>, String) {
    match rt.http_get(now, ip, 8080, path, &[], 10_000) {
        HttpOutcome::Response { status, headers, body, .. } => {
            let content_type = headers.iter().find(|(k, _)| k == "Content-Type").map(|(_, v)| v.clone());
            (status, content_type, String::from_utf8(body).unwrap())
        }
        other => panic!("{path}: {other:?}"),
    }
}

const TEXT: Option<&str> = Some("text/plain; charset=utf-8");

/// netexec.go `dialHandler`: the relayed GET reaches the handler (which logs it as `echoHandler`
/// does), the answer is `{"responses":[…]}`, one per try, and the relay logs its parameters.
#[test]
fn dial_relays_http_requests_and_answers_with_their_bodies() {
    let (mut rt, handler, relay) = relay();
    let path = "/dial?host=10.244.0.5&port=8080&request=echo%3Fmsg%3Dposted";
    let (status, content_type, body) = get(&mut rt, 1_000, "10.244.0.6", path);
    assert_eq!((status, content_type.as_deref(), body.as_str()), (200, TEXT, r#"{"responses":["posted"]}"#));
    assert!(log_text(&rt, handler).ends_with("2026/11/25 10:00:01 GET /echo?msg=posted&code=\n"), "{}", log_text(&rt, handler));
    let line = "2026/11/25 10:00:01 GET /dial?host=10.244.0.5&protocol=&port=8080&request=echo?msg=posted&tries=\n";
    assert!(log_text(&rt, relay).ends_with(line), "{}", log_text(&rt, relay));
    // `tries`: as many requests, each logged by the handler.
    let path = "/dial?request=hostname&host=10.244.0.5&protocol=http&port=8080&tries=3";
    assert_eq!(get(&mut rt, 2_000, "10.244.0.6", path).2, r#"{"responses":["handler","handler","handler"]}"#);
    assert_eq!(log_text(&rt, handler).matches("GET /hostname").count(), 3);
    // Go's json.Marshal escapes <, > and & (the msg escaped twice: once for /dial's query).
    let path = "/dial?host=10.244.0.5&port=8080&request=echo%3Fmsg%3D%253Cb%253E%2526%2522";
    assert_eq!(get(&mut rt, 3_000, "10.244.0.6", path).2, r#"{"responses":["\u003cb\u003e\u0026\""]}"#);
    // A name resolves through the pod's search list; the request may go back to the relay itself.
    let path = "/dial?host=relay&port=8080&request=clientip";
    let (_, _, body) = get(&mut rt, 4_000, "10.244.0.6", path);
    assert!(body.starts_with(r#"{"responses":["10.244.0.6:"#), "{body}");
}

/// `dialHTTP`'s errors (Go's `*url.Error`), in `{"errors":[…]}` with a 200; a try that waits
/// out the client's 5 seconds makes the answer that much later.
#[test]
fn dial_reports_each_failed_try_as_go_words_it() {
    let (mut rt, _, _) = relay();
    let path = "/dial?host=10.244.0.5&port=9999&request=hostname&tries=2";
    let refused = r#""Get \"http://10.244.0.5:9999/hostname\": dial tcp 10.244.0.5:9999: connect: connection refused""#;
    assert_eq!(get(&mut rt, 1_000, "10.244.0.6", path), (200, TEXT.map(String::from), format!(r#"{{"errors":[{refused},{refused}]}}"#)));
    // An address nobody has: the client's timeout.
    let path = "/dial?host=10.244.7.7&port=8080&request=hostname";
    let want = r#"{"errors":["Get \"http://10.244.7.7:8080/hostname\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"]}"#;
    assert_eq!(get(&mut rt, 2_000, "10.244.0.6", path).2, want);
    assert_eq!(rt.http_get(3_000, "10.244.0.6", 8080, path, &[], 4_000), HttpOutcome::TimedOut, "the answer comes after 5 s");
    // Not resolving is a bad host parameter (Go's ResolveTCPAddr, before any try).
    let path = "/dial?host=nosuch&port=8080&request=hostname";
    let want = "host and/or port param are invalid. lookup nosuch on 10.96.0.10:53: no such host\n";
    assert_eq!(get(&mut rt, 4_000, "10.244.0.6", path), (400, TEXT.map(String::from), want.into()));
}

/// `dialHandler`'s checks, each a 400 from `http.Error` (its text and a line end).
#[test]
fn dial_refuses_bad_parameters_in_its_order() {
    let (mut rt, _, relay) = relay();
    let bad = [
        (
            "/dial?host=10.244.0.5&port=8080&request=x&tries=two",
            "tries parameter is invalid. strconv.Atoi: parsing \"two\": invalid syntax\n",
        ),
        ("/dial?host=10.244.0.5&port=8080", "request parameter not specified. <nil>\n"),
        ("/dial?host=10.244.0.5&port=8080&request=x&protocol=tcp", "unsupported protocol. tcp\n"),
        ("/dial?host=10.244.0.5&port=99999&request=x", "host and/or port param are invalid. address 99999: invalid port\n"),
        ("/dial?host=10.244.0.5&port=http&request=x", "host and/or port param are invalid. lookup tcp/http: unknown port\n"),
    ];
    for (i, (path, text)) in bad.iter().enumerate() {
        assert_eq!(get(&mut rt, 1_000 + i as Millis, "10.244.0.6", path), (400, TEXT.map(String::from), text.to_string()), "{path}");
    }
    assert!(log_text(&rt, relay).contains("GET /dial?host=10.244.0.5&protocol=tcp&port=8080&request=x&tries=\n"));
}

/// `dialUDP`: no program of the simulation serves UDP, so a pod answers with ICMP port
/// unreachable, read as refused; nobody at the address: the read deadline.
#[test]
fn dial_over_udp_fails_as_on_a_pod_with_no_udp_server() {
    let (mut rt, _, _) = relay();
    let (status, _, body) = get(&mut rt, 1_000, "10.244.0.6", "/dial?host=10.244.0.5&port=8081&request=hostname&protocol=udp");
    assert_eq!(status, 200);
    assert!(body.starts_with(r#"{"errors":["reading from udp connection failed. err:'read udp 10.244.0.6:"#), "{body}");
    // Go's json.Marshal writes the `>` of `->` as \u003e.
    assert!(body.ends_with(r#"-\u003e10.244.0.5:8081: read: connection refused'"]}"#), "{body}");
    let (_, _, body) = get(&mut rt, 2_000, "10.244.0.6", "/dial?host=10.244.7.7&port=8081&request=hostname&protocol=UDP");
    assert!(body.ends_with(r#"-\u003e10.244.7.7:8081: i/o timeout'"]}"#), "{body}");
}

/// `redirectHandler` (`http.Redirect`: the location made absolute and cleaned, a GET's body
/// linking to it), and `/dial` following a redirect as Go's client does.
#[test]
fn redirect_answers_as_go_http_redirect_and_dial_follows_it() {
    let (mut rt, handler, _) = relay();
    match rt.http_get(1_000, "10.244.0.5", 8080, "/redirect?location=/echo%3Fmsg=foobar&code=307", &[], 1_000) {
        HttpOutcome::Response { status, headers, body, .. } => {
            assert_eq!(status, 307);
            assert!(headers.contains(&("Location".into(), "/echo?msg=foobar".into())), "{headers:?}");
            assert!(headers.contains(&("Content-Type".into(), "text/html; charset=utf-8".into())), "{headers:?}");
            assert_eq!(String::from_utf8(body).unwrap(), "<a href=\"/echo?msg=foobar\">Temporary Redirect</a>.\n\n");
        }
        other => panic!("{other:?}"),
    }
    assert!(log_text(&rt, handler).ends_with("GET /redirect?msg=/echo?msg=foobar&code=307\n"), "{}", log_text(&rt, handler));
    let path = "/dial?host=10.244.0.5&port=8080&request=redirect%3Flocation%3Decho%253Fmsg%253Dmoved";
    assert_eq!(get(&mut rt, 2_000, "10.244.0.6", path).2, r#"{"responses":["moved"]}"#);
    let code = get(&mut rt, 3_000, "10.244.0.5", "/redirect?location=/x&code=abc");
    assert_eq!(code, (200, TEXT.map(String::from), "argument 'code' must be an integer or empty, got \"abc\"\n".into()));
}

/// netexec.go `shellHandler`: `/bin/sh -c CMD` run in the container to its end, its combined
/// output and `exit status N` in JSON, the map logged as Go's `%s` prints it.
#[test]
fn shell_runs_the_command_in_the_container() {
    let (mut rt, handler, _) = relay();
    assert_eq!(get(&mut rt, 1_000, "10.244.0.5", "/shell?cmd=echo+hi+%3E+/tmp/f%3B+cat+/tmp/f").2, r#"{"output":"hi\n"}"#);
    assert!(log_text(&rt, handler).ends_with("GET /shell?cmd=echo hi > /tmp/f; cat /tmp/f\n2026/11/25 10:00:01 Output: map[output:hi\n]\n"));
    let path = "/shell?shellCommand=echo+oops+1%3E%262%3B+exit+3&cmd=ignored";
    assert_eq!(get(&mut rt, 2_000, "10.244.0.5", path).2, r#"{"error":"exit status 3","output":"oops\n"}"#);
    assert_eq!(get(&mut rt, 3_000, "10.244.0.5", "/shell?cmd=true"), (200, TEXT.map(String::from), "{}".into()));
    assert!(log_text(&rt, handler).ends_with("GET /shell?cmd=true\n2026/11/25 10:00:03 Output: map[]\n"));
    // The answer comes when the command ends.
    assert_eq!(rt.http_get(4_000, "10.244.0.5", 8080, "/shell?cmd=sleep+2", &[], 1_000), HttpOutcome::TimedOut);
    assert_eq!(get(&mut rt, 10_000, "10.244.0.5", "/shell?cmd=sleep+2").2, "{}");
}

/// `uploadHandler` with no multipart body (the simulation's clients send GETs), `healthzHandler`
/// with no UDP server, the `/` pattern taking every other path, the mux's clean-path redirect.
#[test]
fn the_other_handlers_answer_as_netexec_go_does() {
    let (mut rt, handler, relay) = relay();
    assert_eq!(get(&mut rt, 1_000, "10.244.0.5", "/upload"), (200, TEXT.map(String::from), r#"{"error":"Unable to upload file."}"#.into()));
    let tail = "GET /upload\n2026/11/25 10:00:01 Unable to upload file: request Content-Type isn't multipart/form-data\n";
    assert!(log_text(&rt, handler).ends_with(tail), "{}", log_text(&rt, handler));
    assert_eq!(get(&mut rt, 1_000, "10.244.0.5", "/healthz"), (200, None, String::new()));
    assert_eq!(get(&mut rt, 1_000, "10.244.0.6", "/healthz"), (412, None, String::new()), "--udp-port -1: never ready");
    let (status, _, body) = get(&mut rt, 1_000, "10.244.0.5", "/nope");
    assert_eq!((status, body.starts_with("NOW: 2026-11-25 10:00:01.000000000 +0000 UTC m=+1.000")), (200, true), "{body}");
    assert!(log_text(&rt, handler).ends_with("2026/11/25 10:00:01 GET /\n"));
    match rt.http_get(1_000, "10.244.0.6", 8080, "//hostname?x=1", &[], 1_000) {
        HttpOutcome::Response { status, headers, .. } => {
            assert_eq!(status, 301);
            assert!(headers.contains(&("Location".into(), "/hostname?x=1".into())), "{headers:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!log_text(&rt, relay).contains("GET /hostname"), "the redirect is the mux's, no handler's");
}

/// netexec.go `exitHandler`: its arguments checked (a bad one answered with 200 and the
/// reason); with no `timeout` `os.Exit` before any answer (the client reads the connection
/// closing), with one an answer and a graceful shutdown; `/shutdown` exits 0 unanswered.
#[test]
fn exit_answers_or_not_as_the_handler_exits() {
    let (mut rt, handler, relay) = relay();
    let bad = get(&mut rt, 1_000, "10.244.0.5", "/exit?wait=soon");
    assert_eq!(bad, (200, TEXT.map(String::from), "argument 'wait' must be a valid golang duration or empty, got \"soon\"\n".into()));
    assert_eq!(rt.http_get(2_000, "10.244.0.5", 8080, "/exit?code=3", &[], 1_000), HttpOutcome::Closed);
    let tail = "GET /exit?code=3&timeout=&wait=\n2026/11/25 10:00:02 Will begin shutdown in 0s, allowing 0s for connections to close, then will exit with 3\n";
    assert!(log_text(&rt, handler).ends_with(tail), "{}", log_text(&rt, handler));
    assert_eq!(rt.advance(2_000), vec![RuntimeEvent::ContainerExited { id: handler, at: 2_000, exit_code: 3, reason: "Error".into() }]);
    assert_eq!(get(&mut rt, 3_000, "10.244.0.6", "/exit?code=4&timeout=90s"), (200, None, String::new()));
    let tail =
        "allowing 1m30s for connections to close, then will exit with 4\n2026/11/25 10:00:03 Graceful shutdown completed with: <nil>\n";
    assert!(log_text(&rt, relay).ends_with(tail), "{}", log_text(&rt, relay));
    assert_eq!(rt.advance(3_000), vec![RuntimeEvent::ContainerExited { id: relay, at: 3_000, exit_code: 4, reason: "Error".into() }]);
}

/// netexec.go `headerHandler` (agnhost 2.40): one header's value by its canonical name, or all
/// of them as `json.Marshal(r.Header)` writes them (no `Host`: Go keeps it apart).
#[test]
fn header_answers_with_the_request_headers() {
    let (mut rt, handler, _) = relay();
    let headers = [("x-forwarded-for".to_string(), "10.0.0.1".to_string()), ("Accept".to_string(), "<any>".to_string())];
    match rt.http_get(1_000, "10.244.0.5", 8080, "/header?key=X-Forwarded-For", &headers, 1_000) {
        HttpOutcome::Response { status, body, .. } => assert_eq!((status, body.as_slice()), (200, b"10.0.0.1".as_slice())),
        other => panic!("{other:?}"),
    }
    assert!(log_text(&rt, handler).ends_with("GET /header?key=X-Forwarded-For\n"));
    match rt.http_get(1_000, "10.244.0.5", 8080, "/header", &headers, 1_000) {
        HttpOutcome::Response { body, .. } => {
            assert_eq!(String::from_utf8(body).unwrap(), r#"{"Accept":["\u003cany\u003e"],"X-Forwarded-For":["10.0.0.1"]}"#)
        }
        other => panic!("{other:?}"),
    }
    // Through /dial: Go's client sends its User-Agent and Accept-Encoding.
    let (_, _, body) = get(&mut rt, 2_000, "10.244.0.6", "/dial?host=10.244.0.5&port=8080&request=header");
    assert_eq!(body, r#"{"responses":["{\"Accept-Encoding\":[\"gzip\"],\"User-Agent\":[\"Go-http-client/1.1\"]}"]}"#);
    // An agnhost from before the endpoint: its `/` pattern answers.
    let sb = pod(&mut rt, "old", "10.244.0.7");
    let old = container(&mut rt, sb, "registry.k8s.io/e2e-test-images/agnhost:2.30", &[], &["netexec"]);
    rt.start_container(3_000, old).unwrap();
    assert!(get(&mut rt, 3_000, "10.244.0.7", "/header").2.starts_with("NOW: "));
}

/// agnhost `mounttest` (`mt.go`) as uid 1001: its checks in `main`'s order, whatever the
/// order of the flags (`--fs_type`, the new files, `--file_mode`, `--file_perm`,
/// `--file_owner`), the type of the root's overlay and of the node's disk in decimal, a new file
/// of exactly its mode (the umask is 0), and the errors as Go prints them, exit 1.
#[test]
fn mounttest_checks_in_its_order_and_says_what_failed() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "mt", "10.244.0.6");
    let normalized = found_image(&rt, AGNHOST);
    let args = [
        "mounttest",
        "--file_owner=/shared/f",
        "--file_perm=/shared/f",
        "--new_file_0777=/shared/f",
        "--new_file_0644=/etc/f",
        "--fs_type=/",
    ];
    let cfg = ContainerConfig {
        name: "c".into(),
        image: normalized,
        args: s(&args),
        mounts: vec![MountSpec { volume: "shared".into(), path: "/shared".into(), read_only: false, sub_path: None }],
        security: podplay_runtime::ContainerSecurity {
            user: UserRequest { run_as_user: Some(1001), ..Default::default() },
            ..Default::default()
        },
        ..Default::default()
    };
    let c = rt.create_container(0, sb, cfg).unwrap();
    rt.start_container(0, c).unwrap();
    rt.advance(1_000);
    let want = "\
mount type of \"/\": 2035054128
error writing new file \"/etc/f\": open /etc/f: permission denied
content of file \"/shared/f\": mount-tester new file

perms of file \"/shared/f\": -rwxrwxrwx
owner UID of \"/shared/f\": 1001
owner GID of \"/shared/f\": 0
";
    assert_eq!(log_text(&rt, c), want);
    assert!(matches!(rt.container_state(c), ContainerState::Exited { exit_code: 1, .. }), "{:?}", rt.container_state(c));

    let c2 = container(&mut rt, sb, AGNHOST, &[], &["mounttest", "--fs_type=/shared", "--file_owner=/nope"]);
    rt.start_container(1_000, c2).unwrap();
    rt.advance(2_000);
    assert_eq!(log_text(&rt, c2), "mount type of \"/shared\": 61267\nerror from stat(\"/nope\"): no such file or directory\n");
}
