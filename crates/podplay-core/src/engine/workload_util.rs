//! The pure arithmetic of kube-controller-manager's workload controllers, ported with the names
//! upstream gives them: `pkg/controller/deployment/util/deployment_util.go` (fenceposts,
//! `NewRSNewReplicas`, the pod-template hash), `pkg/controller/controller_utils.go` (the pod
//! ranking the ReplicaSet controller deletes by) and apimachinery's `intstr` and `rand`.

use crate::clock::Millis;
use crate::model::IntOrString;

/// `intstr.GetScaledValueFromIntOrPercent`: an int as it is, a percentage of `total` rounded
/// up or down; the error is apimachinery's text.
pub(crate) fn scaled_value(value: &IntOrString, total: i32, round_up: bool) -> Result<i32, String> {
    match value {
        IntOrString::Int(n) => Ok(*n as i32),
        IntOrString::Str(s) => {
            let percent: i64 = s
                .strip_suffix('%')
                .and_then(|p| p.parse().ok())
                .ok_or_else(|| format!("invalid value for IntOrString: invalid value {s:?}"))?;
            let product = percent * total as i64;
            Ok(if round_up { (product + 99).div_euclid(100) } else { product.div_euclid(100) } as i32)
        }
    }
}

/// apps validation's `getIntOrPercentValue`: the int, or a percentage's number (0 when the
/// text is no percentage).
pub(crate) fn int_or_percent_value(value: &IntOrString) -> i64 {
    match value {
        IntOrString::Int(n) => *n,
        IntOrString::Str(s) => s.strip_suffix('%').and_then(|p| p.parse().ok()).unwrap_or(0),
    }
}

/// apps validation's `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent` for `field`:
/// a non-negative int, or a percentage (`[0-9]+%`) of at most 100. The bad value of a
/// percentage is quoted (podplay's rendering; the API server prints the IntOrString value).
pub(crate) fn positive_int_or_percent_problems(value: Option<&IntOrString>, field: &str) -> Vec<super::field::FieldError> {
    use super::field::FieldError;
    match value {
        None => Vec::new(),
        Some(IntOrString::Int(n)) if *n < 0 => {
            vec![FieldError::at_value(field, format!("Invalid value: {n}: must be greater than or equal to 0"))]
        }
        Some(IntOrString::Int(_)) => Vec::new(),
        Some(IntOrString::Str(s)) => {
            let digits = s.strip_suffix('%').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            match digits {
                None => vec![FieldError::at_value(
                    field,
                    format!("Invalid value: {s:?}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"),
                )],
                Some(d) if d.parse::<u64>().map_or(true, |p| p > 100) => {
                    vec![FieldError::at_value(field, format!("Invalid value: {s:?}: must not be greater than 100%"))]
                }
                Some(_) => Vec::new(),
            }
        }
    }
}

/// `ResolveFenceposts`: maxSurge rounded up, maxUnavailable rounded down; both resolving to 0
/// makes maxUnavailable 1 ("on the theory that surge might not work due to quota").
pub(crate) fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), String> {
    let zero = IntOrString::Int(0);
    let surge = scaled_value(max_surge.unwrap_or(&zero), desired, true)?;
    let mut unavailable = scaled_value(max_unavailable.unwrap_or(&zero), desired, false)?;
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    Ok((surge, unavailable))
}

/// `NewRSNewReplicas` for a rolling update: the new ReplicaSet grows up to `replicas +
/// maxSurge` pods in all, never past `replicas` itself. (Recreate asks for `replicas`.)
pub(crate) fn new_rs_new_replicas_rolling(replicas: i32, max_surge: i32, current_pod_count: i32, new_rs_replicas: i32) -> i32 {
    let max_total_pods = replicas + max_surge;
    if current_pod_count >= max_total_pods {
        return new_rs_replicas;
    }
    let scale_up_count = (max_total_pods - current_pod_count).min(replicas - new_rs_replicas);
    new_rs_replicas + scale_up_count
}

/// sync.go `maxRevHistoryLengthInChars`: "limit revision history length to 100 element (~2000
/// chars)".
pub(crate) const MAX_REV_HISTORY_LENGTH_IN_CHARS: usize = 2000;

