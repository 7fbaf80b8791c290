//! Scenario-level tests through the public Runtime API (the scenarios of /work/shared/scenarios
//! and the facts of images.md §1.3, §2, §3, §6, kubelet.md §4).

use podplay_runtime::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn runtime(v: BusyboxVersion) -> Runtime {
    let mut rt = Runtime::new(RuntimeConfig { busybox_latest: v, ..Default::default() });
    rt.set_cluster_dns(vec![
        DnsRecord { name: "kubernetes.default.svc.cluster.local".into(), ip: "10.96.0.1".into() },
        DnsRecord { name: "web.default.svc.cluster.local".into(), ip: "10.96.0.20".into() },
    ]);
    rt
}

fn pod(rt: &mut Runtime, name: &str, ip: &str) -> SandboxId {
    rt.run_sandbox(
        0,
        SandboxConfig {
            name: name.into(),
            namespace: "default".into(),
            uid: "uid-1".into(),
            hostname: name.into(),
            pod_ip: ip.into(),
            volumes: vec![VolumeSpec { name: "shared".into(), source: VolumeSource::EmptyDir }],
            ..Default::default()
        },
    )
}

fn container(rt: &mut Runtime, sb: SandboxId, image: &str, command: &[&str], args: &[&str]) -> ContainerId {
    let normalized = match rt.resolve_image(image) {
        ImageLookup::Found { normalized, .. } => normalized,
        other => panic!("{other:?}"),
    };
    rt.create_container(
        0,
        sb,
        ContainerConfig {
            name: "c".into(),
            image: normalized,
            command: s(command),
            args: s(args),
            mounts: vec![MountSpec { volume: "shared".into(), path: "/shared".into(), read_only: false }],
            memory_limit_bytes: Some(64 << 20),
            ..Default::default()
        },
    )
    .unwrap()
}

fn exec(rt: &mut Runtime, now: Millis, id: ContainerId, argv: &[&str]) -> (String, i32) {
    match rt.exec_sync(now, id, &s(argv), Some(10_000)) {
        ExecOutcome::Completed { output, exit_code, .. } => (output, exit_code),
        other => panic!("{argv:?}: {other:?}"),
    }
}

fn log_text(rt: &Runtime, id: ContainerId) -> String {
    rt.logs(id).iter().map(|l| format!("{}\n", l.text)).collect()
}

