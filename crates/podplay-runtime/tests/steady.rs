//! Steady loops in bulk against the same loops run turn by turn (`Runtime::set_bulk(false)`):
//! the same log lines at the same times, the same states, the same exits and pids, driven as
//! the engine drives the runtime (a wake-up at a time, the next task as the horizon).

mod common;

use common::s;
use podplay_runtime::*;

struct Run {
    rt: Runtime,
    c: ContainerId,
    events: Vec<RuntimeEvent>,
}

fn start(script: &str, bulk: bool) -> Run {
    start_with(script, bulk, RuntimeConfig::default())
}

fn start_with(script: &str, bulk: bool, cfg: RuntimeConfig) -> Run {
    let mut rt = Runtime::new(cfg);
    rt.set_bulk(bulk);
    let sb = rt.run_sandbox(
        0,
        SandboxConfig {
            name: "loop".into(),
            namespace: "default".into(),
            uid: "uid-1".into(),
            hostname: "loop".into(),
            pod_ip: "10.244.0.9".into(),
            ..Default::default()
        },
    );
    let image = match rt.resolve_image("busybox:1.36") {
        ImageLookup::Found { normalized, .. } => normalized,
        other => panic!("{other:?}"),
    };
    let c = rt
        .create_container(0, sb, ContainerConfig { name: "c".into(), image, command: s(&["sh", "-c", script]), ..Default::default() })
        .unwrap();
    rt.start_container(0, c).unwrap();
    Run { rt, c, events: Vec::new() }
}

impl Run {
    /// Runs up to `until` as the engine does: each runtime wake-up in turn, with the next task
    /// (one every `period` ms, as the kubelet's relist) as the horizon.
    fn run(&mut self, until: Millis, period: Millis) {
        let mut task = (self.rt.next_wakeup().unwrap_or(0) / period + 1) * period;
        loop {
            let wake = self.rt.next_wakeup();
            let next = wake.map_or(task, |w| w.min(task));
            if next > until {
                break;
            }
            if wake == Some(next) {
                self.rt.set_horizon(task.min(until));
                self.events.extend(self.rt.advance(next));
            } else {
                task += period;
            }
        }
    }

    /// Everything the runtime shows of the container, and the pid the next process gets.
    fn seen(&mut self, now: Millis) -> (Vec<LogLine>, ContainerState, Vec<RuntimeEvent>, String) {
        let ps = match self.rt.exec_sync(now, self.c, &s(&["sh", "-c", "echo $$"]), Some(1_000)) {
            ExecOutcome::Completed { output, .. } => output,
            other => format!("{other:?}"),
        };
        (self.rt.logs(self.c), self.rt.container_state(self.c), self.events.clone(), ps)
    }
}

/// Runs `script` to `until` in bulk and turn by turn, with a SIGTERM at `term` if given, and
/// checks that both show the same; returns the bulk run's log.
fn same(script: &str, until: Millis, term: Option<Millis>) -> Vec<LogLine> {
    match term {
        Some(t) => same_with(script, until, t, |rt, t, c| rt.signal(t, c, Signal::Term)),
        None => same_with(script, until, until, |_, _, _| {}),
    }
}

/// [`same`] with `act` done at `at` (as a scenario's step would).
fn same_with(script: &str, until: Millis, at: Millis, act: fn(&mut Runtime, Millis, ContainerId)) -> Vec<LogLine> {
    let mut seen = Vec::new();
    for bulk in [true, false] {
        let mut r = start(script, bulk);
        r.run(at, 250);
        act(&mut r.rt, at, r.c);
        r.run(until, 250);
        seen.push(r.seen(until));
    }
    let (bulk, step) = (&seen[0], &seen[1]);
    assert_eq!(bulk.0.len(), step.0.len(), "{script}: lines");
    if let Some(i) = (0..bulk.0.len()).find(|&i| bulk.0[i] != step.0[i]) {
        panic!("{script}: line {i}: bulk {:?}, turn by turn {:?}", bulk.0[i], step.0[i]);
    }
    assert_eq!(bulk.1, step.1, "{script}: state");
    assert_eq!(bulk.2, step.2, "{script}: events");
    assert_eq!(bulk.3, step.3, "{script}: next pid");
    seen.swap_remove(0).0
}

