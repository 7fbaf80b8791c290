// The benchmark's cases on Webernetes (`@ngrok/webernetes` 0.3.5, the only other in-browser
// kubelet), installed into bench/webernetes/ (never into the page), for the ratios in the
// performance issue's table. Same case names as scripts/bench-wasm.mjs, so the `--json` files join.
//
// How Webernetes keeps time, and so how this measures it: a `Cluster` owns a `Clock` that runs in
// real time by default (its timers are real `setTimeout`s; 10 virtual minutes take 10 minutes).
// It can be paused, and then `clock.step(ms)` moves its virtual time forward, running every clock
// timer due on the way (and the clock's own microtask queue after each), synchronously. The code
// those timers wake is async JS: a continuation after an `await` is a native promise job, which
// runs only when `step` has returned. So virtual time is advanced the only way that lets the
// cluster make progress: pause the clock, then repeatedly `clock.step(STEP)` and yield to Node's
// event loop (`setImmediate`) so the promise jobs run, until the case's virtual time has passed.
// STEP is WEBERNETES_STEP_MS (default 100 ms: a continuation can be late by up to a step; probe
// periods are 3-10 s). The figure is the CPU (process.cpuUsage, user + system) of: parsing the
// manifests (the `yaml` package; podplay's figure includes its parse too), `new Cluster`,
// `init()` (its control plane), `apply()` of the manifests and the stepping, from the moment the
// manifests are applied (virtual 0) to 600 s (lessons) or 3600 s (large clusters); `init_s` and
// `apply_s` are the first parts. Each case runs once, in a child process of its own, with a CPU
// budget (WEBERNETES_BUDGET_S, default 120 s); a case over it is reported as "did not finish in
// N s", with the phase and virtual time it reached (and, when it stopped between two steps rather
// than inside one long burst of promise jobs, how many pods were running and ready).
//
// What the manifests need that Webernetes lacks: it creates its own nodes (node-1..node-N; a Node
// manifest cannot be applied, so the large clusters' Node documents are dropped and the cluster
// is made with PODS / 100 nodes; lessons get 1 node); it has no `Scenario` kind (the lesson's
// `kubectl exec` steps are run with `cluster.exec` at their virtual times); and it runs no real
// image: bench/webernetes/images.mjs registers the few image behaviours the cases use (see there;
// its built-in busybox cannot run these lessons' commands, and it has no nginx).
// Webernetes is bundled once with the root's esbuild (its dist/ imports extensionless paths,
// which only a bundler resolves) into bench/webernetes/node_modules/.bench/.
//
//   node scripts/bench-webernetes.mjs [--json FILE] [--compare WASM-JSON] [FILTER]
//
// FILTER: comma-separated substrings of the case names; --compare adds Webernetes' CPU over
// podplay's from scripts/bench-wasm.mjs's --json file.
// PODPLAY_BENCH_SIZES=100,1000,10000 (the pod counts), WEBERNETES_BUDGET_S=120,
// WEBERNETES_STEP_MS=100. Nothing here asserts a time.
import { execFileSync, fork } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ROOT, LESSON_SECONDS, LARGE_SECONDS, probedCluster, lessonYaml, sizes, largeCases, parseArgs, picked, cpuSeconds, table, fmt, webernetesRatio } from "./bench-cases.mjs";

const BENCH = join(ROOT, "bench/webernetes");
const BUNDLE = join(BENCH, "node_modules/.bench/webernetes.mjs");
const LESSONS = ["liveness-exec", "liveness-httpget", "readiness-httpget", "poststart-fail", "poststart-ok"];
const BUDGET_S = Number(process.env.WEBERNETES_BUDGET_S || 120);
const STEP_MS = Number(process.env.WEBERNETES_STEP_MS || 100);
const PATCH_PORT80 = process.env.WEBERNETES_PATCH_PORT80 === "1";
// The cases whose httpGet probes go to port 80 (readiness-httpget, httpGet-N); see PATCH_PORT80.
const PORT80_HTTPGET = /httpGet: \{port: http\}|containerPort: 80\n[^]*httpGet:/;

