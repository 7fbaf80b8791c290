// podplay page: a YAML editor, the engine (wasm, in a Web Worker: engine-client.js) re-run on
// each edit, a virtual-time cursor, phase lanes, and kubectl's own output at the cursor. Bundled
// by scripts/bundle-editor.mjs (esbuild) into web/build/app.js; no request leaves the page's host.
import { Annotation, EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab, isolateHistory, simplifySelection } from "@codemirror/commands";
import { syntaxHighlighting, HighlightStyle, indentOnInput, bracketMatching } from "@codemirror/language";
import { yaml as yamlLanguage } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { tags as t } from "@lezer/highlight";
import scenarios from "podplay:scenarios";
import engineWorkerPath from "podplay:engine-worker";
import { createEngineClient, EngineStopped } from "./engine-client.js";
import { createPlayer, installShortcuts } from "./playback.js";
import { readEmbedOptions, applyEmbed, openMessageChannel, readyMessage, resizeMessage, tellParent } from "./embed.js";
import { bringIntoView, watchHeight } from "./embed-frame.js";
import { addDraft, draftLabel, DRAFTS_KEY, forgetSlowRun, keepWork, loadDrafts, loadWork, removeDraft, saveSlowRun, slowRunOf, WORK_KEY } from "./storage.js";
import { renderContainerLane } from "./lanes.js";
import { renderConditionLane, renderEndpointLane } from "./bands.js";
import { laneRows } from "./lane-rows.js";
import { showLanes } from "./virtual-lanes.js";
import { showChanges } from "./changes-table.js";
import { paneText, showText } from "./virtual-text.js";
import { createTimeView, ZOOMS } from "./zoom.js";
import { omittedNote, paneTail } from "./pane-text.js";
import { createTerminal, shellWord } from "./terminal.js";
import { loadedMessage, scenarioLibrary, renderLibrary } from "./library.js";
import { createScenarioPicker } from "./scenario-picker.js";
import { installRoving } from "./roving.js";
import { installSkipLinks } from "./skip-links.js";
import { installExport } from "./export.js";
import { clip, formatBytes, inspectLink, installCopyLink, makeLink, MAX_YAML_BYTES, utf8Size } from "./link.js";
import { createNotices } from "./notices.js";
import { schemaSupport } from "./editor-schema.js";
import { whyHighlight, showChangeFields, renderCause } from "./editor-why.js";

const DEFAULT_SCENARIO = "liveness-exec";
const EDIT_DEBOUNCE_MS = 250;
// A run of the engine that lasts longer than this shows its progress and a Cancel button.
const RUN_SHOWN_AFTER_MS = 300;
// A simulation that lasts longer than this is remembered as slow (storage.js): when that work is
// opened again, it is not simulated until asked (the page opens paused, and says why).
const SLOW_RUN_MS = 5000;

const $ = (id) => document.getElementById(id);

// A bundled scenario's name (own keys only: "toString" is no scenario).
const isScenario = (name) => typeof name === "string" && Object.hasOwn(scenarios, name);
// Text that is nobody's work: empty, or a bundled scenario as it is.
const pristine = (text) => text.trim() === "" || Object.values(scenarios).includes(text);

// The YAML's UTF-8 size when it is over the page's limit (MAX_YAML_BYTES), else 0.
function oversize(text) {
  if (text.length * 3 <= MAX_YAML_BYTES) return 0;
  const n = utf8Size(text);
  return n > MAX_YAML_BYTES ? n : 0;
}

// ---- time formatting (Go's time.Duration.String, on virtual ms) ----
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms <= 0) return "0s";
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = (ms % 60000) / 1000;
  const sec = Number.isInteger(s) ? `${s}` : `${+s.toFixed(3)}`;
  if (h) return `${h}h${m}m${sec}s`;
  if (m) return `${m}m${sec}s`;
  return `${sec}s`;
}

// ---- the editor ----
const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: "var(--syn-key)" },
  { tag: [t.string, t.special(t.string)], color: "var(--syn-string)" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "var(--syn-number)" },
  { tag: [t.comment, t.lineComment], color: "var(--syn-comment)", fontStyle: "italic" },
  { tag: [t.punctuation, t.separator, t.bracket, t.squareBracket, t.brace], color: "var(--syn-punct)" },
  { tag: [t.meta, t.keyword, t.typeName, t.labelName], color: "var(--syn-number)" },
]);

const editorTheme = EditorView.theme({
  "&": { backgroundColor: "var(--bg)", color: "var(--fg)", fontSize: "0.85rem" },
  ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", caretColor: "var(--fg)" },
  ".cm-gutters": { backgroundColor: "var(--panel)", color: "var(--muted)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: "color-mix(in srgb, var(--accent) 7%, transparent)" },
  ".cm-activeLineGutter": { backgroundColor: "color-mix(in srgb, var(--accent) 12%, transparent)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "color-mix(in srgb, var(--accent) 30%, transparent) !important" },
  ".cm-scroller": { overflow: "auto" },
});

// Escape collapses a selection (as CodeMirror's default does) and, in any case, lets the next
// Tab or Shift-Tab leave the editor: CodeMirror alone does that only when Escape had nothing
// else to do, so with text selected "Escape, then Tab" would have indented it.
function escapeThenTab(view) {
  simplifySelection(view);
  view.setTabFocusMode(2000);
  return true;
}

// Marks a text replacement made by the page itself (loading a scenario or a link, reset, a
// terminal step): whoever makes it simulates at once, so the typing debounce must not run a
// second simulation a moment later (which also re-rendered the lanes under the user).
const programmatic = Annotation.define();

function createEditor(parent, text, onChange, readOnly = false, extensions = []) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        EditorState.tabSize.of(2),
        // Tab indents, as in any code editor; Escape then Tab (or Shift-Tab) leaves the editor
        // (CodeMirror's tab-focus mode, for 2 s), as the hint under the editor says.
        keymap.of([{ key: "Escape", run: escapeThenTab }, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        yamlLanguage(),
        syntaxHighlighting(highlight),
        lintGutter(),
        editorTheme,
        EditorView.lineWrapping,
        EditorState.readOnly.of(readOnly),
        EditorView.editable.of(!readOnly),
        EditorView.contentAttributes.of({ "aria-label": "Pod YAML", "aria-describedby": "editor-keys diagnostics-box status" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !u.transactions.some((tr) => tr.annotation(programmatic))) onChange();
        }),
        ...extensions,
      ],
    }),
  });
  const posOf = (line, column) => {
    const doc = view.state.doc;
    const l = doc.line(Math.min(Math.max(1, line), doc.lines));
    return l.from + Math.min(Math.max(0, column - 1), l.length);
  };
  return {
    getText: () => view.state.doc.toString(),
    // A whole-text replacement (scenario, reset, load) is its own undo step; the caller
    // simulates the new text itself.
    setText: (s) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: s }, annotations: [isolateHistory.of("full"), programmatic.of(true)] }),
    showDiagnostics(diags) {
      const marks = diags.map((d) => {
        const from = posOf(d.line, d.column);
        const line = view.state.doc.lineAt(from);
        // Underline from the position to the end of its line (at least one character when there is one).
        return { from, to: Math.max(from, line.to), severity: "error", message: d.text };
      });
      view.dispatch(setDiagnostics(view.state, marks));
    },
    goto(line, column) {
      const pos = posOf(line, column);
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
    // The caret's 1-based line and column.
    caret() {
      const head = view.state.selection.main.head;
      const line = view.state.doc.lineAt(head);
      return { line: line.number, column: head - line.from + 1 };
    },
    view,
  };
}

