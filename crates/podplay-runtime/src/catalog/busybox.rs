//! busybox: the official image and the Kubernetes docs' old copies of it. It is its userland
//! (`sh` and the applets, `applets`); its one server, `httpd`, is an applet too
//! (`servers::busybox_httpd`).

use super::{env, words, CatalogImage, ImageRef};
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["docker.io/library/busybox", "registry.k8s.io/busybox", "gcr.io/google-containers/busybox", "k8s.gcr.io/busybox"],
    config,
    programs: &[],
};

fn config(r: &ImageRef) -> Option<ImageInfo> {
    let version = if r.repo != "docker.io/library/busybox" {
        // The old Kubernetes docs image is busybox 1.24-era: 1.28 texts.
        BusyboxVersion::V1_28
    } else if matches!(r.bare_tag(), "latest" | "stable" | "glibc" | "musl" | "uclibc" | "unstable") {
        r.busybox_latest
    } else {
        BusyboxVersion::from_tag(r.bare_tag())?
    };
    Some(ImageInfo {
        cmd: words(&["sh"]),
        env: env(&[("PATH", PATH_DEFAULT)]),
        userland: Userland::Busybox(version),
        shell_version: version,
        ..r.config(version.image_created(), 4_300_000)
    })
}
