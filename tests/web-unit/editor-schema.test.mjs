// Unit tests of web/src/editor-schema.js: reading YAML structure from lines by indentation, and
// looking the key at a line up in a schema shaped like the engine's `schema()` export
// (crates/podplay-core/src/schema.rs: ExportSchema {kinds: [{apiVersion, kind, object}],
// objects: {Name: {fields: [{name, type, object?, shape, required, values, default?, defaultNote?,
// doc, simulated}], oneOf}}}). The module imports CodeMirror, which loads in Node from node_modules.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { containerPath, defaultText, fieldAt, parseLine, signature, typeText } from "../../web/src/editor-schema.js";

const F = (name, type, extra = {}) => ({ name, type, shape: "one", required: false, values: [], doc: `The ${name}.`, simulated: true, ...extra });
const SCHEMA = {
  kinds: [
    { apiVersion: "v1", kind: "Pod", object: "Pod" },
    { apiVersion: "v1", kind: "List", object: "List" },
    { apiVersion: "podplay.dev/v1alpha1", kind: "Scenario", object: "Scenario" },
  ],
  objects: {
    Pod: {
      fields: [
        F("apiVersion", "string", { required: true, values: ["v1"] }),
        F("kind", "string", { required: true, values: ["Pod"] }),
        F("metadata", "object", { object: "ObjectMeta" }),
        F("spec", "object", { object: "PodSpec" }),
        F("status", "any", { simulated: false }),
      ],
      oneOf: [],
    },
    ObjectMeta: { fields: [F("name", "string"), F("labels", "string", { shape: "map" })], oneOf: [] },
    PodSpec: {
      fields: [
        F("containers", "object", { object: "Container", shape: "list", required: true }),
        F("restartPolicy", "string", { values: ["Always", "OnFailure", "Never"], default: "Always" }),
      ],
      oneOf: [],
    },
    Container: {
      fields: [F("name", "string", { required: true }), F("image", "string"), F("livenessProbe", "object", { object: "Probe" }), F("args", "string", { shape: "list" })],
      oneOf: [],
    },
    Probe: { fields: [F("periodSeconds", "integer", { default: "10" }), F("failureThreshold", "integer", { default: "3" })], oneOf: [] },
    List: { fields: [F("apiVersion", "string"), F("kind", "string"), F("items", "manifest", { shape: "list" })], oneOf: [] },
    Scenario: { fields: [F("apiVersion", "string"), F("kind", "string"), F("until", "duration")], oneOf: [] },
  },
};

const DOC = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: nginx
    livenessProbe:
      periodSeconds: 5
  - name: side
    args:
    - a
    livenessProbe:
      failureThreshold: 1
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  spec:
    restartPolicy: Always
- kind: Scenario
  until: 5m
