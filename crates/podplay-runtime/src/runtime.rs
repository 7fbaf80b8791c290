//! The CRI-like surface the engine calls.

use crate::fs::{normalize, Disk, FsKind, Mount, Node, NodeKind, Tree};
use crate::images::{self, ImageInfo};
use crate::io::{Fds, Input, Output, Stream};
use crate::standing::{OrderPoint, StandingEnd, StandingId};
use crate::types::*;
use crate::world::{Capture, Container, ExecMemo, Kind, Process, Sandbox, World};
use std::collections::BTreeMap;

pub struct Runtime {
    w: World,
    /// When each container next has something due, and a heap of those times (entries whose
    /// time no longer matches `due` are stale and skipped).
    wake_index: std::cell::RefCell<WakeIndex>,
    /// `image_info` by reference (cleared when an image is registered).
    image_infos: std::cell::RefCell<rustc_hash::FxHashMap<String, Option<std::rc::Rc<ImageInfo>>>>,
    /// `set_horizon`'s moment, for the next `advance` only.
    horizon_hint: Millis,
}

#[derive(Default)]
struct WakeIndex {
    due: Vec<Option<Millis>>,
    heap: std::collections::BinaryHeap<std::cmp::Reverse<(Millis, usize)>>,
}

impl Runtime {
    pub fn new(config: RuntimeConfig) -> Self {
        Runtime {
            w: World {
                cfg: config,
                trees: Vec::new(),
                sandboxes: Vec::new(),
                containers: Vec::new(),
                authors: BTreeMap::new(),
                dns: Vec::new(),
                services: Vec::new(),
                service_rr: 0,
                pipes: BTreeMap::new(),
                next_pipe: 0,
                execs: BTreeMap::new(),
                next_exec: 0,
                events: Vec::new(),
                budget: 0,
                limit: 0,
                horizon: 0,
                deferred: Vec::new(),
                ephemeral: Default::default(),
                depth: 0,
                touched: Default::default(),
                sandbox_by_ip: Default::default(),
                rootfs_cache: Default::default(),
                own_file_trees: Default::default(),
                standing: Default::default(),
                disks: Default::default(),
                node_roots: Default::default(),
                writers: Vec::new(),
                disk_activity: Vec::new(),
                bulk: true,
                turns_one_by_one: 0,
                reads_outside: Default::default(),
                reads_cluster: Default::default(),
                child_writes: None,
                effects: Default::default(),
                clock_reads: Default::default(),
            },
            wake_index: Default::default(),
            image_infos: Default::default(),
            horizon_hint: 0,
        }
    }

    /// Brings the wake-up index up to date with the containers touched since the last look,
    /// and returns the earliest (time, container) due.
    fn earliest_due(&self) -> Option<(Millis, usize)> {
        let mut index = self.wake_index.borrow_mut();
        let touched: Vec<usize> = std::mem::take(&mut *self.w.touched.borrow_mut());
        for cid in touched {
            if index.due.len() <= cid {
                index.due.resize(cid + 1, None);
            }
            let due = self.w.next_due(cid).map(|(t, _)| t);
            if index.due[cid] != due {
                index.due[cid] = due;
                if let Some(t) = due {
                    index.heap.push(std::cmp::Reverse((t, cid)));
                }
            }
        }
        while let Some(&std::cmp::Reverse((t, cid))) = index.heap.peek() {
            if index.due.get(cid).copied().flatten() == Some(t) {
                return Some((t, cid));
            }
            index.heap.pop();
        }
        None
    }

    pub fn config(&self) -> &RuntimeConfig {
        &self.w.cfg
    }

    /// Register an author-defined image under its normalized reference.
    pub fn register_image(&mut self, def: ImageDef) -> Result<(), String> {
        if def.name.trim().is_empty() {
            return Err("image name must not be empty".into());
        }
        if def.name.contains(char::is_whitespace) {
            return Err(format!("invalid reference format: repository name must be lowercase and contain no spaces: {:?}", def.name));
        }
        let (normalized, _, _) = images::split_ref(&def.name);
        if self.w.authors.contains_key(&normalized) {
            return Err(format!("image {normalized} is already defined"));
        }
        self.w.authors.insert(normalized, def);
        self.image_infos.borrow_mut().clear();
        Ok(())
    }

    /// What the image is, worked out once per reference (every container creation, pull and
    /// status asks again).
    fn image_info(&self, reference: &str) -> Option<std::rc::Rc<ImageInfo>> {
        if let Some(known) = self.image_infos.borrow().get(reference) {
            return known.clone();
        }
        let (normalized, repo, tag) = images::split_ref(reference);
        let info = match self.w.authors.get(&normalized) {
            Some(def) => Some(crate::authored::author_info(def, &normalized, &repo, &tag)),
            None => {
                let busybox_latest = self.w.cfg.busybox_latest;
                crate::catalog::image_info(&crate::catalog::ImageRef { normalized: &normalized, repo: &repo, tag: &tag, busybox_latest })
            }
        }
        .map(std::rc::Rc::new);
        self.image_infos.borrow_mut().insert(reference.to_string(), info.clone());
        info
    }

    pub fn resolve_image(&self, reference: &str) -> ImageLookup {
        let (normalized, repo, _) = images::split_ref(reference);
        match self.image_info(reference) {
            Some(info) => ImageLookup::Found {
                normalized: normalized.clone(),
                image_id: format!("sha256:{}", images::hex64(1, &normalized)),
                size_bytes: info.size_bytes,
                repo_digest: format!(
                    "{}@sha256:{}",
                    normalized.rsplit_once(':').map(|(r, _)| r).unwrap_or(&normalized),
                    images::hex64(2, &normalized)
                ),
                pull_duration_ms: images::pull_duration(info.size_bytes),
                user: info.user.clone(),
            },
            None => {
                let exists = self.knows_repository(&repo) || images::registry_has_repository(&repo);
                ImageLookup::NotFound { pull_error: images::pull_error(self.w.cfg.flavor, &normalized, &repo, reference, exists) }
            }
        }
    }

    /// Whether some tag of repository `repo` is an image podplay holds (the catalog's, or an
    /// author's `Image`).
    fn knows_repository(&self, repo: &str) -> bool {
        crate::catalog::knows_repository(repo) || self.w.authors.keys().any(|name| images::split_ref(name).1 == repo)
    }

    /// Whether the image is a generic one: an official image whose programs podplay does not
    /// model, run over a busybox userland (`catalog::generic`).
    pub fn image_is_generic(&self, reference: &str) -> bool {
        self.image_info(reference).is_some_and(|info| info.generic)
    }

    /// Deterministic pull time of an image (also in `ImageLookup::Found`).
    pub fn pull_duration(&self, reference: &str) -> Option<Millis> {
        self.image_info(reference).map(|i| images::pull_duration(i.size_bytes))
    }

    /// The disk of node `node` (made with the configured size when the engine gave none).
    fn node_disk(&mut self, node: u32) -> std::rc::Rc<Disk> {
        let (capacity, used) = (self.w.cfg.node_disk_capacity, self.w.cfg.node_disk_used);
        self.w.disks.entry(node).or_insert_with(|| Disk::new(capacity, used)).clone()
    }

    /// Node `node`'s disk: its size and what its system, images and other files use of it
    /// (besides what the runtime's containers, volumes and logs add).
    pub fn set_node_disk(&mut self, node: u32, capacity: u64, used: u64) {
        let disk = self.node_disk(node);
        let ours = disk.used().saturating_sub(self.w.cfg.node_disk_used);
        disk.set_capacity(capacity);
        disk.add(used as i64 + ours as i64 - disk.used() as i64);
    }

