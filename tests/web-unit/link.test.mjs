// Unit tests of web/src/link.js: base64url, the deflated #z= share link, and reading old,
// partial and broken links. Node 20 has CompressionStream, atob and btoa as globals.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  compressText, decompressText, fromBase64Url, inspectLink, makeLink, MAX_LINK_CHARS, MAX_YAML_BYTES, parseSeconds, readLink, toBase64Url,
} from "../../web/src/link.js";

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

test("readLink marks a #yaml= that is not base64url or not UTF-8 as broken, and an empty yaml= too", async () => {
  assert.deepEqual(await readLink("#yaml=@@@@"), { broken: true });
  assert.deepEqual(await readLink(`#yaml=${toBase64Url(new Uint8Array([0xc3]))}`), { broken: true }, "half a UTF-8 sequence");
  assert.deepEqual(await readLink(`#yaml=${toBase64Url(new Uint8Array([0xff, 0xfe]))}`), { broken: true });
  // An empty yaml= is a link that lost its YAML (it opened an empty editor); as an empty z= is.
  assert.deepEqual(await readLink("#yaml="), { broken: true });
  assert.deepEqual(await readLink("#z="), { broken: true });
});

// ---- what a link's reader says about it (inspectLink), and its limits ----

const deflate = async (bytes) =>
  new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer());
const problemsOf = async (hash) => (await inspectLink(hash)).problems;

test("inspectLink gives readLink's fields and no problem for a good link", async () => {
  const hash = await makeLink({ yaml: SCENARIO, until: "5m", t: 42 });
  assert.deepEqual(await inspectLink(hash), { fields: { yaml: SCENARIO, until: "5m", t: 42 }, problems: [] });
  assert.deepEqual(await inspectLink(""), { fields: {}, problems: [] });
  assert.deepEqual(await inspectLink("#scenario=x"), { fields: { scenario: "x" }, problems: [] });
});

test("inspectLink says why a link's YAML could not be read: cut short, damaged, not base64url, not UTF-8, empty", async () => {
  const z = await compressText(SCENARIO);
  const cut = await inspectLink(`#z=${z.slice(0, z.length - 9)}&until=5m&t=3`);
  assert.deepEqual(cut.fields, { broken: true, until: "5m", t: 3 });
  assert.deepEqual(cut.problems, [{ field: "yaml", message: "its YAML could not be decompressed: the link is cut short or damaged" }]);
  assert.deepEqual(await problemsOf("#z=garbage"), [{ field: "yaml", message: "its YAML could not be decompressed: the link is cut short or damaged" }]);
  assert.deepEqual(await problemsOf("#z=a"), [{ field: "yaml", message: "its YAML (z=) is not base64url text: the link was changed or cut" }]);
  assert.deepEqual(await problemsOf("#yaml=@@@@"), [{ field: "yaml", message: "its YAML (yaml=) is not base64url text: the link was changed or cut" }]);
  const notUtf8 = toBase64Url(await deflate(new Uint8Array([0x66, 0xff, 0x66])));
  assert.deepEqual(await problemsOf(`#z=${notUtf8}`), [{ field: "yaml", message: "its YAML is not UTF-8 text: the link is cut short or damaged" }]);
  assert.deepEqual(await problemsOf(`#yaml=${toBase64Url(new Uint8Array([0xc3]))}`), [{ field: "yaml", message: "its YAML is not UTF-8 text: the link is cut short or damaged" }]);
  assert.deepEqual(await problemsOf("#z="), [{ field: "yaml", message: "its YAML (z=) is empty" }]);
  assert.deepEqual(await problemsOf("#yaml="), [{ field: "yaml", message: "its YAML (yaml=) is empty" }]);
  // z= wins over yaml=: a broken z= is broken even next to a good yaml=.
  assert.equal((await inspectLink(`#z=garbage&yaml=${toBase64Url(utf8("kind: Pod\n"))}`)).fields.broken, true);
});

