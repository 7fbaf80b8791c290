// Browser tests of the page's small things (issue 19) and its keyboard and screen-reader use:
// the Scenario menu follows the editor; event markers never overlap and each can be reached;
// the exports draw the condition bands as the page does; the library's `code`; the focus after
// loading a library entry; Tab in the editor; the time slider's name; touch targets on a phone;
// skip links, and one tab stop per group of repeated controls (roving tabindex).
// Run: node --test tests/e2e/small.test.mjs   (after `trunk build --release`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { clickMarker, open, page, ready, replaceYaml, scenario, seek, settled, setUp, shots } from "./harness.mjs";
import { codeSpans, loadedMessage, parseHeader, plainOfCode } from "../../web/src/library.js";

setUp({ name: "small", contextOptions: { acceptDownloads: true } });

const liveness = await scenario("liveness-exec");
const poststart = await scenario("poststart-ok");

// The Scenario menu's value and the text of its selected option.
const menu = () => page.evaluate(() => {
  const s = document.getElementById("scenario");
  return { value: s.value, label: s.selectedOptions[0]?.textContent };
});
const waitMenu = (value) => page.waitForFunction((v) => document.getElementById("scenario").value === v, value);

async function load(name) {
  await page.selectOption("#scenario", name);
  const want = await scenario(name);
  await page.waitForFunction((w) => window.podplay.simulatedYaml === w, want);
  await settled();
}

test("the Scenario menu names what the editor holds: a scenario's text, or Your YAML (edited)", async () => {
  await open();
  assert.deepEqual(await menu(), { value: "liveness-exec", label: parseHeader(liveness).title });
  // An edit in the editor: the menu no longer names the scenario.
  await page.click(".cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("# mine");
  await waitMenu("");
  assert.deepEqual(await menu(), { value: "", label: "Your YAML (edited)" });
  // Undone: the scenario's text again, and its name.
  for (let i = 0; i < 10 && (await menu()).value !== "liveness-exec"; i++) await page.keyboard.press("Control+z");
  assert.deepEqual(await menu(), { value: "liveness-exec", label: parseHeader(liveness).title });
  assert.equal(await page.locator('#scenario option[value=""]').count(), 0, "no edited option while nothing is edited");
  // Another scenario's text from elsewhere (the embedding API, a paste): that scenario's name.
  await page.evaluate((y) => window.podplay.load(y), poststart);
  await waitMenu("poststart-ok");
  // Edited from there, Reset gives back poststart-ok (not the first scenario, nor an empty editor).
  await replaceYaml(`${poststart}# mine\n`);
  await waitMenu("");
  await page.click("#reset");
  await waitMenu("poststart-ok");
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), poststart);
  // Edited work opened again (the link, or the work kept in this browser) says it is edited.
  await replaceYaml(`${poststart}# mine again\n`);
  await page.waitForFunction(() => JSON.parse(localStorage.getItem("podplay:work") ?? "{}").yaml?.endsWith("# mine again\n"));
  await page.reload();
  await ready();
  assert.deepEqual(await menu(), { value: "", label: "Your YAML (edited)" });
});

// Every marker on the container lanes' tracks (singles and groups): its box, and whether a
// click at its centre reaches it.
const markerBoxes = () => page.$$eval(".ctrack .marker", (els) => els.map((el) => {
  el.scrollIntoView({ block: "center", inline: "center" });
  const r = el.getBoundingClientRect();
  const t = el.closest(".ctrack").getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return { key: el.dataset.key, x: r.left, y: r.top, w: r.width, h: r.height, hit: hit === el, inside: r.left >= t.left && r.right <= t.right && r.top >= t.top && r.bottom <= t.bottom };
}));

function assertNoOverlap(boxes) {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      assert.ok(apart, `markers ${a.key} and ${b.key} overlap: ${JSON.stringify([a, b])}`);
    }
  }
}

