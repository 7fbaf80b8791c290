//! File applets: cat, rm, mkdir, cp, mv, ls, find (busybox and GNU texts).

use super::*;

/// Split flags (single-dash clusters) from operands.
pub(super) fn flags_and_operands(argv: &[String]) -> (String, Vec<String>) {
    let mut flags = String::new();
    let mut ops = Vec::new();
    let mut done = false;
    for a in &argv[1..] {
        if !done && a == "--" {
            done = true;
        } else if !done && a.len() > 1 && a.starts_with('-') {
            flags.push_str(&a[1..]);
        } else {
            ops.push(a.clone());
        }
    }
    (flags, ops)
}

pub(super) fn each_path(h: &mut dyn Host, c: &Ctx, f: impl Fn(&mut dyn Host, &str, &str, &Fds) -> i32) -> i32 {
    let (_, ops) = flags_and_operands(c.argv);
    let mut st = 0;
    for a in ops {
        let abs = normalize(c.cwd, &a);
        st |= f(h, &abs, &a, c.fds);
    }
    st
}

pub(super) fn read_input(h: &mut dyn Host, c: &Ctx, applet: &str, file: &str) -> Result<Vec<u8>, i32> {
    if file == "-" {
        return Ok(c.fds.stdin.bytes().to_vec());
    }
    let abs = normalize(c.cwd, file);
    let r = h.view().read(&abs);
    let gnu = h.gnu();
    r.map_err(|e| {
        let msg = match applet {
            "cat" if gnu => format!("cat: {file}: {}\n", e.strerror()),
            "head" | "tail" if gnu => format!("{applet}: cannot open '{file}' for reading: {}\n", e.strerror()),
            "cat" if e == FsError::IsDir => "cat: read error: Is a directory\n".to_string(),
            "cat" | "tail" => format!("{applet}: can't open '{file}': {}\n", e.strerror()),
            _ => format!("{applet}: {file}: {}\n", e.strerror()),
        };
        err(h, c.fds, &msg);
        1
    })
}

pub(super) fn cat(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (_, ops) = flags_and_operands(c.argv);
    let files = if ops.is_empty() { vec!["-".to_string()] } else { ops };
    let mut st = 0;
    for f in files {
        match read_input(h, c, "cat", &f) {
            Ok(d) => h.write(&c.fds.stdout, &d),
            Err(e) => st = e,
        }
    }
    st
}

pub(super) fn rm(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let force = flags.contains('f');
    let recursive = flags.contains('r') || flags.contains('R');
    let mut st = 0;
    for a in ops {
        let abs = normalize(c.cwd, &a);
        let is_dir = h.view().is_dir(&abs);
        if is_dir && !recursive {
            let m = if h.gnu() { format!("rm: cannot remove '{a}': Is a directory\n") } else { format!("rm: '{a}' is a directory\n") };
            err(h, c.fds, &m);
            st = 1;
            continue;
        }
        let r = h.view().remove(&abs, recursive);
        match r {
            Ok(()) => {}
            Err(FsError::NotFound) if force => {}
            Err(e) => {
                let m = if h.gnu() {
                    format!("rm: cannot remove '{a}': {}\n", e.strerror())
                } else {
                    format!("rm: can't remove '{a}': {}\n", e.strerror())
                };
                err(h, c.fds, &m);
                st = 1;
            }
        }
    }
    st
}

pub(super) fn mkdir(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let parents = flags.contains('p');
    let mut st = 0;
    for a in ops {
        let abs = normalize(c.cwd, &a);
        let r = if parents { h.view().mkdir_p(&abs) } else { h.view().mkdir(&abs) };
        if let Err(e) = r {
            let verb = if h.gnu() { "cannot" } else { "can't" };
            err(h, c.fds, &format!("mkdir: {verb} create directory '{a}': {}\n", e.strerror()));
            st = 1;
        }
    }
    st
}

pub(super) fn cp_mv(h: &mut dyn Host, c: &Ctx, name: &str) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    if ops.len() < 2 {
        err(h, c.fds, &format!("{name}: missing destination file operand\n"));
        return 1;
    }
    let dest = ops.last().unwrap().clone();
    let dest_abs = normalize(c.cwd, &dest);
    let dest_is_dir = h.view().is_dir(&dest_abs);
    let mut st = 0;
    for src in &ops[..ops.len() - 1] {
        let sabs = normalize(c.cwd, src);
        let target = if dest_is_dir { normalize(&dest_abs, src.rsplit('/').next().unwrap_or(src)) } else { dest_abs.clone() };
        let exists = h.view().stat(&sabs).map(|n| n.is_dir());
        match exists {
            Err(e) => {
                let m = if h.gnu() {
                    format!("{name}: cannot stat '{src}': {}\n", e.strerror())
                } else if name == "cp" {
                    format!("cp: can't stat '{src}': {}\n", e.strerror())
                } else {
                    format!("mv: can't rename '{src}': {}\n", e.strerror())
                };
                err(h, c.fds, &m);
                st = 1;
                continue;
            }
            Ok(true) if name == "cp" && !(flags.contains('r') || flags.contains('R') || flags.contains('a')) => {
                err(h, c.fds, &format!("cp: omitting directory '{src}'\n"));
                st = 1;
                continue;
            }
            _ => {}
        }
        let r = if name == "cp" { h.view().copy(&sabs, &target) } else { h.view().rename(&sabs, &target) };
        if let Err(e) = r {
            let m = if name == "cp" {
                format!("cp: can't create '{dest}': {}\n", e.strerror())
            } else {
                format!("mv: can't rename '{src}': {}\n", e.strerror())
            };
            err(h, c.fds, &m);
            st = 1;
        }
    }
    st
}

