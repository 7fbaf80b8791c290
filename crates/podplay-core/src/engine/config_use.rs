//! The kubelet's use of ConfigMaps and Secrets: `makeEnvironmentVariables`'s `envFrom` and
//! `configMapKeyRef`/`secretKeyRef` (pkg/kubelet/kubelet_pods.go), and the volume manager's
//! SetUp of `configMap`, `secret`, `downwardAPI` and `projected` volumes (pkg/volume/configmap,
//! pkg/volume/secret, pkg/volume/downwardapi, pkg/volume/projected), with the operation
//! executor's back-off between failed mounts (nestedpendingoperations' exponential back-off).

use std::collections::BTreeMap;

use super::config_api::{decode_base64, encode_base64_url};
use super::setup::SERVICE_ACCOUNT_TOKEN_MARK;
use super::Engine;
use crate::clock::Millis;
use crate::model::config::{DownwardApiVolumeFile, EnvFromSource, KeySelector, KeysVolumeSource, ProjectedVolumeSource};
use crate::model::{EnvVar, Volume};

/// nestedpendingoperations' `initialDurationBeforeRetry` and `maxDurationBeforeRetry`.
const MOUNT_RETRY_INITIAL_MS: Millis = 500;
const MOUNT_RETRY_MAX_MS: Millis = 122_000;
/// The volume manager's reconciler loop period (`reconcilerLoopSleepPeriod`).
const RECONCILER_PERIOD_MS: Millis = 100;
/// `volume.DefaultMode` of configMap, secret and projected volumes (0644).
const DEFAULT_FILE_MODE: u32 = 0o644;

/// A pod's failed volume mounts: when the reconciler may try again and the back-off it grew.
#[derive(Debug, Clone, Default)]
pub struct MountRetry {
    pub next_try: Millis,
    pub delay: Millis,
}

/// The files of one volume, or the reason its SetUp failed.
type VolumeFiles = Result<Vec<(String, Vec<u8>, u32)>, String>;

/// `utilerrors.NewAggregate(errs).Error()`: one error as it is, several each once, in brackets.
fn aggregate(errors: Vec<String>) -> Result<(), String> {
    let mut unique: Vec<String> = Vec::new();
    for e in errors {
        if !unique.contains(&e) {
            unique.push(e);
        }
    }
    match unique.len() {
        0 => Ok(()),
        1 => Err(unique.remove(0)),
        _ => Err(format!("[{}]", unique.join(", "))),
    }
}

/// A volume source the API server accepted, as the kubelet's typed view of it.
fn typed<T: serde::de::DeserializeOwned + Default>(source: &serde_yaml::Value) -> T {
    serde_yaml::from_value(source.clone()).unwrap_or_default()
}

impl Engine {
    /// The data of a ConfigMap (`data` and decoded `binaryData`) or a Secret (decoded `data`),
    /// or the kubelet's configmap/secret manager's NotFound (`configmap "x" not found`).
    fn object_data(&self, secret: bool, namespace: &str, name: &str) -> Result<BTreeMap<String, Vec<u8>>, String> {
        let decoded = |m: &BTreeMap<String, String>| -> BTreeMap<String, Vec<u8>> {
            podplay_k8s_util::sort::btree_map(m.iter().map(|(k, v)| (k.clone(), decode_base64(v).unwrap_or_default())))
        };
        if secret {
            let s = self.find_secret(name, namespace).ok_or_else(|| format!("secret \"{name}\" not found"))?;
            return Ok(decoded(&s.data));
        }
        let cm = self.find_config_map(name, namespace).ok_or_else(|| format!("configmap \"{name}\" not found"))?;
        let mut data = decoded(&cm.binary_data);
        data.extend(cm.data.iter().map(|(k, v)| (k.clone(), v.as_bytes().to_vec())));
        Ok(data)
    }

