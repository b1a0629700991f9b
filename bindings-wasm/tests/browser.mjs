// Headless Chromium (Playwright gives it a fresh, empty profile): serves the verification page from 127.0.0.1 (ephemeral port),
// waits for its result line, takes a screenshot, and exits non-zero on any failure.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const site = process.env.SB_WEB_SITE ?? path.join(root, "target/wasm-site");
const types = { ".html": "text/html", ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://localhost");
  const file = path.normalize(path.join(site, url.pathname === "/" ? "index.html" : url.pathname));
  if (!file.startsWith(site)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();

let code = 1;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => /passed, \d+ failed/.test(document.getElementById("result")?.textContent ?? ""), null, { timeout: 60000 });
  const result = await page.textContent("#result");
  const checks = await page.$$eval("#checks li", (items) => items.map((li) => `${li.className}: ${li.textContent}`));
  for (const line of checks) console.log(`  ${line}`);
  await page.screenshot({ path: path.join(root, "target/wasm-site-screenshot.png"), fullPage: true });
  if (errors.length) console.log(`console errors: ${errors.join("\n")}`);
  console.log(`chromium: ${result}`);
  const [, failed] = result.match(/(\d+) failed/) ?? [, "1"];
  code = Number(failed) === 0 && errors.length === 0 && checks.length >= 8 ? 0 : 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(code);
