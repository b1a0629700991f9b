"""The congress rules in the Python manifest builder (SPEC.md §10, §11.1)."""

import pytest

import secret_ballot as sb
from conftest import Congress
from test_congress import VOTES

DEFAULTS = dict(
    quorum={"fraction": (2, 3), "base": "roster", "strict": False},
    pass_rule={"fraction": (1, 2), "base": "roster", "strict": True},
    tie_policy="runoff",
    shortfall_policy="runoff",
)


def rules_of(manifest):
    return {name: getattr(manifest, name) for name in DEFAULTS}


def build(c, **rules):
    m = c.manifest
    return sb.Manifest.build(
        election_id=m.election_id,
        title=m.title,
        roster=m.roster,
        questions=m.questions,
        trustee_threshold=m.trustee_threshold,
        trustee_keys=m.trustee_keys,
        issuer_key=m.issuer_key,
        report_key=m.report_key,
        privacy_floor=m.privacy_floor,
        **rules,
    )


def test_defaults_and_custom_rules_round_trip(congress):
    assert rules_of(congress.manifest) == DEFAULTS
    assert build(congress).context == congress.context  # the defaults, spelled out or not
    custom = build(
        congress,
        quorum_fraction=(3, 4),
        quorum_strict=True,
        pass_fraction=(2, 3),
        pass_base="votes_cast",
        pass_strict=False,
        tie_policy="fewest_against",
        shortfall_policy="vacant",
    )
    expected = dict(
        quorum={"fraction": (3, 4), "base": "roster", "strict": True},
        pass_rule={"fraction": (2, 3), "base": "votes_cast", "strict": False},
        tie_policy="fewest_against",
        shortfall_policy="vacant",
    )
    assert rules_of(custom) == expected
    assert rules_of(sb.Manifest(bytes(custom))) == expected
    assert custom.context != congress.context  # the rules are part of the election
    assert rules_of(build(congress, pass_base="present", tie_policy="lot"))["tie_policy"] == "lot"


def test_bad_rules_raise(congress):
    for rules in [
        dict(pass_fraction=(0, 2)),
        dict(pass_fraction=(3, 2)),
        dict(quorum_fraction=(1, 0)),
        dict(pass_base="everyone"),
        dict(tie_policy="coin"),
        dict(shortfall_policy="later"),
    ]:
        with pytest.raises(sb.InvalidInput) as info:
            build(congress, **rules)
        assert info.value.code == "invalid_input", rules
    # With base P or "votes cast" a quorum would hold for any attendance.
    for base in ("present", "votes_cast"):
        with pytest.raises(sb.InvalidManifest):
            build(congress, quorum_base=base)
    with pytest.raises(TypeError):
        build(congress, pass_fraction="1/2")
    with pytest.raises(TypeError):
        build(congress, pass_strict_typo=True)


def test_the_shanghai_reading_passes_exactly_half():
    """Five for of ten: not more than half (default), but half or more (半数以上)."""
    outcomes = {}
    for strict in (True, False):
        c = Congress(pass_strict=strict)
        for v, answers in enumerate(VOTES):
            ballot = c.check_in(f"rep-{v:04}".encode()).encrypt_ballot(c.manifest_bytes, c.election_key, answers)
            c.ballot_box.accept(ballot.cast())
        c.ballot_box.close()
        c.record.append(c.issuer.report(c.context, c.report_secret))
        c.ballot_box.publish(c.record)
        c.record.close(present=8)
        closed = bytes(c.record)
        record, _ = sb.tally_record(closed, [t.decrypt_record(closed) for t in c.trustees[:3]])
        report = sb.verify_record(record)
        assert report["verdict"] == "valid", report
        outcomes[strict] = report["outcomes"]["questions"]
    assert outcomes[True][0]["passed"] is False and outcomes[False][0]["passed"] is True
    assert outcomes[True][1]["elected"] == [0]  # Ann 6 > 5
    assert outcomes[False][1]["elected"] == [0, 1]  # and Bo's 5 ≥ 5
