//! Ports of the small Go utilities whose behaviour shows in kubectl output: durations, tabwriters,
//! back-off, the event correlator.
//!
//! Everything here is pure and deterministic: no I/O, no clocks, no unseeded randomness. Time is
//! always passed in by the caller (virtual milliseconds or nanoseconds), so the same inputs give
//! byte-identical output natively and in wasm.

pub mod backoff;
pub mod duration;
mod lru;
pub mod rand;
pub mod rate;
pub mod record;
pub mod series;
pub mod tabwriter;
pub mod time;