#[test]
fn an_echo_loop_in_bulk_is_the_loop_turn_by_turn() {
    let lines = same("while true; do echo hi; done", 2_500, None);
    assert!(lines.len() > 90_000, "{}", lines.len());
    same("while :; do echo a; echo b >&2; done", 2_200, None);
    same("while true; do echo hi >> /scratch/blob; sleep 1---; done", 2_200, None);
    // An unfinished line first: the bulk waits until it is finished.
    same("echo -n start; while true; do echo hi; done", 1_500, None);
}

#[test]
fn a_loop_that_leaves_its_line_unfinished_in_bulk_is_the_loop_turn_by_turn() {
    // Never a line end: 16 KiB records, cut by the write that overflows them.
    let records = same("while true; do echo -n a=b; done", 2_000, None);
    assert!(records.len() > 10 && records.iter().all(|r| r.partial && r.text.len() == 16 << 10), "{}", records.len());
    same("printf debug > /tmp/v; while true; do cat /tmp/v; done", 2_000, None);
    // Characters of two bytes (the fuzzer's `debéug`): records end at a character boundary.
    same("printf 'debéug' > /tmp/v; while true; do cat /tmp/v; done", 2_000, None);
    same("while true; do printf x; printf yz >&2; done", 1_500, None);
    // The line begun before the loop is cut with the loop's text first.
    same("echo -n start; while true; do echo -n a; done", 2_000, None);
    // A line ended by the turn after the one that began it.
    same("while true; do printf 'one\ntwo'; done", 1_500, None);
    same("while true; do echo -n a; echo b; done", 1_500, None);
    // The fuzzer's find: a line begun in the turn before and ended after the turn's other
    // stream wrote (its stamp goes back in the log).
    same("printf 'a=1\\nb=2' > /tmp/l; while true; do echo -en '\\n\\n'; cat /tmp/l; sleep 0x10; done", 1_500, None);
    // A line past 16 KiB each turn (the fuzzer's 14,000-character command, not found).
    same(&format!("while true; do {}; done", "x".repeat(20_000)), 1_000, None);
    // Stopped mid-line: what is unfinished goes out as the last record.
    same("trap 'exit 3' TERM; while true; do echo -n ab; done", 2_000, Some(1_234));
}

#[test]
fn a_loop_that_ends_or_is_stopped_ends_at_the_same_time() {
    same("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo $i", 1_000, None);
    same("trap 'echo term; exit 3' TERM; while true; do echo x; done", 2_000, Some(1_234));
}

#[test]
fn a_loop_that_starts_the_same_program_each_turn_runs_in_bulk() {
    // A typo'd sleep fails at once, the same way each turn: its message, its pid, its fork.
    let lines = same("while true; do sleep -1; done", 900, None);
    assert!(lines.len() > 3_000 && lines.iter().all(|l| l.text == "sleep: invalid number '-1'"), "{}", lines.len());
    same("while true; do (exit 3); done", 600, None);
    same("while true; do (echo sub); done", 600, None);
    same("while true; do echo | hi; done", 600, None);
    same("while true; do echo hi | grep h | wc -l; done", 600, None);
    same("while true; do x=$(echo hi); echo $x; done", 600, None);
    same("set -o pipefail; while true; do false | true; echo $?; done", 600, None);
    same("trap 'echo term' TERM; while true; do seq 3 | tail -n 1; done", 800, Some(678));
    same("while true; do cat /nonexistent; echo $?; done", 600, None);
    same("while true; do ls /nonexistent; done", 500, None);
    same("while true; do ls -l /etc/hostname; done", 500, None);
    same("while true; do cat /etc/hostname; /bin/true; done", 600, None);
    same("n=0; while true; do sleep -1 2>/dev/null || n=1; done", 600, None);
    // Not the same each turn (its pid): turn by turn, and the same.
    same("while true; do sh -c 'echo $$'; done", 500, None);
    // The clock's second: the same turns within a second, in bulk up to the next one.
    let lines = same("while true; do date +%s; done", 2_600, None);
    assert!(lines.first().is_some_and(|l| l.text == "1795600800") && lines.last().is_some_and(|l| l.text == "1795600802"), "{lines:?}");
    same("while true; do date; echo x; date +%s >&2; done", 2_300, None);
    same("while true; do ls -l /etc/hostname; date | cat; done", 2_100, None);
    same("trap 'date; exit 3' TERM; while true; do date +%s; done", 2_800, Some(1_999));
    same("trap 'echo term' TERM; while true; do sleep -1; done", 800, Some(678));
    // `sleep 0` ends at once.
    same("while true; do sleep 0; done", 600, None);
    same("while true; do usleep 1; done", 300, None);
}

