// Untrusted text in the built page (SECURITY.md): markup fed in through a share link, a pod
// name, a log line, an event message and postMessage is shown as text and never runs, and the
// embed's message API takes only its documented messages, from the page that frames it.
// "Nothing runs" is checked three ways: no payload set its marker on window, no element or
// on* attribute of a payload is in the document, and no Content-Security-Policy violation was
// reported (markup that got into the DOM and tried to run would be refused and reported).
// Run: node --test tests/e2e/security.test.mjs   (after `scripts/test.sh build`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { context, newPage, open, page, ready, replaceYaml, seek, server, setUp } from "./harness.mjs";
import { compressText } from "../../web/src/link.js";
import { shellWord } from "../../web/src/terminal.js";

// Each payload sets window.__pwned to its own name if it ever runs.
const NAME = "<img src=x onerror=window.__pwned='name'>";
const LOG = "<script>window.__pwned='log'</script>";
const LOG2 = "<svg onload=window.__pwned='svg'>";
const EVENT = "<img src=y onerror=window.__pwned='event'>";
const ESC = "\\u001b]0;retitled\\u0007"; // YAML's escape: a terminal control sequence in a log line
const PAYLOAD_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: "${NAME}"
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo \\"${LOG}\\"; echo \\"${LOG2}\\"; echo \\"${ESC}\\"; sleep 3600"]
    livenessProbe:
      exec:
        command: ["sh", "-c", "echo \\"${EVENT}\\"; exit 1"]
      periodSeconds: 5
      failureThreshold: 100
`;

// The parent page: an embed it frames, a sibling frame of its own, and helpers to post from each.
const PARENT_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>parent</title></head>
<body><iframe id="pp" title="podplay" src="./?embed&panes=pods,logs,events,timeline" width="900" height="600"></iframe>
<iframe id="sib" title="another frame on the page"></iframe>
<script>
  window.replies = [];
  addEventListener("message", (e) => { if (e.data?.type === "podplay:result") window.replies.push({ from: e.source === document.getElementById("pp").contentWindow ? "pp" : "other", data: e.data }); });
  const pp = () => document.getElementById("pp").contentWindow;
  window.tell = (msg) => pp().postMessage(msg, "*");
  window.tellRaw = (json) => pp().postMessage(JSON.parse(json), "*");
  // Posted by the sibling frame's own code (its window is the message's source).
  window.tellFromSibling = (msg) => {
    const sib = document.getElementById("sib").contentWindow;
    sib.__msg = msg;
    sib.__replies = [];
    sib.addEventListener("message", (e) => sib.__replies.push(e.data));
    sib.eval("parent.frames[0].postMessage(window.__msg, '*')");
  };
</script></body></html>`;

setUp({ name: "security", extra: { "e2e-sec-parent.html": PARENT_HTML }, contextOptions: { acceptDownloads: true } });

// Records CSP violations from before the page's first script, in the page and its frames.
const RECORD = () => {
  window.__violations = [];
  addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`), true);
};

// What a payload would leave behind, in a page or frame: its marker, its elements, on* attributes.
async function traces(target) {
  return target.evaluate(() => {
    const handlers = [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)));
    return {
      pwned: window.__pwned ?? null,
      elements: document.querySelectorAll("img, svg, iframe, object, embed, script:not([src])").length,
      handlers: handlers.map((el) => el.outerHTML.slice(0, 80)),
      violations: window.__violations ?? ["(not recorded)"],
      polluted: Object.keys(Object.prototype).concat("x" in {} ? ["x"] : []),
    };
  });
}
const CLEAN = { pwned: null, elements: 0, handlers: [], violations: [], polluted: [] };

async function openRecorded(suffix) {
  await newPage();
  await page.addInitScript(RECORD);
  await page.goto(server.url + suffix);
  await ready();
}

test("a link: markup in its scenario, until and t, and in the YAML it carries, is shown as text and never runs", async () => {
  const z = await compressText(PAYLOAD_YAML);
  const bad = encodeURIComponent(NAME);
  await openRecorded(`#z=${z}&scenario=${encodeURIComponent(LOG)}&until=${bad}&t=${encodeURIComponent(EVENT)}`);
  const notice = page.locator('.notice[data-notice="link"] p');
  const said = await notice.innerText();
  assert.ok(said.includes(`"${LOG}"`), said);
  assert.ok(said.includes(`until=${NAME}`), said);
  assert.ok(said.includes(`t=${EVENT}`), said);
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), PAYLOAD_YAML);
  assert.equal(await page.evaluate(() => window.podplay.simulation.ok), true);
  assert.equal(await page.locator(".lane-name").first().textContent(), NAME);
  assert.deepEqual(await traces(page), CLEAN);
  // An unknown scenario alone: the link cannot be shown; its name is still text.
  await openRecorded(`#scenario=${encodeURIComponent(LOG2)}`);
  assert.ok((await page.locator('.notice[data-notice="link"] p').innerText()).includes(`"${LOG2}"`));
  assert.deepEqual(await traces(page), CLEAN);
});

