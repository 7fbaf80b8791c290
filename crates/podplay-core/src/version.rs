//! Every behaviour and text that differs between Kubernetes releases, as one table: a row per
//! release, a column per difference. Adding a release is adding a row; code asks the row and
//! never compares version numbers itself. Sources: `shared/reference/kubelet.md` §10 and the
//! sections each column names.

/// How the runtime of that era reports things (container IDs, exec into a stopped container).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeKind {
    /// dockershim (default on most clusters up to 1.23).
    Docker,
    Containerd,
}

/// `Created`/`Started` event texts (§1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleEventText {
    /// `Created container NAME`, `Started container NAME`.
    WithName,
    /// `Created container: NAME`, `Started container NAME` (late 1.31 patches to 1.34).
    CreatedWithColon,
    /// `Container created`, `Container started` (1.35+).
    Short,
}

/// How `Successfully pulled image` reads (§1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PulledText {
    /// `Successfully pulled image %q in %v` (untruncated duration).
    Plain,
    /// `... in %v (%v including waiting)`, durations untruncated (1.26–1.27).
    WithWaiting,
    /// Same, durations truncated to ms (1.28–1.29).
    WithWaitingTruncated,
    /// `... . Image size: %v bytes.` appended (1.30+).
    WithSize,
}

/// How the kubelet waits out crash-loop back-off (§3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashLoopRequeue {
    /// The pod worker requeues every 10 s (+≤50 % jitter); each resync re-emits `BackOff`.
    EveryBackOffPeriod,
    /// 1.35+: requeue at the back-off expiry (×[1,1.5] jitter, capped at 1 m).
    AtExpiry,
}

/// The FailedScheduling tail (§1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitErrorStyle {
    /// ≤1.23: no `preemption:` part.
    NoPreemption,
    /// 1.24–1.25 and 1.29+: `... preemption: ... scheduling.`
    Preemption,
    /// 1.26–1.28: the postfilter message gets its own period: `...scheduling..`.
    PreemptionDoublePeriod,
}

/// The Deployment controller's `ScalingReplicaSet` message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalingEventText {
    /// `Scaled up replica set X to 3` (≤1.25).
    To,
    /// `Scaled down replica set X to 1 from 2` (kubernetes#101142, 1.26–1.30); a new
    /// ReplicaSet's `Scaled up replica set X to 3` kept its words.
    ToFrom,
    /// `Scaled down replica set X from 2 to 1`, and `Scaled up replica set X from 0 to 3` for a
    /// new one (kubernetes#125118, 1.31+).
    FromTo,
}

/// A pod's `status.hostIPs` (KEP-2681, feature gate `PodHostIPs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodHostIps {
    /// ≤1.27: no such field; `ConvertDownwardAPIFieldLabel` does not know `status.hostIPs`
    /// (`error converting fieldPath: field label not supported: status.hostIPs`).
    Unknown,
    /// 1.28: alpha, off by default: the label converts, but an env var's `fieldRef` may not
    /// name it (`validEnvDownwardAPIFieldPathExpressions` without it, `Unsupported value`),
    /// the kubelet reads it as "" and writes no `status.hostIPs`.
    Gated,
    /// 1.29+ (beta, on by default; GA in 1.30): the kubelet writes `status.hostIPs` (the
    /// node's addresses, `getHostIPsAnyWay`) and an env var may name it (joined by commas).
    Enabled,
}