/// [`same`], and the files at `paths` the same too: their contents and modification times.
fn same_files(script: &str, until: Millis, paths: &[&str]) {
    let mut files = Vec::new();
    for bulk in [true, false] {
        let mut r = start(script, bulk);
        r.run(until, 250);
        files.push(paths.iter().map(|p| (r.rt.read_file(r.c, p), r.rt.file_mtime(r.c, p))).collect::<Vec<_>>());
    }
    assert_eq!(files[0], files[1], "{script}: files");
    same(script, until, None);
}

#[test]
fn a_loop_that_rewrites_a_file_as_it_was_runs_in_bulk() {
    // A typo'd command with a redirection: `e>cho hi` truncates `cho` and fails, each turn.
    assert!(bulks("while true; do e>cho hi; done"));
    same_files("while true; do e>cho hi; done", 2_600, &["/cho"]);
    assert!(bulks("while true; do echo hi > /tmp/f; cat /tmp/f; done"));
    same_files("while true; do echo hi > /tmp/f; cat /tmp/f >&2; echo there >/tmp/g; done", 2_300, &["/tmp/f", "/tmp/g"]);
    // With the clock read too: up to each second, and the files' times the same.
    same_files("while true; do ls -l /tmp; echo hi > /tmp/f; done", 2_300, &["/tmp/f", "/tmp"]);
    same_files("while true; do date > /tmp/d; done", 2_300, &["/tmp/d"]);
    // Files that change each turn: turn by turn.
    assert!(!bulks("while true; do echo hi >> /tmp/f; done"));
    assert!(!bulks("i=0; while true; do i=$((i+1)); echo $i > /tmp/f; done"));
    assert!(!bulks("while true; do rm -f /tmp/f; echo > /tmp/f; done"));
    same_files("while true; do echo hi >> /tmp/f; done", 300, &["/tmp/f"]);
}

#[test]
fn a_shell_woken_in_the_millisecond_it_waited_goes_on_with_its_clock() {
    // `usleep 1` waits until the millisecond it began: the loop's own steps move the clock
    // (before, each turn began that millisecond again, and only the step budget of a call
    // ended it).
    let mut r = start("i=0; while [ $i -lt 3000 ]; do usleep 1; i=$((i+1)); done; echo done", true);
    r.run(2_000, 250);
    let lines = r.rt.logs(r.c);
    assert_eq!(lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["done"]);
    // 3,000 turns of at least a fork (100 steps) each: at least 300 ms.
    assert!((300..2_000).contains(&lines[0].at), "{}", lines[0].at);
    assert!(!r.events.iter().any(|e| matches!(e, RuntimeEvent::StepBudgetExhausted { .. })), "{:?}", r.events);
}

/// Whether `script`'s loop runs in bulk: given 3 s with nothing else to do, it runs past the
/// step budget of one call (here 200,000 steps, 0.2 virtual seconds) only in bulk.
fn bulks(script: &str) -> bool {
    let mut r = start_with(script, true, RuntimeConfig { step_budget: 200_000, ..Default::default() });
    r.rt.set_horizon(3_000);
    let ev = r.rt.advance(3_000);
    !ev.iter().any(|e| matches!(e, RuntimeEvent::StepBudgetExhausted { .. }))
}

