// The built page's Content-Security-Policy. The policy itself is the <meta http-equiv=
// "Content-Security-Policy"> in web/index.html (a meta tag: dist/ is served by any static host,
// which may send no header). Its script-src allows the page's own files and compiling its own
// WebAssembly ('self' 'wasm-unsafe-eval'), and no inline script. Trunk writes its wasm loader
// (and, under `trunk serve`, its live-reload script) inline into index.html, so this script,
// Trunk's post_build hook (Trunk.toml), moves every inline <script> of the staged index.html into
// a file of its own next to it (named by its content hash, with an integrity attribute), then
// checks the page: the policy first in <head>, no inline script, no inline event handler.
//
//   node scripts/csp.mjs              as Trunk's post_build hook (reads $TRUNK_STAGING_DIR)
//   node scripts/csp.mjs --check DIR  only checks DIR/index.html (scripts/test.sh's build layer)
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const CSP_META = /<meta\s[^>]*http-equiv\s*=\s*["']?Content-Security-Policy["']?[^>]*>/gi;

const hasSrc = (attrs) => /(^|\s)src\s*=/i.test(attrs);

// Trunk's live-reload script (trunk serve only) has two placeholders that `trunk serve` fills in
// only inside HTML responses. Moved into a file, it computes them itself: the page's host, and the
// folder the page is served from (the script sits next to index.html).
function fillReloadPlaceholders(text) {
  return text
    .replace(/(['"`])\{\{__TRUNK_ADDRESS__\}\}\1/g, "window.location.host")
    .replace(/(['"`])\{\{__TRUNK_WS_BASE__\}\}\1/g, 'new URL(".", document.currentScript.src).pathname');
}

// Trunk preloads the wasm with an integrity attribute, then its loader fetches the same URL
// without one: the preload cannot serve that request, and the page's workers need the compiled
// module too (app.js), so the browser downloaded and compiled the wasm twice (the largest file
// of the page). The moved loader fetches it once, with the preload's integrity (a
// `crossorigin="anonymous"` preload and fetch()'s defaults agree on the rest), compiles it,
// keeps the module for the workers (`window.wasmModule`) and instantiates the page's own
// instance from it. Returns the loader's text unchanged when the page has no such preload.
export function loaderSharesModule(html, text) {
  for (const link of html.match(/<link\b[^>]*>/gi) ?? []) {
    if (attr(link, "rel") !== "preload" || attr(link, "type") !== "application/wasm") continue;
    const href = attr(link, "href");
    const integrity = attr(link, "integrity");
    if (!href || !integrity) continue;
    const plain = `const wasm = await init({ module_or_path: '${href}' });`;
    if (!text.includes(plain)) continue;
    return text.replace(
      plain,
      [
        `const response = () => fetch(new Request('${href}', { integrity: '${integrity}' }));`,
        "async function compile() {",
        "  try {",
        "    return await WebAssembly.compileStreaming(response());",
        "  } catch (e) {",
        // A host that serves .wasm with another MIME type (or a browser without streaming
        // compilation): compile the bytes instead.
        "    if (!(e instanceof TypeError)) throw e;",
        "    return WebAssembly.compile(await (await response()).arrayBuffer());",
        "  }",
        "}",
        "const module = await compile();",
        "window.wasmModule = module;",
        "const wasm = await init({ module_or_path: module });",
      ].join("\n"),
    );
  }
  return text;
}

// Moves every inline <script> of `html` into a file. Returns the new HTML and the files to write
// next to it ({name, text}). A module stays a module; a classic script stays classic.
export function externalizeScripts(html) {
  const files = [];
  const out = html.replace(SCRIPT, (whole, attrs, body) => {
    if (hasSrc(attrs)) return whole;
    if (/\btype\s*=\s*["']?(?!module\b|text\/javascript\b|application\/javascript\b)[^"'\s>]+/i.test(attrs)) {
      return whole; // data blocks (JSON, templates) run nothing
    }
    const text = loaderSharesModule(html, fillReloadPlaceholders(body.replace(/^\s*\n/, "")).trimEnd() + "\n");
    const digest = createHash("sha256").update(text).digest("hex").slice(0, 16);
    const module = /\btype\s*=\s*["']?module\b/i.test(attrs);
    const name = `${module ? "loader" : "script"}-${digest}.js`;
    const integrity = "sha384-" + createHash("sha384").update(text).digest("base64");
    files.push({ name, text });
    return `<script${module ? ' type="module"' : ""} src="./${name}" integrity="${integrity}"></script>`;
  });
  return { html: out, files };
}

// The directives of a policy: {name: [source, ...]}.
export function parsePolicy(text) {
  const policy = {};
  for (const part of text.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !(name.toLowerCase() in policy)) policy[name.toLowerCase()] = sources;
  }
  return policy;
}

const attr = (tag, name) => {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i"));
  return m ? (m[1] ?? m[2] ?? m[3]).replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&") : null;
};

// The page's policy text, or null.
export function pagePolicy(html) {
  const metas = html.match(CSP_META) ?? [];
  return metas.length === 1 ? attr(metas[0], "content") : null;
}

// What is wrong with a built page, as sentences (none: the page is fine).
export function checkPage(html) {
  const problems = [];
  const metas = html.match(CSP_META) ?? [];
  if (metas.length !== 1) {
    problems.push(`${metas.length} Content-Security-Policy meta tags (want exactly one, in web/index.html)`);
    return problems;
  }
  const at = html.indexOf(metas[0]);
  const head = html.search(/<head\b/i);
  const firstLoad = html.search(/<(script|link|style|base)\b/i);
  if (head < 0 || at < head || (firstLoad >= 0 && firstLoad < at)) {
    problems.push("the Content-Security-Policy meta tag must come in <head> before every <script>, <link>, <style> and <base>");
  }
  const policy = parsePolicy(attr(metas[0], "content") ?? "");
  const script = policy["script-src"] ?? policy["default-src"];
  if (!script) problems.push("the policy has no script-src (nor default-src)");
  else {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", "*", "data:", "blob:", "http:", "https:"]) {
      if (script.includes(bad)) problems.push(`script-src allows ${bad}`);
    }
    for (const want of ["'self'", "'wasm-unsafe-eval'"]) {
      if (!script.includes(want)) problems.push(`script-src lacks ${want} (the page's own scripts and its wasm)`);
    }
    const other = script.filter((s) => !["'self'", "'wasm-unsafe-eval'"].includes(s));
    if (other.length) problems.push(`script-src allows more than the page's own files: ${other.join(" ")}`);
  }
  if (!policy["default-src"]) problems.push("the policy has no default-src");
  if (!(policy["object-src"] ?? policy["default-src"])?.includes("'none'")) problems.push("object-src is not 'none'");
  if (!policy["base-uri"]) problems.push("the policy has no base-uri");
  for (const m of html.matchAll(SCRIPT)) {
    if (!hasSrc(m[1]) && m[2].trim()) problems.push(`an inline script: ${m[0].slice(0, 80)}…`);
  }
  const handler = html.match(/<[a-z][^>]*\son[a-z]+\s*=/i);
  if (handler) problems.push(`an inline event handler: ${handler[0].slice(0, 80)}…`);
  return problems;
}

function main(args) {
  const check = args[0] === "--check";
  const dir = check ? args[1] : process.env.TRUNK_STAGING_DIR ?? args[0];
  if (!dir) {
    console.error("usage: node scripts/csp.mjs [--check] DIR   (as Trunk's hook: $TRUNK_STAGING_DIR)");
    process.exit(2);
  }
  const file = join(dir, "index.html");
  let html = readFileSync(file, "utf8");
  if (!check) {
    const moved = externalizeScripts(html);
    for (const f of moved.files) writeFileSync(join(dir, f.name), f.text);
    html = moved.html;
    writeFileSync(file, html);
    console.log(`csp: ${moved.files.length} inline script(s) moved out of index.html: ${moved.files.map((f) => f.name).join(", ") || "none"}`);
  }
  const problems = checkPage(html);
  if (problems.length) {
    console.error(`csp: ${file}:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`csp: ${file}: ${pagePolicy(html)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
