//! The API server's side of `apps/v1` StatefulSets: defaulting (`SetDefaults_StatefulSet`),
//! validation (`pkg/apis/apps/validation` `ValidateStatefulSetSpec`, the parts that show),
//! scale, template updates and deletion with background cascade.

use super::field::{FieldError, InvalidObject};
use super::ops::OpError;
use super::statefulset::StatefulSetRecord;
use super::Engine;
use crate::model::apps::RollingUpdateStatefulSetStrategy;
use crate::model::{PodSpec, StatefulSet};

impl Engine {
    /// Creates a StatefulSet as the API server does: defaulted and validated; its controller
    /// syncs it at once.
    pub(crate) fn add_stateful_set(&mut self, mut set: StatefulSet) -> Result<usize, OpError> {
        let namespace = set.metadata.namespace().to_string();
        if self.find_stateful_set(&set.metadata.name, &namespace).is_some() {
            return Err(OpError::AlreadyExists { resource: "statefulsets.apps", name: set.metadata.name });
        }
        if set.spec.volume_claim_templates.as_ref().is_some_and(|v| v.as_sequence().is_none_or(|claims| !claims.is_empty())) {
            // Not the API server's words: podplay has no PersistentVolumeClaims to bind, and a
            // set whose pods would wait for claims forever is better refused than faked.
            return Err(OpError::Rejected(format!(
                "podplay: StatefulSet {:?} has volumeClaimTemplates, but podplay has no PersistentVolumeClaims or storage; remove them (and the volumeMounts that use them) to run it",
                set.metadata.name
            )));
        }
        set.api_version = "apps/v1".into();
        set.kind = "StatefulSet".into();
        self.stamp_created(&mut set.metadata);
        apply_stateful_set_defaults(&mut set);
        validate_stateful_set(&set).map_err(OpError::InvalidObject)?;
        let s = self.stateful_sets.len();
        let name = set.metadata.name.clone();
        let replicas = set.spec.replicas();
        self.stateful_sets.push(StatefulSetRecord::new(set));
        self.stateful_sets[s].set.metadata.resource_version = self.bump_object_version();
        self.record_change(
            format!("statefulset/{name}"),
            super::ChangeDetail::StatefulSetCreated { replicas },
            "created: the StatefulSet controller creates <name>-0, <name>-1, ... in order",
        );
        self.enqueue_stateful_set(s);
        Ok(s)
    }

    /// A StatefulSet `name` in `namespace` that exists now.
    pub(crate) fn find_stateful_set(&self, name: &str, namespace: &str) -> Option<usize> {
        self.stateful_sets.iter().position(|r| !r.removed && r.set.metadata.name == name && r.set.metadata.namespace() == namespace)
    }

    /// Sets `spec.replicas` (`kubectl scale`): the generation moves.
    pub(crate) fn set_stateful_set_replicas(&mut self, s: usize, replicas: i32) {
        let from = self.stateful_sets[s].set.spec.replicas();
        self.stateful_sets[s].set.spec.replicas = Some(replicas);
        self.bump_stateful_set_generation(s);
        let name = self.stateful_sets[s].name().to_string();
        self.record_change(
            format!("statefulset/{name}"),
            super::ChangeDetail::StatefulSetScaled { from, to: replicas },
            "spec.replicas changed: the StatefulSet controller creates the next ordinals or deletes the highest ones",
        );
        self.enqueue_stateful_set(s);
    }

    /// Replaces the template's pod spec (`kubectl set image`): a new revision rolls out.
    pub(crate) fn set_stateful_set_pod_spec(&mut self, s: usize, spec: PodSpec) {
        self.stateful_sets[s].set.spec.template.spec = spec;
        self.bump_stateful_set_generation(s);
        let record = &self.stateful_sets[s];
        let (name, generation) = (record.name().to_string(), record.generation());
        self.record_change(
            format!("statefulset/{name}"),
            super::ChangeDetail::StatefulSetUpdated { generation },
            "the template changed: the StatefulSet controller replaces pods from the highest ordinal down to the partition",
        );
        self.enqueue_stateful_set(s);
    }

