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

// The library panel: a list of scenarios, each with a Load button. load(entry) does the loading.
export function renderLibrary(list, entries, load) {
  list.replaceChildren();
  for (const e of entries) {
    const li = document.createElement("li");
    li.className = "library-entry";
    li.dataset.scenario = e.name;
    const h = document.createElement("h3");
    h.textContent = e.title;
    const p = document.createElement("p");
    p.className = "library-explanation";
    p.textContent = e.explanation;
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
