"""A whole congress from Python: ceremony, check-in, casting (one ballot spoiled first),
close, the ballot box's record, each trustee's decrypt_record, totals, outcomes, and
verify_record."""

import pytest

import secret_ballot as sb
from conftest import Congress, seed

# Motion: 0 for, 1 against, 2 abstain. Election: one of those per candidate.
VOTES = [
    [[0], [0, 0, 1]],
    [[0], [0, 1, 0]],
    [[1], [0, 0, 2]],
    [[0], [1, 0, 0]],
    [[2], [0, 0, 1]],
    [[0], [0, 1, 1]],
    [[0], [2, 0, 0]],
    [[1], [0, 1, 0]],
]


def expected_totals(votes):
    totals = [0] * 12
    for motion, election in votes:
        totals[motion[0]] += 1
        for c, v in enumerate(election):
            totals[3 + 3 * c + v] += 1
    return totals


def test_a_congress_runs_from_python():
    c = Congress()
    assert c.manifest.width == 12
    assert sb.Manifest(c.manifest_bytes).context == c.context
    codes = []
    for v, answers in enumerate(VOTES):
        credential = c.check_in(f"rep-{v:04}".encode())
        if v == 0:
            # A Benaloh challenge: the voter spoils one ballot, checks it, then casts anew.
            challenged = credential.encrypt_ballot(c.manifest_bytes, c.election_key, [[1], [1, 1, 1]])
            spoiled = challenged.spoil()
            with pytest.raises(sb.InvalidInput):
                challenged.cast()
            assert sb.spoiled_ballot_open(c.manifest_bytes, c.election_key, spoiled) == [0, 1, 0] + [0, 1, 0] * 3
            assert c.ballot_box.spoil(spoiled) == [[0, 1, 0], [0, 1, 0] * 3]
        ballot = credential.encrypt_ballot(c.manifest_bytes, c.election_key, answers)
        code = ballot.tracking_code
        receipt = c.ballot_box.accept(ballot.cast())
        assert receipt == {"tracking_code": code, "replaced": False}
        codes.append(code)
    assert len(c.ballot_box) == 8 and c.ballot_box.spoiled == 1
    c.ballot_box.close()
    c.record.append(c.issuer.report(c.context, c.report_secret))
    c.ballot_box.publish(c.record)
    c.record.close(present=8, closed_at=1_781_775_000)
    closed = bytes(c.record)

    report = sb.verify_record(closed)
    assert report["verdict"] == "valid" and report["stage"] == "closed", report
    assert report["ballots"] == 8 and report["credentials"] == 8 and report["spoiled"] == 1

    shares = [t.decrypt_record(closed) for t in c.trustees]
    record, tally = sb.tally_record(closed, shares)
    assert tally["totals"] == expected_totals(VOTES)
    assert tally["rejected"] == []

    report = sb.verify_record(record)
    assert report["verdict"] == "valid" and report["stage"] == "tallied", report
    assert report["totals"] == expected_totals(VOTES)
    assert report["present"] == 8 and report["closed_at"] == 1_781_775_000
    outcomes = report["outcomes"]
    assert outcomes["quorum"] is True and outcomes["present"] == 8
    motion, election = outcomes["questions"]
    assert motion["kind"] == "motion" and motion["passed"] is False  # 5 for; 6 needed of 10
    assert election["elected"] == [0]  # only Ann has 6 of 10
    assert len(set(codes)) == 8
    # The streaming verifier agrees with the one-shot verifier.
    import io

    assert sb.RecordVerifier.verify_stream(io.BytesIO(record), seed=seed(1)) == sb.verify_record(record, seed=seed(1))


def test_three_trustees_suffice_and_two_do_not():
    c = Congress()
    for v, answers in enumerate(VOTES[:4]):
        ballot = c.check_in(f"rep-{v:04}".encode()).encrypt_ballot(c.manifest_bytes, c.election_key, answers)
        c.ballot_box.accept(ballot.cast())
    c.ballot_box.close()
    c.record.append(c.issuer.report(c.context, c.report_secret))
    c.ballot_box.publish(c.record)
    c.record.close(present=4)
    closed = bytes(c.record)
    shares = [c.trustees[i].decrypt_record(closed) for i in (0, 2, 4)]
    record, tally = sb.tally_record(closed, shares)
    assert tally["trustees"] == [1, 3, 5]
    assert tally["totals"] == expected_totals(VOTES[:4])
    assert sb.verify_record(record)["verdict"] == "valid"
    with pytest.raises(sb.InvalidDecryptionShares):
        sb.tally_record(closed, shares[:2])
    # A tampered share is rejected by name; the others still suffice.
    bad = bytearray(shares[0])
    bad[-1] ^= 1
    try:
        _, tally = sb.tally_record(closed, [bytes(bad)] + [c.trustees[i].decrypt_record(closed) for i in (1, 2, 3)])
        assert tally["rejected"] == [1]
    except sb.EncodingError:
        pass  # the flip made a non-canonical scalar


def test_trustees_refuse_an_open_record(congress):
    with pytest.raises(sb.SecretBallotError) as info:
        congress.trustees[0].decrypt_record(bytes(congress.record))
    assert info.value.code == "aggregate_refused"
    assert isinstance(info.value, sb.AggregateRefused)
    with pytest.raises(sb.AggregateRefused):
        sb.tally_record(bytes(congress.record), [])
