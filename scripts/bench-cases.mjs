// The benchmark's cases, shared by scripts/bench-wasm.mjs and scripts/bench-webernetes.mjs so both
// measure the same input under the same names (a shell script joins their `--json` files, and the
// native bench's, on the case name).
//
//   * a lesson: `NAME` for tests/scenarios/NAME.yaml, 10 virtual minutes;
//   * a large cluster: `KIND-PODS` (`exec-1000`, `httpGet-10000`, `tcpSocket-100`), 1 virtual
//     hour: the native bench's `probed_cluster(PODS / 100, PODS, KIND)` (100 pods per node).
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const LESSON_SECONDS = 600;
export const LARGE_SECONDS = 3600;
export const KINDS = ["exec", "httpGet", "tcpSocket"];

// Copied from crates/podplay-core/benches/support/cluster.rs (`ProbeKind::probes`), byte for byte.
const PROBES = {
  pair: "    livenessProbe: {httpGet: {port: http}, periodSeconds: 10}\n    readinessProbe: {httpGet: {port: http}, periodSeconds: 10}\n",
  httpGet: "    readinessProbe: {httpGet: {port: http}, periodSeconds: 10}\n",
  tcpSocket: "    readinessProbe: {tcpSocket: {port: http}, periodSeconds: 10}\n",
  exec: "    readinessProbe: {exec: {command: [cat, /usr/share/nginx/html/index.html]}, periodSeconds: 10}\n",
};

/// `nodes` nodes holding nginx, `pods` nginx pods probed as `kind` says, one Service over them:
/// the text `probed_cluster(nodes, pods, kind)` in cluster.rs makes, byte for byte.
export function probedCluster(nodes, pods, kind) {
  const probes = PROBES[kind];
  if (probes === undefined) throw new Error(`no probe kind ${kind}: one of ${Object.keys(PROBES).join(", ")}`);
  const parts = [];
  for (let n = 0; n < nodes; n++) {
    parts.push(`apiVersion: v1\nkind: Node\nmetadata: {name: node-${n}}\nstatus:\n  allocatable: {cpu: "64", memory: 256Gi, pods: "200"}\n  images: [{names: ["nginx:1.27"]}]\n---\n`);
  }
  for (let p = 0; p < pods; p++) {
    parts.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: web-${p}, labels: {app: web}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports: [{name: http, containerPort: 80}]\n${probes}---\n`);
  }
  parts.push("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n");
  return parts.join("");
}

/// The lesson scenarios' names (tests/scenarios/*.yaml, sorted), optionally only `only`.
export function lessonNames(only) {
  const names = readdirSync(join(ROOT, "tests/scenarios")).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5)).sort();
  return only ? names.filter((n) => only.includes(n)) : names;
}

export const lessonYaml = (name) => readFileSync(join(ROOT, "tests/scenarios", `${name}.yaml`), "utf8");

/// `PODPLAY_BENCH_SIZES` (default 100,1000,10000) as numbers.
export function sizes(fallback = "100,1000,10000") {
  return (process.env.PODPLAY_BENCH_SIZES || fallback).split(",").map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

/// The large cases, `{name, kind, pods, nodes}`, smallest size first, for each kind.
export function largeCases(podCounts) {
  const out = [];
  for (const pods of podCounts) for (const kind of KINDS) out.push({ name: `${kind}-${pods}`, kind, pods, nodes: Math.max(1, Math.ceil(pods / 100)) });
  return out;
}

/// Whether case `name` is one FILTER picks: FILTER is empty (every case) or comma-separated
/// substrings of case names (`liveness`, `exec-,httpGet-100`).
export const picked = (name, filter) => !filter || filter.split(",").some((f) => f && name.includes(f));

/// The command line: `[--json FILE] [FILTER]` (FILTER: see `picked`).
export function parseArgs(argv) {
  const out = { json: null, filter: "", child: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") out.json = argv[++i];
    else if (argv[i] === "--child") out.child = argv[++i];
    else if (argv[i] === "-h" || argv[i] === "--help") out.help = true;
    else out.filter = argv[i];
  }
  return out;
}

export const cpuSeconds = (u) => (u.user + u.system) / 1e6;

/// A fixed-width table: `rows` of strings, the first column left-aligned, the rest right.
export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? "").length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c ?? "").padEnd(widths[i]) : String(c ?? "").padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export const fmt = (x, digits = 3) => (x === null || x === undefined ? "-" : x.toFixed(digits));

/// Webernetes' CPU over podplay's for one case (`w`: a bench-webernetes result; `podplayCpu`:
/// podplay's CPU seconds, or none): "Nx"; "(Nx)" for a run that did the wrong thing; ">Nx" for
/// one that did not finish (its CPU so far, or the budget, over podplay's whole run); "-" when
/// there is nothing to compare.
export function webernetesRatio(w, podplayCpu, budgetS) {
  if (!podplayCpu) return "-";
  if (w.status === "dnf") return `>${Math.round((w.cpu_spent_s ?? budgetS) / podplayCpu)}x`;
  const x = `${Math.round(w.cpu_s / podplayCpu)}x`;
  return w.status === "wrong" ? `(${x})` : x;
}
