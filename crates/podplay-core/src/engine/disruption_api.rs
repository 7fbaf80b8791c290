//! The API server's side of `policy/v1` PodDisruptionBudget (`pkg/registry/policy/
//! poddisruptionbudget`, `pkg/apis/policy/validation`) and of the pods' `eviction`
//! subresource (`pkg/registry/core/pod/storage/eviction.go`). The disruption controller that
//! writes a budget's status is `disruption.rs`.

use super::field::{FieldError, InvalidObject};
use super::ops::OpError;
use super::workload_util::positive_int_or_percent_problems;
use super::Engine;
use crate::clock::Millis;
use crate::model::{LabelSelector, PdbCondition, Pod, PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus};

/// The `reason` of the refusal of a version the API server does not serve (the RESTMapper's
/// `NoKindMatchError`; a client words it as its own).
pub(crate) const NO_KIND_MATCH: &str = "NoKindMatch";

/// `MaxDisruptedPodSize`: past this many evictions the controller has not seen yet, the
/// eviction subresource refuses more.
const MAX_DISRUPTED_POD_SIZE: usize = 2000;

/// The eviction subresource's 429 (`createTooManyRequestsError` and `checkAndDecrement`).
const VIOLATES_BUDGET: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

/// A PodDisruptionBudget as the API server holds it, with the status the disruption controller
/// and the eviction subresource wrote.
#[derive(Debug, Clone)]
pub struct PdbRecord {
    pub pdb: PodDisruptionBudget,
    pub status: PodDisruptionBudgetStatus,
    pub removed: bool,
}

impl PdbRecord {
    pub fn name(&self) -> &str {
        &self.pdb.metadata.name
    }
    pub fn namespace(&self) -> &str {
        self.pdb.metadata.namespace()
    }
    pub fn generation(&self) -> i64 {
        self.pdb.metadata.generation.unwrap_or(1)
    }

    /// The selector the controller lists pods with: `None` selects nothing (a null selector,
    /// and a `policy/v1beta1` empty one, which conversion makes match-none); an empty `policy/v1`
    /// selector selects every pod of the namespace.
    pub fn pod_selector(&self) -> Option<&LabelSelector> {
        let selector = self.pdb.spec.selector.as_ref()?;
        (!(selector.is_empty() && self.pdb.api_version == "policy/v1beta1")).then_some(selector)
    }

    /// Whether the controller counts `pod` (`getPodsForPdb`: same namespace, the selector).
    pub(crate) fn selects(&self, pod: &Pod) -> bool {
        pod.metadata.namespace() == self.namespace() && self.pod_selector().is_some_and(|s| s.matches(&pod.metadata.labels))
    }

    /// Whether the eviction subresource counts `pod` against it (`getPodDisruptionBudgets`: an
    /// empty selector matches nothing there, "not everything").
    fn guards(&self, pod: &Pod) -> bool {
        self.selects(pod) && self.pod_selector().is_some_and(|s| !s.is_empty())
    }
}

impl Engine {
    /// The API server's create of a PodDisruptionBudget: the version must be served, status
    /// reset and generation 1 (`PrepareForCreate`), fields of disabled gates dropped, validated.
    pub(crate) fn add_pdb(&mut self, mut pdb: PodDisruptionBudget) -> Result<usize, OpError> {
        if pdb.api_version == "policy/v1beta1" && !self.release.pdb_v1beta1 {
            let message = "no matches for kind \"PodDisruptionBudget\" in version \"policy/v1beta1\"".to_string();
            return Err(OpError::Status { reason: NO_KIND_MATCH, message });
        }
        let namespace = pdb.metadata.namespace().to_string();
        if self.find_pdb(&pdb.metadata.name, &namespace).is_some() {
            return Err(OpError::AlreadyExists { resource: "poddisruptionbudgets.policy", name: pdb.metadata.name });
        }
        if !self.release.pdb_unhealthy_pod_eviction_policy {
            pdb.spec.unhealthy_pod_eviction_policy = None;
        }
        validate_pdb(&pdb).map_err(OpError::InvalidObject)?;
        pdb.kind = "PodDisruptionBudget".into();
        self.stamp_created(&mut pdb.metadata);
        let name = pdb.metadata.name.clone();
        let i = self.pdbs.len();
        self.pdbs.push(PdbRecord { pdb, status: PodDisruptionBudgetStatus::default(), removed: false });
        self.bump_pdb_version(i);
        self.record_change(
            format!("poddisruptionbudget/{name}"),
            super::ChangeDetail::DisruptionBudgetCreated,
            "created: the disruption controller counts the pods it selects and writes how many may be disrupted",
        );
        self.enqueue_pdb(i);
        Ok(i)
    }

