// Node: the nodejs build of the WASM bindings replays every test vector.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { replay } from "./replay.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const require = createRequire(import.meta.url);
const sb = require(process.env.SB_WASM_NODE_PKG ?? path.join(root, "target/wasm-pkg-node/secret_ballot_wasm.js"));
const load = async (name) => JSON.parse(await readFile(path.join(root, "test-vectors/v1", name), "utf8"));

test("test vectors replay through the WASM bindings in Node", async () => {
  const { results } = await replay(sb, load);
  for (const r of results) assert.ok(r.ok, `${r.name}: ${r.error}`);
  assert.ok(results.length >= 8);
});

test("fresh randomness gives fresh valid proofs", async () => {
  const pr = await load("proofs.json");
  const c = pr.schnorr[0];
  const b = (hex) => Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
  const seed = () => crypto.getRandomValues(new Uint8Array(32));
  const p1 = sb.schnorrProve(b(c.context), b(c.secret), seed());
  const p2 = sb.schnorrProve(b(c.context), b(c.secret), seed());
  assert.notDeepEqual(p1, p2);
  sb.schnorrVerify(b(c.context), b(c.X), p1);
  sb.schnorrVerify(b(c.context), b(c.X), p2);
});
