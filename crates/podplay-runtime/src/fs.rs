//! Filesystem trees and a per-container view over them.
//!
//! A container sees its own writable layer (a copy of the image's files, see `images`) with
//! volumes mounted over sub-paths. `emptyDir` volumes are separate trees shared by every container
//! of a sandbox.
//!
//! Two kinds of limit apply. A tree that lives on a node's disk (a container's writable layer, an
//! `emptyDir` on the node's disk) or on a sized tmpfs (`medium: Memory`) charges what it holds
//! to that `Disk`, as `du` counts it (whole 4 KiB blocks, 4 KiB a directory): a write that does
//! not fit fails with `No space left on device`, as on the node. And every tree keeps at most
//! `FsLimits` in memory (bytes actually held, files): content that repeats (`NodeKind::Pattern`,
//! a file of zeros from `/dev/zero`, `yes > f`, the same line appended again and again) is kept by
//! its size, so a gigabyte of zeros costs a few bytes of the host's memory.

use crate::node_map::NodeMap;
use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

/// What an executable file runs when exec'd (the simulated "binary").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Program {
    /// The busybox multi-call binary: the applet is chosen by argv[0]'s basename.
    Busybox,
    /// A program of a catalog image, by its name (e.g. `nginx`, `agnhost`); see `images`.
    Builtin(String),
    /// The main binary of an author-defined image (index into the runtime's author image list).
    Author(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    File(Vec<u8>),
    Dir,
    /// A file whose content is `head` followed by `len` bytes of `unit` repeated from its start
    /// (the last repetition cut short): kept by its size, not byte by byte.
    Pattern {
        head: Vec<u8>,
        unit: Rc<[u8]>,
        len: u64,
    },
}

/// Files read whole (`View::read`) are written out up to this size; a longer file held as a
/// pattern reads as its first 16 MiB (an approximation: the programs that read such files in
/// full, `wc`, `grep`, `sort`, would take minutes on a real node too).
pub const READ_CAP: u64 = 16 << 20;

/// The block `du` counts files and directories in.
pub const BLOCK: u64 = 4096;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// Permission bits with set-user-ID, set-group-ID and sticky (`0o7777`).
    pub mode: u32,
    /// Modification time, seconds since the Unix epoch.
    pub mtime: i64,
    pub program: Option<Program>,
    pub owner: Owner,
}

/// A file's owning user and group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Owner {
    pub uid: u32,
    pub gid: u32,
}

impl Owner {
    pub const ROOT: Owner = Owner { uid: 0, gid: 0 };
}

/// The set-group-ID bit: on a directory, what is made in it takes the directory's group (and a
/// directory made in it the bit too).
pub const S_ISGID: u32 = 0o2000;

/// Who a container's processes are (runc's `process.user` and the kernel's `struct cred`): the
/// user, its group and the supplementary groups, sorted as the kernel keeps them (`setgroups`
/// sorts its list), and what they may do beyond their files.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Cred {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
    /// CAP_NET_ADMIN: make and change network links.
    pub net_admin: bool,
    /// `no_new_privs`: exec of a set-user-ID file does not change the user.
    pub no_new_privs: bool,
}

/// The credentials of the kubelet and the runtime, which write the files they make as root.
pub static ROOT: Cred = Cred { uid: 0, gid: 0, groups: Vec::new(), net_admin: false, no_new_privs: false };

/// What an access asks of a file (the `rwx` bits of `access(2)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read = 4,
    Write = 2,
    Search = 1,
}

impl Cred {
    /// Root as a container runs it with no user set: every access but a search of a file
    /// without any `x` bit (CAP_DAC_OVERRIDE).
    pub fn root() -> Cred {
        Cred::default()
    }

    pub fn is_root(&self) -> bool {
        self.uid == 0
    }

    fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.binary_search(&gid).is_ok()
    }

    /// The kernel's `generic_permission`: the owner's bits, else the group's for a member,
    /// else the others'; root passes all but executing a file no one may execute.
    pub fn may(&self, node: &Node, want: Access) -> bool {
        let want = want as u32;
        if self.is_root() {
            return want != 1 || node.is_dir() || node.mode & 0o111 != 0;
        }
        let bits = if node.owner.uid == self.uid {
            node.mode >> 6
        } else if self.in_group(node.owner.gid) {
            node.mode >> 3
        } else {
            node.mode
        };
        bits & want == want
    }

    /// The owner a file made by this process in `parent` gets: its user, and the directory's
    /// group where the directory is set-group-ID.
    pub fn owner_in(&self, parent: Option<&Node>) -> Owner {
        match parent {
            Some(p) if p.mode & S_ISGID != 0 => Owner { uid: self.uid, gid: p.owner.gid },
            _ => Owner { uid: self.uid, gid: self.gid },
        }
    }
}

impl Node {
    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir)
    }
    pub fn size(&self) -> u64 {
        match &self.kind {
            NodeKind::File(d) => d.len() as u64,
            NodeKind::Dir => 4096,
            NodeKind::Pattern { head, len, .. } => head.len() as u64 + len,
        }
    }

    /// Bytes the host holds for it.
    pub fn stored(&self) -> u64 {
        match &self.kind {
            NodeKind::File(d) => d.len() as u64,
            NodeKind::Dir => 0,
            NodeKind::Pattern { head, unit, .. } => (head.len() + unit.len()) as u64,
        }
    }

    /// What `du` counts for it: whole blocks (a directory one block).
    pub fn blocks(&self) -> u64 {
        match &self.kind {
            NodeKind::Dir => BLOCK,
            _ => self.size().div_ceil(BLOCK) * BLOCK,
        }
    }

    /// The file's content, written out up to `cap` bytes (None for a directory).
    pub fn content(&self, cap: u64) -> Option<std::borrow::Cow<'_, [u8]>> {
        match &self.kind {
            NodeKind::File(d) => Some(std::borrow::Cow::Borrowed(&d[..d.len().min(cap as usize)])),
            NodeKind::Dir => None,
            NodeKind::Pattern { head, unit, len } => {
                let total = (head.len() as u64 + len).min(cap) as usize;
                let mut out = Vec::with_capacity(total);
                out.extend_from_slice(&head[..head.len().min(total)]);
                while out.len() < total {
                    let take = (total - out.len()).min(unit.len());
                    out.extend_from_slice(&unit[..take]);
                }
                Some(std::borrow::Cow::Owned(out))
            }
        }
    }
    /// The file's last `max` bytes, worked out for a pattern too (None for a directory).
    pub fn tail(&self, max: u64) -> Option<Vec<u8>> {
        let size = self.size();
        let start = size - size.min(max);
        match &self.kind {
            NodeKind::File(d) => Some(d[start as usize..].to_vec()),
            NodeKind::Dir => None,
            NodeKind::Pattern { head, unit, .. } => {
                let byte = |i: u64| match head.get(i as usize) {
                    Some(b) => *b,
                    None => unit[((i - head.len() as u64) % unit.len() as u64) as usize],
                };
                Some((start..size).map(byte).collect())
            }
        }
    }

    pub fn is_executable(&self) -> bool {
        !self.is_dir() && self.mode & 0o111 != 0
    }
}

