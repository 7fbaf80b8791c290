// Browser tests of what the terminal makes a scenario step: only a command that changed the
// cluster (the engine's typed answer, `Session.tryCommand`), with a note and "undo step"; reads,
// refused commands and execs that only look run at the cursor and leave the YAML alone; pipes to
// grep/head/wc run on kubectl's output; an interactive shell is explained; a pasted heredoc keeps
// the manifest's lines. Against the built page (dist/) in headless Chromium.
// Run: node --test tests/e2e/terminal-steps.test.mjs   (after `trunk build --release`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { open, page, scenario, seek, setUp, shots } from "./harness.mjs";

setUp({ name: "term-steps" });

const yaml = () => page.evaluate(() => window.podplay.getYaml());
const entries = () => page.locator("#kubectl-out .term-entry");

// Types a command at the prompt, presses Enter and waits for its answer.
async function type(command) {
  await page.click("#kubectl-cmd");
  await page.fill("#kubectl-cmd", command);
  const before = await entries().count();
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => document.querySelectorAll("#kubectl-out .term-entry").length > n, before);
  return entries().nth(before);
}

// Pastes `text` into the prompt as a clipboard paste does.
async function paste(text) {
  await page.click("#kubectl-cmd");
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData("text/plain", t);
    document.getElementById("kubectl-cmd").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

test("refused commands and execs that only look run at the cursor and add no step", async () => {
  await open();
  await seek(30);
  const original = await yaml();
  assert.equal(original, await scenario("liveness-exec"));
  const cases = [
    ["delete pod nosuch", /Error from server \(NotFound\): pods "nosuch" not found/],
    ["exec pod-live-exec -- ls /tmp", /^healthy-test\n/],
    ["exec nosuchpod -- ls", /Error from server \(NotFound\): pods "nosuchpod" not found/],
    ["exec pod-live-exec -- nosuchcmd", /executable file not found in \$PATH/],
    ["exec pod-live-exec -- cat /etc/hostname", /^pod-live-exec\n/],
    ["exec pod-live-exec -- ps", /PID\s+USER\s+TIME\s+COMMAND/],
  ];
  for (const [command, printed] of cases) {
    const entry = await type(command);
    const out = await entry.locator(".term-out").innerText();
    assert.match(out, printed, command);
    assert.match(out, /# changed nothing in the cluster: not added to the scenario/, command);
    assert.equal(await entry.getAttribute("data-step"), null, command);
    assert.equal(await entry.locator(".term-undo").count(), 0, command);
    assert.equal(await yaml(), original, `${command} left the YAML as it was`);
  }
});

test("delete pod of an existing pod adds exactly one step, says so, and undo step removes exactly it", async () => {
  await open();
  await seek(30);
  const original = await yaml();
  const entry = await type("delete pod pod-live-exec");
  assert.match(await entry.innerText(), /pod "pod-live-exec" deleted\n# added to the scenario: a step at 30s/);
  assert.equal(await entry.getAttribute("data-step"), "true");
  const stepped = await yaml();
  assert.equal(stepped.match(/- at:/g).length, 1, stepped);
  assert.ok(stepped.startsWith(original) && stepped.includes("  - at: 30s\n    run: kubectl delete pod pod-live-exec\n"), stepped);
  await page.waitForFunction((y) => window.podplay.simulatedYaml === y, stepped);
  await seek(40);
  assert.match(await page.locator("#get-pods").innerText(), /pod-live-exec\s+1\/1\s+Terminating/);
  // An edit elsewhere in the YAML does not stop the undo from taking back exactly the step.
  await page.evaluate(() => window.podplay.setYaml(window.podplay.getYaml().replace("namespace: default", "namespace: default # mine")));
  const undo = entry.locator(".term-undo");
  assert.equal(await undo.innerText(), "undo step");
  await page.locator("#terminal").screenshot({ path: join(shots, "terminal-step-undo.png") });
  const before = await entries().count();
  await undo.click();
  await page.waitForFunction((n) => document.querySelectorAll("#kubectl-out .term-entry").length > n, before);
  assert.match(await entries().last().innerText(), /\$ undo step\n# removed from the scenario: the step at 30s, kubectl delete pod pod-live-exec/);
  assert.equal(await yaml(), original.replace("namespace: default", "namespace: default # mine"));
  assert.equal(await undo.isDisabled(), true);
  await page.waitForFunction(() => window.podplay.simulatedYaml === window.podplay.getYaml());
  await seek(40);
  assert.match(await page.locator("#get-pods").innerText(), /pod-live-exec\s+1\/1\s+Running/);
});

test("get pods | grep Running filters kubectl's output; a pipe to anything else is refused", async () => {
  await open();
  await seek(30);
  const grep = await type("get pods | grep Running");
  assert.match(await grep.innerText(), /\[30s\] \$ kubectl get pods \| grep Running\n/);
  assert.match(await grep.locator(".term-out").innerText(), /^pod-live-exec\s+1\/1\s+Running\s+0\s+30s\n?$/);
  const count = await type("get pods --no-headers | wc -l");
  assert.match(await count.locator(".term-out").innerText(), /^1\n?$/);
  const none = await type("get pods | grep -c CrashLoopBackOff");
  assert.match(await none.locator(".term-out").innerText(), /^0\n?$/);
  const refused = await type("get pods | xargs echo");
  assert.match(await refused.locator(".term-out").innerText(), /^error: the terminal cannot run "xargs" here: after \| the terminal applies grep, head, tail, wc, sort to what kubectl printed/);
  const steps = await type("delete pod pod-live-exec; get pods");
  assert.match(await steps.locator(".term-out").innerText(), /^error: the terminal runs one kubectl command at a time, without `;`/);
  assert.equal(await yaml(), await scenario("liveness-exec"), "nothing refused became a step");
});

test("exec -it POD -- sh says what is possible and adds no step", async () => {
  await open();
  await seek(30);
  const entry = await type("exec -it pod-live-exec -- sh");
  const out = await entry.locator(".term-out").innerText();
  assert.match(out, /^podplay does not simulate an interactive shell: this terminal runs one command at a time\./);
  assert.match(out, /kubectl exec pod-live-exec -- sh -c 'ls -l \/; cat \/etc\/hostname'/);
  assert.equal(await yaml(), await scenario("liveness-exec"));
});

test("a pasted heredoc into apply -f - keeps the manifest's lines and saves a valid step", async () => {
  await open();
  await seek(20);
  const before = await entries().count();
  await paste("kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  ports:\n  - port: 80\nEOF\n");
  await page.waitForFunction((n) => document.querySelectorAll("#kubectl-out .term-entry").length > n, before);
  const entry = entries().last();
  assert.match(await entry.innerText(), /\$ kubectl apply -f - <<EOF\n/);
  assert.match(await entry.locator(".term-out").innerText(), /^service\/extra created\n# added to the scenario: a step at 20s/);
  const stepped = await yaml();
  assert.ok(
    stepped.includes("  - at: 20s\n    run: kubectl apply -f -\n    manifest: |\n      apiVersion: v1\n      kind: Service\n      metadata:\n        name: extra\n      spec:\n        ports:\n        - port: 80\n"),
    stepped,
  );
  await page.waitForFunction((y) => window.podplay.simulatedYaml === y, stepped);
  assert.equal(await page.evaluate(() => window.podplay.simulation?.ok ?? true), true);
  await seek(30);
  const get = await type("get services extra");
  assert.match(await get.locator(".term-out").innerText(), /\nextra\s+ClusterIP/);
});
