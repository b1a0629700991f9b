// secret-ballot-wasm for Node: initialises the module synchronously from the package's
// own .wasm file, so everything is usable as soon as it is imported.
import { readFileSync } from "node:fs";
import { initSync } from "../pkg/secret_ballot_wasm.js";

initSync({ module: readFileSync(new URL("../pkg/secret_ballot_wasm_bg.wasm", import.meta.url)) });

export * from "./index.mjs";
/** Already initialised in Node: resolves at once (for code shared with browsers). */
export default async function init() {}
