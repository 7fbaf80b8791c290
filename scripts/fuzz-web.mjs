// A mutation fuzzer for the page's two entrances from outside (SECURITY.md): the share link's
// fragment (link.js `inspectLink`) and the postMessage handler (embed.js `installMessageApi`,
// through `readMessage` and a fake window). Seeded from real links of every bundled scenario and
// from every documented message, it mutates them (bytes of the base64 flipped, cut, doubled;
// fields repeated, emptied, made huge; zip bombs; prototype keys, getters that throw, odd types)
// and checks what the page relies on (a message as a listener receives it: structured-cloned):
//
// * link: inspectLink resolves (never rejects) to {fields, problems}; fields holds only
//   yaml/scenario/until/t/broken; a yaml is at most MAX_YAML_BYTES of UTF-8; a t is a finite
//   number ≥ 0; a link whose YAML could not be read is `broken` and says why.
// * message: the handler calls the api only with documented shapes and types, answers only the
//   sender with only {type, id?, stdout, stderr, exitCode}, never throws, and nothing reaches
//   Object.prototype.
//
// Every input must finish within 1 s. Prints executions, failures and slow inputs; failing
// inputs go to target/fuzz/<target>/. Usage: node scripts/fuzz-web.mjs link|message SECONDS [SEED]

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { inspectLink, makeLink, MAX_YAML_BYTES, toBase64Url } from "../web/src/link.js";
import { installMessageApi } from "../web/src/embed.js";

const [target, secondsText = "60", seedText = "1"] = process.argv.slice(2);
if (!["link", "message"].includes(target)) {
  console.error("usage: node scripts/fuzz-web.mjs link|message SECONDS [SEED]");
  process.exit(2);
}
const budgetMs = Number(secondsText) * 1000;