// The marked events (Unhealthy, Killing, BackOff) of the shown simulation: [{index, at}].
const markedEvents = () => page.evaluate(() => window.podplay.simulation.timeline
  .map((c, index) => ({ index, at: c.at, d: c.detail }))
  .filter((c) => c.d.type === "event" && ["Unhealthy", "Killing", "BackOff"].includes(c.d.reason) && c.d.container)
  .map(({ index, at }) => ({ index, at })));

test("timeline markers never overlap at whole-run zoom: close ones are a group, and every event is reachable by mouse and keyboard", async () => {
  await open();
  await settled();
  const boxes = await markerBoxes();
  assertNoOverlap(boxes);
  for (const b of boxes) assert.ok(b.hit && b.inside, `marker ${b.key} cannot be clicked: ${JSON.stringify(b)}`);
  // The probe fails every 5 s: over 5 minutes those markers are closer than their width.
  const groups = page.locator(".ctrack .marker-group");
  assert.ok(await groups.count() >= 1, "no group");
  const first = groups.first();
  assert.match(await first.getAttribute("aria-label"), /^\d+ events (at|from) .*: (Unhealthy|Killing)/);
  assert.equal(await first.innerText(), await first.getAttribute("data-count"));

  // Every marked event is a marker (alone, or in its group's list), and a click selects it.
  const events = await markedEvents();
  assert.ok(events.length >= 4, JSON.stringify(events));
  const all = page.locator(".container-lane .marker[data-index]");
  assert.deepEqual((await all.evaluateAll((els) => els.map((e) => Number(e.dataset.index)))).sort((a, b) => a - b), events.map((e) => e.index));
  for (const e of events) {
    await clickMarker(page.locator(`.container-lane .marker[data-index="${e.index}"]`));
    await page.waitForFunction((i) => window.podplay.selected === i, e.index);
    assert.equal(await page.evaluate(() => window.podplay.cursorMs), e.at);
  }

  // By keyboard: the markers are one tab stop; the arrows go from one to the next; Enter opens
  // a group, Tab goes into its list, Escape closes it and comes back.
  const onTrack = page.locator(".ctrack .marker");
  assert.equal(await onTrack.evaluateAll((els) => els.filter((e) => e.tabIndex === 0).length), 1);
  await onTrack.first().focus();
  const focusedKey = () => page.evaluate(() => document.activeElement.dataset.key);
  const keys = await onTrack.evaluateAll((els) => els.map((e) => e.dataset.key));
  for (let i = 1; i < keys.length; i++) {
    await page.keyboard.press("ArrowRight");
    assert.equal(await focusedKey(), keys[i]);
  }
  assert.equal(await page.evaluate(() => window.podplay.cursorMs), events.at(-1).at, "the arrows moved no time cursor");
  const group = await first.getAttribute("data-key");
  await page.keyboard.press("Home");
  while ((await focusedKey()) !== group) await page.keyboard.press("ArrowRight");
  // (The clicks above left it open: Enter closes it, and opens it again.)
  if ((await first.getAttribute("aria-expanded")) === "true") await page.keyboard.press("Enter");
  assert.equal(await first.getAttribute("aria-expanded"), "false");
  await page.keyboard.press("Enter");
  assert.equal(await first.getAttribute("aria-expanded"), "true");
  await page.keyboard.press("Tab");
  const item = await page.evaluate(() => Number(document.activeElement.dataset.index));
  assert.ok(await page.evaluate(() => document.activeElement.closest(".marker-list") !== null), "Tab goes into the group's list");
  await page.keyboard.press("Enter");
  await page.waitForFunction((i) => window.podplay.selected === i, item);
  await page.keyboard.press("Escape");
  assert.equal(await focusedKey(), group);
  assert.equal(await first.getAttribute("aria-expanded"), "false");
  await page.screenshot({ path: join(shots, "markers-grouped.png"), fullPage: true });
});

