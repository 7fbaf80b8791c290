// Per-container lanes derived from the timeline's typed changes: Waiting / Running /
// Terminated segments from containerStarted {container, restart}, containerStopping
// {container, graceSeconds} and containerExited {container, exitCode, reason}, bounded by the
// pod's creation and podDeleted; restart ticks; and markers for the Unhealthy / Killing /
// BackOff events about a container (event {reason, container}).

import { watchMarkers } from "./markers.js";

export const MARKED_REASONS = ["Unhealthy", "Killing", "BackOff"];

// Returns [{name, segments:[{state, detail, from, to}], restarts:[{at, index}],
//           markers:[{at, reason, summary, index}]}] in order of first appearance.
// indices: the object's changes' indices in the timeline (lane-rows.js's index), when known;
// else the whole timeline is read.
export function containerLanes(timeline, object, until, indices = null) {
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
  const visit = (c, index) => {
    if (c.object !== object) return;
    const d = c.detail;
    if (c.kind === "phase") {
      if (created === null) created = c.at;
      if (d.type === "podDeleted") deletedAt = c.at;
      return;
    }
    const name = d.container;
    if (!name || (c.kind !== "container" && c.kind !== "event")) return;
    const l = lane(name);
    if (l.state === null) { l.state = "Waiting"; l.detail = ""; l.from = created ?? 0; }
    if (d.type === "containerStarted") {
      if (d.restart > 0) l.restarts.push({ at: c.at, index });
      move(l, c.at, "Running", "");
    } else if (d.type === "containerStopping") {
      // Still running until it exits: preStop, the stop signal, SIGKILL after the grace period.
      move(l, c.at, "Running", `stopping (grace ${d.graceSeconds}s)`);
    } else if (d.type === "containerExited") {
      move(l, c.at, "Terminated", `${d.reason}, exit code ${d.exitCode}`);
    } else if (d.type === "event" && MARKED_REASONS.includes(d.reason)) {
      l.markers.push({ at: c.at, reason: d.reason, summary: c.summary, index });
    }
  };
  if (indices) for (const index of indices) visit(timeline[index], index);
  else timeline.forEach(visit);
  const end = deletedAt ?? until;
  return [...lanes.values()].map((l) => {
    if (l.state !== null && end > l.from) l.segments.push({ state: l.state, detail: l.detail, from: l.from, to: end });
    return { name: l.name, segments: l.segments, restarts: l.restarts, markers: l.markers };
  });
}

// Probe attempt ticks: the outcome is told by shape as well as colour (a short line for a
// success, a square for a failure, a diamond for a timeout, a triangle for an error) and each
// probe kind has its own row under the segments (liveness, readiness, startup).
export const PROBE_ROWS = ["liveness", "readiness", "startup"];

// One container's lane: Waiting / Running / Terminated segments, restart ticks, probe attempt
// ticks (cl.attempts: [{probe, at, outcome}]), and buttons for the Unhealthy / Killing / BackOff
// events that select the change and move the cursor. place(el, from, to) / placeAt(el, ms) put
// a piece on the track (false when outside the shown window); seek(fraction) moves the cursor
// to that point of the track.
export function renderContainerLane(pod, cl, { place, placeAt, formatDuration, select, seek }) {
  const lane = document.createElement("div");
  lane.className = "lane container-lane";
  const name = document.createElement("span");
  name.className = "lane-name container-name";
  name.textContent = `↳ ${cl.name}`;
  name.title = `container ${cl.name} of pod ${pod}`;
  const track = document.createElement("div");
  track.className = "track ctrack";
  track.dataset.pod = pod;
  track.dataset.container = cl.name;
  const words = [];
  for (const s of cl.segments) {
    const el = document.createElement("div");
    el.className = `cseg ${s.state}${s.detail.startsWith("stopping") ? " stopping" : ""}`;
    el.dataset.state = s.state;
    const what = `${s.state}${s.detail ? ` (${s.detail})` : ""} from ${formatDuration(s.from)} to ${formatDuration(s.to)}`;
    words.push(what);
    if (!place(el, s.from, s.to)) continue;
    el.textContent = s.state;
    el.title = what;
    track.append(el);
  }
  const attempts = cl.attempts ?? [];
  const rows = PROBE_ROWS.filter((k) => attempts.some((a) => a.probe === k));
  if (rows.length) track.style.height = `calc(1.05rem + ${rows.length} * 0.55rem + 2px)`;
  const counts = {};
  for (const a of attempts) {
    const key = `${a.probe} ${a.outcome}`;
    counts[key] = (counts[key] ?? 0) + 1;
    const tick = document.createElement("span");
    tick.className = `ptick ${a.outcome}`;
    tick.dataset.probe = a.probe;
    tick.dataset.outcome = a.outcome;
    tick.dataset.at = a.at;
    if (!placeAt(tick, a.at)) continue;
    tick.style.top = `calc(1.05rem + ${rows.indexOf(a.probe)} * 0.55rem)`;
    tick.title = `${formatDuration(a.at)}: ${a.probe} probe ${a.outcome}`;
    track.append(tick);
  }
  for (const r of cl.restarts) {
    const tick = document.createElement("div");
    tick.className = "restart";
    if (!placeAt(tick, r.at)) continue;
    tick.title = `${formatDuration(r.at)}: restarted`;
    track.append(tick);
  }
  const markers = [];
  for (const m of cl.markers) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `marker ${m.reason}`;
    b.dataset.index = m.index;
    b.dataset.key = String(m.index);
    b.dataset.reason = m.reason;
    if (!placeAt(b, m.at)) continue;
    const time = formatDuration(m.at);
    b.textContent = m.reason[0];
    b.title = `${time}: ${m.summary}`;
    b.setAttribute("aria-label", `${m.reason} at ${time}: select in the table and move the time cursor there`);
    b.addEventListener("click", (e) => { e.stopPropagation(); select(m.index); });
    track.append(b);
    markers.push({ el: b, index: m.index, reason: m.reason, time, words: `${m.reason} at ${time}: ${m.summary}` });
  }
  const cursor = document.createElement("div");
  cursor.className = "cursor-line";
  track.append(cursor);
  const probeWords = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ");
  track.setAttribute("aria-label", `container ${cl.name}: ${words.join("; ") || "no state yet"}; ${cl.restarts.length} restart${cl.restarts.length === 1 ? "" : "s"}${probeWords ? `; probe attempts: ${probeWords}` : ""}`);
  track.setAttribute("role", "group");
  track.addEventListener("click", (e) => {
    const r = track.getBoundingClientRect();
    seek((e.clientX - r.left) / r.width);
  });
  lane.append(name, track);
  // Markers that would overlap at the track's width become groups (markers.js).
  watchMarkers(track, lane, markers);
  return lane;
}
