// Per-container lanes derived from the timeline: Waiting / Running / Terminated segments
// from "container" changes (summaries "NAME: started (restart N)", "NAME: stopping (grace Ns)",
// "NAME: exited with code X (Reason)") bounded by the pod's "phase" changes (creation,
// deletion), restart ticks, and markers for the Unhealthy / Killing / BackOff events (whose
// cause names the container: "kubelet event on spec.containers{NAME}").

export const MARKED_REASONS = ["Unhealthy", "Killing", "BackOff"];

const containerOfCause = (cause) => {
  const m = /spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]+)\}/.exec(cause ?? "");
  return m ? m[1] : null;
};

// Returns [{name, segments:[{state, detail, from, to}], restarts:[{at, index}],
//           markers:[{at, reason, summary, index}]}] in order of first appearance.
export function containerLanes(timeline, object, until) {
  const lanes = new Map();
  const lane = (name) => {
    if (!lanes.has(name)) lanes.set(name, { name, segments: [], restarts: [], markers: [], state: null, detail: "", from: 0 });
    return lanes.get(name);
  };
  let created = null;
  let deletedAt = null;
  const move = (l, at, state, detail) => {
    if (l.state !== null && at > l.from) l.segments.push({ state: l.state, detail: l.detail, from: l.from, to: at });
    l.state = state;
    l.detail = detail;
    l.from = at;
  };
  timeline.forEach((c, index) => {
    if (c.object !== object) return;
    if (c.kind === "phase") {
      if (created === null) created = c.at;
      if (/^deleted\b/.test(c.summary)) deletedAt = c.at;
      return;
    }
    if (c.kind === "container") {
      const m = /^(.+?): (started \(restart (\d+)\)|stopping(?: \([^)]*\))?|exited with code (-?\d+) \(([^)]*)\))/.exec(c.summary);
      if (!m) return;
      const l = lane(m[1]);
      if (l.state === null) { l.state = "Waiting"; l.detail = ""; l.from = created ?? 0; }
      if (m[2].startsWith("started")) {
        if (Number(m[3]) > 0) l.restarts.push({ at: c.at, index });
        move(l, c.at, "Running", "");
      } else if (m[2].startsWith("stopping")) {
        // Still running until it exits: preStop, the stop signal, SIGKILL after the grace period.
        move(l, c.at, "Running", c.summary.slice(m[1].length + 2));
      } else {
        move(l, c.at, "Terminated", `${m[5]}, exit code ${m[4]}`);
      }
      return;
    }
    if (c.kind === "event") {
      const name = containerOfCause(c.cause);
      if (!name) return;
      const l = lane(name);
      if (l.state === null) { l.state = "Waiting"; l.detail = ""; l.from = created ?? 0; }
      const reason = /^\w+ (\w+):/.exec(c.summary)?.[1];
      if (MARKED_REASONS.includes(reason)) l.markers.push({ at: c.at, reason, summary: c.summary, index });
    }
  });
  const end = deletedAt ?? until;
  return [...lanes.values()].map((l) => {
    if (l.state !== null && end > l.from) l.segments.push({ state: l.state, detail: l.detail, from: l.from, to: end });
    return { name: l.name, segments: l.segments, restarts: l.restarts, markers: l.markers };
  });
}
