// The scenario library: every tests/scenarios/*.yaml with its title, what to watch and a
// suggested time and command. The one source of truth is each file's header comment:
//
//   # Title
//   #
//   # One paragraph: what happens, what to watch.
//   #
//   # Try at 150s: kubectl get endpoints
//
// tests/e2e/terminal.test.mjs checks that every scenario has one.

// Parses the header of a scenario file; null when it does not follow the form above.
export function parseHeader(text) {
  const lines = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    lines.push(line.replace(/^# ?/, ""));
  }
  if (lines.length < 5 || !lines[0].trim() || lines[1].trim() !== "") return null;
  const tryLine = lines[lines.length - 1];
  const m = /^Try at (\S+): (kubectl .+)$/.exec(tryLine);
  if (!m || lines[lines.length - 2].trim() !== "") return null;
  const explanation = lines.slice(2, -2).map((l) => l.trim()).join(" ").trim();
  if (!explanation) return null;
  return { title: lines[0].trim(), explanation, tryAt: m[1], tryCommand: m[2] };
}

// [{name, title, explanation, tryAt, tryCommand}] sorted by title; scenarios without a header
// keep their file name as title.
export function scenarioLibrary(scenarios) {
  return Object.entries(scenarios)
    .map(([name, text]) => ({ name, ...(parseHeader(text) ?? { title: name, explanation: "", tryAt: null, tryCommand: null }) }))
    .sort((a, b) => a.title.localeCompare(b.title));
}

// Markdown's code spans in a header's text: [{text, code}] pieces, `code` true for what stood
// between a pair of backticks (a run of n backticks closes only on a run of n, as in Markdown;
// one without its closing run stays as it is).
export function codeSpans(text) {
  const pieces = [];
  const push = (t, code) => { if (t) pieces.push({ text: t, code }); };
  let plain = "";
  let i = 0;
  while (i < text.length) {
    const open = /^`+/.exec(text.slice(i));
    if (!open) { plain += text[i++]; continue; }
    const ticks = open[0];
    const close = new RegExp(`(?<!\`)${ticks}(?!\`)`, "g");
    close.lastIndex = i + ticks.length;
    const end = close.exec(text);
    if (!end) { plain += ticks; i += ticks.length; continue; }
    push(plain, false);
    plain = "";
    const inner = text.slice(i + ticks.length, end.index);
    // Markdown strips one space each side when both are there (so `` `x` `` shows `x`).
    push(/^ .* $/s.test(inner) && inner.trim() ? inner.slice(1, -1) : inner, true);
    i = end.index + ticks.length;
  }
  push(plain, false);
  return pieces;
}

// The text without its backticks (where no markup can go: an <option>).
export const plainOfCode = (text) => codeSpans(text).map((p) => p.text).join("");

// A header's text as DOM nodes: text, and a <code> element (its text set as text) per code span.
function codeNodes(text) {
  return codeSpans(text).map((p) => {
    if (!p.code) return document.createTextNode(p.text);
    const code = document.createElement("code");
    code.textContent = p.text;
    return code;
  });
}

// What the page says, and what a screen reader hears, once a library entry is loaded.
export function loadedMessage(entry) {
  const parts = [`Loaded "${plainOfCode(entry.title)}": its YAML is in the editor`];
  if (entry.tryAt) parts.push(`the time cursor is at ${entry.tryAt}`);
  if (entry.tryCommand) parts.push(`the terminal holds ${entry.tryCommand} (press Enter there to run it)`);
  return `${parts.join("; ")}.`;
}

// The library panel: a list of scenarios, each with a Load button. load(entry) does the loading.
export function renderLibrary(list, entries, load) {
  list.replaceChildren();
  for (const e of entries) {
    const li = document.createElement("li");
    li.className = "library-entry";
    li.dataset.scenario = e.name;
    const h = document.createElement("h3");
    h.append(...codeNodes(e.title));
    const p = document.createElement("p");
    p.className = "library-explanation";
    p.append(...codeNodes(e.explanation));
    li.append(h, p);
    if (e.tryCommand) {
      const t = document.createElement("p");
      t.className = "library-try";
      const code = document.createElement("code");
      code.textContent = e.tryCommand;
      t.append(`Try at ${e.tryAt}: `, code);
      li.append(t);
    }
    const b = document.createElement("button");
    b.type = "button";
    b.className = "library-load";
    b.textContent = "Load";
    b.setAttribute("aria-label", `Load ${e.title}`);
    b.addEventListener("click", () => load(e));
    li.append(b);
    list.append(li);
  }
}