/// `kubectl patch --subresource` (kubectl's `AddSubresourceFlags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubresourceFlag {
    /// ≤1.23: no such flag (`unknown flag: --subresource`).
    Absent,
    /// 1.24–1.31: alpha, and only `status` or `scale` (`invalid subresource value: ...`;
    /// kubectl 38487e770, first in kubernetes-1.24.0).
    StatusOrScale,
    /// 1.32+: any subresource the server has (kubectl b22c40d47, "remove subresource
    /// restrictions from all commands", first in kubernetes-1.32.0).
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// `"1.22"`.
    pub name: &'static str,
    pub runtime: RuntimeKind,
    pub lifecycle_events: LifecycleEventText,
    /// `... already present on machine and can be accessed by the pod` (1.35+).
    pub pulled_present_accessible: bool,
    pub pulled: PulledText,
    /// ≤1.25: hook events carry the full hook message; later `PostStartHook failed`.
    pub hook_event_full_message: bool,
    /// ≤1.25: `Back-off restarting failed container`; later with ` %s in pod %s`.
    pub backoff_event_with_names: bool,
    pub crashloop_requeue: CrashLoopRequeue,
    pub fit_error: FitErrorStyle,
    /// kubectl 1.26+ has `kubectl events` (GA; `kubectl alpha events` from 1.23, which podplay
    /// does not offer): kubectl's `pkg/cmd/events`.
    pub kubectl_events: bool,
    /// 1.34+: NodeResourcesFit answers UnschedulableAndUnresolvable for a node whose whole
    /// allocatable is smaller than the pod's request, so preemption reports `Preemption is not
    /// helpful for scheduling` for it rather than `No preemption victims found for incoming
    /// pod` (kubernetes#131345, merged in April 2025 after 1.33's code freeze).
    pub fit_unresolvable_over_allocatable: bool,
    /// The kubelet's CRI client strips `rpc error: code = Unknown desc = ` from a failed pull's
    /// error (`remote_image.go` PullImage, kubernetes#117612, 1.28): an authorization failure
    /// reads `failed to pull and unpack image ...: pull access denied, ...`; a NotFound keeps its
    /// code.
    pub pull_error_strips_unknown_code: bool,
    /// The kubelet's refusal of an image reference that does not parse (`InvalidImageName`,
    /// `images/image_manager.go` applyDefaultImageTag): from 1.28 `couldn't parse image name
    /// "IMG": ERR` (`pkg/util/parsers` ParseImageName, kubernetes#116231), before `couldn't
    /// parse image reference "IMG": ERR`.
    pub image_parse_error_says_name: bool,
    /// The reference library the kubelet vendors, whose texts ERR is: docker/distribution to
    /// 1.28, distribution/reference from 1.29 (kubernetes#120332).
    pub reference_library: podplay_k8s_util::image_ref::ReferenceLibrary,
    /// kubectl 1.37 prints `successThreshold=`, earlier `#success=` (§7).
    pub probe_attrs_long: bool,
    /// kubectl 1.35+ prefixes describe event messages with the field path (§6.2).
    pub describe_event_field_path: bool,
    /// From 1.34 the DynamicResources scheduler plugin is on by default (DRA core GA in 1.34,
    /// kubernetes#134452) and runs its PostFilter before DefaultPreemption's: for a pod without
    /// ResourceClaims it rejects with `no new claims to deallocate` (dynamicresources.go
    /// PostFilter), and RunPostFilterPlugins joins the plugins' reasons with `, `, so a
    /// FailedScheduling message reads `... no new claims to deallocate, preemption: ...`.
    pub dra_post_filter: bool,
    /// From 1.32 the spam filter key includes the event type (§6.1).
    pub spam_key_has_type: bool,
    /// client-go's legacy event recorder sets `reportingComponent` and `reportingInstance` from
    /// its source (component, host) from 1.28 (kubernetes#116506; cherry-picked to 1.25-1.27
    /// patches in August 2023 only, after their .0 releases, which podplay's nodes report);
    /// before, both are empty on the kubelet's and controllers' events.
    pub legacy_event_reporting: bool,
    /// `--node-monitor-grace-period`, seconds (§5.3).
    pub node_monitor_grace_seconds: u64,
    /// kubectl ≤1.32 prints `ConfigMapOptional: <nil>`, 1.33+ `Optional: false` (§7).
    pub describe_configmap_optional_nil: bool,
    /// printPod: Terminating only when the phase is not terminal (1.31+); before, always (§3.4).
    pub terminating_needs_live_phase: bool,
    /// printPod ≤1.24 printed `(x ago)` whenever the date was set, even with 0 restarts (§3.4).
    pub restarts_suffix_needs_restarts: bool,
    /// describe shows `Terminating (lasts ...)` only for non-terminal phases in kubectl 1.31+.
    pub describe_terminating_needs_live_phase: bool,
    /// `ImagePullBackOff` waiting message gets `: ErrImagePull: <err>` appended (1.32+, §1.3).
    pub image_backoff_message_has_cause: bool,
    /// `PodReadyToStartContainers` condition (1.29+ on by default; `PodHasNetwork` alpha before).
    pub ready_to_start_condition: bool,
    /// A startup probe's success also puts the worker on hold (1.32+; before only failure).
    pub startup_success_holds: bool,
    /// The kubelet's version: the node's `kubeletVersion`, the prober's `User-Agent`.
    pub kubelet_major_minor: (u32, u32),
    /// The kubelet reports `status.nodeInfo.kubeProxyVersion` (its own version) up to 1.32;
    /// from 1.33 DisableNodeKubeProxyVersion is on by default (kube_features.go's versioned
    /// table: alpha 1.29, deprecated and off 1.31, on 1.33) and the field stays `""` (it has
    /// no `omitempty`).
    pub node_kube_proxy_version: bool,
    /// The kubelet sets the terminal phase itself when a deleted pod's containers stopped (1.27+).
    pub kubelet_sets_terminal_phase_on_delete: bool,
    /// Feature gate `PodDisruptionConditions` on by default (beta 1.26, GA 1.31; alpha and off
    /// in 1.25, absent before). With it the taint eviction controller adds the
    /// `DisruptionTarget` condition before deleting (`DeletionByTaintManager`), and the pod
    /// garbage collector patches an orphaned pod to phase `Failed` with `DisruptionTarget`
    /// (`DeletionByPodGC`, "PodGC: node no longer exists") before force-deleting it
    /// (`pkg/controller/podgc/gc_controller.go` markFailedAndDeletePodWithCondition). Without it
    /// (1.22–1.25) PodGC only force-deletes (`deletePod`, grace 0).
    pub pod_disruption_conditions: bool,
    /// What `busybox` (`:latest`) was when the release was current: 1.34 (2021–22), 1.36
    /// (2023–24), 1.37 (2024–26), 1.38 (2026) (images.md §1.1 tag history).
    pub busybox_latest_minor: u32,
    /// `Container Runtime Version` a node of that era reports (kind's node images).
    pub container_runtime_version: &'static str,
    /// 1.33+ (KEP-4974): every request for v1 Endpoints carries the API server's deprecation
    /// warning, which kubectl prints on stderr: `Warning: v1 Endpoints is deprecated in v1.33+;
    /// use discovery.k8s.io/v1 EndpointSlice`.
    pub endpoints_deprecation_warning: bool,
    /// The `sort.Sort` of the Go release kubectl was built with, which `--sort-by` uses (not
    /// stable, so it decides the order of equal keys): Go 1.16–1.18's quicksort up to 1.24,
    /// pdqsort (Go 1.19–1.23) up to 1.32, pdqsort with Go 1.24's 64-bit xorshift from 1.33.
    pub kubectl_sort: podplay_k8s_util::gosort::GoSort,
    /// `--sort-by` compares strings in natural order (`sortorder.NaturalLess`) up to 1.30, byte
    /// by byte from 1.31 (kubectl commit 150571ea5).
    pub kubectl_sort_natural: bool,
    /// 1.22's `--sort-by` compared a quantity with zero when the other string was not one
    /// (the second parse error went unchecked; fixed in 1.23).
    pub kubectl_sort_quantity_zero: bool,
    /// `-o jsonpath` prints a JSON `null` as `null` from 1.29 (client-go a8fc969a3, "Fix: null
    /// jsonpath serialization"); before, as Go's `fmt.Fprint(nil)`: `<nil>`.
    pub kubectl_jsonpath_null_text: bool,
    /// The kubelet's node-pressure eviction message says `Container X was using U, request is
    /// R, has larger consumption of ephemeral-storage. ` (kubernetes#111597, merged for 1.26);
    /// before, `Container X was using U, which exceeds its request of R. `
    /// (`pkg/kubelet/eviction/helpers.go` `containerMessageFmt`).
    pub eviction_message_larger_consumption: bool,
    /// The message has `Threshold quantity: Q, available: A. ` after `The node was low on
    /// resource: R. ` (`thresholdMetMessageFmt`, `getThresholdMetInfo`; absent from the 1.26
    /// development branch quoted in kubernetes#111597, present in current releases: from 1.27).
    pub eviction_message_threshold: bool,
    /// kubectl 1.30+ ends `describe`'s Pod Template with `Node-Selectors` and `Tolerations`
    /// (kubectl commit 7cd57900b, "describer: improve job and pod template output").
    pub describe_template_scheduling: bool,
    /// The words of the Deployment controller's `ScalingReplicaSet` events.
    pub scaling_event: ScalingEventText,
    /// kubectl 1.27+ lists every old ReplicaSet under `describe deployment`'s `OldReplicaSets`,
    /// scaled to zero or not; before, only those with replicas (`<none>` once a rollout is
    /// done). kubectl commit d592485b4 ("fix OldReplicaSets"), first in kubernetes-1.27.0.
    pub describe_all_old_replica_sets: bool,
    /// The API server's generated Job selector and pod labels carry the `batch.kubernetes.io/`
    /// keys (`batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name`) beside the
    /// legacy `controller-uid`/`job-name`, and select on the prefixed uid, from 1.27
    /// (kubernetes#114930, merged 2023-03-15); before, only the legacy keys.
    pub job_prefixed_labels: bool,
    /// kubectl 1.23+ words `describe job`'s pod counts `N Active` (`N Running` before) and adds
    /// `(M Ready)` when `status.ready` is set (kubectl def56a58a, "Add ready field to Job status").
    pub describe_job_active_words: bool,
    /// The Job controller writes `status.ready` (the JobReadyPods gate: alpha in 1.23, beta and
    /// on from 1.24), and batches pod events into one sync a second later
    /// (`podUpdateBatchPeriod`, set when that gate is on; `syncJobBatchPeriod` later).
    pub job_ready_pods: bool,
    /// The Job controller tracks pods with finalizers and writes `status.uncountedTerminatedPods`
    /// (JobTrackingWithFinalizers: alpha in 1.22, beta but turned off by default in 1.23's
    /// patches and 1.24 (kubernetes#109487, #109491; website#37908), on again in 1.25
    /// (kubernetes#110948), GA in 1.26).
    pub job_tracking_finalizers: bool,
    /// The API server marks a new Job with the `batch.kubernetes.io/job-tracking: ""`
    /// annotation while the gate is on (`pkg/registry/batch/job/strategy.go`), 1.25 and 1.26;
    /// 1.27 stopped using it (kubernetes#114647; website#42388).
    pub job_tracking_annotation: bool,
    /// JobPodReplacementPolicy (alpha 1.28, beta and on from 1.29: kube_features.go's
    /// versioned table): SetDefaults_Job gives `spec.podReplacementPolicy:
    /// TerminatingOrFailed` (no podFailurePolicy) and the controller writes
    /// `status.terminating`.
    pub job_pod_replacement_policy: bool,
    /// SetDefaults_Job gives `spec.manualSelector: false` (kubernetes#120206, merged
    /// 2023-08-28 for 1.29).
    pub job_manual_selector_default: bool,
    /// kubectl 1.30+ prints `Suspend`, `Backoff Limit` and `TTL Seconds After Finished` in
    /// `describe job` (kubectl 7cd57900b, "describer: improve job and pod template output").
    pub describe_job_spec_fields: bool,
    /// The API server's Job table has a `STATUS` column after NAME from 1.30
    /// (kubernetes#123226, approved 2024-03-05, in the 1.30 release notes).
    pub job_status_column: bool,
    /// kubectl 1.31+ ends each `describe configmap` value with a blank line (kubectl 10fe45a70,
    /// "Improving Legibility of Kubectl describe configmap", first in kubernetes-1.31.0).
    pub describe_configmap_blank_line: bool,
    /// The `STATUS` column says `SuccessCriteriaMet` for a Job with that condition (kubernetes
    /// #132832, July 2025: 1.34 inferred from its date, not from a tagged source).
    pub job_status_success_criteria: bool,
    /// The Job controller first writes the interim `FailureTarget`/`SuccessCriteriaMet`
    /// condition and adds `Failed`/`Complete` only once no pod is terminating
    /// (`delayTerminalCondition`, on with JobPodReplacementPolicy or JobManagedBy: from 1.31,
    /// inferred from the KEP-4368 change's release, not from a tagged source).
    pub job_delayed_terminal_condition: bool,
    /// `kubectl get cronjobs` has a TIMEZONE column (printers.go, kubernetes#122231, 1.30).
    pub cronjob_timezone_column: bool,
    /// A CronJob's Jobs carry `batch.kubernetes.io/cronjob-scheduled-timestamp`
    /// (CronJobsScheduledAnnotation, beta on by default in 1.28).
    pub cronjob_scheduled_annotation: bool,
    /// `SawCompletedJob` says `condition: Complete` (from 1.30, with kubernetes#123380's
    /// explicit success check: inferred from its merge date) where it said `status: Complete`.
    pub cronjob_saw_completed_condition: bool,
    /// The CronJob controller deletes Jobs past the history limits before it syncs, so a Job it
    /// deletes is not reported as completed (kubernetes#122025, 1.31 inferred from its merge).
    pub cronjob_cleanup_first: bool,
    /// `kubectl describe cronjob` prints `Time Zone:` after `Suspend:` (kubectl 1.36).
    pub describe_cronjob_time_zone: bool,
    /// kubectl's `ByLogging` breaks a tie of restart counts by the sidecars' restarts
    /// (kubectl 4657409ea, first in 1.32).
    pub logging_sidecar_restarts: bool,
    /// The cap of the Job controller's pod-failure back-off (10 s doubling): 6 min
    /// (`MaxJobBackOff`, ≤1.26) and 10 min (`MaxJobPodFailureBackOff`, seen in 1.28's source;
    /// 1.27 inferred from kubernetes#114768's merge).
    pub job_max_backoff_seconds: u64,
    /// Indexed Job pods carry the completion index as a label too, and are named
    /// `<job>-<index>-<suffix>` (PodIndexLabel, beta in 1.28; inferred boundary).
    pub job_index_label: bool,
    /// StatefulSet pods carry `apps.kubernetes.io/pod-index` (their ordinal) as a label: the
    /// same PodIndexLabel gate (KEP-4017, beta and on in 1.28) as `job_index_label`.
    pub sts_pod_index_label: bool,
    /// The StatefulSet controller writes `status.availableReplicas` (StatefulSetMinReadySeconds:
    /// alpha and off in 1.22, beta and on from 1.23; before, the field stays 0).
    pub sts_available_replicas: bool,
    /// The API server defaults `persistentVolumeClaimRetentionPolicy` to Retain/Retain
    /// (StatefulSetAutoDeletePVC, beta and on from 1.27: inferred from the gate's stage) and
    /// kubectl 1.25+ prints it in `describe statefulset` (seen in the kubernetes-1.25.0 tag).
    pub sts_pvc_retention_policy: bool,
    /// kubectl's `describe daemonset` prints a `Namespace:` line (kubectl 1.33+: seen in the
    /// kubectl v0.33.0 tag's `describeDaemonSet`; v0.32.0 has none).
    pub ds_describe_namespace: bool,
    /// The `sort.Sort` of the Go release kube-controller-manager was built with (the same Go
    /// as kubectl's, `kubectl_sort`): the ReplicaSet controller's `getPodsToDelete` sorts with
    /// it, so pods that rank equal are deleted in the order it leaves them.
    pub controller_sort: podplay_k8s_util::gosort::GoSort,
    /// kubectl ≤1.25 names the Deployment in `rollout undo`'s refusal of a paused one: `resume
    /// it first with 'kubectl rollout resume deployment/NAME' and try again`; 1.26+ says
    /// `'kubectl rollout resume'` (`polymorphichelpers/rollback.go`, read at each tag).
    pub rollback_paused_names_deployment: bool,
    /// A `rollout restart` whose patch is empty (restarted again within the same second): ≤1.26
    /// says `failed to create patch for NAME: empty patch` yet sends the patch and prints
    /// `restarted`; 1.27+ says `... if restart has already been triggered within the past
    /// second, please wait before attempting to trigger another` and skips it
    /// (`cmd/rollout/rollout_restart.go`, read at each tag).
    pub restart_empty_patch_skipped: bool,
    /// kubectl 1.36+ `rollout undo` warns on stderr when the object carries
    /// `kubectl.kubernetes.io/last-applied-configuration` (`warningRollbackApplyManagedResource`
    /// in `cmd/rollout/rollout_undo.go`, first in kubernetes-1.36.0).
    pub undo_warns_last_applied: bool,
    /// What `kubectl patch --subresource` takes.
    pub kubectl_patch_subresource: SubresourceFlag,
    /// Whether pods have `status.hostIPs`, and the downward API its field path.
    pub pod_host_ips: PodHostIps,
    /// A workload's `spec.template.metadata` is served with `creationTimestamp: null` (a zero
    /// non-pointer metav1.Time) up to 1.33; 1.34+ omits it (`omitzero`, kubernetes#130989, in
    /// the v1.34.0-alpha.1 changelog).
    pub template_creation_timestamp_null: bool,
    /// SetDefaults_StatefulSet gives a RollingUpdate `maxUnavailable: 1` when
    /// MaxUnavailableStatefulSet is on: beta and on by default from 1.35 (kube_features.go's
    /// versioned gate table), alpha and off from 1.24.
    pub sts_max_unavailable_default: bool,
    /// The API server serves `policy/v1beta1` PodDisruptionBudgets (removed in 1.25, with
    /// PodSecurityPolicy; kubernetes#108233's deprecation schedule).
    pub pdb_v1beta1: bool,
    /// `spec.unhealthyPodEvictionPolicy` is kept and honoured by the eviction subresource
    /// (PDBUnhealthyPodEvictionPolicy: alpha and off in 1.26, beta and on from 1.27); before,
    /// the API server drops it (`dropDisabledFields`).
    pub pdb_unhealthy_pod_eviction_policy: bool,
    /// The fields `ValidatePodUpdate`'s `Forbidden` names as the ones a pod update may change:
    /// up to 1.26 joined by `, ` with ` or ` before the last; from 1.27 (InPlacePodVerticalScaling's
    /// `updatablePodSpecFieldsNoResources`, the resources entry only with the alpha gate on)
    /// joined by `,` (both texts as users quote them; the release of the change inferred from
    /// the gate's introduction).
    pub pod_update_fields: &'static str,
    /// The disruption controller records `UnmanagedPods` on a PodDisruptionBudget whose pods
    /// have no controller (kubernetes#115861 and #116256, March 2023: 1.27); before, it only
    /// logged them.
    pub pdb_unmanaged_pods_event: bool,
    /// How `kubectl drain` words a node it could not drain.
    pub drain_failure: DrainFailureText,
    /// kubectl ≤1.24 prints drain's filter warnings as `WARNING: ...` (its own Fprintf); 1.25+
    /// through the warning printer, `Warning: ...` (read at the v0.24.0 and v0.25.0 tags).
    pub drain_warning_upper: bool,
    /// drain's words for a pod without a controller (`unmanagedFatal`, `unmanagedWarning`).
    pub drain_unmanaged: DrainUnmanagedText,
    /// kubectl 1.32+ waits for an evicted pod's deletion with `PollUntilContextTimeout` on the
    /// drain's context, so `--timeout` running out there reads `context deadline exceeded`;
    /// before, `global timeout reached: T` (read at the v0.31.0 and v0.32.0 tags).
    pub drain_wait_context_deadline: bool,
    /// kubectl ≤1.30 still takes drain's `--delete-local-data`, deprecated for
    /// `--delete-emptydir-data` (pflag's `Flag --delete-local-data has been deprecated, ...`);
    /// 1.31 removed it (read at the v0.30.0 and v0.31.0 tags).
    pub drain_delete_local_data: bool,
}