#[test]
fn which_loops_run_in_bulk() {
    assert!(bulks("while true; do echo hi; done"));
    // Output without line ends, the shell's or a child's.
    assert!(bulks("while true; do echo -n a=b; done"));
    assert!(bulks("printf debug > /tmp/v; while true; do cat /tmp/v; done"));
    assert!(bulks("printf 'debéug' > /tmp/v; while true; do cat /tmp/v; done"));
    assert!(bulks("while true; do printf 'one\ntwo'; done"));
    assert!(bulks("printf 'a=1\\nb=2' > /tmp/l; while true; do echo -en '\\n\\n'; cat /tmp/l; sleep 0x10; done"));
    assert!(bulks("while true; do sleep -1; done"));
    assert!(bulks("while true; do cat /nonexistent; echo $?; done"));
    assert!(bulks("while true; do sleep 0; done"));
    // `ls` reads the clock for its long format only.
    assert!(bulks("while true; do ls /nonexistent; done"));
    assert!(bulks("while true; do ls -l /nonexistent; done"));
    assert!(bulks("while true; do cat /etc/hostname; /bin/true; done"));
    // The clock's second: in bulk within each second.
    assert!(bulks("while true; do date +%s; done"));
    // Each turn is new: a new pid read.
    assert!(!bulks("while true; do sh -c 'echo $$'; done"));
    assert!(bulks("while true; do (exit 3); done"));
    // Pipelines: the pipes are the turn's own, read within it.
    assert!(bulks("while true; do echo | hi; done"));
    assert!(bulks("while true; do echo hi | grep h; done"));
    assert!(bulks("while true; do x=$(echo hi); done"));
    assert!(bulks("while true; do date | cat; done"));
    // The milliseconds (`$RANDOM` is seeded from them): each turn is new.
    assert!(!bulks("while true; do echo $RANDOM; done"));
    // A redirection into a missing directory fails each turn and changes nothing.
    assert!(bulks("while true; do dd if=/dev/zero bs=1M count=10 >> /scratch/blob; sleep 1---; done"));
}

#[test]
fn a_counting_loop_runs_in_bulk_and_counts_as_the_turns_would() {
    assert!(bulks("i=0; while true; do i=$((i+1)); done"));
    assert!(bulks("while :; do : $((j+=3)); k=$((k-1)); done"));
    assert!(bulks("while true; do i=$((i+1)); echo tick; done"));
    // The counter decides nothing, yet its value shows later: in a trap, after a break.
    let lines = same("trap 'echo i=$i; exit 4' TERM; i=0; while true; do i=$((i+1)); done", 700, Some(634));
    let i: u64 = lines.last().unwrap().text.trim_start_matches("i=").parse().unwrap();
    assert!(i > 5_000, "{lines:?}");
    same("trap 'echo $i $j; exit 4' TERM; i=5; j=-7; while :; do : $((i+=2)); j=$((j - 3)); echo x; done", 600, Some(567));
    same_with("j=0; while :; do : $((j+=3)); [ -f /tmp/stop ] && break; done; echo j=$j", 700, 500, |rt, t, c| {
        rt.exec_sync(t, c, &s(&["touch", "/tmp/stop"]), Some(1_000));
    });
    // A trap that moves the counter too: the turns it runs in are not repeated.
    same_with(
        "trap 'i=$((i+1000)); echo usr1' USR1; trap 'echo $i; exit' TERM; i=0; while :; do i=$((i+1)); done",
        700,
        400,
        |rt, t, c| {
            for _ in 0..3 {
                rt.signal(t, c, Signal::Usr1);
            }
            rt.signal(t + 100, c, Signal::Term);
        },
    );
    // Past the largest integer: it wraps, in bulk as turn by turn.
    same("trap 'echo $n; exit' TERM; n=9223372036854775000; while true; do n=$((n+1)); done", 600, Some(550));
    // What a counter decides, or where it goes, is not counted in bulk; still the same.
    assert!(!bulks("i=0; while true; do i=$((i+1)); [ $i = 5000000 ] && echo five; done"));
    assert!(!bulks("i=1; while true; do i=$((i*3)); done"));
    assert!(!bulks("export i=0; while true; do i=$((i+1)); done"));
    same("i=0; while true; do i=$((i+1)); [ $i = 40000 ] && echo there; done", 600, None);
}

