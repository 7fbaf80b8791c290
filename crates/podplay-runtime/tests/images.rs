//! The image catalog through the Runtime API: resolution and pull errors, start failures per runtime flavour, environment order, each catalog image's program, author images (images.md §2, §3).

mod common;

use common::*;
use podplay_runtime::*;

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
    // A repository Docker Hub has not: an authorization failure (code Unknown).
    assert_eq!(
        rt.resolve_image("nosuch:1"),
        ImageLookup::NotFound {
            pull_error: "rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/library/nosuch:1\": failed to resolve reference \"docker.io/library/nosuch:1\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed".into()
        }
    );
    // A tag missing from a repository it has (an official image podplay runs generically): NotFound.
    assert_eq!(
        rt.resolve_image("postgres:nosuch"),
        ImageLookup::NotFound {
            pull_error: "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/postgres:nosuch\": failed to resolve reference \"docker.io/library/postgres:nosuch\": docker.io/library/postgres:nosuch: not found".into()
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
    // nginx's stable line of 2026 is the catalog's nginx, alpine variant included.
    assert!(matches!(rt.resolve_image("nginx:1.30-alpine"), ImageLookup::Found { .. }) && !rt.image_is_generic("nginx:1.30-alpine"));
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
    // netexec.go logs `GET /echo?msg=%s&code=%s`.
    assert!(log_text(&rt, c).ends_with("2026/11/25 10:00:01 GET /hostname\n2026/11/25 10:00:01 GET /echo?msg=hi&code=\n"));
    // /exit?code=3 ends the server before it answers (netexec.go `exitHandler`: `os.Exit`).
    assert_eq!(rt.http_get(2_000, "10.244.0.90", 8080, "/exit?code=3", &[], 1_000), HttpOutcome::Closed);
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

/// Kubernetes' e2e busybox (`registry.k8s.io/e2e-test-images/busybox`, a mirror of the official
/// image): the tags `test/utils/image/manifest.go` names, each the busybox release it names.
#[test]
fn e2e_busybox_is_the_release_its_tag_names() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    // 1.29-x runs, with the texts of the nearest release podplay models (as busybox:1.29 does).
    let sb = pod(&mut rt, "old", "10.244.0.79");
    let c = container(&mut rt, sb, "registry.k8s.io/e2e-test-images/busybox:1.29-2", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(exec(&mut rt, 1_000, c, &["sh", "-c", "echo ok"]), ("ok\n".into(), 0));
    for (tag, banner) in [
        ("1.36.1-1", "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary."),
        ("1.37.0-1", "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary."),
    ] {
        let sb = pod(&mut rt, "bb", "10.244.0.80");
        let c = container(&mut rt, sb, &format!("registry.k8s.io/e2e-test-images/busybox:{tag}"), &["sleep", "3600"], &[]);
        rt.start_container(0, c).unwrap();
        let (out, code) = exec(&mut rt, 1_000, c, &["sh", "-c", "busybox 2>&1 | head -1"]);
        assert_eq!((out.as_str(), code), (format!("{banner}\n").as_str(), 0), "{tag}");
        rt.stop_container(2_000, c, 0);
        rt.stop_sandbox(2_000, sb);
    }
    assert!(matches!(rt.resolve_image("registry.k8s.io/e2e-test-images/busybox:1.36"), ImageLookup::NotFound { .. }));
}

/// Kubernetes' e2e nginx (a mirror of `nginx:1.14-alpine`, `NginxNew` of `nginx:1.15-alpine`):
/// nginx is the command itself, its nginx.conf keeps notices out of the error log and runs one
/// worker, and the pages are those of the time.
#[test]
fn e2e_nginx_is_the_alpine_image_of_1_14() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "ng", "10.244.0.81");
    let c = container(&mut rt, sb, "registry.k8s.io/e2e-test-images/nginx:1.14-4", &[], &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(log_text(&rt, c), "", "no entrypoint script, no notices");
    match rt.http_get(1_000, "10.244.0.81", 80, "/", &[], 1_000) {
        HttpOutcome::Response { status, headers, body, .. } => {
            assert_eq!((status, body.len()), (200, 612));
            assert!(headers.contains(&("Server".into(), "nginx/1.14.2".into())), "{headers:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        log_text(&rt, c).starts_with("10.244.0.1 - - [25/Nov/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 612 "),
        "{}",
        log_text(&rt, c)
    );
    let (out, _) = exec(&mut rt, 2_000, c, &["sh", "-c", "ps | grep -c 'nginx: worker'; wc -c < /usr/share/nginx/html/50x.html"]);
    assert_eq!(out, "1\n537\n");
    rt.signal(3_000, c, Signal::Term);
    let ev = rt.advance(3_000);
    assert_eq!(ev, vec![RuntimeEvent::ContainerExited { id: c, at: 3_000, exit_code: 0, reason: "Completed".into() }]);
    assert!(!log_text(&rt, c).contains("[notice]"), "{}", log_text(&rt, c));
    match rt.resolve_image("registry.k8s.io/e2e-test-images/nginx:1.15-4") {
        ImageLookup::Found { normalized, .. } => assert_eq!(normalized, "registry.k8s.io/e2e-test-images/nginx:1.15-4"),
        other => panic!("{other:?}"),
    }
}

/// A container of `image` with this environment and the image's own command.
fn container_with_env(rt: &mut Runtime, sb: SandboxId, image: &str, env: &[(&str, &str)]) -> ContainerId {
    let ImageLookup::Found { normalized, .. } = rt.resolve_image(image) else { panic!("{image}") };
    let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    rt.create_container(0, sb, ContainerConfig { name: "c".into(), image: normalized, env, ..Default::default() }).unwrap()
}

fn size_of(rt: &Runtime, image: &str) -> u64 {
    match rt.resolve_image(image) {
        ImageLookup::Found { size_bytes, .. } => size_bytes,
        other => panic!("{image}: {other:?}"),
    }
}

#[test]
fn generic_official_images_pull_with_believable_tags() {
    let rt = runtime(BusyboxVersion::V1_37);
    for image in
        ["mongo", "postgres:16", "node:20", "ubuntu:24.04", "debian:bookworm-slim", "node:20.11.1-bookworm-slim", "rabbitmq:3-management"]
    {
        assert!(rt.image_is_generic(image), "{image}");
    }
    // Catalog images keep their own model.
    assert!(!rt.image_is_generic("nginx") && !rt.image_is_generic("busybox"));
    // Size classes: small variants, plain images, large runtimes and servers.
    assert_eq!(size_of(&rt, "debian:bookworm-slim"), 3_846_391);
    assert_eq!(size_of(&rt, "ubuntu:24.04"), 41_568_664);
    assert_eq!(size_of(&rt, "postgres:16-alpine"), 62_808_818);
    assert_eq!(size_of(&rt, "node:20"), 442_394_221);
    // A tag no registry would have is missing; a repository Docker Hub has not is denied.
    let not_found = "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/ubuntu:nosuch\": failed to resolve reference \"docker.io/library/ubuntu:nosuch\": docker.io/library/ubuntu:nosuch: not found";
    assert_eq!(rt.resolve_image("ubuntu:nosuch"), ImageLookup::NotFound { pull_error: not_found.into() });
    assert!(matches!(rt.resolve_image("postgress:16"), ImageLookup::NotFound { pull_error } if pull_error.contains("pull access denied")));
}

#[test]
fn generic_ubuntu_and_node_exit_at_once_without_a_tty() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "u", "10.244.0.30");
    let c = container_with_env(&mut rt, sb, "ubuntu:24.04", &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.advance(1_000), vec![RuntimeEvent::ContainerExited { id: c, at: 0, exit_code: 0, reason: "Completed".into() }]);
    for image in ["node:20", "golang:1.25", "ruby:3.4", "eclipse-temurin:21"] {
        let c = container_with_env(&mut rt, sb, image, &[]);
        rt.start_container(1_000, c).unwrap();
        assert_eq!(rt.advance(1_000), vec![RuntimeEvent::ContainerExited { id: c, at: 1_000, exit_code: 0, reason: "Completed".into() }]);
    }
    // A command runs over the busybox userland.
    let c = container(&mut rt, sb, "node:20", &["sh", "-c", "echo hello from $HOSTNAME; sleep 2"], &[]);
    rt.start_container(2_000, c).unwrap();
    assert_eq!(rt.advance(5_000), vec![RuntimeEvent::ContainerExited { id: c, at: 4_000, exit_code: 0, reason: "Completed".into() }]);
    assert_eq!(log_text(&rt, c), "hello from u\n");
}

#[test]
fn generic_postgres_needs_a_password() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "pg", "10.244.0.31");
    let c = container_with_env(&mut rt, sb, "postgres:16", &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.advance(1_000), vec![RuntimeEvent::ContainerExited { id: c, at: 0, exit_code: 1, reason: "Error".into() }]);
    let text = log_text(&rt, c);
    assert!(text.starts_with("Error: Database is uninitialized and superuser password is not specified.\n"), "{text}");
    assert!(text.ends_with("       https://www.postgresql.org/docs/current/auth-trust.html\n"), "{text}");

    let c = container_with_env(&mut rt, sb, "postgres:16", &[("POSTGRES_PASSWORD", "secret")]);
    rt.start_container(1_000, c).unwrap();
    assert!(rt.advance(2_000).is_empty());
    assert_eq!(rt.tcp_connect(2_000, "10.244.0.31", 5432, 1_000), TcpOutcome::Connected);
    assert_eq!(log_text(&rt, c), "\nPostgreSQL init process complete; ready for start up.\n\n");
    // STOPSIGNAL SIGINT: the stand-in server ends cleanly.
    rt.stop_container(3_000, c, 30);
    assert_eq!(rt.advance(4_000), vec![RuntimeEvent::ContainerExited { id: c, at: 3_000, exit_code: 0, reason: "Completed".into() }]);
}

