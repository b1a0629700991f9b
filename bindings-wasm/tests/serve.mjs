// A static file server on 127.0.0.1 (ephemeral port) for the browser tests: the site, and
// records under /records/ from another directory. Closed by the caller.
import http from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".mjs": "text/javascript", ".js": "text/javascript", ".css": "text/css",
  ".wasm": "application/wasm", ".json": "application/json", ".sha256": "text/plain",
};

export async function serve(site, records) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    requests.push(url.pathname);
    const [base, rel] = url.pathname.startsWith("/records/") ? [records, url.pathname.slice("/records/".length)] : [site, url.pathname === "/" ? "index.html" : url.pathname];
    const file = path.normalize(path.join(base, rel));
    if (!file.startsWith(base + path.sep)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "content-length": body.length }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

/** Chromium as the tests run it: Debian's, headless, no network of its own, a fresh profile. */
export async function launch(chromium, userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    viewport: { width: 1100, height: 900 },
  });
}
