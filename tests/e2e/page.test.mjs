// Browser tests of the built page (dist/), served from 127.0.0.1 under a sub-path and
// driven in headless Chromium (/usr/bin/chromium) with playwright-core.
// Run: node --test tests/e2e/   (after `trunk build --release`; scripts/test.sh does both)
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  clickMarker, cursorMs, foreignRequests, newPage, open, page, pageErrors, ready, rendered, replaceYaml, requests, scenario, server,
  settled, setUp, shots, text,
} from "./harness.mjs";

const liveness = await scenario("liveness-exec");

// A page that embeds the playground (same server, same sub-path) and talks to it by postMessage.
const PARENT_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>parent</title></head>
<body><iframe id="pp" title="podplay" src="./?embed&panes=pods,describe" width="900" height="600"></iframe>
<script>
  window.ask = (msg) => new Promise((resolve) => {
    addEventListener("message", function on(e) {
      if (e.source !== document.getElementById("pp").contentWindow || e.data?.type !== "podplay:result") return;
      removeEventListener("message", on);
      resolve(e.data);
    });
    document.getElementById("pp").contentWindow.postMessage(msg, "*");
  });
  window.tell = (msg) => document.getElementById("pp").contentWindow.postMessage(msg, "*");
</script></body></html>`;

setUp({ name: "page", extra: { "e2e-parent.html": PARENT_HTML } });

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
  // The last valid view stays, dimmed (the next test looks closer).
  assert.ok(await page.locator(".track").count() > 0);
  assert.match(await text("#get-pods"), /pod-live-exec/);
  assert.equal(await page.evaluate(() => window.podplay.showingLastValid), true);
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

test("while the YAML is invalid the last valid view stays, dimmed and said, and a validation error points at its value", async () => {
  await open();
  const getPods = await text("#get-pods");
  const lanes = () => page.$$eval(".lane-name", (els) => els.map((e) => e.textContent));
  const dimmed = () => page.$eval('[data-pane="pods"]', (el) => Number(getComputedStyle(el).opacity) < 1);
  // One edit renames the pod and writes a restart policy the API server refuses.
  const broken = liveness.replace("  name: pod-live-exec", "  name: renamed").replace("spec:\n", "spec:\n  restartPolicy: always\n");
  const line = broken.split("\n").findIndex((l) => l === "  restartPolicy: always") + 1;
  await replaceYaml(broken);
  await page.waitForSelector("#diagnostics-box:not([hidden])");
  const diags = await page.$$eval("#diagnostics button", (bs) => bs.map((b) => ({ text: b.textContent, line: Number(b.dataset.line), column: Number(b.dataset.column) })));
  assert.deepEqual(diags, [{
    text: `pod.yaml:${line}:18: The Pod "renamed" is invalid: spec.restartPolicy: Unsupported value: "always": supported values: "Always", "OnFailure", "Never"; did you mean "Always"?`,
    line,
    column: 18,
  }]);
  // The timeline, lanes and panes are the last valid YAML's, headings included, dimmed under a note.
  assert.equal(await page.evaluate(() => window.podplay.showingLastValid), true);
  assert.equal(await dimmed(), true);
  assert.match(await text("#last-valid-note"), /^Showing the last valid YAML: the YAML in the editor has problems/);
  assert.equal(await page.getAttribute("#last-valid-note", "role"), "status");
  assert.deepEqual(await lanes(), ["pod-live-exec", "↳ conditions", "↳ container-live-exec"]);
  assert.ok(await page.locator(".track .seg").count() > 0);
  assert.equal(await text("#get-pods"), getPods);
  assert.equal(await text("#describe-cmd"), "kubectl describe pod pod-live-exec");
  assert.match(await text("#describe"), /^Name:\s+pod-live-exec$/m);
  assert.match(await text("#status"), /^1 problem in the YAML; the timeline and the panes show the last valid YAML, dimmed, until it is fixed\.$/);
  await page.screenshot({ path: join(shots, "invalid-last-valid.png"), fullPage: true });
  // The problem takes the caret to the refused value.
  await page.click("#diagnostics button");
  assert.deepEqual(await page.evaluate(() => window.podplay.caret), { line, column: 18 });
  // Valid again: this YAML's view, not dimmed, its pod's name everywhere.
  await replaceYaml(broken.replace("restartPolicy: always", "restartPolicy: Always"));
  assert.equal(await page.evaluate(() => window.podplay.showingLastValid), false);
  assert.equal(await dimmed(), false);
  assert.equal(await page.locator("#last-valid-note").isHidden(), true);
  assert.equal(await page.locator("#diagnostics-box").isHidden(), true);
  assert.deepEqual(await lanes(), ["renamed", "↳ conditions", "↳ container-live-exec"]);
  assert.equal(await text("#describe-cmd"), "kubectl describe pod renamed");
  assert.match(await text("#get-pods"), /^renamed\s+1\/1\s+Running/m);
});

test("the page requests nothing from any host but its own, and logs no errors", async () => {
  await open();
  await page.waitForTimeout(300);
  assert.ok(requests.length > 0);
  assert.deepEqual(foreignRequests(), [], "requests to other hosts");
  const outside = requests.filter((u) => u.startsWith(server.origin) && !u.startsWith(server.url));
  assert.deepEqual(outside, [], "requests outside the sub-path");
  assert.ok(requests.some((u) => u.endsWith(".wasm")), "the wasm was fetched");
  assert.deepEqual(pageErrors, []);
});

test("an old-format link (yaml=, plain base64url) still opens in its state", async () => {
  const edited = liveness.replace("periodSeconds: 3 ", "periodSeconds: 5 ");
  assert.notEqual(edited, liveness);
  const b64 = Buffer.from(edited, "utf8").toString("base64url");
  await newPage();
  await page.goto(`${server.url}#yaml=${b64}&until=2m&t=42`);
  await ready();
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), edited);
  assert.equal(await text("#cursor-text"), "42s");
  assert.equal(await page.locator("#until").inputValue(), "2m");
  // Moving the cursor updates the link.
  await page.evaluate(() => window.podplay.setCursor(10));
  assert.match(await page.evaluate(() => location.hash), /[#&]t=10(&|$)/);
  // A link to another scenario, opened in the same page.
  const other = await scenario("poststart-ok");
  await page.evaluate(() => { location.hash = "scenario=poststart-ok"; });
  await page.waitForFunction((want) => window.podplay.simulatedYaml === want, other);
  assert.equal(await page.locator("#scenario").inputValue(), "poststart-ok");
  assert.match(await text("#get-pods"), /pod-poststart-ok/);
  assert.deepEqual(pageErrors, []);
});

