// Unit tests of web/src/engine-client.js: the page's promises for the engine's Web Worker, with a
// stand-in worker (what the page posts, what it is answered). Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createEngineClient, EngineStopped, RESTART_AFTER_MS } from "../../web/src/engine-client.js";

// A worker that records what it is sent; answer(m) delivers a message to the page.
function fakeWorkers() {
  const workers = [];
  const spawn = () => {
    const w = {
      sent: [],
      terminated: false,
      postMessage(m) { this.sent.push(m); },
      terminate() { this.terminated = true; },
      answer(m) { this.onmessage({ data: m }); },
      calls() { return this.sent.filter((m) => m.type === "call"); },
    };
    workers.push(w);
    return w;
  };
  return { workers, spawn };
}

const settled = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

test("a call posts init first, then the call with its id; progress and the result come back to it", async () => {
  const { workers, spawn } = fakeWorkers();
  let inits = 0;
  const client = createEngineClient({ spawn, init: () => ({ glueUrl: "./glue.js", module: `module ${++inits}` }) });
  assert.equal(workers.length, 0, "no worker before the first call");
  const progress = [];
  const answer = client.call("simulate", { yaml: "a", untilMs: 1000 }, { onProgress: (done, total) => progress.push([done, total]) });
  const [w] = workers;
  assert.deepEqual(w.sent[0], { type: "init", glueUrl: "./glue.js", module: "module 1" });
  const [call] = w.calls();
  assert.deepEqual(call, { type: "call", id: call.id, op: "simulate", args: { yaml: "a", untilMs: 1000 } });
  w.answer({ type: "progress", id: call.id, done: 100, total: 1000 });
  w.answer({ type: "progress", id: call.id, done: 500, total: 1000 });
  w.answer({ type: "result", id: call.id, value: { ok: true } });
  assert.deepEqual(await answer, { ok: true });
  assert.deepEqual(progress, [[100, 1000], [500, 1000]]);
  // The next call goes to the same worker with a new id.
  const second = client.call("objectNames", { yaml: "a", atMs: 0 });
  assert.equal(workers.length, 1);
  const next = w.calls()[1];
  assert.notEqual(next.id, call.id);
  w.answer({ type: "result", id: next.id, value: { pod: ["p"] } });
  assert.deepEqual(await second, { pod: ["p"] });
  assert.equal(client.pending, 0);
});

test("answers are matched by id, in whatever order they come", async () => {
  const { workers, spawn } = fakeWorkers();
  const client = createEngineClient({ spawn, init: () => ({}) });
  const a = client.call("kubectlBatch", { commands: ["get pods"] });
  const b = client.call("kubectlBatch", { commands: ["get events"] });
  const [ca, cb] = workers[0].calls();
  workers[0].answer({ type: "result", id: cb.id, value: "B" });
  workers[0].answer({ type: "result", id: ca.id, value: "A" });
  assert.deepEqual([await a, await b], ["A", "B"]);
});

test("a newer call in the same lane supersedes the older: it rejects at once, the worker is told to drop it, its late answer is ignored", async () => {
  const { workers, spawn } = fakeWorkers();
  const client = createEngineClient({ spawn, init: () => ({}) });
  const older = settled(client.call("simulate", { yaml: "old" }, { lane: "simulate" }));
  const other = client.call("kubectlBatch", { yaml: "shown" }, { lane: "panes" });
  const newer = client.call("simulate", { yaml: "new" }, { lane: "simulate" });
  const w = workers[0];
  const [oldCall, paneCall, newCall] = w.calls();
  const { error } = await older;
  assert.ok(error instanceof EngineStopped);
  assert.equal(error.reason, "superseded");
  assert.deepEqual(w.sent.filter((m) => m.type === "abort"), [{ type: "abort", id: oldCall.id }]);
  // The older run's answer, had it come, goes nowhere.
  w.answer({ type: "result", id: oldCall.id, value: "old result" });
  w.answer({ type: "result", id: newCall.id, value: "new result" });
  w.answer({ type: "result", id: paneCall.id, value: "panes" });
  assert.equal(await newer, "new result");
  assert.equal(await other, "panes", "another lane is not superseded");
  assert.equal(w.terminated, false, "superseding keeps the worker");
  // drop(lane) supersedes without a new call; a lane with nothing under way is left alone.
  const dropped = settled(client.call("simulate", { yaml: "x" }, { lane: "simulate" }));
  client.drop("simulate");
  assert.equal((await dropped).error.reason, "superseded");
  client.drop("simulate");
  client.drop("nothing");
  assert.equal(client.pending, 0);
});

