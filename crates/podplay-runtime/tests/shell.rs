//! The shell and its applets through the Runtime API: constructs, traps and signals, options, the virtual CPU and runaway scripts, odd input (images.md §1.3).

mod common;

use common::*;
use podplay_runtime::*;

#[test]
fn trap_and_wait_semantics() {
    // images.md §1.3 / transcripts/busybox-pid1-signals.txt
    let cases: [(&str, &str, i32, Millis); 4] = [
        ("trap \"echo got TERM; exit 0\" TERM; sleep 3600 & wait", "got TERM\n", 0, 1_000),
        ("trap \"echo got TERM\" TERM; sleep 3600 & wait; echo after wait $?", "got TERM\nafter wait 143\n", 0, 1_000),
        ("trap \"echo got TERM; exit 0\" TERM; while true; do sleep 1; done", "got TERM\n", 0, 2_000),
        ("trap \"echo got TERM; exit 0\" TERM; echo start; sleep 8", "start\ngot TERM\n", 0, 9_000),
    ];
    for (script, out, code, at) in cases {
        let mut rt = runtime(BusyboxVersion::V1_38);
        let sb = pod(&mut rt, "p", "10.244.0.11");
        let c = container(&mut rt, sb, "busybox", &["sh", "-c", script], &[]);
        rt.start_container(0, c).unwrap();
        rt.advance(1_000);
        rt.stop_container(1_000, c, 30);
        let ev = rt.advance(at);
        assert_eq!(log_text(&rt, c), out, "{script}");
        match ev.last() {
            Some(RuntimeEvent::ContainerExited { exit_code, at: t, .. }) => {
                assert_eq!(*exit_code, code, "{script}");
                assert!(*t <= at, "{script}: {t}");
            }
            other => panic!("{script}: {other:?}"),
        }
    }
    // A trap deferred behind `sleep 3600` never runs before the SIGKILL.
    let mut rt = runtime(BusyboxVersion::V1_38);
    let sb = pod(&mut rt, "p", "10.244.0.12");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "trap 'exit 0' TERM; sleep 3600"], &[]);
    rt.start_container(0, c).unwrap();
    rt.stop_container(0, c, 30);
    assert_eq!(rt.advance(40_000), vec![RuntimeEvent::ContainerExited { id: c, at: 30_000, exit_code: 137, reason: "Error".into() }]);
}

#[test]
fn sigint_to_pid1_shell_loop_exits_130() {
    let mut rt = runtime(BusyboxVersion::V1_38);
    let sb = pod(&mut rt, "p", "10.244.0.13");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do sleep 1; done"], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(2_500);
    rt.signal(2_500, c, Signal::Term);
    assert!(rt.advance(5_000).is_empty(), "SIGTERM is ignored");
    // `kill 1` from inside does nothing either.
    assert_eq!(exec(&mut rt, 5_000, c, &["kill", "1"]).1, 0);
    assert!(rt.advance(6_000).is_empty());
    rt.signal(6_000, c, Signal::Int);
    assert_eq!(rt.advance(6_000), vec![RuntimeEvent::ContainerExited { id: c, at: 6_000, exit_code: 130, reason: "Error".into() }]);
}

