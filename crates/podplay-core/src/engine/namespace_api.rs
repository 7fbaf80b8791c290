//! The API server's side of `v1` Namespace: the system namespaces every cluster has, the
//! namespaces a scenario declares or names, validation in the API server's words, create and
//! lookup, and the `NamespaceLifecycle` admission of objects created in a namespace. (Deleting
//! a namespace, the namespace controller's work, is not simulated: kubectl says so.)
//!
//! A scenario's objects are created at time 0 in the namespaces they name. On a real cluster
//! those namespaces have to exist first (`kubectl create namespace`, or a Namespace document
//! earlier in the file); podplay creates the ones a scenario names but does not declare before
//! anything else, as the set-up of the cluster a lesson runs on (`podplay record-script` creates
//! them on a real cluster the same way). An object created later by a step in a namespace that
//! does not exist is refused as the API server refuses it (`namespaces "x" not found`).

use podplay_k8s_util::rand::SplitMix64;

use super::field::{dns1123_label_errors, FieldError, InvalidObject};
use super::ops::OpError;
use super::Engine;
use crate::model::{Namespace, ObjectMeta};

/// The namespaces kube-apiserver's system namespaces controller keeps (`kube-system`,
/// `kube-public`, `kube-node-lease`) and `default`.
pub const SYSTEM_NAMESPACES: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

/// A namespace as the API server keeps it.
#[derive(Debug, Clone)]
pub struct NamespaceRecord {
    pub namespace: Namespace,
}

impl NamespaceRecord {
    /// `status.phase` (`Terminating` only while a deleted namespace empties, which podplay does
    /// not simulate).
    pub fn phase(&self) -> &'static str {
        "Active"
    }
}

/// A namespace as the API server stores it: `kind`, the `kubernetes.io/metadata.name` label
/// (set on every namespace since 1.21).
fn stored(mut ns: Namespace) -> Namespace {
    ns.api_version = "v1".into();
    ns.kind = "Namespace".into();
    ns.metadata.namespace = None;
    let name = ns.metadata.name.clone();
    ns.metadata.labels.insert("kubernetes.io/metadata.name".into(), name);
    ns
}

/// A namespace of the cluster's set-up, with a UID from a generator of its own (so that it
/// takes no draw from the engine's) and the store's version at the start.
fn set_up(name: &str, seed: u64) -> NamespaceRecord {
    let salt = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let metadata = ObjectMeta {
        name: name.to_string(),
        uid: super::uid_from(&mut SplitMix64::new(seed ^ salt)),
        resource_version: Some(super::controllers::INITIAL_RESOURCE_VERSION.to_string()),
        ..Default::default()
    };
    NamespaceRecord { namespace: stored(Namespace { metadata, ..Default::default() }) }
}

impl Engine {
    /// The system namespaces, and `named` (the namespaces the scenario's objects name and no
    /// Namespace document declares), as the cluster has them before the scenario's objects.
    pub(crate) fn set_up_namespaces<'a>(&mut self, seed: u64, named: impl Iterator<Item = &'a str>) {
        for name in SYSTEM_NAMESPACES.into_iter().chain(named) {
            if self.find_namespace(name).is_none() && dns1123_label_errors(name).is_empty() {
                self.namespaces.push(set_up(name, seed));
            }
        }
        self.namespaces.sort_by(|a, b| a.namespace.metadata.name.cmp(&b.namespace.metadata.name));
    }

    /// Creates a namespace (a Namespace document, `kubectl create namespace`).
    pub(crate) fn add_namespace(&mut self, ns: Namespace) -> Result<(), OpError> {
        let name = ns.metadata.name.clone();
        if name.is_empty() {
            return Err(OpError::InvalidObject(InvalidObject::unnamed("Namespace")));
        }
        let errors: Vec<FieldError> = dns1123_label_errors(&name)
            .into_iter()
            .map(|e| FieldError::at_value("metadata.name", format!("Invalid value: {}: {e}", podplay_k8s_util::gofmt::quote(&name))))
            .collect();
        InvalidObject::check("Namespace", &name, errors).map_err(OpError::InvalidObject)?;
        if self.find_namespace(&name).is_some() {
            return Err(OpError::AlreadyExists { resource: "namespaces", name });
        }
        let mut ns = stored(ns);
        ns.metadata.uid = self.random_uid();
        ns.metadata.creation = self.now;
        ns.metadata.resource_version = self.bump_object_version();
        let at = self.namespaces.partition_point(|r| r.namespace.metadata.name < name);
        self.namespaces.insert(at, NamespaceRecord { namespace: ns });
        Ok(())
    }

    /// `kubectl create namespace NAME`.
    pub fn create_namespace(&mut self, name: &str) -> Result<(), OpError> {
        let metadata = ObjectMeta { name: name.to_string(), ..Default::default() };
        self.add_namespace(Namespace { metadata, ..Default::default() })?;
        self.outside_changes += 1;
        Ok(())
    }

    pub fn find_namespace(&self, name: &str) -> Option<&NamespaceRecord> {
        self.namespaces.iter().find(|r| r.namespace.metadata.name == name)
    }

    /// Every namespace, by name (as the API server lists them).
    pub fn namespaces(&self) -> &[NamespaceRecord] {
        &self.namespaces
    }

    /// The API server's admission of an object created in `namespace` (the `NamespaceLifecycle`
    /// plugin): none in a namespace that does not exist.
    pub(crate) fn admit_in_namespace(&self, namespace: &str) -> Result<(), OpError> {
        match self.find_namespace(namespace) {
            None => Err(OpError::NotFound { resource: "namespaces", name: namespace.to_string() }),
            Some(_) => Ok(()),
        }
    }
}
