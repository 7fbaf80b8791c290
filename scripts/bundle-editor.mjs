// Bundles the page script (web/src/app.js + CodeMirror from node_modules) into
// web/build/app.js with esbuild. The shared scenarios (web/scenarios/*.yaml, a link to
// tests/scenarios) are embedded as the virtual module "podplay:scenarios".
// Run by Trunk's pre_build hook (Trunk.toml) or by hand: node scripts/bundle-editor.mjs
import { build } from "esbuild";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scenarioDir = join(root, "web", "scenarios");

const scenarios = {
  name: "podplay-scenarios",
  setup(b) {
    b.onResolve({ filter: /^podplay:scenarios$/ }, () => ({ path: scenarioDir, namespace: "podplay-scenarios" }));
    b.onLoad({ filter: /.*/, namespace: "podplay-scenarios" }, () => {
      const files = readdirSync(scenarioDir).filter((f) => f.endsWith(".yaml")).sort();
      const map = Object.fromEntries(files.map((f) => [basename(f, ".yaml"), readFileSync(join(scenarioDir, f), "utf8")]));
      return { contents: `export default ${JSON.stringify(map)};`, loader: "js", watchFiles: files.map((f) => join(scenarioDir, f)) };
    });
  },
};

const started = Date.now();
const result = await build({
  entryPoints: [join(root, "web", "src", "app.js")],
  outfile: join(root, "web", "build", "app.js"),
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: process.env.PODPLAY_BUNDLE_MINIFY !== "0",
  legalComments: "none",
  plugins: [scenarios],
  logLevel: "warning",
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`bundle-editor: web/build/app.js ${bytes} bytes in ${Date.now() - started} ms`);