/// errno-like failures; the applets turn them into their own message formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotDir,
    IsDir,
    Exists,
    NotEmpty,
    ReadOnly,
    NoSpace,
    Busy,
    /// EACCES: the file's mode does not let this process do it.
    Access,
    /// EPERM: only the owner (or root) may (`chmod`, `chown`).
    NotPermitted,
}

impl FsError {
    /// glibc `strerror` text.
    pub fn strerror(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotDir => "Not a directory",
            FsError::IsDir => "Is a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::ReadOnly => "Read-only file system",
            FsError::NoSpace => "No space left on device",
            FsError::Busy => "Resource busy",
            FsError::Access => "Permission denied",
            FsError::NotPermitted => "Operation not permitted",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FsLimits {
    pub max_bytes: u64,
    pub max_files: u64,
}

impl Default for FsLimits {
    fn default() -> Self {
        FsLimits { max_bytes: 64 * 1024 * 1024, max_files: 20_000 }
    }
}

/// A filesystem that trees charge what they hold to: a node's disk (its writable layers, its
/// `emptyDir` volumes, its container logs and whatever the node already held) or a sized tmpfs.
/// Shared by the trees on it; `used` never passes `capacity` through a tree's write.
#[derive(Debug, Default)]
pub struct Disk {
    capacity: Cell<u64>,
    used: Cell<u64>,
}

impl Disk {
    pub fn new(capacity: u64, used: u64) -> Rc<Disk> {
        Rc::new(Disk { capacity: Cell::new(capacity), used: Cell::new(used) })
    }
    pub fn capacity(&self) -> u64 {
        self.capacity.get()
    }
    pub fn used(&self) -> u64 {
        self.used.get()
    }
    /// Bytes still free (0 when full).
    pub fn free(&self) -> u64 {
        self.capacity.get().saturating_sub(self.used.get())
    }
    /// Changes what is used by `delta` bytes (logs, which no write of a container fails for).
    pub fn add(&self, delta: i64) {
        self.used.set(self.used.get().saturating_add_signed(delta));
    }
    pub fn set_capacity(&self, capacity: u64) {
        self.capacity.set(capacity);
    }
}

/// One directory tree: keys are paths relative to the tree root without a leading slash
/// (`""` is the root itself).
///
/// The nodes are shared copy-on-write: every container of an image starts from one clone of
/// the image's tree, and only a container that writes pays for its own copy. `generation`
/// counts mutations, so a cached answer computed from this tree can tell it is still valid.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Rc<NodeMap>,
    /// Bytes held in memory (what `FsLimits::max_bytes` bounds).
    bytes: u64,
    /// What `du` counts over the whole tree.
    blocks: u64,
    limits: FsLimits,
    generation: u64,
    /// The filesystem the tree is on, and the blocks it already had when it was put there (an
    /// image's files are not the container's writable layer): the tree charges the disk with
    /// `blocks - base`.
    disk: Option<(Rc<Disk>, u64)>,
    /// The kind of filesystem the tree is (what `statfs(2)` tells of a path in it).
    fs: FsKind,
}

/// The kind of filesystem a tree is, as `statfs(2)`'s `f_type` tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FsKind {
    /// A container's root filesystem: containerd's overlayfs snapshot.
    #[default]
    Overlay,
    /// A directory on the node's disk (a default-medium emptyDir, the kubelet's files bound
    /// into the container): the node's ext4.
    Disk,
    /// A tmpfs (a `medium: Memory` emptyDir).
    Tmpfs,
    /// A volume whose filesystem podplay does not model (configMap, secret, downwardAPI and
    /// projected volumes).
    Unknown,
}

impl FsKind {
    /// `statfs(2)`'s `f_type` (linux/magic.h): `OVERLAYFS_SUPER_MAGIC`, `EXT4_SUPER_MAGIC`,
    /// `TMPFS_MAGIC`.
    pub fn magic(self) -> Option<i64> {
        match self {
            FsKind::Overlay => Some(0x794c_7630),
            FsKind::Disk => Some(0xef53),
            FsKind::Tmpfs => Some(0x0102_1994),
            FsKind::Unknown => None,
        }
    }

    /// The device name `/proc/mounts` gives the filesystem (what `df` prints first).
    pub fn device(self) -> &'static str {
        match self {
            FsKind::Overlay => "overlay",
            FsKind::Disk => "/dev/sda1",
            FsKind::Tmpfs | FsKind::Unknown => "tmpfs",
        }
    }
}

impl Tree {
    pub fn new(limits: FsLimits, mtime: i64) -> Self {
        let nodes = NodeMap::single(String::new(), Node { kind: NodeKind::Dir, mode: 0o755, mtime, program: None, owner: Owner::ROOT });
        Tree { nodes: Rc::new(nodes), bytes: 0, blocks: BLOCK, limits, generation: 0, disk: None, fs: FsKind::Overlay }
    }

    /// A tree that is a single file (a bind-mounted file such as `/etc/hosts`).
    pub fn single_file(limits: FsLimits, node: Node) -> Self {
        let (bytes, blocks) = (node.stored(), node.blocks());
        Tree { nodes: Rc::new(NodeMap::single(String::new(), node)), bytes, blocks, limits, generation: 0, disk: None, fs: FsKind::Overlay }
    }

    /// Puts the tree on `disk`: from now on it charges the disk with what it grows by.
    pub fn attach(&mut self, disk: Rc<Disk>) {
        self.detach();
        self.disk = Some((disk, self.blocks));
    }

    /// The kind of filesystem the tree is.
    pub fn fs_kind(&self) -> FsKind {
        self.fs
    }

    pub fn set_fs_kind(&mut self, fs: FsKind) {
        self.fs = fs;
    }

    /// The filesystem's size and what is used of it (`statfs(2)`'s blocks, in bytes), where the
    /// tree is on a `Disk`.
    pub fn disk_usage(&self) -> Option<(u64, u64)> {
        self.disk.as_ref().map(|(d, _)| (d.capacity(), d.used().min(d.capacity())))
    }

