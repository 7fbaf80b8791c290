//! The API server's side of `apps/v1` DaemonSets: defaulting (`SetDefaults_DaemonSet`), the
//! registry strategy (`pkg/registry/apps/daemonset/strategy.go`: generation and the template
//! generation kept in the `deprecated.daemonset.template.generation` annotation), validation
//! (`pkg/apis/apps/validation` `ValidateDaemonSetSpec`, the parts that show), template updates
//! and deletion with background cascade.

use super::daemonset::DaemonSetRecord;
use super::field::{Aim, FieldError, InvalidObject};
use super::ops::OpError;
use super::Engine;
use crate::model::apps::RollingUpdateDaemonSet;
use crate::model::{DaemonSet, IntOrString, PodSpec};

/// `apps.DeprecatedTemplateGeneration`: the v1 home of the internal `spec.templateGeneration`.
pub(crate) const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

impl Engine {
    /// Creates a DaemonSet as the API server does: defaulted, generation 1, template
    /// generation 1, validated; its controller syncs it at once.
    pub(crate) fn add_daemon_set(&mut self, mut set: DaemonSet) -> Result<usize, OpError> {
        let namespace = set.metadata.namespace().to_string();
        if self.find_daemon_set(&set.metadata.name, &namespace).is_some() {
            return Err(OpError::AlreadyExists { resource: "daemonsets.apps", name: set.metadata.name });
        }
        set.api_version = "apps/v1".into();
        set.kind = "DaemonSet".into();
        self.stamp_created(&mut set.metadata);
        // daemonSetStrategy.PrepareForCreate: templateGeneration 1 (apps/v1 keeps it as this
        // annotation, which `describe` shows).
        set.metadata.annotations.insert(TEMPLATE_GENERATION_ANNOTATION.into(), "1".into());
        apply_daemon_set_defaults(&mut set);
        validate_daemon_set(&set).map_err(OpError::InvalidObject)?;
        let s = self.daemon_sets.len();
        let name = set.metadata.name.clone();
        self.daemon_sets.push(DaemonSetRecord::new(set));
        self.daemon_sets[s].set.metadata.resource_version = self.bump_object_version();
        self.record_change(
            format!("daemonset/{name}"),
            super::ChangeDetail::DaemonSetCreated,
            "created: the DaemonSet controller creates a pod for every node its template's selector, affinity and tolerations allow",
        );
        self.enqueue_daemon_set(s);
        Ok(s)
    }

    /// A DaemonSet `name` in `namespace` that exists now.
    pub(crate) fn find_daemon_set(&self, name: &str, namespace: &str) -> Option<usize> {
        self.daemon_sets.iter().position(|r| !r.removed && r.set.metadata.name == name && r.set.metadata.namespace() == namespace)
    }

    /// Replaces the template's pod spec (`kubectl set image`): `PrepareForUpdate` moves the
    /// generation and the template generation; a new revision rolls out.
    pub(crate) fn set_daemon_set_pod_spec(&mut self, s: usize, spec: PodSpec) {
        let record = &mut self.daemon_sets[s];
        record.set.spec.template.spec = spec;
        let meta = &mut record.set.metadata;
        meta.generation = Some(meta.generation.unwrap_or(1) + 1);
        let template_generation = meta.annotations.get(TEMPLATE_GENERATION_ANNOTATION).and_then(|g| g.parse::<i64>().ok()).unwrap_or(0) + 1;
        meta.annotations.insert(TEMPLATE_GENERATION_ANNOTATION.into(), template_generation.to_string());
        self.daemon_sets[s].set.metadata.resource_version = self.bump_object_version();
        let record = &self.daemon_sets[s];
        let (name, generation) = (record.name().to_string(), record.generation());
        self.record_change(
            format!("daemonset/{name}"),
            super::ChangeDetail::DaemonSetUpdated { generation },
            "the template changed: with RollingUpdate the DaemonSet controller replaces old pods node by node, at most maxUnavailable at a time",
        );
        self.enqueue_daemon_set(s);
    }

    /// `kubectl delete daemonset NAME` (background propagation): the set goes now and the
    /// garbage collector deletes its pods.
    /// The set goes, and the garbage collector deletes the pods it still owns.
    pub(crate) fn delete_daemon_set(&mut self, s: usize, cause: &'static str) {
        self.daemon_sets[s].removed = true;
        let name = self.daemon_sets[s].name().to_string();
        self.bump_object_version();
        self.record_change(format!("daemonset/{name}"), super::ChangeDetail::DaemonSetDeleted, cause);
        self.collect_owned_pods(self.pods_of_daemon_set(s), "DaemonSet");
    }

    /// DaemonSets that exist now (and deleted ones, `removed`), by index.
    pub fn daemon_set_records(&self) -> &[DaemonSetRecord] {
        &self.daemon_sets
    }

