// The little shell around kubectl in the page's terminal, as pure functions: what a line holds
// besides kubectl's own words (a pipeline into grep, head, tail, wc or sort; a heredoc feeding
// `apply -f -`), those filters themselves (run on the text kubectl printed), a paste of several
// lines, an interactive shell asked for, and taking back a step the terminal wrote into the YAML.
// Nothing here runs a program or turns text into code: a grep pattern becomes a RegExp that is
// matched against the terminal's own output.

// What may follow `|`: these, run on kubectl's standard output (its errors are not piped).
export const FILTERS = ["grep", "head", "tail", "wc", "sort"];

const FILTER_HELP = `after | the terminal applies ${FILTERS.join(", ")} to what kubectl printed`;

// A line as a shell reads it: the kubectl command (its text, quotes kept, for kubectl to split),
// the filters after its unquoted `|` ({name, words, run(text)}), and the delimiter of a heredoc
// (`<<EOF`, `<<-'EOF'`) when the command reads one. `{error}` for what the terminal cannot do
// (`;`, `&&`, a redirection, a filter it does not have, a filter's option it does not know).
export function parseLine(line) {
  const segments = [];
  let cur = "";
  let quote = null;
  let heredoc = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) { cur += c + line[++i]; continue; }
      cur += c;
      continue;
    }
    if (c === "'" || c === '"') { quote = c; cur += c; continue; }
    if (c === "\\" && i + 1 < line.length) { cur += c + line[++i]; continue; }
    if (c === "|") {
      if (line[i + 1] === "|") return { error: "the terminal runs one kubectl command at a time: no `||`" };
      segments.push(cur);
      cur = "";
      continue;
    }
    if (c === "<" && line[i + 1] === "<" && segments.length === 0) {
      const m = /^<<(-?)\s*(?:'([^']*)'|"([^"]*)"|([A-Za-z0-9_.-]+))/.exec(line.slice(i));
      if (!m || heredoc) return { error: "a heredoc is written `<<EOF`, then the lines, then EOF alone on its line" };
      heredoc = m[2] ?? m[3] ?? m[4];
      i += m[0].length - 1;
      continue;
    }
    if (c === ";" || c === "&" || c === ">" || c === "<" || c === "`") {
      const what = c === ";" ? "`;`" : c === "&" ? "`&` or `&&`" : c === "`" ? "backquotes" : "redirections (`>`, `<`)";
      return { error: `the terminal runs one kubectl command at a time, without ${what}; ${FILTER_HELP}` };
    }
    cur += c;
  }
  // An open quote at the end is kubectl's to report (it splits the command's words).
  segments.push(cur);
  const command = segments[0].trim();
  const filters = [];
  for (const segment of segments.slice(1)) {
    const words = splitShellWords(segment);
    if (!words.length) return { error: `a pipe needs a command after |: ${FILTER_HELP}` };
    const filter = makeFilter(words);
    if (filter.error) return { error: filter.error };
    filters.push(filter);
  }
  if (segments.length > 1 && !command) return { error: "a pipe needs a kubectl command before |" };
  return { command, filters, heredoc };
}

// Words of a filter's arguments, as a shell splits them (quotes, backslashes).
function splitShellWords(text) {
  const words = [];
  let cur = "";
  let inWord = false;
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') { quote = c; inWord = true; }
    else if (c === "\\" && i + 1 < text.length) { cur += text[++i]; inWord = true; }
    else if (/\s/.test(c)) { if (inWord) { words.push(cur); cur = ""; inWord = false; } }
    else { cur += c; inWord = true; }
  }
  if (inWord) words.push(cur);
  return words;
}

// Runs `text` through the filters in turn.
export function runFilters(text, filters) {
  return filters.reduce((t, f) => f.run(t), text);
}

// The lines of a text (the last one's line break optional), and back.
const linesOf = (text) => {
  if (!text) return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
};
const textOf = (lines) => lines.map((l) => `${l}\n`).join("");

// A filter from its words ({name, words, run} or {error}).
export function makeFilter(words) {
  const [name, ...args] = words;
  const makers = { grep: grepFilter, head: (a) => endsFilter("head", a), tail: (a) => endsFilter("tail", a), wc: wcFilter, sort: sortFilter };
  if (!Object.hasOwn(makers, name)) return { error: `the terminal cannot run "${name}" here: ${FILTER_HELP}` };
  const made = makers[name](args);
  return made.error ? made : { name, words, run: made.run };
}

