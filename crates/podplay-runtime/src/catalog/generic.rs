//! Generic images: a Docker Hub official image (`images::is_official_image`) that no catalog
//! module models pulls with a believable tag, and runs the pod's `command`/`args` over busybox
//! 1.37's userland. Without a command it does what the image's Dockerfile and entrypoint do for
//! the most common learner cases, each read from the image's source (cited where it is
//! written); every other program of these images is a silent stand-in (`StandIn`) that keeps
//! running until it is stopped. `ImageInfo::generic` says so, so the kubelet's explanations can.

use super::{env, program_file, words, ImageRef, Launch, StartFn};
use crate::applets::Applet;
use crate::clock;
use crate::images::{self, ImageInfo, Userland, PATH_DEFAULT};
use crate::io::Stream;
use crate::programs::{Action, Behavior, SigReaction, SignalDelivery, Wire};
use crate::types::{BusyboxVersion, Signal};

/// The programs the generic images' files run (`Program::Builtin` names).
pub(super) const PROGRAMS: &[(&str, StartFn)] = &[
    ("node-entrypoint", start_node_entrypoint),
    ("interpreter", start_interpreter),
    ("exec-args", start_exec_args),
    ("postgres-entrypoint", start_postgres_entrypoint),
    ("mysql-entrypoint", start_mysql_entrypoint),
    ("mongo-entrypoint", start_mongo_entrypoint),
    ("generic-server", start_stand_in),
    ("hello", start_hello),
];

/// What a container of the image runs without a command, per image family.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DefaultRun {
    /// A bash as `CMD`: ubuntu's `["/bin/bash"]` (docker-library/repo-info
    /// `repos/ubuntu/remote/latest.md`, "Default Command"), debian's `["bash"]` (inherited by
    /// `golang:latest`, `repos/golang/remote/latest.md`). Without a TTY it reads its empty
    /// stdin and exits 0.
    Bash(&'static str),
    /// node's `docker-entrypoint.sh` + `CMD ["node"]`.
    Node,
    /// An interpreter's prompt as `CMD`, which without a TTY reads its empty stdin and exits 0:
    /// ruby's `["irb"]`, eclipse-temurin's `["jshell"]` after its `/__cacert_entrypoint.sh`
    /// (docker-library/repo-info, "Default Command" and "Entrypoint"). (entrypoint, program).
    Interpreter(Option<&'static str>, &'static str),
    /// postgres's `docker-entrypoint.sh` + `CMD ["postgres"]`, `STOPSIGNAL SIGINT`.
    Postgres,
    /// mysql's `docker-entrypoint.sh` + `CMD ["mysqld"]`.
    Mysql,
    /// mongo's `docker-entrypoint.sh` + `CMD ["mongod"]`.
    Mongo,
    /// redis's `docker-entrypoint.sh` (the catalog redis's) + `CMD ["redis-server"]`, for the
    /// tags the catalog's redis (7.0) does not model.
    Redis,
    /// hello-world: `FROM scratch`, its one program `/hello` as `CMD` (docker-library/hello-world
    /// `amd64/Dockerfile`).
    HelloWorld,
    /// Any other image: a stand-in program named after the image that runs until stopped.
    StandIn,
}

fn default_of(name: &str) -> DefaultRun {
    match name {
        "ubuntu" => DefaultRun::Bash("/bin/bash"),
        // debian's `CMD ["bash"]`, which golang (over buildpack-deps) and rust keep (their
        // "Default Command" in repo-info).
        "debian" | "buildpack-deps" | "golang" | "rust" => DefaultRun::Bash("bash"),
        "ruby" => DefaultRun::Interpreter(None, "irb"),
        "eclipse-temurin" => DefaultRun::Interpreter(Some("/__cacert_entrypoint.sh"), "jshell"),
        "node" => DefaultRun::Node,
        "postgres" => DefaultRun::Postgres,
        "mysql" => DefaultRun::Mysql,
        "mongo" => DefaultRun::Mongo,
        "hello-world" => DefaultRun::HelloWorld,
        _ => DefaultRun::StandIn,
    }
}

/// hello-world's size: its one file, amd64's `hello` (10,072 bytes, docker-library/hello-world).
const HELLO_BYTES: u64 = 10_072;

