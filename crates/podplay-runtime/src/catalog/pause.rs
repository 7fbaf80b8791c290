//! pause (`registry.k8s.io/pause`): the sandbox's own program, which sleeps until a signal.

use super::{program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::ImageInfo;
use crate::io::Stream;
use crate::programs::{Action, Behavior, SigReaction, SignalDelivery};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage =
    CatalogImage { repos: &["registry.k8s.io/pause", "k8s.gcr.io/pause"], config, programs: &[("pause", start)] };

fn config(r: &ImageRef) -> Option<ImageInfo> {
    let created = 1_690_000_000;
    Some(ImageInfo {
        entrypoint: words(&["/pause"]),
        files: vec![program_file("/pause", "pause", created)],
        shell_version: BusyboxVersion::V1_28,
        ..r.config(created, 320_000)
    })
}

fn start(launch: &mut Launch) -> Applet {
    launch.program(Pause, vec![])
}

struct Pause;

impl Behavior for Pause {
    /// SIGTERM, SIGINT: say so and exit 0; every other signal is blocked.
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        let what = match signal.sig {
            15 => "Terminated",
            2 => "Interrupt",
            _ => return SigReaction::Ignore,
        };
        let line = format!("Shutting down, got signal: {what}");
        SigReaction::Actions(vec![(signal.now, Action::Log(Stream::Stderr, line)), (signal.now, Action::Exit(0))])
    }
}
