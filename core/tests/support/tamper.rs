//! Tampered election records: each attack an organiser, an issuer or a trustee could
//! try on a published record, with the check of SPEC.md §14.7 that must catch it.
#![allow(dead_code)]

use rand_chacha::ChaCha20Rng;
use secret_ballot::ballot::{Ballot, BallotLayout, ElectionKeys, SpoiledBallot};
use secret_ballot::credential::{IssuanceReport, VoterId};
use secret_ballot::encoding::MessageKind;
use secret_ballot::record::RecordReader;
use secret_ballot::tally::{Outcomes, QuestionOutcome, Totals};
use secret_ballot::threshold::Aggregate;

use super::sitting::{self, Election, Published, chain};

/// One tampered record.
pub(crate) struct Tampered {
    pub(crate) reason: &'static str,
    pub(crate) record: Vec<u8>,
    /// The check that must fail, by its SPEC.md §14.7 name.
    pub(crate) check: &'static str,
    /// The error code it fails with.
    pub(crate) error: &'static str,
    /// The verdict on the whole record.
    pub(crate) verdict: &'static str,
}

/// Positions of the entries whose payload is of `kind`.
pub(crate) fn positions(payloads: &[Vec<u8>], kind: MessageKind) -> Vec<usize> {
    payloads
        .iter()
        .enumerate()
        .filter(|(_, p)| p[1] == kind as u8)
        .map(|(i, _)| i)
        .collect()
}

/// The payloads with entry `index` replaced, re-chained.
pub(crate) fn replaced(p: &Published, index: usize, payload: Vec<u8>) -> Vec<u8> {
    let mut payloads = p.payloads.clone();
    payloads[index] = payload;
    chain(&payloads)
}

/// The layout of the record's ballots, from its manifest (entry 0).
pub(crate) fn layout(p: &Published) -> BallotLayout {
    BallotLayout::new(&secret_ballot::manifest::Manifest::from_bytes(&p.payloads[0]).unwrap())
}

/// The pseudonym of the ballot in entry `i`.
pub(crate) fn pseudonym_at(p: &Published, i: usize) -> [u8; 32] {
    Ballot::from_bytes(&p.payloads[i], &layout(p))
        .unwrap()
        .pseudonym()
        .to_bytes()
}

/// The payloads with `ballot` inserted among the cast ballots where its pseudonym
/// sorts (so that only its validity is in question), and where it went.
pub(crate) fn inserted_sorted(p: &Published, ballot: &Ballot) -> (Vec<Vec<u8>>, usize) {
    let ballots = positions(&p.payloads, MessageKind::Ballot);
    let pseudonym = ballot.pseudonym().to_bytes();
    let at = ballots
        .iter()
        .copied()
        .find(|&i| pseudonym_at(p, i) > pseudonym)
        .unwrap_or(ballots.last().unwrap() + 1);
    let mut payloads = p.payloads.clone();
    payloads.insert(at, ballot.to_bytes());
    (payloads, at)
}

/// A fresh, valid ballot of a representative who never took part.
pub(crate) fn outsider_ballot(e: &Election, s: &sitting::Sitting, rng: &mut ChaCha20Rng) -> Ballot {
    let credential = sitting::check_in_elsewhere(e, 900, rng);
    Ballot::cast(&e.manifest, &e.keys, &credential, &(s.votes)(1), rng)
        .unwrap()
        .0
}