test("play, pause, speed and the keyboard shortcuts move the time cursor", async () => {
  await open();
  await page.evaluate(() => window.podplay.setCursor(0));
  const play = page.locator("#play");
  assert.equal(await play.getAttribute("aria-label"), "Play");
  await page.selectOption("#speed", "60");
  await play.click();
  assert.equal(await play.getAttribute("aria-pressed"), "true");
  assert.equal(await play.getAttribute("aria-label"), "Pause");
  await page.waitForFunction(() => window.podplay.cursorMs >= 3000, null, { timeout: 10000 });
  await play.click();
  assert.equal(await play.getAttribute("aria-pressed"), "false");
  const paused = await cursorMs();
  await page.waitForTimeout(300);
  assert.equal(await cursorMs(), paused, "paused: the cursor stays");
  assert.equal(await text("#cursor-text"), await page.evaluate((ms) => window.podplay.formatDuration(ms), paused));

  // Speed: in about a second, 1x moves a second or two of virtual time, 60x tens of seconds.
  const playFor = async (speed, ms) => {
    await page.selectOption("#speed", String(speed));
    await page.evaluate(() => window.podplay.setCursor(0));
    await page.evaluate(() => window.podplay.play());
    await page.waitForTimeout(ms);
    await page.evaluate(() => window.podplay.pause());
    return cursorMs();
  };
  const slow = await playFor(1, 1200);
  assert.ok(slow >= 1000 && slow <= 3000, `1x for 1.2 s: ${slow} ms`);
  const fast = await playFor(60, 1200);
  assert.ok(fast >= 20000, `60x for 1.2 s: ${fast} ms`);

  // Keys on the page (focus on the body): Space plays and pauses, arrows step between changes.
  await page.evaluate(() => { document.activeElement?.blur(); window.podplay.setCursor(0); });
  const times = await page.evaluate(() => [...new Set(window.podplay.simulation.timeline.map((c) => c.at))].sort((a, b) => a - b));
  const first = times.find((t) => t > 0);
  await page.keyboard.press("ArrowRight");
  assert.equal(await cursorMs(), first);
  const second = times.find((t) => t > first);
  await page.keyboard.press("ArrowRight");
  assert.equal(await cursorMs(), second);
  await page.keyboard.press("ArrowLeft");
  assert.equal(await cursorMs(), first);
  await page.keyboard.press("Space");
  assert.equal(await page.evaluate(() => window.podplay.playing), true);
  await page.waitForFunction((f) => window.podplay.cursorMs > f, first, { timeout: 10000 });
  await page.keyboard.press("Space");
  assert.equal(await page.evaluate(() => window.podplay.playing), false);

  // Playing to the end stops there.
  await page.evaluate(() => window.podplay.setCursor(290));
  await page.keyboard.press("Space");
  await page.waitForFunction(() => !window.podplay.playing && window.podplay.cursorMs === 300000, null, { timeout: 10000 });

  // Not while typing: in the kubectl box and in the editor the keys are text and caret moves.
  await page.evaluate(() => window.podplay.setCursor(30));
  await page.fill("#kubectl-cmd", "get");
  await page.focus("#kubectl-cmd");
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.locator("#kubectl-cmd").inputValue(), "get ");
  assert.equal(await page.evaluate(() => window.podplay.playing), false);
  assert.equal(await cursorMs(), 30000);
  const yaml = await page.evaluate(() => window.podplay.getYaml());
  await page.click(".cm-content");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await cursorMs(), 30000);
  assert.equal(await page.evaluate(() => window.podplay.playing), false);
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), yaml);

  // Arrows in a focused output box scroll it; they do not move the cursor.
  await page.focus("#describe");
  await page.keyboard.press("ArrowRight");
  assert.equal(await cursorMs(), 30000);

  // Keyboard focus is visible on the play button.
  await page.focus("#prev-change");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "play");
  const outline = await page.$eval("#play", (b) => getComputedStyle(b).outlineStyle);
  assert.notEqual(outline, "none");
});

