// Browser tests of the editor's schema help (completion, hover docs) and of the "why"
// highlight (a change's spec fields marked in the YAML), against the built page (dist/),
// served from 127.0.0.1 under a sub-path and driven in headless Chromium with playwright-core.
// Run: node --test tests/e2e/editor.test.mjs   (after `trunk build --release`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { clickMarker, page, replaceYaml, setUp, shots, open } from "./harness.mjs";

setUp({ name: "editor" });

// The lines marked as the block of a defaulted field: [line text, note].
const defaultBlocks = () => page.$$eval(".cm-line.cm-why-default", (lines) => lines.map((line) => {
  const copy = line.cloneNode(true);
  const note = copy.querySelector(".cm-why-note");
  note?.remove();
  return [copy.textContent.trim(), note?.textContent ?? ""];
}));

// Opens completion at the end of the text (after typing `typed` there) with Ctrl-Space and
// returns the offered labels and details.
async function completeAtEnd(typed) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText(typed);
  await page.keyboard.press("Control+Space");
  const box = page.locator(".cm-tooltip-autocomplete");
  await box.waitFor({ timeout: 5000 });
  return box.locator("li").evaluateAll((lis) =>
    lis.map((li) => ({ label: li.querySelector(".cm-completionLabel")?.textContent, detail: li.querySelector(".cm-completionDetail")?.textContent ?? "" })));
}

const PROBE = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: busybox:1.36
    livenessProbe:
      exec:
        command: ["true"]`;

test("Ctrl-Space under a probe offers the probe's fields, with type and default", async () => {
  await open();
  await replaceYaml(PROBE);
  const options = await completeAtEnd("\n      periodS");
  const labels = options.map((o) => o.label);
  assert.ok(labels.includes("periodSeconds"), `offered: ${labels}`);
  assert.ok(!labels.includes("image") && !labels.includes("restartPolicy"), `only a probe's fields: ${labels}`);
  assert.equal(options.find((o) => o.label === "periodSeconds").detail, "integer, default 10");
  // Accepting it (a click: Enter is ignored in the popup's first 75 ms) writes the key.
  const label = page.locator(".cm-completionLabel", { hasText: /^periodSeconds$/ });
  await page.locator(".cm-tooltip-autocomplete li", { has: label }).click();
  const yaml = await page.evaluate(() => window.podplay.getYaml());
  assert.ok(yaml.endsWith("\n      periodSeconds: "), JSON.stringify(yaml.slice(-40)));

  // One level up, at the container's indentation, the container's fields not written yet.
  await page.keyboard.press("Escape");
  const container = (await completeAtEnd("3\n    ")).map((o) => o.label);
  for (const name of ["readinessProbe", "imagePullPolicy", "ports", "resources"]) assert.ok(container.includes(name), `${name} in ${container}`);
  for (const name of ["name", "image", "livenessProbe", "periodSeconds"]) assert.ok(!container.includes(name), `${name} in ${container}`);
});

test("completion after `restartPolicy: ` offers the three policies", async () => {
  await open();
  await replaceYaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n  restartPolicy: ");
  const options = await completeAtEnd("");
  assert.deepEqual(options.map((o) => o.label), ["Always", "OnFailure", "Never"]);
  // Enumerations elsewhere: a toleration's effect.
  await replaceYaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  tolerations:\n  - key: k\n    effect: ");
  const effects = (await completeAtEnd("")).map((o) => o.label);
  assert.deepEqual(effects.sort(), ["NoExecute", "NoSchedule", "PreferNoSchedule"]);
});

test("hovering failureThreshold shows its type, default and meaning", async () => {
  await open();
  await replaceYaml(`${PROBE}\n      failureThreshold: 5\n`);
  const rect = await page.evaluate(() => {
    const walker = document.createTreeWalker(document.querySelector(".cm-content"), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent.indexOf("failureThreshold");
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + "failureThreshold".length);
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }
    return null;
  });
  assert.ok(rect, "failureThreshold is on screen");
  await page.mouse.move(rect.x, rect.y);
  const doc = page.locator(".cm-tooltip-hover .cm-schema-doc");
  await doc.waitFor({ timeout: 5000 });
  const shown = await doc.innerText();
  assert.match(shown, /failureThreshold \(integer, default 3\)/);
  assert.match(shown, /failed probes in a row/);
  await page.screenshot({ path: join(shots, "editor-hover.png") });
});

test("clicking the liveness kill highlights periodSeconds: 3 and names the default failureThreshold", async () => {
  await open();
  assert.equal(await page.locator("#scenario").inputValue(), "liveness-exec");
  const killing = page.locator('.container-lane:has(.ctrack[data-container="container-live-exec"]) .marker[data-reason="Killing"]').first();
  await clickMarker(killing);
  const highlighted = page.locator(".cm-line.cm-why-field");
  await highlighted.first().waitFor({ timeout: 5000 });
  const lines = await highlighted.allInnerTexts();
  assert.equal(lines.length, 1, `highlighted: ${JSON.stringify(lines)}`);
  assert.match(lines[0].trim(), /^periodSeconds: 3\b/);
  // failureThreshold is not written: its block (livenessProbe:) is marked, with the default.
  // restartPolicy and the grace period are defaults too: their block is the pod's spec.
  assert.deepEqual(await defaultBlocks(), [
    ["spec:", "restartPolicy (default Always), terminationGracePeriodSeconds (default 30)"],
    ["livenessProbe:", "failureThreshold (default 3)"],
  ]);
  // The table's cause cell lists the fields.
  const fields = await page.locator("#changes tr.selected .why-field").allInnerTexts();
  assert.ok(fields.includes("livenessProbe.periodSeconds: 3"), `${fields}`);
  assert.ok(fields.includes("livenessProbe.failureThreshold (default 3)"), `${fields}`);
  assert.ok(fields.includes("restartPolicy (default Always)"), `${fields}`);
  await page.screenshot({ path: join(shots, "editor-why.png"), fullPage: true });

  // Picking one field of another row highlights just that field.
  const unhealthy = page.locator("#changes tbody tr", { hasText: "Warning Unhealthy" }).first();
  await unhealthy.locator(".why-field").first().click();
  await page.waitForFunction(() => document.querySelectorAll(".cm-line.cm-why-field").length === 1
    && document.querySelector(".cm-line.cm-why-field").textContent.includes("command"));
  assert.match(await page.locator(".cm-line.cm-why-field").innerText(), /command: \["test", "-e", "\/tmp\/healthy-test"\]/);
  assert.equal(await page.locator(".cm-line.cm-why-default").count(), 0);
});

test("a scheduling failure points at what the scheduler read", async () => {
  await open();
  await page.selectOption("#scenario", "scheduling-taint");
  await page.waitForFunction(() => window.podplay.simulation.pods.includes("web"));
  const row = page.locator("#changes tbody tr", { hasText: "FailedScheduling" }).first();
  await row.locator(".row-pick").click();
  const fields = await row.locator(".why-field").allInnerTexts();
  assert.ok(fields.some((f) => f.startsWith("tolerations (default")), `${fields}`);
  // Not written: the note sits on the enclosing block, the pod's spec.
  await page.locator(".cm-line.cm-why-default").first().waitFor({ timeout: 5000 });
  assert.deepEqual(await defaultBlocks(), [["spec:", "tolerations (default [node.kubernetes.io/not-ready, node.kubernetes.io/unreachable])"]]);
});
