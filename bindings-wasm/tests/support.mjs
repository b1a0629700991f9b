// Shared by the Node tests: the package (by its own name, through package.json
// "exports"), the test-only issuer build, the vectors and hex helpers.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

export * as sb from "secret-ballot-wasm";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "../..");

/** The build with the test-only `TestIssuer` (feature test-issuer): a separate module. */
export async function testIssuerModule() {
  const dir = path.join(root, "target/wasm-pkg-test-issuer");
  const mod = await import(path.join(dir, "secret_ballot_wasm.js"));
  mod.initSync({ module: readFileSync(path.join(dir, "secret_ballot_wasm_bg.wasm")) });
  return mod;
}

export const load = async (name) => JSON.parse(await readFile(path.join(root, "test-vectors/v1", name), "utf8"));
export const b = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
export const hexOf = (bytes) => Array.from(bytes, (x) => x.toString(16).padStart(2, "0")).join("");
export const seed = () => crypto.getRandomValues(new Uint8Array(32));

/** Asserts that `fn` throws an Error with `code`. */
export function throwsCode(assert, fn, code) {
  assert.throws(fn, (e) => e instanceof Error && e.code === code, `expected code ${code}`);
}