#[test]
fn liveness_exec_scenario() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "pod-live-exec", "10.244.0.5");
    let c = container(
        &mut rt,
        sb,
        "busybox",
        &["/bin/sh", "-c", "touch /tmp/healthy-test; sleep 60; rm -rf /tmp/healthy-test; sleep 3600"],
        &[],
    );
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.container_state(c), ContainerState::Running { started_at: 0 });
    assert_eq!(rt.next_wakeup(), Some(60_000));
    rt.advance(30_000);
    assert_eq!(exec(&mut rt, 30_000, c, &["test", "-e", "/tmp/healthy-test"]).1, 0);
    rt.advance(61_000);
    assert_eq!(exec(&mut rt, 61_000, c, &["test", "-e", "/tmp/healthy-test"]).1, 1);
    // The last simple command replaced the shell (images.md §1.3): PID 1 is `sleep 3600`.
    let (ps, _) = exec(&mut rt, 61_000, c, &["ps"]);
    assert!(ps.starts_with("PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n"), "{ps}");
    // SIGTERM is ignored by PID 1 without a handler; SIGKILL at the end of the grace period.
    rt.stop_container(62_000, c, 30);
    assert!(rt.advance(91_999).is_empty());
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }));
    let ev = rt.advance(92_000);
    assert_eq!(ev, vec![RuntimeEvent::ContainerExited { id: c, at: 92_000, exit_code: 137, reason: "Error".into() }]);
    // exec into the stopped container: the containerd rpc error.
    match rt.exec_sync(93_000, c, &s(&["test", "-e", "/tmp/x"]), None) {
        ExecOutcome::NotRunning { message, exit_code: None } => {
            assert!(message.contains("cannot exec in a stopped container"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn poststart_fail_scenario() {
    for (v, want) in [
        (BusyboxVersion::V1_28, "httpd: can't change directory to ' /data/web/html': No such file or directory\n"),
        (BusyboxVersion::V1_38, "httpd: can't change directory to ' /data/web/html': No such file or directory\n"),
    ] {
        let mut rt = runtime(v);
        let sb = pod(&mut rt, "pod-poststart", "10.244.0.6");
        let c = container(&mut rt, sb, "busybox", &["/bin/httpd"], &["-f", "-h /data/web/html"]);
        rt.start_container(1_000, c).unwrap();
        match rt.container_state(c) {
            ContainerState::Exited { exit_code: 1, reason, finished_at: 1_000, .. } => assert_eq!(reason, "Error"),
            other => panic!("{other:?}"),
        }
        assert_eq!(log_text(&rt, c), want);
        assert_eq!(rt.logs(c)[0].stream, Stream::Stderr);
        assert_eq!(rt.advance(1_000), vec![RuntimeEvent::ContainerExited { id: c, at: 1_000, exit_code: 1, reason: "Error".into() }]);
        // The postStart hook's exec finds the container stopped.
        assert!(matches!(rt.exec_sync(1_000, c, &s(&["/bin/sh", "-c", "mkdir -p /data/web/html"]), None), ExecOutcome::NotRunning { .. }));
    }
    // Docker flavor: exit 126 and the dockershim text (kubelet.md §4).
    let mut rt = Runtime::new(RuntimeConfig { flavor: RuntimeFlavor::Docker, ..Default::default() });
    let sb = pod(&mut rt, "p", "10.244.0.7");
    let c = container(&mut rt, sb, "busybox", &["/bin/httpd"], &["-f", "-h /data/web/html"]);
    rt.start_container(0, c).unwrap();
    assert_eq!(
        rt.exec_sync(0, c, &s(&["true"]), None),
        ExecOutcome::NotRunning {
            message: "OCI runtime exec failed: exec failed: cannot exec in a stopped state: unknown\r\n".into(),
            exit_code: Some(126)
        }
    );
}

#[test]
fn poststart_ok_busybox_httpd_serves_tmp() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "pod-poststart-ok", "10.244.0.8");
    let c = container(&mut rt, sb, "busybox", &["/bin/httpd"], &["-f", "-h", "/tmp"]);
    rt.start_container(0, c).unwrap();
    let (out, code) = exec(&mut rt, 100, c, &["/bin/sh", "-c", "echo Home_Page >> /tmp/index.html"]);
    assert_eq!((out.as_str(), code), ("", 0));
    match rt.http_get(5_000, "10.244.0.8", 80, "/", &[], 1_000) {
        HttpOutcome::Response { status, headers, body, .. } => {
            assert_eq!(status, 200);
            assert_eq!(body, b"Home_Page\n");
            let names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(names, ["Date", "Connection", "Content-type", "Accept-Ranges", "Last-Modified", "ETag", "Content-Length"]);
        }
        other => panic!("{other:?}"),
    }
    match rt.http_get(5_000, "10.244.0.8", 80, "/missing", &[], 1_000) {
        HttpOutcome::Response { status, body, .. } => {
            assert_eq!(status, 404);
            assert_eq!(String::from_utf8(body).unwrap(), "<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rt.http_get(5_000, "10.244.0.8", 81, "/", &[], 1_000), HttpOutcome::Refused);
    assert_eq!(rt.tcp_connect(5_000, "10.244.0.8", 80, 1_000), TcpOutcome::Connected);
    // netstat (images.md §1.9): httpd -f is PID 1.
    let (out, _) = exec(&mut rt, 6_000, c, &["netstat", "-tunlp"]);
    assert_eq!(
        out,
        "Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \ntcp        0      0 :::80                   :::*                    LISTEN      1/httpd\n"
    );
    assert_eq!(rt.processes(c), vec![(1, "/bin/httpd -f -h /tmp".to_string())]);
    assert_eq!(rt.listening_ports(c), vec![80]);
    // No request logging without -v.
    assert_eq!(log_text(&rt, c), "");
    // httpd -f as PID 1 ignores SIGTERM: 137 after the grace period.
    rt.stop_container(10_000, c, 30);
    let ev = rt.advance(50_000);
    assert_eq!(ev, vec![RuntimeEvent::ContainerExited { id: c, at: 40_000, exit_code: 137, reason: "Error".into() }]);
}

#[test]
fn nginx_readiness_scenario() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "pod-live-readiness", "10.244.0.9");
    let c = container(&mut rt, sb, "sun2010wg/my-nginx:v2", &[], &[]);
    rt.start_container(0, c).unwrap();
    let logs = rt.logs(c).to_vec();
    assert_eq!(logs[0].text, "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration");
    assert_eq!(logs[0].stream, Stream::Stdout);
    let stderr: Vec<&str> = logs.iter().filter(|l| l.stream == Stream::Stderr).map(|l| l.text.as_str()).collect();
    assert_eq!(stderr[1], "2026/11/25 10:00:00 [notice] 1#1: nginx/1.27.4");
    assert_eq!(stderr[2], "2026/11/25 10:00:00 [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ");
    let probe = |rt: &mut Runtime, t: Millis| -> (u16, usize) {
        let h = vec![
            ("Host".to_string(), "10.244.0.9:80".to_string()),
            ("User-Agent".to_string(), "kube-probe/1.31".to_string()),
            ("Accept".to_string(), "*/*".to_string()),
            ("Connection".to_string(), "close".to_string()),
        ];
        match rt.http_get(t, "10.244.0.9", 80, "/index.html", &h, 1_000) {
            HttpOutcome::Response { status, body, .. } => (status, body.len()),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(probe(&mut rt, 4_000), (200, 615));
    let (out, code) = exec(&mut rt, 100_000, c, &["rm", "-rf", "/usr/share/nginx/html/index.html"]);
    assert_eq!((out.as_str(), code), ("", 0));
    assert_eq!(probe(&mut rt, 101_000), (404, 153));
    let (out, code) = exec(&mut rt, 220_000, c, &["sh", "-c", "echo \"123\" > /usr/share/nginx/html/index.html"]);
    assert_eq!((out.as_str(), code), ("", 0));
    assert_eq!(probe(&mut rt, 221_000), (200, 4));
    let text = log_text(&rt, c);
    assert!(
        text.contains("10.244.0.1 - - [25/Nov/2026:10:00:04 +0000] \"GET /index.html HTTP/1.1\" 200 615 \"-\" \"kube-probe/1.31\" \"-\"\n"),
        "{text}"
    );
    assert!(text.contains("[error] 29#29: *2 open() \"/usr/share/nginx/html/index.html\" failed (2: No such file or directory), client: 10.244.0.1, server: localhost, request: \"GET /index.html HTTP/1.1\", host: \"10.244.0.9:80\"\n"), "{text}");
    // Kubernetes stops nginx with SIGQUIT: graceful, exit 0.
    rt.stop_container(300_000, c, 30);
    let ev = rt.advance(300_000);
    assert_eq!(ev, vec![RuntimeEvent::ContainerExited { id: c, at: 300_000, exit_code: 0, reason: "Completed".into() }]);
    assert!(log_text(&rt, c).contains("[notice] 1#1: signal 3 (SIGQUIT) received, shutting down\n"));
}

#[test]
fn liveness_httpget_wrong_port_is_refused() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "pod-live-httpget", "10.244.0.10");
    let c = container(&mut rt, sb, "sun2010wg/my-nginx:v2", &[], &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.http_get(1_000, "10.244.0.10", 81, "/", &[], 1_000), HttpOutcome::Refused);
    assert_eq!(rt.http_get(1_000, "10.99.0.1", 80, "/", &[], 1_000), HttpOutcome::TimedOut);
}

#[test]
fn trap_and_wait_semantics() {
    // images.md §1.3 / transcripts/busybox-pid1-signals.txt
    let cases: [(&str, &str, i32, Millis); 4] = [
        ("trap \"echo got TERM; exit 0\" TERM; sleep 3600 & wait", "got TERM\n", 0, 1_000),
        ("trap \"echo got TERM\" TERM; sleep 3600 & wait; echo after wait $?", "got TERM\nafter wait 143\n", 0, 1_000),
        ("trap \"echo got TERM; exit 0\" TERM; while true; do sleep 1; done", "got TERM\n", 0, 2_000),
        ("trap \"echo got TERM; exit 0\" TERM; echo start; sleep 8", "start\ngot TERM\n", 0, 9_000),
    ];
    for (script, out, code, at) in cases {
        let mut rt = runtime(BusyboxVersion::V1_38);
        let sb = pod(&mut rt, "p", "10.244.0.11");
        let c = container(&mut rt, sb, "busybox", &["sh", "-c", script], &[]);
        rt.start_container(0, c).unwrap();
        rt.advance(1_000);
        rt.stop_container(1_000, c, 30);
        let ev = rt.advance(at);
        assert_eq!(log_text(&rt, c), out, "{script}");
        match ev.last() {
            Some(RuntimeEvent::ContainerExited { exit_code, at: t, .. }) => {
                assert_eq!(*exit_code, code, "{script}");
                assert!(*t <= at, "{script}: {t}");
            }
            other => panic!("{script}: {other:?}"),
        }
    }
    // A trap deferred behind `sleep 3600` never runs before the SIGKILL.
    let mut rt = runtime(BusyboxVersion::V1_38);
    let sb = pod(&mut rt, "p", "10.244.0.12");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "trap 'exit 0' TERM; sleep 3600"], &[]);
    rt.start_container(0, c).unwrap();
    rt.stop_container(0, c, 30);
    assert_eq!(rt.advance(40_000), vec![RuntimeEvent::ContainerExited { id: c, at: 30_000, exit_code: 137, reason: "Error".into() }]);
}

#[test]
fn sigint_to_pid1_shell_loop_exits_130() {
    let mut rt = runtime(BusyboxVersion::V1_38);
    let sb = pod(&mut rt, "p", "10.244.0.13");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do sleep 1; done"], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(2_500);
    rt.signal(2_500, c, Signal::Term);
    assert!(rt.advance(5_000).is_empty(), "SIGTERM is ignored");
    // `kill 1` from inside does nothing either.
    assert_eq!(exec(&mut rt, 5_000, c, &["kill", "1"]).1, 0);
    assert!(rt.advance(6_000).is_empty());
    rt.signal(6_000, c, Signal::Int);
    assert_eq!(rt.advance(6_000), vec![RuntimeEvent::ContainerExited { id: c, at: 6_000, exit_code: 130, reason: "Error".into() }]);
}

#[test]
fn start_failures_per_flavor() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "p", "10.244.0.14");
    let c = container(&mut rt, sb, "busybox:1.36", &["curl"], &[]);
    let err = rt.start_container(0, c).unwrap_err();
    assert_eq!(
        err,
        StartFailure {
            exit_code: 128,
            reason: "StartError".into(),
            message: "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"curl\": executable file not found in $PATH: unknown".into()
        }
    );
    let c2 = container(&mut rt, sb, "busybox", &["/bin/foo"], &[]);
    assert!(rt
        .start_container(0, c2)
        .unwrap_err()
        .message
        .contains("exec: \"/bin/foo\": stat /bin/foo: no such file or directory: unknown"));
    let mut rt = Runtime::new(RuntimeConfig { flavor: RuntimeFlavor::Docker, ..Default::default() });
    let sb = pod(&mut rt, "p", "10.244.0.14");
    let c = container(&mut rt, sb, "busybox", &["foo"], &[]);
    let err = rt.start_container(0, c).unwrap_err();
    assert_eq!((err.exit_code, err.reason.as_str()), (127, "ContainerCannotRun"));
    assert!(rt.container_id_string(c).starts_with("docker://"));
}