test("the work is kept in this browser: an edit survives a reload; Reset restores the example; Ctrl-Z undoes", async () => {
  await open();
  const edited = liveness.replace("periodSeconds: 3 ", "periodSeconds: 7 ");
  assert.notEqual(edited, liveness);
  await replaceYaml(edited);
  await page.evaluate(() => window.podplay.setCursor(77));
  // A fresh visit without a link: the kept work comes back.
  await page.goto(server.url);
  await ready();
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), edited);
  assert.equal(await text("#cursor-text"), "1m17s");
  // A link wins over the kept work.
  await page.goto(`${server.url}#scenario=poststart-ok`);
  await page.reload();
  await ready();
  assert.equal(await page.locator("#scenario").inputValue(), "poststart-ok");
  assert.match(await page.evaluate(() => window.podplay.getYaml()), /pod-poststart-ok/);
  await page.goto(server.url);
  await ready();
  // The last work was the link's scenario; edit again, then reset to the example.
  await page.selectOption("#scenario", "liveness-exec");
  await replaceYaml(edited);
  await page.click("#reset");
  await page.waitForFunction((want) => window.podplay.simulatedYaml === want, liveness);
  // CodeMirror's undo brings the edit back.
  await page.click(".cm-content");
  await page.keyboard.press("Control+Z");
  await page.waitForFunction((want) => window.podplay.getYaml() === want, edited);
  await page.keyboard.press("Control+Shift+Z");
  await page.waitForFunction((want) => window.podplay.getYaml() === want, liveness);
  await page.goto(server.url);
  await ready();
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), liveness);
});