// ---- state ----
const state = {
  engine: null,        // window.wasmBindings: the page's own instance, for the cheap pure calls
                       // (parseDuration, schema, vocabulary, addStep, version); never a simulation
  client: null,        // engine-client.js: simulations and kubectl's views, in the engine's worker
  editor: null,
  sim: null,           // the simulation shown (simulate()'s result), or null
  simYaml: null,       // the YAML text `sim` is of: the panes and the terminal ask about this text
  invalid: null,       // {sim, yaml}: the latest simulation, of YAML with problems, while `sim` (the
                       // last valid one) stays on view, dimmed; null when the editor's YAML is valid
  names: null,         // {yaml, atMs, names}: objectNames at the panes' time, for completion
  busy: new Set(),     // engine runs under way that the page waits on (see track())
  untilMs: 300000,
  cursorMs: 300000,
  describePod: null,
  seenWork: null,      // the YAML this page last read from or wrote to the kept work (storage.js keepWork)
  storageProblem: null, // the storage failure last reported ("full:work", "off:draft", ...)
};
let notices = null;    // notices.js, over the panes

function setStatus(text, isError = false) {
  const el = $("status");
  el.textContent = text;
  el.classList.toggle("error", isError);
}

function call(fn, ...args) {
  try {
    return fn(...args);
  } catch (e) {
    // A panic in the engine arrives here as an Error with the panic message.
    setStatus(String(e && e.message ? e.message : e), true);
    console.error(e);
    return null;
  }
}

// ---- the engine's worker ----
// The compiled wasm, for each worker the page starts (a fresh one after a Cancel starts at once).
// Its URL is Trunk's preload of it (hashed name, next to index.html, with its integrity); the
// glue beside it has wasm-bindgen's name for it (NAME_bg.wasm, NAME.js).
// The loader (scripts/csp.mjs) compiled it once for the page's own instance and kept it.
async function compileEngine() {
  const link = document.querySelector('link[rel="preload"][type="application/wasm"]');
  if (!link) throw new Error("This page has no link to its engine (.wasm): it was not built by Trunk.");
  const glueUrl = link.href.replace(/_bg\.wasm$/, ".js");
  if (window.wasmModule instanceof WebAssembly.Module) return { module: window.wasmModule, glueUrl };
  const response = () => fetch(link.href, link.integrity ? { integrity: link.integrity } : {});
  let module;
  try {
    module = await WebAssembly.compileStreaming(response());
  } catch (e) {
    // A host that serves .wasm with another MIME type: compile the bytes instead.
    if (!(e instanceof TypeError)) throw e;
    module = await WebAssembly.compile(await (await response()).arrayBuffer());
  }
  return { module, glueUrl };
}

function startEngineClient({ module, glueUrl }) {
  return createEngineClient({
    spawn: () => new Worker(new URL(engineWorkerPath, document.baseURI), { type: "module", name: "podplay engine" }),
    init: () => ({ glueUrl, module }),
  });
}

// An engine run the page waits on (a simulation, or kubectl's views at a time far from where the
// engine is): after RUN_SHOWN_AFTER_MS its progress shows under the status line with a Cancel
// button. fields: {kind: "simulate" | "panes", what: its words, ...}; the simulation under way
// is shown before any other.
function track(fields) {
  const task = { ...fields, started: performance.now(), done: 0, total: 0 };
  state.busy.add(task);
  if (!state.busyTimer) state.busyTimer = setInterval(showBusy, 250);
  return {
    task,
    progress(done, total) { task.done = done; task.total = total; },
    end() { state.busy.delete(task); showBusy(); },
  };
}

function showBusy() {
  const now = performance.now();
  const tasks = [...state.busy];
  const sim = tasks.find((t) => t.kind === "simulate");
  if (sim && !sim.slow && now - sim.started > SLOW_RUN_MS) {
    sim.slow = true;
    rememberSlowRun(sim, "slow");
  }
  const shown = sim ?? tasks[tasks.length - 1];
  if (!shown) {
    clearInterval(state.busyTimer);
    state.busyTimer = 0;
  }
  const box = $("run");
  // While a simulation runs, what the lanes and panes show is the run before it: say so.
  document.body.dataset.stale = String(Boolean(sim && state.sim && now - sim.started >= RUN_SHOWN_AFTER_MS));
  if (!shown || now - shown.started < RUN_SHOWN_AFTER_MS) { box.hidden = true; return; }
  if (shown === sim && !sim.announced) {
    sim.announced = true;
    setStatus(state.sim ? "Simulating the YAML in the editor; the timeline and the panes show the last run until it is done." : "Simulating the YAML in the editor.");
  }
  const bar = $("run-progress");
  if (shown.total > 0) bar.value = shown.done / shown.total;
  else bar.removeAttribute("value"); // not known yet: an indeterminate bar
  $("run-text").textContent = describeRun(shown, Math.round((now - shown.started) / 1000));
  box.hidden = false;
}

function describeRun(task, seconds) {
  const share = task.total ? `: ${formatDuration(task.done)} of ${formatDuration(task.total)} (${Math.floor((100 * task.done) / task.total)}%)` : "";
  return `${task.what}${share}, ${seconds} s so far.`;
}

// Remembers (full page only) that this YAML's simulation was slow or was cancelled, so that this
// work opens paused next time instead of starting it again.
function rememberSlowRun(task, reason) {
  if (!state.keepsWork) return;
  const r = saveSlowRun({ yaml: task.yaml, until: task.untilText, reason, wallMs: Math.round(performance.now() - task.started), doneMs: task.done });
  if (!r.ok) reportStorage(r.reason, "work");
}

// No simulation is shown (cancelled, or work that opened paused): the status says why, and a
// button runs it.
function showPaused(text) {
  state.sim = null;
  state.simYaml = null;
  state.invalid = null;
  markLastValid();
  renderDiagnostics([]);
  setStatus(text);
  $("run-start").hidden = false;
  renderLanes();
  return renderAtCursor();
}

// ---- simulate and render ----
// Simulates the editor's YAML in the engine's worker, superseding a run under way (the worker drops
// it), then shows it: diagnostics, lanes, and the panes at the cursor (the promise resolves once
// they are drawn, or at once when a newer run or a Cancel ended this one).
function resimulate() {
  const shown = simulateAndShow();
  state.latestRun = shown;
  return shown;
}

// Resolves when the latest simulation asked for is shown (or ended), however many edits came
// meanwhile: what an answer about "the YAML now" waits for.
async function latestRunShown() {
  let run;
  do {
    run = state.latestRun;
    await run;
  } while (run !== state.latestRun);
}

async function simulateAndShow() {
  const yaml = state.editor.getText();
  const untilMs = state.untilMs;
  state.client.drop("simulate");
  $("run-start").hidden = true;
  const big = oversize(yaml);
  if (big) {
    // Too large to simulate (SECURITY.md's limits): say so where a YAML problem is said.
    const text = `The YAML is ${formatBytes(big)}: podplay simulates YAML up to ${formatBytes(MAX_YAML_BYTES)}. Shorten it to see the simulation.`;
    const sim = { ok: false, diagnostics: [{ line: 1, column: 1, text, message: text }], timeline: [], pods: [], until: 0, steps: [], probeAttempts: [] };
    return showInvalid(sim, yaml, text);
  }
  const run = track({ kind: "simulate", what: `Simulating ${formatDuration(untilMs)} of virtual time`, yaml, untilText: $("until").value.trim() });
  let sim;
  try {
    sim = await state.client.call("simulate", { yaml, untilMs }, { lane: "simulate", onProgress: run.progress, restartWhenSuperseded: true });
  } catch (e) {
    run.end();
    if (e instanceof EngineStopped && e.reason === "superseded") return undefined;
    if (e instanceof EngineStopped && e.reason === "cancelled") {
      rememberSlowRun(run.task, "cancelled");
      const seconds = Math.round((performance.now() - run.task.started) / 1000);
      const reached = run.task.total ? `, at ${formatDuration(run.task.done)} of ${formatDuration(untilMs)} of virtual time` : "";
      return showPaused(`The simulation was cancelled after ${seconds} s${reached}. Nothing is shown until it runs: edit the YAML, or run it again.`);
    }
    engineTrouble(e);
    return undefined;
  }
  run.end();
  const tookMs = performance.now() - run.task.started;
  // A run that was slow once stays remembered; one that is quick now (the machine was busy
  // before) is forgotten.
  if (!run.task.slow && tookMs > SLOW_RUN_MS) rememberSlowRun(run.task, "slow");
  else if (tookMs <= SLOW_RUN_MS && state.keepsWork) forgetSlowRun(yaml, run.task.untilText);
  if (!sim.ok) {
    const problems = `${sim.diagnostics.length} problem${sim.diagnostics.length === 1 ? "" : "s"} in the YAML`;
    return showInvalid(sim, yaml, problems);
  }
  state.sim = sim;
  state.simYaml = yaml;
  state.invalid = null;
  markLastValid();
  renderDiagnostics(sim.diagnostics);
  if (!sim.pods.includes(state.describePod)) state.describePod = sim.pods[0] ?? null;
  setStatus(`Simulated ${formatDuration(sim.until)} of virtual time in ${Math.round(tookMs)} ms: ${sim.timeline.length} changes.`);
  renderLanes();
  return renderAtCursor();
}

