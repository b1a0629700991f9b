"""A secret ballot inside an HR system, with SQLite as the HR database.

The roster is a table; check-in issues each present representative a blind credential
(the issuer's session state lives in SQLite and is taken atomically, so a session
answers one challenge even with several web workers); ballots are cast into the ballot
box; representatives who are not checked in online may vote on paper, and the
scrutineers' count of the paper ballots enters the record encrypted and signed; between
the key ceremony and the count each trustee keeps its key share in its own vault (the
trustee process may restart); at the close the trustees decrypt only the aggregate, the
record is published with the totals and outcomes, and anyone verifies it.

In a real deployment the voter's side (``IssuanceClient``, ``encrypt_ballot``) runs on
the representative's device, each trustee on their own machine, and the HR server only
sees the messages below. Run: ``python examples/hr_integration.py [database]``.
"""

import os
import sqlite3
import sys
import tempfile
import time
from typing import List, Optional, Tuple

import secret_ballot as sb


class SqliteSessionStore:
    """The issuer's session store in SQLite. Each call opens its own connection, so the
    store may be shared by threads; ``take`` runs in a ``BEGIN IMMEDIATE`` transaction,
    so of concurrent takes of one open session exactly one gets it. Session states are
    secrets: encrypt the database at rest."""

    def __init__(self, path: str) -> None:
        self.path = path
        with self._connect() as db:
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS issuer_sessions (
                    id BLOB PRIMARY KEY, status TEXT NOT NULL, data BLOB NOT NULL,
                    opened_at INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS issuer_issued (
                    context BLOB NOT NULL, voter BLOB NOT NULL, PRIMARY KEY (context, voter));
                """
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def insert(self, session_id: bytes, state: bytes, opened_at: int) -> None:
        with self._connect() as db:
            db.execute("INSERT INTO issuer_sessions VALUES (?, 'open', ?, ?)", (session_id, state, opened_at))

    def take(self, session_id: bytes) -> Optional[Tuple[str, bytes]]:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT status, data FROM issuer_sessions WHERE id = ?", (session_id,)).fetchone()
            if row is not None and row[0] == "open":
                db.execute("UPDATE issuer_sessions SET status = 'in_flight', data = x'' WHERE id = ?", (session_id,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            db.close()
        return None if row is None else (row[0], bytes(row[1]))

    def record_answer(self, session_id: bytes, answer: bytes) -> None:
        with self._connect() as db:
            db.execute("UPDATE issuer_sessions SET status = 'answered', data = ? WHERE id = ?", (answer, session_id))

    def claim_issuance(self, context: bytes, voter: bytes) -> bool:
        with self._connect() as db:
            return db.execute("INSERT OR IGNORE INTO issuer_issued VALUES (?, ?)", (context, voter)).rowcount == 1

    def is_issued(self, context: bytes, voter: bytes) -> bool:
        with self._connect() as db:
            return db.execute("SELECT 1 FROM issuer_issued WHERE context = ? AND voter = ?", (context, voter)).fetchone() is not None

    def issued(self, context: bytes) -> List[bytes]:
        with self._connect() as db:
            return [bytes(r[0]) for r in db.execute("SELECT voter FROM issuer_issued WHERE context = ? ORDER BY voter", (context,))]

    def purge_opened_before(self, cutoff: int) -> int:
        with self._connect() as db:
            return db.execute("DELETE FROM issuer_sessions WHERE status = 'open' AND opened_at < ?", (cutoff,)).rowcount


ROSTER = [(f"E{n:04}", name, dept) for n, (name, dept) in enumerate(
    [("Li Wei", "Plant 1"), ("Zhang Min", "Plant 1"), ("Wang Fang", "Plant 2"), ("Liu Yang", "Plant 2"),
     ("Chen Jing", "Logistics"), ("Yang Li", "Logistics"), ("Zhao Lei", "Office"), ("Huang Tao", "Office"),
     ("Zhou Qiang", "Sales"), ("Wu Xia", "Sales")], start=1)]


def mark(sheet: List[int], manifest: "sb.Manifest", answers: List[List[int]]) -> None:
    """Adds one paper ballot's answers to the scrutineers' tally sheet, one count per
    ballot position: a motion's positions are for, against, abstain; an election's are
    those three for each candidate."""
    offset = 0
    for question, answer in zip(manifest.questions, answers):
        for k, value in enumerate(answer):
            sheet[offset + 3 * k + value] += 1
        offset += 3 if question["kind"] == "motion" else 3 * len(question["candidates"])


def run(db_path: str, present: int = 8, paper: int = 0) -> dict:
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("CREATE TABLE IF NOT EXISTS roster (employee_id TEXT PRIMARY KEY, name TEXT, department TEXT, checked_in_at INTEGER)")
    db.executemany("INSERT OR REPLACE INTO roster VALUES (?, ?, ?, NULL)", ROSTER)
    db.execute("CREATE TABLE IF NOT EXISTS records (election_id TEXT PRIMARY KEY, record BLOB)")

    # The authorities' keys (each trustee keeps their own secret key).
    trustee_keys = [sb.generate_keypair() for _ in range(5)]
    issuer_secret, issuer_public = sb.generate_keypair()
    report_secret, report_public = sb.generate_keypair()
    roster_size = db.execute("SELECT count(*) FROM roster").fetchone()[0]
    manifest = sb.Manifest.build(
        election_id=b"hr-2026-05-congress",
        title="Workers' congress, May 2026",
        roster=roster_size,
        questions=[
            {"kind": "motion", "title": "Approve the 2026 pay scheme"},
            {"kind": "election", "title": "Employee directors", "candidates": ["Li Wei", "Wang Fang", "Zhao Lei"], "seats": 2},
        ],
        trustee_threshold=3,
        trustee_keys=[public for _, public in trustee_keys],
        issuer_key=issuer_public,
        report_key=report_public,
        privacy_floor=3,
    )
    manifest_bytes = bytes(manifest)
    record = sb.RecordWriter()
    record.append(manifest_bytes)

    # The key ceremony: every trustee publishes round 1, then round 2, then finishes.
    trustees = [sb.Trustee(manifest_bytes, i + 1, secret) for i, (secret, _) in enumerate(trustee_keys)]
    round1 = [t.round1() for t in trustees]
    round2 = [p for t in trustees for p in t.round2()]
    complaints = [c for t in trustees for c in t.complaints(round1, round2)]
    assert not complaints, "a trustee complained: resolve before voting"
    election_key = {t.finish(round1, round2) for t in trustees}.pop()
    for package in round1 + round2:
        record.append(package)
    # Each trustee keeps its key share until the count in its own vault: here a file per
    # trustee beside the database; a real trustee keeps it encrypted, on its own machine,
    # never in the HR database. The trustee processes may now stop.
    vault = os.path.dirname(os.path.abspath(db_path))
    share_files = []
    for t in trustees:
        share_files.append(os.path.join(vault, f"trustee-{t.index}.keyshare"))
        with open(share_files[-1], "wb") as f:
            f.write(t.key_share_bytes())
    del trustees

    # Check-in: HR authenticates each representative, then runs the issuer's two moves.
    issuer = sb.Issuer(issuer_secret, store=SqliteSessionStore(db_path))
    ballot_box = sb.BallotBox(manifest_bytes, election_key)
    tracking_codes = {}
    attending = [row[0] for row in db.execute("SELECT employee_id FROM roster ORDER BY employee_id LIMIT ?", (present,))]
    for n, employee_id in enumerate(attending):
        voter_id = employee_id.encode()
        commit = issuer.commit(manifest.context, voter_id)                # server → device
        client = sb.IssuanceClient(manifest_bytes, commit)                # on the device
        response = issuer.respond(client.challenge, voter_id)             # device → server → device
        credential = client.finalize(response)                            # on the device
        db.execute("UPDATE roster SET checked_in_at = ? WHERE employee_id = ?", (int(time.time()), employee_id))
        # The representative votes (the device encrypts; the server never sees the vote).
        answers = [[0 if n % 4 else 1], [0, 0 if n % 2 else 1, 2]]
        ballot = credential.encrypt_ballot(manifest_bytes, election_key, answers)
        tracking_codes[employee_id] = ballot.tracking_code
        ballot_box.accept(ballot.cast())

    # The close: the issuance report, the ballots, attendance and the time.
    ballot_box.close()
    record.append(issuer.report(manifest.context, report_secret))
    ballot_box.publish(record)

    # The trustees come back for the close and the count, each from its stored share.
    trustees = []
    for (secret, _), path in zip(trustee_keys, share_files):
        with open(path, "rb") as f:
            trustees.append(sb.Trustee.from_key_share(manifest_bytes, secret, f.read()))

    # Paper voters: representatives without an online credential vote on paper. The
    # scrutineers count the paper ballots in the room into one tally sheet; its encryption
    # is signed by three of them, each against its own sheet, and enters the record.
    paper_voters = [row[0] for row in db.execute("SELECT employee_id FROM roster WHERE checked_in_at IS NULL ORDER BY employee_id LIMIT ?", (paper,))]
    if paper_voters:
        sheet = [0] * manifest.width
        for n, employee_id in enumerate(paper_voters):
            mark(sheet, manifest, [[n % 3], [0, 1, 2]])
            db.execute("UPDATE roster SET checked_in_at = ? WHERE employee_id = ?", (int(time.time()), employee_id))
        paper_count = sb.PaperCount(manifest_bytes, election_key, len(paper_voters), sheet)
        for scrutineer in trustees[:3]:
            paper_count.sign(scrutineer, len(paper_voters), sheet)
        record.append(bytes(paper_count))
    checked_in = db.execute("SELECT count(*) FROM roster WHERE checked_in_at IS NOT NULL").fetchone()[0]
    record.close(present=checked_in)
    closed = bytes(record)

    # The count: each trustee verifies the closed record and decrypts its aggregate.
    shares = [t.decrypt_record(closed) for t in trustees[:3]]
    complete, tally = sb.tally_record(closed, shares)
    db.execute("INSERT OR REPLACE INTO records VALUES (?, ?)", ("hr-2026-05-congress", complete))

    # Anyone verifies the published record.
    published = db.execute("SELECT record FROM records WHERE election_id = ?", ("hr-2026-05-congress",)).fetchone()[0]
    report = sb.verify_record(bytes(published))
    db.close()
    return {"report": report, "tally": tally, "tracking_codes": tracking_codes}


def main(argv: List[str]) -> int:
    path = argv[1] if len(argv) > 1 else os.path.join(tempfile.mkdtemp(), "hr.sqlite3")
    result = run(path, paper=2)
    report = result["report"]
    print(f"database: {path}")
    print(f"verdict: {report['verdict']} ({report['stage']}), ballots {report['ballots']}, paper {report['offline_voters']}, present {report['present']}")
    print(f"totals: {report['totals']}")
    for q in report["outcomes"]["questions"]:
        print(f"  {q}")
    return 0 if report["verdict"] == "valid" and report["stage"] == "tallied" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
