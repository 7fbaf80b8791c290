//! alpine: busybox 1.37's userland with `/bin/sh` as its command.

use super::{env, words, CatalogImage, ImageRef};
use crate::images::{ImageInfo, Userland, PATH_DEFAULT};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage = CatalogImage { repos: &["docker.io/library/alpine"], config, programs: &[] };

fn config(r: &ImageRef) -> Option<ImageInfo> {
    Some(ImageInfo {
        cmd: words(&["/bin/sh"]),
        env: env(&[("PATH", PATH_DEFAULT)]),
        userland: Userland::Busybox(BusyboxVersion::V1_37),
        ..r.config(BusyboxVersion::V1_37.image_created(), 8_300_000)
    })
}
