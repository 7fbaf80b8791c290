//! kube-scheduler's filter plugins and its FitError text (reference §1.2;
//! `pkg/scheduler/framework/plugins/*`, `schedule_one.go`, `framework/types.go`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::{Engine, Task};
use crate::clock::{Millis, MINUTE, SECOND};
use crate::model::{NodeSelectorRequirement, Taint, Toleration};
use crate::version::FitErrorStyle;

/// Binding follows creation by a few milliseconds on an idle scheduler.
pub(crate) const SCHEDULE_DELAY_MS: Millis = 8;
/// The kubelet's watch sees the binding shortly after.
pub(crate) const KUBELET_WATCH_MS: Millis = 25;
/// Unschedulable pods are retried at the latest after `podMaxInUnschedulablePodsDuration`.
const UNSCHEDULABLE_RETRY_MS: Millis = 5 * MINUTE;
/// `podInitialBackoffSeconds` and `podMaxBackoffSeconds`: a pod moved back after a failed
/// attempt waits 1 s, doubling with each attempt up to 10 s, from its last failure.
const POD_INITIAL_BACKOFF_MS: Millis = SECOND;
const POD_MAX_BACKOFF_MS: Millis = 10 * SECOND;
pub(crate) const MAX_PODS: usize = 110;
pub(crate) const RESOURCES: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];
/// NodeResourcesFit's reason for each of `RESOURCES` (`Insufficient %v`).
const INSUFFICIENT: [&str; 3] = ["Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage"];

/// Why a node failed a filter, as the plugins word it; `preemption_helps` is what
/// DefaultPreemption concludes for that node.
struct NodeFailure {
    reasons: Reasons,
    preemption_helps: bool,
}

/// Why a node failed the filters: one filter's reason, or NodeResourcesFit's (too many pods,
/// and each resource short), held without allocating (an attempt over a hundred full nodes
/// makes a hundred of these).
enum Reasons {
    One(Cow<'static, str>),
    Fit { too_many_pods: bool, insufficient: [bool; 3] },
}

impl Reasons {
    /// The reasons' texts, in the order NodeResourcesFit gives them.
    fn iter(&self) -> impl Iterator<Item = &str> {
        let (one, too_many, insufficient) = match self {
            Reasons::One(reason) => (Some(reason.as_ref()), false, [false; 3]),
            Reasons::Fit { too_many_pods, insufficient } => (None, *too_many_pods, *insufficient),
        };
        let fit = (0..3).filter(move |&i| insufficient[i]).map(|i| INSUFFICIENT[i]);
        one.into_iter().chain(too_many.then_some("Too many pods")).chain(fit)
    }
}

pub(crate) fn tolerates(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| {
        let effect_ok = t.effect.as_deref().is_none_or(|e| e.is_empty() || e == taint.effect);
        let key_ok = match t.key.as_deref() {
            None | Some("") => t.operator.as_deref() == Some("Exists"),
            Some(k) => k == taint.key,
        };
        let value_ok = match t.operator.as_deref() {
            Some("Exists") => true,
            _ => t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        };
        effect_ok && key_ok && value_ok
    })
}

/// `nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)`: the pod's nodeSelector and its
/// required node affinity terms (any term, each of its requirements) against the node's labels
/// and its `metadata.name` field. The scheduler's NodeAffinity filter and the DaemonSet
/// controller's `predicates` both ask this.
pub(crate) fn required_node_affinity_matches(spec: &crate::model::PodSpec, node: &crate::model::Node) -> bool {
    let labels = &node.metadata.labels;
    let selector_ok = spec.node_selector.iter().all(|(k, v)| labels.get(k) == Some(v));
    selector_ok
        && spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|na| na.required_during_scheduling_ignored_during_execution.as_ref())
            .is_none_or(|sel| {
                sel.node_selector_terms.iter().any(|term| {
                    let fields_ok = term.match_fields.iter().all(|r| {
                        let mut f = BTreeMap::new();
                        f.insert("metadata.name".to_string(), node.metadata.name.clone());
                        requirement_matches(r, &f)
                    });
                    (!term.match_expressions.is_empty() || !term.match_fields.is_empty())
                        && term.match_expressions.iter().all(|r| requirement_matches(r, labels))
                        && fields_ok
                })
            })
}