test("a superseded run that has gone on for a while ends the worker; the other calls go to the fresh one, the newer run too", async () => {
  const { workers, spawn } = fakeWorkers();
  const clock = { ms: 0 };
  const client = createEngineClient({ spawn, init: () => ({ module: "m" }), now: () => clock.ms });
  const young = settled(client.call("simulate", { yaml: "a" }, { lane: "simulate", restartWhenSuperseded: true }));
  clock.ms += RESTART_AFTER_MS - 1;
  const old = settled(client.call("simulate", { yaml: "b" }, { lane: "simulate", restartWhenSuperseded: true }));
  assert.equal((await young).error.reason, "superseded");
  assert.equal(workers.length, 1, "a young run is dropped by the worker itself");
  assert.deepEqual(workers[0].sent.filter((m) => m.type === "abort").map((m) => m.id), [workers[0].calls()[0].id]);
  const panes = client.call("kubectlBatch", { yaml: "shown", atMs: 5 }, { lane: "panes" });
  clock.ms += RESTART_AFTER_MS;
  const newer = client.call("simulate", { yaml: "c" }, { lane: "simulate", restartWhenSuperseded: true });
  assert.equal((await old).error.reason, "superseded");
  assert.equal(workers[0].terminated, true, "the old run's worker is ended");
  assert.equal(workers.length, 2);
  const fresh = workers[1];
  assert.equal(fresh.sent[0].type, "init");
  // The panes' call, still wanted, is sent again; then the newer run.
  const [paneCall, newCall] = fresh.calls();
  assert.deepEqual([paneCall.op, paneCall.args], ["kubectlBatch", { yaml: "shown", atMs: 5 }]);
  assert.deepEqual([newCall.op, newCall.args], ["simulate", { yaml: "c" }]);
  fresh.answer({ type: "result", id: paneCall.id, value: "panes" });
  fresh.answer({ type: "result", id: newCall.id, value: "c simulated" });
  assert.equal(await panes, "panes");
  assert.equal(await newer, "c simulated");
  // A call without restartWhenSuperseded is only ever dropped, however long it ran.
  const slowPanes = settled(client.call("kubectlBatch", {}, { lane: "panes" }));
  clock.ms += 10 * RESTART_AFTER_MS;
  client.call("kubectlBatch", {}, { lane: "panes" });
  assert.equal((await slowPanes).error.reason, "superseded");
  assert.equal(workers.length, 2);
});

test("cancel ends the worker and every call under way, and starts a fresh worker for the next call", async () => {
  const { workers, spawn } = fakeWorkers();
  const client = createEngineClient({ spawn, init: () => ({ module: "m" }) });
  const run = settled(client.call("simulate", { yaml: "slow" }, { lane: "simulate" }));
  const panes = settled(client.call("kubectlBatch", { yaml: "shown" }, { lane: "panes" }));
  client.cancel();
  const first = workers[0];
  assert.equal(first.terminated, true);
  for (const { error } of [await run, await panes]) {
    assert.ok(error instanceof EngineStopped);
    assert.equal(error.reason, "cancelled");
  }
  assert.equal(client.pending, 0);
  assert.equal(workers.length, 2, "a fresh worker at once");
  const second = workers[1];
  assert.deepEqual(second.sent, [{ type: "init", module: "m" }]);
  // A message from the ended worker (already on its way) changes nothing.
  first.answer({ type: "result", id: first.calls()[0].id, value: "late" });
  const again = client.call("simulate", { yaml: "quick" }, { lane: "simulate" });
  assert.equal(workers.length, 2, "the next call goes to it");
  second.answer({ type: "result", id: second.calls()[0].id, value: "done" });
  assert.equal(await again, "done");
});

test("a worker that cannot start, or dies, fails its calls with why; an engine error is a plain Error", async () => {
  const { workers, spawn } = fakeWorkers();
  const client = createEngineClient({ spawn, init: () => ({}) });
  const a = settled(client.call("simulate", {}));
  workers[0].answer({ type: "failed", message: "The engine could not start: no such module" });
  const { error } = await a;
  assert.ok(error instanceof EngineStopped);
  assert.equal(error.reason, "failed");
  assert.equal(error.message, "The engine could not start: no such module");
  assert.equal(workers[0].terminated, true);

  const b = settled(client.call("simulate", {}));
  let prevented = false;
  workers[1].onerror({ message: "out of memory", preventDefault() { prevented = true; } });
  assert.equal((await b).error.reason, "failed");
  assert.match((await b).error.message, /out of memory/);
  assert.ok(prevented, "the page reports the error itself");

  const c = settled(client.call("kubectlBatch", {}));
  workers[2].answer({ type: "error", id: workers[2].calls()[0].id, message: "podplay internal error (a bug, please report it): boom" });
  const { error: panic } = await c;
  assert.ok(!(panic instanceof EngineStopped));
  assert.equal(panic.message, "podplay internal error (a bug, please report it): boom");
  assert.equal(workers[2].terminated, false, "the worker stays after an engine error");
});
