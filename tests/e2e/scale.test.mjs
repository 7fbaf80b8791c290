// The page at cluster scale, in headless Chromium: 1,000 probed pods on 10 nodes (the
// benchmark's `httpGet-1000` cluster, scripts/bench-cases.mjs). Only the lanes and the changes
// in view are in the DOM; a slider move, a click and a scroll are handled quickly; the
// interaction latencies are measured and printed (docs/figures.md), asserted only as generous
// bounds (the machine runs other work beside the tests).
// Run: node --test tests/e2e/scale.test.mjs   (after `scripts/test.sh build`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { open, page, rendered, settled, setUp, shots } from "./harness.mjs";
import { probedCluster } from "../../scripts/bench-cases.mjs";

setUp({ name: "scale", contextOptions: { acceptDownloads: true } });

const PODS = 1000;
const CLUSTER = probedCluster(PODS / 100, PODS, "httpGet");

// Starts recording the page's long tasks (over 50 ms on its main thread).
const watchLongTasks = () => page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: "longtask" });
});
const longTasks = () => page.evaluate(() => window.__long.splice(0));

// From an input event dispatched in the page to the next frame after its handler: the page's own
// answer to an input (what the reader waits for before the slider, the lanes and the table move).
const frameAfter = (selector, fire) => page.evaluate(async ({ selector, fire }) => {
  const el = document.querySelector(selector);
  const started = performance.now();
  if (fire === "click") el.click();
  else el.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - started;
}, { selector, fire });

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

test("1,000 pods: only the rows in view are drawn; slider moves, clicks and scrolls are answered within a frame or two", async () => {
  await open();
  await watchLongTasks();
  const started = Date.now();
  await page.evaluate((y) => window.podplay.setYaml(y), CLUSTER);
  await settled();
  const firstViewMs = Date.now() - started;
  const firstLong = await longTasks();

  // Every pod has its lanes, but only those in view are in the DOM.
  const lanes = await page.locator("#lanes .lane").count();
  assert.ok(lanes > 0 && lanes < 200, `${lanes} lanes in the DOM`);
  const rows = await page.locator("#changes tbody tr:not(.spacer)").count();
  assert.ok(rows > 0 && rows < 200, `${rows} change rows in the DOM`);
  const changes = await page.evaluate(() => window.podplay.simulation.timeline.length);
  assert.ok(changes > 5000, `${changes} changes`);
  // kubectl's whole output is the pane's, drawn a screenful of lines at a time.
  assert.match(await page.locator("#get-pods").evaluate((e) => e.fullText), /web-999\s+1\/1\s+Running/);
  for (const pane of ["#get-pods", "#events"]) {
    const drawn = await page.locator(`${pane} .text-lines`).textContent();
    assert.ok(drawn.split("\n").length < 200, `${pane}: ${drawn.split("\n").length} lines in the DOM`);
  }

  // Slider moves: each answered by the next frame; the panes follow from the worker.
  const slider = [];
  for (let s = 10; s <= 290; s += 20) {
    await page.evaluate((s) => { document.getElementById("cursor").value = String(s); }, s);
    slider.push(await frameAfter("#cursor", "input"));
  }
  await rendered(290_000);
  await settled();
  assert.equal(await page.locator(".slider-row output").innerText(), "4m50s");

  // Clicks on "next change": the cursor, the lanes' cursor line and the table move.
  const clicks = [];
  for (let i = 0; i < 10; i++) clicks.push(await frameAfter("#prev-change", "click"));
  await settled();

  // Scrolling the lanes draws the rows that come into view.
  const scrolls = [];
  for (let i = 1; i <= 10; i++) {
    scrolls.push(await page.evaluate(async (i) => {
      const box = document.querySelector(".lanes-viewport");
      const t = performance.now();
      box.scrollTop = box.scrollHeight * i / 11;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t;
    }, i));
  }
  // Far down, other lanes than the first ones are drawn (the last are the Service's endpoint
  // lanes, one per pod).
  const far = await page.locator("#lanes .lane-name").allInnerTexts();
  assert.ok(far.length > 0 && !far.includes("web-0") && far.some((n) => n.startsWith("svc/web ∋ ")), `after scrolling, the lanes shown: ${far.slice(0, 5)}`);
  // A seek: from the cursor's move to every pane drawn at the new time (the engine answers
  // kubectl's views of 1,000 pods from its worker).
  const seeks = [];
  for (const s of [60, 120, 180, 240]) seeks.push(await page.evaluate((s) => { const t = performance.now(); return window.podplay.setCursor(s).then(() => performance.now() - t); }, s));
  // Playback at 60×, then pause: the page stops and draws the paused time at once, however
  // many frames' views the engine was asked for while playing.
  await page.evaluate(() => window.podplay.setCursor(0));
  await page.selectOption("#speed", "60");
  await page.click("#play");
  await page.waitForTimeout(1500);
  const pauseMs = await page.evaluate(async () => {
    const t = performance.now();
    document.getElementById("play").click();
    while (window.podplay.playing || window.podplay.drawing || window.podplay.renderedMs !== window.podplay.cursorMs) await new Promise((r) => setTimeout(r, 5));
    return performance.now() - t;
  });
  const pausedAt = await page.evaluate(() => window.podplay.cursorMs);
  assert.ok(pausedAt > 0, "playback moved the cursor");
  const laterLong = await longTasks();

  await page.screenshot({ path: join(shots, "scale-1000-pods.png") });
  const f = (xs) => `median ${Math.round(median(xs))} ms, max ${Math.round(Math.max(...xs))} ms`;
  console.log(`# 1,000 pods (${changes} changes): first view ${firstViewMs} ms (long tasks ${firstLong.join(", ") || "none"}); slider ${f(slider)}; click ${f(clicks)}; lane scroll ${f(scrolls)}; seek to the panes drawn ${f(seeks)}; pause at 60× to the panes drawn ${Math.round(pauseMs)} ms; long tasks after ${laterLong.join(", ") || "none"}`);
  // Generous bounds (the figures above are what this machine measures; docs/figures.md).
  assert.ok(median(slider) < 200, `slider: ${slider}`);
  assert.ok(median(clicks) < 200, `clicks: ${clicks}`);
  assert.ok(median(scrolls) < 200, `scrolls: ${scrolls}`);
  assert.ok(median(seeks) < 3000, `seeks: ${seeks}`);
  assert.ok(pauseMs < 3000, `pause: ${pauseMs}`);
});

