// The result sheet of a verified record, as the CLI's `secret-ballot report --format
// json` gives it (format "secret-ballot-result-sheet-v1"), built only from the core's
// verification report (SPEC.md §14.9) and the manifest's decoded view (SPEC.md §14.10).
// Presentation only: every count and outcome comes from the verified report; the rules
// are restated as the inequalities they are (SPEC.md §10.1), with the margin to them.

const BASE_SYMBOL = { roster: "N", present: "P", votes_cast: "V" };

const coefficient = (c, symbol) => (c === 1 ? symbol : `${c}·${symbol}`);

/** A threshold as an inequality in the count `symbol`, e.g. `3·P ≥ 2·N`. */
export function inequality(t, symbol) {
  const op = t.strict ? ">" : "≥";
  return `${coefficient(t.denominator, symbol)} ${op} ${coefficient(t.numerator, BASE_SYMBOL[t.base] ?? "B")}`;
}

/** The smallest count that meets the threshold (SPEC.md §10.1), exact in BigInt. */
export function minimum(t, bases) {
  const product = BigInt(t.numerator) * BigInt(bases[t.base] ?? bases.roster);
  const den = BigInt(t.denominator);
  return Number(t.strict ? product / den + 1n : (product + den - 1n) / den);
}

function ruleCheck(t, symbol, count, bases) {
  const base = bases[t.base] ?? bases.roster;
  const min = minimum(t, bases);
  const met = count >= min;
  const op = t.strict ? (met ? ">" : "≤") : met ? "≥" : "<";
  const side = (c, n) => (c === 1 ? `${n}` : `${c}·${n} = ${BigInt(c) * BigInt(n)}`);
  return {
    inequality: inequality(t, symbol),
    evaluated: `${side(t.denominator, count)} ${op} ${side(t.numerator, base)}`,
    minimum: min,
    margin: count - min,
    met,
  };
}

/** Basis points rounded half up, `⌊(2·10000·num + den) / (2·den)⌋` (SPEC.md §10.4). */
export function basisPoints(numerator, denominator) {
  if (denominator === 0) return null;
  const n = BigInt(numerator) * 10000n;
  const d = BigInt(denominator);
  return Number((2n * n + d) / (2n * d));
}

const ratio = (numerator, denominator) => ({ numerator, denominator, basis_points: basisPoints(numerator, denominator) });
const sat = (a, b) => Math.max(0, a - b);

function counts(yes, no, abstain, voters) {
  return { for: yes, against: no, abstain, invalid: sat(voters, yes + no + abstain) };
}

function width(q) {
  switch (q.kind) {
    case "motion":
      return 3;
    case "choice":
      return q.options.length;
    case "election":
      return 3 * q.candidates.length;
    default:
      return q.subjects.length * (q.levels.length + (q.allow_blank ? 1 : 0));
  }
}

const plural = (n) => (n === 1 ? "seat" : "seats");

function pendingOf(p, names) {
  if (!p) return null;
  const named = (p.candidates ?? []).map((i) => names[i] ?? `candidate ${i + 1}`);
  const text =
    p.kind === "shortfall_runoff"
      ? `too few candidates met the rule: run-off for ${p.seats} unfilled ${plural(p.seats)}`
      : `tie: ${p.kind === "lot" ? "lot" : "run-off"} among ${named.join(", ")} for ${p.seats} ${plural(p.seats)}`;
  return { kind: p.kind, candidates: named, seats: p.seats, text };
}

