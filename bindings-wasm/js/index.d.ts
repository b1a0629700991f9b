// Types of secret-ballot-wasm: the wasm-bindgen API (pkg/secret_ballot_wasm.d.ts) and
// the JS helpers (js/verify.mjs, js/voter.mjs, js/sheet.mjs).
export * from "../pkg/secret_ballot_wasm.js";
export { default } from "../pkg/secret_ballot_wasm.js";
import type { EncryptedBallot, IssuanceClient, VoterCredential } from "../pkg/secret_ballot_wasm.js";

/** Bytes of an entry's framing that give its length (SPEC.md §14.8). */
export const ENTRY_HEADER_LEN: 38;

/** 32 fresh random bytes from `crypto.getRandomValues`. */
export function randomSeed(): Uint8Array;

/** One entry of a record as framed; `framed: false` holds whatever could not be framed. */
export interface RecordEntry {
  index: number;
  offset: number;
  bytes: Uint8Array;
  framed: boolean;
}

/** The record's entries in order (SPEC.md §14.1). */
export function recordEntries(record: Uint8Array | ArrayBuffer): Generator<RecordEntry, void, void>;

/** The decoded view of one entry alone (SPEC.md §14.10), or null. */
export function entryView(entry: Uint8Array): EntryView | null;

export interface EntryView {
  index: number;
  section: string;
  previous: string;
  hash: string;
  payload: string;
  view: Record<string, unknown>;
}

/** One check of the report (SPEC.md §14.9). */
export type Check =
  | { check: CheckName; status: "passed"; items: number }
  | { check: CheckName; status: "failed"; error: string; message: string; entry: number | null; culprits?: number[] }
  | { check: CheckName; status: "skipped"; reason: string };

export type CheckName =
  | "encoding" | "hash_chain" | "order" | "manifest" | "key_ceremony" | "issuance_report"
  | "spoiled_ballots" | "ballots" | "pseudonyms" | "spoiled_not_counted" | "reconciliation"
  | "offline_count" | "attendance" | "privacy_floor" | "aggregate" | "decryption_shares"
  | "totals" | "outcomes";

export type QuestionOutcome =
  | { kind: "motion"; passed: boolean; minimum: number }
  | { kind: "choice" }
  | {
      kind: "election";
      qualified: number[];
      elected: number[];
      vacant: number;
      pending:
        | null
        | { kind: "runoff" | "lot"; candidates: number[]; seats: number }
        | { kind: "shortfall_runoff"; seats: number };
    }
  | { kind: "evaluation"; indicators: Ratio[][] };

/** The verification report (SPEC.md §14.9), parsed. */
export interface Report {
  verdict: "valid" | "void_redo" | "invalid";
  stage: "empty" | "setup" | "voting" | "closed" | "counting" | "tallied";
  entries: number;
  head: string;
  context: string | null;
  election_key: string | null;
  credentials: number | null;
  ballots: number;
  spoiled: number;
  offline_voters: number;
  present: number | null;
  /** When voting closed (seconds since the Unix epoch), where the record's close says. */
  closed_at?: number | null;
  disqualified: number[];
  decrypted_by: number[];
  totals: number[] | null;
  outcomes: null | { roster: number; present: number; quorum: boolean; questions: QuestionOutcome[] };
  checks: Check[];
}

export interface VerifyOptions {
  /** Called with the bytes verified so far, between slices and at the end. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Milliseconds of work between two yields to the event loop (default 30). */
  sliceMs?: number;
  /** 32 bytes for the batch weights (default: `randomSeed()`). */
  seed?: Uint8Array;
  /** Stops verification between slices. */
  signal?: AbortSignal;
}

export interface VerifyResult {
  report: Report;
  /** Every entry's offset, length and payload kind byte (null when not framed). */
  entries: { offset: number; length: number; framed: boolean; kind: number | null }[];
  /** The manifest's decoded view (SPEC.md §14.10), or null. */
  manifest: ManifestView | null;
  /** The trustees who signed the paper count. */
  paperSigners: number[];
  /** Wall time of the verification. */
  seconds: number;
}

/**
 * Verifies an election record entry by entry (SPEC.md §14.7), yielding to the event loop
 * between slices and reporting progress.
 */
export function verifyRecord(record: Uint8Array | ArrayBuffer, options?: VerifyOptions): Promise<VerifyResult>;

export interface Threshold {
  numerator: number;
  denominator: number;
  base: "roster" | "present" | "votes_cast";
  strict: boolean;
}