// YAML with problems: they are listed, and the last valid simulation (its timeline, lanes and
// panes, with its pods' names in the headings) stays on view, dimmed, until the YAML is valid
// again; with none yet, nothing is shown.
function showInvalid(sim, yaml, problems) {
  state.invalid = { sim, yaml };
  if (!state.sim?.ok) {
    state.sim = sim;
    state.simYaml = yaml;
  }
  markLastValid();
  renderDiagnostics(sim.diagnostics);
  const shown = state.sim.ok ? "the timeline and the panes show the last valid YAML, dimmed, until it is fixed" : "showing nothing until it is fixed";
  setStatus(problems.endsWith(".") ? problems : `${problems}; ${shown}.`, true);
  renderLanes();
  return renderAtCursor();
}

// The simulation asked for last: while the YAML has problems, that failed one (not the last
// valid one on view), so that nothing runs commands against YAML the editor no longer holds.
function latestSim() {
  return state.invalid?.sim ?? state.sim;
}

// Dims the result panes, and says why (also to screen readers), while they show the last valid
// YAML rather than the editor's.
function markLastValid() {
  const on = Boolean(state.invalid && state.sim?.ok);
  document.body.dataset.lastValid = String(on);
  let note = $("last-valid-note");
  if (!note && on) {
    note = document.createElement("p");
    note.id = "last-valid-note";
    note.className = "last-valid-note";
    note.setAttribute("role", "status");
    document.querySelector(".result-pane").prepend(note);
  }
  if (!note) return;
  note.hidden = !on;
  note.textContent = on ? "Showing the last valid YAML: the YAML in the editor has problems (listed under it). This view updates when they are fixed." : "";
}

function renderDiagnostics(diags) {
  const box = $("diagnostics-box");
  const list = $("diagnostics");
  list.replaceChildren();
  box.hidden = diags.length === 0;
  box.setAttribute("role", diags.length ? "alert" : "none");
  for (const d of diags) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.className = "diagnostic";
    b.dataset.line = d.line;
    b.dataset.column = d.column;
    b.textContent = d.text;
    b.title = "Go to line " + d.line + ", column " + d.column;
    b.addEventListener("click", () => state.editor.goto(d.line, d.column));
    li.append(b);
    list.append(li);
  }
  state.editor.showDiagnostics(diags);
}

// The shown part of the time axis (zoom); every lane places its pieces through it.
const view = createTimeView();

// The rows of the simulation shown (lane-rows.js), worked out once per simulation.
const rowsOfSim = new WeakMap();
function laneRowsOf(sim) {
  let rows = rowsOfSim.get(sim);
  if (!rows) rowsOfSim.set(sim, (rows = laneRows(sim)));
  return rows;
}

// One lane of lane-rows.js's rows, drawn for the zoom and the cursor of now.
function drawLaneRow(row) {
  const seek = (fraction) => setCursor(view.timeAt(fraction));
  const laneDeps = { place: view.place, placeAt: view.placeAt, formatDuration, select: selectChange, seek };
  let lane;
  switch (row.type) {
    case "pod": lane = renderPodLane(row, seek); break;
    case "conditions": lane = renderConditionLane(row.pod, row.bands, laneDeps); break;
    case "container": lane = renderContainerLane(row.pod, row.lane, laneDeps); break;
    default: lane = renderEndpointLane(row.lane, laneDeps);
  }
  for (const el of lane.querySelectorAll(".cursor-line")) el.style.left = view.pct(state.cursorMs);
  return lane;
}

// A pod's phase lane: its name (which picks the pod for the panes), phase segments, and a tick
// per event and container change.
function renderPodLane({ pod, segments, ticks }, seek) {
  const sim = state.sim;
  const lane = document.createElement("div");
  lane.className = "lane";
  const name = document.createElement("button");
  name.type = "button";
  name.className = "lane-name";
  name.textContent = pod;
  name.title = `Show pod ${pod} in the panes (describe, logs, status)`;
  name.setAttribute("aria-pressed", String(pod === state.describePod));
  name.addEventListener("click", () => { state.describePod = pod; renderLanes(); renderAtCursor(); });
  const track = document.createElement("div");
  track.className = "track";
  track.dataset.pod = pod;
  const words = [];
  for (const s of segments) {
    const el = document.createElement("div");
    el.className = `seg ${["Pending", "Running", "Succeeded", "Failed"].includes(s.phase) ? s.phase : "other"}`;
    el.dataset.phase = s.phase;
    words.push(`${s.phase} from ${formatDuration(s.from)} to ${formatDuration(s.to)}`);
    if (!view.place(el, s.from, s.to)) continue;
    el.textContent = s.phase;
    el.title = `${s.phase} from ${formatDuration(s.from)} to ${formatDuration(s.to)}`;
    track.append(el);
  }
  for (const index of ticks) {
    const c = sim.timeline[index];
    const tick = document.createElement("div");
    tick.className = `tick ${c.kind}`;
    if (!view.placeAt(tick, c.at)) continue;
    tick.title = `${formatDuration(c.at)}: ${c.summary}`;
    tick.dataset.index = index;
    track.append(tick);
  }
  const cursor = document.createElement("div");
  cursor.className = "cursor-line";
  track.append(cursor);
  track.setAttribute("role", "img");
  track.setAttribute("aria-label", `${pod}: ${words.join("; ") || "no phase yet"}`);
  track.addEventListener("click", (e) => {
    const tick = e.target.closest(".tick");
    if (tick) { selectChange(Number(tick.dataset.index)); return; }
    const r = track.getBoundingClientRect();
    seek((e.clientX - r.left) / r.width);
  });
  lane.append(name, track);
  return lane;
}

function renderLanes() {
  const lanes = $("lanes");
  const sim = state.sim;
  $("zoom-level").textContent = `${view.zoom}×`;
  $("zoom-out").disabled = view.zoom === ZOOMS[0];
  $("zoom-in").disabled = view.zoom === ZOOMS[ZOOMS.length - 1];
  if (!sim || !sim.ok) { showLanes(lanes, [], drawLaneRow, []); return; }
  showLanes(lanes, laneRowsOf(sim), drawLaneRow, timeAxis());
}

