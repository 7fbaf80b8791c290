//! Start-up of the catalog images' programs (nginx, agnhost, liveness, goproxy, pause, redis,
//! python, apache) and of author-defined programs: their first output and timelines.

use crate::applets::Applet;
use crate::clock;
use crate::io::Stream;
use crate::programs::{Action, Prog, ProgKind};
use crate::types::Millis;
use crate::world::World;

fn logs(now: Millis, stream: Stream, lines: Vec<String>) -> Vec<(Millis, Action)> {
    lines.into_iter().map(|l| (now, Action::Log(stream, l))).collect()
}

fn flag_value(argv: &[String], name: &str) -> Option<String> {
    for (i, a) in argv.iter().enumerate() {
        if let Some(v) = a.strip_prefix(&format!("{name}=")) {
            return Some(v.to_string());
        }
        if a == name {
            return argv.get(i + 1).cloned();
        }
    }
    None
}

pub(crate) fn start(w: &mut World, cid: usize, pid: u32, name: &str, argv: &[String], env: &[(String, String)], now: Millis) -> Applet {
    let wall = w.wall_ms(now);
    let stamp = clock::slash_stamp(wall.div_euclid(1000));
    let sandbox = &w.sandboxes[w.containers[cid].sandbox].cfg;
    let pod_ip = sandbox.pod_ip.clone();
    let image_version = match &w.containers[cid].image.env.iter().find(|(k, _)| k == "NGINX_VERSION") {
        Some((_, v)) => v.clone(),
        None => "1.27.4".into(),
    };
    match name {
        "nginx-entrypoint" => {
            // docker-entrypoint.sh (images.md §2.2): only for `nginx`/`nginx-debug` commands.
            let rest: Vec<String> = argv[1..].to_vec();
            let quiet = env.iter().any(|(k, v)| k == "NGINX_ENTRYPOINT_QUIET_LOGS" && !v.is_empty());
            let is_nginx = matches!(rest.first().map(|s| s.as_str()), Some("nginx") | Some("nginx-debug"));
            let mut out = Vec::new();
            if is_nginx && !quiet {
                let e = "/docker-entrypoint.sh";
                out.push(format!("{e}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"));
                out.push(format!("{e}: Looking for shell scripts in /docker-entrypoint.d/"));
                out.push(format!("{e}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"));
                out.push("10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf".into());
                out.push("10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf".into());
                let minor: u32 = image_version.split('.').nth(1).and_then(|m| m.parse().ok()).unwrap_or(27);
                let patch: u32 = image_version.split('.').nth(2).and_then(|m| m.parse().ok()).unwrap_or(0);
                if minor > 25 || (minor == 25 && patch >= 1) {
                    out.push(format!("{e}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh"));
                }
                out.push(format!("{e}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"));
                if minor > 19 || (minor == 19 && patch >= 7) {
                    out.push(format!("{e}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh"));
                }
                out.push(format!("{e}: Configuration complete; ready for start up"));
            }
            Applet::ExecInto { argv: rest, output: out.into_iter().map(|l| (Stream::Stdout, l)).collect() }
        }
        "nginx" => {
            if let Some(i) = argv.iter().position(|a| a == "-s") {
                // `nginx -s quit|stop|reload|reopen`: a helper signals the master (PID 1).
                let sig = match argv.get(i + 1).map(|s| s.as_str()) {
                    Some("quit") => 3,
                    Some("stop") => 15,
                    Some("reload") => 1,
                    Some("reopen") => 10,
                    other => {
                        let what = other.unwrap_or("");
                        return Applet::Fail { output: vec![(Stream::Stderr, format!("nginx: invalid option: \"-s {what}\""))], code: 1 };
                    }
                };
                let line = format!("{stamp} [notice] {pid}#{pid}: signal process started");
                w.signal_process(cid, 1, sig, now, Some(pid));
                return Applet::Fail { output: vec![(Stream::Stderr, line)], code: 0 };
            }
            if argv.iter().any(|a| a == "-v") {
                return Applet::ExecInto { argv: vec![], output: vec![(Stream::Stderr, format!("nginx version: nginx/{image_version}"))] };
            }
            let joined = argv.join(" ");
            if !joined.contains("daemon off") {
                // Without `daemon off;` the master daemonizes: PID 1 returns 0 at once.
                return Applet::Exit(0);
            }
            let workers = w.cfg.node_cpus.max(1);
            let kernel = w.cfg.kernel_release.clone();
            let mut lines = vec![
                format!("{stamp} [notice] 1#1: using the \"epoll\" event method"),
                format!("{stamp} [notice] 1#1: nginx/{image_version}"),
                format!("{stamp} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) "),
                format!("{stamp} [notice] 1#1: OS: Linux {kernel}"),
                format!("{stamp} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576"),
                format!("{stamp} [notice] 1#1: start worker processes"),
            ];
            for i in 0..workers {
                lines.push(format!("{stamp} [notice] 1#1: start worker process {}", 29 + i));
            }
            let mut tl = logs(now, Stream::Stderr, lines);
            tl.push((now, Action::Listen(80)));
            // The entrypoint's scripts used PIDs up to 28; the workers are 29…
            let c = &mut w.containers[cid];
            c.next_pid = c.next_pid.max(29 + workers);
            Applet::Program(Prog::new(ProgKind::Nginx { version: image_version, workers, first_worker: 29 }, now, tl))
        }
        "agnhost" => {
            let sub = argv.get(1).cloned().unwrap_or_else(|| "pause".into());
            match sub.as_str() {
                "liveness" => Applet::Program(Prog::new(ProgKind::GoLiveness, now, vec![(now, Action::Listen(8080))])),
                "netexec" => {
                    let http: u16 = flag_value(argv, "--http-port").and_then(|p| p.parse().ok()).unwrap_or(8080);
                    let udp: i32 = flag_value(argv, "--udp-port").and_then(|p| p.parse().ok()).unwrap_or(8081);
                    let mut lines = vec![format!("{stamp} Started HTTP server on port {http}")];
                    if udp >= 0 {
                        lines.push(format!("{stamp} Started UDP server on port  {udp}"));
                    }
                    let mut tl = logs(now, Stream::Stderr, lines);
                    tl.push((now, Action::Listen(http)));
                    Applet::Program(Prog::new(ProgKind::Netexec, now, tl))
                }
                "serve-hostname" => {
                    let port: u16 = flag_value(argv, "--port").and_then(|p| p.parse().ok()).unwrap_or(9376);
                    let mut tl = logs(now, Stream::Stderr, vec![format!("{stamp} Serving on port {port}.")]);
                    tl.push((now, Action::Listen(port)));
                    Applet::Program(Prog::new(ProgKind::ServeHostname, now, tl))
                }
                "pause" => Applet::Program(Prog::new(ProgKind::AgnhostPause, now, logs(now, Stream::Stdout, vec!["Paused".into()]))),
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
        "liveness" => Applet::Program(Prog::new(ProgKind::GoLiveness, now, vec![(now, Action::Listen(8080))])),
        "goproxy" => Applet::Program(Prog::new(ProgKind::Goproxy, now, vec![(now, Action::Listen(8080))])),
        "pause" => Applet::Program(Prog::new(ProgKind::Pause, now, vec![])),
        "stress" => {
            // stress 1.0.4: `--vm N --vm-bytes B` workers each hold B bytes; dispatch line on
            // stdout; `--timeout N` ends the run.
            let count = |name: &str, short: &str| -> u64 {
                flag_value(argv, name).or_else(|| flag_value(argv, short)).and_then(|v| v.parse().ok()).unwrap_or(0)
            };
            let (cpu, io, vm, hdd) = (count("--cpu", "-c"), count("--io", "-i"), count("--vm", "-m"), count("--hdd", "-d"));
            let bytes = flag_value(argv, "--vm-bytes").map(|b| parse_size(&b)).unwrap_or(256 << 20);
            let mut tl = vec![(
                now,
                Action::Log(Stream::Stdout, format!("stress: info: [{pid}] dispatching hogs: {cpu} cpu, {io} io, {vm} vm, {hdd} hdd")),
            )];
            if vm > 0 {
                // Workers touch their pages within a few milliseconds.
                tl.push((now + 5, Action::Memory(vm * bytes)));
            }
            if let Some(secs) =
                flag_value(argv, "--timeout").or_else(|| flag_value(argv, "-t")).and_then(|t| t.trim_end_matches('s').parse::<u64>().ok())
            {
                tl.push((
                    now + secs * 1000,
                    Action::Log(Stream::Stdout, format!("stress: info: [{pid}] successful run completed in {secs}s")),
                ));
                tl.push((now + secs * 1000, Action::Exit(0)));
            }
            Applet::Program(Prog::new(ProgKind::Stress, now, tl))
        }
        "redis-entrypoint" => {
            let mut rest: Vec<String> = argv[1..].to_vec();
            if rest.first().map(|a| a.starts_with('-') || a.ends_with(".conf")).unwrap_or(false) {
                rest.insert(0, "redis-server".into());
            }
            Applet::ExecInto { argv: rest, output: vec![] }
        }
        "redis-server" => {
            let port: u16 = flag_value(argv, "--port").and_then(|p| p.parse().ok()).unwrap_or(6379);
            let t0 = wall;
            let rs = |ms: i64| clock::redis_stamp(ms);
            let lines = vec![
                format!("1:C {} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", rs(t0)),
                format!("1:C {} # Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=1, just started", rs(t0)),
                format!("1:C {} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf", rs(t0)),
                format!("1:M {} * monotonic clock: POSIX clock_gettime", rs(t0 + 1)),
                format!("1:M {} * Running mode=standalone, port={port}.", rs(t0 + 1)),
                format!("1:M {} # Server initialized", rs(t0 + 1)),
                format!("1:M {} * Ready to accept connections", rs(t0 + 1)),
            ];
            let mut tl: Vec<(Millis, Action)> =
                lines.into_iter().enumerate().map(|(i, l)| (if i < 3 { now } else { now + 1 }, Action::Log(Stream::Stdout, l))).collect();
            tl.push((now + 1, Action::Listen(port)));
            Applet::Program(Prog::new(ProgKind::Redis, now, tl))
        }
        "python" => {
            let unbuffered = argv.iter().any(|a| a == "-u") || env.iter().any(|(k, v)| k == "PYTHONUNBUFFERED" && !v.is_empty());
            let args: Vec<&String> = argv[1..].iter().filter(|a| *a != "-u").collect();
            if args.is_empty() {
                // The interactive interpreter reads stdin; with none attached it exits 0.
                return Applet::Exit(0);
            }
            if args.len() >= 2 && args[0] == "-m" && args[1] == "http.server" {
                let port: u16 = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(8000);
                let banner = format!("Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...");
                let mut tl = vec![(now, Action::Listen(port))];
                if unbuffered {
                    tl.push((now, Action::Log(Stream::Stdout, banner.clone())));
                }
                return Applet::Program(Prog::new(ProgKind::PythonHttp { unbuffered, banner }, now, tl));
            }
            Applet::ExecInto {
                argv: vec![],
                output: vec![(Stream::Stderr, "python: only `python -m http.server [PORT]` is simulated".into())],
            }
            .exit_with(1)
        }
        "httpd-foreground" => {
            let mut rest = vec!["httpd".to_string(), "-DFOREGROUND".to_string()];
            rest.extend(argv[1..].iter().cloned());
            Applet::ExecInto { argv: rest, output: vec![] }
        }
        "apache-httpd" => {
            let st = crate::programs::apache_stamp(wall);
            let ah = format!("AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {pod_ip}. Set the 'ServerName' directive globally to suppress this message");
            let lines = vec![
                ah.clone(),
                ah,
                format!("[{st}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.68 (Unix) configured -- resuming normal operations"),
                format!("[{st}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"),
            ];
            let mut tl = logs(now, Stream::Stderr, lines);
            tl.push((now, Action::Listen(80)));
            Applet::Program(Prog::new(ProgKind::Apache, now, tl))
        }
        _ => Applet::Exit(126),
    }
}

/// `150M`, `1G`, `512K`, `100` (bytes) as stress parses them.
fn parse_size(s: &str) -> u64 {
    let (num, mult) = match s.chars().last() {
        Some('k' | 'K') => (&s[..s.len() - 1], 1u64 << 10),
        Some('m' | 'M') => (&s[..s.len() - 1], 1 << 20),
        Some('g' | 'G') => (&s[..s.len() - 1], 1 << 30),
        Some('b' | 'B') => (&s[..s.len() - 1], 1),
        _ => (s, 1),
    };
    num.parse::<u64>().unwrap_or(0).saturating_mul(mult)
}

pub(crate) fn start_author(w: &mut World, image: &str, now: Millis) -> Applet {
    let Some(def) = w.authors.get(image).cloned() else {
        return Applet::Exit(127);
    };
    let mut tl: Vec<(Millis, Action)> = Vec::new();
    for (off, line) in &def.startup_output {
        tl.push((now + off, Action::Log(Stream::Stdout, line.clone())));
    }
    for p in &def.ports {
        tl.push((now + def.listen_delay_ms, Action::Listen(*p)));
    }
    for (off, bytes) in &def.memory {
        tl.push((now + off, Action::Memory(*bytes)));
    }
    if let Some((off, code)) = def.exit_after {
        tl.push((now + off, Action::Exit(code)));
    }
    Applet::Program(Prog::new(
        ProgKind::Author { image: image.to_string(), rules: def.http_rules.clone(), signals: def.signals.clone() },
        now,
        tl,
    ))
}

impl Applet {
    /// Print the output, then exit with `code` (an ExecInto with no argv exits 0; this sets the code).
    fn exit_with(self, code: i32) -> Applet {
        match self {
            Applet::ExecInto { output, .. } => Applet::Fail { output, code },
            other => other,
        }
    }
}
