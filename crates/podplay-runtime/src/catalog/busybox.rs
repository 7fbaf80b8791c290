//! busybox: the official image and the Kubernetes docs' old copies of it. It is its userland
//! (`sh` and the applets, `applets`); its one server, `httpd`, is an applet too
//! (`servers::busybox_httpd`).

use super::{env, words, CatalogImage, ImageRef};
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["docker.io/library/busybox", "registry.k8s.io/busybox", "gcr.io/google-containers/busybox", "k8s.gcr.io/busybox", E2E_REPO],
    config,
    programs: &[],
};

/// Kubernetes' e2e busybox (`imageutils.BusyBox`, `framework.BusyBoxImage`): a mirror of the
/// official image (`test/images/busybox/Dockerfile`: "Noop. We're just mirroring the image"),
/// the busybox release its tag names.
const E2E_REPO: &str = "registry.k8s.io/e2e-test-images/busybox";

/// The e2e busybox's tags: those `test/utils/image/manifest.go` names over the releases
/// (1.29-1 beside agnhost 2.30, 1.29-2 beside 2.39, 1.36.1-1 beside 2.52, 1.37.0-1 at the
/// newest) and 1.29-4, which manifests outside Kubernetes pull.
const E2E_TAGS: &[&str] = &["1.29-1", "1.29-2", "1.29-4", "1.36.1-1", "1.37.0-1"];

fn config(r: &ImageRef) -> Option<ImageInfo> {
    let version = if r.repo == E2E_REPO {
        E2E_TAGS.contains(&r.tag).then(|| BusyboxVersion::from_tag(r.tag)).flatten()?
    } else if r.repo != "docker.io/library/busybox" {
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
