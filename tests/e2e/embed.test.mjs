// Browser tests of the embed API as a course page uses it (docs/embed.md): a parent page served
// from another origin (a second server on another port) frames the playground, waits for
// 'podplay:ready', sizes the iframe from 'podplay:resize', posts messages the moment the iframe
// fires 'load', and uses readonly, hide= and autoplay.
// Run: node --test tests/e2e/embed.test.mjs   (after the build layer)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { newPage, open, otherServer, page, root, scenario, server, setUp, shots } from "./harness.mjs";

const liveness = await scenario("liveness-exec");
const postStart = await scenario("poststart-ok");
const restartPolicies = await scenario("restart-policies");

// The course page. frameIt(src, {early, fixed, below}) frames the playground at `src`; `early`
// messages are posted as soon as the iframe fires 'load' (before the engine is ready); unless
// `fixed`, the iframe's height follows 'podplay:resize'; `below` px of lesson come before it. Every message from the frame is kept in
// `got`, with its origin.
const COURSE_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>course</title>
<style>body { margin: 0; padding-bottom: 2000px; } iframe { display: block; border: 0; width: 700px; height: 500px; }</style></head>
<body><p id="lesson">Read the lesson, then watch the pod.</p><iframe id="pp" title="podplay"></iframe>
<script>
  const frame = document.getElementById("pp");
  let target = "";
  let follow = true;
  window.got = [];
  addEventListener("message", (e) => {
    if (e.source !== frame.contentWindow) return;
    got.push({ data: e.data, origin: e.origin });
    if (e.data?.type === "podplay:resize" && follow) frame.style.height = e.data.height + "px";
  });
  window.frameIt = (src, { early = [], fixed = false, below = 0 } = {}) => {
    target = new URL(src).origin;
    follow = !fixed;
    document.getElementById("lesson").style.marginBottom = below + "px";
    got.length = 0;
    frame.style.height = "";
    frame.addEventListener("load", () => {
      window.readyAtLoad = got.some((m) => m.data?.type === "podplay:ready");
      for (const m of early) frame.contentWindow.postMessage(m, target);
    }, { once: true });
    frame.src = src;
  };
  window.tell = (msg) => frame.contentWindow.postMessage(msg, target);
</script></body></html>`;

// docs/embed.md's copy-paste snippet, as written, pointed at the playground's server.
const docs = await readFile(join(root, "docs", "embed.md"), "utf8");
const snippet = /```html\n([\s\S]*?)```/.exec(docs)[1];
const DOCS_SRC = "https://example.org/podplay/index.html";
assert.ok(snippet.includes(DOCS_SRC), "the snippet names the playground's URL");
const snippetPage = (playground) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>lesson</title></head>
<body>${snippet.replace(DOCS_SRC, playground.url)}</body></html>`;

setUp({ name: "embed", crossOrigin: { "course.html": COURSE_HTML, "snippet.html": snippetPage } });

// Opens the course page (on the other origin) and frames the playground with `query`; returns
// the playground's frame once it said it is ready.
async function course(query, options = {}) {
  if (!page) {
    await newPage();
    await page.goto(otherServer.url + "course.html");
  }
  await page.evaluate(([src, options]) => window.frameIt(src, options), [server.url + query, options]);
  await page.waitForFunction(() => window.got.some((m) => m.data?.type === "podplay:ready"), null, { timeout: 30000 });
  const frame = page.frames().find((f) => f.url().startsWith(server.origin));
  assert.ok(frame, "the playground's frame");
  return frame;
}

const messages = (type) => page.evaluate((type) => window.got.filter((m) => m.data?.type === type), type);

// The frame's content height, as the page measures it (embed-frame.js contentHeight).
const contentHeight = (frame) =>
  frame.evaluate(() => Math.ceil(Math.max(document.documentElement.getBoundingClientRect().height, document.body.scrollHeight)));

// Waits until the iframe is as tall as the playground's content (within a px) and returns it.
async function heightFollowed(frame, iframe = "#pp") {
  let last = null;
  for (const started = Date.now(); Date.now() - started < 10000; await new Promise((r) => setTimeout(r, 100))) {
    const outer = await page.evaluate((sel) => document.querySelector(sel).getBoundingClientRect().height, iframe);
    const inner = await contentHeight(frame);
    last = { outer, inner };
    if (Math.abs(outer - inner) <= 1) return outer;
  }
  assert.fail(`the iframe did not follow the content's height: ${JSON.stringify(last)}`);
}

