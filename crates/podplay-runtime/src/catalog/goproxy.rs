//! goproxy (`registry.k8s.io/goproxy:0.1`), the Kubernetes docs' TCP-probe example: an HTTP
//! proxy on 8080 that refuses plain requests.

use super::{program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::ImageInfo;
use crate::programs::{Action, ProgKind};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage =
    CatalogImage { repos: &["registry.k8s.io/goproxy", "k8s.gcr.io/goproxy"], config, programs: &[("goproxy", start)] };

fn config(r: &ImageRef) -> Option<ImageInfo> {
    if r.tag != "0.1" && r.tag != "latest" {
        return None;
    }
    let created = 1_480_000_000;
    Some(ImageInfo {
        entrypoint: words(&["/goproxy"]),
        files: vec![program_file("/goproxy", "goproxy", created)],
        shell_version: BusyboxVersion::V1_28,
        ..r.config(created, 2_500_000)
    })
}

fn start(launch: &mut Launch) -> Applet {
    launch.program(ProgKind::Goproxy, vec![(launch.now, Action::Listen(8080))])
}