/// `pkg/drain/filters.go`'s `unmanagedFatal` at each kubectl tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrainUnmanagedText {
    /// v0.22–v0.23: `Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or
    /// StatefulSet` (and the warning `deleting Pods not managed by ...`).
    NotManagedBy,
    /// v0.24–v0.29: `Pods declare no controller`.
    DeclareNoController,
    /// v0.30–v0.35: `cannot delete Pods that declare no controller` (after the list's own
    /// `cannot delete `).
    CannotDeleteDeclare,
    /// v0.36: `Pods that declare no controller`.
    ThatDeclareNoController,
}

/// `kubectl drain`'s words for a node whose pods it could not delete or evict
/// (`cmd/drain/drain.go` RunDrain, read at each kubectl tag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrainFailureText {
    /// v0.22: without `--ignore-errors` the command aborts: `DEPRECATED WARNING: ...`,
    /// `error: unable to drain node "N", aborting command...` and the pending nodes.
    Aborting,
    /// v0.23–v0.31: `error: unable to drain node "N" due to error:ERR, continuing command...`
    /// (no space after `error:`).
    ContinuingNoSpace,
    /// v0.32+: `... due to error: ERR, continuing command...`.
    Continuing,
}

const fn row(name: &'static str, minor: u32) -> Release {
    Release {
        name,
        runtime: if minor <= 23 { RuntimeKind::Docker } else { RuntimeKind::Containerd },
        lifecycle_events: if minor >= 35 {
            LifecycleEventText::Short
        } else if minor >= 32 {
            LifecycleEventText::CreatedWithColon
        } else {
            LifecycleEventText::WithName
        },
        pulled_present_accessible: minor >= 35,
        pulled: if minor >= 30 {
            PulledText::WithSize
        } else if minor >= 28 {
            PulledText::WithWaitingTruncated
        } else if minor >= 26 {
            PulledText::WithWaiting
        } else {
            PulledText::Plain
        },
        hook_event_full_message: minor <= 25,
        backoff_event_with_names: minor >= 26,
        crashloop_requeue: if minor >= 35 { CrashLoopRequeue::AtExpiry } else { CrashLoopRequeue::EveryBackOffPeriod },
        fit_unresolvable_over_allocatable: minor >= 34,
        pull_error_strips_unknown_code: minor >= 28,
        image_parse_error_says_name: minor >= 28,
        reference_library: if minor >= 29 {
            podplay_k8s_util::image_ref::ReferenceLibrary::DistributionReference
        } else {
            podplay_k8s_util::image_ref::ReferenceLibrary::DockerDistribution
        },
        kubectl_events: minor >= 26,
        fit_error: if minor <= 23 {
            FitErrorStyle::NoPreemption
        } else if minor >= 26 && minor <= 28 {
            FitErrorStyle::PreemptionDoublePeriod
        } else {
            FitErrorStyle::Preemption
        },
        probe_attrs_long: minor >= 37,
        describe_event_field_path: minor >= 35,
        dra_post_filter: minor >= 34,
        spam_key_has_type: minor >= 32,
        legacy_event_reporting: minor >= 28,
        node_monitor_grace_seconds: if minor >= 32 { 50 } else { 40 },
        describe_configmap_optional_nil: minor <= 32,
        terminating_needs_live_phase: minor >= 31,
        restarts_suffix_needs_restarts: minor >= 25,
        describe_terminating_needs_live_phase: minor >= 31,
        image_backoff_message_has_cause: minor >= 32,
        ready_to_start_condition: minor >= 29,
        startup_success_holds: minor >= 32,
        kubelet_major_minor: (1, minor),
        node_kube_proxy_version: minor <= 32,
        kubelet_sets_terminal_phase_on_delete: minor >= 27,
        pod_disruption_conditions: minor >= 26,
        container_runtime_version: if minor <= 23 {
            "docker://20.10.12"
        } else if minor <= 28 {
            "containerd://1.6.21"
        } else if minor <= 31 {
            "containerd://1.7.18"
        } else {
            "containerd://2.1.4"
        },
        endpoints_deprecation_warning: minor >= 33,
        kubectl_sort: if minor <= 24 {
            podplay_k8s_util::gosort::GoSort::QuickSort
        } else if minor <= 32 {
            podplay_k8s_util::gosort::GoSort::PdqSort
        } else {
            podplay_k8s_util::gosort::GoSort::PdqSort64
        },
        kubectl_sort_natural: minor <= 30,
        kubectl_sort_quantity_zero: minor <= 22,
        kubectl_jsonpath_null_text: minor >= 29,
        eviction_message_larger_consumption: minor >= 26,
        eviction_message_threshold: minor >= 27,
        describe_template_scheduling: minor >= 30,
        describe_all_old_replica_sets: minor >= 27,
        job_prefixed_labels: minor >= 27,
        describe_job_active_words: minor >= 23,
        job_ready_pods: minor >= 24,
        job_tracking_finalizers: minor >= 25,
        job_tracking_annotation: minor == 25 || minor == 26,
        job_pod_replacement_policy: minor >= 29,
        job_manual_selector_default: minor >= 29,
        describe_job_spec_fields: minor >= 30,
        job_status_column: minor >= 30,
        describe_configmap_blank_line: minor >= 31,
        job_status_success_criteria: minor >= 34,
        job_delayed_terminal_condition: minor >= 31,
        cronjob_timezone_column: minor >= 30,
        cronjob_scheduled_annotation: minor >= 28,
        cronjob_saw_completed_condition: minor >= 30,
        cronjob_cleanup_first: minor >= 31,
        describe_cronjob_time_zone: minor >= 36,
        logging_sidecar_restarts: minor >= 32,
        job_max_backoff_seconds: if minor >= 27 { 600 } else { 360 },
        job_index_label: minor >= 28,
        sts_pod_index_label: minor >= 28,
        sts_available_replicas: minor >= 23,
        sts_pvc_retention_policy: minor >= 27,
        ds_describe_namespace: minor >= 33,
        scaling_event: if minor >= 31 {
            ScalingEventText::FromTo
        } else if minor >= 26 {
            ScalingEventText::ToFrom
        } else {
            ScalingEventText::To
        },
        controller_sort: if minor <= 24 {
            podplay_k8s_util::gosort::GoSort::QuickSort
        } else if minor <= 32 {
            podplay_k8s_util::gosort::GoSort::PdqSort
        } else {
            podplay_k8s_util::gosort::GoSort::PdqSort64
        },
        rollback_paused_names_deployment: minor <= 25,
        restart_empty_patch_skipped: minor >= 27,
        undo_warns_last_applied: minor >= 36,
        busybox_latest_minor: if minor >= 36 {
            38
        } else if minor >= 31 {
            37
        } else if minor >= 26 {
            36
        } else {
            34
        },
        template_creation_timestamp_null: minor <= 33,
        sts_max_unavailable_default: minor >= 35,
        pdb_v1beta1: minor <= 24,
        pdb_unhealthy_pod_eviction_policy: minor >= 27,
        pod_update_fields: if minor >= 27 {
            "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
        } else {
            "`spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
        },
        pdb_unmanaged_pods_event: minor >= 27,
        drain_failure: if minor <= 22 {
            DrainFailureText::Aborting
        } else if minor <= 31 {
            DrainFailureText::ContinuingNoSpace
        } else {
            DrainFailureText::Continuing
        },
        drain_warning_upper: minor <= 24,
        drain_unmanaged: if minor <= 23 {
            DrainUnmanagedText::NotManagedBy
        } else if minor <= 29 {
            DrainUnmanagedText::DeclareNoController
        } else if minor <= 35 {
            DrainUnmanagedText::CannotDeleteDeclare
        } else {
            DrainUnmanagedText::ThatDeclareNoController
        },
        drain_wait_context_deadline: minor >= 32,
        drain_delete_local_data: minor <= 30,
        kubectl_patch_subresource: if minor <= 23 {
            SubresourceFlag::Absent
        } else if minor <= 31 {
            SubresourceFlag::StatusOrScale
        } else {
            SubresourceFlag::Any
        },
        pod_host_ips: if minor <= 27 {
            PodHostIps::Unknown
        } else if minor == 28 {
            PodHostIps::Gated
        } else {
            PodHostIps::Enabled
        },
    }
}

