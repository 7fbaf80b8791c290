//! busybox `stat` (coreutils/stat.c) and `du` (coreutils/du.c).
//!
//! `stat [-t] [-L] [-c FMT] FILE...`: `print_it` over the format (the default one, `-t`'s
//! terse one, or FMT), each `%` conversion with its printf modifiers (`%-10s`, `%04a`,
//! `%10.10A`); a line ends every file. `%n %N %s %b %B %o %a %A %f %F %h %u %U %g %G %x %X
//! %y %Y %z %Z %d %D %i %t %T`; `%U`/`%G` are `UNKNOWN` where `/etc/passwd` or `/etc/group`
//! has no name. What podplay does not model reads as follows: a file has one time, its
//! modification time, which `%x`/`%y`/`%z` all show (nanoseconds `000000000`, UTC); the
//! device is the filesystem's (`overlay` 0:46 = `2eh/46d`, the node's ext4 8:1 =
//! `801h/2049d`, a tmpfs 0:47 = `2fh/47d`) and the inode a number of podplay's, stable for a
//! path; links are 1 for a file and 2 plus its subdirectories for a directory, as `ls -l`
//! shows. `-f` (filesystem status) ends with a podplay error. A file that cannot be looked
//! at is `stat: can't stat 'F': ERROR`, exit 1.
//!
//! `du [-a] [-s] [-c] [-d N] [-h|-k|-m|-b] [-x] [-l] [-H|-L] [FILE]...` (`.` without one):
//! each directory's total after its contents, in 1 KiB units by default, counting what each
//! file holds in whole 4 KiB blocks (a directory one block); `-a` lists files too, `-s` and
//! `-d N` limit the depth printed, `-c` adds `total`, `-h` is `make_human_readable_str`'s
//! `1.0M`, `-m` rounds up to MiB, `-b` counts bytes (apparent sizes). No hard links or
//! symbolic links exist to count once or follow; `-x` stops at mount points. A missing FILE
//! is `du: F: No such file or directory`, an unreadable directory `du: can't open 'D':
//! Permission denied` (its own size still counted), exit 1.

use super::getopt::Arg;
use super::*;
use crate::fs::{FsKind, Node};

/// C printf of one conversion: `mods` are the flags, width and precision (`-10`, `04`,
/// `10.10`), `v` the value as text, `numeric` whether `0` pads.
fn cfmt(mods: &str, v: &str, numeric: bool) -> String {
    let left = mods.contains('-');
    let zero = numeric && mods.starts_with('0') && !left;
    let body = mods.trim_start_matches(['-', '+', ' ', '#', '0']);
    let (w, p) = match body.split_once('.') {
        Some((w, p)) => (w, Some(p.parse::<usize>().unwrap_or(0))),
        None => (body, None),
    };
    let width: usize = w.parse().unwrap_or(0);
    let mut s = v.to_string();
    if let (Some(p), false) = (p, numeric) {
        s = s.chars().take(p).collect();
    }
    if s.len() >= width {
        s
    } else if left {
        format!("{s:<width$}")
    } else if zero {
        format!("{s:0>width$}")
    } else {
        format!("{s:>width$}")
    }
}

fn human_time(t: i64) -> String {
    format!("{}.000000000 +0000", clock::strftime("%Y-%m-%d %H:%M:%S", t))
}

/// The file's device (`st_dev`) by the filesystem it is on.
fn device(kind: FsKind) -> u64 {
    match kind {
        FsKind::Overlay => 0x2e,
        FsKind::Disk => 0x801,
        FsKind::Tmpfs | FsKind::Unknown => 0x2f,
    }
}

/// A stable inode number for a path (FNV-1a), in the range ext4 and overlayfs hand out.
fn inode(abs: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in abs.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    if abs == "/" {
        2
    } else {
        1_000_000 + h % 9_000_000
    }
}

fn file_type(n: &Node) -> &'static str {
    if n.is_dir() {
        "directory"
    } else if n.size() == 0 {
        "regular empty file"
    } else {
        "regular file"
    }
}

const DEFAULT_FORMAT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\nDevice: %Dh/%dd\tInode: %-10i  Links: %h\nAccess: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z";
const TERSE_FORMAT: &str = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o";

