//! The shape of every document the loader accepts: for each kind, every field with its type,
//! its allowed values, the default the API server applies and one line of meaning. The page's
//! completion and hover docs read it (through the wasm `schema` export); the tests below prove
//! it and the loader agree field for field (serde's own field lists, not a second hand list).

use serde::Serialize;

use crate::version::RELEASES;

/// What a field's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Integer,
    Boolean,
    /// `90s`, `2m30s`, or a number of seconds.
    Duration,
    /// A resource quantity: `100m`, `64Mi`, `1`.
    Quantity,
    /// A port number or a port name.
    IntOrString,
    /// Any YAML: a field the API accepts and the simulation does not model.
    Any,
    Object(&'static Obj),
    /// A whole manifest (a List's items): its type follows its own `kind`.
    Manifest,
}

/// One value, a list of values, or a map from strings to values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    One,
    List,
    Map,
}

/// The values a field may take, when it is an enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    Free,
    OneOf(&'static [&'static str]),
    /// The releases in `version::RELEASES`.
    Releases,
}

/// What the API server (or podplay, for its own kinds) fills in when the field is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultValue {
    None,
    /// A literal value, as YAML.
    Value(&'static str),
    /// A default that depends on other fields, in words.
    Note(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub shape: Shape,
    /// The loader refuses the object without it.
    pub required: bool,
    pub values: Values,
    pub default: DefaultValue,
    pub doc: &'static str,
    /// False for fields the API accepts and podplay keeps but does not simulate.
    pub simulated: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Obj {
    /// The API's type name (`Container`, `Probe`).
    pub name: &'static str,
    pub fields: &'static [Field],
    /// Exactly one of these fields must be set (a probe's or a hook's handler).
    pub one_of: &'static [&'static str],
}

impl Obj {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        let fields: &'static [Field] = self.fields;
        fields.iter().find(|f| f.name == name)
    }
}

const fn f(name: &'static str, ty: Type, doc: &'static str) -> Field {
    Field { name, ty, shape: Shape::One, required: false, values: Values::Free, default: DefaultValue::None, doc, simulated: true }
}

impl Field {
    const fn list(mut self) -> Self {
        self.shape = Shape::List;
        self
    }
    const fn map(mut self) -> Self {
        self.shape = Shape::Map;
        self
    }
    const fn req(mut self) -> Self {
        self.required = true;
        self
    }
    const fn one_of(mut self, values: &'static [&'static str]) -> Self {
        self.values = Values::OneOf(values);
        self
    }
    const fn default(mut self, value: &'static str) -> Self {
        self.default = DefaultValue::Value(value);
        self
    }
    const fn releases(mut self) -> Self {
        self.values = Values::Releases;
        self
    }
    const fn default_note(mut self, note: &'static str) -> Self {
        self.default = DefaultValue::Note(note);
        self
    }
    /// Accepted (so real manifests load) but not simulated.
    const fn kept(mut self) -> Self {
        self.simulated = false;
        self
    }
}

use Type::{Any, Boolean, Duration, IntOrString, Integer, Manifest, Object, Quantity, String as Str};

const KEPT: &str = "Accepted as the API server does; podplay keeps it but does not simulate it.";

// ---- shared pieces ----

pub static OBJECT_META: Obj = Obj {
    name: "ObjectMeta",
    one_of: &[],
    fields: &[
        f("name", Str, "The object's name, unique per kind in its namespace; required for Pods (or generateName)."),
        f("generateName", Str, "A prefix the API server completes with a random suffix when `name` is empty.").kept(),
        f("namespace", Str, "The namespace the object lives in.").default("default"),
        f("labels", Str, "Key/value pairs that Services' selectors and nodeSelectors match.").map(),
        f("annotations", Str, "Key/value notes for tools; not used for selection.").map(),
        f("uid", Str, "Set by the API server; a given value is replaced.").kept(),
        f("resourceVersion", Str, "Set by the API server on every write; a given value is replaced.").kept(),
        f("ownerReferences", Any, KEPT).kept(),
        f(
            "finalizers",
            Str,
            "Names (qualified, like `example.com/cleanup`) that hold a deleted Pod: it stays, Terminating, until each is removed (`kubectl patch`); other kinds keep them unsimulated.",
        )
        .list(),
        f("managedFields", Any, KEPT).kept(),
        f("generation", Integer, KEPT).kept(),
        f("creationTimestamp", Any, "Set by the API server at creation; a given value is ignored.").kept(),
        f("deletionTimestamp", Any, "Set by the API server when the object is deleted; a given value is ignored.").kept(),
        f("selfLink", Any, KEPT).kept(),
    ],
};

// ---- Pod ----

static EXEC_ACTION: Obj = Obj {
    name: "ExecAction",
    one_of: &[],
    fields: &[f("command", Str, "The command run inside the container (no shell unless you call one); exit code 0 is success.").list()],
};

static HTTP_HEADER: Obj = Obj {
    name: "HTTPHeader",
    one_of: &[],
    fields: &[
        f("name", Str, "Header name (a probe's own User-Agent or Accept replaces the kubelet's).").req(),
        f("value", Str, "Header value; an empty value removes the kubelet's default header of that name."),
    ],
};

static HTTP_GET_ACTION: Obj = Obj {
    name: "HTTPGetAction",
    one_of: &[],
    fields: &[
        f("path", Str, "The request path; a status from 200 to 399 is success.").default("/"),
        f("port", IntOrString, "Port number or the name of one of the container's ports.").req(),
        f("host", Str, "Host to connect to.").default_note("the pod IP"),
        f("scheme", Str, "HTTP or HTTPS (HTTPS skips certificate checks).").one_of(&["HTTP", "HTTPS"]).default("HTTP"),
        f("httpHeaders", Object(&HTTP_HEADER), "Extra request headers.").list(),
    ],
};

static TCP_SOCKET_ACTION: Obj = Obj {
    name: "TCPSocketAction",
    one_of: &[],
    fields: &[
        f("port", IntOrString, "Port number or name; an accepted connection is success.").req(),
        f("host", Str, "Host to connect to.").default_note("the pod IP"),
    ],
};

static GRPC_ACTION: Obj = Obj {
    name: "GRPCAction",
    one_of: &[],
    fields: &[
        f("port", Integer, "Port of the gRPC health service.").req(),
        f("service", Str, "Service name passed to the gRPC health check.").default_note("empty (the server's overall health)"),
    ],
};

static SLEEP_ACTION: Obj = Obj {
    name: "SleepAction",
    one_of: &[],
    fields: &[f("seconds", Integer, "How long the hook sleeps; the pod worker waits for it.").req()],
};

static PROBE: Obj = Obj {
    name: "Probe",
    one_of: &["exec", "httpGet", "tcpSocket", "grpc"],
    fields: &[
        f("exec", Object(&EXEC_ACTION), "Run a command in the container; exit code 0 is success."),
        f("httpGet", Object(&HTTP_GET_ACTION), "GET a URL from the kubelet; status 200–399 is success."),
        f("tcpSocket", Object(&TCP_SOCKET_ACTION), "Open a TCP connection; success if it is accepted."),
        f("grpc", Object(&GRPC_ACTION), "Call the gRPC health checking protocol."),
        f("initialDelaySeconds", Integer, "Seconds after the container starts before probes count; earlier ticks do nothing.").default("0"),
        f("timeoutSeconds", Integer, "Seconds one probe may take; a slower answer is a failure.").default("1"),
        f("periodSeconds", Integer, "Seconds between probes; the first probe runs when the worker starts.").default("10"),
        f(
            "successThreshold",
            Integer,
            "How many successes in a row count as success after a failure (must be 1 for liveness and startup).",
        )
        .default("1"),
        f(
            "failureThreshold",
            Integer,
            "How many failed probes in a row count as failure: liveness/startup then kill the container, readiness marks it not ready.",
        )
        .default("3"),
        f(
            "terminationGracePeriodSeconds",
            Integer,
            "Grace period for a kill caused by this probe (liveness/startup only); overrides the pod's.",
        )
        .default_note("the pod's terminationGracePeriodSeconds"),
    ],
};

