// Unit tests of web/src/zoom.js: the shown window of the time axis and how lanes are placed in it.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createTimeView, ZOOMS } from "../../web/src/zoom.js";

const near = (actual, expected, what = "") => assert.ok(Math.abs(actual - expected) < 1e-6, `${what} ${actual} != ${expected}`);
// "12.5%" -> 12.5
const pctNum = (s) => {
  assert.match(s, /^-?[0-9.e+-]+%$/);
  return Number(s.slice(0, -1));
};
const viewOf = (untilMs) => {
  const v = createTimeView();
  v.setUntil(untilMs);
  return v;
};

test("a new view shows the whole run at zoom 1, and setUntil never makes the axis shorter than 1 ms", () => {
  const v = createTimeView();
  assert.equal(v.zoom, 1);
  assert.equal(v.from, 0);
  assert.equal(v.to, 1);
  v.setUntil(120000);
  assert.deepEqual([v.from, v.to], [0, 120000]);
  v.setUntil(0);
  assert.equal(v.to, 1);
  v.setUntil(-500);
  assert.equal(v.to, 1);
});

test("the zoom levels are the powers of two from 1 to 64, in order", () => {
  assert.deepEqual(ZOOMS, [1, 2, 4, 8, 16, 32, 64]);
});

test("setZoom keeps the centre time at the same place on the track (the cursor stays put)", () => {
  const v = viewOf(100000);
  assert.equal(v.setZoom(4, 50000), true);
  assert.equal(v.zoom, 4);
  near(v.from, 37500, "from");
  near(v.to, 62500, "to");
  near(pctNum(v.pct(50000)), 50, "cursor place");

  // Off centre: at 20 % of the track before, still at 20 % after each step in.
  const w = viewOf(100000);
  for (const z of [2, 4, 8, 16]) {
    const before = pctNum(w.pct(20000));
    assert.equal(w.setZoom(z, 20000), true);
    near(pctNum(w.pct(20000)), before, `cursor place at zoom ${z}`);
    near(w.to - w.from, 100000 / z, `span at zoom ${z}`);
  }
});

test("setZoom pins the window to the run's start or end when the centre is at an edge", () => {
  const start = viewOf(100000);
  start.setZoom(8, 0);
  assert.equal(start.from, 0);
  near(start.to, 12500);
  const end = viewOf(100000);
  end.setZoom(8, 100000);
  near(end.to, 100000);
  near(end.from, 87500);
});

test("setZoom with a centre outside the window puts it at the nearest edge of the new window", () => {
  const v = viewOf(100000);
  v.setZoom(4, 50000); // window 37500..62500
  v.setZoom(8, 90000); // 90000 is right of the window: it lands on the right edge
  near(v.from, 77500, "from");
  near(v.to, 90000, "to");
  v.setZoom(16, 0); // left of the window: the left edge
  near(v.from, 0, "from");
  near(v.to, 6250, "to");
});

test("setZoom clamps to 1..64 and returns false (changing nothing) when the zoom stays the same", () => {
  const v = viewOf(64000);
  assert.equal(v.setZoom(1, 1000), false);
  assert.equal(v.setZoom(1000, 32000), true);
  assert.equal(v.zoom, 64);
  near(v.to - v.from, 1000, "span at zoom 64");
  const from = v.from;
  assert.equal(v.setZoom(128, 5), false);
  assert.equal(v.from, from);
  assert.equal(v.setZoom(0.25, 32000), true);
  assert.equal(v.zoom, 1);
  assert.deepEqual([v.from, v.to], [0, 64000]);
});

test("zoomIn and zoomOut step through ZOOMS and return false past the ends", () => {
  const v = viewOf(100000);
  const seen = [];
  while (v.zoomIn(30000)) seen.push(v.zoom);
  assert.deepEqual(seen, [2, 4, 8, 16, 32, 64]);
  assert.equal(v.zoomIn(30000), false);
  const back = [];
  while (v.zoomOut(30000)) back.push(v.zoom);
  assert.deepEqual(back, [32, 16, 8, 4, 2, 1]);
  assert.equal(v.zoomOut(30000), false);
  assert.deepEqual([v.from, v.to], [0, 100000]);
});

