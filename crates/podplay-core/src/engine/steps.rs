//! Scenario steps: each runs at its time, in its place among the tasks of that millisecond,
//! through the engine's [`StepRunner`](super::ops::StepRunner), which knows what the step's
//! text means (the kubectl crate's). The engine keeps what each step printed.

use serde::Serialize;

use super::ops::{CommandOutput, StepRunner};
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

/// The scenario's steps, what each printed, and who runs them.
#[derive(Default)]
pub(crate) struct ScenarioSteps {
    list: Vec<crate::model::Step>,
    outputs: Vec<StepOutput>,
    /// Who runs the steps (`ops::StepRunner`); without one a step fails.
    runner: Option<std::rc::Rc<dyn StepRunner>>,
}

impl Engine {
    /// Sets who runs this engine's scenario steps (see [`StepRunner`]).
    pub fn set_step_runner(&mut self, runner: std::rc::Rc<dyn StepRunner>) {
        self.steps.runner = Some(runner);
    }

    /// What each scenario step printed so far, in the order they ran.
    pub fn step_outputs(&self) -> &[StepOutput] {
        &self.steps.outputs
    }

    /// Queues the scenario's `steps` (sorted by time).
    pub(crate) fn queue_steps(&mut self, steps: Vec<crate::model::Step>) {
        self.steps.list = steps;
        for i in 0..self.steps.list.len() {
            let at = self.steps.list[i].at;
            self.schedule(at, Task::Step(i));
        }
    }

    pub(crate) fn run_step(&mut self, i: usize) {
        let step = self.steps.list[i].clone();
        let out = match self.steps.runner.clone() {
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
        self.steps.outputs.push(StepOutput {
            at: self.now,
            command: step.run,
            stdout: out.stdout,
            stderr: out.stderr,
            exit_code: out.exit_code,
        });
    }
}
