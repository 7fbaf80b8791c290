//! The image catalog: reference normalisation, pull results, image configs and root
//! filesystems (images.md §1.1, §2.1, §3, §4).

use crate::fs::{FsLimits, Node, NodeKind, Program, Tree};
use crate::types::{BusyboxVersion, ImageDef, Millis, RuntimeFlavor, Signal};

/// Which userland `/bin` holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Userland {
    None,
    Busybox(BusyboxVersion),
    /// Debian-based images: the coreutils/grep/findutils commands present there (modelled with
    /// the busybox applet implementations; no ps, netstat, wget, nc, nslookup, httpd).
    Debian,
}

#[derive(Clone, Debug)]
pub struct ImageInfo {
    pub normalized: String,
    pub repo: String,
    pub tag: String,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<(String, String)>,
    pub working_dir: String,
    pub stop_signal: Signal,
    pub userland: Userland,
    pub size_bytes: u64,
    /// Unix seconds: mtime of the image's files.
    pub created: i64,
    /// Extra files: (absolute path, node).
    pub files: Vec<(String, Node)>,
    /// The busybox version whose ash/applet texts apply (Debian images use 1.37 texts).
    pub shell_version: BusyboxVersion,
}

/// A reference as the runtime keys images by: (normalised reference, repository, tag), from
/// distribution/reference's normalisation (`busybox` → `docker.io/library/busybox:latest`,
/// `user/app:v2` → `docker.io/user/app:v2`). With a digest the runtime keys the image by
/// `repo@digest` and drops a tag written before it (the kubelet's `normalize` keeps it).
pub fn split_ref(reference: &str) -> (String, String, String) {
    let full = podplay_k8s_util::image_ref::normalize(reference);
    let (name, digest) = match full.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (full.as_str(), None),
    };
    let (repo, tag) = match name.rfind(':') {
        Some(i) if !name[i..].contains('/') => (&name[..i], &name[i + 1..]),
        _ => (name, "latest"),
    };
    let normalized = match digest {
        Some(d) => format!("{repo}@{d}"),
        None => full.clone(),
    };
    (normalized, repo.to_string(), tag.to_string())
}

/// Deterministic 64-hex string from text (FNV-1a + splitmix; an ID, not a real digest).
pub fn hex64(seed: u64, text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325 ^ seed;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    let mut out = String::new();
    let mut x = h;
    for _ in 0..4 {
        x = x.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^= z >> 31;
        out.push_str(&format!("{z:016x}"));
    }
    out
}

pub fn pull_error(flavor: RuntimeFlavor, normalized: &str, original: &str) -> String {
    match flavor {
        RuntimeFlavor::Containerd => format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{normalized}\": failed to resolve reference \"{normalized}\": {normalized}: not found"
        ),
        RuntimeFlavor::Docker => {
            let short = original.to_string();
            format!("rpc error: code = Unknown desc = Error response from daemon: manifest for {short} not found: manifest unknown: manifest unknown")
        }
    }
}

/// Realistic, deterministic pull time: 0.4 s + 30 MB/s.
pub fn pull_duration(size: u64) -> Millis {
    400 + size / 30_000
}

const PATH_DEFAULT: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}
fn sv(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn exe(path: &str, prog: Program, mtime: i64) -> (String, Node) {
    (path.to_string(), Node { kind: NodeKind::File(Vec::new()), mode: 0o755, mtime, program: Some(prog) })
}

fn file(path: &str, content: &[u8], mtime: i64) -> (String, Node) {
    (path.to_string(), Node { kind: NodeKind::File(content.to_vec()), mode: 0o644, mtime, program: None })
}

fn nginx_version(tag: &str) -> Option<String> {
    let base = tag.split('-').next().unwrap_or(tag);
    match base {
        "latest" | "mainline" | "alpine" | "stable" | "perl" | "bookworm" => Some("1.27.4".into()),
        _ => {
            let parts: Vec<&str> = base.split('.').collect();
            if parts.iter().any(|p| p.parse::<u32>().is_err()) || parts.is_empty() || parts[0] != "1" {
                return None;
            }
            match parts.len() {
                3 => Some(base.to_string()),
                2 => {
                    let minor: u32 = parts[1].parse().ok()?;
                    if !(10..=29).contains(&minor) {
                        return None;
                    }
                    let patch = if minor == 27 { 4 } else { 1 };
                    Some(format!("1.{minor}.{patch}"))
                }
                1 => Some("1.27.4".into()),
                _ => None,
            }
        }
    }
}

/// `docs/html/50x.html` (497 bytes from 1.21.2 on, images.md §2.3).
const NGINX_50X_HTML: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";

pub fn nginx_index_html(_version: &str) -> &'static [u8] {
    // 615 bytes from 1.21.2 on (images.md §2.3); the file was captured from 1.27.4.
    include_bytes!("assets/nginx-index-1.21.html")
}

