//! Kubernetes' own e2e tests of downward API volumes (`test/e2e/common/storage/downwardapi_volume.go`,
//! `[sig-storage] Downward API volume`), ported: the same names, pod specs and assertions, the
//! e2e's waits (`TestContainerOutput`'s wait for the pod's success within
//! `f.Timeouts.PodStart`, then its container's log) as seeks of virtual time. Each test names
//! its pod `downwardapi-volume-<UUID>`; the UUID is a fixed one here. The container is agnhost's
//! `mounttest` (`registry.k8s.io/e2e-test-images/agnhost:2.40`).
//!
//! `should update labels|annotations on modification` read the file with agnhost `mounttest
//! --file_content_in_loop` while `kubectl label`/`kubectl annotate` update the pod (the
//! kubelet syncs the pod on the update and writes the volume again).
//!
//! The two `[NodeFeature:FSGroup]` tests run as uid 1000 with `fsGroup: 1234`: the files are
//! the group's, at least `r--r-----`.
//!
//! The tests, one by one, are in `e2e_support::downward::downward_api_tests`, which both
//! files share (the same upstream names and bodies; only the mode tests' volume differs).

mod e2e_support;

const UUID: &str = "3f0e6a52-8c1d-4b7e-9f2a-5d6c7b8a9e01";
const POD_NAME: &str = "downwardapi-volume-3f0e6a52-8c1d-4b7e-9f2a-5d6c7b8a9e01";

e2e_support::downward::downward_api_tests!(POD_NAME, false, UUID);
