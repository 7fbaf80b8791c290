//! What every image shares: references and their normalisation, pull results and times, the
//! image configuration (`ImageInfo`) and the root filesystem built from it (images.md §1.1,
//! §2.1, §3, §4). The images themselves are in `catalog` (one module each) and `authored`.

use crate::fs::{FsLimits, Node, NodeKind, Program, Tree};
use crate::types::{BusyboxVersion, Millis, RuntimeFlavor, Signal};

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
    /// A generic image (`catalog::generic`): an official image whose programs podplay does
    /// not model, run over a busybox userland.
    pub generic: bool,
    /// The image's `User` (its Dockerfile's `USER`: `1234`, `1234:5678`, `nginx`); empty:
    /// root.
    pub user: String,
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
    // Digits written directly: every container start asks for its image's IDs, and four
    // `format!`s cost more than the hashing.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(64);
    let mut x = h;
    for _ in 0..4 {
        x = x.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^= z >> 31;
        out.extend((0..16).rev().map(|nibble| DIGITS[(z >> (4 * nibble)) as usize & 15]));
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The registry's refusal of an image podplay does not hold, through the runtime: a tag missing
/// from a repository the registry has is NotFound; a repository it does not have (Docker Hub
/// cannot tell one that does not exist from a private one) is an authorization failure, which
/// containerd returns with code Unknown.
pub fn pull_error(flavor: RuntimeFlavor, normalized: &str, repo: &str, original: &str, repository_exists: bool) -> String {
    match (flavor, repository_exists) {
        (RuntimeFlavor::Containerd, true) => format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{normalized}\": failed to resolve reference \"{normalized}\": {normalized}: not found"
        ),
        (RuntimeFlavor::Containerd, false) => format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{normalized}\": failed to resolve reference \"{normalized}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        ),
        (RuntimeFlavor::Docker, true) => {
            format!("rpc error: code = Unknown desc = Error response from daemon: manifest for {original} not found: manifest unknown: manifest unknown")
        }
        (RuntimeFlavor::Docker, false) => {
            // The daemon names the repository as Docker Hub's short form (`ngnix`, `user/app`).
            let short = repo.strip_prefix("docker.io/").map(|r| r.strip_prefix("library/").unwrap_or(r)).unwrap_or(repo);
            format!("rpc error: code = Unknown desc = Error response from daemon: pull access denied for {short}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied")
        }
    }
}