/// Look up a catalog image. `busybox_latest`: what `busybox:latest` is in the chosen era.
pub fn catalog(normalized: &str, repo: &str, tag: &str, busybox_latest: BusyboxVersion) -> Option<ImageInfo> {
    let mk = |entrypoint: Vec<String>,
              cmd: Vec<String>,
              env: Vec<(String, String)>,
              wd: &str,
              stop: Signal,
              userland: Userland,
              size: u64,
              created: i64,
              files: Vec<(String, Node)>,
              shell: BusyboxVersion| ImageInfo {
        normalized: normalized.to_string(),
        repo: repo.to_string(),
        tag: tag.to_string(),
        entrypoint,
        cmd,
        env,
        working_dir: wd.to_string(),
        stop_signal: stop,
        userland,
        size_bytes: size,
        created,
        files,
        shell_version: shell,
    };
    let bare_tag = tag.split('-').next().unwrap_or(tag);
    match repo {
        "docker.io/library/busybox" | "registry.k8s.io/busybox" | "gcr.io/google-containers/busybox" | "k8s.gcr.io/busybox" => {
            let v = if repo != "docker.io/library/busybox" {
                // The old Kubernetes docs image is busybox 1.24-era: 1.28 texts.
                BusyboxVersion::V1_28
            } else if matches!(bare_tag, "latest" | "stable" | "glibc" | "musl" | "uclibc" | "unstable") {
                busybox_latest
            } else {
                BusyboxVersion::from_tag(bare_tag)?
            };
            let created = v.image_created();
            Some(mk(
                vec![],
                sv(&["sh"]),
                env(&[("PATH", PATH_DEFAULT)]),
                "/",
                Signal::Term,
                Userland::Busybox(v),
                4_300_000,
                created,
                vec![],
                v,
            ))
        }
        "docker.io/library/alpine" => {
            let created = BusyboxVersion::V1_37.image_created();
            Some(mk(
                vec![],
                sv(&["/bin/sh"]),
                env(&[("PATH", PATH_DEFAULT)]),
                "/",
                Signal::Term,
                Userland::Busybox(BusyboxVersion::V1_37),
                8_300_000,
                created,
                vec![],
                BusyboxVersion::V1_37,
            ))
        }
        "docker.io/library/nginx" | "docker.io/sun2010wg/my-nginx" => {
            let version = if repo == "docker.io/sun2010wg/my-nginx" {
                if tag != "v2" && tag != "latest" {
                    return None;
                }
                "1.27.4".to_string()
            } else {
                nginx_version(tag)?
            };
            let created = 1_739_404_800; // 2025-02-13
            let minor: u32 = version.split('.').nth(1).and_then(|m| m.parse().ok()).unwrap_or(27);
            let stop = if minor > 19
                || version == "1.19.5"
                || version.starts_with("1.19.") && version.split('.').nth(2).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0) >= 5
            {
                Signal::Quit
            } else {
                Signal::Term
            };
            let files = vec![
                exe("/docker-entrypoint.sh", Program::Builtin("nginx-entrypoint".into()), created),
                exe("/usr/sbin/nginx", Program::Builtin("nginx".into()), created),
                file("/usr/share/nginx/html/50x.html", NGINX_50X_HTML.as_bytes(), created),
                file("/usr/share/nginx/html/index.html", nginx_index_html(&version), created),
                file("/etc/nginx/conf.d/default.conf", b"server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n", created),
                (String::from("/docker-entrypoint.d"), Node { kind: NodeKind::Dir, mode: 0o755, mtime: created, program: None }),
                (String::from("/var/log/nginx"), Node { kind: NodeKind::Dir, mode: 0o755, mtime: created, program: None }),
            ];
            Some(mk(
                sv(&["/docker-entrypoint.sh"]),
                sv(&["nginx", "-g", "daemon off;"]),
                env(&[
                    ("PATH", PATH_DEFAULT),
                    ("NGINX_VERSION", &version),
                    ("NJS_VERSION", "0.8.9"),
                    ("NJS_RELEASE", "1~bookworm"),
                    ("PKG_RELEASE", "1~bookworm"),
                    ("DYNPKG_RELEASE", "1~bookworm"),
                ]),
                "/",
                stop,
                Userland::Debian,
                72_000_000,
                created,
                files,
                BusyboxVersion::V1_37,
            ))
        }
        "docker.io/library/httpd" => {
            if !(matches!(bare_tag, "latest" | "2" | "2.4" | "alpine") || bare_tag.starts_with("2.4.")) {
                return None;
            }
            let created = 1_779_000_000;
            let files = vec![
                exe("/usr/local/bin/httpd-foreground", Program::Builtin("httpd-foreground".into()), created),
                exe("/usr/local/apache2/bin/httpd", Program::Builtin("apache-httpd".into()), created),
                file("/usr/local/apache2/htdocs/index.html", b"<html><body><h1>It works!</h1></body></html>\n", created),
            ];
            Some(mk(
                vec![],
                sv(&["httpd-foreground"]),
                env(&[
                    ("PATH", "/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                    ("HTTPD_PREFIX", "/usr/local/apache2"),
                    ("HTTPD_VERSION", "2.4.68"),
                ]),
                "/usr/local/apache2",
                Signal::Winch,
                Userland::Debian,
                58_000_000,
                created,
                files,
                BusyboxVersion::V1_37,
            ))
        }
        "docker.io/library/redis" => {
            if !(matches!(bare_tag, "latest" | "7" | "7.0" | "alpine") || bare_tag.starts_with("7.0")) {
                return None;
            }
            let created = 1_717_200_000;
            let files = vec![
                exe("/usr/local/bin/docker-entrypoint.sh", Program::Builtin("redis-entrypoint".into()), created),
                exe("/usr/local/bin/redis-server", Program::Builtin("redis-server".into()), created),
                (String::from("/data"), Node { kind: NodeKind::Dir, mode: 0o755, mtime: created, program: None }),
            ];
            Some(mk(
                sv(&["docker-entrypoint.sh"]),
                sv(&["redis-server"]),
                env(&[("PATH", PATH_DEFAULT), ("REDIS_VERSION", "7.0.15")]),
                "/data",
                Signal::Term,
                Userland::Debian,
                117_000_000,
                created,
                files,
                BusyboxVersion::V1_37,
            ))
        }
        "docker.io/library/python" => {
            if !(matches!(bare_tag, "latest" | "3" | "slim") || bare_tag.starts_with("3.")) {
                return None;
            }
            let created = 1_780_000_000;
            let files = vec![
                exe("/usr/local/bin/python", Program::Builtin("python".into()), created),
                exe("/usr/local/bin/python3", Program::Builtin("python".into()), created),
            ];
            Some(mk(
                vec![],
                sv(&["python3"]),
                env(&[("PATH", PATH_DEFAULT), ("LANG", "C.UTF-8"), ("PYTHON_VERSION", "3.13.0")]),
                "/",
                Signal::Term,
                Userland::Debian,
                1_020_000_000,
                created,
                files,
                BusyboxVersion::V1_37,
            ))
        }
        "registry.k8s.io/e2e-test-images/agnhost" => {
            if !tag.starts_with("2.") && tag != "latest" {
                return None;
            }
            let created = 1_730_000_000;
            let files = vec![exe("/agnhost", Program::Builtin("agnhost".into()), created)];
            Some(mk(
                sv(&["/agnhost"]),
                sv(&["pause"]),
                env(&[("PATH", PATH_DEFAULT)]),
                "/",
                Signal::Term,
                Userland::Busybox(BusyboxVersion::V1_37),
                52_000_000,
                created,
                files,
                BusyboxVersion::V1_37,
            ))
        }
        "registry.k8s.io/liveness" | "k8s.gcr.io/liveness" | "gcr.io/google_containers/liveness" => {
            let created = 1_500_000_000;
            Some(mk(
                vec![],
                vec![],
                vec![],
                "/",
                Signal::Term,
                Userland::None,
                2_100_000,
                created,
                vec![exe("/server", Program::Builtin("liveness".into()), created)],
                BusyboxVersion::V1_28,
            ))
        }
        "registry.k8s.io/goproxy" | "k8s.gcr.io/goproxy" => {
            if tag != "0.1" && tag != "latest" {
                return None;
            }
            let created = 1_480_000_000;
            Some(mk(
                sv(&["/goproxy"]),
                vec![],
                vec![],
                "/",
                Signal::Term,
                Userland::None,
                2_500_000,
                created,
                vec![exe("/goproxy", Program::Builtin("goproxy".into()), created)],
                BusyboxVersion::V1_28,
            ))
        }
        "registry.k8s.io/pause" | "k8s.gcr.io/pause" => {
            let created = 1_690_000_000;
            Some(mk(
                sv(&["/pause"]),
                vec![],
                vec![],
                "/",
                Signal::Term,
                Userland::None,
                320_000,
                created,
                vec![exe("/pause", Program::Builtin("pause".into()), created)],
                BusyboxVersion::V1_28,
            ))
        }
        // The image of the Kubernetes docs' "Assign Memory Resources" task: Alpine + stress.
        "docker.io/polinux/stress" => {
            if tag != "latest" {
                return None;
            }
            let created = 1_500_000_000;
            Some(mk(
                vec![],
                vec![],
                env(&[("PATH", PATH_DEFAULT)]),
                "/",
                Signal::Term,
                Userland::Busybox(BusyboxVersion::V1_28),
                4_000_000,
                created,
                vec![exe("/usr/local/bin/stress", Program::Builtin("stress".into()), created)],
                BusyboxVersion::V1_28,
            ))
        }
        _ => None,
    }
}

