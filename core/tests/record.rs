//! The election record and `verify(record) -> Report` (SPEC.md §14): whole congresses
//! verify; every attack on a record is caught by the check that must catch it.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]

#[path = "support/ceremony.rs"]
mod ceremony;
#[path = "support/common.rs"]
mod common;
#[path = "support/congress.rs"]
mod congress;
#[path = "support/sitting.rs"]
mod sitting;
#[path = "support/tamper.rs"]
mod tamper;

use std::sync::OnceLock;

use proptest::prelude::*;
use secret_ballot::Error;
use secret_ballot::ballot::{Ballot, SpoiledBallot};
use secret_ballot::credential::{IssuanceReport, VoterId};
use secret_ballot::encoding::MessageKind;
use secret_ballot::record::{Entry, RecordReader, RecordWriter};
use secret_ballot::rules::Pending;
use secret_ballot::tally::{Close, OfflineCount, Outcomes, QuestionOutcome, Totals};
use secret_ballot::threshold::Aggregate;
use secret_ballot::verify::{CheckId, Stage, Status, Verdict, Verifier, verify};
use sitting::{Election, Published, Sitting, chain};

fn rng() -> rand_chacha::ChaCha20Rng {
    common::rng(99)
}

fn assert_all_passed(report: &secret_ballot::verify::Report, skipped: &[CheckId]) {
    for check in &report.checks {
        if skipped.contains(&check.id) {
            assert!(
                matches!(check.status, Status::Skipped(_)),
                "{:?}: {:?}",
                check.id,
                check.status
            );
        } else {
            assert!(
                matches!(check.status, Status::Passed { .. }),
                "{:?}: {:?}",
                check.id,
                check.status
            );
        }
    }
}

/// A congress of 300 representatives (3 motions, 5 of 7 seats, 4 managers evaluated,
/// 3-of-5 trustees), its record, and the record's report.
fn congress_of_300(
    seed: u8,
    sitting: &Sitting,
) -> (
    Published,
    secret_ballot::verify::Report,
    rand_chacha::ChaCha20Rng,
) {
    let mut rng = common::rng(seed);
    let e = sitting::setup(&mut rng, 300);
    let p = sitting::run(&e, sitting, &mut rng);
    let report = verify(&p.record, &mut rng);
    (p, report, rng)
}

#[test]
fn congress_of_300_with_240_present_verifies_end_to_end() {
    // 230 online (3 of them spoil a ballot first), 10 on paper; scrutineer 3 is absent,
    // 1, 2, 4 and 5 decrypt (the 3 smallest are combined).
    let sitting = Sitting {
        online: 230,
        spoil: 3,
        paper: 10,
        trustees: vec![0, 1, 3, 4],
        votes: sitting::votes_of,
    };
    let (p, report, mut rng) = congress_of_300(1, &sitting);
    assert_all_passed(&report, &[]);
    assert_eq!(report.verdict(), Verdict::Valid);
    assert_eq!(report.stage, Stage::Tallied);
    assert!(report.is_valid_and_tallied());
    assert_eq!(report.ballots, 230);
    assert_eq!(report.spoiled, 3);
    assert_eq!(report.credentials, Some(230));
    assert_eq!(report.offline_voters, 10);
    assert_eq!(report.present, Some(240));
    assert_eq!(report.closed_at, Some(sitting::CLOSED_AT));
    assert_eq!(report.decrypted_by, vec![1, 2, 4]);
    assert_eq!(report.totals.as_deref(), Some(p.expected.as_slice()));
    assert_eq!(
        report.status(CheckId::Ballots),
        &Status::Passed { items: 230 }
    );
    let outcomes = report.outcomes.clone().unwrap();
    assert!(outcomes.quorum, "3·240 ≥ 2·300");
    let t = &p.expected;
    for (m, q) in outcomes.questions.iter().take(3).enumerate() {
        let QuestionOutcome::Motion { passed, minimum } = q else {
            panic!("motion")
        };
        assert_eq!(*minimum, 151, "more than half of 300");
        assert_eq!(*passed, 2 * t[3 * m] > 300);
    }
    let QuestionOutcome::Election { elected, .. } = &outcomes.questions[3] else {
        panic!("election")
    };
    assert!(elected.len() <= 5);
    for &c in elected {
        assert!(2 * t[9 + 3 * usize::from(c)] > 300);
    }
    let QuestionOutcome::Evaluation { indicators } = &outcomes.questions[4] else {
        panic!("evaluation")
    };
    assert_eq!(indicators.len(), 4);
    for (s, row) in indicators.iter().enumerate() {
        let base = 30 + 4 * s;
        assert_eq!(row[0].numerator, t[base] + t[base + 1]);
        assert_eq!(row[0].denominator, t[base] + t[base + 1] + t[base + 2]);
        assert_eq!(
            row[0].denominator + t[base + 3],
            240,
            "every voter answered"
        );
    }

    // The JSON report says the same.
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["verdict"], "valid");
    assert_eq!(json["stage"], "tallied");
    assert_eq!(json["ballots"], 230);
    assert_eq!(json["decrypted_by"], serde_json::json!([1, 2, 4]));
    assert!(matches!(
        report.status(CheckId::DecryptionShares),
        Status::Passed { items: 4 }
    ));
    assert_eq!(json["totals"], serde_json::json!(p.expected));
    assert_eq!(json["checks"].as_array().unwrap().len(), CheckId::ALL.len());
    assert_eq!(json["outcomes"]["quorum"], true);

    // Batched and single verification agree.
    let single = Verifier::new(&mut rng).with_batch_size(1);
    let mut single = single;
    for entry in RecordReader::new(&p.record) {
        single.push(&entry.unwrap());
    }
    assert_eq!(single.finish(), report);

    // With `parallel`, batches are verified on rayon's pool while the next are read;
    // from inside a pool of one thread or two (where the verifier checks in place) the
    // report is the same, and a record with bad ballots in several batches names them
    // all, in record order.
    #[cfg(feature = "parallel")]
    {
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(pool.install(|| verify(&p.record, common::rng(7))), report);
        }
        let mut payloads = p.payloads.clone();
        let ballots = tamper::positions(&payloads, MessageKind::Ballot);
        let bad = [ballots[3], ballots[130], ballots[200], ballots[229]];
        for &at in &bad {
            let n = payloads[at].len();
            payloads[at][n - 32] ^= 0x01;
        }
        let broken = chain(&payloads);
        for small_batches in [false, true] {
            let mut verifier = Verifier::new(common::rng(8));
            if small_batches {
                verifier = verifier.with_batch_size(1);
            }
            for entry in RecordReader::new(&broken) {
                verifier.push(&entry.unwrap());
            }
            let broken_report = verifier.finish();
            assert_eq!(
                failed(&broken_report, CheckId::Ballots),
                &Error::InvalidBallots {
                    culprits: bad.to_vec()
                }
            );
        }
    }
}

