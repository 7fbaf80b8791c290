//! Where a process's file descriptors point.

use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    /// 0 for stdout, 1 for stderr: the index of per-stream pairs (a container's unfinished lines).
    pub fn index(self) -> usize {
        match self {
            Stream::Stdout => 0,
            Stream::Stderr => 1,
        }
    }
}

/// A write to the container's log as made (line ends included), `offset_steps` into a loop's
/// turn or a child's run: what a steady loop repeats (`turn_log.rs` says what the log makes of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogWrite {
    pub offset_steps: u64,
    pub stream: Stream,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// The container's log (PID 1 and everything that inherited its stdio).
    Log(Stream),
    /// An exec session's capture buffer.
    Exec(u64, Stream),
    /// A file, already created/truncated when the redirection was applied.
    File(String),
    /// An in-memory pipe / command-substitution buffer.
    Pipe(u64),
    Null,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Null,
    Data(Rc<Vec<u8>>),
}

impl Input {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Input::Null => &[],
            Input::Data(d) => d,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fds {
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: Output,
}

impl Fds {
    pub fn get(&self, fd: u32) -> Option<Output> {
        match fd {
            1 => Some(self.stdout.clone()),
            2 => Some(self.stderr.clone()),
            _ => None,
        }
    }
    pub fn set(&mut self, fd: u32, o: Output) {
        match fd {
            1 => self.stdout = o,
            2 => self.stderr = o,
            _ => {}
        }
    }
}