#[test]
fn shell_constructs() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bb", "10.244.0.16");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    let cases: &[(&str, &str, i32)] = &[
        ("echo a && echo b || echo c", "a\nb\n", 0),
        ("false || echo c; echo $?", "c\n0\n", 0),
        ("x=5; if [ $x -gt 3 ]; then echo big; else echo small; fi", "big\n", 0),
        ("for i in 1 2 3; do echo -n $i; done; echo", "123\n", 0),
        ("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i", "3\n", 0),
        ("i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i", "2\n", 0),
        ("case foo.txt in *.html) echo html;; *.txt) echo txt;; esac", "txt\n", 0),
        ("f() { echo \"in f: $1\"; return 3; }; f arg; echo $?", "in f: arg\n3\n", 0),
        ("echo ${UNSET:-default} ${HOSTNAME:+set}", "default set\n", 0),
        ("v=$(echo inner); echo \"[$v]\"", "[inner]\n", 0),
        ("echo `echo bq`", "bq\n", 0),
        ("echo hi > /tmp/f; echo more >> /tmp/f; cat < /tmp/f", "hi\nmore\n", 0),
        ("cat /nope 2>&1 | grep -c such", "1\n", 0),
        ("echo one two | wc -w", "2\n", 0),
        ("exit 300", "", 44),
        ("echo 'single $x' \"double $((2*3))\"", "single $x double 6\n", 0),
        ("p=/a/b/c.txt; echo ${p##*/} ${p%.txt} ${#p}", "c.txt /a/b/c 10\n", 0),
        ("for i in 1 2 3 4; do if [ $i = 3 ]; then break; fi; echo $i; done", "1\n2\n", 0),
        ("for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done", "1\n3\n", 0),
        ("(cd /tmp && pwd); pwd", "/tmp\n/\n", 0),
        ("sh -c 'exit 7'; echo $?", "7\n", 0),
        ("echo hi > /x/y; echo after $?", "sh: can't create /x/y: nonexistent directory\nafter 1\n", 0),
        ("foo", "sh: foo: not found\n", 127),
        ("echo $$ $#", "", 0),
        ("mkdir -p /shared/d && echo ok > /shared/d/f && cat /shared/d/f", "ok\n", 0),
        ("seq 3 | tail -n 1", "3\n", 0),
        ("printf '%s-%03d\\n' a 7", "a-007\n", 0),
        ("cat <<EOF\nhello $HOSTNAME\nEOF", "hello bb\n", 0),
        ("set -- x y; echo $# $2", "2 y\n", 0),
        ("echo a; sleep 2; echo b", "a\nb\n", 0),
        ("sleep 1 & echo bg; wait; echo done", "bg\ndone\n", 0),
        ("ls /shared /nope", "ls: /nope: No such file or directory\n/shared:\nd\n", 1),
    ];
    for (script, want, code) in cases {
        let (out, got) = exec(&mut rt, 1_000, c, &["sh", "-c", script]);
        if *script == "echo $$ $#" {
            // exec'd shells get a fresh pid; `$#` is 0.
            assert!(out.ends_with(" 0\n") && got == 0, "{script}: {out}");
            continue;
        }
        assert_eq!((out.as_str(), got), (*want, *code), "{script}");
    }
    // Sleeps inside an exec take virtual time.
    match rt.exec_sync(2_000, c, &s(&["sh", "-c", "sleep 2; echo x"]), Some(10_000)) {
        ExecOutcome::Completed { duration_ms, output, .. } => assert_eq!((duration_ms, output.as_str()), (2_000, "x\n")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(rt.exec_sync(2_000, c, &s(&["sleep", "20"]), Some(1_000)), ExecOutcome::TimedOut { after_ms: 1_000, .. }));
}

/// A loop that only echoes is steady: its turns run in bulk up to the horizon, at the virtual
/// CPU's speed (a write to the log costs about 20 µs), with the kubelet's rotation at its 10 s
/// passes; an hour costs a few bulk steps.
#[test]
fn a_steady_echo_loop_runs_in_bulk_at_the_cpu_model_s_speed() {
    let mut rt = Runtime::new(RuntimeConfig { step_budget: 200_000, ..Default::default() });
    let sb = pod(&mut rt, "spin", "10.244.0.21");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do echo hi; done"], &[]);
    rt.start_container(0, c).unwrap();
    rt.set_horizon(5_000);
    // start_container ran the shell's first millisecond, where nothing fitted before the
    // horizon (none is set then): the loop is tried again 256 turns later, some ms on.
    let ev = rt.advance(10);
    assert!(!ev.iter().any(|e| matches!(e, RuntimeEvent::StepBudgetExhausted { .. })), "bulk, not interpreter steps: {ev:?}");
    let lines = rt.logs(c);
    // Each turn: `true`, the test, `echo` and the write (20 steps) at 1,000 steps a ms.
    let per_second = lines.len() as f64 / (lines.last().unwrap().at as f64 / 1000.0);
    assert!((20_000.0..60_000.0).contains(&per_second), "{per_second} lines a second");
    assert!(lines.iter().all(|l| l.text == "hi") && lines.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(lines.last().unwrap().at < 5_000, "not past the horizon");
    // An hour, with rotations at 10 MiB: the log holds what came after the last one.
    for t in (10_000..=3_600_000).step_by(10_000) {
        rt.set_horizon(t);
        rt.advance(t - 5_000);
    }
    let lines = rt.logs(c);
    assert!(lines.first().unwrap().at >= 3_590_000 && lines.len() > 100_000, "{} lines from {}", lines.len(), lines[0].at);
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }));
    rt.stop_container(3_600_000, c, 1);
    let ev = rt.advance(3_601_000);
    assert!(ev.iter().any(|e| matches!(e, RuntimeEvent::ContainerExited { id, exit_code: 137, .. } if *id == c)), "{ev:?}");
}