#[test]
fn exec_missing_binary_and_exit_codes() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "nginx", "10.244.0.15");
    let c = container(&mut rt, sb, "nginx", &[], &[]);
    rt.start_container(0, c).unwrap();
    // The Debian-based nginx image has no `ps` (images.md §6.1).
    match rt.exec_sync(1_000, c, &s(&["ps"]), None) {
        ExecOutcome::MissingBinary { message, exit_code: None } => {
            assert!(message.starts_with("failed to exec in container: failed to start exec \""), "{message}");
            assert!(message.ends_with("\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"ps\": executable file not found in $PATH: unknown"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Debian userland: GNU coreutils and dash texts.
    let cases: &[(&[&str], &str, i32)] = &[
        (&["cat", "/nope"], "cat: /nope: No such file or directory\n", 1),
        (&["rm", "/nope"], "rm: cannot remove '/nope': No such file or directory\n", 1),
        (&["ls", "/nope"], "ls: cannot access '/nope': No such file or directory\n", 2),
        (&["mkdir", "/tmp"], "mkdir: cannot create directory '/tmp': File exists\n", 1),
        (&["touch", "/a/b"], "touch: cannot touch '/a/b': No such file or directory\n", 1),
        (&["sleep", "abc"], "sleep: invalid time interval 'abc'\nTry 'sleep --help' for more information.\n", 1),
        (&["sh", "-c", "foo"], "sh: 1: foo: not found\n", 127),
        (&["sh", "-c", "echo a\nfoo"], "a\nsh: 2: foo: not found\n", 127),
        (&["sh", "-c", "cd /nope"], "sh: 1: cd: can't cd to /nope\n", 2),
        (&["sh", "-c", "echo hi > /x/y; echo $?"], "sh: 1: cannot create /x/y: Directory nonexistent\n2\n", 0),
        (&["sh", "-c", "if then"], "sh: 1: Syntax error: \"then\" unexpected\n", 2),
        (&["id"], "uid=0(root) gid=0(root) groups=0(root)\n", 0),
        (&["sh", "-c", "echo -e 'a\\tb'"], "-e a\tb\n", 0),
    ];
    for (argv, want, code) in cases {
        assert_eq!(exec(&mut rt, 1_000, c, argv), (want.to_string(), *code), "{argv:?}");
    }
    let id = rt.container_id_string(c);
    assert!(id.starts_with("containerd://") && id.len() == 13 + 64, "{id}");
}

#[test]
fn shell_constructs() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bb", "10.244.0.16");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    let cases: &[(&str, &str, i32)] = &[
        ("echo a && echo b || echo c", "a\nb\n", 0),
        ("false || echo c; echo $?", "c\n0\n", 0),
        ("x=5; if [ $x -gt 3 ]; then echo big; else echo small; fi", "big\n", 0),
        ("for i in 1 2 3; do echo -n $i; done; echo", "123\n", 0),
        ("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i", "3\n", 0),
        ("i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i", "2\n", 0),
        ("case foo.txt in *.html) echo html;; *.txt) echo txt;; esac", "txt\n", 0),
        ("f() { echo \"in f: $1\"; return 3; }; f arg; echo $?", "in f: arg\n3\n", 0),
        ("echo ${UNSET:-default} ${HOSTNAME:+set}", "default set\n", 0),
        ("v=$(echo inner); echo \"[$v]\"", "[inner]\n", 0),
        ("echo `echo bq`", "bq\n", 0),
        ("echo hi > /tmp/f; echo more >> /tmp/f; cat < /tmp/f", "hi\nmore\n", 0),
        ("cat /nope 2>&1 | grep -c such", "1\n", 0),
        ("echo one two | wc -w", "2\n", 0),
        ("exit 300", "", 44),
        ("echo 'single $x' \"double $((2*3))\"", "single $x double 6\n", 0),
        ("p=/a/b/c.txt; echo ${p##*/} ${p%.txt} ${#p}", "c.txt /a/b/c 10\n", 0),
        ("for i in 1 2 3 4; do if [ $i = 3 ]; then break; fi; echo $i; done", "1\n2\n", 0),
        ("for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done", "1\n3\n", 0),
        ("(cd /tmp && pwd); pwd", "/tmp\n/\n", 0),
        ("sh -c 'exit 7'; echo $?", "7\n", 0),
        ("echo hi > /x/y; echo after $?", "sh: can't create /x/y: nonexistent directory\nafter 1\n", 0),
        ("foo", "sh: foo: not found\n", 127),
        ("echo $$ $#", "", 0),
        ("mkdir -p /shared/d && echo ok > /shared/d/f && cat /shared/d/f", "ok\n", 0),
        ("seq 3 | tail -n 1", "3\n", 0),
        ("printf '%s-%03d\\n' a 7", "a-007\n", 0),
        ("cat <<EOF\nhello $HOSTNAME\nEOF", "hello bb\n", 0),
        ("set -- x y; echo $# $2", "2 y\n", 0),
        ("echo a; sleep 2; echo b", "a\nb\n", 0),
        ("sleep 1 & echo bg; wait; echo done", "bg\ndone\n", 0),
        ("ls /shared /nope", "ls: /nope: No such file or directory\n/shared:\nd\n", 1),
    ];
    for (script, want, code) in cases {
        let (out, got) = exec(&mut rt, 1_000, c, &["sh", "-c", script]);
        if *script == "echo $$ $#" {
            // exec'd shells get a fresh pid; `$#` is 0.
            assert!(out.ends_with(" 0\n") && got == 0, "{script}: {out}");
            continue;
        }
        assert_eq!((out.as_str(), got), (*want, *code), "{script}");
    }
    // Sleeps inside an exec take virtual time.
    match rt.exec_sync(2_000, c, &s(&["sh", "-c", "sleep 2; echo x"]), Some(10_000)) {
        ExecOutcome::Completed { duration_ms, output, .. } => assert_eq!((duration_ms, output.as_str()), (2_000, "x\n")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(rt.exec_sync(2_000, c, &s(&["sleep", "20"]), Some(1_000)), ExecOutcome::TimedOut { after_ms: 1_000, .. }));
}

#[test]
fn env_order_follows_containerd_and_ash() {
    let mut rt = runtime(BusyboxVersion::V1_38);
    let sb = pod(&mut rt, "busybox", "10.244.0.17");
    let normalized = match rt.resolve_image("busybox") {
        ImageLookup::Found { normalized, .. } => normalized,
        other => panic!("{other:?}"),
    };
    let env: Vec<(String, String)> = [
        ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
        ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
        ("KUBERNETES_PORT_443_TCP_PORT", "443"),
        ("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
        ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
        ("KUBERNETES_SERVICE_PORT", "443"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let c = rt
        .create_container(
            0,
            sb,
            ContainerConfig { name: "c".into(), image: normalized, command: s(&["sleep", "3600"]), env, ..Default::default() },
        )
        .unwrap();
    rt.start_container(0, c).unwrap();
    // images.md §1.5 (RUN): ash's hash-bucket order.
    let (out, _) = exec(&mut rt, 0, c, &["sh", "-c", "env"]);
    assert_eq!(
        out,
        "KUBERNETES_PORT=tcp://10.96.0.1:443\nKUBERNETES_SERVICE_PORT=443\nHOSTNAME=busybox\nSHLVL=1\nHOME=/root\nKUBERNETES_PORT_443_TCP_ADDR=10.96.0.1\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nKUBERNETES_PORT_443_TCP_PORT=443\nKUBERNETES_PORT_443_TCP_PROTO=tcp\nKUBERNETES_SERVICE_PORT_HTTPS=443\nKUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443\nKUBERNETES_SERVICE_HOST=10.96.0.1\nPWD=/\n"
    );
    // Direct exec: containerd's order.
    let (out, _) = exec(&mut rt, 0, c, &["env"]);
    assert!(
        out.starts_with(
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=busybox\nKUBERNETES_SERVICE_PORT_HTTPS=443\n"
        ),
        "{out}"
    );
    assert!(out.ends_with("KUBERNETES_SERVICE_PORT=443\nHOME=/root\n"), "{out}");
}

#[test]
fn image_resolution_and_pull_errors() {
    let rt = runtime(BusyboxVersion::V1_37);
    assert_eq!(
        rt.resolve_image("nosuch:1"),
        ImageLookup::NotFound {
            pull_error: "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nosuch:1\": failed to resolve reference \"docker.io/library/nosuch:1\": docker.io/library/nosuch:1: not found".into()
        }
    );
    match rt.resolve_image("busybox") {
        ImageLookup::Found { normalized, image_id, pull_duration_ms, .. } => {
            assert_eq!(normalized, "docker.io/library/busybox:latest");
            assert!(image_id.starts_with("sha256:") && image_id.len() == 71);
            assert!((500..5_000).contains(&pull_duration_ms));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(rt.resolve_image("registry.k8s.io/e2e-test-images/agnhost:2.40"), ImageLookup::Found { .. }));
    assert!(matches!(rt.resolve_image("nginx:nosuchtag"), ImageLookup::NotFound { .. }));
}

#[test]
fn agnhost_liveness_fails_after_10s_and_exits_2_on_sigterm() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "live", "10.244.0.18");
    let c = container(&mut rt, sb, "registry.k8s.io/e2e-test-images/agnhost:2.40", &[], &["liveness"]);
    rt.start_container(0, c).unwrap();
    let get = |rt: &mut Runtime, t| match rt.http_get(t, "10.244.0.18", 8080, "/healthz", &[], 1_000) {
        HttpOutcome::Response { status, body, .. } => (status, String::from_utf8(body).unwrap()),
        other => panic!("{other:?}"),
    };
    assert_eq!(get(&mut rt, 3_000), (200, "ok".into()));
    assert_eq!(get(&mut rt, 10_000), (200, "ok".into()));
    assert_eq!(get(&mut rt, 11_500), (500, "error: 11.5".into()));
    rt.stop_container(12_000, c, 30);
    assert_eq!(rt.advance(12_000), vec![RuntimeEvent::ContainerExited { id: c, at: 12_000, exit_code: 2, reason: "Error".into() }]);
}

#[test]
fn author_image_rules_memory_and_signals() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    rt.register_image(ImageDef {
        name: "example.com/app:v1".into(),
        busybox: Some(BusyboxVersion::V1_37),
        startup_output: vec![(0, "starting".into()), (2_000, "listening on :8080".into())],
        ports: vec![8080],
        listen_delay_ms: 2_000,
        http_rules: vec![
            HttpRule { path: "/healthz".into(), after_ms: 0, status: 200, body: "ok".into(), ..Default::default() },
            HttpRule { path: "/healthz".into(), after_ms: 30_000, status: 500, body: "broken".into(), ..Default::default() },
            HttpRule { path: "/slow".into(), status: 200, body: "late".into(), delay_ms: 2_000, ..Default::default() },
        ],
        signals: vec![SignalBehavior { signal: Signal::Term, exit_code: Some(0), delay_ms: 1_500, log: vec!["bye".into()] }],
        memory: vec![(0, 10 << 20), (50_000, 100 << 20)],
        ..Default::default()
    })
    .unwrap();
    assert!(rt.register_image(ImageDef { name: "example.com/app:v1".into(), ..Default::default() }).is_err());
    let sb = pod(&mut rt, "app", "10.244.0.19");
    let c = container(&mut rt, sb, "example.com/app:v1", &[], &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.http_get(1_000, "10.244.0.19", 8080, "/healthz", &[], 1_000), HttpOutcome::Refused);
    rt.advance(2_000);
    let status = |rt: &mut Runtime, t| match rt.http_get(t, "10.244.0.19", 8080, "/healthz", &[], 1_000) {
        HttpOutcome::Response { status, .. } => status,
        other => panic!("{other:?}"),
    };
    assert_eq!(status(&mut rt, 2_000), 200);
    assert_eq!(status(&mut rt, 31_000), 500);
    assert_eq!(rt.http_get(31_000, "10.244.0.19", 8080, "/slow", &[], 1_000), HttpOutcome::TimedOut);
    assert!(matches!(rt.http_get(31_000, "10.244.0.19", 8080, "/slow", &[], 3_000), HttpOutcome::Response { status: 200, .. }));
    assert_eq!(log_text(&rt, c), "starting\nlistening on :8080\n");
    // Memory grows past the 64 MiB limit at 50 s: OOMKilled.
    assert_eq!(rt.advance(60_000), vec![RuntimeEvent::ContainerExited { id: c, at: 50_000, exit_code: 137, reason: "OOMKilled".into() }]);
    // A second instance stops on SIGTERM after its delay.
    let c2 = container(&mut rt, sb, "example.com/app:v1", &[], &[]);
    rt.start_container(60_000, c2).unwrap();
    rt.stop_container(61_000, c2, 30);
    assert_eq!(rt.advance(70_000), vec![RuntimeEvent::ContainerExited { id: c2, at: 62_500, exit_code: 0, reason: "Completed".into() }]);
}

/// A loop that only echoes is steady: its turns run in bulk up to the horizon, at the virtual
/// CPU's speed (a write to the log costs about 20 µs), with the kubelet's rotation at its 10 s
/// passes; an hour costs a few bulk steps.
#[test]
fn a_steady_echo_loop_runs_in_bulk_at_the_cpu_model_s_speed() {
    let mut rt = Runtime::new(RuntimeConfig { step_budget: 200_000, ..Default::default() });
    let sb = pod(&mut rt, "spin", "10.244.0.21");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do echo hi; done"], &[]);
    rt.start_container(0, c).unwrap();
    rt.set_horizon(5_000);
    // start_container ran the shell's first millisecond, where nothing fitted before the
    // horizon (none is set then): the loop is tried again 256 turns later, some ms on.
    let ev = rt.advance(10);
    assert!(!ev.iter().any(|e| matches!(e, RuntimeEvent::StepBudgetExhausted { .. })), "bulk, not interpreter steps: {ev:?}");
    let lines = rt.logs(c);
    // Each turn: `true`, the test, `echo` and the write (20 steps) at 1,000 steps a ms.
    let per_second = lines.len() as f64 / (lines.last().unwrap().at as f64 / 1000.0);
    assert!((20_000.0..60_000.0).contains(&per_second), "{per_second} lines a second");
    assert!(lines.iter().all(|l| l.text == "hi") && lines.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(lines.last().unwrap().at < 5_000, "not past the horizon");
    // An hour, with rotations at 10 MiB: the log holds what came after the last one.
    for t in (10_000..=3_600_000).step_by(10_000) {
        rt.set_horizon(t);
        rt.advance(t - 5_000);
    }
    let lines = rt.logs(c);
    assert!(lines.first().unwrap().at >= 3_590_000 && lines.len() > 100_000, "{} lines from {}", lines.len(), lines[0].at);
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }));
    rt.stop_container(3_600_000, c, 1);
    let ev = rt.advance(3_601_000);
    assert!(ev.iter().any(|e| matches!(e, RuntimeEvent::ContainerExited { id, exit_code: 137, .. } if *id == c)), "{ev:?}");
}

#[test]
fn busy_loop_consumes_virtual_time_and_never_hangs() {
    let mut rt = Runtime::new(RuntimeConfig { step_budget: 200_000, ..Default::default() });
    let sb = pod(&mut rt, "spin", "10.244.0.20");
    // A loop whose state moves each turn in a way that is not a count (a steady one, or a
    // counting one, runs in bulk: see the next test and tests/steady.rs).
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "i=0; while true; do i=$((i*3+1)); done"], &[]);
    rt.start_container(0, c).unwrap();
    let ev = rt.advance(60_000);
    assert!(ev.iter().any(|e| matches!(e, RuntimeEvent::StepBudgetExhausted { .. })), "{ev:?}");
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }));
    // Still killable.
    rt.stop_container(60_000, c, 1);
    let ev = rt.advance(61_000);
    assert!(ev.contains(&RuntimeEvent::ContainerExited { id: c, at: 61_000, exit_code: 137, reason: "Error".into() }), "{ev:?}");
}

