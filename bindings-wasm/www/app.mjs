// The verification page: loads the WASM build (hashing the exact bytes it runs), takes a
// record from a file, a drop or `?record=URL`, verifies it entry by entry with a progress
// bar, and shows the result sheet and every check. Presentation only: every check and
// figure comes from the core's report (SPEC.md §14.9).
import init, { entryView, resultSheet, verifyRecord } from "./js/index.mjs";

const $ = (id) => document.getElementById(id);
const WASM = "./pkg/secret_ballot_wasm_bg.wasm";

/** Builds an element: `el("td", { className: "x" }, "text", child…)`. */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const grouped = (n) => n.toLocaleString("en-US");
const hexOf = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
const signed = (n) => (n > 0 ? `+${n}` : n === 0 ? "0" : `−${-n}`);
const percent = (r) => (r.basis_points === null ? "—" : `${Math.floor(r.basis_points / 100)}.${String(r.basis_points % 100).padStart(2, "0")} %`);
const list = (xs) => xs.join(", ");

// Section names of the payload kinds (SPEC.md §14.2), as the CLI prints them.
const SECTIONS = {
  0x30: ["manifest", true], 0x10: ["key ceremony round 1", false], 0x11: ["key ceremony round 2", false],
  0x12: ["key ceremony complaint", false], 0x13: ["key ceremony answer", false], 0x24: ["issuance report", true],
  0x32: ["spoiled ballot", false], 0x31: ["cast ballot", false], 0x41: ["paper count", true], 0x42: ["close", true],
  0x43: ["aggregate", true], 0x14: ["decryption share", false], 0x44: ["totals", true], 0x45: ["outcomes", true],
};

// What a check's items count, singular and plural, as the CLI says.
const UNITS = {
  encoding: ["entry", "entries"], hash_chain: ["entry", "entries"], order: ["section", "sections"], manifest: ["manifest", "manifests"],
  issuance_report: ["signed report", "signed reports"], offline_count: ["signed paper count", "signed paper counts"],
  key_ceremony: ["qualified trustee", "qualified trustees"], spoiled_ballots: ["spoiled ballot", "spoiled ballots"],
  attendance: ["present", "present"], decryption_shares: ["share", "shares"], totals: ["position", "positions"], outcomes: ["question", "questions"],
};
const unit = (check, n) => (UNITS[check] ?? ["ballot", "ballots"])[n === 1 ? 0 : 1];

// ---------------------------------------------------------------- the build and its hash

async function loadWasm() {
  const bytes = await (await fetch(WASM)).arrayBuffer();
  await init({ module_or_path: bytes });
  $("wasm-size").textContent = `(${grouped(bytes.byteLength)} bytes)`;
  const published = await fetch(`${WASM}.sha256`).then((r) => (r.ok ? r.text() : "")).catch(() => "");
  const expected = published.trim().split(/\s+/)[0] ?? "";
  $("wasm-published").textContent = expected || "not found";
  if (globalThis.crypto?.subtle) {
    const hash = hexOf(await crypto.subtle.digest("SHA-256", bytes));
    $("wasm-hash").textContent = hash;
    $("wasm-match").textContent = expected ? (expected === hash ? "✔ same" : "✘ DIFFERENT: this is not the published build") : "";
    $("wasm-match").className = expected === hash ? "ok" : "fail";
  } else {
    $("wasm-hash").textContent = "unavailable (the page is not in a secure context: open it over https or from localhost)";
  }
}

// ---------------------------------------------------------------- loading a record

