// Unit tests of web/src/embed.js: the options of embed mode read from the query string.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  API_VERSION, HIDEABLE, installMessageApi, MAX_QUEUED, openMessageChannel, PANES, readEmbedOptions, readMessage, readyMessage, resizeMessage,
  resultMessage, tellParent,
} from "../../web/src/embed.js";

test("the panes are the editor first, then the result panes", () => {
  assert.deepEqual(PANES, ["editor", "timeline", "pods", "describe", "logs", "events", "status", "why", "kubectl"]);
});

test("no query: not embedded, every pane, no start time, neither autoplay nor read-only", () => {
  for (const search of ["", "?"]) {
    assert.deepEqual(readEmbedOptions(search), { embed: false, panes: PANES, t: undefined, autoplay: false, readonly: false, hide: [] }, JSON.stringify(search));
  }
});

test("?embed alone: embedded with every pane", () => {
  assert.deepEqual(readEmbedOptions("?embed"), { embed: true, panes: PANES, t: undefined, autoplay: false, readonly: false, hide: [] });
  assert.equal(readEmbedOptions("?embed=0").embed, true, "embed is a flag: any value turns it on");
});

test("every option at once", () => {
  assert.deepEqual(readEmbedOptions("?embed&panes=editor,timeline,kubectl&t=90&readonly&autoplay&hide=export,link"), {
    embed: true,
    panes: ["editor", "timeline", "kubectl"],
    t: 90,
    autoplay: true,
    readonly: true,
    hide: ["export", "link"],
  });
  assert.deepEqual(readEmbedOptions("embed&autoplay"), { embed: true, panes: PANES, t: undefined, autoplay: true, readonly: false, hide: [] }, "without the ?");
});

test("panes keeps the given order, trims spaces, and drops names it does not know", () => {
  assert.deepEqual(readEmbedOptions("?embed&panes=logs,pods").panes, ["logs", "pods"]);
  assert.deepEqual(readEmbedOptions("?embed&panes=%20pods%20,%20events").panes, ["pods", "events"]);
  assert.deepEqual(readEmbedOptions("?embed&panes=pods,terminal,Pods,,editor").panes, ["pods", "editor"], "unknown, wrong case and empty names");
  assert.deepEqual(readEmbedOptions("?embed&panes=nothing").panes, []);
  assert.deepEqual(readEmbedOptions("?embed&panes=").panes, [], "today an empty panes= shows no pane at all (not every pane)");
});

test("hide= takes the documented control names, trimmed, each once, in the given order; unknown names are ignored", () => {
  assert.deepEqual(Object.keys(HIDEABLE), ["until", "playback", "speed", "zoom", "export", "link", "help", "legend"]);
  assert.deepEqual(readEmbedOptions("?embed&hide=until,export,link,speed,zoom,library,terminal").hide, ["until", "export", "link", "speed", "zoom"]);
  assert.deepEqual(readEmbedOptions("?embed&hide=%20zoom%20,legend,zoom,ZOOM,,help").hide, ["zoom", "legend", "help"], "spaces, repeats, case, empty names");
  assert.deepEqual(readEmbedOptions("?embed&hide=").hide, []);
  assert.deepEqual(readEmbedOptions("?embed&hide=toString,__proto__,constructor").hide, [], "names of Object.prototype are no control");
  assert.deepEqual(readEmbedOptions("?embed&panes=pods,pods").panes, ["pods"], "a pane named twice shows once");
});

test("t is a number of seconds; a t that is not a finite number is left out", () => {
  assert.equal(readEmbedOptions("?embed&t=30").t, 30);
  assert.equal(readEmbedOptions("?embed&t=12.5").t, 12.5);
  assert.equal(readEmbedOptions("?embed&t=0").t, 0);
  for (const bad of ["t=", "t=abc", "t=90s", "t=Infinity", "t=NaN"]) assert.equal(readEmbedOptions(`?embed&${bad}`).t, undefined, bad);
});

test("the options are read without ?embed too (the page applies them only when embedded)", () => {
  assert.deepEqual(readEmbedOptions("?panes=pods&t=5&readonly&hide=zoom"), { embed: false, panes: ["pods"], t: 5, autoplay: false, readonly: true, hide: ["zoom"] });
});

test("t is plain non-negative seconds, as in a share link: 0x10, -5, +5 and 1_000 are left out", () => {
  assert.equal(readEmbedOptions("?embed&t=1e2").t, 100);
  for (const bad of ["0x10", "-5", "%2B5", "1_000", "0b1", "%205"]) assert.equal(readEmbedOptions(`?embed&t=${bad}`).t, undefined, bad);
});

