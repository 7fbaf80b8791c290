//! The simulated container runtime: images, processes, a busybox-grade shell and filesystem, on virtual time.
pub mod fs;
pub mod shell;
