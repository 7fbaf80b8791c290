// Unit tests of web/src/pane-text.js: what a pane shows of a large output.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { countLines, omittedNote, paneTail } from "../../web/src/pane-text.js";

test("a small output is shown whole", () => {
  for (const text of ["", "a", "a\n", "a\nb\n", "a\nb"]) assert.deepEqual(paneTail(text, 5, 100), { shown: text, omitted: 0 });
});

test("a long output keeps its last lines and counts the ones left out", () => {
  const text = Array.from({ length: 100 }, (_, i) => `line${i}\n`).join("");
  const { shown, omitted } = paneTail(text, 10, 10_000);
  assert.equal(omitted, 90);
  assert.equal(shown, Array.from({ length: 10 }, (_, i) => `line${i + 90}\n`).join(""));
  assert.equal(countLines(shown) + omitted, countLines(text));
  // Without a final newline, the unfinished last line counts as one.
  const open = text + "tail";
  assert.deepEqual(paneTail(open, 2, 10_000), { shown: "line99\ntail", omitted: 99 });
});

test("the character bound starts the shown part at a line's start", () => {
  const text = "aaaa\nbbbb\ncccc\n";
  assert.deepEqual(paneTail(text, 100, 11), { shown: "bbbb\ncccc\n", omitted: 1 });
  // A single line longer than the bound: its end.
  const long = "x".repeat(50) + "\n";
  const { shown, omitted } = paneTail(long, 100, 10);
  assert.equal(shown.length, 10);
  assert.equal(omitted, 1);
});

test("a yes pod's millions of lines cost a pane a few thousand", () => {
  const text = "y\n".repeat(2_000_000);
  const { shown, omitted } = paneTail(text);
  assert.equal(countLines(shown), 5000);
  assert.equal(omitted, 2_000_000 - 5000);
});

test("the note says how many lines were left out", () => {
  assert.equal(omittedNote(1234567), "… 1,234,567 earlier lines not shown here (the command prints them all)\n");
});
