//! Pod and container `securityContext`: what the kubelet makes of them (pkg/securitycontext's
//! `DetermineEffectiveSecurityContext`, kuberuntime's `verifyRunAsNonRoot` and the CRI's
//! run-as fields) and how the API server validates them (`ValidatePodSecurityContext`,
//! `ValidateSecurityContext`).

use super::cri::UserRequest;
use super::field::FieldError;
use crate::model::{Container, PodSecurityContext, PodSpec, SecurityContext};

/// The fields of the container's context that podplay runs by, each the container's own else
/// the pod's (`DetermineEffectiveSecurityContext`; the pod has no `readOnlyRootFilesystem`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effective {
    pub run_as_user: Option<i64>,
    pub run_as_group: Option<i64>,
    pub run_as_non_root: Option<bool>,
    pub read_only_root_filesystem: Option<bool>,
}

pub fn effective(pod: &PodSpec, c: &Container) -> Effective {
    let pod_sc = pod.security_context.clone().unwrap_or_default();
    let sc = c.security_context.clone().unwrap_or_default();
    Effective {
        run_as_user: sc.run_as_user.or(pod_sc.run_as_user),
        run_as_group: sc.run_as_group.or(pod_sc.run_as_group),
        run_as_non_root: sc.run_as_non_root.or(pod_sc.run_as_non_root),
        read_only_root_filesystem: sc.read_only_root_filesystem,
    }
}

/// The CRI request's user: the effective user and group, and the supplementary groups
/// (kuberuntime's `determineEffectiveSecurityContext`: the pod's `fsGroup`, then its
/// `supplementalGroups`).
pub fn user_request(pod: &PodSpec, run_as: &Effective) -> UserRequest {
    let pod_sc = pod.security_context.clone().unwrap_or_default();
    let groups = pod_sc.fs_group.into_iter().chain(pod_sc.supplemental_groups.iter().copied());
    UserRequest {
        run_as_user: run_as.run_as_user.map(|u| u as u32),
        run_as_group: run_as.run_as_group.map(|g| g as u32),
        supplemental_groups: groups.map(|g| g as u32).collect(),
        // The runtime runs an unset user as the image's.
        image_user: String::new(),
    }
}

/// kuberuntime's `verifyRunAsNonRoot` (security_context_others.go): with `runAsNonRoot`, a
/// container that would run as root is refused (CreateContainerConfigError). `image_uid` and
/// `image_user` are the image's user as the runtime reports it (a uid, or a name it could
/// not resolve). `pod` is `format.Pod` (`name_namespace(uid)`).
pub fn verify_run_as_non_root(
    run_as: &Effective,
    image_uid: Option<i64>,
    image_user: &str,
    pod: &str,
    container: &str,
) -> Result<(), String> {
    if run_as.run_as_non_root != Some(true) {
        return Ok(());
    }
    if let Some(uid) = run_as.run_as_user {
        if uid == 0 {
            return Err(format!("container's runAsUser breaks non-root policy (pod: {pod:?}, container: {container})"));
        }
        return Ok(());
    }
    match image_uid {
        None if !image_user.is_empty() => Err(format!(
            "container has runAsNonRoot and image has non-numeric user ({image_user}), cannot verify user is non-root (pod: {pod:?}, container: {container})"
        )),
        Some(0) => Err(format!("container has runAsNonRoot and image will run as root (pod: {pod:?}, container: {container})")),
        _ => Ok(()),
    }
}

/// apimachinery's `InclusiveRangeError` for `IsValidUserID`/`IsValidGroupID`.
const ID_RANGE: &str = "must be between 0 and 2147483647, inclusive";

fn id_problem(id: Option<i64>, at: String, problems: &mut Vec<FieldError>) {
    if let Some(id) = id.filter(|i| !(0..=i32::MAX as i64).contains(i)) {
        problems.push(FieldError::at_value(at, format!("Invalid value: {id}: {ID_RANGE}")));
    }
}

