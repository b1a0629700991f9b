// Headless Chromium (Debian's, through playwright-core, a fresh --user-data-dir): serves
// the site on 127.0.0.1 and checks that the known-answer page passes, that the verifier
// page shows a valid record as verified with the right totals (from a file), and a
// tampered record with the failing check and entry (from ?record=URL), that it loads
// nothing but itself and the record, and that it shows the .wasm's published SHA-256.
// Screenshots (screen and print) and a PDF of the sheet go to target/wasm-browser/.
// Ends with "chromium: N passed, M failed"; exits non-zero on any failure.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { b, load, root, sb, seed } from "./support.mjs";
import { launch, serve } from "./serve.mjs";

const site = process.env.SB_WEB_SITE ?? path.join(root, "target/wasm-site");
const out = path.join(root, "target/wasm-browser");
const records = path.join(out, "records");
mkdirSync(records, { recursive: true });

const rec = await load("record.json");
const tamperedBallot = rec.invalid.find((c) => c.reason === "a ballot's ciphertext changed after signing");
const droppedEntry = rec.invalid.find((c) => c.reason === "a ballot entry dropped");
writeFileSync(path.join(records, "record.bin"), b(rec.record));
writeFileSync(path.join(records, "tampered-ballot.bin"), b(tamperedBallot.record));
writeFileSync(path.join(records, "dropped-entry.bin"), b(droppedEntry.record));
const published = readFileSync(path.join(site, "pkg/secret_ballot_wasm_bg.wasm.sha256"), "utf8").split(/\s+/)[0];

const server = await serve(site, records);
const profile = mkdtempSync(path.join(root, "target/chromium-profile-"));
const context = await launch(chromium, profile);
const results = [];
const errors = [];
// Every request any page makes, to any host (the server only sees its own).
const requested = [];
context.on("request", (r) => requested.push(r.url()));