test("follow leaves the window alone while the time is in it, and re-centres on a time that left it", () => {
  const v = viewOf(100000);
  v.setZoom(4, 0); // 0..25000
  assert.equal(v.follow(0), false);
  assert.equal(v.follow(25000), false, "the right edge is still in the window");
  assert.equal(v.follow(12345), false);
  assert.deepEqual([v.from, v.to], [0, 25000]);
  assert.equal(v.follow(30000), true);
  near(v.from, 17500, "re-centred from");
  near(v.to, 42500, "re-centred to");
  assert.equal(v.follow(99000), true);
  near(v.to, 100000, "clamped at the run's end");
  assert.equal(v.follow(1000), true);
  assert.equal(v.from, 0, "clamped at the start");
});

test("setUntil keeps the window inside a shorter run", () => {
  const v = viewOf(100000);
  v.setZoom(2, 100000); // 50000..100000
  near(v.from, 50000);
  v.setUntil(60000); // span 30000: the window slides back to end at 60000
  near(v.from, 30000, "from");
  near(v.to, 60000, "to");
});

test("pct and timeAt convert between times and fractions of the window, timeAt clamping the fraction", () => {
  const v = viewOf(100000);
  v.setZoom(2, 50000); // 25000..75000
  near(v.from, 25000);
  near(pctNum(v.pct(25000)), 0);
  near(pctNum(v.pct(50000)), 50);
  near(pctNum(v.pct(75000)), 100);
  near(pctNum(v.pct(0)), -50, "a time left of the window is a negative place");
  near(v.timeAt(0), 25000);
  near(v.timeAt(0.5), 50000);
  near(v.timeAt(1), 75000);
  near(v.timeAt(-3), 25000, "clamped");
  near(v.timeAt(7), 75000, "clamped");
  for (const ms of [25000, 31000, 60000, 75000]) near(v.timeAt(pctNum(v.pct(ms)) / 100), ms, "round trip");
});

test("place sets left and width of a piece, clipped to the window, and refuses a piece not shown", () => {
  const v = viewOf(100000);
  v.setZoom(4, 50000); // 37500..62500, span 25000
  const inside = { style: {} };
  assert.equal(v.place(inside, 40000, 45000), true);
  near(pctNum(inside.style.left), 10);
  const m = /^calc\((.+)% - 1px\)$/.exec(inside.style.width);
  assert.ok(m, inside.style.width);
  near(Number(m[1]), 20, "width");

  const clipped = { style: {} };
  assert.equal(v.place(clipped, 0, 100000), true);
  near(pctNum(clipped.style.left), 0);
  near(Number(/^calc\((.+)% - 1px\)$/.exec(clipped.style.width)[1]), 100, "clipped width");

  for (const [a, b] of [[0, 30000], [70000, 90000], [0, 37500], [62500, 70000], [50000, 50000]]) {
    const el = { style: {} };
    assert.equal(v.place(el, a, b), false, `${a}..${b}`);
    assert.deepEqual(el.style, {}, `${a}..${b} left untouched`);
  }
});

test("placeAt places a point inside the window (edges included) and refuses one outside", () => {
  const v = viewOf(100000);
  v.setZoom(4, 50000); // 37500..62500
  for (const [ms, pct] of [[37500, 0], [50000, 50], [62500, 100]]) {
    const el = { style: {} };
    assert.equal(v.placeAt(el, ms), true, String(ms));
    near(pctNum(el.style.left), pct, String(ms));
  }
  for (const ms of [37499, 62501, -1]) {
    const el = { style: {} };
    assert.equal(v.placeAt(el, ms), false, String(ms));
    assert.equal(el.style.left, undefined);
  }
});