// ---- the postMessage API ----

test("readMessage takes the documented shapes, as fresh objects with only their fields", () => {
  assert.deepEqual(readMessage({ type: "podplay:load", yaml: "kind: Pod\n" }), { type: "podplay:load", yaml: "kind: Pod\n" });
  assert.deepEqual(readMessage({ type: "podplay:load", yaml: "" }), { type: "podplay:load", yaml: "" });
  assert.deepEqual(readMessage({ type: "podplay:seek", t: 20 }), { type: "podplay:seek", t: 20 });
  assert.deepEqual(readMessage({ type: "podplay:seek", t: 0.5 }), { type: "podplay:seek", t: 0.5 });
  assert.deepEqual(readMessage({ type: "podplay:play" }), { type: "podplay:play" });
  assert.deepEqual(readMessage({ type: "podplay:pause" }), { type: "podplay:pause" });
  assert.deepEqual(readMessage({ type: "podplay:get", command: "get pods" }), { type: "podplay:get", command: "get pods" });
  assert.deepEqual(readMessage({ type: "podplay:get", command: "get pods", id: "q1" }), { type: "podplay:get", command: "get pods", id: "q1" });
  assert.deepEqual(readMessage({ type: "podplay:get", command: "get pods", id: 7 }), { type: "podplay:get", command: "get pods", id: 7 });
  const extra = readMessage({ type: "podplay:play", yaml: "x", then: "podplay:load", constructor: 1 });
  assert.deepEqual(extra, { type: "podplay:play" }, "other keys are dropped");
  assert.equal(Object.getPrototypeOf(extra), Object.prototype);
});

test("readMessage ignores everything else: other types, wrong field types, too long a command or id", () => {
  const ignored = [
    null, undefined, "podplay:play", 42, true, ["podplay:play"], [], {}, { type: 1 }, { type: "podplay:Play" },
    { type: "podplay:result", stdout: "" }, { type: "other:load", yaml: "x" }, { type: "podplay:toString" }, { type: "podplay:__proto__" },
    { type: "podplay:load" }, { type: "podplay:load", yaml: 42 }, { type: "podplay:load", yaml: ["kind: Pod"] }, { type: "podplay:load", yaml: { toString: () => "x" } },
    { type: "podplay:seek" }, { type: "podplay:seek", t: "20" }, { type: "podplay:seek", t: -1 }, { type: "podplay:seek", t: NaN },
    { type: "podplay:seek", t: Infinity }, { type: "podplay:seek", t: true }, { type: "podplay:seek", t: [5] }, { type: "podplay:seek", t: 10n },
    { type: "podplay:get" }, { type: "podplay:get", command: ["get", "pods"] }, { type: "podplay:get", command: "x".repeat(1001) },
    { type: "podplay:get", command: "get pods", id: {} }, { type: "podplay:get", command: "get pods", id: "i".repeat(201) },
    { type: "podplay:get", command: "get pods", id: NaN }, { type: "podplay:get", command: "get pods", id: null },
  ];
  const label = (d) => { try { return JSON.stringify(d)?.slice(0, 80); } catch { return String(d); } };
  for (const data of ignored) assert.equal(readMessage(data), null, label(data));
  assert.ok(readMessage({ type: "podplay:get", command: "x".repeat(1000) }), "1000 characters is the limit");
});

test("readMessage reads own fields only: __proto__, an inherited type or a getter's prototype give nothing", () => {
  // JSON (and structured clone) make "__proto__" an ordinary own key: it is ignored, and changes no prototype.
  const viaJson = JSON.parse('{"__proto__": {"type": "podplay:load", "yaml": "x"}, "type": "podplay:play"}');
  const m = readMessage(viaJson);
  assert.deepEqual(m, { type: "podplay:play" });
  assert.equal(Object.getPrototypeOf(m), Object.prototype);
  assert.equal({}.yaml, undefined, "Object.prototype untouched");
  assert.equal(readMessage(JSON.parse('{"__proto__": {"type": "podplay:play"}}')), null);
  assert.equal(readMessage(Object.create({ type: "podplay:play" })), null, "an inherited type");
  assert.equal(readMessage(Object.assign(Object.create({ yaml: "x" }), { type: "podplay:load" })), null, "an inherited yaml");
  assert.deepEqual(readMessage(Object.assign(Object.create(null), { type: "podplay:pause" })), { type: "podplay:pause" });
  const polluted = readMessage(JSON.parse('{"type": "podplay:get", "command": "get pods", "constructor": {"prototype": {"x": 1}}}'));
  assert.deepEqual(polluted, { type: "podplay:get", command: "get pods" });
  assert.equal({}.x, undefined);
});

