// Unit tests of web/src/storage.js: the work kept in localStorage, with a stand-in localStorage
// (Node 20 has none), including one that refuses every call (storage off, or full).
// Run: node --test tests/web-unit/
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { loadWork, saveWork } from "../../web/src/storage.js";

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
