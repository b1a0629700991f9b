// Node: streamed record verification (RecordVerifier through js/verify.mjs) with a
// progress callback gives exactly the report of recordVerify and of the vector, for the
// sample record, its closed stage and every tampered record; and the result sheet built
// in JS is the CLI's (`secret-ballot report --format json`), when the CLI is built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { b, load, root, sb, seed, throwsCode } from "./support.mjs";

const rec = await load("record.json");

async function streamed(bytes, sliceMs = 0) {
  const calls = [];
  const result = await sb.verifyRecord(bytes, { sliceMs, onProgress: (done, total) => calls.push([done, total]) });
  return { ...result, calls };
}

test("streamed verification with progress gives the vector's report", async () => {
  const bytes = b(rec.record);
  const { report, calls, entries, manifest, paperSigners } = await streamed(bytes);
  assert.deepEqual(report, rec.report);
  assert.deepEqual(report, JSON.parse(sb.recordVerify(bytes, seed())));
  assert.deepEqual(calls[0], [0, bytes.length]);
  assert.deepEqual(calls.at(-1), [bytes.length, bytes.length]);
  assert.ok(calls.length >= entries.length, "a progress call after every slice (sliceMs 0: every entry)");
  for (let i = 1; i < calls.length; i++) assert.ok(calls[i][0] >= calls[i - 1][0], "progress never goes back");
  assert.equal(entries.length, rec.report.entries);
  assert.equal(entries.at(-1).offset + entries.at(-1).length, bytes.length);
  assert.equal(manifest.context, rec.report.context);
  assert.deepEqual(paperSigners, [1, 2]);
});

test("every tampered record streams to the same report as recordVerify", async () => {
  for (const h of [rec.closed, ...rec.invalid.map((c) => c.record)]) {
    const bytes = b(h);
    const { report } = await streamed(bytes, 5);
    assert.deepEqual(report, JSON.parse(sb.recordVerify(bytes, seed())));
  }
  for (const c of rec.invalid) {
    const { report } = await streamed(b(c.record), 5);
    const failed = report.checks.find((x) => x.check === c.check);
    assert.equal(report.verdict, c.verdict, c.reason);
    assert.equal(failed.status, "failed", c.reason);
    assert.equal(failed.error, c.error, c.reason);
  }
  // Garbage, an empty record and a cut header: reported, never thrown.
  for (const bytes of [new Uint8Array(0), new Uint8Array(10), b(rec.record).subarray(0, 20)]) {
    const { report } = await streamed(bytes);
    assert.deepEqual(report, JSON.parse(sb.recordVerify(bytes, seed())));
    assert.equal(report.verdict, "invalid");
  }
});

test("the verifier is single use and takes a 32-byte seed", () => {
  throwsCode(assert, () => new sb.RecordVerifier(new Uint8Array(31)), "encoding");
  const v = new sb.RecordVerifier(seed());
  v.finish();
  throwsCode(assert, () => v.pushEntry(new Uint8Array(0)), "invalid_input");
  throwsCode(assert, () => v.finish(), "invalid_input");
  v.free();
  throwsCode(assert, () => sb.recordEntryLength(new Uint8Array(37)), "encoding");
  const first = b(rec.record).subarray(0, sb.ENTRY_HEADER_LEN);
  assert.equal(sb.recordEntryLength(first), sb.ENTRY_HEADER_LEN + new DataView(first.buffer).getUint32(34, true));
});

test("an abort signal stops verification between slices", async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(sb.verifyRecord(b(rec.record), { sliceMs: 0, signal: controller.signal }), { name: "AbortError" });
});

test("the sheet of the sample record", async () => {
  const { report, manifest, paperSigners } = await streamed(b(rec.record), 30);
  const sheet = sb.resultSheet(report, manifest, paperSigners);
  assert.equal(sheet.attendance.roster, 6);
  assert.equal(sheet.attendance.present, 5);
  assert.equal(sheet.attendance.quorum.evaluated, "3·5 = 15 ≥ 2·6 = 12");
  const [motion, election] = sheet.questions;
  assert.deepEqual(motion.counts, { for: 2, against: 2, abstain: 1, invalid: 0 });
  assert.equal(motion.rule.margin, -2);
  assert.equal(election.pending.text, "too few candidates met the rule: run-off for 1 unfilled seat");
  assert.deepEqual(sheet.scrutineers.decrypted_by, [1, 3]);
  assert.equal(sb.resultSheet(JSON.parse(sb.recordVerify(b(rec.closed), seed())), manifest), null, "not tallied: no sheet");
  assert.equal(sb.basisPoints(7, 22), 3182);
  assert.equal(sb.basisPoints(1, 0), null);
  assert.equal(sb.minimum({ numerator: 1, denominator: 2, base: "roster", strict: true }, { roster: 6 }), 4);
  assert.equal(sb.minimum({ numerator: 2, denominator: 3, base: "roster", strict: false }, { roster: 7 }), 5);
});

const cli = process.env.SB_CLI ?? path.join(root, "target/debug/secret-ballot");

test("the JS result sheet is the CLI's, for the sample record and a demo congress", { skip: !existsSync(cli) && `no CLI at ${cli}` }, async () => {
  const dir = path.join(root, "target/wasm-test");
  mkdirSync(dir, { recursive: true });
  const sample = path.join(dir, "record.bin");
  writeFileSync(sample, b(rec.record));
  const demo = path.join(dir, "demo.record");
  // Every kind of question: motions, a choice, an election and an evaluation with blanks.
  execFileSync(cli, ["demo", "--representatives", "30", "--present", "24", "--choice-options", "3", "--privacy-floor", "5",
    "--seed", "7", "--record", demo, "--json", path.join(dir, "demo-sheet.json")], { stdio: "ignore" });
  for (const file of [sample, demo]) {
    const expected = JSON.parse(execFileSync(cli, ["report", file, "--format", "json"], { encoding: "utf8" }));
    const { report, manifest, paperSigners } = await streamed(new Uint8Array(readFileSync(file)), 30);
    assert.deepEqual(sb.resultSheet(report, manifest, paperSigners), expected, file);
  }
});
