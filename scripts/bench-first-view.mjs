// The page's first simulated view, measured in headless Chromium on the built dist/ served on
// 127.0.0.1: from the navigation's start to the moment the page says it is ready
// (`body[data-ready=true]`, set once the default scenario has been simulated and its lanes and
// panes drawn), each load in a fresh browser profile (nothing cached). Also the page's milestones
// on the way (the wasm downloaded; its User Timing marks: podplay:start, podplay:editor) and the
// bytes the load transferred.
//
//   scripts/test.sh build && node scripts/bench-first-view.mjs [RUNS] [--json FILE]
//
// Prints the median and the range; nothing here asserts a time.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, serveDist } from "./bench-browser.mjs";

const args = process.argv.slice(2);
const jsonAt = args.indexOf("--json");
const jsonFile = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : null;
const runs = Number(args[0] ?? 7);
const { server } = await serveDist();
const times = [];
const milestones = {};
let transferred = 0;
try {
  for (let i = 0; i < runs; i++) {
    const userDataDir = await mkdtemp(join(tmpdir(), "podplay-first-view-"));
    const context = await launchBrowser(userDataDir, { width: 1440, height: 900 });
    try {
      const page = await context.newPage();
      // The moment data-ready appears, on the page's own clock (no polling delay).
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (document.body?.dataset.ready === "true") {
            window.__podplayReadyAt = performance.now();
            observer.disconnect();
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
      });
      await page.goto(server.origin + "/");
      await page.waitForSelector("body[data-ready=true]");
      const r = await page.evaluate(() => ({
        ready: window.__podplayReadyAt,
        marks: Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("podplay:")).map((m) => [m.name.slice(8), m.startTime])),
        wasm: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.responseEnd,
        bytes: performance.getEntriesByType("resource").reduce((n, e) => n + (e.transferSize || 0), 0)
          + (performance.getEntriesByType("navigation")[0]?.transferSize ?? 0),
      }));
      times.push(r.ready);
      for (const [name, at] of Object.entries({ "wasm downloaded": r.wasm, ...r.marks })) (milestones[name] ??= []).push(at);
      transferred = r.bytes;
    } finally {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  }
} finally {
  await server.close();
}
const medianOf = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
times.sort((a, b) => a - b);
const median = times[times.length >> 1];
// The page's own milestones (User Timing marks in web/src/app.js), median ms after navigation.
const steps = Object.fromEntries(Object.entries(milestones).map(([name, xs]) => [name, medianOf(xs.filter((x) => x !== undefined))]));
console.log(`milestones (median ms after navigation): ${Object.entries(steps).map(([n, t]) => `${n} ${Math.round(t)}`).join(", ")}`);
console.log(`first simulated view: median ${median.toFixed(0)} ms (${times[0].toFixed(0)}–${times[times.length - 1].toFixed(0)} ms, ${runs} fresh loads); ${transferred} bytes transferred (uncompressed: the test server does not gzip)`);
if (jsonFile) await writeFile(jsonFile, JSON.stringify({ first_view_ms: { median, min: times[0], max: times[times.length - 1], runs }, milestones_ms: steps, transferred_bytes: transferred }, null, 2));