#[test]
fn busy_loop_consumes_virtual_time_and_never_hangs() {
    let mut rt = Runtime::new(RuntimeConfig { step_budget: 200_000, ..Default::default() });
    let sb = pod(&mut rt, "spin", "10.244.0.20");
    // A loop whose state moves each turn in a way that is not a count (a steady one, or a
    // counting one, runs in bulk: see the next test and tests/steady.rs).
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "i=0; while true; do i=$((i*3+1)); done"], &[]);
    rt.start_container(0, c).unwrap();
    let ev = rt.advance(60_000);
    assert!(ev.iter().any(|e| matches!(e, RuntimeEvent::StepBudgetExhausted { .. })), "{ev:?}");
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }));
    // Still killable.
    rt.stop_container(60_000, c, 1);
    let ev = rt.advance(61_000);
    assert!(ev.contains(&RuntimeEvent::ContainerExited { id: c, at: 61_000, exit_code: 137, reason: "Error".into() }), "{ev:?}");
}

#[test]
fn applet_table() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bb", "10.244.0.41");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    let cases: &[(&str, &str, i32)] = &[
        ("echo -n a; echo b", "ab\n", 0),
        ("echo -e 'a\\tb'", "a\tb\n", 0),
        ("printf '%5s|%-3s|%x\\n' ab c 255", "   ab|c  |ff\n", 0),
        ("printf 'x\\n' | cat", "x\n", 0),
        ("seq 2 4", "2\n3\n4\n", 0),
        ("seq 3 | head -n 2", "1\n2\n", 0),
        ("seq 5 | tail -n 2", "4\n5\n", 0),
        ("seq 10 | wc -l", "10\n", 0),
        // The largest integer ends the count (no step past it to wrap).
        ("seq 9223372036854775806 9223372036854775807 | wc -l", "2\n", 0),
        ("yes | head -n 2", "y\ny\n", 0),
        ("printf 'a\\nb' | tail -n 1", "b", 0),
        ("printf 'a\\nb\\n\\n' | head -n 2", "a\nb\n", 0),
        ("printf 'a b\\nc\\n' | wc", "        2         3         6\n", 0),
        ("printf 'foo\\nbar\\nFoo\\n' | grep -i foo", "foo\nFoo\n", 0),
        ("printf 'foo\\nbar\\n' | grep -v foo", "bar\n", 0),
        ("printf 'foo\\nbar\\n' | grep -c o", "1\n", 0),
        ("printf 'foo\\n' | grep '^f.o$'", "foo\n", 0),
        ("printf 'foo\\n' | grep -q zzz", "", 1),
        ("echo x > /tmp/a; cp /tmp/a /tmp/b; mv /tmp/b /tmp/c; cat /tmp/c; test -e /tmp/b", "x\n", 1),
        ("basename /a/b/c.txt .txt; dirname /a/b/c.txt", "c\n/a/b\n", 0),
        ("whoami; hostname", "root\nbb\n", 0),
        ("printenv HOSTNAME", "bb\n", 0),
        ("test 3 -lt 4 && [ abc = abc ] && [ -n x ] && [ -z '' ] && [ -d /tmp ] && [ ! -f /tmp ]", "", 0),
        ("[ 1 -eq", "sh: missing ]\n", 2),
        ("date +%Y-%m-%d", "2026-11-25\n", 0),
        ("mkdir -p /tmp/t/u && touch /tmp/t/u/f && find /tmp/t", "/tmp/t\n/tmp/t/u\n/tmp/t/u/f\n", 0),
        ("find /tmp/t -name f", "/tmp/t/u/f\n", 0),
        ("echo hi | tee /tmp/tee; cat /tmp/tee", "hi\nhi\n", 0),
        ("printf 'abcdef' | head -c 4; echo; printf 'abcdef' | tail -c 2; echo; yes x | head -c 1k | wc -c", "abcd\nef\n1024\n", 0),
        ("printf '3 a\\n1 b\\n2 c\\n' | awk '$1 >= 2 {print $2, NR}'", "a 1\nc 3\n", 0),
        ("uname; uname -m", "Linux\nx86_64\n", 0),
        ("sleep 1x", "sleep: invalid number '1x'\n", 1),
        ("rm /tmp", "rm: '/tmp' is a directory\n", 1),
        ("rmdir /tmp/nope", "rmdir: '/tmp/nope': No such file or directory\n", 1),
        ("ls /tmp/t", "u\n", 0),
        ("id", "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n", 0),
        ("trap 'echo bye' EXIT; echo hi", "hi\nbye\n", 0),
        ("sleep 3 & p=$!; sleep 1 & wait $p; echo $?", "0\n", 0),
        ("kill -0 999", "sh: can't kill pid 999: No such process\n", 1),
        ("cat /tmp", "cat: read error: Is a directory\n", 1),
        ("wc -l /nope", "wc: /nope: No such file or directory\n", 1),
        ("printf 'l1\\nl2\\n' > /tmp/r; while read l; do echo \"<$l>\"; done < /tmp/r", "<l1>\n<l2>\n", 0),
        ("x=$(seq 3 | wc -l); echo $x", "3\n", 0),
        ("echo a:b:c | cut -d: -f2,3", "b:c\n", 0),
        ("echo hello | cut -c 2-4", "ell\n", 0),
        ("echo hello | tr a-z A-Z; echo hello | tr -d l", "HELLO\nheo\n", 0),
        ("printf 'b\\na\\nb\\n' | sort | uniq -c", "      1 a\n      2 b\n", 0),
        ("printf '10\\n9\\n' | sort -n", "9\n10\n", 0),
        ("which sh wget nosuch", "/bin/sh\n/bin/wget\n", 1),
        ("env -i A=1 env; env FOO=bar sh -c 'echo $FOO'", "A=1\nbar\n", 0),
        ("env nosuch", "env: can't execute 'nosuch': No such file or directory\n", 127),
        (
            "nslookup kubernetes.default.svc.cluster.local",
            "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n\n",
            0,
        ),
    ];
    for (script, want, code) in cases {
        assert_eq!(exec(&mut rt, 1_000, c, &["sh", "-c", script]), (want.to_string(), *code), "{script}");
    }
}

