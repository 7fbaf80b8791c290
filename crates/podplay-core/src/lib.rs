//! The pure, deterministic podplay engine: API objects, YAML loading with positions, and a
//! discrete-event simulation of the scheduler, the kubelet and the controllers on a virtual
//! clock. No I/O, no clocks, no unseeded randomness: same input, same output, native and wasm.

pub mod api_json;
pub mod api_objects;
pub mod clock;
pub mod edit;
pub mod engine;
pub mod model;
pub mod schema;
pub mod source;
pub mod version;

pub use clock::{parse_duration, Millis};
pub use edit::{add_step, add_step_to_files};
pub use engine::ops::{CommandOutput, OpError, Resume, StepContinuation, StepRunner};
pub use engine::warnings::object_warnings;
pub use engine::{Change, Engine};
pub use source::{load, Diagnostic, Manifests, SourceFile};