#[test]
fn a_counting_loop_whose_test_has_a_redirection_runs_in_bulk() {
    // The classic mistake: `>` is a redirection (to a file `0`), and `[ $i ]` is always true.
    let script = "trap 'echo i=$i; exit 3' TERM; i=5; while [ $i > 0 ]; do i=$((i-1)); done";
    assert!(bulks(script));
    let lines = same(script, 1_500, Some(1_234));
    let i: i64 = lines.last().unwrap().text.trim_start_matches("i=").parse().unwrap();
    assert!(i < -1_000, "{lines:?}");
    same_files("i=0; until [ $i ] 2>/dev/null >>/tmp/log; do i=$((i+1)); done; echo $i", 300, &["/tmp/log"]);
    // The fuzzer's `[ $i -lt 100000>0 ]`: a bound all the same, and the loop ends in bulk.
    let script = "i=0; while [ $i -lt 100000>0 ]; do i=$((i+1)); done; echo counted to $i";
    assert!(bulks(script));
    let lines = same(script, 2_000, None);
    assert_eq!(lines.last().map(|l| l.text.as_str()), Some("counted to 100000"));
    // A test whose output goes somewhere else than stdout: turn by turn.
    assert!(!bulks("i=0; while [ $i -lt 100000 ] 2>/tmp/e; do i=$((i+1)); done"));
    // The fuzzer's `[ $i\u{202e} > 0 ]` (a right-to-left mark after `$i`): the word is never
    // empty, so the loop never ends, in bulk as turn by turn (242 s for 10 virtual minutes
    // turn by turn).
    let script = "trap 'echo i=$i; exit 3' TERM; i=5; while [ $i\u{202e} > 0 ]; do i=$((i-1)); done";
    assert!(bulks(script));
    let lines = same(script, 1_500, Some(1_234));
    assert!(lines.last().unwrap().text.trim_start_matches("i=").parse::<i64>().unwrap() < -1_000, "{lines:?}");
    // The sixteenth session's `[ $i[ > 0 ]`: an unclosed `[` is no glob, so the word is one and
    // never empty (236 s for 10 virtual minutes turn by turn). A closed one is a pattern: turn
    // by turn, and the same.
    let script = "trap 'echo i=$i; exit 3' TERM; i=5; while [ $i[ > 0 ]; do i=$((i-1)); done";
    assert!(bulks(script));
    let lines = same(script, 1_500, Some(1_234));
    assert!(lines.last().unwrap().text.trim_start_matches("i=").parse::<i64>().unwrap() < -1_000, "{lines:?}");
    assert!(!bulks("i=5; while [ $i[0] > 0 ]; do i=$((i-1)); done"));
}

#[test]
fn a_state_that_comes_back_every_second_turn_runs_in_bulk_by_pairs() {
    // The fuzzer's `i=$((---i+1))`: `--i` then a minus, so i goes 0, 2, 0, 2, ...
    let script = "trap 'echo i=$i; exit 3' TERM; i=0; while true; do i=$((---i+1)); done";
    assert!(bulks(script));
    for term in [567, 568, 1_234] {
        let lines = same(script, 2_000, Some(term));
        assert!(matches!(lines.last().map(|l| l.text.as_str()), Some("i=0" | "i=2")), "{lines:?}");
    }
    same("while true; do x=$((1-${x:-0})); echo tick; done", 900, None);
    // Period three is not a pair: turn by turn, and the same.
    assert!(!bulks("i=0; while true; do i=$(( (i+1) % 3 )); done"));
}