#[test]
fn runaway_scripts_end_instead_of_hanging() {
    let mut rt = Runtime::new(RuntimeConfig { step_budget: 100_000, ..Default::default() });
    let sb = pod(&mut rt, "bad", "10.244.0.50");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    // Infinite recursion: a stack overflow (SIGSEGV).
    assert_eq!(exec(&mut rt, 0, c, &["sh", "-c", "f() { f; }; f"]), (String::new(), 139));
    // Nested subshells: fork fails, the shells unwind.
    let (out, code) = exec(&mut rt, 0, c, &["sh", "-c", "f() { (f); }; f"]);
    assert!(
        out.starts_with("sh: line 0: can't fork: Resource temporarily unavailable (podplay: subshells nest at most 48 deep)\n"),
        "{out}"
    );
    assert_ne!(code, 0);
    // A script that execs itself forever, and one that runs itself recursively: bounded by
    // the exec timeout and the step budget, not by the host stack.
    for script in ["echo 'exec sh /tmp/l.sh' > /tmp/l.sh; exec sh /tmp/l.sh", "echo 'sh /tmp/m.sh' > /tmp/m.sh; sh /tmp/m.sh"] {
        assert!(matches!(
            rt.exec_sync(0, c, &s(&["sh", "-c", script]), Some(5_000)),
            ExecOutcome::TimedOut { .. } | ExecOutcome::Completed { .. }
        ));
    }
    // A chatty loop is bounded by the step budget and the log cap.
    let c2 = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do echo spam; done"], &[]);
    rt.start_container(0, c2).unwrap();
    rt.advance(1_000);
    assert!(rt.logs(c2).len() > 1_000);
    assert!(rt.logs(c2).iter().map(|l| l.text.len() + 1).sum::<usize>() <= 10 << 20);
    // The default CMD of busybox is `sh` with no stdin: exits 0 at once (images.md §1.3).
    let c3 = container(&mut rt, sb, "busybox", &[], &[]);
    rt.start_container(0, c3).unwrap();
    assert!(matches!(rt.container_state(c3), ContainerState::Exited { exit_code: 0, ref reason, .. } if reason == "Completed"));
    assert!(rt.logs(c3).is_empty());
}

