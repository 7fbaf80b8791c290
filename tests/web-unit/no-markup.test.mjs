// The page's modules put every text into the DOM as text (textContent, createTextNode, append of
// strings, attribute values), never as markup, and run no code made from strings: a check of the
// sources themselves (web/src/*.js), so that no future change brings one in unnoticed. The
// browser tests (tests/e2e/security.test.mjs) feed markup through the page and see it stay text;
// the page's Content-Security-Policy (scripts/csp.mjs) refuses what might still get through.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "web", "src");
const files = readdirSync(src).filter((f) => f.endsWith(".js"));

// What turns a string into markup or code, and why it is refused.
const FORBIDDEN = [
  [/\.innerHTML\b/, "innerHTML parses markup"],
  [/\.outerHTML\s*=/, "outerHTML parses markup"],
  [/\binsertAdjacentHTML\b/, "insertAdjacentHTML parses markup"],
  [/\bcreateContextualFragment\b/, "createContextualFragment parses markup"],
  [/\bdocument\.write(ln)?\b/, "document.write parses markup"],
  [/\bsrcdoc\b/, "srcdoc is a document from a string"],
  [/(^|[^.\w])eval\s*\(/, "eval runs a string"],
  [/\bnew\s+Function\b/, "new Function runs a string"],
  [/\bset(Timeout|Interval)\s*\(\s*["'`]/, "a timer with a string runs it"],
  [/setAttribute\(\s*["'`]on/i, "an on* attribute is code"],
  [/["'`]javascript:/i, "a javascript: URL is code"],
];

test("web/src has the page's modules", () => {
  assert.ok(files.includes("app.js") && files.length >= 10, files.join(", "));
});

for (const file of files) {
  test(`${file} puts text into the page as text, and runs no string as code`, () => {
    const lines = readFileSync(join(src, file), "utf8").split("\n");
    const found = [];
    lines.forEach((line, i) => {
      const code = line.replace(/^\s*\/\/.*$/, "");
      for (const [re, why] of FORBIDDEN) if (re.test(code)) found.push(`${file}:${i + 1}: ${why}: ${line.trim()}`);
    });
    assert.deepEqual(found, []);
  });
}