fn requirement_matches(r: &NodeSelectorRequirement, labels: &BTreeMap<String, String>) -> bool {
    let value = labels.get(&r.key);
    match r.operator.as_str() {
        "In" => value.is_some_and(|v| r.values.contains(v)),
        "NotIn" => value.is_none_or(|v| !r.values.contains(v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), Some(want)) = (value.and_then(|v| v.parse::<i64>().ok()), r.values.first().and_then(|w| w.parse::<i64>().ok()))
            else {
                return false;
            };
            if r.operator == "Gt" {
                v > want
            } else {
                v < want
            }
        }
        _ => false,
    }
}

impl Engine {
    pub(crate) fn schedule_pod(&mut self, p: usize) {
        self.pods[p].requeued = false;
        if self.pods[p].removed || self.pods[p].node.is_some() || self.pods[p].deleting() {
            return;
        }
        self.pods[p].schedule_attempts += 1;
        // Filter every node, then score: the least requested node wins (NodeResourcesFit's
        // LeastAllocated), ties going to the earlier node where upstream picks at random.
        let mut feasible: Option<(i128, usize)> = None;
        let mut failures: Vec<NodeFailure> = Vec::new();
        let pod = &self.pods[p].pod;
        let requests = RESOURCES.map(|resource| pod_request(pod, resource));
        for n in 0..self.nodes.len() {
            if self.nodes[n].removed {
                continue; // a deleted Node object is not in the scheduler's cache
            }
            match self.filter_node(p, n, &requests) {
                None => {
                    let score = self.node_load_permille(n);
                    if feasible.is_none_or(|(best, _)| score < best) {
                        feasible = Some((score, n));
                    }
                }
                Some(f) => failures.push(f),
            }
        }
        let feasible = feasible.map(|(_, n)| n);
        match feasible {
            Some(n) => self.bind(p, n),
            None => self.unschedulable(p, failures),
        }
    }

    /// Whether node `n` passes the filters for pod `p`, whose effective requests of `RESOURCES`
    /// are `requests`; else why not.
    fn filter_node(&self, p: usize, n: usize, requests: &[i128; 3]) -> Option<NodeFailure> {
        let pod = &self.pods[p].pod;
        let node = &self.nodes[n].node;
        let fail =
            |reason: Cow<'static, str>, preemption_helps: bool| Some(NodeFailure { reasons: Reasons::One(reason), preemption_helps });
        // NodeUnschedulable
        if node.spec.unschedulable == Some(true) {
            let taint = Taint {
                key: "node.kubernetes.io/unschedulable".into(),
                value: None,
                effect: "NoSchedule".into(),
                time_added: None,
                time_added_given: None,
            };
            if !tolerates(&pod.spec.tolerations, &taint) {
                return fail(Cow::Borrowed("node(s) were unschedulable"), false);
            }
        }
        // NodeName
        if let Some(name) = &pod.spec.node_name {
            if name != &node.metadata.name {
                return fail(Cow::Borrowed("node(s) didn't match the requested node name"), false);
            }
        }
        // TaintToleration: the first untolerated NoSchedule/NoExecute taint is reported.
        for taint in &node.spec.taints {
            if (taint.effect == "NoSchedule" || taint.effect == "NoExecute") && !tolerates(&pod.spec.tolerations, taint) {
                let reason = format!("node(s) had untolerated taint {{{}: {}}}", taint.key, taint.value.as_deref().unwrap_or(""));
                return fail(Cow::Owned(reason), false);
            }
        }
        // NodeAffinity (nodeSelector and required node affinity)
        if !required_node_affinity_matches(&pod.spec, node) {
            return fail(Cow::Borrowed("node(s) didn't match Pod's node affinity/selector"), false);
        }
        // NodeResourcesFit
        let mut unresolvable = false;
        let too_many_pods = self.nodes[n].pod_count + 1 > self.node_max_pods(n);
        let mut insufficient = [false; 3];
        for (i, &want) in requests.iter().enumerate() {
            if want == 0 {
                continue;
            }
            let allocatable = self.node_allocatable(n, i);
            if self.nodes[n].requested[i] + want > allocatable {
                insufficient[i] = true;
                // Even an empty node could not hold it (`InsufficientResource.Unresolvable`).
                unresolvable |= self.release.fit_unresolvable_over_allocatable && want > allocatable;
            }
        }
        if too_many_pods || insufficient.contains(&true) {
            return Some(NodeFailure { reasons: Reasons::Fit { too_many_pods, insufficient }, preemption_helps: !unresolvable });
        }
        None
    }

