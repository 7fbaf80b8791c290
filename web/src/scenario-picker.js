// The Scenario menu says what the editor holds: the scenario whose text it is, or "Your YAML
// (edited)" once the text is no bundled scenario's (typed in, a terminal step, a link, saved
// work), never the name of a scenario the text has left. Reset gives back the scenario the
// edits started from.
import { plainOfCode } from "./library.js";

// The value of the option for YAML that is no bundled scenario (no scenario is called "").
export const EDITED = "";
export const EDITED_LABEL = "Your YAML (edited)";

// The bundled scenario (own keys only) whose text is `text`, or null.
export function scenarioOfText(scenarios, text) {
  for (const name of Object.keys(scenarios)) if (scenarios[name] === text) return name;
  return null;
}

// select: the menu; library: [{name, title}] in the menu's order; scenarios: {name: text}.
export function createScenarioPicker(select, library, scenarios) {
  for (const entry of library) {
    const opt = document.createElement("option");
    opt.value = entry.name;
    opt.textContent = plainOfCode(entry.title);
    select.append(opt);
  }
  const edited = document.createElement("option");
  edited.value = EDITED;
  edited.textContent = EDITED_LABEL;
  const lengths = new Set(Object.values(scenarios).map((t) => t.length));
  let base = null;

  // Shows what `text` is; doc (a CodeMirror Text, optional) lets a text whose length is no
  // scenario's be known as edited without being copied out of the editor.
  function follow(text, length = text.length) {
    const name = lengths.has(length) ? scenarioOfText(scenarios, typeof text === "string" ? text : text.toString()) : null;
    if (name !== null) {
      edited.remove();
      select.value = name;
      base = name;
      return;
    }
    if (!edited.isConnected) select.prepend(edited);
    select.value = EDITED;
  }

  return {
    follow,
    // What Reset gives: the scenario the text came from (or the one picked before it).
    base: () => base ?? (select.value !== EDITED ? select.value : null),
    // A scenario chosen before the editor shows it (the page's start, a link).
    choose(name) { select.value = name; base = name; },
  };
}