static LIFECYCLE_HANDLER: Obj = Obj {
    name: "LifecycleHandler",
    one_of: &["exec", "httpGet", "tcpSocket", "sleep"],
    fields: &[
        f("exec", Object(&EXEC_ACTION), "Run a command in the container; a non-zero exit fails the hook."),
        f("httpGet", Object(&HTTP_GET_ACTION), "GET a URL; a status of 400 or more fails the hook."),
        f("tcpSocket", Object(&TCP_SOCKET_ACTION), "Deprecated: accepted, and the kubelet does not run it.").kept(),
        f("sleep", Object(&SLEEP_ACTION), "Sleep before going on."),
    ],
};

static LIFECYCLE: Obj = Obj {
    name: "Lifecycle",
    one_of: &[],
    fields: &[
        f(
            "postStart",
            Object(&LIFECYCLE_HANDLER),
            "Runs right after the container starts; the container is not Running until it returns, and a failure kills it.",
        ),
        f(
            "preStop",
            Object(&LIFECYCLE_HANDLER),
            "Runs before the stop signal when the container is killed; its time counts against the grace period.",
        ),
        f("stopSignal", Any, KEPT).kept(),
    ],
};

static CONTAINER_PORT: Obj = Obj {
    name: "ContainerPort",
    one_of: &[],
    fields: &[
        f("name", Str, "A name probes and Services' targetPort can use instead of the number."),
        f("containerPort", Integer, "The port the container listens on (informational: it does not open or restrict anything).").req(),
        f("protocol", Str, "The port's protocol.").one_of(&["TCP", "UDP", "SCTP"]).default("TCP"),
        f("hostPort", Integer, KEPT).kept(),
        f("hostIP", Str, KEPT).kept(),
    ],
};

static FIELD_REF: Obj = Obj {
    name: "ObjectFieldSelector",
    one_of: &[],
    fields: &[
        f("fieldPath", Str, "The pod field to expose: metadata.name, metadata.namespace, metadata.uid, spec.nodeName, status.podIP, metadata.labels['k'], ...")
            .req()
            // validEnvDownwardAPIFieldPathExpressions of the newest release (a label's or an
            // annotation's subscript, `metadata.labels['k']`, besides).
            .one_of(&[
                "metadata.name",
                "metadata.namespace",
                "metadata.uid",
                "spec.nodeName",
                "spec.serviceAccountName",
                "status.hostIP",
                "status.hostIPs",
                "status.podIP",
                "status.podIPs",
            ]),
        f("apiVersion", Str, "Version of the schema the path is written in.").default("v1"),
    ],
};

static ENV_VAR_SOURCE: Obj = Obj {
    name: "EnvVarSource",
    one_of: &[],
    fields: &[
        f("fieldRef", Object(&FIELD_REF), "Take the value from a field of the pod (the downward API)."),
        f("resourceFieldRef", Any, KEPT).kept(),
        f("configMapKeyRef", Any, KEPT).kept(),
        f("secretKeyRef", Any, KEPT).kept(),
    ],
};

static ENV_VAR: Obj = Obj {
    name: "EnvVar",
    one_of: &[],
    fields: &[
        f("name", Str, "Variable name.").req(),
        f("value", Str, "Value; $(VAR) refers to an earlier variable, $$ escapes.").default_note("unset: empty"),
        f("valueFrom", Object(&ENV_VAR_SOURCE), "Take the value from elsewhere instead of `value`."),
    ],
};

static RESOURCE_REQUIREMENTS: Obj = Obj {
    name: "ResourceRequirements",
    one_of: &[],
    fields: &[
        f(
            "limits",
            Quantity,
            "Maximum use: above its memory limit the container is OOMKilled (exit 137); above its ephemeral-storage limit (writable layer and logs; the pod's total with its emptyDirs against the sum of the limits) the kubelet evicts the pod.",
        )
        .map(),
        f(
            "requests",
            Quantity,
            "What the scheduler reserves on a node: a pod fits only where the requests fit (`Insufficient cpu`); under disk pressure the kubelet evicts pods using more ephemeral-storage than they request first.",
        )
        .map()
        .default_note("the limits, where only limits are given"),
        f("claims", Any, KEPT).kept(),
    ],
};

static VOLUME_MOUNT: Obj = Obj {
    name: "VolumeMount",
    one_of: &[],
    fields: &[
        f("name", Str, "The pod volume to mount.").req(),
        f("mountPath", Str, "Where the volume appears in the container.").req(),
        f("readOnly", Boolean, "Mount read-only.").default_note("unset: false"),
        f("subPath", Str, "Mount this path of the volume instead of its root."),
        f("mountPropagation", Any, KEPT).kept(),
        f("subPathExpr", Str, "Like subPath, with $(VAR) references to the container's environment expanded by the kubelet."),
        f("recursiveReadOnly", Any, KEPT).kept(),
    ],
};

static EMPTY_DIR: Obj = Obj {
    name: "EmptyDirVolumeSource",
    one_of: &[],
    fields: &[
        f("medium", Str, "Empty for the node's disk (counted in the pod's ephemeral storage), Memory for a tmpfs.")
            .one_of(&["", "Memory"])
            .default_note("unset: the node's disk"),
        f(
            "sizeLimit",
            Quantity,
            "On the node's disk: the kubelet evicts the pod once it measures more (du, every minute or two). For Memory: the tmpfs's size (writes past it fail with No space left on device).",
        )
        .default_note("unset: no limit (Memory: the node's memory)"),
    ],
};

static VOLUME: Obj = Obj {
    name: "Volume",
    one_of: &[],
    fields: &[
        f("name", Str, "The name containers' volumeMounts use.").req(),
        f("emptyDir", Object(&EMPTY_DIR), "A directory that starts empty and lives as long as the pod; shared by its containers."),
        f("configMap", Any, KEPT).kept(),
        f("secret", Any, KEPT).kept(),
        f("downwardAPI", Any, KEPT).kept(),
        f("hostPath", Any, KEPT).kept(),
        f("persistentVolumeClaim", Any, KEPT).kept(),
        f("projected", Any, KEPT).kept(),
        f("nfs", Any, KEPT).kept(),
        f("csi", Any, KEPT).kept(),
        f("ephemeral", Any, KEPT).kept(),
    ],
};

