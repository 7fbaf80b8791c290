//! Who the process is: `id` and `whoami`, with names from the container's `/etc/passwd` and
//! `/etc/group` (busybox's `coreutils/id.c` and `whoami.c`; GNU coreutils' on Debian images).

use super::*;
use crate::fs::Cred;
use crate::users::parse_passwd;

/// The process's credentials (`getuid`, `getgid`, `getgroups`).
fn cred(h: &mut dyn Host) -> Cred {
    h.view().cred.clone()
}

/// A name for `id` (`users::id_name`).
fn name_of(h: &mut dyn Host, id: u32, group: bool) -> Option<String> {
    let debian = h.gnu();
    crate::users::id_name(&h.view(), id, group, debian)
}

/// `ID(NAME)`, or `ID` where no name is known (busybox's `print_common` in the default mode).
fn with_name(h: &mut dyn Host, id: u32, group: bool) -> String {
    match name_of(h, id, group) {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    }
}

/// `id [-u|-g|-G] [-n] [USER]`: `uid=U(name) gid=G(name) groups=...`. busybox lists the
/// kernel's supplementary groups as `getgroups` gives them (sorted); GNU `id` lists the group
/// first, then the others.
pub(super) fn id(h: &mut dyn Host, c: &Ctx) -> i32 {
    let (flags, ops) = flags_and_operands(c.argv);
    let me = match ops.first() {
        None => cred(h),
        Some(user) => {
            let text = h.view().read("/etc/passwd").ok().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            let Some(e) = parse_passwd(&text).into_iter().find(|e| e.name == *user) else {
                let msg = if h.gnu() { format!("id: '{user}': no such user\n") } else { format!("id: unknown user {user}\n") };
                err(h, c.fds, &msg);
                return 1;
            };
            // initgroups: the user's group and the groups listing it.
            let listed = h.view().read("/etc/group").ok().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            let mut groups: Vec<u32> =
                crate::users::parse_group(&listed).into_iter().filter(|g| g.members.contains(&e.name)).map(|g| g.gid).collect();
            groups.push(e.gid);
            groups.sort_unstable();
            groups.dedup();
            Cred { uid: e.uid, gid: e.gid, groups, ..Cred::default() }
        }
    };
    let groups = listed_groups(&me, h.gnu());
    let names = flags.contains('n');
    let single = |h: &mut dyn Host, id: u32, group: bool| -> (String, i32) {
        match (names, name_of(h, id, group)) {
            (true, Some(n)) => (n, 0),
            (true, None) => (id.to_string(), 1),
            (false, _) => (id.to_string(), 0),
        }
    };
    let (line, status) = if flags.contains('u') {
        single(h, me.uid, false)
    } else if flags.contains('g') {
        single(h, me.gid, true)
    } else if flags.contains('G') {
        let parts: Vec<(String, i32)> = groups.iter().map(|g| single(h, *g, true)).collect();
        (parts.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>().join(" "), parts.iter().map(|(_, s)| *s).max().unwrap_or(0))
    } else {
        let mut line = format!("uid={} gid={}", with_name(h, me.uid, false), with_name(h, me.gid, true));
        if !groups.is_empty() {
            let listed: Vec<String> = groups.iter().map(|g| with_name(h, *g, true)).collect();
            line.push_str(&format!(" groups={}", listed.join(",")));
        }
        (line, 0)
    };
    out(h, c.fds, &format!("{line}\n"));
    status
}

/// The groups `id` lists: busybox `getgroups`' order; GNU the group first, then the rest.
fn listed_groups(me: &Cred, gnu: bool) -> Vec<u32> {
    if !gnu {
        return me.groups.clone();
    }
    std::iter::once(me.gid).chain(me.groups.iter().copied().filter(|g| *g != me.gid)).collect()
}

/// `whoami`: the user's name, or busybox's `unknown uid N` (GNU: `cannot find name for user
/// ID N`) and exit 1 for a user `/etc/passwd` does not know.
pub(super) fn whoami(h: &mut dyn Host, c: &Ctx) -> i32 {
    let uid = cred(h).uid;
    match name_of(h, uid, false) {
        Some(n) => {
            out(h, c.fds, &format!("{n}\n"));
            0
        }
        None => {
            let msg =
                if h.gnu() { format!("whoami: cannot find name for user ID {uid}\n") } else { format!("whoami: unknown uid {uid}\n") };
            err(h, c.fds, &msg);
            1
        }
    }
}
