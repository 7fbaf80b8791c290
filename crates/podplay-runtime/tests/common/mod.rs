//! What the Runtime API tests share: a runtime with cluster DNS, a pod with an emptyDir, a
//! container of an image, exec and logs as text.
#![allow(dead_code)]

use podplay_runtime::*;

pub fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

pub fn runtime(v: BusyboxVersion) -> Runtime {
    let mut rt = Runtime::new(RuntimeConfig { busybox_latest: v, ..Default::default() });
    rt.set_cluster_dns(vec![
        DnsRecord { name: "kubernetes.default.svc.cluster.local".into(), ip: "10.96.0.1".into() },
        DnsRecord { name: "web.default.svc.cluster.local".into(), ip: "10.96.0.20".into() },
    ]);
    rt
}

pub fn pod(rt: &mut Runtime, name: &str, ip: &str) -> SandboxId {
    rt.run_sandbox(
        0,
        SandboxConfig {
            name: name.into(),
            namespace: "default".into(),
            uid: "uid-1".into(),
            hostname: name.into(),
            pod_ip: ip.into(),
            volumes: vec![VolumeSpec { name: "shared".into(), source: VolumeSource::EmptyDir, owned: true }],
            ..Default::default()
        },
    )
}

/// The normalised reference of an image the runtime has (what `ContainerConfig::image` takes).
pub fn found_image(rt: &Runtime, image: &str) -> String {
    match rt.resolve_image(image) {
        ImageLookup::Found { normalized, .. } => normalized,
        other => panic!("{other:?}"),
    }
}

pub fn container(rt: &mut Runtime, sb: SandboxId, image: &str, command: &[&str], args: &[&str]) -> ContainerId {
    let normalized = found_image(rt, image);
    rt.create_container(
        0,
        sb,
        ContainerConfig {
            name: "c".into(),
            image: normalized,
            command: s(command),
            args: s(args),
            mounts: vec![MountSpec { volume: "shared".into(), path: "/shared".into(), read_only: false, sub_path: None }],
            memory_limit_bytes: Some(64 << 20),
            ..Default::default()
        },
    )
    .unwrap()
}

pub fn exec(rt: &mut Runtime, now: Millis, id: ContainerId, argv: &[&str]) -> (String, i32) {
    match rt.exec_sync(now, id, &s(argv), Some(10_000)) {
        ExecOutcome::Completed { output, exit_code, .. } => (output, exit_code),
        other => panic!("{argv:?}: {other:?}"),
    }
}

pub fn log_text(rt: &Runtime, id: ContainerId) -> String {
    rt.logs(id).iter().map(|l| format!("{}\n", l.text)).collect()
}