#[test]
fn emptydir_is_shared_between_containers_and_fs_limits_apply() {
    let mut rt = Runtime::new(RuntimeConfig {
        fs_limits: podplay_runtime::fs::FsLimits { max_bytes: 1 << 20, max_files: 10_000 },
        ..Default::default()
    });
    let sb = pod(&mut rt, "two", "10.244.0.21");
    let a = container(&mut rt, sb, "busybox", &["sh", "-c", "echo from-a > /shared/msg; sleep 3600"], &[]);
    let b = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, a).unwrap();
    rt.start_container(0, b).unwrap();
    assert_eq!(exec(&mut rt, 10, b, &["cat", "/shared/msg"]), ("from-a\n".into(), 0));
    assert_eq!(exec(&mut rt, 10, b, &["cat", "/etc/hostname"]), ("two\n".into(), 0));
    assert_eq!(exec(&mut rt, 10, b, &["cat", "/var/run/secrets/kubernetes.io/serviceaccount/namespace"]), ("default".into(), 0));
    let (hosts, _) = exec(&mut rt, 10, b, &["cat", "/etc/hosts"]);
    assert!(
        hosts.starts_with("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n") && hosts.ends_with("10.244.0.21\ttwo\n"),
        "{hosts}"
    );
    // /tmp of one container is not the other's.
    exec(&mut rt, 10, a, &["touch", "/tmp/only-a"]);
    assert_eq!(exec(&mut rt, 10, b, &["test", "-e", "/tmp/only-a"]).1, 1);
    // The writable layer is capped: writes past it fail with ENOSPC.
    let (out, code) = exec(&mut rt, 10, b, &["sh", "-c", "yes > /tmp/big; echo $?; cat /tmp/big | wc -c"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("0\n"), "{out}");
    // wget by service name goes through DNS (no server there: the address does not answer).
    let (out, code) = exec(&mut rt, 10, b, &["wget", "-T", "1", "-O-", "http://nosuch/"]);
    assert_eq!((out.as_str(), code), ("wget: bad address 'nosuch'\n", 1));
}