async function fetchRecord(url) {
  const response = await fetch(url, { credentials: "omit" });
  if (!response.ok) throw new Error(`cannot load ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get("content-length")) || 0;
  if (!response.body) return response.arrayBuffer();
  const reader = response.body.getReader();
  const chunks = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    got += value.length;
    progress(got, Math.max(total, got), "downloading");
  }
  return new Blob(chunks).arrayBuffer();
}

function progress(done, total, what = "verifying") {
  const bar = $("progress");
  bar.max = Math.max(total, 1);
  bar.value = done;
  const pct = total ? Math.floor((100 * done) / total) : 100;
  $("progress-text").textContent = `${what}: ${grouped(done)} of ${grouped(total)} bytes (${pct} %)`;
}

let running = null;

async function run(source, getBytes) {
  if (running) running.abort();
  const controller = new AbortController();
  running = controller;
  for (const id of ["verdict-box", "sheet", "checks-box"]) $(id).hidden = true;
  $("status").hidden = false;
  $("source").textContent = `record: ${source}`;
  $("verdict").dataset.verdict = "";
  progress(0, 0, "loading");
  try {
    const bytes = new Uint8Array(await getBytes());
    const result = await verifyRecord(bytes, { onProgress: (d, t) => progress(d, t), signal: controller.signal });
    if (controller.signal.aborted) return;
    show(result, bytes.length);
  } catch (e) {
    if (controller.signal.aborted) return;
    $("verdict-box").hidden = false;
    $("verdict").textContent = `Could not verify: ${e.message ?? e}`;
    $("verdict").className = "fail";
    $("verdict").dataset.verdict = "error";
  }
}

// ---------------------------------------------------------------- the result

function describe(result, index) {
  const info = result.entries[index];
  if (!info) return `entry ${index}`;
  if (!info.framed) return `entry ${index} (unreadable or cut short, at byte ${grouped(info.offset)})`;
  const [name, single] = SECTIONS[info.kind] ?? ["entry", true];
  const before = result.entries.slice(0, index).filter((e) => e.kind === info.kind).length;
  return `entry ${index} (${name}${single ? "" : ` no. ${before + 1}`}, at byte ${grouped(info.offset)})`;
}

function culpritLines(result, bytes, check) {
  const lines = [];
  const culprits = check.culprits ?? [];
  if (check.check === "ballots" && culprits.length) {
    for (const at of culprits.slice(0, 20)) {
      const info = result.entries[at];
      const view = info && entryView(bytes.subarray(info.offset, info.offset + info.length));
      const code = view?.view?.tracking_code;
      lines.push(`culprit: ${describe(result, at)}${code ? `, tracking code ${code}` : ""}`);
    }
    if (culprits.length > 20) lines.push(`… and ${culprits.length - 20} more`);
  } else if (check.check === "decryption_shares" && culprits.length) {
    lines.push(`culprits: trustees ${list(culprits)}`);
  } else if (check.entry !== null && check.entry !== undefined) {
    lines.push(`at ${describe(result, check.entry)}`);
    if (check.check === "hash_chain") {
      lines.push(check.entry > 0
        ? `so entry ${check.entry - 1} was changed, or entries are missing or inserted before entry ${check.entry}`
        : "so it is not the first entry of a record: entries are missing before it");
    }
  }
  return lines;
}

function verdictText(report, failed) {
  if (report.verdict === "valid" && report.stage === "tallied") return "✔ verified: valid and tallied — every check that applies passed (final)";
  if (report.verdict === "valid") return `✔ verified so far: valid, but the record stops at stage ${report.stage} (not final)`;
  if (report.verdict === "void_redo") return "✘ VOID: more ballots than credentials issued; the vote must be repeated (VOID_REDO)";
  return `✘ NOT VERIFIED — invalid: ${failed.length} check${failed.length === 1 ? "" : "s"} failed: ${failed
    .map((c) => (c.entry === null || c.entry === undefined ? c.check : `${c.check} at entry ${c.entry}`))
    .join(", ")}`;
}

function show(result, length) {
  const { report } = result;
  const bytes = currentBytes;
  const failed = report.checks.filter((c) => c.status === "failed");
  $("verdict-box").hidden = false;
  $("verdict").textContent = verdictText(report, failed);
  $("verdict").className = report.verdict === "valid" ? "ok" : "fail";
  $("verdict").dataset.verdict = report.verdict;
  $("verdict").dataset.stage = report.stage;
  $("progress-text").textContent = `verified ${grouped(length)} bytes, ${grouped(report.entries)} entries, in ${result.seconds.toFixed(2)} s`;
  $("progress-text").dataset.seconds = String(result.seconds);

  const expected = $("expected-head").value.trim().toLowerCase();
  $("head-match").textContent = expected
    ? expected === report.head
      ? `✔ the record head ${report.head} is the published one`
      : `✘ the record ends at head ${report.head}, not at the published head ${expected}: it is not the record that was published`
    : `record head ${report.head}`;
  $("head-match").className = expected ? (expected === report.head ? "ok" : "fail") : "";

  const tbody = $("checks").tBodies[0];
  tbody.replaceChildren();
  for (const c of report.checks) {
    const row = el("tr", { className: c.status });
    row.dataset.check = c.check;
    const details =
      c.status === "passed" ? `${grouped(c.items)} ${unit(c.check, c.items)}` : c.status === "failed" ? `${c.message} [${c.error}]` : c.reason;
    const lines = c.status === "failed" ? culpritLines(result, bytes, c) : [];
    row.append(
      el("td", {}, c.check),
      el("td", { className: "outcome" }, c.status === "failed" ? "FAILED" : c.status),
      el("td", {}, details, lines.map((l) => el("div", { className: "culprit" }, l))),
    );
    tbody.append(row);
  }
  $("checks-box").hidden = false;

  let sheet = null;
  try {
    sheet = resultSheet(report, result.manifest, result.paperSigners);
  } catch (e) {
    $("sheet").replaceChildren(el("p", { className: "fail" }, `No result sheet: ${e.message}`));
  }
  if (sheet) {
    renderSheet(sheet);
    window.resultSheet = sheet;
  } else if (report.verdict === "valid") {
    $("sheet").replaceChildren(el("p", {}, `No result sheet yet: the record stops at stage ${report.stage}.`));
  } else {
    $("sheet").replaceChildren(el("p", { className: "fail" }, "No result sheet for a record that does not verify."));
  }
  $("sheet").hidden = false;
}

// ---------------------------------------------------------------- the sheet (as the CLI's)

const FOR = "同意 for", AGAINST = "不同意 against", ABSTAIN = "弃权 abstain", INVALID = "无效 invalid";

function table(header, rows, className = "") {
  return el("table", { className },
    el("thead", {}, el("tr", {}, header.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, c))))));
}

const facts = (rows) => el("table", { className: "facts" }, el("tbody", {}, rows.map(([k, v, cls]) => el("tr", {}, el("th", {}, k), el("td", { className: cls ?? "" }, v)))));

const ruleText = (r) => `${r.inequality}: ${r.evaluated} — minimum ${r.minimum}, margin ${signed(r.margin)}`;

function candidateMinimum(candidates) {
  if (!candidates.length) return "no candidates";
  const m = candidates[0].rule.minimum;
  return candidates.every((c) => c.rule.minimum === m) ? `minimum ${m} votes for` : "the minimum depends on each candidate's votes cast (see the margin)";
}

function candidateResult(c, q, quorum) {
  if (c.elected) return "当选 elected";
  const inPending = q.pending && q.pending.kind !== "shortfall_runoff" && q.pending.candidates.includes(c.name);
  if (inPending) return q.pending.kind === "lot" ? "tied: lot" : "tied: run-off";
  if (c.qualified && !quorum) return "未当选 not elected (no quorum)";
  return "未当选 not elected";
}

function renderQuestion(q, sheet) {
  const quorum = sheet.attendance.quorum.met;
  const kind = {
    motion: () => "motion 议题",
    choice: () => `choice: ${q.min} to ${q.max} options`,
    election: () => `election 选举: ${q.seats} seats, ${q.candidates.length} candidates`,
    evaluation: () => `evaluation 民主测评: ${q.subjects.length} subjects`,
  }[q.kind]();
  const parts = [el("h3", {}, `${q.number}. ${q.title} `, el("span", { className: "kind" }, `(${kind})`))];
  if (q.kind === "motion") {
    const c = q.counts;
    parts.push(table(["", FOR, AGAINST, ABSTAIN, INVALID], [["votes 票数", c.for, c.against, c.abstain, c.invalid]]));
    parts.push(el("p", {}, "Rule ", el("span", { className: "rule" }, ruleText(q.rule))));
    const result = q.passed ? "通过 passed" : q.rule.met ? "未通过 not passed (no quorum)" : "未通过 not passed";
    parts.push(el("p", {}, "Result: ", el("span", { className: q.passed ? "result passed" : "result no" }, result)));
  } else if (q.kind === "choice") {
    parts.push(table(["option 选项", "marks 票数"], q.options.map((o) => [o.name, o.marks])));
  } else if (q.kind === "election") {
    parts.push(table(["candidate 候选人", FOR, AGAINST, ABSTAIN, INVALID, "margin", "result 结果"],
      q.candidates.map((c) => [c.name, c.counts.for, c.counts.against, c.counts.abstain, c.counts.invalid, signed(c.rule.margin), candidateResult(c, q, quorum)])));
    parts.push(el("p", {}, "Rule for each candidate ", el("span", { className: "rule" }, sheet.pass_rule), `: ${candidateMinimum(q.candidates)}.`));
    const elected = q.elected.length ? q.elected.join(", ") : quorum ? "nobody" : "nobody (no quorum)";
    parts.push(el("p", {}, "当选 Elected: ", el("span", { className: "result elected" }, elected), ` (${q.elected.length} of ${q.seats} seats)`));
    if (q.pending) parts.push(el("p", {}, "Pending: ", el("span", { className: "no" }, q.pending.text)));
    if (q.vacant > 0) parts.push(el("p", {}, `Vacant: ${q.vacant} seats stay vacant.`));
  } else {
    const header = ["subject 测评对象", ...q.levels, ...(q.allow_blank ? ["不了解 blank"] : []), INVALID, "有效 valid", ...q.indicators];
    parts.push(table(header, q.subjects.map((s) => [
      s.name,
      ...s.levels.map((r) => `${r.numerator} (${percent(r)})`),
      ...(q.allow_blank ? [s.blank] : []),
      s.invalid,
      s.valid,
      ...s.indicators.map((r) => `${percent(r)} (${r.numerator}/${r.denominator})`),
    ]), "evaluation"));
    parts.push(el("p", {}, "Percentages are of the valid answers (有效, the denominator); blanks and invalid answers are not valid."));
  }
  return el("section", { className: "question" }, parts);
}

function renderSheet(sheet) {
  const a = sheet.attendance;
  const q = a.quorum;
  const s = sheet.scrutineers;
  const parts = [
    el("h2", {}, "表决结果 Result sheet"),
    el("p", { className: "subtitle" }, sheet.title),
    facts([
      ["election id 选举标识", sheet.election_id],
      ["manifest hash 选举清单哈希", sheet.manifest_hash, "hash"],
      ["record head 记录哈希", sheet.record_head, "hash"],
      ...(sheet.closed_at ? [["voting closed 投票截止", sheet.closed_at]] : []),
      ["verification 验证", `valid, tallied: every check of the record passed (${sheet.entries} entries), verified in this browser`],
    ]),
    el("h2", {}, "出席 Attendance"),
    facts([
      ["应到 representatives (N)", a.roster],
      ["实到 present (P)", a.present],
      ["法定人数 quorum", `${q.inequality}: ${q.evaluated} — ${q.met ? "met 达到" : "NOT met 未达到"} (minimum ${q.minimum}, margin ${signed(q.margin)})`],
      ["credentials issued 发放凭证", a.credentials_issued],
      ["ballots accepted 网上有效选票", a.ballots_accepted],
      ["ballots spoiled (audited) 作废核验选票", a.ballots_spoiled],
      ["paper ballots (offline) 纸质选票", a.paper_voters],
      ["present, no ballot 出席未投票", a.present_not_voting],
    ]),
    el("h2", {}, "表决事项 Questions"),
    el("p", {}, "Pass rule ", el("span", { className: "rule" }, sheet.pass_rule),
      " (Y = votes for, N = all representatives). Abstentions, invalid answers and absentees count as “not yes”."),
    sheet.questions.map((question) => renderQuestion(question, sheet)),
    el("h2", {}, "监票人 Scrutineers"),
    el("p", { id: "decrypted-by" }, `Decrypted by trustees ${list(s.decrypted_by)} (threshold ${s.threshold} of ${s.trustees}); ${s.shares_verified} decryption shares published, all verified.`),
    a.paper_voters > 0 ? el("p", {}, `Paper count signed by trustees ${list(s.paper_count_signed_by)}.`) : null,
  ];
  $("sheet").replaceChildren(...parts.flat().filter(Boolean));
}

// ---------------------------------------------------------------- wiring

let currentBytes = new Uint8Array(0);

function start(source, getBytes) {
  return run(source, async () => {
    currentBytes = new Uint8Array(await getBytes());
    return currentBytes;
  });
}

function fromFile(file) {
  if (file) start(`${file.name} (${grouped(file.size)} bytes)`, () => file.arrayBuffer());
}

function fromUrl(url) {
  if (url) start(url, () => fetchRecord(new URL(url, location.href)));
}

async function main() {
  await loadWasm();
  const params = new URLSearchParams(location.search);
  if (params.get("head")) $("expected-head").value = params.get("head");
  $("file").addEventListener("change", (e) => fromFile(e.target.files[0]));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    fromFile(e.dataTransfer.files[0]);
  });
  $("url-form").addEventListener("submit", (e) => {
    e.preventDefault();
    fromUrl($("url").value.trim());
  });
  document.body.dataset.ready = "true";
  if (params.get("record")) {
    $("url").value = params.get("record");
    fromUrl(params.get("record"));
  }
}

main().catch((e) => {
  $("wasm-hash").textContent = `failed to load: ${e.message ?? e}`;
  document.body.dataset.ready = "error";
});
