// What the engine's Web Worker does with the page's requests (engine-worker.js is only its
// entry point: it loads the wasm and passes the bindings here). Kept apart from the worker's
// globals so that it runs in Node's unit tests with a stand-in engine.
//
// Every call that moves virtual time does it in slices: a Session seeks forward a little, the
// worker posts how far it got and gives its event loop a turn (where an "abort" for a
// superseded request is read), then seeks on. The engine is deterministic and a session moved
// forward in any number of seeks is where one seek would have put it, so a simulation run in
// slices is byte for byte `simulate`'s (crates/podplay-wasm/tests/in_slices.rs).
//
// Requests ({type: "call", id, op, args}) and what is posted back:
//   simulate      {yaml, untilMs}             -> simulate's result; the run's session is kept as
//                                               that YAML's session for the calls below
//   kubectlBatch  {yaml, atMs, commands}      -> [{stdout, stderr, exitCode}]
//   tryCommand    {yaml, atMs, command, manifest} -> {stdout, stderr, exitCode, changed}: a
//                                               command that changed the cluster leaves the
//                                               session at time 0 (it forgot the command)
//   objectNames   {yaml, atMs}                -> {pod, node, service, containers}
//   podStatusYaml {yaml, atMs, pod}           -> the pod's `status:` YAML, or null
//   {type: "progress", id, done, total} (virtual ms) after each slice; then
//   {type: "result", id, value} or {type: "error", id, message}.
// {type: "abort", id} drops a request: it stops at its next slice and posts nothing more.

// Wall time a slice aims at: short enough that an abort or a newer request waits little and
// progress moves smoothly, long enough that the turns between slices cost nothing measurable.
export const SLICE_WALL_MS = 40;
// The first slice's virtual length: small, because a second of virtual time can cost a busy
// loop most of a wall-clock second; the next slices grow (or shrink) from what it cost.
export const FIRST_SLICE_MS = 100;
// How many YAML texts keep a session open (the one shown and the one being simulated).
export const MAX_SESSIONS = 2;

// The virtual length of the next slice, from the last slice's length and its wall time: aimed at
// SLICE_WALL_MS, growing or shrinking at most fourfold a slice (a slice that cost nothing grows
// fourfold), never under a millisecond.
export function nextSlice(lastMs, wallMs, aimMs = SLICE_WALL_MS) {
  const factor = wallMs > 0 ? Math.min(4, Math.max(0.25, aimMs / wallMs)) : 4;
  return Math.max(1, Math.round(lastMs * factor));
}

// Thrown inside a request that was aborted; never posted.
const ABORTED = Symbol("aborted");

// engine: the wasm bindings ({Session, simulate}); post(message): to the page; turn(): a promise
// that resolves after the worker's event loop has had a turn (messages waiting are read first);
// clock(): wall milliseconds.
export function createEngineHost({ engine, post, turn, clock = () => performance.now() }) {
  const jobs = new Map();      // id -> {aborted}
  const sessions = new Map();  // yaml -> {session, queue}; oldest use first

  // The session's time in virtual ms (the binding speaks seconds).
  const nowMs = (session) => Math.round(session.now * 1000);

  // Moves `session` to `target` ms in slices; back means a fresh engine at 0 first (a session
  // going back replays the commands it was given, as one seek would), then forward.
  async function seekInSlices(session, target, job, id) {
    if (nowMs(session) > target) session.seek(0);
    let at = nowMs(session);
    let slice = FIRST_SLICE_MS;
    while (at < target) {
      const end = Math.min(target, at + slice);
      const started = clock();
      session.seek(end / 1000);
      slice = nextSlice(end - at, clock() - started);
      at = end;
      if (at < target) {
        post({ type: "progress", id, done: at, total: target });
        await turn();
        if (job.aborted) throw ABORTED;
      }
    }
  }

  // The session kept for `yaml` (opened at time 0 when there is none), most recently used last.
  function entryFor(yaml) {
    let entry = sessions.get(yaml);
    if (entry) sessions.delete(yaml);
    else entry = { session: new engine.Session(yaml), queue: Promise.resolve() };
    sessions.set(yaml, entry);
    evict();
    return entry;
  }

  // Keeps `session` as the one for `yaml`, in place of the one kept before (freed when the calls
  // queued on it are done).
  function keep(yaml, session) {
    const old = sessions.get(yaml);
    sessions.delete(yaml);
    if (old) retire(old);
    sessions.set(yaml, { session, queue: Promise.resolve() });
    evict();
  }

  function evict() {
    while (sessions.size > MAX_SESSIONS) {
      const [yaml, entry] = sessions.entries().next().value;
      sessions.delete(yaml);
      retire(entry);
    }
  }

  function retire(entry) {
    entry.queue = entry.queue.then(() => entry.session.free());
  }

  // Runs `fn(session)` on the session of `yaml` after the calls queued on it before.
  function onSession(yaml, job, fn) {
    const entry = entryFor(yaml);
    const run = entry.queue.then(async () => {
      if (job.aborted) throw ABORTED;
      try {
        return await fn(entry.session);
      } catch (e) {
        // A panic can leave the session half-way through a call: it is not used again (nor
        // freed: its borrow may still be held). An abort leaves it whole.
        if (e !== ABORTED && sessions.get(yaml) === entry) sessions.delete(yaml);
        throw e;
      }
    });
    entry.queue = run.catch(() => {});
    return run;
  }

  async function simulate({ yaml, untilMs }, job, id) {
    const session = new engine.Session(yaml);
    if (!session.ok) {
      // Nothing to run: simulate's own answer (diagnostics) costs only the load.
      session.free();
      return engine.simulate(yaml, untilMs / 1000);
    }
    try {
      await seekInSlices(session, untilMs, job, id);
    } catch (e) {
      if (e === ABORTED) session.free();
      throw e;
    }
    const result = session.simulation();
    keep(yaml, session);
    return result;
  }

  const OPS = {
    simulate,
    kubectlBatch: ({ yaml, atMs, commands }, job, id) =>
      onSession(yaml, job, async (s) => { await seekInSlices(s, atMs, job, id); return s.kubectlBatch(atMs / 1000, commands); }),
    tryCommand: ({ yaml, atMs, command, manifest }, job, id) =>
      onSession(yaml, job, async (s) => { await seekInSlices(s, atMs, job, id); return s.tryCommand(atMs / 1000, command, manifest ?? undefined); }),
    objectNames: ({ yaml, atMs }, job, id) =>
      onSession(yaml, job, async (s) => { await seekInSlices(s, atMs, job, id); return s.objectNames(); }),
    podStatusYaml: ({ yaml, atMs, pod }, job, id) =>
      onSession(yaml, job, async (s) => { await seekInSlices(s, atMs, job, id); return s.podStatusYaml(pod) ?? null; }),
  };

  async function call({ id, op, args }) {
    const job = { aborted: false };
    jobs.set(id, job);
    try {
      if (!Object.hasOwn(OPS, op)) throw new Error(`the engine's worker has no call "${op}"`);
      const value = await OPS[op](args, job, id);
      if (!job.aborted) post({ type: "result", id, value });
    } catch (e) {
      // A panic in the engine arrives as an Error with the panic message.
      if (e !== ABORTED && !job.aborted) post({ type: "error", id, message: String(e?.message ?? e) });
    } finally {
      jobs.delete(id);
    }
  }

  function receive(message) {
    if (message?.type === "call") return call(message);
    if (message?.type === "abort") {
      const job = jobs.get(message.id);
      if (job) job.aborted = true;
    }
    return undefined;
  }

  return { receive, get sessionCount() { return sessions.size; } };
}
