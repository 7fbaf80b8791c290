// Lanes for many pods: only the rows in view are in the DOM. Up to VIRTUAL_AFTER rows every row
// is drawn, as a lesson's few pods always were; past it the rows sit in a scroll box of their
// own (`.lanes-viewport`), placed at their offsets, and scrolling draws the rows that come into
// view. Rows of one shape (lane-rows.js's `shape`: a pod lane, a condition lane of 3 bands, a
// container lane with 2 probe rows) have one height, measured once per width by drawing one.

export const VIRTUAL_AFTER = 60;
// Rows drawn above and below the visible part, so a small scroll shows drawn rows at once.
const OVERSCAN_PX = 600;

// host: the #lanes element; rows: lane-rows.js's rows; draw(row) -> a .lane element; tail: the
// elements after the rows (the axis and the legend).
export function showLanes(host, rows, draw, tail) {
  const previous = host.virtualLanes;
  if (rows.length <= VIRTUAL_AFTER) {
    previous?.stop();
    host.virtualLanes = null;
    host.classList.remove("virtual");
    host.replaceChildren(...rows.map(draw), ...tail);
    return;
  }
  host.classList.add("virtual");
  // The same scroll box across redraws (zoom, a pod picked), so the reader keeps their place.
  const viewport = previous?.viewport ?? document.createElement("div");
  previous?.stop();
  viewport.className = "lanes-viewport";
  viewport.tabIndex = 0;
  viewport.setAttribute("role", "group");
  viewport.setAttribute("aria-label", `${rows.length} lanes; scroll to see more`);
  // Read before the new spacer (empty until measured) lets the box scroll back to the top.
  const scrolled = viewport.scrollTop;
  const spacer = document.createElement("div");
  spacer.className = "lanes-spacer";
  // Until measured, the old height: the box keeps its size and the page does not jump.
  spacer.style.height = viewport.firstChild?.style.height ?? "";
  viewport.replaceChildren(spacer);
  host.replaceChildren(viewport, ...tail);
  host.virtualLanes = virtualize(viewport, spacer, rows, draw, scrolled);
}

function virtualize(viewport, spacer, rows, draw, scrolled) {
  const heights = new Map(); // shape -> px, for the width they were measured at
  let measuredWidth = -1;
  let offsets = [];
  let drawn = new Map(); // row index -> element
  let frame = 0;

  const measure = () => {
    const width = viewport.clientWidth;
    if (width === measuredWidth) return false;
    measuredWidth = width;
    heights.clear();
    for (const row of rows) {
      if (heights.has(row.shape)) continue;
      const el = draw(row);
      el.style.visibility = "hidden";
      spacer.append(el);
      const margin = parseFloat(getComputedStyle(el).marginBottom) || 0;
      heights.set(row.shape, Math.max(1, el.getBoundingClientRect().height + margin));
      el.remove();
    }
    offsets = new Array(rows.length + 1);
    offsets[0] = 0;
    rows.forEach((row, i) => { offsets[i + 1] = offsets[i] + heights.get(row.shape); });
    spacer.style.height = `${offsets[rows.length]}px`;
    drawn = new Map();
    spacer.replaceChildren();
    return true;
  };

  // The first row whose bottom is below `y`.
  const rowAt = (y) => {
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const render = () => {
    frame = 0;
    // Not laid out (a hidden pane): nothing to measure; the resize observer calls again.
    if (!viewport.clientWidth) return;
    if (measure() && scrolled) {
      viewport.scrollTop = scrolled;
      scrolled = 0;
    }
    const top = viewport.scrollTop;
    const first = rowAt(Math.max(0, top - OVERSCAN_PX));
    const last = rowAt(top + viewport.clientHeight + OVERSCAN_PX);
    const keep = new Map();
    for (let i = first; i <= last; i++) {
      let el = drawn.get(i);
      if (!el) {
        el = draw(rows[i]);
        el.classList.add("virtual-row");
        el.style.top = `${offsets[i]}px`;
        el.dataset.row = i;
        spacer.append(el);
      }
      keep.set(i, el);
    }
    for (const [i, el] of drawn) if (!keep.has(i)) el.remove();
    drawn = keep;
  };

  const schedule = () => { if (!frame) frame = requestAnimationFrame(render); };
  viewport.addEventListener("scroll", schedule);
  const resize = new ResizeObserver(schedule);
  resize.observe(viewport);
  schedule();

  return {
    viewport,
    stop() {
      viewport.removeEventListener("scroll", schedule);
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    },
    // Every row drawn into `into` (for the exports, which draw what is laid out).
    drawAll(into) { into.replaceChildren(...rows.map(draw)); },
    // Scrolls so that the first row of `pod` is in view.

  };
}
