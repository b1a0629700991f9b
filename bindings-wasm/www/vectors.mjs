// The verification page: loads the web build and replays the vectors in the browser.
import init, * as sb from "./pkg/secret_ballot_wasm.js";
import { replay } from "./replay.mjs";

const load = async (name) => (await fetch(`./vectors/${name}`)).json();

async function main() {
  await init();
  const { passed, failed, results } = await replay(sb, load);
  const list = document.getElementById("checks");
  for (const r of results) {
    const li = document.createElement("li");
    li.className = r.ok ? "ok" : "fail";
    li.textContent = r.ok ? r.name : `${r.name}: ${r.error}`;
    list.appendChild(li);
  }
  document.getElementById("result").textContent = `${passed} passed, ${failed} failed`;
  await showRecord();
}

/** Verifies the published sample election record and lists every check of its report. */
async function showRecord() {
  const rec = await load("record.json");
  const bytes = Uint8Array.from(rec.record.match(/../g), (h) => parseInt(h, 16));
  const report = JSON.parse(sb.recordVerify(bytes, crypto.getRandomValues(new Uint8Array(32))));
  document.getElementById("record-verdict").textContent =
    `${report.verdict} (${report.stage}): ${report.ballots} ballots, ${report.spoiled} spoiled, ` +
    `${report.offline_voters} on paper, ${report.present} present of ${report.outcomes?.roster}; ` +
    `totals ${JSON.stringify(report.totals)}; decrypted by trustees ${report.decrypted_by.join(", ")}`;
  const list = document.getElementById("record-checks");
  for (const c of report.checks) {
    const li = document.createElement("li");
    li.className = c.status === "failed" ? "fail" : "ok";
    const detail = c.status === "passed" ? `${c.items}` : c.status === "failed" ? `${c.error}: ${c.message}` : c.reason;
    li.textContent = `${c.check}: ${c.status} (${detail})`;
    list.appendChild(li);
  }
}

main().catch((e) => {
  document.getElementById("result").textContent = `0 passed, 1 failed: ${e}`;
});