/// An author-defined image as catalog info.
pub fn author_info(def: &ImageDef, normalized: &str, repo: &str, tag: &str) -> ImageInfo {
    let created = 1_790_000_000;
    let prog_path = if def.program_path.is_empty() { "/app".to_string() } else { def.program_path.clone() };
    let mut files = vec![exe(&prog_path, Program::Author(normalized.to_string()), created)];
    for (p, content, mode) in &def.files {
        let mut n = Node { kind: NodeKind::File(content.clone().into_bytes()), mode: *mode, mtime: created, program: None };
        if n.mode == 0 {
            n.mode = 0o644;
        }
        files.push((p.clone(), n));
    }
    let entrypoint = match &def.startup_script {
        // `sh -c 'SCRIPT; exec /app "$@"' /app ARGS…`: the program replaces the shell as PID 1.
        Some(script) if def.entrypoint.is_empty() => {
            vec!["/bin/sh".to_string(), "-c".to_string(), format!("{script}\nexec {prog_path} \"$@\""), prog_path.clone()]
        }
        _ if def.entrypoint.is_empty() && def.cmd.is_empty() => vec![prog_path.clone()],
        _ => def.entrypoint.clone(),
    };
    // A startup script needs a shell: add busybox if the author did not choose one.
    let busybox = def.busybox.or(def.startup_script.as_ref().map(|_| BusyboxVersion::V1_37));
    let mut env = def.env.clone();
    if !env.iter().any(|(k, _)| k == "PATH") {
        env.insert(0, ("PATH".into(), PATH_DEFAULT.into()));
    }
    ImageInfo {
        normalized: normalized.to_string(),
        repo: repo.to_string(),
        tag: tag.to_string(),
        entrypoint,
        cmd: def.cmd.clone(),
        env,
        working_dir: def.working_dir.clone().unwrap_or_else(|| "/".into()),
        stop_signal: def.stop_signal.unwrap_or(Signal::Term),
        userland: match busybox {
            Some(v) => Userland::Busybox(v),
            None => Userland::None,
        },
        size_bytes: if def.size_bytes == 0 { 10_000_000 } else { def.size_bytes },
        created,
        files,
        shell_version: busybox.unwrap_or(BusyboxVersion::V1_37),
    }
}

