// The page's own cost of a keystroke, measured in headless Chromium on the built dist/:
// for each scenario in tests/scenarios, the engine's `simulate` (wasm: parse, check, run
// 10 min of virtual time, build the result the page reads) and the page's whole answer to an
// edit at its default 5 min horizon (the text set, simulated in the engine's worker, the lanes and
// the panes drawn: setYaml's promise).
//
//   scripts/test.sh build && node scripts/bench-page.mjs [NAME-FILTER]
//
// Prints the median and the minimum per scenario; figures go in docs/figures.md. Nothing here
// asserts a time. PODPLAY_BENCH_RUNS=N sets the runs per scenario (default 30).
import { withPage, scenarios } from "./bench-browser.mjs";

const runs = Number(process.env.PODPLAY_BENCH_RUNS ?? 30);
const filter = process.argv[2] ?? "";

await withPage("bench-page", async (page) => {
  const fmt = (ms) => ms.toFixed(2).padStart(8);
  console.log(`${"scenario".padEnd(34)} ${"simulate (median / min)".padStart(24)} ${"edit, simulated and drawn".padStart(30)}`);
  for (const { name, yaml } of await scenarios(filter)) {
    const [sim, edit] = await page.evaluate(async ({ yaml, runs }) => {
      const stats = (xs) => { xs.sort((a, b) => a - b); return [xs[xs.length >> 1], xs[0]]; };
      const sims = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const r = window.wasmBindings.simulate(yaml, 600);
        sims.push(performance.now() - t);
        if (!r.ok) throw new Error("scenario does not simulate");
      }
      const edits = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await window.podplay.setYaml(yaml + (i % 2 ? "\n" : ""));
        edits.push(performance.now() - t);
        // Whatever the page scheduled for later runs before the next edit (not timed).
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      }
      return [stats(sims), stats(edits)];
    }, { yaml, runs });
    console.log(`${name.padEnd(34)} ${fmt(sim[0])} / ${fmt(sim[1])} ms   ${fmt(edit[0])} / ${fmt(edit[1])} ms`);
  }
});
