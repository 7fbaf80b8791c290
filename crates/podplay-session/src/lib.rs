//! The session layer: the one place that moves virtual time. A [`Session`] opens a scenario
//! (manifests plus timed steps), runs the engine forward as far as it is asked, answers any
//! kubectl command at any moment, and remembers the commands given to it that changed the
//! cluster, so that going back to an earlier moment (a fresh engine, replaying those commands
//! at their times) shows exactly what a real cluster would have shown then.
//!
//! The engine only moves forward; its objects, events and runtime hold the present and no
//! history. Runs are deterministic, so a fresh engine replaying the same commands goes through
//! exactly the same states.

pub mod compare;

use podplay_core::{load, Diagnostic, Engine, Manifests, Millis, SourceFile};
use podplay_kubectl::Output;

/// A command that changed the cluster (or could have: an exec that only looked), given at
/// virtual time `at`: kubectl's arguments, or a `podplay ...` line, with the manifest an
/// `apply -f -` read.
#[derive(Debug, Clone)]
struct Command {
    at: Millis,
    args: Vec<String>,
    manifest: Option<String>,
}

/// What [`Session::try_command`] did: what the command printed, and whether it changed the
/// cluster (the engine's typed operations say so: `Engine::changes_from_outside`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tried {
    pub output: Output,
    pub changed: bool,
}

/// A scenario being played: its engine, where it is in time, and what was done to it.
pub struct Session {
    manifests: Manifests,
    engine: Engine,
    /// Commands that changed the cluster, in time order (equal times in the order given).
    commands: Vec<Command>,
    /// How many of `commands` the engine has executed: those with `at <= now`.
    replayed: usize,
    fast_forward: bool,
    loops_in_bulk: bool,
}

impl Session {
    /// Loads `files` and builds the cluster at time 0.
    pub fn open(files: &[SourceFile]) -> Result<Session, Vec<Diagnostic>> {
        Session::new(&load(files)?)
    }

    /// The cluster of `manifests`, at time 0.
    pub fn new(manifests: &Manifests) -> Result<Session, Vec<Diagnostic>> {
        let engine = fresh_engine(manifests, true, true)?;
        Ok(Session { manifests: manifests.clone(), engine, commands: Vec::new(), replayed: 0, fast_forward: true, loops_in_bulk: true })
    }

