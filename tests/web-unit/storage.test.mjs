// Unit tests of web/src/storage.js: the work kept in localStorage, with a stand-in localStorage
// (Node 20 has none), including one that refuses every call (storage off, or full).
// Run: node --test tests/web-unit/
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import {
  addDraft, draftLabel, DRAFTS_KEY, failureReason, forgetSlowRun, keepWork, loadDrafts, loadSlowRuns, loadWork, MAX_DRAFTS,
  MAX_SLOW_RUNS, removeDraft, saveSlowRun, saveWork, slowRunOf, SLOW_RUNS_KEY, textKey, WORK_KEY,
} from "../../web/src/storage.js";

const KEY = "podplay:work";
function fakeStorage(initial = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
}
const refusing = {
  getItem() { throw new DOMException("The operation is insecure.", "SecurityError"); },
  setItem() { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); },
};
const had = Object.prototype.hasOwnProperty.call(globalThis, "localStorage");
const original = globalThis.localStorage;
afterEach(() => {
  if (had) globalThis.localStorage = original;
  else delete globalThis.localStorage;
});

test("saveWork then loadWork gives the same work back, under the key podplay:work", () => {
  const storage = (globalThis.localStorage = fakeStorage());
  const work = { yaml: "kind: Pod\n", until: "5m", t: 42.5 };
  saveWork(work);
  assert.deepEqual([...storage.items.keys()], [KEY]);
  assert.deepEqual(JSON.parse(storage.items.get(KEY)), work);
  assert.deepEqual(loadWork(), work);
  saveWork({ yaml: "kind: Service\n", until: "1m", t: 0 });
  assert.deepEqual(loadWork(), { yaml: "kind: Service\n", until: "1m", t: 0 }, "the last save wins");
});

test("loadWork is null when nothing was kept", () => {
  globalThis.localStorage = fakeStorage();
  assert.equal(loadWork(), null);
  globalThis.localStorage = fakeStorage({ "other:key": JSON.stringify({ yaml: "x" }) });
  assert.equal(loadWork(), null);
});

test("loadWork is null for kept text that is not JSON or not work with a YAML string", () => {
  for (const kept of ["{not json", "", "null", "42", '"kind: Pod"', "[]", "{}", '{"yaml":42}', '{"yaml":null}', '{"until":"5m","t":3}']) {
    globalThis.localStorage = fakeStorage({ [KEY]: kept });
    assert.equal(loadWork(), null, JSON.stringify(kept));
  }
  globalThis.localStorage = fakeStorage({ [KEY]: '{"yaml":""}' });
  assert.deepEqual(loadWork(), { yaml: "" }, "an empty YAML is still work");
});

test("storage that refuses (off or full) neither throws nor loads anything", () => {
  globalThis.localStorage = refusing;
  assert.doesNotThrow(() => saveWork({ yaml: "kind: Pod\n" }));
  assert.equal(loadWork(), null);
});

test("no localStorage at all (a sandboxed frame) neither throws nor loads anything", () => {
  delete globalThis.localStorage;
  assert.equal(typeof localStorage, "undefined");
  assert.doesNotThrow(() => saveWork({ yaml: "kind: Pod\n" }));
  assert.equal(loadWork(), null);
});

// ---- what a write says, the drafts, and saving without overwriting unseen work ----

const fullStorage = (initial = {}) => {
  const s = fakeStorage(initial);
  s.setItem = () => { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); };
  return s;
};

test("saveWork says whether the browser kept the work: ok, full (quota) or off (refused, missing)", () => {
  globalThis.localStorage = fakeStorage();
  assert.deepEqual(saveWork({ yaml: "a" }), { ok: true });
  globalThis.localStorage = fullStorage();
  assert.deepEqual(saveWork({ yaml: "a" }), { ok: false, reason: "full" });
  globalThis.localStorage = refusing;
  assert.deepEqual(saveWork({ yaml: "a" }), { ok: false, reason: "full" }, "the refusing stand-in's setItem is a quota error");
  globalThis.localStorage = { getItem: () => null, setItem() { throw new DOMException("The operation is insecure.", "SecurityError"); } };
  assert.deepEqual(saveWork({ yaml: "a" }), { ok: false, reason: "off" });
  delete globalThis.localStorage;
  assert.deepEqual(saveWork({ yaml: "a" }), { ok: false, reason: "off" });
  // Old browsers name a full quota by its code (22; Firefox's 1014).
  assert.equal(failureReason({ code: 22 }), "full");
  assert.equal(failureReason({ name: "NS_ERROR_DOM_QUOTA_REACHED", code: 1014 }), "full");
  assert.equal(failureReason(new TypeError("x")), "off");
});