    fn node_max_pods(&self, n: usize) -> usize {
        self.nodes[n].allocatable_pods
    }

    /// Allocatable in milli-units (the node's status always has it: see `add_node`).
    /// Allocatable `RESOURCES[i]` in milli-units.
    fn node_allocatable(&self, n: usize, i: usize) -> i128 {
        self.nodes[n].allocatable[i]
    }

    /// How full a node is, in thousandths of its allocatable cpu and memory (the larger).
    fn node_load_permille(&self, n: usize) -> i128 {
        (0..2).map(|i| self.nodes[n].requested[i] * 1000 / self.node_allocatable(n, i).max(1)).max().unwrap_or(0)
            + self.nodes[n].pod_count as i128 * 1000 / self.node_max_pods(n).max(1) as i128
    }

    /// The pod stops counting against its node (it finished or its object is gone).
    pub(crate) fn release_node_resources(&mut self, p: usize) {
        let Some(n) = self.pods[p].node else { return };
        if std::mem::replace(&mut self.pods[p].resources_released, true) {
            return;
        }
        self.nodes[n].pod_count -= 1;
        for (i, resource) in RESOURCES.iter().enumerate() {
            self.nodes[n].requested[i] -= pod_request(&self.pods[p].pod, resource);
        }
        self.retry_unschedulable();
    }

    fn bind(&mut self, p: usize, n: usize) {
        // The constraints the chosen node met (before binding fills in spec.nodeName).
        let mut fields = Vec::new();
        let given_node = self.pods[p].pod.spec.node_name.is_some();
        for reason in ["requested node name", "affinity/selector", "Insufficient cpu", "Insufficient memory"] {
            if given_node || reason != "requested node name" {
                super::why::scheduling(&self.pods[p].pod, reason, &mut fields);
            }
        }
        self.nodes[n].pod_count += 1;
        let bound = &mut self.nodes[n].bound;
        if let Err(at) = bound.binary_search(&p) {
            bound.insert(at, p);
        }
        for (i, resource) in RESOURCES.iter().enumerate() {
            self.nodes[n].requested[i] += pod_request(&self.pods[p].pod, resource);
        }
        let node_name = self.nodes[n].node.metadata.name.clone();
        let now = self.now;
        let rec = &mut self.pods[p];
        rec.node = Some(n);
        rec.status_inputs = None;
        rec.pod.spec.node_name = Some(node_name.clone());
        rec.last_fit_error = None;
        rec.pod.status.conditions.retain(|c| c.kind != "PodScheduled");
        rec.pod.status.conditions.push(crate::model::PodCondition {
            kind: "PodScheduled".into(),
            status: "True".into(),
            last_probe_time: None,
            last_transition_time: now,
            reason: None,
            message: None,
        });
        let message = format!("Successfully assigned {}/{} to {}", rec.namespace(), rec.name(), node_name);
        self.emit_scheduler_event(p, "Normal", "Scheduled", "Binding", message, fields.clone());
        self.bump_resource_version(p);
        self.record_change_with(
            format!("pod/{}", self.pods[p].name()),
            super::ChangeDetail::Conditions {
                changes: vec![super::ConditionChange {
                    node: Some(node_name.clone()),
                    ..super::ConditionChange::new("PodScheduled", "True")
                }],
            },
            "the scheduler found a node that passes every filter (node name, taints, selector/affinity, resources) and bound the pod to it",
            fields,
        );
        self.request_sync(p, self.now + KUBELET_WATCH_MS);
    }

