// Unit tests of how web/src/export.js turns the page's computed colours and hatching into SVG
// paints: the False condition bands and "not ready" endpoints are hatched on the page, and the
// exports must draw them so (never black), in the light and the dark scheme.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCssColor, parseGradient, splitTopLevel, svgGradient, svgPaint } from "../../web/src/export.js";

test("parseCssColor reads the forms a browser computes", () => {
  assert.deepEqual(parseCssColor("rgb(207, 34, 46)"), { r: 207, g: 34, b: 46, a: 1 });
  assert.deepEqual(parseCssColor("rgba(0, 0, 0, 0)"), { r: 0, g: 0, b: 0, a: 0 });
  assert.deepEqual(parseCssColor("rgb(10 20 30 / 50%)"), { r: 10, g: 20, b: 30, a: 0.5 });
  assert.deepEqual(parseCssColor("#0969da"), { r: 9, g: 105, b: 218, a: 1 });
  assert.deepEqual(parseCssColor("#fff"), { r: 255, g: 255, b: 255, a: 1 });
  assert.deepEqual(parseCssColor("color(srgb 1 0.5 0)"), { r: 255, g: 127.5, b: 0, a: 1 });
  assert.deepEqual(parseCssColor("transparent"), { r: 0, g: 0, b: 0, a: 0 });
  assert.equal(parseCssColor("oklch(0.7 0.1 200)"), null);
  assert.equal(parseCssColor("var(--x)"), null);
});

test("parseCssColor mixes color-mix(in srgb, ...) as CSS does", () => {
  // The light scheme's False hatching: 35 % of --failed into --panel.
  const c = parseCssColor("color-mix(in srgb, rgb(207, 34, 46) 35%, rgb(246, 248, 250))");
  assert.deepEqual([c.r, c.g, c.b].map(Math.round), [232, 173, 179]);
  assert.equal(c.a, 1);
  assert.deepEqual(parseCssColor("color-mix(in srgb, #000, #fff)"), { r: 127.5, g: 127.5, b: 127.5, a: 1 });
  // Into transparent: the colour stays, its alpha is the share (premultiplied).
  const t = parseCssColor("color-mix(in srgb, rgb(9, 105, 218) 15%, transparent)");
  assert.deepEqual([t.r, t.g, t.b].map(Math.round), [9, 105, 218]);
  assert.ok(Math.abs(t.a - 0.15) < 1e-9);
});

test("svgPaint writes rgb() and an opacity that every SVG viewer reads", () => {
  assert.equal(svgPaint("rgb(1, 2, 3)"), 'fill="rgb(1, 2, 3)"');
  assert.equal(svgPaint("color(srgb 1 0 0 / 0.5)", "stroke"), 'stroke="rgb(255, 0, 0)" stroke-opacity="0.5"');
  assert.equal(svgPaint("rgba(0, 0, 0, 0)", "stop-color"), 'stop-color="rgb(0, 0, 0)" stop-opacity="0"');
  assert.equal(svgPaint('weird"colour'), 'fill="weird&quot;colour"', "passed on, escaped");
});

test("splitTopLevel splits at the commas outside parentheses", () => {
  assert.deepEqual(splitTopLevel("135deg, rgb(1, 2, 3) 0px, color-mix(in srgb, rgb(1, 2, 3) 35%, red) 4px"), ["135deg", "rgb(1, 2, 3) 0px", "color-mix(in srgb, rgb(1, 2, 3) 35%, red) 4px"]);
});

// As Chromium computes `.bseg.False`'s background-image.
const FALSE_BAND = "repeating-linear-gradient(135deg, rgb(246, 248, 250) 0px, rgb(246, 248, 250) 4px, color-mix(in srgb, rgb(207, 34, 46) 35%, rgb(246, 248, 250)) 4px, color-mix(in srgb, rgb(207, 34, 46) 35%, rgb(246, 248, 250)) 8px)";

test("parseGradient reads the angle and the stops of the page's hatching", () => {
  const g = parseGradient(FALSE_BAND);
  assert.equal(g.repeating, true);
  assert.equal(g.angle, 135);
  assert.deepEqual(g.stops.map((s) => s.pos), [0, 4, 4, 8]);
  assert.equal(g.stops[0].color, "rgb(246, 248, 250)");
  assert.match(g.stops[2].color, /^color-mix\(in srgb, rgb\(207, 34, 46\) 35%, rgb\(246, 248, 250\)\)$/);
  // Two positions on one stop (the CSS shorthand) are two stops; a direction is an angle.
  const short = parseGradient("repeating-linear-gradient(to right, red 0 6px, blue 6px 12px)");
  assert.equal(short.angle, 90);
  assert.deepEqual(short.stops, [{ color: "red", pos: 0 }, { color: "red", pos: 6 }, { color: "blue", pos: 6 }, { color: "blue", pos: 12 }]);
  assert.equal(parseGradient("url(x.png)"), null);
  assert.equal(parseGradient("none"), null);
});

