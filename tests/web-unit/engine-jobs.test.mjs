// Unit tests of web/src/engine-jobs.js, what the engine's Web Worker does with the page's calls,
// on a stand-in engine whose Session records its seeks and whose clock is the test's: runs go in
// slices sized by their cost, report progress, stop when aborted, and share a session per YAML.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createEngineHost, FIRST_SLICE_MS, MAX_SESSIONS, nextSlice, SLICE_WALL_MS } from "../../web/src/engine-jobs.js";

// A stand-in for the wasm bindings. A Session costs `costPerMs` wall ms per virtual ms it moves
// (on the test's clock); going back costs a rebuild, as podplay_session::Session's does.
function fakeEngine({ costPerMs = 0 } = {}) {
  const clock = { now: 0 };
  const sessions = [];
  class Session {
    constructor(yaml) {
      this.yaml = yaml;
      this.ok = !yaml.startsWith("bad");
      this.ms = 0;
      this.seeks = [];
      this.rebuilds = 0;
      this.freed = false;
      sessions.push(this);
    }
    get now() { return this.ms / 1000; }
    seek(seconds) {
      if (!this.ok) return;
      const to = Math.round(seconds * 1000);
      if (to < this.ms) { this.rebuilds++; this.ms = 0; }
      if (this.yaml.startsWith("panic") && to > 1000) throw new Error("podplay internal error (a bug, please report it): boom");
      clock.now += (to - this.ms) * costPerMs;
      this.ms = to;
      this.seeks.push(to);
    }
    simulation() { return { ok: true, until: this.ms, yaml: this.yaml }; }
    kubectlBatch(at, commands) { return commands.map((c) => ({ stdout: `${c} at ${at} (engine at ${this.now})`, stderr: "", exitCode: 0 })); }
    objectNames() { return { pod: [this.yaml] }; }
    // As podplay_session::Session::try_command: a command that changed the cluster is forgotten
    // and the session is back at 0.
    tryCommand(at, command, manifest) {
      const changed = command.startsWith("delete pod web");
      if (changed) this.ms = 0;
      return { stdout: `${command} at ${at}${manifest ? ` with ${manifest}` : ""}`, stderr: "", exitCode: 0, changed };
    }
    podStatusYaml(pod) { return pod === "none" ? undefined : `status of ${pod}`; }
    free() { this.freed = true; }
  }
  const simulate = (yaml, until) => ({ ok: false, diagnostics: [{ text: `${yaml} does not load` }], until: until * 1000 });
  return { engine: { Session, simulate }, clock, sessions };
}

// A host on a fake engine; `posted` holds what it sent to the page. turn() lets the test act
// between slices (before(n) runs at the n-th turn).
function setUp(options) {
  const fake = fakeEngine(options);
  const posted = [];
  const atTurn = new Map();
  let turns = 0;
  const turn = () => new Promise((resolve) => setImmediate(() => { atTurn.get(++turns)?.(); resolve(); }));
  const host = createEngineHost({ engine: fake.engine, post: (m) => posted.push(m), turn, clock: () => fake.clock.now });
  const answer = (id) => posted.find((m) => m.id === id && m.type !== "progress");
  const progress = (id) => posted.filter((m) => m.id === id && m.type === "progress").map((m) => m.done);
  return { ...fake, host, posted, answer, progress, atTurn: (n, fn) => atTurn.set(n, fn) };
}

test("nextSlice aims at SLICE_WALL_MS: at most fourfold up or down a slice, never under 1 ms", () => {
  assert.equal(nextSlice(100, 0), 400, "a slice that cost nothing grows fourfold");
  assert.equal(nextSlice(100, SLICE_WALL_MS / 10), 400, "no more than fourfold");
  assert.equal(nextSlice(100, SLICE_WALL_MS), 100, "on aim: the same");
  assert.equal(nextSlice(100, SLICE_WALL_MS * 2), 50);
  assert.equal(nextSlice(100, SLICE_WALL_MS * 100), 25, "no less than a quarter");
  assert.equal(nextSlice(1, SLICE_WALL_MS * 100), 1, "at least a millisecond");
});

