//! A mutation fuzzer on the stable toolchain (cargo-fuzz needs nightly): seeded from every
//! scenario in tests/scenarios, it mutates the text (lines deleted, doubled, swapped or
//! re-indented; numbers made extreme; unicode, tabs, huge strings and alias bombs inserted; the
//! text cut short) and runs what `scripts/fuzz.sh` names:
//!
//! * `yaml`: load → session → 10 virtual minutes → `get pods`, `describe pods`, `get events`,
//!   `logs` of every container, `get pods -o yaml`, `get all`, `describe` of the workloads,
//!   `events`;
//! * `shell`: a busybox container running a generated `sh -c` script for 2 virtual minutes,
//!   then its logs.
//!
//! Every run must end without a panic and within 1 s of CPU time (the thread's, where Linux
//! tells it: a shared machine's waits are not the engine's cost). It prints the executions,
//! panics and slow runs, and how many of those were slow in the simulation itself rather than
//! in the views of what it made (and, on stderr, the counts so far every 10,000 runs), and writes each
//! failing input to target/fuzz/<target>/ as `panic-SEED-RUN.yaml` or `slow-SEED-RUN.yaml`
//! (the input under way is `current.yaml` there, for a run that never ends).
//!
//!   cargo run --release -p podplay-session --example fuzz -- yaml|shell SECONDS [SEED]
//!   cargo run --release -p podplay-session --example fuzz -- replay FILE...   (times saved inputs;
//!                                          with FUZZ_STAGES=1, each stage's time too)

// The CLI's allocator: a run is slow or not by what the native binary would do with the
// input (glibc's malloc spends a tenth of a 12,000-pod run consolidating at the engine's drop).
#[cfg(not(podplay_system_alloc))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use podplay_core::{load, SourceFile};
use podplay_k8s_util::rand::SplitMix64 as Rng;
use podplay_session::Session;

const EXTREMES: &[&str] = &["0", "-1", "2147483647", "9223372036854775807", "99999999999999999999", "1e308", "0.5", "-0", "\"80\"", "0x10"];
const INSERTS: &[&str] =
    &["\t", "é", "🚀", "\u{202e}", "\\", "'", "\"", ": ", "- ", "&a", "*a", "{", "[", "]", "}", "#", "|", ">", "---", "..."];
const ALIAS_BOMB: &str = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d]\n";

/// One mutation of `text`.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let i = rng.below(lines.len() as u64) as usize;
    let j = rng.below(lines.len() as u64) as usize;
    match rng.below(11) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let l = lines[i].clone();
            lines.insert(j, l);
        }
        2 => lines.swap(i, j),
        3 => lines[i] = format!("  {}", lines[i]),
        4 => lines[i] = lines[i].trim_start_matches(' ').chars().skip(rng.below(3) as usize).collect(),
        5 => {
            // A number made extreme.
            let l = &lines[i];
            if let Some(start) = l.find(|c: char| c.is_ascii_digit()) {
                let end = l[start..].find(|c: char| !c.is_ascii_digit()).map_or(l.len(), |e| start + e);
                lines[i] = format!("{}{}{}", &l[..start], rng.pick(EXTREMES), &l[end..]);
            }
        }
        6 => {
            let l = &lines[i];
            let at = (0..=l.len()).filter(|k| l.is_char_boundary(*k)).nth(rng.below(l.chars().count() as u64 + 1) as usize).unwrap_or(0);
            lines[i] = format!("{}{}{}", &l[..at], rng.pick(INSERTS), &l[at..]);
        }
        7 => lines[i] = format!("{}{}", lines[i], "x".repeat(1 + rng.below(20_000) as usize)),
        8 => lines.insert(i, ALIAS_BOMB.trim_end().to_string()),
        9 => {
            let cut = rng.below(lines.len() as u64) as usize;
            lines.truncate(cut);
        }
        _ => {
            let l = lines[i].clone();
            lines[j] = l;
        }
    }
    lines.join("\n") + "\n"
}