static CONTAINER: Obj = Obj {
    name: "Container",
    one_of: &[],
    fields: &[
        f("name", Str, "The container's name, unique in the pod; events and kubectl logs -c use it.").req(),
        f("image", Str, "The image reference (busybox:1.36, nginx, registry.k8s.io/liveness, or a podplay Image's name)."),
        f("imagePullPolicy", Str, "When the kubelet pulls the image: always, only when missing on the node, or never.")
            .one_of(&["Always", "IfNotPresent", "Never"])
            .default_note("Always when the tag is :latest or missing, else IfNotPresent"),
        f("command", Str, "Replaces the image's ENTRYPOINT; $(VAR) refers to the container's env.")
            .list()
            .default_note("the image's ENTRYPOINT"),
        f("args", Str, "Replaces the image's CMD (the entrypoint's arguments).").list().default_note("the image's CMD"),
        f("workingDir", Str, "The process's working directory.").default_note("the image's WORKDIR"),
        f("ports", Object(&CONTAINER_PORT), "Ports the container listens on, by name for probes and Services.").list(),
        f("env", Object(&ENV_VAR), "Environment variables, in order (later ones may refer to earlier ones).").list(),
        f("envFrom", Any, KEPT).kept(),
        f("resources", Object(&RESOURCE_REQUIREMENTS), "Requests (for scheduling) and limits (memory limit → OOMKilled)."),
        f("volumeMounts", Object(&VOLUME_MOUNT), "Pod volumes mounted into this container.").list(),
        f(
            "livenessProbe",
            Object(&PROBE),
            "When it fails failureThreshold times in a row, the kubelet kills the container and the restart policy applies.",
        ),
        f(
            "readinessProbe",
            Object(&PROBE),
            "While it fails, the container is not ready and the pod is out of its Services' endpoints; no restart.",
        ),
        f(
            "startupProbe",
            Object(&PROBE),
            "Holds off liveness and readiness until it succeeds; failing failureThreshold times kills the container.",
        ),
        f("lifecycle", Object(&LIFECYCLE), "postStart and preStop hooks."),
        f("restartPolicy", Str, "Init containers only: Always makes it a sidecar that keeps running beside the app containers.")
            .one_of(&["Always"]),
        f("terminationMessagePath", Str, "File whose content becomes the terminated state's message.")
            .default("/dev/termination-log")
            .kept(),
        f("terminationMessagePolicy", Str, "FallbackToLogsOnError uses the log tail when the file is empty and the container failed.")
            .one_of(&["File", "FallbackToLogsOnError"])
            .default("File")
            .kept(),
        f(
            "securityContext",
            Object(&SECURITY_CONTEXT),
            "The user and group this container runs as (over the pod's), and a read-only root filesystem.",
        ),
        f("stdin", Any, KEPT).kept(),
        f("stdinOnce", Any, KEPT).kept(),
        f("tty", Any, KEPT).kept(),
        f("volumeDevices", Any, KEPT).kept(),
        f("resizePolicy", Any, KEPT).kept(),
    ],
};

static POD_SECURITY_CONTEXT: Obj = Obj {
    name: "PodSecurityContext",
    one_of: &[],
    fields: &[
        f("runAsUser", Integer, "The user id of every container's processes (a container's own runAsUser wins).")
            .default_note("the image's user"),
        f("runAsGroup", Integer, "The group id of every container's processes.").default_note("the user's group in the image, else 0"),
        f("runAsNonRoot", Boolean, "Refuse to start a container that would run as root (CreateContainerConfigError)."),
        f(
            "fsGroup",
            Integer,
            "A supplementary group of every container, and the group the pod's volumes are given (setgid, group-readable).",
        ),
        f("supplementalGroups", Integer, "More supplementary groups of every container's processes.").list(),
        f("supplementalGroupsPolicy", Any, KEPT).kept(),
        f("fsGroupChangePolicy", Any, KEPT).kept(),
        f("seLinuxOptions", Any, KEPT).kept(),
        f("seLinuxChangePolicy", Any, KEPT).kept(),
        f("windowsOptions", Any, KEPT).kept(),
        f("sysctls", Any, KEPT).kept(),
        f("seccompProfile", Any, KEPT).kept(),
        f("appArmorProfile", Any, KEPT).kept(),
    ],
};

static CAPABILITIES: Obj = Obj {
    name: "Capabilities",
    one_of: &[],
    fields: &[
        f("add", Str, "Capabilities to add (NET_ADMIN lets a root process make network links).").list(),
        f("drop", Str, "Capabilities to drop (ALL drops every one).").list(),
    ],
};

static SECURITY_CONTEXT: Obj = Obj {
    name: "SecurityContext",
    one_of: &[],
    fields: &[
        f("runAsUser", Integer, "The user id of the container's processes.").default_note("the pod's runAsUser, else the image's user"),
        f("runAsGroup", Integer, "The group id of the container's processes.").default_note("the pod's runAsGroup"),
        f("runAsNonRoot", Boolean, "Refuse to start the container if it would run as root (CreateContainerConfigError)."),
        f(
            "readOnlyRootFilesystem",
            Boolean,
            "The container's own files are read-only: writes outside its volumes fail (Read-only file system).",
        ),
        f("privileged", Boolean, "Every capability for the container's root (e.g. making network links: ip link add)."),
        f("allowPrivilegeEscalation", Boolean, "false: no_new_privs, so a set-user-ID program runs as its caller."),
        f("capabilities", Object(&CAPABILITIES), "Capabilities added to or dropped from the runtime's default set."),
        f("seLinuxOptions", Any, KEPT).kept(),
        f("windowsOptions", Any, KEPT).kept(),
        f("procMount", Any, KEPT).kept(),
        f("seccompProfile", Any, KEPT).kept(),
        f("appArmorProfile", Any, KEPT).kept(),
    ],
};

static TOLERATION: Obj = Obj {
    name: "Toleration",
    one_of: &[],
    fields: &[
        f("key", Str, "The taint key it tolerates; empty with operator Exists tolerates every taint."),
        f("operator", Str, "Equal matches key and value; Exists matches the key whatever the value.")
            .one_of(&["Exists", "Equal"])
            .default_note("unset: Equal"),
        f("value", Str, "The taint value to match (operator Equal)."),
        f("effect", Str, "The taint effect it tolerates; empty tolerates every effect.").one_of(&[
            "NoSchedule",
            "PreferNoSchedule",
            "NoExecute",
        ]),
        f("tolerationSeconds", Integer, "For NoExecute: how long the pod stays on a tainted node before eviction; unset = forever.")
            .default_note("300 for the not-ready and unreachable taints (DefaultTolerationSeconds admission)"),
    ],
};

static NODE_SELECTOR_REQUIREMENT: Obj = Obj {
    name: "NodeSelectorRequirement",
    one_of: &[],
    fields: &[
        f("key", Str, "The node label (or field, in matchFields) to test.").req(),
        f("operator", Str, "How the label's value is compared with `values`.").req().one_of(&[
            "In",
            "NotIn",
            "Exists",
            "DoesNotExist",
            "Gt",
            "Lt",
        ]),
        f("values", Str, "Values to compare with; empty for Exists and DoesNotExist, one integer for Gt and Lt.").list(),
    ],
};

static NODE_SELECTOR_TERM: Obj = Obj {
    name: "NodeSelectorTerm",
    one_of: &[],
    fields: &[
        f("matchExpressions", Object(&NODE_SELECTOR_REQUIREMENT), "Requirements on node labels, all of which must hold.").list(),
        f("matchFields", Object(&NODE_SELECTOR_REQUIREMENT), "Requirements on node fields (metadata.name).").list(),
    ],
};

static NODE_SELECTOR: Obj = Obj {
    name: "NodeSelector",
    one_of: &[],
    fields: &[f("nodeSelectorTerms", Object(&NODE_SELECTOR_TERM), "A node matches when any one term matches.").list()],
};

static NODE_AFFINITY: Obj = Obj {
    name: "NodeAffinity",
    one_of: &[],
    fields: &[
        f(
            "requiredDuringSchedulingIgnoredDuringExecution",
            Object(&NODE_SELECTOR),
            "The scheduler only binds the pod to nodes that match.",
        ),
        f("preferredDuringSchedulingIgnoredDuringExecution", Any, KEPT).kept(),
    ],
};

static AFFINITY: Obj = Obj {
    name: "Affinity",
    one_of: &[],
    fields: &[
        f("nodeAffinity", Object(&NODE_AFFINITY), "Rules on node labels, like nodeSelector with operators."),
        f("podAffinity", Any, KEPT).kept(),
        f("podAntiAffinity", Any, KEPT).kept(),
    ],
};

