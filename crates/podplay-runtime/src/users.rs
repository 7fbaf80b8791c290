//! Users and groups: who a container's processes run as, and the names programs print for
//! ids (`id`, `ls -l`, `ps`, `whoami`), both read from the container's own `/etc/passwd` and
//! `/etc/group` as libc's `getpwuid`/`getgrgid` read them.

use crate::fs::{Cred, Tree, View};
use crate::types::{ContainerSecurity, UserRequest};

/// One `/etc/passwd` line's fields podplay uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswdEntry {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
}

/// One `/etc/group` line: its name, id and the users it lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupEntry {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

pub fn parse_passwd(text: &str) -> Vec<PasswdEntry> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let (uid, gid) = (f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?);
            Some(PasswdEntry { name: f[0].to_string(), uid, gid, home: f.get(5).unwrap_or(&"").to_string() })
        })
        .collect()
}

pub fn parse_group(text: &str) -> Vec<GroupEntry> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let gid = f.get(2)?.parse().ok()?;
            let members = f.get(3).map(|m| m.split(',').filter(|u| !u.is_empty()).map(str::to_string).collect()).unwrap_or_default();
            Some(GroupEntry { name: f[0].to_string(), gid, members })
        })
        .collect()
}

fn tree_text(tree: &Tree, rel: &str) -> String {
    tree.get(rel).and_then(|n| n.content(1 << 20)).map(|c| String::from_utf8_lossy(&c).into_owned()).unwrap_or_default()
}

/// The credentials and `HOME` of a container of this root filesystem, as containerd and runc
/// set them up: the asked user (else the image's `User`, by number or by name; empty: root),
/// its group (the asked one, else the image user's `:GROUP`, else its `/etc/passwd` group,
/// else 0), and the supplementary groups: that group, the `/etc/group` groups listing the user
/// by name but for the one named as the user (only a user `/etc/passwd` knows has a name),
/// then the asked ones, sorted as `setgroups` keeps them. `HOME` is the user's home, else `/`.
/// (An image user that is a name `/etc/passwd` lacks stops containerd; the kubelet's
/// runAsNonRoot check refuses it first when asked, and podplay runs it as root otherwise.)
pub fn resolve(root: &Tree, user: &UserRequest) -> (Cred, String) {
    let passwd = parse_passwd(&tree_text(root, "etc/passwd"));
    let (image_user, image_group) = match user.image_user.split_once(':') {
        Some((u, g)) => (u, g.parse::<u32>().ok()),
        None => (user.image_user.as_str(), None),
    };
    let image_uid = image_user.parse::<u32>().ok().or_else(|| passwd.iter().find(|e| e.name == image_user).map(|e| e.uid));
    let uid = user.run_as_user.or(image_uid).unwrap_or(0);
    let entry = passwd.iter().find(|e| e.uid == uid);
    let gid = user.run_as_group.or(image_group.filter(|_| user.run_as_user.is_none())).or(entry.map(|e| e.gid)).unwrap_or(0);
    let mut groups = vec![gid];
    if let Some(e) = entry {
        let listed = parse_group(&tree_text(root, "etc/group"));
        // containerd's `WithAdditionalGIDs` skips the group named as the user ("we only want
        // supplemental groups"), even where it lists the user.
        groups.extend(listed.iter().filter(|g| g.name != e.name && g.members.contains(&e.name)).map(|g| g.gid));
    }
    groups.extend(user.supplemental_groups.iter().copied());
    groups.sort_unstable();
    groups.dedup();
    let home = entry.map(|e| e.home.clone()).filter(|h| !h.is_empty()).unwrap_or_else(|| "/".to_string());
    (Cred { uid, gid, groups, ..Cred::default() }, home)
}

/// Whether a root process of the container has CAP_NET_ADMIN: a privileged container has every
/// capability; otherwise the runtime's default set lacks it unless `capabilities.add` names it
/// (or `ALL`) and `capabilities.drop` does not.
pub fn has_net_admin(cfg: &ContainerSecurity) -> bool {
    let names = |list: &[String]| list.iter().any(|c| matches!(c.trim_start_matches("CAP_"), "NET_ADMIN" | "ALL"));
    cfg.privileged || (names(&cfg.capabilities_add) && !names(&cfg.capabilities_drop))
}

/// The user name of `uid` in the container's `/etc/passwd`.
pub fn user_name(view: &View, uid: u32) -> Option<String> {
    let text = String::from_utf8(view.read("/etc/passwd").ok()?).ok()?;
    parse_passwd(&text).into_iter().find(|e| e.uid == uid).map(|e| e.name)
}

/// The name `id`, `ls -l` and the like print for a user (`group`: a group) id: the container's
/// `/etc/passwd` or `/etc/group` entry; on a Debian image (`debian`), whose `/etc/group` podplay
/// does not write, root's group is `root` as Debian names it.
pub fn id_name(view: &View, id: u32, group: bool, debian: bool) -> Option<String> {
    let found = if group { group_name(view, id) } else { user_name(view, id) };
    found.or_else(|| (id == 0 && debian).then(|| "root".to_string()))
}