/// Families whose images carry a language runtime, a JVM or a database server: the large ones.
const LARGE_FAMILIES: &[&str] = &[
    "amazoncorretto",
    "buildpack-deps",
    "cassandra",
    "clojure",
    "eclipse-temurin",
    "elasticsearch",
    "elixir",
    "erlang",
    "gcc",
    "golang",
    "gradle",
    "haskell",
    "ibm-semeru-runtimes",
    "julia",
    "kibana",
    "logstash",
    "mariadb",
    "maven",
    "mongo",
    "mysql",
    "neo4j",
    "node",
    "openjdk",
    "perl",
    "php",
    "postgres",
    "pypy",
    "r-base",
    "ruby",
    "rust",
    "sapmachine",
    "sonarqube",
    "swift",
    "tomcat",
    "wordpress",
];

/// One size per class, each a real image's compressed transfer size for linux/amd64 (what
/// containerd reports as the image's size), from docker-library/repo-info's
/// `repos/NAME/remote/TAG.md` "Total Size" (2026-07): an alpine or slim variant is alpine
/// 3.24.1's root filesystem layer (`node:alpine`'s first), a plain image `ubuntu:latest`, a
/// large family's alpine or slim variant `node:alpine`, a large family's image `node:latest`.
/// The images of a class differ from it (`golang:latest` is 312 MB): the class is an estimate.
const SMALL_BYTES: u64 = 3_846_391;
const PLAIN_BYTES: u64 = 41_568_664;
const LARGE_SMALL_BYTES: u64 = 62_808_818;
const LARGE_BYTES: u64 = 442_394_221;

fn size_bytes(name: &str, tag: &str) -> u64 {
    let small = tag.split('-').any(|part| part.starts_with("alpine") || part == "slim");
    match (LARGE_FAMILIES.contains(&name), small) {
        (true, true) => LARGE_SMALL_BYTES,
        (true, false) => LARGE_BYTES,
        (false, true) => SMALL_BYTES,
        (false, false) => PLAIN_BYTES,
    }
}

/// Words official images put in tags besides versions: base distributions and their releases,
/// variants (`slim`, `fpm`), channels (`lts`).
const TAG_WORDS: &[&str] = &[
    "alpine",
    "slim",
    "bookworm",
    "bullseye",
    "buster",
    "trixie",
    "jammy",
    "noble",
    "focal",
    "bionic",
    "lts",
    "current",
    "stable",
    "fpm",
    "apache",
    "cli",
    "jdk",
    "jre",
    "management",
];

/// Whether the tag is one the registry plausibly has: `latest`, or parts joined by `-`, each
/// a version (`20`, `16.2`, `20240227`) or a tag word, optionally with a version glued on
/// (`alpine3.20`). Anything else is answered as a missing tag.
fn believable_tag(tag: &str) -> bool {
    tag == "latest" || (!tag.is_empty() && tag.split('-').all(|part| is_version(part) || is_tag_word(part)))
}

