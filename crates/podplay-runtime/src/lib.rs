//! The simulated container runtime: images, processes, a busybox-grade shell and filesystem, on virtual time.
//!
//! `Runtime` is the CRI-like entry point the engine drives. Everything is deterministic and runs
//! on the virtual clock (`Millis` since the scenario started); no I/O, no system time, no threads.
//!
//! # Driving it
//! ```
//! use podplay_runtime::*;
//! let mut rt = Runtime::new(RuntimeConfig::default());
//! let image = match rt.resolve_image("busybox") {
//!     ImageLookup::Found { normalized, .. } => normalized,
//!     ImageLookup::NotFound { pull_error } => panic!("{pull_error}"),
//! };
//! let sb = rt.run_sandbox(0, SandboxConfig { name: "bb".into(), namespace: "default".into(),
//!     hostname: "bb".into(), pod_ip: "10.244.0.5".into(), ..Default::default() });
//! let c = rt.create_container(0, sb, ContainerConfig { name: "c".into(), image,
//!     command: vec!["sh".into(), "-c".into(), "echo hi; sleep 5".into()], ..Default::default() }).unwrap();
//! rt.start_container(0, c).unwrap();              // runs PID 1 until it first blocks
//! assert_eq!(rt.logs(c)[0].text, "hi");
//! assert_eq!(rt.next_wakeup(), Some(5_000));       // `sleep 5` ends then
//! let events = rt.advance(5_000);                 // run everything due, in time order
//! assert!(matches!(events[0], RuntimeEvent::ContainerExited { exit_code: 0, .. }));
//! ```
//! Events from `start_container`, `exec_sync`, `signal` and `stop_container` (e.g. a PID 1 that
//! exits at once) are also returned by the next `advance`.
//!
//! # Layout
//! * `fs` — trees, mounts (emptyDir/configMap volumes), limits.
//! * `shell::parse` / `shell::vm` — ash parser and suspendable interpreter (explicit frames, so
//!   `sleep` inside loops blocks on the virtual clock); `shell::host` — the syscall trait.
//! * `applets` (with `applets/net.rs` for wget, nc, nslookup, netstat, ping, httpd) — busybox applets (dash/GNU texts for Debian images).
//! * `catalog` — one module per catalog image (busybox, nginx, agnhost, redis, …): its
//!   configuration and files per tag, how its programs start and what they are once started
//!   (signals, HTTP answers); `authored` — author-defined images; `images` — references,
//!   pulls, root filesystems; `programs` — long-running programs (a timeline on the virtual
//!   clock and a `Behavior`); `servers` — HTTP plumbing, Go's plain answers, busybox httpd;
//!   `net` — listeners, Services.
//! * `world` — process table, signals, exits, scheduler; `runtime` — the public API.
//!
//! # Known approximations
//! * Processes of a pipeline run one after another (each stage to completion), and `$(…)`
//!   runs to completion before the command continues; time spent inside still advances the clock.
//! * `exec_sync` runs the exec'd process tree on its own: other processes do not advance while
//!   it sleeps (probes are normally instant).
//! * Debian-based images (nginx, httpd, redis, python) use dash and GNU texts for the common
//!   commands; commands they do not ship (ps, kill binary, wget, nc) are missing as in reality.
pub mod applets;
mod authored;
mod catalog;
pub mod clock;
pub mod fs;
mod host;
pub mod host_path;
pub mod images;
pub mod io;
mod logs;
mod net;
mod node_map;
pub mod programs;
mod runtime;
pub mod servers;
pub mod shell;
mod standing;
mod turn_log;
pub mod types;
pub mod users;
mod world;
mod writers;

pub use runtime::Runtime;
pub use standing::{OrderPoint, StandingEnd, StandingId};
pub use types::*;