    /// `envFrom`'s variables, in the order the kubelet adds them (each source's keys sorted).
    pub(crate) fn env_from_values(&self, namespace: &str, sources: &serde_yaml::Value) -> Result<Vec<(String, String)>, String> {
        let sources: Vec<EnvFromSource> = serde_yaml::from_value(sources.clone()).unwrap_or_default();
        let mut out = Vec::new();
        for source in sources {
            let (secret, reference) = match (source.config_map_ref, source.secret_ref) {
                (Some(r), _) => (false, r),
                (None, Some(r)) => (true, r),
                (None, None) => continue,
            };
            match self.object_data(secret, namespace, &reference.name) {
                Ok(data) => out.extend(data.into_iter().map(|(k, v)| (format!("{}{k}", source.prefix), lossy(v)))),
                Err(_) if reference.optional == Some(true) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// An `env` entry's `configMapKeyRef`/`secretKeyRef` value; `Ok(None)` when it is optional
    /// and missing (the kubelet leaves the variable out).
    pub(crate) fn key_ref_value(&self, namespace: &str, var: &EnvVar) -> Result<Option<String>, String> {
        let Some(from) = &var.value_from else { return Ok(Some(String::new())) };
        let (secret, selector) = match (&from.config_map_key_ref, &from.secret_key_ref) {
            (Some(v), _) => (false, v),
            (None, Some(v)) => (true, v),
            (None, None) => return Ok(Some(String::new())),
        };
        let selector: KeySelector = serde_yaml::from_value((**selector).clone()).unwrap_or_default();
        let optional = selector.optional == Some(true);
        let data = match self.object_data(secret, namespace, &selector.name) {
            Ok(data) => data,
            Err(_) if optional => return Ok(None),
            Err(e) => return Err(e),
        };
        match data.get(&selector.key) {
            Some(v) => Ok(Some(lossy(v.clone()))),
            None if optional => Ok(None),
            None => {
                let kind = if secret { "Secret" } else { "ConfigMap" };
                Err(format!("couldn't find key {} in {kind} {namespace}/{}", selector.key, selector.name))
            }
        }
    }

    /// The files of a pod's volume as the kubelet writes them, or why SetUp failed.
    /// `None`: not a volume of files (emptyDir, or one podplay does not fill).
    pub(crate) fn volume_files(&self, p: usize, volume: &Volume) -> Option<VolumeFiles> {
        let namespace = self.pods[p].namespace();
        if let Some(source) = &volume.config_map {
            let source: KeysVolumeSource = typed(source);
            let mode = source.default_mode.unwrap_or(DEFAULT_FILE_MODE);
            return Some(self.keys_payload(false, namespace, &source.name, &source, mode));
        }
        if let Some(source) = &volume.secret {
            let source: KeysVolumeSource = typed(source);
            let mode = source.default_mode.unwrap_or(DEFAULT_FILE_MODE);
            return Some(self.keys_payload(true, namespace, &source.secret_name, &source, mode));
        }
        if let Some(source) = &volume.downward_api {
            let source: crate::model::config::DownwardApiVolumeSource = typed(source);
            return Some(self.downward_api_payload(p, &source.items, source.default_mode.unwrap_or(DEFAULT_FILE_MODE)));
        }
        let projected = volume.projected.as_ref()?;
        if projected.get(SERVICE_ACCOUNT_TOKEN_MARK).is_some() {
            return Some(Ok(self.service_account_files(p)));
        }
        Some(self.projected_payload(p, &typed(projected)))
    }

    /// configMap/secret `MakePayload`: every key of the object `name`, or the `items` asked for,
    /// each with its own mode or `mode`; a missing object or key is an error unless `optional`.
    fn keys_payload(&self, secret: bool, namespace: &str, name: &str, source: &KeysVolumeSource, mode: u32) -> VolumeFiles {
        let optional = source.optional == Some(true);
        let data = match self.object_data(secret, namespace, name) {
            Ok(data) => data,
            Err(_) if optional => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        if source.items.is_empty() {
            return Ok(data.into_iter().map(|(k, v)| (k, v, mode)).collect());
        }
        let mut files = Vec::new();
        for item in &source.items {
            match data.get(&item.key) {
                Some(v) => files.push((item.path.clone(), v.clone(), item.mode.unwrap_or(mode))),
                None if optional => {}
                None if secret => return Err(format!("references non-existent secret key: {}", item.key)),
                None => return Err(format!("configmap references non-existent config key: {}", item.key)),
            }
        }
        Ok(files)
    }

    /// downwardapi `CollectData`: each item's field of the pod (`fieldpath`) or resource of a
    /// container (the node's allocatable standing in for an unset limit), at its cleaned path
    /// with its own mode or `mode`; the items' errors aggregated.
    fn downward_api_payload(&self, p: usize, items: &[DownwardApiVolumeFile], mode: u32) -> VolumeFiles {
        let rec = &self.pods[p];
        let allocatable = rec.node.map(|n| &self.nodes[n].node.status.allocatable);
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for item in items {
            let value = if let Some(field) = &item.field_ref {
                super::downward_api::extract_field_path(&rec.pod.metadata, rec.namespace(), &field.field_path)
            } else if let Some(selector) = &item.resource_field_ref {
                let none = BTreeMap::new();
                super::downward_api::extract_resource_value(&rec.pod.spec, selector, allocatable.unwrap_or(&none))
            } else {
                Ok(String::new())
            };
            match value {
                Ok(value) => files.push((clean_path(&item.path), value.into_bytes(), item.mode.unwrap_or(mode))),
                Err(e) => errors.push(e),
            }
        }
        aggregate(errors).map(|()| files)
    }

    /// projected `collectData`: each source's files with the volume's `defaultMode` (a later
    /// source's file replaces an earlier one of the same path); a source that fails adds its
    /// error and none of its files, and the errors are aggregated.
    fn projected_payload(&self, p: usize, source: &ProjectedVolumeSource) -> VolumeFiles {
        let namespace = self.pods[p].namespace();
        let mode = source.default_mode.unwrap_or(DEFAULT_FILE_MODE);
        let mut files: BTreeMap<String, (Vec<u8>, u32)> = BTreeMap::new();
        let mut errors = Vec::new();
        for projection in &source.sources {
            let payload = if let Some(secret) = &projection.secret {
                self.keys_payload(true, namespace, &secret.name, secret, mode)
            } else if let Some(config_map) = &projection.config_map {
                self.keys_payload(false, namespace, &config_map.name, config_map, mode)
            } else if let Some(downward) = &projection.downward_api {
                self.downward_api_payload(p, &downward.items, mode)
            } else if let Some(token) = &projection.service_account_token {
                let audience = token.audience.as_deref().unwrap_or(API_SERVER_AUDIENCE);
                Ok(vec![(token.path.clone(), self.service_account_token(p, audience).into_bytes(), mode)])
            } else {
                Ok(Vec::new())
            };
            match payload {
                Ok(payload) => files.extend(payload.into_iter().map(|(path, data, mode)| (path, (data, mode)))),
                Err(e) => errors.push(e),
            }
        }
        aggregate(errors).map(|()| files.into_iter().map(|(path, (data, mode))| (path, data, mode)).collect())
    }

    /// kube-api-access-*: a bound token, the cluster's CA (`kube-root-ca.crt`) and the namespace.
    fn service_account_files(&self, p: usize) -> Vec<(String, Vec<u8>, u32)> {
        let namespace = self.pods[p].namespace().to_string();
        vec![
            ("ca.crt".into(), CLUSTER_CA.as_bytes().to_vec(), DEFAULT_FILE_MODE),
            ("namespace".into(), namespace.into_bytes(), DEFAULT_FILE_MODE),
            ("token".into(), self.service_account_token(p, API_SERVER_AUDIENCE).into_bytes(), DEFAULT_FILE_MODE),
        ]
    }

    /// A JWT shaped as the API server's bound tokens are; podplay signs nothing, so the third
    /// part is not a signature any verifier accepts.
    fn service_account_token(&self, p: usize, audience: &str) -> String {
        let rec = &self.pods[p];
        let url = |s: &str| encode_base64_url(s.as_bytes());
        let header = url(r#"{"alg":"RS256","kid":"podplay"}"#);
        let account = rec.pod.spec.service_account_name.clone().unwrap_or_else(|| "default".into());
        let payload = url(&format!(
            r#"{{"aud":[{}],"iss":"https://kubernetes.default.svc.cluster.local","kubernetes.io":{{"namespace":"{}","pod":{{"name":"{}","uid":"{}"}},"serviceaccount":{{"name":"{account}"}}}},"sub":"system:serviceaccount:{}:{account}"}}"#,
            podplay_k8s_util::gofmt::quote(audience),
            rec.namespace(),
            rec.name(),
            rec.pod.metadata.uid,
            rec.namespace()
        ));
        format!("{header}.{payload}.{}", url(&rec.pod.metadata.uid))
    }

    /// A kubelet event about the pod itself (no container's fieldPath), as the volume manager's.
    fn emit_pod_event(&mut self, p: usize, kind: &str, reason: &str, message: String) {
        let node = self.pods[p].node.map(|n| self.nodes[n].node.metadata.name.clone()).unwrap_or_default();
        let involved = self.pod_ref(p, None);
        self.emit_event(involved, "kubelet", &node, kind, reason, message);
    }

    /// The volume manager mounts the pod's volumes before the pod worker makes its sandbox: the
    /// files of each volume by name, or, after a failed SetUp (a `FailedMount` event per failed
    /// volume), the time of the reconciler's next try under the exponential back-off.
    pub(crate) fn mount_volumes(&mut self, p: usize) -> Result<BTreeMap<String, Vec<(String, Vec<u8>, u32)>>, Millis> {
        if let Some(retry) = &self.pods[p].mount_retry {
            if self.now < retry.next_try {
                return Err(retry.next_try);
            }
        }
        let (mounted, failed) = self.set_up_volumes(p, false);
        if !failed {
            self.pods[p].mount_retry = None;
            return Ok(mounted);
        }
        Err(self.back_off_mount(p))
    }

    /// The remount at a sync of a pod whose sandbox runs (`WaitForAttachAndMount` →
    /// `ReprocessPod`; the configMap, secret, downwardAPI and projected plugins
    /// `RequiresRemount`): each volume's payload is made again and written where it changed, so
    /// an updated, created or deleted ConfigMap or Secret, or the pod's new labels and
    /// annotations, reach its files (its environment does not change). A volume whose SetUp
    /// fails keeps its files, with a `FailedMount` event, and the reconciler tries again under
    /// the same back-off as a first mount (`Task::Remount`), until it succeeds.
    pub(crate) fn remount_volumes(&mut self, p: usize) {
        if self.pods[p].mount_retry.as_ref().is_some_and(|r| self.now < r.next_try) {
            return; // the reconciler's own retry comes at the end of the back-off
        }
        let Some(sandbox) = self.pods[p].sandbox else { return };
        let (mounted, failed) = self.set_up_volumes(p, true);
        for (name, files) in mounted {
            self.cri.update_volume_files(self.now, sandbox, &name, files);
        }
        if failed {
            let at = self.back_off_mount(p);
            self.schedule(at, super::Task::Remount(p));
        } else {
            self.pods[p].mount_retry = None;
        }
    }

    /// `Task::Remount`: the reconciler's try after a failed remount's back-off, while the pod
    /// still runs (the volume manager mounts nothing for a pod being terminated).
    pub(crate) fn remount_after_back_off(&mut self, p: usize) {
        let rec = &self.pods[p];
        let due = rec.mount_retry.as_ref().is_some_and(|r| r.next_try == self.now);
        if !due || rec.removed || rec.terminal || rec.deleting() || rec.sandbox_stopped || !self.node_connected(p) {
            return;
        }
        self.remount_volumes(p);
    }

    /// SetUp of the pod's volumes of files: each one's files by name, and whether any failed (a
    /// `FailedMount` event each). `again`: a remount, which skips the service-account volume
    /// (its token, CA and namespace never change in podplay: no token is refreshed).
    fn set_up_volumes(&mut self, p: usize, again: bool) -> (BTreeMap<String, Vec<(String, Vec<u8>, u32)>>, bool) {
        // Taken out for the loop and put back (no copy at every sync): a payload reads the
        // pod's metadata and containers and the cluster's objects, never the pod's volumes.
        let volumes = std::mem::take(&mut self.pods[p].pod.spec.volumes);
        let mut mounted = BTreeMap::new();
        let mut failed = false;
        for volume in &volumes {
            if again && volume.projected.as_ref().is_some_and(|v| v.get(SERVICE_ACCOUNT_TOKEN_MARK).is_some()) {
                continue;
            }
            if let Some(source) = volume.host_path.as_ref().filter(|_| !again) {
                // The hostPath plugin's SetUp (no remount: it does not `RequiresRemount`).
                let source = host_path_of(source);
                // The volume manager mounts only its node's pods.
                let Some(node) = self.pods[p].node else { continue };
                let set_up = self.cri.host_path_set_up(self.now, node, &source.path, source.path_type.as_deref().unwrap_or(""));
                if let Err(e) = set_up {
                    failed = true;
                    let message = format!("MountVolume.SetUp failed for volume \"{}\" : {e}", volume.name);
                    self.emit_pod_event(p, "Warning", "FailedMount", message);
                }
                continue;
            }
            match self.volume_files(p, volume) {
                Some(Ok(files)) => {
                    mounted.insert(volume.name.clone(), files);
                }
                Some(Err(e)) => {
                    failed = true;
                    let message = format!("MountVolume.SetUp failed for volume \"{}\" : {e}", volume.name);
                    self.emit_pod_event(p, "Warning", "FailedMount", message);
                }
                None => {}
            }
        }
        self.pods[p].pod.spec.volumes = volumes;
        (mounted, failed)
    }

    /// nestedpendingoperations' exponential back-off after a failed mount: the time of the
    /// reconciler's next try.
    fn back_off_mount(&mut self, p: usize) -> Millis {
        let delay = self.pods[p].mount_retry.as_ref().map_or(MOUNT_RETRY_INITIAL_MS, |r| (r.delay * 2).min(MOUNT_RETRY_MAX_MS));
        // The reconciler sees the back-off run out at its next loop.
        let next_try = (self.now + delay).div_ceil(RECONCILER_PERIOD_MS) * RECONCILER_PERIOD_MS;
        self.pods[p].mount_retry = Some(MountRetry { next_try, delay });
        next_try
    }
}

/// A `hostPath` volume's source (validated when the pod was created).
pub(crate) fn host_path_of(source: &serde_yaml::Value) -> crate::model::config::HostPathVolumeSource {
    typed(source)
}

/// The API server's own audience, which a token that names none is bound to.
const API_SERVER_AUDIENCE: &str = "https://kubernetes.default.svc.cluster.local";

/// Go's `path.Clean` of a relative item path (validation has refused `..` and absolute paths).
fn clean_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty() && *part != ".").collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A stand-in for the cluster CA the kubelet copies from `kube-root-ca.crt` (not a usable key).
const CLUSTER_CA: &str = "-----BEGIN CERTIFICATE-----
MIIDBTCCAe2gAwIBAgIIUG9kcGxheUNBMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNV
BAMTCmt1YmVybmV0ZXMwHhcNMjYxMTI1MDk1NTAwWhcNMzYxMTIzMTAwMDAwWjAV
MRMwEQYDVQQDEwprdWJlcm5ldGVzMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIB
CgKCAQEApodplaypodplaypodplaypodplaypodplaypodplaypodplaypodplay
-----END CERTIFICATE-----
";