pub(super) fn mode_string(is_dir: bool, mode: u32) -> String {
    let mut s = String::from(if is_dir { "d" } else { "-" });
    for shift in [6, 3, 0] {
        let m = (mode >> shift) & 7;
        s.push(if m & 4 != 0 { 'r' } else { '-' });
        s.push(if m & 2 != 0 { 'w' } else { '-' });
        s.push(if m & 1 != 0 { 'x' } else { '-' });
    }
    // The set-user-ID, set-group-ID and sticky bits take the place of an `x`.
    let special = |s: &mut String, at: usize, bit: u32, set: char, unset: char| {
        if mode & bit != 0 {
            let x = s.as_bytes()[at] == b'x';
            s.replace_range(at..at + 1, &(if x { set } else { unset }).to_string());
        }
    };
    special(&mut s, 3, 0o4000, 's', 'S');
    special(&mut s, 6, 0o2000, 's', 'S');
    special(&mut s, 9, 0o1000, 't', 'T');
    s
}

pub(super) fn ls(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let long = flags.contains('l');
    let all = flags.contains('a');
    let gnu = h.gnu();
    let ops = if ops.is_empty() { vec![".".to_string()] } else { ops };
    // The clock only for the long format's times (a plain `ls` in a loop stays repeatable).
    let now = if long { h.wall_secs() } else { 0 };
    let mut st = 0;
    let mut o = String::new();
    let multiple = ops.len() > 1;
    let mut first_dir = true;
    // Files named on the command line come first, then each directory's listing.
    let mut files: Vec<(String, crate::fs::Node, usize)> = Vec::new();
    let mut dirs: Vec<(String, String)> = Vec::new();
    for a in &ops {
        let abs = normalize(c.cwd, a);
        let node = h.view().stat(&abs).ok().cloned();
        let Some(node) = node else {
            let e = h.view().stat(&abs).err().unwrap_or(FsError::NotFound);
            if gnu {
                err(h, c.fds, &format!("ls: cannot access '{a}': {}\n", e.strerror()));
                st = 2;
            } else {
                err(h, c.fds, &format!("ls: {a}: {}\n", e.strerror()));
                st = 1;
            }
            continue;
        };
        if !node.is_dir() || flags.contains('d') {
            let links = dir_links(h, &abs, &node);
            files.push((a.clone(), node, links));
        } else {
            dirs.push((a.clone(), abs));
        }
    }
    if !files.is_empty() {
        o.push_str(&ls_rows(h, &files, long, gnu, now));
        first_dir = false;
    }
    for (a, abs) in dirs {
        let node = h.view().stat(&abs).ok().cloned().unwrap();
        let names = match h.view().list(&abs) {
            Ok(names) => names,
            Err(e) => {
                // A directory this user may not read (`/root` is `drwx------`).
                let msg = if gnu {
                    format!("ls: cannot open directory '{a}': {}\n", e.strerror())
                } else {
                    format!("ls: can't open '{a}': {}\n", e.strerror())
                };
                err(h, c.fds, &msg);
                st = if gnu { 2 } else { 1 };
                continue;
            }
        };
        let mut entries: Vec<(String, crate::fs::Node, usize)> = Vec::new();
        if all {
            let links = dir_links(h, &abs, &node);
            entries.push((".".into(), node.clone(), links));
            let parent = normalize(&abs, "..");
            let pn = h.view().stat(&parent).ok().cloned().unwrap_or(node.clone());
            let plinks = dir_links(h, &parent, &pn);
            entries.push(("..".into(), pn, plinks));
        }
        for n in names {
            if n.starts_with('.') && !all {
                continue;
            }
            let child_abs = normalize(&abs, &n);
            if let Some(ch) = h.view().stat(&child_abs).ok().cloned() {
                let links = dir_links(h, &child_abs, &ch);
                entries.push((n, ch, links));
            }
        }
        if multiple {
            if !first_dir {
                o.push('\n');
            }
            o.push_str(&format!("{a}:\n"));
        }
        first_dir = false;
        if long {
            let blocks: u64 = entries.iter().map(|(_, n, _)| if n.is_dir() { 4 } else { n.size().div_ceil(4096) * 4 }).sum();
            o.push_str(&format!("total {blocks}\n"));
        }
        o.push_str(&ls_rows(h, &entries, long, gnu, now));
    }
    out(h, c.fds, &o);
    st
}

