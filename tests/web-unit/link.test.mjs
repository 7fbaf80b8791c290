// Unit tests of web/src/link.js: base64url, the deflated #z= share link, and reading old,
// partial and broken links. Node 20 has CompressionStream, atob and btoa as globals.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { compressText, decompressText, fromBase64Url, makeLink, readLink, toBase64Url } from "../../web/src/link.js";

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = (s) => new TextEncoder().encode(s);
const SCENARIO = `apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo 'hi — ünïcødé 日本 🚀'; exit 1"]
`;

test("toBase64Url uses - and _ instead of + and /, and drops the = padding", () => {
  assert.equal(toBase64Url(new Uint8Array([])), "");
  assert.equal(toBase64Url(new Uint8Array([0])), "AA");
  assert.equal(toBase64Url(new Uint8Array([0, 0])), "AAA");
  assert.equal(toBase64Url(new Uint8Array([0, 0, 0])), "AAAA");
  // 0xfb 0xff is "+/8=" in standard base64.
  assert.equal(toBase64Url(new Uint8Array([0xfb, 0xff])), "-_8");
  assert.equal(toBase64Url(new Uint8Array([0xff, 0xff, 0xff])), "____");
  assert.equal(toBase64Url(utf8("podplay")), "cG9kcGxheQ");
});

test("every byte value, at every length modulo 3, survives toBase64Url then fromBase64Url", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const text = toBase64Url(all);
  assert.match(text, BASE64URL);
  assert.deepEqual(fromBase64Url(text), all);
  for (let n = 0; n <= 12; n++) {
    // Edge bytes: 0x00, 0xff, and those that encode to the - and _ characters.
    const bytes = Uint8Array.from({ length: n }, (_, i) => [0x00, 0xff, 0xfb, 0xfe, 0x3e, 0x3f][i % 6]);
    const enc = toBase64Url(bytes);
    assert.match(enc, BASE64URL, `length ${n}`);
    assert.equal(enc.length, Math.ceil((n * 4) / 3), `length ${n}: no padding`);
    assert.deepEqual(fromBase64Url(enc), bytes, `length ${n}`);
  }
});

test("fromBase64Url also reads padded and standard-alphabet input, and throws on text that is not base64", () => {
  assert.deepEqual(fromBase64Url("AA=="), new Uint8Array([0]));
  assert.deepEqual(fromBase64Url("+/8="), new Uint8Array([0xfb, 0xff]));
  assert.deepEqual(fromBase64Url(""), new Uint8Array([]));
  // One character left over (length 4k+1) cannot be base64; nor can characters outside the alphabet.
  assert.throws(() => fromBase64Url("a"), { name: "InvalidCharacterError" });
  assert.throws(() => fromBase64Url("AAAAA"), { name: "InvalidCharacterError" });
  assert.throws(() => fromBase64Url("@@@@"), { name: "InvalidCharacterError" });
});

test("compressText gives base64url that decompressText turns back into the same text (Unicode included)", async () => {
  for (const text of [SCENARIO, "", "a", "é", "🚀".repeat(3), "line\r\nwith\ttabs\0and NUL"]) {
    const z = await compressText(text);
    assert.match(z, BASE64URL, JSON.stringify(text));
    assert.equal(await decompressText(z), text, JSON.stringify(text));
  }
});

test("compressText makes a repetitive scenario much shorter than its plain base64url", async () => {
  const text = SCENARIO.repeat(20);
  const z = await compressText(text);
  const plain = toBase64Url(utf8(text));
  assert.ok(z.length * 5 < plain.length, `z ${z.length} chars vs plain ${plain.length}`);
});

