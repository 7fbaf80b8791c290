// Unit tests of web/src/embed-frame.js: the embed's height reports to the framing page (one per
// frame at most, only on a change) and the scroll that brings autoplay's view into the frame.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { bringIntoView, contentHeight, createHeightReporter, FALLBACK_MS, scrollToShow, watchHeight } from "../../web/src/embed-frame.js";

// A stand-in for requestAnimationFrame: frame() runs what was scheduled since the last one.
function frames() {
  let queued = [];
  return {
    schedule: (fn) => queued.push(fn),
    frame() { const run = queued; queued = []; for (const fn of run) fn(); },
    get waiting() { return queued.length; },
  };
}

test("the height is posted once per frame however many changes came, and only when it changed", () => {
  let height = 500;
  const posted = [];
  const f = frames();
  const reporter = createHeightReporter({ measure: () => height, post: (h) => posted.push(h), schedule: f.schedule });
  reporter.changed();
  reporter.changed();
  reporter.changed();
  assert.equal(f.waiting, 1, "one measurement scheduled for three changes");
  assert.deepEqual(posted, [], "nothing before the frame");
  f.frame();
  assert.deepEqual(posted, [500]);
  reporter.changed();
  f.frame();
  assert.deepEqual(posted, [500], "the same height is not posted again");
  height = 640;
  reporter.changed();
  height = 700; // changed again before the frame: only what the frame measures is posted
  reporter.changed();
  f.frame();
  assert.deepEqual(posted, [500, 700]);
  height = 300;
  reporter.changed();
  f.frame();
  assert.deepEqual(posted, [500, 700, 300], "a page that shrinks says so too");
});

test("resend posts the height now, even unchanged, and a later change is measured against it", () => {
  let height = 420;
  const posted = [];
  const f = frames();
  const reporter = createHeightReporter({ measure: () => height, post: (h) => posted.push(h), schedule: f.schedule });
  reporter.changed();
  f.frame();
  reporter.resend();
  assert.deepEqual(posted, [420, 420]);
  reporter.changed();
  f.frame();
  assert.deepEqual(posted, [420, 420]);
  height = 421;
  reporter.changed();
  f.frame();
  assert.deepEqual(posted, [420, 420, 421]);
});

test("contentHeight is the <html> box or what overflows <body>, rounded up to a whole px", () => {
  const doc = (html, body) => ({ documentElement: { getBoundingClientRect: () => ({ height: html }) }, body: { scrollHeight: body } });
  assert.equal(contentHeight(doc(812.3, 800)), 813);
  assert.equal(contentHeight(doc(700, 950)), 950, "content that overflows <body>");
  assert.equal(contentHeight({ documentElement: { getBoundingClientRect: () => ({ height: 10 }) }, body: null }), 10);
});

test("watchHeight measures on a resize of <html> or <body> or a change of the page, once per frame or after FALLBACK_MS", () => {
  const observed = [];
  const watchers = [];
  class FakeResizeObserver {
    constructor(fn) { watchers.push(fn); }
    observe(el) { observed.push(["resize", el]); }
  }
  class FakeMutationObserver {
    constructor(fn) { watchers.push(fn); }
    observe(el, options) { observed.push(["mutation", el, options]); }
  }
  const f = frames();
  const timers = frames();
  const delays = [];
  let height = 333;
  const doc = { documentElement: { getBoundingClientRect: () => ({ height }) }, body: { scrollHeight: 0 } };
  const posted = [];
  const win = {
    ResizeObserver: FakeResizeObserver, MutationObserver: FakeMutationObserver, requestAnimationFrame: f.schedule,
    setTimeout: (fn, ms) => { delays.push(ms); timers.schedule(fn); },
  };
  watchHeight((h) => posted.push(h), { doc, win });
  assert.deepEqual(observed, [
    ["resize", doc.documentElement], ["resize", doc.body],
    ["mutation", doc.body, { childList: true, subtree: true, characterData: true, attributes: true }],
  ]);
  const [resized, mutated] = watchers;
  resized([]);
  mutated([]);
  assert.deepEqual(delays, [FALLBACK_MS], "one measurement scheduled, by frame and by timer");
  f.frame();
  timers.frame(); // the timer after the frame: nothing more
  assert.deepEqual(posted, [333]);
  // A frame the browser does not run (a cross-origin iframe out of view): the timer measures.
  height = 444;
  mutated([]);
  timers.frame();
  f.frame(); // the frame, late: nothing more
  assert.deepEqual(posted, [333, 444]);
});

test("scrollToShow: no scroll for a box in view; else its top a margin below the view's top", () => {
  assert.equal(scrollToShow({ viewTop: 0, viewHeight: 500, top: 100, height: 300 }), null, "in view");
  assert.equal(scrollToShow({ viewTop: 0, viewHeight: 500, top: 100, height: 400 }), null, "exactly to the bottom");
  assert.equal(scrollToShow({ viewTop: 0, viewHeight: 500, top: 420, height: 300 }), 412, "below the fold");
  assert.equal(scrollToShow({ viewTop: 0, viewHeight: 500, top: 300, height: 250 }), 292, "cut at the bottom");
  assert.equal(scrollToShow({ viewTop: 600, viewHeight: 500, top: 100, height: 200 }), 92, "above the view");
  assert.equal(scrollToShow({ viewTop: 0, viewHeight: 300, top: 200, height: 900 }), 192, "taller than the view: from its top");
  assert.equal(scrollToShow({ viewTop: 50, viewHeight: 300, top: 4, height: 900 }), 0, "never above the document");
  assert.equal(scrollToShow({ viewTop: 0, viewHeight: 400, top: 420.6, height: 10, margin: 0 }), 420, "whole px");
});

test("bringIntoView scrolls the window to the hull of the shown elements, and ignores hidden ones", () => {
  const box = (top, bottom, shown = true) => ({ getClientRects: () => (shown ? [1] : []), getBoundingClientRect: () => ({ top, bottom }) });
  const scrolls = [];
  const win = { scrollY: 0, innerHeight: 500, scrollTo: (o) => scrolls.push(o) };
  bringIntoView([box(600, 640), box(650, 900), box(-100, 2000, false), null], win);
  assert.deepEqual(scrolls, [{ top: 592, behavior: "instant" }]);
  bringIntoView([box(10, 200)], win);
  assert.equal(scrolls.length, 1, "already in view");
  bringIntoView([box(0, 10, false)], win);
  assert.equal(scrolls.length, 1, "nothing shown: no scroll");
  bringIntoView([box(-300, -100)], { ...win, scrollY: 400 });
  assert.deepEqual(scrolls[1], { top: 92, behavior: "instant" }, "above the view, in document coordinates");
});
