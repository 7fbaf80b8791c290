// The page's side of the engine's Web Worker (engine-worker.js): promises for the worker's calls
// (simulate, kubectlBatch, objectNames, podStatusYaml; see engine-jobs.js), each with a request
// id, progress reported on the way, and three ways for a call to end without its answer:
//   * superseded: a newer call in the same lane ("simulate", "panes") replaces it; the worker is
//     told to drop it, and its promise rejects at once;
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

// spawn(): a new worker ({postMessage, terminate, onmessage, onerror}); init(): the worker's
// first message ({glueUrl, module}), asked for each new worker.
export function createEngineClient({ spawn, init }) {
  let worker = null;
  let nextId = 1;
  const pending = new Map(); // id -> {resolve, reject, onProgress, lane}
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

  // Stops call `id` (superseded): the worker drops it; its promise rejects now.
  function drop(id) {
    const entry = settle(id);
    if (!entry) return;
    worker?.postMessage({ type: "abort", id });
    entry.reject(new EngineStopped("superseded"));
  }

  // Calls `op` in the worker. lane: a newer call in the same lane supersedes this one.
  // onProgress(done, total): virtual ms, after each slice of a long call.
  function call(op, args, { lane, onProgress } = {}) {
    return new Promise((resolve, reject) => {
      const w = ensureWorker();
      const id = nextId++;
      if (lane !== undefined && lanes.has(lane)) drop(lanes.get(lane));
      pending.set(id, { resolve, reject, onProgress, lane });
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