#[test]
fn ls_long_formats() {
    let mut rt = runtime(BusyboxVersion::V1_38);
    let sb = pod(&mut rt, "ng", "10.244.0.80");
    let n = container(&mut rt, sb, "nginx:1.27.4", &[], &[]);
    rt.start_container(0, n).unwrap();
    // GNU ls: columns only as wide as needed; image files dated 2025 (older than 6 months).
    let (out, code) = exec(&mut rt, 0, n, &["ls", "-l", "/usr/share/nginx/html"]);
    assert_eq!(
        (out.as_str(), code),
        ("total 8\n-rw-r--r-- 1 root root 497 Feb 13  2025 50x.html\n-rw-r--r-- 1 root root 615 Feb 13  2025 index.html\n", 0)
    );
    let b = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, b).unwrap();
    let (out, _) = exec(&mut rt, 60_000, b, &["sh", "-c", "mkdir /www && echo hi > /www/a && ls -l /www /etc/passwd"]);
    assert_eq!(
        out,
        "-rw-r--r--    1 root     root           340 May 13  2026 /etc/passwd\n\n/www:\ntotal 4\n-rw-r--r--    1 root     root             3 Nov 25 10:01 a\n"
    );
}

#[test]
fn set_options() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bb", "10.244.0.95");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    let cases: &[(&str, &str, i32)] = &[
        ("set -e; echo a; false; echo b", "a\n", 1),
        ("set -e; if false; then echo x; fi; false || echo ok; ! true; echo still", "ok\nstill\n", 0),
        ("set -e; true && false; echo no", "", 1),
        ("set -e; f() { false; echo in-f; }; f || echo handled", "in-f\n", 0),
        ("false | true; echo $?", "0\n", 0),
        ("set -o pipefail; false | true; echo $?", "1\n", 0),
        ("set -x; echo 'a b' c", "+ echo 'a b' c\na b c\n", 0),
        ("set -- p q; echo $1$2", "pq\n", 0),
    ];
    for (script, want, code) in cases {
        assert_eq!(exec(&mut rt, 1_000, c, &["sh", "-c", script]), (want.to_string(), *code), "{script}");
    }
}