test("a cheap simulation grows its slices fourfold and ends exactly at until, with progress on the way", async () => {
  const t = setUp();
  await t.host.receive({ type: "call", id: 1, op: "simulate", args: { yaml: "pod", untilMs: 300_000 } });
  const [session] = t.sessions;
  const ends = [100, 500, 2100, 8500, 34100, 136500, 300_000];
  assert.deepEqual(session.seeks, ends);
  assert.deepEqual(t.progress(1), ends.slice(0, -1), "progress after each slice but the last");
  assert.ok(t.posted.filter((m) => m.type === "progress").every((m) => m.total === 300_000));
  assert.deepEqual(t.answer(1), { type: "result", id: 1, value: { ok: true, until: 300_000, yaml: "pod" } });
  assert.equal(session.freed, false, "kept as the YAML's session");
});

test("a costly simulation keeps its slices near SLICE_WALL_MS of wall time", async () => {
  const t = setUp({ costPerMs: 0.5 }); // a busy loop: half a wall second per virtual second
  await t.host.receive({ type: "call", id: 1, op: "simulate", args: { yaml: "busy", untilMs: 10_000 } });
  const seeks = t.sessions[0].seeks;
  const sizes = seeks.map((end, i) => end - (seeks[i - 1] ?? 0));
  assert.equal(sizes[0], FIRST_SLICE_MS);
  for (const size of sizes.slice(1, -1)) assert.equal(size, SLICE_WALL_MS / 0.5, `${sizes}`);
  assert.equal(seeks[seeks.length - 1], 10_000);
});

test("an aborted simulation stops at its next slice, posts nothing more and frees its session", async () => {
  const t = setUp({ costPerMs: 1 });
  t.atTurn(3, () => t.host.receive({ type: "abort", id: 7 }));
  await t.host.receive({ type: "call", id: 7, op: "simulate", args: { yaml: "busy", untilMs: 600_000 } });
  const [session] = t.sessions;
  assert.equal(session.seeks.length, 3, `${session.seeks}`);
  assert.equal(t.answer(7), undefined);
  assert.equal(t.progress(7).length, 3);
  assert.equal(session.freed, true);
  assert.equal(t.host.sessionCount, 0);
});

test("invalid YAML is simulate's own answer, with no run", async () => {
  const t = setUp();
  await t.host.receive({ type: "call", id: 1, op: "simulate", args: { yaml: "bad yaml", untilMs: 60_000 } });
  assert.deepEqual(t.answer(1).value, { ok: false, diagnostics: [{ text: "bad yaml does not load" }], until: 60_000 });
  assert.equal(t.sessions[0].freed, true);
  assert.equal(t.host.sessionCount, 0);
});

test("kubectl's views use the simulation's session: at its end at once; earlier from a fresh engine, forward in slices", async () => {
  const t = setUp();
  await t.host.receive({ type: "call", id: 1, op: "simulate", args: { yaml: "pod", untilMs: 300_000 } });
  const [session] = t.sessions;
  const before = session.seeks.length;
  await t.host.receive({ type: "call", id: 2, op: "kubectlBatch", args: { yaml: "pod", atMs: 300_000, commands: ["get pods"] } });
  assert.equal(session.seeks.length, before, "no engine time at the end of the run");
  assert.deepEqual(t.answer(2).value, [{ stdout: "get pods at 300 (engine at 300)", stderr: "", exitCode: 0 }]);
  await t.host.receive({ type: "call", id: 3, op: "objectNames", args: { yaml: "pod", atMs: 2_000 } });
  assert.deepEqual(session.seeks.slice(before), [0, 100, 500, 2000], "back: seek(0), then forward in slices");
  assert.equal(session.rebuilds, 1);
  assert.deepEqual(t.answer(3).value, { pod: ["pod"] });
  await t.host.receive({ type: "call", id: 4, op: "podStatusYaml", args: { yaml: "pod", atMs: 2_000, pod: "web" } });
  assert.equal(t.answer(4).value, "status of web");
  await t.host.receive({ type: "call", id: 5, op: "podStatusYaml", args: { yaml: "pod", atMs: 2_000, pod: "none" } });
  assert.equal(t.answer(5).value, null);
  assert.equal(t.sessions.length, 1, "one session for the YAML");
});

