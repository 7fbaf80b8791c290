//! Kubernetes' e2e `nonewprivs` image (`registry.k8s.io/e2e-test-images/nonewprivs`,
//! `test/images/nonewprivs`): alpine with `/usr/local/bin/nnp` set-user-ID root (`chmod +s`),
//! whose `main` prints `Effective uid: N` (`os.Geteuid()`). Run by a non-root user, the
//! set-user-ID bit makes it root unless the container has `no_new_privs`
//! (`allowPrivilegeEscalation: false`), which the AllowPrivilegeEscalation tests read.

use super::{env, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::{self, ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, SigReaction, SignalDelivery};
use crate::types::BusyboxVersion;

pub(super) const IMAGE: CatalogImage = CatalogImage {
    repos: &["registry.k8s.io/e2e-test-images/nonewprivs", "gcr.io/kubernetes-e2e-test-images/nonewprivs"],
    config,
    programs: &[("nnp", start)],
};

/// The tags `test/utils/image/manifest.go` has named.
const TAGS: [&str; 4] = ["1.0", "1.1", "1.2", "1.3"];

/// The file's owner, whose user a set-user-ID exec gives the process.
const NNP_OWNER: u32 = 0;

fn config(r: &ImageRef) -> Option<ImageInfo> {
    if !TAGS.contains(&r.tag) {
        return None;
    }
    // alpine 3.6's busybox is 1.26: the oldest texts podplay has are 1.28's.
    let created = 1_600_000_000;
    let (path, mut nnp) = images::exe("/usr/local/bin/nnp", crate::fs::Program::Builtin("nnp".into()), created);
    nnp.mode = 0o4755;
    Some(ImageInfo {
        cmd: words(&["nnp"]),
        env: env(&[("PATH", PATH_DEFAULT)]),
        userland: Userland::Busybox(BusyboxVersion::V1_28),
        files: vec![(path, nnp)],
        shell_version: BusyboxVersion::V1_28,
        ..r.config(created, 4_200_000)
    })
}

fn start(launch: &mut Launch) -> Applet {
    let cred = launch.cred();
    let euid = if cred.no_new_privs { cred.uid } else { NNP_OWNER };
    let line = format!("Effective uid: {euid}");
    launch.program(Nnp, vec![(launch.now, Action::Log(Stream::Stdout, line)), (launch.now, Action::Exit(0))])
}

struct Nnp;

impl Behavior for Nnp {
    /// A Go program with no handlers: the runtime's default reactions.
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        super::go::on_signal(signal)
    }
}
