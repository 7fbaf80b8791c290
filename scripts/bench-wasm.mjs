// podplay's engine as wasm in Node, on the native bench's cases (crates/podplay-session/benches/
// engine.rs), for the performance issue's table:
//   * each lesson in tests/scenarios/*.yaml over 10 virtual minutes: `new Session(yaml);
//     seek(600)`, repeated for about a second (at least 3 runs) after 3 warm-up runs; the median
//     and the minimum;
//   * 100, 1,000 and 10,000 pods (100 per node) with one exec, httpGet or tcpSocket readiness
//     probe every 10 s, over 1 virtual hour: `new Session(yaml); seek(3600)`, once, each in a
//     child process of its own (so its peak resident memory is its own).
//
// What is timed: the engine call only, `new Session(yaml)` and `seek(...)`; the YAML's generation
// and the module's instantiation are not. The native bench times `Session::new` + `seek` on
// manifests parsed beforehand; the wasm `Session` constructor parses the YAML itself, so here the
// figure INCLUDES the parse (`new_s` is the constructor alone: parse + `Session::new`; `seek_s`
// the seek). CPU seconds are process.cpuUsage() (user + system) around the call: the whole
// process's, so V8's background threads (compilation, GC) count too; each child instantiates the
// module and runs a lesson a few times before its case, so wasm compilation is out of the figure.
// Peak memory is the child's process.resourceUsage().maxRSS read right after the seek (before
// anything reads the results out); `base_rss_kb` is its resident size just before the case (the
// module instantiated, the YAML text generated).
// Events: the timeline's length (`simulation().timeline.length`), read after the measurement (and
// after the peak memory): `events/cpu s` is that over the CPU seconds. PODPLAY_BENCH_EVENTS=0
// skips it for the large cases (it copies the whole simulation into JS: a few seconds at 10,000
// pods).
//
//   node scripts/bench-wasm.mjs [--json FILE] [FILTER]
//
// FILTER: comma-separated substrings of the case names to run (`liveness`, `exec-`, `-10000`,
// `poststart,httpGet-100`).
// PODPLAY_WASM_PKG=DIR: the package (default target/wasm-pack/pkg, from `wasm-pack build
// --target web`); PODPLAY_BENCH_SIZES=100,1000,10000: the pod counts. The JSON has, per case:
// case, cpu_s (new + seek), new_s, seek_s, wall_s, max_rss_kb, base_rss_kb, kb_per_pod, events,
// events_per_cpu_s (the lessons: medians; max_rss_kb null, as they run in this process).
// Nothing here asserts a time.
import { fork } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  ROOT, LESSON_SECONDS, LARGE_SECONDS, probedCluster, lessonNames, lessonYaml, sizes, largeCases, parseArgs, picked, cpuSeconds, table, fmt,
} from "./bench-cases.mjs";

const PKG = resolve(process.env.PODPLAY_WASM_PKG || join(ROOT, "target/wasm-pack/pkg"));
const args = parseArgs(process.argv.slice(2));
if (args.help) {
  console.log("node scripts/bench-wasm.mjs [--json FILE] [FILTER]   (env PODPLAY_WASM_PKG, PODPLAY_BENCH_SIZES, PODPLAY_BENCH_EVENTS=0)");
  process.exit(0);
}

async function loadEngine() {
  if (!existsSync(join(PKG, "package.json"))) throw new Error(`no package at ${PKG}: build it with scripts/test.sh wasm-pack (wasm-pack build --target web), or set PODPLAY_WASM_PKG`);
  const pkg = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
  const engine = await import(pathToFileURL(join(PKG, pkg.module ?? pkg.main)).href);
  engine.initSync({ module: readFileSync(join(PKG, pkg.files.find((f) => f.endsWith(".wasm")))) });
  return { engine, version: engine.version() };
}

/// One run: `new Session(yaml); seek(at)`, timed; the session is returned unfreed.
function runOnce(engine, yaml, at) {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  const s = new engine.Session(yaml);
  const c1 = process.cpuUsage();
  s.seek(at);
  const c2 = process.cpuUsage();
  const wall_s = (performance.now() - w0) / 1000;
  if (!s.ok) throw new Error(`the YAML did not load: ${JSON.stringify(s.diagnostics()).slice(0, 500)}`);
  return { s, cpu_s: cpuSeconds(c2) - cpuSeconds(c0), new_s: cpuSeconds(c1) - cpuSeconds(c0), seek_s: cpuSeconds(c2) - cpuSeconds(c1), wall_s };
}

const warmUp = (engine) => {
  const y = lessonYaml("liveness-exec");
  for (let i = 0; i < 5; i++) runOnce(engine, y, LESSON_SECONDS).s.free();
};