async function check(name, fn) {
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && errors.push(`${name}: ${m.text()}`));
  page.on("pageerror", (e) => errors.push(`${name}: ${e}`));
  try {
    await fn(page);
    results.push({ name, ok: true });
    console.log(`  ok   ${name}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name}: ${e.stack ?? e}`);
    await page.screenshot({ path: path.join(out, `failure-${results.length}.png`), fullPage: true }).catch(() => {});
  } finally {
    await page.close();
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const text = (page, selector) => page.locator(selector).innerText();
const ready = (page) => page.waitForFunction(() => document.body.dataset.ready === "true", null, { timeout: 30000 });
const verdict = (page) => page.waitForFunction(() => document.getElementById("verdict")?.dataset.verdict, null, { timeout: 60000 });

try {
  await check("the known-answer vectors pass in the browser", async (page) => {
    await page.goto(`${server.origin}/vectors.html`);
    await page.waitForFunction(() => /passed, \d+ failed/.test(document.getElementById("result")?.textContent ?? ""), null, { timeout: 60000 });
    const result = await text(page, "#result");
    assert(/ 0 failed/.test(result), result);
    assert((await page.locator("#checks li.ok").count()) >= 8, "fewer than 8 vector groups");
  });

  await check("a valid record from a file: verified, with the right totals", async (page) => {
    await page.goto(`${server.origin}/`);
    await ready(page);
    assert((await text(page, "#wasm-hash")) === published, "the page shows the .wasm's SHA-256");
    assert((await text(page, "#wasm-match")).includes("same"), "the computed hash matches the published one");
    await page.setInputFiles("#file", path.join(records, "record.bin"));
    await verdict(page);
    const v = await page.locator("#verdict").getAttribute("data-verdict");
    const line = await text(page, "#verdict");
    assert(v === "valid" && /verified: valid and tallied/.test(line), line);
    const sheet = await text(page, "#sheet");
    for (const expected of ["应到 representatives (N)\t6", "实到 present (P)\t5", "3·P ≥ 2·N: 3·5 = 15 ≥ 2·6 = 12", "votes 票数\t2\t2\t1\t0",
      "未通过 not passed", "Decrypted by trustees 1, 3 (threshold 2 of 3)", "Paper count signed by trustees 1, 2", rec.head,
      "too few candidates met the rule: run-off for 1 unfilled seat", "x\t3\t0\t2\t0\t−1\t未当选 not elected"]) {
      assert(sheet.includes(expected), `sheet lacks ${JSON.stringify(expected)}:\n${sheet}`);
    }
    const bar = await page.$eval("#progress", (p) => [p.value, p.max]);
    assert(bar[0] === bar[1] && bar[1] === b(rec.record).length, `the progress bar ends full: ${bar}`);
    const rows = await page.$$eval("#checks tbody tr", (trs) => trs.map((tr) => tr.className));
    assert(rows.length === rec.report.checks.length && rows.every((c) => c === "passed"), `checks: ${rows}`);
    // The sheet the page rendered is the one Node builds (and the CLI's, record.test.mjs).
    const inPage = await page.evaluate(() => JSON.stringify(window.resultSheet));
    const inNode = await sb.verifyRecord(b(rec.record)).then((r) => sb.resultSheet(r.report, r.manifest, r.paperSigners));
    assert(inPage === JSON.stringify(inNode), `the page's sheet differs from Node's:\n${inPage}`);
    await page.screenshot({ path: path.join(out, "valid.png"), fullPage: true });
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: path.join(out, "valid-print.png"), fullPage: true });
    await page.pdf({ path: path.join(out, "valid.pdf"), format: "A4", printBackground: false });
  });

  await check("a tampered record from ?record=URL: the failing check and entry", async (page) => {
    const expected = JSON.parse(sb.recordVerify(b(tamperedBallot.record), seed())).checks.find((c) => c.check === "ballots");
    assert(expected.status === "failed" && expected.culprits?.length === 1, JSON.stringify(expected));
    await page.goto(`${server.origin}/?record=/records/tampered-ballot.bin&head=${rec.head}`);
    await verdict(page);
    const v = await page.locator("#verdict").getAttribute("data-verdict");
    const line = await text(page, "#verdict");
    assert(v === "invalid" && line.includes(`ballots at entry ${expected.entry}`), line);
    const row = await text(page, '#checks tr.failed[data-check="ballots"]');
    assert(row.includes("ballots") && row.includes("FAILED") && row.includes(`culprit: entry ${expected.culprits[0]} (cast ballot no.`), row);
    assert(/tracking code [0-9a-f]{4}(-[0-9a-f]{4}){4}/.test(row), `the culprit's tracking code: ${row}`);
    assert((await text(page, "#sheet")).includes("No result sheet"), "no sheet for an invalid record");
    assert((await text(page, "#head-match")).includes("not at the published head"), "the head differs from the published one");
    await page.screenshot({ path: path.join(out, "tampered.png"), fullPage: true });
  });

  await check("a record with an entry dropped: the hash chain names the entry", async (page) => {
    await page.goto(`${server.origin}/`);
    await ready(page);
    await page.setInputFiles("#file", path.join(records, "dropped-entry.bin"));
    await verdict(page);
    const expected = JSON.parse(sb.recordVerify(b(droppedEntry.record), seed())).checks.find((c) => c.check === "hash_chain");
    const row = await text(page, '#checks tr.failed[data-check="hash_chain"]');
    assert(row.includes("hash_chain") && row.includes(`at entry ${expected.entry} (`) && row.includes(`so entry ${expected.entry - 1} was changed`), row);
  });

  await check("nothing loaded but the page, its build and the record", async () => {
    const allowed = new Set(["/", "/vectors.html", "/vectors.mjs", "/replay.mjs", "/app.mjs", "/style.css", "/js/index.mjs", "/js/verify.mjs",
      "/js/voter.mjs", "/js/sheet.mjs", "/pkg/secret_ballot_wasm.js", "/pkg/secret_ballot_wasm_bg.wasm", "/pkg/secret_ballot_wasm_bg.wasm.sha256",
      "/records/tampered-ballot.bin"]);
    const other = server.requests.filter((p) => !allowed.has(p) && !p.startsWith("/vectors/"));
    assert(other.length === 0, `unexpected requests: ${other.join(", ")}`);
    const elsewhere = requested.filter((u) => !u.startsWith(`${server.origin}/`));
    assert(elsewhere.length === 0, `requests to other hosts: ${elsewhere.join(", ")}`);
    assert(requested.length > 10, "the request log works");
    assert(errors.length === 0, `console errors:\n${errors.join("\n")}`);
  });
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
console.log(`screenshots: ${out}`);
console.log(`chromium: ${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length ? 0 : 1);