// The time axis under the tracks and the legend across the whole width below.
function timeAxis() {
  const axis = document.createElement("div");
  axis.className = "axis";
  const legend = document.createElement("div");
  legend.className = "legend";
  // [element, classes, key letter or null, words]: drawn as elements, no markup string.
  const LEGEND = [
    ["i", "sw-pending", null, "Pending"], ["i", "sw-running", null, "Running"], ["i", "sw-tick", null, "event"],
    ["i", "sw-failed", null, "container change / Terminated"], ["i", "sw-pending", null, "Waiting"],
    ["b", "key", "U", "Unhealthy"], ["b", "key sw-failed", "K", "Killing"], ["b", "key sw-pending", "B", "BackOff"], ["i", "sw-restart", null, "restart"],
    ["i", "ptick success legend-tick", null, "probe success"], ["i", "ptick failure legend-tick", null, "failure"],
    ["i", "ptick timeout legend-tick", null, "timeout"], ["i", "ptick error legend-tick", null, "error"],
    ["i", "bseg True legend-band", null, "condition True"], ["i", "bseg False legend-band", null, "False"],
    ["i", "eseg ready legend-band", null, "endpoint ready"], ["i", "eseg not-ready legend-band", null, "not ready"], ["i", "eseg absent legend-band", null, "absent"],
  ];
  for (const [tag, classes, letter, words] of LEGEND) {
    const swatch = document.createElement(tag);
    swatch.className = classes;
    if (letter) swatch.textContent = letter;
    const item = document.createElement("span");
    item.append(swatch, words);
    legend.append(item);
  }
  const scale = document.createElement("div");
  scale.className = "axis-scale";
  const step = (view.to - view.from) / 4;
  for (let i = 0; i <= 4; i++) {
    const sp = document.createElement("span");
    sp.style.left = `${i * 25}%`;
    sp.textContent = formatDuration(Math.round((view.from + step * i) / 1000) * 1000);
    scale.append(sp);
  }
  // The scale lines up under the tracks; the legend runs across the whole width below.
  axis.append(document.createElement("span"), scale);
  return [axis, legend];
}

// Zoom the time axis in or out around the cursor (the cursor keeps its place on the tracks).
function zoom(direction) {
  const changed = direction > 0 ? view.zoomIn(state.cursorMs) : direction < 0 ? view.zoomOut(state.cursorMs) : view.setZoom(1, state.cursorMs);
  if (!changed) return;
  renderLanes();
  renderAtCursor();
  setStatus(`Timeline zoom ${view.zoom}×: ${formatDuration(Math.round(view.from))} to ${formatDuration(Math.round(view.to))}.`);
}

// Zoom buttons, + / - / 0 keys (not while typing), Ctrl+wheel over the lanes.
function installZoomControls() {
  $("zoom-in").addEventListener("click", () => zoom(1));
  $("zoom-out").addEventListener("click", () => zoom(-1));
  $("zoom-fit").addEventListener("click", () => zoom(0));
  $("lanes").addEventListener("wheel", (e) => {
    if (!e.ctrlKey) return;
    e.preventDefault(); // the browser's own page zoom
    zoom(e.deltaY < 0 ? 1 : -1);
  }, { passive: false });
  addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (t instanceof Element && t.closest(".cm-editor, [contenteditable=true], textarea, select, input")) return;
    const dir = { "+": 1, "=": 1, "-": -1, "0": 0 }[e.key];
    if (dir === undefined) return;
    e.preventDefault();
    zoom(dir);
  });
}

// The timeline's lane names and event markers, and the buttons of the "What changed" rows: each
// a single tab stop, moved through with the arrow keys (roving.js), whatever the lanes and the
// table render.
function installKeyboardGroups() {
  installRoving($("lanes"), { items: "button.lane-name" });
  installRoving($("lanes"), { items: ".ctrack .marker" });
  // The table's scroll box: whatever draws the rows inside it (all of them, or a window of them).
  const table = $("changes").closest(".table-wrap") ?? $("changes");
  const items = "#changes .row-pick, #changes .why-field";
  // A button's key: its change's index and its place in the row ("12:0" is row 12's time).
  const keyOf = (el) => {
    const row = el.closest("tr");
    return `${row?.dataset.index}:${[...(row?.querySelectorAll(items) ?? [])].indexOf(el)}`;
  };
  const lookup = (key) => {
    const [index, place] = key.split(":");
    const row = /^\d+$/.test(index) ? $("changes").querySelector(`tr[data-index="${index}"]`) : null;
    return row?.querySelectorAll(items)[Number(place)] ?? null;
  };
  installRoving(table, { items, row: "tr", keyOf, lookup });
}

// Select one timeline change: highlight its row in the "why" table and move the cursor there.
function selectChange(index) {
  const c = state.sim?.timeline?.[index];
  if (!c) return;
  state.selected = index;
  showChangeFields(state.editor.view, c);
  setCursor(c.at, true, true);
}

function renderKubectl(pre, out) {
  if (!out) { showText(pre, ""); return; }
  // A huge output (the logs of a `yes` pod) is cut to its end: laying out millions of lines
  // would hold the page for seconds; a long one is drawn a screenful at a time (virtual-text.js).
  const { shown, omitted } = paneTail(out.stdout ?? "");
  const before = [];
  if (omitted) {
    const note = document.createElement("span");
    note.className = "omitted";
    note.textContent = omittedNote(omitted);
    before.push(note);
  }
  const after = [];
  if (out.stderr) {
    const s = document.createElement("span");
    s.className = "stderr";
    s.textContent = out.stderr;
    after.push(s);
  }
  showText(pre, shown, before, after);
  pre.dataset.exitCode = out.exitCode;
}

// kubectl at a time, on the shown simulation's YAML: the worker keeps a session per YAML text
// between calls, so moving forward (playback, a later cursor) costs only the new virtual time;
// going back re-runs from the start. `[{stdout, stderr, exitCode} | null]`, one per command.
async function runKubectlBatch(commands, atMs = state.cursorMs) {
  if (!state.sim?.ok) return commands.map(() => null);
  try {
    return await state.client.call("kubectlBatch", { yaml: state.simYaml, atMs, commands });
  } catch (e) {
    engineTrouble(e);
    return commands.map(() => null);
  }
}

// A terminal command that may change the cluster, tried at a time on the shown simulation's
// session: {stdout, stderr, exitCode, changed} (the engine's typed answer), or null when the
// engine could not answer (said on the status line).
async function tryCommand(command, manifest, atMs = state.cursorMs) {
  if (!state.sim?.ok) return null;
  try {
    return await state.client.call("tryCommand", { yaml: state.simYaml, atMs, command, manifest });
  } catch (e) {
    engineTrouble(e);
    return null;
  }
}

async function runKubectl(command) {
  return (await runKubectlBatch([command]))[0];
}

// Says what went wrong in an engine call (a panic, a worker that died); true when something did.
// A call superseded by a newer one or cancelled is no trouble: whoever ended it says so.
function engineTrouble(e) {
  if (e instanceof EngineStopped && e.reason !== "failed") return false;
  setStatus(String(e?.message ?? e), true);
  console.error(e);
  return true;
}

const NO_NAMES = { pod: [], node: [], service: [], containers: {} };

// Object names at the cursor for the terminal's completion, when the panes already asked the
// engine for them (else null: ask objectNamesAt).
function namesNow() {
  if (!state.sim?.ok) return NO_NAMES;
  const n = state.names;
  return n && n.yaml === state.simYaml && n.atMs === state.cursorMs ? n.names : null;
}

// Object names at a time, for the terminal's completion.
async function objectNamesAt(atMs) {
  if (!state.sim?.ok) return NO_NAMES;
  const yaml = state.simYaml;
  try {
    const names = await state.client.call("objectNames", { yaml, atMs });
    state.names = { yaml, atMs, names };
    return names;
  } catch (e) {
    engineTrouble(e);
    return NO_NAMES;
  }
}