/// Every attack, on a record with at least four ballots, a spoiled ballot and two
/// decrypting trustees.
pub(crate) fn all(
    e: &Election,
    s: &sitting::Sitting,
    p: &Published,
    rng: &mut ChaCha20Rng,
) -> Vec<Tampered> {
    let entries: Vec<Vec<u8>> = RecordReader::new(&p.record)
        .map(|entry| entry.unwrap().to_bytes())
        .collect();
    let ballots = positions(&p.payloads, MessageKind::Ballot);
    let mut out = Vec::new();
    let mut push = |reason, record, check, error, verdict| {
        out.push(Tampered {
            reason,
            record,
            check,
            error,
            verdict,
        })
    };

    let mut dropped = entries.clone();
    dropped.remove(ballots[1]);
    push(
        "a ballot entry dropped",
        dropped.concat(),
        "hash_chain",
        "invalid_record",
        "invalid",
    );

    let mut swapped = entries.clone();
    swapped.swap(ballots[0], ballots[1]);
    push(
        "two ballot entries swapped",
        swapped.concat(),
        "hash_chain",
        "invalid_record",
        "invalid",
    );

    let mut payloads = p.payloads.clone();
    payloads.remove(ballots[1]);
    push(
        "a ballot dropped and the chain rewritten",
        chain(&payloads),
        "aggregate",
        "aggregate_refused",
        "invalid",
    );

    let close = positions(&p.payloads, MessageKind::Close)[0];
    let mut payloads = p.payloads.clone();
    payloads.insert(close + 1, outsider_ballot(e, s, rng).to_bytes());
    push(
        "a ballot added after the close",
        chain(&payloads),
        "order",
        "invalid_record",
        "invalid",
    );

    let mut payloads = p.payloads.clone();
    payloads.insert(ballots[0] + 1, p.payloads[ballots[0]].clone());
    push(
        "a ballot replayed (one credential, two ballots)",
        chain(&payloads),
        "pseudonyms",
        "ballot_refused",
        "invalid",
    );

    let answers_at = 2 + 32 + 162;
    let first_ct = answers_at + 1 + 2;
    let mut changed = p.payloads[ballots[0]].clone();
    changed[first_ct..first_ct + 64]
        .copy_from_slice(&p.payloads[ballots[1]][first_ct..first_ct + 64]);
    push(
        "a ballot's ciphertext changed after signing",
        replaced(p, ballots[0], changed),
        "ballots",
        "invalid_ballot",
        "invalid",
    );

    let mut other = e.manifest.clone();
    other.election_id = b"another-election".to_vec();
    let other_keys = ElectionKeys::new(&other, e.keys.election_key).unwrap();
    let credential = sitting::check_in_elsewhere(e, 901, rng);
    let (foreign, _) = Ballot::cast(&other, &other_keys, &credential, &(s.votes)(2), rng).unwrap();
    push(
        "a ballot made for another election, by a representative of this one",
        chain(&inserted_sorted(p, &foreign).0),
        "ballots",
        "invalid_ballot",
        "invalid",
    );

    let report_at = positions(&p.payloads, MessageKind::IssuanceReport)[0];
    let honest = IssuanceReport::from_bytes(&p.payloads[report_at]).unwrap();
    let fewer: Vec<VoterId> = honest.voters()[1..].to_vec();
    let short = IssuanceReport::sign(&e.context, fewer, &e.authorities.report, rng).unwrap();
    push(
        "more ballots than credentials issued",
        replaced(p, report_at, short.to_bytes()),
        "reconciliation",
        "void_redo",
        "void_redo",
    );

    let spoiled_at = positions(&p.payloads, MessageKind::SpoiledBallot)[0];
    let spoiled = SpoiledBallot::from_bytes(&p.payloads[spoiled_at], &layout(p)).unwrap();
    let pseudonym = spoiled.ballot().pseudonym().to_bytes();
    let cast_at = ballots
        .iter()
        .copied()
        .find(|&i| pseudonym_at(p, i) == pseudonym)
        .unwrap();
    push(
        "the spoiled ballot counted in place of the voter's cast one",
        replaced(p, cast_at, spoiled.ballot().to_bytes()),
        "spoiled_not_counted",
        "invalid_ballot",
        "invalid",
    );

    let rows: Vec<Vec<_>> = ballots[1..]
        .iter()
        .map(|&i| {
            Ballot::from_bytes(&p.payloads[i], &layout(p))
                .unwrap()
                .ciphertexts()
        })
        .collect();
    let smaller = Aggregate::from_ballots(&rows, e.keys.width()).unwrap();
    let shares = positions(&p.payloads, MessageKind::DecryptionShare);
    let first_share = secret_ballot::threshold::DecryptionShare::from_bytes(&p.payloads[shares[0]])
        .unwrap()
        .trustee();
    let share = e.shares[usize::from(first_share) - 1]
        .decrypt_aggregate(&rows, &smaller, 1, rng)
        .unwrap();
    push(
        "a decryption share for another aggregate",
        replaced(p, shares[0], share.to_bytes()),
        "decryption_shares",
        "invalid_decryption_shares",
        "invalid",
    );

    let totals_at = positions(&p.payloads, MessageKind::Totals)[0];
    let mut totals = Totals::from_bytes(&p.payloads[totals_at]).unwrap();
    totals.0[0] += 1;
    let outcomes = Outcomes::compute(&e.manifest, &totals.0, p.present).unwrap();
    let mut payloads = p.payloads.clone();
    payloads[totals_at] = totals.to_bytes();
    payloads[totals_at + 1] = outcomes.to_bytes();
    push(
        "a wrong total (with outcomes to match it)",
        chain(&payloads),
        "totals",
        "wrong_result",
        "invalid",
    );

    let mut outcomes = Outcomes::from_bytes(&p.payloads[totals_at + 1]).unwrap();
    for q in &mut outcomes.questions {
        if let QuestionOutcome::Motion { passed, .. } = q {
            *passed = !*passed;
        }
    }
    push(
        "a motion's outcome reversed",
        replaced(p, totals_at + 1, outcomes.to_bytes()),
        "outcomes",
        "wrong_result",
        "invalid",
    );

    push(
        "truncated in the last entry",
        p.record[..p.record.len() - 1].to_vec(),
        "encoding",
        "encoding",
        "invalid",
    );

    let mut payloads = p.payloads.clone();
    payloads.remove(positions(&p.payloads, MessageKind::DkgRound2)[0]);
    push(
        "a qualified dealer's round-2 package left out of the record",
        chain(&payloads),
        "key_ceremony",
        "invalid_record",
        "invalid",
    );
    out
}
