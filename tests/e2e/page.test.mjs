// Browser tests of the built page (dist/), served from 127.0.0.1 under a sub-path and
// driven in headless Chromium (/usr/bin/chromium) with playwright-core.
// Run: node --test tests/e2e/   (after `trunk build --release`; scripts/test.sh does both)
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = process.env.PODPLAY_DIST ?? join(root, "dist");
const shots = join(root, "target", "e2e");
const BASE = "/courses/k8s/podplay/";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const liveness = await readFile(join(root, "tests", "scenarios", "liveness-exec.yaml"), "utf8");

let server, context, userDataDir;
let page;
const requests = [];
const pageErrors = [];

before(async () => {
  assert.ok(existsSync(join(dist, "index.html")), `no ${dist}/index.html: run trunk build --release first`);
  await mkdir(shots, { recursive: true });
  server = await serve({ dist, base: BASE });
  userDataDir = await mkdtemp(join(tmpdir(), "podplay-e2e-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
  });
  context.on("request", (r) => requests.push(r.url()));
  context.on("weberror", (e) => pageErrors.push(String(e.error())));
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await page?.close();
  page = undefined;
});

async function open() {
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") pageErrors.push(`console: ${m.text()}`); });
  page.on("websocket", (ws) => requests.push(ws.url()));
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  return page;
}

// Types into the CodeMirror editor as a person would: focus, select all, insert text.
async function replaceYaml(text) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
  // Wait for the debounced re-simulation to have used this text.
  await page.waitForFunction((want) => window.podplay.simulatedYaml === want, text, { timeout: 10000 });
}

const text = (sel) => page.locator(sel).innerText();
const phases = () => page.$$eval(".track .seg", (els) => els.map((e) => e.dataset.phase));

test("the page loads the liveness scenario: phase Running and the start events", async () => {
  await open();
  assert.equal(await page.locator("#scenario").inputValue(), "liveness-exec");
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), liveness);
  const sim = await page.evaluate(() => window.podplay.simulation);
  assert.equal(sim.ok, true);
  assert.deepEqual(sim.pods, ["pod-live-exec"]);
  assert.ok((await phases()).includes("Running"), `phases: ${await phases()}`);
  assert.match(await text("#get-pods"), /pod-live-exec\s+\d\/1\s+Running/);
  const describe = await text("#describe");
  const events = describe.slice(describe.indexOf("Events:"));
  assert.ok(describe.includes("Events:"), describe);
  for (const reason of ["Scheduled", "Pulled", "Created", "Started"]) assert.ok(events.includes(reason), `${reason} in\n${events}`);
  assert.equal(await page.locator("#diagnostics-box").isHidden(), true);
  await page.screenshot({ path: join(shots, "liveness.png"), fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(shots, "liveness-dark.png"), fullPage: true });
});

test("the time cursor moves with the keyboard and kubectl follows it", async () => {
  await open();
  await page.focus("#cursor");
  const rendered = (ms) => page.waitForFunction((ms) => window.podplay.renderedMs === ms, ms);
  await page.keyboard.press("Home");
  await rendered(0);
  assert.equal(await text("#cursor-text"), "0s");
  assert.equal(await page.evaluate(() => window.podplay.cursorMs), 0);
  const at0 = await text("#describe");
  await page.keyboard.press("End");
  await rendered(300000);
  assert.equal(await text("#cursor-text"), "5m0s");
  const atEnd = await text("#describe");
  assert.notEqual(at0, atEnd);
  // Liveness fails from about 60 s on: by the end the probe has failed and the container restarted.
  assert.ok(atEnd.includes("Unhealthy"), atEnd);
  await page.click("#prev-change");
  assert.ok(await page.evaluate(() => window.podplay.cursorMs) < 300000);
});