#[test]
fn ps_shows_the_process_tree() {
    let mut rt = runtime(BusyboxVersion::V1_38);
    let sb = pod(&mut rt, "bb", "10.244.0.22");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do sleep 1; done"], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(2_500);
    let (out, _) = exec(&mut rt, 2_500, c, &["ps"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "PID   USER     TIME  COMMAND");
    assert_eq!(lines[1], "    1 root      0:00 sh -c while true; do sleep 1; done");
    assert!(lines[2].ends_with(" root      0:00 sleep 1"), "{out}");
    assert!(lines[3].ends_with(" root      0:00 ps"), "{out}");
    // Background job of a PID-1 shell keeps running; `kill` of a child works (not PID 1).
    let c2 = container(&mut rt, sb, "busybox", &["sh", "-c", "sleep 100 & echo started $!; wait; echo waited $?"], &[]);
    rt.start_container(3_000, c2).unwrap();
    assert_eq!(log_text(&rt, c2), "started 2\n");
    assert_eq!(exec(&mut rt, 4_000, c2, &["kill", "2"]).1, 0);
    rt.advance(4_000);
    assert_eq!(log_text(&rt, c2), "started 2\nwaited 0\n");
    assert!(matches!(rt.container_state(c2), ContainerState::Exited { exit_code: 0, .. }));
}

#[test]
fn python_redis_apache_images() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "py", "10.244.0.23");
    let c = container(&mut rt, sb, "python:3.13", &["python", "-m", "http.server"], &[]);
    rt.start_container(0, c).unwrap();
    match rt.http_get(1_000, "10.244.0.23", 8000, "/missing", &[], 1_000) {
        HttpOutcome::Response { status, .. } => assert_eq!(status, 404),
        other => panic!("{other:?}"),
    }
    // stdout is block-buffered: only the access log (stderr) shows (images.md §4.3).
    assert_eq!(
        log_text(&rt, c),
        "10.244.0.1 - - [25/Nov/2026 10:00:01] code 404, message File not found\n10.244.0.1 - - [25/Nov/2026 10:00:01] \"GET /missing HTTP/1.1\" 404 -\n"
    );
    rt.stop_container(2_000, c, 30);
    assert_eq!(rt.advance(40_000), vec![RuntimeEvent::ContainerExited { id: c, at: 32_000, exit_code: 137, reason: "Error".into() }]);

    let sb = pod(&mut rt, "redis", "10.244.0.24");
    let c = container(&mut rt, sb, "redis:7.0.15", &[], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(10);
    assert_eq!(rt.tcp_connect(10, "10.244.0.24", 6379, 1_000), TcpOutcome::Connected);
    assert_eq!(rt.http_get(10, "10.244.0.24", 6379, "/", &[], 1_000), HttpOutcome::Closed);
    rt.stop_container(5_000, c, 30);
    let ev = rt.advance(6_000);
    assert_eq!(ev, vec![RuntimeEvent::ContainerExited { id: c, at: 5_001, exit_code: 0, reason: "Completed".into() }]);
    let text = log_text(&rt, c);
    assert!(text.starts_with("1:C 25 Nov 2026 10:00:00.000 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n"), "{text}");
    assert!(text.contains("1:signal-handler (1795600805) Received SIGTERM scheduling shutdown...\n"), "{text}");
    assert!(text.ends_with("# Redis is now ready to exit, bye bye...\n"), "{text}");

    let sb = pod(&mut rt, "apache", "10.244.0.25");
    let c = container(&mut rt, sb, "httpd:2.4", &[], &[]);
    rt.start_container(0, c).unwrap();
    match rt.http_get(1_000, "10.244.0.25", 80, "/", &[], 1_000) {
        HttpOutcome::Response { status, body, .. } => assert_eq!((status, body.len()), (200, 45)),
        other => panic!("{other:?}"),
    }
    match rt.http_get(1_000, "10.244.0.25", 80, "/nope", &[], 1_000) {
        HttpOutcome::Response { status, body, .. } => assert_eq!((status, body.len()), (404, 196)),
        other => panic!("{other:?}"),
    }
    // STOPSIGNAL SIGWINCH: graceful, exit 0.
    rt.stop_container(2_000, c, 30);
    assert_eq!(rt.advance(2_000), vec![RuntimeEvent::ContainerExited { id: c, at: 2_000, exit_code: 0, reason: "Completed".into() }]);
    assert!(log_text(&rt, c).contains("AH00492: caught SIGWINCH, shutting down gracefully\n"));
}

#[test]
fn wget_between_pods_by_service_name() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    rt.set_cluster_dns(vec![DnsRecord { name: "web.default.svc.cluster.local".into(), ip: "10.244.0.30".into() }]);
    let web = pod(&mut rt, "web", "10.244.0.30");
    let n = container(&mut rt, web, "nginx:1.27.4", &[], &[]);
    rt.start_container(0, n).unwrap();
    let cli = pod(&mut rt, "cli", "10.244.0.31");
    let b = container(&mut rt, cli, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, b).unwrap();
    let (out, code) = exec(&mut rt, 5_000, b, &["wget", "-q", "-O-", "http://web/"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>"), "{out}");
    let (out, code) = exec(&mut rt, 5_000, b, &["wget", "-O-", "http://web/nope"]);
    assert_eq!((out.as_str(), code), ("Connecting to web (10.244.0.30:80)\nwget: server returned error: HTTP/1.1 404 Not Found\n", 1));
    let access: Vec<String> =
        rt.logs(n).iter().filter(|l| l.stream == Stream::Stdout && l.text.contains("GET")).map(|l| l.text.clone()).collect();
    assert_eq!(access[0], "10.244.0.31 - - [25/Nov/2026:10:00:05 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"Wget\" \"-\"");
}

#[test]
fn author_image_startup_script_then_program_as_pid1() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    rt.register_image(ImageDef {
        name: "example.com/web:v2".into(),
        startup_script: Some("echo migrating; sleep 5; echo migrated".into()),
        ports: vec![9000],
        http_rules: vec![HttpRule { path: "/".into(), after_ms: 0, status: 200, body: "hello".into(), ..Default::default() }],
        ..Default::default()
    })
    .unwrap();
    let sb = pod(&mut rt, "web2", "10.244.0.40");
    let c = container(&mut rt, sb, "example.com/web:v2", &[], &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.tcp_connect(1_000, "10.244.0.40", 9000, 1_000), TcpOutcome::Refused);
    rt.advance(5_000);
    assert_eq!(log_text(&rt, c), "migrating\nmigrated\n");
    assert_eq!(rt.logs(c)[1].at, 5_000);
    match rt.http_get(5_000, "10.244.0.40", 9000, "/", &[], 1_000) {
        HttpOutcome::Response { status, body, .. } => {
            assert_eq!((status, body), (200, b"hello".to_vec()))
        }
        other => panic!("{other:?}"),
    }
    let (ps, _) = exec(&mut rt, 6_000, c, &["ps"]);
    assert!(ps.contains("    1 root      0:00 /app\n"), "{ps}");
    // No signal handler configured: PID 1 ignores SIGTERM.
    rt.stop_container(7_000, c, 2);
    assert_eq!(rt.advance(10_000), vec![RuntimeEvent::ContainerExited { id: c, at: 9_000, exit_code: 137, reason: "Error".into() }]);
}