test("embed mode shows the chosen panes in the same state as the full page", async () => {
  await open();
  await page.goto(`${server.url}#scenario=liveness-exec&t=130`);
  await page.reload();
  await ready();
  const fullPods = await text("#get-pods");
  const fullDescribe = await text("#describe");
  await page.goto(`${server.url}?embed&panes=pods,describe&t=130&readonly`);
  await ready();
  assert.equal(await page.locator("header").isHidden(), true);
  assert.equal(await page.locator("#scenario").isHidden(), true);
  assert.equal(await page.locator("#editor").isHidden(), true);
  assert.equal(await page.locator("#changes").isHidden(), true);
  assert.equal(await page.locator("#get-pods").isVisible(), true);
  assert.equal(await text("#get-pods"), fullPods);
  assert.equal(await text("#describe"), fullDescribe);
  assert.equal(await page.evaluate(() => location.hash), "", "an embed keeps its URL");
  await page.setViewportSize({ width: 700, height: 500 });
  await page.screenshot({ path: join(shots, "embed.png"), fullPage: true });
  await page.setViewportSize({ width: 1400, height: 1000 });

  // readonly: the editor takes no typing; autoplay starts playing.
  await page.goto(`${server.url}?embed&panes=editor,timeline&readonly&autoplay&t=0`);
  await ready();
  assert.equal(await page.locator("#reset").isHidden(), true);
  assert.equal(await page.locator(".cm-content").getAttribute("contenteditable"), "false");
  await page.click(".cm-content");
  await page.keyboard.type("xyz");
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), liveness);
  await page.waitForFunction(() => window.podplay.cursorMs > 0, null, { timeout: 10000 });
});

test("a parent page drives an embedded playground by postMessage", async () => {
  await newPage();
  await page.goto(server.url + "e2e-parent.html");
  const frame = page.frameLocator("#pp");
  await frame.locator("body[data-ready=true]").waitFor({ timeout: 30000 });
  const other = await scenario("poststart-ok");
  await page.evaluate((yaml) => window.tell({ type: "podplay:load", yaml }), other);
  await page.evaluate(() => window.tell({ type: "podplay:seek", t: 20 }));
  await frame.locator("#cursor-text", { hasText: /^20s$/ }).waitFor({ state: "attached" });
  const r = await page.evaluate(() => window.ask({ type: "podplay:get", command: "get pods" }));
  assert.equal(r.type, "podplay:result");
  assert.equal(r.exitCode, 0);
  assert.match(r.stdout, /pod-poststart-ok\s+1\/1\s+Running/);
  assert.equal(r.stderr, "");
  // The same answer as the embedded pane shows, and as window.podplay gives.
  assert.match(await frame.locator("#get-pods").innerText(), /pod-poststart-ok/);
  const bad = await page.evaluate(() => window.ask({ type: "podplay:get", command: "get pods nope" }));
  assert.notEqual(bad.exitCode, 0);
  assert.match(bad.stderr, /not found/);
  // The full page (not an embed) answers no messages: it may hold the work kept in this browser.
  const full = await page.evaluate(async (url) => {
    const f = document.createElement("iframe");
    f.src = url;
    document.body.append(f);
    await new Promise((ok) => { const t = setInterval(() => { if (f.contentDocument?.body?.dataset.ready === "true") { clearInterval(t); ok(); } }, 50); });
    return new Promise((ok) => {
      addEventListener("message", (e) => { if (e.source === f.contentWindow) ok("answered"); });
      f.contentWindow.postMessage({ type: "podplay:get", command: "get pods" }, "*");
      setTimeout(() => ok("silent"), 1000);
    });
  }, server.url);
  assert.equal(full, "silent");
  await page.evaluate(() => window.tell({ type: "podplay:play" }));
  const iframe = page.frames().find((f) => f.url().includes("embed"));
  await iframe.waitForFunction(() => window.podplay.playing || window.podplay.cursorMs > 20000, null, { timeout: 10000 });
});