test("editing the YAML changes the phase and the events", async () => {
  await open();
  // The container now exits with status 1 after 5 s and is never restarted: the pod fails.
  const edited = liveness
    .replace('command: ["/bin/sh", "-c", "touch /tmp/healthy-test; sleep 60; rm -rf /tmp/healthy-test; sleep 3600"]',
      'command: ["/bin/sh", "-c", "sleep 5; exit 1"]')
    .replace("spec:\n", "spec:\n  restartPolicy: Never\n");
  assert.notEqual(edited, liveness);
  await replaceYaml(edited);
  const sim = await page.evaluate(() => window.podplay.simulation);
  assert.equal(sim.ok, true, JSON.stringify(sim.diagnostics));
  const ph = await phases();
  assert.equal(ph[ph.length - 1], "Failed", `phases: ${ph}`);
  assert.match(await text("#get-pods"), /pod-live-exec\s+0\/1\s+Error/);
  const describe = await text("#describe");
  assert.match(describe, /Status:\s+Failed/);
  assert.match(describe, /Exit Code:\s+1/);
  // The edited command no longer creates /tmp/healthy-test, so the liveness probe fails once
  // (at ~3 s) before the container exits at ~6 s, as on a real kubelet; the failure threshold
  // (3) is never reached, so nothing kills the container.
  assert.ok(!describe.includes("Killing"), describe);
  await page.screenshot({ path: join(shots, "edited-failed.png"), fullPage: true });

  // An image that does not exist: the pod never starts.
  await replaceYaml(liveness.replace("image: busybox", "image: registry.invalid/no-such-image:v0"));
  const ph2 = await phases();
  assert.ok(!ph2.includes("Running"), `phases: ${ph2}`);
  const describe2 = await text("#describe");
  assert.ok(!/\bStarted\b/.test(describe2.slice(describe2.indexOf("Events:"))), describe2);
  assert.match(await text("#get-pods"), /ErrImagePull|ImagePullBackOff|ErrImageNeverPull/);
});

test("invalid YAML shows a diagnostic with its line, and clicking it moves the caret there", async () => {
  await open();
  const broken = liveness.replace("  name: pod-live-exec", "  name: [pod-live-exec");
  const line = broken.split("\n").findIndex((l) => l.includes("[pod-live-exec")) + 1;
  await replaceYaml(broken);
  await page.waitForSelector("#diagnostics-box:not([hidden])");
  const diags = await page.$$eval("#diagnostics button", (bs) => bs.map((b) => ({ text: b.textContent, line: Number(b.dataset.line) })));
  assert.ok(diags.length >= 1);
  assert.match(diags[0].text, /^pod\.yaml:\d+:\d+: /);
  assert.ok(diags[0].line >= line, `diagnostic line ${diags[0].line}, broken line ${line}: ${diags[0].text}`);
  assert.equal(await page.locator(".track").count(), 0);
  assert.equal(await text("#get-pods"), "");
  assert.ok(await page.locator(".cm-lint-marker-error").count() >= 1, "a lint marker in the editor gutter");
  await page.screenshot({ path: join(shots, "invalid.png"), fullPage: true });
  await page.click("#diagnostics button");
  const caretLine = await page.evaluate(() => {
    const sel = window.getSelection();
    return sel.anchorNode && sel.anchorNode.parentElement.closest(".cm-line")?.textContent;
  });
  assert.ok(caretLine !== undefined);
  // Fixing the YAML clears the diagnostics.
  await replaceYaml(liveness);
  assert.equal(await page.locator("#diagnostics-box").isHidden(), true);
});

test("the page requests nothing from any host but its own, and logs no errors", async () => {
  await open();
  await page.waitForTimeout(300);
  assert.ok(requests.length > 0);
  const foreign = requests.filter((u) => !u.startsWith(server.origin + "/") && !u.startsWith("data:") && !u.startsWith("blob:"));
  assert.deepEqual(foreign, [], "requests to other hosts");
  const outside = requests.filter((u) => u.startsWith(server.origin) && !u.startsWith(server.url));
  assert.deepEqual(outside, [], "requests outside the sub-path");
  assert.ok(requests.some((u) => u.endsWith(".wasm")), "the wasm was fetched");
  assert.deepEqual(pageErrors, []);
});

test("a link carries the YAML and the time: the page opens in that state", async () => {
  const edited = liveness.replace("periodSeconds: 3 ", "periodSeconds: 5 ");
  assert.notEqual(edited, liveness);
  const b64 = Buffer.from(edited, "utf8").toString("base64url");
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${server.url}#yaml=${b64}&until=2m&t=42`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), edited);
  assert.equal(await text("#cursor-text"), "42s");
  assert.equal(await page.locator("#until").inputValue(), "2m");
  // Moving the cursor updates the link.
  await page.evaluate(() => window.podplay.setCursor(10));
  assert.match(await page.evaluate(() => location.hash), /[#&]t=10(&|$)/);
  // A link to another scenario, opened in the same page.
  const other = await readFile(join(root, "tests", "scenarios", "poststart-ok.yaml"), "utf8");
  await page.evaluate(() => { location.hash = "scenario=poststart-ok"; });
  await page.waitForFunction((want) => window.podplay.simulatedYaml === want, other);
  assert.equal(await page.locator("#scenario").inputValue(), "poststart-ok");
  assert.match(await text("#get-pods"), /pod-poststart-ok/);
  assert.deepEqual(pageErrors, []);
});