#[test]
fn quorum_not_met_199_of_300_is_recorded_and_nothing_passes() {
    let sitting = Sitting {
        online: 199,
        spoil: 0,
        paper: 0,
        trustees: vec![1, 2, 4],
        votes: sitting::votes_of,
    };
    let (_, report, _) = congress_of_300(2, &sitting);
    assert_all_passed(
        &report,
        &[
            CheckId::SpoiledBallots,
            CheckId::SpoiledNotCounted,
            CheckId::OfflineCount,
        ],
    );
    assert!(report.is_valid_and_tallied());
    let outcomes = report.outcomes.unwrap();
    assert!(!outcomes.quorum, "3·199 < 2·300");
    for q in &outcomes.questions[..3] {
        assert!(matches!(q, QuestionOutcome::Motion { passed: false, .. }));
    }
    let QuestionOutcome::Election {
        elected, pending, ..
    } = &outcomes.questions[3]
    else {
        panic!("election")
    };
    assert!(elected.is_empty());
    assert_eq!(pending, &None::<Pending>);
    assert_eq!(report.decrypted_by, vec![2, 3, 5]);
}

/// A small congress (20 on the roster, 12 online with 1 spoiled ballot, 2 on paper),
/// run once and shared by the attack tests.
struct Small {
    e: Election,
    p: Published,
}

fn small() -> &'static Small {
    static SMALL: OnceLock<Small> = OnceLock::new();
    SMALL.get_or_init(|| {
        let mut rng = common::rng(7);
        let e = sitting::setup(&mut rng, 20);
        let p = sitting::run(&e, &sitting_of_small(), &mut rng);
        Small { e, p }
    })
}

use tamper::positions;

/// A valid ballot, with votes `votes_of(v)`, of representative `voter`, who checks in now.
fn fresh_ballot(s: &Small, voter: u32, v: u32, rng: &mut rand_chacha::ChaCha20Rng) -> Ballot {
    let credential = sitting::check_in_elsewhere(&s.e, voter, rng);
    Ballot::cast(
        &s.e.manifest,
        &s.e.keys,
        &credential,
        &sitting::votes_of(v),
        rng,
    )
    .unwrap()
    .0
}

fn failed(report: &secret_ballot::verify::Report, id: CheckId) -> &Error {
    match report.status(id) {
        Status::Failed(e) => e,
        other => panic!("{id:?} should fail, is {other:?}"),
    }
}

#[test]
fn the_small_record_verifies_and_its_prefixes_report_their_stage() {
    let s = small();
    let report = verify(&s.p.record, rng());
    assert!(report.is_valid_and_tallied(), "{:?}", report.checks);
    let closed = verify(&s.p.closed, rng());
    assert_eq!(closed.verdict(), Verdict::Valid);
    assert_eq!(closed.stage, Stage::Closed);
    assert!(matches!(
        closed.status(CheckId::DecryptionShares),
        Status::Skipped(_)
    ));
    // The record at close is a prefix of the final one: the count extends it.
    assert!(s.p.record.starts_with(&s.p.closed));
    let setup = sitting::setup_record(&s.e);
    let report = verify(setup.as_bytes(), rng());
    assert_eq!(report.stage, Stage::Setup);
    assert_eq!(report.verdict(), Verdict::Valid);
    assert_eq!(report.election_key, Some(s.e.keys.election_key));
    // A writer resumed from the closed record continues its chain.
    let mut resumed = RecordWriter::resume(s.p.closed.clone()).unwrap();
    for payload in &s.p.payloads[resumed.len()..] {
        resumed.append(payload).unwrap();
    }
    assert_eq!(resumed.into_bytes(), s.p.record);
    // The library's chain is the one SPEC.md §14.1 describes.
    assert_eq!(chain(&s.p.payloads), s.p.record);
}