    /// The set's pods that still exist (for `describe`'s Pods Status).
    pub fn daemon_set_pods(&self, s: usize) -> Vec<&crate::model::Pod> {
        self.pods_of_daemon_set(s).into_iter().map(|p| &self.pods[p].pod).collect()
    }
}

/// `SetDefaults_DaemonSet` (apps/v1) and the template's defaults.
fn apply_daemon_set_defaults(set: &mut DaemonSet) {
    let spec = &mut set.spec;
    let strategy = &mut spec.update_strategy;
    strategy.kind.get_or_insert_with(|| "RollingUpdate".into());
    if strategy.kind.as_deref() == Some("RollingUpdate") {
        let ru = strategy.rolling_update.get_or_insert_with(RollingUpdateDaemonSet::default);
        ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        ru.max_surge.get_or_insert(IntOrString::Int(0));
    }
    spec.revision_history_limit.get_or_insert(10);
    super::setup::apply_template_defaults(&mut spec.template.spec);
}

/// What the API server refuses in a DaemonSet (`ValidateDaemonSet`, the parts that show), in
/// its order: the selector against the template's labels, an empty selector, the template's
/// restart policy, `minReadySeconds`, the update strategy, `revisionHistoryLimit`.
pub(crate) fn validate_daemon_set(set: &DaemonSet) -> Result<(), InvalidObject> {
    let name = &set.metadata.name;
    if name.is_empty() {
        return Err(InvalidObject::unnamed("DaemonSet"));
    }
    let spec = &set.spec;
    let mut problems = Vec::new();
    // A missing selector selects nothing (`LabelSelectorAsSelector(nil)`), so it does not match.
    if !spec.selector.as_ref().is_some_and(|s| s.matches(&spec.template.metadata.labels)) {
        problems.push(FieldError::at_key(
            "spec.template.metadata.labels",
            format!(
                "Invalid value: {}: `selector` does not match template `labels`",
                super::setup::go_string_map(&spec.template.metadata.labels)
            ),
        ));
    }
    if spec.selector.as_ref().is_some_and(|s| s.is_empty()) {
        problems.push(FieldError::at_key("spec.selector", "Invalid value: \"null\": empty selector is invalid for daemonset"));
    }
    if let Some(policy) = spec.template.spec.restart_policy.as_deref().filter(|p| *p != "Always") {
        problems.push(FieldError::not_supported("spec.template.spec.restartPolicy", policy, &["Always"]));
    }
    if spec.min_ready_seconds < 0 {
        problems.push(FieldError::at_value(
            "spec.minReadySeconds",
            format!("Invalid value: {}: must be greater than or equal to 0", spec.min_ready_seconds),
        ));
    }
    problems.extend(update_strategy_problems(spec));
    if let Some(v) = spec.revision_history_limit.filter(|v| *v < 0) {
        problems.push(FieldError::at_value("spec.revisionHistoryLimit", format!("Invalid value: {v}: must be greater than or equal to 0")));
    }
    InvalidObject::check("DaemonSet", name, problems)
}

/// `ValidateDaemonSetUpdateStrategy` and `ValidateRollingUpdateDaemonSet`.
fn update_strategy_problems(spec: &crate::model::apps::DaemonSetSpec) -> Vec<FieldError> {
    let strategy = &spec.update_strategy;
    let mut problems = Vec::new();
    match strategy.kind.as_deref() {
        Some("OnDelete") => {}
        Some("RollingUpdate") => {
            let Some(ru) = &strategy.rolling_update else {
                problems.push(FieldError::at_key("spec.updateStrategy.rollingUpdate", "Required value"));
                return problems;
            };
            let fields = [("maxUnavailable", &ru.max_unavailable), ("maxSurge", &ru.max_surge)];
            for (field, value) in fields {
                let path = format!("spec.updateStrategy.rollingUpdate.{field}");
                problems.extend(super::workload_util::positive_int_or_percent_problems(value.as_ref(), &path));
            }
            let non_zero = |v: &Option<IntOrString>| v.as_ref().is_some_and(|v| super::workload_util::int_or_percent_value(v) != 0);
            match (non_zero(&ru.max_unavailable), non_zero(&ru.max_surge)) {
                (true, true) => problems.push(FieldError::at_value(
                    "spec.updateStrategy.rollingUpdate.maxSurge",
                    format!(
                        "Invalid value: {}: may not be set when maxUnavailable is non-zero",
                        ru.max_surge.as_ref().map(ToString::to_string).unwrap_or_default()
                    ),
                )),
                (false, false) => problems.push(FieldError::at_value(
                    "spec.updateStrategy.rollingUpdate.maxUnavailable",
                    "Required value: cannot be 0 when maxSurge is 0",
                )),
                _ => {}
            }
        }
        // The error names the strategy (its type may be absent): at the strategy's key.
        other => problems.push(FieldError {
            aim: Aim::Key,
            ..FieldError::not_supported("spec.updateStrategy", other.unwrap_or_default(), &["OnDelete", "RollingUpdate"])
        }),
    }
    problems
}