static READINESS_GATE: Obj = Obj {
    name: "PodReadinessGate",
    one_of: &[],
    fields: &[f("conditionType", Str, "A pod condition that must also be True for the pod to be Ready.").req()],
};

static POD_SPEC: Obj = Obj {
    name: "PodSpec",
    one_of: &[],
    fields: &[
        f("containers", Object(&CONTAINER), "The app containers (at least one), started together after the init containers.").list(),
        f("initContainers", Object(&CONTAINER), "Run one at a time, each to success, before the app containers start (restartPolicy: Always makes a sidecar).").list(),
        f("restartPolicy", Str, "Whether the kubelet restarts exited containers: always, only after a non-zero exit, or never. Restarts back off 10s, 20s, 40s … 5m.")
            .one_of(&["Always", "OnFailure", "Never"])
            .default("Always"),
        f("terminationGracePeriodSeconds", Integer, "Seconds a killed container gets, preStop hook included, before SIGKILL; the stop signal follows preStop.").default("30"),
        f(
            "activeDeadlineSeconds",
            Integer,
            "Seconds after its start time the kubelet lets the pod run before it fails it (DeadlineExceeded) and stops its containers; an update may only lower it.",
        ),
        f("nodeName", Str, "Bind to this node directly; the scheduler only checks that it is this node."),
        f("nodeSelector", Str, "Node labels the node must have, every one.").map(),
        f("affinity", Object(&AFFINITY), "Node affinity rules (pod affinity is accepted and not simulated)."),
        f("tolerations", Object(&TOLERATION), "Taints this pod tolerates: for scheduling (NoSchedule) and eviction (NoExecute).")
            .list()
            .default_note("not-ready and unreachable NoExecute for 300s (DefaultTolerationSeconds admission)"),
        f("volumes", Object(&VOLUME), "Volumes the containers can mount.").list(),
        f("hostname", Str, "The pod's hostname.").default_note("the pod's name"),
        f("subdomain", Str, KEPT).kept(),
        f("serviceAccountName", Str, "The ServiceAccount whose token is mounted.").default("default"),
        f("serviceAccount", Str, "Deprecated alias of serviceAccountName.").default_note("serviceAccountName"),
        f("dnsPolicy", Str, "How the pod's /etc/resolv.conf is built.").one_of(&["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]).default("ClusterFirst"),
        f("schedulerName", Str, "The scheduler that places the pod.").default("default-scheduler"),
        f("priority", Integer, "Set from priorityClassName by admission.").default("0"),
        f("priorityClassName", Str, KEPT).kept(),
        f("enableServiceLinks", Boolean, "Inject {SVC}_SERVICE_HOST/_PORT variables for the namespace's Services.").default("true"),
        f("readinessGates", Object(&READINESS_GATE), "Extra conditions the pod's Ready condition waits for.").list(),
        f("runtimeClassName", Str, KEPT).kept(),
        f("preemptionPolicy", Str, "Whether this pod may preempt lower-priority pods.").one_of(&["PreemptLowerPriority", "Never"]).default("PreemptLowerPriority"),
        f("shareProcessNamespace", Boolean, KEPT).kept(),
        f("automountServiceAccountToken", Boolean, "Mount the ServiceAccount token volume (kube-api-access-…) into every container.").default_note("unset: true"),
        f("securityContext", Object(&POD_SECURITY_CONTEXT), "The user and groups the pod's containers run as, and the group its volumes get (fsGroup)."),
        f("imagePullSecrets", Any, KEPT).kept(),
        f("hostNetwork", Any, KEPT).kept(),
        f("hostPID", Any, KEPT).kept(),
        f("hostIPC", Any, KEPT).kept(),
        f("hostAliases", Any, KEPT).kept(),
        f("dnsConfig", Any, KEPT).kept(),
        f("topologySpreadConstraints", Any, KEPT).kept(),
        f("overhead", Any, KEPT).kept(),
        f("os", Any, KEPT).kept(),
        f("ephemeralContainers", Any, KEPT).kept(),
        f("setHostnameAsFQDN", Any, KEPT).kept(),
        f("schedulingGates", Any, KEPT).kept(),
        f("resourceClaims", Any, KEPT).kept(),
        f("resources", Any, KEPT).kept(),
        f("hostUsers", Any, KEPT).kept(),
    ],
};

static POD: Obj = Obj {
    name: "Pod",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["Pod"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("spec", Object(&POD_SPEC), "What should run: containers, restart policy, scheduling constraints."),
        f("status", Any, "Written by the kubelet and the scheduler; a given status is ignored.").kept(),
    ],
};

// ---- Service ----

static SERVICE_PORT: Obj = Obj {
    name: "ServicePort",
    one_of: &[],
    fields: &[
        f("name", Str, "Port name (required when there are several ports)."),
        f("protocol", Str, "The port's protocol.").one_of(&["TCP", "UDP", "SCTP"]).default("TCP"),
        f("port", Integer, "The port the Service exposes on its cluster IP.").req(),
        f("targetPort", IntOrString, "The pods' port (number or container port name) traffic goes to.").default_note("the same as port"),
        f("nodePort", Integer, "For NodePort and LoadBalancer Services: the port on every node."),
        f("appProtocol", Any, KEPT).kept(),
    ],
};

static SERVICE_SPEC: Obj = Obj {
    name: "ServiceSpec",
    one_of: &[],
    fields: &[
        f("selector", Str, "Pods with all these labels are the Service's endpoints (while they are ready).").map(),
        f("ports", Object(&SERVICE_PORT), "Ports the Service exposes.").list(),
        f("type", Str, "How the Service is exposed.")
            .one_of(&["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"])
            .default("ClusterIP"),
        f("clusterIP", Str, "The Service's virtual IP.").default_note("allocated from the service range"),
        f("clusterIPs", Any, KEPT).kept(),
        f("publishNotReadyAddresses", Boolean, "List pods in the endpoints even while they are not ready.").default_note("unset: false"),
        f("sessionAffinity", Any, KEPT).one_of(&["None", "ClientIP"]).kept(),
        f("externalTrafficPolicy", Any, KEPT).one_of(&["Cluster", "Local"]).kept(),
        f("internalTrafficPolicy", Any, KEPT).one_of(&["Cluster", "Local"]).kept(),
        f("ipFamilies", Any, KEPT).kept(),
        f("ipFamilyPolicy", Any, KEPT).one_of(&["SingleStack", "PreferDualStack", "RequireDualStack"]).kept(),
        f("externalName", Any, KEPT).kept(),
        f("externalIPs", Any, KEPT).kept(),
        f("loadBalancerIP", Any, KEPT).kept(),
        f("trafficDistribution", Any, KEPT).kept(),
    ],
};

static SERVICE: Obj = Obj {
    name: "Service",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["Service"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("spec", Object(&SERVICE_SPEC), "Selector and ports."),
        f("status", Any, "Written by the cluster; a given status is ignored.").kept(),
    ],
};

// ---- Node ----

static TAINT: Obj = Obj {
    name: "Taint",
    one_of: &[],
    fields: &[
        f("key", Str, "The taint's key; tolerations match it.").req(),
        f("value", Str, "The taint's value (operator Equal tolerations compare it)."),
        f(
            "effect",
            Str,
            "NoSchedule keeps new pods off, PreferNoSchedule avoids the node, NoExecute also evicts running pods that do not tolerate it.",
        )
        .req()
        .one_of(&["NoSchedule", "PreferNoSchedule", "NoExecute"]),
        f("timeAdded", Any, "Set by the node controller for NoExecute taints; a given value is ignored.").kept(),
    ],
};

static NODE_SPEC: Obj = Obj {
    name: "NodeSpec",
    one_of: &[],
    fields: &[
        f("taints", Object(&TAINT), "Taints: pods must tolerate them to be scheduled (or to stay, for NoExecute).").list(),
        f("unschedulable", Boolean, "Cordoned: no new pods are scheduled here.").default_note("unset: false"),
        f("podCIDR", Str, "The range pod IPs on this node come from.").default_note("10.244.N.0/24 for the N-th node"),
        f("podCIDRs", Any, KEPT).kept(),
        f("providerID", Any, KEPT).kept(),
    ],
};

static CONTAINER_IMAGE: Obj = Obj {
    name: "ContainerImage",
    one_of: &[],
    fields: &[
        f("names", Str, "References of one image already on the node (IfNotPresent does not pull it).").list(),
        f("sizeBytes", Integer, "The image's size.").kept(),
    ],
};

static NODE_STATUS: Obj = Obj {
    name: "NodeStatus",
    one_of: &[],
    fields: &[
        f("allocatable", Quantity, "What pods may request in total (cpu, memory, pods, ...).").map().default_note("the capacity"),
        f("capacity", Quantity, "The node's resources; ephemeral-storage is the size of its disk (writable layers, emptyDirs, logs).")
            .map()
            .default_note("cpu 2, ephemeral-storage 102626232Ki, memory 8131248Ki, pods 110"),
        f("images", Object(&CONTAINER_IMAGE), "Images already on the node.")
            .list()
            .default_note("none (the default node holds the scenario's images)"),
        f("addresses", Any, KEPT).kept(),
        f("conditions", Any, "Computed by the kubelet and the node controller; a given value is ignored.").kept(),
        f("nodeInfo", Any, KEPT).kept(),
        f("daemonEndpoints", Any, KEPT).kept(),
    ],
};

static NODE: Obj = Obj {
    name: "Node",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["Node"]),
        f("metadata", Object(&OBJECT_META), "Name and labels (nodeSelector matches them)."),
        f("spec", Object(&NODE_SPEC), "Taints, cordon, pod CIDR."),
        f("status", Object(&NODE_STATUS), "Capacity, allocatable and the images already present."),
    ],
};

