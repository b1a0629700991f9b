// Verifies an election record entry by entry through the WASM `RecordVerifier`, yielding
// to the event loop between slices so a page stays responsive and can show progress.
// Conversion only: every check is the core's (SPEC.md §14.7); this file only frames the
// record into entries (SPEC.md §14.1: an entry's length is in its first 38 bytes).
import { RecordVerifier, recordEntryLength, recordJson } from "../pkg/secret_ballot_wasm.js";

/** Bytes of an entry's framing that give its length (SPEC.md §14.8). */
export const ENTRY_HEADER_LEN = 38;

/** 32 fresh random bytes from the platform CSPRNG (`crypto.getRandomValues`). */
export function randomSeed() {
  return crypto.getRandomValues(new Uint8Array(32));
}

const asBytes = (record) => (record instanceof Uint8Array ? record : new Uint8Array(record));

/**
 * The record's entries in order: `{ index, offset, bytes, framed }`. When the framing of
 * what is left does not decode (or the record ends inside an entry) the last item holds
 * everything left with `framed: false`; the verifier reports it as an encoding failure.
 */
export function* recordEntries(record) {
  const bytes = asBytes(record);
  let offset = 0;
  for (let index = 0; offset < bytes.length; index++) {
    let len = Infinity;
    try {
      len = recordEntryLength(bytes.subarray(offset, offset + ENTRY_HEADER_LEN));
    } catch {
      // An unreadable framing: handed over whole, so the report names it.
    }
    if (len > bytes.length - offset) {
      yield { index, offset, bytes: bytes.subarray(offset), framed: false };
      return;
    }
    yield { index, offset, bytes: bytes.subarray(offset, offset + len), framed: true };
    offset += len;
  }
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
const now = () => (globalThis.performance ?? Date).now();

/** The kind byte of an entry's payload (SPEC.md §3.3: the payload starts `0x01 ‖ kind`). */
const payloadKind = (entry) => entry[ENTRY_HEADER_LEN + 1];
const PAPER_COUNT = 0x41;

/** The decoded view of one entry alone (SPEC.md §14.10), or null. */
export function entryView(entryBytes) {
  try {
    const view = JSON.parse(recordJson(entryBytes));
    return view.entries[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Verifies a record. Resolves to `{ report, entries, manifest, paperSigners, seconds }`:
 * the core's report (SPEC.md §14.9) as an object, every entry's byte offset, length and
 * payload kind byte, the manifest's decoded view (or null), the signers of the paper
 * count, and the wall time taken.
 *
 * @param {Uint8Array | ArrayBuffer} record
 * @param {object} [options]
 * @param {(bytesDone: number, bytesTotal: number) => void} [options.onProgress]
 * @param {number} [options.sliceMs] work between two yields to the event loop (default 30)
 * @param {Uint8Array} [options.seed] 32 bytes for the batch weights (default: fresh)
 * @param {AbortSignal} [options.signal] stops verification between slices
 */
export async function verifyRecord(record, { onProgress, sliceMs = 30, seed = randomSeed(), signal } = {}) {
  const bytes = asBytes(record);
  const total = bytes.length;
  const started = now();
  const verifier = new RecordVerifier(seed);
  const entries = [];
  let manifestEntry = null;
  let paperEntry = null;
  try {
    onProgress?.(0, total);
    let slice = now();
    for (const entry of recordEntries(bytes)) {
      verifier.pushEntry(entry.bytes);
      entries.push({ offset: entry.offset, length: entry.bytes.length, framed: entry.framed, kind: entry.framed ? payloadKind(entry.bytes) : null });
      if (entry.framed && entry.index === 0) manifestEntry = entry.bytes;
      if (entry.framed && payloadKind(entry.bytes) === PAPER_COUNT) paperEntry = entry.bytes;
      if (now() - slice >= sliceMs) {
        onProgress?.(entry.offset + entry.bytes.length, total);
        await pause();
        signal?.throwIfAborted();
        slice = now();
      }
    }
    const report = JSON.parse(verifier.finish());
    onProgress?.(total, total);
    const manifest = manifestEntry && entryView(manifestEntry);
    const paper = paperEntry && entryView(paperEntry);
    return {
      report,
      entries,
      manifest: manifest && !manifest.view.error ? manifest.view : null,
      paperSigners: paper?.view?.signers ?? [],
      seconds: (now() - started) / 1000,
    };
  } finally {
    verifier.free();
  }
}