fn is_version(part: &str) -> bool {
    !part.is_empty() && part.split('.').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_tag_word(part: &str) -> bool {
    TAG_WORDS.iter().any(|word| part.strip_prefix(word).is_some_and(|rest| rest.is_empty() || is_version(rest)))
}

/// The configuration of a generic image, if `r` names an official image with a believable tag.
pub(super) fn config(r: &ImageRef) -> Option<ImageInfo> {
    let name = r.repo.strip_prefix("docker.io/library/")?;
    if !images::is_official_image(name) || !believable_tag(r.tag) {
        return None;
    }
    Some(with_default_run(generic_base(r, name), default_of(name), name))
}

/// What every generic image of `name` shares: busybox 1.37's userland, PATH, its size class.
fn generic_base(r: &ImageRef, name: &str) -> ImageInfo {
    ImageInfo {
        env: env(&[("PATH", PATH_DEFAULT)]),
        userland: Userland::Busybox(BusyboxVersion::V1_37),
        generic: true,
        user: String::new(),
        ..r.config(BusyboxVersion::V1_37.image_created(), size_bytes(name, r.tag))
    }
}

/// Tags of catalog repositories that their module does not model but that the registry has
/// (redis 6, 7.2, 7.4, 8, ...): they pull as generic images. (repository, whether the tag is
/// one, what runs).
const CATALOG_REAL_TAGS: &[(&str, fn(&str) -> bool, DefaultRun)] = &[("docker.io/library/redis", is_redis_release, DefaultRun::Redis)];

/// A believable tag of redis's majors 6 to 8.
fn is_redis_release(tag: &str) -> bool {
    believable_tag(tag) && matches!(tag.split(['.', '-']).next(), Some("6" | "7" | "8"))
}

/// A tag of a catalog repository its module refused, when the registry has it: a generic image.
pub(super) fn catalog_tag(r: &ImageRef) -> Option<ImageInfo> {
    let (repo, _, run) = CATALOG_REAL_TAGS.iter().find(|(repo, is_real, _)| *repo == r.repo && is_real(r.tag))?;
    let name = repo.rsplit('/').next().unwrap_or(repo);
    Some(with_default_run(generic_base(r, name), *run, name))
}

/// The image's entrypoint, command and files for what it runs without a command.
fn with_default_run(base: ImageInfo, run: DefaultRun, name: &str) -> ImageInfo {
    let created = base.created;
    match run {
        DefaultRun::Bash(path) => ImageInfo { cmd: words(&[path]), files: vec![program_file("/bin/bash", "bash", created)], ..base },
        DefaultRun::Node => entrypoint_image(base, "node-entrypoint", ("/usr/local/bin/node", "interpreter")),
        DefaultRun::Interpreter(entry, program) => ImageInfo {
            entrypoint: entry.map(|path| vec![path.to_string()]).unwrap_or_default(),
            cmd: words(&[program]),
            files: [
                entry.map(|path| vec![program_file(path, "exec-args", created)]).unwrap_or_default(),
                vec![program_file(&format!("/usr/local/bin/{program}"), "interpreter", created)],
            ]
            .concat(),
            ..base
        },
        DefaultRun::Postgres => ImageInfo {
            stop_signal: Signal::Int,
            ..entrypoint_image(base, "postgres-entrypoint", ("/usr/local/bin/postgres", "generic-server"))
        },
        DefaultRun::Mysql => {
            let env = env(&[("PATH", PATH_DEFAULT), ("MYSQL_VERSION", mysql_version(&base.tag))]);
            ImageInfo { env, ..entrypoint_image(base, "mysql-entrypoint", ("/usr/sbin/mysqld", "generic-server")) }
        }
        DefaultRun::Mongo => entrypoint_image(base, "mongo-entrypoint", ("/usr/bin/mongod", "generic-server")),
        DefaultRun::Redis => ImageInfo {
            working_dir: "/data".into(),
            ..entrypoint_image(base, "redis-entrypoint", ("/usr/local/bin/redis-server", "generic-server"))
        },
        DefaultRun::HelloWorld => ImageInfo {
            cmd: words(&["/hello"]),
            env: vec![],
            userland: Userland::None,
            size_bytes: HELLO_BYTES,
            files: vec![program_file("/hello", "hello", created)],
            ..base
        },
        DefaultRun::StandIn => ImageInfo {
            cmd: vec![name.to_string()],
            files: vec![program_file(&format!("/usr/local/bin/{name}"), "generic-server", created)],
            ..base
        },
    }
}

/// An image whose `ENTRYPOINT ["docker-entrypoint.sh"]` (`entry_program`) starts its main
/// program, the `CMD`: (its path, the program that runs it).
fn entrypoint_image(base: ImageInfo, entry_program: &str, (path, program): (&str, &str)) -> ImageInfo {
    let created = base.created;
    let cmd = path.rsplit('/').next().unwrap_or(path);
    ImageInfo {
        entrypoint: words(&["docker-entrypoint.sh"]),
        cmd: words(&[cmd]),
        files: vec![program_file("/usr/local/bin/docker-entrypoint.sh", entry_program, created), program_file(path, program, created)],
        ..base
    }
}

/// `MYSQL_VERSION` of docker-library/mysql's Dockerfiles (`versions.json`, 2026-06): 8.4's
/// for `8` and `8.*` tags, innovation's for `innovation` and `9.6*`, 9.7's for the others.
fn mysql_version(tag: &str) -> &'static str {
    if tag == "8" || tag.starts_with("8.") || tag.starts_with("8-") {
        "8.4.10-1.el9"
    } else if tag.starts_with("innovation") || tag.starts_with("9.6") {
        "9.6.0-1.el9"
    } else {
        "9.7.1-1.el9"
    }
}

/// The arguments after the program's own name.
fn args(launch: &Launch) -> Vec<String> {
    launch.argv.get(1..).unwrap_or_default().to_vec()
}

