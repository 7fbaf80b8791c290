// Unit tests of web/src/markers.js: which of a container lane's event markers are grouped at a
// given track width, so that none overlaps another. Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { groupMarkers, groupWords, MARKER_GAP } from "../../web/src/markers.js";

const at = (...xs) => xs.map((x, i) => ({ x, id: i }));
const ids = (groups) => groups.map((g) => g.members.map((m) => m.id));

// No two placed markers closer than a marker's width and the gap, all inside the track.
function assertApart(groups, { width, size }) {
  for (const g of groups) assert.ok(g.x >= size / 2 && g.x <= width - size / 2, `x ${g.x} outside 0..${width}`);
  for (let i = 1; i < groups.length; i++) {
    assert.ok(groups[i].x - groups[i - 1].x >= size + MARKER_GAP, `groups ${i - 1} and ${i} overlap: ${groups[i - 1].x}, ${groups[i].x}`);
  }
}

test("markers far apart stay single, where they are", () => {
  const groups = groupMarkers(at(100, 200, 300), { width: 600, size: 16 });
  assert.deepEqual(ids(groups), [[0], [1], [2]]);
  assert.deepEqual(groups.map((g) => g.x), [100, 200, 300]);
});

test("markers that would overlap are one group at their mean", () => {
  // A liveness probe: Unhealthy at 10 px steps, Killing with the third.
  const groups = groupMarkers(at(100, 110, 120, 120, 400), { width: 600, size: 16 });
  assert.deepEqual(ids(groups), [[0, 1, 2, 3], [4]]);
  assert.equal(groups[0].x, 112.5);
  assertApart(groups, { width: 600, size: 16 });
});

test("a group is placed at its members' mean, so a chain of close markers may make several groups", () => {
  // Every neighbour 17 px on (a marker 16 wide and the gap 2 need 18): 0 and 1 are a group at
  // 58.5, and 2 (at 84) is then far enough from it to start the next.
  const groups = groupMarkers(at(50, 67, 84, 101), { width: 600, size: 16 });
  assert.deepEqual(ids(groups), [[0, 1], [2, 3]]);
  assert.deepEqual(groups.map((g) => g.x), [58.5, 92.5]);
  assertApart(groups, { width: 600, size: 16 });
  // 18 px on: all single.
  assert.deepEqual(ids(groupMarkers(at(50, 68, 86), { width: 600, size: 16 })), [[0], [1], [2]]);
});

test("markers at the ends of the track are kept whole inside it", () => {
  const groups = groupMarkers(at(0, 600), { width: 600, size: 24 });
  assert.deepEqual(groups.map((g) => g.x), [12, 588]);
  // Two at the very end, apart in time but not in place once kept inside: grouped.
  assert.deepEqual(ids(groupMarkers(at(590, 600), { width: 600, size: 24 })), [[0, 1]]);
});

test("hundreds of markers over a narrow track never overlap, and none is lost", () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const [width, size] of [[343, 24], [620, 16], [40, 24]]) {
    const points = Array.from({ length: 300 }, (_, i) => ({ x: random() * width, id: i }));
    const groups = groupMarkers(points, { width, size });
    assertApart(groups, { width, size });
    assert.equal(groups.reduce((n, g) => n + g.members.length, 0), 300);
    const order = groups.flatMap((g) => g.members.map((m) => m.x));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), "members in time order");
  }
});

test("a group says how many events it holds, when, and which", () => {
  const m = (reason, time) => ({ reason, time });
  assert.equal(groupWords([m("Unhealthy", "40s"), m("Unhealthy", "45s"), m("Killing", "50s")]), "3 events from 40s to 50s: Unhealthy, Unhealthy, Killing");
  assert.equal(groupWords([m("Unhealthy", "50s"), m("Killing", "50s")]), "2 events at 50s: Unhealthy, Killing");
});
