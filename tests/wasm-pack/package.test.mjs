// The npm package of the engine as `wasm-pack build --target web` makes it (test.sh's wasm-pack
// layer builds it into target/wasm-pack/pkg/; PODPLAY_WASM_PKG=DIR tests another build): its
// package.json, its TypeScript declarations, and the package imported in Node, without the page,
// running a scenario. Run: scripts/test.sh wasm-pack (or, after a build, node --test tests/wasm-pack/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const PKG = resolve(process.env.PODPLAY_WASM_PKG || join(ROOT, "target/wasm-pack/pkg"));
if (!existsSync(join(PKG, "package.json"))) {
  throw new Error(`no package at ${PKG}: build it with scripts/test.sh wasm-pack (wasm-pack build --target web)`);
}
const pkg = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
const entry = pkg.module ?? pkg.main;
const LIVENESS = readFileSync(join(ROOT, "tests/scenarios/liveness-exec.yaml"), "utf8");
const WORKSPACE_VERSION = readFileSync(join(ROOT, "Cargo.toml"), "utf8").match(/\[workspace\.package\][^[]*?\nversion = "([^"]+)"/)[1];

// Each import with its own query string is a fresh module instance, with its own wasm instance.
let fresh = 0;
const importPackage = () => import(`${pathToFileURL(join(PKG, entry)).href}?instance=${++fresh}`);
const wasmBytes = () => readFileSync(join(PKG, pkg.files.find((f) => f.endsWith(".wasm"))));

// A package initialised synchronously from the .wasm bytes, shared by the scenario tests.
const engine = await importPackage();
engine.initSync({ module: wasmBytes() });

test("package.json names the package, its ES module entry and its TypeScript types", () => {
  assert.equal(pkg.name, "podplay-wasm");
  assert.equal(pkg.version, WORKSPACE_VERSION);
  assert.equal(pkg.type, "module");
  assert.equal(entry, "podplay_wasm.js");
  assert.equal(pkg.types, "podplay_wasm.d.ts");
  assert.equal(pkg.license, "Apache-2.0");
  for (const f of [entry, pkg.types, "podplay_wasm_bg.wasm"]) assert.ok(pkg.files.includes(f), `files lists ${f}: ${pkg.files}`);
  for (const f of pkg.files) assert.ok(existsSync(join(PKG, f)), `${f} is in the package`);
  const wasm = wasmBytes();
  assert.deepEqual([...wasm.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], "the .wasm starts with the wasm magic");
  assert.ok(WebAssembly.validate(wasm), "the .wasm validates");
});