#[test]
fn a_loop_that_ends_on_its_counter_runs_in_bulk_up_to_its_last_turn() {
    // A million turns run past the budget of one call turn by turn (about 4 virtual seconds).
    assert!(bulks("i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done; sleep 100"));
    assert!(bulks("n=1000000; i=0; until test \"$i\" -ge $n; do i=$((i+1)); done; sleep 100"));
    assert!(bulks("i=1000000; while [ 0 -lt $i ]; do : $((i-=3)); done; sleep 100"));
    // It ends at the same moment with the same count, bulk or not; every comparison.
    for cond in ["$i -lt 30000", "$i -le 30000", "$i -ne 30000", "30000 -gt $i", "\"$i\" -lt \"$n\""] {
        same(&format!("n=30000; i=0; while [ {cond} ]; do i=$((i+1)); done; echo $i"), 1_000, None);
    }
    same("i=0; until [ $i -ge 30001 ]; do i=$((i+2)); echo x; done; echo $i", 1_500, None);
    same("i=90000; while [ $i -gt -5 ]; do i=$((i-7)); done; echo $i", 1_000, None);
    same("i=30000; while [ $i -eq 30000 ]; do i=$((i+1)); done; echo $i", 100, None);
    // A counter that steps over an -ne bound never ends; near the largest integer it wraps.
    same("trap 'echo $i; exit' TERM; i=1; while [ $i -ne 30000 ]; do i=$((i+2)); done", 600, Some(500));
    same("trap 'echo $i; exit' TERM; i=9223372036854700000; while [ $i -gt 0 ]; do i=$((i+1)); done; echo $i", 600, Some(550));
    // A separator that splits the number is not bulked, yet the same.
    same("IFS=0; i=1; while [ $i -lt 30000 ]; do i=$((i+1)); done; echo $i", 1_000, None);
    assert!(!bulks("IFS=0; i=1; while [ $i -lt 30000000 ]; do i=$((i+1)); done"));
}

/// What a loop asking Service `web` shows after `until`, run in bulk or turn by turn: the
/// client's log, each nginx server's log (each serves a page with its own name) and the pid the
/// client's next process gets. At `change` the Service loses its last endpoint but one.
struct ServiceLoop {
    client: Vec<LogLine>,
    servers: Vec<Vec<LogLine>>,
    next_pid: String,
}

/// Nginx pods `web-0`, `web-1`, … (each serving a page with its name) behind Service `web`,
/// and a client pod running `script`: the client, the servers and the endpoints.
fn service_pods(rt: &mut Runtime, script: &str, servers: usize) -> (ContainerId, Vec<ContainerId>, Vec<(String, u16)>) {
    let mut ids = Vec::new();
    let mut endpoints = Vec::new();
    for i in 0..servers {
        let ip = format!("10.244.0.{}", 30 + i);
        let sb = common::pod(rt, &format!("web-{i}"), &ip);
        let c = common::container(rt, sb, "nginx:1.27", &[], &[]);
        rt.start_container(0, c).unwrap();
        let page = format!("echo web-{i} > /usr/share/nginx/html/index.html");
        assert_eq!(common::exec(rt, 0, c, &["sh", "-c", &page]).1, 0);
        ids.push(c);
        endpoints.push((ip, 80));
    }
    rt.set_service_routes(service_route(&endpoints));
    let sb = common::pod(rt, "client", "10.244.0.9");
    let client = common::container(rt, sb, "busybox:1.36", &["sh", "-c", script], &[]);
    rt.start_container(0, client).unwrap();
    (client, ids, endpoints)
}

fn service_route(endpoints: &[(String, u16)]) -> Vec<ServiceRoute> {
    vec![ServiceRoute { cluster_ip: "10.96.0.20".into(), port: 80, endpoints: endpoints.to_vec() }]
}

fn service_loop(script: &str, servers: usize, change: Millis, until: Millis, bulk: bool) -> ServiceLoop {
    let mut rt = common::runtime(BusyboxVersion::V1_36);
    rt.set_bulk(bulk);
    let (client, ids, endpoints) = service_pods(&mut rt, script, servers);
    let route = service_route;
    // As the engine drives it: each wake-up in turn, the next task every 250 ms the horizon.
    let period = 250;
    let mut task = period;
    let mut changed = false;
    loop {
        if !changed && task > change {
            rt.set_service_routes(route(&endpoints[..servers - 1]));
            changed = true;
        }
        let wake = rt.next_wakeup();
        let next = wake.map_or(task, |w| w.min(task));
        if next > until {
            break;
        }
        if wake == Some(next) {
            rt.set_horizon(task.min(until));
            rt.advance(next);
        } else {
            task += period;
        }
    }
    let next_pid = common::exec(&mut rt, until, client, &["sh", "-c", "echo $$"]).0;
    ServiceLoop { client: rt.logs(client), servers: ids.iter().map(|&c| rt.logs(c)).collect(), next_pid }
}

