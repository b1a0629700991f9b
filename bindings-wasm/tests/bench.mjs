// Times verifying one record in headless Chromium (the page, from ?record=URL) and in
// Node (the same .wasm, js/verify.mjs), to compare with `secret-ballot verify` natively.
// Usage: node bindings-wasm/tests/bench.mjs RECORD   (after bindings-wasm/scripts/build)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { root, sb } from "./support.mjs";
import { launch, serve } from "./serve.mjs";

const file = path.resolve(process.argv[2] ?? "");
const bytes = new Uint8Array(readFileSync(file));
const mib = (bytes.length / 2 ** 20).toFixed(1);

const node = await sb.verifyRecord(bytes);
console.log(`node:     ${node.seconds.toFixed(2)} s (${node.report.verdict}, ${node.report.entries} entries, ${mib} MiB)`);

const server = await serve(path.join(root, "target/wasm-site"), path.dirname(file));
const profile = mkdtempSync(path.join(root, "target/chromium-profile-"));
const context = await launch(chromium, profile);
try {
  const page = await context.newPage();
  await page.goto(`${server.origin}/?record=/records/${encodeURIComponent(path.basename(file))}`);
  await page.waitForFunction(() => document.getElementById("verdict")?.dataset.verdict, null, { timeout: 600000 });
  const seconds = Number(await page.locator("#progress-text").getAttribute("data-seconds"));
  const verdict = await page.locator("#verdict").getAttribute("data-verdict");
  console.log(`chromium: ${seconds.toFixed(2)} s (${verdict}; the page's own timing, download excluded)`);
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