#[test]
fn applet_table() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bb", "10.244.0.41");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    let cases: &[(&str, &str, i32)] = &[
        ("echo -n a; echo b", "ab\n", 0),
        ("echo -e 'a\\tb'", "a\tb\n", 0),
        ("printf '%5s|%-3s|%x\\n' ab c 255", "   ab|c  |ff\n", 0),
        ("printf 'x\\n' | cat", "x\n", 0),
        ("seq 2 4", "2\n3\n4\n", 0),
        ("seq 3 | head -n 2", "1\n2\n", 0),
        ("seq 5 | tail -n 2", "4\n5\n", 0),
        ("seq 10 | wc -l", "10\n", 0),
        ("printf 'a b\\nc\\n' | wc", "        2         3         6\n", 0),
        ("printf 'foo\\nbar\\nFoo\\n' | grep -i foo", "foo\nFoo\n", 0),
        ("printf 'foo\\nbar\\n' | grep -v foo", "bar\n", 0),
        ("printf 'foo\\nbar\\n' | grep -c o", "1\n", 0),
        ("printf 'foo\\n' | grep '^f.o$'", "foo\n", 0),
        ("printf 'foo\\n' | grep -q zzz", "", 1),
        ("echo x > /tmp/a; cp /tmp/a /tmp/b; mv /tmp/b /tmp/c; cat /tmp/c; test -e /tmp/b", "x\n", 1),
        ("basename /a/b/c.txt .txt; dirname /a/b/c.txt", "c\n/a/b\n", 0),
        ("whoami; hostname", "root\nbb\n", 0),
        ("printenv HOSTNAME", "bb\n", 0),
        ("test 3 -lt 4 && [ abc = abc ] && [ -n x ] && [ -z '' ] && [ -d /tmp ] && [ ! -f /tmp ]", "", 0),
        ("[ 1 -eq", "sh: missing ]\n", 2),
        ("date +%Y-%m-%d", "2026-11-25\n", 0),
        ("mkdir -p /tmp/t/u && touch /tmp/t/u/f && find /tmp/t", "/tmp/t\n/tmp/t/u\n/tmp/t/u/f\n", 0),
        ("find /tmp/t -name f", "/tmp/t/u/f\n", 0),
        ("echo hi | tee /tmp/tee; cat /tmp/tee", "hi\nhi\n", 0),
        ("uname; uname -m", "Linux\nx86_64\n", 0),
        ("sleep 1x", "sleep: invalid number '1x'\n", 1),
        ("rm /tmp", "rm: '/tmp' is a directory\n", 1),
        ("rmdir /tmp/nope", "rmdir: '/tmp/nope': No such file or directory\n", 1),
        ("ls /tmp/t", "u\n", 0),
        ("id", "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n", 0),
        ("trap 'echo bye' EXIT; echo hi", "hi\nbye\n", 0),
        ("sleep 3 & p=$!; sleep 1 & wait $p; echo $?", "0\n", 0),
        ("kill -0 999", "sh: can't kill pid 999: No such process\n", 1),
        ("cat /tmp", "cat: read error: Is a directory\n", 1),
        ("wc -l /nope", "wc: /nope: No such file or directory\n", 1),
        ("printf 'l1\\nl2\\n' > /tmp/r; while read l; do echo \"<$l>\"; done < /tmp/r", "<l1>\n<l2>\n", 0),
        ("x=$(seq 3 | wc -l); echo $x", "3\n", 0),
        ("echo a:b:c | cut -d: -f2,3", "b:c\n", 0),
        ("echo hello | cut -c 2-4", "ell\n", 0),
        ("echo hello | tr a-z A-Z; echo hello | tr -d l", "HELLO\nheo\n", 0),
        ("printf 'b\\na\\nb\\n' | sort | uniq -c", "      1 a\n      2 b\n", 0),
        ("printf '10\\n9\\n' | sort -n", "9\n10\n", 0),
        ("which sh wget nosuch", "/bin/sh\n/bin/wget\n", 1),
        ("env -i A=1 env; env FOO=bar sh -c 'echo $FOO'", "A=1\nbar\n", 0),
        ("env nosuch", "env: can't execute 'nosuch': No such file or directory\n", 127),
        (
            "nslookup kubernetes.default.svc.cluster.local",
            "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n\n",
            0,
        ),
    ];
    for (script, want, code) in cases {
        assert_eq!(exec(&mut rt, 1_000, c, &["sh", "-c", script]), (want.to_string(), *code), "{script}");
    }
}

#[test]
fn runaway_scripts_end_instead_of_hanging() {
    let mut rt = Runtime::new(RuntimeConfig { step_budget: 100_000, ..Default::default() });
    let sb = pod(&mut rt, "bad", "10.244.0.50");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    // Infinite recursion: a stack overflow (SIGSEGV).
    assert_eq!(exec(&mut rt, 0, c, &["sh", "-c", "f() { f; }; f"]), (String::new(), 139));
    // Nested subshells: fork fails, the shells unwind.
    let (out, code) = exec(&mut rt, 0, c, &["sh", "-c", "f() { (f); }; f"]);
    assert!(out.starts_with("sh: can't fork: Resource temporarily unavailable\n"), "{out}");
    assert_ne!(code, 0);
    // A script that execs itself forever, and one that runs itself recursively: bounded by
    // the exec timeout and the step budget, not by the host stack.
    for script in ["echo 'exec sh /tmp/l.sh' > /tmp/l.sh; exec sh /tmp/l.sh", "echo 'sh /tmp/m.sh' > /tmp/m.sh; sh /tmp/m.sh"] {
        assert!(matches!(
            rt.exec_sync(0, c, &s(&["sh", "-c", script]), Some(5_000)),
            ExecOutcome::TimedOut { .. } | ExecOutcome::Completed { .. }
        ));
    }
    // A chatty loop is bounded by the step budget and the log cap.
    let c2 = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do echo spam; done"], &[]);
    rt.start_container(0, c2).unwrap();
    rt.advance(1_000);
    assert!(rt.logs(c2).len() > 1_000);
    assert!(rt.logs(c2).iter().map(|l| l.text.len() + 1).sum::<usize>() <= 10 << 20);
    // The default CMD of busybox is `sh` with no stdin: exits 0 at once (images.md §1.3).
    let c3 = container(&mut rt, sb, "busybox", &[], &[]);
    rt.start_container(0, c3).unwrap();
    assert!(matches!(rt.container_state(c3), ContainerState::Exited { exit_code: 0, ref reason, .. } if reason == "Completed"));
    assert!(rt.logs(c3).is_empty());
}

#[test]
fn service_routes_follow_endpoints() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let web = pod(&mut rt, "pod-live-readiness", "10.244.0.60");
    let n = container(&mut rt, web, "sun2010wg/my-nginx:v2", &[], &[]);
    rt.start_container(0, n).unwrap();
    let cli = pod(&mut rt, "cli", "10.244.0.61");
    let b = container(&mut rt, cli, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, b).unwrap();
    rt.set_service_routes(vec![ServiceRoute { cluster_ip: "10.96.0.20".into(), port: 80, endpoints: vec![("10.244.0.60".into(), 80)] }]);
    let (out, code) = exec(&mut rt, 1_000, b, &["wget", "-q", "--spider", "http://web.default.svc.cluster.local/"]);
    assert_eq!((out.as_str(), code), ("", 0));
    // Not ready: the endpoint is removed, kube-proxy rejects.
    rt.set_service_routes(vec![ServiceRoute { cluster_ip: "10.96.0.20".into(), port: 80, endpoints: vec![] }]);
    let (out, code) = exec(&mut rt, 2_000, b, &["wget", "-q", "-O-", "http://web/"]);
    assert_eq!((out.as_str(), code), ("wget: can't connect to remote host (10.96.0.20): Connection refused\n", 1));
    assert_eq!(exec(&mut rt, 2_000, b, &["nc", "-z", "10.96.0.20", "80"]).1, 1);
}

