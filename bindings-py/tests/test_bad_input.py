"""Bad input raises the right exception, with its stable code and no secret in the
message."""

import pytest

import secret_ballot as sb
from conftest import seed


def test_wrong_types(congress):
    c = congress
    with pytest.raises(TypeError):
        sb.Manifest("not bytes")
    with pytest.raises(TypeError):
        sb.BallotBox(c.manifest_bytes, "key")
    with pytest.raises(TypeError):
        c.issuer.commit(c.context, "rep-0001")
    credential = c.check_in(b"rep-bad-1")
    with pytest.raises(TypeError):
        credential.encrypt_ballot(c.manifest_bytes, c.election_key, "0")
    with pytest.raises(OverflowError):
        credential.encrypt_ballot(c.manifest_bytes, c.election_key, [[-1], [0, 0, 0]])
    with pytest.raises(sb.InvalidInput):
        sb.Manifest.build(election_id=b"x", title="t", roster=3, questions=[{"kind": "poll", "title": "?"}], trustee_threshold=1, trustee_keys=[c.manifest.trustee_keys[0]], issuer_key=c.manifest.issuer_key, report_key=c.manifest.report_key)


def test_truncated_bytes(congress):
    c = congress
    with pytest.raises(sb.EncodingError) as info:
        sb.Manifest(c.manifest_bytes[:-1])
    assert info.value.code == "encoding"
    with pytest.raises(sb.EncodingError):
        sb.BallotBox(c.manifest_bytes, c.election_key[:31])
    commit = c.issuer.commit(c.context, b"rep-bad-2")
    with pytest.raises(sb.EncodingError):
        sb.IssuanceClient(c.manifest_bytes, commit[:-1])
    client = sb.IssuanceClient(c.manifest_bytes, commit)
    with pytest.raises(sb.EncodingError):
        c.issuer.respond(client.challenge[:-1], b"rep-bad-2")
    with pytest.raises(sb.EncodingError):
        c.issuer.commit(c.context[:31], b"rep-bad-2")
    with pytest.raises(sb.EncodingError):
        sb.Trustee(c.manifest_bytes, 1, bytes(31))
    with pytest.raises(sb.EncodingError):
        c.ballot_box.accept(b"\x01")
    with pytest.raises(sb.EncodingError):
        sb.record_entry_len(b"\x01\x40")


def test_tampered_proofs_and_messages(congress):
    c = congress
    credential = c.check_in(b"rep-bad-3")
    ballot = credential.encrypt_ballot(c.manifest_bytes, c.election_key, [[0], [0, 1, 2]]).cast()
    refused = 0
    for i in range(len(ballot) - 200, len(ballot), 7):  # inside the proofs and signature
        tampered = bytearray(ballot)
        tampered[i] ^= 0x01
        with pytest.raises(sb.SecretBallotError) as info:
            c.ballot_box.accept(bytes(tampered))
        assert info.value.code in ("encoding", "invalid_ballot", "invalid_proof", "invalid_credential")
        refused += 1
    assert refused > 20
    # A tampered issuer response fails the voter's checks.
    voter = b"rep-bad-4"
    client = sb.IssuanceClient(c.manifest_bytes, c.issuer.commit(c.context, voter))
    response = bytearray(c.issuer.respond(client.challenge, voter))
    response[5] ^= 0x01
    with pytest.raises((sb.IssuerMisbehaved, sb.EncodingError)):
        client.finalize(bytes(response))
    # A ballot under another election key is refused by this box.
    other = credential.encrypt_ballot(c.manifest_bytes, sb.generate_keypair()[1], [[0], [0, 1, 2]]).cast()
    with pytest.raises(sb.SecretBallotError) as info:
        c.ballot_box.accept(other)
    assert info.value.code in ("invalid_ballot", "invalid_proof")


def test_single_use_objects_and_ceremony_order(congress):
    c = congress
    t = sb.Trustee(c.manifest_bytes, 1, c.trustee_keys[0][0])
    with pytest.raises(sb.InvalidInput):
        t.round2()
    with pytest.raises(sb.InvalidInput):
        t.decrypt_record(b"")
    t.round1(seed=seed(1))
    with pytest.raises(sb.InvalidInput):
        t.round1()
    # The wrong long-term key for index 2.
    t = sb.Trustee(c.manifest_bytes, 2, c.trustee_keys[0][0])
    t.round1()
    with pytest.raises(sb.SecretBallotError):
        t.round2()
    ballot = c.check_in(b"rep-bad-5").encrypt_ballot(c.manifest_bytes, c.election_key, [[0], [0, 1, 2]])
    ballot.cast()
    with pytest.raises(sb.InvalidInput):
        ballot.spoil()


def test_messages_never_contain_secrets(congress):
    c = congress
    secret = c.trustee_keys[0][0]
    try:
        sb.Trustee(c.manifest_bytes, 9, secret).round1()
    except sb.SecretBallotError as e:
        assert secret.hex() not in str(e) and repr(secret) not in str(e)
    else:
        pytest.fail("trustee 9 is not in the manifest")
    assert "secret" in repr(c.check_in(b"rep-bad-6"))


def test_a_bad_share_in_the_ceremony_draws_a_complaint():
    from conftest import Congress

    c = Congress()
    trustees = [sb.Trustee(c.manifest_bytes, i + 1, secret) for i, (secret, _) in enumerate(c.trustee_keys)]
    round1 = [t.round1() for t in trustees]
    round2 = [p for t in trustees for p in t.round2()]
    bad = bytearray(round2[0])  # trustee 1's share for trustee 2
    bad[-1] ^= 0x01
    round2[0] = bytes(bad)
    complaints = [x for t in trustees for x in t.complaints(round1, round2)]
    assert len(complaints) == 1
    answer = trustees[0].answer(complaints[0])
    with pytest.raises(sb.SecretBallotError):
        trustees[1].answer(complaints[0])  # not accused
    # With the answer published, the dealer stays qualified and everyone finishes.
    keys = {t.finish(round1, round2, complaints, [answer]) for t in trustees[2:]}
    assert len(keys) == 1