const SHELL_PARTS: &[&str] = &[
    "echo hi",
    "echo -n x",
    "i=$((i+1))",
    "x=$RANDOM",
    "sleep 1",
    "true",
    "false || echo no",
    "[ $i -lt 5 ] && echo small",
    "for f in a b c; do echo $f; done",
    "while [ $i -lt 3 ]; do i=$((i+1)); done",
    "while true; do echo y; done",
    "while :; do :; done",
    "cat /etc/hostname",
    "ls / | wc -l",
    "echo $(date) > /tmp/d",
    "read x < /tmp/d",
    "trap 'echo bye' TERM",
    "f() { f; }; f",
    "(exit 3)",
    "exit $((i % 3))",
    "kill -9 $$",
    "yes | head -n 2",
    "seq 1 100000 | tail -n 1",
    "echo ${x:-unset} ${#x} ${x%?}",
    "case $i in 1) echo one;; *) echo many;; esac",
    "set -e; false",
    "wait",
    "sleep 5 & echo $!",
    "printf '%s\\n' a b",
    "sh -c 'echo nested'",
];

fn shell_script(rng: &mut Rng) -> String {
    let n = 1 + rng.below(6) as usize;
    (0..n).map(|_| rng.pick(SHELL_PARTS).to_string()).collect::<Vec<_>>().join(if rng.below(2) == 0 { "; " } else { "\n" })
}

fn shell_pod(script: &str) -> String {
    let quoted = serde_yaml_quote(script);
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: fz}}\nspec:\n  containers:\n  - name: sh\n    image: busybox:1.36\n    command: [sh, -c, {quoted}]\n")
}

fn serde_yaml_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}

/// Runs one input, telling `took` the CPU time each stage (the load and simulation, each view)
/// took; Err(why) for a panic.
fn exercise(text: &str, until: u64, views: bool, took: &mut dyn FnMut(&str, Duration)) -> Result<(), String> {
    let text = text.to_string();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let t = CpuClock::now();
        let Ok(m) = load(&[SourceFile { name: "fuzz.yaml".into(), text }]) else { return };
        let Ok(mut s) = Session::new(&m) else { return };
        s.seek(until);
        let e = s.engine();
        let size = format!("load and simulate ({} pods, {} timeline changes)", e.pods().count(), e.timeline().len());
        took(&size, t.elapsed());
        let words = |line: &str| line.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let mut lines = vec!["get pods -A -o wide".to_string(), "get events -A".into()];
        if views {
            lines.extend(["describe pods -A".to_string(), "get pods -o yaml".into(), "get endpoints".into()]);
            // The workload controllers' views, and kubectl events.
            lines.extend([
                "get all -A -o wide".to_string(),
                "describe deployments".into(),
                "describe rs".into(),
                "describe jobs".into(),
                "events -A".into(),
            ]);
        }
        let pods: Vec<(String, String, Vec<String>)> = s
            .engine()
            .pods()
            .map(|p| {
                let cs = p.spec.init_containers.iter().chain(&p.spec.containers).map(|c| c.name.clone()).collect();
                (p.metadata.name.clone(), p.metadata.namespace().to_string(), cs)
            })
            .collect();
        for (pod, ns, cs) in pods {
            for c in cs {
                lines.push(format!("logs {pod} -n {ns} -c {c} --tail 20"));
            }
        }
        let (mut logs, mut logs_took) = (0, Duration::ZERO);
        for line in lines {
            let t = CpuClock::now();
            let _ = s.kubectl(&words(&line));
            if line.starts_with("logs ") {
                logs += 1;
                logs_took += t.elapsed();
            } else {
                took(&line, t.elapsed());
            }
        }
        took(&format!("{logs} logs"), logs_took);
    }))
    .map_err(|e| e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default())
}

/// The CPU time this thread has used, where Linux tells it (`/proc/thread-self/stat`, in clock
/// ticks of 10 ms), else the wall clock: a run is slow by the work it did, not by how long it
/// waited for a core the machine gave to something else.
enum CpuClock {
    Cpu(Duration),
    Wall(Instant),
}

