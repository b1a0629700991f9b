// secret-ballot-wasm for browsers and bundlers: call the default export (`init`) once,
// then use the API. Node: `import ... from "secret-ballot-wasm"` resolves to node.mjs,
// which is ready to use.
export * from "../pkg/secret_ballot_wasm.js";
export { default } from "../pkg/secret_ballot_wasm.js";
export { ENTRY_HEADER_LEN, entryView, randomSeed, recordEntries, verifyRecord } from "./verify.mjs";
export { BLANK, answersFromVotes, encryptBallot, startIssuance } from "./voter.mjs";
export { basisPoints, inequality, minimum, resultSheet, utc } from "./sheet.mjs";