function question(number, q, totals, outcome, ctx) {
  const at = (i) => totals[i] ?? 0;
  const bases = (votesCast) => ({ roster: ctx.roster, present: ctx.present, votes_cast: votesCast });
  if (q.kind !== outcome.kind) throw new Error("the record's outcomes do not match its manifest's questions");
  switch (q.kind) {
    case "motion": {
      const c = counts(at(0), at(1), at(2), ctx.voters);
      return { kind: "motion", number, title: q.title, counts: c, rule: ruleCheck(ctx.pass, "Y", c.for, bases(c.for + c.against + c.abstain)), passed: outcome.passed };
    }
    case "choice":
      return { kind: "choice", number, title: q.title, min: q.min, max: q.max, options: q.options.map((name, i) => ({ name, marks: at(i) })) };
    case "election": {
      const candidates = q.candidates.map((name, c) => {
        const k = counts(at(3 * c), at(3 * c + 1), at(3 * c + 2), ctx.voters);
        return {
          name,
          counts: k,
          rule: ruleCheck(ctx.pass, "Y", k.for, bases(k.for + k.against + k.abstain)),
          qualified: outcome.qualified.includes(c),
          elected: outcome.elected.includes(c),
        };
      });
      return {
        kind: "election",
        number,
        title: q.title,
        seats: q.seats,
        candidates,
        elected: outcome.elected.map((i) => q.candidates[i] ?? `candidate ${i + 1}`),
        pending: pendingOf(outcome.pending, q.candidates),
        vacant: outcome.vacant,
      };
    }
    default: {
      const stride = q.levels.length + (q.allow_blank ? 1 : 0);
      const subjects = q.subjects.map((name, s) => {
        const levels = q.levels.map((_, l) => at(s * stride + l));
        const valid = levels.reduce((a, b) => a + b, 0);
        const blank = q.allow_blank ? at(s * stride + q.levels.length) : 0;
        const indicators = outcome.indicators[s];
        if (!indicators) throw new Error("the record's outcomes do not match its manifest's questions");
        return {
          name,
          levels: levels.map((n) => ratio(n, valid)),
          blank,
          invalid: sat(ctx.voters, valid + blank),
          valid,
          indicators,
        };
      });
      return {
        kind: "evaluation",
        number,
        title: q.title,
        levels: q.levels,
        allow_blank: Boolean(q.allow_blank),
        indicators: q.indicators.map((i) => i.name),
        subjects,
      };
    }
  }
}

/** Seconds since the Unix epoch as `YYYY-MM-DD hh:mm:ss UTC`, as the CLI prints them. */
export function utc(seconds) {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return "—";
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/**
 * The result sheet, or `null` when the record is not valid and tallied (then there is
 * no result to show). `manifest` is the manifest's view (SPEC.md §14.10), `paperSigners`
 * the trustees who signed the paper count.
 */
export function resultSheet(report, manifest, paperSigners = []) {
  if (report.verdict !== "valid" || report.stage !== "tallied" || !manifest || !report.outcomes || !report.totals) return null;
  const roster = manifest.roster;
  const present = report.present ?? 0;
  const paper = report.offline_voters;
  const ctx = { roster, present, voters: report.ballots + paper, pass: manifest.pass };
  let offset = 0;
  const questions = manifest.questions.map((q, i) => {
    const w = width(q);
    const slice = report.totals.slice(offset, offset + w);
    if (slice.length < w) throw new Error("the record's totals are shorter than its ballot");
    offset += w;
    return question(i + 1, q, slice, report.outcomes.questions[i] ?? {}, ctx);
  });
  const shares = report.checks.find((c) => c.check === "decryption_shares");
  return {
    format: "secret-ballot-result-sheet-v1",
    title: manifest.title,
    election_id: typeof manifest.election_id === "string" ? manifest.election_id : manifest.election_id.hex,
    manifest_hash: report.context,
    record_head: report.head,
    // When voting closed, if the record's close says (older records do not).
    ...("closed_at" in report ? { closed_at: report.closed_at === null ? "—" : utc(report.closed_at) } : {}),
    entries: report.entries,
    attendance: {
      roster,
      present,
      quorum: ruleCheck(manifest.quorum, "P", present, { roster, present, votes_cast: 0 }),
      credentials_issued: report.credentials ?? 0,
      ballots_accepted: report.ballots,
      ballots_spoiled: report.spoiled,
      paper_voters: paper,
      present_not_voting: sat(present, ctx.voters),
    },
    pass_rule: inequality(manifest.pass, "Y"),
    questions,
    scrutineers: {
      trustees: manifest.trustee_keys.length,
      threshold: manifest.trustee_threshold,
      decrypted_by: report.decrypted_by,
      shares_verified: shares?.status === "passed" ? shares.items : 0,
      paper_count_signed_by: paperSigners,
    },
    verification: report,
  };
}