test("svgGradient repeats the stripes along the gradient's direction, in the page's colours", () => {
  const def = svgGradient("paint1", parseGradient(FALSE_BAND));
  assert.equal(def,
    '<linearGradient id="paint1" gradientUnits="userSpaceOnUse" spreadMethod="repeat" x1="0" y1="0" x2="5.66" y2="5.66">' +
    '<stop offset="0" stop-color="rgb(246, 248, 250)"/><stop offset="0.5" stop-color="rgb(246, 248, 250)"/>' +
    '<stop offset="0.5" stop-color="rgb(232, 173, 179)"/><stop offset="1" stop-color="rgb(232, 173, 179)"/></linearGradient>');
  // Not a repeating one in px: no gradient (the first colour stands for it).
  assert.equal(svgGradient("p", parseGradient("linear-gradient(red, blue)")), null);
  assert.equal(svgGradient("p", parseGradient("repeating-linear-gradient(red 0%, blue 50%)")), null);
});

// ---- lanesToSvg's bands, labels and probe shapes, with stand-ins for the DOM calls it makes ----

const box = (left, width, top, height) => ({ left, width, top, height, right: left + width, bottom: top + height });
function fake({ classes = [], rect = box(0, 0, 0, 0), text = "", title = "", dataset = {}, style = {}, all = {}, one = {} } = {}) {
  return {
    classList: { contains: (c) => classes.includes(c) },
    className: classes.join(" "),
    getBoundingClientRect: () => rect,
    textContent: text,
    title,
    dataset,
    style,
    querySelectorAll: (sel) => all[sel] ?? [],
    querySelector: (sel) => one[sel] ?? null,
  };
}
const BASE = { color: "rgb(27, 31, 36)", backgroundColor: "rgb(255, 255, 255)", borderTopColor: "rgb(1, 1, 1)", backgroundImage: "none" };

test("lanesToSvg draws a False band hatched with its label, and probe timeouts and errors as diamonds and triangles", async () => {
  const { lanesToSvg } = await import("../../web/src/export.js");
  const band = fake({ classes: ["bseg", "False"], rect: box(0, 50, 0, 10), text: "Ready=False", title: "Ready=False from 0s to 5s", style: { backgroundColor: "rgba(0, 0, 0, 0)", backgroundImage: FALSE_BAND } });
  const timeout = fake({ classes: ["ptick", "timeout"], rect: box(60, 10, 10, 10), dataset: { outcome: "timeout" }, title: "5s: liveness probe timeout", style: { backgroundColor: "rgb(191, 135, 0)" } });
  const error = fake({ classes: ["ptick", "error"], rect: box(80, 10, 10, 8), dataset: { outcome: "error" }, title: "6s: liveness probe error", style: { backgroundColor: "rgba(0, 0, 0, 0)", borderBottomColor: "rgb(130, 80, 223)" } });
  const track = fake({ classes: ["track"], rect: box(0, 100, 0, 20), all: { ".bseg, .eseg, .ptick": [band, timeout, error] } });
  const row = fake({ classes: ["lane"], one: { ".track": track, ".lane-name": { textContent: "↳ conditions" } } });
  const lanes = fake({ all: { ":scope > .lane": [row] } });
  const saved = { document: globalThis.document, getComputedStyle: globalThis.getComputedStyle };
  globalThis.document = { body: fake({ style: BASE }) };
  globalThis.getComputedStyle = (el) => ({ ...BASE, ...el.style });
  try {
    const svg = lanesToSvg(lanes);
    assert.match(svg, /<defs><linearGradient id="paint1" [^>]*spreadMethod="repeat"[^>]*>.*rgb\(232, 173, 179\).*<\/linearGradient><\/defs>/);
    assert.match(svg, /<rect class="bseg False" [^>]*fill="url\(#paint1\)"><title>Ready=False from 0s to 5s<\/title><\/rect>/);
    assert.match(svg, /<svg x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+"><text [^>]*fill="rgb\(27, 31, 36\)">Ready=False<\/text><\/svg>/, "the label, clipped to its band");
    assert.match(svg, /<polygon class="ptick timeout" points="([\d.]+,[\d.]+ ){3}[\d.]+,[\d.]+" fill="rgb\(191, 135, 0\)"><title>5s: liveness probe timeout<\/title><\/polygon>/);
    assert.match(svg, /<polygon class="ptick error" points="([\d.]+,[\d.]+ ){2}[\d.]+,[\d.]+" fill="rgb\(130, 80, 223\)"><title>6s: liveness probe error<\/title><\/polygon>/);
  } finally {
    Object.assign(globalThis, saved);
  }
});