#[test]
fn odd_input_never_panics() {
    let mut rt = Runtime::new(RuntimeConfig { step_budget: 200_000, ..Default::default() });
    let sb = pod(&mut rt, "odd", "10.244.0.96");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    let fragments = [
        "é",
        "${",
        "}",
        "$((",
        "))",
        "'",
        "\"",
        "`",
        "\\",
        "$(",
        ")",
        "(",
        "|",
        "||",
        "&&",
        "&",
        ";",
        ";;",
        "<",
        ">",
        ">>",
        "2>&",
        "<<",
        "EOF",
        "\n",
        "if",
        "then",
        "fi",
        "for",
        "in",
        "do",
        "done",
        "case",
        "esac",
        "while",
        "{",
        "}",
        "!",
        "$0",
        "$00",
        "${#}",
        "${x:?}",
        "${x#*}",
        "$((1/0))",
        "echo",
        "cat",
        "ls",
        "sleep 0",
        "wget",
        "nc",
        "kill -9",
        "trap",
        "exit",
        "return",
        "break",
        "shift 9",
        "read",
        "exec",
        "eval",
        "set --",
        ".",
        "~",
        "*",
        "?",
        "[",
        "]",
        "[[",
        "=",
        "x=1",
        "-",
        "--",
        "/",
        "/dev/null",
        "日本",
    ];
    let mut seed: u64 = 12345;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..1500 {
        let n = 1 + next() % 6;
        let script: Vec<&str> = (0..n).map(|_| fragments[next() % fragments.len()]).collect();
        let script = script.join(" ");
        let _ = rt.exec_sync(1_000, c, &s(&["sh", "-c", &script]), Some(5_000));
    }
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }));
}

/// A value that doubles each turn stops at podplay's limit for one shell word: busybox's `out
/// of memory`, with the limit named, and exit 2; a subshell each turn shares the value rather
/// than copying it.
#[test]
fn a_doubling_value_stops_at_the_limit_with_out_of_memory() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "grow", "10.244.0.42");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "x=a; while true; do x=$x$x; (true); done"], &[]);
    rt.start_container(0, c).unwrap();
    // Copying the value costs CPU by its size: the doublings take virtual seconds, in several
    // calls (each has a step budget).
    let exited = (1..=120).find_map(|s| {
        rt.advance(s * 1000).iter().find_map(|e| match e {
            RuntimeEvent::ContainerExited { exit_code, at, .. } => Some((*exit_code, *at)),
            _ => None,
        })
    });
    let (code, at) = exited.expect("the shell exits");
    assert_eq!(code, 2);
    assert!((1_000..60_000).contains(&at), "{at}");
    let log = log_text(&rt, c);
    assert!(
        log.contains("sh: out of memory (podplay: a word of 134217728 bytes is past its limit of 67108864 bytes for one shell value)"),
        "{log}"
    );
}

/// ash reaps background children only in a foreground wait (`waitpid(-1)` in `dowait`): a loop
/// that starts background jobs and never waits for anything in the foreground fills the
/// container's processes with zombies, and the next fork fails: `can't fork`, which ends a
/// non-interactive shell with status 2 (ash.c `forkshell`, `main`'s exception handler).
#[test]
fn background_jobs_never_reaped_fill_the_processes_and_end_the_shell() {
    for script in ["while true; do true & done", "while true; do ech&ao hi; done"] {
        let mut rt = runtime(BusyboxVersion::V1_37);
        let sb = pod(&mut rt, "bg", "10.244.0.43");
        let c = container(&mut rt, sb, "busybox", &["sh", "-c", script], &[]);
        rt.start_container(0, c).unwrap();
        let ev = rt.advance(5_000);
        let exit = ev.iter().find_map(|e| match e {
            RuntimeEvent::ContainerExited { exit_code, at, .. } => Some((*exit_code, *at)),
            _ => None,
        });
        let (code, at) = exit.unwrap_or_else(|| panic!("{script}: the shell exits: {ev:?}"));
        assert_eq!(code, 2, "{script}");
        assert!(at < 1_000, "{script}: {at}");
        let log = log_text(&rt, c);
        assert!(
            log.ends_with(
                "sh: can't fork: Resource temporarily unavailable (podplay: a container runs at most 1024 processes, zombies included)\n"
            ),
            "{script}: {}",
            &log[log.len().saturating_sub(300)..]
        );
    }
}

