//! Kubernetes' e2e `nonroot` image (`registry.k8s.io/e2e-test-images/nonroot`,
//! `test/images/nonroot`): a Debian base with `USER 1234`, for the runAsNonRoot tests (the
//! kubelet sees a numeric non-root image user; `id -u` prints 1234).

use super::{env, CatalogImage, ImageRef};
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["registry.k8s.io/e2e-test-images/nonroot", "gcr.io/kubernetes-e2e-test-images/nonroot"],
    config,
    programs: &[],
};

/// The tags `test/utils/image/manifest.go` has named (1.0 to 1.4).
const TAGS: [&str; 5] = ["1.0", "1.1", "1.2", "1.3", "1.4"];

fn config(r: &ImageRef) -> Option<ImageInfo> {
    if !TAGS.contains(&r.tag) {
        return None;
    }
    Some(ImageInfo {
        env: env(&[("PATH", PATH_DEFAULT)]),
        userland: Userland::Debian,
        user: "1234".into(),
        ..r.config(1_680_000_000, 28_000_000)
    })
}