test("a pod name, a log line and an event message with markup are text in every pane, the terminal and the exports", async () => {
  await openRecorded("");
  await replaceYaml(PAYLOAD_YAML);
  await seek(30);
  const sim = await page.evaluate(() => window.podplay.simulation);
  assert.deepEqual(sim.pods, [NAME]);
  assert.ok(sim.timeline.some((c) => c.summary.includes(`Liveness probe failed: ${EVENT}`)), "the engine wrote the event");
  // The lanes, the panes and the table hold the payloads as text.
  assert.equal(await page.locator(".lane-name").first().textContent(), NAME);
  assert.ok((await page.locator("#get-pods").textContent()).includes(`\n${NAME}   1/1`));
  const logs = await page.locator("#logs").textContent();
  assert.ok(logs.includes(LOG) && logs.includes(LOG2), logs);
  assert.ok((await page.locator("#events").textContent()).includes(`Liveness probe failed: ${EVENT}`));
  assert.ok((await page.locator("#describe").textContent()).includes(`Name:             ${NAME}`));
  assert.equal(await page.locator("#logs-cmd").textContent(), `kubectl logs ${shellWord(NAME)}`);
  assert.ok((await page.locator("#changes").textContent()).includes(EVENT));
  assert.ok((await page.locator(".track").first().getAttribute("aria-label")).startsWith(NAME));
  // The terminal: the name completes and prints as text.
  await page.click("#kubectl-cmd");
  await page.keyboard.type("describe pod <");
  await page.keyboard.press("Tab");
  // Completed as one quoted word, so that it runs as the pod's name.
  assert.equal(await page.locator("#kubectl-cmd").inputValue(), `describe pod ${shellWord(NAME)} `);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#kubectl-out .term-entry");
  assert.ok((await page.locator("#kubectl-out .term-out").first().textContent()).includes(`Name:             ${NAME}`));
  await page.fill("#kubectl-cmd", "logs \"" + NAME + "\"");
  await page.press("#kubectl-cmd", "Enter");
  await page.waitForFunction(() => document.querySelectorAll("#kubectl-out .term-entry").length === 2);
  assert.ok((await page.locator("#kubectl-out").textContent()).includes(LOG));
  assert.deepEqual(await traces(page), CLEAN);

  // The SVG: well-formed, no element or attribute came from the payloads, which are its text.
  const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.click("#export-svg")]);
  const svg = await readFile(await svgDownload.path(), "utf8");
  const parsed = await page.evaluate((s) => {
    const doc = new DOMParser().parseFromString(s, "image/svg+xml");
    const all = [...doc.querySelectorAll("*")];
    return {
      error: doc.querySelector("parsererror")?.textContent ?? null,
      tags: [...new Set(all.map((e) => e.localName))].sort(),
      handlers: all.filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
      names: [...doc.querySelectorAll("g[data-name]")].map((g) => g.getAttribute("data-name")),
      titles: [...doc.querySelectorAll("title")].map((t) => t.textContent),
    };
  }, svg);
  assert.equal(parsed.error, null);
  // (defs, linearGradient and stop: the hatching of the False bands, as the page draws it.)
  assert.deepEqual(parsed.tags, ["defs", "g", "linearGradient", "rect", "stop", "svg", "text", "title"]);
  assert.equal(parsed.handlers, 0);
  assert.equal(parsed.names[0], NAME);
  assert.ok(parsed.titles.some((t) => t.includes(EVENT)), parsed.titles.join("\n"));
  // The transcript: plain text with the payloads as they are, the control sequence made visible.
  const [txDownload] = await Promise.all([page.waitForEvent("download"), page.click("#export-transcript")]);
  const tx = await readFile(await txDownload.path(), "utf8");
  assert.ok(tx.includes(LOG) && tx.includes(LOG2) && tx.includes(EVENT) && tx.includes(NAME));
  assert.ok(tx.includes("\\u001B]0;retitled\\u0007"), "the escape sequence as text");
  assert.doesNotMatch(tx, /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/, "no control character but tab and newline");
  assert.deepEqual(await traces(page), CLEAN);
});