#[test]
fn a_dropped_or_reordered_entry_breaks_the_chain() {
    let s = small();
    let entries: Vec<Vec<u8>> = RecordReader::new(&s.p.record)
        .map(|e| e.unwrap().to_bytes())
        .collect();
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    // Dropped.
    let mut dropped = entries.clone();
    dropped.remove(ballots[3]);
    let report = verify(&dropped.concat(), rng());
    assert_eq!(report.verdict(), Verdict::Invalid);
    assert!(matches!(
        failed(&report, CheckId::HashChain),
        Error::RecordChain { entry } if *entry == ballots[3]
    ));
    // Reordered.
    let mut swapped = entries.clone();
    swapped.swap(ballots[1], ballots[2]);
    let report = verify(&swapped.concat(), rng());
    assert!(matches!(
        failed(&report, CheckId::HashChain),
        Error::RecordChain { .. }
    ));
    assert!(matches!(
        failed(&report, CheckId::Order),
        Error::RecordOrder { .. }
    ));
    // Dropped and re-chained by an organiser who rewrites the record: the published
    // aggregate and the shares no longer match the ballots.
    let mut payloads = s.p.payloads.clone();
    payloads.remove(ballots[3]);
    let report = verify(&chain(&payloads), rng());
    assert_eq!(
        report.status(CheckId::HashChain),
        &Status::Passed {
            items: payloads.len() as u64
        }
    );
    assert_eq!(
        failed(&report, CheckId::Aggregate),
        &Error::AggregateMismatch
    );
    assert!(matches!(
        failed(&report, CheckId::DecryptionShares),
        Error::InvalidDecryptionShares { culprits } if culprits == &vec![1, 3, 5]
    ));
    assert_eq!(report.verdict(), Verdict::Invalid);
}

#[test]
fn a_ballot_added_after_close_is_refused() {
    let s = small();
    let mut rng = rng();
    let late = fresh_ballot(s, 900, 900, &mut rng);
    let close = positions(&s.p.payloads, MessageKind::Close)[0];
    let mut payloads = s.p.payloads.clone();
    payloads.insert(close + 1, late.to_bytes());
    let report = verify(&chain(&payloads), &mut rng);
    assert_eq!(
        failed(&report, CheckId::Order),
        &Error::RecordOrder { entry: close + 1 }
    );
    // The late ballot is not counted: the tally still checks out.
    assert_eq!(report.ballots, 12);
    assert!(matches!(
        report.status(CheckId::Totals),
        Status::Passed { .. }
    ));
    assert_eq!(report.verdict(), Verdict::Invalid);
    // And the writer refuses to write it.
    let mut w = RecordWriter::resume(s.p.closed.clone()).unwrap();
    assert!(matches!(
        w.append(&late.to_bytes()),
        Err(Error::RecordOrder { .. })
    ));
}

#[test]
fn a_double_vote_with_one_credential_is_caught() {
    let s = small();
    let mut rng = rng();
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    // Find the credential of the first ballot in the record: recast under it is not
    // possible without its secret, so duplicate the entry itself (a replay).
    let mut payloads = s.p.payloads.clone();
    payloads.insert(ballots[0] + 1, payloads[ballots[0]].clone());
    let report = verify(&chain(&payloads), &mut rng);
    assert_eq!(
        failed(&report, CheckId::Pseudonyms),
        &Error::DuplicatePseudonym
    );
    assert_eq!(report.ballots, 12, "the replay is not counted");

    // A second, different ballot of the same credential (revoting is off).
    let credential = sitting::check_in_elsewhere(&s.e, 901, &mut rng);
    let cast = |v: u32, rng: &mut rand_chacha::ChaCha20Rng| {
        Ballot::cast(
            &s.e.manifest,
            &s.e.keys,
            &credential,
            &sitting::votes_of(v),
            rng,
        )
        .unwrap()
        .0
    };
    let (a, b) = (cast(1, &mut rng), cast(2, &mut rng));
    // Where their pseudonym sorts, so that only their repetition is in question.
    let (mut payloads, at) = tamper::inserted_sorted(&s.p, &a);
    payloads.insert(at + 1, b.to_bytes());
    let report = verify(&chain(&payloads), &mut rng);
    assert_eq!(
        failed(&report, CheckId::Pseudonyms),
        &Error::DuplicatePseudonym
    );
}

fn replace_payload(s: &Small, index: usize, payload: Vec<u8>) -> Vec<u8> {
    tamper::replaced(&s.p, index, payload)
}