    /// Takes the tree off its disk (its container or pod is gone): what it charged is freed.
    pub fn detach(&mut self) {
        if let Some((disk, base)) = self.disk.take() {
            disk.add(-(self.blocks.saturating_sub(base) as i64));
        }
    }

    /// What the tree charges its disk: `du` of what was written since it was put there.
    pub fn charged(&self) -> u64 {
        self.disk.as_ref().map_or(0, |(_, base)| self.blocks.saturating_sub(*base))
    }

    /// Whether the tree may go from its blocks now to `blocks` on its disk.
    fn fits(&self, blocks: u64) -> bool {
        match &self.disk {
            None => true,
            Some((disk, base)) => {
                let (old, new) = (self.blocks.saturating_sub(*base), blocks.saturating_sub(*base));
                new <= old || new - old <= disk.free()
            }
        }
    }

    /// Bytes that still fit on the tree's disk (u64::MAX without one).
    pub fn disk_free(&self) -> u64 {
        self.disk.as_ref().map_or(u64::MAX, |(d, _)| d.free())
    }

    fn set_blocks(&mut self, blocks: u64) {
        if let Some((disk, base)) = &self.disk {
            let (old, new) = (self.blocks.saturating_sub(*base), blocks.saturating_sub(*base));
            disk.add(new as i64 - old as i64);
        }
        self.blocks = blocks;
    }

    /// Accounts for `rel` going from `old` to `new` (either may be absent).
    fn account(&mut self, old: Option<(u64, u64)>, new: Option<(u64, u64)>) {
        let (old_stored, old_blocks) = old.unwrap_or((0, 0));
        let (new_stored, new_blocks) = new.unwrap_or((0, 0));
        self.bytes = self.bytes + new_stored - old_stored.min(self.bytes + new_stored);
        let blocks = (self.blocks + new_blocks).saturating_sub(old_blocks);
        self.set_blocks(blocks);
    }

    fn measure(n: &Node) -> (u64, u64) {
        (n.stored(), n.blocks())
    }

    pub fn get(&self, rel: &str) -> Option<&Node> {
        self.nodes.get(rel)
    }

    /// Mutations go through here: the first one un-shares the nodes.
    fn nodes_mut(&mut self) -> &mut NodeMap {
        self.generation += 1;
        Rc::make_mut(&mut self.nodes)
    }

    /// How many times the tree changed (see the type's doc).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn file_count(&self) -> u64 {
        self.nodes.len() as u64
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// What `du -s` of the whole tree counts, in bytes.
    pub fn du(&self) -> u64 {
        self.blocks
    }

    fn parent_of(rel: &str) -> &str {
        rel.rfind('/').map(|i| &rel[..i]).unwrap_or("")
    }

    fn check_parent(&self, rel: &str) -> Result<(), FsError> {
        match self.nodes.get(Self::parent_of(rel)) {
            None => Err(FsError::NotFound),
            Some(n) if !n.is_dir() => Err(FsError::NotDir),
            Some(_) => Ok(()),
        }
    }

    /// Insert without limit checks (image construction).
    pub fn put_raw(&mut self, rel: &str, node: Node) {
        let rel = rel.trim_matches('/');
        // create parents
        let mut acc = String::new();
        for part in rel.split('/').filter(|p| !p.is_empty()) {
            if !acc.is_empty() || !part.is_empty() {
                let parent_exists = self.nodes.contains_key(&acc);
                debug_assert!(parent_exists);
            }
            let next = if acc.is_empty() { part.to_string() } else { format!("{acc}/{part}") };
            if next == rel {
                break;
            }
            let mtime = node.mtime;
            if !self.nodes.contains_key(&next) {
                self.nodes_mut().insert(next.clone(), Node { kind: NodeKind::Dir, mode: 0o755, mtime, program: None, owner: Owner::ROOT });
                self.account(None, Some((0, BLOCK)));
            }
            acc = next;
        }
        let old = self.nodes.get(rel).map(Self::measure);
        let new = Self::measure(&node);
        self.nodes_mut().insert(rel.to_string(), node);
        self.account(old, Some(new));
    }

    /// A tree of the files a volume plugin writes (relative path, content, mode), with the
    /// directories their paths need.
    pub fn of_files(limits: FsLimits, mtime: i64, files: Vec<(String, Vec<u8>, u32)>) -> Self {
        let mut t = Tree::new(limits, mtime);
        for (path, data, mode) in files {
            t.put_raw(path.trim_start_matches('/'), Node { kind: NodeKind::File(data), mode, mtime, program: None, owner: Owner::ROOT });
        }
        t
    }

    /// Whether `other` holds the same paths with the same kinds, contents and modes (times
    /// aside): the atomic writer's check that a payload needs no write.
    pub fn same_files(&self, other: &Tree) -> bool {
        self.nodes.len() == other.nodes.len()
            && self
                .nodes
                .range_from("")
                .zip(other.nodes.range_from(""))
                .all(|((k, a), (l, b))| k == l && a.kind == b.kind && a.mode == b.mode)
    }

    /// Takes `other`'s files in place of this tree's (a volume written again): everyone who
    /// mounts the tree sees them, and the generation moves on, so no remembered answer outlives
    /// the old files.
    pub fn replace_files(&mut self, other: Tree) {
        let (generation, fs) = (self.generation.max(other.generation) + 1, self.fs);
        self.detach();
        *self = other;
        self.generation = generation;
        self.fs = fs;
    }

    pub fn mkdir(&mut self, rel: &str, mtime: i64) -> Result<(), FsError> {
        self.mkdir_by(rel, mtime, &ROOT)
    }

    /// `mkdir` by a process of `cred`: the directory is its own (with the group and the
    /// set-group-ID bit of a set-group-ID parent).
    pub fn mkdir_by(&mut self, rel: &str, mtime: i64, cred: &Cred) -> Result<(), FsError> {
        if self.nodes.contains_key(rel) {
            return Err(FsError::Exists);
        }
        self.check_parent(rel)?;
        if self.file_count() >= self.limits.max_files || !self.fits(self.blocks + BLOCK) {
            return Err(FsError::NoSpace);
        }
        let parent = self.nodes.get(Self::parent_of(rel));
        let owner = cred.owner_in(parent);
        let mode = 0o755 | parent.map_or(0, |p| p.mode & S_ISGID);
        self.nodes_mut().insert(rel.to_string(), Node { kind: NodeKind::Dir, mode, mtime, program: None, owner });
        self.account(None, Some((0, BLOCK)));
        self.touch_dir(Self::parent_of(rel).to_string(), mtime);
        Ok(())
    }

