"""A small congress run from Python: 10 representatives, one motion and one election,
3-of-5 trustees whose key ceremony runs here, round by round."""

import threading

import pytest

import secret_ballot as sb


def seed(n):
    return bytes([n]) * 32


class Congress:
    def __init__(self, roster=10, store=None, election_id=b"hr-2026-congress", ceremony_seed=30, **rules):
        self.trustee_keys = [sb.generate_keypair(seed(10 + i)) for i in range(5)]
        self.issuer_secret, issuer_public = sb.generate_keypair(seed(20))
        self.report_secret, report_public = sb.generate_keypair(seed(21))
        self.manifest = sb.Manifest.build(
            election_id=election_id,
            title="Workers' congress 2026",
            roster=roster,
            questions=[
                {"kind": "motion", "title": "2026 pay scheme"},
                {"kind": "election", "title": "employee directors", "candidates": ["Ann", "Bo", "Chen"], "seats": 2},
            ],
            trustee_threshold=3,
            trustee_keys=[public for _, public in self.trustee_keys],
            issuer_key=issuer_public,
            report_key=report_public,
            privacy_floor=3,
            **rules,
        )
        self.manifest_bytes = bytes(self.manifest)
        self.context = self.manifest.context
        self.issuer = sb.Issuer(self.issuer_secret, store=store)
        self.record = sb.RecordWriter()
        self.record.append(self.manifest_bytes)
        self.ceremony(ceremony_seed)
        self.ballot_box = sb.BallotBox(self.manifest_bytes, self.election_key)

    def ceremony(self, base=30):
        self.trustees = [sb.Trustee(self.manifest_bytes, i + 1, secret) for i, (secret, _) in enumerate(self.trustee_keys)]
        round1 = [t.round1(seed=seed(base + t.index)) for t in self.trustees]
        round2 = [p for t in self.trustees for p in t.round2()]
        for t in self.trustees:
            assert t.complaints(round1, round2) == []
        keys = {t.finish(round1, round2) for t in self.trustees}
        assert len(keys) == 1
        (self.election_key,) = keys
        # The record holds round 2 by (sender, recipient); each trustee sends in recipient
        # order, and trustees are in index order, so the list is already sorted.
        for p in round1 + round2:
            self.record.append(p)

    def check_in(self, voter_id, now=1000):
        commit = self.issuer.commit(self.context, voter_id, now=now)
        client = sb.IssuanceClient(self.manifest_bytes, commit)
        response = self.issuer.respond(client.challenge, voter_id, now=now + 1)
        return client.finalize(response)


@pytest.fixture(scope="module")
def congress():
    return Congress()


def race_one_session(c, voter, clients_count):
    """Opens one issuance session for `voter` and has `clients_count` threads answer it at
    once, each with its own challenge. Returns the session's commit message, the
    clients, the results (the response bytes or the SessionRefused raised) and the index
    of the one client answered, after checking that exactly one was."""
    commit = c.issuer.commit(c.context, voter, now=0)
    clients = [sb.IssuanceClient(c.manifest_bytes, commit) for _ in range(clients_count)]
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def respond(i):
        barrier.wait()
        try:
            results[i] = c.issuer.respond(clients[i].challenge, voter, now=1)
        except sb.SessionRefused as e:
            results[i] = e

    threads = [threading.Thread(target=respond, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answered = [i for i, r in enumerate(results) if isinstance(r, bytes)]
    assert len(answered) == 1, results
    return commit, clients, results, answered[0]
