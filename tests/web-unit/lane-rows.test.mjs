// Unit tests of web/src/lane-rows.js (the lanes' rows, from a timeline grouped by object once)
// and changes-table.js's row to keep in view. Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { indexTimeline, laneRows, phaseSegments } from "../../web/src/lane-rows.js";
import { containerLanes } from "../../web/src/lanes.js";
import { conditionBands } from "../../web/src/bands.js";
import { focusRow } from "../../web/src/changes-table.js";

const change = (at, object, kind, detail) => ({ at, object, kind, summary: "(not read)", detail, cause: "", fields: [] });

// Two pods whose changes interleave, and a Service.
const timeline = [
  change(0, "pod/a", "phase", { type: "podCreated" }),
  change(0, "pod/b", "phase", { type: "podCreated" }),
  change(1000, "pod/a", "condition", { type: "conditions", changes: [{ condition: "PodScheduled", status: "True", node: "n", reason: null }] }),
  change(2000, "pod/b", "event", { type: "event", eventType: "Normal", reason: "Pulled", message: "m", container: "app" }),
  change(3000, "pod/a", "container", { type: "containerStarted", container: "app", restart: 0 }),
  change(3000, "pod/b", "container", { type: "containerStarted", container: "side", restart: 0 }),
  change(3000, "pod/b", "container", { type: "containerStarted", container: "app", restart: 0 }),
  change(4000, "pod/a", "phase", { type: "phaseChanged", from: "Pending", to: "Running" }),
  change(4000, "service/s", "endpoints", { type: "endpoint", ip: "10.0.0.1", pod: "a", state: "ready" }),
  change(9000, "pod/b", "event", { type: "event", eventType: "Warning", reason: "BackOff", message: "m", container: "app" }),
];
const sim = { ok: true, pods: ["a", "b"], timeline, until: 10000, probeAttempts: [
  { pod: "b", container: "app", probe: "readiness", at: 5000, outcome: "success" },
  { pod: "b", container: "app", probe: "liveness", at: 6000, outcome: "failure" },
  { pod: "a", container: "app", probe: "readiness", at: 5000, outcome: "success" },
] };

test("indexTimeline: each object's changes by their timeline index, in order", () => {
  const byObject = indexTimeline(timeline);
  assert.deepEqual(byObject.get("pod/a"), [0, 2, 4, 7]);
  assert.deepEqual(byObject.get("pod/b"), [1, 3, 5, 6, 9]);
  assert.deepEqual(byObject.get("service/s"), [8]);
});

test("laneRows: the rows the lanes drew from the whole timeline, read from each pod's own changes", () => {
  const rows = laneRows(sim);
  assert.deepEqual(rows.map((r) => [r.type, r.pod, r.shape]), [
    ["pod", "a", "pod"], ["conditions", "a", "conditions:1"], ["container", "a", "container:1"],
    ["pod", "b", "pod"], ["container", "b", "container:2"], ["container", "b", "container:0"],
    ["endpoint", "a", "endpoint"],
  ]);
  // The same segments, bands and lanes as reading the whole timeline, with the same indices.
  assert.deepEqual(rows[0].segments, phaseSegments(timeline, "pod/a", 10000));
  assert.deepEqual(rows[1].bands, conditionBands(timeline, "pod/a", 10000));
  const whole = containerLanes(timeline, "pod/b", 10000);
  assert.deepEqual(rows[4].lane, { ...whole[0], attempts: rows[4].lane.attempts });
  assert.deepEqual(rows[5].lane, { ...whole[1], attempts: [] });
  assert.equal(rows[4].lane.markers[0].index, 9);
  assert.deepEqual(rows[4].lane.attempts.map((a) => a.probe), ["readiness", "liveness"]);
  assert.deepEqual(rows[3].ticks, [3, 5, 6, 9], "events and container changes of b");
});

test("focusRow: the selected change, else the latest at or before the cursor, else none", () => {
  assert.equal(focusRow(timeline, 3500, undefined), 6);
  assert.equal(focusRow(timeline, 3500, 2), 2);
  assert.equal(focusRow(timeline, -1, undefined), -1);
  assert.equal(focusRow(timeline, 99999, undefined), 9);
});
