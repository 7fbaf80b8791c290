//! Filesystem trees and a per-container view over them.
//!
//! A container sees its own writable layer (a copy of the image's files, see `images`) with
//! volumes mounted over sub-paths. `emptyDir` volumes are separate trees shared by every container
//! of a sandbox. Every tree has limits on total bytes and file count so a runaway `yes > /tmp/x`
//! ends with `No space left on device` instead of exhausting the host.

use std::collections::BTreeMap;
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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub mode: u32,
    /// Modification time, seconds since the Unix epoch.
    pub mtime: i64,
    pub program: Option<Program>,
}

impl Node {
    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir)
    }
    pub fn size(&self) -> u64 {
        match &self.kind {
            NodeKind::File(d) => d.len() as u64,
            NodeKind::Dir => 4096,
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

/// One directory tree: keys are paths relative to the tree root without a leading slash
/// (`""` is the root itself).
///
/// The nodes are shared copy-on-write: every container of an image starts from one clone of
/// the image's tree, and only a container that writes pays for its own copy. `generation`
/// counts mutations, so a cached answer computed from this tree can tell it is still valid.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Rc<BTreeMap<String, Node>>,
    bytes: u64,
    limits: FsLimits,
    generation: u64,
}

impl Tree {
    pub fn new(limits: FsLimits, mtime: i64) -> Self {
        let mut nodes = BTreeMap::new();
        nodes.insert(String::new(), Node { kind: NodeKind::Dir, mode: 0o755, mtime, program: None });
        Tree { nodes: Rc::new(nodes), bytes: 0, limits, generation: 0 }
    }

    /// A tree that is a single file (a bind-mounted file such as `/etc/hosts`).
    pub fn single_file(limits: FsLimits, node: Node) -> Self {
        let bytes = node.size();
        Tree { nodes: Rc::new(BTreeMap::from([(String::new(), node)])), bytes, limits, generation: 0 }
    }

    pub fn get(&self, rel: &str) -> Option<&Node> {
        self.nodes.get(rel)
    }

    /// Mutations go through here: the first one un-shares the nodes.
    fn nodes_mut(&mut self) -> &mut BTreeMap<String, Node> {
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
            self.nodes_mut().entry(next.clone()).or_insert(Node { kind: NodeKind::Dir, mode: 0o755, mtime, program: None });
            acc = next;
        }
        if let Some(old) = self.nodes.get(rel) {
            self.bytes -= if old.is_dir() { 0 } else { old.size() };
        }
        self.bytes += if node.is_dir() { 0 } else { node.size() };
        self.nodes_mut().insert(rel.to_string(), node);
    }

    pub fn mkdir(&mut self, rel: &str, mtime: i64) -> Result<(), FsError> {
        if self.nodes.contains_key(rel) {
            return Err(FsError::Exists);
        }
        self.check_parent(rel)?;
        if self.file_count() >= self.limits.max_files {
            return Err(FsError::NoSpace);
        }
        self.nodes_mut().insert(rel.to_string(), Node { kind: NodeKind::Dir, mode: 0o755, mtime, program: None });
        self.touch_dir(Self::parent_of(rel).to_string(), mtime);
        Ok(())
    }

    fn touch_dir(&mut self, rel: String, mtime: i64) {
        if let Some(n) = self.nodes_mut().get_mut(&rel) {
            n.mtime = mtime;
        }
    }

    /// Write (truncate or append) a regular file, creating it if needed.
    pub fn write(&mut self, rel: &str, data: &[u8], append: bool, mtime: i64) -> Result<(), FsError> {
        // (The root of a directory tree is a directory; a single-file tree's root is the file.)
        match self.nodes.get(rel) {
            Some(n) if n.is_dir() => Err(FsError::IsDir),
            Some(n) => {
                let old = n.size();
                let new_size = if append { old + data.len() as u64 } else { data.len() as u64 };
                if self.bytes - old + new_size > self.limits.max_bytes {
                    return Err(FsError::NoSpace);
                }
                self.bytes = self.bytes - old + new_size;
                let n = self.nodes_mut().get_mut(rel).unwrap();
                if let NodeKind::File(d) = &mut n.kind {
                    if !append {
                        d.clear();
                    }
                    d.extend_from_slice(data);
                }
                n.mtime = mtime;
                n.program = None;
                Ok(())
            }
            None => {
                self.check_parent(rel)?;
                if self.file_count() >= self.limits.max_files || self.bytes + data.len() as u64 > self.limits.max_bytes {
                    return Err(FsError::NoSpace);
                }
                self.bytes += data.len() as u64;
                self.nodes_mut().insert(rel.to_string(), Node { kind: NodeKind::File(data.to_vec()), mode: 0o644, mtime, program: None });
                self.touch_dir(Self::parent_of(rel).to_string(), mtime);
                Ok(())
            }
        }
    }

    pub fn set_mtime(&mut self, rel: &str, mtime: i64) -> Result<(), FsError> {
        self.nodes_mut().get_mut(rel).map(|n| n.mtime = mtime).ok_or(FsError::NotFound)
    }

    pub fn set_mode(&mut self, rel: &str, mode: u32) -> Result<(), FsError> {
        self.nodes_mut().get_mut(rel).map(|n| n.mode = mode).ok_or(FsError::NotFound)
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
            .range(prefix.clone()..)
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
                self.nodes.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)).map(|(k, _)| k.clone()).collect();
            for k in doomed {
                let n = self.nodes_mut().remove(&k).unwrap();
                if !n.is_dir() {
                    self.bytes -= n.size();
                }
            }
        } else {
            self.bytes -= node.size();
        }
        self.nodes_mut().remove(rel);
        self.touch_dir(Self::parent_of(rel).to_string(), mtime);
        Ok(())
    }

    /// Copy out a subtree (for moves across trees and `cp -r`).
    pub fn subtree(&self, rel: &str) -> Vec<(String, Node)> {
        let mut out = Vec::new();
        if let Some(n) = self.nodes.get(rel) {
            out.push((String::new(), n.clone()));
            let prefix = if rel.is_empty() { String::new() } else { format!("{rel}/") };
            for (k, v) in self.nodes.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)) {
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
        let add_bytes: u64 = items.iter().filter(|(_, n)| !n.is_dir()).map(|(_, n)| n.size()).sum();
        if self.file_count() + items.len() as u64 > self.limits.max_files || self.bytes + add_bytes > self.limits.max_bytes {
            return Err(FsError::NoSpace);
        }
        for (k, n) in items {
            let key = if k.is_empty() { rel.to_string() } else { format!("{rel}/{k}") };
            if !n.is_dir() {
                self.bytes += n.size();
            }
            if let Some(old) = self.nodes_mut().insert(key, n) {
                if !old.is_dir() {
                    self.bytes -= old.size();
                }
            }
        }
        Ok(())
    }
}

