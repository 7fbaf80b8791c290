//! agnhost `grpc-health-checking` (kubernetes/kubernetes
//! `test/images/agnhost/grpc-health-checking/grpc-health-checking.go`): a gRPC server on `--port`
//! (5000) with only the health service, answering `Check` for the one service name `--service`
//! ("", the server's overall health) with SERVING, then NOT_SERVING once `--delay-unhealthy-sec`
//! (-1: never) have passed; HTTP on `--http-port` (8080), whose `/make-not-serving` forces
//! NOT_SERVING and `/make-serving` lifts that force (the delay still applies).
//!
//! agnhost runs under component-base's `cli.Run`, whose `logs.InitLogs` sends the standard `log`
//! package through klog: each `log.Printf` is a klog info line on stderr,
//! `I1010 22:55:04.772001       1 log.go:245] MESSAGE` (a captured agnhost 2.53 log; the line
//! number is that of Go's own `log.go` at the release agnhost was built with).

use podplay_k8s_util::duration::go_duration_string;

use super::Launch;
use crate::applets::Applet;
use crate::clock;
use crate::io::Stream;
use crate::programs::{Action, Behavior, GrpcReply, Serving, SigReaction, SignalDelivery, Wire};
use crate::servers::{go_not_found, go_response, url_path, Request, Response};
use crate::types::{GrpcCode, GrpcHealthAnswer, HealthStatus, Millis};

/// Starts the program from its flags (cobra's `IntVar`/`StringVar` defaults).
pub(super) fn start(launch: &mut Launch) -> Applet {
    let flags = match Flags::parse(launch) {
        Ok(flags) => flags,
        Err(error) => return Applet::Fail { output: vec![(Stream::Stderr, error)], code: 1 },
    };
    let server = Server {
        pid: launch.pid,
        started_wall_ms: launch.wall_ms(),
        grpc_port: flags.port,
        service: flags.service.clone(),
        delay_unhealthy_sec: flags.delay_unhealthy_sec,
        force_unhealthy: None,
    };
    let timeline = flags.startup(launch.now, &server);
    launch.program(server, timeline)
}

struct Flags {
    port: i64,
    http_port: i64,
    delay_unhealthy_sec: i64,
    service: String,
}

impl Flags {
    /// The flags, or cobra's error for a number that does not parse. (`cli.Run` prints the
    /// command's usage text before that error; podplay prints the error alone.)
    fn parse(launch: &Launch) -> Result<Flags, String> {
        let int = |name: &str, default: i64| -> Result<i64, String> {
            match launch.flag(name) {
                None => Ok(default),
                Some(v) => v.parse().map_err(|_| {
                    let quoted = podplay_k8s_util::gofmt::quote(&v);
                    format!("Error: invalid argument {quoted} for \"{name}\" flag: strconv.ParseInt: parsing {quoted}: invalid syntax")
                }),
            }
        };
        Ok(Flags {
            port: int("--port", 5000)?,
            http_port: int("--http-port", 8080)?,
            delay_unhealthy_sec: int("--delay-unhealthy-sec", -1)?,
            service: launch.flag("--service").unwrap_or_default(),
        })
    }

    /// `main`: the HTTP goroutine logs and listens (its line comes first in captured logs), then
    /// the gRPC listener opens and logs. A port Go cannot bind ends the program with
    /// `log.Fatal`; port 0 binds a port of the kernel's choosing, which podplay leaves unnamed
    /// (nothing can reach it).
    fn startup(&self, now: Millis, server: &Server) -> Vec<(Millis, Action)> {
        let wall_ms = server.started_wall_ms;
        let log = |msg: String| (now, Action::Log(Stream::Stderr, klog_info(wall_ms, server.pid, &msg)));
        let mut timeline = vec![log(format!("Http server starting to listen on :{}", self.http_port))];
        match valid_port(self.http_port) {
            Err(e) => return vec![timeline.remove(0), log(e), (now, Action::Exit(1))],
            Ok(Some(port)) => timeline.push((now, Action::Listen(port))),
            Ok(None) => {}
        }
        match valid_port(self.port) {
            Err(e) => {
                return [timeline, vec![log(format!("Error while starting the listening service {e}")), (now, Action::Exit(1))]].concat()
            }
            Ok(Some(port)) => timeline.push((now, Action::Listen(port))),
            Ok(None) => {}
        }
        timeline.push(log(format!("gRPC server starting to listen on :{}", self.port)));
        timeline
    }
}

/// The port `net.Listen("tcp", ":N")` binds (None: 0, the kernel's choice), or its error.
fn valid_port(port: i64) -> Result<Option<u16>, String> {
    match u16::try_from(port) {
        Ok(0) => Ok(None),
        Ok(p) => Ok(Some(p)),
        Err(_) => Err(format!("listen tcp: address {port}: invalid port")),
    }
}

/// klog's header (`I` severity, `mmdd hh:mm:ss.uuuuuu`, the thread id, which is the pid, in 7
/// columns, the caller's file:line) before a message of the standard `log` package.
fn klog_info(wall_ms: i64, pid: u32, msg: &str) -> String {
    let c = clock::civil(wall_ms.div_euclid(1000));
    let micros = wall_ms.rem_euclid(1000) * 1000;
    format!("I{:02}{:02} {:02}:{:02}:{:02}.{micros:06} {pid:>7} log.go:245] {msg}", c.month, c.day, c.hour, c.min, c.sec)
}

