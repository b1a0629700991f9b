// Replays test-vectors/v1 through the WASM bindings. Shared by the Node test and the
// browser page, so both check exactly the same things.
// `sb` is the wasm-bindgen module; `load(name)` resolves to the parsed JSON of a file.

const b = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const eq = (x, y) => x.length === y.length && x.every((v, i) => v === y[i]);

/** A copy of a JSON value with every object's keys sorted (to compare reports). */
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  }
  return v;
}

export async function replay(sb, load) {
  const results = [];
  const check = (name, fn) => {
    try {
      fn();
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, error: String(e && e.stack ? e.stack : e) });
    }
  };
  const assert = (cond, msg) => {
    if (!cond) throw new Error(msg);
  };
  const throwsCode = (fn, code, msg) => {
    try {
      fn();
    } catch (e) {
      assert(e.code === code, `${msg}: expected code ${code}, got ${e.code} (${e.message})`);
      return;
    }
    throw new Error(`${msg}: accepted`);
  };

  const enc = await load("encodings.json");
  check("encodings", () => {
    for (const c of enc.valid_points) assert(eq(sb.pointCanonical(b(c.hex)), b(c.hex)), c.hex);
    for (const c of enc.invalid_points) throwsCode(() => sb.pointCanonical(b(c.hex)), "encoding", c.reason);
    for (const c of enc.valid_scalars) assert(eq(sb.scalarCanonical(b(c.hex)), b(c.hex)), c.hex);
    for (const c of enc.invalid_scalars) throwsCode(() => sb.scalarCanonical(b(c.hex)), "encoding", c.reason);
  });

  const eg = await load("elgamal.json");
  check("elgamal", () => {
    for (const c of eg.cases) {
      assert(eq(sb.elgamalPublicKey(b(c.secret_key)), b(c.public_key)), "public key");
      const ct = sb.elgamalEncryptWith(b(c.public_key), BigInt(c.value), b(c.randomness));
      assert(eq(ct, b(c.ciphertext)), `ciphertext of ${c.value}`);
    }
    const secret = b(eg.cases[0].secret_key);
    for (const c of eg.sums) {
      const total = sb.ciphertextSum(c.ciphertexts.map(b));
      assert(eq(total, b(c.sum)), "sum");
      assert(sb.elgamalDecrypt(secret, total, 2000n) === BigInt(c.value), "decrypted sum");
    }
  });

  const pr = await load("proofs.json");
  check("proofs reproduce byte for byte and verify", () => {
    for (const c of pr.schnorr) {
      assert(eq(sb.schnorrProve(b(c.context), b(c.secret), b(c.seed)), b(c.proof)), "schnorr bytes");
      sb.schnorrVerify(b(c.context), b(c.X), b(c.proof));
    }
    for (const c of pr.dleq) {
      assert(eq(sb.dleqProve(b(c.context), b(c.G), b(c.H), b(c.secret), b(c.seed)), b(c.proof)), "dleq bytes");
      sb.dleqVerify(b(c.context), b(c.G), b(c.H), b(c.P), b(c.Q), b(c.proof));
    }
    for (const c of pr.range) {
      const p = sb.rangeProve(b(c.context), b(c.public_key), b(c.ciphertext), BigInt(c.value), b(c.randomness), BigInt(c.min), BigInt(c.max), b(c.seed));
      assert(eq(p, b(c.proof)), "range bytes");
      sb.rangeVerify(b(c.context), b(c.public_key), b(c.ciphertext), BigInt(c.min), BigInt(c.max), p);
    }
  });
  check("invalid proofs are rejected with the named error", () => {
    for (const c of pr.invalid) {
      const run = {
        schnorr: () => sb.schnorrVerify(b(c.context), b(c.X), b(c.proof)),
        dleq: () => sb.dleqVerify(b(c.context), b(c.G), b(c.H), b(c.P), b(c.Q), b(c.proof)),
        range: () => sb.rangeVerify(b(c.context), b(c.public_key), b(c.ciphertext), BigInt(c.min), BigInt(c.max), b(c.proof)),
      }[c.kind];
      throwsCode(run, c.error, c.reason);
    }
  });

  const cr = await load("credential.json");
  check("credential and issuance report", () => {
    const args = (c) => ["issuer_key", "context", "pseudonym", "signature"].map((k) => b(c[k] ?? cr[k]));
    sb.credentialVerify(...args({}));
    for (const c of cr.invalid) throwsCode(() => sb.credentialVerify(...args(c)), c.error, c.reason);
    assert(sb.issuanceReportVerify(b(cr.report), b(cr.report_key), b(cr.context)) === 3n, "report count");
    throwsCode(() => sb.issuanceReportVerify(b(cr.report), b(cr.report_key), new Uint8Array(32)), "invalid_proof", "report for another election");
  });

  const th = await load("threshold.json");
  check("threshold tally verified locally", () => {
    const keys = th.trustee_keys.map(b);
    const round1 = th.round1.map(b);
    const pub = sb.thresholdPublicKeys(b(th.context), th.threshold, keys, round1);
    assert(eq(pub.slice(0, 32), b(th.election_key)), "election key");
    const tally = sb.thresholdTally(b(th.context), th.threshold, keys, round1, th.ballots.map((x) => x.map(b)), th.decryption_shares.map(b));
    assert(JSON.stringify(tally.totals.map(Number)) === JSON.stringify(th.totals), `totals ${tally.totals}`);
    assert(JSON.stringify(tally.rejected) === JSON.stringify(th.rejected), "rejected");
  });

  const bl = await load("ballot.json");
  check("manifest, ballot and spoiled ballot", () => {
    assert(eq(sb.manifestContext(b(bl.manifest)), b(bl.context)), "context");
    assert(sb.ballotVerify(b(bl.manifest), b(bl.election_key), b(bl.ballot)) === bl.tracking_code, "tracking code");
    const opened = sb.spoiledBallotOpen(b(bl.manifest), b(bl.election_key), b(bl.spoiled));
    assert(JSON.stringify(Array.from(opened, Number)) === JSON.stringify(bl.plaintexts), "plaintexts");
    for (const c of bl.invalid) {
      throwsCode(() => sb.ballotVerify(b(c.manifest ?? bl.manifest), b(c.election_key ?? bl.election_key), b(c.ballot)), c.error, c.reason);
    }
  });

  const rec = await load("record.json");
  const seed = () => crypto.getRandomValues(new Uint8Array(32));
  check("election record: the report, the closed stage and 13 tampered records", () => {
    const report = JSON.parse(sb.recordVerify(b(rec.record), seed()));
    assert(JSON.stringify(sortKeys(report)) === JSON.stringify(sortKeys(rec.report)), "report");
    const closed = JSON.parse(sb.recordVerify(b(rec.closed), seed()));
    assert(closed.verdict === "valid" && closed.stage === "closed", "closed stage");
    assert(rec.invalid.length >= 12, "tampered records");
    for (const c of rec.invalid) {
      const r = JSON.parse(sb.recordVerify(b(c.record), seed()));
      assert(r.verdict === c.verdict, `${c.reason}: verdict ${r.verdict}`);
      const failed = r.checks.find((x) => x.check === c.check);
      assert(failed.status === "failed" && failed.error === c.error, `${c.reason}: ${JSON.stringify(failed)}`);
    }
    throwsCode(() => sb.recordVerify(b(rec.record), new Uint8Array(3)), "encoding", "short seed");
  });

  check("election record: the JSON view is lossless", () => {
    const hexOf = (bytes) => Array.from(bytes, (x) => x.toString(16).padStart(2, "0")).join("");
    for (const h of [rec.record, rec.closed, ...rec.invalid.map((c) => c.record)]) {
      const view = JSON.parse(sb.recordJson(b(h)));
      let rebuilt = "";
      for (const e of view.entries) {
        const len = e.payload.length / 2;
        rebuilt += "0140" + e.previous + hexOf([len & 255, (len >> 8) & 255, (len >> 16) & 255, (len >>> 24) & 255]) + e.payload;
      }
      rebuilt += view.unreadable;
      assert(rebuilt === h, "rebuilt bytes");
    }
    const view = JSON.parse(sb.recordJson(b(rec.record)));
    assert(view.head === rec.head, "head");
    assert(view.entries[0].section === "manifest", "first section");
  });

  check("bad input throws typed errors", () => {
    throwsCode(() => sb.schnorrVerify(new Uint8Array(31), new Uint8Array(32), new Uint8Array(0)), "encoding", "short context");
    throwsCode(() => sb.schnorrProve(new Uint8Array(32), Uint8Array.of(1, ...new Array(31).fill(0)), new Uint8Array(5)), "encoding", "short seed");
    throwsCode(() => sb.ciphertextSum(["not bytes"]), "invalid_input", "array of strings");
    const c = eg.cases[1];
    throwsCode(() => sb.rangeVerify(new Uint8Array(32), b(c.public_key), b(c.ciphertext), 5n, 4n, new Uint8Array(0)), "invalid_range", "empty range");
  });

  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}
