// Bands over time built from the timeline's typed changes: a pod's conditions (conditions
// {changes: [{condition, status}]}) and each Service's endpoint membership per pod (endpoint
// {ip, pod, state: ready | notReady | removed} on service/NAME).

// The order kubectl describe lists them; a release without PodReadyToStartContainers never
// records it, so it gets no band.
export const CONDITIONS = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];

// Segments [{value, from, to}] for each condition the pod's timeline mentions, in CONDITIONS
// order: [{name, segments}]. A condition holds from its first change to the next (or to the
// pod's deletion, or `until`).
export function conditionBands(timeline, object, until) {
  const open = new Map(); // name -> {value, from}
  const segs = new Map(); // name -> [{value, from, to}]
  let end = until;
  for (const c of timeline) {
    if (c.object !== object) continue;
    if (c.detail.type === "podDeleted") { end = Math.min(end, c.at); continue; }
    if (c.detail.type !== "conditions") continue;
    for (const { condition: name, status: value } of c.detail.changes) {
      const prev = open.get(name);
      if (prev && prev.value === value) continue;
      if (!segs.has(name)) segs.set(name, []);
      if (prev && c.at > prev.from) segs.get(name).push({ value: prev.value, from: prev.from, to: c.at });
      open.set(name, { value, from: c.at });
    }
  }
  for (const [name, o] of open) if (end > o.from) segs.get(name).push({ value: o.value, from: o.from, to: end });
  const known = CONDITIONS.filter((n) => segs.has(n));
  const others = [...segs.keys()].filter((n) => !CONDITIONS.includes(n));
  return [...known, ...others].map((name) => ({ name, segments: segs.get(name) }));
}

// One lane per Service × pod that ever was an endpoint: [{service, pod, segments:[{state, from,
// to}]}] with state "ready", "not-ready" or "absent" covering 0..until.
export function endpointLanes(timeline, until) {
  const lanes = new Map();
  for (const c of timeline) {
    const d = c.detail;
    if (d.type !== "endpoint" || !c.object.startsWith("service/")) continue;
    const service = c.object.slice("service/".length);
    const key = `${service}\u0000${d.pod}`;
    if (!lanes.has(key)) lanes.set(key, { service, pod: d.pod, segments: [], state: "absent", from: 0 });
    const l = lanes.get(key);
    const state = { ready: "ready", notReady: "not-ready", removed: "absent" }[d.state];
    if (state === l.state) continue;
    if (c.at > l.from) l.segments.push({ state: l.state, from: l.from, to: c.at });
    l.state = state;
    l.from = c.at;
  }
  return [...lanes.values()].map((l) => {
    if (until > l.from) l.segments.push({ state: l.state, from: l.from, to: until });
    return { service: l.service, pod: l.pod, segments: l.segments };
  });
}

const STATE_WORDS = { ready: "ready", "not-ready": "not ready", absent: "absent" };

// A pod's condition bands as one lane: a thin band per condition, stacked, each segment
// written out ("Ready=False") so True/False is readable without colour.
// view: {place(el, from, to) -> bool (false when outside the shown window)}.
export function renderConditionLane(pod, bands, { place, formatDuration, seek }) {
  const lane = document.createElement("div");
  lane.className = "lane condition-lane";
  const name = document.createElement("span");
  name.className = "lane-name container-name";
  name.textContent = "↳ conditions";
  name.title = `conditions of pod ${pod}`;
  const track = document.createElement("div");
  track.className = "track btrack";
  track.dataset.pod = pod;
  track.style.height = `calc(${bands.length} * 0.85rem + 2px)`;
  const words = [];
  bands.forEach((b, row) => {
    const changes = [];
    for (const s of b.segments) {
      const what = `${b.name}=${s.value} from ${formatDuration(s.from)} to ${formatDuration(s.to)}`;
      changes.push(what);
      const el = document.createElement("div");
      el.className = `bseg ${s.value}`;
      el.dataset.condition = b.name;
      el.dataset.value = s.value;
      el.style.top = `calc(${row} * 0.85rem)`;
      if (!place(el, s.from, s.to)) continue;
      el.textContent = `${b.name}=${s.value}`;
      el.title = what;
      track.append(el);
    }
    words.push(changes.join(", "));
  });
  const cursor = document.createElement("div");
  cursor.className = "cursor-line";
  track.append(cursor);
  track.setAttribute("role", "img");
  track.setAttribute("aria-label", `conditions of ${pod}: ${words.join("; ") || "none yet"}`);
  track.addEventListener("click", (e) => {
    const r = track.getBoundingClientRect();
    seek((e.clientX - r.left) / r.width);
  });
  lane.append(name, track);
  return lane;
}

// One Service × pod endpoint lane: ready / not ready / absent segments, each labelled.
export function renderEndpointLane(l, { place, formatDuration, seek }) {
  const lane = document.createElement("div");
  lane.className = "lane endpoint-lane";
  const name = document.createElement("span");
  name.className = "lane-name";
  name.textContent = `svc/${l.service} ∋ ${l.pod}`;
  name.title = `pod ${l.pod} in the endpoints of Service ${l.service}`;
  const track = document.createElement("div");
  track.className = "track etrack";
  track.dataset.service = l.service;
  track.dataset.pod = l.pod;
  const words = [];
  for (const s of l.segments) {
    const what = `${STATE_WORDS[s.state]} from ${formatDuration(s.from)} to ${formatDuration(s.to)}`;
    words.push(what);
    const el = document.createElement("div");
    el.className = `eseg ${s.state}`;
    el.dataset.state = s.state;
    if (!place(el, s.from, s.to)) continue;
    el.textContent = STATE_WORDS[s.state];
    el.title = `${l.pod} in svc/${l.service}: ${what}`;
    track.append(el);
  }
  const cursor = document.createElement("div");
  cursor.className = "cursor-line";
  track.append(cursor);
  track.setAttribute("role", "img");
  track.setAttribute("aria-label", `${l.pod} in the endpoints of Service ${l.service}: ${words.join("; ")}`);
  track.addEventListener("click", (e) => {
    const r = track.getBoundingClientRect();
    seek((e.clientX - r.left) / r.width);
  });
  lane.append(name, track);
  return lane;
}