pub(super) fn stat(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut format: Option<String> = None;
    let mut terse = false;
    let mut files = Vec::new();
    for arg in super::getopt::short_options(c.argv, b"c") {
        match arg {
            Arg::Operand(f) => files.push(f.to_string()),
            Arg::Opt(b't', _) => terse = true,
            Arg::Opt(b'L', _) => {}
            Arg::Opt(b'c', value) => format = value.map(str::to_string),
            Arg::Missing(_) => {
                err(h, c.fds, "stat: option requires an argument -- 'c'\n");
                return 1;
            }
            Arg::Opt(b'f', _) => {
                err(h, c.fds, "stat: podplay's stat has no -f (filesystem status)\n");
                return 1;
            }
            Arg::Opt(o, _) => {
                err(h, c.fds, &format!("stat: invalid option -- '{}'\n", o as char));
                return 1;
            }
        }
    }
    if files.is_empty() {
        let banner = h.busybox_version().banner();
        err(h, c.fds, &format!("{banner}\n\nUsage: stat [-ltf] [-c FMT] FILE...\n"));
        return 1;
    }
    let mut o = String::new();
    let mut status = 0;
    for f in &files {
        let abs = normalize(c.cwd, f);
        let view = h.view();
        let node = match view.stat(&abs) {
            Ok(n) => n.clone(),
            Err(e) => {
                out(h, c.fds, &std::mem::take(&mut o));
                err(h, c.fds, &format!("stat: can't stat '{f}': {}\n", e.strerror()));
                status = 1;
                continue;
            }
        };
        let kind = view.statfs(&abs).unwrap_or(FsKind::Overlay);
        let user = crate::users::user_name(&view, node.owner.uid).unwrap_or_else(|| "UNKNOWN".into());
        let group = crate::users::group_name(&view, node.owner.gid).unwrap_or_else(|| "UNKNOWN".into());
        let links = files::dir_links(h, &abs, &node);
        let fmt = format.clone().unwrap_or_else(|| if terse { TERSE_FORMAT } else { DEFAULT_FORMAT }.to_string());
        let dev = device(kind);
        let raw_mode = node.mode as u64 | if node.is_dir() { 0o040000 } else { 0o100000 };
        let blocks = node.blocks() / 512;
        // print_it: each `%` with its modifiers; a lone `%` at the end prints `%`.
        let cs: Vec<char> = fmt.chars().collect();
        let mut k = 0;
        while k < cs.len() {
            if cs[k] != '%' {
                o.push(cs[k]);
                k += 1;
                continue;
            }
            let mut j = k + 1;
            while j < cs.len() && "#-+.I 0123456789".contains(cs[j]) {
                j += 1;
            }
            let mods: String = cs[k + 1..j].iter().collect();
            let Some(&conv) = cs.get(j) else {
                o.push('%');
                break;
            };
            let (text, numeric) = match conv {
                '%' => ("%".to_string(), false),
                'n' | 'N' => (f.clone(), false),
                'd' => (dev.to_string(), true),
                'D' => (format!("{dev:x}"), true),
                'i' => (inode(&abs).to_string(), true),
                'a' => (format!("{:o}", node.mode & 0o7777), true),
                'A' => (files::mode_string(node.is_dir(), node.mode), false),
                'f' => (format!("{raw_mode:x}"), true),
                'F' => (file_type(&node).to_string(), false),
                'h' => (links.to_string(), true),
                'u' => (node.owner.uid.to_string(), true),
                'U' => (user.clone(), false),
                'g' => (node.owner.gid.to_string(), true),
                'G' => (group.clone(), false),
                't' | 'T' => ("0".to_string(), true),
                's' => (node.size().to_string(), true),
                'B' => ("512".to_string(), true),
                'b' => (blocks.to_string(), true),
                'o' => ("4096".to_string(), true),
                'x' | 'y' | 'z' => (human_time(node.mtime), false),
                'X' | 'Y' | 'Z' => (node.mtime.to_string(), true),
                other => (other.to_string(), false),
            };
            if conv == '%' {
                o.push('%');
            } else {
                o.push_str(&cfmt(&mods, &text, numeric));
            }
            k = j + 1;
        }
        o.push('\n');
    }
    out(h, c.fds, &o);
    status
}

struct Du {
    all: bool,
    max_depth: usize,
    unit: u64,
    bytes: bool,
    one_fs: bool,
    out: String,
    errors: String,
    status: i32,
}

impl Du {
    /// `print`: the size in 512-byte blocks (bytes with `-b`), in the display unit.
    fn print(&mut self, size: u64, name: &str) {
        let mut size = size;
        if self.unit > 1 {
            size += (self.unit - 1) / 1024;
        }
        let block = if self.bytes { 1 } else { 512 };
        let text = human(size, block, self.unit);
        let _ = writeln!(self.out, "{text}\t{name}");
    }

