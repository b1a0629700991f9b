// Node: the published WASM build replays every known-answer test vector.
import { test } from "node:test";
import assert from "node:assert/strict";
import { replay } from "./replay.mjs";
import { b, load, sb, seed } from "./support.mjs";

test("test vectors replay through the WASM bindings in Node", async () => {
  const { results } = await replay(sb, load);
  for (const r of results) assert.ok(r.ok, `${r.name}: ${r.error}`);
  assert.ok(results.length >= 8);
});

test("fresh randomness gives fresh valid proofs", async () => {
  const pr = await load("proofs.json");
  const c = pr.schnorr[0];
  const p1 = sb.schnorrProve(b(c.context), b(c.secret), seed());
  const p2 = sb.schnorrProve(b(c.context), b(c.secret), seed());
  assert.notDeepEqual(p1, p2);
  sb.schnorrVerify(b(c.context), b(c.X), p1);
  sb.schnorrVerify(b(c.context), b(c.X), p2);
});