    /// `mkdir -p` of `rel` in the tree, each directory it makes with `mode` (the kubelet's
    /// SafeMakeDir of a volume's subPath, with the volume root's permissions).
    pub fn make_dirs(&mut self, rel: &str, mode: u32, mtime: i64) -> Result<(), FsError> {
        let mut end = 0;
        for part in rel.split('/') {
            end += part.len();
            let prefix = &rel[..end];
            end += 1;
            match self.get(prefix) {
                Some(n) if n.is_dir() => {}
                Some(_) => return Err(FsError::NotDir),
                None => {
                    self.mkdir(prefix, mtime)?;
                    self.set_mode(prefix, mode)?;
                }
            }
        }
        Ok(())
    }

    fn touch_dir(&mut self, rel: String, mtime: i64) {
        if let Some(n) = self.nodes_mut().get_mut(rel.as_str()) {
            n.mtime = mtime;
        }
    }

    /// Whether the tree can take `rel` going from `old` to `new` (stored bytes, blocks).
    fn room_for(&self, old: (u64, u64), new: (u64, u64)) -> bool {
        let stored = self.bytes - old.0.min(self.bytes) + new.0;
        let blocks = (self.blocks + new.1).saturating_sub(old.1);
        (new.0 <= old.0 || stored <= self.limits.max_bytes) && self.fits(blocks)
    }

    /// The content a file has after `data` is appended to `old`: a repeat of the same bytes
    /// keeps the file a pattern (`echo hi >> f` in a loop holds "hi\n" once).
    fn appended(old: &NodeKind, data: &[u8]) -> NodeKind {
        match old {
            NodeKind::File(d) if !data.is_empty() && d.as_slice() == data => {
                NodeKind::Pattern { head: Vec::new(), unit: Rc::from(data), len: 2 * data.len() as u64 }
            }
            NodeKind::Pattern { head, unit, len } if data.is_empty() || (**unit == *data && len % unit.len() as u64 == 0) => {
                NodeKind::Pattern { head: head.clone(), unit: unit.clone(), len: len + data.len() as u64 }
            }
            NodeKind::Pattern { .. } => {
                let node = Node { kind: old.clone(), mode: 0, mtime: 0, program: None, owner: Owner::ROOT };
                let mut d = node.content(READ_CAP).map(|c| c.into_owned()).unwrap_or_default();
                d.extend_from_slice(data);
                NodeKind::File(d)
            }
            NodeKind::File(d) => {
                let mut d = d.clone();
                d.extend_from_slice(data);
                NodeKind::File(d)
            }
            NodeKind::Dir => NodeKind::Dir,
        }
    }

    /// Write (truncate or append) a regular file, creating it if needed.
    pub fn write(&mut self, rel: &str, data: &[u8], append: bool, mtime: i64) -> Result<(), FsError> {
        self.write_by(rel, data, append, mtime, &ROOT)
    }

    /// `write` by a process of `cred`: a file it creates is its own (see `Cred::owner_in`).
    pub fn write_by(&mut self, rel: &str, data: &[u8], append: bool, mtime: i64, cred: &Cred) -> Result<(), FsError> {
        // (The root of a directory tree is a directory; a single-file tree's root is the file.)
        match self.nodes.get(rel) {
            Some(n) if n.is_dir() => Err(FsError::IsDir),
            Some(n) => {
                let old = Self::measure(n);
                let kind = if append { Self::appended(&n.kind, data) } else { NodeKind::File(data.to_vec()) };
                let probe = Node { kind, mode: 0, mtime: 0, program: None, owner: Owner::ROOT };
                let new = Self::measure(&probe);
                if !self.room_for(old, new) {
                    return Err(FsError::NoSpace);
                }
                let n = self.nodes_mut().get_mut(rel).unwrap();
                n.kind = probe.kind;
                n.mtime = mtime;
                n.program = None;
                self.account(Some(old), Some(new));
                Ok(())
            }
            None => {
                self.check_parent(rel)?;
                let owner = cred.owner_in(self.nodes.get(Self::parent_of(rel)));
                let node = Node { kind: NodeKind::File(data.to_vec()), mode: 0o644, mtime, program: None, owner };
                let new = Self::measure(&node);
                if self.file_count() >= self.limits.max_files || !self.room_for((0, 0), new) {
                    return Err(FsError::NoSpace);
                }
                self.nodes_mut().insert(rel.to_string(), node);
                self.account(None, Some(new));
                self.touch_dir(Self::parent_of(rel).to_string(), mtime);
                Ok(())
            }
        }
    }

    /// The size a file now `file_blocks` big may grow to on the tree's disk (u64::MAX without one).
    fn max_size(&self, file_blocks: u64) -> u64 {
        match &self.disk {
            None => u64::MAX,
            Some((disk, base)) => {
                let max_file_blocks = (self.blocks.max(*base) + disk.free()).saturating_sub(self.blocks - file_blocks);
                max_file_blocks / BLOCK * BLOCK
            }
        }
    }

    /// How many bytes the file `rel` can still grow by before its disk is full (u64::MAX without
    /// a disk), and the disk.
    pub fn room(&self, rel: &str) -> (u64, Option<Rc<Disk>>) {
        let Some(n) = self.nodes.get(rel) else { return (0, None) };
        let room = self.max_size(n.blocks()).saturating_sub(n.size());
        (room, self.disk.as_ref().map(|(d, _)| d.clone()))
    }

    /// Appends up to `n` bytes of `unit` repeated to the file `rel` (which exists), continuing
    /// the repetition where the file's pattern left it (`phase` bytes into `unit`). Returns how
    /// many bytes fit on the tree's disk: fewer than `n` means the disk is full.
    pub fn append_repeated(&mut self, rel: &str, unit: &Rc<[u8]>, phase: u64, n: u64, mtime: i64) -> Result<u64, FsError> {
        let Some(node) = self.nodes.get(rel) else { return Err(FsError::NotFound) };
        if node.is_dir() {
            return Err(FsError::IsDir);
        }
        let old = Self::measure(node);
        let size = node.size();
        let max_size = self.max_size(old.1);
        let written = n.min(max_size.saturating_sub(size));
        if written == 0 {
            return Ok(0);
        }
        let kind = match &node.kind {
            NodeKind::File(d) if d.is_empty() && phase == 0 => NodeKind::Pattern { head: Vec::new(), unit: unit.clone(), len: written },
            // The same repetition goes on (another writer's, out of step, keeps the size and
            // approximates the content).
            NodeKind::Pattern { head, unit: u, len } if **u == **unit => {
                NodeKind::Pattern { head: head.clone(), unit: u.clone(), len: len + written }
            }
            NodeKind::File(d) if (d.len() as u64) < BLOCK * 256 => {
                NodeKind::Pattern { head: d.clone(), unit: rotate(unit, phase), len: written }
            }
            other => {
                // A large file of other content: its size grows, its content is approximated
                // by repeating what it ends with.
                let (head, len) = match other {
                    NodeKind::File(d) => (Vec::new(), d.len() as u64 + written),
                    NodeKind::Pattern { head, len, .. } => (head.clone(), len + written),
                    NodeKind::Dir => unreachable!(),
                };
                NodeKind::Pattern { head, unit: unit.clone(), len }
            }
        };
        let probe = Node { kind, mode: 0, mtime: 0, program: None, owner: Owner::ROOT };
        let new = Self::measure(&probe);
        if !self.room_for(old, new) {
            return Ok(0);
        }
        let n = self.nodes_mut().get_mut(rel).unwrap();
        n.kind = probe.kind;
        n.mtime = mtime;
        n.program = None;
        self.account(Some(old), Some(new));
        Ok(written)
    }