const argv = process.argv.slice(2);
const compareAt = argv.indexOf("--compare");
const compare = compareAt >= 0 ? argv.splice(compareAt, 2)[1] : null;
const args = parseArgs(argv);
if (args.help) {
  console.log("node scripts/bench-webernetes.mjs [--json FILE] [--compare WASM-JSON] [FILTER]   (env PODPLAY_BENCH_SIZES, WEBERNETES_BUDGET_S, WEBERNETES_STEP_MS)");
  process.exit(0);
}

/// Installs bench/webernetes from its lock file when it is missing, and bundles it.
async function prepare() {
  const pkgJson = join(BENCH, "node_modules/@ngrok/webernetes/package.json");
  if (!existsSync(pkgJson) || !existsSync(join(BENCH, "node_modules/yaml/package.json"))) {
    console.error("installing bench/webernetes (npm ci)...");
    execFileSync("npm", ["ci", "--prefix", BENCH, "--no-audit", "--no-fund"], { stdio: "inherit" });
  }
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(pkgJson).mtimeMs) {
    const { build } = await import(pathToFileURL(join(ROOT, "node_modules/esbuild/lib/main.js")).href);
    mkdirSync(join(BENCH, "node_modules/.bench"), { recursive: true });
    await build({
      stdin: { contents: 'export * from "@ngrok/webernetes";\nexport { parseAllDocuments } from "yaml";\n', resolveDir: BENCH, loader: "js" },
      bundle: true, format: "esm", platform: "browser", outfile: BUNDLE, logLevel: "warning",
    });
  }
  return JSON.parse(readFileSync(pkgJson, "utf8")).version;
}

const tick = () => new Promise((r) => setImmediate(r));

/// `kubectl exec POD [-c C] -- ARGV...` (a scenario step) as `{pod, container, argv}`.
function parseExecStep(run) {
  const words = [];
  let cur = "", quote, inWord = false;
  for (const ch of run) {
    if (quote) { if (ch === quote) quote = undefined; else cur += ch; continue; }
    if (ch === "'" || ch === '"') { quote = ch; inWord = true; continue; }
    if (/\s/.test(ch)) { if (inWord) words.push(cur); cur = ""; inWord = false; continue; }
    cur += ch; inWord = true;
  }
  if (inWord) words.push(cur);
  const dd = words.indexOf("--");
  if (words[0] !== "kubectl" || words[1] !== "exec" || dd < 0) return null;
  const head = words.slice(2, dd);
  const c = head.indexOf("-c");
  return { pod: head.find((w, i) => !w.startsWith("-") && head[i - 1] !== "-c"), container: c >= 0 ? head[c + 1] : undefined, argv: words.slice(dd + 1) };
}