/// `ValidatePodSecurityContext`'s id checks: `fsGroup`, `runAsUser`, `runAsGroup`, then each
/// supplementary group.
pub fn pod_problems(sc: &PodSecurityContext, problems: &mut Vec<FieldError>) {
    let at = "spec.securityContext";
    id_problem(sc.fs_group, format!("{at}.fsGroup"), problems);
    id_problem(sc.run_as_user, format!("{at}.runAsUser"), problems);
    id_problem(sc.run_as_group, format!("{at}.runAsGroup"), problems);
    for (i, g) in sc.supplemental_groups.iter().enumerate() {
        id_problem(Some(*g), format!("{at}.supplementalGroups[{i}]"), problems);
    }
}

/// `ValidateSecurityContext`'s id checks of a container (`at` is the container's path).
pub fn container_problems(sc: &SecurityContext, at: &str, problems: &mut Vec<FieldError>) {
    id_problem(sc.run_as_user, format!("{at}.securityContext.runAsUser"), problems);
    id_problem(sc.run_as_group, format!("{at}.securityContext.runAsGroup"), problems);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(yaml: &str) -> PodSpec {
        serde_yaml::from_str(yaml).unwrap()
    }

    /// `DetermineEffectiveSecurityContext`'s run-as fields: the container's own win, the
    /// pod's fill in.
    #[test]
    fn the_containers_own_fields_win_over_the_pods() {
        let spec = pod("securityContext: {runAsUser: 1, runAsGroup: 2, runAsNonRoot: true}\ncontainers:\n- name: c\n  securityContext: {runAsUser: 3}\n");
        let e = effective(&spec, &spec.containers[0]);
        assert_eq!(
            e,
            Effective { run_as_user: Some(3), run_as_group: Some(2), run_as_non_root: Some(true), read_only_root_filesystem: None }
        );
    }

    /// After the cases of upstream's `TestVerifyRunAsNonRoot`
    /// (kuberuntime/security_context_others_test.go), with the messages of the function.
    #[test]
    fn verify_run_as_non_root_cases() {
        let pod = "test_ns(uid)";
        let non_root = |user: Option<i64>| Effective { run_as_non_root: Some(true), run_as_user: user, ..Default::default() };
        assert_eq!(verify_run_as_non_root(&Effective::default(), Some(0), "", pod, "c"), Ok(()));
        assert_eq!(verify_run_as_non_root(&non_root(Some(1)), Some(0), "", pod, "c"), Ok(()));
        assert_eq!(
            verify_run_as_non_root(&non_root(Some(0)), Some(0), "", pod, "c"),
            Err("container's runAsUser breaks non-root policy (pod: \"test_ns(uid)\", container: c)".into())
        );
        assert_eq!(
            verify_run_as_non_root(&non_root(None), Some(0), "", pod, "c"),
            Err("container has runAsNonRoot and image will run as root (pod: \"test_ns(uid)\", container: c)".into())
        );
        assert_eq!(
            verify_run_as_non_root(&non_root(None), None, "test", pod, "c"),
            Err("container has runAsNonRoot and image has non-numeric user (test), cannot verify user is non-root (pod: \"test_ns(uid)\", container: c)".into())
        );
        assert_eq!(verify_run_as_non_root(&non_root(None), Some(1), "", pod, "c"), Ok(()));
    }

    /// The fsGroup first, then the supplementary groups, as the kubelet asks the runtime.
    #[test]
    fn the_supplementary_groups_are_the_fs_group_then_the_pods() {
        let spec = pod("securityContext: {runAsUser: 1000, fsGroup: 2000, supplementalGroups: [4000, 5]}\ncontainers:\n- name: c\n");
        let e = effective(&spec, &spec.containers[0]);
        let want =
            UserRequest { run_as_user: Some(1000), run_as_group: None, supplemental_groups: vec![2000, 4000, 5], ..Default::default() };
        assert_eq!(user_request(&spec, &e), want);
    }
}
