// The kubectl terminal at the time cursor: a prompt, scrollback, history (↑/↓, kept in
// localStorage) and Tab completion. Read-only commands print what kubectl prints at the cursor
// (the page's engine session in its worker, `host.kubectlBatch`) and never touch the YAML. A
// command of a verb that may change the cluster (exec, delete, apply, ..., `podplay node`) is
// first tried at the cursor (`host.tryCommand`, the session's typed `changed`): one that changed
// nothing (refused, as `delete pod nosuch`; an exec that only looked, as `ls`) prints what it
// printed and stays out of the YAML; one that changed the cluster becomes a scenario step at the
// cursor time, written into the YAML by the engine's `addStep` (podplay-core edit.rs), so the
// simulation re-runs, the page replays it and a link carries it; the terminal says so and offers
// "undo step". The step's own output is what the engine recorded for that step. Pipes to grep,
// head, tail, wc and sort run on kubectl's output here (shell-line.js); a heredoc or a pasted
// block feeds `apply -f -`; an interactive shell is explained, not simulated. The engine answers
// asynchronously: what a command prints is printed in the order the commands were given.
import { interactiveShell, parseLine, pasteLines, runFilters, undoEdit } from "./shell-line.js";
import { omittedNote, paneTail } from "./pane-text.js";

const HISTORY_KEY = "podplay:terminal-history";
const HISTORY_MAX = 200;

// kubectl's verbs, flags, kind words and output formats come from the engine
// (`vocabulary()`, podplay-kubectl's own parse tables): {readVerbs, mutatingVerbs,
// mutatingSubcommands: {VERB: [sub]}, flags: {VERB: [flag]}, kinds: [[word, kind]], outputs}.
const verbsOf = (vocab) => [...vocab.readVerbs, ...vocab.mutatingVerbs];
const kindOf = (vocab, word) => vocab.kinds.find(([w]) => w === word)?.[1];

// Words of a command line, as a shell splits them (quotes, backslashes); an open quote at the
// end is kept as the last, unfinished word (for completion). `trailing` is true after a space.
export function splitWords(line) {
  const words = [];
  let cur = "";
  let inWord = false;
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') { quote = c; inWord = true; }
    else if (c === "\\" && i + 1 < line.length) { cur += line[++i]; inWord = true; }
    else if (/\s/.test(c)) { if (inWord) { words.push(cur); cur = ""; inWord = false; } }
    else { cur += c; inWord = true; }
  }
  if (inWord) words.push(cur);
  return { words, trailing: !inWord };
}

// A word as a command line must write it to be read back as that one word by splitWords (and by
// the engine's kubectl, which splits as a POSIX shell does): as it is when it holds nothing a
// shell reads specially, else in single quotes (a ' inside as '\''). A name with spaces,
// quotes or markup stays one word, and stays text.
export function shellWord(word) {
  const w = String(word);
  if (/^[A-Za-z0-9._\/:@=+,%^-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, "'\\''")}'`;
}

// What the terminal does with a command: "clear", "help", "change" (a verb that may change the
// cluster: tried, and a step only if it did) or "read".
export function classify(line, vocab) {
  const { words } = splitWords(line);
  if (!words.length) return "empty";
  if (words.length === 1 && (words[0] === "clear" || words[0] === "help")) return words[0];
  if (words[0] === "podplay") return "change";
  const at = words[0] === "kubectl" ? 1 : 0;
  const verb = words[at];
  // A read verb's subcommand may change the cluster (`rollout undo`; `rollout status` reads).
  const sub = words[at + 1];
  if (vocab.mutatingSubcommands?.[verb]?.includes(sub)) return "change";
  return vocab.mutatingVerbs.includes(verb) ? "change" : "read";
}

// What the terminal says to `exec -it POD -- sh` (see interactiveShell).
export function shellExplanation({ pod, container, shell }) {
  const target = `${shellWord(pod)}${container ? ` -c ${shellWord(container)}` : ""}`;
  return `podplay does not simulate an interactive shell: this terminal runs one command at a time.
Run what you would type in the shell as one command:
  kubectl exec ${target} -- ${shell} -c 'ls -l /; cat /etc/hostname'
  kubectl exec ${target} -- ps
A command that changes the container (writes a file, starts or stops a process) becomes a
scenario step; one that only looks (ls, cat, ps) does not.
`;
}

// What a read-only playground (?readonly, docs/embed.md) says to a command that would change the
// cluster: it was tried on the side (so that one that only reads, like `exec POD -- ls`, still
// prints), but what it printed is not shown, as that happened in no cluster the page shows.
export const READ_ONLY_REFUSAL = "error: this playground is read-only: this command would change the cluster, so it was not run and is not added to the scenario (commands that only read, such as get, describe and logs, still run)\n";