const unknownOption = (name, option, known) => ({ error: `${name}: the terminal's ${name} knows ${known}, not ${option}` });

// grep [-i] [-v] [-c] [-n] [-w] [-x] [-E|-F] [-e] PATTERN: a basic regular expression as GNU grep
// reads it (`\|`, `\(`, `\+` are operators; `|`, `(`, `+` are themselves), -E an extended one.
function grepFilter(args) {
  const flags = new Set();
  let pattern = null;
  let options = true; // GNU grep reads options anywhere, up to `--`
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (options && a === "--") { options = false; continue; }
    if (options && pattern === null && a === "-e") { pattern = args[++i] ?? null; if (pattern === null) return { error: "grep: -e needs a pattern" }; continue; }
    if (options && a.startsWith("-") && a.length > 1) {
      for (const f of a.slice(1)) {
        if (!"ivcnwxEF".includes(f)) return unknownOption("grep", `-${f}`, "-i, -v, -c, -n, -w, -x, -E, -F and -e");
        flags.add(f);
      }
      continue;
    }
    if (pattern !== null) return { error: "grep: the terminal's grep reads what kubectl printed, not files: one pattern only" };
    pattern = a;
  }
  if (pattern === null) return { error: "grep: a pattern is needed, e.g. | grep Running" };
  let source = flags.has("F") ? pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : flags.has("E") ? pattern : breToJs(pattern);
  if (flags.has("w")) source = `(?<![\\w])(?:${source})(?![\\w])`;
  if (flags.has("x")) source = `^(?:${source})$`;
  let re;
  try { re = new RegExp(source, flags.has("i") ? "i" : ""); } catch { return { error: `grep: ${JSON.stringify(pattern)} is not a pattern grep reads` }; }
  return {
    run(text) {
      const kept = [];
      linesOf(text).forEach((line, i) => { if (re.test(line) !== flags.has("v")) kept.push(flags.has("n") ? `${i + 1}:${line}` : line); });
      return flags.has("c") ? `${kept.length}\n` : textOf(kept);
    },
  };
}

// A POSIX basic regular expression as a JavaScript one.
export function breToJs(bre) {
  let out = "";
  for (let i = 0; i < bre.length; i++) {
    const c = bre[i];
    if (c === "[") {
      // A bracket expression as it is (a `]` first, or after `^`, is one of its characters; a
      // backslash in it is itself).
      let j = i + 1;
      if (bre[j] === "^") j++;
      if (bre[j] === "]") j++;
      while (j < bre.length && bre[j] !== "]") j++;
      if (j >= bre.length) { out += "\\["; continue; }
      const body = bre.slice(i + 1, j).replace(/\\/g, "\\\\").replace(/^(\^?)\]/, "$1\\]");
      out += `[${body}]`;
      i = j;
      continue;
    }
    if (c === "\\" && i + 1 < bre.length) {
      const n = bre[++i];
      out += "|+?(){}".includes(n) ? n : `\\${n}`;
      continue;
    }
    out += "|+?(){}".includes(c) ? `\\${c}` : c;
  }
  return out;
}

// head/tail [-n N | -N | --lines=N], and tail -n +N (from line N on).
function endsFilter(name, args) {
  let count = "10";
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-n") { count = args[++i]; continue; }
    if (/^-n./.test(a)) { count = a.slice(2); continue; }
    if (a.startsWith("--lines=")) { count = a.slice(8); continue; }
    if (/^-\d+$/.test(a)) { count = a.slice(1); continue; }
    return unknownOption(name, a, "-n N");
  }
  const m = /^(\+?)(\d+)$/.exec(count ?? "");
  if (!m || (m[1] && name === "head")) return { error: `${name}: invalid number of lines: ${JSON.stringify(count ?? "")}` };
  const n = Number(m[2]);
  const from = m[1] === "+";
  return {
    run(text) {
      const lines = linesOf(text);
      if (name === "head") return textOf(lines.slice(0, n));
      return textOf(from ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n));
    },
  };
}

