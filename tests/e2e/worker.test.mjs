// The engine in its Web Worker, in headless Chromium: during a simulation that takes well over
// ten seconds the page answers clicks within 100 ms, shows the run's progress, and Cancel stops
// it (a fresh worker, the page usable at once); a newer edit supersedes a run under way; work
// whose run was slow or cancelled opens paused, with a message and a button to run it.
// Run: node --test tests/e2e/worker.test.mjs   (after `scripts/test.sh build`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { open, page, ready, replaceYaml, scenario, seek, setUp, shots, text } from "./harness.mjs";

setUp({ name: "worker" });

const liveness = await scenario("liveness-exec");

// A loop that never sleeps and whose state moves each turn in a way that is not a count (a
// counting loop runs in bulk) runs step by step (SECURITY.md, "Limits"): 5 minutes of virtual
// time take the engine minutes of wall time.
const COUNTER = `apiVersion: v1
kind: Pod
metadata: {name: counter}
spec:
  containers:
  - name: count
    image: busybox:1.36
    command: [sh, -c, 'i=1; while true; do i=$((i*3+1)); done']
`;

const running = () => page.evaluate(() => window.podplay.running);
// How far the run under way is, in virtual ms (the progress bar's share of "Simulate for").
const progressMs = () => page.evaluate(() => Number(document.getElementById("run-progress").value) * 300_000);

// Types the YAML into the editor as a person would (the page simulates it and saves the work),
// without waiting for the simulation.
async function typeYaml(yaml) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(yaml);
}

// Waits for the counter's run to show its progress (it has run RUN_SHOWN_AFTER_MS and more).
async function counterRunning() {
  await page.waitForFunction(() => window.podplay.running && !document.getElementById("run").hidden, null, { timeout: 10000 });
}

test("during a simulation of more than 10 s a click is handled within 100 ms; Cancel stops it and the page stays usable", async () => {
  await open();
  const runStarted = Date.now();
  await page.evaluate((y) => { window.podplay.setYaml(y); }, COUNTER);
  await counterRunning();
  assert.equal(await page.locator("#run-cancel").isVisible(), true);

  // A page control whose own handler the test times: the library's toggle. Each click is timed
  // by the event's own time stamp (when the browser took the click in) to the page's handler:
  // how long it waited for the page's thread, which the engine must never hold; and from the
  // moment the test dispatched it (both on the machine's clock), which adds the test's own path
  // to the browser and, on a loaded machine, the scheduler's delays to it.
  await page.evaluate(() => {
    window.__clicks = [];
    document.getElementById("library-toggle").addEventListener("click", (e) => {
      window.__clicks.push({ at: Date.now(), queued: performance.now() - e.timeStamp });
    });
  });
  const box = await page.locator("#library-toggle").boundingBox();
  const latencies = [];
  const progress = [];
  while (Date.now() - runStarted < 11_000) {
    const expanded = await page.getAttribute("#library-toggle", "aria-expanded");
    const sent = Date.now();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const click = await page.evaluate(() => window.__clicks[window.__clicks.length - 1]);
    latencies.push({ handled: click.at - sent, queued: Math.round(click.queued) });
    // The page's own handler ran: the library opened or closed.
    assert.notEqual(await page.getAttribute("#library-toggle", "aria-expanded"), expanded);
    progress.push(await progressMs());
    await page.waitForTimeout(700);
  }
  console.log(`# click latency during the run (ms, dispatched to handled / queued): ${latencies.map((l) => `${l.handled}/${l.queued}`).join(" ")}`);
  assert.ok(latencies.length >= 8, `${latencies.length} clicks`);
  for (const l of latencies) assert.ok(l.queued < 100, `a click waited ${l.queued} ms for the page: ${JSON.stringify(latencies)}`);
  const handled = latencies.map((l) => l.handled).sort((a, b) => a - b);
  assert.ok(handled[handled.length >> 1] < 100, `clicks were handled ${handled} ms after they were dispatched`);
  // The engine ran all along, and after more than 10 s it is still far from done.
  assert.ok(progress[progress.length - 1] > progress[0], `progress: ${progress}`);
  assert.equal(await running(), true, "still simulating after 10 s");
  assert.ok((await progressMs()) < 300_000 / 2, "less than half way after 10 s");
  assert.match(await text("#run-text"), /^Simulating 5m0s of virtual time: \d.* of 5m0s \(\d+%\), \d+ s so far\.$/);
  await page.screenshot({ path: join(shots, "long-run.png"), fullPage: true });

  const cancelClicked = Date.now();
  await page.click("#run-cancel");
  await page.waitForFunction(() => !window.podplay.running && !document.getElementById("run-start").hidden);
  const cancelMs = Date.now() - cancelClicked;
  console.log(`# cancel: the page showed the run stopped ${cancelMs} ms after the click`);
  assert.ok(cancelMs < 1000, `${cancelMs} ms to cancel`);
  assert.match(await text("#status"), /^The simulation was cancelled after \d+ s, at \d.* of 5m0s of virtual time\. Nothing is shown/);
  assert.equal(await page.locator("#run").isHidden(), true);
  assert.equal(await page.evaluate(() => window.podplay.simulation), null);
  assert.equal(await page.locator(".track").count(), 0, "no lanes for a run that did not finish");

  // Usable at once: a scenario loads and simulates in a fresh worker.
  await page.selectOption("#scenario", "liveness-exec");
  await page.waitForFunction((want) => window.podplay.simulatedYaml === want, liveness);
  assert.match(await text("#get-pods"), /pod-live-exec\s+\d\/1\s+Running/);
  assert.match(await text("#status"), /^Simulated 5m0s of virtual time in \d+ ms/);
  assert.equal(await page.locator("#run-start").isHidden(), true);
});