const parseDuration = (s) => {
  const m = String(s).match(/^(\d+(?:\.\d+)?)(ms|s|m|h)?$/);
  if (!m) throw new Error(`cannot read the duration ${s}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] ?? "s"];
};

/// One case, in this (child) process. Sends `{progress}` now and then, then the result.
async function child(name) {
  const W = await import(pathToFileURL(BUNDLE).href);
  const { images } = await import(pathToFileURL(join(BENCH, "images.mjs")).href);
  const lesson = LESSONS.includes(name);
  const large = lesson ? null : largeCases([Number(name.split("-")[1])]).find((c) => c.name === name);
  if (!lesson && !large) throw new Error(`no case ${name}`);
  const virtual_s = lesson ? LESSON_SECONDS : LARGE_SECONDS;
  const text = lesson ? lessonYaml(name) : probedCluster(large.nodes, large.pods, large.kind);
  const notes = [];
  let port80 = false;
  const progress = { phase: "parse", virtual_s: 0 };
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const cpu = () => cpuSeconds(process.cpuUsage(c0));
  let lastReport = 0, lastVirtual = 0;
  // Webernetes does most of its work in promise jobs: one `await tick()` can run for minutes
  // (1,000 pods starting), where this loop cannot look at the budget. So the parent keeps the
  // budget too (from /proc), and each phase is reported as it starts.
  const setPhase = (phase) => {
    progress.phase = phase;
    process.send({ progress: { ...progress, cpu_s: cpu() } });
  };
  const overBudget = () => {
    const now = performance.now();
    if (now - lastReport > 1000 || progress.virtual_s - lastVirtual >= 1) {
      lastReport = now;
      lastVirtual = progress.virtual_s;
      process.send({ progress: { ...progress, cpu_s: cpu() } });
    }
    return cpu() > BUDGET_S;
  };

  // The manifests: Nodes dropped (Webernetes makes its own), a Scenario's steps kept aside.
  const resources = [];
  const steps = [];
  for (const doc of W.parseAllDocuments(text)) {
    const o = doc.toJS();
    if (!o) continue;
    if (o.kind === "Node") continue;
    if (o.kind === "Scenario") {
      for (const s of o.spec?.steps ?? []) {
        const e = parseExecStep(s.run ?? "");
        if (!e) throw new Error(`step ${JSON.stringify(s)}: only kubectl exec steps are run on Webernetes`);
        steps.push({ at: parseDuration(s.at), ...e, namespace: "default" });
      }
      continue;
    }
    resources.push(o);
  }
  if (!lesson) notes.push(`${large.nodes} node(s) node-1..; the manifests' Node documents dropped`);
  if (steps.length) notes.push(`${steps.length} kubectl exec step(s) run with cluster.exec`);

  setPhase("init");
  const cluster = new W.Cluster({ nodes: lesson ? 1 : large.nodes });
  for (const image of images(W.BaseImage)) cluster.registerImage(image);
  if (PATCH_PORT80) {
    // Webernetes 0.3.5 refuses every request to http://POD-IP:80: `new URL` drops the default
    // port, and ClusterNetwork.parseTargetPort refuses a URL without one unless it names a
    // Service. WEBERNETES_PATCH_PORT80=1 reads such a URL as port 80 (a one-line fix), so the
    // httpGet cases can be timed doing what they should.
    const proto = Object.getPrototypeOf(cluster.network);
    const parseTargetPort = proto.parseTargetPort;
    proto.parseTargetPort = function (url, service) {
      return !url.port && !service && url.protocol === "http:" ? 80 : parseTargetPort.call(this, url, service);
    };
    notes.push("patched: http://IP:80 routed (WEBERNETES_PATCH_PORT80=1)");
  } else if (PORT80_HTTPGET.test(text)) {
    notes.push("its httpGet probes go to port 80, which Webernetes 0.3.5 refuses (URL drops the default port): every probe fails, the pods are never ready (WEBERNETES_PATCH_PORT80=1 times it patched)");
    port80 = true;
  }
  cluster.pause();
  const clock = cluster.clock;
  const start = clock.nowMs();
  let dnf = false;
  // Runs the cluster (steps of STEP_MS, the event loop between) until `promise` settles.
  const drive = async (promise) => {
    let done = false, error;
    promise.then(() => (done = true), (e) => { done = true; error = e; });
    while (!done) {
      clock.step(STEP_MS);
      await tick();
      progress.virtual_s = (clock.nowMs() - t0) / 1000;
      if (overBudget()) { dnf = true; return; }
    }
    if (error) throw error;
  };
  let t0 = start;
  await drive(cluster.init());
  const init_s = cpu();
  let apply_s = null;
  if (!dnf) {
    setPhase("apply");
    t0 = clock.nowMs(); // virtual 0: the manifests are handed to the API server
    await drive(cluster.apply(resources));
    apply_s = cpu() - init_s;
  }
  const execs = [];
  if (!dnf) {
    setPhase("run");
    let next = 0;
    for (;;) {
      const v = (clock.nowMs() - t0) / 1000;
      progress.virtual_s = v;
      while (next < steps.length && steps[next].at <= v) {
        const s = steps[next++];
        execs.push(cluster.exec(s.namespace, s.pod, s.container, s.argv).then((r) => ({ at: s.at, exitCode: r.exitCode }), (e) => ({ at: s.at, error: String(e.message ?? e) })));
      }
      if (v >= virtual_s) break;
      clock.step(Math.min(STEP_MS, (virtual_s - v) * 1000));
      await tick();
      if (overBudget()) { dnf = true; break; }
    }
  }
  const cpu_s = cpu();
  const wall_s = (performance.now() - w0) / 1000;
  const max_rss_kb = process.resourceUsage().maxRSS;
  const result = {
    case: name, kind: lesson ? "lesson" : large.kind, pods: large?.pods, nodes: lesson ? 1 : large.nodes, virtual_s, step_ms: STEP_MS,
    status: dnf ? "dnf" : port80 ? "wrong" : "ok", cpu_s: dnf ? null : cpu_s, cpu_spent_s: cpu_s, wall_s, init_s, apply_s, max_rss_kb,
    reached: dnf ? { phase: progress.phase, virtual_s: Math.round(progress.virtual_s) } : null, notes,
  };
  process.send({ result });

  // Untimed: what the cluster looks like now (a stalled cluster gets 30 s of wall time for it).
  const deadline = performance.now() + 30_000;
  const settle = async (p) => {
    let done = false, value, error;
    p.then((v) => { done = true; value = v; }, (e) => { done = true; error = e; });
    while (!done) { clock.step(0); await tick(); if (performance.now() > deadline) throw new Error("no answer in 30 s"); }
    if (error) throw error;
    return value;
  };
  try {
    const pods = (await settle(cluster.api.corev1.listNamespacedPod({ namespace: "default" }))).items;
    const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
    const running = pods.filter((p) => p.status?.phase === "Running").length;
    const restarts = pods.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + (c.restartCount ?? 0), 0), 0);
    const events = (await settle(cluster.api.corev1.listNamespacedEvent({ namespace: "default" }))).items;
    const eventCount = events.reduce((n, e) => n + (e.count ?? 1), 0);
    const reasons = {};
    for (const e of events) reasons[e.reason] = (reasons[e.reason] ?? 0) + (e.count ?? 1);
    if (process.env.WEBERNETES_DEBUG) for (const e of events.slice(0, 8)) console.error(e.reason, e.message);
    const execResults = await settle(Promise.all(execs));
    const states = lesson ? pods.map((p) => {
      const c = p.status?.containerStatuses?.[0];
      const st = c?.state ? Object.keys(c.state)[0] + (c.state.waiting?.reason ? `:${c.state.waiting.reason}` : "") : "-";
      return `${p.status?.phase} ${st} ready=${c?.ready ?? false} restarts=${c?.restartCount ?? 0}`;
    }) : [];
    process.send({ summary: { pods: pods.length, running, ready, restarts, events: eventCount, reasons, execs: execResults, states } });
  } catch (e) {
    process.send({ summary: { error: String(e.message ?? e) } });
  }
  process.exit(0);
}

