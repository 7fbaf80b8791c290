//! agnhost (`registry.k8s.io/e2e-test-images/agnhost`), Kubernetes' e2e test image: one Go
//! binary on alpine (`test/images/agnhost/BASEIMAGE`: alpine 3.12 for 2.40; the Dockerfile adds
//! `bash` and `curl` with apk, here `/bin/bash` and `/usr/bin/curl`, see `applets::bash` and
//! `applets/curl.rs`) whose first argument picks the program (`pause` by default):
//! `liveness`, `netexec`, `serve-hostname`, `pause`, `entrypoint-tester`. The image's Dockerfile
//! links `/agnhost-2` to it for the entrypoint tests (`ln -s agnhost agnhost-2`); podplay's
//! filesystem has no symbolic links, so `/agnhost-2` is a second entry of the same program.

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::clock;
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, Serving, SigReaction, SignalDelivery};
use crate::servers::{go_not_found, go_response, url_path, Request, Response};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage =
    CatalogImage { repos: &["registry.k8s.io/e2e-test-images/agnhost"], config, programs: &[("agnhost", start)] };

fn config(r: &ImageRef) -> Option<ImageInfo> {
    if !r.tag.starts_with("2.") && r.tag != "latest" {
        return None;
    }
    let created = 1_730_000_000;
    Some(ImageInfo {
        entrypoint: words(&["/agnhost"]),
        cmd: words(&["pause"]),
        env: env(&[("PATH", PATH_DEFAULT)]),
        userland: Userland::Busybox(BusyboxVersion::V1_37),
        // `apk add bind-tools curl netcat-openbsd iproute2 iperf bash`: of these, bash and
        // curl (the e2e tests' `/bin/bash -c` and `curl` hooks).
        files: vec![
            program_file("/agnhost", "agnhost", created),
            program_file("/agnhost-2", "agnhost", created),
            program_file("/bin/bash", "bash", created),
            program_file("/usr/bin/curl", "curl", created),
        ],
        ..r.config(created, 52_000_000)
    })
}

fn start(launch: &mut Launch) -> Applet {
    let subcommand = launch.argv.get(1).cloned().unwrap_or_else(|| "pause".into());
    match subcommand.as_str() {
        "liveness" => super::liveness::start_agnhost(launch),
        "netexec" => start_netexec(launch),
        "serve-hostname" => start_serve_hostname(launch),
        "pause" => launch.program(Pause, launch.logs(Stream::Stdout, vec!["Paused".into()])),
        // Prints every argument the binary was started with (`fmt.Printf("%v\n", os.Args)`)
        // and exits.
        "entrypoint-tester" => Applet::Fail { output: vec![(Stream::Stdout, format!("[{}]", launch.argv.join(" ")))], code: 0 },
        other => Applet::ExecInto {
            argv: vec![],
            output: vec![
                (Stream::Stderr, format!("Error: unknown command \"{other}\" for \"app\"")),
                (Stream::Stderr, "Run 'app --help' for usage.".into()),
            ],
        }
        .exit_with(1),
    }
}

/// `netexec`: HTTP on `--http-port` (8080) and UDP on `--udp-port` (8081; negative: none).
fn start_netexec(launch: &mut Launch) -> Applet {
    let http: u16 = launch.flag("--http-port").and_then(|p| p.parse().ok()).unwrap_or(8080);
    let udp: i32 = launch.flag("--udp-port").and_then(|p| p.parse().ok()).unwrap_or(8081);
    let stamp = launch.log_stamp();
    let mut lines = vec![format!("{stamp} Started HTTP server on port {http}")];
    if udp >= 0 {
        lines.push(format!("{stamp} Started UDP server on port  {udp}"));
    }
    let mut timeline = launch.logs(Stream::Stderr, lines);
    timeline.push((launch.now, Action::Listen(http)));
    launch.program(Netexec, timeline)
}

