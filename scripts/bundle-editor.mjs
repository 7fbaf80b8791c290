// Bundles the page script (web/src/app.js + CodeMirror from node_modules) into
// web/build/app.js with esbuild. The shared scenarios (web/scenarios/*.yaml, a link to
// tests/scenarios) are embedded as the virtual module "podplay:scenarios".
// The engine's Web Worker (web/src/engine-worker.js) is bundled first, into
// web/build/engine/worker-HASH.js (index.html has Trunk copy that folder into dist/engine/); its
// path, named by its content so that no browser pairs a cached worker with a newer page, is the
// virtual module "podplay:engine-worker".
// Run by Trunk's pre_build hook (Trunk.toml) or by hand: node scripts/bundle-editor.mjs
import { build } from "esbuild";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, basename, relative } from "node:path";
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

const common = {
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: process.env.PODPLAY_BUNDLE_MINIFY !== "0",
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
};
const bytesOf = (result) => Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);

const started = Date.now();
const engineDir = join(root, "web", "build", "engine");
rmSync(engineDir, { recursive: true, force: true });
const worker = await build({
  ...common,
  entryPoints: [join(root, "web", "src", "engine-worker.js")],
  outdir: engineDir,
  entryNames: "worker-[hash]",
});
const [workerFile] = Object.keys(worker.metafile.outputs);
// Relative to index.html in dist/, where Trunk copies web/build/engine/ as engine/.
const workerPath = `engine/${relative(engineDir, join(root, workerFile))}`;
const engineWorker = {
  name: "podplay-engine-worker",
  setup(b) {
    b.onResolve({ filter: /^podplay:engine-worker$/ }, () => ({ path: "engine-worker", namespace: "podplay-engine-worker" }));
    b.onLoad({ filter: /.*/, namespace: "podplay-engine-worker" }, () => ({ contents: `export default ${JSON.stringify(workerPath)};`, loader: "js" }));
  },
};
const app = await build({
  ...common,
  entryPoints: [join(root, "web", "src", "app.js")],
  outfile: join(root, "web", "build", "app.js"),
  plugins: [scenarios, engineWorker],
});
console.log(`bundle-editor: web/build/app.js ${bytesOf(app)} bytes, web/build/${workerPath} ${bytesOf(worker)} bytes in ${Date.now() - started} ms`);
