// A tiny static server for dist/ under a sub-path (default /courses/k8s/podplay/), bound to
// 127.0.0.1 on a free port. Used by the e2e tests; also runnable by hand:
//   node tests/e2e/server.mjs [DIST] [BASE] [PORT]
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".yaml": "text/yaml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

// extra: { "path under base": "html" } served as pages next to dist/ (e.g. a parent page
// that embeds the playground in an iframe).
export async function serve({ dist, base = "/courses/k8s/podplay/", port = 0, extra = {} } = {}) {
  const root = resolve(dist);
  const log = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    log.push(url.pathname);
    if (url.pathname === base.slice(0, -1)) {
      res.writeHead(301, { location: base }).end();
      return;
    }
    if (!url.pathname.startsWith(base)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not under " + base);
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(base.length)) || "index.html";
    if (Object.hasOwn(extra, rel)) {
      res.writeHead(200, { "content-type": MIME[".html"], "cache-control": "no-store" }).end(extra[rel]);
      return;
    }
    const file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const st = await stat(file);
      const path = st.isDirectory() ? join(file, "index.html") : file;
      const body = await readFile(path);
      res.writeHead(200, {
        "content-type": MIME[extname(path)] ?? "application/octet-stream",
        "content-length": body.length,
        "cache-control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, url: origin + base, log, close: () => new Promise((ok) => server.close(ok)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dist = "dist", base = "/courses/k8s/podplay/", port = "8081"] = process.argv.slice(2);
  const s = await serve({ dist, base, port: Number(port) });
  console.log(`serving ${dist} at ${s.url}`);
}
