//! Replays the captured busybox transcripts (images.md §0: each command ran as PID 1 of a fresh
//! pod-like namespace) through the Runtime and compares stdout, stderr and exit code byte for
//! byte, for all four busybox versions.

use podplay_runtime::*;

struct Case {
    cmd: String,
    stdout: String,
    stderr: String,
    exit: i32,
}

/// `cat -A` notation back to bytes: `$` ends a line, `^I` is TAB, `^M` is CR.
fn decode(lines: &[&str]) -> String {
    let mut s = String::new();
    for l in lines {
        let l = l.replace("^I", "\t").replace("^M", "\r");
        match l.strip_suffix('$') {
            Some(body) => {
                s.push_str(body);
                s.push('\n');
            }
            None => s.push_str(&l),
        }
    }
    s
}

fn parse(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = lines[i].strip_prefix("### $ ") else {
            i += 1;
            continue;
        };
        let mut cmd = first.to_string();
        i += 1;
        while i < lines.len() && lines[i] != "[stdout]" {
            cmd.push('\n');
            cmd.push_str(lines[i]);
            i += 1;
        }
        i += 1;
        let so = i;
        while lines[i] != "[stderr]" {
            i += 1;
        }
        let stdout = decode(&lines[so..i]);
        i += 1;
        let se = i;
        while !lines[i].starts_with("[exit ") {
            i += 1;
        }
        let stderr = decode(&lines[se..i]);
        let exit: i32 = lines[i].trim_start_matches("[exit ").trim_end_matches(']').parse().unwrap();
        cases.push(Case { cmd, stdout, stderr, exit });
        i += 1;
    }
    cases
}

/// Split a command line the way the capture script's shell did (quotes and backslashes).
fn split(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut it = cmd.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\'' => {
                have = true;
                for d in it.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                have = true;
                while let Some(d) = it.next() {
                    if d == '"' {
                        break;
                    }
                    if d == '\\' {
                        if let Some(e) = it.next() {
                            cur.push(e);
                        }
                        continue;
                    }
                    cur.push(d);
                }
            }
            ' ' => {
                if have {
                    out.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            _ => {
                have = true;
                cur.push(c);
            }
        }
    }
    if have {
        out.push(cur);
    }
    out
}

fn run_case(v: BusyboxVersion, case: &Case) -> (String, String, i32) {
    let cfg = RuntimeConfig {
        busybox_latest: v,
        wall_clock_start: 1_795_608_300,
        // The capture host's kernel (transcripts/README.md).
        kernel_release: "6.18.44-fc-v595".into(),
        kernel_version: "#1 SMP PREEMPT_DYNAMIC @0".into(),
        ..Default::default()
    };
    let mut rt = Runtime::new(cfg);
    rt.set_cluster_dns(vec![
        DnsRecord { name: "kubernetes.default.svc.cluster.local".into(), ip: "10.96.0.1".into() },
        DnsRecord { name: "kube-dns.kube-system.svc.cluster.local".into(), ip: "10.96.0.10".into() },
        DnsRecord { name: "nginx.default.svc.cluster.local".into(), ip: "10.96.12.34".into() },
    ]);
    let sb = rt.run_sandbox(
        0,
        SandboxConfig {
            name: "mypod".into(),
            namespace: "default".into(),
            uid: "u".into(),
            hostname: "mypod".into(),
            pod_ip: "10.244.0.5".into(),
            volumes: vec![VolumeSpec {
                name: "www".into(),
                source: VolumeSource::Files(vec![("index.html".into(), b"<h1>hello</h1>\n".to_vec(), 0o644)]),
                owned: false,
            }],
            ..Default::default()
        },
    );
    let cid = rt
        .create_container(
            0,
            sb,
            ContainerConfig {
                name: "c".into(),
                image: "docker.io/library/busybox:latest".into(),
                command: split(&case.cmd),
                mounts: vec![MountSpec { volume: "www".into(), path: "/www".into(), read_only: false, sub_path: None }],
                ..Default::default()
            },
        )
        .unwrap();
    if let Err(f) = rt.start_container(0, cid) {
        return (String::new(), f.message, f.exit_code);
    }
    let mut t = 0;
    while matches!(rt.container_state(cid), ContainerState::Running { .. }) && t < 20_000 {
        t += 100;
        rt.advance(t);
    }
    let code = match rt.container_state(cid) {
        ContainerState::Exited { exit_code, .. } => exit_code,
        other => panic!("{}: still {other:?}", case.cmd),
    };
    let mut so = String::new();
    let mut se = String::new();
    for l in rt.logs(cid) {
        let s = if l.stream == Stream::Stdout { &mut so } else { &mut se };
        s.push_str(&l.text);
        s.push('\n');
    }
    (so, se, code)
}