#[test]
fn generic_mysql_needs_a_password_option() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "db", "10.244.0.32");
    let c = container_with_env(&mut rt, sb, "mysql:8.4", &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.advance(1_000), vec![RuntimeEvent::ContainerExited { id: c, at: 0, exit_code: 1, reason: "Error".into() }]);
    assert_eq!(
        log_text(&rt, c),
        "2026-11-25 10:00:00+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.10-1.el9 started.\n\
         2026-11-25 10:00:00+00:00 [Note] [Entrypoint]: Switching to dedicated user 'mysql'\n\
         2026-11-25 10:00:00+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.10-1.el9 started.\n\
         2026-11-25 10:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    \
         You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n"
    );
    let c = container_with_env(&mut rt, sb, "mysql", &[("MYSQL_ROOT_PASSWORD", "x"), ("MYSQL_DATABASE", "shop")]);
    rt.start_container(1_000, c).unwrap();
    assert!(rt.advance(2_000).is_empty());
    assert_eq!(rt.tcp_connect(2_000, "10.244.0.32", 3306, 1_000), TcpOutcome::Connected);
    let text = log_text(&rt, c);
    assert!(text.contains("[Entrypoint]: Creating database shop\n") && text.contains("MySQL Server 9.7.1-1.el9 started."), "{text}");
}

