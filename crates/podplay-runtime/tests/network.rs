//! The pod network through the Runtime API: HTTP and TCP answers to probes and between pods, Services and their endpoints, binds (images.md §6).

mod common;

use common::*;
use podplay_runtime::*;

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
