"""Replays test-vectors/v1 byte for byte through the Python bindings."""

import json
import pathlib

import pytest

import secret_ballot as sb

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "test-vectors" / "v1"


def load(name):
    return json.loads((VECTORS / name).read_text())


def b(h):
    return bytes.fromhex(h)


def test_encodings():
    v = load("encodings.json")
    for case in v["valid_points"]:
        assert sb.point_canonical(b(case["hex"])) == b(case["hex"])
    for case in v["invalid_points"]:
        with pytest.raises(sb.EncodingError):
            sb.point_canonical(b(case["hex"]))
    for case in v["valid_scalars"]:
        assert sb.scalar_canonical(b(case["hex"])) == b(case["hex"])
    for case in v["invalid_scalars"]:
        with pytest.raises(sb.EncodingError) as info:
            sb.scalar_canonical(b(case["hex"]))
        assert info.value.code == "encoding"


def test_elgamal():
    v = load("elgamal.json")
    for case in v["cases"]:
        assert sb.elgamal_public_key(b(case["secret_key"])) == b(case["public_key"])
        ct = sb.elgamal_encrypt_with(b(case["public_key"]), case["value"], b(case["randomness"]))
        assert ct == b(case["ciphertext"])
        if case["value"] <= 5000:
            assert sb.elgamal_decrypt(b(case["secret_key"]), ct, 5000) == case["value"]
    secret = b(v["cases"][0]["secret_key"])
    for case in v["sums"]:
        total = sb.ciphertext_sum([b(c) for c in case["ciphertexts"]])
        assert total == b(case["sum"])
        assert sb.elgamal_decrypt(secret, total, 2000) == case["value"]
    with pytest.raises(sb.PlaintextOutOfRange):
        sb.elgamal_decrypt(secret, b(v["cases"][4]["ciphertext"]), 999)


def test_proofs_are_reproduced_and_verify():
    v = load("proofs.json")
    for c in v["schnorr"]:
        assert sb.schnorr_prove(b(c["context"]), b(c["secret"]), seed=b(c["seed"])) == b(c["proof"])
        sb.schnorr_verify(b(c["context"]), b(c["X"]), b(c["proof"]))
    for c in v["dleq"]:
        assert sb.dleq_prove(b(c["context"]), b(c["G"]), b(c["H"]), b(c["secret"]), seed=b(c["seed"])) == b(c["proof"])
        sb.dleq_verify(b(c["context"]), b(c["G"]), b(c["H"]), b(c["P"]), b(c["Q"]), b(c["proof"]))
    for c in v["range"]:
        proof = sb.range_prove(b(c["context"]), b(c["public_key"]), b(c["ciphertext"]), c["value"], b(c["randomness"]), c["min"], c["max"], seed=b(c["seed"]))
        assert proof == b(c["proof"])
        sb.range_verify(b(c["context"]), b(c["public_key"]), b(c["ciphertext"]), c["min"], c["max"], proof)


def verify_case(c):
    kind = c["kind"]
    if kind == "schnorr":
        sb.schnorr_verify(b(c["context"]), b(c["X"]), b(c["proof"]))
    elif kind == "dleq":
        sb.dleq_verify(b(c["context"]), b(c["G"]), b(c["H"]), b(c["P"]), b(c["Q"]), b(c["proof"]))
    else:
        sb.range_verify(b(c["context"]), b(c["public_key"]), b(c["ciphertext"]), c["min"], c["max"], b(c["proof"]))


def test_invalid_proofs_are_rejected_with_the_named_error():
    expected = {"encoding": sb.EncodingError, "invalid_proof": sb.InvalidProof}
    for c in load("proofs.json")["invalid"]:
        with pytest.raises(expected[c["error"]]) as info:
            verify_case(c)
        assert info.value.code == c["error"], c["reason"]


def test_credential():
    v = load("credential.json")
    args = lambda c: (b(c.get("issuer_key", v["issuer_key"])), b(c.get("context", v["context"])), b(c.get("pseudonym", v["pseudonym"])), b(c.get("signature", v["signature"])))
    sb.credential_verify(*args({}))
    for c in v["invalid"]:
        with pytest.raises(sb.SecretBallotError) as info:
            sb.credential_verify(*args(c))
        assert info.value.code == c["error"], c["reason"]
    assert sb.issuance_report_verify(b(v["report"]), b(v["report_key"]), b(v["context"])) == 3
    with pytest.raises(sb.InvalidProof):
        sb.issuance_report_verify(b(v["report"]), b(v["report_key"]), bytes(32))


def test_threshold_tally():
    v = load("threshold.json")
    keys = [b(k) for k in v["trustee_keys"]]
    round1 = [b(p) for p in v["round1"]]
    election_key, vks = sb.threshold_public_keys(b(v["context"]), v["threshold"], keys, round1)
    assert election_key == b(v["election_key"])
    assert vks == [b(k) for k in v["verification_keys"]]
    ballots = [[b(c) for c in ballot] for ballot in v["ballots"]]
    shares = [b(s) for s in v["decryption_shares"]]
    totals, rejected = sb.threshold_tally(b(v["context"]), v["threshold"], keys, round1, ballots, shares)
    assert totals == v["totals"]
    assert rejected == v["rejected"]
    # Without the two honest shares of trustees 1 and 3, too few remain.
    with pytest.raises(sb.InvalidDecryptionShares):
        sb.threshold_tally(b(v["context"]), v["threshold"], keys, round1, ballots, shares[1:2] + shares[3:4])