#[test]
fn generic_mongo_needs_both_root_variables_or_neither() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "mongo", "10.244.0.33");
    let c = container_with_env(&mut rt, sb, "mongo:8.0", &[("MONGO_INITDB_ROOT_USERNAME", "admin")]);
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.advance(1_000), vec![RuntimeEvent::ContainerExited { id: c, at: 0, exit_code: 1, reason: "Error".into() }]);
    assert_eq!(
        log_text(&rt, c),
        "\nerror: missing 'MONGO_INITDB_ROOT_USERNAME' or 'MONGO_INITDB_ROOT_PASSWORD'\n       both must be specified for a user to be created\n\n"
    );
    let c = container_with_env(&mut rt, sb, "mongo", &[]);
    rt.start_container(1_000, c).unwrap();
    assert!(rt.advance(2_000).is_empty());
    assert_eq!(rt.tcp_connect(2_000, "10.244.0.33", 27017, 1_000), TcpOutcome::Connected);
    assert_eq!(log_text(&rt, c), "");
}

#[test]
fn generic_hello_world_prints_its_message_and_exits() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    assert_eq!(size_of(&rt, "hello-world"), 10_072);
    let sb = pod(&mut rt, "hello", "10.244.0.34");
    let c = container_with_env(&mut rt, sb, "hello-world", &[]);
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.advance(1_000), vec![RuntimeEvent::ContainerExited { id: c, at: 0, exit_code: 0, reason: "Completed".into() }]);
    let text = log_text(&rt, c);
    assert!(
        text.starts_with("\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n"),
        "{text}"
    );
    assert!(text.ends_with(" https://docs.docker.com/get-started/\n\n"), "{text}");
    // FROM scratch: no shell.
    let config = ContainerConfig {
        name: "sh".into(),
        image: "docker.io/library/hello-world:latest".into(),
        command: s(&["sh"]),
        ..Default::default()
    };
    let id = rt.create_container(0, sb, config).unwrap();
    assert!(rt.start_container(0, id).unwrap_err().message.contains("exec: \"sh\": executable file not found in $PATH"));
}

#[test]
fn real_redis_tags_the_catalog_does_not_model_are_generic() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    assert!(!rt.image_is_generic("redis:7.0.15"));
    assert!(rt.image_is_generic("redis:7.2") && rt.image_is_generic("redis:8-alpine"));
    assert!(matches!(rt.resolve_image("redis:9"), ImageLookup::NotFound { .. }));
    let sb = pod(&mut rt, "cache", "10.244.0.35");
    let c = container_with_env(&mut rt, sb, "redis:7.4", &[]);
    rt.start_container(0, c).unwrap();
    assert!(rt.advance(1_000).is_empty());
    assert_eq!(rt.tcp_connect(1_000, "10.244.0.35", 6379, 1_000), TcpOutcome::Connected);
    // Its entrypoint gives options to redis-server, as the catalog's does.
    let sb = pod(&mut rt, "cache2", "10.244.0.36");
    let c = container(&mut rt, sb, "redis:8", &[], &["--appendonly", "yes"]);
    rt.start_container(1_000, c).unwrap();
    assert_eq!(rt.advance(2_000), vec![], "{}", log_text(&rt, c));
    let (ps, _) = exec(&mut rt, 2_000, c, &["ps"]);
    assert!(ps.contains("redis-server --appendonly yes"), "{ps}");
}