    fn bump_stateful_set_generation(&mut self, s: usize) {
        let meta = &mut self.stateful_sets[s].set.metadata;
        meta.generation = Some(meta.generation.unwrap_or(1) + 1);
        self.stateful_sets[s].set.metadata.resource_version = self.bump_object_version();
    }

    /// `kubectl delete statefulset NAME` (background propagation): the set goes now and the
    /// garbage collector deletes its pods.
    /// The set goes, and the garbage collector deletes the pods it still owns.
    pub(crate) fn delete_stateful_set(&mut self, s: usize, cause: &'static str) {
        self.stateful_sets[s].removed = true;
        let name = self.stateful_sets[s].name().to_string();
        self.bump_object_version();
        self.record_change(format!("statefulset/{name}"), super::ChangeDetail::StatefulSetDeleted, cause);
        self.collect_owned_pods(self.pods_of_stateful_set(s), "StatefulSet");
    }

    /// StatefulSets that exist now (and deleted ones, `removed`), by index.
    pub fn stateful_set_records(&self) -> &[StatefulSetRecord] {
        &self.stateful_sets
    }

    /// The set's pods that still exist (for `describe`'s Pods Status).
    pub fn stateful_set_pods(&self, s: usize) -> Vec<&crate::model::Pod> {
        self.pods_of_stateful_set(s).into_iter().map(|p| &self.pods[p].pod).collect()
    }
}

/// `SetDefaults_StatefulSet` (apps/v1) and the template's defaults.
fn apply_stateful_set_defaults(set: &mut StatefulSet) {
    let spec = &mut set.spec;
    spec.replicas.get_or_insert(1);
    spec.pod_management_policy.get_or_insert_with(|| "OrderedReady".into());
    let strategy = &mut spec.update_strategy;
    strategy.kind.get_or_insert_with(|| "RollingUpdate".into());
    if strategy.kind.as_deref() == Some("RollingUpdate") {
        strategy.rolling_update.get_or_insert_with(RollingUpdateStatefulSetStrategy::default).partition.get_or_insert(0);
    }
    spec.revision_history_limit.get_or_insert(10);
    super::setup::apply_template_defaults(&mut spec.template.spec);
}

/// What the API server refuses in a StatefulSet (`ValidateStatefulSet`, the parts that show).
pub(crate) fn validate_stateful_set(set: &StatefulSet) -> Result<(), InvalidObject> {
    let name = &set.metadata.name;
    if name.is_empty() {
        return Err(InvalidObject::unnamed("StatefulSet"));
    }
    let spec = &set.spec;
    let mut problems = super::setup::workload_problems(spec.replicas, spec.selector.as_ref(), &spec.template, "statefulset");
    match spec.pod_management_policy.as_deref() {
        Some("OrderedReady" | "Parallel") | None => {}
        Some(other) => problems.push(FieldError::at_value(
            "spec.podManagementPolicy",
            format!("Invalid value: {other:?}: must be 'OrderedReady' or 'Parallel'"),
        )),
    }
    let strategy = &spec.update_strategy;
    match strategy.kind.as_deref() {
        Some("OnDelete") if strategy.rolling_update.is_some() => problems.push(FieldError::at_key(
            "spec.updateStrategy.rollingUpdate",
            "Invalid value: \"\": only allowed for updateStrategy 'RollingUpdate'",
        )),
        Some("RollingUpdate" | "OnDelete") | None => {}
        Some(_) => problems.push(FieldError::at_key("spec.updateStrategy", "Invalid value: \"\": must be 'RollingUpdate' or 'OnDelete'")),
    }
    if let Some(p) = strategy.rolling_update.as_ref().and_then(|r| r.partition).filter(|p| *p < 0) {
        problems.push(FieldError::at_value(
            "spec.updateStrategy.rollingUpdate.partition",
            format!("Invalid value: {p}: must be greater than or equal to 0"),
        ));
    }
    for (field, value) in [("revisionHistoryLimit", spec.revision_history_limit), ("minReadySeconds", Some(spec.min_ready_seconds))] {
        if let Some(v) = value.filter(|v| *v < 0) {
            problems.push(FieldError::at_value(format!("spec.{field}"), format!("Invalid value: {v}: must be greater than or equal to 0")));
        }
    }
    InvalidObject::check("StatefulSet", name, problems)
}
