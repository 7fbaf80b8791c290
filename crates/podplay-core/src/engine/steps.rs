//! Scenario steps: each runs at its time, in its place among the tasks of that millisecond,
//! through the engine's [`StepRunner`](super::ops::StepRunner), which knows what the step's
//! text means (the kubectl crate's). The engine keeps what each step printed.

use serde::Serialize;

use super::ops::{CommandOutput, Resume, StepRunner};
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
    /// Steps that go on over time: the rest of each, by step index, with its output's index.
    resumes: Vec<(usize, usize, Resume)>,
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
                resume: None,
            },
        };
        if let Some(resume) = out.resume.clone() {
            self.wait_for_step(i, self.steps.outputs.len(), resume);
        }
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

    fn wait_for_step(&mut self, i: usize, output: usize, resume: Resume) {
        self.schedule(resume.at, Task::StepResume(i));
        self.steps.resumes.push((i, output, resume));
    }

    /// A step that took time goes on: what it prints now is added to what it printed before.
    pub(crate) fn resume_step(&mut self, i: usize) {
        let Some(k) = self.steps.resumes.iter().position(|(step, _, _)| *step == i) else { return };
        let (_, output, resume) = self.steps.resumes.remove(k);
        let out = resume.rest.borrow_mut().resume(self);
        let kept = &mut self.steps.outputs[output];
        kept.stdout.push_str(&out.stdout);
        kept.stderr.push_str(&out.stderr);
        kept.exit_code = out.exit_code;
        if let Some(next) = out.resume {
            self.wait_for_step(i, output, next);
        }
    }
}