/// Go's `time.Time.String()` of a wall-clock time read with `time.Now()`: the fraction without
/// trailing zeros, then the monotonic reading (`m=`), the time since the process began, which
/// is none here: `main` reads it at the program's first instant.
fn go_time_string(wall_ms: i64) -> String {
    let c = clock::civil(wall_ms.div_euclid(1000));
    let ms = wall_ms.rem_euclid(1000);
    let fraction = if ms == 0 { String::new() } else { format!(".{ms:03}").trim_end_matches('0').to_string() };
    format!("{}-{:02}-{:02} {:02}:{:02}:{:02}{fraction} +0000 UTC m=+0.000000000", c.year, c.month, c.day, c.hour, c.min, c.sec)
}

/// The running program: `HealthChecker` and the two HTTP handlers' shared `forceUnhealthy`.
struct Server {
    pid: u32,
    started_wall_ms: i64,
    grpc_port: i64,
    service: String,
    delay_unhealthy_sec: i64,
    /// Set by `/make-not-serving` (true) and `/make-serving` (false).
    force_unhealthy: Option<bool>,
}

impl Server {
    fn log(&self, elapsed: Millis, msg: &str) -> (Stream, String) {
        (Stream::Stderr, klog_info(self.started_wall_ms + elapsed as i64, self.pid, msg))
    }

    /// `Check`: NotFound for another service name; NOT_SERVING when forced, or once
    /// `duration.Seconds() >= delayUnhealthySec` (a delay of 0 at once, a negative one never).
    fn check(&self, service: &str, elapsed: Millis) -> GrpcHealthAnswer {
        if service != self.service {
            return GrpcHealthAnswer::Error { code: GrpcCode::NotFound, message: "unknown service".into() };
        }
        let delayed = self.delay_unhealthy_sec >= 0 && elapsed as i128 >= self.delay_unhealthy_sec as i128 * 1000;
        if self.force_unhealthy == Some(true) || delayed {
            GrpcHealthAnswer::Status(HealthStatus::NotServing)
        } else {
            GrpcHealthAnswer::Status(HealthStatus::Serving)
        }
    }
}

impl Behavior for Server {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        super::go::on_signal(signal)
    }

    fn wire(&self, port: u16) -> Wire {
        if i64::from(port) == self.grpc_port {
            Wire::Grpc
        } else {
            Wire::Http
        }
    }

    fn grpc_health_check(&mut self, service: &str, at: &Serving) -> GrpcReply {
        let line = format!("Serving the Check request for health check, started at {}", go_time_string(self.started_wall_ms));
        GrpcReply { answer: self.check(service, at.elapsed), logs: vec![self.log(at.elapsed, &line)] }
    }

    /// `/make-not-serving` and `/make-serving`: log, set the force, answer 200 with the time
    /// since start (`time.Duration.String()`); any other path is DefaultServeMux's 404.
    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        let (force, line) = match url_path(req.path) {
            "/make-not-serving" => (true, "Mark as unhealthy"),
            "/make-serving" => (false, "Mark as healthy"),
            _ => return go_not_found(at.wall),
        };
        self.force_unhealthy = Some(force);
        let body = go_duration_string(podplay_k8s_util::duration::ms_to_nanos(at.elapsed as i64));
        let mut answer = go_response(200, body.into_bytes(), at.wall);
        answer.logs.push(self.log(at.elapsed, line));
        answer
    }

    /// `log.Fatal(http.ListenAndServe(...))` for the HTTP port, `log.Fatalf("Error while
    /// starting the listening service %v", ...)` for the gRPC one.
    fn bind_failure(&self, port: u16, wall_ms: i64) -> String {
        let error = format!("listen tcp :{port}: bind: address already in use");
        let msg = if i64::from(port) == self.grpc_port { format!("Error while starting the listening service {error}") } else { error };
        klog_info(wall_ms, self.pid, &msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(delay: i64) -> Server {
        Server { pid: 1, started_wall_ms: 0, grpc_port: 5000, service: String::new(), delay_unhealthy_sec: delay, force_unhealthy: None }
    }

    #[test]
    fn checks_as_health_checker() {
        let mut s = server(10);
        assert_eq!(s.check("", 9_999), GrpcHealthAnswer::Status(HealthStatus::Serving));
        assert_eq!(s.check("", 10_000), GrpcHealthAnswer::Status(HealthStatus::NotServing));
        assert_eq!(s.check("x", 0), GrpcHealthAnswer::Error { code: GrpcCode::NotFound, message: "unknown service".into() });
        s.delay_unhealthy_sec = -1;
        s.force_unhealthy = Some(true);
        assert_eq!(s.check("", 0), GrpcHealthAnswer::Status(HealthStatus::NotServing));
        s.force_unhealthy = Some(false);
        assert_eq!(s.check("", i64::MAX as Millis), GrpcHealthAnswer::Status(HealthStatus::Serving));
    }

    #[test]
    fn log_lines_as_klog_prints_them() {
        assert_eq!(klog_info(5, 16, "hi"), "I0101 00:00:00.005000      16 log.go:245] hi");
        assert_eq!(go_time_string(1_500), "1970-01-01 00:00:01.5 +0000 UTC m=+0.000000000");
        assert_eq!(go_time_string(2_000), "1970-01-01 00:00:02 +0000 UTC m=+0.000000000");
        assert_eq!(valid_port(70_000), Err("listen tcp: address 70000: invalid port".into()));
        assert_eq!(valid_port(-1), Err("listen tcp: address -1: invalid port".into()));
    }
}
