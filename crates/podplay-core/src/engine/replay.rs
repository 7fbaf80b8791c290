//! Earlier moments. The engine only moves forward: its objects, events and runtime hold the
//! present and no history, so nothing can be read "as of" a time it has passed. A view of an
//! earlier moment (a watch that starts when the objects were created, a kubectl command at a
//! time before the engine's clock) is made by a fresh engine built from the same objects that
//! replays, at their times, the commands this one was given through [`Engine::execute`].
//! Runs are deterministic, so the fresh engine goes through exactly the same states.

use std::collections::VecDeque;

use super::Engine;
use crate::clock::Millis;
use crate::source::Manifests;

/// A command given to the engine from outside (not a scenario step), at its virtual time.
#[derive(Debug, Clone)]
struct Command {
    at: Millis,
    words: Vec<String>,
    manifest: Option<String>,
}

/// What an engine built by [`Engine::new`] remembers to be built again.
#[derive(Debug, Clone)]
pub(crate) struct Recording {
    manifests: Manifests,
    /// Commands already executed, in order.
    done: Vec<Command>,
    /// Commands a re-run still has to execute, in order.
    pending: VecDeque<Command>,
}

impl Recording {
    pub(crate) fn new(manifests: &Manifests) -> Self {
        Recording { manifests: manifests.clone(), done: Vec::new(), pending: VecDeque::new() }
    }
}

impl Engine {
    pub(crate) fn record_command(&mut self, words: &[String], manifest: Option<&str>) {
        let at = self.now;
        if let Some(r) = &mut self.recording {
            r.done.push(Command { at, words: words.to_vec(), manifest: manifest.map(str::to_string) });
        }
    }

    /// A fresh engine at time 0, from the same objects, that will replay this engine's
    /// commands (and any it had still pending) as [`Engine::run_until_replaying`] passes their
    /// times. `None` for an engine not built by [`Engine::new`] (a test runtime).
    pub fn rerun(&self) -> Option<Engine> {
        let r = self.recording.as_ref()?;
        let mut fresh = Engine::new(&r.manifests).ok()?;
        fresh.limits = self.limits;
        fresh.fast_forward = self.fast_forward;
        if let Some(fr) = &mut fresh.recording {
            fr.pending = r.done.iter().cloned().chain(r.pending.iter().cloned()).collect();
        }
        Some(fresh)
    }

    /// [`Engine::run_until`], executing each replayed command when the clock reaches its time
    /// (after the tasks due by then, as when it was first given).
    pub fn run_until_replaying(&mut self, t: Millis) {
        loop {
            let next = self.recording.as_ref().and_then(|r| r.pending.front()).filter(|c| c.at <= t).cloned();
            let Some(command) = next else { break };
            self.run_until(command.at);
            if let Some(r) = &mut self.recording {
                r.pending.pop_front();
            }
            self.execute(&command.words, command.manifest.as_deref());
        }
        self.run_until(t);
    }

    /// Whether this engine can show time `t`: it has not run past it.
    pub fn can_show(&self, t: Millis) -> bool {
        t >= self.now
    }

    /// Still at time 0 with no command given: what a watch from the creation can start from.
    pub fn at_start(&self) -> bool {
        self.now == 0 && self.recording.as_ref().map_or(true, |r| r.done.is_empty())
    }
}