// ---- List ----

static LIST: Obj = Obj {
    name: "List",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["List"]),
        f("metadata", Any, "A List's metadata is ignored.").kept(),
        f("items", Manifest, "The objects, each a whole manifest with its own apiVersion and kind.").list(),
    ],
};

// ---- podplay.dev/v1alpha1 Scenario ----

static STEP: Obj = Obj {
    name: "Step",
    one_of: &[],
    fields: &[
        f("at", Duration, "When the step runs, in virtual time since the objects were created (90s, 2m30s).").req(),
        f("run", Str, "The command: kubectl exec, delete, create -f -, apply -f -, label, cordon, uncordon or drain; or podplay node disconnect|reconnect NAME.").req(),
        f("manifest", Str, "The YAML that `kubectl create -f -` or `kubectl apply -f -` reads: text (`manifest: |`), or one object written as a mapping under the key."),
    ],
};

static SCENARIO_SPEC: Obj = Obj {
    name: "ScenarioSpec",
    one_of: &[],
    fields: &[
        f("kubernetesVersion", Str, "The release whose behaviour and output to reproduce.")
            .releases()
            .default_note("the newest release podplay knows"),
        f("description", Str, "A sentence or two for the page: what to watch."),
        f("seed", Integer, "Seed for the jitter the kubelet applies to its periods.").default("1"),
        f("steps", Object(&STEP), "Commands run at given virtual times.").list(),
    ],
};

static SCENARIO: Obj = Obj {
    name: "Scenario",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["podplay.dev/v1alpha1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["Scenario"]),
        f("metadata", Object(&OBJECT_META), "The scenario's name."),
        f("spec", Object(&SCENARIO_SPEC), "Release, seed and timed steps."),
    ],
};

// ---- podplay.dev/v1alpha1 Image ----

static IMAGE_ENV: Obj =
    Obj { name: "ImageEnv", one_of: &[], fields: &[f("name", Str, "Variable name.").req(), f("value", Str, "Value.").default("")] };

static IMAGE_FILE: Obj = Obj {
    name: "ImageFile",
    one_of: &[],
    fields: &[
        f("path", Str, "Absolute path in the image.").req(),
        f("content", Str, "The file's text.").default(""),
        f("mode", Str, "Octal mode as a string (\"0755\").").default("0644"),
    ],
};

static TIMED_LINE: Obj = Obj {
    name: "TimedLine",
    one_of: &[],
    fields: &[f("after", Duration, "Time after the program starts.").default("0s"), f("text", Str, "The line printed on stdout.").req()],
};

static HTTP_ANSWER: Obj = Obj {
    name: "HttpAnswer",
    one_of: &[],
    fields: &[
        f("path", Str, "Request path answered.").req(),
        f("after", Duration, "From this long after start on (the latest matching answer wins).").default("0s"),
        f("status", Integer, "HTTP status code.").req(),
        f("body", Str, "Response body.").default(""),
        f("delay", Duration, "Response time: a probe with a shorter timeoutSeconds times out.").default("0s"),
    ],
};

static SIGNAL_HANDLING: Obj = Obj {
    name: "SignalHandling",
    one_of: &[],
    fields: &[
        f("signal", Str, "The signal handled (SIGTERM, SIGINT, SIGQUIT, ...).").req(),
        f("exitCode", Integer, "Exit code after handling it; absent: the program ignores the signal (as PID 1 does without a handler)."),
        f("after", Duration, "How long handling takes before the exit.").default("0s"),
        f("log", Str, "Lines printed when the signal arrives.").list(),
    ],
};

static MEMORY_STEP: Obj = Obj {
    name: "MemoryStep",
    one_of: &[],
    fields: &[
        f("after", Duration, "Time after start.").default("0s"),
        f("usage", Quantity, "Resident memory from then on; above the container's memory limit the kernel kills it (OOMKilled).").req(),
    ],
};

static EXIT_AFTER: Obj = Obj {
    name: "ExitAfter",
    one_of: &[],
    fields: &[f("after", Duration, "Time after start when the program exits.").req(), f("code", Integer, "Exit code.").default("0")],
};

static IMAGE_SPEC: Obj = Obj {
    name: "ImageSpec",
    one_of: &[],
    fields: &[
        f("entrypoint", Str, "The image's ENTRYPOINT.").list().default_note("the program alone"),
        f("cmd", Str, "The image's CMD.").list(),
        f("env", Object(&IMAGE_ENV), "The image's environment.").list(),
        f("workingDir", Str, "The image's WORKDIR.").default("/"),
        f("busybox", Str, "Include a busybox userland of this version (\"1.36\"), for sh, probes and kubectl exec."),
        f("files", Object(&IMAGE_FILE), "Files in the image.").list(),
        f("program", Str, "Where the program lives.").default("/app"),
        f("startupScript", Str, "A shell script run first (busybox sh); it ends by exec'ing the program."),
        f("output", Object(&TIMED_LINE), "Lines the program prints on stdout, each at a time after it starts.").list(),
        f("ports", Integer, "TCP ports the program listens on.").list(),
        f("listenAfter", Duration, "How long after starting the program listens on its ports.").default("0s"),
        f("http", Object(&HTTP_ANSWER), "HTTP answers, which may change over time.").list(),
        f("signals", Object(&SIGNAL_HANDLING), "How the program handles signals.").list(),
        f("memory", Object(&MEMORY_STEP), "Resident memory as a step function of time since start.").list(),
        f("exit", Object(&EXIT_AFTER), "The program exits on its own."),
        f("stopSignal", Str, "The image's STOPSIGNAL.").default("SIGTERM"),
        f("size", Quantity, "Image size (pull time grows with it)."),
    ],
};