    fn unschedulable(&mut self, p: usize, failures: Vec<NodeFailure>) {
        let message = self.fit_error(&failures);
        let now = self.now;
        self.unschedulable_pods.insert(p);
        let rec = &mut self.pods[p];
        rec.last_failed_attempt = now;
        let changed = rec.last_fit_error.as_deref() != Some(message.as_str());
        rec.last_fit_error = Some(message.clone());
        rec.status_inputs = None;
        if rec.pod.status.phase.is_empty() {
            rec.pod.status.phase = "Pending".into();
        }
        let previous = rec.pod.status.conditions.iter().find(|c| c.kind == "PodScheduled").cloned();
        rec.pod.status.conditions.retain(|c| c.kind != "PodScheduled");
        rec.pod.status.conditions.push(crate::model::PodCondition {
            kind: "PodScheduled".into(),
            status: "False".into(),
            last_probe_time: None,
            last_transition_time: previous.filter(|c| c.status == "False").map_or(now, |c| c.last_transition_time),
            reason: Some("Unschedulable".into()),
            message: Some(message.clone()),
        });
        let truncated = if message.len() > 1024 { format!("{} ...", truncate_utf8(&message, 1020)) } else { message.clone() };
        // Each distinct reason once, in the order met (`why::scheduling` keeps a field once).
        let mut distinct: Vec<&str> = Vec::new();
        for reason in failures.iter().flat_map(|f| f.reasons.iter()) {
            if !distinct.contains(&reason) {
                distinct.push(reason);
            }
        }
        let mut fields = Vec::new();
        for reason in distinct {
            super::why::scheduling(&self.pods[p].pod, reason, &mut fields);
        }
        self.emit_scheduler_event(p, "Warning", "FailedScheduling", "Scheduling", truncated, fields.clone());
        if changed {
            // The scheduler's status write gives the pod a new resourceVersion, so the next
            // attempt's event is not isomorphic to this one (reference §1.2, series).
            self.bump_resource_version(p);
            self.record_change_with(
                format!("pod/{}", self.pods[p].name()),
                super::ChangeDetail::Conditions {
                    changes: vec![super::ConditionChange {
                        reason: Some("Unschedulable".into()),
                        ..super::ConditionChange::new("PodScheduled", "False")
                    }],
                },
                format!("no node passes the scheduler's filters: {message}"),
                fields,
            );
        }
        self.schedule(self.now + UNSCHEDULABLE_RETRY_MS, Task::Schedule(p));
    }

    /// FitError.Error() for the release (reference §1.2): the filter reasons of every node,
    /// then DefaultPreemption's PostFilter message (itself a FitError-style text over the nodes).
    fn fit_error(&self, failures: &[NodeFailure]) -> String {
        let total = self.nodes.iter().filter(|r| !r.removed).count();
        let reasons = || failures.iter().flat_map(|f| f.reasons.iter());
        let preemption = failures.iter().map(|f| {
            if f.preemption_helps {
                "No preemption victims found for incoming pod"
            } else {
                "Preemption is not helpful for scheduling"
            }
        });
        let mut post_filter = format!("preemption: 0/{total} nodes are available: {}.", reasons_histogram(preemption));
        if self.release.dra_post_filter {
            // DynamicResources' PostFilter runs first and rejects a pod without claims.
            post_filter = format!("no new claims to deallocate, {post_filter}");
        }
        match self.release.fit_error {
            FitErrorStyle::NoPreemption => fit_error_message(total, "", reasons(), "", false),
            FitErrorStyle::Preemption => fit_error_message(total, "", reasons(), &post_filter, false),
            FitErrorStyle::PreemptionDoublePeriod => fit_error_message(total, "", reasons(), &post_filter, true),
        }
    }