test("1,000 pods: picking a pod in a far lane shows it in the panes; the exports draw every lane", async () => {
  await open();
  await page.evaluate((y) => window.podplay.setYaml(y), CLUSTER);
  await settled();
  // Scroll down the lanes, a box at a time, until web-999's own lane is drawn.
  const found = await page.evaluate(async () => {
    const box = document.querySelector(".lanes-viewport");
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let top = 0; top < box.scrollHeight; top += box.clientHeight) {
      box.scrollTop = top;
      await frame();
      if ([...box.querySelectorAll(".lane-name")].some((b) => b.textContent === "web-999")) return true;
    }
    return false;
  });
  assert.ok(found, "web-999's lane was drawn on the way down");
  await page.click("#lanes .lane-name:text-is('web-999')");
  await page.waitForFunction(() => document.getElementById("describe-cmd").textContent === "kubectl describe pod web-999");
  await settled();
  assert.match(await page.locator("#describe").innerText(), /^Name:\s+web-999$/m);
  // Still scrolled to the end, the picked lane pressed.
  assert.equal(await page.getAttribute("#lanes .lane-name:text-is('web-999')", "aria-pressed"), "true");

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-svg")]);
  const svg = await readFile(await download.path(), "utf8");
  for (const name of ["web-0", "web-500", "web-999"]) assert.ok(svg.includes(`>${name}<`), `${name} in the SVG`);
  assert.equal(await page.locator(".lanes-export").count(), 0, "the export's off-screen lanes are gone");
});

test("screenshots at 375 px and 1440 px, light and dark: the 1,000-pod view and an embed; nothing overflows at 375 px", async () => {
  const shoot = async (name) => {
    for (const width of [375, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      for (const scheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme: scheme });
        await settled();
        await page.screenshot({ path: join(shots, `${name}-${width}-${scheme}.png`), fullPage: true });
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name}: the page is ${overflow} px wider than the ${width} px viewport`);
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1400, height: 1000 });
  };
  await open();
  await page.evaluate((y) => window.podplay.setYaml(y), CLUSTER);
  await page.evaluate(() => window.podplay.setCursor(130));
  await settled();
  await shoot("scale-1000-pods");
  await open("?embed&panes=timeline,pods,describe&t=130");
  await settled();
  await shoot("embed-timeline-pods-describe");
});
