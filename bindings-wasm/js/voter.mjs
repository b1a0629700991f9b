// The voter's side with fresh randomness: thin wrappers that draw each seed from
// `crypto.getRandomValues` and turn readable votes into the per-question integers the
// WASM API takes (secret_ballot::wire::ballot_cast).
import { IssuanceClient } from "../pkg/secret_ballot_wasm.js";
import { randomSeed } from "./verify.mjs";

const MOTION = { for: 0, against: 1, abstain: 2 };
/** An evaluation answer that leaves the subject blank. */
export const BLANK = 0xffff;

function motion(v, where) {
  const value = MOTION[v];
  if (value === undefined) throw Object.assign(new Error(`${where}: expected "for", "against" or "abstain"`), { code: "invalid_input" });
  return value;
}

/**
 * Votes, one per question in ballot order, as the WASM API's answers:
 * `{ motion: "for" | "against" | "abstain" }`, `{ choice: [optionIndex…] }`,
 * `{ election: ["for" | "against" | "abstain", …] }` (one per candidate) and
 * `{ evaluation: [levelIndex | null, …] }` (one per subject; `null` is blank).
 */
export function answersFromVotes(votes) {
  return votes.map((vote, q) => {
    const where = `question ${q + 1}`;
    if ("motion" in vote) return [motion(vote.motion, where)];
    if ("choice" in vote) return [...vote.choice];
    if ("election" in vote) return vote.election.map((v) => motion(v, where));
    if ("evaluation" in vote) return vote.evaluation.map((l) => (l === null ? BLANK : l));
    throw Object.assign(new Error(`${where}: unknown kind of vote`), { code: "invalid_input" });
  });
}

/** Starts an issuance session from the manifest and the issuer's commitment. */
export function startIssuance(manifest, commit) {
  return new IssuanceClient(manifest, commit, randomSeed());
}

/** Encrypts `votes` (see `answersFromVotes`) under `credential` with fresh randomness. */
export function encryptBallot(credential, manifest, electionKey, votes) {
  return credential.encryptBallot(manifest, electionKey, answersFromVotes(votes), randomSeed());
}