test("drafts: newest first, the same YAML kept once, at most MAX_DRAFTS, each removable", () => {
  const storage = (globalThis.localStorage = fakeStorage());
  assert.deepEqual(loadDrafts(), []);
  assert.deepEqual(addDraft({ yaml: "a", until: "5m", t: 3, savedAt: 1 }), { ok: true, drafts: [{ yaml: "a", until: "5m", t: 3, savedAt: 1 }] });
  addDraft({ yaml: "b", savedAt: 2 });
  assert.deepEqual(loadDrafts().map((d) => d.yaml), ["b", "a"]);
  addDraft({ yaml: "a", savedAt: 3 });
  assert.deepEqual(loadDrafts(), [{ yaml: "a", savedAt: 3 }, { yaml: "b", savedAt: 2 }], "moved up, not kept twice");
  for (let i = 0; i < MAX_DRAFTS + 3; i++) addDraft({ yaml: `y${i}`, savedAt: 10 + i });
  const drafts = loadDrafts();
  assert.equal(MAX_DRAFTS, 10);
  assert.equal(drafts.length, MAX_DRAFTS);
  assert.equal(drafts[0].yaml, `y${MAX_DRAFTS + 2}`);
  assert.deepEqual(removeDraft("y12"), { ok: true, drafts: drafts.slice(1) });
  assert.deepEqual(JSON.parse(storage.items.get(DRAFTS_KEY)), drafts.slice(1));
  // Kept text that is not a list of drafts reads as none; entries that are not drafts are dropped.
  for (const kept of ["{", "{}", '"x"', "null"]) {
    globalThis.localStorage = fakeStorage({ [DRAFTS_KEY]: kept });
    assert.deepEqual(loadDrafts(), [], kept);
  }
  globalThis.localStorage = fakeStorage({ [DRAFTS_KEY]: JSON.stringify([{ yaml: 1 }, null, { yaml: "ok", t: "x", until: 5, savedAt: "no" }]) });
  assert.deepEqual(loadDrafts(), [{ yaml: "ok", savedAt: 0 }]);
});

test("a draft that cannot be written says so and changes nothing", () => {
  globalThis.localStorage = fullStorage({ [DRAFTS_KEY]: JSON.stringify([{ yaml: "old", savedAt: 1 }]) });
  assert.deepEqual(addDraft({ yaml: "new", savedAt: 2 }), { ok: false, reason: "full", drafts: [{ yaml: "old", savedAt: 1 }] });
});

test("keepWork saves over work this page saw, and keeps unseen work (another tab's, or work a link replaced) as a draft first", () => {
  const storage = (globalThis.localStorage = fakeStorage());
  const pristine = (y) => y === "example";
  // Nothing stored: saved.
  assert.deepEqual(keepWork({ yaml: "mine", until: "5m", t: 1 }, null, { pristine, now: 100 }), { ok: true, archived: null });
  assert.deepEqual(loadWork(), { yaml: "mine", until: "5m", t: 1, savedAt: 100 });
  // This page wrote "mine": saving over it keeps no draft.
  assert.deepEqual(keepWork({ yaml: "mine 2", until: "5m", t: 2 }, "mine", { pristine, now: 200 }), { ok: true, archived: null });
  assert.deepEqual(loadDrafts(), []);
  // Another tab saved "theirs" since: it becomes a draft, then this page's work is saved.
  storage.setItem(WORK_KEY, JSON.stringify({ yaml: "theirs", until: "2m", t: 7, savedAt: 300 }));
  const r = keepWork({ yaml: "mine 3", until: "5m", t: 3 }, "mine 2", { pristine, now: 400 });
  assert.deepEqual(r, { ok: true, archived: { yaml: "theirs", until: "2m", t: 7, savedAt: 300 } });
  assert.deepEqual(loadDrafts(), [{ yaml: "theirs", until: "2m", t: 7, savedAt: 300 }]);
  assert.equal(loadWork().yaml, "mine 3");
  // A page opened from a link saw no stored work: the stored work is kept before the first save.
  assert.equal(keepWork({ yaml: "from a link" }, null, { pristine, now: 500 }).archived.yaml, "mine 3");
  // The same YAML, or an untouched example, is not worth a draft.
  storage.setItem(WORK_KEY, JSON.stringify({ yaml: "example" }));
  assert.deepEqual(keepWork({ yaml: "x" }, null, { pristine }).archived, null);
  storage.setItem(WORK_KEY, JSON.stringify({ yaml: "same" }));
  assert.deepEqual(keepWork({ yaml: "same" }, null, { pristine }).archived, null);
  assert.deepEqual(loadDrafts().map((d) => d.yaml), ["mine 3", "theirs"]);
});