/// A foreground command's wait reaps the background jobs that ended, so a loop that waits for
/// something each turn does not pile up zombies; `wait PID` still gives a reaped job's status.
#[test]
fn a_foreground_wait_reaps_ended_background_jobs_and_keeps_their_status() {
    let mut rt = runtime(BusyboxVersion::V1_37);
    let sb = pod(&mut rt, "bg", "10.244.0.44");
    let c = container(&mut rt, sb, "busybox", &["sh", "-c", "while true; do (exit 3) & /bin/true; done"], &[]);
    rt.start_container(0, c).unwrap();
    let ev = rt.advance(2_000);
    assert!(!ev.iter().any(|e| matches!(e, RuntimeEvent::ContainerExited { .. })), "{ev:?}");
    assert!(matches!(rt.container_state(c), ContainerState::Running { .. }));
    let c2 = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c2).unwrap();
    let cases = [
        ("(exit 3) & p=$!; /bin/true; /bin/true; wait $p; echo $?", "3\n"),
        ("(exit 3) & p=$!; /bin/true; wait; wait $p; echo $?", "127\n"),
        ("sh -c '(exit 4) &'; /bin/true; echo ok", "ok\n"),
    ];
    for (script, want) in cases {
        assert_eq!(exec(&mut rt, 3_000, c2, &["sh", "-c", script]), (want.to_string(), 0), "{script}");
    }
}

/// busybox `hexdump -C`: the canonical display of a file and of stdin, a missing file's
/// message, and the options podplay does not take.
#[test]
fn hexdump_canonical() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = pod(&mut rt, "p", "10.244.0.14");
    let c = container(&mut rt, sb, "busybox", &["sleep", "3600"], &[]);
    rt.start_container(0, c).unwrap();
    rt.advance(1_000);
    let (out, code) = exec(&mut rt, 1_000, c, &["sh", "-c", "echo hello > /tmp/f; hexdump -C /tmp/f"]);
    assert_eq!(out, "00000000  68 65 6c 6c 6f 0a                                 |hello.|\n00000006\n");
    assert_eq!(code, 0);
    let (out, code) = exec(&mut rt, 1_000, c, &["sh", "-c", "echo -n abc | hexdump -C"]);
    assert_eq!(out, "00000000  61 62 63                                          |abc|\n00000003\n");
    assert_eq!(code, 0);
    let (out, code) = exec(&mut rt, 1_000, c, &["hexdump", "-C", "/nope"]);
    assert_eq!((out.as_str(), code), ("hexdump: /nope: No such file or directory\n", 1));
    let (out, code) = exec(&mut rt, 1_000, c, &["hexdump", "-x", "/tmp/f"]);
    assert_eq!((out.as_str(), code), ("hexdump: podplay's hexdump takes only -C [-v] [FILE]...\n", 1));
}

