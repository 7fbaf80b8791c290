// Schema-driven help in the YAML editor: completion of field names (at the cursor's nesting)
// and of enumerated values, and hover docs (type, default, meaning). The schema is the
// engine's own (wasm `schema()`, from crates/podplay-core/src/schema.rs), so the editor offers
// exactly what the loader accepts.
//
// The YAML path at the cursor is read from the text by indentation rather than from the Lezer
// tree: while a key is half typed (`  periodS`) the tree is in error recovery and no longer
// says which mapping the line belongs to; indentation still does.
import { autocompletion } from "@codemirror/autocomplete";
import { hoverTooltip, EditorView } from "@codemirror/view";

// ---- reading YAML structure from lines ----

// One line: its indentation, the columns of its `- ` item markers, and its `key:` if any.
export function parseLine(text) {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return { blank: true };
  if (/^(---|\.\.\.)(\s|$)/.test(text)) return { boundary: true };
  const indent = text.length - text.trimStart().length;
  const dashCols = [];
  let col = indent;
  while (text[col] === "-" && (col + 1 === text.length || /\s/.test(text[col + 1]))) {
    dashCols.push(col);
    col++;
    while (col < text.length && text[col] === " ") col++;
  }
  const rest = text.slice(col);
  const m = /^("[^"]*"|'[^']*'|[^\s#"'{}[\],:][^#:]*?)\s*:(?=\s|$)(.*)$/.exec(rest);
  const out = { indent, dashCols, contentCol: col };
  if (m) {
    out.key = m[1].replace(/^["']|["']$/g, "");
    out.keyCol = col;
    const value = m[2].replace(/\s#.*$/, "").trim();
    out.value = value;
    out.valueEmpty = value === "" || value === "|" || value === ">" || /^[|>][-+0-9]*$/.test(value);
  }
  return out;
}

// The first and last line (0-based, inclusive) of the YAML document holding line `at`.
function documentRange(lines, at) {
  let first = at;
  while (first > 0 && !parseLine(lines[first - 1]).boundary) first--;
  if (parseLine(lines[first]).boundary) first++;
  let last = at;
  while (last + 1 < lines.length && !parseLine(lines[last + 1]).boundary) last++;
  return [first, last];
}

// The path (outermost first) of the mapping a key at column `keyCol` on line `at` belongs to,
// `dashCols` being the item markers before it on that line. Segments are {key, line} or
// {item: true, line}. Null when the lines above do not nest consistently.
export function containerPath(lines, at, keyCol, dashCols, firstLine = 0) {
  const segs = [];
  let mode = "map";
  let col = keyCol;
  const enterItems = (dashes, line) => {
    for (let k = dashes.length - 1; k >= 0; k--) segs.unshift({ item: true, line });
    col = dashes[0];
    mode = "seq";
  };
  if (dashCols.length) enterItems(dashCols, at);
  for (let i = at - 1; i >= firstLine; i--) {
    const p = parseLine(lines[i]);
    if (p.blank) continue;
    if (p.boundary) break;
    if (mode === "map") {
      if (p.key !== undefined && p.keyCol === col) {
        // A sibling key; when it starts a list item, this mapping is that item.
        if (p.dashCols.length) enterItems(p.dashCols, i);
        continue;
      }
      if (p.indent > col || p.dashCols[0] === col) continue; // deeper lines, or a sibling's compact list
    } else {
      if (p.dashCols.length && p.dashCols[0] === col) {
        // The first line of an earlier item of the same list.
        continue;
      }
      if (p.indent > col) continue;
      if (p.key !== undefined && p.keyCol === col && p.valueEmpty) {
        // `containers:` with its items at its own indentation.
        segs.unshift({ key: p.key, line: i });
        col = p.keyCol;
        mode = "map";
        if (p.dashCols.length) enterItems(p.dashCols, i);
        continue;
      }
    }
    if (p.key !== undefined && p.keyCol < col && p.valueEmpty) {
      segs.unshift({ key: p.key, line: i });
      col = p.keyCol;
      mode = "map";
      if (p.dashCols.length) enterItems(p.dashCols, i);
      continue;
    }
    return null;
  }
  // A consistent path ends at the document's top-level mapping.
  return mode === "map" && col === 0 ? segs : null;
}

// The `kind:` of the document (or of a List item starting at `itemLine`).
function kindIn(lines, first, last, keyCol) {
  for (let i = first; i <= last; i++) {
    const p = parseLine(lines[i]);
    if (p.key === "kind" && p.keyCol === keyCol) return p.value.replace(/^["']|["']$/g, "");
  }
  return null;
}

function itemRange(lines, itemLine) {
  const p = parseLine(lines[itemLine]);
  const dash = p.dashCols[p.dashCols.length - 1] ?? p.indent;
  let last = itemLine;
  for (let i = itemLine + 1; i < lines.length; i++) {
    const q = parseLine(lines[i]);
    if (q.blank) continue;
    if (q.boundary || q.indent <= dash) break;
    last = i;
  }
  return [itemLine, last, p.contentCol];
}

// The keys already written in the mapping a key at (`at`, `keyCol`) belongs to.
function siblingKeys(lines, at, keyCol, startsItem) {
  const keys = new Set();
  const scan = (from, step) => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const p = parseLine(lines[i]);
      if (p.blank) continue;
      if (p.boundary) return;
      if (step > 0 && p.dashCols.length && p.dashCols[p.dashCols.length - 1] < keyCol) return; // the next item
      if (p.key !== undefined && p.keyCol === keyCol) {
        keys.add(p.key);
        if (step < 0 && p.dashCols.length) return; // this item's first line
        continue;
      }
      if (p.indent > keyCol || p.dashCols[0] === keyCol) continue; // deeper, or a sibling's compact list
      return;
    }
  };
  if (!startsItem) scan(at - 1, -1);
  scan(at + 1, 1);
  return keys;
}

// ---- the schema ----

function rootObject(schema, kind) {
  const k = schema.kinds.find((x) => x.kind === kind);
  return k ? schema.objects[k.object] : null;
}

// Fields every document may start with, when its kind is not known yet.
function topLevel(schema) {
  const apiVersions = [...new Set(schema.kinds.map((k) => k.apiVersion))];
  return {
    fields: [
      { name: "apiVersion", type: "string", shape: "one", values: apiVersions, doc: "The API group/version of the kind.", simulated: true, required: true },
      { name: "kind", type: "string", shape: "one", values: schema.kinds.map((k) => k.kind), doc: "The kind of object this document is.", simulated: true, required: true },
    ],
    oneOf: [],
  };
}

// Walks `segs` from the document's kind: {object} for a mapping, or null.
function objectAtPath(schema, lines, segs, docFirst, docLast) {
  let obj = rootObject(schema, kindIn(lines, docFirst, docLast, 0)) ?? topLevel(schema);
  let list = null; // the field whose items the next segment enters
  for (const s of segs) {
    if (s.item) {
      if (!list) return null;
      if (list.type === "manifest") {
        const [first, last, keyCol] = itemRange(lines, s.line);
        obj = rootObject(schema, kindIn(lines, first, last, keyCol)) ?? topLevel(schema);
      } else if (list.type === "object") {
        obj = schema.objects[list.object];
      } else {
        return null;
      }
      list = null;
      continue;
    }
    if (list) return null;
    const f = obj.fields.find((x) => x.name === s.key);
    if (!f) return null;
    if (f.shape === "list") list = f;
    else if (f.type === "object") obj = schema.objects[f.object];
    else return null;
  }
  return list ? null : obj;
}

// The schema field of the key at (line, keyCol), with the object holding it; or null.
export function fieldAt(schema, lines, line, parsed) {
  const [first, last] = documentRange(lines, line);
  const segs = containerPath(lines, line, parsed.keyCol, parsed.dashCols, first);
  if (!segs) return null;
  const obj = objectAtPath(schema, lines, segs, first, last);
  if (!obj) return null;
  if (segs.length === 0 && (parsed.key === "kind" || parsed.key === "apiVersion")) {
    // At the top, offer every kind and version, not only the document's own.
    return { field: topLevel(schema).fields.find((f) => f.name === parsed.key), object: obj, segs };
  }
  const field = obj.fields.find((f) => f.name === parsed.key);
  return field ? { field, object: obj, segs } : null;
}

export function typeText(f) {
  const base = f.type === "object" ? f.object : f.type;
  const shape = f.shape === "list" ? `list of ${base}` : f.shape === "map" ? `map of ${base}` : base;
  return shape;
}

export function defaultText(f) {
  if (f.default !== undefined && f.default !== null) return `default ${f.default === "" ? '""' : f.default}`;
  if (f.defaultNote) return `default: ${f.defaultNote}`;
  return f.required ? "required" : "";
}

// `failureThreshold (integer, default 3)`
export function signature(f) {
  const parts = [typeText(f), defaultText(f)].filter(Boolean);
  return `${f.name} (${parts.join(", ")})`;
}

function infoNode(f) {
  const el = document.createElement("div");
  el.className = "cm-schema-doc";
  const head = document.createElement("div");
  head.className = "cm-schema-sig";
  head.textContent = signature(f);
  el.append(head);
  if (f.values && f.values.length) {
    const v = document.createElement("div");
    v.className = "cm-schema-values";
    v.textContent = `one of: ${f.values.map((x) => (x === "" ? '""' : x)).join(" | ")}`;
    el.append(v);
  }
  const doc = document.createElement("div");
  doc.textContent = f.doc;
  el.append(doc);
  if (!f.simulated) {
    const n = document.createElement("div");
    n.className = "cm-schema-note";
    n.textContent = "(not simulated)";
    el.append(n);
  }
  return el;
}

// ---- CodeMirror ----

function linesOf(state) {
  return state.doc.toString().split("\n");
}

function completionSource(schema) {
  return (context) => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const lines = linesOf(context.state);
    const at = line.number - 1;

    // A value after `key: `.
    const parsed = parseLine(before);
    if (parsed.key !== undefined && /:\s+\S*$/.test(before) && !/[[{]/.test(parsed.value)) {
      const found = fieldAt(schema, lines, at, parsed);
      if (!found) return null;
      const f = found.field;
      const values = f.values?.length ? f.values : f.type === "boolean" ? ["true", "false"] : [];
      if (!values.length) return null;
      const typed = /\S*$/.exec(before)[0];
      return {
        from: context.pos - typed.length,
        options: values.map((v, i) => ({
          label: v === "" ? '""' : v,
          type: "enum",
          detail: v === f.default ? "default" : undefined,
          boost: v === f.default ? 1 : -i / 100,
        })),
        validFor: /^[\w.\/"-]*$/,
      };
    }

    // A key being typed at the start of a line (possibly after `- `).
    const m = /^(\s*)((?:-\s+)*)([\w.\/-]*)$/.exec(before);
    if (!m) return null;
    if (!m[3] && !context.explicit) return null;
    const keyCol = m[1].length + m[2].length;
    const dashCols = [];
    for (let c = m[1].length; c < keyCol; c++) if (before[c] === "-") dashCols.push(c);
    const [first, last] = documentRange(lines, at);
    const segs = containerPath(lines, at, keyCol, dashCols, first);
    if (!segs) return null;
    const obj = objectAtPath(schema, lines, segs, first, last);
    if (!obj) return null;
    const all = segs.length === 0 && !rootObject(schema, kindIn(lines, first, last, 0)) ? topLevel(schema).fields : obj.fields;
    const written = siblingKeys(lines, at, keyCol, dashCols.length > 0);
    const fields = all.filter((f) => !written.has(f.name));
    return {
      from: context.pos - m[3].length,
      options: fields.map((f) => ({
        label: f.name,
        type: "property",
        detail: [typeText(f), defaultText(f)].filter(Boolean).join(", "),
        info: () => infoNode(f),
        apply: `${f.name}: `,
        boost: f.simulated ? 0 : -1,
      })),
      validFor: /^[\w.\/-]*$/,
    };
  };
}

function hoverSource(schema) {
  return hoverTooltip((view, pos) => {
    const line = view.state.doc.lineAt(pos);
    const parsed = parseLine(line.text);
    if (parsed.key === undefined) return null;
    const keyFrom = line.from + parsed.keyCol;
    const keyTo = keyFrom + line.text.slice(parsed.keyCol).indexOf(":");
    if (pos < keyFrom || pos > keyTo) return null;
    const found = fieldAt(schema, linesOf(view.state), line.number - 1, parsed);
    if (!found) return null;
    return {
      pos: keyFrom,
      end: keyTo,
      above: true,
      create: () => ({ dom: infoNode(found.field) }),
    };
  });
}

// Tooltips in the page's colours (light and dark).
const tooltipTheme = EditorView.theme({
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "var(--accent)", color: "var(--bg)" },
  ".cm-completionDetail": { color: "var(--muted)", fontStyle: "normal", marginLeft: "0.8em" },
});

// The editor extensions: completion (Ctrl-Space, or as you type) and hover docs.
export function schemaSupport(schema) {
  if (!schema || !schema.kinds) return [];
  return [autocompletion({ override: [completionSource(schema)], icons: false }), hoverSource(schema), tooltipTheme];
}