// What a PNG shows in a box: its two commonest colours, [[r, g, b], ...] (decoded in the page).
const commonColours = (png, box) => page.evaluate(async ({ b64, box }) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const img = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
  const canvas = new OffscreenCanvas(img.width, img.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const { x, y, w, h } = box ?? { x: 0, y: 0, w: img.width, h: img.height };
  const data = ctx.getImageData(Math.round(x), Math.round(y), Math.max(1, Math.round(w)), Math.max(1, Math.round(h))).data;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const k = `${data[i]},${data[i + 1]},${data[i + 2]}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([k]) => k.split(",").map(Number));
}, { b64: png.toString("base64"), box });

const near = (a, b, tolerance) => a.every((v, i) => Math.abs(v - b[i]) <= tolerance);
const sameColours = (got, want, tolerance) => want.every((w) => got.some((g) => near(g, w, tolerance)));

async function downloadOf(selector) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return readFile(await download.path());
}

test("exports draw what the page draws: condition labels, and False bands hatched in the page's colours, light and dark", async () => {
  await open();
  await load("readiness-httpget");
  const band = page.locator('.btrack[data-pod="pod-live-readiness"] .bseg[data-condition="Ready"][data-value="False"]').nth(1);
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await settled();
    // The page's own False band: its hatching's two colours, as drawn on the screen.
    const onPage = await commonColours(await band.screenshot());
    const svg = (await downloadOf("#export-svg")).toString("utf8");
    const drawn = await page.evaluate((s) => {
      const doc = new DOMParser().parseFromString(s, "image/svg+xml");
      const labels = [...doc.querySelectorAll("g[data-name='↳ conditions'] text")].map((t) => t.textContent);
      const rect = [...doc.querySelectorAll("rect.bseg")].find((r) => r.querySelector("title").textContent.startsWith("Ready=False from 1m46"));
      const fill = rect.getAttribute("fill");
      const id = /^url\(#(.+)\)$/.exec(fill)?.[1];
      const stops = id ? [...doc.getElementById(id).querySelectorAll("stop")].map((s) => s.getAttribute("stop-color").match(/\d+/g).map(Number)) : [];
      // The rect's place, in the SVG's own units, inside the nested label box if any.
      const box = { x: +rect.getAttribute("x"), y: +rect.getAttribute("y"), w: +rect.getAttribute("width"), h: +rect.getAttribute("height") };
      return { error: doc.querySelector("parsererror")?.textContent ?? null, labels, fill, stops, box };
    }, svg);
    assert.equal(drawn.error, null, scheme);
    for (const label of ["Ready=False", "Ready=True", "PodScheduled=True", "ContainersReady=False"]) {
      assert.ok(drawn.labels.includes(label), `${scheme}: no "${label}" in the SVG: ${drawn.labels.join(", ")}`);
    }
    assert.match(drawn.fill, /^url\(#/, `${scheme}: the False band is not hatched: ${drawn.fill}`);
    // Two colours, the page's (in the light scheme, none of them black: the text's colour was).
    assert.equal(new Set(drawn.stops.map(String)).size, 2, `${scheme}: ${JSON.stringify(drawn.stops)}`);
    if (scheme === "light") assert.ok(drawn.stops.every((c) => !near(c, [0, 0, 0], 40)), `black in the False band: ${JSON.stringify(drawn.stops)}`);
    assert.ok(sameColours(drawn.stops, onPage, 3), `${scheme}: SVG ${JSON.stringify(drawn.stops)}, page ${JSON.stringify(onPage)}`);
    // The PNG (the SVG at twice its size): the band's middle shows the same two colours. Its
    // label takes the band's left part; the right half holds only the hatching.
    const png = await downloadOf("#export-png");
    const { x, y, w, h } = drawn.box;
    const inPng = await commonColours(png, { x: (x + w * 0.55) * 2, y: (y + 1) * 2, w: w * 0.4 * 2, h: (h - 2) * 2 });
    assert.ok(sameColours(inPng, onPage, 4), `${scheme}: PNG ${JSON.stringify(inPng)}, page ${JSON.stringify(onPage)}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
});

