// What every browser test file (tests/e2e/*.test.mjs) shares: the built page (dist/) served from
// 127.0.0.1 under a sub-path, one headless Debian Chromium driven by playwright-core per file,
// the tracking of requests and page errors (checked after every file), and the helpers that
// open the page and drive it. Not a test file: `node --test tests/e2e/` runs only *.test.mjs.
//
// A test file calls setUp() once at its top level, then uses the live bindings `page`,
// `context` and `server` (page is the page of the running test; open() or newPage() sets it,
// and it is closed, with its localStorage cleared, after each test).
import { before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const dist = process.env.PODPLAY_DIST ?? join(root, "dist");
export const shots = join(root, "target", "e2e");
export const BASE = "/courses/k8s/podplay/";
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

// The text of tests/scenarios/NAME.yaml.
export const scenario = (name) => readFile(join(root, "tests", "scenarios", `${name}.yaml`), "utf8");

export let server;
// A second server on another port (another origin) for the pages of setUp's `crossOrigin`, e.g.
// a course page that frames the playground from elsewhere; null when the file asks for none.
export let otherServer = null;
let otherPages = new Set();
export let context;
export let page;
export const requests = [];
export const pageErrors = [];

// Registers the file's before/after/afterEach hooks.
//   name: tells this file's Chromium profile directory apart (podplay-e2e-NAME-*).
//   extra: pages served next to dist/ ({ "path under BASE": "html" }, see server.mjs).
//   crossOrigin: pages served under BASE by a second server on another port (otherServer), whose
//     origin is not the page's: a parent page framing the playground from another origin. A page
//     may be given as a function of the playground's server (for its URL), called once it runs.
//   contextOptions: more options for launchPersistentContext (e.g. acceptDownloads).
export function setUp({ name, extra = {}, crossOrigin = null, contextOptions = {} }) {
  let userDataDir;
  before(async () => {
    assert.ok(existsSync(join(dist, "index.html")), `no ${dist}/index.html: run trunk build --release first`);
    await mkdir(shots, { recursive: true });
    server = await serve({ dist, base: BASE, extra });
    if (crossOrigin) {
      const pages = Object.fromEntries(Object.entries(crossOrigin).map(([path, html]) => [path, typeof html === "function" ? html(server) : html]));
      otherServer = await serve({ dist, base: BASE, extra: pages });
      otherPages = new Set(Object.keys(crossOrigin).map((path) => otherServer.url + path));
    }
    userDataDir = await mkdtemp(join(tmpdir(), `podplay-e2e-${name}-`));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
      ...contextOptions,
    });
    context.on("request", (r) => requests.push(r.url()));
    context.on("weberror", (e) => pageErrors.push(String(e.error())));
  });

  after(async () => {
    await context?.close();
    await server?.close();
    await otherServer?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    // Whatever the file's tests did, the page went to no other host and logged no error.
    assert.ok(requests.length > 0, "no request was seen");
    assert.deepEqual(foreignRequests(), [], "requests to other hosts");
    assert.deepEqual(pageErrors, [], "errors in the page");
  });

  afterEach(async () => {
    // The work kept in localStorage must not leak into the next test.
    await page?.evaluate(() => localStorage.clear()).catch(() => {});
    await page?.close();
    page = undefined;
  });
}

// The requests (and web sockets) to anything but the test server and the other server's pages.
export const foreignRequests = () =>
  requests.filter((u) => !u.startsWith(server.origin + "/") && !otherPages.has(u.split(/[?#]/)[0]) && !u.startsWith("data:") && !u.startsWith("blob:"));

// A new tab, its errors and web sockets tracked; it becomes `page`.
export async function newPage() {
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") pageErrors.push(`console: ${m.text()}`); });
  page.on("websocket", (ws) => requests.push(ws.url()));
  return page;
}

// Waits for the page to have loaded the wasm and rendered its first simulation.
export const ready = () => page.waitForSelector("body[data-ready=true]", { timeout: 30000 });

// Opens the page at server.url + suffix (a query and/or a #fragment) in a new tab.
export async function open(suffix = "") {
  await newPage();
  await page.goto(server.url + suffix);
  await ready();
  return page;
}

// Types into the CodeMirror editor as a person would: focus, select all, insert text.
export async function replaceYaml(text) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
  // Wait for the debounced re-simulation to have used this text.
  await page.waitForFunction((want) => window.podplay.simulatedYaml === want, text, { timeout: 10000 });
}

export const text = (sel) => page.locator(sel).innerText();
export const cursorMs = () => page.evaluate(() => window.podplay.cursorMs);
// The engine answers from its Web Worker, so the panes follow a cursor move, an edit or a pick (a
// pod, a container, --previous) a moment later: these wait until they show that time for the
// editor's YAML (simulated, then drawn) and no newer render is waiting for the engine.
export const rendered = (ms) =>
  page.waitForFunction((ms) => window.podplay.renderedMs === ms && window.podplay.simulatedYaml === window.podplay.getYaml() && !window.podplay.drawing, ms);
// Waits until the panes show the cursor's time and two frames have passed, so no render the
// page scheduled (a cursor move, a zoom window following it) can still replace the lanes
// while a test measures them.
export async function settled() {
  await page.waitForFunction(() => window.podplay.renderedMs === window.podplay.cursorMs && window.podplay.simulatedYaml === window.podplay.getYaml() && !window.podplay.drawing);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}
// Moves the time cursor to `seconds` and waits for the panes to show that time.
export async function seek(seconds) {
  await page.evaluate((s) => window.podplay.setCursor(s), seconds);
  await rendered(seconds * 1000);
  await settled();
}

// Clicks an event marker of a container lane; one that shares its place with others is in its
// group's list (web/src/markers.js), which the group's marker on the track opens first.
export async function clickMarker(marker) {
  if (!(await marker.isVisible())) {
    const list = await marker.evaluate((el) => el.closest(".marker-list")?.id);
    assert.ok(list, "a hidden marker that is in no group's list");
    await page.locator(`.marker-group[aria-controls="${list}"]`).click();
  }
  await marker.click();
}
