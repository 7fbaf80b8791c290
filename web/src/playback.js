// Play / pause of the virtual-time cursor, and the page's keyboard shortcuts.
// The cursor advances `speed` virtual seconds per wall-clock second; the page renders at
// whole seconds (as the slider does), so at 60x it renders at most about 60 times a second.

export const SPEEDS = [1, 10, 60];

// getMs/getMax: the cursor and the end of the run, in virtual ms. seek(ms): move the cursor
// without saving the link (saved once when playback stops). onChange(playing): update the UI.
export function createPlayer({ getMs, getMax, seek, onChange }) {
  let playing = false;
  let speed = 1;
  let raf = 0;
  let lastWall = 0;
  let pos = 0;      // virtual ms, fractional
  let lastSet = -1; // what the player last set, to notice a cursor moved by someone else

  function frame(now) {
    raf = 0;
    if (!playing) return;
    if (getMs() !== lastSet) pos = getMs(); // the slider was dragged: continue from there
    pos += (now - lastWall) * speed;
    lastWall = now;
    const max = getMax();
    if (pos >= max) {
      lastSet = max;
      seek(max);
      pause();
      return;
    }
    const whole = Math.floor(pos / 1000) * 1000;
    if (whole !== getMs()) { seek(whole); }
    lastSet = getMs();
    raf = requestAnimationFrame(frame);
  }

  function play() {
    if (playing) return;
    if (getMs() >= getMax()) seek(0); // at the end: play from the start
    pos = getMs();
    lastSet = pos;
    playing = true;
    lastWall = performance.now();
    raf = requestAnimationFrame(frame);
    onChange(true);
  }

  function pause() {
    if (!playing) return;
    playing = false;
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
    onChange(false);
  }

  return {
    play,
    pause,
    toggle: () => (playing ? pause() : play()),
    get playing() { return playing; },
    get speed() { return speed; },
    setSpeed(s) { if (SPEEDS.includes(s)) speed = s; },
  };
}

// True when a key press belongs to what has focus: the editor, a text box, a select, or
// (for Space and Enter) a button, which Space activates by itself.
function isTyping(target, key) {
  if (!(target instanceof Element)) return false;
  if (target.closest(".cm-editor, [contenteditable=true], textarea, select")) return true;
  if (target.matches("input")) return true; // text boxes, and the slider (its own arrows)
  if ((key === " " || key === "Enter") && target.closest("button, a, summary")) return true;
  // Arrows scroll a focused output box or table (wide kubectl output) horizontally.
  if (key.startsWith("Arrow") && target.closest("pre, .table-wrap")) return true;
  return false;
}

// Space: play/pause; ArrowRight / ArrowLeft: next / previous change; never while typing.
export function installShortcuts({ toggle, next, prev }) {
  addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (isTyping(e.target, e.key)) return;
    const action = { " ": toggle, ArrowRight: next, ArrowLeft: prev }[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  });
}