#[test]
fn invalid_ballots_are_named_by_their_record_entry() {
    let s = small();
    let mut rng = rng();
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);

    // Another voter's ciphertexts and proofs under a fresh credential.
    let fresh = fresh_ballot(s, 902, 4, &mut rng);
    let victim = &s.p.payloads[ballots[5]];
    let mut copied = fresh.to_bytes();
    let answers_at = 2 + 32 + 162;
    let answers_len = copied.len() - answers_at - 66;
    copied[answers_at..answers_at + answers_len]
        .copy_from_slice(&victim[answers_at..answers_at + answers_len]);

    // A ballot of another election, cast by a voter of this one.
    let mut other = s.e.manifest.clone();
    other.election_id = b"another-election".to_vec();
    let other_keys =
        secret_ballot::ballot::ElectionKeys::new(&other, s.e.keys.election_key).unwrap();
    let credential = sitting::check_in_elsewhere(&s.e, 904, &mut rng);
    let (foreign, _) = Ballot::cast(
        &other,
        &other_keys,
        &credential,
        &sitting::votes_of(5),
        &mut rng,
    )
    .unwrap();

    for (name, bad) in [("copied", copied), ("foreign", foreign.to_bytes())] {
        let (payloads, at) =
            tamper::inserted_sorted(&s.p, &Ballot::from_bytes(&bad, s.e.keys.layout()).unwrap());
        let report = verify(&chain(&payloads), &mut rng);
        assert_eq!(
            failed(&report, CheckId::Ballots),
            &Error::InvalidBallots { culprits: vec![at] },
            "{name}"
        );
        assert_eq!(report.check_entry(CheckId::Ballots), Some(at));
        // It is counted into the aggregate the verifier recomputes, so the count fails too.
        assert_eq!(report.verdict(), Verdict::Invalid);
    }

    // A ballot whose content changed after signing: its first ciphertext replaced by
    // another ballot's (valid points, so only verification can tell); and a ballot whose
    // signature's response was changed (still a canonical scalar).
    let answers_at = 2 + 32 + 162;
    let first_ct = answers_at + 1 + 2;
    let mut changed = s.p.payloads[ballots[2]].clone();
    changed[first_ct..first_ct + 64]
        .copy_from_slice(&s.p.payloads[ballots[3]][first_ct..first_ct + 64]);
    let mut resigned = s.p.payloads[ballots[4]].clone();
    let n = resigned.len();
    resigned[n - 32] ^= 0x01;
    for (at, bad) in [(ballots[2], changed), (ballots[4], resigned)] {
        let report = verify(&replace_payload(s, at, bad), &mut rng);
        assert_eq!(
            failed(&report, CheckId::Ballots),
            &Error::InvalidBallots { culprits: vec![at] }
        );
    }
}

#[test]
fn more_ballots_than_credentials_is_void_redo() {
    let s = small();
    let mut rng = rng();
    // The issuer reports one representative fewer than took a credential.
    let report_at = positions(&s.p.payloads, MessageKind::IssuanceReport)[0];
    let honest = IssuanceReport::from_bytes(&s.p.payloads[report_at]).unwrap();
    let fewer: Vec<VoterId> = honest.voters()[1..].to_vec();
    let short =
        IssuanceReport::sign(&s.e.context, fewer, &s.e.authorities.report, &mut rng).unwrap();
    let report = verify(&replace_payload(s, report_at, short.to_bytes()), &mut rng);
    assert_eq!(
        failed(&report, CheckId::Reconciliation),
        &Error::MoreBallotsThanCredentials {
            ballots: 12,
            credentials: 11
        }
    );
    assert_eq!(report.verdict(), Verdict::VoidRedo);
    // A report not signed by the manifest's report key is a different failure.
    let forged = IssuanceReport::sign(
        &s.e.context,
        honest.voters().to_vec(),
        &secret_ballot::credential::ReportKeypair::generate(&mut rng),
        &mut rng,
    )
    .unwrap();
    let report = verify(&replace_payload(s, report_at, forged.to_bytes()), &mut rng);
    assert_eq!(
        failed(&report, CheckId::IssuanceReport),
        &Error::InvalidProof
    );
    assert_eq!(report.verdict(), Verdict::Invalid);
}

#[test]
fn a_wrong_total_or_outcome_is_caught() {
    let s = small();
    let mut rng = rng();
    let totals_at = positions(&s.p.payloads, MessageKind::Totals)[0];
    let outcomes_at = totals_at + 1;
    let mut totals = Totals::from_bytes(&s.p.payloads[totals_at]).unwrap();
    totals.0[0] += 1;
    // The organiser also publishes outcomes consistent with its wrong totals.
    let outcomes = Outcomes::compute(&s.e.manifest, &totals.0, s.p.present).unwrap();
    let mut payloads = s.p.payloads.clone();
    payloads[totals_at] = totals.to_bytes();
    payloads[outcomes_at] = outcomes.to_bytes();
    let report = verify(&chain(&payloads), &mut rng);
    assert_eq!(
        failed(&report, CheckId::Totals),
        &Error::WrongTotal { position: 0 }
    );

    // Right totals, wrong outcome: a motion declared passed that did not pass.
    let mut outcomes = Outcomes::from_bytes(&s.p.payloads[outcomes_at]).unwrap();
    for q in &mut outcomes.questions {
        if let QuestionOutcome::Motion { passed, .. } = q {
            *passed = !*passed;
        }
    }
    let report = verify(
        &replace_payload(s, outcomes_at, outcomes.to_bytes()),
        &mut rng,
    );
    assert_eq!(failed(&report, CheckId::Outcomes), &Error::WrongOutcomes);
    assert!(matches!(
        report.status(CheckId::Totals),
        Status::Passed { .. }
    ));
}

#[test]
fn a_decryption_share_for_another_aggregate_is_rejected_and_named() {
    let s = small();
    let mut rng = rng();
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    // Trustee 3 decrypts the aggregate of all ballots but one.
    let rows: Vec<Vec<_>> = ballots[1..]
        .iter()
        .map(|&i| {
            Ballot::from_bytes(&s.p.payloads[i], s.e.keys.layout())
                .unwrap()
                .ciphertexts()
        })
        .collect();
    let smaller = Aggregate::from_ballots(&rows, s.e.keys.width()).unwrap();
    let share = s.e.shares[2]
        .decrypt_aggregate(&rows, &smaller, 10, &mut rng)
        .unwrap();
    let shares = positions(&s.p.payloads, MessageKind::DecryptionShare);
    let report = verify(&replace_payload(s, shares[1], share.to_bytes()), &mut rng);
    assert_eq!(
        failed(&report, CheckId::DecryptionShares),
        &Error::InvalidDecryptionShares { culprits: vec![3] }
    );
}

