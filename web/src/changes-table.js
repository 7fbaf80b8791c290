// The "What changed, and why" table. A lesson's few hundred changes are all drawn; past
// VIRTUAL_AFTER changes (a cluster of pods has tens of thousands) only the rows in view are in
// the DOM, between two spacer rows that keep the scroll box's height, and a cursor move redraws
// those few rows instead of the whole table. Virtual rows are one line each (the full text is
// in each cell's title), so every row has the height of the first one drawn.

export const VIRTUAL_AFTER = 400;
const OVERSCAN_ROWS = 15;

// table: the <table> (its tBodies[0] is filled; its parent `.table-wrap` scrolls);
// timeline: the changes; atMs: the cursor; selected: a change's index or undefined;
// drawRow(index) -> <tr>.
export function showChanges(table, timeline, { atMs, selected, drawRow }) {
  const tbody = table.tBodies[0];
  const wrap = table.closest(".table-wrap");
  const keep = focusRow(timeline, atMs, selected);
  if (timeline.length <= VIRTUAL_AFTER || !wrap) {
    table.classList.remove("virtual");
    table.virtualChanges?.stop();
    table.virtualChanges = null;
    tbody.replaceChildren(...timeline.map((_, i) => drawRow(i)));
    // Keep that row in view inside the table's own scroll box.
    const row = tbody.rows[keep];
    if (row && wrap) wrap.scrollTop = Math.max(0, row.offsetTop - wrap.clientHeight / 2);
    return;
  }
  table.classList.add("virtual");
  let v = table.virtualChanges;
  if (!v || v.timeline !== timeline) {
    v?.stop();
    v = table.virtualChanges = virtualTable(table, tbody, wrap, timeline);
  }
  v.show(drawRow, keep);
}

// The row to keep in view: the selected change, else the latest one at or before the cursor.
export function focusRow(timeline, atMs, selected) {
  if (selected !== undefined && selected >= 0 && selected < timeline.length) return selected;
  for (let i = timeline.length - 1; i >= 0; i--) if (timeline[i].at <= atMs) return i;
  return -1;
}

function spacerRow() {
  const tr = document.createElement("tr");
  tr.className = "spacer";
  tr.setAttribute("aria-hidden", "true");
  const td = document.createElement("td");
  td.colSpan = 5;
  tr.append(td);
  return tr;
}

// Draws in animation frames only: the reads of the layout (the row height, the box's height and
// scroll) then cost one layout per frame, not one per change of the cursor.
function virtualTable(table, tbody, wrap, timeline) {
  const above = spacerRow();
  const below = spacerRow();
  let rowHeight = 0;
  let head = 0;
  let draw = null;
  let keep = -1;
  let frame = 0;

  const render = () => {
    frame = 0;
    if (!draw) return;
    if (!rowHeight) {
      const probe = draw(0);
      tbody.replaceChildren(probe);
      rowHeight = probe.getBoundingClientRect().height;
      head = table.tHead?.getBoundingClientRect().height ?? 0;
      // Not laid out (a hidden pane): try again when it is.
      if (!rowHeight) return;
    }
    const height = wrap.clientHeight;
    let top = wrap.scrollTop;
    if (keep >= 0) top = Math.max(0, Math.min(head + timeline.length * rowHeight - height, head + keep * rowHeight - height / 2));
    const inRows = Math.max(0, top - head);
    const first = Math.max(0, Math.floor(inRows / rowHeight) - OVERSCAN_ROWS);
    const last = Math.min(timeline.length - 1, Math.ceil((inRows + height) / rowHeight) + OVERSCAN_ROWS);
    above.firstChild.style.height = `${first * rowHeight}px`;
    below.firstChild.style.height = `${(timeline.length - 1 - last) * rowHeight}px`;
    const rows = [];
    for (let i = first; i <= last; i++) rows.push(draw(i));
    tbody.replaceChildren(above, ...rows, below);
    if (keep >= 0) wrap.scrollTop = top;
    keep = -1;
  };
  const schedule = () => { if (!frame) frame = requestAnimationFrame(render); };
  wrap.addEventListener("scroll", schedule);

  return {
    timeline,
    // Draws the rows in view with `drawRow` (the cursor's classes of now), scrolled so that
    // row `keepRow` is in the middle of the box, at the next frame.
    show(drawRow, keepRow) {
      draw = drawRow;
      keep = keepRow;
      schedule();
    },
    stop() {
      wrap.removeEventListener("scroll", schedule);
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
