//! The Kubernetes docs' liveness image (`registry.k8s.io/liveness`): `/server`, Go's
//! test/images/liveness `server.go`, which agnhost's `liveness` subcommand also runs: `/healthz`
//! answers 200 for its first 10 seconds, 500 after (images.md §3.1).

use super::{program_file, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::ImageInfo;
use crate::programs::{Action, ProgKind};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["registry.k8s.io/liveness", "k8s.gcr.io/liveness", "gcr.io/google_containers/liveness"],
    config,
    programs: &[("liveness", start)],
};

fn config(r: &ImageRef) -> Option<ImageInfo> {
    let created = 1_500_000_000;
    Some(ImageInfo {
        files: vec![program_file("/server", "liveness", created)],
        shell_version: BusyboxVersion::V1_28,
        ..r.config(created, 2_100_000)
    })
}

/// The server, listening on 8080 at once.
pub(super) fn start(launch: &mut Launch) -> Applet {
    launch.program(ProgKind::GoLiveness, vec![(launch.now, Action::Listen(8080))])
}