/// Cases whose output depends on the capture harness, not on busybox.
fn harness_specific(v: BusyboxVersion, cmd: &str) -> bool {
    // 1.28.4 and 1.36.1 were built by the harness and run in the 1.38 rootfs (images.md §0):
    // their build stamps and file dates are not the official images'.
    if matches!(v, BusyboxVersion::V1_28 | BusyboxVersion::V1_36)
        && (cmd == "sleep" || cmd == "ls -l /etc/passwd" || cmd == "mkdir -p /tmp/a/b" || cmd.ends_with(" -x"))
    {
        return true;
    }
    [
        "ping -c 1 127",      // measured round-trip times
        "date",               // wall clock
        "$SHLVL",             // the harness started commands from a wrapper shell (SHLVL=2)
        "ls -la /www",        // link counts of the harness rootfs
        "nonexistent-binary", // run through the harness wrapper script
        "^id$",
        "python3",
        "netstat",
        "ps",           // show the harness's fake DNS server (pid 6)
        "-S --spider",  // Date header of the run
        "| nc",         // Date header of the run
        "-vv",          // ephemeral client ports
        "-v -p",        // ephemeral client ports
        "google.com",   // external DNS
        "ping -c 1 -W", // no route in the harness netns
        "nc -w 2",
        "-T 2",
        "/proc/nope", // /proc is not simulated
    ]
    .iter()
    .any(|p| if let Some(x) = p.strip_prefix('^') { cmd == x.trim_end_matches('$') } else { cmd.contains(p) })
}

fn check(file: &str, v: BusyboxVersion) {
    let text = std::fs::read_to_string(format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for case in parse(&text) {
        if harness_specific(v, &case.cmd) {
            continue;
        }
        n += 1;
        let (so, se, code) = run_case(v, &case);
        if so != case.stdout || se != case.stderr || code != case.exit {
            failures.push(format!(
                "--- {}\n  want stdout {:?}\n  got  stdout {:?}\n  want stderr {:?}\n  got  stderr {:?}\n  want exit {} got {}",
                case.cmd, case.stdout, so, case.stderr, se, case.exit, code
            ));
        }
    }
    assert!(n > 10, "{file}: only {n} cases");
    eprintln!("{file}: {n} cases compared");
    assert!(failures.is_empty(), "{file}: {} of {n} cases differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn busybox_1_38_basic() {
    check("busybox-bb-latest-glibc-basic.txt", BusyboxVersion::V1_38);
}
#[test]
fn busybox_1_37_basic() {
    check("busybox-bb-latest-1-glibc-basic.txt", BusyboxVersion::V1_37);
}
#[test]
fn busybox_1_36_basic() {
    check("busybox-bb-136-basic.txt", BusyboxVersion::V1_36);
}
#[test]
fn busybox_1_28_basic() {
    check("busybox-bb-128-basic.txt", BusyboxVersion::V1_28);
}
#[test]
fn busybox_1_38_net() {
    check("busybox-bb-latest-glibc-net.txt", BusyboxVersion::V1_38);
}
#[test]
fn busybox_1_37_net() {
    check("busybox-bb-latest-1-glibc-net.txt", BusyboxVersion::V1_37);
}
#[test]
fn busybox_1_36_net() {
    check("busybox-bb-136-net.txt", BusyboxVersion::V1_36);
}
#[test]
fn busybox_1_28_net() {
    check("busybox-bb-128-net.txt", BusyboxVersion::V1_28);
}
