//! The exec handler (`pkg/probe/exec`): the command runs in the container; exit code 0 is
//! success, and the timeout is the probe's timeoutSeconds.

use podplay_k8s_util::duration::go_duration_string;
use podplay_k8s_util::gofmt;

use super::Outcome;
use crate::clock::Millis;
use crate::engine::cri::{Cri, ExecResult};
use podplay_k8s_util::expansion::expand as expand_vars;

#[derive(Debug)]
pub(super) struct Exec {
    /// The command with `$(VAR)` references to the container's env expanded.
    command: Vec<String>,
}

impl Exec {
    pub(super) fn new(exec: &crate::model::ExecAction, c: &crate::model::Container) -> Self {
        let env: Vec<(String, String)> = c.env.iter().filter_map(|e| e.value.clone().map(|v| (e.name.clone(), v))).collect();
        Exec { command: exec.command.iter().map(|s| expand_vars(s, &env)).collect() }
    }

    /// The command as each attempt runs it.
    pub(super) fn command(&self) -> &[String] {
        &self.command
    }

    pub(super) fn run(&self, cri: &mut dyn Cri, now: Millis, handle: u64, timeout: Millis) -> Result<Outcome, String> {
        match cri.exec_sync(now, handle, &self.command, Some(timeout)) {
            ExecResult::Completed { exit_code: 0, .. } => Ok(Outcome::Success),
            ExecResult::Completed { output, .. } => Ok(Outcome::Failure(output)),
            ExecResult::TimedOut { .. } => Ok(Outcome::Timeout(format!(
                "command timed out: {} timed out after {}",
                gofmt::quote(&self.command.join(" ")),
                go_duration_string(timeout as i64 * 1_000_000)
            ))),
            ExecResult::NotRunning { exit_code: Some(_), output } => Ok(Outcome::Failure(output)),
            ExecResult::NotRunning { exit_code: None, output } => Err(output),
        }
    }
}