test("keepWork does not save over unseen work it could not keep as a draft (storage full)", () => {
  const storage = (globalThis.localStorage = fullStorage({ [WORK_KEY]: JSON.stringify({ yaml: "theirs" }) }));
  assert.deepEqual(keepWork({ yaml: "mine" }, null), { ok: false, reason: "full", archived: null });
  assert.equal(JSON.parse(storage.items.get(WORK_KEY)).yaml, "theirs");
});

test("draftLabel names a draft by its first name: and its number of lines", () => {
  assert.equal(draftLabel("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-0\nspec: {}\n"), "web-0, 5 lines");
  assert.equal(draftLabel('metadata: {name: "quoted"}'), "YAML, 1 line");
  assert.equal(draftLabel("  name: 'x'\n"), "x, 1 line");
  assert.equal(draftLabel(""), "YAML, 0 lines");
  assert.equal(draftLabel("kind: Pod"), "YAML, 1 line");
});

// ---- simulations that were slow or cancelled ----

test("a slow or cancelled run is remembered by the YAML's fingerprint and its duration, never by a copy of the YAML", () => {
  const storage = (globalThis.localStorage = fakeStorage());
  const yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: busy}\n";
  assert.equal(slowRunOf(yaml, "10m"), null);
  assert.deepEqual(saveSlowRun({ yaml, until: "10m", reason: "slow", wallMs: 5200, doneMs: 61_000, savedAt: 1 }), { ok: true });
  assert.deepEqual(slowRunOf(yaml, "10m"), { key: textKey(yaml), until: "10m", reason: "slow", wallMs: 5200, doneMs: 61_000, savedAt: 1 });
  assert.equal(slowRunOf(yaml, "5m"), null, "another duration is another run");
  assert.equal(slowRunOf(yaml + " ", "10m"), null, "another text is another run");
  assert.ok(!storage.items.get(SLOW_RUNS_KEY).includes("busy"), "no copy of the YAML is kept");
  // The same run again replaces its record (a slow run later cancelled).
  saveSlowRun({ yaml, until: "10m", reason: "cancelled", wallMs: 12_000, doneMs: 90_000, savedAt: 2 });
  assert.equal(loadSlowRuns().length, 1);
  assert.equal(slowRunOf(yaml, "10m").reason, "cancelled");
  // A quick run forgets it; forgetting what is not there writes nothing.
  assert.deepEqual(forgetSlowRun(yaml, "10m"), { ok: true });
  assert.equal(slowRunOf(yaml, "10m"), null);
  storage.items.delete(SLOW_RUNS_KEY);
  assert.deepEqual(forgetSlowRun(yaml, "10m"), { ok: true });
  assert.equal(storage.items.has(SLOW_RUNS_KEY), false);
});

test("textKey tells texts apart by their length and a hash of every character", () => {
  assert.equal(textKey("abc"), textKey("abc"));
  assert.notEqual(textKey("abc"), textKey("abd"));
  assert.notEqual(textKey("abc"), textKey("cba"));
  assert.match(textKey("héllo ✓"), /^7:[0-9a-z]+$/);
  const keys = new Set(Array.from({ length: 2000 }, (_, i) => textKey(`kind: Pod\nmetadata: {name: p${i}}\n`)));
  assert.equal(keys.size, 2000);
});

test(`at most ${MAX_SLOW_RUNS} runs are remembered, newest first; records that are not one are dropped`, () => {
  const storage = (globalThis.localStorage = fakeStorage());
  for (let i = 0; i < MAX_SLOW_RUNS + 5; i++) saveSlowRun({ yaml: `y${i}`, until: "5m", reason: "slow", wallMs: i, doneMs: 0, savedAt: i });
  const runs = loadSlowRuns();
  assert.equal(runs.length, MAX_SLOW_RUNS);
  assert.equal(runs[0].key, textKey(`y${MAX_SLOW_RUNS + 4}`));
  assert.equal(slowRunOf("y0", "5m"), null, "the oldest went");
  storage.items.set(SLOW_RUNS_KEY, JSON.stringify([{ key: 1, until: "5m", reason: "slow" }, { key: "k", until: "5m", reason: "later" }, null, { key: "k", until: "5m", reason: "slow", wallMs: "x" }]));
  assert.deepEqual(loadSlowRuns(), [{ key: "k", until: "5m", reason: "slow", wallMs: 0, doneMs: 0, savedAt: 0 }]);
  storage.items.set(SLOW_RUNS_KEY, "{broken");
  assert.deepEqual(loadSlowRuns(), []);
});

test("a storage that refuses: nothing is remembered, and the write says why", () => {
  globalThis.localStorage = refusing;
  assert.equal(slowRunOf("y", "5m"), null);
  assert.deepEqual(saveSlowRun({ yaml: "y", until: "5m", reason: "cancelled", wallMs: 1, doneMs: 0 }), { ok: false, reason: "full" });
});