/// `if [ "${1:0:1}" = '-' ]; then set -- PROGRAM "$@"; fi`, which the postgres, mysql and
/// mongo entrypoints start with.
fn with_program_first(mut argv: Vec<String>, program: &str) -> Vec<String> {
    if argv.first().is_some_and(|a| a.starts_with('-')) {
        argv.insert(0, program.to_string());
    }
    argv
}

/// node's `docker-entrypoint.sh` (nodejs/docker-node): an option, a word that is no command,
/// or a file that is not executable gets `node` put before it; then `exec "$@"`.
fn start_node_entrypoint(launch: &mut Launch) -> Applet {
    let mut argv = args(launch);
    let needs_node = match argv.first() {
        Some(first) => first.starts_with('-') || !command_found(launch, first),
        None => false,
    };
    if needs_node {
        argv.insert(0, "node".into());
    }
    Applet::ExecInto { argv, output: vec![] }
}

/// `command -v NAME` in the container: a path that is an executable file, or a name in PATH.
fn command_found(launch: &mut Launch, name: &str) -> bool {
    let path = launch.env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_else(|| PATH_DEFAULT.to_string());
    let candidates: Vec<String> = if name.contains('/') {
        vec![crate::fs::normalize("/", name)]
    } else {
        path.split(':').map(|dir| format!("{}/{name}", dir.trim_end_matches('/'))).collect()
    };
    let view = launch.w.view(launch.cid, launch.now);
    candidates.iter().any(|c| view.node(c).is_some_and(|n| !n.is_dir() && n.is_executable()))
}

/// An entrypoint that only `exec "$@"`s after its set-up (eclipse-temurin's
/// `/__cacert_entrypoint.sh`, whose certificate import is not simulated).
fn start_exec_args(launch: &mut Launch) -> Applet {
    Applet::ExecInto { argv: args(launch), output: vec![] }
}

/// An interpreter (`node`, `irb`, `jshell`): without arguments it reads from stdin, which a
/// container without a TTY has empty, so it exits 0 at once (its banner, if it prints one, is
/// not simulated). A script or an option runs as the generic stand-in: podplay runs no
/// JavaScript, Ruby or Java.
fn start_interpreter(launch: &mut Launch) -> Applet {
    if launch.argv.len() <= 1 {
        return Applet::Exit(0);
    }
    start_stand_in(launch)
}

/// postgres's `docker-entrypoint.sh` (docker-library/postgres `_main`,
/// `docker_verify_minimum_env`): for `postgres` on an empty data directory, no
/// `POSTGRES_PASSWORD` and no `POSTGRES_HOST_AUTH_METHOD=trust` is an error and exit 1;
/// otherwise (initdb's own output not simulated) it ends its set-up and execs the server.
fn start_postgres_entrypoint(launch: &mut Launch) -> Applet {
    let argv = with_program_first(args(launch), "postgres");
    let wants_help = argv.iter().any(|a| matches!(a.as_str(), "-?" | "--help" | "--describe-config" | "-V" | "--version"));
    if argv.first().map(String::as_str) != Some("postgres") || wants_help {
        return Applet::ExecInto { argv, output: vec![] };
    }
    let trust = launch.env.iter().any(|(k, v)| k == "POSTGRES_HOST_AUTH_METHOD" && v == "trust");
    if !launch.env_set("POSTGRES_PASSWORD") && !trust {
        return Applet::Fail { output: lines(Stream::Stderr, POSTGRES_NO_PASSWORD), code: 1 };
    }
    let mut output = if trust { lines(Stream::Stderr, POSTGRES_TRUST_WARNING) } else { vec![] };
    output.extend(lines(Stream::Stdout, &["", "PostgreSQL init process complete; ready for start up.", ""]));
    Applet::ExecInto { argv, output }
}

const POSTGRES_NO_PASSWORD: &[&str] = &[
    "Error: Database is uninitialized and superuser password is not specified.",
    "       You must specify POSTGRES_PASSWORD to a non-empty value for the",
    "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".",
    "",
    "       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all",
    "       connections without a password. This is *not* recommended.",
    "",
    "       See PostgreSQL documentation about \"trust\":",
    "       https://www.postgresql.org/docs/current/auth-trust.html",
];

