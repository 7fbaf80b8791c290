// What the page benchmarks share: the built dist/ served on 127.0.0.1, headless Chromium with a
// fresh profile, the page loaded and ready, and the scenarios in tests/scenarios. Not a script
// to run by itself.
import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../tests/e2e/server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// dist/ (or PODPLAY_DIST) served on 127.0.0.1: {dist, server}. Exits 2 when dist/ is not built.
export async function serveDist() {
  const dist = process.env.PODPLAY_DIST ?? join(root, "dist");
  if (!existsSync(join(dist, "index.html"))) {
    console.error(`no ${dist}/index.html: run scripts/test.sh build first`);
    process.exit(2);
  }
  return { dist, server: await serve({ dist, base: "/" }) };
}

// Headless Chromium (Debian's, or CHROMIUM) with a fresh profile in `userDataDir`.
export function launchBrowser(userDataDir, viewport = { width: 1400, height: 1000 }) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
  });
}

// Serves dist/, opens the page in headless Chromium and runs `body(page)`; closes everything
// afterwards. Exits 2 when dist/ is not built.
export async function withPage(name, body) {
  const { server } = await serveDist();
  const userDataDir = await mkdtemp(join(tmpdir(), `podplay-${name}-`));
  const context = await launchBrowser(userDataDir);
  try {
    const page = await context.newPage();
    await page.goto(server.origin + "/");
    await page.waitForSelector("body[data-ready=true]");
    await body(page);
  } finally {
    await context.close();
    await server.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

// [{name, yaml}] of tests/scenarios/*.yaml whose name contains `filter`, by name.
export async function scenarios(filter = "") {
  const dir = join(root, "tests", "scenarios");
  const names = (await readdir(dir)).filter((n) => n.endsWith(".yaml") && n.includes(filter)).sort();
  return Promise.all(names.map(async (name) => ({ name, yaml: await readFile(join(dir, name), "utf8") })));
}