/// busybox `df`: the container's mounts with their sizes in 1 KiB blocks (a 10 MiB tmpfs is
/// `10240`), one path's filesystem, a missing path, and the options podplay does not take.
#[test]
fn df_lists_the_container_mounts() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = rt.run_sandbox(
        0,
        SandboxConfig {
            name: "p".into(),
            namespace: "default".into(),
            uid: "uid-1".into(),
            hostname: "p".into(),
            pod_ip: "10.244.0.15".into(),
            volumes: vec![
                VolumeSpec { name: "shared".into(), source: VolumeSource::EmptyDir, owned: true },
                VolumeSpec { name: "mem".into(), source: VolumeSource::Memory(Some(10 << 20)), owned: true },
            ],
            ..Default::default()
        },
    );
    let normalized = found_image(&rt, "busybox");
    let mount = |volume: &str, path: &str| MountSpec { volume: volume.into(), path: path.into(), read_only: false, sub_path: None };
    let cfg = ContainerConfig {
        name: "c".into(),
        image: normalized,
        command: s(&["sleep", "3600"]),
        mounts: vec![mount("shared", "/shared"), mount("mem", "/usr/share/volumeshare")],
        ..Default::default()
    };
    let c = rt.create_container(0, sb, cfg).unwrap();
    rt.start_container(0, c).unwrap();
    rt.advance(1_000);
    let (out, code) = exec(&mut rt, 1_000, c, &["sh", "-c", "df | grep /usr/share/volumeshare | awk '{print $2}'"]);
    assert_eq!((out.as_str(), code), ("10240\n", 0));
    let (out, code) =
        exec(&mut rt, 1_000, c, &["sh", "-c", "dd if=/dev/zero of=/usr/share/volumeshare/f bs=1024 count=1000 2>/dev/null; df"]);
    let want = "\
Filesystem           1K-blocks      Used Available Use% Mounted on
overlay              102626232  30787868  71838364  30% /
tmpfs                    65536         0     65536   0% /dev
/dev/sda1            102626232  30787868  71838364  30% /shared
/dev/sda1            102626232  30787868  71838364  30% /etc/hosts
/dev/sda1            102626232  30787868  71838364  30% /etc/hostname
/dev/sda1            102626232  30787868  71838364  30% /etc/resolv.conf
shm                      65536         0     65536   0% /dev/shm
tmpfs                    10240      1000      9240  10% /usr/share/volumeshare
tmpfs                  8131248         4   8131244   0% /var/run/secrets/kubernetes.io/serviceaccount
";
    assert_eq!((out.as_str(), code), (want, 0));
    let (out, code) = exec(&mut rt, 1_000, c, &["df", "-P", "/usr/share/volumeshare/f", "/nope"]);
    let want = "\
Filesystem           1024-blocks    Used Available Capacity Mounted on
tmpfs                    10240      1000      9240  10% /usr/share/volumeshare
df: /nope: can't find mount point
";
    assert_eq!((out.as_str(), code), (want, 1));
    let (out, code) = exec(&mut rt, 1_000, c, &["df", "-h"]);
    assert_eq!((out.as_str(), code), ("df: podplay's df takes only -k, -m and -P (not -h)\n", 1));
}

/// Files and credentials as the kernel keeps them, for uid 1000 (`runAsGroup: 3000`,
/// `fsGroup: 2000`): a `medium: Memory` emptyDir's root is tmpfs's `rwxrwxrwt` with the
/// kubelet's group and set-group-ID, what is made there takes the group (a directory the
/// set-group-ID bit too), and the image's root-owned `/` refuses a new file.
#[test]
fn a_non_root_user_in_an_fs_group_volume() {
    let mut rt = runtime(BusyboxVersion::V1_36);
    let sb = rt.run_sandbox(
        0,
        SandboxConfig {
            name: "p".into(),
            namespace: "default".into(),
            uid: "uid-1".into(),
            hostname: "p".into(),
            pod_ip: "10.244.0.16".into(),
            volumes: vec![VolumeSpec { name: "mem".into(), source: VolumeSource::Memory(None), owned: true }],
            fs_group: Some(2000),
            ..Default::default()
        },
    );
    let normalized = found_image(&rt, "busybox");
    let user = UserRequest { run_as_user: Some(1000), run_as_group: Some(3000), supplemental_groups: vec![2000], ..Default::default() };
    let cfg = ContainerConfig {
        name: "c".into(),
        image: normalized,
        command: s(&["sleep", "3600"]),
        mounts: vec![MountSpec { volume: "mem".into(), path: "/mem".into(), read_only: false, sub_path: None }],
        security: podplay_runtime::ContainerSecurity { user, ..Default::default() },
        ..Default::default()
    };
    let c = rt.create_container(0, sb, cfg).unwrap();
    rt.start_container(0, c).unwrap();
    rt.advance(1_000);
    let script = "id; mkdir /mem/d; touch /mem/f; ls -ld /mem /mem/d /mem/f | awk '{print $1, $3, $4}'; touch /x";
    let want = "\
uid=1000 gid=3000 groups=2000,3000
drwxrwsrwt root 2000
drwxr-sr-x 1000 2000
-rw-r--r-- 1000 2000
touch: /x: Permission denied
";
    assert_eq!(exec(&mut rt, 1_000, c, &["sh", "-c", script]), (want.to_string(), 1));
}