/// The group name of `gid` in the container's `/etc/group`.
pub fn group_name(view: &View, gid: u32) -> Option<String> {
    let text = String::from_utf8(view.read("/etc/group").ok()?).ok()?;
    parse_group(&text).into_iter().find(|e| e.gid == gid).map(|e| e.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::{FsLimits, Node, NodeKind, Owner};

    fn image(passwd: &str, group: &str) -> Tree {
        let mut t = Tree::new(FsLimits::default(), 0);
        let file = |s: &str| Node { kind: NodeKind::File(s.as_bytes().to_vec()), mode: 0o644, mtime: 0, program: None, owner: Owner::ROOT };
        t.put_raw("etc/passwd", file(passwd));
        t.put_raw("etc/group", file(group));
        t
    }

    /// images.md §1.4: root in a busybox pod is `groups=0(root),10(wheel)`.
    #[test]
    fn root_gets_the_groups_that_list_it() {
        let t = image("root:x:0:0:root:/root:/bin/sh\n", "root:x:0:\nwheel:x:10:root\n");
        let (cred, home) = resolve(&t, &UserRequest::default());
        assert_eq!(cred, Cred { uid: 0, gid: 0, groups: vec![0, 10], ..Cred::default() });
        assert_eq!(home, "/root");
    }

    /// The Kubernetes docs' security-context task (`runAsUser: 1000`, `runAsGroup: 3000`,
    /// `fsGroup: 2000`) on containerd: `uid=1000 gid=3000 groups=2000,3000`; the blog's
    /// image whose `/etc/group` lists its user adds that group (`groups=3000,4000,50000`).
    #[test]
    fn an_unknown_user_gets_its_group_and_the_asked_ones_sorted() {
        let t = image("root:x:0:0:root:/root:/bin/sh\n", "wheel:x:10:root\n");
        let ask = UserRequest { run_as_user: Some(1000), run_as_group: Some(3000), supplemental_groups: vec![2000], ..Default::default() };
        let (cred, home) = resolve(&t, &ask);
        assert_eq!(cred, Cred { uid: 1000, gid: 3000, groups: vec![2000, 3000], ..Cred::default() });
        assert_eq!(home, "/");
        let t = image("user-defined-in-image:x:1000:1000::/home/u:/bin/sh\n", "group-defined-in-image:x:50000:user-defined-in-image\n");
        let ask = UserRequest { run_as_user: Some(1000), run_as_group: Some(3000), supplemental_groups: vec![4000], ..Default::default() };
        assert_eq!(resolve(&t, &ask).0.groups, vec![3000, 4000, 50000]);
        // No runAsGroup: the user's own group, or 0 for a user the image does not know.
        let ask = UserRequest { run_as_user: Some(1000), ..Default::default() };
        assert_eq!(resolve(&t, &ask).0.gid, 1000);
        assert_eq!(resolve(&image("", ""), &ask).0, Cred { uid: 1000, gid: 0, groups: vec![0], ..Cred::default() });
    }

    /// The image's `USER` (the e2e `nonroot` image's `USER 1234`) when the pod sets none; the
    /// pod's `runAsUser` over it.
    #[test]
    fn the_image_user_applies_unless_the_pod_sets_one() {
        let t = image("root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101::/var/cache/nginx:/bin/false\n", "");
        let by_number = UserRequest { image_user: "1234".into(), ..Default::default() };
        assert_eq!(resolve(&t, &by_number).0, Cred { uid: 1234, gid: 0, groups: vec![0], ..Cred::default() });
        let by_name = UserRequest { image_user: "nginx".into(), ..Default::default() };
        assert_eq!((resolve(&t, &by_name).0.uid, resolve(&t, &by_name).0.gid), (101, 101));
        let with_group = UserRequest { image_user: "1234:5678".into(), ..Default::default() };
        assert_eq!(resolve(&t, &with_group).0.gid, 5678);
        let overridden = UserRequest { image_user: "1234".into(), run_as_user: Some(0), ..Default::default() };
        assert_eq!(resolve(&t, &overridden).0.uid, 0);
    }

    /// containerd's `WithAdditionalGIDs` leaves out the group named as the user, even where it
    /// lists the user (`app:x:1000:app`): only the user's own group and `extra` remain.
    #[test]
    fn the_group_named_as_the_user_is_not_a_supplementary_one() {
        let t = image("app:x:1000:100::/home/app:/bin/sh\n", "users:x:100:\napp:x:1000:app\nextra:x:50:app\n");
        let ask = UserRequest { run_as_user: Some(1000), ..Default::default() };
        assert_eq!(resolve(&t, &ask).0, Cred { uid: 1000, gid: 100, groups: vec![50, 100], ..Cred::default() });
    }
}