// Draws everything at the cursor: at once what the page knows (the time, the cursor line, the
// table of changes), then the panes from the engine's worker. A newer render supersedes this one
// (its engine calls are dropped and it draws nothing); when the panes are drawn, renderedMs and
// simulatedYaml say which time and which YAML they show.
let paneRenders = 0;
async function renderAtCursor() {
  const seq = ++paneRenders;
  const atMs = state.cursorMs;
  const t = formatDuration(atMs);
  $("cursor-text").textContent = t;
  $("cursor").setAttribute("aria-valuetext", `${t} of ${formatDuration(state.untilMs)}`);
  for (const el of document.querySelectorAll(".t-now")) el.textContent = t;
  // A cursor that left the zoomed window takes the window with it.
  if (view.follow(atMs)) renderLanes();
  for (const el of document.querySelectorAll(".cursor-line")) el.style.left = view.pct(atMs);
  renderChanges(atMs);

  const sim = state.sim;
  const yaml = state.simYaml;
  const ok = sim && sim.ok;
  const pod = state.describePod;
  const cmd = pod ? `describe pod ${shellWord(pod)}` : "describe pod";
  $("describe-cmd").textContent = `kubectl ${cmd}`;
  const logsCmd = logsCommand();
  $("logs-cmd").textContent = logsCmd ? `kubectl ${logsCmd}` : "kubectl logs";
  const statusCmd = pod ? `get pod ${shellWord(pod)} -o yaml` : null;
  $("status-cmd").textContent = `kubectl ${statusCmd ?? "get pod -o yaml"}`;

  let outs = [];
  let names = null;
  let statusYaml = null;
  let logsShown = logsCmd;
  if (ok) {
    const run = track({ kind: "panes", what: `Computing kubectl's views at ${t}` });
    const ask = (op, args) => state.client.call(op, { yaml, atMs, ...args }, { lane: "panes", onProgress: run.progress });
    try {
      // One engine run for every pane at this time.
      outs = await ask("kubectlBatch", { commands: ["get pods", cmd, logsCmd ?? "", "get events", statusCmd ?? ""] });
      names = await ask("objectNames", {});
      // The first time a pod is shown its container list comes with its YAML; when that changes the
      // logs command (a container the timeline had not shown yet), run the logs once more.
      if (pod && outs[4]?.exitCode === 0) {
        const containers = names.containers?.[pod] ?? [];
        if (seq === paneRenders && containers.length && (state.podContainers?.pod !== pod || state.podContainers.names.join() !== containers.join())) {
          state.podContainers = { pod, names: containers };
          const again = logsCommand();
          if (again !== logsCmd) {
            logsShown = again;
            [outs[2]] = await ask("kubectlBatch", { commands: [again] });
          }
        }
        statusYaml = await ask("podStatusYaml", { pod });
      }
    } catch (e) {
      // Superseded by a newer render (which draws), or cancelled (nothing does).
      if (!engineTrouble(e)) return;
      outs = [];
    } finally {
      run.end();
    }
  }
  if (seq !== paneRenders) return;
  const [getOut, describeOut, logsOut, eventsOut, statusOut] = outs;
  $("logs-cmd").textContent = logsShown ? `kubectl ${logsShown}` : "kubectl logs";
  renderKubectl($("get-pods"), getOut);
  renderKubectl($("describe"), pod ? describeOut : null);
  renderKubectl($("logs"), logsShown ? logsOut : null);
  renderKubectl($("events"), eventsOut);
  renderKubectl($("pod-status"), pod && statusOut ? { ...statusOut, stdout: statusYaml ?? statusOut.stdout } : null);
  if (names) state.names = { yaml, atMs, names };
  state.renderedMs = atMs;
  // The YAML whose simulation the page has answered: the editor's with problems, while the panes
  // show the last valid one's.
  state.simulatedYaml = state.invalid?.yaml ?? yaml;
  state.drawnRender = seq;
}

// The table of changes, each marked past, at the cursor or future. Many changes (a cluster of
// pods) are shown as a virtual table (changes-table.js): only the rows in view are drawn.
function renderChanges(atMs) {
  const sim = state.sim;
  const table = $("changes");
  const timeline = sim && sim.ok ? sim.timeline : [];
  showChanges(table, timeline, { atMs, selected: state.selected, drawRow: (index) => changeRow(timeline[index], index, atMs) });
}

function changeRow(c, index, atMs) {
  const tr = document.createElement("tr");
  if (c.at > atMs) tr.className = "future";
  else if (c.at === atMs) tr.className = "at-cursor";
  tr.dataset.index = index;
  if (index === state.selected) { tr.classList.add("selected"); tr.setAttribute("aria-current", "true"); }
  const first = document.createElement("td");
  const pick = document.createElement("button");
  pick.type = "button";
  pick.className = "row-pick";
  pick.textContent = formatDuration(c.at);
  pick.title = "Select this change and move the time cursor here";
  pick.addEventListener("click", () => selectChange(index));
  first.append(pick);
  tr.append(first);
  for (const v of [c.object, c.kind, c.summary]) {
    const td = document.createElement("td");
    td.textContent = v;
    td.title = v;
    tr.append(td);
  }
  const cause = document.createElement("td");
  renderCause(cause, c, (f) => showChangeFields(state.editor.view, { fields: [f] }));
  tr.append(cause);
  return tr;
}

function podContainers(pod) {
  if (state.podContainers?.pod === pod) return state.podContainers.names;
  const sim = state.sim;
  if (!sim || !sim.ok || !pod) return [];
  return laneRowsOf(sim).filter((r) => r.type === "container" && r.pod === pod).map((r) => r.lane.name);
}

// kubectl logs POD [-c C] [--previous]: -c only when there is a choice, as a person would type it.
function logsCommand() {
  const pod = state.describePod;
  const picker = $("logs-container");
  const names = podContainers(pod);
  if (picker.dataset.pod !== pod || picker.dataset.names !== names.join(",")) {
    // Keep the container the reader picked (for this pod); else kubectl's default, the first.
    const keep = state.logsPick?.pod === pod ? state.logsPick.name : null;
    picker.replaceChildren(...names.map((n) => Object.assign(document.createElement("option"), { value: n, textContent: n })));
    picker.dataset.pod = pod ?? "";
    picker.dataset.names = names.join(",");
    if (names.includes(keep)) picker.value = keep;
  }
  $("logs-container-label").hidden = names.length < 2;
  if (!pod) return null;
  const c = names.length > 1 ? ` -c ${shellWord(picker.value)}` : "";
  return `logs ${shellWord(pod)}${c}${$("logs-previous").checked ? " --previous" : ""}`;
}

// save: write the link (and the kept work); playback saves once, when it stops.
// exact: keep milliseconds (a change at 1m9.033s), else round to whole seconds as the slider does.
// The promise resolves when the panes show the new time (or a newer render took over).
function setCursor(ms, save = true, exact = false) {
  state.cursorMs = Math.max(0, Math.min(state.untilMs, exact ? Math.round(ms) : Math.round(ms / 1000) * 1000));
  const sel = state.sim?.timeline?.[state.selected];
  if (!sel || sel.at !== state.cursorMs) state.selected = undefined;
  $("cursor").value = String(state.cursorMs / 1000);
  const drawn = renderAtCursor();
  if (state.editor && save) writeHash();
  return drawn;
}

function nextChange() {
  const next = changeTimes().find((x) => x > state.cursorMs);
  setCursor(next ?? state.untilMs, true, true);
}
function prevChange() {
  const prev = changeTimes().filter((x) => x < state.cursorMs).pop();
  setCursor(prev ?? 0, true, true);
}

// The times at which something changed, once per simulation (thousands with many pods).
const timesOfSim = new WeakMap();
function changeTimes() {
  const sim = state.sim;
  if (!sim || !sim.ok) return [];
  let times = timesOfSim.get(sim);
  if (!times) timesOfSim.set(sim, (times = [...new Set(sim.timeline.map((c) => c.at))].sort((a, b) => a - b)));
  return times;
}

// Reads "Simulate for" and simulates that long (unless simulate is false: the work opened paused).
// Returns resimulate's promise, or undefined when the text is not a duration and a run is shown.
function setUntil(text, { simulate = true } = {}) {
  const input = $("until");
  let seconds, problem = null;
  try {
    seconds = state.engine.parseDuration(text.trim());
    if (!(seconds > 0)) problem = "give a duration above zero, e.g. 5m";
  } catch (e) {
    problem = e && e.message ? e.message : String(e);
  }
  if (problem) {
    input.setAttribute("aria-invalid", "true");
    setStatus(`Simulate for: ${problem}`, true);
    if (state.sim) return;          // keep the last good run
    seconds = state.untilMs / 1000; // first run: use the default
  } else {
    input.removeAttribute("aria-invalid");
  }
  const atEnd = state.cursorMs >= state.untilMs;
  state.untilMs = Math.round(seconds * 1000);
  view.setUntil(state.untilMs);
  const slider = $("cursor");
  slider.max = String(Math.ceil(state.untilMs / 1000));
  if (atEnd || state.cursorMs > state.untilMs) state.cursorMs = state.untilMs;
  slider.value = String(state.cursorMs / 1000);
  return simulate ? resimulate() : undefined;
}

