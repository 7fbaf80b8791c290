//! Ports of the small Go utilities whose behaviour shows in kubectl output: durations, tabwriters,
//! back-off, the event correlator.
//!
//! Everything here is pure and deterministic: no I/O, no clocks, no unseeded randomness. Time is
//! always passed in by the caller (virtual milliseconds, or nanoseconds where Go's own unit shows
//! in output), so the same inputs give byte-identical output natively and in wasm.
//!
//! | module | ported from |
//! |---|---|
//! | [`duration`] | apimachinery `pkg/util/duration/duration.go`; Go `time.Duration.String`/`Truncate` |
//! | [`tabwriter`] | Go `text/tabwriter` (kubectl describe) and `github.com/liggitt/tabwriter` (kubectl get) |
//! | [`time`] | Go `time` layouts RFC3339 / RFC1123Z, busybox `date` |
//! | [`backoff`] | client-go `util/flowcontrol/backoff.go` |
//! | [`rate`] | `golang.org/x/time/rate` as used by client-go `util/flowcontrol/throttle.go` |
//! | [`record`] | client-go `tools/record/events_cache.go` (+ `event.go` constructor) |
//! | [`series`] | client-go `tools/events/event_broadcaster.go` |
//! | [`rand`] | SplitMix64 + apimachinery `wait.Jitter` |
//! | [`gofmt`] | Go `fmt`'s `%q` and `%v` of a slice; `net.JoinHostPort` |
//! | [`image_ref`] | distribution/reference `ParseNormalizedNamed` + `TagNameOnly` |
//! | [`expansion`] | `third_party/forked/golang/expansion` (`$(VAR)` in command, args, env) |
//! | [`gosort`] | Go `sort.Sort` (quickSort of Go ≤1.18, pdqsort of Go 1.19–1.23 and 1.24+), as kubectl `--sort-by` uses it |
//! | [`quantity`] | apimachinery `resource.Quantity.String()` (canonical text of a quantity) |
//! | [`cron`] | github.com/robfig/cron/v3 `ParseStandard` and `SpecSchedule.Next`/`ConstantDelaySchedule.Next`, as the CronJob controller and API validation use them |
//! | [`sort`] | (not a port) the standard library's stable sort compiled once for every element type, to keep the wasm small |

pub mod backoff;
pub mod cron;
pub mod duration;
pub mod expansion;
pub mod gofmt;
pub mod gosort;
pub mod image_ref;
mod lru;
pub mod quantity;
pub mod rand;
pub mod rate;
pub mod record;
pub mod series;
pub mod sort;
pub mod tabwriter;
pub mod time;