`.split("\n");
const lineOf = (text, from = 0) => {
  const i = DOC.indexOf(text, from);
  assert.ok(i >= 0, `no line ${JSON.stringify(text)}`);
  return i;
};
// The field at a line of DOC: "Object.field", or null.
const at = (lines, i) => {
  const found = fieldAt(SCHEMA, lines, i, parseLine(lines[i]));
  if (!found) return null;
  const objName = Object.keys(SCHEMA.objects).find((k) => SCHEMA.objects[k] === found.object) ?? "(top level)";
  return `${objName}.${found.field.name}`;
};

test("parseLine reads indentation, item markers and the key of a line", () => {
  assert.deepEqual(parseLine("kind: Pod"), { indent: 0, dashCols: [], contentCol: 0, key: "kind", keyCol: 0, value: "Pod", valueEmpty: false });
  assert.deepEqual(parseLine("  - name: web"), { indent: 2, dashCols: [2], contentCol: 4, key: "name", keyCol: 4, value: "web", valueEmpty: false });
  assert.deepEqual(parseLine("- - a: 1"), { indent: 0, dashCols: [0, 2], contentCol: 4, key: "a", keyCol: 4, value: "1", valueEmpty: false });
  assert.deepEqual(parseLine("spec:"), { indent: 0, dashCols: [], contentCol: 0, key: "spec", keyCol: 0, value: "", valueEmpty: true });
  assert.deepEqual(parseLine("  - "), { indent: 2, dashCols: [2], contentCol: 4 }, "an item marker alone");
  assert.deepEqual(parseLine("    - a"), { indent: 4, dashCols: [4], contentCol: 6 }, "a scalar item has no key");
});

test("parseLine: values, comments, quoted keys and keys with dots or slashes", () => {
  assert.equal(parseLine("  image: nginx:1.25").value, "nginx:1.25", "a colon inside the value");
  assert.equal(parseLine("url: http://x:80/").key, "url");
  assert.equal(parseLine("kind: Pod # the kind").value, "Pod", "a trailing comment is not the value");
  assert.equal(parseLine('"quoted key": 1').key, "quoted key");
  assert.equal(parseLine("'single': 2").key, "single");
  assert.equal(parseLine("app.kubernetes.io/name: web").key, "app.kubernetes.io/name");
  assert.equal(parseLine("k:v").key, undefined, "no space after the colon: a plain scalar, not a key");
  assert.equal(parseLine("[x]: 1").key, undefined, "a flow collection is not a key");
});

test("parseLine: block scalars and empty values count as empty (a nested block may follow)", () => {
  for (const v of ["", "|", ">", "|-", ">+", "|2", ">-2"]) assert.equal(parseLine(`data: ${v}`).valueEmpty, true, JSON.stringify(v));
  for (const v of ["x", "[]", "{}", "0", '""']) assert.equal(parseLine(`data: ${v}`).valueEmpty, false, JSON.stringify(v));
});

test("parseLine: blank and comment lines are blank, --- and ... are document boundaries", () => {
  for (const l of ["", "   ", "# a comment", "    # indented comment"]) assert.deepEqual(parseLine(l), { blank: true }, JSON.stringify(l));
  for (const l of ["---", "--- # next", "...", "--- !tag"]) assert.deepEqual(parseLine(l), { boundary: true }, JSON.stringify(l));
  assert.equal(parseLine("---x").boundary, undefined);
  assert.equal(parseLine("  ---").boundary, undefined, "an indented --- is not a boundary");
});

test("containerPath gives the mappings and list items that hold a key, outermost first", () => {
  const path = (text) => {
    const i = lineOf(text);
    const p = parseLine(DOC[i]);
    return containerPath(DOC, i, p.keyCol, p.dashCols, 0);
  };
  assert.deepEqual(path("kind: Pod"), []);
  assert.deepEqual(path("  name: web"), [{ key: "metadata", line: 2 }]);
  assert.deepEqual(path("    app: web"), [{ key: "metadata", line: 2 }, { key: "labels", line: 4 }]);
  assert.deepEqual(path("  - name: app"), [{ key: "spec", line: 6 }, { key: "containers", line: 8 }, { item: true, line: 9 }]);
  assert.deepEqual(path("      periodSeconds: 5"), [{ key: "spec", line: 6 }, { key: "containers", line: 8 }, { item: true, line: 9 }, { key: "livenessProbe", line: 11 }]);
  // The second item: its keys belong to the item starting at "- name: side", not the first one.
  assert.deepEqual(path("      failureThreshold: 1"), [{ key: "spec", line: 6 }, { key: "containers", line: 8 }, { item: true, line: 13 }, { key: "livenessProbe", line: 16 }]);
});

test("containerPath stops at the document boundary and handles nested item markers", () => {
  const i = lineOf("    restartPolicy: Always");
  const p = parseLine(DOC[i]);
  assert.deepEqual(containerPath(DOC, i, p.keyCol, p.dashCols, 0), [{ key: "items", line: 21 }, { item: true, line: 22 }, { key: "spec", line: 24 }]);
  // An indented key right after --- cannot belong to a mapping of the document before it.
  assert.equal(containerPath(["spec:", "  x: 1", "---", "  y: 2"], 3, 2, [], 0), null);
  assert.deepEqual(containerPath(["spec:", "  x: 1", "", "  y: 2"], 3, 2, [], 0), [{ key: "spec", line: 0 }], "a blank line is no boundary");
  const nested = ["matrix:", "- - a: 1", "    b: 2"];
  assert.deepEqual(containerPath(nested, 1, 4, [0, 2]), [{ key: "matrix", line: 0 }, { item: true, line: 1 }, { item: true, line: 1 }]);
  assert.deepEqual(containerPath(nested, 2, 4, []), [{ key: "matrix", line: 0 }, { item: true, line: 1 }, { item: true, line: 1 }]);
});

test("containerPath is null when the lines above do not nest (a key under a scalar, no top-level mapping)", () => {
  assert.equal(containerPath(["kind: Pod", "  name: x"], 1, 2, []), null, "under a key that has a value");
  assert.equal(containerPath(["  spec:", "    x: 1"], 1, 4, []), null, "the outermost mapping is not at column 0");
  assert.equal(containerPath(["- a: 1"], 0, 2, [0]), null, "a top-level list");
});

test("fieldAt finds the schema field of a key at any depth, through objects and lists of objects", () => {
  assert.equal(at(DOC, lineOf("  name: web")), "ObjectMeta.name");
  assert.equal(at(DOC, lineOf("  restartPolicy: Never")), "PodSpec.restartPolicy");
  assert.equal(at(DOC, lineOf("  containers:")), "PodSpec.containers");
  assert.equal(at(DOC, lineOf("  - name: app")), "Container.name");
  assert.equal(at(DOC, lineOf("    image: nginx")), "Container.image");
  assert.equal(at(DOC, lineOf("      periodSeconds: 5")), "Probe.periodSeconds");
  assert.equal(at(DOC, lineOf("      failureThreshold: 1")), "Probe.failureThreshold");
  assert.equal(at(DOC, lineOf("    args:")), "Container.args");
  const found = fieldAt(SCHEMA, DOC, lineOf("      periodSeconds: 5"), parseLine(DOC[lineOf("      periodSeconds: 5")]));
  assert.equal(found.field.default, "10");
  assert.equal(found.segs.length, 4);
});

test("fieldAt is null for map keys, unknown keys, and keys under a scalar field", () => {
  assert.equal(at(DOC, lineOf("    app: web")), null, "a label name is not a field");
  assert.equal(at(["apiVersion: v1", "kind: Pod", "spec:", "  nope: 1"], 3), null, "not in PodSpec");
  assert.equal(at(["apiVersion: v1", "kind: Pod", "metadata:", "  name:", "    deeper: 1"], 4), null, "under a string field");
});

test("fieldAt reads a List's items by each item's own kind", () => {
  assert.equal(at(DOC, lineOf("items:")), "List.items");
  assert.equal(at(DOC, lineOf("    restartPolicy: Always")), "PodSpec.restartPolicy");
  assert.equal(at(DOC, lineOf("  until: 5m")), "Scenario.until");
  assert.equal(at(DOC, lineOf("  kind: Pod", 20)), "Pod.kind");
});

test("fieldAt at the top level offers every kind and apiVersion, not only the document's own", () => {
  const i = lineOf("kind: Pod");
  const found = fieldAt(SCHEMA, DOC, i, parseLine(DOC[i]));
  assert.equal(found.field.name, "kind");
  assert.deepEqual(found.field.values, ["Pod", "List", "Scenario"]);
  assert.equal(found.object, SCHEMA.objects.Pod);
  const v = fieldAt(SCHEMA, DOC, 0, parseLine(DOC[0]));
  assert.deepEqual(v.field.values, ["v1", "podplay.dev/v1alpha1"], "each apiVersion once");
});

test("fieldAt in a document of unknown kind knows only apiVersion and kind", () => {
  const lines = ["apiVersion: v1", "kind: Deployment", "spec:", "  replicas: 2"];
  assert.equal(fieldAt(SCHEMA, lines, 1, parseLine(lines[1])).field.name, "kind");
  assert.equal(fieldAt(SCHEMA, lines, 2, parseLine(lines[2])), null);
  assert.equal(fieldAt(SCHEMA, lines, 3, parseLine(lines[3])), null);
});

test("typeText names the type, its object, and its shape", () => {
  assert.equal(typeText(F("x", "integer")), "integer");
  assert.equal(typeText(F("x", "object", { object: "Probe" })), "Probe");
  assert.equal(typeText(F("x", "object", { object: "Container", shape: "list" })), "list of Container");
  assert.equal(typeText(F("x", "quantity", { shape: "map" })), "map of quantity");
  assert.equal(typeText(F("x", "string", { shape: "list" })), "list of string");
});

test("defaultText: a literal default (empty shown as \"\"), else a default note, else required", () => {
  assert.equal(defaultText(F("x", "integer", { default: "3" })), "default 3");
  assert.equal(defaultText(F("x", "string", { default: "" })), 'default ""');
  assert.equal(defaultText(F("x", "integer", { default: "0" })), "default 0");
  assert.equal(defaultText(F("x", "string", { defaultNote: "the pod IP" })), "default: the pod IP");
  assert.equal(defaultText(F("x", "string", { default: "a", defaultNote: "b" })), "default a", "the literal wins");
  assert.equal(defaultText(F("x", "string", { required: true })), "required");
  assert.equal(defaultText(F("x", "string", { required: true, default: "y" })), "default y");
  assert.equal(defaultText(F("x", "string")), "");
  assert.equal(defaultText(F("x", "string", { default: null })), "", "null as no default");
});

test("signature: name (type, default)", () => {
  assert.equal(signature(F("failureThreshold", "integer", { default: "3" })), "failureThreshold (integer, default 3)");
  assert.equal(signature(F("containers", "object", { object: "Container", shape: "list", required: true })), "containers (list of Container, required)");
  assert.equal(signature(F("image", "string")), "image (string)");
  assert.equal(signature(F("host", "string", { defaultNote: "the pod IP" })), "host (string, default: the pod IP)");
});
