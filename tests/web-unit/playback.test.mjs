// Unit tests of web/src/playback.js: the player that moves the virtual-time cursor. It needs no
// DOM, only requestAnimationFrame and performance.now; here frames run when the test says so,
// at wall-clock times the test chooses.
// Run: node --test tests/web-unit/
import { after, afterEach, before, beforeEach, mock, test } from "node:test";
import assert from "node:assert/strict";
import { createPlayer, SPEEDS } from "../../web/src/playback.js";

let wall = 0;
let frames = new Map();
let nextFrame = 1;
// Moves the wall clock by `ms` and runs the frames requested until then (each once).
function tick(ms) {
  wall += ms;
  const due = [...frames.values()];
  frames = new Map();
  for (const cb of due) cb(wall);
}
const saved = {};
before(() => {
  saved.raf = globalThis.requestAnimationFrame;
  saved.caf = globalThis.cancelAnimationFrame;
  globalThis.requestAnimationFrame = (cb) => {
    const id = nextFrame++;
    frames.set(id, cb);
    return id;
  };
  globalThis.cancelAnimationFrame = (id) => frames.delete(id);
});
after(() => {
  globalThis.requestAnimationFrame = saved.raf;
  globalThis.cancelAnimationFrame = saved.caf;
});
beforeEach(() => {
  wall = 1000000;
  frames = new Map();
  mock.method(performance, "now", () => wall);
});
afterEach(() => mock.restoreAll());

// A cursor (ms) and the end of the run (max), as the page keeps them; seeks and onChange calls are logged.
function setUp({ ms = 0, max = 60000 } = {}) {
  const page = { ms, max, seeks: [], changes: [] };
  const player = createPlayer({
    getMs: () => page.ms,
    getMax: () => page.max,
    seek: (v) => {
      page.seeks.push(v);
      page.ms = v;
    },
    onChange: (playing) => page.changes.push(playing),
  });
  return { page, player };
}

test("the speeds are 1x, 10x and 60x; a new player is paused at 1x", () => {
  assert.deepEqual(SPEEDS, [1, 10, 60]);
  const { player, page } = setUp();
  assert.equal(player.playing, false);
  assert.equal(player.speed, 1);
  assert.deepEqual(page.changes, []);
  assert.equal(frames.size, 0);
});

test("play at 1x moves the cursor one virtual second per wall second, in whole seconds", () => {
  const { player, page } = setUp();
  player.play();
  assert.equal(player.playing, true);
  assert.deepEqual(page.changes, [true]);
  assert.equal(frames.size, 1, "a frame is requested");
  tick(999);
  assert.deepEqual(page.seeks, [], "not a whole second yet");
  tick(1);
  assert.deepEqual(page.seeks, [1000]);
  for (let i = 0; i < 8; i++) tick(250);
  assert.deepEqual(page.seeks, [1000, 2000, 3000]);
  assert.equal(page.ms, 3000);
});

test("many short frames add up: 60 frames of 16.7 ms make one second", () => {
  const { player, page } = setUp();
  player.play();
  for (let i = 0; i < 59; i++) tick(16.7);
  assert.deepEqual(page.seeks, []);
  tick(16.7);
  assert.deepEqual(page.seeks, [1000]);
});

test("at 10x and 60x the cursor moves 10 and 60 virtual seconds per wall second, still in whole seconds", () => {
  const ten = setUp();
  ten.player.setSpeed(10);
  ten.player.play();
  tick(100);
  tick(150);
  assert.deepEqual(ten.page.seeks, [1000, 2000], "1000 ms, then 2500 ms shown as 2 s");
  ten.player.pause();

  const sixty = setUp({ max: 600000 });
  sixty.player.setSpeed(60);
  assert.equal(sixty.player.speed, 60);
  sixty.player.play();
  tick(16);
  assert.deepEqual(sixty.page.seeks, [], "960 ms");
  tick(16);
  assert.deepEqual(sixty.page.seeks, [1000], "1920 ms");
  tick(1000);
  assert.deepEqual(sixty.page.seeks, [1000, 61000]);
});

test("setSpeed ignores a speed that is not one of SPEEDS", () => {
  const { player } = setUp();
  player.setSpeed(10);
  for (const s of [5, 0, -1, "60", 600, NaN]) {
    player.setSpeed(s);
    assert.equal(player.speed, 10, String(s));
  }
});

test("play continues from where the cursor is", () => {
  const { player, page } = setUp({ ms: 5000 });
  player.play();
  tick(1000);
  assert.deepEqual(page.seeks, [6000]);
});

test("reaching the end seeks to it exactly and pauses", () => {
  const { player, page } = setUp({ ms: 0, max: 3000 });
  player.play();
  tick(2500);
  assert.deepEqual(page.seeks, [2000]);
  tick(1000);
  assert.deepEqual(page.seeks, [2000, 3000]);
  assert.equal(player.playing, false);
  assert.deepEqual(page.changes, [true, false]);
  assert.equal(frames.size, 0, "no frame left pending");
  tick(1000);
  assert.deepEqual(page.seeks, [2000, 3000], "nothing moves after the end");
});

test("play at the end starts again from 0", () => {
  const { player, page } = setUp({ ms: 3000, max: 3000 });
  player.play();
  assert.deepEqual(page.seeks, [0]);
  assert.equal(player.playing, true);
  tick(1000);
  assert.deepEqual(page.seeks, [0, 1000]);
});

test("a cursor moved by someone else (the slider) is where playing continues from", () => {
  const { player, page } = setUp();
  player.play();
  tick(500);
  page.ms = 20000; // dragged
  tick(1000);
  assert.deepEqual(page.seeks, [21000]);
  tick(1000);
  assert.deepEqual(page.seeks, [21000, 22000]);
});

test("pause stops the frames; pause and play are no-ops when already paused or playing", () => {
  const { player, page } = setUp();
  player.pause();
  assert.deepEqual(page.changes, [], "pause while paused");
  player.play();
  player.play();
  assert.deepEqual(page.changes, [true], "play while playing");
  assert.equal(frames.size, 1);
  player.pause();
  assert.equal(player.playing, false);
  assert.equal(frames.size, 0, "the pending frame is cancelled");
  assert.deepEqual(page.changes, [true, false]);
  tick(5000);
  assert.deepEqual(page.seeks, []);
});

test("toggle alternates play and pause", () => {
  const { player, page } = setUp();
  player.toggle();
  assert.equal(player.playing, true);
  player.toggle();
  assert.equal(player.playing, false);
  player.toggle();
  assert.deepEqual(page.changes, [true, false, true]);
});

test("after a pause, playing again does not count the paused wall time", () => {
  const { player, page } = setUp();
  player.play();
  tick(1000);
  player.pause();
  wall += 60000; // a minute passes paused
  player.play();
  tick(500);
  assert.deepEqual(page.seeks, [1000], "1.5 s, not 61.5 s");
  tick(500);
  assert.deepEqual(page.seeks, [1000, 2000]);
});