test("the .d.ts declares every export with typed parameters and results", () => {
  const dts = readFileSync(join(PKG, pkg.types), "utf8");
  const declared = {
    simulate: "(yaml: string, until_seconds: number, file_name?: string | null): any",
    state: "(yaml: string, at_seconds: number, file_name?: string | null): any",
    kubectl: "(yaml: string, at_seconds: number, command: string, file_name?: string | null): any",
    kubectlBatch: "(yaml: string, at_seconds: number, commands: any, file_name?: string | null): any",
    addStep: "(yaml: string, at_seconds: number, run: string, manifest?: string | null, file_name?: string | null): any",
    parseDuration: "(text: string): number",
    schema: "(): any",
    version: "(): string",
    vocabulary: "(): any",
    objectNames: "(yaml: string, at_seconds: number, file_name?: string | null): any",
  };
  for (const [name, signature] of Object.entries(declared)) {
    assert.ok(dts.includes(`export function ${name}${signature};`), `${name}${signature} in ${pkg.types}`);
  }
  assert.match(dts, /export function initSync\(module: \{ module: SyncInitInput \} \| SyncInitInput\): InitOutput;/);
  assert.match(dts, /export default function __wbg_init \(module_or_path\?: .*\): Promise<InitOutput>;/);

  // What the JS exports and what the .d.ts declares are the same functions and classes.
  const js = readFileSync(join(PKG, entry), "utf8");
  const names = (text, re) => [...text.matchAll(re)].map((m) => m[1]).sort();
  const jsFunctions = names(js, /^export function (\w+)\(/gm);
  const dtsFunctions = names(dts, /^export function (\w+)\(/gm).filter((n) => n !== "initSync");
  assert.deepEqual(jsFunctions, Object.keys(declared).sort());
  assert.deepEqual(dtsFunctions, jsFunctions);
  const jsClasses = names(js, /^export class (\w+)/gm);
  assert.deepEqual(names(dts, /^export class (\w+)/gm), jsClasses, "every exported class is declared");
  for (const c of jsClasses) assert.match(dts, new RegExp(`export class ${c} \\{[^}]*\\(`), `${c} declares typed members`);
  assert.deepEqual(jsClasses, ["Session"]);
  assert.match(dts, /kubectlBatch\(at_seconds: number, commands: any\): any;/, "Session.kubectlBatch is typed");
  assert.match(dts, /\n\s*simulation\(\): any;/, "Session.simulation is typed");
  assert.match(dts, /constructor\(yaml: string, file_name\?: string \| null\);/, "new Session(yaml, fileName?)");
});

test("the package imports in Node and the default init takes the .wasm bytes", async () => {
  const pkgModule = await importPackage();
  assert.throws(() => pkgModule.version(), "no call works before init");
  const exports = await pkgModule.default({ module_or_path: wasmBytes() });
  assert.ok(exports.memory instanceof WebAssembly.Memory);
  assert.equal(pkgModule.version(), WORKSPACE_VERSION);
  assert.equal(pkgModule.parseDuration("2m42s"), 162);
});

test("simulate runs liveness-exec for 300 s: the pod reaches Running and the timeline has its changes", () => {
  const s = engine.simulate(LIVENESS, 300, "liveness-exec.yaml");
  assert.equal(s.ok, true, JSON.stringify(s.diagnostics));
  assert.deepEqual(s.diagnostics, []);
  assert.deepEqual(s.pods, ["pod-live-exec"]);
  assert.equal(s.until, 300_000);
  assert.ok(s.timeline.length > 10, `${s.timeline.length} changes`);
  assert.ok(s.timeline.every((c, i) => i === 0 || s.timeline[i - 1].at <= c.at), "the timeline is in time order");
  assert.ok(s.timeline.every((c) => c.object === "pod/pod-live-exec"));
  const running = s.timeline.find((c) => c.kind === "phase" && c.summary.endsWith("Running"));
  assert.ok(running, "a phase change to Running");
  assert.ok(running.at > 0 && running.at < 5_000, `Running at ${running.at} ms`);
  assert.ok(s.timeline.some((c) => c.kind === "event" && c.summary.includes("Unhealthy")), "the liveness probe fails after a minute");
  assert.ok(s.probeAttempts.some((a) => a.probe === "liveness" && a.outcome === "failure"));
});

test("kubectlBatch prints get pods at 130 s: the header and the restarted pod's row", () => {
  const out = engine.kubectlBatch(LIVENESS, 130, ["get pods"]);
  assert.equal(out.length, 1);
  const [{ stdout, stderr, exitCode }] = out;
  assert.equal(exitCode, 0, stderr);
  assert.equal(stderr, "");
  const [header, row, ...rest] = stdout.split("\n");
  assert.match(header, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  assert.match(row, /^pod-live-exec\s+1\/1\s+Running\s+1 \(\d+s ago\)\s+2m10s$/);
  assert.deepEqual(rest, [""]);
  assert.throws(() => engine.kubectlBatch(LIVENESS, 130, "get pods"), /commands must be an array of strings/);
});

test("a Session holds the scenario open: forward, back, and the same answers as kubectlBatch", () => {
  const session = new engine.Session(LIVENESS);
  assert.equal(session.ok, true);
  for (const at of [130, 50, 130]) {
    assert.deepEqual(session.kubectlBatch(at, ["get pods", "get events"]), engine.kubectlBatch(LIVENESS, at, ["get pods", "get events"]), `at ${at} s`);
    assert.equal(session.now, at);
  }
  assert.deepEqual(session.objectNames().pod, ["pod-live-exec"]);
  // Moved forward in slices to 300 s, as the page's worker runs a long simulation: simulate's result.
  for (const at of [0, 1.5, 61, 200, 300]) session.seek(at);
  assert.deepEqual(session.simulation(), engine.simulate(LIVENESS, 300));
  session.free();
  const broken = new engine.Session("kind: Pod\n");
  assert.equal(broken.ok, false);
  assert.ok(broken.diagnostics().length > 0);
  broken.free();
});

// `podplay run`'s text (crates/podplay-cli/src/main.rs) of the package's `simulate`: one line per
// change (`{at:>8}  {object:<24} {kind:<9} {summary}`), then each step that printed, its lines
// under it. The CLI only translates: the same timeline gives the same text.
function runText(sim) {
  const offset = (ms) => {
    const s = Math.floor(ms / 1000);
    const frac = String(ms % 1000).padStart(3, "0");
    return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}.${frac}s` : `${s}.${frac}s`;
  };
  // Rust's `str::lines` of a text that is not empty: no last empty line after a final newline.
  const lines = (text) => (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  let out = "";
  for (const c of sim.timeline) out += `${offset(c.at).padStart(8)}  ${c.object.padEnd(24)} ${c.kind.padEnd(9)} ${c.summary}\n`;
  for (const step of sim.steps) {
    if (!step.stdout && !step.stderr) continue;
    out += `${offset(step.at).padStart(8)}  $ ${step.command}\n`;
    for (const line of [...(step.stdout ? lines(step.stdout) : []), ...(step.stderr ? lines(step.stderr) : [])]) out += `          | ${line}\n`;
  }
  return out;
}

// Same input, same bytes, native and wasm: every golden file (tests/golden, written by the native
// CLI: `$ podplay kubectl FILE --at T -- ARGS` or `$ podplay run FILE --until T`, then stdout,
// then `--- stderr` and stderr) is what the npm package prints for the same scenario and time.
test("every golden output of the native CLI is byte for byte what the wasm package prints", () => {
  const dir = join(ROOT, "tests/golden");
  const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();
  assert.ok(files.length > 50, `${files.length} golden files`);
  const differ = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    const newline = text.indexOf("\n");
    const header = text.slice(0, newline);
    const expected = text.slice(newline + 1);
    const run = /^\$ podplay run (\S+\.yaml) --until (\S+)$/.exec(header);
    const m = run ? null : /^\$ podplay kubectl (\S+\.yaml) --at (\S+) -- (.*)$/.exec(header);
    assert.ok(run || m, `${file}: a header this test reads: ${header}`);
    let actual;
    if (run) {
      const yaml = readFileSync(join(ROOT, "tests/scenarios", run[1]), "utf8");
      actual = runText(engine.simulate(yaml, engine.parseDuration(run[2])));
    } else {
      const [, scenario, at, command] = m;
      const yaml = readFileSync(join(ROOT, "tests/scenarios", scenario), "utf8");
      const out = engine.kubectl(yaml, engine.parseDuration(at), command, scenario);
      actual = out.stdout + (out.stderr ? `--- stderr\n${out.stderr}` : "");
    }
    if (actual !== expected) differ.push(`${file}\n--- native\n${expected}--- wasm\n${actual}`);
  }
  assert.deepEqual(differ, [], `${differ.length} of ${files.length} differ`);
});