// wc [-l] [-w] [-c]: GNU wc's counts of its standard input (one count alone, several in columns).
function wcFilter(args) {
  const want = new Set();
  for (const a of args) {
    if (!/^-[lwc]+$/.test(a)) return unknownOption("wc", a, "-l, -w and -c");
    for (const f of a.slice(1)) want.add(f);
  }
  const order = want.size ? ["l", "w", "c"].filter((f) => want.has(f)) : ["l", "w", "c"];
  return {
    run(text) {
      const counts = {
        l: (text.match(/\n/g) ?? []).length,
        w: text.split(/\s+/).filter(Boolean).length,
        c: new TextEncoder().encode(text).length,
      };
      const values = order.map((f) => String(counts[f]));
      return values.length === 1 ? `${values[0]}\n` : `${values.map((v) => v.padStart(7)).join(" ")}\n`;
    },
  };
}

// sort [-r] [-n] [-u] [-k N]: lines in byte order (LC_ALL=C), -n by their leading number, -k from
// the Nth blank-separated field on.
function sortFilter(args) {
  const flags = new Set();
  let key = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-k") { key = Number.parseInt(args[++i], 10); if (!(key >= 1)) return { error: "sort: -k needs a field number, e.g. -k 2" }; continue; }
    if (/^-k\d+$/.test(a)) { key = Number(a.slice(2)); continue; }
    if (!/^-[rnu]+$/.test(a)) return unknownOption("sort", a, "-r, -n, -u and -k N");
    for (const f of a.slice(1)) flags.add(f);
  }
  const keyOf = (line) => (key ? line.trim().split(/\s+/).slice(key - 1).join(" ") : line);
  const num = (s) => { const m = /^\s*(-?\d+(?:\.\d+)?)/.exec(s); return m ? Number(m[1]) : 0; };
  const byBytes = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    run(text) {
      const lines = linesOf(text);
      const cmp = (a, b) => (flags.has("n") ? num(keyOf(a)) - num(keyOf(b)) || byBytes(a, b) : byBytes(keyOf(a), keyOf(b)) || byBytes(a, b));
      let sorted = lines.slice().sort(cmp);
      if (flags.has("r")) sorted.reverse();
      if (flags.has("u")) sorted = sorted.filter((l, i) => i === 0 || cmp(sorted[i - 1], l) !== 0);
      return textOf(sorted);
    },
  };
}

// A paste of several lines into the prompt's input (`value`, its selection start..end): the
// whole lines to run one after another, as a terminal runs a pasted block, and what is left on
// the prompt. null when the paste holds no line break (the input takes it as it is).
export function pasteLines(value, start, end, pasted) {
  const text = String(pasted).replace(/\r\n?/g, "\n");
  if (!text.includes("\n")) return null;
  const lines = (value.slice(0, start) + text + value.slice(end)).split("\n");
  const rest = lines.pop();
  return { lines, rest };
}

const SHELLS = ["sh", "bash", "ash", "dash", "zsh"];

// `exec [-it] POD [-c C] -- sh` (or bash, ash, with at most -i/-l): an interactive shell, which
// the terminal does not simulate. kubectl's words (no leading `kubectl`) -> {pod, container} or
// null (any other command, `sh -c '...'` included).
export function interactiveShell(words) {
  if (words[0] !== "exec") return null;
  const dashes = words.indexOf("--");
  if (dashes < 0) return null;
  const [program, ...args] = words.slice(dashes + 1);
  if (!program || !SHELLS.includes(program.split("/").pop())) return null;
  if (!args.every((a) => ["-i", "-l", "--login", "-il", "-li"].includes(a))) return null;
  let pod = null;
  let container = null;
  const opts = words.slice(1, dashes);
  for (let i = 0; i < opts.length; i++) {
    const a = opts[i];
    if (a === "-c" || a === "--container") container = opts[++i] ?? null;
    else if (a.startsWith("--container=")) container = a.slice(12);
    else if (a === "-n" || a === "--namespace") i++;
    else if (!a.startsWith("-")) pod = a.replace(/^pods?\//, "");
  }
  return { pod: pod ?? "POD", container, shell: program };
}

// Takes back a step the terminal added: `before` and `after` are the YAML around its addStep,
// `current` the YAML now. When nothing changed since, `before` itself; else the text the add
// inserted (with what it replaced put back), when it is still there exactly once; else null
// (the YAML around the step was edited: the editor's own undo is the way).
export function undoEdit(before, after, current) {
  if (current === after) return before;
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  const inserted = after.slice(p, after.length - s);
  const replaced = before.slice(p, before.length - s);
  if (!inserted) return null;
  const at = current.indexOf(inserted);
  if (at < 0 || current.indexOf(inserted, at + 1) >= 0) return null;
  return current.slice(0, at) + replaced + current.slice(at + inserted.length);
}