/// The CPU seconds a process has used, from /proc (null where there is none).
function procCpu(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/// Runs one case in a child process: its result, or why there is none. Never waits for ever.
function runChild(name) {
  return new Promise((done) => {
    const p = fork(fileURLToPath(import.meta.url), ["--child", name], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result = null, summary = null, progress = null, killed = null, procCpuAtKill = null;
    const wallLimit = (BUDGET_S * 3 + 60) * 1000;
    const started = performance.now();
    const watch = setInterval(() => {
      const c = procCpu(p.pid);
      if (c !== null && c > BUDGET_S + 2 && !result) killed = `killed at ${c.toFixed(0)} s of CPU, inside one run of Webernetes' promise jobs (no step returned)`;
      else if (performance.now() - started > wallLimit) killed = `no answer in ${wallLimit / 1000} s of wall time`;
      if (killed) { procCpuAtKill = c; p.kill("SIGKILL"); }
    }, 1000);
    p.on("message", (m) => {
      if (m.progress) progress = m.progress;
      if (m.result) result = m.result;
      if (m.summary) summary = m.summary;
    });
    p.on("exit", (code, signal) => {
      clearInterval(watch);
      if (result) return done({ ...result, summary });
      done({ case: name, status: "dnf", cpu_s: null, cpu_spent_s: procCpuAtKill ?? progress?.cpu_s ?? null, reached: progress ? { phase: progress.phase, virtual_s: Math.round(progress.virtual_s) } : null, error: killed ?? `the child exited (${signal ?? code})` });
    });
  });
}

if (args.child) {
  await child(args.child);
  process.exit(0);
}

const version = await prepare();
const podplay = compare ? Object.fromEntries(JSON.parse(readFileSync(compare, "utf8")).results.map((r) => [r.case, r])) : {};
const cases = [...LESSONS, ...largeCases(sizes()).map((c) => c.name)].filter((n) => picked(n, args.filter));
console.log(`Webernetes ${version}${PATCH_PORT80 ? " (port-80 routing patched)" : ""}, Node ${process.version}: CPU s = user + system of parse + new Cluster + init + apply + stepping the paused clock by ${STEP_MS} ms; budget ${BUDGET_S} s of CPU per case`);
console.log();
const results = [];
const rows = [];
for (const name of cases) {
  process.stderr.write(`  running ${name}...\n`);
  const r = await runChild(name);
  results.push(r);
  const s = r.summary ?? {};
  const what = LESSONS.includes(name) ? (s.states ?? []).join("; ") + (s.execs?.length ? ` (exec steps: ${s.execs.map((e) => `${e.at}s ${e.error ?? "exit " + e.exitCode}`).join(", ")})` : "")
    : s.pods !== undefined ? `${s.running}/${s.pods} running, ${s.ready} ready` : "";
  const status = r.status === "ok" ? "ok" : r.status === "wrong" ? "ran, probes refused" : `did not finish in ${BUDGET_S} s` + (r.reached ? ` (${r.reached.phase}, virtual ${r.reached.virtual_s} s)` : "");
  if (r.error) (r.notes ??= []).push(r.error);
  const p = podplay[name];
  rows.push([
    name, status, fmt(r.cpu_s), fmt(r.wall_s, 1), r.max_rss_kb ? Math.round(r.max_rss_kb / 1024) : "-", fmt(r.init_s), fmt(r.apply_s),
    s.events ?? "-", ...(compare ? [webernetesRatio(r, podplay[name]?.cpu_s, BUDGET_S)] : []), what,
  ]);
}
console.log(table(["case", "status", "cpu s", "wall s", "max RSS MB", "init s", "apply s", "k8s events", ...(compare ? ["x podplay"] : []), "at the end"], rows));
const noted = results.filter((r) => r.notes?.length || r.summary?.error);
if (noted.length) {
  console.log("\nNotes:");
  for (const r of noted) console.log(`  ${r.case}: ${[...(r.notes ?? []), ...(r.summary?.error ? [`no end state: ${r.summary.error}`] : [])].join("; ")}`);
}
if (args.json) {
  writeFileSync(args.json, JSON.stringify({ engine: "webernetes", patch_port80: PATCH_PORT80, version, node: process.version, step_ms: STEP_MS, budget_s: BUDGET_S, results }, null, 2) + "\n");
  console.log(`\nwrote ${args.json}`);
}
