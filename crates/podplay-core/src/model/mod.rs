//! The API objects podplay reads and writes, shaped like their Kubernetes `v1` counterparts so
//! that printers can follow kubectl's code path field by field.

pub mod apps;
pub mod batch;
pub mod config;
pub mod event;
pub mod image;
pub mod meta;
pub mod namespace;
pub mod node;
pub mod pod;
pub mod policy;
pub mod quantity;
pub mod scenario;
pub mod service;

pub use apps::{
    DaemonSet, DaemonSetStatus, Deployment, DeploymentCondition, DeploymentStatus, LabelSelector, PodTemplateSpec, ReplicaSet,
    ReplicaSetStatus, StatefulSet, StatefulSetStatus,
};
pub use batch::{ActiveJobRef, CronJob, CronJobSpec, CronJobStatus, Job, JobCondition, JobSpec, JobStatus, JobTemplateSpec};
pub use config::{ConfigMap, Secret};
pub use event::{Event, EventSeries, ObjectReference};
pub use image::Image;
pub use meta::ObjectMeta;
pub use namespace::Namespace;
pub use node::{Node, NodeCondition, Taint};
pub use pod::*;
pub use policy::{PdbCondition, PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus};
pub use quantity::Quantity;
pub use scenario::{Scenario, Step};
pub use service::{EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Service};