    fn du(&mut self, h: &mut dyn Host, cwd: &str, name: &str, depth: usize, root_tree: &mut Option<usize>) -> u64 {
        let abs = normalize(cwd, name);
        let view = h.view();
        let node = match view.stat(&abs) {
            Ok(n) => n.clone(),
            Err(e) => {
                let _ = writeln!(self.errors, "du: {name}: {}", e.strerror());
                self.status = 1;
                return 0;
            }
        };
        let tree = view.locate(&abs).0;
        if self.one_fs {
            if depth == 0 {
                *root_tree = Some(tree);
            } else if *root_tree != Some(tree) {
                return 0;
            }
        }
        let mut sum = if self.bytes { node.size() } else { node.blocks() / 512 };
        if node.is_dir() {
            let list = h.view().list(&abs);
            match list {
                Err(e) => {
                    let _ = writeln!(self.errors, "du: can't open '{name}': {}", e.strerror());
                    self.status = 1;
                    return sum;
                }
                Ok(kids) => {
                    for k in kids {
                        let child = if name.ends_with('/') { format!("{name}{k}") } else { format!("{name}/{k}") };
                        sum += self.du(h, cwd, &child, depth + 1, root_tree);
                    }
                }
            }
        } else if !self.all && depth != 0 {
            return sum;
        }
        if depth <= self.max_depth {
            self.print(sum, name);
        }
        sum
    }
}

/// `make_human_readable_str(val, block_size, display_unit)`.
fn human(val: u64, block: u64, unit: u64) -> String {
    if val == 0 {
        return "0".into();
    }
    let mut val = val * block;
    if let Some(v) = (val + unit / 2).checked_div(unit) {
        return v.to_string();
    }
    let units = ['\0', 'K', 'M', 'G', 'T', 'P', 'E'];
    let mut u = 0;
    let mut frac = 0;
    while val >= 1024 {
        u += 1;
        frac = ((val % 1024) * 10 + 512) / 1024;
        val /= 1024;
    }
    if frac >= 10 {
        val += 1;
        frac = 0;
    }
    if u == 0 {
        val.to_string()
    } else {
        format!("{val}.{frac}{}", units[u])
    }
}

pub(super) fn du(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut d = Du {
        all: false,
        max_depth: usize::MAX,
        unit: 1024,
        bytes: false,
        one_fs: false,
        out: String::new(),
        errors: String::new(),
        status: 0,
    };
    let mut total = false;
    let mut files = Vec::new();
    for arg in super::getopt::short_options(c.argv, b"d") {
        match arg {
            Arg::Operand(f) => files.push(f.to_string()),
            Arg::Opt(b'a', _) => d.all = true,
            Arg::Opt(b's', _) => d.max_depth = 0,
            Arg::Opt(b'c', _) => total = true,
            Arg::Opt(b'x', _) => d.one_fs = true,
            Arg::Opt(b'H' | b'L' | b'l', _) => {}
            Arg::Opt(b'k', _) => d.unit = 1024,
            Arg::Opt(b'm', _) => d.unit = 1 << 20,
            Arg::Opt(b'h', _) => d.unit = 0,
            Arg::Opt(b'b', _) => {
                d.bytes = true;
                d.unit = 1;
            }
            Arg::Opt(b'd', _) | Arg::Missing(b'd') => {
                // `-d` at the end reads as an empty number.
                let v = match arg {
                    Arg::Opt(_, Some(v)) => v,
                    _ => "",
                };
                match v.parse::<usize>() {
                    Ok(n) => d.max_depth = n,
                    Err(_) => {
                        err(h, c.fds, &format!("du: invalid number '{v}'\n"));
                        return 1;
                    }
                }
            }
            Arg::Opt(o, _) | Arg::Missing(o) => {
                err(h, c.fds, &format!("du: invalid option -- '{}'\n", o as char));
                return 1;
            }
        }
    }
    if files.is_empty() {
        files.push(".".into());
    }
    let mut sum = 0;
    for f in &files {
        let mut root = None;
        sum += d.du(h, c.cwd, f, 0, &mut root);
    }
    if total {
        d.print(sum, "total");
    }
    if !d.errors.is_empty() {
        err(h, c.fds, &d.errors);
    }
    out(h, c.fds, &d.out);
    d.status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_modifiers() {
        assert_eq!(cfmt("-10", "12", true), "12        ");
        assert_eq!(cfmt("04", "644", true), "0644");
        assert_eq!(cfmt("10.10", "-rw-r--r--", false), "-rw-r--r--");
        assert_eq!(cfmt("5", "0", true), "    0");
        assert_eq!(cfmt("8", "root", false), "    root");
    }

    #[test]
    fn human_readable() {
        assert_eq!(human(2048, 512, 0), "1.0M");
        assert_eq!(human(8, 512, 0), "4.0K");
        assert_eq!(human(8, 512, 1024), "4");
        assert_eq!(human(3, 512, 0), "1.5K");
    }
}