/// `serve-hostname`: answers every request with the pod's hostname, on `--port` (9376).
fn start_serve_hostname(launch: &mut Launch) -> Applet {
    let port: u16 = launch.flag("--port").and_then(|p| p.parse().ok()).unwrap_or(9376);
    let mut timeline = launch.logs(Stream::Stderr, vec![format!("{} Serving on port {port}.", launch.log_stamp())]);
    timeline.push((launch.now, Action::Listen(port)));
    launch.program(ServeHostname, timeline)
}

/// `pause`: waits for a signal.
struct Pause;

impl Behavior for Pause {
    /// SIGTERM: exit 2; SIGINT: exit 1; others are ignored.
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        match signal.sig {
            15 => signal.exit(2),
            2 => signal.exit(1),
            _ => SigReaction::Ignore,
        }
    }
}

struct Netexec;

impl Behavior for Netexec {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        super::go::on_signal(signal)
    }

    /// Its endpoints (`/`, `/hostname`, `/clientip`, `/healthz`, `/echo`, `/exit`, `/shutdown`),
    /// each request logged.
    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        let query = req.path.split_once('?').map(|(_, q)| q).unwrap_or("");
        let param = |k: &str| query.split('&').filter_map(|kv| kv.split_once('=')).find(|(a, _)| *a == k).map(|(_, b)| b.to_string());
        let path = url_path(req.path);
        let mut answer = match path {
            "/" => go_response(200, format!("NOW: {}", now_text(at)).into_bytes(), at.wall),
            "/hostname" | "/hostName" => go_response(200, at.hostname.as_bytes().to_vec(), at.wall),
            "/clientip" => go_response(200, format!("{}:{}", req.client_ip, req.client_port).into_bytes(), at.wall),
            "/healthz" => go_response(200, Vec::new(), at.wall),
            "/echo" => {
                let code = param("code").and_then(|c| c.parse().ok()).unwrap_or(200);
                go_response(code, param("msg").unwrap_or_default().into_bytes(), at.wall)
            }
            "/exit" | "/shutdown" => {
                let code = if path == "/shutdown" { 0 } else { param("code").and_then(|c| c.parse().ok()).unwrap_or(0) };
                Response { exit: Some(code), ..go_response(200, Vec::new(), at.wall) }
            }
            _ => go_not_found(at.wall),
        };
        answer.logs.insert(0, (Stream::Stderr, format!("{} GET {}", clock::slash_stamp(at.wall), req.path)));
        answer
    }
}

/// `/`'s `time.Now()`, with its monotonic reading (the time since start).
fn now_text(at: &Serving) -> String {
    let c = clock::civil(at.wall);
    let (secs, millis) = (at.elapsed / 1000, at.elapsed % 1000);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}.000000000 +0000 UTC m=+{secs}.{millis:03}000000",
        c.year, c.month, c.day, c.hour, c.min, c.sec
    )
}

/// `serve-hostname`: the pod's hostname to every request; on SIGTERM or SIGINT it waits a
/// minute for the pod's deletion before it exits.
struct ServeHostname;

impl Behavior for ServeHostname {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        let name = match signal.sig {
            15 => "terminated",
            2 => "interrupt",
            _ => return SigReaction::Ignore,
        };
        let (now, stamp) = (signal.now, signal.log_stamp());
        SigReaction::Actions(vec![
            (now, Action::Log(Stream::Stderr, format!("{stamp} Shutting down after receiving signal: {name}."))),
            (now, Action::Log(Stream::Stderr, format!("{stamp} Awaiting pod deletion."))),
            (now + 60_000, Action::Exit(0)),
        ])
    }

    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        let mut answer = go_response(200, at.hostname.as_bytes().to_vec(), at.wall);
        let line = format!("{} HTTP request from {}:{}", clock::slash_stamp(at.wall), req.client_ip, req.client_port);
        answer.logs.push((Stream::Stderr, line));
        answer
    }
}
