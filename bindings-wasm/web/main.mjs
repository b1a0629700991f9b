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
}

main().catch((e) => {
  document.getElementById("result").textContent = `0 passed, 1 failed: ${e}`;
});