test("calls on one YAML's session run one after another, even when each moves time in slices", async () => {
  const t = setUp({ costPerMs: 1 });
  const a = t.host.receive({ type: "call", id: 1, op: "kubectlBatch", args: { yaml: "pod", atMs: 5_000, commands: ["a"] } });
  const b = t.host.receive({ type: "call", id: 2, op: "kubectlBatch", args: { yaml: "pod", atMs: 1_000, commands: ["b"] } });
  await Promise.all([a, b]);
  assert.equal(t.answer(1).value[0].stdout, "a at 5 (engine at 5)");
  assert.equal(t.answer(2).value[0].stdout, "b at 1 (engine at 1)");
  // The first call's slices all come before the second's (back to 0, then up to 1 s).
  const seeks = t.sessions[0].seeks;
  const back = seeks.indexOf(0);
  assert.equal(seeks[back - 1], 5_000, `${seeks}`);
  assert.ok(seeks.slice(0, back).every((x, i, all) => i === 0 || x > all[i - 1]), `${seeks}`);
  assert.ok(seeks.slice(back).every((x, i, all) => i === 0 || x > all[i - 1]), `${seeks}`);
  assert.equal(seeks[seeks.length - 1], 1_000);
  assert.ok(seeks.length - back > 2, `the second call went in slices too: ${seeks}`);
});

test("a panic is posted as an error and its session is not used again", async () => {
  const t = setUp();
  await t.host.receive({ type: "call", id: 1, op: "kubectlBatch", args: { yaml: "panic pod", atMs: 5_000, commands: ["get pods"] } });
  assert.deepEqual(t.answer(1), { type: "error", id: 1, message: "podplay internal error (a bug, please report it): boom" });
  await t.host.receive({ type: "call", id: 2, op: "objectNames", args: { yaml: "panic pod", atMs: 0 } });
  assert.equal(t.sessions.length, 2, "a fresh session after the panic");
  assert.deepEqual(t.answer(2).value, { pod: ["panic pod"] });
  await t.host.receive({ type: "call", id: 3, op: "nonsense", args: {} });
  assert.match(t.answer(3).message, /no call "nonsense"/);
});

test(`at most ${MAX_SESSIONS} YAML texts keep a session; the least recently used is freed`, async () => {
  const t = setUp();
  for (const [id, yaml] of [[1, "one"], [2, "two"], [3, "one"], [4, "three"]]) {
    await t.host.receive({ type: "call", id, op: "objectNames", args: { yaml, atMs: 0 } });
  }
  await new Promise(setImmediate);
  const byYaml = Object.fromEntries(t.sessions.map((s) => [s.yaml, s.freed]));
  assert.deepEqual(byYaml, { one: false, two: true, three: false });
  assert.equal(t.host.sessionCount, 2);
  // A new simulation of a YAML replaces its session; the old one is freed.
  await t.host.receive({ type: "call", id: 5, op: "simulate", args: { yaml: "one", untilMs: 1_000 } });
  await new Promise(setImmediate);
  assert.equal(t.sessions[0].freed, true);
  assert.equal(t.sessions[3].freed, false);
});

test("tryCommand runs on the YAML's session at its time; one that changed the cluster leaves it at 0, and the next call runs it forward again", async () => {
  const t = setUp();
  await t.host.receive({ type: "call", id: 1, op: "simulate", args: { yaml: "pod", untilMs: 2_000 } });
  const [session] = t.sessions;
  await t.host.receive({ type: "call", id: 2, op: "tryCommand", args: { yaml: "pod", atMs: 2_000, command: "delete pod nosuch" } });
  assert.deepEqual(t.answer(2).value, { stdout: "delete pod nosuch at 2", stderr: "", exitCode: 0, changed: false });
  await t.host.receive({ type: "call", id: 3, op: "tryCommand", args: { yaml: "pod", atMs: 2_000, command: "apply -f -", manifest: "kind: Pod" } });
  assert.equal(t.answer(3).value.stdout, "apply -f - at 2 with kind: Pod");
  const before = session.seeks.length;
  await t.host.receive({ type: "call", id: 4, op: "tryCommand", args: { yaml: "pod", atMs: 2_000, command: "delete pod web" } });
  assert.equal(t.answer(4).value.changed, true);
  assert.equal(session.seeks.length, before, "tried where the session stood");
  await t.host.receive({ type: "call", id: 5, op: "kubectlBatch", args: { yaml: "pod", atMs: 2_000, commands: ["get pods"] } });
  assert.deepEqual(session.seeks.slice(before), [100, 500, 2000], "forward again from 0, in slices");
  assert.equal(t.sessions.length, 1);
});
