// "Why" in the editor: a timeline change carries the spec fields its rule read (engine
// `Change.fields`, located in the YAML by `source::locate`). Selecting a change highlights
// them: a written field's lines, or, for a default, the enclosing block's key line with a note
// "failureThreshold (default 3)". The table's cause cell lists the same fields.
import { StateEffect, StateField, RangeSetBuilder } from "@codemirror/state";
import { EditorView, Decoration, WidgetType } from "@codemirror/view";

const setFields = StateEffect.define();

class DefaultNote extends WidgetType {
  constructor(text) {
    super();
    this.text = text;
  }
  eq(other) {
    return other.text === this.text;
  }
  toDOM() {
    const el = document.createElement("span");
    el.className = "cm-why-note";
    el.textContent = this.text;
    return el;
  }
}

// `periodSeconds: 3` when written, `failureThreshold (default 3)` when the API server's
// default (the object's text was found, the field is not in it).
export function fieldText(f) {
  const name = f.name; // below its container: the change's own, so that prefix says nothing
  return f.span && !f.span.exact ? `${name} (default ${f.value})` : `${name}: ${f.value}`;
}

function decorationsFor(doc, fields) {
  const lines = new Map(); // line number → {cls, notes}
  for (const f of fields) {
    if (!f.span) continue;
    const from = Math.min(Math.max(1, f.span.line), doc.lines);
    const to = Math.min(Math.max(from, f.span.endLine), doc.lines);
    if (f.span.exact) {
      for (let n = from; n <= to; n++) {
        const e = lines.get(n) ?? { classes: new Set(), notes: [] };
        e.classes.add("cm-why-field");
        lines.set(n, e);
      }
    } else {
      const e = lines.get(from) ?? { classes: new Set(), notes: [] };
      e.classes.add("cm-why-default");
      // On `livenessProbe:`, "failureThreshold (default 3)": the block already says where.
      const inBlock = f.span.path && f.path.startsWith(`${f.span.path}.`);
      e.notes.push(`${inBlock ? f.path.slice(f.span.path.length + 1) : f.name} (default ${f.value})`);
      lines.set(from, e);
    }
  }
  const builder = new RangeSetBuilder();
  for (const n of [...lines.keys()].sort((a, b) => a - b)) {
    const { classes, notes } = lines.get(n);
    const line = doc.line(n);
    builder.add(line.from, line.from, Decoration.line({ class: [...classes].join(" ") }));
    if (notes.length) builder.add(line.to, line.to, Decoration.widget({ widget: new DefaultNote(notes.join(", ")), side: 1 }));
  }
  return builder.finish();
}

const whyField = StateField.define({
  create: () => Decoration.none,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setFields)) return decorationsFor(tr.state.doc, e.value);
    // An edit moves the marks with the text; the next selection recomputes them.
    return tr.docChanged ? value.map(tr.changes) : value;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function whyHighlight() {
  return [whyField];
}

// Highlights the change's fields and scrolls the first one into view (no fields: clears).
export function showChangeFields(view, change) {
  const fields = change?.fields ?? [];
  const effects = [setFields.of(fields)];
  const first = fields.find((f) => f.span && f.span.exact) ?? fields.find((f) => f.span);
  if (first) {
    const line = view.state.doc.line(Math.min(Math.max(1, first.span.line), view.state.doc.lines));
    effects.push(EditorView.scrollIntoView(line.from, { y: "center" }));
  }
  view.dispatch({ effects });
}

// The cause cell: the rule in words, then the fields it read (each one highlights itself).
export function renderCause(td, change, onPick) {
  td.textContent = change.cause;
  if (!change.fields || !change.fields.length) return;
  const list = document.createElement("ul");
  list.className = "why-fields";
  for (const f of change.fields) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.className = f.span && f.span.exact ? "why-field written" : "why-field default";
    b.textContent = fieldText(f);
    b.title = `${f.path}${f.span ? ` (line ${f.span.line})` : ""}: show it in the YAML`;
    b.addEventListener("click", (e) => { e.stopPropagation(); onPick(f); });
    li.append(b);
    list.append(li);
  }
  td.append(list);
}
