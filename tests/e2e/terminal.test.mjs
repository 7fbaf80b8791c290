// Browser tests of the terminal, the scenario library and the exports, against the built page
// (dist/) served from 127.0.0.1 under a sub-path, in headless Chromium (/usr/bin/chromium).
// Run: node --test tests/e2e/terminal.test.mjs   (after `trunk build --release`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { foreignRequests, newPage, open, page, pageErrors, ready, rendered, requests, root, seek, setUp, shots, text } from "./harness.mjs";
import { parseHeader, plainOfCode } from "../../web/src/library.js";

const scenarioDir = join(root, "tests", "scenarios");
const scenarioFiles = (await readdir(scenarioDir)).filter((f) => f.endsWith(".yaml")).sort();
const scenarioText = Object.fromEntries(await Promise.all(scenarioFiles.map(async (f) => [f.replace(/\.yaml$/, ""), await readFile(join(scenarioDir, f), "utf8")])));

setUp({ name: "term", contextOptions: { acceptDownloads: true } });

const yaml = () => page.evaluate(() => window.podplay.getYaml());

// Types a command at the terminal's prompt and presses Enter.
async function type(command) {
  await page.click("#kubectl-cmd");
  await page.fill("#kubectl-cmd", "");
  await page.keyboard.type(command);
  const before = await page.locator("#kubectl-out .term-entry").count();
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => document.querySelectorAll("#kubectl-out .term-entry").length > n, before);
  return page.locator("#kubectl-out .term-entry").last();
}
async function downloadOf(buttonSelector) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(buttonSelector)]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

test("every scenario has a library header: title, explanation, and a suggested time and command", () => {
  assert.ok(scenarioFiles.length >= 18, `${scenarioFiles.length} scenarios`);
  for (const [name, yamlText] of Object.entries(scenarioText)) {
    const h = parseHeader(yamlText);
    assert.ok(h, `${name}.yaml: no header "# Title / # / # paragraph / # / # Try at T: kubectl ..."`);
    assert.ok(h.title.length > 3 && h.explanation.length > 60, `${name}: ${JSON.stringify(h)}`);
    assert.match(h.tryAt, /^\d+(ms|s|m|h)(\d+s)?$/, name);
  }
  // And a header that is not one is refused.
  assert.equal(parseHeader("# Just a comment\napiVersion: v1\n"), null);
});