test("postMessage: markup in a loaded YAML and in a command stays text; other shapes, __proto__ and other senders are ignored", async () => {
  await newPage();
  await page.addInitScript(RECORD);
  await page.goto(server.url + "e2e-sec-parent.html");
  const frame = page.frames().find((f) => f.url().includes("embed"));
  await frame.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  const yamlOf = () => frame.evaluate(() => window.podplay.getYaml());
  const original = await yamlOf();

  // Not documented shapes: nothing happens (and nothing is answered).
  const junk = [
    '{"__proto__": {"type": "podplay:load", "yaml": "kind: Pod"}}',
    '{"type": "podplay:load", "yaml": {"toString": "x"}}',
    '{"type": "podplay:load", "yaml": ["kind: Pod"]}',
    '{"type": "podplay:seek", "t": "20"}',
    '{"type": "podplay:get", "command": ["get", "pods"]}',
    '{"type": "podplay:get", "command": "get pods", "id": {"x": 1}}',
    '{"type": "podplay:evil", "yaml": "x"}',
    '{"type": "podplay:get", "command": "get pods", "constructor": {"prototype": {"x": 1}}, "__proto__": {"x": 1}}',
  ];
  for (const json of junk) await page.evaluate((j) => window.tellRaw(j), json);
  await page.evaluate(() => window.tell(["podplay:play"]));
  await page.evaluate(() => window.tell("podplay:play"));
  // The last junk message is a documented get with extra keys: answered, with the documented fields only.
  await page.waitForFunction(() => window.replies.length === 1);
  assert.deepEqual(Object.keys((await page.evaluate(() => window.replies[0])).data).sort(), ["exitCode", "stderr", "stdout", "type"]);
  assert.equal(await yamlOf(), original);
  assert.equal(await frame.evaluate(() => window.podplay.playing), false);

  // Another frame of the same page is not the parent: ignored, not answered.
  await page.evaluate(() => window.tellFromSibling({ type: "podplay:load", yaml: "kind: Pod\nmetadata: {name: sibling}\n" }));
  await page.evaluate(() => window.tellFromSibling({ type: "podplay:get", command: "get pods", id: "sib" }));
  await page.waitForTimeout(300);
  assert.equal(await yamlOf(), original);
  assert.deepEqual(await page.evaluate(() => document.getElementById("sib").contentWindow.__replies), []);
  assert.equal(await page.evaluate(() => window.replies.length), 1);

  // The parent's documented messages: the payload YAML loads and shows as text; a command with markup is answered as text.
  await page.evaluate((yaml) => window.tell({ type: "podplay:load", yaml }), PAYLOAD_YAML);
  await page.evaluate(() => window.tell({ type: "podplay:seek", t: 30 }));
  await frame.locator("#cursor-text", { hasText: /^30s$/ }).waitFor({ state: "attached" });
  // The panes follow from the engine's worker: wait until they show 30 s of the loaded YAML.
  await frame.waitForFunction(() => window.podplay.renderedMs === 30000 && window.podplay.simulatedYaml === window.podplay.getYaml() && !window.podplay.drawing);
  assert.equal(await yamlOf(), PAYLOAD_YAML);
  assert.ok((await frame.locator("#logs").textContent()).includes(LOG));
  await page.evaluate((c) => window.tell({ type: "podplay:get", command: c, id: "q" }), `get pods ${shellWord(LOG2)}`);
  await page.waitForFunction(() => window.replies.length === 2);
  const reply = await page.evaluate(() => window.replies[1]);
  assert.equal(reply.from, "pp");
  assert.equal(reply.data.id, "q");
  assert.ok(reply.data.stderr.includes(LOG2), reply.data.stderr);

  // A YAML over the limit is refused, and the embed says so.
  await page.evaluate(() => window.tell({ type: "podplay:load", yaml: "# " + "x".repeat(300 * 1024) + "\n" }));
  await frame.waitForSelector('.notice[data-notice="message"]');
  assert.match(await frame.locator('.notice[data-notice="message"] p').innerText(), /A YAML of 300 KB sent by the page around this playground was not loaded: podplay opens YAML up to 256 KB\./);
  assert.equal(await yamlOf(), PAYLOAD_YAML);

  assert.deepEqual(await traces(frame), CLEAN);
  assert.deepEqual((await traces(page)).polluted, []);
});

test("a window that opened the embed (not framing it) is not listened to", async () => {
  await newPage();
  await page.goto(server.url + "e2e-sec-parent.html");
  const [popup] = await Promise.all([
    context.waitForEvent("page"),
    page.evaluate((url) => { window.popup = window.open(url + "?embed&panes=pods"); }, server.url),
  ]);
  await popup.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  const before = await popup.evaluate(() => window.podplay.getYaml());
  await page.evaluate(() => {
    window.popup.postMessage({ type: "podplay:load", yaml: "kind: Pod\nmetadata: {name: opener}\n" }, "*");
    window.popup.postMessage({ type: "podplay:get", command: "get pods", id: 1 }, "*");
  });
  await page.waitForTimeout(400);
  assert.equal(await popup.evaluate(() => window.podplay.getYaml()), before);
  assert.equal(await page.evaluate(() => window.replies.length), 0);
  await popup.close();
});