test("decompressText rejects deflated bytes that are not UTF-8, and input that is not deflate", async () => {
  const deflated = new Uint8Array(
    await new Response(new Blob([new Uint8Array([0x66, 0xff, 0x66])]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer(),
  );
  await assert.rejects(decompressText(toBase64Url(deflated)), TypeError);
  await assert.rejects(decompressText("garbage"));
});

test("readLink reads a #z= link made by makeLink, with its until and t", async () => {
  const hash = await makeLink({ yaml: SCENARIO, until: "5m", t: 42.5 });
  assert.match(hash, /^#z=[A-Za-z0-9_-]+&until=5m&t=42\.5$/);
  assert.deepEqual(await readLink(hash), { yaml: SCENARIO, until: "5m", t: 42.5 });
});

test("makeLink names a bundled scenario instead of carrying its YAML", async () => {
  const hash = await makeLink({ scenario: "crashloop-backoff", yaml: SCENARIO, until: "10m", t: 0 });
  assert.equal(hash, "#scenario=crashloop-backoff&until=10m&t=0");
  assert.deepEqual(await readLink(hash), { scenario: "crashloop-backoff", until: "10m", t: 0 });
  // URL-encoding of the name round-trips.
  assert.equal((await readLink(await makeLink({ scenario: "a b&c", until: "1m", t: 1 }))).scenario, "a b&c");
});

test("readLink still opens an old #yaml= link (plain base64url of UTF-8)", async () => {
  assert.deepEqual(await readLink(`#yaml=${toBase64Url(utf8(SCENARIO))}&until=2m`), { yaml: SCENARIO, until: "2m" });
  // z= wins when a link has both.
  const z = await compressText("kind: Pod\n");
  assert.equal((await readLink(`#yaml=${toBase64Url(utf8("kind: Service\n"))}&z=${z}`)).yaml, "kind: Pod\n");
});

test("readLink reads until as text and t as a finite number, ignoring a t that is not one", async () => {
  assert.deepEqual(await readLink("#until=5m&t=30"), { until: "5m", t: 30 });
  assert.deepEqual(await readLink("#until=90s"), { until: "90s" });
  assert.deepEqual(await readLink("#t=12.5"), { t: 12.5 });
  assert.deepEqual(await readLink("#t=1e3"), { t: 1000 });
  assert.deepEqual(await readLink("t=7"), { t: 7 }, "the leading # is optional");
  for (const bad of ["#t=", "#t=abc", "#t=Infinity", "#t=NaN", "#t=12s"]) assert.deepEqual(await readLink(bad), {}, bad);
  assert.deepEqual(await readLink(""), {});
  assert.deepEqual(await readLink("#"), {});
  assert.deepEqual(await readLink("#unrelated=1"), {});
});

test("readLink marks a #z= that is not deflate as broken and has no yaml, keeping the other fields", async () => {
  assert.deepEqual(await readLink("#z=garbage"), { broken: true });
  assert.deepEqual(await readLink("#z=a"), { broken: true }, "not even base64");
  assert.deepEqual(await readLink("#z=garbage&scenario=x&until=5m&t=12"), { broken: true, scenario: "x", until: "5m", t: 12 });
});

test("readLink marks every cut-short #z= link as broken (a chat that truncated it)", async () => {
  const z = await compressText(SCENARIO);
  assert.ok(z.length > 40, z);
  for (let n = 0; n < z.length; n++) {
    const link = await readLink(`#z=${z.slice(0, n)}&until=5m`);
    assert.equal(link.broken, true, `cut to ${n} of ${z.length} chars`);
    assert.equal(link.yaml, undefined, `cut to ${n}`);
    assert.equal(link.until, "5m");
  }
  assert.deepEqual(await readLink(`#z=${z}`), { yaml: SCENARIO });
});

test("readLink marks a #yaml= that is not base64url or not UTF-8 as broken; an empty yaml= is an empty YAML", async () => {
  assert.deepEqual(await readLink("#yaml=@@@@"), { broken: true });
  assert.deepEqual(await readLink(`#yaml=${toBase64Url(new Uint8Array([0xc3]))}`), { broken: true }, "half a UTF-8 sequence");
  assert.deepEqual(await readLink(`#yaml=${toBase64Url(new Uint8Array([0xff, 0xfe]))}`), { broken: true });
  // Today an empty yaml= reads as "" while an empty z= is broken (no deflate stream at all).
  assert.deepEqual(await readLink("#yaml="), { yaml: "" });
  assert.deepEqual(await readLink("#z="), { broken: true });
});