#[test]
fn nginx_reload_and_quit_from_inside() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "ng", "10.244.0.70");
    let c = container(&mut rt, sb, "nginx:1.27.4", &[], &[]);
    rt.start_container(0, c).unwrap();
    let (out, code) = exec(&mut rt, 1_000, c, &["nginx", "-s", "reload"]);
    assert_eq!((out.as_str(), code), ("2026/11/25 10:00:01 [notice] 31#31: signal process started\n", 0));
    rt.advance(1_000);
    let text = log_text(&rt, c);
    assert!(text.contains("2026/11/25 10:00:01 [notice] 1#1: signal 1 (SIGHUP) received from 31, reconfiguring\n"), "{text}");
    assert!(text.contains("1#1: start worker process 32\n2026/11/25 10:00:01 [notice] 1#1: start worker process 33\n"), "{text}");
    assert!(text.contains("[notice] 29#29: gracefully shutting down\n"), "{text}");
    assert!(text.ends_with("[notice] 1#1: signal 29 (SIGIO) received\n"), "{text}");
    // Served as before.
    assert!(matches!(rt.http_get(2_000, "10.244.0.70", 80, "/", &[], 1_000), HttpOutcome::Response { status: 200, .. }));
    // `kill -QUIT 1` from inside: graceful quit, logged with the sender, exit 0 → Completed.
    // (no `kill` binary in the Debian image: procps is not installed; dash's builtin works)
    assert!(matches!(rt.exec_sync(3_000, c, &s(&["kill", "-QUIT", "1"]), None), ExecOutcome::MissingBinary { .. }));
    assert_eq!(exec(&mut rt, 3_000, c, &["sh", "-c", "kill -QUIT 1"]).1, 0);
    let ev = rt.advance(3_000);
    assert_eq!(ev, vec![RuntimeEvent::ContainerExited { id: c, at: 3_000, exit_code: 0, reason: "Completed".into() }]);
    let text = log_text(&rt, c);
    assert!(text.contains("[notice] 1#1: signal 3 (SIGQUIT) received from 34, shutting down\n"), "{text}");
    assert!(text.contains("[notice] 32#32: gracefully shutting down\n"), "{text}");
}

#[test]
fn ls_long_formats() {
    let mut rt = runtime(BusyboxVersion::V1_38);
    let sb = pod(&mut rt, "ng", "10.244.0.80");
    let n = container(&mut rt, sb, "nginx:1.27.4", &[], &[]);
    rt.start_container(0, n).unwrap();
    // GNU ls: columns only as wide as needed; image files dated 2025 (older than 6 months).
    let (out, code) = exec(&mut rt, 0, n, &["ls", "-l", "/usr/share/nginx/html"]);
    assert_eq!(
        (out.as_str(), code),
        ("total 8\n-rw-r--r-- 1 root root 497 Feb 13  2025 50x.html\n-rw-r--r-- 1 root root 615 Feb 13  2025 index.html\n", 0)
    );
    let b = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, b).unwrap();
    let (out, _) = exec(&mut rt, 60_000, b, &["sh", "-c", "mkdir /www && echo hi > /www/a && ls -l /www /etc/passwd"]);
    assert_eq!(
        out,
        "-rw-r--r--    1 root     root           340 May 13  2026 /etc/passwd\n\n/www:\ntotal 4\n-rw-r--r--    1 root     root             3 Nov 25 10:01 a\n"
    );
}

#[test]
fn test_images_agnhost_liveness_goproxy_pause() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "netexec", "10.244.0.90");
    let c = container(&mut rt, sb, "registry.k8s.io/e2e-test-images/agnhost:2.40", &[], &["netexec", "--http-port=8080"]);
    rt.start_container(0, c).unwrap();
    assert_eq!(
        log_text(&rt, c),
        "2026/11/25 10:00:00 Started HTTP server on port 8080\n2026/11/25 10:00:00 Started UDP server on port  8081\n"
    );
    let body = |rt: &mut Runtime, t, path: &str| match rt.http_get(t, "10.244.0.90", 8080, path, &[], 1_000) {
        HttpOutcome::Response { status, body, .. } => (status, String::from_utf8(body).unwrap()),
        other => panic!("{other:?}"),
    };
    assert_eq!(body(&mut rt, 1_000, "/hostname"), (200, "netexec".into()));
    assert_eq!(body(&mut rt, 1_000, "/echo?msg=hi"), (200, "hi".into()));
    assert!(log_text(&rt, c).ends_with("2026/11/25 10:00:01 GET /hostname\n2026/11/25 10:00:01 GET /echo?msg=hi\n"));
    // /exit?code=3 ends the server.
    body(&mut rt, 2_000, "/exit?code=3");
    assert_eq!(rt.advance(2_000), vec![RuntimeEvent::ContainerExited { id: c, at: 2_000, exit_code: 3, reason: "Error".into() }]);

    let sb = pod(&mut rt, "sh", "10.244.0.91");
    let c = container(&mut rt, sb, "registry.k8s.io/e2e-test-images/agnhost:2.40", &[], &["serve-hostname"]);
    rt.start_container(0, c).unwrap();
    match rt.http_get(1_000, "10.244.0.91", 9376, "/", &[], 1_000) {
        HttpOutcome::Response { body, .. } => assert_eq!(body, b"sh"),
        other => panic!("{other:?}"),
    }
    // Handles SIGTERM but sleeps 60 s: killed at the end of the 30 s grace period.
    rt.stop_container(2_000, c, 30);
    assert_eq!(rt.advance(40_000), vec![RuntimeEvent::ContainerExited { id: c, at: 32_000, exit_code: 137, reason: "Error".into() }]);
    assert!(log_text(&rt, c)
        .ends_with("2026/11/25 10:00:02 Shutting down after receiving signal: terminated.\n2026/11/25 10:00:02 Awaiting pod deletion.\n"));

    // Old docs image: no Entrypoint/Cmd, FROM scratch.
    let sb = pod(&mut rt, "live", "10.244.0.92");
    let normalized = "registry.k8s.io/liveness:latest".to_string();
    let err =
        rt.create_container(0, sb, ContainerConfig { name: "c".into(), image: normalized.clone(), ..Default::default() }).unwrap_err();
    assert!(err.ends_with("spec: no command specified"), "{err}");
    let c = rt
        .create_container(0, sb, ContainerConfig { name: "c".into(), image: normalized, args: s(&["/server"]), ..Default::default() })
        .unwrap();
    rt.start_container(0, c).unwrap();
    assert!(matches!(rt.exec_sync(1_000, c, &s(&["sh"]), None), ExecOutcome::MissingBinary { .. }));
    assert!(matches!(rt.http_get(5_000, "10.244.0.92", 8080, "/healthz", &[], 1_000), HttpOutcome::Response { status: 200, .. }));

    let sb = pod(&mut rt, "proxy", "10.244.0.93");
    let c = container(&mut rt, sb, "registry.k8s.io/goproxy:0.1", &[], &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.tcp_connect(1_000, "10.244.0.93", 8080, 1_000), TcpOutcome::Connected);
    rt.stop_container(2_000, c, 30);
    assert_eq!(rt.advance(2_000), vec![RuntimeEvent::ContainerExited { id: c, at: 2_000, exit_code: 2, reason: "Error".into() }]);

    let sb = pod(&mut rt, "pause", "10.244.0.94");
    let c = container(&mut rt, sb, "registry.k8s.io/pause:3.9", &[], &[]);
    rt.start_container(0, c).unwrap();
    rt.stop_container(1_000, c, 30);
    assert_eq!(rt.advance(1_000), vec![RuntimeEvent::ContainerExited { id: c, at: 1_000, exit_code: 0, reason: "Completed".into() }]);
    assert_eq!(log_text(&rt, c), "Shutting down, got signal: Terminated\n");
}

#[test]
fn set_options() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bb", "10.244.0.95");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    let cases: &[(&str, &str, i32)] = &[
        ("set -e; echo a; false; echo b", "a\n", 1),
        ("set -e; if false; then echo x; fi; false || echo ok; ! true; echo still", "ok\nstill\n", 0),
        ("set -e; true && false; echo no", "", 1),
        ("set -e; f() { false; echo in-f; }; f || echo handled", "in-f\n", 0),
        ("false | true; echo $?", "0\n", 0),
        ("set -o pipefail; false | true; echo $?", "1\n", 0),
        ("set -x; echo 'a b' c", "+ echo 'a b' c\na b c\n", 0),
        ("set -- p q; echo $1$2", "pq\n", 0),
    ];
    for (script, want, code) in cases {
        assert_eq!(exec(&mut rt, 1_000, c, &["sh", "-c", script]), (want.to_string(), *code), "{script}");
    }
}