/// `SetNewReplicaSetAnnotations`' `revision-history` for a ReplicaSet that becomes new again:
/// `old` appended to `history`, dropping the oldest entries until it fits in `limit` chars;
/// `None` when even `old` alone would not (upstream then leaves the annotation as it was).
pub(crate) fn append_revision_history(history: &str, old: &str, limit: usize) -> Option<String> {
    let revisions: Vec<&str> = history.split(',').collect();
    if revisions[0].is_empty() {
        return Some(old.to_string());
    }
    let mut total = history.len() + old.len() + 1;
    let mut start = 0;
    while total > limit && start < revisions.len() {
        total = total - revisions[start].len() - 1;
        start += 1;
    }
    if total > limit {
        return None;
    }
    let mut kept = revisions[start..].to_vec();
    kept.push(old);
    Some(kept.join(","))
}

/// apimachinery `rand.SafeEncodeString`'s alphabet: no vowels, no 0/1/3, so no words.
pub(crate) const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `rand.SafeEncodeString`: each byte replaced by the alphabet's letter at its value modulo 27.
pub(crate) fn safe_encode_string(s: &str) -> String {
    s.bytes().map(|b| SAFE_ALPHABET[b as usize % SAFE_ALPHABET.len()] as char).collect()
}

/// FNV-1a, 32 bits (`hash/fnv.New32a`).
pub(crate) fn fnv32a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| (h ^ *b as u32).wrapping_mul(0x0100_0193))
}

/// The JSON of a template that [`compute_hash`] reads. podplay's hashes were first taken over
/// templates that carried the pod's `enableServiceLinks` default; the API server writes that
/// default into pods only (SetDefaults_Pod, not SetDefaults_PodSpec), so templates no longer
/// carry it, and the hash input fills it in as before so that every generated name stays.
pub(crate) fn template_hash_input(template: &crate::model::PodTemplateSpec) -> String {
    let mut template = template.clone();
    template.spec.enable_service_links.get_or_insert(true);
    serde_json::to_string(&template).unwrap_or_default()
}

/// `controller.ComputeHash`: FNV-1a over the template, then over the collision count's decimal
/// digits when there is one, written as a decimal number in the safe alphabet. Upstream feeds
/// the template to the hash through go-spew's printer (`hashutil.DeepHashObject`), whose bytes
/// (Go type names, pointer layout) no other program reproduces; podplay feeds the template's API
/// JSON (serde's field order, fixed), so a hash has upstream's alphabet and length and changes
/// exactly when the template does, but is not the value a cluster would print.
pub(crate) fn compute_hash(template_json: &str, collision_count: Option<i32>) -> String {
    let mut bytes = template_json.as_bytes().to_vec();
    if let Some(c) = collision_count {
        bytes.extend_from_slice(c.to_string().as_bytes());
    }
    safe_encode_string(&fnv32a(&bytes).to_string())
}

/// What `ActivePodsWithRanks.Less` reads of one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RankedPod {
    pub node_name: String,
    pub phase: String,
    pub ready: bool,
    /// `controller.kubernetes.io/pod-deletion-cost`.
    pub deletion_cost: i32,
    /// Active pods of the same controller on the same node (`getPodsRankedByRelatedPodsOnSameNode`).
    pub rank: usize,
    /// The Ready condition's lastTransitionTime, whole seconds (as the informer's copy has it).
    pub ready_since: Option<Millis>,
    pub max_restarts: i32,
    pub creation: Millis,
    pub uid: String,
}

/// `podPhaseToOrdinal`: Pending < Unknown < Running.
fn phase_ordinal(phase: &str) -> i32 {
    match phase {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    }
}

/// `logarithmicRankDiff` over Go durations (nanoseconds): the pods' ages bucketed by powers of two.
fn logarithmic_rank_diff(t1: Millis, t2: Millis, now_ns: i128) -> i64 {
    let rank = |t: Millis| {
        let d = now_ns - t as i128 * 1_000_000;
        if d > 0 {
            (d as f64).log2() as i64
        } else {
            -1
        }
    };
    rank(t1) - rank(t2)
}