const POSTGRES_TRUST_WARNING: &[&str] = &[
    "********************************************************************************",
    "WARNING: POSTGRES_HOST_AUTH_METHOD has been set to \"trust\". This will allow",
    "         anyone with access to the Postgres port to access your database without",
    "         a password, even if POSTGRES_PASSWORD is set. See PostgreSQL",
    "         documentation about \"trust\":",
    "         https://www.postgresql.org/docs/current/auth-trust.html",
    "         In Docker's default configuration, this is effectively any other",
    "         container on the same system.",
    "",
    "         It is not recommended to use POSTGRES_HOST_AUTH_METHOD=trust. Replace",
    "         it with \"-e POSTGRES_PASSWORD=password\" instead to set a password in",
    "         \"docker run\".",
    "********************************************************************************",
];

fn lines(stream: Stream, texts: &[&str]) -> Vec<(Stream, String)> {
    texts.iter().map(|t| (stream, t.to_string())).collect()
}

/// mysql's `docker-entrypoint.sh` (docker-library/mysql 8.4, `_main`): for `mysqld` it notes
/// its start, switches from root to the `mysql` user (the script runs again and notes its
/// start again), and on an empty data directory needs one of the password variables
/// (`docker_verify_minimum_env`); then its set-up notes (the servers' own log lines are not
/// simulated) and `exec "$@"`.
fn start_mysql_entrypoint(launch: &mut Launch) -> Applet {
    let argv = with_program_first(args(launch), "mysqld");
    let wants_help = argv.iter().any(|a| matches!(a.as_str(), "-?" | "--help" | "--print-defaults" | "-V" | "--version"));
    if argv.first().map(String::as_str) != Some("mysqld") || wants_help {
        return Applet::ExecInto { argv, output: vec![] };
    }
    let stamp = clock::strftime("%Y-%m-%d %H:%M:%S+00:00", launch.wall_ms().div_euclid(1000));
    let note = |text: &str| (Stream::Stdout, format!("{stamp} [Note] [Entrypoint]: {text}"));
    let version = launch.env.iter().find(|(k, _)| k == "MYSQL_VERSION").map(|(_, v)| v.clone()).unwrap_or_default();
    let started = format!("Entrypoint script for MySQL Server {version} started.");
    let mut output = vec![note(&started), note("Switching to dedicated user 'mysql'"), note(&started)];
    let password_options = ["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"];
    if !password_options.iter().any(|name| launch.env_set(name)) {
        output.push((
            Stream::Stderr,
            format!("{stamp} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified"),
        ));
        output.extend(lines(Stream::Stderr, MYSQL_PASSWORD_OPTIONS));
        return Applet::Fail { output, code: 1 };
    }
    for text in ["Initializing database files", "Database files initialized", "Starting temporary server", "Temporary server started."] {
        output.push(note(text));
    }
    output.extend(mysql_setup_notes(launch).iter().map(|text| note(text)));
    output.extend([note("Stopping temporary server"), note("Temporary server stopped"), (Stream::Stdout, String::new())]);
    output.extend([note("MySQL init process done. Ready for start up."), (Stream::Stdout, String::new())]);
    Applet::ExecInto { argv, output }
}

const MYSQL_PASSWORD_OPTIONS: &[&str] = &[
    "    You need to specify one of the following as an environment variable:",
    "    - MYSQL_ROOT_PASSWORD",
    "    - MYSQL_ALLOW_EMPTY_PASSWORD",
    "    - MYSQL_RANDOM_ROOT_PASSWORD",
];

/// `docker_setup_db`'s notes for `MYSQL_DATABASE` and `MYSQL_USER` + `MYSQL_PASSWORD` (the
/// generated root password's note is not simulated: its value is random).
fn mysql_setup_notes(launch: &Launch) -> Vec<String> {
    let value = |name: &str| launch.env.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.clone());
    let (database, user) = (value("MYSQL_DATABASE"), value("MYSQL_USER"));
    let mut notes = Vec::new();
    if let Some(database) = &database {
        notes.push(format!("Creating database {database}"));
    }
    if let (Some(user), true) = (&user, launch.env_set("MYSQL_PASSWORD")) {
        notes.push(format!("Creating user {user}"));
        if let Some(database) = &database {
            notes.push(format!("Giving user {user} access to schema {database}"));
        }
    }
    notes
}

