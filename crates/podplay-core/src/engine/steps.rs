//! Scenario steps: each runs at its time, in its place among the tasks of that millisecond,
//! through the engine's [`StepRunner`](super::ops::StepRunner), which knows what the step's
//! text means (the kubectl crate's). The engine keeps what each step printed.

use serde::Serialize;

use super::ops::CommandOutput;
use super::{Engine, Task};
use crate::clock::Millis;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StepOutput {
    pub at: Millis,
    pub command: String,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl Engine {
    pub(crate) fn run_step(&mut self, i: usize) {
        let step = self.steps[i].clone();
        let out = match self.step_runner.clone() {
            Some(runner) => runner.run_step(self, &step),
            None => CommandOutput {
                stdout: String::new(),
                stderr: "error: this engine has no step runner (a session runs scenario steps)\n".into(),
                exit_code: 1,
            },
        };
        self.record_change(
            "scenario".into(),
            super::ChangeDetail::Step { command: step.run.clone() },
            if out.exit_code == 0 { "a scenario step ran".into() } else { format!("a scenario step failed: {}", out.stderr.trim()) },
        );
        self.step_outputs.push(StepOutput {
            at: self.now,
            command: step.run,
            stdout: out.stdout,
            stderr: out.stderr,
            exit_code: out.exit_code,
        });
    }

    /// Queues the scenario's steps.
    pub(crate) fn queue_steps(&mut self) {
        for i in 0..self.steps.len() {
            let at = self.steps[i].at;
            self.schedule(at, Task::Step(i));
        }
    }
}