// The step's `run:` text: steps start with `kubectl` or `podplay`.
export function stepCommand(line) {
  const t = line.trim();
  return /^(kubectl|podplay)(\s|$)/.test(t) ? t : `kubectl ${t}`;
}

// Candidates for the word being typed. names: {pod:[], node:[], service:[], containers:{pod:[names]}}
// (the engine's `objectNames`); vocab: the engine's `vocabulary()`.
export function completions(line, names, vocab) {
  const VERBS = verbsOf(vocab);
  const { words, trailing } = splitWords(line);
  const current = trailing ? "" : words.pop() ?? "";
  const before = words[0] === "kubectl" ? words.slice(1) : words;
  const prev = before[before.length - 1];
  let pool;
  if (words.length === 0) pool = [...VERBS, "podplay", "kubectl"];
  else if (words[0] === "podplay") {
    pool = words.length === 1 ? ["node"] : words.length === 2 ? ["disconnect", "reconnect"] : words.length === 3 ? names.node : [];
  } else if (before.length === 0) pool = VERBS;
  else {
    const verb = before[0];
    const rest = before.slice(1);
    const positional = rest.filter((w, i) => !w.startsWith("-") && !["-c", "--container", "-n", "--namespace", "-o", "--output"].includes(rest[i - 1]));
    const afterDashes = rest.includes("--");
    if (afterDashes) pool = [];
    else if (prev === "-c" || prev === "--container") {
      const pod = positional.map((w) => w.replace(/^pods?\//, "")).find((w) => names.containers[w]);
      pool = pod ? names.containers[pod] : Object.values(names.containers).flat();
    } else if (prev === "-o" || prev === "--output") pool = vocab.outputs;
    else if (prev === "-n" || prev === "--namespace") pool = ["default"];
    else if (current.startsWith("-")) pool = vocab.flags[verb] ?? [];
    else if (["logs", "exec"].includes(verb)) pool = positional.length === 0 ? names.pod : [];
    else if (["cordon", "uncordon", "drain"].includes(verb)) pool = positional.length === 0 ? names.node : [];
    else if (["get", "describe", "delete", "label"].includes(verb)) {
      if (positional.length === 0) {
        const slash = current.indexOf("/");
        const kindWords = vocab.kinds.map(([w]) => w);
        if (slash > 0 && kindOf(vocab, current.slice(0, slash))) {
          const kind = current.slice(0, slash);
          pool = (names[nameKind(kindOf(vocab, kind))] ?? []).map((n) => `${kind}/${n}`);
        } else pool = verb === "delete" ? ["pod", "pods", "node", "nodes"] : verb === "label" ? ["pod", "node"] : verb === "get" ? [...kindWords, "all"] : kindWords;
      } else if (positional.length === 1 || verb !== "label") pool = names[nameKind(kindOf(vocab, positional[0]))] ?? [];
      else pool = [];
    } else pool = [];
  }
  return { current, candidates: [...new Set(pool)].filter((c) => c.startsWith(current)).sort() };
}

function commonPrefix(words) {
  if (!words.length) return "";
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

// The names completion offers for a kind: endpoints are named after their Service.
const nameKind = (kind) => (kind === "endpoints" ? "service" : kind);

function loadHistory() {
  try {
    const h = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]");
    return Array.isArray(h) ? h.filter((x) => typeof x === "string") : [];
  } catch { return []; }
}
function saveHistory(h) {
  try { localStorage.setItem(HISTORY_KEY, JSON.stringify(h.slice(-HISTORY_MAX))); } catch { /* storage off */ }
}

const HELP = `Commands run at the time cursor, as kubectl would print them then:
  get, describe, logs, get events, rollout status ...
                                             read the cluster; the YAML is not touched
  exec, delete, apply -f -, label, cordon, uncordon, drain, scale, set image,
  podplay node disconnect|reconnect NODE     change it: a command that changed the cluster becomes
                                             a scenario step at the cursor time, written into the
                                             YAML ("undo step" takes it back); one that changed
                                             nothing (refused, or an exec of ls, cat, ps) does not
  ... | grep PATTERN, head, tail, wc -l, sort
                                             filter what kubectl printed
  clear                                      empty this scrollback
Tab completes; ↑/↓ walk the history. After "apply -f -" type or paste the manifest, then Ctrl-D;
or "apply -f - <<EOF", the manifest, then EOF. exec runs one command: exec POD -- sh -c 'CMD'.
`;

// host: { engine (the page's wasm: vocabulary, addStep), getYaml(), load(yaml) -> promise of the
//         simulation shown, cursorMs(), simulation(), simulationOf(yaml): the simulation shown
//         when it is of that YAML, else null, formatDuration(ms),
//         kubectlBatch(commands, atMs) -> promise, tryCommand(command, manifest, atMs) -> promise
//         of {stdout, stderr, exitCode, changed} (null when the engine could not answer),
//         namesNow(): objectNames at the cursor when known, else null, objectNames() -> promise
//         of them at the cursor, readonly: true in a read-only playground (READ_ONLY_REFUSAL) }
// els: { form, input, output, hint, prompt }
export function createTerminal(host, els) {
  const promptText = els.prompt.textContent;
  // A read-only playground keeps its history in this tab only: it writes nothing to the browser.
  const history = host.readonly ? [] : loadHistory();
  let historyIndex = history.length;
  let draft = "";
  const entries = [];
  // While a manifest is typed: {command, shownLine, filters, lines: [], until: a heredoc's
  // delimiter, or null for Ctrl-D}.
  let pendingApply = null;
  const vocab = host.engine.vocabulary();
  // What the commands print, in the order they were given (each waits for the engine).
  let printing = Promise.resolve();
  const inOrder = (work) => {
    printing = printing.then(work).catch((e) => console.error(e));
    return printing;
  };

  function render(entry) {
    const div = document.createElement("div");
    div.className = "term-entry";
    const cmd = document.createElement("div");
    cmd.className = "term-cmd";
    const time = document.createElement("span");
    time.className = "term-time";
    time.textContent = `[${host.formatDuration(entry.at)}] `;
    cmd.append(time, document.createTextNode(`$ ${entry.command}`));
    div.append(cmd);
    if (entry.manifest) {
      const m = document.createElement("pre");
      m.className = "term-manifest";
      m.textContent = entry.manifest;
      div.append(m);
    }
    const out = document.createElement("pre");
    out.className = "term-out";
    // A huge output (`logs` of a `yes` pod) is cut to its end, as the panes cut it.
    const { shown, omitted } = paneTail(entry.stdout ?? "");
    if (omitted) {
      const note = document.createElement("span");
      note.className = "omitted";
      note.textContent = omittedNote(omitted);
      out.append(note);
    }
    if (shown) out.append(document.createTextNode(shown));
    if (entry.stderr) {
      const s = document.createElement("span");
      s.className = "stderr";
      s.textContent = entry.stderr;
      out.append(s);
    }
    if (entry.note) {
      const n = document.createElement("span");
      n.className = "term-note";
      n.textContent = entry.note;
      out.append(n);
    }
    div.append(out);
    if (entry.step) {
      div.dataset.step = "true";
      if (entry.undo) div.append(undoButton(entry));
    }
    els.output.append(div);
    els.output.scrollTop = els.output.scrollHeight;
  }

  // "undo step": takes back exactly the step this entry added (undoEdit), once.
  function undoButton(entry) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "term-undo";
    button.textContent = "undo step";
    button.setAttribute("aria-label", `undo the step ${entry.undo.run} at ${host.formatDuration(entry.at)}`);
    button.addEventListener("click", () => {
      const { before, after, run } = entry.undo;
      const next = undoEdit(before, after, host.getYaml());
      const at = host.cursorMs();
      if (next === null) {
        inOrder(() => print({ at, command: "undo step", stdout: "", stderr: "error: the YAML around this step changed since it was added: remove the step in the editor (Ctrl-Z undoes edits)\n" }));
        return;
      }
      button.disabled = true;
      button.textContent = "step undone";
      const shown = host.load(next);
      inOrder(async () => {
        await shown;
        print({ at, command: "undo step", stdout: "", stderr: "", note: `# removed from the scenario: the step at ${host.formatDuration(entry.at)}, ${run}\n` });
      });
    });
    return button;
  }

  function print(entry) {
    entries.push(entry);
    render(entry);
  }

  function remember(line) {
    if (history[history.length - 1] !== line) history.push(line);
    if (history.length > HISTORY_MAX) history.splice(0, history.length - HISTORY_MAX);
    if (!host.readonly) saveHistory(history);
    historyIndex = history.length;
    draft = "";
  }

  const NO_SIMULATION = "error: the YAML has problems (see the editor), or it is not simulated; fix it or run it first\n";
  const NO_ANSWER = "error: the engine did not answer (see the status line); try again\n";

  // A line as the scrollback shows it: as typed (pipes and all), `kubectl` first unless it is a
  // `podplay` line.
  const shown = stepCommand;

  function runRead(command, shownLine, filters) {
    const at = host.cursorMs();
    inOrder(async () => {
      const sim = host.simulation();
      if (!sim || !sim.ok) { print({ at, command: shownLine, stdout: "", stderr: NO_SIMULATION }); return; }
      const [out] = await host.kubectlBatch([command], at);
      print({ at, command: shownLine, stdout: runFilters(out?.stdout ?? "", filters), stderr: out ? out.stderr : NO_ANSWER });
    });
  }

  // A command of a verb that may change the cluster: tried at the cursor on the shown
  // simulation's session; a step only when the engine says it changed the cluster.
  function runChange(command, shownLine, filters, manifest) {
    const at = host.cursorMs();
    const run = stepCommand(command);
    inOrder(async () => {
      const sim = host.simulation();
      if (!sim || !sim.ok) { print({ at, command: shownLine, manifest, stdout: "", stderr: NO_SIMULATION }); return; }
      const tried = await host.tryCommand(command, manifest ?? null, at);
      if (!tried) { print({ at, command: shownLine, manifest, stdout: "", stderr: NO_ANSWER }); return; }
      if (tried.changed && host.readonly) {
        print({ at, command: shownLine, manifest, stdout: "", stderr: READ_ONLY_REFUSAL });
        return;
      }
      if (!tried.changed) {
        print({
          at, command: shownLine, manifest,
          stdout: runFilters(tried.stdout, filters), stderr: tried.stderr,
          note: "# changed nothing in the cluster: not added to the scenario\n",
        });
        return;
      }
      const before = host.getYaml();
      const added = host.engine.addStep(before, at / 1000, run, manifest ?? undefined);
      if (!added.ok) {
        print({ at, command: shownLine, manifest, stdout: runFilters(tried.stdout, filters), stderr: tried.stderr + added.diagnostics.map((d) => `error: the step could not be added: ${d.text}\n`).join("") });
        return;
      }
      await host.load(added.yaml);
      // The run of this YAML, unless a newer edit or a Cancel replaced it before it finished.
      const after = host.simulationOf(added.yaml);
      const outs = (after?.steps ?? []).filter((s) => s.at === at && s.command === run);
      const out = outs[outs.length - 1];
      const when = host.formatDuration(at);
      const why = after ? `it did not run; is the time within "Simulate for"?` : "its simulation did not finish";
      print({
        at, command: shownLine, manifest, step: true,
        undo: { before, after: added.yaml, run },
        stdout: runFilters(out ? out.stdout : tried.stdout, filters),
        stderr: out ? out.stderr : tried.stderr,
        note: out ? `# added to the scenario: a step at ${when}\n` : `# added to the scenario: a step at ${when} (${why})\n`,
      });
    });
  }

  function submit(line) {
    if (pendingApply) {
      if (pendingApply.until !== null && line.trim() === pendingApply.until) { finishApply(false); return; }
      pendingApply.lines.push(line);
      showHint(pendingApply.until !== null ? `> manifest: end with ${pendingApply.until} on its own line (Escape cancels)` : "> manifest: end with Ctrl-D (Escape cancels)");
      return;
    }
    const trimmed = line.trim();
    const parsed = parseLine(trimmed);
    const kind = classify(parsed.error ? trimmed : parsed.command, vocab);
    if (kind === "empty") return;
    remember(trimmed);
    if (kind === "clear") { inOrder(() => { entries.length = 0; els.output.replaceChildren(); }); return; }
    if (kind === "help") { const at = host.cursorMs(); inOrder(() => print({ at, command: "help", stdout: HELP, stderr: "" })); return; }
    const shownLine = shown(trimmed);
    if (parsed.error) {
      const at = host.cursorMs();
      inOrder(() => print({ at, command: shownLine, stdout: "", stderr: `error: ${parsed.error}\n` }));
      return;
    }
    const { command, filters, heredoc } = parsed;
    const { words } = splitWords(command);
    const args = words[0] === "kubectl" ? words.slice(1) : words;
    const feedsManifest = (args[0] === "apply" || args[0] === "create") && args.includes("-");
    if (heredoc !== null && !feedsManifest) {
      const at = host.cursorMs();
      inOrder(() => print({ at, command: shownLine, stdout: "", stderr: "error: a heredoc feeds `apply -f -` or `create -f -` here\n" }));
      return;
    }
    if (kind === "change") {
      const shell = interactiveShell(args);
      if (shell) {
        const at = host.cursorMs();
        inOrder(() => print({ at, command: shownLine, stdout: "", stderr: "", note: shellExplanation(shell) }));
        return;
      }
      if (feedsManifest) {
        pendingApply = { command, shownLine, filters, lines: [], until: heredoc };
        els.prompt.textContent = ">";
        showHint(heredoc !== null ? `Type or paste the manifest (YAML), then ${heredoc} on its own line; Escape cancels.` : "Type or paste the manifest (YAML), then Ctrl-D; Escape cancels.");
        return;
      }
      runChange(command, shownLine, filters);
      return;
    }
    runRead(command, shownLine, filters);
  }

  function finishApply(cancel) {
    const p = pendingApply;
    pendingApply = null;
    els.prompt.textContent = promptText;
    showHint("");
    if (!cancel && p) runChange(p.command, p.shownLine, p.filters, p.lines.join("\n") + "\n");
  }

  function showHint(text) {
    els.hint.textContent = text;
  }

  // Completes the word at the caret: at once when the page knows the object names at the cursor,
  // else when the engine has told them (if the line and the caret have not moved meanwhile).
  function complete() {
    const names = host.namesNow();
    if (names) { completeWith(names); return; }
    const { value, selectionStart } = els.input;
    host.objectNames().then((later) => {
      if (els.input.value === value && els.input.selectionStart === selectionStart) completeWith(later);
    });
  }

  function completeWith(names) {
    const caret = els.input.selectionStart ?? els.input.value.length;
    const head = els.input.value.slice(0, caret);
    const tail = els.input.value.slice(caret);
    const { current, candidates } = completions(head, names, vocab);
    if (!candidates.length) { showHint(""); return; }
    let insert;
    if (candidates.length === 1) insert = shellWord(candidates[0]) + (candidates[0].endsWith("=") || candidates[0].endsWith("/") ? "" : " ");
    else {
      insert = commonPrefix(candidates);
      showHint(candidates.join("  "));
    }
    if (insert.length < current.length || insert === current) return;
    const value = head.slice(0, head.length - current.length) + insert + tail;
    els.input.value = value;
    const pos = value.length - tail.length;
    els.input.setSelectionRange(pos, pos);
    if (candidates.length === 1) showHint("");
  }

  els.form.addEventListener("submit", (e) => {
    e.preventDefault();
    const line = els.input.value;
    els.input.value = "";
    showHint(pendingApply ? els.hint.textContent : "");
    submit(line);
  });

  // A paste of several lines runs its whole lines one after another, as a terminal runs a pasted
  // block (a manifest after `apply -f -`, or a whole heredoc, keeps its lines); what follows the
  // last line break stays at the prompt.
  els.input.addEventListener("paste", (e) => {
    const text = e.clipboardData?.getData("text/plain") ?? "";
    const { value } = els.input;
    const split = pasteLines(value, els.input.selectionStart ?? value.length, els.input.selectionEnd ?? value.length, text);
    if (!split) return;
    e.preventDefault();
    els.input.value = "";
    for (const line of split.lines) submit(line);
    els.input.value = split.rest;
  });

  els.input.addEventListener("keydown", (e) => {
    if (e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !pendingApply) {
      // Tab completes while there is something to complete; on an empty line it moves focus on,
      // so keyboard users can still leave the terminal.
      if (els.input.value.trim() === "") return;
      e.preventDefault();
      complete();
      return;
    }
    if ((e.key === "d" || e.key === "D") && e.ctrlKey && pendingApply) {
      e.preventDefault();
      if (els.input.value) pendingApply.lines.push(els.input.value);
      els.input.value = "";
      finishApply(false);
      return;
    }
    if (e.key === "Escape" && pendingApply) { e.preventDefault(); els.input.value = ""; finishApply(true); return; }
    if (e.key === "ArrowUp" && !pendingApply) {
      if (historyIndex === 0) return;
      e.preventDefault();
      if (historyIndex === history.length) draft = els.input.value;
      historyIndex -= 1;
      els.input.value = history[historyIndex];
      return;
    }
    if (e.key === "ArrowDown" && !pendingApply) {
      if (historyIndex >= history.length) return;
      e.preventDefault();
      historyIndex += 1;
      els.input.value = historyIndex === history.length ? draft : history[historyIndex];
    }
  });

  return {
    entries,
    run: submit,
    // For the library: put a suggested command at the prompt, not run it.
    suggest(command) { els.input.value = command.replace(/^kubectl\s+/, ""); },
    get history() { return history.slice(); },
  };
}
