//! Each node's own files, which `hostPath` volumes mount: one tree per node, made on first use
//! with a kind node's directories (its root filesystem as a container image leaves it: no logs
//! or images inside), kept while the runtime lives, and shared by every pod on the node that
//! mounts a part of it (a file one pod writes, another reads; it outlives the pods). What it
//! holds counts on the node's disk.

use crate::fs::{FsLimits, Node, NodeKind, Owner, Tree, TreeId};
use crate::world::World;

/// What a path on the node is, as the kubelet's `hostutil.GetFileType` tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostPathKind {
    Missing,
    Directory,
    File,
    Socket,
    CharDevice,
    BlockDevice,
}

/// A kind node's directories (`kindest/node`: Ubuntu's layout, containerd's and the
/// kubelet's), with their modes.
const DIRECTORIES: &[(&str, u32)] = &[
    ("boot", 0o755),
    ("dev", 0o755),
    ("etc", 0o755),
    ("etc/kubernetes", 0o755),
    ("etc/kubernetes/manifests", 0o755),
    ("home", 0o755),
    ("kind", 0o755),
    ("mnt", 0o755),
    ("opt", 0o755),
    ("proc", 0o555),
    ("root", 0o700),
    ("run", 0o755),
    ("run/containerd", 0o711),
    ("srv", 0o755),
    ("sys", 0o555),
    ("tmp", 0o1777),
    ("usr", 0o755),
    ("usr/bin", 0o755),
    ("usr/lib", 0o755),
    ("usr/local", 0o755),
    ("usr/local/bin", 0o755),
    ("var", 0o755),
    ("var/lib", 0o755),
    ("var/lib/containerd", 0o711),
    ("var/lib/kubelet", 0o700),
    ("var/log", 0o755),
    ("var/log/containers", 0o755),
    ("var/log/pods", 0o755),
    ("var/run", 0o755),
];

/// The node's special files, by kind (kept as empty files in the tree, so `ls` shows them).
const SOCKETS: &[&str] = &["run/containerd/containerd.sock"];
const CHAR_DEVICES: &[&str] = &["dev/null", "dev/zero", "dev/random", "dev/urandom", "dev/tty", "dev/full", "dev/kmsg", "dev/fuse"];

/// The tree of node `node`'s files, made on first use.
pub(crate) fn node_root(w: &mut World, node: u32, disk: std::rc::Rc<crate::fs::Disk>, mtime: i64) -> TreeId {
    if let Some(&t) = w.node_roots.get(&node) {
        return t;
    }
    let mut tree = Tree::new(FsLimits { max_bytes: w.cfg.fs_limits.max_bytes, max_files: w.cfg.fs_limits.max_files }, mtime);
    let dir = |mode| Node { kind: NodeKind::Dir, mode, mtime, program: None, owner: Owner::ROOT };
    let special = || Node { kind: NodeKind::File(Vec::new()), mode: 0o666, mtime, program: None, owner: Owner::ROOT };
    for (path, mode) in DIRECTORIES {
        tree.put_raw(path, dir(*mode));
    }
    for path in SOCKETS.iter().chain(CHAR_DEVICES) {
        tree.put_raw(path, special());
    }
    tree.attach(disk);
    w.trees.push(tree);
    let id = w.trees.len() - 1;
    w.node_roots.insert(node, id);
    id
}

/// What `path` (absolute, clean) is on the node whose files are `tree`.
pub(crate) fn kind_of(tree: &Tree, path: &str) -> HostPathKind {
    let rel = path.trim_matches('/');
    if SOCKETS.contains(&rel) {
        return HostPathKind::Socket;
    }
    if CHAR_DEVICES.contains(&rel) {
        return HostPathKind::CharDevice;
    }
    match tree.get(rel) {
        None => HostPathKind::Missing,
        Some(n) if n.is_dir() => HostPathKind::Directory,
        Some(_) => HostPathKind::File,
    }
}

/// The kubelet's `makeDir` (`os.MkdirAll(path, 0755)`) or `makeFile` (`os.OpenFile(path,
/// O_CREATE, 0644)`, its parent made first) of a `...OrCreate` type.
pub(crate) fn make(tree: &mut Tree, path: &str, dir: bool, mtime: i64) -> Result<(), String> {
    let rel = path.trim_matches('/');
    let (parent, _) = rel.rsplit_once('/').unwrap_or(("", rel));
    let made = if dir {
        tree.make_dirs(rel, 0o755, mtime)
    } else {
        (if parent.is_empty() { Ok(()) } else { tree.make_dirs(parent, 0o755, mtime) }).and_then(|_| tree.write(rel, b"", true, mtime))
    };
    made.map_err(|e| format!("mkdir {path}: {}", e.strerror()))
}