def test_bad_input_raises_typed_errors():
    ctx = bytes(32)
    with pytest.raises(sb.EncodingError):
        sb.schnorr_verify(bytes(31), bytes(32), b"")
    with pytest.raises(sb.EncodingError):
        sb.schnorr_prove(ctx, bytes(32), seed=bytes(32))  # zero secret key
    with pytest.raises(sb.EncodingError):
        sb.schnorr_prove(ctx, b"\x01" + bytes(31), seed=bytes(5))  # short seed
    with pytest.raises(sb.InvalidInput):
        sb.elgamal_encrypt_with(bytes(32), -1, bytes(32))
    with pytest.raises(sb.InvalidInput):
        sb.elgamal_encrypt_with(bytes(32), 1 << 64, bytes(32))
    case = load("elgamal.json")["cases"][1]
    with pytest.raises(sb.InvalidRange):
        sb.range_verify(ctx, b(case["public_key"]), b(case["ciphertext"]), 5, 4, b"")
    with pytest.raises(sb.EncodingError):
        sb.range_verify(ctx, bytes(32), b(case["ciphertext"]), 0, 1, b"")
    with pytest.raises(sb.EncodingError):
        sb.point_canonical(b"\xff" * 32)
    with pytest.raises(TypeError):
        sb.point_canonical("not bytes")


def test_fresh_randomness_gives_fresh_valid_proofs():
    v = load("proofs.json")["range"][1]
    args = (b(v["context"]), b(v["public_key"]), b(v["ciphertext"]), v["value"], b(v["randomness"]), v["min"], v["max"])
    p1, p2 = sb.range_prove(*args), sb.range_prove(*args)
    assert p1 != p2
    for p in (p1, p2):
        sb.range_verify(b(v["context"]), b(v["public_key"]), b(v["ciphertext"]), v["min"], v["max"], p)
    with pytest.raises(sb.ValueOutOfRange):
        sb.range_prove(args[0], args[1], args[2], 5, args[4], 0, 1)


def test_ballot():
    v = load("ballot.json")
    assert sb.manifest_context(b(v["manifest"])) == b(v["context"])
    assert sb.ballot_verify(b(v["manifest"]), b(v["election_key"]), b(v["ballot"])) == v["tracking_code"]
    assert sb.spoiled_ballot_open(b(v["manifest"]), b(v["election_key"]), b(v["spoiled"])) == v["plaintexts"]
    for c in v["invalid"]:
        with pytest.raises(sb.SecretBallotError) as info:
            sb.ballot_verify(b(c.get("manifest", v["manifest"])), b(c.get("election_key", v["election_key"])), b(c["ballot"]))
        assert info.value.code == c["error"], c["reason"]
    manifest = bytearray(b(v["manifest"]))
    roster_at = 2 + 1 + len(b"vector-election") + 2 + len(b"Test-vector congress")
    assert int.from_bytes(manifest[roster_at : roster_at + 4], "little") == 12
    manifest[roster_at : roster_at + 4] = bytes(4)  # an empty roster
    with pytest.raises(sb.InvalidManifest):
        sb.manifest_context(bytes(manifest))
    with pytest.raises(sb.EncodingError):
        sb.manifest_context(b(v["manifest"])[:-1])


def test_record():
    v = load("record.json")
    report = sb.verify_record(b(v["record"]))
    assert report == v["report"]
    assert report["verdict"] == "valid" and report["stage"] == "tallied"
    closed = sb.verify_record(b(v["closed"]))
    assert closed["verdict"] == "valid" and closed["stage"] == "closed"
    assert len(v["invalid"]) >= 12
    for case in v["invalid"]:
        report = sb.verify_record(b(case["record"]))
        assert report["verdict"] == case["verdict"], case["reason"]
        (check,) = [c for c in report["checks"] if c["check"] == case["check"]]
        assert check["status"] == "failed", case["reason"]
        assert check["error"] == case["error"], case["reason"]


def test_record_bad_input():
    assert sb.verify_record(b"")["verdict"] == "invalid"
    assert sb.verify_record(b"\x01\x40" + bytes(40))["verdict"] == "invalid"
    with pytest.raises(sb.InvalidInput):
        sb.verify_record("not bytes")
    with pytest.raises(sb.EncodingError):
        sb.verify_record(b"", seed=b"short")


def test_record_view_is_lossless():
    v = load("record.json")
    for hex_record in [v["record"], v["closed"]] + [c["record"] for c in v["invalid"]]:
        record = b(hex_record)
        view = sb.record_view(record)
        assert sb.record_from_view(view) == record
    view = sb.record_view(b(v["record"]))
    assert view["head"] == v["head"]
    sections = [e["section"] for e in view["entries"]]
    assert sections[0] == "manifest" and sections[-1] == "outcomes"
    totals = next(e for e in view["entries"] if e["section"] == "totals")
    assert totals["view"]["totals"] == v["report"]["totals"]
    with pytest.raises(sb.InvalidInput):
        sb.record_from_view({"entries": [{"payload": "zz", "previous": "00"}]})


def test_chunks():
    from secret_ballot import chunks

    v = load("chunks.json")
    r = load("record.json")
    record = b(r["record"])
    plan = chunks.plan(record, v["ballots_per_chunk"])
    assert (plan.prefix_len, plan.prefix_entries, plan.suffix_start) == (
        v["prefix_len"],
        v["prefix_entries"],
        v["suffix_start"],
    )
    assert len(plan) == len(v["chunks"])
    results = []
    for spec, case in zip(plan.chunks, v["chunks"]):
        assert bytes(spec.to_bytes()) == b(case["spec"])
        result = chunks.verify_chunk(record, plan, spec)
        assert bytes(result.to_bytes()) == b(case["result"])
        assert result.ballots == case["ballots"]
        results.append(chunks.ChunkResult.from_bytes(b(case["result"])))
    assert chunks.combine(record, plan, results) == r["report"]
