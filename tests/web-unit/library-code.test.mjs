// Unit tests of the library's code spans (web/src/library.js) and of the Scenario menu's reading
// of the editor's text (web/src/scenario-picker.js). Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { codeSpans, loadedMessage, plainOfCode } from "../../web/src/library.js";
import { scenarioOfText } from "../../web/src/scenario-picker.js";

test("codeSpans: text between backticks is code, the rest is text", () => {
  assert.deepEqual(codeSpans("`env` reads a key of `app-config`."), [
    { text: "env", code: true },
    { text: " reads a key of ", code: false },
    { text: "app-config", code: true },
    { text: ".", code: false },
  ]);
  assert.deepEqual(codeSpans("A countdown that never ends: `>` in a test"), [
    { text: "A countdown that never ends: ", code: false },
    { text: ">", code: true },
    { text: " in a test", code: false },
  ]);
  assert.deepEqual(codeSpans("no code"), [{ text: "no code", code: false }]);
  assert.deepEqual(codeSpans(""), []);
});

test("codeSpans follows Markdown: runs of backticks, a span holding a backtick, one unclosed", () => {
  assert.deepEqual(codeSpans("x ``a`b`` y"), [{ text: "x ", code: false }, { text: "a`b", code: true }, { text: " y", code: false }]);
  assert.deepEqual(codeSpans("`` `x` ``"), [{ text: "`x`", code: true }]);
  assert.deepEqual(codeSpans("an `open one"), [{ text: "an `open one", code: false }]);
  assert.deepEqual(codeSpans("`<b>x</b>`"), [{ text: "<b>x</b>", code: true }], "markup stays text");
});

test("plainOfCode drops the backticks; loadedMessage says what a library entry put where", () => {
  assert.equal(plainOfCode("`sleep -1` is not valid"), "sleep -1 is not valid");
  assert.equal(
    loadedMessage({ title: "Crash `loop`", tryAt: "2m30s", tryCommand: "kubectl describe pod crasher" }),
    'Loaded "Crash loop": its YAML is in the editor; the time cursor is at 2m30s; the terminal holds kubectl describe pod crasher (press Enter there to run it).',
  );
  assert.equal(loadedMessage({ title: "Plain", tryAt: null, tryCommand: null }), 'Loaded "Plain": its YAML is in the editor.');
});

test("scenarioOfText names the scenario whose text the editor holds, and only its own keys", () => {
  const scenarios = { a: "kind: Pod\n", b: "kind: Service\n" };
  assert.equal(scenarioOfText(scenarios, "kind: Service\n"), "b");
  assert.equal(scenarioOfText(scenarios, "kind: Service\n# edited\n"), null);
  assert.equal(scenarioOfText(scenarios, "kind: Pod"), null, "a trailing newline less is an edit");
  assert.equal(scenarioOfText(Object.create({ inherited: "x" }), "x"), null);
});