// ---- the state in the URL fragment, so a link carries the whole playground (no server) ----
// The YAML is deflated (link.js); the last compression is kept, so moving the cursor rewrites
// the link at once and only an edit compresses again.
let linkCache = { yaml: null, z: null };
let linkSeq = 0;

function linkFields() {
  const name = $("scenario").value;
  const text = state.editor.getText();
  return { scenario: scenarios[name] === text ? name : null, yaml: text, until: $("until").value.trim(), t: state.cursorMs / 1000 };
}

// The fragment for the current state; synchronous when the YAML was compressed already.
function linkHash(fields) {
  const p = new URLSearchParams();
  if (fields.scenario) p.set("scenario", fields.scenario);
  else if (linkCache.yaml === fields.yaml) p.set("z", linkCache.z);
  else return makeLink(fields).then((hash) => {
    linkCache = { yaml: fields.yaml, z: new URLSearchParams(hash.slice(1)).get("z") };
    return hash;
  });
  p.set("until", fields.until);
  p.set("t", String(fields.t));
  return "#" + p.toString();
}

// Keeps the work in this browser (full page only): never over work this page has not seen (another
// tab's, or the work a link replaced), which becomes a draft first; a storage that refuses is said.
function saveKept() {
  const work = { yaml: state.editor.getText(), until: $("until").value.trim(), t: state.cursorMs / 1000 };
  const r = keepWork(work, state.seenWork, { pristine });
  if (r.archived) {
    const yaml = r.archived.yaml;
    renderDrafts();
    notices.show("kept-other", `Other work saved in this browser (${draftLabel(yaml)}: from another tab, or from before this link) was kept under Drafts before this tab saved its own.`,
      [{ label: "Restore it", run: () => restoreDraft(yaml) }]);
  }
  if (r.ok) {
    state.seenWork = work.yaml;
    if (state.storageProblem?.endsWith(":work")) notices.hide("storage");
    state.storageProblem = null;
  } else reportStorage(r.reason, "work");
}

// Says once (per kind of failure) that the browser refused to keep the work or a draft.
function reportStorage(reason, what) {
  const key = `${reason}:${what}`;
  if (state.storageProblem === key) return;
  state.storageProblem = key;
  const lost = what === "draft"
    ? "your edits could not be kept as a draft (Ctrl-Z in the editor brings them back until you reload)"
    : "your work is not being saved in this browser (it is still in this tab)";
  notices.show("storage", reason === "full"
    ? `This browser's storage for this page is full: ${lost}. Delete drafts you no longer need, or use Copy link to keep the work.`
    : `This browser does not let this page store anything (storage is off): ${lost}. Use Copy link to keep the work.`);
}

// ---- drafts: YAML the page replaced, kept in this browser to be restored ----
function renderDrafts() {
  const box = $("drafts");
  if (!state.keepsWork) { box.hidden = true; return; }
  const drafts = loadDrafts();
  box.hidden = drafts.length === 0;
  $("drafts-count").textContent = String(drafts.length);
  $("drafts-list").replaceChildren(...drafts.map((d) => {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.className = "draft-label";
    label.textContent = draftLabel(d.yaml) + (d.savedAt ? `, ${new Date(d.savedAt).toLocaleString()}` : "");
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "draft-restore";
    restore.textContent = "Restore";
    restore.setAttribute("aria-label", `Restore the draft ${label.textContent}`);
    restore.addEventListener("click", () => restoreDraft(d.yaml));
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "draft-delete";
    remove.textContent = "Delete";
    remove.setAttribute("aria-label", `Delete the draft ${label.textContent}`);
    remove.addEventListener("click", () => { removeDraft(d.yaml); renderDrafts(); });
    li.append(label, restore, remove);
    return li;
  }));
}

// Puts `text` in the editor in place of its YAML (a scenario, Reset, a link). Edits there (YAML
// that is not an untouched example) are kept as a draft first, with a notice to restore them;
// Ctrl-Z undoes the replacement as well.
function replaceEditorText(text) {
  const current = state.editor.getText();
  if (current === text) return;
  if (state.keepsWork && !pristine(current)) {
    const r = addDraft({ yaml: current, until: $("until").value.trim(), t: state.cursorMs / 1000 });
    renderDrafts();
    if (r.ok) {
      notices.show("draft", `Your edited YAML (${draftLabel(current)}) was kept as a draft: restore it here, or later from Drafts above the editor.`,
        [{ label: "Restore it", run: () => restoreDraft(current) }]);
    } else reportStorage(r.reason, "draft");
  }
  state.editor.setText(text);
}

// Brings a draft back (the YAML it replaces is kept as a draft in turn, when it is edited).
function restoreDraft(yaml) {
  if (!state.keepsWork) return;
  const draft = loadDrafts().find((d) => d.yaml === yaml) ?? { yaml };
  replaceEditorText(draft.yaml);
  removeDraft(draft.yaml);
  renderDrafts();
  if (draft.until && untilProblem(draft.until) === null) $("until").value = draft.until;
  setUntil($("until").value);
  if (draft.t !== undefined) setCursor(draft.t * 1000, false, true);
  writeHash();
}

// Why a "Simulate for" text is not a duration, or null.
function untilProblem(text) {
  try {
    const seconds = state.engine.parseDuration(String(text).trim());
    return seconds > 0 ? null : "give a duration above zero, e.g. 5m";
  } catch (e) {
    return e && e.message ? e.message : String(e);
  }
}

// A link as this page reads it: link.js's fields and problems, and what only the page can check
// (a scenario it has, a duration the engine reads). broken: the link's YAML cannot be shown.
async function readPageLink(hash) {
  const { fields, problems } = await inspectLink(hash);
  const why = problems.map((p) => p.message);
  if (fields.scenario !== undefined && !isScenario(fields.scenario)) {
    why.push(`it names a scenario, "${clip(fields.scenario)}", that this page does not have`);
    delete fields.scenario;
    if (fields.yaml === undefined) fields.broken = true;
  }
  if (fields.until !== undefined && untilProblem(fields.until) !== null) {
    why.push(`its duration until=${clip(fields.until)} is not one (e.g. 90s, 5m, 1h)`);
    delete fields.until;
  }
  return { fields, why, broken: fields.broken === true };
}

function writeHash() {
  // An embedded or read-only page keeps the URL it was given, and keeps no work in this browser.
  if (!state.keepsWork) return;
  saveKept();
  const seq = ++linkSeq;
  const hash = linkHash(linkFields());
  const write = (h) => { if (seq === linkSeq) window.history.replaceState(null, "", h); };
  if (typeof hash === "string") write(hash);
  else hash.then(write, (e) => setStatus(`Could not write the link: ${e.message ?? e}`, true));
}

// The full URL of the playground as it is now (the page itself, never the embed options).
async function shareUrl() {
  const hash = await linkHash(linkFields());
  return location.origin + location.pathname + hash;
}

