"""The SQLite example runs, and its session store is single use under threads."""

import importlib.util
import pathlib

import secret_ballot as sb
from conftest import Congress, race_one_session

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "hr_integration.py"


def load_example():
    spec = importlib.util.spec_from_file_location("hr_integration", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_hr_example_runs(tmp_path, capsys):
    example = load_example()
    assert example.main(["hr_integration.py", str(tmp_path / "hr.sqlite3")]) == 0
    out = capsys.readouterr().out
    assert "verdict: valid (tallied)" in out
    assert "paper 2, present 10" in out
    result = example.run(str(tmp_path / "again.sqlite3"), present=6)
    assert result["report"]["ballots"] == 6 and result["report"]["present"] == 6
    assert len(result["tracking_codes"]) == 6
    # Six online, three on paper: the totals merge both; each trustee's share was stored.
    result = example.run(str(tmp_path / "hybrid.sqlite3"), present=6, paper=3)
    report = result["report"]
    assert report["verdict"] == "valid" and report["stage"] == "tallied", report
    assert (report["ballots"], report["offline_voters"], report["present"]) == (6, 3, 9)
    assert sum(report["totals"][:3]) == 9  # every motion answer counted, online or paper
    assert sorted(p.name for p in tmp_path.glob("trustee-*.keyshare")) == [f"trustee-{i}.keyshare" for i in range(1, 6)]


def test_the_sqlite_store_is_single_use_under_threads(tmp_path):
    store = load_example().SqliteSessionStore(str(tmp_path / "store.sqlite3"))
    c = Congress(store=store)
    voter = b"E0001"
    commit, clients, results, one = race_one_session(c, voter, 8)
    answered = [one]
    clients[answered[0]].finalize(results[answered[0]])
    assert store.issued(c.context) == [voter]
    # A restart: a new issuer over the same database still refuses the used session.
    again = sb.Issuer(c.issuer_secret, store=load_example().SqliteSessionStore(store.path))
    other = sb.IssuanceClient(c.manifest_bytes, commit)
    try:
        again.respond(other.challenge, voter, now=2)
    except sb.SessionRefused:
        pass
    else:
        raise AssertionError("a used session answered again after a restart")
