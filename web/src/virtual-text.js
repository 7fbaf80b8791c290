// A pane's text of many lines (`kubectl get events` or `get pods` of 1,000 pods prints
// thousands): laying out thousands of lines each time the cursor moves held the page for a
// tenth of a second or more. Past VIRTUAL_AFTER lines the pane becomes a scroll box of its own
// that holds only the lines in view, over a spacer as tall and as wide as the whole text
// (monospace: the longest line in `ch`). The whole text stays on the element (`paneText`) for
// the exports and the tests; the pane's title says how to get all of it (the terminal).

export const VIRTUAL_AFTER = 300;
const OVERSCAN_LINES = 40;

// The whole text a pane shows (virtual or not).
export const paneText = (pre) => pre.fullText ?? pre.textContent;

// Shows `text` in `pre` after the elements `before` (e.g. an "earlier lines not shown" note)
// and before `after` (stderr). Returns true when the pane is virtual.
export function showText(pre, text, before = [], after = []) {
  pre.virtualText?.stop();
  pre.virtualText = null;
  const lines = text ? text.split("\n") : [];
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  if (lines.length <= VIRTUAL_AFTER) {
    pre.fullText = null;
    pre.classList.remove("virtual-text");
    pre.replaceChildren(...before, ...(text ? [document.createTextNode(text)] : []), ...after);
    return false;
  }
  pre.fullText = [...before, text, ...after].map((x) => (typeof x === "string" ? x : x.textContent)).join("");
  pre.classList.add("virtual-text");
  const spacer = document.createElement("div");
  spacer.className = "text-spacer";
  const shown = document.createElement("div");
  shown.className = "text-lines";
  spacer.append(shown);
  pre.replaceChildren(...before, spacer, ...after);
  let widest = 0;
  for (const l of lines) if (l.length > widest) widest = l.length;
  spacer.style.width = `${widest + 1}ch`;
  pre.virtualText = virtualLines(pre, spacer, shown, lines);
  return true;
}

// Draws in animation frames only (one layout per frame, however many panes change), with the
// line height measured once per pane.
function virtualLines(pre, spacer, shown, lines) {
  let frame = 0;
  const render = () => {
    frame = 0;
    if (!pre.lineHeight) {
      shown.textContent = "x";
      pre.lineHeight = shown.getBoundingClientRect().height;
      // Not laid out (a hidden pane): the next scroll or show measures again.
      if (!pre.lineHeight) return;
    }
    const lineHeight = pre.lineHeight;
    spacer.style.height = `${lines.length * lineHeight}px`;
    const top = Math.max(0, pre.scrollTop - spacer.offsetTop);
    const first = Math.max(0, Math.floor(top / lineHeight) - OVERSCAN_LINES);
    const last = Math.min(lines.length, Math.ceil((top + pre.clientHeight) / lineHeight) + OVERSCAN_LINES);
    shown.style.top = `${first * lineHeight}px`;
    shown.textContent = `${lines.slice(first, last).join("\n")}\n`;
  };
  const schedule = () => { if (!frame) frame = requestAnimationFrame(render); };
  pre.addEventListener("scroll", schedule);
  schedule();
  return {
    stop() {
      pre.removeEventListener("scroll", schedule);
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
