// Roving tabindex (WAI-ARIA Authoring Practices, "Managing focus within composites"): a group of
// repeated controls — the timeline's lane names, its event markers, the buttons of the "What
// changed" rows — is one tab stop; the arrow keys move inside it, Home and End go to its ends.
// With 200 pods the group is still one Tab, so the terminal stays a handful of Tabs away.
//
// It works on a container, never on the items themselves: keys and focus are handled by event
// delegation on the container, and a MutationObserver makes the items that a render (or a
// virtualised list scrolling) puts in the container take part. So the code that draws the rows
// needs no call into this module, and rows replaced while focused keep the focus (the new item
// with the same key gets it back).

// items: a CSS selector of the group's controls inside `container`.
// keyOf(el): what identifies an item across re-renders (default: data-key, else its text).
// row: a CSS selector of the rows (a table's `tr`); when given, Up and Down move to the same
//   place in the row above or below, and Left and Right go through the items in order.
// lookup(key): the item of a key, when finding it is cheaper than the key of every item (a
//   table of thousands of rows, re-rendered at each move of the time cursor).
export function installRoving(container, { items, keyOf = defaultKey, row = null, lookup = null }) {
  let stopKey = null;     // the key of the item that is the group's tab stop
  let focused = null;     // {el, key}: the item that has the focus, while it has it

  const all = () => [...container.querySelectorAll(items)];
  const find = (list, key) => (lookup ? lookup(key) : list.find((el) => keyOf(el) === key)) ?? null;
  const itemOf = (node) => {
    const el = node instanceof Element ? node.closest(items) : null;
    return el && container.contains(el) ? el : null;
  };

  // One item (the remembered one, else the first) is reachable with Tab; the others are not.
  function normalize() {
    const list = all();
    if (!list.length) return;
    const stop = (stopKey !== null && find(list, stopKey)) || list[0];
    for (const el of list) {
      const want = el === stop ? 0 : -1;
      if (el.tabIndex !== want) el.tabIndex = want;
    }
    restoreFocus(list);
  }

  // The focused item was replaced by a render: give the focus to its replacement.
  function restoreFocus(list) {
    if (!focused || focused.el.isConnected) return;
    const active = document.activeElement;
    if (active && active !== document.body) { focused = null; return; }
    const again = find(list, focused.key);
    focused = null;
    if (again) again.focus({ preventScroll: true });
  }

  container.addEventListener("focusin", (e) => {
    const el = itemOf(e.target);
    if (!el) return;
    stopKey = keyOf(el);
    focused = { el, key: stopKey };
    normalize();
  });
  container.addEventListener("focusout", (e) => {
    const el = itemOf(e.target);
    if (!el || focused?.el !== el) return;
    // Still in the page: a real move of the focus (not the item being removed by a render).
    queueMicrotask(() => { if (el.isConnected && focused?.el === el) focused = null; });
  });
  container.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const el = itemOf(e.target);
    if (!el) return;
    const next = target(all(), el, e.key, row);
    if (next === undefined) return;
    // The arrows are this group's: not the page's shortcuts (previous/next change), no scrolling.
    e.preventDefault();
    if (next && next !== el) {
      stopKey = keyOf(next);
      normalize();
      next.focus();
    }
  });
  new MutationObserver(normalize).observe(container, { childList: true, subtree: true });
  normalize();
  return { normalize };
}

const defaultKey = (el) => el.dataset.key ?? el.textContent;

// The item a key moves to from `el` (null: none, stay), or undefined for a key that is not ours.
function target(list, el, key, row) {
  const i = list.indexOf(el);
  switch (key) {
    case "Home": return list[0];
    case "End": return list[list.length - 1];
    case "ArrowLeft": return list[i - 1] ?? null;
    case "ArrowRight": return list[i + 1] ?? null;
    case "ArrowUp": return row ? inRow(list, el, -1, row) : list[i - 1] ?? null;
    case "ArrowDown": return row ? inRow(list, el, 1, row) : list[i + 1] ?? null;
    default: return undefined;
  }
}

// The item at the same place as `el` in the row before (step -1) or after (step 1) its own.
function inRow(list, el, step, row) {
  const mine = el.closest(row);
  const sameRow = (r) => list.filter((x) => x.closest(row) === r);
  const place = sameRow(mine).indexOf(el);
  for (let i = list.indexOf(el) + step; i >= 0 && i < list.length; i += step) {
    const r = list[i].closest(row);
    if (r === mine) continue;
    const cells = sameRow(r);
    return cells[Math.min(place, cells.length - 1)];
  }
  return null;
}