    /// Node `node`'s disk at `now`: (capacity, used) in bytes, and how many background
    /// writers are filling files on it.
    pub fn node_disk_usage(&mut self, now: Millis, node: u32) -> (u64, u64, usize) {
        self.w.settle_writers(now);
        let disk = self.node_disk(node);
        let w = &self.w;
        let writers = w
            .writers
            .iter()
            .filter(|(cid, pid)| {
                w.sandboxes[w.containers[*cid].sandbox].cfg.node == node
                    && w.containers[*cid].procs.get(pid).is_some_and(|p| match &p.kind {
                        crate::world::Kind::Writer(wr) => matches!(wr.target, crate::writers::Target::File(_)),
                        _ => false,
                    })
            })
            .count();
        (disk.capacity(), disk.used(), writers)
    }

    /// The nodes where a background writer into a file started since the last call (so the
    /// kubelet's eviction manager, idle on a quiet node, looks again).
    pub fn take_disk_activity(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.w.disk_activity)
    }

    /// What a pod's storage holds at `now`, as the kubelet's stats see it: each volume's `du`
    /// (by name), and per container its writable layer's and its logs' usage.
    pub fn pod_storage(&mut self, now: Millis, sandbox: SandboxId) -> PodStorage {
        self.w.settle_writers(now);
        let sb = sandbox.0 as usize;
        let Some(s) = self.w.sandboxes.get(sb) else { return PodStorage::default() };
        let volumes = s.volumes.iter().map(|(name, t)| (name.clone(), self.w.trees[*t].du())).collect();
        let containers = s
            .containers
            .iter()
            .map(|&cid| {
                let c = &self.w.containers[cid];
                ContainerStorage { id: c.id, rootfs: self.w.trees[c.root].charged(), logs: c.logs.disk_usage() }
            })
            .collect();
        PodStorage { volumes, containers }
    }

    /// The pod's containers and volumes are removed from the node (the kubelet cleaned up a
    /// deleted or evicted pod): their disk space is freed.
    pub fn remove_pod_storage(&mut self, now: Millis, sandbox: SandboxId) {
        self.w.settle_writers(now);
        let sb = sandbox.0 as usize;
        let Some(s) = self.w.sandboxes.get(sb) else { return };
        let trees: Vec<usize> = s.volumes.values().copied().collect();
        let members = s.containers.clone();
        for t in trees {
            self.w.trees[t].detach();
        }
        for cid in members {
            let root = self.w.containers[cid].root;
            self.w.trees[root].detach();
            self.w.containers[cid].logs.detach();
        }
    }

    pub fn run_sandbox(&mut self, _now: Millis, mut cfg: SandboxConfig) -> SandboxId {
        let mut volumes = BTreeMap::new();
        let secs = self.w.cfg.wall_clock_start + (_now / 1000) as i64;
        let disk = self.node_disk(cfg.node);
        // The volumes' files move into their trees (the sandbox keeps the trees, by name; a
        // second copy of every file in its config would only cost memory).
        let mut host_paths = BTreeMap::new();
        for v in std::mem::take(&mut cfg.volumes) {
            if let VolumeSource::HostPath(path) = &v.source {
                let tree = crate::host_path::node_root(&mut self.w, cfg.node, disk.clone(), secs);
                host_paths.insert(v.name.clone(), (tree, path.trim_matches('/').to_string()));
                continue;
            }
            let limits = self.w.cfg.fs_limits;
            let on = |disk: std::rc::Rc<Disk>| {
                let mut t = Tree::new(limits, secs);
                t.attach(disk);
                t
            };
            let files = matches!(v.source, VolumeSource::Files(_));
            let mut t = match v.source {
                VolumeSource::Files(files) => {
                    let mut t = Tree::of_files(limits, secs, files);
                    t.set_fs_kind(FsKind::Unknown);
                    t
                }
                // The emptyDir's directory is made `rwxrwxrwx` (emptyDir's `setupDir`: MkdirAll
                // with 0777, then a Chmod where the umask took bits).
                VolumeSource::EmptyDir => {
                    let mut t = on(disk.clone());
                    let _ = t.set_mode("", 0o777);
                    t.set_fs_kind(FsKind::Disk);
                    t
                }
                // A tmpfs of its own size (its root directory, there before, is not counted),
                // mounted over that directory with only `size=` (`setupTmpfs`): its root is
                // the root tmpfs makes, `rwxrwxrwt` (shmem's default mode, `0777 | S_ISVTX`).
                VolumeSource::Memory(size) => {
                    let mut t = on(Disk::new(size.unwrap_or(self.w.cfg.node_memory), 0));
                    let _ = t.set_mode("", 0o1777);
                    t.set_fs_kind(FsKind::Tmpfs);
                    t
                }
                VolumeSource::HostPath(_) => unreachable!("hostPath volumes are the node's tree"),
            };
            if let Some(gid) = cfg.fs_group.filter(|_| v.owned) {
                // configMap, secret, downwardAPI and projected volumes are read-only to the pod.
                t.set_volume_ownership(gid, files);
            }
            self.w.trees.push(t);
            volumes.insert(v.name, self.w.trees.len() - 1);
        }
        let replaced = self.w.sandbox_by_ip.insert(cfg.pod_ip.clone(), self.w.sandboxes.len());
        self.w.sandboxes.push(Sandbox { cfg, volumes, host_paths, stopped: false, containers: Vec::new() });
        if let Some(old) = replaced {
            // The address now leads to this pod: the old one's standing probes no longer hold.
            crate::standing::check_sandbox(&mut self.w, old);
        }
        SandboxId(self.w.sandboxes.len() as u32 - 1)
    }

    fn stop_sandbox_inner(&mut self, now: Millis, id: SandboxId) {
        let sb = id.0 as usize;
        let members = self.w.sandboxes.get(sb).map(|s| s.containers.clone()).unwrap_or_default();
        for cid in members {
            if self.w.is_running(cid) {
                self.w.exit_process(cid, 1, 137, now);
            }
        }
        if let Some(s) = self.w.sandboxes.get_mut(sb) {
            s.stopped = true;
            if self.w.sandbox_by_ip.get(&s.cfg.pod_ip) == Some(&sb) {
                self.w.sandbox_by_ip.remove(&s.cfg.pod_ip);
            }
        }
    }

    fn hosts_file(cfg: &SandboxConfig) -> String {
        let mut s = String::from("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
        s.push_str(&format!("{}\t{}\n", cfg.pod_ip, cfg.hostname));
        if !cfg.host_aliases.is_empty() {
            s.push_str("\n# Entries added by HostAliases.\n");
            for (ip, names) in &cfg.host_aliases {
                s.push_str(&format!("{ip}\t{}\n", names.join("\t")));
            }
        }
        s
    }

    fn create_container_inner(&mut self, now: Millis, sandbox: SandboxId, cfg: ContainerConfig) -> Result<ContainerId, String> {
        let sb = sandbox.0 as usize;
        let Some(sbx) = self.w.sandboxes.get(sb) else {
            return Err(format!("sandbox {} not found", sandbox.0));
        };
        if sbx.stopped {
            return Err(format!("sandbox {} is not ready", sandbox.0));
        }
        let info = self.image_info(&cfg.image).ok_or_else(|| format!("failed to get image \"{}\": image not found", cfg.image))?;
        let scfg = sbx.cfg.clone();
        let secs = self.w.cfg.wall_clock_start + (now / 1000) as i64;
        let mut mounts = Vec::new();
        for m in &cfg.mounts {
            let (tree, base) = match (sbx.volumes.get(&m.volume), sbx.host_paths.get(&m.volume)) {
                (Some(&tree), _) => (tree, ""),
                (None, Some((tree, base))) => (*tree, base.as_str()),
                (None, None) => return Err(format!("volume \"{}\" not found in sandbox", m.volume)),
            };
            let sub = m.sub_path.as_deref().map(|p| normalize("/", p)[1..].to_string()).unwrap_or_default();
            let sub = match (base.is_empty(), sub.is_empty()) {
                (true, _) => sub,
                (false, true) => base.to_string(),
                (false, false) => format!("{base}/{sub}"),
            };
            if !sub.is_empty() && self.w.trees[tree].get(&sub).is_none() {
                let mode = self.w.trees[tree].get("").map(|n| n.mode).unwrap_or(0o777);
                if self.w.trees[tree].make_dirs(&sub, mode, secs).is_err() {
                    return Err(format!(
                        "failed to create subPath directory for volumeMount \"{}\" of container \"{}\"",
                        m.volume, cfg.name
                    ));
                }
            }
            mounts.push(Mount { path: normalize("/", &m.path), tree, read_only: m.read_only, sub });
        }
        let limits = self.w.cfg.fs_limits;
        let file = |data: String| Node {
            kind: NodeKind::File(data.into_bytes()),
            mode: 0o644,
            mtime: secs,
            program: None,
            owner: crate::fs::Owner::ROOT,
        };
        let dns = if scfg.dns_server.is_empty() { "10.96.0.10".to_string() } else { scfg.dns_server.clone() };
        // The files the kubelet and the CRI bind-mount into every container, as on a node.
        let mut own_files = vec![
            ("/etc/hosts", Self::hosts_file(&scfg)),
            ("/etc/hostname", format!("{}\n", scfg.hostname)),
            (
                "/etc/resolv.conf",
                format!(
                    "search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver {dns}\noptions ndots:5\n",
                    ns = scfg.namespace
                ),
            ),
        ];
        // The kubelet's termination message file: empty, one per container (makeMounts).
        let termination_path = cfg.termination_message_path.as_deref().filter(|p| !p.is_empty()).map(|p| normalize("/", p));
        if let Some(path) = &termination_path {
            own_files.push((path.as_str(), String::new()));
        }
        own_files.retain(|(path, _)| !mounts.iter().any(|m| m.path == *path));
        // Files with the same content and time start as one copy-on-write tree (every pod of a
        // namespace has the same resolv.conf, every container an empty termination-log).
        let node_memory = self.w.cfg.node_memory;
        let shared = |w: &mut World, key: String, make: &dyn Fn() -> Tree| -> usize {
            let tree = w.own_file_trees.entry(key).or_insert_with(make).clone();
            w.trees.push(tree);
            w.trees.len() - 1
        };
        for (path, data) in own_files {
            // A pod's own hosts and hostname files are its alone: kept out of the shared
            // cache, whose key would otherwise hold a copy of every pod's files.
            // The kubelet makes the termination message file writable by any user
            // (`Chmod(containerLogPath, 0666)`): a container's non-root user writes it.
            let mode = if Some(path) == termination_path.as_deref() { 0o666 } else { 0o644 };
            // They are files of the node's disk (the pod's directory under /var/lib/kubelet,
            // containerd's under /var/lib/containerd).
            let on_disk = |node: Node| {
                let mut t = Tree::single_file(limits, node);
                t.set_fs_kind(FsKind::Disk);
                t
            };
            let tree = if matches!(path, "/etc/hosts" | "/etc/hostname") {
                self.w.trees.push(on_disk(file(data)));
                self.w.trees.len() - 1
            } else {
                let key = format!("{secs}\0{path}\0{mode}\0{data}");
                shared(&mut self.w, key, &|| on_disk(Node { mode, ..file(data.clone()) }))
            };
            mounts.push(Mount { path: path.to_string(), tree, read_only: false, sub: String::new() });
        }
        // The service account volume (kube-api-access-*), read-only as the kubelet mounts it.
        const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
        if !mounts.iter().any(|m| m.path == SERVICE_ACCOUNT_DIR) {
            let key = format!("{secs}\0{SERVICE_ACCOUNT_DIR}\0{}", scfg.namespace);
            let tree = shared(&mut self.w, key, &|| {
                // A projected volume: the kubelet writes it on a tmpfs (of the node's memory,
                // as a `medium: Memory` emptyDir without a sizeLimit).
                let mut sa = Tree::new(limits, secs);
                sa.set_fs_kind(FsKind::Tmpfs);
                sa.attach(Disk::new(node_memory, 0));
                sa.put_raw("namespace", file(scfg.namespace.clone()));
                sa
            });
            mounts.push(Mount { path: SERVICE_ACCOUNT_DIR.to_string(), tree, read_only: true, sub: String::new() });
        }
        // runc creates missing mount points in the container's layer. Containers of an image
        // with the same missing mount points share one tree (copy-on-write, fs::Tree) until
        // they write, so most containers never copy their image's files. (The created
        // directories keep the first such container's time as their mtime.)
        let authored = self.w.authors.contains_key(&info.normalized);
        let base = self
            .w
            .rootfs_cache
            .entry(info.normalized.clone())
            .or_insert_with(|| if authored { images::rootfs(&info, limits) } else { catalog_rootfs(&info, limits) })
            .clone();
        let mut missing: Vec<String> = Vec::new();
        for m in &mounts {
            let rel = m.path.trim_start_matches('/');
            let is_file = self.w.trees[m.tree].get(&m.sub).is_some_and(|n| !n.is_dir());
            let needed = if is_file { rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("") } else { rel };
            if !needed.is_empty() && base.get(needed).is_none() && !missing.iter().any(|x| x == needed) {
                missing.push(needed.to_string());
            }
        }
        podplay_k8s_util::sort::sort(&mut missing);
        let key = format!("{}\n{}", info.normalized, missing.join("\n"));
        let root = self
            .w
            .rootfs_cache
            .entry(key)
            .or_insert_with(|| {
                let mut tree = base;
                for dir in &missing {
                    tree.put_raw(dir, Node { kind: NodeKind::Dir, mode: 0o755, mtime: secs, program: None, owner: crate::fs::Owner::ROOT });
                }
                tree
            })
            .clone();
        self.w.trees.push(root);
        let root_id = self.w.trees.len() - 1;
        // Environment order under containerd (images.md §1.5): PATH, HOSTNAME, image Env, kubelet env; HOME appended by runc.
        let mut env: Vec<(String, String)> = Vec::new();
        let set = |env: &mut Vec<(String, String)>, k: &str, v: &str| {
            if let Some(e) = env.iter_mut().find(|(ek, _)| ek == k) {
                e.1 = v.to_string();
            } else {
                env.push((k.to_string(), v.to_string()));
            }
        };
        let path = info
            .env
            .iter()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into());
        set(&mut env, "PATH", &path);
        set(&mut env, "HOSTNAME", &scfg.hostname);
        for (k, v) in &info.env {
            set(&mut env, k, v);
        }
        for (k, v) in &cfg.env {
            set(&mut env, k, v);
        }
        let mut user = cfg.security.user.clone();
        if user.image_user.is_empty() {
            user.image_user = info.user.clone();
        }
        let (mut cred, home) = crate::users::resolve(&self.w.trees[root_id], &user);
        cred.net_admin = cred.uid == 0 && crate::users::has_net_admin(&cfg.security);
        cred.no_new_privs = cfg.security.no_new_privs;
        if !env.iter().any(|(k, _)| k == "HOME") {
            env.push(("HOME".into(), home));
        }
        let argv: Vec<String> = if !cfg.command.is_empty() {
            cfg.command.iter().chain(cfg.args.iter()).cloned().collect()
        } else if !cfg.args.is_empty() {
            info.entrypoint.iter().chain(cfg.args.iter()).cloned().collect()
        } else {
            info.entrypoint.iter().chain(info.cmd.iter()).cloned().collect()
        };
        let n = self.w.containers.len() as u32;
        let prefix = match self.w.cfg.flavor {
            RuntimeFlavor::Containerd => "containerd://",
            RuntimeFlavor::Docker => "docker://",
        };
        let hex = images::hex64(self.w.cfg.seed, &format!("container-{n}"));
        if argv.is_empty() {
            // containerd CRI: the image has neither Entrypoint nor Cmd and the pod gives none.
            self.w.trees.pop();
            return Err(format!("failed to generate container \"{hex}\" spec: no command specified"));
        }
        let id_string = format!("{prefix}{hex}");
        // The writable layer and the log directory are on the node's disk.
        let disk = self.node_disk(self.w.sandboxes[sb].cfg.node);
        self.w.trees[root_id].attach(disk.clone());
        let mut logs = crate::logs::ContainerLog::new(self.w.cfg.wall_clock_start);
        logs.attach(disk);
        self.w.sandboxes[sb].containers.push(self.w.containers.len());
        self.w.containers.push(Container {
            id: ContainerId(n),
            sandbox: sb,
            cfg,
            image: info,
            root: root_id,
            mounts,
            env: env.into(),
            argv,
            state: ContainerState::Created,
            procs: BTreeMap::new(),
            next_pid: 1,
            logs,
            http_memos: Vec::new(),
            lookup_cache: Vec::new(),
            exec_memos: Vec::new(),
            partial: Default::default(),
            kill_at: None,
            oom: false,
            id_string,
            listeners: Vec::new(),
            zombies: BTreeMap::new(),
            cred,
        });
        Ok(ContainerId(n))
    }

    fn working_dir(c: &Container) -> String {
        c.cfg.working_dir.clone().filter(|w| !w.is_empty()).unwrap_or_else(|| c.image.working_dir.clone())
    }

    /// runc's `exec.LookPath` failure text (images.md §6.3).
    /// Where runc finds `name` (LookPath through the container's PATH): `Ok(abs path)`, or
    /// the error runc reports and the exit code Docker gives it.
    fn lookpath(&mut self, cid: usize, name: &str, now: Millis) -> Result<String, (String, i32)> {
        let c = &self.w.containers[cid];
        let path = c.env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_default();
        let cwd = Self::working_dir(c);
        match self.w.lookup(cid, name, &path, &cwd, now) {
            Ok(found) => Ok(found),
            Err(code) => {
                let abs = normalize(&cwd, name);
                let is_dir = self.w.view(cid, now).is_dir(&abs);
                let text = if name.contains('/') {
                    if is_dir {
                        format!("exec: \"{name}\": is a directory: permission denied")
                    } else if code == 126 {
                        format!("exec: \"{name}\": permission denied")
                    } else {
                        format!("exec: \"{name}\": stat {name}: no such file or directory")
                    }
                } else {
                    format!("exec: \"{name}\": executable file not found in $PATH")
                };
                Err((text, if code == 126 || is_dir { 126 } else { 127 }))
            }
        }
    }

    fn start_container_inner(&mut self, now: Millis, id: ContainerId) -> Result<(), StartFailure> {
        let cid = id.0 as usize;
        if cid >= self.w.containers.len() || !matches!(self.w.containers[cid].state, ContainerState::Created) {
            return Err(StartFailure {
                exit_code: 128,
                reason: "StartError".into(),
                message: format!("container {} is not in created state", id.0),
            });
        }
        self.w.budget = self.w.cfg.step_budget;
        self.w.limit = now;
        let argv = self.w.containers[cid].argv.clone();
        let fail = |w: &mut World, code: i32, reason: &str, message: String| {
            w.touch(cid);
            w.containers[cid].state = ContainerState::Exited {
                exit_code: code,
                reason: reason.into(),
                message: message.clone(),
                started_at: now,
                finished_at: now,
            };
            Err(StartFailure { exit_code: code, reason: reason.into(), message })
        };
        let Some(arg0) = argv.first().cloned() else {
            return fail(&mut self.w, 128, "StartError", "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: no command specified: unknown".into());
        };
        let path = match self.lookpath(cid, &arg0, now) {
            Ok(path) => path,
            Err((text, code)) => return match self.w.cfg.flavor {
                RuntimeFlavor::Containerd => fail(
                    &mut self.w,
                    128,
                    "StartError",
                    format!("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: {text}: unknown"),
                ),
                RuntimeFlavor::Docker => fail(&mut self.w, code, "ContainerCannotRun", format!("OCI runtime create failed: container_linux.go:380: starting container process caused: {text}: unknown")),
            },
        };
        self.w.touch(cid);
        let c = &mut self.w.containers[cid];
        c.state = ContainerState::Running { started_at: now };
        let env = c.env.clone();
        let cwd = Self::working_dir(c);
        let fds = Fds { stdin: Input::Null, stdout: Output::Log(Stream::Stdout), stderr: Output::Log(Stream::Stderr) };
        let pid = self.w.alloc_pid(cid);
        self.w.touch(cid);
        self.w.containers[cid].procs.insert(
            pid,
            Box::new(Process {
                pid,
                ppid: 0,
                argv: argv.clone(),
                kind: Kind::Running,
                fds,
                wake: None,
                env: env.clone(),
                cwd: cwd.clone(),
                exec: None,
                bulk_wait: 0,
            }),
        );
        self.w.exec_program(cid, pid, &path, argv, env, now);
        Ok(())
    }

    /// Send the image's stop signal now and SIGKILL at `now + timeout_secs` if still running.
    fn stop_container_inner(&mut self, now: Millis, id: ContainerId, timeout_secs: u64) {
        let cid = id.0 as usize;
        if cid >= self.w.containers.len() || !self.w.is_running(cid) {
            return;
        }
        let sig = self.w.containers[cid].image.stop_signal.number();
        self.w.touch(cid);
        self.w.containers[cid].kill_at = Some(now + timeout_secs * 1000);
        if timeout_secs == 0 {
            self.w.exit_process(cid, 1, 137, now);
            return;
        }
        self.w.budget = self.w.cfg.step_budget;
        self.w.signal_process(cid, 1, sig, now, None);
    }

    fn signal_inner(&mut self, now: Millis, id: ContainerId, sig: Signal) {
        let cid = id.0 as usize;
        if cid < self.w.containers.len() && self.w.is_running(cid) {
            self.w.signal_process(cid, 1, sig.number(), now, None);
        }
    }

    /// `kubectl exec` / exec probes / exec hooks: run `argv` in the container (no stdin).
    pub fn exec_sync(&mut self, now: Millis, id: ContainerId, argv: &[String], timeout: Option<Millis>) -> ExecOutcome {
        self.exec_sync_with_input(now, id, argv, timeout, &[])
    }

    /// `kubectl exec -i`: like `exec_sync`, with `stdin` as the process's standard input.
    fn exec_sync_with_input_inner(
        &mut self,
        now: Millis,
        id: ContainerId,
        argv: &[String],
        timeout: Option<Millis>,
        stdin: &[u8],
    ) -> ExecOutcome {
        let cid = id.0 as usize;
        self.w.next_exec += 1;
        let exec_id = self.w.next_exec;
        // containerd's exec id appears only in error messages: made only when one is printed,
        // counting the execs of standing probes that came before this one.
        let seed = self.w.cfg.seed;
        let exec_hex = |w: &World| images::hex64(seed ^ 0xe7ec, &format!("exec-{}", exec_id + crate::standing::pending_execs(w)));
        let flavor = self.w.cfg.flavor;
        if cid >= self.w.containers.len() || !self.w.is_running(cid) {
            return match flavor {
                // What the seed's real 1.22 cluster recorded for both its postStart failures:
                // dockershim's exec output, without the `OCI runtime exec failed: exec failed: `
                // that the `docker exec` CLI prints before it (kubelet.md §4, corrected).
                RuntimeFlavor::Docker => ExecOutcome::NotRunning { message: "cannot exec in a stopped state: unknown\r\n".into(), exit_code: Some(126) },
                RuntimeFlavor::Containerd => ExecOutcome::NotRunning {
                    message: format!("rpc error: code = Unknown desc = failed to exec in container: failed to start exec \"{}\": OCI runtime exec failed: exec failed: cannot exec in a stopped container: unknown", exec_hex(&self.w)),
                    exit_code: None,
                },
            };
        }
        let Some(arg0) = argv.first().cloned() else {
            return ExecOutcome::MissingBinary { message: "exec: no command specified".into(), exit_code: None };
        };
        let path = match self.lookpath(cid, &arg0, now) {
            Ok(path) => path,
            Err((text, _)) => return match flavor {
                RuntimeFlavor::Containerd => ExecOutcome::MissingBinary {
                    message: format!("failed to exec in container: failed to start exec \"{}\": OCI runtime exec failed: exec failed: unable to start container process: {text}: unknown", exec_hex(&self.w)),
                    exit_code: None,
                },
                RuntimeFlavor::Docker => ExecOutcome::MissingBinary {
                    message: format!("OCI runtime exec failed: exec failed: container_linux.go:380: starting container process caused: {text}: unknown\r\n"),
                    exit_code: Some(126),
                },
            },
        };
        // An exec of a pure reader (`test`, `cat FILE`, …) answers the same while the files the
        // container sees are unchanged: remembered, with the pids it used still allocated.
        let memoizable = stdin.is_empty() && self.pure_reader(cid, &path, argv, now);
        let generation = self.w.fs_generation(cid);
        if memoizable {
            let hit = self.w.containers[cid]
                .exec_memos
                .iter()
                .find(|m| m.generation == generation && m.timeout == timeout && m.argv == argv)
                .map(|m| (m.outcome.clone(), m.pids));
            if let Some((outcome, pids)) = hit {
                for _ in 0..pids {
                    self.w.alloc_pid(cid);
                }
                return outcome;
            }
        }
        let pids_before = self.w.containers[cid].next_pid;
        self.w.budget = self.w.cfg.step_budget;
        let deadline = now.saturating_add(timeout.unwrap_or(3_600_000));
        self.w.limit = deadline;
        self.w.execs.insert(exec_id, Capture::default());
        let c = &self.w.containers[cid];
        let env = c.env.clone();
        let cwd = Self::working_dir(c);
        let fds = Fds {
            stdin: if stdin.is_empty() { Input::Null } else { Input::Data(std::rc::Rc::new(stdin.to_vec())) },
            stdout: Output::Exec(exec_id, Stream::Stdout),
            stderr: Output::Exec(exec_id, Stream::Stderr),
        };
        let pid = self.w.alloc_pid(cid);
        self.w.touch(cid);
        self.w.containers[cid].procs.insert(
            pid,
            Box::new(Process {
                pid,
                ppid: 0,
                argv: argv.to_vec(),
                kind: Kind::Running,
                fds,
                wake: None,
                env: env.clone(),
                cwd: cwd.clone(),
                exec: Some(exec_id),
                bulk_wait: 0,
            }),
        );
        let end = self.w.exec_program(cid, pid, &path, argv.to_vec(), env, now);
        let mut finished = self.w.execs.get(&exec_id).and_then(|c| c.exit);
        if finished.is_none() {
            let (_, t) = self.w.run_subtree(cid, pid, end, deadline);
            let _ = t;
            finished = self.w.execs.get(&exec_id).and_then(|c| c.exit);
        }
        self.w.containers[cid].zombies.remove(&pid);
        let cap = self.w.execs.remove(&exec_id).unwrap_or_default();
        let s = |b: &[u8]| String::from_utf8_lossy(b).to_string();
        match finished {
            Some((code, t)) => {
                let outcome = ExecOutcome::Completed {
                    output: s(&cap.output),
                    stdout: s(&cap.stdout),
                    stderr: s(&cap.stderr),
                    exit_code: code,
                    duration_ms: t.saturating_sub(now),
                };
                let c = &mut self.w.containers[cid];
                // Nothing the exec started is left behind (no process, no zombie).
                let clean = c.procs.keys().chain(c.zombies.keys()).all(|&p| p < pids_before);
                if memoizable && clean && self.w.fs_generation(cid) == generation {
                    let c = &mut self.w.containers[cid];
                    let pids = c.next_pid.saturating_sub(pids_before);
                    c.exec_memos.retain(|m| m.generation == generation);
                    if c.exec_memos.len() < 16 {
                        c.exec_memos.push(ExecMemo { generation, timeout, argv: argv.to_vec(), pids, outcome: outcome.clone() });
                    }
                }
                outcome
            }
            None => {
                // Still running at the deadline: the exec session is torn down with everything
                // it started (runaway children must not eat the rest of the pod's CPU).
                let mut doomed = vec![pid];
                let mut i = 0;
                while i < doomed.len() {
                    let parent = doomed[i];
                    doomed.extend(self.w.containers[cid].procs.values().filter(|p| p.ppid == parent && p.pid != parent).map(|p| p.pid));
                    i += 1;
                }
                for p in doomed.into_iter().rev() {
                    if p != 1 && self.w.containers[cid].procs.contains_key(&p) {
                        self.w.exit_process(cid, p, 137, deadline);
                        self.w.containers[cid].zombies.remove(&p);
                    }
                }
                ExecOutcome::TimedOut { output: s(&cap.output), stdout: s(&cap.stdout), stderr: s(&cap.stderr), after_ms: deadline - now }
            }
        }
    }

    fn http_get_inner(
        &mut self,
        now: Millis,
        ip: &str,
        port: u16,
        path: &str,
        headers: &[(String, String)],
        timeout: Millis,
    ) -> HttpOutcome {
        let client = Self::kubelet_client_ip(ip);
        match crate::net::http_request(&mut self.w, ip, port, path, headers, client, now) {
            Ok(r) if r.delay_ms > timeout => HttpOutcome::TimedOut,
            Ok(r) => HttpOutcome::Response { status: r.status, reason: r.reason, headers: r.headers, body: r.body },
            Err(crate::shell::host::NetError::Refused) | Err(crate::shell::host::NetError::Unreachable) => HttpOutcome::Refused,
            Err(crate::shell::host::NetError::TimedOut) => HttpOutcome::TimedOut,
            Err(crate::shell::host::NetError::Closed) => HttpOutcome::Closed,
        }
    }

    /// An HTTP GET whose caller reads only the status (the kubelet's prober): the same answer
    /// and side effects as [`Runtime::http_get`], remembered while nothing it depends on changes.
    fn http_get_status_inner(
        &mut self,
        now: Millis,
        ip: &str,
        port: u16,
        path: &str,
        headers: &[(String, String)],
        timeout: Millis,
    ) -> HttpStatusOutcome {
        match crate::net::http_status(&mut self.w, ip, port, path, headers, || Self::kubelet_client_ip(ip), now) {
            Ok(a) if a.delay > timeout => HttpStatusOutcome::TimedOut,
            Ok(crate::net::StatusAnswer { status, redirect: Some((location, body)), .. }) => {
                HttpStatusOutcome::Redirect { status, location, body }
            }
            Ok(a) => HttpStatusOutcome::Status(a.status),
            Err(crate::shell::host::NetError::Refused) | Err(crate::shell::host::NetError::Unreachable) => HttpStatusOutcome::Refused,
            Err(crate::shell::host::NetError::TimedOut) => HttpStatusOutcome::TimedOut,
            Err(crate::shell::host::NetError::Closed) => HttpStatusOutcome::Closed,
        }
    }

    /// Whether `argv` (found at `path`) only reads the container's files: a busybox `test`,
    /// `[`, `true`, `false`, or `cat` of files outside /proc, /sys and /dev.
    fn pure_reader(&mut self, cid: usize, path: &str, argv: &[String], now: Millis) -> bool {
        let busybox = self.w.view(cid, now).node(path).is_some_and(|n| matches!(n.program, Some(crate::fs::Program::Busybox)));
        let name = argv[0].rsplit('/').next().unwrap_or("");
        busybox
            && match name {
                "test" | "[" | "true" | "false" => true,
                "cat" => {
                    argv[1..].iter().all(|a| !a.starts_with('-') && !["/proc", "/sys", "/dev"].iter().any(|d| a.starts_with(d)))
                        && argv.len() > 1
                }
                _ => false,
            }
    }

    /// The kubelet connects from the node: the pod network's gateway address.
    fn kubelet_client_ip(pod_ip: &str) -> String {
        match pod_ip.rsplit_once('.') {
            Some((net, _)) => format!("{net}.1"),
            None => "10.244.0.1".into(),
        }
    }

    pub fn tcp_connect(&mut self, _now: Millis, ip: &str, port: u16, _timeout: Millis) -> TcpOutcome {
        match crate::net::tcp(&mut self.w, ip, port) {
            Ok(()) => TcpOutcome::Connected,
            Err(crate::shell::host::NetError::TimedOut) => TcpOutcome::TimedOut,
            Err(_) => TcpOutcome::Refused,
        }
    }

    /// A gRPC health check (`grpc.health.v1.Health/Check` of `service`) at ip:port, as the
    /// kubelet's gRPC prober makes it: the server's answer, or no connection. The server's
    /// answers do not wait, so the call ends well within any timeout.
    pub fn grpc_health_check(&mut self, now: Millis, ip: &str, port: u16, service: &str, _timeout: Millis) -> GrpcHealthOutcome {
        let r = crate::net::grpc_health_check(&mut self.w, ip, port, service, now);
        self.after();
        r
    }

    /// The next moment something is due: a process wakes, or a container exit that happened
    /// outside `advance` (a background writer whose disk filled when the disk was looked at)
    /// waits to be reported.
    pub fn next_wakeup(&self) -> Option<Millis> {
        let exited = self.w.events.iter().filter_map(|e| match e {
            RuntimeEvent::ContainerExited { at, .. } => Some(*at),
            RuntimeEvent::StepBudgetExhausted { .. } => None,
        });
        self.earliest_due().map(|(t, _)| t).into_iter().chain(exited).min()
    }

    /// Run everything due up to `to` (inclusive) in time order. Also returns events that
    /// happened inside earlier calls (start, exec, signal, stop).
    fn advance_inner(&mut self, to: Millis) -> Vec<RuntimeEvent> {
        self.w.budget = self.w.cfg.step_budget;
        self.w.limit = to;
        while let Some((t, cid)) = self.earliest_due() {
            let Some((_, what)) = self.w.next_due(cid) else { break };
            if t > to {
                break;
            }
            // The pod's standing probes, and every background writer, take effect before its
            // process runs.
            let sb = self.w.containers[cid].sandbox;
            crate::standing::settle_sandbox(&mut self.w, sb);
            self.w.settle_writers(t);
            match what {
                None => {
                    self.w.touch(cid);
                    self.w.containers[cid].kill_at = None;
                    self.w.exit_process(cid, 1, 137, t);
                }
                Some(pid) => {
                    if let Some(p) = self.w.containers[cid].procs.get_mut(&pid) {
                        p.wake = None;
                    }
                    self.w.run_process(cid, pid, t);
                }
            }
        }
        std::mem::take(&mut self.w.events)
    }

    // ---- the public operations: standing probes take effect before, and are checked after ----

    /// Settles the standing probes of container `id`'s pod before an operation on it.
    fn before(&mut self, id: ContainerId) {
        if let Some(sb) = self.w.containers.get(id.0 as usize).map(|c| c.sandbox) {
            crate::standing::settle_sandbox(&mut self.w, sb);
        }
    }

    /// After an operation: the standing probes of every pod it touched are checked again.
    fn after(&mut self) {
        crate::standing::check_dirty(&mut self.w);
    }

    /// Before Service routes for these addresses change (a route over a pod's own address would
    /// capture its probes).
    fn before_routing(&mut self, addresses: &[String]) {
        for ip in addresses {
            if let Some(&sb) = self.w.sandbox_by_ip.get(ip) {
                crate::standing::settle_sandbox(&mut self.w, sb);
            }
        }
    }

    fn after_routing(&mut self, addresses: &[String]) {
        for ip in addresses {
            if let Some(&sb) = self.w.sandbox_by_ip.get(ip) {
                crate::standing::check_sandbox(&mut self.w, sb);
            }
        }
    }

    pub fn stop_sandbox(&mut self, now: Millis, id: SandboxId) {
        self.w.settle_writers(now);
        let sb = id.0 as usize;
        crate::standing::settle_sandbox(&mut self.w, sb);
        self.stop_sandbox_inner(now, id);
        crate::standing::check_sandbox(&mut self.w, sb);
        self.after();
    }

    /// The kubelet writes a volume of files again (the remount of a configMap, secret,
    /// downwardAPI or projected volume at a pod sync): the containers that mount it see the new
    /// files, unless they are the same (the atomic writer writes nothing then). A `subPath`
    /// mount keeps what it had: its bind mount holds the file it was given when its container
    /// started, so it sees no update until the container starts again. Returns whether the
    /// files changed.
    /// The hostPath plugin's SetUp on node `node` (host_path.go `checkTypeInternal`): the
    /// `...OrCreate` types make a missing directory (0755) or file (0644), then every type
    /// checks what the path is; `Err` is the plugin's message.
    pub fn host_path_set_up(&mut self, now: Millis, node: u32, path: &str, path_type: &str) -> Result<(), String> {
        use crate::host_path::{kind_of, make, HostPathKind as K};
        let secs = self.w.cfg.wall_clock_start + (now / 1000) as i64;
        let disk = self.node_disk(node);
        let t = crate::host_path::node_root(&mut self.w, node, disk, secs);
        let kind = kind_of(&self.w.trees[t], path);
        let want = match path_type {
            "" => return Ok(()),
            "DirectoryOrCreate" | "Directory" => {
                if path_type == "DirectoryOrCreate" && kind == K::Missing {
                    return make(&mut self.w.trees[t], path, true, secs);
                }
                (K::Directory, "a directory")
            }
            "FileOrCreate" | "File" => {
                if path_type == "FileOrCreate" && kind == K::Missing {
                    return make(&mut self.w.trees[t], path, false, secs);
                }
                (K::File, "a file")
            }
            "Socket" => (K::Socket, "a socket file"),
            "CharDevice" => (K::CharDevice, "a character device"),
            "BlockDevice" => (K::BlockDevice, "a block device"),
            other => return Err(format!("{other} is an invalid volume type")),
        };
        match kind == want.0 {
            true => Ok(()),
            false => Err(format!("hostPath type check failed: {path} is not {}", want.1)),
        }
    }

    pub fn update_volume_files(&mut self, now: Millis, sandbox: SandboxId, volume: &str, files: Vec<(String, Vec<u8>, u32)>) -> bool {
        let sb = sandbox.0 as usize;
        let Some(&tree) = self.w.sandboxes.get(sb).and_then(|s| s.volumes.get(volume)) else {
            return false;
        };
        let secs = self.w.cfg.wall_clock_start + (now / 1000) as i64;
        let mut fresh = Tree::of_files(self.w.cfg.fs_limits, secs, files);
        if let Some(gid) = self.w.sandboxes[sb].cfg.fs_group {
            fresh.set_volume_ownership(gid, true);
        }
        if self.w.trees[tree].same_files(&fresh) {
            return false;
        }
        self.w.settle_writers(now);
        crate::standing::settle_sandbox(&mut self.w, sb);
        let mut frozen = None;
        for i in 0..self.w.sandboxes[sb].containers.len() {
            let cid = self.w.sandboxes[sb].containers[i];
            for m in 0..self.w.containers[cid].mounts.len() {
                let mount = &self.w.containers[cid].mounts[m];
                if mount.tree != tree || mount.sub.is_empty() {
                    continue;
                }
                let copy = *frozen.get_or_insert_with(|| {
                    self.w.trees.push(self.w.trees[tree].clone());
                    self.w.trees.len() - 1
                });
                self.w.containers[cid].mounts[m].tree = copy;
            }
        }
        self.w.trees[tree].replace_files(fresh);
        crate::standing::check_sandbox(&mut self.w, sb);
        self.after();
        true
    }

    pub fn create_container(&mut self, now: Millis, sandbox: SandboxId, cfg: ContainerConfig) -> Result<ContainerId, String> {
        crate::standing::settle_sandbox(&mut self.w, sandbox.0 as usize);
        let r = self.create_container_inner(now, sandbox, cfg);
        self.after();
        r
    }

    pub fn start_container(&mut self, now: Millis, id: ContainerId) -> Result<(), StartFailure> {
        self.w.settle_writers(now);
        self.before(id);
        let r = self.start_container_inner(now, id);
        self.after();
        r
    }

    /// Send the image's stop signal now and SIGKILL at `now + timeout_secs` if still running.
    pub fn stop_container(&mut self, now: Millis, id: ContainerId, timeout_secs: u64) {
        self.w.settle_writers(now);
        self.before(id);
        self.stop_container_inner(now, id, timeout_secs);
        self.after();
    }

    pub fn signal(&mut self, now: Millis, id: ContainerId, sig: Signal) {
        self.w.settle_writers(now);
        self.before(id);
        self.signal_inner(now, id, sig);
        self.after();
    }

    /// `kubectl exec -i`: like `exec_sync`, with `stdin` as the process's standard input.
    pub fn exec_sync_with_input(
        &mut self,
        now: Millis,
        id: ContainerId,
        argv: &[String],
        timeout: Option<Millis>,
        stdin: &[u8],
    ) -> ExecOutcome {
        self.w.settle_writers(now);
        self.before(id);
        let r = self.exec_sync_with_input_inner(now, id, argv, timeout, stdin);
        self.after();
        r
    }

    /// `kubectl exec`, and whether it changed anything: `false` when the exec left no trace
    /// but its output and the pids it took (it ended with everything it started, the files its
    /// container sees are as they were, and it sent no signal, reached no listener, listened on
    /// no port and wrote no container log: see `World::effects`). `ls`, `cat`, `ps`, `env` change
    /// nothing; `touch`, `kill 1`, `wget` to a server (whose log it writes) and a background
    /// `sleep &` do. A file written by a background writer of the container while the exec ran
    /// counts too: when unsure, it changed something.
    pub fn exec_sync_traced(&mut self, now: Millis, id: ContainerId, argv: &[String], timeout: Option<Millis>) -> (ExecOutcome, bool) {
        self.w.settle_writers(now);
        self.before(id);
        let cid = id.0 as usize;
        // What the exec could change, as it stands once everything due before it has settled.
        let before =
            (cid < self.w.containers.len()).then(|| (self.w.fs_generation(cid), self.w.containers[cid].next_pid, self.w.effects.get()));
        let r = self.exec_sync_with_input_inner(now, id, argv, timeout, &[]);
        let changed = before.is_some_and(|(generation, first_pid, effects)| {
            let c = &self.w.containers[cid];
            let left = c.procs.keys().chain(c.zombies.keys()).any(|&p| p >= first_pid);
            left || self.w.fs_generation(cid) != generation || self.w.effects.get() != effects
        });
        self.after();
        (r, changed)
    }

    pub fn http_get(&mut self, now: Millis, ip: &str, port: u16, path: &str, headers: &[(String, String)], timeout: Millis) -> HttpOutcome {
        let r = self.http_get_inner(now, ip, port, path, headers, timeout);
        self.after();
        r
    }

    /// An HTTP GET whose caller reads only the status (the kubelet's prober): the same answer
    /// and side effects as [`Runtime::http_get`], remembered while nothing it depends on changes.
    pub fn http_get_status(
        &mut self,
        now: Millis,
        ip: &str,
        port: u16,
        path: &str,
        headers: &[(String, String)],
        timeout: Millis,
    ) -> HttpStatusOutcome {
        let r = self.http_get_status_inner(now, ip, port, path, headers, timeout);
        self.after();
        r
    }

    /// Run everything due up to `to` (inclusive) in time order. Also returns events that
    /// happened inside earlier calls (start, exec, signal, stop).
    pub fn advance(&mut self, to: Millis) -> Vec<RuntimeEvent> {
        // A steady loop may run in bulk up to the next moment anything outside can act.
        self.w.horizon = std::mem::take(&mut self.horizon_hint).max(to);
        let r = self.advance_inner(to);
        self.w.horizon = 0;
        self.after();
        r
    }

    /// Whether steady loops run in bulk (on by default). Off, every turn runs step by step: the
    /// tests compare the two, which must give the same logs, states and times.
    pub fn set_bulk(&mut self, on: bool) {
        self.w.bulk = on;
    }

    /// The next moment anything outside the runtime (the engine's next task, someone reading)
    /// can act, for the next `advance`: until then a process that only runs a steady loop
    /// (`shell::vm::steady`) can be run in bulk.
    pub fn set_horizon(&mut self, t: Millis) {
        self.horizon_hint = t;
    }

    // ---- standing probes (see `standing.rs`) ----

    /// Where the engine's work is: the probe ticks before this point have happened. Given
    /// before every piece of work, so that a standing probe's ticks take effect in their place.
    pub fn set_order_point(&mut self, point: OrderPoint) {
        self.w.standing.point = point;
    }

    /// Makes the prober's status-only GET that just ran (`Runtime::http_get_status` with the
    /// same arguments) a standing probe, ticking every `period` from `first` with `rank` in the
    /// engine's order, if its next answers are known to be the same and in `success`. Its ticks
    /// then take effect without further calls, until it breaks (`take_broken_standing`) or is
    /// ended (`end_standing`).
    #[allow(clippy::too_many_arguments)]
    pub fn stand_http_probe(
        &mut self,
        ip: &str,
        port: u16,
        path: &str,
        headers: &[(String, String)],
        success: std::ops::Range<u16>,
        first: Millis,
        period: Millis,
        rank: u64,
    ) -> Option<StandingId> {
        let client = Self::kubelet_client_ip(ip);
        crate::standing::stand(&mut self.w, ip, port, path, headers, &client, success, first, period, rank)
    }

    /// Makes the TCP connection to ip:port the prober just made (`tcp_connect`) a standing
    /// probe, ticking every `period` from `first` with `rank`, if a pod's process listens there.
    pub fn stand_tcp_probe(&mut self, ip: &str, port: u16, first: Millis, period: Millis, rank: u64) -> Option<StandingId> {
        crate::standing::stand_tcp(&mut self.w, ip, port, first, period, rank)
    }

    /// Makes the exec the prober just ran in container `id` (`exec_sync` with the same `argv`
    /// and `timeout`) a standing probe, ticking every `period` from `first` with `rank`, if its
    /// outcome is remembered as exit code 0 (a pure reader over unchanged files).
    pub fn stand_exec_probe(
        &mut self,
        id: ContainerId,
        argv: &[String],
        timeout: Option<Millis>,
        first: Millis,
        period: Millis,
        rank: u64,
    ) -> Option<StandingId> {
        crate::standing::stand_exec(&mut self.w, id.0 as usize, argv, timeout, first, period, rank)
    }

    /// Ends a standing probe at the current point: its ticks before the point have taken
    /// effect; returns the time of its first tick still to run (`None`: it had already ended).
    pub fn end_standing(&mut self, id: StandingId) -> Option<Millis> {
        crate::standing::end(&mut self.w, id)
    }

    /// The standing probes that no longer hold since the last call (something in their pod
    /// changed), each with its first tick still to run.
    pub fn take_broken_standing(&mut self) -> Vec<StandingEnd> {
        crate::standing::take_broken(&mut self.w)
    }

    /// Makes every standing probe's ticks before the current point take effect (before the
    /// logs or anything else a tick changes are read).
    pub fn settle_standing(&mut self) {
        crate::standing::settle_all(&mut self.w);
        let at = self.w.standing.point.at;
        self.w.settle_writers(at);
    }

    pub fn container_state(&self, id: ContainerId) -> ContainerState {
        self.w.containers.get(id.0 as usize).map(|c| c.state.clone()).unwrap_or(ContainerState::Created)
    }

    pub fn container_id_string(&self, id: ContainerId) -> String {
        self.w.containers.get(id.0 as usize).map(|c| c.id_string.clone()).unwrap_or_default()
    }

    /// The container's log lines, oldest first (written out from their compact form).
    pub fn logs(&self, id: ContainerId) -> Vec<LogLine> {
        self.w.containers.get(id.0 as usize).map(|c| c.logs.lines()).unwrap_or_default()
    }

    /// The last `n` lines of the container's log (all without `n`): only those are written out.
    pub fn logs_tail(&self, id: ContainerId, n: Option<usize>) -> Vec<LogLine> {
        self.w.containers.get(id.0 as usize).map(|c| c.logs.tail(n)).unwrap_or_default()
    }

    /// How many turns of loops the shells have run one by one, not in bulk: what a busy loop
    /// costs beyond its bulks (each bulk ends at the engine's next task; the turns around it
    /// run as usual).
    pub fn turns_run_one_by_one(&self) -> u64 {
        self.w.turns_one_by_one
    }

    /// How many entries the container's current log file is kept as (a run of stamped lines
    /// or a loop's cycles is one): what its memory grows with, where the lines may be millions.
    pub fn log_entries(&self, id: ContainerId) -> usize {
        self.w.containers.get(id.0 as usize).map_or(0, |c| c.logs.entries())
    }

    pub fn set_cluster_dns(&mut self, records: Vec<DnsRecord>) {
        self.w.dns = records;
    }

    /// Service routing (kube-proxy): connections from containers to ClusterIP:port go to one
    /// of the ready endpoints; none ready → connection refused (kube-proxy's REJECT rule).
    pub fn set_service_routes(&mut self, routes: Vec<ServiceRoute>) {
        let addresses: Vec<String> =
            self.w.services.iter().map(|r| r.cluster_ip.clone()).chain(routes.iter().map(|r| r.cluster_ip.clone())).collect();
        self.before_routing(&addresses);
        self.w.services = routes
            .into_iter()
            .map(|r| crate::net::Route { cluster_ip: r.cluster_ip, port: r.port, endpoints: r.endpoints.into_iter().collect() })
            .collect();
        self.after_routing(&addresses);
    }

    /// kube-proxy learns of a Service port: connections to it are refused until it has a ready
    /// endpoint (and dropped on ports the Service does not expose).
    pub fn expose_service_port(&mut self, cluster_ip: &str, port: u16) {
        let address = [cluster_ip.to_string()];
        self.before_routing(&address);
        crate::net::expose(&mut self.w, cluster_ip, port);
        self.after_routing(&address);
    }

    /// One endpoint of ClusterIP:port added (`present`) or removed, as kube-proxy applies an
    /// endpoints change: the engine calls this for each pod that becomes or stops being a
    /// ready endpoint, so thousands of pods cost one update each, not a rebuild each.
    pub fn set_service_endpoint(&mut self, cluster_ip: &str, port: u16, endpoint_ip: &str, endpoint_port: u16, present: bool) {
        let address = [cluster_ip.to_string()];
        self.before_routing(&address);
        crate::net::set_endpoint(&mut self.w, cluster_ip, port, (endpoint_ip, endpoint_port), present);
        self.after_routing(&address);
    }

    /// The container's processes as `ps` would list them: (pid, command line).
    pub fn processes(&self, id: ContainerId) -> Vec<(u32, String)> {
        self.w.containers.get(id.0 as usize).map(|c| c.procs.values().map(|p| (p.pid, p.argv.join(" "))).collect()).unwrap_or_default()
    }

    /// TCP ports the container listens on.
    pub fn listening_ports(&self, id: ContainerId) -> Vec<u16> {
        self.w.containers.get(id.0 as usize).map(|c| c.listeners.iter().map(|l| l.port).collect()).unwrap_or_default()
    }

    /// Read a file of a container (tests, `kubectl cp`-like views).
    pub fn read_file(&mut self, id: ContainerId, path: &str) -> Option<Vec<u8>> {
        let cid = id.0 as usize;
        if cid >= self.w.containers.len() {
            return None;
        }
        let data = self.w.view(cid, 0).read(path).ok();
        crate::standing::check_dirty(&mut self.w);
        data
    }

    /// The last `max` bytes of the file the kubelet mounted at `path` for the container (its
    /// termination message file, as the kubelet reads it from the host: `tail.ReadAtMost`);
    /// None when no file is mounted there.
    pub fn mounted_file_tail(&self, id: ContainerId, path: &str, max: u64) -> Option<Vec<u8>> {
        let c = self.w.containers.get(id.0 as usize)?;
        let path = normalize("/", path);
        let mount = c.mounts.iter().find(|m| m.path == path)?;
        self.w.trees[mount.tree].get("").and_then(|n| n.tail(max))
    }

    /// A file's modification time, in seconds since the Unix epoch (tests).
    pub fn file_mtime(&mut self, id: ContainerId, path: &str) -> Option<i64> {
        let cid = id.0 as usize;
        if cid >= self.w.containers.len() {
            return None;
        }
        self.w.view(cid, 0).node(path).map(|n| n.mtime)
    }
}

thread_local! {
    /// Catalog images' trees, shared by every runtime on this thread: the page builds a new
    /// engine for each edit, and a catalog image's files depend only on what is in this key.
    /// (Author-defined images are built per runtime: their files come from the scenario.)
    static CATALOG_ROOTFS: std::cell::RefCell<std::collections::HashMap<String, Tree>> = std::cell::RefCell::new(std::collections::HashMap::new());
}

fn catalog_rootfs(info: &ImageInfo, limits: crate::fs::FsLimits) -> Tree {
    let mut key = format!("{}|{:?}|{:?}|{}|{:?}", info.normalized, info.shell_version, info.userland, info.created, limits);
    for (path, node) in &info.files {
        key.push_str(&format!("|{path}:{}:{:o}", node.size(), node.mode));
    }
    CATALOG_ROOTFS.with(|cache| cache.borrow_mut().entry(key).or_insert_with(|| images::rootfs(info, limits)).clone())
}
