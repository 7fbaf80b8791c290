//! gRPC health checks through the Runtime API: agnhost `grpc-health-checking` answers them on
//! its gRPC port and flips its state on its HTTP port; a port that speaks HTTP/1 (or nothing)
//! gives no gRPC connection.

mod common;

use common::*;
use podplay_runtime::*;

const AGNHOST: &str = "registry.k8s.io/e2e-test-images/agnhost:2.40";
const IP: &str = "10.244.0.5";

fn grpc_server(args: &[&str]) -> (Runtime, ContainerId) {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "grpc", IP);
    let c = container(&mut rt, sb, AGNHOST, &["/agnhost", "grpc-health-checking"], args);
    rt.start_container(0, c).unwrap();
    (rt, c)
}

fn status(s: HealthStatus) -> GrpcHealthOutcome {
    GrpcHealthOutcome::Answered(GrpcHealthAnswer::Status(s))
}

fn get(rt: &mut Runtime, now: Millis, path: &str) -> (u16, String) {
    match rt.http_get(now, IP, 8080, path, &[], 1_000) {
        HttpOutcome::Response { status, body, .. } => (status, String::from_utf8(body).unwrap()),
        other => panic!("{path}: {other:?}"),
    }
}

#[test]
fn serves_until_made_not_serving_and_back() {
    let (mut rt, c) = grpc_server(&[]);
    assert_eq!(rt.grpc_health_check(1_000, IP, 5000, "", 1_000), status(HealthStatus::Serving));
    assert_eq!(get(&mut rt, 2_500, "/make-not-serving"), (200, "2.5s".into()));
    assert_eq!(rt.grpc_health_check(3_000, IP, 5000, "", 1_000), status(HealthStatus::NotServing));
    assert_eq!(get(&mut rt, 4_000, "/make-serving"), (200, "4s".into()));
    assert_eq!(rt.grpc_health_check(5_000, IP, 5000, "", 1_000), status(HealthStatus::Serving));
    assert_eq!(get(&mut rt, 5_000, "/other").0, 404);
    let log = log_text(&rt, c);
    let lines: Vec<&str> = log.lines().map(|l| l.split_once(" log.go:245] ").map_or(l, |(_, m)| m)).collect();
    let check = "Serving the Check request for health check, started at 2026-11-25 10:00:00 +0000 UTC m=+0.000000000";
    assert_eq!(
        lines,
        [
            "Http server starting to listen on :8080",
            "gRPC server starting to listen on :5000",
            check,
            "Mark as unhealthy",
            check,
            "Mark as healthy",
            check
        ]
    );
    assert!(log.starts_with("I1125 10:00:00.000000       1 log.go:245] Http server"), "{log}");
}

#[test]
fn answers_not_serving_after_the_delay_and_not_found_for_other_services() {
    let (mut rt, _) = grpc_server(&["--delay-unhealthy-sec", "10", "--service=liveness", "--port", "7000"]);
    assert_eq!(rt.grpc_health_check(9_999, IP, 7000, "liveness", 1_000), status(HealthStatus::Serving));
    assert_eq!(rt.grpc_health_check(10_000, IP, 7000, "liveness", 1_000), status(HealthStatus::NotServing));
    let not_found = GrpcHealthAnswer::Error { code: GrpcCode::NotFound, message: "unknown service".into() };
    assert_eq!(rt.grpc_health_check(10_000, IP, 7000, "", 1_000), GrpcHealthOutcome::Answered(not_found));
    // Its HTTP port and a port nobody listens on give no gRPC connection; a GET to the gRPC port
    // is closed unanswered.
    assert_eq!(rt.grpc_health_check(10_000, IP, 8080, "liveness", 1_000), GrpcHealthOutcome::NotConnected);
    assert_eq!(rt.grpc_health_check(10_000, IP, 2333, "liveness", 1_000), GrpcHealthOutcome::NotConnected);
    assert_eq!(rt.http_get(10_000, IP, 7000, "/", &[], 1_000), HttpOutcome::Closed);
}

#[test]
fn http_servers_do_not_speak_grpc() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "web", IP);
    let c = container(&mut rt, sb, "nginx:1.25", &[], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(1_000);
    assert_eq!(rt.tcp_connect(1_000, IP, 80, 1_000), TcpOutcome::Connected);
    assert_eq!(rt.grpc_health_check(1_000, IP, 80, "", 1_000), GrpcHealthOutcome::NotConnected);
}

#[test]
fn bad_flags_and_taken_ports_end_it() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "grpc", IP);
    let c = container(&mut rt, sb, AGNHOST, &["/agnhost", "grpc-health-checking"], &["--port", "x"]);
    rt.start_container(0, c).unwrap();
    rt.advance(1_000);
    assert!(matches!(rt.container_state(c), ContainerState::Exited { exit_code: 1, .. }));
    assert_eq!(log_text(&rt, c), "Error: invalid argument \"x\" for \"--port\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n");
    let (mut rt, c) = grpc_server(&["--port", "8080"]);
    rt.advance(1_000);
    assert!(matches!(rt.container_state(c), ContainerState::Exited { exit_code: 1, .. }));
    assert!(log_text(&rt, c).ends_with("] Error while starting the listening service listen tcp :8080: bind: address already in use\n"));
    let (mut rt, c) = grpc_server(&["--http-port", "70000"]);
    rt.advance(1_000);
    assert!(log_text(&rt, c).ends_with("] listen tcp: address 70000: invalid port\n"), "{}", log_text(&rt, c));
}
