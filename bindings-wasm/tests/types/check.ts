// Compiled by package.test.mjs with `tsc --noEmit`: the package's declarations cover the
// voter side, streamed verification and the result sheet.
import init, {
  IssuanceClient,
  RecordVerifier,
  answersFromVotes,
  encryptBallot,
  randomSeed,
  resultSheet,
  spoiledBallotOpen,
  startIssuance,
  verifyRecord,
  type Report,
  type ResultSheet,
  type Vote,
} from "secret-ballot-wasm";

export async function voter(manifest: Uint8Array, electionKey: Uint8Array, commit: Uint8Array, respond: (challenge: Uint8Array) => Promise<Uint8Array>): Promise<string> {
  await init();
  const client: IssuanceClient = startIssuance(manifest, commit);
  const credential = client.finalize(await respond(client.challenge));
  client.free();
  const votes: Vote[] = [{ motion: "for" }, { election: ["for", "against"] }, { evaluation: [0, null] }, { choice: [0, 2] }];
  const answers: number[][] = answersFromVotes(votes);
  const ballot = credential.encryptBallot(manifest, electionKey, answers, randomSeed());
  const audit = encryptBallot(credential, manifest, electionKey, votes);
  const opened: BigUint64Array = spoiledBallotOpen(manifest, electionKey, audit.spoil());
  const code: string = ballot.trackingCode;
  const bytes: Uint8Array = ballot.cast();
  for (const x of [ballot, audit, credential]) x.free();
  return `${code} ${bytes.length} ${opened.length}`;
}

export async function observer(record: ArrayBuffer): Promise<ResultSheet | null> {
  const { report, manifest, paperSigners }: { report: Report; manifest: unknown; paperSigners: number[] } = await verifyRecord(record, {
    onProgress: (done: number, total: number) => console.log(done / total),
  });
  const failed = report.checks.filter((c) => c.status === "failed").map((c) => (c.status === "failed" ? c.entry : null));
  console.log(failed, manifest);
  const v = new RecordVerifier(randomSeed());
  v.free();
  const result = await verifyRecord(new Uint8Array(record));
  return resultSheet(result.report, result.manifest, result.paperSigners);
}
