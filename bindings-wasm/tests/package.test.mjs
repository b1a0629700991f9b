// Node: the npm package holds exactly the built files (ES module, .wasm with its SHA-256,
// declarations), its published hash is the .wasm's, and its TypeScript declarations
// type-check a voter and an observer (tsc --noEmit, strict).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { here } from "./support.mjs";

const pkgDir = path.resolve(here, "..");

test("npm pack ships the ES module, the .wasm, its hash and the declarations", () => {
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: pkgDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const files = packed.files.map((f) => f.path).sort();
  for (const f of ["package.json", "js/index.mjs", "js/node.mjs", "js/verify.mjs", "js/voter.mjs", "js/sheet.mjs", "js/index.d.ts", "js/node.d.ts",
    "pkg/secret_ballot_wasm.js", "pkg/secret_ballot_wasm.d.ts", "pkg/secret_ballot_wasm_bg.wasm", "pkg/secret_ballot_wasm_bg.wasm.sha256"]) {
    assert.ok(files.includes(f), `${f} in ${files.join(", ")}`);
  }
  assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("tests/") || f.startsWith("node_modules/")), files.join(", "));
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  assert.equal(manifest.type, "module");
  assert.equal(manifest.types, "./js/index.d.ts");
});

test("the published SHA-256 is the .wasm's", () => {
  const wasm = readFileSync(path.join(pkgDir, "pkg/secret_ballot_wasm_bg.wasm"));
  const [published, name] = readFileSync(path.join(pkgDir, "pkg/secret_ballot_wasm_bg.wasm.sha256"), "utf8").trim().split(/\s+/);
  assert.equal(name, "secret_ballot_wasm_bg.wasm");
  assert.equal(published, createHash("sha256").update(wasm).digest("hex"));
});

test("the TypeScript declarations type-check (tsc --strict)", () => {
  execFileSync(path.join(pkgDir, "node_modules/.bin/tsc"), ["-p", path.join(here, "types/tsconfig.json")], { stdio: "inherit" });
});