    pub fn set_mtime(&mut self, rel: &str, mtime: i64) -> Result<(), FsError> {
        self.nodes_mut().get_mut(rel).map(|n| n.mtime = mtime).ok_or(FsError::NotFound)
    }

    pub fn set_mode(&mut self, rel: &str, mode: u32) -> Result<(), FsError> {
        self.nodes_mut().get_mut(rel).map(|n| n.mode = mode).ok_or(FsError::NotFound)
    }

    /// The kubelet's `SetVolumeOwnership` of a volume for a pod's `fsGroup` (volume_linux.go's
    /// `changeFilePermission` on every file): each file and directory gets the group, files at
    /// least `r--r-----` (`rw-rw----` for a volume the pod may write), directories also the
    /// set-group-ID bit and `--x--x---`, so what the pod's processes make there keeps the group.
    pub fn set_volume_ownership(&mut self, gid: u32, read_only: bool) {
        let mask = if read_only { 0o440 } else { 0o660 };
        let keys: Vec<String> = self.nodes.range_from("").map(|(k, _)| k.to_string()).collect();
        let nodes = self.nodes_mut();
        for k in keys {
            if let Some(n) = nodes.get_mut(&k) {
                n.owner.gid = gid;
                n.mode |= if n.is_dir() { mask | S_ISGID | 0o110 } else { mask };
            }
        }
    }

    /// Children names of a directory, sorted.
    pub fn list(&self, rel: &str) -> Result<Vec<String>, FsError> {
        match self.nodes.get(rel) {
            None => return Err(FsError::NotFound),
            Some(n) if !n.is_dir() => return Err(FsError::NotDir),
            _ => {}
        }
        let prefix = if rel.is_empty() { String::new() } else { format!("{rel}/") };
        Ok(self
            .nodes
            .range_from(&prefix)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| !k.is_empty() && !k[prefix.len()..].contains('/'))
            .map(|(k, _)| k[prefix.len()..].to_string())
            .collect())
    }

    /// Remove a file, or (recursive) a whole subtree.
    pub fn remove(&mut self, rel: &str, recursive: bool, mtime: i64) -> Result<(), FsError> {
        let node = self.nodes.get(rel).ok_or(FsError::NotFound)?;
        if rel.is_empty() {
            return Err(FsError::Busy);
        }
        if node.is_dir() {
            let children = self.list(rel)?;
            if !children.is_empty() && !recursive {
                return Err(FsError::NotEmpty);
            }
            let prefix = format!("{rel}/");
            let doomed: Vec<String> =
                self.nodes.range_from(&prefix).take_while(|(k, _)| k.starts_with(&prefix)).map(|(k, _)| k.clone()).collect();
            for k in doomed {
                let n = self.nodes_mut().remove(&k).unwrap();
                self.account(Some(Self::measure(&n)), None);
            }
        }
        if let Some(n) = self.nodes_mut().remove(rel) {
            self.account(Some(Self::measure(&n)), None);
        }
        self.touch_dir(Self::parent_of(rel).to_string(), mtime);
        Ok(())
    }

    /// Copy out a subtree (for moves across trees and `cp -r`).
    pub fn subtree(&self, rel: &str) -> Vec<(String, Node)> {
        let mut out = Vec::new();
        if let Some(n) = self.nodes.get(rel) {
            out.push((String::new(), n.clone()));
            let prefix = if rel.is_empty() { String::new() } else { format!("{rel}/") };
            for (k, v) in self.nodes.range_from(&prefix).take_while(|(k, _)| k.starts_with(&prefix)) {
                if !k.is_empty() && k.len() > prefix.len() {
                    out.push((k[prefix.len()..].to_string(), v.clone()));
                }
            }
        }
        out
    }

    /// Insert a subtree produced by `subtree` at `rel` (limits checked).
    pub fn insert_subtree(&mut self, rel: &str, items: Vec<(String, Node)>) -> Result<(), FsError> {
        self.check_parent(rel)?;
        let add_bytes: u64 = items.iter().map(|(_, n)| n.stored()).sum();
        let add_blocks: u64 = items.iter().map(|(_, n)| n.blocks()).sum();
        if self.file_count() + items.len() as u64 > self.limits.max_files
            || self.bytes + add_bytes > self.limits.max_bytes
            || !self.fits(self.blocks + add_blocks)
        {
            return Err(FsError::NoSpace);
        }
        for (k, n) in items {
            let key = if k.is_empty() { rel.to_string() } else { format!("{rel}/{k}") };
            let new = Self::measure(&n);
            let old = self.nodes_mut().insert(key, n).map(|o| Self::measure(&o));
            self.account(old, Some(new));
        }
        Ok(())
    }
}

/// `unit` starting `phase` bytes in (the repetition a writer continues).
fn rotate(unit: &Rc<[u8]>, phase: u64) -> Rc<[u8]> {
    let k = (phase % unit.len() as u64) as usize;
    if k == 0 {
        return unit.clone();
    }
    let mut v = unit[k..].to_vec();
    v.extend_from_slice(&unit[..k]);
    Rc::from(v)
}

pub type TreeId = usize;

#[derive(Clone, Debug)]
pub struct Mount {
    /// Absolute, normalised mount point (e.g. `/usr/share/nginx/html`).
    pub path: String,
    pub tree: TreeId,
    pub read_only: bool,
    /// The part of the tree mounted (a volume's `subPath`, relative, normalised); empty: all
    /// of it.
    pub sub: String,
}

/// Normalise an absolute or cwd-relative path: resolves `.`/`..`, collapses slashes.
pub fn normalize(cwd: &str, path: &str) -> String {
    let full = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for p in full.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The directory `abs` is in (`/` for a top-level name).
fn parent_dir(abs: &str) -> String {
    match abs.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => abs[..i].to_string(),
    }
}