#[test]
fn a_loop_asking_a_service_in_bulk_is_the_loop_turn_by_turn() {
    for (script, servers) in [
        ("while true; do wget -q -O- http://web/; done", 1),
        ("while true; do wget -q -O- http://web/; done", 2),
        ("while true; do wget -q -O- -T 2 http://web/; slee: p 5; done", 3),
        ("while true; do wget -q -O- http://web/ 2>&1; echo $?; wget -q -O /dev/null http://web/; done", 3),
        ("while true; do wget -q -O- http://web/; wget -q -O- http://web/; done", 3),
        ("while true; do wget -q -O- http://web/; done", 5),
        ("while true; do wget -q -O- http://web/missing 2>&1; wget -q -O- http://web/; done", 3),
    ] {
        let bulk = service_loop(script, servers, 1_300, 2_600, true);
        let step = service_loop(script, servers, 1_300, 2_600, false);
        assert!(bulk.client.len() > 2_000, "{script}: {} lines", bulk.client.len());
        assert_eq!(bulk.client.len(), step.client.len(), "{script}: client lines");
        if let Some(i) = (0..bulk.client.len()).find(|&i| bulk.client[i] != step.client[i]) {
            panic!("{script}: client line {i}: bulk {:?}, turn by turn {:?}", bulk.client[i], step.client[i]);
        }
        for (k, (b, s)) in bulk.servers.iter().zip(&step.servers).enumerate() {
            assert_eq!(b.len(), s.len(), "{script}: server {k} lines");
            if let Some(i) = (0..b.len()).find(|&i| b[i] != s[i]) {
                panic!("{script}: server {k} line {i}: bulk {:?}, turn by turn {:?}", b[i], s[i]);
            }
        }
        assert_eq!(bulk.next_pid, step.next_pid, "{script}: next pid");
    }
}

#[test]
fn a_loop_asking_a_service_runs_in_bulk() {
    let bulks = |script: &str, servers: usize| {
        let mut rt = Runtime::new(RuntimeConfig { step_budget: 200_000, ..Default::default() });
        rt.set_cluster_dns(vec![DnsRecord { name: "web.default.svc.cluster.local".into(), ip: "10.96.0.20".into() }]);
        service_pods(&mut rt, script, servers);
        rt.set_horizon(3_000);
        let ev = rt.advance(3_000);
        !ev.iter().any(|e| matches!(e, RuntimeEvent::StepBudgetExhausted { .. }))
    };
    for servers in [1, 2, 5] {
        assert!(bulks("while true; do wget -q -O- http://web/; done", servers), "{servers} endpoints");
    }
    // Each turn asks twice: three turns bring three endpoints' round robin back.
    assert!(bulks("while true; do wget -q -O- http://web/; wget -q -O- http://web/; done", 3));
    // A missing page: nginx logs an error naming the connection too, which the bulk numbers.
    assert!(bulks("while true; do wget -q -O- http://web/missing; done", 2));
    assert!(!bulks("while true; do wget -q -O- http://web/; echo $RANDOM; done", 2));
}

/// A busy loop beside the engine's tasks (one a second here, as many pods' syncs make) runs
/// in bulk between them, and only the turns around each task one by one: about a millisecond
/// of turns (the task's own, in which no bulk fits), not hundreds of turns more before it
/// looks again. What a task costs a busy loop is what many busy pods cost: each pod's syncs
/// end every pod's bulk.
#[test]
fn a_busy_loop_runs_few_turns_one_by_one_at_each_task() {
    let mut r = start("while true; do echo hi; done", true);
    r.run(60_000, 1_000);
    let turns = r.rt.turns_run_one_by_one();
    // 60 tasks; an echo turn costs about 20 µs, so a millisecond is some 50 turns.
    assert!(turns < 60 * 100, "{turns} turns one by one");
    assert!(turns > 60, "{turns}: the turns around each task run one by one");
}