test("resultMessage answers with the documented fields only", () => {
  assert.deepEqual(resultMessage({ type: "podplay:get", command: "get pods", id: "a" }, { stdout: "x\n", stderr: "", exitCode: 0, extra: 1 }),
    { type: "podplay:result", id: "a", stdout: "x\n", stderr: "", exitCode: 0 });
  assert.deepEqual(resultMessage({ type: "podplay:get", command: "get pods" }, { stdout: "", stderr: "e\n", exitCode: 1 }),
    { type: "podplay:result", stdout: "", stderr: "e\n", exitCode: 1 });
});

// A window whose addEventListener("message") collects the listeners, for the handler's tests.
function withListeners(run) {
  const listeners = [];
  const saved = globalThis.addEventListener;
  globalThis.addEventListener = (type, fn) => { if (type === "message") listeners.push(fn); };
  try {
    return run(listeners);
  } finally {
    globalThis.addEventListener = saved;
  }
}

test("installMessageApi listens to the framing page only, and answers the sender at its origin", () => {
  const listeners = [];
  const saved = globalThis.addEventListener;
  globalThis.addEventListener = (type, fn) => { if (type === "message") listeners.push(fn); };
  try {
    const calls = [];
    const api = {
      load: (y) => calls.push(["load", y]), seek: (t) => calls.push(["seek", t]), play: () => calls.push(["play"]), pause: () => calls.push(["pause"]),
      get: (c) => (calls.push(["get", c]), { stdout: "out\n", stderr: "", exitCode: 0 }),
    };
    const sent = [];
    const windowOf = (name) => ({ name, postMessage: (msg, opts) => sent.push({ to: name, msg, opts }) });
    const parent = windowOf("parent");
    const other = windowOf("other");
    installMessageApi(api, { parent: () => parent });
    const post = (source, data, origin = "https://course.example") => listeners[0]({ source, data, origin });
    post(parent, { type: "podplay:load", yaml: "kind: Pod\n", __proto__: { x: 1 } });
    post(parent, { type: "podplay:seek", t: 20 });
    post(parent, { type: "podplay:seek", t: "20" });
    post(other, { type: "podplay:play" });
    post(null, { type: "podplay:play" });
    post(parent, { type: "podplay:get", command: "get pods", id: 3 });
    post(other, { type: "podplay:get", command: "get pods", id: 4 });
    post(parent, { type: "podplay:get", command: "get pods", id: 5 }, "null");
    assert.deepEqual(calls, [["load", "kind: Pod\n"], ["seek", 20], ["get", "get pods"], ["get", "get pods"]]);
    assert.deepEqual(sent, [
      { to: "parent", msg: { type: "podplay:result", id: 3, stdout: "out\n", stderr: "", exitCode: 0 }, opts: { targetOrigin: "https://course.example" } },
      { to: "parent", msg: { type: "podplay:result", id: 5, stdout: "out\n", stderr: "", exitCode: 0 }, opts: { targetOrigin: "*" } },
    ]);
    // Not framed (window.parent is the window itself): nothing is listened to.
    installMessageApi(api, { parent: () => globalThis });
    listeners[1]({ source: globalThis, data: { type: "podplay:play" }, origin: "https://x" });
    assert.equal(calls.length, 4);
  } finally {
    globalThis.addEventListener = saved;
  }
});