test("the library shows a header's `code` as <code> elements, as text", async () => {
  await open();
  await page.click("#library-toggle");
  const text = await scenario("busy-loops");
  const { title, explanation } = parseHeader(text);
  const li = page.locator('#library-list li[data-scenario="busy-loops"]');
  const want = codeSpans(explanation).filter((p) => p.code).map((p) => p.text);
  assert.ok(want.length >= 2, JSON.stringify(want));
  assert.deepEqual(await li.locator(".library-explanation code").allTextContents(), want);
  const shown = await li.locator(".library-explanation").innerText();
  assert.equal(shown, plainOfCode(explanation));
  assert.ok(!shown.includes("`"), shown);
  // A title's code too (the countdown's `>`), and never markup: `>` is a text node.
  const countdown = page.locator('#library-list li[data-scenario="countdown-redirect-mistake"] h3');
  assert.deepEqual(await countdown.locator("code").allTextContents(), [">"]);
  assert.equal(await li.locator("h3").innerText(), plainOfCode(title));
  // The Scenario menu cannot hold <code>: its option has the text without the backticks.
  assert.equal(await page.locator('#scenario option[value="countdown-redirect-mistake"]').textContent(), plainOfCode(parseHeader(await scenario("countdown-redirect-mistake")).title));
});

test("loading a library entry puts the focus in the editor and says what was loaded", async () => {
  await open();
  await page.click("#library-toggle");
  const load = page.locator('#library-list li[data-scenario="crashloop-backoff"] .library-load');
  await load.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.podplay.getYaml().includes("crasher"));
  assert.equal(await page.locator("#library").isHidden(), true);
  assert.ok(await page.evaluate(() => document.activeElement?.matches("#editor .cm-content")), `focus on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`);
  const note = page.locator("#library-note");
  const h = parseHeader(await scenario("crashloop-backoff"));
  assert.equal(await note.textContent(), loadedMessage({ ...h, name: "crashloop-backoff" }));
  assert.equal(await note.getAttribute("role"), "status");
  assert.ok(await note.isVisible());
});

test("Tab indents in the editor, Escape then Tab leaves it, and the hint says so by the editor and to screen readers", async () => {
  await open();
  await page.click(".cm-content");
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.activeElement.closest(".cm-editor") !== null), "Tab left the editor");
  const first = await page.evaluate(() => window.podplay.getYaml().split("\n")[0]);
  assert.equal(first, `  ${liveness.split("\n")[0]}`, "Tab indented the line");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => window.podplay.getYaml().split("\n")[0]), liveness.split("\n")[0], "Shift-Tab took it back");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.activeElement.closest(".cm-editor") === null), "Escape then Tab stayed in the editor");
  // With text selected too: Escape drops the selection, and Tab still leaves (indenting nothing).
  await page.click(".cm-content");
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("Shift+End");
  const before = await page.evaluate(() => window.podplay.getYaml());
  await page.keyboard.press("Escape");
  await page.keyboard.press("Shift+Tab");
  assert.ok(await page.evaluate(() => document.activeElement.closest(".cm-editor") === null), "Escape then Shift-Tab, with a selection, stayed in the editor");
  assert.equal(await page.evaluate(() => window.podplay.getYaml()), before);
  const hint = page.locator("#editor-keys");
  assert.ok(await hint.isVisible());
  assert.match(await hint.innerText(), /Tab indents.*Esc, then Tab/s);
  const describedBy = await page.locator(".cm-content").getAttribute("aria-describedby");
  assert.ok(describedBy.split(" ").includes("editor-keys"), describedBy);
  // Read-only (an embed): Tab does not indent, so there is no hint.
  await page.close();
  await open("?embed&readonly");
  assert.equal(await page.locator("#editor-keys").isHidden(), true);
});