static IMAGE: Obj = Obj {
    name: "Image",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["podplay.dev/v1alpha1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["Image"]),
        f("metadata", Object(&OBJECT_META), "metadata.name is the image reference pods use, e.g. example.com/leaky:v1."),
        f("spec", Object(&IMAGE_SPEC), "What the image's program does over time."),
    ],
};

// ---- apps/v1: ReplicaSet and Deployment ----

static LABEL_SELECTOR_REQUIREMENT: Obj = Obj {
    name: "LabelSelectorRequirement",
    one_of: &[],
    fields: &[
        f("key", Str, "The label key the requirement is about.").req(),
        f("operator", Str, "How the key's value is compared with `values`.").req().one_of(&["In", "NotIn", "Exists", "DoesNotExist"]),
        f("values", Str, "The values for In and NotIn (empty for Exists and DoesNotExist).").list(),
    ],
};

static LABEL_SELECTOR: Obj = Obj {
    name: "LabelSelector",
    one_of: &[],
    fields: &[
        f("matchLabels", Str, "Labels a pod must have, every one.").map(),
        f("matchExpressions", Object(&LABEL_SELECTOR_REQUIREMENT), "Further requirements on the pods' labels, all of which must hold.")
            .list(),
    ],
};

static POD_TEMPLATE_SPEC: Obj = Obj {
    name: "PodTemplateSpec",
    one_of: &[],
    fields: &[
        f("metadata", Object(&OBJECT_META), "Labels (which the selector must match) and annotations of every pod made from it."),
        f("spec", Object(&POD_SPEC), "The spec of every pod made from the template."),
    ],
};

static REPLICA_SET_SPEC: Obj = Obj {
    name: "ReplicaSetSpec",
    one_of: &[],
    fields: &[
        f("replicas", Integer, "How many pods the ReplicaSet controller keeps (creating or deleting pods to match).").default("1"),
        f("minReadySeconds", Integer, "Seconds a pod must have been Ready to count as available.").default("0"),
        f("selector", Object(&LABEL_SELECTOR), "The pods the ReplicaSet counts; must match the template's labels."),
        f("template", Object(&POD_TEMPLATE_SPEC), "The pods the ReplicaSet creates."),
    ],
};

static REPLICA_SET: Obj = Obj {
    name: "ReplicaSet",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["apps/v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["ReplicaSet"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("spec", Object(&REPLICA_SET_SPEC), "How many pods, which ones, made from which template."),
        f("status", Any, "Written by the ReplicaSet controller; a given status is ignored.").kept(),
    ],
};

static ROLLING_UPDATE_DEPLOYMENT: Obj = Obj {
    name: "RollingUpdateDeployment",
    one_of: &[],
    fields: &[
        f("maxUnavailable", IntOrString, "How many pods (or what percentage, rounded down) may be unavailable during the update.")
            .default("25%"),
        f("maxSurge", IntOrString, "How many pods (or what percentage, rounded up) may exist above replicas during the update.")
            .default("25%"),
    ],
};

static DEPLOYMENT_STRATEGY: Obj = Obj {
    name: "DeploymentStrategy",
    one_of: &[],
    fields: &[
        f("type", Str, "RollingUpdate replaces pods a few at a time; Recreate deletes every old pod before creating new ones.")
            .one_of(&["RollingUpdate", "Recreate"])
            .default("RollingUpdate"),
        f("rollingUpdate", Object(&ROLLING_UPDATE_DEPLOYMENT), "The bounds of a rolling update (only with type RollingUpdate).")
            .default_note("maxUnavailable 25%, maxSurge 25%"),
    ],
};

static DEPLOYMENT_SPEC: Obj = Obj {
    name: "DeploymentSpec",
    one_of: &[],
    fields: &[
        f("replicas", Integer, "How many pods the Deployment runs.").default("1"),
        f("selector", Object(&LABEL_SELECTOR), "The pods the Deployment manages; must match the template's labels (required in apps/v1)."),
        f("template", Object(&POD_TEMPLATE_SPEC), "The pods' template: a change to it starts a rollout (a new ReplicaSet)."),
        f("strategy", Object(&DEPLOYMENT_STRATEGY), "How old pods are replaced by new ones.").default_note("RollingUpdate, 25% / 25%"),
        f("minReadySeconds", Integer, "Seconds a new pod must have been Ready to count as available.").default("0"),
        f("revisionHistoryLimit", Integer, "How many old, scaled-down ReplicaSets are kept for rollback.").default("10"),
        f("paused", Boolean, "While true, template changes do not start a rollout.").default("false"),
        f(
            "progressDeadlineSeconds",
            Integer,
            "Seconds without progress before the rollout's Progressing condition turns False (ProgressDeadlineExceeded).",
        )
        .default("600"),
    ],
};

static DEPLOYMENT: Obj = Obj {
    name: "Deployment",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["apps/v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["Deployment"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("spec", Object(&DEPLOYMENT_SPEC), "Replicas, selector, pod template and update strategy."),
        f("status", Any, "Written by the Deployment controller; a given status is ignored.").kept(),
    ],
};

static ROLLING_UPDATE_STATEFUL_SET: Obj = Obj {
    name: "RollingUpdateStatefulSetStrategy",
    one_of: &[],
    fields: &[
        f("partition", Integer, "Pods with an ordinal below it keep the old template during a rolling update.").default("0"),
        f(
            "maxUnavailable",
            IntOrString,
            "How many pods may be unavailable during the update (MaxUnavailableStatefulSet gate; podplay updates one at a time).",
        )
        .default("1"),
    ],
};

static STATEFUL_SET_UPDATE_STRATEGY: Obj = Obj {
    name: "StatefulSetUpdateStrategy",
    one_of: &[],
    fields: &[
        f("type", Str, "RollingUpdate replaces pods from the highest ordinal down; OnDelete only when a pod is deleted.")
            .one_of(&["RollingUpdate", "OnDelete"])
            .default("RollingUpdate"),
        f("rollingUpdate", Object(&ROLLING_UPDATE_STATEFUL_SET), "The partition of a rolling update (only with type RollingUpdate).")
            .default_note("partition 0"),
    ],
};

static STATEFUL_SET_SPEC: Obj = Obj {
    name: "StatefulSetSpec",
    one_of: &[],
    fields: &[
        f("replicas", Integer, "How many pods, named <set>-0 .. <set>-(replicas-1).").default("1"),
        f("selector", Object(&LABEL_SELECTOR), "The pods the StatefulSet manages; must match the template's labels."),
        f("template", Object(&POD_TEMPLATE_SPEC), "The pods' template: a change to it starts a rolling update."),
        f("serviceName", Str, "The headless Service that gives each pod its DNS name <pod>.<serviceName>.<namespace>.svc.cluster.local."),
        f(
            "podManagementPolicy",
            Str,
            "OrderedReady creates each pod once the previous ones are Running and Ready; Parallel does not wait.",
        )
        .one_of(&["OrderedReady", "Parallel"])
        .default("OrderedReady"),
        f("updateStrategy", Object(&STATEFUL_SET_UPDATE_STRATEGY), "How pods are replaced when the template changes.")
            .default_note("RollingUpdate, partition 0"),
        f("revisionHistoryLimit", Integer, "How many old revisions (ControllerRevisions) are kept.").default("10"),
        f("minReadySeconds", Integer, "Seconds a pod must have been Ready to count as available.").default("0"),
        f("volumeClaimTemplates", Any, "Claims each pod gets; podplay has no PersistentVolumeClaims and refuses a StatefulSet with any.")
            .kept(),
        f("persistentVolumeClaimRetentionPolicy", Any, "What happens to the claims on delete and scale-down (no effect in podplay).")
            .kept(),
        f("ordinals", Any, "The first ordinal (StatefulSetStartOrdinal; not modelled, pods start at 0).").kept(),
    ],
};