function debounce(fn, ms) {
  let timer = 0;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

// The first view's milestones, as User Timing marks (scripts/bench-first-view.mjs reads them):
// podplay:start (the wasm compiled, the page's instance ready), podplay:editor (the editor made),
// podplay:ready (the first simulation drawn).
async function start() {
  if (state.engine) return;
  performance.mark("podplay:start");
  state.engine = window.wasmBindings;
  $("version").textContent = `podplay ${state.engine.version()}`;
  state.client = startEngineClient(await compileEngine());

  const select = $("scenario");
  const library = scenarioLibrary(scenarios);
  const picker = createScenarioPicker(select, library, scenarios);
  const opts = embedOptions;
  state.embed = opts.embed;
  state.readonly = opts.readonly;
  // Only the full page, and not read-only, keeps work (and its link) in this browser.
  state.keepsWork = !opts.embed && !opts.readonly;
  applyEmbed(opts);
  if (messages && window.parent !== window) state.heights = watchHeight((height) => tellParent(resizeMessage(height)));
  notices = createNotices($("notices"));
  // The link wins; else (full page only) the work kept in this browser. A link that cannot be
  // read opens that work (or the example) instead, says why, and is left in the address bar.
  const link = await readPageLink(location.hash);
  const hash = link.fields;
  const kept = opts.embed || hash.yaml !== undefined || hash.scenario !== undefined ? null : loadWork();
  state.seenWork = kept?.yaml ?? null;
  const fromLink = kept ? { yaml: kept.yaml, until: kept.until, t: kept.t } : link.broken ? {} : { ...hash };
  if (opts.t !== undefined) fromLink.t = opts.t;
  if (kept && Object.values(scenarios).includes(kept.yaml)) {
    fromLink.scenario = Object.keys(scenarios).find((k) => scenarios[k] === kept.yaml);
  }
  picker.choose(isScenario(fromLink.scenario) ? fromLink.scenario
    : isScenario(DEFAULT_SCENARIO) ? DEFAULT_SCENARIO : select.options[0]?.value);
  if (fromLink.until) $("until").value = fromLink.until;
  if (link.why.length) {
    const instead = kept ? "Showing the work saved in this browser instead" : "Showing the example instead";
    const stays = opts.embed ? "" : "; the link stays in the address bar until you change something";
    notices.show("link", link.broken
      ? `This link could not be opened: ${link.why.join("; ")}. ${instead}${stays}.`
      : `Part of this link was not used: ${link.why.join("; ")}.`);
  }

  const onEdit = debounce(() => { resimulate(); writeHash(); }, EDIT_DEBOUNCE_MS);
  // The Scenario menu follows the editor's text, whoever changes it.
  const followText = EditorView.updateListener.of((u) => { if (u.docChanged) picker.follow(u.state.doc, u.state.doc.length); });
  const editorHelp = [schemaSupport(call(state.engine.schema)), whyHighlight(), followText];
  state.editor = createEditor($("editor"), fromLink.yaml ?? scenarios[select.value] ?? "", onEdit, opts.readonly, editorHelp);
  picker.follow(state.editor.getText());
  performance.mark("podplay:editor");
  keepFocusInSight(document.querySelector('[data-pane="timeline"]'));
  $("reset").hidden = opts.readonly;
  $("editor-keys").hidden = opts.readonly; // read-only: Tab does not indent, it moves on
  if (opts.readonly) lockInputs();
  $("reset").addEventListener("click", () => {
    replaceEditorText(scenarios[picker.base()] ?? "");
    resimulate();
    writeHash();
  });
  select.addEventListener("change", () => {
    if (!isScenario(select.value)) return; // "Your YAML (edited)" is what the editor holds already
    replaceEditorText(scenarios[select.value]);
    resimulate();
    writeHash();
  });
  renderDrafts();
  $("logs-container").addEventListener("change", (e) => {
    state.logsPick = { pod: state.describePod, name: e.target.value };
    renderAtCursor();
  });
  $("logs-previous").addEventListener("change", renderAtCursor);
  const saveCursor = debounce(writeHash, EDIT_DEBOUNCE_MS);
  $("cursor").addEventListener("change", saveCursor);

  let frame = 0;
  $("cursor").addEventListener("input", (e) => {
    state.cursorMs = Number(e.target.value) * 1000;
    // While dragging, render at most once per frame.
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; renderAtCursor(); });
  });
  $("until").addEventListener("change", (e) => { setUntil(e.target.value); writeHash(); });
  $("prev-change").addEventListener("click", prevChange);
  $("next-change").addEventListener("click", nextChange);

  const playButton = $("play");
  state.player = createPlayer({
    getMs: () => state.cursorMs,
    getMax: () => state.untilMs,
    seek: (ms) => setCursor(ms, false),
    onChange(playing) {
      playButton.setAttribute("aria-pressed", String(playing));
      playButton.setAttribute("aria-label", playing ? "Pause" : "Play");
      playButton.textContent = playing ? "⏸ Pause" : "▶ Play";
      document.body.dataset.playing = String(playing);
      if (!playing) writeHash();
    },
  });
  const speed = $("speed");
  state.player.setSpeed(Number(speed.value));
  speed.addEventListener("change", () => state.player.setSpeed(Number(speed.value)));
  playButton.addEventListener("click", () => state.player.toggle());
  installShortcuts({ toggle: () => state.player.toggle(), next: nextChange, prev: prevChange });
  state.terminal = createTerminal(
    {
      engine: state.engine,
      getYaml: () => state.editor.getText(),
      load: api.load,
      cursorMs: () => state.cursorMs,
      simulation: latestSim,
      simulationOf: (yaml) => (state.simYaml === yaml ? state.sim : null),
      formatDuration,
      kubectlBatch: (commands, atMs) => runKubectlBatch(commands, atMs),
      tryCommand: (command, manifest, atMs) => tryCommand(command, manifest, atMs),
      namesNow,
      objectNames: () => objectNamesAt(state.cursorMs),
      readonly: opts.readonly,
    },
    { form: $("kubectl-form"), input: $("kubectl-cmd"), output: $("kubectl-out"), hint: $("term-hint"), prompt: $("term-prompt") },
  );
  renderLibrary($("library-list"), library, (entry) => {
    select.value = entry.name;
    select.dispatchEvent(new Event("change"));
    if (entry.tryAt) setCursor(state.engine.parseDuration(entry.tryAt) * 1000);
    if (entry.tryCommand) state.terminal.suggest(entry.tryCommand);
    $("library").hidden = true;
    $("library-toggle").setAttribute("aria-expanded", "false");
    // The Load button is gone with the library: the focus goes to the loaded YAML, and the
    // note by the library's button says (and a screen reader announces) what was loaded.
    $("library-note").textContent = loadedMessage(entry);
    state.editor.view.focus();
  });
  $("library-toggle").addEventListener("click", (e) => {
    const open = $("library").hidden;
    $("library-note").textContent = "";
    $("library").hidden = !open;
    e.currentTarget.setAttribute("aria-expanded", String(open));
  });
  installExport({
    // The exports draw the lanes as laid out: with only the rows in view drawn (many pods),
    // every row is drawn off screen for the export's synchronous read, then removed.
    get lanes() {
      const shown = $("lanes");
      if (!shown.virtualLanes) return shown;
      const all = document.createElement("div");
      all.className = "lanes lanes-export";
      all.style.width = `${shown.clientWidth}px`;
      shown.virtualLanes.drawAll(all);
      all.append(...timeAxis());
      document.body.append(all);
      setTimeout(() => all.remove(), 0);
      return all;
    },
    name: () => (scenarios[select.value] === state.editor.getText() ? select.value : "scenario"),
    at: () => state.cursorMs,
    formatDuration,
    yaml: () => state.editor.getText(),
    panes: () => [
      { command: "kubectl get pods", stdout: paneText($("get-pods")) },
      { command: $("describe-cmd").textContent, stdout: paneText($("describe")) },
      { command: $("logs-cmd").textContent, stdout: paneText($("logs")) },
      { command: "kubectl get events", stdout: paneText($("events")) },
    ],
    entries: () => state.terminal.entries,
    version: () => state.engine.version(),
    status: setStatus,
  }, { svg: $("export-svg"), png: $("export-png"), transcript: $("export-transcript") });

  installCopyLink({ button: $("copy-link"), box: $("link-box"), note: $("link-note"), link: shareUrl });
  installZoomControls();
  installKeyboardGroups();
  installSkipLinks($("skip-links"));
  $("run-cancel").addEventListener("click", cancelRuns);
  $("run-start").addEventListener("click", () => { resimulate(); });

  // Work that was slow to simulate in this browser before, or whose run was cancelled, opens
  // paused (full page only: an embed shows what its page gave it).
  const slow = opts.embed ? null : slowRunOf(state.editor.getText(), $("until").value.trim());
  if (slow) {
    setUntil($("until").value, { simulate: false });
    if (fromLink.t !== undefined) setCursor(fromLink.t * 1000, false, true);
    const why = slow.reason === "cancelled"
      ? `its simulation was cancelled after ${Math.round(slow.wallMs / 1000)} s`
      : `its simulation took more than ${Math.round(slow.wallMs / 1000)} s`;
    await showPaused(`This work opened paused: in this browser ${why} before. It is not simulated until you run it (or edit it).`);
  } else {
    await setUntil($("until").value);
    // Nothing is saved, and the address bar keeps the link, while a link with problems is shown.
    if (fromLink.t !== undefined) await setCursor(fromLink.t * 1000, link.why.length === 0, true);
  }
  if (opts.autoplay) {
    showPlayingView();
    state.player.play();
  }

  // A link pasted into the address bar of an open page (replaceState fires no hashchange). One
  // that cannot be read changes nothing; edits it replaces are kept as a draft.
  addEventListener("hashchange", async () => {
    const next = await readPageLink(location.hash);
    if (next.broken) {
      notices.show("link", `This link could not be opened: ${next.why.join("; ")}. Your YAML is unchanged.`);
      return;
    }
    if (next.why.length) notices.show("link", `Part of this link was not used: ${next.why.join("; ")}.`);
    else notices.hide("link");
    const l = next.fields;
    if (isScenario(l.scenario)) picker.choose(l.scenario);
    const text = l.yaml ?? (isScenario(l.scenario) ? scenarios[l.scenario] : null);
    if (text !== null && text !== state.editor.getText()) replaceEditorText(text);
    if (l.until) $("until").value = l.until;
    setUntil($("until").value);
    if (l.t !== undefined) setCursor(l.t * 1000);
  });
  // Another tab saved its work, or changed the drafts.
  addEventListener("storage", (e) => {
    if (!state.keepsWork) return;
    if (e.key === null || e.key === DRAFTS_KEY) renderDrafts();
    if (e.key !== WORK_KEY || e.newValue === null) return;
    let other = null;
    try { other = JSON.parse(e.newValue); } catch { /* not work */ }
    if (typeof other?.yaml !== "string" || other.yaml === state.editor.getText()) return;
    notices.show("other-tab", "Another tab of this playground saved different work in this browser. This tab keeps its own YAML; when this tab saves, the other tab's work is kept under Drafts, so neither is lost.");
  });
  performance.mark("podplay:ready");
  document.body.dataset.ready = "true";
  if (messages) startEmbedApi();
}