#[test]
fn spoiled_ballots_are_checked_and_never_counted() {
    let s = small();
    let mut rng = rng();
    let spoiled_at = positions(&s.p.payloads, MessageKind::SpoiledBallot)[0];
    let spoiled = SpoiledBallot::from_bytes(&s.p.payloads[spoiled_at], s.e.keys.layout()).unwrap();
    // The box counts the spoiled ballot instead of the voter's cast one (same pseudonym).
    let pseudonym = spoiled.ballot().pseudonym().to_bytes();
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let cast_at = ballots
        .iter()
        .copied()
        .find(|&i| tamper::pseudonym_at(&s.p, i) == pseudonym)
        .unwrap();
    let report = verify(
        &replace_payload(s, cast_at, spoiled.ballot().to_bytes()),
        &mut rng,
    );
    assert_eq!(
        failed(&report, CheckId::SpoiledNotCounted),
        &Error::SpoiledBallotCounted
    );
    // A spoiled ballot whose opening lies about a value.
    let mut lie = s.p.payloads[spoiled_at].clone();
    let n = lie.len();
    lie[n - 33] ^= 1;
    let report = verify(&replace_payload(s, spoiled_at, lie), &mut rng);
    assert!(matches!(
        report.status(CheckId::SpoiledBallots),
        Status::Failed(_)
    ));
}

