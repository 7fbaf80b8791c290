//! Containers' lives through the Runtime API: the seed's scenarios (probes, hooks, restarts), exits, exec, volumes, processes (images.md §1.3, §2, §6; kubelet.md §4).

mod common;

use common::*;
use podplay_runtime::*;

#[test]
fn liveness_exec_scenario() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "pod-live-exec", "10.244.0.5");
    let c = container(
        &mut rt,
        sb,
        "busybox",
        &["/bin/sh", "-c", "touch /tmp/healthy-test; sleep 60; rm -rf /tmp/healthy-test; sleep 3600"],
        &[],
    );
    rt.start_container(0, c).unwrap();
    assert_eq!(rt.container_state(c), ContainerState::Running { started_at: 0 });
    assert_eq!(rt.next_wakeup(), Some(60_000));
    rt.advance(30_000);
    assert_eq!(exec(&mut rt, 30_000, c, &["test", "-e", "/tmp/healthy-test"]).1, 0);
    rt.advance(61_000);
    assert_eq!(exec(&mut rt, 61_000, c, &["test", "-e", "/tmp/healthy-test"]).1, 1);
    // The last simple command replaced the shell (images.md §1.3): PID 1 is `sleep 3600`.
    let (ps, _) = exec(&mut rt, 61_000, c, &["ps"]);
    assert!(ps.starts_with("PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n"), "{ps}");
    // SIGTERM is ignored by PID 1 without a handler; SIGKILL at the end of the grace period.
    rt.stop_container(62_000, c, 30);
    assert!(rt.advance(91_999).is_empty());
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }));
    let ev = rt.advance(92_000);
    assert_eq!(ev, vec![RuntimeEvent::ContainerExited { id: c, at: 92_000, exit_code: 137, reason: "Error".into() }]);
    // exec into the stopped container: the containerd rpc error.
    match rt.exec_sync(93_000, c, &s(&["test", "-e", "/tmp/x"]), None) {
        ExecOutcome::NotRunning { message, exit_code: None } => {
            assert!(message.contains("cannot exec in a stopped container"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn poststart_fail_scenario() {
    for (v, want) in [
        (BusyboxVersion::V1_28, "httpd: can't change directory to ' /data/web/html': No such file or directory\n"),
        (BusyboxVersion::V1_38, "httpd: can't change directory to ' /data/web/html': No such file or directory\n"),
    ] {
        let mut rt = runtime(v);
        let sb = pod(&mut rt, "pod-poststart", "10.244.0.6");
        let c = container(&mut rt, sb, "busybox", &["/bin/httpd"], &["-f", "-h /data/web/html"]);
        rt.start_container(1_000, c).unwrap();
        match rt.container_state(c) {
            ContainerState::Exited { exit_code: 1, reason, finished_at: 1_000, .. } => assert_eq!(reason, "Error"),
            other => panic!("{other:?}"),
        }
        assert_eq!(log_text(&rt, c), want);
        assert_eq!(rt.logs(c)[0].stream, Stream::Stderr);
        assert_eq!(rt.advance(1_000), vec![RuntimeEvent::ContainerExited { id: c, at: 1_000, exit_code: 1, reason: "Error".into() }]);
        // The postStart hook's exec finds the container stopped.
        assert!(matches!(rt.exec_sync(1_000, c, &s(&["/bin/sh", "-c", "mkdir -p /data/web/html"]), None), ExecOutcome::NotRunning { .. }));
    }
    // Docker flavor: exit 126 and the dockershim text (kubelet.md §4).
    let mut rt = Runtime::new(RuntimeConfig { flavor: RuntimeFlavor::Docker, ..Default::default() });
    let sb = pod(&mut rt, "p", "10.244.0.7");
    let c = container(&mut rt, sb, "busybox", &["/bin/httpd"], &["-f", "-h /data/web/html"]);
    rt.start_container(0, c).unwrap();
    assert_eq!(
        rt.exec_sync(0, c, &s(&["true"]), None),
        ExecOutcome::NotRunning { message: "cannot exec in a stopped state: unknown\r\n".into(), exit_code: Some(126) }
    );
}

#[test]
fn exec_missing_binary_and_exit_codes() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "nginx", "10.244.0.15");
    let c = container(&mut rt, sb, "nginx", &[], &[]);
    rt.start_container(0, c).unwrap();
    // The Debian-based nginx image has no `ps` (images.md §6.1).
    match rt.exec_sync(1_000, c, &s(&["ps"]), None) {
        ExecOutcome::MissingBinary { message, exit_code: None } => {
            assert!(message.starts_with("failed to exec in container: failed to start exec \""), "{message}");
            assert!(message.ends_with("\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"ps\": executable file not found in $PATH: unknown"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Debian userland: GNU coreutils and dash texts.
    let cases: &[(&[&str], &str, i32)] = &[
        (&["cat", "/nope"], "cat: /nope: No such file or directory\n", 1),
        (&["rm", "/nope"], "rm: cannot remove '/nope': No such file or directory\n", 1),
        (&["ls", "/nope"], "ls: cannot access '/nope': No such file or directory\n", 2),
        (&["mkdir", "/tmp"], "mkdir: cannot create directory '/tmp': File exists\n", 1),
        (&["touch", "/a/b"], "touch: cannot touch '/a/b': No such file or directory\n", 1),
        (&["sleep", "abc"], "sleep: invalid time interval 'abc'\nTry 'sleep --help' for more information.\n", 1),
        (&["sh", "-c", "foo"], "sh: 1: foo: not found\n", 127),
        (&["sh", "-c", "echo a\nfoo"], "a\nsh: 2: foo: not found\n", 127),
        (&["sh", "-c", "cd /nope"], "sh: 1: cd: can't cd to /nope\n", 2),
        (&["sh", "-c", "echo hi > /x/y; echo $?"], "sh: 1: cannot create /x/y: Directory nonexistent\n2\n", 0),
        (&["sh", "-c", "if then"], "sh: 1: Syntax error: \"then\" unexpected\n", 2),
        (&["id"], "uid=0(root) gid=0(root) groups=0(root)\n", 0),
        (&["sh", "-c", "echo -e 'a\\tb'"], "-e a\tb\n", 0),
    ];
    for (argv, want, code) in cases {
        assert_eq!(exec(&mut rt, 1_000, c, argv), (want.to_string(), *code), "{argv:?}");
    }
    let id = rt.container_id_string(c);
    assert!(id.starts_with("containerd://") && id.len() == 13 + 64, "{id}");
}

#[test]
fn emptydir_is_shared_between_containers_and_fs_limits_apply() {
    let mut rt = Runtime::new(RuntimeConfig {
        fs_limits: podplay_runtime::fs::FsLimits { max_bytes: 1 << 20, max_files: 10_000 },
        node_disk_capacity: 8 << 20,
        node_disk_used: 0,
        ..Default::default()
    });
    let sb = pod(&mut rt, "two", "10.244.0.21");
    let a = container(&mut rt, sb, "busybox", &["sh", "-c", "echo from-a > /shared/msg; sleep 3600"], &[]);
    let b = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, a).unwrap();
    rt.start_container(0, b).unwrap();
    assert_eq!(exec(&mut rt, 10, b, &["cat", "/shared/msg"]), ("from-a\n".into(), 0));
    assert_eq!(exec(&mut rt, 10, b, &["cat", "/etc/hostname"]), ("two\n".into(), 0));
    assert_eq!(exec(&mut rt, 10, b, &["cat", "/var/run/secrets/kubernetes.io/serviceaccount/namespace"]), ("default".into(), 0));
    let (hosts, _) = exec(&mut rt, 10, b, &["cat", "/etc/hosts"]);
    assert!(
        hosts.starts_with("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n") && hosts.ends_with("10.244.0.21\ttwo\n"),
        "{hosts}"
    );
    // /tmp of one container is not the other's.
    exec(&mut rt, 10, a, &["touch", "/tmp/only-a"]);
    assert_eq!(exec(&mut rt, 10, b, &["test", "-e", "/tmp/only-a"]).1, 1);
    // The writable layer is on the node's disk (8 MiB here): `yes` fills it and stops with
    // ENOSPC, and the file holds what fitted (kept by its size, not byte by byte).
    let (out, code) = exec(&mut rt, 10, b, &["sh", "-c", "yes > /tmp/big; echo $?; wc -c /tmp/big"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(&lines[..2], ["yes: No space left on device", "1"], "{out}");
    let size: u64 = lines[2].split_whitespace().next().unwrap().parse().unwrap();
    assert!(size > 7 << 20 && size <= 8 << 20 && size.is_multiple_of(4096), "{out}");
    // wget by service name goes through DNS (no server there: the address does not answer).
    let (out, code) = exec(&mut rt, 10, b, &["wget", "-T", "1", "-O-", "http://nosuch/"]);
    assert_eq!((out.as_str(), code), ("wget: bad address 'nosuch'\n", 1));
}

#[test]
fn ps_shows_the_process_tree() {
    let mut rt = runtime(BusyboxVersion::V1_38);
    let sb = pod(&mut rt, "bb", "10.244.0.22");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do sleep 1; done"], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(2_500);
    let (out, _) = exec(&mut rt, 2_500, c, &["ps"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "PID   USER     TIME  COMMAND");
    assert_eq!(lines[1], "    1 root      0:00 sh -c while true; do sleep 1; done");
    assert!(lines[2].ends_with(" root      0:00 sleep 1"), "{out}");
    assert!(lines[3].ends_with(" root      0:00 ps"), "{out}");
    // Background job of a PID-1 shell keeps running; `kill` of a child works (not PID 1).
    let c2 = container(&mut rt, sb, "busybox", &["sh", "-c", "sleep 100 & echo started $!; wait; echo waited $?"], &[]);
    rt.start_container(3_000, c2).unwrap();
    assert_eq!(log_text(&rt, c2), "started 2\n");
    assert_eq!(exec(&mut rt, 4_000, c2, &["kill", "2"]).1, 0);
    rt.advance(4_000);
    assert_eq!(log_text(&rt, c2), "started 2\nwaited 0\n");
    assert!(matches!(rt.container_state(c2), ContainerState::Exited { exit_code: 0, .. }));
}

#[test]
fn exec_with_stdin_runs_a_script() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bb", "10.244.0.97");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    match rt.exec_sync_with_input(0, c, &s(&["sh"]), None, b"echo from-stdin\nhostname\n") {
        ExecOutcome::Completed { output, exit_code, .. } => assert_eq!((output.as_str(), exit_code), ("from-stdin\nbb\n", 0)),
        other => panic!("{other:?}"),
    }
    match rt.exec_sync_with_input(0, c, &s(&["wc", "-l"]), None, b"a\nb\n") {
        ExecOutcome::Completed { output, .. } => assert_eq!(output, "2\n"),
        other => panic!("{other:?}"),
    }
    assert!(rt.pull_duration("busybox").unwrap() > 0);
    assert_eq!(rt.pull_duration("nosuch"), None);
}

/// Remembered execs of pure readers (`test`, `cat FILE`) answer as a real run would: a change
/// to the files is seen at once, a file in a shared volume too, and the pids they use are
/// still used (the next process gets the same pid as without memory).
#[test]
fn remembered_reader_execs_see_file_changes_and_use_pids() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "p", "10.244.0.7");
    let c = container(&mut rt, sb, "busybox:1.36", &["sh", "-c", "touch /tmp/ok; sleep 3600"], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(1_000);
    let pid = |rt: &mut Runtime, t| exec(rt, t, c, &["sh", "-c", "echo $$"]).0.trim().parse::<u32>().unwrap();
    let first = pid(&mut rt, 2_000);
    for i in 0..3 {
        assert_eq!(exec(&mut rt, 3_000 + i, c, &["test", "-e", "/tmp/ok"]), (String::new(), 0));
        assert_eq!(exec(&mut rt, 3_100 + i, c, &["cat", "/tmp/ok"]), (String::new(), 0));
    }
    // Six reader execs, one pid each, whether remembered or run.
    assert_eq!(pid(&mut rt, 4_000), first + 7);
    exec(&mut rt, 5_000, c, &["sh", "-c", "echo changed > /tmp/ok"]);
    assert_eq!(exec(&mut rt, 6_000, c, &["cat", "/tmp/ok"]), ("changed\n".into(), 0));
    exec(&mut rt, 7_000, c, &["rm", "/tmp/ok"]);
    assert_eq!(exec(&mut rt, 8_000, c, &["test", "-e", "/tmp/ok"]), (String::new(), 1));
    assert_eq!(exec(&mut rt, 8_100, c, &["cat", "/tmp/ok"]), ("cat: can't open '/tmp/ok': No such file or directory\n".into(), 1));
    assert_eq!(exec(&mut rt, 8_200, c, &["cat", "/tmp/ok"]), ("cat: can't open '/tmp/ok': No such file or directory\n".into(), 1));
}
