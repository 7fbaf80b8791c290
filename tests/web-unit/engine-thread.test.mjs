// The page's own thread never runs a simulation: only the engine's worker (engine-jobs.js) calls
// the engine's simulate, Session, kubectl, kubectlBatch, objectNames or state. The page keeps its
// own wasm instance for the cheap pure calls (parseDuration, schema, vocabulary, addStep,
// version). Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "web", "src");
const WORKER_SIDE = ["engine-jobs.js", "engine-worker.js"];
// A call of an engine export that runs the engine, on the page's bindings (state.engine,
// host.engine, window.wasmBindings).
const RUNS_ENGINE = /\b(?:engine|wasmBindings)\s*\??\.\s*(?:simulate|Session|kubectl|kubectlBatch|objectNames|state)\b/;

test("the check finds the calls the page used to make on its own thread", () => {
  for (const line of ["const sim = call(state.engine.simulate, yaml, 300);", "new state.engine.Session(yaml)", "window.wasmBindings.kubectlBatch(y, 1, c)", "host.engine?.objectNames(y, 0)"]) {
    assert.match(line, RUNS_ENGINE, line);
  }
  for (const line of ["state.engine.parseDuration(text)", "host.engine.addStep(y, 1, run)", "host.kubectlBatch([line], at)", 'state.client.call("simulate", args)']) {
    assert.doesNotMatch(line, RUNS_ENGINE, line);
  }
});

test("no module of the page but the worker's runs the engine", () => {
  const files = readdirSync(src).filter((f) => f.endsWith(".js"));
  assert.ok(files.includes("app.js") && files.includes("terminal.js"));
  for (const file of files.filter((f) => !WORKER_SIDE.includes(f))) {
    readFileSync(join(src, file), "utf8").split("\n").forEach((line, i) => {
      assert.doesNotMatch(line, RUNS_ENGINE, `web/src/${file}:${i + 1} runs the engine on the page's thread: ${line.trim()}`);
    });
  }
  assert.match(readFileSync(join(src, "engine-jobs.js"), "utf8"), RUNS_ENGINE, "the worker does");
});
