// The Unhealthy / Killing / BackOff markers of a container lane, kept apart: markers that would
// overlap at the lane's width (a liveness probe failing every few seconds, seen over the whole
// run) become one group marker that says how many events it holds and opens their list, so
// every event stays reachable by mouse and by keyboard. Laid out again when the track's width
// changes (a ResizeObserver), since which markers overlap depends on it.

// Space kept between two markers, in CSS pixels.
export const MARKER_GAP = 2;

// Groups points [{x, ...}] (centres in px on a track `width` wide) so that no two groups'
// markers (`size` px wide) come closer than `gap`: [{members, x}], in order, each x the mean of
// its members' centres kept inside the track.
export function groupMarkers(points, { width, size, gap = MARKER_GAP }) {
  const half = size / 2;
  const clamp = (x) => Math.min(Math.max(x, half), Math.max(half, width - half));
  const groups = [];
  for (const p of [...points].sort((a, b) => a.x - b.x)) {
    let g = { members: [p], sum: p.x, x: clamp(p.x) };
    // Too close to the group before: one group with it (kept inside the track, its centre can
    // come no closer to the groups before that one than that one was).
    while (groups.length && g.x - groups[groups.length - 1].x < size + gap) {
      const before = groups.pop();
      const members = [...before.members, ...g.members];
      const sum = before.sum + g.sum;
      g = { members, sum, x: clamp(sum / members.length) };
    }
    groups.push(g);
  }
  return groups.map(({ members, x }) => ({ members, x }));
}

// What a group marker says: its count on the track, all of it to a screen reader.
export function groupWords(members) {
  const reasons = members.map((m) => m.reason).join(", ");
  const first = members[0].time;
  const last = members[members.length - 1].time;
  const when = first === last ? `at ${first}` : `from ${first} to ${last}`;
  return `${members.length} events ${when}: ${reasons}`;
}

const laid = new WeakMap(); // track -> {lane, markers, width, extra: [elements added by a layout]}
let lists = 0;
// Laid out in one pass for all the tracks whose width changed: the widths come with the
// entries and a marker is measured once, so 200 lanes cost one layout of the page, not 200.
const observer = typeof ResizeObserver === "function"
  ? new ResizeObserver((entries) => {
    const jobs = [];
    for (const { target, contentRect } of entries) {
      const info = laid.get(target);
      if (!target.isConnected) observer.unobserve(target);
      else if (info && contentRect.width > 0 && contentRect.width !== info.width) jobs.push({ track: target, info, width: contentRect.width });
    }
    if (!jobs.length) return;
    for (const job of jobs) reset(job);
    const size = jobs[0].info.markers[0].el.offsetWidth;
    for (const job of jobs) layout(job, size);
  })
  : null;

// Lays out `markers` ([{el, index, reason, time, words}], their buttons already placed on
// `track` by percentage) now and whenever the track's width changes; group lists go in `lane`.
export function watchMarkers(track, lane, markers) {
  if (!markers.length || !observer) return;
  for (const m of markers) m.frac = parseFloat(m.el.style.left) / 100;
  laid.set(track, { lane, markers, width: 0, extra: [] });
  observer.observe(track);
}

// Every marker back on its track as itself, to be measured and grouped afresh.
function reset({ track, info }) {
  for (const el of info.extra) el.remove();
  info.extra = [];
  for (const m of info.markers) {
    m.el.classList.remove("in-list");
    m.el.textContent = m.reason[0];
  }
  // In time order, so the arrow keys go through them as the eye does.
  track.append(...info.markers.map((m) => m.el));
}

function layout({ track, info, width }, size) {
  info.width = width;
  const points = info.markers.map((m) => ({ ...m, x: m.frac * width }));
  for (const g of groupMarkers(points, { width, size })) {
    if (g.members.length === 1) g.members[0].el.style.left = `${g.x}px`;
    else info.extra.push(...groupMarker(track, info.lane, g));
  }
}

// A group: a marker on the track that opens (aria-expanded) the list of its events under the lane.
function groupMarker(track, lane, { members, x }) {
  const list = document.createElement("ul");
  list.className = "marker-list";
  list.id = `marker-list-${++lists}`;
  list.hidden = true;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "marker marker-group";
  button.dataset.key = `group ${members.map((m) => m.index).join(" ")}`;
  button.dataset.count = String(members.length);
  button.style.left = `${x}px`;
  button.textContent = String(members.length);
  const words = groupWords(members);
  button.title = `${words} (show them)`;
  button.setAttribute("aria-label", `${words}: show them`);
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", list.id);
  const show = (open) => { list.hidden = !open; button.setAttribute("aria-expanded", String(open)); };
  button.addEventListener("click", (e) => { e.stopPropagation(); show(list.hidden); });
  list.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    show(false);
    button.focus();
  });
  // In the track where its first event was, so the arrow keys go through the markers in time order.
  members[0].el.before(button);
  for (const m of members) {
    m.el.classList.add("in-list");
    m.el.textContent = m.words;
    const li = document.createElement("li");
    li.append(m.el);
    list.append(li);
  }
  lane.append(list);
  return [button, list];
}