    /// The engine at [`Session::now`], for views that read state.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn now(&self) -> Millis {
        self.engine.now()
    }

    /// Turns the fast-forward of steady probes on or off (`Engine::set_fast_forward`); the
    /// output is the same either way.
    pub fn set_fast_forward(&mut self, on: bool) {
        self.fast_forward = on;
        self.engine.set_fast_forward(on);
    }

    /// Turns the bulk runs of steady shell loops on or off (`Engine::set_loops_in_bulk`); the
    /// output is the same either way.
    pub fn set_loops_in_bulk(&mut self, on: bool) {
        self.loops_in_bulk = on;
        self.engine.set_loops_in_bulk(on);
    }

    /// Moves to virtual time `t`: forward by running the engine (and the commands given at times
    /// on the way), back by a fresh engine that replays them.
    pub fn seek(&mut self, t: Millis) {
        if t < self.engine.now() {
            self.rebuild();
        }
        advance(&mut self.engine, &self.commands, &mut self.replayed, t);
    }

    /// `kubectl ARGS...` at the current moment. A command that changes the cluster is
    /// remembered, so that going back and forward again replays it.
    pub fn kubectl(&mut self, args: &[String]) -> Output {
        let args = &podplay_kubectl::hoist_namespace(args);
        if podplay_kubectl::is_watch(args) {
            return self.watch(args, self.now());
        }
        if podplay_kubectl::is_rollout_status(args) {
            // `rollout status` watches from now until the rollout ends: time moves on.
            let (commands, replayed) = (&self.commands, &mut self.replayed);
            return podplay_kubectl::rollout(&mut self.engine, args, &mut |engine, t| advance(engine, commands, replayed, t));
        }
        if !podplay_kubectl::is_mutating(args) {
            return podplay_kubectl::run(&mut self.engine, args);
        }
        self.commands.insert(self.replayed, Command { at: self.now(), args: args.to_vec(), manifest: None });
        self.replayed += 1;
        // A command that waits (`drain`) moves time on, with the commands given for later.
        let (commands, replayed) = (&self.commands, &mut self.replayed);
        podplay_kubectl::run_over_time(&mut self.engine, args, None, &mut |engine, t| advance(engine, commands, replayed, t))
    }

    /// Tries a command at virtual time `at` (kubectl's arguments, or a `podplay node ...` line;
    /// `manifest` is what `apply -f -` reads) and says whether it changed the cluster. A read,
    /// a command that was refused (`delete pod nosuch`, an exec into a pod that does not exist,
    /// of a program the image lacks) and an exec that left no trace (`ls`, `cat`, `ps`) did
    /// not: they stay given, as [`Session::kubectl_at`] keeps them. One that did is not kept:
    /// the session goes back to what it was given before (a fresh engine at time 0, which the
    /// next [`Session::seek`] runs forward), and the caller decides what to make of it (the
    /// page writes it into the scenario as a step).
    pub fn try_command(&mut self, at: Millis, args: &[String], manifest: Option<&str>) -> Tried {
        let args = &podplay_kubectl::hoist_namespace(args);
        if !podplay_kubectl::may_change(args) {
            return Tried { output: self.kubectl_at(at, args), changed: false };
        }
        self.seek(at);
        let before = self.engine.changes_from_outside();
        let (commands, replayed) = (&self.commands, &mut self.replayed);
        let output =
            podplay_kubectl::run_over_time(&mut self.engine, args, manifest, &mut |engine, t| advance(engine, commands, replayed, t));
        let changed = self.engine.changes_from_outside() != before;
        if changed {
            self.rebuild();
        } else {
            let command = Command { at: self.now(), args: args.to_vec(), manifest: manifest.map(str::to_string) };
            self.commands.insert(self.replayed, command);
            self.replayed += 1;
        }
        Tried { output, changed }
    }

    /// `kubectl ARGS...` at virtual time `at` (see [`Session::seek`]); a watch (`get pods -w`)
    /// shows every write from the objects' creation up to `at`.
    pub fn kubectl_at(&mut self, at: Millis, args: &[String]) -> Output {
        let args = &podplay_kubectl::hoist_namespace(args);
        if podplay_kubectl::is_watch(args) {
            return self.watch(args, at);
        }
        self.seek(at);
        self.kubectl(args)
    }

    /// A watch needs the writes since the objects were created: start over unless the engine
    /// is still at that moment with nothing done to it.
    fn watch(&mut self, args: &[String], until: Millis) -> Output {
        if self.engine.now() != 0 || self.replayed != 0 {
            self.rebuild();
        }
        let (commands, replayed) = (&self.commands, &mut self.replayed);
        podplay_kubectl::watch(&mut self.engine, args, until, &mut |engine, t| advance(engine, commands, replayed, t))
    }

    /// A fresh engine at time 0, with every command still to be replayed.
    fn rebuild(&mut self) {
        self.engine = fresh_engine(&self.manifests, self.fast_forward, self.loops_in_bulk).expect("these manifests built an engine before");
        self.replayed = 0;
    }
}

/// An engine for `manifests` at time 0 whose scenario steps run through kubectl.
fn fresh_engine(manifests: &Manifests, fast_forward: bool, loops_in_bulk: bool) -> Result<Engine, Vec<Diagnostic>> {
    let mut engine = podplay_kubectl::new_engine(manifests)?;
    engine.set_fast_forward(fast_forward);
    engine.set_loops_in_bulk(loops_in_bulk);
    Ok(engine)
}

/// Runs `engine` to `t`, executing each remembered command when the clock reaches its time
/// (after the tasks due by then, as when it was first given); a command that waits moves time
/// on as it did when it was given, the later commands with it.
fn advance(engine: &mut Engine, commands: &[Command], replayed: &mut usize, t: Millis) {
    while let Some(command) = commands.get(*replayed).filter(|c| c.at <= t) {
        engine.run_until(command.at);
        *replayed += 1;
        let (args, manifest) = (&command.args, command.manifest.as_deref());
        let _ = podplay_kubectl::run_over_time(engine, args, manifest, &mut |engine, until| advance(engine, commands, replayed, until));
    }
    engine.run_until(t);
}
