// The page's side of the engine's Web Worker (engine-worker.js): promises for the worker's calls
// (simulate, kubectlBatch, objectNames, podStatusYaml; see engine-jobs.js), each with a request
// id, progress reported on the way, and three ways for a call to end without its answer:
//   * superseded: a newer call in the same lane ("simulate", "panes") replaces it; the worker is
//     told to drop it (at its next slice), and its promise rejects at once. A call made with
//     `restartWhenSuperseded` that has run for RESTART_AFTER_MS or more ends the worker instead
//     (its slice under way could still take a while; the other calls go to a fresh worker);
//   * cancelled: cancel() ends the worker itself (a run that will not finish soon) and every call
//     under way with it, and starts a fresh worker;
//   * failed: the worker could not start or died (out of memory, say); the same, with why.
// These reject with an EngineStopped carrying that reason; an engine error (a panic) rejects
// with a plain Error carrying its message.

export class EngineStopped extends Error {
  constructor(reason, message) {
    super(message ?? `the engine call was ${reason}`);
    this.name = "EngineStopped";
    this.reason = reason; // "superseded" | "cancelled" | "failed"
  }
}

// A superseded call that has run this long may be deep in a slice whose cost grew past the
// worker's aim (a simulation that reaches a busy loop after cheap seconds): ending the worker is
// quicker than waiting for that slice.
export const RESTART_AFTER_MS = 250;

// spawn(): a new worker ({postMessage, terminate, onmessage, onerror}); init(): the worker's
// first message ({glueUrl, module}), asked for each new worker; now(): wall milliseconds.
export function createEngineClient({ spawn, init, now = () => performance.now() }) {
  let worker = null;
  let nextId = 1;
  const pending = new Map(); // id -> {op, args, resolve, reject, onProgress, lane, restartWhenSuperseded, sent}
  const lanes = new Map();   // lane -> id of its latest call

  function ensureWorker() {
    if (worker) return worker;
    const w = spawn();
    w.onmessage = (e) => { if (w === worker) receive(e.data); };
    // A worker that cannot load its script, or dies, ends with an error event.
    w.onerror = (e) => {
      e?.preventDefault?.();
      if (w === worker) restart("failed", `The engine's worker stopped: ${e?.message || "it could not be started"}.`);
    };
    worker = w;
    w.postMessage({ type: "init", ...init() });
    return w;
  }

  // Removes call `id` from the books; returns its entry.
  function settle(id) {
    const entry = pending.get(id);
    pending.delete(id);
    if (entry?.lane !== undefined && lanes.get(entry.lane) === id) lanes.delete(entry.lane);
    return entry;
  }

  function receive(m) {
    if (m?.type === "failed") { restart("failed", m.message); return; }
    const entry = pending.get(m?.id);
    if (!entry) return; // superseded or cancelled: its answer is not wanted
    if (m.type === "progress") { entry.onProgress?.(m.done, m.total); return; }
    settle(m.id);
    if (m.type === "result") entry.resolve(m.value);
    else entry.reject(new Error(m.message));
  }

  // Ends the worker and every call under way (they reject with `reason`).
  function restart(reason, message) {
    worker?.terminate();
    worker = null;
    const entries = [...pending.values()];
    pending.clear();
    lanes.clear();
    for (const entry of entries) entry.reject(new EngineStopped(reason, message));
  }

  // Stops call `id` (superseded): the worker drops it, or is replaced (see RESTART_AFTER_MS); its
  // promise rejects now.
  function drop(id) {
    const entry = settle(id);
    if (!entry) return;
    entry.reject(new EngineStopped("superseded"));
    if (entry.restartWhenSuperseded && now() - entry.sent >= RESTART_AFTER_MS) replaceWorker();
    else worker?.postMessage({ type: "abort", id });
  }

  // A fresh worker in place of the one under way, given the calls still wanted (from the start:
  // the old worker's sessions are gone with it).
  function replaceWorker() {
    worker?.terminate();
    worker = null;
    const w = ensureWorker();
    for (const [id, entry] of pending) {
      entry.sent = now();
      w.postMessage({ type: "call", id, op: entry.op, args: entry.args });
    }
  }

  // Calls `op` in the worker. lane: a newer call in the same lane supersedes this one.
  // onProgress(done, total): virtual ms, after each slice of a long call. restartWhenSuperseded:
  // the call keeps nothing in the worker that is worth waiting for once it is superseded.
  function call(op, args, { lane, onProgress, restartWhenSuperseded = false } = {}) {
    return new Promise((resolve, reject) => {
      if (lane !== undefined && lanes.has(lane)) drop(lanes.get(lane));
      const w = ensureWorker();
      const id = nextId++;
      pending.set(id, { op, args, resolve, reject, onProgress, lane, restartWhenSuperseded, sent: now() });
      if (lane !== undefined) lanes.set(lane, id);
      w.postMessage({ type: "call", id, op, args });
    });
  }

  return {
    call,
    // Supersedes the lane's call under way, if any, without starting another.
    drop: (lane) => { if (lanes.has(lane)) drop(lanes.get(lane)); },
    // Ends the worker and its calls, and starts a fresh worker at once, ready for the next call.
    cancel: () => { restart("cancelled", "The engine call was cancelled."); ensureWorker(); },
    // How many calls are under way (for tests).
    get pending() { return pending.size; },
  };
}
