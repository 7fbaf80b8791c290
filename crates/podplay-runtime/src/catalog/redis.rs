//! redis: the official image (Debian-based), 7.0: its entrypoint and `redis-server`, which
//! accepts TCP but answers no HTTP, and saves its data before it exits on SIGTERM.

use super::{env, program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::clock::redis_stamp;
use crate::fs::{Node, NodeKind};
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, SigReaction, SignalDelivery, Wire};
use crate::types::Millis;

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["docker.io/library/redis"],
    config,
    programs: &[("redis-entrypoint", start_entrypoint), ("redis-server", start_server)],
};

fn config(r: &ImageRef) -> Option<ImageInfo> {
    let tag = r.bare_tag();
    if !(matches!(tag, "latest" | "7" | "7.0" | "alpine") || tag.starts_with("7.0")) {
        return None;
    }
    let created = 1_717_200_000;
    Some(ImageInfo {
        entrypoint: words(&["docker-entrypoint.sh"]),
        cmd: words(&["redis-server"]),
        env: env(&[("PATH", PATH_DEFAULT), ("REDIS_VERSION", "7.0.15")]),
        working_dir: "/data".into(),
        userland: Userland::Debian,
        files: vec![
            program_file("/usr/local/bin/docker-entrypoint.sh", "redis-entrypoint", created),
            program_file("/usr/local/bin/redis-server", "redis-server", created),
            (
                String::from("/data"),
                Node { kind: NodeKind::Dir, mode: 0o755, mtime: created, program: None, owner: crate::fs::Owner::ROOT },
            ),
        ],
        ..r.config(created, 117_000_000)
    })
}

/// `docker-entrypoint.sh`: arguments that are options or a `.conf` file are given to
/// `redis-server`; anything else is exec'd as it is.
fn start_entrypoint(launch: &mut Launch) -> Applet {
    let mut argv: Vec<String> = launch.argv[1..].to_vec();
    if argv.first().map(|a| a.starts_with('-') || a.ends_with(".conf")).unwrap_or(false) {
        argv.insert(0, "redis-server".into());
    }
    Applet::ExecInto { argv, output: vec![] }
}

/// `redis-server`: the start-up banner (the last lines a millisecond later), then it listens.
fn start_server(launch: &mut Launch) -> Applet {
    let port: u16 = launch.flag("--port").and_then(|p| p.parse().ok()).unwrap_or(6379);
    let (now, t0) = (launch.now, launch.wall_ms());
    let lines = [
        format!("1:C {} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", redis_stamp(t0)),
        format!("1:C {} # Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=1, just started", redis_stamp(t0)),
        format!("1:C {} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf", redis_stamp(t0)),
        format!("1:M {} * monotonic clock: POSIX clock_gettime", redis_stamp(t0 + 1)),
        format!("1:M {} * Running mode=standalone, port={port}.", redis_stamp(t0 + 1)),
        format!("1:M {} # Server initialized", redis_stamp(t0 + 1)),
        format!("1:M {} * Ready to accept connections", redis_stamp(t0 + 1)),
    ];
    let mut timeline: Vec<(Millis, Action)> =
        lines.into_iter().enumerate().map(|(i, l)| (if i < 3 { now } else { now + 1 }, Action::Log(Stream::Stdout, l))).collect();
    timeline.push((now + 1, Action::Listen(port)));
    launch.program(Redis, timeline)
}

struct Redis;

impl Behavior for Redis {
    /// SIGTERM, SIGINT: save the final RDB snapshot (a millisecond), then exit 0.
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        let name = match signal.sig {
            15 => "SIGTERM",
            2 => "SIGINT",
            _ => return SigReaction::Ignore,
        };
        let (now, wall_ms) = (signal.now, signal.wall_ms);
        let secs = wall_ms.div_euclid(1000);
        let log = |at: Millis, line: String| (at, Action::Log(Stream::Stdout, line));
        SigReaction::Actions(vec![
            log(now, format!("1:signal-handler ({secs}) Received {name} scheduling shutdown...")),
            log(now, format!("1:M {} # User requested shutdown...", redis_stamp(wall_ms))),
            log(now, format!("1:M {} * Saving the final RDB snapshot before exiting.", redis_stamp(wall_ms))),
            log(now + 1, format!("1:M {} * DB saved on disk", redis_stamp(wall_ms + 1))),
            log(now + 1, format!("1:M {} # Redis is now ready to exit, bye bye...", redis_stamp(wall_ms + 1))),
            (now + 1, Action::Exit(0)),
        ])
    }

    fn bind_failure(&self, port: u16, wall_ms: i64) -> String {
        format!(
            "1:M {} # Warning: Could not create server TCP listening socket *:{port}: bind: Address already in use",
            redis_stamp(wall_ms)
        )
    }

    fn wire(&self, _port: u16) -> Wire {
        Wire::Raw
    }
}
