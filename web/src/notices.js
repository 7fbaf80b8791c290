// Notices over the panes: what the page could not do and what it kept instead (a link it could
// not open, edits kept as a draft, another tab's work, a full storage, a YAML too large). Each
// has an id (a newer notice of the same id replaces it), its text (always as text, never
// markup), buttons for what can be done about it, and Dismiss. The status line under the editor
// is rewritten by every simulation, so it cannot carry these.
export function createNotices(container) {
  const shown = new Map();
  const update = () => { container.hidden = shown.size === 0; };

  function hide(id) {
    shown.get(id)?.remove();
    shown.delete(id);
    update();
  }

  // actions: [{label, run}]; a button runs its action, then the notice goes.
  function show(id, text, actions = []) {
    let el = shown.get(id);
    if (!el) {
      el = document.createElement("div");
      el.className = "notice";
      el.dataset.notice = id;
      el.setAttribute("role", "alert");
      container.append(el);
      shown.set(id, el);
    }
    const p = document.createElement("p");
    p.textContent = text;
    const buttons = actions.map(({ label, run }) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.addEventListener("click", () => { hide(id); run(); });
      return b;
    });
    const close = document.createElement("button");
    close.type = "button";
    close.className = "notice-close";
    close.textContent = "Dismiss";
    close.addEventListener("click", () => hide(id));
    el.replaceChildren(p, ...buttons, close);
    update();
  }

  return { show, hide, has: (id) => shown.has(id), text: (id) => shown.get(id)?.querySelector("p")?.textContent ?? null };
}
