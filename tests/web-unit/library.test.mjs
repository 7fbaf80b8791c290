// Unit tests of web/src/library.js: the header comment of a scenario file, and the library built
// from the real tests/scenarios/*.yaml (what the page's library panel and scenario menu show).
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseHeader, scenarioLibrary } from "../../web/src/library.js";

const scenarioDir = join(dirname(fileURLToPath(import.meta.url)), "..", "scenarios");
const files = readdirSync(scenarioDir).filter((f) => f.endsWith(".yaml")).sort();
// As scripts/bundle-editor.mjs embeds them: {name (file name without .yaml): text}.
const scenarios = Object.fromEntries(files.map((f) => [f.replace(/\.yaml$/, ""), readFileSync(join(scenarioDir, f), "utf8")]));

const HEADER = `# Liveness probe, exec handler
#
# The container creates a file, removes it after 60 s and keeps running;
#   the probe tests for the file.
#
# Try at 2m10s: kubectl describe pod pod-live-exec
apiVersion: v1
kind: Pod
`;

test("parseHeader reads the title, the paragraph (lines joined), and the suggested time and command", () => {
  assert.deepEqual(parseHeader(HEADER), {
    title: "Liveness probe, exec handler",
    explanation: "The container creates a file, removes it after 60 s and keeps running; the probe tests for the file.",
    tryAt: "2m10s",
    tryCommand: "kubectl describe pod pod-live-exec",
  });
});

test("parseHeader accepts '#' without a following space and a header with no YAML after it", () => {
  assert.deepEqual(parseHeader("#Title\n#\n#Para.\n#\n#Try at 5s: kubectl get pods"), {
    title: "Title",
    explanation: "Para.",
    tryAt: "5s",
    tryCommand: "kubectl get pods",
  });
});

test("parseHeader refuses headers that do not follow the form", () => {
  const cases = {
    "no header at all": "apiVersion: v1\nkind: Pod\n",
    "a lone comment": "# Just a comment\napiVersion: v1\n",
    "a blank title": "#\n#\n# Para.\n#\n# Try at 5s: kubectl get pods\n",
    "no blank line after the title": "# Title\n# Para.\n#\n# Try at 5s: kubectl get pods\n",
    "no Try line": "# Title\n#\n# Para.\n#\n# More.\n",
    "a Try line that is not kubectl": "# Title\n#\n# Para.\n#\n# Try at 5s: ls -l\n",
    "a Try line without a time": "# Title\n#\n# Para.\n#\n# Try: kubectl get pods\n",
    "no blank line before the Try line": "# Title\n#\n# Para.\n# More.\n# Try at 5s: kubectl get pods\n",
    "an empty paragraph": "# Title\n#\n#\n#\n# Try at 5s: kubectl get pods\n",
    "the header starts after a blank line": "\n# Title\n#\n# Para.\n#\n# Try at 5s: kubectl get pods\n",
    // The header ends at the first line that is not a comment.
    "the Try line after the YAML began": "# Title\n#\n# Para.\n#\nkind: Pod\n# Try at 5s: kubectl get pods\n",
  };
  for (const [what, text] of Object.entries(cases)) assert.equal(parseHeader(text), null, what);
});

test("scenarioLibrary sorts by title; a scenario without a header keeps its file name as title", () => {
  const lib = scenarioLibrary({
    zeta: "# Alpha probe\n#\n# Watch it.\n#\n# Try at 1m: kubectl get pods\n",
    beta: "kind: Pod\n",
    alpha: "# Zulu restart\n#\n# Watch that.\n#\n# Try at 30s: kubectl describe pod x\n",
  });
  assert.deepEqual(lib.map((e) => [e.name, e.title]), [["zeta", "Alpha probe"], ["beta", "beta"], ["alpha", "Zulu restart"]]);
  assert.deepEqual(lib[1], { name: "beta", title: "beta", explanation: "", tryAt: null, tryCommand: null });
  assert.deepEqual(lib[0], { name: "zeta", title: "Alpha probe", explanation: "Watch it.", tryAt: "1m", tryCommand: "kubectl get pods" });
  assert.deepEqual(scenarioLibrary({}), []);
});

test("every scenario in tests/scenarios has a header with a title, a paragraph and a Try line", () => {
  assert.ok(files.length >= 18, `${files.length} scenario files`);
  for (const [name, text] of Object.entries(scenarios)) {
    const h = parseHeader(text);
    assert.ok(h, `${name}.yaml: no header "# Title / # / # paragraph / # / # Try at T: kubectl ..."`);
    assert.ok(h.title.length > 3 && h.title === h.title.trim(), `${name}: title ${JSON.stringify(h.title)}`);
    assert.ok(h.explanation.length > 60, `${name}: paragraph ${JSON.stringify(h.explanation)}`);
    assert.doesNotMatch(h.explanation, /\s{2}|^#|\n/, `${name}: the paragraph is one line of single-spaced words`);
    // The page seeks to tryAt through the engine's parseDuration.
    assert.match(h.tryAt, /^(\d+h)?(\d+m)?(\d+s)?$/, `${name}: tryAt`);
    assert.notEqual(h.tryAt, "", name);
    assert.match(h.tryCommand, /^kubectl [a-z]/, `${name}: tryCommand`);
  }
});

test("the library of the real scenarios lists each file once, by unique title, sorted", () => {
  const lib = scenarioLibrary(scenarios);
  assert.deepEqual(lib.map((e) => e.name).sort(), Object.keys(scenarios).sort());
  const titles = lib.map((e) => e.title);
  assert.equal(new Set(titles).size, titles.length, "titles are unique (the scenario menu shows titles)");
  for (let i = 1; i < titles.length; i++) assert.ok(titles[i - 1].localeCompare(titles[i]) <= 0, `${titles[i - 1]} before ${titles[i]}`);
  for (const e of lib) assert.ok(e.tryCommand && e.tryAt && e.explanation, `${e.name} has no header`);
});

test("a suggested command that names a pod (describe pod, logs, exec) names one the scenario defines", () => {
  let checked = 0;
  for (const [name, text] of Object.entries(scenarios)) {
    const cmd = parseHeader(text).tryCommand.split(/\s+/);
    const pod = cmd[1] === "describe" && cmd[2] === "pod" ? cmd[3] : cmd[1] === "logs" || cmd[1] === "exec" ? cmd[2] : null;
    if (!pod) continue;
    checked++;
    const esc = pod.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
    // metadata: {name: X} or metadata:\n  name: X
    const defined = new RegExp(`metadata:\\s*(\\{\\s*name:\\s*${esc}\\s*[,}]|\\n\\s+name:\\s*${esc}\\s*$)`, "m");
    assert.match(text, defined, `${name}.yaml suggests "${parseHeader(text).tryCommand}" but defines no pod ${pod}`);
  }
  assert.ok(checked >= 10, `${checked} commands checked`);
});