#[test]
fn odd_input_never_panics() {
    let mut rt = Runtime::new(RuntimeConfig { step_budget: 200_000, ..Default::default() });
    let sb = pod(&mut rt, "odd", "10.244.0.96");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    let fragments = [
        "é",
        "${",
        "}",
        "$((",
        "))",
        "'",
        "\"",
        "`",
        "\\",
        "$(",
        ")",
        "(",
        "|",
        "||",
        "&&",
        "&",
        ";",
        ";;",
        "<",
        ">",
        ">>",
        "2>&",
        "<<",
        "EOF",
        "\n",
        "if",
        "then",
        "fi",
        "for",
        "in",
        "do",
        "done",
        "case",
        "esac",
        "while",
        "{",
        "}",
        "!",
        "$0",
        "$00",
        "${#}",
        "${x:?}",
        "${x#*}",
        "$((1/0))",
        "echo",
        "cat",
        "ls",
        "sleep 0",
        "wget",
        "nc",
        "kill -9",
        "trap",
        "exit",
        "return",
        "break",
        "shift 9",
        "read",
        "exec",
        "eval",
        "set --",
        ".",
        "~",
        "*",
        "?",
        "[",
        "]",
        "[[",
        "=",
        "x=1",
        "-",
        "--",
        "/",
        "/dev/null",
        "日本",
    ];
    let mut seed: u64 = 12345;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..1500 {
        let n = 1 + next() % 6;
        let script: Vec<&str> = (0..n).map(|_| fragments[next() % fragments.len()]).collect();
        let script = script.join(" ");
        let _ = rt.exec_sync(1_000, c, &s(&["sh", "-c", &script]), Some(5_000));
    }
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }));
}

#[test]
fn exec_with_stdin_runs_a_script() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bb", "10.244.0.97");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    match rt.exec_sync_with_input(0, c, &s(&["sh"]), None, b"echo from-stdin\nhostname\n") {
        ExecOutcome::Completed { output, exit_code, .. } => assert_eq!((output.as_str(), exit_code), ("from-stdin\nbb\n", 0)),
        other => panic!("{other:?}"),
    }
    match rt.exec_sync_with_input(0, c, &s(&["wc", "-l"]), None, b"a\nb\n") {
        ExecOutcome::Completed { output, .. } => assert_eq!(output, "2\n"),
        other => panic!("{other:?}"),
    }
    assert!(rt.pull_duration("busybox").unwrap() > 0);
    assert_eq!(rt.pull_duration("nosuch"), None);
}

#[test]
fn second_bind_in_a_pod_fails() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "two", "10.244.0.98");
    let a = container(&mut rt, sb, "registry.k8s.io/e2e-test-images/agnhost:2.40", &[], &["liveness"]);
    let b = container(&mut rt, sb, "registry.k8s.io/e2e-test-images/agnhost:2.40", &[], &["liveness"]);
    rt.start_container(0, a).unwrap();
    rt.start_container(0, b).unwrap();
    assert_eq!(log_text(&rt, b), "2026/11/25 10:00:00 listen tcp :8080: bind: address already in use\n");
    assert!(matches!(rt.container_state(b), ContainerState::Exited { exit_code: 1, .. }));
    assert!(matches!(rt.container_state(a), ContainerState::Running { .. }));
}

#[test]
fn stress_image_memory_limits() {
    // kubernetes.io "Assign Memory Resources": 150M under a 200Mi limit runs; 250M over 100Mi is OOMKilled.
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "memory-demo", "10.244.0.99");
    let normalized = match rt.resolve_image("polinux/stress") {
        ImageLookup::Found { normalized, .. } => normalized,
        other => panic!("{other:?}"),
    };
    let mk = |rt: &mut Runtime, bytes: &str, limit: u64| {
        rt.create_container(
            0,
            sb,
            ContainerConfig {
                name: "memory-demo-ctr".into(),
                image: normalized.clone(),
                command: s(&["stress"]),
                args: s(&["--vm", "1", "--vm-bytes", bytes, "--vm-hang", "1"]),
                memory_limit_bytes: Some(limit),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let ok = mk(&mut rt, "150M", 200 << 20);
    rt.start_container(0, ok).unwrap();
    assert!(rt.advance(60_000).is_empty());
    assert_eq!(log_text(&rt, ok), "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n");
    let oom = mk(&mut rt, "250M", 100 << 20);
    rt.start_container(60_000, oom).unwrap();
    assert_eq!(rt.advance(61_000), vec![RuntimeEvent::ContainerExited { id: oom, at: 60_005, exit_code: 137, reason: "OOMKilled".into() }]);
}

/// The prober's status-only GET (remembered between unchanged probes) must leave exactly the
/// same trace as full requests: statuses, access-log lines, nginx's connection counter in its
/// error lines, and a changed file must be seen at once.
#[test]
fn status_only_probes_match_full_requests() {
    let run = |remembered: bool| -> (Vec<u16>, String) {
        let mut rt = runtime(BusyboxVersion::V1_37);
        let sb = pod(&mut rt, "web", "10.244.0.9");
        let c = container(&mut rt, sb, "nginx:1.27.4", &[], &[]);
        rt.start_container(0, c).unwrap();
        let h = vec![("User-Agent".to_string(), "kube-probe/1.36".to_string()), ("Accept".to_string(), "*/*".to_string())];
        let mut statuses = Vec::new();
        let mut probe = |rt: &mut Runtime, t: Millis| {
            let status = if remembered {
                match rt.http_get_status(t, "10.244.0.9", 80, "/", &h, 1_000) {
                    HttpStatusOutcome::Status(s) => s,
                    other => panic!("{other:?}"),
                }
            } else {
                match rt.http_get(t, "10.244.0.9", 80, "/", &h, 1_000) {
                    HttpOutcome::Response { status, .. } => status,
                    other => panic!("{other:?}"),
                }
            };
            statuses.push(status);
        };
        for t in (1..=5).map(|i| i * 10_000) {
            probe(&mut rt, t);
        }
        exec(&mut rt, 55_000, c, &["rm", "/usr/share/nginx/html/index.html"]);
        for t in (6..=8).map(|i| i * 10_000) {
            probe(&mut rt, t);
        }
        exec(&mut rt, 85_000, c, &["sh", "-c", "echo back > /usr/share/nginx/html/index.html"]);
        for t in (9..=12).map(|i| i * 10_000) {
            probe(&mut rt, t);
        }
        (statuses, log_text(&rt, c))
    };
    let (full_statuses, full_log) = run(false);
    let (statuses, log) = run(true);
    assert_eq!(full_statuses, [200, 200, 200, 200, 200, 403, 403, 403, 200, 200, 200, 200]);
    assert_eq!(statuses, full_statuses);
    assert_eq!(log, full_log);
    assert!(log.contains("*8 directory index of \"/usr/share/nginx/html/\" is forbidden"), "{log}");
}

/// Remembered execs of pure readers (`test`, `cat FILE`) answer as a real run would: a change
/// to the files is seen at once, a file in a shared volume too, and the pids they use are
/// still used (the next process gets the same pid as without memory).
#[test]
fn remembered_reader_execs_see_file_changes_and_use_pids() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "p", "10.244.0.7");
    let c = container(&mut rt, sb, "busybox:1.36", &["sh", "-c", "touch /tmp/ok; sleep 3600"], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(1_000);
    let pid = |rt: &mut Runtime, t| exec(rt, t, c, &["sh", "-c", "echo $$"]).0.trim().parse::<u32>().unwrap();
    let first = pid(&mut rt, 2_000);
    for i in 0..3 {
        assert_eq!(exec(&mut rt, 3_000 + i, c, &["test", "-e", "/tmp/ok"]), (String::new(), 0));
        assert_eq!(exec(&mut rt, 3_100 + i, c, &["cat", "/tmp/ok"]), (String::new(), 0));
    }
    // Six reader execs, one pid each, whether remembered or run.
    assert_eq!(pid(&mut rt, 4_000), first + 7);
    exec(&mut rt, 5_000, c, &["sh", "-c", "echo changed > /tmp/ok"]);
    assert_eq!(exec(&mut rt, 6_000, c, &["cat", "/tmp/ok"]), ("changed\n".into(), 0));
    exec(&mut rt, 7_000, c, &["rm", "/tmp/ok"]);
    assert_eq!(exec(&mut rt, 8_000, c, &["test", "-e", "/tmp/ok"]), (String::new(), 1));
    assert_eq!(exec(&mut rt, 8_100, c, &["cat", "/tmp/ok"]), ("cat: can't open '/tmp/ok': No such file or directory\n".into(), 1));
    assert_eq!(exec(&mut rt, 8_200, c, &["cat", "/tmp/ok"]), ("cat: can't open '/tmp/ok': No such file or directory\n".into(), 1));
}