static STATEFUL_SET: Obj = Obj {
    name: "StatefulSet",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["apps/v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["StatefulSet"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("spec", Object(&STATEFUL_SET_SPEC), "Replicas, selector, pod template, governing Service and update strategy."),
        f("status", Any, "Written by the StatefulSet controller; a given status is ignored.").kept(),
    ],
};

static ROLLING_UPDATE_DAEMON_SET: Obj = Obj {
    name: "RollingUpdateDaemonSet",
    one_of: &[],
    fields: &[
        f(
            "maxUnavailable",
            IntOrString,
            "How many nodes' pods (or what percentage of the desired nodes, rounded up) may be unavailable during the update.",
        )
        .default("1"),
        f(
            "maxSurge",
            IntOrString,
            "How many nodes (or what percentage, rounded up) may run a new pod beside the old one until it is available; set it or maxUnavailable, not both.",
        )
        .default("0"),
    ],
};

static DAEMON_SET_UPDATE_STRATEGY: Obj = Obj {
    name: "DaemonSetUpdateStrategy",
    one_of: &[],
    fields: &[
        f("type", Str, "RollingUpdate replaces old pods node by node; OnDelete only when a pod is deleted.")
            .one_of(&["RollingUpdate", "OnDelete"])
            .default("RollingUpdate"),
        f("rollingUpdate", Object(&ROLLING_UPDATE_DAEMON_SET), "The bounds of a rolling update (only with type RollingUpdate).")
            .default_note("maxUnavailable 1, maxSurge 0"),
    ],
};

static DAEMON_SET_SPEC: Obj = Obj {
    name: "DaemonSetSpec",
    one_of: &[],
    fields: &[
        f("selector", Object(&LABEL_SELECTOR), "The pods the DaemonSet manages; must match the template's labels."),
        f(
            "template",
            Object(&POD_TEMPLATE_SPEC),
            "The pods' template: one pod on every node its nodeSelector, node affinity and tolerations allow; a change starts a rolling update.",
        ),
        f("updateStrategy", Object(&DAEMON_SET_UPDATE_STRATEGY), "How pods are replaced when the template changes.")
            .default_note("RollingUpdate, maxUnavailable 1, maxSurge 0"),
        f("minReadySeconds", Integer, "Seconds a pod must have been Ready to count as available.").default("0"),
        f("revisionHistoryLimit", Integer, "How many old revisions (ControllerRevisions) are kept.").default("10"),
    ],
};

static DAEMON_SET: Obj = Obj {
    name: "DaemonSet",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["apps/v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["DaemonSet"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("spec", Object(&DAEMON_SET_SPEC), "Selector, pod template and update strategy."),
        f("status", Any, "Written by the DaemonSet controller; a given status is ignored.").kept(),
    ],
};

// ---- batch/v1: Job ----

static JOB_SPEC: Obj = Obj {
    name: "JobSpec",
    one_of: &[],
    fields: &[
        f("parallelism", Integer, "How many pods may run at once.").default("1"),
        f(
            "completions",
            Integer,
            "How many pods must succeed; unset (with parallelism set) makes a work queue that is done when any pod succeeds.",
        )
        .default_note("1 when parallelism is unset too"),
        f("activeDeadlineSeconds", Integer, "Seconds the Job may be active before it fails with DeadlineExceeded."),
        f("backoffLimit", Integer, "Pod failures (or, with OnFailure, container restarts) before the Job fails with BackoffLimitExceeded.")
            .default("6"),
        f("selector", Object(&LABEL_SELECTOR), "The pods the Job counts; generated from the Job's uid unless manualSelector is true."),
        f("manualSelector", Boolean, "Keep the given selector instead of the generated one.").default("false"),
        f("template", Object(&POD_TEMPLATE_SPEC), "The pods the Job creates; restartPolicy must be OnFailure or Never."),
        f("ttlSecondsAfterFinished", Integer, "Seconds after the Job finished (Complete or Failed) when it is deleted with its pods."),
        f("completionMode", Str, "NonIndexed pods are interchangeable; Indexed pods each get a completion index 0..completions-1.")
            .one_of(&["NonIndexed", "Indexed"])
            .default("NonIndexed"),
        f("suspend", Boolean, "While true, the Job creates no pods and deletes its active ones.").default("false"),
    ],
};

static JOB: Obj = Obj {
    name: "Job",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["batch/v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["Job"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("spec", Object(&JOB_SPEC), "How many pods, how many at once, how failures count, and the pod template."),
        f("status", Any, "Written by the Job controller; a given status is ignored.").kept(),
    ],
};

// ---- batch/v1: CronJob ----

static JOB_TEMPLATE_SPEC: Obj = Obj {
    name: "JobTemplateSpec",
    one_of: &[],
    fields: &[
        f("metadata", Object(&OBJECT_META), "Labels and annotations each Job gets."),
        f("spec", Object(&JOB_SPEC), "The spec of each Job the CronJob creates."),
    ],
};

static CRON_JOB_SPEC: Obj = Obj {
    name: "CronJobSpec",
    one_of: &[],
    fields: &[
        f(
            "schedule",
            Str,
            "When to create a Job, in cron's five fields (minute hour day-of-month month day-of-week: `*/5 * * * *`) or @hourly, @daily, @every 10m...; read in UTC.",
        ),
        f("timeZone", Str, "The schedule's time zone; podplay has no time-zone database and accepts only UTC."),
        f("startingDeadlineSeconds", Integer, "A missed time later than this many seconds is skipped instead of run late."),
        f("concurrencyPolicy", Str, "While a Job still runs at the next time: Allow another, Forbid (skip the time), or Replace it.")
            .one_of(&["Allow", "Forbid", "Replace"])
            .default("Allow"),
        f("suspend", Boolean, "While true, no Job is created (times missed meanwhile may run on resume).").default("false"),
        f("jobTemplate", Object(&JOB_TEMPLATE_SPEC), "The Job created at each time of the schedule."),
        f("successfulJobsHistoryLimit", Integer, "Completed Jobs kept; older ones are deleted with their pods.").default("3"),
        f("failedJobsHistoryLimit", Integer, "Failed Jobs kept; older ones are deleted with their pods.").default("1"),
    ],
};

static CRON_JOB: Obj = Obj {
    name: "CronJob",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["batch/v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["CronJob"]),
        f("metadata", Object(&OBJECT_META), "Name (at most 52 characters), namespace, labels."),
        f("spec", Object(&CRON_JOB_SPEC), "The schedule, what happens when Jobs overlap, and the Job to create."),
        f("status", Any, "Written by the CronJob controller; a given status is ignored.").kept(),
    ],
};

// ---- v1: ConfigMap and Secret ----

static CONFIG_MAP: Obj = Obj {
    name: "ConfigMap",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["ConfigMap"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("data", Str, "Key/value text: keys of '-', '_', '.' and alphanumerics; each a file in a configMap volume or a variable through envFrom/configMapKeyRef.").map(),
        f("binaryData", Str, "Key/base64 bytes, as files in a configMap volume (not in the environment).").map(),
        f("immutable", Boolean, "When true, its data cannot change: an update of it is refused (it can only be deleted).").default("false"),
    ],
};

static SECRET: Obj = Obj {
    name: "Secret",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["Secret"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("data", Str, "Key/base64 value; the API server refuses text that is not base64 (BadRequest).").map(),
        f("stringData", Str, "Key/plain value, merged into data on create (over a data key of the same name).").map(),
        f("type", Str, "The Secret's type; only Opaque's rules are simulated.").default("Opaque"),
        f("immutable", Boolean, "When true, its data cannot change: an update of it is refused (it can only be deleted).").default("false"),
    ],
};

