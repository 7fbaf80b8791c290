// Nothing the user wrote is lost (SECURITY.md): a link that cannot be read keeps the user's own
// work and says why; a scenario, Reset, the library or a link loaded over edits keeps them as a
// restorable draft; two tabs do not overwrite each other's work silently; a full localStorage
// and a YAML over the limit are said, not ignored. On the built page, in headless Chromium.
// Run: node --test tests/e2e/keep.test.mjs   (after `scripts/test.sh build`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { context, newPage, open, page, ready, replaceYaml, scenario, server, setUp, text } from "./harness.mjs";
import { compressText } from "../../web/src/link.js";

setUp({ name: "keep" });

const liveness = await scenario("liveness-exec");
const poststart = await scenario("poststart-ok");
const mine = liveness.replace("periodSeconds: 3 ", "periodSeconds: 9 ") + "# my own work\n";
const yaml = () => page.evaluate(() => window.podplay.getYaml());
const notice = (id) => page.locator(`.notice[data-notice="${id}"] p`);
const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem("podplay:work")));
const drafts = () => page.evaluate(() => JSON.parse(localStorage.getItem("podplay:drafts") ?? "[]"));

// Saves `mine` as the work kept in this browser (through the page), then opens `suffix`.
async function withSavedWork(suffix) {
  await open();
  await replaceYaml(mine);
  await page.evaluate(() => window.podplay.setCursor(77));
  assert.equal((await stored()).yaml, mine);
  await goFresh(suffix);
}

// Opens server.url + suffix as a new document (from the same URL, a fragment alone would not).
async function goFresh(suffix) {
  await page.goto("about:blank");
  await page.goto(server.url + suffix);
  await ready();
}

test("a cut-short #z= link keeps the work saved in this browser, says why, and leaves the link in the address bar", async () => {
  const z = await compressText(poststart);
  const cut = `#z=${z.slice(0, z.length - 12)}&until=2m&t=30`;
  await withSavedWork(cut);
  assert.equal(await yaml(), mine, "the user's own work, not the example");
  assert.equal(await text("#cursor-text"), "1m17s", "with its own time");
  assert.equal(await notice("link").innerText(),
    "This link could not be opened: its YAML could not be decompressed: the link is cut short or damaged. Showing the work saved in this browser instead; the link stays in the address bar until you change something.");
  await page.waitForTimeout(400);
  assert.equal(await page.evaluate(() => location.hash), cut, "the link is not rewritten");
  assert.equal((await stored()).yaml, mine, "nor the saved work");
  // The first change of the user's writes the link as usual.
  await page.evaluate(() => window.podplay.setCursor(20));
  await page.waitForFunction(() => location.hash.startsWith("#z=") && location.hash.endsWith("t=20"));
  assert.equal((await stored()).yaml, mine);
});

test("#z=garbage, an empty #yaml= and an unknown #scenario= keep the saved work; without saved work the example shows, said as such", async () => {
  for (const [link, why] of [
    ["#z=garbage", "its YAML could not be decompressed: the link is cut short or damaged"],
    ["#yaml=", "its YAML (yaml=) is empty"],
    ["#z=@@@", "its YAML (z=) is not base64url text: the link was changed or cut"],
    ["#scenario=no-such-scenario&t=5", 'it names a scenario, "no-such-scenario", that this page does not have'],
  ]) {
    await withSavedWork(link);
    assert.equal(await yaml(), mine, link);
    assert.match(await notice("link").innerText(), new RegExp(`^This link could not be opened: ${why.replace(/[()=.]/g, "\\$&")}\\. Showing the work saved in this browser instead`), link);
    assert.equal(await page.evaluate(() => location.hash), link);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  }
  // Nothing saved: the example, and the notice says so.
  await newPage();
  await page.goto(server.url + "#z=garbage");
  await ready();
  assert.equal(await yaml(), liveness);
  assert.match(await notice("link").innerText(), /could not be decompressed: the link is cut short or damaged\. Showing the example instead; the link stays/);
  // Dismiss takes the notice away.
  await page.click('.notice[data-notice="link"] .notice-close');
  assert.equal(await page.locator("#notices").isHidden(), true);
});

test("a link's bad until and t are said and left out; its YAML still opens", async () => {
  await newPage();
  await page.goto(`${server.url}#scenario=poststart-ok&until=zz&t=0x10`);
  await ready();
  assert.equal(await yaml(), poststart);
  assert.equal(await page.locator("#until").inputValue(), "5m");
  assert.equal(await page.locator("#until").getAttribute("aria-invalid"), null);
  assert.equal(await text("#cursor-text"), "5m0s", "t=0x10 is not 16 s");
  assert.equal(await notice("link").innerText(),
    "Part of this link was not used: its time t=0x10 is not a number of seconds; its duration until=zz is not one (e.g. 90s, 5m, 1h).");
  for (const t of ["-5", "%2B5", "1_000"]) {
    await goFresh(`#scenario=poststart-ok&t=${t}`);
    assert.equal(await text("#cursor-text"), "5m0s", t);
    assert.match(await notice("link").innerText(), /is not a number of seconds/, t);
  }
});