pub type TreeId = usize;

#[derive(Clone, Debug)]
pub struct Mount {
    /// Absolute, normalised mount point (e.g. `/usr/share/nginx/html`).
    pub path: String,
    pub tree: TreeId,
    pub read_only: bool,
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

/// A container's view: its root tree plus mounts (longest mount point wins).
pub struct View<'a> {
    pub trees: &'a mut Vec<Tree>,
    pub root: TreeId,
    pub mounts: &'a [Mount],
    pub now_secs: i64,
}

impl<'a> View<'a> {
    /// Map an absolute normalised path to (tree, relative path, read-only). Allocation-free:
    /// every probe, PATH lookup and file access goes through here.
    pub fn locate<'p>(&self, abs: &'p str) -> (TreeId, &'p str, bool) {
        let mut best: Option<&Mount> = None;
        for m in self.mounts {
            let inside = abs.starts_with(m.path.as_str()) && (abs.len() == m.path.len() || abs.as_bytes()[m.path.len()] == b'/');
            if inside && best.map(|b| b.path.len() < m.path.len()).unwrap_or(true) {
                best = Some(m);
            }
        }
        match best {
            Some(m) => (m.tree, abs[m.path.len()..].trim_start_matches('/'), m.read_only),
            None => (self.root, abs.trim_start_matches('/'), false),
        }
    }

    /// The node at `abs`, without telling why it is missing (PATH lookups).
    pub fn node(&self, abs: &str) -> Option<&Node> {
        let (t, rel, _) = self.locate(abs);
        self.trees[t].get(rel)
    }

    pub fn stat(&self, abs: &str) -> Result<&Node, FsError> {
        let (t, rel, _) = self.locate(abs);
        if let Some(n) = self.trees[t].get(rel) {
            return Ok(n);
        }
        // A missing or non-directory component along the way gives ENOENT/ENOTDIR like the kernel.
        let mut end = 0;
        while let Some(i) = abs.get(end + 1..).and_then(|rest| rest.find('/')) {
            end += 1 + i;
            let (t, rel, _) = self.locate(&abs[..end]);
            match self.trees[t].get(rel) {
                None => return Err(FsError::NotFound),
                Some(n) if !n.is_dir() => return Err(FsError::NotDir),
                _ => {}
            }
        }
        Err(FsError::NotFound)
    }

    pub fn exists(&self, abs: &str) -> bool {
        self.stat(abs).is_ok()
    }

    pub fn is_dir(&self, abs: &str) -> bool {
        self.stat(abs).map(|n| n.is_dir()).unwrap_or(false)
    }

    pub fn read(&self, abs: &str) -> Result<Vec<u8>, FsError> {
        match &self.stat(abs)?.kind {
            NodeKind::File(d) => Ok(d.clone()),
            NodeKind::Dir => Err(FsError::IsDir),
        }
    }

    fn writable(&self, abs: &str) -> Result<(TreeId, String), FsError> {
        let (t, rel, ro) = self.locate(abs);
        if ro {
            return Err(FsError::ReadOnly);
        }
        // Parent must exist as a directory (possibly through another tree for mount roots).
        if !rel.is_empty() || t == self.root {
            let parent = match abs.rfind('/') {
                Some(0) => "/".to_string(),
                Some(i) => abs[..i].to_string(),
                None => "/".to_string(),
            };
            match self.stat(&parent) {
                Ok(n) if !n.is_dir() => return Err(FsError::NotDir),
                Err(e) => return Err(e),
                _ => {}
            }
        }
        Ok((t, rel.to_string()))
    }

    pub fn write(&mut self, abs: &str, data: &[u8], append: bool) -> Result<(), FsError> {
        if abs == "/dev/null" {
            // The null device swallows everything.
            return Ok(());
        }
        let (t, rel) = self.writable(abs)?;
        self.trees[t].write(&rel, data, append, self.now_secs)
    }

    pub fn mkdir(&mut self, abs: &str) -> Result<(), FsError> {
        if self.exists(abs) {
            return Err(FsError::Exists);
        }
        let (t, rel) = self.writable(abs)?;
        self.trees[t].mkdir(&rel, self.now_secs)
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
        let (t, rel) = self.writable(abs)?;
        let now = self.now_secs;
        // Mount points below a removed directory stay (the kernel refuses: EBUSY); keep it simple
        // and remove only what belongs to this tree.
        self.trees[t].remove(&rel, recursive, now)
    }

    pub fn list(&self, abs: &str) -> Result<Vec<String>, FsError> {
        let (t, rel, _) = self.locate(abs);
        let mut names = match self.trees[t].list(rel) {
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
        names.sort();
        Ok(names)
    }

    pub fn touch(&mut self, abs: &str) -> Result<(), FsError> {
        if self.exists(abs) {
            let (t, rel, _) = self.locate(abs);
            let now = self.now_secs;
            return self.trees[t].set_mtime(rel, now);
        }
        self.write(abs, b"", true)
    }

    pub fn chmod(&mut self, abs: &str, mode: u32) -> Result<(), FsError> {
        self.stat(abs)?;
        let (t, rel, _) = self.locate(abs);
        self.trees[t].set_mode(rel, mode)
    }

    /// Copy (`cp`, `cp -r`) or move a file/subtree, possibly across trees.
    pub fn copy(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let (ft, frel, _) = self.locate(from);
        let mut items = self.trees[ft].subtree(frel);
        if items.is_empty() {
            return Err(FsError::NotFound);
        }
        for (_, n) in items.iter_mut() {
            n.mtime = self.now_secs;
        }
        if self.is_dir(to) {
            return Err(FsError::IsDir);
        }
        let (tt, trel) = self.writable(to)?;
        if self.trees[tt].get(&trel).is_some() {
            let now = self.now_secs;
            self.trees[tt].remove(&trel, true, now)?;
        }
        self.trees[tt].insert_subtree(&trel, items)
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        self.stat(from)?;
        let (ft, frel, _) = self.locate(from);
        let items = self.trees[ft].subtree(frel);
        let (tt, trel) = self.writable(to)?;
        if self.trees[tt].get(&trel).is_some() {
            let now = self.now_secs;
            self.trees[tt].remove(&trel, true, now)?;
        }
        self.trees[tt].insert_subtree(&trel, items)?;
        let now = self.now_secs;
        self.trees[ft].remove(frel, true, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Vec<Tree>, Vec<Mount>) {
        let mut root = Tree::new(FsLimits::default(), 0);
        root.put_raw("tmp", Node { kind: NodeKind::Dir, mode: 0o1777, mtime: 0, program: None });
        root.put_raw("etc/passwd", Node { kind: NodeKind::File(b"root\n".to_vec()), mode: 0o644, mtime: 0, program: None });
        let vol = Tree::new(FsLimits { max_bytes: 10, max_files: 3 }, 0);
        (vec![root, vol], vec![Mount { path: "/data".into(), tree: 1, read_only: false }])
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
        let mut v = View { trees: &mut trees, root: 0, mounts: &mounts, now_secs: 5 };
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
        let mut v = View { trees: &mut trees, root: 0, mounts: &mounts, now_secs: 5 };
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
        let mut v = View { trees: &mut trees, root: 0, mounts: &mounts, now_secs: 5 };
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