test("a link's YAML is capped at MAX_YAML_BYTES: exactly the cap opens, one byte more is refused with its reason", async () => {
  assert.equal(MAX_YAML_BYTES, 256 * 1024);
  const atCap = "a".repeat(MAX_YAML_BYTES);
  assert.deepEqual(await readLink(`#z=${await compressText(atCap)}`), { yaml: atCap });
  assert.deepEqual(await readLink(`#yaml=${toBase64Url(utf8(atCap))}`), { yaml: atCap });
  const over = atCap + "b";
  const big = await inspectLink(`#z=${await compressText(over)}&t=5`);
  assert.deepEqual(big.fields, { broken: true, t: 5 });
  assert.deepEqual(big.problems, [{ field: "yaml", message: "its YAML is larger than 256 KB once decompressed (podplay opens YAML up to 256 KB)" }]);
  assert.deepEqual(await problemsOf(`#yaml=${toBase64Url(utf8(over))}`), [{ field: "yaml", message: "its YAML is larger than 256 KB (podplay opens YAML up to 256 KB)" }]);
  // Multi-byte characters count as their UTF-8 bytes.
  const wide = "é".repeat(MAX_YAML_BYTES / 2 + 1);
  assert.equal((await readLink(`#z=${await compressText(wide)}`)).broken, true);
});

test("a small link that inflates to 64 MB (a zip bomb) is refused after reading just past the cap", async () => {
  const bomb = toBase64Url(await deflate(new Uint8Array(64 * 1024 * 1024)));
  assert.ok(bomb.length < 100000, `${bomb.length} chars`);
  const started = performance.now();
  const link = await inspectLink(`#z=${bomb}`);
  assert.equal(link.fields.broken, true);
  assert.match(link.problems[0].message, /larger than 256 KB once decompressed/);
  assert.ok(performance.now() - started < 2000, "stopped early");
  await assert.rejects(decompressText(bomb), { name: "TooLarge" });
});

test("a YAML field longer than MAX_LINK_CHARS is refused unread", async () => {
  assert.equal(MAX_LINK_CHARS, Math.ceil(((MAX_YAML_BYTES + 1024) * 4) / 3));
  for (const field of ["z", "yaml"]) {
    const link = await inspectLink(`#${field}=${"A".repeat(MAX_LINK_CHARS + 1)}&until=1m`);
    assert.deepEqual(link.fields, { broken: true, until: "1m" });
    assert.deepEqual(link.problems, [{ field: "yaml", message: "its YAML is larger than 256 KB (podplay opens YAML up to 256 KB)" }]);
  }
});

test("t is plain non-negative seconds: hexadecimal, signed, spaced and suffixed values are left out and said", async () => {
  for (const [text, want] of [["0", 0], ["42", 42], ["12.5", 12.5], ["1e3", 1000], [".5", 0.5], ["5.", 5], ["007", 7]]) {
    assert.equal(parseSeconds(text), want, text);
    assert.deepEqual(await inspectLink(`#t=${text}`), { fields: { t: want }, problems: [] }, text);
  }
  for (const bad of ["0x10", "0b1", "0o7", "-5", "+5", " 5", "5 ", "1_000", "12s", "Infinity", "NaN", "", "1e999", "٣"]) {
    assert.equal(parseSeconds(bad), undefined, JSON.stringify(bad));
    const link = await inspectLink(`#t=${encodeURIComponent(bad)}&until=5m`);
    assert.deepEqual(link.fields, { until: "5m" }, JSON.stringify(bad));
    assert.deepEqual(link.problems, [{ field: "t", message: `its time t=${bad} is not a number of seconds` }], JSON.stringify(bad));
  }
  assert.equal(parseSeconds(undefined), undefined);
  assert.equal(parseSeconds(12), undefined, "text only");
});

test("makeLink leaves out an until or t it was not given, never writing undefined", async () => {
  assert.equal(await makeLink({ scenario: "a", t: 3 }), "#scenario=a&t=3");
  assert.equal(await makeLink({ scenario: "a", until: "", t: 3 }), "#scenario=a&t=3");
  assert.equal(await makeLink({ scenario: "a", until: " 2m ", t: undefined }), "#scenario=a&until=2m");
  assert.equal(await makeLink({ scenario: "a", until: "2m", t: NaN }), "#scenario=a&until=2m");
  assert.equal(await makeLink({ scenario: "a", until: "2m", t: -1 }), "#scenario=a&until=2m");
  const hash = await makeLink({ yaml: "kind: Pod\n" });
  assert.doesNotMatch(hash, /undefined|until|t=/);
  assert.deepEqual(await readLink(hash), { yaml: "kind: Pod\n" });
});
