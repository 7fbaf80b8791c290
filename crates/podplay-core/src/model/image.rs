//! podplay's `podplay.dev/v1alpha1` `Image`: an image a lesson defines for its own app — what
//! it runs, what it serves and when, how it handles signals, how much memory it uses over time —
//! so a scenario can show, say, an app that turns unhealthy after 30 s or leaks until OOMKilled.

use serde::{Deserialize, Deserializer, Serialize};

use super::meta::ObjectMeta;
use super::quantity::Quantity;
use super::scenario::de_duration;
use crate::clock::Millis;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Image {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    /// `metadata.name` is the image reference pods use, e.g. `example.com/leaky:v1`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: ImageSpec,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ImageSpec {
    /// Image `Entrypoint` and `Cmd`; default: the program (`/app`) alone.
    #[serde(default)]
    pub entrypoint: Vec<String>,
    #[serde(default)]
    pub cmd: Vec<String>,
    #[serde(default)]
    pub env: Vec<ImageEnv>,
    #[serde(default)]
    pub working_dir: Option<String>,
    /// Include a busybox userland of this version (`"1.36"`), for `sh`, probes and `kubectl exec`.
    #[serde(default)]
    pub busybox: Option<String>,
    #[serde(default)]
    pub files: Vec<ImageFile>,
    /// Where the program lives (default `/app`).
    #[serde(default)]
    pub program: Option<String>,
    /// A shell script run first (busybox `sh`); it ends by exec'ing the program.
    #[serde(default)]
    pub startup_script: Option<String>,
    /// Lines the program prints on stdout, each at a time after it starts.
    #[serde(default)]
    pub output: Vec<TimedLine>,
    #[serde(default)]
    pub ports: Vec<u16>,
    /// How long after starting the program listens on its ports.
    #[serde(default, deserialize_with = "de_opt_duration")]
    pub listen_after: Option<Millis>,
    #[serde(default)]
    pub http: Vec<HttpAnswer>,
    #[serde(default)]
    pub signals: Vec<SignalHandling>,
    /// Resident memory as a step function of time since start; above the container's memory
    /// limit the kernel kills it (OOMKilled, exit 137).
    #[serde(default)]
    pub memory: Vec<MemoryStep>,
    /// The program exits on its own.
    #[serde(default)]
    pub exit: Option<ExitAfter>,
    /// `SIGTERM` (default), `SIGQUIT`, `SIGINT`, ...
    #[serde(default)]
    pub stop_signal: Option<String>,
    #[serde(default)]
    pub size: Option<Quantity>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ImageEnv {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ImageFile {
    pub path: String,
    #[serde(default)]
    pub content: String,
    /// Octal mode as a string (`"0755"`); default `0644`.
    #[serde(default)]
    pub mode: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TimedLine {
    #[serde(default, deserialize_with = "de_duration")]
    pub after: Millis,
    pub text: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HttpAnswer {
    pub path: String,
    /// From this long after start on (the latest matching answer wins).
    #[serde(default, deserialize_with = "de_duration")]
    pub after: Millis,
    pub status: u16,
    #[serde(default)]
    pub body: String,
    /// Response time: a probe with a shorter timeoutSeconds times out.
    #[serde(default, deserialize_with = "de_duration")]
    pub delay: Millis,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SignalHandling {
    pub signal: String,
    /// Exit code after handling it; absent: the program ignores the signal (as PID 1 does
    /// without a handler).
    #[serde(default)]
    pub exit_code: Option<i32>,
    #[serde(default, deserialize_with = "de_duration")]
    pub after: Millis,
    #[serde(default)]
    pub log: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MemoryStep {
    #[serde(default, deserialize_with = "de_duration")]
    pub after: Millis,
    pub usage: Quantity,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExitAfter {
    #[serde(deserialize_with = "de_duration")]
    pub after: Millis,
    #[serde(default)]
    pub code: i32,
}

fn de_opt_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Millis>, D::Error> {
    de_duration(d).map(Some)
}
