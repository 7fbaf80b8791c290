// The built page's Content-Security-Policy (SECURITY.md), in headless Chromium: the policy is a
// meta tag in dist/index.html itself (dist/ goes to any static host, and server.mjs, like most
// of them, sends no CSP header), its script-src allows no inline script and no eval (only the
// page's own files and 'wasm-unsafe-eval' for its own wasm), the page works under it with no
// violation reported, and a script injected inline is refused.
// Run: node --test tests/e2e/csp.test.mjs   (after `scripts/test.sh build`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { context, dist, open, page, ready, replaceYaml, requests, scenario, seek, server, setUp } from "./harness.mjs";
import { checkPage, pagePolicy, parsePolicy } from "../../scripts/csp.mjs";

setUp({ name: "csp", contextOptions: { acceptDownloads: true } });

const liveness = await scenario("liveness-exec");

// Records every securitypolicyviolation event of the page (from before its first script).
const RECORD_VIOLATIONS = () => {
  window.__violations = [];
  addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile });
  }, true);
};
const violations = () => page.evaluate(() => window.__violations);

test("dist/index.html has one CSP meta tag, first in <head>, whose script-src allows no inline script and no eval", async () => {
  const html = await (await fetch(server.url)).text();
  assert.equal(html, await readFile(join(dist, "index.html"), "utf8"), "the test server sends dist/index.html as it is");
  const headers = (await fetch(server.url)).headers;
  assert.equal(headers.get("content-security-policy"), null, "no CSP header: the meta tag is the policy");
  assert.deepEqual(checkPage(html), [], "scripts/csp.mjs --check");
  const policy = parsePolicy(pagePolicy(html));
  assert.deepEqual(policy["script-src"], ["'self'", "'wasm-unsafe-eval'"]);
  for (const [name, sources] of Object.entries(policy)) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "*"]) {
      if (name !== "style-src") assert.ok(!sources.includes(bad), `${name} allows ${bad}`);
    }
  }
  assert.deepEqual(policy["default-src"], ["'none'"]);
  assert.deepEqual(policy["connect-src"], ["'self'"], "the wasm is fetched from the page's own folder");
  assert.deepEqual(policy["object-src"], ["'none'"]);
  assert.deepEqual(policy["base-uri"], ["'none'"]);
  // Every script is a file of the page's own folder, with its integrity.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 2, `${scripts.length} scripts`);
  for (const [, attrs, body] of scripts) {
    assert.equal(body.trim(), "", `an inline script: ${attrs}`);
    assert.match(attrs, /\ssrc="\.\/[\w.-]+\.js"/);
    assert.match(attrs, /\sintegrity="sha384-/);
  }
  assert.ok(html.indexOf("Content-Security-Policy") < html.indexOf("<script"), "the policy comes before the first script");
});

test("the wasm is downloaded once: the moved loader fetches it with the preload's integrity and keeps the compiled module for the engine's workers", async () => {
  const before = requests.length;
  await open();
  const wasm = requests.slice(before).filter((u) => u.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `requests for the wasm: ${wasm.join(", ")}`);
  assert.equal(await page.evaluate(() => window.wasmModule instanceof WebAssembly.Module), true);
  // The worker simulated with that module (the first view is drawn from its answer).
  assert.equal(await page.evaluate(() => window.podplay.simulation.ok), true);
  const marks = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => m.name).filter((n) => n.startsWith("podplay:")));
  assert.deepEqual(marks, ["podplay:start", "podplay:editor", "podplay:ready"], "the first view's milestones, in order");
});