test("the time slider is called Time cursor and its value is said as a time", async () => {
  await open();
  const slider = page.getByRole("slider", { name: "Time cursor", exact: true });
  assert.equal(await slider.count(), 1);
  await seek(130);
  assert.equal(await slider.getAttribute("aria-valuetext"), "2m10s of 5m0s");
  assert.match(await slider.ariaSnapshot(), /slider "Time cursor"/);
});

test("on a 375 px phone every timeline marker is a touch target of at least 24 × 24 px, whole, apart from the others", async () => {
  await open();
  await page.setViewportSize({ width: 375, height: 800 });
  for (const name of ["liveness-exec", "restart-policies"]) {
    if (name !== "liveness-exec") await load(name);
    await settled();
    const boxes = await markerBoxes();
    assert.ok(boxes.length >= 1, name);
    for (const b of boxes) {
      assert.ok(b.w >= 24 && b.h >= 24, `${name}: marker ${b.key} is ${b.w} × ${b.h}`);
      assert.ok(b.inside && b.hit, `${name}: marker ${b.key} is cut or covered: ${JSON.stringify(b)}`);
    }
    assertNoOverlap(boxes);
  }
  await page.screenshot({ path: join(shots, "markers-375.png"), fullPage: true });
  await page.setViewportSize({ width: 1400, height: 1000 });
});

// 200 pods, each with its lanes and changes; every 20th one's readiness probe fails (markers).
function manyPods(n = 200) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    const probe = i % 20 === 0 ? "\n    readinessProbe:\n      exec: {command: [\"false\"]}\n      periodSeconds: 10" : "";
    docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: web-${String(i).padStart(3, "0")}}\nspec:\n  containers:\n  - name: app\n    image: busybox\n    command: ["sleep", "3600"]${probe}\n`);
  }
  return docs.join("---\n");
}

// What has the focus, in words for a failure message.
const focused = () => page.evaluate(() => {
  const a = document.activeElement;
  return a ? `${a.tagName.toLowerCase()}#${a.id}.${a.className} ${a.textContent.slice(0, 30)}` : "none";
});

// Presses Tab from the top of a freshly opened page until `done()` holds: how many presses.
async function tabsUntil(done, { skipLink = null, limit = 400 } = {}) {
  for (let n = 1; n <= limit; n++) {
    await page.keyboard.press("Tab");
    const at = await page.evaluate(() => document.activeElement?.closest(".cm-editor") ? "editor" : document.activeElement?.textContent);
    if (skipLink && at === skipLink) await page.keyboard.press("Enter");
    // In the editor Tab indents: Escape first, as the hint says.
    else if (at === "editor") await page.keyboard.press("Escape");
    if (await done()) return n;
  }
  return Infinity;
}
const atTerminal = () => page.evaluate(() => document.activeElement?.id === "kubectl-cmd");

