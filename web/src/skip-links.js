// Skip links at the top of the page (hidden until focused): the editor, the timeline, the
// panes and the terminal are each one Tab and Enter away. A link moves the focus itself rather
// than following its #fragment, because the page's fragment is the share link (link.js): a
// fragment such as #terminal would be read as a link to open.

// nav: the element holding the links, each <a data-skip="CSS selector of its target">.
export function installSkipLinks(nav) {
  const targetOf = (a) => document.querySelector(a.dataset.skip);
  // A link whose target is not shown (an embed without that pane) is left out.
  for (const a of nav.querySelectorAll("a[data-skip]")) {
    const el = targetOf(a);
    a.hidden = !el || el.closest("[hidden]") !== null;
  }
  nav.addEventListener("click", (e) => {
    const a = e.target instanceof Element ? e.target.closest("a[data-skip]") : null;
    if (!a) return;
    e.preventDefault();
    const el = targetOf(a);
    if (!el) return;
    // A heading is focused only from here (tabindex -1: no extra tab stop).
    if (!el.matches("a[href], button, input, select, textarea, [contenteditable], [tabindex]")) el.tabIndex = -1;
    el.focus();
  });
}
