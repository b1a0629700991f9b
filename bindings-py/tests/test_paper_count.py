"""The paper count of a hybrid sitting (SPEC.md §14.4): representatives who voted on
paper, encrypted and signed by the scrutineers, merged into the totals."""

import pytest

import secret_ballot as sb
from conftest import Congress
from test_congress import VOTES, expected_totals

ONLINE = VOTES[:6]
PAPER = [[[0], [0, 0, 0]], [[1], [1, 0, 0]], [[0], [0, 2, 1]]]


def sitting(c, paper=None):
    """Six online ballots, then (if given) the paper count, then the close."""
    for v, answers in enumerate(ONLINE):
        ballot = c.check_in(f"rep-{v:04}".encode()).encrypt_ballot(c.manifest_bytes, c.election_key, answers)
        c.ballot_box.accept(ballot.cast())
    c.ballot_box.close()
    c.record.append(c.issuer.report(c.context, c.report_secret))
    c.ballot_box.publish(c.record)
    if paper is not None:
        c.record.append(bytes(paper))
    c.record.close(present=len(ONLINE) + len(PAPER))
    return bytes(c.record)


def signed_paper_count(c, signers=(0, 1, 2)):
    counts = expected_totals(PAPER)
    paper = sb.PaperCount(c.manifest_bytes, c.election_key, len(PAPER), counts)
    for i in signers:
        paper.sign(c.trustees[i], len(PAPER), counts)
    return paper


def test_paper_voters_are_merged_into_the_totals():
    c = Congress()
    paper = signed_paper_count(c)
    assert paper.voters == 3 and paper.signers == [1, 2, 3]
    assert bytes(paper)[:2] == b"\x01\x41" and paper.to_bytes() == bytes(paper)
    assert sb.paper_count_verify(c.manifest_bytes, c.election_key, bytes(paper)) == 3
    closed = sitting(c, paper)
    report = sb.verify_record(closed)
    assert report["verdict"] == "valid" and report["stage"] == "closed", report
    shares = [t.decrypt_record(closed) for t in c.trustees[1:4]]
    record, tally = sb.tally_record(closed, shares)
    assert tally["totals"] == expected_totals(ONLINE + PAPER)
    report = sb.verify_record(record)
    assert report["verdict"] == "valid" and report["stage"] == "tallied", report
    assert report["totals"] == expected_totals(ONLINE + PAPER)
    assert report["present"] == 9
    motion, _ = report["outcomes"]["questions"]
    assert motion["passed"] is True  # 4 online + 2 paper of 10: more than half


def test_a_scrutineer_whose_sheet_differs_does_not_sign():
    c = Congress()
    counts = expected_totals(PAPER)
    paper = sb.PaperCount(c.manifest_bytes, c.election_key, 3, counts)
    other = list(counts)
    other[0], other[1] = other[0] - 1, other[1] + 1
    with pytest.raises(sb.InvalidCount):
        paper.sign(c.trustees[0], 3, other)
    with pytest.raises(sb.InvalidCount):
        paper.sign(c.trustees[0], 4, counts)
    assert paper.signers == []
    paper.sign(c.trustees[0], 3, counts)
    with pytest.raises(sb.InvalidParameters):
        paper.sign(c.trustees[0], 3, counts)  # once per scrutineer
    assert paper.signers == [1]


def test_a_bad_tally_sheet_raises():
    c = Congress()
    width = c.manifest.width
    for voters, counts in [
        (0, [0] * width),  # no paper voters
        (1024, [0] * width),  # above 1023
        (3, [0] * (width - 1)),  # another width
        (3, [4] + [0] * (width - 1)),  # more marks than voters
        (3, [2, 2, 0] + [0] * (width - 3)),  # a motion marked twice per voter on average
    ]:
        with pytest.raises(sb.InvalidCount):
            sb.PaperCount(c.manifest_bytes, c.election_key, voters, counts)
    with pytest.raises(OverflowError):
        sb.PaperCount(c.manifest_bytes, c.election_key, 3, [-1] + [0] * (width - 1))
    with pytest.raises(sb.EncodingError):
        sb.PaperCount(c.manifest_bytes, c.election_key[:31], 3, [0] * width)


def test_too_few_signatures_or_a_bad_one_is_refused():
    c = Congress()
    two = signed_paper_count(c, signers=(0, 1))
    with pytest.raises(sb.InvalidCount):
        sb.paper_count_verify(c.manifest_bytes, c.election_key, bytes(two))
    three = bytearray(bytes(signed_paper_count(c)))
    three[-32] ^= 0x01  # the low byte of the last signature's response: still canonical
    with pytest.raises(sb.InvalidProof):
        sb.paper_count_verify(c.manifest_bytes, c.election_key, bytes(three))
    with pytest.raises(sb.EncodingError):
        sb.paper_count_verify(c.manifest_bytes, c.election_key, bytes(three[:-1]))
    # A record carrying the badly signed count does not verify; nobody decrypts it.
    closed = sitting(c, bytes(three))
    report = sb.verify_record(closed)
    assert report["verdict"] == "invalid"
    failed = [check for check in report["checks"] if check["status"] == "failed"]
    assert [check["check"] for check in failed] == ["offline_count"], failed
    with pytest.raises(sb.AggregateRefused):
        c.trustees[0].decrypt_record(closed)
    with pytest.raises(sb.AggregateRefused):
        sb.tally_record(closed, [])