/// `ActivePodsWithRanks.Less` with `LogarithmicScaleDown` and `PodDeletionCost` (both on by
/// default in every release podplay plays): the pod to delete first sorts first.
pub(crate) fn delete_first(a: &RankedPod, b: &RankedPod, now: Millis) -> bool {
    // 1. Unassigned < assigned.
    if a.node_name != b.node_name && (a.node_name.is_empty() || b.node_name.is_empty()) {
        return a.node_name.is_empty();
    }
    // 2. PodPending < PodUnknown < PodRunning.
    if phase_ordinal(&a.phase) != phase_ordinal(&b.phase) {
        return phase_ordinal(&a.phase) < phase_ordinal(&b.phase);
    }
    // 3. Not ready < ready.
    if a.ready != b.ready {
        return !a.ready;
    }
    // 4. Lower pod-deletion-cost < higher.
    if a.deletion_cost != b.deletion_cost {
        return a.deletion_cost < b.deletion_cost;
    }
    // 5. Doubled up < not doubled up.
    if a.rank != b.rank {
        return a.rank > b.rank;
    }
    let now_ns = now as i128 * 1_000_000;
    // 6. Been ready for empty time < less time < more time (logarithmic buckets).
    if a.ready && b.ready && a.ready_since != b.ready_since {
        match (a.ready_since, b.ready_since) {
            (Some(x), Some(y)) => return newer_first(x, y, now_ns, a, b),
            (x, _) => return x.is_none(),
        }
    }
    // 7. Higher restart counts < lower.
    if a.max_restarts != b.max_restarts {
        return a.max_restarts > b.max_restarts;
    }
    // 8. Newer pods < older pods (logarithmic buckets).
    if a.creation != b.creation {
        return newer_first(a.creation, b.creation, now_ns, a, b);
    }
    false
}