/// Docker Hub's official images: every name that has been in docker-library/official-images'
/// `library/` directory (its git history to 2026-08-22, deprecated ones included: Docker Hub
/// keeps their repositories).
const DOCKER_HUB_OFFICIAL_IMAGES: &[&str] = &[
    "adminer",
    "adoptopenjdk",
    "aerospike",
    "almalinux",
    "alpine",
    "alt",
    "amazoncorretto",
    "amazonlinux",
    "api-firewall",
    "arangodb",
    "archlinux",
    "azul-zulu",
    "backdrop",
    "bash",
    "bonita",
    "buildpack-deps",
    "busybox",
    "caddy",
    "cassandra",
    "celery",
    "centos",
    "chronograf",
    "cirros",
    "clearlinux",
    "clefos",
    "clickhouse",
    "clojure",
    "composer",
    "consul",
    "convertigo",
    "couchbase",
    "couchdb",
    "couchdb-nouveau",
    "crate",
    "crux",
    "dart",
    "debian",
    "django",
    "docker",
    "docker-dev",
    "drupal",
    "eclipse-mosquitto",
    "eclipse-temurin",
    "eggdrop",
    "elasticsearch",
    "elixir",
    "emqx",
    "erlang",
    "espocrm",
    "euleros",
    "express-gateway",
    "fedora",
    "flink",
    "fluentd",
    "friendica",
    "fsharp",
    "gazebo",
    "gcc",
    "geonetwork",
    "ghost",
    "glassfish",
    "golang",
    "gradle",
    "groovy",
    "haproxy",
    "haskell",
    "haxe",
    "hello-seattle",
    "hello-world",
    "hipache",
    "hitch",
    "hola-mundo",
    "httpd",
    "hylang",
    "ibm-semeru-runtimes",
    "ibmjava",
    "influxdb",
    "iojs",
    "irssi",
    "java",
    "jenkins",
    "jetty",
    "jobber",
    "joomla",
    "jruby",
    "julia",
    "kaazing-gateway",
    "kapacitor",
    "kibana",
    "known",
    "kong",
    "krakend",
    "lightstreamer",
    "lightstreamer-server",
    "liquibase",
    "logstash",
    "mageia",
    "mariadb",
    "matomo",
    "maven",
    "mediawiki",
    "memcached",
    "mongo",
    "mongo-express",
    "monica",
    "mono",
    "mosquitto",
    "mysql",
    "nats",
    "nats-streaming",
    "neo4j",
    "neurodebian",
    "nextcloud",
    "nginx",
    "nim",
    "node",
    "notary",
    "notary-server",
    "notary-signer",
    "nuxeo",
    "odoo",
    "open-liberty",
    "openjdk",
    "opensuse",
    "oraclelinux",
    "orientdb",
    "owncloud",
    "percona",
    "perl",
    "photon",
    "php",
    "php-zendserver",
    "phpmyadmin",
    "piwik",
    "plone",
    "postfixadmin",
    "postgres",
    "pypy",
    "python",
    "r-base",
    "rabbitmq",
    "rails",
    "rakudo-star",
    "rapidoid",
    "redis",
    "redmine",
    "registry",
    "rethinkdb",
    "rocket.chat",
    "rockylinux",
    "ros",
    "ruby",
    "rust",
    "sapmachine",
    "satosa",
    "sentry",
    "silverpeas",
    "sl",
    "solr",
    "sonarqube",
    "sourcemage",
    "spark",
    "spiped",
    "storm",
    "swarm",
    "swift",
    "swipl",
    "teamspeak",
    "telegraf",
    "thrift",
    "tomcat",
    "tomee",
    "traefik",
    "ubuntu",
    "ubuntu-debootstrap",
    "ubuntu-upstart",
    "unit",
    "varnish",
    "vault",
    "websphere-liberty",
    "wordpress",
    "xwiki",
    "yourls",
    "zend-php",
    "znc",
    "zookeeper",
];

/// Whether `name` is a Docker Hub official image (`docker.io/library/NAME`).
pub fn is_official_image(name: &str) -> bool {
    DOCKER_HUB_OFFICIAL_IMAGES.contains(&name)
}

/// Whether the registry of `repo` (normalized, without its tag) has that repository, as far as
/// podplay can know: Docker Hub's official images do; a user's repository on Docker Hub podplay
/// cannot see, and answers as one that does not exist or is private; other registries'
/// repositories are taken to exist (their missing tags are NotFound).
pub fn registry_has_repository(repo: &str) -> bool {
    match repo.strip_prefix("docker.io/") {
        Some(path) => path.strip_prefix("library/").is_some_and(is_official_image),
        None => true,
    }
}

/// Realistic, deterministic pull time: 0.4 s + 30 MB/s.
pub fn pull_duration(size: u64) -> Millis {
    400 + size / 30_000
}

/// The PATH most images set.
pub(crate) const PATH_DEFAULT: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// An image's executable file at `path` that runs `prog`.
pub(crate) fn exe(path: &str, prog: Program, mtime: i64) -> (String, Node) {
    (path.to_string(), Node { kind: NodeKind::File(Vec::new()), mode: 0o755, mtime, program: Some(prog), owner: crate::fs::Owner::ROOT })
}

/// An image's regular file at `path`.
pub(crate) fn file(path: &str, content: &[u8], mtime: i64) -> (String, Node) {
    (path.to_string(), Node { kind: NodeKind::File(content.to_vec()), mode: 0o644, mtime, program: None, owner: crate::fs::Owner::ROOT })
}

/// Commands of the Debian-based images that exist there (coreutils, grep, findutils, hostname).
const DEBIAN_COMMANDS: &[&str] = &[
    "sh", "echo", "printf", "test", "[", "true", "false", "sleep", "cat", "touch", "rm", "rmdir", "mkdir", "ls", "cp", "mv", "chmod",
    "date", "env", "printenv", "hostname", "id", "whoami", "uname", "grep", "head", "tail", "wc", "seq", "yes", "basename", "dirname",
    "pwd", "tee", "find", "sync", "which", "cut", "tr", "sort", "uniq",
];