/// Hard links of a directory: 2 + its subdirectories; files have 1.
pub(super) fn dir_links(h: &mut dyn Host, abs: &str, node: &crate::fs::Node) -> usize {
    if !node.is_dir() {
        return 1;
    }
    let kids = h.view().list(abs).unwrap_or_default();
    2 + kids.iter().filter(|k| h.view().is_dir(&normalize(abs, k))).count()
}

/// busybox `ls -l`: fixed columns (`%4u`, `%-8.8s`, `%9llu`); GNU: columns as wide as needed.
/// Owners by name where the container's `/etc/passwd` and `/etc/group` know them, else by
/// number.
pub(super) fn ls_rows(h: &mut dyn Host, entries: &[(String, crate::fs::Node, usize)], long: bool, gnu: bool, now: i64) -> String {
    let mut o = String::new();
    if !long {
        for (n, _, _) in entries {
            o.push_str(n);
            o.push('\n');
        }
        return o;
    }
    let owners: Vec<(String, String)> = {
        let v = h.view();
        let name = |id: u32, group: bool| crate::users::id_name(&v, id, group, gnu).unwrap_or_else(|| id.to_string());
        entries.iter().map(|(_, n, _)| (name(n.owner.uid, false), name(n.owner.gid, true))).collect()
    };
    let lw = entries.iter().map(|(_, _, l)| l.to_string().len()).max().unwrap_or(1);
    let sw = entries.iter().map(|(_, n, _)| n.size().to_string().len()).max().unwrap_or(1);
    let uw = owners.iter().map(|(u, _)| u.len()).max().unwrap_or(1);
    let gw = owners.iter().map(|(_, g)| g.len()).max().unwrap_or(1);
    for ((name, n, links), (user, group)) in entries.iter().zip(&owners) {
        let mode = mode_string(n.is_dir(), n.mode);
        let time = clock::ls_time(n.mtime, now);
        if gnu {
            o.push_str(&format!("{mode} {links:>lw$} {user:<uw$} {group:<gw$} {:>sw$} {time} {name}\n", n.size()));
        } else {
            let (user, group): (String, String) = (user.chars().take(8).collect(), group.chars().take(8).collect());
            o.push_str(&format!("{mode} {links:>4} {user:<8} {group:<8} {:>9} {time} {name}\n", n.size()));
        }
    }
    o
}

pub(super) fn find(h: &mut dyn Host, c: &Ctx) -> i32 {
    let mut roots = Vec::new();
    let mut name_pat: Option<String> = None;
    let mut type_f: Option<char> = None;
    let mut i = 1;
    while i < c.argv.len() {
        match c.argv[i].as_str() {
            "-name" => {
                name_pat = c.argv.get(i + 1).cloned();
                i += 1;
            }
            "-type" => {
                type_f = c.argv.get(i + 1).and_then(|t| t.chars().next());
                i += 1;
            }
            a if !a.starts_with('-') => roots.push(a.to_string()),
            _ => {}
        }
        i += 1;
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let mut st = 0;
    let mut o = String::new();
    for r in roots {
        let abs = normalize(c.cwd, &r);
        if !h.view().exists(&abs) {
            err(h, c.fds, &format!("find: {r}: No such file or directory\n"));
            st = 1;
            continue;
        }
        let mut stack = vec![(r.clone(), abs)];
        while let Some((shown, abs)) = stack.pop() {
            let node = h.view().stat(&abs).ok().cloned();
            let Some(node) = node else { continue };
            let base = shown.rsplit('/').next().unwrap_or(&shown).to_string();
            let name_ok = name_pat.as_ref().map(|p| crate::shell::pattern::matches(p, &base)).unwrap_or(true);
            let type_ok = match type_f {
                Some('f') => !node.is_dir(),
                Some('d') => node.is_dir(),
                _ => true,
            };
            if name_ok && type_ok {
                o.push_str(&format!("{shown}\n"));
            }
            if node.is_dir() {
                let mut kids = h.view().list(&abs).unwrap_or_default();
                kids.reverse();
                for k in kids {
                    let s = if shown.ends_with('/') { format!("{shown}{k}") } else { format!("{shown}/{k}") };
                    stack.push((s, normalize(&abs, &k)));
                }
            }
        }
    }
    out(h, c.fds, &o);
    st
}
