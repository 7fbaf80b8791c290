// Browser tests of the timeline lanes (probe ticks, condition bands, endpoint lanes, zoom), the
// panes at the cursor (logs, events, status) and the share link, on the built page (dist/),
// served from 127.0.0.1 under a sub-path and driven in headless Chromium with playwright-core.
// Run: node --test tests/e2e/   (after `trunk build --release`; scripts/test.sh does both)
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { context, cursorMs, newPage, open, page, pageErrors, ready, scenario, seek, server, settled, setUp, shots, text } from "./harness.mjs";

const liveness = await scenario("liveness-exec");

setUp({ name: "timeline" });

async function load(name) {
  await page.selectOption("#scenario", name);
  const want = await scenario(name);
  await page.waitForFunction((w) => window.podplay.simulatedYaml === w, want);
  await settled();
}

test("probe attempts are ticks on the container lane, one per attempt, told apart by shape and title", async () => {
  await open();
  await load("readiness-httpget");
  const attempts = await page.evaluate(() => window.podplay.simulation.probeAttempts);
  const mine = attempts.filter((a) => a.pod === "pod-live-readiness");
  assert.ok(mine.some((a) => a.outcome === "success") && mine.some((a) => a.outcome === "failure"), JSON.stringify(mine.slice(0, 5)));
  const track = page.locator('.ctrack[data-pod="pod-live-readiness"]');
  assert.equal(await track.locator(".ptick").count(), mine.length);
  // The readiness probe fails from about 1m46s (the page was removed at 1m40s in the scenario).
  const firstFailure = mine.find((a) => a.outcome === "failure");
  const tick = track.locator(`.ptick[data-at="${firstFailure.at}"]`);
  assert.equal(await tick.getAttribute("data-outcome"), "failure");
  assert.equal(await tick.getAttribute("title"), `${await page.evaluate((ms) => window.podplay.formatDuration(ms), firstFailure.at)}: ${firstFailure.probe} probe failure`);
  // Shape, not only colour: a success is a thin line, a failure a square.
  const ok = await track.locator(".ptick.success").first().boundingBox();
  const bad = await tick.boundingBox();
  assert.ok(ok.width <= 3 && bad.width >= 5 && Math.abs(bad.width - bad.height) < 1, `success ${JSON.stringify(ok)}, failure ${JSON.stringify(bad)}`);
  assert.match(await track.getAttribute("aria-label"), /probe attempts: \d+ readiness success, \d+ readiness failure/);
  // A timeout is a third shape (a diamond).
  await page.evaluate(() => window.podplay.setYaml(`apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    readinessProbe:
      exec: {command: ["sleep", "5"]}
      timeoutSeconds: 1
      periodSeconds: 10
`));
  const slowTrack = page.locator('.ctrack[data-pod="slow"]');
  assert.ok(await slowTrack.locator(".ptick.timeout").count() >= 20);
  assert.equal(await slowTrack.locator(".ptick:not(.timeout)").count(), 0);
  const diamond = await slowTrack.locator(".ptick.timeout").first().evaluate((e) => getComputedStyle(e).transform);
  assert.notEqual(diamond, "none");
  assert.deepEqual(pageErrors, []);
});

test("condition bands and Service endpoint lanes follow the timeline", async () => {
  await open();
  await load("readiness-httpget");
  const values = (cond) => page.$$eval(`.btrack[data-pod="pod-live-readiness"] .bseg[data-condition="${cond}"]`, (els) => els.map((e) => e.dataset.value));
  assert.deepEqual(await values("Ready"), ["False", "True", "False", "True"]);
  assert.deepEqual(await values("ContainersReady"), ["False", "True", "False", "True"]);
  assert.deepEqual(await values("PodScheduled"), ["True"]);
  assert.deepEqual(await values("Initialized"), ["True"]);
  // Written out, so True/False does not depend on colour; the order is describe's.
  const band = page.locator('.btrack[data-pod="pod-live-readiness"] .bseg[data-condition="Ready"]').nth(2);
  assert.equal(await band.innerText(), "Ready=False");
  assert.equal(await band.getAttribute("title"), "Ready=False from 1m46.37s to 3m42.821s");
  const order = await page.$$eval('.btrack[data-pod="pod-live-readiness"] .bseg', (els) => [...new Set(els.map((e) => e.dataset.condition))]);
  assert.deepEqual(order, ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);

  const ep = page.locator('.etrack[data-service="web"][data-pod="pod-live-readiness"]');
  assert.deepEqual(await ep.locator(".eseg").evaluateAll((els) => els.map((e) => e.dataset.state)), ["absent", "not-ready", "ready", "not-ready", "ready"]);
  assert.match(await ep.getAttribute("aria-label"), /ready from 4\.37s to 1m46\.37s; not ready from 1m46\.37s to 3m42\.821s/);
  await seek(120);
  await page.screenshot({ path: join(shots, "timeline-bands.png"), fullPage: true });

  // A release without PodReadyToStartContainers gets no band for it (the engine never records it).
  await page.evaluate((y) => window.podplay.setYaml(y), (await scenario("init-wait-for-service")));
  const names = await page.$$eval(".btrack .bseg", (els) => [...new Set(els.map((e) => e.dataset.condition))]);
  assert.ok(!names.includes("PodReadyToStartContainers"), names.join());
  assert.ok(names.includes("Initialized"));
  assert.deepEqual(pageErrors, []);
});

