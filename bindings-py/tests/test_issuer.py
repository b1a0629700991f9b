"""The issuer over the core's in-memory store and over a host's Python store: replays
are refused, a session answers one challenge even under threads, store exceptions reach
the caller."""


import pytest

import secret_ballot as sb
from conftest import Congress, race_one_session


@pytest.fixture(params=["core", "python"])
def congress(request):
    return Congress(store=None if request.param == "core" else sb.MemorySessionStore())


def test_check_in_and_replays(congress):
    c = congress
    voter = b"rep-0001"
    commit = c.issuer.commit(c.context, voter, now=100)
    client = sb.IssuanceClient(c.manifest_bytes, commit)
    response = c.issuer.respond(client.challenge, voter, now=101)
    # A lost reply: the identical challenge gets the same response.
    assert c.issuer.respond(client.challenge, voter, now=102) == response
    credential = client.finalize(response)
    assert len(credential.pseudonym) == 32
    with pytest.raises(sb.InvalidInput):
        client.finalize(response)  # the session state is single use
    # Another challenge on the answered session: replay.
    other = sb.IssuanceClient(c.manifest_bytes, commit)
    with pytest.raises(sb.SessionRefused) as info:
        c.issuer.respond(other.challenge, voter, now=103)
    assert info.value.code == "session_refused"
    # The representative holds a credential: no second session.
    with pytest.raises(sb.SessionRefused):
        c.issuer.commit(c.context, voter, now=104)
    assert c.issuer.issued(c.context) == [voter]
    # A replayed credential: a second ballot of the same credential is refused.
    first = credential.encrypt_ballot(c.manifest_bytes, c.election_key, [[0], [0, 1, 2]])
    c.ballot_box.accept(first.cast())
    c.ballot_box.accept(first.cast())  # the same bytes again: idempotent
    second = credential.encrypt_ballot(c.manifest_bytes, c.election_key, [[1], [0, 1, 2]])
    with pytest.raises(sb.BallotRefused):
        c.ballot_box.accept(second.cast())


def test_wrong_voter_expired_and_unknown_sessions(congress):
    c = congress
    commit = c.issuer.commit(c.context, b"rep-0002", now=0)
    client = sb.IssuanceClient(c.manifest_bytes, commit)
    with pytest.raises(sb.SessionRefused, match="another representative"):
        c.issuer.respond(client.challenge, b"rep-0003", now=1)
    commit = c.issuer.commit(c.context, b"rep-0004", now=0)
    client = sb.IssuanceClient(c.manifest_bytes, commit)
    with pytest.raises(sb.SessionRefused):
        c.issuer.respond(client.challenge, b"rep-0004", now=601)
    unknown = bytearray(client.challenge)
    unknown[2] ^= 0xFF  # inside the session id
    with pytest.raises(sb.SessionRefused):
        c.issuer.respond(bytes(unknown), b"rep-0004", now=1)
    c.issuer.commit(c.context, b"rep-0005", now=10)
    assert c.issuer.purge_opened_before(11) == 1


def test_a_session_answers_one_challenge_under_threads(congress):
    c = congress
    voter = b"rep-0009"
    commit, clients, results, one = race_one_session(c, voter, 16)
    answered = [one]
    assert all(isinstance(r, sb.SessionRefused) for i, r in enumerate(results) if i not in answered)
    clients[answered[0]].finalize(results[answered[0]])


class FailingStore(sb.MemorySessionStore):
    def take(self, session_id):
        raise RuntimeError("database is down")


class BadStore(sb.MemorySessionStore):
    def take(self, session_id):
        return ("maybe", b"")


def test_host_store_errors_reach_the_caller():
    c = Congress(store=FailingStore())
    commit = c.issuer.commit(c.context, b"rep-0001", now=0)
    client = sb.IssuanceClient(c.manifest_bytes, commit)
    with pytest.raises(RuntimeError, match="database is down"):
        c.issuer.respond(client.challenge, b"rep-0001", now=1)
    c = Congress(store=BadStore())
    client = sb.IssuanceClient(c.manifest_bytes, c.issuer.commit(c.context, b"rep-0001", now=0))
    with pytest.raises(TypeError, match="session store"):
        c.issuer.respond(client.challenge, b"rep-0001", now=1)
