// Node: the voter's side end to end against the real core issuer (the test-only build's
// TestIssuer, a separate WASM instance, so only bytes pass between them, as over a
// network): blind issuance, ballot encryption, tracking code, spoiling and its opening,
// a fresh ballot under the same credential, and every refusal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { b, load, sb, seed, testIssuerModule, throwsCode } from "./support.mjs";

const bl = await load("ballot.json");
const manifest = b(bl.manifest);
const electionKey = b(bl.election_key);
const context = sb.manifestContext(manifest);
const { TestIssuer } = await testIssuerModule();
// ballot.json's issuer key is the first draw from its seed: this issuer holds it.
const issuer = new TestIssuer(b(bl.seed));

// The vector manifest: a motion, a choice of 1 or 2 of 3, an election of 1 seat of 2
// candidates, an evaluation of 1 subject on 3 levels with blank.
const votes = [{ motion: "against" }, { choice: [0, 2] }, { election: ["for", "abstain"] }, { evaluation: [null] }];
const bits = [0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1];

function issue(voter) {
  const commit = issuer.commit(context, voter, seed());
  const client = sb.startIssuance(manifest, commit);
  const response = issuer.respond(client.challenge, voter);
  const credential = client.finalize(response);
  throwsCode(assert, () => client.finalize(response), "invalid_input");
  client.free();
  return credential;
}

test("issuance, encryption, tracking code, spoil and cast", () => {
  const credential = issue(new TextEncoder().encode("rep-0001"));
  sb.credentialVerify(issuer.publicKey, context, credential.pseudonym, credential.signature);

  const audited = sb.encryptBallot(credential, manifest, electionKey, votes);
  const code = audited.trackingCode;
  assert.match(code, /^[0-9a-f]{4}(-[0-9a-f]{4}){4}$/);
  const spoiled = audited.spoil();
  throwsCode(assert, () => audited.spoil(), "invalid_input");
  throwsCode(assert, () => audited.cast(), "invalid_input");
  audited.free();
  const opened = sb.spoiledBallotOpen(manifest, electionKey, spoiled);
  assert.deepEqual(Array.from(opened, Number), bits);

  const ballot = sb.encryptBallot(credential, manifest, electionKey, votes);
  assert.notEqual(ballot.trackingCode, code);
  const cast = ballot.cast();
  assert.deepEqual(ballot.cast(), cast, "a resubmission gets the same bytes");
  throwsCode(assert, () => ballot.spoil(), "invalid_input");
  assert.equal(sb.ballotVerify(manifest, electionKey, cast), ballot.trackingCode);
  ballot.free();
  credential.free();
});

test("the issuer's single-use sessions hold across the two WASM instances", () => {
  const voter = new TextEncoder().encode("rep-0002");
  const commit = issuer.commit(context, voter, seed());
  const first = new sb.IssuanceClient(manifest, commit, seed());
  const second = new sb.IssuanceClient(manifest, commit, seed());
  first.finalize(issuer.respond(first.challenge, voter)).free();
  throwsCode(assert, () => issuer.respond(second.challenge, voter), "session_refused");
  throwsCode(assert, () => issuer.commit(context, voter, seed()), "session_refused");
  // A response to another session fails the voter's checks.
  const other = new TextEncoder().encode("rep-0003");
  const a = new sb.IssuanceClient(manifest, issuer.commit(context, other, seed()), seed());
  const stray = new TextEncoder().encode("rep-0004");
  const c = new sb.IssuanceClient(manifest, issuer.commit(context, stray, seed()), seed());
  throwsCode(assert, () => a.finalize(issuer.respond(c.challenge, stray)), "issuer_misbehaved");
  for (const x of [first, second, a, c]) x.free();
});

test("answers that do not fit the manifest are refused before anything is encrypted", () => {
  const credential = issue(new TextEncoder().encode("rep-0005"));
  const cast = (answers) => () => credential.encryptBallot(manifest, electionKey, answers, seed());
  const good = sb.answersFromVotes(votes);
  assert.deepEqual(good, [[1], [0, 2], [0, 2], [sb.BLANK]]);
  throwsCode(assert, cast(good.slice(0, 3)), "invalid_ballot");
  throwsCode(assert, cast([[1], [0, 1, 2], [0, 2], [0]]), "invalid_ballot"); // 3 of at most 2
  throwsCode(assert, cast([[1], [0], [0, 0], [0]]), "invalid_ballot"); // 2 "for" for 1 seat
  throwsCode(assert, cast([[1], [0], [0, 2], [3]]), "invalid_ballot"); // no fourth level
  throwsCode(assert, cast([[1.5], [0], [0, 2], [0]]), "invalid_input");
  throwsCode(assert, cast([[-1], [0], [0, 2], [0]]), "invalid_input");
  throwsCode(assert, cast([1, [0], [0, 2], [0]]), "invalid_input");
  throwsCode(assert, () => sb.answersFromVotes([{ motion: "yes" }]), "invalid_input");
  throwsCode(assert, () => credential.encryptBallot(manifest, electionKey, good, new Uint8Array(5)), "encoding");
  // The credential is checked against the manifest first: another election's is refused.
  const other = b(bl.invalid.find((c) => c.reason === "another election's manifest").manifest);
  throwsCode(assert, () => credential.encryptBallot(other, electionKey, good, seed()), "invalid_credential");
  credential.free();
});
