// Nothing the user wrote is lost (SECURITY.md): a link that cannot be read keeps the user's own
// work and says why; a YAML over the limit is said, not ignored. On the built page, in headless
// Chromium.
// Run: node --test tests/e2e/keep.test.mjs   (after `scripts/test.sh build`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { newPage, open, page, ready, replaceYaml, scenario, server, setUp, text } from "./harness.mjs";
import { compressText } from "../../web/src/link.js";

setUp({ name: "keep" });

const liveness = await scenario("liveness-exec");
const poststart = await scenario("poststart-ok");
const mine = liveness.replace("periodSeconds: 3 ", "periodSeconds: 9 ") + "# my own work\n";
const yaml = () => page.evaluate(() => window.podplay.getYaml());
const notice = (id) => page.locator(`.notice[data-notice="${id}"] p`);
const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem("podplay:work")));

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
  assert.equal(await page.locator(".track").count(), 0);
  await page.evaluate((y) => window.podplay.setYaml(y), liveness);
  assert.equal(await page.evaluate(() => window.podplay.simulation.ok), true);
});

