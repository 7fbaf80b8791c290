// A short run of each of the page's fuzz targets (scripts/fuzz-web.mjs: the share link's
// decoding and the postMessage handler), so the fuzzer and what it checks keep working; the
// long runs are scripts/fuzz.sh's. Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

for (const target of ["link", "message"]) {
  test(`fuzz target ${target}: a second of mutated inputs, no failure and none over 1 s`, () => {
    const out = execFileSync("node", ["scripts/fuzz-web.mjs", target, "1", "5"], { cwd: root, encoding: "utf8" });
    const m = new RegExp(`^${target}: (\\d+) executions in \\d+ s, 0 failures, 0 over 1 s`).exec(out);
    assert.ok(m, out);
    assert.ok(Number(m[1]) > 50, out);
  });
}