impl CpuClock {
    fn now() -> CpuClock {
        thread_cpu().map_or_else(|| CpuClock::Wall(Instant::now()), CpuClock::Cpu)
    }
    fn elapsed(&self) -> Duration {
        match self {
            CpuClock::Cpu(start) => thread_cpu().map_or(Duration::ZERO, |now| now.saturating_sub(*start)),
            CpuClock::Wall(start) => start.elapsed(),
        }
    }
}

fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // The fields after the command name (which is in brackets and may hold spaces): utime and
    // stime are the 12th and 13th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// `fuzz replay FILE...`: each saved input run again as the yaml target runs it, with its time
/// (a shell input is a Pod too), to check a fix against what a run found.
fn replay(files: &[String]) {
    for f in files {
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}"));
        let t = Instant::now();
        let verbose = std::env::var_os("FUZZ_STAGES").is_some();
        let result = exercise(&text, 600_000, true, &mut |stage, took| {
            if verbose {
                eprintln!("{:8.3} s  {stage}", took.as_secs_f64());
            }
        });
        let verdict = match result {
            Ok(()) => "ok".to_string(),
            Err(why) => format!("panic: {why}"),
        };
        println!("{:8.3} s  {f}  {verdict}", t.elapsed().as_secs_f64());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "replay") {
        return replay(&args[1..]);
    }
    let target = args.first().map(String::as_str).unwrap_or("yaml");
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut rng = Rng::new(seed);
    let top = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out_dir = top.join("target/fuzz").join(target);
    std::fs::create_dir_all(&out_dir).expect("target/fuzz");
    let mut seeds: Vec<String> = std::fs::read_dir(top.join("tests/scenarios"))
        .expect("tests/scenarios")
        .filter_map(|e| e.ok())
        .map(|e| std::fs::read_to_string(e.path()).expect("a scenario"))
        .collect();
    seeds.sort();
    // The panic message goes to the report, not to stderr for every case.
    std::panic::set_hook(Box::new(|_| {}));
    let (mut runs, mut panics, mut slow, mut slowest) = (0u64, 0u64, 0u64, Duration::ZERO);
    // Slow runs whose simulation alone took over 1 s (the others were slow in their views).
    let mut slow_simulations = 0u64;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(seconds) {
        let (text, until, views) = match target {
            "shell" => (shell_pod(&shell_script(&mut rng)), 120_000, false),
            _ => {
                let mut text = rng.pick(&seeds).clone();
                for _ in 0..1 + rng.below(4) as usize {
                    text = mutate(&mut rng, &text);
                }
                (text, 600_000, true)
            }
        };
        // The input under way, so that one that never ends can be found after the run is killed.
        std::fs::write(out_dir.join("current.yaml"), &text).ok();
        let t = CpuClock::now();
        let mut simulation = Duration::ZERO;
        let result = exercise(&text, until, views, &mut |stage, took| {
            if stage.starts_with("load and simulate") {
                simulation = took;
            }
        });
        let took = t.elapsed();
        runs += 1;
        slowest = slowest.max(took);
        if let Err(why) = result {
            panics += 1;
            std::fs::write(out_dir.join(format!("panic-{seed}-{runs}.yaml")), format!("# {why}\n{text}")).ok();
        } else if took > Duration::from_secs(1) {
            slow += 1;
            slow_simulations += u64::from(simulation > Duration::from_secs(1));
            let header = format!("# {:.2} s (the simulation {:.2} s)", took.as_secs_f64(), simulation.as_secs_f64());
            std::fs::write(out_dir.join(format!("slow-{seed}-{runs}.yaml")), format!("{header}\n{text}")).ok();
        }
        // Counts as it goes, for a run that is stopped before its end.
        if runs % 10_000 == 0 {
            eprintln!(
                "fuzz {target}: {runs} executions in {:.0} s, {panics} panics, {slow} runs over 1 s ({slow_simulations} in the simulation) so far",
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "fuzz {target}: {runs} executions in {:.0} s, {panics} panics, {slow} runs over 1 s ({slow_simulations} in the simulation; slowest {:.3} s); failing inputs in {}",
        started.elapsed().as_secs_f64(),
        slowest.as_secs_f64(),
        out_dir.display()
    );
    if panics > 0 || slow > 0 {
        std::process::exit(1);
    }
}
