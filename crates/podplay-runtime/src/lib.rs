//! The simulated container runtime: images, processes, a busybox-grade shell and filesystem, on virtual time.
//!
//! `Runtime` is the CRI-like entry point (see `runtime.rs`). Everything is deterministic and runs
//! on the virtual clock; no I/O, no system time.
pub mod applets;
mod catalog_programs;
pub mod clock;
pub mod fs;
mod host;
pub mod images;
pub mod io;
mod net;
pub mod net_applets;
pub mod programs;
mod runtime;
pub mod servers;
pub mod shell;
pub mod types;
mod world;

pub use runtime::Runtime;
pub use types::*;