test("the page works under its policy: loading, editing, the terminal, exports, Copy link; no violation is reported", async () => {
  await context.addInitScript(RECORD_VIOLATIONS);
  await open();
  assert.equal(await page.evaluate(() => window.podplay.simulation.ok), true);
  // The policy in force is the meta tag's (Chromium reads it from the document).
  assert.ok(await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]') !== null));
  await replaceYaml(liveness.replace("periodSeconds: 3 ", "periodSeconds: 4 "));
  await seek(70);
  await page.fill("#kubectl-cmd", "get pods");
  await page.press("#kubectl-cmd", "Enter");
  await page.waitForSelector("#kubectl-out .term-entry");
  // The exports: the PNG draws the SVG from a blob: URL (img-src blob:).
  for (const button of ["#export-svg", "#export-png", "#export-transcript"]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
    assert.ok((await readFile(await download.path())).length > 100, button);
  }
  await page.click("#library-toggle");
  await page.locator('#library-list li[data-scenario="crashloop-backoff"] .library-load').click();
  await page.waitForFunction(() => window.podplay.simulation.pods.includes("crasher"));
  await page.click("#copy-link");
  await page.waitForFunction(() => document.getElementById("link-note").textContent !== "");
  // The editor's styles (CodeMirror) and the lanes are drawn.
  assert.ok(await page.locator(".cm-editor .cm-line").count() > 5);
  assert.ok(await page.locator(".track .seg").count() > 0);
  assert.deepEqual(await violations(), []);
  // An embed works under the same policy.
  await page.goto(server.url + "?embed&panes=pods,timeline&t=30");
  await ready();
  assert.match(await page.locator("#get-pods").innerText(), /pod-live-exec/);
  assert.deepEqual(await violations(), []);
});

test("an inline script, an inline event handler, eval and a javascript: URL are refused and reported", async () => {
  // A tab of its own: the refusals it provokes are expected, so they are not the harness's page errors.
  const tab = await context.newPage();
  const consoleErrors = [];
  tab.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  try {
    await tab.goto(server.url);
    await tab.waitForSelector("body[data-ready=true]", { timeout: 30000 });
    const result = await tab.evaluate(async () => {
      const seen = [];
      addEventListener("securitypolicyviolation", (e) => seen.push(e.effectiveDirective), true);
      const s = document.createElement("script");
      s.textContent = "window.__inlineRan = true";
      document.head.append(s);
      const m = document.createElement("script");
      m.type = "module";
      m.textContent = "window.__moduleRan = true";
      document.head.append(m);
      const div = document.createElement("div");
      div.setAttribute("onclick", "window.__handlerRan = true");
      document.body.append(div);
      div.click();
      const box = document.createElement("div");
      box.innerHTML = '<img src="data:," onerror="window.__onerrorRan = true">';
      document.body.append(box);
      // eval from a task of the page's own (DevTools' evaluation itself is exempt from the policy).
      const [evalRefused, functionRefused] = await new Promise((resolve) => setTimeout(() => {
        const refused = (f) => { try { f(); return false; } catch (e) { return e instanceof EvalError; } };
        resolve([refused(() => (0, eval)("window.__evalRan = true")), refused(() => new Function("window.__functionRan = true")())]);
      }, 0));
      const a = document.createElement("a");
      a.href = "javascript:window.__jsUrlRan = true";
      document.body.append(a);
      a.click();
      await new Promise((r) => setTimeout(r, 500));
      const ran = ["__inlineRan", "__moduleRan", "__handlerRan", "__onerrorRan", "__evalRan", "__functionRan", "__jsUrlRan"].filter((k) => k in window);
      return { ran, seen, evalRefused, functionRefused };
    });
    assert.deepEqual(result.ran, [], "nothing injected ran");
    assert.equal(result.evalRefused, true, "eval throws EvalError");
    assert.equal(result.functionRefused, true, "new Function throws EvalError");
    for (const directive of ["script-src-elem", "script-src-attr", "script-src"]) {
      assert.ok(result.seen.includes(directive), `a ${directive} violation in ${result.seen}`);
    }
    assert.ok(result.seen.filter((d) => d === "script-src-elem").length >= 2, "both inline scripts refused");
    assert.ok(consoleErrors.some((t) => /Content Security Policy/.test(t)), consoleErrors.join("\n"));
    // The page still works after the refusals.
    assert.equal(await tab.evaluate(() => window.podplay.simulation.ok), true);
  } finally {
    await tab.close();
  }
});