test("exec ... -- rm at 40s in readiness-httpget becomes a step; READY goes 0/1 after it, the exec's output shows", async () => {
  await open("#scenario=readiness-httpget");
  await seek(80);
  assert.match(await text("#get-pods"), /pod-live-readiness\s+1\/1\s+Running/, "ready at 80 s before the new step");
  await seek(40);
  const entry = await type("exec pod-live-readiness -- rm -rf /usr/share/nginx/html/index.html");
  assert.match(await entry.innerText(), /\$ kubectl exec pod-live-readiness -- rm -rf \/usr\/share\/nginx\/html\/index\.html/);
  assert.match(await entry.innerText(), /added to the scenario: a step at 40s/);
  const edited = await yaml();
  const original = scenarioText["readiness-httpget"];
  assert.equal(edited, original.replace("  steps:\n", "  steps:\n  - at: 40s\n    run: kubectl exec pod-live-readiness -- rm -rf /usr/share/nginx/html/index.html\n"));
  await page.waitForFunction((y) => window.podplay.simulatedYaml === y, edited);
  // The step runs at 40 s: the readiness probe (every 3 s) then fails, READY drops before 100 s.
  await seek(30);
  assert.match(await text("#get-pods"), /pod-live-readiness\s+1\/1\s+Running/);
  await seek(80);
  assert.match(await text("#get-pods"), /pod-live-readiness\s+0\/1\s+Running\s+0/);
  // An exec that only looks prints what it printed at that time (after the step's rm), and is
  // no step (tests/e2e/terminal-steps.test.mjs has the rest of what is and is not a step).
  await seek(50);
  const steps = (await yaml()).match(/- at:/g).length;
  const ls = await type("exec pod-live-readiness -- ls /usr/share/nginx/html");
  assert.match(await ls.locator(".term-out").innerText(), /^50x\.html\n# changed nothing in the cluster: not added to the scenario/);
  assert.equal((await yaml()).match(/- at:/g).length, steps);
  // A read-only command is not a step.
  const get = await type("get pods");
  assert.match(await get.innerText(), /\[50s\] \$ kubectl get pods\nNAME\s+READY/);
  assert.equal((await yaml()).match(/- at:/g).length, steps);
  await page.screenshot({ path: join(shots, "terminal.png"), fullPage: true });
});

test("history: ArrowUp and ArrowDown walk the commands, kept across a reload", async () => {
  await open();
  await type("get pods");
  await type("get nodes");
  await page.click("#kubectl-cmd");
  await page.keyboard.type("draft");
  const value = () => page.locator("#kubectl-cmd").inputValue();
  await page.keyboard.press("ArrowUp");
  assert.equal(await value(), "get nodes");
  await page.keyboard.press("ArrowUp");
  assert.equal(await value(), "get pods");
  await page.keyboard.press("ArrowDown");
  assert.equal(await value(), "get nodes");
  await page.keyboard.press("ArrowDown");
  assert.equal(await value(), "draft");
  await page.reload();
  await ready();
  await page.click("#kubectl-cmd");
  await page.keyboard.press("ArrowUp");
  assert.equal(await value(), "get nodes");
});

test("Tab completes verbs, pod names, container names after -c, and node names", async () => {
  await open();
  const value = () => page.locator("#kubectl-cmd").inputValue();
  await page.click("#kubectl-cmd");
  await page.keyboard.type("desc");
  await page.keyboard.press("Tab");
  assert.equal(await value(), "describe ");
  await page.keyboard.type("pod pod-l");
  await page.keyboard.press("Tab");
  assert.equal(await value(), "describe pod pod-live-exec ");
  await page.fill("#kubectl-cmd", "logs pod-live-exec -c ");
  await page.keyboard.press("End");
  await page.keyboard.press("Tab");
  assert.equal(await value(), "logs pod-live-exec -c container-live-exec ");
  await page.fill("#kubectl-cmd", "cordon no");
  await page.keyboard.press("End");
  await page.keyboard.press("Tab");
  assert.equal(await value(), "cordon node-1 ");
  // Several candidates: the common prefix, and the list under the prompt.
  await page.fill("#kubectl-cmd", "get po");
  await page.keyboard.press("End");
  await page.keyboard.press("Tab");
  assert.equal(await value(), "get po");
  // Every kind `po` begins (pods and PodDisruptionBudgets, each as kubectl spells them).
  assert.match(await text("#term-hint"), /(^|\s)pod\s.*\spods(\s|$)/);
  assert.match(await text("#term-hint"), /\spoddisruptionbudgets\s/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "kubectl-cmd", "Tab stays in the terminal");
});

test("the library lists every scenario with its explanation; loading one sets the editor, the time and the command", async () => {
  await open();
  await page.click("#library-toggle");
  const entries = page.locator("#library-list li");
  assert.equal(await entries.count(), scenarioFiles.length);
  for (const [name, yamlText] of Object.entries(scenarioText)) {
    const li = page.locator(`#library-list li[data-scenario="${name}"]`);
    const h = parseHeader(yamlText);
    // Shown as the header says, its `code` spans as <code> (library-code.test.mjs).
    assert.equal(await li.locator("h3").innerText(), plainOfCode(h.title));
    assert.equal(await li.locator(".library-explanation").innerText(), plainOfCode(h.explanation));
  }
  await page.locator('#library-list li[data-scenario="crashloop-backoff"] .library-load').click();
  assert.equal(await yaml(), scenarioText["crashloop-backoff"]);
  assert.equal(await page.locator("#scenario").inputValue(), "crashloop-backoff");
  await rendered(150000);
  assert.equal(await page.locator("#kubectl-cmd").inputValue(), "describe pod crasher");
  assert.match(await text("#get-pods"), /crasher\s+0\/1\s+CrashLoopBackOff\s+4 \(/);
  // Every suggested command works at its suggested time.
  const results = await page.evaluate((all) => all.map(([name, y, at, cmd]) => {
    const out = window.wasmBindings.kubectl(y, window.wasmBindings.parseDuration(at), cmd);
    return { name, cmd, exitCode: out.exitCode, stdout: out.stdout, stderr: out.stderr };
  }), Object.entries(scenarioText).map(([name, y]) => { const h = parseHeader(y); return [name, y, h.tryAt, h.tryCommand]; }));
  for (const r of results) {
    assert.equal(r.exitCode, 0, `${r.name}: ${r.cmd}: ${r.stderr}`);
    assert.ok(r.stdout.length > 0, `${r.name}: ${r.cmd} printed nothing`);
  }
  await page.screenshot({ path: join(shots, "library.png"), fullPage: true });
});

test("exports: the timeline as SVG and PNG, the transcript as text", async () => {
  await open();
  await seek(130);
  await type("get nodes");
  const svg = await downloadOf("#export-svg");
  assert.equal(svg.name, "podplay-liveness-exec-2m10s.svg");
  const svgText = svg.bytes.toString("utf8");
  assert.ok(svgText.startsWith("<?xml"), svgText.slice(0, 40));
  const check = await page.evaluate((s) => {
    const doc = new DOMParser().parseFromString(s, "image/svg+xml");
    return {
      error: doc.querySelector("parsererror")?.textContent ?? null,
      root: doc.documentElement.localName,
      lanes: [...doc.querySelectorAll("g[data-name]")].map((g) => g.getAttribute("data-name")),
      segments: [...doc.querySelectorAll("rect.segment title")].map((t) => t.textContent),
      bands: [...doc.querySelectorAll("rect.bseg title")].map((t) => t.textContent),
      probes: doc.querySelectorAll("rect.ptick").length,
    };
  }, svgText);
  assert.equal(check.error, null);
  assert.equal(check.root, "svg");
  assert.deepEqual(check.lanes, ["pod-live-exec", "↳ conditions", "↳ container-live-exec"]);
  assert.ok(check.bands.some((b) => /^Ready=True from /.test(b)), check.bands.join("; "));
  assert.ok(check.probes > 20, `${check.probes} probe ticks in the SVG`);
  assert.ok(check.segments.some((s) => s.startsWith("Running from")), check.segments.join("; "));
  assert.ok(check.segments.some((s) => s.startsWith("Waiting from")), check.segments.join("; "));

  const png = await downloadOf("#export-png");
  assert.equal(png.name, "podplay-liveness-exec-2m10s.png");
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.bytes.length > 2000, `${png.bytes.length} bytes`);
  // IHDR: twice the SVG's size.
  assert.equal(png.bytes.readUInt32BE(16), 2000);

  const tx = await downloadOf("#export-transcript");
  const transcript = tx.bytes.toString("utf8");
  const getPods = await text("#get-pods");
  assert.ok(transcript.includes(`$ cat scenario.yaml\n${scenarioText["liveness-exec"]}`), transcript.slice(0, 300));
  assert.ok(transcript.includes(`# at 2m10s\n$ kubectl get pods\n${getPods.trimEnd()}\n`), transcript);
  assert.match(transcript, /\$ kubectl describe pod pod-live-exec\nName:\s+pod-live-exec/);
  assert.match(transcript, /# terminal\n# at 2m10s\n\$ kubectl get nodes\nNAME\s+STATUS/);
});

test("a link taken after a terminal step restores the step", async () => {
  await open();
  await seek(30);
  await type("delete pod pod-live-exec");
  assert.ok((await yaml()).includes("  - at: 30s\n    run: kubectl delete pod pod-live-exec\n"));
  await page.waitForFunction(() => location.hash.includes("z="));
  const link = await page.evaluate(() => location.href);
  const stepped = await yaml();
  await page.close();
  await newPage();
  await page.goto(link);
  await ready();
  assert.equal(await yaml(), stepped);
  await seek(120);
  assert.match(await text("#get-pods"), /No resources found in default namespace\./);
});

test("apply -f - takes a manifest until Ctrl-D and adds it to the step", async () => {
  await open();
  await seek(20);
  await page.click("#kubectl-cmd");
  await page.keyboard.type("apply -f -");
  await page.keyboard.press("Enter");
  assert.equal(await text("#term-prompt"), ">");
  for (const line of ["apiVersion: v1", "kind: Service", "metadata: {name: extra}", "spec:", "  ports: [{port: 80}]"]) {
    await page.keyboard.type(line);
    await page.keyboard.press("Enter");
  }
  await page.keyboard.press("Control+D");
  await page.waitForFunction(() => document.querySelectorAll("#kubectl-out .term-entry").length === 1);
  assert.match(await text("#kubectl-out"), /service\/extra created/);
  assert.ok((await yaml()).includes("  - at: 20s\n    run: kubectl apply -f -\n    manifest: |\n      apiVersion: v1\n      kind: Service\n"));
  await seek(30);
  const out = await type("get services");
  assert.match(await out.innerText(), /\nextra\s+ClusterIP/);
});

test("nothing was requested from another host, and no page error was logged", () => {
  assert.ok(requests.length > 0);
  assert.deepEqual(foreignRequests(), [], "requests to other hosts");
  assert.deepEqual(pageErrors, []);
});