const waitFrame = (frame, fn, arg) => frame.waitForFunction(fn, arg, { timeout: 15000 });

test("a course page on another origin waits for podplay:ready, then sizes the iframe from podplay:resize", async () => {
  const frame = await course("?embed&panes=timeline,pods,describe");
  const [ready] = await messages("podplay:ready");
  assert.equal(ready.origin, server.origin);
  assert.deepEqual(Object.keys(ready.data).sort(), ["apiVersion", "type", "version"]);
  assert.equal(ready.data.apiVersion, 1);
  assert.match(ready.data.version, /^\d+\.\d+\.\d+/);
  assert.equal(ready.data.version, await frame.evaluate(() => document.getElementById("version").textContent.replace("podplay ", "")));

  const first = await heightFollowed(frame);
  for (const m of await messages("podplay:resize")) {
    assert.deepEqual(Object.keys(m.data).sort(), ["height", "type"]);
    assert.ok(Number.isInteger(m.data.height) && m.data.height > 0, JSON.stringify(m.data));
  }
  // timeline, pods and describe fit a 700 px frame: the long describe scrolls inside its pane.
  assert.ok(first <= 700, `panes=timeline,pods,describe is ${first} px tall`);
  assert.equal(await frame.evaluate(() => document.scrollingElement.scrollHeight <= innerHeight + 1), true, "no scroll bar in the frame");
  await page.screenshot({ path: join(shots, "embed-course.png"), fullPage: true });

  // More pods, more lanes: the content grows, and the iframe with it.
  await page.evaluate((yaml) => window.tell({ type: "podplay:load", yaml }), restartPolicies);
  await waitFrame(frame, () => window.podplay.simulation?.pods?.length > 1 && !window.podplay.drawing);
  const grown = await heightFollowed(frame);
  assert.ok(grown > first + 40, `${grown} px after loading more pods, ${first} px before`);

  // Fewer panes: a smaller frame.
  const podsOnly = await course("?embed&panes=pods");
  const small = await heightFollowed(podsOnly);
  assert.ok(small < first - 200, `panes=pods is ${small} px, panes=timeline,pods,describe ${first} px`);
});

test("messages posted the moment the iframe fires load are kept until the engine is ready, then honoured in order", async () => {
  const early = [
    { type: "podplay:load", yaml: postStart },
    { type: "podplay:seek", t: 20 },
    { type: "podplay:get", command: "get pods", id: "at-load" },
  ];
  const frame = await course("?embed&panes=pods", { early });
  assert.equal(await page.evaluate(() => window.readyAtLoad), false, "the messages were posted before podplay:ready");
  await page.waitForFunction(() => window.got.some((m) => m.data?.type === "podplay:result"), null, { timeout: 15000 });
  const [result] = await messages("podplay:result");
  assert.equal(result.origin, server.origin);
  assert.equal(result.data.id, "at-load");
  assert.equal(result.data.exitCode, 0, result.data.stderr);
  assert.match(result.data.stdout, /^pod-poststart-ok\s+1\/1\s+Running\s+0\s+20s$/m);
  assert.equal(await frame.evaluate(() => window.podplay.getYaml()), postStart);
  assert.equal(await frame.evaluate(() => window.podplay.cursorMs), 20000);
  await frame.locator("#get-pods", { hasText: "pod-poststart-ok" }).waitFor();
});