/// The releases podplay reproduces, oldest first. The last one is the default.
pub const RELEASES: &[Release] = &[
    row("1.22", 22),
    row("1.23", 23),
    row("1.24", 24),
    row("1.25", 25),
    row("1.26", 26),
    row("1.27", 27),
    row("1.28", 28),
    row("1.29", 29),
    row("1.30", 30),
    row("1.31", 31),
    row("1.32", 32),
    row("1.33", 33),
    row("1.34", 34),
    row("1.35", 35),
    row("1.36", 36),
];

pub fn default_release() -> &'static Release {
    RELEASES.last().expect("at least one release")
}

/// Looks a release up by `"1.22"`, `"v1.22"` or `"1.22.6"` (patch versions map to their minor).
pub fn find_release(text: &str) -> Result<&'static Release, String> {
    let t = text.trim().trim_start_matches('v');
    let minor: String = t.split('.').take(2).collect::<Vec<_>>().join(".");
    RELEASES.iter().find(|r| r.name == minor).ok_or_else(|| {
        let names: Vec<&str> = RELEASES.iter().map(|r| r.name).collect();
        format!("unsupported kubernetesVersion {text:?}: podplay reproduces {}", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn lookups() {
        assert_eq!(find_release("1.22").unwrap().name, "1.22");
        assert_eq!(find_release("v1.22.6").unwrap().runtime, RuntimeKind::Docker);
        assert_eq!(default_release().name, "1.36");
        assert!(find_release("1.12").unwrap_err().contains("1.22, 1.23"));
        assert_eq!(find_release("1.27").unwrap().fit_error, FitErrorStyle::PreemptionDoublePeriod);
    }
}
