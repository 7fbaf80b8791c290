// Unit tests of web/src/lanes.js, bands.js and app.js's phase reading: the lanes are drawn from
// the timeline's typed `detail` (the JSON shapes podplay-core's change.rs test pins), never
// from the summary text. Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { containerLanes } from "../../web/src/lanes.js";
import { conditionBands, endpointLanes } from "../../web/src/bands.js";

// A timeline entry as the wasm `simulate` gives it; the summary is deliberately not what the
// engine writes, to show the lanes do not read it.
const change = (at, object, kind, detail) => ({ at, object, kind, summary: "(not read)", detail, cause: "", fields: [] });

const timeline = [
  change(0, "pod/web", "phase", { type: "podCreated" }),
  change(1000, "pod/web", "condition", { type: "conditions", changes: [{ condition: "PodScheduled", status: "True", node: "node-1", reason: null }] }),
  change(2000, "pod/web", "event", { type: "event", eventType: "Normal", reason: "Pulled", message: "m", container: "app" }),
  change(3000, "pod/web", "container", { type: "containerStarted", container: "app", restart: 0 }),
  change(4000, "pod/web", "condition", { type: "conditions", changes: [{ condition: "Ready", status: "True", node: null, reason: null }, { condition: "ContainersReady", status: "True", node: null, reason: null }] }),
  change(4000, "service/web", "endpoints", { type: "endpoint", ip: "10.244.0.5", pod: "web", state: "ready" }),
  change(9000, "pod/web", "event", { type: "event", eventType: "Warning", reason: "Unhealthy", message: "m", container: "app" }),
  change(10000, "pod/web", "event", { type: "event", eventType: "Normal", reason: "Killing", message: "m", container: "app" }),
  change(10000, "pod/web", "container", { type: "containerStopping", container: "app", graceSeconds: 30 }),
  change(11000, "pod/web", "container", { type: "containerExited", container: "app", exitCode: 137, reason: "Error" }),
  change(11000, "pod/web", "condition", { type: "conditions", changes: [{ condition: "Ready", status: "False", node: null, reason: null }] }),
  change(11000, "service/web", "endpoints", { type: "endpoint", ip: "10.244.0.5", pod: "web", state: "notReady" }),
  change(12000, "pod/web", "container", { type: "containerStarted", container: "app", restart: 1 }),
  change(20000, "service/web", "endpoints", { type: "endpoint", ip: "10.244.0.5", pod: "web", state: "removed" }),
  change(20000, "pod/web", "phase", { type: "podDeleted" }),
  change(5000, "pod/other", "container", { type: "containerStarted", container: "x", restart: 0 }),
];

test("container lanes: segments, restarts and markers from the typed changes", () => {
  const [app, ...rest] = containerLanes(timeline, "pod/web", 30000);
  assert.equal(rest.length, 0, "only the pod's own containers");
  assert.equal(app.name, "app");
  assert.deepEqual(app.segments, [
    { state: "Waiting", detail: "", from: 0, to: 3000 },
    { state: "Running", detail: "", from: 3000, to: 10000 },
    { state: "Running", detail: "stopping (grace 30s)", from: 10000, to: 11000 },
    { state: "Terminated", detail: "Error, exit code 137", from: 11000, to: 12000 },
    { state: "Running", detail: "", from: 12000, to: 20000 },
  ], "the lane ends when the pod is deleted");
  assert.deepEqual(app.restarts, [{ at: 12000, index: 12 }]);
  assert.deepEqual(app.markers.map((m) => [m.at, m.reason]), [[9000, "Unhealthy"], [10000, "Killing"]], "Pulled is no marker");
});

test("condition bands hold from one change to the next, and end with the pod", () => {
  const bands = conditionBands(timeline, "pod/web", 30000);
  assert.deepEqual(bands.map((b) => b.name), ["Ready", "ContainersReady", "PodScheduled"], "kubectl describe's order");
  assert.deepEqual(bands[0].segments, [{ value: "True", from: 4000, to: 11000 }, { value: "False", from: 11000, to: 20000 }]);
  assert.deepEqual(bands[2].segments, [{ value: "True", from: 1000, to: 20000 }]);
});

test("endpoint lanes: ready, not ready, then absent", () => {
  assert.deepEqual(endpointLanes(timeline, 30000), [{
    service: "web",
    pod: "web",
    segments: [
      { state: "absent", from: 0, to: 4000 },
      { state: "ready", from: 4000, to: 11000 },
      { state: "not-ready", from: 11000, to: 20000 },
      { state: "absent", from: 20000, to: 30000 },
    ],
  }]);
});