test("readonly: the editor takes no typing, the terminal refuses changes and adds no step, nothing is saved", async () => {
  const frame = await course("?embed&readonly&panes=editor,timeline,kubectl&t=40", { fixed: true });
  const storage = () => frame.evaluate(() => Object.fromEntries(Object.keys(localStorage).sort().map((k) => [k, localStorage.getItem(k)])));
  assert.deepEqual(await storage(), {}, "opening it wrote nothing (no test before this one typed into a terminal)");
  // What this browser kept before: work of the reader's own, and a terminal history.
  const own = { yaml: "kind: Pod\nmetadata: {name: my-own-work}\n", until: "2m", t: 5 };
  await frame.evaluate((own) => {
    localStorage.setItem("podplay:work", JSON.stringify(own));
    localStorage.setItem("podplay:terminal-history", JSON.stringify(["get nodes"]));
  }, own);
  const kept = await storage();
  const url = frame.url();

  assert.equal(await frame.locator(".cm-content").getAttribute("contenteditable"), "false");
  await frame.click(".cm-content");
  await page.keyboard.type("xyz");
  await frame.evaluate(() => {
    const data = new DataTransfer();
    data.setData("text/plain", "kind: Pod\nmetadata: {name: pasted}\n");
    document.querySelector(".cm-content").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  assert.equal(await frame.evaluate(() => window.podplay.getYaml()), liveness, "neither typing nor a paste changed the YAML");
  assert.equal(await frame.locator("#until").getAttribute("readonly"), "", "Simulate for is read-only");
  await frame.click("#until");
  await page.keyboard.press("End");
  await page.keyboard.type("0");
  await page.keyboard.press("Enter");
  assert.equal(await frame.inputValue("#until"), "5m");
  assert.equal(await frame.locator("#reset").isHidden(), true);
  assert.equal(await frame.locator("#scenario").isDisabled(), true);
  assert.equal(await frame.locator("#drafts").isHidden(), true);

  const cmd = frame.locator("#kubectl-cmd");
  const run = async (line, entries) => {
    await cmd.fill(line);
    await cmd.press("Enter");
    await waitFrame(frame, (n) => document.querySelectorAll("#kubectl-out .term-entry").length >= n, entries);
    return frame.locator("#kubectl-out .term-entry").nth(entries - 1).innerText();
  };
  assert.match(await run("get pods", 1), /pod-live-exec\s+1\/1\s+Running/, "a command that reads still runs");
  const refusal = /this playground is read-only: this command would change the cluster, so it was not run/;
  assert.match(await run("delete pod pod-live-exec", 2), refusal);
  assert.match(await run("label pod pod-live-exec tier=web", 3), refusal);
  const looked = await run("exec pod-live-exec -- ls /", 4);
  assert.doesNotMatch(looked, refusal, "an exec that only looks runs");
  assert.match(looked, /changed nothing in the cluster/);
  // A pasted heredoc feeds `apply -f -`, which would create a pod: refused too.
  await frame.evaluate(() => {
    const data = new DataTransfer();
    data.setData("text/plain", "apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata: {name: pasted}\nspec:\n  containers: [{name: c, image: busybox}]\nEOF\n");
    document.getElementById("kubectl-cmd").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await waitFrame(frame, () => document.querySelectorAll("#kubectl-out .term-entry").length >= 5);
  assert.match(await frame.locator("#kubectl-out .term-entry").nth(4).innerText(), refusal);
  assert.equal(await frame.locator("#kubectl-out [data-step]").count(), 0, "no step");
  assert.equal(await frame.locator("#kubectl-out .term-undo").count(), 0);
  assert.equal(await frame.evaluate(() => window.podplay.getYaml()), liveness, "the YAML is unchanged");
  assert.deepEqual(await frame.evaluate(() => window.podplay.simulation.steps), []);

  // The course page still drives it; moving the time and playing save nothing either.
  await page.evaluate(() => window.tell({ type: "podplay:seek", t: 90 }));
  await waitFrame(frame, () => window.podplay.cursorMs === 90000);
  await frame.click("#next-change");
  await page.evaluate(() => window.tell({ type: "podplay:play" }));
  await waitFrame(frame, () => window.podplay.playing);
  await page.evaluate(() => window.tell({ type: "podplay:pause" }));
  await waitFrame(frame, () => !window.podplay.playing);
  await new Promise((r) => setTimeout(r, 600)); // past the page's save debounce (250 ms)
  assert.deepEqual(await storage(), kept, "localStorage is as it was");
  assert.equal(frame.url(), url, "the frame's URL is as it was");
});

test("hide= hides the named controls and ignores names it does not know", async () => {
  const frame = await course("?embed&panes=timeline&hide=until,export,link,speed,zoom,legend,library,nonsense");
  for (const id of ["until", "export-svg", "export-transcript", "copy-link", "speed", "zoom-in", "zoom-fit"]) {
    assert.equal(await frame.locator(`#${id}`).isHidden(), true, `#${id} hidden`);
  }
  assert.equal(await frame.locator(".legend").isHidden(), true, "the legend, redrawn with the lanes, stays hidden");
  for (const id of ["play", "next-change", "cursor", "lanes"]) assert.equal(await frame.locator(`#${id}`).isVisible(), true, `#${id} shown`);
  const hidden = await heightFollowed(frame);

  const all = await course("?embed&panes=timeline");
  for (const id of ["until", "export-svg", "copy-link", "speed", "zoom-in", "play"]) assert.equal(await all.locator(`#${id}`).isVisible(), true, `#${id} shown without hide=`);
  assert.equal(await all.locator(".legend").isVisible(), true);
  assert.ok((await heightFollowed(all)) > hidden, "the hidden controls took their room with them");

  const quiet = await course("?embed&panes=timeline,kubectl&hide=playback,help");
  for (const id of ["play", "prev-change", "speed", "until-help", "terminal-help"]) assert.equal(await quiet.locator(`#${id}`).isHidden(), true, `#${id} hidden`);
  assert.equal(await quiet.locator(".zoom .help").isHidden(), true);
  for (const id of ["until", "cursor", "zoom-in", "kubectl-cmd"]) assert.equal(await quiet.locator(`#${id}`).isVisible(), true, `#${id} shown`);
});

test("only an embed talks to the page that frames it: the full page, framed, posts neither ready nor resize", async () => {
  await newPage();
  await page.goto(otherServer.url + "course.html");
  await page.evaluate((src) => window.frameIt(src), server.url);
  const frame = await (await page.waitForSelector("#pp")).contentFrame();
  await frame.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  await frame.evaluate(() => window.podplay.setCursor(42)); // the page changes what it shows
  await new Promise((r) => setTimeout(r, 800));
  assert.deepEqual(await page.evaluate(() => window.got), []);
});

// The frame is half below the course page's fold: scrollIntoView would scroll the course page too.
test("autoplay brings the cursor and the lanes into the frame's view, then plays; the course page does not scroll", async () => {
  const frame = await course("?embed&panes=editor,timeline&autoplay&t=0", { fixed: true, below: 700 });
  await waitFrame(frame, () => window.podplay.cursorMs > 0);
  const view = await frame.evaluate(() => ({
    scrollY,
    height: innerHeight,
    slider: document.querySelector(".slider-row").getBoundingClientRect().toJSON(),
    lanes: document.getElementById("lanes").getBoundingClientRect().toJSON(),
  }));
  assert.ok(view.scrollY > 0, `the frame scrolled: ${JSON.stringify(view)}`);
  assert.ok(view.slider.top >= 0 && view.slider.bottom <= view.height, `the cursor is in view: ${JSON.stringify(view)}`);
  assert.ok(view.lanes.top >= 0 && view.lanes.top < view.height - 40, `the lanes are in view: ${JSON.stringify(view)}`);
  assert.equal(await page.evaluate(() => scrollY), 0, "the course page stays where it was");
});

test("docs/embed.md's snippet, served from another origin, waits for ready, sizes the iframe, loads, seeks and reads kubectl", async () => {
  await newPage();
  await page.goto(otherServer.url + "snippet.html");
  await page.locator("#kubectl-output", { hasText: "hello from the pod" }).waitFor({ timeout: 30000 });
  assert.match(await page.locator("#kubectl-output").innerText(), /^\$ kubectl logs hello\nhello from the pod\n?$/);
  const frame = page.frames().find((f) => f.url().startsWith(server.origin));
  assert.equal(await frame.evaluate(() => window.podplay.cursorMs), 30000);
  assert.equal(await frame.locator("#export-svg").isHidden(), true, "hide=export");
  assert.equal(await frame.locator("#copy-link").isHidden(), true, "hide=link");
  assert.match(await frame.locator("#get-pods").innerText(), /^hello\s+1\/1\s+Running/m);
  const height = await heightFollowed(frame, "#podplay");
  assert.notEqual(height, 400, "the iframe took the content's height, not the snippet's first 400 px");
});

test("readonly on the full page: the same locks, and neither the saved work nor the address bar is written", async () => {
  await open("?readonly#scenario=liveness-exec&t=40");
  const storage = () => page.evaluate(() => Object.fromEntries(Object.keys(localStorage).sort().map((k) => [k, localStorage.getItem(k)])));
  const kept = await storage();
  const url = page.url();
  assert.equal(await page.locator("#scenario").isDisabled(), true);
  assert.equal(await page.locator("#library-toggle").isHidden(), true);
  assert.equal(await page.locator("#reset").isHidden(), true);
  await page.click(".cm-content");
  await page.keyboard.type("xyz");
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), liveness);
  const cmd = page.locator("#kubectl-cmd");
  await cmd.fill("cordon node-1");
  await cmd.press("Enter");
  await page.locator("#kubectl-out .term-entry").first().waitFor();
  assert.match(await page.locator("#kubectl-out .term-entry").first().innerText(), /this playground is read-only/);
  await page.evaluate(() => window.podplay.setCursor(90));
  await page.click("#next-change");
  await new Promise((r) => setTimeout(r, 600)); // past the page's save debounce (250 ms)
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), liveness);
  assert.deepEqual(await storage(), kept);
  assert.equal(page.url(), url);
});