// On a desktop screen the timeline sticks to the top (style.css): what the keyboard focuses
// under it is scrolled to below it, not behind it (WCAG 2.4.11), through the page's
// scroll-padding, kept at the timeline's height while it sticks.
function keepFocusInSight(timeline) {
  if (!timeline) return;
  const root = document.documentElement;
  new ResizeObserver(() => {
    const sticky = getComputedStyle(timeline).position === "sticky";
    root.style.scrollPaddingTop = sticky ? `${Math.ceil(timeline.getBoundingClientRect().height) + 8}px` : "";
  }).observe(timeline);
}

// Read-only (?readonly, docs/embed.md): nothing the reader does changes the YAML, the duration,
// the scenario or what this browser keeps; the editor is read-only (createEditor), and the
// terminal refuses commands that would change the cluster (terminal.js).
function lockInputs() {
  $("until").readOnly = true;
  $("scenario").disabled = true;
  $("library-toggle").hidden = true;
  $("library").hidden = true;
  $("terminal-help").textContent = "Commands run at the cursor, as kubectl prints them then. This playground is read-only: commands that only read (get, describe, logs, an exec of ls or cat) run; one that would change the cluster is refused. Pipes to grep, head, tail, wc, sort filter the output. Tab completes, ↑/↓ history, help.";
}

// Autoplay: the cursor and the lanes (or, without the timeline, the panes) come into the frame's
// view before they move, so a frame shorter than the page does not play out of sight.
function showPlayingView() {
  const timeline = document.querySelector('[data-pane="timeline"]');
  const shown = timeline && !timeline.hidden
    ? [document.querySelector(".controls.playback"), document.querySelector(".slider-row"), $("lanes")]
    : [document.querySelector(".result-pane")];
  bringIntoView(shown);
}

// The embed can answer: the parent's messages (those that came while the engine loaded first, in
// the order they came) go to the page's api, and the parent is told so, with the height.
// Only an embed answers messages: it never reads the work kept in this browser, so a page that
// frames the playground cannot read someone's own YAML through 'podplay:get'.
function startEmbedApi() {
  messages.start({ ...api, load: loadFromMessage });
  tellParent(readyMessage(state.engine.version()));
  state.heights?.resend();
}

// A YAML sent by the embedding page: refused, and said, when it is over the page's limit.
function loadFromMessage(yaml) {
  const big = oversize(yaml);
  if (big) {
    notices.show("message", `A YAML of ${formatBytes(big)} sent by the page around this playground was not loaded: podplay opens YAML up to ${formatBytes(MAX_YAML_BYTES)}.`);
    return;
  }
  api.load(yaml);
}

// Cancel: ends the engine's worker and whatever it was doing (a fresh one starts with the next
// call). A simulation under way says so itself (resimulate); kubectl's views are said here.
function cancelRuns() {
  const simulating = [...state.busy].some((t) => t.kind === "simulate");
  state.client.cancel();
  if (!simulating) setStatus(`Stopped computing kubectl's views at ${formatDuration(state.cursorMs)}: cancelled. Move the cursor to ask again.`);
}

// The embedding API (postMessage, and window.podplay for same-origin pages and tests). load and
// seek resolve when the page shows the result; get resolves to kubectl's output at the cursor.
const api = {
  load(yaml) { state.editor.setText(yaml); const shown = resimulate(); writeHash(); return shown; },
  seek(seconds) { return setCursor(seconds * 1000); },
  play() { state.player.play(); },
  pause() { state.player.pause(); },
  // After the simulation under way, if any: a page that sends a YAML and then asks is answered
  // about that YAML.
  async get(command) {
    await latestRunShown();
    return latestSim()?.ok ? runKubectl(command) : null;
  },
};

// For tests and the console: read what the page computed, drive it without the mouse.
window.podplay = {
  ...api,
  get playing() { return state.player?.playing ?? false; },
  get simulation() { return latestSim(); },
  // True while the view is the last valid YAML's, dimmed, because the editor's has problems.
  get showingLastValid() { return document.body.dataset.lastValid === "true"; },
  get caret() { return state.editor.caret(); },
  get cursorMs() { return state.cursorMs; },
  get selected() { return state.selected; },
  get simulatedYaml() { return state.simulatedYaml; },
  get renderedMs() { return state.renderedMs; },
  // True while a simulation runs in the engine's worker.
  get running() { return [...state.busy].some((t) => t.kind === "simulate"); },
  // True while the panes wait for the engine (the latest render has not drawn).
  get drawing() { return state.drawnRender !== paneRenders; },
  getYaml: () => state.editor.getText(),
  setYaml: (s) => { state.editor.setText(s); return resimulate(); },
  setCursor: (seconds) => setCursor(seconds * 1000),
  cancel: cancelRuns,
  formatDuration,
};

// Embed mode: the parent's messages are listened to from the start (this script runs before the
// iframe's 'load'), and wait until the engine can answer them (startEmbedApi).
const embedOptions = readEmbedOptions(location.search);
const messages = embedOptions.embed ? openMessageChannel() : null;

// Trunk's loader sets window.wasmBindings and then fires TrunkApplicationStarted;
// this script may run before or after that.
const begin = () => start().catch((e) => { setStatus(String(e?.message ?? e), true); console.error(e); });
if (window.wasmBindings) begin();
else addEventListener("TrunkApplicationStarted", begin);