test("a newer edit supersedes the run under way: the worker drops it and simulates the edit", async () => {
  await open();
  await page.evaluate((y) => { window.podplay.setYaml(y); }, COUNTER);
  await counterRunning();
  // Were the counter's run still going, the worker would reach this YAML minutes from now.
  const edited = liveness.replace("periodSeconds: 3 ", "periodSeconds: 4 ");
  const started = Date.now();
  await replaceYaml(edited);
  const simulated = /in (\d+) ms/.exec(await text("#status"))?.[1];
  console.log(`# a newer edit over the long run: simulated in ${simulated} ms, and drawn ${Date.now() - started} ms after the test began typing it (typing and the 250 ms debounce included)`);
  assert.equal(await running(), false);
  assert.equal(await page.evaluate(() => window.podplay.simulation.ok), true);
  assert.match(await text("#get-pods"), /pod-live-exec/);
  assert.equal(await page.locator("#run").isHidden(), true);
});

test("work whose simulation was slow, or cancelled, opens paused with a message and a button that runs it", async () => {
  await open();
  await typeYaml(COUNTER);
  await counterRunning();
  // Past the page's limit (5 s) the run is remembered as slow; the tab is then closed mid-run.
  await page.waitForFunction(() => /, ([6-9]|\d\d+) s so far\.$/.test(document.getElementById("run-text").textContent), null, { timeout: 20000 });
  await page.reload();
  await ready();
  const paused = async (why) => {
    assert.equal(await page.evaluate(() => window.podplay.getYaml()), COUNTER, "the work is back in the editor");
    assert.match(await text("#status"), why);
    assert.equal(await page.locator("#run-start").isVisible(), true);
    assert.equal(await page.evaluate(() => window.podplay.simulation), null);
    assert.equal(await page.locator(".track").count(), 0);
    await page.waitForTimeout(500);
    assert.equal(await running(), false, "nothing runs until asked");
  };
  await paused(/^This work opened paused: in this browser its simulation took more than [5-9] s before\. It is not simulated until you run it/);
  await page.screenshot({ path: join(shots, "opened-paused.png"), fullPage: true });

  // The button runs it; cancelled, it is remembered so, and opens paused again.
  await page.click("#run-start");
  assert.equal(await page.locator("#run-start").isHidden(), true);
  await counterRunning();
  await page.click("#run-cancel");
  await page.waitForFunction(() => !window.podplay.running && !document.getElementById("run-start").hidden);
  await page.reload();
  await ready();
  await paused(/^This work opened paused: in this browser its simulation was cancelled after \d+ s before\./);

  // An edit is a request to simulate: a quick YAML runs, and then opens as usual.
  await replaceYaml(liveness);
  assert.equal(await page.locator("#run-start").isHidden(), true);
  await page.reload();
  await ready();
  assert.equal(await page.evaluate(() => window.podplay.simulation.ok), true);
});

// `yes` writes about half a million lines a virtual second into its log (the kubelet rotates the
// file at 10 MiB): `kubectl logs yes` at 1m30s prints millions of lines. The logs pane shows the
// last of them and says how many it left out (laying out millions would hold the page).
test("the logs pane shows the end of a huge log and says how many lines it left out", async () => {
  await open("");
  await ready();
  await replaceYaml(`apiVersion: v1
kind: Pod
metadata: {name: yes}
spec:
  containers:
  - {name: yes, image: busybox:1.36, command: ["yes"]}
`);
  await seek(90);
  assert.equal(await text("#logs-cmd"), "kubectl logs yes");
  const note = await page.locator("#logs .omitted").textContent();
  const omitted = Number(note.match(/^… ([0-9,]+) earlier lines/)[1].replaceAll(",", ""));
  assert.ok(omitted > 100_000, note);
  // The pane's whole text (its lines are drawn a screenful at a time: web/src/virtual-text.js).
  const whole = await page.locator("#logs").evaluate((e) => e.fullText);
  assert.ok(whole.startsWith(note), "the note first");
  const shown = whole.slice(note.length);
  assert.equal(shown.split("\n").filter(Boolean).length, 5000);
  assert.ok(/^(y\n)+$/.test(shown), "the last lines, whole");
  const drawn = await page.locator("#logs .text-lines").textContent();
  assert.ok(drawn.split("\n").length < 200, `${drawn.split("\n").length} lines in the DOM`);
});
