//! polinux/stress, the image of the Kubernetes docs' "Assign Memory Resources" task: Alpine
//! with stress 1.0.4, whose `--vm` workers hold memory (an OOM kill above the limit).

use super::{env, program_file, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, SigReaction, SignalDelivery};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage = CatalogImage { repos: &["docker.io/polinux/stress"], config, programs: &[("stress", start)] };

fn config(r: &ImageRef) -> Option<ImageInfo> {
    if r.tag != "latest" {
        return None;
    }
    let created = 1_500_000_000;
    Some(ImageInfo {
        env: env(&[("PATH", PATH_DEFAULT)]),
        userland: Userland::Busybox(BusyboxVersion::V1_28),
        files: vec![program_file("/usr/local/bin/stress", "stress", created)],
        shell_version: BusyboxVersion::V1_28,
        ..r.config(created, 4_000_000)
    })
}

/// `stress`: the dispatch line on stdout; `--vm N --vm-bytes B` workers each hold B bytes (they
/// touch their pages within a few milliseconds); `--timeout N` ends the run.
fn start(launch: &mut Launch) -> Applet {
    let count =
        |long: &str, short: &str| -> u64 { launch.flag(long).or_else(|| launch.flag(short)).and_then(|v| v.parse().ok()).unwrap_or(0) };
    let (cpu, io, vm, hdd) = (count("--cpu", "-c"), count("--io", "-i"), count("--vm", "-m"), count("--hdd", "-d"));
    let bytes = launch.flag("--vm-bytes").map(|b| parse_size(&b)).unwrap_or(256 << 20);
    let (now, pid) = (launch.now, launch.pid);
    let mut timeline =
        vec![(now, Action::Log(Stream::Stdout, format!("stress: info: [{pid}] dispatching hogs: {cpu} cpu, {io} io, {vm} vm, {hdd} hdd")))];
    if vm > 0 {
        timeline.push((now + 5, Action::Memory(vm * bytes)));
    }
    let timeout = launch.flag("--timeout").or_else(|| launch.flag("-t")).and_then(|t| t.trim_end_matches('s').parse::<u64>().ok());
    if let Some(secs) = timeout {
        let end = now + secs * 1000;
        timeline.push((end, Action::Log(Stream::Stdout, format!("stress: info: [{pid}] successful run completed in {secs}s"))));
        timeline.push((end, Action::Exit(0)));
    }
    launch.program(Stress, timeline)
}

/// `150M`, `1G`, `512K`, `100` (bytes) as stress parses them.
fn parse_size(s: &str) -> u64 {
    let (num, mult) = match s.chars().last() {
        Some('k' | 'K') => (&s[..s.len() - 1], 1u64 << 10),
        Some('m' | 'M') => (&s[..s.len() - 1], 1 << 20),
        Some('g' | 'G') => (&s[..s.len() - 1], 1 << 30),
        Some('b' | 'B') => (&s[..s.len() - 1], 1),
        _ => (s, 1),
    };
    num.parse::<u64>().unwrap_or(0).saturating_mul(mult)
}

struct Stress;

impl Behavior for Stress {
    /// stress installs no handlers.
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        signal.default_action()
    }
}