#[test]
fn paper_counts_are_encrypted_proven_and_signed_off_and_attendance_must_add_up() {
    use secret_ballot::tally::PaperTally;
    let s = small();
    let mut rng = rng();
    let key = s.e.keys.election_key;
    let offline_at = positions(&s.p.payloads, MessageKind::OfflineCount)[0];
    let honest = OfflineCount::from_bytes(&s.p.payloads[offline_at]).unwrap();
    assert_eq!(honest.signers().collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(honest.voters(), 2);
    // The record never shows the paper counts: the view has none, and the totals are
    // the merged ones.
    let view: serde_json::Value =
        serde_json::from_str(&secret_ballot::record::to_json(&s.p.record)).unwrap();
    let paper_view = &view["entries"][offline_at]["view"];
    assert_eq!(paper_view["voters"], 2);
    assert!(paper_view.get("counts").is_none());
    assert!(matches!(
        verify(&s.p.record, &mut rng).status(CheckId::Totals),
        Status::Passed { .. }
    ));

    let sheet = PaperTally::new(&s.e.manifest, 2, s.p.paper.clone()).unwrap();
    let (mut short, opening) = sheet.encrypt(&s.e.context, &key, &mut rng).unwrap();
    short.check_opening(&sheet, &opening, &key).unwrap();
    // A scrutineer refuses to sign ciphertexts that are not the room's counts.
    let mut other = s.p.paper.clone();
    other[0] = 1 - other[0].min(1);
    let other = PaperTally::new(&s.e.manifest, 2, other).unwrap();
    assert!(matches!(
        short.check_opening(&other, &opening, &key),
        Err(Error::InvalidOfflineCount(_))
    ));
    // Two signatures where three are needed.
    for i in [1u16, 2] {
        short
            .sign(
                &s.e.manifest,
                i,
                &s.e.authorities.trustees[usize::from(i) - 1],
                &mut rng,
            )
            .unwrap();
    }
    let report = verify(&replace_payload(s, offline_at, short.to_bytes()), &mut rng);
    assert!(matches!(
        failed(&report, CheckId::OfflineCount),
        Error::InvalidOfflineCount(_)
    ));
    // A signature by the wrong key, and a second one by the same trustee.
    assert_eq!(
        short.sign(&s.e.manifest, 3, &s.e.authorities.trustees[1], &mut rng),
        Err(Error::UnknownTrustee(3))
    );
    assert_eq!(
        short.sign(&s.e.manifest, 1, &s.e.authorities.trustees[0], &mut rng),
        Err(Error::UnknownTrustee(1))
    );
    // Two positions' ciphertexts swapped in the signed entry: every proof and signature
    // is bound to the whole vector, so the count no longer verifies.
    let mut swapped = s.p.payloads[offline_at].clone();
    let at = 2 + 4 + 2;
    let (first, second) = (
        swapped[at..at + 64].to_vec(),
        swapped[at + 64..at + 128].to_vec(),
    );
    swapped[at..at + 64].copy_from_slice(&second);
    swapped[at + 64..at + 128].copy_from_slice(&first);
    let report = verify(&replace_payload(s, offline_at, swapped), &mut rng);
    assert!(matches!(
        report.status(CheckId::OfflineCount),
        Status::Failed(_)
    ));
    // Tally sheets that no paper vote could give are refused before encryption.
    let mut counts = s.p.paper.clone();
    counts[0] = 3;
    assert!(matches!(
        PaperTally::new(&s.e.manifest, 2, counts),
        Err(Error::InvalidOfflineCount(_))
    ));
    let mut counts = vec![0; s.e.keys.width()];
    counts[..2].copy_from_slice(&[2, 2]); // two marks per paper voter on a motion
    assert!(matches!(
        PaperTally::new(&s.e.manifest, 2, counts),
        Err(Error::InvalidOfflineCount(_))
    ));
    assert!(PaperTally::new(&s.e.manifest, 0, vec![0; s.e.keys.width()]).is_err());
    // Attendance: more present than the roster, or fewer than took part.
    let close_at = offline_at + 1;
    for present in [21, 13] {
        let report = verify(
            &replace_payload(
                s,
                close_at,
                Close {
                    present,
                    closed_at: sitting::CLOSED_AT,
                }
                .to_bytes(),
            ),
            &mut rng,
        );
        assert!(matches!(
            failed(&report, CheckId::Attendance),
            Error::Attendance(_)
        ));
    }
}

#[test]
fn missing_sections_and_foreign_entries_are_reported() {
    let s = small();
    let mut rng = rng();
    // No manifest first.
    let report = verify(&chain(&s.p.payloads[1..]), &mut rng);
    assert!(matches!(
        failed(&report, CheckId::Manifest),
        Error::RecordIncomplete(_)
    ));
    assert_eq!(report.stage, Stage::Empty);
    // Totals without the decryption shares.
    let shares = positions(&s.p.payloads, MessageKind::DecryptionShare);
    let payloads: Vec<Vec<u8>> =
        s.p.payloads
            .iter()
            .enumerate()
            .filter(|(i, _)| !shares.contains(i))
            .map(|(_, p)| p.clone())
            .collect();
    let report = verify(&chain(&payloads), &mut rng);
    assert!(matches!(
        failed(&report, CheckId::DecryptionShares),
        Error::NotEnoughShares { valid: 0, .. }
    ));
    // A payload kind no section holds (a bare proof).
    let mut payloads = s.p.payloads.clone();
    payloads.insert(1, vec![0x01, MessageKind::SchnorrProof as u8]);
    let report = verify(&chain(&payloads), &mut rng);
    assert!(matches!(
        failed(&report, CheckId::Encoding),
        Error::Encoding(_)
    ));
    // Ceremony messages naming trustees the manifest does not have.
    use secret_ballot::threshold::dkg::Complaint;
    let round1_end = positions(&s.p.payloads, MessageKind::DkgRound2)[0];
    for complaint in [
        Complaint {
            accuser: 9,
            accused: 1,
        },
        Complaint {
            accuser: 1,
            accused: 0,
        },
    ] {
        let mut payloads = s.p.payloads.clone();
        let answers = positions(&payloads, MessageKind::IssuanceReport)[0];
        payloads.insert(answers, complaint.to_bytes());
        let report = verify(&chain(&payloads), &mut rng);
        assert!(matches!(
            failed(&report, CheckId::KeyCeremony),
            Error::UnknownTrustee(_)
        ));
    }
    let mut payloads = s.p.payloads.clone();
    let mut stray = payloads[1].clone();
    stray[2..4].copy_from_slice(&6u16.to_le_bytes()); // dealer 6 of 5
    payloads.insert(round1_end, stray);
    let report = verify(&chain(&payloads), &mut rng);
    assert_eq!(
        failed(&report, CheckId::KeyCeremony),
        &Error::UnknownTrustee(6)
    );
    // A second manifest.
    let mut payloads = s.p.payloads.clone();
    payloads.insert(1, payloads[0].clone());
    let report = verify(&chain(&payloads), &mut rng);
    assert_eq!(
        failed(&report, CheckId::Order),
        &Error::RecordOrder { entry: 1 }
    );
}

#[test]
fn malformed_records_never_panic_and_never_verify() {
    let s = small();
    let mut rng = rng();
    assert_eq!(verify(&[], &mut rng).stage, Stage::Empty);
    // Truncated in every entry's framing and payload.
    for cut in [
        1,
        37,
        38,
        39,
        500,
        s.p.record.len() / 2,
        s.p.record.len() - 1,
    ] {
        let report = verify(&s.p.record[..cut], &mut rng);
        assert!(
            matches!(report.status(CheckId::Encoding), Status::Failed(_)),
            "cut {cut}"
        );
        assert_eq!(report.verdict(), Verdict::Invalid);
    }
    // Trailing garbage.
    let mut longer = s.p.record.clone();
    longer.extend_from_slice(&[0x01, 0x40, 0, 0]);
    assert_eq!(verify(&longer, &mut rng).verdict(), Verdict::Invalid);
    // A non-canonical point in a ballot (the pseudonym set to a non-canonical encoding).
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let mut ballot = s.p.payloads[ballots[0]].clone();
    ballot[2..34].copy_from_slice(&[0xff; 32]);
    let report = verify(&replace_payload(s, ballots[0], ballot), &mut rng);
    assert!(matches!(
        failed(&report, CheckId::Encoding),
        Error::Encoding(_)
    ));
    // Streaming from a reader gives the same report as verifying the bytes, including
    // for truncated input.
    for bytes in [
        &s.p.record[..],
        &s.p.record[..s.p.record.len() - 7],
        &s.p.record[..20],
    ] {
        let mut streamed = Verifier::new(rng.clone());
        streamed.read_from(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(streamed.finish(), verify(bytes, rng.clone()));
    }
    // Entry framing: the streaming length and the parser agree.
    let first = s.p.record.as_slice();
    let len = Entry::encoded_len(first).unwrap();
    let (entry, rest) = Entry::parse(first).unwrap();
    assert_eq!(entry.to_bytes().len(), len);
    assert_eq!(rest.len(), first.len() - len);
    assert!(Entry::encoded_len(&first[..20]).is_err());
}

#[test]
fn every_tampered_record_fails_the_check_that_must_catch_it() {
    let s = small();
    let mut rng = rng();
    let all = tamper::all(&s.e, &sitting_of_small(), &s.p, &mut rng);
    assert!(all.len() >= 12);
    for t in all {
        let report = verify(&t.record, &mut rng);
        assert_eq!(report.verdict().name(), t.verdict, "{}", t.reason);
        let check = report
            .checks
            .iter()
            .find(|c| c.id.name() == t.check)
            .unwrap();
        match &check.status {
            Status::Failed(e) => assert_eq!(e.code(), t.error, "{}", t.reason),
            other => panic!("{}: {} is {other:?}", t.reason, t.check),
        }
    }
}

#[test]
fn trustees_decrypt_only_a_closed_record_that_verifies() {
    use secret_ballot::tally::{Outcomes, Totals};
    use secret_ballot::threshold::combine;
    use secret_ballot::verify::decrypt_record;
    let s = small();
    let mut rng = rng();
    // Trustees 2, 4 and 5 decrypt the closed record; the organiser completes it.
    let shares: Vec<_> = [1usize, 3, 4]
        .iter()
        .map(|&i| decrypt_record(&s.e.shares[i], &s.p.closed, &mut rng).unwrap())
        .collect();
    let aggregate_at = positions(&s.p.payloads, MessageKind::Aggregate)[0];
    let aggregate = Aggregate::from_bytes(&s.p.payloads[aggregate_at]).unwrap();
    for share in &shares {
        assert_eq!(share.aggregate_hash(), &aggregate.hash(&s.e.context));
    }
    let tally = combine(s.e.shares[0].public(), &s.e.context, &aggregate, &shares).unwrap();
    let totals = tally.totals;
    assert_eq!(
        totals, s.p.expected,
        "online and paper, merged before decryption"
    );
    let mut w = RecordWriter::resume(s.p.closed.clone()).unwrap();
    w.append(&aggregate.to_bytes()).unwrap();
    for share in &shares {
        w.append(&share.to_bytes()).unwrap();
    }
    w.append(&Totals(totals.clone()).to_bytes()).unwrap();
    w.append(
        &Outcomes::compute(&s.e.manifest, &totals, s.p.present)
            .unwrap()
            .to_bytes(),
    )
    .unwrap();
    let report = verify(w.as_bytes(), &mut rng);
    assert!(report.is_valid_and_tallied());
    assert_eq!(report.decrypted_by, vec![2, 4, 5]);

    // Refusals.
    let refused = |record: &[u8], i: usize, rng: &mut rand_chacha::ChaCha20Rng| {
        decrypt_record(&s.e.shares[i], record, rng).unwrap_err()
    };
    let mut tampered = s.p.closed.clone();
    tampered[2000] ^= 1;
    assert!(matches!(
        refused(&tampered, 0, &mut rng),
        Error::RecordRefused(_)
    ));
    let setup = sitting::setup_record(&s.e).into_bytes();
    assert_eq!(
        refused(&setup, 0, &mut rng),
        Error::RecordRefused("the record is not closed")
    );
    let close = positions(&s.p.payloads, MessageKind::Close)[0];
    let void = tamper::all(&s.e, &sitting_of_small(), &s.p, &mut rng)
        .into_iter()
        .find(|t| t.verdict == "void_redo")
        .unwrap();
    let void_closed: Vec<u8> = {
        let entries: Vec<Vec<u8>> = RecordReader::new(&void.record)
            .take(close + 1)
            .map(|e| e.unwrap().to_bytes())
            .collect();
        entries.concat()
    };
    assert_eq!(verify(&void_closed, &mut rng).verdict(), Verdict::VoidRedo);
    assert_eq!(
        refused(&void_closed, 0, &mut rng),
        Error::RecordRefused("the record does not verify")
    );
    // Below the privacy floor (10): drop three ballots from the closed record.
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let few: Vec<Vec<u8>> = s.p.payloads[..=close]
        .iter()
        .enumerate()
        .filter(|(i, _)| !ballots[..3].contains(i))
        .map(|(_, p)| p.clone())
        .collect();
    assert_eq!(
        refused(&chain(&few), 0, &mut rng),
        Error::BelowPrivacyFloor {
            ballots: 9,
            floor: 10
        }
    );
    // Another election's trustee.
    let other = sitting::setup(&mut common::rng(8), 20);
    assert_eq!(
        decrypt_record(&other.shares[0], &s.p.closed, &mut rng).unwrap_err(),
        Error::RecordRefused("the record is of another election")
    );
}

#[test]
fn the_trustees_duplicate_check_refuses_a_repeated_ciphertext() {
    let s = small();
    let mut rng = rng();
    // Another voter's ciphertexts copied under a fresh credential: invalid proofs, and a
    // repeated ciphertext, which only the duplicate check looks for.
    let fresh = fresh_ballot(s, 903, 4, &mut rng);
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let mut copied = fresh.to_bytes();
    let answers_at = 2 + 32 + 162;
    let end = copied.len() - 66;
    copied[answers_at..end].copy_from_slice(&s.p.payloads[ballots[0]][answers_at..end]);
    let (payloads, at) = tamper::inserted_sorted(
        &s.p,
        &Ballot::from_bytes(&copied, s.e.keys.layout()).unwrap(),
    );
    let close = positions(&payloads, MessageKind::Close)[0];
    let closed = chain(&payloads[..=close]);
    let plain = verify(&closed, &mut rng);
    assert!(matches!(
        plain.status(CheckId::Aggregate),
        Status::Skipped(_)
    ));
    let mut strict = Verifier::new(&mut rng).with_duplicate_check();
    strict.read_from(closed.as_slice()).unwrap();
    let strict = strict.finish();
    assert_eq!(strict.check_entry(CheckId::Aggregate), Some(at));
    assert!(matches!(
        strict.status(CheckId::Aggregate),
        Status::Failed(Error::AggregateMismatch)
    ));
}

/// Rebuilds a record's bytes from its JSON view, as SPEC.md §14.10 says any reader can.
fn rebuild(view: &serde_json::Value) -> Vec<u8> {
    let unhex = |v: &serde_json::Value| hex::decode(v.as_str().unwrap()).unwrap();
    let mut out = Vec::new();
    for entry in view["entries"].as_array().unwrap() {
        let payload = unhex(&entry["payload"]);
        out.extend_from_slice(&[0x01, 0x40]);
        out.extend_from_slice(&unhex(&entry["previous"]));
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&payload);
    }
    out.extend_from_slice(&unhex(&view["unreadable"]));
    out
}

#[test]
fn the_json_view_is_lossless_and_shows_what_the_record_says() {
    let s = small();
    let view: serde_json::Value =
        serde_json::from_str(&secret_ballot::record::to_json(&s.p.record)).unwrap();
    assert_eq!(rebuild(&view), s.p.record);
    let report = verify(&s.p.record, rng());
    assert_eq!(view["head"], hex::encode(report.head));
    let entries = view["entries"].as_array().unwrap();
    assert_eq!(entries.len(), report.entries);
    assert_eq!(entries[0]["section"], "manifest");
    assert_eq!(entries[0]["view"]["title"], s.e.manifest.title.as_str());
    assert_eq!(entries[0]["view"]["roster"], 20);
    assert_eq!(entries[0]["view"]["questions"][3]["seats"], 5);
    assert_eq!(entries[0]["view"]["context"], hex::encode(s.e.context));
    let ballots: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|e| e["section"] == "ballots")
        .collect();
    assert_eq!(ballots.len(), 12);
    for (entry, &at) in ballots
        .iter()
        .zip(&positions(&s.p.payloads, MessageKind::Ballot))
    {
        let ballot = Ballot::from_bytes(&s.p.payloads[at], s.e.keys.layout()).unwrap();
        assert_eq!(
            entry["view"]["tracking_code"],
            ballot.tracking_code().as_str()
        );
        // Every position's width, derived ones included (SPEC.md §12.2).
        let widths: Vec<usize> = s.e.manifest.questions.iter().map(|q| q.width()).collect();
        assert_eq!(entry["view"]["widths"], serde_json::json!(widths));
        // A lone entry has no manifest to decode with: the code and pseudonym only.
        let lone: serde_json::Value = serde_json::from_str(&secret_ballot::record::to_json(
            &chain(&s.p.payloads[at..=at]),
        ))
        .unwrap();
        let lone = &lone["entries"][0]["view"];
        assert_eq!(lone["tracking_code"], ballot.tracking_code().as_str());
        assert_eq!(
            lone["pseudonym"],
            hex::encode(ballot.pseudonym().to_bytes())
        );
        assert!(lone.get("widths").is_none(), "{lone}");
    }
    let last = entries.last().unwrap();
    assert_eq!(last["section"], "outcomes");
    let totals = entries.iter().find(|e| e["section"] == "totals").unwrap();
    assert_eq!(totals["view"]["totals"], serde_json::json!(s.p.expected));
    let paper = entries
        .iter()
        .find(|e| e["section"] == "paper_count")
        .unwrap();
    assert_eq!(paper["view"]["signers"], serde_json::json!([1, 2, 3]));
    let spoiled = entries
        .iter()
        .find(|e| e["section"] == "spoiled_ballots")
        .unwrap();
    assert_eq!(
        spoiled["view"]["plaintexts"].as_array().unwrap().len(),
        s.e.keys.width()
    );
    // Lossless for anything: tampered, truncated, garbage, empty.
    let mut inputs: Vec<Vec<u8>> = tamper::all(&s.e, &sitting_of_small(), &s.p, &mut rng())
        .into_iter()
        .map(|t| t.record)
        .collect();
    inputs.push(s.p.record[..s.p.record.len() / 3].to_vec());
    inputs.push(b"\x01\x40 not a record".to_vec());
    inputs.push(Vec::new());
    for bytes in inputs {
        let view: serde_json::Value =
            serde_json::from_str(&secret_ballot::record::to_json(&bytes)).unwrap();
        assert_eq!(rebuild(&view), bytes);
    }
    // An entry whose payload does not decode shows why.
    let mut payloads = s.p.payloads.clone();
    payloads[1].truncate(10);
    let view: serde_json::Value =
        serde_json::from_str(&secret_ballot::record::to_json(&chain(&payloads))).unwrap();
    assert_eq!(view["entries"][1]["view"]["error"], "encoding");
}

fn sitting_of_small() -> Sitting {
    Sitting {
        online: 12,
        spoil: 1,
        paper: 2,
        trustees: vec![0, 2, 4],
        votes: sitting::votes_of,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Any single bit flipped anywhere in a valid record makes it invalid.
    #[test]
    fn every_bit_flip_is_caught(bit in 0usize..1 << 30) {
        let s = small();
        let bit = bit % (s.p.record.len() * 8);
        let mut record = s.p.record.clone();
        record[bit / 8] ^= 1 << (bit % 8);
        let report = verify(&record, rng());
        prop_assert_eq!(report.verdict(), Verdict::Invalid, "bit {}", bit);
    }

    /// Arbitrary bytes never panic the verifier.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let report = verify(&bytes, rng());
        prop_assert_eq!(report.verdict(), Verdict::Invalid);
    }
}

/// Hosts keep a verifier in shared state (the Python binding does): it must stay `Send`
/// and `Sync`, with or without `parallel`'s batches in flight.
#[test]
fn the_verifier_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Verifier<rand_chacha::ChaCha20Rng>>();
}