/// A lesson, in this process: runs for about a second (at least 3 times), median and minimum.
function lesson(engine, name) {
  const yaml = lessonYaml(name);
  for (let i = 0; i < 3; i++) runOnce(engine, yaml, LESSON_SECONDS).s.free(); // warm-up: V8 tiers up this lesson's paths
  const runs = [];
  const start = performance.now();
  let events = null;
  while (runs.length < 3 || (performance.now() - start < 1000 && runs.length < 1000)) {
    const r = runOnce(engine, yaml, LESSON_SECONDS);
    if (events === null) events = r.s.simulation().timeline.length;
    r.s.free();
    runs.push(r);
  }
  const by = (k) => runs.map((r) => r[k]).sort((a, b) => a - b);
  const med = (k) => by(k)[Math.floor(runs.length / 2)];
  const cpu_s = med("cpu_s");
  return {
    case: name, kind: "lesson", virtual_s: LESSON_SECONDS, runs: runs.length,
    cpu_s, cpu_min_s: by("cpu_s")[0], wall_s: med("wall_s"), new_s: med("new_s"), seek_s: med("seek_s"),
    max_rss_kb: null, events, events_per_cpu_s: events !== null && cpu_s > 0 ? events / cpu_s : null,
  };
}

/// A large case, in a child process of its own (`--child NAME`): reports on the IPC channel.
async function child(name) {
  const c = largeCases([Number(name.split("-")[1])]).find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  const { engine } = await loadEngine();
  warmUp(engine);
  const yaml = probedCluster(c.nodes, c.pods, c.kind);
  global.gc?.();
  const base_rss_kb = Math.round(process.memoryUsage().rss / 1024);
  const r = runOnce(engine, yaml, LARGE_SECONDS);
  const max_rss_kb = process.resourceUsage().maxRSS;
  // The figures first (a child that runs out of memory reading the timeline still reports them).
  process.send({
    case: c.name, kind: c.kind, pods: c.pods, nodes: c.nodes, virtual_s: LARGE_SECONDS, runs: 1,
    cpu_s: r.cpu_s, wall_s: r.wall_s, new_s: r.new_s, seek_s: r.seek_s,
    max_rss_kb, base_rss_kb, kb_per_pod: (max_rss_kb - base_rss_kb) / c.pods, events: null, events_per_cpu_s: null,
  });
  if (process.env.PODPLAY_BENCH_EVENTS !== "0") {
    const events = r.s.simulation().timeline.length;
    process.send({ events, events_per_cpu_s: r.cpu_s > 0 ? events / r.cpu_s : null });
  }
  r.s.free();
}

function runChild(name) {
  return new Promise((done) => {
    const p = fork(fileURLToPath(import.meta.url), ["--child", name], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: ["--expose-gc"] });
    let result = null;
    p.on("message", (m) => (result = { ...result, ...m }));
    p.on("exit", (code, signal) => done(result ?? { case: name, error: `child exited ${signal ?? code}` }));
  });
}

if (args.child) {
  await child(args.child);
  process.exit(0);
}

const { engine, version } = await loadEngine();
warmUp(engine);
const results = [];
console.log(`podplay-wasm ${version} (${PKG}), Node ${process.version}: CPU s = user + system of new Session(yaml) + seek (parse included)`);
console.log();
const lessonRows = [];
for (const name of lessonNames().filter((n) => picked(n, args.filter))) {
  const r = lesson(engine, name);
  results.push(r);
  lessonRows.push([name, r.runs, fmt(r.cpu_s * 1000), fmt(r.cpu_min_s * 1000), fmt(r.wall_s * 1000), fmt(r.new_s * 1000), r.events, r.events_per_cpu_s === null ? "-" : Math.round(r.events_per_cpu_s)]);
}
if (lessonRows.length) {
  console.log(`Lessons, ${LESSON_SECONDS / 60} virtual minutes (median over the runs):`);
  console.log(table(["scenario", "runs", "cpu ms", "min ms", "wall ms", "new() ms", "events", "events/cpu s"], lessonRows));
  console.log();
}
const large = largeCases(sizes()).filter((c) => picked(c.name, args.filter));
const largeRows = [];
for (const c of large) {
  process.stderr.write(`  running ${c.name}...\n`);
  const r = await runChild(c.name);
  results.push(r);
  const prev = results.find((x) => x.kind === c.kind && x.pods && x.pods * 10 === c.pods && x.cpu_s);
  if (r.error) largeRows.push([c.name, c.nodes, r.error]);
  else largeRows.push([
    c.name, c.nodes, fmt(r.cpu_s), fmt(r.new_s), fmt(r.seek_s), fmt(r.wall_s), Math.round(r.max_rss_kb / 1024), fmt(r.kb_per_pod, 1),
    prev ? `${(r.cpu_s / prev.cpu_s).toFixed(1)}x` : "-", r.events ?? "-", r.events_per_cpu_s === null ? "-" : Math.round(r.events_per_cpu_s),
  ]);
}
if (largeRows.length) {
  console.log(`Large clusters, ${LARGE_SECONDS / 3600} virtual hour, 100 pods per node, one run each in its own process:`);
  console.log(table(["case", "nodes", "cpu s", "new() s", "seek s", "wall s", "max RSS MB", "KB/pod", "growth/10x", "events", "events/cpu s"], largeRows));
}
if (args.json) {
  writeFileSync(args.json, JSON.stringify({ engine: "podplay-wasm", version, node: process.version, pkg: PKG, results }, null, 2) + "\n");
  console.log(`\nwrote ${args.json}`);
}