const ETC_PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
const ETC_GROUP: &str = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\ndialout:x:18:\nfloppy:x:19:\nvideo:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\noperator:x:37:\nutmp:x:43:\nplugdev:x:46:\nstaff:x:50:\nlock:x:54:\nnetdev:x:82:\nusers:x:100:\nnobody:x:65534:\n";

/// The Debian commands that live in `/usr/bin` (the others are in `/bin`).
const DEBIAN_USR_BIN: &[&str] =
    &["env", "printenv", "id", "whoami", "head", "tail", "wc", "seq", "yes", "basename", "dirname", "tee", "find", "du", "stat"];

/// Build the container's writable layer: the image's files.
pub fn rootfs(info: &ImageInfo, limits: FsLimits) -> Tree {
    let t = info.created;
    let mut tree = Tree::new(limits, t);
    put_skeleton(&mut tree, t);
    match &info.userland {
        Userland::None => {}
        Userland::Busybox(_) => put_busybox(&mut tree, t),
        Userland::Debian => put_debian(&mut tree, t),
    }
    for (p, n) in &info.files {
        tree.put_raw(p, n.clone());
    }
    tree
}

fn dir(mode: u32, mtime: i64) -> Node {
    Node { kind: NodeKind::Dir, mode, mtime, program: None, owner: crate::fs::Owner::ROOT }
}

fn text_file(content: &[u8], mtime: i64) -> Node {
    Node { kind: NodeKind::File(content.to_vec()), mode: 0o644, mtime, program: None, owner: crate::fs::Owner::ROOT }
}

/// A command of the userland: the busybox applet of its name runs it.
fn command(mtime: i64) -> Node {
    Node { kind: NodeKind::File(Vec::new()), mode: 0o755, mtime, program: Some(Program::Busybox), owner: crate::fs::Owner::ROOT }
}

/// The directories every image has, and runc's default `/dev`.
fn put_skeleton(tree: &mut Tree, t: i64) {
    let dirs = [
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
    ];
    for d in dirs {
        tree.put_raw(d, dir(0o755, t));
    }
    tree.put_raw("tmp", dir(0o1777, t));
    // Character devices, modelled as empty files (reads give EOF).
    for d in ["dev/null", "dev/zero", "dev/random", "dev/urandom", "dev/tty"] {
        tree.put_raw(d, Node { kind: NodeKind::File(Vec::new()), mode: 0o666, mtime: t, program: None, owner: crate::fs::Owner::ROOT });
    }
    tree.put_raw("root", dir(0o700, t));
}

/// busybox's applets in `/bin` (and `/usr/bin/env`), its passwd and group.
fn put_busybox(tree: &mut Tree, t: i64) {
    for a in crate::applets::APPLETS {
        tree.put_raw(&format!("bin/{a}"), command(t));
    }
    tree.put_raw("usr/bin/env", command(t));
    tree.put_raw("etc/passwd", text_file(ETC_PASSWD.as_bytes(), t));
    tree.put_raw("etc/group", text_file(ETC_GROUP.as_bytes(), t));
}

/// The Debian commands where Debian has them, and root's passwd entry.
fn put_debian(tree: &mut Tree, t: i64) {
    for a in DEBIAN_COMMANDS {
        let dir = if DEBIAN_USR_BIN.contains(a) { "usr/bin" } else { "bin" };
        tree.put_raw(&format!("{dir}/{a}"), command(t));
    }
    tree.put_raw("etc/passwd", text_file(b"root:x:0:0:root:/root:/bin/bash\n", t));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits are those of `{:016x}` of each of the four words.
    #[test]
    fn hex64_prints_four_words_in_lowercase_hex() {
        let id = hex64(1, "docker.io/library/nginx:1.27");
        assert_eq!(id.len(), 64);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        let words: Vec<u64> = (0..4).map(|i| u64::from_str_radix(&id[16 * i..16 * (i + 1)], 16).unwrap()).collect();
        assert_eq!(words.iter().map(|w| format!("{w:016x}")).collect::<String>(), id);
        assert_ne!(hex64(1, "a"), hex64(2, "a"));
    }

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
}