/// mongo's `docker-entrypoint.sh` (docker-library/mongo): an option gets `mongod` put before
/// it; for `mongod`, one of `MONGO_INITDB_ROOT_USERNAME` and `MONGO_INITDB_ROOT_PASSWORD`
/// without the other is an error and exit 1, and both make it create the root user on a
/// temporary server (whose own log is not simulated) before it execs the server.
fn start_mongo_entrypoint(launch: &mut Launch) -> Applet {
    let argv = with_program_first(args(launch), "mongod");
    if argv.first().map(String::as_str) != Some("mongod") {
        return Applet::ExecInto { argv, output: vec![] };
    }
    let (user, password) = (launch.env_set("MONGO_INITDB_ROOT_USERNAME"), launch.env_set("MONGO_INITDB_ROOT_PASSWORD"));
    if user != password {
        return Applet::Fail { output: lines(Stream::Stderr, MONGO_ROOT_USER_HALF), code: 1 };
    }
    let output = if user { lines(Stream::Stdout, &["", "", "MongoDB init process complete; ready for start up.", ""]) } else { vec![] };
    Applet::ExecInto { argv, output }
}

const MONGO_ROOT_USER_HALF: &[&str] = &[
    "",
    "error: missing 'MONGO_INITDB_ROOT_USERNAME' or 'MONGO_INITDB_ROOT_PASSWORD'",
    "       both must be specified for a user to be created",
    "",
];

/// hello-world's `/hello` (docker-library/hello-world `hello.c`): its message on stdout, for
/// amd64, then exit 0.
fn start_hello(_launch: &mut Launch) -> Applet {
    Applet::ExecInto { argv: vec![], output: lines(Stream::Stdout, HELLO_MESSAGE) }
}

const HELLO_MESSAGE: &[&str] = &[
    "",
    "Hello from Docker!",
    "This message shows that your installation appears to be working correctly.",
    "",
    "To generate this message, Docker took the following steps:",
    " 1. The Docker client contacted the Docker daemon.",
    " 2. The Docker daemon pulled the \"hello-world\" image from the Docker Hub.",
    "    (amd64)",
    " 3. The Docker daemon created a new container from that image which runs the",
    "    executable that produces the output you are currently reading.",
    " 4. The Docker daemon streamed that output to the Docker client, which sent it",
    "    to your terminal.",
    "",
    "To try something more ambitious, you can run an Ubuntu container with:",
    " $ docker run -it ubuntu bash",
    "",
    "Share images, automate workflows, and more with a free Docker ID:",
    " https://hub.docker.com/",
    "",
    "For more examples and ideas, visit:",
    " https://docs.docker.com/get-started/",
    "",
];

/// The well-known port of a generic image's server, by its program's name.
fn server_port(program: &str) -> Option<u16> {
    match program {
        "postgres" => Some(5432),
        "mysqld" => Some(3306),
        "mongod" => Some(27017),
        "redis-server" => Some(6379),
        _ => None,
    }
}

/// A generic image's program: it prints nothing, listens on its server's well-known port if
/// it has one, and runs until a signal ends it.
fn start_stand_in(launch: &mut Launch) -> Applet {
    let program = launch.argv.first().map(|a| a.rsplit('/').next().unwrap_or(a).to_string()).unwrap_or_default();
    let timeline = server_port(&program).map(|port| vec![(launch.now, Action::Listen(port))]).unwrap_or_default();
    launch.program(StandIn, timeline)
}

/// The stand-in's behaviour is generic: SIGTERM, SIGINT and SIGQUIT end it with exit 0 (a
/// server shutting down cleanly); its ports accept connections and speak no protocol.
struct StandIn;

impl Behavior for StandIn {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        match signal.sig {
            2 | 3 | 15 => signal.exit(0),
            _ => signal.default_action(),
        }
    }

    fn wire(&self, _port: u16) -> Wire {
        Wire::Raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn believable_tags() {
        for tag in
            ["latest", "16", "16.2", "20-alpine", "20.11.1-bookworm-slim", "lts-alpine", "7-jammy", "16-alpine3.20", "noble-20240423"]
        {
            assert!(believable_tag(tag), "{tag}");
        }
        for tag in ["", "nosuch", "v1", "16.", "1..2", "alpine-", "latest-alpine2x", "-16"] {
            assert!(!believable_tag(tag), "{tag}");
        }
    }

    #[test]
    fn sizes_by_family_and_variant() {
        assert_eq!(size_bytes("postgres", "16"), LARGE_BYTES);
        assert_eq!(size_bytes("postgres", "16-alpine"), LARGE_SMALL_BYTES);
        assert_eq!(size_bytes("ubuntu", "24.04"), PLAIN_BYTES);
        assert_eq!(size_bytes("debian", "bookworm-slim"), SMALL_BYTES);
    }
}
