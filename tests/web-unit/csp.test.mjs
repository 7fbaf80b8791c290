// Unit tests of scripts/csp.mjs, Trunk's post_build hook: moving the inline scripts Trunk writes
// into index.html out into files, and checking the page's Content-Security-Policy.
// Run: node --test tests/web-unit/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkPage, externalizeScripts, loaderSharesModule, pagePolicy, parsePolicy } from "../../scripts/csp.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const POLICY = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; object-src 'none'";
const META = `<meta http-equiv="Content-Security-Policy" content="${POLICY}">`;
// What Trunk 0.21 writes for the rust link (release build), as in dist/index.html before the hook.
const LOADER = `
<script type="module">
import init, * as bindings from './podplay-wasm-abc.js';
const wasm = await init({ module_or_path: './podplay-wasm-abc_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));

</script>`;
const page = (head, body = "") => `<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  ${head}\n</head>\n<body>${body}</body>\n</html>\n`;

test("web/index.html carries the policy the build checks", () => {
  const source = readFileSync(join(root, "web", "index.html"), "utf8");
  assert.equal(pagePolicy(source), POLICY);
  assert.ok(source.indexOf("Content-Security-Policy") < source.indexOf("<link"), "before every link");
});

test("parsePolicy splits directives and their sources; the first of a repeated directive wins", () => {
  assert.deepEqual(parsePolicy("default-src 'none';  script-src 'self'  'wasm-unsafe-eval' ;; Script-Src *"), {
    "default-src": ["'none'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
  });
});

test("externalizeScripts moves Trunk's inline module loader into a loader-HASH.js file with its integrity", () => {
  const html = page(`${META}\n  ${LOADER}\n  <script src="./app-1.js" integrity="sha384-x" type="module"></script>`);
  const { html: out, files } = externalizeScripts(html);
  assert.equal(files.length, 1);
  const [file] = files;
  assert.match(file.name, /^loader-[0-9a-f]{16}\.js$/);
  assert.ok(file.text.startsWith("import init, * as bindings from './podplay-wasm-abc.js';\n"), file.text);
  assert.ok(file.text.includes('dispatchEvent(new CustomEvent("TrunkApplicationStarted"'));
  assert.ok(file.text.endsWith("));\n"));
  const integrity = "sha384-" + createHash("sha384").update(file.text).digest("base64");
  assert.ok(out.includes(`<script type="module" src="./${file.name}" integrity="${integrity}"></script>`), out);
  assert.ok(out.includes('<script src="./app-1.js" integrity="sha384-x" type="module"></script>'), "a script with src stays");
  assert.doesNotMatch(out, /import init/);
  assert.deepEqual(checkPage(out), []);
  // The same content gives the same name (a stable, cacheable file).
  assert.equal(externalizeScripts(html).files[0].name, file.name);
});

test("externalizeScripts turns trunk serve's live-reload script into a classic file that finds its own address", () => {
  const reload = `<script>"use strict";\n(function () {\n    const address = '{{__TRUNK_ADDRESS__}}';\n    const base = '{{__TRUNK_WS_BASE__}}';\n    const url = 'ws://' + address + base + '.well-known/trunk/ws';\n})()\n</script>`;
  const { html: out, files } = externalizeScripts(page(META, reload));
  assert.equal(files.length, 1);
  assert.match(files[0].name, /^script-[0-9a-f]{16}\.js$/);
  assert.ok(files[0].text.includes("const address = window.location.host;"), files[0].text);
  assert.ok(files[0].text.includes('const base = new URL(".", document.currentScript.src).pathname;'), files[0].text);
  assert.doesNotMatch(files[0].text, /__TRUNK/);
  assert.match(out, /<script src="\.\/script-[0-9a-f]{16}\.js" integrity="sha384-[^"]+"><\/script>/);
  assert.deepEqual(checkPage(out), []);
});

test("externalizeScripts leaves data blocks (a JSON script) and pages without inline scripts as they are", () => {
  const json = '<script type="application/json" id="d">{"a":1}</script>';
  const html = page(META, json);
  assert.deepEqual(externalizeScripts(html), { html, files: [] });
});

test("checkPage finds a missing, late or loose policy, inline scripts and inline handlers", () => {
  const ok = page(`${META}\n  <script type="module" src="./a.js"></script>`);
  assert.deepEqual(checkPage(ok), []);
  assert.match(checkPage(page('<script src="./a.js"></script>'))[0], /0 Content-Security-Policy meta tags/);
  assert.match(checkPage(page(`${META}${META}`))[0], /2 Content-Security-Policy meta tags/);
  assert.match(checkPage(page(`<link rel="icon" href="data:,">\n  ${META}`)).join("\n"), /must come in <head> before every/);
  const loose = (policy) => checkPage(page(`<meta http-equiv="Content-Security-Policy" content="${policy}">`)).join("\n");
  assert.match(loose(POLICY.replace("'wasm-unsafe-eval'", "'wasm-unsafe-eval' 'unsafe-inline'")), /script-src allows 'unsafe-inline'/);
  assert.match(loose(POLICY.replace("'wasm-unsafe-eval'", "'unsafe-eval'")), /script-src allows 'unsafe-eval'[\s\S]*lacks 'wasm-unsafe-eval'/);
  assert.match(loose(POLICY.replace("'wasm-unsafe-eval'", "'wasm-unsafe-eval' https://cdn.example")), /more than the page's own files: https:\/\/cdn\.example/);
  assert.match(loose(POLICY.replace("script-src 'self' 'wasm-unsafe-eval'; ", "").replace("default-src 'none'", "default-src *")), /script-src allows \*/);
  assert.match(loose(POLICY.replace("; base-uri 'none'", "")), /no base-uri/);
  assert.match(loose(POLICY.replace("; object-src 'none'", "").replace("default-src 'none'", "default-src 'self'")), /object-src is not 'none'/);
  assert.match(checkPage(page(`${META}\n  ${LOADER}`)).join("\n"), /an inline script: <script type="module">/);
  assert.match(checkPage(page(META, '<button onclick="go()">go</button>')).join("\n"), /an inline event handler: <button onclick=/);
  // An empty inline <script></script> runs nothing.
  assert.deepEqual(checkPage(page(META, "<script></script>")), []);
});

test("the moved loader fetches the wasm once, with the preload's integrity, and keeps the module for the workers", () => {
  const integrity = "sha384-BnONWJz+BGyRLhnSITL4v6puiolOq6p3MSCgCQ34oNqRmIIIwlyp2WjMggTMc8ee";
  const preload = `<link rel="preload" href="./podplay-wasm-abc_bg.wasm" crossorigin="anonymous" integrity="${integrity}" as="fetch" type="application/wasm">`;
  const { files } = externalizeScripts(page(`${META}\n${preload}\n${LOADER}`));
  assert.equal(files.length, 1);
  const text = files[0].text;
  assert.ok(text.includes(`fetch(new Request('./podplay-wasm-abc_bg.wasm', { integrity: '${integrity}' }))`), text);
  assert.ok(text.includes("window.wasmModule = module;\nconst wasm = await init({ module_or_path: module });"), text);
  assert.ok(text.includes("window.wasmBindings = bindings;"), "the rest of Trunk's loader stays");
  // No preload (or one without integrity): the loader is left as Trunk wrote it.
  const plain = externalizeScripts(page(`${META}\n${LOADER}`)).files[0].text;
  assert.match(plain, /module_or_path: '\.\/podplay-wasm-abc_bg\.wasm'/);
  assert.equal(loaderSharesModule(page(preload.replace(/ integrity="[^"]*"/, "")), plain), plain);
});
