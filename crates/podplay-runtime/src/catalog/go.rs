//! What the catalog's Go servers (agnhost's liveness and netexec, liveness, goproxy) share.

use crate::programs::{SigReaction, SignalDelivery};

/// Go's runtime handles SIGHUP, SIGINT and SIGTERM: it restores the default action and raises
/// the signal again. As PID 1 that default is dropped and the runtime exits 2 (images.md §3.1);
/// other signals are ignored.
pub(super) fn on_signal(signal: &SignalDelivery) -> SigReaction {
    match signal.sig {
        1 | 2 | 15 => signal.exit(if signal.pid1 { 2 } else { 128 + signal.sig }),
        _ => SigReaction::Ignore,
    }
}