test("with 200 pods the terminal is a few Tabs away: skip links first, and one tab stop per group of lanes, markers and rows", async (t) => {
  await open();
  await page.fill("#until", "2m");
  await page.dispatchEvent("#until", "change");
  await page.evaluate((y) => window.podplay.load(y), manyPods());
  await page.waitForFunction(() => window.podplay.simulation?.pods?.length === 200 && location.hash.includes("z="), null, { timeout: 60000 });
  // From a fresh start of this page (nothing focused), as a keyboard user arrives.
  await page.reload();
  await ready();
  if (await page.locator("#run-start").isVisible()) await page.click("#run-start"); // it was slow here once: it opens paused
  await page.waitForFunction(() => window.podplay.simulation?.pods?.length === 200, null, { timeout: 60000 });
  await settled();
  // Only the lanes and the rows of changes in view are drawn (virtual-lanes.js, changes-table.js).
  const names = await page.locator("button.lane-name").count();
  assert.ok(names > 0 && names < 200, `${names} lane names drawn`);
  assert.ok((await page.evaluate(() => window.podplay.simulation.timeline.length)) >= 600, "changes");
  assert.ok((await page.locator("#changes .row-pick").count()) > 0, "rows of changes drawn");

  // The first Tab shows the first skip link, on the screen.
  await page.keyboard.press("Tab");
  assert.equal(await focused().then((f) => f.includes("Skip to the editor")), true, await focused());
  const box = await page.evaluate(() => ({ ...document.activeElement.getBoundingClientRect().toJSON(), innerHeight }));
  assert.ok(box.top >= 0 && box.bottom <= box.innerHeight && box.width > 20, `skip link off screen: ${JSON.stringify(box)}`);
  await page.keyboard.press("Shift+Tab");
  await page.evaluate(() => document.activeElement.blur());
  await page.reload();
  await ready();
  const viaSkip = await tabsUntil(atTerminal, { skipLink: "Skip to the terminal" });
  assert.ok(viaSkip <= 15, `${viaSkip} Tabs to the terminal with the skip link`);
  assert.ok(!(await page.evaluate(() => location.hash)).includes("kubectl-cmd"), "the skip link changed the page's link");

  // Without the skip links: the lanes, the markers and the table are one stop each.
  await page.reload();
  await ready();
  const walking = await tabsUntil(atTerminal);
  assert.ok(walking <= 45, `${walking} Tabs to the terminal through the whole page`);
  t.diagnostic(`Tabs to the terminal with 200 pods: ${viaSkip} by the skip link, ${walking} through the page`);
  for (const group of ["button.lane-name", ".ctrack .marker", "#changes .row-pick, #changes .why-field"]) {
    const stops = await page.locator(group).evaluateAll((els) => els.filter((e) => e.tabIndex >= 0).length);
    assert.equal(stops, 1, `${group}: ${stops} tab stops`);
  }
});

test("skip links go to the editor, the timeline, the panes and the terminal; arrows move inside the lane names and the table", async () => {
  await open();
  for (const [link, where] of [["Skip to the editor", "#editor .cm-content"], ["Skip to the timeline", "#time-label"], ["Skip to the panes", "#get-pods"], ["Skip to the terminal", "#kubectl-cmd"]]) {
    await page.getByRole("link", { name: link }).focus();
    await page.keyboard.press("Enter");
    assert.ok(await page.evaluate((w) => document.activeElement.matches(w), where), `${link}: focus on ${await focused()}`);
  }
  assert.equal(await page.locator("#notices").isHidden(), true, "no notice about a link");
  assert.doesNotMatch(await page.evaluate(() => location.hash), /kubectl-cmd|time-label|get-pods|^#editor$/);

  // Lane names: Down goes to the next pod's name; Enter shows that pod, and the focus stays on it.
  await load("restart-policies");
  const names = await page.locator("button.lane-name").allTextContents();
  assert.ok(names.length >= 2, names.join());
  await page.locator("button.lane-name").first().focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), names[1]);
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => document.querySelector(`button.lane-name[aria-pressed=true]`)?.textContent === n, names[1]);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), names[1], "the focus stayed on the re-drawn lane name");
  assert.equal(await page.locator("button.lane-name").evaluateAll((els) => els.filter((e) => e.tabIndex === 0).map((e) => e.textContent)).then((x) => x.join()), names[1]);

  // The table: Down goes to the next row's button, Right to the next button; Enter selects.
  const picks = page.locator("#changes .row-pick");
  await picks.nth(0).focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.closest("tr").dataset.index), await picks.nth(1).evaluate((e) => e.closest("tr").dataset.index));
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.podplay.selected === 1);
  assert.ok(await page.evaluate(() => document.activeElement.matches("tr.selected .row-pick")), `after Enter, focus on ${await focused()}`);
  await page.keyboard.press("ArrowRight");
  assert.ok(await page.evaluate(() => document.activeElement.matches("tr.selected .why-field, tr:not(.selected) .row-pick")), await focused());
});