// SplitMix64, as the Rust fuzzer's (podplay-k8s-util's rand), on BigInt.
let state = BigInt(seedText) & 0xffffffffffffffffn;
function next() {
  state = (state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  return z ^ (z >> 31n);
}
const below = (n) => Number(next() % BigInt(n));
const pick = (list) => list[below(list.length)];

const outDir = `target/fuzz/${target}`;
mkdirSync(outDir, { recursive: true });
let failures = 0;
function fail(input, why) {
  failures += 1;
  const file = `${outDir}/failure-${failures}.txt`;
  writeFileSync(file, `${why}\n---\n${typeof input === "string" ? input : JSON.stringify(input, null, 1)}\n`);
  console.error(`${target}: ${why} (input in ${file})`);
}

// ---- link ----

const scenarios = readdirSync("tests/scenarios").filter((f) => f.endsWith(".yaml")).map((f) => readFileSync(`tests/scenarios/${f}`, "utf8"));
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ODD = ["", "=", "%", "%zz", "&", "#", "+", " ", "\u0000", "é", "🚀", "\u202e", "=".repeat(5), "A".repeat(3)];

async function linkSeeds() {
  const seeds = [];
  for (const yaml of scenarios) {
    seeds.push(await makeLink({ yaml, until: pick(["90s", "1h", "", "zz"]), t: pick([0, 12.5, 3600]) }));
    seeds.push("#yaml=" + toBase64Url(new TextEncoder().encode(yaml)) + "&t=5");
  }
  seeds.push(await makeLink({ scenario: "liveness-exec", until: "2m" }));
  // A zip bomb: a few KB that inflate past the cap.
  seeds.push(await makeLink({ yaml: "a".repeat(MAX_YAML_BYTES + 10) }));
  return seeds;
}

function mutateLink(hash) {
  const s = hash;
  const i = below(s.length + 1);
  const j = Math.min(s.length, i + below(40));
  switch (below(9)) {
    case 0: return s.slice(0, i); // cut short
    case 1: return s.slice(0, i) + pick(B64) + s.slice(i + 1); // a base64 character changed
    case 2: return s.slice(0, i) + s.slice(j); // a piece removed
    case 3: return s.slice(0, i) + s.slice(i, j) + s.slice(i); // a piece doubled
    case 4: return s.slice(0, i) + pick(ODD) + s.slice(i);
    case 5: return s + pick(["&z=", "&yaml=", "&t=", "&until=", "&scenario="]) + pick(["", "x", "-1", "1e999", "NaN", "%00", "A".repeat(below(4) * 1000)]);
    case 6: return "#" + pick(["z", "yaml", "t", "until", "scenario", "__proto__", "constructor"]) + "=" + s.slice(i, j);
    case 7: return s.replace(/z=/, "yaml=");
    default: return "#z=" + "A".repeat(below(3) ? below(200) : 400_000); // empty, small, over the cap
  }
}

const LINK_FIELDS = new Set(["yaml", "scenario", "until", "t", "broken"]);
async function checkLink(hash) {
  let result;
  try {
    result = await inspectLink(hash);
  } catch (e) {
    return `inspectLink threw ${e && e.stack ? e.stack : e}`;
  }
  const { fields, problems } = result ?? {};
  if (!fields || !Array.isArray(problems)) return "no {fields, problems}";
  for (const key of Object.keys(fields)) if (!LINK_FIELDS.has(key)) return `unknown field ${key}`;
  if (fields.yaml !== undefined) {
    if (typeof fields.yaml !== "string") return "yaml is not a string";
    if (new TextEncoder().encode(fields.yaml).length > MAX_YAML_BYTES) return "yaml over the cap";
    if (fields.broken) return "both yaml and broken";
  }
  if (fields.t !== undefined && !(Number.isFinite(fields.t) && fields.t >= 0)) return `t is ${fields.t}`;
  if (fields.broken && !problems.some((p) => p.field === "yaml" && typeof p.message === "string" && p.message)) return "broken without saying why";
  for (const p of problems) if (typeof p.message !== "string" || !p.message) return "a problem without words";
  return null;
}

// ---- message ----

const DOCUMENTED = [
  { type: "podplay:load", yaml: scenarios[0] },
  { type: "podplay:seek", t: 12 },
  { type: "podplay:play" },
  { type: "podplay:pause" },
  { type: "podplay:get", command: "get pods" },
  { type: "podplay:get", command: "describe pod web", id: "q1" },
  { type: "podplay:get", command: "logs web", id: 7 },
];
const ODD_VALUES = [undefined, null, true, 0, -1, NaN, Infinity, -0, 1e308, "", "x".repeat(1001), "x".repeat(201), [], {}, [1], () => 1, Symbol("s"), 10n, new Date(0)];
const KEYS = ["type", "yaml", "t", "command", "id", "__proto__", "constructor", "prototype", "toString", "then"];

function mutateMessage(seed) {
  let m = below(8) === 0 ? pick(ODD_VALUES) : { ...seed };
  if (m === null || typeof m !== "object") return m;
  for (let n = below(3) + 1; n > 0; n--) {
    const key = pick(KEYS);
    const step = below(6);
    // A step that meets an earlier getter (or a frozen value) is skipped: the input stays odd.
    try { mutateOnce(step, key); } catch { /* kept as it is */ }
  }
  return m;

  function mutateOnce(step, key) {
    switch (step) {
      case 0: delete m[key]; break;
      case 1: m[key] = pick(ODD_VALUES); break;
      case 2: Object.defineProperty(m, key, { get() { throw new Error("a getter that throws"); }, enumerable: true, configurable: true }); break;
      case 3: Object.setPrototypeOf(m, { type: "podplay:get", command: "get pods" }); break; // inherited fields
      case 4: m = JSON.parse(`{"__proto__": {"polluted": 1}, "type": ${JSON.stringify(pick(DOCUMENTED).type)}, "command": "get pods"}`); break;
      default: m.type = pick([...DOCUMENTED.map((d) => d.type), "podplay:GET", "podplay:load ", "", 5]);
    }
  }
}

// The handler under a fake window: a parent frame, another frame, and the api it calls.
function messageHarness() {
  const listeners = [];
  globalThis.addEventListener = (type, fn) => type === "message" && listeners.push(fn);
  const parent = { posted: [], postMessage(msg, opts) { this.posted.push({ msg, opts }); } };
  const stranger = { posted: [], postMessage(msg, opts) { this.posted.push({ msg, opts }); } };
  const calls = [];
  const api = {
    load: (yaml) => calls.push(["load", yaml]),
    seek: (t) => calls.push(["seek", t]),
    play: () => calls.push(["play"]),
    pause: () => calls.push(["pause"]),
    get: (command) => (calls.push(["get", command]), { stdout: "out", stderr: "", exitCode: 0 }),
  };
  installMessageApi(api, { parent: () => parent });
  return { deliver: (data, source) => listeners.forEach((fn) => fn({ data, source, origin: "https://course.example" })), parent, stranger, calls };
}
const harness = target === "message" ? messageHarness() : null;

// What a listener receives: the structured clone of what was posted (no getters, functions,
// symbols or prototypes survive it); what cannot be cloned is refused by the sender's postMessage.
function received(data) {
  try {
    return { data: structuredClone(data) };
  } catch {
    return null;
  }
}

function checkMessage(posted) {
  const delivery = received(posted);
  if (!delivery) return null;
  const { data } = delivery;
  const { parent, stranger, calls } = harness;
  calls.length = 0;
  parent.posted.length = 0;
  stranger.posted.length = 0;
  try {
    harness.deliver(data, stranger);
    if (calls.length || stranger.posted.length || parent.posted.length) return "a message from another window was acted on";
    harness.deliver(data, parent);
  } catch (e) {
    return `the handler threw ${e && e.stack ? e.stack : e}`;
  }
  if ({}.polluted !== undefined || Object.prototype.polluted !== undefined) return "Object.prototype was changed";
  for (const [name, arg] of calls) {
    const ok = { load: typeof arg === "string", seek: Number.isFinite(arg) && arg >= 0, play: arg === undefined, pause: arg === undefined, get: typeof arg === "string" && arg.length <= 1000 }[name];
    if (!ok) return `api.${name} called with ${String(arg).slice(0, 40)}`;
  }
  if (stranger.posted.length) return "a reply went to another window";
  for (const { msg } of parent.posted) {
    const keys = Object.keys(msg).sort().join();
    if (keys !== "exitCode,stderr,stdout,type" && keys !== "exitCode,id,stderr,stdout,type") return `a reply with keys ${keys}`;
    if (msg.type !== "podplay:result") return "a reply of another type";
  }
  if (parent.posted.length > 1) return "several replies to one message";
  return null;
}

function describe(data) {
  try {
    return JSON.stringify(data, (k, v) => (typeof v === "bigint" || typeof v === "symbol" || typeof v === "function" ? String(v) : v)) ?? String(data);
  } catch {
    try {
      return String(data);
    } catch {
      return Object.prototype.toString.call(data);
    }
  }
}

// ---- the loop ----

const started = Date.now();
let executions = 0;
let slow = 0;
let slowest = 0;
const seeds = target === "link" ? await linkSeeds() : DOCUMENTED;
while (Date.now() - started < budgetMs) {
  const input = target === "link" ? mutateLink(pick(seeds)) : mutateMessage(pick(seeds));
  const t0 = performance.now();
  const why = target === "link" ? await checkLink(input) : checkMessage(input);
  const ms = performance.now() - t0;
  executions += 1;
  slowest = Math.max(slowest, ms);
  if (ms > 1000) {
    slow += 1;
    fail(target === "link" ? input : describe(input), `slow: ${Math.round(ms)} ms`);
  }
  if (why) fail(target === "link" ? input : describe(input), why);
}
console.log(`${target}: ${executions} executions in ${Math.round((Date.now() - started) / 1000)} s, ${failures - slow} failures, ${slow} over 1 s (slowest ${slowest.toFixed(1)} ms)`);
process.exit(failures ? 1 : 0);
