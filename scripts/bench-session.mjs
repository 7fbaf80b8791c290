// What time costs in the page, measured in headless Chromium on the built dist/, for each
// scenario in tests/scenarios over 1 h of virtual time:
//   * playback: a `Session` moved forward one virtual second at a time (what playback and a
//     cursor dragged forward do), with the page's `get pods` at each second; the cost of the
//     first and the last ten minutes shows whether a second costs the same late as early;
//   * the same with the stateless `kubectlBatch(yaml, t, ...)` (a re-run from zero each second),
//     for comparison, over the first ten minutes only;
//   * seeks: the cursor's session asked for `get pods` at 200 seconds drawn at random over the
//     hour (a fixed seed), each from wherever the previous one left it: forward seeks run on,
//     backward ones re-run from the start.
//
//   scripts/test.sh build && node scripts/bench-session.mjs [NAME-FILTER]
//
// Prints the figures per scenario; they go in docs/figures.md. Nothing here asserts a time.
import { withPage, scenarios } from "./bench-browser.mjs";

const filter = process.argv[2] ?? "";

await withPage("bench-session", async (page) => {
  const f = (ms) => ms.toFixed(2).padStart(8);
  console.log(`${"scenario".padEnd(30)} ${"play 0-10m".padStart(10)} ${"play 50-60m".padStart(11)} ${"stateless 0-10m".padStart(16)}   seek median / p90 / max (ms)`);
  for (const { name, yaml } of await scenarios(filter)) {
    const r = await page.evaluate(({ yaml }) => {
      const { Session, kubectlBatch } = window.wasmBindings;
      const get = ["get pods"];
      // Playback: one virtual second at a time, `get pods` at each.
      const s = new Session(yaml);
      const spans = [];
      let t0 = performance.now();
      for (let t = 0; t <= 3600; t++) {
        s.kubectlBatch(t, get);
        if (t === 600 || t === 3000 || t === 3600) { spans.push(performance.now() - t0); t0 = performance.now(); }
      }
      s.free();
      // The stateless call re-runs from zero each time: the first ten minutes only.
      t0 = performance.now();
      for (let t = 0; t <= 600; t++) kubectlBatch(yaml, t, get);
      const stateless = performance.now() - t0;
      // Random seeks over the hour (xorshift, fixed seed), each timed alone.
      const c = new Session(yaml);
      let x = 2463534242;
      const seeks = [];
      for (let i = 0; i < 200; i++) {
        x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
        const at = x % 3601;
        const t = performance.now();
        c.kubectlBatch(at, get);
        seeks.push(performance.now() - t);
      }
      c.free();
      seeks.sort((a, b) => a - b);
      return { first: spans[0], last: spans[2], stateless, median: seeks[100], p90: seeks[180], max: seeks[199] };
    }, { yaml });
    console.log(`${name.padEnd(30)} ${f(r.first)} ${f(r.last)}    ${f(r.stateless)}     ${f(r.median)} / ${f(r.p90)} / ${f(r.max)}`);
  }
});
