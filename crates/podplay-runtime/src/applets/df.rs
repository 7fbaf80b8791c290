//! busybox `df` (coreutils/df.c): `df [-k|-m|-P] [PATH]...`, each filesystem's size, use and
//! room from `statvfs`, in 1 KiB blocks (`-m`: MiB; `-P`: POSIX's header, `1024-blocks` and
//! `Capacity`):
//!
//! ```text
//! Filesystem           1K-blocks      Used Available Use% Mounted on
//! tmpfs                    10240         0     10240   0% /usr/share/volumeshare
//! ```
//!
//! The device is `%-20s` (a longer one gets a line of its own), then `" %9s "`, `"%9s "`,
//! `"%9s %3u%% %s\n"`; each number is `make_human_readable_str(blocks, f_frsize, unit)`:
//! bytes rounded to the nearest unit (`(v + unit/2) / unit`), `0` for none. `Use%` is
//! `used * 100 / (used + avail)`, rounded to nearest. Without paths it lists the container's
//! mounts as `/proc/mounts` has them, skipping those with no blocks (`proc`, `sysfs`,
//! `devpts`, `mqueue`, `cgroup`): the root's overlay (the node's disk), runc's `/dev` tmpfs
//! (`size=65536k`), then the mounts the kubelet and containerd add (`WithMounts`: the
//! kubelet's, then `/etc/hostname`, `/etc/resolv.conf` and the `/dev/shm` of 64 MiB,
//! `sort.Stable` by how many parts their paths have). The node's disk is `/dev/sda1` (ext4);
//! podplay keeps no reserved blocks, so `Available` is what is free. runc's tmpfs over the
//! masked `/proc` and `/sys` paths is left out. A PATH's line is its filesystem's, under its
//! mount point (`df: P: can't find mount point` where it is not there). `-h`, `-T`, `-a`, `-i`
//! and `-B`, and `df` of an image with GNU coreutils, end with a podplay error.

use super::*;
use crate::fs::{FsKind, View};

/// runc's `/dev` and containerd's `/dev/shm`: 64 MiB tmpfs, nothing in them.
const DEV_TMPFS: u64 = 64 << 20;

/// One line's filesystem: device, size and used bytes, mount point.
struct Entry {
    device: &'static str,
    size: u64,
    used: u64,
    mount: String,
}

/// The filesystem a mount (or the root, `tree` None) is, as `statvfs` tells it.
fn entry(view: &View, tree: Option<usize>, mount: &str) -> Entry {
    let root = &view.trees[view.root];
    let t = tree.map_or(root, |t| &view.trees[t]);
    let kind = t.fs_kind();
    // The root's overlay and the node's files report the node's disk; a single file the
    // kubelet bound in has no disk of its own here: the root's.
    let usage = t.disk_usage().or_else(|| if kind == FsKind::Disk { root.disk_usage() } else { None });
    let (size, used) = usage.unwrap_or((DEV_TMPFS, 0));
    Entry { device: kind.device(), size, used, mount: mount.to_string() }
}

/// The container's mounts in `/proc/mounts`' order (see the module's note).
fn mounts(view: &View) -> Vec<Entry> {
    let mut list = vec![entry(view, None, "/"), Entry { device: "tmpfs", size: DEV_TMPFS, used: 0, mount: "/dev".into() }];
    let mut added: Vec<Entry> = Vec::new();
    let extra = ["/etc/hostname", "/etc/resolv.conf"];
    for m in view.mounts.iter().filter(|m| !extra.contains(&m.path.as_str())) {
        added.push(entry(view, Some(m.tree), &m.path));
    }
    for m in view.mounts.iter().filter(|m| extra.contains(&m.path.as_str())) {
        added.push(entry(view, Some(m.tree), &m.path));
    }
    added.push(Entry { device: "shm", size: DEV_TMPFS, used: 0, mount: "/dev/shm".into() });
    added.sort_by_key(|e| e.mount.split('/').filter(|p| !p.is_empty()).count());
    list.extend(added);
    list
}

/// `make_human_readable_str(bytes / 1, 1, unit)`: rounded to the nearest unit.
fn human(bytes: u64, unit: u64) -> String {
    if bytes == 0 {
        return "0".into();
    }
    ((bytes + unit / 2) / unit).to_string()
}

pub(super) fn df(h: &mut dyn Host, c: &Ctx) -> i32 {
    if h.gnu() {
        err(h, c.fds, "df: podplay's df is busybox's; GNU coreutils' df is not simulated\n");
        return 1;
    }
    let (flags, paths) = files::flags_and_operands(c.argv);
    if let Some(f) = flags.chars().find(|f| !matches!(f, 'k' | 'm' | 'P')) {
        err(h, c.fds, &format!("df: podplay's df takes only -k, -m and -P (not -{f})\n"));
        return 1;
    }
    let posix = flags.contains('P');
    let unit: u64 = if flags.contains('m') { 1 << 20 } else { 1024 };
    let units = match (unit, posix) {
        (1024, false) => "1K",
        (1024, true) => "1024",
        (_, false) => "1M",
        (_, true) => "1048576",
    };
    let mut s = format!(
        "Filesystem           {:<15}Used Available {} Mounted on\n",
        format!("{units}-blocks"),
        if posix { "Capacity" } else { "Use%" }
    );
    let mut errors = String::new();
    let view = h.view();
    let all = mounts(&view);
    if paths.is_empty() {
        for e in &all {
            line(&mut s, e, unit, posix);
        }
    }
    for p in &paths {
        let abs = normalize(c.cwd, p);
        // `find_mount_point` stats the path first.
        if view.stat(&abs).is_err() {
            let _ = writeln!(errors, "df: {p}: can't find mount point");
            continue;
        }
        // The mount whose point is the longest prefix of the path.
        let inside = |m: &str| m == "/" || abs == m || abs.starts_with(&format!("{m}/"));
        if let Some(e) = all.iter().filter(|e| inside(&e.mount)).max_by_key(|e| e.mount.len()) {
            line(&mut s, e, unit, posix);
        }
    }
    out(h, c.fds, &s);
    if errors.is_empty() {
        0
    } else {
        err(h, c.fds, &errors);
        1
    }
}

/// One filesystem's line (statvfs's blocks are 4 KiB).
fn line(s: &mut String, e: &Entry, unit: u64, posix: bool) {
    let avail = e.size.saturating_sub(e.used);
    if e.device.len() > 20 && !posix {
        let _ = write!(s, "{}\n{:20}", e.device, "");
    } else {
        let _ = write!(s, "{:<20}", e.device);
    }
    let (used_blocks, avail_blocks) = (e.used / 4096, avail / 4096);
    let total = used_blocks + avail_blocks;
    let percent = (used_blocks * 100 + total / 2).checked_div(total).unwrap_or(0);
    let _ = write!(s, " {:>9} ", human(e.size, unit));
    let _ = write!(s, "{:>9} ", human(e.used, unit));
    let _ = writeln!(s, "{:>9} {:>3}% {}", human(avail, unit), percent, e.mount);
}