    /// A node changed (labels, taints, cordon) or a pod left one: the scheduler moves
    /// unschedulable pods back to the active queue, each once until it is tried again (a
    /// thousand pods finishing in a second retry each pending pod once, not a thousand times),
    /// and a pod still in its back-off to the back-off queue, tried when that ends.
    ///
    /// The moved pods leave the unschedulable queue (`unschedulable_pods`) and come back to it
    /// only when an attempt fails again, so an event costs what it moves, not every pending pod.
    pub(crate) fn retry_unschedulable(&mut self) {
        for p in std::mem::take(&mut self.unschedulable_pods) {
            let rec = &self.pods[p];
            if rec.removed || rec.node.is_some() {
                continue;
            }
            if rec.last_fit_error.is_some() && !rec.requeued {
                let backoff_ends = rec.last_failed_attempt + pod_backoff(rec.schedule_attempts);
                self.pods[p].requeued = true;
                // (A pod past its back-off is tried a second after the event: this model's
                // stand-in for the queue's moves and its one-second flush of the back-off queue.)
                self.schedule(backoff_ends.max(self.now + 1000), Task::Schedule(p));
            }
        }
    }
}

/// `calculateBackoffDuration`: 1 s for the first attempt, doubled for each one after it, at
/// most 10 s.
fn pod_backoff(attempts: u32) -> Millis {
    let doublings = attempts.saturating_sub(1).min(8);
    (POD_INITIAL_BACKOFF_MS << doublings).min(POD_MAX_BACKOFF_MS)
}

/// The filter reasons of every node as a histogram: `"COUNT REASON"` strings sorted with
/// sort.Strings and joined by `", "` (K1.32 `pkg/scheduler/framework/types.go` FitError.Error).
fn reasons_histogram<'a>(node_reasons: impl IntoIterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in node_reasons {
        *counts.entry(r).or_default() += 1;
    }
    let mut parts: Vec<String> = counts.into_iter().map(|(r, c)| format!("{c} {r}")).collect();
    podplay_k8s_util::sort::sort(&mut parts);
    parts.join(", ")
}

/// FitError.Error() (K1.32 `pkg/scheduler/framework/types.go`): `0/N nodes are available:`,
/// then the PreFilter message, or else the nodes' reason histogram (left out when empty), each
/// as `" %v."`; then the PostFilter message as `" %v"` — or `" %v."` in 1.26–1.28, whose own
/// trailing period made the `..` ending (`post_filter_period`).
pub(crate) fn fit_error_message<'a>(
    num_all_nodes: usize,
    pre_filter_msg: &str,
    node_reasons: impl IntoIterator<Item = &'a str>,
    post_filter_msg: &str,
    post_filter_period: bool,
) -> String {
    let mut message = format!("0/{num_all_nodes} nodes are available:");
    if !pre_filter_msg.is_empty() {
        message.push_str(&format!(" {pre_filter_msg}."));
    } else {
        let histogram = reasons_histogram(node_reasons);
        if !histogram.is_empty() {
            message.push_str(&format!(" {histogram}."));
        }
    }
    if !post_filter_msg.is_empty() {
        message.push(' ');
        message.push_str(post_filter_msg);
        if post_filter_period {
            message.push('.');
        }
    }
    message
}

/// The pod's effective request: max(sum of app containers, largest init container).
fn pod_request(pod: &crate::model::Pod, resource: &str) -> i128 {
    let get = |c: &crate::model::Container| {
        c.resources.as_ref().and_then(|r| r.requests.get(resource).or_else(|| r.limits.get(resource))).map_or(0, |q| q.milli)
    };
    let app: i128 = pod.spec.containers.iter().map(get).sum();
    let init = pod.spec.init_containers.iter().map(get).max().unwrap_or(0);
    app.max(init)
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn truncate_utf8(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scheduling_queue_test.go TestBackOffFlow: the back-off of each attempt.
    #[test]
    fn back_off_flow() {
        let steps: Vec<Millis> = (1..=7).map(pod_backoff).collect();
        assert_eq!(steps, vec![1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
        assert_eq!(pod_backoff(u32::MAX), 10_000);
    }
}