test("a link whose YAML is over 256 KB once decompressed keeps the saved work and says so", async () => {
  const big = liveness + "# " + "x".repeat(300 * 1024) + "\n";
  const z = await compressText(big);
  assert.ok(z.length < 10000, `a small link: ${z.length} chars`);
  await withSavedWork(`#z=${z}`);
  assert.equal(await yaml(), mine);
  assert.match(await notice("link").innerText(), /^This link could not be opened: its YAML is larger than 256 KB once decompressed \(podplay opens YAML up to 256 KB\)\. Showing the work saved in this browser instead/);
});

test("a YAML over 256 KB in the editor is not simulated, and the page says why", async () => {
  await open();
  const big = liveness + "# " + "y".repeat(260 * 1024) + "\n";
  await page.evaluate((y) => window.podplay.setYaml(y), big);
  const sim = await page.evaluate(() => window.podplay.simulation);
  assert.equal(sim.ok, false);
  assert.match(await text("#diagnostics"), /^The YAML is 26\d KB: podplay simulates YAML up to 256 KB\. Shorten it to see the simulation\.$/);
  assert.match(await text("#status"), /podplay simulates YAML up to 256 KB/);
  // What is shown stays the last valid YAML's, dimmed.
  assert.equal(await page.evaluate(() => window.podplay.showingLastValid), true);
  assert.ok(await page.locator(".track").count() > 0);
  await page.evaluate((y) => window.podplay.setYaml(y), liveness);
  assert.equal(await page.evaluate(() => window.podplay.simulation.ok), true);
});

test("choosing a scenario, the library, Reset or a link over edits keeps the edits as a draft, restorable after a reload", async () => {
  await open();
  await replaceYaml(mine);
  await page.evaluate(() => window.podplay.setCursor(77));
  await page.selectOption("#scenario", "poststart-ok");
  await page.waitForFunction((w) => window.podplay.simulatedYaml === w, poststart);
  assert.match(await notice("draft").innerText(), /^Your edited YAML \(pod-live-exec, \d+ lines\) was kept as a draft/);
  assert.equal(await page.locator("#drafts").isVisible(), true);
  assert.equal(await text("#drafts-count"), "1");
  assert.deepEqual((await drafts()).map((d) => d.yaml), [mine]);
  // An untouched example is nobody's work: switching again keeps no draft of it.
  await page.selectOption("#scenario", "liveness-exec");
  await page.waitForFunction((w) => window.podplay.simulatedYaml === w, liveness);
  assert.equal((await drafts()).length, 1);
  // The notice's button brings the edits back.
  await page.selectOption("#scenario", "poststart-ok");
  await replaceYaml(poststart + "# second edit\n");
  await page.click("#reset");
  await page.waitForFunction((w) => window.podplay.simulatedYaml === w, poststart);
  assert.deepEqual((await drafts()).map((d) => d.yaml), [poststart + "# second edit\n", mine]);
  await page.locator('.notice[data-notice="draft"] button', { hasText: "Restore it" }).click();
  await page.waitForFunction((w) => window.podplay.simulatedYaml === w, poststart + "# second edit\n");
  assert.deepEqual((await drafts()).map((d) => d.yaml), [mine], "a restored draft leaves the list");
  // The library's Load: the same.
  await page.click("#library-toggle");
  await page.locator('#library-list li[data-scenario="crashloop-backoff"] .library-load').click();
  assert.deepEqual((await drafts()).map((d) => d.yaml), [poststart + "# second edit\n", mine]);
  // A link pasted into the open page: the same.
  await replaceYaml(liveness + "# third\n");
  await page.evaluate(() => { location.hash = "scenario=poststart-ok"; });
  await page.waitForFunction((w) => window.podplay.simulatedYaml === w, poststart);
  assert.equal((await drafts())[0].yaml, liveness + "# third\n");
  // After a reload the drafts are still there, and one restores from the list.
  await page.goto(server.url);
  await ready();
  await page.click("#drafts summary");
  const items = page.locator("#drafts-list li");
  assert.equal(await items.count(), 3);
  assert.match(await items.nth(2).locator(".draft-label").innerText(), /^pod-live-exec, \d+ lines, /);
  await items.nth(2).locator(".draft-restore").click();
  await page.waitForFunction((w) => window.podplay.simulatedYaml === w, mine);
  assert.equal(await text("#cursor-text"), "1m17s", "with the draft's time");
  // The YAML it replaced (the third edit) is a draft again, first; Delete removes one.
  assert.equal(await items.count(), 2);
  assert.deepEqual((await drafts()).map((d) => d.yaml), [liveness + "# third\n", poststart + "# second edit\n"]);
  await items.first().locator(".draft-delete").click();
  assert.equal(await items.count(), 1);
  // And Ctrl-Z still undoes a replacement.
  await page.selectOption("#scenario", "poststart-ok");
  await page.click(".cm-content");
  await page.keyboard.press("Control+Z");
  await page.waitForFunction((w) => window.podplay.getYaml() === w, mine);
});