// ---- v1: Namespace ----

static NAMESPACE: Obj = Obj {
    name: "Namespace",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind.").req().one_of(&["v1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["Namespace"]),
        f("metadata", Object(&OBJECT_META), "Name (a DNS label: at most 63 lowercase letters, digits and '-'), labels."),
        f("spec", Any, "Finalizers only; the API server sets `kubernetes`.").kept(),
        f("status", Any, "Written by the API server (Active, Terminating); a given status is ignored.").kept(),
    ],
};

// ---- policy/v1: PodDisruptionBudget ----

static PDB_SPEC: Obj = Obj {
    name: "PodDisruptionBudgetSpec",
    one_of: &[],
    fields: &[
        f("minAvailable", IntOrString, "Pods that must stay available after an eviction: a number, or a percentage of the pods' controllers' scale (not with maxUnavailable)."),
        f("maxUnavailable", IntOrString, "Pods that may be unavailable after an eviction: a number or a percentage of the controllers' scale (not with minAvailable)."),
        f("selector", Object(&LABEL_SELECTOR), "The pods the budget counts and guards; `{}` selects every pod of the namespace (policy/v1)."),
        f("unhealthyPodEvictionPolicy", Str, "When a pod that is not Ready may be evicted: IfHealthyBudget (only while the budget is met) or AlwaysAllow (1.27+).")
            .one_of(&["IfHealthyBudget", "AlwaysAllow"]),
    ],
};

static PDB: Obj = Obj {
    name: "PodDisruptionBudget",
    one_of: &[],
    fields: &[
        f("apiVersion", Str, "The API group/version of the kind (policy/v1beta1 is served up to 1.24).")
            .req()
            .one_of(&["policy/v1", "policy/v1beta1"]),
        f("kind", Str, "The kind of object this document is.").req().one_of(&["PodDisruptionBudget"]),
        f("metadata", Object(&OBJECT_META), "Name, namespace, labels."),
        f("spec", Object(&PDB_SPEC), "How many of the selected pods evictions must leave available."),
        f("status", Any, "Written by the disruption controller; a given status is ignored.").kept(),
    ],
};

/// Every kind the loader accepts: (apiVersion, kind, its top-level object).
pub static KINDS: &[(&str, &str, &Obj)] = &[
    ("v1", "Pod", &POD),
    ("v1", "Service", &SERVICE),
    ("v1", "Node", &NODE),
    ("v1", "List", &LIST),
    ("v1", "ConfigMap", &CONFIG_MAP),
    ("v1", "Secret", &SECRET),
    ("v1", "Namespace", &NAMESPACE),
    ("apps/v1", "ReplicaSet", &REPLICA_SET),
    ("apps/v1", "Deployment", &DEPLOYMENT),
    ("apps/v1", "StatefulSet", &STATEFUL_SET),
    ("apps/v1", "DaemonSet", &DAEMON_SET),
    ("batch/v1", "Job", &JOB),
    ("batch/v1", "CronJob", &CRON_JOB),
    ("policy/v1", "PodDisruptionBudget", &PDB),
    ("podplay.dev/v1alpha1", "Scenario", &SCENARIO),
    ("podplay.dev/v1alpha1", "Image", &IMAGE),
];

/// The top-level object of `kind`.
pub fn kind(kind: &str) -> Option<&'static Obj> {
    KINDS.iter().find(|(_, k, _)| *k == kind).map(|(_, _, o)| *o)
}

/// The values a field may take (the releases for `kubernetesVersion`).
pub fn values(field: &Field) -> Vec<&'static str> {
    match field.values {
        Values::Free => Vec::new(),
        Values::OneOf(v) => v.to_vec(),
        Values::Releases => RELEASES.iter().map(|r| r.name).collect(),
    }
}

/// The field at a path such as `spec.containers[0].livenessProbe.periodSeconds` under `root`
/// (list indexes and map keys are stepped over).
pub fn field_at(root: &'static Obj, path: &str) -> Option<&'static Field> {
    let mut obj = root;
    let mut segments = path.split('.');
    while let Some(segment) = segments.next() {
        let name = segment.split('[').next().unwrap_or(segment);
        let field = obj.field(name)?;
        match field.ty {
            Object(next) => obj = next,
            // A map's keys may hold dots (`app.kubernetes.io/name`): the rest is the key.
            _ if field.shape == Shape::Map => return Some(field),
            _ => return if segments.next().is_none() { Some(field) } else { None },
        }
        if segments.clone().next().is_none() {
            return Some(field);
        }
    }
    None
}

// ---- the form the page reads ----

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExportField {
    pub name: String,
    /// `string`, `integer`, `boolean`, `duration`, `quantity`, `int-or-string`, `any`,
    /// `object`, `manifest`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The object type's name when `type` is `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// `one`, `list` or `map`.
    pub shape: String,
    pub required: bool,
    pub values: Vec<String>,
    /// The literal default, as YAML.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// A default that depends on other fields, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_note: Option<String>,
    pub doc: String,
    pub simulated: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExportObject {
    pub fields: Vec<ExportField>,
    pub one_of: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExportKind {
    pub api_version: String,
    pub kind: String,
    /// The object type at the document's top level.
    pub object: String,
}

/// The whole schema: the kinds, and every object type by name.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExportSchema {
    pub kinds: Vec<ExportKind>,
    pub objects: std::collections::BTreeMap<String, ExportObject>,
}

fn type_name(ty: Type) -> &'static str {
    match ty {
        Str => "string",
        Integer => "integer",
        Boolean => "boolean",
        Duration => "duration",
        Quantity => "quantity",
        IntOrString => "int-or-string",
        Any => "any",
        Object(_) => "object",
        Manifest => "manifest",
    }
}

fn export_object(obj: &'static Obj, out: &mut std::collections::BTreeMap<String, ExportObject>) {
    if out.contains_key(obj.name) {
        return;
    }
    out.insert(obj.name.to_string(), ExportObject { fields: Vec::new(), one_of: obj.one_of.iter().map(|s| s.to_string()).collect() });
    let mut fields = Vec::new();
    for field in obj.fields {
        if let Object(next) = field.ty {
            export_object(next, out);
        }
        let (default, default_note) = match field.default {
            DefaultValue::None => (None, None),
            DefaultValue::Value(v) => (Some(v.to_string()), None),
            DefaultValue::Note(n) => (None, Some(n.to_string())),
        };
        fields.push(ExportField {
            name: field.name.to_string(),
            ty: type_name(field.ty).to_string(),
            object: match field.ty {
                Object(o) => Some(o.name.to_string()),
                _ => None,
            },
            shape: match field.shape {
                Shape::One => "one",
                Shape::List => "list",
                Shape::Map => "map",
            }
            .to_string(),
            required: field.required,
            values: values(field).into_iter().map(str::to_string).collect(),
            default,
            default_note,
            doc: field.doc.to_string(),
            simulated: field.simulated,
        });
    }
    out.get_mut(obj.name).expect("inserted above").fields = fields;
}

/// The schema as plain data, for the page.
pub fn export() -> ExportSchema {
    let mut objects = std::collections::BTreeMap::new();
    for (_, _, obj) in KINDS {
        export_object(obj, &mut objects);
    }
    ExportSchema {
        kinds: KINDS
            .iter()
            .map(|(v, k, o)| ExportKind { api_version: v.to_string(), kind: k.to_string(), object: o.name.to_string() })
            .collect(),
        objects,
    }
}

#[cfg(test)]
mod tests;