test("zoom: buttons, + / - keys and Ctrl+wheel; the lanes, the axis and the cursor stay aligned", async () => {
  await open();
  await load("readiness-httpget");
  await seek(106);
  const cursorX = () => page.$$eval(".cursor-line", (els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
  const before = await cursorX();
  assert.ok(before.length >= 4 && before.every((x) => x === before[0]), `cursor lines ${before}`);
  await page.locator("#zoom-in").focus();
  await page.keyboard.press("Enter");
  assert.equal(await text("#zoom-level"), "2×");
  // Zooming keeps the cursor where it was on the tracks.
  assert.ok(Math.abs((await cursorX())[0] - before[0]) <= 1, `${await cursorX()} vs ${before}`);
  await page.locator("body").focus();
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press("+");
  await page.keyboard.press("+");
  assert.equal(await text("#zoom-level"), "8×");
  const lines = await cursorX();
  assert.ok(lines.every((x) => x === lines[0]), `aligned: ${lines}`);
  // The failing readiness attempts around 1m46s are now far apart: the 10 s period is wide.
  const track = page.locator('.ctrack[data-pod="pod-live-readiness"]');
  const xs = await track.locator(".ptick").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
  const box = await track.boundingBox();
  // The axis shows the window: 8× of 5m is 37.5s wide.
  const labels = await page.$$eval(".axis-scale span", (els) => els.map((e) => e.textContent));
  const secs = await Promise.all([labels[0], labels[4]].map((l) => page.evaluate((l) => window.wasmBindings.parseDuration(l), l)));
  assert.ok(Math.abs(secs[1] - secs[0] - 37.5) <= 1, `axis ${labels}`);
  // Only the attempts inside the window are drawn, and their spacing is the period at 8×.
  const inWindow = (await page.evaluate(() => window.podplay.simulation.probeAttempts))
    .filter((a) => a.pod === "pod-live-readiness" && a.at >= secs[0] * 1000 - 1000 && a.at <= secs[1] * 1000 + 1000);
  assert.ok(Math.abs(xs.length - inWindow.length) <= 2 && xs.length >= 3 && xs.length < 20, `${xs.length} ticks shown at 8×, ${inWindow.length} attempts in ${labels}`);
  const period = (inWindow[1].at - inWindow[0].at) / 1000;
  assert.ok(Math.abs(xs[1] - xs[0] - (box.width * period) / 37.5) <= 2, `ticks ${xs} for a ${period}s period on ${box.width}px`);
  // A click on a track picks a time inside the window.
  await track.click({ position: { x: box.width / 2, y: 2 } });
  const at = await cursorMs();
  assert.ok(at >= secs[0] * 1000 && at <= secs[1] * 1000, `clicked ${at} within ${labels}`);
  // Ctrl+wheel zooms out; 0 shows the whole run.
  await page.mouse.move(box.x + 10, box.y + 5);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, 100);
  await page.keyboard.up("Control");
  await page.waitForFunction(() => document.getElementById("zoom-level").textContent === "4×");
  await page.keyboard.press("0");
  assert.equal(await text("#zoom-level"), "1×");
  assert.equal(await page.locator("#zoom-out").isDisabled(), true);
  // Moving the cursor outside a zoomed window takes the window along.
  await page.keyboard.press("+");
  await page.keyboard.press("+");
  await seek(10);
  const ticks = await page.$$eval(".axis-scale span", (els) => els.map((e) => e.textContent));
  const first = await page.evaluate((l) => window.wasmBindings.parseDuration(l), ticks[0]);
  const last = await page.evaluate((l) => window.wasmBindings.parseDuration(l), ticks[4]);
  assert.ok(first <= 10 && last >= 10, `window ${ticks} holds the cursor`);
  assert.deepEqual(pageErrors, []);
});

test("logs (container picker, --previous), get events and the pod's status at the cursor", async () => {
  await open();
  await load("init-failure-and-sidecar");
  await page.locator(".lane-name", { hasText: /^migrate$/ }).click();
  await seek(30);
  assert.equal(await page.locator("#logs-container-label").isVisible(), true);
  // spec.containers first (kubectl logs' default), then the init containers.
  assert.deepEqual(await page.$$eval("#logs-container option", (os) => os.map((o) => o.value)), ["app", "db-migrate"]);
  assert.equal(await text("#logs-cmd"), "kubectl logs migrate -c app");
  await page.selectOption("#logs-container", "db-migrate");
  await settled();
  assert.equal(await text("#logs-cmd"), "kubectl logs migrate -c db-migrate");
  assert.equal((await text("#logs")).trimEnd(), "connecting to db\ndb unreachable");
  await page.selectOption("#logs-container", "app");
  await settled();
  assert.equal(await text("#logs-cmd"), "kubectl logs migrate -c app");
  const appLogs = await page.evaluate(() => window.podplay.get("logs migrate -c app"));
  assert.equal(await page.locator("#logs").evaluate((e) => e.textContent), appLogs.stdout + appLogs.stderr);
  assert.ok(appLogs.stderr.length > 0, "app is waiting: kubectl says why on stderr");
  assert.equal(await page.locator("#logs .stderr").count(), 1);

  await load("restart-policies");
  await page.locator(".lane-name", { hasText: /^flaky$/ }).click();
  await seek(30);
  assert.equal(await page.locator("#logs-container-label").isVisible(), false, "one container: no picker");
  assert.equal((await text("#logs")).trimEnd(), "attempt 3");
  await page.check("#logs-previous");
  await settled();
  assert.equal(await text("#logs-cmd"), "kubectl logs flaky --previous");
  assert.equal((await text("#logs")).trimEnd(), "attempt 2");

  const events = await page.evaluate(() => window.podplay.get("get events"));
  assert.match(events.stdout, /BackOff/);
  assert.equal(await page.locator("#events").evaluate((e) => e.textContent), events.stdout + events.stderr);

  const yaml = await page.evaluate(() => window.podplay.get("get pod flaky -o yaml"));
  const status = await page.locator("#pod-status").evaluate((e) => e.textContent);
  assert.ok(status.startsWith("status:\n"), status.slice(0, 40));
  assert.ok(yaml.stdout.endsWith(status), "the status: part of kubectl's YAML, as printed");
  assert.match(status, /restartCount: 2/);
  assert.equal(await text("#status-cmd"), "kubectl get pod flaky -o yaml");
  await page.screenshot({ path: join(shots, "panes.png"), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test("embed panes= shows only the chosen new panes", async () => {
  await open("?embed&panes=logs,events&t=30");
  for (const [pane, shown] of [["logs", true], ["events", true], ["status", false], ["describe", false], ["pods", false], ["editor", false]]) {
    assert.equal(await page.locator(`[data-pane="${pane}"]`).isVisible(), shown, pane);
  }
  assert.match(await text("#events"), /Started/);
  assert.deepEqual(pageErrors, []);
});

test("the share link is compressed (z=), reopens the same YAML and time; Copy link copies it", async () => {
  await open();
  const edited = liveness.replace("periodSeconds: 3 ", "periodSeconds: 5 ") + "# " + "a long comment ".repeat(40) + "\n";
  await page.evaluate((y) => window.podplay.setYaml(y), edited);
  await page.evaluate(() => window.podplay.setCursor(42));
  await page.waitForFunction(() => location.hash.includes("z=") && location.hash.includes("t=42"));
  const hash = await page.evaluate(() => location.hash);
  assert.ok(!hash.includes("yaml="), hash);
  const z = new URLSearchParams(hash.slice(1)).get("z");
  assert.ok(z.length < Buffer.from(edited).toString("base64url").length / 2, `compressed: ${z.length} chars for ${edited.length} bytes`);
  // Copy link: the clipboard gets the full URL, and the page says so.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
  await page.click("#copy-link");
  await page.waitForFunction(() => document.getElementById("link-note").textContent.includes("copied"));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.evaluate(() => location.href));
  assert.equal(await page.locator("#link-box").isHidden(), true);
  await page.close();
  await newPage();
  await page.goto(copied);
  await ready();
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), edited);
  assert.equal(await text("#cursor-text"), "42s");
  assert.deepEqual(pageErrors, []);
});

test("Copy link without a clipboard shows the link selected in a read-only box", async () => {
  await newPage();
  await page.addInitScript(() => {
    Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.reject(new Error("denied")) } });
  });
  await page.goto(server.url + "#scenario=liveness-exec&until=5m&t=70");
  await ready();
  await page.click("#copy-link");
  const box = page.locator("#link-box");
  await box.waitFor({ state: "visible" });
  assert.equal(await box.getAttribute("readonly"), "");
  const value = await box.inputValue();
  assert.ok(value.endsWith("#scenario=liveness-exec&until=5m&t=70"), value);
  assert.equal(await page.evaluate(() => [document.activeElement.id, document.activeElement.selectionStart, document.activeElement.selectionEnd]).then((x) => x.join()), `link-box,0,${value.length}`);
  assert.match(await text("#link-note"), /Copy the selected link/);
  assert.deepEqual(pageErrors, []);
});
