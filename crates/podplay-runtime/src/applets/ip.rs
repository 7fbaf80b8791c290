//! busybox `ip` (`networking/ip.c`, `libiproute/iplink.c`): the network-link changes a
//! container's capabilities decide. Making or deleting a link is an RTNETLINK request the
//! kernel refuses without CAP_NET_ADMIN (`Cred::net_admin`: a privileged container's root, or
//! one given the capability): `ip: RTNETLINK answers: Operation not permitted`, exit 2
//! (`rtnl_talk`'s `bb_perror_msg`, `do_add_or_delete`'s `return 2`). podplay's pod network has
//! no links to list, so the other objects and commands name that limit.

use super::*;

pub(super) fn ip(h: &mut dyn Host, c: &Ctx) -> i32 {
    let args: Vec<&str> = c.argv[1..].iter().map(String::as_str).collect();
    match args.as_slice() {
        ["link" | "l", "add" | "delete" | "del", ..] => {
            if h.view().cred.net_admin {
                // The kernel makes (or removes) the link; nothing is printed.
                0
            } else {
                err(h, c.fds, "ip: RTNETLINK answers: Operation not permitted\n");
                2
            }
        }
        _ => {
            let asked = format!("ip {}", args.join(" "));
            err(h, c.fds, &format!("ip: podplay's ip models only 'ip link add' and 'ip link delete' (asked: {})\n", asked.trim_end()));
            1
        }
    }
}