    /// `kubectl create poddisruptionbudget`: the API server's create.
    pub fn create_pdb(&mut self, pdb: PodDisruptionBudget) -> Result<(), OpError> {
        self.add_pdb(pdb)?;
        self.outside_changes += 1;
        Ok(())
    }

    /// The API server's update (or merge patch) of a budget's spec: fields of disabled gates
    /// dropped, validated, and `generation` one more when the spec changed (`PrepareForUpdate`);
    /// the status stays until the controller observes the new generation.
    pub fn update_pdb_spec(&mut self, namespace: &str, name: &str, mut spec: PodDisruptionBudgetSpec) -> Result<(), OpError> {
        let b = self
            .find_pdb(name, namespace)
            .ok_or_else(|| OpError::NotFound { resource: "poddisruptionbudgets.policy", name: name.into() })?;
        if !self.release.pdb_unhealthy_pod_eviction_policy {
            spec.unhealthy_pod_eviction_policy = None;
        }
        let mut pdb = self.pdbs[b].pdb.clone();
        if pdb.spec == spec {
            return Ok(());
        }
        pdb.spec = spec;
        validate_pdb(&pdb).map_err(OpError::InvalidObject)?;
        pdb.metadata.generation = Some(self.pdbs[b].generation() + 1);
        self.pdbs[b].pdb = pdb;
        self.outside_changes += 1;
        self.note_pdb_write(b);
        Ok(())
    }

    pub fn find_pdb(&self, name: &str, namespace: &str) -> Option<usize> {
        self.pdbs.iter().position(|r| !r.removed && r.name() == name && r.namespace() == namespace)
    }

    /// PodDisruptionBudgets that exist now (and deleted ones, `removed`), by index.
    pub fn pdb_records(&self) -> &[PdbRecord] {
        &self.pdbs
    }

    /// `kubectl delete pdb NAME`.
    pub fn delete_pdb_named(&mut self, namespace: &str, name: &str) -> Result<(), OpError> {
        let i = self
            .find_pdb(name, namespace)
            .ok_or_else(|| OpError::NotFound { resource: "poddisruptionbudgets.policy", name: name.into() })?;
        self.pdbs[i].removed = true;
        self.bump_object_version();
        self.outside_changes += 1;
        Ok(())
    }

    /// The eviction subresource (`EvictionREST.Create`): a pod that cannot disrupt anything
    /// (terminal, pending, being deleted) is deleted; otherwise the one budget that guards it
    /// must allow a disruption, which the eviction takes (`disruptionsAllowed` less one, the
    /// pod in `disruptedPods`) before deleting the pod with `grace` (or its own period).
    pub fn evict_pod(&mut self, namespace: &str, name: &str, grace: Option<i64>) -> Result<(), OpError> {
        let p = self.find_pod(name, namespace).ok_or_else(|| OpError::NotFound { resource: "pods", name: name.into() })?;
        if !can_ignore_pdb(&self.pods[p].pod) {
            self.check_budget(p)?;
        }
        self.outside_changes += 1;
        self.add_condition_and_delete_pod(p, grace);
        Ok(())
    }

