"""A trustee's key share stored between the ceremony and the count (SPEC.md §7.7): the
trustee process restarts, loads its share and decrypts; bad or foreign shares raise."""

import pathlib
import subprocess
import sys

import pytest

import secret_ballot as sb
from conftest import Congress, seed

VOTES = [[[0], [0, 0, 1]], [[1], [0, 1, 0]], [[0], [1, 0, 0]], [[2], [0, 0, 2]]]


def closed_record(c):
    for v, answers in enumerate(VOTES):
        ballot = c.check_in(f"rep-{v:04}".encode()).encrypt_ballot(c.manifest_bytes, c.election_key, answers)
        c.ballot_box.accept(ballot.cast())
    c.ballot_box.close()
    c.record.append(c.issuer.report(c.context, c.report_secret))
    c.ballot_box.publish(c.record)
    c.record.close(present=len(VOTES), closed_at=1_781_775_000)
    return bytes(c.record)


# A trustee process after a restart: nothing but the files it stored.
RESTARTED = """
import pathlib, sys
import secret_ballot as sb
d = pathlib.Path(sys.argv[1])
trustee = sb.Trustee.from_key_share((d / "manifest").read_bytes(), (d / "secret").read_bytes(), (d / "share").read_bytes())
(d / "decryption").write_bytes(trustee.decrypt_record((d / "closed").read_bytes()))
print(trustee.index)
"""


def test_a_restarted_trustee_decrypts_with_its_stored_share(tmp_path):
    c = Congress()
    stored = {t.index: t.key_share_bytes() for t in c.trustees}
    assert {len(s) for s in stored.values()} == {106 + 2 * 5 + 32 * 5}
    assert all(s[:2] == b"\x01\x15" for s in stored.values())
    assert stored[1] != stored[2]
    closed = closed_record(c)
    shares = []
    for index in (2, 4, 5):  # three of the five, each in a fresh process
        d = tmp_path / f"trustee-{index}"
        d.mkdir()
        (d / "manifest").write_bytes(c.manifest_bytes)
        (d / "secret").write_bytes(c.trustee_keys[index - 1][0])
        (d / "share").write_bytes(stored[index])
        (d / "closed").write_bytes(closed)
        out = subprocess.run([sys.executable, "-c", RESTARTED, str(d)], check=True, capture_output=True, text=True)
        assert out.stdout.strip() == str(index)
        shares.append((d / "decryption").read_bytes())
    record, tally = sb.tally_record(closed, shares)
    assert tally["trustees"] == [2, 4, 5] and tally["rejected"] == []
    assert tally["totals"][:3] == [2, 1, 1]
    report = sb.verify_record(record)
    assert report["verdict"] == "valid" and report["stage"] == "tallied", report


def test_a_restored_trustee_is_the_same_trustee():
    c = Congress()
    original = c.trustees[2]
    restored = sb.Trustee.from_key_share(c.manifest_bytes, c.trustee_keys[2][0], original.key_share_bytes())
    assert restored.index == 3
    assert restored.election_key == original.election_key == c.election_key
    assert restored.key_share_bytes() == original.key_share_bytes()
    # The ceremony is over for a restored trustee.
    with pytest.raises(sb.InvalidInput):
        restored.round1()
    with pytest.raises(sb.InvalidInput):
        restored.complaints([], [])
    closed = closed_record(c)
    assert restored.decrypt_record(closed, seed=seed(7)) == original.decrypt_record(closed, seed=seed(7))


def test_no_share_before_the_ceremony_is_finished(congress):
    t = sb.Trustee(congress.manifest_bytes, 1, congress.trustee_keys[0][0])
    with pytest.raises(sb.InvalidInput):
        t.key_share_bytes()
    t.round1()
    with pytest.raises(sb.InvalidInput):
        t.key_share_bytes()


def test_tampered_and_malformed_shares_raise_encoding_error(congress):
    c = congress
    secret = c.trustee_keys[0][0]
    share = c.trustees[0].key_share_bytes()
    load = lambda data: sb.Trustee.from_key_share(c.manifest_bytes, secret, bytes(data))  # noqa: E731
    cases = {
        "empty": b"",
        "truncated": share[:-1],
        "trailing": share + b"\x00",
        "version": b"\x02" + share[1:],
        "kind": share[:1] + b"\x14" + share[2:],
        "zero share": share[:40] + bytes(32) + share[72:],
        "non-canonical share": share[:40] + b"\xff" * 32 + share[72:],
        "another trustee's share": share[:40] + c.trustees[1].key_share_bytes()[40:72] + share[72:],
    }
    for name, data in cases.items():
        with pytest.raises(sb.EncodingError) as info:
            load(data)
        assert info.value.code == "encoding", name
        assert share[40:72].hex() not in str(info.value), name
    # Every bit of the secret share and of the index is checked.
    for bit in list(range(34 * 8, 36 * 8)) + list(range(40 * 8, 72 * 8, 3)):
        tampered = bytearray(share)
        tampered[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises((sb.EncodingError, sb.InvalidParameters)):
            load(tampered)
    with pytest.raises(TypeError):
        sb.Trustee.from_key_share(c.manifest_bytes, secret, "not bytes")


def test_a_share_of_another_election_or_trustee_is_refused(congress):
    c = congress
    share = c.trustees[0].key_share_bytes()
    # Trustee 2's long-term key with trustee 1's share.
    with pytest.raises(sb.InvalidParameters) as info:
        sb.Trustee.from_key_share(c.manifest_bytes, c.trustee_keys[1][0], share)
    assert info.value.code == "invalid_parameters"
    # The same trustees' keys, another election (and another ceremony): the context
    # differs.
    other = Congress(election_id=b"hr-2026-other", ceremony_seed=40)
    with pytest.raises(sb.InvalidParameters):
        sb.Trustee.from_key_share(other.manifest_bytes, c.trustee_keys[0][0], share)
    # A share whose context was rewritten to the other election loads there, but its
    # keys are not that election's ceremony: decrypting its record is refused.
    forged = share[:2] + other.context + share[34:]
    trustee = sb.Trustee.from_key_share(other.manifest_bytes, c.trustee_keys[0][0], forged)
    with pytest.raises(sb.AggregateRefused):
        trustee.decrypt_record(closed_record(other))


def test_a_share_whose_public_keys_were_altered_decrypts_nothing():
    """Trustee 5's verification key is checked by nothing at load time (SPEC.md §7.7);
    the record's ceremony gives another one, so the trustee refuses the record."""
    c = Congress()
    share = bytearray(c.trustees[0].key_share_bytes())
    vk5 = len(share) - 32
    share[vk5:] = c.trustees[0].key_share_bytes()[vk5 - 32 : vk5]  # VK5 := VK4
    trustee = sb.Trustee.from_key_share(c.manifest_bytes, c.trustee_keys[0][0], bytes(share))
    with pytest.raises(sb.AggregateRefused) as info:
        trustee.decrypt_record(closed_record(c))
    assert "key ceremony" in str(info.value)