/// Commands of the Debian-based images that exist there (coreutils, grep, findutils, hostname).
const DEBIAN_COMMANDS: &[&str] = &[
    "sh", "echo", "printf", "test", "[", "true", "false", "sleep", "cat", "touch", "rm", "rmdir", "mkdir", "ls", "cp", "mv", "chmod",
    "date", "env", "printenv", "hostname", "id", "whoami", "uname", "grep", "head", "tail", "wc", "seq", "yes", "basename", "dirname",
    "pwd", "tee", "find", "sync", "which", "cut", "tr", "sort", "uniq",
];

const ETC_PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
const ETC_GROUP: &str = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\ndialout:x:18:\nfloppy:x:19:\nvideo:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\noperator:x:37:\nutmp:x:43:\nplugdev:x:46:\nstaff:x:50:\nlock:x:54:\nnetdev:x:82:\nusers:x:100:\nnobody:x:65534:\n";

/// Build the container's writable layer: the image's files.
pub fn rootfs(info: &ImageInfo, limits: FsLimits) -> Tree {
    let t = info.created;
    let mut tree = Tree::new(limits, t);
    let dir = |mode: u32| Node { kind: NodeKind::Dir, mode, mtime: t, program: None };
    for d in [
        "bin",
        "dev",
        "etc",
        "home",
        "lib",
        "root",
        "usr",
        "usr/bin",
        "usr/sbin",
        "usr/local",
        "usr/local/bin",
        "var",
        "var/run",
        "proc",
        "sys",
    ] {
        tree.put_raw(d, dir(0o755));
    }
    tree.put_raw("tmp", dir(0o1777));
    // runc's default /dev: character devices, modelled as empty files (reads give EOF).
    for d in ["dev/null", "dev/zero", "dev/random", "dev/urandom", "dev/tty"] {
        tree.put_raw(d, Node { kind: NodeKind::File(Vec::new()), mode: 0o666, mtime: t, program: None });
    }
    tree.put_raw("root", dir(0o700));
    match &info.userland {
        Userland::None => {}
        Userland::Busybox(_) => {
            for a in crate::applets::APPLETS {
                tree.put_raw(
                    &format!("bin/{a}"),
                    Node { kind: NodeKind::File(Vec::new()), mode: 0o755, mtime: t, program: Some(Program::Busybox) },
                );
            }
            tree.put_raw("usr/bin/env", Node { kind: NodeKind::File(Vec::new()), mode: 0o755, mtime: t, program: Some(Program::Busybox) });
            tree.put_raw("etc/passwd", Node { kind: NodeKind::File(ETC_PASSWD.as_bytes().to_vec()), mode: 0o644, mtime: t, program: None });
            tree.put_raw("etc/group", Node { kind: NodeKind::File(ETC_GROUP.as_bytes().to_vec()), mode: 0o644, mtime: t, program: None });
        }
        Userland::Debian => {
            for a in DEBIAN_COMMANDS {
                let dirp = if matches!(
                    *a,
                    "env"
                        | "printenv"
                        | "id"
                        | "whoami"
                        | "head"
                        | "tail"
                        | "wc"
                        | "seq"
                        | "yes"
                        | "basename"
                        | "dirname"
                        | "tee"
                        | "find"
                        | "du"
                        | "stat"
                ) {
                    "usr/bin"
                } else {
                    "bin"
                };
                tree.put_raw(
                    &format!("{dirp}/{a}"),
                    Node { kind: NodeKind::File(Vec::new()), mode: 0o755, mtime: t, program: Some(Program::Busybox) },
                );
            }
            tree.put_raw(
                "etc/passwd",
                Node { kind: NodeKind::File(b"root:x:0:0:root:/root:/bin/bash\n".to_vec()), mode: 0o644, mtime: t, program: None },
            );
        }
    }
    for (p, n) in &info.files {
        tree.put_raw(p, n.clone());
    }
    tree
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        let cases = [
            ("busybox", "docker.io/library/busybox:latest"),
            ("busybox:1.28", "docker.io/library/busybox:1.28"),
            ("sun2010wg/my-nginx:v2", "docker.io/sun2010wg/my-nginx:v2"),
            ("registry.k8s.io/e2e-test-images/agnhost:2.40", "registry.k8s.io/e2e-test-images/agnhost:2.40"),
            ("docker.io/library/nginx", "docker.io/library/nginx:latest"),
            ("localhost:5000/app", "localhost:5000/app:latest"),
        ];
        for (r, want) in cases {
            assert_eq!(split_ref(r).0, want);
        }
    }

    #[test]
    fn a_digest_drops_the_tag() {
        let with_tag = "busybox:1.28@sha256:ab";
        assert_eq!(split_ref(with_tag), ("docker.io/library/busybox@sha256:ab".into(), "docker.io/library/busybox".into(), "1.28".into()));
        assert_eq!(podplay_k8s_util::image_ref::normalize(with_tag), "docker.io/library/busybox:1.28@sha256:ab");
        assert_eq!(split_ref("busybox@sha256:ab").2, "latest");
    }

    #[test]
    fn passwd_is_the_real_size() {
        // images.md §1.4: `ls -l /etc/passwd` shows 340 bytes.
        assert_eq!(ETC_PASSWD.len(), 340);
    }

    #[test]
    fn catalog_tags() {
        let l = BusyboxVersion::V1_38;
        let get = |r: &str| {
            let (n, repo, tag) = split_ref(r);
            catalog(&n, &repo, &tag, l)
        };
        assert_eq!(get("busybox").unwrap().userland, Userland::Busybox(BusyboxVersion::V1_38));
        assert_eq!(get("busybox:1.28").unwrap().userland, Userland::Busybox(BusyboxVersion::V1_28));
        assert_eq!(get("busybox:1.36.1").unwrap().userland, Userland::Busybox(BusyboxVersion::V1_36));
        assert!(get("nosuch:1").is_none());
        assert!(get("nginx:nosuch").is_none());
        assert_eq!(get("nginx").unwrap().stop_signal, Signal::Quit);
        assert_eq!(get("nginx:1.17").unwrap().stop_signal, Signal::Term);
        assert_eq!(nginx_index_html("1.27.4").len(), 615);
        assert_eq!(NGINX_50X_HTML.len(), 497);
    }
}