    /// The budget checks of a pod that counts: none or one budget, an unready pod that the
    /// budget can spare, else `checkAndDecrement`.
    fn check_budget(&mut self, p: usize) -> Result<(), OpError> {
        let pod = &self.pods[p].pod;
        let guarding: Vec<usize> = (0..self.pdbs.len()).filter(|&i| !self.pdbs[i].removed && self.pdbs[i].guards(pod)).collect();
        let b = match guarding[..] {
            [] => return Ok(()),
            [b] => b,
            _ => {
                let message = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
                return Err(OpError::Status { reason: "", message: message.into() });
            }
        };
        let status = &self.pdbs[b].status;
        if !super::daemonset::is_ready(pod) {
            let always_allow = self.pdbs[b].pdb.spec.unhealthy_pod_eviction_policy.as_deref() == Some("AlwaysAllow");
            // An unready pod counts toward neither number: deleting it takes nothing.
            if always_allow || (status.current_healthy >= status.desired_healthy && status.desired_healthy > 0) {
                return Ok(());
            }
        }
        self.check_and_decrement(b, p)
    }

    /// `checkAndDecrement`: the status must be current and allow a disruption; the eviction
    /// records it where the controller will see it.
    fn check_and_decrement(&mut self, b: usize, p: usize) -> Result<(), OpError> {
        let generation = self.pdbs[b].generation();
        let record = &self.pdbs[b];
        let forbidden = |why: &str| OpError::Status {
            reason: "Forbidden",
            message: format!("poddisruptionbudget.policy {:?} is forbidden: {why}", record.name()),
        };
        if record.status.observed_generation < generation {
            return Err(OpError::Status { reason: "TooManyRequests", message: VIOLATES_BUDGET.into() });
        }
        if record.status.disruptions_allowed < 0 {
            return Err(forbidden("pdb disruptions allowed is negative"));
        }
        if record.status.disrupted_pods.len() > MAX_DISRUPTED_POD_SIZE {
            return Err(forbidden("DisruptedPods map too big - too many evictions not confirmed by PDB controller"));
        }
        if record.status.disruptions_allowed == 0 {
            return Err(OpError::Status { reason: "TooManyRequests", message: VIOLATES_BUDGET.into() });
        }
        let (now, pod_name) = (self.now, self.pods[p].name().to_string());
        let status = &mut self.pdbs[b].status;
        status.disruptions_allowed -= 1;
        if status.disruptions_allowed == 0 {
            update_disruption_allowed_condition(status, now);
        }
        status.disrupted_pods.insert(pod_name, now);
        self.note_pdb_write(b);
        Ok(())
    }

    /// `addConditionAndDeletePod`: from 1.26 (PodDisruptionConditions) the pod first gets
    /// `DisruptionTarget` (EvictionByEvictionAPI), then it is deleted.
    fn add_condition_and_delete_pod(&mut self, p: usize, grace: Option<i64>) {
        if self.release.pod_disruption_conditions && self.pods[p].pod.status.condition("DisruptionTarget").is_none() {
            self.pods[p].status_inputs = None;
            self.pods[p].pod.status.conditions.push(crate::model::PodCondition {
                kind: "DisruptionTarget".into(),
                status: "True".into(),
                last_probe_time: None,
                last_transition_time: self.now,
                reason: Some("EvictionByEvictionAPI".into()),
                message: Some("Eviction API: evicting".into()),
            });
            self.bump_resource_version(p);
            self.log_pod_write(p, false);
        }
        self.delete_pod(p, grace, false);
    }

    /// An API write of budget `b` (its spec or its status): the controller's informer sees it.
    pub(crate) fn note_pdb_write(&mut self, b: usize) {
        self.bump_pdb_version(b);
        self.enqueue_pdb(b);
    }

    /// A write of budget `b`: the cluster's next resourceVersion is its own.
    fn bump_pdb_version(&mut self, b: usize) {
        self.bump_object_version();
        self.pdbs[b].pdb.metadata.resource_version = Some(self.resource_version.to_string());
    }
}

/// `canIgnorePDB`: a terminal or pending pod, or one being deleted, disrupts nothing more.
fn can_ignore_pdb(pod: &Pod) -> bool {
    matches!(pod.status.phase.as_str(), "Succeeded" | "Failed" | "Pending") || pod.metadata.deletion.is_some()
}

/// `pdbhelper.UpdateDisruptionAllowedCondition` with `apimeta.SetStatusCondition`: the
/// transition time moves only when the status changes.
pub(crate) fn update_disruption_allowed_condition(status: &mut PodDisruptionBudgetStatus, now: Millis) {
    let (value, reason) = if status.disruptions_allowed > 0 { ("True", "SufficientPods") } else { ("False", "InsufficientPods") };
    set_status_condition(status, value, reason, String::new(), now);
}

