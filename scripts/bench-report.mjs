// The benchmark command's table (scripts/bench.sh): joins what its parts wrote into one Markdown
// report, on the case names of scripts/bench-cases.mjs, and sets each figure beside the
// performance issue's bound. Reads DIR/native.jsonl, DIR/wasm.json, DIR/webernetes.json,
// DIR/sizes.json and DIR/first-view.json (each may be missing: its columns say "-").
//
//   node scripts/bench-report.mjs target/bench
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KINDS, webernetesRatio } from "./bench-cases.mjs";

const dir = process.argv[2] ?? "target/bench";
const read = (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : null);
const byCase = (rows) => Object.fromEntries((rows ?? []).map((r) => [r.case, r]));
const native = byCase(read("native.jsonl")?.split("\n").filter(Boolean).map((l) => JSON.parse(l)));
const wasm = byCase(JSON.parse(read("wasm.json") ?? "{}").results);
const webernetesRun = JSON.parse(read("webernetes.json") ?? "{}");
const webernetes = byCase(webernetesRun.results);
const sizes = JSON.parse(read("sizes.json") ?? "null");
const firstView = JSON.parse(read("first-view.json") ?? "null");

const num = (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? "-" : x.toFixed(digits));
const ratio = (a, b) => (a && b ? a / b : null);
const kb = (bytes) => `${Math.round(bytes / 1000).toLocaleString("en")} KB`;
const row = (cells) => `| ${cells.join(" | ")} |`;
const out = [];
const verdicts = [];
const bound = (what, value, shown, ok) => verdicts.push(row([what, shown, value === null ? "not measured" : ok ? "met" : "**not met**"]));

// Webernetes' CPU, and its ratio over podplay's (the wasm's: both run in Node).
function webernetesCell(name) {
  const w = webernetes[name];
  if (!w) return ["-", "-"];
  const x = webernetesRatio(w, wasm[name]?.cpu_s, webernetesRun.budget_s);
  if (w.status === "dnf") return [`did not finish in ${webernetesRun.budget_s} s`, x];
  return [num(w.cpu_s), w.status === "wrong" ? `(${x === "-" ? x : x.slice(1, -1)}; its probes were refused)` : x];
}

const lessons = [...new Set([...Object.keys(native), ...Object.keys(wasm)])].filter((n) => !/-\d+$/.test(n)).sort();
out.push("### Lessons, 10 virtual minutes (parse + `Session::new` + seek; CPU per run)", "");
out.push(row(["scenario", "native ms", "wasm ms", "wasm / native", "Webernetes CPU s", "Webernetes / podplay (wasm)"]), row(Array(6).fill("---")));
for (const name of lessons) {
  const n = native[name]?.cpu_s, w = wasm[name]?.cpu_s;
  out.push(row([name, num(n && n * 1000, 2), num(w && w * 1000, 2), num(ratio(w, n), 1), ...webernetesCell(name)]));
}

const sizesRun = [...new Set([...Object.keys(native), ...Object.keys(wasm)].filter((n) => /-\d+$/.test(n)).map((n) => Number(n.split("-")[1])))].sort((a, b) => a - b);
out.push("", "### Clusters, 1 virtual hour, 100 pods per node, one readiness probe each every 10 s (each case in its own process)", "");
out.push(row(["case", "native CPU s", "native peak MB", "native KB/pod", "changes / CPU s", "wasm CPU s", "wasm / native", "wasm peak MB", "Webernetes CPU s", "Webernetes / podplay (wasm)"]), row(Array(10).fill("---")));
let worstRatio = null;
for (const pods of sizesRun) {
  for (const kind of KINDS) {
    const name = `${kind}-${pods}`;
    const n = native[name], w = wasm[name];
    const perPod = n ? (n.rss_peak_kb - n.rss_before_kb) / pods : null;
    const r = ratio(w?.cpu_s, n?.cpu_s);
    if (r !== null && pods >= 1000) worstRatio = Math.max(worstRatio ?? 0, r);
    out.push(row([name, num(n?.cpu_s), n ? Math.round(n.rss_peak_kb / 1024) : "-", num(perPod, 1), n ? Math.round(n.timeline / n.cpu_s).toLocaleString("en") : "-",
      num(w?.cpu_s), num(r, 1), w?.max_rss_kb ? Math.round(w.max_rss_kb / 1024) : "-", ...webernetesCell(name)]));
  }
}

out.push("", "### Growth from 1,000 to 10,000 pods (CPU)", "");
out.push(row(["probe", "native", "wasm"]), row(["---", "---", "---"]));
for (const kind of KINDS) {
  const g = (t) => ratio(t[`${kind}-10000`]?.cpu_s, t[`${kind}-1000`]?.cpu_s);
  out.push(row([kind, num(g(native), 1) + "x", num(g(wasm), 1) + "x"]));
  const gn = g(native);
  bound(`growth 1,000 → 10,000 pods, ${kind}, native (≤ 11x)`, gn, `${num(gn, 1)}x`, gn !== null && gn <= 11);
}
for (const kind of KINDS) {
  const t = native[`${kind}-10000`]?.cpu_s ?? null;
  bound(`10,000 pods × 1 h, ${kind}, native CPU (< 1 s)`, t, `${num(t)} s`, t !== null && t < 1);
}
const perPod10k = KINDS.map((k) => native[`${k}-10000`]).filter(Boolean).map((n) => (n.rss_peak_kb - n.rss_before_kb) / 10000);
const worstPerPod = perPod10k.length ? Math.max(...perPod10k) : null;
bound("memory per pod at 10,000 pods, native peak (≤ 20 KB)", worstPerPod, `${num(worstPerPod, 1)} KB`, worstPerPod !== null && worstPerPod <= 20);
bound("wasm / native CPU, clusters of 1,000 pods and more, worst (≤ 1.5x)", worstRatio, `${num(worstRatio, 1)}x`, worstRatio !== null && worstRatio <= 1.5);
if (sizes) {
  out.push("", "### The page (dist/)", "");
  out.push(row(["file", "raw", "gzipped"]), row(["---", "---", "---"]));
  out.push(row(["wasm", kb(sizes.wasm[0]), kb(sizes.wasm[1])]), row(["JS (page and worker)", kb(sizes.js[0]), kb(sizes.js[1])]), row(["everything a first visit downloads", kb(sizes.page[0]), kb(sizes.page[1])]));
  bound("wasm gzipped (≤ 300 KB)", sizes.wasm[1], kb(sizes.wasm[1]), sizes.wasm[1] <= 300_000);
  bound("page gzipped (≤ 450 KB)", sizes.page[1], kb(sizes.page[1]), sizes.page[1] <= 450_000);
}
if (firstView) {
  const f = firstView.first_view_ms;
  out.push("", `First simulated view in headless Chromium (navigation to the drawn view, fresh profile each, ${f.runs} loads): median ${Math.round(f.median)} ms (${Math.round(f.min)}–${Math.round(f.max)} ms).`);
  bound("first simulated view (< 400 ms)", f.median, `${Math.round(f.median)} ms`, f.median < 400);
}
if (webernetesRun.version) {
  out.push("", `Webernetes ${webernetesRun.version}${webernetesRun.patch_port80 ? " (its port-80 routing patched)" : ""}, clock stepped by ${webernetesRun.step_ms} ms, ${webernetesRun.budget_s} s of CPU per case; its ratios are over podplay's wasm (both in Node).`);
}
out.push("", "### Against the performance issue's bounds", "", row(["bound", "measured", ""]), row(["---", "---", "---"]), ...verdicts);
console.log(out.join("\n"));