/// The logarithmic comparison of two times: a younger bucket first; within one bucket, by UID.
fn newer_first(t1: Millis, t2: Millis, now_ns: i128, a: &RankedPod, b: &RankedPod) -> bool {
    let diff = logarithmic_rank_diff(t1, t2, now_ns);
    if diff == 0 {
        return a.uid < b.uid;
    }
    diff < 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int_or_percent(s: &str) -> IntOrString {
        s.parse::<i64>().map(IntOrString::Int).unwrap_or_else(|_| IntOrString::Str(s.to_string()))
    }

    /// deployment_util_test.go `TestResolveFenceposts`, case for case.
    #[test]
    fn test_resolve_fenceposts() {
        let tests: [(Option<&str>, Option<&str>, i32, i32, i32, bool); 7] = [
            (Some("0%"), Some("0%"), 0, 0, 1, false),
            (Some("39%"), Some("39%"), 10, 4, 3, false),
            (Some("oops"), Some("39%"), 10, 0, 0, true),
            (Some("55%"), Some("urg"), 10, 0, 0, true),
            (None, Some("39%"), 10, 0, 3, false),
            (Some("39%"), None, 10, 4, 0, false),
            (None, None, 10, 0, 1, false),
        ];
        for (num, (max_surge, max_unavailable, desired, expect_surge, expect_unavailable, expect_error)) in tests.into_iter().enumerate() {
            let surge = max_surge.map(int_or_percent);
            let unavailable = max_unavailable.map(int_or_percent);
            match resolve_fenceposts(surge.as_ref(), unavailable.as_ref(), desired) {
                Ok((s, u)) => {
                    assert!(!expect_error, "case {num}: expected an error");
                    assert_eq!((s, u), (expect_surge, expect_unavailable), "case {num}");
                }
                Err(e) => assert!(expect_error, "case {num}: {e}"),
            }
        }
    }

    /// deployment_util_test.go `TestNewRSNewReplicas`: allRSs is one ReplicaSet of 5 replicas.
    #[test]
    fn test_new_rs_new_replicas() {
        // (name, rolling, depReplicas, newRSReplicas, maxSurge, expected)
        let tests = [
            ("can not scale up - to newRSReplicas", true, 1, 5, 1, 5),
            ("scale up - to depReplicas", true, 6, 2, 10, 6),
            ("recreate - to depReplicas", false, 3, 1, 1, 3),
        ];
        for (name, rolling, dep_replicas, new_rs_replicas, max_surge, expected) in tests {
            let got = if rolling { new_rs_new_replicas_rolling(dep_replicas, max_surge, 5, new_rs_replicas) } else { dep_replicas };
            assert_eq!(got, expected, "{name}");
        }
    }

    /// `revision-history` appends (podplay's own cases, worked through upstream's loop).
    #[test]
    fn test_append_revision_history() {
        assert_eq!(append_revision_history("", "1", 2000).as_deref(), Some("1"));
        assert_eq!(append_revision_history("1", "3", 2000).as_deref(), Some("1,3"));
        assert_eq!(append_revision_history("1,3,5", "7", 2000).as_deref(), Some("1,3,5,7"));
        // Over the limit, the oldest go first: "1,3,5,7" is 7 chars, "3,5,7" fits in 5.
        assert_eq!(append_revision_history("1,3,5", "7", 5).as_deref(), Some("3,5,7"));
        assert_eq!(append_revision_history("1,3,5", "7", 4).as_deref(), Some("5,7"));
        assert_eq!(append_revision_history("1", "1234567", 5), None);
    }

    #[test]
    fn hashes_use_the_safe_alphabet() {
        // The digits map to 4 5 6 7 8 9 b c d f: every pod-template-hash is made of these.
        assert_eq!(safe_encode_string("0123456789"), "456789bcdf");
        let h = compute_hash("{\"spec\":{}}", None);
        assert!(h.len() <= 10 && h.bytes().all(|b| SAFE_ALPHABET.contains(&b)), "{h}");
        assert_ne!(h, compute_hash("{\"spec\":{}}", Some(1)));
        // FNV-1a's published vectors.
        assert_eq!(fnv32a(b""), 0x811c9dc5);
        assert_eq!(fnv32a(b"a"), 0xe40c292c);
    }

    fn pod(node: &str, phase: &str, ready: bool) -> RankedPod {
        RankedPod {
            node_name: node.into(),
            phase: phase.into(),
            ready,
            deletion_cost: 0,
            rank: 0,
            ready_since: None,
            max_restarts: 0,
            creation: 0,
            uid: String::new(),
        }
    }

    /// controller_utils_test.go `TestSortingActivePodsWithRanks`, in its spirit: each pod in
    /// the list is deleted before every later one.
    #[test]
    fn test_sorting_active_pods_with_ranks() {
        let now = 3_600_000;
        let unscheduled = pod("", "Pending", false);
        let scheduled_pending = pod("node", "Pending", false);
        let unknown = pod("node", "Unknown", false);
        let running_not_ready = pod("node", "Running", false);
        let cheap = RankedPod { deletion_cost: -10, ..pod("node", "Running", true) };
        let doubled_up = RankedPod { rank: 2, ..pod("node", "Running", true) };
        let ready_recently = RankedPod { rank: 1, ready_since: Some(now - 1000), ..pod("node", "Running", true) };
        let restarted = RankedPod { rank: 1, ready_since: Some(0), max_restarts: 3, ..pod("node", "Running", true) };
        let newer = RankedPod { rank: 1, ready_since: Some(0), creation: now - 10_000, ..pod("node", "Running", true) };
        let older = RankedPod { rank: 1, ready_since: Some(0), creation: 0, ..pod("node", "Running", true) };
        let order =
            [unscheduled, scheduled_pending, unknown, running_not_ready, cheap, doubled_up, ready_recently, restarted, newer, older];
        for i in 0..order.len() {
            for j in i + 1..order.len() {
                assert!(delete_first(&order[i], &order[j], now), "{i} before {j}");
                assert!(!delete_first(&order[j], &order[i], now), "{j} not before {i}");
            }
        }
        // Within one power-of-two bucket of age, the lower UID goes first.
        let a = RankedPod { creation: now - 1000, uid: "a".into(), ..pod("node", "Running", false) };
        let b = RankedPod { creation: now - 1100, uid: "b".into(), ..pod("node", "Running", false) };
        assert!(delete_first(&a, &b, now) && !delete_first(&b, &a, now));
    }
}