test("a 'podplay:get' answered by a promise (the engine's worker) is sent when it resolves; a failure is an error reply", async () => {
  const listeners = [];
  const saved = globalThis.addEventListener;
  globalThis.addEventListener = (type, fn) => { if (type === "message") listeners.push(fn); };
  try {
    let answer;
    const api = { load() {}, seek() {}, play() {}, pause() {}, get: (c) => (c === "boom" ? Promise.reject(new Error("worker stopped")) : new Promise((r) => { answer = r; })) };
    const sent = [];
    const parent = { postMessage: (msg, opts) => sent.push({ msg, opts }) };
    installMessageApi(api, { parent: () => parent });
    listeners[0]({ source: parent, data: { type: "podplay:get", command: "get pods", id: "q" }, origin: "https://course.example" });
    await new Promise(setImmediate);
    assert.deepEqual(sent, [], "nothing before the engine answers");
    answer({ stdout: "NAME\n", stderr: "", exitCode: 0, extra: "not sent" });
    await new Promise(setImmediate);
    assert.deepEqual(sent, [{ msg: { type: "podplay:result", id: "q", stdout: "NAME\n", stderr: "", exitCode: 0 }, opts: { targetOrigin: "https://course.example" } }]);
    listeners[0]({ source: parent, data: { type: "podplay:get", command: "boom", id: 2 }, origin: "https://course.example" });
    await new Promise(setImmediate);
    assert.deepEqual(sent[1].msg, { type: "podplay:result", id: 2, stdout: "", stderr: "worker stopped\n", exitCode: 1 });
  } finally {
    globalThis.addEventListener = saved;
  }
});

test("messages that come before the page is ready wait, in order, and are handled once it starts; later ones at once", async () => {
  await withListeners(async (listeners) => {
    const calls = [];
    const sent = [];
    const parent = { postMessage: (msg, opts) => sent.push({ msg, opts }) };
    const channel = openMessageChannel({ parent: () => parent });
    assert.equal(listeners.length, 1, "listening from the moment the channel is opened");
    const post = (data, source = parent) => listeners[0]({ source, data, origin: "https://course.example" });
    post({ type: "podplay:load", yaml: "kind: Pod\n" });
    post({ type: "podplay:seek", t: 20 });
    post({ type: "podplay:seek", t: "20" }); // not a message: not queued
    post({ type: "podplay:play" }, { postMessage() {} }); // another window: not queued
    post({ type: "podplay:get", command: "get pods", id: "early" });
    assert.equal(channel.queued, 3);
    assert.deepEqual(sent, [], "nothing is answered before the page is ready");
    const api = {
      load: (y) => calls.push(["load", y]), seek: (t) => calls.push(["seek", t]), play: () => calls.push(["play"]), pause: () => calls.push(["pause"]),
      get: (c) => (calls.push(["get", c]), Promise.resolve({ stdout: "NAME\n", stderr: "", exitCode: 0 })),
    };
    channel.start(api);
    assert.deepEqual(calls, [["load", "kind: Pod\n"], ["seek", 20], ["get", "get pods"]], "in the order they came");
    assert.equal(channel.queued, 0);
    post({ type: "podplay:pause" });
    assert.deepEqual(calls.at(-1), ["pause"], "after start, at once");
    await new Promise(setImmediate);
    assert.deepEqual(sent, [{ msg: { type: "podplay:result", id: "early", stdout: "NAME\n", stderr: "", exitCode: 0 }, opts: { targetOrigin: "https://course.example" } }]);
  });
});

test("at most MAX_QUEUED messages wait for the page; the ones after are ignored", () => {
  withListeners((listeners) => {
    const parent = { postMessage() {} };
    const channel = openMessageChannel({ parent: () => parent });
    for (let i = 0; i < MAX_QUEUED + 5; i++) listeners[0]({ source: parent, data: { type: "podplay:seek", t: i }, origin: "https://x" });
    assert.equal(channel.queued, MAX_QUEUED);
    const seeks = [];
    channel.start({ load() {}, seek: (t) => seeks.push(t), play() {}, pause() {}, get() {} });
    assert.deepEqual(seeks, Array.from({ length: MAX_QUEUED }, (_, i) => i), "the first ones, in order");
  });
});

test("ready and resize carry only their documented fields, and go to the framing page only", () => {
  assert.equal(API_VERSION, 1);
  assert.deepEqual(readyMessage("0.1.0"), { type: "podplay:ready", apiVersion: 1, version: "0.1.0" });
  assert.deepEqual(resizeMessage(640), { type: "podplay:resize", height: 640 });
  const sent = [];
  const parent = { postMessage: (msg, target) => sent.push({ msg, target }) };
  assert.equal(tellParent(resizeMessage(640), { parent: () => parent }), true);
  assert.deepEqual(sent, [{ msg: { type: "podplay:resize", height: 640 }, target: "*" }]);
  assert.equal(tellParent(resizeMessage(1), { parent: () => globalThis }), false, "not framed: the window is its own parent");
  assert.equal(tellParent(resizeMessage(1), { parent: () => null }), false);
  assert.equal(sent.length, 1);
});