test("opening a link over saved work keeps that work as a draft before the link's state is saved", async () => {
  await withSavedWork("#scenario=poststart-ok&t=5");
  assert.equal(await yaml(), poststart);
  await page.evaluate(() => window.podplay.setCursor(10));
  await page.waitForFunction(() => JSON.parse(localStorage.getItem("podplay:work"))?.t === 10);
  assert.equal((await stored()).yaml, poststart);
  assert.deepEqual((await drafts()).map((d) => d.yaml), [mine]);
  assert.match(await notice("kept-other").innerText(), /^Other work saved in this browser \(pod-live-exec, \d+ lines: from another tab, or from before this link\) was kept under Drafts/);
  await page.locator('.notice[data-notice="kept-other"] button', { hasText: "Restore it" }).click();
  await page.waitForFunction((w) => window.podplay.simulatedYaml === w, mine);
});

test("two tabs: neither overwrites the other's saved work silently", async () => {
  await open();
  const a = page;
  const b = await context.newPage();
  try {
    await b.goto(server.url);
    await b.waitForSelector("body[data-ready=true]");
    // Tab A edits (and saves); tab B, which has not seen that, edits too.
    await replaceYaml(mine);
    await a.waitForFunction((w) => JSON.parse(localStorage.getItem("podplay:work"))?.yaml === w, mine);
    await b.waitForSelector('.notice[data-notice="other-tab"]');
    assert.match(await b.locator('.notice[data-notice="other-tab"] p').innerText(), /^Another tab of this playground saved different work in this browser\. This tab keeps its own YAML/);
    const theirs = poststart + "# tab B\n";
    await b.evaluate((y) => { window.podplay.setYaml(y); window.podplay.setCursor(12); }, theirs);
    await b.waitForFunction((w) => JSON.parse(localStorage.getItem("podplay:work"))?.yaml === w, theirs);
    // A's work went to Drafts before B's was saved, and B says so.
    assert.deepEqual((await b.evaluate(() => JSON.parse(localStorage.getItem("podplay:drafts")))).map((d) => d.yaml), [mine]);
    assert.match(await b.locator('.notice[data-notice="kept-other"] p').innerText(), /was kept under Drafts before this tab saved its own/);
    // Tab A hears of it, and shows the new draft.
    await a.waitForSelector('.notice[data-notice="other-tab"]');
    await a.waitForFunction(() => document.getElementById("drafts-count").textContent === "1");
    // A saves again: B's work is kept in turn.
    await a.evaluate(() => window.podplay.setCursor(33));
    await a.waitForFunction((w) => JSON.parse(localStorage.getItem("podplay:work"))?.yaml === w, mine);
    assert.deepEqual((await drafts()).map((d) => d.yaml).sort(), [mine, theirs].sort());
  } finally {
    await b.close();
  }
});

test("a full localStorage is reported, and the report goes once the work is saved again", async () => {
  await open();
  // Fills this origin's storage to its quota.
  const fill = () => page.evaluate(() => {
    const chunk = "x".repeat(512 * 1024);
    for (let i = 0; i < 400; i++) {
      try { localStorage.setItem(`filler-${i}`, chunk); } catch (e) { return e.name; }
    }
    return null;
  });
  const unfill = () => page.evaluate(() => { for (let i = 0; i < 400; i++) localStorage.removeItem(`filler-${i}`); });
  assert.equal(await fill(), "QuotaExceededError");
  // A work larger than the room left (over the YAML limit too, which does not stop its saving).
  const big = mine + "#".repeat(700 * 1024) + "\n";
  await replaceYaml(big);
  await page.waitForSelector('.notice[data-notice="storage"]');
  assert.equal(await notice("storage").innerText(),
    "This browser's storage for this page is full: your work is not being saved in this browser (it is still in this tab). Delete drafts you no longer need, or use Copy link to keep the work.");
  // Room again: the next save succeeds and the report goes.
  await unfill();
  await page.evaluate(() => window.podplay.setCursor(40));
  await page.waitForFunction(() => JSON.parse(localStorage.getItem("podplay:work"))?.t === 40);
  assert.equal(await page.locator('.notice[data-notice="storage"]').count(), 0);
  // Full again: loading a scenario over the edits cannot keep them as a draft, and says so.
  assert.equal(await fill(), "QuotaExceededError");
  await page.selectOption("#scenario", "poststart-ok");
  await page.waitForSelector('.notice[data-notice="storage"]');
  assert.match(await notice("storage").innerText(), /^This browser's storage for this page is full: your edits could not be kept as a draft \(Ctrl-Z in the editor brings them back until you reload\)\./);
  await unfill();
});