/// A container's view: its root tree plus mounts (longest mount point wins).
pub struct View<'a> {
    pub trees: &'a mut Vec<Tree>,
    pub root: TreeId,
    pub mounts: &'a [Mount],
    pub now_secs: i64,
    /// Who the process looking is: what its files' modes let it do.
    pub cred: &'a Cred,
    /// The root filesystem is mounted read-only (`readOnlyRootFilesystem`).
    pub root_read_only: bool,
}

impl<'a> View<'a> {
    /// Map an absolute normalised path to (tree, relative path, read-only). Allocation-free
    /// but under a `subPath` mount: every probe, PATH lookup and file access goes through here.
    pub fn locate<'p>(&self, abs: &'p str) -> (TreeId, Cow<'p, str>, bool) {
        let mut best: Option<&Mount> = None;
        for m in self.mounts {
            let inside = abs.starts_with(m.path.as_str()) && (abs.len() == m.path.len() || abs.as_bytes()[m.path.len()] == b'/');
            if inside && best.map(|b| b.path.len() < m.path.len()).unwrap_or(true) {
                best = Some(m);
            }
        }
        match best {
            Some(m) => {
                let rest = abs[m.path.len()..].trim_start_matches('/');
                let rel = match (m.sub.is_empty(), rest.is_empty()) {
                    (true, _) => Cow::Borrowed(rest),
                    (false, true) => Cow::Owned(m.sub.clone()),
                    (false, false) => Cow::Owned(format!("{}/{rest}", m.sub)),
                };
                (m.tree, rel, m.read_only)
            }
            None => (self.root, Cow::Borrowed(abs.trim_start_matches('/')), self.root_read_only),
        }
    }

    /// The node at `abs`, without telling why it is missing (PATH lookups).
    pub fn node(&self, abs: &str) -> Option<&Node> {
        let (t, rel, _) = self.locate(abs);
        self.trees[t].get(&rel)
    }

    pub fn stat(&self, abs: &str) -> Result<&Node, FsError> {
        if !self.cred.is_root() {
            self.search_to(abs)?;
        }
        let (t, rel, _) = self.locate(abs);
        if let Some(n) = self.trees[t].get(&rel) {
            return Ok(n);
        }
        // A missing or non-directory component along the way gives ENOENT/ENOTDIR like the kernel.
        let mut end = 0;
        while let Some(i) = abs.get(end + 1..).and_then(|rest| rest.find('/')) {
            end += 1 + i;
            let (t, rel, _) = self.locate(&abs[..end]);
            match self.trees[t].get(&rel) {
                None => return Err(FsError::NotFound),
                Some(n) if !n.is_dir() => return Err(FsError::NotDir),
                _ => {}
            }
        }
        Err(FsError::NotFound)
    }

    /// The path walk's permission check: each directory above `abs` must let this process
    /// search it (`/root` is `drwx------`). Only what exists is checked here; `stat` tells
    /// what is missing.
    fn search_to(&self, abs: &str) -> Result<(), FsError> {
        let mut end = 0;
        while let Some(i) = abs.get(end + 1..).and_then(|rest| rest.find('/')) {
            let dir = if end == 0 { "/" } else { &abs[..end] };
            end += 1 + i;
            let (t, rel, _) = self.locate(dir);
            match self.trees[t].get(&rel) {
                Some(n) if n.is_dir() && !self.cred.may(n, Access::Search) => return Err(FsError::Access),
                Some(n) if n.is_dir() => {}
                _ => return Ok(()),
            }
        }
        let dir = if end == 0 { "/" } else { &abs[..end] };
        let (t, rel, _) = self.locate(dir);
        match self.trees[t].get(&rel) {
            Some(n) if n.is_dir() && !self.cred.may(n, Access::Search) => Err(FsError::Access),
            _ => Ok(()),
        }
    }

    /// `Access` unless this process may `want` the file at `abs` (which exists).
    fn check(&self, abs: &str, want: Access) -> Result<(), FsError> {
        if self.cred.is_root() {
            return Ok(());
        }
        match self.cred.may(self.stat(abs)?, want) {
            true => Ok(()),
            false => Err(FsError::Access),
        }
    }

    pub fn exists(&self, abs: &str) -> bool {
        self.stat(abs).is_ok()
    }

    /// `statfs(2)` of `abs`: the kind of filesystem it is on (the path walks as `stat`'s does).
    pub fn statfs(&self, abs: &str) -> Result<FsKind, FsError> {
        self.stat(abs)?;
        let (t, _, _) = self.locate(abs);
        Ok(self.trees[t].fs_kind())
    }

    pub fn is_dir(&self, abs: &str) -> bool {
        self.stat(abs).map(|n| n.is_dir()).unwrap_or(false)
    }

    /// A file's content (a long pattern file up to `READ_CAP`; `/dev/zero`, which never ends,
    /// as one 64 KiB read: the programs that stream it (`cat`, `dd`, `head -c`) do not come here).
    pub fn read(&self, abs: &str) -> Result<Vec<u8>, FsError> {
        if abs == "/dev/zero" {
            return Ok(vec![0; 64 << 10]);
        }
        let node = self.stat(abs)?;
        if !node.is_dir() && !self.cred.may(node, Access::Read) {
            return Err(FsError::Access);
        }
        match node.content(READ_CAP) {
            Some(c) => Ok(c.into_owned()),
            None => Err(FsError::IsDir),
        }
    }

    /// How many bytes the file `abs` can still grow by, and the disk it is on (see `Tree::room`).
    pub fn room(&self, abs: &str) -> (u64, Option<Rc<Disk>>) {
        let (t, rel, _) = self.locate(abs);
        self.trees[t].room(&rel)
    }

    /// Appends up to `n` bytes of `unit` repeated (continuing `phase` bytes into it) to the
    /// existing file `abs`; how many fit on its filesystem (see `Tree::append_repeated`).
    pub fn append_repeated(&mut self, abs: &str, unit: &Rc<[u8]>, phase: u64, n: u64) -> Result<u64, FsError> {
        if abs == "/dev/null" || abs == "/dev/zero" {
            return Ok(n);
        }
        let (t, rel) = self.writable(abs, false)?;
        self.check(abs, Access::Write)?;
        self.trees[t].append_repeated(&rel, unit, phase, n, self.now_secs)
    }

    /// Where `abs` is, if this process may change it: its filesystem is writable, its parent a
    /// directory, and, where the change makes or removes `abs` itself (`entry`), the parent
    /// lets this process write and search it.
    fn writable(&self, abs: &str, entry: bool) -> Result<(TreeId, String), FsError> {
        let (t, rel, ro) = self.locate(abs);
        if ro {
            return Err(FsError::ReadOnly);
        }
        // Parent must exist as a directory (possibly through another tree for mount roots).
        if !rel.is_empty() || t == self.root {
            match self.stat(&parent_dir(abs)) {
                Ok(n) if !n.is_dir() => return Err(FsError::NotDir),
                Err(e) => return Err(e),
                Ok(n) if entry && !(self.cred.may(n, Access::Write) && self.cred.may(n, Access::Search)) => return Err(FsError::Access),
                _ => {}
            }
        }
        Ok((t, rel.to_string()))
    }

    pub fn write(&mut self, abs: &str, data: &[u8], append: bool) -> Result<(), FsError> {
        if abs == "/dev/null" || abs == "/dev/zero" {
            // The null and zero devices swallow everything.
            return Ok(());
        }
        if self.cred.is_root() {
            let (t, rel) = self.writable(abs, false)?;
            return self.trees[t].write_by(&rel, data, append, self.now_secs, self.cred);
        }
        let exists = self.exists(abs);
        let (t, rel) = self.writable(abs, !exists)?;
        if exists {
            self.check(abs, Access::Write)?;
        }
        self.trees[t].write_by(&rel, data, append, self.now_secs, self.cred)
    }

    pub fn mkdir(&mut self, abs: &str) -> Result<(), FsError> {
        if self.exists(abs) {
            return Err(FsError::Exists);
        }
        let (t, rel) = self.writable(abs, true)?;
        self.trees[t].mkdir_by(&rel, self.now_secs, self.cred)
    }

    pub fn mkdir_p(&mut self, abs: &str) -> Result<(), FsError> {
        let mut acc = String::new();
        for c in abs.split('/').filter(|c| !c.is_empty()) {
            acc.push('/');
            acc.push_str(c);
            match self.stat(&acc) {
                Ok(n) if n.is_dir() => continue,
                Ok(_) => return Err(FsError::NotDir),
                Err(FsError::NotFound) => self.mkdir(&acc)?,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    pub fn remove(&mut self, abs: &str, recursive: bool) -> Result<(), FsError> {
        self.stat(abs)?;
        if self.mounts.iter().any(|m| m.path == abs) {
            return Err(FsError::Busy);
        }
        let (t, rel) = self.writable(abs, true)?;
        self.check_sticky(abs)?;
        let now = self.now_secs;
        // Mount points below a removed directory stay (the kernel refuses: EBUSY); keep it simple
        // and remove only what belongs to this tree.
        self.trees[t].remove(&rel, recursive, now)
    }

    pub fn list(&self, abs: &str) -> Result<Vec<String>, FsError> {
        if !self.cred.is_root() && self.stat(abs).is_ok_and(|n| n.is_dir()) {
            self.check(abs, Access::Read)?;
        }
        let (t, rel, _) = self.locate(abs);
        let mut names = match self.trees[t].list(&rel) {
            Ok(v) => v,
            Err(FsError::NotFound) => return Err(self.stat(abs).err().unwrap_or(FsError::NotFound)),
            Err(e) => return Err(e),
        };
        // Mount points directly below this directory show up as entries.
        let prefix = if abs == "/" { "/".to_string() } else { format!("{abs}/") };
        for m in self.mounts {
            if let Some(rest) = m.path.strip_prefix(&prefix) {
                if !rest.is_empty() && !rest.contains('/') && !names.iter().any(|n| n == rest) {
                    names.push(rest.to_string());
                }
            }
        }
        podplay_k8s_util::sort::sort(&mut names);
        Ok(names)
    }

    pub fn touch(&mut self, abs: &str) -> Result<(), FsError> {
        if self.exists(abs) {
            let (t, rel, ro) = self.locate(abs);
            if ro {
                return Err(FsError::ReadOnly);
            }
            // utimensat with the current time: the owner, or whoever may write the file.
            if self.stat(abs)?.owner.uid != self.cred.uid {
                self.check(abs, Access::Write)?;
            }
            let now = self.now_secs;
            return self.trees[t].set_mtime(&rel, now);
        }
        self.write(abs, b"", true)
    }

    pub fn chmod(&mut self, abs: &str, mode: u32) -> Result<(), FsError> {
        let owner = self.stat(abs)?.owner;
        let (t, rel, ro) = self.locate(abs);
        if ro {
            return Err(FsError::ReadOnly);
        }
        if !self.cred.is_root() && owner.uid != self.cred.uid {
            return Err(FsError::NotPermitted);
        }
        self.trees[t].set_mode(&rel, mode)
    }

    /// In a sticky directory (`/tmp`), only the file's owner, the directory's or root may
    /// remove or rename an entry (EPERM otherwise).
    fn check_sticky(&self, abs: &str) -> Result<(), FsError> {
        if self.cred.is_root() {
            return Ok(());
        }
        let parent = self.stat(&parent_dir(abs))?;
        let node = self.stat(abs)?;
        if parent.mode & 0o1000 != 0 && node.owner.uid != self.cred.uid && parent.owner.uid != self.cred.uid {
            return Err(FsError::NotPermitted);
        }
        Ok(())
    }

    /// Copy (`cp`, `cp -r`) or move a file/subtree, possibly across trees.
    pub fn copy(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        if !self.cred.is_root() && !self.stat(from)?.is_dir() {
            self.check(from, Access::Read)?;
        }
        let (ft, frel, _) = self.locate(from);
        let mut items = self.trees[ft].subtree(&frel);
        if items.is_empty() {
            return Err(FsError::NotFound);
        }
        for (_, n) in items.iter_mut() {
            n.mtime = self.now_secs;
        }
        if self.is_dir(to) {
            return Err(FsError::IsDir);
        }
        let (tt, trel) = self.writable(to, true)?;
        let owner = self.cred.owner_in(self.stat(&parent_dir(to)).ok());
        for (_, n) in items.iter_mut() {
            n.owner = owner;
        }
        if self.trees[tt].get(&trel).is_some() {
            let now = self.now_secs;
            self.trees[tt].remove(&trel, true, now)?;
        }
        self.trees[tt].insert_subtree(&trel, items)
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        self.stat(from)?;
        let (ft, frel, _) = self.locate(from);
        let items = self.trees[ft].subtree(&frel);
        self.writable(from, true)?;
        self.check_sticky(from)?;
        let (tt, trel) = self.writable(to, true)?;
        if self.trees[tt].get(&trel).is_some() {
            let now = self.now_secs;
            self.trees[tt].remove(&trel, true, now)?;
        }
        self.trees[tt].insert_subtree(&trel, items)?;
        let now = self.now_secs;
        self.trees[ft].remove(&frel, true, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Vec<Tree>, Vec<Mount>) {
        let mut root = Tree::new(FsLimits::default(), 0);
        root.put_raw("tmp", Node { kind: NodeKind::Dir, mode: 0o1777, mtime: 0, program: None, owner: Owner::ROOT });
        root.put_raw(
            "etc/passwd",
            Node { kind: NodeKind::File(b"root\n".to_vec()), mode: 0o644, mtime: 0, program: None, owner: Owner::ROOT },
        );
        let vol = Tree::new(FsLimits { max_bytes: 10, max_files: 3 }, 0);
        (vec![root, vol], vec![Mount { path: "/data".into(), tree: 1, read_only: false, sub: String::new() }])
    }

    #[test]
    fn a_sub_path_mount_shows_part_of_its_tree() {
        let (mut trees, mut mounts) = setup();
        trees[1] = Tree::new(FsLimits::default(), 0);
        trees[1].make_dirs("a/b", 0o777, 0).unwrap();
        mounts.push(Mount { path: "/sub".into(), tree: 1, read_only: false, sub: "a/b".into() });
        let mut v = View { trees: &mut trees, root: 0, mounts: &mounts, now_secs: 0, cred: &ROOT, root_read_only: false };
        v.write("/sub/f", b"x", false).unwrap();
        assert_eq!(v.read("/data/a/b/f").unwrap(), b"x");
        assert!(v.is_dir("/sub"));
        assert_eq!(v.list("/sub").unwrap(), vec!["f".to_string()]);
        assert_eq!(trees[1].get("a").map(|n| n.mode), Some(0o777));
    }

    /// `generic_permission`: the owner's, the group's or the others' bits; root passes all but
    /// executing a file no one may execute (what execve and PATH lookups ask).
    #[test]
    fn permissions_are_the_owners_the_groups_or_the_others() {
        let file = |mode, uid, gid| Node { kind: NodeKind::File(Vec::new()), mode, mtime: 0, program: None, owner: Owner { uid, gid } };
        let user = Cred { uid: 1000, gid: 1000, groups: vec![1000, 2000], ..Cred::default() };
        assert!(!user.may(&file(0o744, 0, 0), Access::Search), "root's rwxr--r--: not runnable by another user");
        assert!(user.may(&file(0o744, 1000, 0), Access::Search), "but by its owner");
        assert!(user.may(&file(0o640, 0, 2000), Access::Read) && !user.may(&file(0o640, 0, 2000), Access::Write));
        assert!(!user.may(&file(0o004, 1000, 0), Access::Read), "the owner's bits, not the others'");
        let root = Cred::root();
        assert!(root.may(&file(0o000, 5, 5), Access::Read) && root.may(&file(0o000, 5, 5), Access::Write));
        assert!(!root.may(&file(0o644, 0, 0), Access::Search) && root.may(&file(0o100, 5, 5), Access::Search));
    }

    #[test]
    fn tail_of_a_file_and_of_a_pattern() {
        let file = Node { kind: NodeKind::File(b"hello world".to_vec()), mode: 0o644, mtime: 0, program: None, owner: Owner::ROOT };
        assert_eq!(file.tail(5), Some(b"world".to_vec()));
        assert_eq!(file.tail(100), Some(b"hello world".to_vec()));
        let unit: Rc<[u8]> = Rc::from(&b"abc"[..]);
        let pattern = Node {
            kind: NodeKind::Pattern { head: b"xy".to_vec(), unit, len: 7 },
            mode: 0o644,
            mtime: 0,
            program: None,
            owner: Owner::ROOT,
        };
        // "xy" then "abcabca": the last four bytes.
        assert_eq!(pattern.tail(4), Some(b"abca".to_vec()));
        assert_eq!(pattern.tail(100), Some(b"xyabcabca".to_vec()));
    }

    #[test]
    fn normalize_paths() {
        assert_eq!(normalize("/", "a/./b/../c"), "/a/c");
        assert_eq!(normalize("/x", ".."), "/");
        assert_eq!(normalize("/x", "//y//z/"), "/y/z");
    }

    #[test]
    fn write_read_remove() {
        let (mut trees, mounts) = setup();
        let mut v = View { trees: &mut trees, root: 0, mounts: &mounts, now_secs: 5, cred: &ROOT, root_read_only: false };
        v.write("/tmp/a", b"hi", false).unwrap();
        v.write("/tmp/a", b"!", true).unwrap();
        assert_eq!(v.read("/tmp/a").unwrap(), b"hi!");
        assert_eq!(v.write("/x/y", b"", false), Err(FsError::NotFound));
        assert_eq!(v.write("/etc/passwd/x", b"", false), Err(FsError::NotDir));
        assert_eq!(v.read("/tmp"), Err(FsError::IsDir));
        v.remove("/tmp/a", false).unwrap();
        assert!(!v.exists("/tmp/a"));
        assert_eq!(v.remove("/tmp/a", false), Err(FsError::NotFound));
    }

    #[test]
    fn mounts_and_limits() {
        let (mut trees, mounts) = setup();
        let mut v = View { trees: &mut trees, root: 0, mounts: &mounts, now_secs: 5, cred: &ROOT, root_read_only: false };
        assert!(v.is_dir("/data"));
        v.write("/data/f", b"12345", false).unwrap();
        assert_eq!(v.write("/data/g", b"123456", false), Err(FsError::NoSpace));
        v.mkdir("/data/d").unwrap();
        assert_eq!(v.write("/data/h", b"", false), Err(FsError::NoSpace), "file count limit");
        assert_eq!(v.list("/").unwrap(), vec!["data", "etc", "tmp"]);
        assert_eq!(trees[1].get("f").map(|n| n.size()), Some(5));
        assert!(trees[0].get("data/f").is_none());
    }

    #[test]
    fn mkdir_p_and_rename_across_trees() {
        let (mut trees, mounts) = setup();
        let mut v = View { trees: &mut trees, root: 0, mounts: &mounts, now_secs: 5, cred: &ROOT, root_read_only: false };
        v.mkdir_p("/tmp/a/b").unwrap();
        assert!(v.is_dir("/tmp/a/b"));
        assert_eq!(v.mkdir("/tmp/a"), Err(FsError::Exists));
        v.write("/tmp/a/b/x", b"1", false).unwrap();
        v.rename("/tmp/a/b/x", "/data/x").unwrap();
        assert_eq!(v.read("/data/x").unwrap(), b"1");
        assert!(!v.exists("/tmp/a/b/x"));
        v.remove("/tmp/a", true).unwrap();
        assert!(!v.exists("/tmp/a/b"));
    }
}
