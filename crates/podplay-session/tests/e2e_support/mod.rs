//! What the ported e2e tests share: the e2e framework's waits as seeks of virtual time, and
//! the objects of a manifest created at time 0.
#![allow(dead_code)] // each test file uses its own part

use podplay_core::clock::{Millis, MINUTE, SECOND};
use podplay_core::model::Pod;
use podplay_core::{load, SourceFile};
use podplay_session::Session;

/// `framework.Poll`.
pub const POLL: Millis = 2 * SECOND;
/// `framework.PodStartTimeout`.
pub const POD_START_TIMEOUT: Millis = 5 * MINUTE;

/// The client's `Create` of the manifest's objects, at time 0.
pub fn create(text: &str) -> Session {
    let m = load(&[SourceFile { name: "e2e.yaml".into(), text: text.into() }]).expect("valid yaml");
    Session::new(&m).expect("the objects are created")
}

/// `wait.PollUntilContextTimeout`: every `interval` from now for at most `timeout`, until
/// `done`; whether it was.
pub fn poll_until(s: &mut Session, timeout: Millis, interval: Millis, mut done: impl FnMut(&mut Session) -> bool) -> bool {
    let start = s.now();
    let mut t = start;
    while t <= start + timeout {
        s.seek(t);
        if done(s) {
            return true;
        }
        t += interval;
    }
    false
}

/// `podutil.IsPodReady`.
pub fn is_pod_ready(p: &Pod) -> bool {
    p.status.condition("Ready").is_some_and(|c| c.status == "True")
}

/// `testutils.PodRunningReady`.
pub fn pod_running_ready(p: &Pod) -> bool {
    p.status.phase == "Running" && is_pod_ready(p)
}
