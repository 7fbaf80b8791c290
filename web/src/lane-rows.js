// The timeline lanes' rows, worked out once per simulation. A lane reads only its own object's
// changes: the timeline is grouped by object once (indexTimeline), so drawing 1,000 pods costs
// the timeline once, not once per pod. Zooming or moving the cursor only places the same rows
// again; nothing here is recomputed until the next simulation.
import { conditionBands, endpointLanes } from "./bands.js";
import { containerLanes } from "./lanes.js";

// The phase a timeline "phase" change leaves the pod in (its typed `detail`: podCreated,
// phaseChanged {from, to}, podTerminating, podFailed, podEvicted, podDeleted).
export function phaseAfter(detail) {
  switch (detail.type) {
    case "podCreated": return "Pending";
    case "phaseChanged": return detail.to;
    case "podTerminating": return "Terminating";
    case "podFailed": return "Failed";
    case "podEvicted": return "Failed";
    default: return null;
  }
}

// Phase segments [{phase, from, to}] of one object from its "phase" changes.
export function phaseSegments(changes, object, until) {
  const segs = [];
  let phase = null;
  let from = 0;
  for (const c of changes) {
    if (c.object !== object || c.kind !== "phase") continue;
    if (phase !== null && c.at > from) segs.push({ phase, from, to: c.at });
    if (phase === null && c.detail.type === "phaseChanged" && !segs.length) {
      // No creation record: the phase before the first change held from 0.
      const before = c.detail.from;
      if (before && c.at > 0) segs.push({ phase: before, from: 0, to: c.at });
    }
    phase = phaseAfter(c.detail);
    from = c.at;
  }
  if (phase !== null && until > from) segs.push({ phase, from, to: until });
  return segs;
}

// object -> the indices of its changes in the timeline, in timeline order.
export function indexTimeline(timeline) {
  const byObject = new Map();
  timeline.forEach((c, index) => {
    let list = byObject.get(c.object);
    if (!list) byObject.set(c.object, (list = []));
    list.push(index);
  });
  return byObject;
}

// The rows the lanes draw, in the page's order: for each pod its phase lane, its condition
// lane (when it has conditions) and a lane per container (with its probe attempts); then one
// lane per Service × pod endpoint. Each row: {type: "pod" | "conditions" | "container" |
// "endpoint", pod, ...its data}, and `shape`, which tells rows of the same height apart.
export function laneRows(sim) {
  const { timeline, until } = sim;
  const byObject = indexTimeline(timeline);
  const attemptsByPod = new Map();
  for (const a of sim.probeAttempts ?? []) {
    let list = attemptsByPod.get(a.pod);
    if (!list) attemptsByPod.set(a.pod, (list = []));
    list.push(a);
  }
  const rows = [];
  for (const pod of sim.pods) {
    const object = `pod/${pod}`;
    const indices = byObject.get(object) ?? [];
    const changes = indices.map((i) => timeline[i]);
    const ticks = indices.filter((i) => timeline[i].kind === "event" || timeline[i].kind === "container");
    rows.push({ type: "pod", pod, segments: phaseSegments(changes, object, until), ticks, shape: "pod" });
    const bands = conditionBands(changes, object, until);
    if (bands.length) rows.push({ type: "conditions", pod, bands, shape: `conditions:${bands.length}` });
    const attempts = attemptsByPod.get(pod) ?? [];
    for (const cl of containerLanes(timeline, object, until, indices)) {
      cl.attempts = attempts.filter((a) => a.container === cl.name);
      const probeRows = new Set(cl.attempts.map((a) => a.probe)).size;
      rows.push({ type: "container", pod, lane: cl, shape: `container:${probeRows}` });
    }
  }
  for (const l of endpointLanes(timeline, until)) rows.push({ type: "endpoint", pod: l.pod, lane: l, shape: "endpoint" });
  return rows;
}