export type ManifestQuestion =
  | { kind: "motion"; title: string }
  | { kind: "choice"; title: string; options: string[]; min: number; max: number }
  | { kind: "election"; title: string; candidates: string[]; seats: number }
  | {
      kind: "evaluation";
      title: string;
      subjects: string[];
      levels: string[];
      allow_blank: boolean;
      indicators: { name: string; levels: number[] }[];
    };

/** The manifest's view (SPEC.md §14.10). */
export interface ManifestView {
  election_id: string | { hex: string };
  title: string;
  roster: number;
  quorum: Threshold;
  pass: Threshold;
  tie: string;
  shortfall: string;
  trustee_threshold: number;
  trustee_keys: string[];
  issuer_key: string;
  report_key: string;
  privacy_floor: number;
  revoting: boolean;
  questions: ManifestQuestion[];
  context: string;
}

/** An evaluation answer that leaves the subject blank (65535). */
export const BLANK: number;

export type Vote =
  | { motion: "for" | "against" | "abstain" }
  | { choice: number[] }
  | { election: ("for" | "against" | "abstain")[] }
  | { evaluation: (number | null)[] };

/** Votes as the per-question integers `VoterCredential.encryptBallot` takes. */
export function answersFromVotes(votes: Vote[]): number[][];

/** Starts an issuance session with fresh randomness. */
export function startIssuance(manifest: Uint8Array, commit: Uint8Array): IssuanceClient;

/** Encrypts `votes` under `credential` with fresh randomness. */
export function encryptBallot(credential: VoterCredential, manifest: Uint8Array, electionKey: Uint8Array, votes: Vote[]): EncryptedBallot;

export interface Ratio {
  numerator: number;
  denominator: number;
  basis_points: number | null;
}

export interface RuleCheck {
  inequality: string;
  evaluated: string;
  minimum: number;
  margin: number;
  met: boolean;
}

export interface Counts {
  for: number;
  against: number;
  abstain: number;
  invalid: number;
}

export type SheetQuestion =
  | { kind: "motion"; number: number; title: string; counts: Counts; rule: RuleCheck; passed: boolean }
  | { kind: "choice"; number: number; title: string; min: number; max: number; options: { name: string; marks: number }[] }
  | {
      kind: "election";
      number: number;
      title: string;
      seats: number;
      candidates: { name: string; counts: Counts; rule: RuleCheck; qualified: boolean; elected: boolean }[];
      elected: string[];
      pending: null | { kind: "runoff" | "lot" | "shortfall_runoff"; candidates: string[]; seats: number; text: string };
      vacant: number;
    }
  | {
      kind: "evaluation";
      number: number;
      title: string;
      levels: string[];
      allow_blank: boolean;
      indicators: string[];
      subjects: { name: string; levels: Ratio[]; blank: number; invalid: number; valid: number; indicators: Ratio[] }[];
    };

/** The result sheet, as `secret-ballot report --format json` gives it. */
export interface ResultSheet {
  format: "secret-ballot-result-sheet-v1";
  title: string;
  election_id: string;
  manifest_hash: string;
  record_head: string;
  /** When voting closed, `YYYY-MM-DD hh:mm:ss UTC` ("—" if unknown), where the report says. */
  closed_at?: string;
  entries: number;
  attendance: {
    roster: number;
    present: number;
    quorum: RuleCheck;
    credentials_issued: number;
    ballots_accepted: number;
    ballots_spoiled: number;
    paper_voters: number;
    present_not_voting: number;
  };
  pass_rule: string;
  questions: SheetQuestion[];
  scrutineers: {
    trustees: number;
    threshold: number;
    decrypted_by: number[];
    shares_verified: number;
    paper_count_signed_by: number[];
  };
  verification: Report;
}

/** The result sheet of a valid, tallied record; null otherwise. */
export function resultSheet(report: Report, manifest: ManifestView | null, paperSigners?: number[]): ResultSheet | null;

/** A threshold as an inequality in `symbol`, e.g. `3·P ≥ 2·N`. */
export function inequality(t: Threshold, symbol: string): string;
/** The smallest count that meets the threshold (SPEC.md §10.1). */
export function minimum(t: Threshold, bases: { roster: number; present: number; votes_cast: number }): number;
/** Seconds since the Unix epoch as `YYYY-MM-DD hh:mm:ss UTC`. */
export function utc(seconds: number): string;
/** Basis points rounded half up (SPEC.md §10.4); null for a zero denominator. */
export function basisPoints(numerator: number, denominator: number): number | null;
