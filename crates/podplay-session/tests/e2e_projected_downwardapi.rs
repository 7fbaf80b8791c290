//! Kubernetes' own e2e tests of the downward API in projected volumes
//! (`test/e2e/common/storage/projected_downwardapi.go`, `[sig-storage] Projected downwardAPI`),
//! ported: the same names, pod specs and assertions, the e2e's waits (`TestContainerOutput`'s
//! wait for the pod's success, then its container's log) as seeks of virtual time. Upstream's
//! pod-name and resource tests build the plain `downwardAPI` volume's pods
//! (`downwardAPIVolumePodForSimpleTest`, `downwardAPIVolumeForContainerResources`, shared with
//! `downwardapi_volume.go`); only the mode tests use a projected volume. So here.
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

const UUID: &str = "9b4d2c7e-1a3f-4e8b-8c5d-0f6e7a2b3c41";
const POD_NAME: &str = "downwardapi-volume-9b4d2c7e-1a3f-4e8b-8c5d-0f6e7a2b3c41";

e2e_support::downward::downward_api_tests!(POD_NAME, true, UUID);