test("container lanes show Waiting / Running / Terminated, restarts and probe events; clicking one selects it", async () => {
  await open();
  const track = page.locator('.ctrack[data-container="container-live-exec"]');
  assert.equal(await track.count(), 1);
  const states = await track.locator(".cseg").evaluateAll((els) => els.map((e) => e.dataset.state));
  assert.equal(states[0], "Waiting", `states: ${states}`);
  assert.ok(states.filter((s) => s === "Running").length >= 2, `states: ${states}`);
  // Killed by the liveness probe: the 30 s grace period shows as "stopping", then a restart.
  assert.ok(await track.locator(".cseg.stopping").count() >= 1, "a stopping segment");
  assert.ok(await track.locator(".restart").count() >= 1, "a restart tick");
  // The lane's markers: on the track, or in a group's list under it when they would overlap.
  const lane = page.locator(".container-lane", { has: track });
  const reasons = await lane.locator(".marker[data-reason]").evaluateAll((els) => els.map((e) => e.dataset.reason));
  assert.ok(reasons.includes("Unhealthy") && reasons.includes("Killing"), `markers: ${reasons}`);
  assert.match(await track.getAttribute("aria-label"), /container container-live-exec: Waiting from 0s/);

  // Clicking the Killing marker selects that change in the table and moves the cursor there.
  const killing = lane.locator('.marker[data-reason="Killing"]').first();
  const index = Number(await killing.getAttribute("data-index"));
  await clickMarker(killing);
  const change = await page.evaluate((i) => window.podplay.simulation.timeline[i], index);
  assert.equal(await page.evaluate(() => window.podplay.selected), index);
  assert.equal(await cursorMs(), change.at);
  const row = page.locator("#changes tr.selected");
  assert.equal(await row.count(), 1);
  assert.equal(Number(await row.getAttribute("data-index")), index);
  assert.match(await row.innerText(), /Killing/);
  assert.ok(await row.isVisible());

  // Clicking elsewhere on the container's track moves the cursor to that time.
  const box = await track.boundingBox();
  await track.click({ position: { x: box.width * 0.9, y: 3 } });
  const at = await cursorMs();
  assert.ok(Math.abs(at - 270000) <= 2000, `clicked at 90%: ${at} ms`);
  assert.equal(await page.evaluate(() => window.podplay.selected), undefined);

  // Picking a row of the table does the same.
  const rowPick = page.locator("#changes tbody tr").nth(2).locator(".row-pick");
  await rowPick.click();
  const picked = await page.evaluate(() => window.podplay.simulation.timeline[2]);
  assert.equal(await page.evaluate(() => window.podplay.selected), 2);
  assert.equal(await cursorMs(), picked.at);
  assert.equal(Number(await page.locator("#changes tr.selected").getAttribute("data-index")), 2);
  await page.screenshot({ path: join(shots, "container-lanes.png"), fullPage: true });

  // restart-policies: a container that exits (Terminated) and one in back-off (BackOff marker).
  await page.selectOption("#scenario", "restart-policies");
  await page.waitForFunction(() => window.podplay.simulation.pods.includes("flaky"));
  const once = page.locator('.ctrack[data-pod="once"]');
  assert.match(await once.getAttribute("aria-label"), /Terminated \(Error, exit code 3\)/);
  assert.ok(await once.locator(".cseg.Terminated").count() >= 1);
  const flaky = page.locator('.ctrack[data-pod="flaky"]');
  assert.ok(await page.locator(".container-lane", { has: flaky }).locator('.marker[data-reason="BackOff"]').count() >= 1, "a BackOff marker");
  assert.ok(await flaky.locator(".cseg.Terminated").count() >= 1);
});

test("screenshots at 375 px and 1440 px, light and dark; nothing overflows the page at 375 px", async () => {
  await open();
  await page.evaluate(() => window.podplay.setCursor(130));
  for (const width of [375, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(shots, `page-${width}-${scheme}.png`), fullPage: true });
    }
    // No horizontal scrolling of the whole page (wide kubectl output scrolls inside its own box).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the ${width} px viewport`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1400, height: 1000 });
});

test("on a desktop screen the timeline stays in view over the panes, and a focused pane below is scrolled clear of it", async () => {
  await open();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.evaluate(() => window.podplay.setCursor(130));
  await settled();
  const timeline = page.locator('[data-pane="timeline"]');
  // Scrolled down to the events: the timeline (with the cursor) and the editor are still on screen.
  await page.evaluate(() => document.getElementById("events").scrollIntoView());
  const box = await timeline.boundingBox();
  assert.ok(box.y >= -1 && box.y < 5, `the timeline sticks at the top: y = ${box.y}`);
  assert.ok((await page.locator("#cursor").boundingBox()).y > 0, "the time cursor in view");
  assert.ok((await page.locator(".cm-content").boundingBox()).y < 900, "the editor in view");
  // Focus moved to a pane from the top of the page lands below the timeline, not behind it.
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const id of ["#describe", "#kubectl-cmd"]) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.focus(id);
    const under = await timeline.boundingBox();
    const target = await page.locator(id).boundingBox();
    assert.ok(target.y >= under.y + under.height - 1, `${id} at ${target.y}, under the timeline ending at ${under.y + under.height}`);
  }
  await page.setViewportSize({ width: 1400, height: 1000 });
});
