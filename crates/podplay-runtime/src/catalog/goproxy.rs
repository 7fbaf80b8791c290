//! goproxy (`registry.k8s.io/goproxy:0.1`), the Kubernetes docs' TCP-probe example: an HTTP
//! proxy on 8080 that refuses plain requests.

use super::{program_file, words, CatalogImage, ImageRef, Launch};
use crate::applets::Applet;
use crate::images::ImageInfo;
use crate::programs::{Action, Behavior, Serving, SigReaction, SignalDelivery};
use crate::servers::{go_response, Request, Response};
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
    launch.program(Proxy, vec![(launch.now, Action::Listen(8080))])
}

struct Proxy;

impl Behavior for Proxy {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        super::go::on_signal(signal)
    }

    fn serve_http(&mut self, _req: &Request, at: &Serving) -> Response {
        go_response(500, b"This is a proxy server. Does not respond to non-proxy requests.\n".to_vec(), at.wall)
    }
}