/// `apimeta.SetStatusCondition` for the `DisruptionAllowed` condition.
pub(crate) fn set_status_condition(status: &mut PodDisruptionBudgetStatus, value: &str, reason: &str, message: String, now: Millis) {
    let observed_generation = status.observed_generation;
    match status.conditions.iter_mut().find(|c| c.kind == "DisruptionAllowed") {
        Some(c) => {
            if c.status != value {
                c.status = value.into();
                c.last_transition_time = now;
            }
            c.reason = reason.into();
            c.message = message;
            c.observed_generation = observed_generation;
        }
        None => status.conditions.push(PdbCondition {
            kind: "DisruptionAllowed".into(),
            status: value.into(),
            observed_generation,
            last_transition_time: now,
            reason: reason.into(),
            message,
        }),
    }
}

/// `ValidatePodDisruptionBudget`: not both numbers, each a non-negative int or a percentage of
/// at most 100, a valid selector, a supported unhealthy-pod policy.
fn validate_pdb(pdb: &PodDisruptionBudget) -> Result<(), InvalidObject> {
    let spec = &pdb.spec;
    let mut problems = Vec::new();
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        // field.Invalid(spec, spec, ...): Go prints the internal struct with %#v, pointers as
        // addresses that differ from run to run; podplay writes the struct's fields.
        problems.push(FieldError::at_key(
            "spec",
            format!("Invalid value: {}: minAvailable and maxUnavailable cannot be both set", go_spec_value(spec)),
        ));
    }
    problems.extend(positive_int_or_percent_problems(spec.min_available.as_ref(), "spec.minAvailable"));
    problems.extend(positive_int_or_percent_problems(spec.max_unavailable.as_ref(), "spec.maxUnavailable"));
    if let Some(selector) = &spec.selector {
        problems.extend(selector_problems(selector, "spec.selector"));
    }
    if let Some(policy) = &spec.unhealthy_pod_eviction_policy {
        if policy != "IfHealthyBudget" && policy != "AlwaysAllow" {
            problems.push(FieldError::not_supported("spec.unhealthyPodEvictionPolicy", policy, &["AlwaysAllow", "IfHealthyBudget"]));
        }
    }
    InvalidObject::check("PodDisruptionBudget", &pdb.metadata.name, problems)
}

/// The spec as `%#v` would show its numbers (the pointers' targets in place of addresses).
fn go_spec_value(spec: &crate::model::PodDisruptionBudgetSpec) -> String {
    let show = |v: &Option<crate::model::IntOrString>| match v {
        Some(crate::model::IntOrString::Int(n)) => format!("&intstr.IntOrString{{Type:0, IntVal:{n}, StrVal:\"\"}}"),
        Some(crate::model::IntOrString::Str(s)) => format!("&intstr.IntOrString{{Type:1, IntVal:0, StrVal:{s:?}}}"),
        None => "(*intstr.IntOrString)(nil)".into(),
    };
    format!("policy.PodDisruptionBudgetSpec{{MinAvailable:{}, MaxUnavailable:{}}}", show(&spec.min_available), show(&spec.max_unavailable))
}

/// `ValidateLabelSelector`'s requirement checks (`ValidateLabelSelectorRequirement`).
fn selector_problems(selector: &LabelSelector, path: &str) -> Vec<FieldError> {
    let mut problems = Vec::new();
    for (i, r) in selector.match_expressions.iter().enumerate() {
        let at = format!("{path}.matchExpressions[{i}]");
        match r.operator.as_str() {
            "In" | "NotIn" if r.values.is_empty() => problems
                .push(FieldError::at_key(format!("{at}.values"), "Required value: must be specified when `operator` is 'In' or 'NotIn'")),
            "Exists" | "DoesNotExist" if !r.values.is_empty() => problems.push(FieldError::at_key(
                format!("{at}.values"),
                "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => problems
                .push(FieldError::at_value(format!("{at}.operator"), format!("Invalid value: {other:?}: not a valid selector operator"))),
        }
    }
    problems
}
